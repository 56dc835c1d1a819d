//! `access-rule-shadowed`: an `allow` or `deny` after a rule of the other kind that matches
//! every address it names. nginx applies the first matching rule of a block's list, so the
//! later one never applies: `deny all; allow 10.0.0.5;` refuses everyone, `allow all; deny
//! 203.0.113.7;` lets everyone in.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::access::{Addresses, access_rules, v4_mask, v6_mask};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "access-rule-shadowed",
    summary: "an `allow` or `deny` after an opposite rule that already matches every address it \
              names (`deny all; allow 10.0.0.5;`): nginx applies the first match, so it never \
              applies",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/access-rule-shadowed.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for &first in cx
        .directives_named("allow")
        .iter()
        .chain(cx.directives_named("deny"))
    {
        let level = model.node(first).parent();
        if !seen.insert(level) {
            continue;
        }
        judge_level(model, level, &mut out);
    }
    out
}

/// The findings of one block's list of rules.
fn judge_level(model: &Model<'_>, level: Option<NodeId>, out: &mut Vec<Diagnostic>) {
    // The level has rules of its own (it holds the `allow` or `deny` the caller found); `None`
    // where an include nginx could not read may hold rules between these.
    let Some(rules) = access_rules(model, level) else {
        return;
    };
    if rules.len() < 2 {
        return;
    }
    // The first earlier rule naming each range, by family and prefix length: a later rule is
    // covered by the ranges holding it, one per prefix length up to its own (a level of
    // thousands of rules, a country block list, is read once).
    let mut earlier = Earlier::default();
    for &r in &rules {
        if model.arg_count(r) != 1 {
            continue;
        }
        let Some(addresses) = model.arg_str(r, 0).and_then(|a| Addresses::parse(&a)) else {
            continue;
        };
        let allow = model.name(r) == "allow";
        // The first earlier rule that matches every address this one names decides for them;
        // of the same kind, it decides the same (redundant, not reported).
        if let Some(winner) = earlier.first_covering(addresses)
            && (model.name(winner) == "allow") != allow
        {
            out.push(finding(model, r, winner, allow));
        }
        earlier.add(addresses, r);
    }
}

/// The earlier rules of a level, by what they name: the first of each range.
#[derive(Default)]
struct Earlier {
    all: Option<NodeId>,
    unix: Option<NodeId>,
    v4: foldhash::HashMap<(u32, u32), NodeId>,
    v6: foldhash::HashMap<(u128, u32), NodeId>,
}

impl Earlier {
    fn add(&mut self, a: Addresses, r: NodeId) {
        match a {
            Addresses::All => {
                self.all.get_or_insert(r);
            }
            Addresses::Unix => {
                self.unix.get_or_insert(r);
            }
            Addresses::V4(n, b) => {
                self.v4.entry((n, b)).or_insert(r);
            }
            Addresses::V6(n, b) => {
                self.v6.entry((n, b)).or_insert(r);
            }
        }
    }

    /// The first (lowest) earlier rule that matches every address `a` names.
    fn first_covering(&self, a: Addresses) -> Option<NodeId> {
        let mut first = self.all;
        let mut take = |r: Option<&NodeId>| {
            if let Some(&r) = r {
                first = Some(first.map_or(r, |f| f.min(r)));
            }
        };
        match a {
            Addresses::All => {}
            Addresses::Unix => take(self.unix.as_ref()),
            Addresses::V4(n, c) => {
                if !self.v4.is_empty() {
                    for b in 0..=c {
                        take(self.v4.get(&(n & v4_mask(b), b)));
                    }
                }
            }
            Addresses::V6(n, c) => {
                if !self.v6.is_empty() {
                    for b in 0..=c {
                        take(self.v6.get(&(n & v6_mask(b), b)));
                    }
                }
            }
        }
        first
    }
}

fn finding(model: &Model<'_>, r: NodeId, winner: NodeId, allow: bool) -> Diagnostic {
    let rule = format!("{} {}", model.name(r), model.arg(r, 0).unwrap_or_default());
    let first = format!(
        "{} {}",
        model.name(winner),
        model.arg(winner, 0).unwrap_or_default()
    );
    let outcome = if allow {
        "those clients are refused"
    } else {
        "those clients are let in"
    };
    let mut diag = Diagnostic::at_node(
        &RULE,
        model,
        r,
        format!(
            "`{rule}` never applies: the earlier `{first}` matches every address it names, and \
             nginx applies the first rule that matches, so {outcome}"
        ),
    )
    .label(Label::new(
        model.file_of(winner),
        model.node(winner).directive.head_span(),
        "matches first",
    ))
    .help(format!(
        "move `{first};` after the rules it should not override (a list of `allow` lines ends \
         with `deny all;`)"
    ));
    diag.primary.text = "never applies".into();
    diag
}

#[cfg(test)]
mod tests {
    use super::{Addresses, Earlier};

    /// The look-ups find what a scan of every earlier rule finds.
    #[test]
    fn first_covering_agrees_with_a_scan() {
        let args = [
            "10.0.0.0/8",
            "10.1.0.0/16",
            "all",
            "10.1.2.3",
            "0.0.0.0/0",
            "::1",
            "::/0",
            "2001:db8::/32",
            "2001:db8::5",
            "10.1.2.0/24",
            "unix:",
            "192.168.1.1",
            "10.1.2.3",
        ];
        let parsed: Vec<Addresses> = args.iter().map(|a| Addresses::parse(a).unwrap()).collect();
        let mut earlier = Earlier::default();
        for (i, &a) in parsed.iter().enumerate() {
            let scan = parsed[..i]
                .iter()
                .position(|e| e.covers(a))
                .map(|p| p as u32);
            assert_eq!(earlier.first_covering(a), scan, "{}", args[i]);
            earlier.add(a, i as u32);
        }
    }
}
