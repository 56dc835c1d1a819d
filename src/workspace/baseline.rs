//! Baselines: the findings an existing configuration already has, recorded once
//! (`ngxlint baseline`, `--update-baseline`) so later runs report only new ones
//! (`--baseline FILE`).
//!
//! A finding matches a recorded one by rule id, file (as reports show it) and the fingerprint
//! SARIF publishes as `partialFingerprints` ([`crate::report::fingerprints`]): the text of the
//! flagged line, not its number, so findings survive lines moving above them.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::report::{Finding, fingerprints};

/// Where `ngxlint baseline` writes by default.
pub const DEFAULT_PATH: &str = ".ngxlint-baseline.json";

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version (1).
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub file: String,
    pub fingerprint: String,
    /// For people reading the file; not used to match.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

impl Baseline {
    /// The findings of a run.
    pub fn of(findings: &[Finding<'_>]) -> Baseline {
        let fps = fingerprints(findings);
        Baseline {
            version: 1,
            findings: findings
                .iter()
                .zip(fps)
                .map(|(f, fingerprint)| Entry {
                    rule: f.diagnostic.rule.id.to_owned(),
                    file: f.path().replace('\\', "/"),
                    fingerprint,
                    message: f.diagnostic.message.to_string(),
                })
                .collect(),
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} is not an ngxlint baseline: {e} (write one with `ngxlint baseline`)",
                path.display()
            )
        })?;
        if b.version != 1 {
            return Err(format!(
                "{}: baseline version {} is not supported (expected 1)",
                path.display(),
                b.version
            ));
        }
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plain data");
        s.push('\n');
        s
    }

    /// For each finding: is it in the baseline?
    pub fn matches(&self, findings: &[Finding<'_>]) -> Vec<bool> {
        let known: HashSet<(&str, &str, &str)> = self
            .findings
            .iter()
            .map(|e| (e.rule.as_str(), e.file.as_str(), e.fingerprint.as_str()))
            .collect();
        findings
            .iter()
            .zip(fingerprints(findings))
            .map(|(f, fp)| {
                let file = f.path().replace('\\', "/");
                known.contains(&(f.diagnostic.rule.id, file.as_str(), fp.as_str()))
            })
            .collect()
    }
}
