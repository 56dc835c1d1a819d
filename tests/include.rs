//! The include graph on multi-file projects (`fixtures/projects/`): resolution, globs, missing
//! files, cycles, shared files and contexts; nginx judges the projects it can load.

use std::path::{Path, PathBuf};
use std::process::Command;

use ngxlint::semantics::include::IncludeErrorKind;
use ngxlint::semantics::{Context, FileId, LoadOptions, Program};
use ngxlint::syntax::Directive;

use crate::support;

fn project(name: &str) -> PathBuf {
    support::repo_root().join("fixtures/projects").join(name)
}

fn load(name: &str) -> Program {
    let main = project(name).join("nginx.conf");
    Program::load(&main, &LoadOptions::default()).expect("main file loads")
}

/// Paths of the loaded files, relative to the project directory, in file-id order.
fn rel_paths(program: &Program, name: &str) -> Vec<String> {
    let dir = project(name);
    program
        .files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(&dir)
                .unwrap_or_else(|_| panic!("{} is outside {}", f.path.display(), dir.display()))
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

fn id_of(program: &Program, name: &str, rel: &str) -> FileId {
    let path = project(name).join(rel);
    program
        .files
        .iter()
        .position(|f| f.path == path)
        .unwrap_or_else(|| panic!("{rel} not loaded")) as FileId
}

/// Every `include` directive of the program, in walk order: (file, line, argument, targets).
fn include_sites(program: &Program) -> Vec<(FileId, u32, String, Vec<FileId>)> {
    let mut out = Vec::new();
    program.walk(|v| {
        let file = program.file(v.file);
        if v.directive.is(&file.src, "include") {
            out.push((
                v.file,
                file.lines().line(v.directive.span().start),
                arg0(v.directive, &file.src),
                program.included(v.file, v.directive).to_vec(),
            ));
        }
    });
    out
}

fn arg0(d: &Directive, src: &[u8]) -> String {
    d.args(src)
        .next()
        .map(|a| String::from_utf8_lossy(&a).into_owned())
        .unwrap_or_default()
}

/// (file, directive name, context) of every directive the walk visits.
fn visits(program: &Program) -> Vec<(FileId, String, Context)> {
    let mut out = Vec::new();
    program.walk(|v| {
        let name = v.directive.name(&program.file(v.file).src);
        out.push((
            v.file,
            String::from_utf8_lossy(&name).into_owned(),
            v.context,
        ));
    });
    out
}

#[test]
fn relative_includes_resolve_against_the_main_files_directory() {
    let p = load("includes");
    assert!(p.include_errors.is_empty(), "{:?}", p.include_errors);
    let files = rel_paths(&p, "includes");
    // `conf.d/9-api.conf` includes `snippets/headers.conf`: nginx joins it to the main file's
    // directory, so the decoy `conf.d/snippets/headers.conf` is never read.
    assert!(
        files.contains(&"snippets/headers.conf".to_owned()),
        "{files:?}"
    );
    assert!(
        !files.iter().any(|f| f.starts_with("conf.d/snippets")),
        "resolved against the including file's directory: {files:?}"
    );
    let api = id_of(&p, "includes", "conf.d/9-api.conf");
    let headers = id_of(&p, "includes", "snippets/headers.conf");
    let site = include_sites(&p)
        .into_iter()
        .find(|s| s.0 == api)
        .expect("9-api.conf has an include");
    assert_eq!(site.2, "snippets/headers.conf");
    assert_eq!(site.3, [headers]);
}

#[test]
fn globs_expand_in_sorted_order_and_may_match_nothing() {
    let p = load("includes");
    assert!(p.include_errors.is_empty(), "{:?}", p.include_errors);
    let sites = include_sites(&p);
    let glob = sites
        .iter()
        .find(|s| s.2 == "conf.d/*.conf")
        .expect("glob include");
    let names: Vec<String> = glob
        .3
        .iter()
        .map(|&f| rel_paths(&p, "includes")[f as usize].clone())
        .collect();
    // Byte order, as glob(3): "10-..." sorts before "9-...".
    assert_eq!(names, ["conf.d/10-upstream.conf", "conf.d/9-api.conf"]);
    let empty = sites
        .iter()
        .find(|s| s.2 == "empty/*.conf")
        .expect("empty glob include");
    assert!(empty.3.is_empty(), "{empty:?}");
    // Breadth-first numbering (crossplane's): the main file, then what it includes, in order.
    assert_eq!(
        rel_paths(&p, "includes"),
        [
            "nginx.conf",
            "conf.d/10-upstream.conf",
            "conf.d/9-api.conf",
            "snippets/proxy.conf",
            "snippets/headers.conf"
        ]
    );
}

#[test]
fn glob_order_is_byte_order_of_the_whole_path() {
    let p = load("glob-order");
    assert!(p.include_errors.is_empty(), "{:?}", p.include_errors);
    // As glob(3): "app.v2/..." < "app/..." because "." < "/" (not component order).
    assert_eq!(
        rel_paths(&p, "glob-order"),
        ["nginx.conf", "app.v2/server.conf", "app/server.conf"]
    );
}

#[test]
fn a_missing_plain_file_is_an_include_not_found_error_at_the_include() {
    let p = load("include-missing");
    assert_eq!(p.files.len(), 1);
    assert_eq!(p.include_errors.len(), 1, "{:?}", p.include_errors);
    let e = &p.include_errors[0];
    assert_eq!(e.rule(), "include-not-found");
    assert_eq!(e.file, 0);
    let main = p.file(0);
    // The span is the include's argument, on line 5.
    assert_eq!(main.lines().line(e.span.start), 5);
    assert_eq!(&main.src[e.span.range()], b"does-not-exist.conf");
    let missing = project("include-missing").join("does-not-exist.conf");
    match &e.kind {
        IncludeErrorKind::NotFound { path, .. } => assert_eq!(path, &missing),
        other => panic!("expected NotFound, got {other:?}"),
    }
    // nginx's own words.
    assert_eq!(
        e.message(&p),
        format!(
            "open() \"{}\" failed (2: No such file or directory)",
            missing.display()
        )
    );
}

#[test]
fn a_two_file_cycle_is_reported_with_its_chain_and_the_walk_ends() {
    let p = load("include-cycle");
    assert_eq!(
        rel_paths(&p, "include-cycle"),
        ["nginx.conf", "a.conf", "b.conf"]
    );
    let (a, b) = (1, 2);
    assert_eq!(p.include_errors.len(), 1, "{:?}", p.include_errors);
    let e = &p.include_errors[0];
    assert_eq!(e.rule(), "include-cycle");
    // Reported at b.conf's `include a.conf;` (line 2), the include that closes the cycle.
    assert_eq!(e.file, b);
    assert_eq!(p.file(b).lines().line(e.span.start), 2);
    assert_eq!(&p.file(b).src[e.span.range()], b"a.conf");
    match &e.kind {
        IncludeErrorKind::Cycle { chain } => assert_eq!(chain, &[a, b, a]),
        other => panic!("expected Cycle, got {other:?}"),
    }
    let dir = project("include-cycle");
    let (pa, pb) = (dir.join("a.conf"), dir.join("b.conf"));
    assert_eq!(
        e.message(&p),
        format!(
            "include cycle: {} -> {} -> {}",
            pa.display(),
            pb.display(),
            pa.display()
        )
    );
    // The edge closing the cycle is cut: the walk terminates and sees every directive once.
    let v = visits(&p);
    let names: Vec<(FileId, &str)> = v.iter().map(|(f, n, _)| (*f, n.as_str())).collect();
    assert_eq!(
        names,
        [
            (0, "http"),
            (0, "include"),
            (a, "include"),
            (b, "default_type"),
            (b, "include")
        ]
    );
    let sites = include_sites(&p);
    assert_eq!(sites.last().map(|s| s.3.len()), Some(0), "{sites:?}");
}

#[test]
fn a_self_include_is_a_cycle_and_the_walk_ends() {
    let p = load("include-self");
    assert_eq!(rel_paths(&p, "include-self"), ["nginx.conf", "self.conf"]);
    assert_eq!(p.include_errors.len(), 1, "{:?}", p.include_errors);
    let e = &p.include_errors[0];
    assert_eq!(e.rule(), "include-cycle");
    assert_eq!(e.file, 1);
    assert_eq!(p.file(1).lines().line(e.span.start), 2);
    match &e.kind {
        IncludeErrorKind::Cycle { chain } => assert_eq!(chain, &[1, 1]),
        other => panic!("expected Cycle, got {other:?}"),
    }
    let v = visits(&p);
    assert_eq!(v.len(), 4, "{v:?}");
    assert_eq!(v.iter().filter(|(_, n, _)| n == "default_type").count(), 1);
}

#[test]
fn a_file_included_twice_is_loaded_once_and_walked_at_both_sites() {
    let p = load("includes");
    let files = rel_paths(&p, "includes");
    assert_eq!(
        files.iter().filter(|f| *f == "snippets/proxy.conf").count(),
        1,
        "{files:?}"
    );
    let proxy = id_of(&p, "includes", "snippets/proxy.conf");
    let sites: Vec<_> = include_sites(&p)
        .into_iter()
        .filter(|s| s.2 == "snippets/proxy.conf")
        .collect();
    assert_eq!(sites.len(), 2);
    assert!(sites.iter().all(|s| s.3 == [proxy]), "{sites:?}");
    // Walked once per site, in the context of each site.
    let at: Vec<(String, Context)> = visits(&p)
        .into_iter()
        .filter(|(f, _, _)| *f == proxy)
        .map(|(_, n, c)| (n, c))
        .collect();
    assert_eq!(
        at,
        [
            ("proxy_set_header".to_owned(), Context::HttpServer),
            ("proxy_read_timeout".to_owned(), Context::HttpServer),
            ("proxy_set_header".to_owned(), Context::HttpLocation),
            ("proxy_read_timeout".to_owned(), Context::HttpLocation),
        ]
    );
}

#[test]
fn included_files_take_the_context_of_the_include_site() {
    let p = load("includes");
    let ctx = p.file_contexts();
    let of = |rel: &str| ctx[id_of(&p, "includes", rel) as usize];
    assert_eq!(ctx[0], Some(Context::Main));
    assert_eq!(of("conf.d/10-upstream.conf"), Some(Context::Http));
    assert_eq!(of("conf.d/9-api.conf"), Some(Context::Http));
    // Included from `server {}` in 9-api.conf.
    assert_eq!(of("snippets/headers.conf"), Some(Context::HttpServer));
    // Included from `server {}` first, then from `location {}`: the first site wins.
    assert_eq!(of("snippets/proxy.conf"), Some(Context::HttpServer));
    // The upstream block in the glob-included file opens an upstream context.
    let up = id_of(&p, "includes", "conf.d/10-upstream.conf");
    let inner: Vec<Context> = visits(&p)
        .into_iter()
        .filter(|(f, n, _)| *f == up && n == "server")
        .map(|(_, _, c)| c)
        .collect();
    assert_eq!(inner, [Context::HttpUpstream]);
}

#[test]
fn single_file_does_not_follow_includes() {
    let main = project("includes").join("nginx.conf");
    let opts = LoadOptions {
        single_file: true,
        ..LoadOptions::default()
    };
    let p = Program::load(&main, &opts).unwrap();
    assert_eq!(p.files.len(), 1);
    assert!(p.include_errors.is_empty());
    assert!(include_sites(&p).iter().all(|s| s.3.is_empty()));
}

/// `nginx -T` on `main`: Ok(the files it read, in order) or Err(stderr).
fn nginx_dump(nginx: &Path, main: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = support::tempdir("include");
    let out = Command::new(nginx)
        .arg("-T")
        .arg("-p")
        .arg(&dir)
        .arg("-c")
        .arg(main)
        .arg("-g")
        .arg(format!(
            "pid {}/nginx.pid; error_log stderr;",
            dir.display()
        ))
        .output()
        .expect("run nginx -T");
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        return Err(stderr);
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("# configuration file ")?.strip_suffix(':'))
        .map(PathBuf::from)
        .collect())
}

/// nginx reads the same files as we do (relative to the main file's directory, globs sorted,
/// the shared file once), and accepts the project.
#[test]
fn nginx_resolves_the_includes_project_the_same_way() {
    let Some(nginx) = support::nginx() else {
        return;
    };
    let main = project("includes").join("nginx.conf");
    let read = nginx_dump(&nginx, &main).unwrap_or_else(|e| panic!("nginx -T failed: {e}"));
    let p = load("includes");
    let mut ours: Vec<PathBuf> = p.files.iter().map(|f| f.path.clone()).collect();
    let mut theirs = read.clone();
    ours.sort();
    theirs.sort();
    assert_eq!(theirs, ours, "nginx read {read:?}");
    // nginx reads depth first; the glob's files come in the same order as ours.
    let pos = |rel: &str| {
        read.iter()
            .position(|f| f == &project("includes").join(rel))
    };
    assert!(pos("conf.d/10-upstream.conf") < pos("conf.d/9-api.conf"));
}

/// nginx reads a glob spanning directories in the same order as we do.
#[test]
fn nginx_orders_a_glob_across_directories_the_same_way() {
    let Some(nginx) = support::nginx() else {
        return;
    };
    let main = project("glob-order").join("nginx.conf");
    let read = nginx_dump(&nginx, &main).unwrap_or_else(|e| panic!("nginx -T failed: {e}"));
    let p = load("glob-order");
    let ours: Vec<PathBuf> = p.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(read, ours);
}

/// nginx reports the missing include with the same message and line.
#[test]
fn nginx_agrees_on_the_missing_include() {
    let Some(nginx) = support::nginx() else {
        return;
    };
    let main = project("include-missing").join("nginx.conf");
    let err = nginx_dump(&nginx, &main).expect_err("nginx must reject a missing include");
    let p = load("include-missing");
    let e = &p.include_errors[0];
    let expected = format!(
        "{} in {}:{}",
        e.message(&p),
        main.display(),
        p.file(0).lines().line(e.span.start)
    );
    assert!(
        err.contains(&expected),
        "nginx said: {err}\nwe expected: {expected}"
    );
}

/// Each node's file and include, served from the model's table of runs, are where its
/// directive really is: the directive lies in that file's tree, the include named that file,
/// and a node reached through no include comes from the main file. The `includes` project
/// returns to a file after an include and includes one file at two sites.
#[test]
fn every_node_knows_its_file_and_include() {
    use ngxlint::semantics::model::{DEFAULT_VERSION, Model};
    use ngxlint::syntax::Element;

    fn holds(items: &[Element], d: &Directive) -> bool {
        items.iter().any(|e| match e {
            Element::Directive(x) => {
                std::ptr::eq(x, d) || x.block().is_some_and(|b| holds(&b.items, d))
            }
            Element::Token(_) => false,
        })
    }
    for name in ["includes", "glob-order", "include-cycle", "include-self"] {
        let p = load(name);
        let model = Model::build(&p, DEFAULT_VERSION);
        let mut via_include = 0;
        for id in 0..model.nodes.len() as u32 {
            let file = model.file_of(id);
            let d = model.node(id).directive;
            assert!(holds(&p.file(file).syntax.items, d), "{name}: node {id}");
            match model.included_via(id) {
                None => assert_eq!(file, 0, "{name}: node {id}"),
                Some(inc) => {
                    via_include += 1;
                    assert_eq!(model.name(inc), "include");
                    let site = model.file_of(inc);
                    assert!(
                        p.included(site, model.node(inc).directive).contains(&file),
                        "{name}: node {id}"
                    );
                }
            }
        }
        assert!(
            via_include > 0,
            "{name}: no node reached through an include"
        );
    }
}

/// `include fastcgi_params;` in a fragment whose conf prefix ngxlint cannot know (no
/// `nginx.conf` above it, no `--conf-prefix`): nginx resolves it against the prefix of the
/// `nginx.conf` that includes the fragment, where every package installs it, so it is not an
/// error; a file no package installs still is, and so is a stock file missing where the prefix
/// is known (given, or a main file's own directory).
#[test]
fn stock_includes_of_a_fragment_resolve_where_nginx_looks() {
    let dir = support::tempdir("stock-includes");
    let frag = dir.join("site.conf");
    std::fs::write(
        &frag,
        "server {\n    listen 127.0.0.1:8080;\n    location ~ \\.php$ {\n        include fastcgi_params;\n        \
         include \"snippets/fastcgi-php.conf\";\n        fastcgi_pass 127.0.0.1:9000;\n    }\n    \
         include snippets/own.conf;\n}\n",
    )
    .unwrap();
    let missing = |args: &[&str]| -> Vec<String> {
        let args: Vec<&dyn AsRef<std::ffi::OsStr>> = args
            .iter()
            .map(|a| a as &dyn AsRef<std::ffi::OsStr>)
            .collect();
        let mut found: Vec<String> = support::check_json("include-not-found", &args)["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| format!("{} | {}", d["message"].as_str().unwrap(), d["help"]))
            .collect();
        found.sort();
        found
    };
    let frag_arg = frag.to_str().unwrap();
    // Prefix unknown: only the file no package installs.
    let unknown = missing(&[frag_arg]);
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert!(unknown[0].contains("snippets/own.conf"), "{unknown:?}");
    // ... and says where nginx would look and how to have ngxlint look there.
    assert!(
        unknown[0].contains("pass `--conf-prefix DIR`"),
        "{unknown:?}"
    );
    // Prefix given: every missing file, the stock ones too.
    let empty = dir.join("prefix");
    std::fs::create_dir_all(&empty).unwrap();
    let given = missing(&["--conf-prefix", empty.to_str().unwrap(), frag_arg]);
    assert_eq!(given.len(), 3, "{given:?}");
    assert!(
        given.iter().any(|m| m.contains("prefix/fastcgi_params")),
        "{given:?}"
    );
    assert!(
        given.iter().all(|m| !m.contains("--conf-prefix")),
        "{given:?}"
    );
    // A main file resolves against its own directory, as `nginx -c` does. One kept in a
    // directory without any of the package's files (a repository's `deploy/nginx.conf`) is
    // installed over the package's, where `mime.types` is: not reported ...
    let main = dir.join("main.conf");
    std::fs::write(&main, "events {}\nhttp {\n    include mime.types;\n}\n").unwrap();
    let in_repository = missing(&[main.to_str().unwrap()]);
    assert!(in_repository.is_empty(), "{in_repository:?}");
    // ... but an installed prefix (it holds the package's other files) that lost it is.
    std::fs::write(dir.join("koi-utf"), "charset_map koi8-r utf-8 {\n}\n").unwrap();
    let of_main = missing(&[main.to_str().unwrap()]);
    assert_eq!(of_main.len(), 1, "{of_main:?}");
    assert!(of_main[0].contains("mime.types"), "{of_main:?}");
    std::fs::remove_file(dir.join("koi-utf")).unwrap();

    // nginx: the fragment's `include fastcgi_params;` opens the file beside the nginx.conf
    // that includes it (its conf prefix), not beside the fragment.
    if let Some(nginx) = support::nginx() {
        std::fs::write(&frag, "server {\n    listen 127.0.0.1:8080;\n    location ~ \\.php$ {\n        include fastcgi_params;\n        fastcgi_pass 127.0.0.1:9000;\n    }\n}\n").unwrap();
        let nginx_t = |conf_dir: &Path| {
            std::fs::create_dir_all(conf_dir).unwrap();
            let conf = conf_dir.join("nginx.conf");
            std::fs::write(
                &conf,
                format!(
                    "events {{}}\nhttp {{\n    include {};\n}}\n",
                    frag.display()
                ),
            )
            .unwrap();
            Command::new(&nginx)
                .arg("-t")
                .arg("-p")
                .arg(conf_dir)
                .arg("-c")
                .arg(&conf)
                .arg("-g")
                .arg(format!(
                    "pid {}/nginx.pid; error_log stderr;",
                    conf_dir.display()
                ))
                .output()
                .expect("run nginx -t")
        };
        let with_params = dir.join("etc-nginx");
        std::fs::create_dir_all(&with_params).unwrap();
        std::fs::write(
            with_params.join("fastcgi_params"),
            "fastcgi_param QUERY_STRING $query_string;\n",
        )
        .unwrap();
        let ok = nginx_t(&with_params);
        assert!(ok.status.success(), "{}", support::stderr(&ok));
        let without = nginx_t(&dir.join("bare"));
        assert!(!without.status.success());
        assert!(
            support::stderr(&without)
                .contains("bare/fastcgi_params\" failed (2: No such file or directory)"),
            "{}",
            support::stderr(&without)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A configuration kept in a repository names the server's files by absolute path; on a CI
/// runner they are in the checkout (`--path-map`, `path_map:`), or, for the stock files of
/// nginx's packages, nowhere.
#[test]
fn absolute_includes_are_read_where_path_map_says() {
    // A directory no machine has: the server's conf prefix, as the configuration names it.
    const SERVER: &str = "/ngxlint-test-server/nginx";
    assert!(!Path::new(SERVER).exists());
    let dir = support::tempdir("path-map");
    let conf_dir = dir.join("deploy/nginx");
    std::fs::create_dir_all(conf_dir.join("snippets")).unwrap();
    std::fs::create_dir_all(conf_dir.join("conf.d")).unwrap();
    std::fs::write(
        conf_dir.join("nginx.conf"),
        format!(
            "events {{}}\nhttp {{\n    include {SERVER}/snippets/files.conf;\n    \
             include {SERVER}/conf.d/*.conf;\n}}\n"
        ),
    )
    .unwrap();
    // A finding with a safe fix in each mapped file.
    let snippet = "server {\n    listen 127.0.0.1:8080;\n    location /files/ {\n        alias /srv/files;\n    }\n}\n";
    std::fs::write(conf_dir.join("snippets/files.conf"), snippet).unwrap();
    std::fs::write(
        conf_dir.join("conf.d/media.conf"),
        snippet.replace("8080", "8081").replace("files", "media"),
    )
    .unwrap();
    let run = |args: &[&str]| {
        Command::new(support::ngxlint_bin())
            .current_dir(&dir)
            .args(args)
            .output()
            .expect("run ngxlint")
    };
    let findings = |out: &std::process::Output| -> Vec<String> {
        let mut v: Vec<String> = support::json(out)["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                format!(
                    "{} {} | {}",
                    d["rule"].as_str().unwrap(),
                    d["file"].as_str().unwrap(),
                    d["help"]
                )
            })
            .collect();
        v.sort();
        v
    };
    let check = ["check", "--format", "json", "deploy/nginx/nginx.conf"];

    // Without a mapping: the plain include is missing (the glob matches nothing, as for
    // nginx), could not fully check, and the help says how to map the directory.
    let out = run(&[&check[..], &["--no-config"]].concat());
    assert_eq!(support::code(&out), 2, "{}", support::stderr(&out));
    let without = findings(&out);
    assert_eq!(without.len(), 1, "{without:?}");
    assert!(without[0].starts_with("include-not-found"), "{without:?}");
    assert!(
        without[0].contains(&format!("--path-map {SERVER}/snippets=DIR")),
        "{without:?}"
    );

    // `--path-map`: both files are read from the checkout and their findings are reported
    // there.
    let map = format!("{SERVER}=deploy/nginx");
    let out = run(&[&check[..], &["--no-config", "--path-map", &map]].concat());
    assert_eq!(support::code(&out), 1, "{}", support::stderr(&out));
    let mapped = findings(&out);
    assert_eq!(mapped.len(), 2, "{mapped:?}");
    assert!(
        mapped[0].starts_with("alias-slash-mismatch deploy/nginx/conf.d/media.conf"),
        "{mapped:?}"
    );
    assert!(
        mapped[1].starts_with("alias-slash-mismatch deploy/nginx/snippets/files.conf"),
        "{mapped:?}"
    );

    // The same from `.ngxlint.yml`, its `to` relative to the file's directory, whatever the
    // working directory.
    std::fs::write(
        dir.join(".ngxlint.yml"),
        format!("path_map:\n  {SERVER}: deploy/nginx\n"),
    )
    .unwrap();
    let out = Command::new(support::ngxlint_bin())
        .current_dir(&conf_dir)
        .args(["check", "--format", "json", "nginx.conf"])
        .output()
        .unwrap();
    assert_eq!(support::code(&out), 1, "{}", support::stderr(&out));
    assert_eq!(findings(&out).len(), 2, "{:?}", findings(&out));

    // A mapping to the wrong place: the help names both paths.
    let out = run(&[
        &check[..],
        &["--no-config", "--path-map", &format!("{SERVER}=elsewhere")],
    ]
    .concat());
    assert_eq!(support::code(&out), 2);
    let wrong = findings(&out);
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(
        wrong[0].contains(&format!(
            "`path_map` reads `{SERVER}/snippets/files.conf` as `elsewhere/snippets/files.conf`"
        )),
        "{wrong:?}"
    );

    // `fix` writes the mapped files in the checkout.
    let out = run(&[
        "fix",
        "--unsafe-fixes",
        "--no-config",
        "--path-map",
        &map,
        "deploy/nginx/nginx.conf",
    ]);
    assert_eq!(support::code(&out), 0, "{}", support::stderr(&out));
    let fixed = std::fs::read_to_string(conf_dir.join("snippets/files.conf")).unwrap();
    assert!(fixed.contains("alias /srv/files/;"), "{fixed}");
    let fixed = std::fs::read_to_string(conf_dir.join("conf.d/media.conf")).unwrap();
    assert!(fixed.contains("alias /srv/media/;"), "{fixed}");

    // A bad FROM is refused before anything is read.
    let out = run(&[
        "check",
        "--no-config",
        "--path-map",
        "etc/nginx=x",
        "deploy/nginx/nginx.conf",
    ]);
    assert_eq!(support::code(&out), 2);
    assert!(
        support::stderr(&out).contains("FROM must be an absolute path"),
        "{}",
        support::stderr(&out)
    );
    std::fs::write(
        dir.join(".ngxlint.yml"),
        "path_map:\n  etc/nginx: deploy/nginx\n",
    )
    .unwrap();
    let out = run(&check);
    assert_eq!(support::code(&out), 2);
    // (miette wraps the message, the next line starting with its `|` gutter)
    let words: Vec<String> = support::stderr(&out)
        .split_whitespace()
        .filter(|w| !matches!(*w, "|" | "│"))
        .map(str::to_owned)
        .collect();
    assert!(
        words
            .join(" ")
            .contains("`etc/nginx` is not an absolute path"),
        "{}",
        support::stderr(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fragment in `sites-available/` with no `nginx.conf` anywhere above (a repository's
/// `templates/` tree, installed as `/etc/nginx`): its relative includes are looked for in the
/// parent of `sites-available/`, where nginx resolves them once installed.
#[test]
fn a_sites_available_fragment_reads_includes_from_the_parent_directory() {
    let dir = support::tempdir("sites-available-prefix");
    let templates = dir.join("templates");
    std::fs::create_dir_all(templates.join("sites-available")).unwrap();
    std::fs::create_dir_all(templates.join("includes")).unwrap();
    std::fs::write(
        templates.join("includes/auth.conf"),
        "proxy_set_header X-Auth $remote_user;\nautoindex on;\n",
    )
    .unwrap();
    let site = templates.join("sites-available/app");
    std::fs::write(
        &site,
        "server {\n    listen 127.0.0.1:8080;\n    location / {\n        include includes/auth.conf;\n        \
         include includes/gone.conf;\n        include fastcgi_params;\n        proxy_pass http://127.0.0.1:9000;\n    }\n}\n",
    )
    .unwrap();
    let found = support::check_json("include-not-found", &[&site]);
    let diagnostics = found["diagnostics"].as_array().expect("diagnostics");
    // Only the file the tree does not have; the stock file is the package's.
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    // Not nginx's error: where nginx will look is a guess, so the include was not read (info).
    assert!(
        message.starts_with("include \"includes/gone.conf\" not read: no \"")
            && message.contains("templates/includes/gone.conf\""),
        "{message}"
    );
    assert_eq!(diagnostics[0]["severity"], "info");
    let help = diagnostics[0]["help"].as_str().unwrap();
    assert!(
        help.contains("the parent of the fragment's directory") && help.contains("--conf-prefix"),
        "{help}"
    );
    // The included file's directives are read: a rule sees them there.
    let seen = support::check_json("autoindex-on", &[&site]);
    let seen = seen["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("templates/includes/auth.conf"),
        "{seen:?}"
    );

    // nginx: the tree installed as a conf prefix, with an `nginx.conf` including the site.
    if let Some(nginx) = support::nginx() {
        std::fs::write(
            &site,
            "server {\n    listen 127.0.0.1:8080;\n    location / {\n        include includes/auth.conf;\n        \
             proxy_pass http://127.0.0.1:9000;\n    }\n}\n",
        )
        .unwrap();
        let conf = templates.join("nginx.conf");
        std::fs::write(
            &conf,
            "events {}\nhttp {\n    include sites-available/*;\n}\n",
        )
        .unwrap();
        let out = Command::new(&nginx)
            .arg("-t")
            .arg("-p")
            .arg(&templates)
            .arg("-c")
            .arg(&conf)
            .arg("-g")
            .arg(format!(
                "pid {}/nginx.pid; error_log stderr;",
                templates.display()
            ))
            .output()
            .expect("run nginx -t");
        assert!(out.status.success(), "{}", support::stderr(&out));
        // With the nginx.conf there, ngxlint finds the prefix the ordinary way too.
        let again = support::check_json("include-not-found", &[&site]);
        assert_eq!(again["diagnostics"].as_array().unwrap().len(), 0, "{again}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A `server`-level fragment named `nginx.conf` (YunoHost's apps keep their site in
/// `conf/nginx.conf`) is not the main file: its directory is no conf prefix, and a relative
/// include missing there was not read (info), where a main `nginx.conf` missing one is an error.
#[test]
fn a_fragment_named_nginx_conf_is_not_the_main_file() {
    let dir = support::tempdir("fragment-named-nginx-conf");
    let conf = dir.join("conf");
    std::fs::create_dir_all(&conf).unwrap();
    let site = conf.join("nginx.conf");
    std::fs::write(
        &site,
        "location /app/ {\n    proxy_pass http://127.0.0.1:9000;\n    include proxy_params_no_auth;\n}\n",
    )
    .unwrap();
    let found = support::check_json("include-not-found", &[&site]);
    let diagnostics = found["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["severity"], "info", "{diagnostics:?}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("include \"proxy_params_no_auth\" not read:"),
        "{message}"
    );
    // The main file of that name: its directory is nginx's prefix, and the file is missing.
    let main = dir.join("main/nginx.conf");
    std::fs::create_dir_all(main.parent().unwrap()).unwrap();
    std::fs::write(
        &main,
        "events {}\nhttp {\n    include proxy_params_no_auth;\n}\n",
    )
    .unwrap();
    let found = support::check_json("include-not-found", &[&main]);
    let diagnostics = found["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["severity"], "error", "{diagnostics:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `include /opt/homebrew/etc/nginx/mime.types;` on a machine without that directory: the
/// package installs the file on the server; any other missing file there is reported.
#[test]
fn stock_files_of_an_absent_package_prefix_are_not_reported() {
    const PREFIX: &str = "/opt/homebrew/etc/nginx";
    if Path::new(PREFIX).exists() {
        eprintln!("{PREFIX} exists on this machine: the case cannot be shown here");
        return;
    }
    let dir = support::tempdir("stock-absolute");
    let main = dir.join("nginx.conf");
    std::fs::write(
        &main,
        format!(
            "events {{}}\nhttp {{\n    include {PREFIX}/mime.types;\n    \
             include {PREFIX}/fastcgi_params;\n    include {PREFIX}/servers/app.conf;\n}}\n"
        ),
    )
    .unwrap();
    let messages: Vec<String> = support::check_json("include-not-found", &[&main])["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        messages,
        [format!(
            "open() \"{PREFIX}/servers/app.conf\" failed (2: No such file or directory)"
        )]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A missing file included in every location of a site is one finding per including file, at
/// its first include, the other includes its labels (the count of the ones not shown on the
/// last); another file including it has its own finding.
#[test]
fn a_missing_file_included_many_times_is_one_finding_per_including_file() {
    let dir = support::tempdir("missing-many");
    std::fs::create_dir_all(dir.join("conf.d")).unwrap();
    let mut site = String::from("server {\n    listen 127.0.0.1:8080;\n");
    for i in 0..12 {
        site.push_str(&format!(
            "    location /l{i} {{ include snippets/proxy.conf; proxy_pass http://127.0.0.1:9000; }}\n"
        ));
    }
    site.push_str("    include snippets/other.conf;\n}\n");
    std::fs::write(dir.join("conf.d/a.conf"), &site).unwrap();
    std::fs::write(
        dir.join("conf.d/b.conf"),
        "server {\n    listen 127.0.0.1:8081;\n    include snippets/proxy.conf;\n}\n",
    )
    .unwrap();
    let main = dir.join("nginx.conf");
    std::fs::write(&main, "events {}\nhttp {\n    include conf.d/*.conf;\n}\n").unwrap();
    let found = support::check_json("include-not-found", &[&main]);
    let diagnostics = found["diagnostics"].as_array().expect("diagnostics");
    let at: Vec<(String, u64, usize)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                d["line"].as_u64().unwrap(),
                d["related"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    // a.conf: proxy.conf once (line 3) with 8 of its 11 other includes as labels; other.conf
    // once; b.conf: proxy.conf once.
    assert_eq!(
        at,
        [
            ("a.conf".to_owned(), 3, 8),
            ("a.conf".to_owned(), 15, 0),
            ("b.conf".to_owned(), 3, 0)
        ],
        "{found}"
    );
    let last = diagnostics[0]["related"]
        .as_array()
        .unwrap()
        .last()
        .unwrap();
    assert_eq!(last["line"], 11, "{last}");
    assert_eq!(
        last["message"], "also included here, and 3 more times",
        "{last}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
