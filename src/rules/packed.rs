//! Findings held as bytes while the rules run.
//!
//! A finding is a [`Diagnostic`] of 88 bytes, and a boxed [`Fix`] of 40 more when it has one,
//! while what tells it apart from the others of its rule is a few numbers: its texts are shared
//! ([`Text`]) and its spans are offsets. On a large configuration the findings are the last
//! large thing to be allocated while the model is still alive (200,000 findings, 26 MB, on the
//! 50 MB generated configuration of `benches/compare.sh`), so they decide the peak.
//!
//! Each rule's findings are packed as soon as the rule returns them, as numbers in LEB128
//! (a text or rule by its place in a table of the distinct ones), about a fifth of their size,
//! and unpacked after the model is gone. Unpacking gives back equal findings, in the same
//! order, holding the same shared texts. A list shorter than [`PACK_FROM`] is kept as it is:
//! packing and unpacking cost about 1,500 instructions a finding (3 % of a run on the 1 MB
//! generated configuration), for memory that only counts in large lists.

use super::{Diagnostic, Few, Label, Rule, Severity, Text};
use crate::fix::{Applicability, Edit, Fix};
use crate::syntax::Span;

/// The shortest list of findings [`Packed::pack`] packs: shorter, they take under half a
/// megabyte.
pub const PACK_FROM: usize = 4096;

/// One rule's findings (or any list of findings), packed. [`Packed::unpack`] gives them back.
#[derive(Default)]
pub struct Packed {
    /// A list shorter than [`PACK_FROM`], as it was.
    plain: Vec<Diagnostic>,
    /// The packed findings, one after another (see `Packer::push` for the layout).
    bytes: Vec<u8>,
    /// The distinct texts, by the number the bytes use.
    texts: Vec<Text>,
    /// The distinct rules (one, unless the list mixes rules).
    rules: Vec<&'static Rule>,
    /// How many findings `bytes` holds.
    len: usize,
}

impl Packed {
    /// `found`, packed (kept as it is if shorter than [`PACK_FROM`]).
    pub fn pack(found: Vec<Diagnostic>) -> Packed {
        if found.len() < PACK_FROM {
            return Packed {
                plain: found,
                ..Packed::default()
            };
        }
        Packed::pack_all(found)
    }

    /// `found`, packed however short: a rule run by part gives a short list per part, and all
    /// of them together are as large as one rule's on the whole model (kept as they were, the
    /// 126k findings of `inherited-headers-dropped` in lists of 1,500 raised the 50 MB
    /// configuration's peak by 9 MB).
    pub fn pack_always(found: Vec<Diagnostic>) -> Packed {
        if found.is_empty() {
            return Packed::default();
        }
        Packed::pack_all(found)
    }

    /// `found`, packed whatever its length; each finding is dropped once packed.
    fn pack_all(found: Vec<Diagnostic>) -> Packed {
        let mut packer = Packer {
            out: Packed {
                // An estimate, so that a large list rarely regrows: most findings take 20 to
                // 40 bytes.
                bytes: Vec::with_capacity(found.len() * 32),
                ..Packed::default()
            },
            text_numbers: foldhash::HashMap::default(),
            recent: [(0, 0); 16],
        };
        for d in found {
            packer.push(d);
        }
        let mut out = packer.out;
        out.bytes.shrink_to_fit();
        out.texts.shrink_to_fit();
        out
    }

    /// How many findings.
    pub fn len(&self) -> usize {
        self.plain.len() + self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The findings as they were, when none of them was packed (a list shorter than
    /// [`PACK_FROM`]); `None` otherwise.
    pub fn as_plain(&mut self) -> Option<&mut Vec<Diagnostic>> {
        (self.len == 0).then_some(&mut self.plain)
    }

    /// The findings, in the order they were packed, appended to `out`.
    pub fn unpack(mut self, out: &mut Vec<Diagnostic>) {
        out.append(&mut self.plain);
        out.reserve(self.len);
        let mut r = Reader {
            bytes: &self.bytes,
            at: 0,
        };
        let text = |r: &mut Reader<'_>| self.texts[r.number() as usize].clone();
        // A label's or an edit's file, span and text, in the order `Packer::place` wrote them.
        let place = |r: &mut Reader<'_>| (r.number(), r.span(), text(r));
        let label = |r: &mut Reader<'_>| {
            let (file, span, text) = place(r);
            Label { file, span, text }
        };
        let edit = |r: &mut Reader<'_>| {
            let (file, span, text) = place(r);
            Edit { file, span, text }
        };
        for _ in 0..self.len {
            let rule = self.rules[r.number() as usize];
            let severity = match r.byte() {
                0 => Severity::Info,
                1 => Severity::Warning,
                _ => Severity::Error,
            };
            let message = text(&mut r);
            let primary = label(&mut r);
            let secondary = few(&mut r, label);
            let help = match r.number() {
                0 => None,
                n => Some(self.texts[n as usize - 1].clone()),
            };
            let fix = match r.byte() {
                0 => None,
                a => Some(Box::new(Fix {
                    applicability: if a == 1 {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                    title: text(&mut r),
                    edits: few(&mut r, edit),
                })),
            };
            out.push(Diagnostic {
                rule,
                severity,
                message,
                primary,
                secondary,
                help,
                fix,
            });
        }
        debug_assert_eq!(r.at, self.bytes.len());
    }
}

struct Packer {
    out: Packed,
    /// A text's number by the address of its shared copy: texts are interned, so equal texts
    /// are mostly one copy (and two copies of one text just take two numbers).
    text_numbers: foldhash::HashMap<usize, u32>,
    /// The last text seen at each of a few slots (by address), with its number: a rule's
    /// findings repeat a handful of texts, and this spares hashing each (five or more per
    /// finding).
    recent: [(usize, u32); 16],
}

impl Packer {
    /// Appends `d`: its rule's number, its severity (one byte), its message, its primary
    /// label, the count and labels of its secondary ones, its help (0, or one more than the
    /// text's number), and its fix (0, or 1/2 for safe/unsafe, then its title, the count and
    /// the edits). A label or an edit is its file, its span and its text; every number is
    /// LEB128.
    fn push(&mut self, d: Diagnostic) {
        let rule = match self.out.rules.iter().position(|&r| std::ptr::eq(r, d.rule)) {
            Some(i) => i,
            None => {
                self.out.rules.push(d.rule);
                self.out.rules.len() - 1
            }
        };
        self.number(rule as u32);
        self.out.bytes.push(match d.severity {
            Severity::Info => 0,
            Severity::Warning => 1,
            Severity::Error => 2,
        });
        self.text(&d.message);
        self.label(&d.primary);
        self.number(d.secondary.len() as u32);
        for l in d.secondary.iter() {
            self.label(l);
        }
        match &d.help {
            None => self.number(0),
            Some(h) => {
                let n = self.text_number(h);
                self.number(n + 1);
            }
        }
        match &d.fix {
            None => self.out.bytes.push(0),
            Some(fix) => {
                self.out.bytes.push(match fix.applicability {
                    Applicability::Safe => 1,
                    Applicability::Unsafe => 2,
                });
                self.text(&fix.title);
                self.number(fix.edits.len() as u32);
                for e in fix.edits.iter() {
                    self.place(e.file, e.span, &e.text);
                }
            }
        }
        self.out.len += 1;
    }

    fn label(&mut self, l: &Label) {
        self.place(l.file, l.span, &l.text);
    }

    /// A label's or an edit's file, span and text.
    fn place(&mut self, file: u32, span: Span, text: &Text) {
        self.number(file);
        self.span(span);
        self.text(text);
    }

    /// The start, then the length (small, where the end would take as many bytes as the
    /// start). Wrapping: a span is packed as it is, even an inverted one.
    fn span(&mut self, s: Span) {
        self.number(s.start);
        self.number(s.end.wrapping_sub(s.start));
    }

    fn text(&mut self, t: &Text) {
        let n = self.text_number(t);
        self.number(n);
    }

    fn text_number(&mut self, t: &Text) -> u32 {
        let key = std::sync::Arc::as_ptr(&t.0) as usize;
        // An `Arc`'s block is at least 16-byte aligned: the bits above decide the slot.
        let slot = (key >> 4) % self.recent.len();
        if self.recent[slot].0 == key {
            return self.recent[slot].1;
        }
        let n = self.text_number_slow(t, key);
        self.recent[slot] = (key, n);
        n
    }

    fn text_number_slow(&mut self, t: &Text, key: usize) -> u32 {
        let next = self.out.texts.len() as u32;
        let n = *self.text_numbers.entry(key).or_insert(next);
        if n == next {
            self.out.texts.push(t.clone());
        }
        n
    }

    /// LEB128: seven bits a byte, low bits first, the high bit set on every byte but the last.
    fn number(&mut self, mut n: u32) {
        while n >= 0x80 {
            self.out.bytes.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.out.bytes.push(n as u8);
    }
}

/// A count, then that many items read by `item`: one held inline, as findings build them.
fn few<T>(r: &mut Reader<'_>, mut item: impl FnMut(&mut Reader<'_>) -> T) -> Few<T> {
    match r.number() as usize {
        1 => Few::One(item(r)),
        count => Few::Many((0..count).map(|_| item(r)).collect()),
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes[self.at];
        self.at += 1;
        b
    }

    fn number(&mut self) -> u32 {
        let mut n = 0u32;
        let mut shift = 0;
        loop {
            let b = self.byte();
            n |= u32::from(b & 0x7f) << shift;
            if b < 0x80 {
                return n;
            }
            shift += 7;
        }
    }

    fn span(&mut self) -> Span {
        let start = self.number();
        let len = self.number();
        Span {
            start,
            end: start.wrapping_add(len),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RULES;

    /// Every shape a finding takes: no labels, one, several; no help; no fix, a fix of one
    /// edit, of several, of none; every severity and applicability; offsets at the ends of
    /// the `u32` range, an inverted span, empty and shared texts; findings of several rules.
    fn findings() -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut x = 11u32;
        let mut next = || {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            x >> 4
        };
        let spans = [
            Span::new(0, 0),
            Span::new(5, 9),
            Span::new(127, 128),
            Span::new(128, 16_511),
            Span::new(u32::MAX - 1, u32::MAX),
            Span { start: 9, end: 5 },
            Span::new(0, u32::MAX),
        ];
        let texts = ["", "a", "the same text", "ü ✓ \u{1F600}"];
        for i in 0..300u32 {
            let r = next();
            let rule = RULES[r as usize % RULES.len()];
            let text = |k: u32| -> Text {
                if k.is_multiple_of(5) {
                    // Not interned: a copy of its own, equal to another.
                    Text(std::sync::Arc::new(Box::from(
                        texts[k as usize % texts.len()],
                    )))
                } else if k.is_multiple_of(3) {
                    Text::from(format!("text {k}"))
                } else {
                    Text::from(texts[k as usize % texts.len()])
                }
            };
            let span = |k: u32| spans[k as usize % spans.len()];
            let mut d = Diagnostic::new(
                rule,
                Label::new(next() % 3, span(next()), text(next())),
                text(i),
            );
            d.severity = [Severity::Info, Severity::Warning, Severity::Error][r as usize % 3];
            for _ in 0..next() % 4 {
                d = d.label(Label::new(next() % 1000, span(next()), text(next())));
            }
            if next().is_multiple_of(2) {
                d = d.help(text(next()));
            }
            let edits: Vec<Edit> = (0..next() % 4)
                .map(|_| Edit::replace(next() % 2, span(next()), text(next())))
                .collect();
            match next() % 3 {
                0 => {}
                1 => d = d.fix(Fix::safe(text(next()), edits)),
                _ => d = d.fix(Fix::unsafe_(text(next()), edits)),
            }
            out.push(d);
        }
        out
    }

    fn show(found: &[Diagnostic]) -> Vec<String> {
        found
            .iter()
            .map(|d| {
                format!(
                    "{} {:?} {:?} {:?} {:?} {:?} {:?}",
                    d.rule.id, d.severity, d.message, d.primary, d.secondary, d.help, d.fix
                )
            })
            .collect()
    }

    #[test]
    fn unpacking_gives_back_the_findings_packed() {
        let found = findings();
        let expected = show(&found);
        let packed = Packed::pack_all(found.clone());
        assert!(packed.plain.is_empty());
        assert_eq!(packed.len(), found.len());
        // Appended after what the vector holds.
        let mut out = vec![found[0].clone()];
        packed.unpack(&mut out);
        assert_eq!(show(&out[1..]), expected);
        // A single label or edit comes back held inline, as a finding builds it.
        for (a, b) in out[1..].iter().zip(&found) {
            assert_eq!(
                matches!(a.secondary, Few::One(_)),
                matches!(b.secondary, Few::One(_))
            );
            assert!(std::ptr::eq(a.rule, b.rule));
            // The same shared text, not a copy.
            assert!(std::sync::Arc::ptr_eq(&a.message.0, &b.message.0));
        }
    }

    #[test]
    fn packed_findings_are_a_fraction_of_their_size() {
        let rule = RULES[0];
        let found: Vec<Diagnostic> = (0..PACK_FROM as u32)
            .map(|i| {
                let at = Span::new(i * 40, i * 40 + 12);
                Diagnostic::new(rule, Label::new(0, at, ""), "one message")
                    .label(Label::new(0, Span::new(7, 30), "first here"))
                    .help("the advice")
                    .fix(Fix::safe("the fix", vec![Edit::insert(0, at.end, "x;")]))
            })
            .collect();
        let packed = Packed::pack(found);
        assert!(packed.plain.is_empty());
        // 128 bytes each unpacked (the diagnostic and its boxed fix).
        assert!(
            packed.bytes.len() < PACK_FROM * 24,
            "{}",
            packed.bytes.len()
        );
        // "", the message, the label, the help, the fix title and its edit.
        assert_eq!(packed.texts.len(), 6);
        let mut out = Vec::new();
        packed.unpack(&mut out);
        assert_eq!(out.len(), PACK_FROM);
        let last = (PACK_FROM - 1) as u32;
        assert_eq!(
            out[PACK_FROM - 1].primary.span,
            Span::new(last * 40, last * 40 + 12)
        );
    }

    /// A short list is kept as it is by `pack`, and packed all the same by `pack_always` (a
    /// part's: the parts' lists add up); either way unpacking gives it back. No list packs to
    /// nothing.
    #[test]
    fn a_short_list_is_kept_as_it_is_unless_it_is_a_parts() {
        for always in [false, true] {
            let found = findings();
            assert!(found.len() < PACK_FROM);
            let expected = show(&found);
            let packed = if always {
                Packed::pack_always(found)
            } else {
                Packed::pack(found)
            };
            assert_eq!(packed.bytes.is_empty(), !always);
            assert_eq!(packed.plain.is_empty(), always);
            assert_eq!(packed.len(), expected.len());
            let mut out = Vec::new();
            packed.unpack(&mut out);
            assert_eq!(show(&out), expected);
        }
        let none = Packed::pack_always(Vec::new());
        assert!(none.is_empty() && none.bytes.capacity() == 0);
    }
}
