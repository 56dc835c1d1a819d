//! Fix properties over every fixture (`fixtures/rules/*/*.conf`, `fixtures/syntax/ok/*.conf`, the
//! bundled example), the atomic writer, the `fix` / `check --diff` command line, and a snapshot of
//! every fixture's `--unsafe-fixes` diff.
//!
//! Properties, for safe-only and for all fixes: the fixed text parses; fixing it again changes
//! nothing; no fix of the allowed kind is left from the rules that fired; every changed line was
//! touched by a fix; the line-ending style is kept; and whatever `nginx -t` accepted before it
//! still accepts (nginx is the judge).

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use ngxlint::fix::Applicability;
use ngxlint::lint::{FixError, FixOutcome, Linted, Options, fix_path, lint_path};
use ngxlint::rules::Diagnostic;
use ngxlint::semantics::directives::Version;

use crate::support;

// ---------------------------------------------------------------------------------------------
// Helpers

/// Run the ngxlint binary in `cwd` (bounded at 60 s): exit code, stdout, stderr.
pub fn ngxlint(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let mut child = Command::new(support::ngxlint_bin())
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ngxlint");
    let pipe = |mut r: Box<dyn Read + Send>| {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            let _ = tx.send(s);
        });
        rx
    };
    let out = pipe(Box::new(child.stdout.take().unwrap()));
    let err = pipe(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ngxlint {args:?} did not finish within 60 s");
        }
        thread::sleep(Duration::from_millis(10));
    };
    let wait = Duration::from_secs(5);
    (
        status.code().unwrap_or(-1),
        out.recv_timeout(wait).unwrap_or_default(),
        err.recv_timeout(wait).unwrap_or_default(),
    )
}

/// Every fixture the properties run over, relative to the repository root (the tests' working
/// directory), so paths in diffs and messages are the same everywhere.
fn fixtures() -> Vec<PathBuf> {
    let root = support::repo_root();
    let mut out = Vec::new();
    for dir in crate::rules::rule_fixture_dirs() {
        out.extend(crate::rules::conf_files(&dir));
    }
    out.extend(crate::rules::conf_files(&root.join("fixtures/syntax/ok")));
    out.push(root.join("fixtures/examples/gradio-streaming/nginx.conf"));
    out.into_iter()
        .map(|p| p.strip_prefix(&root).unwrap().to_owned())
        .collect()
}

/// Lint options for a fixture: the default target, or `# ngxlint: nginx-version=X.Y.Z`.
fn options(path: &Path) -> Options {
    let src = std::fs::read_to_string(path).unwrap_or_default();
    let mut opts = Options::default();
    if let Some(v) = src
        .lines()
        .take(3)
        .find_map(|l| l.trim().strip_prefix("# ngxlint: nginx-version="))
        .and_then(Version::parse)
    {
        opts.version = v;
    }
    opts
}

/// `# ngxlint: context=X` on the first line (for wrapping fragments for nginx -t), else main.
fn nginx_context(path: &Path) -> String {
    let src = std::fs::read(path).unwrap_or_default();
    String::from_utf8_lossy(&src)
        .lines()
        .next()
        .and_then(|l| l.trim().strip_prefix("# ngxlint: context="))
        .unwrap_or("main")
        .trim()
        .to_owned()
}

fn nginx_testable(path: &Path) -> bool {
    let src = std::fs::read(path).unwrap_or_default();
    !String::from_utf8_lossy(&src).contains("ngxlint: no-nginx-test")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        let ft = e.file_type().unwrap();
        if ft.is_dir() {
            copy_dir(&src, &dst);
        } else if ft.is_file() {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Where the fixture file `p` (a path of the original program) lives in a copy of `dir`.
fn in_copy(p: &Path, dir: &Path, copy: &Path) -> PathBuf {
    if let Ok(rel) = p.strip_prefix(dir) {
        return copy.join(rel);
    }
    let (p, dir) = (
        std::fs::canonicalize(p).unwrap(),
        std::fs::canonicalize(dir).unwrap(),
    );
    copy.join(
        p.strip_prefix(&dir)
            .unwrap_or_else(|_| panic!("{} is outside {}", p.display(), dir.display())),
    )
}

fn allowed(d: &Diagnostic, allow_unsafe: bool) -> bool {
    d.fix.as_ref().is_some_and(|f| {
        !f.edits.is_empty() && (allow_unsafe || f.applicability == Applicability::Safe)
    })
}

fn mode(allow_unsafe: bool) -> &'static str {
    if allow_unsafe { "unsafe" } else { "safe" }
}

fn count_bare_lf(b: &[u8]) -> usize {
    b.iter()
        .enumerate()
        .filter(|&(i, &c)| c == b'\n' && (i == 0 || b[i - 1] != b'\r'))
        .count()
}

fn count_crlf(b: &[u8]) -> usize {
    b.windows(2).filter(|w| w == b"\r\n").count()
}

/// Line index (0-based) of byte `offset`.
fn line_of(src: &[u8], offset: usize) -> usize {
    src[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Lines of `before` a line diff shows as removed or replaced in `after`.
fn changed_lines(before: &[u8], after: &[u8]) -> Vec<usize> {
    let (old, new) = (
        String::from_utf8_lossy(before),
        String::from_utf8_lossy(after),
    );
    let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
    let mut out = Vec::new();
    for op in diff.ops() {
        if !matches!(op.tag(), similar::DiffTag::Equal | similar::DiffTag::Insert) {
            out.extend(op.old_range());
        }
    }
    out
}

/// The lines each allowed fix of `linted` touches, per file path: from the line of an edit's start
/// to the line of its end.
fn touched_lines(linted: &Linted, allow_unsafe: bool) -> Vec<(PathBuf, BTreeSet<usize>)> {
    let mut out: Vec<(PathBuf, BTreeSet<usize>)> = Vec::new();
    for d in linted
        .diagnostics
        .iter()
        .filter(|d| allowed(d, allow_unsafe))
    {
        for e in &d.fix.as_ref().unwrap().edits {
            let f = linted.program.file(e.file);
            let (a, b) = (
                line_of(&f.src, e.span.start as usize),
                line_of(&f.src, e.span.end as usize),
            );
            match out.iter_mut().find(|(p, _)| p == &f.path) {
                Some((_, set)) => set.extend(a..=b),
                None => out.push((f.path.clone(), (a..=b).collect())),
            }
        }
    }
    out
}

/// Fix `path`, write the result into a copy of its directory, and return the copy's main file.
fn fixed_copy(path: &Path, outcome: &FixOutcome, tag: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = path.parent().unwrap();
    // Two levels down, beside a copy of the fixtures' test certificate: a TLS fixture names it
    // as `../../certs/test.pem` from `fixtures/rules/RULE/` (nginx reads paths from the
    // configuration's directory).
    let root = support::tempdir(tag);
    let copy = root.join("rules").join(dir.file_name().unwrap());
    std::fs::create_dir_all(&copy).unwrap();
    copy_dir(dir, &copy);
    let certs = dir.join("../../certs");
    if certs.is_dir() {
        std::fs::create_dir_all(root.join("certs")).unwrap();
        copy_dir(&certs, &root.join("certs"));
    }
    for c in &outcome.changes {
        std::fs::write(in_copy(&c.path, dir, &copy), &c.after).unwrap();
    }
    (copy.join(path.file_name().unwrap()), copy, root)
}

// ---------------------------------------------------------------------------------------------
// Properties over every fixture

/// All properties for one fixture and one applicability; failures are collected, not panicked,
/// so one run lists every broken case.
/// Returns `None` when the fixture has nothing to fix in this mode, else whether nginx judged it.
fn check_fixture(
    path: &Path,
    allow_unsafe: bool,
    nginx: Option<&Path>,
    failures: &mut Vec<String>,
) -> Option<bool> {
    let opts = options(path);
    let all = |_: &ngxlint::rules::Rule| true;
    let at = format!("{} ({})", path.display(), mode(allow_unsafe));
    let mut fail = |msg: String| failures.push(format!("{at}: {msg}"));
    let original = lint_path(path, &opts, &all).expect("lint fixture");
    let fixable: Vec<&Diagnostic> = original
        .diagnostics
        .iter()
        .filter(|d| allowed(d, allow_unsafe))
        .collect();
    if fixable.is_empty() {
        return None;
    }
    let fired: BTreeSet<&str> = original.diagnostics.iter().map(|d| d.rule.id).collect();
    let outcome = match fix_path(path, &opts, &all, allow_unsafe) {
        Ok(o) => o,
        Err(FixError::Blocked) => return None,
        Err(e) => {
            fail(format!("fix failed: {e}"));
            return Some(false);
        }
    };
    if outcome.applied.is_empty() || outcome.changes.is_empty() {
        fail(format!(
            "{} fixable finding(s) ({:?}) but nothing was applied",
            fixable.len(),
            fixable.iter().map(|d| d.rule.id).collect::<Vec<_>>()
        ));
        return Some(false);
    }
    let (copy_main, copy, root) = fixed_copy(path, &outcome, "fix-prop");

    // The fixed text parses.
    let relinted = lint_path(&copy_main, &opts, &all).expect("lint fixed copy");
    for d in relinted
        .diagnostics
        .iter()
        .chain(&outcome.fixed.diagnostics)
        .filter(|d| ngxlint::lint::FIX_BLOCKING_RULES.contains(&d.rule.id))
    {
        fail(format!("fixed text has {}: {}", d.rule.id, d.message));
    }

    // Fixpoint: nothing of the allowed kind is left from the rules that fired before.
    for d in relinted
        .diagnostics
        .iter()
        .filter(|d| allowed(d, allow_unsafe) && fired.contains(d.rule.id))
    {
        let f = relinted.program.file(d.primary.file);
        let lc = f.lines().line_col(d.primary.span.start);
        fail(format!(
            "after fixing, {} still offers a fix at line {}: {} ({})",
            d.rule.id,
            lc.line,
            d.fix.as_ref().unwrap().title,
            d.message
        ));
    }

    // Idempotence: fixing the fixed text changes nothing.
    match fix_path(&copy_main, &opts, &all, allow_unsafe) {
        Ok(again) => {
            for c in &again.changes {
                let rel = c.path.strip_prefix(&copy).unwrap_or(&c.path);
                fail(format!(
                    "not idempotent: fixing again changes {} ({:?}):\n{}",
                    rel.display(),
                    again.applied.iter().map(|a| a.rule).collect::<Vec<_>>(),
                    ngxlint::fix::diff::unified(&rel.display().to_string(), &c.before, &c.after)
                ));
            }
        }
        Err(e) => fail(format!("fixing the fixed text failed: {e}")),
    }

    // Every changed line is one a fix touched; line endings keep the file's style.
    let touched = touched_lines(&outcome.original, allow_unsafe);
    for c in &outcome.changes {
        let lines = touched
            .iter()
            .find(|(p, _)| p == &c.path)
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
        let untouched: Vec<usize> = changed_lines(&c.before, &c.after)
            .into_iter()
            .filter(|l| !lines.contains(l))
            .collect();
        if !untouched.is_empty() {
            fail(format!(
                "{}: line(s) {:?} changed but no applied fix touched them (fixes touched {:?})",
                c.path.display(),
                untouched.iter().map(|l| l + 1).collect::<Vec<_>>(),
                lines.iter().map(|l| l + 1).collect::<Vec<_>>()
            ));
        }
        let crlf_style = ngxlint::fix::style::line_ending(&c.before) == "\r\n";
        if crlf_style && count_bare_lf(&c.after) != count_bare_lf(&c.before) {
            fail(format!(
                "{}: CRLF file got {} bare LF line ending(s) (had {})",
                c.path.display(),
                count_bare_lf(&c.after),
                count_bare_lf(&c.before)
            ));
        }
        if !crlf_style && count_crlf(&c.after) != count_crlf(&c.before) {
            fail(format!(
                "{}: LF file got {} CRLF line ending(s) (had {})",
                c.path.display(),
                count_crlf(&c.after),
                count_crlf(&c.before)
            ));
        }
    }

    // nginx is the judge: what it accepted before, it accepts fixed.
    let mut judged = false;
    if let Some(nginx) = nginx
        && nginx_testable(path)
    {
        let ctx = nginx_context(path);
        judged = support::nginx_first_error(nginx, path, &ctx).is_none();
        if judged
            && let Some((msg, line)) = support::nginx_first_error(nginx, &copy_main, &ctx)
            && !newer_than_judge(&msg, nginx)
        {
            fail(format!(
                "nginx -t accepts the original but rejects the fixed text: {msg} (line {line}); \
                 applied {:?}",
                outcome.applied.iter().map(|a| a.rule).collect::<Vec<_>>()
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&root);
    Some(judged)
}

/// A fix for a target newer than the judging nginx (the default target is 1.28.0) may use a
/// directive that nginx does not have yet (`http2 on;`, 1.25.1): not the fix's fault.
fn newer_than_judge(msg: &str, nginx: &Path) -> bool {
    let Some(name) = msg
        .strip_prefix("unknown directive \"")
        .and_then(|r| r.split('"').next())
    else {
        return false;
    };
    let out = std::process::Command::new(nginx).arg("-v").output();
    let judge = out.ok().and_then(|o| {
        let text = String::from_utf8_lossy(&o.stderr).into_owned();
        text.split("nginx/")
            .nth(1)
            .and_then(|v| ngxlint::semantics::directives::Version::parse(v.trim()))
    });
    let specs = ngxlint::semantics::directives::lookup(name.as_bytes());
    judge.is_some_and(|j| !specs.is_empty() && specs.iter().all(|s| s.since > j))
}

#[test]
fn fix_properties_hold_on_every_fixture() {
    let nginx = support::nginx();
    let mut failures = Vec::new();
    let (mut fixed, mut judged) = ([0usize; 2], [0usize; 2]);
    for path in fixtures() {
        for allow_unsafe in [false, true] {
            let i = usize::from(allow_unsafe);
            if let Some(j) = check_fixture(&path, allow_unsafe, nginx.as_deref(), &mut failures) {
                fixed[i] += 1;
                judged[i] += usize::from(j);
            }
        }
    }
    eprintln!(
        "fix properties: {} fixture(s) with safe fixes ({} judged by nginx -t), {} with any fix \
         ({} judged); nginx: {}",
        fixed[0],
        judged[0],
        fixed[1],
        judged[1],
        if nginx.is_some() {
            "found"
        } else {
            "not found"
        }
    );
    assert!(
        fixed[0] >= 5 && fixed[1] >= 10,
        "too few fixtures with fixes: {fixed:?}"
    );
    if nginx.is_some() {
        assert!(
            judged[1] >= 10,
            "only {judged:?} fixed fixtures judged by nginx -t"
        );
    }
    assert!(
        failures.is_empty(),
        "{} fix property failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The `--unsafe-fixes` diff of every fixture that has fixes (`\r` shown as `␍`, since the
/// snapshot files normalise line endings).
#[test]
fn fix_diff_snapshots() {
    let mut n = 0;
    // The snapshot files the fixtures with fixes make: a fixture that stops having a fix
    // leaves its old snapshot behind, which insta does not notice.
    let mut expected = std::collections::BTreeSet::new();
    for path in fixtures() {
        let opts = options(&path);
        // The default set plus the fixture's own rule, as the rule snapshots.
        let own = crate::rules::fixture_rule(&path);
        let selected = |r: &ngxlint::rules::Rule| r.default || Some(r.id) == own.as_deref();
        let Ok(outcome) = fix_path(&path, &opts, &selected, true) else {
            continue;
        };
        if outcome.changes.is_empty() {
            continue;
        }
        let mut diff = String::new();
        for c in &outcome.changes {
            let name = c.path.display().to_string().replace('\\', "/");
            diff.push_str(&ngxlint::fix::diff::unified(&name, &c.before, &c.after));
        }
        let diff = diff.replace('\r', "␍");
        let slug = path
            .strip_prefix("fixtures")
            .unwrap()
            .display()
            .to_string()
            .replace(['/', '\\'], "__");
        expected.insert(format!("main__fix__fix_diff@{slug}.snap"));
        insta::with_settings!({ snapshot_suffix => slug, omit_expression => true }, {
            insta::assert_snapshot!("fix_diff", diff);
        });
        n += 1;
    }
    assert!(n >= 10, "only {n} fixtures with fixes");
    let stale: Vec<String> = std::fs::read_dir(support::repo_root().join("tests/snapshots"))
        .expect("tests/snapshots")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with("main__fix__fix_diff@") && f.ends_with(".snap"))
        .filter(|f| !expected.contains(f))
        .collect();
    assert!(
        stale.is_empty(),
        "fix-diff snapshots of fixtures that no longer have a fix (delete them):\n{}",
        stale.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The atomic writer

#[cfg(unix)]
#[test]
fn write_atomic_keeps_mode_follows_symlinks_leaves_nothing_behind() {
    use ngxlint::fix::write::write_atomic;
    use std::os::unix::fs::PermissionsExt;

    let dir = support::tempdir("write-atomic");
    let names = |d: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };

    // The mode is kept.
    let f = dir.join("a.conf");
    std::fs::write(&f, "old\n").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
    write_atomic(&f, b"new\n").unwrap();
    assert_eq!(std::fs::read(&f).unwrap(), b"new\n");
    let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o640, "mode {mode:o}");
    assert_eq!(names(&dir), ["a.conf"]);

    // Through a symlink: the target is rewritten, the link stays a link.
    let sub = dir.join("real");
    std::fs::create_dir(&sub).unwrap();
    let target = sub.join("t.conf");
    std::fs::write(&target, "old\n").unwrap();
    let link = dir.join("link.conf");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    write_atomic(&link, b"via link\n").unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_link(&link).unwrap(), target);
    assert_eq!(std::fs::read(&target).unwrap(), b"via link\n");
    assert_eq!(names(&dir), ["a.conf", "link.conf", "real"]);
    assert_eq!(names(&sub), ["t.conf"]);

    // Errors: a path under a regular file; a dangling link; a directory as the target (the temp
    // file is created, then the rename fails). Nothing changes, no temp file is left.
    assert!(write_atomic(&f.join("x.conf"), b"x").is_err());
    let dangling = dir.join("dangling.conf");
    std::os::unix::fs::symlink(dir.join("missing.conf"), &dangling).unwrap();
    assert!(write_atomic(&dangling, b"x").is_err());
    assert!(!dir.join("missing.conf").exists());
    let victim = sub.join("d.conf");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("inside"), "keep").unwrap();
    assert!(write_atomic(&victim, b"x").is_err());
    assert!(victim.is_dir());
    assert_eq!(std::fs::read(victim.join("inside")).unwrap(), b"keep");
    assert_eq!(std::fs::read(&f).unwrap(), b"new\n");
    assert_eq!(
        names(&dir),
        ["a.conf", "dangling.conf", "link.conf", "real"]
    );
    assert_eq!(names(&sub), ["d.conf", "t.conf"]);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// The command line

#[test]
fn fix_refuses_to_write_a_file_with_syntax_errors() {
    let dir = support::tempdir("fix-syntax");
    let src = support::repo_root().join("fixtures/rules/syntax-error/bad-missing-semicolon.conf");
    let f = dir.join("nginx.conf");
    std::fs::copy(&src, &f).unwrap();
    let before = std::fs::read(&f).unwrap();
    for args in [
        &["fix", "nginx.conf"][..],
        &["fix", "--unsafe-fixes", "nginx.conf"],
    ] {
        let (code, out, err) = ngxlint(args, &dir);
        assert_eq!(code, 2, "{args:?}: stdout {out}\nstderr {err}");
        assert!(err.contains("syntax"), "{args:?}: {err}");
        assert_eq!(
            std::fs::read(&f).unwrap(),
            before,
            "{args:?} wrote the file"
        );
    }
    let entries = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(entries, 1, "files were created next to the config");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = support::tempdir("fix-diff");
    let src = support::repo_root().join("fixtures/examples/gradio-streaming/nginx.conf");
    let f = dir.join("nginx.conf");
    std::fs::copy(&src, &f).unwrap();
    let before = std::fs::read(&f).unwrap();
    for args in [
        &["fix", "--diff", "nginx.conf"][..],
        &["fix", "--diff", "--unsafe-fixes", "nginx.conf"],
        &["check", "--diff", "nginx.conf"],
        &["check", "--diff", "--unsafe-fixes", "nginx.conf"],
    ] {
        let (code, out, err) = ngxlint(args, &dir);
        assert!(code == 0 || code == 1, "{args:?}: exit {code}\n{err}");
        assert!(
            out.starts_with("--- a/nginx.conf\n+++ b/nginx.conf\n@@ "),
            "{args:?}: {out}"
        );
        assert!(
            out.lines()
                .any(|l| l.starts_with('+') && l.contains("proxy_buffering off;"))
        );
        assert_eq!(
            std::fs::read(&f).unwrap(),
            before,
            "{args:?} wrote the file"
        );
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "{args:?}");
    }
    // --unsafe-fixes shows more than the safe fixes.
    let (_, safe, _) = ngxlint(&["fix", "--diff", "nginx.conf"], &dir);
    let (_, all, _) = ngxlint(&["fix", "--diff", "--unsafe-fixes", "nginx.conf"], &dir);
    // The `/ws` location's inherited X-Forwarded-For, copied before its headers are added,
    // is the unsafe part (the copy freezes the inherited list there).
    let copied = "+            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n+            proxy_set_header Upgrade";
    assert!(!safe.contains(copied), "{safe}");
    assert!(all.contains(copied), "{all}");
    assert!(all.len() > safe.len(), "{safe}\n{all}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fix_edits_what_it_can_read_when_an_include_is_missing() {
    let path = support::repo_root().join("fixtures/projects/fix-missing-include/nginx.conf");
    let outcome = fix_path(&path, &Options::default(), &|_| true, false)
        .expect("a missing include alone does not stop fix");
    assert_eq!(
        outcome.missing_includes.len(),
        1,
        "{:?}",
        outcome.missing_includes
    );
    assert!(
        outcome.missing_includes[0].contains("snippets/proxy-common.conf"),
        "{:?}",
        outcome.missing_includes
    );
    let after = String::from_utf8(outcome.changes[0].after.clone()).unwrap();
    assert!(
        after.contains("proxy_set_header Connection $connection_upgrade;"),
        "{after}"
    );
    assert!(
        after.contains("map $http_upgrade $connection_upgrade"),
        "{after}"
    );

    // The command line says which include was missing and exits 2 (not fully checked).
    let dir = support::tempdir("fix-missing-include");
    let copy = dir.join("nginx.conf");
    std::fs::copy(&path, &copy).unwrap();
    let out = Command::new(support::ngxlint_bin())
        .arg("fix")
        .arg(&copy)
        .output()
        .unwrap();
    let err = support::stderr(&out);
    assert_eq!(support::code(&out), 2, "{err}");
    assert!(err.contains("snippets/proxy-common.conf"), "{err}");
    let written = std::fs::read_to_string(&copy).unwrap();
    assert!(written.contains("$connection_upgrade;"), "{written}");
}

/// A server listening on IPv4 and IPv6 with `http2` on both lines gets one `http2 on;`: nginx
/// refuses a second (held-out 358 and 359: each line's fix added its own).
#[test]
fn http2_on_is_added_once_per_server() {
    let dir = support::tempdir("fix-http2-dual");
    let src = support::repo_root()
        .join("fixtures/rules/http2-listen-deprecated/bad-listen-http2-dual-stack.conf");
    let f = dir.join("nginx.conf");
    std::fs::copy(&src, &f).unwrap();
    let (code, _, err) = ngxlint(
        &[
            "fix",
            "--no-config",
            "--nginx-version",
            "1.28.0",
            "nginx.conf",
        ],
        &dir,
    );
    assert!(code == 0 || code == 1, "exit {code}\n{err}");
    let written = std::fs::read_to_string(&f).unwrap();
    let added = written.lines().filter(|l| l.trim() == "http2 on;").count();
    assert_eq!(added, 1, "{written}");
    assert_eq!(written.matches(" http2;").count(), 0, "{written}");
    assert_eq!(written.matches("listen ").count(), 2, "{written}");
    let (code, out, err) = ngxlint(
        &[
            "check",
            "--no-config",
            "--nginx-version",
            "1.28.0",
            "--format",
            "concise",
            "nginx.conf",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{out}\n{err}\n{written}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `http2 on;` is refused by nginx before 1.25.1: with no target version given, moving
/// `http2` out of `listen` is applied only with `--unsafe-fixes`; with the target given, it is
/// a safe fix.
#[test]
fn http2_on_is_written_safely_only_for_a_given_target() {
    let dir = support::tempdir("fix-http2-target");
    let src =
        support::repo_root().join("fixtures/rules/http2-listen-deprecated/bad-listen-http2.conf");
    let f = dir.join("nginx.conf");
    let added = "http2 on;";
    for (args, writes) in [
        (&["fix", "--no-config", "--diff", "nginx.conf"][..], false),
        (
            &[
                "fix",
                "--no-config",
                "--diff",
                "--unsafe-fixes",
                "nginx.conf",
            ],
            true,
        ),
        (
            &[
                "fix",
                "--no-config",
                "--diff",
                "--nginx-version",
                "1.28.0",
                "nginx.conf",
            ],
            true,
        ),
    ] {
        std::fs::copy(&src, &f).unwrap();
        let (code, out, err) = ngxlint(args, &dir);
        assert!(code == 0 || code == 1, "{args:?}: exit {code}\n{err}");
        let adds = out.lines().any(|l| l.starts_with('+') && l.contains(added));
        assert_eq!(adds, writes, "{args:?}:\n{out}\n{err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A line added after a directive that shares its line with what comes before it (a block
/// written on one line) goes on that line after a space: no unindented line of its own, the
/// block stays one line; a directive on a line of its own gets a line at its indentation.
#[test]
fn added_lines_follow_a_one_line_block() {
    let root = support::repo_root();
    let one_line = "fixtures/rules/auth-request-body-limit/bad-one-line-auth-location.conf";
    let (code, out, err) = ngxlint(&["fix", "--diff", "--no-config", one_line], &root);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    let added: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .collect();
    assert_eq!(added.len(), 1, "{out}");
    assert!(
        added[0].starts_with(
            "+        location = /auth { internal; client_max_body_size 100m; proxy_pass "
        ),
        "{out}"
    );
    let own_lines =
        "fixtures/rules/auth-request-body-limit/bad-default-limit-in-auth-location.conf";
    let (code, out, err) = ngxlint(&["fix", "--diff", "--no-config", own_lines], &root);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    assert!(
        out.lines()
            .any(|l| l == "+            client_max_body_size 32m;"),
        "{out}"
    );
}
