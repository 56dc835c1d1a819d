//! Core, events and the block directives that open http/stream/mail.
use super::{DirectiveSpec as D, Value, args::*, ctx::*};

pub static DIRECTIVES: &[D] = &[
    D::new("events", "events", MAIN, BLOCK | NOARGS).unique(),
    D::new("http", "http", MAIN, BLOCK | NOARGS).unique(),
    D::new("stream", "stream", MAIN, BLOCK | NOARGS).unique(),
    D::new("mail", "mail", MAIN, BLOCK | NOARGS).unique(),
    D::new("include", "core", ANY_CONTEXT, TAKE1),
    D::new("worker_processes", "core", MAIN, TAKE1)
        .default("1")
        .unique(),
    D::new("worker_connections", "events", EVENTS, TAKE1)
        .value(Value::Number)
        .default("512")
        .unique(),
];

/// `include` is handled by the parser itself and allowed everywhere.
const ANY_CONTEXT: u32 = u32::MAX;
