//! Applying fixes: non-overlapping edits in a deterministic order (ruff's algorithm).

use std::collections::BTreeMap;

use super::edit::{Applicability, Edit};
use crate::rules::Diagnostic;
use crate::semantics::{FileId, Program};

/// One fix that was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub rule: &'static str,
    pub title: String,
}

/// New bytes for every file an applied fix touched.
#[derive(Debug, Default)]
pub struct Patched {
    pub texts: BTreeMap<FileId, Vec<u8>>,
    pub applied: Vec<Applied>,
}

/// Apply every allowed fix that does not overlap (or touch) an edit already taken.
///
/// Fixes are taken in order of their first edit (file, offset), ties broken by rule id, so the
/// result does not depend on rule order. A fix is all-or-nothing: if any of its edits collides,
/// it waits for the next round (the caller re-lints and repeats).
pub fn apply(program: &Program, diagnostics: &[Diagnostic], allow_unsafe: bool) -> Patched {
    let mut fixes: Vec<(&Diagnostic, &super::Fix)> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_deref().map(|f| (d, f)))
        .filter(|(_, f)| allow_unsafe || f.applicability == Applicability::Safe)
        .filter(|(_, f)| !f.edits.is_empty())
        .collect();
    fixes.sort_by(|(da, fa), (db, fb)| {
        let ka = (fa.edits[0].file, fa.edits[0].span.start, da.rule.id);
        let kb = (fb.edits[0].file, fb.edits[0].span.start, db.rule.id);
        ka.cmp(&kb)
    });
    let mut taken: BTreeMap<FileId, Vec<&Edit>> = BTreeMap::new();
    let mut applied = Vec::new();
    let mut seen_titles = std::collections::HashSet::new();
    for (d, fix) in fixes {
        // The same fix reached through two include sites is one fix.
        if !seen_titles.insert((fix.edits.clone(), d.rule.id)) {
            continue;
        }
        let collides = fix.edits.iter().any(|e| {
            taken.get(&e.file).is_some_and(|list| {
                list.iter().any(|t| {
                    // Overlap, or two edits meeting at one point: both would be ambiguous.
                    e.span.start <= t.span.end && t.span.start <= e.span.end
                })
            })
        });
        if collides {
            continue;
        }
        for e in &fix.edits {
            taken.entry(e.file).or_default().push(e);
        }
        applied.push(Applied {
            rule: d.rule.id,
            title: fix.title.to_string(),
        });
    }
    let mut texts = BTreeMap::new();
    for (file, mut edits) in taken {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let src = &program.file(file).src;
        let mut out = Vec::with_capacity(src.len() + 256);
        let mut at = 0usize;
        for e in edits {
            out.extend_from_slice(&src[at..e.span.start as usize]);
            out.extend_from_slice(e.text.as_bytes());
            at = e.span.end as usize;
        }
        out.extend_from_slice(&src[at..]);
        texts.insert(file, out);
    }
    Patched { texts, applied }
}
