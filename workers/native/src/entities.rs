//! The capitalised runs of an article (`workers.pipeline.enrich.spans.capitalised_runs`).
//!
//! One pass over the text finds every capitalised word (the scan of `_CLASSIFIED_WORD_RE`),
//! trims it as `_token` does, joins words into runs across spaces and lower-case connectors
//! (`_JOINABLE_GAP_RE`) and appends a number that follows a word (`_NUMBER_AFTER_RE`). The
//! word lists (connectors, Arabic prefixes, abbreviations, possessive endings) and Python's
//! character classes are passed from Python at construction, so `spans.py` stays their one
//! definition; `capitalised_runs_reference` there is the behaviour this file must match.
//! Offsets are Python string indices (code points), so the text is scanned as `char`s.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};

use crate::entities_token::TokenMaker;
use crate::hashing::{FxHasher, FxMap};
use crate::pystr::{with_code_units, CharClasses, ALNUM, DECIMAL, DIGIT, SPACE};

/// The scanner's tables, built once from `spans.py`.
#[pyclass(frozen, module = "workers._native")]
pub struct CapitalScanner {
    classes: CharClasses,
    /// Makes `spans.Token`s (storing their slots when the class allows it).
    token: TokenMaker,
    fold: Py<PyAny>,
    connectors: CharWords,
    /// Characters in the longest connector: `joinable_gap` stops at a longer word.
    longest_connector: usize,
    arabic_prefixes: Vec<Vec<char>>,
    abbreviations: CharWords,
    /// Text and key objects of words seen before: a repeated word reuses them (no new
    /// strings, no `fold` call, and their hashes are already cached for the dict lookups).
    words: Mutex<WordCache>,
}

/// Words as characters, hashed by FxHash (SipHash cost more than the lookups it served).
type CharWords = HashSet<Vec<char>, BuildHasherDefault<FxHasher>>;
/// Per key rule (`KeyRule as usize`): a word's text and key objects, looked up by the word
/// itself (no string is made to ask).
type WordCache = [FxMap<Box<str>, (Py<PyString>, Py<PyAny>)>; 3];
/// The word cache (all its maps) is emptied when their entries reach this total, so memory
/// stays flat.
const WORD_CACHE_LIMIT: usize = 100_000;

/// One token before it becomes a Python `Token`.
pub(crate) struct RawToken {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) possessive: bool,
    /// How the key is made: from the text by ASCII fold, as is, lower-cased, or by Python.
    pub(crate) key: KeyRule,
}

impl RawToken {
    /// A token that is not possessive, its key made by `key`.
    fn plain(start: usize, end: usize, key: KeyRule) -> Self {
        RawToken {
            start,
            end,
            possessive: false,
            key,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum KeyRule {
    Fold,
    Verbatim,
    Lower,
}

/// The text and its character classes, for one scan.
struct Text<'a> {
    chars: Vec<char>,
    scanner: &'a CapitalScanner,
    /// The class table (one byte per BMP code point), read here without a call.
    table: &'a [u8],
    py: Python<'a>,
}

impl Text<'_> {
    #[inline]
    fn class(&self, c: char) -> u8 {
        if let Some(&class) = self.table.get(c as usize) {
            return class;
        }
        // A character Python cannot classify is of no class.
        self.scanner
            .classes
            .class_of(self.py, u32::from(c))
            .unwrap_or(0)
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn is_alnum(&self, c: char) -> bool {
        self.class(c) & ALNUM != 0
    }

    /// Python's `\w`.
    fn is_word(&self, c: char) -> bool {
        c == '_' || self.is_alnum(c)
    }

    fn is_space(&self, c: char) -> bool {
        self.class(c) & SPACE != 0
    }

    /// `[\w'’\-/.]`: a character a capitalised word continues with.
    fn is_body(&self, c: char) -> bool {
        matches!(c, '\'' | '’' | '-' | '/' | '.') || self.is_word(c)
    }

    fn starts_with(&self, at: usize, word: &[char]) -> bool {
        self.chars.get(at..at + word.len()) == Some(word)
    }
}

/// `[A-ZÀ-ÖØ-ÞĀ-Ž]`.
#[inline]
fn is_capital(c: char) -> bool {
    let code = u32::from(c);
    if code < 0xC0 {
        return c.is_ascii_uppercase();
    }
    code <= 0xD6 || (0xD8..=0xDE).contains(&code) || (0x100..=0x17D).contains(&code)
}

/// The first capital (`is_capital`) at or after `from`. Blocks of characters with no ASCII
/// capital and no character from U+00C0 on (most of a text) are passed over in one test each.
fn next_capital(chars: &[char], from: usize) -> Option<usize> {
    const BLOCK: usize = 16;
    let mut at = from;
    while let Some(block) = chars.get(at..at + BLOCK) {
        // Branch-free so that it compiles to vector compares; a superset of `is_capital`.
        let maybe = block.iter().fold(false, |any, &c| {
            let code = u32::from(c);
            any | (code.wrapping_sub(u32::from(b'A')) < 26) | (code >= 0xC0)
        });
        if maybe {
            break;
        }
        at += BLOCK;
    }
    chars[at..]
        .iter()
        .position(|&c| is_capital(c))
        .map(|skip| at + skip)
}

/// The three ways `_CLASSIFIED_WORD_RE` classifies a word (its `lastindex`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum WordKind {
    Plain,
    Glued,
    Other,
}

impl CapitalScanner {
    /// Python's character classes, as the scanner reads them.
    pub(crate) fn classes(&self) -> &CharClasses {
        &self.classes
    }

    /// The kind of the word spanning `start..end` (a capital, then its maximal body).
    fn word_kind(text: &Text<'_>, start: usize, end: usize) -> WordKind {
        let prev = start.checked_sub(1).and_then(|i| text.at(i));
        let glued_before = prev.is_some_and(|c| text.is_alnum(c));
        let mark_before = matches!(prev, Some('\'' | '’' | '-'));
        if !glued_before && !mark_before {
            let last = text.chars[end - 1];
            let special_end = matches!(last, '.' | '-' | '/' | '\'' | '’');
            let possessive_end =
                end >= 2 && text.chars[end - 1] == 's' && matches!(text.chars[end - 2], '\'' | '’');
            let number_after = text.at(end) == Some(' ')
                && text
                    .at(end + 1)
                    .is_some_and(|c| text.class(c) & DECIMAL != 0);
            if !special_end && !possessive_end && !number_after {
                return WordKind::Plain;
            }
        }
        if glued_before || matches!(prev, Some('\'' | '’')) {
            return WordKind::Glued;
        }
        WordKind::Other
    }

    /// `_token`: the trimmed token of a word and the offset where its raw form ends.
    fn trimmed(&self, text: &Text<'_>, start: usize, end: usize) -> Option<(RawToken, usize)> {
        let mut start = start;
        let mut raw: Vec<char> = text.chars[start..end].to_vec();
        if raw.last() == Some(&'.') && !self.is_abbreviation(&raw) {
            while raw.last() == Some(&'.') {
                raw.pop();
            }
        }
        if start > 0 && text.chars[start - 1] == '-' {
            for prefix in &self.arabic_prefixes {
                let Some(begin) = start.checked_sub(prefix.len()) else {
                    continue;
                };
                if text.starts_with(begin, prefix)
                    && (begin == 0 || !text.is_alnum(text.chars[begin - 1]))
                {
                    start = begin;
                    let mut joined = prefix.clone();
                    joined.extend_from_slice(&raw);
                    raw = joined;
                    break;
                }
            }
        }
        while matches!(raw.last(), Some('-' | '/' | '\'' | '’')) {
            raw.pop();
        }
        let possessive =
            raw.len() >= 2 && raw[raw.len() - 1] == 's' && matches!(raw[raw.len() - 2], '\'' | '’');
        let bare = if possessive { raw.len() - 2 } else { raw.len() };
        if bare == 0 {
            return None;
        }
        let token = RawToken {
            start,
            end: start + bare,
            possessive,
            key: KeyRule::Fold,
        };
        Some((token, start + raw.len()))
    }

    /// `_ABBREVIATION_RE.fullmatch(raw)`: "U.S." or a listed word and a full stop.
    fn is_abbreviation(&self, raw: &[char]) -> bool {
        let initials = raw.len() >= 4
            && raw.len().is_multiple_of(2)
            && raw
                .chunks(2)
                .all(|pair| pair[0].is_ascii_uppercase() && pair[1] == '.');
        initials || self.abbreviations.contains(raw)
    }

    /// `_JOINABLE_GAP_RE.fullmatch(text, start, end)`, given that the gap's first and last
    /// characters are a space or a tab: white space without line feeds and connector words.
    fn joinable_gap(&self, text: &Text<'_>, start: usize, end: usize) -> bool {
        let mut word_start: Option<usize> = None;
        for i in start..end {
            let c = text.chars[i];
            if c == '\n' {
                return false;
            }
            if text.is_space(c) {
                if let Some(begin) = word_start.take() {
                    if !self.connectors.contains(&text.chars[begin..i]) {
                        return false;
                    }
                }
            } else if let Some(begin) = word_start {
                // A word longer than every connector fails the gap: stop reading it here.
                if i - begin >= self.longest_connector {
                    return false;
                }
            } else {
                word_start = Some(i);
            }
        }
        word_start.is_none()
    }

    /// `_NUMBER_AFTER_RE.match(text, at)` given " <digit>" at `at`: the number's extent.
    fn number_after(text: &Text<'_>, at: usize) -> Option<(usize, usize)> {
        let begin = at + 1;
        let mut end = begin;
        while text.at(end).is_some_and(|c| text.class(c) & DECIMAL != 0) {
            end += 1;
        }
        if end == begin {
            return None;
        }
        while text.at(end).is_some_and(|c| c.is_ascii_alphabetic()) {
            end += 1;
        }
        // `(?![\w,.:/%-]*\w)`: no word character in the run of those characters that follows.
        let mut probe = end;
        while let Some(c) = text.at(probe) {
            if text.is_word(c) {
                return None;
            }
            if !matches!(c, ',' | '.' | ':' | '/' | '%' | '-') {
                break;
            }
            probe += 1;
        }
        Some((begin, end))
    }

    fn runs_of(&self, text: &Text<'_>) -> Vec<Vec<RawToken>> {
        let chars = &text.chars;
        let size = chars.len();
        let mut runs: Vec<Vec<RawToken>> = Vec::new();
        let mut current: Vec<RawToken> = Vec::new();
        let mut last_end = 0usize;
        let mut i = 0usize;
        while i < size {
            let Some(begin) = next_capital(chars, i) else {
                break;
            };
            let mut raw_end = begin + 1;
            while raw_end < size && text.is_body(chars[raw_end]) {
                raw_end += 1;
            }
            i = raw_end;
            let kind = Self::word_kind(text, begin, raw_end);
            if kind == WordKind::Glued {
                continue;
            }
            let token = if kind == WordKind::Plain {
                RawToken::plain(begin, raw_end, KeyRule::Fold)
            } else {
                let last = chars[raw_end - 1];
                let possessive_end =
                    raw_end - begin >= 2 && last == 's' && matches!(chars[raw_end - 2], '\'' | '’');
                let special = matches!(last, '.' | '-' | '/' | '\'' | '’' | 's');
                let prev_dash = begin > 0 && chars[begin - 1] == '-';
                if !prev_dash && (!special || (last == 's' && !possessive_end)) {
                    RawToken::plain(begin, raw_end, KeyRule::Fold)
                } else {
                    let Some((token, end)) = self.trimmed(text, begin, raw_end) else {
                        continue;
                    };
                    raw_end = end;
                    token
                }
            };
            if !current.is_empty() {
                let start = token.start;
                if start == last_end + 1 && chars[last_end] == ' ' {
                    // the common one-space gap: same run
                } else if start <= last_end
                    || !matches!(chars[last_end], ' ' | '\t')
                    || !matches!(chars[start - 1], ' ' | '\t')
                    || !self.joinable_gap(text, last_end, start)
                {
                    runs.push(std::mem::take(&mut current));
                } else {
                    Self::connector_tokens(text, last_end, start, &mut current);
                }
            }
            let possessive = token.possessive;
            current.push(token);
            last_end = raw_end;
            if kind == WordKind::Plain
                || raw_end + 1 >= size
                || chars[raw_end] != ' '
                || text.class(chars[raw_end + 1]) & DIGIT == 0
            {
                continue;
            }
            if let Some((start, end)) = Self::number_after(text, raw_end) {
                if !possessive {
                    current.push(RawToken {
                        start,
                        end,
                        possessive: false,
                        key: KeyRule::Lower,
                    });
                    last_end = end;
                }
            }
        }
        if !current.is_empty() {
            runs.push(current);
        }
        runs
    }

    /// `_connector_tokens`: the words of a joinable gap, each its own key.
    fn connector_tokens(text: &Text<'_>, start: usize, end: usize, out: &mut Vec<RawToken>) {
        let mut word_start: Option<usize> = None;
        for i in start..=end {
            let blank = i == end || text.is_space(text.chars[i]);
            match (blank, word_start) {
                (true, Some(begin)) => {
                    out.push(RawToken::plain(begin, i, KeyRule::Verbatim));
                    word_start = None;
                }
                (false, None) => word_start = Some(i),
                _ => {}
            }
        }
    }

    fn token_object<'py>(
        &self,
        py: Python<'py>,
        text: &Text<'_>,
        token: &RawToken,
        cache: &mut Option<std::sync::MutexGuard<'_, WordCache>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let word: String = text.chars[token.start..token.end].iter().collect();
        self.word_token(py, &word, token, cache)
    }

    /// The `Token` of `token`, whose text is `word` (its strings from the cache when seen).
    fn word_token<'py>(
        &self,
        py: Python<'py>,
        word: &str,
        token: &RawToken,
        cache: &mut Option<std::sync::MutexGuard<'_, WordCache>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let rule = token.key as usize;
        let cached = cache.as_ref().and_then(|words| words[rule].get(word));
        let (surface, key) = match cached {
            Some((surface, key)) => (surface.bind(py).clone(), key.bind(py).clone()),
            None => {
                let (surface, key) = self.word_objects(py, word, token.key)?;
                if let Some(words) = cache.as_mut() {
                    if words.iter().map(FxMap::len).sum::<usize>() >= WORD_CACHE_LIMIT {
                        words.iter_mut().for_each(FxMap::clear);
                    }
                    words[rule].insert(
                        Box::from(word),
                        (surface.clone().unbind(), key.clone().unbind()),
                    );
                }
                (surface, key)
            }
        };
        self.token
            .token(py, surface, token.start, token.end, token.possessive, key)
    }

    /// The word cache, unless another thread holds it (see `runs`).
    fn word_cache(&self) -> Option<std::sync::MutexGuard<'_, WordCache>> {
        // `fold` runs Python code, which may let another thread call in: never wait for the
        // cache (that thread would hold the GIL we need); without it, objects are made anew.
        match self.words.try_lock() {
            Ok(words) => Some(words),
            Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    /// The runs of raw tokens of the text whose characters are `chars` (`runs` without the
    /// objects).
    pub(crate) fn raw_runs(
        &self,
        py: Python<'_>,
        chars: Vec<char>,
    ) -> (Vec<char>, Vec<Vec<RawToken>>) {
        let scan = Text {
            chars,
            scanner: self,
            table: self.classes.table(),
            py,
        };
        let runs = self.runs_of(&scan);
        (scan.chars, runs)
    }

    /// A token's key as `Token.key` holds it (`word` is its text).
    pub(crate) fn key_of(&self, py: Python<'_>, word: &str, rule: KeyRule) -> PyResult<String> {
        let mut key = String::new();
        self.key_into(py, word, rule, &mut key)?;
        Ok(key)
    }

    /// `key_of`, appended to `out`.
    pub(crate) fn key_into(
        &self,
        py: Python<'_>,
        word: &str,
        rule: KeyRule,
        out: &mut String,
    ) -> PyResult<()> {
        match rule {
            KeyRule::Verbatim => out.push_str(word),
            KeyRule::Lower => {
                let from = out.len();
                out.push_str(word);
                out[from..].make_ascii_lowercase();
            }
            // ASCII words fold to their lower case without apostrophes; others ask `fold`.
            KeyRule::Fold if word.is_ascii() && !word.contains('\'') => {
                let from = out.len();
                out.push_str(word);
                out[from..].make_ascii_lowercase();
            }
            KeyRule::Fold if word.is_ascii() => {
                // Sized up front: a filtered iterator would grow the string push by push.
                out.reserve(word.len());
                out.extend(
                    word.chars()
                        .filter(|&c| c != '\'')
                        .map(|c| c.to_ascii_lowercase()),
                );
            }
            KeyRule::Fold => {
                let folded: String = self.fold.bind(py).call1((word,))?.extract()?;
                out.push_str(&folded);
            }
        }
        Ok(())
    }

    /// New `Token` objects for raw tokens (`word` gives each one's text).
    pub(crate) fn tokens<'py, 'w>(
        &self,
        py: Python<'py>,
        tokens: impl Iterator<Item = (&'w str, RawToken)>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let mut cache = self.word_cache();
        tokens
            .map(|(word, token)| self.word_token(py, word, &token, &mut cache))
            .collect()
    }

    /// A word's text and key as new Python objects.
    fn word_objects<'py>(
        &self,
        py: Python<'py>,
        word: &str,
        rule: KeyRule,
    ) -> PyResult<(Bound<'py, PyString>, Bound<'py, PyAny>)> {
        let surface = PyString::new(py, word);
        let key = match rule {
            KeyRule::Verbatim => surface.clone().into_any(),
            _ => PyString::new(py, &self.key_of(py, word, rule)?).into_any(),
        };
        Ok((surface, key))
    }
}

/// The characters of a Python str, read from its code units (no UTF-8 copy is made or
/// decoded); None when it holds a lone surrogate (no `char`), as `to_str` would fail.
pub(crate) fn chars_of(text: &Bound<'_, PyString>) -> PyResult<Option<Vec<char>>> {
    Ok(with_code_units!(text, |units| chars_of_units(units)))
}

fn chars_of_units<U: Copy + Into<u32>>(units: &[U]) -> Option<Vec<char>> {
    // Checked first, then converted in one pass with no failure and no capacity check per
    // character (for one-byte units the check folds away).
    // By blocks, each folded branch-free (vector compares), rather than one branch per unit.
    let is_scalar = |code: u32| (code < 0xD800) | (code.wrapping_sub(0xE000) < 0x11_0000 - 0xE000);
    let valid = units.chunks(64).all(|block| {
        block
            .iter()
            .fold(true, |valid, &unit| valid & is_scalar(unit.into()))
    });
    if !valid {
        return None;
    }
    Some(
        units
            .iter()
            .map(|&unit| char::from_u32(unit.into()).unwrap_or('\0'))
            .collect(),
    )
}

fn char_vectors(words: Vec<String>) -> Vec<Vec<char>> {
    words.iter().map(|word| word.chars().collect()).collect()
}

#[pymethods]
impl CapitalScanner {
    /// `classes` has one byte per BMP code point (bits: isalnum 1, isspace 2, isdecimal 4,
    /// isdigit 8); `classify` gives the same byte for any other character.
    #[new]
    #[pyo3(signature = (*, classes, classify, token, fold, connectors, arabic_prefixes, abbreviations))]
    fn new(
        classes: Vec<u8>,
        classify: Py<PyAny>,
        token: Bound<'_, PyAny>,
        fold: Py<PyAny>,
        connectors: Vec<String>,
        arabic_prefixes: Vec<String>,
        abbreviations: Vec<String>,
    ) -> PyResult<Self> {
        let classes = CharClasses::new(classes, classify)?;
        Ok(Self {
            classes,
            token: TokenMaker::new(token.py(), token.unbind())?,
            fold,
            longest_connector: connectors
                .iter()
                .map(|word| word.chars().count())
                .max()
                .unwrap_or(0),
            connectors: char_vectors(connectors).into_iter().collect(),
            arabic_prefixes: char_vectors(arabic_prefixes),
            abbreviations: char_vectors(abbreviations).into_iter().collect(),
            words: Mutex::new(Default::default()),
        })
    }

    /// True when `Token`s are made by storing their slots, not by calling the class.
    #[getter]
    fn stores_token_slots(&self) -> bool {
        self.token.stores_slots()
    }

    /// The capitalised runs of `text` as lists of `Token`s; None when the text is not valid
    /// UTF-8 (lone surrogates), for the Python path to handle.
    fn runs<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
    ) -> PyResult<Option<Bound<'py, PyList>>> {
        let Some(chars) = chars_of(text)? else {
            return Ok(None);
        };
        let scan = Text {
            chars,
            scanner: self,
            table: self.classes.table(),
            py,
        };
        let runs = self.runs_of(&scan);
        let mut cache = self.word_cache();
        let out = PyList::empty(py);
        for run in &runs {
            let tokens = PyList::empty(py);
            for token in run {
                tokens.append(self.token_object(py, &scan, token, &mut cache)?)?;
            }
            out.append(tokens)?;
        }
        Ok(Some(out))
    }
}

/// Whole-word weapon head nouns in an article's lower-cased text (`weapons._head_matches`).
#[pyclass(frozen, module = "workers._native")]
pub struct HeadScanner {
    classes: CharClasses,
    automaton: aho_corasick::AhoCorasick,
    heads: Vec<String>,
    /// Per head: whether a plural "s" may follow it.
    plural: Vec<bool>,
    /// Python's `c.lower()` of non-ASCII characters met so far, when it is one character
    /// (None: it is several, and the text is left to Python).
    lowered: Mutex<FxMap<char, Option<char>>>,
}

/// Most characters `HeadScanner.lowered` remembers.
const LOWERED_LIMIT: usize = 100_000;
/// `Σ`: Python lower-cases it by its context (final sigma), not one character at a time.
const CAPITAL_SIGMA: char = '\u{3A3}';

impl HeadScanner {
    fn is_alnum(&self, py: Python<'_>, c: char) -> bool {
        // A character Python cannot classify is not alphanumeric.
        self.classes.is_alnum(py, u32::from(c)).unwrap_or(false)
    }
}

#[pymethods]
impl HeadScanner {
    /// `heads` are (singular head noun, takes a plural "s"); `classes` and `classify` as for
    /// `CapitalScanner`.
    #[new]
    #[pyo3(signature = (*, classes, classify, heads))]
    fn new(classes: Vec<u8>, classify: Py<PyAny>, heads: Vec<(String, bool)>) -> PyResult<Self> {
        let classes = CharClasses::new(classes, classify)?;
        let automaton = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(heads.iter().map(|(head, _)| head))
            .map_err(|error| pyo3::exceptions::PyValueError::new_err(error.to_string()))?;
        Ok(Self {
            classes,
            automaton,
            plural: heads.iter().map(|(_, plural)| *plural).collect(),
            heads: heads.into_iter().map(|(head, _)| head).collect(),
            lowered: Mutex::new(FxMap::default()),
        })
    }

    /// (start, end, head) of every head noun that is a whole word of `lower` (an optional
    /// plural "s" included), sorted; None when `lower` holds lone surrogates.
    fn matches(
        &self,
        py: Python<'_>,
        lower: &Bound<'_, PyString>,
    ) -> PyResult<Option<Vec<(usize, usize, String)>>> {
        let Ok(source) = lower.to_str() else {
            return Ok(None);
        };
        Ok(Some(self.matches_in(py, source)))
    }

    /// `matches(text.lower())`, lower-cased here one character at a time as `str.lower` does;
    /// None when that may differ (a character lowers to several, a capital sigma, a lone
    /// surrogate): then Python lower-cases the text.
    fn matches_text(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyString>,
    ) -> PyResult<Option<Vec<(usize, usize, String)>>> {
        let Ok(source) = text.to_str() else {
            return Ok(None);
        };
        if source.is_ascii() {
            return Ok(Some(self.matches_in(py, &source.to_ascii_lowercase())));
        }
        match self.lower(py, source)? {
            Some(lower) => Ok(Some(self.matches_in(py, &lower))),
            None => Ok(None),
        }
    }
}

impl HeadScanner {
    /// `source.lower()` when every character lowers to one character by itself (ASCII by
    /// its table, others as Python lowers them alone); None otherwise.
    fn lower(&self, py: Python<'_>, source: &str) -> PyResult<Option<String>> {
        // `str.lower` may let another thread call in (as in `word_cache`): never wait for the
        // memo; without it, each character is lowered anew.
        let mut known = match self.lowered.try_lock() {
            Ok(known) => Some(known),
            Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        };
        let mut out = String::with_capacity(source.len());
        let mut rest = source;
        while !rest.is_empty() {
            // The ASCII stretch up to the next other character, lower-cased as one piece.
            let ascii = rest
                .bytes()
                .position(|byte| !byte.is_ascii())
                .unwrap_or(rest.len());
            let (plain, tail) = rest.split_at(ascii);
            let from = out.len();
            out.push_str(plain);
            out[from..].make_ascii_lowercase();
            let mut chars = tail.chars();
            let Some(c) = chars.next() else {
                break;
            };
            rest = chars.as_str();
            if c == CAPITAL_SIGMA {
                return Ok(None);
            }
            let lowered = match known.as_ref().and_then(|known| known.get(&c)) {
                Some(&lowered) => lowered,
                None => {
                    let mut buffer = [0u8; 4];
                    let single = PyString::new(py, c.encode_utf8(&mut buffer))
                        .call_method0(pyo3::intern!(py, "lower"))?
                        .extract::<String>()?;
                    let mut chars = single.chars();
                    let lowered = match (chars.next(), chars.next()) {
                        (Some(one), None) => Some(one),
                        _ => None,
                    };
                    if let Some(known) = known.as_mut() {
                        if known.len() >= LOWERED_LIMIT {
                            known.clear();
                        }
                        known.insert(c, lowered);
                    }
                    lowered
                }
            };
            match lowered {
                Some(lowered) => out.push(lowered),
                None => return Ok(None),
            }
        }
        Ok(Some(out))
    }

    /// `matches` of the lower-cased text `source`.
    fn matches_in(&self, py: Python<'_>, source: &str) -> Vec<(usize, usize, String)> {
        let bytes = source.as_bytes();
        // Matches come in order of their end: count characters up to each end incrementally.
        let (mut byte_cursor, mut char_cursor) = (0usize, 0usize);
        let mut out = Vec::new();
        for found in self.automaton.find_overlapping_iter(source) {
            let head = found.pattern().as_usize();
            let (start, end) = (found.start(), found.end());
            if end < byte_cursor {
                // Not expected (ends never decrease); count again from the start.
                (byte_cursor, char_cursor) = (0, 0);
            }
            char_cursor += bytes[byte_cursor..end]
                .iter()
                .filter(|&&byte| byte & 0xC0 != 0x80)
                .count();
            byte_cursor = end;
            // Head nouns are ASCII: as many characters as bytes.
            let char_end = char_cursor;
            let char_start = char_end - (end - start);
            let before = source[..start].chars().next_back().unwrap_or(' ');
            if before == '_' || before == '-' || self.is_alnum(py, before) {
                continue;
            }
            let mut rest = source[end..].chars();
            let next = rest.next().unwrap_or(' ');
            if next == 's' && self.plural[head] {
                let after = rest.next().unwrap_or(' ');
                if !(after == '_' || self.is_alnum(py, after)) {
                    out.push((char_start, char_end + 1, self.heads[head].clone()));
                }
            } else if !(next == '_' || next == '-' || self.is_alnum(py, next)) {
                out.push((char_start, char_end, self.heads[head].clone()));
            }
        }
        out.sort_unstable();
        out
    }
}
