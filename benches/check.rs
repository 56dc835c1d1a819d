//! `ngxlint check` end to end (parse, model, every rule, suppressions) on a generated
//! configuration of about 40,000 lines with hundreds of servers — the size the project promises
//! to lint in under 50 ms. Also the whole real-world corpus, file by file, when it is present.
//!
//! Run: `cargo bench --no-default-features --bench check`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ngxlint::lint::{Options, lint_source};

fn main() {
    let _ = big();
    divan::main();
}

/// About 40,000 lines: an `http {}` with a WebSocket map, an inherited header, gzip, and per app
/// an upstream with keepalive and a server with a chat location, a WebSocket location and a
/// static location. Realistic, and it produces findings (inherited headers dropped, short read
/// timeouts) so reporting is part of the work.
fn big() -> &'static [u8] {
    static BIG: OnceLock<Vec<u8>> = OnceLock::new();
    BIG.get_or_init(|| {
        let mut s = String::from(
            "events { worker_connections 1024; }\nhttp {\n    map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    gzip on;\n",
        );
        let mut i = 0;
        while s.lines().count() < 40_000 {
            let p = 8000 + i;
            s.push_str(&format!(
                "    upstream app{i} {{\n        server 127.0.0.1:{p};\n        keepalive 16;\n    }}\n    server {{\n        listen 127.0.0.1:{p};\n        server_name app{i}.example.com;\n        # the chat API\n        location /v1/chat/completions {{\n            proxy_pass http://app{i};\n            proxy_http_version 1.1;\n            proxy_set_header Host $host;\n            proxy_set_header Connection \"\";\n            proxy_buffering off;\n            proxy_read_timeout 600s;\n        }}\n        location /ws {{\n            proxy_pass http://app{i};\n            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n        }}\n        location /static/ {{ root /srv/www; expires 1h; add_header Cache-Control \"public\"; }}\n    }}\n"
            ));
            i += 1;
        }
        s.push_str("}\n");
        println!("generated: {} lines, {} servers, {} bytes", s.lines().count(), i, s.len());
        s.into_bytes()
    })
}

#[divan::bench(sample_count = 20)]
fn check_40k_lines() -> usize {
    let linted = lint_source(
        Path::new("bench/nginx.conf"),
        black_box(big()).to_vec(),
        &Options::default(),
        &|_| true,
    );
    linted.diagnostics.len()
}

/// Every corpus file as its own root (what `ngxlint check ../shared/corpus` does per file).
#[divan::bench(sample_count = 5)]
fn check_corpus_files() -> usize {
    let Some(files) = corpus_files() else {
        return 0;
    };
    files
        .iter()
        .map(|(p, src)| {
            lint_source(p, src.clone(), &Options::default(), &|_| true)
                .diagnostics
                .len()
        })
        .sum()
}

/// A corpus file: its path and bytes.
type CorpusFile = (PathBuf, Vec<u8>);

fn corpus_files() -> Option<&'static [CorpusFile]> {
    static FILES: OnceLock<Option<Vec<CorpusFile>>> = OnceLock::new();
    FILES
        .get_or_init(|| {
            let dir = std::env::var_os("NGXLINT_CORPUS")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
                });
            let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
                println!("corpus: NOT RUN ({} has no MANIFEST.tsv)", dir.display());
                return None;
            };
            Some(
                manifest
                    .lines()
                    .skip(1)
                    .filter_map(|l| l.split('\t').next())
                    .filter_map(|p| {
                        let path = dir.join(p);
                        std::fs::read(&path).ok().map(|s| (path, s))
                    })
                    .collect(),
            )
        })
        .as_deref()
}
