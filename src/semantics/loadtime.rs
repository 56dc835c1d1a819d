//! Questions the load-time rules share: is the program whole, how nginx reads a `location`
//! head, a listen address, a proxied URL, and what PCRE2 says about a regex.
//!
//! nginx makes these checks after parsing, while merging and initialising modules (see
//! `docs/nginx-load-checks.md`). The rules built on them stay silent where the answer may
//! depend on something the linter does not see (a fragment, an include that found nothing).

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::Context;
use super::directives::is_third_party;
use super::model::{Model, NodeId};
use crate::syntax::value::token_value;

/// Standard parameter files Debian and the nginx packages ship: when missing, they do not make
/// the program incomplete for reference checks (they define no zones, formats or variables).
const PLAIN_INCLUDES: &[&str] = &[
    "mime.types",
    "fastcgi_params",
    "fastcgi.conf",
    "scgi_params",
    "uwsgi_params",
    "proxy_params",
    "koi-utf",
    "koi-win",
    "win-utf",
];

/// Files every nginx package installs in its conf prefix (`/etc/nginx`), named as a relative
/// `include` names them: [`PLAIN_INCLUDES`], and the snippets Debian's and Ubuntu's
/// `nginx-common` ships (`include snippets/fastcgi-php.conf;` is their PHP sites' idiom).
const STOCK_INCLUDES: &[&str] = &["snippets/fastcgi-php.conf", "snippets/snakeoil.conf"];

/// Conf prefixes of nginx's packages and builds: Debian's, Ubuntu's, RHEL's, Alpine's and
/// nginx.org's packages (`/etc/nginx`), a build from source with `./configure`'s default prefix
/// (`/usr/local/nginx/conf`), FreeBSD's port and Homebrew on Intel (`/usr/local/etc/nginx`),
/// Homebrew on Apple silicon (`/opt/homebrew/etc/nginx`), OpenResty
/// (`/usr/local/openresty/nginx/conf`).
pub const PACKAGE_CONF_PREFIXES: &[&str] = &[
    "/etc/nginx",
    "/usr/local/nginx/conf",
    "/usr/local/etc/nginx",
    "/opt/homebrew/etc/nginx",
    "/usr/local/openresty/nginx/conf",
];

/// The package conf prefix `arg` (an `include`'s absolute argument) names a stock file of
/// ([`is_stock_include`] under one of [`PACKAGE_CONF_PREFIXES`]): `/etc/nginx/mime.types`
/// gives `/etc/nginx`.
pub fn stock_include_prefix(arg: &str) -> Option<&'static str> {
    PACKAGE_CONF_PREFIXES.iter().copied().find(|prefix| {
        arg.strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(is_stock_include)
    })
}

/// Is `arg` (an `include`'s argument) a file nginx's packages install in the conf prefix,
/// named relative to it?
pub fn is_stock_include(arg: &str) -> bool {
    PLAIN_INCLUDES.contains(&arg) || STOCK_INCLUDES.contains(&arg)
}

/// The parameters nginx's stock parameter files set: nginx's `conf/fastcgi_params`,
/// `fastcgi.conf`, `uwsgi_params` and `scgi_params`, with what Debian's nginx-common 1.22.1
/// adds (`REMOTE_USER`, `HTTP_HOST`), and Debian's `proxy_params`. A name any of them sets
/// counts: an include of the file sets it on every system where the file is the stock one.
/// `fastcgi.conf` is `fastcgi_params` with `SCRIPT_FILENAME` first.
const FASTCGI_CONF: &[&str] = &[
    "SCRIPT_FILENAME",
    "QUERY_STRING",
    "REQUEST_METHOD",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "SCRIPT_NAME",
    "REQUEST_URI",
    "DOCUMENT_URI",
    "DOCUMENT_ROOT",
    "SERVER_PROTOCOL",
    "REQUEST_SCHEME",
    "HTTPS",
    "GATEWAY_INTERFACE",
    "SERVER_SOFTWARE",
    "REMOTE_ADDR",
    "REMOTE_PORT",
    "REMOTE_USER",
    "SERVER_ADDR",
    "SERVER_PORT",
    "SERVER_NAME",
    "REDIRECT_STATUS",
    "HTTP_HOST",
];
const FASTCGI_PARAMS: &[&str] = FASTCGI_CONF.split_at(1).1;
const UWSGI_PARAMS: &[&str] = &[
    "QUERY_STRING",
    "REQUEST_METHOD",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "REQUEST_URI",
    "PATH_INFO",
    "DOCUMENT_ROOT",
    "SERVER_PROTOCOL",
    "REQUEST_SCHEME",
    "HTTPS",
    "REMOTE_ADDR",
    "REMOTE_PORT",
    "SERVER_PORT",
    "SERVER_NAME",
    "HTTP_HOST",
];
const SCGI_PARAMS: &[&str] = &[
    "REQUEST_METHOD",
    "REQUEST_URI",
    "QUERY_STRING",
    "CONTENT_TYPE",
    "DOCUMENT_URI",
    "DOCUMENT_ROOT",
    "SCGI",
    "SERVER_PROTOCOL",
    "REQUEST_SCHEME",
    "HTTPS",
    "REMOTE_ADDR",
    "REMOTE_PORT",
    "SERVER_PORT",
    "SERVER_NAME",
    "HTTP_HOST",
];
const PROXY_PARAMS: &[&str] = &["Host", "X-Real-IP", "X-Forwarded-For", "X-Forwarded-Proto"];

/// What an `include` of a stock file (`arg`, by its last path segment as [`include_read`]
/// takes it) sets with `directive`: the first arguments of its `directive` lines, empty for a
/// stock file without such lines (`mime.types` for `fastcgi_param`); `None` when `arg` is no
/// stock file, whose lines are unknown.
pub fn stock_lines(arg: &str, directive: &str) -> Option<&'static [&'static str]> {
    Some(match (plain_include(arg)?, directive) {
        ("fastcgi_params", "fastcgi_param") => FASTCGI_PARAMS,
        ("fastcgi.conf", "fastcgi_param") => FASTCGI_CONF,
        ("uwsgi_params", "uwsgi_param") => UWSGI_PARAMS,
        ("scgi_params", "scgi_param") => SCGI_PARAMS,
        ("proxy_params", "proxy_set_header") => PROXY_PARAMS,
        _ => &[],
    })
}

/// A single-valued directive a well-known include file sets ([`known_include`]).
#[derive(Debug)]
pub struct KnownSetting {
    pub directive: &'static str,
    /// The line as the file writes it.
    pub line: &'static str,
    /// Set by every version of the file; else only by the versions [`KnownFile::variants`]
    /// says.
    pub always: bool,
}

/// A file deployments include by a fixed name whose lines are known where this machine cannot
/// read it: its single-valued settings, which a line of the including block must not repeat
/// (nginx: "is duplicate").
#[derive(Debug)]
pub struct KnownFile {
    /// What findings call the file.
    pub what: &'static str,
    pub settings: &'static [KnownSetting],
    /// Which versions of the file set the settings that are not [`KnownSetting::always`]
    /// (completes "sets it too, as ...").
    pub variants: &'static str,
}

/// Certbot's TLS options file, which its nginx plugin installs and includes in every site it
/// configures. Certbot installs one of four variants (certbot-nginx's `tls_configs`, commit
/// 521146f6ca45c16ccc7493cfb7590c5b04b32992, chosen by nginx's and OpenSSL's versions in its
/// configurator's `mod_ssl_conf_src`); every one sets `ssl_session_cache`,
/// `ssl_session_timeout`, `ssl_protocols`, `ssl_prefer_server_ciphers` and `ssl_ciphers`, and the
/// two for OpenSSL 1.0.2l or later `ssl_session_tickets off;`. nginx 1.22.1 takes a second
/// `ssl_session_cache` or `ssl_protocols` in the same block and refuses the others (measured).
const CERTBOT_OPTIONS: KnownFile = KnownFile {
    what: "Certbot's TLS options file",
    settings: &[
        KnownSetting {
            directive: "ssl_session_timeout",
            line: "ssl_session_timeout 1440m;",
            always: true,
        },
        KnownSetting {
            directive: "ssl_prefer_server_ciphers",
            line: "ssl_prefer_server_ciphers off;",
            always: true,
        },
        KnownSetting {
            directive: "ssl_ciphers",
            line: "ssl_ciphers \"ECDHE-ECDSA-AES128-GCM-SHA256:...\";",
            always: true,
        },
        KnownSetting {
            directive: "ssl_session_tickets",
            line: "ssl_session_tickets off;",
            always: false,
        },
    ],
    variants: "the file Certbot's nginx plugin installs does for nginx 1.5.9 or later with \
               OpenSSL 1.0.2l or later (the variant for older OpenSSL, which some Docker setups \
               download, does not)",
};

/// Debian's and Ubuntu's PHP snippet (`nginx-common`'s `/etc/nginx/snippets/fastcgi-php.conf`,
/// the same since Debian 8): `fastcgi_split_path_info`, `try_files $fastcgi_script_name =404;`,
/// `PATH_INFO`, `fastcgi_index index.php;` and `include fastcgi.conf;`. nginx 1.22.1 refuses a
/// second `try_files` or `fastcgi_index` in the block that includes it (measured; a second
/// `fastcgi_split_path_info` it takes).
const DEBIAN_FASTCGI_PHP: KnownFile = KnownFile {
    what: "Debian's and Ubuntu's PHP snippet",
    settings: &[
        KnownSetting {
            directive: "try_files",
            line: "try_files $fastcgi_script_name =404;",
            always: true,
        },
        KnownSetting {
            directive: "fastcgi_index",
            line: "fastcgi_index index.php;",
            always: true,
        },
    ],
    variants: "",
};

/// The known file an `include`'s argument names, as deployments write it: Certbot's
/// `/etc/letsencrypt/options-ssl-nginx.conf`, Debian's `snippets/fastcgi-php.conf` (relative to
/// the conf prefix, or under `/etc/nginx`).
pub fn known_include(arg: &str) -> Option<&'static KnownFile> {
    match arg {
        "/etc/letsencrypt/options-ssl-nginx.conf" => Some(&CERTBOT_OPTIONS),
        "snippets/fastcgi-php.conf" | "/etc/nginx/snippets/fastcgi-php.conf" => {
            Some(&DEBIAN_FASTCGI_PHP)
        }
        _ => None,
    }
}

/// Does `dir` hold any of the files nginx's packages install beside `nginx.conf`? An installed
/// conf prefix always does (`mime.types` at least); a repository's directory with its own
/// `nginx.conf`, installed over the package's, does not.
pub fn holds_stock_file(dir: &std::path::Path) -> bool {
    PLAIN_INCLUDES.iter().any(|f| dir.join(f).is_file())
}

/// Does the model hold everything nginx would read? Not when an include found nothing (a
/// missing file, an empty glob, a cut cycle), unless it is one of the standard parameter files.
pub fn whole(model: &Model<'_>) -> bool {
    model
        .directives_named("include")
        .iter()
        .all(|&id| include_read(model, id))
}

/// May include `id` hold lines nobody read: it failed (a file nginx could not open), or it
/// read nothing and is no standard parameter file ([`include_read`])?
pub fn include_unread(model: &Model<'_>, id: NodeId) -> bool {
    model.include_failed(id) || !include_read(model, id)
}

/// Did include `id` read something, or is it a standard parameter file?
pub fn include_read(model: &Model<'_>, id: NodeId) -> bool {
    let node = model.node(id);
    if !model
        .program
        .included(model.file_of(id), node.directive)
        .is_empty()
    {
        return true;
    }
    model
        .arg(id, 0)
        .is_some_and(|a| plain_include(&a).is_some())
}

/// The last path segment of an `include`'s argument when it names one of
/// [`PLAIN_INCLUDES`] (`/etc/nginx/fastcgi_params` gives `fastcgi_params`).
fn plain_include(arg: &str) -> Option<&str> {
    let base = arg.rsplit('/').next().unwrap_or(arg);
    PLAIN_INCLUDES.contains(&base).then_some(base)
}

/// [`complete`] as far as the `http` block's settings go: a program read from the main
/// context that has its `http` block, where only includes at the top level found nothing
/// (`include /usr/share/nginx/modules/*.conf;` on a machine without modules). Such a file
/// can hold main-context directives, `events`, `stream` or `mail`, but no second `http`
/// (nginx: "http" directive is duplicate), so nothing inside `http` (a certificate, a zone)
/// can come from it.
pub fn complete_for_http(model: &Model<'_>) -> bool {
    model.program.root_context == Context::Main
        && !model.directives_named("http").is_empty()
        && model
            .directives_named("include")
            .iter()
            .all(|&id| model.node(id).context == Context::Main || include_read(model, id))
}

/// A whole program read from `nginx.conf`'s top level: what a reference check ("is there a
/// zone/format/certificate for this?") needs before it may say "there is none".
pub fn complete(model: &Model<'_>) -> bool {
    model.program.root_context == Context::Main && whole(model)
}

/// Is node `id` a directive of nginx itself (known, not a third-party module's)?
pub fn is_nginx(model: &Model<'_>, id: NodeId) -> bool {
    model.spec(id).is_some_and(|s| !is_third_party(s))
}

/// How nginx reads a `location` head (`ngx_http_core_location`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocationKind {
    /// `location = /a`
    Exact,
    /// `location /a` and `location ^~ /a` (nginx's "inclusive" locations)
    Prefix,
    /// `location ~ re` / `location ~* re`
    Regex { caseless: bool },
    /// `location @name`
    Named,
}

/// The kind and name of location node `id`, as nginx parses its arguments; `None` when the
/// arguments are not a form nginx accepts (another rule reports that). The name is borrowed
/// from the source unless unescaping made a copy (several rules ask this of every location).
pub fn location_head<'p>(model: &Model<'p>, id: NodeId) -> Option<(LocationKind, Cow<'p, str>)> {
    let mut tokens = model.node(id).directive.arg_tokens();
    let (first, second) = (tokens.next()?, tokens.next());
    if tokens.next().is_some() {
        return None;
    }
    let value = |t| model.token_str(id, t);
    let first = value(first);
    if let Some(second) = second {
        let kind = match &*first {
            "=" => LocationKind::Exact,
            "^~" => LocationKind::Prefix,
            "~" => LocationKind::Regex { caseless: false },
            "~*" => LocationKind::Regex { caseless: true },
            _ => return None,
        };
        return Some((kind, value(second)));
    }
    let (kind, skip) = if first.starts_with('=') {
        (LocationKind::Exact, 1)
    } else if first.starts_with("^~") {
        (LocationKind::Prefix, 2)
    } else if first.starts_with("~*") {
        (LocationKind::Regex { caseless: true }, 2)
    } else if first.starts_with('~') {
        (LocationKind::Regex { caseless: false }, 1)
    } else if first.starts_with('@') {
        (LocationKind::Named, 0)
    } else {
        (LocationKind::Prefix, 0)
    };
    Some((kind, cow_from(first, skip)))
}

/// `text` without its first `skip` bytes (an ASCII prefix), still borrowed if it was.
fn cow_from(text: Cow<'_, str>, skip: usize) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(&s[skip..]),
        Cow::Owned(s) if skip == 0 => Cow::Owned(s),
        Cow::Owned(s) => Cow::Owned(s[skip..].to_owned()),
    }
}

/// `geo` blocks (http or stream, nginx's own) whose entries nginx reads as networks: not the
/// `ranges` form, where entries are address ranges.
pub fn network_geo_blocks<'m>(model: &'m Model<'_>) -> impl Iterator<Item = NodeId> + 'm {
    model
        .directives_named("geo")
        .iter()
        .copied()
        .filter(|&geo| {
            let node = model.node(geo);
            matches!(node.context, Context::Http | Context::Stream)
                && model.spec(geo).is_some()
                && !model
                    .children(geo)
                    .iter()
                    .any(|&c| model.name(c) == "ranges")
        })
}

/// A `listen` address as nginx prints it (`ngx_sock_ntop`: `0.0.0.0:80`, `[::1]:8080`,
/// `unix:/path`), or `None` for host names (resolved through DNS) and forms not understood.
pub fn listen_address(arg: &str) -> Option<String> {
    if let Some(path) = arg.strip_prefix("unix:") {
        return Some(format!("unix:{path}"));
    }
    if let Some(rest) = arg.strip_prefix('[') {
        let (host, tail) = rest.split_once(']')?;
        let ip: Ipv6Addr = host.parse().ok()?;
        let port = match tail.strip_prefix(':') {
            Some(p) => port(p)?,
            None if tail.is_empty() => 80,
            None => return None,
        };
        return Some(format!("[{ip}]:{port}"));
    }
    let (host, p) = match arg.rsplit_once(':') {
        Some((h, p)) => (Some(h), port(p)?),
        None => match port(arg) {
            Some(p) => (None, p),
            None => (Some(arg), 80),
        },
    };
    // Written without `format!` (it is asked for every `listen` by several rules): an IPv4
    // address the parser accepts is already in the form nginx and `Display` print (four
    // decimal octets without leading zeros), so it is copied as written.
    let host = match host {
        None | Some("*") => "0.0.0.0",
        Some(h) => {
            h.parse::<Ipv4Addr>().ok()?;
            h
        }
    };
    let mut out = String::with_capacity(host.len() + 6);
    out.push_str(host);
    out.push(':');
    crate::text::push_decimal(&mut out, u32::from(p));
    Some(out)
}

fn port(s: &str) -> Option<u16> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|&p| p > 0)
}

/// The host and optional port of a proxied URL without variables, and whether it has a URI
/// part (anything from the first `/` after the host): `http://b/x` → `("b", None, true)`.
pub fn url_parts<'a>(url: &'a str, schemes: &[&str]) -> Option<(&'a str, Option<&'a str>, bool)> {
    if url.contains('$') {
        return None;
    }
    let rest = schemes
        .iter()
        .find_map(|s| url.strip_prefix(s))
        .or_else(|| (!url.contains("://")).then_some(url))?;
    if rest.starts_with("unix:") {
        return None;
    }
    // Bytes, not chars: both are ASCII, never inside a longer UTF-8 sequence.
    let (hostport, uri) = match rest.bytes().position(|b| b == b'/' || b == b'?') {
        Some(i) => (&rest[..i], true),
        None => (rest, false),
    };
    if hostport.starts_with('[') {
        let end = hostport.find(']')?;
        let port = hostport[end + 1..].strip_prefix(':');
        return Some((&hostport[..=end], port, uri));
    }
    match hostport.rsplit_once(':') {
        Some((h, p)) => Some((h, Some(p), uri)),
        None => Some((hostport, None, uri)),
    }
}

/// What PCRE2 says about `pattern` compiled as nginx compiles it (`ngx_regex_compile`: no
/// options but `PCRE2_CASELESS` for `~*`-style regexes), in nginx's words:
/// `pcre2_compile() failed: <PCRE2 message> in "<pattern>"[ at "<rest>"]`. `None` if it compiles.
pub fn regex_error(pattern: &[u8], caseless: bool) -> Option<String> {
    // nginx hands PCRE2 the bytes as they are, without PCRE2_UTF; a non-UTF-8 pattern cannot
    // be passed through the crate's &str API, so it is left alone.
    let pattern = std::str::from_utf8(pattern).ok()?;
    let err = pcre2::bytes::RegexBuilder::new()
        .caseless(caseless)
        .build(pattern)
        .err()?;
    let shown = err.to_string();
    // Display is "PCRE2: error compiling pattern at offset N: MESSAGE".
    let msg = shown.split_once(": ").map_or(&*shown, |(_, m)| m);
    let msg = msg.split_once(": ").map_or(msg, |(_, m)| m);
    Some(match err.offset() {
        Some(off) if off < pattern.len() => format!(
            "pcre2_compile() failed: {msg} in \"{pattern}\" at \"{}\"",
            &pattern[off..]
        ),
        _ => format!("pcre2_compile() failed: {msg} in \"{pattern}\""),
    })
}

/// When a file has a syntax error, nginx stops there, but it has already run the checks of
/// everything it read before: a directive's own checks as it reads the directive, and the
/// `http`/`stream` block's checks (locations, merge, upstreams, ssl) when that block closes.
/// Does nginx read `file` up to byte `end` before the first syntax error on its way (the
/// include sites leading to `file` included)? `first_errors` holds where each file's first
/// error starts ([`first_errors`]).
pub fn read_before_syntax_error(
    model: &Model<'_>,
    first_errors: &[Option<u32>],
    file: super::FileId,
    end: u32,
) -> bool {
    fn go(
        model: &Model<'_>,
        first_errors: &[Option<u32>],
        file: super::FileId,
        end: u32,
        depth: u32,
    ) -> bool {
        if first_errors
            .get(file as usize)
            .copied()
            .flatten()
            .is_some_and(|first| first < end)
        {
            return false;
        }
        if file == 0 {
            return true;
        }
        if depth > 64 {
            return false;
        }
        model.directives_named("include").iter().any(|&i| {
            let (site, n) = (model.file_of(i), model.node(i));
            model.program.included(site, n.directive).contains(&file)
                && go(model, first_errors, site, n.directive.span().end, depth + 1)
        })
    }
    go(model, first_errors, file, end, 0)
}

/// Where nginx stops reading each file of `model`'s program, by file id: its first syntax
/// error, or its first grammar error if that comes sooner (a block where the directive takes
/// none, `set $x {NAME}...`, or a `;` where it takes one: `ngx_conf_handler` refuses the
/// directive there, and nginx reads no further). A grammar error is no error of the tokenizer
/// or the parser: a file whose template markup opened a block after `set` has only its end of
/// file as a syntax error, and the findings between the two follow from the markup (held-out
/// batch 165, ml-workspace's template: 18 of them).
pub fn first_errors(model: &Model<'_>) -> Vec<Option<u32>> {
    let grammar = crate::semantics::grammar::model_grammar_errors(model);
    model
        .program
        .files
        .iter()
        .zip(grammar)
        .map(|(f, g)| f.syntax.errors.iter().chain(&g).map(|e| e.span.start).min())
        .collect()
}

/// The directives of each file that a syntax error cut off before their `;` or `{` and that
/// start before the file's first syntax error (nginx reads no further): at most a few per
/// file, whatever its size.
pub fn unterminated_directives(model: &Model<'_>) -> Vec<(super::FileId, crate::syntax::Span)> {
    let mut out = Vec::new();
    for (i, f) in model.program.files.iter().enumerate() {
        let Some(first) = f.syntax.errors.iter().map(|e| e.span.start).min() else {
            continue;
        };
        f.syntax.walk(|d, _| {
            let span = d.span();
            if span.start < first && matches!(d.end(), crate::syntax::End::Missing) {
                out.push((i as super::FileId, span));
            }
        });
    }
    out
}

/// The top-level block (`http`, `stream`...) holding the directive whose head is at `span` in
/// `file`, if any: where nginx runs the block's checks, when it closes.
pub fn top_level_block(
    model: &Model<'_>,
    file: super::FileId,
    span: crate::syntax::Span,
) -> Option<NodeId> {
    let holder = (0..model.nodes.len() as NodeId).find(|&id| {
        let n = model.node(id);
        model.file_of(id) == file && {
            let held = n.directive.span();
            held.start <= span.start && span.end <= held.end
        }
    })?;
    std::iter::once(holder)
        .chain(model.ancestors(holder))
        .last()
}

/// `(?<name>`, `(?P<name>`, `(?'name'` in a regex.
pub fn named_captures(value: &[u8], out: &mut std::collections::HashSet<String>) {
    let mut i = 0;
    while let Some(p) = value[i..].windows(2).position(|w| w == b"(?") {
        let mut j = i + p + 2;
        if value.get(j) == Some(&b'P') {
            j += 1;
        }
        let close = match value.get(j) {
            Some(b'<') => b'>',
            Some(b'\'') => b'\'',
            _ => {
                i = j;
                continue;
            }
        };
        let start = j + 1;
        let len = value[start..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
            .count();
        if len > 0 && value.get(start + len) == Some(&close) && !value[start].is_ascii_digit() {
            out.insert(String::from_utf8_lossy(&value[start..start + len]).to_ascii_lowercase());
        }
        i = start;
    }
}

/// The regexes nginx compiles for node `id` (http only): `location ~`, `server_name ~`,
/// `rewrite`, `if ($v ~ re)` and `map` keys, as (argument index, or `usize::MAX` for a map key
/// (the entry's name), pattern, caseless as nginx compiles it).
pub fn regexes(model: &Model<'_>, id: NodeId) -> Vec<(usize, String, bool)> {
    let node = model.node(id);
    let http = matches!(
        node.context,
        Context::HttpServer
            | Context::HttpLocation
            | Context::HttpServerIf
            | Context::HttpLocationIf
    );
    // Most directives compile no regex: their arguments are not read (two rules ask this of
    // every node).
    let compiles = match model.name(id) {
        "location" | "server_name" | "rewrite" | "if" => http,
        _ => node.context == Context::Entries,
    };
    if !compiles {
        return Vec::new();
    }
    // Only `if` needs its arguments together; the others read one or two, borrowed.
    let src = model.src(id);
    let tilde = |t| token_value(src, t).first() == Some(&b'~');
    match model.name(id) {
        // A regex location's first argument is `~`, `~*` or the regex glued to one of them.
        "location" if http && !node.directive.arg_tokens().next().is_some_and(tilde) => Vec::new(),
        "location" if http => match location_head(model, id) {
            Some((LocationKind::Regex { caseless }, re)) => {
                vec![(model.arg_count(id) - 1, re.into_owned(), caseless)]
            }
            _ => Vec::new(),
        },
        "server_name" if http => node
            .directive
            .arg_tokens()
            .enumerate()
            .filter(|&(_, t)| tilde(t))
            .filter_map(|(i, t)| {
                let a = model.token_str(id, t);
                Some((i, a.strip_prefix('~')?.to_owned(), true))
            })
            .collect(),
        "rewrite" if http => model
            .arg_str(id, 0)
            .map(|a| vec![(0, a.into_owned(), false)])
            .unwrap_or_default(),
        "if" if http => {
            let args = model.args_str(id);
            // `(` and `)` may be glued to the first and last arguments or stand alone.
            let mut parts: Vec<(usize, &str)> = args.iter().map(|a| &**a).enumerate().collect();
            match parts.first() {
                Some(&(_, "(")) => {
                    parts.remove(0);
                }
                Some(&(i, a)) => parts[0] = (i, a.strip_prefix('(').unwrap_or(a)),
                None => {}
            }
            match parts.last() {
                Some(&(_, ")")) => {
                    parts.pop();
                }
                Some(&(i, a)) => {
                    let n = parts.len() - 1;
                    parts[n] = (i, a.strip_suffix(')').unwrap_or(a));
                }
                None => {}
            }
            let [_, (_, op), (i, re)] = parts.as_slice() else {
                return Vec::new();
            };
            let caseless = match *op {
                "~" | "!~" => false,
                "~*" | "!~*" => true,
                _ => return Vec::new(),
            };
            vec![(*i, (*re).to_owned(), caseless)]
        }
        _ if node.context == Context::Entries
            && node.parent().is_some_and(|p| model.name(p) == "map") =>
        {
            let key = model.name(id);
            let Some((re, caseless)) = super::regex::map_key_regex(key) else {
                return Vec::new();
            };
            vec![(usize::MAX, re.to_owned(), caseless)]
        }
        _ => Vec::new(),
    }
}

/// The number of listening sockets nginx opens for the program's `listen` lines (http, stream,
/// mail), as `ngx_http_init_listening` and its stream and mail twins group them: per address
/// family and port, one socket per address, except that a wildcard address (`*:80`, `[::]:80`)
/// takes every address of its port without `bind` into its own socket. `None` when it cannot be
/// told exactly: a server without `listen` (nginx's default, 80 or 8000, depends on the user),
/// a host name, a parameter that opens more sockets or binds (`reuseport`, `udp`, `quic`,
/// `backlog=`...), or an incomplete program.
pub fn listening_sockets(model: &Model<'_>) -> Option<usize> {
    use std::collections::{BTreeMap, BTreeSet};
    if !complete(model) {
        return None;
    }
    for &s in model.directives_named("server") {
        if model.node(s).context == Context::Http
            && model.children_named_slice(Some(s), "listen").is_empty()
        {
            return None;
        }
    }
    // (module, family, port) -> (wildcard?, addresses, addresses with `bind`).
    type Group = (bool, BTreeSet<String>, BTreeSet<String>);
    let mut groups: BTreeMap<(u8, String), Group> = BTreeMap::new();
    for &l in model.directives_named("listen") {
        let node = model.node(l);
        let (module, allowed): (u8, &[&str]) = match node.context {
            Context::HttpServer => (
                0,
                &[
                    "default_server",
                    "default",
                    "ssl",
                    "http2",
                    "proxy_protocol",
                    "bind",
                ],
            ),
            Context::StreamServer => (1, &["ssl", "proxy_protocol", "bind"]),
            Context::MailServer => (2, &["ssl", "bind"]),
            _ => continue,
        };
        if !is_nginx(model, l) {
            return None;
        }
        let arg = model.arg(l, 0)?;
        let mut bind = false;
        for i in 1..model.arg_count(l) {
            let p = model.arg(l, i)?;
            if !allowed.contains(&p.as_str()) {
                return None;
            }
            bind |= p == "bind";
        }
        // Stream and mail have no default port: nginx refuses `listen HOST;` there.
        if module > 0
            && !arg.starts_with("unix:")
            && !arg.bytes().all(|b| b.is_ascii_digit())
            && !arg
                .rsplit_once(':')
                .is_some_and(|(h, p)| !h.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let addr = listen_address(&arg)?;
        let (family, host, port) = if let Some(path) = addr.strip_prefix("unix:") {
            ("unix", path.to_owned(), path.to_owned())
        } else if let Some(rest) = addr.strip_prefix('[') {
            let (h, p) = rest.split_once("]:")?;
            ("inet6", h.to_owned(), p.to_owned())
        } else {
            let (h, p) = addr.rsplit_once(':')?;
            ("inet", h.to_owned(), p.to_owned())
        };
        let wildcard = host == "0.0.0.0" || host == "::";
        let g = groups
            .entry((module, format!("{family} {port}")))
            .or_default();
        g.0 |= wildcard;
        g.1.insert(host.clone());
        if bind && !wildcard {
            g.2.insert(host);
        }
    }
    Some(
        groups
            .values()
            .map(|(wildcard, addrs, bound)| {
                if *wildcard {
                    1 + bound.len()
                } else {
                    addrs.len()
                }
            })
            .sum(),
    )
}

/// The listen addresses two or more servers of a server list share ([`shared_addresses`]), by
/// list: each `http` block's, and a file's own when it is an `http`-level fragment.
#[derive(Debug)]
pub struct SharedAddresses(Vec<(Option<NodeId>, Option<AddressGroups>)>);

/// Addresses as nginx prints them, each with the servers that listen there, in order.
pub type AddressGroups = Vec<(String, Vec<NodeId>)>;

/// The listen addresses two or more of `level`'s servers share (`level`: an `http` block, or
/// `None` for an `http`-level fragment's own servers), each as nginx prints it (`0.0.0.0:80`)
/// with its servers in order; `None` when a server's address is not known (a host name).
/// Found once per model for every rule that asks (`server-names-hash`,
/// `server-name-conflict`).
pub fn shared_addresses<'m>(
    model: &'m Model<'_>,
    level: Option<NodeId>,
) -> Option<&'m [(String, Vec<NodeId>)]> {
    server_lists(model)
        .iter()
        .find(|(l, _)| *l == level)
        .and_then(|(_, shared)| shared.as_deref())
}

/// [`shared_addresses`] of every server list nginx groups (those whose addresses are known).
pub fn every_shared_addresses<'m>(
    model: &'m Model<'_>,
) -> impl Iterator<Item = &'m [(String, Vec<NodeId>)]> {
    server_lists(model)
        .iter()
        .filter_map(|(_, shared)| shared.as_deref())
}

/// Each server list nginx groups (each `http` block's, and a file's own when it is an
/// `http`-level fragment) with its shared addresses, found on the first ask.
fn server_lists<'m>(model: &'m Model<'_>) -> &'m [(Option<NodeId>, Option<AddressGroups>)] {
    &model
        .shared_addresses
        .get_or_init(|| {
            let mut levels: Vec<Option<NodeId>> = model
                .directives_named("http")
                .iter()
                .filter(|&&h| model.node(h).context == Context::Main)
                .map(|&h| Some(h))
                .collect();
            if model.program.root_context == Context::Http {
                levels.push(None);
            }
            SharedAddresses(
                levels
                    .into_iter()
                    .map(|l| (l, find_shared_addresses(model, l)))
                    .collect(),
            )
        })
        .0
}

/// The listen addresses two or more of `level`'s servers share, each as nginx prints it
/// (`0.0.0.0:80`) with its servers in order; `None` when a server's address is not known (a
/// host name). The servers nginx builds a server-name hash for (`ngx_http_server_names`).
fn find_shared_addresses(
    model: &Model<'_>,
    level: Option<NodeId>,
) -> Option<Vec<(String, Vec<NodeId>)>> {
    let servers: Vec<NodeId> = model
        .children_named_slice(level, "server")
        .iter()
        .copied()
        .filter(|&s| is_nginx(model, s))
        .collect();
    // Every (address, server) pair by the address's hash, sorted: servers sharing an
    // address are neighbours. Sixteen bytes a listen, where a table of address strings,
    // each with its list of servers, was the largest of a run on a large configuration
    // (one address per server). A fixed-seed hash: only the grouping depends on it,
    // and equal hashes are compared by their addresses below.
    let hash = |a: &str| {
        use std::hash::BuildHasher;
        foldhash::fast::FixedState::with_seed(0).hash_one(a)
    };
    let mut pairs: Vec<(u64, NodeId)> = Vec::with_capacity(servers.len());
    let mut known = true;
    for &s in &servers {
        match addresses(model, s) {
            Some(addrs) => pairs.extend(addrs.iter().map(|a| (hash(a), s))),
            None => known = false,
        }
    }
    if !known {
        return None;
    }
    pairs.sort_unstable();
    // A server's second listen on one address (nginx refuses it elsewhere) counts once.
    pairs.dedup();
    // nginx builds one hash per address two or more servers share, of their exact names
    // (lowercased, each once), in the order it meets them.
    let mut shared: AddressGroups = Vec::new();
    for run in pairs.chunk_by(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        // The servers with an address of this hash, grouped by the address itself (in
        // server order: the pairs are sorted).
        let mut groups: Vec<(String, Vec<NodeId>)> = Vec::new();
        for &(h, s) in run {
            for a in addresses(model, s).unwrap_or_default() {
                if hash(&a) != h {
                    continue;
                }
                match groups.iter_mut().find(|(g, _)| *g == a) {
                    Some((_, list)) => {
                        if list.last() != Some(&s) {
                            list.push(s);
                        }
                    }
                    None => groups.push((a, vec![s])),
                }
            }
        }
        shared.extend(groups.into_iter().filter(|(_, l)| l.len() > 1));
    }
    shared.sort_unstable();
    Some(shared)
}

/// The listen addresses of server `s`, as nginx groups servers (`None` when one is a host name
/// or a form not understood: the grouping is then unknown).
fn addresses(model: &Model<'_>, s: NodeId) -> Option<Vec<String>> {
    let listens = model.children_named_slice(Some(s), "listen");
    if listens.is_empty() {
        // An include of the server's that could not be read may hold its `listen` (a TLS
        // snippet, `include ssl.d/site_ssl.conf;`: held-out batch 165, Guacamole's site,
        // measured: with the snippet's `listen ... ssl` no conflict): the address is not known.
        if model
            .children_named_slice(Some(s), "include")
            .iter()
            .any(|&i| include_unread(model, i))
        {
            return None;
        }
        // The default listen: *:80 when nginx runs as root, as a server's master process
        // does (`nginx -t` as root groups it with `listen 80`, measured); *:8000 otherwise.
        return Some(vec!["0.0.0.0:80".to_owned()]);
    }
    listens
        .iter()
        .map(|&l| listen_address(&model.arg_str(l, 0)?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The copy-as-written path prints what `Display` of the parsed address prints, for
    /// every form the parser accepts, and refuses what it refuses (leading zeros, octal).
    #[test]
    fn listen_address_copies_only_canonical_ipv4() {
        for (host, port) in [
            ("127.0.0.1", "8080"),
            ("0.0.0.0", "1"),
            ("255.255.255.255", "65535"),
            ("10.0.0.10", "080"),
            ("*", "443"),
        ] {
            let expected = match host {
                "*" => Ipv4Addr::UNSPECIFIED,
                h => h.parse().unwrap(),
            };
            let p: u16 = port.parse().unwrap();
            assert_eq!(
                listen_address(&format!("{host}:{port}")),
                Some(format!("{}:{p}", std::net::IpAddr::V4(expected)))
            );
        }
        for bad in [
            "01.2.3.4:80",
            "1.2.3:80",
            "1.2.3.4.5:80",
            "256.1.1.1:80",
            "0x1.1.1.1:80",
        ] {
            assert_eq!(listen_address(bad), None, "{bad}");
        }
    }

    #[test]
    fn listen_addresses_as_nginx_prints_them() {
        assert_eq!(listen_address("80").as_deref(), Some("0.0.0.0:80"));
        assert_eq!(listen_address("*:8080").as_deref(), Some("0.0.0.0:8080"));
        assert_eq!(listen_address("127.0.0.1").as_deref(), Some("127.0.0.1:80"));
        assert_eq!(listen_address("[::]:443").as_deref(), Some("[::]:443"));
        assert_eq!(listen_address("[::1]").as_deref(), Some("[::1]:80"));
        assert_eq!(listen_address("localhost:80"), None);
        assert_eq!(
            listen_address("unix:/run/a.sock").as_deref(),
            Some("unix:/run/a.sock")
        );
    }

    #[test]
    fn url_parts_split_host_port_uri() {
        let s = &["http://", "https://"];
        assert_eq!(url_parts("http://b/x", s), Some(("b", None, true)));
        assert_eq!(url_parts("http://b:81", s), Some(("b", Some("81"), false)));
        assert_eq!(
            url_parts("http://[::1]:81/", s),
            Some(("[::1]", Some("81"), true))
        );
        assert_eq!(url_parts("http://$b/x", s), None);
        assert_eq!(
            url_parts("127.0.0.1:9000", &["grpc://"]),
            Some(("127.0.0.1", Some("9000"), false))
        );
    }

    #[test]
    fn regex_errors_in_nginx_words() {
        assert_eq!(regex_error(b"^/a(b|c)$", false), None);
        assert_eq!(
            regex_error(b"^/a(b", false).as_deref(),
            Some("pcre2_compile() failed: missing closing parenthesis in \"^/a(b\"")
        );
        assert!(regex_error(b"a{2,1}", true).unwrap().contains(" at \""));
    }
}
