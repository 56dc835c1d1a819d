//! Command line: argument parsing and one module per subcommand.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit codes, as documented in the README.
pub mod exit {
    /// Nothing to report at or above the failure threshold.
    pub const CLEAN: u8 = 0;
    /// Findings (or syntax errors) were reported.
    pub const FINDINGS: u8 = 1;
    /// The configuration could not be (fully) checked: usage, I/O or internal error.
    pub const ERROR: u8 = 2;
}

#[derive(Debug, Parser)]
#[command(
    name = "ngxlint",
    version,
    about = "Lint and fix nginx configuration (streaming, WebSocket, inheritance, syntax)",
    long_about = None,
    after_help = "Exit codes (check, fix): 0 nothing at or above --fail-on; 1 findings; 2 the \
                  configuration could not be fully checked (syntax error, missing include, \
                  include cycle, unreadable file, bad arguments or config). parse and probe: \
                  see their --help.\n\
                  Start with: ngxlint check nginx.conf    Rules: ngxlint rules"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint configuration files and directories.
    Check(check::CheckArgs),
    /// Record the current findings in a baseline file (`--baseline FILE`, default
    /// `.ngxlint-baseline.json`); `check --baseline FILE` then reports only new ones.
    Baseline(check::CheckArgs),
    /// Add `# ngxlint: ignore <id> -- <reason>` comments for the current findings.
    Suppress(check::SuppressArgs),
    /// Apply fixes (`--diff` to preview, `--unsafe-fixes` for all, `--verify` with nginx -t).
    Fix(fix::FixArgs),
    /// Show the effective settings of server/location blocks and where each came from.
    Inspect(inspect::InspectArgs),
    /// Print the effective configuration for a path (config file + overrides).
    Config(project::ConfigArgs),
    /// Write a commented starter `.ngxlint.yml`.
    Init(project::InitArgs),
    /// List every rule (id, default severity, fixability, summary).
    Rules(explain::RulesArgs),
    /// Print a rule's documentation page.
    Rule(explain::RuleArgs),
    /// List the apps the streaming rules recognise, with their endpoints and sources.
    Apps(apps::AppsArgs),
    /// Parse a configuration and print it (crossplane-compatible JSON by default).
    Parse(parse::ParseArgs),
    /// Measure a live endpoint: does it stream, buffer, get cut? (WebSocket upgrade too.)
    #[cfg(feature = "probe")]
    Probe(probe::ProbeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the ngxlint(1) manual page (roff), or write all pages with --out-dir.
    Man(completions::ManArgs),
}

pub mod apps;
pub mod args;
pub mod check;
pub mod completions;
pub mod explain;
pub mod fix;
pub mod inspect;
pub mod output;
pub mod parse;
#[cfg(feature = "probe")]
pub mod probe;
pub mod project;

/// Parse arguments, run, map the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::ERROR
            } else {
                exit::CLEAN
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Baseline(args) => check::run_baseline(&args),
        Command::Suppress(args) => check::run_suppress(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Parse(args) => parse::run(&args),
        Command::Config(args) => project::run_config(&args),
        Command::Init(args) => project::run_init(&args),
        Command::Rules(args) => explain::run_rules(&args),
        Command::Rule(args) => explain::run_rule(&args),
        Command::Apps(args) => apps::run(&args),
        #[cfg(feature = "probe")]
        Command::Probe(args) => probe::run(&args),
        Command::Completions(args) => completions::run_completions(&args),
        Command::Man(args) => completions::run_man(&args),
    };
    ExitCode::from(code)
}
