//! Which context a block opens, as nginx's block handlers decide it.

use super::directives::{ENTRY_BLOCKS, ctx};

/// Where a directive sits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Context {
    #[default]
    Main,
    Events,
    Http,
    HttpServer,
    HttpLocation,
    /// `if` inside `server`.
    HttpServerIf,
    /// `if` inside `location`.
    HttpLocationIf,
    LimitExcept,
    HttpUpstream,
    Stream,
    StreamServer,
    StreamUpstream,
    Mail,
    MailServer,
    /// Inside `map`, `types`, `geo`... : lines are entries for the module, not directives.
    Entries,
    /// Inside a block nginx does not know (a third-party module's own block).
    Unknown,
}

impl Context {
    /// The [`ctx`] bit of this context (0 for entries and unknown blocks).
    pub fn bit(self) -> u32 {
        match self {
            Context::Main => ctx::MAIN,
            Context::Events => ctx::EVENTS,
            Context::Http => ctx::HTTP,
            Context::HttpServer => ctx::HTTP_SRV,
            Context::HttpLocation => ctx::HTTP_LOC,
            Context::HttpServerIf => ctx::HTTP_SIF,
            Context::HttpLocationIf => ctx::HTTP_LIF,
            Context::LimitExcept => ctx::HTTP_LMT,
            Context::HttpUpstream => ctx::HTTP_UPS,
            Context::Stream => ctx::STREAM,
            Context::StreamServer => ctx::STREAM_SRV,
            Context::StreamUpstream => ctx::STREAM_UPS,
            Context::Mail => ctx::MAIL,
            Context::MailServer => ctx::MAIL_SRV,
            Context::Entries | Context::Unknown => 0,
        }
    }

    /// Is this a context of the `stream` module (its top level, a server, an upstream)?
    pub fn is_stream(self) -> bool {
        matches!(
            self,
            Context::Stream | Context::StreamServer | Context::StreamUpstream
        )
    }

    /// Are directives here checked against the table (known context with directives in it)?
    pub fn is_checked(self) -> bool {
        self.bit() != 0
    }

    /// The context opened by a block directive named `name` in `self`.
    pub fn child(self, name: &[u8]) -> Context {
        use Context::*;
        match (self, name) {
            (Main, b"events") => Events,
            (Main, b"http") => Http,
            (Main, b"stream") => Stream,
            (Main, b"mail") => Mail,
            (Http, b"server") => HttpServer,
            (Http, b"upstream") => HttpUpstream,
            (HttpServer | HttpLocation, b"location") => HttpLocation,
            (HttpServer, b"if") => HttpServerIf,
            (HttpLocation, b"if") => HttpLocationIf,
            (HttpLocation, b"limit_except") => LimitExcept,
            (Stream, b"server") => StreamServer,
            (Stream, b"upstream") => StreamUpstream,
            (Mail, b"server") => MailServer,
            _ if ENTRY_BLOCKS.iter().any(|b| b.as_bytes() == name) => Entries,
            _ => Unknown,
        }
    }

    /// The name users know it by, for messages and `--context`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Main => "main",
            Context::Events => "events",
            Context::Http => "http",
            Context::HttpServer => "server",
            Context::HttpLocation => "location",
            Context::HttpServerIf => "if (in server)",
            Context::HttpLocationIf => "if (in location)",
            Context::LimitExcept => "limit_except",
            Context::HttpUpstream => "upstream",
            Context::Stream => "stream",
            Context::StreamServer => "stream server",
            Context::StreamUpstream => "stream upstream",
            Context::Mail => "mail",
            Context::MailServer => "mail server",
            Context::Entries => "entries",
            Context::Unknown => "unknown block",
        }
    }

    /// Parse a `--context` value.
    pub fn from_cli(s: &str) -> Option<Context> {
        Some(match s {
            "main" => Context::Main,
            "events" => Context::Events,
            "http" => Context::Http,
            "server" => Context::HttpServer,
            "location" => Context::HttpLocation,
            "upstream" => Context::HttpUpstream,
            "stream" => Context::Stream,
            "stream-server" => Context::StreamServer,
            "mail" => Context::Mail,
            _ => return None,
        })
    }
}
