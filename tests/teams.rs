//! How teams run it (#12): the workspace layer, baselines, `--exit-zero`, `suppress`,
//! per-file settings, `nginx -T` dumps, `fix` output options, CI integrations.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::{self, code, stderr, stdout};

fn ngxlint(cwd: &Path, args: &[&str]) -> Output {
    ngxlint_stdin(cwd, args, None)
}

fn ngxlint_stdin(cwd: &Path, args: &[&str], input: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(support::ngxlint_bin());
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("NGXLINT_NGINX")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run ngxlint");
    if let Some(bytes) = input {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// A copy of the bundled demo in a fresh directory (no `.ngxlint.yml` above it matters:
/// the tests pass `--no-config` or write their own).
fn demo(tag: &str) -> PathBuf {
    let dir = support::tempdir(tag);
    let src = support::repo_root().join("fixtures/examples/gradio-streaming/nginx.conf");
    std::fs::copy(src, dir.join("nginx.conf")).unwrap();
    dir
}

fn concise_lines(out: &Output) -> Vec<String> {
    stdout(out).lines().map(str::to_owned).collect()
}

#[test]
fn baseline_hides_known_findings_and_survives_line_moves() {
    let dir = demo("baseline");
    let all = ngxlint(
        &dir,
        &["check", "--no-config", "--format", "concise", "nginx.conf"],
    );
    assert_eq!(code(&all), 1);
    let n = concise_lines(&all).len();
    assert!(n >= 5, "{}", stdout(&all));
    // Record them.
    let out = ngxlint(&dir, &["baseline", "--no-config", "nginx.conf"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(".ngxlint-baseline.json")).unwrap())
            .unwrap();
    assert_eq!(b["version"], 1);
    assert_eq!(b["findings"].as_array().unwrap().len(), n);
    assert_eq!(b["findings"][0]["file"], "nginx.conf");
    let args = [
        "check",
        "--no-config",
        "--format",
        "concise",
        "--baseline",
        ".ngxlint-baseline.json",
        "nginx.conf",
    ];
    let out = ngxlint(&dir, &args);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains(&format!("{n} finding(s) recorded")));
    // Lines move (blank lines and a comment above): still known.
    let conf = dir.join("nginx.conf");
    let text = std::fs::read_to_string(&conf).unwrap();
    std::fs::write(&conf, format!("\n# moved\n\n{text}")).unwrap();
    let out = ngxlint(&dir, &args);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // A new finding is reported, and only it.
    let text = std::fs::read_to_string(&conf).unwrap();
    let text = text.replacen(
        "location /ws {",
        "location /new/ {\n            proxy_pass http://127.0.0.1:7860;\n            proxy_set_header Host $host;\n        }\n\n        location /ws {",
        1,
    );
    std::fs::write(&conf, text).unwrap();
    let out = ngxlint(&dir, &args);
    assert_eq!(code(&out), 1);
    let lines = concise_lines(&out);
    assert!(!lines.is_empty() && lines.len() < n, "{lines:?}");
    // --update-baseline records them all again.
    let mut update = args.to_vec();
    update.insert(1, "--update-baseline");
    assert_eq!(code(&ngxlint(&dir, &update)), 0);
    assert_eq!(code(&ngxlint(&dir, &args)), 0);
    // A broken baseline is an error, not "no findings".
    std::fs::write(dir.join(".ngxlint-baseline.json"), "{").unwrap();
    let out = ngxlint(&dir, &args);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("not an ngxlint baseline"));
}

#[test]
fn exit_zero_reports_but_exits_0() {
    let dir = demo("exit-zero");
    let out = ngxlint(&dir, &["check", "--no-config", "--exit-zero", "nginx.conf"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("buffering-on-streaming"));
    // Could not check stays 2.
    std::fs::write(dir.join("broken.conf"), "http {\n").unwrap();
    let out = ngxlint(
        &dir,
        &["check", "--no-config", "--exit-zero", "broken.conf"],
    );
    assert_eq!(code(&out), 2);
}

#[test]
fn suppress_adds_reasoned_comments_that_silence_everything() {
    let dir = demo("suppress");
    let before = std::fs::read_to_string(dir.join("nginx.conf")).unwrap();
    let out = ngxlint(
        &dir,
        &[
            "suppress",
            "--no-config",
            "--select",
            "all",
            "--reason",
            "known; tracked in OPS-1",
            "nginx.conf",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Every rule's findings, main-level ones included (`worker-processes-missing` points at
    // the first directive, `worker-connections-fd-limit` into `events`).
    assert!(
        stderr(&out).contains("nginx.conf: added 5 suppression comment(s)"),
        "{}",
        stderr(&out)
    );
    let after = std::fs::read_to_string(dir.join("nginx.conf")).unwrap();
    // Only whole lines were added, each a reasoned suppression indented like the next line.
    let added: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert_eq!(added.len(), 5, "{added:?}");
    let lines: Vec<&str> = after.lines().collect();
    for a in &added {
        assert!(a.trim_start().starts_with("# ngxlint: ignore "), "{a}");
        assert!(a.ends_with(" -- known; tracked in OPS-1"), "{a}");
        let i = lines.iter().position(|l| l == a).unwrap();
        let indent = |s: &str| s.len() - s.trim_start().len();
        assert_eq!(indent(a), indent(lines[i + 1]), "{a}");
    }
    let without: Vec<&str> = after.lines().filter(|l| !added.contains(l)).collect();
    assert_eq!(without.join("\n"), before.trim_end_matches('\n'));
    // Nothing left, and no unused or reasonless suppression.
    let out = ngxlint(
        &dir,
        &["check", "--no-config", "--select", "all", "nginx.conf"],
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // Running it again changes nothing.
    let out = ngxlint(
        &dir,
        &["suppress", "--no-config", "--reason", "again", "nginx.conf"],
    );
    assert_eq!(code(&out), 0);
    assert_eq!(
        std::fs::read_to_string(dir.join("nginx.conf")).unwrap(),
        after
    );
    // A reason is required.
    let out = ngxlint(&dir, &["suppress", "--no-config", "nginx.conf"]);
    assert_eq!(code(&out), 2);
}

/// `fix` applies the settings of the file each fix is in, as `check` reports by them: an
/// override that ignores a rule for `conf.d/*.conf` keeps its fix out of those files, and the
/// findings left are counted by the same settings.
#[test]
fn fix_applies_each_files_own_settings() {
    let dir = project(
        "fix-per-file",
        "overrides:\n  - files: [\"conf.d/*.conf\"]\n    ignore: [buffering-on-streaming, read-timeout-short]\n",
    );
    let chat_before = std::fs::read_to_string(dir.join("conf.d/chat.conf")).unwrap();
    let out = ngxlint(&dir, &["fix", "--diff", "nginx.conf"]);
    let diff = stdout(&out);
    assert!(diff.contains("+++ b/nginx.conf"), "{diff}");
    assert!(diff.contains("+            proxy_buffering off;"), "{diff}");
    assert!(!diff.contains("chat.conf"), "{diff}");
    let out = ngxlint(&dir, &["fix", "nginx.conf"]);
    let err = stderr(&out);
    assert!(err.contains("applied 1 fix(es) in 1 file(s)"), "{err}");
    assert!(
        std::fs::read_to_string(dir.join("nginx.conf"))
            .unwrap()
            .contains("proxy_buffering off;")
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("conf.d/chat.conf")).unwrap(),
        chat_before
    );
    // Left: nginx.conf's read-timeout-short and gzip-event-stream (no safe fix); chat.conf's
    // read-timeout-short is ignored there, so it is not counted.
    assert!(err.contains("2 finding(s) left"), "{err}");
    // Without the override both files are fixed.
    std::fs::write(dir.join(".ngxlint.yml"), "select: [default]\n").unwrap();
    let out = ngxlint(&dir, &["fix", "--diff", "nginx.conf"]);
    assert!(
        stdout(&out).contains("+++ b/conf.d/chat.conf"),
        "{}",
        stdout(&out)
    );
}

/// A project whose main file includes `conf.d/chat.conf`; both have a streaming location that
/// several rules flag.
fn project(tag: &str, config: &str) -> PathBuf {
    let dir = support::tempdir(tag);
    std::fs::create_dir_all(dir.join("conf.d")).unwrap();
    std::fs::write(
        dir.join("nginx.conf"),
        "events {}\nhttp {\n    gzip on;\n    gzip_types text/event-stream application/x-ndjson;\n    server {\n        \
         listen 127.0.0.1:8080;\n        location /a/api/generate {\n            proxy_pass http://127.0.0.1:11434;\n        \
         }\n    }\n    include conf.d/*.conf;\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("conf.d/chat.conf"),
        "server {\n    listen 127.0.0.1:8081;\n    location /api/chat {\n        proxy_pass http://127.0.0.1:11434;\n    }\n}\n",
    )
    .unwrap();
    std::fs::write(dir.join(".ngxlint.yml"), config).unwrap();
    dir
}

/// (file, severity, rule) of every finding, from `--format json`.
fn found(out: &Output) -> Vec<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), stderr(out)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn overrides_apply_by_the_file_a_finding_is_in() {
    let dir = project(
        "per-file",
        "overrides:\n  - files: [\"conf.d/*.conf\"]\n    ignore: [gzip-event-stream]\n    \
         rules:\n      read-timeout-short:\n        severity: info\n",
    );
    for args in [
        vec!["check", "--format", "json", "nginx.conf"],
        vec!["check", "--format", "json", "."],
    ] {
        let out = ngxlint(&dir, &args);
        let f = found(&out);
        let has = |file: &str, rule: &str| f.iter().any(|(p, _, r)| p.ends_with(file) && r == rule);
        assert!(has("nginx.conf", "gzip-event-stream"), "{args:?}: {f:?}");
        assert!(!has("chat.conf", "gzip-event-stream"), "{args:?}: {f:?}");
        assert!(
            has("chat.conf", "buffering-on-streaming"),
            "{args:?}: {f:?}"
        );
        for (p, sev, r) in &f {
            if r == "read-timeout-short" {
                let want = if p.ends_with("chat.conf") {
                    "info"
                } else {
                    "warning"
                };
                assert_eq!(sev, want, "{args:?}: {p}");
            }
        }
        assert!(has("chat.conf", "read-timeout-short"), "{args:?}: {f:?}");
    }
    // `select` in an override runs a rule the main file's settings do not select.
    let dir = project(
        "per-file-select",
        "select: [buffering-on-streaming]\noverrides:\n  - files: [\"conf.d/*.conf\"]\n    \
         select: [read-timeout-short]\n    fail_on: error\n",
    );
    let out = ngxlint(&dir, &["check", "--format", "json", "nginx.conf"]);
    let mut f = found(&out);
    f.sort();
    let rules: Vec<(&str, &str)> = f
        .iter()
        .map(|(p, _, r)| {
            (
                if p.ends_with("chat.conf") {
                    "chat"
                } else {
                    "main"
                },
                r.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            ("chat", "read-timeout-short"),
            ("main", "buffering-on-streaming")
        ]
    );
    // chat.conf's warning is below its own fail_on (error); the main file's error fails.
    assert_eq!(code(&out), 1);
    let dir2 = project(
        "per-file-fail-on",
        "select: [read-timeout-short]\noverrides:\n  - files: [\"conf.d/*.conf\"]\n    fail_on: error\n  \
         - files: [\"nginx.conf\"]\n    ignore: [read-timeout-short]\n",
    );
    let out = ngxlint(&dir2, &["check", "--format", "json", "nginx.conf"]);
    assert_eq!(found(&out).len(), 1, "{}", stdout(&out));
    assert_eq!(code(&out), 0, "a warning below chat.conf's fail_on: error");
}

/// `.ngxlint.yml`'s JSON Schema: published in the repo, printed by `config --schema`, and it
/// agrees with ngxlint on sample configs (the starter file, one using every key, categories as
/// selectors) and on broken ones.
#[test]
fn config_schema_agrees_with_ngxlint() {
    let published =
        std::fs::read_to_string(support::repo_root().join("schema/ngxlint.schema.json")).unwrap();
    let dir = support::tempdir("schema");
    let out = ngxlint(&dir, &["config", "--schema"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), published);
    let schema: serde_json::Value = serde_json::from_str(&published).unwrap();
    // Every rule id fits the selector and `rules:` key patterns.
    let pattern = schema["definitions"]["selector"]["anyOf"][1]["pattern"]
        .as_str()
        .unwrap();
    assert_eq!(
        pattern,
        schema["definitions"]["rules"]["propertyNames"]["pattern"]
            .as_str()
            .unwrap()
    );
    let every_rule = ngxlint::rules::RULES
        .iter()
        .map(|r| r.id)
        .collect::<Vec<_>>()
        .join(", ");
    let categories = ngxlint::rules::Category::ALL
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let good = [
        ("starter", ngxlint::config::STARTER.to_owned()),
        ("every-rule", format!("select: [{every_rule}]\nignore: [{categories}, default, all]\n")),
        (
            "every-key",
            "nginx_version: \"1.24.0\"\nselect: [default, security]\nignore: [style]\n\
             fail_on: info\nrules:\n  read-timeout-short:\n    min: 10m\n    severity: error\n  \
             gzip-event-stream:\n    severity: info\nstreaming:\n  mode: all\n  locations: [\"/llm/\"]\n  \
             upstreams: [\"inference:9000\"]\nknown_directives: [more_set_headers]\n\
             overrides:\n  - files: [\"legacy/*.conf\"]\n    nginx_version: \"1.18.0\"\n    \
             select: [all]\n    ignore: [read-timeout-short]\n    fail_on: error\n    rules:\n      \
             useless-timeout:\n        severity: warning\n    streaming:\n      mode: none\n    \
             known_directives: [lua_foo]\nexclude: [\"vendor/**\"]\n"
                .to_owned(),
        ),
    ];
    let bad = [
        ("unknown-key", "colour: red\n"),
        ("bad-severity", "fail_on: fatal\n"),
        ("bad-version", "nginx_version: latest\n"),
        ("bad-mode", "streaming:\n  mode: sometimes\n"),
        (
            "min-elsewhere",
            "rules:\n  gzip-event-stream:\n    min: 10s\n",
        ),
        (
            "override-without-files",
            "overrides:\n  - ignore: [style]\n",
        ),
        ("selector-not-a-string", "select: [1]\n"),
    ];
    let mut files = Vec::new();
    for (name, yaml, valid) in good
        .iter()
        .map(|(n, y)| (*n, y.as_str(), true))
        .chain(bad.iter().map(|(n, y)| (*n, *y, false)))
    {
        // ngxlint's own verdict.
        let parsed = ngxlint::config::Config::parse(Path::new(".ngxlint.yml"), yaml);
        assert_eq!(parsed.is_ok(), valid, "{name}: ngxlint says {parsed:?}");
        let value: serde_json::Value = serde_saphyr::from_str(yaml).unwrap();
        let p = dir.join(format!("{name}.json"));
        std::fs::write(&p, value.to_string()).unwrap();
        files.push((name, p, valid));
    }
    let Some(python) = support::python_with("jsonschema") else {
        return;
    };
    let schema_path = support::repo_root().join("schema/ngxlint.schema.json");
    for (name, p, valid) in files {
        let out = Command::new(&python)
            .args([
                "-c",
                "import json, sys, jsonschema\n\
                 s = json.load(open(sys.argv[1]))\n\
                 jsonschema.Draft7Validator.check_schema(s)\n\
                 jsonschema.validate(json.load(open(sys.argv[2])), s)\n",
            ])
            .arg(&schema_path)
            .arg(&p)
            .output()
            .unwrap();
        assert_eq!(
            out.status.success(),
            valid,
            "{name}: the schema says {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `(file, line, rule)` of every finding, sorted.
fn where_found(out: &Output) -> Vec<(String, u64, String)> {
    let v: serde_json::Value = serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), stderr(out)));
    let mut f: Vec<(String, u64, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    f.sort();
    f
}

/// `nginx -T` from the real nginx (several includes, an absolute include outside the conf
/// directory, a glob, a file without a final newline) is linted as one program, from stdin and
/// from a file, with findings at the original paths and lines — the same findings as checking
/// the files themselves, even once the files are gone.
#[test]
fn nginx_dump_is_linted_as_one_program() {
    let Some(nginx) = support::nginx() else {
        return;
    };
    let root = std::fs::canonicalize(support::tempdir("dump")).unwrap();
    let conf = root.join("etc");
    let shared = root.join("shared"); // outside the conf directory: an absolute include
    std::fs::create_dir_all(conf.join("conf.d")).unwrap();
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::write(
        shared.join("proxy.conf"),
        "proxy_set_header X-Request-Id $request_id;\n",
    )
    .unwrap();
    std::fs::write(
        conf.join("nginx.conf"),
        format!(
            "events {{}}\nhttp {{\n    gzip on;\n    gzip_types text/event-stream;\n    include {}/proxy.conf;\n    \
             include conf.d/*.conf;\n    server {{\n        listen 127.0.0.1:8080;\n        \
             include snippets.conf;\n    }}\n}}\n",
            shared.display()
        ),
    )
    .unwrap();
    std::fs::write(
        conf.join("snippets.conf"),
        "location /api/ {\n    proxy_set_header Host $host;\n    proxy_pass http://127.0.0.1:9000;\n}",
    )
    .unwrap();
    std::fs::write(
        conf.join("conf.d/chat.conf"),
        "server {\n    listen 127.0.0.1:8081;\n\n    location /v1/chat/completions {\n        \
         proxy_pass http://127.0.0.1:8000;\n    }\n}\n",
    )
    .unwrap();
    std::fs::write(
        conf.join("conf.d/ws.conf"),
        "server {\n    listen 127.0.0.1:8082;\n    location /ws {\n        proxy_pass http://127.0.0.1:7860;\n    }\n}\n",
    )
    .unwrap();
    let out = Command::new(&nginx)
        .arg("-T")
        .arg("-p")
        .arg(&conf)
        .arg("-c")
        .arg(conf.join("nginx.conf"))
        .arg("-g")
        .arg(format!(
            "pid {}/nginx.pid; error_log stderr;",
            root.display()
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // As `nginx -T 2>&1` shows it: nginx's own lines first.
    let mut dump = out.stderr.clone();
    dump.extend_from_slice(&out.stdout);
    let text = String::from_utf8_lossy(&dump).into_owned();
    assert!(text.contains("syntax is ok"), "{text}");
    assert_eq!(text.matches("# configuration file ").count(), 5, "{text}");

    // The reference: checking the files themselves.
    let direct = ngxlint(
        &root,
        &["check", "--no-config", "--format", "json", "etc/nginx.conf"],
    );
    let expected = where_found(&direct);
    let files: std::collections::BTreeSet<&str> = expected.iter().map(|f| f.0.as_str()).collect();
    assert!(files.len() >= 3, "findings in several files: {expected:?}");
    // The header set in the absolutely included file is dropped in the snippet's location: the
    // absolute include was followed.
    assert!(
        expected.contains(&(
            "etc/snippets.conf".to_owned(),
            2,
            "inherited-headers-dropped".to_owned()
        )),
        "{expected:?}"
    );
    assert!(
        expected.iter().any(|f| f.0 == "etc/conf.d/ws.conf"),
        "the glob: {expected:?}"
    );

    // The dump, from stdin and from a file; then with the files gone.
    let dump_file = root.join("dump.txt");
    std::fs::write(&dump_file, &dump).unwrap();
    let from_stdin = ngxlint_stdin(
        &root,
        &["check", "--no-config", "--format", "json", "-"],
        Some(&dump),
    );
    assert_eq!(
        where_found(&from_stdin),
        expected,
        "{}",
        stderr(&from_stdin)
    );
    assert_eq!(code(&from_stdin), code(&direct));
    let from_file = ngxlint(
        &root,
        &[
            "check",
            "--no-config",
            "--nginx-dump",
            "--format",
            "json",
            "dump.txt",
        ],
    );
    assert_eq!(where_found(&from_file), expected);
    std::fs::remove_dir_all(&conf).unwrap();
    std::fs::remove_dir_all(&shared).unwrap();
    let gone = ngxlint_stdin(
        &root,
        &["check", "--no-config", "--format", "json", "-"],
        Some(&dump),
    );
    assert_eq!(where_found(&gone), expected, "the dump alone is enough");
    assert!(!stdout(&gone).contains("include-not-found"));
    // The dump's files lie outside every config's tree: the config found from where ngxlint
    // runs applies to them.
    let elsewhere = support::tempdir("dump-elsewhere");
    std::fs::write(
        elsewhere.join(".ngxlint.yml"),
        "ignore: [gzip-event-stream]\n",
    )
    .unwrap();
    let there = ngxlint_stdin(&elsewhere, &["check", "--format", "json", "-"], Some(&dump));
    let got: Vec<(String, u64, String)> = where_found(&there);
    let want: Vec<(String, u64, String)> = expected
        .iter()
        .filter(|f| f.2 != "gzip-event-stream")
        .map(|(p, l, r)| (root.join(p).display().to_string(), *l, r.clone()))
        .collect();
    assert!(want.len() < expected.len());
    assert_eq!(got, want);
    // Not a dump, forced: an error, not "no problems".
    std::fs::write(root.join("plain.conf"), "events {}\n").unwrap();
    let out = ngxlint(
        &root,
        &["check", "--no-config", "--nginx-dump", "plain.conf"],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("not an `nginx -T` dump"),
        "{}",
        stderr(&out)
    );
}

/// Each file of a dump comes back byte for byte (nginx adds one line feed after each).
#[test]
fn nginx_dump_round_trips_files() {
    use ngxlint::workspace::dump;
    let text = b"nginx: the configuration file /a/nginx.conf syntax is ok\n\
                 nginx: configuration file /a/nginx.conf test is successful\n\
                 # configuration file /a/nginx.conf:\nevents {}\ninclude b.conf;\n\n\
                 # configuration file /a/b.conf:\nhttp {}\n\
                 # configuration file /a/c d.conf:\r\n\n\n";
    assert!(dump::is_dump(text));
    let files = dump::parse(text).unwrap();
    let got: Vec<(String, &[u8])> = files
        .iter()
        .map(|f| (f.path.display().to_string(), f.src.as_slice()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "/a/nginx.conf".to_owned(),
                &b"events {}\ninclude b.conf;\n"[..]
            ),
            ("/a/b.conf".to_owned(), &b"http {}"[..]),
            ("/a/c d.conf".to_owned(), &b"\n"[..]),
        ]
    );
    assert!(!dump::is_dump(b"events {}\n# configuration file /x:\n"));
    assert!(dump::parse(b"events {}\n").is_none());
}

fn ws_fixable(tag: &str) -> PathBuf {
    let dir = support::tempdir(tag);
    std::fs::copy(
        support::repo_root().join("fixtures/projects/cli/ws-fixable.conf"),
        dir.join("nginx.conf"),
    )
    .unwrap();
    dir
}

/// `fix -` writes the fixed text (or, with `--diff`, the diff) to stdout; `fix` takes
/// `check`'s output options for the findings left; the progress line names the edited files
/// and says which fixes (safe or unsafe) were applied.
#[test]
fn fix_stdin_and_output_options() {
    let dir = ws_fixable("fix-stdin");
    let src = std::fs::read(dir.join("nginx.conf")).unwrap();
    // The finding left (read-timeout-short on a WebSocket of unknown heartbeat) is info.
    let out = ngxlint_stdin(
        &dir,
        &["fix", "--no-config", "--fail-on", "info", "-"],
        Some(&src),
    );
    assert_eq!(
        code(&out),
        1,
        "the unsafe-only finding is left: {}",
        stderr(&out)
    );
    let fixed = stdout(&out);
    assert!(
        fixed.contains("proxy_set_header Upgrade $http_upgrade;"),
        "{fixed}"
    );
    assert!(!fixed.contains("proxy_read_timeout"), "{fixed}");
    // It is exactly what `fix FILE` writes.
    let copy = ws_fixable("fix-stdin-ref");
    assert_eq!(
        code(&ngxlint(
            &copy,
            &["fix", "--no-config", "--fail-on", "info", "nginx.conf"]
        )),
        1
    );
    assert_eq!(
        std::fs::read_to_string(copy.join("nginx.conf")).unwrap(),
        fixed
    );
    // --diff, --unsafe-fixes, --stdin-filename.
    let out = ngxlint_stdin(
        &dir,
        &[
            "fix",
            "--no-config",
            "--diff",
            "--unsafe-fixes",
            "--stdin-filename",
            "site.conf",
            "-",
        ],
        Some(&src),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let diff = stdout(&out);
    assert!(
        diff.starts_with("--- a/site.conf\n+++ b/site.conf\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+            proxy_read_timeout 300s;"),
        "{diff}"
    );
    // Nothing to fix: the input comes back unchanged.
    let clean = b"events {}\n";
    let out = ngxlint_stdin(&dir, &["fix", "--no-config", "-"], Some(clean));
    assert_eq!(code(&out), 0);
    assert_eq!(out.stdout, clean);
    assert_eq!(
        std::fs::read(dir.join("nginx.conf")).unwrap(),
        src,
        "stdin mode wrote a file"
    );

    // check's output options on fix: the findings left, as JSON, to a file.
    let report = dir.join("left.json");
    let out = ngxlint(
        &dir,
        &[
            "fix",
            "--no-config",
            "--format",
            "json",
            "--output",
            report.to_str().unwrap(),
            "--statistics",
            "--color",
            "never",
            "--fail-on",
            "info",
            "nginx.conf",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("nginx.conf: applied 1 fix(es) in 1 file(s) (safe): nginx.conf"),
        "{err}"
    );
    let text = std::fs::read_to_string(&report).unwrap();
    let (json, stats) = text.split_at(text.rfind("}\n").unwrap() + 2);
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["read-timeout-short"]);
    assert!(stats.contains("read-timeout-short (1 fixable)"), "{stats}");
    // --quiet: no progress lines.
    let out = ngxlint(
        &ws_fixable("fix-quiet"),
        &["fix", "--no-config", "--quiet", "nginx.conf"],
    );
    assert_eq!(stderr(&out), "");
    // The check summary counts fixes the way `fix` applies them.
    let out = ngxlint(
        &ws_fixable("fix-summary"),
        &["check", "--no-config", "nginx.conf"],
    );
    assert!(
        stdout(&out).contains("; 1 fixable with `ngxlint fix`, 1 more with `--unsafe-fixes`."),
        "{}",
        stdout(&out)
    );
}

/// Edits in an included file are named as such, not as the root.
#[test]
fn fix_names_the_edited_files() {
    let dir = support::tempdir("fix-included");
    std::fs::create_dir_all(dir.join("conf.d")).unwrap();
    std::fs::write(
        dir.join("nginx.conf"),
        "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        include conf.d/*.conf;\n    }\n}\n",
    )
    .unwrap();
    let ws =
        std::fs::read_to_string(support::repo_root().join("fixtures/projects/cli/ws-fixable.conf"))
            .unwrap();
    let location = &ws[ws.find("        location").unwrap()..ws.find("        }\n").unwrap() + 10];
    std::fs::write(
        dir.join("conf.d/ws.conf"),
        location.replace("\n        ", "\n"),
    )
    .unwrap();
    let out = ngxlint(&dir, &["fix", "--no-config", "nginx.conf"]);
    let err = stderr(&out);
    assert!(
        // The WebSocket fix adds nginx's `$connection_upgrade` map to the http block.
        err.contains("applied 1 fix(es) in 2 file(s) (safe): nginx.conf, conf.d/ws.conf"),
        "{err}"
    );
}

/// `--verify` is strict: with an original nginx -t already rejects, nothing is written (it used
/// to write anyway); an absolute include outside the configuration's directory (the system's
/// mime.types) no longer stops verification.
#[test]
fn fix_verify_is_strict_and_handles_absolute_includes() {
    let Some(nginx) = support::nginx() else {
        return;
    };
    let run = |dir: &Path, args: &[&str]| {
        let mut cmd = Command::new(support::ngxlint_bin());
        cmd.args(args)
            .current_dir(dir)
            .env("NGXLINT_NGINX", &nginx)
            .stdin(Stdio::null());
        cmd.output().unwrap()
    };
    // An absolute include outside the directory.
    let dir = ws_fixable("verify-abs");
    let outside = support::tempdir("verify-abs-outside");
    std::fs::write(outside.join("types.conf"), "types { text/html html; }\n").unwrap();
    let conf = dir.join("nginx.conf");
    let text = std::fs::read_to_string(&conf).unwrap().replacen(
        "http {\n",
        &format!("http {{\n    include {}/types.conf;\n", outside.display()),
        1,
    );
    std::fs::write(&conf, &text).unwrap();
    let out = run(
        &dir,
        &[
            "fix",
            "--no-config",
            "--fail-on",
            "info",
            "--verify",
            "nginx.conf",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nginx -t accepts the fixed configuration"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::read_to_string(&conf)
            .unwrap()
            .contains("proxy_set_header Upgrade")
    );

    // nginx -t rejects the original (a certificate that does not exist): nothing written.
    let dir = ws_fixable("verify-strict");
    let conf = dir.join("nginx.conf");
    let text = std::fs::read_to_string(&conf).unwrap().replacen(
        "listen 127.0.0.1:8080;",
        "listen 127.0.0.1:8443 ssl;\n        ssl_certificate /nonexistent/cert.pem;\n        \
         ssl_certificate_key /nonexistent/key.pem;",
        1,
    );
    std::fs::write(&conf, &text).unwrap();
    let out = run(&dir, &["fix", "--no-config", "--verify", "nginx.conf"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing written"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&conf).unwrap(),
        text,
        "--verify wrote anyway"
    );
}

/// A Debian-style tree: nginx.conf includes conf.d/*.conf and sites-enabled/* (files without
/// an extension there).
fn debian_tree(tag: &str) -> PathBuf {
    let dir = support::tempdir(tag);
    std::fs::create_dir_all(dir.join("conf.d")).unwrap();
    std::fs::create_dir_all(dir.join("sites-enabled")).unwrap();
    std::fs::write(
        dir.join("nginx.conf"),
        "events {}\nhttp {\n    gzip on;\n    gzip_types text/event-stream;\n    include conf.d/*.conf;\n    \
         include sites-enabled/*;\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("conf.d/chat.conf"),
        "server {\n    listen 127.0.0.1:8081;\n    location /v1/chat/completions {\n        \
         proxy_pass http://127.0.0.1:8000;\n    }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("sites-enabled/default"),
        "server {\n    listen 127.0.0.1:8082;\n    location /ws {\n        proxy_pass http://127.0.0.1:7860;\n    }\n}\n",
    )
    .unwrap();
    dir
}

/// Roots given in any order (as pre-commit passes staged files) report each finding once, in
/// the context of the file that includes it; `sites-enabled/` files without an extension are
/// found by the directory walk.
#[test]
fn include_graphs_are_linted_once_whatever_the_order() {
    let dir = debian_tree("graph-once");
    let reference = where_found(&ngxlint(
        &dir,
        &["check", "--no-config", "--format", "json", "nginx.conf"],
    ));
    assert!(
        reference.iter().any(|f| f.0 == "sites-enabled/default"),
        "{reference:?}"
    );
    assert!(
        reference.iter().any(|f| f.0 == "conf.d/chat.conf"),
        "{reference:?}"
    );
    for args in [
        vec!["conf.d/chat.conf", "nginx.conf", "sites-enabled/default"],
        vec!["sites-enabled/default", "conf.d/chat.conf", "nginx.conf"],
        vec!["."],
    ] {
        let mut all = vec!["check", "--no-config", "--format", "json"];
        all.extend(&args);
        let got = where_found(&ngxlint(&dir, &all));
        let got: Vec<_> = got
            .into_iter()
            .map(|(f, l, r)| (f.trim_start_matches("./").to_owned(), l, r))
            .collect();
        assert_eq!(got, reference, "{args:?}");
    }
    // Without a main file, the walk still finds the extensionless site.
    std::fs::remove_file(dir.join("nginx.conf")).unwrap();
    let got = where_found(&ngxlint(
        &dir,
        &["check", "--no-config", "--format", "json", "."],
    ));
    assert!(
        got.iter().any(|f| f.0.ends_with("sites-enabled/default")),
        "{got:?}"
    );
}

/// pre-commit, for real: a temporary git repository using this checkout's hook definitions
/// (`files`, `args`, `types` from .pre-commit-hooks.yaml; the entry points at the built binary
/// instead of building it with `language: rust`, which would compile ngxlint in release mode
/// inside the test). Every finding is reported once although the whole include graph is staged.
#[test]
fn pre_commit_runs_the_hook_once_per_finding() {
    let Some(python) = support::python_with("pre_commit") else {
        return;
    };
    let hooks: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(support::repo_root().join(".pre-commit-hooks.yaml")).unwrap(),
    )
    .unwrap();
    let hook = hooks
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "ngxlint")
        .unwrap();
    let dir = debian_tree("pre-commit");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    let args: Vec<String> = hook["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("\"{}\"", a.as_str().unwrap()))
        .collect();
    let config = format!(
        "repos:\n  - repo: local\n    hooks:\n      - id: ngxlint\n        name: ngxlint\n        \
         entry: {} check --no-config\n        args: [{}]\n        language: system\n        \
         files: '{}'\n        types: [text]\n        pass_filenames: true\n",
        support::ngxlint_bin().display(),
        args.join(", "),
        hook["files"].as_str().unwrap().replace('\'', "''"),
    );
    std::fs::write(dir.join(".pre-commit-config.yaml"), config).unwrap();
    git(&["add", "-A"]);
    let home = support::tempdir("pre-commit-home");
    let out = Command::new(python)
        .args(["-m", "pre_commit", "run", "--all-files", "--verbose"])
        .current_dir(&dir)
        .env("PRE_COMMIT_HOME", &home)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the hook fails on findings:\n{text}"
    );
    let findings: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(".conf:") || l.contains("default:"))
        .filter(|l| l.contains('['))
        .collect();
    let reference = where_found(&ngxlint(
        &dir,
        &["check", "--no-config", "--format", "json", "nginx.conf"],
    ));
    assert_eq!(
        findings.len(),
        reference.len(),
        "each finding once:\n{text}"
    );
    assert!(
        findings
            .iter()
            .any(|l| l.starts_with("sites-enabled/default:")),
        "{text}"
    );
    let mut unique = findings.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), findings.len(), "{text}");
}

/// The README's suppression example works: with its comments nothing is reported, without
/// them the suppressed rules fire (a location that sets its own timeout included).
#[test]
fn readme_suppression_example_works() {
    let readme = std::fs::read_to_string(support::repo_root().join("README.md")).unwrap();
    let section = &readme[readme.find("## Suppressing a finding").unwrap()..];
    let start = section.find("```nginx\n").unwrap() + "```nginx\n".len();
    let block = &section[start..start + section[start..].find("```").unwrap()];
    let wrap = |b: &str| {
        format!(
            "events {{}}\nhttp {{\n    server {{\n        listen 127.0.0.1:8080;\n{}    }}\n}}\n",
            b.lines()
                .map(|l| format!("        {l}\n"))
                .collect::<String>()
        )
    };
    let dir = support::tempdir("readme-suppress");
    std::fs::write(dir.join("with.conf"), wrap(block)).unwrap();
    let without: String = block
        .lines()
        .filter(|l| !l.trim_start().starts_with("# ngxlint:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("without.conf"), wrap(&without)).unwrap();
    let out = ngxlint(
        &dir,
        &["check", "--no-config", "--format", "concise", "with.conf"],
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
    let out = ngxlint(
        &dir,
        &["check", "--no-config", "--format", "json", "without.conf"],
    );
    let rules: std::collections::BTreeSet<String> =
        where_found(&out).into_iter().map(|f| f.2).collect();
    for r in ["read-timeout-short", "buffering-on-streaming"] {
        assert!(
            rules.contains(r),
            "{r} does not fire without the comments: {rules:?}"
        );
    }
}

/// A fragment checked on its own resolves relative includes like nginx does when the main
/// file includes it: against the directory of the nearest `nginx.conf` above it (nginx's
/// prefix), not its own directory; `--verbose` says so, and `--conf-prefix` still decides.
#[test]
fn fragments_resolve_includes_against_the_main_files_directory() {
    let dir = support::tempdir("fragment-prefix");
    for d in ["servers", "locations", "servers/locations"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    std::fs::write(
        dir.join("nginx.conf"),
        "events {}\nhttp {\n    include servers/*.conf;\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("servers/server1.conf"),
        "server {\n    listen 127.0.0.1:8080;\n    include locations/*.conf;\n}\n",
    )
    .unwrap();
    // What nginx includes: locations/ next to nginx.conf (a streaming location).
    std::fs::write(
        dir.join("locations/chat.conf"),
        "location /v1/chat/completions {\n    proxy_pass http://127.0.0.1:8000;\n}\n",
    )
    .unwrap();
    // A decoy nginx never reads.
    std::fs::write(
        dir.join("servers/locations/decoy.conf"),
        "location /decoy { bogus_directive on; }\n",
    )
    .unwrap();
    let through_main = where_found(&ngxlint(
        &dir,
        &["check", "--no-config", "--format", "json", "nginx.conf"],
    ));
    assert!(
        through_main.iter().any(|f| f.0 == "locations/chat.conf"),
        "{through_main:?}"
    );
    let out = ngxlint(
        &dir,
        &[
            "check",
            "--no-config",
            "--verbose",
            "--format",
            "json",
            "servers/server1.conf",
        ],
    );
    let alone = where_found(&out);
    assert_eq!(
        alone, through_main,
        "the fragment alone sees what nginx sees"
    );
    assert!(
        stderr(&out).contains("relative includes resolve against"),
        "{}",
        stderr(&out)
    );
    let out = ngxlint(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--conf-prefix",
            "servers",
            "servers/server1.conf",
        ],
    );
    assert!(
        where_found(&out)
            .iter()
            .any(|f| f.0.ends_with("decoy.conf") && f.2 == "unknown-directive"),
        "--conf-prefix still wins: {}",
        stdout(&out)
    );
}

/// JUnit follows each finding's own `fail_on` (settings by file): a warning in a file whose
/// override says `fail_on: error` is a passing test case, one in the main file a failure.
#[test]
fn junit_failures_follow_settings_by_file() {
    let dir = project(
        "junit-per-file",
        "select: [read-timeout-short]\noverrides:\n  - files: [\"conf.d/*.conf\"]\n    fail_on: error\n",
    );
    let out = ngxlint(&dir, &["check", "--format", "junit", "nginx.conf"]);
    assert_eq!(code(&out), 1, "the main file's warning fails");
    let xml = stdout(&out);
    let case = |file: &str| {
        let at = xml
            .find(&format!("file=\"{file}\""))
            .unwrap_or_else(|| panic!("{xml}"));
        let end = at + xml[at..].find("</testcase>").unwrap();
        xml[at..end].to_owned()
    };
    assert!(case("nginx.conf").contains("<failure "), "{xml}");
    assert!(!case("conf.d/chat.conf").contains("<failure "), "{xml}");
    assert!(case("conf.d/chat.conf").contains("<system-out>"), "{xml}");
    assert!(xml.contains("failures=\"1\""), "{xml}");
}
