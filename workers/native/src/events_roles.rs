//! The scans behind the roles of events (`workers/pipeline/enrich/events_roles.py`): the
//! fallback actor lexicon's forms among a sentence's capitalised words, and the first place
//! of each entity surface in each sentence of an article. The lexicon, its first words and
//! the character classes come from Python at construction; the decisions over the hits
//! (overlaps, capitals as places, mentions) stay in Python.

use std::borrow::Cow;
use std::sync::Arc;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;
use regex_automata::{meta, Anchored, Input};

use crate::events_inert::{is_plain_ascii, original, stand_in_of, stood_in_word, INERT};
use crate::hashing::{FnvMap, FnvSet};
use crate::pystr::{with_code_units, CharClasses};

/// The stand-in of '’' in a stood-in text (`events_inert`).
const APOSTROPHE: u8 = 1;
/// Possessive endings dropped from a lexicon candidate, tried in this order, with the
/// stand-in of '’' next to it: a text holds either (`events_inert`), and at most one of the
/// three "'s" endings (or of the three bare ones) ends a word.
const POSSESSIVES: [&str; 6] = ["'s", "’s", "\x01s", "'", "’", "\x01"];
/// What may separate the words of a multi-word lexicon form.
const WORD_GAPS: [&str; 3] = [" ", " of the ", " of "];
/// The word after which a trigger's two parties are named ('talks between X and Y').
const BETWEEN: &[u8] = b"between ";
/// At most this many capitalised words make one lexicon form.
const MAX_FORM_WORDS: usize = 4;

/// The fallback actor lexicon and Python's `str.isalnum`, for the roles' scans.
#[pyclass(frozen, module = "workers._native")]
pub struct RoleScanner {
    forms: FnvMap<String, usize>,
    /// How many forms were given: every form id is below it.
    form_count: usize,
    first_words: FnvSet<String>,
    lexicon_words: FnvSet<String>,
    classes: CharClasses,
}

/// Per sentence: (entity index, start, end) of the entities named in it, in entity order,
/// and the indices of the weapons it names.
pub(crate) type SentenceHits = (Vec<(usize, usize, usize)>, Vec<usize>);

impl RoleScanner {
    /// How many forms the scanner numbers (its form ids index a list of this length).
    pub(crate) fn form_count(&self) -> usize {
        self.form_count
    }

    fn is_alnum(&self, py: Python<'_>, code: u32) -> bool {
        // A character Python cannot classify is not alphanumeric.
        self.classes.is_alnum(py, code).unwrap_or(false)
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
    pub(crate) fn lexicon_forms_in<T: Copy + Into<u32>>(
        &self,
        py: Python<'_>,
        units: &[T],
    ) -> Vec<(usize, usize, usize)> {
        let words = self.capitalised_words(py, units);
        self.forms_among(units, &words, |start, end| {
            Cow::Owned(string_of(&units[start..end]))
        })
    }

    /// `lexicon_forms_in` of an ASCII text whose capitalised words are `words`, reading the
    /// words in place.
    pub(crate) fn lexicon_forms_of_words(
        &self,
        text: &str,
        words: &[(usize, usize)],
    ) -> Vec<(usize, usize, usize)> {
        self.forms_among(text.as_bytes(), words, |start, end| {
            Cow::Borrowed(&text[start..end])
        })
    }

    /// (start, end, form id) of the lexicon forms among `words` (spans of `units`), whose
    /// text `text_of(start, end)` gives.
    fn forms_among<'t, T: Copy + Into<u32>>(
        &self,
        units: &[T],
        words: &[(usize, usize)],
        text_of: impl Fn(usize, usize) -> Cow<'t, str>,
    ) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        let mut index = 0;
        while index < words.len() {
            let (start, end) = words[index];
            let token = text_of(start, end);
            if !self.lexicon_words.contains(token.trim_end_matches('.')) {
                index += 1;
                continue;
            }
            match self.longest_form(units, words, index, &token, &text_of) {
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
    fn longest_form<'t, T: Copy + Into<u32>>(
        &self,
        units: &[T],
        words: &[(usize, usize)],
        index: usize,
        first: &str,
        text_of: &impl Fn(usize, usize) -> Cow<'t, str>,
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
            let written = text_of(start, words[index + count - 1].1);
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

    /// The first start of `surface` (number `id`) in each of `texts` (joined by newlines,
    /// `joined`, starting at the byte offsets `bases`) that holds it, appended to `found` as
    /// (text, id, start in that text), texts in order.
    fn first_starts_into(
        joined: &str,
        index: &ByteIndex,
        bases: &[usize],
        id: usize,
        surface: &str,
        found: &mut Vec<(usize, usize, usize)>,
    ) {
        let hay = joined.as_bytes();
        let needle = surface.as_bytes();
        let (Some(&first), Some(&last)) = (needle.first(), needle.last()) else {
            return;
        };
        let last_at = needle.len() - 1;
        let mut last_text = usize::MAX;
        // Every occurrence, overlapping ones included, in order; the last byte is compared
        // first, which settles most candidates without comparing the whole surface.
        for &at in index.at(first) {
            if hay.get(at + last_at) != Some(&last) || !hay[at..].starts_with(needle) {
                continue;
            }
            let k = bases.partition_point(|&base| base <= at) - 1;
            let text_end = bases.get(k + 1).map_or(joined.len(), |next| next - 1);
            if k != last_text && at + surface.len() <= text_end {
                found.push((k, id, at - bases[k]));
                last_text = k;
            }
        }
    }

    /// Whether `text[start..end]` (byte offsets) has no alphanumeric character either side.
    fn is_word_boundary(&self, py: Python<'_>, text: &str, start: usize, end: usize) -> bool {
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        !before.is_some_and(|c| self.is_alnum(py, u32::from(c)))
            && !after.is_some_and(|c| self.is_alnum(py, u32::from(c)))
    }
}

/// The positions of each byte value in a haystack, in order (a counting sort): where the
/// surfaces of an article's entities may start, found once for all of them.
struct ByteIndex {
    /// Byte value b's positions are `positions[offsets[b]..offsets[b + 1]]`.
    offsets: Vec<usize>,
    positions: Vec<usize>,
}

impl ByteIndex {
    /// The index of the bytes `wanted` marks (the others are never looked up).
    fn new(hay: &[u8], wanted: &[bool; 256]) -> Self {
        let mut offsets = vec![0; 257];
        for &byte in hay {
            if wanted[usize::from(byte)] {
                offsets[usize::from(byte) + 1] += 1;
            }
        }
        for value in 1..offsets.len() {
            offsets[value] += offsets[value - 1];
        }
        let mut next = offsets.clone();
        let mut positions = vec![0; offsets[256]];
        for (at, &byte) in hay.iter().enumerate() {
            if wanted[usize::from(byte)] {
                positions[next[usize::from(byte)]] = at;
                next[usize::from(byte)] += 1;
            }
        }
        Self { offsets, positions }
    }

    fn at(&self, byte: u8) -> &[usize] {
        let value = usize::from(byte);
        &self.positions[self.offsets[value]..self.offsets[value + 1]]
    }
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
        let classes = CharClasses::new(classes, classify)?;
        let mut by_form = FnvMap::default();
        for (id, form) in forms.iter().enumerate() {
            if let Some(stood) = stood_in_word(form) {
                by_form.insert(stood, id);
            }
        }
        // A form as written wins over a stand-in spelling equal to it.
        for (id, form) in forms.iter().enumerate() {
            by_form.insert(form.clone(), id);
        }
        Ok(Self {
            form_count: forms.len(),
            forms: by_form,
            first_words: word_set(first_words),
            lexicon_words: word_set(lexicon_words),
            classes,
        })
    }

    /// The characters a sentence may hold besides ASCII and still be read by the compiled
    /// roles: each stands in the text as one of the bytes 1 to 8, in this order.
    #[staticmethod]
    fn inert_characters() -> String {
        INERT.iter().collect()
    }

    /// (start, end, form id) of the lexicon forms named by the capitalised words of `text`.
    /// A text holding one of the bytes 1 to 8 itself is read by code units like any text
    /// outside ASCII: no capitalised word (`[A-Z][\w.'’-]*`) and no gap between the words of a
    /// form holds those bytes, so the stand-in spellings in the tables are never looked up.
    fn lexicon_forms(
        &self,
        py: Python<'_>,
        text: Bound<'_, PyString>,
    ) -> PyResult<Vec<(usize, usize, usize)>> {
        if let Ok(utf8) = text.to_str() {
            if is_plain_ascii(utf8) {
                return Ok(
                    self.lexicon_forms_of_words(utf8, &ascii_capitalised_words(utf8.as_bytes()))
                );
            }
        }
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
        let texts = texts
            .iter()
            .map(|text| text.to_str().ok())
            .collect::<Option<Vec<&str>>>()?;
        Some(self.surfaces_in(py, &texts, &named, &weapons))
    }
}

impl RoleScanner {
    /// `sentence_surfaces` of texts already read.
    pub(crate) fn surfaces_in<S: AsRef<str>, L: AsRef<[S]>>(
        &self,
        py: Python<'_>,
        texts: &[&str],
        named: &[L],
        weapons: &[L],
    ) -> Vec<SentenceHits> {
        if named.is_empty() && weapons.is_empty() {
            return vec![(Vec::new(), Vec::new()); texts.len()];
        }
        let mut joined = String::with_capacity(texts.iter().map(|text| text.len() + 1).sum());
        let mut bases = Vec::with_capacity(texts.len());
        for text in texts {
            if !bases.is_empty() {
                joined.push('\n');
            }
            bases.push(joined.len());
            joined.push_str(text);
        }
        // Only the bytes surfaces start with are looked up.
        let mut wanted = [false; 256];
        for surface in named.iter().chain(weapons).flat_map(AsRef::as_ref) {
            if let Some(&first) = surface.as_ref().as_bytes().first() {
                wanted[usize::from(first)] = true;
            }
        }
        let index = ByteIndex::new(joined.as_bytes(), &wanted);
        let mut hits: Vec<SentenceHits> = vec![(Vec::new(), Vec::new()); texts.len()];
        // (text, surface, start) of each surface's first start in each text holding it.
        let mut found = Vec::new();
        for (entity, surfaces) in named.iter().enumerate() {
            let surfaces = surfaces.as_ref();
            found.clear();
            for (id, surface) in surfaces.iter().enumerate() {
                Self::first_starts_into(&joined, &index, &bases, id, surface.as_ref(), &mut found);
            }
            // Per text, the surfaces in order: the first at a word boundary names the entity.
            found.sort_unstable();
            let mut named_in = usize::MAX;
            for &(k, id, start) in &found {
                if k == named_in {
                    continue;
                }
                let text_end = bases.get(k + 1).map_or(joined.len(), |next| next - 1);
                let text = &joined[bases[k]..text_end];
                let end = start + surfaces[id].as_ref().len();
                if self.is_word_boundary(py, text, start, end) {
                    let start_char = char_offset(text, start);
                    let size = surface_chars(&text[start..end]);
                    hits[k].0.push((entity, start_char, start_char + size));
                    named_in = k;
                }
            }
        }
        for (weapon, surfaces) in weapons.iter().enumerate() {
            let surfaces = surfaces.as_ref();
            found.clear();
            for (id, surface) in surfaces.iter().enumerate() {
                Self::first_starts_into(&joined, &index, &bases, id, surface.as_ref(), &mut found);
            }
            found.sort_unstable();
            found.dedup_by_key(|&mut (k, _, _)| k);
            for &(k, _, _) in &found {
                hits[k].1.push(weapon);
            }
        }
        hits
    }
}

fn surface_chars(surface: &str) -> usize {
    if surface.is_ascii() {
        surface.len()
    } else {
        surface.chars().count()
    }
}

/// Bits of [`RoleWords::flags`], one per predicate of `events_roles.py` on a mention.
pub(crate) const SPEAKER: u8 = 1;
pub(crate) const LOCATED: u8 = 2;
pub(crate) const OWN_ACTION: u8 = 4;
pub(crate) const TERRITORY: u8 = 8;
pub(crate) const AFTER_OBJECT_VERB: u8 = 16;
pub(crate) const AGENT_BY: u8 = 32;
pub(crate) const AFTER_BY: u8 = 64;

/// `re` patterns for ASCII text: Python's `\w`, `\s` and `\b` spelled out in ASCII (on ASCII
/// text they mean exactly this), an inert character (`events_inert`) also matching its
/// stand-in, everything else as written. Errors on a class inside a
/// class or on escapes whose meaning the two syntaxes may not share.
pub(crate) fn ascii_pattern(pattern: &str) -> Result<String, String> {
    const WORD: &str = "0-9A-Za-z_";
    const SPACE: &str = r"\t\n\x0B\x0C\r\x1C-\x1F ";
    let mut out = String::new();
    let mut in_class = false;
    // Whether the last item of the class being read is a character outside ASCII.
    let mut after_non_ascii = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        let non_ascii = in_class && !c.is_ascii();
        match c {
            '\\' => {
                let escaped = chars.next().ok_or("pattern ends with a backslash")?;
                match (escaped, in_class) {
                    ('w', false) => out.push_str(&format!("[{WORD}]")),
                    ('w', true) => out.push_str(WORD),
                    ('s', false) => out.push_str(&format!("[{SPACE}]")),
                    ('s', true) => out.push_str(SPACE),
                    ('b', false) => out.push_str(r"(?-u:\b)"),
                    ('.' | '-' | '(' | ')' | '[' | ']' | '?' | '*' | '+' | '|' | '\\', _) => {
                        out.push('\\');
                        out.push(escaped);
                    }
                    _ => return Err(format!("escape \\{escaped} not translated")),
                }
            }
            '[' if in_class => return Err("class inside a class".into()),
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            // A range from or to a character outside ASCII may hold inert characters, whose
            // stand-ins it would not hold.
            '-' if in_class
                && chars
                    .clone()
                    .next()
                    .is_some_and(|next| next != ']' && (after_non_ascii || !next.is_ascii())) =>
            {
                return Err("a range over characters outside ASCII".into());
            }
            // An inert character is matched as written and as its stand-in (`events_inert`).
            _ => match stand_in_of(c) {
                Some(byte) if in_class => out.push_str(&format!("{c}\\x{byte:02X}")),
                Some(byte) => out.push_str(&format!("(?:{c}|\\x{byte:02X})")),
                None => out.push(c),
            },
        }
        after_non_ascii = non_ascii;
    }
    Ok(out)
}

pub(crate) fn compile(pattern: &str) -> PyResult<meta::Regex> {
    let translated = ascii_pattern(pattern).map_err(PyValueError::new_err)?;
    meta::Regex::new(&translated).map_err(|error| PyValueError::new_err(error.to_string()))
}

/// The words, and the spelling of those with an inert character in a stood-in text
/// (`events_inert`).
pub(crate) fn word_set(words: Vec<String>) -> FnvSet<String> {
    let stood: Vec<String> = words
        .iter()
        .filter_map(|word| stood_in_word(word))
        .collect();
    words.into_iter().chain(stood).collect()
}

/// Python's `str.isspace` on ASCII.
pub(crate) fn is_ascii_space(byte: u8) -> bool {
    // Letters and most punctuation lie above the space: one comparison settles them.
    byte <= b' ' && matches!(byte, b'\t'..=b'\r' | 0x1C..=0x1F | b' ')
}

/// The words of `text.split()` of ASCII text, in order, without collecting them.
pub(crate) fn words_of(text: &str) -> Words<'_> {
    Words { text, start: 0 }
}

/// The words of ASCII text in order (`text.split()`), read in place.
pub(crate) struct Words<'a> {
    text: &'a str,
    /// Everything before here has been read.
    start: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let word_start = self.start
            + bytes[self.start..]
                .iter()
                .position(|&b| !is_ascii_space(b))?;
        let word_end = bytes[word_start..]
            .iter()
            .position(|&b| is_ascii_space(b))
            .map_or(bytes.len(), |after| word_start + after);
        self.start = word_end;
        // Words start and end at ASCII bytes: the slice lies on character boundaries.
        Some(&self.text[word_start..word_end])
    }
}

/// The words of ASCII text from the last one back (`reversed(text.split())`), read in place:
/// the windows before a mention are read several times per mention, from their end.
pub(crate) struct BackWords<'a> {
    text: &'a str,
    /// Everything from here on has been read.
    end: usize,
}

impl<'a> BackWords<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            end: text.len(),
        }
    }

    /// The text before the words read so far.
    fn rest(&self) -> &'a str {
        &self.text[..self.end]
    }
}

impl<'a> Iterator for BackWords<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let word_end = bytes[..self.end]
            .iter()
            .rposition(|&b| !is_ascii_space(b))?
            + 1;
        let word_start = bytes[..word_end]
            .iter()
            .rposition(|&b| is_ascii_space(b))
            .map_or(0, |at| at + 1);
        self.end = word_start;
        // Words start and end at ASCII bytes: the slice lies on character boundaries.
        Some(&self.text[word_start..word_end])
    }
}

fn is_article(word: &str) -> bool {
    matches!(word, "the" | "a" | "an")
}

/// The word lists and patterns of the mention predicates and the fallback place of
/// `events_roles.py`, for ASCII sentences (the others are left to Python).
#[pyclass(frozen, module = "workers._native")]
pub struct RoleWords {
    speaker_after: meta::Regex,
    own_action: meta::Regex,
    territory_after: meta::Regex,
    located: FnvSet<String>,
    object_verbs: FnvSet<String>,
    agent_adjectives: FnvSet<String>,
    not_agent_before_by: FnvSet<String>,
    speaker_words: FnvSet<String>,
    speaker_words_before: FnvSet<String>,
    place_words: FnvSet<String>,
    place_nouns: FnvSet<String>,
    not_places: FnvSet<String>,
    forms: FnvSet<String>,
}

/// `_words_before` of the lower-cased ASCII text: the words of the `width` characters before
/// `start`, the first one dropped when the window is cut, a final article dropped; as the
/// part of the text that holds exactly those words (split it, or read it with `BackWords`).
pub(crate) fn words_before(lowered: &str, start: usize, width: usize) -> &str {
    let window = &lowered[start.saturating_sub(width)..start];
    let bytes = window.as_bytes();
    let mut from = 0;
    if width < start {
        if let Some(first) = bytes.iter().position(|&b| !is_ascii_space(b)) {
            from = bytes[first..]
                .iter()
                .position(|&b| is_ascii_space(b))
                .map_or(bytes.len(), |after| first + after);
        }
    }
    let kept = &window[from..];
    let mut back = BackWords::new(kept);
    match back.next() {
        Some(last) if is_article(last) => back.rest(),
        _ => kept,
    }
}

/// The last word of `text.split()` of ASCII text.
pub(crate) fn last_word(text: &str) -> Option<&str> {
    BackWords::new(text).next()
}

impl RoleWords {
    pub(crate) fn anchored_match(regex: &meta::Regex, hay: &[u8], at: usize) -> bool {
        let input = Input::new(hay).range(at..).anchored(Anchored::Yes);
        regex.search_half(&input).is_some()
    }

    fn after_agent_by(&self, lowered: &str, start: usize) -> bool {
        let mut words = BackWords::new(words_before(lowered, start, 32));
        let mut last = words.next();
        while last.is_some_and(|word| self.agent_adjectives.contains(word)) {
            last = words.next();
        }
        if last.is_some_and(is_article) {
            last = words.next();
        }
        last == Some("by")
            && !words
                .next()
                .is_some_and(|before| self.not_agent_before_by.contains(before))
    }

    fn after_speaker_cue(&self, lowered: &str, start: usize) -> bool {
        // The last three words, the last one first.
        let mut words = BackWords::new(words_before(lowered, start, 40));
        let last = [words.next(), words.next(), words.next()];
        (0..3).any(|index| {
            let Some(word) = last[index] else {
                return false;
            };
            self.speaker_words.contains(word)
                || (matches!(word, "to" | "by")
                    && last
                        .get(index + 1)
                        .copied()
                        .flatten()
                        .is_some_and(|before| self.speaker_words_before.contains(before)))
        })
    }

    /// The bits of the predicates on a mention at `start..end` of ASCII `text`.
    pub(crate) fn flags_at(&self, text: &[u8], lowered: &str, start: usize, end: usize) -> u8 {
        self.flags_of(text, lowered, start, end, true)
    }

    /// `flags_at` as the roles read them: OWN_ACTION only on a speaker, TERRITORY only on a
    /// located mention (each is read only then), the others all.
    pub(crate) fn party_flags_at(
        &self,
        text: &[u8],
        lowered: &str,
        start: usize,
        end: usize,
    ) -> u8 {
        self.flags_of(text, lowered, start, end, false)
    }

    fn flags_of(&self, text: &[u8], lowered: &str, start: usize, end: usize, all: bool) -> u8 {
        let mut bits = 0;
        let speaker_hay = &text[end..text.len().min(end + 40)];
        if Self::anchored_match(&self.speaker_after, speaker_hay, 0)
            || self.after_speaker_cue(lowered, start)
        {
            bits |= SPEAKER;
        }
        // The last of the words before the mention, read once for both lists.
        if let Some(near) = last_word(words_before(lowered, start, 24)) {
            if self.located.contains(near) {
                bits |= LOCATED;
            }
            if self.object_verbs.contains(near) {
                bits |= AFTER_OBJECT_VERB;
            }
        }
        if (all || bits & SPEAKER != 0)
            && Self::anchored_match(&self.own_action, &text[..text.len().min(end + 60)], end)
        {
            bits |= OWN_ACTION;
        }
        if (all || bits & LOCATED != 0) && Self::anchored_match(&self.territory_after, text, end) {
            bits |= TERRITORY;
        }
        if self.after_agent_by(lowered, start) {
            bits |= AGENT_BY;
        }
        if last_word(words_before(lowered, start, 16)) == Some("by") {
            bits |= AFTER_BY;
        }
        bits
    }

    fn follows_place_word(&self, lowered: &str, start: usize) -> bool {
        let mut before = BackWords::new(&lowered[start.saturating_sub(24)..start]);
        let mut last = before.next();
        if last == Some("the") {
            last = before.next();
        }
        match last {
            None => false,
            Some("of") => before
                .next()
                .is_some_and(|noun| self.place_nouns.contains(noun)),
            Some(word) => self.place_words.contains(word),
        }
    }

    pub(crate) fn fallback_place_in(&self, text: &str) -> Option<String> {
        let words = ascii_capitalised_words(text.as_bytes());
        self.fallback_place_lowered(text, &text.to_ascii_lowercase(), &words)
    }

    /// `fallback_place_in` of ASCII `text` whose ASCII lower case is `lowered` and whose
    /// capitalised words are `words`.
    pub(crate) fn fallback_place_lowered(
        &self,
        text: &str,
        lowered: &str,
        words: &[(usize, usize)],
    ) -> Option<String> {
        for (index, &(start, end)) in words.iter().enumerate() {
            if start == 0 || !self.follows_place_word(lowered, start) {
                continue;
            }
            let mut name_end = end;
            for &(next_start, next_end) in words.iter().skip(index + 1).take(2) {
                if !matches!(&text[name_end..next_start], " " | " of " | " of the ") {
                    break;
                }
                name_end = next_end;
            }
            let written = text[start..name_end].trim_end_matches(['.', ',']);
            let name = POSSESSIVES
                .iter()
                .find_map(|suffix| written.strip_suffix(suffix))
                .unwrap_or(written);
            let first = name
                .split(|c: char| is_ascii_space(c as u8))
                .find(|w| !w.is_empty());
            if !first.is_some_and(|w| self.not_places.contains(w)) && !self.forms.contains(name) {
                return Some(original(name).into_owned());
            }
        }
        None
    }
}

/// `[A-Z][\w.'’-]*` on ASCII text ('’' as its stand-in, `events_inert`).
pub(crate) fn ascii_capitalised_words(text: &[u8]) -> Vec<(usize, usize)> {
    // Room for a sentence's usual count: the vector is not grown word by word.
    let mut words = Vec::with_capacity(16);
    let mut at = 0;
    // From one capitalised word to the next capital, skipped in one tight loop.
    while let Some(skip) = text[at..].iter().position(u8::is_ascii_uppercase) {
        at += skip;
        let mut end = at + 1;
        while end < text.len()
            && (text[end].is_ascii_alphanumeric()
                || matches!(text[end], b'_' | b'.' | b'\'' | b'-' | APOSTROPHE))
        {
            end += 1;
        }
        words.push((at, end));
        at = end;
    }
    words
}

#[pymethods]
impl RoleWords {
    #[new]
    #[pyo3(signature = (*, speaker_after, own_action, territory_after, located, object_verbs,
        agent_adjectives, not_agent_before_by, speaker_words, speaker_words_before, place_words,
        place_nouns, not_places, forms))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        speaker_after: &str,
        own_action: &str,
        territory_after: &str,
        located: Vec<String>,
        object_verbs: Vec<String>,
        agent_adjectives: Vec<String>,
        not_agent_before_by: Vec<String>,
        speaker_words: Vec<String>,
        speaker_words_before: Vec<String>,
        place_words: Vec<String>,
        place_nouns: Vec<String>,
        not_places: Vec<String>,
        forms: Vec<String>,
    ) -> PyResult<Self> {
        Ok(Self {
            speaker_after: compile(speaker_after)?,
            own_action: compile(own_action)?,
            territory_after: compile(territory_after)?,
            located: word_set(located),
            object_verbs: word_set(object_verbs),
            agent_adjectives: word_set(agent_adjectives),
            not_agent_before_by: word_set(not_agent_before_by),
            speaker_words: word_set(speaker_words),
            speaker_words_before: word_set(speaker_words_before),
            place_words: word_set(place_words),
            place_nouns: word_set(place_nouns),
            not_places: word_set(not_places),
            forms: word_set(forms),
        })
    }

    /// Per (start, end) span of an ASCII `text`, the bits of the predicates that hold for a
    /// mention there; None for a text that is not ASCII or a span outside it.
    fn flags(
        &self,
        text: Bound<'_, PyString>,
        spans: Vec<(usize, usize)>,
    ) -> PyResult<Option<Vec<u8>>> {
        // Lone surrogates are not UTF-8: the Python reference takes those texts.
        let Ok(text) = text.to_str() else {
            return Ok(None);
        };
        if !is_plain_ascii(text) || spans.iter().any(|&(s, e)| s > e || e > text.len()) {
            return Ok(None);
        }
        let lowered = text.to_ascii_lowercase();
        Ok(Some(
            spans
                .iter()
                .map(|&(s, e)| self.flags_at(text.as_bytes(), &lowered, s, e))
                .collect(),
        ))
    }

    /// `_fallback_place_reference(text)` as (True, place) for an ASCII text; (False, None)
    /// for any other.
    fn fallback_place(&self, text: Bound<'_, PyString>) -> PyResult<(bool, Option<String>)> {
        // Lone surrogates are not UTF-8: the Python reference takes those texts.
        let Ok(text) = text.to_str() else {
            return Ok((false, None));
        };
        if !is_plain_ascii(text) {
            return Ok((false, None));
        }
        Ok((true, self.fallback_place_in(text)))
    }
}

/// The regexes and words of the actor/target choice of `events_roles.resolve_roles`, for
/// ASCII sentences.
#[pyclass(frozen, module = "workers._native")]
pub struct RoleChoice {
    clause_break: meta::Regex,
    coordination_gap: meta::Regex,
    infra_noun: meta::Regex,
    infra_adjectives: FnvSet<String>,
}

/// What a mention names (`events_roles.MentionKind`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum MentionKind {
    Country,
    Group,
    Person,
    Place,
}

impl MentionKind {
    /// The kind Python spells `kind`, if it is one.
    pub(crate) fn parse(kind: &str) -> Option<Self> {
        match kind {
            "country" => Some(Self::Country),
            "group" => Some(Self::Group),
            "person" => Some(Self::Person),
            "place" => Some(Self::Place),
            _ => None,
        }
    }
}

/// A party of a sentence: a mention as `events_roles.Mention` has it, and its flags. Names
/// are shared with the article's entities and the lexicon (no copy per mention).
#[derive(Clone)]
pub(crate) struct Party {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) name: Arc<str>,
    pub(crate) kind: MentionKind,
    pub(crate) country: Option<Arc<str>>,
    pub(crate) flags: u8,
}

impl Party {
    fn same(&self, other: &Party) -> bool {
        self.start == other.start
            && self.end == other.end
            && self.name == other.name
            && self.kind == other.kind
            && self.country == other.country
    }
}

/// One ASCII sentence and its parties, for the roles of each of its triggers.
#[pyclass(frozen, module = "workers._native")]
pub struct SentenceRoles {
    choice: Py<RoleChoice>,
    text: String,
    lowered: String,
    parties: Vec<Party>,
    /// The first self-reporting speaker, if any (index `parties.len()` in answers).
    speaker: Option<Party>,
}

impl RoleChoice {
    /// `pattern.search(text, start, end)` finds something.
    fn searches(regex: &meta::Regex, text: &str, start: usize, end: usize) -> bool {
        let end = end.min(text.len());
        start <= end && regex.is_match(Input::new(&text.as_bytes()[..end]).range(start..))
    }

    /// `_COORDINATION_GAP_RE.fullmatch(text, start, end)`.
    fn coordinated(&self, text: &str, start: usize, end: usize) -> bool {
        let end = end.min(text.len());
        start <= end
            && RoleWords::anchored_match(&self.coordination_gap, &text.as_bytes()[..end], start)
    }

    fn same_clause(&self, text: &str, start: usize, end: usize) -> bool {
        !Self::searches(&self.clause_break, text, start, end)
    }
}

impl SentenceRoles {
    /// The ASCII sentence `text` (`lowered`: its ASCII lower case) with its `parties` in
    /// order and its first self-reporting `speaker` (the caller has checked that the text is
    /// ASCII and the spans lie in it).
    pub(crate) fn new(
        choice: Py<RoleChoice>,
        text: &str,
        lowered: String,
        parties: Vec<Party>,
        speaker: Option<Party>,
    ) -> Self {
        Self {
            choice,
            lowered,
            text: text.to_owned(),
            parties,
            speaker,
        }
    }

    fn between_pair(&self, t0: usize, t1: usize) -> Option<(usize, usize)> {
        let text = &self.text;
        let window_end = (t1 + 12).min(text.len());
        if t0 > window_end {
            return None;
        }
        // A window of a few words: read in place, without a substring searcher to set up.
        let at = t0
            + text.as_bytes()[t0..window_end]
                .windows(BETWEEN.len())
                .position(|window| window == BETWEEN)?;
        // The first two people after 'between' if there are two, else the first two parties.
        let after = |i: &usize| self.parties[*i].start > at;
        let mut people = (0..self.parties.len())
            .filter(after)
            .filter(|&i| self.parties[i].kind == MentionKind::Person);
        let (first, second) = match (people.next(), people.next()) {
            (Some(first), Some(second)) => (first, second),
            _ => {
                let mut all = (0..self.parties.len()).filter(after);
                (all.next()?, all.next()?)
            }
        };
        let (one, other) = (&self.parties[first], &self.parties[second]);
        let gap_end = (other.start + 1).min(text.len());
        (one.end <= gap_end && text[one.end..gap_end].contains(" and ")).then_some((first, second))
    }

    fn is_participle_clause(&self, t0: usize, t1: usize) -> bool {
        let text = &self.text;
        let first = words_of(&text[t0..t1]).next();
        first.is_some_and(|word| word.ends_with("ing"))
            && text[..t0]
                .trim_end_matches(|c: char| c.is_ascii() && is_ascii_space(c as u8))
                .ends_with(',')
    }

    /// The actor among the parties `is_outside` keeps: a passive agent after the trigger,
    /// else the last party of the clause before it (the first of its coordination).
    fn actor(
        &self,
        choice: &RoleChoice,
        t0: usize,
        t1: usize,
        is_outside: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let text = &self.text;
        let count = self.parties.len();
        for i in (0..count).filter(|&i| is_outside(i)) {
            let party = &self.parties[i];
            if t1 <= party.start
                && party.start <= t1 + 40
                && party.flags & AGENT_BY != 0
                && choice.same_clause(text, t1, party.start)
            {
                return Some(i);
            }
        }
        // The parties before the trigger in its clause, read from the last one back (each
        // predicate is pure: only those read are decided).
        let is_before = |i: usize| {
            let party = &self.parties[i];
            party.end <= t0
                && party.flags & AFTER_OBJECT_VERB == 0
                && is_outside(i)
                && choice.same_clause(text, party.end, t0)
        };
        let previous = |below: usize| (0..below).rev().find(|&i| is_before(i));
        let mut chosen = previous(count)?;
        while let Some(earlier) = previous(chosen) {
            if !choice.coordinated(text, self.parties[earlier].end, self.parties[chosen].start) {
                break;
            }
            chosen = earlier;
        }
        Some(chosen)
    }

    /// The party (an index of `parties`, `parties.len()` for the speaker) as a mention.
    pub(crate) fn party(&self, index: usize) -> Option<&Party> {
        self.parties.get(index).or(self.speaker.as_ref())
    }

    fn target(
        &self,
        choice: &RoleChoice,
        t0: usize,
        t1: usize,
        actor: Option<usize>,
    ) -> Option<usize> {
        let text = &self.text;
        let actor_party = actor.and_then(|i| self.party(i));
        let mut start = match actor_party {
            Some(party) if party.end <= t0 => party.end,
            _ => t1,
        };
        let mut co_actor: Option<usize> = None;
        if let Some(actor_party) = actor_party {
            if let Some(mut index) = self.parties.iter().position(|p| p.same(actor_party)) {
                while index + 1 < self.parties.len()
                    && choice.coordinated(
                        text,
                        self.parties[index].end,
                        self.parties[index + 1].start,
                    )
                {
                    index += 1;
                    co_actor = Some(index);
                    start = start.max(self.parties[index].end);
                }
            }
        }
        for (i, party) in self.parties.iter().enumerate() {
            if party.start < start || Some(i) == actor {
                continue;
            }
            if actor_party.is_some_and(|a| a.name == party.name) {
                continue;
            }
            if party.flags & AFTER_BY != 0 {
                continue;
            }
            if !choice.same_clause(text, start.min(t1), party.start) {
                continue;
            }
            return Some(i);
        }
        match (co_actor, actor_party) {
            (Some(co), Some(a)) if self.parties[co].name != a.name => Some(co),
            _ => None,
        }
    }

    fn infrastructure_at(&self, choice: &RoleChoice, t0: usize, t1: usize) -> Option<String> {
        let (text, lowered) = (&self.text, &self.lowered);
        let end = text.len().min(t1 + 80);
        let clause_end = if t1 <= end {
            choice
                .clause_break
                .search(&Input::new(&text.as_bytes()[..end]).range(t1..))
                .map_or(end, |found| found.start())
        } else {
            end
        };
        if t0 > clause_end {
            return None;
        }
        let found = choice
            .infra_noun
            .search(&Input::new(&lowered.as_bytes()[..clause_end]).range(t0..))?;
        let bytes = lowered.as_bytes();
        if found.start() > 0 && bytes[found.start() - 1].is_ascii_alphanumeric() {
            return None;
        }
        let mut start = found.start();
        let window = BackWords::new(&lowered[start.saturating_sub(40)..start]);
        for word in window.take(2) {
            if !choice.infra_adjectives.contains(word) {
                break;
            }
            start = lowered[..start].rfind(word)?;
        }
        Some(original(&text[start..found.end()]).into_owned())
    }
}

#[pymethods]
impl RoleChoice {
    #[new]
    #[pyo3(signature = (*, clause_break, coordination_gap, infra_noun, infra_adjectives))]
    fn new(
        clause_break: &str,
        coordination_gap: &str,
        infra_noun: &str,
        infra_adjectives: Vec<String>,
    ) -> PyResult<Self> {
        let gap = ascii_pattern(coordination_gap).map_err(PyValueError::new_err)?;
        Ok(Self {
            clause_break: compile(clause_break)?,
            coordination_gap: meta::Regex::new(&format!(r"(?:{gap})\z"))
                .map_err(|error| PyValueError::new_err(error.to_string()))?,
            infra_noun: compile(infra_noun)?,
            infra_adjectives: word_set(infra_adjectives),
        })
    }

    /// The sentence `text` with its `parties` ((start, end, name, kind, country, flags), in
    /// order) and its first self-reporting `speaker`; None unless the text is ASCII, the
    /// spans lie in it and the kinds are `MentionKind`s.
    #[allow(clippy::type_complexity)]
    fn sentence(
        slf: &Bound<'_, Self>,
        text: Bound<'_, PyString>,
        parties: Vec<(usize, usize, String, String, Option<String>, u8)>,
        speaker: Option<(usize, usize, String, String, Option<String>, u8)>,
    ) -> PyResult<Option<SentenceRoles>> {
        // Lone surrogates are not UTF-8: the Python reference takes those texts.
        let Ok(text) = text.to_str() else {
            return Ok(None);
        };
        let inside = |&(start, end, ..): &(usize, usize, String, String, Option<String>, u8)| {
            start <= end && end <= text.len()
        };
        if !is_plain_ascii(text) || !parties.iter().all(inside) || !speaker.iter().all(inside) {
            return Ok(None);
        }
        let party = |(start, end, name, kind, country, flags): (
            _,
            _,
            String,
            String,
            Option<String>,
            _,
        )| {
            Some(Party {
                start,
                end,
                name: Arc::from(name),
                kind: MentionKind::parse(&kind)?,
                country: country.map(Arc::from),
                flags,
            })
        };
        let Some(parties) = parties.into_iter().map(party).collect::<Option<Vec<_>>>() else {
            return Ok(None);
        };
        let speaker = match speaker.map(party) {
            Some(None) => return Ok(None),
            found => found.flatten(),
        };
        Ok(Some(SentenceRoles::new(
            slf.clone().unbind(),
            text,
            text.to_ascii_lowercase(),
            parties,
            speaker,
        )))
    }
}

#[pymethods]
impl SentenceRoles {
    /// The actor and the target of the trigger at `start..end`, as `events_roles.resolve_roles`
    /// chooses them: indices of the parties (the number of parties for the self-reporting
    /// speaker), or None; None for a trigger outside the text.
    pub(crate) fn choose(
        &self,
        start: usize,
        end: usize,
        inside_is_actor: bool,
    ) -> Option<(Option<usize>, Option<usize>)> {
        if start > end || end > self.text.len() {
            return None;
        }
        let choice = self.choice.get();
        if let Some((actor, target)) = self.between_pair(start, end) {
            return Some((Some(actor), Some(target)));
        }
        let parties = &self.parties;
        let is_inside = |i: usize| {
            let party = &parties[i];
            start <= party.start && party.start < end && party.flags & AFTER_OBJECT_VERB == 0
        };
        // A party outside the trigger is none the same as one inside it.
        let is_outside =
            |i: usize| !(0..parties.len()).any(|j| is_inside(j) && parties[j].same(&parties[i]));
        let mut actor = (0..parties.len())
            .rev()
            .find(|&i| is_inside(i))
            .filter(|_| inside_is_actor);
        if actor.is_none() && self.is_participle_clause(start, end) {
            actor = (0..parties.len()).find(|&i| is_outside(i));
        }
        let actor = actor
            .or_else(|| self.actor(choice, start, end, is_outside))
            .or_else(|| self.speaker.as_ref().map(|_| parties.len()));
        Some((actor, self.target(choice, start, end, actor)))
    }

    /// `_infrastructure(text, (start, end))`; None also for a trigger outside the text.
    pub(crate) fn infrastructure(&self, start: usize, end: usize) -> Option<String> {
        if start > end || end > self.text.len() {
            return None;
        }
        self.infrastructure_at(self.choice.get(), start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apostrophe_stand_in_is_the_one_of_events_inert() {
        assert_eq!(stand_in_of('\u{2019}'), Some(APOSTROPHE));
        assert!(POSSESSIVES.contains(&"\x01s") && POSSESSIVES.contains(&"\x01"));
    }

    #[test]
    fn inert_characters_match_their_stand_ins_but_no_range_reaches_them() {
        assert_eq!(ascii_pattern("[’'-]").unwrap(), "[’\\x01'-]");
        assert_eq!(ascii_pattern("a’").unwrap(), "a(?:’|\\x01)");
        assert!(ascii_pattern("[a-’]").is_err());
        assert!(ascii_pattern("[‘-z]").is_err());
        assert!(ascii_pattern("[¡-★]").is_err());
        assert!(ascii_pattern("[a-z’-]").is_ok());
    }
}
