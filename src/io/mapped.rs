//! A large input mapped read-only from the page cache instead of read into the heap (issue
//! #13).
//!
//! Reading a 1 MB file costs the kernel 256 page faults on a fresh buffer, zeroing it and
//! copying the page cache into it: 0.4 ms of a 10 ms `check`, where mapping the same pages
//! (every one made present by the one `mmap` call) costs under 0.1 ms.
//!
//! Mapping a file is `unsafe` for two reasons, and this module answers both:
//!
//! - A file truncated while it is mapped makes every access past its new end a `SIGBUS`,
//!   which would kill the process without a word. A handler installed with the first mapping
//!   tells the user which file it was and exits with 2 (could not check), as a read error
//!   does; a `SIGBUS` anywhere else goes on to the handler that was there before.
//! - Another process writing the file changes the bytes under the slice the lint pipeline
//!   holds. The pipeline never assumes that two reads of a byte agree (it was fuzzed on
//!   arbitrary bytes, and the reports do not trust earlier UTF-8 checks), so a file rewritten
//!   in place while it is checked gives findings about a mix of its two versions, as a `read`
//!   racing the writer would; nothing is written from a mapped file (`fix` reads its inputs).
//!
//! This module and the allocator in src/main.rs are the package's only `unsafe` code.
#![allow(unsafe_code)]

use std::sync::OnceLock;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

/// A file's bytes as the page cache holds them, mapped into the process; unmapped on drop.
pub struct Mapping {
    map: memmap2::Mmap,
    /// Its place in [`REGIONS`] while it is mapped.
    slot: usize,
    /// What the `SIGBUS` handler prints for this file; read by the handler while registered.
    _message: Box<[u8]>,
}

impl Mapping {
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        &self.map
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // Unregistered before `map` and `message` go: the handler never reads a freed message.
        REGIONS[self.slot].release();
    }
}

/// Map the first `len` bytes of `file` (its length when it was opened), every page made
/// present by the one call. `message` is printed, and the process exits with 2, if an access
/// faults because the file was truncated meanwhile. `None` where the system cannot map it or
/// every place in the table of mapped regions is taken: the caller reads the file instead.
pub fn map(file: &std::fs::File, len: u64, message: String) -> Option<Mapping> {
    let len = usize::try_from(len).ok().filter(|&l| l > 0)?;
    if !handler_installed() {
        return None;
    }
    let slot = REGIONS.iter().position(Region::claim)?;
    // SAFETY: the two hazards of a mapped file are answered in the module documentation: a
    // truncation's SIGBUS is caught for this region (registered below, before the mapping is
    // handed out), and no code relies on the bytes staying the same.
    let map = match unsafe {
        memmap2::MmapOptions::new()
            .len(len)
            .populate()
            .map_copy_read_only(file)
    } {
        Ok(map) => map,
        Err(_) => {
            REGIONS[slot].release();
            return None;
        }
    };
    let message: Box<[u8]> = message.into_bytes().into_boxed_slice();
    REGIONS[slot].publish(map.as_ptr() as usize, map.len(), &message);
    Some(Mapping {
        map,
        slot,
        _message: message,
    })
}

/// The regions mapped now, for the `SIGBUS` handler. A fixed table: the handler may not
/// allocate or lock, and more large files than this mapped at once are read instead.
static REGIONS: [Region; 64] = [const { Region::free() }; 64];

/// One mapped region: `[start, end)` and its message. `start` is 0 when the place is free and
/// [`Region::CLAIMED`] while it is being filled or emptied.
struct Region {
    start: AtomicUsize,
    end: AtomicUsize,
    message: AtomicPtr<u8>,
    message_len: AtomicUsize,
}

impl Region {
    const fn free() -> Region {
        Region {
            start: AtomicUsize::new(0),
            end: AtomicUsize::new(0),
            message: AtomicPtr::new(std::ptr::null_mut()),
            message_len: AtomicUsize::new(0),
        }
    }
    const CLAIMED: usize = 1;

    fn claim(&self) -> bool {
        self.start
            .compare_exchange(0, Region::CLAIMED, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
    }

    /// Fill a claimed place; `start` is stored last, so that a handler that sees it sees the
    /// rest.
    fn publish(&self, start: usize, len: usize, message: &[u8]) {
        self.end.store(start + len, Ordering::Relaxed);
        self.message
            .store(message.as_ptr().cast_mut(), Ordering::Relaxed);
        self.message_len.store(message.len(), Ordering::Relaxed);
        self.start.store(start, Ordering::Release);
    }

    fn release(&self) {
        self.start.store(Region::CLAIMED, Ordering::Release);
        self.end.store(0, Ordering::Relaxed);
        self.message.store(std::ptr::null_mut(), Ordering::Relaxed);
        self.message_len.store(0, Ordering::Relaxed);
        self.start.store(0, Ordering::Release);
    }

    /// The message of the region holding `addr`, if this is it.
    fn message_at(&self, addr: usize) -> Option<(*const u8, usize)> {
        let start = self.start.load(Ordering::Acquire);
        if start <= Region::CLAIMED || addr < start || addr >= self.end.load(Ordering::Relaxed) {
            return None;
        }
        Some((
            self.message.load(Ordering::Relaxed).cast_const(),
            self.message_len.load(Ordering::Relaxed),
        ))
    }
}

/// The action `SIGBUS` had before ours: Rust's own (it tells a stack overflow from other
/// faults), or the default.
static PREVIOUS: OnceLock<Option<libc::sigaction>> = OnceLock::new();

/// Install the `SIGBUS` handler once; false if the system refused it (then nothing is mapped).
fn handler_installed() -> bool {
    PREVIOUS
        .get_or_init(|| {
            // SAFETY: a zeroed `sigaction` is a valid empty one; `on_sigbus` only reads atomics
            // and calls async-signal-safe functions (`write`, `_exit`, `sigaction`, `signal`,
            // `raise`).
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
                action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut action.sa_mask);
                let mut previous: libc::sigaction = std::mem::zeroed();
                (libc::sigaction(libc::SIGBUS, &action, &mut previous) == 0).then_some(previous)
            }
        })
        .is_some()
}

extern "C" fn on_sigbus(_: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid `siginfo_t` to an `SA_SIGINFO` handler; for SIGBUS
    // `si_addr` is the faulting address.
    let (addr, sent) = unsafe { ((*info).si_addr() as usize, (*info).si_code <= 0) };
    if !sent && let Some((message, len)) = REGIONS.iter().find_map(|r| r.message_at(addr)) {
        // SAFETY: the message lives as long as its region is registered (`Mapping::drop`
        // unregisters first); `write` and `_exit` are async-signal-safe.
        unsafe {
            libc::write(2, message.cast(), len);
            libc::_exit(2);
        }
    }
    // Not a mapped input: put the previous action back, so that the signal goes where it would
    // have gone without us: a fault happens again when the access runs again on return, a
    // signal sent by a process (`kill`) is sent again. The default action if the fault came
    // while the handler was being installed.
    // SAFETY: `sigaction`, `signal` and `raise` are async-signal-safe; `previous` is the action
    // `sigaction` gave us.
    unsafe {
        match PREVIOUS.get() {
            Some(Some(previous)) => {
                libc::sigaction(libc::SIGBUS, previous, std::ptr::null_mut());
            }
            _ => {
                libc::signal(libc::SIGBUS, libc::SIG_DFL);
            }
        }
        if sent {
            libc::raise(libc::SIGBUS);
        }
    }
}
