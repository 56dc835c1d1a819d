//! The lint pipeline for one root file: load (with includes) → model → rules → diagnostics.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
    pub prefix: Option<crate::semantics::include::ConfPrefix>,
    /// Where the server's directories are on this machine (`--path-map`, `path_map:`).
    pub path_map: Vec<crate::semantics::include::PathMapping>,
    /// What rules read: streaming detection, rule options.
    pub settings: rules::Settings,
    /// Only each finding's place, severity, rule and message will be shown (the concise and
    /// Checkstyle reports): the findings keep no other labels, help or fix, and the rules that find
    /// many may skip building them ([`rules::LintContext::brief`]).
    pub brief: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            version: DEFAULT_VERSION,
            context: None,
            prefix: None,
            path_map: Vec::new(),
            settings: rules::Settings::default(),
            brief: false,
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

impl Linted {
    /// Every finding of this run, each with the program its spans point into: what the
    /// reports render.
    pub fn findings(&self) -> Vec<crate::report::Finding<'_>> {
        self.diagnostics
            .iter()
            .map(|d| crate::report::Finding {
                diagnostic: d,
                program: &self.program,
            })
            .collect()
    }
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
    src: impl Into<crate::io::Source>,
    opts: &Options,
    select: &dyn Fn(&Rule) -> bool,
) -> Linted {
    lint_with_overlay(path, src.into(), opts, select, HashMap::new())
}

/// Lint a file set held in memory (an `nginx -T` dump): `path`'s bytes are `src`, and its
/// includes resolve against `files` (keyed by path) before the disk.
pub fn lint_file_set(
    path: &Path,
    src: Vec<u8>,
    opts: &Options,
    select: &dyn Fn(&Rule) -> bool,
    files: HashMap<PathBuf, Vec<u8>>,
) -> Linted {
    lint_with_overlay(path, src.into(), opts, select, files)
}

fn lint_with_overlay(
    path: &Path,
    src: crate::io::Source,
    opts: &Options,
    select: &dyn Fn(&Rule) -> bool,
    overlay: HashMap<PathBuf, Vec<u8>>,
) -> Linted {
    let (context, context_source) = match opts.context {
        Some(c) => (Some(c), ContextSource::Flag),
        None => match context_comment(&src) {
            Some(c) => (Some(c), ContextSource::Comment),
            None => (None, ContextSource::Inferred),
        },
    };
    // The files an `nginx -T` dump holds are the checked server's, wherever their paths lead.
    let given: Vec<PathBuf> = overlay.keys().cloned().collect();
    let load = LoadOptions {
        single_file: false,
        root_context: context.unwrap_or(Context::Main),
        prefix: opts.prefix.clone(),
        overlay,
        path_map: opts.path_map.clone(),
        as_written: false,
    };
    // `NGXLINT_TIMINGS=1` prints how long each phase took (for performance work).
    let timings = std::env::var_os("NGXLINT_TIMINGS").is_some();
    let t0 = std::time::Instant::now();
    let mut program = Program::from_source(path.to_owned(), src, &load);
    if context.is_none() {
        // The context does not change how files parse, only how they are read: infer it from
        // the tree just built instead of parsing twice.
        let main = program.file(0);
        program.root_context = infer_from_tree(&main.syntax, main.model_src());
    }
    let t1 = std::time::Instant::now();
    let rss1 = timings.then(peak_rss_mb);
    // The model is dropped before the findings are unpacked: on a large configuration the two
    // at full size were the memory peak.
    let (found, t2, rss2) = std::thread::scope(|s| {
        lines_beside(s, &program);
        let model = Model::build(&program, opts.version);
        let t2 = std::time::Instant::now();
        let rss2 = timings.then(peak_rss_mb);
        let cx = LintContext {
            model: &model,
            version: opts.version,
            settings: &opts.settings,
            part: None,
            // A template's conditional blocks make a finding info by any of its lines, labels
            // included (`template::soften`): the labels a brief report drops must still be
            // built there, or the concise report's severity and exit code differ from the
            // others' (held-out batch 370: warning and error, exit 1, against info, exit 0).
            brief: opts.brief
                && program
                    .files
                    .iter()
                    .all(|f| f.template_conditionals.is_empty()),
        };
        (rules::run_packed(&cx, select), t2, rss2)
    });
    let mut found = found;
    let rule_times = std::mem::take(&mut found.timings);
    let found = found.into_diagnostics_in_halves();
    let t3 = std::time::Instant::now();
    let rss3 = timings.then(peak_rss_mb);
    let placeholders = crate::template::file_placeholders(&program, &opts.path_map);
    let found = crate::template::soften(&program, &placeholders, found);
    let diagnostics = crate::suppress::apply(&program, found, select);
    let diagnostics = crate::template::fold(&program, &placeholders, diagnostics);
    let diagnostics = crate::template::unmask(&program, diagnostics);
    let diagnostics = soften_this_machines_files(&program, &given, &opts.path_map, diagnostics);
    if timings {
        eprintln!(
            "timings {}: parse+includes {:?}, model {:?}, rules {:?}, suppressions {:?}",
            path.display(),
            t1 - t0,
            t2 - t1,
            t3 - t2,
            t3.elapsed()
        );
        print_rule_times(path, rule_times);
        // Where the memory peak is reached (Linux only: `VmHWM`, in MB).
        if let (Some(Some(a)), Some(Some(b)), Some(Some(c))) = (rss1, rss2, rss3) {
            eprintln!(
                "peak RSS {}: after parse+includes {a} MB, model {b} MB, rules {c} MB",
                path.display()
            );
        }
    }
    Linted {
        program,
        diagnostics,
        context_source,
    }
}

/// Findings on lines (their own or a label's) of a file that an absolute include of the checked
/// files found on this machine, where the checked files live elsewhere (a checkout's `include
/// /etc/nginx/sites-enabled/*;` reading this machine's Debian `default` site): info, without a
/// fix. The deployed server may hold another file there, or none (held-out batch 374: a Salt
/// state that deletes that site; two `duplicate-listen` errors blamed it). Not a file of the
/// checked tree's own directories (`/etc/nginx/nginx.conf` including
/// `/etc/nginx/sites-enabled/x`), of an `nginx -T` dump, of a `--path-map`, or the project's
/// copy read instead.
fn soften_this_machines_files(
    program: &Program,
    given: &[PathBuf],
    path_map: &[crate::semantics::include::PathMapping],
    mut diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    if program.files.len() < 2 {
        return diagnostics;
    }
    let Ok(root) = std::path::absolute(&program.file(0).path) else {
        return diagnostics;
    };
    let this_machines: Vec<bool> = program
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            i > 0
                && f.path.is_absolute()
                && !root.starts_with(config_root(&f.path))
                && !given.contains(&f.path)
                && !path_map.iter().any(|m| f.path.starts_with(&m.to))
                && !program.project_copies.iter().any(|(_, _, c)| *c == f.path)
        })
        .collect();
    if !this_machines.contains(&true) {
        return diagnostics;
    }
    for d in &mut diagnostics {
        if d.severity <= crate::rules::Severity::Info {
            continue;
        }
        // Its own line or one of its labels' (a duplicate of the checked files' `listen`).
        let Some(file) = std::iter::once(d.primary.file)
            .chain(d.secondary.iter().map(|l| l.file))
            .find(|&f| this_machines.get(f as usize).copied().unwrap_or(false))
        else {
            continue;
        };
        d.severity = crate::rules::Severity::Info;
        d.fix = None;
        let note = format!(
            "{} is this machine's file, read for an absolute include of the checked files: the \
             server they are deployed to may hold another file there (`--path-map` reads the \
             project's own copy)",
            crate::report::display_path(&program.file(file).path)
        );
        d.help = Some(match &d.help {
            Some(h) => format!("{}; {note}", h.as_str()).into(),
            None => note.into(),
        });
    }
    diagnostics
}

/// The directory a server's configuration lives in, as the first two components of an
/// absolute path (`/etc/nginx` of `/etc/nginx/sites-enabled/default`).
fn config_root(path: &Path) -> PathBuf {
    path.components().take(3).collect()
}

/// The line index of each large file, built on a second thread while this one builds the
/// model: every report asks for the lines of each finding, and the index is a pass over the
/// whole file (on a 50 MB configuration about 20 ms, where the walk building the model keeps
/// one core of two busy for 40). Built after the model, beside the unpacking of the
/// findings, it kept that core from unpacking half of them.
fn lines_beside<'s>(s: &'s std::thread::Scope<'s, '_>, program: &'s Program) {
    let large = |f: &&crate::semantics::SourceFile| f.src.len() >= LINES_AHEAD_FROM;
    if !program.files.iter().any(|f| large(&f)) || !crate::threads::more_than_one() {
        return;
    }
    // No thread to be had: the report builds the index when it first asks.
    let _ = crate::threads::spawn_beside(s, move || {
        for f in program.files.iter().filter(large) {
            f.lines();
        }
    });
}

/// The smallest file whose line index is built beside the model: a thread costs tens of
/// microseconds to start, indexing 1 MB about a hundred.
const LINES_AHEAD_FROM: usize = 1 << 19;

/// The ten slowest rules of a run, for `NGXLINT_TIMINGS` (the rules of a large file run on
/// several threads at once: their times add up to more than the phase's).
fn print_rule_times(path: &Path, mut times: Vec<crate::rules::RuleTime>) {
    times.sort_by(|a, b| b.took.cmp(&a.took).then(a.rule.cmp(b.rule)));
    // `NGXLINT_TIMINGS=all` lists every rule, any other value the ten slowest.
    let all = std::env::var_os("NGXLINT_TIMINGS").is_some_and(|v| v == "all");
    let shown = if all { times.len() } else { 10 };
    eprintln!("slowest rules {}:", path.display());
    for t in times.iter().take(shown) {
        eprintln!(
            "  {:<34} {:>10.3} ms {:>8} {}",
            t.rule,
            t.took.as_secs_f64() * 1000.0,
            t.count,
            t.counted
        );
    }
}

/// The process's peak resident set so far, in MB (`VmHWM` of `/proc/self/status`; `None` where
/// there is no such file), for `NGXLINT_TIMINGS`.
fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// The text after `ngxlint:` in a comment (`# ngxlint: ignore x -- why` → `ignore x -- why`),
/// for every ngxlint comment directive (context, streaming markers, suppressions).
pub fn ngxlint_comment(comment: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(comment).ok()?.trim();
    Some(
        text.strip_prefix('#')?
            .trim_start_matches('#')
            .trim()
            .strip_prefix("ngxlint:")?
            .trim(),
    )
}

/// `# ngxlint: context=server` on the first line.
pub fn context_comment(src: &[u8]) -> Option<Context> {
    let first = src.split(|&b| b == b'\n').next()?;
    let value = ngxlint_comment(first)?.strip_prefix("context=")?.trim();
    Context::from_cli(value)
}

/// The context a lone file most likely belongs to: the one in which the fewest of its
/// top-level directives would be out of place (ties go to the one in which the fewest of the
/// directives inside its top-level blocks would be, then to the outermost). A file with
/// `events`/`http` is a main file; `server` blocks suggest http; `listen` a server; `proxy_pass`
/// a location. What its top-level `if` blocks hold votes too, in the context `if` opens there:
/// a CORS snippet (`if ($request_method = OPTIONS) { add_header ...; return 204; }`) is
/// included from a location, since `add_header` is not allowed in an `if` of a server.
pub fn infer_context(src: &[u8]) -> Context {
    match syntax::parse_reading_templates(src, false) {
        (tree, Some(masked)) => infer_from_tree(&tree, &masked.text),
        (tree, None) => infer_from_tree(&tree, src),
    }
}

/// [`infer_context`] on an already parsed file.
pub fn infer_from_tree(tree: &syntax::SyntaxFile, src: &[u8]) -> Context {
    // (name, inside a top-level `if`)
    let mut names: Vec<(Vec<u8>, bool)> = Vec::new();
    // The top-level blocks other than `if`, for a tie below.
    let mut blocks = Vec::new();
    for d in tree.items.iter().filter_map(Element::as_directive) {
        let name = d.name(src).into_owned();
        if let syntax::End::Block(block) = d.end() {
            if name == b"if" {
                names.extend(
                    block
                        .items
                        .iter()
                        .filter_map(Element::as_directive)
                        .map(|inner| (inner.name(src).into_owned(), true)),
                );
            } else {
                blocks.push((name.clone(), block));
            }
        }
        names.push((name, false));
    }
    // An `events` or `http` block opens at the top level of the main file only, whatever else
    // the file holds: a template whose nested quotes end `http` early leaves its lines at the
    // top (held-out batch 243, a Helm chart's nginx.conf read as `http`: two false findings).
    if names.is_empty()
        || blocks
            .iter()
            .any(|(name, _)| name == b"events" || name == b"http")
    {
        return Context::Main;
    }
    // `mail` last: a tie goes to the others (held-out batch 397: a `mail {}` block's body,
    // `auth_http` and `server`s with `smtp_auth`, read as `stream`, 22 findings).
    let candidates = [
        Context::Main,
        Context::Http,
        Context::HttpServer,
        Context::HttpLocation,
        Context::Stream,
        Context::Mail,
    ];
    // Unknown names do not vote.
    let misplaced_in = |name: &[u8], bit| {
        let specs = lookup(name);
        !specs.is_empty() && !specs.iter().any(|s| s.contexts & bit != 0)
    };
    let scores = candidates.map(|c| {
        names
            .iter()
            .filter(|(n, in_if)| {
                let bit = if *in_if {
                    c.child(b"if").bit()
                } else {
                    c.bit()
                };
                misplaced_in(n, bit)
            })
            .count()
    });
    let best = scores.iter().copied().min().unwrap_or(0);
    let tied: Vec<Context> = candidates
        .iter()
        .zip(scores)
        .filter(|&(_, s)| s == best)
        .map(|(&c, _)| c)
        .collect();
    if tied.len() == 1 {
        return tied[0];
    }
    // A tie: what the top-level blocks hold breaks it (read only then: a main file's `http`
    // holds thousands of blocks). `server { listen 25565; proxy_pass 10.0.0.2:25565; }` is a
    // `server` of either `http` or `stream`, and its `proxy_pass` is allowed only in a stream
    // server (held-out batch 202, a NixOS `streamConfig`: read as `http`, twelve findings
    // nginx would never give inside `stream`). Ties left go to the outermost.
    let inner: Vec<(&[u8], Vec<u8>)> = blocks
        .iter()
        .flat_map(|(name, block)| {
            block
                .items
                .iter()
                .filter_map(Element::as_directive)
                .map(move |c| (name.as_slice(), c.name(src).into_owned()))
        })
        .collect();
    let mut chosen = (usize::MAX, tied[0]);
    for c in tied {
        let misplaced_inside = inner
            .iter()
            .filter(|(block, n)| {
                let opened = c.child(block);
                opened != Context::Unknown && misplaced_in(n, opened.bit())
            })
            .count();
        if misplaced_inside < chosen.0 {
            chosen = (misplaced_inside, c);
        }
    }
    chosen.1
}

/// Rules whose findings mean the configuration could not be fully checked: no fix is applied
/// while any of them fires.
pub const BLOCKING_RULES: &[&str] = &["syntax-error", "include-not-found", "include-cycle"];

/// The end of `include-not-found`'s message for a missing Certbot TLS options file
/// (`/etc/letsencrypt/options-ssl-nginx.conf`): such a finding does not stop the check
/// ([`blocks`]).
pub const CERTBOT_NOTE: &str = "Certbot writes it on the server it runs on, so its TLS settings \
                                are not checked here; the rest of the configuration is";

/// The end of `include-not-found`'s message for a missing file SWAG's container writes at its
/// start (`/config/nginx/ssl.conf`, `proxy.conf`...): such a finding does not stop the check
/// ([`blocks`]).
pub const SWAG_NOTE: &str = "linuxserver.io's container (SWAG, or an app's image on its nginx \
                             base) writes it when it starts, so its settings are not checked \
                             here; the rest of the configuration is";

/// The end of `include-not-found`'s message for a fragment's relative include missing where
/// its conf prefix is a guess: such a finding does not stop the check ([`blocks`]).
pub const PREFIX_UNKNOWN_NOTE: &str =
    "where this fragment's includes were looked for (its conf prefix is not known)";

/// Does finding `d` mean the configuration could not be fully checked (exit 2)? A finding of
/// [`BLOCKING_RULES`], except a missing Certbot TLS options file, whose lines are TLS settings
/// only, a file SWAG's container writes at its start, an absolute include the checkout keeps
/// ([`KEPT_NOTE`]), and a fragment's relative include where nginx's conf prefix is not known: nothing
/// here says where nginx finds it (YunoHost's apps include `proxy_params_no_auth`, which the
/// platform installs in `/etc/nginx`; held-out batches 281 to 291 met 20 such sites, each
/// "could not check" for a file the platform ships), and the rules withhold what it could
/// change. The finding says the include was not read.
pub fn blocks(d: &crate::rules::Diagnostic) -> bool {
    BLOCKING_RULES.contains(&d.rule.id)
        && !(d.rule.id == "include-not-found"
            && (d.message.as_str().ends_with(CERTBOT_NOTE)
                || d.message.as_str().ends_with(SWAG_NOTE)
                || d.message.as_str().ends_with(PREFIX_UNKNOWN_NOTE)
                || d.message.as_str().ends_with(KEPT_NOTE)
                || d.message.as_str().ends_with(PLACEHOLDER_INCLUDE_NOTE)))
}

/// The end of `include-not-found`'s message for an include whose path holds a template's
/// placeholder (`/etc/nginx/available.d/${NGINX_TEMPLATE}`): nginx never expands anything in
/// an include's path, so the deployment fills it before nginx reads the file, and which file
/// it names is not known here (held-out batch 466, Warden's image: envsubst fills it from the
/// Dockerfile's `ENV`). Such a finding (an info) does not stop the check ([`blocks`]).
pub const PLACEHOLDER_INCLUDE_NOTE: &str = "its path holds a template's placeholder, filled \
                                            before nginx reads the file, so which file it names \
                                            is not known here; the rest of the configuration is";

/// The end of `include-not-found`'s message for an absolute include whose file the checkout
/// keeps in one place: nginx reads it where it runs, the help names the `--path-map` that
/// reads it here, and such a finding (an info) does not stop the check ([`blocks`]): an info
/// with exit code 2 said two things (held-out batch 462, a Certbot site whose checkout keeps
/// its own `options-ssl-nginx.conf`: exit 2 in the checkout, exit 1 outside it).
pub const KEPT_NOTE: &str =
    "no such file on this machine, and this checkout keeps one of that name";

/// Rules whose findings stop `fix`: the tree itself is wrong. A missing include does not:
/// the files that could be read are fixed (rules withhold what the include could change).
pub const FIX_BLOCKING_RULES: &[&str] = &["syntax-error", "include-cycle"];

/// Rounds of fix → re-lint before giving up (ruff uses the same bound).
pub const MAX_FIX_ROUNDS: usize = 10;

/// One changed file.
#[derive(Clone, Debug)]
pub struct FileChange {
    pub path: PathBuf,
    pub before: Vec<u8>,
    pub after: Vec<u8>,
}

/// What `fix` did.
pub struct FixOutcome {
    /// The lint of the original text.
    pub original: Linted,
    /// The lint of the fixed text (what is left).
    pub fixed: Linted,
    pub changes: Vec<FileChange>,
    pub applied: Vec<crate::fix::apply::Applied>,
    /// Includes that could not be read (as `include-not-found` reported them): the fix
    /// covers only the files that could.
    pub missing_includes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error("{0}")]
    Read(#[from] ReadError),
    #[error(
        "not fixing: the configuration has syntax errors or an include cycle (run `ngxlint check`)"
    )]
    Blocked,
    #[error(
        "internal error: fixes from {rules:?} produced a syntax error; nothing was written (please report this)"
    )]
    BrokeSyntax { rules: Vec<&'static str> },
    #[error(
        "internal error: fixes from {rules:?} did not converge after {MAX_FIX_ROUNDS} rounds; nothing was written (please report this)"
    )]
    NotConverged { rules: Vec<&'static str> },
}

/// Fix `path` (and the files it includes) in memory: apply fixes, re-lint, repeat until no
/// fix applies. Nothing is written here.
pub fn fix_path(
    path: &Path,
    opts: &Options,
    select: &dyn Fn(&Rule) -> bool,
    allow_unsafe: bool,
) -> Result<FixOutcome, FixError> {
    let src = crate::semantics::include::read_source(path)?;
    fix_source(path, src, opts, select, allow_unsafe)
}

/// [`fix_path`] on in-memory bytes standing for the file `path` (`fix -`).
pub fn fix_source(
    path: &Path,
    src: Vec<u8>,
    opts: &Options,
    select: &dyn Fn(&Rule) -> bool,
    allow_unsafe: bool,
) -> Result<FixOutcome, FixError> {
    fix_source_settled(path, src, opts, select, &mut |_| {}, allow_unsafe)
}

/// [`fix_source`] where `settle` applies the settings of the file each finding is in (a
/// config's `overrides`) after every lint: a fix is applied only when it survives them, and
/// the findings left are the settled ones. `select` must run every rule some file selects.
pub fn fix_source_settled(
    path: &Path,
    src: Vec<u8>,
    opts: &Options,
    select: &dyn Fn(&Rule) -> bool,
    settle: &mut dyn FnMut(&mut Linted),
    allow_unsafe: bool,
) -> Result<FixOutcome, FixError> {
    let mut original = lint_source(path, src, opts, select);
    settle(&mut original);
    if original
        .diagnostics
        .iter()
        .any(|d| FIX_BLOCKING_RULES.contains(&d.rule.id))
    {
        return Err(FixError::Blocked);
    }
    let missing_includes: Vec<String> = original
        .diagnostics
        .iter()
        // Not an include this checker knows the deployment writes (Certbot's options, info):
        // `check` says the configuration was checked, and so must `fix` (held-out batch 372:
        // `check --diff` exited 2 with nothing to fix where `check` exited 0).
        .filter(|d| d.rule.id == "include-not-found" && d.severity > crate::rules::Severity::Info)
        .map(|d| d.message.to_string())
        .collect();
    // Current text of every file, by canonical path (the overlay key) and display path.
    let mut texts: HashMap<PathBuf, (PathBuf, Vec<u8>)> = HashMap::new();
    let key = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
    let mut applied_all = Vec::new();
    let mut current = None::<Linted>;
    for _round in 0..MAX_FIX_ROUNDS {
        let linted = current.as_ref().unwrap_or(&original);
        let patched = crate::fix::apply::apply(&linted.program, &linted.diagnostics, allow_unsafe);
        if patched.applied.is_empty() {
            let fixed = current.unwrap_or_else(|| {
                let mut l = lint_source(path, original.program.file(0).src.to_vec(), opts, select);
                settle(&mut l);
                l
            });
            let changes = original
                .program
                .files
                .iter()
                .filter_map(|f| {
                    let (_, after) = texts.get(&key(&f.path))?;
                    (after[..] != f.src[..]).then(|| FileChange {
                        path: f.path.clone(),
                        before: f.src.to_vec(),
                        after: after.clone(),
                    })
                })
                .collect();
            return Ok(FixOutcome {
                original,
                fixed,
                changes,
                applied: applied_all,
                missing_includes,
            });
        }
        let rules: Vec<&'static str> = patched.applied.iter().map(|a| a.rule).collect();
        for (file, text) in patched.texts {
            let p = linted.program.file(file).path.clone();
            texts.insert(key(&p), (p, text));
        }
        applied_all.extend(patched.applied);
        let main_key = key(path);
        let main_src = texts
            .get(&main_key)
            .map_or_else(|| original.program.file(0).src.to_vec(), |(_, t)| t.clone());
        let overlay: HashMap<PathBuf, Vec<u8>> = texts
            .iter()
            .map(|(k, (_, t))| (k.clone(), t.clone()))
            .collect();
        let mut relinted = lint_with_overlay(path, main_src.into(), opts, select, overlay);
        if relinted
            .diagnostics
            .iter()
            .any(|d| FIX_BLOCKING_RULES.contains(&d.rule.id))
        {
            return Err(FixError::BrokeSyntax { rules });
        }
        settle(&mut relinted);
        current = Some(relinted);
    }
    let rules = applied_all.iter().map(|a| a.rule).collect();
    Err(FixError::NotConverged { rules })
}
