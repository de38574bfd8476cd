//! The scans behind the roles of events (`workers/pipeline/enrich/events_roles.py`): the
//! fallback actor lexicon's forms among a sentence's capitalised words, and the first place
//! of each entity surface in each sentence of an article. The lexicon, its first words and
//! the character classes come from Python at construction; the decisions over the hits
//! (overlaps, capitals as places, mentions) stay in Python.

use memchr::memmem;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::hashing::{FnvMap, FnvSet};
use crate::pystr::with_code_units;

const TABLED: usize = 0x10000;
const ALNUM: u8 = 1;
/// Possessive endings dropped from a lexicon candidate, tried in this order.
const POSSESSIVES: [&str; 4] = ["'s", "’s", "'", "’"];
/// What may separate the words of a multi-word lexicon form.
const WORD_GAPS: [&str; 3] = [" ", " of the ", " of "];
/// At most this many capitalised words make one lexicon form.
const MAX_FORM_WORDS: usize = 4;

/// The fallback actor lexicon and Python's `str.isalnum`, for the roles' scans.
#[pyclass(frozen, module = "workers._native")]
pub struct RoleScanner {
    forms: FnvMap<String, usize>,
    first_words: FnvSet<String>,
    lexicon_words: FnvSet<String>,
    classes: Vec<u8>,
    classify: Py<PyAny>,
}

/// Per sentence: (entity index, start, end) of the entities named in it, in entity order,
/// and the indices of the weapons it names.
type SentenceHits = (Vec<(usize, usize, usize)>, Vec<usize>);

impl RoleScanner {
    fn is_alnum(&self, py: Python<'_>, code: u32) -> bool {
        if (code as usize) < TABLED {
            return self.classes[code as usize] & ALNUM != 0;
        }
        // Outside the table: ask Python (a character it cannot classify is not alphanumeric).
        char::from_u32(code).is_some_and(|c| {
            self.classify
                .bind(py)
                .call1((c.to_string(),))
                .and_then(|value| value.extract::<u8>())
                .is_ok_and(|bits| bits & ALNUM != 0)
        })
    }

    /// Python's `[\w.'’-]`.
    fn is_word_part(&self, py: Python<'_>, code: u32) -> bool {
        matches!(code, 0x5F | 0x2E | 0x27 | 0x2019 | 0x2D) || self.is_alnum(py, code)
    }

    /// The spans of `[A-Z][\w.'’-]*` in `units`, as `re.finditer` finds them.
    fn capitalised_words<T: Copy + Into<u32>>(
        &self,
        py: Python<'_>,
        units: &[T],
    ) -> Vec<(usize, usize)> {
        let mut words = Vec::new();
        let mut at = 0;
        while at < units.len() {
            let code: u32 = units[at].into();
            if !(0x41..=0x5A).contains(&code) {
                at += 1;
                continue;
            }
            let mut end = at + 1;
            while end < units.len() && self.is_word_part(py, units[end].into()) {
                end += 1;
            }
            words.push((at, end));
            at = end;
        }
        words
    }

    /// The lexicon forms among the capitalised words, as `_lexicon_forms_reference` finds them.
    fn lexicon_forms_in<T: Copy + Into<u32>>(
        &self,
        py: Python<'_>,
        units: &[T],
    ) -> Vec<(usize, usize, usize)> {
        let words = self.capitalised_words(py, units);
        let mut found = Vec::new();
        let mut index = 0;
        while index < words.len() {
            let (start, end) = words[index];
            let token = string_of(&units[start..end]);
            if !self.lexicon_words.contains(token.trim_end_matches('.')) {
                index += 1;
                continue;
            }
            match self.longest_form(units, &words, index, &token) {
                Some((form, size, used)) => {
                    found.push((start, start + size, form));
                    index += used;
                }
                None => index += 1,
            }
        }
        found
    }

    /// The longest form (its id, length in characters and word count) made of up to four
    /// adjacent capitalised words from `index`.
    fn longest_form<T: Copy + Into<u32>>(
        &self,
        units: &[T],
        words: &[(usize, usize)],
        index: usize,
        first: &str,
    ) -> Option<(usize, usize, usize)> {
        let start = words[index].0;
        let longest = if self.first_words.contains(first) {
            MAX_FORM_WORDS.min(words.len() - index)
        } else {
            1
        };
        for count in (1..=longest).rev() {
            if count > 1 && !adjacent(units, &words[index..index + count]) {
                continue;
            }
            let written = string_of(&units[start..words[index + count - 1].1]);
            let bare = POSSESSIVES
                .iter()
                .find_map(|suffix| written.strip_suffix(suffix))
                .unwrap_or(&written);
            let variants = [Some(bare), bare.strip_suffix('.')];
            for form in variants.into_iter().flatten() {
                if let Some(&id) = self.forms.get(form) {
                    return Some((id, form.chars().count(), count));
                }
            }
        }
        None
    }

    /// The first start of each surface in each of `texts` (joined by newlines, `joined`,
    /// starting at the byte offsets `bases`), or `usize::MAX`: per surface, per text.
    fn first_starts(joined: &str, bases: &[usize], surfaces: &[String]) -> Vec<Vec<usize>> {
        surfaces
            .iter()
            .map(|surface| {
                let mut starts = vec![usize::MAX; bases.len()];
                if !surface.is_empty() {
                    for at in occurrences(joined.as_bytes(), surface.as_bytes()) {
                        let k = bases.partition_point(|&base| base <= at) - 1;
                        let text_end = bases.get(k + 1).map_or(joined.len(), |next| next - 1);
                        if at + surface.len() <= text_end && starts[k] == usize::MAX {
                            starts[k] = at - bases[k];
                        }
                    }
                }
                starts
            })
            .collect()
    }

    /// Whether `text[start..end]` (byte offsets) has no alphanumeric character either side.
    fn is_word_boundary(&self, py: Python<'_>, text: &str, start: usize, end: usize) -> bool {
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        !before.is_some_and(|c| self.is_alnum(py, u32::from(c)))
            && !after.is_some_and(|c| self.is_alnum(py, u32::from(c)))
    }
}

/// Where `needle` occurs in `hay`: every occurrence when the needle holds a newline (one may
/// cross from one joined text into the next and hide an overlapping one inside it), else the
/// non-overlapping ones, which include the first occurrence inside each text.
fn occurrences(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    if !needle.contains(&b'\n') {
        return memmem::find_iter(hay, needle).collect();
    }
    let finder = memmem::Finder::new(needle);
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = finder.find(&hay[from..]) {
        found.push(from + at);
        from += at + 1;
    }
    found
}

/// Whether only the allowed gaps separate consecutive `words`.
fn adjacent<T: Copy + Into<u32>>(units: &[T], words: &[(usize, usize)]) -> bool {
    words.windows(2).all(|pair| {
        let gap = &units[pair[0].1..pair[1].0];
        WORD_GAPS.iter().any(|allowed| {
            allowed.len() == gap.len()
                && allowed
                    .bytes()
                    .zip(gap)
                    .all(|(byte, &unit)| u32::from(byte) == unit.into())
        })
    })
}

fn string_of<T: Copy + Into<u32>>(units: &[T]) -> String {
    units
        .iter()
        .map(|&unit| char::from_u32(unit.into()).unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

fn char_offset(text: &str, byte: usize) -> usize {
    if text.is_ascii() {
        byte
    } else {
        text[..byte].chars().count()
    }
}

#[pymethods]
impl RoleScanner {
    /// `forms`: the lexicon's surface forms (a form's id is its index); `first_words`: the
    /// words that may start a multi-word form; `lexicon_words`: every capitalised word that
    /// may start a form, as written; `classes`: one byte per BMP code point (bit 1: isalnum),
    /// `classify` the same for any other character.
    #[new]
    #[pyo3(signature = (*, forms, first_words, lexicon_words, classes, classify))]
    fn new(
        forms: Vec<String>,
        first_words: Vec<String>,
        lexicon_words: Vec<String>,
        classes: Vec<u8>,
        classify: Py<PyAny>,
    ) -> PyResult<Self> {
        if classes.len() != TABLED {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "classes must have one byte per BMP code point",
            ));
        }
        Ok(Self {
            forms: forms
                .into_iter()
                .enumerate()
                .map(|(id, form)| (form, id))
                .collect(),
            first_words: first_words.into_iter().collect(),
            lexicon_words: lexicon_words.into_iter().collect(),
            classes,
            classify,
        })
    }

    /// (start, end, form id) of the lexicon forms named by the capitalised words of `text`.
    fn lexicon_forms(
        &self,
        py: Python<'_>,
        text: Bound<'_, PyString>,
    ) -> PyResult<Vec<(usize, usize, usize)>> {
        Ok(with_code_units!(text, |units| self.lexicon_forms_in(py, units)))
    }

    /// Per text: the entities (indices into `named`, each a list of surfaces) whose first
    /// found surface first occurs in it as a whole word, with that span, in entity order;
    /// and the weapons (indices into `weapons`) any of whose surfaces it contains. None when
    /// a text cannot be read as UTF-8 (lone surrogates).
    fn sentence_surfaces(
        &self,
        py: Python<'_>,
        texts: Vec<Bound<'_, PyString>>,
        named: Vec<Vec<String>>,
        weapons: Vec<Vec<String>>,
    ) -> Option<Vec<SentenceHits>> {
        let mut joined = String::new();
        let mut bases = Vec::with_capacity(texts.len());
        for text in &texts {
            if !bases.is_empty() {
                joined.push('\n');
            }
            bases.push(joined.len());
            joined.push_str(text.to_str().ok()?);
        }
        let mut hits: Vec<SentenceHits> = vec![(Vec::new(), Vec::new()); texts.len()];
        for (entity, surfaces) in named.iter().enumerate() {
            let starts = Self::first_starts(&joined, &bases, surfaces);
            for (k, hit) in hits.iter_mut().enumerate() {
                let text_end = bases.get(k + 1).map_or(joined.len(), |next| next - 1);
                let text = &joined[bases[k]..text_end];
                let found = surfaces.iter().zip(&starts).find_map(|(surface, at)| {
                    let start = at[k];
                    (start != usize::MAX
                        && self.is_word_boundary(py, text, start, start + surface.len()))
                    .then_some((start, start + surface.len()))
                });
                if let Some((start, end)) = found {
                    let start_char = char_offset(text, start);
                    let size = surface_chars(&text[start..end]);
                    hit.0.push((entity, start_char, start_char + size));
                }
            }
        }
        for (weapon, surfaces) in weapons.iter().enumerate() {
            let starts = Self::first_starts(&joined, &bases, surfaces);
            for (k, hit) in hits.iter_mut().enumerate() {
                if starts.iter().any(|at| at[k] != usize::MAX) {
                    hit.1.push(weapon);
                }
            }
        }
        Some(hits)
    }
}

fn surface_chars(surface: &str) -> usize {
    if surface.is_ascii() {
        surface.len()
    } else {
        surface.chars().count()
    }
}
