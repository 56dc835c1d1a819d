//! `ngxlint rules` (the table) and `ngxlint rule <id>` (a rule's page, embedded: works offline).

use serde::Serialize;

use crate::rules::{RULES, rule_by_id};

use super::exit;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// A rule id, e.g. `buffering-on-streaming`.
    pub id: String,
}

#[derive(Serialize)]
struct RuleRow {
    id: &'static str,
    category: &'static str,
    default: bool,
    severity: &'static str,
    fix: &'static str,
    summary: &'static str,
    /// When findings carry another severity than the default, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    severity_varies: Option<&'static str>,
}

pub fn run_rules(args: &RulesArgs) -> u8 {
    let rows: Vec<RuleRow> = RULES
        .iter()
        .map(|r| RuleRow {
            id: r.id,
            category: r.category.as_str(),
            default: r.default,
            severity: r.severity.as_str(),
            fix: r.fix.as_str(),
            summary: r.summary,
            severity_varies: crate::rules::severity_varies(r.id),
        })
        .collect();
    let text = match args.format {
        RulesFormat::Json => {
            let mut t = serde_json::to_string_pretty(&rows).expect("plain data");
            t.push('\n');
            t
        }
        RulesFormat::Text => {
            let w = rows
                .iter()
                .map(|r| r.id.len() + usize::from(!r.default))
                .max()
                .unwrap_or(0);
            let mut t = format!(
                "{:w$}  {:11} {:8} {:9} summary\n",
                "rule", "category", "severity", "fix"
            );
            let varies: Vec<(&str, &str)> = rows
                .iter()
                .filter_map(|r| Some((r.id, r.severity_varies?)))
                .collect();
            for r in rows {
                // `*`: outside the default set (turn on with `--select <id>`).
                let id = if r.default {
                    r.id.to_owned()
                } else {
                    format!("{}*", r.id)
                };
                t.push_str(&format!(
                    "{id:w$}  {:11} {:8} {:9} {}\n",
                    r.category, r.severity, r.fix, r.summary
                ));
            }
            if !varies.is_empty() {
                t.push_str("\nSeverity varies by finding:\n");
                for (id, why) in varies {
                    t.push_str(&format!("  {id}: {why}\n"));
                }
            }
            if RULES.iter().any(|r| !r.default) {
                t.push_str("\n* not in the default set: `--select <id>` or `--select <category>` turns it on\n");
            }
            t
        }
    };
    super::check::emit(&text, None).map_or_else(|code| code, |()| exit::CLEAN)
}

pub fn run_rule(args: &RuleArgs) -> u8 {
    match rule_by_id(&args.id) {
        Some(r) => super::check::emit(r.doc, None).map_or_else(|code| code, |()| exit::CLEAN),
        None => {
            let close: Vec<&str> = RULES
                .iter()
                .filter(|r| crate::rules::edit_distance(r.id, &args.id) <= 3)
                .map(|r| r.id)
                .collect();
            eprintln!("error: no rule `{}`", args.id);
            if !close.is_empty() {
                eprintln!("did you mean: {}", close.join(", "));
            }
            eprintln!("see `ngxlint rules` for the list");
            exit::ERROR
        }
    }
}
