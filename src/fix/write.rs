//! Writing fixed files without losing anyone's data.
//!
//! [`write_checked`] replaces a file's contents atomically: a temporary file in the same
//! directory, fsync, rename over the target. Before the rename, under an advisory lock on the
//! target (so two `ngxlint fix` runs serialise), the file is read again and compared with the
//! text the fixes were computed from; if it changed (an editor saved, another run wrote first),
//! nothing is written and the caller is told. Size and modification time are compared once more
//! right before the rename, to narrow the window for writers that do not take the lock.
//!
//! The full mode is kept, setuid/setgid/sticky included (set after the owner: `chown` clears
//! them), and the owner where allowed; a symlink is followed so its target is rewritten. A file
//! with several hard links is refused by default, since replacing it would split it from its
//! other names; [`WriteOptions::in_place_hardlinks`] rewrites it in place instead (not atomic).
//! Temporary files are registered so a SIGINT/SIGTERM/SIGHUP removes them
//! ([`install_signal_cleanup`]); on any error nothing is left behind.

use std::fs;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How to write.
#[derive(Clone, Copy, Debug, Default)]
pub struct WriteOptions {
    /// Rewrite files with several hard links in place (keeping the links) instead of refusing.
    pub in_place_hardlinks: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "{} changed on disk since ngxlint read it; not overwritten (run `ngxlint fix` again)",
        crate::report::escape_path(.0)
    )]
    Changed(PathBuf),
    #[error(
        "{} has {links} hard links; replacing it would split it from its other names; not \
         written (use --in-place-hardlinks to rewrite it in place)",
        crate::report::escape_path(path)
    )]
    HardLinked { path: PathBuf, links: u64 },
    #[error("cannot write {}: {source}", crate::report::escape_path(path))]
    Io { path: PathBuf, source: io::Error },
}

/// Temporary files being written, removed by the signal handler. A temporary file is created
/// and renamed only while this lock is held, and the handler holds it until the process exits:
/// so a file is either registered when the handler looks, or never created.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// On SIGINT, SIGTERM or SIGHUP: remove the temporary files being written, then exit 130.
/// On a panic too, before the panic's message: the distributed binary is built with
/// `panic = "abort"` (Cargo.toml's `dist` profile), where no destructor runs, so the
/// [`TempGuard`]s would leave their files behind. Call once, before writing (later calls are
/// no-ops).
pub fn install_signal_cleanup() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let reported = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            remove_pending_after_panic();
            reported(info);
        }));
        let _ = ctrlc::set_handler(|| {
            let pending = PENDING
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            remove_all(&pending);
            eprintln!("interrupted: temporary files removed; files already written stay written");
            std::process::exit(130);
        });
    });
}

/// The registered temporary files removed, from the panic hook. The lock is tried for a
/// while, not waited for: the panicking thread may hold it itself (then nothing is removed
/// here, and under unwinding the guards still remove their files).
fn remove_pending_after_panic() {
    for _ in 0..100 {
        match PENDING.try_lock() {
            Ok(pending) => return remove_all(&pending),
            Err(std::sync::TryLockError::Poisoned(p)) => return remove_all(&p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        }
    }
}

fn remove_all(paths: &[PathBuf]) {
    for p in paths {
        let _ = fs::remove_file(p);
    }
}

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One registered temporary file; removed on drop unless it was renamed into place.
struct TempGuard {
    path: PathBuf,
    done: bool,
}

impl TempGuard {
    /// Create `path` (exclusively) and register it, atomically with respect to the handler.
    fn create(path: PathBuf) -> io::Result<(TempGuard, fs::File)> {
        let mut p = pending();
        let f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        p.push(path.clone());
        Ok((TempGuard { path, done: false }, f))
    }

    /// Rename into place and unregister, atomically with respect to the handler.
    fn rename_to(mut self, target: &Path) -> io::Result<()> {
        let mut p = pending();
        fs::rename(&self.path, target)?;
        self.done = true;
        p.retain(|x| x != &self.path);
        Ok(())
    }
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if !self.done {
            let mut p = pending();
            let _ = fs::remove_file(&self.path);
            p.retain(|x| x != &self.path);
        }
    }
}

/// Replace the contents of `path` (which held `before` when the fixes were computed) with
/// `after`. See the module documentation.
pub fn write_checked(
    path: &Path,
    before: &[u8],
    after: &[u8],
    opts: WriteOptions,
) -> Result<(), WriteError> {
    let io_err = |source| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    let target: PathBuf = fs::canonicalize(path).map_err(io_err)?;
    let mut locked = lock_current(&target).map_err(io_err)?;
    let meta = locked.metadata().map_err(io_err)?;
    // Re-read under the lock: the bytes the fixes were computed from must still be there.
    let mut now = Vec::with_capacity(before.len());
    locked.seek(io::SeekFrom::Start(0)).map_err(io_err)?;
    (&locked)
        .take(before.len() as u64 + 1)
        .read_to_end(&mut now)
        .map_err(io_err)?;
    if now != before {
        return Err(WriteError::Changed(path.to_owned()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            if !opts.in_place_hardlinks {
                return Err(WriteError::HardLinked {
                    path: path.to_owned(),
                    links: meta.nlink(),
                });
            }
            return write_in_place(&mut locked, after).map_err(io_err);
        }
    }
    let _ = opts;
    let dir = target.parent().ok_or_else(|| {
        io_err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no parent directory",
        ))
    })?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.ngxlint-{}.tmp", std::process::id()));
    let (guard, mut f) = TempGuard::create(tmp).map_err(io_err)?;
    f.write_all(after).map_err(io_err)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Keeping the owner needs privileges; without them the file is ours, as with any
        // editor that saves by rename. Before the mode: chown clears setuid/setgid.
        let _ = std::os::unix::fs::fchown(&f, Some(meta.uid()), Some(meta.gid()));
    }
    f.set_permissions(meta.permissions()).map_err(io_err)?;
    f.sync_all().map_err(io_err)?;
    drop(f);
    // Last look before the rename: same size and modification time as when re-read.
    let last = locked.metadata().map_err(io_err)?;
    if last.len() != meta.len() || last.modified().ok() != meta.modified().ok() {
        return Err(WriteError::Changed(path.to_owned()));
    }
    guard.rename_to(&target).map_err(io_err)?;
    // Make the rename durable.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Open `target` and take an exclusive advisory lock on it. Another run may have replaced the
/// file (renamed its own version over it) while this one waited: then lock the new file.
fn lock_current(target: &Path) -> io::Result<fs::File> {
    loop {
        let f = fs::OpenOptions::new().read(true).write(true).open(target)?;
        f.lock()?;
        if same_file(&f, target)? {
            return Ok(f);
        }
    }
}

#[cfg(unix)]
fn same_file(f: &fs::File, path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let (a, b) = (f.metadata()?, fs::metadata(path)?);
    Ok(a.dev() == b.dev() && a.ino() == b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &fs::File, _: &Path) -> io::Result<bool> {
    Ok(true)
}

/// Rewrite a hard-linked file through its open handle (every name sees the new text).
fn write_in_place(f: &mut fs::File, after: &[u8]) -> io::Result<()> {
    f.seek(io::SeekFrom::Start(0))?;
    f.write_all(after)?;
    f.set_len(after.len() as u64)?;
    f.sync_all()
}

/// Replace the contents of `path` with `bytes` when nothing is known about its previous
/// contents (no change check; still locked, atomic, mode kept).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let current = crate::io::read_regular(path, crate::semantics::include::MAX_FILE_SIZE)
        .map_err(io::Error::other)?;
    write_checked(path, &current, bytes, WriteOptions::default()).map_err(io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic removes the temporary files being written even where no destructor runs (the
    /// distributed binary aborts on a panic): run in a child process of this test binary, so
    /// that its panic hook and its registered file touch no other test.
    #[test]
    fn a_panic_removes_the_temporary_files() {
        const CHILD: &str = "NGXLINT_TEST_PANIC_CHILD";
        if let Some(path) = std::env::var_os(CHILD) {
            install_signal_cleanup();
            let (guard, _file) = TempGuard::create(PathBuf::from(path)).expect("create");
            // As under `panic = "abort"`: the guard's destructor never runs.
            std::mem::forget(guard);
            panic!("a bug while writing");
        }
        let dir = std::env::temp_dir().join(format!("ngxlint-panic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let tmp = dir.join(".nginx.conf.ngxlint-1.tmp");
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "fix::write::tests::a_panic_removes_the_temporary_files",
                "--nocapture",
            ])
            .env(CHILD, &tmp)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The child did panic where expected, and its message was still reported.
        assert!(!out.status.success(), "{stderr}");
        assert!(stderr.contains("a bug while writing"), "{stderr}");
        assert!(!tmp.exists(), "the temporary file was left behind");
        fs::remove_dir_all(&dir).unwrap();
    }
}
