//! `auth-request-set-misplaced`: `auth_request_set` in the location the auth subrequest goes
//! to (`location = /validate`), as in Vouch Proxy's published single-file example. nginx
//! evaluates `auth_request_set` in the location whose `auth_request` made the subrequest,
//! once it returns; the subrequest's own location never runs the access phase, so its lines
//! are never applied and the variables stay empty in the location that reads them.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::{Model, NodeId};
use foldhash::{HashMap, HashSet};

pub static RULE: Rule = Rule {
    id: "auth-request-set-misplaced",
    summary: "`auth_request_set` in the location the auth subrequest goes to is never applied: \
              nginx evaluates it where `auth_request` is, and the variables stay empty",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/auth-request-set-misplaced.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let sets = model.directives_named("auth_request_set");
    if sets.is_empty() {
        return out;
    }
    // The URIs `auth_request` sends subrequests to, with the directive.
    let targets: Vec<(NodeId, String)> = model
        .directives_named("auth_request")
        .iter()
        .filter_map(|&a| {
            let uri = model.arg_str(a, 0)?;
            (uri != "off").then(|| (a, uri.into_owned()))
        })
        .collect();
    // A subrequest stays in the server of the request that made it: a location is the
    // target of its own server's `auth_request`s and of those outside every server (`http`'s,
    // inherited by each), not of another server's. Indexed by server.
    let mut by_server: HashMap<Option<NodeId>, Vec<usize>> = HashMap::default();
    for (i, &(a, _)) in targets.iter().enumerate() {
        by_server
            .entry(model.enclosing(a, "server"))
            .or_default()
            .push(i);
    }
    let indexes: HashMap<Option<NodeId>, Targets<'_>> = by_server
        .into_iter()
        .map(|(server, at)| (server, Targets::new(&targets, &at)))
        .collect();
    // A location outside every server (a piece of a configuration) may be any one's target.
    let everywhere = std::cell::OnceCell::new();
    // The first `auth_request_set` of each location that is such a target.
    let mut seen: HashSet<NodeId> = HashSet::default();
    for &set in sets {
        let Some(loc) = model.parent_location(set) else {
            continue;
        };
        if seen.contains(&loc) {
            continue;
        }
        // Beside the location's own `auth_request`: applied to its requests, even where its
        // subrequest comes back to this location (`location /api/ { auth_request /api/auth;
        // ... }`; measured with nginx 1.22.1: the header set from the auth response arrives).
        if model
            .children_named_slice(Some(loc), "auth_request")
            .iter()
            .any(|&a| model.arg_str(a, 0).is_some_and(|u| u != "off"))
        {
            seen.insert(loc);
            continue;
        }
        let first = match model.enclosing(loc, "server") {
            Some(server) => [Some(server), None]
                .iter()
                .filter_map(|key| indexes.get(key)?.first_taken(model, loc))
                .min(),
            None => everywhere
                .get_or_init(|| Targets::new(&targets, &(0..targets.len()).collect::<Vec<_>>()))
                .first_taken(model, loc),
        };
        let Some((auth, uri)) = first.map(|i| &targets[i]) else {
            continue;
        };
        let auth = *auth;
        seen.insert(loc);
        let path = model.args_str(loc).join(" ");
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                set,
                format!(
                    "`auth_request_set` in `location {path}`, where the auth subrequest to \
                     `{uri}` goes, is never applied: nginx evaluates it in the location whose \
                     `auth_request` made the subrequest, and a subrequest skips the access \
                     phase, so the variables stay empty"
                ),
            )
            .label(Label::at_node(
                model,
                auth,
                "the `auth_request` whose location should hold the lines",
            ))
            .help(
                "move the `auth_request_set` lines next to `auth_request` (the same location, or \
                 the server level when `auth_request` is there); `$upstream_http_*` then reads \
                 the auth response's headers",
            ),
        );
    }
    out
}

/// The paths `auth_request` sends subrequests to, indexed to find the first one a location
/// takes (an exact location of that path, or a prefix location other than `/` it starts with)
/// without trying each: thousands of locations with `auth_request_set` under thousands of
/// `auth_request`s tried every one for each location.
struct Targets<'t> {
    /// Each path's first target.
    exact: HashMap<&'t str, usize>,
    /// (path, target) sorted by path: the paths with a given beginning are one run of it.
    sorted: Vec<(&'t str, usize)>,
    /// `least[k][i]`: the first target among `sorted[i..i + 2^k]` (a sparse table, so the first
    /// of any run is two look-ups).
    least: Vec<Vec<usize>>,
}

impl<'t> Targets<'t> {
    /// The index of `targets[i]` for each `i` of `at` (ascending): the targets it answers with
    /// are those numbers.
    fn new(targets: &'t [(NodeId, String)], at: &[usize]) -> Self {
        let path = |uri: &'t str| uri.split('?').next().unwrap_or(uri);
        let mut exact = HashMap::default();
        for &i in at {
            exact.entry(path(&targets[i].1)).or_insert(i);
        }
        let mut sorted: Vec<(&str, usize)> = at.iter().map(|&i| (path(&targets[i].1), i)).collect();
        sorted.sort_unstable();
        let mut least = vec![sorted.iter().map(|&(_, i)| i).collect::<Vec<_>>()];
        let mut width = 1;
        while width * 2 <= sorted.len() {
            let prev = &least[least.len() - 1];
            let next = (0..=sorted.len() - width * 2)
                .map(|i| prev[i].min(prev[i + width]))
                .collect();
            least.push(next);
            width *= 2;
        }
        Targets {
            exact,
            sorted,
            least,
        }
    }

    /// The first target in `sorted[lo..hi]` (not empty).
    fn first_in(&self, lo: usize, hi: usize) -> usize {
        let k = (hi - lo).ilog2() as usize;
        self.least[k][lo].min(self.least[k][hi - (1 << k)])
    }

    /// The first target (in configuration order) location `loc` takes.
    fn first_taken(&self, model: &Model<'_>, loc: NodeId) -> Option<usize> {
        match model.arg_count(loc) {
            2 if model.arg_is(loc, 0, "=") => self.exact.get(&*model.arg_str(loc, 1)?).copied(),
            1 | 2 => {
                let p = crate::semantics::streaming::prefix_path(model, loc)?;
                if p == "/" {
                    return None;
                }
                self.first_starting_with(&p)
            }
            _ => None,
        }
    }

    /// The first target whose path starts with `p`.
    fn first_starting_with(&self, p: &str) -> Option<usize> {
        let lo = self.sorted.partition_point(|&(s, _)| s < p);
        let hi = lo + self.sorted[lo..].partition_point(|&(s, _)| s.starts_with(p));
        (lo < hi).then(|| self.first_in(lo, hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index finds the target a pass over the targets in order finds, for every beginning
    /// and every path, on generated paths that share beginnings and repeat.
    #[test]
    fn the_index_finds_the_first_target_a_pass_finds() {
        let mut seed = 7u32;
        let mut next = |n: u32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) % n
        };
        let pieces = ["/a", "/b", "/auth", "/", "x", "?q=1"];
        for round in 0..200 {
            let targets: Vec<(NodeId, String)> = (0..1 + next(40))
                .map(|i| {
                    let uri: String = (0..1 + next(4))
                        .map(|_| pieces[next(pieces.len() as u32) as usize])
                        .collect();
                    (i, uri)
                })
                .collect();
            let all: Vec<usize> = (0..targets.len()).collect();
            let index = Targets::new(&targets, &all);
            let path = |uri: &str| uri.split('?').next().unwrap_or(uri).to_owned();
            let mut asked: Vec<String> = targets.iter().map(|(_, u)| path(u)).collect();
            asked.extend(["/a", "/au", "/b/", "/ab", "", "/z"].map(String::from));
            for p in &asked {
                let pass = targets
                    .iter()
                    .position(|(_, u)| path(u).starts_with(p.as_str()));
                assert_eq!(index.first_starting_with(p), pass, "round {round}, {p:?}");
                let exact = targets.iter().position(|(_, u)| path(u) == *p);
                assert_eq!(index.exact.get(p.as_str()).copied(), exact, "{p:?}");
            }
        }
    }
}
