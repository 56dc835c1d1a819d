//! `ngxlint parse --format crossplane`: the JSON of `crossplane parse` (nginxinc/crossplane 0.5.8).
//!
//! Same shape, key order and string escaping (compact separators, ASCII-only strings), so
//! scripts written for crossplane keep working. Where crossplane disagrees with nginx, we follow
//! nginx (documented in the README):
//! - argument values are nginx's (`\\` → `\`, `\t` → TAB outside quotes; crossplane keeps them);
//! - tokenizer errors use nginx's wording and every independent error is listed, and a file
//!   with errors still shows what could be parsed (crossplane stops at the first and prints
//!   `"parsed": []`);
//! - `errors` holds syntax and include errors only (no context or argument-count checks).

use crate::semantics::grammar::all_syntax_errors;
use crate::semantics::{Context, FileId, Program};
use crate::syntax::{Directive, Element, End, TokenKind};

use super::json_text::push_str_ascii;

#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub include_comments: bool,
    pub single_file: bool,
    /// `None`: compact (`,` and `:`), as crossplane's default.
    pub indent: Option<usize>,
}

/// One error, located.
struct FileError {
    message: String,
    line: u32,
}

/// Render the whole program. Returns the JSON text (with a final newline) and whether any
/// error was found.
pub fn render(program: &Program, opts: Options) -> (String, bool) {
    let contexts = program.file_contexts();
    let mut per_file: Vec<Vec<FileError>> = Vec::with_capacity(program.files.len());
    let mut dropped: Vec<Vec<u32>> = Vec::with_capacity(program.files.len());
    for (i, file) in program.files.iter().enumerate() {
        let ctx = contexts[i].unwrap_or(Context::Main);
        let errors = all_syntax_errors(file, ctx);
        // crossplane drops a statement its analyzer rejects (not terminated / no opening).
        dropped.push(
            errors
                .iter()
                .filter_map(|e| match e.kind {
                    crate::syntax::SyntaxErrorKind::NotTerminated(_)
                    | crate::syntax::SyntaxErrorKind::NoOpeningBrace(_) => {
                        e.related.map(|(s, _)| s.start)
                    }
                    _ => None,
                })
                .collect(),
        );
        per_file.push(
            errors
                .iter()
                .map(|e| FileError {
                    message: e.kind.message(),
                    line: file.lines().line(e.span.start),
                })
                .collect(),
        );
    }
    for e in &program.include_errors {
        let file = program.file(e.file);
        per_file[e.file as usize].push(FileError {
            message: e.message(program),
            line: file.lines().line(e.span.start),
        });
    }
    for errs in &mut per_file {
        errs.sort_by_key(|e| e.line);
    }

    let mut w = Writer {
        out: String::new(),
        indent: opts.indent,
        level: 0,
        pending_empty: false,
    };
    let failed = per_file.iter().any(|e| !e.is_empty());
    w.open('{');
    w.key("status");
    w.string(if failed { "failed" } else { "ok" });
    w.comma();
    w.key("errors");
    w.open('[');
    let mut first = true;
    for (i, errs) in per_file.iter().enumerate() {
        let path = display(program, i as FileId);
        for e in errs {
            if !first {
                w.comma();
            }
            first = false;
            w.open('{');
            w.key("file");
            w.string(&path);
            w.comma();
            w.key("error");
            w.string(&format!("{} in {}:{}", e.message, path, e.line));
            w.comma();
            w.key("line");
            w.number(e.line);
            w.close('}');
        }
    }
    w.close(']');
    w.comma();
    w.key("config");
    w.open('[');
    for (i, errs) in per_file.iter().enumerate() {
        if i > 0 {
            w.comma();
        }
        let path = display(program, i as FileId);
        w.open('{');
        w.key("file");
        w.string(&path);
        w.comma();
        w.key("status");
        w.string(if errs.is_empty() { "ok" } else { "failed" });
        w.comma();
        w.key("errors");
        w.open('[');
        for (j, e) in errs.iter().enumerate() {
            if j > 0 {
                w.comma();
            }
            w.open('{');
            w.key("error");
            w.string(&format!("{} in {}:{}", e.message, path, e.line));
            w.comma();
            w.key("line");
            w.number(e.line);
            w.close('}');
        }
        w.close(']');
        w.comma();
        w.key("parsed");
        let file = program.file(i as FileId);
        let cx = FileCx {
            program,
            file: i as FileId,
            src: &file.src,
            opts,
            dropped: &dropped[i],
        };
        w.open('[');
        let mut first = true;
        cx.items(&mut w, &file.syntax.items, &mut first);
        w.close(']');
        w.close('}');
    }
    w.close(']');
    w.close('}');
    w.out.push('\n');
    (w.out, failed)
}

fn display(program: &Program, file: FileId) -> String {
    program.file(file).path.to_string_lossy().into_owned()
}

struct FileCx<'a> {
    program: &'a Program,
    file: FileId,
    src: &'a [u8],
    opts: Options,
    dropped: &'a [u32],
}

impl FileCx<'_> {
    fn items(&self, w: &mut Writer, items: &[Element], first: &mut bool) {
        for item in items {
            match item {
                Element::Token(t)
                    if t.kind() == TokenKind::Comment && self.opts.include_comments =>
                {
                    self.comment(w, first, self.line(t.span().start), t);
                }
                Element::Directive(d) => self.directive(w, d, first),
                Element::Token(_) => {}
            }
        }
    }

    fn line(&self, offset: u32) -> u32 {
        self.program.file(self.file).lines().line(offset)
    }

    fn comment(&self, w: &mut Writer, first: &mut bool, line: u32, t: &crate::syntax::Token) {
        sep(w, first);
        w.open('{');
        w.key("directive");
        w.string("#");
        w.comma();
        w.key("line");
        w.number(line);
        w.comma();
        w.key("args");
        w.open('[');
        w.close(']');
        w.comma();
        w.key("comment");
        let text = &t.text(self.src)[1..];
        w.string(&String::from_utf8_lossy(text));
        w.close('}');
    }

    fn directive(&self, w: &mut Writer, d: &Directive, first: &mut bool) {
        // Errors already reported: an unterminated statement is not emitted (crossplane never
        // emits one either), nor one its analyzer would reject.
        if matches!(d.end(), End::Missing) || d.name_token().is_none() {
            return;
        }
        if self.dropped.contains(&d.head_span().start) {
            return;
        }
        let name = d.name(self.src);
        let line = self.line(d.span().start);
        sep(w, first);
        w.open('{');
        w.key("directive");
        w.string(&String::from_utf8_lossy(&name));
        w.comma();
        w.key("line");
        w.number(line);
        w.comma();
        w.key("args");
        let mut args: Vec<String> = d
            .args(self.src)
            .map(|a| String::from_utf8_lossy(&a).into_owned())
            .collect();
        if let Some(body) = d.raw_body() {
            args.push(String::from_utf8_lossy(body.text(self.src)).into_owned());
        }
        if name.as_ref() == b"if" {
            prepare_if_args(&mut args);
        }
        w.open('[');
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                w.comma();
            }
            w.string(a);
        }
        w.close(']');
        if !self.opts.single_file && name.as_ref() == b"include" {
            w.comma();
            w.key("includes");
            w.open('[');
            for (i, f) in self.program.included(self.file, d).iter().enumerate() {
                if i > 0 {
                    w.comma();
                }
                w.number(*f);
            }
            w.close(']');
        }
        if let Some(block) = d.block()
            && d.raw_body().is_none()
        {
            w.comma();
            w.key("block");
            w.open('[');
            let mut inner_first = true;
            self.items(w, &block.items, &mut inner_first);
            w.close(']');
        }
        w.close('}');
        if self.opts.include_comments {
            for c in d.head_comments() {
                self.comment(w, first, line, &c);
            }
        }
    }
}

/// crossplane's `_prepare_if_args`: strip the outer parentheses of `if (...)`.
fn prepare_if_args(args: &mut Vec<String>) {
    if args.is_empty() || !args[0].starts_with('(') || !args[args.len() - 1].ends_with(')') {
        return;
    }
    let first = args[0][1..].trim_start().to_owned();
    args[0] = first;
    let last_i = args.len() - 1;
    let last = &args[last_i];
    let trimmed = last[..last.len() - 1].trim_end().to_owned();
    args[last_i] = trimmed;
    let end = args.len() - usize::from(args[last_i].is_empty());
    let start = usize::from(args[0].is_empty());
    *args = args[start..end.max(start)].to_vec();
}

fn sep(w: &mut Writer, first: &mut bool) {
    if !*first {
        w.comma();
    }
    *first = false;
}

/// A tiny JSON writer: Python's `json.dumps` layout, compact or indented.
struct Writer {
    out: String,
    indent: Option<usize>,
    level: usize,
    /// Just opened a container: the next value starts on a new line; a close prints `[]`.
    pending_empty: bool,
}

impl Writer {
    fn newline(&mut self) {
        if let Some(n) = self.indent {
            self.out.push('\n');
            for _ in 0..n * self.level {
                self.out.push(' ');
            }
        }
    }
    fn open(&mut self, c: char) {
        self.before_value();
        self.out.push(c);
        self.level += 1;
        self.pending_empty = true;
    }
    fn close(&mut self, c: char) {
        self.level -= 1;
        if !self.pending_empty {
            self.newline();
        }
        self.pending_empty = false;
        self.out.push(c);
    }
    fn before_value(&mut self) {
        if self.pending_empty {
            self.pending_empty = false;
            self.newline();
        }
    }
    fn comma(&mut self) {
        self.out.push(',');
        self.newline();
    }
    fn key(&mut self, k: &str) {
        self.before_value();
        push_str_ascii(&mut self.out, k);
        self.out.push(':');
        if self.indent.is_some() {
            self.out.push(' ');
        }
    }
    fn string(&mut self, s: &str) {
        self.before_value();
        push_str_ascii(&mut self.out, s);
    }
    fn number(&mut self, n: u32) {
        self.before_value();
        self.out.push_str(&n.to_string());
    }
}
