//! How a `location` matches: its modifier and pattern (`ngx_http_core_location`).

use super::model::{Model, NodeId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Modifier {
    /// `location /x` (longest prefix).
    Prefix,
    /// `location ^~ /x` (prefix, no regex check after it).
    PrefixNoRegex,
    /// `location = /x`.
    Exact,
    /// `location ~ re`.
    Regex,
    /// `location ~* re`.
    RegexCaseless,
    /// `location @name`.
    Named,
}

impl Modifier {
    pub fn is_prefix(self) -> bool {
        matches!(self, Modifier::Prefix | Modifier::PrefixNoRegex)
    }

    pub fn is_regex(self) -> bool {
        matches!(self, Modifier::Regex | Modifier::RegexCaseless)
    }
}

/// The modifier and pattern of `location` node `loc`, as nginx reads them: a separate modifier
/// argument, or one glued to the pattern (`location =/x`, `location ~^/x`).
pub fn location_match(model: &Model<'_>, loc: NodeId) -> Option<(Modifier, String)> {
    let first = model.arg(loc, 0)?;
    if let Some(path) = model.arg(loc, 1) {
        let m = match first.as_str() {
            "=" => Modifier::Exact,
            "~" => Modifier::Regex,
            "~*" => Modifier::RegexCaseless,
            "^~" => Modifier::PrefixNoRegex,
            _ => return None,
        };
        return Some((m, path));
    }
    let (m, rest) = if let Some(r) = first.strip_prefix("~*") {
        (Modifier::RegexCaseless, r)
    } else if let Some(r) = first.strip_prefix("^~") {
        (Modifier::PrefixNoRegex, r)
    } else if let Some(r) = first.strip_prefix('~') {
        (Modifier::Regex, r)
    } else if let Some(r) = first.strip_prefix('=') {
        (Modifier::Exact, r)
    } else if first.starts_with('@') {
        (Modifier::Named, first.as_str())
    } else {
        (Modifier::Prefix, first.as_str())
    };
    Some((m, rest.to_owned()))
}

/// Does `rewrite` node `r` take the request out of the block it is in when it matches: a new
/// location search (`last`) or a redirect (`redirect`, `permanent`)? Without a flag, or with
/// `break`, the request goes on in the same block (an `if` block's own configuration).
pub fn rewrite_leaves_block(model: &Model<'_>, r: NodeId) -> bool {
    let n = model.arg_count(r);
    n >= 3
        && matches!(
            model.arg(r, n - 1).as_deref(),
            Some("last" | "redirect" | "permanent")
        )
}
