//! Cheap gates for the entity passes after the walk (`workers.pipeline.enrich.entities`):
//! for each unknown name's start offset, whether the word right before it can end a
//! lower-case title (`people.title_may_end_before`) and whether the text right before it can
//! end a locality cue (`context.locality_may_end`). One call per article instead of a Python
//! call per name; the Python functions stay the reference, and a gate that says "maybe" only
//! sends the name on to the full Python rules.
//!
//! The title words, cue words and window sizes are passed from Python, so those modules stay
//! their one definition. Offsets are Python string indices (code points); white space is
//! Python's `str.isspace`. Only ASCII words are judged: a window holding any other character
//! is always "maybe", as in the Python functions.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::hashing::FnvSet;
use crate::pystr::{is_py_space, with_code_units};

/// Bit set when a lower-case title may end right before the name.
const TITLE: u8 = 1;
/// Bit set when a locality cue ("village of", "near") may end right before the name.
const LOCALITY: u8 = 2;

#[pyclass(frozen, module = "workers._native")]
pub struct NameContextGates {
    title_ends: FnvSet<String>,
    title_window: usize,
    locality_words: Vec<String>,
    locality_window: usize,
}

fn is_space<T: Copy + Into<u32>>(unit: T) -> bool {
    is_py_space(unit.into())
}

fn is_ascii<T: Copy + Into<u32>>(units: &[T]) -> bool {
    units.iter().all(|&unit| unit.into() < 0x80)
}

/// Lower-cased ASCII text of `units` (all ASCII), without the characters `drop` rejects,
/// written into `out` (a buffer reused across names, so a gate allocates once per article).
fn ascii_lower<'o, T: Copy + Into<u32>>(
    units: &[T],
    drop: impl Fn(u8) -> bool,
    out: &'o mut String,
) -> &'o str {
    out.clear();
    out.extend(
        units
            .iter()
            .filter_map(|&unit| u8::try_from(unit.into()).ok())
            .filter(|&byte| !drop(byte))
            .map(|byte| char::from(byte.to_ascii_lowercase())),
    );
    out
}

/// `units` without its trailing white space.
fn trim_end_space<T: Copy + Into<u32>>(units: &[T]) -> &[T] {
    let mut end = units.len();
    while end > 0 && is_space(units[end - 1]) {
        end -= 1;
    }
    &units[..end]
}

/// Whether ASCII `units` end with the lower-case ASCII `word`, compared case-blind.
fn ends_with_ascii_word<T: Copy + Into<u32>>(units: &[T], word: &str) -> bool {
    word.len() <= units.len()
        && units[units.len() - word.len()..]
            .iter()
            .zip(word.bytes())
            .all(|(&unit, expected)| {
                u8::try_from(unit.into()).is_ok_and(|byte| byte.to_ascii_lowercase() == expected)
            })
}

impl NameContextGates {
    /// `title_may_end_before(ends, text, start)`.
    fn title_gate<T: Copy + Into<u32>>(&self, units: &[T], start: usize, out: &mut String) -> bool {
        if start == 0 || !is_space(units[start - 1]) {
            return false;
        }
        let low = start.saturating_sub(self.title_window);
        let mut end = start;
        while end > low && is_space(units[end - 1]) {
            end -= 1;
        }
        if end == low {
            return true; // only white space: no word to rule the title out
        }
        let mut begin = end;
        while begin > low && !is_space(units[begin - 1]) {
            begin -= 1;
        }
        let piece = &units[begin..end];
        // `fold` of a word without white space: lower case, apostrophes removed.
        !is_ascii(piece)
            || self
                .title_ends
                .contains(ascii_lower(piece, |byte| byte == b'\'', out))
    }

    /// `locality_may_end(text[max(0, start - window):start])`.
    fn locality_gate<T: Copy + Into<u32>>(&self, units: &[T], start: usize) -> bool {
        let window = &units[start.saturating_sub(self.locality_window)..start];
        if !is_ascii(window) {
            return true;
        }
        // All ASCII: read the window's end case-blind in place (no lower-cased copy).
        let mut body = trim_end_space(window);
        if ends_with_ascii_word(body, "the") {
            body = trim_end_space(&body[..body.len() - 3]);
        }
        self.locality_words
            .iter()
            .any(|word| ends_with_ascii_word(body, word))
    }

    fn gates_of<T: Copy + Into<u32>>(&self, units: &[T], starts: &[usize]) -> PyResult<Vec<u8>> {
        let mut out = String::new();
        starts
            .iter()
            .map(|&start| {
                if start > units.len() {
                    return Err(PyValueError::new_err(format!(
                        "offset {start} is past the end of the text"
                    )));
                }
                let title = if self.title_gate(units, start, &mut out) {
                    TITLE
                } else {
                    0
                };
                let locality = if self.locality_gate(units, start) {
                    LOCALITY
                } else {
                    0
                };
                Ok(title | locality)
            })
            .collect()
    }
}

#[pymethods]
impl NameContextGates {
    /// `title_ends`: folded last words of every title, judged in a window of `title_window`
    /// characters; `locality_words`: lower-case ASCII words every locality cue ends with
    /// (before an optional "the"), judged in a window of `locality_window` characters.
    #[new]
    #[pyo3(signature = (*, title_ends, title_window, locality_words, locality_window))]
    fn new(
        title_ends: Vec<String>,
        title_window: usize,
        locality_words: Vec<String>,
        locality_window: usize,
    ) -> PyResult<Self> {
        if let Some(word) = locality_words
            .iter()
            .find(|word| !word.bytes().all(|byte| byte.is_ascii_lowercase()))
        {
            return Err(PyValueError::new_err(format!(
                "locality word {word:?} is not lower-case ASCII letters"
            )));
        }
        Ok(Self {
            title_ends: title_ends.into_iter().collect(),
            title_window,
            locality_words,
            locality_window,
        })
    }

    /// Per offset in `starts`: bit 1 = a title may end right before it, bit 2 = a locality
    /// cue may end right before it.
    fn gates(&self, text: Bound<'_, PyString>, starts: Vec<usize>) -> PyResult<Vec<u8>> {
        with_code_units!(text, |units| self.gates_of(units, &starts))
    }
}

/// Where `orgs.TEMPLATE_RE` ("<Country>['s] <institution>") can match: an institution phrase
/// (ASCII, compared case-blind) must open the word after the first or the second blank run
/// from the start, and no word character or hyphen may follow it. Starts the pattern would
/// refuse may pass (the caller matches the pattern at each); a start it accepts never fails.
/// Next to a non-ASCII character the answer is "maybe" (Python's case-blind matching of
/// non-ASCII letters is not redone here).
#[pyclass(frozen, module = "workers._native")]
pub struct InstitutionGate {
    phrases: Vec<String>,
    longest: usize,
    /// Per pair of lower-case ASCII bytes: whether some phrase opens with them. ASCII
    /// characters whose lower cases open no phrase start none (case-blind matching of an
    /// ASCII character only ever meets ASCII letters), so most words are refused on one lookup.
    openers: Vec<bool>,
}

/// The index of a pair of ASCII bytes in `InstitutionGate.openers`.
fn pair_index(first: u8, second: u8) -> usize {
    usize::from(first) * 128 + usize::from(second)
}

fn is_blank<T: Copy + Into<u32>>(unit: T) -> bool {
    matches!(unit.into(), 0x20 | 0x09)
}

impl InstitutionGate {
    /// Whether an institution phrase followed by a non-word character may start at `at`.
    fn phrase_at<T: Copy + Into<u32>>(&self, units: &[T], at: usize) -> bool {
        let window = &units[at..units.len().min(at + self.longest + 1)];
        if let [first, second, ..] = window {
            let (first, second) = ((*first).into(), (*second).into());
            if first < 0x80
                && second < 0x80
                && !self.openers[pair_index(
                    (first as u8).to_ascii_lowercase(),
                    (second as u8).to_ascii_lowercase(),
                )]
            {
                return false;
            }
        }
        if !is_ascii(window) {
            return true;
        }
        // All ASCII: compare case-blind in place (no lower-cased copy of the window).
        let byte_at = |i: usize| (window[i].into() as u8).to_ascii_lowercase();
        self.phrases.iter().any(|phrase| {
            let phrase = phrase.as_bytes();
            phrase.len() <= window.len()
                && phrase
                    .iter()
                    .enumerate()
                    .all(|(i, &expected)| byte_at(i) == expected)
                && !(phrase.len() < window.len() && {
                    let byte = byte_at(phrase.len());
                    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
                })
        })
    }

    /// The end of the run of non-white-space characters from `at`.
    fn word_end<T: Copy + Into<u32>>(units: &[T], mut at: usize) -> usize {
        while at < units.len() && !is_space(units[at]) {
            at += 1;
        }
        at
    }

    /// The end of the run of spaces and tabs from `at`, or None when there is none.
    fn blanks_end<T: Copy + Into<u32>>(units: &[T], mut at: usize) -> Option<usize> {
        if at >= units.len() || !is_blank(units[at]) {
            return None;
        }
        while at < units.len() && is_blank(units[at]) {
            at += 1;
        }
        Some(at)
    }

    /// The offsets of `starts` where `TEMPLATE_RE` may match (each at most `units.len()`).
    pub(crate) fn gated<T: Copy + Into<u32>>(
        &self,
        units: &[T],
        starts: impl Iterator<Item = usize>,
    ) -> Vec<usize> {
        starts
            .filter(|&start| start <= units.len() && self.may_match(units, start))
            .collect()
    }

    fn may_match<T: Copy + Into<u32>>(&self, units: &[T], start: usize) -> bool {
        let Some(second) = Self::blanks_end(units, Self::word_end(units, start)) else {
            return false;
        };
        if self.phrase_at(units, second) {
            return true;
        }
        let after_second = Self::word_end(units, second);
        if after_second == second {
            return false;
        }
        match Self::blanks_end(units, after_second) {
            Some(third) => self.phrase_at(units, third),
            None => false,
        }
    }
}

#[pymethods]
impl InstitutionGate {
    /// `phrases`: every institution phrase, lower-case ASCII, each spelling written out.
    #[new]
    #[pyo3(signature = (*, phrases))]
    fn new(phrases: Vec<String>) -> PyResult<Self> {
        if let Some(phrase) = phrases.iter().find(|phrase| {
            phrase.len() < 2
                || !phrase
                    .bytes()
                    .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        }) {
            return Err(PyValueError::new_err(format!(
                "institution phrase {phrase:?} is not lower-case ASCII of two bytes or more"
            )));
        }
        let longest = phrases.iter().map(String::len).max().unwrap_or(0);
        let mut openers = vec![false; 128 * 128];
        for phrase in &phrases {
            // Every phrase has two bytes or more (all institution phrases do).
            if let [first, second, ..] = phrase.as_bytes() {
                openers[pair_index(*first, *second)] = true;
            }
        }
        Ok(Self {
            phrases,
            longest,
            openers,
        })
    }

    /// The offsets of `starts` (in order) where `TEMPLATE_RE` may match.
    fn starts(&self, text: Bound<'_, PyString>, starts: Vec<usize>) -> PyResult<Vec<usize>> {
        with_code_units!(text, |units| {
            if let Some(start) = starts.iter().find(|&&start| start > units.len()) {
                return Err(PyValueError::new_err(format!(
                    "offset {start} is past the end of the text"
                )));
            }
            Ok(self.gated(units, starts.iter().copied()))
        })
    }
}
