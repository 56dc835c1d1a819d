//! Tree → model: directives, contexts, includes, inheritance.

pub mod access;
pub mod address;
pub mod apps;
mod arg_str;
pub mod cache;
pub mod context;
pub mod cves;
pub mod decoded;
pub mod directives;
pub mod dns;
pub mod grammar;
pub mod hash;
pub mod headers;
pub mod http_values;
pub mod include;
pub mod loadtime;
pub mod location;
pub mod model;
pub mod modules;
pub mod regex;
pub mod script;
pub mod streaming;
pub mod taint;
pub mod tls;
pub mod values;
pub mod variables;
pub mod versions;
pub mod walk;

pub use arg_str::IfTest;
pub use context::Context;
pub use include::{FileId, LoadOptions, Program, SourceFile};
