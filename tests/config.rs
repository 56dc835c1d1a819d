//! `.ngxlint.yml` end to end through the CLI: discovery, every key, `--config`/`--no-config`,
//! errors with a caret, `ngxlint init` and `ngxlint config`, and inline suppressions.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::{self, code, json, stderr, stdout};

fn config_fixtures() -> PathBuf {
    support::repo_root().join("fixtures/projects/config")
}

fn ngxlint_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(support::ngxlint_bin())
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("run ngxlint")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A temporary project: `.ngxlint.yml` (when `yaml` is given) at its root, the base fixture
/// two directories below it (`site/nginx/app.conf`), so the config is found by walking up.
struct Project {
    dir: PathBuf,
}

impl Project {
    fn new(tag: &str, yaml: Option<&str>) -> Project {
        let dir = support::tempdir(tag);
        if let Some(y) = yaml {
            write(&dir.join(".ngxlint.yml"), y);
        }
        let app = dir.join("site/nginx/app.conf");
        std::fs::create_dir_all(app.parent().unwrap()).unwrap();
        std::fs::copy(config_fixtures().join("app.conf"), &app).unwrap();
        Project { dir }
    }

    fn run(&self, args: &[&str]) -> Output {
        ngxlint_in(&self.dir, args)
    }

    /// `check --format json ARGS site/nginx/app.conf`, run from the project's `site/nginx` (so
    /// the config is in a parent directory of both the file and the working directory).
    fn check_app(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        all.push("app.conf");
        let out = ngxlint_in(&self.dir.join("site/nginx"), &all);
        let v = json(&out);
        (code(&out), v)
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// (rule, line) of every finding.
fn found(v: &Value) -> Vec<(String, u64)> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    list.iter().map(|(r, l)| (r.to_string(), *l)).collect()
}

/// What app.conf reports without a config file.
const BASELINE: &[(&str, u64)] = &[
    ("unknown-directive", 11),
    ("read-timeout-short", 20),
    ("useless-timeout", 34),
];

#[test]
fn baseline_without_a_config_file() {
    let p = Project::new("config-none", None);
    let (code, v) = p.check_app(&[]);
    assert_eq!(code, 1);
    assert_eq!(found(&v), pairs(BASELINE), "{v}");
    // An empty config file changes nothing.
    let p = Project::new("config-empty", Some(""));
    let (code, v) = p.check_app(&[]);
    assert_eq!(code, 1);
    assert_eq!(found(&v), pairs(BASELINE), "{v}");
}

#[test]
fn ignore_and_select_from_a_parent_directory() {
    let p = Project::new("config-ignore", Some("ignore: [read-timeout-short]\n"));
    let (_, v) = p.check_app(&[]);
    assert_eq!(
        found(&v),
        pairs(&[("unknown-directive", 11), ("useless-timeout", 34)]),
        "{v}"
    );
    // Flags add to the config's ignore list.
    let (code, v) = p.check_app(&["--ignore", "unknown-directive"]);
    assert_eq!(found(&v), pairs(&[("useless-timeout", 34)]), "{v}");
    assert_eq!(code, 0, "only an info is left");

    let p = Project::new(
        "config-select",
        Some("select: [read-timeout-short, useless-timeout]\n"),
    );
    let (code, v) = p.check_app(&[]);
    assert_eq!(
        found(&v),
        pairs(&[("read-timeout-short", 20), ("useless-timeout", 34)]),
        "{v}"
    );
    assert_eq!(code, 1);
    // --select on the command line replaces the config's.
    let (_, v) = p.check_app(&["--select", "unknown-directive"]);
    assert_eq!(found(&v), pairs(&[("unknown-directive", 11)]), "{v}");
}

#[test]
fn fail_on_from_the_config() {
    // Only the warning and the info are left.
    let base = "ignore: [unknown-directive]\n";
    let p = Project::new("config-failon-default", Some(base));
    assert_eq!(p.check_app(&[]).0, 1);

    let p = Project::new(
        "config-failon-error",
        Some(&format!("{base}fail_on: error\n")),
    );
    let (code, v) = p.check_app(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["warnings"], 1, "still reported: {v}");
    // The flag wins over the config.
    assert_eq!(p.check_app(&["--fail-on", "warning"]).0, 1);

    let p = Project::new(
        "config-failon-info",
        Some("select: [useless-timeout]\nfail_on: info\n"),
    );
    assert_eq!(p.check_app(&[]).0, 1);
    assert_eq!(p.check_app(&["--fail-on", "warning"]).0, 0);
}

#[test]
fn rule_severity_and_read_timeout_floor() {
    let p = Project::new(
        "config-severity",
        Some("rules:\n  useless-timeout:\n    severity: warning\n"),
    );
    let (_, v) = p.check_app(&[]);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "useless-timeout")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(d["severity"], "warning", "{d}");
    assert_eq!(v["summary"]["warnings"], 2, "{v}");
    assert_eq!(v["summary"]["infos"], 0, "{v}");
    // Now it alone fails the run at the default threshold.
    let (code, _) = p.check_app(&["--select", "useless-timeout"]);
    assert_eq!(code, 1);

    // The 300s location is below a 10m floor.
    let p = Project::new(
        "config-min",
        Some("rules:\n  read-timeout-short:\n    min: 10m\n"),
    );
    let (_, v) = p.check_app(&["--select", "read-timeout-short"]);
    assert_eq!(
        found(&v),
        pairs(&[("read-timeout-short", 16), ("read-timeout-short", 20)]),
        "{v}"
    );
    let msg = v["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.contains("300s"), "{msg}");
    assert!(msg.contains("600s") || msg.contains("10m"), "{msg}");

    // A floor below the default: 60s is enough.
    let p = Project::new(
        "config-min-low",
        Some("rules:\n  read-timeout-short:\n    min: 30s\n"),
    );
    let (_, v) = p.check_app(&["--select", "read-timeout-short"]);
    assert!(found(&v).is_empty(), "{v}");
}

#[test]
fn streaming_settings() {
    let p = Project::new("config-stream-none", Some("streaming:\n  mode: none\n"));
    let (_, v) = p.check_app(&[]);
    // No location streams: the streaming rules (useless-timeout among them) say nothing.
    assert_eq!(found(&v), pairs(&[("unknown-directive", 11)]), "{v}");
    // The flag beats the config.
    let (_, v) = p.check_app(&["--streaming", "auto"]);
    assert_eq!(found(&v), pairs(BASELINE), "{v}");

    let p = Project::new(
        "config-stream-locations",
        Some("streaming:\n  locations: [\"/mychat\"]\n"),
    );
    let (_, v) = p.check_app(&["--select", "read-timeout-short,buffering-on-streaming"]);
    assert_eq!(
        found(&v),
        pairs(&[
            ("read-timeout-short", 20),
            ("buffering-on-streaming", 26),
            ("read-timeout-short", 26),
        ]),
        "{v}"
    );
    let mychat = &v["diagnostics"][1]["message"];
    assert!(
        mychat.as_str().unwrap().contains("/mychat"),
        "the finding says why it streams: {mychat}"
    );

    let p = Project::new(
        "config-stream-upstreams",
        Some("streaming:\n  upstreams: [\"127.0.0.1:8000\"]\n"),
    );
    let (_, v) = p.check_app(&["--select", "buffering-on-streaming"]);
    // /mychat proxies to that upstream with buffering on (/ turns it off).
    assert_eq!(found(&v), pairs(&[("buffering-on-streaming", 26)]), "{v}");
}

#[test]
fn known_directives() {
    let p = Project::new("config-known", Some("known_directives: [my_directive]\n"));
    let (_, v) = p.check_app(&[]);
    assert_eq!(
        found(&v),
        pairs(&[("read-timeout-short", 20), ("useless-timeout", 34)]),
        "{v}"
    );
    // Only that name.
    let p = Project::new(
        "config-known-other",
        Some("known_directives: [other_directive]\n"),
    );
    let (_, v) = p.check_app(&[]);
    assert_eq!(found(&v), pairs(BASELINE), "{v}");
}

#[test]
fn overrides_apply_only_to_matching_files() {
    let p = Project::new(
        "config-overrides",
        Some("overrides:\n  - files: [\"legacy/*.conf\"]\n    nginx_version: \"1.22.1\"\n"),
    );
    let h2 = config_fixtures().join("http2-on.conf");
    std::fs::create_dir_all(p.dir.join("legacy")).unwrap();
    std::fs::create_dir_all(p.dir.join("current")).unwrap();
    std::fs::copy(&h2, p.dir.join("legacy/h2.conf")).unwrap();
    std::fs::copy(&h2, p.dir.join("current/h2.conf")).unwrap();
    let out = p.run(&[
        "check",
        "--format",
        "json",
        "legacy/h2.conf",
        "current/h2.conf",
    ]);
    assert_eq!(code(&out), 1);
    let v = json(&out);
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{v}");
    assert_eq!(diags[0]["rule"], "unknown-directive");
    assert_eq!(diags[0]["file"], "legacy/h2.conf");
    assert!(
        diags[0]["message"].as_str().unwrap().contains("1.22.1"),
        "{v}"
    );
    // Walking the directory: the same.
    let out = p.run(&["check", "--format", "json", "."]);
    let v = json(&out);
    let files: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "unknown-directive" && d["line"] == 7)
        .map(|d| d["file"].as_str().unwrap().trim_start_matches("./"))
        .collect();
    assert_eq!(files, ["legacy/h2.conf"], "{v}");
    // `ngxlint config` shows the override for a matching file only.
    let v = json(&p.run(&["config", "legacy/h2.conf"]));
    assert_eq!(v["nginx_version"], "1.22.1", "{v}");
    let v = json(&p.run(&["config", "current/h2.conf"]));
    assert_ne!(v["nginx_version"], "1.22.1", "{v}");
}

#[test]
fn exclude_skips_directories_when_walking() {
    let p = Project::new("config-exclude", Some("exclude: [\"vendor/**\"]\n"));
    let h2 = config_fixtures().join("app.conf");
    std::fs::create_dir_all(p.dir.join("vendor/pkg")).unwrap();
    std::fs::copy(&h2, p.dir.join("vendor/pkg/vendored.conf")).unwrap();
    let files_of = |out: &Output| -> Vec<String> {
        let v = json(out);
        let mut f: Vec<String> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                d["file"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("./")
                    .to_owned()
            })
            .collect();
        f.dedup();
        f
    };
    let out = p.run(&["check", "--format", "json", "."]);
    assert_eq!(files_of(&out), ["site/nginx/app.conf"], "{}", stdout(&out));
    // Without the config the vendored file is linted.
    let out = p.run(&["check", "--no-config", "--format", "json", "."]);
    let files = files_of(&out);
    assert!(
        files.contains(&"vendor/pkg/vendored.conf".to_owned()),
        "{files:?}"
    );
    // Walking the excluded directory itself finds nothing to check.
    let out = p.run(&["check", "--format", "json", "vendor"]);
    assert!(files_of(&out).is_empty(), "{}", stdout(&out));
}

#[test]
fn config_flag_and_no_config() {
    let p = Project::new("config-flag", Some("ignore: [read-timeout-short]\n"));
    write(
        &p.dir.join("elsewhere/custom.yml"),
        "ignore: [unknown-directive]\n",
    );
    let custom = p.dir.join("elsewhere/custom.yml");
    let custom = custom.to_str().unwrap();
    // --config replaces the discovered file (not merged with it).
    let (_, v) = p.check_app(&["--config", custom]);
    assert_eq!(
        found(&v),
        pairs(&[("read-timeout-short", 20), ("useless-timeout", 34)]),
        "{v}"
    );
    // --no-config: the baseline.
    let (_, v) = p.check_app(&["--no-config"]);
    assert_eq!(found(&v), pairs(BASELINE), "{v}");
    // Both: a usage error.
    let out = ngxlint_in(
        &p.dir.join("site/nginx"),
        &["check", "--config", custom, "--no-config", "app.conf"],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    // A --config that does not exist.
    let out = ngxlint_in(
        &p.dir.join("site/nginx"),
        &["check", "--config", "/nonexistent/ngxlint.yml", "app.conf"],
    );
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("/nonexistent/ngxlint.yml"),
        "{}",
        stderr(&out)
    );
    // `ngxlint config --config FILE`.
    let v = json(&p.run(&["config", "--config", custom]));
    assert_eq!(v["ignore"], serde_json::json!(["unknown-directive"]), "{v}");
    assert!(
        v["config_file"].as_str().unwrap().ends_with("custom.yml"),
        "{v}"
    );
}

#[test]
fn a_yaml_suffix_is_found_too() {
    let p = Project::new("config-yaml", None);
    write(
        &p.dir.join(".ngxlint.yaml"),
        "ignore: [read-timeout-short]\n",
    );
    let (_, v) = p.check_app(&[]);
    assert_eq!(
        found(&v),
        pairs(&[("unknown-directive", 11), ("useless-timeout", 34)]),
        "{v}"
    );
    // The nearest file wins.
    write(
        &p.dir.join("site/.ngxlint.yml"),
        "ignore: [useless-timeout]\n",
    );
    let (_, v) = p.check_app(&[]);
    assert_eq!(
        found(&v),
        pairs(&[("unknown-directive", 11), ("read-timeout-short", 20)]),
        "{v}"
    );
}

// ---------------------------------------------------------------------------------------------
// Errors

/// A bad config: exit 2, nothing on stdout, stderr names the file with `:LINE:COL`, and shows
/// the offending line with a caret and a label; the same for `ngxlint config`.
fn assert_config_error(yaml: &str, line: u32, col: u32, needles: &[&str]) {
    let p = Project::new("config-error", Some(yaml));
    for args in [
        &["check", "site/nginx/app.conf"][..],
        &["check", "--format", "json", "."][..],
        &["fix", "--diff", "site/nginx/app.conf"][..],
        &["config", "site/nginx/app.conf"][..],
    ] {
        let out = p.run(args);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{yaml:?} {args:?}: {err}");
        assert!(
            out.stdout.is_empty(),
            "{yaml:?} {args:?}: lint output: {}",
            stdout(&out)
        );
        assert!(
            err.contains(&format!(".ngxlint.yml:{line}:{col}]")),
            "{yaml:?} {args:?}: no .ngxlint.yml:{line}:{col}:\n{err}"
        );
        let offending = yaml.lines().nth(line as usize - 1).unwrap();
        assert!(
            err.contains(offending),
            "{yaml:?}: the line is not shown:\n{err}"
        );
        assert!(err.contains("`-- here"), "{yaml:?}: no label:\n{err}");
        // The caret is under the column: the line after the source line has `^` at `col`.
        let lines: Vec<&str> = err.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.ends_with(offending) && l.contains(&format!("{line} |")))
            .unwrap_or_else(|| panic!("{yaml:?}: source line not found:\n{err}"));
        let src_col = lines[at].find(offending).unwrap() + col as usize - 1;
        let caret_line = lines[at + 1];
        let caret_col = caret_line
            .char_indices()
            .find(|(_, c)| *c == '^' || *c == '|')
            .map(|(i, _)| caret_line[..i].chars().count())
            .unwrap_or_else(|| panic!("{yaml:?}: no caret line:\n{err}"));
        assert_eq!(
            caret_col,
            lines[at][..src_col].chars().count(),
            "{yaml:?}: caret not under column {col}:\n{err}"
        );
        // miette wraps the message at 80 columns (and at hyphens): compare without the wrapping.
        let squash = |s: &str| -> String {
            s.replace("\n  | ", "")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        for n in needles {
            assert!(
                squash(&err).contains(&squash(n)),
                "{yaml:?}: no {n:?}:\n{err}"
            );
        }
    }
}

#[test]
fn unknown_key_is_an_error_with_a_caret() {
    assert_config_error(
        "nginx_version: \"1.24.0\"\nfoo: 1\n",
        2,
        1,
        &["unknown field `foo`"],
    );
    assert_config_error(
        "streaming:\n  mode: all\n  modes: none\n",
        3,
        3,
        &["unknown field `modes`"],
    );
    assert_config_error(
        "rules:\n  read-timeout-short:\n    minimum: 10m\n",
        3,
        5,
        &["unknown field `minimum`"],
    );
}

#[test]
fn categories_are_accepted_where_rule_ids_are() {
    let dir = std::env::temp_dir().join(format!("ngxlint-config-cat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(".ngxlint.yml"),
        "select: [streaming, correctness]\nignore: [style]\n",
    )
    .unwrap();
    let cfg = ngxlint::config::Config::load(&dir.join(".ngxlint.yml"));
    std::fs::remove_dir_all(&dir).unwrap();
    let eff = cfg
        .expect("categories are valid selectors")
        .effective_for(&dir);
    assert_eq!(
        eff.select.as_deref(),
        Some(&["streaming".to_owned(), "correctness".to_owned()][..])
    );
    assert_eq!(eff.ignore, ["style"]);
}

#[test]
fn bad_values_are_errors_with_a_caret() {
    assert_config_error(
        "rules:\n  forwarded-proto-missing:\n    severity: loud\n",
        3,
        15,
        &["`loud` is not a severity"],
    );
    assert_config_error("fail_on: never\n", 1, 10, &["`never` is not a severity"]);
    assert_config_error(
        "ignore: [nope-rule]\n",
        1,
        10,
        &["unknown rule id or category `nope-rule`"],
    );
    assert_config_error(
        "select:\n  - read-timeout-short\n  - read-timeout-shrt\n",
        3,
        5,
        &["unknown rule id or category `read-timeout-shrt`"],
    );
    assert_config_error(
        "nginx_version: \"1.x\"\n",
        1,
        16,
        &["`1.x` is not an nginx version"],
    );
    assert_config_error(
        "overrides:\n  - files: [\"legacy/*.conf\"]\n    nginx_version: \"one\"\n",
        3,
        20,
        &["`one` is not an nginx version"],
    );
    assert_config_error(
        "rules:\n  read-timeout-short:\n    min: soon\n",
        3,
        10,
        &["`soon` is not an nginx time"],
    );
    assert_config_error(
        "streaming:\n  mode: sometimes\n",
        2,
        9,
        &["`sometimes` is not a streaming mode"],
    );
}

#[test]
fn unknown_rule_id_under_rules_points_at_the_id() {
    // The caret belongs under the unknown id (the key), not under its first setting.
    assert_config_error(
        "rules:\n  no-such-rule:\n    severity: error\n",
        2,
        3,
        &["unknown rule id `no-such-rule`"],
    );
}

#[test]
fn invalid_yaml_is_an_error_with_a_caret() {
    assert_config_error("select: [a\nb: [\n", 2, 2, &[]);
    assert_config_error("ignore: read-timeout-short\n", 1, 9, &[]);
}

// ---------------------------------------------------------------------------------------------
// init, config

#[test]
fn init_writes_a_starter_that_parses() {
    let dir = support::tempdir("config-init");
    let out = ngxlint_in(&dir, &["init"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let path = dir.join(".ngxlint.yml");
    let starter = std::fs::read_to_string(&path).expect("init wrote .ngxlint.yml");
    assert!(starter.starts_with("# ngxlint configuration"), "{starter}");

    // It parses, and `config` shows what it sets.
    let out = ngxlint_in(&dir, &["config"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["nginx_version"], "1.24.0", "{v}");
    assert_eq!(v["fail_on"], "warning", "{v}");
    assert_eq!(v["read_timeout_min_secs"], 300, "{v}");
    assert_eq!(v["streaming_mode"], "auto", "{v}");
    assert_eq!(v["select"], Value::Null, "{v}");
    assert!(
        v["config_file"].as_str().unwrap().ends_with(".ngxlint.yml"),
        "{v}"
    );
    // And a check under it runs.
    std::fs::copy(config_fixtures().join("app.conf"), dir.join("app.conf")).unwrap();
    let out = ngxlint_in(&dir, &["check", "--format", "json", "app.conf"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("the default for nginx 1.24.0"),
        "the starter's nginx_version is used: {}",
        stdout(&out)
    );

    // No overwrite without --force.
    std::fs::write(&path, "fail_on: error\n").unwrap();
    let out = ngxlint_in(&dir, &["init"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "fail_on: error\n");
    let out = ngxlint_in(&dir, &["init", "--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), starter);

    // An explicit path.
    let out = ngxlint_in(&dir, &["init", "custom.yml"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.join("custom.yml")).unwrap(),
        starter
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_prints_the_effective_settings() {
    let p = Project::new(
        "config-show",
        Some(
            "nginx_version: \"1.26.3\"\nfail_on: error\nignore: [useless-timeout]\nrules:\n  read-timeout-short:\n    min: 10m\n  forwarded-proto-missing:\n    severity: warning\nstreaming:\n  mode: all\n  locations: [\"/llm/\"]\nknown_directives: [my_directive]\nexclude: [\"vendor/**\"]\npath_map:\n  /etc/nginx: deploy/nginx\n",
        ),
    );
    let out = p.run(&["config", "site/nginx/app.conf"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["nginx_version"], "1.26.3", "{v}");
    assert_eq!(v["fail_on"], "error", "{v}");
    assert_eq!(v["ignore"], serde_json::json!(["useless-timeout"]), "{v}");
    assert_eq!(v["read_timeout_min_secs"], 600, "{v}");
    assert_eq!(
        v["severities"],
        serde_json::json!({"forwarded-proto-missing": "warning"}),
        "{v}"
    );
    assert_eq!(v["streaming_mode"], "all", "{v}");
    assert_eq!(
        v["streaming_locations"],
        serde_json::json!(["/llm/"]),
        "{v}"
    );
    assert_eq!(
        v["known_directives"],
        serde_json::json!(["my_directive"]),
        "{v}"
    );
    assert_eq!(v["exclude"], serde_json::json!(["vendor/**"]), "{v}");
    // `to` is taken from the config file's directory.
    let to = v["path_map"]["/etc/nginx"]
        .as_str()
        .expect("path_map shown");
    assert_eq!(
        std::path::Path::new(to),
        std::fs::canonicalize(&p.dir)
            .unwrap()
            .join("deploy/nginx")
            .as_path(),
        "{v}"
    );
    let cfg = std::fs::canonicalize(p.dir.join(".ngxlint.yml")).unwrap();
    assert_eq!(
        std::fs::canonicalize(v["config_file"].as_str().unwrap()).unwrap(),
        cfg,
        "{v}"
    );

    // An empty config file: the defaults.
    let out = p.run(&["config", "--config", "/dev/null"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["config_file"], "/dev/null", "{v}");
    assert_eq!(v["nginx_version"], "1.28.0 (default)", "{v}");
    assert_eq!(v["streaming_mode"], "auto", "{v}");
    assert_eq!(v["fail_on"], Value::Null, "{v}");
    // No config file anywhere above a fresh temp dir.
    let dir = support::tempdir("config-show-none");
    let v = json(&ngxlint_in(&dir, &["config"]));
    if v["config_file"].is_null() {
        assert_eq!(v["nginx_version"], "1.28.0 (default)", "{v}");
        assert_eq!(v["streaming_mode"], "auto", "{v}");
        assert_eq!(v["ignore"], serde_json::json!([]), "{v}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// Suppressions

fn check_fixture(file: &str, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--no-config", "--format", "json"];
    all.extend_from_slice(args);
    all.push(file);
    let out = ngxlint_in(&config_fixtures(), &all);
    let v = json(&out);
    (code(&out), v)
}

#[test]
fn ignore_comment_on_the_line_above_or_the_same_line() {
    // read-timeout-short is info for a stream whose heartbeat is unknown: fail on it.
    let (code, v) = check_fixture("suppress-line.conf", &["--fail-on", "info"]);
    // /events (comment above) and /sse (comment on the line) are suppressed; /stream is not.
    assert_eq!(found(&v), pairs(&[("read-timeout-short", 18)]), "{v}");
    assert_eq!(code, 1);
    assert!(
        v["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("/stream"),
        "{v}"
    );
}

#[test]
fn ignore_block_and_ignore_file() {
    let (_, v) = check_fixture("suppress-block.conf", &[]);
    assert_eq!(
        found(&v),
        pairs(&[("buffering-on-streaming", 12), ("read-timeout-short", 12)]),
        "only /api/generate is reported: {v}"
    );
    let (code, v) = check_fixture("suppress-file.conf", &[]);
    assert_eq!(found(&v), pairs(&[]), "{v}");
    assert_eq!(code, 0);
    // Without the comment both locations would be reported.
    let text = std::fs::read_to_string(config_fixtures().join("suppress-file.conf")).unwrap();
    let dir = support::tempdir("config-suppress-file");
    let stripped: String = text
        .lines()
        .map(|l| {
            if l.contains("ngxlint: ignore-file") {
                "# (no suppression)"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("nginx.conf"), stripped + "\n").unwrap();
    let out = ngxlint_in(
        &dir,
        &["check", "--no-config", "--format", "json", "nginx.conf"],
    );
    assert_eq!(
        found(&json(&out)),
        pairs(&[("read-timeout-short", 8), ("read-timeout-short", 13)])
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn suppressions_without_reason_or_unused_are_reported() {
    let (code, v) = check_fixture("suppress-bad.conf", &[]);
    assert_eq!(
        found(&v),
        pairs(&[
            ("suppression-reason-missing", 7),
            ("unused-suppression", 13),
            ("unused-suppression", 20),
        ]),
        "{v}"
    );
    assert_eq!(code, 1);
    let msgs: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(msgs[1].contains("gzip-event-stream"), "{msgs:?}");
    assert!(msgs[2].contains("no-such-rule"), "{msgs:?}");
    for d in v["diagnostics"].as_array().unwrap() {
        assert_eq!(d["severity"], "warning", "{d}");
        assert_eq!(d["column"], 9, "the span is the comment: {d}");
    }

    // Those findings can be switched off like any rule.
    let (code, v) = check_fixture(
        "suppress-bad.conf",
        &["--ignore", "unused-suppression,suppression-reason-missing"],
    );
    assert_eq!(found(&v), pairs(&[]), "{v}");
    assert_eq!(code, 0);
    // A suppression of a rule that did not run is not "unused".
    let (_, v) = check_fixture("suppress-line.conf", &["--ignore", "read-timeout-short"]);
    assert_eq!(found(&v), pairs(&[]), "{v}");
    // The suppressions work the same on stdin.
    let out = Command::new(support::ngxlint_bin())
        .args([
            "check",
            "--no-config",
            "--format",
            "concise",
            "-",
            "--stdin-filename",
            "conf/nginx.conf",
        ])
        .stdin(std::fs::File::open(config_fixtures().join("suppress-line.conf")).unwrap())
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("conf/nginx.conf:18:9: info[read-timeout-short]"),
        "{text}"
    );
}
