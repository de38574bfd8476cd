//! The classify stage's scan: `scanning.sentence_keys` of `workers.pipeline.classify`.
//!
//! The scan pattern is built in Python (`scanning.build_pattern`, from the cue lexicon) and
//! passed here once. Python's pattern ends every cue and word with the lookahead `(?= )`,
//! which the `regex` crate lacks; Python passes it with each `(?= )` turned into a plain
//! space instead. A backtracking engine and `regex`'s leftmost-first search then take the
//! same branch at every token (the space is required on both), the match only ends one byte
//! later; the next search restarts on that space, where `re.findall` would have resumed.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use regex::bytes::{Regex, RegexBuilder};

/// Separates a sentence's items in a key (`scanning.ITEM_END`).
const ITEM_END: u8 = b'\t';
/// Where one sentence's items end in the joined items (`scanning._SENTENCE_SPLIT`).
const SENTENCE_SPLIT: &[u8] = b" \x01\t";
/// The compiled pattern has ~25k alternatives: far above `regex`'s default limits.
const SIZE_LIMIT: usize = 1 << 30;
const DFA_SIZE_LIMIT: usize = 1 << 28;

/// The cue scan of `scanning.sentence_keys`, with the pattern compiled once.
#[pyclass(frozen, module = "workers._native")]
pub struct CueScanner {
    pattern: Regex,
}

#[pymethods]
impl CueScanner {
    /// `pattern`: the scan pattern with each lookahead `(?= )` written as a plain space.
    #[new]
    fn new(pattern: &str) -> PyResult<Self> {
        let pattern = RegexBuilder::new(pattern)
            .unicode(false)
            .size_limit(SIZE_LIMIT)
            .dfa_size_limit(DFA_SIZE_LIMIT)
            .build()
            .map_err(|err| PyValueError::new_err(format!("bad scan pattern: {err}")))?;
        Ok(Self { pattern })
    }

    /// `sentence_keys(pattern, texts)` given `scan_string(texts)` (ASCII): each sentence's
    /// found items, each as " <words>" followed by a tab.
    fn keys(&self, scan: &str) -> Vec<String> {
        sentence_keys(&self.pattern, scan.as_bytes())
            .into_iter()
            .map(|key| String::from_utf8_lossy(&key).into_owned())
            .collect()
    }
}

/// The keys of a scan string, as Python builds them: the found items each followed by a tab,
/// split at the sentence marks (" \x01" items).
pub fn sentence_keys(pattern: &Regex, scan: &[u8]) -> Vec<Vec<u8>> {
    let mut joined = Vec::with_capacity(scan.len());
    let mut at = 0;
    while let Some(found) = pattern.find_at(scan, at) {
        let mut item = found.as_bytes();
        if item.last() == Some(&b' ') {
            // The lookahead's space: not part of the item, and where the next item may start.
            item = &item[..item.len() - 1];
            at = found.end() - 1;
        } else {
            at = found.end();
        }
        joined.extend_from_slice(item);
        joined.push(ITEM_END);
    }
    let mut keys = Vec::new();
    let mut rest = joined.as_slice();
    while let Some(end) = memchr::memmem::find(rest, SENTENCE_SPLIT) {
        keys.push(rest[..end].to_vec());
        rest = &rest[end + SENTENCE_SPLIT.len()..];
    }
    keys.push(rest.to_vec());
    keys
}
