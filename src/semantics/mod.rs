//! Tree → model: directives, contexts, includes, inheritance.

pub mod apps;
pub mod context;
pub mod directives;
pub mod grammar;
pub mod include;
pub mod model;
pub mod streaming;
pub mod values;
pub mod variables;
pub mod walk;

pub use context::Context;
pub use include::{FileId, LoadOptions, Program, SourceFile};
