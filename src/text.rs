//! Small text helpers shared by the layers (no dependencies on them).

/// `n` in decimal, appended to `out`: what `write!(out, "{n}")` writes, without the
/// formatting machinery (it runs for every line:column of a report and every listen address).
pub fn push_decimal(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // One reservation, then each ASCII digit pushed as a one-byte char.
    out.reserve(digits.len() - i);
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_as_display_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 65_535, 1_000_000, u32::MAX] {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }
}
