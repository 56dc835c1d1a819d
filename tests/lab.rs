//! The streaming lab shared by the end-to-end tests (`probe`, `e2e`): a small streaming backend
//! in-process (std sockets, a thread per connection) and a real nginx in the foreground with a
//! private prefix. Loopback only; every socket has a timeout.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// The backend

/// Start the backend on a free loopback port; it lives until the test process exits.
///
/// * `/sse`: 10 events 100 ms apart then `data: [DONE]` — chunked for an HTTP/1.1 request,
///   close-delimited (no length, `Connection: close`) for HTTP/1.0, as real backends do;
/// * `/stream`: the same with 20 events (about 2 s);
/// * `/slow`: the same with 2 s between 3 events;
/// * `/whole`: sleeps 1 s, then the whole body with `Content-Length`;
/// * `/chat`, `/chat-nodone`: OpenAI-style stream (POST, `"stream":true`, a bearer token
///   required), 5 events 100 ms apart, with or without `data: [DONE]`;
/// * `/length`: says the request's `Content-Length` (or `-`), whether it was chunked, and how
///   many body bytes it read by them (`length=5 chunked=false read=5`);
/// * `/ws`, `/queue/join` (Gradio's queue WebSocket): RFC 6455 handshake — HTTP/1.1,
///   `Upgrade: websocket`, `Connection` ∋ upgrade, else 426.
pub fn backend() -> u16 {
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
        "/stream" => stream(s, http10, events(20, true), Duration::from_millis(100)),
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
        "/ws" | "/queue/join" => {
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
        "/length" => {
            // What framing the request came with, and how much body the backend read by it.
            let body = format!(
                "length={} chunked={} read={}",
                req.header("Content-Length").unwrap_or("-"),
                req.header("Transfer-Encoding").is_some(),
                req.body.len()
            );
            write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
        }
        _ => write!(s, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
    }
}

// ---------------------------------------------------------------------------------------------
// nginx

/// A foreground nginx with a private prefix (pid file, error log); stopped, and its prefix
/// removed, on drop.
pub struct Nginx {
    child: Child,
    dir: PathBuf,
    pub port: u16,
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().unwrap().port()
}

/// A fresh prefix directory for one nginx.
fn prefix_dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "ngxlint-lab-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // As root the workers run as `nobody`: they must be able to traverse the prefix.
    let _ = Command::new("chmod").arg("755").arg(&dir).status();
    dir
}

impl Nginx {
    /// The probe lab: one server on a free port with a location per behaviour, proxying to the
    /// backend on `backend`.
    pub fn start(bin: &Path, backend: u16) -> Nginx {
        let dir = prefix_dir();
        let d = dir.display().to_string();
        let up = format!("http://127.0.0.1:{backend}/");
        let conf_path = dir.join("nginx.conf");
        Nginx::run_with(bin, dir, |port| {
            let conf = format!(
                "worker_processes 1;
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
            std::fs::write(&conf_path, conf).unwrap();
            conf_path.clone()
        })
    }

    /// Run the configuration file `conf` as it is (it must not set `pid`), listening on `port`
    /// (which the file must name): pid file and startup error log go to a private prefix, which
    /// is also nginx's `-p` (relative paths in the file resolve there). Waits until this nginx
    /// listens on the port (at most 10 s). The port is fixed: prefer [`Nginx::run_on`], which
    /// retries on another port when the bind fails.
    pub fn run(bin: &Path, conf: &Path, port: u16) -> Nginx {
        let dir = prefix_dir();
        match Nginx::launch(bin, &dir, conf, port) {
            Ok(n) => n,
            Err(why) => {
                let _ = std::fs::remove_dir_all(&dir);
                panic!("{why}");
            }
        }
    }

    /// Run the configuration `make_conf(port)` writes (and returns the path of) on a free
    /// port, retrying with another port when nginx cannot bind it (another test took the port
    /// between `free_port` releasing it and nginx binding it).
    pub fn run_on(bin: &Path, make_conf: impl FnMut(u16) -> PathBuf) -> Nginx {
        Nginx::run_with(bin, prefix_dir(), make_conf)
    }

    fn run_with(bin: &Path, dir: PathBuf, mut make_conf: impl FnMut(u16) -> PathBuf) -> Nginx {
        let mut last = String::new();
        for _attempt in 0..5 {
            let port = free_port();
            let conf = make_conf(port);
            match Nginx::launch(bin, &dir, &conf, port) {
                Ok(n) => return n,
                Err(why) if why.contains("Address already in use") => {
                    last = why;
                    let _ = std::fs::remove_file(dir.join("error.log"));
                }
                Err(why) => {
                    let _ = std::fs::remove_dir_all(&dir);
                    panic!("{why}");
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        panic!("nginx could not bind a free port in 5 attempts:\n{last}");
    }

    /// Start nginx and wait until the listener on `port` is provably this nginx's own (its
    /// socket is one of the master's file descriptors), not merely "something answers there".
    fn launch(bin: &Path, dir: &Path, conf: &Path, port: u16) -> Result<Nginx, String> {
        let d = dir.display();
        let mut child = Command::new(bin)
            .arg("-p")
            .arg(dir)
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(conf)
            .args(["-g", &format!("daemon off; pid {d}/nginx.pid;")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            // Startup errors (a failed bind) also go to stderr: keep them for the message.
            .stderr(
                std::fs::File::create(dir.join("stderr.log"))
                    .map_or_else(|_| Stdio::null(), Stdio::from),
            )
            .spawn()
            .expect("start nginx");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if listens(child.id(), port) {
                break;
            }
            let exited = child.try_wait().ok().flatten();
            if exited.is_some() || Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                let log = ["error.log", "stderr.log"]
                    .map(|f| std::fs::read_to_string(dir.join(f)).unwrap_or_default())
                    .concat();
                return Err(format!(
                    "nginx did not start on port {port} ({exited:?}):\n{log}"
                ));
            }
            thread::sleep(Duration::from_millis(20));
        }
        Ok(Nginx {
            child,
            dir: dir.to_owned(),
            port,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// What nginx logged so far (startup and `-e` log).
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }
}

/// Is the listening socket on 127.0.0.1:`port` one of process `pid`'s file descriptors?
/// (Linux: `/proc/net/tcp` gives the socket's inode, `/proc/PID/fd` the process's sockets.)
/// Elsewhere: whether something accepts connections there.
fn listens(pid: u32, port: u16) -> bool {
    let Ok(table) = std::fs::read_to_string("/proc/net/tcp") else {
        return TcpStream::connect(("127.0.0.1", port)).is_ok();
    };
    let local = format!("0100007F:{port:04X}");
    let inodes: Vec<String> = table
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            // sl local_address rem_address st ... inode (field 9); st 0A = LISTEN
            (f.len() > 9 && f[1] == local && f[3] == "0A").then(|| f[9].to_owned())
        })
        .collect();
    if inodes.is_empty() {
        return false;
    }
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.filter_map(Result::ok).any(|fd| {
        std::fs::read_link(fd.path()).is_ok_and(|t| {
            let t = t.to_string_lossy();
            inodes.iter().any(|i| t == format!("socket:[{i}]"))
        })
    })
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
