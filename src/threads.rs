//! How many threads this process may run at once, asked of the system once per process.
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

#[cfg(test)]
mod tests {
    #[test]
    fn agrees_with_the_standard_library() {
        let std = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(super::available(), std);
        assert_eq!(super::more_than_one(), std > 1);
    }
}
