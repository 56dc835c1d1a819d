//! The user's own nginx: its version (`nginx -v`) and how it was built (`nginx -V`), for
//! `--nginx-version auto` and `--modules auto`.
//!
//! nginx prints both on stderr: `nginx version: nginx/1.22.1` (or `openresty/1.21.4.3`,
//! `angie/...`: the first three numbers are nginx's), then for `-V` the compiler, TLS library
//! and `configure arguments: ...` lines.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::semantics::directives::Version;
use crate::semantics::modules::Build;

/// `--nginx-version`: a release, or `auto` (ask the nginx binary).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionArg {
    Fixed(Version),
    Auto,
}

impl VersionArg {
    pub fn parse(s: &str) -> Result<VersionArg, String> {
        if s.trim() == "auto" {
            return Ok(VersionArg::Auto);
        }
        Version::parse(s)
            .map(VersionArg::Fixed)
            .ok_or_else(|| format!("`{s}` is not a version like 1.24.0 (or `auto`)"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NginxBinaryError {
    #[error(
        "no `nginx` found on PATH to ask for its version and modules; install nginx, pass \
         --nginx-binary PATH, or give --nginx-version X.Y.Z"
    )]
    NotFound,
    #[error("could not run `{} {arg}`: {source}; pass --nginx-binary PATH to an nginx executable", path.display())]
    Run {
        path: PathBuf,
        arg: &'static str,
        source: std::io::Error,
    },
    #[error(
        "`{} {arg}` printed no {what} (it printed: {output:?}); is it nginx? pass --nginx-binary \
         PATH to an nginx executable, or give --nginx-version X.Y.Z",
        path.display()
    )]
    Unparsable {
        path: PathBuf,
        arg: &'static str,
        what: &'static str,
        output: String,
    },
}

/// `explicit`, else the first `nginx` on PATH.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, NginxBinaryError> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    let path = std::env::var_os("PATH").ok_or(NginxBinaryError::NotFound)?;
    std::env::split_paths(&path)
        .map(|d| d.join("nginx"))
        .find(|p| p.is_file())
        .ok_or(NginxBinaryError::NotFound)
}

/// Run `binary arg` and return what it printed (nginx writes `-v`/`-V` to stderr; stdout too,
/// for wrappers that print there).
fn run(binary: &Path, arg: &'static str) -> Result<String, NginxBinaryError> {
    let out = Command::new(binary)
        .arg(arg)
        .output()
        .map_err(|source| NginxBinaryError::Run {
            path: binary.to_path_buf(),
            arg,
            source,
        })?;
    let mut text = String::from_utf8_lossy(&out.stderr).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stdout));
    Ok(text)
}

/// The nginx version in `nginx -v` output: `nginx version: <name>/<X.Y.Z>[...]`.
pub fn parse_version_output(text: &str) -> Option<Version> {
    let rest = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("nginx version:"))?;
    let (_, v) = rest.trim().split_once('/')?;
    let numbers: Vec<&str> = v
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .next()?
        .split('.')
        .take(3)
        .collect();
    if numbers.len() < 3 {
        return None;
    }
    Version::parse(&numbers.join("."))
}

fn unparsable(
    binary: &Path,
    arg: &'static str,
    what: &'static str,
    text: &str,
) -> NginxBinaryError {
    let mut output: String = text.trim().chars().take(200).collect();
    if text.trim().chars().count() > 200 {
        output.push('…');
    }
    NginxBinaryError::Unparsable {
        path: binary.to_path_buf(),
        arg,
        what,
        output,
    }
}

/// `binary -v`, parsed.
pub fn version_of(binary: &Path) -> Result<Version, NginxBinaryError> {
    let text = run(binary, "-v")?;
    parse_version_output(&text).ok_or_else(|| unparsable(binary, "-v", "nginx version", &text))
}

/// `binary -V`: its version and configure arguments.
pub fn build_of(binary: &Path) -> Result<(Version, Build), NginxBinaryError> {
    let text = run(binary, "-V")?;
    let version = parse_version_output(&text)
        .ok_or_else(|| unparsable(binary, "-V", "nginx version", &text))?;
    let build = Build::from_version_output(&text)
        .ok_or_else(|| unparsable(binary, "-V", "`configure arguments:` line", &text))?;
    Ok((version, build))
}

/// What ngxlint targets: the version, and the build when `--modules auto` asked for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub version: Version,
    pub build: Option<Build>,
}

/// Resolve `--nginx-version` (flag, else config, else `default`), `--nginx-binary` and
/// `--modules auto` into a [`Target`]. The binary is run only when something is `auto`; with
/// `--modules auto` and no version given, the binary's version is the target.
pub fn resolve(
    version: Option<VersionArg>,
    default: Version,
    binary: Option<&Path>,
    modules_auto: bool,
) -> Result<Target, NginxBinaryError> {
    let auto = version == Some(VersionArg::Auto);
    if !auto && !modules_auto {
        return Ok(Target {
            version: match version {
                Some(VersionArg::Fixed(v)) => v,
                _ => default,
            },
            build: None,
        });
    }
    let path = locate(binary)?;
    if modules_auto {
        let (found, build) = build_of(&path)?;
        // The binary that says which modules exist also says which release it is, unless a
        // version was given.
        let version = match version {
            Some(VersionArg::Fixed(v)) => v,
            Some(VersionArg::Auto) | None => found,
        };
        return Ok(Target {
            version,
            build: Some(build),
        });
    }
    Ok(Target {
        version: version_of(&path)?,
        build: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_nginx_and_forks() {
        let v = |s| parse_version_output(s);
        assert_eq!(v("nginx version: nginx/1.22.1\n"), Some(Version(1, 22, 1)));
        assert_eq!(
            v("nginx version: nginx/1.31.4 (nginx-plus-r36)\n"),
            Some(Version(1, 31, 4))
        );
        assert_eq!(
            v("nginx version: openresty/1.21.4.3\n"),
            Some(Version(1, 21, 4))
        );
        assert_eq!(v("nginx: invalid option: \"v\"\n"), None);
        assert_eq!(v("nginx version: nginx/1.22\n"), None);
        assert_eq!(v(""), None);
    }

    #[test]
    fn version_arg() {
        assert_eq!(VersionArg::parse("auto"), Ok(VersionArg::Auto));
        assert_eq!(
            VersionArg::parse("1.31.4"),
            Ok(VersionArg::Fixed(Version(1, 31, 4)))
        );
        assert!(VersionArg::parse("latest").is_err());
    }

    #[test]
    fn without_auto_nothing_runs() {
        let t = resolve(
            None,
            Version(1, 28, 0),
            Some(Path::new("/nonexistent/nginx")),
            false,
        )
        .unwrap();
        assert_eq!(t.version, Version(1, 28, 0));
        let missing = resolve(
            Some(VersionArg::Auto),
            Version(1, 28, 0),
            Some(Path::new("/nonexistent/nginx")),
            false,
        );
        assert!(matches!(missing, Err(NginxBinaryError::Run { .. })));
    }
}
