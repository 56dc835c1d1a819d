//! Rendering: one module per output format. Every format reads the same [`Finding`]s.

pub mod checkstyle;
pub mod concise;
pub mod crossplane;
pub mod github;
mod in_order;
pub mod json;
pub mod json_text;
pub mod junit;
mod pretty;
pub mod sarif;
mod snippet;
pub mod text;
pub mod tree_dump;

use crate::rules::Diagnostic;

/// Bytes a streaming report gathers before handing them to its writer (the formats that write
/// as they go: concise, JSON, text).
pub const WRITE_CHUNK: usize = 64 * 1024;
use crate::semantics::{Program, SourceFile};
use crate::syntax::LineCol;

/// A value worked out once per file that findings name (their own, their labels' and their
/// edits'), for reports that would otherwise work it out per location: a path made relative
/// to the working directory and escaped is an eighth of a JSON report's instructions
/// (issue #13). Files are told apart by program and number: several roots, several programs.
pub(crate) struct PerFile<T>(foldhash::HashMap<(usize, u32), T>);

impl<T> PerFile<T> {
    pub(crate) fn of(findings: &[Finding<'_>], make: impl Fn(&std::path::Path) -> T) -> Self {
        let mut map = foldhash::HashMap::default();
        for f in findings {
            let d = f.diagnostic;
            let files = std::iter::once(d.primary.file)
                .chain(d.secondary.iter().map(|l| l.file))
                .chain(d.fix.iter().flat_map(|x| x.edits.iter().map(|e| e.file)));
            for file in files {
                map.entry(Self::key(f, file))
                    .or_insert_with(|| make(&f.program.file(file).path));
            }
        }
        PerFile(map)
    }

    /// The value of file `file` of `f`'s program.
    pub(crate) fn get(&self, f: &Finding<'_>, file: u32) -> &T {
        &self.0[&Self::key(f, file)]
    }

    fn key(f: &Finding<'_>, file: u32) -> (usize, u32) {
        (std::ptr::from_ref(f.program) as usize, file)
    }
}

/// A diagnostic together with the program it was found in (for paths, lines and snippets).
pub struct Finding<'a> {
    pub diagnostic: &'a Diagnostic,
    pub program: &'a Program,
}

impl Finding<'_> {
    pub fn file(&self) -> &SourceFile {
        self.program.file(self.diagnostic.primary.file)
    }

    /// 1-based start and end positions of the primary span (columns in characters).
    pub fn range(&self) -> (LineCol, LineCol) {
        let f = self.file();
        let s = self.diagnostic.primary.span;
        (f.lines().line_col(s.start), f.lines().line_col(s.end))
    }

    /// The file's path as reports show it: relative to the working directory when it is inside
    /// it, else as given.
    pub fn path(&self) -> String {
        display_path(&self.file().path)
    }
}

/// `path` relative to the working directory when it is an absolute path inside it (CI systems
/// map report paths onto the checkout), else unchanged.
pub fn display_path(path: &std::path::Path) -> String {
    escape_path(&relative_to_cwd(path))
}

/// [`display_path`] as a path.
pub fn relative_to_cwd(path: &std::path::Path) -> std::path::PathBuf {
    static CWD: std::sync::OnceLock<Vec<std::path::PathBuf>> = std::sync::OnceLock::new();
    if !path.is_absolute() {
        return path.to_owned();
    }
    let cwds = CWD.get_or_init(|| {
        let Ok(cwd) = std::env::current_dir() else {
            return Vec::new();
        };
        let canon = std::fs::canonicalize(&cwd).unwrap_or_else(|_| cwd.clone());
        if canon == cwd {
            vec![cwd]
        } else {
            vec![cwd, canon]
        }
    });
    for cwd in cwds {
        if let Ok(rest) = path.strip_prefix(cwd)
            && !rest.as_os_str().is_empty()
        {
            return rest.to_owned();
        }
    }
    path.to_owned()
}

/// A fingerprint per finding that survives lines moving (SARIF `partialFingerprints`,
/// baselines): rule id, file, the text under the primary span and the text of its line,
/// whitespace-collapsed, plus an occurrence number among findings with the same key. Hex of a
/// 64-bit FNV-1a hash (stable across builds and platforms, unlike std's hasher).
pub fn fingerprints(findings: &[Finding<'_>]) -> Vec<String> {
    let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    findings
        .iter()
        .map(|f| {
            let key = fingerprint_key(f);
            let n = seen.entry(key).or_default();
            *n += 1;
            format!("{:016x}:{}", key, *n)
        })
        .collect()
}

fn fingerprint_key(f: &Finding<'_>) -> u64 {
    let file = f.file();
    let span = f.diagnostic.primary.span;
    let src = &file.src;
    let (start, end) = (span.start as usize, (span.end as usize).min(src.len()));
    let line_start = src[..start.min(src.len())]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = src[start.min(src.len())..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(src.len(), |i| start + i);
    let collapse = |b: &[u8]| -> Vec<u8> {
        b.split(u8::is_ascii_whitespace)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(&b' ')
    };
    let mut h = Fnv::default();
    h.write(f.diagnostic.rule.id.as_bytes());
    h.write(b"\0");
    h.write(f.path().replace('\\', "/").as_bytes());
    h.write(b"\0");
    h.write(&collapse(&src[start.min(end)..end]));
    h.write(b"\0");
    h.write(&collapse(&src[line_start..line_end]));
    h.0
}

/// 64-bit FNV-1a.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A path as every output shows it: UTF-8 text with control characters (ESC, newline, tab,
/// DEL, C1) escaped as `\n`, `\t`, `\x1b`, `\u{9b}`, and bytes that are not UTF-8 as `\xNN`,
/// so that a hostile file name can neither split a line-oriented finding in two nor drive the
/// terminal, and a non-UTF-8 name stays exact (no U+FFFD). Names without such characters are
/// shown unchanged. `--format json` keeps the exact name instead (see [`exact_path_bytes`]).
pub fn escape_path(p: &std::path::Path) -> String {
    let bytes = p.as_os_str().as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c.is_control() && (c as u32) < 0x80 => {
                    out.push_str(&format!("\\x{:02x}", c as u32));
                }
                c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// The raw bytes of a path that is not valid UTF-8 (JSON's `file_bytes`), `None` otherwise.
pub fn exact_path_bytes(p: &std::path::Path) -> Option<Vec<u8>> {
    let p = relative_to_cwd(p);
    let bytes = p.as_os_str().as_encoded_bytes();
    std::str::from_utf8(bytes).is_err().then(|| bytes.to_vec())
}

/// JSON's `file`: the exact name when it is UTF-8 (JSON escapes control characters itself),
/// else the escaped form, with the bytes in `file_bytes`.
/// Relative to the working directory when inside it, as every report shows paths.
pub fn json_path(p: &std::path::Path) -> String {
    let p = relative_to_cwd(p);
    match p.to_str() {
        Some(s) => s.to_owned(),
        None => escape_path(&p),
    }
}

/// Counts for summaries and exit codes.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
}

impl Summary {
    pub fn of(findings: &[Finding<'_>], files: usize) -> Summary {
        let mut s = Summary {
            files,
            ..Summary::default()
        };
        for f in findings {
            match f.diagnostic.severity {
                crate::rules::Severity::Error => s.errors += 1,
                crate::rules::Severity::Warning => s.warnings += 1,
                crate::rules::Severity::Info => s.infos += 1,
            }
            if f.diagnostic.fix.is_some() {
                s.fixable += 1;
            }
        }
        s
    }
}

/// For the reports' tests: every fixture linted with every rule, with the options and rule
/// selection used (for linting more sources alike).
#[cfg(test)]
fn every_fixture_linted() -> (
    Vec<crate::lint::Linted>,
    crate::lint::Options,
    impl Fn(&crate::rules::Rule) -> bool,
) {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let every_rule = |_: &crate::rules::Rule| true;
    let opts = crate::lint::Options::default();
    let mut linted = Vec::new();
    for e in walkdir::WalkDir::new(&fixtures).sort_by_file_name() {
        let e = e.expect("walk fixtures");
        if e.path().extension().is_some_and(|x| x == "conf") {
            linted.push(crate::lint::lint_source(
                e.path(),
                std::fs::read(e.path()).expect("read fixture"),
                &opts,
                &every_rule,
            ));
        }
    }
    (linted, opts, every_rule)
}
