//! Tree → model: directives, contexts, includes, inheritance.

pub mod apps;
mod arg_str;
pub mod context;
pub mod directives;
pub mod grammar;
pub mod include;
pub mod loadtime;
pub mod location;
pub mod model;
pub mod modules;
pub mod regex;
pub mod script;
pub mod streaming;
pub mod taint;
pub mod values;
pub mod variables;
pub mod versions;
pub mod walk;

pub use context::Context;
pub use include::{FileId, LoadOptions, Program, SourceFile};
