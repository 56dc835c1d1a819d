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

/// The subcommands. Each one's arguments are defined only when it is the one run
/// ([`Deferred`]).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint configuration files and directories.
    Check(Deferred<check::CheckArgs>),
    /// Record the current findings in a baseline file (`--baseline FILE`, default
    /// `.ngxlint-baseline.json`); `check --baseline FILE` then reports only new ones.
    Baseline(Deferred<check::CheckArgs>),
    /// Add `# ngxlint: ignore <id> -- <reason>` comments for the current findings.
    Suppress(Deferred<check::SuppressArgs>),
    /// Apply fixes (`--diff` to preview, `--unsafe-fixes` for all, `--verify` with nginx -t).
    Fix(Deferred<fix::FixArgs>),
    /// Show the effective settings of server/location blocks and where each came from.
    Inspect(Deferred<inspect::InspectArgs>),
    /// Print the effective configuration for a path (config file + overrides).
    Config(Deferred<project::ConfigArgs>),
    /// Write a commented starter `.ngxlint.yml`.
    Init(Deferred<project::InitArgs>),
    /// List every rule (id, default severity, fixability, summary).
    Rules(Deferred<explain::RulesArgs>),
    /// Print a rule's documentation page.
    Rule(Deferred<explain::RuleArgs>),
    /// List the apps the streaming rules recognise, with their endpoints and sources.
    Apps(Deferred<apps::AppsArgs>),
    /// Parse a configuration and print it (crossplane-compatible JSON by default).
    Parse(Deferred<parse::ParseArgs>),
    /// Measure a live endpoint: does it stream, buffer, get cut? (WebSocket upgrade too.)
    #[cfg(feature = "probe")]
    Probe(Deferred<probe::ProbeArgs>),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(Deferred<completions::CompletionsArgs>),
    /// Print the ngxlint(1) manual page (roff), or write all pages with --out-dir.
    Man(Deferred<completions::ManArgs>),
}

/// A subcommand's arguments, defined when clap reaches that subcommand, not for all fourteen
/// at every start: `ngxlint check FILE` built every subcommand's arguments, help texts
/// included, before reading its own. A check of a one-line file 1.76 -> 1.70 ms (means of
/// 2 x 300 alternating runs; clap took 0.2 ms of it, issue #13). Help, completions and the
/// manual pages are the same bytes as before: clap runs the deferred definitions when it
/// builds a command for them.
#[derive(Debug)]
pub struct Deferred<T>(pub T);

impl<T: clap::Args> clap::Args for Deferred<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keeping_about(cmd, T::augment_args))
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keeping_about(cmd, T::augment_args_for_update))
    }

    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

/// `augment(cmd)` with `cmd`'s own description: the subcommand's (its variant's doc comment),
/// which clap sets after defining its arguments and a deferred definition would otherwise
/// replace with the arguments struct's doc comment.
fn keeping_about(cmd: clap::Command, augment: fn(clap::Command) -> clap::Command) -> clap::Command {
    use clap::builder::Resettable;
    let kept = |text: Option<&clap::builder::StyledStr>| match text {
        Some(text) => Resettable::Value(text.clone()),
        None => Resettable::Reset,
    };
    let about = kept(cmd.get_about());
    let long_about = kept(cmd.get_long_about());
    augment(cmd).about(about).long_about(long_about)
}

impl<T: clap::FromArgMatches> clap::FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn from_arg_matches_mut(matches: &mut clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(
        &mut self,
        matches: &mut clap::ArgMatches,
    ) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
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
        Command::Check(Deferred(args)) => check::run(&args),
        Command::Baseline(Deferred(args)) => check::run_baseline(&args),
        Command::Suppress(Deferred(args)) => check::run_suppress(&args),
        Command::Fix(Deferred(args)) => fix::run(&args),
        Command::Inspect(Deferred(args)) => inspect::run(&args),
        Command::Parse(Deferred(args)) => parse::run(&args),
        Command::Config(Deferred(args)) => project::run_config(&args),
        Command::Init(Deferred(args)) => project::run_init(&args),
        Command::Rules(Deferred(args)) => explain::run_rules(&args),
        Command::Rule(Deferred(args)) => explain::run_rule(&args),
        Command::Apps(Deferred(args)) => apps::run(&args),
        #[cfg(feature = "probe")]
        Command::Probe(Deferred(args)) => probe::run(&args),
        Command::Completions(Deferred(args)) => completions::run_completions(&args),
        Command::Man(Deferred(args)) => completions::run_man(&args),
    };
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::{Cli, Command, Deferred};
    use clap::{CommandFactory, Parser};

    /// Each subcommand's arguments are defined only when clap builds that subcommand, and its
    /// description stays its own (the variant's doc comment, shown in the top-level list)
    /// once they are: an arguments struct's doc comment would otherwise replace it (`check`
    /// read "Options shared by `check`, `fix` and `inspect`").
    #[test]
    fn subcommands_are_defined_when_built_with_their_own_description() {
        let mut cli = Cli::command();
        let listed: Vec<(String, Option<String>, Option<String>)> = cli
            .get_subcommands()
            .map(|s| {
                (
                    s.get_name().to_owned(),
                    s.get_about().map(|a| a.to_string()),
                    s.get_long_about().map(|a| a.to_string()),
                )
            })
            .collect();
        assert!(listed.len() >= 13);
        let check = cli.find_subcommand("check").unwrap();
        assert_eq!(
            check.get_arguments().count(),
            0,
            "defined before it is built"
        );
        cli.build();
        for (name, about, long_about) in &listed {
            let sub = cli.find_subcommand(name).unwrap();
            assert!(about.is_some(), "{name} has a description");
            assert_eq!(sub.get_about().map(|a| a.to_string()), *about, "{name}");
            assert_eq!(
                sub.get_long_about().map(|a| a.to_string()),
                *long_about,
                "{name}"
            );
        }
        let check = cli.find_subcommand("check").unwrap();
        assert!(check.get_arguments().any(|a| a.get_id() == "format"));
    }

    #[test]
    fn a_deferred_subcommand_parses_its_arguments() {
        let cli = Cli::try_parse_from(["ngxlint", "check", "--format", "json", "a.conf"]).unwrap();
        let Command::Check(Deferred(args)) = cli.command else {
            panic!("check");
        };
        assert_eq!(args.format, super::args::Format::Json);
        let err = Cli::try_parse_from(["ngxlint", "check", "--bogus"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
    }
}
