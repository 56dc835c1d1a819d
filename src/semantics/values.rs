//! nginx's value parsers, ported line by line (`ngx_parse_time`, `ngx_parse_size`,
//! `ngx_parse_offset`, `ngx_atoi`), so that a value is accepted exactly when nginx accepts it.
//! Rules that validate values (`invalid-arguments`) and rules that compare them
//! (`read-timeout-short`, `useless-timeout`) share these.

const MAX: i64 = i64::MAX; // NGX_MAX_INT_T_VALUE, NGX_MAX_SIZE_T_VALUE, NGX_MAX_OFF_T_VALUE

/// `ngx_parse_time(line, is_sec)`: the value in seconds (`is_sec`) or milliseconds.
pub fn parse_time(line: &[u8], is_sec: bool) -> Option<i64> {
    // Steps in nginx's order: start, year, month, week, day, hour, min, sec, msec, last.
    const START: u8 = 0;
    const YEAR: u8 = 1;
    const MONTH: u8 = 2;
    const WEEK: u8 = 3;
    const DAY: u8 = 4;
    const HOUR: u8 = 5;
    const MIN: u8 = 6;
    const SEC: u8 = 7;
    const MSEC: u8 = 8;
    const LAST: u8 = 9;

    let (cutoff, cutlim) = (MAX / 10, MAX % 10);
    let mut valid = false;
    let mut value: i64 = 0;
    let mut total: i64 = 0;
    let mut step = if is_sec { START } else { MONTH };
    let mut p = 0;
    while p < line.len() {
        let c = line[p];
        if c.is_ascii_digit() {
            let d = i64::from(c - b'0');
            if value >= cutoff && (value > cutoff || d > cutlim) {
                return None;
            }
            value = value * 10 + d;
            p += 1;
            valid = true;
            continue;
        }
        p += 1;
        let (new_step, mut scale): (u8, i64) = match c {
            b'y' if step == START => (YEAR, 60 * 60 * 24 * 365),
            b'M' if step < MONTH => (MONTH, 60 * 60 * 24 * 30),
            b'w' if step < WEEK => (WEEK, 60 * 60 * 24 * 7),
            b'd' if step < DAY => (DAY, 60 * 60 * 24),
            b'h' if step < HOUR => (HOUR, 60 * 60),
            b'm' if p < line.len() && line[p] == b's' => {
                if is_sec || step >= MSEC {
                    return None;
                }
                p += 1;
                (MSEC, 1)
            }
            b'm' if step < MIN => (MIN, 60),
            b's' if step < SEC => (SEC, 1),
            b' ' if step < SEC => (LAST, 1),
            _ => return None,
        };
        step = new_step;
        let mut max = MAX / scale;
        if step != MSEC && !is_sec {
            scale *= 1000;
            max /= 1000;
        }
        if value > max {
            return None;
        }
        value *= scale;
        if total > MAX - value {
            return None;
        }
        total += value;
        value = 0;
        while p < line.len() && line[p] == b' ' {
            p += 1;
        }
    }
    if !valid {
        return None;
    }
    if !is_sec {
        if value > MAX / 1000 {
            return None;
        }
        value *= 1000;
    }
    if total > MAX - value {
        return None;
    }
    Some(total + value)
}

/// `ngx_atoi` / `ngx_atosz` / `ngx_atoof`: digits only, no sign, no overflow.
pub fn atoi(s: &[u8]) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    let (cutoff, cutlim) = (MAX / 10, MAX % 10);
    let mut value: i64 = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        let d = i64::from(c - b'0');
        if value >= cutoff && (value > cutoff || d > cutlim) {
            return None;
        }
        value = value * 10 + d;
    }
    Some(value)
}

/// `ngx_parse_size` (`offset` = false) / `ngx_parse_offset` (true): bytes.
fn parse_scaled(line: &[u8], offset: bool) -> Option<i64> {
    let (&unit, rest) = line.split_last()?;
    let scale: i64 = match unit {
        b'k' | b'K' => 1 << 10,
        b'm' | b'M' => 1 << 20,
        b'g' | b'G' if offset => 1 << 30,
        _ => 1,
    };
    let digits = if scale == 1 { line } else { rest };
    let n = atoi(digits)?;
    if n > MAX / scale {
        return None;
    }
    Some(n * scale)
}

pub fn parse_size(line: &[u8]) -> Option<i64> {
    parse_scaled(line, false)
}

pub fn parse_offset(line: &[u8]) -> Option<i64> {
    parse_scaled(line, true)
}

/// A millisecond directive's time (`proxy_read_timeout 5m`) in milliseconds, as nginx reads it.
pub fn time_ms(s: &str) -> Option<u64> {
    parse_time(s.as_bytes(), false).and_then(|v| u64::try_from(v).ok())
}

/// A seconds directive's time in seconds.
pub fn time_secs(s: &str) -> Option<u64> {
    parse_time(s.as_bytes(), true).and_then(|v| u64::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_ms_and_seconds() {
        assert_eq!(time_ms("60"), Some(60_000));
        assert_eq!(time_ms("1h 30m"), Some(5_400_000));
        assert_eq!(time_ms("1s 500ms"), Some(1500));
        assert_eq!(time_ms("1h30m"), Some(5_400_000));
        assert_eq!(time_ms("1m 30"), Some(90_000));
        assert_eq!(time_ms("30m 1h"), None);
        assert_eq!(time_ms("1M"), None);
        assert_eq!(time_ms(""), None);
        assert_eq!(time_ms("1x"), None);
        // nginx accepts this (checked with nginx -t): 10 s, then a bare 20 s.
        assert_eq!(time_ms("10 20"), Some(30_000));
        assert_eq!(time_ms("1y"), None);
        assert_eq!(time_ms("$t"), None);
        assert_eq!(time_secs("10m"), Some(600));
        assert_eq!(parse_size(b"16k"), Some(16 << 10));
        assert_eq!(parse_offset(b"1g"), Some(1 << 30));
        assert_eq!(atoi(b"12a"), None);
    }
}
