//! Machine report formats: SARIF (validated against the official schema), GitHub Actions
//! annotations, Checkstyle XML and JUnit XML, on `fixtures/report/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use ngxlint::lint::{Linted, Options, lint_path};
use ngxlint::report::{Finding, checkstyle, github, junit, sarif};
use ngxlint::rules::{Diagnostic, RULES, Severity};
use serde_json::Value;

use crate::support;

/// Lint `path` (absolute or relative to the repository) under the repository-relative path,
/// so every path in a report is the same on every machine.
fn lint(path: &Path) -> Linted {
    let root = support::repo_root();
    let rel = path.strip_prefix(&root).unwrap_or(path);
    lint_path(rel, &Options::default(), &|_| true).expect("lint fixture")
}

/// `fixtures/report/nginx.conf` (with its include `site.inc`) and `fixtures/report/clean.conf`.
fn report_fixtures() -> Vec<Linted> {
    let dir = support::repo_root().join("fixtures/report");
    vec![lint(&dir.join("nginx.conf")), lint(&dir.join("clean.conf"))]
}

fn findings(linted: &[Linted]) -> Vec<Finding<'_>> {
    linted
        .iter()
        .flat_map(|l| {
            l.diagnostics.iter().map(|d| Finding {
                diagnostic: d,
                program: &l.program,
            })
        })
        .collect()
}

fn checked_files(linted: &[Linted]) -> Vec<String> {
    linted
        .iter()
        .flat_map(|l| l.program.files.iter().map(|f| f.path.display().to_string()))
        .collect()
}

/// The one diagnostic of `rule` whose message contains `needle`.
fn diagnostic<'a>(linted: &'a [Linted], rule: &str, needle: &str) -> (&'a Linted, &'a Diagnostic) {
    linted
        .iter()
        .flat_map(|l| l.diagnostics.iter().map(move |d| (l, d)))
        .find(|(_, d)| d.rule.id == rule && d.message.contains(needle))
        .unwrap_or_else(|| panic!("no {rule} finding with {needle:?} in fixtures/report"))
}

#[test]
fn report_fixture_has_what_the_formats_need() {
    let linted = report_fixtures();
    let all = findings(&linted);
    let rules: Vec<&str> = all.iter().map(|f| f.diagnostic.rule.id).collect();
    for want in [
        "unknown-directive",
        "duplicate-directive",
        "inherited-headers-dropped",
    ] {
        assert!(rules.contains(&want), "{want} missing: {rules:?}");
    }
    assert!(all.iter().any(|f| f.diagnostic.fix.is_some()));
    assert!(all.iter().any(|f| !f.diagnostic.secondary.is_empty()));
    assert!(
        all.iter()
            .any(|f| f.diagnostic.severity == Severity::Warning)
    );
    diagnostic(&linted, "unknown-directive", "odd,name:100%<&>'");
    // clean.conf is clean.
    assert!(
        linted[1].diagnostics.is_empty(),
        "{:?}",
        linted[1].diagnostics
    );
}

// ---------------------------------------------------------------------------------------------
// SARIF

fn sarif_value(findings: &[Finding<'_>]) -> Value {
    serde_json::from_str(&sarif::render(findings)).expect("SARIF is JSON")
}

/// Every `bad-*.conf` rule fixture: many rules, labels and fixes (insertions, replacements).
fn bad_rule_fixtures() -> Vec<Linted> {
    let mut files: Vec<PathBuf> = Vec::new();
    let rules_dir = support::repo_root().join("fixtures/rules");
    for entry in std::fs::read_dir(&rules_dir).expect("fixtures/rules") {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let p = f.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("bad-") && name.ends_with(".conf") {
                files.push(p);
            }
        }
    }
    files.sort();
    files.iter().map(|p| lint(p)).collect()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let Some(python) = python_with_jsonschema() else {
        return;
    };
    let schema = support::repo_root().join("tests/data/sarif-schema-2.1.0.json");
    let dir = support::tempdir("sarif");
    let report = report_fixtures();
    let bad = bad_rule_fixtures();
    let bad_findings = findings(&bad);
    assert!(
        bad_findings.iter().any(|f| f.diagnostic.fix.is_some()),
        "the rule fixtures should include fixes"
    );
    let cases: Vec<(&str, String)> = vec![
        ("report.sarif", sarif::render(&findings(&report))),
        ("rule-fixtures.sarif", sarif::render(&bad_findings)),
        ("empty.sarif", sarif::render(&[])),
    ];
    let mut paths = Vec::new();
    for (name, text) in &cases {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        paths.push(p);
    }
    let out = Command::new(&python)
        .arg("-c")
        .arg(
            "import json, jsonschema, sys\n\
             schema = json.load(open(sys.argv[1]))\n\
             for p in sys.argv[2:]:\n    \
                 jsonschema.validate(json.load(open(p)), schema)\n",
        )
        .arg(&schema)
        .args(&paths)
        .output()
        .expect("run python3");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "SARIF does not validate against {}:\n{}",
        schema.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `python3` when it can import `jsonschema`. In CI its absence fails the test; locally the test
/// says it did not run.
fn python_with_jsonschema() -> Option<PathBuf> {
    let python = PathBuf::from("python3");
    let ok = Command::new(&python)
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    if support::in_ci() {
        panic!(
            "python3 with the jsonschema package is required in CI to validate SARIF: \
             install it with `python3 -m pip install jsonschema`"
        );
    }
    eprintln!(
        "SKIPPED (not run): python3 or its jsonschema package is missing \
         (python3 -m pip install jsonschema)"
    );
    None
}

fn region_of(v: &Value) -> (u64, u64, u64, u64) {
    let n = |k: &str| {
        v[k].as_u64()
            .unwrap_or_else(|| panic!("region without {k}: {v}"))
    };
    let r = (
        n("startLine"),
        n("startColumn"),
        n("endLine"),
        n("endColumn"),
    );
    assert!(
        r.0 >= 1 && r.1 >= 1 && r.2 >= 1 && r.3 >= 1,
        "not 1-based: {v}"
    );
    assert!(
        (r.2, r.3) >= (r.0, r.1),
        "region ends before it starts: {v}"
    );
    r
}

#[test]
fn sarif_structure() {
    let linted = report_fixtures();
    let all = findings(&linted);
    let v = sarif_value(&all);
    assert_eq!(v["version"], "2.1.0");
    assert!(
        v["$schema"]
            .as_str()
            .unwrap()
            .ends_with("sarif-schema-2.1.0.json")
    );
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "ngxlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (descriptor, rule) in rules.iter().zip(RULES) {
        assert_eq!(descriptor["id"], rule.id);
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary);
        assert!(
            !descriptor["fullDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            descriptor["helpUri"],
            format!(
                "https://github.com/ngxlint/ngxlint/blob/main/rules/{}.md",
                rule.id
            )
        );
        assert_eq!(
            descriptor["defaultConfiguration"]["level"],
            sarif::level(rule.severity)
        );
    }
    // fullDescription is the first paragraph of "What it does".
    let unknown = rules
        .iter()
        .find(|r| r["id"] == "unknown-directive")
        .unwrap();
    let full = unknown["fullDescription"]["text"].as_str().unwrap();
    assert!(
        full.starts_with("Reports a directive name that no nginx module knows"),
        "{full}"
    );
    assert!(!full.contains('\n') && !full.contains("## "), "{full}");

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), all.len());
    for (r, f) in results.iter().zip(&all) {
        let d = f.diagnostic;
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], r["ruleId"],
            "ruleIndex points at ruleId"
        );
        assert_eq!(r["ruleId"], d.rule.id);
        assert_eq!(r["level"], sarif::level(d.severity));
        assert_eq!(r["message"]["text"], d.message.as_str());
        let locations = r["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        let phys = &locations[0]["physicalLocation"];
        let uri = phys["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("fixtures/report/"), "relative uri: {uri}");
        assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let (start, end) = f.range();
        assert_eq!(
            region_of(&phys["region"]),
            (
                u64::from(start.line),
                u64::from(start.column),
                u64::from(end.line),
                u64::from(end.column)
            )
        );
        let related = r["relatedLocations"].as_array().map_or(&[][..], |a| a);
        assert_eq!(related.len(), d.secondary.len());
        for (rl, label) in related.iter().zip(&d.secondary) {
            region_of(&rl["physicalLocation"]["region"]);
            assert_eq!(rl["message"]["text"], label.text.as_str());
        }
        match &d.fix {
            None => assert!(r.get("fixes").is_none(), "{r}"),
            Some(fix) => {
                let fixes = r["fixes"].as_array().unwrap();
                assert_eq!(fixes.len(), 1);
                assert_eq!(fixes[0]["description"]["text"], fix.title.as_str());
                let changes = fixes[0]["artifactChanges"].as_array().unwrap();
                let replacements: Vec<&Value> = changes
                    .iter()
                    .flat_map(|c| c["replacements"].as_array().unwrap())
                    .collect();
                assert_eq!(replacements.len(), fix.edits.len());
                for (rep, edit) in replacements.iter().zip(&fix.edits) {
                    let (sl, sc, el, ec) = region_of(&rep["deletedRegion"]);
                    if edit.span.is_empty() {
                        assert_eq!((sl, sc), (el, ec), "an insertion is an empty region");
                    }
                    assert_eq!(rep["insertedContent"]["text"], edit.text.as_str());
                }
            }
        }
    }
}

#[test]
fn sarif_paths_are_uris() {
    let linted = report_fixtures();
    let (l, d) = diagnostic(&linted, "unknown-directive", "proxy_bufering");
    // The same finding, with the file reached by an absolute path with a space and `./`.
    let mut linted_paths = Vec::new();
    for path in ["/tmp/my conf/nginx.conf", "./conf/a:b.conf"] {
        let src = l.program.file(d.primary.file).src.clone();
        let mut linted =
            ngxlint::lint::lint_source(Path::new(path), src, &Options::default(), &|r| {
                r.id == "unknown-directive"
            });
        linted.diagnostics.truncate(1);
        linted_paths.push(linted);
    }
    let v = sarif_value(&findings(&linted_paths));
    let loc = |i: usize| {
        v["runs"][0]["results"][i]["locations"][0]["physicalLocation"]["artifactLocation"].clone()
    };
    assert_eq!(loc(0)["uri"], "file:///tmp/my%20conf/nginx.conf");
    assert!(loc(0).get("uriBaseId").is_none());
    assert_eq!(loc(1)["uri"], "conf/a%3Ab.conf");
    assert_eq!(loc(1)["uriBaseId"], "%SRCROOT%");
}

#[test]
fn sarif_snapshot() {
    let linted = report_fixtures();
    let mut v = sarif_value(&findings(&linted));
    // Stable across releases and rule additions: the version, the rule table and the rule
    // indexes are checked by `sarif_structure`, not snapshotted.
    let driver = &mut v["runs"][0]["tool"]["driver"];
    driver["version"] = Value::from("[version]");
    driver["rules"] = Value::from("[every rule in RULES: checked by sarif_structure]");
    for r in v["runs"][0]["results"].as_array_mut().unwrap() {
        r["ruleIndex"] = Value::from("[index]");
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&v).unwrap());
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions

#[test]
fn github_escaping() {
    assert_eq!(
        github::escape_data("100% a\r\nb: c, d"),
        "100%25 a%0D%0Ab: c, d"
    );
    assert_eq!(
        github::escape_property("100% a\r\nb: c, d"),
        "100%25 a%0D%0Ab%3A c%2C d"
    );
    // `%` first, so an escape is not escaped twice.
    assert_eq!(github::escape_data("%0A"), "%250A");
    assert_eq!(github::escape_property("a%3Ab"), "a%253Ab");
}

#[test]
fn github_format() {
    let linted = report_fixtures();
    let all = findings(&linted);
    let out = github::render(&all);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), all.len(), "one line per finding:\n{out}");
    for (line, f) in lines.iter().zip(&all) {
        let d = f.diagnostic;
        let (start, end) = f.range();
        let cmd = github::command(d.severity);
        let head = format!(
            "::{cmd} file={},line={},col={},endLine={},endColumn={},title=ngxlint (",
            f.path(),
            start.line,
            start.column,
            end.line,
            end.column
        );
        assert!(line.starts_with(&head), "{line}\nwant prefix {head}");
        assert!(
            line.contains(&format!("ngxlint ({})::", d.rule.id)),
            "{line}"
        );
        assert!(!line.contains('\r'));
    }
    // The directive whose name has `,` `:` `%` and quotes: only `%` is escaped in the message.
    let odd = lines
        .iter()
        .find(|l| l.contains("odd,name"))
        .expect("odd directive line");
    assert!(
        odd.starts_with(
            "::error file=fixtures/report/site.inc,line=3,col=5,endLine=3,endColumn=27,\
             title=ngxlint (unknown-directive)::unknown directive \"odd,name:100%25<&>'\"%0Ahelp: "
        ),
        "{odd}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn github_escapes_messages_and_paths() {
    let linted = report_fixtures();
    let (l, d) = diagnostic(&linted, "duplicate-directive", "proxy_read_timeout");
    let mut d = d.clone();
    d.message = "two\r\nlines: 50%, \"quoted\"".into();
    d.help = None;
    let out = github::render(&[Finding {
        diagnostic: &d,
        program: &l.program,
    }]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.ends_with("::two%0D%0Alines: 50%25, \"quoted\"\n"),
        "{out}"
    );
    // A path with `,` and `:` is escaped as a property.
    let src = l.program.file(0).src.clone();
    let other = ngxlint::lint::lint_source(
        Path::new("we,ird:dir/nginx.conf"),
        src,
        &Options::default(),
        &|r| r.id == "duplicate-directive",
    );
    let out = github::render(&findings(std::slice::from_ref(&other)));
    assert!(
        out.starts_with("::error file=we%2Cird%3Adir/nginx.conf,line=10,"),
        "{out}"
    );
}

#[test]
fn severities_map_per_format() {
    let linted = report_fixtures();
    let (l, d) = diagnostic(&linted, "duplicate-directive", "proxy_read_timeout");
    let cases = [
        (Severity::Error, "error", "error", "error"),
        (Severity::Warning, "warning", "warning", "warning"),
        (Severity::Info, "notice", "info", "note"),
    ];
    for (severity, gh, cs, sf) in cases {
        let d = d.clone().severity(severity);
        let f = [Finding {
            diagnostic: &d,
            program: &l.program,
        }];
        assert!(github::render(&f).starts_with(&format!("::{gh} file=")));
        assert!(checkstyle::render(&f).contains(&format!("severity=\"{cs}\"")));
        assert_eq!(sarif_value(&f)["runs"][0]["results"][0]["level"], sf);
        assert!(junit::render(&f, &[]).contains("<failure "));
    }
}

// ---------------------------------------------------------------------------------------------
// XML: a small well-formedness checker (no XML dependency).

#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
    }

    fn all(&self, name: &str) -> Vec<&Element> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
}

/// Parse `<?xml ...?>` plus one element tree; panic on anything not well-formed (unbalanced or
/// misnamed tags, unquoted or duplicate attributes, raw `<`/`&`, unknown entities, control
/// characters, trailing content). Entities are decoded.
fn parse_xml(s: &str) -> Element {
    let rest = s
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .expect("XML declaration");
    for c in s.chars() {
        assert!(
            !c.is_control() || matches!(c, '\t' | '\n' | '\r'),
            "control character {c:?} in XML"
        );
    }
    let mut p = XmlParser {
        s: rest.as_bytes(),
        i: 0,
    };
    p.skip_ws();
    let root = p.element();
    p.skip_ws();
    assert_eq!(p.i, p.s.len(), "content after the root element");
    root
}

struct XmlParser<'a> {
    s: &'a [u8],
    i: usize,
}

impl XmlParser<'_> {
    fn skip_ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn expect(&mut self, b: u8) {
        assert_eq!(
            self.s.get(self.i).copied(),
            Some(b),
            "expected {:?} at byte {}",
            char::from(b),
            self.i
        );
        self.i += 1;
    }

    fn name(&mut self) -> String {
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || b"_-.:".contains(&self.s[self.i]))
        {
            self.i += 1;
        }
        assert!(self.i > start, "expected a name at byte {start}");
        String::from_utf8(self.s[start..self.i].to_vec()).unwrap()
    }

    /// Decode text or an attribute value, checking entities and rejecting raw `<`.
    fn decode(raw: &[u8]) -> String {
        let text = std::str::from_utf8(raw).expect("UTF-8");
        let mut out = String::new();
        let mut rest = text;
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            let semi = rest[amp..].find(';').expect("unterminated entity") + amp;
            let entity = &rest[amp + 1..semi];
            let c = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let n = if let Some(hex) = entity.strip_prefix("#x") {
                        u32::from_str_radix(hex, 16)
                    } else if let Some(dec) = entity.strip_prefix('#') {
                        dec.parse()
                    } else {
                        panic!("unknown entity &{entity};")
                    };
                    char::from_u32(n.expect("numeric entity")).expect("valid char")
                }
            };
            out.push(c);
            rest = &rest[semi + 1..];
        }
        out.push_str(rest);
        assert!(!text.contains('<'), "raw < in {text:?}");
        out
    }

    fn element(&mut self) -> Element {
        self.expect(b'<');
        let name = self.name();
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            let before = self.i;
            self.skip_ws();
            match self.s.get(self.i) {
                Some(b'/') => {
                    self.i += 1;
                    self.expect(b'>');
                    return Element {
                        name,
                        attrs,
                        children: Vec::new(),
                        text: String::new(),
                    };
                }
                Some(b'>') => {
                    self.i += 1;
                    break;
                }
                _ => {
                    assert!(self.i > before, "attributes must be separated by space");
                    let attr = self.name();
                    self.expect(b'=');
                    self.expect(b'"');
                    let start = self.i;
                    while self.s[self.i] != b'"' {
                        self.i += 1;
                    }
                    let value = Self::decode(&self.s[start..self.i]);
                    self.i += 1;
                    assert!(
                        !attrs.iter().any(|(n, _)| *n == attr),
                        "duplicate attribute {attr}"
                    );
                    attrs.push((attr, value));
                }
            }
        }
        let mut children = Vec::new();
        let mut text = String::new();
        loop {
            let start = self.i;
            while self.s[self.i] != b'<' {
                self.i += 1;
            }
            text.push_str(&Self::decode(&self.s[start..self.i]));
            if self.s[self.i + 1] == b'/' {
                self.i += 2;
                let close = self.name();
                assert_eq!(close, name, "mismatched closing tag");
                self.skip_ws();
                self.expect(b'>');
                return Element {
                    name,
                    attrs,
                    children,
                    text,
                };
            }
            children.push(self.element());
        }
    }
}

#[test]
fn xml_checker_rejects_broken_xml() {
    let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    for bad in [
        "<a><b></a>",
        "<a x=\"1\" x=\"2\"/>",
        "<a x=1/>",
        "<a>&bogus;</a>",
        "<a>x & y</a>",
        "<a/><b/>",
        "<a>\u{1}</a>",
    ] {
        let doc = format!("{decl}{bad}");
        assert!(
            std::panic::catch_unwind(|| parse_xml(&doc)).is_err(),
            "accepted {bad}"
        );
    }
    let ok = parse_xml(&format!("{decl}<a x=\"&lt;&#10;\"><b/>t&amp;</a>"));
    assert_eq!(ok.attr("x"), "<\n");
    assert_eq!(ok.text, "t&");
}

// ---------------------------------------------------------------------------------------------
// Checkstyle

#[test]
fn checkstyle_format() {
    let linted = report_fixtures();
    let all = findings(&linted);
    let out = checkstyle::render(&all);
    let root = parse_xml(&out);
    assert_eq!(root.name, "checkstyle");
    assert_eq!(root.attr("version"), "4.3");
    let files = root.all("file");
    let names: Vec<&str> = files.iter().map(|f| f.attr("name")).collect();
    assert_eq!(
        names,
        ["fixtures/report/nginx.conf", "fixtures/report/site.inc"],
        "grouped by file, in order"
    );
    let errors: Vec<&Element> = files.iter().flat_map(|f| f.all("error")).collect();
    assert_eq!(errors.len(), all.len());
    for file in &files {
        for e in file.all("error") {
            let f = all
                .iter()
                .find(|f| {
                    f.path() == file.attr("name")
                        && f.diagnostic.message == e.attr("message")
                        && f.range().0.line.to_string() == e.attr("line")
                })
                .unwrap_or_else(|| panic!("no finding for {e:?}"));
            assert_eq!(e.attr("column"), f.range().0.column.to_string());
            assert_eq!(
                e.attr("severity"),
                checkstyle::severity(f.diagnostic.severity)
            );
            assert_eq!(
                e.attr("source"),
                format!("ngxlint.{}", f.diagnostic.rule.id)
            );
        }
    }
    assert!(
        out.contains("message=\"unknown directive &quot;odd,name:100%&lt;&amp;&gt;&apos;&quot;\"")
    );
    insta::assert_snapshot!(out);
}

#[test]
fn checkstyle_drops_control_characters() {
    assert_eq!(
        checkstyle::escape_xml("a\u{0}b\u{7}c\u{1b}d\u{7f}e\tf\ng\rh<'\"&>"),
        "abcde&#9;f&#10;g&#13;h&lt;&apos;&quot;&amp;&gt;"
    );
    let linted = report_fixtures();
    let (l, d) = diagnostic(&linted, "duplicate-directive", "proxy_read_timeout");
    let mut d = d.clone();
    d.message = "bell\u{7} and\nnewline".into();
    let out = checkstyle::render(&[Finding {
        diagnostic: &d,
        program: &l.program,
    }]);
    let root = parse_xml(&out);
    assert_eq!(
        root.all("file")[0].all("error")[0].attr("message"),
        "bell and\nnewline"
    );
}

// ---------------------------------------------------------------------------------------------
// JUnit

#[test]
fn junit_format() {
    let linted = report_fixtures();
    let all = findings(&linted);
    let files = checked_files(&linted);
    assert_eq!(
        files,
        [
            "fixtures/report/nginx.conf",
            "fixtures/report/site.inc",
            "fixtures/report/clean.conf"
        ]
    );
    let out = junit::render(&all, &files);
    let root = parse_xml(&out);
    assert_eq!(root.name, "testsuites");
    let n = all.len() + 1; // + clean.conf's passing case
    assert_eq!(root.attr("name"), "ngxlint");
    assert_eq!(root.attr("tests"), n.to_string());
    assert_eq!(root.attr("failures"), all.len().to_string());
    let suites = root.all("testsuite");
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    assert_eq!(suite.attr("tests"), n.to_string());
    assert_eq!(suite.attr("failures"), all.len().to_string());
    let cases = suite.all("testcase");
    assert_eq!(cases.len(), n);
    let failing: Vec<&&Element> = cases.iter().filter(|c| !c.children.is_empty()).collect();
    assert_eq!(failing.len(), all.len());
    for (case, f) in failing.iter().zip(&all) {
        let d = f.diagnostic;
        let (start, _) = f.range();
        // Not the path: Jenkins splits class names at dots.
        assert_eq!(case.attr("classname"), format!("ngxlint.{}", d.rule.id));
        assert_eq!(
            case.attr("name"),
            format!(
                "{} at {}:{}:{}",
                d.rule.id,
                f.path(),
                start.line,
                start.column
            )
        );
        assert_eq!(case.attr("file"), f.path());
        assert_eq!(case.attr("line"), start.line.to_string());
        let failure = &case.all("failure")[0];
        assert_eq!(failure.attr("type"), d.rule.id);
        assert_eq!(failure.attr("message"), d.message);
        assert!(failure.text.starts_with(&format!(
            "{}:{}:{}: {}",
            f.path(),
            start.line,
            start.column,
            d.message
        )));
    }
    let clean = cases.last().unwrap();
    assert_eq!(clean.attr("classname"), "ngxlint");
    assert_eq!(clean.attr("name"), "fixtures/report/clean.conf");
    assert!(clean.children.is_empty());
    insta::assert_snapshot!(out);
}

#[test]
fn junit_clean_run_and_unlisted_files() {
    // No findings: one passing case per file, duplicates once.
    let files = [
        "a.conf".to_owned(),
        "b.conf".to_owned(),
        "a.conf".to_owned(),
    ];
    let root = parse_xml(&junit::render(&[], &files));
    assert_eq!(root.attr("tests"), "2");
    assert_eq!(root.attr("failures"), "0");
    let cases = root.all("testsuite")[0].all("testcase");
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[1].attr("name"), "b.conf");
    // Findings in a file missing from `files` are still reported.
    let linted = report_fixtures();
    let all = findings(&linted);
    let root = parse_xml(&junit::render(&all, &[]));
    assert_eq!(root.attr("tests"), all.len().to_string());
    assert_eq!(root.attr("failures"), all.len().to_string());
}

/// Findings below `--fail-on` are passing test cases (text in `<system-out>`), so a green exit
/// code never comes with red tests; the suite has `time` and `timestamp`.
#[test]
fn junit_below_fail_on_is_not_a_failure() {
    let linted = report_fixtures();
    let all = findings(&linted);
    let files = checked_files(&linted);
    let run = junit::RunInfo {
        fail_on: ngxlint::rules::Severity::Error,
        seconds: 1.25,
        started: 1_767_225_600, // 2026-01-01T00:00:00Z
        ..Default::default()
    };
    let root = parse_xml(&junit::render_run(&all, &files, &run));
    let errors = all
        .iter()
        .filter(|f| f.diagnostic.severity == ngxlint::rules::Severity::Error)
        .count();
    assert!(errors > 0 && errors < all.len(), "fixture needs both kinds");
    assert_eq!(root.attr("failures"), errors.to_string());
    let suite = root.all("testsuite")[0];
    assert_eq!(suite.attr("failures"), errors.to_string());
    assert_eq!(suite.attr("time"), "1.250");
    assert_eq!(suite.attr("timestamp"), "2026-01-01T00:00:00");
    let cases = suite.all("testcase");
    for (case, f) in cases.iter().zip(&all) {
        let is_error = f.diagnostic.severity == ngxlint::rules::Severity::Error;
        assert_eq!(
            case.all("failure").len(),
            usize::from(is_error),
            "{}",
            case.attr("name")
        );
        assert_eq!(case.all("system-out").len(), usize::from(!is_error));
    }
    assert_eq!(junit::iso8601(0), "1970-01-01T00:00:00");
    assert_eq!(junit::iso8601(951_782_400), "2000-02-29T00:00:00");
    assert_eq!(junit::iso8601(1_709_251_199), "2024-02-29T23:59:59");
}

/// Every JUnit report validates against a published JUnit schema: the Jenkins xUnit plugin's
/// `junit-10.xsd` (vendored in tests/data with its source and licence), with Python's
/// `xmlschema`.
#[test]
fn junit_validates_against_the_jenkins_schema() {
    let Some(python) = support::python_with("xmlschema") else {
        return;
    };
    let linted = report_fixtures();
    let all = findings(&linted);
    let files = checked_files(&linted);
    let bad = bad_rule_fixtures();
    let bad_findings = findings(&bad);
    let schema = support::repo_root().join("tests/data/junit-10.xsd");
    let dir = support::tempdir("junit-xsd");
    let run = junit::RunInfo {
        fail_on: ngxlint::rules::Severity::Warning,
        seconds: 0.5,
        started: 1_767_225_600,
        ..Default::default()
    };
    let reports = [
        ("report.xml", junit::render_run(&all, &files, &run)),
        ("rules.xml", junit::render_run(&bad_findings, &[], &run)),
        ("empty.xml", junit::render_run(&[], &[], &run)),
        ("clean.xml", junit::render(&[], &files)),
    ];
    let mut paths = Vec::new();
    for (name, text) in &reports {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        paths.push(p);
    }
    let script = "import sys, xmlschema\n\
                  s = xmlschema.XMLSchema(sys.argv[1])\n\
                  for p in sys.argv[2:]:\n    s.validate(p)\n";
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(&schema)
        .args(&paths)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "JUnit does not validate against {}:\n{}",
        schema.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    // The validator is not vacuous: a testcase without its required name is rejected.
    let broken = dir.join("broken.xml");
    std::fs::write(
        &broken,
        "<testsuites><testsuite tests=\"1\"><testcase classname=\"x\"/></testsuite></testsuites>",
    )
    .unwrap();
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&schema)
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!out.status.success(), "the schema check accepts anything");
}

/// Every SARIF result has `partialFingerprints`, and they do not change when a blank line is
/// inserted above the finding (code scanning follows the alert instead of opening a new one).
#[test]
fn sarif_fingerprints_survive_line_moves() {
    let dir = support::tempdir("fingerprints");
    let before =
        std::fs::read(support::repo_root().join("fixtures/examples/gradio-streaming/nginx.conf"))
            .unwrap();
    let conf = dir.join("nginx.conf");
    std::fs::write(&conf, &before).unwrap();
    let a = lint(&conf);
    let fa = findings(std::slice::from_ref(&a));
    let va = sarif_value(&fa);
    let results_a = va["runs"][0]["results"].as_array().unwrap().clone();
    assert!(results_a.len() >= 5);
    // A blank line above everything (and one in the middle of the file).
    let text = String::from_utf8(before).unwrap();
    let mid = text.len() / 2;
    let nl = text[mid..].find('\n').unwrap() + mid + 1;
    let moved = format!("\n{}\n{}", &text[..nl], &text[nl..]);
    std::fs::write(&conf, moved).unwrap();
    let b = lint(&conf);
    let fb = findings(std::slice::from_ref(&b));
    let vb = sarif_value(&fb);
    let results_b = vb["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results_a.len(), results_b.len());
    let fp = |r: &Value| {
        r["partialFingerprints"]["ngxlint/v1"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let line = |r: &Value| {
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
    };
    let mut distinct = std::collections::HashSet::new();
    for (ra, rb) in results_a.iter().zip(results_b) {
        assert_eq!(ra["ruleId"], rb["ruleId"]);
        assert!(line(rb) > line(ra), "the finding moved down");
        assert_eq!(fp(ra), fp(rb), "fingerprint changed for {}", ra["ruleId"]);
        distinct.insert(fp(ra));
    }
    // Different findings have different fingerprints.
    assert_eq!(distinct.len(), results_a.len());
    // executionSuccessful says whether everything was checked.
    assert_eq!(va["runs"][0]["invocations"][0]["executionSuccessful"], true);
    let failed = serde_json::from_str::<Value>(&sarif::render_run(&fa, false)).unwrap();
    assert_eq!(
        failed["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    // Rules carry their page as help (text and markdown).
    for r in va["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(r["help"]["text"].as_str().unwrap().contains("https://"));
        assert!(r["help"]["markdown"].as_str().unwrap().starts_with("# "));
    }
}

/// Absolute paths inside the working directory are reported relative to it (GitHub maps
/// annotations and SARIF URIs onto the checkout); `concise` lines stay short.
#[test]
fn absolute_paths_inside_the_working_directory_are_relative() {
    let abs = support::repo_root().join("fixtures/examples/gradio-streaming/nginx.conf");
    assert!(abs.is_absolute());
    let l = lint(&abs);
    let all = findings(std::slice::from_ref(&l));
    assert!(!all.is_empty());
    let gh = github::render(&all);
    for line in gh.lines().filter(|l| l.starts_with("::")) {
        assert!(
            line.contains(" file=fixtures/examples/gradio-streaming/nginx.conf,"),
            "{line}"
        );
    }
    let v = sarif_value(&all);
    for r in v["runs"][0]["results"].as_array().unwrap() {
        let loc = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(loc["uri"], "fixtures/examples/gradio-streaming/nginx.conf");
        assert_eq!(loc["uriBaseId"], "%SRCROOT%");
    }
    // Outside the working directory: still an absolute file URI.
    assert_eq!(
        ngxlint::report::display_path(std::path::Path::new("/etc/nginx/nginx.conf")),
        "/etc/nginx/nginx.conf"
    );
}

#[test]
fn concise_lines_are_short() {
    let bad = bad_rule_fixtures();
    let all = findings(&bad);
    let out = ngxlint::report::concise::render(&all);
    let mut longest = 0;
    for (line, f) in out.lines().zip(&all) {
        let head = format!(
            "{}:{}:{}: {}[{}] ",
            f.path(),
            f.range().0.line,
            f.range().0.column,
            f.diagnostic.severity.as_str(),
            f.diagnostic.rule.id
        );
        let msg = line.strip_prefix(&head).unwrap_or_else(|| panic!("{line}"));
        let n = msg.chars().count();
        assert!(n <= ngxlint::report::concise::MAX_MESSAGE + 2, "{line}");
        assert!(!msg.is_empty());
        longest = longest.max(n);
    }
    assert_eq!(out.lines().count(), all.len());
    assert_eq!(
        ngxlint::report::concise::short("first clause; second clause"),
        "first clause …"
    );
    assert_eq!(ngxlint::report::concise::short("short"), "short");
}

/// `--format json` names each location's own file, its path worked out once per file of each
/// program: the findings of several programs (the report fixture with its include, and a rule
/// fixture) share file numbers, and every finding, label and edit keeps the path of its file.
#[test]
fn json_names_every_location_by_its_own_file() {
    let mut linted = report_fixtures();
    linted.push(lint(
        &support::repo_root().join("fixtures/rules/inherited-headers-dropped/bad-crlf.conf"),
    ));
    let all = findings(&linted);
    let summary = ngxlint::report::Summary::of(&all, 3);
    let v: Value =
        serde_json::from_str(&ngxlint::report::json::render(&all, summary)).expect("JSON");
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), all.len());
    let path = |f: &Finding<'_>, file: u32| ngxlint::report::json_path(&f.program.file(file).path);
    let mut files = std::collections::BTreeSet::new();
    let mut located = 0;
    for (f, j) in all.iter().zip(diags) {
        let d = f.diagnostic;
        assert_eq!(j["file"], path(f, d.primary.file), "{}", d.message);
        files.insert(path(f, d.primary.file));
        for (l, jl) in d
            .secondary
            .iter()
            .zip(j["related"].as_array().expect("related"))
        {
            assert_eq!(jl["file"], path(f, l.file));
            located += 1;
        }
        if let Some(fix) = &d.fix {
            let edits = j["fix"]["edits"].as_array().expect("edits");
            for (e, je) in fix.edits.iter().zip(edits) {
                assert_eq!(je["file"], path(f, e.file));
                located += 1;
            }
        }
    }
    // Three files: the include's number in its program is another program's main file's.
    assert!(files.len() >= 3, "{files:?}");
    assert!(files.iter().any(|p| p.ends_with("site.inc")), "{files:?}");
    assert!(located > 0);
}
