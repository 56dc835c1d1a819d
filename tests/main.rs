//! One integration test binary, one module per area.

mod corpus;
mod rules;
mod support;
mod syntax;

#[cfg(feature = "probe")]
mod probe;
