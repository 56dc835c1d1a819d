//! One integration test binary, one module per area.

mod rules;
mod support;
mod syntax;

#[cfg(feature = "probe")]
mod probe;
