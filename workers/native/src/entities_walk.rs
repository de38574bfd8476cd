//! The walk over an article's capitalised runs (`entities._Walk.walk_reference` and
//! `walk_single_reference` are the behaviour this file must match, rule for rule).
//!
//! The walker is built once from the lexicon and gazetteer keys (mapped to integer ids that
//! index Python lists of their entries) and from the Python patterns and word lists. For one
//! article it reads the runs its `scan` found (those of `capitalised_runs`) and the offsets
//! `add_institutions` claimed, and returns what the Python walk would have done: an ordered
//! list of actions (people, organisations, weapons, demonyms, designators) for Python to
//! apply to its `Collector`, the place mentions (as `PlaceMention` objects, in order), plus
//! the unknown groups and stray tokens the later passes read.
//!
//! The anchored patterns (`SUFFIX_RE`, `LOCALITY_AFTER_RE`) run as ASCII DFAs over characters
//! mapped to bytes on which ASCII syntax reads them as Python's `re` does (`python_byte`);
//! a character with no such byte, a non-ASCII word for `fold`, and the rare cues (weapon
//! context, "former", designator weapons, the area and facility words' extents) are asked of
//! the Python functions themselves.

use std::sync::Mutex;

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyList, PyString};

use pyo3::exceptions::PyValueError;
use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::nfa::thompson;
use regex_automata::util::start;
use regex_automata::util::syntax;
use regex_automata::{Anchored as AnchorMode, Input};

use crate::entities::{chars_of, CapitalScanner, KeyRule, RawToken};
use crate::entities_post::InstitutionGate;
use crate::entities_token::PlaceMentionMaker;
use crate::entities_words::{TokenFacts, WordSources, WordTables};
use crate::entities_words::{WordMap, WordSet};
use crate::hashing::FnvMap;
use crate::pystr::{fold_ascii, is_py_space, with_code_units, ALNUM, SPACE};

const PERSON: u8 = 0;
const ORG: u8 = 1;
const WEAPON: u8 = 2;
const DEMONYM: u8 = 4;
const DESIGNATOR: u8 = 5;

/// Gazetteer flags per key: a candidate is a city / all candidates are cities / a following
/// unknown name makes the word read as a first name (`_Walk.looks_like_person`).
const HAS_CITY: u8 = 1;
const ALL_CITY: u8 = 2;
const PERSON_SHAPED: u8 = 4;

/// An anchored Python pattern (`pattern.match(text, pos)`), run natively as an ASCII DFA over
/// the characters mapped by `python_byte`: on those bytes its ASCII syntax decides exactly what
/// Python's `re` decides on the text, provided the pattern is `mappable`.
struct Anchored {
    dfa: Option<dense::DFA<Vec<u32>>>,
    python: Py<PyAny>,
}

/// True when a pattern reads only characters `python_byte` keeps: printable ASCII, no `_`, no
/// escaped code (`\\x01`), no digit class (Python's takes non-ASCII digits) and no class
/// range over `_`.
fn mappable(source: &str) -> bool {
    let bytes = source.as_bytes();
    let plain = bytes
        .iter()
        .all(|&b| (0x20..0x7f).contains(&b) && b != b'_');
    let escapes = bytes.windows(2).any(|pair| {
        pair[0] == b'\\' && (pair[1].is_ascii_digit() || b"xuUNcdD".contains(&pair[1]))
    });
    let ranges = bytes
        .windows(3)
        .any(|run| run[1] == b'-' && run[0] < b'_' && run[2] > b'_' && run[2] != b']');
    plain && !escapes && !ranges
}

impl Anchored {
    fn new(py: Python<'_>, python: Py<PyAny>) -> PyResult<Self> {
        let bound = python.bind(py);
        let source: String = bound.getattr("pattern")?.extract()?;
        let flags: i64 = bound.getattr("flags")?.extract()?;
        let ignore_case: i64 = py.import("re")?.getattr("IGNORECASE")?.extract()?;
        let dfa = if mappable(&source) {
            let syntax = syntax::Config::new()
                .unicode(false)
                .utf8(false)
                .case_insensitive(flags & ignore_case != 0);
            Some(
                dense::Builder::new()
                    .configure(dense::Config::new().start_kind(StartKind::Anchored))
                    .syntax(syntax)
                    .thompson(thompson::Config::new().utf8(false))
                    .build(&source)
                    .map_err(|error| PyValueError::new_err(error.to_string()))?,
            )
        } else {
            None
        };
        Ok(Self { dfa, python })
    }

    fn matches(&self, walk: &Walk<'_, '_>, pos: usize) -> PyResult<bool> {
        if let Some(found) = self
            .dfa
            .as_ref()
            .and_then(|dfa| anchored_match(dfa, walk.chars, walk.walker.classes(), pos))
        {
            return Ok(found);
        }
        let found = self
            .python
            .bind(walk.py)
            .call_method1(intern!(walk.py, "match"), (walk.text, pos))?;
        Ok(!found.is_none())
    }
}

/// `context.has_weapon_cue`: `WEAPON_CUE_RE` searched within `WINDOW` characters of a
/// mention, natively over the characters mapped by `python_byte` (the pattern has no anchors
/// or look-around, so the window's own bytes decide), else by the Python function.
struct WeaponCue {
    regex: Option<regex::bytes::Regex>,
    python: Py<PyAny>,
}

/// How far around a mention `has_weapon_cue` looks (characters each side).
const CUE_WINDOW: usize = 100;

impl WeaponCue {
    fn new(py: Python<'_>, pattern: &Bound<'_, PyAny>, python: Py<PyAny>) -> PyResult<Self> {
        let source: String = pattern.getattr("pattern")?.extract()?;
        let flags: i64 = pattern.getattr("flags")?.extract()?;
        let ignore_case: i64 = py.import("re")?.getattr("IGNORECASE")?.extract()?;
        let regex = if mappable(&source) {
            Some(
                regex::bytes::RegexBuilder::new(&source)
                    .unicode(false)
                    .case_insensitive(flags & ignore_case != 0)
                    .build()
                    .map_err(|error| PyValueError::new_err(error.to_string()))?,
            )
        } else {
            None
        };
        Ok(Self { regex, python })
    }

    fn found(&self, walk: &Walk<'_, '_>, start: usize, end: usize) -> PyResult<bool> {
        if let Some(regex) = &self.regex {
            let low = start.saturating_sub(CUE_WINDOW).min(walk.chars.len());
            let high = (end + CUE_WINDOW).min(walk.chars.len()).max(low);
            if let Some(found) = cue_in(regex, &walk.chars[low..high], walk.walker.classes()) {
                return Ok(found);
            }
        }
        self.python
            .bind(walk.py)
            .call1((walk.text, start, end))?
            .extract()
    }
}

/// Whether `regex` matches the bytes `python_byte` maps `window` to; None when a character
/// has no byte. A window of the usual size is mapped on the stack (no allocation per call).
fn cue_in(regex: &regex::bytes::Regex, window: &[char], classes: &[u8]) -> Option<bool> {
    let mut buffer = [0u8; 2 * CUE_WINDOW + 56];
    if window.len() > buffer.len() {
        let bytes: Option<Vec<u8>> = window.iter().map(|&c| python_byte(c, classes)).collect();
        return bytes.map(|bytes| regex.is_match(&bytes));
    }
    for (slot, &c) in buffer.iter_mut().zip(window) {
        *slot = python_byte(c, classes)?;
    }
    Some(regex.is_match(&buffer[..window.len()]))
}

/// Whether `dfa` matches at `pos`, stepping over the mapped characters until it is decided;
/// None when a character it reads has no byte (Python must decide).
fn anchored_match(
    dfa: &dense::DFA<Vec<u32>>,
    chars: &[char],
    classes: &[u8],
    pos: usize,
) -> Option<bool> {
    let before = match pos.checked_sub(1) {
        Some(at) => Some(python_byte(*chars.get(at)?, classes)?),
        None => None,
    };
    let config = start::Config::new()
        .anchored(AnchorMode::Yes)
        .look_behind(before);
    let mut state = dfa.start_state(&config).ok()?;
    for &c in chars.get(pos..)? {
        state = dfa.next_state(state, python_byte(c, classes)?);
        if dfa.is_match_state(state) {
            return Some(true);
        }
        if dfa.is_dead_state(state) {
            return Some(false);
        }
        if dfa.is_quit_state(state) {
            return None;
        }
    }
    Some(dfa.is_match_state(dfa.next_eoi_state(state)))
}

/// `word.lstrip(punct)`.
fn strip_leading<'w>(word: &'w [char], punct: &[char]) -> &'w [char] {
    let kept = word
        .iter()
        .position(|c| !punct.contains(c))
        .unwrap_or(word.len());
    &word[kept..]
}

/// True for a character whose upper or lower case is (or holds) an ASCII letter ("K" the
/// Kelvin sign, "ſ", "ı", "İ"): Python's case-blind matching pairs it with that letter.
fn case_blind_ascii(c: char) -> bool {
    !c.is_ascii()
        && (c.to_lowercase().any(|low| low.is_ascii()) || c.to_uppercase().any(|up| up.is_ascii()))
}

/// A byte on which ASCII regex syntax reads the character as Python's `re` does: ASCII
/// stays, other white space (and U+001C..U+001F) becomes `\\v`, other word characters `_`,
/// anything else `\\x01`. None for a character with no such byte (see `case_blind_ascii`;
/// characters beyond the BMP are not tabled).
fn python_byte(c: char, classes: &[u8]) -> Option<u8> {
    if c.is_ascii() {
        return Some(if ('\u{1c}'..='\u{1f}').contains(&c) {
            0x0b
        } else {
            c as u8
        });
    }
    let class = *classes.get(c as usize)?;
    if case_blind_ascii(c) {
        return None;
    }
    Some(if class & SPACE != 0 {
        0x0b
    } else if class & ALNUM != 0 {
        b'_'
    } else {
        0x01
    })
}

/// One token of a run as the walk reads it: its strings are slices of the article's
/// `ScannedRuns.words`.
#[derive(Clone, Copy)]
struct Tok<'s> {
    text: &'s str,
    start: usize,
    end: usize,
    possessive: bool,
    key: &'s str,
    /// `fold(text)`.
    folded: &'s str,
    /// How the scanner made the key (what its `Token` object is made with).
    rule: KeyRule,
    /// What the word tables hold for its key, fold and text.
    facts: TokenFacts,
}

/// One token as `scan` stores it: its strings as byte ranges of `ScannedRuns.words` (one
/// buffer per article instead of three strings per token).
struct StoredTok {
    text: (usize, usize),
    key: (usize, usize),
    folded: (usize, usize),
    start: usize,
    end: usize,
    possessive: bool,
    rule: KeyRule,
    facts: TokenFacts,
}

impl StoredTok {
    fn view<'s>(&self, words: &'s str) -> Tok<'s> {
        let slice = |(from, to): (usize, usize)| words.get(from..to).unwrap_or("");
        Tok {
            text: slice(self.text),
            start: self.start,
            end: self.end,
            possessive: self.possessive,
            key: slice(self.key),
            folded: slice(self.folded),
            rule: self.rule,
            facts: self.facts,
        }
    }
}

/// An article's capitalised runs as the scanner found them, held natively for
/// `EntityWalker.walk_scanned` (no `Token` objects are made for them).
#[pyclass(frozen, module = "workers._native")]
pub struct ScannedRuns {
    text: Py<PyString>,
    chars: Vec<char>,
    /// The tokens' texts, keys and folds, one after another.
    words: String,
    tokens: Vec<StoredTok>,
    /// Each run's range of `tokens`.
    runs: Vec<(usize, usize)>,
}

/// A title found at a token: its role and how many tokens it spans.
struct Title {
    role: Option<String>,
    length: usize,
}

/// Known entries a span's surface names (`_Walk.resolve`).
#[derive(Clone, Copy)]
struct Resolved {
    known: bool,
    person: Option<u32>,
    org: Option<u32>,
    weapon: Option<(u32, bool)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Inert,
    Live,
    Titled,
}

/// The walker's tables, built once from the lexicon, the gazetteer and the rules.
#[pyclass(frozen, module = "workers._native")]
pub struct EntityWalker {
    max_span_tokens: usize,
    max_name_tokens: usize,
    max_title_words: usize,
    /// Lexicon, gazetteer and title starts, demonyms, country keys, given names, connectors
    /// and non-names, by word.
    words: WordTables,
    person_starts: WordMap<String, usize>,
    titles: WordMap<String, Option<String>>,
    people: WordMap<String, u32>,
    orgs: WordMap<String, u32>,
    orgs_folded: WordSet<String>,
    weapons: WordMap<String, (u32, bool)>,
    places: WordMap<String, u32>,
    place_flags: Vec<u8>,
    pair_folded: WordSet<String>,
    weapon_prefixes: WordSet<String>,
    locative_words: WordSet<String>,
    locative_pairs: WordSet<String>,
    punct_before: Vec<char>,
    ambiguous_names: WordSet<String>,
    /// `NAME_RE` and `DESIGNATOR_RE` (the latter for ASCII words: `\\d` is then `[0-9]`),
    /// compiled to match whole words.
    name_re: dense::DFA<Vec<u32>>,
    designator_re: dense::DFA<Vec<u32>>,
    suffix: Anchored,
    area_suffix: Py<PyAny>,
    facility_suffix: Py<PyAny>,
    /// `AREA_SUFFIX_RE` and `FACILITY_SUFFIX_RE` compiled: whether each matches at a point.
    area_gate: Anchored,
    facility_gate: Anchored,
    locality_after: Anchored,
    designator_python: Py<PyAny>,
    fold: Py<PyAny>,
    compact: Py<PyAny>,
    locative_before: Py<PyAny>,
    weapon_cue: WeaponCue,
    is_former: Py<PyAny>,
    /// `weapons._NOT_DESIGNATOR` and `weapons.cued_designator`.
    not_designator: WordSet<String>,
    cued_designator: Py<PyAny>,
    scanner: Py<CapitalScanner>,
    /// `resolve` of surfaces seen before (they depend on the surface alone), emptied when it
    /// reaches `RESOLVED_LIMIT` entries so that memory stays flat.
    resolved: Mutex<WordMap<String, Resolved>>,
    /// `orgs._GATE`: where a "<country> <institution>" name may start.
    institution_gate: Py<InstitutionGate>,
    /// Makes `places.PlaceMention`s; their candidates are `place_candidates[place id]`.
    place_mention: PlaceMentionMaker,
    place_candidates: Py<PyList>,
}

impl EntityWalker {
    /// The character class table (one byte per BMP code point) of the walker's scanner.
    fn classes(&self) -> &[u8] {
        self.scanner.get().classes().table()
    }

    /// `fold`: ASCII natively, anything else by the Python function.
    fn fold_text(&self, py: Python<'_>, text: &str) -> PyResult<String> {
        if !text.is_ascii() {
            return self.fold.bind(py).call1((text,))?.extract();
        }
        let plain = |byte: &u8| !matches!(byte, b'\'' | b'\t'..=b'\r' | 0x1c..=b' ');
        if text.bytes().all(|byte| plain(&byte)) {
            return Ok(text.to_ascii_lowercase());
        }
        let mut out = String::with_capacity(text.len());
        fold_ascii(text.as_bytes(), &mut out);
        Ok(out)
    }
}

/// Most surfaces `EntityWalker.resolved` remembers.
const RESOLVED_LIMIT: usize = 100_000;

/// `text[:-1]` (one character shorter; empty stays empty).
fn drop_last(text: &str) -> &str {
    text.char_indices()
        .next_back()
        .map_or(text, |(index, _)| &text[..index])
}

/// One article's walk: the text, its claimed offsets and what the walk did so far.
struct Walk<'a, 'py> {
    walker: &'a EntityWalker,
    py: Python<'py>,
    text: &'a Bound<'py, PyString>,
    chars: &'a [char],
    claimed: Vec<u8>,
    after_given: bool,
    actions: Vec<Bound<'py, PyAny>>,
    /// The place mentions found, in order (`PlaceMention`s).
    places: Vec<Bound<'py, PyAny>>,
    unknown: Bound<'py, PyList>,
    strays: Bound<'py, PyList>,
}

impl<'py> Walk<'_, 'py> {
    fn surface(&self, start: usize, end: usize) -> String {
        self.chars
            .get(start..end)
            .map(|slice| slice.iter().collect())
            .unwrap_or_default()
    }

    fn is_claimed(&self, token: &Tok) -> bool {
        let at = |i: usize| self.claimed.get(i).copied().unwrap_or(0) != 0;
        at(token.start) || at(token.end.saturating_sub(1))
    }

    fn claim(&mut self, start: usize, end: usize) {
        let end = end.min(self.claimed.len());
        if start < end {
            self.claimed[start..end].fill(1);
        }
    }

    fn push<T>(&mut self, action: T) -> PyResult<()>
    where
        T: IntoPyObject<
            'py,
            Target = pyo3::types::PyTuple,
            Output = Bound<'py, pyo3::types::PyTuple>,
        >,
        T::Error: Into<PyErr>,
    {
        let object = action.into_pyobject(self.py).map_err(Into::into)?;
        self.actions.push(object.into_any());
        Ok(())
    }

    /// Record a place mention (`candidates` those of place key `place`).
    fn place(
        &mut self,
        surface: &str,
        (start, end): (usize, usize),
        place: u32,
        locative: bool,
        area: Option<&str>,
    ) -> PyResult<()> {
        let candidates = self
            .walker
            .place_candidates
            .bind(self.py)
            .get_item(place as usize)?;
        let mention = self
            .walker
            .place_mention
            .mention(self.py, surface, start, end, candidates, locative, area)?;
        self.places.push(mention);
        Ok(())
    }

    // -- text rules ---------------------------------------------------------------------------

    fn fold(&self, text: &str) -> PyResult<String> {
        self.walker.fold_text(self.py, text)
    }

    /// `compact`: the fold's letters and digits.
    fn compact(&self, text: &str) -> PyResult<String> {
        if !text.is_ascii() {
            return self.walker.compact.bind(self.py).call1((text,))?.extract();
        }
        Ok(self.keys(text)?.1)
    }

    fn suffix_at(&self, end: usize) -> PyResult<bool> {
        self.walker.suffix.matches(self, end)
    }

    fn is_name_token(&self, token: &Tok) -> bool {
        !token.facts.is_not_name() && full_match(&self.walker.name_re, token.text)
    }

    fn designator_shaped(&self, text: &str) -> PyResult<bool> {
        if text.is_ascii() {
            return Ok(full_match(&self.walker.designator_re, text));
        }
        let found = self
            .walker
            .designator_python
            .bind(self.py)
            .call_method1(intern!(self.py, "fullmatch"), (text,))?;
        Ok(!found.is_none())
    }

    /// `locative_before`: ASCII windows natively, others by the Python function.
    fn locative_before(&self, start: usize) -> PyResult<bool> {
        let window = &self.chars[start.saturating_sub(25)..start.min(self.chars.len())];
        match window.last() {
            Some(&last) if is_py_space(last as u32) => {}
            _ => return Ok(false),
        }
        // Python lower-cases the window first; a word keeping another character is in no
        // (ASCII) word list either way, unless lower-casing could make that character ASCII.
        if window.iter().any(|&c| case_blind_ascii(c)) {
            let found = self
                .walker
                .locative_before
                .bind(self.py)
                .call1((self.text, start))?;
            return found.extract();
        }
        // The last three words, last first (as ranges of the window).
        let mut found: [&[char]; 3] = [&[]; 3];
        let mut count = 0;
        let mut end = window.len();
        while count < 3 {
            while end > 0 && is_py_space(window[end - 1] as u32) {
                end -= 1;
            }
            if end == 0 {
                break;
            }
            let mut begin = end;
            while begin > 0 && !is_py_space(window[begin - 1] as u32) {
                begin -= 1;
            }
            found[count] = &window[begin..end];
            count += 1;
            end = begin;
        }
        let mut words = &found[..count];
        let lower = |word: &[char], out: &mut String| {
            for &c in word {
                out.push(c.to_ascii_lowercase());
            }
        };
        let mut key = String::with_capacity(32);
        if let Some(&first) = words.first() {
            lower(first, &mut key);
            if key == "the" {
                words = &words[1..];
            }
        }
        let Some(&last) = words.first() else {
            return Ok(false);
        };
        let punct = &self.walker.punct_before;
        let strip = |word| strip_leading(word, punct);
        key.clear();
        lower(strip(last), &mut key);
        if self.walker.locative_words.contains(&key) {
            return Ok(true);
        }
        let Some(&previous) = words.get(1) else {
            return Ok(false);
        };
        key.clear();
        lower(strip(previous), &mut key);
        key.push(' ');
        lower(last, &mut key);
        Ok(self.walker.locative_pairs.contains(&key))
    }

    /// `places.needs_locative(surface, candidates)`.
    fn needs_locative(&self, surface: &str, place: u32) -> PyResult<bool> {
        if self.walker.place_flags[place as usize] & HAS_CITY != 0 {
            return Ok(true);
        }
        let lower = if surface.is_ascii() {
            surface.to_ascii_lowercase()
        } else {
            PyString::new(self.py, surface)
                .call_method0(intern!(self.py, "lower"))?
                .extract()?
        };
        Ok(self.walker.ambiguous_names.contains(&lower))
    }

    fn lookup(&self, surface: &str) -> PyResult<Option<u32>> {
        Ok(self.walker.places.get(&self.fold(surface)?).copied())
    }

    // -- word facts ---------------------------------------------------------------------------

    fn span_limit(&self, token: &Tok) -> usize {
        let facts = &token.facts;
        let mut limit = facts.key.lexicon_start().max(facts.key.gazetteer_start());
        if limit == 0 {
            limit = usize::from(facts.singular_lexicon_start);
        }
        limit.min(self.walker.max_span_tokens)
    }

    fn word_kind(&self, token: &Tok) -> PyResult<Kind> {
        let walker = self.walker;
        let facts = &token.facts;
        let starts = facts.key.starts();
        let may_start = starts
            || facts.singular_lexicon_start != 0
            || facts.folded.has_demonym()
            || self.designator_shaped(token.text)?;
        if !may_start {
            return Ok(Kind::Inert);
        }
        let nationality = walker
            .words
            .demonym(&facts.folded)
            .is_some_and(|code| !code.is_empty())
            || walker.words.country(&facts.folded).is_some();
        if starts && (facts.key.title_start() != 0 || nationality) {
            return Ok(Kind::Titled);
        }
        Ok(Kind::Live)
    }

    fn nationality(&self, token: &Tok) -> Option<String> {
        let words = &self.walker.words;
        let folded = &token.facts.folded;
        match words.demonym(folded) {
            Some(code) if !code.is_empty() => Some(code.to_owned()),
            _ => words.country(folded).map(str::to_owned),
        }
    }

    fn is_given(&self, token: &Tok) -> bool {
        !token.possessive && token.facts.key.is_given_name()
    }

    fn joined(tokens: &[Tok]) -> String {
        tokens
            .iter()
            .map(|token| token.text)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `people.title_at`.
    fn title_at(&self, tokens: &[Tok], i: usize) -> PyResult<Option<Title>> {
        let walker = self.walker;
        let limit = tokens[i].facts.key.title_start();
        let room = tokens.len().saturating_sub(i + 1);
        for n in (1..=limit.min(walker.max_title_words).min(room)).rev() {
            if tokens[i..i + n].iter().any(|token| token.possessive) {
                continue;
            }
            let key = self.fold(&Self::joined(&tokens[i..i + n]))?;
            if let Some(role) = walker.titles.get(&key) {
                return Ok(Some(Title {
                    role: role.clone(),
                    length: n,
                }));
            }
        }
        Ok(None)
    }

    /// `people.curated_person`: the person's id and the tokens the name spans.
    fn curated_person(
        &self,
        tokens: &[Tok],
        i: usize,
        limit: usize,
    ) -> PyResult<Option<(u32, usize)>> {
        if i >= tokens.len() {
            return Ok(None);
        }
        let first = tokens[i].folded.split(' ').next().unwrap_or("");
        let limit = limit.min(self.walker.person_starts.get(first).copied().unwrap_or(0));
        for n in (1..=limit.min(tokens.len() - i)).rev() {
            if tokens[i..i + n - 1].iter().any(|token| token.possessive) {
                continue;
            }
            let key = self.fold(&Self::joined(&tokens[i..i + n]))?;
            if let Some(&id) = self.walker.people.get(&key) {
                return Ok(Some((id, n)));
            }
        }
        Ok(None)
    }

    /// `people.name_length`.
    fn name_length(&self, tokens: &[Tok], i: usize) -> usize {
        let mut n = 0;
        while i + n < tokens.len()
            && n < self.walker.max_name_tokens
            && self.is_name_token(&tokens[i + n])
        {
            n += 1;
            if tokens[i + n - 1].possessive {
                break;
            }
        }
        while n > 0 && tokens[i + n - 1].facts.is_connector() {
            n -= 1;
        }
        n
    }

    // -- the walk -----------------------------------------------------------------------------

    fn titled_person(&mut self, tokens: &[Tok], i: usize) -> PyResult<usize> {
        if !tokens[i].facts.key.starts() {
            return Ok(0);
        }
        let mut country = None;
        let mut start_title = i;
        let mut title = self.title_at(tokens, i)?;
        if title.is_none() && i + 1 < tokens.len() {
            country = self.nationality(&tokens[i]);
            if country.is_some() {
                start_title = i + 1;
                title = self.title_at(tokens, i + 1)?;
            }
        }
        let Some(title) = title else {
            return Ok(0);
        };
        if country.is_none() && start_title > 0 {
            country = self.nationality(&tokens[start_title - 1]);
        }
        let k = start_title + title.length;
        let found = self.curated_person(tokens, k, self.walker.max_name_tokens)?;
        let length = match found {
            Some((_, n)) => n,
            None => self.name_length(tokens, k),
        };
        if length == 0 {
            return Ok(0);
        }
        let (first, last) = (&tokens[k], &tokens[k + length - 1]);
        if found.is_none() && self.walker.locality_after.matches(self, last.end)? {
            return Ok(0);
        }
        let mut role = title.role;
        if let Some(stated) = role.as_deref().filter(|stated| !stated.is_empty()) {
            let former = self
                .walker
                .is_former
                .bind(self.py)
                .call1((self.text, tokens[start_title].start))?
                .extract::<bool>()?;
            if former {
                role = Some(format!("former {stated}"));
            }
        }
        let surface = self.surface(first.start, last.end);
        let (start, end) = (first.start, last.end);
        match found {
            Some((id, _)) => self.push((
                PERSON,
                None::<String>,
                role,
                country,
                surface,
                start,
                end,
                id as i64,
            ))?,
            None => {
                let name = Self::joined(&tokens[k..k + length]);
                self.push((
                    PERSON,
                    Some(name),
                    role,
                    country,
                    surface,
                    start,
                    end,
                    -1i64,
                ))?
            }
        }
        self.claim(start, end);
        Ok(k + length - i)
    }

    /// `fold(surface)` and `compact(surface)`.
    fn keys(&self, surface: &str) -> PyResult<(String, String)> {
        let folded = self.fold(surface)?;
        let compacted = if surface.is_ascii() {
            let mut out = String::with_capacity(folded.len());
            for byte in folded.bytes().filter(u8::is_ascii_alphanumeric) {
                out.push(char::from(byte));
            }
            out
        } else {
            self.compact(surface)?
        };
        Ok((folded, compacted))
    }

    fn known_keys(&self, folded: &str, compacted: &str) -> bool {
        let walker = self.walker;
        walker.people.contains_key(folded)
            || walker.orgs_folded.contains(folded)
            || walker.places.contains_key(folded)
            || walker.weapons.contains_key(compacted)
            || walker.weapons.contains_key(drop_last(compacted))
    }

    fn known(&self, surface: &str) -> PyResult<bool> {
        Ok(self.resolve(surface)?.known)
    }

    /// `resolve_uncached`, remembered across articles. `fold` may run Python code that lets
    /// another thread call in: the cache is never waited for (without it, work is redone).
    fn resolve(&self, surface: &str) -> PyResult<Resolved> {
        if let Ok(cache) = self.walker.resolved.try_lock() {
            if let Some(&found) = cache.get(surface) {
                return Ok(found);
            }
        }
        let found = self.resolve_uncached(surface)?;
        if let Ok(mut cache) = self.walker.resolved.try_lock() {
            if cache.len() >= RESOLVED_LIMIT {
                cache.clear();
            }
            cache.insert(surface.to_owned(), found);
        }
        Ok(found)
    }

    fn resolve_uncached(&self, surface: &str) -> PyResult<Resolved> {
        let walker = self.walker;
        let (folded, key) = self.keys(surface)?;
        let mut weapon = walker.weapons.get(&key).copied();
        if weapon.is_none() && key.ends_with('s') {
            weapon = walker.weapons.get(&key[..key.len() - 1]).copied();
        }
        Ok(Resolved {
            known: self.known_keys(&folded, &key),
            person: walker.people.get(&folded).copied(),
            org: walker.orgs.get(surface).copied(),
            weapon,
        })
    }

    fn pair_may_start(&self, first: &Tok, second: &Tok) -> PyResult<bool> {
        if second.start != first.end + 1
            || self.chars.get(first.end) != Some(&' ')
            || first.key.contains(' ')
            || second.key.contains(' ')
        {
            return Ok(true);
        }
        let mut pair = String::with_capacity(first.key.len() + 1 + second.key.len());
        pair.push_str(first.key);
        pair.push(' ');
        pair.push_str(second.key);
        if self.walker.pair_folded.contains(&pair) {
            return Ok(true);
        }
        let joined = if first.text.is_ascii() && second.text.is_ascii() {
            // `compact` of ASCII text: its letters and digits, lower-cased (no fold made).
            let mut joined = String::with_capacity(first.text.len() + second.text.len());
            for text in [first.text, second.text] {
                let kept = text.bytes().filter(u8::is_ascii_alphanumeric);
                joined.extend(kept.map(|byte| char::from(byte.to_ascii_lowercase())));
            }
            joined
        } else {
            self.compact(first.text)? + &self.compact(second.text)?
        };
        let prefixes = &self.walker.weapon_prefixes;
        Ok(prefixes.contains(&joined) || prefixes.contains(drop_last(&joined)))
    }

    fn match_span(&mut self, tokens: &[Tok], i: usize) -> PyResult<usize> {
        let first = &tokens[i];
        let limit = self.span_limit(first);
        if limit == 0 {
            return Ok(0);
        }
        let size = tokens.len();
        let top = size.min(i + limit);
        let possessive = (i..top).find(|&k| tokens[k].possessive).unwrap_or(top);
        let longer =
            top <= i + 1 || possessive == i || self.pair_may_start(first, &tokens[i + 1])?;
        for j in (i + 1..=top).rev() {
            let last = &tokens[j - 1];
            if last.facts.is_connector() || possessive < j - 1 {
                continue;
            }
            if !longer && j > i + 1 {
                if j != size || !self.suffix_at(last.end)? {
                    continue;
                }
            } else if !last.possessive {
                let surface = self.surface(first.start, last.end);
                if !self.known(&surface)? && (j != size || !self.suffix_at(last.end)?) {
                    continue;
                }
            }
            if self.match_exact(tokens, i, j)? {
                return Ok(j - i);
            }
        }
        Ok(0)
    }

    fn match_exact(&mut self, tokens: &[Tok], i: usize, j: usize) -> PyResult<bool> {
        let (start, end) = (tokens[i].start, tokens[j - 1].end);
        let surface = if tokens[j - 1].possessive {
            Self::joined(&tokens[i..j])
        } else {
            self.surface(start, end)
        };
        let resolved = self.resolve(&surface)?;
        if !resolved.known && (j != tokens.len() || !self.suffix_at(end)?) {
            return Ok(false);
        }
        if let Some(person) = resolved.person {
            if !self.followed_by_name(tokens, j, j - i == 1)? {
                let none = None::<String>;
                self.push((
                    PERSON,
                    none.clone(),
                    none.clone(),
                    none,
                    surface,
                    start,
                    end,
                    person as i64,
                ))?;
                self.claim(start, end);
                return Ok(true);
            }
        }
        if let Some(org) = resolved.org {
            self.push((ORG, org, surface, start, end))?;
            self.claim(start, end);
            return Ok(true);
        }
        if let Some((weapon, needs_cue)) = resolved.weapon {
            let cued = !needs_cue || self.walker.weapon_cue.found(self, start, end)?;
            if cued {
                self.push((WEAPON, weapon, surface, start, end))?;
                self.claim(start, end);
                return Ok(true);
            }
        }
        self.match_place(tokens, i, j, surface)
    }

    fn followed_by_name(&self, tokens: &[Tok], j: usize, single: bool) -> PyResult<bool> {
        if !single || j >= tokens.len() || tokens[j - 1].possessive {
            return Ok(false);
        }
        let next = &tokens[j];
        if !self.is_name_token(next) || self.title_at(tokens, j)?.is_some() {
            return Ok(false);
        }
        let walker = self.walker;
        let key = next.folded;
        Ok(!walker.people.contains_key(key)
            && !walker.orgs.contains_key(next.text)
            && !walker.places.contains_key(key)
            && !next.facts.folded.has_demonym()
            && !walker.titles.contains_key(key))
    }

    /// The end of a Python pattern's match at `end` (and its first group), if any.
    fn python_match(
        &self,
        pattern: &Py<PyAny>,
        end: usize,
    ) -> PyResult<Option<(usize, Option<String>)>> {
        let found = pattern
            .bind(self.py)
            .call_method1(intern!(self.py, "match"), (self.text, end))?;
        if found.is_none() {
            return Ok(None);
        }
        let stop: usize = found.call_method0(intern!(self.py, "end"))?.extract()?;
        let groups: usize = found
            .getattr(intern!(self.py, "re"))?
            .getattr(intern!(self.py, "groups"))?
            .extract()?;
        let group = if groups > 0 {
            found
                .call_method1(intern!(self.py, "group"), (1,))?
                .extract()?
        } else {
            None
        };
        Ok(Some((stop, group)))
    }

    fn match_place(
        &mut self,
        tokens: &[Tok],
        i: usize,
        j: usize,
        surface: String,
    ) -> PyResult<bool> {
        let (start, mut end) = (tokens[i].start, tokens[j - 1].end);
        let (mut area, mut facility) = (None, None);
        if j == tokens.len() && self.suffix_at(end)? {
            // The compiled patterns say whether each matches; Python finds where it ends.
            if self.walker.area_gate.matches(self, end)? {
                area = self.python_match(&self.walker.area_suffix, end)?;
            }
            if self.walker.facility_gate.matches(self, end)? {
                facility = self.python_match(&self.walker.facility_suffix, end)?;
            }
        }
        for extension in [&facility, &area].into_iter().flatten() {
            let extended = self.surface(start, extension.0);
            if let Some(place) = self.lookup(&extended)? {
                self.place(&extended, (start, extension.0), place, true, None)?;
                return Ok(true);
            }
        }
        let Some(place) = self.lookup(&surface)? else {
            return Ok(false);
        };
        if self.looks_like_person(tokens, j)? {
            return Ok(false);
        }
        if self.after_given && self.walker.place_flags[place as usize] & ALL_CITY != 0 {
            return Ok(false);
        }
        let mut surface = surface;
        let mut area_word = None;
        if let Some((stop, word)) = area {
            surface = self.surface(start, stop);
            end = stop;
            area_word = word;
        }
        let locative = self.needs_locative(&surface, place)? && self.locative_before(start)?;
        self.place(
            &surface,
            (start, end),
            place,
            locative,
            area_word.as_deref(),
        )?;
        Ok(true)
    }

    /// `_Walk.looks_like_person`: an unknown name follows and the last word names no strong
    /// place (or one that is also a first name).
    fn looks_like_person(&self, tokens: &[Tok], j: usize) -> PyResult<bool> {
        if !self.followed_by_name(tokens, j, true)? {
            return Ok(false);
        }
        Ok(match self.lookup(tokens[j - 1].text)? {
            Some(last) => self.walker.place_flags[last as usize] & PERSON_SHAPED != 0,
            None => true,
        })
    }

    fn add_designator(&mut self, token: &Tok) -> PyResult<bool> {
        if !self.designator_shaped(token.text)? {
            return Ok(false);
        }
        // `weapons.designator_weapon`: not a listed non-designator prefix, a weapon cue near.
        let prefix = token.text.split('-').next().unwrap_or("");
        if self
            .walker
            .not_designator
            .contains(&prefix.to_ascii_uppercase())
            || !self.walker.weapon_cue.found(self, token.start, token.end)?
        {
            return Ok(false);
        }
        let found = self
            .walker
            .cued_designator
            .bind(self.py)
            .call1((self.text, token.text, token.end))?;
        self.push((DESIGNATOR, found, token.text, token.start, token.end))?;
        self.claim(token.start, token.end);
        Ok(true)
    }

    /// New `Token` objects for `tokens[k]` for each `k`.
    fn token_objects(&self, tokens: &[Tok], picked: &[usize]) -> PyResult<Vec<Bound<'py, PyAny>>> {
        token_objects(self.py, self.walker, picked.iter().map(|&k| &tokens[k]))
    }

    fn flush(&mut self, tokens: &[Tok], pending: &mut Vec<usize>) -> PyResult<()> {
        while pending
            .last()
            .is_some_and(|&k| tokens[k].facts.is_connector())
        {
            pending.pop();
        }
        if !pending.is_empty() {
            let group = PyList::new(self.py, self.token_objects(tokens, pending)?)?;
            self.unknown.append(group)?;
        }
        pending.clear();
        Ok(())
    }

    fn walk_single(&mut self, tokens: &[Tok]) -> PyResult<()> {
        let token = &tokens[0];
        if self.is_claimed(token) || token.facts.is_connector() {
            return Ok(());
        }
        if self.word_kind(token)? != Kind::Inert {
            self.after_given = false;
            if self.single_known(tokens)? {
                return Ok(());
            }
        }
        let objects = self.token_objects(tokens, &[0])?;
        if self.is_name_token(token) {
            self.unknown.append(PyList::new(self.py, objects)?)?;
        } else {
            for stray in objects {
                self.strays.append(stray)?;
            }
        }
        Ok(())
    }

    /// `walk_single` for a word that may start something: true when it was used.
    fn single_known(&mut self, tokens: &[Tok]) -> PyResult<bool> {
        let token = &tokens[0];
        let limit = self.span_limit(token);
        let known = limit > 0 && self.known(token.text)?;
        let mut places = None;
        if known {
            let resolved = self.resolve(token.text)?;
            if resolved.person.is_none() && resolved.org.is_none() && resolved.weapon.is_none() {
                places = self.lookup(token.text)?;
            }
        }
        if let Some(place) = places {
            if !self.suffix_at(token.end)? {
                let locative =
                    self.needs_locative(token.text, place)? && self.locative_before(token.start)?;
                self.place(token.text, (token.start, token.end), place, locative, None)?;
                return Ok(true);
            }
        }
        if limit > 0
            && (known || token.possessive || self.suffix_at(token.end)?)
            && self.match_exact(tokens, 0, 1)?
        {
            return Ok(true);
        }
        if let Some(code) = self.walker.words.demonym(&token.facts.folded) {
            self.push((DEMONYM, code))?;
            return Ok(true);
        }
        self.add_designator(token)
    }

    fn walk_run(&mut self, tokens: &[Tok]) -> PyResult<()> {
        let size = tokens.len();
        let mut pending: Vec<usize> = Vec::new();
        let mut i = 0;
        while i < size {
            let token = &tokens[i];
            if self.is_claimed(token) {
                i += 1;
                continue;
            }
            if pending.is_empty() && token.facts.is_connector() {
                i += 1;
                continue;
            }
            let kind = self.word_kind(token)?;
            if kind == Kind::Inert {
                pending.push(i);
                if token.possessive {
                    self.flush(tokens, &mut pending)?;
                }
                i += 1;
                continue;
            }
            self.after_given = pending.last().is_some_and(|&k| self.is_given(&tokens[k]));
            let mut step = if kind == Kind::Titled && i + 1 < size {
                self.titled_person(tokens, i)?
            } else {
                0
            };
            if step == 0 {
                step = self.match_span(tokens, i)?;
            }
            if step != 0 {
                self.flush(tokens, &mut pending)?;
                i += step;
                continue;
            }
            if let Some(code) = self.walker.words.demonym(&token.facts.folded) {
                self.push((DEMONYM, code))?;
                self.flush(tokens, &mut pending)?;
            } else if self.add_designator(token)? {
                self.flush(tokens, &mut pending)?;
            } else {
                pending.push(i);
                if token.possessive {
                    self.flush(tokens, &mut pending)?;
                }
            }
            i += 1;
        }
        self.flush(tokens, &mut pending)
    }
}

/// Append what `write` writes to `words`; its byte range there.
fn push_word(
    words: &mut String,
    write: impl FnOnce(&mut String) -> PyResult<()>,
) -> PyResult<(usize, usize)> {
    let from = words.len();
    write(words)?;
    Ok((from, words.len()))
}

/// Append `chars` to `words`; their byte range there.
fn push_chars(words: &mut String, chars: impl Iterator<Item = char>) -> (usize, usize) {
    let from = words.len();
    for c in chars {
        words.push(c);
    }
    (from, words.len())
}

fn ids(keys: Vec<String>) -> WordMap<String, u32> {
    let mut out = WordMap::default();
    for (id, key) in keys.into_iter().enumerate() {
        out.entry(key).or_insert(id as u32);
    }
    out
}

fn set(words: Vec<String>) -> WordSet<String> {
    words.into_iter().collect()
}

/// A DFA that matches `pattern` against a whole string (`pattern.fullmatch`).
fn whole_word_dfa(pattern: &str, unicode: bool) -> PyResult<dense::DFA<Vec<u32>>> {
    dense::Builder::new()
        .configure(dense::Config::new().start_kind(StartKind::Anchored))
        .syntax(syntax::Config::new().unicode(unicode).utf8(unicode))
        .build(&format!(r"(?:{pattern})\z"))
        .map_err(|error| PyValueError::new_err(error.to_string()))
}

fn full_match(dfa: &dense::DFA<Vec<u32>>, text: &str) -> bool {
    let input = Input::new(text).anchored(AnchorMode::Yes).earliest(true);
    matches!(dfa.try_search_fwd(&input), Ok(Some(_)))
}

type Walked<'py> = (
    Bound<'py, PyList>,
    Bound<'py, PyList>,
    Bound<'py, PyList>,
    Bound<'py, PyList>,
);

#[pymethods]
impl EntityWalker {
    /// True when `PlaceMention`s are made by storing their slots, not by calling the class.
    #[getter]
    fn stores_mention_slots(&self) -> bool {
        self.place_mention.stores_slots()
    }

    /// Tables from `entities._walker_tables` (see there for what each holds).
    #[new]
    #[pyo3(signature = (**tables))]
    fn new(py: Python<'_>, tables: Option<&Bound<'_, pyo3::types::PyDict>>) -> PyResult<Self> {
        let Some(tables) = tables else {
            return Err(PyValueError::new_err("tables are required"));
        };
        let get = |name: &str| -> PyResult<Bound<'_, PyAny>> {
            tables.get_item(name)?.ok_or_else(|| {
                pyo3::exceptions::PyKeyError::new_err(format!("missing table {name}"))
            })
        };
        let name_pattern: String = get("name_re")?.getattr("pattern")?.extract()?;
        let designator_python = get("designator_re")?.unbind();
        let designator_pattern: String =
            designator_python.bind(py).getattr("pattern")?.extract()?;
        let weapon_keys: Vec<String> = get("weapon_keys")?.extract()?;
        let weapon_cues: Vec<bool> = get("weapon_needs_cue")?.extract()?;
        if weapon_keys.len() != weapon_cues.len() {
            return Err(PyValueError::new_err("one cue flag per weapon key"));
        }
        let mut weapons = WordMap::default();
        for (id, (key, cue)) in weapon_keys.into_iter().zip(weapon_cues).enumerate() {
            weapons.entry(key).or_insert((id as u32, cue));
        }
        let place_keys: Vec<String> = get("place_keys")?.extract()?;
        let place_flags: Vec<u8> = get("place_flags")?.extract()?;
        if place_keys.len() != place_flags.len() {
            return Err(PyValueError::new_err("one flag byte per place key"));
        }
        let punct: String = get("punct_before")?.extract()?;
        let pairs = |name: &str| -> PyResult<Vec<(String, usize)>> {
            let table: FnvMap<String, usize> = get(name)?.extract()?;
            Ok(table.into_iter().collect())
        };
        let codes = |name: &str| -> PyResult<Vec<(String, String)>> {
            let table: FnvMap<String, String> = get(name)?.extract()?;
            Ok(table.into_iter().collect())
        };
        let words = WordTables::new(WordSources {
            lexicon_starts: pairs("lexicon_starts")?,
            gazetteer_starts: pairs("gazetteer_starts")?,
            title_starts: pairs("title_starts")?,
            demonyms: codes("demonyms")?,
            country_keys: codes("country_keys")?,
            given_names: get("given_names")?.extract()?,
            country_starts: get("country_starts")?.extract()?,
            connectors: get("connectors")?.extract()?,
            not_name: get("not_name")?.extract()?,
        });
        Ok(Self {
            max_span_tokens: get("max_span_tokens")?.extract()?,
            max_name_tokens: get("max_name_tokens")?.extract()?,
            max_title_words: get("max_title_words")?.extract()?,
            words,
            person_starts: get("person_starts")?.extract()?,
            titles: get("titles")?.extract()?,
            people: ids(get("people_keys")?.extract()?),
            orgs: ids(get("org_keys")?.extract()?),
            orgs_folded: set(get("orgs_folded")?.extract()?),
            weapons,
            places: ids(place_keys),
            place_flags,
            pair_folded: set(get("pair_folded")?.extract()?),
            weapon_prefixes: set(get("weapon_prefixes")?.extract()?),
            locative_words: set(get("locative_words")?.extract()?),
            locative_pairs: set(get("locative_pairs")?.extract()?),
            punct_before: punct.chars().collect(),
            ambiguous_names: set(get("ambiguous_names")?.extract()?),
            name_re: whole_word_dfa(&name_pattern, true)?,
            designator_re: whole_word_dfa(&designator_pattern, false)?,
            suffix: Anchored::new(py, get("suffix_re")?.unbind())?,
            area_suffix: get("area_suffix_re")?.unbind(),
            facility_suffix: get("facility_suffix_re")?.unbind(),
            area_gate: Anchored::new(py, get("area_suffix_re")?.unbind())?,
            facility_gate: Anchored::new(py, get("facility_suffix_re")?.unbind())?,
            locality_after: Anchored::new(py, get("locality_after_re")?.unbind())?,
            designator_python,
            fold: get("fold")?.unbind(),
            compact: get("compact")?.unbind(),
            locative_before: get("locative_before")?.unbind(),
            weapon_cue: WeaponCue::new(
                py,
                &get("weapon_cue_re")?,
                get("has_weapon_cue")?.unbind(),
            )?,
            is_former: get("is_former")?.unbind(),
            not_designator: set(get("not_designator")?.extract()?),
            cued_designator: get("cued_designator")?.unbind(),
            scanner: get("scanner")?.extract()?,
            resolved: Mutex::new(WordMap::default()),
            institution_gate: get("institution_gate")?.extract()?,
            place_mention: PlaceMentionMaker::new(py, get("place_mention")?.unbind())?,
            place_candidates: get("place_candidates")?.cast_into::<PyList>()?.unbind(),
        })
    }

    /// The capitalised runs of `text` held natively, and the offsets where a
    /// "<country> <institution>" name may start for `add_institutions` (tokens whose key is
    /// among `country_starts`, passed by `institution_gate`); None when `text` holds lone
    /// surrogates.
    fn scan(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyString>,
    ) -> PyResult<Option<(ScannedRuns, Vec<usize>)>> {
        let Some(chars) = chars_of(text)? else {
            return Ok(None);
        };
        let scanner = self.scanner.get();
        let (chars, raw) = scanner.raw_runs(py, chars);
        let mut words = String::with_capacity(chars.len());
        let mut scratch = String::new();
        let mut tokens = Vec::with_capacity(raw.iter().map(Vec::len).sum());
        let mut runs = Vec::with_capacity(raw.len());
        for run in &raw {
            let first = tokens.len();
            for token in run {
                let word = &chars[token.start..token.end];
                let (text, key, folded) = if token.key == KeyRule::Fold
                    && word.iter().all(|&c| c.is_ascii() && c != '\'')
                {
                    // `key_into`'s ASCII fold without apostrophes: the lower-cased text.
                    let text = push_chars(&mut words, word.iter().copied());
                    let key = push_chars(&mut words, word.iter().map(char::to_ascii_lowercase));
                    (text, key, key)
                } else {
                    scratch.clear();
                    scratch.extend(word);
                    let text = push_word(&mut words, |words| {
                        words.push_str(&scratch);
                        Ok(())
                    })?;
                    let key = match token.key {
                        KeyRule::Verbatim => text,
                        rule => push_word(&mut words, |words| {
                            scanner.key_into(py, &scratch, rule, words)
                        })?,
                    };
                    // A folded key is `fold(text)` already.
                    let folded = match token.key {
                        KeyRule::Fold => key,
                        _ => push_word(&mut words, |words| {
                            words.push_str(&self.fold_text(py, &scratch)?);
                            Ok(())
                        })?,
                    };
                    (text, key, folded)
                };
                let slice = |(from, to): (usize, usize)| words.get(from..to).unwrap_or("");
                let facts = self
                    .words
                    .token(slice(text), slice(key), slice(folded), folded == key);
                tokens.push(StoredTok {
                    text,
                    key,
                    folded,
                    start: token.start,
                    end: token.end,
                    possessive: token.possessive,
                    rule: token.key,
                    facts,
                });
            }
            runs.push((first, tokens.len()));
        }
        let openers = tokens
            .iter()
            .filter(|token| token.facts.key.is_country_start())
            .map(|token| token.start);
        let gate = self.institution_gate.get();
        let institution_starts = with_code_units!(text, |units| gate.gated(units, openers));
        let scanned = ScannedRuns {
            text: text.clone().unbind(),
            chars,
            words,
            tokens,
            runs,
        };
        Ok(Some((scanned, institution_starts)))
    }

    /// Walk every run `scan` found: (actions, place mentions, unknown groups, stray tokens),
    /// the mentions as new `PlaceMention` objects, the groups and strays as new `Token`s.
    fn walk_scanned<'py>(
        &self,
        py: Python<'py>,
        scanned: &ScannedRuns,
        claimed: &Bound<'py, PyByteArray>,
    ) -> PyResult<Walked<'py>> {
        let text = scanned.text.bind(py);
        let mut walk = Walk {
            walker: self,
            py,
            text,
            chars: &scanned.chars,
            claimed: claimed.to_vec(),
            after_given: false,
            actions: Vec::new(),
            places: Vec::new(),
            unknown: PyList::empty(py),
            strays: PyList::empty(py),
        };
        let views: Vec<Tok<'_>> = scanned
            .tokens
            .iter()
            .map(|token| token.view(&scanned.words))
            .collect();
        for &(first, last) in &scanned.runs {
            let tokens = &views[first..last];
            match tokens.len() {
                0 => {}
                1 => walk.walk_single(tokens)?,
                _ => walk.walk_run(tokens)?,
            }
        }
        let actions = PyList::new(py, walk.actions)?;
        let places = PyList::new(py, walk.places)?;
        Ok((actions, places, walk.unknown, walk.strays))
    }
}

/// New `Token` objects for tokens the scanner made.
fn token_objects<'py, 't, 's: 't>(
    py: Python<'py>,
    walker: &EntityWalker,
    tokens: impl Iterator<Item = &'t Tok<'s>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let raw = tokens.map(|token| {
        let raw = RawToken {
            start: token.start,
            end: token.end,
            possessive: token.possessive,
            key: token.rule,
        };
        (token.text, raw)
    });
    walker.scanner.get().tokens(py, raw)
}
