//! Bounded reading of inputs: only regular files are opened, and every read stops at a size cap
//! checked while reading (not after), so a FIFO, `/dev/zero`, a socket or an endless stdin
//! gives a clear error instead of a hang or unbounded memory (issue #13).

use std::fs::FileType;
use std::io::Read;
use std::path::Path;

#[cfg(unix)]
mod mapped;

/// A file's bytes: read into memory, or mapped from the page cache ([`map_regular`]).
pub struct Source(SourceRepr);

enum SourceRepr {
    Read(Vec<u8>),
    #[cfg(unix)]
    Mapped(mapped::Mapping),
}

impl std::ops::Deref for Source {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        match &self.0 {
            SourceRepr::Read(v) => v,
            #[cfg(unix)]
            SourceRepr::Mapped(m) => m.bytes(),
        }
    }
}

impl From<Vec<u8>> for Source {
    fn from(v: Vec<u8>) -> Source {
        Source(SourceRepr::Read(v))
    }
}

impl Source {
    /// Mapped from the page cache rather than read.
    pub fn is_mapped(&self) -> bool {
        match self.0 {
            SourceRepr::Read(_) => false,
            #[cfg(unix)]
            SourceRepr::Mapped(_) => true,
        }
    }
}

/// A copy of the bytes, read into memory (a mapped file's bytes may change under it).
impl Clone for Source {
    fn clone(&self) -> Source {
        Source::from(self.to_vec())
    }
}

/// Printed as the bytes it holds.
impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// The smallest file [`map_regular`] maps: from there a mapping costs less than a read (64
/// KiB: 25 against 56 µs, 256 KiB: 40 against 125 µs, each with a pass over the bytes; at 16
/// KiB the two are alike).
#[cfg(unix)]
const MAP_FROM: u64 = 64 << 10;

/// [`read_regular`] for a file that is only read from (`check`): a file of [`MAP_FROM`]
/// bytes and more is mapped from the page cache instead (see [`mapped`]; read where it cannot
/// be mapped).
pub fn map_regular(path: &Path, cap: u64) -> Result<Source, InputError> {
    let (file, len) = open_regular(path, cap)?;
    #[cfg(unix)]
    if len >= MAP_FROM {
        let message = format!(
            "error: {} was truncated while it was being checked; check it again once nothing \
             is writing it\n",
            crate::report::escape_path(path)
        );
        if let Some(m) = mapped::map(&file, len, message) {
            return Ok(Source(SourceRepr::Mapped(m)));
        }
    }
    read_opened(file, len, cap).map(Source::from)
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}", strip_os_suffix(&.0.to_string()))]
    Io(#[from] std::io::Error),
    /// A FIFO, socket, device or directory: reading it could block forever or never end.
    #[error("not a regular file (a {kind}); only regular files are read")]
    NotRegular { kind: &'static str },
    /// More than `cap` bytes.
    #[error("larger than {cap} bytes")]
    TooLarge { cap: u64 },
}

impl InputError {
    /// The OS error number when there is one (`2` ENOENT, `13` EACCES, `40` ELOOP).
    pub fn raw_os_error(&self) -> Option<i32> {
        match self {
            InputError::Io(e) => e.raw_os_error(),
            _ => None,
        }
    }
}

/// Read a whole regular file, at most `cap` bytes.
pub fn read_regular(path: &Path, cap: u64) -> Result<Vec<u8>, InputError> {
    let (file, len) = open_regular(path, cap)?;
    read_opened(file, len, cap)
}

/// Open a regular file of at most `cap` bytes; its length. The type is checked before opening
/// (a FIFO would block `open` until a writer comes) and again on the opened handle (the path
/// may have been replaced in between).
fn open_regular(path: &Path, cap: u64) -> Result<(std::fs::File, u64), InputError> {
    let meta = std::fs::metadata(path)?;
    check_regular(meta.file_type())?;
    if meta.len() > cap {
        return Err(InputError::TooLarge { cap });
    }
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    check_regular(meta.file_type())?;
    if meta.len() > cap {
        return Err(InputError::TooLarge { cap });
    }
    Ok((file, meta.len()))
}

/// Read an opened regular file `len` bytes long when opened, at most `cap` bytes (it may have
/// grown since).
fn read_opened(file: std::fs::File, len: u64, cap: u64) -> Result<Vec<u8>, InputError> {
    #[cfg(unix)]
    if len >= PARALLEL_READ_FROM
        && crate::threads::more_than_one()
        && let Some(buf) = read_halves(&file, len)
    {
        return Ok(buf);
    }
    read_capped_sized(file, cap, len)
}

/// The smallest file read in two halves at once ([`read_halves`]).
#[cfg(unix)]
const PARALLEL_READ_FROM: u64 = 4 << 20;

/// A regular file of `len` bytes, its two halves read at once on two threads (`pread` at their
/// offsets). Reading a file is mostly the kernel giving the buffer its pages and copying the
/// page cache into them (50 MB: 25 ms on one core, nothing else running meanwhile); two halves
/// take about half that. The buffer is zeroed memory, which the allocator hands out without
/// touching it, so each thread faults in the pages of its own half. `None` when the file is
/// not exactly `len` bytes long when read (it changed meanwhile) or a thread cannot be had:
/// the caller then reads it the ordinary way, with its cap.
#[cfg(unix)]
fn read_halves(file: &std::fs::File, len: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let size = usize::try_from(len).ok()?;
    let mut buf = vec![0u8; size];
    let half = size / 2;
    let (first, second) = buf.split_at_mut(half);
    let read = std::thread::scope(|s| {
        let later =
            crate::threads::spawn_beside(s, || file.read_exact_at(second, half as u64)).ok()?;
        let first = file.read_exact_at(first, 0);
        let second = later.join().ok()?;
        Some(first.is_ok() && second.is_ok())
    });
    // Nothing past the end: the file did not grow while it was read.
    let mut past = [0u8; 1];
    (read? && matches!(file.read_at(&mut past, len), Ok(0))).then_some(buf)
}

/// Read a small settings file: like [`read_regular`], but a character device is read too
/// (`--config /dev/null` is the usual way to say "no settings"); the cap bounds `/dev/zero`.
/// FIFOs, sockets and directories are refused.
pub fn read_settings(path: &Path, cap: u64) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() && !is_char_device(meta.file_type()) {
        return Err(InputError::NotRegular {
            kind: kind_name(meta.file_type()),
        });
    }
    read_capped(std::fs::File::open(path)?, cap)
}

fn is_char_device(t: FileType) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        t.is_char_device()
    }
    #[cfg(not(unix))]
    {
        let _ = t;
        false
    }
}

/// Read `r` to its end, failing as soon as it yields more than `cap` bytes.
pub fn read_capped(r: impl Read, cap: u64) -> Result<Vec<u8>, InputError> {
    read_capped_sized(r, cap, 0)
}

/// [`read_capped`] into one buffer of the expected size (a regular file's length): the source
/// stays in memory for the whole run, and growing by doubling left up to half of it unused
/// (10 MB read into a 16 MB buffer). A file that grew meanwhile still reads to its end.
fn read_capped_sized(r: impl Read, cap: u64, expected: u64) -> Result<Vec<u8>, InputError> {
    let mut buf = Vec::with_capacity(usize::try_from(expected.min(cap)).unwrap_or(0));
    r.take(cap.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(InputError::TooLarge { cap });
    }
    Ok(buf)
}

fn check_regular(t: FileType) -> Result<(), InputError> {
    if t.is_file() {
        return Ok(());
    }
    Err(InputError::NotRegular { kind: kind_name(t) })
}

/// A file type in words.
pub fn kind_name(t: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "FIFO";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_char_device() {
            return "character device";
        }
        if t.is_block_device() {
            return "block device";
        }
    }
    if t.is_dir() {
        return "directory";
    }
    if t.is_symlink() {
        return "symbolic link";
    }
    "special file"
}

/// `"Permission denied (os error 13)"` → `"Permission denied"`.
pub fn strip_os_suffix(s: &str) -> &str {
    s.find(" (os error").map_or(s, |i| &s[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_is_checked_while_reading() {
        // An endless reader: the cap stops it (reading "to the end, then checking" would not).
        let endless = std::io::repeat(b'x');
        assert!(matches!(
            read_capped(endless, 1000),
            Err(InputError::TooLarge { cap: 1000 })
        ));
        assert_eq!(read_capped(&b"abc"[..], 3).unwrap(), b"abc");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_directories_are_refused() {
        let e = read_regular(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(
            matches!(
                e,
                InputError::NotRegular {
                    kind: "character device"
                }
            ),
            "{e}"
        );
        let e = read_regular(Path::new("/"), 1 << 20).unwrap_err();
        assert!(
            matches!(e, InputError::NotRegular { kind: "directory" }),
            "{e}"
        );
    }

    /// A file of `len` bytes of a pattern that differs at every offset of a 251-byte period
    /// (a half put at the wrong place, or a byte lost at the cut, would show), in a directory
    /// of its own.
    #[cfg(unix)]
    fn patterned_file(name: &str, len: usize) -> (std::path::PathBuf, Vec<u8>) {
        let dir = std::env::temp_dir().join(format!("ngxlint-io-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.conf");
        let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        (path, bytes)
    }

    /// A large file is read in two halves at once: the same bytes as one read, odd lengths and
    /// the cap's edge included.
    #[cfg(unix)]
    #[test]
    fn a_large_file_reads_the_same_in_halves() {
        let len = PARALLEL_READ_FROM as usize + 12_345;
        let (path, bytes) = patterned_file("halves", len);
        let file = std::fs::File::open(&path).unwrap();
        assert_eq!(read_halves(&file, len as u64).as_deref(), Some(&bytes[..]));
        assert_eq!(read_regular(&path, len as u64).unwrap(), bytes);
        assert!(matches!(
            read_regular(&path, len as u64 - 1),
            Err(InputError::TooLarge { .. })
        ));
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    /// A file of [`MAP_FROM`] bytes and more is mapped, a smaller one read: the same bytes
    /// either way, and the same refusals as [`read_regular`].
    #[cfg(unix)]
    #[test]
    fn a_large_file_is_mapped_with_the_same_bytes() {
        let len = MAP_FROM as usize + 4_099;
        let (path, bytes) = patterned_file("mapped", len);
        let source = map_regular(&path, len as u64).unwrap();
        assert!(source.is_mapped());
        assert_eq!(&source[..], &bytes[..]);
        assert!(matches!(
            map_regular(&path, len as u64 - 1),
            Err(InputError::TooLarge { .. })
        ));
        std::fs::write(&path, &bytes[..MAP_FROM as usize - 1]).unwrap();
        let source = map_regular(&path, len as u64).unwrap();
        assert!(!source.is_mapped(), "a small file is read");
        assert_eq!(&source[..], &bytes[..MAP_FROM as usize - 1]);
        for (dev, kind) in [("/dev/zero", "character device"), ("/", "directory")] {
            let e = map_regular(Path::new(dev), 1 << 30).unwrap_err();
            assert!(
                matches!(e, InputError::NotRegular { kind: k } if k == kind),
                "{e}"
            );
        }
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    /// The table of mapped regions is freed as mappings go, and when it is full a file is
    /// read instead: never an error, never other bytes. In a child process: a full table here
    /// would make other tests read what they expect mapped.
    #[cfg(unix)]
    #[test]
    fn mapped_regions_are_reused_and_a_full_table_reads() {
        if std::env::var_os("NGXLINT_TEST_CHILD").is_none() {
            let (status, stderr) =
                in_child("io::tests::mapped_regions_are_reused_and_a_full_table_reads");
            assert!(status.success(), "{status:?}: {stderr}");
            assert!(stderr.contains("64 of 100 mapped"), "{stderr}");
            return;
        }
        let len = MAP_FROM as usize;
        let (path, bytes) = patterned_file("regions", len);
        for _ in 0..200 {
            let source = map_regular(&path, len as u64).unwrap();
            assert!(source.is_mapped(), "a freed place is taken again");
        }
        let held: Vec<Source> = (0..100)
            .map(|_| map_regular(&path, len as u64).unwrap())
            .collect();
        let mapped = held.iter().filter(|s| s.is_mapped()).count();
        eprintln!("{mapped} of 100 mapped");
        assert!(held.iter().all(|s| s[..] == bytes[..]));
        drop(held);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    /// Run a test's body in a child process (the test binary again, that test only) with
    /// `NGXLINT_TEST_CHILD` set and no core file; how the child ended and what it wrote to
    /// stderr. Its temporary directory (`patterned_file`, named by its process id) is removed.
    #[cfg(unix)]
    fn in_child(test: &str) -> (std::process::ExitStatus, String) {
        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([test, "--exact", "--nocapture", "--test-threads=1"])
            .env("NGXLINT_TEST_CHILD", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        let out = child.wait_with_output().unwrap();
        for entry in std::fs::read_dir(std::env::temp_dir()).unwrap().flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("ngxlint-io-") && name.ends_with(&format!("-{pid}")) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        (
            out.status,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// In a child process about to fault on purpose: no core file.
    #[cfg(unix)]
    #[allow(unsafe_code)]
    fn no_core_file() {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: a plain system call on a valid struct.
        assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_CORE, &none) }, 0);
    }

    /// In a child process about to fault on purpose: a file of twice [`MAP_FROM`] bytes,
    /// mapped.
    #[cfg(unix)]
    fn mapped_in_child(name: &str) -> (std::path::PathBuf, Source) {
        no_core_file();
        let len = MAP_FROM * 2;
        let (path, _) = patterned_file(name, len as usize);
        let source = map_regular(&path, len).unwrap();
        assert!(source.is_mapped());
        (path, source)
    }

    #[cfg(unix)]
    fn truncate(path: &Path) {
        let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        file.set_len(0).unwrap();
    }

    /// A mapped file truncated while it is read: the access past its new end is a `SIGBUS`,
    /// which ends the process with a message naming the file and exit code 2 (could not
    /// check), not a crash without a word.
    #[cfg(unix)]
    #[test]
    fn a_mapped_file_truncated_meanwhile_is_a_clear_error() {
        if std::env::var_os("NGXLINT_TEST_CHILD").is_some() {
            let (path, source) = mapped_in_child("truncated");
            truncate(&path);
            let sum: u64 = source.iter().map(|&b| u64::from(b)).sum();
            // Not reached: the read above faults.
            println!("read {sum} after the truncation");
            return;
        }
        let (status, stderr) =
            in_child("io::tests::a_mapped_file_truncated_meanwhile_is_a_clear_error");
        assert_eq!(status.code(), Some(2), "{status:?}: {stderr}");
        assert!(
            stderr.contains("big.conf was truncated while it was being checked; check it again"),
            "{stderr}"
        );
    }

    /// A `SIGBUS` outside the mapped inputs (here: a file mapped by other code, truncated) is
    /// not taken for one: it kills the process as it would have without the handler.
    #[cfg(unix)]
    #[test]
    #[allow(unsafe_code)]
    fn other_bus_errors_are_left_alone() {
        use std::os::unix::process::ExitStatusExt;
        if std::env::var_os("NGXLINT_TEST_CHILD").is_some() {
            // Ours installed first (a mapped input held meanwhile).
            let (path, ours) = mapped_in_child("foreign");
            let file = std::fs::File::open(&path).unwrap();
            // SAFETY: a test of exactly the hazard: the mapping faults once truncated.
            let foreign = unsafe { memmap2::Mmap::map(&file).unwrap() };
            truncate(&path);
            let last = foreign[ours.len() - 1];
            println!("read {last} after the truncation");
            return;
        }
        let (status, stderr) = in_child("io::tests::other_bus_errors_are_left_alone");
        assert_eq!(status.signal(), Some(libc::SIGBUS), "{status:?}: {stderr}");
        assert!(!stderr.contains("was truncated"), "{stderr}");
    }

    /// A file whose length is not the one expected (it grew or shrank after its size was read)
    /// is not taken from the halves: the ordinary read, with its cap, reads it.
    #[cfg(unix)]
    #[test]
    fn halves_of_a_file_that_changed_are_not_taken() {
        let len = PARALLEL_READ_FROM as usize;
        let (path, _) = patterned_file("changed", len);
        let file = std::fs::File::open(&path).unwrap();
        assert!(read_halves(&file, len as u64 - 1).is_none(), "grew");
        assert!(read_halves(&file, len as u64 + 1).is_none(), "shrank");
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}
