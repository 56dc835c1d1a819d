//! The user's own nginx: `--nginx-version auto`, `nginx_version: auto`, `--nginx-binary` and
//! `--modules auto`, with a fake binary printing canned `-v`/`-V` output and with the real
//! nginx (Debian's nginx-light: ssl, v2, sub... built in; geoip, xslt, stream, mail dynamic and
//! not installed).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::{self, code, stderr, stdout};

/// A directory with `nginx` (a shell script answering `-v`/`-V` like nginx `version` built
/// with `configure`), and `conf` written as `a.conf`.
fn fake(version: &str, configure: &str, conf: &str) -> PathBuf {
    let dir = support::tempdir("fake-nginx");
    std::fs::create_dir_all(&dir).unwrap();
    let script = format!(
        "#!/bin/sh\n\
         echo 'nginx version: nginx/{version}' >&2\n\
         if [ \"$1\" = \"-V\" ]; then\n\
           echo 'built by gcc 12.2.0 (Debian 12.2.0-14)' >&2\n\
           echo 'configure arguments: {configure}' >&2\n\
         fi\n"
    );
    let bin = dir.join("nginx");
    std::fs::write(&bin, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::write(dir.join("a.conf"), conf).unwrap();
    dir
}

fn ngxlint(dir: &Path, args: &[&str], path: Option<&str>) -> Output {
    let mut cmd = Command::new(support::ngxlint_bin());
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    if let Some(p) = path {
        cmd.env("PATH", p);
    }
    cmd.output().expect("run ngxlint")
}

const KEEPALIVE_LOCAL: &str = "events {}\nhttp {\n    upstream app {\n        server 127.0.0.1:9000;\n        keepalive 16 local;\n    }\n}\n";

#[test]
fn version_auto_asks_the_binary() {
    // 1.29.7 takes `keepalive 16 local`; 1.22.1 does not.
    for (version, want) in [("1.29.7", 0), ("1.22.1", 1)] {
        let dir = fake(version, "--with-http_ssl_module", KEEPALIVE_LOCAL);
        let bin = dir.join("nginx");
        let out = ngxlint(
            &dir,
            &[
                "check",
                "--no-config",
                "--format",
                "concise",
                "--nginx-version",
                "auto",
                "--nginx-binary",
                bin.to_str().unwrap(),
                "a.conf",
            ],
            None,
        );
        assert_eq!(
            code(&out),
            want,
            "{version}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        if want == 1 {
            assert!(stdout(&out).contains("invalid number of arguments in \"keepalive\""));
        }
        // The same from PATH, and from `nginx_version: auto` in .ngxlint.yml.
        let path = dir.to_str().unwrap();
        let out = ngxlint(
            &dir,
            &["check", "--no-config", "--nginx-version", "auto", "a.conf"],
            Some(path),
        );
        assert_eq!(code(&out), want, "{version} on PATH: {}", stderr(&out));
        std::fs::write(dir.join(".ngxlint.yml"), "nginx_version: auto\n").unwrap();
        let out = ngxlint(&dir, &["check", "a.conf"], Some(path));
        assert_eq!(code(&out), want, "{version} from config: {}", stderr(&out));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn modules_auto_reports_what_the_build_lacks() {
    let conf = "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            sub_filter a b;\n            uwsgi_pass 127.0.0.1:9000;\n        }\n    }\n}\nstream {\n    server {\n        listen 127.0.0.1:9000;\n        proxy_pass 127.0.0.1:9001;\n    }\n}\n";
    let dir = fake(
        "1.22.1",
        "--prefix=/usr/share/nginx --with-cc-opt='-g -O2' --with-stream=dynamic --without-http_uwsgi_module",
        conf,
    );
    let bin = dir.join("nginx");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--no-config",
            "--format",
            "json",
            "--nginx-binary",
            bin.to_str().unwrap(),
            "a.conf",
        ];
        args.extend_from_slice(extra);
        ngxlint(&dir, &args, None)
    };
    let out = run(&["--modules", "auto"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let found: Vec<(String, u64, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unknown-directive")
        .map(|f| {
            (
                f["message"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["help"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let messages: Vec<(&str, u64)> = found.iter().map(|(m, l, _)| (m.as_str(), *l)).collect();
    // Inside the unknown `stream` block nothing more is reported (nginx stops there).
    assert_eq!(
        messages,
        [
            ("unknown directive \"sub_filter\"", 6),
            ("unknown directive \"uwsgi_pass\"", 7),
            ("unknown directive \"stream\"", 11),
        ],
        "{}",
        stdout(&out)
    );
    assert!(
        found[0].2.contains("--with-http_sub_module"),
        "{}",
        found[0].2
    );
    assert!(
        found[1].2.contains("--without-http_uwsgi_module"),
        "{}",
        found[1].2
    );
    assert!(
        found[2]
            .2
            .contains("load_module modules/ngx_stream_module.so;"),
        "{}",
        found[2].2
    );
    // `load_module` makes the stream directives known; without --modules auto nothing changes.
    std::fs::write(
        dir.join("a.conf"),
        format!("load_module modules/ngx_stream_module.so;\n{conf}"),
    )
    .unwrap();
    let out = run(&["--modules", "auto"]);
    assert!(!stdout(&out).contains("\"stream\""), "{}", stdout(&out));
    assert!(stdout(&out).contains("sub_filter"));
    let out = run(&[]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // --modules auto targets the binary's version (not the default, 1.28.0) unless one is
    // given: 1.22.1 has no `keepalive 16 local`, 1.29.7 has.
    std::fs::write(dir.join("a.conf"), KEEPALIVE_LOCAL).unwrap();
    let out = run(&["--modules", "auto"]);
    assert!(
        stdout(&out).contains("in nginx 1.22.1, `keepalive` takes 1 argument"),
        "{}",
        stdout(&out)
    );
    let out = run(&["--modules", "auto", "--nginx-version", "1.29.7"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_or_strange_binary_is_a_clear_error() {
    let dir = fake("1.28.0", "", KEEPALIVE_LOCAL);
    // Not there.
    let out = ngxlint(
        &dir,
        &[
            "check",
            "--no-config",
            "--nginx-version",
            "auto",
            "--nginx-binary",
            "/nonexistent/nginx",
            "a.conf",
        ],
        None,
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("could not run `/nonexistent/nginx -v`"),
        "{}",
        stderr(&out)
    );
    // Not on PATH.
    let empty = support::tempdir("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let out = ngxlint(
        &dir,
        &["check", "--no-config", "--modules", "auto", "a.conf"],
        Some(empty.to_str().unwrap()),
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no `nginx` found on PATH"),
        "{}",
        stderr(&out)
    );
    // Not nginx.
    let strange = dir.join("strange");
    std::fs::write(&strange, "#!/bin/sh\necho hello\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&strange, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = ngxlint(
        &dir,
        &[
            "check",
            "--no-config",
            "--nginx-version",
            "auto",
            "--nginx-binary",
            strange.to_str().unwrap(),
            "a.conf",
        ],
        None,
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("printed no nginx version"),
        "{}",
        stderr(&out)
    );
    // No binary needed without `auto`.
    let out = ngxlint(
        &dir,
        &[
            "check",
            "--no-config",
            "--nginx-version",
            "1.29.7",
            "a.conf",
        ],
        Some(empty.to_str().unwrap()),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&empty);
}

/// The real nginx: the version it reports, and a dynamic module it does not load, judged by
/// its own `nginx -t` (same message, same line).
#[test]
fn real_nginx_agrees() {
    let Some(nginx) = support::nginx() else {
        return;
    };
    let v = Command::new(&nginx).arg("-v").output().unwrap();
    let want = String::from_utf8_lossy(&v.stderr)
        .trim()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let dir = support::tempdir("real-nginx");
    std::fs::create_dir_all(&dir).unwrap();
    let v_ = Command::new(&nginx).arg("-V").output().unwrap();
    let build = String::from_utf8_lossy(&v_.stderr).into_owned();
    // A module this build has as dynamic and that the configuration does not load
    // (nginx-light: geoip).
    if !build.contains("--with-http_geoip_module=dynamic") {
        assert!(
            !support::in_ci(),
            "CI runs Debian's nginx-light, whose geoip module is dynamic: {build}"
        );
        eprintln!("SKIPPED (not run): this nginx has no dynamic geoip module to test with");
        return;
    }
    let conf = dir.join("nginx.conf");
    std::fs::write(
        &conf,
        "events {}\nhttp {\n    geoip_country /usr/share/GeoIP/GeoIP.dat;\n}\n",
    )
    .unwrap();
    // `check` asking this nginx for its version and modules.
    let check_auto = || {
        ngxlint(
            &dir,
            &[
                "check",
                "--no-config",
                "--format",
                "concise",
                "--nginx-version",
                "auto",
                "--modules",
                "auto",
                "--nginx-binary",
                nginx.to_str().unwrap(),
                "nginx.conf",
            ],
            None,
        )
    };
    let out = check_auto();
    let text = stdout(&out);
    assert_eq!(code(&out), 1, "{text}{}", stderr(&out));
    let (message, line) = support::nginx_first_error(&nginx, &conf, "main").expect("nginx rejects");
    assert_eq!(message, "unknown directive \"geoip_country\"");
    assert!(
        text.contains(&format!(
            "nginx.conf:{line}:5: error[unknown-directive] {message}"
        )),
        "{text}"
    );
    // Loaded, the module's directives are known, and their arguments judged as nginx judges
    // them (nginx opens the database first: Debian's geoip-database, which `.ci/run` installs).
    std::fs::write(
        &conf,
        "load_module modules/ngx_http_geoip_module.so;\nevents {}\nhttp {\n    geoip_country /usr/share/GeoIP/GeoIP.dat UTF-8;\n}\n",
    )
    .unwrap();
    let out = check_auto();
    let text = stdout(&out);
    let (message, line) = support::nginx_first_error(&nginx, &conf, "main").expect("nginx rejects");
    assert_eq!(message, "invalid parameter \"UTF-8\"");
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [format!(
            "nginx.conf:{line}:46: error[invalid-parameter] {message}"
        )],
        "{text}"
    );
    // The version it reports is the target: `inspect`-free check through a version-gated
    // directive (http3 appeared in 1.25.0).
    std::fs::write(&conf, "events {}\nhttp {\n    http3 off;\n}\n").unwrap();
    let out = ngxlint(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "concise",
            "--nginx-version",
            "auto",
            "--nginx-binary",
            nginx.to_str().unwrap(),
            "nginx.conf",
        ],
        None,
    );
    let text = stdout(&out);
    let want = ngxlint::semantics::directives::Version::parse(&want).expect("nginx -v");
    if want < ngxlint::semantics::directives::Version(1, 25, 0) {
        assert!(
            text.contains(&format!("in nginx {want} (it appeared in nginx 1.25.0)")),
            "{text}"
        );
        assert!(support::nginx_first_error(&nginx, &conf, "main").is_some());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every corpus file the real nginx accepted is still accepted by ngxlint when it knows how
/// that nginx was built (`--modules auto`): no directive is called unknown that nginx took.
#[test]
fn corpus_has_no_false_alarms_with_the_real_build() {
    use ngxlint::lint::{Options, lint_source};
    use ngxlint::semantics::context::Context;
    use ngxlint::semantics::directives::Version;
    use ngxlint::semantics::modules::Build;
    let (Some(nginx), Some(dir)) = (support::nginx(), support::corpus()) else {
        return;
    };
    let out = Command::new(&nginx).arg("-V").output().unwrap();
    let build = Build::from_version_output(&String::from_utf8_lossy(&out.stderr))
        .expect("nginx -V has a configure line");
    let testdir = std::env::temp_dir().join("ngxlint-corpus-testdir");
    let (mut checked, mut alarms) = (0, Vec::new());
    // Files nginx rejected with "unknown directive": found without / with the build.
    let (mut rejected, mut found_plain, mut found_build) = (0, 0, 0);
    for e in support::corpus_entries(&dir) {
        if e.nginx_check != "accepted" && e.nginx_check != "unknown-directive" {
            continue;
        }
        let context = match e.context.as_str() {
            "main" | "empty" => Context::Main,
            "http" => Context::Http,
            "server" => Context::HttpServer,
            "location" => Context::HttpLocation,
            "stream" => Context::Stream,
            _ => continue,
        };
        let mut src = std::fs::read(&e.path).unwrap();
        if e.notes.contains("placeholders=") {
            src = support::fill_placeholders(&src, &testdir.to_string_lossy());
        }
        let mut opts = Options {
            version: Version(1, 22, 1),
            context: Some(context),
            prefix: (e.context != "main")
                .then(|| ngxlint::semantics::include::ConfPrefix::Given(testdir.clone())),
            ..Options::default()
        };
        if e.nginx_check == "unknown-directive" {
            rejected += 1;
            let plain = lint_source(&e.path, src.clone(), &opts, &|r| {
                r.id == "unknown-directive"
            });
            found_plain += usize::from(!plain.diagnostics.is_empty());
            opts.settings.nginx_build = Some(build.clone());
            let with = lint_source(&e.path, src, &opts, &|r| r.id == "unknown-directive");
            found_build += usize::from(!with.diagnostics.is_empty());
            continue;
        }
        opts.settings.nginx_build = Some(build.clone());
        let linted = lint_source(&e.path, src, &opts, &|r| r.id == "unknown-directive");
        alarms.extend(
            linted
                .diagnostics
                .iter()
                .map(|d| format!("{}: {}", e.local_path, d.message)),
        );
        checked += 1;
    }
    println!(
        "corpus with the real build: {checked} accepted files, {} false alarms; \
         {rejected} rejected with \"unknown directive\": {found_plain} found without the build, \
         {found_build} with it",
        alarms.len()
    );
    assert!(found_build > found_plain, "the build finds nothing more");
    assert!(checked >= 268, "only {checked}");
    assert!(alarms.is_empty(), "{}", alarms.join("\n"));
}
