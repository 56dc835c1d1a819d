//! Tree → model: directives, contexts, includes, inheritance.

pub mod directives;
