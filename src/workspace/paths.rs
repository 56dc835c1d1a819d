//! Canonical paths asked during one run, each directory resolved once.
//!
//! `std::fs::canonicalize` is `realpath`: a `readlink` per component of the path. A run asks
//! for the same files' and directories' canonical paths from several places (the settings of
//! each file, the config file governing it, the container files above it, the roots another
//! root includes, the findings' de-duplication); a check of 801 files under
//! `../shared/corpus` made 62,000 `readlink` calls, about 80 a file (issue #13). Here a file's
//! canonical path is its directory's (resolved once per directory) joined with its name, after
//! one `lstat` shows that the name is not a symbolic link.
//!
//! Kept for one run only: a long-lived process (tests, an editor) sees symbolic links change.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Default)]
pub struct CanonicalPaths {
    /// Each path asked, as given.
    paths: HashMap<PathBuf, PathBuf>,
    /// Each directory resolved, as given (`None`: it does not resolve).
    dirs: HashMap<PathBuf, Option<PathBuf>>,
}

impl CanonicalPaths {
    /// `p`'s canonical path, or `p` itself where it does not resolve (a missing file), as
    /// [`super::canonical`] answers.
    pub fn of(&mut self, p: &Path) -> PathBuf {
        if let Some(known) = self.paths.get(p) {
            return known.clone();
        }
        let resolved = self.resolve(p).unwrap_or_else(|| p.to_owned());
        self.paths.insert(p.to_owned(), resolved.clone());
        resolved
    }

    /// The canonical path of the directory `p` is in (`.` for a bare name), if it resolves.
    pub fn dir_of(&mut self, p: &Path) -> Option<PathBuf> {
        let dir = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        self.dir(dir)
    }

    fn dir(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(known) = self.dirs.get(dir) {
            return known.clone();
        }
        let resolved = std::fs::canonicalize(dir).ok();
        self.dirs.insert(dir.to_owned(), resolved.clone());
        resolved
    }

    fn resolve(&mut self, p: &Path) -> Option<PathBuf> {
        // Only a plain last name is joined to its directory's path: `..`, `.` and a root go
        // to `realpath` whole.
        let plain_name = matches!(p.components().next_back(), Some(Component::Normal(_)));
        let name = p.file_name().filter(|_| plain_name);
        let meta = std::fs::symlink_metadata(p).ok()?;
        match name {
            Some(name) if !meta.file_type().is_symlink() => Some(self.dir_of(p)?.join(name)),
            _ => std::fs::canonicalize(p).ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_realpath_does() {
        let tmp = std::env::temp_dir().join(format!("ngxlint-paths-{}", std::process::id()));
        let real = tmp.join("real");
        std::fs::create_dir_all(real.join("sub")).unwrap();
        std::fs::write(real.join("sub/a.conf"), "").unwrap();
        std::fs::write(real.join("b.conf"), "").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&real, tmp.join("link")).unwrap();
            std::os::unix::fs::symlink(real.join("b.conf"), real.join("sub/to-b.conf")).unwrap();
        }
        let mut paths = CanonicalPaths::default();
        let mut asked = vec![
            real.join("sub/a.conf"),
            real.join("sub/../b.conf"),
            real.join("sub/.."),
            real.join("sub/."),
            real.join("missing.conf"),
            real.join("sub"),
            real.clone(),
            PathBuf::from("/"),
        ];
        #[cfg(unix)]
        asked.extend([
            tmp.join("link/sub/a.conf"),
            tmp.join("link/b.conf"),
            real.join("sub/to-b.conf"),
            tmp.join("link"),
        ]);
        for p in &asked {
            // Twice: the remembered answer is the same.
            for _ in 0..2 {
                assert_eq!(paths.of(p), super::super::canonical(p), "{}", p.display());
            }
        }
        assert_eq!(
            paths.dir_of(&real.join("sub/a.conf")),
            Some(std::fs::canonicalize(real.join("sub")).unwrap())
        );
        assert_eq!(paths.dir_of(&tmp.join("nowhere/x.conf")), None);
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
