//! `ngxlint probe` end-to-end tests (owned by the probe work).
//!
//! A small streaming backend runs in-process (std sockets, a thread per connection); the real
//! nginx runs in the foreground with a private prefix. The CLI binary is run with
//! `--format json` and its verdicts are checked. Loopback only; every step has a timeout.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// The backend

/// Start the backend on a free loopback port; it lives until the test process exits.
///
/// * `/sse`: 10 events 100 ms apart then `data: [DONE]` — chunked for an HTTP/1.1 request,
///   close-delimited (no length, `Connection: close`) for HTTP/1.0, as real backends do;
/// * `/slow`: the same with 2 s between 3 events;
/// * `/whole`: sleeps 1 s, then the whole body with `Content-Length`;
/// * `/chat`, `/chat-nodone`: OpenAI-style stream (POST, `"stream":true`, a bearer token
///   required), 5 events 100 ms apart, with or without `data: [DONE]`;
/// * `/ws`: RFC 6455 handshake — HTTP/1.1, `Upgrade: websocket`, `Connection` ∋ upgrade, else 426.
fn backend() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind backend");
    let port = l.local_addr().unwrap().port();
    thread::spawn(move || {
        for s in l.incoming().flatten() {
            thread::spawn(move || {
                let _ = serve(s);
            });
        }
    });
    port
}

struct Request {
    method: String,
    path: String,
    version: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn read_request(s: &TcpStream) -> std::io::Result<Request> {
    let mut r = BufReader::new(s.try_clone()?);
    let mut line = String::new();
    r.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, path, version) = (
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    );
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if r.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let mut req = Request {
        method,
        path,
        version,
        headers,
        body: Vec::new(),
    };
    let len: usize = req
        .header("Content-Length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    req.body = vec![0; len];
    r.read_exact(&mut req.body)?;
    Ok(req)
}

fn events(n: usize, done: bool) -> Vec<String> {
    let mut e: Vec<String> = (1..=n)
        .map(|i| format!("data: {{\"choices\":[{{\"delta\":{{\"content\":\"{i}\\n\"}}}}]}}\n\n"))
        .collect();
    if done {
        e.push("data: [DONE]\n\n".to_owned());
    }
    e
}

fn stream(mut s: TcpStream, http10: bool, evs: Vec<String>, gap: Duration) -> std::io::Result<()> {
    let framing = if http10 {
        "Connection: close\r\n"
    } else {
        "Transfer-Encoding: chunked\r\n"
    };
    write!(
        s,
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n{framing}\r\n"
    )?;
    let last = evs.len().saturating_sub(1);
    for (i, e) in evs.iter().enumerate() {
        if http10 {
            s.write_all(e.as_bytes())?;
        } else {
            write!(s, "{:x}\r\n{e}\r\n", e.len())?;
        }
        s.flush()?;
        // The [DONE] event follows the last data event immediately.
        if i + 1 < last {
            thread::sleep(gap);
        }
    }
    if !http10 {
        s.write_all(b"0\r\n\r\n")?;
    }
    Ok(())
}

fn serve(mut s: TcpStream) -> std::io::Result<()> {
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    s.set_nodelay(true)?;
    let req = read_request(&s)?;
    let http10 = req.version == "HTTP/1.0";
    match req.path.as_str() {
        "/sse" => stream(s, http10, events(10, true), Duration::from_millis(100)),
        "/slow" => stream(s, http10, events(3, true), Duration::from_secs(2)),
        "/whole" => {
            thread::sleep(Duration::from_secs(1));
            let body = events(10, true).concat();
            write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
        }
        "/chat" | "/chat-nodone" => {
            let body = String::from_utf8_lossy(&req.body);
            let ok = req.method == "POST"
                && req.header("Content-Type") == Some("application/json")
                && req.header("Authorization") == Some("Bearer sk-test-SECRET")
                && body.contains("\"stream\":true")
                && body.contains("\"model\":\"tiny\"");
            if !ok {
                return write!(s, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            }
            let done = req.path == "/chat";
            stream(s, http10, events(5, done), Duration::from_millis(100))
        }
        "/ws" => {
            let upgrade = req
                .header("Upgrade")
                .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
            let connection = req.header("Connection").is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim().eq_ignore_ascii_case("upgrade"))
            });
            match req.header("Sec-WebSocket-Key") {
                Some(key) if upgrade && connection && req.version == "HTTP/1.1" => {
                    let accept = ngxlint::probe::websocket::accept_key(key);
                    write!(
                        s,
                        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
                    )?;
                    // Hold the connection (silently) until the client or a proxy closes it.
                    let mut buf = [0u8; 1024];
                    while s.read(&mut buf).is_ok_and(|n| n > 0) {}
                    Ok(())
                }
                _ => write!(
                    s,
                    "HTTP/1.1 426 Upgrade Required\r\nUpgrade: websocket\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                ),
            }
        }
        _ => write!(s, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
    }
}

// ---------------------------------------------------------------------------------------------
// nginx

/// A foreground nginx with a private prefix; stopped (and its directory removed) on drop.
struct Nginx {
    child: Child,
    dir: PathBuf,
    port: u16,
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().unwrap().port()
}

impl Nginx {
    fn start(bin: &std::path::Path, backend: u16) -> Nginx {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "ngxlint-probe-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // As root the workers run as `nobody`: they must be able to traverse the prefix.
        let _ = Command::new("chmod").arg("755").arg(&dir).status();
        let port = free_port();
        let d = dir.display();
        let up = format!("http://127.0.0.1:{backend}/");
        let conf = format!(
            "worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    server {{
        listen 127.0.0.1:{port};
        # proxy_buffering on (default) + HTTP/1.0 upstream (default): the body is held back.
        location /buffered/ {{ proxy_pass {up}; }}
        location /unbuffered/ {{ proxy_pass {up}; proxy_buffering off; }}
        location /short-timeout/ {{ proxy_pass {up}; proxy_buffering off; proxy_read_timeout 1s; }}
        # No Upgrade/Connection forwarding, HTTP/1.0 upstream: the backend refuses (426).
        location /ws-plain/ {{ proxy_pass {up}; }}
        location /ws/ {{
            proxy_pass {up};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection \"upgrade\";
            proxy_read_timeout 1s;
        }}
    }}
}}
"
        );
        let conf_path = dir.join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let mut child = Command::new(bin)
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(&conf_path)
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            let exited = child.try_wait().ok().flatten();
            if exited.is_some() || Instant::now() > deadline {
                let log = std::fs::read_to_string(dir.join("error.log")).unwrap_or_default();
                let _ = child.kill();
                panic!("nginx did not start ({exited:?}):\n{log}");
            }
            thread::sleep(Duration::from_millis(20));
        }
        Nginx { child, dir, port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM to the master stops its worker too; SIGKILL only as a last resort.
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.child.try_wait().ok().flatten().is_none() {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

// ---------------------------------------------------------------------------------------------
// Running the CLI

/// Run `ngxlint probe ARGS --format json` (bounded at 30 s); exit code, parsed report, stdout.
fn probe(args: &[&str]) -> (i32, Value, String) {
    let mut child = Command::new(crate::support::ngxlint_bin())
        .arg("probe")
        .args(args)
        .args(["--format", "json", "--timeout", "10s"])
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("https_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("all_proxy")
        .env_remove("ALL_PROXY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ngxlint");
    let mut out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        let _ = tx.send(s);
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ngxlint probe {args:?} did not finish within 30 s");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let stdout = rx.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
    let mut stderr = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\nstderr: {stderr}"));
    eprintln!(
        "probe {args:?}: {} | {}\n  timings {}",
        json["verdict"], json["evidence"], json["timings_ms"]
    );
    (status.code().unwrap_or(-1), json, stdout)
}

fn verdict(j: &Value) -> &str {
    j["verdict"].as_str().unwrap_or_default()
}

fn n_events(j: &Value) -> usize {
    j["events"].as_array().map_or(0, Vec::len)
}

fn ms(j: &Value, k: &str) -> f64 {
    j["timings_ms"][k].as_f64().unwrap_or(f64::NAN)
}

// ---------------------------------------------------------------------------------------------
// Direct to the backend

#[test]
fn direct_sse_is_streaming() {
    let b = backend();
    let url = format!("http://127.0.0.1:{b}/sse");
    let (code, j, _) = probe(&[&url, "--expect", "streaming"]);
    assert_eq!(verdict(&j), "streaming", "{j}");
    assert_eq!(code, 0);
    assert_eq!(j["status"], 200);
    assert_eq!(j["http_version"], "HTTP/1.1");
    assert_eq!(n_events(&j), 11);
    assert_eq!(j["headers"]["Transfer-Encoding"], "chunked");
    assert!(j["timings_ms"]["connect"].is_f64(), "{j}");
    assert!(j["timings_ms"]["tls"].is_null(), "{j}");
    // First event right away, the last about a second later.
    assert!(ms(&j, "first_event") < 300.0, "{j}");
    assert!(ms(&j, "last_byte") > 800.0, "{j}");
    let median = j["gaps_ms"]["median"].as_f64().unwrap();
    assert!((60.0..250.0).contains(&median), "{j}");
    assert_eq!(j["hint_rule"], Value::Null);
}

#[test]
fn direct_whole_body_is_buffered() {
    let b = backend();
    let url = format!("http://127.0.0.1:{b}/whole");
    let (code, j, _) = probe(&[&url, "--expect", "streaming"]);
    assert_eq!(verdict(&j), "buffered", "{j}");
    assert_eq!(code, 1, "--expect streaming must fail on a buffered body");
    assert_eq!(j["status"], 200);
    assert!(j["headers"]["Content-Length"].is_string(), "{j}");
    assert!(ms(&j, "first_byte") > 800.0, "{j}");
    assert_eq!(j["hint_rule"], "buffering-on-streaming");
}

#[test]
fn openai_chat_stream_and_missing_done() {
    let b = backend();
    let url = format!("http://127.0.0.1:{b}/chat");
    let args = [
        url.as_str(),
        "--openai-chat",
        "tiny",
        "--header",
        "Authorization: Bearer sk-test-SECRET",
    ];
    let (code, j, out) = probe(&args);
    assert_eq!(verdict(&j), "streaming", "{j}");
    assert_eq!(code, 0);
    assert_eq!(j["method"], "POST");
    assert_eq!(n_events(&j), 6);
    assert!(
        !out.contains("SECRET"),
        "secret header value printed:\n{out}"
    );
    assert_eq!(j["request_headers"]["authorization"], "Bearer ***");

    let url = format!("http://127.0.0.1:{b}/chat-nodone");
    let (code, j, out) = probe(&[
        &url,
        "--openai-chat",
        "tiny",
        "-H",
        "Authorization: Bearer sk-test-SECRET",
        "--expect",
        "streaming",
    ]);
    assert_eq!(verdict(&j), "cut", "{j}");
    assert_eq!(code, 1);
    assert!(j["evidence"].as_str().unwrap().contains("[DONE]"), "{j}");
    assert!(!out.contains("SECRET"));
}

#[test]
fn network_error_exits_2() {
    let port = free_port(); // bound then released: nothing listens there
    let url = format!("http://127.0.0.1:{port}/");
    let (code, j, _) = probe(&[&url, "--expect", "streaming"]);
    assert_eq!(verdict(&j), "error", "{j}");
    assert_eq!(code, 2);
    assert_eq!(j["status"], Value::Null);
}

#[test]
fn direct_websocket_upgrade() {
    let b = backend();
    let (code, j, _) = probe(&[
        &format!("ws://127.0.0.1:{b}/ws"),
        "--websocket",
        "--expect",
        "upgraded",
    ]);
    assert_eq!(verdict(&j), "upgraded", "{j}");
    assert_eq!(code, 0);
    assert_eq!(j["status"], 101);
    // The backend holds a silent connection open: it survives --idle.
    let (code, j, _) = probe(&[
        &format!("ws://127.0.0.1:{b}/ws"),
        "--websocket",
        "--idle",
        "1s",
    ]);
    assert_eq!(verdict(&j), "upgraded", "{j}");
    assert_eq!(code, 0);
    assert!(ms(&j, "total") >= 1000.0, "{j}");
}

// ---------------------------------------------------------------------------------------------
// Through the real nginx

fn lab() -> Option<(Nginx, u16)> {
    let bin = crate::support::nginx()?;
    let b = backend();
    Some((Nginx::start(&bin, b), b))
}

#[test]
fn nginx_proxy_buffering_on_is_buffered() {
    let Some((ngx, _)) = lab() else { return };
    let (code, j, _) = probe(&[&ngx.url("/buffered/sse"), "--expect", "buffered"]);
    assert_eq!(verdict(&j), "buffered", "{j}");
    assert_eq!(code, 0);
    assert_eq!(j["status"], 200);
    assert_eq!(j["hint_rule"], "buffering-on-streaming");
    assert_eq!(n_events(&j), 11);
    // The first event only at the end (~0.9 s). nginx 1.22.1 holds the response header back
    // too (`postpone_output`), so it arrives with the body.
    assert!(ms(&j, "first_event") > 800.0, "{j}");
    assert!(ms(&j, "last_byte") - ms(&j, "first_byte") < 100.0, "{j}");
}

#[test]
fn nginx_proxy_buffering_off_is_streaming() {
    let Some((ngx, _)) = lab() else { return };
    let (code, j, _) = probe(&[&ngx.url("/unbuffered/sse"), "--expect", "streaming"]);
    assert_eq!(verdict(&j), "streaming", "{j}");
    assert_eq!(code, 0);
    assert_eq!(n_events(&j), 11);
    assert!(ms(&j, "first_event") < 300.0, "{j}");
    assert!(ms(&j, "last_byte") > 800.0, "{j}");
    let server = j["headers"]["Server"].as_str().unwrap_or_default();
    assert!(server.starts_with("nginx"), "{j}");
}

#[test]
fn nginx_short_read_timeout_cuts_the_stream() {
    let Some((ngx, _)) = lab() else { return };
    let (code, j, _) = probe(&[&ngx.url("/short-timeout/slow"), "--expect", "cut"]);
    assert_eq!(verdict(&j), "cut", "{j}");
    assert_eq!(code, 0);
    assert_eq!(j["status"], 200);
    assert_eq!(j["hint_rule"], "read-timeout-short");
    assert_eq!(n_events(&j), 1, "only the event before the pause: {j}");
    // nginx gives up ~1 s after the first event (lazy timers: up to +300 ms).
    let total = ms(&j, "total");
    assert!((900.0..2000.0).contains(&total), "{j}");
}

#[test]
fn nginx_websocket_needs_upgrade_headers() {
    let Some((ngx, _)) = lab() else { return };
    let ws = |p: &str| ngx.url(p).replacen("http://", "ws://", 1);

    let (code, j, _) = probe(&[&ws("/ws-plain/ws"), "--websocket", "--expect", "upgraded"]);
    assert_eq!(verdict(&j), "upgrade-failed", "{j}");
    assert_eq!(code, 1);
    assert_eq!(j["status"], 426);
    assert_eq!(j["hint_rule"], "websocket-upgrade-missing");

    let (code, j, _) = probe(&[&ws("/ws/ws"), "--websocket", "--expect", "upgraded"]);
    assert_eq!(verdict(&j), "upgraded", "{j}");
    assert_eq!(code, 0);
    assert_eq!(j["status"], 101);

    // proxy_read_timeout 1s closes a silent tunnel.
    let (code, j, _) = probe(&[&ws("/ws/ws"), "--websocket", "--idle", "3s"]);
    assert_eq!(verdict(&j), "cut", "{j}");
    assert_eq!(code, 0);
    assert_eq!(j["hint_rule"], "read-timeout-short");
    let total = ms(&j, "total");
    assert!((900.0..2500.0).contains(&total), "{j}");
}
