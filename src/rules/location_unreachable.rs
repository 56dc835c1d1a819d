//! `location-unreachable`: a regex location that can never be chosen because an earlier
//! sibling regex matches every URI it matches. nginx tries the regex locations of a block in
//! the order they are written and takes the first that matches (`ngx_http_core_find_location`),
//! so after `location ~ /api`, a later `location ~ /api/v1` is never used: every `/api/v1` URI
//! contains `/api`. Judged only where it is certain. A pattern is read as its branches (its
//! top-level alternatives, and the alternatives of its plain groups written out:
//! `^/(media|proxy)$` is `^/media$` or `^/proxy$`); an earlier branch that is a plain string,
//! anchored with `^` and `$` or not, takes every URI of its shape, and the later location is
//! never used when each of its branches is taken by some earlier location (or the earlier
//! pattern is the same). Case matters as nginx applies it: a case-sensitive `~` does not
//! cover a caseless `~*`.
//!
//! Also a prefix or exact location whose string does not start with `/`: nginx matches
//! locations against the request's normalised URI, which always does (a request line whose
//! target starts otherwise is refused with 400), so `location ^/(auth|api)(/|$)`, a regex
//! missing its `~`, never matches anything.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::{LocationKind, location_head};
use crate::semantics::location::{Modifier, location_match};
use crate::semantics::model::{Model, NodeId};
use crate::text::LeastMatch;
use std::borrow::Cow;

pub static RULE: Rule = Rule {
    id: "location-unreachable",
    summary: "a location never chosen: an earlier regex location in the same block matches every URI it would, a regex takes every URI of a prefix location without `^~`, or its prefix does not start with `/`",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/location-unreachable.md"),
    check,
};

/// What a pattern without alternatives says for certain about every URI it matches: it
/// contains `lit` (escapes like `\.` read as the character), at the start when `start` (`^`),
/// at the end when `end` (a final `$`); `whole` when the pattern is nothing more, so that
/// every URI of that shape matches it. Otherwise `lit` is the plain string it starts with.
struct Plain {
    start: bool,
    lit: String,
    whole: bool,
    end: bool,
    /// Every plain string each URI it matches contains, in order: its literal runs outside
    /// groups and classes (a character under a quantifier is no part of one).
    runs: Vec<String>,
    /// The run a final `$` closes: every URI it matches ends with it (`\.worker-.*\.ts$`
    /// ends with `.ts`).
    tail: Option<String>,
}

fn plain(re: &str) -> Plain {
    let (start, body) = match re.strip_prefix('^') {
        Some(b) => (true, b),
        None => (false, re),
    };
    let (runs, tail) = runs_of(body);
    let mut out = String::new();
    let cut = |lit: String| Plain {
        start,
        lit,
        whole: false,
        end: false,
        runs: runs.clone(),
        tail: tail.clone(),
    };
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) if e.is_ascii_punctuation() => out.push(e),
                _ => return cut(out),
            },
            // A final `$`: the URI ends there (or before a final line break, which a URI
            // matched by both patterns has in both).
            '$' if chars.peek().is_none() => {
                return Plain {
                    start,
                    lit: out,
                    whole: true,
                    end: true,
                    runs,
                    tail,
                };
            }
            '.' | '[' | '(' | ')' | '|' | '$' | '^' | '}' => return cut(out),
            // `b{0,1}` may match no `b`: like the other quantifiers, not part of the prefix.
            '*' | '?' | '+' | '{' => {
                // The quantifier applies to the last character: it is not part of the prefix.
                out.pop();
                // A character that may be absent ends a branch with no `$` (`^/(api|account)/*`,
                // its `*` lazy or possessive too): the branch matches what it matches without
                // it, every URI starting with the rest (held-out batch 476, InvenioILS: a
                // regex hid `location /api/files` and its upload limit; measured, 413).
                let mut rest = chars.clone();
                let at_end = matches!(
                    (rest.next(), rest.next()),
                    (None, _) | (Some('?' | '+'), None)
                );
                if matches!(c, '*' | '?') && at_end {
                    break;
                }
                return cut(out);
            }
            _ => out.push(c),
        }
    }
    Plain {
        start,
        lit: out,
        whole: true,
        end: false,
        runs,
        tail,
    }
}

/// [`Plain::runs`] and [`Plain::tail`] of a branch (after its `^`). Nothing where an inline
/// flag (`(?i)`) may change how the characters after it match, or where a group or class
/// does not close.
fn runs_of(body: &str) -> (Vec<String>, Option<String>) {
    let b = body.as_bytes();
    let flagged = b.windows(3).any(|w| {
        w[0] == b'('
            && w[1] == b'?'
            && (w[2].is_ascii_alphabetic() && w[2] != b'P'
                || w[2] == b'-'
                || w[2] == b'^'
                || w[2] == b')')
    });
    if flagged {
        return (Vec::new(), None);
    }
    let quantified = |at: usize| matches!(b.get(at), Some(b'*' | b'?' | b'+' | b'{'));
    let (mut runs, mut run) = (Vec::new(), String::new());
    let mut i = 0;
    while i < b.len() {
        // The atom at `i`: a character it stands for, and where it ends.
        let (literal, next) = match b[i] {
            b'\\' => match body[i + 1..].chars().next() {
                Some(e) if e.is_ascii_punctuation() => (Some(e), i + 2),
                Some(e) => (None, i + 1 + e.len_utf8()),
                None => (None, b.len()),
            },
            b'[' => match class_end(b, i) {
                Some(end) => (None, end + 1),
                None => return (Vec::new(), None),
            },
            b'(' => match group_end(b, i) {
                Some(end) => (None, end + 1),
                None => return (Vec::new(), None),
            },
            b'.' | b'^' | b'$' | b'|' | b')' | b']' | b'{' | b'}' | b'*' | b'?' | b'+' => {
                (None, i + 1)
            }
            _ => {
                let c = body[i..].chars().next().unwrap_or_default();
                (Some(c), i + c.len_utf8())
            }
        };
        match literal {
            Some(c) if !quantified(next) => run.push(c),
            _ => {
                // The end of the branch: a final `$` right after a literal closes the run.
                if b[i] == b'$' && next == b.len() && !run.is_empty() {
                    let tail = run.clone();
                    runs.push(run);
                    return (runs, Some(tail));
                }
                if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
            }
        }
        i = next;
    }
    if !run.is_empty() {
        runs.push(run);
    }
    (runs, None)
}

/// The most branches [`branches`] writes out for one pattern.
const MOST_BRANCHES: usize = 64;

/// A pattern's branches: its top-level alternatives, each with the alternatives of its plain
/// groups written out (`^/(media|proxy)(/|$)` gives `^/media/`, `^/media$`, `^/proxy/`,
/// `^/proxy$`), so that a pattern which is a few plain strings in disguise reads as them. A
/// URI matches the pattern exactly when it matches one of its branches. A group holding more
/// than plain alternatives (a nested group, a class, a lookaround, an inline flag) or under a
/// quantifier is left as written, and [`plain`] stops there. `None` when the parentheses do
/// not balance or there would be more than [`MOST_BRANCHES`].
fn branches(re: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for alternative in split_bars(re)? {
        write_out(alternative.to_owned(), &mut out)?;
    }
    Some(out.into_iter().map(unanchored).collect())
}

/// A branch without a leading `^.*`, or a leading `^.+` before a character no URI starts with
/// (every URI nginx matches starts with `/`): it matches the same URIs (Shopware's
/// `^.+\.svg$` is `\.svg$`, held-out batch 135: a later `^.+\.svg$` was never chosen).
fn unanchored(branch: String) -> String {
    if let Some(rest) = branch.strip_prefix("^.*") {
        return rest.to_owned();
    }
    if let Some(rest) = branch.strip_prefix("^.+") {
        let b = rest.as_bytes();
        let literal_not_slash = match b.first() {
            Some(b'\\') => b
                .get(1)
                .is_some_and(|&e| e.is_ascii_punctuation() && e != b'/'),
            Some(&c) => c.is_ascii_alphanumeric() || c == b'_' || c == b'-',
            None => false,
        };
        if literal_not_slash {
            return rest.to_owned();
        }
    }
    branch
}

/// `s` split at its `|`s outside groups and classes; `None` when its parentheses do not
/// balance.
fn split_bars(s: &str) -> Option<Vec<&str>> {
    let b = s.as_bytes();
    let (mut depth, mut from, mut i) = (0usize, 0, 0);
    let mut parts = Vec::new();
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' => i = class_end(b, i)?,
            b'(' => depth += 1,
            b')' => depth = depth.checked_sub(1)?,
            b'|' if depth == 0 => {
                parts.push(&s[from..i]);
                from = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    (depth == 0).then(|| {
        parts.push(&s[from..]);
        parts
    })
}

/// The index of the `]` closing the class that opens at `open` (a `]` first in the class is
/// one of its characters).
fn class_end(b: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    if b.get(i) == Some(&b'^') {
        i += 1;
    }
    if b.get(i) == Some(&b']') {
        i += 1;
    }
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b']' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// `a` (no top-level `|`) with its first group written out, alternative by alternative, each
/// result in turn, onto `out`; `a` itself when its first group is not plain alternatives.
fn write_out(a: String, out: &mut Vec<String>) -> Option<()> {
    let b = a.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' => i = class_end(b, i)?,
            b'(' => {
                let close = group_end(b, i)?;
                let quantified = matches!(b.get(close + 1), Some(b'?' | b'*' | b'+' | b'{'));
                let Some(body) = plain_group_body(&a[i + 1..close]).filter(|_| !quantified) else {
                    break;
                };
                for alt in split_bars(body)? {
                    write_out(format!("{}{alt}{}", &a[..i], &a[close + 1..]), out)?;
                    if out.len() > MOST_BRANCHES {
                        return None;
                    }
                }
                return Some(());
            }
            _ => {}
        }
        i += 1;
    }
    out.push(a);
    Some(())
}

/// The index of the `)` closing the group that opens at `open`.
fn group_end(b: &[u8], open: usize) -> Option<usize> {
    let (mut depth, mut i) = (0usize, open);
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' => i = class_end(b, i)?,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A group's alternatives, when they are plain: the group's text without a non-capturing or
/// naming opener (`?:`, `?<name>`, `?P<name>`, `?'name'`), holding no group or class of its
/// own. Not a lookaround or an inline flag.
fn plain_group_body(inner: &str) -> Option<&str> {
    let body = match inner.strip_prefix('?') {
        None => inner,
        Some(rest) => {
            if let Some(b) = rest.strip_prefix(':') {
                b
            } else {
                let (open, close) = match rest.as_bytes().first()? {
                    b'<' if !rest.starts_with("<=") && !rest.starts_with("<!") => ("<", '>'),
                    b'P' if rest.starts_with("P<") => ("P<", '>'),
                    b'\'' => ("'", '\''),
                    _ => return None,
                };
                let named = &rest[open.len()..];
                &named[named.find(close)? + 1..]
            }
        }
    };
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'(' | b'[' | b')' => return None,
            _ => {}
        }
        i += 1;
    }
    Some(body)
}

/// One branch of an earlier regex location that is a plain string ([`Plain::whole`]):
/// every URI of its shape is taken by that location. Lowercased when the location is caseless.
/// Its string is a range of the block's [`Shadowers::lits`] (a string each made a block of
/// 64-branch patterns take 3.5 KB per location, 13 times its text).
struct Branch {
    start: bool,
    end: bool,
    at: u32,
    len: u32,
}

impl Branch {
    /// The branch's string, in `lits`.
    fn lit<'l>(&self, lits: &'l str) -> &'l str {
        &lits[self.at as usize..(self.at + self.len) as usize]
    }

    /// Does every URI matching `x` (a branch of a later pattern, lowercased for a caseless
    /// earlier location) match this branch (its string in `lits`)?
    fn covers(&self, x: &Plain, lits: &str) -> bool {
        let lit = self.lit(lits);
        if takes_every_uri(self.end, lit) {
            return true;
        }
        match (self.start, self.end) {
            (false, false) => x.lit.contains(lit) || x.runs.iter().any(|r| r.contains(lit)),
            (true, false) => x.start && x.lit.starts_with(lit),
            (false, true) => {
                (x.whole && x.end && x.lit.ends_with(lit))
                    || x.tail.as_ref().is_some_and(|t| t.ends_with(lit))
            }
            (true, true) => x.whole && x.start && x.end && x.lit == lit,
        }
    }
}

/// A regex location of a block, as a possible shadower of the others: its pattern as
/// written, and those of its branches that are plain strings.
struct Shadower<'p> {
    id: NodeId,
    caseless: bool,
    /// Its branches: a range of the block's [`Shadowers::branches`].
    branches: std::ops::Range<u32>,
    re: Cow<'p, str>,
}

/// `x` as a caseless location compares it: lowercased, made in `lower` when first needed.
fn lowered<'x>(x: &'x Plain, lower: &'x mut Option<Plain>) -> &'x Plain {
    lower.get_or_insert_with(|| Plain {
        lit: x.lit.to_ascii_lowercase(),
        runs: x.runs.iter().map(|r| r.to_ascii_lowercase()).collect(),
        tail: x.tail.as_ref().map(|t| t.to_ascii_lowercase()),
        ..*x
    })
}

impl Shadower<'_> {
    /// Does this location take every URI that branch `x` of another matches? `lower` is `x`
    /// lowercased, made when first needed; `block` holds the branches.
    fn covers(&self, x: &Plain, lower: &mut Option<Plain>, block: &Shadowers<'_>) -> bool {
        let x = if self.caseless { lowered(x, lower) } else { x };
        block.branches[self.branches.start as usize..self.branches.end as usize]
            .iter()
            .any(|b| b.covers(x, &block.lits))
    }

    /// How many branches it has.
    fn branch_count(&self) -> usize {
        self.branches.len()
    }
}

impl Shadowers<'_> {
    /// Do the strings of `s`'s branches hold no ASCII letter (so that case changes nothing
    /// of what they take)?
    fn letterless(&self, s: &Shadower<'_>) -> bool {
        self.branches[s.branches.start as usize..s.branches.end as usize]
            .iter()
            .all(|b| !b.lit(&self.lits).bytes().any(|c| c.is_ascii_alphabetic()))
    }
}

/// No position ([`LeastMatch`]'s answers and [`Covering::least`]'s).
const NONE: u32 = u32::MAX;

/// The plain-string branches of a block's regex locations of one case, by their shape (as
/// [`Branch::covers`] reads them), each with the least position among the block's regex
/// locations of one that holds it: the first location taking every URI of a branch `x` is
/// then found in time linear in `x`'s strings. Comparing `x` with every earlier location
/// instead made a block of thousands of regex locations quadratic (20,000 took 6 to 17 s).
struct Covering {
    /// `^...$`, by their string: `x` is that string.
    whole: foldhash::HashMap<String, u32>,
    /// `^...`: `x`'s string starts with one.
    starts: LeastMatch,
    /// `...$`, written backwards: `x`'s string, or its tail, ends with one.
    ends: LeastMatch,
    /// Neither: `x`'s string, or one of its runs, holds one.
    within: LeastMatch,
    /// No branch was added: nothing to look up (nor to lowercase `x` for).
    empty: bool,
    /// The least position of a branch that takes every URI ([`takes_every_uri`]).
    every: u32,
}

/// Does a branch of this literal, anchored at the end or not, match every URI? `^/`, `/`,
/// `^` and `.*` do: nginx's normalised URI always starts with `/` (held-out batch 160: a Moodle
/// guide's `location ~ ^/` before `~ \.php$`, which never ran; measured, PHP served as
/// source).
fn takes_every_uri(end: bool, lit: &str) -> bool {
    !end && (lit.is_empty() || lit == "/")
}

impl Default for Covering {
    fn default() -> Self {
        Covering {
            whole: foldhash::HashMap::default(),
            starts: LeastMatch::default(),
            ends: LeastMatch::default(),
            within: LeastMatch::default(),
            empty: true,
            every: NONE,
        }
    }
}

impl Covering {
    fn add(&mut self, b: &Branch, lits: &str, position: u32) {
        self.empty = false;
        let lit = b.lit(lits);
        if takes_every_uri(b.end, lit) {
            self.every = self.every.min(position);
            return;
        }
        match (b.start, b.end) {
            (true, true) => {
                let least = self.whole.entry(lit.to_owned()).or_insert(position);
                *least = (*least).min(position);
            }
            (true, false) => self.starts.insert(lit.bytes(), position),
            (false, true) => self.ends.insert(lit.bytes().rev(), position),
            (false, false) => self.within.insert(lit.bytes(), position),
        }
    }

    /// The least position of a location with a branch that covers `x` ([`Branch::covers`]);
    /// [`NONE`] when there is none.
    fn least(&self, x: &Plain) -> u32 {
        let mut least = self.every;
        let mut take = |p: Option<u32>| least = least.min(p.unwrap_or(NONE));
        if x.whole && x.start && x.end {
            take(self.whole.get(x.lit.as_str()).copied());
        }
        if x.start {
            take(self.starts.least_prefix(x.lit.bytes()));
        }
        if x.whole && x.end {
            take(self.ends.least_prefix(x.lit.bytes().rev()));
        }
        if let Some(tail) = &x.tail {
            take(self.ends.least_prefix(tail.bytes().rev()));
        }
        take(self.within.least_within(x.lit.as_bytes()));
        for run in &x.runs {
            take(self.within.least_within(run.as_bytes()));
        }
        least
    }
}

/// The regex locations of one block, in node order (a location's position is its index),
/// with what finds the first among them to take a URI.
struct Shadowers<'p> {
    list: Vec<Shadower<'p>>,
    /// Their branches, each location's in a run, and the branches' strings.
    branches: Vec<Branch>,
    lits: String,
    /// The branches of the caseless ones, lowercased, and of the others.
    caseless: Covering,
    sensitive: Covering,
    /// Each pattern's first position, and its first position among the caseless ones.
    same: foldhash::HashMap<Cow<'p, str>, (u32, u32)>,
    /// What is left of the block's budget for [`winners_among`]'s search ([`ONE_WINNER_WORK`]).
    work_left: std::cell::Cell<usize>,
}

impl<'p> Shadowers<'p> {
    /// The regex locations among `locations` (a block's, in node order).
    fn of(model: &Model<'p>, locations: &[NodeId]) -> Self {
        let mut block = Shadowers {
            list: Vec::new(),
            branches: Vec::new(),
            lits: String::new(),
            caseless: Covering::default(),
            sensitive: Covering::default(),
            same: foldhash::HashMap::default(),
            // Set once the block's branches are counted, below.
            work_left: std::cell::Cell::new(0),
        };
        for &id in locations {
            let Some((LocationKind::Regex { caseless }, re)) = location_head(model, id) else {
                continue;
            };
            let position = block.list.len() as u32;
            let first_branch = block.branches.len() as u32;
            for p in branches(&re)
                .unwrap_or_default()
                .iter()
                .map(|b| plain(b))
                // An empty string would match every URI; `^` alone is not worth judging.
                .filter(|p| p.whole && (!p.lit.is_empty() || p.end))
            {
                // Offsets are 32-bit: past 4 GB of written-out branches (never in a block
                // written by hand) a location shadows nothing, which misses findings but
                // makes none wrong.
                let Ok(at) = u32::try_from(block.lits.len() + p.lit.len())
                    .map(|end| end - p.lit.len() as u32)
                else {
                    break;
                };
                block.lits.push_str(&p.lit);
                if caseless {
                    block.lits[at as usize..].make_ascii_lowercase();
                }
                block.branches.push(Branch {
                    start: p.start,
                    end: p.end,
                    at,
                    len: p.lit.len() as u32,
                });
            }
            let covering = if caseless {
                &mut block.caseless
            } else {
                &mut block.sensitive
            };
            for b in &block.branches[first_branch as usize..] {
                covering.add(b, &block.lits, position);
            }
            let first = block.same.entry(re.clone()).or_insert((position, NONE));
            if caseless {
                first.1 = first.1.min(position);
            }
            block.list.push(Shadower {
                id,
                caseless,
                branches: first_branch..block.branches.len() as u32,
                re,
            });
        }
        let branches = block.branches.len();
        block
            .work_left
            .set(ONE_WINNER_WORK + ONE_WINNER_WORK_PER_BRANCH * branches);
        block.caseless.within.link();
        block.sensitive.within.link();
        block
    }

    /// The position of the first of these locations that takes every URI `x` matches, among
    /// the caseless ones only unless `sensitive_too`; [`NONE`] when none does. `lower` is
    /// `x` lowercased, made when first needed.
    fn first_taking(&self, x: &Plain, lower: &mut Option<Plain>, sensitive_too: bool) -> u32 {
        let caseless = if self.caseless.empty {
            NONE
        } else {
            self.caseless.least(lowered(x, lower))
        };
        if sensitive_too && !self.sensitive.empty {
            caseless.min(self.sensitive.least(x))
        } else {
            caseless
        }
    }
}

/// Does a prefix or exact location's string start with something no request URI starts with,
/// written by hand? A regex missing its `~` (`^/api`), a path missing its `/` (`health`,
/// `*.php`). Not an empty string (`location ""` matches every URI), nor template markup that
/// is replaced before nginx reads the file (`__PATH__/`, `{{ path }}`, `${PREFIX}/`,
/// `%%PATH%%`, an upper-case `SUBPATH/` a script substitutes).
fn misses_the_slash(name: &str) -> bool {
    let templated = |markers: &[&str]| markers.iter().any(|m| name.contains(m));
    match name.as_bytes().first() {
        Some(b'^' | b'(') => !templated(&["__", "{{", "${", "%%"]),
        Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'*') => {
            !templated(&["__", "{", "$", "%", "<", "@"])
        }
        _ => false,
    }
}

/// Does a prefix or exact location's string that starts with `/` hold regex syntax nginx
/// compares as plain text: a group of alternatives (`/.well-known/(acme-challenge|pki-validation)/`,
/// ownCloud's documented configuration, held-out batch 78: the challenge fell to `location /`
/// and its redirect, and validation failed), an escape (`\.`, `\d`), `.*` or `.+`, or a final
/// `$`? No request URI holds those. Template markup (`${PATH}`, `{{ path }}`) is left alone.
fn regex_written(name: &str) -> bool {
    // Most paths hold none of the bytes any of it needs: one pass says so.
    if !name
        .bytes()
        .any(|b| matches!(b, b'(' | b'\\' | b'.' | b'$'))
    {
        return false;
    }
    if !name.starts_with('/') || name.contains("${") || name.contains("{{") {
        return false;
    }
    let group = name.find('(').is_some_and(|open| {
        name[open..]
            .find(')')
            .is_some_and(|close| name[open..open + close].contains('|'))
    });
    let escape = name
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'\\' && matches!(w[1], b'.' | b'd' | b'w' | b's' | b'/'));
    group || escape || name.contains(".*") || name.contains(".+") || name.ends_with('$')
}

/// Does a prefix or exact location's string that starts with `/` hold a shell wildcard
/// (`/*.js`, `/servlets/*`), which nginx compares as plain text? No request URI a browser
/// sends holds a `*` there (Pi-hole's documented `location /*.js { auth_basic ...; }`,
/// held-out batch 457: measured with nginx 1.22.1, `/foo.js` went to `location /` without the
/// login; only the literal `/*.js` matched). Template markup is left alone.
fn glob_written(name: &str) -> bool {
    name.starts_with('/')
        && name.contains('*')
        && !["${", "{{", "<%", "{%"].iter().any(|t| name.contains(t))
}

/// A prefix or exact location whose string is a glob ([`glob_written`]).
fn glob_as_text(model: &Model<'_>, id: NodeId, kind: LocationKind, name: &str) -> Diagnostic {
    let (what, written) = kind_and_head(model, id, &kind);
    // `/*.js` is "files ending in `.js`"; other globs are the author's to translate.
    let under = name
        .strip_suffix('*')
        .filter(|p| p.ends_with('/') && !p.contains('*'));
    let ext = name
        .strip_prefix("/*.")
        .filter(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_alphanumeric()));
    let help = if let Some(prefix) = under {
        format!(
            "a prefix location already takes every URI that starts with it: drop the `*`, \
             `{prefix}`"
        )
    } else if let Some(ext) = ext {
        format!(
            "a location does not take wildcards: for files ending in `.{ext}`, make it a regex \
             location, `location ~ \\.{ext}$` (regex locations are tried after the prefixes, \
             in order)"
        )
    } else {
        "a location does not take wildcards: make it a regex location (`~`), where `*` of a \
         glob is `[^/]*`, and anchor it (`^`, `$`)"
            .to_owned()
    };
    Diagnostic::at_node(
        &RULE,
        model,
        id,
        format!(
            "`location {written}` never matches what it was written for: it is {what} \
             location, so nginx compares `{name}` as plain text, `*` included, and only a URI \
             holding a literal `*` there reaches it"
        ),
    )
    .help(help)
}

/// What kind of location `id` is, as a message says it, and its arguments as written.
fn kind_and_head(model: &Model<'_>, id: NodeId, kind: &LocationKind) -> (&'static str, String) {
    let what = if *kind == LocationKind::Exact {
        "an exact-match"
    } else {
        "a prefix"
    };
    (what, model.args_str(id).join(" "))
}

/// A prefix or exact location whose string does not start with `/`: no request URI starts
/// with it.
fn never_matches(model: &Model<'_>, id: NodeId, kind: LocationKind, name: &str) -> Diagnostic {
    let (what, written) = kind_and_head(model, id, &kind);
    // Regex syntax in the string: a regex location missing its `~`.
    let help = if name.starts_with(['^', '(']) || name.contains(['(', '|', '$', '*', '\\', '[']) {
        format!("it reads as a regex: make it a regex location with `location ~ {name}`")
    } else {
        format!("start it with `/`: `/{name}`")
    };
    Diagnostic::at_node(
        &RULE,
        model,
        id,
        format!(
            "`location {written}` never matches: it is {what} location, and every request URI \
             nginx matches locations against starts with `/`"
        ),
    )
    .help(help)
}

/// A prefix or exact location whose string is a regex ([`regex_written`]).
fn regex_as_text(model: &Model<'_>, id: NodeId, kind: LocationKind, name: &str) -> Diagnostic {
    let (what, written) = kind_and_head(model, id, &kind);
    let anchored = if kind == LocationKind::Exact {
        format!("^{}$", name.trim_end_matches('$'))
    } else {
        format!("^{name}")
    };
    Diagnostic::at_node(
        &RULE,
        model,
        id,
        format!(
            "`location {written}` never matches: it is {what} location, so nginx compares \
             `{name}` as plain text, and no request URI holds its regex syntax"
        ),
    )
    .help(format!(
        "make it a regex location: `location ~ {anchored}` (regex locations are tried after \
         the prefixes, in order; `^~` on a prefix location stops them)"
    ))
}

/// A prefix location without `^~` every URI of which a regex location of its block matches:
/// nginx remembers the longest prefix, then tries the regexes, and the first that matches wins
/// (`ngx_http_core_find_location`), so the prefix location never answers. The classic is the
/// ACME challenge under a dot-file rule: `location /.well-known/acme-challenge/` beside
/// `location ~ /\. { deny all; }` answers 403 to the certificate authority (held-out batch 72,
/// a WordPress site; measured). Not judged for a location with nested locations (a nested
/// regex is tried first).
fn prefix_under_regex<'a, 'p: 'a>(
    model: &Model<'p>,
    id: NodeId,
    name: &str,
    block: impl FnOnce() -> &'a Shadowers<'p>,
) -> Option<Diagnostic> {
    // `^~` written apart or joined to the name (`location ^~/static/`), as nginx reads it.
    if !name.starts_with('/')
        || location_match(model, id).is_some_and(|(m, _)| m == Modifier::PrefixNoRegex)
        || !model.children_named_slice(Some(id), "location").is_empty()
    {
        return None;
    }
    // Every URI under the prefix starts with it: a branch that is a plain string the prefix
    // contains (or, anchored with `^`, starts with) matches them all.
    let under = Plain {
        start: true,
        lit: name.to_owned(),
        whole: false,
        end: false,
        runs: vec![name.to_owned()],
        tail: None,
    };
    let block = block();
    let first = block.first_taking(&under, &mut None, true);
    let winner = block.list.get(first as usize)?;
    let file = model.file_of(id);
    let mut d = Diagnostic::at_node(
        &RULE,
        model,
        id,
        format!(
            "`location {name}` is never used: the regex location `{}` matches every URI under \
             it, and nginx prefers a matching regex to a prefix location without `^~`",
            winner.re
        ),
    )
    .label(Label::new(
        model.file_of(winner.id),
        model.node(winner.id).directive.head_span(),
        "this regex takes its URIs",
    ))
    .help(if name == "/" {
        // `^~ /` would stop every regex location of the block for every URI (held-out batch
        // 160: a Moodle site's rate limit, PHP handler and deny rules, measured): the regex
        // that takes every URI is what to change.
        format!(
            "the regex `{}` takes every URI: narrow it to the URIs it is meant for, or remove it \
             (`location ^~ /` would stop every regex location of the block instead)",
            winner.re
        )
    } else {
        format!(
            "write `location ^~ {name}` so that nginx tries no regex for its URIs, or keep them \
             out of the regex"
        )
    });
    // `location NAME` becomes `location ^~ NAME`: inserted before the name's token. Not for
    // `/`, the longest prefix of every URI.
    if name != "/"
        && let Some(token) = model.node(id).directive.arg_tokens().next()
    {
        d = d.fix(crate::fix::Fix::unsafe_(
            format!("Make it `location ^~ {name}`"),
            vec![crate::fix::Edit::insert(file, token.span().start, "^~ ")],
        ));
    }
    Some(d)
}

/// How many comparisons of one branch with another ([`Branch::covers`]) the searches of a
/// block for one location taking every branch of a later pattern may make in all: this many,
/// and [`ONE_WINNER_WORK_PER_BRANCH`] more per branch of the block's regex locations. Past
/// that (never in a block written by hand) a finding names the first location taking each
/// branch instead; the finding is the same. A block made so that hundreds of locations each
/// take all but the last branch of thousands of later patterns made the search take minutes
/// (300 such locations and 20,000 such patterns, 1.5 MB: 80 s).
const ONE_WINNER_WORK: usize = 1 << 20;
const ONE_WINNER_WORK_PER_BRANCH: usize = 4;

/// The positions of the earlier regex locations of `block` (before position `before`, and
/// the caseless ones only unless `sensitive_too`) that take every URI `later_re` matches: the
/// one with the same pattern, else one taking every branch, else for each branch the first
/// that takes it; `None` where some branch is taken by none (or the pattern is not read).
fn winners_among(
    block: &Shadowers<'_>,
    before: u32,
    sensitive_too: bool,
    later_re: &str,
) -> Option<Vec<u32>> {
    if let Some(&(any, caseless)) = block.same.get(later_re) {
        let first = if sensitive_too { any } else { caseless };
        if first < before {
            return Some(vec![first]);
        }
    }
    let later_branches = branches(later_re)?;
    let mut later: Vec<(Plain, Option<Plain>)> =
        later_branches.iter().map(|b| (plain(b), None)).collect();
    let mut firsts = Vec::with_capacity(later.len());
    for (x, lower) in &mut later {
        let first = block.first_taking(x, lower, sensitive_too);
        if first >= before {
            return None;
        }
        firsts.push(first);
    }
    // One location taking every branch comes no earlier than the last of the firsts.
    let from = *firsts.iter().max()?;
    let mut work = block.work_left.get();
    for q in from..before {
        // Each location passed over counts too.
        if work == 0 {
            block.work_left.set(0);
            return Some(per_branch(firsts));
        }
        work -= 1;
        let s = &block.list[q as usize];
        if !(sensitive_too || s.caseless) {
            continue;
        }
        let mut takes_all = true;
        for (x, lower) in &mut later {
            let cost = s.branch_count().max(1);
            if work < cost {
                block.work_left.set(0);
                return Some(per_branch(firsts));
            }
            work -= cost;
            if !s.covers(x, lower, block) {
                takes_all = false;
                break;
            }
        }
        if takes_all {
            block.work_left.set(work);
            return Some(vec![q]);
        }
    }
    block.work_left.set(work);
    Some(per_branch(firsts))
}

/// The first location taking each branch, once each, in order.
fn per_branch(mut firsts: Vec<u32>) -> Vec<u32> {
    firsts.sort_unstable();
    firsts.dedup();
    firsts
}

/// Runs by part ([`super::BY_PART`]): each block's locations are judged in the part holding
/// its first location, whichever parts the others are in, so that each block's regex
/// locations are read once ([`Shadowers`]).
fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &first in cx.directives_named("location") {
        let locations = model.children_named_slice(model.node(first).parent(), "location");
        if locations.first() == Some(&first) {
            judge_block(model, locations, &mut out);
        }
    }
    out
}

/// The locations this rule reports as never or hardly used, found a block at a time and kept:
/// another rule about such a location says nothing (`access-bypassed-by-regex` of a `deny`
/// regex an earlier one covers, `alias-traversal` of an alias no request reaches: one cause,
/// one finding).
#[derive(Default)]
pub(crate) struct Reported {
    /// A set per block: a block of thousands of locations, many reported, is asked about each
    /// (a list searched per location grew with the square of the block, caught by the
    /// rule-scaling sweep once `inherited-headers-dropped` asked).
    by_block: std::collections::HashMap<
        Option<NodeId>,
        std::collections::HashSet<(crate::semantics::include::FileId, crate::syntax::Span)>,
    >,
}

impl Reported {
    /// Does this rule report location `loc`?
    pub(crate) fn contains(&mut self, model: &Model<'_>, loc: NodeId) -> bool {
        let parent = model.node(loc).parent();
        let heads = self.by_block.entry(parent).or_insert_with(|| {
            let mut out = Vec::new();
            judge_block(
                model,
                model.children_named_slice(parent, "location"),
                &mut out,
            );
            out.iter()
                .map(|d| (d.primary.file, d.primary.span))
                .collect()
        });
        let head = (model.file_of(loc), model.node(loc).directive.head_span());
        heads.contains(&head)
    }
}

/// The findings about `locations`, a block's locations in node order.
fn judge_block<'p>(model: &Model<'p>, locations: &[NodeId], out: &mut Vec<Diagnostic>) {
    // Read when a location needs them; most blocks have no regex location.
    let block: std::cell::OnceCell<Shadowers<'p>> = std::cell::OnceCell::new();
    let block = || block.get_or_init(|| Shadowers::of(model, locations));
    let mut regex_here: Option<bool> = None;
    // The regex locations before the one judged: its position among them.
    let mut position = 0u32;
    for &later in locations {
        let (later_caseless, later_re) = match location_head(model, later) {
            Some((LocationKind::Regex { caseless }, re)) => (caseless, re),
            Some((kind @ (LocationKind::Prefix | LocationKind::Exact), name))
                if misses_the_slash(&name) =>
            {
                out.push(never_matches(model, later, kind, &name));
                continue;
            }
            Some((kind @ (LocationKind::Prefix | LocationKind::Exact), name))
                if regex_written(&name) =>
            {
                out.push(regex_as_text(model, later, kind, &name));
                continue;
            }
            Some((kind @ (LocationKind::Prefix | LocationKind::Exact), name))
                if glob_written(&name) =>
            {
                out.push(glob_as_text(model, later, kind, &name));
                continue;
            }
            Some((LocationKind::Prefix, name)) => {
                // Asked of the first arguments alone, without reading every location's
                // pattern: `~` and `~*` written apart or joined to the pattern (`~/(a|b)/`).
                let regex_here = *regex_here.get_or_insert_with(|| {
                    locations
                        .iter()
                        .any(|&l| model.arg_str(l, 0).is_some_and(|m| m.starts_with('~')))
                });
                if regex_here {
                    out.extend(prefix_under_regex(model, later, &name, block));
                }
                continue;
            }
            _ => continue,
        };
        let before = position;
        position += 1;
        if before == 0 {
            continue;
        }
        let block = block();
        // A case-sensitive `~` does not take every URI a caseless `~*` matches; where only such
        // ones take it, the later location still answers the URIs in another case (`.PHP`),
        // and only those: a `deny` there is bypassed in lower case (WordPress's uploads rule
        // after `~ \.php$`, held-out batch 72, measured).
        let (winners, case_only) = match winners_among(block, before, !later_caseless, &later_re) {
            Some(w) => (w, false),
            None if later_caseless => match winners_among(block, before, true, &later_re) {
                Some(w) => (w, true),
                None => continue,
            },
            None => continue,
        };
        let winners: Vec<&Shadower<'_>> =
            winners.iter().map(|&q| &block.list[q as usize]).collect();
        // A case-sensitive winner whose strings hold no letter (`~ /\.`) takes the URIs in
        // every case alike: the later location is never used (WordPress's `~* /\.htaccess`
        // after it, held-out batch 173, measured: `/.HTACCESS` went to the first).
        let case_only = case_only && !winners.iter().all(|w| w.caseless || block.letterless(w));
        let names: Vec<String> = winners.iter().map(|w| format!("`{}`", w.re)).collect();
        let by = match names.as_slice() {
            [one] => format!("the earlier regex location {one} matches every URI it matches"),
            [first @ .., last] => format!(
                "the earlier regex locations {} and {last} match every URI it matches",
                first.join(", ")
            ),
            [] => continue,
        };
        let written = model
            .arg(later, 0)
            .map_or_else(String::new, |m| format!("{m} {later_re}"));
        let message = if case_only {
            let by = by
                .replace(
                    " matches every URI it matches",
                    " takes every URI it matches",
                )
                .replace(" match every URI it matches", " take every URI it matches");
            format!(
                "`location {written}` is used only for URIs in another case: written as its \
                 pattern is, {by}, and nginx takes the first regex that matches"
            )
        } else {
            format!(
                "`location {written}` is never used: {by}, and nginx takes the first regex that \
                 matches"
            )
        };
        let mut d = Diagnostic::at_node(&RULE, model, later, message);
        for w in &winners {
            d = d.label(Label::new(
                model.file_of(w.id),
                model.node(w.id).directive.head_span(),
                "this regex wins first",
            ));
        }
        out.push(d.help(if winners.iter().any(|w| w.re == later_re) {
            "remove one of the two, or merge their contents"
        } else if winners.len() > 1 {
            "move it above the locations that take its URIs, or remove it"
        } else {
            "move the more specific location above the general one"
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::{MOST_BRANCHES, branches, plain, runs_of, unanchored};

    #[test]
    fn a_leading_any_prefix_is_dropped_where_it_changes_nothing() {
        assert_eq!(unanchored("^.*\\.php$".into()), "\\.php$");
        assert_eq!(unanchored("^.+\\.svg$".into()), "\\.svg$");
        assert_eq!(unanchored("^.+img/x$".into()), "img/x$");
        // `/x` may start at the URI's first byte, which `.+` cannot take.
        assert_eq!(unanchored("^.+/x$".into()), "^.+/x$");
        assert_eq!(unanchored("^.+\\/x$".into()), "^.+\\/x$");
        assert_eq!(unanchored("^.+(a|b)$".into()), "^.+(a|b)$");
        assert_eq!(unanchored("^/api/.+$".into()), "^/api/.+$");
    }

    #[test]
    fn branches_write_out_plain_groups_only() {
        let b = |re: &str| branches(re);
        assert_eq!(b("^/(a|b)(/|$)").unwrap(), ["^/a/", "^/a$", "^/b/", "^/b$"]);
        assert_eq!(
            b("^/x|\\.(?:js|css)$").unwrap(),
            ["^/x", "\\.js$", "\\.css$"]
        );
        // A `|` in a class or escaped splits nothing; a class, a lookahead, an inline flag
        // or a quantified group is left as written.
        assert_eq!(b("^/[|a]|\\|").unwrap(), ["^/[|a]", "\\|"]);
        for kept in [
            "^/(a|[bc])",
            "^/q(?=z)",
            "(?i)^/a",
            "^/y(/|x)?",
            "^/(a(b|c))",
        ] {
            assert_eq!(b(kept).unwrap(), [kept]);
        }
        assert_eq!(b("^/(?<name>a|b)x").unwrap(), ["^/ax", "^/bx"]);
        // Unbalanced, or too many to write out.
        assert!(b("^/(a|b").is_none() && b("^/a)").is_none());
        let wide = "(a|b|c|d)".repeat(4);
        assert!(4usize.pow(4) > MOST_BRANCHES && b(&wide).is_none());
    }

    #[test]
    fn plain_reads_anchors_and_stops_at_the_first_metacharacter() {
        let p = plain("^/app\\.css$");
        assert!(p.start && p.whole && p.end && p.lit == "/app.css");
        let p = plain("/api/v1");
        assert!(!p.start && p.whole && !p.end && p.lit == "/api/v1");
        let p = plain("\\.jpe?g$");
        assert!(!p.whole && p.lit == ".jp");
        let p = plain("^/a$/b");
        assert!(!p.whole && p.lit == "/a");
        // `{0,1}` may match none: the character before it is no part of the prefix.
        let p = plain("^/ab{0,1}c");
        assert!(!p.whole && p.lit == "/a");
    }

    #[test]
    fn runs_are_the_literals_every_match_contains() {
        let r = |re: &str| runs_of(re);
        assert_eq!(
            r("\\.worker-.*\\.ts$"),
            (
                vec![".worker-".to_owned(), ".ts".to_owned()],
                Some(".ts".to_owned())
            )
        );
        assert_eq!(r("/v[0-9]+/api/").0, ["/v", "/api/"]);
        // A quantified character, a group, a class end a run; what they hold is in none.
        assert_eq!(r("/ab?c(d|e)f[g]h").0, ["/a", "c", "f", "h"]);
        assert_eq!(r("/a\\d/b").0, ["/a", "/b"]);
        // No tail where the final `$` follows no literal, or is no final one.
        assert_eq!(r("\\.tss?$").1, None);
        assert_eq!(r("(a|b)$").1, None);
        assert_eq!(r("a$b").1, None);
        // An inline flag may change how the rest matches; an unclosed group says nothing.
        assert_eq!(r("/x(?i)/api"), (vec![], None));
        assert_eq!(r("/x(/api"), (vec![], None));
        // Named groups and lookarounds are no flags.
        assert_eq!(r("/x(?P<n>a)/api$").1, Some("/api".to_owned()));
        assert_eq!(r("/x(?=a)/api$").1, Some("/api".to_owned()));
    }
}
