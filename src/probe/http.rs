//! The HTTP probe: a timed pre-flight connection, then the real request with reqwest (blocking),
//! every body read timestamped as it returns.

use std::io::Read;
use std::time::Instant;

use reqwest::header::{ACCEPT, ACCEPT_ENCODING, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

use super::verdict::{Arrival, BodyEnd};
use super::{Raw, net, sse::SseSplitter, util};
use crate::cli::probe::ProbeArgs;

/// The response headers that say something about streaming.
pub const INTERESTING: [&str; 8] = [
    "Content-Type",
    "Content-Encoding",
    "Transfer-Encoding",
    "Content-Length",
    "X-Accel-Buffering",
    "Cache-Control",
    "Via",
    "Server",
];

/// The prompt `--openai-chat` sends: short, deterministic, many small tokens.
pub const OPENAI_PROMPT: &str = "Count from 1 to 20, one number per line.";

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

pub fn probe(args: &ProbeArgs, url: &reqwest::Url, raw: &mut Raw) {
    let timeout = args.timeout;
    raw.m.timeout_ms = timeout.as_secs_f64() * 1000.0;

    // Request: method, headers, body.
    let (body, default_ct): (Option<Vec<u8>>, Option<&str>) = if let Some(model) = &args.openai_chat
    {
        let v = serde_json::json!({
            "model": model,
            "stream": true,
            "messages": [{"role": "user", "content": OPENAI_PROMPT}],
        });
        (Some(v.to_string().into_bytes()), Some("application/json"))
    } else if let Some(d) = &args.data {
        (Some(d.clone().into_bytes()), None)
    } else if let Some(f) = &args.data_file {
        match util::read_data_file(f, timeout) {
            Ok(b) => (Some(b), None),
            Err(e) => {
                raw.m.failure = Some(format!("cannot read --data-file {}: {e}", f.display()));
                return;
            }
        }
    } else {
        (None, None)
    };
    raw.m.openai = args.openai_chat.is_some();
    raw.method = args
        .method
        .clone()
        .unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.to_owned())
        .to_ascii_uppercase();
    let method = match reqwest::Method::from_bytes(raw.method.as_bytes()) {
        Ok(m) => m,
        Err(_) => {
            raw.m.failure = Some(format!("invalid --method {}", raw.method));
            return;
        }
    };

    let mut headers = HeaderMap::new();
    // Ask for compression like a browser does; reqwest is built without decompression, so the
    // real Content-Encoding and the arrival of compressed bytes stay visible.
    headers.insert(
        ACCEPT_ENCODING,
        HeaderValue::from_static("gzip, deflate, br"),
    );
    let accept = if args.openai_chat.is_some() {
        "text/event-stream"
    } else {
        "*/*"
    };
    headers.insert(ACCEPT, HeaderValue::from_static(accept));
    if let Some(ct) = default_ct {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    for (k, v) in &raw.request_headers_raw {
        match (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            (Ok(name), Ok(value)) => {
                headers.insert(name, value);
            }
            _ => {
                raw.m.failure = Some(format!("invalid --header {k}"));
                return;
            }
        }
    }
    let mut shown: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| {
            let v = String::from_utf8_lossy(v.as_bytes());
            (k.as_str().to_owned(), util::mask_header(k.as_str(), &v))
        })
        .collect();
    shown.sort();
    raw.request_headers = shown;

    // Pre-flight: our own timed DNS + connect (+ TLS) to the same host, unless a proxy is in
    // the way (then those figures would be about the proxy, so they stay unavailable).
    let host = url.host_str().unwrap_or_default().to_owned();
    let port = url.port_or_known_default().unwrap_or(80);
    let https = url.scheme() == "https";
    let proxy = url
        .as_str()
        .parse::<http::Uri>()
        .ok()
        .and_then(|u| hyper_util::client::proxy::matcher::Matcher::from_system().intercept(&u));
    if let Some(p) = proxy {
        let pu = p.uri();
        raw.notes.push(format!(
            "request goes through proxy {}:{} (HTTP(S)_PROXY); connect/TLS to the origin not measured",
            pu.host().unwrap_or("?"),
            pu.port_u16().map_or(String::new(), |p| p.to_string())
        ));
    } else {
        let config = if https {
            match net::client_config(args.insecure) {
                Ok(c) => Some(c),
                Err(e) => {
                    raw.m.failure = Some(e);
                    return;
                }
            }
        } else {
            None
        };
        match net::connect(&host, port, config.as_ref(), timeout) {
            Ok((_conn, t)) => {
                raw.timings.dns = Some(t.dns_ms);
                raw.timings.connect = Some(t.connect_ms);
                raw.timings.tls = t.tls_ms;
                raw.notes.push(
                    "connect/TLS are from a separate pre-flight connection (the HTTP client does not expose its own); the other times count from the request"
                        .to_owned(),
                );
            }
            Err(e) => {
                raw.m.failure = Some(e);
                return;
            }
        }
    }

    // Redirects are followed by hand (at most MAX_REDIRECTS): reqwest's own policy would carry
    // every custom header to another host and send a Referer with the query string.
    let client = match reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .tls_backend_rustls()
        .danger_accept_invalid_certs(args.insecure)
        .user_agent(concat!("ngxlint-probe/", env!("CARGO_PKG_VERSION")))
        .timeout(timeout)
        .connect_timeout(timeout)
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            raw.m.failure = Some(format!("HTTP client setup: {}", util::error_chain(&e)));
            return;
        }
    };
    let t0 = Instant::now();
    let sent = Request {
        method,
        url: url.clone(),
        headers,
        body,
    };
    let mut resp = match send_following(&client, sent, args, raw, t0) {
        Ok(r) => r,
        Err(e) => {
            let e = e.without_url();
            raw.m.failure = Some(if e.is_timeout() {
                format!(
                    "no response headers within --timeout ({} ms)",
                    timeout.as_millis()
                )
            } else {
                format!("request failed: {}", util::error_chain(&e))
            });
            raw.timings.total = Some(ms(t0));
            return;
        }
    };
    let t_headers = ms(t0);
    raw.m.t_headers_ms = Some(t_headers);
    raw.timings.headers = Some(t_headers);
    raw.m.status = Some(resp.status().as_u16());
    raw.http_version = Some(format!("{:?}", resp.version()));
    for name in INTERESTING {
        let vals: Vec<String> = resp
            .headers()
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        if !vals.is_empty() {
            raw.headers.push((name.to_owned(), vals.join(", ")));
        }
    }
    let header = |n: &str| {
        raw.headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.to_ascii_lowercase())
    };
    raw.m.sse = header("Content-Type").is_some_and(|v| v.contains("text/event-stream"));
    raw.m.content_encoding = header("Content-Encoding").filter(|v| v.trim() != "identity");
    if raw.m.content_encoding.is_some() && raw.m.sse {
        raw.notes.push(
            "the event stream is compressed: events are not framed (bytes are not decompressed), only chunk arrivals are timed"
                .to_owned(),
        );
    }

    let parse_events = raw.m.sse && raw.m.content_encoding.is_none();
    let mut splitter = SseSplitter::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match resp.read(&mut buf) {
            Ok(0) => {
                raw.m.body_end = BodyEnd::Complete;
                break;
            }
            Ok(n) => {
                let t = ms(t0);
                raw.m.push_chunk(Arrival { t_ms: t, bytes: n });
                if parse_events {
                    splitter.push(t, &buf[..n]);
                }
            }
            Err(e) => {
                raw.m.body_end = if t0.elapsed() + timeout / 50 >= timeout {
                    BodyEnd::Deadline
                } else {
                    BodyEnd::Broken(util::error_chain(&e))
                };
                break;
            }
        }
    }
    raw.timings.total = Some(ms(t0));
    raw.m.t_end_ms = raw.timings.total;
    raw.m.saw_done = splitter.saw_done;
    raw.m.partial_event_bytes = splitter.partial_bytes();
    raw.m.events = splitter.events;
}

/// Redirects followed at most (as browsers and reqwest's default).
const MAX_REDIRECTS: usize = 10;

struct Request {
    method: reqwest::Method,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
}

/// Send, following redirects by hand: a redirect to another origin (host, port or scheme) is
/// followed only with `--follow-cross-host`, and then without Authorization, Cookie,
/// Proxy-Authorization or any `--header`; no Referer is ever sent. Every hop gets what is left
/// of `--timeout`.
fn send_following(
    client: &reqwest::blocking::Client,
    mut r: Request,
    args: &ProbeArgs,
    raw: &mut Raw,
    t0: Instant,
) -> reqwest::Result<reqwest::blocking::Response> {
    use reqwest::header::{AUTHORIZATION, COOKIE, LOCATION, PROXY_AUTHORIZATION};
    let mut hops = 0;
    loop {
        let left = args
            .timeout
            .saturating_sub(t0.elapsed())
            .max(std::time::Duration::from_millis(1));
        let mut req = client
            .request(r.method.clone(), r.url.clone())
            .headers(r.headers.clone())
            .timeout(left);
        if let Some(b) = &r.body {
            req = req.body(b.clone());
        }
        let resp = req.send()?;
        let status = resp.status();
        if !status.is_redirection() || hops == MAX_REDIRECTS {
            return Ok(resp);
        }
        let Some(next) = resp
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| r.url.join(l).ok())
        else {
            return Ok(resp);
        };
        let cross = next.scheme() != r.url.scheme()
            || next.host_str() != r.url.host_str()
            || next.port_or_known_default() != r.url.port_or_known_default();
        if cross {
            let to = util::mask_url(next.as_str());
            if !args.follow_cross_host {
                raw.notes.push(format!(
                    "redirect ({}) to another host not followed: {to} (--follow-cross-host follows it, without credentials or --header values)",
                    status.as_u16()
                ));
                return Ok(resp);
            }
            raw.notes.push(format!(
                "followed a redirect to another host ({to}) without Authorization, Cookie or --header values"
            ));
            for name in [AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION] {
                r.headers.remove(name);
            }
            for (k, _) in &raw.request_headers_raw {
                r.headers.remove(k.as_str());
            }
        }
        let code = status.as_u16();
        if code == 303 || ((code == 301 || code == 302) && r.method == reqwest::Method::POST) {
            r.method = reqwest::Method::GET;
            r.body = None;
            r.headers.remove(CONTENT_TYPE);
        }
        r.url = next;
        hops += 1;
    }
}
