//! One integration test binary, one module per area.

mod cli_parse;
mod corpus;
mod docs;
mod include;
mod integrations;
mod report;
mod rules;
mod support;
mod syntax;

#[cfg(feature = "probe")]
mod probe;
