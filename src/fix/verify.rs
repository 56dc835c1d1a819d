//! `--verify`: run the real `nginx -t` on the original and on the patched configuration in a
//! private sandbox, so a fix is only written when nginx accepts the result wherever it accepted
//! the input.
//!
//! The sandbox holds a copy of every file of the configuration at its path relative to the main
//! file's directory (relative includes keep resolving), its own prefix, pid and error log.
//! Files outside that directory, reached through absolute includes, are read in place (nginx
//! -t only reads them); a fix that edits one cannot be verified and is refused. A
//! fragment (`server {}` or location-level file) is wrapped the way nginx-semantics.md §4.3
//! describes.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::semantics::Program;
use crate::semantics::context::Context;

/// What nginx said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Failed(String),
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("cannot verify: no nginx binary found (install nginx, or set NGXLINT_NGINX)")]
    NoNginx,
    #[error(
        "cannot verify: a fix edits {0}, which is outside the main file's directory, so it cannot be tried in the sandbox"
    )]
    Outside(PathBuf),
    #[error("cannot verify: {0}")]
    Io(#[from] std::io::Error),
}

/// The nginx binary: `NGXLINT_NGINX`, else `nginx` on PATH, else the usual locations.
pub fn find_nginx() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("NGXLINT_NGINX") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("nginx"))
        .chain(
            [
                "/usr/sbin/nginx",
                "/usr/local/sbin/nginx",
                "/usr/local/nginx/sbin/nginx",
            ]
            .map(PathBuf::from),
        )
        .find(|p| p.is_file())
}

/// `nginx -t` on the program's files with `patched` (path → bytes) substituted.
pub fn nginx_t(
    nginx: &Path,
    program: &Program,
    patched: &[(PathBuf, Vec<u8>)],
) -> Result<Verdict, VerifyError> {
    let main = &program.file(0).path;
    let base = main.parent().map(Path::to_path_buf).unwrap_or_default();
    let sandbox = std::env::temp_dir().join(format!(
        "ngxlint-verify-{}-{}",
        std::process::id(),
        SANDBOX.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::create_dir_all(sandbox.join("conf"))?;
    let result = (|| {
        for f in &program.files {
            let patch = patched.iter().find(|(p, _)| same(p, &f.path));
            let Some(rel) = relative(&base, &f.path) else {
                // Outside the main file's directory (an absolute include such as
                // /etc/nginx/mime.types): nginx reads it where it is, unchanged. A fix to it
                // cannot be tried in the sandbox.
                if patch.is_some() || f.path.is_relative() {
                    return Err(VerifyError::Outside(f.path.clone()));
                }
                continue;
            };
            let dest = sandbox.join("conf").join(rel);
            if let Some(d) = dest.parent() {
                std::fs::create_dir_all(d)?;
            }
            let bytes = patch.map_or(&f.src[..], |(_, b)| b.as_slice());
            std::fs::write(&dest, bytes)?;
        }
        let main_rel = relative(&base, main).ok_or_else(|| VerifyError::Outside(main.clone()))?;
        let main_copy = sandbox.join("conf").join(main_rel);
        let conf = match program.root_context {
            Context::Main => main_copy,
            ctx => {
                let inner = format!("include {};", main_copy.display());
                let text = match ctx {
                    Context::Http => format!("events {{}} http {{ {inner} }}\n"),
                    Context::HttpServer => {
                        format!("events {{}} http {{ server {{ listen 127.0.0.1:1; {inner} }} }}\n")
                    }
                    Context::HttpLocation => format!(
                        "events {{}} http {{ server {{ listen 127.0.0.1:1; location / {{ {inner} }} }} }}\n"
                    ),
                    Context::Stream => format!("events {{}} stream {{ {inner} }}\n"),
                    _ => format!("events {{}} http {{ {inner} }}\n"),
                };
                // The wrapper sits next to the copy, so the fragment's relative includes still
                // resolve against its own directory.
                let w = sandbox.join("conf").join(".ngxlint-wrapper.conf");
                std::fs::write(&w, text)?;
                w
            }
        };
        let sets_pid = program
            .file(0)
            .syntax
            .directives()
            .any(|d| d.is(&program.file(0).src, "pid"));
        let mut globals = format!("error_log {}/error.log;", sandbox.display());
        if !sets_pid || program.root_context != Context::Main {
            globals.push_str(&format!(" pid {}/nginx.pid;", sandbox.display()));
        }
        let out = Command::new(nginx)
            .arg("-t")
            .arg("-q")
            .arg("-p")
            .arg(&sandbox)
            .arg("-c")
            .arg(&conf)
            .arg("-g")
            .arg(globals)
            .output()?;
        Ok(if out.status.success() {
            Verdict::Passed
        } else {
            let text = String::from_utf8_lossy(&out.stderr)
                .replace(&format!("{}/conf/", sandbox.display()), "");
            Verdict::Failed(text.trim().to_owned())
        })
    })();
    let _ = std::fs::remove_dir_all(&sandbox);
    result
}

static SANDBOX: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn relative(base: &Path, p: &Path) -> Option<PathBuf> {
    let base = std::fs::canonicalize(if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    })
    .ok()?;
    let p = std::fs::canonicalize(p).ok()?;
    p.strip_prefix(&base).ok().map(Path::to_path_buf)
}

fn same(a: &Path, b: &Path) -> bool {
    a == b || std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok()
}
