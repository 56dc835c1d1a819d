//! `ngxlint suppress`: silence the current findings in place with
//! `# ngxlint: ignore <ids> -- <reason>` lines, one above each flagged line (same indentation
//! and line ending), through the fix engine's edit application. The reason is given once for
//! every comment added.

use std::collections::BTreeMap;

use crate::fix::{Edit, Fix};
use crate::lint::{BLOCKING_RULES, FileChange};
use crate::report::Finding;
use crate::rules::Diagnostic;
use crate::semantics::Program;

/// The changed files for suppressing `findings` of `program` (all from that program) with
/// `reason`. Findings of rules that mean the configuration could not be read
/// (syntax errors, missing includes) are not suppressed.
pub fn suppress(program: &Program, findings: &[&Diagnostic], reason: &str) -> Vec<FileChange> {
    // (file, line start) → rule ids, in order, once each.
    let mut lines: BTreeMap<(u32, u32), Vec<&'static str>> = BTreeMap::new();
    for d in findings {
        if BLOCKING_RULES.contains(&d.rule.id) {
            continue;
        }
        let file = program.file(d.primary.file);
        let at = d.primary.span.start as usize;
        let start = file.src[..at.min(file.src.len())]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1) as u32;
        let ids = lines.entry((d.primary.file, start)).or_default();
        if !ids.contains(&d.rule.id) {
            ids.push(d.rule.id);
        }
    }
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut synthetic = Vec::new();
    for ((file, start), ids) in lines {
        let src = &program.file(file).src;
        let indent: String = src[start as usize..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .map(|&b| char::from(b))
            .collect();
        let eol = crate::fix::style::line_ending(src);
        let text = format!(
            "{indent}# ngxlint: ignore {} -- {reason}{eol}",
            ids.join(",")
        );
        let carrier = findings
            .iter()
            .find(|d| d.primary.file == file)
            .expect("a finding in this file");
        let mut d = (*carrier).clone();
        d.fix = Some(Box::new(Fix::safe(
            "suppress",
            vec![Edit::insert(file, start, text)],
        )));
        synthetic.push(d);
    }
    let patched = crate::fix::apply::apply(program, &synthetic, true);
    patched
        .texts
        .into_iter()
        .map(|(file, after)| {
            let f = program.file(file);
            FileChange {
                path: f.path.clone(),
                before: f.src.to_vec(),
                after,
            }
        })
        .collect()
}

/// [`suppress`] for findings from several programs: changes per file, each file once.
pub fn suppress_all(findings: &[Finding<'_>], reason: &str) -> Vec<FileChange> {
    let mut by_program: Vec<(&Program, Vec<&Diagnostic>)> = Vec::new();
    for f in findings {
        match by_program
            .iter_mut()
            .find(|(p, _)| std::ptr::eq(*p, f.program))
        {
            Some((_, ds)) => ds.push(f.diagnostic),
            None => by_program.push((f.program, vec![f.diagnostic])),
        }
    }
    let mut out: Vec<FileChange> = Vec::new();
    for (program, ds) in by_program {
        for c in suppress(program, &ds, reason) {
            if !out.iter().any(|o| o.path == c.path) {
                out.push(c);
            }
        }
    }
    out
}
