//! Fixes as byte-span edits, and the helpers that format them like the file around them.

pub mod edit;
pub mod style;

pub use edit::{Applicability, Edit, Fix};
