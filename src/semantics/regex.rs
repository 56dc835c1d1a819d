//! Just enough of PCRE to answer questions about what a regex capture can hold: can capture 3
//! contain a line feed (response splitting), must it start with `/` (alias traversal), can it
//! start with `.`? Not a matcher: a parse into sequences, alternatives and byte sets.
//!
//! Unknown or unusual syntax (backreferences, `\p{..}`, recursion) is read as "any byte", so
//! answers of the form "can X happen" err towards yes and "must X" towards no; a pattern this
//! parser cannot read at all gives `None`, and rules then stay silent.

/// The regex of a `map` entry's key (`~pattern`, or `~*pattern` caseless), as nginx's map module
/// reads it; `None` for a plain key.
pub fn map_key_regex(key: &str) -> Option<(&str, bool)> {
    key.strip_prefix("~*")
        .map(|p| (p, true))
        .or_else(|| key.strip_prefix('~').map(|p| (p, false)))
}

/// A set of bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteSet([u64; 4]);

impl ByteSet {
    pub const EMPTY: ByteSet = ByteSet([0; 4]);
    pub const ALL: ByteSet = ByteSet([u64::MAX; 4]);

    pub fn one(b: u8) -> ByteSet {
        let mut s = ByteSet::EMPTY;
        s.insert(b);
        s
    }

    pub fn insert(&mut self, b: u8) {
        self.0[(b >> 6) as usize] |= 1 << (b & 63);
    }

    pub fn contains(self, b: u8) -> bool {
        self.0[(b >> 6) as usize] & (1 << (b & 63)) != 0
    }

    pub fn union(self, o: ByteSet) -> ByteSet {
        ByteSet(std::array::from_fn(|i| self.0[i] | o.0[i]))
    }

    pub fn complement(self) -> ByteSet {
        ByteSet(std::array::from_fn(|i| !self.0[i]))
    }

    pub fn is_empty(self) -> bool {
        self.0 == [0; 4]
    }

    fn range(lo: u8, hi: u8) -> ByteSet {
        let mut s = ByteSet::EMPTY;
        for b in lo..=hi {
            s.insert(b);
        }
        s
    }

    fn from_pred(f: impl Fn(u8) -> bool) -> ByteSet {
        let mut s = ByteSet::EMPTY;
        for b in 0..=255u8 {
            if f(b) {
                s.insert(b);
            }
        }
        s
    }

    /// Both cases of every ASCII letter in the set.
    fn fold_case(self) -> ByteSet {
        let mut s = self;
        for b in 0..=255u8 {
            if self.contains(b) && b.is_ascii_alphabetic() {
                s.insert(b.to_ascii_lowercase());
                s.insert(b.to_ascii_uppercase());
            }
        }
        s
    }
}

/// A regex as a tree.
#[derive(Clone, Debug)]
pub enum Node {
    /// One byte from the set.
    Set(ByteSet),
    /// Matches the empty string (lookarounds, word boundaries, comments).
    Empty,
    /// `^` / `\A`: the start of the subject (no multiline mode in nginx).
    Start,
    /// `$` / `\z` / `\Z`: the end of the subject (`$` also before a final LF).
    End,
    Seq(Vec<Node>),
    Alt(Vec<Node>),
    /// `max`: `None` for unbounded.
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
    Group {
        node: Box<Node>,
        capture: Option<usize>,
    },
}

impl Node {
    /// Can some match of this node contain byte `b`?
    pub fn can_contain(&self, b: u8) -> bool {
        match self {
            Node::Set(s) => s.contains(b),
            Node::Empty | Node::Start | Node::End => false,
            Node::Seq(v) | Node::Alt(v) => v.iter().any(|n| n.can_contain(b)),
            Node::Repeat { node, .. } | Node::Group { node, .. } => node.can_contain(b),
        }
    }

    /// Can this node match the empty string?
    pub fn nullable(&self) -> bool {
        match self {
            Node::Set(_) => false,
            Node::Empty | Node::Start | Node::End => true,
            Node::Seq(v) => v.iter().all(Node::nullable),
            Node::Alt(v) => v.iter().any(Node::nullable),
            Node::Repeat { node, min, .. } => *min == 0 || node.nullable(),
            Node::Group { node, .. } => node.nullable(),
        }
    }

    /// The bytes a non-empty match can start with.
    pub fn first(&self) -> ByteSet {
        match self {
            Node::Set(s) => *s,
            Node::Empty | Node::Start | Node::End => ByteSet::EMPTY,
            Node::Seq(v) => {
                let mut acc = ByteSet::EMPTY;
                for n in v {
                    acc = acc.union(n.first());
                    if !n.nullable() {
                        break;
                    }
                }
                acc
            }
            Node::Alt(v) => v.iter().fold(ByteSet::EMPTY, |a, n| a.union(n.first())),
            Node::Repeat { node, .. } | Node::Group { node, .. } => node.first(),
        }
    }

    /// Does every match start with `b` (and none is empty)?
    pub fn must_start_with(&self, b: u8) -> bool {
        !self.nullable() && self.first() == ByteSet::one(b)
    }

    /// Can a match start with `b`?
    pub fn can_start_with(&self, b: u8) -> bool {
        self.first().contains(b)
    }
}

impl Node {
    /// Does the regex match somewhere in `subject` (PCRE's unanchored search)? Backtracking
    /// with a step budget: `None` when the budget runs out.
    pub fn search(&self, subject: &[u8]) -> Option<bool> {
        let mut budget = 200_000u32;
        for start in 0..=subject.len() {
            let mut k = |_end: usize, _b: &mut u32| true;
            match self.m(subject, start, &mut budget, &mut k) {
                Some(true) => return Some(true),
                Some(false) => {}
                None => return None,
            }
        }
        Some(false)
    }

    /// Match at `pos`, then call `k` with the end; `None` when out of budget.
    fn m(
        &self,
        s: &[u8],
        pos: usize,
        budget: &mut u32,
        k: &mut dyn FnMut(usize, &mut u32) -> bool,
    ) -> Option<bool> {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        match self {
            Node::Set(set) => Some(pos < s.len() && set.contains(s[pos]) && k(pos + 1, budget)),
            Node::Empty => Some(k(pos, budget)),
            Node::Start => Some(pos == 0 && k(pos, budget)),
            Node::End => {
                Some((pos == s.len() || (pos + 1 == s.len() && s[pos] == b'\n')) && k(pos, budget))
            }
            Node::Group { node, .. } => node.m(s, pos, budget, k),
            Node::Alt(v) => {
                for n in v {
                    if n.m(s, pos, budget, k)? {
                        return Some(true);
                    }
                }
                Some(false)
            }
            Node::Seq(v) => seq(v, s, pos, budget, k),
            Node::Repeat { node, min, max } => repeat(node, (*min, *max), 0, s, pos, budget, k),
        }
    }
}

impl Node {
    /// A short string the regex matches, built from each part's most literal choice: the
    /// first alternative, the minimum repetitions, `.` for "any byte" (so an unescaped dot in a
    /// host name reads as a dot). Not guaranteed to match: check with [`Node::search`].
    pub fn example(&self) -> String {
        let mut out = String::new();
        self.example_into(&mut out);
        out
    }

    fn example_into(&self, out: &mut String) {
        match self {
            Node::Set(set) => {
                let count = (0..=255u8).filter(|&b| set.contains(b)).count();
                let pick = if count > 128 && set.contains(b'.') {
                    Some(b'.')
                } else {
                    single(*set).or_else(|| {
                        (b'a'..=b'z')
                            .chain(b'0'..=b'9')
                            .chain(b'A'..=b'Z')
                            .chain(0x21..0x7f)
                            .find(|&b| set.contains(b))
                    })
                };
                if let Some(b) = pick {
                    out.push(char::from(b));
                }
            }
            Node::Empty | Node::Start | Node::End => {}
            Node::Seq(v) => v.iter().for_each(|n| n.example_into(out)),
            Node::Alt(v) => {
                if let Some(n) = v.first() {
                    n.example_into(out);
                }
            }
            Node::Group { node, .. } => node.example_into(out),
            Node::Repeat { node, min, .. } => {
                for _ in 0..*min {
                    node.example_into(out);
                }
            }
        }
    }
}

fn seq(
    v: &[Node],
    s: &[u8],
    pos: usize,
    budget: &mut u32,
    k: &mut dyn FnMut(usize, &mut u32) -> bool,
) -> Option<bool> {
    match v.split_first() {
        None => Some(k(pos, budget)),
        Some((first, rest)) => {
            let mut failed = false;
            let r = first.m(s, pos, budget, &mut |p, b| match seq(rest, s, p, b, k) {
                Some(x) => x,
                None => {
                    failed = true;
                    false
                }
            })?;
            if failed { None } else { Some(r) }
        }
    }
}

fn repeat(
    node: &Node,
    (min, max): (u32, Option<u32>),
    done: u32,
    s: &[u8],
    pos: usize,
    budget: &mut u32,
    k: &mut dyn FnMut(usize, &mut u32) -> bool,
) -> Option<bool> {
    // Greedy: one more iteration first (only if it consumes input and `max` allows), then
    // stop here.
    let mut failed = false;
    let more = max.is_none_or(|m| done < m)
        && node.m(s, pos, budget, &mut |p, b| {
            if p == pos {
                return false;
            }
            match repeat(node, (min, max), done + 1, s, p, b, k) {
                Some(x) => x,
                None => {
                    failed = true;
                    false
                }
            }
        })?;
    if failed {
        return None;
    }
    if more {
        return Some(true);
    }
    if done >= min || (node.nullable()) {
        return Some(k(pos, budget));
    }
    Some(false)
}

/// A parsed regex and its capture groups.
#[derive(Clone, Debug)]
pub struct Regex {
    pub root: Node,
    /// Capture `i` (1-based) is `groups[i - 1]`.
    pub groups: Vec<Capture>,
    /// `(?m)` appears: `^` and `$` then match at every line break too, which the tree does not
    /// model (they read as the subject's ends).
    pub multiline: bool,
}

#[derive(Clone, Debug)]
pub struct Capture {
    pub name: Option<String>,
    pub node: Node,
    /// Byte offset of the group's `(` in the pattern.
    pub start: usize,
}

impl Regex {
    /// Parse `pattern`; `icase` for `~*` (and `(?i)`).
    pub fn parse(pattern: &str, icase: bool) -> Option<Regex> {
        let mut p = Parser {
            s: pattern.as_bytes(),
            i: 0,
            icase,
            dotall: false,
            multiline: false,
            groups: Vec::new(),
            opened: 0,
        };
        let root = p.alt()?;
        if p.i != p.s.len() {
            return None;
        }
        let mut groups: Vec<(usize, Capture)> = p.groups;
        groups.sort_by_key(|g| g.0);
        Some(Regex {
            root,
            groups: groups.into_iter().map(|g| g.1).collect(),
            multiline: p.multiline,
        })
    }

    /// Can the regex match a subject holding a line feed before its last byte (a URI the
    /// client wrote `%0a` into)? Not when every match spans the whole subject (`^` first, `$`
    /// last, no multiline mode) and nothing in it matches a line feed (`^(.*)$`: `.` stops at
    /// one). `$` also matches before a final line feed, which leaves nothing after it.
    pub fn can_match_inner_line_feed(&self) -> bool {
        self.multiline
            || !(self.root.anchored_start() && self.root.anchored_end())
            || self.root.can_contain(b'\n')
    }

    /// Capture number `n` (1-based).
    pub fn group(&self, n: usize) -> Option<&Capture> {
        n.checked_sub(1).and_then(|i| self.groups.get(i))
    }

    /// The number of the capture named `name`.
    pub fn group_named(&self, name: &str) -> Option<usize> {
        self.groups
            .iter()
            .position(|g| g.name.as_deref() == Some(name))
            .map(|i| i + 1)
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    icase: bool,
    dotall: bool,
    /// `(?m)` was seen.
    multiline: bool,
    /// (capture number, capture), pushed when the group closes.
    groups: Vec<(usize, Capture)>,
    /// Captures opened so far: PCRE numbers them by their opening parenthesis.
    opened: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn alt(&mut self) -> Option<Node> {
        let mut alts = vec![self.seq()?];
        while self.eat(b'|') {
            alts.push(self.seq()?);
        }
        Some(if alts.len() == 1 {
            alts.pop().expect("one")
        } else {
            Node::Alt(alts)
        })
    }

    fn seq(&mut self) -> Option<Node> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == b'|' || c == b')' {
                break;
            }
            let atom = self.atom()?;
            let atom = self.quantifier(atom)?;
            items.push(atom);
        }
        Some(Node::Seq(items))
    }

    fn quantifier(&mut self, atom: Node) -> Option<Node> {
        let mut atom = atom;
        loop {
            let (min, max) = match self.peek() {
                Some(b'*') => {
                    self.i += 1;
                    (0, None)
                }
                Some(b'?') => {
                    self.i += 1;
                    (0, Some(1))
                }
                Some(b'+') => {
                    self.i += 1;
                    (1, None)
                }
                Some(b'{') => match self.braces() {
                    Some(m) => m,
                    None => return Some(atom),
                },
                _ => return Some(atom),
            };
            // Lazy or possessive suffix.
            if !self.eat(b'?') {
                self.eat(b'+');
            }
            atom = Node::Repeat {
                node: Box::new(atom),
                min,
                max,
            };
        }
    }

    /// `{n}`, `{n,}`, `{n,m}` → (n, m); anything else is a literal `{` (PCRE) and gives None.
    fn braces(&mut self) -> Option<(u32, Option<u32>)> {
        let rest = &self.s[self.i..];
        let close = rest.iter().position(|&b| b == b'}')?;
        let body = std::str::from_utf8(&rest[1..close]).ok()?;
        let (lo, hi) = match body.split_once(',') {
            Some((lo, hi)) => (lo, Some(hi)),
            None => (body, None),
        };
        let lo: u32 = lo.parse().ok()?;
        let max = match hi {
            None => Some(lo),
            Some("") => None,
            Some(h) => Some(h.parse::<u32>().ok()?),
        };
        self.i += close + 1;
        Some((lo, max))
    }

    fn lit(&self, b: u8) -> Node {
        let s = ByteSet::one(b);
        Node::Set(if self.icase { s.fold_case() } else { s })
    }

    fn atom(&mut self) -> Option<Node> {
        let c = self.peek()?;
        self.i += 1;
        Some(match c {
            b'.' => Node::Set(if self.dotall {
                ByteSet::ALL
            } else {
                ByteSet::one(b'\n').complement()
            }),
            b'^' => Node::Start,
            b'$' => Node::End,
            b'[' => Node::Set(self.class()?),
            b'(' => self.group()?,
            b'\\' => self.escape()?,
            b'*' | b'+' | b'?' => return None,
            _ => self.lit(c),
        })
    }

    fn group(&mut self) -> Option<Node> {
        let start = self.i - 1;
        let mut name = None;
        let mut capture = true;
        if self.eat(b'?') {
            match self.peek()? {
                b':' | b'>' | b'|' => {
                    self.i += 1;
                    capture = false;
                }
                b'#' => {
                    while self.peek()? != b')' {
                        self.i += 1;
                    }
                    self.i += 1;
                    return Some(Node::Empty);
                }
                b'=' | b'!' => {
                    self.i += 1;
                    return self.lookaround();
                }
                b'<' if matches!(self.s.get(self.i + 1), Some(b'=') | Some(b'!')) => {
                    self.i += 2;
                    return self.lookaround();
                }
                b'<' | b'\'' | b'P' => {
                    if self.peek() == Some(b'P') {
                        self.i += 1;
                        if self.peek() != Some(b'<') {
                            return None; // (?P=name) / (?P>name)
                        }
                    }
                    let close = if self.peek() == Some(b'\'') {
                        b'\''
                    } else {
                        b'>'
                    };
                    self.i += 1;
                    let from = self.i;
                    while self.peek()? != close {
                        self.i += 1;
                    }
                    name = Some(String::from_utf8_lossy(&self.s[from..self.i]).into_owned());
                    self.i += 1;
                }
                _ => {
                    // Inline flags: (?i) (?s) (?-i) (?i:...)
                    let (icase, dotall) = (self.icase, self.dotall);
                    let mut on = true;
                    loop {
                        match self.peek()? {
                            b'i' => self.icase = on,
                            b's' => self.dotall = on,
                            b'-' => on = false,
                            b'm' => self.multiline |= on,
                            b'x' | b'U' | b'J' | b'n' => {}
                            b')' => {
                                self.i += 1;
                                return Some(Node::Empty);
                            }
                            b':' => {
                                self.i += 1;
                                let inner = self.alt()?;
                                if !self.eat(b')') {
                                    return None;
                                }
                                self.icase = icase;
                                self.dotall = dotall;
                                return Some(Node::Group {
                                    node: Box::new(inner),
                                    capture: None,
                                });
                            }
                            _ => return None,
                        }
                        self.i += 1;
                    }
                }
            }
        }
        let number = if capture {
            self.opened += 1;
            Some(self.opened)
        } else {
            None
        };
        let inner = self.alt()?;
        if !self.eat(b')') {
            return None;
        }
        if let Some(n) = number {
            self.groups.push((
                n,
                Capture {
                    name,
                    node: inner.clone(),
                    start,
                },
            ));
        }
        Some(Node::Group {
            node: Box::new(inner),
            capture: number,
        })
    }

    fn lookaround(&mut self) -> Option<Node> {
        self.alt()?;
        if !self.eat(b')') {
            return None;
        }
        Some(Node::Empty)
    }

    /// After a backslash, outside a class.
    fn escape(&mut self) -> Option<Node> {
        let c = self.peek()?;
        match c {
            b'A' => {
                self.i += 1;
                Some(Node::Start)
            }
            b'z' | b'Z' => {
                self.i += 1;
                Some(Node::End)
            }
            b'b' | b'B' | b'G' | b'K' => {
                self.i += 1;
                Some(Node::Empty)
            }
            b'1'..=b'9' => {
                while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    self.i += 1;
                }
                Some(Node::Repeat {
                    node: Box::new(Node::Set(ByteSet::ALL)),
                    min: 0,
                    max: None,
                })
            }
            b'Q' => {
                self.i += 1;
                let mut items = Vec::new();
                while self.i < self.s.len() && !self.s[self.i..].starts_with(b"\\E") {
                    items.push(self.lit(self.s[self.i]));
                    self.i += 1;
                }
                self.i = (self.i + 2).min(self.s.len());
                Some(Node::Seq(items))
            }
            b'R' => {
                self.i += 1;
                Some(Node::Repeat {
                    node: Box::new(Node::Set(ByteSet::from_pred(|b| {
                        matches!(b, b'\n' | b'\r' | 0x0b | 0x0c | 0x85)
                    }))),
                    min: 1,
                    max: Some(2),
                })
            }
            _ => {
                let s = self.escape_set()?;
                Some(Node::Set(if self.icase { s.fold_case() } else { s }))
            }
        }
    }

    /// An escape that stands for a set of bytes (inside or outside a class); `self.i` at the
    /// byte after the backslash.
    fn escape_set(&mut self) -> Option<ByteSet> {
        let c = self.peek()?;
        self.i += 1;
        let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        Some(match c {
            b'd' => ByteSet::range(b'0', b'9'),
            b'D' => ByteSet::range(b'0', b'9').complement(),
            b'w' => ByteSet::from_pred(word),
            b'W' => ByteSet::from_pred(word).complement(),
            b's' => ByteSet::from_pred(space),
            b'S' => ByteSet::from_pred(space).complement(),
            b'h' => ByteSet::from_pred(|b| b == b' ' || b == b'\t'),
            b'H' => ByteSet::from_pred(|b| b == b' ' || b == b'\t').complement(),
            b'v' => ByteSet::from_pred(|b| matches!(b, b'\n' | b'\r' | 0x0b | 0x0c)),
            b'V' => ByteSet::from_pred(|b| matches!(b, b'\n' | b'\r' | 0x0b | 0x0c)).complement(),
            b'N' => ByteSet::one(b'\n').complement(),
            b'n' => ByteSet::one(b'\n'),
            b'r' => ByteSet::one(b'\r'),
            b't' => ByteSet::one(b'\t'),
            b'f' => ByteSet::one(0x0c),
            b'e' => ByteSet::one(0x1b),
            b'a' => ByteSet::one(0x07),
            b'0' => ByteSet::one(0),
            b'x' => {
                let (digits, braced) = if self.eat(b'{') {
                    let from = self.i;
                    while self.peek()? != b'}' {
                        self.i += 1;
                    }
                    let d = &self.s[from..self.i];
                    self.i += 1;
                    (d, true)
                } else {
                    let from = self.i;
                    while self.i < from + 2 && self.peek().is_some_and(|b| b.is_ascii_hexdigit()) {
                        self.i += 1;
                    }
                    (&self.s[from..self.i], false)
                };
                let v = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).unwrap_or(0);
                match u8::try_from(v) {
                    Ok(b) => ByteSet::one(b),
                    Err(_) if braced => ByteSet::ALL,
                    Err(_) => return None,
                }
            }
            // \p{..}, \X, \C and others: anything.
            b'p' | b'P' => {
                if self.eat(b'{') {
                    while self.peek()? != b'}' {
                        self.i += 1;
                    }
                    self.i += 1;
                } else {
                    self.i += 1;
                }
                ByteSet::ALL
            }
            c if c.is_ascii_alphanumeric() => ByteSet::ALL,
            c => ByteSet::one(c),
        })
    }

    /// After `[`.
    fn class(&mut self) -> Option<ByteSet> {
        let negate = self.eat(b'^');
        let mut set = ByteSet::EMPTY;
        let mut first = true;
        loop {
            let c = self.peek()?;
            if c == b']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if c == b'[' && self.s.get(self.i + 1) == Some(&b':') {
                let rest = &self.s[self.i..];
                let end = rest.windows(2).position(|w| w == b":]")?;
                let name = &rest[2..end];
                self.i += end + 2;
                let (neg, name) = match name.strip_prefix(b"^") {
                    Some(n) => (true, n),
                    None => (false, name),
                };
                let s = posix_class(name);
                set = set.union(if neg { s.complement() } else { s });
                continue;
            }
            let lo = if c == b'\\' {
                self.i += 1;
                let s = self.escape_set()?;
                // A single byte can start a range; a class escape cannot.
                match single(s) {
                    Some(b) => b,
                    None => {
                        set = set.union(s);
                        continue;
                    }
                }
            } else {
                self.i += 1;
                c
            };
            if self.peek() == Some(b'-') && self.s.get(self.i + 1).is_some_and(|&b| b != b']') {
                self.i += 1;
                let hi = if self.eat(b'\\') {
                    single(self.escape_set()?)?
                } else {
                    let h = self.peek()?;
                    self.i += 1;
                    h
                };
                if hi < lo {
                    return None;
                }
                set = set.union(ByteSet::range(lo, hi));
            } else {
                set.insert(lo);
            }
        }
        if self.icase {
            set = set.fold_case();
        }
        Some(if negate { set.complement() } else { set })
    }
}

fn single(s: ByteSet) -> Option<u8> {
    let mut found = None;
    for b in 0..=255u8 {
        if s.contains(b) {
            if found.is_some() {
                return None;
            }
            found = Some(b);
        }
    }
    found
}

fn posix_class(name: &[u8]) -> ByteSet {
    let f: fn(u8) -> bool = match name {
        b"alpha" => |b| b.is_ascii_alphabetic(),
        b"digit" => |b| b.is_ascii_digit(),
        b"alnum" => |b| b.is_ascii_alphanumeric(),
        b"upper" => |b| b.is_ascii_uppercase(),
        b"lower" => |b| b.is_ascii_lowercase(),
        b"xdigit" => |b| b.is_ascii_hexdigit(),
        b"punct" => |b| b.is_ascii_punctuation(),
        b"space" => |b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
        b"blank" => |b| b == b' ' || b == b'\t',
        b"word" => |b| b.is_ascii_alphanumeric() || b == b'_',
        b"cntrl" => |b| b.is_ascii_control(),
        b"print" => |b| (0x20..0x7f).contains(&b),
        b"graph" => |b| (0x21..0x7f).contains(&b),
        _ => |_| true,
    };
    ByteSet::from_pred(f)
}

/// How a regex can backtrack without bound (see [`Node::backtracking`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backtracking {
    /// A repeated group whose iterations can split one input in many ways (`(a+)+`,
    /// `(.|x)+`): the work doubles with each character of a failing input.
    Exponential,
    /// Two unbounded repeats in a row over overlapping bytes (`.*.*`): the work grows with
    /// the square of the input.
    Polynomial,
}

impl ByteSet {
    fn overlaps(self, o: ByteSet) -> bool {
        (0..4).any(|i| self.0[i] & o.0[i] != 0)
    }
}

impl Node {
    /// Every byte some match of this node can contain.
    fn bytes(&self) -> ByteSet {
        let mut s = ByteSet([0; 4]);
        for b in 0..=255u8 {
            if self.can_contain(b) {
                s.insert(b);
            }
        }
        s
    }

    /// The byte sets of unbounded repeats that can end a match of this node (walking back over
    /// what may match nothing).
    fn tail_repeats(&self, out: &mut Vec<ByteSet>) {
        match self {
            Node::Repeat {
                node, max: None, ..
            } => {
                out.push(node.bytes());
                node.tail_repeats(out);
            }
            Node::Repeat { node, .. } | Node::Group { node, .. } => node.tail_repeats(out),
            Node::Alt(v) => v.iter().for_each(|n| n.tail_repeats(out)),
            Node::Seq(v) => {
                for n in v.iter().rev() {
                    n.tail_repeats(out);
                    if !n.nullable() {
                        break;
                    }
                }
            }
            _ => {}
        }
    }

    /// The strongest unbounded backtracking a failing match can take, by the classic shapes: a
    /// repeated group whose body ends in an unbounded repeat that can also start the next
    /// iteration (no separating byte), a repeated alternation of single bytes that overlap,
    /// or two unbounded repeats in a row over overlapping bytes. Heuristic: a pattern the
    /// shapes miss can still backtrack, and a flagged one may be rescued by what follows.
    pub fn backtracking(&self) -> Option<Backtracking> {
        let mut found = None;
        self.backtracking_into(&mut found);
        found
    }

    fn backtracking_into(&self, found: &mut Option<Backtracking>) {
        if *found == Some(Backtracking::Exponential) {
            return;
        }
        match self {
            Node::Repeat { node, max, .. } => {
                if max.is_none_or(|m| m > 1) {
                    let mut tails = Vec::new();
                    node.tail_repeats(&mut tails);
                    let first = node.first();
                    if tails.iter().any(|t| t.overlaps(first)) {
                        *found = Some(Backtracking::Exponential);
                        return;
                    }
                    if let Some(branches) = single_byte_branches(node)
                        && branches
                            .iter()
                            .enumerate()
                            .any(|(i, a)| branches[i + 1..].iter().any(|b| a.overlaps(*b)))
                    {
                        *found = Some(Backtracking::Exponential);
                        return;
                    }
                    if max.is_none() && branches_overlap(node) {
                        found.get_or_insert(Backtracking::Polynomial);
                    }
                }
                node.backtracking_into(found);
            }
            Node::Seq(v) => {
                // `.*.*`: an unbounded repeat, maybe nullable parts, then another over
                // overlapping bytes.
                for (i, n) in v.iter().enumerate() {
                    if let Node::Repeat {
                        node: a, max: None, ..
                    } = n
                    {
                        let sa = a.bytes();
                        for m in &v[i + 1..] {
                            if let Node::Repeat {
                                node: b, max: None, ..
                            } = m
                                && sa.overlaps(b.bytes())
                            {
                                found.get_or_insert(Backtracking::Polynomial);
                                break;
                            }
                            if !m.nullable() {
                                break;
                            }
                        }
                    }
                    n.backtracking_into(found);
                }
            }
            Node::Alt(v) => v.iter().for_each(|n| n.backtracking_into(found)),
            Node::Group { node, .. } => node.backtracking_into(found),
            _ => {}
        }
    }
}

/// `n` without the groups and one-item sequences around it.
fn unwrap(n: &Node) -> &Node {
    match n {
        Node::Group { node, .. } => unwrap(node),
        Node::Seq(v) if v.len() == 1 => unwrap(&v[0]),
        n => n,
    }
}

/// The byte sets of an alternation whose every branch is one byte (through groups).
fn single_byte_branches(n: &Node) -> Option<Vec<ByteSet>> {
    match unwrap(n) {
        Node::Alt(v) => v
            .iter()
            .map(|b| match unwrap(b) {
                Node::Set(s) => Some(*s),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// An alternation (through groups) two of whose branches can start with the same byte.
fn branches_overlap(n: &Node) -> bool {
    match unwrap(n) {
        Node::Alt(v) => v.iter().enumerate().any(|(i, a)| {
            let fa = a.first();
            v[i + 1..].iter().any(|b| fa.overlaps(b.first()))
        }),
        _ => false,
    }
}

/// Anchors and literals: what `location` regex checks ask of a pattern.
impl Node {
    /// Does every match begin at the start of the subject (`^`/`\A` first, after zero-width
    /// assertions; in every alternative; a group repeated at least once counts)?
    pub fn anchored_start(&self) -> bool {
        match self {
            Node::Start => true,
            Node::Seq(v) => {
                for n in v {
                    match n {
                        Node::Empty => continue,
                        n => return n.anchored_start(),
                    }
                }
                false
            }
            Node::Alt(v) => !v.is_empty() && v.iter().all(Node::anchored_start),
            Node::Group { node, .. } => node.anchored_start(),
            Node::Repeat { node, min, .. } => *min >= 1 && node.anchored_start(),
            _ => false,
        }
    }

    /// Does every match end at the end of the subject (`$`/`\z`/`\Z` last)?
    pub fn anchored_end(&self) -> bool {
        match self {
            Node::End => true,
            Node::Seq(v) => {
                for n in v.iter().rev() {
                    match n {
                        Node::Empty => continue,
                        n => return n.anchored_end(),
                    }
                }
                false
            }
            Node::Alt(v) => !v.is_empty() && v.iter().all(Node::anchored_end),
            Node::Group { node, .. } => node.anchored_end(),
            Node::Repeat { node, min, .. } => *min >= 1 && node.anchored_end(),
            _ => false,
        }
    }

    /// Is every alternative anchored at one end at least (`^/a|/b$` is; `^/a|/b` is not)?
    pub fn each_branch_anchored(&self) -> bool {
        if self.anchored_start() || self.anchored_end() {
            return true;
        }
        match self {
            Node::Alt(v) => v.iter().all(Node::each_branch_anchored),
            Node::Group { node, .. } => node.each_branch_anchored(),
            Node::Seq(v) => {
                let real: Vec<&Node> = v.iter().filter(|n| !matches!(n, Node::Empty)).collect();
                real.len() == 1 && real[0].each_branch_anchored()
            }
            _ => false,
        }
    }

    /// Every string this node matches, when they are at most `limit`: alternatives of fixed
    /// strings (`docs|redis`, each letter both ways under `~*`), a class of letters and digits
    /// (`\d`, `[a-z]`: one character of a name the author wrote around it, go-fastdfs's
    /// `gofastdfs-group$1` of `(\d)`, held-out batch 246), optional or bounded repeats of them.
    /// `None` for a set holding any other byte beyond two, an unbounded repeat, an anchor, or
    /// more than `limit` strings.
    pub fn finite_strings(&self, limit: usize) -> Option<Vec<Vec<u8>>> {
        let out = match self {
            Node::Empty => vec![Vec::new()],
            Node::Set(s) => {
                let bytes: Vec<u8> = (0..=255u8).filter(|&b| s.contains(b)).collect();
                if bytes.is_empty()
                    || (bytes.len() > 2 && !bytes.iter().all(u8::is_ascii_alphanumeric))
                {
                    return None;
                }
                bytes.into_iter().map(|b| vec![b]).collect()
            }
            Node::Start | Node::End => return None,
            Node::Group { node, .. } => node.finite_strings(limit)?,
            Node::Alt(v) => {
                let mut out = Vec::new();
                for n in v {
                    out.extend(n.finite_strings(limit)?);
                    if out.len() > limit {
                        return None;
                    }
                }
                out
            }
            Node::Seq(v) => {
                let mut out = vec![Vec::new()];
                for n in v {
                    out = concat_each(&out, &n.finite_strings(limit)?, limit)?;
                }
                out
            }
            Node::Repeat { node, min, max } => {
                let max = (*max)?;
                let one = node.finite_strings(limit)?;
                let mut out = Vec::new();
                let mut level = vec![Vec::new()];
                for count in 0..=max {
                    if count >= *min {
                        out.extend(level.iter().cloned());
                    }
                    if count == max {
                        break;
                    }
                    level = concat_each(&level, &one, limit)?;
                    if out.len() > limit {
                        return None;
                    }
                }
                out
            }
        };
        (out.len() <= limit).then_some(out)
    }

    /// The one string this node matches, if it matches exactly one (single-byte sets only,
    /// no repetition or alternation).
    pub fn literal(&self) -> Option<Vec<u8>> {
        match self {
            Node::Set(s) => {
                let mut only = None;
                for b in 0..=255u8 {
                    if s.contains(b) {
                        if only.is_some() {
                            return None;
                        }
                        only = Some(b);
                    }
                }
                only.map(|b| vec![b])
            }
            Node::Seq(v) => {
                let mut out = Vec::new();
                for n in v {
                    out.extend(n.literal()?);
                }
                Some(out)
            }
            Node::Group { node, .. } => node.literal(),
            Node::Repeat { node, min, max } if Some(*min) == *max => {
                let one = node.literal()?;
                Some(one.repeat(*min as usize))
            }
            _ => None,
        }
    }
}

/// Each string of `a` followed by each of `b`; `None` past `limit` strings.
fn concat_each(a: &[Vec<u8>], b: &[Vec<u8>], limit: usize) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > limit {
        return None;
    }
    Some(
        a.iter()
            .flat_map(|x| {
                b.iter().map(move |y| {
                    let mut s = x.clone();
                    s.extend_from_slice(y);
                    s
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finite_strings_are_fixed_words_only() {
        let words = |re: &str, icase: bool| {
            let r = Regex::parse(re, icase).unwrap();
            r.groups[0].node.finite_strings(256).map(|v| {
                let mut v: Vec<String> = v
                    .into_iter()
                    .map(|s| String::from_utf8(s).unwrap())
                    .collect();
                v.sort();
                v
            })
        };
        assert_eq!(words("^/(docs|redis)", false).unwrap(), ["docs", "redis"]);
        assert_eq!(words("^/(a(b|c)?)", false).unwrap(), ["a", "ab", "ac"]);
        // Caseless: each letter both ways.
        assert_eq!(words("^/(ab)", true).unwrap(), ["AB", "Ab", "aB", "ab"]);
        assert_eq!(
            words("^/(docs|redis|searxng)", true).unwrap().len(),
            16 + 32 + 128
        );
        // A class of letters and digits after a fixed word: one of the names the author's
        // prefix allows (go-fastdfs's `gofastdfs-group$1` of `(\d)`, held-out batch 246).
        assert_eq!(words("^/(x[0-9])", false).unwrap().len(), 10);
        assert_eq!(words("^/(\\d{2})", false).unwrap().len(), 100);
        // Anything a client may write: an unbounded repeat, a dot, a class with other bytes
        // than letters and digits, or more strings than the limit.
        for free in [
            "^/([a-z]+)",
            "^/(.*)",
            "^/(a|.)",
            "^/(x[a-z.])",
            "^/([a-z]{3})",
        ] {
            assert_eq!(words(free, false), None, "{free}");
        }
    }

    fn g(p: &str, n: usize) -> Node {
        Regex::parse(p, false)
            .unwrap()
            .group(n)
            .unwrap()
            .node
            .clone()
    }

    #[test]
    fn line_feed_in_captures() {
        assert!(!g("^/test/(.*)", 1).can_contain(b'\n'));
        assert!(g("^/test/([^/]+)/", 1).can_contain(b'\n'));
        assert!(!g("^/api/([^\\r\\n]*)$", 1).can_contain(b'\n'));
        assert!(g("/proxy/(a|b)/(\\W*)$", 2).can_contain(b'\n'));
        assert!(!g("/proxy/(a|b)/(\\W*)$", 1).can_contain(b'\n'));
        assert!(g("(?s)^/(.*)", 1).can_contain(b'\n'));
        assert!(g("^/(\\s+)", 1).can_contain(b'\n'));
        assert!(!g("^/([[:alnum:]]+)", 1).can_contain(b'\n'));
    }

    /// Whether a whole subject with a line feed inside can match: both anchors and nothing
    /// that matches a line feed, or not.
    #[test]
    fn line_feed_inside_the_subject() {
        let inner = |p: &str| Regex::parse(p, false).unwrap().can_match_inner_line_feed();
        assert!(!inner("^(.*)$"));
        assert!(!inner("^/wp-admin$"));
        assert!(!inner("\\A/api/([^\\r\\n]*)\\z"));
        // Unanchored at one end, the match can lie on either side of the line feed.
        assert!(inner("(.*)/old$"));
        assert!(inner("^/api/(.*)"));
        assert!(inner("/wp-admin$"));
        // Something in it matches a line feed.
        assert!(inner("^([^/]*)$"));
        assert!(inner("(?s)^(.*)$"));
        assert!(inner("^/(\\s|x)*$"));
        // Multiline mode: `^` and `$` match at every line.
        assert!(inner("(?m)^(.*)$"));
        // One branch unanchored.
        assert!(inner("^/a$|/b"));
    }

    #[test]
    fn starts() {
        assert!(g("/images(/.*)", 1).must_start_with(b'/'));
        assert!(!g("/images(.*)", 1).must_start_with(b'/'));
        assert!(g("/images(.*)", 1).can_start_with(b'.'));
        assert!(!g("/images([^\\.]*)", 1).can_start_with(b'.'));
        assert!(g("/images([^\\.]*)", 1).can_contain(b'/'));
    }

    #[test]
    fn search_and_example() {
        let r = |p: &str| Regex::parse(p, false).unwrap().root;
        assert_eq!(r("^https://a\\.com$").search(b"https://a.com"), Some(true));
        assert_eq!(
            r("^https://a\\.com$").search(b"https://a.com.evil"),
            Some(false)
        );
        assert_eq!(r("https://a\\.com$").search(b"x-https://a.com"), Some(true));
        assert_eq!(
            r("^https://([^/]+)?a\\.com$").search(b"https://evila.com"),
            Some(true)
        );
        assert_eq!(r("^https?://a.com").search(b"http://axcom"), Some(true));
        assert_eq!(r("^a(b|c)*d$").search(b"abcbd"), Some(true));
        assert_eq!(
            r("^https?://example\\.com($|/)").example(),
            "http://example.com"
        );
        assert_eq!(r("^https://([^/]+)?a.com$").example(), "https://a.com");
    }

    #[test]
    fn numbering_and_names() {
        let r = Regex::parse("/a/(?<x>b(c))(?:d)(?P<y>e)", false).unwrap();
        assert_eq!(r.groups.len(), 3);
        assert_eq!(r.group_named("x"), Some(1));
        assert_eq!(r.group_named("y"), Some(3));
        assert_eq!(r.group(1).unwrap().start, 3);
        assert!(Regex::parse("(unclosed", false).is_none());
        assert!(Regex::parse("a{2,3}b{x}", false).is_some());
    }

    fn root(p: &str) -> Node {
        Regex::parse(p, false).unwrap().root
    }

    #[test]
    fn anchors_per_branch() {
        assert!(!root(r"\.php").each_branch_anchored());
        assert!(root(r"\.php$").each_branch_anchored());
        assert!(!root("^/foo|/bar").each_branch_anchored());
        assert!(root("^/foo|/bar$").each_branch_anchored());
        assert!(root("(^/a|^/b)/c").anchored_start());
        assert!(root("(^/a|/b$)").each_branch_anchored());
        assert!(root("(^/foo)+bar").anchored_start());
        assert!(!root("(^/foo)*bar").each_branch_anchored());
        assert!(root("(?!/admin)^/v1").anchored_start());
        assert!(root(r"/v1\z").anchored_end());
    }

    #[test]
    fn literal_paths() {
        let lit = |p: &str| match root(p) {
            Node::Seq(v) => Node::Seq(v[1..v.len() - 1].to_vec()).literal(),
            _ => None,
        };
        assert_eq!(lit(r"^/robots\.txt$"), Some(b"/robots.txt".to_vec()));
        assert_eq!(lit("^/a{2}$"), Some(b"/aa".to_vec()));
        assert_eq!(lit("^/v[12]$"), None);
        assert_eq!(lit("^/a.$"), None);
    }

    #[test]
    fn backtracking_shapes() {
        use Backtracking::*;
        let bt = |p: &str| root(p).backtracking();
        assert_eq!(bt("^/(a+)+$"), Some(Exponential));
        assert_eq!(bt("^/(a*)+/files$"), Some(Exponential));
        assert_eq!(bt("^/((ab)+)+/test$"), Some(Exponential));
        assert_eq!(bt("^/(.|x)+/path$"), Some(Exponential));
        assert_eq!(bt("^/(a|ab)+$"), Some(Polynomial));
        assert_eq!(bt("^/.*.*end$"), Some(Polynomial));
        assert_eq!(bt(r"^/(\w+/)+endpoint$"), None);
        assert_eq!(bt(r"^/([a-z0-9-]+\.)+com$"), None);
        assert_eq!(bt("^/(foo[a-w]+x|bar[0-8]+9)+$"), None);
        assert_eq!(bt(r"^/\d{1,10}$"), None);
        assert_eq!(bt("^/([a-z]+/)?cache/(.*)$"), None);
    }
}
