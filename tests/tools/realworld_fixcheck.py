#!/usr/bin/env python3
"""Run `ngxlint fix --unsafe-fixes` on a copy of every real-world set file that passes `nginx -t`
and check that the fixed copy still passes, and which locations the fixes touched.

    tests/tools/realworld_fixcheck.py [--local DIR] [--ngxlint target/debug/ngxlint]

Fragments are wrapped as tests/support.rs wraps them (http: `events {} http { include F; }`,
server: inside `server { listen 127.0.0.1:1; }`, location: inside `location / {}`). Every fix must
keep the copy passing `nginx -t`. Each line the streaming rules' fixes edit is mapped to the
innermost `location` of the original file that contains it and looked up in
tests/realworld/locations.tsv (the hand-judged transport of that location): an edit in a
`plain` or `static` location is reported, and counted apart when it follows a finding judged
`false` in judgments.tsv (a known false alarm, already in the precision figures).
"""
import argparse
import csv
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SET = os.path.join(ROOT, "tests", "realworld")
NGINX = os.environ.get("NGXLINT_NGINX", "/usr/sbin/nginx")


def rows(name):
    with open(os.path.join(SET, name), newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def nginx_t(path, context, workdir):
    frag = os.path.abspath(path)
    wrap = {
        "main": None,
        "http": "events {} http { include %s; }\n",
        "server": "events {} http { server { listen 127.0.0.1:1; include %s; } }\n",
        "location": "events {} http { server { listen 127.0.0.1:1; location / { include %s; } } }\n",
    }[context]
    conf = frag
    if wrap:
        conf = os.path.join(workdir, "main.conf")
        with open(conf, "w") as f:
            f.write(wrap % frag)
    p = subprocess.run(
        [NGINX, "-t", "-p", workdir, "-c", conf, "-g", f"pid {workdir}/nginx.pid; error_log stderr;"],
        capture_output=True,
        text=True,
    )
    err = next((l for l in p.stderr.splitlines() if "[emerg]" in l), p.stderr.strip())
    return p.returncode == 0, err


PLACEHOLDERS = {"__PORT__": "8095", "__PATH__": "/app"}
FILE_ARGS = re.compile(
    r"(^|[;{}\s])((?:include|ssl_certificate|ssl_certificate_key|ssl_trusted_certificate"
    r"|ssl_client_certificate|ssl_dhparam|auth_basic_user_file)\s+)([\"']?)([^;\"'\s]+)"
)


def deploy(path, workdir, cert):
    """Make a copy look deployed without changing what is under test: fill template
    placeholders (YunoHost's `__PORT__`), and give every missing file the config names
    (includes, certificates) a stand-in (nginx's own file from /etc/nginx where it has one,
    else an empty file or a self-signed certificate). Absolute paths are moved under the work
    directory. Line numbers stay the same."""
    text = open(path, encoding="utf-8", errors="surrogateescape").read()
    for k, v in PLACEHOLDERS.items():
        text = text.replace(k, v)
    text = re.sub(r"__[A-Z][A-Z0-9_]*__", "x", text)

    def stub(m):
        name, q, target = m.group(2), m.group(3), m.group(4)
        if "$" in target or "*" in target or "?" in target or "[" in target:
            return m.group(0)
        full = target if os.path.isabs(target) else os.path.join(workdir, target)
        if os.path.exists(full):
            return m.group(0)
        if os.path.isabs(target):
            target = os.path.join(workdir, "abs", target.lstrip("/"))
            full = target
        os.makedirs(os.path.dirname(full), exist_ok=True)
        directive = name.split()[0]
        system = os.path.join("/etc/nginx", os.path.basename(full))
        if directive == "include":
            shutil.copy(system, full) if os.path.isfile(system) else open(full, "w").close()
        elif directive in ("ssl_certificate", "ssl_trusted_certificate", "ssl_client_certificate"):
            shutil.copy(cert[0], full)
        elif directive == "ssl_certificate_key":
            shutil.copy(cert[1], full)
        elif directive == "ssl_dhparam":
            shutil.copy(cert[2], full)
        else:
            open(full, "w").close()
        return m.group(1) + name + q + target

    text = FILE_ARGS.sub(stub, text)
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)


def make_cert(d):
    crt, key, dh = (os.path.join(d, n) for n in ("cert.pem", "key.pem", "dh.pem"))
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-keyout", key, "-out", crt],
        check=True, capture_output=True,
    )
    subprocess.run(["openssl", "dhparam", "-out", dh, "1024"], check=True, capture_output=True)
    return crt, key, dh


def locations(text):
    """(start line, end line) of every `location` block, by brace matching outside comments and quotes."""
    out, stack = [], []
    line, i, n = 1, 0, len(text)
    word_start_line, words = None, []
    cur = ""
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        if c == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c in "\"'":
            q = c
            i += 1
            while i < n and text[i] != q:
                if text[i] == "\\":
                    i += 1
                if i < n and text[i] == "\n":
                    line += 1
                i += 1
            i += 1
            continue
        if c.isspace() or c in "{};":
            if cur:
                if not words:
                    word_start_line = line if c != "\n" else line - 1
                words.append(cur)
                cur = ""
            if c == "{":
                stack.append((words[0] if words else "", word_start_line))
                words = []
            elif c == ";":
                words = []
            elif c == "}":
                if stack:
                    name, start = stack.pop()
                    if name == "location":
                        out.append((start, line))
                words = []
        else:
            if not cur and not words:
                word_start_line = line
            cur += c
            # `${name}` is one word for nginx (its tokenizer keeps `{` after `$`), not a block.
            if c == "$" and i + 1 < n and text[i + 1] == "{":
                end = text.find("}", i)
                if end != -1:
                    cur += text[i + 1 : end + 1]
                    i = end
        i += 1
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--local", default=os.environ.get("NGXLINT_REALWORLD_LOCAL"))
    ap.add_argument("--ngxlint", default=os.path.join(ROOT, "target", "debug", "ngxlint"))
    ap.add_argument("--verbose", action="store_true", help="say why inputs fail nginx -t")
    a = ap.parse_args()
    certdir = tempfile.mkdtemp()
    cert = make_cert(certdir)
    transport = {(r["file"], int(r["line"])): r["transport"] for r in rows("locations.tsv")}
    # Findings judged false (the precision figures count them): a fix that follows one edits a
    # location that does not stream, and is counted apart; any other such edit is reported.
    judged_false = {(r["file"], int(r["line"])) for r in rows("judgments.tsv") if r["verdict"] == "false"}
    stats = dict(files=0, input_fails=0, passed=0, changed=0, still_pass=0, broke=0, hunks=0,
                 hunks_streaming=0, hunks_nonstreaming=0, hunks_unclassified=0, hunks_judged_false=0)
    report = []
    for s in rows("SOURCES.tsv"):
        src = os.path.join(SET, s["file"]) if s["committed"] == "yes" else (a.local and os.path.join(a.local, s["file"]))
        if not src or not os.path.isfile(src):
            continue
        stats["files"] += 1
        with tempfile.TemporaryDirectory() as work:
            copy = os.path.join(work, "set.conf")
            shutil.copy(src, copy)
            before = open(copy, encoding="utf-8", errors="surrogateescape").read()
            deploy(copy, work, cert)
            deployed = open(copy, encoding="utf-8", errors="surrogateescape").read()
            ok, err = nginx_t(copy, s["context"], work)
            if not ok:
                stats["input_fails"] += 1
                if a.verbose:
                    report.append(f"input fails nginx -t: {s['file']}: {err}")
            else:
                stats["passed"] += 1
                # 1. every fix (all rules): the fixed copy must still pass nginx -t
                subprocess.run(
                    [a.ngxlint, "fix", "--unsafe-fixes", "--no-config", "--nginx-version", "auto", "--nginx-binary", NGINX,
                     "--context", s["context"], copy],
                    capture_output=True,
                    text=True,
                )
                after_all = open(copy, encoding="utf-8", errors="surrogateescape").read()
                if after_all != deployed:
                    stats["changed"] += 1
                    ok2, err2 = nginx_t(copy, s["context"], work)
                    if ok2:
                        stats["still_pass"] += 1
                    else:
                        stats["broke"] += 1
                        report.append(f"BROKE {s['file']}: {err2}")
        # 2. the streaming rules' fixes alone, on every file as published (whether or not
        # nginx accepts it here; no stand-in includes, whose empty content would invent
        # findings): which locations do they edit?
        with tempfile.TemporaryDirectory() as work:
            copy = os.path.join(work, "set.conf")
            with open(copy, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(before)
            # upstream-keepalive-connection's fix (`Connection ""` where the upstream keeps
            # connections alive) belongs in any proxied location, streaming or not; step 1
            # checks that nginx accepts it.
            subprocess.run(
                [a.ngxlint, "fix", "--unsafe-fixes", "--no-config", "--select", "streaming",
                 "--ignore", "upstream-keepalive-connection", "--context", s["context"], copy],
                capture_output=True,
                text=True,
            )
            after = open(copy, encoding="utf-8", errors="surrogateescape").read()
            if after == before:
                continue
            locs = locations(before)
            sm = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
            for tag, i1, i2, _, _ in sm.get_opcodes():
                if tag == "equal":
                    continue
                stats["hunks"] += 1
                at = i1 + 1  # 1-based line of the edit in the original
                inner = [l for l in locs if l[0] <= at <= l[1] or (i1 == i2 and l[0] <= i1 <= l[1])]
                loc = max(inner, key=lambda l: l[0]) if inner else None
                if loc is None:
                    report.append(f"edit outside any location: {s['file']}:{at}")
                    continue
                t = transport.get((s["file"], loc[0]))
                if t is None:
                    stats["hunks_unclassified"] += 1
                    report.append(f"edit in a location without a locations.tsv row: {s['file']}:{at} (location at line {loc[0]})")
                elif t in ("plain", "static") and any(
                    f == s["file"] and loc[0] <= ln <= loc[1] for f, ln in judged_false
                ):
                    stats["hunks_judged_false"] += 1
                    report.append(f"edit after a finding judged false ({t}): {s['file']}:{at} (location at line {loc[0]})")
                elif t in ("plain", "static"):
                    stats["hunks_nonstreaming"] += 1
                    report.append(f"edit in a location judged non-streaming ({t}): {s['file']}:{at} (location at line {loc[0]})")
                else:
                    stats["hunks_streaming"] += 1
    print("\n".join(report))
    print(" ".join(f"{k}={v}" for k, v in stats.items()))


if __name__ == "__main__":
    sys.exit(main())
