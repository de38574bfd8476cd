//! The classify stage of `workers.pipeline.classify` on one article, in one pass: the cue scan
//! (`scanning.sentence_keys`), the match of each sentence (`matching.Matcher.match_key`) and
//! its scores (`scoring.score_military`, `scoring.score_diplomatic`, `scoring._label_score`
//! before rounding).
//!
//! The cue lexicon, term sets, domains and scoring constants come from Python at
//! construction (`classify.native_classifier`), so the data files and `scoring` stay their one
//! definition; the Python functions stay as the reference that the tests compare against.
//!
//! The scan works on tokens instead of the Python regex: every alternative of that pattern
//! spans whole tokens (a word slot must be followed by a space, a prefix slot takes the rest
//! of its token), and at a token the pattern tries the alternatives with the most slots first
//! (the sentence mark before all). So the item found at a token is its phrase with the most
//! slots whose slots accept the next tokens, else a one-word cue or a context word; which cue
//! of that many slots is then chosen as `Matcher._phrase_cue` does.

use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::Hasher;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyFloat, PyList, PyString};

use crate::classify_publish::{sentence_texts, LabelNames, PublishedOutcomes};
use crate::hashing::{FxHasher, FxMap};

/// The first byte of the token between two sentences (`scanning.SENTENCE_MARK`).
const SENTENCE_MARK_BYTE: u8 = 0x01;
/// Trie node index meaning "no node".
const NO_NODE: u32 = u32::MAX;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Label {
    Military,
    Diplomatic,
    None,
}

/// A hit group of `SentenceMatch.hits` ("label:kind"), as a bit of `Match::groups`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(usize)]
enum Group {
    MStrong,
    MMstrong,
    MGstrong,
    MEntity,
    MEvent,
    MMevent,
    MWeak,
    MSupply,
    DStrong,
    DFrame,
    DWframe,
    DWeak,
    /// Any other label and kind: filed, never scored.
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Effect {
    /// `kind == "limit"`: sets `has_limit`.
    Limit,
    /// `kind == "background"`: sets `is_background`.
    Background,
    /// `label == "none"`, another kind: consumes its words only.
    Consume,
    /// A hit of a label.
    Hit(Group),
}

struct Slot {
    /// The trie nodes of its words, sorted.
    exact: Vec<u32>,
    prefixes: Vec<Vec<u8>>,
}

impl Slot {
    fn accepts(&self, token: &Found<'_>) -> bool {
        let exact = token.exact;
        (exact != NO_NODE && self.exact.binary_search(&exact).is_ok())
            || self.prefixes.iter().any(|p| token.text.starts_with(p))
    }
}

struct Cue {
    label: Label,
    effect: Effect,
    weight: f64,
    rest: Vec<Slot>,
}

/// What an exact word is besides the first word of cues.
#[derive(Clone, Copy, Default)]
struct WordFacts {
    domain: Option<u8>,
    geo: bool,
    state: bool,
    old_year: bool,
}

impl WordFacts {
    fn is_scanned(&self) -> bool {
        self.domain.is_some() || self.geo || self.state || self.old_year
    }
}

#[derive(Default)]
struct Node {
    /// While the trie is built; then in `Trie`.
    children: Vec<(u8, u32)>,
    /// Cues whose first slot holds this exact word, in `Lexicon.by_token` order.
    exact: Vec<u32>,
    /// Cues whose first slot holds this prefix, in `Lexicon.by_prefix` order.
    prefix: Vec<u32>,
    facts: WordFacts,
}

/// The trie's edges, laid out for the walk: a node's child bytes side by side (`bytes`,
/// `next`), and the root's children in a table by byte.
#[derive(Default)]
struct Trie {
    heads: Vec<Head>,
    bytes: Vec<u8>,
    next: Vec<u32>,
    /// Children by byte of the nodes with more than `WIDE` children, 256 entries each.
    tables: Vec<u32>,
}

/// Where a node's children are, and whether it heads cues by prefix.
#[derive(Clone, Copy)]
struct Head {
    /// Where its children start in `bytes`, or its table's start in `tables`.
    start: u32,
    count: u16,
    in_table: bool,
    heads_prefix: bool,
}

/// Nodes with more children than this (the root among them) find them in a table.
const WIDE: usize = 8;

impl Trie {
    fn new(nodes: &[Node]) -> Self {
        let mut trie = Trie::default();
        for node in nodes {
            let mut children = node.children.clone();
            children.sort_unstable();
            let heads_prefix = !node.prefix.is_empty();
            let in_table = children.len() > WIDE;
            let start = if in_table {
                trie.tables.len()
            } else {
                trie.bytes.len()
            };
            trie.heads.push(Head {
                start: start as u32,
                count: children.len() as u16,
                in_table,
                heads_prefix,
            });
            if in_table {
                trie.tables.extend(std::iter::repeat_n(NO_NODE, 256));
                for (byte, next) in children {
                    trie.tables[start + byte as usize] = next;
                }
                continue;
            }
            for (byte, next) in children {
                trie.bytes.push(byte);
                trie.next.push(next);
            }
        }
        trie
    }

    fn child(&self, at: usize, byte: u8) -> u32 {
        let head = self.heads[at];
        let start = head.start as usize;
        if head.in_table {
            return self.tables[start + byte as usize];
        }
        let bytes = &self.bytes[start..start + head.count as usize];
        bytes
            .iter()
            .position(|&known| known == byte)
            .map_or(NO_NODE, |k| self.next[start + k])
    }

    fn heads_prefix(&self, at: usize) -> bool {
        self.heads[at].heads_prefix
    }
}

/// At most this many first-slot prefixes may be prefixes of one another ("destroy~",
/// "destroyer~"): `Found` holds that many, the constructor refuses a lexicon with more.
const MAX_NESTED_PREFIXES: usize = 4;

/// A token of the scan string and what its word is in the lexicon.
#[derive(Clone, Copy)]
struct Found<'a> {
    text: &'a [u8],
    /// Where it starts in the scan string.
    start: u32,
    /// Its word's own trie node (`Word::exact`), which later slots look at.
    exact: u32,
    /// Its word in the `WordCache`.
    word: u32,
    /// `Word::is_inert` of its word.
    inert: bool,
}

/// What a word is in the lexicon: its trie nodes (its own node, if any, and the prefixes
/// along it that head cues, i.e. `Matcher._find_candidates` unranked: exact cues, then
/// prefixes shortest first), its role on its own, and how many slots its cues have.
/// 32 bytes, aligned: one cache line holds a word whole.
#[derive(Clone, Copy)]
#[repr(align(32))]
struct Word {
    /// The word's own node (the same node for the same word), or NO_NODE.
    exact: u32,
    /// Prefix nodes, each with its depth in the top byte (`PREFIX_DEPTH_SHIFT`).
    prefixes: [u32; MAX_NESTED_PREFIXES],
    /// Its role on its own (`matching._Role`): its best one-word cue's index, or `NO_CUE`,
    /// and its facts.
    cue: u32,
    facts: WordFacts,
    prefix_count: u8,
    /// The most later slots of its candidate cues (0: none has later slots).
    most_slots: u8,
    /// Whether a one-word cue is among its candidates.
    one_word: bool,
}

const _: () = assert!(std::mem::size_of::<Word>() == 32);

/// Where a prefix node's depth sits in `Word::prefixes`; nodes stay below `1 << 24`.
const PREFIX_DEPTH_SHIFT: u32 = 24;

impl Word {
    /// Its prefix nodes and their depths (prefix lengths).
    fn prefix_nodes(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        self.prefixes[..usize::from(self.prefix_count)]
            .iter()
            .map(|&packed| {
                let node = packed & ((1 << PREFIX_DEPTH_SHIFT) - 1);
                (node, (packed >> PREFIX_DEPTH_SHIFT) as u8)
            })
    }

    /// Whether the scan passes over it: no cue starts with it and it is no context word.
    fn is_inert(&self) -> bool {
        !self.one_word && self.most_slots == 0 && !self.facts.is_scanned()
    }
}

/// The `Word` of each token seen, so that each distinct word walks the trie once: a hash
/// table (open addressing) whose entries hold what the scan reads of every token (its key,
/// word number, own trie node and whether it is inert), so a token costs one probe into one
/// compact table; the rest of a word (`Word`) and its bytes lie apart, read for the few
/// words that do something and for long words' key checks.
#[derive(Default)]
struct WordCache {
    /// A power of two long, at most half full.
    table: Vec<Entry>,
    /// By word number.
    words: Vec<Word>,
    /// By word number: where its bytes are in `bytes` (start, length).
    spans: Vec<(u32, u32)>,
    bytes: Vec<u8>,
}

/// A table entry: 16 bytes, four to a cache line.
#[derive(Clone, Copy, Default)]
struct Entry {
    key: u64,
    /// `Word::exact` of the word.
    exact: u32,
    /// Word number + 1 (0: empty entry), `INERT` set if the word is inert.
    number: u32,
}

/// The bit of `Entry::number` saying the word is inert (word numbers stay below it).
const INERT: u32 = 1 << 31;

impl Entry {
    fn is_empty(self) -> bool {
        self.number == 0
    }

    fn word(self) -> u32 {
        (self.number & !INERT) - 1
    }

    fn is_inert(self) -> bool {
        self.number & INERT != 0
    }
}

/// Words kept before the cache starts again (news brings new words without end).
const WORD_CACHE_LIMIT: usize = 1 << 16;
/// Bytes of cached words kept before the cache starts again.
const WORD_CACHE_BYTES: usize = 1 << 22;

impl WordCache {
    /// A word of up to 7 bytes is its own key (bytes, length in the top byte); a longer one
    /// is keyed by a hash and checked against its bytes.
    fn key(token: &[u8]) -> u64 {
        let len = token.len();
        if len < 8 {
            let bytes = token
                .iter()
                .rev()
                .fold(0, |key, &byte| (key << 8) | u64::from(byte));
            return bytes | ((len as u64) << 56);
        }
        let mut hasher = FxHasher::with_state(len as u64);
        for chunk in token.chunks_exact(8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            hasher.add(u64::from_le_bytes(word));
        }
        // The last 8 bytes (overlapping the chunks if the length is no multiple of 8).
        let mut word = [0u8; 8];
        word.copy_from_slice(&token[len - 8..]);
        hasher.add(u64::from_le_bytes(word));
        // The top bit set keeps a long word's key apart from every short word's key (whose
        // top byte is its length, below 8): a short word is never checked on its bytes.
        hasher.finish() | (1 << 63)
    }

    /// `key(&scan[start..end])`, a short word read as one 8-byte load where the scan
    /// string has 8 bytes from its start.
    fn key_at(scan: &[u8], start: usize, end: usize) -> u64 {
        let len = end - start;
        if let (true, Some(bytes)) = (len < 8, scan.get(start..start + 8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(bytes);
            let mask = (1u64 << (8 * len)) - 1;
            return (u64::from_le_bytes(word) & mask) | ((len as u64) << 56);
        }
        Self::key(&scan[start..end])
    }

    fn slot(&self, key: u64) -> usize {
        // The high bits of a multiplicative hash: well mixed for keys that differ in a byte.
        let mixed = key.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (mixed >> 32) as usize & (self.table.len() - 1)
    }

    fn get(&self, token: &[u8], key: u64) -> Option<Entry> {
        if self.table.is_empty() {
            return None;
        }
        let mask = self.table.len() - 1;
        let mut at = self.slot(key);
        loop {
            let entry = self.table[at];
            if entry.is_empty() {
                return None;
            }
            // A short word's key is the word itself; a long one's is checked on its bytes.
            if entry.key == key && (token.len() < 8 || self.same_bytes(entry.word(), token)) {
                return Some(entry);
            }
            at = (at + 1) & mask;
        }
    }

    fn same_bytes(&self, number: u32, token: &[u8]) -> bool {
        let (start, len) = self.spans[number as usize];
        len as usize == token.len() && self.bytes[start as usize..][..token.len()] == *token
    }

    fn insert(&mut self, token: &[u8], key: u64, word: Word) -> Entry {
        if 2 * (self.words.len() + 1) > self.table.len() {
            self.grow();
        }
        let number = self.words.len() as u32;
        let inert = if word.is_inert() { INERT } else { 0 };
        let entry = Entry {
            key,
            exact: word.exact,
            number: (number + 1) | inert,
        };
        self.words.push(word);
        self.spans
            .push((self.bytes.len() as u32, token.len() as u32));
        self.bytes.extend_from_slice(token);
        self.place(entry);
        entry
    }

    fn place(&mut self, entry: Entry) {
        let mask = self.table.len() - 1;
        let mut at = self.slot(entry.key);
        while !self.table[at].is_empty() {
            at = (at + 1) & mask;
        }
        self.table[at] = entry;
    }

    fn grow(&mut self) {
        let size = (self.table.len() * 2).max(1024);
        let old = std::mem::replace(&mut self.table, vec![Entry::default(); size]);
        for entry in old {
            if !entry.is_empty() {
                self.place(entry);
            }
        }
    }

    /// Starts again if full; word numbers handed out before are then void, so this is only
    /// called between articles.
    fn make_room(&mut self) {
        if self.words.len() >= WORD_CACHE_LIMIT || self.bytes.len() >= WORD_CACHE_BYTES {
            self.table.fill(Entry::default());
            self.words.clear();
            self.spans.clear();
            self.bytes.clear();
        }
    }

    fn word(&self, number: u32) -> &Word {
        &self.words[number as usize]
    }
}

/// A hit of a sentence: its cue, group and matched words (a slice of the scan string unless
/// the words of a phrase stood apart by several spaces).
struct Hit<'a> {
    cue: u32,
    group: Group,
    text: Cow<'a, [u8]>,
}

/// `SentenceMatch`: the sentence's hits are `hits[start..end]` of the article's hits.
#[derive(Default, Clone)]
struct Match {
    start: usize,
    end: usize,
    /// Bit per group that has a hit.
    groups: u16,
    military: bool,
    diplomatic: bool,
    /// Bit per domain (index into the domain names).
    domains: u32,
    has_limit: bool,
    has_geo: bool,
    has_state: bool,
    is_historical: bool,
    is_background: bool,
}

impl Match {
    fn has(&self, group: Group) -> bool {
        self.groups & (1 << group as usize) != 0
    }
}

/// A sentence's match and its hits, for scoring.
#[derive(Clone, Copy)]
struct Sentence<'m, 'a> {
    m: &'m Match,
    hits: &'m [Hit<'a>],
}

impl<'m> Sentence<'m, '_> {
    /// The hits of one group, in the order found (`SentenceMatch.hits[key]`).
    fn of(self, group: Group) -> impl Iterator<Item = &'m Hit<'m>> + 'm {
        let hits: &'m [Hit<'m>] = self.hits;
        hits.iter().filter(move |hit| hit.group == group)
    }
}

/// The scoring constants of `scoring` (passed from Python).
#[derive(Clone, Copy, Debug, FromPyObject)]
#[pyo3(from_item_all)]
struct Weights {
    framed_entity_damping: f64,
    context_entity_boost: f64,
    entity_weight_cap: f64,
    background_damping: f64,
    off_domain_diplomatic_damping: f64,
}

/// `LabelScore` before rounding: `1 - prod(1 - w)` of the fired cues, the factor it is
/// multiplied by, and the cue texts (strongest first, then by text).
#[derive(Clone, PartialEq, Debug)]
struct RawScore<T> {
    value: f64,
    factor: f64,
    cues: Vec<T>,
}

impl RawScore<&[u8]> {
    fn to_owned(&self) -> RawScore<Vec<u8>> {
        RawScore {
            value: self.value,
            factor: self.factor,
            cues: self.cues.iter().map(|cue| cue.to_vec()).collect(),
        }
    }
}

/// The military and diplomatic scores of a sentence (None: no cue fired).
type Outcome<T> = (Option<RawScore<T>>, Option<RawScore<T>>);

/// Outcomes numbered in order of first appearance.
#[derive(Default)]
struct OutcomeTable {
    ids: FxMap<Vec<u8>, u32>,
    outcomes: Vec<Outcome<Vec<u8>>>,
    generation: u64,
    /// Outcomes kept before the table starts again (`__init__._OUTCOME_CACHE_LIMIT`).
    limit: usize,
    /// The key being looked up (kept to reuse its memory).
    key: Vec<u8>,
    /// The number of the outcome with no score, once it has one in this generation (most
    /// sentences have it: they skip building and hashing a key).
    nothing: Option<u32>,
}

impl OutcomeTable {
    /// Starts a new generation if `count` new outcomes might not fit: the numbers handed
    /// out for one call all belong to the generation it returns.
    fn make_room(&mut self, count: usize) {
        if self.outcomes.len() + count > self.limit {
            self.ids.clear();
            self.outcomes.clear();
            self.nothing = None;
            self.generation += 1;
        }
    }

    fn id(&mut self, outcome: Outcome<&[u8]>) -> u32 {
        let nothing = outcome.0.is_none() && outcome.1.is_none();
        if let (true, Some(id)) = (nothing, self.nothing) {
            return id;
        }
        let id = self.id_by_key(outcome);
        if nothing {
            self.nothing = Some(id);
        }
        id
    }

    fn id_by_key(&mut self, outcome: Outcome<&[u8]>) -> u32 {
        let key = &mut self.key;
        key.clear();
        for score in [&outcome.0, &outcome.1] {
            match score {
                None => key.push(0),
                Some(score) => {
                    key.push(1);
                    key.extend_from_slice(&score.value.to_bits().to_le_bytes());
                    key.extend_from_slice(&score.factor.to_bits().to_le_bytes());
                    key.extend_from_slice(&(score.cues.len() as u64).to_le_bytes());
                    for cue in &score.cues {
                        key.extend_from_slice(&(cue.len() as u64).to_le_bytes());
                        key.extend_from_slice(cue);
                    }
                }
            }
        }
        if let Some(&id) = self.ids.get(key.as_slice()) {
            return id;
        }
        let key = key.clone();
        let id = self.outcomes.len() as u32;
        let owned = |score: &Option<RawScore<&[u8]>>| score.as_ref().map(RawScore::to_owned);
        self.outcomes.push((owned(&outcome.0), owned(&outcome.1)));
        self.ids.insert(key, id);
        id
    }
}

/// The classify stage in the compiled core: cue lexicon, term sets and scoring constants
/// from Python (`lexicon.load_lexicon`, `scoring`), outcomes numbered for Python to cache.
#[pyclass(module = "workers._native")]
pub struct Classifier {
    text_rules: TextRules,
    cues: Vec<Cue>,
    nodes: Vec<Node>,
    trie: Trie,
    domain_background: u32,
    domain_off_diplomatic: u32,
    weights: Weights,
    table: OutcomeTable,
    words: WordCache,
    /// The Python objects of the outcomes of the table's generation.
    published: PublishedOutcomes,
    labels: LabelNames,
    /// `scoring.rounded_score`: an outcome's published score from its value and factor.
    rounded_score: Py<PyAny>,
    /// `scoring.SENTENCE_THRESHOLD`: the score from which a sentence carries a label.
    sentence_threshold: f64,
}

/// How `scanning.scan_string` turns sentence texts into the scan string (from `scanning`).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct TextRules {
    /// `lexicon.TO_SPACE`: punctuation to spaces (applied to ASCII, "?" for the rest).
    to_space: [u8; 256],
    /// `scanning._LOWER_AND_SPACE`: lower case, whitespace to spaces.
    lower_and_space: [u8; 256],
    /// `scanning._COUNTRY_NAMES`: (name, word), replaced in order where the name occurs.
    country_names: Vec<(Vec<u8>, Vec<u8>)>,
    /// Joins the texts: `" " + scanning.SENTENCE_MARK + " "`.
    separator: String,
}

impl TextRules {
    fn check(&self) -> PyResult<()> {
        if self.country_names.iter().any(|(name, _)| name.is_empty()) {
            return Err(PyValueError::new_err("empty country name"));
        }
        Ok(())
    }

    /// `ascii_words` of a text, appended.
    fn push_ascii_words(&self, text: &str, out: &mut Vec<u8>) {
        let table = &self.to_space;
        if text.is_ascii() {
            out.extend(text.bytes().map(|byte| table[byte as usize]));
        } else {
            // encode("ascii", "replace"): one "?" per character that is not ASCII, i.e. per
            // UTF-8 lead byte; its continuation bytes (0x80-0xBF) add nothing.
            let replaced = table[b'?' as usize];
            out.extend(text.bytes().filter_map(|byte| match byte {
                0..=0x7f => Some(table[byte as usize]),
                0x80..=0xbf => None,
                _ => Some(replaced),
            }));
        }
    }

    /// `scanning.scan_string(texts)` as bytes.
    fn scan_bytes<S: AsRef<str>>(&self, texts: &[S]) -> Vec<u8> {
        let total: usize = texts.iter().map(|text| text.as_ref().len() + 3).sum();
        let mut joined = Vec::with_capacity(total + 2);
        joined.push(b' ');
        for (at, text) in texts.iter().enumerate() {
            if at > 0 {
                self.push_ascii_words(&self.separator, &mut joined);
            }
            self.push_ascii_words(text.as_ref(), &mut joined);
        }
        joined.push(b' ');
        // Which names occur is decided on the text before any replacement.
        let present = occurring(&joined, &self.country_names);
        for ((name, word), present) in self.country_names.iter().zip(present) {
            if present {
                joined = replace_all(&joined, name, word);
            }
        }
        let lower = &self.lower_and_space;
        for byte in &mut joined {
            *byte = lower[*byte as usize];
        }
        joined
    }
}

/// Whether each name of `names` occurs in `text`: the names are found at their first capital
/// (country names are rare and capitals few), one search for each capital that names share
/// ("U S", "United Nations"), each place checked for every name of that capital; a name
/// without capitals by a substring search.
fn occurring(text: &[u8], names: &[(Vec<u8>, Vec<u8>)]) -> Vec<bool> {
    let anchors: Vec<Option<usize>> = names
        .iter()
        .map(|(name, _)| name.iter().position(u8::is_ascii_uppercase))
        .collect();
    let mut present = vec![false; names.len()];
    let mut searched = vec![false; names.len()];
    for (index, (name, _)) in names.iter().enumerate() {
        if searched[index] {
            continue;
        }
        let Some(offset) = anchors[index] else {
            present[index] = memchr::memmem::find(text, name).is_some();
            continue;
        };
        let capital = name[offset];
        let group: Vec<usize> = (index..names.len())
            .filter(|&other| anchors[other].is_some_and(|at| names[other].0[at] == capital))
            .collect();
        for at in memchr::memchr_iter(capital, text) {
            for &member in &group {
                let (other, _) = &names[member];
                let Some(start) = anchors[member].and_then(|offset| at.checked_sub(offset)) else {
                    continue;
                };
                present[member] |= text[start..].starts_with(other);
            }
        }
        for member in group {
            searched[member] = true;
        }
    }
    present
}

/// `bytes.replace(name, word)`: every occurrence, left to right, not overlapping.
fn replace_all(text: &[u8], name: &[u8], word: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = 0;
    for at in memchr::memmem::find_iter(text, name) {
        out.extend_from_slice(&text[rest..at]);
        out.extend_from_slice(word);
        rest = at + name.len();
    }
    out.extend_from_slice(&text[rest..]);
    out
}

fn parse_label(label: &str) -> PyResult<Label> {
    match label {
        "military" => Ok(Label::Military),
        "diplomatic" => Ok(Label::Diplomatic),
        "none" => Ok(Label::None),
        _ => Err(PyValueError::new_err(format!(
            "unknown cue label {label:?}"
        ))),
    }
}

fn parse_effect(label: Label, kind: &str) -> Effect {
    let group = match (label, kind) {
        (Label::None, "limit") => return Effect::Limit,
        (Label::None, "background") => return Effect::Background,
        (Label::None, _) => return Effect::Consume,
        (Label::Military, "strong") => Group::MStrong,
        (Label::Military, "mstrong") => Group::MMstrong,
        (Label::Military, "gstrong") => Group::MGstrong,
        (Label::Military, "entity") => Group::MEntity,
        (Label::Military, "event") => Group::MEvent,
        (Label::Military, "mevent") => Group::MMevent,
        (Label::Military, "weak") => Group::MWeak,
        (Label::Military, "supply") => Group::MSupply,
        (Label::Diplomatic, "strong") => Group::DStrong,
        (Label::Diplomatic, "frame") => Group::DFrame,
        (Label::Diplomatic, "wframe") => Group::DWframe,
        (Label::Diplomatic, "weak") => Group::DWeak,
        _ => Group::Other,
    };
    Effect::Hit(group)
}

type CueRow = (String, String, f64, Vec<(Vec<String>, Vec<String>)>);

fn domain_bits(names: &[String], chosen: &HashSet<String>) -> u32 {
    names
        .iter()
        .enumerate()
        .filter(|(_, name)| chosen.contains(*name))
        .fold(0, |bits, (at, _)| bits | (1 << at))
}

impl Classifier {
    fn node_for(&mut self, word: &[u8]) -> usize {
        let mut at = 0;
        for &byte in word {
            let found = self.nodes[at].children.iter().find(|(b, _)| *b == byte);
            at = match found {
                Some(&(_, next)) => next as usize,
                None => {
                    let next = self.nodes.len();
                    self.nodes.push(Node::default());
                    self.nodes[at].children.push((byte, next as u32));
                    next
                }
            };
        }
        at
    }

    /// The most nodes heading cues by prefix on one path from the root.
    fn max_nested_prefixes(&self) -> usize {
        let mut most = 0;
        let mut stack = vec![(0usize, 0usize)];
        while let Some((at, above)) = stack.pop() {
            let here = above + usize::from(!self.nodes[at].prefix.is_empty());
            most = most.max(here);
            stack.extend(
                self.nodes[at]
                    .children
                    .iter()
                    .map(|&(_, next)| (next as usize, here)),
            );
        }
        most
    }

    /// The trie nodes of `Matcher._find_candidates(token)`.
    fn walk(&self, token: &[u8]) -> Word {
        let mut word = Word {
            exact: NO_NODE,
            prefixes: [0; MAX_NESTED_PREFIXES],
            prefix_count: 0,
            cue: NO_CUE,
            facts: WordFacts::default(),
            most_slots: 0,
            one_word: false,
        };
        let mut at = 0;
        for (depth, &byte) in token.iter().enumerate() {
            let next = self.trie.child(at, byte);
            if next == NO_NODE {
                return word;
            }
            at = next as usize;
            // A prefix as long as the token is still a prefix of it.
            if self.trie.heads_prefix(at) && usize::from(word.prefix_count) < MAX_NESTED_PREFIXES {
                // The constructor keeps nodes below 1 << 24 and prefixes up to 255 bytes long.
                word.prefixes[usize::from(word.prefix_count)] =
                    next | (((depth + 1) as u32) << PREFIX_DEPTH_SHIFT);
                word.prefix_count += 1;
            }
        }
        word.exact = at as u32;
        word
    }

    /// The `Word` of a token: its trie nodes, role and slot summary.
    fn learn(&self, token: &[u8]) -> Word {
        let mut word = self.walk(token);
        let mut most_slots = 0;
        let mut one_word = false;
        self.each_candidate_of(&word, token.len(), |index, _| {
            let slots = self.cues[index as usize].rest.len();
            most_slots = most_slots.max(slots);
            one_word |= slots == 0;
        });
        word.cue = self.best_cue_of(&word, token.len(), &[]).unwrap_or(NO_CUE);
        word.facts = self.facts(word.exact);
        // The constructor refuses cues of more than `u8::MAX` later slots.
        word.most_slots = most_slots as u8;
        word.one_word = one_word;
        word
    }

    /// The token at `start` of the scan string, its word learnt once per distinct word.
    fn find<'a>(&mut self, scan: &'a [u8], start: usize, end: usize) -> Found<'a> {
        let token = &scan[start..end];
        let key = WordCache::key_at(scan, start, end);
        let entry = match self.words.get(token, key) {
            Some(entry) => entry,
            None => {
                let word = self.learn(token);
                self.words.insert(token, key, word)
            }
        };
        Found {
            text: token,
            start: start as u32,
            exact: entry.exact,
            word: entry.word(),
            inert: entry.is_inert(),
        }
    }

    fn word(&self, found: &Found<'_>) -> &Word {
        self.words.word(found.word)
    }

    /// Calls `each(cue, length)` for the candidates of `found`, in `_find_candidates` input
    /// order; `length` is what it ranks them by (a whole word counts one more than its length).
    fn each_candidate(&self, found: &Found<'_>, each: impl FnMut(u32, usize)) {
        self.each_candidate_of(self.word(found), found.text.len(), each);
    }

    fn each_candidate_of(&self, word: &Word, len: usize, mut each: impl FnMut(u32, usize)) {
        if word.exact != NO_NODE {
            for &cue in &self.nodes[word.exact as usize].exact {
                each(cue, len + 1);
            }
        }
        for (at, depth) in word.prefix_nodes() {
            for &cue in &self.nodes[at as usize].prefix {
                each(cue, depth as usize);
            }
        }
    }

    fn facts(&self, exact: u32) -> WordFacts {
        match exact {
            NO_NODE => WordFacts::default(),
            at => self.nodes[at as usize].facts,
        }
    }

    /// Whether the later slots of a cue accept the tokens after the first.
    fn accepts_rest(&self, cue: &Cue, later: &[Found<'_>]) -> bool {
        cue.rest.len() <= later.len()
            && cue
                .rest
                .iter()
                .zip(later)
                .all(|(slot, token)| slot.accepts(token))
    }

    /// The first cue of `Matcher._find_candidates` order among those with `slots` later
    /// slots that accept `later`: label "none" first, then the longest first-slot match,
    /// then lexicon order (a stable sort).
    fn best_cue(&self, found: &Found<'_>, later: &[Found<'_>]) -> Option<u32> {
        self.best_cue_of(self.word(found), found.text.len(), later)
    }

    fn best_cue_of(&self, word: &Word, len: usize, later: &[Found<'_>]) -> Option<u32> {
        let mut best: Option<(u32, (bool, usize))> = None;
        self.each_candidate_of(word, len, |index, length| {
            let cue = &self.cues[index as usize];
            if cue.rest.len() != later.len() || !self.accepts_rest(cue, later) {
                return;
            }
            let rank = (cue.label == Label::None, length);
            if best.is_none_or(|(_, known)| rank > known) {
                best = Some((index, rank));
            }
        });
        best.map(|(index, _)| index)
    }
}

/// `Word::cue` of a word without a one-word cue.
const NO_CUE: u32 = u32::MAX;

impl Word {
    fn cue(&self) -> Option<u32> {
        (self.cue != NO_CUE).then_some(self.cue)
    }
}

/// One item of a sentence's key: the tokens of a cue phrase, or a word with a role.
enum Item<'t, 'a> {
    /// A phrase and its cue (`Matcher._phrase_cue`).
    Phrase(&'t [Found<'a>], u32),
    Word(&'t Found<'a>),
}

impl Classifier {
    /// The tokens of a scan string (split at spaces only), each with its word.
    fn tokens<'a>(&mut self, scan: &'a [u8]) -> Vec<Found<'a>> {
        self.words.make_room();
        let mut tokens = Vec::with_capacity(scan.len() / 4);
        let mut start = 0;
        for (at, &byte) in scan.iter().enumerate() {
            if byte == b' ' {
                if at > start {
                    tokens.push(self.find(scan, start, at));
                }
                start = at + 1;
            }
        }
        if start < scan.len() {
            tokens.push(self.find(scan, start, scan.len()));
        }
        tokens
    }

    /// The items of `sentence_keys`, found on tokens: at each token, the cue phrase with the
    /// most slots that matches there (its tokens are then skipped), else a one-word cue or a
    /// context word. Appends the items of all sentences to `items` and where each sentence's
    /// items end to `ends` (sentences split at mark tokens).
    fn scan<'t, 'a>(
        &self,
        tokens: &'t [Found<'a>],
        items: &mut Vec<Item<'t, 'a>>,
        ends: &mut Vec<usize>,
    ) {
        let mut at = 0;
        while at < tokens.len() {
            let found = &tokens[at];
            let token = found.text;
            if token[0] == SENTENCE_MARK_BYTE {
                // The mark outranks every cue; the rest of its token is never scanned.
                ends.push(items.len());
                at += 1;
                continue;
            }
            if found.inert {
                at += 1;
                continue;
            }
            let word = self.word(found);
            // One-word cues always match: only cues with later slots need the next tokens.
            let mut longest = word.one_word.then_some(0);
            if word.most_slots > 0 {
                let later = &tokens[at + 1..];
                self.each_candidate(found, |index, _| {
                    let cue = &self.cues[index as usize];
                    if cue.rest.is_empty() || longest.is_some_and(|known| known >= cue.rest.len()) {
                        return;
                    }
                    if self.accepts_rest(cue, later) {
                        longest = Some(cue.rest.len());
                    }
                });
            }
            match longest {
                // A one-word cue, or a context word.
                Some(0) => items.push(Item::Word(found)),
                None if word.facts.is_scanned() => items.push(Item::Word(found)),
                None => {}
                Some(slots) => {
                    let words = &tokens[at..=at + slots];
                    // Always found: a cue of that many slots accepted these words.
                    if let Some(cue) = self.best_cue(found, &words[1..]) {
                        items.push(Item::Phrase(words, cue));
                        at += words.len();
                        continue;
                    }
                }
            }
            at += 1;
        }
        ends.push(items.len());
    }

    /// `Matcher.match_key` of one sentence's items; its hits are appended to `hits`.
    fn match_items<'t, 'a>(
        &self,
        scan: &'a [u8],
        items: &[Item<'t, 'a>],
        work: &mut MatchWork<'t, 'a>,
        hits: &mut Vec<Hit<'a>>,
    ) -> Match {
        let mut result = Match {
            start: hits.len(),
            ..Match::default()
        };
        work.clear();
        for item in items {
            let (tokens, index) = match *item {
                Item::Word(found) => {
                    work.words.push(found);
                    continue;
                }
                Item::Phrase(tokens, index) => (tokens, index),
            };
            let cue = &self.cues[index as usize];
            match cue.effect {
                Effect::Limit => result.has_limit = true,
                Effect::Background => result.is_background = true,
                Effect::Consume => {}
                Effect::Hit(group) => {
                    let text = phrase_text(scan, tokens);
                    self.add(&mut result, hits, index, group, text);
                }
            }
            work.consumed.extend(tokens);
            if cue.label == Label::Diplomatic {
                work.named.extend(tokens.iter().map(|token| token.word));
            }
        }
        // The same word is the same cache number: sets of words are sets of numbers.
        work.words.sort_unstable_by_key(|found| found.word);
        work.words.dedup_by_key(|found| found.word);
        work.consumed.sort_unstable_by_key(|found| found.word);
        work.consumed.dedup_by_key(|found| found.word);
        work.named.sort_unstable();
        work.named.dedup();
        for found in &work.words {
            let Some(index) = self.word(found).cue() else {
                continue;
            };
            if let Effect::Hit(group) = self.cues[index as usize].effect {
                if !work.is_consumed(found.word) {
                    work.word_hits.push((found.text, index, group));
                }
            }
        }
        // `match_key` adds the words' hits in text order.
        work.word_hits.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for &(text, index, group) in &work.word_hits {
            self.add(&mut result, hits, index, group, Cow::Borrowed(text));
        }
        // The roles of all words, the consumed ones included (their domain excepted).
        for found in &work.words {
            self.note_context(&mut result, found, work);
        }
        for found in &work.consumed {
            if work
                .words
                .binary_search_by_key(&found.word, |known| known.word)
                .is_err()
            {
                self.note_context(&mut result, found, work);
            }
        }
        result.end = hits.len();
        result
    }

    /// `Matcher._note_context` for one word.
    fn note_context(&self, result: &mut Match, found: &Found<'_>, work: &MatchWork<'_, '_>) {
        let word = self.word(found);
        let facts = word.facts;
        if word
            .cue()
            .is_some_and(|index| self.cues[index as usize].effect == Effect::Limit)
        {
            result.has_limit = true;
        }
        if let Some(domain) = facts.domain {
            if !work.is_consumed(found.word) {
                result.domains |= 1 << domain;
            }
        }
        if facts.geo && work.named.binary_search(&found.word).is_err() {
            result.has_geo = true;
        }
        result.has_state |= facts.state;
        result.is_historical |= facts.old_year;
    }

    fn add<'a>(
        &self,
        result: &mut Match,
        hits: &mut Vec<Hit<'a>>,
        cue: u32,
        group: Group,
        text: Cow<'a, [u8]>,
    ) {
        match self.cues[cue as usize].label {
            Label::Military => result.military = true,
            Label::Diplomatic => result.diplomatic = true,
            Label::None => {}
        }
        result.groups |= 1 << group as usize;
        hits.push(Hit { cue, group, text });
    }

    fn weight(&self, hit: &Hit<'_>) -> f64 {
        self.cues[hit.cue as usize].weight
    }

    /// `scoring.score_military`.
    fn score_military<'m>(&self, s: Sentence<'m, '_>, at_war: bool) -> Option<RawScore<&'m [u8]>> {
        let m = s.m;
        if !m.military {
            return None;
        }
        let weighted = |hit: &'m Hit<'m>| (self.weight(hit), hit.text.as_ref());
        // The strong hits first: they fire whatever the context.
        // Room for every hit: growing the list costs more than the few bytes spared.
        let mut fired: Vec<(f64, &'m [u8])> = Vec::with_capacity(s.hits.len());
        fired.extend(s.of(Group::MStrong).map(weighted));
        if m.domains == 0 {
            fired.extend(s.of(Group::MGstrong).map(weighted));
        }
        if m.is_background {
            return raw_score(&fired, 1.0);
        }
        if m.has(Group::MMstrong) && corroborated(m, at_war) {
            fired.extend(s.of(Group::MMstrong).map(weighted));
        }
        let with_entities = (m.domains == 0 || !fired.is_empty()) && m.has(Group::MEntity);
        if with_entities && !m.has_limit {
            fired.extend(s.of(Group::MSupply).take(1).map(weighted));
        }
        let strong = !fired.is_empty();
        let events = m.has(Group::MEvent) || m.has(Group::MMevent);
        let framed = !strong && !events && (m.has(Group::DFrame) || m.has(Group::DWframe));
        let in_context = at_war && m.domains == 0;
        if strong || (with_entities && !framed) || in_context {
            fired.extend(s.of(Group::MEvent).map(weighted));
            fired.extend(s.of(Group::MMevent).map(weighted));
            fired.extend(s.of(Group::MWeak).map(weighted));
        }
        let w = &self.weights;
        let entity_factor = if framed {
            w.framed_entity_damping
        } else if in_context {
            w.context_entity_boost
        } else {
            1.0
        };
        if with_entities {
            fired.extend(s.of(Group::MEntity).map(|hit| {
                let weight = (self.weight(hit) * entity_factor).min(w.entity_weight_cap);
                (weight, hit.text.as_ref())
            }));
        }
        let background = m.is_historical || m.domains & self.domain_background != 0;
        raw_score(
            &fired,
            if background {
                w.background_damping
            } else {
                1.0
            },
        )
    }

    /// `scoring.score_diplomatic`.
    fn score_diplomatic<'m>(&self, s: Sentence<'m, '_>) -> Option<RawScore<&'m [u8]>> {
        let m = s.m;
        if !m.diplomatic {
            return None;
        }
        let weighted = |hit: &'m Hit<'m>| (self.weight(hit), hit.text.as_ref());
        let mut fired: Vec<(f64, &'m [u8])> = Vec::with_capacity(s.hits.len());
        fired.extend(s.of(Group::DStrong).map(weighted));
        fired.extend(s.of(Group::DFrame).map(weighted));
        let strong = m.has(Group::DStrong) || m.has(Group::DFrame);
        let action = [
            Group::MStrong,
            Group::MMstrong,
            Group::MGstrong,
            Group::MEvent,
            Group::MMevent,
        ];
        let about_arms = m.has(Group::MEntity) && !action.iter().any(|&group| m.has(group));
        let actor = (m.has_state || m.has_geo || about_arms) && m.domains == 0;
        let frames = m.has(Group::DWframe);
        let combat_actor = actor && (m.has_state || frames || !m.has(Group::MStrong));
        if strong || actor {
            fired.extend(s.of(Group::DWframe).map(weighted));
        }
        if strong || combat_actor {
            fired.extend(s.of(Group::DWeak).map(weighted));
        }
        let off_domain = !(m.has_state || m.has_geo || m.has(Group::DFrame))
            && m.domains & self.domain_off_diplomatic != 0;
        let factor = if off_domain {
            self.weights.off_domain_diplomatic_damping
        } else {
            1.0
        };
        raw_score(&fired, factor)
    }
}

/// `scoring._corroborated`.
fn corroborated(m: &Match, at_war: bool) -> bool {
    if at_war && m.domains == 0 {
        return true;
    }
    [
        Group::MStrong,
        Group::MGstrong,
        Group::MEntity,
        Group::MEvent,
    ]
    .iter()
    .any(|&group| m.has(group))
}

/// `scoring._label_score` before its rounding.
fn raw_score<'m>(fired: &[(f64, &'m [u8])], factor: f64) -> Option<RawScore<&'m [u8]>> {
    if fired.is_empty() {
        return None;
    }
    let mut miss = 1.0;
    let mut strongest: Vec<(f64, &[u8])> = Vec::with_capacity(fired.len());
    for &(weight, text) in fired {
        miss *= 1.0 - weight;
        if weight > 0.0 {
            match strongest.iter_mut().find(|(_, known)| *known == text) {
                Some(entry) => entry.0 = entry.0.max(weight),
                None => strongest.push((weight, text)),
            }
        }
    }
    strongest.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    Some(RawScore {
        value: 1.0 - miss,
        factor,
        cues: strongest.into_iter().map(|(_, text)| text).collect(),
    })
}

impl Classifier {
    /// The matches of the sentences of a scan string, and all their hits.
    fn matches<'a>(&mut self, scan: &'a [u8]) -> (Vec<Match>, Vec<Hit<'a>>) {
        let tokens = self.tokens(scan);
        // At most one item per token, a sentence ends at a mark token.
        let mut items = Vec::with_capacity(tokens.len());
        let mut ends = Vec::with_capacity(tokens.len() + 1);
        self.scan(&tokens, &mut items, &mut ends);
        let mut work = MatchWork::with_capacity(tokens.len());
        let mut hits = Vec::with_capacity(items.len());
        let mut start = 0;
        let mut matches = Vec::with_capacity(ends.len());
        for end in ends {
            matches.push(self.match_items(scan, &items[start..end], &mut work, &mut hits));
            start = end;
        }
        (matches, hits)
    }

    /// `OutcomeTable::make_room`, forgetting the published outcomes with the old generation.
    fn make_room(&mut self, count: usize) {
        let generation = self.table.generation;
        self.table.make_room(count);
        if self.table.generation != generation {
            self.published.clear();
        }
    }

    fn article_of_scan(&mut self, scan: &[u8]) -> Ids {
        let (matches, hits) = self.matches(scan);
        let at_war = matches.iter().any(|m| m.has(Group::MStrong));
        self.make_room(matches.len());
        let mut ids = Vec::with_capacity(matches.len());
        for m in &matches {
            let sentence = Sentence {
                m,
                hits: &hits[m.start..m.end],
            };
            let outcome = (
                self.score_military(sentence, at_war),
                self.score_diplomatic(sentence),
            );
            ids.push(self.table.id(outcome));
        }
        (self.table.generation, ids)
    }
}

/// The words of a phrase joined by single spaces, as a slice of the scan string if they are.
fn phrase_text<'a>(scan: &'a [u8], tokens: &[Found<'a>]) -> Cow<'a, [u8]> {
    let spaced = tokens
        .windows(2)
        .all(|pair| pair[1].start as usize == pair[0].start as usize + pair[0].text.len() + 1);
    match (tokens.first(), tokens.last()) {
        (Some(first), Some(last)) if spaced => {
            Cow::Borrowed(&scan[first.start as usize..last.start as usize + last.text.len()])
        }
        _ => {
            let words: Vec<&[u8]> = tokens.iter().map(|token| token.text).collect();
            Cow::Owned(words.join(&b' '))
        }
    }
}

/// Working lists of `match_items`, kept from sentence to sentence of an article.
struct MatchWork<'t, 'a> {
    /// Tokens of cue phrases, then sorted by word (one per word).
    consumed: Vec<&'t Found<'a>>,
    /// The words of diplomatic phrases, sorted.
    named: Vec<u32>,
    /// Words found on their own, then sorted (one per word).
    words: Vec<&'t Found<'a>>,
    /// The hits of words on their own: text, cue, group.
    word_hits: Vec<(&'a [u8], u32, Group)>,
}

impl MatchWork<'_, '_> {
    /// Lists that never grow in an article of `tokens` tokens (each holds at most one entry
    /// per token of a sentence).
    fn with_capacity(tokens: usize) -> Self {
        Self {
            consumed: Vec::with_capacity(tokens),
            named: Vec::with_capacity(tokens),
            words: Vec::with_capacity(tokens),
            word_hits: Vec::with_capacity(tokens),
        }
    }

    fn clear(&mut self) {
        self.consumed.clear();
        self.named.clear();
        self.words.clear();
        self.word_hits.clear();
    }

    fn is_consumed(&self, word: u32) -> bool {
        self.consumed
            .binary_search_by_key(&word, |found| found.word)
            .is_ok()
    }
}

type Ids = (u64, Vec<u32>);

/// A published score: its Python float and cue texts.
type PublishedScore<'py> = (Bound<'py, PyAny>, Vec<Bound<'py, PyString>>);

impl Classifier {
    /// Publishes outcome `number` of the current generation from its raw scores, as
    /// `classify._publish` does from `classify._native_outcome`.
    fn publish_outcome(&mut self, py: Python<'_>, number: u32) -> PyResult<()> {
        let Some((military, diplomatic)) = self.table.outcomes.get(number as usize) else {
            return Err(PyValueError::new_err(format!("no outcome {number}")));
        };
        let rounded = self.rounded_score.bind(py);
        // `classify._rounded`: no cue fired is a score of 0.0 without cues.
        let publish = |raw: &Option<RawScore<Vec<u8>>>| -> PyResult<PublishedScore<'_>> {
            let Some(raw) = raw else {
                return Ok((PyFloat::new(py, 0.0).into_any(), Vec::new()));
            };
            let score = rounded.call1((raw.value, raw.factor))?;
            let cues = raw
                .cues
                .iter()
                .map(|cue| PyString::new(py, &String::from_utf8_lossy(cue)))
                .collect();
            Ok((score, cues))
        };
        let (military, military_cues) = publish(military)?;
        let (diplomatic, diplomatic_cues) = publish(diplomatic)?;
        let labels = [
            military.extract::<f64>()? >= self.sentence_threshold,
            diplomatic.extract::<f64>()? >= self.sentence_threshold,
        ];
        self.published.publish_labelled(
            number,
            military,
            diplomatic,
            military_cues,
            diplomatic_cues,
            labels,
        );
        Ok(())
    }
}

#[pymethods]
impl Classifier {
    /// `cues`: (label, kind, weight, later slots as (exact words, prefixes)) of every cue;
    /// `by_token`/`by_prefix`: `Lexicon.by_token`/`by_prefix` as indices into `cues`.
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (*, labels, outcome_limit, text_rules, cues, by_token, by_prefix, geo, state, domain_of, domains, background_domains, off_diplomatic_domains, old_years, weights, rounded_score, sentence_threshold))]
    fn new(
        labels: (Py<PyString>, Py<PyString>),
        outcome_limit: usize,
        text_rules: TextRules,
        cues: Vec<CueRow>,
        by_token: Vec<(String, Vec<u32>)>,
        by_prefix: Vec<(String, Vec<u32>)>,
        geo: Vec<String>,
        state: Vec<String>,
        domain_of: Vec<(String, String)>,
        domains: Vec<String>,
        background_domains: HashSet<String>,
        off_diplomatic_domains: HashSet<String>,
        old_years: Vec<String>,
        weights: Weights,
        rounded_score: Py<PyAny>,
        sentence_threshold: f64,
    ) -> PyResult<Self> {
        if domains.len() > 32 {
            return Err(PyValueError::new_err("at most 32 domains"));
        }
        text_rules.check()?;
        let mut classifier = Self {
            text_rules,
            cues: Vec::with_capacity(cues.len()),
            nodes: vec![Node::default()],
            trie: Trie::default(),
            domain_background: domain_bits(&domains, &background_domains),
            domain_off_diplomatic: domain_bits(&domains, &off_diplomatic_domains),
            weights,
            table: OutcomeTable {
                limit: outcome_limit,
                ..OutcomeTable::default()
            },
            words: WordCache::default(),
            published: PublishedOutcomes::default(),
            labels: LabelNames::new(labels.0, labels.1),
            rounded_score,
            sentence_threshold,
        };
        for (label, kind, weight, rest) in cues {
            let label = parse_label(&label)?;
            let mut slots = Vec::with_capacity(rest.len());
            for (exact, prefixes) in rest {
                let mut nodes: Vec<u32> = exact
                    .iter()
                    .map(|word| classifier.node_for(word.as_bytes()) as u32)
                    .collect();
                nodes.sort_unstable();
                let prefixes = prefixes.into_iter().map(String::into_bytes).collect();
                slots.push(Slot {
                    exact: nodes,
                    prefixes,
                });
            }
            let effect = parse_effect(label, &kind);
            classifier.cues.push(Cue {
                label,
                effect,
                weight,
                rest: slots,
            });
        }
        let count = classifier.cues.len();
        let check = |word: &str, indices: &[u32]| -> PyResult<()> {
            if word.is_empty() || indices.iter().any(|&index| index as usize >= count) {
                return Err(PyValueError::new_err(format!(
                    "bad cue index entry {word:?}"
                )));
            }
            Ok(())
        };
        for (word, indices) in by_token {
            check(&word, &indices)?;
            let at = classifier.node_for(word.as_bytes());
            classifier.nodes[at].exact = indices;
        }
        for (prefix, indices) in by_prefix {
            check(&prefix, &indices)?;
            if prefix.len() > u8::MAX as usize {
                // `Found` keeps a prefix's length in a byte.
                return Err(PyValueError::new_err(format!(
                    "cue prefix too long: {prefix:?}"
                )));
            }
            let at = classifier.node_for(prefix.as_bytes());
            classifier.nodes[at].prefix = indices;
        }
        let mut facts = |words: Vec<String>, set: &dyn Fn(&mut WordFacts)| {
            for word in words {
                let at = classifier.node_for(word.as_bytes());
                set(&mut classifier.nodes[at].facts);
            }
        };
        facts(geo, &|facts| facts.geo = true);
        facts(state, &|facts| facts.state = true);
        facts(old_years, &|facts| facts.old_year = true);
        for (word, domain) in domain_of {
            let Some(index) = domains.iter().position(|name| *name == domain) else {
                return Err(PyValueError::new_err(format!("unknown domain {domain:?}")));
            };
            let at = classifier.node_for(word.as_bytes());
            classifier.nodes[at].facts.domain = Some(index as u8);
        }
        if classifier.nodes.len() >= 1 << PREFIX_DEPTH_SHIFT
            || classifier.cues.len() >= NO_CUE as usize
            || classifier
                .cues
                .iter()
                .any(|cue| cue.rest.len() > u8::MAX as usize)
        {
            return Err(PyValueError::new_err("cue lexicon too large"));
        }
        classifier.trie = Trie::new(&classifier.nodes);
        if classifier.max_nested_prefixes() > MAX_NESTED_PREFIXES {
            return Err(PyValueError::new_err("too many nested cue prefixes"));
        }
        Ok(classifier)
    }

    /// The outcome number of each sentence of an article given its `scan_string`, the
    /// article's context (a strong military cue in any sentence) applied; the numbers hold
    /// while the generation (first) does not change.
    fn article(&mut self, scan: &str) -> Ids {
        self.article_of_scan(scan.as_bytes())
    }

    /// `article(scan_string(texts))`; raises UnicodeEncodeError for a text that UTF-8 cannot
    /// encode (lone surrogates), which `scan_string` handles.
    fn article_texts(&mut self, texts: Vec<PyBackedStr>) -> Ids {
        let scan = self.text_rules.scan_bytes(&texts);
        self.article_of_scan(&scan)
    }

    /// `article_texts` of the texts of `sentences`, and the numbers among them not yet
    /// published (each once).
    fn article_sentences(
        &mut self,
        sentences: &Bound<'_, PyList>,
    ) -> PyResult<(u64, Vec<u32>, Vec<u32>)> {
        let texts = sentence_texts(sentences)?;
        let mut strs = Vec::with_capacity(texts.len());
        for text in &texts {
            strs.push(text.to_str()?);
        }
        let texts = strs;
        let scan = self.text_rules.scan_bytes(&texts);
        let (generation, ids) = self.article_of_scan(&scan);
        let missing = self.published.missing(&ids);
        Ok((generation, ids, missing))
    }

    /// `classify.label_sentences` in one call: the outcome of each sentence (as
    /// `article_sentences`), those not yet published published here (as `classify._publish`
    /// does: scores by `rounded_score`, labels from `sentence_threshold`), then applied (as
    /// `apply`); returns the positions of the sentences labelled military, then diplomatic.
    fn label_sentences(
        &mut self,
        sentences: &Bound<'_, PyList>,
    ) -> PyResult<(Vec<usize>, Vec<usize>)> {
        let (_, ids, missing) = self.article_sentences(sentences)?;
        if ids.len() != sentences.len() {
            return Err(PyValueError::new_err(
                "a sentence text holds the sentence separator \\x01",
            ));
        }
        for number in missing {
            self.publish_outcome(sentences.py(), number)?;
        }
        self.published.apply(&self.labels, sentences, &ids)
    }

    /// The numbers of `ids` not yet published, each once, in order.
    fn unpublished(&self, ids: Vec<u32>) -> Vec<u32> {
        self.published.missing(&ids)
    }

    /// Keeps the Python objects of outcome `number` of the current generation: its rounded
    /// scores, cue texts and labels.
    #[allow(clippy::too_many_arguments)]
    fn publish(
        &mut self,
        number: u32,
        military: Bound<'_, PyAny>,
        diplomatic: Bound<'_, PyAny>,
        military_cues: Vec<Bound<'_, PyString>>,
        diplomatic_cues: Vec<Bound<'_, PyString>>,
        labels: Vec<Bound<'_, PyString>>,
    ) -> PyResult<()> {
        if number as usize >= self.table.outcomes.len() {
            return Err(PyValueError::new_err(format!("no outcome {number}")));
        }
        self.published.publish(
            &self.labels,
            number,
            military,
            diplomatic,
            military_cues,
            diplomatic_cues,
            labels,
        )
    }

    /// Sets `scores`, `cues` and `labels` of every sentence from its published outcome;
    /// returns the positions of the sentences labelled military, then diplomatic.
    fn apply(
        &self,
        sentences: &Bound<'_, PyList>,
        ids: Vec<u32>,
    ) -> PyResult<(Vec<usize>, Vec<usize>)> {
        self.published.apply(&self.labels, sentences, &ids)
    }

    /// `scanning.scan_string(texts)`, for the tests.
    fn scan_string(&self, texts: Vec<PyBackedStr>) -> String {
        String::from_utf8_lossy(&self.text_rules.scan_bytes(&texts)).into_owned()
    }

    /// Per sentence (no article context): whether it has a strong military cue, and its
    /// outcome numbers in a quiet article and in an article about fighting.
    fn sentences(&mut self, scan: &str) -> (u64, Vec<(bool, u32, u32)>) {
        let (matches, hits) = self.matches(scan.as_bytes());
        self.make_room(2 * matches.len());
        let mut found = Vec::with_capacity(matches.len());
        for m in &matches {
            let sentence = Sentence {
                m,
                hits: &hits[m.start..m.end],
            };
            let diplomatic = self.score_diplomatic(sentence);
            let quiet = self
                .table
                .id((self.score_military(sentence, false), diplomatic.clone()));
            let at_war = self
                .table
                .id((self.score_military(sentence, true), diplomatic));
            found.push((m.has(Group::MStrong), quiet, at_war));
        }
        (self.table.generation, found)
    }

    /// An outcome by number: for military, then diplomatic, None (no cue fired) or
    /// (1 - prod(1 - w), factor, cue texts).
    #[allow(clippy::type_complexity)]
    fn outcome(
        &self,
        id: u32,
    ) -> PyResult<(
        Option<(f64, f64, Vec<String>)>,
        Option<(f64, f64, Vec<String>)>,
    )> {
        let Some((military, diplomatic)) = self.table.outcomes.get(id as usize) else {
            return Err(PyValueError::new_err(format!("no outcome {id}")));
        };
        let export = |score: &Option<RawScore<Vec<u8>>>| {
            score.as_ref().map(|score| {
                let cues = score
                    .cues
                    .iter()
                    .map(|cue| String::from_utf8_lossy(cue).into_owned());
                (score.value, score.factor, cues.collect())
            })
        };
        Ok((export(military), export(diplomatic)))
    }
}
