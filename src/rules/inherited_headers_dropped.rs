//! `inherited-headers-dropped`: a level sets a list directive (`proxy_set_header`,
//! `add_header`, `fastcgi_param`...) and so silently loses every line its parent level had.
//!
//! nginx merges these lists all-or-nothing (nginx-semantics.md §2.3): a level with at least one
//! occurrence uses only its own lines; the parent's are used only when it has none. For
//! `add_header`/`add_trailer` nginx ≥ 1.29.3 adds `add_header_inherit` / `add_trailer_inherit`:
//! `merge` appends the parent's list, `off` inherits nothing.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

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
    /// server and `http` levels.
    effective: RefCell<HashMap<Option<NodeId>, Vec<NodeId>, FnvBuild>>,
    /// `describe` of each level asked for (the same parents again).
    described: RefCell<HashMap<Option<NodeId>, String, FnvBuild>>,
    /// `keys` and `is_default_line` of each line asked for (inherited lines are compared at
    /// every level below them).
    keys: RefCell<HashMap<NodeId, (Vec<String>, bool), FnvBuild>>,
}

impl Check<'_, '_> {
    /// The occurrences at `level` that nginx accepts there (name, context, a first argument).
    fn own(&self, level: Option<NodeId>) -> Vec<NodeId> {
        self.model
            .children_named(level, self.name)
            .into_iter()
            .filter(|&n| self.model.node(n).spec.is_some() && self.model.arg_count(n) >= 1)
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
        let value = eff.nodes.last().and_then(|&n| self.model.arg(n, 0));
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
    fn effective(&self, level: Option<NodeId>) -> Vec<NodeId> {
        if let Some(e) = self.effective.borrow().get(&level) {
            return e.clone();
        }
        let e = self.compute_effective(level);
        self.effective.borrow_mut().insert(level, e.clone());
        e
    }

    fn compute_effective(&self, level: Option<NodeId>) -> Vec<NodeId> {
        let own = self.own(level);
        let mode = self.inherit_mode(level);
        if mode == Inherit::Off {
            return own;
        }
        let inherited = || {
            self.parent(level)
                .map_or_else(Vec::new, |p| self.effective(p))
        };
        if own.is_empty() {
            inherited()
        } else if mode == Inherit::Merge {
            let mut all = own;
            all.extend(inherited());
            all
        } else {
            own
        }
    }

    /// `location /api`, `server`, `if ($arg_x)`; the top level of a fragment by its context.
    fn describe(&self, level: Option<NodeId>) -> String {
        if let Some(d) = self.described.borrow().get(&level) {
            return d.clone();
        }
        let d = self.compute_describe(level);
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

    /// The names a line sets, as compared: one, except the status codes of an `error_page`.
    fn keys(&self, n: NodeId) -> Vec<String> {
        self.line(n).0
    }

    fn is_default_line(&self, n: NodeId) -> bool {
        self.line(n).1
    }

    /// (`keys`, `is_default_line`) of line `n`, computed once.
    fn line(&self, n: NodeId) -> (Vec<String>, bool) {
        if let Some(l) = self.keys.borrow().get(&n) {
            return l.clone();
        }
        let keys = self.compute_keys(n);
        let default = keys.len() == 1 && self.compute_is_default_line(n, &keys[0]);
        self.keys.borrow_mut().insert(n, (keys.clone(), default));
        (keys, default)
    }

    fn compute_keys(&self, n: NodeId) -> Vec<String> {
        let model = self.model;
        match self.kind {
            // `error_page code ... [=[response]] uri;`: every argument before the optional
            // `=response` and the URI is a status code (`ngx_http_core_error_page`).
            Kind::ErrorPage => {
                let count = model.arg_count(n);
                (0..count.saturating_sub(1))
                    .filter_map(|i| model.arg(n, i))
                    .filter(|a| !a.starts_with('='))
                    .collect()
            }
            // `limit_req zone=name [burst=n] [nodelay | delay=n];`
            Kind::LimitReq => (0..model.arg_count(n))
                .filter_map(|i| model.arg(n, i))
                .find_map(|a| a.strip_prefix("zone=").map(str::to_owned))
                .into_iter()
                .collect(),
            _ => {
                let name = model.arg(n, 0).unwrap_or_default();
                if self.kind.case_insensitive() {
                    vec![name.to_ascii_lowercase()]
                } else {
                    vec![name]
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
        let own_keys: HashSet<String, FnvBuild> = own.iter().flat_map(|&n| self.keys(n)).collect();
        let lost = |n: NodeId| -> Vec<String> {
            self.keys(n)
                .into_iter()
                .filter(|k| !own_keys.contains(k))
                .collect()
        };
        let dropped: Vec<NodeId> = inherited
            .into_iter()
            .filter(|&n| !lost(n).is_empty() && !self.is_default_line(n))
            .collect();
        if dropped.is_empty() {
            return;
        }

        // Distinct dropped names, as first written.
        let mut names: Vec<String> = Vec::new();
        let mut name_keys: HashSet<_, FnvBuild> = HashSet::default();
        for &n in &dropped {
            for key in lost(n) {
                if name_keys.insert(key.clone()) {
                    names.push(if self.kind.case_insensitive() {
                        model.arg(n, 0).unwrap_or_default()
                    } else {
                        key
                    });
                }
            }
        }
        // The levels they come from, nearest first.
        let mut from: Vec<String> = Vec::new();
        for &n in &dropped {
            let d = format!("`{}`", self.describe(model.node(n).parent));
            if !from.contains(&d) {
                from.push(d);
            }
        }
        let here = self.describe(level);
        let severity = if name_keys.iter().any(|k| self.kind.is_critical(k)) {
            Severity::Error
        } else {
            Severity::Warning
        };
        let count = names.len();
        let counted = if count == 1 {
            self.kind.noun(1).to_owned()
        } else {
            format!("{count} {}", self.kind.noun(count))
        };
        let message = format!(
            "`{here}` sets {}, so the {counted} {} in {} ({}) {}",
            self.name,
            self.kind.verb(),
            from.join(" and "),
            names.join(", "),
            self.kind.consequence(count),
        );
        let mut diag = Diagnostic::at_node(&RULE, model, first, message).severity(severity);
        diag.primary.text = format!("this `{}` replaces the inherited list", self.name);
        for &n in &dropped {
            let node = model.node(n);
            diag = diag.label(Label::new(
                node.file,
                node.directive.head_span(),
                format!(
                    "inherited `{}` is dropped in `{here}`",
                    if self.kind.case_insensitive() {
                        model.arg(n, 0).unwrap_or_default()
                    } else {
                        lost(n).join(" ")
                    }
                ),
            ));
        }
        let mut help = format!(
            "nginx uses a level's own {} lines instead of the inherited ones as soon as it has \
             one; repeat the inherited lines here, or keep them in a file included at every level",
            self.name
        );
        if let Some(dir) = self.kind.inherit_directive()
            && self.version >= INHERIT_SINCE
        {
            help.push_str(&format!(" (or `{dir} merge;`)"));
        }
        diag = diag.help(help);
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
        let joined = lines.join(&format!("{eol}{indent}"));
        let (at, text) = style::insert_after(file, anchor.directive, &joined);
        let title = format!(
            "Copy the {} inherited {} {} into {here}",
            lines.len(),
            self.name,
            if lines.len() == 1 { "line" } else { "lines" }
        );
        Some(Fix::unsafe_(
            title,
            vec![Edit::insert(anchor.file, at, text)],
        ))
    }
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &(name, kind) in DIRECTIVES {
        Check {
            model: cx.model,
            version: cx.version,
            name,
            kind,
            effective: RefCell::default(),
            described: RefCell::default(),
            keys: RefCell::default(),
        }
        .run(&mut out);
    }
    out
}
