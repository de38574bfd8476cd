//! The candidate gates of `workers.pipeline.enrich.events`: which event types a sentence can
//! report, before any trigger regex runs.
//!
//! Per lower-cased sentence, one pass over its whitespace-separated tokens collects the types
//! anchored by them, the types whose excluded words (and words lifting the exclusion) occur,
//! and whether military or diplomatic cue words occur; one pass over an index of the literal
//! prefixes (`events_prefixes.rs`) finds where each pattern's prefixes start
//! (`events_triggers.StartFinder.starts`). A candidate
//! type survives when some of its prefixes occur (if all its patterns have prefixes), when no
//! excluded word is unlifted, when one of its required phrases occurs, and when the sentence
//! has its context's cue words (`_sentence_types`, `_has_context`, `_context_ok`).
//!
//! Every word list, phrase and prefix comes from the catalogue built in Python; the
//! characters that split tokens are Python's `str.isspace` characters, passed from Python.

use std::collections::HashMap;

use memchr::memmem;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::events_prefixes::PrefixIndex;
use crate::hashing::FnvMap;

/// Types are kept in bit sets of this width.
pub const MAX_TYPES: usize = 128;

/// The context a type (or a single pattern) needs, as `_context_ok` reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Any,
    Military,
    Diplomatic,
    Conflict,
}

impl Context {
    pub fn parse(name: Option<&str>) -> Context {
        match name {
            Some("military") => Context::Military,
            Some("diplomatic") => Context::Diplomatic,
            Some("conflict") => Context::Conflict,
            _ => Context::Any,
        }
    }

    pub fn holds(self, military: bool, diplomatic: bool) -> bool {
        match self {
            Context::Any => true,
            Context::Military => military,
            Context::Diplomatic => diplomatic,
            Context::Conflict => military || diplomatic,
        }
    }
}

/// What one token tells: the types it anchors, excludes or lifts the exclusion of, and
/// whether it is a military or diplomatic cue, or hints at a background sentence.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokenInfo {
    pub anchors: u128,
    excluded: u128,
    lifted: u128,
    pub military: bool,
    pub diplomatic: bool,
    pub background: bool,
}

/// One event type's gates.
struct TypeGates {
    context: Context,
    requires: Needles,
    prefixed_only: bool,
    prefix_ids: Vec<usize>,
}

/// One type's spec as passed from Python.
#[derive(Debug, FromPyObject)]
#[pyo3(from_item_all)]
pub struct TypeSpec {
    context: Option<String>,
    excluded: Vec<String>,
    excluded_unless: Vec<String>,
    requires: Vec<String>,
    prefixed_only: bool,
    prefix_ids: Vec<usize>,
}

/// The catalogue's gates: anchors, cue words, exclusions and prefixes.
pub struct EventGates {
    /// The words of `tokens`, for a first answer.
    filter: WordFilter,
    tokens: FnvMap<String, TokenInfo>,
    types: Vec<TypeGates>,
    prefixes: PrefixIndex,
    /// Per prefix string: the pattern ids it starts.
    owners: Vec<Vec<usize>>,
    pub pattern_count: usize,
    spaces: Spaces,
}

impl EventGates {
    pub fn new(
        anchors: HashMap<String, Vec<usize>>,
        military_cues: Vec<String>,
        diplomatic_cues: Vec<String>,
        background_hints: &[String],
        types: Vec<TypeSpec>,
        prefixes: Vec<(usize, Vec<String>)>,
        spaces: Spaces,
    ) -> PyResult<Self> {
        if types.len() > MAX_TYPES {
            return Err(PyValueError::new_err(format!(
                "at most {MAX_TYPES} event types are supported"
            )));
        }
        let mut tokens: FnvMap<String, TokenInfo> = FnvMap::default();
        for (word, indices) in anchors {
            let info = tokens.entry(word).or_default();
            for index in indices {
                info.anchors |= bit(index, types.len())?;
            }
        }
        for word in military_cues {
            tokens.entry(word).or_default().military = true;
        }
        for word in diplomatic_cues {
            tokens.entry(word).or_default().diplomatic = true;
        }
        for word in background_hints {
            tokens.entry(word.clone()).or_default().background = true;
        }
        let mut gates = Vec::with_capacity(types.len());
        for (index, spec) in types.into_iter().enumerate() {
            let mask = bit(index, MAX_TYPES)?;
            for word in spec.excluded {
                tokens.entry(word).or_default().excluded |= mask;
            }
            for word in spec.excluded_unless {
                tokens.entry(word).or_default().lifted |= mask;
            }
            gates.push(TypeGates {
                context: Context::parse(spec.context.as_deref()),
                requires: Needles::new(&spec.requires),
                prefixed_only: spec.prefixed_only,
                prefix_ids: spec.prefix_ids,
            });
        }
        let mut by_string: HashMap<String, Vec<usize>> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut pattern_count = 0;
        for (pattern_id, strings) in prefixes {
            pattern_count = pattern_count.max(pattern_id + 1);
            for string in strings {
                let ids = by_string.entry(string.clone()).or_insert_with(|| {
                    order.push(string);
                    Vec::new()
                });
                ids.push(pattern_id);
            }
        }
        if let Some(gate) = gates
            .iter()
            .find(|g| g.prefix_ids.iter().any(|&i| i >= pattern_count))
        {
            return Err(PyValueError::new_err(format!(
                "unknown prefix id in {:?}",
                gate.prefix_ids
            )));
        }
        if order.iter().any(String::is_empty) {
            return Err(PyValueError::new_err("a prefix cannot be empty"));
        }
        if pattern_count > MAX_PATTERNS {
            return Err(PyValueError::new_err(format!(
                "at most {MAX_PATTERNS} prefixed patterns are supported"
            )));
        }
        let owners: Vec<Vec<usize>> = order.iter().map(|s| by_string[s].clone()).collect();
        let prefixes = PrefixIndex::new(&order);
        let filter = WordFilter::new(tokens.keys());
        Ok(EventGates {
            filter,
            tokens,
            types: gates,
            prefixes,
            owners,
            pattern_count,
            spaces,
        })
    }

    /// What the tokens of the lower-cased sentence tell, together; `printable`: the sentence
    /// is all bytes 0x20 to 0x7f.
    pub fn tokens_of(&self, lowered: &str, printable: bool) -> TokenInfo {
        let mut seen = TokenInfo::default();
        if printable && self.spaces.blank_only_printable {
            let mut start = 0;
            for (at, &byte) in lowered.as_bytes().iter().enumerate() {
                if byte == b' ' {
                    self.add_token(&lowered[start..at], &mut seen);
                    start = at + 1;
                }
            }
            self.add_token(&lowered[start..], &mut seen);
            return seen;
        }
        let bytes = lowered.as_bytes();
        let (mut start, mut at) = (0, 0);
        while let Some(&byte) = bytes.get(at) {
            // `at` is a character boundary: it moves on by whole characters.
            let (width, space) = if byte.is_ascii() {
                (1, self.spaces.ascii[usize::from(byte)])
            } else {
                match lowered[at..].chars().next() {
                    Some(c) => (c.len_utf8(), self.spaces.contains(c)),
                    None => break,
                }
            };
            if space {
                self.add_token(&lowered[start..at], &mut seen);
                start = at + width;
            }
            at += width;
        }
        self.add_token(&lowered[start..], &mut seen);
        seen
    }

    fn add_token(&self, token: &str, seen: &mut TokenInfo) {
        if token.is_empty() || !self.filter.may_hold(token.as_bytes()) {
            return;
        }
        if let Some(info) = self.tokens.get(token) {
            seen.anchors |= info.anchors;
            seen.excluded |= info.excluded;
            seen.lifted |= info.lifted;
            seen.military |= info.military;
            seen.diplomatic |= info.diplomatic;
            seen.background |= info.background;
        }
    }

    /// The candidate types (see the module doc), in catalogue order.
    pub fn candidates(&self, lowered: &str, seen: &TokenInfo, starts: &Starts) -> Vec<usize> {
        let mut candidates = Vec::new();
        let mut anchored = seen.anchors;
        while anchored != 0 {
            let index = anchored.trailing_zeros() as usize;
            let mask = 1u128 << index;
            anchored &= !mask;
            let Some(gate) = self.types.get(index) else {
                break;
            };
            if gate.prefixed_only && !gate.prefix_ids.iter().any(|&i| starts.has(i)) {
                continue;
            }
            if seen.excluded & mask != 0 && seen.lifted & mask == 0 {
                continue;
            }
            if !gate.requires.is_empty() && !gate.requires.any_in(lowered) {
                continue;
            }
            if !gate.context.holds(seen.military, seen.diplomatic) {
                continue;
            }
            candidates.push(index);
        }
        candidates
    }

    /// Where each pattern's prefixes start in the (stand-in) sentence: every match of every
    /// prefix, overlapping ones included; None for a text of 4 GiB or more.
    pub fn starts(&self, stand_in: &str) -> Option<Starts> {
        u32::try_from(stand_in.len()).ok()?;
        let mut hits: Vec<u64> = Vec::with_capacity(32);
        let mut present = [0u64; MAX_PATTERNS / 64];
        self.prefixes
            .for_each_in(stand_in.as_bytes(), |string, start| {
                for &pattern_id in &self.owners[string] {
                    hits.push(((pattern_id as u64) << 32) | start as u64);
                    present[pattern_id / 64] |= 1 << (pattern_id % 64);
                }
            });
        hits.sort_unstable();
        hits.dedup();
        Some(Starts { hits, present })
    }
}

/// Prefixed patterns are kept in bit sets of this width.
pub const MAX_PATTERNS: usize = 1024;

/// Pattern id -> the sorted distinct byte offsets where one of its prefixes starts.
pub struct Starts {
    /// Pattern id (high 32 bits) and offset (low 32 bits), sorted.
    hits: Vec<u64>,
    /// Bit set of the pattern ids with a start.
    present: [u64; MAX_PATTERNS / 64],
}

/// The sorted starts of one pattern.
#[derive(Clone, Copy)]
pub struct PatternStarts<'a>(&'a [u64]);

impl<'a> PatternStarts<'a> {
    /// The starts at or after byte `from`.
    pub fn from(self, from: usize) -> impl Iterator<Item = usize> + 'a {
        let first = self.0.partition_point(|&hit| offset(hit) < from);
        self.0[first..].iter().map(|&hit| offset(hit))
    }
}

fn offset(hit: u64) -> usize {
    (hit & 0xffff_ffff) as usize
}

impl Starts {
    /// The starts of pattern `id`.
    pub fn of(&self, id: usize) -> PatternStarts<'_> {
        let low = (id as u64) << 32;
        let high = low | 0xffff_ffff;
        let from = self.hits.partition_point(|&hit| hit < low);
        let to = from + self.hits[from..].partition_point(|&hit| hit <= high);
        PatternStarts(&self.hits[from..to])
    }

    pub fn has(&self, id: usize) -> bool {
        self.present
            .get(id / 64)
            .is_some_and(|word| word & (1 << (id % 64)) != 0)
    }
}

/// Strings looked for in a text, each with its searcher built once.
pub struct Needles(Vec<memmem::Finder<'static>>);

impl Needles {
    pub fn new(strings: &[String]) -> Needles {
        Needles(
            strings
                .iter()
                .map(|s| memmem::Finder::new(s.as_bytes()).into_owned())
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether one of the strings occurs in `text`.
    pub fn any_in(&self, text: &str) -> bool {
        self.0.iter().any(|f| f.find(text.as_bytes()).is_some())
    }
}

/// A Bloom filter of the words the gates know (16 KiB, two bits a word): most tokens of a
/// sentence are none of them, and it tells so without a look into the word table.
struct WordFilter {
    bits: Vec<u64>,
}

impl WordFilter {
    const BITS: u32 = 17;

    fn new<'w>(words: impl Iterator<Item = &'w String>) -> WordFilter {
        let mut filter = WordFilter {
            bits: vec![0; 1 << (Self::BITS - 6)],
        };
        for word in words {
            for bit in Self::bits_of(word.as_bytes()) {
                filter.bits[bit / 64] |= 1 << (bit % 64);
            }
        }
        filter
    }

    /// False when `word` is none of the words.
    fn may_hold(&self, word: &[u8]) -> bool {
        Self::bits_of(word)
            .iter()
            .all(|&bit| self.bits[bit / 64] & (1 << (bit % 64)) != 0)
    }

    /// Two bits from the first and last (up to) eight bytes and the length.
    fn bits_of(word: &[u8]) -> [usize; 2] {
        let (mut head, mut tail) = ([0u8; 8], [0u8; 8]);
        let n = word.len().min(8);
        head[..n].copy_from_slice(&word[..n]);
        tail[..n].copy_from_slice(&word[word.len() - n..]);
        let mixed = (u64::from_le_bytes(head) ^ u64::from_le_bytes(tail).rotate_left(29))
            .wrapping_add(word.len() as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mask = (1 << Self::BITS) - 1;
        [
            (mixed >> (64 - Self::BITS)) as usize,
            (mixed >> 20) as usize & mask,
        ]
    }
}

/// The characters tokens are split at: a table for ASCII, a sorted list for the others.
#[derive(Debug)]
pub struct Spaces {
    pub ascii: [bool; 128],
    others: Vec<char>,
    /// Among the bytes 0x20 to 0x7f, only the blank is one.
    pub blank_only_printable: bool,
}

impl Spaces {
    /// From code point ranges (inclusive).
    pub fn from_ranges(ranges: &[(u32, u32)]) -> Spaces {
        let mut ascii = [false; 128];
        let mut others = Vec::new();
        for c in ranges
            .iter()
            .flat_map(|&(low, high)| low..=high)
            .filter_map(char::from_u32)
        {
            match ascii.get_mut(c as usize) {
                Some(slot) => *slot = true,
                None => others.push(c),
            }
        }
        others.sort_unstable();
        let blank_only_printable = (0x20..0x80).all(|b| ascii[b] == (b == 0x20));
        Spaces {
            ascii,
            others,
            blank_only_printable,
        }
    }

    pub fn contains(&self, c: char) -> bool {
        match self.ascii.get(c as usize) {
            Some(&space) => space,
            None => self.others.binary_search(&c).is_ok(),
        }
    }
}

pub fn bit(index: usize, count: usize) -> PyResult<u128> {
    if index >= count || index >= MAX_TYPES {
        return Err(PyValueError::new_err(format!(
            "type index {index} out of range"
        )));
    }
    Ok(1u128 << index)
}
