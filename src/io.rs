//! Bounded reading of inputs: only regular files are opened, and every read stops at a size cap
//! checked while reading (not after), so a FIFO, `/dev/zero`, a socket or an endless stdin
//! gives a clear error instead of a hang or unbounded memory (issue #13).

use std::fs::FileType;
use std::io::Read;
use std::path::Path;

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

/// Read a whole regular file, at most `cap` bytes. The type is checked before opening (a FIFO
/// would block `open` until a writer comes) and again on the opened handle (the path may have
/// been replaced in between).
pub fn read_regular(path: &Path, cap: u64) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path)?;
    check_regular(meta.file_type())?;
    if meta.len() > cap {
        return Err(InputError::TooLarge { cap });
    }
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    check_regular(meta.file_type())?;
    read_capped_sized(file, cap, meta.len())
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
}
