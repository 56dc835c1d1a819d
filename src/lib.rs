//! ngxlint: a linter and auto-fixer for nginx configuration.
//!
//! Data flows one way:
//!
//! ```text
//! bytes ──syntax──▶ tree ──semantics──▶ model ──rules──▶ diagnostics (+ fix edits)
//!                                                          │
//!                                                          ├──report──▶ text / JSON / SARIF …
//!                                                          └──fix────▶ patched bytes, diff
//! ```
//!
//! `syntax` knows nginx's tokenizer and no directive names; `semantics` knows directives,
//! contexts, includes and inheritance; `rules` ask the model questions; `fix` applies byte-span
//! edits; `report` renders. `probe` (behind the `probe` feature) measures a live endpoint and is
//! never used by the lint pipeline.
//!
//! `workspace` drives the pipeline for a run: inputs (paths, directories, stdin, `nginx -T`
//! dumps) → roots → settings per file (`.ngxlint.yml`, overrides, flags) → lint results,
//! baselines and suppressions. `cli` only turns flags into its plain options and prints.

// The allocator in src/main.rs and the input mapping in src/io/mapped.rs are the package's
// only `unsafe` code (Cargo.toml denies it everywhere else, and so does the library).
#![deny(unsafe_code)]

pub mod cli;
pub mod config;
pub mod fix;
pub mod inputs;
pub mod io;
pub mod lint;
pub mod nginx_binary;
#[cfg(feature = "probe")]
pub mod probe;
pub mod report;
pub mod rules;
pub mod semantics;
pub mod suppress;
pub mod syntax;
pub mod template;
pub mod text;
pub mod threads;
pub mod workspace;
