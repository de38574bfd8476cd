//! Python's character classes for the event triggers, and the sentence text the compiled
//! trigger regexes run on.
//!
//! The trigger patterns are written for Python's `re`, whose `\w`, `\d` and `\s` are
//! `str.isalnum() or "_"`, `str.isdecimal()` and `str.isspace()`; the `regex` crate's are
//! Unicode properties that differ on some characters (combining marks, `\x1c`-`\x1f`, ...).
//! So the regexes run on a *stand-in* of the lower-cased sentence: each character is kept
//! when it is ASCII or a literal of some pattern (both engines agree on those, checked at
//! construction), else replaced by a representative of its Python classes of the same UTF-8
//! length. Byte offsets are the same in both strings, and every class test and literal
//! comparison of the patterns gives the same answer on both.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use regex::Regex;

/// Sorted, disjoint inclusive ranges of code points.
#[derive(Debug, Default)]
pub struct CharSet(Vec<(u32, u32)>);

impl CharSet {
    pub fn new(mut ranges: Vec<(u32, u32)>) -> CharSet {
        ranges.sort_unstable();
        CharSet(ranges)
    }

    pub fn contains(&self, c: char) -> bool {
        let code = c as u32;
        let index = self.0.partition_point(|&(low, _)| low <= code);
        index > 0 && code <= self.0[index - 1].1
    }
}

/// Python's classes of characters, as computed by Python and passed at construction.
#[derive(Debug, FromPyObject)]
#[pyo3(from_item_all)]
pub struct ClassSpec {
    /// `re`'s `\w`, `\d` and `\s`, and `str.isupper`, as code point ranges.
    word: Vec<(u32, u32)>,
    digit: Vec<(u32, u32)>,
    space: Vec<(u32, u32)>,
    upper: Vec<(u32, u32)>,
}

impl ClassSpec {
    /// Python's white space, as code point ranges.
    pub fn space_ranges(&self) -> &[(u32, u32)] {
        &self.space
    }
}

/// The classes a character has in Python's `re` (and which representative stands for it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Word,
    Digit,
    Space,
    Other,
}

/// Representatives by kind and UTF-8 length (1 to 4 bytes); `None` where none is needed
/// (ASCII is kept as is but for `\x1c`-`\x1f`, and no space is 4 bytes long).
const REPRESENTATIVES: [(Kind, [Option<char>; 4]); 4] = [
    (Kind::Word, [None, Some('ж'), Some('ア'), Some('𠀀')]),
    (Kind::Digit, [None, Some('٠'), Some('०'), Some('𝟎')]),
    (
        Kind::Space,
        [Some('\x0b'), Some('\u{85}'), Some('\u{2000}'), None],
    ),
    (Kind::Other, [None, Some('§'), Some('‡'), Some('𝄞')]),
];

#[derive(Debug)]
pub struct Classes {
    word: CharSet,
    digit: CharSet,
    space: CharSet,
    upper: CharSet,
    /// Non-ASCII characters that occur in the patterns: kept as they are.
    literals: Vec<char>,
}

impl Classes {
    /// The classes; `sources` are all the patterns that will run on stand-ins.
    pub fn new(spec: ClassSpec, sources: &[&str]) -> PyResult<Classes> {
        let mut literals: Vec<char> = sources
            .iter()
            .flat_map(|s| s.chars())
            .filter(|c| !c.is_ascii())
            .collect();
        literals.sort_unstable();
        literals.dedup();
        let classes = Classes {
            word: CharSet::new(spec.word),
            digit: CharSet::new(spec.digit),
            space: CharSet::new(spec.space),
            upper: CharSet::new(spec.upper),
            literals,
        };
        classes.check(sources)?;
        Ok(classes)
    }

    /// Python's `\w`.
    pub fn is_word(&self, c: char) -> bool {
        if c.is_ascii() {
            c.is_ascii_alphanumeric() || c == '_'
        } else {
            self.word.contains(c)
        }
    }

    /// Python's `str.isspace`.
    pub fn is_space(&self, c: char) -> bool {
        if c.is_ascii() {
            matches!(c, ' ' | '\t'..='\r' | '\x1c'..='\x1f')
        } else {
            self.space.contains(c)
        }
    }

    /// Python's `str.isupper` of one character.
    pub fn is_upper(&self, c: char) -> bool {
        if c.is_ascii() {
            c.is_ascii_uppercase()
        } else {
            self.upper.contains(c)
        }
    }

    fn kind(&self, c: char) -> Kind {
        if self.digit.contains(c) {
            Kind::Digit
        } else if self.is_word(c) {
            Kind::Word
        } else if self.is_space(c) {
            Kind::Space
        } else {
            Kind::Other
        }
    }

    /// The stand-in of `text` (see the module doc), borrowed when nothing changes.
    pub fn stand_in<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        let plain = |c: char| {
            (c.is_ascii() && !('\x1c'..='\x1f').contains(&c))
                || self.literals.binary_search(&c).is_ok()
        };
        if text.chars().all(plain) {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if plain(c) {
                out.push(c);
            } else {
                out.push(representative(self.kind(c), c.len_utf8()).unwrap_or(c));
            }
        }
        std::borrow::Cow::Owned(out)
    }

    /// Both engines must agree on the classes of the characters kept and of the
    /// representatives, and no representative may be a literal of a pattern.
    fn check(&self, sources: &[&str]) -> PyResult<()> {
        let engine = |class: &str| Regex::new(&format!("^{class}$")).expect("a valid class");
        let (word, digit, space) = (engine(r"\w"), engine(r"\d"), engine(r"\s"));
        let classes_of = |c: char| {
            let text = c.to_string();
            (
                word.is_match(&text),
                digit.is_match(&text),
                space.is_match(&text),
            )
        };
        let python_of = |c: char| (self.is_word(c), self.digit.contains(c), self.is_space(c));
        for &(kind, by_length) in &REPRESENTATIVES {
            for c in by_length.into_iter().flatten() {
                let unusable = self.kind(c) != kind || classes_of(c) != python_of(c);
                if unusable || sources.iter().any(|s| s.contains(c)) {
                    return Err(PyValueError::new_err(format!(
                        "representative {c:?} unusable"
                    )));
                }
            }
        }
        for &c in &self.literals {
            if classes_of(c) != python_of(c) {
                return Err(PyValueError::new_err(format!(
                    "pattern character {c:?} has other classes in Rust"
                )));
            }
        }
        for c in (0u8..128).map(char::from) {
            if !('\x1c'..='\x1f').contains(&c) && classes_of(c) != python_of(c) {
                return Err(PyValueError::new_err(format!(
                    "ASCII character {c:?} has other classes in Rust"
                )));
            }
        }
        if self.space.0.iter().any(|&(_, high)| high >= 0x10000) {
            return Err(PyValueError::new_err("no representative for 4-byte spaces"));
        }
        if sources
            .iter()
            .any(|s| s.contains(r"\x") || s.contains(r"\u") || s.contains(r"\v"))
        {
            return Err(PyValueError::new_err(
                "escaped code points are not supported",
            ));
        }
        Ok(())
    }
}

fn representative(kind: Kind, length: usize) -> Option<char> {
    REPRESENTATIVES
        .iter()
        .find(|(k, _)| *k == kind)
        .and_then(|(_, by_length)| by_length.get(length - 1).copied().flatten())
}

/// Byte offsets <-> character offsets of one string.
pub struct Offsets {
    /// Byte offset of each character, and the length; empty when the string is ASCII.
    starts: Vec<usize>,
}

impl Offsets {
    pub fn new(text: &str) -> Offsets {
        if text.is_ascii() {
            return Offsets { starts: Vec::new() };
        }
        let mut starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        starts.push(text.len());
        Offsets { starts }
    }

    /// The character offset of a byte offset at a character boundary.
    pub fn char_of(&self, byte: usize) -> usize {
        if self.starts.is_empty() {
            byte
        } else {
            self.starts.partition_point(|&b| b < byte)
        }
    }

    /// The byte offset `count` characters before byte offset `byte` (or 0).
    pub fn back(&self, byte: usize, count: usize) -> usize {
        if self.starts.is_empty() {
            byte.saturating_sub(count)
        } else {
            let index = self.char_of(byte);
            self.starts[index.saturating_sub(count)]
        }
    }
}
