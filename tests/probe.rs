//! `ngxlint probe` end-to-end tests (owned by the probe work).
