//! A pre-gate of the casualty patterns that `casualties._matches_at` tries at given starts:
//! which starts can begin a match at all. The gate is the pattern with its look-around
//! assertions removed (`casualties.relaxed_pattern`), which matches wherever the pattern
//! does, compiled to an automaton by the `regex` crates: a start it refuses is one where the
//! Python pattern cannot match either, so Python only tries the starts it keeps.
//!
//! The pattern's classes mean the same to both engines on ASCII text without U+001C..U+001F
//! (Python's `\s` holds those four; Unicode's White_Space does not); on any other text every
//! start is kept.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;
use regex_automata::meta::Regex;
use regex_automata::{Anchored, Input};

/// The relaxed pattern of one casualty pattern, compiled once.
#[pyclass(frozen, module = "workers._native")]
pub struct StartGate {
    relaxed: Regex,
}

/// Whether the two engines read the text's characters alike.
pub(crate) fn is_gateable(text: &str) -> bool {
    text.bytes()
        .all(|byte| byte.is_ascii() && !(0x1c..=0x1f).contains(&byte))
}

impl StartGate {
    /// Whether the relaxed pattern matches `text` at `start` (a byte offset).
    pub(crate) fn can_match_at(&self, text: &str, start: usize) -> bool {
        if start > text.len() {
            return true; // not decided here: the caller's pattern refuses it
        }
        let input = Input::new(text)
            .range(start..)
            .anchored(Anchored::Yes)
            .earliest(true);
        self.relaxed.is_match(input)
    }

    /// The `starts` where the pattern can begin a match in `text`, the text when it is one
    /// the two engines read alike (`is_gateable`): all of them when there is none.
    pub(crate) fn prune_in(&self, text: Option<&str>, starts: Vec<usize>) -> Vec<usize> {
        match text {
            Some(text) => starts
                .into_iter()
                .filter(|&start| self.can_match_at(text, start))
                .collect(),
            None => starts,
        }
    }
}

#[pymethods]
impl StartGate {
    #[new]
    pub(crate) fn new(relaxed: &str) -> PyResult<Self> {
        let relaxed = Regex::new(relaxed)
            .map_err(|error| PyValueError::new_err(format!("relaxed casualty pattern: {error}")))?;
        Ok(Self { relaxed })
    }

    /// The `starts` (ascending character positions in `text`) where the pattern can match:
    /// all of them when the text is not ASCII, holds U+001C..U+001F or cannot be encoded.
    fn prune(&self, text: &Bound<'_, PyString>, starts: Vec<usize>) -> Vec<usize> {
        let gateable = text.to_str().ok().filter(|text| is_gateable(text));
        self.prune_in(gateable, starts)
    }
}
