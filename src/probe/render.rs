//! Text output: figures, a one-line timeline of arrivals, the verdict.

use std::fmt::Write as _;

use super::{Arrival, Report};

const BUCKETS: usize = 48;
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn ms(v: Option<f64>) -> String {
    match v {
        Some(v) if v >= 10.0 => format!("{v:.0} ms"),
        Some(v) => format!("{v:.1} ms"),
        None => "n/a".to_owned(),
    }
}

/// Bytes per time bucket over `[0, end]`: `·` nothing arrived, `▁`..`█` relative to the
/// fullest bucket.
pub fn sparkline(arrivals: &[Arrival], end: f64) -> String {
    let mut b = [0usize; BUCKETS];
    let end = end.max(1.0);
    for a in arrivals {
        let i = ((a.t_ms / end) * BUCKETS as f64) as usize;
        b[i.min(BUCKETS - 1)] += a.bytes;
    }
    let max = b.iter().copied().max().unwrap_or(0).max(1);
    b.iter()
        .map(|&n| {
            if n == 0 {
                '·'
            } else {
                BARS[((n * BARS.len()).div_ceil(max) - 1).min(BARS.len() - 1)]
            }
        })
        .collect()
}

pub fn text(r: &Report) -> String {
    let mut o = String::new();
    let status = match (&r.http_version, r.status) {
        (Some(v), Some(s)) => format!("{v} {s}"),
        (None, Some(s)) => s.to_string(),
        _ => "no response".to_owned(),
    };
    let _ = writeln!(o, "probe     {} {}  →  {status}", r.method, r.url);
    for (k, v) in &r.headers {
        let _ = writeln!(o, "  < {k}: {v}");
    }
    let t = &r.timings_ms;
    let _ = writeln!(
        o,
        "timings   connect {} · tls {} · headers {} · first byte {} · first event {} · last byte {} · total {}",
        ms(t.connect),
        ms(t.tls),
        ms(t.headers),
        ms(t.first_byte),
        ms(t.first_event),
        ms(t.last_byte),
        ms(t.total)
    );
    let gaps = match &r.gaps_ms {
        Some(g) => format!(
            "; gaps between {} min {} / median {} / max {}",
            r.gaps_of,
            ms(Some(g.min)),
            ms(Some(g.median)),
            ms(Some(g.max))
        ),
        None => String::new(),
    };
    let _ = writeln!(
        o,
        "body      {} bytes in {} chunk(s), {} event(s){gaps}",
        r.bytes,
        r.chunks,
        r.events.len()
    );
    if !r.chunk_arrivals.is_empty() {
        let end = t.total.or(t.last_byte).unwrap_or(1.0);
        let _ = writeln!(
            o,
            "timeline  0 |{}| {}  (bytes per {} slice)",
            sparkline(&r.chunk_arrivals, end),
            ms(Some(end)),
            ms(Some(end / BUCKETS as f64))
        );
    }
    let _ = writeln!(o, "verdict   {}: {}", r.verdict.as_str(), r.evidence);
    if let Some(h) = r.hint_rule {
        let _ = writeln!(
            o,
            "hint      usually caused by the `{h}` rule: run `ngxlint` on the config"
        );
    }
    for n in &r.notes {
        let _ = writeln!(o, "note      {n}");
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_buckets() {
        let a = [
            Arrival {
                t_ms: 0.0,
                bytes: 10,
            },
            Arrival {
                t_ms: 999.0,
                bytes: 80,
            },
        ];
        let s = sparkline(&a, 1000.0);
        assert_eq!(s.chars().count(), BUCKETS);
        assert!(s.starts_with('▁') && s.ends_with('█'), "{s}");
        assert_eq!(s.chars().filter(|&c| c == '·').count(), BUCKETS - 2);
    }
}
