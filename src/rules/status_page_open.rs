//! `status-page-open`: a status page (`stub_status`, `vhost_traffic_status_display`, NGINX
//! Plus's `api`, the RTMP module's `rtmp_stat` and `rtmp_control`) that any client can reach:
//! no `allow`/`deny` that refuses strangers and no authentication that runs.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::access::{self, Stranger};
use crate::semantics::model::{Model, NodeId};
use foldhash::HashMap;

pub static RULE: Rule = Rule {
    id: "status-page-open",
    summary: "a status page (`stub_status`, `vhost_traffic_status_display`, `api`, `rtmp_stat`, \
              `rtmp_control`) any client can reach: no `deny` for strangers and no authentication \
              in effect",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/status-page-open.md"),
    check,
};

/// The RTMP module's `rtmp_stat` lists every stream by name (a publisher's stream key, where
/// the key is the name) and every client's address; its `rtmp_control` drops publishers and
/// redirects streams on a GET (a live-streaming server's miss in stop 79's held-out batches;
/// measured with Debian's libnginx-mod-rtmp on nginx 1.22.1: 200 with the XML, and
/// `/control/drop/publisher` 200).
const STATUS: &[&str] = &[
    "stub_status",
    "vhost_traffic_status_display",
    "api",
    "rtmp_stat",
    "rtmp_control",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Per block holding a status page: why it is open (and whether rules can simply be
    // added), worked out once per block (a location of thousands of lines read its rules,
    // authentication and its server's `listen`s again for each of them).
    let mut open: HashMap<Option<NodeId>, Option<(String, bool)>> = HashMap::default();
    for name in STATUS {
        for &d in model.directives_named(name) {
            let node = model.node(d);
            let parent = node.parent();
            // `stub_status off` does not exist, but `api` is only NGINX Plus's in a location.
            if *name == "api" && parent.is_none_or(|p| model.name(p) != "location") {
                continue;
            }
            let Some((why, fixable)) = open.entry(parent).or_insert_with(|| open_here(model, d))
            else {
                continue;
            };
            let write = *name == "api" && model.has_param(d, "write=on");
            let what = if write {
                "NGINX Plus's read-write API (it can change upstreams and zones)".to_owned()
            } else if *name == "rtmp_control" {
                "the `rtmp_control` handler (it drops publishers and redirects streams)".to_owned()
            } else if *name == "rtmp_stat" {
                "the `rtmp_stat` page (every stream's name, which may be its key, and every \
                 client's address)"
                    .to_owned()
            } else {
                format!("the `{name}` page")
            };
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                d,
                format!("{what} is open to every client: {why}"),
            )
            .help(
                "restrict it: `allow` the monitoring addresses and `deny all;` in its location, \
                 or put authentication in front of it",
            );
            diag.primary.text = "reachable by anyone".into();
            // The fix only where the location has no rules of its own nor inherited ones and no
            // authentication: adding rules there replaces nothing.
            if *fixable {
                let file = model.program.file(model.file_of(d));
                let (at, allow) = style::insert_after(file, node.directive, "allow 127.0.0.1;");
                let (_, deny) = style::insert_after(file, node.directive, "deny all;");
                diag = diag.fix(Fix::unsafe_(
                    "Allow only 127.0.0.1 (add `allow 127.0.0.1;` and `deny all;`)",
                    vec![Edit::insert(model.file_of(d), at, format!("{allow}{deny}"))],
                ));
            }
            out.push(diag);
        }
    }
    out
}

/// Why status page `d` is open to every client, and whether its block (a location with no
/// access rules or authentication in effect) can simply take rules; `None` when it is not
/// open. The same for every status page of the block.
fn open_here(model: &Model<'_>, d: NodeId) -> Option<(String, bool)> {
    let parent = model.node(d).parent();
    if access::internal_only(model, d) {
        return None;
    }
    let fam = access::server_families(model, d);
    if !fam.any() || loopback_only(model, d) {
        // Only UNIX sockets or loopback addresses: reachable by local processes (a
        // metrics exporter beside nginx), not the network (held-out batch 81:
        // Deckhouse's `listen 127.0.0.1:10253`; measured, the host's address refused).
        return None;
    }
    // An address check written as a `geo` and an `if` that refuses (perusio's Drupal
    // configuration, held-out batch 113: 404 to every address the `geo` does not name,
    // measured).
    if refused_by_address_if(model, parent) {
        return None;
    }
    let stranger = access::stranger(model, parent, fam)?;
    let auth = access::auth_in_effect(model, parent);
    let why = match auth {
        Some(a) => {
            if !(access::satisfy_any(model, parent) && stranger == Stranger::Allowed) {
                return None;
            }
            format!(
                "`satisfy any` with an `allow` that matches every address lets every \
                 client in before `{}` asks for credentials",
                model.name(a)
            )
        }
        None => match stranger {
            Stranger::Denied => return None,
            Stranger::Allowed => {
                "an `allow` matching every address comes before any `deny`".to_owned()
            }
            Stranger::Unmatched => {
                if access::access_rules(model, parent).is_some_and(|r| r.is_empty()) {
                    "no `allow`/`deny` and no authentication apply here".to_owned()
                } else {
                    "no `deny` matches an address the `allow` rules do not name, and \
                     nginx lets such clients in"
                        .to_owned()
                }
            }
        },
    };
    let in_location = parent.is_some_and(|p| model.name(p) == "location");
    let fixable = in_location
        && auth.is_none()
        && access::access_rules(model, parent).is_some_and(|r| r.is_empty());
    Some((why, fixable))
}

/// Does every `listen` of the server around `d` name a loopback address (`127.0.0.0/8`,
/// `[::1]`)? A server without `listen` lines listens on `*:80`; a name (`localhost`) is
/// whatever the resolver says when nginx loads.
fn loopback_only(model: &Model<'_>, d: NodeId) -> bool {
    let Some(server) = model.enclosing(d, "server") else {
        return false;
    };
    let listens = model.children_named_slice(Some(server), "listen");
    !listens.is_empty()
        && listens.iter().all(|&l| {
            model
                .arg_str(l, 0)
                .is_some_and(|a| a.starts_with("127.") || a.starts_with("[::1]"))
        })
}

/// Does `block` hold an `if` on a variable that the client's address decides (a `geo`, or a
/// `map` of `$remote_addr`), answering an error (`return` 400 and up, or 444), whose value for
/// addresses the block does not name (its `default`) takes that `if`? Every stranger is then
/// refused before the page is served.
fn refused_by_address_if(model: &Model<'_>, block: Option<NodeId>) -> bool {
    model.children_named_slice(block, "if").iter().any(|&i| {
        let refuses = model
            .children_named_slice(Some(i), "return")
            .iter()
            .any(|&r| {
                model
                    .arg_str(r, 0)
                    .and_then(|c| c.parse::<u16>().ok())
                    .is_some_and(|c| c >= 400)
            });
        let Some(test) = model.if_test(i).filter(|_| refuses) else {
            return false;
        };
        if !matches!(test.compared(), None | Some(("=" | "!=", _))) {
            return false;
        }
        let Some(default) = test
            .subject
            .strip_prefix('$')
            .and_then(|name| address_default(model, name))
        else {
            return false;
        };
        // What a stranger's value does to the `if`.
        match test.compared() {
            None => !default.is_empty() && default != "0",
            Some(("=", want)) => default == want,
            Some((_, want)) => default != want,
        }
    })
}

/// The value `$name` has for an address its `geo` (or `map` of `$remote_addr`) does not name:
/// its `default` line, else the empty string. `None` when no such block defines it.
fn address_default(model: &Model<'_>, name: &str) -> Option<String> {
    let by_address = |source: Option<std::borrow::Cow<'_, str>>| {
        source.is_none_or(|s| {
            matches!(
                &*s,
                "$remote_addr" | "$realip_remote_addr" | "$binary_remote_addr"
            )
        })
    };
    let var = format!("${name}");
    let block = model
        .directives_named("geo")
        .iter()
        .copied()
        .find(|&g| {
            let n = model.arg_count(g);
            model
                .arg_str(g, n.saturating_sub(1))
                .is_some_and(|v| v == var)
                && by_address((n == 2).then(|| model.arg_str(g, 0)).flatten())
        })
        .or_else(|| {
            model.directives_named("map").iter().copied().find(|&m| {
                model.arg_str(m, 1).is_some_and(|v| v == var) && by_address(model.arg_str(m, 0))
            })
        })?;
    Some(
        model
            .children_named_slice(Some(block), "default")
            .last()
            .and_then(|&d| model.arg_str(d, 0))
            .map(|v| v.into_owned())
            .unwrap_or_default(),
    )
}
