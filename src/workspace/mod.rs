//! The layer between the command line and the lint pipeline: inputs → roots → settings per
//! file → lint (and fix) results.
//!
//! The CLI parses flags into the plain [`Target`] and [`CheckOptions`] structs here, calls
//! [`Workspace`] and prints what comes back. Nothing in this module knows about clap or
//! terminals, so an editor server (or a test) can drive it the same way.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::config::{self, Config, ConfigError};
use crate::lint::{self, Linted, Options};
use crate::report::{Finding, Summary};
use crate::rules::{Diagnostic, Rule, Severity, is_selector};
use crate::semantics::context::Context;
use crate::semantics::include::{ConfPrefix, ReadError};
use crate::semantics::model::DEFAULT_VERSION;
use crate::semantics::streaming::Mode;

pub mod baseline;
pub mod dump;
pub mod image;
pub mod mounts;
mod paths;
pub mod suppress;

/// What to lint against, as given on the command line (or by another front end). `None` means
/// "from the config file, else the default".
#[derive(Clone, Debug, Default)]
pub struct Target {
    /// A release or `auto` (ask the nginx binary).
    pub nginx_version: Option<crate::nginx_binary::VersionArg>,
    /// The nginx executable `auto` asks (default: `nginx` on PATH).
    pub nginx_binary: Option<PathBuf>,
    /// Read `nginx -V`: directives of modules not built in are unknown.
    pub modules_auto: bool,
    /// Context of a fragment's top level.
    pub context: Option<Context>,
    /// Where relative includes resolve (nginx's conf prefix).
    pub conf_prefix: Option<PathBuf>,
    /// `--path-map`: tried before the config file's `path_map`.
    pub path_map: Vec<crate::semantics::include::PathMapping>,
    pub streaming: Option<Mode>,
    /// This config file instead of the nearest `.ngxlint.yml`.
    pub config: Option<PathBuf>,
    /// Ignore every `.ngxlint.yml`.
    pub no_config: bool,
    /// `--select` (replaces the config's `select` when not empty).
    pub select: Vec<String>,
    /// `--ignore` (adds to the config's `ignore`).
    pub ignore: Vec<String>,
    /// Read every input as an `nginx -T` dump (without it, dumps are recognised by their
    /// `# configuration file PATH:` lines).
    pub nginx_dump: bool,
    /// The run shows each finding's place, severity, rule and message only
    /// ([`crate::lint::Options::brief`]).
    pub brief: bool,
}

/// Everything needed to lint one root, after the config file and the flags are combined
/// (flags win).
pub struct Resolved {
    pub options: Options,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
    /// The target came from the project's container files ([`image`]), not from a flag, a
    /// config file or the default: the CLI says so.
    pub version_from: Option<image::ImageVersion>,
    /// Container paths read from the project's files, as its container files mount or copy
    /// them ([`mounts`]); `-v` says so.
    pub mounts_from: Vec<mounts::Mount>,
}

impl Resolved {
    pub fn selects(&self, rule: &Rule) -> bool {
        crate::rules::is_selected(rule, self.select.as_deref(), &self.ignore)
    }
}

/// Every `--select`/`--ignore` entry must name a rule, a category, `default` or `all`; the
/// error is the message for the user.
pub fn check_selectors(select: &[String], ignore: &[String]) -> Result<(), String> {
    match select.iter().chain(ignore).find(|id| !is_selector(id)) {
        Some(id) => Err(format!(
            "unknown rule id or category `{id}` (see `ngxlint rules`; categories: \
             streaming, correctness, security, hardening, style; also `default`, `all`)"
        )),
        None => Ok(()),
    }
}

/// One root to lint: a path, or stdin under a name.
pub enum Input {
    Path(PathBuf),
    Stdin(PathBuf),
}

impl Input {
    pub fn name(&self) -> &Path {
        match self {
            Input::Path(p) | Input::Stdin(p) => p,
        }
    }
}

/// A run's settings source: the target plus every config file loaded so far (each once).
pub struct Workspace {
    pub target: Target,
    loaded: HashMap<PathBuf, Config>,
    /// Settings by the file a finding is in, by canonical path.
    per_file: HashMap<PathBuf, FileSettings>,
    /// The version container files name, by canonical directory of a root.
    images: HashMap<PathBuf, Option<image::ImageVersion>>,
    /// The mounts and copies container files name, by canonical directory of a root.
    mounts: HashMap<PathBuf, Vec<mounts::Mount>>,
    /// The config file governing each path asked about, as given: a file's settings, its
    /// root's, its variants and its exclusion each ask.
    governing: HashMap<PathBuf, Option<PathBuf>>,
    /// The config file governing each directory walked through (by canonical path), shared
    /// by the files of one tree ([`Config::discover_remembering`]).
    discovered: HashMap<PathBuf, Option<PathBuf>>,
    /// Canonical paths, each directory resolved once.
    paths: paths::CanonicalPaths,
    /// The container files of each directory listed.
    listed: image::Listings,
    /// The directory holding an `nginx.conf` above each canonical directory asked
    /// ([`fragment_prefix`]).
    conf_above: HashMap<PathBuf, Option<PathBuf>>,
}

/// What applies to the findings in one file (its config's top level and matching overrides,
/// then the flags): which rules, their severities, the failure threshold.
#[derive(Clone, Debug)]
pub struct FileSettings {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub severities: BTreeMap<String, Severity>,
    pub fail_on: Option<Severity>,
}

impl FileSettings {
    pub fn selects(&self, rule: &Rule) -> bool {
        crate::rules::is_selected(rule, self.select.as_deref(), &self.ignore)
    }
}

impl Workspace {
    pub fn new(target: Target) -> Self {
        Workspace {
            target,
            loaded: HashMap::new(),
            per_file: HashMap::new(),
            images: HashMap::new(),
            mounts: HashMap::new(),
            governing: HashMap::new(),
            discovered: HashMap::new(),
            paths: paths::CanonicalPaths::default(),
            listed: image::Listings::default(),
            conf_above: HashMap::new(),
        }
    }

    /// The settings for findings in `file` (cached): from the config governing it, else (a
    /// file outside every config's tree, such as `/etc/nginx/...` in an `nginx -T` dump) from
    /// the config of the `root` it was reached from. A config that cannot be loaded here was
    /// reported when the roots were resolved; the file then gets the flags alone.
    pub fn file_settings(&mut self, file: &Path, root: &Path) -> FileSettings {
        let key = self.paths.of(file);
        if let Some(s) = self.per_file.get(&key) {
            return s.clone();
        }
        let eff = match self.config_for(file) {
            Ok(Some(c)) => c.effective_for(file),
            Ok(None) => match self.config_for(root) {
                Ok(Some(c)) => c.effective_for(file),
                _ => config::Effective::default(),
            },
            Err(_) => config::Effective::default(),
        };
        let s = self.with_flags(eff);
        self.per_file.insert(key, s.clone());
        s
    }

    /// The flags' `select` (replaces) and `ignore` (adds) on top of a config's settings.
    fn with_flags(&self, eff: config::Effective) -> FileSettings {
        let mut ignore = eff.ignore;
        ignore.extend(self.target.ignore.iter().cloned());
        FileSettings {
            select: if self.target.select.is_empty() {
                eff.select
            } else {
                Some(self.target.select.clone())
            },
            ignore,
            severities: eff.severities,
            fail_on: eff.fail_on,
        }
    }

    /// Every settings variant the files under `root`'s config can get (see
    /// [`Config::variants`]), with the flags on top.
    pub fn variants(&mut self, root: &Path) -> Vec<FileSettings> {
        let variants = match self.config_for(root) {
            Ok(Some(c)) => c.variants(),
            _ => return Vec::new(),
        };
        variants.into_iter().map(|e| self.with_flags(e)).collect()
    }

    /// The config file that governs `path` (loaded once), if any.
    fn config_for(&mut self, path: &Path) -> Result<Option<&Config>, Box<ConfigError>> {
        if self.target.no_config {
            return Ok(None);
        }
        let p = match &self.target.config {
            Some(given) => Some(given.clone()),
            None => match self.governing.get(path) {
                Some(known) => known.clone(),
                None => {
                    let start = self.paths.of(path);
                    let found = Config::discover_remembering(&start, &mut self.discovered);
                    self.governing.insert(path.to_path_buf(), found.clone());
                    found
                }
            },
        };
        let Some(p) = p else {
            return Ok(None);
        };
        if !self.loaded.contains_key(&p) {
            let c = Config::load(&p)?;
            self.loaded.insert(p.clone(), c);
        }
        Ok(self.loaded.get(&p))
    }

    /// Options for linting `root`, from its config file (unless `no_config`) and the target's
    /// flags, without the flags' `select`/`ignore`.
    pub fn resolve_config(&mut self, root: &Path) -> Result<Resolved, Box<ConfigError>> {
        let (eff, mut path_map) = match self.config_for(root)? {
            Some(c) => (c.effective_for(root), c.path_map()),
            None => (config::Effective::default(), Vec::new()),
        };
        let t = &self.target;
        // After the config's: on the same directory the flag wins (the last longest match).
        path_map.extend(t.path_map.iter().cloned());
        // Where the project's container files put its files, for the paths neither maps;
        // first, so that an explicit mapping of the same path wins. With `--no-config` too:
        // it drops settings (`.ngxlint.yml`, the version an image names), not where the
        // project keeps the files nginx reads (held-out batch 285: four includes a Compose
        // file mounts reported missing, exit 2).
        let mounts_from = mounts::not_covered(&self.container_mounts(root), &path_map);
        let path_map: Vec<_> = mounts_from
            .iter()
            .map(|m| m.mapping.clone())
            .chain(path_map)
            .collect();
        let t = &self.target;
        let given = t.nginx_version.or_else(|| {
            let v = eff.nginx_version.as_deref()?;
            crate::nginx_binary::VersionArg::parse(v).ok()
        });
        // No version given: the one the project's container files run, if they name one.
        // With `--no-config` too: like the files an image copies, the nginx it runs is a fact
        // of the deployment, not a setting (held-out batches 437 and 438: `listen ... http2`
        // reported as deprecated in projects pinning `nginx:1.17-alpine` and `nginx:1.19`,
        // whose nginx refuses the suggested `http2 on;`).
        let from_image = if given.is_none() && !t.modules_auto {
            self.image_version(root)
        } else {
            None
        };
        let t = &self.target;
        let target = crate::nginx_binary::resolve(
            given.or_else(|| {
                from_image
                    .as_ref()
                    .map(|f| crate::nginx_binary::VersionArg::Fixed(f.version))
            }),
            DEFAULT_VERSION,
            t.nginx_binary.as_deref(),
            t.modules_auto,
        )
        .map_err(|e| Box::new(ConfigError::plain(e.to_string())))?;
        let version = target.version;
        let mut settings = crate::rules::Settings::default();
        settings.streaming.mode = t
            .streaming
            .unwrap_or_else(|| eff.streaming_mode.unwrap_or_default());
        settings.streaming.locations = eff.streaming_locations;
        settings.streaming.upstreams = eff.streaming_upstreams;
        if let Some(m) = eff.read_timeout_min_secs {
            settings.read_timeout_min_secs = m;
        }
        settings.severities = eff.severities;
        settings.known_directives = eff.known_directives;
        settings.nginx_build = target.build;
        settings.version_assumed =
            given.is_none() && from_image.is_none() && t.nginx_binary.is_none();
        settings.linux_because = match (&from_image, &settings.nginx_build) {
            (Some(image), _) => Some(format!(
                "the container image `{}` ({}:{}) runs Linux",
                image.image,
                crate::report::display_path(&image.file),
                image.line
            )),
            (None, Some(_)) if cfg!(target_os = "linux") => {
                Some("the nginx binary read here runs on Linux".to_owned())
            }
            _ => None,
        };
        Ok(Resolved {
            options: Options {
                version,
                context: t.context,
                prefix: t.conf_prefix.clone().map(ConfPrefix::Given).or_else(|| {
                    fragment_prefix_remembering(root, &mut self.paths, &mut self.conf_above)
                }),
                path_map,
                settings,
                brief: t.brief,
            },
            select: eff.select,
            ignore: eff.ignore,
            fail_on: eff.fail_on,
            version_from: from_image,
            mounts_from,
        })
    }

    /// [`mounts::find`] for the directory of `root`, asked once per directory.
    fn container_mounts(&mut self, root: &Path) -> Vec<mounts::Mount> {
        let Some(dir) = self.root_dir(root) else {
            return Vec::new();
        };
        self.mounts
            .entry(dir.clone())
            .or_insert_with(|| mounts::find(&dir, &mut self.listed))
            .clone()
    }

    /// The canonical directory of `root` (a file to lint), where its project's container
    /// files are looked for from.
    fn root_dir(&mut self, root: &Path) -> Option<PathBuf> {
        self.paths.dir_of(root)
    }

    /// [`image::find`] for the directory of `root`, asked once per directory.
    fn image_version(&mut self, root: &Path) -> Option<image::ImageVersion> {
        let dir = self.root_dir(root)?;
        self.images
            .entry(dir.clone())
            .or_insert_with(|| image::find(&dir, &mut self.listed))
            .clone()
    }

    /// [`Workspace::resolve_config`], then the target's `select`/`ignore` on top (flags win
    /// for `select`, add up for `ignore`).
    pub fn resolve(&mut self, root: &Path) -> Result<Resolved, Box<ConfigError>> {
        let mut resolved = self.resolve_config(root)?;
        if !self.target.select.is_empty() {
            resolved.select = Some(self.target.select.clone());
        }
        resolved.ignore.extend(self.target.ignore.iter().cloned());
        Ok(resolved)
    }

    /// Is `path` excluded by its config (for files found by walking a directory)?
    pub fn excluded(&mut self, path: &Path) -> bool {
        // A config that fails to load is reported when the root is resolved.
        matches!(self.config_for(path), Ok(Some(c)) if c.is_excluded(path))
    }

    /// Roots for the given paths: directories expanded (honouring `.gitignore` and
    /// `exclude`), `-` as stdin (named `stdin_name`), default `.`. A directory that cannot be
    /// read is an error, never skipped.
    pub fn inputs(
        &mut self,
        paths: &[PathBuf],
        stdin_name: Option<&Path>,
    ) -> Result<Vec<Input>, String> {
        let paths = if paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            paths.to_vec()
        };
        let mut out = Vec::new();
        for p in paths {
            if p.as_os_str() == "-" {
                out.push(Input::Stdin(
                    stdin_name.map_or_else(|| PathBuf::from("<stdin>"), Path::to_path_buf),
                ));
            } else if p.is_dir() {
                for root in crate::inputs::directory_roots(&p)? {
                    if !self.excluded(&root) {
                        out.push(Input::Path(root));
                    }
                }
            } else {
                out.push(Input::Path(p));
            }
        }
        Ok(out)
    }

    /// File roots only (for `fix`, which cannot write stdin back).
    pub fn paths(&mut self, paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
        Ok(self
            .inputs(paths, None)?
            .into_iter()
            .filter_map(|i| match i {
                Input::Path(p) => Some(p),
                Input::Stdin(_) => None,
            })
            .collect())
    }

    /// Resolve every input's settings (config errors stop the run before any linting).
    pub fn jobs(&mut self, inputs: Vec<Input>) -> Result<Vec<Job>, Box<ConfigError>> {
        inputs
            .into_iter()
            .map(|input| {
                let resolved = self.resolve(input.name())?;
                let variants = self.variants(input.name());
                Ok(Job {
                    input,
                    resolved,
                    variants,
                })
            })
            .collect()
    }

    /// Apply the settings of the file each finding is in: drop findings of rules that file's
    /// settings do not select, take its severities, and return each finding's `fail_on`.
    pub fn settle(
        &mut self,
        linted: &mut Linted,
        root: &Path,
        root_fail_on: Severity,
    ) -> Vec<Severity> {
        let settings: Vec<FileSettings> = linted
            .program
            .files
            .iter()
            .map(|f| self.file_settings(&f.path, root))
            .collect();
        linted.diagnostics.retain(|d| {
            // Syntax and include errors are always reported (they stop checking); Certbot's
            // missing options file, which does not, may be ignored like any finding.
            lint::blocks(d) || settings[d.primary.file as usize].selects(d.rule)
        });
        let mut thresholds = Vec::with_capacity(linted.diagnostics.len());
        for d in &mut linted.diagnostics {
            let s = &settings[d.primary.file as usize];
            if let Some(&sev) = s.severities.get(d.rule.id) {
                d.severity = sev;
            }
            thresholds.push(if d.primary.file == 0 {
                root_fail_on
            } else {
                s.fail_on.unwrap_or(root_fail_on)
            });
        }
        thresholds
    }
}

/// One root with its settings.
pub struct Job {
    pub input: Input,
    pub resolved: Resolved,
    /// The settings files under this root's config can get (rules to run at all).
    pub variants: Vec<FileSettings>,
}

impl Job {
    /// Run `rule` on this root: the root selects it, or some file's settings might.
    pub fn runs(&self, rule: &Rule) -> bool {
        self.resolved.selects(rule) || self.variants.iter().any(|v| v.selects(rule))
    }
}

/// The result of linting every job, each file reported once.
pub struct CheckRun {
    /// Programs linted, each with the `fail_on` of each of its findings (by the settings of
    /// the file it is in).
    pub linted: Vec<(Linted, Vec<Severity>)>,
    /// The files of each program of `linted`, by canonical path.
    pub files: Vec<Vec<PathBuf>>,
    /// Inputs that could not be read.
    pub errors: Vec<LintError>,
}

/// Why an input could not be linted.
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    #[error("{0}")]
    Read(#[from] ReadError),
    #[error(
        "{}: not an `nginx -T` dump (it should start with `# configuration file PATH:`)",
        .0.display()
    )]
    NotADump(PathBuf),
}

impl CheckRun {
    /// [`CheckRun::findings`] of the usual run, without a set of every finding: one root,
    /// whose files are all different files, its findings in the report's order (by file,
    /// position, rule and message). A finding can then only repeat one of the neighbours it
    /// sorts with, and is compared with those (on the 50 MB generated configuration the set
    /// took 17 ms). `None` for any other run.
    fn findings_of_one_root(
        &self,
        fail_on_flag: Option<Severity>,
    ) -> Option<(Vec<Finding<'_>>, Vec<Severity>)> {
        let ([(l, fail_ons)], [files]) = (self.linted.as_slice(), self.files.as_slice()) else {
            return None;
        };
        fn group(d: &Diagnostic) -> (u32, u32, &'static str, &str) {
            (
                d.primary.file,
                d.primary.span.start,
                d.rule.id,
                d.message.as_str(),
            )
        }
        // The order first: where it fails (suppression findings come last), the set path
        // canonicalizes every file's path, and this one need not have.
        if !l.diagnostics.is_sorted_by(|a, b| group(a) <= group(b)) {
            return None;
        }
        let mut canon: Vec<&PathBuf> = files.iter().collect();
        canon.sort_unstable();
        if canon.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        let mut findings = Vec::with_capacity(l.diagnostics.len());
        let mut thresholds = Vec::with_capacity(l.diagnostics.len());
        // The ends of the spans kept in the current group (findings equal but for the end).
        let mut ends: Vec<u32> = Vec::new();
        let mut last: Option<&Diagnostic> = None;
        for (d, fail_on) in l.diagnostics.iter().zip(fail_ons) {
            if last.is_none_or(|p| group(p) != group(d)) {
                ends.clear();
            }
            last = Some(d);
            if ends.contains(&d.primary.span.end) {
                continue;
            }
            ends.push(d.primary.span.end);
            thresholds.push(fail_on_flag.unwrap_or(*fail_on));
            findings.push(Finding {
                diagnostic: d,
                program: &l.program,
            });
        }
        Some((findings, thresholds))
    }

    /// Every finding once (a file reached from several roots is reported once), each with the
    /// severity from which it fails the run (`fail_on_flag` wins over the config's).
    pub fn findings(&self, fail_on_flag: Option<Severity>) -> (Vec<Finding<'_>>, Vec<Severity>) {
        if let Some(found) = self.findings_of_one_root(fail_on_flag) {
            return found;
        }
        self.findings_by_set(fail_on_flag)
    }

    /// [`CheckRun::findings`] of any run: every finding's key kept in a set.
    fn findings_by_set(&self, fail_on_flag: Option<Severity>) -> (Vec<Finding<'_>>, Vec<Severity>) {
        // Keys borrow the message and name the file by a number: no copy per finding.
        // Sized once: growing the set by doubling rehashed every key (5.5 M instructions of
        // 3,819 findings).
        let total: usize = self.linted.iter().map(|(l, _)| l.diagnostics.len()).sum();
        // foldhash: eight bytes per step where FNV took one (a key holds the message).
        let mut seen: foldhash::HashSet<_> =
            HashSet::with_capacity_and_hasher(total, Default::default());
        let mut path_ids: HashMap<&PathBuf, usize> = HashMap::new();
        let mut findings: Vec<Finding<'_>> = Vec::with_capacity(total);
        let mut thresholds = Vec::new();
        for ((l, fail_ons), files) in self.linted.iter().zip(&self.files) {
            // A number per file, not a path per finding.
            let canon: Vec<usize> = files
                .iter()
                .map(|f| {
                    let next = path_ids.len();
                    *path_ids.entry(f).or_insert(next)
                })
                .collect();
            for (d, fail_on) in l.diagnostics.iter().zip(fail_ons) {
                let key = SeenKey {
                    file: canon[d.primary.file as usize],
                    span: d.primary.span,
                    rule: d.rule.id,
                    message: d.message.as_str(),
                };
                if seen.insert(key) {
                    thresholds.push(fail_on_flag.unwrap_or(*fail_on));
                    findings.push(Finding {
                        diagnostic: d,
                        program: &l.program,
                    });
                }
            }
        }
        (findings, thresholds)
    }

    /// Every file's path as reports show it ([`crate::report::display_path`]).
    pub fn file_paths(&self) -> Vec<String> {
        self.linted
            .iter()
            .flat_map(|(l, _)| {
                l.program
                    .files
                    .iter()
                    .map(|f| crate::report::display_path(&f.path))
            })
            .collect()
    }
}

/// Lint every job (in parallel across roots when there are several), counting finished jobs
/// in `done` (for progress), and keep each file once: a root already reached through an
/// include of an earlier root is skipped.
pub fn check(
    ws: &mut Workspace,
    jobs: &[Job],
    stdin: Option<&[u8]>,
    done: &AtomicUsize,
) -> CheckRun {
    let results = lint_all(
        jobs,
        stdin,
        ws.target.nginx_dump,
        &ws.target.conf_prefix,
        done,
    );
    let mut run = CheckRun {
        linted: Vec::new(),
        files: Vec::new(),
        errors: Vec::new(),
    };
    // A root that another root includes is linted through that one only (whatever the order
    // the roots came in, e.g. file names from pre-commit): otherwise its findings would show
    // twice, once as a lone fragment and once in place. Larger programs are kept first, so an
    // including file wins over the files it includes.
    let mut order: Vec<usize> = (0..results.len()).collect();
    let size = |r: &Result<Linted, LintError>| r.as_ref().map_or(0, |l| l.program.files.len());
    order.sort_by_key(|&i| std::cmp::Reverse(size(&results[i])));
    let mut reached: HashSet<PathBuf> = HashSet::new();
    let mut keep = vec![true; results.len()];
    // Each program's files by canonical path: the findings' de-duplication reads them too.
    let mut files: Vec<Vec<PathBuf>> = vec![Vec::new(); results.len()];
    for &i in &order {
        if let Ok(l) = &results[i] {
            files[i] = l
                .program
                .files
                .iter()
                .map(|f| ws.paths.of(&f.path))
                .collect();
            if reached.contains(&files[i][0]) {
                keep[i] = false;
                continue;
            }
            reached.extend(files[i].iter().cloned());
        }
    }
    for ((job, result), (files, keep)) in jobs.iter().zip(results).zip(files.into_iter().zip(keep))
    {
        match result {
            Ok(_) if !keep => {}
            Ok(mut l) => {
                let fail_on = job.resolved.fail_on.unwrap_or(Severity::Warning);
                let thresholds = ws.settle(&mut l, job.input.name(), fail_on);
                run.linted.push((l, thresholds));
                run.files.push(files);
            }
            Err(e) => run.errors.push(e),
        }
    }
    run
}

/// Lint every job, results in input order.
fn lint_all(
    jobs: &[Job],
    stdin: Option<&[u8]>,
    force_dump: bool,
    explicit_prefix: &Option<PathBuf>,
    done: &AtomicUsize,
) -> Vec<Result<Linted, LintError>> {
    let run = |job: &Job| {
        let select = |r: &Rule| job.runs(r);
        let _count = Counted(done);
        let (name, src) = match &job.input {
            Input::Path(p) => match crate::semantics::include::map_source(p) {
                Ok(src) => (p, src),
                Err(e) => return Err(LintError::Read(e)),
            },
            Input::Stdin(name) => (name, stdin.unwrap_or_default().to_vec().into()),
        };
        if force_dump || dump::is_dump(&src) {
            let Some(files) = dump::parse(&src) else {
                return Err(LintError::NotADump(name.clone()));
            };
            let overlay = dump::overlay(&files);
            let main = &files[0];
            // The dump's own main file is the prefix (unless `--conf-prefix` says otherwise).
            let mut options = job.resolved.options.clone();
            options.prefix = explicit_prefix.clone().map(ConfPrefix::Given);
            return Ok(lint::lint_file_set(
                &main.path,
                main.src.clone(),
                &options,
                &select,
                overlay,
            ));
        }
        Ok(lint::lint_source(name, src, &job.resolved.options, &select))
    };
    let threads = crate::threads::available();
    if jobs.len() < 2 || threads < 2 {
        return jobs.iter().map(run).collect();
    }
    let chunk = jobs.len().div_ceil(threads);
    let mut chunks = jobs.chunks(chunk);
    let first = chunks.next().unwrap_or_default();
    std::thread::scope(|s| {
        // This thread lints the first chunk, helpers the others (each on a CPU of its own:
        // `threads::spawn_beside`); a chunk no thread could be had for, here too.
        let helpers: Vec<_> = chunks
            .map(|part| {
                (
                    part,
                    crate::threads::spawn_beside(s, move || {
                        part.iter().map(run).collect::<Vec<_>>()
                    }),
                )
            })
            .collect();
        let mut all: Vec<_> = first.iter().map(run).collect();
        for (part, helper) in helpers {
            match helper {
                Ok(h) => all.extend(h.join().expect("lint thread panicked")),
                Err(_) => all.extend(part.iter().map(run)),
            }
        }
        all
    })
}

/// Counts a finished job when dropped (also when linting a file returns early).
struct Counted<'a>(&'a AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// Findings per rule, most frequent first: `(rule id, findings, with a fix)`.
pub fn statistics(findings: &[Finding<'_>]) -> Vec<(&'static str, usize, usize)> {
    let mut counts: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    for f in findings {
        let e = counts.entry(f.diagnostic.rule.id).or_default();
        e.0 += 1;
        if f.diagnostic.fix.is_some() {
            e.1 += 1;
        }
    }
    let mut rows: Vec<_> = counts.into_iter().map(|(id, (n, f))| (id, n, f)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    rows
}

/// The summary line of the text report; fixes are counted as `ngxlint fix` applies them
/// (safe) and as only `--unsafe-fixes` does.
pub fn summary_line(s: &Summary, findings: &[Finding<'_>]) -> String {
    if s.errors + s.warnings + s.infos == 0 {
        return format!("No problems found in {} file(s).\n", s.files);
    }
    let safe = findings
        .iter()
        .filter(|f| {
            f.diagnostic
                .fix
                .as_ref()
                .is_some_and(|x| x.applicability == crate::fix::Applicability::Safe)
        })
        .count();
    let unsafe_ = s.fixable.saturating_sub(safe);
    let fixes = match (safe, unsafe_) {
        (0, 0) => String::new(),
        (s, 0) => format!("; {s} fixable with `ngxlint fix`"),
        (0, u) => format!("; {u} fixable with `ngxlint fix --unsafe-fixes`"),
        (s, u) => format!("; {s} fixable with `ngxlint fix`, {u} more with `--unsafe-fixes`"),
    };
    format!(
        "Found {} error(s), {} warning(s), {} info in {} file(s){fixes}.\n",
        s.errors, s.warnings, s.infos, s.files,
    )
}

/// Where a fragment's relative includes resolve when no `--conf-prefix` is given: nginx
/// resolves them against the directory of the main `nginx.conf` that includes the fragment, so
/// take the nearest directory above the fragment's own that holds an `nginx.conf`; without
/// one, a fragment in a directory nginx's packages include fragments from (`sites-available/`,
/// `conf.d/`) is read from that directory's parent, where they keep `nginx.conf` (`None`: its
/// own directory, the default). A file named `nginx.conf`, or one next to an `nginx.conf`,
/// keeps its own directory.
pub fn fragment_prefix(root: &Path) -> Option<ConfPrefix> {
    fragment_prefix_remembering(
        root,
        &mut paths::CanonicalPaths::default(),
        &mut HashMap::new(),
    )
}

/// [`fragment_prefix`], with the run's canonical paths and the directory holding an
/// `nginx.conf` above each canonical directory asked (`conf_above`): the fragments of one
/// directory share one walk up.
fn fragment_prefix_remembering(
    root: &Path,
    paths: &mut paths::CanonicalPaths,
    conf_above: &mut HashMap<PathBuf, Option<PathBuf>>,
) -> Option<ConfPrefix> {
    if !root.is_file() || crate::semantics::include::beside_nginx_conf(root) {
        return None;
    }
    let abs = paths.dir_of(root)?;
    let above = conf_above
        .entry(abs.clone())
        .or_insert_with(|| {
            abs.ancestors()
                .skip(1)
                .find(|d| d.join("nginx.conf").is_file())
                .map(Path::to_path_buf)
        })
        .clone();
    if let Some(found) = above {
        return Some(ConfPrefix::NginxConfAbove(found));
    }
    let name = abs.file_name()?.to_str()?;
    FRAGMENT_DIRECTORIES
        .contains(&name)
        .then(|| {
            abs.parent()
                .map(|p| ConfPrefix::IncludeDirectoryParent(p.to_path_buf()))
        })
        .flatten()
}

/// Directories whose files the `nginx.conf` one level up includes, as nginx's packages lay
/// them out: Debian and Ubuntu (`sites-available`, `sites-enabled`, `conf.d`, `snippets`),
/// Alpine (`http.d`), RHEL and Fedora (`conf.d`, `default.d`), Homebrew (`servers`), and the
/// `vhosts`/`vhosts.d` many deployments add.
const FRAGMENT_DIRECTORIES: &[&str] = &[
    "sites-available",
    "sites-enabled",
    "conf.d",
    "snippets",
    "http.d",
    "default.d",
    "servers",
    "vhosts",
    "vhosts.d",
    "stream.d",
];

pub fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned())
}

/// A finding's identity for de-duplication across programs: file, span, rule and message,
/// hashed without the message. The other three almost always tell two findings apart, and
/// hashing every message cost more than the rest of the de-duplication (issue #13); equal
/// keys still hash alike, and equality compares the message.
#[derive(PartialEq, Eq)]
struct SeenKey<'a> {
    file: usize,
    span: crate::syntax::Span,
    rule: &'static str,
    message: &'a str,
}

impl std::hash::Hash for SeenKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.file.hash(state);
        self.span.hash(state);
        self.rule.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lints `src` as one root of a run.
    fn run_of(src: &str) -> CheckRun {
        let l = crate::lint::lint_source(
            Path::new("t/nginx.conf"),
            src.as_bytes().to_vec(),
            &crate::lint::Options::default(),
            &|r| r.default,
        );
        let fail_ons = vec![Severity::Warning; l.diagnostics.len()];
        let files = l.program.files.iter().map(|f| canonical(&f.path)).collect();
        CheckRun {
            linted: vec![(l, fail_ons)],
            files: vec![files],
            errors: Vec::new(),
        }
    }

    fn same(a: &(Vec<Finding<'_>>, Vec<Severity>), b: &(Vec<Finding<'_>>, Vec<Severity>)) -> bool {
        a.1 == b.1
            && a.0.len() == b.0.len()
            && a.0
                .iter()
                .zip(&b.0)
                .all(|(x, y)| std::ptr::eq(x.diagnostic, y.diagnostic))
    }

    /// One root's findings without the set are the findings with it: on a configuration with
    /// findings of several rules, with every finding doubled (the copy dropped), and with a
    /// copy whose span ends elsewhere (kept); a run whose findings are out of order, or with
    /// two roots, takes the set.
    #[test]
    fn one_root_without_the_set_finds_what_the_set_finds() {
        let src = "http {\n    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    server {\n        listen 8080;\n        location /v1/chat/completions { proxy_pass http://127.0.0.1:8000; proxy_set_header Host $host; proxy_read_timeout 5s; }\n        location /ws { proxy_pass http://127.0.0.1:8001; proxy_set_header Upgrade $http_upgrade; }\n    }\n}\n";
        let mut run = run_of(src);
        assert!(run.linted[0].0.diagnostics.len() >= 3);
        let fast = run.findings_of_one_root(None).expect("one sorted root");
        assert!(same(&fast, &run.findings_by_set(None)));
        assert_eq!(fast.0.len(), run.linted[0].0.diagnostics.len());

        // Every finding twice, and one copy ending a byte later.
        let (l, fail_ons) = &mut run.linted[0];
        let mut doubled = Vec::new();
        for d in &l.diagnostics {
            doubled.push(d.clone());
            doubled.push(d.clone());
        }
        let mut other_end = l.diagnostics[0].clone();
        other_end.primary.span.end += 1;
        doubled.insert(2, other_end);
        l.diagnostics = doubled;
        *fail_ons = vec![Severity::Warning; l.diagnostics.len()];
        let n = l.diagnostics.len();
        let fast = run
            .findings_of_one_root(Some(Severity::Error))
            .expect("sorted");
        assert!(same(&fast, &run.findings_by_set(Some(Severity::Error))));
        assert_eq!(fast.0.len(), (n - 1) / 2 + 1);

        // Out of order: the set.
        run.linted[0].0.diagnostics.reverse();
        assert!(run.findings_of_one_root(None).is_none());
        // Two roots: the set.
        let mut two = run_of(src);
        let mut other = run_of(src);
        two.linted.push(other.linted.pop().unwrap());
        two.files.push(other.files.pop().unwrap());
        assert!(two.findings_of_one_root(None).is_none());
        assert_eq!(
            two.findings(None).0.len(),
            two.linted[0].0.diagnostics.len()
        );
    }
}
