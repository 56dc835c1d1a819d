//! `undefined-variable`: a `$name` that no directive defines and no module provides.
//!
//! nginx collects every variable an argument references while it reads the configuration and,
//! at the end of the `http` (or `stream`) block, looks each one up among the variables modules
//! registered, those `set`/`map`/`geo`... defined and the regex named captures; the first one
//! missing stops it: `unknown "name" variable` (`ngx_http_variables_init_vars`). Variables are
//! global, so a definition anywhere counts.
//!
//! Conservative by design: only arguments nginx's own modules compile as scripts are read;
//! regexes, Lua, Perl and third-party directives are left alone; a third-party or unknown
//! directive whose argument is a bare `$name` counts as defining it; and the rule stays silent
//! when the program is not whole (a fragment linted on its own, an include that found nothing),
//! since the definition may live in the part that is missing.

use std::borrow::Cow;
use std::collections::HashSet;

use super::{
    Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity, edit_distance,
};
use crate::semantics::Context;
use crate::semantics::directives::is_third_party;
use crate::semantics::include::FileId;
use crate::semantics::loadtime::{named_captures, whole};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::script::is_name_byte;
use crate::semantics::variables::{BUILTINS, STREAM_ONLY, is_builtin, since};
use crate::syntax::value::token_value;
use crate::syntax::{Span, Token};

pub static RULE: Rule = Rule {
    id: "undefined-variable",
    summary: "a `$variable` that nothing defines (nginx: unknown \"name\" variable)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/undefined-variable.md"),
    check,
};

/// The nginx doc idiom for the variable most often used without its `map`.
const CONNECTION_UPGRADE_MAP: &str =
    "map $http_upgrade $connection_upgrade { default upgrade; '' close; }";

/// nginx directives whose arguments are not compiled as scripts although `$` may appear in
/// them: regexes, paths read at startup, code of other languages, name lists.
const NOT_SCRIPTS: &[&str] = &[
    "location",
    "server_name",
    "valid_referers",
    "listen",
    // An upstream's `server` address is read once, at load time (`$` is a byte of the name
    // there: `invalid-address` says "host not found").
    "server",
    "include",
    "error_log",
    "env",
    "pid",
    "lock_file",
    "working_directory",
    "load_module",
    "perl",
    "perl_set",
    "perl_modules",
    "perl_require",
    "gzip_disable",
    "fastcgi_split_path_info",
    "ancient_browsers",
    "modern_browser",
    "ssl_ciphers",
    "ssl_conf_command",
    "ssl_ecdh_curve",
    "resolver",
    "allow",
    "deny",
    "set_real_ip_from",
    "limit_except",
    "types",
    "charset_map",
    "ssi_types",
    "sub_filter_types",
    "gzip_types",
];

/// Is `name` one of [`NOT_SCRIPTS`]? Asked for every line with a `$`: a set, not a scan.
fn not_script(name: &str) -> bool {
    static SET: std::sync::OnceLock<foldhash::HashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| NOT_SCRIPTS.iter().copied().collect())
        .contains(name)
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    // Where the program is not whole, only a slip is certain: a hyphen where a built-in name
    // has `_` (`$http-host`, whose head `$http` no configuration defines; held-out batch
    // 355, a Jellyfin site file: nginx 1.22.1 refuses `unknown "http" variable`).
    let slips_only = model.program.root_context != Context::Main || !whole(model);
    // One pass over the program: the definitions, and the nodes that may reference a
    // variable (a `$` in the line; nginx's escapes never produce one).
    // Variable names come from the configuration: a seeded hasher, so a file cannot be written
    // to make them collide (FNV is unseeded).
    let mut defined: Defined = HashSet::default();
    // `named_captures` fills a std set: one for the whole program, moved over at the end.
    let mut captures = HashSet::new();
    let mut referencing: Vec<NodeId> = Vec::new();
    let mut marks = Marks::new(model);
    for id in 0..model.nodes.len() as NodeId {
        if scan(model, id, &mut marks, &mut captures) {
            definitions(model, id, &mut defined);
            referencing.push(id);
        }
    }
    defined.extend(captures);
    let mut out = Vec::new();
    let mut tokens = Vec::new();
    let mut refs = Vec::new();
    // (name as written, read by http) pairs already found defined or built in: the verdict
    // depends on nothing else, and a configuration repeats a few names thousands of times.
    let mut known: HashSet<(&[u8], bool), foldhash::fast::RandomState> = HashSet::default();
    let mut suggestions = SUGGESTION_BUDGET;
    // A module the configuration loads whose variables ngxlint does not know may define the
    // name (held-out batch 157: ngx-inference's `$inference_upstream`, measured with a module
    // registering it: `nginx -t` passed): only a near miss of a known name is reported then,
    // as `unknown-directive` does for directives.
    let foreign_module = crate::semantics::modules::loads_foreign_module(model);
    for id in referencing {
        let src = model.src(id);
        script_tokens(model, id, &mut tokens);
        if tokens.is_empty() {
            continue;
        }
        let in_http = in_http(model, id);
        // `log_format` reads its own variables (`ngx_http_log_compile`): a name of letters,
        // digits and `_`, a digit first too; there is no regex, so `$7g` is no capture.
        let captures = model.name(id) != "log_format";
        for &token in &tokens {
            let raw = &src[token.span().range()];
            // Most arguments reference nothing: one `memchr` says so without a scan.
            if !raw.contains(&b'$') {
                continue;
            }
            references(raw, captures, &mut refs);
            for r in &refs {
                if known.contains(&(r.name, in_http)) {
                    continue;
                }
                if slips_only && !hyphen_joins_builtin(raw, r) {
                    continue;
                }
                // Names are ASCII letters, digits and `_`: lowercase them only when needed.
                let name: Cow<'_, str> = match String::from_utf8_lossy(r.name) {
                    Cow::Borrowed(b) if !b.bytes().any(|c| c.is_ascii_uppercase()) => {
                        Cow::Borrowed(b)
                    }
                    n => Cow::Owned(n.to_ascii_lowercase()),
                };
                if defined.contains(&*name) {
                    known.insert((r.name, in_http));
                    continue;
                }
                let stream_only = in_http && STREAM_ONLY.contains(&&*name);
                let too_new = since(&name).filter(|&v| cx.version < v);
                if is_builtin(&name) && !stream_only && too_new.is_none() {
                    known.insert((r.name, in_http));
                    continue;
                }
                let span = Span::new(
                    token.span().start + r.start as u32,
                    token.span().start + r.end as u32,
                );
                let label = if stream_only {
                    "a stream variable, unknown to http".to_owned()
                } else if let Some(v) = too_new {
                    format!("built in only since nginx {v}")
                } else {
                    "not defined anywhere, not built in".to_owned()
                };
                let mut d = Diagnostic::new(
                    &RULE,
                    Label::new(model.file_of(id), span, label),
                    format!("unknown \"{name}\" variable"),
                );
                let help = if stream_only {
                    Some(format!(
                        "${name} is a stream variable; http modules do not provide it"
                    ))
                } else if let Some(v) = too_new {
                    Some(format!(
                        "${name} exists since nginx {v}; the target version is {}",
                        cx.version
                    ))
                } else {
                    let help = help(&name, &defined, &mut suggestions);
                    if foreign_module && help.is_none() {
                        known.insert((r.name, in_http));
                        continue;
                    }
                    help
                };
                if let Some(help) = help {
                    d = d.help(help);
                }
                out.push(d);
            }
        }
    }
    out
}

/// Does the reference `r` in `raw` end at a `-` whose words, joined to the name by `_`, make a
/// built-in name (`$http-host` → `$http_host`, `$remote-addr` → `$remote_addr`)?
fn hyphen_joins_builtin(raw: &[u8], r: &Reference<'_>) -> bool {
    let rest = &raw[r.end..];
    if rest.first() != Some(&b'-') {
        return false;
    }
    let len = rest
        .iter()
        .position(|&b| !(is_name_byte(b) || b == b'-'))
        .unwrap_or(rest.len());
    let joined: String = r
        .name
        .iter()
        .chain(&rest[..len])
        .map(|&b| {
            if b == b'-' {
                '_'
            } else {
                b.to_ascii_lowercase() as char
            }
        })
        .collect();
    // Only up to the last whole word: `$http-host.log` joins `http_host`.
    let joined = joined.trim_end_matches('_');
    is_builtin(joined)
}

/// Is node `id` read by the http module (not stream)? Entries go with their block.
fn in_http(model: &Model<'_>, id: NodeId) -> bool {
    std::iter::once(id)
        .chain(model.ancestors(id))
        .map(|n| model.node(n).context)
        .find(|c| !matches!(c, Context::Entries | Context::Unknown))
        .is_some_and(|c| {
            matches!(
                c,
                Context::Http
                    | Context::HttpServer
                    | Context::HttpLocation
                    | Context::HttpServerIf
                    | Context::HttpLocationIf
                    | Context::LimitExcept
                    | Context::HttpUpstream
            )
        })
}

/// Where the next `$` or `(` of each file is: nodes come in walk order, which within a file
/// is source order (except where a file is included again), so each file is searched about
/// once in all, instead of once per line.
struct Marks<'p> {
    files: Vec<FileMarks<'p>>,
}

struct FileMarks<'p> {
    src: &'p [u8],
    /// Where the last search started.
    from: usize,
    /// The first `$` or `(` at or after `from`, if any.
    next: Option<usize>,
}

impl<'p> Marks<'p> {
    fn new(model: &Model<'p>) -> Self {
        let files = model
            .program
            .files
            .iter()
            .map(|f| FileMarks {
                src: &f.src,
                from: usize::MAX,
                next: None,
            })
            .collect();
        Marks { files }
    }

    /// Does `[start, end)` of `file` hold a `$` or `(`?
    fn any_in(&mut self, file: FileId, start: usize, end: usize) -> bool {
        let f = &mut self.files[file as usize];
        // Search again when going back (a file included twice, the first question) or past
        // the mark found last.
        if start < f.from || f.next.is_some_and(|n| n < start) {
            f.from = start;
            f.next = memchr::memchr2(b'$', b'(', &f.src[start..]).map(|p| start + p);
        }
        f.next.is_some_and(|n| n < end)
    }
}

/// Reads node `id`'s raw head once: adds the named captures of any regex among its values
/// (wherever it sits: map keys are entry names) to `captures`, and says whether it holds a
/// `$`. nginx's escapes never produce `(`, `?` or `$`: a value without `(?` in its raw text
/// has no named capture, a line without `$` references and defines no variable. Most lines
/// have neither byte, as `marks` says without reading them.
fn scan(
    model: &Model<'_>,
    id: NodeId,
    marks: &mut Marks<'_>,
    captures: &mut std::collections::HashSet<String>,
) -> bool {
    let node = model.node(id);
    let span = node.directive.head_span();
    if !marks.any_in(model.file_of(id), span.start as usize, span.end as usize) {
        return false;
    }
    let src = model.src(id);
    let head = &src[span.range()];
    let Some(first) = memchr::memchr2(b'$', b'(', head) else {
        return false;
    };
    let rest = &head[first..];
    if rest.windows(2).any(|w| w == b"(?") {
        for t in node.directive.values() {
            let text = t.text(src);
            if text.windows(2).any(|w| w == b"(?") {
                named_captures(&token_value(src, t), captures);
            }
        }
    }
    rest[0] == b'$' || memchr::memchr(b'$', rest).is_some()
}

/// Adds the variable names (lowercase) node `id` defines to `out`.
/// The variable names defined in the program (seeded hasher: the names are the file's).
type Defined = HashSet<String, foldhash::fast::RandomState>;

fn definitions(model: &Model<'_>, id: NodeId, out: &mut Defined) {
    let node = model.node(id);
    let name = model.name(id);
    // The name tests only where the context and table do not already decide.
    let entry = matches!(node.context, Context::Entries | Context::Unknown);
    // `set`, `set_*`, `*_set`, `*_set_*` (third-party `set_by_lua`, `perl_set`...).
    let sets = || {
        name == "set"
            || name.starts_with("set_")
            || name.ends_with("_set")
            || name.as_bytes().windows(5).any(|w| w == b"_set_")
    };
    let defines =
        || matches!(name, "map" | "split_clients" | "keyval" | "geo" | "js_var") || sets();
    if !entry && !model.spec(id).is_none_or(is_third_party) && !defines() {
        // Neither defines a variable nor may define one: its arguments are not read.
        return;
    }
    let src = model.src(id);
    // Argument `i` as a defined name: only read when its raw text holds a `$` (escapes never
    // produce one), so most arguments are neither unescaped nor copied.
    let var_of = |t: Token| -> Option<String> {
        if !t.text(src).contains(&b'$') {
            return None;
        }
        let a = token_value(src, t);
        let name = a.strip_prefix(b"$")?;
        (!name.is_empty()).then(|| String::from_utf8_lossy(name).to_ascii_lowercase())
    };
    let var = |i: usize| node.directive.arg_tokens().nth(i).and_then(var_of);
    match node.context {
        Context::Entries | Context::Unknown => {
            // geoip2 and other third-party blocks: `$var source=... path;`.
            let parent = node.parent().map(|p| model.name(p));
            let nginx_block = matches!(
                parent,
                Some("map" | "geo" | "split_clients" | "types" | "charset_map" | "match")
            );
            if !nginx_block && let Some(v) = name.strip_prefix('$') {
                out.insert(v.to_ascii_lowercase());
            }
            return;
        }
        _ => {}
    }
    let defined = match name {
        "keyval" => var(1),
        "js_var" => var(0),
        _ if sets() => var(0),
        _ => {
            crate::semantics::variables::block_variable_arg(name, model.arg_count(id)).and_then(var)
        }
    };
    out.extend(defined);
    // Third-party and unknown directives may define what they name: `echo_*`, `eval`,
    // `form_input $x`... Count every bare `$name` argument as a definition.
    if model.spec(id).is_none_or(is_third_party) {
        out.extend(node.directive.arg_tokens().filter_map(var_of));
    }
}

/// The argument tokens of node `id` nginx compiles as scripts (where `$name` is a variable),
/// into `out` (cleared first; one buffer serves every node of the program).
fn script_tokens(model: &Model<'_>, id: NodeId, out: &mut Vec<Token>) {
    out.clear();
    let node = model.node(id);
    let src = model.src(id);
    let name = model.name(id);
    let value = |t: &Token| token_value(src, *t);
    let args = node.directive.arg_tokens();
    match node.context {
        Context::Http
        | Context::HttpServer
        | Context::HttpLocation
        | Context::HttpServerIf
        | Context::HttpLocationIf
        | Context::LimitExcept
        | Context::HttpUpstream
        | Context::Stream
        | Context::StreamServer
        | Context::StreamUpstream => {
            // Only nginx's own directives: third-party ones parse their arguments their way.
            if model.spec(id).is_none_or(is_third_party) || not_script(name) {
                return;
            }
            match name {
                // `if ($a ~ regex)`: nothing after a regex operator is a script.
                "if" => out.extend(
                    args.take_while(|t| !matches!(&*value(t), b"~" | b"~*" | b"!~" | b"!~*")),
                ),
                // The first argument is a regex / the variable being defined.
                "rewrite" | "set" | "auth_request_set" => out.extend(args.skip(1)),
                // The source is a script; the second argument is the variable defined.
                "map" | "split_clients" => out.extend(args.take(1)),
                // The key is a script; `zone=`, `rate=` and `sync` are read as they are
                // (`rate=${RATE}r/s` is an invalid rate to nginx, no variable: held-out batch
                // 88's envsubst template).
                "limit_req_zone" | "limit_conn_zone" => out.extend(args.take(1)),
                // `zone=`, `burst=`, `delay=`, a zone and a number: no scripts.
                "limit_req" | "limit_conn" => {}
                "geo" if node.directive.arg_tokens().count() == 2 => out.extend(args.take(1)),
                "geo" => {}
                "log_format" => {
                    out.extend(args.skip(1).filter(|t| !value(t).starts_with(b"escape=")));
                }
                // `~regex` arguments (`proxy_redirect`, `proxy_cookie_path`...) are regexes.
                _ => out.extend(args.filter(|t| !value(t).starts_with(b"~"))),
            }
        }
        // A `map` entry's value is a script; its key is not.
        Context::Entries => {
            let parent = node.parent().map(|p| model.name(p));
            if parent != Some("map") || matches!(name, "include" | "hostnames" | "volatile") {
                return;
            }
            out.extend(args);
        }
        _ => {}
    }
}

/// A `$name` or `${name}` in raw token bytes: byte range of the whole reference and the name.
struct Reference<'a> {
    start: usize,
    end: usize,
    name: &'a [u8],
}

/// Variable references as `ngx_http_script_compile` finds them. Quotes and nginx's escapes
/// (`\"`, `\\`, `\n`...) are never name bytes, so scanning the raw token gives the same names
/// as scanning its value, at offsets that are the token's own. `$1`..`$9` are regex captures;
/// `${1}` and `$0` are not: nginx reads them as variables named `1` and `0`, which nothing
/// defines (`unknown "1" variable`). Malformed references are left alone.
fn references<'a>(raw: &'a [u8], captures: bool, out: &mut Vec<Reference<'a>>) {
    out.clear();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != b'$' {
            i += 1;
            continue;
        }
        let start = i;
        let j = i + 1;
        match raw.get(j) {
            Some(b'1'..=b'9') if captures => {
                i = j + 1;
                continue;
            }
            // `$${keepempty}host`: envsubst's way of writing a `$` (held-out batch 460), whose
            // placeholder is filled with nothing; the variable is the one after it.
            Some(b'$') if raw.get(j + 1) == Some(&b'{') => {
                let close = raw[j..].iter().position(|&b| b == b'}').map(|p| j + p);
                i = close.map_or(j + 1, |c| c + 1);
                continue;
            }
            Some(b'{') => {
                let len = raw[j + 1..]
                    .iter()
                    .take_while(|&&b| is_name_byte(b))
                    .count();
                let close = j + 1 + len;
                if len > 0 && raw.get(close) == Some(&b'}') {
                    out.push(Reference {
                        start,
                        end: close + 1,
                        name: &raw[j + 1..close],
                    });
                    i = close + 1;
                } else {
                    i = j;
                }
            }
            _ => {
                let len = raw[j..].iter().take_while(|&&b| is_name_byte(b)).count();
                if len > 0 {
                    out.push(Reference {
                        start,
                        end: j + len,
                        name: &raw[j..j + len],
                    });
                }
                i = j + len;
            }
        }
    }
}

/// How many names a run compares unknown variables with, in all, for "did you mean"
/// suggestions. Each unknown variable is compared with every defined and built-in name: on a
/// crafted configuration of 20,000 `map`s and 20,000 unknown variables that was 33 s. A real
/// one (hundreds of definitions, a handful of unknown names) stays far below; past it the
/// findings come without a suggestion.
const SUGGESTION_BUDGET: usize = 2_000_000;

fn help(name: &str, defined: &Defined, budget: &mut usize) -> Option<String> {
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return Some(match name.parse::<u8>() {
            Ok(n @ 1..=9) => format!(
                "regex captures are `$1`..`$9` without braces: write `${n}` (a capture is one digit, so `${n}x` is the capture followed by `x`)"
            ),
            _ => "regex captures are `$1`..`$9` (without braces); there is no variable named by a number".to_owned(),
        });
    }
    if name == "connection_upgrade" {
        return Some(format!(
            "$connection_upgrade is not built in: define it at the http level with \
             `{CONNECTION_UPGRADE_MAP}`"
        ));
    }
    let candidates = defined.len() + BUILTINS.len();
    if *budget < candidates {
        return None;
    }
    *budget -= candidates;
    let best = defined
        .iter()
        .map(String::as_str)
        .chain(BUILTINS.iter().copied())
        // The distance is at least the difference in length: skip hopeless candidates.
        .filter(|c| c.chars().count().abs_diff(name.chars().count()) <= 2)
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, _)| d > 0 && d <= 2 && d * 3 <= name.len())
        .min();
    best.map(|(_, c)| format!("did you mean `${c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(raw: &str) -> Vec<String> {
        let mut refs = Vec::new();
        references(raw.as_bytes(), true, &mut refs);
        refs.iter()
            .map(|r| format!("{}@{}..{}", String::from_utf8_lossy(r.name), r.start, r.end))
            .collect()
    }

    /// A suggestion costs the run a comparison with every defined and built-in name; once the
    /// run's budget is spent, unknown variables come without one.
    #[test]
    fn suggestions_stop_when_the_budget_is_spent() {
        let defined: Defined = ["upstream_host", "backend"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let each = defined.len() + BUILTINS.len();
        let mut budget = 2 * each;
        let hint = help("upstream_hots", &defined, &mut budget);
        assert_eq!(hint.as_deref(), Some("did you mean `$upstream_host`?"));
        assert_eq!(budget, each);
        assert!(help("backedn", &defined, &mut budget).is_some());
        assert_eq!(budget, 0);
        assert_eq!(help("upstream_hots", &defined, &mut budget), None);
        assert_eq!(budget, 0);
    }

    #[test]
    fn finds_references_like_nginx() {
        assert_eq!(names("$a${b}c"), ["a@0..2", "b@2..6"]);
        assert_eq!(names("\"x $host$1abc $\""), ["host@3..8"]);
        assert_eq!(names("'$0 ${1} ${bad'"), ["0@1..3", "1@4..8"]);
        assert_eq!(names("$1x$9"), Vec::<String>::new());
        assert_eq!(names(r#""a\"$x\"""#), ["x@4..6"]);
        assert_eq!(names("^/a$"), Vec::<String>::new());
    }

    /// `log_format` has no captures: `$7g_reason` is one name (nginx: unknown "7g_reason"
    /// variable).
    #[test]
    fn log_format_reads_a_digit_first_name() {
        let mut refs = Vec::new();
        references(b"\"$7g_reason\" $1", false, &mut refs);
        let got: Vec<&[u8]> = refs.iter().map(|r| r.name).collect();
        assert_eq!(got, [&b"7g_reason"[..], &b"1"[..]]);
    }

    #[test]
    fn named_captures_all_syntaxes() {
        let mut out = HashSet::new();
        named_captures(b"^(?<a>x)(?P<B>y)(?'c'z)(?<=w)(?:v)", &mut out);
        let mut v: Vec<_> = out.into_iter().collect();
        v.sort();
        assert_eq!(v, ["a", "b", "c"]);
    }
}
