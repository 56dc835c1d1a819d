//! The include graph: every file of a configuration, parsed once, linked at its include sites.
//!
//! Resolution follows nginx (`ngx_conf_include`): a relative path is joined to the directory of
//! the main configuration file (nginx's conf prefix), not to the including file; a pattern with
//! `*`, `?` or `[` is a glob expanded in sorted order and may match nothing; a plain path that
//! cannot be opened is an error. nginx recurses into include cycles until it crashes; we detect
//! them and report the chain.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::syntax::{self, Directive, LineIndex, Span, SyntaxFile};

use super::context::Context;

/// Index of a file in [`Program::files`]. The main file is 0.
pub type FileId = u32;

/// Files larger than this are refused (spans are `u32`; nothing real comes close).
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

#[derive(Debug)]
pub struct SourceFile {
    /// The path as it should be shown: the main file as given, included files as
    /// `dirname(main)/pattern` (the same strings crossplane prints).
    pub path: PathBuf,
    pub src: crate::io::Source,
    pub syntax: SyntaxFile,
    /// Built on first use ([`SourceFile::lines`]): only reports and the few messages that
    /// name a line ask. A large file's is built beside the model (`lint::lines_beside`), so
    /// its index (4 bytes per line) is held through the rules; a small file's waits for the
    /// first ask.
    lines: std::sync::OnceLock<LineIndex>,
    /// Found on first use ([`SourceFile::indent_unit`]): a pass over the whole file.
    indent_unit: std::sync::OnceLock<String>,
    /// A template's tags and skipped branches, where the file was read past them
    /// ([`syntax::parse_reading_templates`]): `syntax` is the tree of its masked copy, whose
    /// spans are the same as the original's. Empty for a file read as written.
    pub template_ranges: Vec<syntax::Span>,
    /// The template's conditional blocks (`{% if %}` ... `{% endif %}`).
    pub template_conditionals: Vec<syntax::Span>,
    /// That masked copy, where directive names are read ([`SourceFile::model_src`]).
    template_text: Option<Box<[u8]>>,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {}: {source}", crate::report::escape_path(path))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{} is too large (the limit is {MAX_FILE_SIZE} bytes)",
        crate::report::escape_path(path)
    )]
    TooLarge { path: PathBuf },
    #[error("{} is a directory", crate::report::escape_path(path))]
    IsDirectory { path: PathBuf },
    /// A FIFO, socket or device: never read (it could block forever or never end).
    #[error(
        "{} is not a regular file (a {kind}); only regular files are read",
        crate::report::escape_path(path)
    )]
    NotRegular { path: PathBuf, kind: &'static str },
}

/// File name endings of templates nginx never reads as they are (the official image's
/// envsubst `*.template`, Jinja's `.j2`, ERB...).
const TEMPLATE_SUFFIXES: &[&str] = &[
    ".template",
    ".tmpl",
    ".tpl",
    ".gtpl",
    ".j2",
    ".jinja",
    ".jinja2",
    ".erb",
];

/// A template's file name without its template ending (`ollama-webui.j2` → `ollama-webui`,
/// `app.conf.template` → `app.conf`); `None` for a file that is not a template's.
pub fn template_stem(name: &str) -> Option<&str> {
    TEMPLATE_SUFFIXES.iter().find_map(|s| {
        let cut = name.len().checked_sub(s.len())?;
        (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(s)).then(|| &name[..cut])
    })
}

/// A problem with one `include` directive.
#[derive(Debug)]
pub struct IncludeError {
    /// The file holding the `include`.
    pub file: FileId,
    /// The include's argument (or the whole directive when it has none).
    pub span: Span,
    pub kind: IncludeErrorKind,
}

#[derive(Debug)]
pub enum IncludeErrorKind {
    /// A plain path (no glob characters) that does not exist. `pattern`, here and in
    /// `Unreadable`, is the include's argument as nginx reads it (quotes removed, escapes
    /// applied).
    NotFound { path: PathBuf, pattern: Vec<u8> },
    /// Exists but could not be read.
    Unreadable {
        path: PathBuf,
        pattern: Vec<u8>,
        error: String,
    },
    /// Including this file would include itself again: the chain of files, first = last.
    Cycle { chain: Vec<FileId> },
    /// Include sites reach the same files over and over (a DAG of globs that match each other):
    /// expanding every site would visit `size` directives. Each (file, context) is then
    /// expanded once. Reported at the main file's first include.
    Expansion { size: u64 },
}

/// Directive visits a full include expansion may make beyond 4 × the directives of all files
/// before files are expanded once per context instead of once per include site
/// ([`Program::expand_once`]). Real configurations stay far below (a 5-line snippet included
/// in 1,000 locations adds 5,000 visits).
pub const MAX_EXPANSION: u64 = 100_000;

impl IncludeError {
    /// Rule id of the diagnostic.
    pub fn rule(&self) -> &'static str {
        match self.kind {
            IncludeErrorKind::NotFound { .. } => "include-not-found",
            IncludeErrorKind::Unreadable { .. } => "include-not-found",
            IncludeErrorKind::Cycle { .. } | IncludeErrorKind::Expansion { .. } => "include-cycle",
        }
    }

    /// The message, in nginx's words where nginx has some.
    pub fn message(&self, program: &Program) -> String {
        match &self.kind {
            IncludeErrorKind::NotFound { path, .. } => format!(
                "open() \"{}\" failed (2: No such file or directory)",
                crate::report::escape_path(path)
            ),
            IncludeErrorKind::Unreadable { path, error, .. } => {
                format!(
                    "open() \"{}\" failed ({error})",
                    crate::report::escape_path(path)
                )
            }
            IncludeErrorKind::Cycle { chain } => {
                let names: Vec<String> = chain
                    .iter()
                    .map(|&f| crate::report::escape_path(&program.file(f).path))
                    .collect();
                format!("include cycle: {}", names.join(" -> "))
            }
            IncludeErrorKind::Expansion { size } => format!(
                "includes reach the same files over and over: expanding every include would \
                 visit {size} directives; each file is checked once per context instead"
            ),
        }
    }
}

/// A configuration with all its included files.
#[derive(Debug, Default)]
pub struct Program {
    pub files: Vec<SourceFile>,
    /// (file, include directive span start) → included files, in nginx's order.
    includes: HashMap<(FileId, u32), Vec<FileId>>,
    pub include_errors: Vec<IncludeError>,
    /// The context the main file's top level is in.
    pub root_context: Context,
    /// The prefix relative includes resolved against ([`LoadOptions::prefix`]); `None`: the
    /// main file's own directory, the default.
    pub prefix: Option<ConfPrefix>,
    /// Walks expand each (file, context) once instead of at every include site: set when a
    /// full expansion would exceed [`MAX_EXPANSION`] (see [`IncludeErrorKind::Expansion`]).
    pub expand_once: bool,
    /// Absolute glob includes that matched no file on this machine, with no `path_map` for
    /// them: (file, argument span, pattern). nginx accepts them; where the checkout keeps the
    /// files they name, nothing of them was checked (`include-not-found` says so).
    pub empty_globs: Vec<(FileId, Span, Vec<u8>)>,
    /// Absolute includes under `/etc/nginx/` this machine does not have, read from the
    /// project's copy instead ([`project_copy`]): (including file, the path nginx opens, the
    /// file read).
    pub project_copies: Vec<(FileId, PathBuf, PathBuf)>,
    /// How many directives a walk of the program visits (each include site expanded, or each
    /// (file, context) once with `expand_once`), 0 if not counted: the model sizes its node
    /// list with it instead of growing it by doubling (up to half of it unused).
    pub(crate) walk_size: usize,
}

/// Is `main` an `nginx.conf`, or in a directory holding one? Its own directory is then the
/// conf prefix nginx would use; for any other fragment (`conf.d/app.conf`, a documentation
/// snippet) the default prefix, its own directory, is a guess.
pub fn beside_nginx_conf(main: &Path) -> bool {
    main.file_name().is_some_and(|n| n == "nginx.conf")
        || main
            .parent()
            .is_some_and(|d| d.join("nginx.conf").is_file())
}

/// nginx's conf prefix, the directory relative includes resolve against, and how it was
/// decided: the include rule trusts a prefix the user gave more than one ngxlint guessed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfPrefix {
    /// `--conf-prefix` (or `conf_prefix:`): where nginx looks.
    Given(PathBuf),
    /// The nearest directory above a fragment that holds an `nginx.conf`.
    NginxConfAbove(PathBuf),
    /// No `nginx.conf` above: the parent of the directory nginx's packages include fragments
    /// from (`sites-available/`, `conf.d/`...), where they keep `nginx.conf`. A guess.
    IncludeDirectoryParent(PathBuf),
}

impl ConfPrefix {
    pub fn dir(&self) -> &Path {
        match self {
            ConfPrefix::Given(d)
            | ConfPrefix::NginxConfAbove(d)
            | ConfPrefix::IncludeDirectoryParent(d) => d,
        }
    }
}

/// How to load a program.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Do not follow includes.
    pub single_file: bool,
    /// Context of the main file's top level.
    pub root_context: Context,
    /// Directory relative includes resolve against (nginx's conf prefix); default: the main
    /// file's directory, as for `nginx -c FILE`.
    pub prefix: Option<ConfPrefix>,
    /// Contents to use instead of the disk for these files (keyed by canonical path): the
    /// fixer re-lints patched text without writing it, and an `nginx -T` dump is a whole file
    /// set held in memory. These files exist for `include`, globs included.
    pub overlay: HashMap<PathBuf, Vec<u8>>,
    /// Where the files of the server's directories are on this machine (`--path-map`,
    /// `path_map:`): an include resolving under a mapping's `from` is read under its `to`.
    pub path_map: Vec<PathMapping>,
    /// Read every file as nginx reads it, template tags and all (`parse`: a syntax tool says
    /// what nginx says); otherwise a template that nginx's tokenizer stops in is read past
    /// its tags ([`syntax::parse_reading_templates`]).
    pub as_written: bool,
}

/// A directory of the machine nginx runs on (`from`, absolute) and where its files are here
/// (`to`): a configuration kept in a repository says `include /etc/nginx/mime.types;`, and
/// the CI runner that checks it has the file in the checkout, or no `/etc/nginx` at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathMapping {
    pub from: PathBuf,
    pub to: PathBuf,
}

/// `path` read where the mapping with the longest `from` above it says (component by
/// component: `/etc/nginx` maps `/etc/nginx/x` and not `/etc/nginx2/x`); `None` when no
/// mapping applies.
pub fn map_path(path: &Path, map: &[PathMapping]) -> Option<PathBuf> {
    let m = map
        .iter()
        .filter(|m| path.starts_with(&m.from))
        .max_by_key(|m| m.from.components().count())?;
    let rest = path.strip_prefix(&m.from).ok()?;
    Some(if rest.as_os_str().is_empty() {
        m.to.clone()
    } else {
        m.to.join(rest)
    })
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            single_file: false,
            root_context: Context::Main,
            prefix: None,
            overlay: HashMap::new(),
            path_map: Vec::new(),
            as_written: false,
        }
    }
}

/// Read a file for parsing: only regular files (a FIFO would block, `/dev/zero` never ends),
/// at most [`MAX_FILE_SIZE`] bytes, the cap checked while reading.
pub fn read_source(path: &Path) -> Result<Vec<u8>, ReadError> {
    crate::io::read_regular(path, MAX_FILE_SIZE).map_err(|e| read_error(path, e))
}

/// [`read_source`] for a file only read from: a large one is mapped instead of read
/// ([`crate::io::map_regular`]).
pub fn map_source(path: &Path) -> Result<crate::io::Source, ReadError> {
    crate::io::map_regular(path, MAX_FILE_SIZE).map_err(|e| read_error(path, e))
}

fn read_error(path: &Path, e: crate::io::InputError) -> ReadError {
    use crate::io::InputError;
    match e {
        InputError::Io(source) => ReadError::Io {
            path: path.to_owned(),
            source,
        },
        InputError::NotRegular { kind: "directory" } => ReadError::IsDirectory {
            path: path.to_owned(),
        },
        InputError::NotRegular { kind } => ReadError::NotRegular {
            path: path.to_owned(),
            kind,
        },
        InputError::TooLarge { .. } => ReadError::TooLarge {
            path: path.to_owned(),
        },
    }
}

impl SourceFile {
    /// Line questions about this file; the index is built the first time one is asked.
    pub fn lines(&self) -> syntax::Lines<'_> {
        syntax::Lines {
            index: self.lines.get_or_init(|| LineIndex::new(&self.src)),
            src: &self.src,
        }
    }

    /// The text the model reads names and values from: the file's own, or the masked copy of
    /// a template read past its tags (a value tag is a word of `_` there, a tag that renders
    /// lines an `include`), so that no rule reads a template's own syntax (`{{ $org }}`) as
    /// nginx's. Reports and fixes use `src`, the file's bytes.
    pub fn model_src(&self) -> &[u8] {
        self.template_text.as_deref().unwrap_or(&self.src)
    }

    /// The file's indentation unit ([`crate::fix::style::indent_unit`]), found once: a fix
    /// indenting a line asked for each finding, a pass over the whole file each time (20,000
    /// findings in a 2 MB file: 38 s).
    pub fn indent_unit(&self) -> &str {
        self.indent_unit
            .get_or_init(|| crate::fix::style::indent_unit(&self.src))
    }

    /// The file as nginx reads it.
    pub fn new(path: PathBuf, src: impl Into<crate::io::Source>) -> Self {
        Self::read(path, src.into(), true)
    }

    /// The file, read past its template tags where nginx's tokenizer stops in them.
    pub fn reading_templates(path: PathBuf, src: impl Into<crate::io::Source>) -> Self {
        Self::read(path, src.into(), false)
    }

    fn read(path: PathBuf, src: crate::io::Source, as_written: bool) -> Self {
        let (syntax, masked) = if as_written {
            (syntax::parse(&src), None)
        } else {
            let named = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(crate::template::is_template_name);
            syntax::parse_reading_templates(&src, named)
        };
        let (template_ranges, template_conditionals, template_text) = match masked {
            Some(m) => (m.ranges, m.conditionals, Some(m.text.into_boxed_slice())),
            None => (Vec::new(), Vec::new(), None),
        };
        SourceFile {
            path,
            src,
            syntax,
            template_ranges,
            template_conditionals,
            template_text,
            lines: std::sync::OnceLock::new(),
            indent_unit: std::sync::OnceLock::new(),
        }
    }
}

impl Program {
    /// Load `main` and, unless `single_file`, every file it includes (breadth first, in the
    /// order crossplane numbers them). Fails only if `main` itself cannot be read.
    pub fn load(main: &Path, opts: &LoadOptions) -> Result<Program, ReadError> {
        let src = read_source(main)?;
        Ok(Self::from_source(main.to_owned(), src, opts))
    }

    /// Build from the main file's bytes (stdin, tests); includes are still read from disk.
    pub fn from_source(
        main: PathBuf,
        src: impl Into<crate::io::Source>,
        opts: &LoadOptions,
    ) -> Program {
        let prefix = opts
            .prefix
            .as_ref()
            .map(|p| p.dir().to_owned())
            .unwrap_or_else(|| main.parent().map(Path::to_path_buf).unwrap_or_default());
        let mut program = Program {
            root_context: opts.root_context,
            prefix: opts.prefix.clone(),
            ..Program::default()
        };
        let mut ids: HashMap<PathBuf, FileId> = HashMap::new();
        ids.insert(identity(&main), 0);
        let file_of = |path: PathBuf, src: crate::io::Source| {
            if opts.as_written {
                SourceFile::new(path, src)
            } else {
                SourceFile::reading_templates(path, src)
            }
        };
        program.files.push(file_of(main, src.into()));
        if opts.single_file {
            program.walk_size =
                usize::try_from(directive_count(&program.files[0])).unwrap_or(usize::MAX);
            return program;
        }
        // Where the checked files' layout says nginx's conf prefix is (nginx.conf's directory,
        // or the guess for a fragment in an include directory), not given by the user nor the
        // default: a fragment's own directory.
        let layout_prefix = match &opts.prefix {
            Some(ConfPrefix::Given(_)) => false,
            Some(_) => true,
            None => beside_nginx_conf(&program.files[0].path),
        };
        let mut next = 0usize;
        // Directives of each file, counted by the same walk that finds its include sites.
        let mut own: Vec<u64> = Vec::new();
        while next < program.files.len() {
            let id = next as FileId;
            next += 1;
            let (sites, count) = include_sites_and_count(&program.files[id as usize]);
            own.push(count);
            for (span_start, arg_span, pattern) in sites {
                // A template's tag that renders lines, read as an include
                // (`syntax::template`): no file to look for, and no error; the rules see an
                // include that was not read.
                // (Such an include's argument is inside the tag's range: the check meets both it
                // and a real include whose argument is a tag, `include {{ snippet }};`.)
                if program.files[id as usize]
                    .template_ranges
                    .iter()
                    .any(|r| r.start < arg_span.end && arg_span.start < r.end)
                {
                    program.includes.insert((id, span_start), Vec::new());
                    continue;
                }
                // An include in a template's conditional block (`{{ if exists
                // "/etc/nginx/proxy.conf" }}`, `{% if h5bp_enabled %}`) is read if found; not
                // found, it is an include that was not read, and no error: whether it renders
                // depends on the values (held-out batch 331, nginx-proxy's templates).
                let guarded = program.files[id as usize]
                    .template_conditionals
                    .iter()
                    .any(|r| r.contains(span_start));
                let mut targets = Vec::new();
                for mut resolved in resolve(&prefix, &pattern, &opts.overlay, &opts.path_map) {
                    if let Resolved::Missing(missing) = &resolved
                        && map_path(missing, &opts.path_map).is_none()
                        && let Some(copy) = layout_prefix
                            .then(|| project_copy(&prefix, missing))
                            .flatten()
                            .or_else(|| role_files_copy(&prefix, missing))
                    {
                        let said = (id, missing.clone(), copy.clone());
                        if !program.project_copies.contains(&said) {
                            program.project_copies.push(said);
                        }
                        resolved = Resolved::File(copy);
                    }
                    match resolved {
                        Resolved::File(path) => {
                            let key = identity(&path);
                            if let Some(&existing) = ids.get(&key) {
                                targets.push(existing);
                                continue;
                            }
                            let read = match opts.overlay.get(&key) {
                                Some(text) => Ok(text.clone()),
                                None => read_source(&path),
                            };
                            match read {
                                Ok(src) => {
                                    let new_id = program.files.len() as FileId;
                                    ids.insert(key, new_id);
                                    program.files.push(file_of(path, src.into()));
                                    targets.push(new_id);
                                }
                                Err(e) => program.include_errors.push(IncludeError {
                                    file: id,
                                    span: arg_span,
                                    kind: IncludeErrorKind::Unreadable {
                                        path,
                                        pattern: pattern.clone(),
                                        error: io_reason(&e),
                                    },
                                }),
                            }
                        }
                        Resolved::Missing(_) if guarded => {}
                        Resolved::Missing(path) => program.include_errors.push(IncludeError {
                            file: id,
                            span: arg_span,
                            kind: IncludeErrorKind::NotFound {
                                path,
                                pattern: pattern.clone(),
                            },
                        }),
                        Resolved::Error(path, source) => {
                            let e = ReadError::Io {
                                path: path.clone(),
                                source,
                            };
                            program.include_errors.push(IncludeError {
                                file: id,
                                span: arg_span,
                                kind: IncludeErrorKind::Unreadable {
                                    path,
                                    pattern: pattern.clone(),
                                    error: io_reason(&e),
                                },
                            });
                        }
                    }
                }
                if targets.is_empty()
                    && !guarded
                    && pattern.starts_with(b"/")
                    && pattern.iter().any(|b| matches!(b, b'*' | b'?' | b'['))
                    && map_path(&bytes_to_path(&pattern), &opts.path_map).is_none()
                {
                    program.empty_globs.push((id, arg_span, pattern.clone()));
                }
                program.includes.insert((id, span_start), targets);
            }
        }
        program.find_cycles();
        let (size, own) = program.expanded_size(&own);
        program.walk_size = usize::try_from(size).unwrap_or(usize::MAX);
        if size > own.saturating_mul(4).saturating_add(MAX_EXPANSION) {
            program.expand_once = true;
            // Each (file, context) once: at most a few contexts per file.
            program.walk_size = usize::try_from(own).unwrap_or(usize::MAX);
            let first = include_sites(&program.files[0]).first().map(|s| s.1);
            program.include_errors.push(IncludeError {
                file: 0,
                span: first.unwrap_or(Span::empty(0)),
                kind: IncludeErrorKind::Expansion { size },
            });
        }
        program
    }

    /// Directives a walk following every include site would visit (saturating: a memoised
    /// sum over the include graph, which is acyclic once [`Self::find_cycles`] cut it), and
    /// the directives of all files counted once.
    fn expanded_size(&self, own: &[u64]) -> (u64, u64) {
        let n = self.files.len();
        let mut edges: Vec<Vec<FileId>> = vec![Vec::new(); n];
        for (&(file, _), targets) in &self.includes {
            edges[file as usize].extend_from_slice(targets);
        }
        let mut size: Vec<Option<u64>> = vec![None; n];
        let mut stack: Vec<(FileId, usize)> = vec![(0, 0)];
        while let Some(&mut (file, ref mut next)) = stack.last_mut() {
            if let Some(&t) = edges[file as usize].get(*next) {
                *next += 1;
                if size[t as usize].is_none() && !stack.iter().any(|&(f, _)| f == t) {
                    stack.push((t, 0));
                }
                continue;
            }
            let total = edges[file as usize]
                .iter()
                .map(|&t| size[t as usize].unwrap_or(0))
                .fold(own[file as usize], u64::saturating_add);
            size[file as usize] = Some(total);
            stack.pop();
        }
        (size[0].unwrap_or(0), own.iter().sum())
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id as usize]
    }

    /// Files included by the `include` directive `d` of file `file` (empty if it is not an
    /// include, matched nothing, or would close a cycle).
    pub fn included(&self, file: FileId, d: &Directive) -> &[FileId] {
        // Asked for every directive of every walk: most programs include nothing.
        if self.includes.is_empty() {
            return &[];
        }
        self.includes
            .get(&(file, d.span().start))
            .map_or(&[], Vec::as_slice)
    }

    /// Depth-first search from the main file; an edge to a file on the current path closes a
    /// cycle: report it at that include and drop the edge so walks terminate. Each edge is
    /// visited once, so each cycle-closing include is reported once.
    fn find_cycles(&mut self) {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            OnPath,
            Done,
        }
        // Include edges per file, in source order: (include site, target).
        let mut edges: Vec<Vec<((FileId, u32), FileId)>> = vec![Vec::new(); self.files.len()];
        for (&site, targets) in &self.includes {
            for &t in targets {
                edges[site.0 as usize].push((site, t));
            }
        }
        for e in &mut edges {
            e.sort_by_key(|(site, _)| site.1);
        }
        let mut marks = vec![Mark::New; self.files.len()];
        // Explicit stack of (file, next edge index): deep chains cannot overflow the call stack.
        let mut stack: Vec<(FileId, usize)> = vec![(0, 0)];
        marks[0] = Mark::OnPath;
        let mut cut = Vec::new();
        while let Some(&mut (file, ref mut next)) = stack.last_mut() {
            let Some(&(site, target)) = edges[file as usize].get(*next) else {
                marks[file as usize] = Mark::Done;
                stack.pop();
                continue;
            };
            *next += 1;
            match marks[target as usize] {
                Mark::Done => {}
                Mark::New => {
                    marks[target as usize] = Mark::OnPath;
                    stack.push((target, 0));
                }
                Mark::OnPath => {
                    let from = stack.iter().position(|&(f, _)| f == target).unwrap_or(0);
                    let mut chain: Vec<FileId> = stack[from..].iter().map(|&(f, _)| f).collect();
                    chain.push(target);
                    let span = include_arg_span(&self.files[site.0 as usize], site.1);
                    self.include_errors.push(IncludeError {
                        file: site.0,
                        span,
                        kind: IncludeErrorKind::Cycle { chain },
                    });
                    cut.push((site, target));
                }
            }
        }
        for (site, target) in cut {
            if let Some(ts) = self.includes.get_mut(&site) {
                ts.retain(|&t| t != target);
            }
        }
    }
}

enum Resolved {
    File(PathBuf),
    Missing(PathBuf),
    /// Exists (or may) but cannot be looked at: EACCES on a directory above it, a symlink
    /// loop (ELOOP). Reported with the real reason, not as "No such file".
    Error(PathBuf, std::io::Error),
}

/// The project's copy of a file nginx's packages keep under their conf prefix (`/etc/nginx/`)
/// that this machine does not have: where the checked files' layout puts that prefix
/// (`prefix`: nginx.conf's directory, or the guess for a fragment), so
/// `nginx/conf.d/gateway.conf`'s `include /etc/nginx/conf.d/security_headers.conf;` reads
/// `nginx/conf.d/security_headers.conf` (held-out batch 237: the image mounts that directory
/// there). Not a file of the name elsewhere, even beside the including file: which directory
/// the container puts there is not known. Plain paths only, not globs.
fn project_copy(prefix: &Path, missing: &Path) -> Option<PathBuf> {
    let rest = missing.strip_prefix("/etc/nginx").ok()?;
    let text = rest.to_string_lossy();
    if text.is_empty() || text.contains(['*', '?', '[']) {
        return None;
    }
    let copy = prefix.join(rest);
    (copy.as_path() != missing && copy.is_file()).then_some(copy)
}

/// The copy an Ansible role ships of a file its template includes: a main file in
/// `roles/<role>/templates/` (rendered into nginx's conf prefix) whose include, relative or
/// under `/etc/nginx/`, names a file the role keeps in `roles/<role>/files/` (copied there
/// too; held-out batch 263, `include fastcgi_cache;` of `roles/nginx/templates/nginx.conf.j2`
/// beside the role's `files/fastcgi_cache`). A guess from the layout, as [`project_copy`]'s.
fn role_files_copy(prefix: &Path, missing: &Path) -> Option<PathBuf> {
    if prefix.file_name()? != "templates" {
        return None;
    }
    let role = prefix.parent()?;
    if role.parent()?.file_name()? != "roles" {
        return None;
    }
    let rest = missing
        .strip_prefix("/etc/nginx")
        .or_else(|_| missing.strip_prefix(prefix))
        .ok()?;
    let text = rest.to_string_lossy();
    if text.is_empty() || text.contains(['*', '?', '[']) {
        return None;
    }
    let copy = role.join("files").join(rest);
    copy.is_file().then_some(copy)
}

/// nginx: `strpbrk(name, "*?[")` decides between a glob and a plain file. Files in `overlay`
/// exist too (an `nginx -T` dump's files need not exist on this machine); other paths are
/// looked for where `path_map` puts them.
fn resolve(
    prefix: &Path,
    pattern: &[u8],
    overlay: &HashMap<PathBuf, Vec<u8>>,
    path_map: &[PathMapping],
) -> Vec<Resolved> {
    let pattern = bytes_to_path(pattern);
    let mut full = if pattern.is_absolute() {
        pattern
    } else {
        prefix.join(pattern)
    };
    if !overlay.contains_key(&full)
        && let Some(mapped) = map_path(&full, path_map)
    {
        full = mapped;
    }
    let text = full.to_string_lossy();
    if !text.contains(['*', '?', '[']) {
        if overlay.contains_key(&full) {
            return vec![Resolved::File(full)];
        }
        return vec![match std::fs::metadata(&full) {
            // A directory or other non-file too: reading it fails and says why.
            Ok(_) => Resolved::File(full),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Resolved::Missing(full),
            Err(e) => Resolved::Error(full, e),
        }];
    }
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        // glob(3) without GLOB_PERIOD: `*` does not match a leading dot.
        require_literal_leading_dot: true,
    };
    let in_overlay = glob::Pattern::new(&text).map_or_else(
        |_| Vec::new(),
        |p| {
            overlay
                .keys()
                .filter(|k| p.matches_path_with(k, options))
                .cloned()
                .collect::<Vec<_>>()
        },
    );
    match glob::glob_with(&text, options) {
        Ok(paths) => {
            let mut v: Vec<PathBuf> = paths.filter_map(Result::ok).collect();
            for k in in_overlay {
                if !v.contains(&k) {
                    v.push(k);
                }
            }
            // glob(3) sorts the full paths with strcmp (nginx runs in the C locale); `Path`'s
            // own order compares component by component, which differs across directories:
            // `app.v2/x.conf` < `app/x.conf` as bytes (`.` < `/`), not as components.
            v.sort_by(|a, b| {
                a.as_os_str()
                    .as_encoded_bytes()
                    .cmp(b.as_os_str().as_encoded_bytes())
            });
            v.into_iter().map(Resolved::File).collect()
        }
        Err(_) => Vec::new(),
    }
}

/// `(directive start, argument span, pattern bytes)` of every `include` with one argument, in
/// source order, at any depth (`include` is valid inside `map` and `types` too).
fn include_sites(file: &SourceFile) -> Vec<(u32, Span, Vec<u8>)> {
    include_sites_and_count(file).0
}

/// [`include_sites`], and the number of directives of the file (one walk for both).
fn include_sites_and_count(file: &SourceFile) -> (Vec<(u32, Span, Vec<u8>)>, u64) {
    // The parser counted them: a file without an `include` needs no walk.
    if let Some(census) = file.syntax.census
        && census.includes == 0
    {
        return (Vec::new(), census.directives);
    }
    let mut out = Vec::new();
    let mut count = 0u64;
    file.syntax.walk(|d, _| {
        count += 1;
        // A name written plainly is its own value: compared as written, without the value's
        // look-up (this runs for every directive of every file).
        let names = file.model_src();
        let named_include = match d.name_token() {
            Some(t) if t.kind() == syntax::TokenKind::Word && t.verbatim() => {
                t.text(names) == b"include"
            }
            _ => d.is(names, "include"),
        };
        if named_include
            && matches!(d.end(), syntax::End::Semicolon(_))
            && let [arg] = d.arg_tokens().collect::<Vec<_>>()[..]
        {
            let value = syntax::value::token_value(&file.src, arg).into_owned();
            out.push((d.span().start, arg.span(), value));
        }
    });
    (out, count)
}

/// Directives in `file` at every depth, as the parser counted them (or a walk counts them).
fn directive_count(file: &SourceFile) -> u64 {
    if let Some(census) = file.syntax.census {
        return census.directives;
    }
    let mut count = 0;
    file.syntax.walk(|_, _| count += 1);
    count
}

fn include_arg_span(file: &SourceFile, directive_start: u32) -> Span {
    let mut span = Span::empty(directive_start);
    file.syntax.walk(|d, _| {
        if d.span().start == directive_start {
            span = d.arg_tokens().next().map_or(d.head_span(), |t| t.span());
        }
    });
    span
}

/// The identity of a file for "already loaded": its canonical path when it exists.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

fn io_reason(e: &ReadError) -> String {
    match e {
        ReadError::Io { source, .. } => {
            let code = source.raw_os_error().unwrap_or(0);
            format!("{code}: {}", strip_os_suffix(&source.to_string()))
        }
        ReadError::TooLarge { .. } => format!("file too large: more than {MAX_FILE_SIZE} bytes"),
        ReadError::IsDirectory { .. } => "21: Is a directory".to_owned(),
        ReadError::NotRegular { kind, .. } => {
            format!("not a regular file (a {kind}); only regular files are read")
        }
    }
}

use crate::io::strip_os_suffix;

#[cfg(unix)]
fn bytes_to_path(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn bytes_to_path(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::{PathMapping, map_path};
    use std::path::{Path, PathBuf};

    fn mapping(from: &str, to: &str) -> PathMapping {
        PathMapping {
            from: PathBuf::from(from),
            to: PathBuf::from(to),
        }
    }

    #[test]
    fn a_path_is_mapped_by_the_longest_directory_above_it() {
        let map = [
            mapping("/etc/nginx", "deploy/nginx"),
            mapping("/etc/nginx/snippets", "shared/snippets"),
        ];
        let at = |p: &str| map_path(Path::new(p), &map);
        assert_eq!(
            at("/etc/nginx/mime.types"),
            Some(PathBuf::from("deploy/nginx/mime.types"))
        );
        assert_eq!(
            at("/etc/nginx/snippets/ssl.conf"),
            Some(PathBuf::from("shared/snippets/ssl.conf"))
        );
        assert_eq!(
            at("/etc/nginx/conf.d/*.conf"),
            Some(PathBuf::from("deploy/nginx/conf.d/*.conf"))
        );
        assert_eq!(at("/etc/nginx"), Some(PathBuf::from("deploy/nginx")));
        // Whole components only.
        assert_eq!(at("/etc/nginx2/mime.types"), None);
        assert_eq!(at("/usr/share/nginx/mime.types"), None);
        assert_eq!(map_path(Path::new("/etc/nginx/x"), &[]), None);
    }
}
