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
