//! One integration test binary, one module per area.

mod cli_check;
mod cli_parse;
mod config;
mod corpus;
mod docs;
#[cfg(feature = "probe")]
mod e2e;
mod fix;
mod hostile;
mod include;
mod inspect;
mod integrations;
mod report;
mod rules;
mod support;
mod syntax;

#[cfg(feature = "probe")]
mod lab;
#[cfg(feature = "probe")]
mod probe;
