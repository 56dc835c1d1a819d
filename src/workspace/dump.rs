//! `nginx -T` dumps: every configuration file nginx read, each after a
//! `# configuration file PATH:` line, in the order nginx read them (the main file first), with
//! nginx's own `nginx: the configuration file ... syntax is ok` / `... test is successful`
//! lines (stderr) wherever `2>&1` put them.
//!
//! nginx writes each file's bytes followed by one line feed (`ngx_write_stdout(NGX_LINEFEED)`
//! after the buffer in `nginx.c`), so removing that one line feed gives the file back exactly.

use std::collections::HashMap;
use std::path::PathBuf;

const MARKER: &[u8] = b"# configuration file ";

/// One file of a dump.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DumpFile {
    pub path: PathBuf,
    pub src: Vec<u8>,
}

/// A line nginx itself prints around a dump (`nginx: the configuration file ... syntax is ok`,
/// `nginx: configuration file ... test is successful`, `nginx: [warn] ...`).
fn is_nginx_line(line: &[u8]) -> bool {
    line.starts_with(b"nginx: ")
}

/// `# configuration file PATH:` → PATH.
fn marker_path(line: &[u8]) -> Option<&[u8]> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    line.strip_prefix(MARKER)?.strip_suffix(b":")
}

/// Does `src` look like `nginx -T` output (after nginx's own messages, a
/// `# configuration file PATH:` line)?
pub fn is_dump(src: &[u8]) -> bool {
    src.split(|&b| b == b'\n')
        .find(|l| !is_nginx_line(l) && !l.is_empty())
        .is_some_and(|l| marker_path(l).is_some())
}

/// The files of a dump, main file first; `None` when it is not one.
pub fn parse(src: &[u8]) -> Option<Vec<DumpFile>> {
    let mut files: Vec<DumpFile> = Vec::new();
    let mut lines: Vec<&[u8]> = src.split_inclusive(|&b| b == b'\n').collect();
    // nginx's own lines after the last file (they were printed after the dump by `2>&1`).
    while let Some(last) = lines.last() {
        let l = last.strip_suffix(b"\n").unwrap_or(last);
        if is_nginx_line(l) {
            lines.pop();
        } else {
            break;
        }
    }
    let mut current: Option<(PathBuf, Vec<u8>)> = None;
    for line in lines {
        let bare = line.strip_suffix(b"\n").unwrap_or(line);
        if let Some(p) = marker_path(bare) {
            if let Some((path, src)) = current.take() {
                files.push(finish(path, src));
            }
            current = Some((bytes_to_path(p), Vec::new()));
            continue;
        }
        match &mut current {
            Some((_, src)) => src.extend_from_slice(line),
            // Before the first file: only nginx's own lines (or nothing) may come.
            None if is_nginx_line(bare) || bare.is_empty() => {}
            None => return None,
        }
    }
    if let Some((path, src)) = current.take() {
        files.push(finish(path, src));
    }
    (!files.is_empty()).then_some(files)
}

/// Drop the line feed nginx adds after each file.
fn finish(path: PathBuf, mut src: Vec<u8>) -> DumpFile {
    if src.last() == Some(&b'\n') {
        src.pop();
    }
    DumpFile { path, src }
}

/// The dump's files as an overlay for loading: by path as nginx printed it, and by canonical
/// path when that file also exists here (a dump checked on the server itself).
pub fn overlay(files: &[DumpFile]) -> HashMap<PathBuf, Vec<u8>> {
    let mut out = HashMap::new();
    for f in files {
        if let Ok(canon) = std::fs::canonicalize(&f.path)
            && canon != f.path
        {
            out.insert(canon, f.src.clone());
        }
        out.insert(f.path.clone(), f.src.clone());
    }
    out
}

#[cfg(unix)]
fn bytes_to_path(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn bytes_to_path(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}
