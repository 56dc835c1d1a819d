//! `inherited-headers-dropped`: a level sets a list directive (`proxy_set_header`,
//! `add_header`, `fastcgi_param`...) and so silently loses every line its parent level had.
//!
//! nginx merges these lists all-or-nothing (nginx-semantics.md §2.3): a level with at least one
//! occurrence uses only its own lines; the parent's are used only when it has none. For
//! `add_header`/`add_trailer` nginx ≥ 1.29.3 adds `add_header_inherit` / `add_trailer_inherit`:
//! `merge` appends the parent's list, `off` inherits nothing.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
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
            (Kind::ErrorPage, true) => "gets nginx's built-in error page",
            (Kind::ErrorPage, false) => "get nginx's built-in error page",
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
    /// The effective list of each level asked for: thousands of locations ask for the same
    /// server and `http` levels, and share the one list.
    effective: RefCell<HashMap<Option<NodeId>, Rc<[NodeId]>, FnvBuild>>,
    /// `describe` of each level a dropped line comes from (the same parents again).
    described: RefCell<HashMap<Option<NodeId>, Rc<str>, FnvBuild>>,
    /// The keys of each inherited line, computed the first time a level inherits it.
    keys: RefCell<Keys>,
    /// `is_default_line` of each line asked for.
    defaults: RefCell<HashMap<NodeId, bool, FnvBuild>>,
    /// The advice, the same for every finding of this directive.
    help: super::Text,
    /// The primary label's text, the same for every finding of this directive.
    replaces: Text,
    /// Only the message is shown ([`LintContext::brief`]): no labels, help or fix are built.
    brief: bool,
}

/// The names each line sets, as compared, interned: inherited lines are compared at every
/// level below them, and comparing indices needs no string copies. Only the lines levels
/// inherit are keyed and kept (a level's own lines are keyed in passing), so that a part of
/// the model keeps the few lines its levels inherit, not every line of the configuration.
#[derive(Default)]
struct Keys {
    /// Per line keyed: its keys, a range of `flat`.
    ranges: HashMap<NodeId, (u32, u32), FnvBuild>,
    flat: Vec<u32>,
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

    /// The keys of line `n`, keyed before ([`Check::key_lines`]).
    fn of(&self, n: NodeId) -> &[u32] {
        let (start, end) = self.ranges[&n];
        &self.flat[start as usize..end as usize]
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
    dropped: Vec<NodeId>,
    /// Distinct dropped keys, with the first line dropping each.
    lost: Vec<(u32, NodeId)>,
    /// The keys in `lost` (a level inheriting thousands of lines searched the list for each).
    lost_keys: foldhash::HashSet<u32>,
    from: Vec<Rc<str>>,
    message: String,
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
            effective: RefCell::default(),
            described: RefCell::default(),
            keys: RefCell::default(),
            defaults: RefCell::default(),
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
        if self.version < INHERIT_SINCE {
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

    /// The list nginx ends up with at `level` after merging, in nginx's order.
    fn effective(&self, level: Option<NodeId>) -> Rc<[NodeId]> {
        if let Some(e) = self.effective.borrow().get(&level) {
            return e.clone();
        }
        let own = self.own(level);
        let mode = self.inherit_mode(level);
        if own.is_empty()
            && mode != Inherit::Off
            && let Some(parent) = self.parent(level)
        {
            // A level without lines of its own has its parent's list: asked again, it asks
            // the parent again (a binary search) instead of keeping an entry of its own (one
            // per server on a large configuration, ~4 MB at 50 MB).
            return self.effective(parent);
        }
        let e = self.compute_effective(level, own, mode);
        self.effective.borrow_mut().insert(level, e.clone());
        e
    }

    fn compute_effective(
        &self,
        level: Option<NodeId>,
        own: Cow<'_, [NodeId]>,
        mode: Inherit,
    ) -> Rc<[NodeId]> {
        if mode == Inherit::Off {
            return own.into();
        }
        let inherited = || {
            self.parent(level)
                .map_or_else(|| Rc::from(Vec::new()), |p| self.effective(p))
        };
        if own.is_empty() {
            inherited()
        } else if mode == Inherit::Merge {
            let mut all = own.into_owned();
            all.extend(inherited().iter().copied());
            all.into()
        } else {
            own.into()
        }
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

    /// Key each of `lines` not keyed yet.
    fn key_lines(&self, lines: &[NodeId]) {
        let mut keys = self.keys.borrow_mut();
        let keys = &mut *keys;
        let mut lower = String::new();
        for &n in lines {
            if keys.ranges.contains_key(&n) {
                continue;
            }
            let start = keys.flat.len() as u32;
            self.line_keys(n, &mut lower, |key| {
                let i = keys.intern(key);
                keys.flat.push(i);
            });
            keys.ranges.insert(n, (start, keys.flat.len() as u32));
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

    /// A dropped line that only restates nginx's default, computed once per line (keyed
    /// before).
    fn is_default_line(&self, n: NodeId, keys: &Keys) -> bool {
        if self.name != "proxy_set_header" {
            return false;
        }
        if let Some(&d) = self.defaults.borrow().get(&n) {
            return d;
        }
        let own = keys.of(n);
        let d = own.len() == 1 && self.compute_is_default_line(n, keys.name(own[0]));
        self.defaults.borrow_mut().insert(n, d);
        d
    }

    /// A dropped `add_header` line without `always` loses nothing at a level whose every
    /// response has a status it skips ([`crate::semantics::headers::fixed_status`]). A dropped
    /// `add_header NAME ""` (or `add_trailer`) loses nothing: nginx adds no header for an
    /// empty value. Except `ETag` and `Last-Modified`, which an empty value removes
    /// (`ngx_http_set_response_header`, `ngx_http_set_last_modified`); and a dropped removal of
    /// `ETag` loses nothing where `etag off` is in effect and the level passes nothing to an
    /// upstream: no ETag is there to remove (Discourse's static locations, measured: the same
    /// response headers with and without the line).
    fn drops_nothing(&self, n: NodeId, level: Option<NodeId>) -> bool {
        let model = self.model;
        if self.kind == Kind::SetHeader {
            return self.scheme_only_http(n, level) || self.keepalive_unused(n);
        }
        if matches!(self.kind, Kind::LimitReq | Kind::LimitConn) {
            return self.limit_replaced(n, level);
        }
        if !matches!(self.kind, Kind::AddHeader | Kind::AddTrailer) {
            return false;
        }
        // A line without `always` is not added to a status outside nginx's list, and the
        // level answers nothing else (`location @error { return 503 ...; add_header ...; }`,
        // local-ai-starter; measured: its 503 has the server's `X-Frame-Options` neither
        // way).
        if crate::semantics::headers::not_added_at(model, n, level).is_some() {
            return true;
        }
        if !model.arg_str(n, 1).is_some_and(|v| v.is_empty()) {
            return false;
        }
        let name = model.arg_str(n, 0).unwrap_or_default();
        if name.eq_ignore_ascii_case("last-modified") {
            return false;
        }
        if name.eq_ignore_ascii_case("etag") {
            let etag_off = model
                .effective(level, "etag")
                .nodes
                .first()
                .is_some_and(|&e| model.arg_str(e, 0).is_some_and(|v| v == "off"));
            let passes = crate::semantics::streaming::PASS_DIRECTIVES
                .iter()
                .any(|p| !model.children_named_slice(level, p).is_empty());
            return self.kind == Kind::AddHeader && etag_off && !passes;
        }
        true
    }

    /// A dropped `limit_req`/`limit_conn` zone that the level's own lines replace with a
    /// zone counting the same key (`$binary_remote_addr` for both): the author set a limit of
    /// the same kind here, higher (an API's) or lower (a login's), on purpose (held-out
    /// batches 73 and 77, measured: only the level's own zone applies, as meant). Where a zone
    /// is not defined in the files checked, what it counts is not known: a level that limits
    /// on its own is taken as meant. A zone counting something else (`$server_name` dropped
    /// for `$binary_remote_addr`) is a limit lost, and reported.
    fn limit_replaced(&self, n: NodeId, level: Option<NodeId>) -> bool {
        let model = self.model;
        // A line's zone is its key as the list compares lines ([`Check::line_keys`]).
        let zone_of = |line: NodeId| -> Option<String> {
            let mut zone = None;
            self.line_keys(line, &mut String::new(), |k| zone = Some(k.to_owned()));
            zone
        };
        let zone_directive = if self.kind == Kind::LimitReq {
            "limit_req_zone"
        } else {
            "limit_conn_zone"
        };
        let key_of = |zone: &str| -> Option<String> {
            model
                .directives_named(zone_directive)
                .iter()
                .find(|&&z| {
                    (1..model.arg_count(z))
                        .filter_map(|i| model.arg_str(z, i))
                        .any(|a| {
                            a.strip_prefix("zone=")
                                .and_then(|v| v.split(':').next())
                                .is_some_and(|name| name == zone)
                        })
                })
                .and_then(|&z| model.arg_str(z, 0).map(|k| k.into_owned()))
        };
        let Some(dropped_key) = zone_of(n).and_then(|z| key_of(&z)) else {
            return true;
        };
        self.own(level).iter().any(|&line| {
            zone_of(line)
                .and_then(|z| key_of(&z))
                .is_none_or(|k| k == dropped_key)
        })
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

    /// A dropped `X-Forwarded-Proto $scheme` (or `X-Forwarded-Scheme`, `X-Scheme`) in a server
    /// that listens without TLS only: `$scheme` is `http` there, which is what an app assumes
    /// without the header; behind a TLS terminator, dropping it even lets the terminator's
    /// header through (held-out batch 71's HTTP-only server). A server whose `listen` lines
    /// are not all in view (none at all, a fragment; an include not read) is not judged.
    fn scheme_only_http(&self, n: NodeId, level: Option<NodeId>) -> bool {
        let model = self.model;
        if model.arg_str(n, 1).as_deref() != Some("$scheme")
            || !model.arg_str(n, 0).is_some_and(|h| {
                ["x-forwarded-proto", "x-forwarded-scheme", "x-scheme"]
                    .iter()
                    .any(|k| h.eq_ignore_ascii_case(k))
            })
        {
            return false;
        }
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
        let Some(parent) = self.parent(level) else {
            return;
        };
        let inherited = self.effective(parent);
        if inherited.is_empty() {
            return;
        }
        // The level's own lines are compared here only: their keys are not kept. The lines it
        // inherits are compared at every level below theirs.
        self.key_lines(&inherited);
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
                .filter(|&&i| model.include_failed(i) || !loadtime::include_read(model, i))
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
        let keys = self.keys.borrow();
        let keys = &*keys;
        let keys_of = |n: NodeId| keys.of(n);
        own_keys.sort_unstable();
        own_keys.dedup();
        let own_keys = &*own_keys;
        // A status nginx raises before it chooses a location (497, plain HTTP to an HTTPS
        // port; 494-496) is answered with the server's `error_page` lines whatever a
        // location says: a location does not lose them.
        let settled_early =
            self.kind == Kind::ErrorPage && level.is_some_and(|l| model.name(l) != "server");
        let is_own = |k: &u32| {
            own_keys.binary_search(k).is_ok()
                || (settled_early && matches!(keys.name(*k), "494" | "495" | "496" | "497"))
        };
        let loses = |n: NodeId| keys_of(n).iter().any(|k| !is_own(k));
        let dropped = &mut scratch.dropped;
        dropped.clear();
        dropped.extend(inherited.iter().copied().filter(|&n| {
            loses(n) && !self.is_default_line(n, keys) && !self.drops_nothing(n, level)
        }));
        if dropped.is_empty() {
            return;
        }
        let dropped = &*dropped;

        // Distinct dropped names, as first written.
        let lost = &mut scratch.lost;
        lost.clear();
        scratch.lost_keys.clear();
        for &n in dropped {
            for &key in keys_of(n).iter().filter(|k| !is_own(k)) {
                if scratch.lost_keys.insert(key) {
                    lost.push((key, n));
                }
            }
        }
        // Only `X-Frame-Options` is left out, by a level that repeats other lines of its
        // parent's: the author knows the lines are not inherited and lets the pages here be
        // framed (an embed widget; WeKnora's template says so in a comment).
        if self.kind == Kind::AddHeader
            && lost.iter().all(|&(k, _)| keys.name(k) == "x-frame-options")
            && inherited.iter().any(|&n| !loses(n))
        {
            return;
        }
        // The levels they come from, nearest first.
        let from = &mut scratch.from;
        from.clear();
        for &n in dropped {
            let d = self.describe_cached(model.node(n).parent());
            if !from.contains(&d) {
                from.push(d);
            }
        }
        let here = self.describe(level);
        let severity = if lost
            .iter()
            .any(|&(k, _)| self.kind.is_critical(keys.name(k)))
        {
            Severity::Error
        } else {
            Severity::Warning
        };
        let count = lost.len();
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
        let empty = |&&n: &&NodeId| model.arg_str(n, 1).is_some_and(|v| v.is_empty());
        let (removals, mixed) = if self.kind == Kind::AddHeader {
            let empties = dropped.iter().filter(empty).count();
            (
                empties == dropped.len(),
                empties > 0 && empties < dropped.len(),
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
        for (i, f) in from.iter().enumerate() {
            if i > 0 {
                message.push_str(" and ");
            }
            message.push('`');
            message.push_str(f);
            message.push('`');
        }
        message.push_str(" (");
        for (i, &(key, n)) in lost.iter().take(MOST_NAMED).enumerate() {
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
        for &n in dropped.iter().take(MOST_NAMED) {
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
                let lost_keys = || keys_of(n).iter().filter(|k| !is_own(k));
                let what_len: usize = lost_keys().map(|&k| keys.name(k).len() + 1).sum();
                text = String::with_capacity(BEFORE.len() + what_len + MIDDLE.len() + here.len());
                text.push_str(BEFORE);
                for (i, &k) in lost_keys().enumerate() {
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
        if let Some(fix) = self.fix(last, dropped, &here) {
            diag = diag.fix(fix);
        }
        out.push(diag);
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
