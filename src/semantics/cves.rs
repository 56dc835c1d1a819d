//! nginx CVEs a configuration can trigger, as data: which releases are affected, which fixed
//! them, the configuration the advisory names, and where it is published. The fixed releases
//! are those of nginx's own change log (`docs/xml/nginx/changes.xml`, "security" entries);
//! each row says where its lower bound comes from.

use super::directives::Version;
use super::model::{Model, NodeId};

/// The configuration shape an advisory names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// A `rewrite` without a flag or implicit redirect whose replacement has a `?`, followed in
    /// the same script (before a `break`/`return`) by a `set`, `if` value or `rewrite`
    /// evaluating an unnamed capture (`$1`...).
    RewriteQuestionMarkThenScript,
    /// A string expression using an unnamed capture before a variable of a `map` with regex
    /// keys (the map's match replaces the captures between nginx's two passes).
    CaptureBeforeRegexMap,
    /// `ssi on` where a proxied response is not buffered (`proxy_buffering off`).
    SsiUnbufferedProxy,
    /// A `rewrite` whose replacement has no variables, references two nested captures (`$1$2`
    /// with `^/((.*))$`) each once, and escapes them (a redirect, or after its `?`).
    RewriteOverlappingCaptures,
}

#[derive(Clone, Copy, Debug)]
pub struct Cve {
    pub id: &'static str,
    pub summary: &'static str,
    /// Affected releases: `[from, to)` ranges.
    pub affected: &'static [(Version, Version)],
    /// Where the lower bound of `affected` comes from.
    pub affected_source: &'static str,
    /// The first fixed release of each branch.
    pub fixed: &'static [Version],
    pub trigger: Trigger,
    /// The advisory (nginx's list; the NVD record has the CNA's text).
    pub advisory: &'static str,
}

const ADVISORIES: &str = "https://nginx.org/en/security_advisories.html";

pub static CVES: &[Cve] = &[
    Cve {
        id: "CVE-2026-42945",
        summary: "heap buffer overflow in ngx_http_rewrite_module (\"NGINX Rift\"), possibly \
                  remote code execution",
        affected: &[(Version(0, 6, 27), Version(1, 30, 1))],
        affected_source: "nginx security advisory of 13 May 2026: vulnerable 0.6.27-1.30.0",
        fixed: &[Version(1, 30, 1), Version(1, 31, 0)],
        trigger: Trigger::RewriteQuestionMarkThenScript,
        advisory: "https://nvd.nist.gov/vuln/detail/CVE-2026-42945",
    },
    Cve {
        id: "CVE-2026-42533",
        summary: "heap buffer overflow in a worker process with a regex map used in a string \
                  expression after a capture the map affects",
        affected: &[
            (Version::ANCIENT, Version(1, 30, 4)),
            (Version(1, 31, 0), Version(1, 31, 3)),
        ],
        affected_source: "nginx's change log names only the fixes (1.30.4, 1.31.3): every \
                          earlier release is counted",
        fixed: &[Version(1, 30, 4), Version(1, 31, 3)],
        trigger: Trigger::CaptureBeforeRegexMap,
        advisory: ADVISORIES,
    },
    Cve {
        id: "CVE-2026-56434",
        summary: "use-after-free in ngx_http_ssi_filter_module on a crafted proxied response",
        affected: &[
            (Version::ANCIENT, Version(1, 30, 4)),
            (Version(1, 31, 0), Version(1, 31, 3)),
        ],
        affected_source: "nginx's change log names only the fixes (1.30.4, 1.31.3): every \
                          earlier release is counted",
        fixed: &[Version(1, 30, 4), Version(1, 31, 3)],
        trigger: Trigger::SsiUnbufferedProxy,
        advisory: ADVISORIES,
    },
    Cve {
        id: "CVE-2026-9256",
        summary: "heap buffer overflow in ngx_http_rewrite_module with overlapping captures, \
                  possibly remote code execution",
        affected: &[
            (Version::ANCIENT, Version(1, 30, 2)),
            (Version(1, 31, 0), Version(1, 31, 1)),
        ],
        affected_source: "nginx's change log names only the fixes (1.30.2, 1.31.1): every \
                          earlier release is counted",
        fixed: &[Version(1, 30, 2), Version(1, 31, 1)],
        trigger: Trigger::RewriteOverlappingCaptures,
        advisory: ADVISORIES,
    },
];

impl Cve {
    pub fn affects(&self, v: Version) -> bool {
        self.affected.iter().any(|&(from, to)| from <= v && v < to)
    }

    /// "1.30.1 (stable) or 1.31.0 (mainline)".
    pub fn fixed_text(&self) -> String {
        self.fixed
            .iter()
            .map(|v| format!("{v}"))
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

/// Does `s` reference an unnamed capture (`$1`..`$9`, `${1}`)?
pub fn unnamed_capture_at(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| {
        b[i] == b'$'
            && (b.get(i + 1).is_some_and(u8::is_ascii_digit)
                || (b.get(i + 1) == Some(&b'{') && b.get(i + 2).is_some_and(u8::is_ascii_digit)))
    })
}

/// The nodes where `trigger` appears: (the directive to report, a related one).
pub fn trigger_sites(model: &Model<'_>, trigger: Trigger) -> Vec<(NodeId, NodeId)> {
    match trigger {
        Trigger::RewriteQuestionMarkThenScript => rewrite_sites(model),
        Trigger::CaptureBeforeRegexMap => map_sites(model),
        Trigger::SsiUnbufferedProxy => ssi_sites(model),
        Trigger::RewriteOverlappingCaptures => overlapping_sites(model),
    }
}

fn args(model: &Model<'_>, n: NodeId) -> Vec<String> {
    (0..model.arg_count(n))
        .filter_map(|i| model.arg(n, i))
        .collect()
}

/// nginx's fix (524977e7c, "Rewrite: fixed escaping and possible buffer overrun", 1.30.1 and
/// 1.31.0): a matching `rewrite` with arguments (`?`) in its replacement set the `is_args`
/// flag and never cleared it, so captures evaluated afterwards by the same script (a `set`
/// value, an `if` comparison value or file test, a `rewrite` replacement) were escaped into a
/// buffer sized without escaping. A `rewrite` with a flag (`last`, `break`, `redirect`,
/// `permanent`) or a replacement starting with `http://`, `https://` or `$scheme` (an implicit
/// redirect, `ngx_http_rewrite`) ends the script when it matches, as `break` and `return` do,
/// so nothing runs after it with the flag set. An `if` block's directives are compiled into
/// its parent's script (`nlcf->codes = lcf->codes`), so the walk enters and leaves `if` blocks.
fn rewrite_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let mut out = Vec::new();
    for &r in model.directives_named("rewrite") {
        let Some(replacement) = model.arg(r, 1) else {
            continue;
        };
        if !replacement.contains('?') || model.arg_count(r) > 2 || implicit_redirect(&replacement) {
            continue;
        }
        // The directives after `r` in its block, then after each enclosing `if` in its block.
        let mut node = r;
        let mut follow = None;
        while follow.is_none() {
            let Some(parent) = model.node(node).parent else {
                break;
            };
            let siblings = &model.node(parent).children;
            let Some(pos) = siblings.iter().position(|&s| s == node) else {
                break;
            };
            match script_follow(model, &siblings[pos + 1..]) {
                Walk::Found(f) => follow = Some(f),
                Walk::Exit => break,
                Walk::End => {}
            }
            if &*model.node(parent).name != "if" {
                break;
            }
            node = parent;
        }
        if let Some(f) = follow {
            out.push((r, f));
        }
    }
    out
}

enum Walk {
    /// A directive evaluating an unnamed capture.
    Found(NodeId),
    /// `break` or `return`: the script ends here.
    Exit,
    /// The end of the block.
    End,
}

/// The first directive of `nodes` (entering `if` blocks) that evaluates an unnamed capture in
/// a complex value, unless the script ends first.
fn script_follow(model: &Model<'_>, nodes: &[NodeId]) -> Walk {
    for &s in nodes {
        let args = args(model, s);
        let has = |v: Option<&String>| v.is_some_and(|v| unnamed_capture_at(v).is_some());
        match &*model.node(s).name {
            "break" | "return" => return Walk::Exit,
            "set" | "rewrite" if has(args.get(1)) => return Walk::Found(s),
            "if" => {
                if if_values(&args)
                    .iter()
                    .any(|v| unnamed_capture_at(v).is_some())
                {
                    return Walk::Found(s);
                }
                // A `break`/`return` inside runs only when the condition holds.
                if let Walk::Found(f) = script_follow(model, &model.node(s).children) {
                    return Walk::Found(f);
                }
            }
            _ => {}
        }
    }
    Walk::End
}

/// `rewrite` replacements nginx treats as a redirect without a flag.
fn implicit_redirect(replacement: &str) -> bool {
    ["http://", "https://", "$scheme"]
        .iter()
        .any(|p| replacement.starts_with(p))
}

/// The operands of an `if` condition nginx compiles as complex values: the value of `=`/`!=`
/// and the path of a file test. The tested variable is a variable lookup (`if ($1)` is
/// refused: unknown "1" variable) and a `~` operand is a regex, not a value.
fn if_values(args: &[String]) -> Vec<String> {
    let mut values: Vec<String> = args
        .iter()
        .map(|a| a.trim_start_matches('(').trim_end_matches(')').to_owned())
        .filter(|a| !a.is_empty())
        .collect();
    match values.as_slice() {
        [v, op, _] if v.starts_with('$') && (op == "=" || op == "!=") => vec![values.remove(2)],
        [op, _]
            if matches!(
                op.as_str(),
                "-f" | "-d" | "-e" | "-x" | "!-f" | "!-d" | "!-e" | "!-x"
            ) =>
        {
            vec![values.remove(1)]
        }
        _ => Vec::new(),
    }
}

/// nginx's fix (ca4f92a27, "Rewrite: fix buffer overflow with overlapping captures", 1.30.2
/// and 1.31.1): for a replacement without variables and without a capture referenced twice
/// (`regex->lengths = NULL`), the buffer was sized with the captures' raw lengths plus the
/// escaping of the whole URI once; captures that are escaped (all of them in a redirect, the
/// ones after the first `?` otherwise) and overlap are escaped more than once, past the end.
fn overlapping_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let mut out = Vec::new();
    for &r in model.directives_named("rewrite") {
        let (Some(pattern), Some(replacement)) = (model.arg(r, 0), model.arg(r, 1)) else {
            continue;
        };
        let flag = model.arg(r, 2);
        let redirect = matches!(flag.as_deref(), Some("redirect" | "permanent"))
            || replacement.starts_with("http://")
            || replacement.starts_with("https://");
        // A last `?` only drops the request's arguments (`ngx_http_rewrite`).
        let compiled = replacement.strip_suffix('?').unwrap_or(&replacement);
        let Some(refs) = capture_refs(compiled) else {
            continue;
        };
        let escaped: Vec<usize> = refs
            .iter()
            .filter(|&&(at, _)| redirect || compiled[..at].contains('?'))
            .map(|&(_, n)| n)
            .collect();
        let Some(spans) = group_spans(&pattern) else {
            continue;
        };
        let span = |n: usize| n.checked_sub(1).and_then(|i| spans.get(i)).copied();
        let overlap = escaped.iter().enumerate().any(|(i, &a)| {
            escaped[i + 1..].iter().any(|&b| match (span(a), span(b)) {
                (Some((s1, e1)), Some((s2, e2))) => s1 < e2 && s2 < e1,
                _ => false,
            })
        });
        if overlap {
            out.push((r, r));
        }
    }
    out
}

/// The unnamed captures a replacement references, `(offset, number)`, when it references no
/// variable and no capture twice (either makes nginx size the buffer by a length pass).
fn capture_refs(s: &str) -> Option<Vec<(usize, usize)>> {
    let b = s.as_bytes();
    let mut refs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let (digit, len) = match (b.get(i + 1), b.get(i + 2), b.get(i + 3)) {
                (Some(d), _, _) if d.is_ascii_digit() => (*d, 2),
                (Some(b'{'), Some(d), Some(b'}')) if d.is_ascii_digit() => (*d, 4),
                _ => return None,
            };
            let n = usize::from(digit - b'0');
            if refs.iter().any(|&(_, m)| m == n) {
                return None;
            }
            refs.push((i, n));
            i += len;
        } else {
            i += 1;
        }
    }
    Some(refs)
}

/// The byte span of each capture group of `pattern` (in number order), from its `(` to its
/// `)`: groups overlap in a match only when one holds the other. `None` when the pattern does
/// not parse.
fn group_spans(pattern: &str) -> Option<Vec<(usize, usize)>> {
    // Leading PCRE start-of-pattern settings (`(*UTF)`, `(*UCP)`) are not groups.
    let mut pattern = pattern;
    while pattern.starts_with("(*") {
        pattern = &pattern[pattern.find(')')? + 1..];
    }
    let regex = super::regex::Regex::parse(pattern, false)?;
    let b = pattern.as_bytes();
    let mut spans = Vec::new();
    for g in &regex.groups {
        let (mut depth, mut i, mut class) = (0usize, g.start, false);
        let end = loop {
            match b.get(i)? {
                b'\\' => i += 1,
                b'[' if !class => {
                    class = true;
                    // `[]...]` and `[^]...]`: a first `]` is literal.
                    if b.get(i + 1) == Some(&b'^') {
                        i += 1;
                    }
                    if b.get(i + 1) == Some(&b']') {
                        i += 1;
                    }
                }
                b']' if class => class = false,
                b'(' if !class => depth += 1,
                b')' if !class => {
                    depth -= 1;
                    if depth == 0 {
                        break i;
                    }
                }
                _ => {}
            }
            i += 1;
        };
        spans.push((g.start, end));
    }
    Some(spans)
}

fn map_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    // Maps whose keys include a regex: their variable name -> the map.
    let mut regex_maps: Vec<(String, NodeId)> = Vec::new();
    for &m in model.directives_named("map") {
        let Some(var) = model.arg(m, 1) else {
            continue;
        };
        let has_regex = model
            .node(m)
            .children
            .iter()
            .any(|&e| model.node(e).name.starts_with('~'));
        if has_regex {
            regex_maps.push((var.trim_start_matches('$').to_owned(), m));
        }
    }
    if regex_maps.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, node) in model.nodes.iter().enumerate() {
        let id = i as NodeId;
        if &*node.name == "map" || model.enclosing(id, "map").is_some() {
            continue;
        }
        for a in args(model, id) {
            let Some(at) = unnamed_capture_at(&a) else {
                continue;
            };
            let rest = &a[at + 1..];
            if let Some((_, m)) = regex_maps.iter().find(|(v, _)| {
                rest.match_indices(&format!("${v}"))
                    .chain(rest.match_indices(&format!("${{{v}}}")))
                    .any(|(j, pat)| {
                        let end = j + pat.len();
                        pat.ends_with('}')
                            || !rest[end..]
                                .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    })
            }) {
                out.push((id, *m));
                break;
            }
        }
    }
    out
}

fn ssi_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let mut out = Vec::new();
    for &p in model.directives_named("proxy_pass") {
        let at = model.node(p).parent;
        let ssi = model.effective(at, "ssi");
        let on = |eff: &super::model::Effective| {
            eff.nodes
                .last()
                .filter(|&&n| model.arg(n, 0).as_deref() == Some("on"))
                .copied()
        };
        let Some(_) = on(&ssi) else {
            continue;
        };
        let buffering = model.effective(at, "proxy_buffering");
        if let Some(&b) = buffering.nodes.last()
            && model.arg(b, 0).as_deref() == Some("off")
        {
            out.push((p, b));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let rift = &CVES[0];
        assert!(!rift.affects(Version(0, 6, 26)));
        assert!(rift.affects(Version(0, 6, 27)));
        assert!(rift.affects(Version(1, 22, 1)));
        assert!(rift.affects(Version(1, 30, 0)));
        assert!(!rift.affects(Version(1, 30, 1)));
        assert!(!rift.affects(Version(1, 31, 0)));
        let ssi = &CVES[2];
        assert!(ssi.affects(Version(1, 30, 3)));
        assert!(!ssi.affects(Version(1, 30, 4)));
        assert!(ssi.affects(Version(1, 31, 2)));
        assert!(!ssi.affects(Version(1, 31, 3)));
        assert_eq!(rift.fixed_text(), "1.30.1 or 1.31.0");
        let overlap = &CVES[3];
        assert_eq!(overlap.id, "CVE-2026-9256");
        assert!(overlap.affects(Version(1, 30, 1)));
        assert!(!overlap.affects(Version(1, 30, 2)));
        assert!(overlap.affects(Version(1, 31, 0)));
        assert!(!overlap.affects(Version(1, 31, 1)));
    }

    #[test]
    fn if_operands_that_are_values() {
        let v = |a: &[&str]| if_values(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(v(&["($host", "=", "$1", ")"]), ["$1"]);
        assert_eq!(v(&["($host", "!=", "/$1)"]), ["/$1"]);
        assert_eq!(v(&["(-f", "/srv/$1", ")"]), ["/srv/$1"]);
        assert!(v(&["($host", "~", "$1", ")"]).is_empty());
        assert!(v(&["($1)"]).is_empty());
        assert_eq!(v(&["($1", "=", "x)"]), ["x"]);
    }

    #[test]
    fn overlapping_captures() {
        assert_eq!(group_spans("^/((.*))$"), Some(vec![(2, 7), (3, 6)]));
        assert_eq!(group_spans("^/([)])/(x)"), Some(vec![(2, 6), (8, 10)]));
        assert_eq!(group_spans("(*UTF)((.*))$"), Some(vec![(0, 5), (1, 4)]));
        assert_eq!(capture_refs("/a/$1?$2"), Some(vec![(3, 1), (6, 2)]));
        assert_eq!(capture_refs("/a/$1$1"), None);
        assert_eq!(capture_refs("/a/$1$host"), None);
    }

    #[test]
    fn captures() {
        assert_eq!(unnamed_capture_at("/x?$1"), Some(3));
        assert_eq!(unnamed_capture_at("/x?${1}"), Some(3));
        assert_eq!(unnamed_capture_at("$uri ${cap1}"), None);
    }
}
