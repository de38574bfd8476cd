//! The sentence gate of `workers.pipeline.enrich.casualties.extract_casualties`: which
//! sentences hold a cue token, i.e. for which `not CUE_TOKENS.isdisjoint(text.lower().split())`.
//!
//! The cue tokens are passed from Python (`casualties._CUE_TOKENS`), so the lexicon stays their
//! one definition. A token is a maximal run of non-whitespace characters (Python's
//! `str.isspace`), compared after Python's `str.lower` (Unicode full lower-case mapping).
//! Python lower-cases a capital sigma by context (final or not); no cue token holds a sigma,
//! so for tokens that could match the context never matters (the constructor checks that).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::pystr::{is_py_space, with_code_units};
use pyo3::types::PyString;

use crate::hashing::FnvSet;

/// An ASCII token of at most 15 characters, lower-cased, packed into an integer: its length,
/// then its bytes (so distinct lower-case tokens pack to distinct integers).
fn pack_ascii_lower<T: Copy + Into<u32>>(token: &[T]) -> Option<u128> {
    if token.len() > 15 {
        return None;
    }
    let mut packed = token.len() as u128;
    for &unit in token {
        let code: u32 = unit.into();
        if code >= 0x80 {
            return None;
        }
        packed = (packed << 8) | u128::from((code as u8).to_ascii_lowercase());
    }
    Some(packed)
}

/// A set of packed tokens: open addressing in a table at most a quarter full, 0 marking an
/// empty slot (a packed token is never 0: its length is at least 1).
struct PackedSet {
    slots: Vec<u128>,
    mask: usize,
}

impl PackedSet {
    fn new(values: &[u128]) -> Self {
        let size = (values.len() * 4).next_power_of_two().max(16);
        let mut set = Self {
            slots: vec![0; size],
            mask: size - 1,
        };
        for &value in values {
            let mut at = set.slot(value);
            while set.slots[at] != 0 && set.slots[at] != value {
                at = (at + 1) & set.mask;
            }
            set.slots[at] = value;
        }
        set
    }

    fn slot(&self, value: u128) -> usize {
        let mixed = ((value as u64) ^ ((value >> 64) as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> 40) as usize & self.mask
    }

    fn contains(&self, value: u128) -> bool {
        let mut at = self.slot(value);
        loop {
            match self.slots[at] {
                0 => return false,
                slot if slot == value => return true,
                _ => at = (at + 1) & self.mask,
            }
        }
    }
}

/// Code units of a Python str: Latin-1 strings (one byte per character) get a faster scan.
pub(crate) trait CodeUnit: Copy + Into<u32> {
    /// The units as bytes, when the string is Latin-1.
    fn latin1(units: &[Self]) -> Option<&[u8]>;
}

impl CodeUnit for u8 {
    fn latin1(units: &[u8]) -> Option<&[u8]> {
        Some(units)
    }
}

impl CodeUnit for u16 {
    fn latin1(_: &[u16]) -> Option<&[u8]> {
        None
    }
}

impl CodeUnit for u32 {
    fn latin1(_: &[u32]) -> Option<&[u8]> {
        None
    }
}

/// The position of the first byte of `text[at..]` that may be white space (below 0x21 or
/// above 0x7F), or the length of `text`; eight bytes at a time.
fn next_maybe_space(text: &[u8], mut at: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    while let Some(Ok(chunk)) = text.get(at..at + 8).map(<[u8; 8]>::try_from) {
        let word = u64::from_le_bytes(chunk);
        // A byte below 0x21 borrows, one above 0x7F has its high bit: the lowest byte flagged
        // is the first such byte (a borrow only flags bytes above one flagged already).
        let flagged = (word.wrapping_sub(ONES * 0x21) | word) & HIGHS;
        if flagged != 0 {
            return at + (flagged.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < text.len() && (0x21..0x80).contains(&text[at]) {
        at += 1;
    }
    at.min(text.len())
}

/// The cue tokens, compiled once.
#[pyclass(frozen, module = "workers._native")]
pub struct CueTokens {
    tokens: FnvSet<String>,
    /// The ASCII cue tokens, packed by `pack_ascii_lower`.
    ascii: PackedSet,
    /// The shortest cue token, in characters.
    min_chars: usize,
    /// The longest cue token, in characters: a token of more characters never lower-cases to
    /// a cue (lower-casing never shortens a text).
    max_chars: usize,
    /// The first characters of the cue tokens, where the first two are ASCII.
    heads: AsciiHeads,
    /// Whether a token of a Latin-1 text can only be a cue when it is ASCII and its lower
    /// case is packed in `ascii`: no cue token holds a character of U+0080..U+00FF (a Latin-1
    /// character lower-cases to one Latin-1 character) or is too long to pack.
    latin1_is_ascii: bool,
}

/// The first characters of the cue tokens where the first two are ASCII: per pair of ASCII
/// characters, a mask of the third characters that follow it (bit `third & 31`, so a bit may
/// stand for several characters: the mask refuses no token that could be a cue). A cue token
/// of two characters, or with a third that is not ASCII, sets bit 0.
struct AsciiHeads {
    masks: Vec<u32>,
}

impl AsciiHeads {
    fn index(first: u8, second: u8) -> usize {
        usize::from(first & 0x7f) << 7 | usize::from(second & 0x7f)
    }

    fn of(tokens: &[String]) -> Self {
        let mut masks = vec![0u32; 128 * 128];
        for token in tokens {
            if let [first, second, rest @ ..] = token.as_bytes() {
                if first.is_ascii() && second.is_ascii() {
                    let bit = match rest.first() {
                        Some(&third) if third.is_ascii() => third & 31,
                        _ => 0,
                    };
                    masks[Self::index(*first, *second)] |= 1 << bit;
                }
            }
        }
        Self { masks }
    }

    /// Whether a cue token starts with these two (lower-case ASCII) characters.
    fn contains(&self, first: u8, second: u8) -> bool {
        self.masks[Self::index(first, second)] != 0
    }

    /// Whether a cue token may start with these three (lower-case ASCII) characters.
    fn may_contain(&self, first: u8, second: u8, third: u8) -> bool {
        self.masks[Self::index(first, second)] & (1 << (third & 31)) != 0
    }
}

impl CueTokens {
    /// Whether the text (its code points) has a whitespace-separated token whose lower case
    /// is a cue token. `lowered` is a reusable buffer.
    pub(crate) fn has_cue<T: CodeUnit>(&self, units: &[T], lowered: &mut String) -> bool {
        if let Some(bytes) = T::latin1(units).filter(|_| self.latin1_is_ascii) {
            return self.has_ascii_cue(bytes);
        }
        let mut at = 0;
        while at < units.len() {
            let first: u32 = units[at].into();
            if is_py_space(first) {
                at += 1;
                continue;
            }
            let start = at;
            // Most tokens start with ASCII characters that start no cue: those are passed over
            // without a look at the rest of the token. ASCII characters lower-case to one
            // character each, so they are the first characters of the lowered token (a token
            // of two characters or more never lowers to a shorter cue).
            let ascii = |at: usize| {
                units
                    .get(at)
                    .map(|&unit| unit.into())
                    .filter(|&code: &u32| code < 0x80 && !is_py_space(code))
                    .map(|code| (code as u8).to_ascii_lowercase())
            };
            let refused = match (ascii(at), ascii(at + 1), ascii(at + 2)) {
                (Some(first), Some(second), Some(third)) => {
                    !self.heads.may_contain(first, second, third)
                }
                (Some(first), Some(second), None) => !self.heads.contains(first, second),
                _ => false,
            };
            at += 1;
            while at < units.len() && !is_py_space(units[at].into()) {
                at += 1;
            }
            if !refused && self.is_cue(&units[start..at], lowered) {
                return true;
            }
        }
        false
    }

    /// `has_cue` of a Latin-1 text, when `latin1_is_ascii`.
    fn has_ascii_cue(&self, text: &[u8]) -> bool {
        let mut at = 0;
        while at < text.len() {
            if is_py_space(u32::from(text[at])) {
                at += 1;
                continue;
            }
            let start = at;
            at = next_maybe_space(text, at + 1);
            while at < text.len() && !is_py_space(u32::from(text[at])) {
                at = next_maybe_space(text, at + 1);
            }
            if self.is_ascii_cue(&text[start..at]) {
                return true;
            }
        }
        false
    }

    /// Whether a token of a Latin-1 text lower-cases to a cue token, when `latin1_is_ascii`.
    fn is_ascii_cue(&self, token: &[u8]) -> bool {
        // A Latin-1 token lower-cases to as many characters.
        if token.len() < self.min_chars || token.len() > self.max_chars {
            return false;
        }
        let lower = |at: usize| token.get(at).map(u8::to_ascii_lowercase);
        let head = match (lower(0), lower(1), lower(2)) {
            (Some(first), Some(second), Some(third)) => {
                self.heads.may_contain(first, second, third)
            }
            (Some(first), Some(second), None) => self.heads.contains(first, second),
            _ => true,
        };
        head && pack_ascii_lower(token).is_some_and(|packed| self.ascii.contains(packed))
    }

    /// Whether `token` (no whitespace in it) lower-cases to a cue token.
    fn is_cue<T: Copy + Into<u32>>(&self, token: &[T], lowered: &mut String) -> bool {
        // Lower-casing never shortens a text, and only "İ"-like characters lengthen it.
        if token.is_empty() || token.len() > self.max_chars {
            return false;
        }
        // An ASCII token lower-cases to as many characters.
        if token.len() < self.min_chars && token.iter().all(|&unit| unit.into() < 0x80) {
            return false;
        }
        if let Some(packed) = pack_ascii_lower(token) {
            return self.ascii.contains(packed);
        }
        lowered.clear();
        for &unit in token {
            let code: u32 = unit.into();
            if code < 0x80 {
                lowered.push(char::from(code as u8).to_ascii_lowercase());
            } else if let Some(c) = char::from_u32(code) {
                lowered.extend(c.to_lowercase());
            } else {
                return false; // a lone surrogate: no cue token holds one
            }
        }
        self.tokens.contains(lowered.as_str())
    }
}

#[pymethods]
impl CueTokens {
    #[new]
    pub(crate) fn new(tokens: Vec<String>) -> PyResult<Self> {
        let invalid = |token: &String| {
            token.is_empty()
                || token
                    .chars()
                    .any(|c| is_py_space(u32::from(c)) || matches!(c, 'σ' | 'ς' | 'Σ'))
        };
        if let Some(token) = tokens.iter().find(|token| invalid(token)) {
            return Err(PyValueError::new_err(format!(
                "cue token {token:?} is empty or holds whitespace or a sigma"
            )));
        }
        let max_chars = tokens
            .iter()
            .map(|token| token.chars().count())
            .max()
            .unwrap_or(0);
        let ascii: Vec<u128> = tokens
            .iter()
            // `str.lower` never yields an ASCII capital: a cue token with one never matches.
            .filter(|token| !token.bytes().any(|byte| byte.is_ascii_uppercase()))
            .filter_map(|token| pack_ascii_lower(&token.chars().map(u32::from).collect::<Vec<_>>()))
            .collect();
        let min_chars = tokens
            .iter()
            .map(|token| token.chars().count())
            .min()
            .unwrap_or(0);
        let latin1_is_ascii = tokens.iter().all(|token| {
            token.chars().count() <= 15 && !token.chars().any(|c| matches!(c, '\u{80}'..='\u{ff}'))
        });
        Ok(Self {
            latin1_is_ascii,
            heads: AsciiHeads::of(&tokens),
            tokens: tokens.into_iter().collect(),
            min_chars,
            ascii: PackedSet::new(&ascii),
            max_chars,
        })
    }

    /// The indices of the `texts` that hold a cue token, in order.
    fn sentences_with_cue(&self, texts: Vec<Bound<'_, PyString>>) -> PyResult<Vec<usize>> {
        let mut lowered = String::new();
        let mut found = Vec::new();
        for (index, text) in texts.iter().enumerate() {
            let cue = with_code_units!(text, |units| self.has_cue(units, &mut lowered));
            if cue {
                found.push(index);
            }
        }
        Ok(found)
    }
}

/// Where a count can begin: the positions of `\b(?=\d|(?:word|word|...)\b)` in a text, or a
/// few more. Positions the Python pattern would refuse are harmless (the caller matches its
/// pattern at each); a position it accepts is never left out. Word characters are exact for
/// ASCII; next to a non-ASCII character a boundary is assumed, and a non-ASCII numeric
/// character may be a digit.
#[pyclass(frozen, module = "workers._native")]
pub struct CountStarts {
    words: FnvSet<String>,
}

fn is_ascii_word(code: u32) -> bool {
    code < 0x80 && (char::from(code as u8).is_ascii_alphanumeric() || code == u32::from(b'_'))
}

impl CountStarts {
    pub(crate) fn find<T: Copy + Into<u32>>(&self, units: &[T]) -> Vec<usize> {
        let mut starts = Vec::new();
        let mut word = String::new();
        let mut previous_is_word = false;
        let mut at = 0;
        while at < units.len() {
            let code: u32 = units[at].into();
            let is_word = is_ascii_word(code);
            if previous_is_word && code >= 0x80 {
                // Whether a non-ASCII character is a word character is not decided here.
                previous_is_word = false;
            }
            if previous_is_word {
                previous_is_word = is_word;
                at += 1;
                continue;
            }
            if code < 0x80 && char::from(code as u8).is_ascii_digit()
                || code >= 0x80 && char::from_u32(code).is_some_and(char::is_numeric)
            {
                starts.push(at);
            } else if is_word {
                word.clear();
                let mut end = at;
                while end < units.len() && is_ascii_word(units[end].into()) {
                    word.push(char::from(units[end].into() as u8));
                    end += 1;
                }
                if self.words.contains(word.as_str()) {
                    starts.push(at);
                }
                at = end;
                previous_is_word = true;
                continue;
            }
            previous_is_word = is_word;
            at += 1;
        }
        starts
    }
}

#[pymethods]
impl CountStarts {
    #[new]
    pub(crate) fn new(words: Vec<String>) -> PyResult<Self> {
        if let Some(word) = words
            .iter()
            .find(|word| word.is_empty() || !word.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(PyValueError::new_err(format!(
                "count word {word:?} is not ASCII letters"
            )));
        }
        Ok(Self {
            words: words.into_iter().collect(),
        })
    }

    /// Ascending positions (in characters) where a count can begin in `text`.
    fn starts(&self, text: Bound<'_, PyString>) -> PyResult<Vec<usize>> {
        Ok(with_code_units!(text, |units| self.find(units)))
    }
}
