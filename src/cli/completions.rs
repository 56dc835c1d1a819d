//! `ngxlint completions SHELL` and `ngxlint man`: shell completion scripts and roff manual pages,
//! both generated from the clap definition of the command line so they never drift from it.

use std::io::Write;
use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, exit};

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// Shell to generate the completion script for.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write one page per command (`ngxlint.1`, `ngxlint-check.1`, ...) into this directory
    /// instead of printing `ngxlint.1` to standard output.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// The program name the scripts and pages are generated for.
const BIN: &str = "ngxlint";

/// Print the completion script for `args.shell` to standard output.
pub fn run_completions(args: &CompletionsArgs) -> u8 {
    let mut cmd = Cli::command();
    // Render into memory first: clap_complete panics on a failed write (e.g. a closed pipe),
    // and we would rather report that and exit 2.
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, BIN, &mut buf);
    write_stdout(&buf)
}

/// Print the `ngxlint(1)` manual page to standard output, or write every page to `--out-dir`.
pub fn run_man(args: &ManArgs) -> u8 {
    let cmd = Cli::command();
    if let Some(dir) = &args.out_dir {
        if let Err(e) =
            std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir))
        {
            eprintln!("error: cannot write manual pages to {}: {e}", dir.display());
            return exit::ERROR;
        }
        return exit::CLEAN;
    }
    let mut buf = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd).render(&mut buf) {
        eprintln!("error: cannot render the manual page: {e}");
        return exit::ERROR;
    }
    write_stdout(&buf)
}

fn write_stdout(bytes: &[u8]) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => exit::CLEAN,
        // `ngxlint man | head`: the reader went away; nothing left to report.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::CLEAN,
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            exit::ERROR
        }
    }
}
