//! Where a project's container files put its files in the container: a Compose bind mount
//! (`./nginx/conf.d:/etc/nginx/conf.d:ro`) or a Dockerfile `COPY` (`COPY
//! docker/nginx/proxy_params /etc/nginx/proxy_params`). An `include /etc/nginx/proxy_params;`
//! is then read from the project's copy, not from whatever the machine running ngxlint has
//! there (held-out batch 200: a CI machine's Debian `proxy_params`, which sets `Host`, gave
//! two false `proxy-header-repeated` findings where the image's own copy sets none), and an
//! include the container mounts is no longer missing (held-out batches 192, 202 and 203).
//!
//! Read like the target version ([`super::image`]): from the checked file's directory upwards
//! to the repository's root (a directory with `.git`), not in directories many unrelated
//! things share, not with `--no-config`. Only a path the project has is taken (a mount of a
//! directory git ignores, or of a named volume, is not), only to an absolute path in the
//! container, and not for a path a `--path-map` or `path_map:` already maps.

use std::path::{Path, PathBuf};

use super::image::{Kind, Listings, logical_lines, project_levels, shared_directories};
use crate::semantics::include::PathMapping;

/// A path of the container and the project's file or directory there, with the container
/// file and line that put it there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub mapping: PathMapping,
    pub file: PathBuf,
    pub line: usize,
}

/// The mounts and copies the container files from `dir` (a canonical directory) up to the
/// repository's root name; the nearest first, and for a container path named twice, the
/// nearest's.
pub fn find(dir: &Path, listed: &mut Listings) -> Vec<Mount> {
    find_below(dir, shared_directories(), listed)
}

fn find_below(dir: &Path, shared: &[PathBuf], listed: &mut Listings) -> Vec<Mount> {
    let levels: Vec<&Path> = project_levels(dir, shared).collect();
    let mut out: Vec<Mount> = Vec::new();
    for i in 0..levels.len() {
        // A Dockerfile's build context is its directory or one above it, up to the
        // repository's root (`COPY docker/nginx/proxy_params ...` in `docker/nginx/Dockerfile`,
        // built from the root): its sources are looked for there, nearest first.
        for m in in_directory(levels[i], &levels[i..], listed) {
            if !out.iter().any(|o| o.mapping.from == m.mapping.from) {
                out.push(m);
            }
        }
    }
    out
}

/// The mounts of the Dockerfiles and Compose files of `dir`, in file-name order; a
/// Dockerfile's sources are looked for in `contexts`, a Compose file's beside it.
fn in_directory(dir: &Path, contexts: &[&Path], listed: &mut Listings) -> Vec<Mount> {
    let mut out = Vec::new();
    for (path, kind) in listed.of(dir).iter() {
        let kind = *kind;
        if matches!(kind, Kind::Manifest { .. }) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let (found, bases) = match kind {
            Kind::Dockerfile => (copies(&text), contexts),
            _ => (binds(&text), &[dir][..]),
        };
        for (line, source, target) in found {
            let Some(to) = bases
                .iter()
                .map(|b| normalize(&b.join(&source)))
                .find(|p| p.exists())
            else {
                continue;
            };
            // `COPY a.conf b.conf /etc/nginx/conf.d/` or `COPY a.conf /etc/nginx/conf.d/`: a
            // file lands in the directory under its own name.
            let from = if to.is_file() && target.is_dir_form {
                let Some(name) = to.file_name() else { continue };
                target.path.join(name)
            } else {
                target.path.clone()
            };
            out.push(Mount {
                mapping: PathMapping { from, to },
                file: path.clone(),
                line,
            });
        }
    }
    out
}

/// A path in the container.
struct Target {
    path: PathBuf,
    /// Written as a directory (`/etc/nginx/conf.d/`), or the destination of several sources.
    is_dir_form: bool,
}

/// `..` and `.` taken out of `p` without asking the filesystem (a symbolic link is followed
/// when the file is read, as nginx would).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// An absolute container path with nothing to expand (no `$VAR`, no glob, not `/`).
fn container_path(t: &str) -> Option<PathBuf> {
    let plain = t.starts_with('/')
        && t.len() > 1
        && !t.contains(['$', '*', '?', '[', '{'])
        && !t.contains("..");
    plain.then(|| PathBuf::from(t.trim_end_matches('/')))
}

/// A relative path of the project with nothing to expand (not an absolute host path: that is
/// the machine's, not the project's; not a URL, a variable or a glob).
fn project_path(s: &str) -> Option<PathBuf> {
    let plain = !s.is_empty()
        && !s.starts_with('/')
        && !s.starts_with('~')
        && !s.contains("://")
        && !s.contains(['$', '*', '?', '[', '{']);
    plain.then(|| PathBuf::from(s))
}

/// Directories nginx's images and packages have (`nginx`, `nginxinc/nginx-unprivileged`,
/// Debian's and Alpine's packages), which a `COPY` of a file names without their `/`.
const IMAGE_DIRECTORIES: &[&str] = &[
    "/etc/nginx",
    "/etc/nginx/conf.d",
    "/etc/nginx/templates",
    "/usr/share/nginx/html",
    "/etc/nginx/sites-available",
    "/etc/nginx/sites-enabled",
    "/etc/nginx/snippets",
    "/etc/nginx/http.d",
];

/// The `COPY`/`ADD` instructions of a Dockerfile that copy project files to an absolute path
/// (not `--from` another stage or image): (line, source, target) for each source.
fn copies(text: &str) -> Vec<(usize, PathBuf, Target)> {
    let mut out = Vec::new();
    // `ARG` and `ENV` defaults, which Docker substitutes in a `COPY`'s paths (Kolibri Studio's
    // `COPY ${SRC_DIR}/includes /etc/nginx/includes` with `ARG SRC_DIR=docker/nginx`:
    // held-out batch 467, its includes missing, exit 2).
    let mut vars: Vec<(String, String)> = Vec::new();
    for (line, l) in logical_lines(text) {
        let mut words = l.split_whitespace();
        let Some(instruction) = words.next() else {
            continue;
        };
        if instruction.eq_ignore_ascii_case("arg") || instruction.eq_ignore_ascii_case("env") {
            for w in words {
                if let Some((k, v)) = w.split_once('=') {
                    vars.push((k.to_owned(), v.trim_matches('"').to_owned()));
                }
            }
            continue;
        }
        if !(instruction.eq_ignore_ascii_case("copy") || instruction.eq_ignore_ascii_case("add")) {
            continue;
        }
        let rest: Vec<&str> = words.collect();
        if rest.iter().any(|w| w.starts_with("--from")) {
            continue;
        }
        let args: Vec<String> = rest
            .iter()
            .filter(|w| !w.starts_with("--"))
            .map(|w| (*w).to_owned())
            .collect();
        // The JSON form: `COPY ["a b.conf", "/etc/nginx/conf.d/"]`.
        let args = match args.first() {
            Some(first) if first.starts_with('[') => {
                let joined = args.join(" ");
                match serde_json::from_str::<Vec<String>>(&joined) {
                    Ok(v) => v,
                    Err(_) => continue,
                }
            }
            _ => args,
        };
        // A path whose variable has no value here is left out.
        let args: Vec<String> = args
            .iter()
            .filter_map(|a| {
                if a.contains('$') {
                    super::image::substitute(a, &vars)
                } else {
                    Some(a.clone())
                }
            })
            .collect();
        let Some((dest, sources)) = args.split_last() else {
            continue;
        };
        if sources.is_empty() {
            continue;
        }
        // A tree copied onto `/` or `/etc` (`ADD root /`, an image's whole file system kept in
        // the project: held-out batch 230) lands its `etc/nginx` on `/etc/nginx`: only that
        // directory is mapped (the rest of `/` is not the project's to stand for).
        let (path, is_dir_form, inside) = match dest.trim_end_matches('/') {
            "" => (PathBuf::from("/etc/nginx"), false, Some("etc/nginx")),
            "/etc" => (PathBuf::from("/etc/nginx"), false, Some("nginx")),
            _ => {
                let Some(path) = container_path(dest) else {
                    continue;
                };
                // A directory the image has, named without its `/` (`COPY nginx.conf
                // /etc/nginx`): the file lands in it, as Docker copies onto an existing
                // directory (held-out batch 396: two MLflow images read `/etc/nginx` as the
                // file itself, and `include /etc/nginx/mime.types` was missing, exit 2).
                let into_image_directory = IMAGE_DIRECTORIES.iter().any(|d| path == Path::new(d));
                (
                    path,
                    dest.ends_with('/') || sources.len() > 1 || into_image_directory,
                    None,
                )
            }
        };
        for s in sources {
            if let Some(p) = project_path(s) {
                out.push((
                    line,
                    match inside {
                        Some(i) => p.join(i),
                        None => p,
                    },
                    Target {
                        path: path.clone(),
                        is_dir_form,
                    },
                ));
            }
        }
    }
    out
}

/// The bind mounts of a Compose file's services, read line by line (a file that is no valid
/// YAML, or uses anchors, still says what it mounts): the short form `- ./src:/target[:ro]`
/// and the long form's `source:` and `target:` lines of one item.
fn binds(text: &str) -> Vec<(usize, PathBuf, Target)> {
    let mut out = Vec::new();
    let unquote = |s: &str| with_defaults(s.trim().trim_matches(['"', '\'']));
    // A relative source of the project (not a named volume, not a host path) to an absolute
    // container path.
    let bind = |line: usize, source: &str, target: &str| {
        let relative = source.starts_with("./") || source.starts_with("../") || source == ".";
        let (p, c) = (project_path(source)?, container_path(target)?);
        relative.then_some((
            line,
            p,
            Target {
                path: c,
                is_dir_form: false,
            },
        ))
    };
    // The long form's `source:` waiting for its `target:` (an item's keys, in either order).
    let mut source: Option<(usize, String)> = None;
    let mut target: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or_default().trim();
        let item = line.strip_prefix("- ");
        if item.is_some() {
            source = None;
            target = None;
        }
        let body = item.map_or(line, str::trim_start);
        if let Some(v) = body.strip_prefix("source:") {
            source = Some((i + 1, unquote(v)));
        } else if let Some(v) = body.strip_prefix("target:") {
            target = Some(unquote(v));
        } else if let Some(v) = item {
            let v = unquote(v);
            let mut parts = v.splitn(3, ':');
            if let (Some(s), Some(t)) = (parts.next(), parts.next()) {
                out.extend(bind(i + 1, s, t));
            }
            continue;
        }
        if let (Some((line, s)), Some(t)) = (&source, &target) {
            out.extend(bind(*line, s, t));
            source = None;
            target = None;
        }
    }
    out
}

/// `text` with Compose's `${NAME:-default}` and `${NAME-default}` read as their defaults
/// (`./nginx/nginx-${AUTH-key}.conf`, held-out batch 394: SuperMQ's nginx configuration);
/// any other `${...}` is left as it is (a path with it names no file of the project).
fn with_defaults(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let body = &rest[at + 2..];
        let Some(end) = body.find('}') else {
            out.push_str(&rest[at..]);
            return out;
        };
        let inner = &body[..end];
        let name_end = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let after = &inner[name_end..];
        match after.strip_prefix(":-").or_else(|| after.strip_prefix('-')) {
            Some(default) if name_end > 0 => out.push_str(default),
            _ => out.push_str(&rest[at..at + 2 + end + 1]),
        }
        rest = &body[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The mounts of `found` for paths no explicit mapping (`explicit`: `--path-map`, `path_map:`)
/// covers: what the user said wins over what the container files say.
pub fn not_covered(found: &[Mount], explicit: &[PathMapping]) -> Vec<Mount> {
    found
        .iter()
        .filter(|m| !explicit.iter().any(|e| m.mapping.from.starts_with(&e.from)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "ngxlint-mounts-{}-{}",
            std::process::id(),
            files.len() * 7919 + files.first().map_or(0, |f| f.0.len())
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::canonicalize(&dir).unwrap()
    }

    fn pairs(found: &[Mount], root: &Path) -> Vec<(String, String)> {
        found
            .iter()
            .map(|m| {
                (
                    m.mapping.from.display().to_string(),
                    m.mapping
                        .to
                        .strip_prefix(root)
                        .unwrap()
                        .display()
                        .to_string(),
                )
            })
            .collect()
    }

    /// A tree copied onto `/` (or `/etc`) maps its `etc/nginx` only, where it has one.
    #[test]
    fn a_tree_copied_onto_the_root_maps_its_nginx_directory() {
        let root = tree(&[
            ("Dockerfile", "FROM nginx\nCOPY none /\nADD root /\n"),
            ("root/etc/nginx/proxy.conf", "proxy_set_header X-A 1;\n"),
            ("root/usr/bin/start", "#!/bin/sh\n"),
            ("none/etc/hosts", "\n"),
        ]);
        let got = pairs(
            &find(&root.join("root/etc/nginx"), &mut Listings::default()),
            &root,
        );
        assert_eq!(
            got,
            vec![("/etc/nginx".to_owned(), "root/etc/nginx".to_owned())]
        );
        let root = tree(&[
            ("Dockerfile", "FROM nginx\nCOPY etc/ /etc/\n"),
            ("etc/nginx/nginx.conf", "events {}\n"),
        ]);
        let got = pairs(
            &find(&root.join("etc/nginx"), &mut Listings::default()),
            &root,
        );
        assert_eq!(got, vec![("/etc/nginx".to_owned(), "etc/nginx".to_owned())]);
    }

    /// A `COPY` source named with an `ARG`'s default (Kolibri Studio's `${SRC_DIR}`); one
    /// whose variable has no value is left out.
    #[test]
    fn copies_substitute_build_arguments() {
        let root = tree(&[
            (
                "docker/Dockerfile",
                "FROM nginx\nARG SRC_DIR=docker/nginx\nARG NOPE\n\
                 COPY ${SRC_DIR}/includes /etc/nginx/includes\nCOPY $NOPE/x /etc/nginx/x\n",
            ),
            (
                "docker/nginx/includes/_proxy.conf",
                "proxy_ssl_server_name on;\n",
            ),
        ]);
        let got = pairs(
            &find(
                &root.join("docker/nginx/includes"),
                &mut Listings::default(),
            ),
            &root,
        );
        assert_eq!(
            got,
            vec![(
                "/etc/nginx/includes".to_owned(),
                "docker/nginx/includes".to_owned()
            )]
        );
    }

    #[test]
    fn compose_binds_and_dockerfile_copies_map_container_paths() {
        let root = tree(&[
            (
                "docker-compose.yml",
                "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      \
                 - ./nginx/conf.d:/etc/nginx/conf.d:ro\n      - \"./certs:/etc/certs\"\n      \
                 - data:/var/www\n      - /etc/letsencrypt:/etc/letsencrypt\n    ports:\n      \
                 - \"80:80\"\n  other:\n    volumes:\n      - type: bind\n        \
                 source: ./nginx/snippets\n        target: /etc/nginx/snippets\n",
            ),
            ("nginx/conf.d/default.conf", "server {}\n"),
            ("nginx/snippets/a.conf", "\n"),
            (
                "nginx/Dockerfile",
                "FROM nginx:1.27\nCOPY --chown=nginx:nginx nginx/proxy_params /etc/nginx/\n\
                 COPY [\"nginx/conf.d/default.conf\", \"/etc/nginx/conf.d/site.conf\"]\n\
                 COPY --from=build /app/dist /usr/share/nginx/html\nCOPY missing.conf /etc/nginx/x.conf\n",
            ),
            (
                "nginx/proxy_params",
                "proxy_set_header X-Real-IP $remote_addr;\n",
            ),
        ]);
        let found = find(&root.join("nginx/conf.d"), &mut Listings::default());
        let got = pairs(&found, &root);
        // The Dockerfile in nginx/ is read from nginx/conf.d upwards, its sources looked for
        // from nginx/ up to the root (the build context); then the root's Compose file.
        assert_eq!(
            got,
            vec![
                (
                    "/etc/nginx/proxy_params".to_owned(),
                    "nginx/proxy_params".to_owned()
                ),
                (
                    "/etc/nginx/conf.d/site.conf".to_owned(),
                    "nginx/conf.d/default.conf".to_owned()
                ),
                ("/etc/nginx/conf.d".to_owned(), "nginx/conf.d".to_owned()),
                (
                    "/etc/nginx/snippets".to_owned(),
                    "nginx/snippets".to_owned()
                ),
            ],
            "{found:?}"
        );
        // A named volume, a host path, a port, a missing source and another stage's files
        // are not the project's: none mapped; `./certs` does not exist here.
        assert!(got.iter().all(|(from, _)| from != "/var/www"
            && from != "/etc/letsencrypt"
            && from != "/etc/certs"
            && from != "/etc/nginx/x.conf"));
        assert_eq!(found[0].line, 2);
        // What the user maps wins.
        let explicit = [PathMapping {
            from: PathBuf::from("/etc/nginx/conf.d"),
            to: PathBuf::from("/elsewhere"),
        }];
        let kept = not_covered(&found, &explicit);
        assert_eq!(kept.len(), 2, "{kept:?}");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn compose_defaults_are_read() {
        assert_eq!(
            with_defaults("./nginx/nginx-${AUTH-key}.conf"),
            "./nginx/nginx-key.conf"
        );
        assert_eq!(with_defaults("${DIR:-./conf}/a.conf"), "./conf/a.conf");
        assert_eq!(with_defaults("./${NO_DEFAULT}/a"), "./${NO_DEFAULT}/a");
        assert_eq!(with_defaults("./x-${"), "./x-${");
        let found = binds(
            "services:\n  web:\n    volumes:\n      - ./nginx/nginx-${AUTH:-key}.conf:/etc/nginx/nginx.conf.template\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].2.path,
            PathBuf::from("/etc/nginx/nginx.conf.template")
        );
    }

    #[test]
    fn a_file_copied_onto_an_image_directory_lands_in_it() {
        let found = copies(
            "FROM nginx:1.17.6\nRUN rm /etc/nginx/nginx.conf\nCOPY nginx.conf /etc/nginx\nCOPY site.conf /etc/nginx/mysite.conf\n",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].2.path, PathBuf::from("/etc/nginx"));
        assert!(found[0].2.is_dir_form);
        assert!(!found[1].2.is_dir_form);
    }
}
