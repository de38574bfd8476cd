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

use std::collections::HashSet;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

use crate::hashing::FxMap;

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

/// A hit group of `SentenceMatch.hits` ("label:kind"), as an index into `Match::groups`.
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
const GROUPS: usize = 13;

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
        (token.exact != NO_NODE && self.exact.binary_search(&token.exact).is_ok())
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

/// A token and its trie nodes: its own node (if any) and the prefixes along it that head
/// cues, i.e. `Matcher._find_candidates` unranked (exact cues, then prefixes shortest first).
#[derive(Clone, Copy)]
struct Found<'a> {
    text: &'a [u8],
    /// The token's own node (the same node for the same word), or NO_NODE.
    exact: u32,
    prefixes: [(u32, u8); MAX_NESTED_PREFIXES],
    prefix_count: usize,
}

impl Found<'_> {
    fn prefix_nodes(&self) -> &[(u32, u8)] {
        &self.prefixes[..self.prefix_count]
    }
}

struct Hit {
    cue: u32,
    text: Vec<u8>,
}

#[derive(Default)]
struct Match {
    groups: [Vec<Hit>; GROUPS],
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
        !self.groups[group as usize].is_empty()
    }

    fn of(&self, group: Group) -> &[Hit] {
        &self.groups[group as usize]
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
}

impl OutcomeTable {
    /// Starts a new generation if `count` new outcomes might not fit: the numbers handed
    /// out for one call all belong to the generation it returns.
    fn make_room(&mut self, count: usize) {
        if self.outcomes.len() + count > self.limit {
            self.ids.clear();
            self.outcomes.clear();
            self.generation += 1;
        }
    }

    fn id(&mut self, outcome: Outcome<&[u8]>) -> u32 {
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
        if text.is_ascii() {
            let table = &self.to_space;
            out.extend(text.bytes().map(|byte| table[byte as usize]));
        } else {
            // encode("ascii", "replace"): one "?" per character that is not ASCII.
            let replaced = self.to_space[b'?' as usize];
            out.extend(text.chars().map(|c| {
                if c.is_ascii() {
                    self.to_space[c as usize]
                } else {
                    replaced
                }
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
        let present: Vec<bool> = self
            .country_names
            .iter()
            .map(|(name, _)| occurs(&joined, name))
            .collect();
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

/// Whether `name` occurs in `text`: a search for its first capital (country names are rare
/// and capitals few) checked in place, else a substring search.
fn occurs(text: &[u8], name: &[u8]) -> bool {
    let Some(offset) = name.iter().position(u8::is_ascii_uppercase) else {
        return memchr::memmem::find(text, name).is_some();
    };
    memchr::memchr_iter(name[offset], text)
        .any(|at| at >= offset && text[at - offset..].starts_with(name))
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
    fn find<'a>(&self, token: &'a [u8]) -> Found<'a> {
        let mut found = Found {
            text: token,
            exact: NO_NODE,
            prefixes: [(0, 0); MAX_NESTED_PREFIXES],
            prefix_count: 0,
        };
        let mut at = 0;
        for (depth, &byte) in token.iter().enumerate() {
            let next = self.trie.child(at, byte);
            if next == NO_NODE {
                return found;
            }
            at = next as usize;
            // A prefix as long as the token is still a prefix of it.
            if self.trie.heads_prefix(at) && found.prefix_count < MAX_NESTED_PREFIXES {
                found.prefixes[found.prefix_count] = (next, (depth + 1) as u8);
                found.prefix_count += 1;
            }
        }
        found.exact = at as u32;
        found
    }

    /// Calls `each(cue, length)` for the candidates of `found`, in `_find_candidates` input
    /// order; `length` is what it ranks them by (a whole word counts one more than its length).
    fn each_candidate(&self, found: &Found<'_>, mut each: impl FnMut(u32, usize)) {
        if found.exact != NO_NODE {
            for &cue in &self.nodes[found.exact as usize].exact {
                each(cue, found.text.len() + 1);
            }
        }
        for &(at, depth) in found.prefix_nodes() {
            for &cue in &self.nodes[at as usize].prefix {
                each(cue, depth as usize);
            }
        }
    }

    fn facts(&self, found: &Found<'_>) -> WordFacts {
        match found.exact {
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
        let mut best: Option<(u32, (bool, usize))> = None;
        self.each_candidate(found, |index, length| {
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

/// What one word does on its own (`matching._Role`): its best one-word cue and its facts.
#[derive(Clone, Copy)]
struct Role {
    cue: Option<u32>,
    facts: WordFacts,
}

/// One item of a sentence's key: the tokens of a cue phrase, or a word with a role.
enum Item<'t, 'a> {
    /// A phrase and its cue (`Matcher._phrase_cue`).
    Phrase(&'t [Found<'a>], u32),
    Word(&'a [u8], Role),
}

impl Classifier {
    /// The tokens of a scan string (split at spaces only), each with its trie nodes.
    fn tokens<'a>(&self, scan: &'a [u8]) -> Vec<Found<'a>> {
        let mut tokens = Vec::with_capacity(scan.len() / 4);
        let mut start = 0;
        for (at, &byte) in scan.iter().enumerate() {
            if byte == b' ' {
                if at > start {
                    tokens.push(self.find(&scan[start..at]));
                }
                start = at + 1;
            }
        }
        if start < scan.len() {
            tokens.push(self.find(&scan[start..]));
        }
        tokens
    }

    fn role(&self, found: &Found<'_>) -> Role {
        Role {
            cue: self.best_cue(found, &[]),
            facts: self.facts(found),
        }
    }

    /// The items of `sentence_keys`, found on tokens: at each token, the cue phrase with the
    /// most slots that matches there (its tokens are then skipped), else a one-word cue or a
    /// context word. Returns the items of each sentence (sentences split at mark tokens).
    fn scan<'t, 'a>(&self, tokens: &'t [Found<'a>]) -> Vec<Vec<Item<'t, 'a>>> {
        let mut sentences = vec![Vec::new()];
        let mut at = 0;
        while at < tokens.len() {
            let found = &tokens[at];
            let token = found.text;
            if token[0] == SENTENCE_MARK_BYTE {
                // The mark outranks every cue; the rest of its token is never scanned.
                sentences.push(Vec::new());
                at += 1;
                continue;
            }
            let later = &tokens[at + 1..];
            let mut longest: Option<usize> = None;
            self.each_candidate(found, |index, _| {
                let cue = &self.cues[index as usize];
                if longest.is_some_and(|known| known >= cue.rest.len()) {
                    return;
                }
                if self.accepts_rest(cue, later) {
                    longest = Some(cue.rest.len());
                }
            });
            let item = match longest {
                Some(0) => Item::Word(token, self.role(found)),
                None if self.facts(found).is_scanned() => Item::Word(token, self.role(found)),
                None => {
                    at += 1;
                    continue;
                }
                Some(slots) => {
                    let words = &tokens[at..=at + slots];
                    // Always found: a cue of that many slots accepted these words.
                    let Some(cue) = self.best_cue(found, &words[1..]) else {
                        at += 1;
                        continue;
                    };
                    Item::Phrase(words, cue)
                }
            };
            let slots = match item {
                Item::Phrase(words, _) => words.len(),
                Item::Word(..) => 1,
            };
            if let Some(last) = sentences.last_mut() {
                last.push(item);
            }
            at += slots;
        }
        sentences
    }

    /// `Matcher.match_key` of one sentence's items.
    fn match_items(&self, items: &[Item<'_, '_>]) -> Match {
        let mut result = Match::default();
        let mut consumed: Vec<&Found<'_>> = Vec::new();
        let mut named: Vec<&[u8]> = Vec::new();
        let mut words: Vec<(&[u8], Role)> = Vec::new();
        for item in items {
            let (tokens, index) = match *item {
                Item::Word(word, role) => {
                    words.push((word, role));
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
                    let words: Vec<&[u8]> = tokens.iter().map(|token| token.text).collect();
                    let text = words.join(&b' ');
                    self.add(&mut result, group, cue.label, Hit { cue: index, text });
                }
            }
            consumed.extend(tokens);
            if cue.label == Label::Diplomatic {
                named.extend(tokens.iter().map(|token| token.text));
            }
        }
        words.sort_unstable_by(|a, b| a.0.cmp(b.0));
        words.dedup_by(|a, b| a.0 == b.0);
        consumed.sort_unstable_by(|a, b| a.text.cmp(b.text));
        consumed.dedup_by(|a, b| a.text == b.text);
        let consumed_words: Vec<&[u8]> = consumed.iter().map(|token| token.text).collect();
        named.sort_unstable();
        named.dedup();
        for &(word, role) in &words {
            if consumed_words.binary_search(&word).is_ok() {
                continue;
            }
            if let Some(index) = role.cue {
                let cue = &self.cues[index as usize];
                if let Effect::Hit(group) = cue.effect {
                    let hit = Hit {
                        cue: index,
                        text: word.to_vec(),
                    };
                    self.add(&mut result, group, cue.label, hit);
                }
            }
        }
        // The roles of all words, the consumed ones included (their domain excepted).
        for &(word, role) in &words {
            self.note_context(&mut result, word, role, &consumed_words, &named);
        }
        for token in &consumed {
            if words
                .binary_search_by(|known| known.0.cmp(token.text))
                .is_err()
            {
                let role = self.role(token);
                self.note_context(&mut result, token.text, role, &consumed_words, &named);
            }
        }
        result
    }

    /// `Matcher._note_context` for one word.
    fn note_context(
        &self,
        result: &mut Match,
        word: &[u8],
        role: Role,
        consumed: &[&[u8]],
        named: &[&[u8]],
    ) {
        let contains = |set: &[&[u8]], word: &[u8]| set.binary_search(&word).is_ok();
        let facts = role.facts;
        if role
            .cue
            .is_some_and(|index| self.cues[index as usize].effect == Effect::Limit)
        {
            result.has_limit = true;
        }
        if let Some(domain) = facts.domain {
            if !contains(consumed, word) {
                result.domains |= 1 << domain;
            }
        }
        if facts.geo && !contains(named, word) {
            result.has_geo = true;
        }
        result.has_state |= facts.state;
        result.is_historical |= facts.old_year;
    }

    fn add(&self, result: &mut Match, group: Group, label: Label, hit: Hit) {
        match label {
            Label::Military => result.military = true,
            Label::Diplomatic => result.diplomatic = true,
            Label::None => {}
        }
        result.groups[group as usize].push(hit);
    }

    fn weight(&self, hit: &Hit) -> f64 {
        self.cues[hit.cue as usize].weight
    }

    /// `scoring.score_military`.
    fn score_military<'m>(&self, m: &'m Match, at_war: bool) -> Option<RawScore<&'m [u8]>> {
        if !m.military {
            return None;
        }
        let weighted = |hits: &[&'m Hit]| -> Vec<(f64, &'m [u8])> {
            hits.iter()
                .map(|hit| (self.weight(hit), hit.text.as_slice()))
                .collect()
        };
        let mut strong: Vec<&Hit> = m.of(Group::MStrong).iter().collect();
        if m.domains == 0 {
            strong.extend(m.of(Group::MGstrong));
        }
        if m.is_background {
            return raw_score(&weighted(&strong), 1.0);
        }
        let metaphor_prone = m.of(Group::MMstrong);
        if !metaphor_prone.is_empty() && corroborated(m, at_war) {
            strong.extend(metaphor_prone);
        }
        let entities: &[Hit] = if m.domains != 0 && strong.is_empty() {
            &[]
        } else {
            m.of(Group::MEntity)
        };
        let events: Vec<&Hit> = m
            .of(Group::MEvent)
            .iter()
            .chain(m.of(Group::MMevent))
            .collect();
        let supplies = m.of(Group::MSupply);
        if !supplies.is_empty() && !entities.is_empty() && !m.has_limit {
            strong.push(&supplies[0]);
        }
        let framed = strong.is_empty()
            && events.is_empty()
            && (m.has(Group::DFrame) || m.has(Group::DWframe));
        let in_context = at_war && m.domains == 0;
        let supported = !strong.is_empty() || (!entities.is_empty() && !framed) || in_context;
        let mut fired = weighted(&strong);
        if supported {
            let weak: Vec<&Hit> = events.iter().copied().chain(m.of(Group::MWeak)).collect();
            fired.extend(weighted(&weak));
        }
        let w = &self.weights;
        let entity_factor = if framed {
            w.framed_entity_damping
        } else if in_context {
            w.context_entity_boost
        } else {
            1.0
        };
        fired.extend(entities.iter().map(|hit| {
            let weight = (self.weight(hit) * entity_factor).min(w.entity_weight_cap);
            (weight, hit.text.as_slice())
        }));
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
    fn score_diplomatic<'m>(&self, m: &'m Match) -> Option<RawScore<&'m [u8]>> {
        if !m.diplomatic {
            return None;
        }
        let mut fired: Vec<(f64, &'m [u8])> = Vec::new();
        let mut fire = |hits: &'m [Hit]| {
            fired.extend(
                hits.iter()
                    .map(|hit| (self.weight(hit), hit.text.as_slice())),
            );
        };
        let strong = m.has(Group::DStrong) || m.has(Group::DFrame);
        fire(m.of(Group::DStrong));
        fire(m.of(Group::DFrame));
        let action = [
            Group::MStrong,
            Group::MMstrong,
            Group::MGstrong,
            Group::MEvent,
            Group::MMevent,
        ];
        let about_arms = m.has(Group::MEntity) && !action.iter().any(|&group| m.has(group));
        let actor = (m.has_state || m.has_geo || about_arms) && m.domains == 0;
        let frames = m.of(Group::DWframe);
        let combat_actor = actor && (m.has_state || !frames.is_empty() || !m.has(Group::MStrong));
        if strong || actor {
            fire(frames);
        }
        if strong || combat_actor {
            fire(m.of(Group::DWeak));
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
    let mut strongest: Vec<(f64, &[u8])> = Vec::new();
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
    fn article_of_scan(&mut self, scan: &[u8]) -> Ids {
        let tokens = self.tokens(scan);
        let sentences = self.scan(&tokens);
        let matches: Vec<Match> = sentences
            .iter()
            .map(|items| self.match_items(items))
            .collect();
        let at_war = matches.iter().any(|m| m.has(Group::MStrong));
        self.table.make_room(matches.len());
        let mut ids = Vec::with_capacity(matches.len());
        for m in &matches {
            let outcome = (self.score_military(m, at_war), self.score_diplomatic(m));
            ids.push(self.table.id(outcome));
        }
        (self.table.generation, ids)
    }
}

type Ids = (u64, Vec<u32>);

#[pymethods]
impl Classifier {
    /// `cues`: (label, kind, weight, later slots as (exact words, prefixes)) of every cue;
    /// `by_token`/`by_prefix`: `Lexicon.by_token`/`by_prefix` as indices into `cues`.
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (*, outcome_limit, text_rules, cues, by_token, by_prefix, geo, state, domain_of, domains, background_domains, off_diplomatic_domains, old_years, weights))]
    fn new(
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
        if classifier.nodes.len() >= NO_NODE as usize {
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

    /// `scanning.scan_string(texts)`, for the tests.
    fn scan_string(&self, texts: Vec<PyBackedStr>) -> String {
        String::from_utf8_lossy(&self.text_rules.scan_bytes(&texts)).into_owned()
    }

    /// Per sentence (no article context): whether it has a strong military cue, and its
    /// outcome numbers in a quiet article and in an article about fighting.
    fn sentences(&mut self, scan: &str) -> (u64, Vec<(bool, u32, u32)>) {
        let tokens = self.tokens(scan.as_bytes());
        let sentences = self.scan(&tokens);
        self.table.make_room(2 * sentences.len());
        let mut found = Vec::with_capacity(sentences.len());
        for items in &sentences {
            let m = self.match_items(items);
            let diplomatic = self.score_diplomatic(&m);
            let quiet = self
                .table
                .id((self.score_military(&m, false), diplomatic.clone()));
            let at_war = self.table.id((self.score_military(&m, true), diplomatic));
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
