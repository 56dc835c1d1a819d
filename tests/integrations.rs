//! Integrations around the binary: shell completions, the man page, and the files other tools
//! read (pre-commit hooks, the GitHub Action, the Dockerfile).

use std::process::Command;

use serde_json::Value;

use crate::support::{ngxlint_bin, repo_root};

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(ngxlint_bin())
        .args(args)
        .output()
        .expect("run ngxlint");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn yaml(file: &str) -> Value {
    let text = std::fs::read_to_string(repo_root().join(file)).expect(file);
    serde_saphyr::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{file} is not YAML: {e}"))
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "completions {shell}: {err}");
        assert!(
            out.contains("ngxlint"),
            "completions {shell} never names ngxlint"
        );
        for sub in ["check", "fix", "parse", "inspect"] {
            assert!(out.contains(sub), "completions {shell} lacks `{sub}`");
        }
    }
}

#[test]
fn completions_bash_completes_options() {
    let (code, out, _) = run(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("complete -F _ngxlint"),
        "not a bash completion script"
    );
    assert!(
        out.contains("--fail-on"),
        "`check --fail-on` is not completed"
    );
}

#[test]
fn completions_unknown_shell_is_a_usage_error() {
    let (code, out, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("bash"), "the error lists the shells: {err}");
}

#[test]
fn man_page_is_roff() {
    let (code, out, err) = run(&["man"]);
    assert_eq!(code, 0, "{err}");
    // clap_mangen opens with two `.ie/.el` string definitions, then the title header.
    let th = out
        .lines()
        .position(|l| l.starts_with(".TH ngxlint 1"))
        .expect("no `.TH ngxlint 1` header");
    assert!(
        out.lines().take(th).all(|l| l.starts_with('.')),
        "text before the .TH header"
    );
    assert!(out.contains(".SH NAME"));
    assert!(out.contains(".SH SYNOPSIS"));
    assert!(
        out.contains("ngxlint\\-check(1)"),
        "subcommands are not listed"
    );
}

#[test]
fn man_out_dir_writes_a_page_per_command() {
    let dir = crate::support::tempdir("man-pages");
    let (code, out, err) = run(&["man", "--out-dir", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "--out-dir printed to stdout");
    for page in ["ngxlint.1", "ngxlint-check.1", "ngxlint-fix.1"] {
        let text =
            std::fs::read_to_string(dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".TH "), "{page} has no .TH header");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pre_commit_hooks() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    let hook = |id: &str| {
        hooks
            .iter()
            .find(|h| h["id"] == id)
            .unwrap_or_else(|| panic!("no hook `{id}`"))
    };
    for (id, entry) in [("ngxlint", "ngxlint check"), ("ngxlint-fix", "ngxlint fix")] {
        let h = hook(id);
        assert_eq!(h["entry"], entry, "{id}");
        assert_eq!(h["language"], "rust", "{id}");
        assert_eq!(h["pass_filenames"], true, "{id}");
        assert!(h["name"].is_string(), "{id} has no name");
        assert!(h["files"].is_string(), "{id} has no files pattern");
    }
}

#[test]
fn github_action() {
    let action = yaml("action.yml");
    assert!(action["name"].is_string());
    assert!(action["description"].is_string());
    assert_eq!(action["runs"]["using"], "composite");
    for input in ["paths", "args", "sarif", "nginx-version", "fail"] {
        assert!(action["inputs"][input].is_object(), "no input `{input}`");
    }
    assert_eq!(action["inputs"]["paths"]["default"], ".");
    assert_eq!(action["inputs"]["sarif"]["default"], "true");
    assert_eq!(action["inputs"]["fail"]["default"], "true");
    assert!(
        action["inputs"]["sarif"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("actions: read")),
        "the permissions private repositories need are not documented"
    );
    let steps = action["runs"]["steps"].as_array().expect("steps");
    // Every `run` step of a composite action must name its shell.
    for step in steps.iter().filter(|s| s.get("run").is_some()) {
        assert!(step["shell"].is_string(), "step without shell: {step}");
    }
    let text = |s: &Value| s.to_string();
    assert!(
        steps
            .iter()
            .any(|s| text(s).contains("cargo install --locked")),
        "the action does not install ngxlint"
    );
    assert!(
        steps
            .iter()
            .any(|s| text(s).contains("--format sarif --output")),
        "the action does not write SARIF"
    );
    assert!(
        steps.iter().any(|s| s["uses"]
            .as_str()
            .is_some_and(|u| u == "github/codeql-action/upload-sarif@v4")),
        "the action does not upload SARIF with upload-sarif@v4 (v3 is deprecated)"
    );
    // Report-only: `fail: false` never fails the job.
    let last = steps.last().unwrap();
    assert!(text(last).contains("INPUT_FAIL"), "{last}");
    let script = last["run"].as_str().unwrap();
    for (fail, rc, want) in [
        ("false", "1", 0),
        ("false", "2", 0),
        ("true", "1", 1),
        ("true", "2", 2),
        ("true", "0", 0),
    ] {
        let out = Command::new("bash")
            .args(["-c", script])
            .env("INPUT_FAIL", fail)
            .env("RC", rc)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(want), "fail: {fail}, exit {rc}");
    }
}

#[test]
fn dockerfile_is_multi_stage() {
    let text = std::fs::read_to_string(repo_root().join("Dockerfile")).expect("Dockerfile");
    let froms: Vec<&str> = text
        .lines()
        .map(str::trim_start)
        .filter(|l| l.to_ascii_uppercase().starts_with("FROM "))
        .collect();
    assert!(froms.len() >= 2, "not a multi-stage build: {froms:?}");
    assert!(text.contains("cargo build --release --locked"));
    assert!(text.lines().any(|l| l.starts_with("ENTRYPOINT")));
    assert!(text.lines().any(|l| l.starts_with("USER ")), "runs as root");
    let ignore = std::fs::read_to_string(repo_root().join(".dockerignore")).expect(".dockerignore");
    for dir in ["target", "fuzz"] {
        assert!(
            ignore.lines().any(|l| l.trim_end_matches('/') == dir),
            ".dockerignore does not exclude {dir}/"
        );
    }
}
