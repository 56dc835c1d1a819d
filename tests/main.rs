//! One integration test binary, one module per area.

mod support;

#[cfg(feature = "probe")]
mod probe;
