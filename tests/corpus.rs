//! Agreement with nginx on the real-world corpus: on every file nginx 1.22.1 accepted (checked
//! in its recorded context, nginx-tests placeholders filled as nginx's harness fills them), none
//! of the rules that mirror an `nginx -t` error may fire.

use ngxlint::lint::{Options, lint_source};
use ngxlint::semantics::context::Context;
use ngxlint::semantics::directives::Version;

use crate::support;

/// The rules that mirror a message of nginx's own (besides the load-time checks of
/// `rules::LOAD_CHECKS`): a finding of theirs on a file nginx accepted is a false alarm.
const MIRRORS: &[&str] = &[
    "syntax-error",
    "unknown-directive",
    "invalid-context",
    "invalid-arguments",
    "duplicate-directive",
    "undefined-variable",
];

fn context_of(name: &str) -> Option<Context> {
    Some(match name {
        "main" | "empty" => Context::Main,
        "http" => Context::Http,
        "server" => Context::HttpServer,
        "location" => Context::HttpLocation,
        "stream" => Context::Stream,
        _ => return None,
    })
}

#[test]
fn no_false_alarms_on_files_nginx_accepted() {
    let Some(dir) = support::corpus() else {
        return;
    };
    let testdir = std::env::temp_dir().join("ngxlint-corpus-testdir");
    let mut checked = 0;
    let mut alarms = Vec::new();
    for e in support::corpus_entries(&dir) {
        if e.nginx_check != "accepted" {
            continue;
        }
        let mut src = std::fs::read(&e.path).unwrap();
        if e.notes.contains("placeholders=") {
            src = support::fill_placeholders(&src, &testdir.to_string_lossy());
        }
        // nginx checked fragments inside a wrapper in a temporary directory, so their relative
        // includes resolved there (and globs matched nothing): do the same.
        let opts = Options {
            version: Version(1, 22, 1),
            context: context_of(&e.context),
            prefix: (e.context != "main")
                .then(|| ngxlint::semantics::include::ConfPrefix::Given(testdir.clone())),
            ..Options::default()
        };
        let linted = lint_source(&e.path, src, &opts, &|r| {
            MIRRORS.contains(&r.id) || crate::rules::LOAD_CHECKS.contains(&r.id)
        });
        for d in &linted.diagnostics {
            let f = linted.program.file(d.primary.file);
            let at = f.lines().line_col(d.primary.span.start);
            alarms.push(format!(
                "{} ({}:{}:{}) [{}] {}",
                e.local_path,
                f.path.display(),
                at.line,
                at.column,
                d.rule.id,
                d.message
            ));
        }
        checked += 1;
    }
    println!(
        "corpus: {checked} accepted files checked, {} false alarms",
        alarms.len()
    );
    assert!(checked >= 268, "only {checked} accepted files");
    assert!(
        alarms.is_empty(),
        "{} false alarms:\n{}",
        alarms.len(),
        alarms.join("\n")
    );
}

/// The default-set rules of the security work (#11), on every file nginx accepted: each finding
/// must be one judged true (the configuration really does what the message says), listed here
/// with why.
const SECURITY_RULES: &[&str] = &[
    "add-header-content-type",
    "add-header-multiline",
    "alias-traversal",
    "allow-without-deny",
    "error-log-off",
    "header-injection",
    "proxy-pass-ssrf",
    "return-bypasses-access",
    "root-system-directory",
    // Default-set correctness rules that are not nginx's own checks, judged the same way.
    "alias-slash-mismatch",
    "if-skips-try-files",
    "location-unreachable",
    "status-page-open",
    // Outside the default set, judged the same way at the version the corpus is linted for.
    "nginx-cve",
];

/// (rule, corpus file, line): judged true findings. (nginx-tests' `proxy_xar.t.conf:32`,
/// `add_header Content-Type text/blah` before `return 204`, was judged true until stop 37:
/// nginx sends no Content-Type of its own with a 204, so the added one is the only one.)
const JUDGED_TRUE: &[(&str, &str, u32, &str)] = &[
    (
        "location-unreachable",
        "jhinch__nginx-linter/test/examples/strict-location.conf",
        7,
        "`location ^/books/([^/]+)/chapters$`: a regex without its `~` is a prefix no URI starts with (the peer's own example says so)",
    ),
    (
        "location-unreachable",
        "jhinch__nginx-linter/test/examples/strict-location.conf",
        11,
        "`location = ^/books/([^/]+)$`: an exact match no URI equals (measured with the same prefix case on nginx 1.22.1)",
    ),
    (
        "location-unreachable",
        "certbot__certbot/certbot-compatibility-test__nginx__nginx-roundtrip-testdata/prestashop/sites-available/www.example.com.vhost",
        60,
        "`location ~* \\.(js)$` after the sibling `location ~* \\.(js|jsonp)$`: every `.js` URI takes the earlier one",
    ),
    (
        "nginx-cve",
        "nginx__nginx-tests/proxy_cache_use_stale.t.conf",
        58,
        "CVE-2026-60005 at 1.22.1: the unnamed capture `$1` in `proxy_pass` with `proxy_cache_background_update on`",
    ),
    (
        "nginx-cve",
        "walf443__nginx-lint/crates/nginx-lint-parser/tests/fixtures/test_generated/0036_scgi.conf",
        24,
        "CVE-2026-42946 at 1.22.1: `scgi_pass` reads the backend's response with the affected module",
    ),
    (
        "location-unreachable",
        "certbot__certbot/certbot-compatibility-test__nginx__nginx-roundtrip-testdata/dokuwiki/full.conf",
        57,
        "`location ~ /\\.ht` after the sibling `location ~ /\\.` (deny dotfiles): every .ht URI matches /\\. first",
    ),
    (
        "location-unreachable",
        "certbot__certbot/certbot-compatibility-test__nginx__nginx-roundtrip-testdata/typo3-6.2/sites-available/www.example.com.vhost",
        46,
        "`location ~ /\\.(js|css)$` (meant `\\.(js|css)$`) after `location ~ /\\.`: a URI with `/.` matches the earlier one",
    ),
    (
        "alias-traversal",
        "certbot__certbot/certbot-compatibility-test__nginx__nginx-roundtrip-testdata/icinga/sites-available/www.example.com.vhost",
        32,
        "location /icinga/stylesheets + alias /etc/icinga/stylesheets: siblings readable",
    ),
    (
        "alias-traversal",
        "certbot__certbot/certbot-compatibility-test__nginx__nginx-roundtrip-testdata/icinga/sites-available/www.example.com.vhost",
        35,
        "location /stylesheets + alias /etc/icinga/stylesheets: siblings readable",
    ),
    (
        "alias-traversal",
        "certbot__certbot/certbot-compatibility-test__nginx__nginx-roundtrip-testdata/icinga/sites-available/www.example.com.vhost",
        38,
        "location /icinga/images + alias .../images: siblings readable",
    ),
    (
        "alias-traversal",
        "dvershinin__gixy/tests/plugins/simply/alias_traversal/nested.conf",
        3,
        "gixy's own positive: location /files/images + alias /home/",
    ),
    (
        "alias-traversal",
        "dvershinin__gixy/tests/plugins/simply/alias_traversal/not_slashed_alias.conf",
        2,
        "gixy's own positive: location /files + alias /home",
    ),
    (
        "alias-traversal",
        "nginx__nginx-tests/http_disable_symlinks.t.conf",
        87,
        "location /from/wo_slash + alias .../dirlink: siblings readable (the test's point)",
    ),
    (
        "header-injection",
        "certbot__certbot/certbot-compatibility-test__nginx__nginx-roundtrip-testdata/iphone-website-with-nginx/nginx.conf",
        23,
        "rewrite ... http://m.mysite.com$uri: $uri unescaped in Location (measured)",
    ),
    (
        "header-injection",
        "certbot__certbot/certbot-compatibility-test__nginx__nginx-roundtrip-testdata/sugarcrm/sites-available/www.example.com.vhost",
        28,
        "rewrite ... $scheme://$host$uri/ permanent",
    ),
    (
        "header-injection",
        "dvershinin__gixy/tests/plugins/simply/http_splitting/add_header_uri.conf",
        1,
        "gixy's own positive",
    ),
    (
        "header-injection",
        "dvershinin__gixy/tests/plugins/simply/http_splitting/proxy_from_location_var.conf",
        2,
        "gixy's own positive",
    ),
    (
        "header-injection",
        "nginx__nginx-tests/proxy_redirect.t.conf",
        59,
        "add_header Refresh \"...$uri\"",
    ),
    (
        "header-injection",
        "nginx__nginx-tests/proxy_redirect.t.conf",
        60,
        "return http://...$uri",
    ),
    (
        "header-injection",
        "nginx__nginx-tests/rewrite_unescape.t.conf",
        25,
        "rewrite ^ http://example.com$uri redirect (measured)",
    ),
    (
        "header-injection",
        "nginx__nginx-tests/upstream_max_conns.t.conf",
        107,
        "proxy_pass http:/$uri: decoded path in the request line",
    ),
    (
        "proxy-pass-ssrf",
        "dvershinin__gixy/tests/plugins/simply/ssrf/host_w_const_start.conf",
        2,
        "gixy's own positive",
    ),
    (
        "proxy-pass-ssrf",
        "dvershinin__gixy/tests/plugins/simply/ssrf/host_w_const_start_arg.conf",
        2,
        "gixy's own positive",
    ),
    (
        "proxy-pass-ssrf",
        "nginx__nginx-tests/proxy.t.conf",
        39,
        "proxy_pass http://$arg_b: the test picks the backend by argument",
    ),
    (
        "proxy-pass-ssrf",
        "nginx__nginx-tests/proxy_implicit.t.conf",
        24,
        "proxy_pass http://$arg_b/stub",
    ),
    (
        "proxy-pass-ssrf",
        "nginx__nginx-tests/proxy_unix.t.conf",
        27,
        "proxy_pass http://$arg_b",
    ),
    (
        "proxy-pass-ssrf",
        "walf443__nginx-lint/crates/nginx-lint-parser/tests/fixtures/test_generated/0019_api_gateway.conf",
        86,
        "host ${service}_service from a URI capture: any upstream named *_service, any resolvable name with a resolver",
    ),
    (
        "add-header-content-type",
        "BerriAI__litellm/docker/ui/nginx.ui.conf",
        17,
        "add_header Content-Type text/plain + return 200: two Content-Type headers",
    ),
    (
        "add-header-content-type",
        "dvershinin__gixy/tests/plugins/simply/add_header_content_type/add_header_content_type.conf",
        1,
        "gixy's own positive",
    ),
    (
        "allow-without-deny",
        "dvershinin__gixy/tests/plugins/simply/allow_without_deny/allow_without_deny.conf",
        2,
        "gixy's own positive",
    ),
    (
        "error-log-off",
        "nginxinc__crossplane/tests/configs/messy/nginx.conf",
        7,
        "error_log off: a file named off",
    ),
    (
        "add-header-multiline",
        "dvershinin__gixy/tests/plugins/simply/add_header_multiline/add_header.conf",
        1,
        "gixy's own positive: a Content-Security-Policy over three lines",
    ),
    (
        "root-system-directory",
        "dvershinin__gixy/tests/plugins/simply/alias_traversal/nested.conf",
        3,
        "location /files/images + alias /home/: every home directory served",
    ),
    (
        "root-system-directory",
        "dvershinin__gixy/tests/plugins/simply/alias_traversal/not_slashed_alias.conf",
        2,
        "location /files + alias /home: every home directory served",
    ),
];

#[test]
fn security_findings_on_files_nginx_accepted_are_judged() {
    let Some(dir) = support::corpus() else {
        return;
    };
    let testdir = std::env::temp_dir().join("ngxlint-corpus-testdir");
    let mut unjudged = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for e in support::corpus_entries(&dir) {
        if e.nginx_check != "accepted" {
            continue;
        }
        let mut src = std::fs::read(&e.path).unwrap();
        if e.notes.contains("placeholders=") {
            src = support::fill_placeholders(&src, &testdir.to_string_lossy());
        }
        let opts = Options {
            version: Version(1, 22, 1),
            context: context_of(&e.context),
            prefix: (e.context != "main")
                .then(|| ngxlint::semantics::include::ConfPrefix::Given(testdir.clone())),
            ..Options::default()
        };
        let linted = lint_source(&e.path, src, &opts, &|r| SECURITY_RULES.contains(&r.id));
        for d in &linted.diagnostics {
            let f = linted.program.file(d.primary.file);
            let line = f.lines().line_col(d.primary.span.start).line;
            let key = (d.rule.id, e.local_path.clone(), line);
            if JUDGED_TRUE
                .iter()
                .any(|j| j.0 == key.0 && j.1 == key.1 && j.2 == key.2)
            {
                seen.insert(key);
            } else {
                unjudged.push(format!(
                    "{}:{line} [{}] {}",
                    e.local_path, d.rule.id, d.message
                ));
            }
        }
    }
    assert!(
        unjudged.is_empty(),
        "{} unjudged security findings:\n{}",
        unjudged.len(),
        unjudged.join("\n")
    );
    // A judged finding that no longer fires is a change to look at, too.
    let gone: Vec<_> = JUDGED_TRUE
        .iter()
        .filter(|j| !seen.iter().any(|k| k.0 == j.0 && k.1 == j.1 && k.2 == j.2))
        .collect();
    assert!(gone.is_empty(), "judged findings gone: {gone:?}");
}

/// The messages of nginx's load-time checks the `LOAD_CHECKS` rules claim (how each starts).
const LOAD_CHECK_MESSAGES: &[&str] = &[
    "duplicate location ",
    "a duplicate listen ",
    "duplicate listen options for ",
    "a duplicate default server for ",
    "duplicate upstream ",
    "invalid network ",
    "invalid condition ",
    "pcre2_compile() failed: ",
    "invalid port in resolver ",
    "location \"",
    "named location \"",
    "no port in upstream ",
    "\"proxy_pass\" cannot have URI part",
    "no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive",
    "unknown log format ",
    "zero size shared memory zone ",
    "conflicting parameter ",
    "duplicate default map parameter",
    "invalid parameter ",
    "the duplicate ",
    "the shared memory zone ",
    "the size ",
    "duplicate zone ",
    "value must be ",
    "upstream ",
    "server name ",
    "empty regex in server name",
    "duplicate \"log_format\" name",
    "invalid percent value ",
    "percent total is greater",
    // stream, mail, event and core checks
    "no \"events\" section in configuration",
    "invalid log level ",
    "duplicate log level ",
    "unknown syslog ",
    "duplicate syslog ",
    "no syslog server specified",
    "syslog tag length exceeds",
    "syslog \"tag\" only allows",
    "no \"listen\" is defined for server",
    "unknown mail protocol for server",
    "unknown protocol ",
    "no \"auth_http\" is defined for server",
    "duplicate \"",
    "the invalid \"",
    "invalid so_keepalive value",
    "log format is not specified",
    "invalid character \"",
    "\"worker_cpu_affinity\" supports",
    "invalid number of arguments in \"worker_cpu_affinity\"",
    "duplicate thread pool ",
    "unknown thread pool ",
    "invalid threads value ",
    "invalid max_queue value ",
    "\"thread_pool\" must have",
    "module \"",
    "no name servers defined",
    "\"ipv4\" and \"ipv6\" cannot both",
    "limit_conn_zone \"",
    // invalid-address (`ngx_parse_url`'s errors; "host not found" is DNS, not claimed)
    "invalid port in ",
    "invalid port range in ",
    "invalid host in ",
    "no host in ",
    "invalid IPv6 address in ",
    "no path in the unix domain socket in ",
    "too long path in the unix domain socket in ",
    // lc-http-values: invalid-parameter
    "invalid return code ",
    "invalid variable name ",
    "invalid status ",
    "invalid time value ",
    "invalid rate ",
    "invalid zone size ",
    "invalid method ",
    "invalid location modifier ",
    "empty replacement",
    "\"alias\" directive is duplicate, ",
    "\"root\" directive is duplicate, ",
    "the \"alias\" directive cannot be used inside the named location",
    "the $document_root variable cannot be used ",
    "the $realpath_root variable cannot be used ",
    "no buffer is defined for access_log ",
    "buffered logs cannot have variables in name",
    "logs to syslog cannot be buffered",
    "access_log \"",
    "\"proxy_redirect default\" ",
    "no servers are inside upstream",
    "no servers in upstream ",
    "service upstream ",
    "resolving names at run time requires upstream ",
    "no resolver defined to resolve names at run time ",
    "could not build server_names_hash, ",
    "the same path name ",
    "\"secure_link_secret\" cannot be mixed",
    "duplicate \"charset_map\" between ",
    "no \"charset_map\" between the charsets ",
    "sticky zone ",
    "could not build map_hash, ",
];

/// Messages of checks that need the whole program (something defined elsewhere would satisfy
/// them).
const REFERENCE_MESSAGES: &[&str] = &[
    "no port in upstream ",
    "no \"ssl_certificate\" is defined",
    "unknown log format ",
    "zero size shared memory zone ",
    "unknown thread pool ",
    "no \"auth_http\" is defined for server",
    "no \"events\" section in configuration",
    "\"proxy_redirect default\" should be placed after",
    "no resolver defined to resolve names at run time ",
    "could not build server_names_hash, ",
    "no \"charset_map\" between the charsets ",
];

/// Files nginx rejected with one of the load-time checks ngxlint covers get that message from
/// ngxlint, at nginx's line: no misses.
#[test]
fn no_misses_on_load_check_rejections() {
    let Some(dir) = support::corpus() else {
        return;
    };
    let testdir = std::env::temp_dir().join("ngxlint-corpus-testdir");
    let mut matched = Vec::new();
    let mut misses = Vec::new();
    let mut fragments = Vec::new();
    for e in support::corpus_entries(&dir) {
        if e.nginx_check != "semantic" {
            continue;
        }
        // A message naming no place (`no "events" section in configuration`): line 0.
        let unplaced = || {
            let note = e
                .notes
                .split(" | ")
                .find_map(|n| n.strip_prefix("nginx-1.22.1 -t: "))?;
            (!note.contains(".conf:")).then(|| (note.to_owned(), 0))
        };
        let Some((msg, line)) = crate::syntax::nginx_note(&e.notes).or_else(unplaced) else {
            continue;
        };
        if !LOAD_CHECK_MESSAGES.iter().any(|m| msg.starts_with(m)) {
            continue;
        }
        let mut src = std::fs::read(&e.path).unwrap();
        if e.notes.contains("placeholders=") {
            src = support::fill_placeholders(&src, &testdir.to_string_lossy());
        }
        // nginx judged a fragment inside an empty wrapper; in its real parent the format, zone,
        // upstream or certificate may be defined, so reference checks stay silent on fragments
        // by design (counted, not missed).
        if e.context != "main" && REFERENCE_MESSAGES.iter().any(|m| msg.starts_with(m)) {
            fragments.push(e.local_path);
            continue;
        }
        let opts = Options {
            version: Version(1, 22, 1),
            context: context_of(&e.context),
            prefix: (e.context != "main")
                .then(|| ngxlint::semantics::include::ConfPrefix::Given(testdir.clone())),
            ..Options::default()
        };
        let linted = lint_source(&e.path, src, &opts, &|r| {
            crate::rules::LOAD_CHECKS.contains(&r.id)
        });
        let ours: Vec<(String, u32)> = linted
            .diagnostics
            .iter()
            .map(|d| {
                let f = linted.program.file(d.primary.file);
                let at = f.lines().line_col(d.primary.span.start);
                (d.message.to_string(), at.line)
            })
            .collect();
        if ours
            .iter()
            .any(|(m, l)| *m == msg && (*l == line || line == 0))
        {
            matched.push(e.local_path);
        } else {
            misses.push(format!(
                "{}: nginx says {msg:?} at line {line}; ngxlint {ours:?}",
                e.local_path
            ));
        }
    }
    println!(
        "corpus: {} load-check rejections matched, {} missed, {} fragments left to their parent",
        matched.len(),
        misses.len(),
        fragments.len()
    );
    assert!(
        misses.is_empty(),
        "{} misses:\n{}",
        misses.len(),
        misses.join("\n")
    );
    assert!(matched.len() >= 10, "only {} matched", matched.len());
}
