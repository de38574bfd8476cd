//! The candidate gates of `workers.pipeline.enrich.events`: which event types a sentence can
//! report, before any trigger regex runs.
//!
//! Per lower-cased sentence, one pass over its whitespace-separated tokens collects the types
//! anchored by them, the types whose excluded words (and words lifting the exclusion) occur,
//! and whether military or diplomatic cue words occur; one pass over an index of the literal
//! prefixes (`events_prefixes.rs`) finds where each pattern's prefixes start
//! (`events_triggers.StartFinder.starts`), and where the last of its required literals
//! (`events_triggers.required_literals`) starts: a pattern cannot match at a start after it,
//! nor at all in a sentence without one. A candidate
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
    /// The words the gates know, and what each tells.
    words: WordTable,
    types: Vec<TypeGates>,
    prefixes: PrefixIndex,
    /// The pattern ids each indexed string starts (a prefix) or is required by (flagged
    /// [`REQUIRED`]), one string's after the other's (one array, a few kilobytes, rather
    /// than a heap block per string).
    owner_ids: Vec<u16>,
    /// Per indexed string, where its pattern ids begin in `owner_ids`; one more at the end.
    owner_starts: Vec<u32>,
    /// Per pattern id, the limit of its starts before a sentence is read: none
    /// (`u32::MAX`) for a pattern without required literals, else 0 (none seen yet).
    limits: Vec<u32>,
    pub pattern_count: usize,
    spaces: Spaces,
}

impl EventGates {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        anchors: HashMap<String, Vec<usize>>,
        military_cues: Vec<String>,
        diplomatic_cues: Vec<String>,
        background_hints: &[String],
        types: Vec<TypeSpec>,
        prefixes: Vec<(usize, Vec<String>)>,
        required: Vec<(usize, Vec<String>)>,
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
        let mut by_string: HashMap<String, Vec<u16>> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut file = |string: String, owner: u16| {
            let ids = by_string.entry(string.clone()).or_insert_with(|| {
                order.push(string);
                Vec::new()
            });
            ids.push(owner);
        };
        let mut pattern_count = 0;
        for (pattern_id, strings) in prefixes {
            pattern_count = pattern_count.max(pattern_id + 1);
            let owner = pattern_owner(pattern_id)?;
            for string in strings {
                file(string, owner);
            }
        }
        let mut limits = vec![u32::MAX; pattern_count];
        for (pattern_id, strings) in required {
            let Some(limit) = limits.get_mut(pattern_id) else {
                return Err(PyValueError::new_err(format!(
                    "unknown prefix id {pattern_id} of required literals"
                )));
            };
            // An empty string occurs everywhere: such a set requires nothing.
            if strings.is_empty() || strings.iter().any(String::is_empty) {
                continue;
            }
            *limit = 0;
            let owner = pattern_owner(pattern_id)? | REQUIRED;
            for string in strings {
                file(string, owner);
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
        let mut owner_ids: Vec<u16> = Vec::new();
        let mut owner_starts: Vec<u32> = vec![0];
        for string in &order {
            owner_ids.extend_from_slice(&by_string[string]);
            owner_starts.push(owner_ids.len() as u32);
        }
        let prefixes = PrefixIndex::new(&order);
        let words = WordTable::new(tokens);
        Ok(EventGates {
            words,
            types: gates,
            prefixes,
            owner_ids,
            owner_starts,
            limits,
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
        if token.is_empty() {
            return;
        }
        if let Some(info) = self.words.get(token.as_bytes()) {
            seen.anchors |= info.anchors;
            seen.excluded |= info.excluded;
            seen.lifted |= info.lifted;
            seen.military |= info.military;
            seen.diplomatic |= info.diplomatic;
            seen.background |= info.background;
        }
    }

    /// The candidate types (see the module doc), as a bit set of type indices, but for the
    /// test of their prefixes' starts ([`EventGates::can_start`]), which needs the starts.
    pub fn candidates(&self, lowered: &str, seen: &TokenInfo) -> u128 {
        let mut candidates = 0u128;
        let mut anchored = seen.anchors;
        while anchored != 0 {
            let index = anchored.trailing_zeros() as usize;
            let mask = 1u128 << index;
            anchored &= !mask;
            let Some(gate) = self.types.get(index) else {
                break;
            };
            if seen.excluded & mask != 0 && seen.lifted & mask == 0 {
                continue;
            }
            if !gate.requires.is_empty() && !gate.requires.any_in(lowered) {
                continue;
            }
            if !gate.context.holds(seen.military, seen.diplomatic) {
                continue;
            }
            candidates |= mask;
        }
        candidates
    }

    /// Whether type `index` can have a trigger with these prefix starts: some prefix of
    /// its patterns starts, or one of its patterns is tried without prefixes.
    pub fn can_start(&self, index: usize, starts: &Starts) -> bool {
        self.types.get(index).is_some_and(|gate| {
            !gate.prefixed_only || gate.prefix_ids.iter().any(|&i| starts.has(i))
        })
    }

    /// Where each pattern's prefixes start in the (stand-in) sentence: every match of every
    /// prefix, overlapping ones included, but those after the last of the pattern's required
    /// literals; None for a text of 4 GiB or more. `buffers` keep the starts (reused from
    /// sentence to sentence).
    pub fn starts<'h>(&self, stand_in: &str, buffers: &'h mut StartBuffers) -> Option<Starts<'h>> {
        // Limits are one past a start, below u32::MAX (no limit).
        u32::try_from(stand_in.len() + 1).ok()?;
        let StartBuffers { hits, limits } = buffers;
        hits.clear();
        limits.clear();
        limits.extend_from_slice(&self.limits);
        let mut present = [0u64; MAX_PATTERNS / 64];
        self.prefixes
            .for_each_in(stand_in.as_bytes(), |string, start| {
                let (from, to) = (self.owner_starts[string], self.owner_starts[string + 1]);
                for &owner in &self.owner_ids[from as usize..to as usize] {
                    let pattern_id = usize::from(owner & !REQUIRED);
                    if owner & REQUIRED != 0 {
                        let limit = &mut limits[pattern_id];
                        *limit = (*limit).max(start as u32 + 1);
                    } else {
                        hits.push(((start as u64) << 32) | pattern_id as u64);
                        present[pattern_id / 64] |= 1 << (pattern_id % 64);
                    }
                }
            });
        if !self.prefixes.in_position_order() {
            hits.sort_unstable();
        }
        // A pattern none of whose required literals occurs has no start.
        for (index, word) in present.iter_mut().enumerate() {
            let mut left = *word;
            while left != 0 {
                let bit = left.trailing_zeros() as usize;
                left &= left - 1;
                if limits[index * 64 + bit] == 0 {
                    *word &= !(1 << bit);
                }
            }
        }
        Some(Starts {
            hits,
            present,
            limits,
        })
    }
}

/// The flag of a pattern id in `EventGates::owner_ids` that says the string is one of the
/// pattern's required literals (not one of its prefixes).
const REQUIRED: u16 = 1 << 15;

/// A pattern id as an owner of an indexed string.
fn pattern_owner(pattern_id: usize) -> PyResult<u16> {
    match u16::try_from(pattern_id) {
        Ok(id) if pattern_id < MAX_PATTERNS => Ok(id),
        _ => Err(PyValueError::new_err(format!(
            "at most {MAX_PATTERNS} prefixed patterns are supported"
        ))),
    }
}

/// What [`EventGates::starts`] keeps, reused from sentence to sentence.
#[derive(Default)]
pub struct StartBuffers {
    hits: Vec<u64>,
    limits: Vec<u32>,
}

/// Prefixed patterns are kept in bit sets of this width.
pub const MAX_PATTERNS: usize = 1024;
// Pattern ids are kept in 15 bits (`EventGates::owner_ids`, beside the `REQUIRED` flag).
const _: () = assert!(MAX_PATTERNS <= REQUIRED as usize);

/// Where the patterns' prefixes start: (offset, pattern id) pairs in order of offset, some
/// twice (two prefixes of a pattern at one offset); few enough per sentence that a pattern's
/// starts are read off them, with no sort by pattern.
pub struct Starts<'h> {
    /// Offset (high 32 bits) and pattern id (low 32 bits), in order of offset.
    hits: &'h [u64],
    /// Bit set of the pattern ids with a start.
    present: [u64; MAX_PATTERNS / 64],
    /// Per pattern id, one past the last start of its required literals (0: none occurs),
    /// or `u32::MAX` for a pattern without: it cannot match at a start from there on.
    limits: &'h [u32],
}

/// The starts of one pattern.
#[derive(Clone, Copy)]
pub struct PatternStarts<'a> {
    hits: &'a [u64],
    id: u64,
    limit: usize,
}

impl<'a> PatternStarts<'a> {
    /// The sorted distinct starts at or after byte `from` (before the limit).
    pub fn from(self, from: usize) -> impl Iterator<Item = usize> + 'a {
        let first = self.hits.partition_point(|&hit| offset(hit) < from);
        let (id, limit) = (self.id, self.limit);
        let mut last = None;
        self.hits[first..]
            .iter()
            .take_while(move |&&hit| offset(hit) < limit)
            .filter_map(move |&hit| {
                let at = offset(hit);
                if hit & 0xffff_ffff != id || last == Some(at) {
                    return None;
                }
                last = Some(at);
                Some(at)
            })
    }
}

fn offset(hit: u64) -> usize {
    (hit >> 32) as usize
}

impl Starts<'_> {
    /// The starts of pattern `id`.
    pub fn of(&self, id: usize) -> PatternStarts<'_> {
        PatternStarts {
            hits: self.hits,
            id: id as u64,
            limit: self
                .limits
                .get(id)
                .map_or(usize::MAX, |&limit| limit as usize),
        }
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

/// The words the gates know, with what each tells: a Bloom filter (16 KiB, two bits a word)
/// says of most tokens of a sentence that they are none of them, and an open-addressing
/// table finds the others; one hash of a token serves both.
struct WordTable {
    bits: Vec<u64>,
    /// Entry index + 1 per slot, 0 for an empty slot; at most half of them are taken.
    slots: Vec<u32>,
    slot_bits: u32,
    entries: Vec<WordEntry>,
    /// The entries' words, one after the other.
    bytes: Vec<u8>,
}

struct WordEntry {
    hash: u64,
    start: u32,
    len: u32,
    info: TokenInfo,
}

impl WordTable {
    const BITS: u32 = 17;

    fn new(words: FnvMap<String, TokenInfo>) -> WordTable {
        let slot_bits = (2 * words.len())
            .max(2)
            .next_power_of_two()
            .trailing_zeros();
        let mut table = WordTable {
            bits: vec![0; 1 << (Self::BITS - 6)],
            slots: vec![0; 1 << slot_bits],
            slot_bits,
            entries: Vec::with_capacity(words.len()),
            bytes: Vec::new(),
        };
        // In word order, so that the table does not depend on the map's order.
        let mut words: Vec<(String, TokenInfo)> = words.into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (word, info) in words {
            let hash = Self::hash(word.as_bytes());
            for bit in Self::filter_bits(hash) {
                table.bits[bit / 64] |= 1 << (bit % 64);
            }
            let mut slot = table.slot_of(hash);
            while table.slots[slot] != 0 {
                slot = (slot + 1) & (table.slots.len() - 1);
            }
            table.entries.push(WordEntry {
                hash,
                start: table.bytes.len() as u32,
                len: word.len() as u32,
                info,
            });
            table.slots[slot] = table.entries.len() as u32;
            table.bytes.extend_from_slice(word.as_bytes());
        }
        table
    }

    /// What `word` tells, if it is one of the words.
    fn get(&self, word: &[u8]) -> Option<&TokenInfo> {
        let hash = Self::hash(word);
        let [first, second] = Self::filter_bits(hash);
        if self.bits[first / 64] & (1 << (first % 64)) == 0
            || self.bits[second / 64] & (1 << (second % 64)) == 0
        {
            return None;
        }
        let mut slot = self.slot_of(hash);
        loop {
            let index = self.slots[slot].checked_sub(1)? as usize;
            let entry = &self.entries[index];
            if entry.hash == hash {
                let start = entry.start as usize;
                if &self.bytes[start..start + entry.len as usize] == word {
                    return Some(&entry.info);
                }
            }
            slot = (slot + 1) & (self.slots.len() - 1);
        }
    }

    fn slot_of(&self, hash: u64) -> usize {
        ((hash ^ (hash >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) >> (64 - self.slot_bits))
            as usize
    }

    /// Two bits of the filter.
    fn filter_bits(hash: u64) -> [usize; 2] {
        let mask = (1 << Self::BITS) - 1;
        [
            (hash >> (64 - Self::BITS)) as usize,
            (hash >> 20) as usize & mask,
        ]
    }

    /// A hash of the first and last (up to) eight bytes and the length.
    fn hash(word: &[u8]) -> u64 {
        let (head, tail) = match (word.first_chunk::<8>(), word.last_chunk::<8>()) {
            (Some(&head), Some(&tail)) => (u64::from_le_bytes(head), u64::from_le_bytes(tail)),
            // Shorter: the first and last bytes are all of them.
            _ => {
                let all = word
                    .iter()
                    .rev()
                    .fold(0u64, |all, &byte| (all << 8) | u64::from(byte));
                (all, all)
            }
        };
        (head ^ tail.rotate_left(29))
            .wrapping_add(word.len() as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
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
