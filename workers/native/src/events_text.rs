//! Python's character classes for the event triggers, and the ASCII text the compiled
//! trigger regexes run on.
//!
//! The trigger patterns are written for Python's `re`, whose `\w`, `\d` and `\s` are
//! `str.isalnum() or "_"`, `str.isdecimal()` and `str.isspace()`. The regexes run on an ASCII
//! *stand-in* of the lower-cased sentence, one byte per character (so stand-in offsets are
//! character offsets): ASCII is kept (but `\x1c`-`\x1f`, Python white space, become `\v`),
//! each non-ASCII character that a pattern names gets a byte of its own (an upper-case letter
//! for a word character, a control character otherwise; the patterns are rewritten alike),
//! and any other character becomes the byte of its Python class: `X` (a word character),
//! `\v` (white space) or `\x01` (anything else). A lower-cased text has no upper-case ASCII
//! letter, and the patterns name none (checked at construction), so every literal comparison
//! and every class test of the rewritten patterns (compiled ASCII-only) gives on the stand-in
//! what the original gives in Python on the text. Texts with a non-ASCII decimal digit
//! (`\d` in Python, no ASCII class) have no stand-in: Python handles them.

use std::borrow::Cow;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

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

/// The stand-in byte of a non-ASCII word character no pattern names.
const WORD: u8 = b'X';
/// The stand-in byte of white space that is not ASCII white space for the regex crate.
const SPACE: u8 = 0x0b;
/// The stand-in byte of any other character no pattern names.
const OTHER: u8 = 0x01;
/// Bytes for the non-ASCII characters the patterns name: word characters, others.
const NAMED_WORD: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVW";
const NAMED_OTHER: &[u8] =
    b"\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b";

#[derive(Debug)]
pub struct Classes {
    word: CharSet,
    digit: CharSet,
    space: CharSet,
    upper: CharSet,
    /// The non-ASCII characters the patterns name, sorted, with their bytes.
    named: Vec<(char, u8)>,
    /// The stand-in byte of each ASCII character.
    ascii: [u8; 128],
}

impl Classes {
    /// The classes; `sources` are all the patterns that will run on stand-ins.
    pub fn new(spec: ClassSpec, sources: &[&str]) -> PyResult<Classes> {
        let mut classes = Classes {
            word: CharSet::new(spec.word),
            digit: CharSet::new(spec.digit),
            space: CharSet::new(spec.space),
            upper: CharSet::new(spec.upper),
            named: Vec::new(),
            ascii: [0; 128],
        };
        for (byte, slot) in classes.ascii.iter_mut().enumerate() {
            *slot = Classes::ascii_byte(byte as u8);
        }
        debug_assert!((0x20..0x80u8).all(|b| classes.ascii[usize::from(b)] == b));
        let mut named: Vec<char> = sources
            .iter()
            .flat_map(|s| s.chars())
            .filter(|c| !c.is_ascii())
            .collect();
        named.sort_unstable();
        named.dedup();
        let (mut words, mut others) = (NAMED_WORD.iter(), NAMED_OTHER.iter());
        for c in named {
            let byte = if classes.digit.contains(c) || classes.space.contains(c) {
                None // no ASCII byte has its classes for the regex crate
            } else if classes.is_word(c) {
                words.next()
            } else {
                others.next()
            };
            let Some(&byte) = byte else {
                return Err(PyValueError::new_err(format!(
                    "no stand-in for the pattern character {c:?}"
                )));
            };
            classes.named.push((c, byte));
        }
        for source in sources {
            check_source(source)?;
        }
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

    fn named_byte(&self, c: char) -> Option<u8> {
        self.named
            .binary_search_by_key(&c, |&(named, _)| named)
            .ok()
            .map(|index| self.named[index].1)
    }

    fn ascii_byte(byte: u8) -> u8 {
        match byte {
            0x1c..=0x1f => SPACE,
            _ if NAMED_OTHER.contains(&byte) => OTHER,
            _ => byte,
        }
    }

    /// The stand-in byte of one character; None for a non-ASCII decimal digit.
    fn byte_of(&self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return Some(self.ascii[c as usize]);
        }
        if let Some(byte) = self.named_byte(c) {
            return Some(byte);
        }
        if self.digit.contains(c) {
            None
        } else if self.is_word(c) {
            Some(WORD)
        } else if self.is_space(c) {
            Some(SPACE)
        } else {
            Some(OTHER)
        }
    }

    /// The stand-in of `text`, borrowed when it is `text` itself (printable ASCII: say if it
    /// is, see [`is_printable_ascii`]), or None.
    pub fn borrowed_stand_in<'t>(&self, text: &'t str, printable: bool) -> Option<Cow<'t, str>> {
        // Bytes 0x20 to 0x7f are their own stand-ins.
        if printable {
            Some(Cow::Borrowed(text))
        } else {
            self.stand_in(text).map(Cow::Owned)
        }
    }

    /// The stand-in of `text` (see the module doc), or None.
    pub fn stand_in(&self, text: &str) -> Option<String> {
        let mut bytes = Vec::with_capacity(text.len());
        if text.is_ascii() {
            bytes.extend(text.bytes().map(|b| self.ascii[usize::from(b)]));
        } else {
            for c in text.chars() {
                bytes.push(self.byte_of(c)?);
            }
        }
        String::from_utf8(bytes).ok()
    }

    /// The stand-in of `words` joined by single spaces, or None.
    pub fn joined_stand_in<'w>(&self, words: impl Iterator<Item = &'w &'w str>) -> Option<Vec<u8>> {
        let mut bytes = Vec::with_capacity(64);
        for (i, word) in words.enumerate() {
            if i > 0 {
                bytes.push(b' ');
            }
            for c in word.chars() {
                bytes.push(self.byte_of(c)?);
            }
        }
        Some(bytes)
    }

    /// A pattern rewritten for stand-ins: its non-ASCII characters as their bytes.
    pub fn rewrite(&self, source: &str) -> String {
        let mut out = String::with_capacity(source.len());
        for c in source.chars() {
            match self.named_byte(c) {
                Some(byte) if byte.is_ascii_uppercase() => out.push(char::from(byte)),
                Some(byte) => out.push_str(&format!("\\x{byte:02x}")),
                None => out.push(c),
            }
        }
        out
    }

    /// A literal string (a trigger prefix) as it reads in stand-ins.
    pub fn literal(&self, text: &str) -> String {
        self.stand_in(text).unwrap_or_default()
    }
}

/// Whether `text` is all bytes 0x20 to 0x7f (branch-free, so that it vectorises).
pub fn is_printable_ascii(text: &str) -> bool {
    text.bytes()
        .fold(true, |all, b| all & (b.wrapping_sub(0x20) < 0x60))
}

/// A pattern may name no upper-case ASCII letter and no control character (those are
/// stand-in bytes) and no code point by number.
fn check_source(source: &str) -> PyResult<()> {
    let refuse = |what: &str| Err(PyValueError::new_err(format!("{source:?}: {what}")));
    let mut chars = source.char_indices();
    while let Some((index, c)) = chars.next() {
        if c == '\\' {
            if let Some((_, 'x' | 'u' | 'U' | 'N' | 'v' | 'p' | 'P' | '0'..='9')) = chars.next() {
                return refuse("code points, properties and references are not supported");
            }
        } else if source[index..].starts_with("(?P<") {
            for (_, inner) in chars.by_ref() {
                if inner == '>' {
                    break;
                }
            }
        } else if source[index..].starts_with("(?i") {
            return refuse("flags are not supported");
        } else if c.is_ascii_uppercase() || c.is_ascii_control() {
            return refuse("upper-case letters and control characters are not supported");
        }
    }
    Ok(())
}

/// Character offsets -> byte offsets of one string, and back.
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

    /// The byte offset of a character offset (at most the length).
    pub fn byte_of(&self, char_offset: usize) -> usize {
        if self.starts.is_empty() {
            char_offset
        } else {
            self.starts[char_offset.min(self.starts.len() - 1)]
        }
    }

    /// The character offset of a byte offset at a character boundary.
    pub fn char_of(&self, byte: usize) -> usize {
        if self.starts.is_empty() {
            byte
        } else {
            self.starts.partition_point(|&b| b < byte)
        }
    }
}
