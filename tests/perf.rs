//! Scaling: `check`'s cost grows linearly with the input. CI-safe: no absolute times, only the
//! ratio of two sizes measured in the same process (the fastest of several runs each, which is
//! the figure least disturbed by a shared machine), on inputs small enough for a debug build.
//! The generated configuration is the one of `benches/check.rs` and `benches/compare.sh`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ngxlint::lint::{Options, lint_source};
use ngxlint::report;
use ngxlint::rules::{LintContext, RULES, Rule, Settings};
use ngxlint::semantics::context::Context;
use ngxlint::semantics::model::{DEFAULT_VERSION, Model};
use ngxlint::semantics::streaming::streaming_locations;
use ngxlint::semantics::{LoadOptions, Program};

/// The benchmark pattern, `apps` times: per app an upstream with keepalive and a server with a
/// chat, a WebSocket and a static location (three findings per app).
fn generated(apps: usize) -> Vec<u8> {
    let mut s = String::from(
        "events { worker_connections 100000; }\nhttp {\n    map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    gzip on;\n",
    );
    for i in 0..apps {
        let p = 8000 + i;
        s.push_str(&format!(
            "    upstream app{i} {{\n        server 127.0.0.1:{p};\n        keepalive 16;\n    }}\n    server {{\n        listen 127.0.0.1:{p};\n        server_name app{i}.example.com;\n        # the chat API\n        location /v1/chat/completions {{\n            proxy_pass http://app{i};\n            proxy_http_version 1.1;\n            proxy_set_header Host $host;\n            proxy_set_header Connection \"\";\n            proxy_buffering off;\n            proxy_read_timeout 600s;\n        }}\n        location /ws {{\n            proxy_pass http://app{i};\n            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n        }}\n        location /static/ {{ root /srv/www; expires 1h; add_header Cache-Control \"public\"; }}\n    }}\n"
        ));
    }
    s.push_str("}\n");
    s.into_bytes()
}

/// Lint and render (concise and JSON: every finding is formatted), as `check` does. (The text
/// format is left out: it hands miette the whole file per finding, findings × file size, which
/// the excerpt rendering of #13's hostile-input work replaces.)
/// Returns the number of findings and the bytes rendered.
fn check(src: &[u8]) -> (usize, usize) {
    let linted = lint_source(
        Path::new("scaling/nginx.conf"),
        src.to_vec(),
        &Options::default(),
        &|r| r.default,
    );
    let findings = linted.findings();
    let summary = report::Summary::of(&findings, 1);
    let bytes =
        report::concise::render(&findings).len() + report::json::render(&findings, summary).len();
    (findings.len(), bytes)
}

fn fastest(src: &[u8], runs: usize) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(check(std::hint::black_box(src)));
            t.elapsed()
        })
        .min()
        .expect("runs > 0")
}

/// The most a 10× input may cost: far below the 100× of a quadratic piece, above 10× by the
/// noise of a shared machine.
const LINEAR_BOUND: f64 = 20.0;

#[test]
fn check_time_grows_linearly() {
    // Both sizes above the point (2,000 directives; 21 per app) where the rules start running
    // on several threads, so that both measure the same kind of work.
    let small = generated(100);
    let large = generated(1000);
    // The work is real: two findings per app (the inherited `X-Forwarded-For` that the chat
    // and `/ws` locations' own headers drop; the `/ws` WebSocket's read timeout, of an app
    // nothing is known about, is no longer reported), and output proportional to them. One
    // more in the large one: its app on 8188 is ComfyUI by its default port, whose `/ws`
    // sends no pings, so that `/ws` keeps its read-timeout finding.
    let (n_small, out_small) = check(&small);
    let (n_large, out_large) = check(&large);
    assert_eq!(n_small, 2 * 100);
    assert_eq!(n_large, 2 * 1000 + 1);
    assert!(
        out_large >= 9 * out_small,
        "{out_small} → {out_large} bytes of output"
    );
    // Warm up, then the fastest of several runs each. A quadratic piece would make the 10×
    // input cost 100×; linear work with fixed overheads costs at most 10× (measured ×10.3 on
    // a quiet machine). The bound leaves room for the other tests of this binary running on
    // the same two cores at the same time; retried with more runs, so that a burst of load
    // during one measurement does not fail the test.
    let mut ratio = 0.0;
    for runs in [3, 7, 11] {
        let t_small = fastest(&small, runs);
        let t_large = fastest(&large, runs);
        ratio = t_large.as_secs_f64() / t_small.as_secs_f64();
        eprintln!(
            "scaling: {} B in {t_small:?}, {} B in {t_large:?}: ×{ratio:.2} for ×{:.1} input",
            small.len(),
            large.len(),
            large.len() as f64 / small.len() as f64
        );
        if ratio <= LINEAR_BOUND {
            return;
        }
    }
    panic!("check on 10× the input took {ratio:.1}× the time (linear is ≤ {LINEAR_BOUND}×)");
}

/// The most one rule's check may cost on 10× the input (linear: 10×; quadratic: 100×). Wide,
/// because a large model falls out of caches a small one fits in: on a machine busy with other
/// builds, linear rules measured up to ×42; the quadratic `read-timeout-short` of before
/// 4b12ef9 measures ×85.
const RULE_BOUND: f64 = 50.0;

/// Below this on the large input a rule is too fast to measure, and too fast to matter.
/// Apps in the smaller of the two models (the larger has ten times as many). Large enough that
/// neither model fits a core's private caches: a model that does (100 apps) runs several times
/// faster per node than one that does not, which reads as super-linear growth.
const SMALL_APPS: usize = 300;
const RULE_NOTICEABLE: Duration = Duration::from_millis(20);

/// Each rule's own check, on models built once: a whole-run ratio hides one quadratic rule
/// among sixty linear ones (read-timeout-short once scanned every `*_read_timeout` per finding:
/// 93 s on 50 MB while every other rule took about a second).
#[test]
fn every_rule_scales_linearly() {
    let settings = Settings::default();
    let small = program(generated(SMALL_APPS));
    let large = program(generated(SMALL_APPS * 10));
    let small = Model::build(&small, DEFAULT_VERSION);
    let large = Model::build(&large, DEFAULT_VERSION);
    // The streaming classification is computed once per model and shared by the streaming
    // rules: compute it before timing them.
    assert_eq!(
        streaming_locations(&small, &settings.streaming).len(),
        2 * SMALL_APPS
    );
    assert_eq!(
        streaming_locations(&large, &settings.streaming).len(),
        20 * SMALL_APPS
    );
    let slow = rules_growing_faster_than_the_input(&small, &large, &settings);
    assert!(
        slow.is_empty(),
        "rules whose cost grows faster than the input (linear is ≤ {RULE_BOUND}×):\n{}",
        slow.join("\n")
    );
}

/// One block of many locations and many `map $http_upgrade` blocks: every rule stays linear
/// where it asks, per location or per finding, about the `map`s, the block's other items or
/// the file. Two shapes:
/// - each location sends a `Connection` from a map of its own to an upstream with
///   `keepalive`: `upstream-keepalive-connection` looked through every `map` for each
///   location, `header-injection` through every `map` for each variable (20,000 of each: 27 s
///   and 3 s);
/// - WebSocket locations without `Connection`, the maps all `close`: `read-timeout-short`'s
///   fix found the file's indentation unit for each finding (a pass over the file: 38 s), and
///   `websocket-upgrade-missing`'s looked through the maps and the `http` block's items for
///   each (12 s).
#[test]
fn every_rule_scales_linearly_in_a_crowded_block() {
    let crowded = |n: usize, websocket: bool| {
        let mut s = String::from("events { }\nhttp {\n");
        let map_value = if websocket { "close" } else { "upgrade" };
        for i in 0..n {
            s.push_str(&format!(
                "    map $http_upgrade $c{i} {{ default {map_value}; '' close; }}\n"
            ));
        }
        s.push_str("    upstream u { server 127.0.0.1:1; keepalive 8; }\n    server {\n");
        for i in 0..n {
            let header = if websocket {
                "Upgrade $http_upgrade".to_owned()
            } else {
                format!("Connection $c{i}")
            };
            s.push_str(&format!(
                "        location /p{i} {{ proxy_pass http://u; proxy_http_version 1.1; \
                 proxy_set_header {header}; }}\n"
            ));
        }
        s.push_str("    }\n}\n");
        s.into_bytes()
    };
    let settings = Settings::default();
    for websocket in [false, true] {
        let small = program(crowded(300, websocket));
        let large = program(crowded(3000, websocket));
        let small = Model::build(&small, DEFAULT_VERSION);
        let large = Model::build(&large, DEFAULT_VERSION);
        let streams = streaming_locations(&large, &settings.streaming).len();
        assert_eq!(streams, if websocket { 3000 } else { 0 });
        streaming_locations(&small, &settings.streaming);
        let slow = rules_growing_faster_than_the_input(&small, &large, &settings);
        assert!(
            slow.is_empty(),
            "rules whose cost grows faster than the input (linear is ≤ {RULE_BOUND}×), \
             WebSocket shape {websocket}:\n{}",
            slow.join("\n")
        );
    }
}

/// Copies of one block's items in the scaled fixtures of
/// [`every_rule_scales_linearly_on_its_own_fixtures`] (the larger has ten times as many).
const FIXTURE_COPIES: usize = 40;

/// How a fixture is made large: what is copied, where.
#[derive(Clone, Copy, Debug)]
enum Shape {
    /// Each `server` block, its `server_name`s numbered.
    Servers,
    /// Each `location` block, its path numbered.
    Locations,
    /// Each `location` block as written.
    SameLocations,
    /// Each directive without a block inside a block.
    Lines,
}

/// The fixture `src` (read into `model`) with the items of `shape` each written `copies`
/// times, the copies after the original; `None` when the fixture has no such item.
fn scaled(model: &Model<'_>, src: &[u8], shape: Shape, copies: usize) -> Option<Vec<u8>> {
    use ngxlint::fix::style::arg_span;
    let mut inserts: Vec<(usize, Vec<u8>)> = Vec::new();
    for id in 0..model.nodes.len() as u32 {
        let node = model.node(id);
        if model.file_of(id) != 0 {
            continue;
        }
        let d = node.directive;
        let (start, end) = (d.span().start as usize, d.span().end as usize);
        let name = model.name(id);
        let block = d.block().is_some();
        let text = &src[start..end];
        // The copy's text, for copy `i` (numbered from 1).
        let copy = |i: usize| -> Vec<u8> {
            let mut t = text.to_vec();
            match shape {
                Shape::Servers => {
                    // Each `server_name` of this server: `n<i>.` before its first name.
                    let mut at: Vec<usize> = model
                        .children(id)
                        .iter()
                        .filter(|&&c| model.name(c) == "server_name" && model.file_of(c) == 0)
                        .filter_map(|&c| arg_span(model.node(c).directive, 0))
                        .map(|s| s.start as usize - start)
                        .collect();
                    at.sort_unstable();
                    for &a in at.iter().rev() {
                        t.splice(a..a, format!("n{i}.").into_bytes());
                    }
                }
                Shape::Locations => {
                    let n = d.arg_tokens().count();
                    if let Some(s) = n.checked_sub(1).and_then(|last| arg_span(d, last)) {
                        let a = s.end as usize - start;
                        t.splice(a..a, format!("n{i}").into_bytes());
                    }
                }
                Shape::SameLocations | Shape::Lines => {}
            }
            t
        };
        let wanted = match shape {
            Shape::Servers => name == "server" && block,
            Shape::Locations | Shape::SameLocations => name == "location" && block,
            Shape::Lines => !block && node.parent().is_some(),
        };
        if !wanted {
            continue;
        }
        let line_start = src[..start]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let indent = &src[line_start..start];
        let indent: &[u8] = if indent.iter().all(|b| b.is_ascii_whitespace()) {
            indent
        } else {
            b" "
        };
        let mut added = Vec::new();
        for i in 1..copies {
            added.push(b'\n');
            added.extend_from_slice(indent);
            added.extend(copy(i));
        }
        inserts.push((end, added));
    }
    if inserts.is_empty() {
        return None;
    }
    inserts.sort_by_key(|&(at, _)| at);
    let mut out = Vec::with_capacity(src.len() * copies);
    let mut last = 0;
    for (at, added) in inserts {
        out.extend_from_slice(&src[last..at]);
        out.extend(added);
        last = at;
    }
    out.extend_from_slice(&src[last..]);
    Some(out)
}

/// Each rule on its own fixtures made large four ways (servers, locations numbered and as
/// written, the lines of each block copied): a rule that asks, for each line or location,
/// about every other one of its block grows with the square of the block. Hand-written
/// shapes missed twelve such rules that a sweep of the fixtures found (round 37 of
/// docs/performance.md); this is that sweep, at sizes a debug build runs in a few minutes.
/// The streaming classification, shared by the streaming rules, is timed on its own (on every
/// fixture: any configuration is classified).
#[test]
fn every_rule_scales_linearly_on_its_own_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let settings = Settings::default();
    let load = load_options();
    let mut slow = Vec::new();
    let mut pairs = 0;
    for &rule in RULES {
        let Ok(entries) = std::fs::read_dir(root.join(rule.id)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .map(|e| e.expect("fixture entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "conf"))
            .collect();
        files.sort();
        for file in files {
            let src = std::fs::read(&file).expect("fixture");
            let original = Program::from_source(file.clone(), src.clone(), &load);
            let model = Model::build(&original, DEFAULT_VERSION);
            for shape in [
                Shape::Servers,
                Shape::Locations,
                Shape::SameLocations,
                Shape::Lines,
            ] {
                let Some(small) = scaled(&model, &src, shape, FIXTURE_COPIES) else {
                    continue;
                };
                let large = scaled(&model, &src, shape, FIXTURE_COPIES * 10).expect("scaled");
                pairs += 1;
                let small = Program::from_source(file.clone(), small, &load);
                let large = Program::from_source(file.clone(), large, &load);
                let (small_model, large_model) = (
                    Model::build(&small, DEFAULT_VERSION),
                    Model::build(&large, DEFAULT_VERSION),
                );
                let name = format!("{} ({shape:?})", file.display());
                // The classification of the models just built, once each; only a ratio over
                // the bound is measured again, on fresh models (building them is most of the
                // cost of this test).
                let t = Instant::now();
                streaming_locations(&small_model, &settings.streaming);
                let t_small = t.elapsed();
                let t = Instant::now();
                streaming_locations(&large_model, &settings.streaming);
                let t_large = t.elapsed();
                let suspect = t_large >= RULE_NOTICEABLE
                    && t_large.as_secs_f64()
                        > RULE_BOUND * t_small.max(Duration::from_micros(100)).as_secs_f64();
                if suspect && let Some(s) = classification_growing_faster(&small, &large, &settings)
                {
                    slow.push(format!("{name}: {s}"));
                }
                for s in rules_of_growing_faster(&small_model, &large_model, &settings, &[rule]) {
                    slow.push(format!("{name}: {s}"));
                }
            }
        }
    }
    // Every rule has fixtures, most have blocks and lines to copy.
    assert!(pairs > 3 * RULES.len(), "only {pairs} scaled fixtures");
    assert!(
        slow.is_empty(),
        "rules whose cost grows faster than their fixtures (linear is ≤ {RULE_BOUND}× for \
         10×):\n{}",
        slow.join("\n")
    );
}

/// The scaling of the fixtures' sweep copies what it says: servers with their names numbered,
/// locations numbered or as written, and each line of a block, `copies` times in all.
#[test]
fn scaled_fixtures_hold_the_copies_they_say() {
    let src = b"events {}\nhttp {\n    gzip on;\n    server {\n        listen 80;\n        server_name a.example;\n        location = /x {\n            return 204;\n        }\n    }\n}\n".to_vec();
    let original = program(src.clone());
    let model = Model::build(&original, DEFAULT_VERSION);
    let text = |shape| String::from_utf8(scaled(&model, &src, shape, 3).expect("scaled")).unwrap();
    let servers = text(Shape::Servers);
    assert_eq!(servers.matches("server {").count(), 3, "{servers}");
    for name in [
        "server_name a.example;",
        "server_name n1.a.example;",
        "server_name n2.a.example;",
    ] {
        assert!(servers.contains(name), "{servers}");
    }
    let locations = text(Shape::Locations);
    assert_eq!(locations.matches("location = /x").count(), 3, "{locations}");
    assert!(locations.contains("location = /xn2 {"), "{locations}");
    let same = text(Shape::SameLocations);
    assert_eq!(same.matches("location = /x {").count(), 3, "{same}");
    let lines = text(Shape::Lines);
    for line in [
        "gzip on;",
        "listen 80;",
        "server_name a.example;",
        "return 204;",
    ] {
        assert_eq!(lines.matches(line).count(), 3, "{line} in {lines}");
    }
    assert_eq!(lines.matches("server {").count(), 1, "{lines}");
    // Each copy parses as the original does: no syntax error.
    let reparsed = program(lines.into_bytes());
    let model = Model::build(&reparsed, DEFAULT_VERSION);
    assert_eq!(model.directives_named("return").len(), 3);
    // Nothing to copy: no scaled fixture.
    let flat = b"events {}\n".to_vec();
    let flat_program = program(flat.clone());
    let flat_model = Model::build(&flat_program, DEFAULT_VERSION);
    assert!(scaled(&flat_model, &flat, Shape::Lines, 3).is_none());
}

/// The streaming classification of `large` (ten times `small`) when it costs more than
/// [`RULE_BOUND`] times that of `small`: a fresh model each run (the classification is kept
/// in the model), the fastest of a few.
fn classification_growing_faster(
    small: &Program,
    large: &Program,
    settings: &Settings,
) -> Option<String> {
    let once = |program: &Program| {
        let model = Model::build(program, DEFAULT_VERSION);
        let t = Instant::now();
        std::hint::black_box(streaming_locations(&model, &settings.streaming));
        t.elapsed()
    };
    let mut verdict = None;
    for runs in [2, 6] {
        let (mut s, mut l) = (Duration::MAX, Duration::MAX);
        for _ in 0..runs {
            s = s.min(once(small));
            l = l.min(once(large));
        }
        if l < RULE_NOTICEABLE {
            return None;
        }
        let ratio = l.as_secs_f64() / s.max(Duration::from_micros(100)).as_secs_f64();
        if ratio <= RULE_BOUND {
            return None;
        }
        verdict = Some(format!(
            "the streaming classification: {s:?} → {l:?} (×{ratio:.0}) for 10× the input"
        ));
    }
    verdict
}

/// How the scaling tests read a configuration: the main file, its includes followed.
fn load_options() -> LoadOptions {
    LoadOptions {
        single_file: false,
        root_context: Context::Main,
        prefix: None,
        overlay: HashMap::new(),
        path_map: Vec::new(),
        as_written: false,
    }
}

/// `src` as the main file of a program.
fn program(src: Vec<u8>) -> Program {
    Program::from_source(PathBuf::from("scaling/nginx.conf"), src, &load_options())
}

/// The rules whose check on `large` (ten times `small`) costs more than [`RULE_BOUND`] times
/// what it costs on `small`, each with its figures.
fn rules_growing_faster_than_the_input(
    small: &Model<'_>,
    large: &Model<'_>,
    settings: &Settings,
) -> Vec<String> {
    rules_of_growing_faster(small, large, settings, RULES)
}

/// [`rules_growing_faster_than_the_input`] among `rules`.
fn rules_of_growing_faster(
    small: &Model<'_>,
    large: &Model<'_>,
    settings: &Settings,
    rules: &[&Rule],
) -> Vec<String> {
    let once = |model: &Model<'_>, rule: &Rule| {
        let cx = LintContext {
            model,
            version: DEFAULT_VERSION,
            settings,
            part: None,
            brief: false,
        };
        let t = Instant::now();
        std::hint::black_box((rule.check)(&cx));
        t.elapsed()
    };
    // The fastest of `runs` runs of each size, the two sizes interleaved so that a stretch of
    // heavy load on a shared machine falls on both.
    let time = |rule: &Rule, runs: usize| {
        let (mut s, mut l) = (Duration::MAX, Duration::MAX);
        for _ in 0..runs {
            s = s.min(once(small, rule));
            l = l.min(once(large, rule));
        }
        (s, l)
    };
    let mut slow = Vec::new();
    for &rule in rules {
        let mut verdict = None;
        // Retried with more runs: a burst of load during one measurement is not a regression.
        for runs in [2, 6, 18] {
            let (t_small, t_large) = time(rule, runs);
            if t_large < RULE_NOTICEABLE {
                verdict = None;
                break;
            }
            let t_small = t_small.max(Duration::from_micros(100));
            let ratio = t_large.as_secs_f64() / t_small.as_secs_f64();
            if ratio <= RULE_BOUND {
                verdict = None;
                break;
            }
            verdict = Some(format!(
                "{}: {t_small:?} → {t_large:?} (×{ratio:.0}) for 10× the input",
                rule.id
            ));
        }
        slow.extend(verdict);
    }
    slow
}

/// Memory of the syntax tree and the model per byte of input, computed from the sizes of what
/// they hold (CI-safe: no allocator hooks, no timing; allocator rounding comes on top). The
/// tree stores no whitespace tokens, and each directive in its element with its head and no
/// span of its own, a token in 8 bytes, a `;` as a position in the head and a block's braces as
/// positions: 1.33 bytes per input byte on this pattern (1.43 with a 40-byte block holding
/// its brace tokens, 1.66 with a 16-byte terminator beside the head, 1.95 with
/// 12-byte tokens, 2.19 with a stored span, 2.64
/// with boxed directives and boxed heads, about 5 with a token per whitespace run and 80-byte
/// directives). The model's node
/// list is sized from the program's walk count, not grown by doubling, and each block's
/// children are a run of one array shared by all blocks, four bytes per node, beside 24-byte
/// nodes whose file and include come from a table of runs (0.79 bytes per input byte; 1.01
/// with 32-byte nodes, 2.36 with 80-byte nodes and a children vector per block, 2.41 with
/// those grown by doubling). The bounds follow what is achieved: a regression of a
/// few percent fails.
#[test]
fn tree_and_model_memory_per_input_byte() {
    use ngxlint::semantics::model::Node;
    use ngxlint::syntax::{Block, Element, End, Head, Token};
    use std::mem::size_of;

    // A directive is stored in its element, with a head of up to `Head::INLINE` tokens.
    fn items_bytes(items: &[Element]) -> usize {
        let mut total = std::mem::size_of_val(items);
        for e in items {
            if let Element::Directive(d) = e {
                if d.head.len() > Head::INLINE {
                    total += d.head.len() * size_of::<Token>();
                }
                if let End::Block(b) = &d.end() {
                    total += size_of::<Block>() + items_bytes(&b.items);
                }
            }
        }
        total
    }

    let src = generated(300);
    let program = Program::from_source(
        PathBuf::from("memory/nginx.conf"),
        src.clone(),
        &LoadOptions::default(),
    );
    let tree = items_bytes(&program.file(0).syntax.items);
    let tree_per_byte = tree as f64 / src.len() as f64;
    let model = Model::build(&program, DEFAULT_VERSION);
    assert_eq!(
        model.nodes.capacity(),
        model.nodes.len(),
        "the node list is sized once"
    );
    // Children are one array shared by all blocks, one entry per node (every node is the
    // child of one block or of the top level).
    let model_bytes: usize =
        model.nodes.capacity() * size_of::<Node>() + model.nodes.len() * size_of::<u32>();
    let model_per_byte = model_bytes as f64 / src.len() as f64;
    println!(
        "{} bytes: tree {tree} bytes ({tree_per_byte:.2}/byte), model nodes {model_bytes} bytes ({model_per_byte:.2}/byte)",
        src.len()
    );
    assert!(
        tree_per_byte <= 1.37,
        "the syntax tree holds {tree_per_byte:.2} bytes per input byte (1.33 expected)"
    );
    assert!(
        model_per_byte <= 0.82,
        "the model's nodes hold {model_per_byte:.2} bytes per input byte (0.79 expected)"
    );
    // Every node is listed once among the children of its level.
    let listed = model.roots.len()
        + (0..model.nodes.len() as u32)
            .map(|id| model.children(id).len())
            .sum::<usize>();
    assert_eq!(listed, model.nodes.len(), "children listed once each");
}

/// #13's memory goal through the real binary: peak resident memory at most 4 × the input +
/// 20 MB, on a generated configuration of about 10 MB. The figure is the binary's own
/// high-water mark (`VmHWM`, printed by `NGXLINT_TIMINGS=1` once the findings are unpacked:
/// the peak of a run is while the rules run, with the model alive), less that of a run on an
/// empty configuration: the test binary is a debug build, whose code alone takes 12 MiB more
/// than the release build's 7.5 MiB. So the bound is 4 × input + 20 MB - 7.5 MiB. CI-safe:
/// memory does not depend on the machine's load. At 10 MB the release build took 50.0 MiB of
/// the 57.2 allowed when this test was written; 50 MB (206 of 209.8 MiB) is measured by
/// `benches/compare.sh`.
#[test]
fn peak_memory_is_at_most_four_times_the_input_plus_20_mb() {
    if !Path::new("/proc/self/status").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "no /proc/self/status: peak memory cannot be measured on this system"
        );
        eprintln!("peak memory: not measured (no /proc/self/status on this system)");
        return;
    }
    let dir = crate::support::tempdir("peak-memory");
    let peak_mib = |name: &str, src: &[u8]| -> f64 {
        let config = dir.join(name);
        std::fs::write(&config, src).expect("write the configuration");
        let out = std::process::Command::new(crate::support::ngxlint_bin())
            .args(["check", "--no-config", "--format", "concise"])
            .arg(&config)
            .env("NGXLINT_TIMINGS", "1")
            .stdout(std::process::Stdio::null())
            .output()
            .expect("run ngxlint");
        assert!(out.status.code().is_some_and(|c| c < 2), "{name}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        stderr
            .lines()
            .find_map(|l| {
                let (_, mb) = l.strip_prefix("peak RSS ")?.rsplit_once(", rules ")?;
                mb.strip_suffix(" MB")?.parse().ok()
            })
            .unwrap_or_else(|| panic!("no peak RSS line in:\n{stderr}"))
    };
    let empty = peak_mib("empty.conf", b"events {}\n");
    let src = generated(12_800);
    let peak = peak_mib("nginx.conf", &src);
    let mib = f64::from(1 << 20);
    let input = src.len() as f64 / mib;
    let limit = 4.0 * input + 20e6 / mib - 7.5;
    println!(
        "peak RSS {peak} MiB for {input:.1} MiB of input, {empty} MiB for an empty one: {:.1} MiB for the input (limit {limit:.1})",
        peak - empty
    );
    assert!(
        peak - empty <= limit,
        "the input took {:.1} MiB beyond an empty run ({peak} - {empty}) for {input:.1} MiB of input: \
         more than 4 × input + 20 MB - the release binary's own 7.5 MiB ({limit:.1} MiB)",
        peak - empty
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `check --format concise CONFIG` with `NGXLINT_TIMINGS` set to `timings`.
fn check_timed(config: &std::path::Path, timings: &str) -> std::process::Output {
    std::process::Command::new(crate::support::ngxlint_bin())
        .args(["check", "--no-config", "--format", "concise"])
        .arg(config)
        .env("NGXLINT_TIMINGS", timings)
        .output()
        .expect("run ngxlint")
}

/// The lines under `slowest rules FILE:` in `stderr`.
fn rule_time_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .skip_while(|l| !l.starts_with("slowest rules "))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect()
}

/// `NGXLINT_TIMINGS=1` names the slowest rules, slowest first, each with its time and the
/// number of findings it returned: the count agrees with the report's, and on a configuration
/// large enough for the rules to run on threads the shared streaming classification has a line
/// of its own. `NGXLINT_TIMINGS=all` names every rule.
#[test]
fn timings_name_the_slowest_rules() {
    let dir = crate::support::tempdir("rule-timings");
    let config = dir.join("nginx.conf");
    std::fs::write(&config, generated(300)).expect("write the configuration");
    let out = check_timed(&config, "1");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines = rule_time_lines(&stderr);
    assert_eq!(lines.len(), 10, "{stderr}");
    // (name, milliseconds, count, what was counted)
    let rows: Vec<(&str, f64, usize, String)> = lines
        .iter()
        .map(|l| {
            let (left, right) = l.split_once(" ms ").unwrap_or_else(|| panic!("{l}"));
            let (name, ms) = left
                .trim()
                .rsplit_once(' ')
                .unwrap_or_else(|| panic!("{l}"));
            let (count, what) = right
                .trim()
                .split_once(' ')
                .unwrap_or_else(|| panic!("{l}"));
            (
                name.trim_end(),
                ms.trim().parse().expect("milliseconds"),
                count.parse().expect("a count"),
                what.to_owned(),
            )
        })
        .collect();
    assert!(
        rows.windows(2).all(|w| w[0].1 >= w[1].1),
        "slowest first: {stderr}"
    );
    // The rules run on threads only where there are several CPUs (CI has two); on one, the
    // first streaming rule classifies the locations and its time includes that.
    if std::thread::available_parallelism().is_ok_and(|n| n.get() > 1) {
        let classification = rows
            .iter()
            .find(|r| r.0 == "(streaming classification)")
            .unwrap_or_else(|| panic!("no classification line: {stderr}"));
        // A chat and a WebSocket location per app stream.
        assert_eq!(
            (classification.2, classification.3.as_str()),
            (600, "streaming locations")
        );
    }
    let ihd = rows
        .iter()
        .find(|r| r.0 == "inherited-headers-dropped")
        .unwrap_or_else(|| panic!("no inherited-headers-dropped line: {stderr}"));
    let reported = stdout
        .lines()
        .filter(|l| l.contains("[inherited-headers-dropped]"))
        .count();
    assert_eq!((ihd.2, ihd.3.as_str()), (reported, "findings"));
    assert_eq!(reported, 600);
    // `NGXLINT_TIMINGS=all` lists every rule that ran: the default set, one line each, and the
    // classification's.
    let out = check_timed(&config, "all");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let all: Vec<&str> = rule_time_lines(&stderr)
        .into_iter()
        .filter(|l| !l.trim_start().starts_with('('))
        .collect();
    let default_rules = ngxlint::rules::RULES.iter().filter(|r| r.default).count();
    assert_eq!(all.len(), default_rules, "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
