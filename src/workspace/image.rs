//! The nginx a project runs, read from its container files: the last `FROM` of a `Dockerfile`
//! (or `Containerfile`), the `image:` of a Compose service and a Kubernetes workload's
//! containers (a Deployment's `image: nginx:1.9.12`), where they name an nginx image
//! with a version tag (`FROM nginx:1.31-alpine`, `image: nginx:1.25.3`). Like ruff taking its
//! target from `requires-python`, this is the target when neither `--nginx-version` nor
//! `nginx_version:` in `.ngxlint.yml` gives one: a template that ships in `nginx:1.31` is judged
//! as nginx 1.31 runs it (HTTP/1.1 to upstreams by default since 1.29.7), not as 1.28 would.
//!
//! Looked for from the checked file's directory upwards, to the repository's root (a directory
//! with `.git`) at most; the nearest directory whose files name one version wins, and one that
//! names two different versions decides nothing (which one runs this file is not known). The
//! walk stops at a directory many unrelated things share (the filesystem's root, the home
//! directory, the temporary directory), which is not read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::semantics::directives::Version;

/// A target found in a container file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageVersion {
    pub version: Version,
    /// The file that names the image, and the line.
    pub file: PathBuf,
    pub line: usize,
    /// The image as written (`nginx:1.31-alpine`).
    pub image: String,
}

/// The last release of each 1.x minor version, from nginx's release tags (`git tag` of
/// github.com/nginx/nginx, up to release-1.31.4): an image tag without a patch
/// (`nginx:1.29`) is that minor's latest release. (minor, last patch)
const LAST_PATCH: &[(u16, u16)] = &[
    (0, 15),
    (1, 19),
    (2, 9),
    (3, 16),
    (4, 7),
    (5, 13),
    (6, 3),
    (7, 12),
    (8, 1),
    (9, 15),
    (10, 3),
    (11, 13),
    (12, 2),
    (13, 12),
    (14, 2),
    (15, 12),
    (16, 1),
    (17, 10),
    (18, 0),
    (19, 10),
    (20, 2),
    (21, 6),
    (22, 1),
    (23, 4),
    (24, 0),
    (25, 5),
    (26, 3),
    (27, 5),
    (28, 3),
    (29, 8),
    (30, 4),
    (31, 4),
];

/// Container files are small; a larger one is not read.
const MAX_SIZE: u64 = 1 << 20;
/// YAML files read per directory for a Kubernetes workload, at most.
const MAX_MANIFESTS: usize = 32;
/// Directories looked at above the checked file, at most.
const MAX_LEVELS: usize = 12;

/// The nginx version the container files nearest to `dir` (a canonical path) run, if they
/// name one.
pub fn find(dir: &Path, listed: &mut Listings) -> Option<ImageVersion> {
    find_below(dir, shared_directories(), listed)
}

/// [`find`], stopping at the directories of `shared`, which are not read.
fn find_below(dir: &Path, shared: &[PathBuf], listed: &mut Listings) -> Option<ImageVersion> {
    for d in project_levels(dir, shared) {
        let found = in_directory(d, listed);
        let mut versions = found.iter().map(|f| f.version);
        if let Some(first) = versions.next() {
            // Two versions side by side: which one runs this file is not known.
            return versions.all(|v| v == first).then(|| found[0].clone());
        }
    }
    None
}

/// `dir` and the directories above it, nearest first, where a project's container files are
/// looked for: up to the repository's root (a directory with `.git`, included), at most
/// [`MAX_LEVELS`], and never a directory of `shared` or above it.
pub(super) fn project_levels<'a>(
    dir: &'a Path,
    shared: &'a [PathBuf],
) -> impl Iterator<Item = &'a Path> + 'a {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let d = next.take()?;
        if shared.iter().any(|s| s == d) {
            return None;
        }
        if !d.join(".git").exists() {
            next = d.parent().filter(|p| !p.as_os_str().is_empty());
        }
        Some(d)
    })
    .take(MAX_LEVELS)
}

/// The directories many unrelated things share, canonical: the filesystem's root, the home
/// directory and the temporary directory. A container file there belongs to no one project (a
/// `compose.yaml` left in `/tmp` names some other project's nginx), and such a directory can
/// hold thousands of entries: listing a `/tmp` of 2,585 cost each check of a file under it
/// about 1 ms, a tenth of a 1 MB run (issue #13). Found once per process: a walk of a tree
/// asks for each of its directories.
pub(super) fn shared_directories() -> &'static [PathBuf] {
    static SHARED: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();
    SHARED.get_or_init(|| {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        [Some(PathBuf::from("/")), home, Some(std::env::temp_dir())]
            .into_iter()
            .flatten()
            .filter_map(|d| std::fs::canonicalize(d).ok())
            .collect()
    })
}

/// The container files of each directory listed in one run ([`container_files`]): the
/// version and the mounts are both looked for in the same directories, and the files of one
/// tree share the directories above them (a check of 801 files listed 3,126 directories,
/// about 400 of them different; issue #13).
#[derive(Default)]
pub struct Listings(HashMap<PathBuf, Rc<[(PathBuf, Kind)]>>);

impl Listings {
    pub(super) fn of(&mut self, dir: &Path) -> Rc<[(PathBuf, Kind)]> {
        if let Some(known) = self.0.get(dir) {
            return Rc::clone(known);
        }
        let files: Rc<[(PathBuf, Kind)]> = container_files(dir).into();
        self.0.insert(dir.to_owned(), Rc::clone(&files));
        files
    }
}

/// The container files of one directory (regular files, not too large), in file-name order.
fn container_files(dir: &Path) -> Vec<(PathBuf, Kind)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(PathBuf, Kind)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name();
            let kind = kind_of(&name.to_str()?.to_ascii_lowercase())?;
            // Only regular files (a FIFO named Dockerfile must not block the run).
            let meta = e.metadata().ok()?;
            (meta.is_file() && meta.len() <= MAX_SIZE).then(|| (e.path(), kind))
        })
        .collect();
    files.sort();
    files
}

/// The versions the container files of one directory name, in file-name order.
fn in_directory(dir: &Path, listed: &mut Listings) -> Vec<ImageVersion> {
    let mut files = listed.of(dir).to_vec();
    // A directory of many YAML files (a chart's, a cluster's) is read only so far.
    let mut manifests = 0;
    files.retain(|(_, kind)| {
        let manifest = matches!(kind, Kind::Manifest { .. });
        manifests += usize::from(manifest);
        !manifest || manifests <= MAX_MANIFESTS
    });
    files
        .into_iter()
        .filter_map(|(path, kind)| {
            let text = std::fs::read_to_string(&path).ok()?;
            if kind == Kind::Dockerfile
                && let Some((line, version, pin)) = pinned_nginx(&text)
            {
                return Some(ImageVersion {
                    version,
                    file: path,
                    line,
                    image: format!("{pin}, the package it installs"),
                });
            }
            let (line, image) = match kind {
                Kind::Dockerfile => final_image(&text)?,
                Kind::Compose => match compose_image(&text) {
                    Some(found) => found,
                    // No service's image names nginx's version: the ones it builds may.
                    None => return built_image(&path, &text),
                },
                Kind::Manifest { compose_named } => match manifest_image(&text) {
                    Some(found) => found,
                    None if compose_named => compose_image(&text)?,
                    None => return None,
                },
            };
            let (version, image) = match kind {
                Kind::Dockerfile => dockerfile_version(&text, image)?,
                _ => (version_of_image(&image)?, image),
            };
            Some(ImageVersion {
                version,
                file: path,
                line,
                image,
            })
        })
        .collect()
}

/// The nginx a Dockerfile (`text`) whose last stage is `image` runs: the image's version, or
/// the distribution's own package it installs ([`distribution_nginx`]), with the image as
/// findings name it.
fn dockerfile_version(text: &str, image: String) -> Option<(Version, String)> {
    match version_of_image(&image) {
        Some(v) => Some((v, image)),
        None => {
            let v = distribution_nginx(text, &image)?;
            Some((v, format!("{image}, its own nginx package")))
        }
    }
}

/// The nginx package of each release of Debian and Ubuntu, which keep one version for a
/// release's life (security fixes as patches of the package, not new nginx releases): from
/// packages.debian.org and packages.ubuntu.com (`nginx` in each suite). A release by its
/// number or its name, as image tags write them (`debian:12`, `debian:bookworm-slim`,
/// `ubuntu:20.04`, `ubuntu:focal`).
const DISTRIBUTION_NGINX: &[(&str, &[&str], Version)] = &[
    ("debian", &["10", "buster"], Version(1, 14, 2)),
    ("debian", &["11", "bullseye"], Version(1, 18, 0)),
    ("debian", &["12", "bookworm"], Version(1, 22, 1)),
    ("debian", &["13", "trixie"], Version(1, 26, 3)),
    ("ubuntu", &["18.04", "bionic"], Version(1, 14, 0)),
    ("ubuntu", &["20.04", "focal"], Version(1, 18, 0)),
    ("ubuntu", &["22.04", "jammy"], Version(1, 18, 0)),
    ("ubuntu", &["24.04", "noble"], Version(1, 24, 0)),
    // Enterprise Linux's AppStream: the default module stream of release 8 (nginx:1.14) and
    // release 9's package, kept for the release's life as Debian's are (held-out batch 446:
    // ESGF's `rockylinux:9` and ColdFront's `rockylinux:8` with `dnf install -y nginx`).
    ("rockylinux", &["8"], Version(1, 14, 1)),
    ("rockylinux", &["9"], Version(1, 20, 1)),
    ("almalinux", &["8"], Version(1, 14, 1)),
    ("almalinux", &["9"], Version(1, 20, 1)),
];

/// The nginx a Dockerfile's last stage installs from its distribution (`FROM ubuntu:focal`
/// then `RUN apt-get install -y nginx`): that release's package ([`DISTRIBUTION_NGINX`]).
/// Not where the file names another source of nginx (nginx.org's packages, a PPA), nor for a
/// release not listed (a rolling or unpinned tag: `debian:latest`, `ubuntu`). Held-out batch
/// 390: AzuraRelay's `FROM ubuntu:focal` runs Ubuntu's 1.18, which refuses the `http2 on;` a
/// fix for nginx 1.25 would write.
fn distribution_nginx(text: &str, image: &str) -> Option<Version> {
    let (name, tag) = name_and_tag(image)?;
    let repo = repository(name);
    // `bookworm-slim`, `12.5`: the release.
    let release = tag?.split(['-', '.']).next()?.to_ascii_lowercase();
    let release = match (repo.as_str(), tag?.split('-').next()) {
        // Ubuntu's releases are numbered by year and month (`20.04`).
        ("ubuntu", Some(t)) => t.to_ascii_lowercase(),
        _ => release,
    };
    let &(_, _, version) = DISTRIBUTION_NGINX
        .iter()
        .find(|(distribution, releases, _)| {
            *distribution == repo && releases.contains(&release.as_str())
        })?;
    let lower = text.to_ascii_lowercase();
    // Another source, or another module stream of Enterprise Linux (`dnf module enable
    // nginx:1.22`).
    if lower.contains("nginx.org") || lower.contains("ppa:") || lower.contains("module enable") {
        return None;
    }
    // The last stage's `RUN` lines.
    let lines = logical_lines(text);
    let stage = lines.iter().rposition(|(_, l)| {
        l.split_whitespace()
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("from"))
    })?;
    let installs = lines[stage + 1..].iter().any(|(_, l)| {
        let words: Vec<&str> = l.split_whitespace().collect();
        words.first().is_some_and(|w| w.eq_ignore_ascii_case("run"))
            && words.windows(2).any(|w| {
                matches!(
                    w,
                    ["apt-get" | "apt" | "dnf" | "yum" | "microdnf", "install"]
                )
            })
            && words.iter().any(|w| {
                matches!(
                    w.trim_end_matches([';', '&']),
                    "nginx" | "nginx-light" | "nginx-full" | "nginx-extras" | "nginx-core"
                )
            })
    });
    installs.then_some(version)
}

/// The nginx a Dockerfile's last stage pins its package to (`apk add nginx=1.18.0-r13`,
/// `apt-get install -y nginx=1.18.0-6ubuntu14`): the version installed, whatever the base
/// image. Held-out batch 468: a Home Assistant add-on built `FROM ${BUILD_FROM}` (an argument
/// the build fills) pinned Alpine's 1.18, which refuses the `http2 on;` a fix for nginx 1.25
/// would write. With the `RUN` line's number and the pin as written.
fn pinned_nginx(text: &str) -> Option<(usize, Version, String)> {
    let lines = logical_lines(text);
    let first_word_is = |l: &str, w: &str| {
        l.split_whitespace()
            .next()
            .is_some_and(|x| x.eq_ignore_ascii_case(w))
    };
    let stage = lines
        .iter()
        .rposition(|(_, l)| first_word_is(l, "from"))
        .map_or(0, |i| i + 1);
    lines[stage..]
        .iter()
        .filter(|(_, l)| first_word_is(l, "run"))
        .find_map(|(n, l)| {
            l.split_whitespace().find_map(|w| {
                let w = w.trim_matches(['"', '\'', ';', '&']);
                let pinned = w.strip_prefix("nginx=")?;
                // `1.18.0-r13`, `1.18.0-6ubuntu14`: the upstream version before the
                // package's revision.
                let upstream = pinned.split(['-', '~', '+']).next()?;
                let version = Version::parse(upstream)?;
                (upstream.matches('.').count() == 2).then(|| (*n, version, w.to_owned()))
            })
        })
}

/// What a container file is, by its name.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    Dockerfile,
    Compose,
    /// Another YAML file: read only if it is a Kubernetes workload ([`manifest_image`]), or,
    /// named for Compose another way ([`names_compose_loosely`]), as a Compose file.
    Manifest {
        compose_named: bool,
    },
}

/// What the file of `lower` (a name in lower case) is, if a container file: each entry of a
/// directory is lowercased once (a directory of thousands of files is read through).
fn kind_of(lower: &str) -> Option<Kind> {
    if names_dockerfile(lower) {
        Some(Kind::Dockerfile)
    } else if names_compose(lower) {
        Some(Kind::Compose)
    } else if names_yaml(lower) {
        Some(Kind::Manifest {
            compose_named: names_compose_loosely(lower),
        })
    } else {
        None
    }
}

#[cfg(test)]
fn is_yaml(name: &str) -> bool {
    names_yaml(&name.to_ascii_lowercase())
}

fn names_yaml(lower: &str) -> bool {
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// The kinds of Kubernetes object whose pods run containers.
const WORKLOADS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
];

/// The one nginx image with a version the containers of a Kubernetes manifest run (a
/// Deployment's `image: nginx:1.9.12`, held-out batch 122, whose configuration is a ConfigMap
/// beside it), with its line. The file is read line by line: a manifest holds several
/// documents (`---`), and a Helm template (`{{ .Values.image }}`) is no YAML until rendered,
/// its image none. Two different versions: none. A YAML file with no workload `kind:` at the
/// start of a line is no manifest (Ansible, CI, Compose examples).
fn manifest_image(text: &str) -> Option<(usize, String)> {
    let workload = text.lines().any(|l| {
        l.strip_prefix("kind:")
            .map(|k| k.trim().trim_matches(['"', '\'']))
            .is_some_and(|k| WORKLOADS.contains(&k))
    });
    if !workload {
        return None;
    }
    let images = text.lines().enumerate().filter_map(|(i, line)| {
        let t = line.trim_start();
        let t = t.strip_prefix("- ").map_or(t, str::trim_start);
        let value = t.strip_prefix("image:")?;
        let value = value.split(" #").next().unwrap_or_default().trim();
        let image = value.trim_matches(['"', '\'']);
        (!image.is_empty() && !image.contains("{{")).then(|| (image.to_owned(), i + 1))
    });
    let (image, line) = one_version(images)?;
    Some((line, image))
}

/// The first of `images` that names an nginx version, with what came with it, when all that
/// name one name the same version: two different versions decide nothing (which one runs the
/// configuration is not known).
fn one_version<T>(images: impl IntoIterator<Item = (String, T)>) -> Option<(String, T)> {
    let mut found: Option<(Version, (String, T))> = None;
    for (image, with) in images {
        let Some(v) = version_of_image(&image) else {
            continue;
        };
        match &found {
            Some((seen, _)) if *seen != v => return None,
            Some(_) => {}
            None => found = Some((v, (image, with))),
        }
    }
    found.map(|(_, first)| first)
}

#[cfg(test)]
fn is_dockerfile(name: &str) -> bool {
    names_dockerfile(&name.to_ascii_lowercase())
}

/// `Dockerfile`, `Containerfile` and their variants (`Dockerfile.prod`, `web.dockerfile`);
/// `lower` is the name in lower case.
fn names_dockerfile(lower: &str) -> bool {
    // `Dockerfile.md` and the like document a Dockerfile; they build nothing.
    if [".md", ".txt", ".rst", ".adoc", ".orig", ".bak"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        return false;
    }
    ["dockerfile", "containerfile"].iter().any(|base| {
        lower
            .strip_prefix(base)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    }) || lower.ends_with(".dockerfile")
}

#[cfg(test)]
fn is_compose(name: &str) -> bool {
    names_compose(&name.to_ascii_lowercase())
}

/// `compose.yaml`, `docker-compose.yml`, and their variants for an environment
/// (`docker-compose.prod.yml`, `docker-compose-prod.yml`, `compose.override.yaml`); not
/// examples or copies. `lower` is
/// the name in lower case.
fn names_compose(lower: &str) -> bool {
    let Some(stem) = lower
        .strip_suffix(".yml")
        .or_else(|| lower.strip_suffix(".yaml"))
    else {
        return false;
    };
    let Some(rest) = stem
        .strip_prefix("docker-compose")
        .or_else(|| stem.strip_prefix("compose"))
    else {
        return false;
    };
    // `docker-compose.prod.yml`, or `docker-compose-prod.yml` (held-out batch 427: a Go API's
    // production Compose file pinning `nginx:1.15-alpine`, not read).
    rest.is_empty()
        || rest
            .strip_prefix('.')
            .or_else(|| rest.strip_prefix('-'))
            .is_some_and(|variant| {
                !variant.is_empty()
                    && !NOT_DEPLOYED
                        .iter()
                        .any(|w| variant.split('.').any(|part| part == *w))
            })
}

/// Words of a file name that mark an example or a copy, not a file a deployment reads.
const NOT_DEPLOYED: &[&str] = &[
    "example", "sample", "dist", "template", "tmpl", "bak", "orig", "old",
];

/// A YAML file named for Compose in another way (`guacamole_docker_compose.mustache.yaml`, a
/// template a deployment renders: held-out batch 452, pinning `nginx:1.21.6`), not an example
/// or a copy; read as a Compose file when it is no Kubernetes workload.
fn names_compose_loosely(lower: &str) -> bool {
    let words = || lower.split(['.', '_', '-']);
    words().any(|w| w == "compose") && !words().any(|w| NOT_DEPLOYED.contains(&w))
}

/// The image of a Dockerfile's last stage (through `FROM stage` aliases), with its line: what
/// the built image runs. `ARG` defaults are substituted (`FROM nginx:${NGINX_VERSION}`).
fn final_image(text: &str) -> Option<(usize, String)> {
    let mut args: Vec<(String, String)> = Vec::new();
    let mut stages: Vec<(Option<String>, String)> = Vec::new();
    let mut last: Option<(usize, String)> = None;
    for (i, line) in logical_lines(text) {
        let mut words = line.split_whitespace();
        let Some(instruction) = words.next() else {
            continue;
        };
        if instruction.eq_ignore_ascii_case("arg") {
            for a in words {
                if let Some((k, v)) = a.split_once('=') {
                    args.push((k.to_owned(), v.trim_matches('"').to_owned()));
                }
            }
        } else if instruction.eq_ignore_ascii_case("from") {
            let rest: Vec<&str> = words.filter(|w| !w.starts_with("--")).collect();
            let image = substitute(rest.first()?, &args)?;
            let alias = match rest.as_slice() {
                [_, as_, name] if as_.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
                _ => None,
            };
            // `FROM build` names an earlier stage: its image.
            let resolved = stages
                .iter()
                .rev()
                .find(|(a, _)| a.as_deref() == Some(image.to_ascii_lowercase().as_str()))
                .map_or(image, |(_, img)| img.clone());
            stages.push((alias, resolved.clone()));
            last = Some((i, resolved));
        }
    }
    last
}

/// A Dockerfile's lines with `\` continuations joined and comments dropped, each with the
/// 1-based number of its first line.
pub(super) fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if current.is_none() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        let (continued, body) = match trimmed.strip_suffix('\\') {
            Some(b) => (true, b),
            None => (false, trimmed),
        };
        let entry = current.get_or_insert_with(|| (i + 1, String::new()));
        entry.1.push_str(body);
        entry.1.push(' ');
        if !continued {
            out.extend(current.take());
        }
    }
    out.extend(current);
    out
}

/// `$NAME`, `${NAME}` and `${NAME:-default}` replaced by an `ARG` default (or the default
/// written in place); `None` when a variable has no value here.
pub(super) fn substitute(word: &str, args: &[(String, String)]) -> Option<String> {
    let mut out = String::new();
    let mut rest = word;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, fallback, len) = if let Some(inner) = after.strip_prefix('{') {
            let end = inner.find('}')?;
            let body = &inner[..end];
            let (name, fallback) = match body.split_once(":-") {
                Some((n, d)) => (n, Some(d)),
                None => (body, None),
            };
            (name, fallback, end + 2)
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], None, end)
        };
        let value = args
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .or(fallback)?;
        out.push_str(value);
        rest = &after[len..];
    }
    out.push_str(rest);
    Some(out)
}

#[derive(serde::Deserialize, Default)]
struct ComposeFile {
    #[serde(default)]
    services: std::collections::BTreeMap<String, ComposeService>,
}

#[derive(serde::Deserialize, Default)]
struct ComposeService {
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    build: Option<ComposeBuild>,
}

/// A service's `build:`: its context directory, or the context and the Dockerfile in it.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ComposeBuild {
    Context(String),
    Full {
        #[serde(default)]
        context: Option<String>,
        #[serde(default)]
        dockerfile: Option<String>,
    },
}

/// A Compose file's services, read with a bound on anchors replayed.
fn parse_compose(text: &str) -> Option<ComposeFile> {
    // A Compose file repeats an anchor a few times (`<<: *defaults`); a file that replays tens
    // of thousands of events through aliases is no Compose file this needs to read.
    let options = serde_saphyr::options! {
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 50_000,
        },
    };
    serde_saphyr::from_str_with_options(text, options).ok()
}

/// The nginx the services of the Compose file at `compose` (its text) build: each `build:`'s
/// Dockerfile (`Dockerfile` in the context directory unless `dockerfile:` names another)
/// read as one in the directory is ([`final_image`], or its distribution's package). Held-out
/// batch 406: MeteorN's `build: {context: ., dockerfile: dockerfiles/nginx.dockerfile}`
/// builds `FROM nginx:1.11`, where `ssl on;` is no error. One version, or none.
fn built_image(compose: &Path, text: &str) -> Option<ImageVersion> {
    let base = compose.parent()?;
    let found: Vec<ImageVersion> = parse_compose(text)?
        .services
        .values()
        .filter_map(|service| {
            let (context, dockerfile) = match service.build.as_ref()? {
                ComposeBuild::Context(context) => (context.as_str(), None),
                ComposeBuild::Full {
                    context,
                    dockerfile,
                } => (context.as_deref().unwrap_or("."), dockerfile.as_deref()),
            };
            let path = base.join(context).join(dockerfile.unwrap_or("Dockerfile"));
            // Only a regular file, and a small one: a FIFO named `Dockerfile` would block the
            // read (issue #13: no input may hang a check).
            let meta = std::fs::metadata(&path).ok()?;
            if !meta.is_file() || meta.len() > MAX_SIZE {
                return None;
            }
            let text = std::fs::read_to_string(&path).ok()?;
            let (line, image) = final_image(&text)?;
            let (version, image) = dockerfile_version(&text, image)?;
            Some(ImageVersion {
                version,
                file: path,
                line,
                image,
            })
        })
        .collect();
    let first = found.first()?;
    found
        .iter()
        .all(|f| f.version == first.version)
        .then(|| first.clone())
}

/// The one nginx image with a version the services of a Compose file run, with its line
/// (Compose's `${VAR:-default}` read as its default). Two different versions: none.
fn compose_image(text: &str) -> Option<(usize, String)> {
    let file = parse_compose(text)?;
    let (image, ()) = one_version(
        file.services
            .values()
            .filter_map(|service| substitute(service.image.as_deref()?, &[]))
            .map(|image| (image, ())),
    )?;
    let line = text
        .lines()
        .position(|l| l.contains("image:") && l.contains(image.split(':').next().unwrap_or("")))
        .map_or(1, |i| i + 1);
    Some((line, image))
}

/// The nginx version an image reference runs: the official image and its kin with a tag that
/// starts with a version (`nginx:1.31-alpine`, `nginxinc/nginx-unprivileged:1.27.3`,
/// `bitnami/nginx:1.25.3-debian-12-r0`, `openresty/openresty:1.25.3.2-alpine`, whose first
/// three numbers are nginx's). The official image's unpinned tags ([`unpinned`]: `latest`,
/// `alpine`, `stable`..., or no tag) run the newest release of their line. A digest
/// (`nginx@sha256:...`) names none.
pub fn version_of_image(image: &str) -> Option<Version> {
    if let Some(line) = unpinned(image) {
        return Some(newest(line));
    }
    let (name, tag) = name_and_tag(image)?;
    let tag = tag?;
    let repo = repository(name);
    if !matches!(
        repo.as_str(),
        "nginx"
            | "nginx/nginx"
            | "nginxinc/nginx-unprivileged"
            | "nginx/nginx-unprivileged"
            | "bitnami/nginx"
            | "openresty/openresty"
    ) {
        return None;
    }
    let numbers: Vec<u16> = tag
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .next()?
        .split('.')
        .take(3)
        .map(|n| n.parse().ok())
        .collect::<Option<Vec<u16>>>()?;
    match numbers.as_slice() {
        [1, minor, patch] => Some(Version(1, *minor, *patch)),
        [1, minor] => {
            let patch = LAST_PATCH
                .iter()
                .find(|(m, _)| m == minor)
                .map_or(0, |&(_, p)| p);
            Some(Version(1, *minor, patch))
        }
        _ => None,
    }
}

/// An image reference's name and tag (`None`: no tag); `None` for a digest
/// (`nginx@sha256:...`), which names no version. A colon inside the registry part
/// (`host:5000/nginx`) is not a tag.
fn name_and_tag(image: &str) -> Option<(&str, Option<&str>)> {
    if image.contains('@') {
        return None;
    }
    Some(match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n, Some(t)),
        _ => (image, None),
    })
}

/// An image's repository without its registry host (`docker.io/`, `public.ecr.aws/`,
/// `host:5000/`) and Docker Hub's `library/`, lowercased.
fn repository(name: &str) -> String {
    let mut parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 1 && (parts[0].contains('.') || parts[0].contains(':')) {
        parts.remove(0);
    }
    if parts.first() == Some(&"library") {
        parts.remove(0);
    }
    parts.join("/").to_ascii_lowercase()
}

/// Which line of releases an unpinned tag of the official image follows: mainline for
/// `latest`, `mainline`, `alpine`, `perl`, a distribution's name (`bookworm`) or no tag, as
/// Docker Hub's nginx page lists them; stable for `stable` and `stable-*`. `None` for a tag
/// with a version, or another image (Bitnami and OpenResty version their `latest` their own way).
pub fn unpinned(image: &str) -> Option<Line> {
    let (name, tag) = name_and_tag(image)?;
    // No tag is Docker's `latest`.
    let tag = tag.unwrap_or("latest");
    // Docker Hub's images (or NGINX's mirror on ECR): another registry's `nginx` may be
    // anything its owner pushed under that name.
    let host = name
        .split('/')
        .next()
        .filter(|h| h.contains('.') || h.contains(':'));
    let repo = repository(name);
    let official = match host {
        None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io") => matches!(
            repo.as_str(),
            "nginx" | "nginxinc/nginx-unprivileged" | "nginx/nginx-unprivileged"
        ),
        Some("public.ecr.aws") => repo == "nginx/nginx",
        Some(_) => false,
    };
    if !official {
        return None;
    }
    let tag = tag.to_ascii_lowercase();
    if tag.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if tag == "stable" || tag.starts_with("stable-") {
        return Some(Line::Stable);
    }
    let words = [
        "latest", "mainline", "alpine", "perl", "slim", "otel", "bookworm", "trixie",
    ];
    tag.split('-')
        .all(|w| words.iter().any(|k| w.starts_with(k)))
        .then_some(Line::Mainline)
}

/// nginx's two lines of releases: odd minor versions are mainline, even ones stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    Mainline,
    Stable,
}

impl Line {
    pub fn as_str(self) -> &'static str {
        match self {
            Line::Mainline => "mainline",
            Line::Stable => "stable",
        }
    }
}

/// The newest release of a line in [`LAST_PATCH`].
fn newest(line: Line) -> Version {
    let odd = line == Line::Mainline;
    let &(minor, patch) = LAST_PATCH
        .iter()
        .rev()
        .find(|(m, _)| (m % 2 == 1) == odd)
        .expect("both lines have releases");
    Version(1, minor, patch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_pins_name_their_nginx() {
        let pin = |t: &str| pinned_nginx(t).map(|(n, v, w)| (n, v.to_string(), w));
        let addon = "ARG BUILD_FROM\nFROM ${BUILD_FROM}\n\nRUN \\\n    apk add --no-cache \\\n        nginx=1.18.0-r13 \\\n        mariadb-client=10.4.15-r0\n";
        assert_eq!(
            pin(addon),
            Some((4, "1.18.0".to_owned(), "nginx=1.18.0-r13".to_owned()))
        );
        assert_eq!(
            pin("FROM ubuntu:22.04\nRUN apt-get install -y 'nginx=1.18.0-6ubuntu14.4'\n")
                .map(|p| p.1),
            Some("1.18.0".to_owned())
        );
        // An earlier stage's pin, a partial one, and another package's.
        assert_eq!(
            pin("FROM alpine AS a\nRUN apk add nginx=1.18.0-r13\nFROM nginx:1.25\n"),
            None
        );
        assert_eq!(pin("FROM alpine\nRUN apk add nginx~=1.18\n"), None);
        assert_eq!(
            pin("FROM alpine\nRUN apk add nginx-mod-http-lua=1.18.0-r13\n"),
            None
        );
    }

    #[test]
    fn image_references_name_their_nginx() {
        let v = |s: &str| version_of_image(s).map(|v| v.to_string());
        assert_eq!(v("nginx:1.31-alpine").as_deref(), Some("1.31.4"));
        assert_eq!(v("nginx:1.29").as_deref(), Some("1.29.8"));
        assert_eq!(v("nginx:1.25.3").as_deref(), Some("1.25.3"));
        assert_eq!(
            v("docker.io/library/nginx:1.24.0-bookworm").as_deref(),
            Some("1.24.0")
        );
        assert_eq!(
            v("nginxinc/nginx-unprivileged:1.27-alpine").as_deref(),
            Some("1.27.5")
        );
        assert_eq!(
            v("bitnami/nginx:1.25.3-debian-12-r0").as_deref(),
            Some("1.25.3")
        );
        assert_eq!(
            v("openresty/openresty:1.25.3.2-alpine").as_deref(),
            Some("1.25.3")
        );
        assert_eq!(
            v("public.ecr.aws/nginx/nginx:1.26").as_deref(),
            Some("1.26.3")
        );
        assert_eq!(v("nginx:1.40").as_deref(), Some("1.40.0"));
        // Unpinned tags of the official image: the newest release of their line.
        for mainline in [
            "nginx",
            "nginx:latest",
            "nginx:alpine",
            "nginx:alpine-slim",
            "nginx:mainline-alpine-perl",
            "docker.io/library/nginx:bookworm",
            "nginxinc/nginx-unprivileged:alpine",
            "public.ecr.aws/nginx/nginx:mainline",
        ] {
            assert_eq!(v(mainline).as_deref(), Some("1.31.4"), "{mainline}");
        }
        for stable in [
            "nginx:stable",
            "nginx:stable-alpine",
            "nginx:stable-bookworm-perl",
        ] {
            assert_eq!(v(stable).as_deref(), Some("1.30.4"), "{stable}");
        }
        for none in [
            "nginx@sha256:abc",
            "nginx:latest@sha256:abc",
            "nginx:custom",
            "bitnami/nginx:latest",
            "openresty/openresty:alpine",
            "node:20",
            "registry:5000/nginx",
            "myorg/nginx:1.25",
        ] {
            assert_eq!(v(none), None, "{none}");
        }
    }

    #[test]
    fn container_file_names() {
        for yes in [
            "Dockerfile",
            "dockerfile",
            "Dockerfile.prod",
            "web.Dockerfile",
            "Containerfile",
        ] {
            assert!(is_dockerfile(yes), "{yes}");
        }
        for no in [
            "Dockerfile.md",
            "dockerfile.txt",
            ".dockerignore",
            "nginx.conf",
            "Dockerfile.bak",
        ] {
            assert!(!is_dockerfile(no), "{no}");
        }
        for yes in [
            "compose.yaml",
            "docker-compose.yml",
            "docker-compose.prod.yml",
            "compose.override.yaml",
            "Docker-Compose.dev.YML",
            "docker-compose-prod.yml",
        ] {
            assert!(is_compose(yes), "{yes}");
        }
        for no in [
            "docker-compose.override.yml.example",
            "docker-compose.example.yml",
            "docker-compose.yml.bak",
            "compose.sample.yaml",
            "docker-composer.yml",
            "docker-compose-example.yml",
            "compose..yml",
            "nginx.yml",
        ] {
            assert!(!is_compose(no), "{no}");
        }
        // Named for Compose another way: read as one when no Kubernetes workload.
        assert!(names_compose_loosely(
            "guacamole_docker_compose.mustache.yaml"
        ));
        assert!(names_compose_loosely("stack-compose.yml"));
        assert!(!names_compose_loosely("compose_example.yaml"));
        assert!(!names_compose_loosely("composer.yaml"));
        assert!(!names_compose_loosely("values.yaml"));
    }

    #[test]
    fn a_dockerfile_runs_its_last_stage() {
        let df = "ARG NGINX=1.25.4\n\
                  FROM node:20 AS build\n\
                  RUN npm ci \\\n  && npm run build\n\
                  # the runtime\n\
                  FROM --platform=linux/amd64 nginx:${NGINX}-alpine AS web\n\
                  COPY --from=build /app/dist /usr/share/nginx/html\n";
        assert_eq!(final_image(df), Some((6, "nginx:1.25.4-alpine".to_owned())));
        // The last stage builds on an earlier one.
        let df = "FROM nginx:1.27 AS base\nRUN true\nFROM base\n";
        assert_eq!(final_image(df), Some((3, "nginx:1.27".to_owned())));
        // A last stage that is not nginx names none.
        let df = "FROM nginx:1.27 AS web\nFROM debian:12\n";
        assert_eq!(
            final_image(df).and_then(|(_, i)| version_of_image(&i)),
            None
        );
        // An ARG without a value here: unknown.
        assert_eq!(final_image("ARG V\nFROM nginx:${V}\n"), None);
    }

    #[test]
    fn a_compose_file_names_one_version() {
        let c = "services:\n  app:\n    build: .\n  web:\n    image: ${NGINX_IMAGE:-nginx:1.26-alpine}\n";
        assert_eq!(compose_image(c), Some((5, "nginx:1.26-alpine".to_owned())));
        let two = "services:\n  a:\n    image: nginx:1.24.0\n  b:\n    image: nginx:1.26.1\n";
        assert_eq!(compose_image(two), None);
        assert_eq!(compose_image("services: [broken"), None);
        // Anchors as Compose files use them are read; anchors replayed 59,049 times are not.
        let anchors =
            "x-web: &web\n  image: nginx:1.26.1\nservices:\n  a:\n    <<: *web\n  b: *web\n";
        assert_eq!(compose_image(anchors), Some((2, "nginx:1.26.1".to_owned())));
        let mut bomb = String::from("a0: &a0 [\"lol\"]\n");
        for i in 1..6 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
            ));
        }
        bomb.push_str("services:\n  web:\n    image: nginx:1.26.1\n    x: *a5\n");
        assert_eq!(compose_image(&bomb), None);
    }

    #[test]
    fn a_kubernetes_workload_names_its_nginx() {
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: nginx\n          image: \"nginx:1.9.12\" # pinned\n          args: [\"nginx\", \"-c\", \"/etc/nginx/conf/main.conf\"]\n        - image: redis:7\n";
        assert_eq!(
            manifest_image(deployment),
            Some((8, "nginx:1.9.12".to_owned()))
        );
        // Several documents: a Service, then the Deployment.
        let multi = format!("apiVersion: v1\nkind: Service\n---\n{deployment}");
        assert_eq!(
            manifest_image(&multi),
            Some((11, "nginx:1.9.12".to_owned()))
        );
        // Two versions, a Helm template, a file that is no workload: none.
        let two =
            "kind: Pod\nspec:\n  containers:\n  - image: nginx:1.24.0\n  - image: nginx:1.26.1\n";
        assert_eq!(manifest_image(two), None);
        let helm = "kind: Deployment\nspec:\n  containers:\n  - image: \"{{ .Values.image }}\"\n";
        assert_eq!(manifest_image(helm), None);
        let ansible =
            "- hosts: web\n  tasks:\n    - docker_container:\n        image: nginx:1.20.0\n";
        assert_eq!(manifest_image(ansible), None);
        assert!(is_yaml("nginx.yaml") && is_yaml("deploy.YML") && !is_yaml("nginx.conf"));
    }

    #[test]
    fn the_nearest_directory_with_an_image_decides() {
        let base = std::env::temp_dir().join(format!("ngxlint-image-{}", std::process::id()));
        // A Dockerfile above the repository: never read.
        let dir = base.join("repo");
        let conf = dir.join("deploy/nginx/conf.d");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::write(base.join("Dockerfile"), "FROM nginx:1.20.0\n").unwrap();
        assert_eq!(
            find(&conf, &mut Listings::default()),
            None,
            "above the repository's root"
        );
        std::fs::write(dir.join("Dockerfile"), "FROM nginx:1.22.1\n").unwrap();
        assert_eq!(
            find(&conf, &mut Listings::default()).map(|f| f.version),
            Some(Version(1, 22, 1)),
            "the repository root's Dockerfile"
        );
        std::fs::write(
            dir.join("deploy/nginx/Dockerfile"),
            "FROM nginx:1.31-alpine\nCOPY . /etc/nginx\n",
        )
        .unwrap();
        let found = find(&conf, &mut Listings::default()).unwrap();
        assert_eq!(found.version, Version(1, 31, 4));
        assert_eq!(found.line, 1);
        assert!(found.file.ends_with("deploy/nginx/Dockerfile"));
        // Two versions beside each other: none.
        std::fs::write(
            dir.join("deploy/nginx/Dockerfile.old"),
            "FROM nginx:1.18.0\n",
        )
        .unwrap();
        assert_eq!(find(&conf, &mut Listings::default()), None);
        // A Kubernetes Deployment nearer the configuration (its ConfigMap's files) decides.
        std::fs::write(
            dir.join("deploy/nginx/conf.d/nginx.yaml"),
            "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - image: nginx:1.9.12\n",
        )
        .unwrap();
        let found = find(&conf, &mut Listings::default()).unwrap();
        assert_eq!((found.version, found.line), (Version(1, 9, 12), 6));
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_compose_file_builds_its_nginx() {
        let base = std::env::temp_dir().join(format!("ngxlint-image-build-{}", std::process::id()));
        let conf = base.join("conf");
        std::fs::create_dir_all(base.join(".git")).unwrap();
        std::fs::create_dir_all(base.join("dockerfiles")).unwrap();
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(
            base.join("docker-compose.yml"),
            "services:\n  web:\n    build:\n      context: .\n      dockerfile: dockerfiles/nginx.dockerfile\n  app:\n    build: app\n",
        )
        .unwrap();
        std::fs::write(
            base.join("dockerfiles/nginx.dockerfile"),
            "FROM nginx:1.11\nCOPY conf /etc/nginx\n",
        )
        .unwrap();
        let found = find(&conf, &mut Listings::default()).unwrap();
        assert_eq!((found.version, found.line), (Version(1, 11, 13), 1));
        assert!(found.file.ends_with("dockerfiles/nginx.dockerfile"));
        // Another service building another nginx: which one runs this file is not known.
        std::fs::create_dir_all(base.join("app")).unwrap();
        std::fs::write(base.join("app/Dockerfile"), "FROM nginx:1.25.3\n").unwrap();
        assert_eq!(find(&conf, &mut Listings::default()), None);
        // An app's image that is no nginx says nothing.
        std::fs::write(base.join("app/Dockerfile"), "FROM python:3.12\n").unwrap();
        assert_eq!(
            find(&conf, &mut Listings::default()).map(|f| f.version),
            Some(Version(1, 11, 13))
        );
        // A FIFO where a build's Dockerfile would be is not read (the read would block).
        std::fs::remove_file(base.join("app/Dockerfile")).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(base.join("app/Dockerfile"))
            .status()
            .is_ok_and(|s| s.success());
        if made {
            assert_eq!(
                find(&conf, &mut Listings::default()).map(|f| f.version),
                Some(Version(1, 11, 13))
            );
        }
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_shared_directory_is_not_read() {
        let base = std::env::temp_dir().join(format!("ngxlint-shared-{}", std::process::id()));
        let home = base.join("home");
        let conf = home.join("sites/chat");
        std::fs::create_dir_all(&conf).unwrap();
        let (home, conf) = (
            std::fs::canonicalize(&home).unwrap(),
            std::fs::canonicalize(&conf).unwrap(),
        );
        std::fs::write(
            home.join("compose.yaml"),
            "services:\n  web:\n    image: nginx:1.20.0\n",
        )
        .unwrap();
        assert_eq!(
            find_below(&conf, &[], &mut Listings::default()).map(|f| f.version),
            Some(Version(1, 20, 0)),
            "read where the directory is no shared one"
        );
        // The home directory's Compose file names some other project's nginx: the walk stops
        // there, and the checked file's own directory is not read when it is shared either.
        assert_eq!(
            find_below(&conf, std::slice::from_ref(&home), &mut Listings::default()),
            None
        );
        std::fs::write(conf.join("Dockerfile"), "FROM nginx:1.31-alpine\n").unwrap();
        assert_eq!(
            find_below(&conf, std::slice::from_ref(&home), &mut Listings::default())
                .map(|f| f.version),
            Some(Version(1, 31, 4))
        );
        assert_eq!(
            find_below(&conf, std::slice::from_ref(&conf), &mut Listings::default()),
            None
        );
        // The process's own shared directories are the canonical root, home and temp dirs.
        let shared = shared_directories();
        assert!(shared.contains(&PathBuf::from("/")));
        assert!(shared.contains(&std::fs::canonicalize(std::env::temp_dir()).unwrap()));
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_distributions_own_nginx_package() {
        let v = |df: &str| {
            let (_, image) = final_image(df)?;
            distribution_nginx(df, &image)
        };
        assert_eq!(
            v(
                "FROM ubuntu:focal\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n    nginx curl\n"
            ),
            Some(Version(1, 18, 0))
        );
        assert_eq!(
            v("FROM debian:bookworm-slim\nRUN apt-get install -y nginx-light\n"),
            Some(Version(1, 22, 1))
        );
        assert_eq!(
            v("FROM ubuntu:24.04\nRUN apt install -y nginx\n"),
            Some(Version(1, 24, 0))
        );
        // Enterprise Linux's AppStream package; not with another module stream enabled.
        assert_eq!(
            v("FROM rockylinux:9\nRUN dnf install -y nginx && dnf clean all\n"),
            Some(Version(1, 20, 1))
        );
        assert_eq!(
            v("FROM rockylinux:8.9\nRUN yum -y install epel-release && yum install -y nginx\n"),
            Some(Version(1, 14, 1))
        );
        assert_eq!(
            v("FROM almalinux:9\nRUN dnf module enable -y nginx:1.22 && dnf install -y nginx\n"),
            None
        );
        // nginx.org's packages, a PPA, another stage's install, a rolling tag, no install.
        assert_eq!(
            v(
                "FROM debian:12\nRUN echo 'deb https://nginx.org/packages/debian bookworm nginx' > /etc/apt/sources.list.d/n.list && apt-get install -y nginx\n"
            ),
            None
        );
        assert_eq!(
            v(
                "FROM ubuntu:22.04\nRUN add-apt-repository ppa:ondrej/nginx && apt-get install -y nginx\n"
            ),
            None
        );
        assert_eq!(
            v(
                "FROM debian:12 AS build\nRUN apt-get install -y nginx\nFROM debian:12\nRUN apt-get install -y curl\n"
            ),
            None
        );
        assert_eq!(
            v("FROM debian:latest\nRUN apt-get install -y nginx\n"),
            None
        );
        assert_eq!(
            v("FROM ubuntu:focal\nRUN apt-get install -y nginx-module-njs-x\n"),
            None
        );
        assert_eq!(v("FROM alpine:3.18\nRUN apk add nginx\n"), None);
    }
}
