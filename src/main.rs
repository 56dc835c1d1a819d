use std::process::ExitCode;

#[global_allocator]
static GLOBAL: alloc::MiMalloc = alloc::MiMalloc;

fn main() -> ExitCode {
    alloc::purge_soon();
    alloc::no_collection_at_exit();
    ngxlint::cli::main()
}

/// mimalloc as the global allocator, calling its plain `mi_malloc`/`mi_realloc` when the
/// layout's alignment is at most a pointer's (nearly every Rust allocation: strings, vectors of
/// words, boxes). The `mimalloc` crate passes every request to `mi_malloc_aligned`, whose
/// checks cost about 40 more instructions per allocation (issue #13). Every mimalloc block is
/// aligned to at least a pointer's size (its size classes are whole words); larger alignments
/// still take the aligned entry points, which honour any alignment. This module and the
/// library's input mapping (src/io/mapped.rs) are the package's only `unsafe` code.
#[allow(unsafe_code)]
mod alloc {
    use core::ffi::{c_int, c_long, c_void};
    use libmimalloc_sys::{
        mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc,
        mi_zalloc_aligned,
    };
    use std::alloc::{GlobalAlloc, Layout};

    unsafe extern "C" {
        // In the linked mimalloc; the binding declares them only with its `extended` feature
        // (which adds a dependency) and has no constant for this option.
        fn mi_option_set(option: c_int, value: c_long);
        #[cfg(test)]
        fn mi_option_get(option: c_int) -> c_long;
    }

    /// `mi_option_purge_delay`: its place in `mi_option_e` of the mimalloc 3 header that
    /// libmimalloc-sys 0.1.49 builds (Cargo.toml pins that version).
    pub const PURGE_DELAY: c_int = 15;

    /// Return freed pages to the system 5 ms after they are freed instead of a second later
    /// (mimalloc's default). A run frees the tree's and the rules' scratch memory while it still
    /// allocates findings, and a second's delay kept both resident: peak RSS at 1 / 10 / 50 MB
    /// 24 / 131 / 575 MB with it, 18 / 114 / 541 MB purging at once (issue #13).
    /// Purging at once, though, is a `madvise` per freed run of pages, and each one, with the
    /// second thread running on the other core, flushes that core's TLB by an inter-processor
    /// interrupt: on the 1 MB configuration the kernel's share of the run's CPU was 31 %, the
    /// flushes 5 % of it (`perf record -e cpu-clock`). Purges gathered over 2 ms take
    /// 1 MB 19.1 -> 17.1 ms (median wall), 10 MB 158 -> 152 ms, for 1 MB more peak RSS at
    /// 1 and 10 MB and none at 50 MB. Delays of 5 ms and more then took the 50 MB peak over
    /// #13's goal; once a part's findings were always packed (-20 MB there), 10 ms fits:
    /// 1 MB 12.2 -> 11.9 ms, 10 MB 101.5 -> 99.5 ms, 50 MB 553.6 -> 545.0 ms (medians), peak
    /// RSS at 50 MB 196,424 -> 201,900 KiB (25 ms: 210,460). Once helper threads ran on the
    /// other CPU (src/threads.rs), the phases after the rules went faster than the delay, and
    /// the 10 MB peak spread from 46-51 to 47-58 MB (16 runs, #13's goal 57.2 MiB); with 5 ms
    /// 47-54 MB, and 1, 10 and 50 MB within the noise (10.4 / 10.4, 88.5 / 88.7, 476.5 /
    /// 479.4 ms, medians of alternating runs). `MIMALLOC_PURGE_DELAY` in the environment still
    /// wins.
    pub fn purge_soon() {
        set_unless_in_environment("MIMALLOC_PURGE_DELAY", PURGE_DELAY, PURGE_DELAY_MS);
    }

    /// Set mimalloc's `option` to `value` unless the environment sets it (`variable`).
    fn set_unless_in_environment(variable: &str, option: c_int, value: c_long) {
        if std::env::var_os(variable).is_none() {
            // SAFETY: sets an integer option; mimalloc reads options atomically.
            unsafe { mi_option_set(option, value) }
        }
    }

    /// An option's value (tests).
    #[cfg(test)]
    pub fn option(option: c_int) -> c_long {
        // SAFETY: reads an integer option.
        unsafe { mi_option_get(option) }
    }

    /// The purge delay `purge_soon` sets, in milliseconds.
    pub const PURGE_DELAY_MS: c_long = 5;

    /// `mi_option_destroy_on_exit`, in the same enumeration.
    pub const DESTROY_ON_EXIT: c_int = 22;

    /// Leave the memory to the system at exit. Built as a static library, mimalloc collects
    /// every heap at exit and returns each freed run of pages with a `madvise` (70 calls after
    /// the report of the 1 MB configuration is written), memory the system reclaims anyway a
    /// moment later. A value above 1 makes its exit hook return at once (`_mi_auto_process_done`,
    /// src/init.c): 1 MB 12.09 -> 11.88 ms (means of 120 alternating runs). An explicit
    /// `MIMALLOC_DESTROY_ON_EXIT` still wins.
    pub fn no_collection_at_exit() {
        set_unless_in_environment("MIMALLOC_DESTROY_ON_EXIT", DESTROY_ON_EXIT, 2);
    }

    /// The alignment of every block `mi_malloc` returns.
    const WORD: usize = core::mem::size_of::<usize>();

    pub struct MiMalloc;

    // SAFETY: each method forwards to the mimalloc function for the same operation; plain
    // `mi_malloc`/`mi_realloc` only where the requested alignment is at most a word, which
    // every mimalloc block satisfies; memory is always returned by `mi_free`, which accepts
    // blocks from the plain and the aligned entry points alike.
    unsafe impl GlobalAlloc for MiMalloc {
        #[inline]
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if layout.align() <= WORD {
                unsafe { mi_malloc(layout.size()) as *mut u8 }
            } else {
                unsafe { mi_malloc_aligned(layout.size(), layout.align()) as *mut u8 }
            }
        }

        #[inline]
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            if layout.align() <= WORD {
                unsafe { mi_zalloc(layout.size()) as *mut u8 }
            } else {
                unsafe { mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8 }
            }
        }

        #[inline]
        unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
            unsafe { mi_free(ptr as *mut c_void) }
        }

        #[inline]
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if layout.align() <= WORD {
                unsafe { mi_realloc(ptr as *mut c_void, new_size) as *mut u8 }
            } else {
                unsafe {
                    mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(unsafe_code)]
mod tests {
    use super::alloc::{
        DESTROY_ON_EXIT, MiMalloc, PURGE_DELAY, PURGE_DELAY_MS, no_collection_at_exit, option,
        purge_soon,
    };
    use std::alloc::{GlobalAlloc, Layout};

    /// Each option the binary sets has mimalloc's default first, then the value set (unless
    /// the environment sets it). The option numbers are pinned by their defaults: the purge
    /// delay is the only option of this mimalloc whose default is 1,000 (src/options.c), and
    /// `destroy_on_exit` is 0 before and 2 after.
    #[test]
    fn the_allocator_options_are_set() {
        let options: [(&str, _, _, fn(), _); 2] = [
            (
                "MIMALLOC_PURGE_DELAY",
                PURGE_DELAY,
                1000,
                purge_soon,
                PURGE_DELAY_MS,
            ),
            (
                "MIMALLOC_DESTROY_ON_EXIT",
                DESTROY_ON_EXIT,
                0,
                no_collection_at_exit,
                2,
            ),
        ];
        for (variable, number, default, set, value) in options {
            if std::env::var_os(variable).is_some() {
                continue;
            }
            assert_eq!(option(number), default, "{variable}");
            set();
            assert_eq!(option(number), value, "{variable}");
        }
    }

    /// Every size class up to 1 KiB and some large sizes, at every alignment from 1 to 4 KiB:
    /// the block is aligned, usable, and survives growing and shrinking with its contents.
    #[test]
    fn blocks_honour_size_and_alignment_through_realloc() {
        let sizes = (1..=1024).chain([4095, 4096, 65_537, 1 << 20]);
        for size in sizes {
            for align in (0..=12).map(|s| 1usize << s) {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; each block is freed once with the layout it has.
                unsafe {
                    for zeroed in [false, true] {
                        let p = if zeroed {
                            MiMalloc.alloc_zeroed(layout)
                        } else {
                            MiMalloc.alloc(layout)
                        };
                        assert!(
                            !p.is_null() && (p as usize).is_multiple_of(align),
                            "{size} {align}"
                        );
                        if zeroed {
                            assert!((0..size).all(|i| *p.add(i) == 0), "{size} {align}");
                        }
                        p.write_bytes(0xA5, size);
                        // Grow, then shrink below the original size.
                        let mut cur = (p, layout);
                        for new_size in [size * 2 + 8, size.div_ceil(2)] {
                            let q = MiMalloc.realloc(cur.0, cur.1, new_size);
                            assert!(
                                !q.is_null() && (q as usize).is_multiple_of(align),
                                "{size} {align}"
                            );
                            let kept = size.min(new_size);
                            assert!((0..kept).all(|i| *q.add(i) == 0xA5), "{size} {align}");
                            cur = (q, Layout::from_size_align(new_size, align).unwrap());
                        }
                        MiMalloc.dealloc(cur.0, cur.1);
                    }
                }
            }
        }
    }
}
