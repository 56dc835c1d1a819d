//! `ngxlint parse`: the syntax tree as crossplane JSON, as source, or as a tree dump.

use std::io::Write;
use std::path::PathBuf;

use crate::report::{crossplane, tree_dump};
use crate::semantics::grammar::all_syntax_errors;
use crate::semantics::{LoadOptions, Program};

use super::exit;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ParseFormat {
    /// The JSON of `crossplane parse` (crossplane 0.5.8).
    Crossplane,
    /// The file reconstructed from its syntax tree (byte-identical to the input).
    Source,
    /// A readable dump of the tree with byte spans.
    Tree,
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes (parse): 0 parsed cleanly; 1 syntax or include errors (the tree is \
                  still printed); 2 the file could not be read (missing, not a regular file, \
                  too large) or bad arguments."
)]
pub struct ParseArgs {
    /// The configuration file to parse.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ParseFormat::Crossplane)]
    pub format: ParseFormat,
    /// Do not follow `include` directives.
    #[arg(long)]
    pub single_file: bool,
    /// Include comments in the crossplane output (as `"directive": "#"` entries).
    #[arg(long)]
    pub include_comments: bool,
    /// Indent crossplane JSON by this many spaces (compact by default, as crossplane).
    #[arg(long, value_name = "N")]
    pub indent: Option<usize>,
    /// Directory relative `include` paths resolve against, like `nginx -p`'s conf prefix
    /// (default: the file's directory).
    #[arg(long, value_name = "DIR")]
    pub conf_prefix: Option<PathBuf>,
    /// Read includes under the server's directory FROM from the directory TO (repeatable), as
    /// `check --path-map` does: `--path-map /etc/nginx=deploy/nginx`.
    #[arg(long, value_name = "FROM=TO", value_parser = super::args::parse_path_mapping)]
    pub path_map: Vec<crate::semantics::include::PathMapping>,
}

/// Exit 0 when the file parsed cleanly, 1 on syntax or include errors, 2 when it could not be
/// read.
pub fn run(args: &ParseArgs) -> u8 {
    let single = args.single_file || args.format != ParseFormat::Crossplane;
    let opts = LoadOptions {
        single_file: single,
        prefix: args
            .conf_prefix
            .clone()
            .map(crate::semantics::include::ConfPrefix::Given),
        path_map: args.path_map.clone(),
        as_written: true,
        ..LoadOptions::default()
    };
    let program = match Program::load(&args.file, &opts) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let mut stdout = std::io::stdout().lock();
    let (bytes, failed) = match args.format {
        ParseFormat::Crossplane => {
            let (json, failed) = crossplane::render(
                &program,
                crossplane::Options {
                    include_comments: args.include_comments,
                    single_file: args.single_file,
                    indent: args.indent,
                },
            );
            (json.into_bytes(), failed)
        }
        ParseFormat::Source | ParseFormat::Tree => {
            let file = program.file(0);
            let errors = all_syntax_errors(file, program.root_context);
            for e in &errors {
                let at = file.lines().line_col(e.span.start);
                eprintln!(
                    "{}:{}:{}: error[syntax-error]: {}",
                    file.path.display(),
                    at.line,
                    at.column,
                    e.kind.message()
                );
            }
            let out = if args.format == ParseFormat::Source {
                crate::syntax::print(&file.syntax, &file.src)
            } else {
                tree_dump::dump(&file.syntax, &file.src).into_bytes()
            };
            (out, !errors.is_empty())
        }
    };
    if let Err(e) = stdout.write_all(&bytes).and_then(|()| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write output: {e}");
        return exit::ERROR;
    }
    if failed { exit::FINDINGS } else { exit::CLEAN }
}
