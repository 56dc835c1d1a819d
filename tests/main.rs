//! One integration test binary, one module per area.

mod cli_check;
mod cli_parse;
mod config;
mod corpus;
mod cve_table;
mod docs;
#[cfg(feature = "probe")]
mod e2e;
mod fix;
mod fragment_context;
mod hostile;
mod include;
mod inspect;
mod integrations;
mod nginx_binary;
mod nginx_tables;
mod peers;
mod perf;
mod realworld;
mod report;
mod rules;
mod support;
mod syntax;
mod teams;

#[cfg(feature = "probe")]
mod lab;
#[cfg(feature = "probe")]
mod probe;
