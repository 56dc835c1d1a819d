//! How many threads this process may run at once, asked of the system once per process, and
//! where its helper threads run ([`spawn_beside`], [`keep_here`]).
//!
//! `std::thread::available_parallelism` reads the cgroup's CPU quota each call
//! (`/proc/self/cgroup` and two files under `/sys/fs/cgroup`: three opens, reads and closes), and
//! a run asked it four times, once per stage that decides whether to use a second thread.

use std::sync::OnceLock;

/// The number `std::thread::available_parallelism` gives (1 where it cannot tell).
pub fn available() -> usize {
    static AVAILABLE: OnceLock<usize> = OnceLock::new();
    *AVAILABLE.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Is there a second thread to run on?
pub fn more_than_one() -> bool {
    available() > 1
}

/// Spawn `f` on a thread of `scope` that runs on a CPU other than the caller's.
///
/// On a virtual machine a halted virtual CPU looks busy to the guest's scheduler (KVM reports
/// it preempted), so a thread started for a phase of a few milliseconds waits on the
/// spawning thread's CPU until that thread blocks, and the phase runs on one CPU of two
/// (issue #13: two threads of 1.5 ms each took 3.0 ms, measured on this project's 2-CPU
/// machine). Here the caller yields once after spawning, so that a thread queued behind it
/// starts at once and moves itself to another CPU the process may use (the caller's own is
/// left to the caller); a thread started elsewhere stays where the system put it.
pub fn spawn_beside<'scope, F, T>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    f: F,
) -> std::io::Result<std::thread::ScopedJoinHandle<'scope, T>>
where
    F: FnOnce() -> T + Send + 'scope,
    T: Send + 'scope,
{
    let caller = place::current();
    place::allowed();
    let handle = std::thread::Builder::new().spawn_scoped(scope, move || {
        if let Some(caller) = caller {
            place::move_off(caller);
        }
        f()
    })?;
    std::thread::yield_now();
    Ok(handle)
}

/// Keeps the calling thread on the CPU it runs on until dropped.
///
/// A thread that waits for a helper's output ([`spawn_beside`]) wakes where the helper woke
/// it when its own CPU has halted meanwhile (for the guest, a preempted one), and the two then
/// share one CPU again: a lexer thread handing batches to the parser, a report thread handing
/// rendered text to the writer. Kept on its CPU, the waiting thread wakes there.
#[must_use = "the thread is kept on its CPU only until this is dropped"]
pub struct KeptHere {
    #[cfg(target_os = "linux")]
    restore: Option<rustix::thread::CpuSet>,
}

/// Keep the calling thread on its CPU for the life of the value returned (nothing happens
/// where the process has one CPU to run on).
pub fn keep_here() -> KeptHere {
    #[cfg(target_os = "linux")]
    {
        use rustix::thread::{CpuSet, sched_getaffinity, sched_setaffinity};
        if !more_than_one() {
            return KeptHere { restore: None };
        }
        place::allowed();
        let (Ok(mask), Some(cpu)) = (sched_getaffinity(None), place::current()) else {
            return KeptHere { restore: None };
        };
        let mut here = CpuSet::new();
        here.set(cpu);
        let restore = (mask.count() > 1 && sched_setaffinity(None, &here).is_ok()).then_some(mask);
        KeptHere { restore }
    }
    #[cfg(not(target_os = "linux"))]
    KeptHere {}
}

impl Drop for KeptHere {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        if let Some(mask) = &self.restore {
            // Failing, the thread stays on its CPU: slower at worst, not wrong.
            let _ = rustix::thread::sched_setaffinity(None, mask);
        }
    }
}

#[cfg(target_os = "linux")]
mod place {
    use rustix::thread::{CpuSet, sched_getaffinity, sched_getcpu, sched_setaffinity};
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The CPU the calling thread runs on, if the system says (`getcpu` can be missing in a
    /// sandbox or an emulator, and glibc then answers -1).
    pub fn current() -> Option<usize> {
        cpu_index(sched_getcpu())
    }

    /// `raw` as a CPU a [`CpuSet`] can hold (setting one past its end panics).
    pub fn cpu_index(raw: usize) -> Option<usize> {
        (raw < CpuSet::MAX_CPU).then_some(raw)
    }

    /// The CPUs the process may run on, read once, before any thread is kept or moved (each
    /// of [`super::spawn_beside`] and [`super::keep_here`] asks first).
    pub fn allowed() -> Option<&'static CpuSet> {
        static ALLOWED: OnceLock<Option<CpuSet>> = OnceLock::new();
        ALLOWED
            .get_or_init(|| sched_getaffinity(None).ok())
            .as_ref()
    }

    /// Move the calling thread to another allowed CPU if it runs on `caller`'s.
    pub fn move_off(caller: usize) {
        if current() != Some(caller) {
            return;
        }
        static TURN: AtomicUsize = AtomicUsize::new(0);
        let Some(allowed) = allowed() else { return };
        let Some(cpu) = other_cpu(allowed, caller, TURN.fetch_add(1, Ordering::Relaxed)) else {
            return;
        };
        let mut there = CpuSet::new();
        there.set(cpu);
        // Failing, the thread stays where it is: slower at worst, not wrong.
        let _ = sched_setaffinity(None, &there);
    }

    /// The `turn`-th CPU of `allowed` other than `caller`, counted round (helpers started one
    /// after another spread over the other CPUs); `None` where there is no other.
    pub fn other_cpu(allowed: &CpuSet, caller: usize, turn: usize) -> Option<usize> {
        let others = || (0..CpuSet::MAX_CPU).filter(move |&c| c != caller && allowed.is_set(c));
        let count = others().count();
        (count > 0).then(|| others().nth(turn % count)).flatten()
    }
}

#[cfg(not(target_os = "linux"))]
mod place {
    pub fn current() -> Option<usize> {
        None
    }
    pub fn allowed() {}
    pub fn move_off(_caller: usize) {}
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_helper_runs_and_returns_its_value() {
        let data = [1, 2, 3];
        let sum = std::thread::scope(|s| {
            let helper = super::spawn_beside(s, || data.iter().sum::<i32>()).unwrap();
            helper.join().unwrap()
        });
        assert_eq!(sum, 6);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_kept_thread_runs_on_one_cpu_until_dropped() {
        use rustix::thread::sched_getaffinity;
        let before = sched_getaffinity(None).unwrap();
        {
            let _kept = super::keep_here();
            let during = sched_getaffinity(None).unwrap();
            if super::more_than_one()
                && before.count() > 1
                && let Some(cpu) = super::place::current()
            {
                assert_eq!(during.count(), 1);
                assert!(during.is_set(cpu));
            } else {
                assert_eq!(during, before);
            }
        }
        assert_eq!(sched_getaffinity(None).unwrap(), before);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_helper_of_a_kept_thread_moves_to_another_cpu() {
        use rustix::thread::sched_getaffinity;
        let allowed = sched_getaffinity(None).unwrap();
        let _kept = super::keep_here();
        let caller = super::place::current();
        let helper_mask = std::thread::scope(|s| {
            let helper = super::spawn_beside(s, || sched_getaffinity(None).unwrap());
            helper.unwrap().join().unwrap()
        });
        if super::more_than_one()
            && allowed.count() > 1
            && let Some(caller) = caller
        {
            // Born with the kept caller's one CPU, it moved to one other.
            assert_eq!(helper_mask.count(), 1);
            assert!(!helper_mask.is_set(caller));
        } else {
            assert_eq!(helper_mask, allowed);
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn helpers_go_round_the_other_cpus() {
        use rustix::thread::CpuSet;
        let mut allowed = CpuSet::new();
        for c in [0, 2, 5] {
            allowed.set(c);
        }
        let other = |caller, turn| super::place::other_cpu(&allowed, caller, turn);
        assert_eq!(other(0, 0), Some(2));
        assert_eq!(other(0, 1), Some(5));
        assert_eq!(other(0, 2), Some(2));
        assert_eq!(other(2, 0), Some(0));
        assert_eq!(other(2, 1), Some(5));
        // A caller outside the set: every allowed CPU is another.
        assert_eq!(other(1, 2), Some(5));
        let mut one = CpuSet::new();
        one.set(3);
        assert_eq!(super::place::other_cpu(&one, 3, 0), None);
        assert_eq!(super::place::other_cpu(&one, 0, 7), Some(3));
        // What glibc's `sched_getcpu` answers without `getcpu` (-1) is no CPU, not a panic
        // of the set.
        assert_eq!(super::place::cpu_index(-1i32 as usize), None);
        assert_eq!(super::place::cpu_index(CpuSet::MAX_CPU), None);
        assert_eq!(
            super::place::cpu_index(CpuSet::MAX_CPU - 1),
            Some(CpuSet::MAX_CPU - 1)
        );
    }

    #[test]
    fn agrees_with_the_standard_library() {
        let std = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(super::available(), std);
        assert_eq!(super::more_than_one(), std > 1);
    }
}
