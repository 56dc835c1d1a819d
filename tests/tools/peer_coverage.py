#!/usr/bin/env python3
"""Run ngxlint on the peer linters' own fixtures and count, per peer check, how many of its
positives the mapped ngxlint rule catches and how many of its negatives it leaves silent.

Usage:
  python3 tests/tools/peer_coverage.py [--ngxlint BIN] [--markdown] \
      [--gixy-ng DIR] [--gixy-next DIR] [--nginx-lint DIR]

The directories are the peers' unpacked sources, or the fixtures committed here under their
licences (tests/peers/gixy-ng, tests/peers/gixy-next: MPL-2.0, the mapped checks only;
tests/peers/nginx-lint: MIT):
  --gixy-ng     gixy-ng 0.2.59 sdist   (pip download --no-binary :all: --no-deps gixy-ng==0.2.59)
  --gixy-next   Gixy-Next 0.9.0 sdist  (pip download --no-binary :all: --no-deps Gixy-Next==0.9.0)
  --nginx-lint  walf443/nginx-lint checkout

tests/peers.rs runs the same measure in CI on the committed fixtures, with the judged
disagreements of tests/peers/disagreements.tsv, and checks the README's tables; this script
gives the raw counts on any checkout.

gixy: `tests/plugins/simply/<check>/*.conf` are positives, `*_fp.conf` negatives.
nginx-lint: `plugins/builtin/<group>/<check>/examples/bad.conf` and
`tests/fixtures/*/error/nginx.conf` are positives, `examples/good.conf` and
`tests/fixtures/*/expected/nginx.conf` negatives.

Only the mapped rule is selected (`--select <rule>`), so the counts say what that rule does;
a peer check mapped to no rule is "declined" (the README's coverage section says why). A check
mapped to several rules (`a,b`) counts a positive as caught when any of them fires.
"""
import argparse
import json
import os
import re
import subprocess
import sys

# peer check -> ngxlint rule id (None: declined, with the reason in the README)
GIXY = {
    "add_header_content_type": "add-header-content-type",
    "add_header_multiline": "add-header-multiline",
    "add_header_redefinition": "inherited-headers-dropped",
    "alias_traversal": "alias-traversal",
    "allow_without_deny": "allow-without-deny",
    "default_server_flag": "default-server-missing",
    "error_log_off": "error-log-off",
    "filesystem_root_exposure": "root-system-directory",
    "hash_without_default": "map-without-default",
    "host_spoofing": "host-header-spoofing",
    "hsts_header": "hsts-missing",
    "http2_misdirected_request": "http2-misdirected-request",
    "http_splitting": "header-injection",
    "if_is_evil": "if-is-evil",
    "invalid_regex": "regex-capture-invalid",
    "low_keepalive_requests": "keepalive-requests-low",
    # gixy-ng's positives are literal public host names (proxy-pass-stale-dns) and one
    # variable without a resolver (missing-resolver).
    "missing_resolver": "proxy-pass-stale-dns,missing-resolver",
    "missing_worker_processes": "worker-processes-missing",
    "mixed_case_variable": "variable-case-mixed",
    "nginx_cves": "nginx-cve",
    "origins": "origin-regex-unanchored",
    "overlapping_captures": "nginx-cve",
    "proxy_buffering_off": None,
    "proxy_pass_normalized": "proxy-pass-normalized",
    "proxy_set_header_redefinition": "inherited-headers-dropped",
    "quic_bpf_reuseport": "quic-bpf-reload",
    "regex_exact_match": "regex-could-be-exact",
    "regex_redos": "regex-redos",
    "resolver_external": "resolver-external",
    "return_bypasses_allow_deny": "return-bypasses-access",
    "ssl_ecdh_curve": "ssl-ecdh-curve",
    "ssl_stapling_letsencrypt": "ssl-stapling-letsencrypt",
    "ssl_stapling_without_resolver": "ssl-stapling-no-resolver",
    "ssrf": "proxy-pass-ssrf",
    "stale_dns_cache": "proxy-pass-stale-dns,missing-resolver",
    "status_page_exposed": "status-page-open",
    "try_files_is_evil_too": None,
    "unanchored_regex": "regex-location-unanchored",
    "unnamed_groups": "nginx-cve",
    "valid_referers": "valid-referers-none",
    "version_disclosure": "server-tokens-on",
    # gixy's check covers protocols and ciphers: caught when either rule fires.
    "weak_ssl_tls": "ssl-protocols-weak,ssl-ciphers-weak",
    "worker_rlimit_nofile_vs_connections": "worker-connections-fd-limit",
}

NGINX_LINT = {
    # `location /x/` + `alias /y`: a broken mapping (not traversal, which is the reverse).
    "alias_location_slash_mismatch": "alias-slash-mismatch",
    "client_max_body_size_not_set": None,
    "directive_inheritance": "inherited-headers-dropped",
    "gzip_not_enabled": None,
    "if_is_evil_in_location": "if-is-evil",
    "map_missing_default": "map-without-default",
    "missing_error_log": None,
    "proxy_keepalive": "upstream-keepalive-connection",
    "proxy_missing_host_header": None,
    "proxy_pass_domain": "proxy-pass-stale-dns",
    "proxy_pass_with_uri": None,
    "root_in_location": None,
    "try_files_with_proxy": "try-files-proxy",
    "unreachable_location": "location-unreachable",
    "upstream_server_no_resolve": "proxy-pass-stale-dns",
    "listen_http2_deprecated": "http2-listen-deprecated",
    "ssl_on_deprecated": "unknown-directive",
    "autoindex_enabled": "autoindex-on",
    "deprecated_ssl_protocol": "ssl-protocols-weak",
    "map_unnamed_capture": "regex-captures-overwritten",
    "nginx_rift": "nginx-cve",
    "server_tokens_enabled": "server-tokens-on",
    "weak_ssl_ciphers": "ssl-ciphers-weak",
    "block_lines": None,
    "space_before_semicolon": "space-before-semicolon",
    "trailing_whitespace": "trailing-whitespace",
    "duplicate_directive": "duplicate-directive",
    "invalid_directive_context": "invalid-context",
}


# Fixtures nginx itself rejects: not counted (nginx -t 1.22.1 message given).
REJECTED = {
    ("ssrf", "vars_from_loc.conf"): 'the duplicate "host" variable (`set $host`)',
    ("proxy_pass_normalized", "missing_variable_in_if.conf"):
        '"proxy_pass" cannot have URI part ... inside "if" statement',
    ("proxy_pass_normalized", "missing_variable_in_limit_except.conf"):
        '"proxy_pass" cannot have URI part ... inside "limit_except" block',
    ("proxy_pass_normalized", "missing_variable_in_limit_except_fp.conf"):
        '"rewrite" directive is not allowed here (in `limit_except`)',
}


def needs_option(path):
    """gixy's `https_only` origins option, or a `headers` list narrowing which headers
    proxy_set_header_redefinition reports: policy choices, off by default in gixy too."""
    with open(path, errors="replace") as f:
        first = f.readline()
    return '"https_only": true' in first or '"headers":' in first


def is_dump(path):
    with open(path, errors="replace") as f:
        return f.readline().startswith("# configuration file ")


def known_rules(ngxlint):
    out = subprocess.run([ngxlint, "rules"], capture_output=True, text=True).stdout
    ids = set()
    for line in out.splitlines():
        word = line.strip().split(" ")[0].rstrip("*") if line.strip() else ""
        if word:
            ids.add(word)
    return ids


def gixy_version(path):
    """gixy's `# Options: {"version": "1.29.8"}` first line: the nginx version under test."""
    with open(path, errors="replace") as f:
        line = f.readline()
    if line.startswith("# Options:"):
        try:
            return json.loads(line.split(":", 1)[1]).get("version")
        except json.JSONDecodeError:
            return None
    return None


def target_version(ngxlint, path):
    """A fixture written for a newer nginx (a directive the default target lacks, such as
    1.29.3's `add_header_inherit`) is linted for the release that has all its directives,
    as the peers assume the newest nginx; otherwise ngxlint's default target."""
    p = subprocess.run(
        [ngxlint, "check", "--no-config", "--format", "json", "--select", "unknown-directive", path],
        capture_output=True,
        text=True,
        timeout=60,
    )
    try:
        data = json.loads(p.stdout)
    except json.JSONDecodeError:
        return None
    found = []
    for d in data.get("diagnostics", []):
        m = re.search(r"it appeared in nginx (\d+)\.(\d+)\.(\d+)", d.get("message", ""))
        if m:
            found.append(tuple(int(x) for x in m.groups()))
    return ".".join(map(str, max(found))) if found else None


def hits(ngxlint, rule, path):
    version = gixy_version(path) or target_version(ngxlint, path)
    extra = ["--nginx-version", version] if version else []
    p = subprocess.run(
        [ngxlint, "check", "--no-config", "--format", "json", "--select", rule, *extra, path],
        capture_output=True,
        text=True,
        timeout=60,
    )
    try:
        data = json.loads(p.stdout)
    except json.JSONDecodeError:
        return 0
    wanted = rule.split(",")
    return sum(1 for d in data.get("diagnostics", []) if d.get("rule") in wanted)


def gixy_cases(root):
    base = os.path.join(root, "tests", "plugins", "simply")
    cases = {}
    for check in sorted(os.listdir(base)):
        d = os.path.join(base, check)
        if not os.path.isdir(d):
            continue
        pos, neg = [], []
        for f in sorted(os.listdir(d)):
            if f.endswith(".conf"):
                (neg if f.endswith("_fp.conf") else pos).append(os.path.join(d, f))
        cases[check] = (pos, neg)
    return cases


def nginx_lint_cases(root):
    base = os.path.join(root, "plugins", "builtin")
    cases = {}
    for group in sorted(os.listdir(base)):
        gdir = os.path.join(base, group)
        if not os.path.isdir(gdir):
            continue
        for check in sorted(os.listdir(gdir)):
            cdir = os.path.join(gdir, check)
            pos, neg = [], []
            ex = os.path.join(cdir, "examples")
            if os.path.exists(os.path.join(ex, "bad.conf")):
                pos.append(os.path.join(ex, "bad.conf"))
            if os.path.exists(os.path.join(ex, "good.conf")):
                neg.append(os.path.join(ex, "good.conf"))
            fx = os.path.join(cdir, "tests", "fixtures")
            if os.path.isdir(fx):
                for case in sorted(os.listdir(fx)):
                    e = os.path.join(fx, case, "error", "nginx.conf")
                    x = os.path.join(fx, case, "expected", "nginx.conf")
                    if os.path.exists(e):
                        pos.append(e)
                    if os.path.exists(x):
                        neg.append(x)
            if pos or neg:
                cases[check] = (pos, neg)
    return cases


def measure(name, cases, mapping, ngxlint, rules):
    rows = []
    for check, (pos, neg) in sorted(cases.items()):
        rule = mapping.get(check)
        if rule is None or not all(r in rules for r in rule.split(",")):
            rows.append((name, check, None, len(pos), None, len(neg)))
            continue
        dumps = [p for p in pos + neg if is_dump(p)]
        for p in dumps:
            print(f"  skipped  {name} {check}: {p} (an `nginx -T` dump, not a configuration)",
                  file=sys.stderr)
        pos = [p for p in pos if p not in dumps]
        neg = [n for n in neg if n not in dumps]
        optioned = [p for p in pos + neg if needs_option(p)]
        for p in optioned:
            print(f"  skipped  {name} {check}: {p} (needs a gixy option ngxlint has no equivalent for)",
                  file=sys.stderr)
        pos = [p for p in pos if p not in optioned]
        neg = [n for n in neg if n not in optioned]
        rejected = [p for p in pos + neg if (check, os.path.basename(p)) in REJECTED]
        for p in rejected:
            print(f"  rejected {name} {check}: {p} (nginx: {REJECTED[(check, os.path.basename(p))]})",
                  file=sys.stderr)
        pos = [p for p in pos if p not in rejected]
        neg = [n for n in neg if n not in rejected]
        caught = sum(1 for p in pos if hits(ngxlint, rule, p) > 0)
        silent = sum(1 for n in neg if hits(ngxlint, rule, n) == 0)
        missed = [p for p in pos if hits(ngxlint, rule, p) == 0]
        noisy = [n for n in neg if hits(ngxlint, rule, n) > 0]
        rows.append((name, check, rule, len(pos), (caught, silent), len(neg)))
        for m in missed:
            print(f"  missed   {name} {check}: {m}", file=sys.stderr)
        for n in noisy:
            print(f"  noisy    {name} {check}: {n}", file=sys.stderr)
    return rows


def cell(counts, npos, nneg):
    if counts is None:
        return f"–/{npos}", f"–/{nneg}"
    return f"{counts[0]}/{npos}", f"{counts[1]}/{nneg}"


def print_markdown(rows):
    """One table for the two gixy forks (one row per check), one for nginx-lint."""
    gixy = {}
    for peer, check, rule, npos, counts, nneg in rows:
        if peer.startswith(("gixy-ng", "Gixy-Next")):
            gixy.setdefault(check, {"rule": rule})[peer.split()[0]] = cell(counts, npos, nneg)
    if gixy:
        print("| gixy check | ngxlint rule | gixy-ng caught | gixy-ng silent | Gixy-Next caught | Gixy-Next silent |")
        print("|---|---|---|---|---|---|")
        for check, r in sorted(gixy.items()):
            rule = " + ".join(f"`{x}`" for x in r["rule"].split(",")) if r["rule"] and (r.get("gixy-ng") or r.get("Gixy-Next")) and \
                not all(c[0].startswith("–") for k, c in r.items() if k != "rule") else "declined"
            ng = r.get("gixy-ng", ("", ""))
            nx = r.get("Gixy-Next", ("", ""))
            print(f"| {check} | {rule} | {ng[0]} | {ng[1]} | {nx[0]} | {nx[1]} |")
        print()
    nl = [r for r in rows if r[0] == "nginx-lint"]
    if nl:
        print("| nginx-lint rule | ngxlint rule | caught | silent |")
        print("|---|---|---|---|")
        for peer, check, rule, npos, counts, nneg in nl:
            c = cell(counts, npos, nneg)
            shown = " + ".join(f"`{x}`" for x in rule.split(",")) if counts is not None else "declined"
            print(f"| {check} | {shown} | {c[0]} | {c[1]} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ngxlint", default="target/debug/ngxlint")
    ap.add_argument("--gixy-ng")
    ap.add_argument("--gixy-next")
    ap.add_argument("--nginx-lint")
    ap.add_argument("--markdown", action="store_true")
    a = ap.parse_args()
    ngxlint = os.path.abspath(a.ngxlint)
    rules = known_rules(ngxlint)
    rows = []
    if a.gixy_ng:
        rows += measure("gixy-ng 0.2.59", gixy_cases(a.gixy_ng), GIXY, ngxlint, rules)
    if a.gixy_next:
        rows += measure("Gixy-Next 0.9.0", gixy_cases(a.gixy_next), GIXY, ngxlint, rules)
    if a.nginx_lint:
        rows += measure("nginx-lint", nginx_lint_cases(a.nginx_lint), NGINX_LINT, ngxlint, rules)
    totals = {}
    for peer, check, rule, npos, counts, nneg in rows:
        t = totals.setdefault(peer, [0, 0, 0, 0])
        t[1] += npos
        if counts is not None:
            t[0] += counts[0]
            t[2] += counts[1]
            t[3] += nneg
    if a.markdown:
        print_markdown(rows)
    else:
        for peer, check, rule, npos, counts, nneg in rows:
            if counts is None:
                cells = ("declined", f"–/{npos}", f"–/{nneg}")
            else:
                cells = (f"`{rule}`", f"{counts[0]}/{npos}", f"{counts[1]}/{nneg}")
            print(f"{peer:16} {check:38} {cells[0]:30} caught {cells[1]:>7}  silent {cells[2]:>7}")
    for peer, (c, p, s, n) in totals.items():
        print(f"# {peer}: {c}/{p} positives caught (all checks), {s}/{n} negatives of mapped checks silent",
              file=sys.stderr)


if __name__ == "__main__":
    main()
