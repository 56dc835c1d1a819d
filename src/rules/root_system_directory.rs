//! `root-system-directory`: `root` or `alias` names the filesystem root or a system directory
//! (`/etc`, `/root`, `/home`, `/proc`...), so request paths map onto files nginx's workers can
//! read there (`/etc/passwd`, keys, other users' files).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::access::{answers_without_files, is_internal};
use crate::semantics::location::{Modifier, location_match};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "root-system-directory",
    summary: "`root` or `alias` is `/` or a system directory (`/etc`, `/root`, `/home`, \
              `/proc`...), so any readable file under it can be requested",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/root-system-directory.md"),
    check,
};

/// Directories whose contents are never meant to be served: secrets (`/etc`, `/root`, users'
/// homes), kernel and device interfaces, logs and service state. `/usr`, `/var`, `/srv`,
/// `/opt` are left out: sites are commonly served from below them and they hold no secrets
/// by themselves.
pub(crate) const SYSTEM_DIRS: &[&str] = &[
    "/", "/boot", "/dev", "/etc", "/home", "/proc", "/root", "/run", "/sys", "/var/lib", "/var/log",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // [`serves_no_files`] per server, asked once: each of a server's `root` lines would walk
    // all its locations again (the rule-scaling sweep: 81× for 10× the lines).
    let mut no_files: Vec<(NodeId, bool)> = Vec::new();
    // Per (prefix location, root): does a file it serves lie in a system directory? Asked
    // once: a location's every `root` line would read all its `try_files` lines again.
    let mut prefix_reaches: std::collections::HashMap<(NodeId, String), bool> =
        std::collections::HashMap::new();
    for name in ["root", "alias"] {
        for &n in cx.directives_named(name) {
            let Some(path) = model.arg_str(n, 0) else {
                continue;
            };
            if path.contains('$') || !path.starts_with('/') {
                continue;
            }
            let loc = model.enclosing(n, "location");
            // Clients cannot ask an `internal` location for anything (Mail-in-a-Box's
            // `location ^~ /owncloud-xaccel/ { internal; alias /; }` for X-Accel-Redirect).
            if loc.is_some_and(|loc| is_internal(model, loc)) {
                continue;
            }
            if name == "alias" {
                // Only a prefix location maps the rest of the URI below the alias; a regex or
                // exact location without captures serves the one directory.
                let Some(loc) = loc else {
                    continue;
                };
                let Some((m, pattern)) = location_match(model, loc) else {
                    continue;
                };
                if !m.is_prefix() || (pattern.ends_with('/') && !path.ends_with('/')) {
                    continue;
                }
            }
            let dir = normalized(&path);
            if !SYSTEM_DIRS.contains(&&*dir) {
                continue;
            }
            // The location's content comes from elsewhere and nothing in it reads a file.
            if loc.is_some_and(|loc| {
                model.node(n).parent() == Some(loc) && answers_without_files(model, loc)
            }) {
                continue;
            }
            // A server-level `root` that no location serves arbitrary files from: a catch-all
            // `location /` and every location reading it answers without files, serves one
            // exact URI, or rewrites every request to a fixed URI (Laravel Valet's `root /;`
            // with `location / { rewrite ^ server.php last; }` and a fixed `SCRIPT_FILENAME`,
            // held-out batch 160, measured: `/etc/passwd` went to PHP).
            if name == "root"
                && loc.is_none()
                && let Some(server) = model
                    .node(n)
                    .parent()
                    .filter(|&p| model.name(p) == "server")
                && match no_files.iter().find(|(s, _)| *s == server) {
                    Some(&(_, known)) => known,
                    None => {
                        let answer = serves_no_files(model, server);
                        no_files.push((server, answer));
                        answer
                    }
                }
            {
                continue;
            }
            // The location serves only what its `try_files` names, below a fixed directory
            // (LibrePhotos: `root /; try_files /protected_media/zip/$1.zip =404;`, measured:
            // traversal attempts get 400 or 404).
            if name == "root"
                && loc.is_some_and(|loc| {
                    model.node(n).parent() == Some(loc)
                        && serves_only_try_files_below(model, loc, &path)
                })
            {
                continue;
            }
            // A `root` in a prefix location serves the root joined with the prefix, and nginx
            // resolves `..` before matching, so every file it serves lies below that path:
            // rDrama's `root /;` in `location /images/` serves `/images/` (held-out batch 360,
            // measured: traversal attempts went to `location /` or got 400).
            if name == "root"
                && let Some(loc) = loc
                && model.node(n).parent() == Some(loc)
                && model.children_named_slice(Some(loc), "location").is_empty()
                && let Some((m, pattern)) = location_match(model, loc)
                && m.is_prefix()
                && !pattern.contains('$')
                && !*prefix_reaches
                    .entry((loc, dir.to_string()))
                    .or_insert_with(|| {
                        served_prefixes(model, loc, &pattern).iter().any(|p| {
                            reaches_system_directory(&format!("{}{p}", dir.trim_end_matches('/')))
                        })
                    })
            {
                continue;
            }
            let what = if dir == "/" {
                "the filesystem root".to_owned()
            } else {
                format!("the system directory `{dir}`")
            };
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{name} {path}` serves {what}: any file nginx's workers can read below it \
                     can be requested ({example})",
                    example = if dir == "/" || dir == "/etc" {
                        "`/etc/passwd`, keys, configuration"
                    } else {
                        "secrets, other users' files, logs"
                    }
                ),
            )
            .help("point it at a directory that holds only the files meant to be served");
            diag.primary.text = "system directory served".into();
            out.push(diag);
        }
    }
    out
}

/// The paths below the `root` that prefix location `loc` (of prefix `pattern`) serves files
/// from: the URI itself, or each file `try_files` tries (its `$uri` is the URI, which starts
/// with the prefix; up to the first other variable; its last argument is a redirect).
fn served_prefixes(model: &Model<'_>, loc: NodeId, pattern: &str) -> Vec<String> {
    let tries = model.children_named_slice(Some(loc), "try_files");
    if tries.is_empty() {
        return vec![pattern.to_owned()];
    }
    let mut out = Vec::new();
    for &t in tries {
        let count = model.arg_count(t);
        for i in 0..count.saturating_sub(1) {
            let Some(arg) = model.arg(t, i) else {
                continue;
            };
            let with_uri = arg.replace("$uri", pattern);
            let fixed = with_uri.split('$').next().unwrap_or("");
            out.push(fixed.to_owned());
        }
    }
    out
}

/// Can a path that starts with `served` (a prefix of URIs joined to a `root`) be a system
/// directory or lie in one: `/images/` cannot, `/var/` holds `/var/lib/`, `/e` matches `/etc/`,
/// `/etc/nginx/` is in `/etc/`.
fn reaches_system_directory(served: &str) -> bool {
    SYSTEM_DIRS.iter().filter(|&&dir| dir != "/").any(|&dir| {
        let dir = format!("{dir}/");
        dir.starts_with(served) || served.starts_with(&dir)
    })
}

/// Does no request to `server` read a file below its own `root`: it has a catch-all
/// `location /`, and every location that inherits the root (its own `root` or `alias` aside,
/// nested ones included) is internal, an exact match (one URI), answers without files,
/// denies every request, or rewrites every request to a fixed URI first (`rewrite ^
/// /app/server.php last;`)?
fn serves_no_files(model: &Model<'_>, server: NodeId) -> bool {
    let locations = model.children_named_slice(Some(server), "location");
    let catch_all = locations
        .iter()
        .any(|&l| location_match(model, l).is_some_and(|(m, p)| m.is_prefix() && p == "/"));
    catch_all && locations.iter().all(|&l| serves_no_files_in(model, l))
}

/// [`serves_no_files`] for location `loc` and the locations nested in it.
fn serves_no_files_in(model: &Model<'_>, loc: NodeId) -> bool {
    let own_dir = ["root", "alias"]
        .iter()
        .any(|d| !model.children_named_slice(Some(loc), d).is_empty());
    let safe = own_dir
        || is_internal(model, loc)
        || location_match(model, loc).is_some_and(|(m, _)| m == Modifier::Exact)
        || answers_without_files(model, loc)
        || rewrites_all_to_fixed(model, loc)
        // `deny all;` and no `allow`: every request gets 403 (`location ~ /\.ht`).
        || (model.children_named_slice(Some(loc), "allow").is_empty()
            && model
                .children_named_slice(Some(loc), "deny")
                .iter()
                .any(|&d| model.arg_is(d, 0, "all")));
    safe && model
        .children_named_slice(Some(loc), "location")
        .iter()
        .all(|&l| serves_no_files_in(model, l))
}

/// Is the first directive of `loc` that could change or answer the request a `rewrite` of
/// every URI (`^`, `^.*`, `^(.*)$`...) to a fixed one with `last` or `break`?
fn rewrites_all_to_fixed(model: &Model<'_>, loc: NodeId) -> bool {
    let Some(&first) = model.children(loc).iter().find(|&&c| {
        matches!(
            model.name(c),
            "rewrite" | "return" | "try_files" | "if" | "set" | "proxy_pass" | "fastcgi_pass"
        )
    }) else {
        return false;
    };
    if model.name(first) != "rewrite" {
        return false;
    }
    let (Some(regex), Some(target), Some(flag)) = (
        model.arg_str(first, 0),
        model.arg_str(first, 1),
        model.arg_str(first, 2),
    ) else {
        return false;
    };
    matches!(
        &*regex,
        "^" | "^.*" | "^.*$" | "^(.*)$" | "^(.*)" | ".*" | "^/.*"
    ) && !target.contains('$')
        && matches!(&*flag, "last" | "break")
}

/// Does `loc` (whose own `root` is `root`) serve nothing but the files its own `try_files`
/// names, each in a directory that is fixed up to its first variable and is no system
/// directory, ending in a status code or a named location (no fallback to the URI), and with
/// no nested location to inherit the `root`?
fn serves_only_try_files_below(model: &Model<'_>, loc: NodeId, root: &str) -> bool {
    let tries = model.children_named_slice(Some(loc), "try_files");
    let [t] = tries else {
        return false;
    };
    if !model.children_named_slice(Some(loc), "location").is_empty() {
        return false;
    }
    let args = model.args_str(*t);
    let Some((last, files)) = args.split_last() else {
        return false;
    };
    if !(last.starts_with('=') || last.starts_with('@')) || files.is_empty() {
        return false;
    }
    files.iter().all(|f| {
        // The part before the first variable, cut at its last `/`: the directory it names.
        let fixed = &f[..f.find('$').unwrap_or(f.len())];
        let Some(slash) = fixed.rfind('/') else {
            return false;
        };
        // `..` after the fixed part could climb out of it; a normalised URI has none, but a
        // literal one in the argument is read as written.
        if f.contains("..") {
            return false;
        }
        let dir = normalize(&format!("{root}/{}", &fixed[..slash]));
        !SYSTEM_DIRS.contains(&dir.as_str())
    })
}

/// The directory a path names, read lexically as the kernel would without symlinks: repeated
/// slashes, `.` and `..` resolved, no trailing slash (`/srv/..` is `/`, `//` is `/`).
/// [`normalize`], without a copy for the usual path (no `.`/`..` component, no `//`): then
/// normalizing only drops a trailing `/`.
fn normalized(path: &str) -> std::borrow::Cow<'_, str> {
    if path.contains("/.") || path.contains("//") || !path.starts_with('/') {
        return std::borrow::Cow::Owned(normalize(path));
    }
    match path.trim_end_matches('/') {
        "" => std::borrow::Cow::Borrowed("/"),
        trimmed => std::borrow::Cow::Borrowed(trimmed),
    }
}

pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::{normalize, normalized};

    #[test]
    fn borrowed_normal_form_is_normalize() {
        for p in [
            "/",
            "//",
            "/./",
            "/srv/..",
            "/usr/../etc/",
            "/var/www",
            "/var/www/",
            "/etc",
            "/a/.b",
            "/a/b.",
            "/..",
            "/srv/www/.well-known",
            "relative/",
            "",
        ] {
            assert_eq!(normalized(p), normalize(p), "{p}");
        }
        assert!(matches!(
            normalized("/srv/www/"),
            std::borrow::Cow::Borrowed("/srv/www")
        ));
    }

    #[test]
    fn normalizes_lexically() {
        assert_eq!(normalize("/"), "/");
        assert_eq!(normalize("//"), "/");
        assert_eq!(normalize("/./"), "/");
        assert_eq!(normalize("/srv/.."), "/");
        assert_eq!(normalize("/usr/../etc/"), "/etc");
        assert_eq!(normalize("/var/www/.."), "/var");
        assert_eq!(normalize("/../.."), "/");
        assert_eq!(normalize("/etc/nginx/"), "/etc/nginx");
    }
}
