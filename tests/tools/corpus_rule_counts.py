#!/usr/bin/env python3
"""Count what given rules find on the corpus files nginx accepted (MANIFEST.tsv column 8).

Usage: python3 tests/tools/corpus_rule_counts.py [--corpus DIR] [--ngxlint BIN] RULE...

Prints every finding (file:line:col rule message) and a count per rule, to judge by hand
whether each one is a true finding; tests/corpus.rs keeps the judged ones. nginx-tests
templates (`placeholders=` in the notes) are filled as tests/support.rs fills them
(`%%TEST_GLOBALS*%%` empty, `%%PORT_N%%` → N, `%%TESTDIR%%` → a temporary directory), so
the counts are those of the files nginx accepted.
"""


def fill_placeholders(text, testdir):
    def sub(m):
        name = m.group(1)
        if name.startswith("TEST_GLOBALS"):
            return ""
        if name == "TESTDIR":
            return testdir
        port = re.match(r"PORT_(\d+)", name)
        return port.group(1) if port else m.group(0)
    return re.sub(r"%%([^%]*)%%", sub, text)
import argparse
import json
import os
import re
import subprocess
import tempfile
from collections import Counter

CONTEXTS = {"main": "main", "empty": "main", "http": "http", "server": "server",
            "location": "location", "stream": "stream"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.environ.get("NGXLINT_CORPUS", "../shared/corpus"))
    ap.add_argument("--ngxlint", default="target/debug/ngxlint")
    ap.add_argument("rules", nargs="+")
    a = ap.parse_args()
    ngxlint = os.path.abspath(a.ngxlint)
    counts = Counter()
    files = 0
    testdir = tempfile.mkdtemp(prefix="ngxlint-corpus-testdir-")
    with open(os.path.join(a.corpus, "MANIFEST.tsv")) as f:
        rows = [l.rstrip("\n").split("\t") for l in f.readlines()[1:] if l.strip()]
    for r in rows:
        if r[7] != "accepted":
            continue
        files += 1
        cmd = [ngxlint, "check", "--no-config", "--format", "json", "--nginx-version", "1.22.1",
               "--select", ",".join(a.rules)]
        if r[6] in CONTEXTS:
            cmd += ["--context", CONTEXTS[r[6]]]
        target = r[0]
        if "placeholders=" in r[10]:
            with open(os.path.join(a.corpus, r[0]), errors="surrogateescape") as f:
                filled = fill_placeholders(f.read(), testdir)
            target = os.path.join(testdir, os.path.basename(r[0]))
            with open(target, "w", errors="surrogateescape") as f:
                f.write(filled)
        cmd.append(target)
        p = subprocess.run(cmd, cwd=a.corpus, capture_output=True, text=True, timeout=120)
        try:
            diags = json.loads(p.stdout).get("diagnostics", [])
        except json.JSONDecodeError:
            continue
        for d in diags:
            counts[d["rule"]] += 1
            shown = r[0] if target != r[0] else d["file"]
            print(f"{shown}:{d['line']}:{d['column']} [{d['rule']}] {d['message']}")
    print(f"# {files} accepted files")
    for rule in a.rules:
        print(f"# {rule}: {counts[rule]}")


if __name__ == "__main__":
    main()
