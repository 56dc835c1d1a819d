//! The peers' own fixtures, run through the ngxlint rules mapped to their checks: gixy-ng 0.2.59
//! and Gixy-Next 0.9.0 (`tests/peers/gixy-ng`, `tests/peers/gixy-next`, MPL-2.0, each with its
//! NOTICE) and walf443/nginx-lint (`tests/peers/nginx-lint`, MIT). The same method as
//! `tests/tools/peer_coverage.py`: only the mapped rule selected, the nginx version a gixy
//! `# Options:` line names (or the release that has every directive of the file), `nginx -T`
//! dumps, fixtures that need a gixy option and fixtures nginx rejects left out.
//!
//! Every fixture must get the verdict its peer gives it (a positive fires the mapped rule, a
//! negative does not), except the ones judged in `tests/peers/disagreements.tsv`, where
//! ngxlint follows nginx's behaviour and the row gives ngxlint's verdict and why. A changed
//! verdict, a judged row that is no longer needed, and a rate under the floors (95 % of
//! positives caught, 98 % of negatives silent, judged fixtures left out) fail, naming the file;
//! the README's coverage tables must be the ones measured here.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use ngxlint::lint::{Options, lint_path};
use ngxlint::semantics::directives::Version;

use crate::support;

/// What ngxlint does with a peer check: the rules that answer it (any of them firing counts),
/// or a reason, in the README's coverage section, not to.
#[derive(Clone, Copy)]
enum Map {
    Rules(&'static [&'static str]),
    Declined,
}
use Map::{Declined, Rules};

/// gixy check (both forks) → ngxlint.
const GIXY: &[(&str, Map)] = &[
    (
        "add_header_content_type",
        Rules(&["add-header-content-type"]),
    ),
    ("add_header_multiline", Rules(&["add-header-multiline"])),
    (
        "add_header_redefinition",
        Rules(&["inherited-headers-dropped"]),
    ),
    ("alias_traversal", Rules(&["alias-traversal"])),
    ("allow_without_deny", Rules(&["allow-without-deny"])),
    ("default_server_flag", Rules(&["default-server-missing"])),
    ("error_log_off", Rules(&["error-log-off"])),
    (
        "filesystem_root_exposure",
        Rules(&["root-system-directory"]),
    ),
    ("hash_without_default", Rules(&["map-without-default"])),
    ("host_spoofing", Rules(&["host-header-spoofing"])),
    ("hsts_header", Rules(&["hsts-missing"])),
    (
        "http2_misdirected_request",
        Rules(&["http2-misdirected-request"]),
    ),
    ("http_splitting", Rules(&["header-injection"])),
    ("if_is_evil", Rules(&["if-is-evil"])),
    ("invalid_regex", Rules(&["regex-capture-invalid"])),
    ("low_keepalive_requests", Rules(&["keepalive-requests-low"])),
    // gixy-ng's positives are literal public host names (proxy-pass-stale-dns) and one
    // variable without a resolver (missing-resolver).
    (
        "missing_resolver",
        Rules(&["proxy-pass-stale-dns", "missing-resolver"]),
    ),
    (
        "missing_worker_processes",
        Rules(&["worker-processes-missing"]),
    ),
    ("mixed_case_variable", Rules(&["variable-case-mixed"])),
    ("nginx_cves", Rules(&["nginx-cve"])),
    ("origins", Rules(&["origin-regex-unanchored"])),
    ("overlapping_captures", Rules(&["nginx-cve"])),
    ("proxy_buffering_off", Declined),
    ("proxy_pass_normalized", Rules(&["proxy-pass-normalized"])),
    (
        "proxy_set_header_redefinition",
        Rules(&["inherited-headers-dropped"]),
    ),
    ("quic_bpf_reuseport", Rules(&["quic-bpf-reload"])),
    ("regex_exact_match", Rules(&["regex-could-be-exact"])),
    ("regex_redos", Rules(&["regex-redos"])),
    ("resolver_external", Rules(&["resolver-external"])),
    (
        "return_bypasses_allow_deny",
        Rules(&["return-bypasses-access"]),
    ),
    ("ssl_ecdh_curve", Rules(&["ssl-ecdh-curve"])),
    (
        "ssl_stapling_letsencrypt",
        Rules(&["ssl-stapling-letsencrypt"]),
    ),
    (
        "ssl_stapling_without_resolver",
        Rules(&["ssl-stapling-no-resolver"]),
    ),
    ("ssrf", Rules(&["proxy-pass-ssrf"])),
    (
        "stale_dns_cache",
        Rules(&["proxy-pass-stale-dns", "missing-resolver"]),
    ),
    ("status_page_exposed", Rules(&["status-page-open"])),
    ("try_files_is_evil_too", Declined),
    ("unanchored_regex", Rules(&["regex-location-unanchored"])),
    ("unnamed_groups", Rules(&["nginx-cve"])),
    ("valid_referers", Rules(&["valid-referers-none"])),
    ("version_disclosure", Rules(&["server-tokens-on"])),
    // gixy's check covers protocols and ciphers: caught when either rule fires.
    (
        "weak_ssl_tls",
        Rules(&["ssl-protocols-weak", "ssl-ciphers-weak"]),
    ),
    (
        "worker_rlimit_nofile_vs_connections",
        Rules(&["worker-connections-fd-limit"]),
    ),
];

/// nginx-lint rule → ngxlint.
const NGINX_LINT: &[(&str, Map)] = &[
    // `location /x/` + `alias /y`: a broken mapping (not traversal, which is the reverse).
    (
        "alias_location_slash_mismatch",
        Rules(&["alias-slash-mismatch"]),
    ),
    ("autoindex_enabled", Rules(&["autoindex-on"])),
    ("block_lines", Declined),
    ("client_max_body_size_not_set", Declined),
    ("deprecated_ssl_protocol", Rules(&["ssl-protocols-weak"])),
    (
        "directive_inheritance",
        Rules(&["inherited-headers-dropped"]),
    ),
    ("duplicate_directive", Rules(&["duplicate-directive"])),
    ("gzip_not_enabled", Declined),
    ("if_is_evil_in_location", Rules(&["if-is-evil"])),
    ("invalid_directive_context", Rules(&["invalid-context"])),
    (
        "listen_http2_deprecated",
        Rules(&["http2-listen-deprecated"]),
    ),
    ("map_missing_default", Rules(&["map-without-default"])),
    (
        "map_unnamed_capture",
        Rules(&["regex-captures-overwritten"]),
    ),
    ("missing_error_log", Declined),
    ("nginx_rift", Rules(&["nginx-cve"])),
    ("proxy_keepalive", Rules(&["upstream-keepalive-connection"])),
    ("proxy_missing_host_header", Declined),
    ("proxy_pass_domain", Rules(&["proxy-pass-stale-dns"])),
    ("proxy_pass_with_uri", Declined),
    ("root_in_location", Declined),
    ("server_tokens_enabled", Rules(&["server-tokens-on"])),
    ("space_before_semicolon", Rules(&["space-before-semicolon"])),
    ("ssl_on_deprecated", Rules(&["unknown-directive"])),
    ("trailing_whitespace", Rules(&["trailing-whitespace"])),
    ("try_files_with_proxy", Rules(&["try-files-proxy"])),
    ("unreachable_location", Rules(&["location-unreachable"])),
    (
        "upstream_server_no_resolve",
        Rules(&["proxy-pass-stale-dns"]),
    ),
    ("weak_ssl_ciphers", Rules(&["ssl-ciphers-weak"])),
];

/// Fixtures nginx itself rejects (nginx 1.22.1's message): not counted.
const REJECTED: &[(&str, &str, &str)] = &[
    (
        "ssrf",
        "vars_from_loc.conf",
        "the duplicate \"host\" variable (`set $host`)",
    ),
    (
        "proxy_pass_normalized",
        "missing_variable_in_if.conf",
        "\"proxy_pass\" cannot have URI part ... inside \"if\" statement",
    ),
    (
        "proxy_pass_normalized",
        "missing_variable_in_limit_except.conf",
        "\"proxy_pass\" cannot have URI part ... inside \"limit_except\" block",
    ),
    (
        "proxy_pass_normalized",
        "missing_variable_in_limit_except_fp.conf",
        "\"rewrite\" directive is not allowed here (in `limit_except`)",
    ),
];

const POSITIVE_FLOOR: f64 = 0.95;
const NEGATIVE_FLOOR: f64 = 0.98;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Gixy,
    NginxLint,
}

struct Peer {
    /// As in `disagreements.tsv` and the README.
    name: &'static str,
    dir: &'static str,
    kind: Kind,
}

const PEERS: &[Peer] = &[
    Peer {
        name: "gixy-ng",
        dir: "tests/peers/gixy-ng",
        kind: Kind::Gixy,
    },
    Peer {
        name: "Gixy-Next",
        dir: "tests/peers/gixy-next",
        kind: Kind::Gixy,
    },
    Peer {
        name: "nginx-lint",
        dir: "tests/peers/nginx-lint",
        kind: Kind::NginxLint,
    },
];

/// One row of `disagreements.tsv`.
struct Judged {
    peer: String,
    check: String,
    /// ngxlint's verdict: `reported` or `silent`.
    verdict: String,
}

fn judged() -> BTreeMap<String, Judged> {
    let path = support::repo_root().join("tests/peers/disagreements.tsv");
    let text = std::fs::read_to_string(&path).expect("tests/peers/disagreements.tsv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("peer\tcheck\tfile\tverdict\treason"),
        "disagreements.tsv header"
    );
    let mut rows = BTreeMap::new();
    for (i, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split('\t').collect();
        let [peer, check, file, verdict, reason] = cells[..] else {
            panic!("disagreements.tsv line {}: 5 cells wanted: {line}", i + 2);
        };
        assert!(
            PEERS
                .iter()
                .any(|p| p.name == peer && file.starts_with(p.dir)),
            "disagreements.tsv line {}: peer {peer:?} and file {file} do not go together",
            i + 2
        );
        assert!(
            matches!(verdict, "reported" | "silent"),
            "disagreements.tsv line {}: verdict {verdict:?} (reported or silent)",
            i + 2
        );
        assert!(
            reason.len() >= 40,
            "disagreements.tsv line {}: the reason says too little: {reason:?}",
            i + 2
        );
        assert!(
            support::repo_root().join(file).is_file(),
            "disagreements.tsv line {}: no file {file}",
            i + 2
        );
        let prev = rows.insert(
            file.to_owned(),
            Judged {
                peer: peer.to_owned(),
                check: check.to_owned(),
                verdict: verdict.to_owned(),
            },
        );
        assert!(prev.is_none(), "disagreements.tsv: {file} twice");
    }
    rows
}

/// (positives, negatives) per check, as repository-relative paths.
fn cases(peer: &Peer) -> BTreeMap<String, (Vec<PathBuf>, Vec<PathBuf>)> {
    let root = support::repo_root();
    let mut out = BTreeMap::new();
    match peer.kind {
        Kind::Gixy => {
            let base = Path::new(peer.dir).join("tests/plugins/simply");
            for e in std::fs::read_dir(root.join(&base)).unwrap().flatten() {
                let check = e.file_name().to_string_lossy().into_owned();
                let (mut pos, mut neg) = (Vec::new(), Vec::new());
                for f in std::fs::read_dir(e.path()).unwrap().flatten() {
                    let name = f.file_name().to_string_lossy().into_owned();
                    if !name.ends_with(".conf") {
                        continue;
                    }
                    let rel = base.join(&check).join(&name);
                    if name.ends_with("_fp.conf") {
                        neg.push(rel);
                    } else {
                        pos.push(rel);
                    }
                }
                pos.sort();
                neg.sort();
                out.insert(check, (pos, neg));
            }
        }
        Kind::NginxLint => {
            let base = Path::new(peer.dir).join("plugins/builtin");
            for g in std::fs::read_dir(root.join(&base)).unwrap().flatten() {
                for c in std::fs::read_dir(g.path()).unwrap().flatten() {
                    let check = c.file_name().to_string_lossy().into_owned();
                    let dir = base.join(g.file_name()).join(&check);
                    let (mut pos, mut neg) = (Vec::new(), Vec::new());
                    pos.push(dir.join("examples/bad.conf"));
                    neg.push(dir.join("examples/good.conf"));
                    if let Ok(fx) = std::fs::read_dir(root.join(&dir).join("tests/fixtures")) {
                        for e in fx.flatten() {
                            let case = dir.join("tests/fixtures").join(e.file_name());
                            pos.push(case.join("error/nginx.conf"));
                            neg.push(case.join("expected/nginx.conf"));
                        }
                    }
                    pos.retain(|p| root.join(p).is_file());
                    neg.retain(|p| root.join(p).is_file());
                    pos.sort();
                    neg.sort();
                    if !pos.is_empty() || !neg.is_empty() {
                        out.insert(check, (pos, neg));
                    }
                }
            }
        }
    }
    out
}

fn first_line(path: &Path) -> String {
    let bytes = std::fs::read(support::repo_root().join(path)).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    text.lines().next().unwrap_or("").to_owned()
}

/// Why a fixture is not counted, if it is not.
fn left_out(check: &str, path: &Path) -> Option<String> {
    let first = first_line(path);
    if first.starts_with("# configuration file ") {
        return Some("an `nginx -T` dump, not a configuration".into());
    }
    // gixy's `https_only` origins option, or a `headers` list narrowing which headers
    // proxy_set_header_redefinition reports: policy choices, off by default in gixy too.
    if first.contains("\"https_only\": true") || first.contains("\"headers\":") {
        return Some("needs a gixy option".into());
    }
    let name = path.file_name()?.to_str()?;
    REJECTED
        .iter()
        .find(|(c, f, _)| *c == check && *f == name)
        .map(|(_, _, why)| format!("nginx rejects it: {why}"))
}

/// gixy's `# Options: {"version": "1.29.8"}` first line: the nginx version under test.
fn gixy_version(path: &Path) -> Option<Version> {
    let first = first_line(path);
    let json = first.strip_prefix("# Options:")?;
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    Version::parse(v.get("version")?.as_str()?)
}

/// A fixture written for a newer nginx (a directive the default target lacks, such as 1.29.3's
/// `add_header_inherit`) is linted for the release that has all its directives, as the peers
/// assume the newest nginx.
fn newest_directive_version(path: &Path) -> Option<Version> {
    let linted = lint_path(path, &Options::default(), &|r| r.id == "unknown-directive").ok()?;
    linted
        .diagnostics
        .iter()
        .filter_map(|d| {
            let rest = d.message.split("it appeared in nginx ").nth(1)?;
            Version::parse(
                rest.split(|c: char| c != '.' && !c.is_ascii_digit())
                    .next()?,
            )
        })
        .max()
}

/// Does any of `rules` fire on the fixture?
fn fires(path: &Path, rules: &[&str]) -> bool {
    let mut opts = Options::default();
    if let Some(v) = gixy_version(path).or_else(|| newest_directive_version(path)) {
        opts.version = v;
    }
    let linted = lint_path(path, &opts, &|r| rules.contains(&r.id))
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    linted
        .diagnostics
        .iter()
        .any(|d| rules.contains(&d.rule.id))
}

/// Counts of one peer check: raw (every counted fixture) and judged (the judged ones left out).
#[derive(Default, Clone, Copy)]
struct Counts {
    caught: usize,
    positives: usize,
    silent: usize,
    negatives: usize,
    judged_caught: usize,
    judged_positives: usize,
    judged_silent: usize,
    judged_negatives: usize,
}

/// Every peer's mapped checks measured: (peer, check) → counts. Problems are pushed.
fn measure(problems: &mut Vec<String>) -> HashMap<(&'static str, String), Counts> {
    let judged = judged();
    let mut used = HashSet::new();
    let mut out = HashMap::new();
    for peer in PEERS {
        let mapping = match peer.kind {
            Kind::Gixy => GIXY,
            Kind::NginxLint => NGINX_LINT,
        };
        for (check, (pos, neg)) in cases(peer) {
            let Some(&(_, map)) = mapping.iter().find(|(c, _)| *c == check) else {
                problems.push(format!(
                    "{} check {check} has fixtures but no line in the mapping",
                    peer.name
                ));
                continue;
            };
            let Rules(rules) = map else {
                continue;
            };
            let mut c = Counts::default();
            for (path, positive) in pos
                .iter()
                .map(|p| (p, true))
                .chain(neg.iter().map(|n| (n, false)))
            {
                if left_out(&check, path).is_some() {
                    continue;
                }
                let fired = fires(path, rules);
                let key = path.to_string_lossy().into_owned();
                let row = judged.get(&key);
                if let Some(row) = row {
                    used.insert(key.clone());
                    if row.peer != peer.name || row.check != check {
                        problems.push(format!(
                            "disagreements.tsv: {key} is {}'s {check}, not {}'s {}",
                            peer.name, row.peer, row.check
                        ));
                    }
                }
                // What the peer says, what the table (if judged) says ngxlint gives.
                let peer_says = positive;
                let expected = match row {
                    Some(r) => r.verdict == "reported",
                    None => peer_says,
                };
                if let Some(r) = row
                    && expected == peer_says
                {
                    problems.push(format!(
                        "disagreements.tsv: {key} is judged `{}`, which is what {} says: not a \
                         disagreement",
                        r.verdict, peer.name
                    ));
                } else if let Some(r) = row
                    && fired == peer_says
                {
                    problems.push(format!(
                        "{key}: {} now agrees with {} (the row judged `{}` is no longer needed: \
                         remove it from disagreements.tsv)",
                        rules.join(","),
                        peer.name,
                        r.verdict
                    ));
                } else if fired != expected {
                    problems.push(format!(
                        "{key}: {} {} ({} {check}: {})",
                        rules.join(","),
                        if fired {
                            "fires (a new false alarm)"
                        } else {
                            "is silent (a new miss)"
                        },
                        peer.name,
                        if positive { "positive" } else { "negative" }
                    ));
                }
                if positive {
                    c.positives += 1;
                    c.caught += usize::from(fired);
                    if row.is_none() {
                        c.judged_positives += 1;
                        c.judged_caught += usize::from(fired);
                    }
                } else {
                    c.negatives += 1;
                    c.silent += usize::from(!fired);
                    if row.is_none() {
                        c.judged_negatives += 1;
                        c.judged_silent += usize::from(!fired);
                    }
                }
            }
            let rate = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
            if rate(c.judged_caught, c.judged_positives) < POSITIVE_FLOOR {
                problems.push(format!(
                    "{} {check}: {} caught {}/{} positives (judged ones left out), under {}%",
                    peer.name,
                    rules.join(","),
                    c.judged_caught,
                    c.judged_positives,
                    POSITIVE_FLOOR * 100.0
                ));
            }
            if rate(c.judged_silent, c.judged_negatives) < NEGATIVE_FLOOR {
                problems.push(format!(
                    "{} {check}: {} silent on {}/{} negatives (judged ones left out), under {}%",
                    peer.name,
                    rules.join(","),
                    c.judged_silent,
                    c.judged_negatives,
                    NEGATIVE_FLOOR * 100.0
                ));
            }
            out.insert((peer.name, check), c);
        }
    }
    for key in judged.keys() {
        if !used.contains(key) {
            problems.push(format!(
                "disagreements.tsv: {key} is not a counted fixture of a mapped check"
            ));
        }
    }
    out
}

/// `caught/n`, then the judged count in parentheses when judged fixtures were left out.
fn cells(c: Option<&Counts>) -> (String, String) {
    let Some(c) = c else {
        return (String::new(), String::new());
    };
    let cell = |a: usize, n: usize, ja: usize, jn: usize| {
        if (a, n) == (ja, jn) {
            format!("{a}/{n}")
        } else {
            format!("{a}/{n} ({ja}/{jn})")
        }
    };
    (
        cell(c.caught, c.positives, c.judged_caught, c.judged_positives),
        cell(c.silent, c.negatives, c.judged_silent, c.judged_negatives),
    )
}

fn rule_cell(map: Map, check: &str) -> String {
    match map {
        Rules(rules) => rules
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(" + "),
        Declined => format!("declined ([why](#declined-{}))", check.replace('_', "-")),
    }
}

/// The README's two coverage tables, from the measured counts.
fn tables(counts: &HashMap<(&'static str, String), Counts>) -> String {
    let mut t = String::from(
        "| gixy check | ngxlint rule | gixy-ng caught | gixy-ng silent | Gixy-Next caught | \
         Gixy-Next silent |\n|---|---|---|---|---|---|\n",
    );
    for &(check, map) in GIXY {
        let ng = cells(counts.get(&("gixy-ng", check.to_owned())));
        let nx = cells(counts.get(&("Gixy-Next", check.to_owned())));
        t += &format!(
            "| {check} | {} | {} | {} | {} | {} |\n",
            rule_cell(map, check),
            ng.0,
            ng.1,
            nx.0,
            nx.1
        );
    }
    t += "\n| nginx-lint rule | ngxlint rule | caught | silent |\n|---|---|---|---|\n";
    for &(check, map) in NGINX_LINT {
        let c = cells(counts.get(&("nginx-lint", check.to_owned())));
        t += &format!(
            "| {check} | {} | {} | {} |\n",
            rule_cell(map, check),
            c.0,
            c.1
        );
    }
    t
}

#[test]
fn peer_fixtures_get_the_verdicts_the_mapping_and_the_judged_table_give() {
    let mut problems = Vec::new();
    let counts = measure(&mut problems);
    // Every mapped check of each peer was measured on committed fixtures.
    for peer in PEERS {
        let mapping = match peer.kind {
            Kind::Gixy => GIXY,
            Kind::NginxLint => NGINX_LINT,
        };
        let measured = mapping
            .iter()
            .filter(|(c, _)| counts.contains_key(&(peer.name, (*c).to_owned())))
            .count();
        assert!(
            measured >= 20,
            "{}: only {measured} checks measured",
            peer.name
        );
        for (check, map) in mapping {
            if let Rules(rules) = map {
                for r in *rules {
                    assert!(
                        ngxlint::rules::rule_by_id(r).is_some(),
                        "{check} maps to {r}, not a registered rule"
                    );
                }
            }
        }
    }
    let total: usize = counts.values().map(|c| c.positives + c.negatives).sum();
    assert!(total >= 900, "only {total} fixtures counted");
    let readme = std::fs::read_to_string(support::repo_root().join("README.md")).unwrap();
    let want = tables(&counts);
    if !readme.contains(&want) {
        problems.push(format!(
            "README's coverage tables differ from the measured ones; they should read:\n\n{want}"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every check the tables decline has its reason in the README, under the anchor they link to.
#[test]
fn declined_peer_checks_give_their_reason() {
    let readme = std::fs::read_to_string(support::repo_root().join("README.md")).unwrap();
    for (check, map) in GIXY.iter().chain(NGINX_LINT) {
        if let Declined = map {
            let anchor = format!("<a id=\"declined-{}\"></a>", check.replace('_', "-"));
            let at = readme
                .find(&anchor)
                .unwrap_or_else(|| panic!("README has no reason for declining {check} ({anchor})"));
            // The list item the anchor opens: up to the next item or the end of the list.
            let rest = &readme[at + anchor.len()..];
            let reason = &rest[..["\n- ", "\n\n"]
                .iter()
                .filter_map(|end| rest.find(end))
                .min()
                .unwrap_or(rest.len())];
            assert!(
                reason.contains(&format!("`{check}`")) && reason.len() >= 150,
                "the reason under {anchor} does not name `{check}`: {reason}"
            );
        }
    }
}
