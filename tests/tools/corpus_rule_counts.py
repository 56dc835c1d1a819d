#!/usr/bin/env python3
"""Count what given rules find on the corpus files nginx accepted (MANIFEST.tsv column 8).

Usage: python3 tests/tools/corpus_rule_counts.py [--corpus DIR] [--ngxlint BIN] RULE...

Prints every finding (file:line:col rule message) and a count per rule, to judge by hand
whether each one is a true finding; tests/corpus.rs keeps the judged ones.
"""
import argparse
import json
import os
import subprocess
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
        cmd.append(r[0])
        p = subprocess.run(cmd, cwd=a.corpus, capture_output=True, text=True, timeout=120)
        try:
            diags = json.loads(p.stdout).get("diagnostics", [])
        except json.JSONDecodeError:
            continue
        for d in diags:
            counts[d["rule"]] += 1
            print(f"{d['file']}:{d['line']}:{d['column']} [{d['rule']}] {d['message']}")
    print(f"# {files} accepted files")
    for rule in a.rules:
        print(f"# {rule}: {counts[rule]}")


if __name__ == "__main__":
    main()
