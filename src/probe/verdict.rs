//! The verdict: a pure function of the measured arrivals, unit-tested on synthetic data.
//!
//! All times are milliseconds since the request was handed to the HTTP client (`t0`), except
//! where a field says otherwise.

use serde::Serialize;

/// A response shorter than this (from the response headers to the last body byte) is too short
/// to show data being spread out; an initial wait longer than this counts as "a long wait".
pub const SHORT_MS: f64 = 200.0;
/// The "end of the response" is its last 10 % (of the time from headers to last byte) ...
pub const LATE_WINDOW: f64 = 0.10;
/// ... and a body is buffered when at least 90 % of its bytes arrive in that window.
pub const LATE_SHARE: f64 = 0.90;

/// What the endpoint did, as one word a CI job can `--expect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Data arrived spread over the response's life.
    Streaming,
    /// The body (or its first event) arrived in one burst at the end.
    Buffered,
    /// `text/event-stream` compressed (gzip/br/...) yet still arriving incrementally.
    CompressedStream,
    /// The stream ended without its terminator (truncated chunked body, missing `[DONE]`,
    /// half an event, a timeout mid-body, or an idle WebSocket closed by the server).
    Cut,
    /// Connect or HTTP failure (no usable response, or status >= 400).
    Error,
    /// WebSocket: `101 Switching Protocols` with a correct `Sec-WebSocket-Accept`.
    Upgraded,
    /// WebSocket: the handshake did not complete (another status, or a bad accept key).
    UpgradeFailed,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Streaming => "streaming",
            Verdict::Buffered => "buffered",
            Verdict::CompressedStream => "compressed-stream",
            Verdict::Cut => "cut",
            Verdict::Error => "error",
            Verdict::Upgraded => "upgraded",
            Verdict::UpgradeFailed => "upgrade-failed",
        }
    }
}

/// One arrival: a body read (chunk) or a complete SSE event.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Arrival {
    pub t_ms: f64,
    pub bytes: usize,
}

/// How the body ended.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyEnd {
    /// Clean end: Content-Length reached, last chunk seen, or close-delimited EOF.
    Complete,
    /// The HTTP stack reported a body error (e.g. a chunked body without its last chunk).
    Broken(String),
    /// The probe's own `--timeout` expired while the body was still open.
    Deadline,
}

/// The WebSocket side of a measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct WsOutcome {
    /// 101, `Upgrade: websocket`, `Connection: upgrade` and the right accept key.
    pub upgraded: bool,
    /// Why the handshake failed, when it did.
    pub problem: Option<String>,
    /// `--idle`: how long the probe stayed silent, and when (ms after the upgrade) the server
    /// closed the connection, if it did.
    pub idle_ms: Option<f64>,
    pub closed_after_ms: Option<f64>,
}

/// Everything `classify` looks at. Plain data, so tests can build it by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// Set when there is no usable response (DNS, connect, TLS, protocol error).
    pub failure: Option<String>,
    pub status: Option<u16>,
    pub t_headers_ms: Option<f64>,
    /// Body reads as they returned from the socket.
    pub chunks: Vec<Arrival>,
    /// Complete SSE events (only for an uncompressed `text/event-stream`).
    pub events: Vec<Arrival>,
    /// `Content-Type` is `text/event-stream`.
    pub sse: bool,
    /// `Content-Encoding` other than `identity`, if any.
    pub content_encoding: Option<String>,
    pub body_end: BodyEnd,
    /// When the body ended (clean end, error or deadline).
    pub t_end_ms: Option<f64>,
    /// `--openai-chat` was used, and whether `data: [DONE]` was seen.
    pub openai: bool,
    pub saw_done: bool,
    /// Non-blank bytes after the last complete SSE event (an event cut in half).
    pub partial_event_bytes: usize,
    /// The probe's `--timeout`, for the evidence sentence.
    pub timeout_ms: f64,
    pub websocket: Option<WsOutcome>,
    /// Chunk arrivals beyond [`MAX_ARRIVALS`], folded into the last entry of `chunks`.
    pub chunks_folded: usize,
    /// WebSocket data frames whose payload was skipped unread (only control frames are read).
    pub ws_frames_discarded: usize,
}

/// Arrivals kept one by one; beyond this, each new arrival is folded into the last entry (its
/// time moves, its bytes add up), so a server that trickles bytes for minutes cannot grow the
/// report without bound. First and last times and total bytes stay exact.
pub const MAX_ARRIVALS: usize = 5_000;

/// Append `a` to `list`, folding it into the last entry once the list holds [`MAX_ARRIVALS`].
/// Returns whether it was folded.
pub fn push_capped(list: &mut Vec<Arrival>, a: Arrival) -> bool {
    if list.len() < MAX_ARRIVALS {
        list.push(a);
        return false;
    }
    if let Some(last) = list.last_mut() {
        last.t_ms = a.t_ms;
        last.bytes += a.bytes;
    }
    true
}

impl Measurement {
    /// Record a body read (capped, see [`MAX_ARRIVALS`]).
    pub fn push_chunk(&mut self, a: Arrival) {
        if push_capped(&mut self.chunks, a) {
            self.chunks_folded += 1;
        }
    }
}

impl Default for Measurement {
    fn default() -> Self {
        Measurement {
            failure: None,
            status: None,
            t_headers_ms: None,
            chunks: Vec::new(),
            events: Vec::new(),
            sse: false,
            content_encoding: None,
            body_end: BodyEnd::Complete,
            t_end_ms: None,
            openai: false,
            saw_done: false,
            partial_event_bytes: 0,
            timeout_ms: 60_000.0,
            websocket: None,
            chunks_folded: 0,
            ws_frames_discarded: 0,
        }
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn ms(v: f64) -> String {
    if v >= 10.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

/// The verdict and the one-sentence evidence for it.
///
/// Rules, in order (first match wins):
/// 1. `failure` set → `error`; `--websocket` → `upgraded` / `upgrade-failed`, or `cut` when the
///    server closed the connection during `--idle`.
/// 2. status >= 400 → `error`.
/// 3. `cut` when the body ended with a transport error, when the probe's `--timeout` expired
///    mid-body, when `--openai-chat` streamed SSE without `data: [DONE]`, or when an
///    uncompressed SSE body ended in the middle of an event.
/// 4. With `R` = last byte − response headers:
///    * `R <= 200 ms` (the body came in one burst right with or after the headers): `buffered`
///      (a burst after a wait of > 200 ms since the request, or a response too short to tell);
///    * `R > 200 ms` and >= 90 % of the body bytes arrived in the last 10 % of `R` → `buffered`;
///    * SSE whose first complete event arrived in that last 10 % → `buffered`;
///    * otherwise `streaming` — the data was spread out — or `compressed-stream` when that
///      spread-out stream is a compressed `text/event-stream`.
pub fn classify(m: &Measurement) -> (Verdict, String) {
    if let Some(f) = &m.failure {
        return (Verdict::Error, f.clone());
    }
    if let Some(ws) = &m.websocket {
        return classify_ws(m.status, ws);
    }
    let status = m.status.unwrap_or(0);
    if status >= 400 {
        return (
            Verdict::Error,
            format!("the server answered HTTP {status}, not a successful response"),
        );
    }
    let bytes: usize = m.chunks.iter().map(|c| c.bytes).sum();
    let t_h = m.t_headers_ms.unwrap_or(0.0);
    let last = m.chunks.last().map_or(t_h, |c| c.t_ms);
    let compressed = m.content_encoding.is_some();
    let n_events = m.events.len();

    match &m.body_end {
        BodyEnd::Broken(e) => {
            return (
                Verdict::Cut,
                format!(
                    "the body broke off without its terminator at {} (last data at {}, {bytes} bytes, {}): {e}",
                    ms(m.t_end_ms.unwrap_or(last)),
                    ms(last),
                    plural(n_events, "event")
                ),
            );
        }
        BodyEnd::Deadline => {
            return (
                Verdict::Cut,
                format!(
                    "the body was still incomplete when the probe's --timeout of {} expired (last data at {})",
                    ms(m.timeout_ms),
                    ms(last)
                ),
            );
        }
        BodyEnd::Complete => {}
    }
    if m.openai && m.sse && !compressed && !m.saw_done {
        return (
            Verdict::Cut,
            format!(
                "the OpenAI-style stream ended after {} at {} without `data: [DONE]`",
                plural(n_events, "event"),
                ms(last)
            ),
        );
    }
    if m.sse && !compressed && m.partial_event_bytes > 0 {
        return (
            Verdict::Cut,
            format!(
                "the event stream ended in the middle of an event ({} bytes after the last blank line) at {}",
                m.partial_event_bytes,
                ms(last)
            ),
        );
    }
    if bytes == 0 {
        return (
            Verdict::Buffered,
            "the response had an empty body, nothing arrived to stream".to_owned(),
        );
    }

    let first = m.chunks.first().map_or(t_h, |c| c.t_ms);
    let window = last - t_h;
    if too_short(m) {
        return (
            Verdict::Buffered,
            format!(
                "the whole response arrived within {} of the request, too fast to show streaming",
                ms(last)
            ),
        );
    }
    if window <= SHORT_MS {
        return (
            Verdict::Buffered,
            format!(
                "the whole body ({bytes} bytes) arrived in one burst {} after the request, {} after the headers",
                ms(first),
                ms(first - t_h)
            ),
        );
    }
    let late_from = t_h + (1.0 - LATE_WINDOW) * window;
    let late: usize = m
        .chunks
        .iter()
        .filter(|c| c.t_ms >= late_from)
        .map(|c| c.bytes)
        .sum();
    let share = late as f64 / bytes as f64;
    if share >= LATE_SHARE {
        return (
            Verdict::Buffered,
            format!(
                "{:.0}% of the body arrived in the last 10% of the response (after {}; headers at {})",
                share * 100.0,
                ms(late_from),
                ms(t_h)
            ),
        );
    }
    if m.sse
        && let Some(e) = m.events.first()
        && e.t_ms >= late_from
    {
        return (
            Verdict::Buffered,
            format!(
                "the first event arrived only at {}, at the end of a {} response",
                ms(e.t_ms),
                ms(last)
            ),
        );
    }
    let (what, n, a, b) = match (m.events.first(), m.events.last()) {
        (Some(f), Some(l)) if n_events >= 2 => ("events", n_events, f.t_ms, l.t_ms),
        _ => ("chunks", m.chunks.len(), first, last),
    };
    if m.sse && compressed {
        let enc = m.content_encoding.as_deref().unwrap_or("");
        return (
            Verdict::CompressedStream,
            format!(
                "the {enc}-compressed event stream still arrived incrementally: {} chunks spread from {} to {}",
                m.chunks.len(),
                ms(first),
                ms(last)
            ),
        );
    }
    (
        Verdict::Streaming,
        format!(
            "{n} {what} arrived spread over the response, the first at {} and the last at {}",
            ms(a),
            ms(b)
        ),
    )
}

fn classify_ws(status: Option<u16>, ws: &WsOutcome) -> (Verdict, String) {
    if !ws.upgraded {
        let why = ws.problem.clone().unwrap_or_else(|| match status {
            Some(s) => format!("the server answered {s} instead of 101"),
            None => "no handshake response".to_owned(),
        });
        return (
            Verdict::UpgradeFailed,
            format!("the WebSocket handshake failed: {why}"),
        );
    }
    match (ws.idle_ms, ws.closed_after_ms) {
        (Some(_), Some(closed)) => (
            Verdict::Cut,
            format!(
                "the server closed the idle WebSocket {} after the upgrade",
                ms(closed)
            ),
        ),
        (Some(idle), None) => (
            Verdict::Upgraded,
            format!(
                "101 with a valid Sec-WebSocket-Accept; the connection stayed open through {} of silence",
                ms(idle)
            ),
        ),
        _ => (
            Verdict::Upgraded,
            "101 Switching Protocols with a valid Sec-WebSocket-Accept".to_owned(),
        ),
    }
}

/// The whole response (headers to last byte) came within `SHORT_MS` of the request: nothing
/// to tell streaming from buffering by. Classified `buffered`, without a rule hint.
fn too_short(m: &Measurement) -> bool {
    let t_h = m.t_headers_ms.unwrap_or(0.0);
    let last = m.chunks.last().map_or(t_h, |c| c.t_ms);
    last - t_h <= SHORT_MS && m.chunks.first().map_or(t_h, |c| c.t_ms) <= SHORT_MS
}

/// The ngxlint rule that usually causes this verdict, if any.
pub fn hint_rule(verdict: Verdict, m: &Measurement) -> Option<&'static str> {
    match verdict {
        Verdict::Buffered if too_short(m) => None,
        Verdict::Buffered if m.sse && m.content_encoding.is_some() => Some("gzip-event-stream"),
        Verdict::Buffered if m.chunks.iter().map(|c| c.bytes).sum::<usize>() > 0 => {
            Some("buffering-on-streaming")
        }
        Verdict::Cut if m.body_end == BodyEnd::Deadline => None,
        Verdict::Cut => Some("read-timeout-short"),
        Verdict::UpgradeFailed => Some("websocket-upgrade-missing"),
        _ => None,
    }
}

/// min / median / max of the gaps between successive arrivals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Gaps {
    pub min: f64,
    pub median: f64,
    pub max: f64,
}

pub fn gaps(arrivals: &[Arrival]) -> Option<Gaps> {
    let mut g: Vec<f64> = arrivals.windows(2).map(|w| w[1].t_ms - w[0].t_ms).collect();
    if g.is_empty() {
        return None;
    }
    g.sort_by(f64::total_cmp);
    let n = g.len();
    let median = if n % 2 == 1 {
        g[n / 2]
    } else {
        (g[n / 2 - 1] + g[n / 2]) / 2.0
    };
    Some(Gaps {
        min: g[0],
        median,
        max: g[n - 1],
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn chunk_arrivals_are_capped_and_folded_losslessly() {
        let mut m = Measurement::default();
        for i in 0..20_000u32 {
            m.push_chunk(Arrival {
                t_ms: f64::from(i),
                bytes: 3,
            });
        }
        assert_eq!(m.chunks.len(), MAX_ARRIVALS);
        assert_eq!(m.chunks_folded, 20_000 - MAX_ARRIVALS);
        assert_eq!(m.chunks.iter().map(|c| c.bytes).sum::<usize>(), 60_000);
        assert_eq!(m.chunks.first().map(|c| c.t_ms), Some(0.0));
        assert_eq!(m.chunks.last().map(|c| c.t_ms), Some(19_999.0));
    }
    use super::*;

    fn arr(ts: &[(f64, usize)]) -> Vec<Arrival> {
        ts.iter()
            .map(|&(t_ms, bytes)| Arrival { t_ms, bytes })
            .collect()
    }

    fn sse(chunks: &[(f64, usize)]) -> Measurement {
        Measurement {
            status: Some(200),
            t_headers_ms: Some(2.0),
            chunks: arr(chunks),
            events: arr(chunks),
            sse: true,
            ..Measurement::default()
        }
    }

    #[test]
    fn spread_events_are_streaming() {
        let ts: Vec<(f64, usize)> = (0..11).map(|i| (3.0 + 100.0 * f64::from(i), 20)).collect();
        let (v, why) = classify(&sse(&ts));
        assert_eq!(v, Verdict::Streaming, "{why}");
        assert!(why.contains("11 events"), "{why}");
    }

    #[test]
    fn everything_at_the_end_is_buffered() {
        let (v, why) = classify(&sse(&[(1001.0, 200), (1002.0, 20)]));
        assert_eq!(v, Verdict::Buffered, "{why}");
        assert!(why.contains("100%"), "{why}");
        assert_eq!(
            hint_rule(v, &sse(&[(1001.0, 200)])),
            Some("buffering-on-streaming")
        );
    }

    #[test]
    fn tiny_preamble_then_burst_is_buffered() {
        // A 2-byte comment right away, then 2000 bytes at the end: 99.9 % late.
        let (v, _) = classify(&sse(&[(3.0, 2), (1500.0, 2000)]));
        assert_eq!(v, Verdict::Buffered);
    }

    #[test]
    fn whole_body_after_long_wait_is_buffered() {
        // Headers and body together after 1 s (Content-Length, no streaming).
        let m = Measurement {
            status: Some(200),
            t_headers_ms: Some(1000.0),
            chunks: arr(&[(1000.5, 300)]),
            ..Measurement::default()
        };
        let (v, why) = classify(&m);
        assert_eq!(v, Verdict::Buffered, "{why}");
        assert!(why.contains("one burst"), "{why}");
    }

    #[test]
    fn too_fast_to_tell_has_no_hint() {
        let m = sse(&[(4.0, 30), (5.0, 30)]);
        let (v, why) = classify(&m);
        assert_eq!(v, Verdict::Buffered);
        assert!(why.contains("too fast"), "{why}");
        assert_eq!(hint_rule(v, &m), None);
    }

    #[test]
    fn first_event_only_at_the_end_is_buffered() {
        // Keep-alive comments (not complete events here) early, the events late.
        let mut m = sse(&[(5.0, 400), (400.0, 400), (995.0, 300), (1000.0, 10)]);
        m.events = arr(&[(995.0, 300)]);
        let (v, why) = classify(&m);
        assert_eq!(v, Verdict::Buffered, "{why}");
        assert!(why.contains("first event"), "{why}");
    }

    #[test]
    fn missing_done_is_cut_for_openai() {
        let ts: Vec<(f64, usize)> = (0..5).map(|i| (3.0 + 100.0 * f64::from(i), 20)).collect();
        let mut m = sse(&ts);
        m.openai = true;
        assert_eq!(classify(&m).0, Verdict::Cut);
        assert_eq!(hint_rule(Verdict::Cut, &m), Some("read-timeout-short"));
        m.saw_done = true;
        assert_eq!(classify(&m).0, Verdict::Streaming);
    }

    #[test]
    fn broken_body_and_half_event_are_cut() {
        let mut m = sse(&[(3.0, 20), (100.0, 20)]);
        m.body_end = BodyEnd::Broken("incomplete chunked body".into());
        assert_eq!(classify(&m).0, Verdict::Cut);
        let mut m = sse(&[(3.0, 20), (500.0, 20)]);
        m.partial_event_bytes = 7;
        assert_eq!(classify(&m).0, Verdict::Cut);
        let mut m = sse(&[(3.0, 20)]);
        m.body_end = BodyEnd::Deadline;
        assert_eq!(classify(&m).0, Verdict::Cut);
        assert_eq!(hint_rule(Verdict::Cut, &m), None);
    }

    #[test]
    fn compressed_event_stream() {
        let ts: Vec<(f64, usize)> = (0..10).map(|i| (3.0 + 100.0 * f64::from(i), 30)).collect();
        let mut m = sse(&ts);
        m.events.clear();
        m.content_encoding = Some("gzip".into());
        assert_eq!(classify(&m).0, Verdict::CompressedStream);
        let mut m = sse(&[(1000.0, 300)]);
        m.events.clear();
        m.content_encoding = Some("gzip".into());
        let (v, _) = classify(&m);
        assert_eq!(v, Verdict::Buffered);
        assert_eq!(hint_rule(v, &m), Some("gzip-event-stream"));
    }

    #[test]
    fn failures_and_http_errors() {
        let m = Measurement {
            failure: Some("connection refused".into()),
            ..Measurement::default()
        };
        assert_eq!(classify(&m).0, Verdict::Error);
        let m = Measurement {
            status: Some(502),
            ..Measurement::default()
        };
        assert_eq!(classify(&m).0, Verdict::Error);
    }

    #[test]
    fn websocket_outcomes() {
        let mut ws = WsOutcome {
            upgraded: false,
            problem: None,
            idle_ms: None,
            closed_after_ms: None,
        };
        let mut m = Measurement {
            status: Some(426),
            websocket: Some(ws.clone()),
            ..Measurement::default()
        };
        let (v, why) = classify(&m);
        assert_eq!(v, Verdict::UpgradeFailed);
        assert!(why.contains("426"), "{why}");
        assert_eq!(hint_rule(v, &m), Some("websocket-upgrade-missing"));
        ws.upgraded = true;
        ws.idle_ms = Some(3000.0);
        m.status = Some(101);
        m.websocket = Some(ws.clone());
        assert_eq!(classify(&m).0, Verdict::Upgraded);
        ws.closed_after_ms = Some(1000.0);
        m.websocket = Some(ws);
        assert_eq!(classify(&m).0, Verdict::Cut);
    }

    #[test]
    fn gap_statistics() {
        let g = gaps(&arr(&[(0.0, 1), (100.0, 1), (150.0, 1), (400.0, 1)])).unwrap();
        assert_eq!((g.min, g.median, g.max), (50.0, 100.0, 250.0));
        assert!(gaps(&arr(&[(0.0, 1)])).is_none());
    }
}
