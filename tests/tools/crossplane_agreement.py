#!/usr/bin/env python3
"""Compare `ngxlint parse` with `crossplane parse` (crossplane 0.5.8) on every corpus file.

Usage: python3 tests/tools/crossplane_agreement.py [--corpus DIR] [--ngxlint BIN] [--comments]

Runs both from inside the corpus directory with the same relative path, so `file` strings match.
A file agrees when both outputs are identical JSON. Files where either side reports errors are
counted separately (crossplane stops at its first error and prints no `parsed`; ngxlint reports
every error and keeps the recovered tree, by design), and the parsed trees of files that both
accept are compared exactly.
"""
import argparse
import json
import os
import subprocess
import sys


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=60)
    try:
        return json.loads(p.stdout)
    except Exception:
        return {"_raw": p.stdout[:200].decode("utf-8", "replace"), "_stderr": p.stderr[-300:].decode("utf-8", "replace")}


def crossplane_parse(path, cwd, comments):
    """crossplane 0.5.8 through its API, with context analysis off: ngxlint's `parse` reports
    syntax and include errors only, and crossplane's context check treats every fragment as a
    main-context file. Serialised exactly as `crossplane parse` does (compact separators)."""
    import crossplane
    old = os.getcwd()
    os.chdir(cwd)
    try:
        payload = crossplane.parse(path, comments=comments, check_ctx=False)
    except Exception as e:  # crossplane itself crashed
        return {"_crash": repr(e)}
    finally:
        os.chdir(old)
    return json.loads(json.dumps(payload, separators=(",", ":")))


def nginx_unescape(v):
    """nginx's token value: \\" \\' \\\\ \\t \\r \\n are unescaped, other \\x kept."""
    out, i = [], 0
    while i < len(v):
        c = v[i]
        if c == "\\" and i + 1 < len(v):
            n = v[i + 1]
            if n in "\"'\\":
                out.append(n); i += 2; continue
            if n in "trn":
                out.append({"t": "\t", "r": "\r", "n": "\n"}[n]); i += 2; continue
        out.append(c); i += 1
    return "".join(out)


LUA_BLOCKS_SUFFIX = "_by_lua_block"


def normalize(payload, comments):
    """Remove crossplane's documented deviations from nginx (see the README): escapes kept in
    argument values, comments between arguments emitted without --include-comments."""
    def fix_block(block):
        out = []
        for st in block:
            if st.get("directive") == "#" and not comments:
                continue
            st = dict(st)
            if not st.get("directive", "").endswith(LUA_BLOCKS_SUFFIX):
                st["args"] = [nginx_unescape(a) for a in st.get("args", [])]
            if "block" in st:
                st["block"] = fix_block(st["block"])
            out.append(st)
        return out
    p = json.loads(json.dumps(payload))
    for c in p.get("config", []):
        c["parsed"] = fix_block(c.get("parsed", []))
    return p


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap.add_argument("--corpus", default=os.environ.get("NGXLINT_CORPUS", os.path.join(repo, "..", "shared", "corpus")))
    ap.add_argument("--ngxlint", default=os.path.join(repo, "target", "release", "ngxlint"))
    ap.add_argument("--comments", action="store_true")
    ap.add_argument("--show", type=int, default=10)
    a = ap.parse_args()
    corpus = os.path.abspath(a.corpus)
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8")][1:]
    extra = ["--include-comments"] if a.comments else []
    same = both_ok_same = both_ok = both_failed = known_deviation = 0
    disagreements = []
    status_diff = []
    for row in rows:
        path = row[0]
        cp = crossplane_parse(path, corpus, a.comments)
        ng = run([a.ngxlint, "parse"] + extra + [path], corpus)
        if cp == ng:
            same += 1
        cp_ok = cp.get("status") == "ok"
        ng_ok = ng.get("status") == "ok"
        if cp_ok and ng_ok:
            both_ok += 1
            if cp == ng:
                both_ok_same += 1
            elif normalize(cp, a.comments) == ng:
                known_deviation += 1
            else:
                disagreements.append(path)
        elif cp_ok != ng_ok:
            status_diff.append((path, cp.get("errors", [])[:1], ng.get("errors", [])[:1]))
        else:
            both_failed += 1
    print(f"files: {len(rows)}")
    print(f"identical output: {same}")
    print(f"both ok: {both_ok}, identical among them: {both_ok_same}")
    print(f"both report errors: {both_failed}")
    print(f"status differs: {len(status_diff)}")
    for p, c, n in status_diff[: a.show]:
        print(f"  {p}\n    crossplane: {c}\n    ngxlint:    {n}")
    print(f"both ok, identical once crossplane's documented deviations (escapes, comments between args) are undone: {known_deviation}")
    print(f"both ok but different otherwise: {len(disagreements)}")
    for p in disagreements[: a.show]:
        print(f"  {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
