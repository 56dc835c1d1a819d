//! The parser: round trip, tiling, nginx-faithful errors, robustness, the real-world corpus.

use std::path::PathBuf;

use ngxlint::semantics::grammar::all_syntax_errors;
use ngxlint::semantics::{Context, SourceFile};
use ngxlint::syntax::{SyntaxFile, parse, print};

use crate::support;

/// Every `.conf` under `fixtures/`, sorted.
pub fn fixture_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(support::repo_root().join("fixtures"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "conf"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "fixtures missing: {}", files.len());
    files
}

/// The tree prints back to the input, and its tokens (walked through the tree) tile the input
/// and are exactly the lexer's (the whitespace the tree does not store is recovered as the
/// lexer split it).
fn assert_lossless(src: &[u8], file: &SyntaxFile, what: &str) {
    assert!(print(file, src) == src, "{what}: print(parse(x)) != x");
    let tokens = file.tokens(src);
    assert!(
        tokens == ngxlint::syntax::lexer::lex(src).tokens,
        "{what}: the tree's tokens differ from the lexer's"
    );
    let mut at = 0u32;
    for t in tokens {
        assert_eq!(t.span().start, at, "{what}: gap or overlap at byte {at}");
        assert!(t.span().end > t.span().start, "{what}: empty token at {at}");
        at = t.span().end;
    }
    assert_eq!(at as usize, src.len(), "{what}: tokens end early");
    assert!(
        file.census_agrees(src),
        "{what}: the parser's directive count differs from a walk's"
    );
}

#[test]
fn fixtures_round_trip_and_tile() {
    for path in fixture_files() {
        let src = std::fs::read(&path).unwrap();
        assert_lossless(&src, &parse(&src), &path.display().to_string());
    }
}

/// Files longer than this (two of nginx's read buffers) get [`prefix_cuts`]'s reduced set of
/// prefixes; every shorter file (all fixtures but one) gets every prefix.
const EVERY_PREFIX_UP_TO: usize = 2 * ngxlint::syntax::lexer::NGX_CONF_BUFFER as usize;

/// The prefix lengths at which [`mutilated_fixtures_never_panic_and_stay_lossless`] cuts `src`.
///
/// Checking every prefix costs the square of the file's length: the one long fixture (33 KB,
/// 340 lines of `server_name` arguments of one shape) alone took 88 % of the test's time. The
/// lexer's and the parser's state at a cut depends on the bytes since the line's start, on the
/// state the line starts in (the token it starts in, the block depth) and on where nginx's
/// 4096-byte read windows fall. So a long file is cut at every byte of each line whose shape
/// (its bytes with digits as `0`, the kind of token it starts in and whether that token starts
/// there, the depth) is new, and at the end of every line, so the cuts still cross every
/// window boundary of the file; a repeated line's inner cuts meet the states its first copy met.
fn prefix_cuts(src: &[u8]) -> Vec<usize> {
    if src.len() <= EVERY_PREFIX_UP_TO {
        return (0..=src.len()).collect();
    }
    let tokens = ngxlint::syntax::lexer::lex(src).tokens;
    let mut seen = std::collections::HashSet::new();
    let mut cuts = vec![0];
    let (mut t, mut depth, mut line_start) = (0usize, 0i64, 0usize);
    while line_start < src.len() {
        let line_end = src[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(src.len(), |i| line_start + i + 1);
        // The token holding the line's first byte, and the depth before it.
        while tokens[t].span().end as usize <= line_start {
            match tokens[t].kind() {
                ngxlint::syntax::lexer::TokenKind::LBrace => depth += 1,
                ngxlint::syntax::lexer::TokenKind::RBrace => depth -= 1,
                _ => {}
            }
            t += 1;
        }
        let token = &tokens[t];
        let shape: Vec<u8> = src[line_start..line_end]
            .iter()
            .map(|&b| if b.is_ascii_digit() { b'0' } else { b })
            .collect();
        let key = (
            shape,
            token.kind(),
            token.span().start as usize == line_start,
            depth,
        );
        if seen.insert(key) {
            cuts.extend(line_start + 1..=line_end);
        } else {
            cuts.push(line_end);
        }
        line_start = line_end;
    }
    cuts
}

#[test]
fn prefix_cuts_keep_short_files_whole_and_every_new_line_shape() {
    let short = b"events {}\n".to_vec();
    assert_eq!(prefix_cuts(&short), (0..=short.len()).collect::<Vec<_>>());
    let head = "events {}\nhttp {\n    server_name\n";
    let mut src = head.to_string();
    for i in 0..2000 {
        src.push_str(&format!("        h{i:05} h{:05};\n", i + 1));
    }
    src.push_str("    \"x;\n}\n");
    let src = src.into_bytes();
    assert!(src.len() > EVERY_PREFIX_UP_TO);
    let cuts = prefix_cuts(&src);
    // Every byte of the head and of the first name line (one shape), every line end after.
    let first_line = head.len() + "        h00000 h00001;\n".len();
    assert_eq!(cuts[..=first_line], (0..=first_line).collect::<Vec<_>>());
    assert!(cuts.contains(&(first_line + 23)));
    assert!(!cuts.contains(&(first_line + 10)));
    // The unterminated quote's lines: new shapes, every byte.
    assert!(((src.len() - 9)..=src.len()).all(|i| cuts.contains(&i)));
    assert!(cuts.windows(2).all(|w| w[0] < w[1]));
}

/// Every prefix (of a long file: [`prefix_cuts`]), and every copy with one `{`, `}`, `;` or `"`
/// deleted: no panic, still lossless.
#[test]
fn mutilated_fixtures_never_panic_and_stay_lossless() {
    for path in fixture_files() {
        let src = std::fs::read(&path).unwrap();
        let what = path.display().to_string();
        for i in prefix_cuts(&src) {
            assert_lossless(&src[..i], &parse(&src[..i]), &what);
        }
        for (i, &b) in src.iter().enumerate() {
            if matches!(b, b'{' | b'}' | b';' | b'"') {
                let mut copy = src.clone();
                copy.remove(i);
                let tree = parse(&copy);
                assert_lossless(&copy, &tree, &what);
                // The grammar layer must cope with whatever tree recovery produced.
                let file = SourceFile::new(path.clone(), copy);
                let _ = all_syntax_errors(&file, Context::Main);
            }
        }
    }
}

fn rendered_errors(file: &SourceFile) -> Vec<String> {
    all_syntax_errors(file, Context::Main)
        .iter()
        .map(|e| {
            let at = file.lines().line_col(e.span.start);
            format!("{}:{}: {}", at.line, at.column, e.kind.message())
        })
        .collect()
}

/// Snapshot: the errors (line:column message) and the tree dump, long tokens shortened.
#[test]
fn syntax_fixture_snapshots() {
    insta::glob!("../fixtures", "syntax/**/*.conf", |path| {
        let src = std::fs::read(path).unwrap();
        let file = SourceFile::new(path.to_owned(), src);
        let errors = rendered_errors(&file);
        let ok_dir = path.parent().unwrap().ends_with("ok");
        // Structural: ok/ fixtures parse cleanly, err/ fixtures have at least one error.
        assert_eq!(errors.is_empty(), ok_dir, "{}: {errors:?}", path.display());
        let dump: String = ngxlint::report::tree_dump::dump(&file.syntax, &file.src)
            .lines()
            .map(|l| {
                if l.chars().count() > 100 {
                    format!("{}…\n", l.chars().take(100).collect::<String>())
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        insta::assert_snapshot!(format!("# errors\n{}\n# tree\n{dump}", errors.join("\n")));
    });
}

/// nginx is the judge: on every syntax fixture, nginx's first error is our first error (same
/// message, same line); where nginx stops at an unknown directive (a module nginx-light lacks,
/// or a word split at a regex's `{`), we report nothing before that line.
#[test]
fn nginx_agrees_on_syntax_fixtures() {
    let Some(nginx) = support::nginx() else {
        return;
    };
    let mut checked = 0;
    for path in fixture_files() {
        if !path.to_string_lossy().contains("/syntax/") {
            continue;
        }
        let src = std::fs::read(&path).unwrap();
        let file = SourceFile::new(path.clone(), src.clone());
        let ours: Vec<(String, u32)> = all_syntax_errors(&file, Context::Main)
            .iter()
            .map(|e| (e.kind.message(), file.lines().line(e.span.start)))
            .collect();
        let theirs = support::nginx_first_error(&nginx, &path, "main");
        match theirs {
            None => assert!(
                ours.is_empty(),
                "{}: nginx accepts, we say {ours:?}",
                path.display()
            ),
            Some((msg, line)) if msg.starts_with("unknown directive") => {
                assert!(
                    ours.iter().all(|(_, l)| *l >= line),
                    "{}: nginx stops at {msg} line {line}; we report earlier: {ours:?}",
                    path.display()
                );
            }
            Some((msg, line)) => {
                // nginx prints the path (`... started in /tmp/x/frag.conf:5`) after the message;
                // compare the message itself.
                assert_eq!(
                    ours.first(),
                    Some(&(msg.clone(), line)),
                    "{}: nginx says {msg:?} at line {line}",
                    path.display()
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} syntax fixtures checked");
}

fn corpus_context(entry: &support::CorpusEntry) -> Context {
    match entry.context.as_str() {
        "main" | "empty" => Context::Main,
        "http" => Context::Http,
        "server" => Context::HttpServer,
        "location" => Context::HttpLocation,
        "stream" => Context::Stream,
        _ => Context::Unknown,
    }
}

/// Every corpus file round-trips byte for byte and its tokens tile it.
#[test]
fn corpus_round_trips() {
    let Some(dir) = support::corpus() else {
        return;
    };
    let entries = support::corpus_entries(&dir);
    assert!(entries.len() >= 799, "corpus has {} files", entries.len());
    for e in &entries {
        let src = std::fs::read(&e.path).unwrap();
        assert_lossless(&src, &parse(&src), &e.local_path);
    }
    println!("round-tripped {} corpus files", entries.len());
}

/// `nginx-1.22.1 -t: MESSAGE in PATH:LINE` from the notes column.
pub fn nginx_note(notes: &str) -> Option<(String, u32)> {
    let note = notes
        .split(" | ")
        .find_map(|n| n.strip_prefix("nginx-1.22.1 -t: "))?;
    let (msg, at) = note.rsplit_once(" in ")?;
    let line = at.rsplit(':').next()?.parse().ok()?;
    Some((msg.to_owned(), line))
}

/// Files nginx rejected with a tokenizer/grammar error get that error from us, at nginx's
/// line; files nginx accepted get no syntax error at all.
#[test]
fn corpus_syntax_errors_match_nginx() {
    let Some(dir) = support::corpus() else {
        return;
    };
    let mut rejected = 0;
    let mut accepted = 0;
    for e in support::corpus_entries(&dir) {
        let mut src = std::fs::read(&e.path).unwrap();
        if e.notes.contains("placeholders=") {
            src = support::fill_placeholders(&src, "/tmp/ngxlint-test");
        }
        let file = SourceFile::new(e.path.clone(), src);
        let errors = all_syntax_errors(&file, corpus_context(&e));
        let ours: Vec<(String, u32)> = errors
            .iter()
            .map(|x| (x.kind.message(), file.lines().line(x.span.start)))
            .collect();
        match e.nginx_check.as_str() {
            "accepted" => {
                accepted += 1;
                assert!(
                    ours.is_empty(),
                    "{}: nginx accepted it, we report {ours:?}",
                    e.local_path
                );
            }
            "syntax-error" => {
                let (msg, line) = nginx_note(&e.notes).expect("syntax-error row has a note");
                if msg.starts_with("unknown directive") {
                    continue;
                }
                rejected += 1;
                assert!(
                    ours.iter().any(|(m, l)| *m == msg && *l == line),
                    "{}: nginx says {msg:?} at line {line}; we report {ours:?}",
                    e.local_path
                );
            }
            _ => {}
        }
    }
    println!("corpus: {accepted} accepted files clean, {rejected} rejected files matched");
    assert!(accepted >= 268 && rejected >= 15);
}

/// Spot checks of values the tree hands to the semantic layer.
#[test]
fn values_are_nginx_values() {
    let src = br#"add_header X "a \"b\" \\ \t" 'c\'d' e\;f;"#;
    let f = parse(src);
    let d = f.directives().next().unwrap();
    let args: Vec<Vec<u8>> = d.args(src).map(|a| a.into_owned()).collect();
    assert_eq!(
        args,
        [
            b"X".to_vec(),
            b"a \"b\" \\ \t".to_vec(),
            b"c'd".to_vec(),
            b"e\\;f".to_vec()
        ]
    );
    assert_eq!(&*d.name(src), b"add_header");
}
