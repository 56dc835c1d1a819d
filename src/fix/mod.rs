//! Fixes as byte-span edits: applying them, diffing, writing, and the helpers that format
//! inserted lines like the file around them.

pub mod apply;
pub mod diff;
pub mod edit;
pub mod style;
pub mod verify;
pub mod write;

pub use edit::{Applicability, Edit, Fix};
