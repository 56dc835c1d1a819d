//! `alias-traversal`: `alias` in a location whose match can end inside a path segment, so the
//! rest of the URI (`..`, or a sibling's name) is appended after the alias: `location /files`
//! with `alias /srv/data/` serves `/files../secret` from `/srv/data/../secret`.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::access::{answers_without_files, has_own_handler, is_internal};
use crate::semantics::location::{Modifier, location_match};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::regex::{Node, Regex};
use crate::semantics::script::{Part, parts};
use foldhash::HashMap;

pub static RULE: Rule = Rule {
    id: "alias-traversal",
    summary: "`alias` in a location that does not end at a `/` lets `..` or a sibling's name \
              through (path traversal)",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/alias-traversal.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Per location: does it read nothing a client can ask below its alias? Once per location
    // (a location of thousands of `alias` and `fastcgi_param` lines read every parameter again
    // for each alias).
    let mut reads_nothing: HashMap<NodeId, bool> = HashMap::default();
    // Per server: what its other file locations serve to anyone, asked once.
    let mut public: HashMap<NodeId, Vec<Served>> = HashMap::default();
    let mut unreachable = super::location_unreachable::Reported::default();
    // Per block: the paths of its exact locations, read once (a server of thousands of
    // aliased prefixes read all its locations again for each).
    let mut exact_paths: HashMap<NodeId, foldhash::HashSet<String>> = HashMap::default();
    for &a in model.directives_named("alias") {
        // nginx uses the alias of the innermost location.
        let Some(loc) = model.enclosing(a, "location") else {
            continue;
        };
        let Some((modifier, path)) = location_match(model, loc) else {
            continue;
        };
        let Some(alias) = model.arg(a, 0) else {
            continue;
        };
        // Clients cannot ask an internal location; one that proxies or returns reads nothing
        // below its alias.
        if *reads_nothing.entry(loc).or_insert_with(|| {
            is_internal(model, loc)
                || answers_without_files(model, loc)
                || tries_fixed_files(model, loc)
                // A location no request reaches (an earlier regex takes its URIs:
                // `location-unreachable`'s finding; held-out batch 285, TACC's Core-Portal,
                // measured: `/core/media_x` went to the backend).
                || unreachable.contains(model, loc)
        }) {
            continue;
        }
        // An alias naming a PHP script in a location that passes to FastCGI: PHP-FPM runs the
        // script (the longest existing file of `SCRIPT_FILENAME`, the rest its path info), and
        // nginx reads no file below the alias (held-out batch 456, Z-Push's and grommunio's
        // packaged recipes, `alias /usr/share/z-push/index.php`: measured, `_old/x` and `../x`
        // ran `index.php`; the suggested `/` answered ActiveSync's POST with 301; batch 397's
        // grommunio-sync and Kolab the same).
        if names_php_script(&alias)
            && !model
                .children_named_slice(Some(loc), "fastcgi_pass")
                .is_empty()
        {
            continue;
        }
        let node = model.node(a);
        let lnode = model.node(loc);
        if modifier.is_prefix() {
            if path.ends_with('/') || alias.contains('$') || ends_in_bare_placeholder(&path) {
                continue;
            }
            let traversal = alias.ends_with('/');
            // The sibling names the missing slash lets through are public already where
            // another location of the server serves the directory they are in. So are the
            // files a traversal reaches: `{path}../x` is `x` in the alias's parent directory
            // (nginx folds `/../` before it matches, so one level up and no further), public
            // where another location serves that directory (held-out batch 164, Twake's
            // `location /.well-known { alias .../build/.well-known/; }` beside `location / {
            // alias .../build/; }`: `/.well-known../secret.txt` and `/secret.txt` were the same
            // file, measured).
            let reached = if traversal {
                alias
                    .trim_end_matches('/')
                    .rsplit_once('/')
                    .map(|(parent, _)| [parent, "/"].concat())
            } else {
                Some(alias.clone())
            };
            if let Some(reached) = reached
                && let Some(server) = model.enclosing(loc, "server")
                && servers_to_ask(model, server).into_iter().any(|srv| {
                    public
                        .entry(srv)
                        .or_insert_with(|| served_in(model, srv))
                        .iter()
                        .any(|s| {
                            s.location != loc
                                && if traversal {
                                    s.holds_directory(&reached, lists(model, loc))
                                } else {
                                    s.covers(&reached, lists(model, loc))
                                }
                        })
                })
            {
                continue;
            }
            // A prefix that names one file, aliased to that file (`location ^~ /sad.svg {
            // alias /srv/errors/sad.svg; }`): what else it serves are the names that start
            // with the file's (`sad.svg.bak`, `sad.svg_old/`), and an exact location is the
            // fix; a `/` at the end would lose the file itself (held-out batch 113, measured).
            if !traversal && one_file(&path, &alias) {
                out.push(one_file_finding(model, loc, a, &path, &alias));
                continue;
            }
            let message = if traversal {
                format!(
                    "`location {path}` with `alias {alias}`: a request for `{path}../x` is \
                     served from `{alias}../x`, outside the aliased directory (path traversal)"
                )
            } else {
                format!(
                    "`location {path}` with `alias {alias}`: `{path}<anything>` is served from \
                     `{alias}<anything>`, so `{path}_old/` reads the sibling `{alias}_old/`"
                )
            };
            let mut diag = Diagnostic::at_node(&RULE, model, a, message)
                .severity(if traversal {
                    Severity::Error
                } else {
                    Severity::Warning
                })
                .label(Label::at_node(
                    model,
                    loc,
                    "the prefix does not end with `/`",
                ))
                .help(
                    "end the location prefix with `/` (and the alias with `/`), so the part \
                     nginx appends always starts a new path segment",
                );
            diag.primary.text = "appended to the rest of the URI".into();
            let n = model.arg_count(loc);
            if let (Some(lspan), Some(aspan)) = (
                style::arg_span(lnode.directive, n - 1),
                style::arg_span(node.directive, 0),
            ) {
                let mut edits = vec![Edit::insert(
                    model.file_of(loc),
                    value_end(model.src(loc), lspan),
                    "/",
                )];
                if !traversal {
                    edits.push(Edit::insert(
                        model.file_of(a),
                        value_end(model.src(a), aspan),
                        "/",
                    ));
                }
                // The bare prefix keeps an answer: nginx redirected `/admin` to `/admin/` (the
                // aliased directory's own redirect) or served the directory's index there;
                // without this line it falls to another location (held-out batch 416,
                // Synapse's `location /admin` for synapse-admin: measured, 404 after the
                // fix).
                let bare = bare_prefix_redirect(model, loc, &path, &mut exact_paths);
                if let Some(edit) = &bare {
                    edits.insert(0, edit.clone());
                }
                let title = if bare.is_some() {
                    format!(
                        "End the location prefix with `/` (`{path}/`) and redirect `{path}` there"
                    )
                } else {
                    format!("End the location prefix with `/` (`{path}/`)")
                };
                diag = diag.fix(Fix::unsafe_(title, edits));
            }
            out.push(diag);
        } else if modifier.is_regex() {
            let Some(re) = Regex::parse(&path, modifier == Modifier::RegexCaseless) else {
                continue;
            };
            if let Some((severity, why)) = regex_traversal(&re, &path, &alias) {
                let mut diag = Diagnostic::at_node(
                    &RULE,
                    model,
                    a,
                    format!(
                        "`{}` with `alias {alias}`: {why}",
                        model.describe_block(Some(loc))
                    ),
                )
                .severity(severity)
                .label(Label::at_node(model, loc, "the capture is taken here"))
                .help(
                    "put a `/` right before the capture in the location regex and right before \
                     the variable in the alias (`location ~ ^/img/(.*)$` + `alias /srv/img/$1`), \
                     or exclude dots from the capture",
                );
                diag.primary.text = "capture appended here".into();
                out.push(diag);
            }
        }
    }
    out
}

/// Does `alias` name a PHP script (`/usr/share/z-push/index.php`)?
fn names_php_script(alias: &str) -> bool {
    alias
        .rsplit('/')
        .next()
        .is_some_and(|name| name.len() > 4 && name.to_ascii_lowercase().ends_with(".php"))
}

/// What a file location serves to every client: the paths that start with `prefix`
/// (`alias /srv/app/static` serves `/srv/app/static<anything>`; `root /srv/app` in `location
/// /static` serves `/srv/app/static<anything>`).
struct Served {
    location: NodeId,
    prefix: String,
    /// It lists directories (`autoindex on`).
    lists: bool,
}

impl Served {
    /// Is every path `alias<anything>` served here (and listed, where `listed` asks)? Only
    /// where `alias` lies inside the directory served: another location with the same alias
    /// and the same missing slash serves the same siblings, and is no reason to say nothing
    /// of either (Icinga's `/stylesheets` and `/icinga/stylesheets`, both `alias
    /// /etc/icinga/stylesheets`).
    fn covers(&self, alias: &str, listed: bool) -> bool {
        let inside = alias.strip_prefix(&self.prefix).is_some_and(|rest| {
            (self.prefix.ends_with('/') && !rest.is_empty()) || rest.starts_with('/')
        });
        inside && (self.lists || !listed)
    }

    /// Is every file below directory `dir` (ending with `/`) served here (and listed, where
    /// `listed` asks): `dir` is the directory served or lies inside it?
    fn holds_directory(&self, dir: &str, listed: bool) -> bool {
        let served = self.prefix.trim_end_matches('/');
        let inside = dir
            .strip_prefix(served)
            .is_some_and(|rest| rest.starts_with('/'));
        inside && (self.lists || !listed)
    }
}

/// The servers whose file locations may publish what `server`'s alias reaches: `server`
/// itself, then the other servers of its file open to anyone (no `allow`/`deny` or login of
/// their own): a client picks the server with its `Host` (held-out batch 314, Pterodactyl's
/// port-80 `location ^~ /.well-known` beside the 443 server whose `root` holds the same
/// directory: `/.well-known_old/x` answered over HTTPS all the same).
fn servers_to_ask(model: &Model<'_>, server: NodeId) -> Vec<NodeId> {
    let file = model.file_of(server);
    let parent = model.node(server).parent();
    let mut out = vec![server];
    out.extend(
        model
            .children_named_slice(parent, "server")
            .iter()
            .copied()
            .filter(|&s| {
                s != server
                    && model.file_of(s) == file
                    && crate::semantics::access::own_restriction(model, s).is_none()
            })
            .take(MOST_SERVERS),
    );
    out
}

/// How many other servers of a file are asked.
const MOST_SERVERS: usize = 8;

/// How many of a server's open file locations are asked.
const MOST_SERVED: usize = 64;

/// Does `loc` answer every request with files it names itself: a `try_files` of its own whose
/// arguments hold no variable (`try_files index.html =404;`), and no nested location? The
/// request's path then never reaches the file system below the alias (held-out batch 263,
/// measured: `/register../secret.txt` got the alias's `index.html`, never the parent's file).
fn tries_fixed_files(model: &Model<'_>, loc: NodeId) -> bool {
    let tries = model.children_named_slice(Some(loc), "try_files");
    !tries.is_empty()
        && model.children_named_slice(Some(loc), "location").is_empty()
        && tries.iter().all(|&t| {
            (0..model.arg_count(t)).all(|i| model.arg_str(t, i).is_some_and(|a| !a.contains('$')))
        })
}

/// The prefix locations of `server` (and those nested in them) that serve files to anyone,
/// with what they serve: `location /static { alias /srv/app/static; }` beside `location
/// /static/admin { alias /srv/app/static/admin; }` or `location /favicon.ico { alias
/// /srv/app/static/ico/favicon.ico; }` (held-out batch 124, measured: `/favicon.ico.bak` and
/// `/static/ico/favicon.ico.bak` are the same file, with or without the prefix location).
fn served_in(model: &Model<'_>, server: NodeId) -> Vec<Served> {
    let mut out = Vec::new();
    let mut stack: Vec<NodeId> = model
        .children_named_slice(Some(server), "location")
        .iter()
        .rev()
        .copied()
        .collect();
    while let Some(l) = stack.pop() {
        if out.len() >= MOST_SERVED {
            break;
        }
        stack.extend(model.children_named_slice(Some(l), "location").iter().rev());
        let Some((modifier, path)) = location_match(model, l) else {
            continue;
        };
        // A location with a handler of its own serves no file as it is, even what its
        // `try_files` finds: iRedAdmin's `location / { root /var/www/iredadmin/; uwsgi_pass
        // ...; }` publishes none of its application's code.
        if !modifier.is_prefix()
            || is_internal(model, l)
            || answers_without_files(model, l)
            || has_own_handler(model, l)
        {
            continue;
        }
        // Open as the server is: no `deny` or login of its own, nor of a location around it
        // (what the server itself restricts, it restricts for both locations).
        if restricts_below(model, l, server) {
            continue;
        }
        let prefix = match model.children_named_slice(Some(l), "alias").first() {
            Some(&a) => model.arg(a, 0).unwrap_or_default(),
            None => {
                let root = model.effective(Some(l), "root");
                let Some(&r) = root.nodes.first() else {
                    continue; // nginx's default `html`: no path the alias names
                };
                let root = model.arg(r, 0).unwrap_or_default();
                [root.trim_end_matches('/'), &path].concat()
            }
        };
        if prefix.is_empty() || prefix.contains('$') || !prefix.starts_with('/') {
            continue;
        }
        out.push(Served {
            location: l,
            prefix,
            lists: lists(model, l),
        });
    }
    out
}

/// A restriction of its own ([`crate::semantics::access::own_restriction`]: a `deny`, or a
/// login not `off`) in location `l` or a location around it, below `server`.
fn restricts_below(model: &Model<'_>, l: NodeId, server: NodeId) -> bool {
    let mut at = Some(l);
    while let Some(level) = at.filter(|&n| n != server) {
        if crate::semantics::access::own_restriction(model, level).is_some() {
            return true;
        }
        at = model.node(level).parent();
    }
    false
}

/// `autoindex on` in effect in location `l`.
fn lists(model: &Model<'_>, l: NodeId) -> bool {
    let eff = model.effective(Some(l), "autoindex");
    model.effective_value(&eff) == "on"
}

/// Does `alias` name one file, the one the location's last segment names (`/sad.svg` and
/// `/srv/errors/sad.svg`: a name with an extension)? A leading dot is no extension:
/// `.well-known` is the ACME webroot's directory (held-out batch 314: `location ^~
/// /.well-known` aliased to it answered the challenges; an exact location would not).
fn one_file(path: &str, alias: &str) -> bool {
    let last = |p: &str| p.rsplit('/').next().unwrap_or_default().to_owned();
    let name = last(path);
    let stem = name.trim_start_matches('.');
    (stem.len() > 2 && stem.contains('.') && !stem.ends_with('.') && name == last(alias))
        || names_document(&last(alias))
        // A well-known URI names one document, extension or not (`location
        // /.well-known/matrix/client { alias /srv/wk/client; }`, held-out batch 487: measured,
        // `client../server` 404, and the suggested `/` made the document itself 404).
        || (path.starts_with("/.well-known/") && !name.is_empty() && name == last(alias))
}

/// Is `name` (an alias's last segment) a document's, by its extension: a page, a text, an
/// image, a script? An alias to one (`location /admin { alias /opt/app/admin.html; }`,
/// held-out batch 415: InsideLLM's portal pages) serves that file at the prefix, and the fix
/// that ends both with `/` reads `admin.html/index.html`, not a directory (measured 404 and
/// 500): the exact location is the fix.
fn names_document(name: &str) -> bool {
    const DOCUMENTS: &[&str] = &[
        "html",
        "htm",
        "txt",
        "json",
        "xml",
        "svg",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "ico",
        "webp",
        "css",
        "js",
        "pdf",
        "webmanifest",
        "md",
        "yaml",
        "yml",
        "wasm",
        "map",
    ];
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && DOCUMENTS.iter().any(|d| ext.eq_ignore_ascii_case(d))
    })
}

/// The finding for a prefix location aliased to one file: info, fixed by making it exact.
fn one_file_finding(
    model: &Model<'_>,
    loc: NodeId,
    a: NodeId,
    path: &str,
    alias: &str,
) -> Diagnostic {
    let mut diag = Diagnostic::at_node(
        &RULE,
        model,
        a,
        format!(
            "`location {path}` serves one file (`alias {alias}`), but as a prefix it also serves \
             `{path}<anything>` from `{alias}<anything>`: every file or directory beside it whose \
             name starts with its name (`{alias}.bak`, `{alias}_old/`)"
        ),
    )
    .severity(Severity::Info)
    .label(Label::at_node(model, loc, "a prefix, not an exact match"))
    .help(format!(
        "make it an exact location (`location = {path}`): it serves the file and nothing else"
    ));
    diag.primary.text = "appended to the rest of the URI".into();
    let lnode = model.node(loc);
    let n = model.arg_count(loc);
    let file = model.file_of(loc);
    let edit = if n == 2 {
        style::arg_span(lnode.directive, 0).map(|m| Edit::replace(file, m, "="))
    } else {
        style::arg_span(lnode.directive, 0).map(|p| Edit::insert(file, p.start, "= "))
    };
    if let Some(edit) = edit {
        diag = diag.fix(Fix::unsafe_(
            format!("Make `location {path}` exact (`location = {path}`)"),
            vec![edit],
        ));
    }
    diag
}

/// An edit adding `location = {path} { return 301 {path}/$is_args$args; }` on its own line
/// before `loc`, at its indentation: what nginx answered for the bare prefix before the fix
/// (its redirect of a directory's name, query kept). None where the server has an exact
/// location for it already, the prefix needs quoting, or `loc` shares its line.
fn bare_prefix_redirect(
    model: &Model<'_>,
    loc: NodeId,
    path: &str,
    exact_paths: &mut HashMap<NodeId, foldhash::HashSet<String>>,
) -> Option<Edit> {
    if path.is_empty()
        || path
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b"\"';{}$#".contains(&b))
    {
        return None;
    }
    let parent = model.node(loc).parent()?;
    let exact = exact_paths.entry(parent).or_insert_with(|| {
        model
            .children_named_slice(Some(parent), "location")
            .iter()
            .filter_map(|&sib| location_match(model, sib))
            .filter(|(m, _)| *m == Modifier::Exact)
            .map(|(_, p)| p)
            .collect()
    });
    if exact.contains(path) {
        return None;
    }
    let file = model.file_of(loc);
    let src = model.src(loc);
    let at = model.node(loc).directive.span().start;
    let indent = style::indent_at(src, at)?;
    let eol = style::line_ending(src);
    Some(Edit::insert(
        file,
        at,
        format!("location = {path} {{ return 301 {path}/$is_args$args; }}{eol}{indent}"),
    ))
}

/// The end of an argument's value, before a closing quote if it is quoted.
fn value_end(src: &[u8], span: crate::syntax::Span) -> u32 {
    match src.get(span.end as usize - 1) {
        Some(b'"') | Some(b'\'') if span.end - span.start >= 2 => span.end - 1,
        _ => span.end,
    }
}

/// gixy's `alias_traversal` condition for regex locations: a capture spliced into the alias
/// without a `/` boundary on both sides.
fn regex_traversal(re: &Regex, pattern: &str, alias: &str) -> Option<(Severity, String)> {
    let ps = parts(alias);
    let mut prev: Option<&Part> = None;
    for part in &ps {
        let n = match part {
            Part::Capture(n) => Some(*n),
            Part::Var(name) => re.group_named(name),
            Part::Lit(_) => None,
        };
        let Some(cap) = n.and_then(|n| re.group(n)) else {
            prev = Some(part);
            continue;
        };
        let node = &cap.node;
        // A capture at the very start of the regex starts where the URI does (the leftmost
        // match), and a URI starts with `/`.
        let at_start = matches!(&pattern[..cap.start], "" | "^");
        let loc_slash = pattern[..cap.start].ends_with('/')
            || node.must_start_with(b'/')
            || (at_start && node.can_start_with(b'/'));
        let alias_slash = matches!(prev, Some(Part::Lit(l)) if l.ends_with('/'));
        // A capture that can hold neither `.` nor `/` (`([0-9a-f]+)`) only completes a name of
        // the shape the regex allows: it cannot climb, and the siblings it can name are the
        // ones the author's pattern admits (Overleaf's `output/$1-$2/content/$3`, hex ids).
        // Nor does one of no repetition that cannot start with `.` or `/`
        // (`(?<suffix>min.js|js)`): it completes the name with one of the shapes the author
        // listed, each of fixed length, and a `..` segment inside it would have been folded
        // out of the URI before the match (held-out batch 478, Talkyard's script aliases:
        // measured, `.bak`, `..bak` and `/../` requests never reached the files).
        let confined = (!node.can_contain(b'.') && !node.can_contain(b'/'))
            || (!repeats(node) && !node.can_start_with(b'.') && !node.can_start_with(b'/'));
        let var = match part {
            Part::Capture(n) => format!("${n}"),
            Part::Var(v) => format!("${v}"),
            Part::Lit(_) => unreachable!(),
        };
        if prev.is_none() {
            return Some((
                Severity::Error,
                format!(
                    "the alias starts with the capture `{var}`, so the client chooses the path"
                ),
            ));
        }
        if !loc_slash {
            if alias_slash {
                if node.can_start_with(b'.') {
                    return Some((
                        Severity::Error,
                        format!(
                            "`{var}` can start with `..` (nothing before it in the regex is a \
                             `/`), and the alias puts it after a `/`: a request can climb out \
                             of the directory"
                        ),
                    ));
                }
            } else if !confined {
                return Some((
                    Severity::Warning,
                    format!(
                        "neither the regex nor the alias has a `/` before `{var}`, so the \
                         request can name siblings of the aliased directory"
                    ),
                ));
            }
        } else if !alias_slash && !node.must_start_with(b'/') && !confined {
            return Some((
                Severity::Warning,
                format!(
                    "the alias has no `/` before `{var}`, so the request can name siblings of \
                     the aliased directory"
                ),
            ));
        }
        prev = Some(part);
    }
    None
}

/// Does `node` hold a repetition (`*`, `+`, `?`, `{m,n}`): can its matches grow beyond the
/// fixed lengths of its branches?
fn repeats(node: &Node) -> bool {
    match node {
        Node::Repeat { .. } => true,
        Node::Seq(v) | Node::Alt(v) => v.iter().any(repeats),
        Node::Group { node, .. } => repeats(node),
        Node::Set(_) | Node::Empty | Node::Start | Node::End => false,
    }
}

/// Does a prefix without its leading `/` end in a bare upper-case word, a script's placeholder
/// (linuxserver's `location SUBFOLDER`, which its start script replaces with a path that ends
/// in `/`: held-out batch 298, measured safe once rendered)? Whether the prefix ends with a
/// slash is then the value's to say. `SUBFOLDERfiles` still ends as written.
fn ends_in_bare_placeholder(path: &str) -> bool {
    if path.starts_with('/') {
        return false;
    }
    let word = path
        .bytes()
        .rev()
        .take_while(|&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        .count();
    word >= 3
        && path.as_bytes()[path.len() - word..]
            .first()
            .is_some_and(u8::is_ascii_uppercase)
}
