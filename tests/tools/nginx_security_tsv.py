#!/usr/bin/env python3
"""Extract nginx's own security facts into the TSVs `src/semantics/cves.rs` is tested against.

  changes  GIT_DIR COMMIT BRANCH...  -> tests/data/nginx-changes-security.tsv
      (CVE, fixed release) for every CVE named by a `<change type="security">` entry of
      docs/xml/nginx/changes.xml on each branch (mainline and every stable-X.Y branch: a
      stable release's entries are only on its own branch). COMMIT names the snapshot.
  advisories GIT_DIR COMMIT          -> tests/data/nginx-security-advisories.tsv
      every item of xml/en/security_advisories.xml (the source of
      https://nginx.org/en/security_advisories.html) in the nginx.org repository at COMMIT:
      CVE, severity, the "Not vulnerable" and "Vulnerable" lines, the advisory link.

Usage (how the committed files were made):
  python3 tests/tools/nginx_security_tsv.py changes /work/.mirror/nginx+nginx/repo \
      master $(git --git-dir=... for-each-ref --format=%(refname:short) refs/heads/stable-*)
  python3 tests/tools/nginx_security_tsv.py advisories /work/.mirror/nginx+nginx.org/repo HEAD
"""
import re
import subprocess
import sys


def show(git_dir, rev, path):
    return subprocess.run(
        ["git", "--git-dir", git_dir, "show", f"{rev}:{path}"],
        capture_output=True, text=True, check=False, errors="replace",
    ).stdout


def rev_parse(git_dir, rev):
    return subprocess.run(
        ["git", "--git-dir", git_dir, "rev-parse", rev],
        capture_output=True, text=True, check=True,
    ).stdout.strip()


def changes(git_dir, branches):
    pairs = set()
    heads = []
    for b in branches:
        heads.append(f"{b}={rev_parse(git_dir, b)}")
        x = show(git_dir, b, "docs/xml/nginx/changes.xml")
        for m in re.finditer(r'<changes ver="([^"]+)"[^>]*>(.*?)</changes>', x, re.S):
            ver, body = m.groups()
            for c in re.finditer(r'<change type="security">(.*?)</change>', body, re.S):
                en = re.search(r'<para lang="en">(.*?)</para>', c.group(1), re.S)
                for cve in re.findall(r"CVE-\d{4}-\d+", en.group(1) if en else ""):
                    pairs.add((cve, ver))
    print("# (CVE, fixed release) from the security entries of nginx's docs/xml/nginx/changes.xml")
    print("# made by: python3 tests/tools/nginx_security_tsv.py changes <nginx git dir> " + " ".join(branches))
    print("# branches at: " + " ".join(heads))
    print("cve\tfixed")
    key = lambda p: (p[0], tuple(int(n) for n in p[1].split(".")))
    for cve, ver in sorted(pairs, key=key):
        print(f"{cve}\t{ver}")


def advisories(git_dir, rev):
    commit = rev_parse(git_dir, rev)
    x = show(git_dir, commit, "xml/en/security_advisories.xml")
    print("# the items of xml/en/security_advisories.xml (https://nginx.org/en/security_advisories.html)")
    print(f"# made by: python3 tests/tools/nginx_security_tsv.py advisories <nginx.org git dir> {commit}")
    print("cve\tseverity\tnot_vulnerable\tvulnerable\tname\tadvisory")
    for m in re.finditer(r"<item (.*?)/?>", x, re.S):
        a = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        cve = f"CVE-{a['cve']}" if "cve" in a else a.get("core", "")
        print("\t".join([cve, a.get("severity", ""), a.get("good", ""), a.get("vulnerable", ""),
                         a.get("name", ""), a.get("advisory", "")]))


if __name__ == "__main__":
    if sys.argv[1] == "changes":
        changes(sys.argv[2], sys.argv[3:])
    else:
        advisories(sys.argv[2], sys.argv[3])
