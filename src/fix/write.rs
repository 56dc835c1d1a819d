//! Writing fixed files atomically: a temporary file in the same directory, fsync, rename over
//! the target. Permissions (and, where allowed, the owner) are kept; a symlink is followed so
//! its target is rewritten, not replaced by a regular file. On error nothing is left behind.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replace the contents of `path` with `bytes`, atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target: PathBuf = fs::canonicalize(path)?;
    let meta = fs::metadata(&target)?;
    let dir = target
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no parent directory"))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.ngxlint-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.set_permissions(meta.permissions())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Keeping the owner needs privileges; without them the file is ours, as with any
            // editor that saves by rename.
            let _ = std::os::unix::fs::fchown(&f, Some(meta.uid()), Some(meta.gid()));
        }
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, &target)?;
        // Make the rename durable.
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
