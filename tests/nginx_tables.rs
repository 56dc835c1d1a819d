//! ngxlint's directive tables against the facts extracted from nginx's own source
//! (`../shared/data/nginx-directives.tsv`: every `ngx_command_t` entry of nginx HEAD with its
//! flags, first release and flag history; `nginx-directive-history.tsv`: every directive nginx
//! ever had, with its last release when removed). Names, contexts, argument shapes at every
//! release where they changed, first version and removals must all agree.

use std::path::Path;

use ngxlint::semantics::directives::{DirectiveSpec, Version, args, ctx, nginx_directives};

use crate::support;

struct Row {
    name: String,
    contexts: u32,
    args: u32,
    module: String,
    first: Version,
    at: String,
    /// The `#if` the entry is compiled under (`(NGX_HTTP_SSL)`), or empty.
    condition: String,
    /// (version, args) at each change of the flags, in version order.
    history: Vec<(Version, Option<u32>)>,
}

fn rows(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .skip(1)
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

fn context_bits(flags: &str) -> u32 {
    flags
        .split('|')
        .map(|f| match f.trim() {
            "NGX_MAIN_CONF" => ctx::MAIN,
            "NGX_DIRECT_CONF" => 0,
            "NGX_ANY_CONF" => u32::MAX,
            "NGX_EVENT_CONF" => ctx::EVENTS,
            "NGX_HTTP_MAIN_CONF" => ctx::HTTP,
            "NGX_HTTP_SRV_CONF" => ctx::HTTP_SRV,
            "NGX_HTTP_LOC_CONF" => ctx::HTTP_LOC,
            "NGX_HTTP_SIF_CONF" => ctx::HTTP_SIF,
            "NGX_HTTP_LIF_CONF" => ctx::HTTP_LIF,
            "NGX_HTTP_LMT_CONF" => ctx::HTTP_LMT,
            "NGX_HTTP_UPS_CONF" => ctx::HTTP_UPS,
            "NGX_STREAM_MAIN_CONF" => ctx::STREAM,
            "NGX_STREAM_SRV_CONF" => ctx::STREAM_SRV,
            "NGX_STREAM_UPS_CONF" => ctx::STREAM_UPS,
            "NGX_MAIL_MAIN_CONF" => ctx::MAIL,
            "NGX_MAIL_SRV_CONF" => ctx::MAIL_SRV,
            other => panic!("unknown context flag {other}"),
        })
        .fold(0, |a, b| a | b)
}

fn arg_bits(flags: &str) -> u32 {
    flags
        .split('|')
        .map(|f| match f.trim() {
            "NGX_CONF_NOARGS" => args::NOARGS,
            "NGX_CONF_TAKE1" => args::TAKE1,
            "NGX_CONF_TAKE2" => args::TAKE2,
            "NGX_CONF_TAKE3" => args::TAKE3,
            "NGX_CONF_TAKE4" => args::TAKE4,
            "NGX_CONF_TAKE12" => args::TAKE12,
            "NGX_CONF_TAKE13" => args::TAKE13,
            "NGX_CONF_TAKE23" => args::TAKE23,
            "NGX_CONF_TAKE123" => args::TAKE123,
            "NGX_CONF_TAKE1234" => args::TAKE1234,
            "NGX_CONF_BLOCK" => args::BLOCK,
            "NGX_CONF_FLAG" => args::FLAG,
            "NGX_CONF_ANY" => args::ANY,
            "NGX_CONF_1MORE" => args::ONE_MORE,
            "NGX_CONF_2MORE" => args::TWO_MORE,
            other => panic!("unknown argument flag {other}"),
        })
        .fold(0, |a, b| a | b)
}

fn version(s: &str) -> Version {
    // `unreleased(HEAD 1.31.5)`: in HEAD only, to be released as that version.
    let s = s
        .strip_prefix("unreleased(HEAD ")
        .and_then(|v| v.strip_suffix(')'))
        .unwrap_or(s);
    Version::parse(s).unwrap_or_else(|| panic!("bad version {s}"))
}

fn head_rows(dir: &Path) -> Vec<Row> {
    rows(&dir.join("nginx-directives.tsv"))
        .into_iter()
        .map(|r| Row {
            name: r[0].clone(),
            contexts: context_bits(&r[1]),
            args: arg_bits(&r[2]),
            module: r[3].clone(),
            first: version(&r[4]),
            at: r[6].clone(),
            condition: r[7].clone(),
            history: r[8]
                .split("; ")
                .filter(|h| !h.is_empty())
                .map(|h| {
                    let (v, flags) = h.split_once(':').unwrap();
                    let a = (flags != "absent")
                        .then(|| arg_bits(flags.split_once(' ').map_or(flags, |(_, a)| a)));
                    (version(v), a)
                })
                .collect(),
        })
        .collect()
}

/// The context bits a history family covers.
fn family_bits(family: &str) -> u32 {
    match family {
        "main" => ctx::MAIN,
        "events" => ctx::EVENTS,
        "http" => ctx::HTTP_ALL | ctx::HTTP_SIF | ctx::HTTP_LIF | ctx::HTTP_LMT | ctx::HTTP_UPS,
        "stream" => ctx::STREAM_ALL | ctx::STREAM_UPS,
        "mail" => ctx::MAIL_ALL,
        other => panic!("unknown family {other}"),
    }
}

fn show(s: &DirectiveSpec) -> String {
    format!(
        "{} [{}] contexts {:#x} args {:#x} since {} removed {:?}",
        s.name, s.module, s.contexts, s.args, s.since, s.removed
    )
}

/// Directives nginx removed before 1.0.0 (the 0.x mail/imap rename and its like) are not in
/// ngxlint's tables: no configuration still in use names them, and nginx's own answer for them
/// at any release ngxlint is asked about would be "unknown directive", which is what ngxlint says.
/// Flag changes are modelled from 1.0.0 on (the 0.x series' are not: nobody targets it).
const HISTORY_FROM: Version = Version(1, 0, 0);

const REMOVALS_FROM: Version = Version(1, 0, 0);

#[test]
fn directive_tables_match_nginx_source() {
    let Some(dir) = support::shared_data() else {
        return;
    };
    let head = head_rows(&dir);
    assert!(head.len() > 700, "only {} rows", head.len());
    let ours: Vec<&DirectiveSpec> = nginx_directives().collect();
    let mut problems = Vec::new();
    let mut matched = vec![false; ours.len()];

    for row in &head {
        let found: Vec<usize> = (0..ours.len())
            .filter(|&i| ours[i].name == row.name && ours[i].contexts & row.contexts != 0)
            .collect();
        let [i] = found[..] else {
            problems.push(format!(
                "{}: {} entries for {} [{}] contexts {:#x} args {:#x} since {} (nginx {})",
                if found.is_empty() { "missing" } else { "split" },
                found.len(),
                row.name,
                row.module,
                row.contexts,
                row.args,
                row.first,
                row.at
            ));
            continue;
        };
        matched[i] = true;
        let s = ours[i];
        let mut why = Vec::new();
        if s.contexts != row.contexts {
            why.push(format!("contexts {:#x} != {:#x}", s.contexts, row.contexts));
        }
        if s.args != row.args {
            why.push(format!("args {:#x} != {:#x}", s.args, row.args));
        }
        if s.since != row.first {
            why.push(format!("since {} != {}", s.since, row.first));
        }
        if s.removed.is_some() {
            why.push(format!("removed {:?} but HEAD has it", s.removed));
        }
        for &(v, a) in &row.history {
            if let Some(a) = a
                && v >= s.since
                && v >= HISTORY_FROM
                && s.args_at(v) != a
            {
                why.push(format!("args at {v} {:#x} != {a:#x}", s.args_at(v)));
            }
        }
        let condition = ngxlint::semantics::modules::build_condition(s).unwrap_or("");
        if condition != row.condition.trim_matches(|c| c == '(' || c == ')') {
            why.push(format!(
                "build condition {condition:?} != {:?}",
                row.condition
            ));
        }
        if !why.is_empty() {
            problems.push(format!(
                "differs: {} [{}] ({}): {}",
                row.name,
                row.module,
                row.at,
                why.join("; ")
            ));
        }
    }

    // Removed directives: gone after their last release, present in it.
    for r in rows(&dir.join("nginx-directive-history.tsv")) {
        let (name, family, module, first, last) = (&r[0], &r[1], &r[2], &r[3], &r[4]);
        if last.is_empty() {
            continue;
        }
        let last = version(last);
        if last < REMOVALS_FROM {
            continue;
        }
        let fam = family_bits(family);
        let found: Vec<usize> = (0..ours.len())
            .filter(|&i| {
                ours[i].name == *name && ours[i].contexts & fam != 0 && ours[i].removed.is_some()
            })
            .collect();
        let [i] = found[..] else {
            problems.push(format!(
                "removed missing: {} entries for {name} [{module}] ({family}) {first}..={last}",
                found.len()
            ));
            continue;
        };
        matched[i] = true;
        let s = ours[i];
        let removed = s.removed.unwrap();
        let next_minor = Version(last.0, last.1 + 1, 0);
        if s.since != version(first) || !(last < removed && removed <= next_minor) {
            problems.push(format!(
                "removed differs: {name} [{module}] ({family}) nginx {first}..={last}, ours {}",
                show(s)
            ));
        }
    }

    for (i, s) in ours.iter().enumerate() {
        if !matched[i] {
            problems.push(format!("extra: {}", show(s)));
        }
    }
    assert!(
        problems.is_empty(),
        "{} differences from nginx's command tables:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// `--nginx-version` takes every release nginx made (all versions named in the extraction, up
/// to 1.31.x), and a check at each of them runs.
#[test]
fn every_release_is_a_target() {
    use ngxlint::lint::{Options, lint_source};
    use ngxlint::nginx_binary::VersionArg;
    let Some(dir) = support::shared_data() else {
        return;
    };
    let mut versions: Vec<Version> = head_rows(&dir)
        .iter()
        .flat_map(|r| std::iter::once(r.first).chain(r.history.iter().map(|(v, _)| *v)))
        .collect();
    for r in rows(&dir.join("nginx-directive-history.tsv")) {
        versions.push(version(&r[3]));
        if !r[4].is_empty() {
            versions.push(version(&r[4]));
        }
    }
    versions.sort();
    versions.dedup();
    assert!(versions.len() > 150, "{}", versions.len());
    assert!(versions.last().is_some_and(|v| *v >= Version(1, 31, 4)));
    let src = b"events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        ssl_protocols TLSv1.2;\n    }\n}\n";
    for v in versions {
        assert_eq!(
            VersionArg::parse(&v.to_string()),
            Ok(VersionArg::Fixed(v)),
            "{v}"
        );
        let opts = Options {
            version: v,
            ..Options::default()
        };
        let linted = lint_source(Path::new("t.conf"), src.to_vec(), &opts, &|_| true);
        assert!(
            linted
                .diagnostics
                .iter()
                .all(|d| d.rule.id != "syntax-error"),
            "{v}"
        );
    }
}
