//! Small helpers: nginx-style durations, secret masking, base64, error chains.

use std::time::Duration;

/// Parse a time the way nginx's `ngx_parse_time` does: one or more `<number><unit>` parts with
/// units `y M w d h m s ms` in decreasing order, each at most once (`1m30s`, `500ms`, `2m`); a
/// bare number (only as the last part) means seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let bad = || format!("invalid time `{s}` (expected e.g. 500ms, 60s, 2m, 1h, 1m30s)");
    let bytes = s.trim().as_bytes();
    if bytes.is_empty() {
        return Err(bad());
    }
    let mut total_ms: u128 = 0;
    let mut last_rank = usize::MAX;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if start == i {
            return Err(bad());
        }
        let n: u128 = std::str::from_utf8(&bytes[start..i])
            .ok()
            .and_then(|d| d.parse().ok())
            .ok_or_else(bad)?;
        let (rank, unit_ms, len) = match &bytes[i..] {
            [b'm', b's', ..] => (0, 1, 2),
            [b's', ..] => (1, 1_000, 1),
            [b'm', ..] => (2, 60_000, 1),
            [b'h', ..] => (3, 3_600_000, 1),
            [b'd', ..] => (4, 86_400_000, 1),
            [b'w', ..] => (5, 604_800_000, 1),
            [b'M', ..] => (6, 2_592_000_000, 1),
            [b'y', ..] => (7, 31_536_000_000, 1),
            [] => (1, 1_000, 0),
            _ => return Err(bad()),
        };
        if rank >= last_rank {
            return Err(bad());
        }
        last_rank = rank;
        total_ms = total_ms
            .checked_add(n.checked_mul(unit_ms).ok_or_else(bad)?)
            .ok_or_else(bad)?;
        i += len;
    }
    let ms = u64::try_from(total_ms).map_err(|_| bad())?;
    Ok(Duration::from_millis(ms))
}

/// Header names whose values are secrets: never printed.
pub fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || ["key", "token", "secret", "password", "session"]
        .iter()
        .any(|w| n.contains(w))
}

/// The value to print for a header: secrets become `***` (keeping an auth scheme word such as
/// `Bearer`).
pub fn mask_header(name: &str, value: &str) -> String {
    if !is_secret_name(name) {
        return value.to_owned();
    }
    match value.split_once(' ') {
        Some((scheme, _))
            if (2..=10).contains(&scheme.len())
                && scheme.bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            format!("{scheme} ***")
        }
        _ => "***".to_owned(),
    }
}

/// The URL to print: a password in the user info and secret-looking query values masked.
pub fn mask_url(url: &str) -> String {
    let Ok(mut u) = reqwest::Url::parse(url) else {
        return url.to_owned();
    };
    if u.password().is_some() {
        let _ = u.set_password(Some("***"));
    }
    if u.query().is_some() {
        let pairs: Vec<(String, String)> = u
            .query_pairs()
            .map(|(k, v)| {
                let v = if is_secret_name(&k) || k.eq_ignore_ascii_case("sig") {
                    "***".to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
    u.to_string()
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= c.len() {
                out.push(char::from(T[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An error and its sources, `a: b: c`, without repeating a message its source already says.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let msg = s.to_string();
        if !parts.iter().any(|p| p.contains(&msg)) {
            parts.push(msg);
        }
        cur = s.source();
    }
    parts.join(": ")
}

/// `--data-file` larger than this is refused.
pub const MAX_DATA_FILE: u64 = 64 * 1024 * 1024;

/// Read `--data-file` within `timeout` (a FIFO with no writer would block `open` forever; a
/// pipe from `<(...)` is fine if it delivers in time), at most [`MAX_DATA_FILE`] bytes.
pub fn read_data_file(
    path: &std::path::Path,
    timeout: std::time::Duration,
) -> Result<Vec<u8>, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let p = path.to_owned();
    std::thread::spawn(move || {
        let r = std::fs::File::open(&p)
            .map_err(crate::io::InputError::from)
            .and_then(|f| crate::io::read_capped(f, MAX_DATA_FILE));
        let _ = tx.send(r);
    });
    match rx.recv_timeout(timeout) {
        Ok(Ok(b)) => Ok(b),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!(
            "nothing to read within --timeout ({} ms) (a FIFO without a writer?)",
            timeout.as_millis()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_times() {
        let d = |s| parse_duration(s).unwrap().as_millis();
        assert_eq!(d("60s"), 60_000);
        assert_eq!(d("90s"), 90_000);
        assert_eq!(d("500ms"), 500);
        assert_eq!(d("2m"), 120_000);
        assert_eq!(d("1m30s"), 90_000);
        assert_eq!(d("75"), 75_000);
        assert_eq!(d("1h"), 3_600_000);
        for bad in ["", "s", "1x", "30s1m", "1s1s", "-1s", "1.5s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn masking() {
        assert_eq!(mask_header("Authorization", "Bearer sk-123"), "Bearer ***");
        assert_eq!(mask_header("X-Api-Key", "abc"), "***");
        assert_eq!(mask_header("Cookie", "a=b; c=d"), "***");
        assert_eq!(mask_header("Accept", "*/*"), "*/*");
        let u = mask_url("https://u:pw@example.com/x?api_key=s3cret&q=1");
        assert!(!u.contains("pw") && !u.contains("s3cret"), "{u}");
        assert!(u.contains("q=1"), "{u}");
    }

    #[test]
    fn base64_rfc4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }
}
