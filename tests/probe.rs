//! `ngxlint probe` end-to-end tests (owned by the probe work).
//!
//! A small streaming backend runs in-process (std sockets, a thread per connection); the real
//! nginx runs in the foreground with a private prefix (both in `crate::lab`). The CLI binary
//! is run with `--format json` and its verdicts are checked. Loopback only; every step has a
//! timeout.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::lab::{Nginx, backend, free_port};

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
