//! The lint pipeline for one root file: load (with includes) → model → rules → diagnostics.

use std::path::Path;

use crate::rules::{self, Diagnostic, LintContext, Rule};
use crate::semantics::context::Context;
use crate::semantics::directives::{Version, lookup};
use crate::semantics::include::ReadError;
use crate::semantics::model::{DEFAULT_VERSION, Model};
use crate::semantics::{LoadOptions, Program};
use crate::syntax::{self, Element};

#[derive(Clone, Debug)]
pub struct Options {
    pub version: Version,
    /// Force the context of the root file's top level (`--context`).
    pub context: Option<Context>,
    /// Where relative includes resolve (`--conf-prefix`); default: the root file's directory.
    pub prefix: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            version: DEFAULT_VERSION,
            context: None,
            prefix: None,
        }
    }
}

/// How the root file's context was decided (shown in verbose output).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContextSource {
    Flag,
    Comment,
    Inferred,
}

pub struct Linted {
    pub program: Program,
    pub diagnostics: Vec<Diagnostic>,
    pub context_source: ContextSource,
}

/// Lint `path` and everything it includes.
pub fn lint_path(
    path: &Path,
    opts: &Options,
    select: &dyn Fn(&Rule) -> bool,
) -> Result<Linted, ReadError> {
    let src = crate::semantics::include::read_source(path)?;
    Ok(lint_source(path, src, opts, select))
}

/// Lint in-memory bytes as if they were the file `path` (stdin, tests, fixed text).
pub fn lint_source(
    path: &Path,
    src: Vec<u8>,
    opts: &Options,
    select: &dyn Fn(&Rule) -> bool,
) -> Linted {
    let (context, context_source) = match opts.context {
        Some(c) => (c, ContextSource::Flag),
        None => match context_comment(&src) {
            Some(c) => (c, ContextSource::Comment),
            None => (infer_context(&src), ContextSource::Inferred),
        },
    };
    let load = LoadOptions {
        single_file: false,
        root_context: context,
        prefix: opts.prefix.clone(),
    };
    let program = Program::from_source(path.to_owned(), src, &load);
    let diagnostics = {
        let model = Model::build(&program, opts.version);
        let cx = LintContext {
            model: &model,
            version: opts.version,
        };
        rules::run(&cx, select)
    };
    Linted {
        program,
        diagnostics,
        context_source,
    }
}

/// `# ngxlint: context=server` on the first line.
pub fn context_comment(src: &[u8]) -> Option<Context> {
    let first = src.split(|&b| b == b'\n').next()?;
    let text = std::str::from_utf8(first).ok()?.trim();
    let rest = text
        .strip_prefix('#')?
        .trim()
        .strip_prefix("ngxlint:")?
        .trim();
    let value = rest.strip_prefix("context=")?.trim();
    Context::from_cli(value)
}

/// The context a lone file most likely belongs to: the one in which the fewest of its
/// top-level directives would be out of place (ties go to the outermost). A file with
/// `events`/`http` is a main file; `server` blocks suggest http; `listen` a server; `proxy_pass`
/// a location.
pub fn infer_context(src: &[u8]) -> Context {
    let tree = syntax::parse(src);
    let names: Vec<Vec<u8>> = tree
        .items
        .iter()
        .filter_map(Element::as_directive)
        .map(|d| d.name(src).into_owned())
        .collect();
    if names.is_empty() {
        return Context::Main;
    }
    let candidates = [
        Context::Main,
        Context::Http,
        Context::HttpServer,
        Context::HttpLocation,
        Context::Stream,
    ];
    let mut best = (usize::MAX, Context::Main);
    for c in candidates {
        let misplaced = names
            .iter()
            .filter(|n| {
                let specs = lookup(n);
                // Unknown names do not vote.
                !specs.is_empty() && !specs.iter().any(|s| s.contexts & c.bit() != 0)
            })
            .count();
        if misplaced < best.0 {
            best = (misplaced, c);
        }
    }
    best.1
}
