//! `--websocket`: the RFC 6455 opening handshake over our own socket (rustls for `wss://`), and
//! optionally a silent `--idle` period to see whether something closes the connection.

use std::io::{ErrorKind, Read, Write};
use std::time::{Duration, Instant};

use ring::rand::{SecureRandom, SystemRandom};

use super::verdict::{Arrival, WsOutcome};
use super::{Raw, net, util};
use crate::cli::probe::ProbeArgs;

const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`: base64(SHA-1(key + GUID)).
pub fn accept_key(key: &str) -> String {
    let d = ring::digest::digest(
        &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        format!("{key}{GUID}").as_bytes(),
    );
    util::base64(d.as_ref())
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    // SystemRandom only fails if the OS has no entropy source; a fixed key still makes a
    // valid handshake, so fall back silently.
    let _ = SystemRandom::new().fill(&mut b);
    b
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

fn has_token(v: &str, token: &str) -> bool {
    v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token))
}

pub fn probe(args: &ProbeArgs, url: &reqwest::Url, raw: &mut Raw) {
    raw.method = "GET".to_owned();
    raw.m.timeout_ms = args.timeout.as_secs_f64() * 1000.0;
    let tls = matches!(url.scheme(), "wss" | "https");
    let host = url.host_str().unwrap_or_default().to_owned();
    let port = url.port().unwrap_or(if tls { 443 } else { 80 });
    if std::env::vars_os().any(|(k, _)| {
        let k = k.to_string_lossy().to_ascii_lowercase();
        k == "https_proxy" || k == "http_proxy" || k == "all_proxy"
    }) {
        raw.notes.push(
            "--websocket connects directly; proxy environment variables are not used".to_owned(),
        );
    }
    let config = if tls {
        match net::client_config(args.insecure) {
            Ok(c) => Some(c),
            Err(e) => {
                raw.m.failure = Some(e);
                return;
            }
        }
    } else {
        None
    };
    let (mut conn, times) = match net::connect(&host, port, config.as_ref(), args.timeout) {
        Ok(c) => c,
        Err(e) => {
            raw.m.failure = Some(e);
            return;
        }
    };
    raw.timings.dns = Some(times.dns_ms);
    raw.timings.connect = Some(times.connect_ms);
    raw.timings.tls = times.tls_ms;

    let key = util::base64(&random::<16>());
    let default_port = if tls { 443 } else { 80 };
    let host_header = match url.port() {
        Some(p) if p != default_port => format!("{}:{p}", url.host_str().unwrap_or_default()),
        _ => url.host_str().unwrap_or_default().to_owned(),
    };
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let mut request_headers = vec![
        ("Host".to_owned(), host_header),
        ("Upgrade".to_owned(), "websocket".to_owned()),
        ("Connection".to_owned(), "Upgrade".to_owned()),
        ("Sec-WebSocket-Key".to_owned(), key.clone()),
        ("Sec-WebSocket-Version".to_owned(), "13".to_owned()),
        (
            "User-Agent".to_owned(),
            concat!("ngxlint-probe/", env!("CARGO_PKG_VERSION")).to_owned(),
        ),
    ];
    for (k, v) in &raw.request_headers_raw {
        request_headers.retain(|(n, _)| !n.eq_ignore_ascii_case(k));
        request_headers.push((k.clone(), v.clone()));
    }
    let mut req = format!("GET {target} HTTP/1.1\r\n");
    for (k, v) in &request_headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    raw.request_headers = request_headers
        .iter()
        .map(|(k, v)| (k.clone(), util::mask_header(k, v)))
        .collect();

    let t0 = Instant::now();
    if let Err(e) = conn.write_all(req.as_bytes()).and_then(|()| conn.flush()) {
        raw.m.failure = Some(format!("sending the handshake failed: {e}"));
        return;
    }
    // Read the response head.
    let mut buf = Vec::new();
    let mut tmp = [0u8; 4096];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        if buf.len() > 64 * 1024 {
            raw.m.failure = Some("handshake response head larger than 64 KiB".to_owned());
            return;
        }
        match conn.read(&mut tmp) {
            Ok(0) => {
                raw.m.failure = Some(format!(
                    "the server closed the connection before a complete handshake response ({} bytes)",
                    buf.len()
                ));
                raw.timings.total = Some(ms(t0));
                return;
            }
            Ok(n) => buf.extend_from_slice(&tmp[..n]),
            Err(e) => {
                raw.m.failure = Some(
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) {
                        format!(
                            "no handshake response within --timeout ({} ms)",
                            args.timeout.as_millis()
                        )
                    } else {
                        format!("reading the handshake response failed: {e}")
                    },
                );
                raw.timings.total = Some(ms(t0));
                return;
            }
        }
    };
    let t_head = ms(t0);
    raw.m.t_headers_ms = Some(t_head);
    raw.timings.headers = Some(t_head);
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default().to_owned();
    let status: Option<u16> = parts.next().and_then(|s| s.parse().ok());
    let Some(status) = status else {
        raw.m.failure = Some(format!("not an HTTP response: {status_line:?}"));
        return;
    };
    raw.m.status = Some(status);
    raw.http_version = Some(version);
    let resp_headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let get = |n: &str| {
        resp_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    for n in
        super::http::INTERESTING
            .iter()
            .chain(&["Upgrade", "Connection", "Sec-WebSocket-Accept"])
    {
        if let Some(v) = get(n) {
            raw.headers
                .push(((*n).to_owned(), util::mask_header(n, &v)));
        }
    }
    let expected = accept_key(&key);
    let problem = if status != 101 {
        Some(format!(
            "the server answered {} instead of 101",
            status_line.split_once(' ').map_or(status_line, |(_, r)| r)
        ))
    } else if !get("Upgrade").is_some_and(|v| v.eq_ignore_ascii_case("websocket")) {
        Some("101 without `Upgrade: websocket`".to_owned())
    } else if !get("Connection").is_some_and(|v| has_token(&v, "upgrade")) {
        Some("101 without `Connection: upgrade`".to_owned())
    } else if get("Sec-WebSocket-Accept").as_deref() != Some(expected.as_str()) {
        Some(format!(
            "Sec-WebSocket-Accept is {:?}, expected {expected:?}",
            get("Sec-WebSocket-Accept").unwrap_or_default()
        ))
    } else {
        None
    };
    let mut ws = WsOutcome {
        upgraded: problem.is_none(),
        problem,
        idle_ms: None,
        closed_after_ms: None,
    };
    if ws.upgraded
        && let Some(idle) = args.idle
    {
        ws.idle_ms = Some(idle.as_secs_f64() * 1000.0);
        let mut pending = buf[head_end..].to_vec();
        ws.closed_after_ms = stay_idle(&mut conn, idle, t0, &mut pending, raw);
    }
    raw.m.websocket = Some(ws);
    raw.timings.total = Some(ms(t0));
}

/// Stay silent for `idle` (answering pings), recording frames as arrivals. Returns when the
/// server closed the connection (ms after the upgrade), or `None` if it stayed open.
fn stay_idle(
    conn: &mut net::Conn,
    idle: Duration,
    t0: Instant,
    pending: &mut Vec<u8>,
    raw: &mut Raw,
) -> Option<f64> {
    let start = Instant::now();
    let mut tmp = [0u8; 16 * 1024];
    // Payload bytes of the current data frame still to skip: data frames are counted, never
    // stored, so a peer flooding (or announcing a 2^63-byte frame) cannot grow memory.
    let mut skip: u64 = 0;
    loop {
        // Consume complete frames from `pending[at..]`; drop the consumed prefix once.
        let mut at = 0;
        let closed = loop {
            if skip > 0 {
                let n = usize::try_from(skip)
                    .unwrap_or(usize::MAX)
                    .min(pending.len() - at);
                at += n;
                skip -= n as u64;
                if skip > 0 {
                    break false;
                }
            }
            let Some((opcode, header, len)) = frame_head(&pending[at..]) else {
                break false;
            };
            let control = opcode & 0x8 != 0 && len <= 125;
            if control && pending.len() - at < header + len as usize {
                break false; // wait for the rest of a (small) control frame
            }
            raw.m.push_chunk(Arrival {
                t_ms: ms(t0),
                bytes: header.saturating_add(usize::try_from(len).unwrap_or(usize::MAX)),
            });
            if !control {
                raw.m.ws_frames_discarded += 1;
                at += header;
                skip = len;
                continue;
            }
            let len = len as usize;
            let payload = &pending[at + header..at + header + len];
            at += header + len;
            match opcode {
                0x8 => break true,
                0x9 => {
                    let _ = conn.write_all(&client_frame(0xA, payload));
                }
                _ => {}
            }
        };
        pending.drain(..at);
        if closed {
            return Some(ms(start));
        }
        let left = idle.saturating_sub(start.elapsed());
        if left.is_zero() {
            // Still open: say goodbye properly (status 1000).
            let _ = conn.write_all(&client_frame(0x8, &1000u16.to_be_bytes()));
            return None;
        }
        if conn.tcp().set_read_timeout(Some(left)).is_err() {
            return None;
        }
        match conn.read(&mut tmp) {
            Ok(0) => return Some(ms(start)),
            Ok(n) => pending.extend_from_slice(&tmp[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Some(ms(start)),
        }
    }
}

/// (opcode, header length, payload length) of the frame header at the start of `b`, once the
/// whole header is there.
fn frame_head(b: &[u8]) -> Option<(u8, usize, u64)> {
    let (b0, b1) = (*b.first()?, *b.get(1)?);
    let (mut header, len): (usize, u64) = match b1 & 0x7f {
        126 => (4, u64::from(u16::from_be_bytes([*b.get(2)?, *b.get(3)?]))),
        127 => {
            let bytes: [u8; 8] = b.get(2..10)?.try_into().ok()?;
            (10, u64::from_be_bytes(bytes))
        }
        n => (2, u64::from(n)),
    };
    if b1 & 0x80 != 0 {
        header += 4;
    }
    (b.len() >= header).then_some((b0 & 0x0f, header, len))
}

/// (opcode, header length, payload length) of a complete frame at the start of `b`.
#[cfg(test)]
fn frame_at(b: &[u8]) -> Option<(u8, usize, usize)> {
    let (b0, b1) = (*b.first()?, *b.get(1)?);
    let (mut header, len): (usize, usize) = match b1 & 0x7f {
        126 => (4, usize::from(u16::from_be_bytes([*b.get(2)?, *b.get(3)?]))),
        127 => {
            let bytes: [u8; 8] = b.get(2..10)?.try_into().ok()?;
            (10, usize::try_from(u64::from_be_bytes(bytes)).ok()?)
        }
        n => (2, usize::from(n)),
    };
    if b1 & 0x80 != 0 {
        header += 4;
    }
    (b.len() >= header.checked_add(len)?).then_some((b0 & 0x0f, header, len))
}

/// A final, masked client frame (control frames only: payload < 126 bytes).
fn client_frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mask = random::<4>();
    let len = payload.len().min(125);
    let mut f = vec![0x80 | opcode, 0x80 | len as u8];
    f.extend_from_slice(&mask);
    f.extend(
        payload[..len]
            .iter()
            .enumerate()
            .map(|(i, b)| b ^ mask[i % 4]),
    );
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6455_accept_example() {
        // RFC 6455 §1.3. (The brief quoted `s3pPLMBiTxaQ9kK+xsMGzYooWo=`: 27 characters, not a
        // valid base64 SHA-1; the RFC's value is this one.)
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn frames() {
        assert_eq!(frame_at(&[0x89, 0x00]), Some((0x9, 2, 0)));
        assert_eq!(frame_at(&[0x81, 0x03, b'a']), None);
        assert_eq!(frame_at(&[0x81, 0x7e, 0x00, 0x01, b'a']), Some((0x1, 4, 1)));
        let f = client_frame(0xA, b"hi");
        assert_eq!(frame_at(&f), Some((0xA, 6, 2)));
    }
}
