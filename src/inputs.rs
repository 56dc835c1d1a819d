//! Which files a directory argument stands for.

use std::path::{Path, PathBuf};

/// Is `path` directly in a `sites-enabled/` directory (Debian's layout: files there have no
/// extension, and are often links to `sites-available/`)?
fn in_sites_enabled(path: &Path) -> bool {
    path.parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == "sites-enabled")
        && !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// Roots of a directory: every `nginx.conf` first (they pull in their includes), then every
/// other `*.conf` and every file in a `sites-enabled/` directory, sorted, so files reached
/// through an include are linted with their context.
/// `.gitignore`, `.ignore` and hidden files are skipped, as ripgrep does (the `ignore` crate).
///
/// A directory that cannot be read (permissions, a vanished mount) is an error, never skipped:
/// "No problems found" for a tree that was not read would be a lie (issue #13).
pub fn directory_roots(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut mains = Vec::new();
    let mut others = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            // An unreadable directory or entry: fatal. (A malformed `.gitignore` line is a
            // partial error without I/O behind it: the walk goes on, as ripgrep's does.)
            Err(e) if e.io_error().is_some() => return Err(walk_error(&e)),
            Err(_) => continue,
        };
        // Regular files, and in sites-enabled/ the links Debian's layout keeps there.
        let is_file = entry.file_type().is_some_and(|t| t.is_file())
            || (in_sites_enabled(entry.path()) && entry.path().is_file());
        if !is_file {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name == "nginx.conf" {
            mains.push(entry.into_path());
        } else if name.ends_with(".conf") || in_sites_enabled(entry.path()) {
            others.push(entry.into_path());
        }
    }
    mains.extend(others);
    Ok(mains)
}

/// "cannot read directory conf/private: Permission denied (os error 13)".
fn walk_error(e: &ignore::Error) -> String {
    fn path_of(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            _ => None,
        }
    }
    // The OS's words ("Permission denied"), not the walker's wrapping of them ("IO error for
    // operation on PATH: ..."), which would repeat the path.
    let io = match e.io_error() {
        Some(io) => match io.raw_os_error() {
            Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
            None => io.kind().to_string(),
        },
        None => e.to_string(),
    };
    let io = crate::io::strip_os_suffix(&io);
    match path_of(e) {
        Some(p) => format!(
            "cannot read directory {}: {io}",
            crate::report::escape_path(p)
        ),
        None => format!("cannot walk the tree: {io}"),
    }
}

/// Where this checkout keeps the files an absolute glob include names: a `--path-map FROM=TO`
/// pair when the checkout's files that match the glob's last components (its file pattern and
/// at least the directory above it: `conf.d/*.conf` of `/etc/nginx/conf.d/*.conf`) all lie
/// under one directory (`/etc/nginx` → `/repo/nginx`). As [`mappings_for`]: one bounded walk
/// below the repository's root, `.gitignore` honoured; outside a repository, none.
pub fn glob_mapping_for(checked: &Path, pattern: &Path) -> Option<(PathBuf, PathBuf)> {
    let root = repository_root(checked)?;
    let wanted = names_of(pattern);
    if wanted.len() < 3 {
        return None;
    }
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    let patterns: Vec<glob::Pattern> = wanted
        .iter()
        .map(|c| glob::Pattern::new(&c.to_string_lossy()))
        .collect::<Result<_, _>>()
        .ok()?;
    let mut answer: Option<(PathBuf, PathBuf)> = None;
    for entry in checkout_files(&root) {
        let path = entry.path();
        let have = names_of(path.strip_prefix(&root).unwrap_or(path));
        // The longest tail of the pattern (two components at least) this file's path ends in.
        let tail = (2..wanted.len()).rev().find(|&k| {
            k <= have.len()
                && patterns[wanted.len() - k..]
                    .iter()
                    .zip(&have[have.len() - k..])
                    .all(|(p, h)| p.matches_with(&h.to_string_lossy(), options))
        });
        let Some(k) = tail else {
            continue;
        };
        let from: PathBuf = std::iter::once(std::ffi::OsStr::new("/"))
            .chain(wanted[..wanted.len() - k].iter().copied())
            .collect();
        let mut to = path.to_path_buf();
        for _ in 0..k {
            to.pop();
        }
        match &answer {
            None => answer = Some((from, to)),
            Some(a) if *a == (from.clone(), to.clone()) => {}
            // Two places: no one answer.
            Some(_) => return None,
        }
    }
    answer
}

/// A path's names, its root and `.`/`..` left out (`/etc/nginx/conf.d/*.conf`: `etc`, `nginx`,
/// `conf.d`, `*.conf`).
fn names_of(path: &Path) -> Vec<&std::ffi::OsStr> {
    path.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(n) => Some(n),
            _ => None,
        })
        .collect()
}

/// The files of a checkout below `root`, as a help looks for them: `.gitignore` honoured,
/// eight levels deep, at most [`CHECKOUT_SEARCH_LIMIT`] entries looked at.
fn checkout_files(root: &Path) -> impl Iterator<Item = ignore::DirEntry> {
    ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .max_depth(Some(8))
        .build()
        .take(CHECKOUT_SEARCH_LIMIT)
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
}

/// The repository's root (a directory with `.git`) above `checked`, at most 12 levels up.
fn repository_root(checked: &Path) -> Option<PathBuf> {
    checked
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .and_then(|d| std::fs::canonicalize(d).ok())
        .and_then(|d| {
            d.ancestors()
                .take(12)
                .find(|a| a.join(".git").exists())
                .map(Path::to_path_buf)
        })
}

/// Entries looked at, at most, when searching a checkout for files ([`mappings_for`]).
const CHECKOUT_SEARCH_LIMIT: usize = 20_000;

/// Where each missing absolute include's directory seems to be kept in this checkout: a
/// `--path-map FROM=TO` pair (`/etc/nginx` → `/repo/util/Nginx`) when exactly one file of the checkout, below the repository's
/// root (a directory with `.git`) above `checked`, has the include's file name. One walk for
/// all of them; it honours `.gitignore` and stops after [`CHECKOUT_SEARCH_LIMIT`] entries: a
/// help, not a search of the disk. Outside a repository, none.
pub fn mappings_for(checked: &Path, missing: &[&Path]) -> Vec<Option<(PathBuf, PathBuf)>> {
    let none = || missing.iter().map(|_| None).collect();
    let Some(root) = repository_root(checked) else {
        return none();
    };
    // Every file of each wanted name (two are enough to know there is no one answer).
    let mut found: Vec<Vec<PathBuf>> = missing.iter().map(|_| Vec::new()).collect();
    for entry in checkout_files(&root) {
        for (i, m) in missing.iter().enumerate() {
            if m.file_name() == Some(entry.file_name()) && found[i].len() < 2 {
                found[i].push(entry.path().to_path_buf());
            }
        }
    }
    missing
        .iter()
        .zip(found)
        .map(|(missing, found)| {
            let [found] = <[PathBuf; 1]>::try_from(found).ok()?;
            // Strip the components both paths end with: what is left maps onto each other.
            let (mut from, mut to) = (missing.to_path_buf(), found);
            while from.file_name().is_some() && from.file_name() == to.file_name() {
                from.pop();
                to.pop();
            }
            // The include's whole directory part matched: nothing to map but `/`.
            from.parent()?;
            Some((from, to))
        })
        .collect()
}
