//! Rendering: one module per output format.

pub mod crossplane;
pub mod json_text;
pub mod tree_dump;
