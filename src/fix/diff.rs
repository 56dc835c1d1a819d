//! Unified diffs of what a fix changes (`--diff`), with `a/` and `b/` headers.

use similar::TextDiff;

/// A unified diff of one file; empty when nothing changed. Non-UTF-8 bytes are shown lossily
/// (the written file keeps them).
pub fn unified(path: &str, before: &[u8], after: &[u8]) -> String {
    if before == after {
        return String::new();
    }
    // `a/` + an absolute path would read `a//etc/nginx/...`; git shows `a/etc/nginx/...`.
    let path = path.trim_start_matches('/');
    let old = String::from_utf8_lossy(before);
    let new = String::from_utf8_lossy(after);
    let diff = TextDiff::from_lines(old.as_ref(), new.as_ref());
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}
