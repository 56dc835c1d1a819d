//! `ngxlint probe`: measure a live endpoint (streaming, buffering, cuts, WebSocket upgrade).

use std::path::PathBuf;
use std::time::Duration;

use crate::probe::{Format, Verdict, parse_duration};

/// Measure a live endpoint the way a browser experiences it and say whether it streams.
#[derive(Debug, clap::Args)]
pub struct ProbeArgs {
    /// URL to probe: http:// or https:// (ws:// or wss:// with --websocket).
    #[arg(value_name = "URL")]
    pub url: String,

    /// Request method (default: GET, or POST when a body is sent).
    #[arg(long, short = 'X', value_name = "METHOD")]
    pub method: Option<String>,

    /// Extra request header, `Name: value` (repeatable). Secret values are never printed.
    #[arg(long = "header", short = 'H', value_name = "K: V")]
    pub headers: Vec<String>,

    /// Request body.
    #[arg(long, short = 'd', value_name = "BODY", conflicts_with_all = ["data_file", "openai_chat", "websocket"])]
    pub data: Option<String>,

    /// Request body read from a file.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["openai_chat", "websocket"])]
    pub data_file: Option<PathBuf>,

    /// Send an OpenAI-compatible streaming chat request for MODEL (POST, JSON, `stream: true`).
    #[arg(long, value_name = "MODEL", conflicts_with = "websocket")]
    pub openai_chat: Option<String>,

    /// Perform a WebSocket upgrade handshake instead of an HTTP request.
    #[arg(long)]
    pub websocket: bool,

    /// With --websocket: stay silent this long after the upgrade and report whether the server
    /// closed the connection (nginx time syntax: 90s, 2m, 500ms).
    #[arg(long, value_name = "TIME", value_parser = parse_duration, requires = "websocket")]
    pub idle: Option<Duration>,

    /// Give up on the response after this long (nginx time syntax).
    #[arg(long, value_name = "TIME", value_parser = parse_duration, default_value = "60s")]
    pub timeout: Duration,

    /// Exit 1 unless the verdict is this one (exit 2 on network errors).
    #[arg(long, value_enum, value_name = "VERDICT")]
    pub expect: Option<Verdict>,

    /// Do not verify the server's TLS certificate.
    #[arg(long, short = 'k')]
    pub insecure: bool,

    /// Follow a redirect to another host (or port or scheme). Without it such a redirect is
    /// reported, not followed. Either way no Referer is sent, and a request to another host
    /// never carries Authorization, Cookie or any --header value.
    #[arg(long)]
    pub follow_cross_host: bool,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// Run the probe; returns the exit code.
pub fn run(args: &ProbeArgs) -> u8 {
    crate::probe::run(args)
}
