//! `.ngxlint.yml`: project settings, found by walking up from each checked path.
//!
//! Parsed with serde-saphyr (serde_yaml is deprecated upstream). Unknown keys and bad values are
//! errors with file, line, column and a caret under the value.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::rules::{Severity, rule_by_id};
use crate::semantics::directives::Version;
use crate::semantics::streaming::Mode;

/// The JSON Schema of `.ngxlint.yml` (`schema/ngxlint.schema.json`, printed by
/// `ngxlint config --schema`) for editors that validate YAML against a schema.
pub const SCHEMA: &str = include_str!("../schema/ngxlint.schema.json");

/// File names looked for, in order.
/// `.ngxlint.yml` files larger than this are refused (read with the cap checked while reading).
const MAX_CONFIG_SIZE: u64 = 16 * 1024 * 1024;

pub const FILE_NAMES: &[&str] = &[".ngxlint.yml", ".ngxlint.yaml"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSettings {
    pub severity: Option<Spanned<String>>,
    /// `read-timeout-short`: the floor, an nginx time (`300s`, `10m`).
    pub min: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamingSettings {
    pub mode: Option<Spanned<String>>,
    pub locations: Option<Vec<String>>,
    pub upstreams: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub files: Vec<String>,
    pub nginx_version: Option<Spanned<String>>,
    pub select: Option<Vec<Spanned<String>>>,
    pub ignore: Option<Vec<Spanned<String>>>,
    pub fail_on: Option<Spanned<String>>,
    pub rules: Option<BTreeMap<String, Spanned<RuleSettings>>>,
    pub streaming: Option<StreamingSettings>,
    pub known_directives: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub nginx_version: Option<Spanned<String>>,
    pub select: Option<Vec<Spanned<String>>>,
    pub ignore: Option<Vec<Spanned<String>>>,
    pub fail_on: Option<Spanned<String>>,
    pub rules: Option<BTreeMap<String, Spanned<RuleSettings>>>,
    pub streaming: Option<StreamingSettings>,
    pub known_directives: Option<Vec<String>>,
    pub overrides: Option<Vec<Override>>,
    pub exclude: Option<Vec<String>>,
    /// Server directory (absolute) → where its files are, relative to this file's directory.
    pub path_map: Option<BTreeMap<String, Spanned<String>>>,
}

/// A configuration error, rendered by miette with a caret under the offending value.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(ngxlint::config))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: Option<SourceSpan>,
    #[help]
    pub help: Option<String>,
}

/// The effective settings for one file after the config file (and its overrides) applied.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Effective {
    #[serde(skip)]
    pub nginx_version: Option<String>,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
    pub severities: BTreeMap<String, Severity>,
    pub read_timeout_min_secs: Option<u64>,
    #[serde(skip)]
    pub streaming_mode: Option<Mode>,
    pub streaming_locations: Vec<String>,
    pub streaming_upstreams: Vec<String>,
    pub known_directives: Vec<String>,
}

/// A loaded, validated config file.
#[derive(Debug)]
pub struct Config {
    pub path: PathBuf,
    pub file: ConfigFile,
    pub exclude: Vec<glob::Pattern>,
}

impl ConfigError {
    /// An error with no source text to point into (e.g. the nginx binary could not be asked).
    pub fn plain(message: String) -> ConfigError {
        ConfigError {
            message,
            src: NamedSource::new("ngxlint", String::new()),
            span: None,
            help: None,
        }
    }
}

impl Config {
    /// The nearest config file at or above `start` (a file or a directory).
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let abs = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_owned());
        Config::discover_remembering(&abs, &mut HashMap::new())
    }

    /// [`Config::discover`] from `abs` (a canonical path), remembering the answer for each
    /// directory it walks through in `known` and reading it there first: the files of one
    /// tree share one walk up. A check of 801 files walked from each file to `/` several
    /// times, about 80 `stat`s and `readlink`s a file (issue #13).
    pub fn discover_remembering(
        abs: &Path,
        known: &mut HashMap<PathBuf, Option<PathBuf>>,
    ) -> Option<PathBuf> {
        let mut dir = if abs.is_dir() {
            Some(abs)
        } else {
            abs.parent()
        };
        let mut walked: Vec<&Path> = Vec::new();
        let mut found = None;
        while let Some(d) = dir {
            if let Some(answer) = known.get(d) {
                found = answer.clone();
                break;
            }
            walked.push(d);
            if let Some(p) = FILE_NAMES
                .iter()
                .map(|name| d.join(name))
                .find(|p| p.is_file())
            {
                found = Some(p);
                break;
            }
            dir = d.parent();
        }
        for d in walked {
            known.insert(d.to_path_buf(), found.clone());
        }
        found
    }

    pub fn load(path: &Path) -> Result<Config, Box<ConfigError>> {
        let text = crate::io::read_settings(path, MAX_CONFIG_SIZE)
            .map_err(std::io::Error::other)
            .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
            .map_err(|e| {
                Box::new(ConfigError {
                    message: format!("cannot read {}: {e}", path.display()),
                    src: NamedSource::new(path.display().to_string(), String::new()),
                    span: None,
                    help: None,
                })
            })?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config, Box<ConfigError>> {
        let err = |message: String, at: Option<serde_saphyr::Location>, help: Option<String>| {
            Box::new(ConfigError {
                message: format!("{}: {message}", path.display()),
                src: NamedSource::new(path.display().to_string(), text.to_owned()),
                span: at.map(|l| span_of(text, l)),
                help,
            })
        };
        let file: ConfigFile = if text.trim().is_empty() {
            ConfigFile::default()
        } else {
            serde_saphyr::from_str(text).map_err(|e| {
                let msg = e.to_string();
                let mut first = msg.lines().next().unwrap_or("invalid YAML");
                // "error: line 2 column 1: unknown field ..." → the part after the position.
                if let Some(rest) = first.strip_prefix("error: ")
                    && let Some(i) = rest.find(": ")
                    && rest.starts_with("line ")
                {
                    first = &rest[i + 2..];
                }
                let first = first.to_owned();
                err(first, e.location(), Some(KEYS_HELP.to_owned()))
            })?
        };
        let mut exclude = Vec::new();
        for g in file.exclude.iter().flatten() {
            exclude.push(
                glob::Pattern::new(g)
                    .map_err(|e| err(format!("bad glob `{g}` in exclude: {e}"), None, None))?,
            );
        }
        let config = Config {
            path: path.to_owned(),
            file,
            exclude,
        };
        // Validate every value now, so errors show before any linting.
        let f = &config.file;
        // Unknown rule ids used as keys under `rules:`: point at the key itself (saphyr's
        // location is the value's).
        let rule_maps = f.rules.iter().chain(
            f.overrides
                .iter()
                .flatten()
                .filter_map(|o| o.rules.as_ref()),
        );
        let unknown = rule_maps
            .flat_map(|rules| rules.keys())
            .find(|id| rule_by_id(id).is_none());
        if let Some(id) = unknown {
            let at = key_offset(text, id);
            return Err(Box::new(ConfigError {
                message: format!("{}: unknown rule id `{id}`", path.display()),
                src: NamedSource::new(path.display().to_string(), text.to_owned()),
                span: at.map(|o| SourceSpan::new(o.into(), id.len())),
                help: Some("see `ngxlint rules` for the list".to_owned()),
            }));
        }
        validate(&f.level(), &err)?;
        for (from, to) in f.path_map.iter().flatten() {
            let key_at = |message: String| {
                let at = key_offset(text, from);
                Box::new(ConfigError {
                    message: format!("{}: {message}", path.display()),
                    src: NamedSource::new(path.display().to_string(), text.to_owned()),
                    span: at.map(|o| SourceSpan::new(o.into(), from.len())),
                    help: Some(
                        "path_map maps a directory of the server, as nginx's includes name it, \
                         to where its files are here: `/etc/nginx: deploy/nginx`"
                            .to_owned(),
                    ),
                })
            };
            if !Path::new(from).is_absolute() {
                return Err(key_at(format!(
                    "path_map: `{from}` is not an absolute path"
                )));
            }
            if to.value.trim().is_empty() {
                return Err(err(
                    format!("path_map: `{from}` maps to an empty path"),
                    Some(to.referenced),
                    None,
                ));
            }
        }
        for o in f.overrides.iter().flatten() {
            for g in &o.files {
                glob::Pattern::new(g)
                    .map_err(|e| err(format!("bad glob `{g}` in overrides: {e}"), None, None))?;
            }
            validate(&o.level(), &err)?;
        }
        Ok(config)
    }

    /// `path_map`, each `to` taken from the config's directory when relative.
    pub fn path_map(&self) -> Vec<crate::semantics::include::PathMapping> {
        self.file
            .path_map
            .iter()
            .flatten()
            .map(|(from, to)| crate::semantics::include::PathMapping {
                from: PathBuf::from(from),
                to: self.root().join(&to.value),
            })
            .collect()
    }

    /// Directory the config's globs are relative to.
    pub fn root(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Is `path` excluded (for files found by walking directories)?
    pub fn is_excluded(&self, path: &Path) -> bool {
        let rel = relative_to(self.root(), path);
        self.exclude
            .iter()
            .any(|p| p.matches_path(&rel) || rel.ancestors().any(|a| p.matches_path(a)))
    }

    /// The settings for `file`: the top level, then every override whose `files` match.
    pub fn effective_for(&self, file: &Path) -> Effective {
        let f = &self.file;
        let mut e = Effective::default();
        apply(&mut e, &f.level());
        let rel = relative_to(self.root(), file);
        for o in f.overrides.iter().flatten() {
            let hit = o.files.iter().any(|g| {
                glob::Pattern::new(g).is_ok_and(|p| {
                    p.matches_path(&rel)
                        || rel
                            .file_name()
                            .is_some_and(|n| p.matches(&n.to_string_lossy()))
                })
            });
            if hit {
                apply(&mut e, &o.level());
            }
        }
        e
    }
}

impl Config {
    /// Every combination of settings a file under this config can get: the top level alone,
    /// and the top level with each override (for deciding which rules to run at all before
    /// filtering findings by the settings of the file they are in).
    pub fn variants(&self) -> Vec<Effective> {
        let f = &self.file;
        let mut base = Effective::default();
        apply(&mut base, &f.level());
        let mut out = vec![base.clone()];
        for o in f.overrides.iter().flatten() {
            let mut e = base.clone();
            apply(&mut e, &o.level());
            out.push(e);
        }
        out
    }
}

const KEYS_HELP: &str = "known keys: nginx_version, select, ignore, fail_on, rules, streaming \
    {mode, locations, upstreams}, known_directives, overrides [{files, ...}], exclude, path_map \
    (see `ngxlint init` for a commented example)";

type ErrFn<'a> =
    dyn Fn(String, Option<serde_saphyr::Location>, Option<String>) -> Box<ConfigError> + 'a;

/// The settings one level of the file sets: the top level, or one override. (Two structs, one
/// view: serde cannot combine `flatten` with `deny_unknown_fields`.)
#[derive(Clone, Copy)]
struct Level<'a> {
    nginx_version: Option<&'a Spanned<String>>,
    select: Option<&'a [Spanned<String>]>,
    ignore: Option<&'a [Spanned<String>]>,
    fail_on: Option<&'a Spanned<String>>,
    rules: Option<&'a BTreeMap<String, Spanned<RuleSettings>>>,
    streaming: Option<&'a StreamingSettings>,
    known_directives: Option<&'a [String]>,
}

impl ConfigFile {
    fn level(&self) -> Level<'_> {
        Level {
            nginx_version: self.nginx_version.as_ref(),
            select: self.select.as_deref(),
            ignore: self.ignore.as_deref(),
            fail_on: self.fail_on.as_ref(),
            rules: self.rules.as_ref(),
            streaming: self.streaming.as_ref(),
            known_directives: self.known_directives.as_deref(),
        }
    }
}

impl Override {
    fn level(&self) -> Level<'_> {
        Level {
            nginx_version: self.nginx_version.as_ref(),
            select: self.select.as_deref(),
            ignore: self.ignore.as_deref(),
            fail_on: self.fail_on.as_ref(),
            rules: self.rules.as_ref(),
            streaming: self.streaming.as_ref(),
            known_directives: self.known_directives.as_deref(),
        }
    }
}

fn validate(level: &Level<'_>, err: &ErrFn<'_>) -> Result<(), Box<ConfigError>> {
    let Level {
        nginx_version: version,
        select,
        ignore,
        fail_on,
        rules,
        streaming,
        known_directives: _,
    } = *level;
    if let Some(v) = version
        && Version::parse(&v.value).is_none()
        && v.value.trim() != "auto"
    {
        return Err(err(
            format!("`{}` is not an nginx version", v.value),
            Some(v.referenced),
            Some("write it as X.Y.Z, e.g. 1.24.0, or `auto` to ask the nginx on PATH".to_owned()),
        ));
    }
    for id in select
        .into_iter()
        .flatten()
        .chain(ignore.into_iter().flatten())
    {
        check_rule_id(&id.value, id.referenced, err)?;
    }
    if let Some(f) = fail_on
        && Severity::parse(&f.value).is_none()
    {
        return Err(err(
            format!("`{}` is not a severity", f.value),
            Some(f.referenced),
            Some("use error, warning or info".to_owned()),
        ));
    }
    // Unknown ids as `rules:` keys were reported (at the key) before validation.
    for (id, rs) in rules.into_iter().flatten() {
        if let Some(s) = &rs.value.severity
            && Severity::parse(&s.value).is_none()
        {
            return Err(err(
                format!("`{}` is not a severity", s.value),
                Some(s.referenced),
                Some("use error, warning or info".to_owned()),
            ));
        }
        if let Some(m) = &rs.value.min {
            if id != "read-timeout-short" {
                return Err(err(
                    format!("rule `{id}` has no option `min`"),
                    Some(m.referenced),
                    Some("`min` belongs to read-timeout-short".to_owned()),
                ));
            }
            if parse_seconds(&m.value).is_none() {
                return Err(err(
                    format!("`{}` is not an nginx time", m.value),
                    Some(m.referenced),
                    Some("e.g. 300s, 10m, 1h".to_owned()),
                ));
            }
        }
    }
    if let Some(m) = streaming.and_then(|s| s.mode.as_ref())
        && parse_mode(&m.value).is_none()
    {
        return Err(err(
            format!("`{}` is not a streaming mode", m.value),
            Some(m.referenced),
            Some("use auto, all or none".to_owned()),
        ));
    }
    Ok(())
}

fn check_rule_id(
    id: &str,
    at: serde_saphyr::Location,
    err: &ErrFn<'_>,
) -> Result<(), Box<ConfigError>> {
    if crate::rules::is_selector(id) {
        return Ok(());
    }
    Err(err(
        format!("unknown rule id or category `{id}`"),
        Some(at),
        Some(
            "see `ngxlint rules` for the ids; categories are streaming, correctness, security, \
             hardening, style; `default` is the default set, `all` every rule"
                .to_owned(),
        ),
    ))
}

fn apply(e: &mut Effective, level: &Level<'_>) {
    let Level {
        nginx_version: version,
        select,
        ignore,
        fail_on,
        rules,
        streaming,
        known_directives: known,
    } = *level;
    if let Some(v) = version {
        e.nginx_version = Some(v.value.clone());
    }
    if let Some(s) = select {
        e.select = Some(s.iter().map(|x| x.value.clone()).collect());
    }
    if let Some(s) = ignore {
        e.ignore.extend(s.iter().map(|x| x.value.clone()));
    }
    if let Some(f) = fail_on {
        e.fail_on = Severity::parse(&f.value);
    }
    for (id, rs) in rules.into_iter().flatten() {
        if let Some(sev) = rs
            .value
            .severity
            .as_ref()
            .and_then(|s| Severity::parse(&s.value))
        {
            e.severities.insert(id.clone(), sev);
        }
        if let Some(m) = rs.value.min.as_ref().and_then(|m| parse_seconds(&m.value)) {
            e.read_timeout_min_secs = Some(m);
        }
    }
    if let Some(st) = streaming {
        if let Some(m) = st.mode.as_ref().and_then(|m| parse_mode(&m.value)) {
            e.streaming_mode = Some(m);
        }
        if let Some(l) = &st.locations {
            e.streaming_locations = l.clone();
        }
        if let Some(u) = &st.upstreams {
            e.streaming_upstreams = u.clone();
        }
    }
    if let Some(k) = known {
        e.known_directives.extend(k.iter().cloned());
    }
}

pub fn parse_mode(s: &str) -> Option<Mode> {
    match s {
        "auto" => Some(Mode::Auto),
        "all" => Some(Mode::All),
        "none" => Some(Mode::None),
        _ => None,
    }
}

/// An nginx time (`300`, `300s`, `10m`, `1h 30m`) in whole seconds, as nginx reads it.
pub fn parse_seconds(s: &str) -> Option<u64> {
    crate::semantics::values::time_secs(s)
}

/// Offset of `key:` written as a mapping key (at the start of a line, after indentation).
fn key_offset(text: &str, key: &str) -> Option<usize> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let unquoted = trimmed.trim_start_matches(['"', '\'']);
        if unquoted.starts_with(key)
            && unquoted[key.len()..]
                .trim_start_matches(['"', '\''])
                .starts_with(':')
        {
            return Some(at + indent + (trimmed.len() - unquoted.len()));
        }
        at += line.len();
    }
    None
}

/// Byte span of a saphyr location (1-based line and character column) in `text`.
fn span_of(text: &str, l: serde_saphyr::Location) -> SourceSpan {
    let line = l.line().max(1) as usize;
    let col = l.column().max(1) as usize;
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let line_text = text[start.min(text.len())..].lines().next().unwrap_or("");
    let off: usize = line_text.chars().take(col - 1).map(char::len_utf8).sum();
    let at = start + off;
    let len = line_text[off.min(line_text.len())..]
        .split(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}')
        .next()
        .map_or(1, |w| w.len().max(1));
    SourceSpan::new(at.into(), len)
}

fn relative_to(root: &Path, path: &Path) -> PathBuf {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
    abs.strip_prefix(&root)
        .map_or(abs.clone(), Path::to_path_buf)
}

/// The commented starter file `ngxlint init` writes.
pub const STARTER: &str = r#"# ngxlint configuration (https://github.com/ngxlint/ngxlint)
# Found by walking up from each checked file; `--config FILE` picks one, `--no-config` ignores it.
# Editors validate it with the JSON Schema `ngxlint config --schema` prints:
# yaml-language-server: $schema=https://github.com/ngxlint/ngxlint/raw/main/schema/ngxlint.schema.json

# The nginx version you run: defaults and known directives depend on it.
# Before 1.29.7 nginx talks HTTP/1.0 to upstreams by default and sends `Connection: close`.
nginx_version: "1.24.0"

# Lowest severity that fails the run (exit code 1): error, warning or info.
fail_on: warning

# Only these rules (omit to run all):
# select: [buffering-on-streaming, websocket-upgrade-missing]
# Skip these rules:
# ignore: [useless-timeout]

# Per-rule settings.
rules:
  read-timeout-short:
    min: 300s          # the floor for proxy_read_timeout in streaming locations
  # forwarded-proto-missing:
  #   severity: warning

# Which locations stream (SSE, token streams, WebSocket).
streaming:
  mode: auto           # auto | all | none
  locations: []        # extra path patterns, e.g. ["/llm/", "/chat"]
  upstreams: []        # extra upstream names or host:port, e.g. ["inference:9000"]

# Directives of third-party modules ngxlint should accept.
known_directives: []

# Settings for some files only.
overrides: []
#  - files: ["legacy/*.conf"]
#    nginx_version: "1.18.0"

# Files and directories to skip when walking directories.
exclude: []

# Where the server's directories are in this checkout, for absolute includes
# (`include /etc/nginx/snippets/ssl.conf;`): relative to this file's directory.
path_map: {}
#  /etc/nginx: deploy/nginx
"#;
