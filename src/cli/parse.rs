//! `ngxlint parse`.

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// The configuration file to parse.
    pub file: PathBuf,
}

pub fn run(_args: &ParseArgs) -> u8 {
    super::exit::ERROR
}
