//! Parse throughput: lex + parse into the lossless tree (`ngxlint::syntax::parse`).
//!
//! Three inputs, all reported in bytes per second:
//! - `corpus`: every file of the shared real-world corpus, concatenated (one newline between
//!   files). The corpus is `../shared/corpus` (listed by its `MANIFEST.tsv`), or `NGXLINT_CORPUS`;
//!   when it is absent the bench says so and does not run.
//! - `generated_1mb` / `generated_10mb`: a realistic generated configuration (an `http {}` with
//!   maps, upstreams and many `server {}` blocks with locations, `proxy_set_header`, comments and
//!   quoted strings) of about 1 MB and 10 MB. The two sizes show that parsing scales linearly.
//! - `lex_only_10mb`: the tokenizer alone on the 10 MB input, to split lexing from tree building.
//!
//! Run: `cargo bench --no-default-features --bench parse`.

use std::fmt::Write;
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::OnceLock;

use divan::Bencher;
use divan::counter::BytesCount;

fn main() {
    // Load the inputs first, so their messages print before divan's table.
    let _ = corpus();
    let _ = generated(1_000_000);
    let _ = generated(10_000_000);
    divan::main();
}

/// The corpus, concatenated, or `None` (with a message) when it is not there.
fn corpus() -> Option<&'static [u8]> {
    static CORPUS: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let dir = std::env::var_os("NGXLINT_CORPUS")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
                });
            let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
                eprintln!(
                    "corpus bench NOT RUN: no MANIFEST.tsv in {} (set NGXLINT_CORPUS)",
                    dir.display()
                );
                return None;
            };
            let mut all = Vec::new();
            let mut files = 0;
            for line in manifest.lines().skip(1).filter(|l| !l.trim().is_empty()) {
                let rel = line.split('\t').next().unwrap_or_default();
                let path = dir.join(rel);
                match std::fs::read(&path) {
                    Ok(src) => {
                        all.extend_from_slice(&src);
                        all.push(b'\n');
                        files += 1;
                    }
                    Err(e) => eprintln!("corpus bench: skipping {}: {e}", path.display()),
                }
            }
            eprintln!("corpus bench: {files} files, {} bytes", all.len());
            Some(all)
        })
        .as_deref()
}

/// A small deterministic PRNG (xorshift), so every run benches the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A realistic configuration of at least `target` bytes.
fn generate(target: usize) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut s = String::with_capacity(target + 4096);
    s.push_str(
        "# Generated for the parse benchmark.\n\
         user www-data;\n\
         worker_processes auto;\n\
         pid /run/nginx.pid;\n\n\
         events {\n    worker_connections 4096;\n    multi_accept on;\n}\n\n\
         http {\n\
         \x20   include mime.types;\n\
         \x20   default_type application/octet-stream;\n\
         \x20   sendfile on;\n    tcp_nopush on;\n    keepalive_timeout 65;\n\
         \x20   log_format main '$remote_addr - $remote_user [$time_local] \"$request\" '\n\
         \x20                   '$status $body_bytes_sent \"$http_referer\" '\n\
         \x20                   '\"$http_user_agent\" \"$http_x_forwarded_for\"';\n\
         \x20   access_log /var/log/nginx/access.log main;\n\
         \x20   gzip on;\n    gzip_types text/plain text/css application/json application/javascript;\n\n\
         \x20   map $http_upgrade $connection_upgrade {\n\
         \x20       default upgrade;\n        ''      close;\n    }\n\n",
    );
    let paths = [
        "/", "/api/", "/static/", "/ws", "/events", "/v1/chat", "/health", "/admin/",
    ];
    let backends = ["app", "api", "auth", "media", "stream"];
    let mut n = 0usize;
    while s.len() < target {
        // A map and an upstream now and then, a server block every time.
        if n.is_multiple_of(10) {
            let _ = write!(
                s,
                "    # Routing table {n}.\n    map $host $backend_{n} {{\n        hostnames;\n        default \"app_{n}\";\n"
            );
            for k in 0..8 {
                let _ = writeln!(
                    s,
                    "        ~^(?<sub>[a-z]+)\\.site{n}-{k}\\.example\\.com$ \"{}_{n}\";",
                    rng.pick(&backends)
                );
            }
            s.push_str("    }\n\n");
            let _ = writeln!(s, "    upstream app_{n} {{");
            for k in 0..3 {
                let _ = writeln!(
                    s,
                    "        server 10.{}.{}.{k}:{} max_fails=3 fail_timeout=10s;",
                    rng.below(256),
                    rng.below(256),
                    8000 + rng.below(1000)
                );
            }
            s.push_str("        keepalive 32;\n    }\n\n");
        }
        let _ = write!(
            s,
            "    server {{\n\
             \x20       listen 443 ssl http2;  # TLS\n\
             \x20       server_name site{n}.example.com www.site{n}.example.com;\n\
             \x20       ssl_certificate /etc/ssl/site{n}/fullchain.pem;\n\
             \x20       ssl_certificate_key /etc/ssl/site{n}/privkey.pem;\n\
             \x20       add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;\n\
             \x20       root /srv/www/site{n};\n\n"
        );
        let locations = 2 + rng.below(5);
        for _ in 0..locations {
            let path = rng.pick(&paths);
            let _ = write!(
                s,
                "        location {path} {{\n\
                 \x20           # proxy to the {} pool\n\
                 \x20           proxy_pass http://app_{};\n\
                 \x20           proxy_http_version 1.1;\n\
                 \x20           proxy_set_header Host $host;\n\
                 \x20           proxy_set_header X-Real-IP $remote_addr;\n\
                 \x20           proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n\
                 \x20           proxy_set_header X-Forwarded-Proto $scheme;\n\
                 \x20           proxy_set_header Upgrade $http_upgrade;\n\
                 \x20           proxy_set_header Connection $connection_upgrade;\n\
                 \x20           proxy_read_timeout {}s;\n",
                rng.pick(&backends),
                n / 10 * 10,
                30 + rng.below(3600)
            );
            if rng.below(3) == 0 {
                s.push_str(
                    "            if ($request_method = 'OPTIONS') {\n\
                     \x20               add_header 'Access-Control-Allow-Origin' '*';\n\
                     \x20               return 204;\n\
                     \x20           }\n",
                );
            }
            if rng.below(4) == 0 {
                s.push_str("            proxy_buffering off;\n            proxy_cache off;\n");
            }
            s.push_str("        }\n\n");
        }
        s.push_str(
            "        location ~* \\.(?:css|js|png|jpe?g|gif|svg|woff2?)$ {\n\
             \x20           expires 30d;\n\
             \x20           add_header Cache-Control \"public, immutable\";\n\
             \x20       }\n\
             \x20   }\n\n",
        );
        n += 1;
    }
    s.push_str("}\n");
    s.into_bytes()
}

fn generated(size: usize) -> &'static [u8] {
    static SMALL: OnceLock<Vec<u8>> = OnceLock::new();
    static LARGE: OnceLock<Vec<u8>> = OnceLock::new();
    let cell = if size <= 1 << 20 { &SMALL } else { &LARGE };
    cell.get_or_init(|| {
        let src = generate(size);
        let file = ngxlint::syntax::parse(&src);
        assert!(file.errors.is_empty(), "generated config has syntax errors");
        src
    })
}

fn bench_parse(bencher: Bencher, src: &'static [u8]) {
    bencher
        .counter(BytesCount::of_slice(src))
        .bench(|| ngxlint::syntax::parse(black_box(src)));
}

#[divan::bench(sample_count = 20)]
fn corpus_concatenated(bencher: Bencher) {
    if let Some(src) = corpus() {
        bench_parse(bencher, src);
    }
}

#[divan::bench(sample_count = 50)]
fn generated_1mb(bencher: Bencher) {
    bench_parse(bencher, generated(1_000_000));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn generated_10mb(bencher: Bencher) {
    bench_parse(bencher, generated(10_000_000));
}

/// The tokenizer alone, to see where the time goes.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn lex_only_10mb(bencher: Bencher) {
    let src = generated(10_000_000);
    bencher
        .counter(BytesCount::of_slice(src))
        .bench(|| ngxlint::syntax::lexer::lex(black_box(src)));
}
