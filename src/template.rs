//! Configuration templates: files named for a template engine (`default.conf.template`, the
//! nginx image's envsubst templates; `.j2`, `.tpl`, `.erb`) whose placeholders are filled
//! before nginx reads the result. A finding on a placeholder (`listen ${NGINX_PORT};`, `host
//! not found in "${NGINX_PORT}"`) is what nginx would say of the file as written, which it
//! never reads: such findings are kept, as info, and say why (held-out batches 128, 134 and
//! 136 judged 46 of them debatable: Dify's, AetherSearch's and nginx-rtmp images' templates).
//! The blocking findings (a syntax error, an unread include) keep their severity: they still
//! mean the file could not be fully checked.
//!
//! One form of placeholder is a template's whatever the file's name: YunoHost's `__PORT__`,
//! `__PATH__` (every app package's `conf/nginx.conf`, filled by `ynh_add_nginx_config` before
//! nginx reads it; held-out batches 199, 205 and 206 judged 30 such errors debatable). An
//! nginx configuration has no use for `__NAME__` as written: nginx would refuse
//! `127.0.0.1:__PORT__`.

use crate::lint::BLOCKING_RULES;
use crate::rules::{Diagnostic, Label, Severity, Text};
use crate::semantics::Program;
use crate::semantics::include::PathMapping;
use std::path::Path;

/// Is `name` (a file name) a template's? A template's ending (`default.conf.template`,
/// `site.j2`), or a configuration's name that says it is one before its `.conf`
/// (`nginx.template.conf`, `nginx-template.conf`, `nginx.prod_template.conf`: Castopod's and
/// webtor's envsubst templates, held-out batch 470).
pub fn is_template_name(name: &str) -> bool {
    if crate::semantics::include::template_stem(name).is_some() {
        return true;
    }
    let Some(stem) = name
        .len()
        .checked_sub(".conf".len())
        .filter(|&cut| name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".conf"))
        .map(|cut| &name[..cut])
    else {
        return false;
    };
    ["template", "tmpl", "tpl"].iter().any(|word| {
        stem.len() > word.len()
            && stem.is_char_boundary(stem.len() - word.len())
            && stem[stem.len() - word.len()..].eq_ignore_ascii_case(word)
            && matches!(
                stem.as_bytes()[stem.len() - word.len() - 1],
                b'.' | b'-' | b'_'
            )
    })
}

/// The byte ranges of the placeholders in `line`: YunoHost's `__NAME__` (upper case), Home
/// Assistant add-ons' `%%name%%`, Magento images' `!NAME!` and an upper-case `${NAME}` (a
/// `sed`'s or envsubst's, [`upper_brace_placeholder`]) in any file; in a template's (`all`),
/// also `${NAME}` with an
/// upper-case name, with or without a default (envsubst's, envplate's `${NAME:-443}`; nginx's
/// own `${var}` is lower case by custom), envsubst's bare `$NAME` (upper case, no nginx
/// variable's name), a lower-case `${name}` no nginx variable has
/// (Terraform's), `{{ ... }}`, `{% ... %}`, `<% ... %>`, HestiaCP's `%name%` (and a
/// script's `%NAME%`), Python's
/// `%(name)s` and an installer's `@NAME@`.
fn placeholders(line: &[u8], all: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    let name_byte = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_';
    while i + 1 < line.len() {
        if &line[i..i + 2] == b"__" && (i == 0 || !(line[i - 1].is_ascii_alphanumeric())) {
            // `__PORT__`, `__INSTALL_DIR__`, `__PORT____PATH__` (two glued: one span).
            let mut j = i + 2;
            while j < line.len() && name_byte(line[j]) {
                j += 1;
            }
            let token = &line[i..j];
            if token.len() >= 5
                && token.ends_with(b"__")
                && token[2].is_ascii_uppercase()
                && (j == line.len() || !line[j].is_ascii_alphanumeric())
            {
                out.push((i, j));
                i = j;
                continue;
            }
            // A size unit glued on: YunoHost's `client_max_body_size __MAX_UPLOAD_SIZE__M;`
            // (held-out batch 359, rendered as `50M`).
            if let [name @ .., b'_', b'_', b'K' | b'M' | b'G'] = token
                && name.len() >= 3
                && token[2].is_ascii_uppercase()
                && (j == line.len() || !line[j].is_ascii_alphanumeric())
            {
                out.push((i, j - 1));
                i = j;
                continue;
            }
            i += 2;
            continue;
        }
        if line[i] == b'<'
            && let Some(end) = angle_placeholder(line, i)
        {
            out.push((i, end));
            i = end;
            continue;
        }
        if &line[i..i + 2] == b"%%" {
            // Home Assistant add-ons' `%%interface%%:%%port%%`, filled by `sed` in their
            // `cont-init.d` scripts whatever the file's name (held-out batch 282): nginx has
            // no use for `%%` around a name.
            let mut j = i + 2;
            while j < line.len() && (line[j].is_ascii_alphanumeric() || line[j] == b'_') {
                j += 1;
            }
            if j > i + 2 && line.get(j..j + 2) == Some(b"%%") {
                out.push((i, j + 2));
                i = j + 2;
                continue;
            }
            i += 2;
            continue;
        }
        if line[i] == b'!'
            && line[i + 1].is_ascii_uppercase()
            && (i == 0 || !line[i - 1].is_ascii_alphanumeric())
        {
            // Magento's Docker images' `!FPM_HOST!:!FPM_PORT!`, filled by their entrypoint's
            // `sed` whatever the file's name (held-out batch 422): nginx has no use for an
            // upper-case name between two `!`.
            let mut j = i + 1;
            while j < line.len() && name_byte(line[j]) {
                j += 1;
            }
            if j - i > 2 && line.get(j) == Some(&b'!') {
                out.push((i, j + 1));
                i = j + 1;
                continue;
            }
            i += 1;
            continue;
        }
        if line[i] == b'$'
            && line[i + 1] == b'{'
            && let Some(end) = upper_brace_placeholder(line, i)
        {
            out.push((i, end));
            i = end;
            continue;
        }
        if !all {
            i += 1;
            continue;
        }
        if line[i].is_ascii_uppercase() && (i == 0 || !is_word_byte(line[i - 1])) {
            // A bare upper-case name with `_` that a script replaces with `sed`: the CRS
            // image's `PROXY_SSL_CONFIG` and `HTTP3_CONFIG` alone on their lines (held-out
            // batch 362). nginx's names are lower case.
            let mut j = i;
            while j < line.len() && name_byte(line[j]) {
                j += 1;
            }
            let word = &line[i..j];
            if word.len() >= 4
                && word.contains(&b'_')
                && word.iter().filter(|b| b.is_ascii_uppercase()).count() >= 3
                && (j == line.len() || !is_word_byte(line[j]))
            {
                out.push((i, j));
            }
            i = j.max(i + 1);
            continue;
        }
        if line[i] == b'$' && line[i + 1].is_ascii_uppercase() {
            // envsubst's bare form, `$AIRBYTE_SERVER_HOST` (held-out batch 392: the nginx
            // image fills it as it fills `${NAME}`): an upper-case name no nginx variable has
            // (nginx reads variable names in any case: `$HOST` is `$host`).
            let mut j = i + 1;
            while j < line.len() && name_byte(line[j]) {
                j += 1;
            }
            let name = std::str::from_utf8(&line[i + 1..j]).unwrap_or_default();
            if name.len() >= 2
                && (j == line.len() || !line[j].is_ascii_alphanumeric())
                && !crate::semantics::variables::is_builtin(&name.to_ascii_lowercase())
            {
                out.push((i, j));
            }
            i = j;
            continue;
        }
        if line[i] == b'@' {
            // An installer's `@PROTOCOL@` (autoconf's form; Kaltura's `nginx_kaltura.conf.template`,
            // held-out batch 222). Upper case only: a named location is `@name`, with no `@`
            // after it.
            let mut j = i + 1;
            while j < line.len() && name_byte(line[j]) {
                j += 1;
            }
            if j > i + 1 && line[i + 1].is_ascii_uppercase() && line.get(j) == Some(&b'@') {
                out.push((i, j + 1));
                i = j + 1;
                continue;
            }
            i += 1;
            continue;
        }
        if line[i] == b'%' && line[i + 1] == b'(' {
            // Python's `%(name)s` (`%`-formatting: devpi's `nginx-devpi.conf.template`, which
            // `devpi-gen-config` fills, held-out batch 412), glued to what follows it as often
            // as not (`%(caching_location)stry_files`).
            let mut j = i + 2;
            while j < line.len() && (line[j].is_ascii_alphanumeric() || line[j] == b'_') {
                j += 1;
            }
            if j > i + 2
                && line.get(j) == Some(&b')')
                && line.get(j + 1).is_some_and(|c| b"sdirf".contains(c))
            {
                out.push((i, j + 2));
                i = j + 2;
                continue;
            }
            i += 1;
            continue;
        }
        if line[i] == b'%' {
            // HestiaCP's `%ip%:%web_port%`; a script's `%PORT%` (Ibexa's `vhost.template`,
            // filled by its `vhost.sh`: held-out batch 422), not a URL's `%C3%A9`.
            let mut j = i + 1;
            while j < line.len() && (line[j].is_ascii_alphanumeric() || line[j] == b'_') {
                j += 1;
            }
            let name = &line[i + 1..j];
            let lower = name.iter().all(|b| b.is_ascii_lowercase() || *b == b'_');
            let upper = name.len() >= 3
                && name.first().is_some_and(u8::is_ascii_uppercase)
                && name
                    .iter()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
                && name.iter().any(|b| *b == b'_' || (b'G'..=b'Z').contains(b));
            if j > i + 1 && (lower || upper) && line.get(j) == Some(&b'%') {
                out.push((i, j + 1));
                i = j + 1;
                continue;
            }
            i += 1;
            continue;
        }
        let close: &[u8] = match &line[i..i + 2] {
            b"${" => b"}",
            b"{{" => b"}}",
            b"{%" => b"%}",
            b"<%" => b"%>",
            _ => {
                i += 1;
                continue;
            }
        };
        let from = i + 2;
        let Some(len) = line[from..].windows(close.len()).position(|w| w == close) else {
            break;
        };
        let inner = &line[from..from + len];
        let end = from + len + close.len();
        let envsubst = close == b"}";
        // A shell's (and envplate's) default after the name: `${AM_EXTERNAL_PORT:-443}`
        // (held-out batch 296).
        let name = inner
            .iter()
            .position(|&b| b == b':' || b == b'-')
            .filter(|&at| matches!(&inner[at..], [b':', b'-' | b'=', ..] | [b'-', ..]))
            .map_or(inner, |at| &inner[..at]);
        let named = !envsubst
            || (!name.is_empty()
                && name.iter().any(u8::is_ascii_uppercase)
                && name
                    .iter()
                    .all(|&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'))
            // A lower-case name that is no nginx variable: Terraform's `templatefile` and
            // other engines write `${tileserver_container_port}` (held-out batch 315, a
            // `nginx.conf.tpl`: nginx would refuse the name, Terraform fills it in).
            || std::str::from_utf8(name).is_ok_and(|n| {
                !n.is_empty()
                    && n.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                    && !crate::semantics::variables::is_builtin(n)
            })
            // A dotted name, which no nginx variable has: Zimbra's `${mail.ssl.protocols}`
            // (held-out batch 424, filled by its configuration generator).
            || (name.contains(&b'.')
                && name.first().is_some_and(u8::is_ascii_alphabetic)
                && name
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.'));
        if named {
            out.push((i, end));
        }
        i = end;
    }
    out
}

/// The end of an upper-case `${NAME}` at `line[at]` (a shell's default allowed:
/// `${NAME:-443}`), a placeholder in any file: nginx's variables are lower case by custom and
/// read in any case, so `${VITE_API_BASE_URL}` is one nginx would refuse (`unknown
/// "vite_api_base_url" variable`) and a `sed` or envsubst fills before nginx reads the file
/// (held-out batch 418: Stirling-PDF's and DevLake's entrypoints, nine errors; batches 401 and
/// 408 before). An upper-case spelling of a built-in variable (`${HOST}`) is nginx's.
fn upper_brace_placeholder(line: &[u8], at: usize) -> Option<usize> {
    // Read as far as the name goes, and a default at most 256 bytes: a line of `${` without a
    // `}` (hostile input) would otherwise be read to its end once per `${`.
    let rest = line.get(at + 2..)?;
    let n = rest
        .iter()
        .position(|&b| !(b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'))
        .unwrap_or(rest.len());
    let name = &rest[..n];
    if n < 2
        || !name[0].is_ascii_uppercase()
        || crate::semantics::variables::is_builtin(
            &String::from_utf8_lossy(name).to_ascii_lowercase(),
        )
    {
        return None;
    }
    let close = match &rest[n..] {
        [b'}', ..] => n,
        [b':', b'-' | b'=', ..] | [b'-', ..] => {
            let d = rest[n..]
                .iter()
                .take(256)
                .position(|&b| b == b'}' || b == b'\n')?;
            if rest[n + d] != b'}' {
                return None;
            }
            n + d
        }
        _ => return None,
    };
    Some(at + 2 + close + 1)
}

/// Does `src` hold a `!NAME!` (Magento's images' placeholders, [`placeholders`])?
fn bang_placeholders(src: &[u8]) -> bool {
    memchr::memchr_iter(b'!', src).any(|at| {
        let rest = &src[at + 1..];
        let n = rest
            .iter()
            .position(|b| !(b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_'))
            .unwrap_or(rest.len());
        n > 1 && rest[0].is_ascii_uppercase() && rest.get(n) == Some(&b'!')
    })
}

/// Does `src` hold an upper-case `${NAME}` ([`upper_brace_placeholder`])?
fn upper_brace_placeholders(src: &[u8]) -> bool {
    // Each look reads a bounded run and stops at a line's end (no per-look search for it: a
    // line of thousands of `${` read to its end each time was quadratic).
    memchr::memmem::find_iter(src, b"${").any(|at| upper_brace_placeholder(src, at).is_some())
}

/// A byte of a word around a bare placeholder name: letters, digits, `_`, `-`, `.`, `$`, `/`.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'$' | b'/')
}

/// Does `text` hold a placeholder of any file's (YunoHost's `__PATH__`, an add-on's
/// `%%port%%`)? For a rule whose question a placeholder leaves open where its finding's span
/// does not touch it (a nested location's prefix under `location __PATH__/`).
pub fn holds_placeholder(text: &str) -> bool {
    !placeholders(text.as_bytes(), false).is_empty()
}

/// Does the span `[start, end)` of `src` touch a placeholder of its line (of a template's,
/// `all`, or any file's)?
fn on_placeholder(src: &[u8], start: usize, end: usize, all: bool) -> bool {
    if start > src.len() {
        return false;
    }
    let line_start = memchr::memrchr(b'\n', &src[..start]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr(b'\n', &src[start..]).map_or(src.len(), |i| start + i);
    let line = &src[line_start..line_end];
    let end = end.clamp(start, line_end.max(start));
    placeholders(line, all)
        .iter()
        .any(|&(a, b)| line_start + a < end.max(start + 1) && start < line_start + b)
}

/// The findings whose place is a placeholder of their file ([`placeholders`]: any form in a
/// template, YunoHost's in any file) made info (with a note), without a fix (ngxlint does not
/// rewrite a template's placeholders).
pub fn soften(
    program: &Program,
    templates: &[Placeholders],
    mut diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    if templates.iter().all(|&t| t == Placeholders::None) {
        return diagnostics;
    }
    let read_past_tags = program.files.iter().any(|f| !f.template_ranges.is_empty());
    // What a rule that checks a value says of a tag's stand-in (`listen __________;` for
    // `listen {{ port }};`, `unknown directive "_______"`) says nothing of the rendered file
    // (held-out batches 329 to 331 judged such findings false), nor what it says of a
    // template's placeholder (`listen ${PORT};` in a `default.conf.template`): the template's
    // engine fills it before nginx reads the file (held-out batches 385 to 394 judged
    // twenty-six such findings false, where they were info with a note). A placeholder of
    // another file (YunoHost's `__PORT__` in a `.conf`) may be one left in a deployed file,
    // which nginx refuses: info with the note, as before.
    let template_file =
        |d: &Diagnostic| templates.get(d.primary.file as usize) == Some(&Placeholders::All);
    diagnostics.retain(|d| {
        !(VALUE_RULES.contains(&d.rule.id)
            && ((read_past_tags && on_tag(program, d))
                || (template_file(d) && on_template_placeholder(program, templates, d))))
    });
    for d in &mut diagnostics {
        // A fix may not write into a template's tags or the branches read past (the masked
        // copy's bytes are not the file's).
        if read_past_tags && d.fix.as_ref().is_some_and(|f| touches_tags(program, f)) {
            d.fix = None;
        }
        if read_past_tags
            && d.severity > Severity::Info
            && !BLOCKING_RULES.contains(&d.rule.id)
            && let Some(block) = conditional_of(program, d)
        {
            d.severity = Severity::Info;
            d.fix = None;
            let note = format!(
                "this line of the template is inside a conditional block ({block}): whether \
                 nginx reads it depends on the values the template is rendered with (ngxlint \
                 reads its `else` branch, else its first)"
            );
            d.help = Some(match &d.help {
                Some(h) => format!("{}; {note}", h.as_str()).into(),
                None => note.into(),
            });
            continue;
        }
        // Another rule's finding on a line with a tag rests on what the tag renders (`location
        // {{ .Values.path }}` with an `alias`): info, as on a placeholder.
        if d.severity <= Severity::Info
            || !(on_template_placeholder(program, templates, d)
                || (read_past_tags
                    && !BLOCKING_RULES.contains(&d.rule.id)
                    && (on_tag(program, d) || head_has_tag(program, d))))
        {
            continue;
        }
        d.severity = Severity::Info;
        d.fix = None;
        let note = if template_file(d) || read_past_tags {
            "this file is a template: its placeholder is filled before nginx reads the file, \
             and this is what nginx would say of it as written"
        } else {
            // A file not named for a template: the placeholder may be one a deployment fills
            // (a `sed` or envsubst in its entrypoint, an installer), or one left in by mistake,
            // which nginx refuses.
            "this looks like a placeholder that a script or installer fills before nginx reads \
             the file, and this is what nginx would say of it as written (a template's name, \
             `*.template`, says so)"
        };
        d.help = Some(match &d.help {
            Some(h) => format!("{}; {note}", h.as_str()).into(),
            None => note.into(),
        });
    }
    diagnostics
}

/// The conditional block of a template read past its tags that a line of `d` (its own, or
/// one of its labels': the TLS `listen` of a server without a certificate) is inside, as the
/// template's language writes one: `{% if %}` (Jinja), `{{ if }}` (Go), `<% if %>` (ERB;
/// held-out batch 377: the note named Jinja's for a Capistrano template). `None` outside
/// every conditional block.
fn conditional_of(program: &Program, d: &Diagnostic) -> Option<&'static str> {
    std::iter::once((d.primary.file, d.primary.span))
        .chain(d.secondary.iter().map(|l| (l.file, l.span)))
        .find_map(|(file, at)| {
            let f = &program.files[file as usize];
            let r = f
                .template_conditionals
                .iter()
                .find(|r| r.contains(at.start))?;
            Some(match f.src.get(r.start as usize..r.start as usize + 2) {
                Some(b"{{") => "`{{ if }}`",
                Some(b"<%") => "`<% if %>`",
                _ => "`{% if %}`",
            })
        })
}

/// Does an edit of `fix` touch a template tag, or a branch read past, of the file it edits,
/// or write a tag's stand-in (a line copied from the masked text: `add_header X {{ v }}` read
/// as `add_header X _______`)? Tags are at least five bytes (`{{x}}`), so are their words.
fn touches_tags(program: &Program, fix: &crate::fix::Fix) -> bool {
    fix.edits.iter().any(|e| {
        let file = &program.files[e.file as usize];
        !file.template_ranges.is_empty()
            && (e.text.as_bytes().windows(5).any(|w| w == b"_____")
                || file
                    .template_ranges
                    .iter()
                    .any(|r| r.start <= e.span.end && e.span.start <= r.end))
    })
}

/// The rules that check a directive's name or values, or compare them: on a line whose value
/// is a template tag they check the tag's stand-in.
const VALUE_RULES: &[&str] = &[
    // Comparisons of values: two tags of one length have the same stand-in.
    "duplicate-directive",
    "duplicate-listen",
    "duplicate-log-format",
    "duplicate-location",
    "duplicate-map-key",
    "duplicate-upstream",
    "duplicate-value",
    "server-name-conflict",
    // A header's value that is a tag (`add_header Strict-Transport-Security "{{ .HSTS }}"`).
    "hsts-invalid",
    "invalid-address",
    "invalid-arguments",
    "invalid-buffer-sizes",
    "invalid-geo",
    "invalid-if-condition",
    "invalid-listen",
    "invalid-log-level",
    "invalid-parameter",
    "invalid-regex",
    "invalid-resolver",
    "invalid-root-alias",
    "invalid-server-name",
    "invalid-syslog",
    "invalid-variable",
    // A location's path compared with its parent's: a tag in either says nothing of the
    // rendered path (`location = {{ default "/-/nginx-ping" .Env.NGINX_PING_PATH }}` under
    // `location /-/`, held-out batch 402: three findings on stand-ins).
    "location-outside-parent",
    // A length measured on a tag's stand-in (`proxy_set_header {{ site.header | default(...)
    // }}`: a 90-byte header name, held-out batch 446; rendered, 27 bytes).
    "proxy-headers-hash",
    "server-names-hash",
    "undefined-variable",
    "unknown-directive",
    // A name that is a tag (`access_log ... {{ nginx.log_format }};`, held-out batch 362).
    "unknown-log-format",
    "value-out-of-range",
];

/// Does `d` stand on a template's tag: does a tag meet its line, from its primary span to
/// the line's end (`127.0.0.1:{{ port }}`; `location {{ .Values.path }} {`, where the finding
/// is on the name and the premise in the tag)?
fn on_tag(program: &Program, d: &Diagnostic) -> bool {
    line_has_tag(program, d.primary.file, d.primary.span.start)
}

/// Does a tag meet the head of the block `d`'s line is in (`location {{ .Values.path }} {`
/// above an `alias`)? Found in the text, so that every report format (the concise one builds
/// no labels) gives the same severity.
fn head_has_tag(program: &Program, d: &Diagnostic) -> bool {
    let file = &program.files[d.primary.file as usize];
    if file.template_ranges.is_empty() {
        return false;
    }
    let text = file.model_src();
    let mut depth = 0usize;
    let mut at = (d.primary.span.start as usize).min(text.len());
    while at > 0 {
        at -= 1;
        match text[at] {
            b'}' => depth += 1,
            b'{' if depth == 0 => {
                let line = memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1);
                return line_has_tag(program, d.primary.file, line as u32);
            }
            b'{' => depth -= 1,
            _ => {}
        }
    }
    false
}

/// Does a tag meet the line of file `file` from byte `at` to the line's end?
fn line_has_tag(program: &Program, file: crate::semantics::FileId, at: u32) -> bool {
    let file = &program.files[file as usize];
    let start = at as usize;
    let Some(rest) = file.src.get(start..) else {
        return false;
    };
    let end = start + memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    file.template_ranges
        .iter()
        .any(|r| (r.start as usize) < end.max(start + 1) && start < r.end as usize)
}

/// Other places of a template's finding on a placeholder shown as labels of its first.
const MOST_REPEATS_SHOWN: usize = 8;

/// Findings quote a template's masked copy, where a value tag stands as a word of `_`
/// (`alias _________________/public$1.php$2;` for `alias {{ moodle_base }}/public$1.php$2;`,
/// held-out batch 434): each such word in a finding's texts is put back as the file writes it.
/// A word is a tag's stand-in where it is a whole run of `_` as long as one of the file's
/// tags; of several such tags, the one nearest the finding.
pub fn unmask(program: &Program, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if program.files.iter().all(|f| f.template_ranges.is_empty()) {
        return diagnostics;
    }
    for d in &mut diagnostics {
        let file = &program.files[d.primary.file as usize];
        if file.template_ranges.is_empty() {
            continue;
        }
        let near = d.primary.span.start;
        let put_back =
            |t: &Text| -> Option<Text> { put_back_tags(file, near, t.as_str()).map(Text::from) };
        if let Some(t) = put_back(&d.message) {
            d.message = t;
        }
        if let Some(t) = d.help.as_ref().and_then(put_back) {
            d.help = Some(t);
        }
        if let Some(t) = put_back(&d.primary.text) {
            d.primary.text = t;
        }
        if d.secondary
            .iter()
            .any(|l| l.text.as_str().contains(STAND_IN_MIN))
        {
            let labels = std::mem::take(&mut d.secondary).into_vec();
            d.secondary = labels
                .into_iter()
                .map(|mut l| {
                    if let Some(t) = put_back(&l.text) {
                        l.text = t;
                    }
                    l
                })
                .collect::<Vec<_>>()
                .into();
        }
    }
    diagnostics
}

/// The shortest run of `_` read as a tag's stand-in: shorter ones are common in names.
const STAND_IN_MIN: &str = "____";

/// How many bytes on each side of a stand-in are compared with a tag's surroundings.
const CONTEXT: usize = 24;

/// How many of a file's tags on each side of a finding may be the one a stand-in in its text
/// is: a finding quotes its own line and the block heads above it.
const NEAREST_TAGS: usize = 64;

/// `text` with each run of `_` that stands for one of `file`'s tags replaced by the tag as
/// written (`None` where nothing changes).
fn put_back_tags(file: &crate::semantics::SourceFile, near: u32, text: &str) -> Option<String> {
    if !text.contains(STAND_IN_MIN) {
        return None;
    }
    let masked = file.model_src();
    let b = text.as_bytes();
    // Of the tags as long as the run, the one whose surroundings in the file the text quotes
    // most of (`location {{ prefix_url }}/media` and `alias {{ media_root }}` are both 16
    // bytes), then the nearest to the finding.
    // The tags around the finding only (the ranges are in the file's order): a template of
    // thousands of tags of one length, each with a finding, asked each of them about every
    // other.
    let at = file.template_ranges.partition_point(|r| r.start < near);
    let around = &file.template_ranges
        [at.saturating_sub(NEAREST_TAGS)..(at + NEAREST_TAGS).min(file.template_ranges.len())];
    let tag_for = |from: usize, to: usize| -> Option<&str> {
        let len = to - from;
        around
            .iter()
            .filter(|r| (r.end - r.start) as usize == len)
            .filter(|r| {
                masked[r.start as usize..r.end as usize]
                    .iter()
                    .all(|&b| b == b'_')
            })
            .max_by_key(|r| {
                let before = b[..from]
                    .iter()
                    .rev()
                    .zip(masked[..r.start as usize].iter().rev())
                    .take(CONTEXT)
                    .take_while(|(x, y)| x == y)
                    .count();
                let after = b[to..]
                    .iter()
                    .zip(&masked[r.end as usize..])
                    .take(CONTEXT)
                    .take_while(|(x, y)| x == y)
                    .count();
                (before + after, std::cmp::Reverse(r.start.abs_diff(near)))
            })
            .and_then(|r| std::str::from_utf8(&file.src[r.start as usize..r.end as usize]).ok())
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    let mut changed = false;
    while i < b.len() {
        if b[i] != b'_' {
            i += 1;
            continue;
        }
        let run_end = i + b[i..].iter().take_while(|&&c| c == b'_').count();
        if run_end - i >= STAND_IN_MIN.len()
            && let Some(tag) = tag_for(i, run_end)
        {
            out.push_str(&text[copied..i]);
            out.push_str(tag);
            copied = run_end;
            changed = true;
        }
        i = run_end;
    }
    if !changed {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// The findings on a template's placeholders that say the same thing (one rule, one message,
/// one file) folded into the first, the others its labels: an envsubst template's `${APP_HOST}`
/// used on seven lines is one `unknown "APP_HOST" variable` with six places, not seven
/// findings (held-out batch 143). Run after the suppressions, so that a comment silencing one
/// line still silences only that line.
pub fn fold(
    program: &Program,
    templates: &[Placeholders],
    diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    // No file that may hold a placeholder, most programs: no pass over the findings.
    if templates.iter().all(|&t| t == Placeholders::None) {
        return diagnostics;
    }
    // Each finding kept, with the places of those folded into it.
    let mut kept: Vec<(
        Diagnostic,
        Vec<(crate::semantics::FileId, crate::syntax::Span)>,
    )> = Vec::with_capacity(diagnostics.len());
    let mut first_of: std::collections::HashMap<(&str, crate::semantics::FileId, String), usize> =
        std::collections::HashMap::new();
    for d in diagnostics {
        if on_template_placeholder(program, templates, &d) {
            let key = (d.rule.id, d.primary.file, d.message.as_str().to_owned());
            if let Some(&i) = first_of.get(&key) {
                kept[i].1.push((d.primary.file, d.primary.span));
                continue;
            }
            first_of.insert(key, kept.len());
        }
        kept.push((d, Vec::new()));
    }
    kept.into_iter()
        .map(|(d, places)| {
            if places.is_empty() {
                d
            } else {
                d.labels(Label::repeats(
                    &places,
                    "the same placeholder here",
                    MOST_REPEATS_SHOWN,
                ))
            }
        })
        .collect()
}

/// Is `d` a finding, not a blocking one, whose place is a placeholder of its file
/// (`templates`: [`file_placeholders`])?
fn on_template_placeholder(program: &Program, templates: &[Placeholders], d: &Diagnostic) -> bool {
    let file = d.primary.file as usize;
    let all = match templates.get(file) {
        Some(Placeholders::All) => true,
        Some(Placeholders::Underscored) => false,
        _ => return false,
    };
    // In a file not named for a template, a header lost by inheritance is lost whatever a
    // placeholder in its `add_header` line stands for (held-out batch 408, Tactical RMM's
    // `add_header Access-Control-Allow-Origin https://${APP_HOST};`: two such errors judged
    // true, measured on the rendered file).
    if !all && d.rule.id == "inherited-headers-dropped" {
        return false;
    }
    !BLOCKING_RULES.contains(&d.rule.id)
        && on_placeholder(
            &program.files[file].src,
            d.primary.span.start as usize,
            d.primary.span.end as usize,
            all,
        )
}

/// The placeholders a file may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Placeholders {
    /// A template's (by its name): every form.
    All,
    /// Another file with a `__`, a `%%` or an upper-case `${NAME}` somewhere: YunoHost's
    /// `__NAME__`, Home Assistant add-ons' `%%name%%`, a documentation's `<YOUR_DOMAIN>` and
    /// the `${NAME}` a `sed` or envsubst fills ([`upper_brace_placeholder`]) only.
    Underscored,
    /// Another file without either: none (found with one pass of memchr's `memmem` over the
    /// file, about 0.15 M instructions at 1 MB, where finding each finding's line and looking
    /// in it cost 0.5 M over the 2,546 findings of the benchmark, issue #13).
    None,
}

/// For each file of `program`: the placeholders it may hold ([`Placeholders`]), for
/// [`soften`] and [`fold`]. `path_map` holds where the project's container files mount or
/// copy its files: a file put at a template's path (`./nginx-key.conf:/etc/nginx/
/// nginx.conf.template`, which the nginx image fills with envsubst) is a template whatever
/// its own name (held-out batch 394: SuperMQ's `nginx-key.conf`, sixteen findings on its
/// placeholders).
pub fn file_placeholders(program: &Program, path_map: &[PathMapping]) -> Vec<Placeholders> {
    program
        .files
        .iter()
        .map(|f| {
            let template = f
                .path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_template_name)
                || mounted_as_template(&f.path, path_map);
            // A file read past its template tags is a template whatever its name (Helm's
            // `files/nginx.conf`).
            if template || !f.template_ranges.is_empty() {
                Placeholders::All
            } else if memchr::memmem::find(&f.src, b"__").is_some()
                || double_percent(&f.src)
                || bang_placeholders(&f.src)
                || angle_placeholders(&f.src)
                || upper_brace_placeholders(&f.src)
            {
                Placeholders::Underscored
            } else {
                Placeholders::None
            }
        })
        .collect()
}

/// Do the container files put `path` at a template's path ([`file_placeholders`])?
fn mounted_as_template(path: &Path, path_map: &[PathMapping]) -> bool {
    if path_map.is_empty() {
        return false;
    }
    let Ok(abs) = std::path::absolute(path) else {
        return false;
    };
    path_map.iter().any(|m| {
        abs.strip_prefix(&m.to).is_ok_and(|rel| {
            let container = if rel.as_os_str().is_empty() {
                m.from.clone()
            } else {
                m.from.join(rel)
            };
            container
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_template_name)
        })
    })
}

/// The end of a documentation's placeholder at `line[i]`, a `<`: `<clusterIP FQDN:8001>`,
/// `<K8s DNS service IP>`, `<YOUR_DOMAIN>` (Triton's Kubernetes guide, held-out batch 357: a
/// reader fills them in). Words of letters, digits and `_-.:/` up to a `>` on the line, a
/// letter first, and a space or an upper-case letter in them, or a lower-case word that names
/// no HTML element (`<port>`, not `<html>`); not a regex's named group (`(?<name>`).
fn angle_placeholder(line: &[u8], i: usize) -> Option<usize> {
    if i > 0 && line[i - 1] == b'?' {
        return None;
    }
    let inner = &line[i + 1..];
    if !inner.first()?.is_ascii_alphabetic() {
        return None;
    }
    let len = inner.iter().position(|&b| {
        !(b.is_ascii_alphanumeric() || matches!(b, b' ' | b'_' | b'-' | b'.' | b':' | b'/'))
    })?;
    let words = &inner[..len];
    // A lower-case word too (`listen <port>;`, `proxy_pass http://<vpn-ip>:<port>/;` in a
    // README's file: held-out batch 442), unless it is an HTML element's name (`<head>` in a
    // `sub_filter`).
    if inner[len] != b'>' {
        return None;
    }
    // An XML document written on the line (`return 207 '<?xml ...?><a:multistatus
    // xmlns:a="DAV:">...<a:status>...'`, a WebDAV server's canned answer: held-out batch 473):
    // its elements are no placeholders. Only the candidate's own line is read.
    let start = memchr::memrchr(b'\n', &line[..i]).map_or(0, |p| p + 1);
    let end = memchr::memchr(b'\n', &line[i..]).map_or(line.len(), |p| i + p);
    let this_line = &line[start..end];
    if memchr::memmem::find(this_line, b"<?xml").is_some()
        || memchr::memmem::find(this_line, b"xmlns").is_some()
    {
        return None;
    }
    (words.iter().any(|&b| b == b' ' || b.is_ascii_uppercase()) || !HTML_ELEMENTS.contains(&words))
        .then_some(i + 1 + len + 1)
}

/// Names of HTML elements a configuration writes between `<` and `>` (`sub_filter '<head>'`,
/// `return 200 '<html>...'`): no placeholder.
const HTML_ELEMENTS: &[&[u8]] = &[
    b"a",
    b"b",
    b"i",
    b"p",
    b"u",
    b"abbr",
    b"article",
    b"aside",
    b"audio",
    b"base",
    b"body",
    b"br",
    b"button",
    b"canvas",
    b"center",
    b"code",
    b"div",
    b"em",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"header",
    b"hr",
    b"html",
    b"iframe",
    b"img",
    b"input",
    b"label",
    b"li",
    b"link",
    b"main",
    b"meta",
    b"nav",
    b"noscript",
    b"ol",
    b"option",
    b"pre",
    b"script",
    b"section",
    b"select",
    b"small",
    b"source",
    b"span",
    b"strong",
    b"style",
    b"sub",
    b"sup",
    b"table",
    b"tbody",
    b"td",
    b"textarea",
    b"th",
    b"title",
    b"tr",
    b"ul",
    b"video",
];

/// Does `src` hold a documentation's `<Placeholder>`?
fn angle_placeholders(src: &[u8]) -> bool {
    memchr::memchr_iter(b'<', src).any(|i| {
        let line_end = memchr::memchr(b'\n', &src[i..]).map_or(src.len(), |e| i + e);
        angle_placeholder(&src[..line_end], i).is_some()
    })
}

/// Does `src` hold a `%%`? Looked for by its `%`s (few in a configuration: memchr's one-byte
/// search, where a second two-byte `memmem` pass over a 1 MB file cost 0.22 M instructions,
/// issue #13).
fn double_percent(src: &[u8]) -> bool {
    memchr::memchr_iter(b'%', src).any(|i| src.get(i + 1) == Some(&b'%'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names() {
        assert!(is_template_name("default.conf.template"));
        assert!(is_template_name("nginx.conf.j2"));
        assert!(is_template_name("site.TPL"));
        assert!(!is_template_name("nginx.conf"));
        assert!(!is_template_name("templates"));
        assert!(is_template_name("nginx.template.conf"));
        assert!(is_template_name("nginx-template.conf"));
        assert!(is_template_name("nginx.prod_template.conf"));
        assert!(is_template_name("direct.gtpl"));
        // A word that ends in the name, and a directory of templates.
        assert!(!is_template_name("contemplate.conf"));
        assert!(!is_template_name("template.conf"));
    }

    #[test]
    fn placeholders_are_envsubst_names_and_engine_tags() {
        let p = |s: &str| placeholders(s.as_bytes(), true);
        assert_eq!(p("listen ${NGINX_PORT};"), vec![(7, 20)]);
        // With a default, as a shell or envplate fills it.
        assert_eq!(p("listen ${PORT:-443} ssl;"), vec![(7, 19)]);
        assert_eq!(p("return 200 ${host:-x};"), vec![]);
        // nginx's own `${var}` (lower case) is no placeholder.
        assert_eq!(p("return 200 ${host}x;"), vec![]);
        assert_eq!(p("server_name {{ domain }};"), vec![(12, 24)]);
        assert_eq!(p("root <%= @root %>;"), vec![(5, 17)]);
        assert_eq!(p("x ${UNCLOSED"), vec![]);
        assert_eq!(p("listen %ip%:%web_port%;"), vec![(7, 11), (12, 22)]);
        assert_eq!(p("listen %PORT%;"), vec![(7, 13)]);
        // A README's `<port>`, not an HTML element's `<head>`.
        assert_eq!(p("listen <port>;"), vec![(7, 13)]);
        assert_eq!(
            p("proxy_pass http://<vpn-ip>:<port>/;"),
            vec![(18, 26), (27, 33)]
        );
        assert_eq!(p("sub_filter '<head>' '<head><script>';"), vec![]);
        // An XML answer's namespaced elements.
        assert_eq!(
            p(
                "return 207 '<?xml version=\"1.0\"?><a:multistatus xmlns:a=\"DAV:\"><a:status>x</a:status>';"
            ),
            vec![]
        );
        assert_eq!(p("ssl_protocols ${mail.ssl.protocols};"), vec![(14, 35)]);
        assert_eq!(p("location /caf%C3%A9%2F { }"), vec![]);
        // Magento's `!NAME!`, in any file; not `!-f`, not a `!` alone.
        assert_eq!(
            placeholders(b"server !FPM_HOST!:!FPM_PORT!;", false),
            vec![(7, 17), (18, 28)]
        );
        assert_eq!(
            placeholders(b"if (!-f $x) { return 404 \"!A!\"; }", false),
            vec![]
        );
        // Python's `%`-formatting, glued to a directive's name or not; `%(x` unclosed is none.
        assert_eq!(p("%(caching_location)stry_files $uri;"), vec![(0, 20)]);
        assert_eq!(p("listen %(outside_port)s;"), vec![(7, 23)]);
        assert_eq!(p("return 200 '%(x';"), vec![]);
        assert_eq!(p("proxy_pass @PROTOCOL@://x;"), vec![(11, 21)]);
        // A named location, or an `@` in a value, is none.
        assert_eq!(p("try_files $uri @fallback; return 200 a@B;"), vec![]);
        assert_eq!(p("error_page 404 @NotFound;"), vec![]);
        // YunoHost's, in any file.
        let any = |s: &str| placeholders(s.as_bytes(), false);
        assert_eq!(
            any("proxy_pass http://127.0.0.1:__PORT____PATH__/;"),
            vec![(28, 44)]
        );
        assert_eq!(any("alias __INSTALL_DIR__/www/;"), vec![(6, 21)]);
        // Not a name of upper case, not a word's inside, and no other form outside templates.
        assert_eq!(any("return 200 __x__ a__B__ ____;"), vec![]);
        // An upper-case `${NAME}` in any file (a `sed` or envsubst fills it; nginx's own
        // variables are lower case, and an upper-case built-in is nginx's).
        assert_eq!(any("listen ${NGINX_PORT};"), vec![(7, 20)]);
        assert_eq!(any("listen ${PORT:-443} ssl;"), vec![(7, 19)]);
        assert_eq!(any("return 200 ${HOST}${host}${lower_x};"), vec![]);
        assert_eq!(any("listen ${NGINX_PORT;"), vec![]);
        // Home Assistant add-ons', in any file; not a lone `%%` nor an empty name.
        assert_eq!(
            any("listen %%interface%%:%%port%% default_server;"),
            vec![(7, 20), (21, 29)]
        );
        assert_eq!(any("return 200 \"100%% %%%% %%x y%%\";"), vec![]);
    }

    #[test]
    fn a_span_on_or_inside_a_placeholder_touches_it() {
        let src = b"server {\n    listen ${NGINX_PORT};\n}\n";
        let at = |s: &str| {
            let i = src
                .windows(s.len())
                .position(|w| w == s.as_bytes())
                .unwrap();
            (i, i + s.len())
        };
        let (a, b) = at("${NGINX_PORT}");
        assert!(on_placeholder(src, a, b, true));
        let (a, b) = at("NGINX_PORT");
        assert!(on_placeholder(src, a, b, true));
        let (a, b) = at("listen");
        assert!(!on_placeholder(src, a, b, true));
        // The whole directive holds it.
        let (a, _) = at("listen");
        let (_, b) = at("};");
        assert!(on_placeholder(src, a, b, true));
    }
}
