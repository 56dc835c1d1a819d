//! Which values carry the percent-decoded request path into a URI nginx sends on unescaped:
//! a `proxy_pass` with variables sends its expanded URI as it is (`ngx_http_proxy_eval` takes
//! it verbatim), so `%3F` decoded into `$uri` reaches the upstream as `?`.
//!
//! Checked with nginx 1.22.1, a backend echoing `$request_uri`:
//! - `$uri`, `$document_uri`, numbered and named captures of a regex `location`, of a `rewrite`
//!   and of `if ($uri ~ ...)` are decoded: `/a%3Fb` arrives as `/a?b`;
//! - `set $p $1` escapes a numbered capture again (`/a%3Fb` stays), a named capture or `$uri`
//!   copied by `set` is not;
//! - after `rewrite ^ $request_uri;` the URI (and what later regexes capture from it) is the raw
//!   request path.

use foldhash::HashMap;
use std::cell::RefCell;
use std::rc::Rc;

use super::location::location_match;
use super::model::{Model, NodeId};
use super::regex::{Node, Regex};
use super::script::{Part, parts};
use super::taint::{DECODED, capture_sites};
use super::variables::{server_of, set_scope};

/// The bytes that change meaning when sent decoded in a path: `?` starts the query, `#` a
/// fragment, `%` a second round of decoding.
pub const PATH_META: &[u8] = b"?#%";

/// `rewrite ^ $request_uri` (any case, with or without a flag): the URI becomes the raw path.
pub fn is_raw_rewrite(model: &Model<'_>, r: NodeId) -> bool {
    model.name(r) == "rewrite"
        && model.arg(r, 0).as_deref() == Some("^")
        && model
            .arg(r, 1)
            .is_some_and(|v| v.eq_ignore_ascii_case("$request_uri"))
}

/// The innermost enclosing `location` of `at`.
pub fn enclosing_location(model: &Model<'_>, at: NodeId) -> Option<NodeId> {
    model.enclosing(at, "location")
}

const MAX_DEPTH: u32 = 6;

fn can_contain(node: &Node, bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| node.can_contain(b))
}

/// The `rewrite`s written directly in one block (a `location` or one of its `if`s), read once.
struct BlockRewrites {
    /// The first `rewrite ^ $request_uri`.
    first_raw: Option<NodeId>,
    /// The other `rewrite`s whose regex parses, in order, with it.
    regexes: Vec<(NodeId, Rc<Regex>)>,
}

/// The questions about decoded values for many `proxy_pass`es of one model. A location's
/// `rewrite`s are read once (not once per line that asks, which made a location of thousands
/// of lines quadratic), and what the `set`s and `map`s defining a variable can hold (which
/// depends only on the server whose requests read it, for a line's own variables) is kept per
/// server and name.
pub struct Decoded<'m, 'p> {
    model: &'m Model<'p>,
    bytes: &'static [u8],
    blocks: RefCell<HashMap<NodeId, Rc<BlockRewrites>>>,
    /// Per location: its first `rewrite ^ $request_uri`, its own or in one of its `if`s.
    first_raw: RefCell<HashMap<NodeId, Option<NodeId>>>,
    /// Can a `set` or `map` defining the variable hold the decoded path?
    defined: PerVariable,
    /// Can a `set` defining the variable hold a `/`?
    sets_slash: PerVariable,
}

/// Answers per (scope, [`set_scope`]: the server whose requests read the variable where it is
/// set somewhere; the variable's name; depth).
type PerVariable = RefCell<HashMap<(Option<NodeId>, String, u32), bool>>;

impl<'m, 'p> Decoded<'m, 'p> {
    /// Questions about values that can put one of `bytes` in a URI, decoded from the path.
    pub fn new(model: &'m Model<'p>, bytes: &'static [u8]) -> Self {
        Decoded {
            model,
            bytes,
            blocks: RefCell::default(),
            first_raw: RefCell::default(),
            defined: RefCell::default(),
            sets_slash: RefCell::default(),
        }
    }

    fn block(&self, b: NodeId) -> Rc<BlockRewrites> {
        if let Some(r) = self.blocks.borrow().get(&b) {
            return Rc::clone(r);
        }
        let model = self.model;
        let mut first_raw = None;
        let mut regexes = Vec::new();
        for &r in model.children_named_slice(Some(b), "rewrite") {
            if is_raw_rewrite(model, r) {
                first_raw = first_raw.or(Some(r));
            } else if let Some(re) = model.arg(r, 0).and_then(|p| Regex::parse(&p, false)) {
                regexes.push((r, Rc::new(re)));
            }
        }
        let block = Rc::new(BlockRewrites { first_raw, regexes });
        self.blocks.borrow_mut().insert(b, Rc::clone(&block));
        block
    }

    /// The `if` block directly inside `loc` that holds `at`, if any: its `rewrite`s run before
    /// `at` (when its condition holds), those of the location's other `if`s do not.
    fn if_of(&self, loc: NodeId, at: NodeId) -> Option<NodeId> {
        let model = self.model;
        model
            .ancestors(at)
            .take_while(|&a| a != loc)
            .find(|&a| model.node(a).parent() == Some(loc) && model.name(a) == "if")
    }

    /// The first `rewrite ^ $request_uri` of `loc` (its own or in its `if` blocks) before
    /// `at`, with whether it always runs before `at` (a direct child of the location, or in
    /// the same `if` as `at`).
    pub fn first_raw_rewrite(&self, loc: NodeId, at: NodeId) -> Option<(NodeId, bool)> {
        let known = self.first_raw.borrow().get(&loc).copied();
        let first = match known {
            Some(f) => f,
            None => {
                let model = self.model;
                let mut first = self.block(loc).first_raw;
                for &i in model.children_named_slice(Some(loc), "if") {
                    first = match (first, self.block(i).first_raw) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                self.first_raw.borrow_mut().insert(loc, first);
                first
            }
        };
        let r = first.filter(|&r| r < at)?;
        let p = self.model.node(r).parent();
        Some((r, p == Some(loc) || p == self.model.node(at).parent()))
    }

    /// Does the URI at `at` hold the decoded path (no `rewrite ^ $request_uri` that always
    /// runs before it)?
    fn uri_decoded(&self, at: NodeId) -> bool {
        let Some(loc) = enclosing_location(self.model, at) else {
            return true;
        };
        let before = |b: NodeId| self.block(b).first_raw.is_some_and(|r| r < at);
        if before(loc) {
            return false;
        }
        // A raw rewrite in an `if` runs before `at` always only when `at` is written in the
        // same `if`.
        let parent = self.model.node(at).parent();
        !parent.is_some_and(|p| {
            p != loc
                && self.model.name(p) == "if"
                && self.model.node(p).parent() == Some(loc)
                && before(p)
        })
    }

    /// The last regex `rewrite` before `at` in its location that has capture `n` (nginx's
    /// captures are those of the last regex that matched; a `rewrite` runs before the content
    /// handler).
    fn rewrite_regex(&self, at: NodeId) -> Option<(NodeId, Rc<Regex>)> {
        let loc = enclosing_location(self.model, at)?;
        let last_before = |b: NodeId| {
            let block = self.block(b);
            let n = block.regexes.partition_point(|&(r, _)| r < at);
            n.checked_sub(1).map(|i| block.regexes[i].clone())
        };
        let own = last_before(loc);
        let in_if = self.if_of(loc, at).and_then(last_before);
        match (own, in_if) {
            (Some(a), Some(b)) => Some(if a.0 > b.0 { a } else { b }),
            (a, b) => a.or(b),
        }
    }

    /// The first variable of `value` (evaluated at `at`) that can put one of the bytes there,
    /// decoded from the request path: `$uri`, `$1`, `$name`...
    pub fn decoded_var(&self, at: NodeId, value: &str) -> Option<String> {
        // Variables and captures all start with `$`: a literal holds nothing, and its server
        // is not looked up.
        if !value.contains('$') {
            return None;
        }
        self.value_decoded(at, value, 0, server_of(self.model, at))
    }

    /// `server`: the server whose request evaluates the value, whose `set`s ([`set_scope`])
    /// count for the variables the line reads; those their definitions read are asked of every
    /// server (`None`), as `taint::Carry` does, so that no answer is worked out again per
    /// server below the first level.
    fn value_decoded(
        &self,
        at: NodeId,
        value: &str,
        depth: u32,
        server: Option<NodeId>,
    ) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        for part in parts(value) {
            match part {
                Part::Lit(_) => {}
                Part::Capture(n) => {
                    if self.capture_decoded(at, n) {
                        return Some(format!("${n}"));
                    }
                }
                Part::Var(name) => {
                    if self.var_decoded(at, &name, depth, server) {
                        return Some(format!("${name}"));
                    }
                }
            }
        }
        None
    }

    fn capture_decoded(&self, at: NodeId, n: usize) -> bool {
        let (model, bytes) = (self.model, self.bytes);
        if let Some((r, re)) = self.rewrite_regex(at) {
            // The rewrite matched the URI as it was then.
            return re.group(n).is_some_and(|g| can_contain(&g.node, bytes)) && self.uri_decoded(r);
        }
        let Some(site) = capture_sites(model, at).into_iter().next() else {
            return false;
        };
        let Some(g) = site.regex.group(n) else {
            return false;
        };
        let subject_decoded = match &site.subject {
            None => true,
            Some(v) => DECODED.contains(&v.as_str()) && self.uri_decoded(site.node),
        };
        subject_decoded && can_contain(&g.node, bytes)
    }

    fn named_capture_decoded(&self, at: NodeId, name: &str) -> bool {
        for site in capture_sites(self.model, at) {
            let Some(g) = site
                .regex
                .group_named(name)
                .and_then(|n| site.regex.group(n))
            else {
                continue;
            };
            let subject_decoded = match &site.subject {
                None => true,
                Some(v) => DECODED.contains(&v.as_str()) && self.uri_decoded(site.node),
            };
            return subject_decoded && can_contain(&g.node, self.bytes);
        }
        false
    }

    fn var_decoded(&self, at: NodeId, name: &str, depth: u32, server: Option<NodeId>) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        if DECODED.contains(&name) {
            return self.uri_decoded(at);
        }
        if super::variables::is_builtin(name) {
            return false;
        }
        if self.named_capture_decoded(at, name) {
            return true;
        }
        let (scope, sites) = set_scope(self.model, name, server);
        let key = (scope, name.to_owned(), depth);
        if let Some(&known) = self.defined.borrow().get(&key) {
            return known;
        }
        let answer = self.definitions_decoded(name, depth, sites);
        self.defined.borrow_mut().insert(key, answer);
        answer
    }

    /// Can one of `sites` (the `set`s of `name` counted) or a `map` defining `name` hold the
    /// decoded path?
    fn definitions_decoded(&self, name: &str, depth: u32, sites: &[NodeId]) -> bool {
        let (model, bytes) = (self.model, self.bytes);
        for &s in sites {
            let Some(v) = model.arg(s, 1) else { continue };
            // `set` escapes numbered captures again; named ones and `$uri` it copies as they are.
            let hit = parts(&v).into_iter().any(|p| match p {
                Part::Var(n) => self.var_decoded(s, &n, depth + 1, None),
                _ => false,
            });
            if hit {
                return true;
            }
        }
        for m in super::variables::map_sites(model, name) {
            let subject = model.arg(m, 0).unwrap_or_default();
            let subject_decoded = subject
                .strip_prefix('$')
                .map(|s| {
                    s.trim_matches(|c| c == '{' || c == '}')
                        .to_ascii_lowercase()
                })
                .is_some_and(|v| DECODED.contains(&v.as_str()));
            if super::variables::map_values_any(
                model,
                m,
                |g| subject_decoded && g.is_some_and(|g| can_contain(g, bytes)),
                |v| self.var_decoded(m, v, depth + 1, None),
            ) {
                return true;
            }
        }
        false
    }

    /// Can variable part `part` of a value at `at` hold a `/` (so a variable written where
    /// the host goes may also carry a path)? Unknown sources count as yes, the values of the
    /// `set`s of `at`'s server are read.
    pub fn part_can_hold_slash(&self, at: NodeId, part: &Part, depth: u32) -> bool {
        // Only a variable's `set`s are read: the server is looked up for those alone.
        let server = match part {
            Part::Var(_) => server_of(self.model, at),
            _ => None,
        };
        self.part_can_hold_slash_in(at, part, depth, server)
    }

    fn part_can_hold_slash_in(
        &self,
        at: NodeId,
        part: &Part,
        depth: u32,
        server: Option<NodeId>,
    ) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        let model = self.model;
        match part {
            Part::Lit(s) => s.contains('/'),
            Part::Capture(n) => {
                if let Some((_, re)) = self.rewrite_regex(at) {
                    return re.group(*n).is_none_or(|g| g.node.can_contain(b'/'));
                }
                capture_sites(model, at)
                    .into_iter()
                    .next()
                    .and_then(|s| s.regex.group(*n).map(|g| g.node.can_contain(b'/')))
                    .unwrap_or(true)
            }
            Part::Var(name) => {
                if super::variables::is_builtin(name) {
                    return matches!(
                        name.as_str(),
                        "uri" | "document_uri" | "request_uri" | "request" | "request_filename"
                    ) || name.starts_with("http_")
                        || name.starts_with("arg_")
                        || name.starts_with("cookie_");
                }
                for site in capture_sites(model, at) {
                    if let Some(g) = site
                        .regex
                        .group_named(name)
                        .and_then(|n| site.regex.group(n))
                    {
                        return g.node.can_contain(b'/');
                    }
                }
                let (scope, sets) = set_scope(model, name, server);
                let key = (scope, name.clone(), depth);
                if let Some(&known) = self.sets_slash.borrow().get(&key) {
                    return known;
                }
                // Set nowhere: from a source not read here (a `map`), which may hold one. Set
                // only in other servers: empty in this one's requests.
                let set_nowhere = scope.is_none() && sets.is_empty();
                let answer = set_nowhere
                    || sets.iter().any(|&s| {
                        model.arg(s, 1).is_none_or(|v| {
                            parts(&v)
                                .iter()
                                .any(|p| self.part_can_hold_slash_in(s, p, depth + 1, None))
                        })
                    });
                self.sets_slash.borrow_mut().insert(key, answer);
                answer
            }
        }
    }
}

/// A `location`'s modifier and path, when it is a prefix location.
pub fn prefix_path(model: &Model<'_>, loc: NodeId) -> Option<String> {
    let (m, path) = location_match(model, loc)?;
    m.is_prefix().then_some(path)
}
