//! `include-not-found`: an `include` of a plain path that does not exist or cannot be read.

use std::path::{Path, PathBuf};

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::include::{
    ConfPrefix, IncludeError, IncludeErrorKind, Program, beside_nginx_conf,
};
use crate::semantics::loadtime::{holds_stock_file, is_stock_include, stock_include_prefix};

pub static RULE: Rule = Rule {
    id: "include-not-found",
    summary: "an included file does not exist or cannot be read",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/include-not-found.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let program = cx.model.program;
    // Asked once, and only when an include failed (they look at the disk).
    let guessed = !program.include_errors.is_empty() && guessed_prefix(program);
    let mut not_installed = None;
    let reported: Vec<&IncludeError> = program
        .include_errors
        .iter()
        .filter(|e| {
            !matches!(
                e.kind,
                IncludeErrorKind::Cycle { .. } | IncludeErrorKind::Expansion { .. }
            ) && !(is_stock_file(e)
                && (guessed || *not_installed.get_or_insert_with(|| prefix_not_installed(program))))
                && !is_stock_file_of_another_machine(e)
        })
        .collect();
    // Absolute paths read as written (no `path_map` applied): where the checkout keeps each,
    // found in one walk.
    let unmapped: Vec<&Path> = reported
        .iter()
        .filter_map(|e| unmapped_name(e).filter(|p| p.starts_with('/')))
        .map(Path::new)
        .collect();
    let mappings: std::collections::HashMap<&Path, Option<(PathBuf, PathBuf)>> =
        if unmapped.is_empty() {
            std::collections::HashMap::new()
        } else {
            let found = crate::inputs::mappings_for(&program.file(0).path, &unmapped);
            unmapped.iter().copied().zip(found).collect()
        };
    // A missing file included at several places of one file is one finding, at its first
    // include, the others its labels (a snippet included in every location of a site said the
    // same thing once per location).
    let mut groups: Vec<(&IncludeError, Vec<&IncludeError>)> = Vec::with_capacity(reported.len());
    let mut first_of: std::collections::HashMap<(crate::semantics::include::FileId, &Path), usize> =
        std::collections::HashMap::new();
    for e in reported {
        let path = match &e.kind {
            IncludeErrorKind::NotFound { path, .. } | IncludeErrorKind::Unreadable { path, .. } => {
                path.as_path()
            }
            _ => {
                groups.push((e, Vec::new()));
                continue;
            }
        };
        match first_of.entry((e.file, path)) {
            std::collections::hash_map::Entry::Occupied(first) => groups[*first.get()].1.push(e),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(groups.len());
                groups.push((e, Vec::new()));
            }
        }
    }
    groups
        .into_iter()
        .map(|(e, others)| {
            // `kept`: an absolute include whose file this checkout keeps (a `conf.d/` mounted
            // into a container as `/etc/nginx/conf.d/`): nginx reads it there; the file was
            // only not read here (held-out batch 65, a docker-compose stack's `ssl-conf`).
            let (relative, absolute_help, kept) = match &e.kind {
                IncludeErrorKind::NotFound { pattern, path } => {
                    let mapping = mappings.get(path.as_path()).and_then(Option::as_ref);
                    (
                        !pattern.starts_with(b"/"),
                        absolute_help(pattern, path, mapping),
                        mapping.is_some(),
                    )
                }
                IncludeErrorKind::Unreadable { pattern, .. } => {
                    (!pattern.starts_with(b"/"), None, false)
                }
                _ => (false, None, false),
            };
            // Certbot's own file, written on the server where it runs and never in a
            // repository: what it sets is known (TLS settings only), so its absence leaves the
            // rest of the configuration checked (held-out batches 177 to 225 asked for it on
            // every Certbot site: exit 2, "could not check", for one line of TLS settings).
            // SWAG's files, which its container writes from its samples when it starts (never
            // in a repository), the same (held-out batches 336 and 338: exit 2 for `ssl.conf`
            // and `proxy.conf` only).
            let platform = if kept {
                None
            } else if let Some(path) = placeholder_path(e) {
                Some((
                    path,
                    crate::lint::PLACEHOLDER_INCLUDE_NOTE,
                    "a template's placeholder names the file (envsubst, a `sed` of the \
                     entrypoint, an installer): check the rendered file, or give ngxlint the \
                     directory with `--path-map`",
                ))
            } else if certbot_options(e) {
                Some((
                    CERTBOT_OPTIONS.to_owned(),
                    crate::lint::CERTBOT_NOTE,
                    "Certbot writes this file (its `ssl_session_cache`, `ssl_session_timeout`, \
                     `ssl_session_tickets`, `ssl_protocols`, `ssl_prefer_server_ciphers` and \
                     `ssl_ciphers`) on the server it runs on; check there, or give ngxlint a \
                     copy with `--path-map /etc/letsencrypt=DIR`",
                ))
            } else {
                swag_file(e).map(|name| {
                    (
                        format!("{SWAG_CONFIG}{name}"),
                        crate::lint::SWAG_NOTE,
                        "linuxserver.io's images (SWAG, and the apps' images on its nginx base, \
                         such as BookStack's) copy this file from their samples into \
                         /config/nginx when the container starts; check there, or give ngxlint \
                         a copy with `--path-map /config/nginx=DIR`",
                    )
                })
            };
            if let Some((path, note, help)) = platform {
                return Diagnostic::new(
                    &RULE,
                    Label::new(e.file, e.span, "included here"),
                    format!("include \"{path}\" not read: {note}"),
                )
                .help(help)
                .labels(others_labels(&others))
                .severity(Severity::Info);
            }
            let help = if let Some(help) = absolute_help {
                help
            } else if let (true, Some(ConfPrefix::IncludeDirectoryParent(dir))) =
                (guessed && relative, &program.prefix)
            {
                format!(
                    "this fragment's conf prefix is not known (no `nginx.conf` above it, no \
                     `--conf-prefix`), so ngxlint looked in `{}`, the parent of the fragment's \
                     directory, where nginx's packages keep `nginx.conf`; pass `--conf-prefix \
                     DIR`, the directory of the `nginx.conf` that includes it, to look there",
                    crate::report::display_path(dir)
                )
            } else if guessed && relative {
                "this fragment's conf prefix is not known (no `nginx.conf` above it, no \
                 `--conf-prefix`), so ngxlint looked beside the fragment; nginx looks beside the \
                 `nginx.conf` that includes it: pass `--conf-prefix DIR`, the directory of that \
                 `nginx.conf`, to look there"
                    .to_owned()
            } else {
                "relative include paths are resolved against the directory of the main configuration \
                 file (nginx's conf prefix), not the including file; use a glob (`conf.d/*.conf`) if \
                 the file may be absent"
                    .to_owned()
            };
            // Where a fragment's conf prefix is a guess, a relative include missing there says
            // nothing about nginx, which reads it beside the `nginx.conf` that includes the
            // fragment (YunoHost's apps include `proxy_params_no_auth`, which YunoHost installs
            // in `/etc/nginx`): the include was not read, which is worth knowing, not an error.
            let guess = guessed && relative;
            let message = match &e.kind {
                IncludeErrorKind::NotFound { pattern, path } if guess => format!(
                    "include \"{}\" not read: no \"{}\", {}",
                    crate::report::escape_path(Path::new(&*String::from_utf8_lossy(pattern))),
                    crate::report::escape_path(path),
                    crate::lint::PREFIX_UNKNOWN_NOTE
                ),
                IncludeErrorKind::NotFound { pattern, .. } if kept => format!(
                    "include \"{}\" not read: {}",
                    crate::report::escape_path(Path::new(&*String::from_utf8_lossy(pattern))),
                    crate::lint::KEPT_NOTE
                ),
                _ => e.message(program),
            };
            let d = Diagnostic::new(&RULE, Label::new(e.file, e.span, "included here"), message)
                .help(help)
                .labels(others_labels(&others));
            if guess || kept { d.severity(Severity::Info) } else { d }
        })
        .collect()
}

/// Labels for the other includes of a missing file, in one file ([`Label::repeats`]).
fn others_labels(others: &[&IncludeError]) -> Vec<Option<Label>> {
    let places: Vec<_> = others.iter().map(|e| (e.file, e.span)).collect();
    Label::repeats(&places, "also included here", MAX_OTHER_SITES)
}

/// Other includes of the same missing file shown as labels of its one finding.
const MAX_OTHER_SITES: usize = 8;

/// The help for a missing absolute include: a file of the machine nginx runs on, looked for
/// on this one (a checkout, a CI runner) unless `path_map` sent it elsewhere.
fn absolute_help(
    pattern: &[u8],
    path: &Path,
    mapping: Option<&(PathBuf, PathBuf)>,
) -> Option<String> {
    if !pattern.starts_with(b"/") {
        return None;
    }
    let named = String::from_utf8_lossy(pattern);
    if Path::new(named.as_ref()) != path {
        return Some(format!(
            "`path_map` reads `{named}` as `{}`, and no file is there: correct the mapping, or \
             add the file where it points",
            crate::report::escape_path(path)
        ));
    }
    // The checkout keeps a file of that name, in one place: name the mapping.
    if let Some((from, to)) = mapping {
        let (from, to) = (
            crate::report::escape_path(from),
            crate::report::display_path(to),
        );
        return Some(format!(
            "this names a file of the machine nginx runs on; this checkout keeps it under \
             `{to}`: check with `--path-map {from}={to}` (or `path_map:` in `.ngxlint.yml`) to \
             read it from there"
        ));
    }
    let dir = Path::new(named.as_ref())
        .parent()
        .filter(|d| d.parent().is_some())
        .map_or_else(|| "/etc/nginx".to_owned(), |d| d.display().to_string());
    Some(format!(
        "this names a file of the machine nginx runs on; checked anywhere else (a repository, a \
         CI runner), say where that directory's files are here: `--path-map {dir}=DIR`, or \
         `path_map:` in `.ngxlint.yml`; use a glob if the file may be absent"
    ))
}

/// Relative includes of a fragment resolve beside it, or in the parent of its `sites-available/`,
/// only for want of a known prefix. A fragment named `nginx.conf` is not the main file whose
/// directory is nginx's prefix (YunoHost's apps keep their `server`-level site in
/// `conf/nginx.conf` and include `proxy_params_no_auth`, which YunoHost installs in
/// `/etc/nginx`: held-out batches 281 to 283).
fn guessed_prefix(program: &Program) -> bool {
    let main = &program.file(0).path;
    program.root_context != Context::Main
        && match &program.prefix {
            None => main.file_name().is_some_and(|n| n == "nginx.conf") || !beside_nginx_conf(main),
            Some(ConfPrefix::IncludeDirectoryParent(_)) => true,
            Some(ConfPrefix::Given(_) | ConfPrefix::NginxConfAbove(_)) => false,
        }
}

/// Is the conf prefix a directory with an `nginx.conf` but none of the files every package
/// installs beside it (a repository's `deploy/nginx.conf`)? Such a file is installed over the
/// package's (`/etc/nginx`, OpenResty's `conf/`), where `include mime.types;` finds the
/// package's file. A prefix given with `--conf-prefix` is where nginx looks: a missing stock
/// file there is reported, as it is in an installed prefix that lost one.
fn prefix_not_installed(program: &Program) -> bool {
    let dir = match &program.prefix {
        Some(ConfPrefix::Given(_)) => return false,
        Some(p) => p.dir(),
        None => match program.file(0).path.parent() {
            Some(d) if d.as_os_str().is_empty() => Path::new("."),
            Some(d) => d,
            None => return false,
        },
    };
    !holds_stock_file(dir)
}

/// Is `e` a missing file every nginx package installs in its conf prefix, named relative to it
/// (`include fastcgi_params;`)? When a fragment whose conf prefix is not known (`conf.d/app.conf`,
/// a documentation snippet) includes one, nginx resolves it against the prefix of the `nginx.conf` that includes the fragment, where it is,
/// not against the fragment's directory, the only place ngxlint could look. Reporting it
/// would fail every PHP site's fragment; with `--conf-prefix` (or an `nginx.conf` found above
/// the fragment) the file is looked for where nginx looks, and reported when missing.
fn is_stock_file(e: &IncludeError) -> bool {
    matches!(&e.kind, IncludeErrorKind::NotFound { pattern, .. }
        if std::str::from_utf8(pattern).is_ok_and(is_stock_include))
}

/// Certbot's TLS options file, as its nginx plugin writes the include into every site.
const CERTBOT_OPTIONS: &str = "/etc/letsencrypt/options-ssl-nginx.conf";

/// Is `e` the missing [`CERTBOT_OPTIONS`], named as Certbot writes it (not mapped elsewhere)?
/// The path a missing include names, where it holds a template's placeholder (`${NAME}`,
/// `{{ name }}`, `<%= name %>`): nginx expands nothing in an include's path.
fn placeholder_path(e: &IncludeError) -> Option<String> {
    let IncludeErrorKind::NotFound { pattern, .. } = &e.kind else {
        return None;
    };
    let named = String::from_utf8_lossy(pattern);
    ["${", "{{", "<%"]
        .iter()
        .any(|m| named.contains(m))
        .then(|| named.into_owned())
}

fn certbot_options(e: &IncludeError) -> bool {
    unmapped_name(e) == Some(CERTBOT_OPTIONS)
}

/// The missing file `e` names, where it was looked for as written (no `path_map` sent it
/// elsewhere): what Certbot's, SWAG's and the packages' own paths are compared with.
fn unmapped_name(e: &IncludeError) -> Option<&str> {
    let IncludeErrorKind::NotFound { pattern, path } = &e.kind else {
        return None;
    };
    let named = std::str::from_utf8(pattern).ok()?;
    (Path::new(named) == path.as_path()).then_some(named)
}

/// Where SWAG (linuxserver/swag) keeps its nginx files in its container.
const SWAG_CONFIG: &str = "/config/nginx/";

/// The files SWAG's container writes into [`SWAG_CONFIG`] at start, which its proxy-confs
/// include: copied from its samples (https://github.com/linuxserver/docker-swag,
/// root/defaults/nginx), or, `resolver.conf` and `worker_processes.conf`, made from the
/// container's own settings.
const SWAG_FILES: &[&str] = &[
    "ssl.conf",
    "proxy.conf",
    "resolver.conf",
    "worker_processes.conf",
    "authelia-server.conf",
    "authelia-location.conf",
    "authentik-server.conf",
    "authentik-location.conf",
    "ldap-server.conf",
    "ldap-location.conf",
    "oauth2-proxy-server.conf",
    "oauth2-proxy-location.conf",
    "tinyauth-server.conf",
    "tinyauth-location.conf",
];

/// The name of the missing SWAG file `e` is, named as SWAG's proxy-confs name it (not mapped
/// elsewhere).
fn swag_file(e: &IncludeError) -> Option<&'static str> {
    let name = unmapped_name(e)?.strip_prefix(SWAG_CONFIG)?;
    SWAG_FILES.iter().copied().find(|&f| f == name)
}

/// Is `e` a missing stock file named by its absolute path in a package's conf prefix that this
/// machine does not have at all (`include /etc/nginx/mime.types;` checked in a repository on a
/// CI runner without nginx)? The configuration is then checked away from its server, where the
/// package installed the file; reporting it would fail every such check. Where the prefix
/// exists (nginx is installed here) or `path_map` sent the include elsewhere, a missing file is
/// reported.
fn is_stock_file_of_another_machine(e: &IncludeError) -> bool {
    unmapped_name(e).is_some_and(|named| {
        stock_include_prefix(named).is_some_and(|prefix| !Path::new(prefix).exists())
    })
}
