//! Incremental `text/event-stream` framing: an event ends at a blank line (`\n\n` or
//! `\r\n\r\n`). Only framing is parsed — enough to time events and spot `data: [DONE]`.

use super::verdict::Arrival;

#[derive(Debug, Default)]
pub struct SseSplitter {
    /// Bytes of the event being received.
    pending: Vec<u8>,
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
                self.events.push(Arrival {
                    t_ms,
                    bytes: event.len(),
                });
            }
        }
    }

    /// Non-blank bytes received after the last complete event.
    pub fn partial_bytes(&self) -> usize {
        if self.pending.iter().all(u8::is_ascii_whitespace) {
            0
        } else {
            self.pending.len()
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
}
