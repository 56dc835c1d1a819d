//! Small text helpers shared by the layers (no dependencies on them).

/// `n` in decimal, appended to `out`: what `write!(out, "{n}")` writes, without the
/// formatting machinery (it runs for every line:column of a report and every listen address).
pub fn push_decimal(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // One reservation, then each ASCII digit pushed as a one-byte char.
    out.reserve(digits.len() - i);
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// Byte strings, each with a number, that answer in time linear in a text: the least number
/// of those that are prefixes of it ([`LeastMatch::least_prefix`]), or, once
/// [`LeastMatch::link`]ed, that occur anywhere in it ([`LeastMatch::least_within`], Aho and
/// Corasick's automaton, each state knowing the least number of the strings that end there).
/// Comparing a text with each string in turn costs their number per text: thousands of
/// regex locations in one block, each compared with every earlier one, took seconds.
pub struct LeastMatch {
    /// Per node (the root, node 0, stands for the empty string): the least number of the
    /// strings ending there (`NONE`: none).
    own: Vec<u32>,
    /// The edges: (node, next byte) to node. A child is made after its parent, so its number
    /// is larger.
    edges: foldhash::HashMap<(u32, u8), u32>,
    /// Per node, after [`LeastMatch::link`]: the node of the longest proper suffix of its
    /// string in the trie.
    fail: Vec<u32>,
    /// Per node, after [`LeastMatch::link`]: the least number of the strings that are
    /// suffixes of its string (its own, or through `fail`).
    best: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl Default for LeastMatch {
    fn default() -> Self {
        LeastMatch {
            own: vec![NONE],
            edges: foldhash::HashMap::default(),
            fail: Vec::new(),
            best: Vec::new(),
        }
    }
}

impl LeastMatch {
    /// Adds `key` with number `value` (where the key is there already, the least of its
    /// numbers stays).
    pub fn insert(&mut self, key: impl IntoIterator<Item = u8>, value: u32) {
        let mut at = 0u32;
        for byte in key {
            at = match self.edges.get(&(at, byte)) {
                Some(&next) => next,
                None => {
                    let next = self.own.len() as u32;
                    self.own.push(NONE);
                    self.edges.insert((at, byte), next);
                    next
                }
            };
        }
        let own = &mut self.own[at as usize];
        *own = (*own).min(value);
    }

    /// The least number of the keys `text` starts with (the empty key included).
    pub fn least_prefix(&self, text: impl IntoIterator<Item = u8>) -> Option<u32> {
        let mut least = self.own[0];
        let mut at = 0u32;
        for byte in text {
            match self.edges.get(&(at, byte)) {
                Some(&next) => at = next,
                None => break,
            }
            least = least.min(self.own[at as usize]);
        }
        (least != NONE).then_some(least)
    }

    /// Prepares [`LeastMatch::least_within`]; call it after the last insert. The parents and
    /// depths it needs are found here from the edges, so that a trie only walked by
    /// [`LeastMatch::least_prefix`] keeps four bytes per node besides its edges.
    pub fn link(&mut self) {
        let count = self.own.len();
        let mut parent = vec![(0u32, 0u8); count];
        for (&(from, byte), &to) in &self.edges {
            parent[to as usize] = (from, byte);
        }
        // A parent's number is smaller than its child's: depths in one pass.
        let mut depth = vec![0u32; count];
        for n in 1..count {
            depth[n] = depth[parent[n].0 as usize] + 1;
        }
        // Shallower nodes first: a node's failure link leads to a shallower one.
        let mut order: Vec<u32> = (1..count as u32).collect();
        order.sort_by_key(|&n| depth[n as usize]);
        drop(depth);
        self.fail = vec![0; count];
        self.best = vec![NONE; count];
        self.best[0] = self.own[0];
        for n in order {
            let (up, byte) = parent[n as usize];
            let fail = if up == 0 {
                0
            } else {
                let mut f = self.fail[up as usize];
                loop {
                    if let Some(&next) = self.edges.get(&(f, byte)) {
                        break next;
                    }
                    if f == 0 {
                        break 0;
                    }
                    f = self.fail[f as usize];
                }
            };
            self.fail[n as usize] = fail;
            self.best[n as usize] = self.own[n as usize].min(self.best[fail as usize]);
        }
    }

    /// The least number of the keys that occur in `text` (after [`LeastMatch::link`]).
    pub fn least_within(&self, text: &[u8]) -> Option<u32> {
        // Not linked: nothing to answer with.
        let mut least = *self.best.first()?;
        let mut at = 0u32;
        for &byte in text {
            at = loop {
                if let Some(&next) = self.edges.get(&(at, byte)) {
                    break next;
                }
                if at == 0 {
                    break 0;
                }
                at = self.fail[at as usize];
            };
            least = least.min(self.best[at as usize]);
        }
        (least != NONE).then_some(least)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_as_display_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 65_535, 1_000_000, u32::MAX] {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

    #[test]
    fn least_match_answers_as_comparing_every_key_would() {
        let keys = [
            ("he", 5),
            ("she", 3),
            ("his", 7),
            ("hers", 1),
            ("e", 9),
            ("", 11),
            ("she", 2),
        ];
        let mut index = LeastMatch::default();
        for (k, v) in keys {
            index.insert(k.bytes(), v);
        }
        index.link();
        let texts = ["", "ushers", "this", "h", "xyz", "sh", "hishe", "ee"];
        for text in texts {
            let least = |keep: &dyn Fn(&str) -> bool| {
                keys.iter().filter(|(k, _)| keep(k)).map(|&(_, v)| v).min()
            };
            assert_eq!(
                index.least_prefix(text.bytes()),
                least(&|k| text.starts_with(k)),
                "{text}"
            );
            assert_eq!(
                index.least_within(text.as_bytes()),
                least(&|k| text.contains(k)),
                "{text}"
            );
        }
        // No empty key: nothing where no key occurs.
        let mut index = LeastMatch::default();
        index.insert(*b"abc", 4);
        index.insert(*b"bcd", 2);
        index.link();
        assert_eq!(index.least_within(b"xabx"), None);
        assert_eq!(index.least_within(b"xabcdx"), Some(2));
        assert_eq!(index.least_within(b"abc"), Some(4));
        assert_eq!(index.least_prefix(*b"bc"), None);
    }

    #[test]
    fn least_match_agrees_with_comparing_on_many_small_alphabets() {
        // A fixed pseudo-random sequence: keys and texts over two or three letters, where
        // failure links chain the most.
        let mut seed = 0x2545_f491_u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % n
        };
        for round in 0..200 {
            let letters = b"abc";
            let width = 2 + (round % 2) as u64;
            let mut word =
                |len: u64| -> Vec<u8> { (0..len).map(|_| letters[next(width) as usize]).collect() };
            let keys: Vec<(Vec<u8>, u32)> = (0..1 + round % 9)
                .map(|i| {
                    (
                        word(1 + (i as u64 * 7 + round as u64) % 5),
                        (i * 13 % 17) as u32,
                    )
                })
                .collect();
            let mut index = LeastMatch::default();
            for (k, v) in &keys {
                index.insert(k.iter().copied(), *v);
            }
            index.link();
            for len in 0..12 {
                let text = word(len);
                let has = |k: &[u8]| text.windows(k.len()).any(|w| w == k);
                let within = keys.iter().filter(|(k, _)| has(k)).map(|(_, v)| *v).min();
                let prefix = keys
                    .iter()
                    .filter(|(k, _)| text.starts_with(k))
                    .map(|(_, v)| *v)
                    .min();
                assert_eq!(index.least_within(&text), within, "{keys:?} {text:?}");
                assert_eq!(index.least_prefix(text.iter().copied()), prefix);
            }
        }
    }
}
