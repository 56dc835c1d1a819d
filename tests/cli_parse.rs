//! `ngxlint parse`, run as a process: exit codes, `--format source|tree|crossplane`, and
//! agreement with crossplane 0.5.8 on the project fixtures.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support;

fn projects() -> PathBuf {
    support::repo_root().join("fixtures/projects")
}

/// Run `ngxlint parse ARGS` in `cwd`.
fn parse_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(support::ngxlint_bin())
        .arg("parse")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run ngxlint")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[test]
fn exit_0_when_clean() {
    let out = parse_in(&projects().join("includes"), &["nginx.conf"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out)["status"], "ok");
    for format in ["source", "tree"] {
        let out = parse_in(
            &projects().join("includes"),
            &["--format", format, "nginx.conf"],
        );
        assert_eq!(code(&out), 0, "--format {format}: {}", stderr(&out));
    }
}

#[test]
fn exit_1_on_syntax_errors_in_every_format() {
    let root = support::repo_root();
    let file = "fixtures/syntax/err/extra-brace.conf";
    let src = std::fs::read(root.join(file)).unwrap();
    for format in ["crossplane", "source", "tree"] {
        let out = parse_in(&root, &["--format", format, file]);
        assert_eq!(code(&out), 1, "--format {format}");
        if format == "crossplane" {
            let v = json(&out);
            assert_eq!(v["status"], "failed");
            assert!(
                v["errors"][0]["error"]
                    .as_str()
                    .unwrap()
                    .starts_with("unexpected \"}\""),
                "{v}"
            );
        } else {
            // Errors go to stderr, located; the output itself is still produced.
            assert!(
                stderr(&out).contains("error[syntax-error]: unexpected \"}\""),
                "{}",
                stderr(&out)
            );
        }
        if format == "source" {
            assert!(out.stdout == src, "source output differs from the input");
        }
    }
}

#[test]
fn exit_1_on_include_errors() {
    let out = parse_in(&projects().join("include-missing"), &["nginx.conf"]);
    assert_eq!(code(&out), 1);
    let v = json(&out);
    assert_eq!(v["status"], "failed");
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{v}");
    assert_eq!(errors[0]["file"], "nginx.conf");
    assert_eq!(errors[0]["line"], 5);
    assert_eq!(
        errors[0]["error"],
        "open() \"does-not-exist.conf\" failed (2: No such file or directory) in nginx.conf:5"
    );
    assert_eq!(v["config"][0]["status"], "failed");

    for project in ["include-cycle", "include-self"] {
        let out = parse_in(&projects().join(project), &["nginx.conf"]);
        assert_eq!(code(&out), 1, "{project}");
        let v = json(&out);
        let msg = v["errors"][0]["error"].as_str().unwrap();
        assert!(msg.starts_with("include cycle: "), "{project}: {msg}");
    }
}

#[test]
fn exit_2_when_the_file_cannot_be_read_or_usage_is_wrong() {
    let root = support::repo_root();
    let out = parse_in(&root, &["fixtures/projects/no-such-file.conf"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no-such-file.conf"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());

    let out = parse_in(&root, &["fixtures/projects"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));

    for args in [
        &[][..],
        &["--format", "yaml", "fixtures/projects/includes/nginx.conf"][..],
        &["--no-such-flag", "fixtures/projects/includes/nginx.conf"][..],
    ] {
        let out = parse_in(&root, args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("error:"), "{args:?}");
    }
}

#[test]
fn source_format_reproduces_crlf_latin1_byte_for_byte() {
    let dir = projects().join("encoding");
    let src = std::fs::read(dir.join("crlf-latin1.conf")).unwrap();
    // The fixture is what it claims to be (a checkout that rewrote it would not test anything).
    assert!(std::str::from_utf8(&src).is_err(), "fixture is not Latin-1");
    assert!(src.windows(2).any(|w| w == b"\r\n"), "fixture has no CRLF");
    assert!(
        !src.iter()
            .enumerate()
            .any(|(i, &b)| b == b'\n' && (i == 0 || src[i - 1] != b'\r')),
        "fixture has a bare LF"
    );
    let out = parse_in(&dir, &["--format", "source", "crlf-latin1.conf"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout == src, "--format source is not byte-identical");
}

#[test]
fn tree_format_snapshot() {
    let dir = projects().join("encoding");
    let out = parse_in(&dir, &["--format", "tree", "crlf-latin1.conf"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("tree dump is UTF-8");
    // Structure: the directives nest, CRLF is one newline token, the Latin-1 value stays whole.
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.contains(&"directive \"http\" @58..121"), "{text}");
    assert!(
        lines.contains(&"    directive \"add_header\" @70..106"),
        "{text}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.trim_start().starts_with("newline") && l.ends_with("\"\\r\\n\""))
            .count(),
        8
    );
    assert!(
        lines.iter().any(|l| l.contains("dquoted @91..105")),
        "{text}"
    );
    insta::assert_snapshot!("tree_crlf_latin1", text);
}

/// Every statement of a crossplane `parsed` list, depth first.
fn statements(parsed: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    fn go<'v>(list: &'v Value, out: &mut Vec<&'v Value>) {
        for s in list.as_array().expect("parsed/block is an array") {
            out.push(s);
            if let Some(b) = s.get("block") {
                go(b, out);
            }
        }
    }
    go(parsed, &mut out);
    out
}

fn find<'v>(config: &'v Value, directive: &str) -> Vec<&'v Value> {
    statements(&config["parsed"])
        .into_iter()
        .filter(|s| s["directive"] == directive)
        .collect()
}

#[test]
fn crossplane_format_structure() {
    let dir = projects().join("crossplane");
    let out = parse_in(&dir, &["nginx.conf"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["errors"], Value::Array(vec![]));
    let config = v["config"].as_array().unwrap();
    let files: Vec<&str> = config.iter().map(|c| c["file"].as_str().unwrap()).collect();
    assert_eq!(
        files,
        ["nginx.conf", "conf.d/upstream.conf", "snippets/common.conf"]
    );
    assert!(config.iter().all(|c| c["status"] == "ok"));

    // `includes` are indices into `config`, pointing at the files the include names.
    let includes = find(&config[0], "include");
    assert_eq!(includes.len(), 2);
    for inc in includes {
        let arg = inc["args"][0].as_str().unwrap();
        let targets = inc["includes"].as_array().unwrap();
        assert_eq!(targets.len(), 1, "{inc}");
        let i = targets[0].as_u64().unwrap() as usize;
        let target = config[i]["file"].as_str().unwrap();
        if arg.contains('*') {
            assert_eq!(target, "conf.d/upstream.conf");
        } else {
            assert_eq!(target, arg);
        }
    }
    assert_eq!(find(&config[1], "upstream")[0]["args"][0], "app");

    // `if` args without their parentheses.
    let ifs = find(&config[0], "if");
    assert_eq!(ifs.len(), 1);
    assert_eq!(
        ifs[0]["args"],
        serde_json::json!(["$request_method", "=", "POST"])
    );
    assert_eq!(ifs[0]["line"], 16);

    // A Lua block: its body is one argument, byte for byte, and it has no `block`.
    let lua = find(&config[0], "content_by_lua_block");
    assert_eq!(lua.len(), 1);
    assert!(lua[0].get("block").is_none());
    let body = lua[0]["args"].as_array().unwrap();
    assert_eq!(body.len(), 1);
    assert_eq!(
        body[0],
        "\n                local t = { a = 1 }  -- braces inside Lua\n                ngx.say(\"}\")\n            "
    );

    // No comments unless asked for.
    assert!(config.iter().all(|c| {
        statements(&c["parsed"])
            .iter()
            .all(|s| s["directive"] != "#")
    }));
}

#[test]
fn crossplane_format_comments_only_with_include_comments() {
    let dir = projects().join("crossplane");
    let out = parse_in(&dir, &["--include-comments", "nginx.conf"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    let comments: Vec<(String, u64)> = v["config"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| statements(&c["parsed"]))
        .filter(|s| s["directive"] == "#")
        .map(|s| {
            assert_eq!(s["args"], Value::Array(vec![]));
            (
                s["comment"].as_str().unwrap().to_owned(),
                s["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        comments,
        [
            (
                " A small project for `ngxlint parse --format crossplane` (see tests/cli_parse.rs)."
                    .to_owned(),
                1
            ),
            (" after a directive".to_owned(), 5),
            (" shared headers".to_owned(), 1),
        ]
    );
}

#[test]
fn crossplane_format_snapshot() {
    let dir = projects().join("crossplane");
    let compact = parse_in(&dir, &["nginx.conf"]);
    let indented = parse_in(&dir, &["--indent", "2", "nginx.conf"]);
    assert_eq!(code(&indented), 0);
    // Indentation changes the layout only.
    assert_eq!(json(&compact), json(&indented));
    let text = String::from_utf8(indented.stdout).unwrap();
    insta::assert_snapshot!("crossplane_project", text);
}

/// Python's crossplane 0.5.8 on `project` (run in its directory), serialised as `crossplane
/// parse` does; `None` when python3 or crossplane is not installed (never required, even in
/// CI). Its glob expansion is made sorted, as nginx's (crossplane uses unsorted `glob.glob`).
fn crossplane(project: &Path, comments: bool) -> Option<Vec<u8>> {
    let script = format!(
        "import glob, json, crossplane\n\
         unsorted = glob.glob\n\
         glob.glob = lambda p, **k: sorted(unsorted(p, **k))\n\
         payload = crossplane.parse('nginx.conf', comments={}, check_ctx=False)\n\
         print(json.dumps(payload, separators=(',', ':')))\n",
        if comments { "True" } else { "False" }
    );
    let out = match Command::new("python3")
        .arg("-c")
        .arg(&script)
        .current_dir(project)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            assert!(
                !support::in_ci(),
                "python3 with crossplane 0.5.8 is required in CI ({e})"
            );
            eprintln!("SKIPPED (not run): python3 not available ({e})");
            return None;
        }
    };
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("No module named 'crossplane'") {
            assert!(
                !support::in_ci(),
                "crossplane is required in CI to compare `parse` with it: \
                 python3 -m pip install crossplane==0.5.8"
            );
            eprintln!("SKIPPED (not run): crossplane is not installed (pip install crossplane)");
            return None;
        }
        panic!("crossplane failed on {}: {err}", project.display());
    }
    Some(out.stdout)
}

#[test]
fn crossplane_agrees_on_project_fixtures() {
    let mut compared = 0;
    for project in ["crossplane", "includes", "glob-order"] {
        let dir = projects().join(project);
        for comments in [false, true] {
            let Some(theirs) = crossplane(&dir, comments) else {
                return;
            };
            let mut args = vec!["nginx.conf"];
            if comments {
                args.insert(0, "--include-comments");
            }
            let ours = parse_in(&dir, &args);
            assert_eq!(code(&ours), 0, "{project}: {}", stderr(&ours));
            assert!(
                ours.stdout == theirs,
                "{project} (comments: {comments}):\nours:   {}\ntheirs: {}",
                String::from_utf8_lossy(&ours.stdout),
                String::from_utf8_lossy(&theirs)
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 6);
}

/// The bundled examples (`fixtures/examples/*/nginx.conf`) parse cleanly, and nginx accepts them:
/// they demonstrate problems nginx cannot see.
#[test]
fn bundled_examples_parse_and_pass_nginx_t() {
    let examples = support::repo_root().join("fixtures/examples");
    let mut mains: Vec<PathBuf> = std::fs::read_dir(&examples)
        .expect("fixtures/examples")
        .map(|e| e.unwrap().path().join("nginx.conf"))
        .filter(|p| p.is_file())
        .collect();
    mains.sort();
    assert!(!mains.is_empty(), "no examples");
    let nginx = support::nginx();
    for main in &mains {
        let out = parse_in(main.parent().unwrap(), &["nginx.conf"]);
        assert_eq!(code(&out), 0, "{}: {}", main.display(), stderr(&out));
        if let Some(nginx) = &nginx {
            assert_eq!(
                support::nginx_first_error(nginx, main, "main"),
                None,
                "{}",
                main.display()
            );
        }
    }
}

/// `parse`'s exit codes differ from `check`'s (a syntax error is 1 here, 2 there): its
/// `--help`, the README's table and the binary agree.
#[test]
fn parse_exit_codes_are_documented_where_users_look() {
    let out = parse_in(&support::repo_root(), &["--help"]);
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        help.contains("1 syntax or include errors"),
        "parse --help states its exit codes:\n{help}"
    );
    let readme = std::fs::read_to_string(support::repo_root().join("README.md")).unwrap();
    let row = readme
        .lines()
        .find(|l| l.starts_with("| 1 |"))
        .expect("exit-code table row 1");
    assert!(row.contains("syntax or include errors"), "{row}");
    let out = parse_in(
        &support::repo_root(),
        &["fixtures/syntax/err/extra-brace.conf"],
    );
    assert_eq!(code(&out), 1);
}

/// `parse` finds includes as `check` does: relative ones against `--conf-prefix`, absolute
/// ones of the server's directories where `--path-map` says.
#[test]
fn includes_follow_conf_prefix_and_path_map() {
    const SERVER: &str = "/ngxlint-test-server/nginx";
    assert!(!Path::new(SERVER).exists());
    let dir = support::tempdir("parse-path-map");
    std::fs::create_dir_all(dir.join("deploy/snippets")).unwrap();
    std::fs::create_dir_all(dir.join("sites")).unwrap();
    std::fs::write(
        dir.join("sites/site.conf"),
        format!(
            "server {{\n    include {SERVER}/snippets/ssl.conf;\n    include snippets/app.conf;\n}}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("deploy/snippets/ssl.conf"),
        "ssl_protocols TLSv1.3;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("deploy/snippets/app.conf"),
        "location / { proxy_pass http://app; }\n",
    )
    .unwrap();

    // Without them neither include is found: exit 1, the errors in the JSON.
    let out = parse_in(&dir, &["sites/site.conf"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["status"], "failed");
    assert_eq!(v["errors"].as_array().unwrap().len(), 2, "{v}");

    let map = format!("{SERVER}=deploy");
    let out = parse_in(
        &dir,
        &[
            "--conf-prefix",
            "deploy",
            "--path-map",
            &map,
            "sites/site.conf",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["status"], "ok", "{v}");
    let config = v["config"].as_array().unwrap();
    let files: Vec<&str> = config.iter().map(|c| c["file"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(files[1].ends_with("deploy/snippets/ssl.conf"), "{files:?}");
    assert!(files[2].ends_with("deploy/snippets/app.conf"), "{files:?}");
    assert_eq!(find(&config[1], "ssl_protocols")[0]["args"][0], "TLSv1.3");
    assert_eq!(find(&config[2], "proxy_pass")[0]["args"][0], "http://app");

    // A bad mapping is refused as by `check`.
    let out = parse_in(&dir, &["--path-map", "etc/nginx=x", "sites/site.conf"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("FROM must be an absolute path"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
