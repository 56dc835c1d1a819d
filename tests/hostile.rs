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
