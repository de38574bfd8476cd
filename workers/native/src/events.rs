//! `_sentence_types` of `workers.pipeline.enrich.events`: the event types a sentence reports
//! and their trigger spans, in one call per sentence.
//!
//! The candidate types come from the gates (`events_gates.rs`); their trigger patterns run
//! in the order Python runs them, on the stand-in of the lower-cased sentence
//! (`events_text.rs`), with the `regex` crate (through `fancy-regex`, for the few patterns
//! with look-ahead). A match counts when `_is_real` says so: not glued to a word before,
//! capitalised where the pattern asks, and (but for statements of intent) neither modal
//! inside its span, nor background, attributed or modal before it. Every pattern, word list
//! and window comes from Python, where they are defined.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Mutex;

use fancy_regex::Regex;
use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::{meta, util::syntax, Anchored, Input, PatternID};

use crate::events_gates::{
    bit, Context, EventGates, Needles, PatternStarts, Spaces, StartBuffers, Starts, TokenInfo,
    TypeSpec, MAX_TYPES,
};
use crate::events_relaxed::relaxed_source;
use crate::events_roles::is_ascii_space;
use crate::events_text::{is_printable_ascii, ClassSpec, Classes, Offsets};
use crate::hashing::FnvSet;

/// One trigger pattern as passed from Python: its source, its id among the prefixes (or
/// -1), its lead words and the context it alone needs.
type PatternSpec = (String, i64, Vec<String>, Option<String>);
/// The weapon-noun pattern of a type, the attack words looked for before it, their window
/// in words, and its prefix id (or -1).
type PrecededSpec = (String, Vec<String>, usize, i64);

/// One type's triggers as passed from Python.
#[derive(Debug, FromPyObject)]
#[pyo3(from_item_all)]
struct TriggerSpec {
    patterns: Vec<PatternSpec>,
    preceded: Option<PrecededSpec>,
    has_capitals: bool,
    is_verbal: bool,
    unless: Vec<usize>,
}

/// The filters of `_is_real` and `_is_unreal` as passed from Python.
#[derive(Debug, FromPyObject)]
#[pyo3(from_item_all)]
struct FilterSpec {
    span_modal: String,
    attribution: String,
    background: String,
    background_hints: Vec<String>,
    background_token_hints: Vec<String>,
    modal_words: Vec<String>,
    modal_phrase: String,
    /// `_is_unreal` looks at the last `modal_words_kept` words of the `modal_window`
    /// characters before a trigger, the modal words among the last `modal_words_checked`.
    modal_window: usize,
    modal_words_kept: usize,
    modal_words_checked: usize,
    /// `_preceded_match` looks this many characters back per word of its window.
    preceded_chars_per_word: usize,
}

/// A pattern compiled with the `regex` crate, or with `fancy-regex` when it needs
/// look-around (then also anchored with `\G`, to be tried at its prefixes' starts only, and
/// relaxed: tried only where its form without look-arounds matches).
enum Engine {
    Plain(Box<meta::Regex>),
    Fancy {
        search: Box<Regex>,
        anchored: Box<Regex>,
        relaxed: Option<Box<meta::Regex>>,
    },
}

struct Pattern {
    engine: Engine,
    prefix_id: Option<usize>,
    /// Its id in the triggers' shared lazy DFA (see [`AnchoredTries`]), which tells whether
    /// and where the pattern (or, with look-around, its relaxed form) matches at one of its
    /// starts; None for a pattern tried without starts.
    dfa_id: Option<PatternID>,
    /// The source that goes into that DFA, until it is built.
    dfa_source: Option<String>,
    leads: Needles,
    guard: Context,
    has_cap: bool,
}

struct Preceded {
    pattern: Pattern,
    words: FnvSet<String>,
    window: usize,
}

struct TypeTriggers {
    patterns: Vec<Pattern>,
    preceded: Option<Preceded>,
    has_capitals: bool,
    is_verbal: bool,
    unless: u128,
}

struct Filters {
    span_modal: regex::bytes::Regex,
    attribution: regex::bytes::Regex,
    background: regex::bytes::Regex,
    background_hints: Needles,
    modal_words: FnvSet<String>,
    /// Whether stand-in words tell the modal words apart (see [`plain_modal_words`]).
    modal_words_plain: bool,
    modal_phrase: regex::bytes::Regex,
    modal_window: usize,
    modal_words_kept: usize,
    modal_words_checked: usize,
    preceded_chars_per_word: usize,
}

/// A trigger found: type index, start and end (in characters).
type Trigger = (usize, usize, usize);

/// The event catalogue compiled: candidate gates, trigger patterns and their filters.
#[pyclass(module = "workers._native", frozen)]
pub struct EventTriggers {
    gates: EventGates,
    triggers: Vec<TypeTriggers>,
    filters: Filters,
    classes: Classes,
    tries: AnchoredTries,
}

/// One lazy DFA of all the patterns tried at their prefixes' starts, each searchable
/// anchored on its own: where a pattern fails at a start (most tries), one shared automaton
/// with one cache says so, instead of a regex (and its caches) per pattern.
struct AnchoredTries {
    dfa: DFA,
    cache: Mutex<Cache>,
}

impl AnchoredTries {
    fn new(patterns: &mut [&mut Pattern]) -> PyResult<AnchoredTries> {
        let mut sources = Vec::new();
        for pattern in patterns.iter_mut() {
            if let Some(source) = pattern.dfa_source.take() {
                pattern.dfa_id = Some(PatternID::new(sources.len()).map_err(|e| {
                    PyValueError::new_err(format!("too many trigger patterns: {e}"))
                })?);
                sources.push(source);
            }
        }
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .starts_for_each_pattern(true)
                    .cache_capacity(Self::CACHE_CAPACITY),
            )
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .build_many(&sources)
            .map_err(|e| PyValueError::new_err(format!("trigger patterns: {e}")))?;
        let cache = Mutex::new(dfa.create_cache());
        Ok(AnchoredTries { dfa, cache })
    }

    /// Room for the states of all the patterns' tries without a reset (it fills lazily).
    const CACHE_CAPACITY: usize = 16 << 20;

    /// `body` with the shared cache (a new one when another thread holds it).
    fn with_cache<R>(&self, body: impl FnOnce(&mut Cache) -> R) -> R {
        match self.cache.try_lock() {
            Ok(mut cache) => body(&mut cache),
            Err(_) => body(&mut self.dfa.create_cache()),
        }
    }

    /// The end of pattern `id`'s match starting at byte `start` of `text`, if any.
    fn end_at(
        &self,
        id: PatternID,
        text: &str,
        start: usize,
        cache: &mut Cache,
    ) -> Outcome<Option<usize>> {
        let input = Input::new(text.as_bytes())
            .range(start..)
            .anchored(Anchored::Pattern(id));
        match self.dfa.try_search_fwd(cache, &input) {
            Ok(found) => Ok(found.map(|half| half.offset())),
            Err(_) => Err(Overrun),
        }
    }
}

#[pymethods]
impl EventTriggers {
    #[new]
    #[pyo3(signature = (*, anchors, military_cues, diplomatic_cues, types, prefixes, triggers, filters, classes, required = Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        anchors: HashMap<String, Vec<usize>>,
        military_cues: Vec<String>,
        diplomatic_cues: Vec<String>,
        types: Vec<TypeSpec>,
        prefixes: Vec<(usize, Vec<String>)>,
        triggers: Vec<TriggerSpec>,
        filters: FilterSpec,
        classes: ClassSpec,
        required: Vec<(usize, Vec<String>)>,
    ) -> PyResult<Self> {
        if triggers.len() != types.len() {
            return Err(PyValueError::new_err("one trigger spec per type is needed"));
        }
        let spaces = Spaces::from_ranges(classes.space_ranges());
        let mut sources: Vec<&str> = vec![
            &filters.span_modal,
            &filters.attribution,
            &filters.background,
            &filters.modal_phrase,
        ];
        for spec in &triggers {
            sources.extend(spec.patterns.iter().map(|p| p.0.as_str()));
            sources.extend(spec.preceded.iter().map(|p| p.0.as_str()));
        }
        let classes = Classes::new(classes, &sources)?;
        let literals = |sets: Vec<(usize, Vec<String>)>| -> Vec<(usize, Vec<String>)> {
            sets.into_iter()
                .map(|(id, strings)| (id, strings.iter().map(|p| classes.literal(p)).collect()))
                .collect()
        };
        let prefixes = literals(prefixes);
        let required = literals(required);
        let gates = EventGates::new(
            anchors,
            military_cues,
            diplomatic_cues,
            &filters.background_token_hints,
            types,
            prefixes,
            required,
            spaces,
        )?;
        let mut compiled = triggers
            .into_iter()
            .map(|spec| compile_type(spec, gates.pattern_count, &classes))
            .collect::<PyResult<Vec<_>>>()?;
        let mut tried: Vec<&mut Pattern> = compiled
            .iter_mut()
            .flat_map(|t| {
                t.patterns
                    .iter_mut()
                    .chain(t.preceded.iter_mut().map(|p| &mut p.pattern))
            })
            .collect();
        let tries = AnchoredTries::new(&mut tried)?;
        let filters = compile_filters(filters, &classes)?;
        Ok(EventTriggers {
            gates,
            triggers: compiled,
            filters,
            classes,
            tries,
        })
    }

    /// `_sentence_types` of sentence `text` (lower-cased: `lowered`), as (type index, start,
    /// end); None when only the Python reference can tell (a text with lone surrogates, a
    /// lower-cased text of another length or with a non-ASCII digit, a regex over its
    /// backtracking limit).
    fn find(
        &self,
        text: &Bound<'_, PyString>,
        lowered: &Bound<'_, PyString>,
    ) -> Option<Vec<Trigger>> {
        let (Ok(text_str), Ok(lowered_str)) = (text.to_str(), lowered.to_str()) else {
            return None;
        };
        // Python's lengths, in characters (compared only when a type is anchored).
        let same_length = || Some(text.len().ok()? == lowered.len().ok()?);
        self.find_str(
            text_str,
            lowered_str,
            same_length,
            &mut StartBuffers::default(),
        )
    }

    /// `find` of every sentence of an article, each lower-cased as `str.lower` does: the
    /// (sentence index, triggers) of the sentences with a trigger, and (sentence index, None)
    /// for those that only the Python reference can tell, in sentence order.
    fn find_all(&self, texts: &Bound<'_, PyList>) -> PyResult<Vec<(usize, Option<Vec<Trigger>>)>> {
        let mut rows = Vec::new();
        let mut ascii_lowered = String::new();
        let mut buffers = StartBuffers::default();
        for (index, item) in texts.iter().enumerate() {
            let text = item.cast_into::<PyString>()?;
            let found = match text.to_str() {
                Err(_) => None,
                Ok(text_str) if text_str.is_ascii() => {
                    ascii_lowered.clear();
                    ascii_lowered.push_str(text_str);
                    ascii_lowered.make_ascii_lowercase();
                    self.find_str(text_str, &ascii_lowered, || Some(true), &mut buffers)
                }
                Ok(_) => {
                    let lowered = text.call_method0(intern!(text.py(), "lower"))?;
                    self.find(&text, lowered.cast::<PyString>()?)
                }
            };
            if found.as_ref().is_none_or(|found| !found.is_empty()) {
                rows.push((index, found));
            }
        }
        Ok(rows)
    }
}

impl EventTriggers {
    /// `find` of `text`, lower-cased `lowered`; `same_length`: whether they have as many
    /// characters (None when that cannot be told); `buffers`: for the prefixes' starts.
    fn find_str(
        &self,
        text: &str,
        lowered: &str,
        same_length: impl FnOnce() -> Option<bool>,
        buffers: &mut StartBuffers,
    ) -> Option<Vec<Trigger>> {
        let printable = is_printable_ascii(lowered);
        let seen = self.gates.tokens_of(lowered, printable);
        if seen.anchors == 0 {
            return Some(Vec::new());
        }
        if !same_length()? {
            return None;
        }
        let mut candidates = self.gates.candidates(lowered, &seen);
        if candidates == 0 {
            return Some(Vec::new());
        }
        let stand_in = self.classes.borrowed_stand_in(lowered, printable)?;
        let starts = self.gates.starts(&stand_in, buffers)?;
        let mut left = candidates;
        while left != 0 {
            let index = left.trailing_zeros() as usize;
            left &= left - 1;
            if !self.gates.can_start(index, &starts) {
                candidates &= !(1u128 << index);
            }
        }
        if candidates == 0 {
            return Some(Vec::new());
        }
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        self.tries.with_cache(|cache| {
            let sentence = Sentence::new(text, lowered, stand_in, seen, starts, cache);
            while candidates != 0 {
                let index = candidates.trailing_zeros() as usize;
                candidates &= candidates - 1;
                if let Some((start, end)) = self.first_real_match(index, &sentence).ok()? {
                    found.push((index, start, end));
                }
            }
            Some(())
        })?;
        if found.len() > 1 {
            let names = found
                .iter()
                .fold(0u128, |mask, &(i, _, _)| mask | (1u128 << i));
            found.retain(|&(i, _, _)| self.triggers[i].unless & names == 0);
        }
        Some(found)
    }
}

fn regex(source: &str) -> PyResult<Regex> {
    Regex::new(source).map_err(|e| PyValueError::new_err(format!("{source:?}: {e}")))
}

/// A pattern without look-around, compiled ASCII-only for stand-ins.
fn plain_regex(source: &str) -> Result<regex::bytes::Regex, regex::Error> {
    regex::bytes::RegexBuilder::new(source)
        .unicode(false)
        .build()
}

/// A pattern without look-around, compiled ASCII-only for stand-ins, searchable anchored.
fn meta_regex(source: &str) -> Result<meta::Regex, Box<meta::BuildError>> {
    meta::Regex::builder()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .build(source)
        .map_err(Box::new)
}

fn filter_regex(source: &str, classes: &Classes) -> PyResult<regex::bytes::Regex> {
    plain_regex(&classes.rewrite(source))
        .map_err(|e| PyValueError::new_err(format!("{source:?}: {e}")))
}

fn prefix_id(id: i64, count: usize) -> PyResult<Option<usize>> {
    match usize::try_from(id) {
        Err(_) => Ok(None),
        Ok(id) if id < count => Ok(Some(id)),
        Ok(id) => Err(PyValueError::new_err(format!("unknown prefix id {id}"))),
    }
}

fn compile_pattern(spec: PatternSpec, prefix_count: usize, classes: &Classes) -> PyResult<Pattern> {
    let (source, id, leads, guard) = spec;
    let source = classes.rewrite(&source);
    let prefix_id = prefix_id(id, prefix_count)?;
    let mut dfa_source = None;
    let (engine, has_cap) = match meta_regex(&source) {
        Ok(plain) => {
            let has_cap = plain
                .group_info()
                .to_index(PatternID::ZERO, "cap")
                .is_some();
            dfa_source = prefix_id.map(|_| source.clone());
            (Engine::Plain(Box::new(plain)), has_cap)
        }
        Err(_) => {
            let search = regex(&source)?;
            let has_cap = search.capture_names().any(|name| name == Some("cap"));
            let anchored = regex(&format!("\\G(?:{source})"))?;
            let relaxed_text = relaxed_source(&source);
            let relaxed = relaxed_text
                .as_deref()
                .and_then(|relaxed| meta_regex(relaxed).ok())
                .map(Box::new);
            if relaxed.is_some() && prefix_id.is_some() {
                dfa_source = relaxed_text;
            }
            (
                Engine::Fancy {
                    search: Box::new(search),
                    anchored: Box::new(anchored),
                    relaxed,
                },
                has_cap,
            )
        }
    };
    Ok(Pattern {
        engine,
        prefix_id,
        dfa_id: None,
        dfa_source,
        leads: Needles::new(&leads),
        guard: Context::parse(guard.as_deref()),
        has_cap,
    })
}

fn compile_type(
    spec: TriggerSpec,
    prefix_count: usize,
    classes: &Classes,
) -> PyResult<TypeTriggers> {
    let patterns = spec
        .patterns
        .into_iter()
        .map(|p| compile_pattern(p, prefix_count, classes))
        .collect::<PyResult<Vec<_>>>()?;
    let preceded = match spec.preceded {
        None => None,
        Some((source, words, window, id)) => Some(Preceded {
            pattern: compile_pattern((source, id, Vec::new(), None), prefix_count, classes)?,
            words: words.into_iter().collect(),
            window,
        }),
    };
    let mut unless = 0u128;
    for index in spec.unless {
        unless |= bit(index, MAX_TYPES)?;
    }
    Ok(TypeTriggers {
        patterns,
        preceded,
        has_capitals: spec.has_capitals,
        is_verbal: spec.is_verbal,
        unless,
    })
}

fn compile_filters(spec: FilterSpec, classes: &Classes) -> PyResult<Filters> {
    Ok(Filters {
        span_modal: filter_regex(&spec.span_modal, classes)?,
        attribution: filter_regex(&spec.attribution, classes)?,
        background: filter_regex(&spec.background, classes)?,
        background_hints: Needles::new(&spec.background_hints),
        modal_words_plain: plain_modal_words(&spec.modal_words),
        modal_words: spec.modal_words.into_iter().collect(),
        modal_phrase: filter_regex(&spec.modal_phrase, classes)?,
        modal_window: spec.modal_window,
        modal_words_kept: spec.modal_words_kept,
        modal_words_checked: spec.modal_words_checked,
        preceded_chars_per_word: spec.preceded_chars_per_word,
    })
}

/// Whether every modal word is printable ASCII with no upper-case letter: such bytes are
/// stand-ins of themselves only, so a stand-in word is such a word exactly where its word is.
fn plain_modal_words(words: &[String]) -> bool {
    words
        .iter()
        .all(|w| is_printable_ascii(w) && !w.bytes().any(|b| b.is_ascii_uppercase()))
}

/// What the filters know of one sentence; the costly parts on first use.
struct Sentence<'a> {
    text: &'a str,
    lowered: &'a str,
    /// One byte per character of `lowered`: match offsets are character offsets.
    stand_in: Cow<'a, str>,
    /// Character offsets of `lowered` -> its byte offsets.
    offsets: Offsets,
    seen: TokenInfo,
    /// Pattern id -> character offsets where its prefixes start.
    starts: Starts<'a>,
    background: Cell<Option<bool>>,
    attributed_from: Cell<Option<usize>>,
    /// The cache of the shared lazy DFA of anchored tries.
    cache: RefCell<&'a mut Cache>,
}

impl<'a> Sentence<'a> {
    fn new(
        text: &'a str,
        lowered: &'a str,
        stand_in: Cow<'a, str>,
        seen: TokenInfo,
        starts: Starts<'a>,
        cache: &'a mut Cache,
    ) -> Sentence<'a> {
        Sentence {
            cache: RefCell::new(cache),
            text,
            lowered,
            stand_in,
            offsets: Offsets::new(lowered),
            seen,
            starts,
            background: Cell::new(None),
            attributed_from: Cell::new(None),
        }
    }
}

impl Sentence<'_> {
    /// The sorted distinct starts of a pattern's prefixes, None for no prefix id.
    fn sorted_starts(&self, pattern: &Pattern) -> Option<PatternStarts<'_>> {
        pattern.prefix_id.map(|id| self.starts.of(id))
    }
}

/// A match of a trigger pattern: its span in bytes and where its `cap` group starts.
struct Found {
    start: usize,
    end: usize,
    cap: Option<usize>,
}

/// A look-around regex ran over its backtracking limit (or words before a trigger have a
/// non-ASCII digit): only Python can tell.
struct Overrun;

impl From<fancy_regex::Error> for Overrun {
    fn from(_: fancy_regex::Error) -> Overrun {
        Overrun
    }
}

type Outcome<T> = Result<T, Overrun>;

impl EventTriggers {
    /// `_first_real_match`: the span (in bytes) of the type's first real trigger.
    fn first_real_match(&self, index: usize, s: &Sentence) -> Outcome<Option<(usize, usize)>> {
        let triggers = &self.triggers[index];
        for pattern in &triggers.patterns {
            if let Some(id) = pattern.prefix_id {
                if !s.starts.has(id) {
                    continue;
                }
            } else if !pattern.leads.is_empty() && !pattern.leads.any_in(s.lowered) {
                continue;
            }
            if !pattern.guard.holds(s.seen.military, s.seen.diplomatic) {
                continue;
            }
            let starts = s.sorted_starts(pattern);
            let mut from = 0;
            while let Some(found) = next_match(&self.tries, pattern, s, from, starts)? {
                if self.is_real(triggers, found.start, Some(&found), s)? {
                    return Ok(Some((found.start, found.end)));
                }
                from = next_from(&s.stand_in, &found);
            }
        }
        match &triggers.preceded {
            Some(preceded) => self.preceded_match(triggers, preceded, s),
            None => Ok(None),
        }
    }

    /// `_preceded_match`: a weapon noun with an attack word among the words before it.
    fn preceded_match(
        &self,
        triggers: &TypeTriggers,
        preceded: &Preceded,
        s: &Sentence,
    ) -> Outcome<Option<(usize, usize)>> {
        if let Some(id) = preceded.pattern.prefix_id {
            if !s.starts.has(id) {
                return Ok(None);
            }
        }
        let reach = self.filters.preceded_chars_per_word * preceded.window;
        let starts = s.sorted_starts(&preceded.pattern);
        let mut from = 0;
        while let Some(found) = next_match(&self.tries, &preceded.pattern, s, from, starts)? {
            let window_start = s.offsets.byte_of(found.start.saturating_sub(reach));
            let before = &s.lowered[window_start..s.offsets.byte_of(found.start)];
            let words = self.split(before);
            let last = &words[words.len().saturating_sub(preceded.window)..];
            for word in last.iter().rev() {
                let bare = word.trim_matches(|c| matches!(c, ',' | '.' | ';' | ':'));
                if preceded.words.contains(bare) {
                    let at = s
                        .offsets
                        .char_of(before.rfind(word).unwrap_or(0) + window_start);
                    if self.is_real(triggers, at, None, s)? {
                        return Ok(Some((at, found.end)));
                    }
                    break;
                }
            }
            from = next_from(&s.stand_in, &found);
        }
        Ok(None)
    }

    /// `_is_real`: not glued to a word before, capitalised where it must be, and (but for
    /// statements of intent) neither modal inside the span nor unreal.
    fn is_real(
        &self,
        triggers: &TypeTriggers,
        start: usize,
        found: Option<&Found>,
        s: &Sentence,
    ) -> Outcome<bool> {
        // The stand-in's bytes are word bytes where Python's characters are word characters.
        if let Some(&before) = s.stand_in.as_bytes()[..start].last() {
            if before.is_ascii_alphanumeric() || before == b'_' {
                return Ok(false);
            }
        }
        if let (true, Some(Found { cap: Some(cap), .. })) = (triggers.has_capitals, found) {
            // `text` has as many characters as the stand-in has bytes: as many bytes if ASCII.
            let upper = if s.text.len() == s.stand_in.len() {
                s.text
                    .as_bytes()
                    .get(*cap)
                    .is_some_and(u8::is_ascii_uppercase)
            } else {
                s.text
                    .chars()
                    .nth(*cap)
                    .is_some_and(|c| self.classes.is_upper(c))
            };
            if !upper {
                return Ok(false);
            }
        }
        if triggers.is_verbal {
            return Ok(true);
        }
        if let Some(found) = found {
            if self
                .filters
                .span_modal
                .is_match(&s.stand_in.as_bytes()[start..found.end])
            {
                return Ok(false);
            }
        }
        Ok(!self.is_unreal(start, s)?)
    }

    /// `_is_unreal`: background sentence, claim, or modal wording before `start`.
    fn is_unreal(&self, start: usize, s: &Sentence) -> Outcome<bool> {
        if self.background(s)? || self.attributed_from(s)? < start {
            return Ok(true);
        }
        if self.filters.modal_words_plain {
            Ok(self.modal_before(start, s))
        } else {
            self.modal_before_by_chars(start, s)
        }
    }

    /// Modal wording in the last words before `start`, read from the stand-in with no
    /// allocation. A stand-in byte is white space exactly where its character is Python white
    /// space, and stand-in words equal the modal words exactly where the words do (see
    /// [`plain_modal_words`]); the stand-ins of the words joined by spaces are what the modal
    /// phrase regex reads on the other path too.
    fn modal_before(&self, start: usize, s: &Sentence) -> bool {
        let f = &self.filters;
        let window = &s.stand_in[start.saturating_sub(f.modal_window)..start];
        let bytes = window.as_bytes();
        // The kept words run from `first` to `last_end`; `single`: one space between each.
        let (mut end, mut words, mut first, mut last_end, mut single) =
            (bytes.len(), 0, 0, 0, true);
        while words < f.modal_words_kept {
            while end > 0 && is_ascii_space(bytes[end - 1]) {
                end -= 1;
            }
            if end == 0 {
                break;
            }
            let mut begin = end;
            while begin > 0 && !is_ascii_space(bytes[begin - 1]) {
                begin -= 1;
            }
            if words < f.modal_words_checked && f.modal_words.contains(&window[begin..end]) {
                return true;
            }
            if words == 0 {
                last_end = end;
            } else if first != end + 1 || bytes[end] != b' ' {
                single = false;
            }
            first = begin;
            words += 1;
            end = begin;
        }
        if words == 0 {
            return f.modal_phrase.is_match(b"");
        }
        let kept = &bytes[first..last_end];
        if single {
            return f.modal_phrase.is_match(kept);
        }
        let joined = kept
            .split(|&b| is_ascii_space(b))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(&b' ');
        f.modal_phrase.is_match(&joined)
    }

    /// [`Self::modal_before`] word by word on the lower-cased text, for modal words that
    /// stand-ins cannot tell apart.
    fn modal_before_by_chars(&self, start: usize, s: &Sentence) -> Outcome<bool> {
        let f = &self.filters;
        let window_start = s.offsets.byte_of(start.saturating_sub(f.modal_window));
        let window = &s.lowered[window_start..s.offsets.byte_of(start)];
        // The last words of the window, last first.
        let words: Vec<&str> = window
            .rsplit(|c: char| self.classes.is_space(c))
            .filter(|w| !w.is_empty())
            .take(f.modal_words_kept)
            .collect();
        let checked = &words[..words.len().min(f.modal_words_checked)];
        if checked.iter().any(|w| f.modal_words.contains(*w)) {
            return Ok(true);
        }
        let joined = self
            .classes
            .joined_stand_in(words.iter().rev())
            .ok_or(Overrun)?;
        Ok(f.modal_phrase.is_match(&joined))
    }

    fn background(&self, s: &Sentence) -> Outcome<bool> {
        if let Some(known) = s.background.get() {
            return Ok(known);
        }
        let f = &self.filters;
        let maybe = s.seen.background || f.background_hints.any_in(s.lowered);
        let background = maybe && f.background.is_match(s.stand_in.as_bytes());
        s.background.set(Some(background));
        Ok(background)
    }

    fn attributed_from(&self, s: &Sentence) -> Outcome<usize> {
        if let Some(known) = s.attributed_from.get() {
            return Ok(known);
        }
        let at = match self.filters.attribution.find(s.stand_in.as_bytes()) {
            Some(found) => found.start(),
            None => s.stand_in.len(),
        };
        s.attributed_from.set(Some(at));
        Ok(at)
    }

    /// `str.split()`.
    fn split<'t>(&self, text: &'t str) -> Vec<&'t str> {
        text.split(|c: char| self.classes.is_space(c))
            .filter(|w| !w.is_empty())
            .collect()
    }
}

/// The leftmost match of `pattern` at or after byte `from` (as `finditer` goes on);
/// `starts` are the only places where it can start, or None when not known.
fn next_match(
    tries: &AnchoredTries,
    pattern: &Pattern,
    s: &Sentence,
    from: usize,
    starts: Option<PatternStarts<'_>>,
) -> Outcome<Option<Found>> {
    let text: &str = &s.stand_in;
    if from > text.len() {
        return Ok(None);
    }
    // Where the shared DFA has the pattern, it tells whether (and where) it matches at a start.
    let end_at = |start: usize| match pattern.dfa_id {
        Some(id) => tries.end_at(id, text, start, &mut s.cache.borrow_mut()),
        None => Ok(Some(start)),
    };
    match (&pattern.engine, starts) {
        (Engine::Plain(regex), Some(starts)) => {
            for start in starts.from(from) {
                let Some(end) = end_at(start)? else {
                    continue;
                };
                if pattern.dfa_id.is_some() && !pattern.has_cap {
                    return Ok(Some(Found {
                        start,
                        end,
                        cap: None,
                    }));
                }
                let input = Input::new(text.as_bytes())
                    .range(start..)
                    .anchored(Anchored::Yes);
                if let Some(found) = meta_match(regex, pattern.has_cap, input) {
                    return Ok(Some(found));
                }
            }
            Ok(None)
        }
        (Engine::Plain(regex), None) => {
            let input = Input::new(text.as_bytes()).range(from..);
            Ok(meta_match(regex, pattern.has_cap, input))
        }
        (
            Engine::Fancy {
                anchored, relaxed, ..
            },
            Some(starts),
        ) => {
            for start in starts.from(from) {
                let may = match pattern.dfa_id {
                    Some(_) => end_at(start)?.is_some(),
                    None => may_match(relaxed.as_deref(), text, start, Anchored::Yes),
                };
                if !may {
                    continue;
                }
                if let Some(found) = fancy_match(anchored, pattern.has_cap, text, start)? {
                    return Ok(Some(found));
                }
            }
            Ok(None)
        }
        (
            Engine::Fancy {
                search, relaxed, ..
            },
            None,
        ) => {
            if !may_match(relaxed.as_deref(), text, from, Anchored::No) {
                return Ok(None);
            }
            fancy_match(search, pattern.has_cap, text, from)
        }
    }
}

/// Whether the relaxed form of a look-around pattern (if any) matches from `from` on: where
/// it does not, the pattern does not either.
fn may_match(relaxed: Option<&meta::Regex>, text: &str, from: usize, anchored: Anchored) -> bool {
    relaxed.is_none_or(|relaxed| {
        relaxed.is_match(Input::new(text.as_bytes()).range(from..).anchored(anchored))
    })
}

fn meta_match(regex: &meta::Regex, has_cap: bool, input: Input<'_>) -> Option<Found> {
    if has_cap {
        let mut caps = regex.create_captures();
        regex.search_captures(&input, &mut caps);
        let whole = caps.get_match()?;
        Some(Found {
            start: whole.start(),
            end: whole.end(),
            cap: caps.get_group_by_name("cap").map(|span| span.start),
        })
    } else {
        regex.search(&input).map(|m| Found {
            start: m.start(),
            end: m.end(),
            cap: None,
        })
    }
}

fn fancy_match(regex: &Regex, has_cap: bool, text: &str, from: usize) -> Outcome<Option<Found>> {
    if has_cap {
        Ok(regex.captures_from_pos(text, from)?.and_then(|caps| {
            caps.get(0).map(|whole| Found {
                start: whole.start(),
                end: whole.end(),
                cap: caps.name("cap").map(|c| c.start()),
            })
        }))
    } else {
        Ok(regex.find_from_pos(text, from)?.map(|m| Found {
            start: m.start(),
            end: m.end(),
            cap: None,
        }))
    }
}

/// Where `finditer` looks for the next match: after this one (one character on if empty).
fn next_from(text: &str, found: &Found) -> usize {
    if found.end > found.start {
        found.end
    } else {
        found.end + text[found.end..].chars().next().map_or(1, char::len_utf8)
    }
}
