//! `ngxlint config` (the effective configuration for a path) and `ngxlint init` (a commented
//! starter `.ngxlint.yml`).

use std::path::PathBuf;

use serde::Serialize;

use crate::config::{self, Config};
use crate::semantics::model::DEFAULT_VERSION;

use super::exit;

#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// The file or directory whose settings to show (default: `.`).
    pub path: Option<PathBuf>,
    /// Use this config file instead of the nearest `.ngxlint.yml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the JSON Schema of `.ngxlint.yml` instead (for editors).
    #[arg(long, conflicts_with_all = ["path", "config"])]
    pub schema: bool,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write it (default: `./.ngxlint.yml`).
    pub path: Option<PathBuf>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Serialize)]
struct Shown {
    config_file: Option<String>,
    nginx_version: String,
    #[serde(flatten)]
    settings: config::Effective,
    streaming_mode: &'static str,
    exclude: Vec<String>,
    /// Server directory → where its files are read from (resolved against the config's
    /// directory).
    path_map: std::collections::BTreeMap<String, String>,
}

pub fn run_config(args: &ConfigArgs) -> u8 {
    if args.schema {
        return super::check::emit(config::SCHEMA, None).map_or_else(|code| code, |()| exit::CLEAN);
    }
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let cfg_path = args.config.clone().or_else(|| Config::discover(&path));
    let (eff, exclude, path_map) = match &cfg_path {
        Some(p) => match Config::load(p) {
            Ok(c) => (
                c.effective_for(&path),
                c.exclude.iter().map(|g| g.as_str().to_owned()).collect(),
                c.path_map()
                    .into_iter()
                    .map(|m| (m.from.display().to_string(), m.to.display().to_string()))
                    .collect(),
            ),
            Err(e) => {
                eprintln!("{:?}", miette::Report::new(*e));
                return exit::ERROR;
            }
        },
        None => (
            config::Effective::default(),
            Vec::new(),
            std::collections::BTreeMap::new(),
        ),
    };
    let shown = Shown {
        config_file: cfg_path.map(|p| p.display().to_string()),
        nginx_version: eff
            .nginx_version
            .clone()
            .unwrap_or_else(|| format!("{DEFAULT_VERSION} (default)")),
        streaming_mode: match eff.streaming_mode.unwrap_or_default() {
            crate::semantics::streaming::Mode::All => "all",
            crate::semantics::streaming::Mode::Auto => "auto",
            crate::semantics::streaming::Mode::None => "none",
        },
        settings: eff,
        exclude,
        path_map,
    };
    let mut text = serde_json::to_string_pretty(&shown).expect("plain data");
    text.push('\n');
    if let Err(code) = super::check::emit(&text, None) {
        return code;
    }
    exit::CLEAN
}

pub fn run_init(args: &InitArgs) -> u8 {
    let path = args
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from(".ngxlint.yml"));
    if path.exists() && !args.force {
        eprintln!(
            "error: {} exists (use --force to overwrite)",
            path.display()
        );
        return exit::ERROR;
    }
    match std::fs::write(&path, config::STARTER) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            exit::CLEAN
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            exit::ERROR
        }
    }
}
