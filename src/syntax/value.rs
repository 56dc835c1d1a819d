//! The value nginx sees for a token: quotes removed, escapes applied.

use std::borrow::Cow;

use super::lexer::{Token, TokenKind};

/// The bytes nginx hands to a directive for `token` (`ngx_conf_read_token`'s copy loop):
/// surrounding quotes dropped; `\"`, `\'`, `\\` lose their backslash; `\t`, `\r`, `\n` become
/// TAB, CR, LF; any other `\x` keeps both bytes (`\d`, `\.` survive for regexes).
/// Borrowed when there is nothing to unescape (the common case).
pub fn token_value(src: &[u8], token: Token) -> Cow<'_, [u8]> {
    let inner = &src[inner_range(src, token)];
    // The lexer saw no backslash: nothing to unescape (most tokens; spares a scan per
    // question, and rules ask for values many times over).
    if token.verbatim() {
        return Cow::Borrowed(inner);
    }
    unescape(inner)
}

/// The bytes of `token` without its quotes, as offsets into `src`: the value itself when the
/// token is [`Token::verbatim`] (then a caller holding `src` as `&str` can slice the value
/// out without copying or re-validating it).
pub fn inner_range(src: &[u8], token: Token) -> std::ops::Range<usize> {
    let range = token.span().range();
    match token.kind() {
        TokenKind::DoubleQuoted | TokenKind::SingleQuoted => {
            let text = &src[range.clone()];
            let end = if text.len() >= 2 && text.last() == text.first() {
                text.len() - 1
            } else {
                text.len() // unterminated at end of file
            };
            let from = 1.min(text.len());
            range.start + from..range.start + end.max(from)
        }
        _ => range,
    }
}

/// nginx's escape processing on raw token bytes (quotes already removed).
pub fn unescape(raw: &[u8]) -> Cow<'_, [u8]> {
    if !raw.contains(&b'\\') {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b == b'\\' && i + 1 < raw.len() {
            match raw[i + 1] {
                c @ (b'"' | b'\'' | b'\\') => {
                    out.push(c);
                    i += 2;
                    continue;
                }
                b't' => {
                    out.push(b'\t');
                    i += 2;
                    continue;
                }
                b'r' => {
                    out.push(b'\r');
                    i += 2;
                    continue;
                }
                b'n' => {
                    out.push(b'\n');
                    i += 2;
                    continue;
                }
                _ => {}
            }
        }
        out.push(b);
        i += 1;
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_nginx() {
        assert_eq!(&*unescape(br#"a\"b\\c\td\.e\;"#), b"a\"b\\c\td\\.e\\;");
        assert_eq!(&*unescape(b"plain"), b"plain");
    }
}
