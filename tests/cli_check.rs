//! `ngxlint check` / `fix` / `rules` / `rule`, run as a process: exit codes, every output
//! format, the reporting options, stdin, `--select`/`--ignore`, `--nginx-version`, `--context`,
//! directory walking, `--diff`, `fix --verify`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::{self, code, json, stderr, stdout};

fn cli_dir() -> PathBuf {
    support::repo_root().join("fixtures/projects/cli")
}

/// `ngxlint ARGS` in `cwd`, with `NO_COLOR`, `NGXLINT_NGINX` and `CI` out of the picture.
fn ngxlint_in(cwd: &Path, args: &[&str]) -> Output {
    ngxlint_env(cwd, args, &[])
}

fn ngxlint_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(support::ngxlint_bin());
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("NGXLINT_NGINX")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run ngxlint")
}

/// `ngxlint check ARGS --no-config` in the cli fixture directory (a stray `.ngxlint.yml` above
/// the repository must not change these results).
fn check(args: &[&str]) -> Output {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.push("--no-config");
    ngxlint_in(&cli_dir(), &all)
}

/// The rule ids of a `--format json` report, in order.
fn rules_of(v: &Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule").to_owned())
        .collect()
}

fn json_rules(args: &[&str]) -> Vec<String> {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = check(&all);
    rules_of(&json(&out))
}

// ---------------------------------------------------------------------------------------------
// Exit codes

#[test]
fn exit_0_on_a_clean_file() {
    let out = check(&["clean.conf"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "No problems found in 1 file(s).\n");
}

#[test]
fn exit_1_on_findings_at_or_above_fail_on() {
    // One warning: fails at the default threshold (warning) and at info, not at error.
    let out = check(&["warning-only.conf"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let out = check(&["--fail-on", "info", "warning-only.conf"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let out = check(&["--fail-on", "error", "warning-only.conf"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // The finding is still reported with --fail-on error.
    assert!(
        stdout(&out).contains("read-timeout-short"),
        "{}",
        stdout(&out)
    );

    // An error fails at every threshold.
    for fail_on in ["error", "warning", "info"] {
        let out = check(&["--fail-on", fail_on, "multibyte.conf"]);
        assert_eq!(code(&out), 1, "--fail-on {fail_on}: {}", stdout(&out));
    }

    // An info finding only fails with --fail-on info.
    let out = check(&["--format", "json", "info-only.conf"]);
    let v = json(&out);
    assert_eq!(rules_of(&v), ["useless-timeout"], "{v}");
    assert_eq!(v["diagnostics"][0]["severity"], "info");
    assert_eq!(code(&out), 0);
    assert_eq!(code(&check(&["--fail-on", "warning", "info-only.conf"])), 0);
    assert_eq!(code(&check(&["--fail-on", "info", "info-only.conf"])), 1);
}

#[test]
fn exit_2_when_the_configuration_cannot_be_fully_checked() {
    let projects = support::repo_root().join("fixtures/projects");
    let cases: Vec<(PathBuf, &str)> = vec![
        (cli_dir().join("syntax-error.conf"), "syntax-error"),
        (
            projects.join("include-missing/nginx.conf"),
            "include-not-found",
        ),
        (projects.join("include-cycle/nginx.conf"), "include-cycle"),
        (projects.join("include-self/nginx.conf"), "include-cycle"),
    ];
    for (path, rule) in cases {
        let out = check(&["--format", "json", path.to_str().unwrap()]);
        assert_eq!(code(&out), 2, "{}: {}", path.display(), stdout(&out));
        // The blocking finding is reported, not only the exit code.
        assert!(
            rules_of(&json(&out)).iter().any(|r| r == rule),
            "{}: no {rule}: {}",
            path.display(),
            stdout(&out)
        );
        // Even with --fail-on error and the rule ignored from the threshold's point of view.
        let out = check(&["--fail-on", "error", path.to_str().unwrap()]);
        assert_eq!(code(&out), 2, "{}", path.display());
    }
}

/// Certbot's TLS options file, missing off the server Certbot ran on: an info finding, and the
/// rest of the site is checked (exit 1 for its other finding, not 2). Any other missing
/// include still stops the check (above).
#[test]
fn certbot_options_missing_is_info_and_the_check_goes_on() {
    let site = support::repo_root().join("fixtures/projects/certbot-site/example.com");
    let out = check(&["--format", "json", site.to_str().unwrap()]);
    let v = json(&out);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let found = v["diagnostics"].as_array().unwrap();
    let include = found
        .iter()
        .find(|d| d["rule"] == "include-not-found")
        .unwrap_or_else(|| panic!("no include-not-found: {v}"));
    assert_eq!(include["severity"], "info", "{include}");
    assert!(
        include["message"]
            .as_str()
            .unwrap()
            .contains("/etc/letsencrypt/options-ssl-nginx.conf"),
        "{include}"
    );
    // The rest was checked: the WebSocket location's finding is there.
    assert!(
        rules_of(&v)
            .iter()
            .any(|r| r == "websocket-upgrade-missing"),
        "{v}"
    );
    // Alone, the info finding fails nothing.
    let alone = check(&["--select", "include-not-found", site.to_str().unwrap()]);
    assert_eq!(code(&alone), 0, "{}", stdout(&alone));
}

/// A SWAG proxy-conf (linuxserver/swag): `ssl.conf`, `proxy.conf` and `resolver.conf` are
/// written by SWAG's container when it starts, never kept beside it.
const SWAG_PROXY_CONF: &str = "server {
    listen 443 ssl;
    server_name homeassistant.*;
    include /config/nginx/ssl.conf;
    location / {
        include /config/nginx/proxy.conf;
        include /config/nginx/resolver.conf;
        proxy_pass http://127.0.0.1:8123;
    }
    location /status {
        return 200 \"ok\\n\";
        add_header Content-Type text/plain;
    }
}
";

/// SWAG's own files (`/config/nginx/ssl.conf`, `proxy.conf`, `resolver.conf`), which its
/// container writes when it starts: info findings, and the rest of the proxy-conf is checked
/// (exit 1 for its other finding, not 2). A file of another name under `/config/nginx/` still
/// stops the check.
#[test]
fn swag_files_missing_are_info_and_the_check_goes_on() {
    // Outside this repository, whose fixtures keep files named `proxy.conf`.
    let dir = support::tempdir("swag-proxy-conf");
    let conf = dir.join("homeassistant.subdomain.conf");
    std::fs::write(&conf, SWAG_PROXY_CONF).unwrap();
    let out = check(&["--format", "json", conf.to_str().unwrap()]);
    let v = json(&out);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let includes: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "include-not-found")
        .collect();
    assert_eq!(includes.len(), 3, "{v}");
    for d in &includes {
        assert_eq!(d["severity"], "info", "{d}");
        assert!(d["message"].as_str().unwrap().contains("SWAG"), "{d}");
    }
    // The rest was checked: the status location's finding is there.
    assert!(
        rules_of(&v).iter().any(|r| r == "add-header-content-type"),
        "{v}"
    );
    // Another file under /config/nginx is no SWAG file: an error, exit 2.
    let other = dir.join("site.conf");
    std::fs::write(
        &other,
        "server {\n    listen 80;\n    include /config/nginx/mine.conf;\n}\n",
    )
    .unwrap();
    let out = check(&[other.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
}

/// An include of `/etc/nginx/...` this machine does not have is read from the project's copy
/// under the conf prefix the checked file's layout gives (`nginx/conf.d/x` for
/// `/etc/nginx/conf.d/x`): the findings come from the copy's lines, no `include-not-found`,
/// and `-v` says where it was read from. A file of the name beside the including file in a
/// directory of another name is not taken, nor a path the user maps elsewhere.
#[test]
fn a_container_path_include_is_read_from_the_project_copy() {
    let project = support::repo_root().join("fixtures/projects/container-paths");
    let site = project.join("nginx/conf.d/site.conf");
    let out = check(&["--format", "json", "-v", site.to_str().unwrap()]);
    let v = json(&out);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert_eq!(rules_of(&v), ["inherited-headers-dropped"], "{v}");
    assert!(
        stderr(&out).contains(
            "/etc/nginx/conf.d/ngxlint-test-headers.conf is read from \
             fixtures/projects/container-paths/nginx/conf.d/ngxlint-test-headers.conf"
        ) || stderr(&out).contains("nginx/conf.d/ngxlint-test-headers.conf (the project's file"),
        "{}",
        stderr(&out)
    );
    // Not read, an info naming the mapping that reads it, and the check goes on (exit 0: an
    // include the checkout keeps does not stop it, held-out batch 462).
    let flat = project.join("flat/site.conf");
    let out = check(&["--format", "json", flat.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(
        rules_of(&json(&out)),
        ["include-not-found"],
        "{}",
        stdout(&out)
    );
    let out = check(&[
        "--format",
        "json",
        "--path-map",
        "/etc/nginx=/nonexistent-ngxlint-test",
        site.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(
        rules_of(&json(&out)).contains(&"include-not-found".to_owned()),
        "{}",
        stdout(&out)
    );
}

/// An Ansible role's template (`roles/<role>/templates/nginx.conf.j2`) that includes a file the
/// role keeps in `roles/<role>/files/` reads that copy: the findings come from its lines, no
/// `include-not-found`, and `-v` says where it was read from. The same layout outside a
/// `roles/` directory is not taken for a role.
#[test]
fn a_role_template_include_is_read_from_the_role_files() {
    let project = support::repo_root().join("fixtures/projects/ansible-role");
    let template = project.join("roles/nginx/templates/nginx.conf.j2");
    let out = check(&["--format", "json", "-v", template.to_str().unwrap()]);
    let v = json(&out);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert_eq!(rules_of(&v), ["access-log-on"], "{v}");
    assert!(
        stderr(&out).contains("roles/nginx/files/fastcgi_cache (the project's file"),
        "{}",
        stderr(&out)
    );
    let elsewhere = project.join("not-a-role/templates/nginx.conf.j2");
    let out = check(&["--format", "json", elsewhere.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert_eq!(
        rules_of(&json(&out)),
        ["include-not-found"],
        "{}",
        stdout(&out)
    );
}

#[test]
fn exit_2_on_a_missing_or_unreadable_path() {
    let out = check(&["no-such-file.conf"]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(
        stderr(&out).contains("no-such-file.conf"),
        "{}",
        stderr(&out)
    );

    // A missing path next to a readable one: still 2, and the readable one is still checked.
    let out = check(&["--format", "concise", "multibyte.conf", "no-such-file.conf"]);
    assert_eq!(code(&out), 2);
    assert!(
        stdout(&out).contains("multibyte.conf:7:34:"),
        "{}",
        stdout(&out)
    );

    let dir = support::tempdir("cli-unreadable");
    #[cfg(unix)]
    {
        // A dangling symlink.
        std::os::unix::fs::symlink(dir.join("gone.conf"), dir.join("dangling.conf")).unwrap();
        let out = ngxlint_in(&dir, &["check", "--no-config", "dangling.conf"]);
        assert_eq!(code(&out), 2, "{}", stdout(&out));

        // A file without read permission (only meaningful when not running as root).
        use std::os::unix::fs::PermissionsExt;
        let f = dir.join("secret.conf");
        std::fs::copy(cli_dir().join("clean.conf"), &f).unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&f).is_err() {
            let out = ngxlint_in(&dir, &["check", "--no-config", "secret.conf"]);
            assert_eq!(code(&out), 2, "{}", stdout(&out));
            assert!(stderr(&out).contains("secret.conf"), "{}", stderr(&out));
        }
        let _ = std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exit_2_on_bad_arguments() {
    for (args, needle) in [
        (
            &["--select", "no-such-rule", "clean.conf"][..],
            "no-such-rule",
        ),
        (
            &["--ignore", "read-timeout-shrt", "clean.conf"][..],
            "read-timeout-shrt",
        ),
        (
            &["--select", "read-timeout-short,bogus", "clean.conf"][..],
            "bogus",
        ),
        (&["--nginx-version", "1.x", "clean.conf"][..], "1.x"),
        (&["--nginx-version", "latest", "clean.conf"][..], "latest"),
        (&["--fail-on", "fatal", "clean.conf"][..], "fatal"),
        (&["--format", "yaml", "clean.conf"][..], "yaml"),
        (&["--context", "upstream", "clean.conf"][..], "upstream"),
    ] {
        let out = check(args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stdout(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
    }
    // `fix` checks its ids too.
    let out = ngxlint_in(
        &cli_dir(),
        &["fix", "--diff", "--select", "nope", "clean.conf"],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

// ---------------------------------------------------------------------------------------------
// Output formats

/// Character count of line `line` (1-based) of `text`.
fn line_chars(text: &str, line: u64) -> usize {
    text.lines()
        .nth(line as usize - 1)
        .unwrap_or_else(|| panic!("no line {line}"))
        .chars()
        .count()
}

fn assert_location(obj: &Value, what: &str) {
    for key in ["line", "column", "end_line", "end_column"] {
        let n = obj[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{what}: {key} is not a number: {obj}"));
        assert!(n >= 1, "{what}: {key} is not 1-based: {obj}");
    }
    let start = (
        obj["line"].as_u64().unwrap(),
        obj["column"].as_u64().unwrap(),
    );
    let end = (
        obj["end_line"].as_u64().unwrap(),
        obj["end_column"].as_u64().unwrap(),
    );
    assert!(start <= end, "{what}: end before start: {obj}");
    assert!(obj["file"].is_string(), "{what}: file: {obj}");
}

#[test]
fn json_report_follows_the_documented_schema() {
    let out = check(&[
        "--format",
        "json",
        "ws-fixable.conf",
        "multibyte.conf",
        "clean.conf",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v = json(&out);
    let top: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for key in ["version", "diagnostics", "summary"] {
        assert!(top.contains(&key), "no `{key}`: {v}");
    }
    assert_eq!(v["version"], 1);
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(
        rules_of(&v),
        [
            "read-timeout-short",
            "websocket-upgrade-missing",
            "unknown-directive"
        ],
        "{v}"
    );
    let (mut errors, mut warnings, mut infos, mut fixable) = (0, 0, 0, 0);
    for d in diags {
        let keys: std::collections::BTreeSet<&str> =
            d.as_object().unwrap().keys().map(String::as_str).collect();
        for key in [
            "rule",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "help",
            "fix",
        ] {
            assert!(keys.contains(key), "no `{key}` in {d}");
        }
        assert!(d["rule"].is_string() && d["message"].is_string(), "{d}");
        assert!(d["help"].is_string() || d["help"].is_null(), "{d}");
        assert_location(d, "diagnostic");
        let file = d["file"].as_str().unwrap();
        let text = std::fs::read_to_string(cli_dir().join(file)).unwrap();
        // The span lies inside the file (columns may be one past the last character).
        let (l, c) = (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap());
        assert!(c as usize <= line_chars(&text, l) + 1, "{d}");
        match d["severity"].as_str().unwrap() {
            "error" => errors += 1,
            "warning" => warnings += 1,
            "info" => infos += 1,
            other => panic!("severity {other}"),
        }
        if let Some(related) = d.get("related") {
            for r in related.as_array().expect("related is an array") {
                assert_location(r, "related");
                assert!(r["message"].is_string(), "{r}");
            }
        }
        match &d["fix"] {
            Value::Null => {}
            Value::Object(fix) => {
                fixable += 1;
                let app = fix["applicability"].as_str().unwrap();
                assert!(app == "safe" || app == "unsafe", "{d}");
                assert!(fix["message"].is_string(), "{d}");
                let edits = fix["edits"].as_array().unwrap();
                assert!(!edits.is_empty(), "{d}");
                for e in edits {
                    assert_location(e, "edit");
                    assert!(e["content"].is_string(), "{e}");
                    assert_eq!(e["file"], d["file"], "{e}");
                    let (l, c) = (e["line"].as_u64().unwrap(), e["column"].as_u64().unwrap());
                    assert!(c as usize <= line_chars(&text, l) + 1, "{e}");
                }
            }
            other => panic!("fix is neither null nor an object: {other}"),
        }
    }
    // ws-fixable: a safe fix (the headers) and an unsafe one (the timeout); multibyte: none.
    let fix_of = |rule: &str| {
        diags
            .iter()
            .find(|d| d["rule"] == rule)
            .map(|d| d["fix"].clone())
            .unwrap()
    };
    assert_eq!(fix_of("websocket-upgrade-missing")["applicability"], "safe");
    assert_eq!(fix_of("read-timeout-short")["applicability"], "unsafe");
    assert_eq!(fix_of("unknown-directive"), Value::Null);
    assert_eq!(
        fix_of("read-timeout-short")["edits"][0]["content"],
        "\n            proxy_read_timeout 300s;"
    );

    let s = &v["summary"];
    assert_eq!(s["files"], 3, "{s}");
    assert_eq!(s["errors"], errors, "{s}");
    assert_eq!(s["warnings"], warnings, "{s}");
    assert_eq!(s["infos"], infos, "{s}");
    assert_eq!(s["fixable"], fixable, "{s}");
    assert_eq!((errors, warnings, infos, fixable), (2, 0, 1, 2));
}

#[test]
fn json_columns_count_characters_not_bytes() {
    let v = json(&check(&["--format", "json", "multibyte.conf"]));
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "unknown-directive", "{v}");
    assert_eq!(d["file"], "multibyte.conf");
    assert_eq!(d["line"], 7);
    // `        add_header X-Name "Zoë"; ` is 33 characters (34 bytes): the span starts at
    // character column 34 (byte column 35).
    let text = std::fs::read_to_string(cli_dir().join("multibyte.conf")).unwrap();
    let line = text.lines().nth(6).unwrap();
    let start_chars = line[..line.find("proxy_bufering").unwrap()].chars().count();
    assert_eq!(start_chars, 33);
    assert_eq!(d["column"], 34, "{d}");
    assert_eq!(d["end_line"], 7);
    // The span ends in characters too: it holds `ö` (2 bytes), so a byte count would be one more.
    let end = d["end_column"].as_u64().unwrap() as usize;
    let spanned: String = line.chars().skip(33).take(end - 34).collect();
    assert!(spanned.starts_with("proxy_bufering"), "{spanned:?} {d}");
    assert!(
        end - 1 <= line.chars().count(),
        "end_column {end} is past the line's {} characters: {d}",
        line.chars().count()
    );
    // The concise and GitHub formats use the same character columns.
    let concise = stdout(&check(&["--format", "concise", "multibyte.conf"]));
    assert!(concise.starts_with("multibyte.conf:7:34: "), "{concise}");
    let github = stdout(&check(&["--format", "github", "multibyte.conf"]));
    assert!(github.contains(",line=7,col=34,"), "{github}");
    assert!(github.contains(&format!(",endColumn={end},")), "{github}");
}

#[test]
fn concise_format_is_one_line_per_finding() {
    let out = check(&["--format", "concise", "ws-fixable.conf", "multibyte.conf"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    for line in &lines {
        // path:line:col: severity[rule] message
        let (loc, rest) = line.split_once(": ").unwrap_or_else(|| panic!("{line}"));
        let parts: Vec<&str> = loc.rsplitn(3, ':').collect();
        assert_eq!(parts.len(), 3, "{line}");
        assert!(parts[0].parse::<u32>().is_ok_and(|n| n >= 1), "{line}");
        assert!(parts[1].parse::<u32>().is_ok_and(|n| n >= 1), "{line}");
        assert!(parts[2].ends_with(".conf"), "{line}");
        let (sev, rest) = rest.split_once('[').unwrap_or_else(|| panic!("{line}"));
        assert!(["error", "warning", "info"].contains(&sev), "{line}");
        let (rule, msg) = rest.split_once("] ").unwrap_or_else(|| panic!("{line}"));
        assert!(
            rule.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{line}"
        );
        assert!(!msg.is_empty(), "{line}");
    }
    assert!(
        lines[0].starts_with("ws-fixable.conf:9:9: info[read-timeout-short] "),
        "{text}"
    );
    assert!(
        lines[1].starts_with("ws-fixable.conf:9:9: error[websocket-upgrade-missing] "),
        "{text}"
    );
    // No summary line, no colour.
    assert!(!text.contains("Found"), "{text}");
    assert!(!text.contains('\x1b'), "{text}");
}

#[test]
fn github_format_escapes_properties_and_data() {
    let dir = support::tempdir("cli-github");
    // `,` and `:` in the path are property separators; `%` in the message must be escaped, and
    // the help's newline becomes %0A.
    let name = "we,ird:name.conf";
    std::fs::write(
        dir.join(name),
        "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        proxy_buf%ering off;\n    }\n}\n",
    )
    .unwrap();
    let out = ngxlint_in(&dir, &["check", "--no-config", "--format", "github", name]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "one command per finding, on one line: {text}"
    );
    let line = lines[0];
    assert!(
        line.starts_with(
            "::error file=we%2Cird%3Aname.conf,line=5,col=9,endLine=5,endColumn=28,title=ngxlint (unknown-directive)::"
        ),
        "{line}"
    );
    let message = line.split_once("::").unwrap().1.split_once("::").unwrap().1;
    assert!(message.contains("proxy_buf%25ering"), "{message}");
    // Every `%` left is one of the escapes; no raw newline.
    let unescaped = message
        .replace("%25", "")
        .replace("%0A", "")
        .replace("%0D", "");
    assert!(!unescaped.contains('%'), "{message}");
    assert!(message.contains("%0Ahelp: "), "{message}");
    // Severity → command.
    let warn = stdout(&check(&["--format", "github", "warning-only.conf"]));
    assert!(
        warn.starts_with("::warning file=warning-only.conf,line=8,col=9,"),
        "{warn}"
    );
    let notice = stdout(&check(&["--format", "github", "info-only.conf"]));
    assert!(notice.starts_with("::notice file="), "{notice}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sarif_checkstyle_and_junit_are_well_formed() {
    let out = check(&["--format", "sarif", "ws-fixable.conf"]);
    assert_eq!(code(&out), 1);
    let v = json(&out);
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().expect("runs[0].results");
    assert_eq!(results.len(), 2, "{v}");
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"websocket-upgrade-missing"), "{ids:?}");

    // A clean run is still a valid (empty) SARIF log.
    let v = json(&check(&["--format", "sarif", "clean.conf"]));
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"][0]["results"].as_array().map(Vec::len), Some(0));

    for (format, root) in [("checkstyle", "<checkstyle"), ("junit", "<testsuites")] {
        let out = check(&["--format", format, "ws-fixable.conf"]);
        assert_eq!(code(&out), 1, "{format}");
        let text = stdout(&out);
        assert!(text.starts_with("<?xml"), "{format}: {text}");
        assert!(text.contains(root), "{format}: {text}");
        assert!(
            text.contains("websocket-upgrade-missing"),
            "{format}: {text}"
        );
        // Every `<` opens a tag that is closed (or self-closing): count open vs close tags.
        let opens = text.matches('<').count() - text.matches("</").count();
        let self_closing = text.matches("/>").count();
        let decl = text.matches("<?").count();
        assert_eq!(
            opens - self_closing - decl,
            text.matches("</").count(),
            "{format}: unbalanced tags:\n{text}"
        );
        // Message quotes are escaped inside attributes.
        assert!(!text.contains("\"upgrade\"\""), "{format}: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Reporting options

#[test]
fn output_writes_the_report_to_a_file_and_nothing_to_stdout() {
    let dir = support::tempdir("cli-output");
    let report = dir.join("report.json");
    let out = check(&[
        "--format",
        "json",
        "--output",
        report.to_str().unwrap(),
        "ws-fixable.conf",
    ]);
    assert_eq!(code(&out), 1, "the exit code still reflects the findings");
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let v: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(v["summary"]["errors"], 1, "{v}");

    // Text output to a file: the summary line too, and no colour under --color auto.
    let report = dir.join("report.txt");
    let out = check(&["-o", report.to_str().unwrap(), "warning-only.conf"]);
    assert_eq!(code(&out), 1);
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("read-timeout-short"), "{text}");
    assert!(
        text.ends_with("1 fixable with `ngxlint fix --unsafe-fixes`.\n"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "{text}");

    // An unwritable output is exit 2.
    let bad = dir.join("no-such-dir/report.txt");
    let out = check(&["-o", bad.to_str().unwrap(), "clean.conf"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn quiet_drops_the_summary_line() {
    let loud = stdout(&check(&["--color", "never", "warning-only.conf"]));
    assert!(
        loud.contains("Found 0 error(s), 1 warning(s), 0 info in 1 file(s)"),
        "{loud}"
    );
    let quiet = stdout(&check(&[
        "--color",
        "never",
        "--quiet",
        "warning-only.conf",
    ]));
    assert!(!quiet.contains("Found "), "{quiet}");
    assert!(quiet.contains("read-timeout-short"), "{quiet}");
    assert_eq!(
        quiet.trim_end(),
        loud.trim_end()
            .strip_suffix(loud.trim_end().lines().last().unwrap())
            .unwrap()
            .trim_end()
    );
    let clean = stdout(&check(&["-q", "clean.conf"]));
    assert_eq!(clean, "", "a clean quiet run prints nothing");
}

#[test]
fn statistics_adds_per_rule_counts() {
    let plain = stdout(&check(&[
        "--format",
        "concise",
        "ws-fixable.conf",
        "multibyte.conf",
    ]));
    let out = check(&[
        "--format",
        "concise",
        "--statistics",
        "ws-fixable.conf",
        "multibyte.conf",
    ]);
    let text = stdout(&out);
    let extra = text
        .strip_prefix(&plain)
        .unwrap_or_else(|| panic!("{text}"));
    let rows: Vec<(u32, String)> = extra
        .lines()
        .map(|l| {
            let mut it = l.split_whitespace();
            (
                it.next().unwrap().parse().unwrap(),
                it.next().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 3, "{extra}");
    for rule in [
        "read-timeout-short",
        "websocket-upgrade-missing",
        "unknown-directive",
    ] {
        assert!(rows.contains(&(1, rule.to_owned())), "{rule}: {extra}");
    }
    assert!(
        extra
            .lines()
            .any(|l| l.contains("websocket-upgrade-missing (1 fixable)")),
        "{extra}"
    );
    assert!(
        extra
            .lines()
            .any(|l| l.trim_end().ends_with("unknown-directive")),
        "{extra}"
    );

    // Two findings of one rule are counted together.
    let two = stdout(&check(&[
        "--format",
        "concise",
        "--statistics",
        "--select",
        "read-timeout-short",
        "ws-fixable.conf",
        "warning-only.conf",
    ]));
    assert!(
        two.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()[..2] == ["2", "read-timeout-short"]),
        "{two}"
    );
}

#[test]
fn color_always_never_and_no_color() {
    let always = stdout(&check(&["--color", "always", "warning-only.conf"]));
    assert!(
        always.contains("\x1b["),
        "--color always has no ANSI escapes"
    );
    let never = stdout(&check(&["--color", "never", "warning-only.conf"]));
    assert!(!never.contains('\x1b'), "{never}");
    assert!(never.contains("read-timeout-short"));
    let auto = ngxlint_env(
        &cli_dir(),
        &[
            "check",
            "--no-config",
            "--color",
            "auto",
            "warning-only.conf",
        ],
        &[("NO_COLOR", "1")],
    );
    assert!(!stdout(&auto).contains('\x1b'), "{}", stdout(&auto));
    // Not a terminal: auto means no colour even without NO_COLOR.
    let auto = stdout(&check(&["warning-only.conf"]));
    assert!(!auto.contains('\x1b'), "{auto}");
    // The same report, only coloured.
    assert_eq!(strip_ansi(&always), never);
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else if chars.peek() == Some(&']') {
                // OSC (hyperlinks): up to BEL or ESC \.
                for c in chars.by_ref() {
                    if c == '\x07' {
                        break;
                    }
                    if c == '\x1b' {
                        chars.next();
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// stdin

fn check_stdin(file: &str, args: &[&str]) -> Output {
    let mut all = vec!["check", "--no-config", "-"];
    all.extend_from_slice(args);
    Command::new(support::ngxlint_bin())
        .args(&all)
        .current_dir(cli_dir())
        .stdin(std::fs::File::open(cli_dir().join(file)).unwrap())
        .output()
        .expect("run ngxlint")
}

#[test]
fn stdin_is_reported_under_its_name() {
    let out = check_stdin(
        "multibyte.conf",
        &["--format", "concise", "--stdin-filename", "x/nginx.conf"],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "x/nginx.conf:7:34: error[unknown-directive] unknown directive \"proxy_bufering\"\n"
    );

    let out = check_stdin("multibyte.conf", &["--format", "json"]);
    let v = json(&out);
    assert_eq!(v["diagnostics"][0]["file"], "<stdin>", "{v}");
    assert_eq!(v["diagnostics"][0]["column"], 34, "{v}");
    assert_eq!(v["summary"]["files"], 1);

    let out = check_stdin("clean.conf", &[]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));

    let out = check_stdin("syntax-error.conf", &["--format", "concise"]);
    assert_eq!(code(&out), 2);
    assert!(
        stdout(&out).starts_with("<stdin>:6:5: error[syntax-error] "),
        "{}",
        stdout(&out)
    );
}

/// A file of 64 KiB and more is mapped from the page cache, not read (issue #13): it reports
/// exactly what the same bytes read from stdin report, in the text report (excerpts, columns
/// after multibyte text, CRLF lines) and in JSON.
#[test]
fn a_large_file_reports_what_its_bytes_on_stdin_report() {
    let dir = support::tempdir("mapped");
    let path = dir.join("big.conf");
    let mut src = String::from("http {\r\n    # « large »\r\n");
    let mut i = 0;
    while src.len() < 300 << 10 {
        src.push_str(&format!(
            "    server {{ listen {p}; location /chat {{ proxy_pass http://127.0.0.1:{p}; }} \
             location /ws {{ proxy_pass http://127.0.0.1:{p}; proxy_set_header Upgrade $http_upgrade; }} }} # « {i} »\n",
            p = 8000 + i % 1000
        ));
        i += 1;
    }
    src.push_str("}\n");
    std::fs::write(&path, &src).unwrap();
    for format in [
        &["--format", "json"][..],
        &["--format", "text", "--color", "never"][..],
    ] {
        let mut args = vec!["check", "--no-config", "big.conf"];
        args.extend_from_slice(format);
        let from_disk = ngxlint_in(&dir, &args);
        let mut args = vec!["check", "--no-config", "-", "--stdin-filename", "big.conf"];
        args.extend_from_slice(format);
        let from_stdin = Command::new(support::ngxlint_bin())
            .args(&args)
            .current_dir(&dir)
            .env_remove("NO_COLOR")
            .stdin(std::fs::File::open(&path).unwrap())
            .output()
            .unwrap();
        assert_eq!(code(&from_disk), 1, "{}", stderr(&from_disk));
        assert_eq!(stdout(&from_disk), stdout(&from_stdin), "{format:?}");
        assert_eq!(stderr(&from_disk), stderr(&from_stdin), "{format:?}");
        if format[1] == "json" {
            let findings = json(&from_disk)["diagnostics"].as_array().unwrap().len();
            assert!(findings >= i, "{findings} findings for {i} servers");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Rule selection and nginx version

#[test]
fn select_and_ignore_filter_rules() {
    let all = json_rules(&["ws-fixable.conf", "multibyte.conf"]);
    assert_eq!(
        all,
        [
            "read-timeout-short",
            "websocket-upgrade-missing",
            "unknown-directive"
        ]
    );
    assert_eq!(
        json_rules(&[
            "--select",
            "unknown-directive",
            "ws-fixable.conf",
            "multibyte.conf"
        ]),
        ["unknown-directive"]
    );
    assert_eq!(
        json_rules(&[
            "--select",
            "unknown-directive,read-timeout-short",
            "ws-fixable.conf",
            "multibyte.conf"
        ]),
        ["read-timeout-short", "unknown-directive"]
    );
    assert_eq!(
        json_rules(&[
            "--ignore",
            "read-timeout-short",
            "--ignore",
            "unknown-directive",
            "ws-fixable.conf",
            "multibyte.conf"
        ]),
        ["websocket-upgrade-missing"]
    );
    // --ignore wins over --select.
    assert!(
        json_rules(&[
            "--select",
            "read-timeout-short",
            "--ignore",
            "read-timeout-short",
            "ws-fixable.conf"
        ])
        .is_empty()
    );
    // Ignoring the only finding makes the run clean.
    let out = check(&["--ignore", "read-timeout-short", "warning-only.conf"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn categories_select_and_ignore_their_rules() {
    let files = ["ws-fixable.conf", "multibyte.conf"];
    let with = |flags: &[&str]| {
        let mut args = flags.to_vec();
        args.extend(files);
        json_rules(&args)
    };
    assert_eq!(
        with(&["--select", "streaming"]),
        ["read-timeout-short", "websocket-upgrade-missing"]
    );
    assert_eq!(with(&["--select", "correctness"]), ["unknown-directive"]);
    assert_eq!(with(&["--ignore", "streaming"]), ["unknown-directive"]);
    // `default` is the default set; `all` every rule; both combine with ids and categories.
    assert_eq!(with(&["--select", "default"]), with(&[]));
    assert_eq!(
        with(&["--select", "all", "--ignore", "correctness"]),
        with(&["--select", "streaming"])
    );
    // A category no rule of these files belongs to selects nothing.
    assert!(with(&["--select", "style"]).is_empty());
    let out = check(&["--select", "securty", "ws-fixable.conf"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown rule id or category `securty`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn nginx_version_changes_version_dependent_findings() {
    // `http2 on;` appeared in 1.25.1.
    let old = json(&check(&[
        "--format",
        "json",
        "--nginx-version",
        "1.22.1",
        "http2-on.conf",
    ]));
    assert_eq!(rules_of(&old), ["unknown-directive"], "{old}");
    assert_eq!(old["diagnostics"][0]["line"], 7);
    assert!(
        old["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("1.22.1"),
        "{old}"
    );
    for version in ["1.30.0", "1.25.1"] {
        let out = check(&[
            "--format",
            "json",
            "--nginx-version",
            version,
            "http2-on.conf",
        ]);
        assert!(
            rules_of(&json(&out)).is_empty(),
            "{version}: {}",
            stdout(&out)
        );
        assert_eq!(code(&out), 0, "{version}");
    }

    // No proxy_http_version: HTTP/1.0 upstream before 1.29.7 breaks the WebSocket handshake.
    let old = json(&check(&[
        "--format",
        "json",
        "--nginx-version",
        "1.22.1",
        "ws-no-http-version.conf",
    ]));
    assert_eq!(rules_of(&old), ["websocket-upgrade-missing"], "{old}");
    let msg = old["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.contains("proxy_http_version"), "{msg}");
    assert!(msg.contains("1.22.1"), "{msg}");
    let new = check(&[
        "--format",
        "json",
        "--nginx-version",
        "1.30.0",
        "ws-no-http-version.conf",
    ]);
    assert_eq!(code(&new), 0, "{}", stdout(&new));
    assert!(rules_of(&json(&new)).is_empty(), "{}", stdout(&new));
    // The default (1.28.0) is before the change.
    assert_eq!(
        json_rules(&["ws-no-http-version.conf"]),
        ["websocket-upgrade-missing"]
    );
}

// ---------------------------------------------------------------------------------------------
// Context of a fragment

#[test]
fn context_flag_comment_and_inference() {
    // Inferred: a fragment with `listen` and `location` is a server block's body.
    let out = check(&["-v", "server-fragment.conf"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stderr(&out).contains(
            "server-fragment.conf: checked as `server` context (inferred from its directives)"
        ),
        "{}",
        stderr(&out)
    );
    // The flag.
    let out = check(&["-v", "--context", "server", "server-fragment.conf"]);
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out).contains("server-fragment.conf: checked as `server` context (from --context)"),
        "{}",
        stderr(&out)
    );
    // The flag wins over inference, and the wrong context is reported.
    let out = check(&[
        "-v",
        "--format",
        "json",
        "--context",
        "http",
        "server-fragment.conf",
    ]);
    assert_eq!(code(&out), 1);
    let v = json(&out);
    assert_eq!(rules_of(&v), ["invalid-context", "invalid-context"], "{v}");
    assert!(
        stderr(&out).contains("checked as `http` context (from --context)"),
        "{}",
        stderr(&out)
    );
    // Without -v nothing is said about the context.
    assert!(!stderr(&check(&["server-fragment.conf"])).contains("checked as"));

    // The first-line comment.
    let out = check(&["-v", "location-fragment.conf"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stderr(&out).contains(
            "location-fragment.conf: checked as `location` context (from its `# ngxlint: context=` comment)"
        ),
        "{}",
        stderr(&out)
    );
    // --context beats the comment.
    let out = check(&[
        "-v",
        "--format",
        "concise",
        "--context",
        "server",
        "location-fragment.conf",
    ]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).starts_with(
            "location-fragment.conf:2:1: error[invalid-context] \"proxy_pass\" directive is not allowed here"
        ),
        "{}",
        stdout(&out)
    );
}

// ---------------------------------------------------------------------------------------------
// Directories

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// nginx.conf includes conf.d/*.conf inside a streaming location; other.conf is included by
/// nothing; ignored.conf is .gitignored; .hidden/ and .git-like directories are skipped.
fn tree() -> PathBuf {
    let dir = support::tempdir("cli-tree");
    write(
        &dir.join("nginx.conf"),
        "events {}\n\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n\n        location /v1/chat/completions {\n            include conf.d/*.conf;\n        }\n    }\n}\n",
    );
    // Only in the include's context is this a streaming location's body with a short timeout.
    write(
        &dir.join("conf.d/app.conf"),
        "proxy_pass http://127.0.0.1:8000;\nproxy_buffering off;\nproxy_read_timeout 30s;\nproxy_bufering off;\n",
    );
    write(
        &dir.join("other.conf"),
        "location /x {\n    proxy_pass http://127.0.0.1:9000;\n    proxy_bufering off;\n}\n",
    );
    let stray = "location /y {\n    proxy_bufering off;\n}\n";
    write(&dir.join("ignored.conf"), stray);
    write(&dir.join(".gitignore"), "ignored.conf\n");
    write(&dir.join(".hidden/hidden.conf"), stray);
    write(&dir.join("sub/.secret/deep.conf"), stray);
    dir
}

#[test]
fn directories_lint_each_file_once_with_its_include_context() {
    let dir = tree();
    let out = ngxlint_in(
        &dir,
        &["check", "--no-config", "-v", "--format", "json", "."],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v = json(&out);
    let found: Vec<(String, String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("./")
                    .to_owned(),
                d["rule"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expect = [
        ("conf.d/app.conf", "read-timeout-short", 3),
        ("conf.d/app.conf", "unknown-directive", 4),
        ("other.conf", "unknown-directive", 3),
    ];
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        expect
            .iter()
            .map(|(f, r, l)| (f.to_string(), r.to_string(), *l))
            .collect::<Vec<_>>(),
        "{v}"
    );
    // The included file's finding knows the location it is included in.
    let timeout = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "read-timeout-short")
        .unwrap();
    assert!(
        timeout["message"]
            .as_str()
            .unwrap()
            .contains("location /v1/chat/completions"),
        "{timeout}"
    );
    // nginx.conf (+ conf.d/app.conf) and other.conf.
    assert_eq!(v["summary"]["files"], 3, "{v}");
    // conf.d/app.conf is not a root of its own; other.conf is.
    let err = stderr(&out);
    assert!(
        err.contains("nginx.conf: checked as `main` context"),
        "{err}"
    );
    assert!(
        err.contains("other.conf: checked as `server` context"),
        "{err}"
    );
    assert!(!err.contains("app.conf: checked"), "{err}");
    for skipped in ["ignored.conf", "hidden.conf", "deep.conf"] {
        assert!(!err.contains(skipped), "{skipped}: {err}");
        assert!(!stdout(&out).contains(skipped), "{skipped}");
    }

    // Naming the included file as well as the directory still reports it once.
    let out = ngxlint_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            ".",
            "conf.d/app.conf",
        ],
    );
    let v = json(&out);
    let in_app = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"].as_str().unwrap().ends_with("app.conf"))
        .count();
    assert_eq!(in_app, 2, "{v}");

    // The ignored file can still be checked by naming it.
    let out = ngxlint_in(&dir, &["check", "--no-config", "ignored.conf"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// --diff, fix, fix --verify

fn fixable_copy(tag: &str) -> (PathBuf, PathBuf) {
    let dir = support::tempdir(tag);
    let f = dir.join("nginx.conf");
    std::fs::copy(cli_dir().join("ws-fixable.conf"), &f).unwrap();
    (dir, f)
}

#[test]
fn check_diff_prints_a_diff_and_writes_nothing() {
    let (dir, f) = fixable_copy("cli-diff");
    let before = std::fs::read(&f).unwrap();
    // The unsafe timeout fix is not applied, so an info finding is left (the WebSocket's
    // heartbeat is unknown: read-timeout-short says so at info level).
    let out = ngxlint_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--fail-on",
            "info",
            "--diff",
            "nginx.conf",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let diff = stdout(&out);
    insta::assert_snapshot!("cli_check_diff_ws_fixable", diff);
    assert!(
        diff.starts_with("--- a/nginx.conf\n+++ b/nginx.conf\n@@ "),
        "{diff}"
    );
    assert!(
        diff.contains("+            proxy_set_header Upgrade $http_upgrade;\n"),
        "{diff}"
    );
    assert!(!diff.contains("proxy_read_timeout"), "{diff}");
    assert_eq!(std::fs::read(&f).unwrap(), before, "--diff wrote the file");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);

    let out = ngxlint_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--diff",
            "--unsafe-fixes",
            "nginx.conf",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("+            proxy_read_timeout 300s;\n"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read(&f).unwrap(), before);

    // Nothing to fix: empty diff.
    let out = check(&["--diff", "clean.conf"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), "");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fix_writes_the_fixes() {
    let (dir, f) = fixable_copy("cli-fix");
    let out = ngxlint_in(
        &dir,
        &["fix", "--no-config", "--fail-on", "info", "nginx.conf"],
    );
    assert_eq!(
        code(&out),
        1,
        "the unsafe-only finding is left: {}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("nginx.conf: applied 1 fix(es) in 1 file(s)"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("1 finding(s) left (1 fixable with --unsafe-fixes)"),
        "{}",
        stderr(&out)
    );
    let after = std::fs::read_to_string(&f).unwrap();
    // nginx's documented idiom: `Connection: upgrade` only on handshakes.
    assert!(
        after.contains("proxy_set_header Connection $connection_upgrade;")
            && after.contains("map $http_upgrade $connection_upgrade {"),
        "{after}"
    );
    let left = json(&ngxlint_in(
        &dir,
        &["check", "--no-config", "--format", "json", "nginx.conf"],
    ));
    assert_eq!(rules_of(&left), ["read-timeout-short"], "{left}");

    let out = ngxlint_in(
        &dir,
        &["fix", "--no-config", "--unsafe-fixes", "nginx.conf"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = ngxlint_in(&dir, &["check", "--no-config", "nginx.conf"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // Idempotent: nothing more to do.
    let before = std::fs::read(&f).unwrap();
    let out = ngxlint_in(
        &dir,
        &["fix", "--no-config", "--unsafe-fixes", "nginx.conf"],
    );
    assert_eq!(code(&out), 0);
    assert_eq!(std::fs::read(&f).unwrap(), before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fix_verify_runs_nginx_t_before_writing() {
    let Some(nginx) = support::nginx() else {
        return;
    };
    let nginx = nginx.to_str().unwrap().to_owned();
    let env = [("NGXLINT_NGINX", nginx.as_str())];
    let (dir, f) = fixable_copy("cli-verify");
    let out = ngxlint_env(
        &dir,
        &[
            "fix",
            "--no-config",
            "--fail-on",
            "info",
            "--verify",
            "nginx.conf",
        ],
        &env,
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nginx -t accepts the fixed configuration"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::read_to_string(&f)
            .unwrap()
            .contains("proxy_set_header Upgrade $http_upgrade;")
    );
    let out = ngxlint_env(
        &dir,
        &[
            "fix",
            "--no-config",
            "--verify",
            "--unsafe-fixes",
            "nginx.conf",
        ],
        &env,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nginx -t accepts the fixed configuration"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::read_to_string(&f)
            .unwrap()
            .contains("proxy_read_timeout 300s;")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fix_verify_with_a_missing_nginx_writes_nothing() {
    let (dir, f) = fixable_copy("cli-verify-missing");
    let before = std::fs::read(&f).unwrap();
    let out = ngxlint_env(
        &dir,
        &["fix", "--no-config", "--verify", "nginx.conf"],
        &[("NGXLINT_NGINX", "/nonexistent/nginx")],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--verify"), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing written"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&f).unwrap(), before, "the file was changed");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "a file was left behind"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// rules, rule

#[test]
fn rules_lists_every_rule() {
    let out = ngxlint_in(&cli_dir(), &["rules"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("rule "), "{header}");
    // The table ends at the first blank line (the legend for `*` and notes on varying
    // severities follow).
    let rows: Vec<&str> = lines.take_while(|l| !l.is_empty()).collect();

    let out = ngxlint_in(&cli_dir(), &["rules", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let v = json(&out);
    let list = v.as_array().unwrap();
    assert_eq!(rows.len(), list.len(), "{text}");
    // One page per rule in rules/, and every one listed.
    let pages = std::fs::read_dir(support::repo_root().join("rules"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count();
    assert_eq!(list.len(), pages, "rules/ has {pages} pages");
    for (row, r) in rows.iter().zip(list) {
        let id = r["id"].as_str().unwrap();
        // `*` marks rules outside the default set.
        let first = row.split_whitespace().next().unwrap_or_default();
        let (shown, star) = match first.strip_suffix('*') {
            Some(s) => (s, true),
            None => (first, false),
        };
        assert_eq!(shown, id, "{row}");
        if let Some(default) = r["default"].as_bool() {
            assert_eq!(star, !default, "{row}");
        }
        assert!(row.contains(r["summary"].as_str().unwrap()), "{row}");
        assert!(
            ["error", "warning", "info"].contains(&r["severity"].as_str().unwrap()),
            "{r}"
        );
        assert!(
            ["none", "sometimes", "always"].contains(&r["fix"].as_str().unwrap()),
            "{r}"
        );
    }
    assert!(list.iter().any(|r| r["id"] == "buffering-on-streaming"));
}

#[test]
fn rules_survives_a_closed_stdout() {
    // `ngxlint rules | head -1`: a closed pipe must not make ngxlint panic (check handles it).
    let mut child = Command::new(support::ngxlint_bin())
        .arg("rules")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ngxlint");
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(101), "{err}");
}

#[test]
fn rule_prints_its_page_or_suggests() {
    let out = ngxlint_in(&cli_dir(), &["rule", "buffering-on-streaming"]);
    assert_eq!(code(&out), 0);
    let page = stdout(&out);
    assert!(page.starts_with("# buffering-on-streaming"), "{page}");
    assert_eq!(
        page,
        std::fs::read_to_string(support::repo_root().join("rules/buffering-on-streaming.md"))
            .unwrap()
    );

    let out = ngxlint_in(&cli_dir(), &["rule", "nope"]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("no rule `nope`"), "{}", stderr(&out));
    assert!(stderr(&out).contains("ngxlint rules"), "{}", stderr(&out));

    let out = ngxlint_in(&cli_dir(), &["rule", "buffering-on-stream"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("did you mean: buffering-on-streaming"),
        "{}",
        stderr(&out)
    );
}

// apps

#[test]
fn apps_lists_the_knowledge_base_with_sources() {
    let out = ngxlint_in(&cli_dir(), &["apps", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let v = json(&out);
    let list = v.as_array().unwrap();
    assert!(list.len() >= 30, "{} apps", list.len());
    for a in list {
        assert!(a["source"].as_str().unwrap().starts_with("https://"), "{a}");
        for e in a["endpoints"].as_array().unwrap() {
            assert!(e["source"].as_str().unwrap().starts_with("https://"), "{e}");
        }
    }
    let ids: Vec<&str> = list.iter().map(|a| a["id"].as_str().unwrap()).collect();
    for id in [
        "gradio",
        "open-webui",
        "ollama",
        "vllm",
        "socket-io",
        "sillytavern",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
    let text = stdout(&ngxlint_in(&cli_dir(), &["apps"]));
    assert!(text.contains("/queue/data"), "{text}");
    assert!(text.contains("heartbeat 25s"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// the target version from the project's container files

/// A repository whose Dockerfile runs `image`, with a WebSocket location that sends both
/// headers and no `proxy_http_version`: HTTP/1.0 before nginx 1.29.7, HTTP/1.1 after.
fn repo_running(tag: &str, image: &str) -> PathBuf {
    let dir = support::tempdir(tag);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::create_dir_all(dir.join("nginx")).unwrap();
    std::fs::write(
        dir.join("Dockerfile"),
        format!("FROM node:20 AS build\nRUN true\nFROM {image}\nCOPY nginx /etc/nginx/conf.d\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("nginx/app.conf"),
        "server {\n    listen 80;\n    location /api/kernels/ {\n        proxy_pass http://jupyter:8888;\n        \
         proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
    )
    .unwrap();
    dir
}

/// Where the project's container files put its files (`COPY`, Compose bind mounts), an
/// absolute include is read from the project's copy: not from whatever this machine has under
/// `/etc/nginx` (held-out batch 200: a Debian `proxy_params` setting `Host` beside the
/// location's own `Host`), and a mounted directory is no missing include.
#[test]
fn container_files_say_where_included_files_come_from() {
    let dir = support::tempdir("container-mounts");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::create_dir_all(dir.join("docker/nginx/conf.d")).unwrap();
    std::fs::write(
        dir.join("docker/nginx/Dockerfile"),
        "FROM nginx\nCOPY ./docker/nginx/proxy_params /etc/nginx/proxy_params\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("compose.yaml"),
        "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/nginx/Dockerfile\n    \
         volumes:\n      - ./docker/nginx/conf.d:/srv/ngxlint-test/conf.d:ro\n",
    )
    .unwrap();
    // The project's proxy_params sets no `Host`; the location does.
    std::fs::write(
        dir.join("docker/nginx/proxy_params"),
        "proxy_set_header X-Real-IP $remote_addr;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("docker/nginx/site.conf"),
        "server {\n    listen 80;\n    location / {\n        proxy_set_header Host api;\n        \
         include /etc/nginx/proxy_params;\n        proxy_pass http://127.0.0.1:9000;\n    }\n    \
         include /srv/ngxlint-test/conf.d/*.conf;\n}\n",
    )
    .unwrap();
    // A file of the mounted directory, with a finding of its own: it is read.
    std::fs::write(
        dir.join("docker/nginx/conf.d/extra.conf"),
        "location /old { return 301 http://$http_host$request_uri; }\nlocation /old { }\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["check", "--format", "json", "-v"];
        all.extend_from_slice(args);
        all.push("docker/nginx/site.conf");
        let out = ngxlint_in(&dir, &all);
        (rules_of(&json(&out)), stderr(&out))
    };
    let (found, err) = run(&[]);
    assert!(
        !found
            .iter()
            .any(|r| r == "proxy-header-repeated" || r == "include-not-found"),
        "{found:?}\n{err}"
    );
    assert!(
        found.iter().any(|r| r == "duplicate-location"),
        "the mounted directory's file is read: {found:?}\n{err}"
    );
    assert!(
        err.contains(
            "/etc/nginx/proxy_params is read from docker/nginx/proxy_params \
             (docker/nginx/Dockerfile:2 puts it there; --path-map to choose)"
        ),
        "{err}"
    );
    assert!(
        err.contains("/srv/ngxlint-test/conf.d is read from docker/nginx/conf.d (compose.yaml:7"),
        "{err}"
    );
    // `--no-config` drops settings, not where the project keeps its files: the mounted
    // directory is read all the same (held-out batch 285).
    let (found, err) = run(&["--no-config"]);
    assert!(
        found.iter().any(|r| r == "duplicate-location")
            && !found.iter().any(|r| r == "include-glob-empty"),
        "{found:?}\n{err}"
    );
    assert!(
        err.contains("/srv/ngxlint-test/conf.d is read from docker/nginx/conf.d (compose.yaml:7"),
        "{err}"
    );
    // A `--path-map` of the same path wins over the container files.
    std::fs::create_dir_all(dir.join("stub")).unwrap();
    std::fs::write(
        dir.join("stub/proxy_params"),
        "proxy_set_header Host $host;\n",
    )
    .unwrap();
    let (found, err) = run(&["--path-map", "/etc/nginx=stub"]);
    assert!(
        found.iter().any(|r| r == "proxy-header-repeated"),
        "{found:?}\n{err}"
    );
    assert!(
        !err.contains("/etc/nginx/proxy_params is read from"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A package pinned in the Dockerfile's last stage is the version it runs, whatever the base
/// image: a Home Assistant add-on's `FROM ${BUILD_FROM}` (no default) with `apk add
/// nginx=1.18.0-r13` (held-out batch 468: checked for 1.28, `http2 on;` offered, which 1.18
/// refuses).
#[test]
fn a_pinned_package_is_the_target() {
    let dir = repo_running("package-pin", "${BUILD_FROM}");
    std::fs::write(
        dir.join("Dockerfile"),
        "ARG BUILD_FROM\nFROM ${BUILD_FROM}\n\nRUN \\\n    apk add --no-cache \\\n        nginx=1.18.0-r13\n",
    )
    .unwrap();
    let out = ngxlint_in(&dir, &["check", "--format", "json", "nginx/app.conf"]);
    let err = stderr(&out);
    // nginx 1.18 speaks HTTP/1.0 to upstreams: the WebSocket location fails.
    assert_eq!(
        rules_of(&json(&out)),
        ["websocket-upgrade-missing"],
        "{err}"
    );
    assert!(
        err.contains(
            "note: checking for nginx 1.18.0, which Dockerfile:4 runs (`nginx=1.18.0-r13, the \
             package it installs`)"
        ),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_dockerfile_image_is_the_target_when_none_is_given() {
    let dir = repo_running("image-target", "nginx:1.31-alpine");
    let ws = |args: &[&str]| {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        all.push("nginx/app.conf");
        let out = ngxlint_in(&dir, &all);
        (rules_of(&json(&out)), stderr(&out))
    };
    // nginx 1.31 speaks HTTP/1.1 to upstreams: nothing to say, and where the version came from.
    let (found, err) = ws(&[]);
    assert_eq!(found, Vec::<String>::new(), "{err}");
    assert!(
        err.contains(
            "note: checking for nginx 1.31.4, which Dockerfile:3 runs (`nginx:1.31-alpine`)"
        ),
        "{err}"
    );
    // A version given wins, and no note is printed.
    let (found, err) = ws(&["--nginx-version", "1.28.0"]);
    assert_eq!(found, ["websocket-upgrade-missing"], "{err}");
    assert!(!err.contains("note:"), "{err}");
    // So does one in .ngxlint.yml.
    std::fs::write(dir.join(".ngxlint.yml"), "nginx_version: \"1.24.0\"\n").unwrap();
    let (found, err) = ws(&[]);
    assert_eq!(found, ["websocket-upgrade-missing"], "{err}");
    std::fs::remove_file(dir.join(".ngxlint.yml")).unwrap();
    // `--no-config` drops `.ngxlint.yml`, not the nginx the project runs: the image's
    // version stays the target (held-out batches 437 and 438).
    std::fs::write(dir.join(".ngxlint.yml"), "nginx_version: \"1.24.0\"\n").unwrap();
    let (found, err) = ws(&["--no-config"]);
    assert_eq!(found, Vec::<String>::new(), "{err}");
    assert!(err.contains("note: checking for nginx 1.31.4"), "{err}");
    std::fs::remove_file(dir.join(".ngxlint.yml")).unwrap();
    // `-q` keeps the note to itself.
    let out = ngxlint_in(&dir, &["check", "-q", "nginx/app.conf"]);
    assert!(!stderr(&out).contains("note:"), "{}", stderr(&out));
    assert_eq!(code(&out), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A Compose file named another way (a template the deployment renders,
/// `guacamole_docker_compose.mustache.yaml`) names the nginx too (held-out batch 452: its
/// `nginx:1.21.6` ignored, and `listen ... http2` reported as deprecated there); an example
/// so named does not.
#[test]
fn a_compose_file_by_another_name_sets_the_target() {
    let dir = support::tempdir("image-compose-loosely");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(
        dir.join("site.conf"),
        "server {\n    listen 443 ssl http2;\n    ssl_certificate a.pem;\n    \
         ssl_certificate_key a.key;\n}\n",
    )
    .unwrap();
    let compose = "services:\n  nginx:\n    image: nginx:1.21.6\n";
    let run = || {
        let out = ngxlint_in(
            &dir,
            &[
                "check",
                "--context",
                "http",
                "--format",
                "json",
                "site.conf",
            ],
        );
        (rules_of(&json(&out)), stderr(&out))
    };
    std::fs::write(dir.join("guacamole_compose_example.yaml"), compose).unwrap();
    let (found, err) = run();
    assert!(
        found.contains(&"http2-listen-deprecated".to_owned()),
        "{found:?} {err}"
    );
    std::fs::write(dir.join("guacamole_docker_compose.mustache.yaml"), compose).unwrap();
    let (found, err) = run();
    assert!(
        !found.contains(&"http2-listen-deprecated".to_owned()),
        "{found:?} {err}"
    );
    assert!(
        err.contains(
            "note: checking for nginx 1.21.6, which guacamole_docker_compose.mustache.yaml:3"
        ),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An include whose path holds a template's placeholder (Warden's
/// `include /etc/nginx/available.d/${NGINX_TEMPLATE};`, filled by envsubst: held-out batch 466)
/// is an info that does not stop the check (exit 0, not 2), and says why.
#[test]
fn an_include_named_by_a_placeholder_does_not_stop_the_check() {
    let dir = support::tempdir("include-placeholder");
    std::fs::write(
        dir.join("default.conf"),
        "server {\n    listen 80;\n    include /etc/nginx/available.d/${NGINX_TEMPLATE};\n}\n",
    )
    .unwrap();
    let out = ngxlint_in(
        &dir,
        &["check", "--no-config", "--format", "json", "default.conf"],
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let v = json(&out);
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "include-not-found", "{v}");
    assert_eq!(d["severity"], "info", "{v}");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("holds a template's placeholder")),
        "{v}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_image_without_a_version_sets_no_target() {
    // A tag that names no version and no line of releases: the default target.
    let dir = repo_running("image-custom", "nginx:custom-build");
    let out = ngxlint_in(&dir, &["check", "--format", "json", "nginx/app.conf"]);
    assert_eq!(rules_of(&json(&out)), ["websocket-upgrade-missing"]);
    assert!(!stderr(&out).contains("note:"), "{}", stderr(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unpinned_image_runs_the_newest_release_of_its_line() {
    // `stable-alpine` pulls the newest stable release (1.30.x: HTTP/1.1 to upstreams since
    // 1.29.7), said so on stderr.
    let dir = repo_running("image-stable", "nginx:stable-alpine");
    let out = ngxlint_in(&dir, &["check", "--format", "json", "nginx/app.conf"]);
    assert_eq!(rules_of(&json(&out)), Vec::<String>::new());
    assert!(
        stderr(&out).contains(
            "note: checking for nginx 1.30.4, which Dockerfile:3 runs (`nginx:stable-alpine`, \
             unpinned: the newest stable release ngxlint knows)"
        ),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_absolute_include_kept_in_the_checkout_names_its_path_map() {
    let dir = support::tempdir("include-map");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::create_dir_all(dir.join("util/Nginx/snippets")).unwrap();
    std::fs::create_dir_all(dir.join("deploy")).unwrap();
    std::fs::write(
        dir.join("util/Nginx/snippets/headers.conf"),
        "add_header X-Frame-Options DENY;\n",
    )
    .unwrap();
    // Two files of this name: no one answer.
    std::fs::write(dir.join("util/Nginx/twice.conf"), "\n").unwrap();
    std::fs::write(dir.join("deploy/twice.conf"), "\n").unwrap();
    std::fs::write(
        dir.join("deploy/site.conf"),
        "server {\n    listen 80;\n    include /etc/nginx/snippets/headers.conf;\n    \
         include /etc/nginx/twice.conf;\n    include /etc/nginx/nowhere.conf;\n}\n",
    )
    .unwrap();
    let out = ngxlint_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "deploy/site.conf",
        ],
    );
    let v = json(&out);
    let helps: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["help"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(helps.len(), 3, "{v}");
    assert!(
        helps[0]
            .contains("keeps it under `util/Nginx`: check with `--path-map /etc/nginx=util/Nginx`"),
        "{}",
        helps[0]
    );
    for h in &helps[1..] {
        assert!(h.contains("`--path-map /etc/nginx=DIR`"), "{h}");
    }
    // nginx reads the one the checkout keeps where it runs: not read here, an info; the
    // others are errors.
    let severities: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["severity"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(severities, ["info", "error", "error"], "{v}");
    assert!(
        v["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not read") && m.contains("this checkout keeps one")),
        "{v}"
    );
    // Alone, it does not stop the check: exit 1 for the warnings, not 2 (held-out batch 462).
    std::fs::write(
        dir.join("deploy/kept.conf"),
        "server {\n    listen 80 http2;\n    include /etc/nginx/snippets/headers.conf;\n}\n",
    )
    .unwrap();
    let out = ngxlint_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "deploy/kept.conf",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert_eq!(
        rules_of(&json(&out)),
        ["http2-listen-deprecated", "include-not-found"]
    );
    // The suggested mapping finds the file.
    let out = ngxlint_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--path-map",
            "/etc/nginx=util/Nginx",
            "deploy/site.conf",
        ],
    );
    let v = json(&out);
    let lines: Vec<u64> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    // Only the file the checkout does not keep is still missing.
    assert_eq!(lines, [5], "{v}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--format concise` and `checkstyle` build only what they show (a brief run: no labels, help
/// or fixes); with `--statistics` they need the fixes and run in full. Both print the same
/// findings, on every rule fixture (each rule's findings, the fixable ones among them).
#[test]
fn concise_reports_alike_with_and_without_the_details() {
    for format in ["concise", "checkstyle"] {
        reports_alike_with_and_without_the_details(format);
    }
}

fn reports_alike_with_and_without_the_details(format: &str) {
    let rules = support::repo_root().join("fixtures/rules");
    let report = |extra: &[&str]| {
        let mut args = vec!["check", "--no-config", "--format", format];
        args.extend_from_slice(extra);
        args.push(".");
        let out = ngxlint_in(&rules, &args);
        (code(&out), stdout(&out))
    };
    let (brief_code, brief) = report(&[]);
    let (full_code, full) = report(&["--statistics"]);
    // Some fixtures cannot be fully checked (missing includes): 2 for both.
    assert_eq!((brief_code, full_code), (2, 2));
    let counts = full.strip_prefix(&brief).unwrap_or_else(|| {
        panic!("{format}: the brief report is not the full one's start:\n{brief}")
    });
    // Then only the statistics rows, the fixable findings counted in the full run.
    assert!(brief.lines().count() > 500, "{brief}");
    assert!(counts.contains("inherited-headers-dropped ("), "{counts}");
    assert!(counts.contains(" fixable)"), "{counts}");
}

/// A template's placeholder (`listen ${NGINX_PORT};` in the nginx image's
/// `default.conf.template`, filled by envsubst before nginx reads the file; envsubst's bare
/// `$UPSTREAM_HOST` too) is not judged as a value: what nginx would say of it as written says
/// nothing of the rendered file (held-out batches 385 to 394). The same lines in a `.conf`
/// are the errors nginx would give (an upper-case `${NAME}` an info with a note: a
/// placeholder in any file), and so is a `.conf` no container file puts at a
/// template's path; one that a Compose file mounts as `/etc/nginx/templates/x.conf.template`
/// is a template (held-out batch 394).
#[test]
fn placeholders_of_a_template_are_not_judged() {
    let dir = support::tempdir("check-template");
    let text = "upstream app {\n    server $UPSTREAM_HOST;\n}\nserver {\n    listen \
                ${NGINX_PORT};\n    location / {\n        proxy_pass http://app;\n    }\n}\n";
    std::fs::write(dir.join("default.conf.template"), text).unwrap();
    std::fs::write(dir.join("default.conf"), text).unwrap();
    std::fs::create_dir_all(dir.join("deploy/nginx")).unwrap();
    std::fs::write(dir.join("deploy/nginx/site.conf"), text).unwrap();
    let findings = |name: &str| {
        let out = ngxlint_in(
            &dir,
            &["check", "--context", "http", "--format", "json", name],
        );
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let found: Vec<serde_json::Value> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "invalid-address")
            .cloned()
            .collect();
        (code(&out), found)
    };
    let (code_tpl, tpl) = findings("default.conf.template");
    assert!(tpl.is_empty(), "{tpl:?}");
    assert_eq!(code_tpl, 0);
    let (code_conf, conf) = findings("default.conf");
    assert_eq!(conf.len(), 2, "{conf:?}");
    // The bare `$UPSTREAM_HOST` is an error there; the upper-case `${NGINX_PORT}`, a
    // placeholder in any file (held-out batch 418), an info with its note.
    let severity_of = |needle: &str| {
        conf.iter()
            .find(|d| d["message"].as_str().unwrap().contains(needle))
            .map(|d| d["severity"].clone())
    };
    assert_eq!(
        severity_of("UPSTREAM_HOST"),
        Some("error".into()),
        "{conf:?}"
    );
    assert_eq!(severity_of("NGINX_PORT"), Some("info".into()), "{conf:?}");
    assert!(
        conf.iter().any(|d| d["help"]
            .as_str()
            .unwrap()
            .contains("looks like a placeholder that a script or installer fills")),
        "{conf:?}"
    );
    assert_eq!(code_conf, 1);
    let (_, plain) = findings("deploy/nginx/site.conf");
    assert_eq!(plain.len(), 2, "{plain:?}");
    // Mounted at a template's path: a template.
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(
        dir.join("deploy/compose.yaml"),
        "services:\n  web:\n    image: nginx:1.27.5\n    volumes:\n      - \
         ./nginx/site.conf:/etc/nginx/templates/default.conf.template:ro\n",
    )
    .unwrap();
    let (code_mounted, mounted) = findings("deploy/nginx/site.conf");
    assert!(mounted.is_empty(), "{mounted:?}");
    assert_eq!(code_mounted, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A placeholder of a package's file (YunoHost's `__APP_PORT__` in a `.conf`, which may also be
/// a deployed file with the placeholder left in) used on several lines is one info finding
/// per placeholder and rule, the other places its labels; a line a comment suppresses is not
/// among them (held-out batch 143).
#[test]
fn a_placeholder_used_again_is_one_finding_with_its_places() {
    let dir = support::tempdir("check-template-fold");
    let text = "events {}\nhttp {\n    server {\n        listen 80;\n        location / {\n            \
                proxy_pass http://127.0.0.1:__APP_PORT__;\n        }\n        location /b/ {\n            \
                proxy_pass http://127.0.0.1:__APP_PORT__;\n        }\n        location /c/ {\n            \
                # ngxlint: ignore invalid-address -- filled by the package\n            proxy_pass \
                http://127.0.0.1:__APP_PORT__;\n        }\n    }\n}\n";
    std::fs::write(dir.join("nginx.conf"), text).unwrap();
    let out = ngxlint_in(
        &dir,
        &["check", "--no-config", "--format", "json", "nginx.conf"],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "invalid-address")
        .collect();
    let places = |d: &serde_json::Value| -> Vec<u64> {
        std::iter::once(d)
            .chain(d["related"].as_array().unwrap())
            .map(|p| p["line"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["severity"], "info", "{}", found[0]);
    assert_eq!(places(found[0]), [6, 9]);
    assert!(
        found[0]["related"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["message"] == "the same placeholder here"),
        "{}",
        found[0]
    );
    assert_eq!(code(&out), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A template whose tags pair up is read past them (held-out batches 302, 318, 324: five of
/// eight Ansible and Helm files stopped at their first `{{`, their later findings hidden): a
/// value becomes a word, a tag alone on its line an include nobody reads (the upstream is not
/// said to have no servers), the first branch of an `if` stands for the rendered file (no
/// duplicate `listen`). A finding outside the tags keeps its severity, a value check of a tag's
/// stand-in is not reported; `parse` still says what nginx says; a fix never writes into a tag, and the fixed file
/// keeps every tag byte for byte.
#[test]
fn a_template_is_read_past_its_tags() {
    let dir = support::tempdir("check-template-read");
    let text = "upstream app {\n    {{- include \"app.servers\" . | nindent 4 }}\n}\nserver {\n    \
                listen {{ .Values.port }};\n    add_header X-Frame-Options DENY;\n{{- if \
                .Values.tls }}\n    listen 8443 ssl;\n{{- else }}\n    listen 8443;\n{{- end \
                }}\n    location /api/ {\n        add_header Cache-Control no-store;\n        \
                proxy_pass http://app;\n    }\n}\n";
    // Helm's `files/nginx.conf`: a template whatever its name says.
    std::fs::write(dir.join("nginx.conf"), text).unwrap();
    let args = ["--no-config", "--context", "http"];
    let out = ngxlint_in(
        &dir,
        &[&["check"][..], &args, &["--format", "json", "nginx.conf"]].concat(),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<(String, String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // Nothing on `listen {{ .Values.port }};`: an address check of the tag's stand-in says
    // nothing of the rendered file.
    assert_eq!(
        found,
        [("inherited-headers-dropped".into(), "error".into(), 13)],
        "{v}"
    );
    assert_eq!(code(&out), 1);
    // `parse` reads it as nginx does: syntax errors, exit 1.
    let parsed = ngxlint_in(&dir, &["parse", "nginx.conf"]);
    assert_eq!(code(&parsed), 1, "{}", stdout(&parsed));
    assert!(
        stdout(&parsed).contains("unexpected \\\"{\\\""),
        "{}",
        stdout(&parsed)
    );
    // The fix copies the header into the location and leaves every tag as it was.
    let fixed = ngxlint_in(
        &dir,
        &[&["fix"][..], &args, &["--unsafe-fixes", "nginx.conf"]].concat(),
    );
    assert_eq!(code(&fixed), 0, "{}", stderr(&fixed));
    let after = std::fs::read_to_string(dir.join("nginx.conf")).unwrap();
    assert_eq!(
        after,
        text.replace(
            "no-store;\n",
            "no-store;\n        add_header X-Frame-Options DENY;\n"
        )
    );
    let again = ngxlint_in(
        &dir,
        &[&["fix"][..], &args, &["--unsafe-fixes", "nginx.conf"]].concat(),
    );
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(
        std::fs::read_to_string(dir.join("nginx.conf")).unwrap(),
        after
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A template's conditional block makes a finding info by any of its lines, labels included:
/// the concise report (which drops labels) gives the severities and the exit code of the
/// others (held-out batch 370: concise said error, exit 1; JSON info, exit 0).
#[test]
fn the_concise_report_softens_as_the_others_do() {
    let dir = support::tempdir("concise-template-conditional");
    std::fs::write(
        dir.join("site.conf.tmpl"),
        "server {\n    listen 8080;\n    location / {\n        proxy_pass http://127.0.0.1:8081;\n        {{- if .Values.forwarded }}\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        {{- end }}\n        location /pipelines/ {\n            proxy_set_header Host $host;\n            proxy_pass http://127.0.0.1:8082;\n        }\n    }\n}\n",
    )
    .unwrap();
    let run = |format: &str| {
        ngxlint_in(
            &dir,
            &[
                "check",
                "--no-config",
                "--context",
                "http",
                "--format",
                format,
                "site.conf.tmpl",
            ],
        )
    };
    let concise = run("concise");
    let json = run("json");
    let text = String::from_utf8_lossy(&concise.stdout).into_owned();
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    let severities: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}[{}]",
                d["severity"].as_str().unwrap(),
                d["rule"].as_str().unwrap()
            )
        })
        .collect();
    assert!(!severities.is_empty(), "{text}");
    for s in &severities {
        assert!(text.contains(s.as_str()), "{s} not in:\n{text}");
    }
    assert!(text.contains("info[inherited-headers-dropped]"), "{text}");
    assert_eq!(concise.status.code(), json.status.code(), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file an absolute include of the checked files finds on this machine, where the checked
/// files live elsewhere (a checkout's `include /etc/nginx/sites-enabled/*;`), is this
/// machine's: its findings are info, with no fix, and say so (held-out batch 374: two
/// `duplicate-listen` errors on the judging machine's Debian `default` site, which the
/// project's Salt state deletes). The checked tree's own files keep their severity.
#[test]
fn findings_in_this_machines_files_are_info() {
    let host = support::tempdir("host-sites");
    let repo = support::tempdir("host-repo");
    std::fs::write(
        host.join("default"),
        "server {\n    listen 80 default_server;\n    server_name _;\n}\n",
    )
    .unwrap();
    let main = format!(
        "events {{}}\nhttp {{\n    include {}/*;\n    server {{\n        listen 80 default_server;\n        server_name app;\n    }}\n}}\n",
        host.display()
    );
    std::fs::write(repo.join("nginx.conf"), &main).unwrap();
    let out = ngxlint_in(
        &repo,
        &["check", "--no-config", "--format", "json", "nginx.conf"],
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let diags = json(&out)["diagnostics"].as_array().unwrap().clone();
    let host_file = host.join("default").display().to_string();
    // The repository's `listen` duplicates the host's: the finding rests on both files.
    let duplicate: Vec<&Value> = diags
        .iter()
        .filter(|d| d["rule"] == "duplicate-listen")
        .collect();
    assert_eq!(duplicate.len(), 1, "{diags:?}");
    assert!(duplicate[0].to_string().contains(&host_file), "{diags:?}");
    for d in &diags {
        assert_eq!(d["severity"], "info", "{d}");
        assert!(
            d["help"].as_str().unwrap().contains("this machine's file"),
            "{d}"
        );
    }
    // The same two files in one tree: the checked files' own, errors as before.
    std::fs::create_dir_all(repo.join("sites")).unwrap();
    std::fs::copy(host.join("default"), repo.join("sites/default")).unwrap();
    let inside = main.replace(
        &host.display().to_string(),
        &repo.join("sites").display().to_string(),
    );
    std::fs::write(repo.join("nginx.conf"), inside).unwrap();
    let out = ngxlint_in(
        &repo,
        &["check", "--no-config", "--format", "json", "nginx.conf"],
    );
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    std::fs::remove_dir_all(&host).unwrap();
    std::fs::remove_dir_all(&repo).unwrap();
}

/// An include the deployment writes (Certbot's options), which `check` reports as info and
/// exits 0 for, leaves `check --diff` with nothing to fix at 0 too, without a note (held-out
/// batch 372: exit 2 and "fixed only the files that could be read"); an include nobody
/// writes still makes both exit 2.
#[test]
fn diff_exits_as_check_does_for_includes_the_deployment_writes() {
    let dir = support::tempdir("diff-certbot");
    std::fs::write(
        dir.join("site.conf"),
        "server {\n    listen 443 ssl;\n    server_name git.example.com;\n    \
         ssl_certificate /etc/letsencrypt/live/git.example.com/fullchain.pem;\n    \
         ssl_certificate_key /etc/letsencrypt/live/git.example.com/privkey.pem;\n    \
         include /etc/letsencrypt/options-ssl-nginx.conf;\n    \
         location / {\n        return 204;\n    }\n}\n",
    )
    .unwrap();
    let check = ngxlint_in(
        &dir,
        &["check", "--no-config", "--context", "http", "site.conf"],
    );
    let diff = ngxlint_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--context",
            "http",
            "--diff",
            "site.conf",
        ],
    );
    assert_eq!(code(&check), 0, "{}", stdout(&check));
    assert_eq!(code(&diff), 0, "{}", stderr(&diff));
    assert!(
        !stderr(&diff).contains("could be read"),
        "{}",
        stderr(&diff)
    );
    std::fs::write(
        dir.join("site.conf"),
        "server {\n    listen 80;\n    include /nonexistent-ngxlint/x.conf;\n}\n",
    )
    .unwrap();
    for args in [&["--diff"][..], &[][..]] {
        let mut all = vec!["check", "--no-config", "--context", "http", "site.conf"];
        all.extend_from_slice(args);
        let out = ngxlint_in(&dir, &all);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `use kqueue;` where the project's container image runs nginx on Linux is the error nginx
/// gives there (held-out batch 385; measured with nginx 1.22.1: `invalid event type
/// "kqueue"`); with no sign of the platform, a BSD's or macOS's method is left alone.
#[test]
fn an_event_method_linux_lacks_where_a_container_runs_the_file() {
    let dir = support::tempdir("check-kqueue");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join("nginx.conf"), "events { use kqueue; }\nhttp {}\n").unwrap();
    let kqueue = |args: &[&str]| {
        let out = ngxlint_in(&dir, args);
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let found: Vec<serde_json::Value> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "invalid-arguments")
            .cloned()
            .collect();
        (code(&out), found)
    };
    let args = ["check", "--format", "json", "nginx.conf"];
    let (code_alone, alone) = kqueue(&args);
    assert!(alone.is_empty(), "{alone:?}");
    assert_eq!(code_alone, 0);
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM nginx:1.25-alpine\nCOPY nginx.conf /etc/nginx/\n",
    )
    .unwrap();
    let (code_linux, linux) = kqueue(&args);
    assert_eq!(linux.len(), 1, "{linux:?}");
    let message = linux[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("invalid event type \"kqueue\""),
        "{message}"
    );
    assert!(message.contains("`nginx:1.25-alpine`"), "{message}");
    assert_eq!(code_linux, 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A finding quotes a template's line as the file writes it, not the masked copy the rules
/// read (`alias _________________/public$1.php$2` for `alias {{ moodle_base }}/public$1.php$2`,
/// held-out batch 434); of two tags of one length, each quote gets the one it stands for.
#[test]
fn findings_on_a_template_quote_its_tags() {
    let dir = support::tempdir("check-template-quotes");
    let text = "server {\n    listen 80;\n    location {{ prefix_url }}/media {\n        \
                alias {{ media_root }};\n    }\n    location ~ ^/moodle(.*)\\.php(.*)$ {\n        \
                alias {{ moodle_base }}/public$1.php$2;\n    }\n}\n";
    std::fs::write(dir.join("site.conf.j2"), text).unwrap();
    let out = ngxlint_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--context",
            "http",
            "--select",
            "alias-traversal",
            "--format",
            "json",
            "site.conf.j2",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let messages: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "{v}");
    assert!(
        messages[0].contains("`location {{ prefix_url }}/media` with `alias {{ media_root }}`"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains("`alias {{ moodle_base }}/public$1.php$2`"),
        "{}",
        messages[1]
    );
    assert!(messages.iter().all(|m| !m.contains("____")), "{messages:?}");
}

/// `fix` says how many findings are left below the failing severity too, so that its count
/// agrees with what `check` lists (held-out batch 442: "1 finding(s) left" beside three).
#[test]
fn fix_counts_the_findings_left_below_the_failing_severity() {
    let dir = support::tempdir("fix-left-below");
    std::fs::write(
        dir.join("site.conf"),
        "server {\n    listen <port>;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_read_timeout 5s;\n    }\n    ssl on;\n}\n",
    )
    .unwrap();
    let check = ngxlint_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--context",
            "http",
            "--format",
            "json",
            "site.conf",
        ],
    );
    let all = json(&check)["diagnostics"].as_array().unwrap().len();
    let out = ngxlint_in(
        &dir,
        &[
            "fix",
            "--diff",
            "--no-config",
            "--context",
            "http",
            "site.conf",
        ],
    );
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.contains("finding(s) left"))
        .unwrap_or_else(|| panic!("{err}"));
    let left: usize = line
        .split(": ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    let below: usize = line
        .split("; ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    assert!(below > 0, "{line}");
    assert_eq!(left + below, all, "{line}\n{}", stdout(&check));
    assert!(line.ends_with("more below --fail-on warning"), "{line}");
    let _ = std::fs::remove_dir_all(&dir);
}
