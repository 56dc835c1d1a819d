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
use std::rc::Rc;
use std::sync::Arc;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::directives::Version;
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

struct Check<'m, 'p> {
    model: &'m Model<'p>,
    version: Version,
    name: &'static str,
    kind: Kind,
    /// The effective list of each level asked for: thousands of locations ask for the same
    /// server and `http` levels, and share the one list.
    effective: RefCell<HashMap<Option<NodeId>, Rc<[NodeId]>, FnvBuild>>,
    /// `describe` of each level asked for (the same parents again).
    described: RefCell<HashMap<Option<NodeId>, Rc<str>, FnvBuild>>,
    /// The keys of each line asked for, as indices into `names` (inherited lines are compared
    /// at every level below them; comparing indices needs no string copies).
    keys: RefCell<HashMap<NodeId, Rc<[u32]>, FnvBuild>>,
    /// `is_default_line` of each inherited line asked for.
    defaults: RefCell<HashMap<NodeId, bool, FnvBuild>>,
    /// Every distinct key (as compared), and its index.
    interned: RefCell<(HashMap<String, u32, FnvBuild>, Vec<String>)>,
    /// The advice, the same for every finding of this directive.
    help: Arc<str>,
    /// The primary label's text, the same for every finding of this directive.
    replaces: String,
}

impl<'m, 'p> Check<'m, 'p> {
    fn new(model: &'m Model<'p>, version: Version, name: &'static str, kind: Kind) -> Self {
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
            interned: RefCell::default(),
            help: super::shared_text(help),
            replaces: format!("this `{name}` replaces the inherited list"),
        }
    }
}

impl Check<'_, '_> {
    /// The occurrences at `level` that nginx accepts there (name, context, a first argument).
    fn own(&self, level: Option<NodeId>) -> Vec<NodeId> {
        self.model
            .children_named_slice(level, self.name)
            .iter()
            .copied()
            .filter(|&n| {
                self.model.node(n).spec.is_some()
                    && self.model.node(n).directive.arg_tokens().next().is_some()
            })
            .collect()
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
        level.map(|l| self.model.node(l).parent)
    }

    /// The list nginx ends up with at `level` after merging, in nginx's order.
    fn effective(&self, level: Option<NodeId>) -> Rc<[NodeId]> {
        if let Some(e) = self.effective.borrow().get(&level) {
            return e.clone();
        }
        let e = self.compute_effective(level);
        self.effective.borrow_mut().insert(level, e.clone());
        e
    }

    fn compute_effective(&self, level: Option<NodeId>) -> Rc<[NodeId]> {
        let own = self.own(level);
        let mode = self.inherit_mode(level);
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
            let mut all = own;
            all.extend(inherited().iter().copied());
            all.into()
        } else {
            own.into()
        }
    }

    /// `location /api`, `server`, `if ($arg_x)`; the top level of a fragment by its context.
    fn describe(&self, level: Option<NodeId>) -> Rc<str> {
        if let Some(d) = self.described.borrow().get(&level) {
            return d.clone();
        }
        let d: Rc<str> = self.compute_describe(level).into();
        self.described.borrow_mut().insert(level, d.clone());
        d
    }

    fn compute_describe(&self, level: Option<NodeId>) -> String {
        let model = self.model;
        match level {
            None => format!("top level ({})", model.block_context(None).name()),
            Some(b) if &*model.node(b).name == "if" => {
                let span = model.node(b).directive.head_span();
                String::from_utf8_lossy(&model.src(b)[span.range()]).into_owned()
            }
            Some(_) => model.describe_block(level),
        }
    }

    /// The names a line sets, as compared (indices into the interned keys): one, except the
    /// status codes of an `error_page`; computed once per line.
    fn keys(&self, n: NodeId) -> Rc<[u32]> {
        if let Some(k) = self.keys.borrow().get(&n) {
            return k.clone();
        }
        let keys: Rc<[u32]> = self
            .compute_keys(n)
            .iter()
            .map(|k| self.intern(k))
            .collect();
        self.keys.borrow_mut().insert(n, keys.clone());
        keys
    }

    fn intern(&self, key: &str) -> u32 {
        let mut interned = self.interned.borrow_mut();
        let (map, all) = &mut *interned;
        if let Some(&i) = map.get(key) {
            return i;
        }
        let i = all.len() as u32;
        all.push(key.to_owned());
        map.insert(key.to_owned(), i);
        i
    }

    /// The key with index `i`, as compared.
    fn key(&self, i: u32) -> std::cell::Ref<'_, str> {
        std::cell::Ref::map(self.interned.borrow(), |(_, all)| all[i as usize].as_str())
    }

    /// A dropped line that only restates nginx's default, computed once per line.
    fn is_default_line(&self, n: NodeId) -> bool {
        if let Some(&d) = self.defaults.borrow().get(&n) {
            return d;
        }
        let keys = self.keys(n);
        let d = keys.len() == 1 && self.compute_is_default_line(n, &self.key(keys[0]));
        self.defaults.borrow_mut().insert(n, d);
        d
    }

    fn compute_keys(&self, n: NodeId) -> Vec<Cow<'_, str>> {
        let model = self.model;
        match self.kind {
            // `error_page code ... [=[response]] uri;`: every argument before the optional
            // `=response` and the URI is a status code (`ngx_http_core_error_page`).
            Kind::ErrorPage => {
                let count = model.arg_count(n);
                (0..count.saturating_sub(1))
                    .filter_map(|i| model.arg_str(n, i))
                    .filter(|a| !a.starts_with('='))
                    .map(|a| Cow::Owned(a.into_owned()))
                    .collect()
            }
            // `limit_req zone=name [burst=n] [nodelay | delay=n];`
            Kind::LimitReq => (0..model.arg_count(n))
                .filter_map(|i| model.arg_str(n, i))
                .find_map(|a| a.strip_prefix("zone=").map(|z| Cow::Owned(z.to_owned())))
                .into_iter()
                .collect(),
            _ => {
                let name = model.arg_str(n, 0).unwrap_or_default();
                if self.kind.case_insensitive() && name.bytes().any(|b| b.is_ascii_uppercase()) {
                    vec![Cow::Owned(name.to_ascii_lowercase())]
                } else {
                    vec![Cow::Owned(name.into_owned())]
                }
            }
        }
    }

    /// A dropped `proxy_set_header` that only restates nginx's default for the target version
    /// loses nothing.
    fn compute_is_default_line(&self, n: NodeId, key: &str) -> bool {
        if self.name != "proxy_set_header" {
            return false;
        }
        let value = self.model.arg_str(n, 1).unwrap_or_default();
        crate::semantics::versions::restates_proxy_default(key, &value, self.version)
    }

    fn run(&self, out: &mut Vec<Diagnostic>) {
        let model = self.model;
        let mut levels: Vec<Option<NodeId>> = Vec::new();
        let mut seen: HashSet<_, FnvBuild> = HashSet::default();
        for &n in model.directives_named(self.name) {
            let level = model.node(n).parent;
            if level.is_some() && seen.insert(level) {
                levels.push(level);
            }
        }
        for level in levels {
            self.check_level(level, out);
        }
    }

    fn check_level(&self, level: Option<NodeId>, out: &mut Vec<Diagnostic>) {
        let model = self.model;
        let own = self.own(level);
        let Some(&first) = own.first() else { return };
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
        let mut own_keys: Vec<u32> = Vec::new();
        for &n in &own {
            own_keys.extend(self.keys(n).iter().copied());
        }
        own_keys.sort_unstable();
        own_keys.dedup();
        let is_own = |k: &u32| own_keys.binary_search(k).is_ok();
        let loses = |n: NodeId| self.keys(n).iter().any(|k| !is_own(k));
        let dropped: Vec<NodeId> = inherited
            .iter()
            .copied()
            .filter(|&n| loses(n) && !self.is_default_line(n))
            .collect();
        if dropped.is_empty() {
            return;
        }

        // Distinct dropped names, as first written.
        let mut names: Vec<String> = Vec::new();
        let mut name_keys: Vec<u32> = Vec::new();
        for &n in &dropped {
            for &key in self.keys(n).iter().filter(|k| !is_own(k)) {
                if !name_keys.contains(&key) {
                    name_keys.push(key);
                    names.push(if self.kind.case_insensitive() {
                        model.arg(n, 0).unwrap_or_default()
                    } else {
                        self.key(key).to_owned()
                    });
                }
            }
        }
        // The levels they come from, nearest first.
        let mut from: Vec<Rc<str>> = Vec::new();
        for &n in &dropped {
            let d = self.describe(model.node(n).parent);
            if !from.contains(&d) {
                from.push(d);
            }
        }
        let here = self.describe(level);
        let severity = if name_keys
            .iter()
            .any(|&k| self.kind.is_critical(&self.key(k)))
        {
            Severity::Error
        } else {
            Severity::Warning
        };
        let count = names.len();
        let mut message = String::with_capacity(160);
        message.push('`');
        message.push_str(&here);
        message.push_str("` sets ");
        message.push_str(self.name);
        message.push_str(", so the ");
        if count != 1 {
            message.push_str(&count.to_string());
            message.push(' ');
        }
        message.push_str(self.kind.noun(count));
        message.push(' ');
        message.push_str(self.kind.verb());
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
        message.push_str(&names.join(", "));
        message.push_str(") ");
        message.push_str(self.kind.consequence(count));
        // Kept at its exact length (the buffer above is sized for the longest messages).
        let mut diag =
            Diagnostic::at_node(&RULE, model, first, message.as_str()).severity(severity);
        diag.primary.text.clone_from(&self.replaces);
        diag.secondary.reserve_exact(dropped.len());
        for &n in &dropped {
            let node = model.node(n);
            let what = if self.kind.case_insensitive() {
                model.arg_str(n, 0).unwrap_or_default().into_owned()
            } else {
                let keys = self.keys(n);
                let lost: Vec<std::cell::Ref<'_, str>> = keys
                    .iter()
                    .filter(|k| !is_own(k))
                    .map(|&k| self.key(k))
                    .collect();
                let lost: Vec<&str> = lost.iter().map(|k| &**k).collect();
                lost.join(" ")
            };
            let mut text = String::with_capacity(what.len() + here.len() + 30);
            text.push_str("inherited `");
            text.push_str(&what);
            text.push_str("` is dropped in `");
            text.push_str(&here);
            text.push('`');
            diag = diag.label(Label::new(node.file, node.directive.head_span(), text));
        }
        diag.help = Some(self.help.clone());
        let last = *own.last().expect("non-empty");
        if let Some(fix) = self.fix(last, &dropped, &here) {
            diag = diag.fix(fix);
        }
        out.push(diag);
    }

    /// One insertion after the level's last line: a copy of each dropped line, as written.
    fn fix(&self, last: NodeId, dropped: &[NodeId], here: &str) -> Option<Fix> {
        let model = self.model;
        let anchor = model.node(last);
        if !matches!(anchor.directive.end, End::Semicolon(_)) {
            return None;
        }
        let file = model.program.file(anchor.file);
        let mut lines: Vec<&str> = Vec::new();
        for &n in dropped {
            let node = model.node(n);
            if !matches!(node.directive.end, End::Semicolon(_)) {
                return None;
            }
            let bytes = &model.src(n)[node.directive.span.range()];
            // Edits are text: a line that is not UTF-8 cannot be copied byte for byte.
            let text = std::str::from_utf8(bytes).ok()?;
            if !lines.contains(&text) {
                lines.push(text);
            }
        }
        let eol = style::line_ending(&file.src);
        let indent = style::indent_at(&file.src, anchor.directive.span.start).unwrap_or("");
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
        let at = style::after_trailing(&file.src, anchor.directive.span.end);
        let mut title = String::with_capacity(48 + self.name.len() + here.len());
        title.push_str("Copy the ");
        title.push_str(&lines.len().to_string());
        title.push_str(" inherited ");
        title.push_str(self.name);
        title.push_str(if lines.len() == 1 { " line" } else { " lines" });
        title.push_str(" into ");
        title.push_str(here);
        Some(Fix::unsafe_(
            title,
            vec![Edit::insert(anchor.file, at, text)],
        ))
    }
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &(name, kind) in DIRECTIVES {
        // Only directives the configuration has can be dropped.
        if cx.model.directives_named(name).is_empty() {
            continue;
        }
        Check::new(cx.model, cx.version, name, kind).run(&mut out);
    }
    out
}
