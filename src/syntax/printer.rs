//! Tree to bytes. Walks the tree (not the lexer output), so that the round-trip test really
//! tests that the tree owns every byte.

use super::tree::SyntaxFile;

/// Reproduce the file from its tree.
pub fn print(file: &SyntaxFile, src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len());
    for token in file.tokens(src) {
        out.extend_from_slice(token.text(src));
    }
    out
}
