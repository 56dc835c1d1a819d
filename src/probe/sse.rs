//! Incremental `text/event-stream` framing: an event ends at a blank line (`\n\n` or
//! `\r\n\r\n`). Only framing is parsed — enough to time events and spot `data: [DONE]`.

use super::verdict::Arrival;

/// Bytes of an unfinished event kept in memory (an OpenAI `[DONE]` event is tiny).
const KEEP_PENDING: usize = 64 * 1024;

#[derive(Debug, Default)]
pub struct SseSplitter {
    /// Bytes of the event being received (the last [`KEEP_PENDING`] of them).
    pending: Vec<u8>,
    /// Bytes of the event being received that were dropped from `pending` (an event that never
    /// ends cannot grow memory without bound).
    dropped: usize,
    pub events: Vec<Arrival>,
    /// An event consisting of `data: [DONE]` (the OpenAI stream terminator) was seen.
    pub saw_done: bool,
}

impl SseSplitter {
    /// Feed one body read that arrived at `t_ms`.
    pub fn push(&mut self, t_ms: f64, data: &[u8]) {
        for &b in data {
            self.pending.push(b);
            let p = &self.pending;
            let ended = p.ends_with(b"\n\n") || p.ends_with(b"\r\n\r\n");
            if ended {
                let event = std::mem::take(&mut self.pending);
                if is_done(&event) {
                    self.saw_done = true;
                }
                super::verdict::push_capped(
                    &mut self.events,
                    Arrival {
                        t_ms,
                        bytes: event.len() + std::mem::take(&mut self.dropped),
                    },
                );
            } else if self.pending.len() >= 2 * KEEP_PENDING {
                // Keep the tail (enough to see the blank line that ends the event).
                self.pending.drain(..KEEP_PENDING);
                self.dropped += KEEP_PENDING;
            }
        }
    }

    /// Non-blank bytes received after the last complete event.
    pub fn partial_bytes(&self) -> usize {
        if self.dropped == 0 && self.pending.iter().all(u8::is_ascii_whitespace) {
            0
        } else {
            self.pending.len() + self.dropped
        }
    }
}

fn is_done(event: &[u8]) -> bool {
    String::from_utf8_lossy(event).lines().any(|l| {
        l.strip_prefix("data:")
            .is_some_and(|v| v.trim() == "[DONE]")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_blank_lines_across_reads() {
        let mut s = SseSplitter::default();
        s.push(1.0, b"data: 1\n\ndata: ");
        s.push(2.0, b"2\r\n\r\n: ping\n\ndata: [DONE]\n");
        assert_eq!(s.events.len(), 3);
        assert_eq!(s.events[1].t_ms, 2.0);
        assert!(!s.saw_done);
        assert_eq!(s.partial_bytes(), 13);
        s.push(3.0, b"\n");
        assert!(s.saw_done);
        assert_eq!(s.partial_bytes(), 0);
    }

    #[test]
    fn an_endless_event_and_endless_events_stay_bounded() {
        let mut s = SseSplitter::default();
        let block = vec![b'x'; 100_000];
        for i in 0..50 {
            s.push(f64::from(i), &block);
        }
        assert!(s.pending.len() <= 2 * KEEP_PENDING);
        assert_eq!(s.partial_bytes(), 5_000_000);
        s.push(60.0, b"\n\n");
        assert_eq!(s.events.len(), 1);
        assert_eq!(s.events[0].bytes, 5_000_002);
        for i in 0..20_000 {
            s.push(f64::from(i), b"data: x\n\n");
        }
        assert_eq!(s.events.len(), crate::probe::verdict::MAX_ARRIVALS);
        let total: usize = s.events.iter().map(|e| e.bytes).sum();
        assert_eq!(total, 5_000_002 + 20_000 * 9, "bytes are folded, not lost");
    }
}
