//! Flags shared by several subcommands (clap types; the library gets plain structs from them).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::rules::Severity;
use crate::semantics::context::Context;
use crate::semantics::include::PathMapping;
use crate::semantics::streaming::Mode;
use crate::workspace::Target;

use super::exit;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A snippet with a caret under each finding (miette).
    Text,
    /// `path:line:col: severity[rule-id] message`, one line each.
    Concise,
    /// Stable JSON, documented in the README.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// Checkstyle XML.
    Checkstyle,
    /// JUnit XML (GitLab and Jenkins test reports).
    Junit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ContextArg {
    Main,
    Http,
    Server,
    Location,
    Stream,
    Mail,
}

impl ContextArg {
    pub fn context(self) -> Context {
        match self {
            ContextArg::Main => Context::Main,
            ContextArg::Http => Context::Http,
            ContextArg::Server => Context::HttpServer,
            ContextArg::Location => Context::HttpLocation,
            ContextArg::Stream => Context::Stream,
            ContextArg::Mail => Context::Mail,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ModulesArg {
    Auto,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StreamingArg {
    Auto,
    All,
    None,
}

/// Options shared by `check`, `fix` and `inspect`.
#[derive(Clone, Debug, clap::Args)]
pub struct TargetArgs {
    /// nginx version to check against (defaults and directives differ by version). Default:
    /// 1.28.0, i.e. the behaviour before 1.29.7 changed `proxy_http_version` to 1.1, stopped
    /// sending `Connection: close` upstream and turned on upstream keepalive — what most
    /// distributions ship — unless a Dockerfile or Compose file above the checked file runs an
    /// nginx image with a version (`FROM nginx:1.31-alpine`), which is then the target.
    /// `auto`: ask the nginx on PATH (or `--nginx-binary`) with `nginx -v`.
    #[arg(long, value_name = "X.Y.Z|auto", value_parser = crate::nginx_binary::VersionArg::parse)]
    pub nginx_version: Option<crate::nginx_binary::VersionArg>,
    /// The nginx executable `--nginx-version auto` and `--modules auto` ask (default: `nginx`
    /// on PATH).
    #[arg(long, value_name = "PATH")]
    pub nginx_binary: Option<PathBuf>,
    /// `auto`: read `nginx -V` and report directives of modules that nginx was built without
    /// (or does not `load_module`) as unknown, as nginx does; its version is the target unless
    /// `--nginx-version` says otherwise. Default: every module is known.
    #[arg(long, value_name = "auto")]
    pub modules: Option<ModulesArg>,
    /// Context of a file's top level when it is a fragment (default: a first-line
    /// `# ngxlint: context=...` comment, else inferred from its directives).
    #[arg(long, value_enum)]
    pub context: Option<ContextArg>,
    /// Directory relative `include` paths resolve against, like `nginx -p`'s conf prefix
    /// (default: the directory of each checked file; for a fragment, the nearest directory
    /// above it holding `nginx.conf`).
    #[arg(long, value_name = "DIR")]
    pub conf_prefix: Option<PathBuf>,
    /// Read includes under the server's directory FROM from the directory TO (repeatable):
    /// `--path-map /etc/nginx=deploy/nginx` finds `include /etc/nginx/mime.types;` in a
    /// checkout. The longest FROM above a path wins; also `path_map:` in `.ngxlint.yml`.
    #[arg(long, value_name = "FROM=TO", value_parser = parse_path_mapping)]
    pub path_map: Vec<PathMapping>,
    /// Which locations stream: `auto` decides from comments, config evidence and well-known
    /// endpoints; `all` treats every proxied location as streaming; `none` only explicit
    /// `# ngxlint: streaming` comments.
    #[arg(long, value_enum)]
    pub streaming: Option<StreamingArg>,
    /// Use this config file instead of the nearest `.ngxlint.yml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore every `.ngxlint.yml`: settings come from the flags and the defaults. The nginx
    /// version a Dockerfile or Compose file beside the configuration runs is still the target
    /// unless `--nginx-version` names one.
    #[arg(long)]
    pub no_config: bool,
}

impl TargetArgs {
    /// The library's plain settings, with the command's `--select`/`--ignore`.
    pub fn target(&self, select: &[String], ignore: &[String]) -> Target {
        Target {
            nginx_version: self.nginx_version,
            nginx_binary: self.nginx_binary.clone(),
            modules_auto: self.modules == Some(ModulesArg::Auto),
            context: self.context.map(ContextArg::context),
            conf_prefix: self.conf_prefix.clone(),
            path_map: self.path_map.clone(),
            streaming: self.streaming.map(|s| match s {
                StreamingArg::Auto => Mode::Auto,
                StreamingArg::All => Mode::All,
                StreamingArg::None => Mode::None,
            }),
            config: self.config.clone(),
            no_config: self.no_config,
            select: select.to_vec(),
            ignore: ignore.to_vec(),
            nginx_dump: false,
            brief: false,
        }
    }
}

/// `FROM=TO`: FROM an absolute directory of the server, TO where its files are here.
pub fn parse_path_mapping(s: &str) -> Result<PathMapping, String> {
    let (from, to) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not FROM=TO (e.g. /etc/nginx=deploy/nginx)"))?;
    let from = PathBuf::from(from);
    if !from.is_absolute() {
        return Err(format!(
            "FROM must be an absolute path, as nginx's include names it (`{}` is not)",
            from.display()
        ));
    }
    if to.is_empty() {
        return Err("TO is empty: the directory where FROM's files are here".to_owned());
    }
    Ok(PathMapping {
        from,
        to: PathBuf::from(to),
    })
}

pub fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("`{s}` is not one of error, warning, info"))
}

/// Every `--select`/`--ignore` entry must name a rule, a category, `default` or `all`.
pub fn check_rule_ids(select: &[String], ignore: &[String]) -> Result<(), u8> {
    crate::workspace::check_selectors(select, ignore).map_err(|e| {
        eprintln!("error: {e}");
        exit::ERROR
    })
}

/// Say, once per container file, that the target nginx version came from it (the user gave
/// none): findings that depend on the version name it, and the user should know why.
pub fn note_image_version(
    from: Option<&crate::workspace::image::ImageVersion>,
    said: &mut Vec<std::path::PathBuf>,
) {
    let Some(f) = from else {
        return;
    };
    if said.contains(&f.file) {
        return;
    }
    said.push(f.file.clone());
    // An unpinned tag runs whatever its line's newest release is when the image is pulled.
    let unpinned = crate::workspace::image::unpinned(&f.image)
        .map(|line| {
            format!(
                ", unpinned: the newest {} release ngxlint knows",
                line.as_str()
            )
        })
        .unwrap_or_default();
    eprintln!(
        "note: checking for nginx {}, which {}:{} runs (`{}`{unpinned}); --nginx-version or \
         `nginx_version:` in .ngxlint.yml sets another",
        f.version,
        crate::report::display_path(&f.file),
        f.line,
        f.image
    );
}

/// Print a config error; the exit code.
pub fn config_error(e: crate::config::ConfigError) -> u8 {
    eprintln!("{:?}", miette::Report::new(e));
    exit::ERROR
}

/// Write the report to `output` or stdout.
pub fn emit(text: &str, output: Option<&Path>) -> Result<(), u8> {
    emit_with(output, |w| w.write_all(text.as_bytes()))
}

/// Write a report to `output` or stdout as it is rendered (`write` gets the destination), so
/// that it is never held whole in memory. A closed pipe on stdout is not an error.
pub fn emit_with(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), u8> {
    if let Some(path) = output {
        let written = std::fs::File::create(path).and_then(|file| {
            let mut w = std::io::BufWriter::new(file);
            write(&mut w)?;
            w.into_inner()
                .map_err(std::io::IntoInnerError::into_error)?;
            Ok(())
        });
        return written.map_err(|e| {
            eprintln!("error: cannot write {}: {e}", path.display());
            exit::ERROR
        });
    }
    let mut stdout = std::io::stdout().lock();
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write output: {e}");
            Err(exit::ERROR)
        }
        _ => Ok(()),
    }
}
