//! A directive value as nginx's script compiler splits it: literal text and variables
//! (`$name`, `${name}`, `$1`…`$9` captures), `ngx_http_script_compile`.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Lit(String),
    /// A named variable, lowercase (nginx compares names without case).
    Var(String),
    /// `$1`…`$9` (nginx reads one digit; `$0` is the whole match).
    Capture(usize),
}

pub fn parts(value: &str) -> Vec<Part> {
    let b = value.as_bytes();
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && i + 1 < b.len() {
            let (name, next) = if b[i + 1].is_ascii_digit() {
                (None, i + 2)
            } else if b[i + 1] == b'{' {
                match b[i + 2..].iter().position(|&c| c == b'}') {
                    Some(end) => (Some(&value[i + 2..i + 2 + end]), i + 3 + end),
                    None => (None, i),
                }
            } else {
                let end = b[i + 1..]
                    .iter()
                    .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
                    .map_or(b.len(), |p| i + 1 + p);
                (Some(&value[i + 1..end]), end)
            };
            if next > i && (name.is_some_and(|n| !n.is_empty()) || name.is_none()) {
                if !lit.is_empty() {
                    out.push(Part::Lit(std::mem::take(&mut lit)));
                }
                match name {
                    Some(n) => out.push(Part::Var(n.to_ascii_lowercase())),
                    None => out.push(Part::Capture(usize::from(b[i + 1] - b'0'))),
                }
                i = next;
                continue;
            }
        }
        let ch = value[i..].chars().next().expect("in bounds");
        lit.push(ch);
        i += ch.len_utf8();
    }
    if !lit.is_empty() {
        out.push(Part::Lit(lit));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        assert_eq!(
            parts("/lol/$2x${Host}.a$arg_x"),
            vec![
                Part::Lit("/lol/".into()),
                Part::Capture(2),
                Part::Lit("x".into()),
                Part::Var("host".into()),
                Part::Lit(".a".into()),
                Part::Var("arg_x".into()),
            ]
        );
        assert_eq!(parts("a$"), vec![Part::Lit("a$".into())]);
        assert_eq!(parts("${x"), vec![Part::Lit("${x".into())]);
    }
}
