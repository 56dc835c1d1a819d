//! Shared helpers for the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Root of the repository (where Cargo.toml is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// True when running in CI (`CI=true` or any non-empty value but `false`/`0`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The real nginx binary, the judge. In CI a missing nginx fails the test loudly; locally the
/// test prints that it did not run and returns `None`.
pub fn nginx() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("NGXLINT_NGINX").map(PathBuf::from),
        Some(PathBuf::from("/usr/sbin/nginx")),
        Some(PathBuf::from("/usr/local/sbin/nginx")),
        Some(PathBuf::from("/usr/local/nginx/sbin/nginx")),
    ];
    for c in candidates.into_iter().flatten() {
        if c.is_file() {
            return Some(c);
        }
    }
    if let Ok(out) = Command::new("sh").args(["-c", "command -v nginx"]).output()
        && out.status.success()
    {
        let p = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if !p.is_empty() {
            return Some(PathBuf::from(p));
        }
    }
    if in_ci() {
        panic!(
            "nginx is required in CI but was not found: install it with `apt-get install -y nginx-light` \
             (or set NGXLINT_NGINX to its path)"
        );
    }
    eprintln!("SKIPPED (not run): nginx not found; install nginx-light to run this test");
    None
}

/// The shared real-world corpus (`NGXLINT_CORPUS`, default `../shared/corpus`). In CI it must be
/// there; locally its absence is reported and the test does not run.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("NGXLINT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/corpus"));
    if dir.join("MANIFEST.tsv").is_file() {
        return Some(dir);
    }
    if in_ci() {
        panic!(
            "the corpus is required in CI but {} has no MANIFEST.tsv (set NGXLINT_CORPUS)",
            dir.display()
        );
    }
    eprintln!(
        "SKIPPED (not run): corpus not found at {}; set NGXLINT_CORPUS to run this test",
        dir.display()
    );
    None
}

/// Path of the ngxlint binary built for these tests.
pub fn ngxlint_bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_ngxlint"))
}

/// One row of the corpus MANIFEST.tsv.
#[derive(Clone, Debug)]
pub struct CorpusEntry {
    pub path: PathBuf,
    pub local_path: String,
    pub kind: String,
    pub context: String,
    pub nginx_check: String,
    pub notes: String,
}

pub fn corpus_entries(dir: &Path) -> Vec<CorpusEntry> {
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("read MANIFEST.tsv");
    manifest
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            CorpusEntry {
                path: dir.join(f[0]),
                local_path: f[0].to_owned(),
                kind: f[5].to_owned(),
                context: f[6].to_owned(),
                nginx_check: f[7].to_owned(),
                notes: f.get(10).copied().unwrap_or_default().to_owned(),
            }
        })
        .collect()
}

/// Fill nginx's test-suite placeholders as its harness does: `%%TEST_GLOBALS*%%` → nothing,
/// `%%TESTDIR%%` → a directory, `%%PORT_N%%` / `%%PORT_N_UDP%%` → `N`.
pub fn fill_placeholders(src: &[u8], testdir: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        if src[i..].starts_with(b"%%")
            && let Some(len) = src[i + 2..].windows(2).position(|w| w == b"%%")
        {
            let name = &src[i + 2..i + 2 + len];
            let replacement: Option<Vec<u8>> = if name.starts_with(b"TEST_GLOBALS") {
                Some(Vec::new())
            } else if name == b"TESTDIR" {
                Some(testdir.as_bytes().to_vec())
            } else if let Some(rest) = name.strip_prefix(b"PORT_") {
                let digits: Vec<u8> = rest
                    .iter()
                    .copied()
                    .take_while(u8::is_ascii_digit)
                    .collect();
                (!digits.is_empty()).then_some(digits)
            } else {
                None
            };
            if let Some(r) = replacement {
                out.extend_from_slice(&r);
                i += 2 + len + 2;
                continue;
            }
        }
        out.push(src[i]);
        i += 1;
    }
    out
}

/// The first `[emerg]` of `nginx -t` on the file at `path`: (message, line), or `None` when it
/// passed. The file is used in place (so its relative includes resolve as nginx resolves them,
/// against its directory); a fragment is wrapped as nginx-semantics.md §4.3 describes.
pub fn nginx_first_error(nginx: &Path, path: &Path, context: &str) -> Option<(String, u32)> {
    let (ok, stderr) = nginx_t(nginx, path, context);
    if ok {
        return None;
    }
    Some(
        first_logged(&stderr, "[emerg]")
            .unwrap_or_else(|| panic!("nginx -t failed without [emerg]: {stderr}")),
    )
}

/// The first `[warn]` of a passing `nginx -t` on the file at `path`: (message, line); `None`
/// when nginx warned about nothing. Panics when nginx rejects the file.
pub fn nginx_first_warning(nginx: &Path, path: &Path, context: &str) -> Option<(String, u32)> {
    let (ok, stderr) = nginx_t(nginx, path, context);
    assert!(ok, "nginx -t rejected {}: {stderr}", path.display());
    first_logged(&stderr, "[warn]")
}

/// "... [level] 123#123: MESSAGE in /path/file.conf:LINE" → (MESSAGE, LINE), the first of `level`.
fn first_logged(stderr: &str, level: &str) -> Option<(String, u32)> {
    let line = stderr.lines().find(|l| l.contains(level))?;
    let msg = line.split_once(": ").map_or(line, |(_, m)| m);
    // " in FILE:LINE" ends a message about a place; a message naming none (`no "events"
    // section in configuration`) keeps its own " in ".
    let placed = msg.rsplit_once(" in ").and_then(|(m, at)| {
        let (file, n) = at.rsplit_once(':')?;
        Some((m, n.parse().ok().filter(|_| file.contains('/'))?))
    });
    let (msg, line_no) = placed.unwrap_or((msg, 0));
    Some((msg.to_owned(), line_no))
}

/// nginx's dynamic modules directory (`--modules-path=` of `nginx -V`, Debian's
/// `/usr/lib/nginx/modules` when not given).
pub fn modules_path(nginx: &Path) -> &'static Path {
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let out = Command::new(nginx)
            .arg("-V")
            .output()
            .expect("run nginx -V");
        let text = String::from_utf8_lossy(&out.stderr).into_owned();
        text.split_whitespace()
            .find_map(|w| w.strip_prefix("--modules-path="))
            .map_or_else(|| PathBuf::from("/usr/lib/nginx/modules"), PathBuf::from)
    })
}

/// The dynamic modules fixtures load (`load_module modules/X.so;`), with the Debian package
/// that installs each (`.ci/run` installs them all).
const DYNAMIC_MODULES: &[(&str, &str)] = &[
    ("ngx_stream_module", "libnginx-mod-stream"),
    ("ngx_mail_module", "libnginx-mod-mail"),
    (
        "ngx_http_image_filter_module",
        "libnginx-mod-http-image-filter",
    ),
    ("ngx_http_geoip_module", "libnginx-mod-http-geoip"),
    ("ngx_stream_geoip_module", "libnginx-mod-stream-geoip"),
    ("ngx_rtmp_module", "libnginx-mod-rtmp"),
];

/// The GeoIP country database the geoip fixtures open (Debian's `geoip-database`, which
/// libnginx-mod-http-geoip recommends; `.ci/run` installs it).
const GEOIP_DATABASE: &str = "/usr/share/GeoIP/GeoIP.dat";

/// `nginx -t` on `path` (wrapped for `context`): (passed, stderr). The private prefix has a
/// `modules` link to nginx's modules directory, so `load_module modules/ngx_stream_module.so;`
/// resolves as in Debian's own `nginx.conf` (stream, mail, image_filter and geoip are dynamic
/// modules there: see `DYNAMIC_MODULES`).
fn nginx_t(nginx: &Path, path: &Path, context: &str) -> (bool, String) {
    let dir = tempdir("nginx-t");
    #[cfg(unix)]
    std::os::unix::fs::symlink(modules_path(nginx), dir.join("modules")).expect("link modules");
    // A fixture that loads a dynamic module needs it installed: say so, rather than compare
    // nginx's dlopen() failure with the finding.
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned();
    for (module, package) in DYNAMIC_MODULES {
        if text.contains(&format!("load_module modules/{module}.so;"))
            && !modules_path(nginx).join(format!("{module}.so")).is_file()
        {
            panic!(
                "{} loads {module}.so, which is not in {}: install {package} (`.ci/run` \
                 installs every module the fixtures load)",
                path.display(),
                modules_path(nginx).display()
            );
        }
    }
    // nginx opens a GeoIP database while it reads the configuration.
    if text.contains(GEOIP_DATABASE) && !Path::new(GEOIP_DATABASE).is_file() {
        panic!(
            "{} opens {GEOIP_DATABASE}, which is missing: install geoip-database (`.ci/run` does)",
            path.display()
        );
    }
    let frag = std::fs::canonicalize(path).expect("fixture path");
    let wrapper = match context {
        "main" => None,
        "http" => Some(format!(
            "events {{}} http {{ include {}; }}\n",
            frag.display()
        )),
        "server" => Some(format!(
            "events {{}} http {{ server {{ listen 127.0.0.1:1; include {}; }} }}\n",
            frag.display()
        )),
        "location" => Some(format!(
            "events {{}} http {{ server {{ listen 127.0.0.1:1; location / {{ include {}; }} }} }}\n",
            frag.display()
        )),
        // Debian's stream module is dynamic: loaded through the prefix's `modules` link.
        "stream" => Some(format!(
            "load_module modules/ngx_stream_module.so; events {{}} stream {{ include {}; }}\n",
            frag.display()
        )),
        // The mail module is dynamic too (libnginx-mod-mail).
        "mail" => Some(format!(
            "load_module modules/ngx_mail_module.so; events {{}} mail {{ include {}; }}\n",
            frag.display()
        )),
        other => panic!("no wrapper for context {other}"),
    };
    let conf = match &wrapper {
        Some(w) => {
            let main = dir.join("main.conf");
            std::fs::write(&main, w).expect("write wrapper");
            main
        }
        None => frag.clone(),
    };
    let out = Command::new(nginx)
        .arg("-t")
        .arg("-p")
        .arg(&dir)
        .arg("-c")
        .arg(&conf)
        .arg("-g")
        .arg(format!(
            "pid {}/nginx.pid; error_log stderr;",
            dir.display()
        ))
        .output()
        .expect("run nginx -t");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let _ = std::fs::remove_dir_all(&dir);
    (out.status.success(), stderr)
}

/// A fresh private directory under the system temp dir (removed by the caller).
pub fn tempdir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "ngxlint-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // nginx workers run as nobody when started as root.
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755));
    }
    dir
}

/// Exit code of a finished ngxlint run.
pub fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exited normally")
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `ngxlint check --no-config --format json --select RULE ARGS...`: the JSON report.
pub fn check_json(rule: &str, args: &[&dyn AsRef<std::ffi::OsStr>]) -> serde_json::Value {
    let out = std::process::Command::new(ngxlint_bin())
        .args(["check", "--no-config", "--format", "json", "--select", rule])
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .expect("run ngxlint");
    json(&out)
}

/// stdout parsed as JSON (panics with both streams when it is not).
pub fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            stdout(out),
            stderr(out)
        )
    })
}

/// The facts extracted from nginx's source (`NGXLINT_SHARED`/data, else next to the corpus,
/// else `../shared/data`). In CI they must be there; locally their absence is reported and the
/// test does not run.
pub fn shared_data() -> Option<PathBuf> {
    let shared = std::env::var_os("NGXLINT_SHARED")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("NGXLINT_CORPUS")
                .map(PathBuf::from)
                .and_then(|c| c.parent().map(Path::to_path_buf))
        })
        .unwrap_or_else(|| repo_root().join("../shared"));
    let dir = shared.join("data");
    if dir.join("nginx-directives.tsv").is_file() {
        return Some(dir);
    }
    if in_ci() {
        panic!(
            "the nginx directive data is required in CI but {} has no nginx-directives.tsv (set NGXLINT_SHARED)",
            dir.display()
        );
    }
    eprintln!(
        "SKIPPED (not run): nginx directive data not found at {}; set NGXLINT_SHARED to run this test",
        dir.display()
    );
    None
}

/// `python3` when it can import `module`. In CI its absence fails the test; locally the test
/// says it did not run.
pub fn python_with(module: &str) -> Option<PathBuf> {
    let ok = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(PathBuf::from("python3"));
    }
    if in_ci() {
        panic!(
            "python3 with the {module} package is required in CI: install it with \
             `python3 -m pip install {module}`"
        );
    }
    eprintln!("SKIPPED (not run): python3 or its {module} package is missing");
    None
}
