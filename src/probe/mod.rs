//! `ngxlint probe`: measure a live endpoint the way a browser experiences it and give a
//! verdict (`streaming`, `buffered`, `compressed-stream`, `cut`, `error`, and for
//! `--websocket` `upgraded` / `upgrade-failed`). Never used by the lint pipeline.
//!
//! Flow: [`run`] → [`http::probe`] or [`websocket::probe`] fill a [`Raw`] (a [`Measurement`]
//! plus display facts) → [`classify`] (pure) → [`Report`] → [`render`] as text or JSON.

pub mod http;
mod net;
pub mod render;
pub mod sse;
pub mod util;
pub mod verdict;
pub mod websocket;

use serde::Serialize;

pub use util::parse_duration;
pub use verdict::{Arrival, BodyEnd, Gaps, Measurement, Verdict, WsOutcome, classify};

use crate::cli::probe::ProbeArgs;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Exit codes of `ngxlint probe`.
pub mod exit {
    /// Measured (and the verdict matched `--expect`, if given).
    pub const OK: u8 = 0;
    /// The verdict did not match `--expect`.
    pub const UNEXPECTED: u8 = 1;
    /// Network / HTTP error (verdict `error`), unless `--expect error`.
    pub const ERROR: u8 = 2;
}

/// Milliseconds from the start of the request (`connect`, `tls`, `dns` are durations of the
/// pre-flight or WebSocket connection set-up). `None` = not measured.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timings {
    pub dns: Option<f64>,
    pub connect: Option<f64>,
    pub tls: Option<f64>,
    pub headers: Option<f64>,
    pub first_byte: Option<f64>,
    pub first_event: Option<f64>,
    pub last_byte: Option<f64>,
    pub total: Option<f64>,
}

/// What a probe collected before classification.
#[derive(Debug, Default)]
pub struct Raw {
    pub m: Measurement,
    pub method: String,
    pub http_version: Option<String>,
    /// Response headers that matter, in a fixed order (secret values masked).
    pub headers: Vec<(String, String)>,
    /// `--header` as given (unmasked: only sent, never printed).
    pub request_headers_raw: Vec<(String, String)>,
    /// Request headers as sent, masked for printing.
    pub request_headers: Vec<(String, String)>,
    pub timings: Timings,
    pub notes: Vec<String>,
}

/// The result of one probe, as printed by `--format json`.
#[derive(Debug, Serialize)]
pub struct Report {
    pub verdict: Verdict,
    pub evidence: String,
    pub hint_rule: Option<&'static str>,
    pub url: String,
    pub method: String,
    pub status: Option<u16>,
    pub http_version: Option<String>,
    pub timings_ms: Timings,
    pub bytes: usize,
    pub chunks: usize,
    pub chunk_arrivals: Vec<Arrival>,
    pub events: Vec<Arrival>,
    pub gaps_ms: Option<Gaps>,
    /// What `gaps_ms` is computed over: `events` (>= 2 SSE events) or `chunks`.
    pub gaps_of: &'static str,
    #[serde(serialize_with = "ordered_map")]
    pub headers: Vec<(String, String)>,
    #[serde(serialize_with = "ordered_map")]
    pub request_headers: Vec<(String, String)>,
    pub notes: Vec<String>,
}

fn ordered_map<S: serde::Serializer>(v: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, val) in v {
        m.serialize_entry(k, val)?;
    }
    m.end()
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Turn what was collected into a report (classification included).
pub fn report(url: &str, raw: Raw) -> Report {
    let masked = util::mask_url(url);
    let clean = |s: String| {
        if url.is_empty() {
            s
        } else {
            s.replace(url, &masked)
        }
    };
    let (verdict, evidence) = classify(&raw.m);
    let mut raw = raw;
    if raw.m.chunks_folded > 0 {
        raw.notes.push(format!(
            "{} body reads after the first {} were folded into the last entry of chunk_arrivals",
            raw.m.chunks_folded,
            verdict::MAX_ARRIVALS - 1
        ));
    }
    if raw.m.ws_frames_discarded > 0 {
        raw.notes.push(format!(
            "{} WebSocket data frame(s) arrived while idle (payloads skipped unread)",
            raw.m.ws_frames_discarded
        ));
    }
    let hint_rule = verdict::hint_rule(verdict, &raw.m);
    let m = raw.m;
    let mut t = raw.timings;
    t.first_byte = m.chunks.first().map(|c| c.t_ms);
    t.first_event = m.events.first().map(|e| e.t_ms);
    t.last_byte = m.chunks.last().map(|c| c.t_ms);
    for f in [
        &mut t.dns,
        &mut t.connect,
        &mut t.tls,
        &mut t.headers,
        &mut t.first_byte,
        &mut t.first_event,
        &mut t.last_byte,
        &mut t.total,
    ] {
        *f = f.map(round1);
    }
    let r = |a: &Arrival| Arrival {
        t_ms: round1(a.t_ms),
        bytes: a.bytes,
    };
    let (gaps_ms, gaps_of) = if m.events.len() >= 2 {
        (verdict::gaps(&m.events), "events")
    } else {
        (verdict::gaps(&m.chunks), "chunks")
    };
    let gaps_ms = gaps_ms.map(|g| Gaps {
        min: round1(g.min),
        median: round1(g.median),
        max: round1(g.max),
    });
    Report {
        verdict,
        evidence: clean(evidence),
        hint_rule,
        url: masked.clone(),
        method: raw.method,
        status: m.status,
        http_version: raw.http_version,
        timings_ms: t,
        bytes: m.chunks.iter().map(|c| c.bytes).sum(),
        chunks: m.chunks.len() + m.chunks_folded,
        chunk_arrivals: m.chunks.iter().map(r).collect(),
        events: m.events.iter().map(r).collect(),
        gaps_ms,
        gaps_of,
        headers: raw.headers,
        request_headers: raw.request_headers,
        notes: raw.notes.into_iter().map(clean).collect(),
    }
}

/// The exit code for a verdict and an optional `--expect`.
pub fn exit_code(verdict: Verdict, expect: Option<Verdict>) -> u8 {
    match expect {
        Some(e) if e == verdict => exit::OK,
        _ if verdict == Verdict::Error => exit::ERROR,
        Some(_) => exit::UNEXPECTED,
        None => exit::OK,
    }
}

/// Measure, print, and return the exit code (0 / 1 / 2).
pub fn run(args: &ProbeArgs) -> u8 {
    net::install_provider();
    let mut raw = Raw::default();
    for h in &args.headers {
        match h.split_once(':') {
            Some((k, v)) if !k.trim().is_empty() => raw
                .request_headers_raw
                .push((k.trim().to_owned(), v.trim().to_owned())),
            _ => raw.m.failure = Some(format!("--header must look like `Name: value`, got `{h}`")),
        }
    }
    let url = match reqwest::Url::parse(&args.url) {
        Ok(u) => Some(u),
        Err(e) => {
            raw.m.failure = Some(format!("invalid URL: {e}"));
            None
        }
    };
    if let Some(url) = &url
        && raw.m.failure.is_none()
    {
        match (url.scheme(), args.websocket) {
            ("ws" | "wss" | "http" | "https", true) => websocket::probe(args, url, &mut raw),
            ("http" | "https", false) => http::probe(args, url, &mut raw),
            ("ws" | "wss", false) => {
                raw.m.failure = Some(format!("{}:// needs --websocket", url.scheme()));
            }
            (s, _) => raw.m.failure = Some(format!("unsupported URL scheme {s}://")),
        }
    }
    let report = report(url.as_ref().map_or("", |u| u.as_str()), raw);
    let text = match args.format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => s + "\n",
            Err(e) => {
                eprintln!("error: cannot serialise the report: {e}");
                String::new()
            }
        },
        Format::Text => render::text(&report),
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let mut out = std::io::stdout().lock();
    let _ = std::io::Write::write_all(&mut out, text.as_bytes())
        .and_then(|()| std::io::Write::flush(&mut out));
    exit_code(report.verdict, args.expect)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        assert_eq!(exit_code(Verdict::Streaming, None), 0);
        assert_eq!(exit_code(Verdict::Buffered, None), 0);
        assert_eq!(exit_code(Verdict::Streaming, Some(Verdict::Streaming)), 0);
        assert_eq!(exit_code(Verdict::Buffered, Some(Verdict::Streaming)), 1);
        assert_eq!(exit_code(Verdict::Error, None), 2);
        assert_eq!(exit_code(Verdict::Error, Some(Verdict::Streaming)), 2);
        assert_eq!(exit_code(Verdict::Error, Some(Verdict::Error)), 0);
    }
}
