//! One integration test binary, one module per area.

mod cli_parse;
mod corpus;
mod include;
mod rules;
mod support;
mod syntax;

#[cfg(feature = "probe")]
mod probe;
