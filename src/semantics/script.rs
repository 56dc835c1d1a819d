//! A directive value as nginx's script compiler splits it: literal text and variables
//! (`$name`, `${name}`, `$1`…`$9` captures), `ngx_http_script_compile`.

use super::directives::Version;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Lit(String),
    /// A named variable, lowercase (nginx compares names without case).
    Var(String),
    /// `$1`…`$9` (nginx reads one digit; `$0` is the whole match).
    Capture(usize),
}

/// A byte of a variable's name: a letter, a digit or `_` (`ngx_http_script_compile`'s test;
/// anything else ends an unbraced name).
pub fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The variable name at the start of `s`, the text right after a `$`: `{name}`, or the run of
/// letters, digits and `_`; with the text after it. `None` for no name (`$-`, `${}`) or a `{`
/// without its `}`. Names as written; captures (`$1`) are the caller's to tell apart first.
pub fn variable_at(s: &str) -> Option<(&str, &str)> {
    let (name, rest) = match s.strip_prefix('{') {
        Some(braced) => {
            let end = memchr::memchr(b'}', braced.as_bytes())?;
            (&braced[..end], &braced[end + 1..])
        }
        None => s.split_at(s.bytes().position(|c| !is_name_byte(c)).unwrap_or(s.len())),
    };
    (!name.is_empty()).then_some((name, rest))
}

pub fn parts(value: &str) -> Vec<Part> {
    let b = value.as_bytes();
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && i + 1 < b.len() {
            let (name, next) = if b[i + 1].is_ascii_digit() {
                (None, i + 2)
            } else {
                match variable_at(&value[i + 1..]) {
                    Some((n, rest)) => (Some(n), value.len() - rest.len()),
                    None => (None, i),
                }
            };
            if next > i {
                if !lit.is_empty() {
                    out.push(Part::Lit(std::mem::take(&mut lit)));
                }
                match name {
                    Some(n) => out.push(Part::Var(n.to_ascii_lowercase())),
                    None => out.push(Part::Capture(usize::from(b[i + 1] - b'0'))),
                }
                i = next;
                continue;
            }
        }
        // Literal text up to the next `$` (a `$` that starts no variable is literal too), as
        // one run: `$` is ASCII, so both ends are character boundaries.
        let end = memchr::memchr(b'$', &b[i + 1..]).map_or(b.len(), |p| i + 1 + p);
        lit.push_str(&value[i..end]);
        i = end;
    }
    if !lit.is_empty() {
        out.push(Part::Lit(lit));
    }
    out
}

/// A variable or capture of a value, borrowed: what [`parts`] gives without the literal
/// text, and with names as written (not lowercased), so that asking needs no copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reference<'a> {
    Var(&'a str),
    Capture(usize),
}

/// The variables and captures of `value`, in order, as [`parts`] finds them.
pub fn references(value: &str) -> impl Iterator<Item = Reference<'_>> {
    let b = value.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(p) = memchr::memchr(b'$', &b[i..]) {
            let at = i + p;
            // A `$` that starts nothing is literal text: the scan goes on after it.
            i = at + 1;
            match b.get(at + 1) {
                None => return None,
                Some(d) if d.is_ascii_digit() => {
                    i = at + 2;
                    return Some(Reference::Capture(usize::from(d - b'0')));
                }
                Some(_) => {
                    if let Some((name, rest)) = variable_at(&value[at + 1..]) {
                        i = value.len() - rest.len();
                        return Some(Reference::Var(name));
                    }
                }
            }
        }
        None
    })
}

/// The first error nginx's script compiler (`ngx_http_script_compile`,
/// http/ngx_http_script.c:550/616; `ngx_stream_script_compile`, stream/ngx_stream_script.c
/// :448/492, the same bytes) finds in `value` (unquoted, as nginx reads it): a `$` at the end or
/// followed by no name byte (`$-`, `${}`, `$$`) is `invalid variable name`, a `${name` that a
/// byte other than a name byte or `}` ends is `the closing bracket in "name" variable is
/// missing`. `$1`..`$9` are captures; `$0` is a variable named `0` (not an error here).
pub fn compile_error(value: &[u8]) -> Option<String> {
    let is_name = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < value.len() {
        if value[i] != b'$' {
            i += 1;
            continue;
        }
        i += 1;
        match value.get(i) {
            None => return Some("invalid variable name".to_owned()),
            Some(b'1'..=b'9') => {
                i += 1;
                continue;
            }
            Some(b'{') => {
                i += 1;
                if i == value.len() {
                    return Some("invalid variable name".to_owned());
                }
                let start = i;
                while i < value.len() && is_name(value[i]) {
                    i += 1;
                }
                if value.get(i) != Some(&b'}') {
                    return Some(format!(
                        "the closing bracket in \"{}\" variable is missing",
                        String::from_utf8_lossy(&value[start..i])
                    ));
                }
                if i == start {
                    return Some("invalid variable name".to_owned());
                }
                i += 1;
            }
            Some(_) => {
                let start = i;
                while i < value.len() && is_name(value[i]) {
                    i += 1;
                }
                if i == start {
                    return Some("invalid variable name".to_owned());
                }
            }
        }
    }
    None
}

/// Which arguments of a directive nginx compiles as scripts (or complex values, which are
/// compiled the same way whenever they hold a `$`).
#[derive(Clone, Copy, Debug)]
pub enum Compiled {
    /// The argument at this index.
    Arg(usize),
    /// Every argument from this index on.
    From(usize),
    /// The last argument.
    Last,
    /// `return CODE TEXT` / `return URL`: the text, or a URL nginx takes as one (starting with
    /// `http://`, `https://` or `$scheme`; another single argument is an invalid code first).
    Return,
    /// `access_log PATH [FORMAT] ... [if=CONDITION]`: the path (not `off` nor `syslog:`) and
    /// the condition.
    AccessLog,
    /// `proxy_redirect`/`proxy_cookie_*`: every argument but regexes (`~`), `off` and
    /// `default`.
    Replacement,
}

/// A directive whose arguments nginx compiles while it reads the line, or, for `merge`
/// ones, when it merges the `http` block (nginx then names the line where `http` ends).
pub struct ScriptDirective {
    pub name: &'static str,
    pub stream: bool,
    pub args: Compiled,
    pub merge: bool,
    /// The nginx handler that compiles it (http/stream sources at 3f6f7824d).
    pub source: &'static str,
    /// The release that made the value a script ("variables support in ..." of nginx's
    /// CHANGES); before it the value was a plain string or number.
    pub since: Version,
}

const fn row(
    name: &'static str,
    stream: bool,
    args: Compiled,
    merge: bool,
    source: &'static str,
) -> ScriptDirective {
    ScriptDirective {
        name,
        stream,
        args,
        merge,
        source,
        since: Version(0, 0, 0),
    }
}

impl ScriptDirective {
    const fn since(self, major: u16, minor: u16, patch: u16) -> ScriptDirective {
        ScriptDirective {
            since: Version(major, minor, patch),
            ..self
        }
    }
}

use Compiled::{AccessLog, Arg, From, Last, Replacement, Return};

/// Each row's verdict on a value with a bad `$` is checked against Debian's nginx 1.22.1
/// (`tests/rules.rs` runs the fixtures; the rest were tried by hand with `nginx -t`).
pub static SCRIPT_DIRECTIVES: &[ScriptDirective] = &[
    row("add_header", false, Arg(1), false, "ngx_http_headers_add"),
    row("add_trailer", false, Arg(1), false, "ngx_http_headers_add"),
    row("set", false, Arg(1), false, "ngx_http_rewrite_set"),
    row(
        "auth_request_set",
        false,
        Arg(1),
        false,
        "ngx_http_auth_request_set",
    ),
    row("rewrite", false, Arg(1), false, "ngx_http_rewrite"),
    row("return", false, Return, false, "ngx_http_rewrite_return"),
    row("error_page", false, Last, false, "ngx_http_core_error_page"),
    row("root", false, Arg(0), false, "ngx_http_core_root"),
    row("alias", false, Arg(0), false, "ngx_http_core_root"),
    row("index", false, From(0), false, "ngx_http_index_set_index"),
    row("try_files", false, From(0), false, "ngx_http_try_files"),
    row(
        "access_log",
        false,
        AccessLog,
        false,
        "ngx_http_log_set_log",
    ),
    row(
        "auth_basic",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_slot",
    )
    .since(1, 3, 10),
    row(
        "limit_rate",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_size_slot",
    )
    .since(1, 17, 0),
    row(
        "limit_rate_after",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_size_slot",
    )
    .since(1, 17, 0),
    row("expires", false, Last, false, "ngx_http_headers_expires").since(1, 7, 9),
    row(
        "secure_link",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_slot",
    ),
    row(
        "secure_link_md5",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_slot",
    ),
    row("sub_filter", false, From(0), false, "ngx_http_sub_filter").since(1, 9, 4),
    row("map", false, Arg(0), false, "ngx_http_map_block"),
    row(
        "split_clients",
        false,
        Arg(0),
        false,
        "ngx_conf_split_clients_block",
    ),
    row("proxy_pass", false, Arg(0), false, "ngx_http_proxy_pass"),
    row(
        "fastcgi_pass",
        false,
        Arg(0),
        false,
        "ngx_http_fastcgi_pass",
    ),
    row("uwsgi_pass", false, Arg(0), false, "ngx_http_uwsgi_pass"),
    row("scgi_pass", false, Arg(0), false, "ngx_http_scgi_pass"),
    row("grpc_pass", false, Arg(0), false, "ngx_http_grpc_pass").since(1, 17, 8),
    row(
        "proxy_method",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_slot",
    )
    .since(1, 11, 6),
    row("proxy_cache", false, Arg(0), false, "ngx_http_proxy_cache").since(1, 7, 9),
    row(
        "fastcgi_cache",
        false,
        Arg(0),
        false,
        "ngx_http_fastcgi_cache",
    )
    .since(1, 7, 9),
    row("uwsgi_cache", false, Arg(0), false, "ngx_http_uwsgi_cache").since(1, 7, 9),
    row("scgi_cache", false, Arg(0), false, "ngx_http_scgi_cache").since(1, 7, 9),
    row(
        "proxy_cache_key",
        false,
        Arg(0),
        false,
        "ngx_http_proxy_cache_key",
    ),
    row(
        "fastcgi_cache_key",
        false,
        Arg(0),
        false,
        "ngx_http_fastcgi_cache_key",
    ),
    row(
        "uwsgi_cache_key",
        false,
        Arg(0),
        false,
        "ngx_http_uwsgi_cache_key",
    ),
    row(
        "scgi_cache_key",
        false,
        Arg(0),
        false,
        "ngx_http_scgi_cache_key",
    ),
    row(
        "proxy_no_cache",
        false,
        From(0),
        false,
        "ngx_http_set_predicate_slot",
    ),
    row(
        "proxy_cache_bypass",
        false,
        From(0),
        false,
        "ngx_http_set_predicate_slot",
    ),
    row(
        "fastcgi_no_cache",
        false,
        From(0),
        false,
        "ngx_http_set_predicate_slot",
    ),
    row(
        "fastcgi_cache_bypass",
        false,
        From(0),
        false,
        "ngx_http_set_predicate_slot",
    ),
    row("proxy_store", false, Arg(0), false, "ngx_http_proxy_store"),
    row(
        "proxy_ssl_name",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_slot",
    ),
    row(
        "proxy_redirect",
        false,
        Replacement,
        false,
        "ngx_http_proxy_redirect",
    )
    .since(1, 1, 11),
    row(
        "proxy_cookie_domain",
        false,
        Replacement,
        false,
        "ngx_http_proxy_cookie_domain",
    ),
    row(
        "proxy_cookie_path",
        false,
        Replacement,
        false,
        "ngx_http_proxy_cookie_path",
    ),
    row(
        "proxy_ssl_certificate",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_zero_slot",
    )
    .since(1, 21, 0),
    row(
        "proxy_ssl_certificate_key",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_zero_slot",
    )
    .since(1, 21, 0),
    row(
        "grpc_ssl_certificate",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_zero_slot",
    )
    .since(1, 21, 0),
    row(
        "grpc_ssl_certificate_key",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_zero_slot",
    )
    .since(1, 21, 0),
    row(
        "uwsgi_ssl_certificate",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_zero_slot",
    )
    .since(1, 21, 0),
    row(
        "uwsgi_ssl_certificate_key",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_zero_slot",
    )
    .since(1, 21, 0),
    row(
        "grpc_ssl_name",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_slot",
    ),
    row(
        "uwsgi_ssl_name",
        false,
        Arg(0),
        false,
        "ngx_http_set_complex_value_slot",
    ),
    row(
        "proxy_set_header",
        false,
        Arg(1),
        true,
        "ngx_http_proxy_init_headers",
    ),
    row(
        "grpc_set_header",
        false,
        Arg(1),
        true,
        "ngx_http_grpc_init_headers",
    ),
    row(
        "proxy_set_body",
        false,
        Arg(0),
        true,
        "ngx_http_proxy_merge_loc_conf",
    ),
    row(
        "fastcgi_param",
        false,
        Arg(1),
        true,
        "ngx_http_fastcgi_init_params",
    ),
    row(
        "uwsgi_param",
        false,
        Arg(1),
        true,
        "ngx_http_uwsgi_init_params",
    ),
    row(
        "scgi_param",
        false,
        Arg(1),
        true,
        "ngx_http_scgi_init_params",
    ),
    row("set", true, Arg(1), false, "ngx_stream_set").since(1, 11, 2),
    row("return", true, Arg(0), false, "ngx_stream_return").since(1, 11, 2),
    row("proxy_pass", true, Arg(0), false, "ngx_stream_proxy_pass").since(1, 11, 3),
    row(
        "proxy_ssl_name",
        true,
        Arg(0),
        false,
        "ngx_stream_set_complex_value_slot",
    )
    .since(1, 11, 3),
    row(
        "proxy_upload_rate",
        true,
        Arg(0),
        false,
        "ngx_stream_set_complex_value_size_slot",
    )
    .since(1, 17, 0),
    row(
        "proxy_download_rate",
        true,
        Arg(0),
        false,
        "ngx_stream_set_complex_value_size_slot",
    )
    .since(1, 17, 0),
    row(
        "proxy_ssl_certificate",
        true,
        Arg(0),
        false,
        "ngx_stream_set_complex_value_zero_slot",
    )
    .since(1, 21, 0),
    row(
        "proxy_ssl_certificate_key",
        true,
        Arg(0),
        false,
        "ngx_stream_set_complex_value_zero_slot",
    )
    .since(1, 21, 0),
    row("map", true, Arg(0), false, "ngx_stream_map_block").since(1, 11, 2),
    row(
        "split_clients",
        true,
        Arg(0),
        false,
        "ngx_stream_split_clients_block",
    )
    .since(1, 11, 2),
];

/// The indexes `how` selects among `args` (unquoted values).
pub fn compiled_args(how: Compiled, args: &[&[u8]]) -> Vec<usize> {
    let n = args.len();
    match how {
        Arg(i) => (i < n).then_some(i).into_iter().collect(),
        From(i) => (i..n).collect(),
        Last => n.checked_sub(1).into_iter().collect(),
        Return => match n {
            2 => vec![1],
            1 if [&b"http://"[..], b"https://", b"$scheme"]
                .iter()
                .any(|p| args[0].starts_with(p)) =>
            {
                vec![0]
            }
            _ => Vec::new(),
        },
        AccessLog => (0..n)
            .filter(|&i| {
                let a = args[i];
                if i == 0 {
                    a != b"off" && !a.starts_with(b"syslog:")
                } else {
                    a.starts_with(b"if=")
                }
            })
            .collect(),
        Replacement => (0..n)
            .filter(|&i| !args[i].starts_with(b"~") && !matches!(args[i], b"off" | b"default"))
            .collect(),
    }
}

/// Every argument token nginx compiles as a script: those [`SCRIPT_DIRECTIVES`] name (of a
/// directive of the right module), then `log_format`'s format strings, which its own compiler
/// reads the same way (`ngx_http_log_compile`). `named` lists a directive's occurrences (a
/// rule's part of the model); `keep` is asked of each before its arguments are read.
pub fn compiled_tokens<'m>(
    model: &super::model::Model<'_>,
    named: impl Fn(&str) -> &'m [super::model::NodeId],
    keep: impl Fn(super::model::NodeId) -> bool,
    mut each: impl FnMut(super::model::NodeId, crate::syntax::Token),
) {
    for row in SCRIPT_DIRECTIVES {
        for &id in named(row.name) {
            if model.node(id).context.is_stream() != row.stream || !keep(id) {
                continue;
            }
            let values = model.args(id);
            let vals: Vec<&[u8]> = values.iter().map(|v| &**v).collect();
            let tokens: Vec<crate::syntax::Token> = model.node(id).directive.arg_tokens().collect();
            for i in compiled_args(row.args, &vals) {
                each(id, tokens[i]);
            }
        }
    }
    for &id in named("log_format") {
        if keep(id) {
            for t in model.node(id).directive.arg_tokens().skip(1) {
                each(id, t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_name_and_what_follows_it() {
        assert_eq!(
            variable_at("upstream_app:8000"),
            Some(("upstream_app", ":8000"))
        );
        assert_eq!(variable_at("{Host}.a"), Some(("Host", ".a")));
        assert_eq!(variable_at("{a b}c"), Some(("a b", "c")));
        assert_eq!(variable_at("1x"), Some(("1x", "")));
        assert_eq!(variable_at("{}x"), None);
        assert_eq!(variable_at("{open"), None);
        assert_eq!(variable_at("-x"), None);
        assert_eq!(variable_at(""), None);
    }

    #[test]
    fn references_are_the_variable_parts() {
        for value in [
            "/lol/$2x${Host}.a$arg_x",
            "$",
            "a$",
            "${}x${",
            "${a b}$0$$x",
            "$HTTP_Upgrade-${Uri}é$1",
            "$-$_$9",
            "plain",
        ] {
            let from_parts: Vec<Part> = parts(value)
                .into_iter()
                .filter(|p| !matches!(p, Part::Lit(_)))
                .collect();
            let borrowed: Vec<Part> = references(value)
                .map(|r| match r {
                    Reference::Var(v) => Part::Var(v.to_ascii_lowercase()),
                    Reference::Capture(n) => Part::Capture(n),
                })
                .collect();
            assert_eq!(borrowed, from_parts, "{value}");
        }
    }

    #[test]
    fn splits() {
        assert_eq!(
            parts("/lol/$2x${Host}.a$arg_x"),
            vec![
                Part::Lit("/lol/".into()),
                Part::Capture(2),
                Part::Lit("x".into()),
                Part::Var("host".into()),
                Part::Lit(".a".into()),
                Part::Var("arg_x".into()),
            ]
        );
        assert_eq!(parts("a$"), vec![Part::Lit("a$".into())]);
        assert_eq!(parts("${x"), vec![Part::Lit("${x".into())]);
    }

    #[test]
    fn compile_errors_like_nginx() {
        let e = |v: &str| compile_error(v.as_bytes());
        for ok in ["", "a", "$a", "${a}b", "$1", "$0", "a$b$c", "${A_1}"] {
            assert_eq!(e(ok), None, "{ok}");
        }
        for bad in ["$", "a$", "${", "${}", "$-x", "$$a", "a $ b", "$/"] {
            assert_eq!(e(bad).as_deref(), Some("invalid variable name"), "{bad}");
        }
        assert_eq!(
            e("${ab").as_deref(),
            Some("the closing bracket in \"ab\" variable is missing")
        );
        assert_eq!(
            e("x${a-b}").as_deref(),
            Some("the closing bracket in \"a\" variable is missing")
        );
        assert_eq!(
            e("${-}").as_deref(),
            Some("the closing bracket in \"\" variable is missing")
        );
    }
}
