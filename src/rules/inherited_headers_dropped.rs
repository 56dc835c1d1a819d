//! `inherited-headers-dropped`: a level sets a list directive (`proxy_set_header`,
//! `add_header`, `fastcgi_param`...) and so silently loses every line its parent level had.
//!
//! nginx merges these lists all-or-nothing (nginx-semantics.md §2.3): a level with at least one
//! occurrence uses only its own lines; the parent's are used only when it has none. For
//! `add_header`/`add_trailer` nginx ≥ 1.29.3 adds `add_header_inherit` / `add_trailer_inherit`:
//! `merge` appends the parent's list, `off` inherits nothing.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::rc::Rc;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity, Text};
use crate::fix::{Edit, Fix, style};
use crate::semantics::directives::Version;
use crate::semantics::loadtime;
use crate::semantics::model::{FnvBuild, Model, NodeId};
use crate::syntax::End;

pub static RULE: Rule = Rule {
    id: "inherited-headers-dropped",
    summary: "a level's own `proxy_set_header`/`add_header`/`fastcgi_param`... lines replace \
              every inherited one, so the parent level's lines are silently dropped",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/inherited-headers-dropped.md"),
    check,
};

/// How a directive's first argument (the name) is compared.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Request header to the upstream (`proxy_set_header`, `grpc_set_header`).
    SetHeader,
    /// Response header / trailer (`add_header`, `add_trailer`).
    AddHeader,
    AddTrailer,
    /// Hidden upstream response header.
    HideHeader,
    /// FastCGI/uwsgi/SCGI parameter: names compare exactly.
    Param,
    /// `error_page`: one line handles several status codes; a code compares exactly.
    ErrorPage,
    /// `limit_conn` / `limit_req`: a line applies one shared-memory zone, compared exactly.
    LimitConn,
    LimitReq,
}

const DIRECTIVES: &[(&str, Kind)] = &[
    ("proxy_set_header", Kind::SetHeader),
    ("grpc_set_header", Kind::SetHeader),
    ("add_header", Kind::AddHeader),
    ("add_trailer", Kind::AddTrailer),
    ("fastcgi_param", Kind::Param),
    ("uwsgi_param", Kind::Param),
    ("scgi_param", Kind::Param),
    ("proxy_hide_header", Kind::HideHeader),
    ("error_page", Kind::ErrorPage),
    ("limit_conn", Kind::LimitConn),
    ("limit_req", Kind::LimitReq),
];

/// `add_header_inherit` / `add_trailer_inherit` appeared in 1.29.3.
const INHERIT_SINCE: Version = Version(1, 29, 3);

/// Request headers whose loss breaks proxying (WebSocket upgrade, keepalive, virtual hosts,
/// client address and scheme).
const CRITICAL_REQUEST: &[&str] = &[
    "upgrade",
    "connection",
    "host",
    "x-forwarded-proto",
    "x-forwarded-for",
];

/// Response headers that are security controls.
const SECURITY_RESPONSE: &[&str] = &[
    "strict-transport-security",
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
];

impl Kind {
    fn case_insensitive(self) -> bool {
        matches!(
            self,
            Kind::SetHeader | Kind::AddHeader | Kind::AddTrailer | Kind::HideHeader
        )
    }

    /// `add_header_inherit` / `add_trailer_inherit`, for the kinds nginx ≥ 1.29.3 lets merge.
    fn inherit_directive(self) -> Option<&'static str> {
        match self {
            Kind::AddHeader => Some("add_header_inherit"),
            Kind::AddTrailer => Some("add_trailer_inherit"),
            _ => None,
        }
    }

    fn is_critical(self, key: &str) -> bool {
        match self {
            Kind::SetHeader => CRITICAL_REQUEST.contains(&key),
            Kind::AddHeader => SECURITY_RESPONSE.contains(&key) || key.starts_with("cross-origin-"),
            // A lost connection or request rate limit is a lost protection.
            Kind::LimitConn | Kind::LimitReq => true,
            _ => false,
        }
    }

    /// "headers ... are not sent" and friends.
    fn noun(self, n: usize) -> &'static str {
        match (self, n == 1) {
            (Kind::Param, true) => "param",
            (Kind::Param, false) => "params",
            (Kind::AddTrailer, true) => "trailer",
            (Kind::AddTrailer, false) => "trailers",
            (Kind::ErrorPage, true) => "status code",
            (Kind::ErrorPage, false) => "status codes",
            (Kind::LimitConn | Kind::LimitReq, true) => "zone",
            (Kind::LimitConn | Kind::LimitReq, false) => "zones",
            (_, true) => "header",
            (_, false) => "headers",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Kind::AddHeader | Kind::AddTrailer => "added",
            Kind::HideHeader => "hidden",
            Kind::ErrorPage => "redirected",
            Kind::LimitConn | Kind::LimitReq => "limited",
            _ => "set",
        }
    }

    fn consequence(self, n: usize) -> &'static str {
        match (self, n == 1) {
            (Kind::SetHeader, true) => "is not sent to the upstream",
            (Kind::SetHeader, false) => "are not sent to the upstream",
            (Kind::AddHeader, true) => "is not added to responses",
            (Kind::AddHeader, false) => "are not added to responses",
            (Kind::AddTrailer, true) => "is not added",
            (Kind::AddTrailer, false) => "are not added",
            (Kind::HideHeader, true) => "is passed to the client again",
            (Kind::HideHeader, false) => "are passed to the client again",
            (Kind::Param, true) => "is not passed",
            (Kind::Param, false) => "are not passed",
            // nginx's built-in page, or an intercepted upstream's own (held-out batch 106:
            // with `proxy_intercept_errors on`, the upstream's 404 and 500 passed as they were).
            (Kind::ErrorPage, true) => {
                "is answered without that page here (nginx's built-in page, or the upstream's own)"
            }
            (Kind::ErrorPage, false) => {
                "are answered without those pages here (nginx's built-in pages, or the upstream's own)"
            }
            (Kind::LimitConn | Kind::LimitReq, true) => "is not applied here",
            (Kind::LimitConn | Kind::LimitReq, false) => "are not applied here",
        }
    }
}

/// `add_header_inherit` as nginx ≥ 1.29.3 sees it at a level.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inherit {
    On,
    Off,
    Merge,
}

/// The most dropped names a message gives (and lines the finding labels): past that, it says
/// how many more. Thousands of locations each dropping thousands of inherited lines made a
/// report of the square of the configuration's size.
const MOST_NAMED: usize = 12;

/// The most dropped lines the fix copies: past that, a copy at the level is no small edit
/// (the help's included file is the way), and thousands of levels each given thousands of
/// lines would make a file of the square of the configuration's size.
const MOST_COPIED: usize = 64;

struct Check<'m, 'p> {
    model: &'m Model<'p>,
    version: Version,
    name: &'static str,
    kind: Kind,
    /// The list of each level asked for, as the levels whose lines make it: thousands of
    /// locations ask for the same server and `http` levels, and share the one chain.
    chains: RefCell<HashMap<Option<NodeId>, Option<Rc<Chain>>, FnvBuild>>,
    /// `describe` of each level a dropped line comes from (the same parents again).
    described: RefCell<HashMap<Option<NodeId>, Rc<str>, FnvBuild>>,
    /// The keys of each inherited line, computed the first time a level inherits it.
    keys: RefCell<Keys>,
    /// What the levels below each level can lose of its own lines ([`Segment`]).
    segments: RefCell<HashMap<Option<NodeId>, Segment, FnvBuild>>,
    /// The distinct keys (and critical ones) of each chain of more than one level, by its
    /// address and a profile ([`Check::union`]).
    unions: RefCell<HashMap<(usize, u8), KeyCounts, FnvBuild>>,
    /// The same as `segments` for `error_page` ([`Codes`]).
    codes: RefCell<HashMap<Option<NodeId>, Codes, FnvBuild>>,
    /// What each `limit_req`/`limit_conn` zone counts, by zone name ([`Check::zone_key`]).
    zone_keys: std::cell::OnceCell<HashMap<String, Option<String>, FnvBuild>>,
    /// Each server's named locations, for the fix of `error_page` lines ([`Check::fix`]).
    named_locations: std::cell::OnceCell<NamedLocations<'m>>,
    /// The variables only `auth_request_set` sets ([`Check::auth_result_only`]).
    auth_results: std::cell::OnceCell<HashSet<String>>,
    /// [`sends_missing_files_away`] of each server asked (each location of thousands under
    /// a server with its own `error_page` asks).
    missing_sent_away: RefCell<HashMap<NodeId, bool, FnvBuild>>,
    /// [`crate::semantics::location::reached_by_error_page_only`] by (server, name): the
    /// locations of one name in a server share the answer.
    error_page_only: RefCell<HashMap<(Option<NodeId>, String), bool, FnvBuild>>,
    /// [`crate::semantics::location::first_rewrite_end`] of each block holding an `if` asked
    /// (thousands of `if`s of one block each read all its lines).
    rewrite_ends: RefCell<HashMap<NodeId, Option<NodeId>, FnvBuild>>,
    /// The locations `location-unreachable` reports, a block at a time.
    unreachable: RefCell<super::location_unreachable::Reported>,
    /// Whether the answer to `/` sends `Strict-Transport-Security`, by server
    /// ([`Check::front_page_sends_hsts`]), and the locations nginx picks for it.
    front_pages: RefCell<HashMap<NodeId, bool, FnvBuild>>,
    routes: crate::semantics::streaming::Routes,
    /// Whether each block asked has a regex location ([`Check::may_be_unreachable`]).
    regex_blocks: RefCell<HashMap<Option<NodeId>, bool, FnvBuild>>,
    /// The configuration has an `add_header_inherit` (or `add_trailer_inherit`) line: asked
    /// once, not per level.
    inherit_written: bool,
    /// The advice, the same for every finding of this directive.
    help: super::Text,
    /// The primary label's text, the same for every finding of this directive.
    replaces: Text,
    /// Only the message is shown ([`LintContext::brief`]): no labels, help or fix are built.
    brief: bool,
}

/// The `Host` header nginx sends by default from location `loc` (`$proxy_host`): the host of
/// its own `proxy_pass` URL, with the port where it is not the scheme's default; `None` where
/// the URL has a variable before its path.
fn pass_host_header(model: &Model<'_>, loc: NodeId) -> Option<String> {
    let pass = model
        .children_named_slice(Some(loc), "proxy_pass")
        .last()
        .copied()?;
    let url = model.arg_str(pass, 0)?;
    let lower = url.to_ascii_lowercase();
    let (rest, default_port) = if let Some(r) = lower.strip_prefix("http://") {
        (r, ":80")
    } else {
        (lower.strip_prefix("https://")?, ":443")
    };
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    if authority.is_empty() || authority.contains('$') || authority.starts_with("unix:") {
        return None;
    }
    Some(
        authority
            .strip_suffix(default_port)
            .unwrap_or(authority)
            .to_owned(),
    )
}

/// Does location `loc` serve files only ([`serves_files_only`](crate::semantics::location::serves_files_only)), with `try_files` ending in a
/// named location or a URI, no `root` in effect at all (nginx's `<prefix>/html`) and no
/// `alias`? Only nginx's stock pages are found there: every other request goes where the last
/// argument says.
fn misses_go_elsewhere_without_root(model: &Model<'_>, loc: NodeId) -> bool {
    let Some(&tf) = model.children_named_slice(Some(loc), "try_files").last() else {
        return false;
    };
    let n = model.arg_count(tf);
    n >= 2
        && model
            .arg_str(tf, n - 1)
            .is_some_and(|last| last.starts_with(['@', '/']))
        && model.children_named_slice(Some(loc), "alias").is_empty()
        && model.effective(Some(loc), "root").is_default()
        && crate::semantics::location::serves_files_only(model, loc)
}

/// Does location `loc` look for files in its server's `root` (no `root` or `alias` of its
/// own, or the same `root`)? Then a test of `$request_filename` at the server's level spoke
/// of the files it would serve.
fn shares_server_root(model: &Model<'_>, loc: NodeId, server: NodeId) -> bool {
    let own = |block: NodeId, name| {
        model
            .children_named_slice(Some(block), name)
            .last()
            .copied()
    };
    match (own(loc, "root"), own(loc, "alias")) {
        (None, None) => true,
        (Some(r), None) => {
            own(server, "root").and_then(|s| model.arg_str(s, 0)) == model.arg_str(r, 0)
        }
        _ => false,
    }
}

/// Does `server` send every request for a missing file elsewhere before choosing a location:
/// `if (!-e $request_filename)` or `!-f` at its level, ending with a `rewrite ... last` (or
/// another way out) whose pattern takes every path, or a `return`?
fn sends_missing_files_away(model: &Model<'_>, server: NodeId) -> bool {
    model
        .children_named_slice(Some(server), "if")
        .iter()
        .any(|&i| {
            let tests_file = model
                .if_condition(i)
                .is_some_and(|c| matches!(&*c, "!-e $request_filename" | "!-f $request_filename"));
            // A `rewrite` out of the block whose pattern takes every path (`^/(.*)$`), or a
            // `return`: no request for a missing file gets past it.
            let takes_all = |c: NodeId| match model.name(c) {
                "return" => true,
                "rewrite" => {
                    crate::semantics::location::rewrite_leaves_block(model, c)
                        && model.arg_str(c, 0).is_some_and(|re| {
                            crate::semantics::location::takes_every_path_but_root(&re)
                        })
                }
                _ => false,
            };
            tests_file && model.children(i).iter().any(|&c| takes_all(c))
        })
}

/// Can location `loc` answer a 404 of nginx's own, the kind an inherited `error_page 404`
/// handles? Not where an upstream answers and nginx passes its statuses on as they are (no
/// `*_intercept_errors on`: `error_page` applies to nginx's own errors only), nor where every
/// request leaves before a file is looked for (`try_files` ending in a URI or a named
/// location, a `rewrite ... last` that takes every path the location gets). FOSS-Wiki's
/// MediaWiki locations, held-out batch 99: measured, the server's `error_page 404` changed
/// nothing they answered.
fn may_answer_404(model: &Model<'_>, loc: NodeId) -> bool {
    use crate::semantics::location::{Modifier, location_match, rewrite_leaves_block};
    let ifs = model.children_named_slice(Some(loc), "if");
    let own = std::iter::once(loc).chain(ifs.iter().copied());
    for block in own {
        for &c in model.children(block) {
            let says_404 = |i: usize| model.arg_str(c, i).is_some_and(|a| a == "404");
            match model.name(c) {
                // Nested locations inherit the lines; `internal` answers outside requests 404.
                "location" | "internal" => return true,
                "return" if says_404(0) => return true,
                "try_files"
                    if model
                        .arg_str(c, model.arg_count(c).saturating_sub(1))
                        .is_some_and(|a| a == "=404") =>
                {
                    return true;
                }
                _ => {}
            }
        }
    }
    let direct = model.children(loc);
    // An upstream of a protocol that answers with statuses of its own.
    if let Some(&pass) = direct.iter().find(|&&c| {
        matches!(
            model.name(c),
            "proxy_pass" | "fastcgi_pass" | "uwsgi_pass" | "scgi_pass" | "grpc_pass"
        )
    }) {
        let handler = model.name(pass).trim_end_matches("_pass");
        let intercept = model.effective(Some(loc), &format!("{handler}_intercept_errors"));
        return intercept
            .nodes
            .first()
            .is_some_and(|&n| model.arg_str(n, 0).is_some_and(|v| v == "on"));
    }
    let leaves = |c: NodeId| match model.name(c) {
        // A file found is served, none sends the request elsewhere (`=404` is above).
        "try_files" => model
            .arg_str(c, model.arg_count(c).saturating_sub(1))
            .is_some_and(|a| !a.starts_with('=')),
        // A status of its own for every request.
        "return" => true,
        "rewrite" if rewrite_leaves_block(model, c) => {
            let Some(re) = model.arg_str(c, 0) else {
                return false;
            };
            crate::semantics::location::takes_every_path_but_root(&re)
                || match location_match(model, loc) {
                    // `location = /api.php { rewrite ^/api.php(.*)$ ... last; }`
                    Some((Modifier::Exact, path)) => {
                        regex_lite::Regex::new(&re).is_ok_and(|r| r.is_match(&path))
                    }
                    // The location's own pattern again.
                    Some((m, path)) if m.is_regex() => path == *re,
                    _ => false,
                }
        }
        _ => false,
    };
    !direct.iter().any(|&c| leaves(c))
}

/// [`crate::semantics::location::named_locations`]'s answer.
type NamedLocations<'m> =
    std::collections::HashMap<NodeId, std::collections::HashSet<std::borrow::Cow<'m, str>>>;

/// The keys lines set, as compared, interned: comparing indices needs no string copies.
#[derive(Default)]
struct Keys {
    /// Every distinct key (as compared), by index.
    names: Vec<String>,
    /// Each key's index (header names from the configuration: a seeded hasher, fast on short
    /// strings).
    interned: foldhash::HashMap<String, u32>,
}

impl Keys {
    /// The index of `key`, given one if new.
    fn intern(&mut self, key: &str) -> u32 {
        if let Some(&i) = self.interned.get(key) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(key.to_owned());
        self.interned.insert(key.to_owned(), i);
        i
    }

    fn name(&self, key: u32) -> &str {
        &self.names[key as usize]
    }
}

/// Buffers one `run` reuses at every level (a level with a finding used to allocate each).
#[derive(Default)]
struct Scratch {
    own_keys: Vec<u32>,
    /// A lowercased header name.
    lower: String,
    /// The segments of the list a level inherits, with their summaries for its profile.
    summaries: Vec<(Option<NodeId>, Rc<Summary>)>,
    /// The groups of the list a level keeps, by segment ([`Check::judge`]).
    kept: Vec<(u32, u32)>,
    /// Lines of the inherited list.
    places: Vec<Place>,
    firsts: Vec<u32>,
    outcome: Outcome,
    message: String,
}

/// What a level loses of the list it inherits: what its finding says.
#[derive(Default)]
struct Outcome {
    /// Lines dropped, and how many of them remove a header (an empty value).
    dropped: usize,
    empties: usize,
    /// Distinct keys lost; the first [`MOST_NAMED`] of them, each with the first line dropping
    /// it, in the list's order.
    lost: usize,
    named: Vec<(u32, NodeId)>,
    /// A lost key is critical ([`Kind::is_critical`]).
    critical: bool,
    /// The first [`MOST_NAMED`] dropped lines, each with its lost keys (a range of
    /// `label_keys`).
    labelled: Vec<(NodeId, u32, u32)>,
    label_keys: Vec<u32>,
    /// Every dropped line, in the list's order, when there are at most [`MOST_COPIED`].
    copied: Vec<NodeId>,
    /// The levels the dropped lines come from, nearest first.
    from: Vec<Rc<str>>,
}

impl Outcome {
    fn clear(&mut self) {
        self.dropped = 0;
        self.empties = 0;
        self.lost = 0;
        self.named.clear();
        self.critical = false;
        self.labelled.clear();
        self.label_keys.clear();
        self.copied.clear();
        self.from.clear();
    }
}

/// Kinds of inherited line that lose nothing at some levels: a level's profile is the kinds
/// that lose nothing there, and a line of such a kind is left out of what it drops. An
/// `add_header`/`add_trailer` line without `always`, at a level whose every response has a
/// status it is not added to ([`crate::semantics::headers::skips_unforced`]).
const UNFORCED: u8 = 1;
/// `add_header ETag ""`, at a level where `etag off` is in effect and nothing is passed to an
/// upstream ([`Check::no_etag_to_remove`]).
const ETAG_REMOVAL: u8 = 2;
/// `proxy_set_header X-Forwarded-Proto $scheme` (or `X-Forwarded-Scheme`, `X-Scheme`), in a
/// server that listens without TLS only ([`Check::plain_http_only`]).
const SCHEME: u8 = 4;
/// `add_header NAME $upstream_cache_status`, at a level where no cache is in effect: the
/// value is empty and nginx adds no header ([`Check::no_cache`]).
const CACHE_STATUS: u8 = 8;
/// `proxy_set_header Remote-User $user` (or `add_header`) whose value is only variables that
/// `auth_request_set` sets, at a level where no `auth_request` runs (`auth_request off;`): the
/// variables are empty there, and nginx sends no header with an empty value
/// ([`Check::no_auth_request`]; held-out batch 390, Frigate's `/api/login`).
const AUTH_RESULT: u8 = 16;
/// `add_header` of a header that guards a page (`X-Frame-Options`, `X-Content-Type-Options`,
/// `Strict-Transport-Security`, `Content-Security-Policy`...), at a location that answers
/// every request with its own `return` of a 2xx status and a fixed text (`return 200
/// "healthy\n";`): a few bytes of no markup, nothing to frame, sniff or script, and HSTS comes
/// with the site's other answers (held-out batch 483, a load balancer's `/nginx-health`;
/// measured, the headers missing there and present on `/`).
const PAGE_SECURITY: u8 = 32;

/// The headers [`PAGE_SECURITY`] reads (lowercase).
const PAGE_SECURITY_HEADERS: &[&str] = &[
    "content-security-policy",
    "content-security-policy-report-only",
    "cross-origin-embedder-policy",
    "cross-origin-opener-policy",
    "feature-policy",
    "permissions-policy",
    "referrer-policy",
    "strict-transport-security",
    "x-content-type-options",
    "x-download-options",
    "x-frame-options",
    "x-permitted-cross-domain-policies",
    "x-xss-protection",
];

/// The levels whose own lines make the list nginx ends up with at a level, nearest first:
/// one level's lines, or with `*_inherit merge` a level's and then its parent's list.
struct Chain {
    level: Option<NodeId>,
    rest: Option<Rc<Chain>>,
}

/// Distinct keys, and how many of them are critical.
type KeyCounts = (usize, usize);

/// One level's own lines as the levels below it see them, for the kinds whose lines each set
/// one key (all but `error_page`): made once per level, so that a level is judged from its own
/// lines and these, not by comparing its lines with every line it inherits (thousands of
/// levels each inheriting thousands of lines took seconds).
struct Segment {
    /// The lines some level can lose, in order.
    lines: Vec<Candidate>,
    /// The keys of all the lines, lost or not.
    keys: foldhash::HashSet<u32>,
    /// The profile bits some line's kind has.
    kinds: u8,
    /// By profile.
    summaries: Vec<(u8, Rc<Summary>)>,
}

/// One level's `error_page` lines as the levels below it see them: a level loses every line
/// naming a code it does not handle itself, so each code's lines are what it needs.
struct Codes {
    /// The lines.
    lines: Vec<NodeId>,
    /// Each code in the order of its first line (and its place there), with the places of
    /// the lines naming it.
    codes: Vec<(u32, Vec<u32>)>,
    /// Each code's index in `codes`.
    index: HashMap<u32, u32, FnvBuild>,
}

/// A line some level can lose.
#[derive(Clone, Copy)]
struct Candidate {
    /// Its place among its level's lines, and the line.
    pos: u32,
    node: NodeId,
    /// What a level must set to keep it: its key, or for a zone the key the zone counts.
    group: u32,
    /// Its key, as a finding names it.
    key: u32,
    /// Its kind, by profile bit ([`UNFORCED`], [`ETAG_REMOVAL`], [`SCHEME`], [`PAGE_SECURITY`]).
    kind: u8,
    /// It removes a header (an empty value).
    empty: bool,
}

/// A level's lines that levels of one profile can lose, grouped by what a level must set to
/// keep them.
#[derive(Default)]
struct Summary {
    /// In the order of their first line.
    groups: Vec<Group>,
    by_key: HashMap<u32, u32, FnvBuild>,
    lines: usize,
    empties: usize,
    /// Distinct keys, and how many of them are critical.
    keys: usize,
    critical: usize,
}

/// A line's place among its level's lines, its key and the line.
type Place = (u32, u32, NodeId);

/// The lines of one group.
#[derive(Default)]
struct Group {
    /// Each line, in order.
    lines: Vec<Place>,
    empties: usize,
    /// Its distinct keys, each with its first line.
    keys: Vec<Place>,
    critical: usize,
}

/// The first [`MOST_NAMED`] of `part` (a group's keys or its lines) of `groups` (lost groups
/// of one segment, in the order of their first line), in order, into `places` (and more after
/// them). Each group's first line comes before the first line of every later group, so those
/// are among the first [`MOST_NAMED`] of the first [`MOST_NAMED`] groups.
fn first_places<'g>(
    groups: impl Iterator<Item = &'g Group>,
    part: impl Fn(&'g Group) -> &'g [Place],
    places: &mut Vec<Place>,
) {
    places.clear();
    places.extend(
        groups
            .take(MOST_NAMED)
            .flat_map(|group| part(group).iter().take(MOST_NAMED).copied()),
    );
    places.sort_unstable();
}

impl Summary {
    fn of(segment: &Segment, profile: u8, kind: Kind, keys: &Keys) -> Summary {
        let mut s = Summary::default();
        let mut seen = foldhash::HashSet::default();
        for c in segment.lines.iter().filter(|c| c.kind & profile == 0) {
            let next = s.groups.len() as u32;
            let g = *s.by_key.entry(c.group).or_insert(next);
            if g == next {
                s.groups.push(Group::default());
            }
            let group = &mut s.groups[g as usize];
            group.lines.push((c.pos, c.key, c.node));
            s.lines += 1;
            if c.empty {
                group.empties += 1;
                s.empties += 1;
            }
            // A key is in one group only (a zone counts one key).
            if seen.insert(c.key) {
                group.keys.push((c.pos, c.key, c.node));
                s.keys += 1;
                if kind.is_critical(keys.name(c.key)) {
                    group.critical += 1;
                    s.critical += 1;
                }
            }
        }
        s
    }
}

impl<'m, 'p> Check<'m, 'p> {
    /// `brief`: [`LintContext::brief`].
    fn new(
        model: &'m Model<'p>,
        version: Version,
        brief: bool,
        name: &'static str,
        kind: Kind,
    ) -> Self {
        let mut help = format!(
            "nginx uses a level's own {name} lines instead of the inherited ones as soon as it has \
             one; repeat the inherited lines here, or keep them in a file included at every level"
        );
        if let Some(dir) = kind.inherit_directive()
            && version >= INHERIT_SINCE
        {
            help.push_str(&format!(" (or `{dir} merge;`)"));
        }
        Check {
            model,
            version,
            name,
            kind,
            chains: RefCell::default(),
            described: RefCell::default(),
            keys: RefCell::default(),
            segments: RefCell::default(),
            unions: RefCell::default(),
            codes: RefCell::default(),
            zone_keys: std::cell::OnceCell::new(),
            named_locations: std::cell::OnceCell::new(),
            auth_results: std::cell::OnceCell::new(),
            missing_sent_away: RefCell::default(),
            error_page_only: RefCell::default(),
            rewrite_ends: RefCell::default(),
            unreachable: RefCell::default(),
            regex_blocks: RefCell::default(),
            front_pages: RefCell::default(),
            routes: crate::semantics::streaming::Routes::default(),
            inherit_written: kind
                .inherit_directive()
                .is_some_and(|dir| !model.directives_named(dir).is_empty()),
            help: super::Text::from(help),
            replaces: format!("this `{name}` replaces the inherited list").into(),
            brief,
        }
    }
}

impl Check<'_, '_> {
    /// The occurrences at `level` that nginx accepts there (name, context, a first argument):
    /// the level's lines themselves unless one is left out.
    fn own(&self, level: Option<NodeId>) -> Cow<'_, [NodeId]> {
        let all = self.model.children_named_slice(level, self.name);
        let accepted = |n: NodeId| {
            self.model.spec(n).is_some()
                && self.model.node(n).directive.arg_tokens().next().is_some()
        };
        if all.iter().all(|&n| accepted(n)) {
            Cow::Borrowed(all)
        } else {
            Cow::Owned(all.iter().copied().filter(|&n| accepted(n)).collect())
        }
    }

    fn inherit_mode(&self, level: Option<NodeId>) -> Inherit {
        let Some(dir) = self.kind.inherit_directive() else {
            return Inherit::On;
        };
        // Read at any target: before 1.29.3 nginx refuses the directive (`unknown-directive`
        // says so), and a configuration that has one is written for a later nginx, whose merge
        // would keep the lines this rule would call dropped (held-out batch 208: `merge` at
        // the default target gave seven contradicting errors). Where the configuration has
        // none, nothing to look up per level (before 1.29.3 its default is no default).
        if !self.inherit_written {
            return Inherit::On;
        }
        let eff = self.model.effective(level, dir);
        let value = eff.nodes.last().and_then(|&n| self.model.arg_str(n, 0));
        match value.as_deref() {
            Some("off") => Inherit::Off,
            Some("merge") => Inherit::Merge,
            _ => Inherit::On,
        }
    }

    fn parent(&self, level: Option<NodeId>) -> Option<Option<NodeId>> {
        level.map(|l| self.model.node(l).parent())
    }

    /// The list nginx ends up with at `level` after merging, as the levels whose own lines
    /// make it (`None`: no lines).
    fn chain(&self, level: Option<NodeId>) -> Option<Rc<Chain>> {
        if let Some(c) = self.chains.borrow().get(&level) {
            return c.clone();
        }
        let own_empty = self.own(level).is_empty();
        let mode = self.inherit_mode(level);
        if own_empty
            && mode != Inherit::Off
            && let Some(parent) = self.parent(level)
        {
            // A level without lines of its own has its parent's list: asked again, it asks
            // the parent again (a binary search) instead of keeping an entry of its own (one
            // per server on a large configuration, ~4 MB at 50 MB).
            return self.chain(parent);
        }
        let c = if own_empty {
            // `off`, or the top level.
            None
        } else {
            let rest = if mode == Inherit::Merge {
                self.parent(level).and_then(|p| self.chain(p))
            } else {
                None
            };
            Some(Rc::new(Chain { level, rest }))
        };
        self.chains.borrow_mut().insert(level, c.clone());
        c
    }

    /// `describe` of a level dropped lines come from, kept: the same few parents are named
    /// in thousands of findings.
    fn describe_cached(&self, level: Option<NodeId>) -> Rc<str> {
        if let Some(d) = self.described.borrow().get(&level) {
            return d.clone();
        }
        let d: Rc<str> = self.describe(level).into();
        self.described.borrow_mut().insert(level, d.clone());
        d
    }

    /// `location /api`, `server`, `if ($arg_x)`; the top level of a fragment by its context.
    /// [`Model::describe_block`], but an `if` is shown as written and the top level names its
    /// context.
    fn describe(&self, level: Option<NodeId>) -> String {
        let model = self.model;
        match level {
            None => format!("top level ({})", model.block_context(None).name()),
            Some(b) if model.name(b) == "if" => {
                let span = model.node(b).directive.head_span();
                String::from_utf8_lossy(&model.src(b)[span.range()]).into_owned()
            }
            Some(b) => model.describe_block(Some(b)),
        }
    }

    /// Hands each key of line `n` to `key` (`lower` is a buffer for lowercased names).
    fn line_keys(&self, n: NodeId, lower: &mut String, mut key: impl FnMut(&str)) {
        let model = self.model;
        match self.kind {
            // `error_page code ... [=[response]] uri;`: every argument before the optional
            // `=response` and the URI is a status code (`ngx_http_core_error_page`).
            Kind::ErrorPage => {
                let count = model.arg_count(n);
                for i in 0..count.saturating_sub(1) {
                    if let Some(a) = model.arg_str(n, i)
                        && !a.starts_with('=')
                    {
                        key(&a);
                    }
                }
            }
            // `limit_req zone=name [burst=n] [nodelay | delay=n];`
            Kind::LimitReq => {
                let zone = (0..model.arg_count(n))
                    .filter_map(|i| model.arg_str(n, i))
                    .find_map(|a| a.strip_prefix("zone=").map(str::to_owned));
                if let Some(z) = zone {
                    key(&z);
                }
            }
            _ => {
                let name = model.arg_str(n, 0).unwrap_or_default();
                if self.kind.case_insensitive() && name.bytes().any(|b| b.is_ascii_uppercase()) {
                    lower.clear();
                    lower.push_str(&name);
                    lower.make_ascii_lowercase();
                    key(lower);
                } else {
                    key(&name);
                }
            }
        }
    }

    /// The kind of inherited line `n` by the levels where it loses nothing: `None` where it
    /// loses nothing anywhere, else its profile bit (0: it is lost wherever it is dropped).
    /// A dropped `add_header` line without `always` loses nothing at a level whose every
    /// response has a status it skips ([`crate::semantics::headers::fixed_status`]). A dropped
    /// `add_header NAME ""` (or `add_trailer`) loses nothing: nginx adds no header for an
    /// empty value. Except `ETag` and `Last-Modified`, which an empty value removes
    /// (`ngx_http_set_response_header`, `ngx_http_set_last_modified`); and a dropped removal of
    /// `ETag` loses nothing where `etag off` is in effect and the level passes nothing to an
    /// upstream: no ETag is there to remove (Discourse's static locations, measured: the same
    /// response headers with and without the line).
    fn kind_of(&self, n: NodeId) -> Option<u8> {
        let auth =
            if matches!(self.kind, Kind::SetHeader | Kind::AddHeader) && self.auth_result_only(n) {
                AUTH_RESULT
            } else {
                0
            };
        self.kind_of_value(n).map(|k| k | auth)
    }

    /// [`Check::kind_of`] but for [`AUTH_RESULT`].
    fn kind_of_value(&self, n: NodeId) -> Option<u8> {
        let model = self.model;
        match self.kind {
            Kind::SetHeader if self.keepalive_unused(n) => None,
            Kind::SetHeader if self.scheme_line(n) => Some(SCHEME),
            Kind::AddHeader | Kind::AddTrailer => {
                // A line without `always` is not added to a status outside nginx's list, and
                // the level may answer nothing else (`location @error { return 503 ...;
                // add_header ...; }`, local-ai-starter; measured: its 503 has the server's
                // `X-Frame-Options` neither way).
                let name = model.arg_str(n, 0).unwrap_or_default();
                // The bits of the line's kind that hold whatever its value.
                let mut kind = if crate::semantics::headers::has_always(model, n) {
                    0
                } else {
                    UNFORCED
                };
                if PAGE_SECURITY_HEADERS
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(&name))
                {
                    kind |= PAGE_SECURITY;
                }
                let value = model.arg_str(n, 1);
                // `$upstream_cache_status` is empty where no cache applies (held-out batch
                // 364, ContextForge's `/mcp` with `proxy_cache off`: measured, no header).
                if value.as_deref() == Some("$upstream_cache_status") {
                    return Some(kind | CACHE_STATUS);
                }
                if !value.is_some_and(|v| v.is_empty()) {
                    return Some(kind);
                }
                if name.eq_ignore_ascii_case("last-modified") {
                    Some(kind)
                } else if name.eq_ignore_ascii_case("etag") {
                    Some(if self.kind == Kind::AddHeader {
                        kind | ETAG_REMOVAL
                    } else {
                        kind
                    })
                } else {
                    None
                }
            }
            _ => Some(0),
        }
    }

    /// The profile of `level`: the bits of `kinds` whose lines lose nothing there.
    fn profile(&self, level: Option<NodeId>, kinds: u8) -> u8 {
        let mut profile = 0;
        if kinds & UNFORCED != 0
            && crate::semantics::headers::skips_unforced(self.model, level).is_some()
        {
            profile |= UNFORCED;
        }
        if kinds & ETAG_REMOVAL != 0 && self.no_etag_to_remove(level) {
            profile |= ETAG_REMOVAL;
        }
        if kinds & SCHEME != 0 && self.plain_http_only(level) {
            profile |= SCHEME;
        }
        if kinds & CACHE_STATUS != 0 && self.no_cache(level) {
            profile |= CACHE_STATUS;
        }
        if kinds & AUTH_RESULT != 0 && self.no_auth_request(level) {
            profile |= AUTH_RESULT;
        }
        if kinds & PAGE_SECURITY != 0 && self.answers_fixed_text(level) {
            profile |= PAGE_SECURITY;
        }
        profile
    }

    /// Does location `level` answer every request with its own `return` of a 2xx status and
    /// a text of no variable and no markup ([`PAGE_SECURITY`])?
    fn answers_fixed_text(&self, level: Option<NodeId>) -> bool {
        let model = self.model;
        let Some(r) = level
            .filter(|&l| model.name(l) == "location")
            .and_then(|l| crate::semantics::location::own_return(model, l))
        else {
            return false;
        };
        model.arg_count(r) == 2
            && crate::semantics::location::return_status(model, r)
                .is_some_and(|s| (200..300).contains(&s))
            && model.arg_str(r, 1).is_some_and(|t| !t.contains(['$', '<']))
    }

    /// Can `location-unreachable` report location `loc`: a regex location beside it, or a
    /// prefix of its own that does not start with `/`? Asked first, once per block: most
    /// blocks have neither, and that rule's judgment of a block is costlier.
    fn may_be_unreachable(&self, loc: NodeId) -> bool {
        let model = self.model;
        // The first byte of a location's first argument, past a quote: read from the token,
        // not unescaped (thousands of locations ask).
        let first_byte = |l: NodeId| {
            let t = model.node(l).directive.arg_tokens().next()?;
            t.text(model.src(l))
                .iter()
                .copied()
                .find(|&b| b != b'"' && b != b'\'')
        };
        let parent = model.node(loc).parent();
        let regex_beside = *self
            .regex_blocks
            .borrow_mut()
            .entry(parent)
            .or_insert_with(|| {
                model
                    .children_named_slice(parent, "location")
                    .iter()
                    .any(|&l| first_byte(l) == Some(b'~'))
            });
        regex_beside || first_byte(loc).is_some_and(|b| !b"/=^@~".contains(&b))
    }

    /// No `auth_request` subrequest runs at `level`: none in effect, or `auth_request off`.
    fn no_auth_request(&self, level: Option<NodeId>) -> bool {
        let model = self.model;
        model
            .effective(level, "auth_request")
            .nodes
            .first()
            .is_none_or(|&a| model.arg_str(a, 0).is_some_and(|v| v == "off"))
    }

    /// Is the value of line `n` (`proxy_set_header NAME VALUE`) nothing but variables that
    /// only `auth_request_set` lines set (`$user`, `$user$groups`)?
    fn auth_result_only(&self, n: NodeId) -> bool {
        let model = self.model;
        let results = self.auth_results.get_or_init(|| {
            // The variables `auth_request_set` sets, lower case, less those a `set` or a
            // `map` (its second argument) sets too: read once, not per line (thousands of
            // `$var` lines each read every `auth_request_set`).
            let defined = |directive: &str, at: usize| -> Vec<String> {
                model
                    .directives_named(directive)
                    .iter()
                    .filter_map(|&d| model.arg_str(d, at))
                    .filter_map(|v| v.strip_prefix('$').map(str::to_ascii_lowercase))
                    .collect()
            };
            let mut names: HashSet<String> = defined("auth_request_set", 0).into_iter().collect();
            for other in defined("set", 0).into_iter().chain(defined("map", 1)) {
                names.remove(&other);
            }
            names
        });
        if results.is_empty() {
            return false;
        }
        let Some(value) = model.arg_str(n, 1) else {
            return false;
        };
        variables_only(&value).is_some_and(|names| {
            names
                .iter()
                .all(|name| results.contains(&name.to_ascii_lowercase()))
        })
    }

    /// No cache is in effect at `level`: every `*_cache` directive's effective value is absent
    /// or `off`.
    fn no_cache(&self, level: Option<NodeId>) -> bool {
        let model = self.model;
        ["proxy_cache", "fastcgi_cache", "uwsgi_cache", "scgi_cache"]
            .iter()
            .all(|name| {
                model
                    .effective(level, name)
                    .nodes
                    .first()
                    .is_none_or(|&c| model.arg_str(c, 0).is_some_and(|v| v == "off"))
            })
    }

    /// `etag off` is in effect at `level` and it passes nothing to an upstream.
    fn no_etag_to_remove(&self, level: Option<NodeId>) -> bool {
        let model = self.model;
        let etag_off = model
            .effective(level, "etag")
            .nodes
            .first()
            .is_some_and(|&e| model.arg_str(e, 0).is_some_and(|v| v == "off"));
        etag_off
            && !crate::semantics::streaming::PASS_DIRECTIVES
                .iter()
                .any(|p| !model.children_named_slice(level, p).is_empty())
    }

    /// What the zone of `limit_req`/`limit_conn` line `line` counts (`limit_req_zone KEY
    /// zone=NAME:size`): `None` where the zone is not defined in the files checked. A dropped
    /// zone is replaced by a level's own zone counting the same key (`$binary_remote_addr`
    /// for both): the author set a limit of the same kind here, higher (an API's) or lower (a
    /// login's), on purpose (held-out batches 73 and 77, measured: only the level's own zone
    /// applies, as meant). Where a zone is not defined, what it counts is not known: a level
    /// that limits on its own is taken as meant. A zone counting something else
    /// (`$server_name` dropped for `$binary_remote_addr`) is a limit lost, and reported.
    fn zone_key(&self, line: NodeId) -> Option<&str> {
        let model = self.model;
        let mut zone = None;
        // A line's zone is its key as the list compares lines ([`Check::line_keys`]).
        self.line_keys(line, &mut String::new(), |k| zone = Some(k.to_owned()));
        // Each zone by the first definition naming it, made once: a search of the definitions
        // for each line made thousands of zones quadratic.
        let zones = self.zone_keys.get_or_init(|| {
            let directive = if self.kind == Kind::LimitReq {
                "limit_req_zone"
            } else {
                "limit_conn_zone"
            };
            let mut zones: HashMap<String, Option<String>, FnvBuild> = HashMap::default();
            for &z in model.directives_named(directive) {
                for i in 1..model.arg_count(z) {
                    if let Some(a) = model.arg_str(z, i)
                        && let Some(v) = a.strip_prefix("zone=")
                    {
                        let name = v.split(':').next().unwrap_or_default();
                        if !zones.contains_key(name) {
                            let key = model.arg_str(z, 0).map(|k| base_key(model, k));
                            zones.insert(name.to_owned(), key);
                        }
                    }
                }
            }
            zones
        });
        zones.get(&zone?)?.as_deref()
    }

    /// A dropped `Connection ""`, where no `upstream` block keeps connections (`keepalive`):
    /// the line only lets nginx reuse a kept upstream connection, and without a pool nginx
    /// closes each one whatever this header says (held-out batch 80: TubeSync's location
    /// proxying to a variable address over HTTP/1.0; measured, `Connection: close` instead of
    /// none, the same for the upstream).
    fn keepalive_unused(&self, n: NodeId) -> bool {
        let model = self.model;
        model
            .arg_str(n, 0)
            .is_some_and(|h| h.eq_ignore_ascii_case("connection"))
            && model.arg_str(n, 1).is_some_and(|v| v.is_empty())
            && model.directives_named("keepalive").is_empty()
    }

    /// `X-Forwarded-Proto $scheme` (or `X-Forwarded-Scheme`, `X-Scheme`): dropped in a server
    /// that listens without TLS only ([`Check::plain_http_only`]), it loses nothing.
    fn scheme_line(&self, n: NodeId) -> bool {
        let model = self.model;
        model.arg_str(n, 1).as_deref() == Some("$scheme")
            && model.arg_str(n, 0).is_some_and(|h| {
                ["x-forwarded-proto", "x-forwarded-scheme", "x-scheme"]
                    .iter()
                    .any(|k| h.eq_ignore_ascii_case(k))
            })
    }

    /// `level` is in a server that listens without TLS only: `$scheme` is `http` there, which
    /// is what an app assumes without the header; behind a TLS terminator, dropping it even
    /// lets the terminator's header through (held-out batch 71's HTTP-only server). A server
    /// whose `listen` lines are not all in view (none at all, a fragment; an include not read)
    /// is not judged.
    fn plain_http_only(&self, level: Option<NodeId>) -> bool {
        let model = self.model;
        let Some(server) = level.and_then(|l| {
            if model.name(l) == "server" {
                Some(l)
            } else {
                model.enclosing(l, "server")
            }
        }) else {
            return false;
        };
        let listens = model.children_named_slice(Some(server), "listen");
        !listens.is_empty()
            && !listens
                .iter()
                .any(|&l| crate::semantics::tls::is_tls_listen(model, l))
            && model.children_named_slice(Some(server), "ssl").is_empty()
            // A file that could not be read may hold a `listen ... ssl`.
            && !model.include_failed_at(Some(server))
    }

    /// A dropped `proxy_set_header` that only restates nginx's default for the target version
    /// loses nothing.
    fn compute_is_default_line(&self, n: NodeId, key: &str) -> bool {
        let value = self.model.arg_str(n, 1).unwrap_or_default();
        crate::semantics::versions::restates_proxy_default(key, &value, self.version)
            // `Authorization $http_authorization`: the client's header, which nginx passes
            // anyway (held-out batch 71, measured).
            || crate::semantics::headers::passes_client_header(key, &value)
    }

    /// The levels whose first line of this directive is among `lines` (the lines of a part
    /// of the model, or all of them), each once, in walk order: a level belongs to the part
    /// holding its first line, whichever parts its other lines are in.
    fn levels(&self, lines: &[NodeId]) -> Vec<Option<NodeId>> {
        let model = self.model;
        let mut levels: Vec<Option<NodeId>> = Vec::new();
        let mut last = None;
        for &n in lines {
            let level = model.node(n).parent();
            // A level's lines mostly come one after another: only a new level is looked up.
            if level.is_some()
                && level != last
                && model.children_named_slice(level, self.name).first() == Some(&n)
            {
                levels.push(level);
            }
            last = level;
        }
        levels
    }

    fn run(&self, levels: Vec<Option<NodeId>>, out: &mut Vec<Diagnostic>) {
        let mut scratch = Scratch::default();
        for level in levels {
            self.check_level(level, &mut scratch, out);
        }
    }

    fn check_level(&self, level: Option<NodeId>, scratch: &mut Scratch, out: &mut Vec<Diagnostic>) {
        let model = self.model;
        let own = self.own(level);
        let Some(&first) = own.first() else { return };
        // `limit_req off;` (meant as "no limit here") is refused by nginx (`invalid parameter
        // "off"`, invalid-parameter reports it): such a level never runs with any list, and
        // the fix would add the limit the author meant to lift (n8n's `/healthz`).
        if self.kind == Kind::LimitReq
            && own.iter().any(|&n| {
                !(0..model.arg_count(n))
                    .filter_map(|i| model.arg_str(n, i))
                    .any(|a| a.starts_with("zone="))
            })
        {
            return;
        }
        if self.inherit_mode(level) != Inherit::On {
            // `merge` keeps the parent's lines; `off` drops them on purpose.
            return;
        }
        // An `if` of a location that hands every other request to a named location (`try_files
        // /dev/null @api;`): the location's headers reach no response, so the `if` drops
        // nothing a client would get (held-out batch 142, PeerTube's CORS preflight `if`).
        if self.kind == Kind::AddHeader
            && let Some(b) = level.filter(|&b| model.name(b) == "if")
            && let Some(loc) = model.node(b).parent()
            && crate::semantics::location::every_request_handed_to(model, loc).is_some()
        {
            return;
        }
        // A location only `auth_request` subrequests reach: nginx never sends its response
        // headers to the client (held-out batch 378, WDQS's `/_check_auth`: measured). Nor
        // does its request need the app's forwarding headers where it hands the auth server
        // the original request's URL (`X-Original-URL`, `X-Original-URI`) and the client's
        // address (`X-Forwarded-For`, `X-Real-IP`) itself, as Authelia's documented auth
        // location does (held-out batch 391: `/internal/authelia/authz`; measured, the auth
        // server got what it reads). Without the address it is still reported: Rauthy's
        // `forward_auth` checks the session's IP (held-out batch 398: measured, a 403).
        // The cheap test of the level's own lines first: `auth_subrequest_only` reads its
        // server's `error_page`, `try_files` and `rewrite` lines, and asked of every
        // `proxy_set_header` location of a server of thousands it grew with their square
        // (the rule-scaling sweep: ×57 for 10× the input).
        if let Some(loc) = level.filter(|&l| model.name(l) == "location")
            && (matches!(self.kind, Kind::AddHeader | Kind::AddTrailer)
                || (self.kind == Kind::SetHeader && passes_original_url(model, &own)))
            && crate::semantics::access::auth_subrequest_only(model, loc)
        {
            return;
        }
        // A location that looks for files under nginx's default document root (no `root`
        // anywhere, no `alias`) and hands every miss on (`try_files $uri @proxy;`): its own
        // headers reach only nginx's stock pages, every other answer comes from where the
        // misses go (held-out batch 236, a Mastodon image with no files: measured, `/sw.js`
        // answered by `@proxy` with the server's `Strict-Transport-Security`).
        if self.kind == Kind::AddHeader
            && let Some(loc) = level.filter(|&l| model.name(l) == "location")
            && misses_go_elsewhere_without_root(model, loc)
        {
            return;
        }
        // An `if` after a `break` (or a `rewrite ... break` that takes every request) of its
        // block never runs: it drops nothing (held-out batch 223, a CORS preflight `if` after
        // `rewrite ^/api/(.*)$ /$1 break;`: measured, the location's header on every answer).
        // `break-skips-directives` reports the `if` itself.
        if let Some(b) = level.filter(|&b| model.name(b) == "if")
            && let Some(block) = model.node(b).parent()
            && matches!(model.name(block), "location" | "server")
            && self
                .rewrite_ends
                .borrow_mut()
                .entry(block)
                .or_insert_with(|| crate::semantics::location::first_rewrite_end(model, block))
                .is_some_and(|e| e < b)
        {
            return;
        }
        let Some(chain) = self.parent(level).and_then(|p| self.chain(p)) else {
            return;
        };
        // The level's own lines are compared here only: their keys are not kept.
        let own_keys = &mut scratch.own_keys;
        own_keys.clear();
        {
            let mut keys = self.keys.borrow_mut();
            for &n in own.iter() {
                self.line_keys(n, &mut scratch.lower, |key| own_keys.push(keys.intern(key)));
            }
            // An include of a stock parameter file at this level that found nothing (a file
            // copied out of its directory) sets what the packages' file sets: Friendica's PHP
            // location repeats `HTTPS` through its `include fastcgi_params;`. Any other
            // include here that read nothing (a missing file, a glob that matched none on
            // this machine) may repeat the inherited lines: the level's list is not known,
            // and it is not judged (held-out batch 78: ONLYOFFICE DocSpace's
            // `include server-static-headers*.conf;` adds the server's four headers again).
            // (Most programs have no include at all: then no level is asked.)
            let includes = if model.directives_named("include").is_empty() {
                &[][..]
            } else {
                model.children_named_slice(level, "include")
            };
            for &inc in includes
                .iter()
                .filter(|&&i| loadtime::include_unread(model, i))
            {
                let arg = model.arg_str(inc, 0).unwrap_or_default();
                let Some(stock) = loadtime::stock_lines(&arg, self.name) else {
                    return;
                };
                for name in stock {
                    own_keys.push(if self.kind.case_insensitive() {
                        keys.intern(&name.to_ascii_lowercase())
                    } else {
                        keys.intern(name)
                    });
                }
            }
        }
        // A level that decides its own framing: its own `Content-Security-Policy` with
        // `frame-ancestors` (browsers apply it instead of `X-Frame-Options`), or its own
        // `proxy_hide_header X-Frame-Options`. The inherited `X-Frame-Options` is left out on
        // purpose, and copying it would forbid the framing the level allows (held-out batch
        // 379: Langflow's iframe location, where the fix added `DENY`).
        if self.kind == Kind::AddHeader && level.is_some_and(|l| decides_framing(model, l)) {
            own_keys.push(self.keys.borrow_mut().intern("x-frame-options"));
        }
        // A CORS preflight answer (`if ($request_method = OPTIONS) { add_header ...; return
        // 204; }`): a browser reads only the `Access-Control-Allow-*` headers of it, so the
        // other inherited lines (`Cache-Control`, `Access-Control-Expose-Headers`, HSTS) lose
        // nothing there (held-out batch 303, an HLS server's preflight: measured, only the
        // 204 went without them). The `Allow-*` ones stay judged: without them the preflight
        // fails (batch 300).
        if self.kind == Kind::AddHeader
            && let Some(b) = level.filter(|&b| model.name(b) == "if")
            && answers_preflight(model, b)
        {
            let inherited = model.effective(model.node(b).parent(), "add_header");
            let mut keys = self.keys.borrow_mut();
            for &n in inherited.nodes {
                self.line_keys(n, &mut scratch.lower, |key| {
                    if !key.starts_with("access-control-allow-") {
                        own_keys.push(keys.intern(key));
                    }
                });
            }
        }
        // An inherited `Host` line with the value nginx sends by default here (`$proxy_host`,
        // the `proxy_pass` URL's host): nothing changes where it is dropped (held-out batch
        // 106, NVIDIA's API gateway: `Host api.openai.com` above `proxy_pass
        // https://api.openai.com`, measured the same Host either way).
        if self.name == "proxy_set_header"
            && let Some(l) = level.filter(|&l| model.name(l) == "location")
            && let Some(host) = pass_host_header(model, l)
        {
            let inherited = model.effective(model.node(l).parent(), "proxy_set_header");
            let mut host_lines = inherited
                .nodes
                .iter()
                .filter(|&&n| {
                    model
                        .arg_str(n, 0)
                        .is_some_and(|k| k.eq_ignore_ascii_case("host"))
                })
                .peekable();
            if host_lines.peek().is_some()
                && host_lines.all(|&n| {
                    model
                        .arg_str(n, 1)
                        .is_some_and(|v| v.eq_ignore_ascii_case(&host))
                })
            {
                own_keys.push(self.keys.borrow_mut().intern("host"));
            }
        }
        own_keys.sort_unstable();
        own_keys.dedup();
        let lost = if self.kind == Kind::ErrorPage {
            self.judge_codes(level, &chain, scratch)
        } else {
            self.judge(level, &own, &chain, scratch)
        };
        if !lost {
            return;
        }
        // A location `location-unreachable` reports (a regex no request reaches past an
        // earlier one that takes every path): what it would drop reaches no response, and
        // the cause is that finding's (held-out batch 394: measured, every answer carried the
        // headers said lost).
        if let Some(loc) = level.filter(|&l| model.name(l) == "location")
            && self.may_be_unreachable(loc)
            && self.unreachable.borrow_mut().contains(model, loc)
        {
            return;
        }
        let keys = self.keys.borrow();
        let keys = &*keys;
        let o = &scratch.outcome;
        let here = self.describe(level);
        let severity = if o.critical {
            Severity::Error
        } else {
            Severity::Warning
        };
        let count = o.lost;
        let message = &mut scratch.message;
        message.clear();
        message.push('`');
        message.push_str(&here);
        message.push_str("` sets ");
        message.push_str(self.name);
        message.push_str(", so the ");
        if count != 1 {
            write!(message, "{count} ").expect("writing to a String");
        }
        // Empty values dropped (`add_header ETag ""`) are lines that remove a header: all of
        // them, or some beside lines that add one.
        let (removals, mixed) = if self.kind == Kind::AddHeader {
            (
                o.empties == o.dropped,
                o.empties > 0 && o.empties < o.dropped,
            )
        } else {
            (false, false)
        };
        message.push_str(self.kind.noun(count));
        message.push(' ');
        message.push_str(if removals {
            "removed"
        } else if mixed {
            "added or removed"
        } else {
            self.kind.verb()
        });
        message.push_str(" in ");
        for (i, f) in o.from.iter().enumerate() {
            if i > 0 {
                message.push_str(" and ");
            }
            message.push('`');
            message.push_str(f);
            message.push('`');
        }
        message.push_str(" (");
        for (i, &(key, n)) in o.named.iter().enumerate() {
            if i > 0 {
                message.push_str(", ");
            }
            if self.kind.case_insensitive() {
                message.push_str(&model.arg_str(n, 0).unwrap_or_default());
            } else {
                message.push_str(keys.name(key));
            }
        }
        if count > MOST_NAMED {
            write!(message, " and {} more", count - MOST_NAMED).expect("writing to a String");
        }
        message.push_str(") ");
        message.push_str(match (removals, mixed, count == 1) {
            (true, _, true) => "is not removed from responses",
            (true, _, false) => "are not removed from responses",
            // Two or more lines, one of each kind.
            (false, true, _) => "no longer apply to responses",
            (false, false, _) => self.kind.consequence(count),
        });
        // Copied at its exact length; the buffer serves the next level.
        let mut diag =
            Diagnostic::at_node(&RULE, model, first, message.as_str()).severity(severity);
        diag.primary.text = self.replaces.clone();
        if self.brief {
            out.push(diag);
            return;
        }
        for &(n, from, to) in &o.labelled {
            const BEFORE: &str = "inherited `";
            const MIDDLE: &str = "` is dropped in `";
            let mut text;
            if self.kind.case_insensitive() {
                let what = model.arg_str(n, 0).unwrap_or_default();
                text = String::with_capacity(
                    BEFORE.len() + what.len() + MIDDLE.len() + here.len() + 1,
                );
                text.push_str(BEFORE);
                text.push_str(&what);
            } else {
                let lost_keys = &o.label_keys[from as usize..to as usize];
                let what_len: usize = lost_keys.iter().map(|&k| keys.name(k).len() + 1).sum();
                text = String::with_capacity(BEFORE.len() + what_len + MIDDLE.len() + here.len());
                text.push_str(BEFORE);
                for (i, &k) in lost_keys.iter().enumerate() {
                    if i > 0 {
                        text.push(' ');
                    }
                    text.push_str(keys.name(k));
                }
            }
            text.push_str(MIDDLE);
            text.push_str(&here);
            text.push('`');
            diag = diag.label(Label::at_node(model, n, text));
        }
        diag.help = Some(self.help.clone());
        let last = *own.last().expect("non-empty");
        if o.dropped <= MOST_COPIED
            && let Some(fix) = self.fix(last, &o.copied, &here)
        {
            diag = diag.fix(fix);
        }
        out.push(diag);
    }

    /// What `level` loses of `inherited`, for `error_page`, whose lines each name several
    /// status codes, into `scratch.outcome`: from the list's [`Codes`] and the level's own codes
    /// (`scratch.own_keys`), so that the work is the level's own codes and what its finding
    /// shows (at most [`MOST_COPIED`] dropped lines are looked at, to copy them). Whether it
    /// loses any.
    fn judge_codes(&self, level: Option<NodeId>, chain: &Chain, scratch: &mut Scratch) -> bool {
        let model = self.model;
        // `error_page` has no `*_inherit merge`: its lists are one level's lines.
        debug_assert!(chain.rest.is_none());
        let mut all = self.codes.borrow_mut();
        let codes = all
            .entry(chain.level)
            .or_insert_with(|| self.codes_of(chain.level));
        let inherited = &codes.lines;
        let keys = self.keys.borrow();
        let keys = &*keys;
        let own_keys = &*scratch.own_keys;
        // A status nginx raises before it chooses a location (497, plain HTTP to an HTTPS
        // port; 494-496) is answered with the server's `error_page` lines whatever a
        // location says: a location does not lose them.
        let settled_early = level.is_some_and(|l| model.name(l) != "server");
        // A named location only `error_page` sends requests to answers as an error page: no
        // `error_page` applies there unless `recursive_error_pages` is on, so it loses none
        // (held-out batch 339, Capistrano's `location @503`; measured: its own `error_page
        // 405` or none, a 500 got nginx's built-in page).
        // Only a named location can be one (most levels are not: no key made for them).
        if level.is_some_and(|l| {
            let Some(name) = model.arg_str(l, 0).filter(|a| a.starts_with('@')) else {
                return false;
            };
            let key = (model.enclosing(l, "server"), name.into_owned());
            *self
                .error_page_only
                .borrow_mut()
                .entry(key)
                .or_insert_with(|| crate::semantics::location::reached_by_error_page_only(model, l))
                && !crate::semantics::streaming::flag_on(
                    model,
                    &model.effective(Some(l), "recursive_error_pages"),
                )
        }) {
            return false;
        }
        // Nor does a location that serves files lose what it cannot answer: 502 and 504 come
        // from an upstream, 503 from one or a request limit; and where the server sends every
        // request for a missing file elsewhere first (`if (!-e $request_filename) { rewrite
        // ... last; }`), a 404 never arises in it (held-out batch 94: CodeIgniter's `.json`
        // location; measured, a missing `.json` went to `/index.php`). A 500 it can answer
        // (a file it fails to open).
        let files_only = level.filter(|&l| {
            model.name(l) == "location" && crate::semantics::location::serves_files_only(model, l)
        });
        let missing_sent_away = files_only.is_some_and(|l| {
            model.enclosing(l, "server").is_some_and(|server| {
                shares_server_root(model, l, server)
                    && *self
                        .missing_sent_away
                        .borrow_mut()
                        .entry(server)
                        .or_insert_with(|| sends_missing_files_away(model, server))
            })
        });
        // A location that cannot answer a 404 of nginx's own does not lose its page.
        let answers_404 = level
            .filter(|&l| model.name(l) == "location")
            .is_none_or(|l| may_answer_404(model, l));
        let limited = files_only.is_some_and(|l| {
            ["limit_req", "limit_conn"]
                .iter()
                .any(|d| !model.effective(Some(l), d).is_default())
        });
        // A location that answers every request with its own `return`, in the rewrite phase,
        // answers with that status alone: no access check (`auth_request`'s 401), file or
        // upstream status arises there (held-out batch 374, Venus OS's `location ~
        // ^/auth/generate-token { return 403; }` under a server's `error_page 401`: measured,
        // the same 403 with the auth subrequest's server down).
        // A `return` with a body text (`return 503 'Data reload in progress';`) sends that
        // text: no `error_page` applies to it, its own code included (held-out batch 378,
        // measured). A 413 (a body over `client_max_body_size`) arises once the location is
        // chosen, before its `return`.
        let location = level.filter(|&l| model.name(l) == "location");
        let returns = location
            .and_then(|l| crate::semantics::location::own_return(model, l))
            .and_then(|r| {
                let status = crate::semantics::location::return_status(model, r)?;
                let text = model.arg_count(r) >= 2 && !(300..400).contains(&status);
                Some((status, text))
            });
        // nginx's own 503 and 429 come from a request limit or a `return`, `try_files` or
        // `error_page` line naming them; an upstream's pass through as they are unless its
        // errors are intercepted (held-out batch 378, WDQS's `/_oauth_token_verify`: neither
        // arises there).
        let raises = |code: &str| {
            location.is_none_or(|l| crate::semantics::location::may_raise(model, l, code))
        };
        let cannot_answer = |name: &str| {
            returns
                .is_some_and(|(status, text)| name != "413" && (text || name != status.to_string()))
                || (matches!(name, "503" | "429" | "401") && !raises(name))
                || (settled_early && matches!(name, "494" | "495" | "496" | "497"))
                || (files_only.is_some()
                    && (matches!(name, "502" | "504") || (name == "503" && !limited)))
                || (name == "404" && (missing_sent_away || !answers_404))
        };
        let is_own = |k: &u32| own_keys.binary_search(k).is_ok() || cannot_answer(keys.name(*k));
        // The codes the list names that the level handles (its own, and those it cannot
        // answer).
        let handled = codes.codes.iter().filter(|(k, _)| is_own(k)).count();
        let lost = codes.codes.len() - handled;
        if lost == 0 {
            return false;
        }
        let o = &mut scratch.outcome;
        // (No code is critical: [`Kind::is_critical`].)
        o.clear();
        o.lost = lost;
        let lost_codes = || codes.codes.iter().filter(|(k, _)| !is_own(k));
        o.named.extend(
            lost_codes()
                .take(MOST_NAMED)
                .map(|(k, places)| (*k, inherited[places[0] as usize])),
        );
        // The first dropped lines are among the first of the codes lost first: those up to the
        // one whose first line is the twelfth such line (and any first named on that line).
        let (firsts, places) = (&mut scratch.firsts, &mut scratch.places);
        firsts.clear();
        places.clear();
        for (_, at) in lost_codes() {
            if firsts.last() != Some(&at[0]) {
                if firsts.len() == MOST_NAMED {
                    break;
                }
                firsts.push(at[0]);
            }
            places.extend(
                at.iter()
                    .take(MOST_NAMED)
                    .map(|&pos| (pos, 0, inherited[pos as usize])),
            );
        }
        places.sort_unstable();
        places.dedup();
        for &(_, _, n) in places.iter().take(MOST_NAMED) {
            let from = o.label_keys.len() as u32;
            let label_keys = &mut o.label_keys;
            self.line_keys(n, &mut scratch.lower, |k| {
                if let Some(&k) = keys.interned.get(k)
                    && !is_own(&k)
                {
                    label_keys.push(k);
                }
            });
            o.labelled.push((n, from, o.label_keys.len() as u32));
        }
        // Every dropped line, while there are at most MOST_COPIED of them.
        places.clear();
        for (_, at) in lost_codes() {
            // A code named on more lines than are copied settles it.
            places.extend(
                at.iter()
                    .take(MOST_COPIED + 1)
                    .map(|&pos| (pos, 0, inherited[pos as usize])),
            );
            if places.len() > 4 * MOST_COPIED {
                places.sort_unstable();
                places.dedup();
                if places.len() > MOST_COPIED {
                    break;
                }
            }
        }
        places.sort_unstable();
        places.dedup();
        // The exact number only up to MOST_COPIED + 1: past that it is said nowhere.
        o.dropped = places.len();
        if o.dropped <= MOST_COPIED {
            o.copied.extend(places.iter().map(|&(_, _, n)| n));
        }
        o.from.push(self.describe_cached(chain.level));
        true
    }

    /// The codes of `level`'s own `error_page` lines.
    fn codes_of(&self, level: Option<NodeId>) -> Codes {
        let mut codes = Codes {
            lines: self.own(level).into_owned(),
            codes: Vec::new(),
            index: HashMap::default(),
        };
        let mut keys = self.keys.borrow_mut();
        let mut lower = String::new();
        for (pos, &n) in codes.lines.iter().enumerate() {
            let pos = pos as u32;
            self.line_keys(n, &mut lower, |k| {
                let k = keys.intern(k);
                let next = codes.codes.len() as u32;
                let i = *codes.index.entry(k).or_insert(next);
                if i == next {
                    codes.codes.push((k, Vec::new()));
                }
                let places = &mut codes.codes[i as usize].1;
                if places.last() != Some(&pos) {
                    places.push(pos);
                }
            });
        }
        codes
    }

    /// What `level` (its lines `own`, their keys in `scratch.own_keys`) loses of the list
    /// `chain`, for the kinds whose lines each set one key, into `scratch.outcome`: each
    /// segment's [`Summary`] for the level's profile, less the groups the level keeps, so that
    /// the work is the level's own lines and what its finding shows. Whether it loses any.
    fn judge(
        &self,
        level: Option<NodeId>,
        own: &[NodeId],
        chain: &Rc<Chain>,
        scratch: &mut Scratch,
    ) -> bool {
        let profile = self.level_profile(level, chain);
        let summaries = &mut scratch.summaries;
        summaries.clear();
        let mut next = Some(chain);
        while let Some(c) = next {
            summaries.push((c.level, self.summary(c.level, profile)));
            next = c.rest.as_ref();
        }
        let summaries = &*summaries;
        let kept = &mut scratch.kept;
        kept.clear();
        {
            let keys = self.keys.borrow();
            if matches!(self.kind, Kind::LimitReq | Kind::LimitConn) {
                // A zone is kept by a zone of the level's counting the same key; every one, by
                // a zone of the level's that is not defined ([`Check::zone_key`]).
                for &line in own {
                    let Some(key) = self.zone_key(line) else {
                        return false;
                    };
                    for (i, (_, summary)) in summaries.iter().enumerate() {
                        if let Some(k) = keys.interned.get(key)
                            && let Some(&g) = summary.by_key.get(k)
                        {
                            kept.push((i as u32, g));
                        }
                    }
                }
            } else {
                for (i, (_, summary)) in summaries.iter().enumerate() {
                    kept.extend(
                        scratch
                            .own_keys
                            .iter()
                            .filter_map(|k| summary.by_key.get(k).map(|&g| (i as u32, g))),
                    );
                }
            }
        }
        kept.sort_unstable();
        kept.dedup();
        let kept = &*kept;
        let is_kept = |i: usize, g: usize| kept.binary_search(&(i as u32, g as u32)).is_ok();
        let o = &mut scratch.outcome;
        o.clear();
        // Lines dropped by segment.
        let dropped_in = |i: usize| {
            let summary = &summaries[i].1;
            summary.lines
                - kept
                    .iter()
                    .filter(|&&(s, _)| s as usize == i)
                    .map(|&(_, g)| summary.groups[g as usize].lines.len())
                    .sum::<usize>()
        };
        let dropped: usize = (0..summaries.len()).map(dropped_in).sum();
        if dropped == 0 {
            return false;
        }
        o.dropped = dropped;
        o.empties = summaries.iter().map(|(_, s)| s.empties).sum::<usize>()
            - kept
                .iter()
                .map(|&(i, g)| summaries[i as usize].1.groups[g as usize].empties)
                .sum::<usize>();
        let keys = self.keys.borrow();
        let keys = &*keys;
        // A key can be in more than one segment (only where lists merge, where a group is
        // a key): counted, named and kept once.
        let in_earlier = |i: usize, key: u32| {
            summaries[..i]
                .iter()
                .any(|(_, s)| s.by_key.contains_key(&key))
        };
        if summaries.len() == 1 {
            let summary = &summaries[0].1;
            o.lost = summary.keys;
            let mut critical = summary.critical;
            for &(_, g) in kept {
                let group = &summary.groups[g as usize];
                o.lost -= group.keys.len();
                critical -= group.critical;
            }
            o.critical = critical > 0;
        } else {
            let (all, critical) = self.union(chain, profile);
            let held = |k: &&u32| summaries.iter().any(|(_, s)| s.by_key.contains_key(k));
            let repeated = || scratch.own_keys.iter().filter(held);
            o.lost = all - repeated().count();
            o.critical = critical
                > repeated()
                    .filter(|&&k| self.kind.is_critical(keys.name(k)))
                    .count();
        }
        // The groups lost of segment `i`, in the order of their first line.
        let lost_groups = |i: usize| {
            summaries[i]
                .1
                .groups
                .iter()
                .enumerate()
                .filter(move |&(g, _)| !is_kept(i, g))
                .map(|(_, group)| group)
        };
        let places = &mut scratch.places;
        for i in 0..summaries.len() {
            if o.named.len() == MOST_NAMED {
                break;
            }
            let groups = lost_groups(i).filter(|group| i == 0 || !in_earlier(i, group.keys[0].1));
            first_places(groups, |group| &group.keys, places);
            let room = MOST_NAMED - o.named.len();
            o.named
                .extend(places.iter().take(room).map(|&(_, key, n)| (key, n)));
        }
        for i in 0..summaries.len() {
            if o.labelled.len() == MOST_NAMED {
                break;
            }
            first_places(lost_groups(i), |group| &group.lines, places);
            let room = MOST_NAMED - o.labelled.len();
            for &(_, key, n) in places.iter().take(room) {
                let at = o.label_keys.len() as u32;
                o.label_keys.push(key);
                o.labelled.push((n, at, at + 1));
            }
        }
        // Only `X-Frame-Options` is left out, by a level that repeats other lines of its
        // parent's: the author knows the lines are not inherited and lets the pages here be
        // framed (an embed widget; WeKnora's template says so in a comment).
        if self.kind == Kind::AddHeader
            && o.lost == 1
            && keys.name(o.named[0].0) == "x-frame-options"
            && self.repeats_one(chain, &scratch.own_keys)
        {
            return false;
        }
        // Only headers that do nothing on this level's answers are lost
        // ([`Check::no_effect_here`]).
        if self.kind == Kind::AddHeader
            && o.lost == o.named.len()
            && o.named
                .iter()
                .all(|&(k, _)| self.no_effect_here(keys.name(k), level))
        {
            return false;
        }
        // Only another spelling of the scheme is lost (`X-Forwarded-SSL`, `Front-End-Https`)
        // where the level sends `X-Forwarded-Proto` itself: the upstream still learns the
        // scheme (held-out batch 440: Sunbird's Keycloak and portal read only
        // `X-Forwarded-Proto`).
        if self.kind == Kind::SetHeader
            && o.lost == o.named.len()
            && o.named
                .iter()
                .all(|&(k, _)| SCHEME_SPELLINGS.contains(&keys.name(k)))
            && scratch
                .own_keys
                .iter()
                .any(|&k| keys.name(k) == "x-forwarded-proto")
        {
            return false;
        }
        if dropped <= MOST_COPIED {
            for i in 0..summaries.len() {
                places.clear();
                places.extend(lost_groups(i).flat_map(|group| group.lines.iter().copied()));
                places.sort_unstable();
                o.copied.extend(places.iter().map(|&(_, _, n)| n));
            }
        }
        for (i, &(segment, _)) in summaries.iter().enumerate() {
            if dropped_in(i) > 0 {
                let d = self.describe_cached(segment);
                if !o.from.contains(&d) {
                    o.from.push(d);
                }
            }
        }
        true
    }

    /// Does response header `name` (lowercase) change nothing on what `level` answers, so that
    /// losing it there loses nothing?
    /// - `X-XSS-Protection`: no browser acts on it any more (Chrome and Edge removed their XSS
    ///   auditors, Firefox never had one; held-out batch 438, an API's JSON answers).
    /// - `Strict-Transport-Security`, beside the server's answer to `/` that sends it: a
    ///   browser keeps the policy for the host from the pages it loads, whatever an API answer
    ///   or an asset says (held-out batch 399: three findings on a site's `/user` API and asset
    ///   locations judged pointless; measured, the pages sent it).
    /// - `Referrer-Policy` on a file no link leaves from (`robots.txt`, images, media, fonts:
    ///   held-out batch 437, PeerTube's `/robots.txt`).
    ///
    /// And any header on a WebSocket endpoint's answers (a path naming a socket, passing
    /// `Upgrade` on): the 101 carries no page, and `add_header` without `always` adds nothing
    /// to it (held-out batch 437, Janus's `/janus/ws`; measured, none of the server's headers
    /// on the 101 either way).
    fn no_effect_here(&self, name: &str, level: Option<NodeId>) -> bool {
        let model = self.model;
        let location = level.filter(|&l| model.name(l) == "location");
        if location.is_some_and(|l| crate::semantics::streaming::websocket_endpoint(model, l)) {
            return true;
        }
        match name {
            "x-xss-protection" => true,
            "strict-transport-security" => self.front_page_sends_hsts(level),
            "referrer-policy" => location.is_some_and(|l| serves_no_links(model, l)),
            _ => false,
        }
    }

    /// The profile of `level` for the kinds of line the segments of `chain` have.
    fn level_profile(&self, level: Option<NodeId>, chain: &Chain) -> u8 {
        let mut kinds = 0;
        let mut next = Some(chain);
        while let Some(c) = next {
            kinds |= self.with_segment(c.level, |s| s.kinds);
            next = c.rest.as_deref();
        }
        self.profile(level, kinds)
    }

    /// Does the answer to `/` of the server of location `level` send
    /// `Strict-Transport-Security` (the location nginx picks for `/`, or the server itself
    /// where none takes it: Jitsi's rooms are regex locations beside a server-level `root`;
    /// its own `add_header` lines or the ones it inherits)? Asked once per server.
    fn front_page_sends_hsts(&self, level: Option<NodeId>) -> bool {
        let model = self.model;
        let Some(server) = level
            .filter(|&l| model.name(l) == "location")
            .and_then(|l| model.enclosing(l, "server"))
        else {
            return false;
        };
        if let Some(&known) = self.front_pages.borrow().get(&server) {
            return known;
        }
        // The server itself answers `/` with its own files: a `root` of its own (nginx's
        // default `html` directory is no site's front page).
        let front = match self.routes.location_of(model, server, "/") {
            Some(Some(l)) => Some(l),
            Some(None) if !model.effective(Some(server), "root").is_default() => Some(server),
            _ => None,
        };
        let sends = front.is_some_and(|front| {
            model
                .effective(Some(front), "add_header")
                .nodes
                .iter()
                .any(|&n| {
                    crate::semantics::headers::sets_header(model, n, "strict-transport-security")
                })
        });
        self.front_pages.borrow_mut().insert(server, sends);
        sends
    }

    /// Does a key of `own_keys` name any line of `chain` (lost or not)?
    fn repeats_one(&self, chain: &Chain, own_keys: &[u32]) -> bool {
        let mut next = Some(chain);
        while let Some(c) = next {
            if self.with_segment(c.level, |s| own_keys.iter().any(|k| s.keys.contains(k))) {
                return true;
            }
            next = c.rest.as_deref();
        }
        false
    }

    /// The distinct keys of the lines of `chain` levels of `profile` can lose, and how many of
    /// them are critical, for a chain of more than one level (made once per chain and
    /// profile: each key is counted in the last segment naming it, so that a chain is the
    /// rest's count and its own level's keys the rest does not name).
    fn union(&self, chain: &Rc<Chain>, profile: u8) -> KeyCounts {
        let first = self.summary(chain.level, profile);
        let Some(rest) = &chain.rest else {
            return (first.keys, first.critical);
        };
        let address = (Rc::as_ptr(chain) as usize, profile);
        if let Some(&u) = self.unions.borrow().get(&address) {
            return u;
        }
        let (mut all, mut critical) = self.union(rest, profile);
        let mut rests = Vec::new();
        let mut next = Some(rest);
        while let Some(c) = next {
            rests.push(self.summary(c.level, profile));
            next = c.rest.as_ref();
        }
        let keys = self.keys.borrow();
        for group in &first.groups {
            for &(_, k, _) in &group.keys {
                if !rests.iter().any(|s| s.by_key.contains_key(&k)) {
                    all += 1;
                    critical += usize::from(self.kind.is_critical(keys.name(k)));
                }
            }
        }
        self.unions.borrow_mut().insert(address, (all, critical));
        (all, critical)
    }

    /// `f` of `level`'s [`Segment`] (made the first time it is asked for).
    fn with_segment<R>(&self, level: Option<NodeId>, f: impl FnOnce(&mut Segment) -> R) -> R {
        let mut segments = self.segments.borrow_mut();
        let segment = segments.entry(level).or_insert_with(|| self.segment(level));
        f(segment)
    }

    /// The [`Summary`] of `level`'s own lines for `profile` (made the first time it is asked
    /// for).
    fn summary(&self, level: Option<NodeId>, profile: u8) -> Rc<Summary> {
        self.with_segment(level, |segment| {
            let profile = profile & segment.kinds;
            if let Some((_, s)) = segment.summaries.iter().find(|(p, _)| *p == profile) {
                return s.clone();
            }
            let s = Rc::new(Summary::of(
                segment,
                profile,
                self.kind,
                &self.keys.borrow(),
            ));
            segment.summaries.push((profile, s.clone()));
            s
        })
    }

    /// The lines of `level` some level below it can lose.
    fn segment(&self, level: Option<NodeId>) -> Segment {
        let model = self.model;
        let mut segment = Segment {
            lines: Vec::new(),
            keys: foldhash::HashSet::default(),
            kinds: 0,
            summaries: Vec::new(),
        };
        let limits = matches!(self.kind, Kind::LimitReq | Kind::LimitConn);
        let mut lower = String::new();
        for (pos, &n) in self.own(level).iter().enumerate() {
            let mut key = None;
            {
                let mut keys = self.keys.borrow_mut();
                self.line_keys(n, &mut lower, |k| key = Some(keys.intern(k)));
            }
            // A line without a key (`limit_req` without `zone=`) is never lost.
            let Some(key) = key else { continue };
            segment.keys.insert(key);
            // A line restating nginx's default loses nothing.
            if self.name == "proxy_set_header"
                && self.compute_is_default_line(n, self.keys.borrow().name(key))
            {
                continue;
            }
            let Some(kind) = self.kind_of(n) else {
                continue;
            };
            let group = if limits {
                // A zone not defined in the files checked: what it counts is not known, and a
                // level that limits on its own is taken as meant.
                let Some(counted) = self.zone_key(n) else {
                    continue;
                };
                self.keys.borrow_mut().intern(counted)
            } else {
                key
            };
            segment.kinds |= kind;
            segment.lines.push(Candidate {
                pos: pos as u32,
                node: n,
                group,
                key,
                kind,
                empty: model.arg_str(n, 1).is_some_and(|v| v.is_empty()),
            });
        }
        segment
    }

    /// One insertion after the level's last line: a copy of each dropped line, as written.
    fn fix(&self, last: NodeId, dropped: &[NodeId], here: &str) -> Option<Fix> {
        let model = self.model;
        let anchor = model.node(last);
        if !matches!(anchor.directive.end(), End::Semicolon(_)) {
            return None;
        }
        if dropped.len() > MOST_COPIED {
            return None;
        }
        let file_id = model.file_of(last);
        let file = model.program.file(file_id);
        let mut lines: Vec<&str> = Vec::with_capacity(dropped.len());
        for &n in dropped {
            let node = model.node(n);
            if !matches!(node.directive.end(), End::Semicolon(_)) {
                return None;
            }
            // An `error_page` to a named location the level's server does not have: copied,
            // it would answer those errors 500 (`named-location-missing`) where nginx's own
            // error page answers now.
            if model.name(n) == "error_page"
                && let Some(target) = crate::semantics::location::named_target(model, n)
            {
                let named = self
                    .named_locations
                    .get_or_init(|| crate::semantics::location::named_locations(model));
                let server = model.enclosing(last, "server");
                if !server
                    .and_then(|s| named.get(&s))
                    .is_some_and(|names| names.contains(&*target))
                {
                    return None;
                }
            }
            let bytes = &model.src(n)[node.directive.span().range()];
            // Edits are text: a line that is not UTF-8 cannot be copied byte for byte.
            let text = std::str::from_utf8(bytes).ok()?;
            if !lines.contains(&text) {
                lines.push(text);
            }
        }
        let eol = style::line_ending(&file.src);
        let indent = style::indent_at(&file.src, anchor.directive.span().start).unwrap_or("");
        // What `style::insert_after` inserts for the joined lines (a line ending and the
        // anchor's indent before each), written in one buffer.
        let mut text = String::with_capacity(
            lines
                .iter()
                .map(|l| eol.len() + indent.len() + l.len())
                .sum(),
        );
        for line in &lines {
            text.push_str(eol);
            text.push_str(indent);
            text.push_str(line);
        }
        let at = style::after_trailing(&file.src, anchor.directive.span().end);
        // "Copy the N inherited NAME line(s) into HERE", at its exact length.
        let n = lines.len();
        let digits = n.checked_ilog10().unwrap_or(0) as usize + 1;
        let noun = if n == 1 { " line" } else { " lines" };
        let mut title = String::with_capacity(
            "Copy the ".len()
                + digits
                + " inherited ".len()
                + self.name.len()
                + noun.len()
                + " into ".len()
                + here.len(),
        );
        title.push_str("Copy the ");
        write!(title, "{n}").expect("writing to a String");
        title.push_str(" inherited ");
        title.push_str(self.name);
        title.push_str(noun);
        title.push_str(" into ");
        title.push_str(here);
        Some(Fix::unsafe_(title, vec![Edit::insert(file_id, at, text)]))
    }
}

/// Runs by part ([`super::BY_PART`]): a level is checked in the part holding its first line,
/// and what it inherits is looked up above it, in whichever part that is.
fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    // Only directives the configuration (the part) has can be dropped.
    let checks: Vec<(Check<'_, '_>, Vec<Option<NodeId>>)> = DIRECTIVES
        .iter()
        .filter(|&&(name, _)| !cx.directives_named(name).is_empty())
        .map(|&(name, kind)| {
            let check = Check::new(cx.model, cx.version, cx.brief, name, kind);
            let levels = check.levels(cx.directives_named(name));
            (check, levels)
        })
        .collect();
    // At most one finding per level: room for all of them at once, where growing by doubling
    // copied the findings a dozen times and held two copies at the peak (the largest rule's
    // list on a large configuration; pages never written stay unmapped).
    let mut out = Vec::with_capacity(checks.iter().map(|(_, levels)| levels.len()).sum());
    for (check, levels) in checks {
        check.run(levels, &mut out);
    }
    out
}

/// What a zone's key counts, through `map`s that only pick it or nothing: `$limit_per_user_final`
/// from `map $app $limit_per_user_final { "" $limit_per_user; default ""; }` counts
/// `$limit_per_user` (requests the map leaves out are not counted at all). Hypothesis's
/// configuration keys its zones so (held-out batch 185): a location's own zone on
/// `$limit_per_user` replaces the inherited ones on its derivatives, as meant (measured: its
/// own 20 r/s applied; the parent's 4 r/s, added back, throttled static files). Followed at
/// most four maps deep.
fn base_key(model: &Model<'_>, key: Cow<'_, str>) -> String {
    let mut key = key.into_owned();
    for _ in 0..4 {
        let Some(var) = key
            .strip_prefix('$')
            .filter(|v| v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            .map(str::to_owned)
        else {
            break;
        };
        let Some(values) = crate::semantics::variables::map_values_of(model, &var) else {
            break;
        };
        let mut picked: Option<String> = None;
        let mut only_one = true;
        for value in values {
            if value.is_empty() {
                continue;
            }
            if !value.starts_with('$') || picked.as_deref().is_some_and(|p| p != value) {
                only_one = false;
                break;
            }
            picked = Some(value);
        }
        match picked {
            Some(p) if only_one => key = p,
            _ => break,
        }
    }
    key
}

/// Does `level` decide its own framing: an own `add_header Content-Security-Policy` naming
/// `frame-ancestors`, or an own `proxy_hide_header X-Frame-Options`?
fn decides_framing(model: &Model<'_>, level: NodeId) -> bool {
    let header_is = |n: NodeId, name: &str| {
        model
            .arg_str(n, 0)
            .is_some_and(|a| a.eq_ignore_ascii_case(name))
    };
    model
        .children_named_slice(Some(level), "add_header")
        .iter()
        .any(|&n| {
            header_is(n, "Content-Security-Policy")
                && model
                    .arg_str(n, 1)
                    .is_some_and(|v| v.to_ascii_lowercase().contains("frame-ancestors"))
        })
        || model
            .children_named_slice(Some(level), "proxy_hide_header")
            .iter()
            .any(|&n| header_is(n, "X-Frame-Options"))
}

/// Is `if` block `b` a CORS preflight answer: `if ($request_method = OPTIONS)` whose block
/// returns 204 (or 200) without a body?
fn answers_preflight(model: &Model<'_>, b: NodeId) -> bool {
    let options = model.if_test(b).is_some_and(|t| {
        t.subject == "$request_method"
            && t.compared()
                .is_some_and(|(op, v)| op == "=" && v.trim_matches(['\'', '"']) == "OPTIONS")
    });
    options
        && model
            .children_named_slice(Some(b), "return")
            .iter()
            .any(|&r| {
                matches!(model.arg_str(r, 0).as_deref(), Some("204" | "200"))
                    && model.arg_str(r, 1).is_none_or(|body| body.is_empty())
            })
}

/// The names of the variables `value` is made of, when it is nothing else (`$user`,
/// `${user}$groups`); `None` for a value with any other text (`Bearer $token`).
fn variables_only(value: &str) -> Option<Vec<&str>> {
    let mut names = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        rest = rest.strip_prefix('$')?;
        let (name, after) = match rest.strip_prefix('{') {
            Some(braced) => {
                let end = braced.find('}')?;
                (&braced[..end], &braced[end + 1..])
            }
            None => {
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                (&rest[..end], &rest[end..])
            }
        };
        if name.is_empty() {
            return None;
        }
        names.push(name);
        rest = after;
    }
    (!names.is_empty()).then_some(names)
}

/// Do `own` (a level's `proxy_set_header` lines) hand the original request's URL
/// (`X-Original-URL`, `X-Original-URI`) and the client's address (`X-Forwarded-For`,
/// `X-Real-IP`) to the upstream?
fn passes_original_url(model: &Model<'_>, own: &[NodeId]) -> bool {
    let sets = |names: &[&str]| {
        own.iter().any(|&n| {
            model
                .arg_str(n, 0)
                .is_some_and(|name| names.iter().any(|h| name.eq_ignore_ascii_case(h)))
        })
    };
    sets(&["x-original-url", "x-original-uri"]) && sets(&["x-forwarded-for", "x-real-ip"])
}

/// Request headers that tell the upstream the client's scheme as `X-Forwarded-Proto` does
/// (lowercase).
const SCHEME_SPELLINGS: &[&str] = &[
    "x-forwarded-ssl",
    "x-forwarded-scheme",
    "front-end-https",
    "x-url-scheme",
];

/// Extensions of files no link leaves from: what a page's `Referrer-Policy` governs is the
/// requests its links and subresources make.
const NO_LINK_EXTENSIONS: &[&str] = &[
    "txt", "ico", "png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "mp4", "webm", "mp3", "m4a",
    "m4s", "ogg", "ogv", "oga", "wav", "flac", "mkv", "mov", "ts", "woff", "woff2", "ttf", "otf",
    "eot", "zip", "gz", "tar",
];

/// Does location `loc` name only files no link leaves from: `= /robots.txt`, `= /favicon.ico`,
/// a regex whose extensions are all [`NO_LINK_EXTENSIONS`] (`~* \.(png|jpg|mp4)$`)?
fn serves_no_links(model: &Model<'_>, loc: NodeId) -> bool {
    let count = model.arg_count(loc);
    let Some(path) = model.arg_str(loc, count.saturating_sub(1)) else {
        return false;
    };
    let modifier = if count > 1 {
        model.arg_str(loc, 0).unwrap_or_default()
    } else {
        Default::default()
    };
    let path = path.to_ascii_lowercase();
    if &*modifier == "=" {
        return path
            .rsplit_once('.')
            .is_some_and(|(_, ext)| NO_LINK_EXTENSIONS.contains(&ext));
    }
    if !modifier.starts_with('~') {
        return false;
    }
    // The words of the regex's last group of alternatives before `$` (`\.(png|jpg)$`).
    let Some(body) = path
        .strip_suffix('$')
        .and_then(|p| p.strip_suffix(')'))
        .and_then(|p| p.rsplit_once('('))
        .filter(|(before, _)| before.ends_with("\\."))
        .map(|(_, group)| group.trim_start_matches("?:"))
    else {
        return false;
    };
    !body.is_empty() && body.split('|').all(|ext| NO_LINK_EXTENSIONS.contains(&ext))
}
