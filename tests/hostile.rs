//! Hostile inputs through the real binary, each under a memory limit (RLIMIT_AS, set with
//! `ulimit -v` in a `sh -c`) and a wall-clock limit that kills the child: a regression to a
//! panic, a hang or unbounded memory fails here instead of hanging CI (issue #13).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{ngxlint_bin, tempdir};

/// Address-space limit for one run (the debug binary with mimalloc needs well under this).
const MEM_MB: u64 = 1024;
/// Wall-clock limit for one run.
const SECS: u64 = 20;
/// Output kept per stream (the rest is counted, not stored).
const KEEP: usize = 1 << 20;

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stdout_len: usize,
    pub stderr: String,
}

fn drain(mut r: impl Read + Send + 'static) -> std::thread::JoinHandle<(Vec<u8>, usize)> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut total = 0;
        let mut buf = [0u8; 65536];
        while let Ok(n) = r.read(&mut buf) {
            if n == 0 {
                break;
            }
            total += n;
            let room = KEEP.saturating_sub(kept.len()).min(n);
            kept.extend_from_slice(&buf[..room]);
        }
        (kept, total)
    })
}

/// Run `ngxlint ARGS` in `dir` with the limits; panics (naming the case) on a timeout.
pub fn limited(dir: &Path, args: &[&str]) -> Run {
    limited_with(dir, args, MEM_MB, SECS)
}

pub fn limited_with(dir: &Path, args: &[&str], mem_mb: u64, secs: u64) -> Run {
    let script = format!("ulimit -v {}; exec \"$0\" \"$@\"", mem_mb * 1024);
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(ngxlint_bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sh");
    let out = drain(child.stdout.take().expect("stdout"));
    let err = drain(child.stderr.take().expect("stderr"));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ngxlint {args:?} did not finish within {secs} s (killed)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (stdout, stdout_len) = out.join().expect("stdout reader");
    let (stderr, _) = err.join().expect("stderr reader");
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stdout_len,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "ngxlint {args:?} panicked:\n{}",
        run.stderr
    );
    assert_ne!(
        run.code,
        Some(101),
        "ngxlint {args:?} crashed:\n{}",
        run.stderr
    );
    assert!(
        run.code.is_some(),
        "ngxlint {args:?} was killed by a signal (memory limit?):\n{}",
        run.stderr
    );
    run
}

#[test]
fn finding_past_column_65535_renders() {
    let dir = tempdir("hostile-wide");
    let conf = format!(
        "events {{}}\nhttp {{ server {{ {} bogus_directive x; }} }}\n",
        "set $a b; ".repeat(7_000)
    );
    std::fs::write(dir.join("wide.conf"), &conf).unwrap();
    let col = conf.find("bogus_directive").unwrap() - conf.find('\n').unwrap();
    assert!(col > 65_535);
    let run = limited(&dir, &["check", "--no-config", "wide.conf"]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(&format!("wide.conf:2:{col}")),
        "true line:column in the header:\n{}",
        run.stdout
    );
    assert!(run.stdout.contains("bogus_directive"), "{}", run.stdout);
    assert!(
        run.stdout.contains('…'),
        "the long line is cut: {}",
        run.stdout
    );
    assert!(
        run.stdout_len < 8_000,
        "snippet is a window: {} bytes",
        run.stdout_len
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stray_braces_give_linear_output() {
    let dir = tempdir("hostile-braces");
    std::fs::write(dir.join("b.conf"), "}".repeat(100_000)).unwrap();
    for format in ["text", "concise", "json"] {
        let run = limited(
            &dir,
            &["check", "--no-config", "--format", format, "b.conf"],
        );
        assert_eq!(run.code, Some(2), "{format}: {}", run.stderr);
        assert!(
            run.stdout_len < 20_000,
            "{format}: one diagnostic for the run, got {} bytes",
            run.stdout_len
        );
    }
    // Many lines of stray braces: output grows linearly (one small diagnostic per line).
    std::fs::write(dir.join("lines.conf"), "}}}}}}}}}}\n".repeat(5_000)).unwrap();
    let run = limited(&dir, &["check", "--no-config", "lines.conf"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stdout_len < 5_000 * 600,
        "text output per line stays small: {} bytes",
        run.stdout_len
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Many findings on one long line (a minified file) cost each a bounded look at the line, not
/// a scan of it: the template-markup check looks at each line once, and lines and columns are
/// found from marks kept every 4 KiB of a long line. At stop 37 all three were quadratic
/// (release build, 200,000 syntax errors on one 1.6 MB line: 5.8 s in concise, 8.1 s in JSON,
/// 7 s in text; 100,000 with the markup check: 4.5 minutes); now 0.2–0.8 s.
#[test]
fn many_findings_on_one_line_stay_linear() {
    let dir = tempdir("hostile-one-line-errors");
    let line = format!("events {{}} {}\n", ["x \"a\"b;"; 50_000].join(" "));
    std::fs::write(dir.join("one-line.conf"), line).unwrap();
    for format in ["concise", "json", "text"] {
        let run = limited(
            &dir,
            &["check", "--no-config", "--format", format, "one-line.conf"],
        );
        assert_eq!(run.code, Some(2), "{format}: {}", run.stderr);
        if format == "concise" {
            // One line per error (the captured text is capped; its length is not).
            let per_line = run.stdout.len() / run.stdout.lines().count().max(1);
            assert!(
                run.stdout_len / per_line > 45_000,
                "one finding per error: {} bytes",
                run.stdout_len
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn files_including_each_other_by_glob_are_expanded_once() {
    // 24 files that each `include d/*.conf`: every include site expanding every file is
    // 2^24 visits (20 s, 3.4 GB before); now each (file, context) is expanded once.
    let dir = tempdir("hostile-glob");
    std::fs::create_dir(dir.join("d")).unwrap();
    let n = 24;
    for i in 0..n {
        std::fs::write(
            dir.join(format!("d/f{i:02}.conf")),
            format!("include d/*.conf;\nadd_header X-{i} v;\n"),
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("nginx.conf"),
        "events {}\nhttp {\n include d/*.conf;\n}\n",
    )
    .unwrap();
    let run = limited(
        &dir,
        &["check", "--no-config", "--format", "concise", "nginx.conf"],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let expansion = lines.iter().filter(|l| l.contains("over and over")).count();
    assert_eq!(expansion, 1, "{}", run.stdout);
    // Each cycle is reported once: one per include edge that closes one (file i's include
    // reaches files 0..=i again), not once per path.
    let cycles = lines
        .iter()
        .filter(|l| l.contains("include cycle:"))
        .count();
    assert_eq!(cycles, n * (n + 1) / 2, "{}", run.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo")
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_not_read() {
    // A FIFO argument or include target blocked `open` forever; /dev/zero was read until
    // memory ran out. Only regular files are read now, with a clear error.
    let dir = tempdir("hostile-fifo");
    mkfifo(&dir.join("pipe.conf"));
    for args in [
        &["check", "--no-config", "pipe.conf"][..],
        &["parse", "pipe.conf"],
        &["fix", "--no-config", "--diff", "pipe.conf"],
    ] {
        let run = limited(&dir, args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("not a regular file (a FIFO)"),
            "{args:?}: {}",
            run.stderr
        );
    }
    std::fs::write(
        dir.join("nginx.conf"),
        "events {}\nhttp {\n include /dev/zero;\n include pipe.conf;\n}\n",
    )
    .unwrap();
    let run = limited(
        &dir,
        &["check", "--no-config", "--format", "concise", "nginx.conf"],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("\"/dev/zero\" failed (not a regular file (a character device)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("(not a regular file (a FIFO)"),
        "{}",
        run.stdout
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn endless_stdin_is_cut_at_the_size_cap() {
    // `yes | ngxlint check -` never ends: the cap is checked while reading.
    let dir = tempdir("hostile-stdin");
    let bin = ngxlint_bin().display().to_string();
    let script = format!(
        "ulimit -v {}; yes 'a b;' | \"{bin}\" check --no-config -",
        1024 * 1024
    );
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = drain(child.stderr.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "check - on an endless stdin did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let (stderr, _) = err.join().unwrap();
    let stderr = String::from_utf8_lossy(&stderr);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot read stdin: larger than"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `sh -c` prefix that runs the rest as an unprivileged user when the tests run as root (root
/// ignores permissions, so EACCES cannot happen); empty otherwise.
#[cfg(unix)]
fn as_unprivileged() -> &'static str {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if root {
        "setpriv --reuid=65534 --regid=65534 --clear-groups "
    } else {
        ""
    }
}

#[cfg(unix)]
fn run_sh(dir: &Path, cmd: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {}; {cmd}", MEM_MB * 1024))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run sh")
}

#[cfg(unix)]
#[test]
fn unreadable_directories_and_includes_say_why() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("hostile-perm");
    let bin = ngxlint_bin().display().to_string();
    let sudo = as_unprivileged();
    // A walked tree with an unreadable directory: an error (exit 2), not "No problems found".
    std::fs::create_dir_all(dir.join("tree/private")).unwrap();
    std::fs::write(dir.join("tree/nginx.conf"), "events {}\n").unwrap();
    std::fs::write(dir.join("tree/private/a.conf"), "bogus;\n").unwrap();
    std::fs::set_permissions(
        dir.join("tree/private"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let out = run_sh(&dir, &format!("{sudo}\"{bin}\" check --no-config tree"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot read directory tree/private: permission denied"),
        "{stderr}"
    );
    // EACCES on an include is "Permission denied", a symlink to itself is ELOOP: not ENOENT.
    std::fs::create_dir(dir.join("locked")).unwrap();
    std::fs::write(dir.join("locked/a.conf"), "add_header X y;\n").unwrap();
    std::fs::set_permissions(dir.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::os::unix::fs::symlink("self.conf", dir.join("self.conf")).unwrap();
    std::fs::write(
        dir.join("nginx.conf"),
        "events {}\nhttp {\n include locked/a.conf;\n include self.conf;\n}\n",
    )
    .unwrap();
    let out = run_sh(
        &dir,
        &format!("{sudo}\"{bin}\" check --no-config --format concise nginx.conf"),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("locked/a.conf\" failed (13: Permission denied)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("self.conf\" failed (40: Too many levels of symbolic links)"),
        "{stdout}"
    );
    for d in ["tree/private", "locked"] {
        let _ = std::fs::set_permissions(dir.join(d), std::fs::Permissions::from_mode(0o755));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn hostile_file_names_are_escaped_and_exact_in_json() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempdir("hostile-names");
    let conf = "events {}\nhttp { bogus x; }\n";
    std::fs::write(dir.join("a\x1b[31mb\nc.conf"), conf).unwrap();
    let raw = std::ffi::OsStr::from_bytes(b"n\xffx.conf");
    std::fs::write(dir.join(raw), conf).unwrap();
    let run = limited(&dir, &["check", "--no-config", "--format", "concise", "."]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().filter(|l| l.contains("bogus")).collect();
    assert_eq!(lines.len(), 2, "one line per finding:\n{}", run.stdout);
    assert!(!run.stdout.contains('\x1b'), "no raw ESC: {:?}", run.stdout);
    assert!(
        run.stdout.contains(r"./a\x1b[31mb\nc.conf:2:8:"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(r"./n\xffx.conf:2:8:"), "{}", run.stdout);
    let text = limited(&dir, &["check", "--no-config", "."]);
    assert!(!text.stdout.contains('\x1b'), "text: no raw ESC");
    let run = limited(&dir, &["check", "--no-config", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let diags = v["diagnostics"].as_array().unwrap();
    // UTF-8 names are exact in `file` (JSON escapes the control characters itself).
    assert!(
        diags
            .iter()
            .any(|d| d["file"] == "./a\x1b[31mb\nc.conf" && d.get("file_bytes").is_none())
    );
    // Others: `file` escaped, `file_bytes` exact.
    let bytes: Vec<serde_json::Value> = b"./n\xffx.conf".iter().map(|&b| b.into()).collect();
    assert!(
        diags.iter().any(|d| d["file"] == r"./n\xffx.conf"
            && d["file_bytes"] == serde_json::Value::Array(bytes.clone())),
        "{}",
        run.stdout
    );
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- fix: never lose or misreport a write ----

/// A config with one safe fix (a literal `Upgrade` header → `$http_upgrade`).
const FIXABLE: &str = "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        \
location / {\n            proxy_pass http://127.0.0.1:8000;\n            \
proxy_http_version 1.1;\n            proxy_set_header Upgrade websocket;\n            \
proxy_set_header Connection \"upgrade\";\n        }\n    }\n}\n";

#[test]
fn fix_refuses_a_file_changed_since_it_was_read() {
    use ngxlint::fix::write::{WriteError, WriteOptions, write_checked};
    let dir = tempdir("hostile-changed");
    let f = dir.join("a.conf");
    std::fs::write(&f, "edited by someone else\n").unwrap();
    let e = write_checked(&f, b"original\n", b"fixed\n", WriteOptions::default()).unwrap_err();
    assert!(matches!(e, WriteError::Changed(_)), "{e}");
    assert!(
        e.to_string()
            .contains("changed on disk since ngxlint read it"),
        "{e}"
    );
    assert_eq!(std::fs::read(&f).unwrap(), b"edited by someone else\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn concurrent_fixes_serialise_and_the_loser_refuses() {
    use ngxlint::fix::write::{WriteError, WriteOptions, write_checked};
    let dir = tempdir("hostile-race");
    for round in 0..20 {
        let f = dir.join(format!("a{round}.conf"));
        std::fs::write(&f, "original\n").unwrap();
        let results: Vec<Result<(), WriteError>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|i| {
                    let f = f.clone();
                    s.spawn(move || {
                        let after = format!("fixed by run {i}\n");
                        write_checked(&f, b"original\n", after.as_bytes(), WriteOptions::default())
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let won: Vec<usize> = (0..4).filter(|&i| results[i].is_ok()).collect();
        assert_eq!(won.len(), 1, "exactly one run writes: {results:?}");
        for r in results.iter().filter(|r| r.is_err()) {
            assert!(matches!(r, Err(WriteError::Changed(_))), "{r:?}");
        }
        let text = std::fs::read_to_string(&f).unwrap();
        assert_eq!(text, format!("fixed by run {}\n", won[0]));
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn fix_keeps_setuid_setgid_sticky_and_refuses_hard_links_by_default() {
    use ngxlint::fix::write::{WriteError, WriteOptions, write_checked};
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("hostile-mode");
    let f = dir.join("a.conf");
    std::fs::write(&f, "old\n").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o6751)).unwrap();
    write_checked(&f, b"old\n", b"new\n", WriteOptions::default()).unwrap();
    let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o6751, "mode {mode:o}");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o1644)).unwrap();
    write_checked(&f, b"new\n", b"newer\n", WriteOptions::default()).unwrap();
    let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o1644, "mode {mode:o}");

    let other = dir.join("other-name.conf");
    std::fs::hard_link(&f, &other).unwrap();
    let e = write_checked(&f, b"newer\n", b"x\n", WriteOptions::default()).unwrap_err();
    assert!(matches!(e, WriteError::HardLinked { links: 2, .. }), "{e}");
    assert!(e.to_string().contains("--in-place-hardlinks"), "{e}");
    assert_eq!(std::fs::read(&other).unwrap(), b"newer\n");
    let opts = WriteOptions {
        in_place_hardlinks: true,
    };
    write_checked(&f, b"newer\n", b"in place\n", opts).unwrap();
    assert_eq!(
        std::fs::read(&other).unwrap(),
        b"in place\n",
        "both names see it"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_failed_write_is_an_error_not_applied() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("hostile-rofix");
    std::fs::create_dir(dir.join("ro")).unwrap();
    std::fs::write(dir.join("ro/a.conf"), FIXABLE).unwrap();
    std::fs::set_permissions(
        dir.join("ro/a.conf"),
        std::fs::Permissions::from_mode(0o666),
    )
    .unwrap();
    std::fs::set_permissions(dir.join("ro"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let bin = ngxlint_bin().display().to_string();
    let out = run_sh(
        &dir,
        &format!("{}\"{bin}\" fix --no-config ro/a.conf", as_unprivileged()),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write ro/a.conf"), "{stderr}");
    assert!(!stderr.contains("applied"), "nothing claimed: {stderr}");
    assert!(stderr.contains("wrote 0 of 1 file(s)"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("ro/a.conf")).unwrap(),
        FIXABLE
    );
    let _ = std::fs::set_permissions(dir.join("ro"), std::fs::Permissions::from_mode(0o755));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn sigterm_during_fix_leaves_no_temporary_files() {
    let dir = tempdir("hostile-sigterm");
    let bin = ngxlint_bin();
    for trial in 0..12u64 {
        let sub = dir.join(format!("t{trial}"));
        std::fs::create_dir(&sub).unwrap();
        for i in 0..150 {
            std::fs::write(sub.join(format!("f{i:03}.conf")), FIXABLE).unwrap();
        }
        let mut child = Command::new(bin)
            .args(["fix", "--no-config", "."])
            .current_dir(&sub)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(15 + trial * 15));
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(SECS);
        while child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "fix did not stop after SIGTERM");
            std::thread::sleep(Duration::from_millis(10));
        }
        let tmp: Vec<String> = std::fs::read_dir(&sub)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(tmp.is_empty(), "trial {trial}: left {tmp:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- probe: bounded waits and buffers, no secret to another host ----

#[cfg(feature = "probe")]
mod probe {
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::mpsc;
    use std::time::Duration;

    use super::{limited_with, tempdir};

    /// Read a request head; the header lines, lowercased names.
    fn head(s: &TcpStream) -> Vec<(String, String)> {
        let mut r = BufReader::new(s.try_clone().unwrap());
        let mut out = Vec::new();
        let mut line = String::new();
        let _ = r.read_line(&mut line); // request line
        loop {
            line.clear();
            if r.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                out.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        out
    }

    /// A server answering every request with `respond(headers)`; requests' headers go to `tx`.
    fn server(
        respond: impl Fn(&[(String, String)], &mut TcpStream) + Send + Sync + 'static,
        tx: Option<mpsc::Sender<Vec<(String, String)>>>,
    ) -> u16 {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let respond = std::sync::Arc::new(respond);
        std::thread::spawn(move || {
            for mut s in l.incoming().flatten() {
                let respond = respond.clone();
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let h = head(&s);
                    if let Some(tx) = &tx {
                        let _ = tx.send(h.clone());
                    }
                    respond(&h, &mut s);
                });
            }
        });
        port
    }

    #[test]
    fn cross_host_redirect_carries_no_secret() {
        // B is "another host" (another port of loopback: another origin).
        let (tx, rx) = mpsc::channel();
        let b = server(
            |_, s| {
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                );
            },
            Some(tx),
        );
        let a = server(
            move |_, s| {
                let _ = write!(
                    s,
                    "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{b}/next?x=1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            },
            None,
        );
        let dir = tempdir("hostile-redirect");
        let url = format!("http://127.0.0.1:{a}/start?api_key=SECRET1");
        let common = [
            "probe",
            &url,
            "--format",
            "json",
            "--timeout",
            "5s",
            "-H",
            "X-Api-Key: SECRET2",
            "-H",
            "Authorization: Bearer SECRET3",
            "-H",
            "Cookie: session=SECRET4",
        ];
        // Default: not followed, and said so.
        let run = limited_with(&dir, &common, 1024, 20);
        assert!(
            rx.recv_timeout(Duration::from_millis(300)).is_err(),
            "B got a request"
        );
        assert!(run.stdout.contains("not followed"), "{}", run.stdout);
        // --follow-cross-host: followed, without any credential or Referer.
        let mut args = common.to_vec();
        args.push("--follow-cross-host");
        let run = limited_with(&dir, &args, 1024, 20);
        let got = rx
            .recv_timeout(Duration::from_secs(5))
            .expect("B got the redirect");
        let text = format!("{got:?}");
        for secret in ["SECRET1", "SECRET2", "SECRET3", "SECRET4"] {
            assert!(
                !text.contains(secret),
                "{secret} leaked to another host: {text}"
            );
        }
        for name in ["referer", "authorization", "cookie", "x-api-key"] {
            assert!(got.iter().all(|(k, _)| k != name), "{name} sent: {text}");
        }
        assert!(run.stdout.contains("\"status\": 200"), "{}", run.stdout);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_trickling_body_keeps_the_report_bounded() {
        // 1-byte chunks for 1.5 s: tens of thousands of reads, at most MAX_ARRIVALS entries.
        let port = server(
            |_, s| {
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n",
                );
                let _ = s.set_nodelay(true);
                let end = std::time::Instant::now() + Duration::from_millis(1500);
                while std::time::Instant::now() < end {
                    if s.write_all(b"x").is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_micros(20));
                }
            },
            None,
        );
        let dir = tempdir("hostile-trickle");
        let url = format!("http://127.0.0.1:{port}/");
        let run = limited_with(
            &dir,
            &["probe", &url, "--format", "json", "--timeout", "5s"],
            1024,
            20,
        );
        let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        let listed = v["chunk_arrivals"].as_array().unwrap().len();
        assert!(listed <= 5_000, "{listed} arrivals listed");
        // How many reads there were depends on the machine's load (the unit test of
        // `Measurement::push_chunk` pins the folding itself); when there were more than the
        // cap, the report says so.
        let reads = v["chunks"].as_u64().unwrap();
        if reads > 5_000 {
            assert!(v["notes"].to_string().contains("folded"), "{}", run.stdout);
        }
        let total: u64 = v["chunk_arrivals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["bytes"].as_u64().unwrap())
            .sum();
        assert_eq!(
            total,
            v["bytes"].as_u64().unwrap(),
            "bytes are folded, not lost"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_websocket_peer_flooding_while_idle_does_not_grow_memory() {
        let port = server(
            |h, s| {
                let key = h
                    .iter()
                    .find(|(k, _)| k == "sec-websocket-key")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                let accept = ngxlint::probe::websocket::accept_key(&key);
                let _ = write!(
                    s,
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
                );
                // One frame announcing 2^40 bytes, then an endless payload; small frames after
                // would never be reached. Flood for the whole idle time.
                let mut f = vec![0x82u8, 127];
                f.extend_from_slice(&(1u64 << 40).to_be_bytes());
                let _ = s.write_all(&f);
                let block = vec![0u8; 1 << 16];
                while s.write_all(&block).is_ok() {}
            },
            None,
        );
        let dir = tempdir("hostile-wsflood");
        let url = format!("ws://127.0.0.1:{port}/ws");
        // 512 MB address space: the flood (GBs in 3 s before) must not fit, the probe must.
        let run = limited_with(
            &dir,
            &[
                "probe",
                &url,
                "--websocket",
                "--idle",
                "2s",
                "--format",
                "json",
                "--timeout",
                "5s",
            ],
            512,
            20,
        );
        let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        assert!(
            v["notes"].to_string().contains("payloads skipped unread"),
            "{}",
            run.stdout
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn data_file_fifo_is_bounded_by_the_timeout() {
        let dir = tempdir("hostile-datafifo");
        super::mkfifo(&dir.join("body"));
        let started = std::time::Instant::now();
        let run = limited_with(
            &dir,
            &[
                "probe",
                "http://127.0.0.1:9/",
                "--data-file",
                "body",
                "--timeout",
                "1s",
                "--format",
                "json",
            ],
            1024,
            20,
        );
        assert_eq!(run.code, Some(2), "{}", run.stdout);
        assert!(
            run.stdout.contains("nothing to read within --timeout"),
            "{}",
            run.stdout
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A minimal nginx configuration listening on `port`, answering a marker.
    fn marker_conf(dir: &std::path::Path, port: u16) -> std::path::PathBuf {
        let d = dir.display();
        let conf = format!(
            "worker_processes 1;\nevents {{ worker_connections 16; }}\n\
             http {{ access_log off; client_body_temp_path {d}/cb; proxy_temp_path {d}/p;\n\
             fastcgi_temp_path {d}/f; uwsgi_temp_path {d}/u; scgi_temp_path {d}/s;\n\
             server {{ listen 127.0.0.1:{port}; location / {{ return 200 \"lab\"; }} }} }}\n"
        );
        let path = dir.join(format!("n{port}.conf"));
        std::fs::write(&path, conf).unwrap();
        path
    }

    #[test]
    fn lab_nginx_readiness_is_its_own_listener_and_a_taken_port_is_retried() {
        use crate::lab::Nginx;
        let Some(bin) = crate::support::nginx() else {
            return;
        };
        let dir = tempdir("hostile-lab");
        // Someone else listens (and answers) on the port nginx is told to use.
        let squatter = TcpListener::bind("127.0.0.1:0").unwrap();
        let taken = squatter.local_addr().unwrap().port();
        // A fixed port: readiness must not mistake the squatter for nginx (it did: "something
        // answers" passed, and the test then talked to the wrong server).
        let conf = marker_conf(&dir, taken);
        let b = bin.clone();
        let outcome = std::panic::catch_unwind(move || Nginx::run(&b, &conf, taken));
        let msg = match outcome {
            Ok(_) => panic!("readiness accepted a listener that is not this nginx"),
            Err(e) => e.downcast_ref::<String>().cloned().unwrap_or_default(),
        };
        assert!(msg.contains("Address already in use"), "{msg}");
        // With a port chosen per attempt, a bind failure is retried on another port.
        let mut first = true;
        let ngx = Nginx::run_on(&bin, |port| {
            let p = if std::mem::take(&mut first) {
                taken
            } else {
                port
            };
            marker_conf(&dir, p)
        });
        assert_ne!(ngx.port, taken);
        let mut s = TcpStream::connect(("127.0.0.1", ngx.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(s, "GET / HTTP/1.0\r\n\r\n").unwrap();
        let mut body = String::new();
        let _ = std::io::Read::read_to_string(&mut s, &mut body);
        assert!(body.ends_with("lab"), "{body}");
        drop(ngx);
        drop(squatter);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn many_findings_on_one_long_line_stay_linear() {
    // 10,000 unknown directives on one 110 KB line: each finding's column was counted from the
    // line start (quadratic), each "did you mean" compared against every known name, and the
    // text report rendered the whole line per finding.
    let dir = tempdir("hostile-oneline");
    let n = 10_000;
    let conf = format!("events {{}} http {{ {}}}\n", "bogus_x 1; ".repeat(n));
    std::fs::write(dir.join("one.conf"), &conf).unwrap();
    for format in ["concise", "json", "text"] {
        let run = limited(
            &dir,
            &["check", "--no-config", "--format", format, "one.conf"],
        );
        assert_eq!(run.code, Some(1), "{format}: {}", run.stderr);
        assert!(
            run.stdout_len < n * 1_200,
            "{format}: {} bytes for {n} findings",
            run.stdout_len
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Template shapes on one long line: 300,000 `${A` with no `}` (each look for an upper-case
/// `${NAME}` read to the line's end: 96 s before the fix), `%(` and `!A` runs, and doubled
/// braces around `;`. Each is read in a bounded run.
#[test]
fn template_shapes_on_one_long_line_stay_linear() {
    let dir = tempdir("hostile-template-line");
    let cases = [
        (
            "brace.conf",
            format!("server {{ return 200 \"{}\"; }}\n", "${A".repeat(300_000)),
        ),
        (
            "python.conf",
            format!("server {{\n    {}\n}}\n", "%(A".repeat(300_000)),
        ),
        (
            "bang.conf",
            format!("server {{ return 200 \"{}\"; }}\n", "!AB".repeat(300_000)),
        ),
        (
            "semi.conf",
            format!("server {{\n{}\n}}\n", "{{ a; }}".repeat(100_000)),
        ),
    ];
    for (name, conf) in &cases {
        std::fs::write(dir.join(name), conf).unwrap();
        let run = limited_with(
            &dir,
            &[
                "check",
                "--no-config",
                "--context",
                "http",
                "--format",
                "concise",
                name,
            ],
            MEM_MB,
            10,
        );
        assert!(matches!(run.code, Some(0..=2)), "{name}: {}", run.stderr);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two servers sharing thousands of names, each `server_name` over hundreds of lines: every
/// conflict is labelled on its name, not on the whole `server_name` line, so the text report
/// grows with the findings, not with the findings times the line (a 33 KB file the fuzzer
/// found made 56 MB of report, 1.7 s; now 1.9 MB).
#[test]
fn many_conflicting_server_names_stay_linear() {
    let dir = tempdir("hostile-server-names");
    let n = 2_000;
    let names: Vec<String> = (0..n).map(|i| format!("h{i:05}")).collect();
    let lines = names
        .chunks(12)
        .map(|c| c.join(" "))
        .collect::<Vec<_>>()
        .join("\n            ");
    let server = format!(
        "    server {{\n        listen 127.0.0.1:8080;\n        server_name\n            {lines};\n    }}\n"
    );
    let conf =
        format!("events {{}}\nhttp {{\n    server_names_hash_max_size 8192;\n{server}{server}}}\n");
    std::fs::write(dir.join("names.conf"), &conf).unwrap();
    for format in ["concise", "json", "text"] {
        let run = limited(
            &dir,
            &["check", "--no-config", "--format", format, "names.conf"],
        );
        assert_eq!(run.code, Some(1), "{format}: {}", run.stderr);
        assert!(
            run.stdout_len < n * 2_000,
            "{format}: {} bytes for {n} findings ({} bytes of input)",
            run.stdout_len,
            conf.len()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Thousands of `fastcgi_pass` hosts without a port beside thousands of `upstream` blocks:
/// `no-port-in-upstream` looks each host up among the upstream names once, instead of asking
/// every `upstream` for every pass (quadratic: 20,000 of each in 2 MB took 6.4 s in the
/// release build).
#[test]
fn many_passes_without_a_port_beside_many_upstreams_stay_linear() {
    let dir = tempdir("hostile-no-port");
    let n = 20_000;
    let conf = http_of_locations(
        n,
        |i| format!("upstream u{i} {{ server 127.0.0.1:{}; }}", 1000 + i),
        |i| format!("location /l{i} {{ fastcgi_pass nohost{i}; }}"),
        // One pass names an upstream, in another case: no finding for it.
        "location /u { fastcgi_pass U7; }",
    );
    std::fs::write(dir.join("passes.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "no-port-in-upstream", "passes.conf");
    assert_eq!(findings.matches("no port in upstream").count(), n);
    assert!(!findings.contains("\"U7\""), "{findings}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Thousands of locations each proxying to a host held by its own `set` variable: the
/// variable's `set` lines come from the model's index, not from a pass over every `set` for
/// each `proxy_pass` (20,000 of each took 19 s in the release build).
#[test]
fn many_set_variables_in_proxy_pass_stay_linear() {
    let dir = tempdir("hostile-set-hosts");
    let n = 20_000;
    let mut conf =
        String::from("events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n");
    for i in 0..n {
        conf.push_str(&format!(
            "        location /l{i} {{ set $b{i} app{i}.example.com; proxy_pass http://$b{i}; }}\n"
        ));
    }
    conf.push_str("    }\n}\n");
    std::fs::write(dir.join("sets.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "missing-resolver", "sets.conf");
    assert_eq!(findings.lines().count(), n);
    assert!(findings.contains("app19999.example.com"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Thousands of `log_format`s, each named by an `access_log`: each name is looked up among
/// the formats once (`invalid-parameter` and `unknown-log-format` each scanned every
/// `log_format` for every `access_log`: 20,000 of each, 3.2 and 0.6 s in the release build).
#[test]
fn many_log_formats_and_access_logs_stay_linear() {
    let dir = tempdir("hostile-log-formats");
    let n = 20_000;
    let conf = http_of_locations(
        n,
        |i| format!("log_format f{i} '$remote_addr';"),
        |i| format!("location /l{i} {{ access_log /tmp/ngxlint-hostile.log F{i}; }}"),
        // One format nobody defines: the only finding.
        "access_log /tmp/ngxlint-hostile.log nosuch;",
    );
    std::fs::write(dir.join("formats.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "invalid-parameter,unknown-log-format", "formats.conf");
    assert_eq!(
        findings.matches("unknown log format").count(),
        1,
        "{findings}"
    );
    assert!(findings.contains("\"nosuch\""), "{findings}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// One location with 20,000 `proxy_set_header` lines: `proxy-headers-hash` counts the
/// repeated names in one pass (it compared each line with every later one: 3 s in the release
/// build) and still says which names repeat.
#[test]
fn one_long_header_list_stays_linear() {
    let dir = tempdir("hostile-header-list");
    let n = 20_000;
    let mut conf = String::from(
        "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n",
    );
    for i in 0..n {
        conf.push_str(&format!("            proxy_set_header X-H{i} v;\n"));
    }
    conf.push_str("            proxy_set_header x-h7 again;\n");
    conf.push_str("            proxy_pass http://127.0.0.1:8081;\n        }\n    }\n}\n");
    std::fs::write(dir.join("headers.conf"), &conf).unwrap();
    let run = limited(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--select",
            "proxy-headers-hash",
            "headers.conf",
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stdout
            .matches("\"rule\": \"proxy-headers-hash\"")
            .count(),
        1,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("`X-H7` set more than once"),
        "{}",
        run.stdout
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// One block of 60,000 locations: 20,000 regex ones, 20,000 later regex ones each taken by
/// one of them, 20,000 prefix ones each taken by a caseless regex. `location-unreachable`
/// finds the first regex location taking a URI through an index of the block's plain
/// strings (it compared each location with every earlier one: 20,000 regex locations of one
/// shape took 6 to 17 s in the release build), and still names the right one.
#[test]
fn many_regex_locations_in_one_block_stay_linear() {
    let dir = tempdir("hostile-regex-locations");
    let n = 20_000;
    let mut conf =
        String::from("events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n");
    for i in 0..n {
        conf.push_str(&format!(
            "        location ~ /s{i}x {{ return 200; }}\n        location ~* /P{i}/ {{ return 200; }}\n"
        ));
    }
    for i in 0..n {
        conf.push_str(&format!(
            "        location ~ /s{i}x/y {{ return 200; }}\n        location /p{i}/q {{ return 200; }}\n"
        ));
    }
    conf.push_str("    }\n}\n");
    std::fs::write(dir.join("regexes.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "location-unreachable", "regexes.conf");
    assert_eq!(findings.lines().count(), 2 * n, "{}", &findings[..2_000]);
    assert!(
        findings.contains(
            "`location ~ /s19999x/y` is never used: the earlier regex location `/s19999x` matches"
        ),
        "{}",
        &findings[..2_000]
    );
    assert!(
        findings.contains("`location /p7/q` is never used: the regex location `/P7/` matches"),
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Directives with 150,000 arguments or lines: a `server_name`, a `valid_referers` and a
/// `gzip_types` of that many names, an `upstream` of that many servers. Reading argument `i` of a directive
/// now takes one step (it walked the head from its start: each rule reading every argument in
/// turn was quadratic, 16 to 29 s for each of these in the release build), and the balancer
/// before each server is found by reading the block once, and `duplicate-mime-type` keeps the
/// types in a set (a list: 50,000 types took 5.6 s). The findings after the long lists are
/// still found.
#[test]
fn directives_with_thousands_of_arguments_stay_linear() {
    let dir = tempdir("hostile-long-directives");
    let n = 150_000;
    let list = |prefix: &str| {
        (0..n)
            .map(|i| format!("{prefix}{i}.example.com"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut conf = String::from("events {}\nhttp {\n    upstream u {\n");
    for i in 0..n {
        conf.push_str(&format!(
            "        server 10.0.{}.{}:{};\n",
            i / 256 % 256,
            i % 256,
            1000 + i % 50_000
        ));
    }
    conf.push_str("        hash $remote_addr;\n        server 10.1.0.1:80 backup;\n    }\n");
    conf.push_str(&format!(
        "    gzip_types {} TEXT/T7.EXAMPLE.COM;\n",
        list("text/t")
    ));
    conf.push_str(&format!(
        "    server {{\n        listen 127.0.0.1:8080;\n        server_name {} H7.example.com;\n        valid_referers {} R7.example.com;\n        location / {{ proxy_pass http://u; }}\n    }}\n}}\n",
        list("h"),
        list("r")
    ));
    std::fs::write(dir.join("long.conf"), &conf).unwrap();
    let findings = concise_findings(
        &dir,
        "invalid-parameter,duplicate-referer,invalid-server-name,server-name-conflict,duplicate-mime-type",
        "long.conf",
    );
    assert_eq!(findings.lines().count(), 3, "{findings}");
    assert!(
        findings.contains("duplicate MIME type \"text/t7.example.com\""),
        "{findings}"
    );
    assert!(
        findings.contains("balancing method does not support parameter \"backup\""),
        "{findings}"
    );
    assert!(
        findings.contains("conflicting parameter \"r7.example.com\""),
        "{findings}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 1,500 headers added in `http` and 1,500 locations each adding one of its own, so each
/// drops all of `http`'s: `inherited-headers-dropped` names at most a dozen dropped headers
/// per finding (and labels as many lines), and offers no fix copying hundreds of lines, so
/// the report grows with the input (each message listed every name and each finding labelled
/// every line: 576 MB of JSON here), and the dropped names are kept in a set (a list
/// searched for each made a level cubic: 5,000 of each took 27 s, now 2.3 s).
#[test]
fn many_levels_dropping_many_inherited_headers_report_linearly() {
    let dir = tempdir("hostile-dropped-headers");
    let n = 1_500;
    let conf = http_of_locations(
        n,
        |i| format!("add_header X-H{i} v;"),
        |i| format!("location /l{i} {{ add_header X-L{i} v; }}"),
        "",
    );
    std::fs::write(dir.join("headers.conf"), &conf).unwrap();
    let run = limited(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--select",
            "inherited-headers-dropped",
            "headers.conf",
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stdout_len < n * 5_000,
        "{} bytes of report for {n} findings ({} bytes of input)",
        run.stdout_len,
        conf.len()
    );
    assert!(
        run.stdout.contains(
            "`location /l0` sets add_header, so the 1500 headers added in `http` (X-H0, X-H1, "
        ) && run.stdout.contains("X-H11 and 1488 more) are not added"),
        "{}",
        &run.stdout[..3_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 10,000 `add_header`, `error_page` and `limit_req` lines in `http` (each zone counting a key
/// of its own), and 10,000 locations each setting one of each of its own: every location drops
/// all of `http`'s lines of the three. `inherited-headers-dropped` judges a level from its own
/// lines and a summary of the list it inherits, made once per list (it compared every line a
/// level inherits with the level's own: 10,000 `add_header` levels took 14 s in the release
/// build, 10,000 `error_page` ones 6 s, and 1,000 `limit_req` ones 39 s, a search of the zone
/// definitions for each line compared).
#[test]
fn many_levels_inheriting_many_lines_are_judged_linearly() {
    let dir = tempdir("hostile-inherited-lists");
    let n = 10_000;
    let conf = http_of_locations(
        n,
        |i| {
            format!(
                "add_header X-H{i} v; error_page {} /e{i}.html; limit_req_zone $k{i} zone=z{i}:1m rate=1r/s; limit_req zone=z{i};",
                300 + i % 299
            )
        },
        |i| {
            format!(
                "location /l{i} {{ add_header X-L{i} v; error_page 599 /mine.html; limit_req zone=mine; }}"
            )
        },
        "",
    );
    let conf = conf.replacen(
        "http {\n",
        "http {\n    limit_req_zone $mine zone=mine:1m rate=1r/s;\n",
        1,
    );
    std::fs::write(dir.join("lists.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "inherited-headers-dropped", "lists.conf");
    assert_eq!(findings.lines().count(), 3 * n, "{}", &findings[..2_000]);
    for expected in [
        "`location /l9999` sets add_header, so the 10000 headers added in `http` (X-H0, X-H1, ",
        // 300 to 598, but for 494-497 (a location does not lose them), 502 and 504 (a
        // location that serves files does not answer them; 503 it does, beside `limit_req`)
        // 429 (its `limit_req` rejects with 503) and 401 (no login there).
        "`location /l9999` sets error_page, so the 291 status codes redirected in `http` (300, 301, ",
        "`location /l9999` sets limit_req, so the 10000 zones limited in `http` (z0, z1, ",
    ] {
        assert!(
            findings.contains(expected),
            "{expected}\n{}",
            &findings[..2_000]
        );
    }
    // With nginx 1.29.3's `add_header_inherit merge`, each location's list is its own line
    // and `http`'s: a nested location that inherits it whole (`on`) drops 10,001 lines. Each
    // merged list was written out whole for the level below it: 3,000 of them took 1.4 s.
    let conf = http_of_locations(
        n,
        |i| format!("add_header X-H{i} v;"),
        |i| {
            format!(
                "location /l{i} {{ add_header_inherit merge; add_header X-L{i} v; location /l{i}/n {{ add_header_inherit on; add_header X-N v; }} }}"
            )
        },
        "",
    );
    std::fs::write(dir.join("merged.conf"), &conf).unwrap();
    let findings = concise_findings_with(
        &dir,
        &["--nginx-version", "1.29.5"],
        "inherited-headers-dropped",
        "merged.conf",
        1,
    );
    assert_eq!(findings.lines().count(), n, "{}", &findings[..2_000]);
    assert!(
        findings.contains(
            "`location /l9999/n` sets add_header, so the 10001 headers added in `location /l9999` and `http`"
        ),
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 10,000 `proxy_set_header` lines in `http`, an upstream keeping connections, and 10,000
/// locations proxying to it without lines of their own: every rule reading the list a location
/// inherits asks once per level that sets it. `upstream-keepalive-connection` and the
/// streaming classification read all 10,000 lines for each location, and the fix copied them
/// into each (searching the copies for repeats: cubic; 1,000 locations took 2.6 s, 5,000 more
/// than two minutes); past 64 lines no fix is offered.
#[test]
fn many_locations_inheriting_many_proxy_headers_stay_linear() {
    let dir = tempdir("hostile-inherited-proxy-headers");
    let n = 10_000;
    let conf = http_of_locations(
        n,
        |i| format!("proxy_set_header X-H{i} v;"),
        |i| format!("location /l{i} {{ proxy_pass http://b; }}"),
        "",
    );
    let conf = conf.replacen(
        "http {\n",
        "http {\n    upstream b { server 127.0.0.1:1; keepalive 4; }\n",
        1,
    );
    std::fs::write(dir.join("proxied.conf"), &conf).unwrap();
    let run = limited(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--output",
            "findings.json",
            "proxied.conf",
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let json = std::fs::read_to_string(dir.join("findings.json")).unwrap();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let findings = report["diagnostics"].as_array().unwrap();
    let keepalive: Vec<_> = findings
        .iter()
        .filter(|f| f["rule"] == "upstream-keepalive-connection")
        .collect();
    assert_eq!(keepalive.len(), n, "{}", &json[..2_000]);
    assert!(
        keepalive.iter().all(|f| f["fix"].is_null()),
        "{}",
        &json[..2_000]
    );
    // The same with locations named for WebSockets (`/ws1/ws`): `websocket-upgrade-missing`
    // read the inherited list for its `Upgrade` and `Connection` lines and copied it into its
    // fix, and the classification compared each location with every sibling for a WebSocket
    // location it was carved out of (10,000: more than 100 s).
    let conf = http_of_locations(
        n,
        |i| format!("proxy_set_header X-H{i} v;"),
        |i| format!("location /ws{i}/ws {{ proxy_pass http://b; proxy_http_version 1.1; }}"),
        "",
    )
    .replacen(
        "http {\n",
        "http {\n    upstream b { server 127.0.0.1:1; }\n",
        1,
    );
    std::fs::write(dir.join("websockets.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "websocket-upgrade-missing", "websockets.conf");
    assert_eq!(findings.lines().count(), n, "{}", &findings[..2_000]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// 20,000 locations of one server mounting Gradio (`location /cN/` to its port, the prefix
/// replaced by `/`) beside 5,000 regex locations to it and 5,000 case-insensitive ones: each
/// location asks where each of the app's streaming endpoints goes, as nginx picks a location.
/// Each question read every sibling and ran every regex (2,000 and 1,000 of them took 3.5 s
/// in the release build); a level's locations are now read once into an index (a trie of
/// prefixes, the regexes by their literal beginning), and a path that would need more than a
/// few hundred regexes run has no answer.
#[test]
fn many_locations_of_one_app_find_their_routes_linearly() {
    let dir = tempdir("hostile-app-routes");
    let n = 20_000;
    let mut conf = String::from("events {}\nhttp {\n    server {\n        listen 80;\n");
    for i in 0..n {
        conf.push_str(&format!(
            "        location /c{i}/ {{ proxy_pass http://127.0.0.1:7860/; }}\n"
        ));
    }
    for i in 0..n / 4 {
        conf.push_str(&format!(
            "        location ~ ^/r{i}/ {{ proxy_pass http://127.0.0.1:7860; }}\n        location ~* ^/R{i}/ {{ return 404; }}\n"
        ));
    }
    conf.push_str("    }\n}\n");
    std::fs::write(dir.join("routes.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "buffering-on-streaming", "routes.conf");
    // Each mounted location routes Gradio's queue (`/cN/queue/join` reaches it).
    assert_eq!(findings.lines().count(), n, "{}", &findings[..2_000]);
    assert!(
        findings.lines().all(|l| l.contains("location /c")),
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 10,000 `add_header` lines in `http` and 10,000 TLS servers without one: `hsts-missing`
/// asks whether the lines in effect at each server set `Strict-Transport-Security`, and keeps
/// each level's answer (each server wrote out `http`'s list again and read every line: 5,000
/// of each took 1.4 s in the release build).
#[test]
fn many_tls_servers_under_many_headers_stay_linear() {
    let dir = tempdir("hostile-hsts");
    let n = 10_000;
    let mut conf = String::from("events {}\nhttp {\n");
    for i in 0..n {
        conf.push_str(&format!("    add_header X-H{i} v;\n"));
    }
    for i in 0..n {
        conf.push_str(&format!(
            "    server {{ listen 443 ssl; server_name s{i}; ssl_certificate /c; ssl_certificate_key /k; }}\n"
        ));
    }
    conf.push_str("}\n");
    std::fs::write(dir.join("hsts.conf"), &conf).unwrap();
    // Its findings are `info`: reported, not failing the run.
    let findings = concise_findings_with(&dir, &[], "hsts-missing", "hsts.conf", 0);
    assert_eq!(findings.lines().count(), n, "{}", &findings[..2_000]);
    assert!(
        findings.contains("info[hsts-missing]"),
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 40,000 servers, each with `listen ... http2`: whether another server shares the address
/// (which makes the fix unsafe) is looked up in a table of the addresses, made once per run
/// (it compared each `listen` with every other: 20,000 servers took 9 to 12 s in the release
/// build, 40,000 took 30 s).
#[test]
fn many_http2_listens_stay_linear() {
    let dir = tempdir("hostile-http2-listens");
    let n = 40_000;
    let mut conf = String::from("events {}\nhttp {\n");
    for i in 0..n {
        conf.push_str(&format!(
            "    server {{ listen 127.0.{}.{}:443 ssl http2; server_name s{i}; }}\n",
            i / 256,
            i % 256
        ));
    }
    conf.push_str("}\n");
    std::fs::write(dir.join("http2.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "http2-listen-deprecated", "http2.conf");
    assert_eq!(findings.lines().count(), n, "{}", &findings[..2_000]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// 350,000 `ssl_protocols` lines in one server: each line after the first is a finding,
/// and whether it was already reported for a repeated value is a binary search (a scan of
/// the earlier findings for each line was quadratic: 40,000 lines, 0.8 s in the release build;
/// 250,000, 23 s; 350,000, 55 s).
#[test]
fn many_lines_of_one_flag_list_stay_linear() {
    let dir = tempdir("hostile-flag-lines");
    let n = 350_000;
    let mut conf =
        String::from("events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n");
    for _ in 0..n {
        conf.push_str("        ssl_protocols TLSv1.2;\n");
    }
    conf.push_str("    }\n}\n");
    std::fs::write(dir.join("flags.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "duplicate-value", "flags.conf");
    assert_eq!(findings.lines().count(), n - 1, "{}", &findings[..2_000]);
    assert!(findings.contains("duplicate value \"TLSv1.2\""));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A block made against the search for one location taking every branch of a pattern: 300
/// regex locations each taking 63 of the 64 branches `^/(a|b|c|d)(e|f|g|h)(i|j|k|l)` writes
/// out, one taking the last, then 6,000 patterns of those branches. The search stops at a
/// budget proportional to the block and names the first location taking each branch (it
/// tried every candidate: 3,000 patterns took 12 s in the release build, 6,000 took 26 s).
#[test]
fn regex_locations_made_against_the_winner_search_stay_linear() {
    let dir = tempdir("hostile-regex-winners");
    let n = 6_000;
    let combos: Vec<String> = "abcd"
        .chars()
        .flat_map(|a| "efgh".chars().map(move |b| (a, b)))
        .flat_map(|(a, b)| "ijkl".chars().map(move |c| format!("{a}{b}{c}")))
        .collect();
    let mut conf =
        String::from("events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n");
    conf.push_str(&format!(
        "        location ~ ^/({}) {{ return 200; }}\n",
        combos[63]
    ));
    for i in 0..300 {
        // The same 63 alternatives in another order each time: no two patterns alike.
        let mut some = combos[..63].to_vec();
        some.rotate_left(i % 63);
        some.swap(0, i / 63 % 62 + 1);
        conf.push_str(&format!(
            "        location ~ ^/({}) {{ return 200; }}\n",
            some.join("|")
        ));
    }
    for i in 0..n {
        conf.push_str(&format!(
            "        location ~ ^/(a|b|c|d)(e|f|g|h)(i|j|k|l)z{i} {{ return 200; }}\n"
        ));
    }
    conf.push_str("    }\n}\n");
    std::fs::write(dir.join("winners.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "location-unreachable", "winners.conf");
    // Every pattern is never used (and some of the 300 repeat an earlier one's alternatives).
    assert!(findings.lines().count() >= n, "{}", &findings[..2_000]);
    assert!(
        findings.contains("`location ~ ^/(a|b|c|d)(e|f|g|h)(i|j|k|l)z5999` is never used"),
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A configuration of `n` lines `top(i)` in `http`, then a server of `n` lines `location(i)`
/// and `last` (each line given without its indent or line ending).
fn http_of_locations(
    n: usize,
    top: impl Fn(usize) -> String,
    location: impl Fn(usize) -> String,
    last: &str,
) -> String {
    let mut conf = String::from("events {}\nhttp {\n");
    for i in 0..n {
        conf.push_str(&format!("    {}\n", top(i)));
    }
    conf.push_str("    server {\n        listen 127.0.0.1:8080;\n");
    for i in 0..n {
        conf.push_str(&format!("        {}\n", location(i)));
    }
    if !last.is_empty() {
        conf.push_str(&format!("        {last}\n"));
    }
    conf.push_str("    }\n}\n");
    conf
}

/// The concise findings of `ngxlint check --select RULES FILE` in `dir` (written to a file: the
/// kept standard output is capped), under the limits; the run must report some.
fn concise_findings(dir: &Path, rules: &str, file: &str) -> String {
    concise_findings_with(dir, &[], rules, file, 1)
}

/// [`concise_findings`] with more options (`--nginx-version ...`) and the exit code expected.
fn concise_findings_with(
    dir: &Path,
    options: &[&str],
    rules: &str,
    file: &str,
    code: i32,
) -> String {
    let mut args = vec!["check", "--no-config", "--format", "concise"];
    args.extend_from_slice(options);
    args.extend(["--select", rules, "--output", "findings.txt", file]);
    let run = limited(dir, &args);
    assert_eq!(run.code, Some(code), "{}", run.stderr);
    std::fs::read_to_string(dir.join("findings.txt")).unwrap()
}

/// One location of `n` copies of each of `lines` (given without indent), in a server of `http`:
/// the shape of a block written (or generated) thousands of lines long.
fn location_of_lines(n: usize, head: &str, lines: &[&str]) -> String {
    let mut conf =
        String::from("events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n");
    conf.push_str(&format!("        location {head} {{\n"));
    for line in lines {
        for _ in 0..n {
            conf.push_str(&format!("            {line}\n"));
        }
    }
    conf.push_str("        }\n    }\n}\n");
    conf
}

/// 4,000 each of `rewrite`s, `set`s, and `proxy_pass`es (bare and in `if`s) in one location:
/// `proxy-pass-normalized` read every `rewrite` of the location again (and parsed its regex)
/// and every `set` of the variable for each `proxy_pass` (6,400 of each took more than a
/// minute in the release build).
#[test]
fn a_location_of_thousands_of_rewrites_and_proxy_passes_stays_linear() {
    let dir = tempdir("hostile-proxy-pass-normalized");
    let n = 4_000;
    let conf = location_of_lines(
        n,
        "/1/",
        &[
            "rewrite ^/1(/.*) $1;",
            "set $p $uri;",
            "rewrite ^ $request_uri;",
            "proxy_pass http://127.0.0.1:9000/$p;",
            "if ($x) { proxy_pass http://127.0.0.1:9000$1; }",
            "proxy_pass http://127.0.0.1:9000;",
        ],
    );
    std::fs::write(dir.join("rewrites.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "proxy-pass-normalized", "rewrites.conf");
    // `$p` holds `$uri` as it was before the raw rewrites, `$1` (in the `if`s) what the last
    // `rewrite ^/1(/.*)` captured from it; a plain `proxy_pass` sends the raw path escaped again.
    assert_eq!(
        findings.matches("holds the percent-decoded path").count(),
        2 * n,
        "{}",
        &findings[..2_000]
    );
    assert_eq!(
        findings
            .matches("after `rewrite ^ $request_uri` the URI is the raw request path")
            .count(),
        n,
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 12,000 raised `send_timeout`s in a row in `http` above a streaming location, and a location
/// of 12,000 `try_files` and 12,000 `proxy_read_timeout`s: `useless-timeout` read every line of
/// the run above each timeout for a comment about streaming (3 s in the release build; a
/// fixture's lines copied 6,400 times took 28 s), and every `try_files` of the location for
/// each setting.
#[test]
fn runs_of_thousands_of_timeouts_stay_linear() {
    let dir = tempdir("hostile-useless-timeout");
    let n = 12_000;
    let mut conf = String::from("events {}\nhttp {\n    # raised for slow clients\n");
    for _ in 0..n {
        conf.push_str("    send_timeout 1h;\n");
    }
    conf.push_str(
        "    server {\n        listen 127.0.0.1:8080;\n        location /api/chat {\n            \
         proxy_pass http://127.0.0.1:11434;\n            proxy_buffering off;\n        }\n        \
         location /a {\n",
    );
    for _ in 0..n {
        conf.push_str("            try_files $uri @app;\n");
    }
    for _ in 0..n {
        conf.push_str("            proxy_read_timeout 1h;\n");
    }
    conf.push_str(
        "        }\n        location @app { proxy_pass http://127.0.0.1:11434; }\n    }\n}\n",
    );
    std::fs::write(dir.join("timeouts.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "useless-timeout", "timeouts.conf");
    assert_eq!(
        findings.matches("`send_timeout 1h`, set in `http`").count(),
        n,
        "{}",
        &findings[..2_000]
    );
    assert_eq!(
        findings
            .matches("`proxy_read_timeout 1h` in `location /a` never applies")
            .count(),
        n,
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 5,000 locations that pass Streamlit's other paths on with `Upgrade` lines copied along,
/// beside the one that takes its WebSocket: `websocket-upgrade-missing` asked where the app's
/// WebSocket goes with a new route index for each of them, reading every location of the
/// server again (6,400 took 12.9 s in the release build).
#[test]
fn many_locations_of_one_app_asking_where_its_websocket_goes_stay_linear() {
    let dir = tempdir("hostile-websocket-elsewhere");
    let n = 5_000;
    let mut conf = String::from(
        "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        \
         location /_stcore/stream {\n            proxy_pass http://127.0.0.1:8501;\n            \
         proxy_set_header Upgrade $http_upgrade;\n            \
         proxy_set_header Connection upgrade;\n        }\n",
    );
    for i in 0..n {
        conf.push_str(&format!(
            "        location /_stcore/health{i} {{\n            proxy_pass http://127.0.0.1:8501;\n            \
             proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection \
             upgrade;\n        }}\n"
        ));
    }
    conf.push_str("    }\n}\n");
    std::fs::write(dir.join("ws.conf"), &conf).unwrap();
    let findings = concise_findings_with(
        &dir,
        &["--nginx-version", "1.22.1"],
        "websocket-upgrade-missing",
        "ws.conf",
        1,
    );
    // Only the WebSocket's own location speaks HTTP/1.0 to Streamlit; the others' `Upgrade`
    // lines were copied along.
    assert_eq!(
        findings.lines().count(),
        1,
        "{}",
        &findings[..findings.len().min(2_000)]
    );
    assert!(
        findings.contains("`location /_stcore/stream`"),
        "{findings}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 5,000 `set $backend api.example.com;` and 5,000 `proxy_pass http://$backend;` in one
/// location without a `resolver`: `missing-resolver` read every `set` of the variable and
/// judged every name it held for each `proxy_pass` (6,400 of each took 10.4 s in the release
/// build).
#[test]
fn thousands_of_sets_and_proxy_passes_of_one_variable_stay_linear() {
    let dir = tempdir("hostile-missing-resolver");
    let n = 5_000;
    let conf = location_of_lines(
        n,
        "/",
        &[
            "set $backend api.example.com;",
            "proxy_pass http://$backend;",
        ],
    );
    std::fs::write(dir.join("resolver.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "missing-resolver", "resolver.conf");
    assert_eq!(
        findings
            .matches("so nginx resolves `api.example.com` for each request")
            .count(),
        n,
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A `map` of 10,000 entries read by 10,000 `proxy_pass`es, and 10,000 `set`s of a variable
/// from a request header read by 10,000 more, in one location: `proxy-pass-ssrf` read the
/// whole `map` (twice) and every `set` of the variable for each `proxy_pass` (5,000 of each
/// took 1.7 s in the release build, a fixture's lines copied 6,400 times 9.1 s).
#[test]
fn thousands_of_proxy_passes_of_one_mapped_variable_stay_linear() {
    let dir = tempdir("hostile-proxy-pass-ssrf");
    let n = 10_000;
    let mut conf = String::from("events {}\nhttp {\n    map $arg_backend $backend {\n");
    for i in 0..n {
        conf.push_str(&format!("        k{i} 127.0.0.1:{};\n", 1024 + i));
    }
    conf.push_str("        default 127.0.0.1:8001;\n    }\n");
    conf.push_str(
        &location_of_lines(
            n,
            "/",
            &[
                "proxy_pass http://$backend/;",
                "set $target $http_x_target;",
                "proxy_pass http://$target;",
            ],
        )["events {}\nhttp {\n".len()..],
    );
    std::fs::write(dir.join("ssrf.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "proxy-pass-ssrf", "ssrf.conf");
    // The map gives one of the author's addresses; `$target` is the client's header.
    assert_eq!(findings.lines().count(), n, "{}", &findings[..2_000]);
    assert_eq!(
        findings
            .matches("the host of `proxy_pass http://$target` is taken from `$target`")
            .count(),
        n,
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A location of 10,000 each of `allow`s, `deny`s, `limit_req`s, `error_page`s (to a named
/// location, which serves the guarded URI), `return`s of a code with a page, redirects and
/// redirecting `rewrite`s: `return-bypasses-access` read the
/// location's rules, limits and error pages again for each `return` (5 s in the release
/// build; a fixture's lines copied 6,400 times took 7.4 s).
#[test]
fn a_location_of_thousands_of_returns_and_rules_stays_linear() {
    let dir = tempdir("hostile-return-bypasses-access");
    let n = 10_000;
    let conf = location_of_lines(
        n,
        "/admin/",
        &[
            "allow 10.0.0.0/8;",
            "deny all;",
            "limit_req zone=z;",
            "error_page 404 = @fallback;",
            "return 404;",
            "return 301 /new/;",
            "rewrite ^ /x redirect;",
        ],
    )
    .replacen(
        "http {\n",
        "http {\n    limit_req_zone $binary_remote_addr zone=z:1m rate=1r/s;\n",
        1,
    );
    std::fs::write(dir.join("returns.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "return-bypasses-access", "returns.conf");
    assert_eq!(
        findings
            .matches("`return` answers in the rewrite phase, before the access phase")
            .count(),
        2 * n,
        "{}",
        findings.chars().take(2_000).collect::<String>()
    );
    assert_eq!(
        findings
            .matches("this redirecting `rewrite` answers in the rewrite phase")
            .count(),
        n,
        "{}",
        findings.chars().take(2_000).collect::<String>()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 10,000 `rewrite`s with arguments, then 10,000 `set`s of a capture, in one location:
/// `nginx-cve` (the "NGINX Rift" trigger) read every directive after each `rewrite` to find the
/// first that evaluates a capture (2.4 s in the release build).
#[test]
fn thousands_of_rewrites_before_their_capture_stay_linear() {
    let dir = tempdir("hostile-nginx-cve");
    let n = 10_000;
    let conf = location_of_lines(n, "/", &["rewrite ^/(.*)$ /new?c=1;", "set $kept $1;"]);
    std::fs::write(dir.join("rift.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "nginx-cve", "rift.conf");
    assert_eq!(
        findings.matches("CVE-2026-42945").count(),
        n,
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 10,000 `allow`s and 10,000 `stub_status` lines in one location: `status-page-open` read the
/// location's rules (and its server's `listen`s) again for each status line (1.5 s in the
/// release build; a fixture's lines copied 6,400 times took 5.1 s).
#[test]
fn thousands_of_status_lines_under_thousands_of_rules_stay_linear() {
    let dir = tempdir("hostile-status-page-open");
    let n = 10_000;
    let conf = location_of_lines(n, "/status", &["allow 10.0.0.0/8;", "stub_status;"])
        .replace("listen 127.0.0.1:8080;", "listen 8080;");
    std::fs::write(dir.join("status.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "status-page-open", "status.conf");
    assert_eq!(
        findings
            .matches("the `stub_status` page is open to every client: no `deny` matches")
            .count(),
        n,
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 20,000 `auth_request`s to distinct paths, and 20,000 locations of those paths (exact and
/// prefix) with `auth_request_set`: `auth-request-set-misplaced` tried every `auth_request`
/// for each location, and searched a list of the locations seen for each line (4 s in the
/// release build).
#[test]
fn thousands_of_auth_request_targets_stay_linear() {
    let dir = tempdir("hostile-auth-request-set");
    let n = 20_000;
    let mut conf = String::from("events {}\nhttp {\n    server {\n        listen 8080;\n");
    for i in 0..n {
        conf.push_str(&format!(
            "        location /app{i}/ {{ auth_request /auth{i}/check; proxy_pass http://127.0.0.1:8081; }}\n"
        ));
        let head = if i % 2 == 0 {
            format!("= /auth{i}/check")
        } else {
            format!("/auth{i}/")
        };
        conf.push_str(&format!(
            "        location {head} {{ auth_request_set $user $upstream_http_x_user; proxy_pass http://127.0.0.1:9090; }}\n"
        ));
    }
    conf.push_str("    }\n}\n");
    std::fs::write(dir.join("auth.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "auth-request-set-misplaced", "auth.conf");
    assert_eq!(findings.lines().count(), n, "{}", &findings[..2_000]);
    assert!(
        findings.contains("`auth_request_set` in `location /auth1/`, where the auth subrequest to `/auth1/check` goes"),
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 10,000 `proxy_no_cache` and 10,000 `proxy_cache_bypass` lines in one location:
/// `cache-bypass-stored` read every `no_cache` line in effect again for each bypass (4.6 s in
/// the release build).
#[test]
fn thousands_of_cache_bypasses_under_thousands_of_no_cache_lines_stay_linear() {
    let dir = tempdir("hostile-cache-bypass");
    let n = 10_000;
    let conf = location_of_lines(
        n,
        "/api/",
        &[
            "proxy_cache api;",
            "proxy_no_cache $http_pragma;",
            "proxy_cache_bypass $http_authorization;",
        ],
    )
    .replacen(
        "http {\n",
        "http {\n    proxy_cache_path /tmp/c keys_zone=api:10m;\n",
        1,
    );
    std::fs::write(dir.join("cache.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "cache-bypass-stored", "cache.conf");
    assert_eq!(
        findings
            .matches("`proxy_cache_bypass` on `$http_authorization` only keeps")
            .count(),
        n,
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Five more block shapes the test sweep of the fixtures found (tests/perf.rs), 3,000 of each:
/// regex locations that match one URI each (`regex-could-be-exact` compared each with every
/// other location of the server: 3,200 took 28 s in the release build), `add_header
/// Content-Type` beside `proxy_hide_header`s, reflected CORS origins beside credentials
/// lines, `alias`es beside `fastcgi_param`s, and named WebSocket locations handed to by
/// locations with a long read timeout (each read all such lines of the configuration).
#[test]
fn blocks_of_thousands_of_lines_the_header_and_location_rules_compare_stay_linear() {
    let dir = tempdir("hostile-sweep-shapes");
    let n = 3_000;
    // Behind a login: reflected origins on files anyone may download are not reported.
    let mut conf = String::from(
        "events {}\nhttp {\n    server {\n        listen 8080;\n        auth_basic \"x\";\n",
    );
    let mut block = |head: &str, lines: &[&str]| {
        conf.push_str(&format!("        location {head} {{\n"));
        for line in lines {
            for _ in 0..n {
                conf.push_str(&format!("            {line}\n"));
            }
        }
        conf.push_str("        }\n");
    };
    block(
        "/h/",
        &[
            "proxy_hide_header X-Other;",
            "add_header Content-Type text/plain;",
        ],
    );
    block(
        "/c/",
        &[
            "add_header Access-Control-Allow-Origin $http_origin;",
            "add_header Access-Control-Allow-Credentials true;",
        ],
    );
    block("/a", &["fastcgi_param X y;", "alias /srv/a/;"]);
    for i in 0..n {
        conf.push_str(&format!(
            "        location ~ ^/api/health{i}$ {{ return 200; }}\n        \
             location /t{i}/socket {{ proxy_read_timeout 15m; try_files /x @ws{i}; }}\n        \
             location @ws{i} {{ proxy_pass http://127.0.0.1:9000; proxy_http_version 1.1; \
             proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection upgrade; }}\n"
        ));
    }
    conf.push_str("    }\n}\n");
    std::fs::write(dir.join("shapes.conf"), &conf).unwrap();
    let findings = concise_findings(
        &dir,
        "regex-could-be-exact,add-header-content-type,cors-origin-reflected,alias-traversal,read-timeout-short",
        "shapes.conf",
    );
    for rule in [
        "regex-could-be-exact",
        "add-header-content-type",
        "cors-origin-reflected",
        "alias-traversal",
        "read-timeout-short",
    ] {
        assert_eq!(
            findings.matches(&format!("[{rule}]")).count(),
            n,
            "{rule}:\n{}",
            &findings[..2_000]
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// 10,000 servers each setting one of 900 variables that two `map`s of 900 entries read, and
/// reading the maps' variables where `proxy-pass-ssrf` and `header-injection` look. A line's
/// own variable is answered from its server's `set`s; kept per server at every depth, the
/// maps' 900 entries were walked again in each server (2.1 s and 280 MB in the release build,
/// 630 MB at 5,000 servers). Every server is reported by both: the entries are set from the
/// request somewhere, and what a definition reads is asked of every server's `set`s.
#[test]
fn many_servers_reading_a_large_map_of_set_variables_stay_linear() {
    let dir = tempdir("hostile-maps-of-sets");
    let (servers, entries) = (10_000, 900);
    let mut conf = String::from("events {}\nhttp {\n");
    for (map, var) in [("$http_a $v0", "w"), ("$http_b $v1", "u")] {
        conf.push_str(&format!("    map {map} {{\n        default a;\n"));
        for j in 0..entries {
            conf.push_str(&format!("        k{j} ${var}{j};\n"));
        }
        conf.push_str("    }\n");
    }
    for i in 0..servers {
        let j = i % entries;
        conf.push_str(&format!(
            "    server {{ listen 8080; server_name s{i}; location / {{ set $w{j} $http_x; \
             set $u{j} $uri; proxy_pass http://$v0; proxy_set_header X-A $v1; }} }}\n"
        ));
    }
    conf.push_str("}\n");
    std::fs::write(dir.join("maps.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "proxy-pass-ssrf,header-injection", "maps.conf");
    for rule in ["proxy-pass-ssrf", "header-injection"] {
        assert_eq!(
            findings.matches(&format!("[{rule}]")).count(),
            servers,
            "{rule}:\n{}",
            &findings[..2_000]
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// 20,000 `if`s with distinct conditions in one location, each adding a header (and a
/// `Content-Type`): `if-overridden` read every later `if` for each (22 s in the release
/// build), and `add-header-content-type` asks the same of each block.
#[test]
fn thousands_of_ifs_in_one_location_stay_linear() {
    let dir = tempdir("hostile-if-overridden");
    let n = 20_000;
    let mut conf =
        String::from("events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n");
    conf.push_str("        location / {\n");
    for i in 0..n {
        conf.push_str(&format!(
            "            if ($arg_a{i} = 1) {{ add_header Content-Type text/plain; }}\n"
        ));
    }
    // The last two repeat a condition: the one finding.
    conf.push_str("            if ($arg_a0 = 1) { add_header X-A 1; }\n");
    conf.push_str("            if ($arg_a0 = 1) { return 204; }\n");
    conf.push_str("            return 200;\n        }\n    }\n}\n");
    std::fs::write(dir.join("ifs.conf"), &conf).unwrap();
    let findings = concise_findings(&dir, "if-overridden,add-header-content-type", "ifs.conf");
    assert_eq!(
        findings.matches("[if-overridden]").count(),
        1,
        "{}",
        &findings[..2_000]
    );
    assert_eq!(
        findings.matches("[add-header-content-type]").count(),
        n,
        "{}",
        &findings[..2_000]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A server of 20,000 locations without a handler beside 20,000 proxied ones: each asks which
/// proxied location it takes requests from by its path's prefixes, not by a pass over every
/// sibling (`location-shadows-proxy` took 11 s on this shape before).
#[test]
fn many_locations_without_a_handler_stay_linear() {
    let dir = tempdir("hostile-shadowing-locations");
    let mut conf = String::from("server {\n    listen 8080;\n");
    for i in 0..20_000 {
        conf.push_str(&format!("    location /x{i}/ {{ allow all; }}\n"));
        conf.push_str(&format!(
            "    location /p{i}/ {{ proxy_pass http://127.0.0.1:9000; }}\n"
        ));
    }
    conf.push_str("    location / { proxy_pass http://127.0.0.1:9000; }\n}\n");
    std::fs::write(dir.join("site.conf"), conf).unwrap();
    let run = limited_with(
        &dir,
        &[
            "check",
            "--no-config",
            "--context",
            "http",
            "--format",
            "concise",
            "--select",
            "location-shadows-proxy",
            "site.conf",
        ],
        MEM_MB,
        5,
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    // The report is kept up to 1 MB: every kept line is a finding of the rule, and the whole
    // report holds one per location without a handler.
    let kept: Vec<&str> = run.stdout.lines().collect();
    assert!(kept.iter().all(|l| l.contains("[location-shadows-proxy]")));
    let lines = estimated_lines(&run);
    assert!(about(lines, 20_000), "{lines} lines");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A template of 20,000 tags of one length, each line with a finding that quotes its tag: the
/// tag put back in a finding's text is sought among the tags near the finding, not among all
/// (12 s on this shape before).
#[test]
fn many_template_tags_of_one_length_stay_linear() {
    let dir = tempdir("hostile-template-quotes");
    let mut conf = String::from("server {\n    listen 8080;\n");
    for i in 0..20_000 {
        conf.push_str(&format!(
            "    location /x{i} {{ alias {{{{ a }}}}/y{i}/; }}\n"
        ));
    }
    conf.push_str("}\n");
    std::fs::write(dir.join("site.conf.j2"), conf).unwrap();
    let run = limited_with(
        &dir,
        &[
            "check",
            "--no-config",
            "--context",
            "http",
            "--format",
            "concise",
            "site.conf.j2",
        ],
        MEM_MB,
        5,
    );
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
    let kept: Vec<&str> = run.stdout.lines().collect();
    assert!(
        kept.iter().all(|l| l.contains("`alias {{ a }}/y")),
        "{}",
        &run.stdout[..run.stdout.len().min(2000)]
    );
    let lines = estimated_lines(&run);
    assert!(about(lines, 20_000), "{lines} lines");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The lines of a report kept only in part ([`KEEP`]): its length over the kept lines' mean
/// length (the lines of these reports differ by a few bytes: [`about`]).
fn estimated_lines(run: &Run) -> usize {
    let kept = run.stdout.lines().count().max(1);
    let mean = run.stdout.len() as f64 / kept as f64;
    (run.stdout_len as f64 / mean).round() as usize
}

/// Is `n` within 3 % of `want` (an [`estimated_lines`] count)?
fn about(n: usize, want: usize) -> bool {
    n.abs_diff(want) * 100 <= want * 3
}
