//! PLACEHOLDER
use super::{DirectiveSpec as D, Value, args::*, ctx::*};

pub static DIRECTIVES: &[D] = &[];
