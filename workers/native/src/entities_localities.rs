//! The cheap part of `entities._Walk.localities` for all unknown names of an article in one
//! call: which names the full Python rules need to see. A name is left out only when those
//! rules surely skip it: it is too long, its first or last character is already claimed, or
//! none of the three contexts that can make it a locality is there (a locality cue may end
//! right before it, per the `name_gates` bit; a locality word may follow it, per
//! `LOCALITY_AFTER_PREFIXES`; or a comma follows it and white space precedes it).
//!
//! The words and limits are passed from Python (`context.py`, `entities.py`), so they keep
//! their one definition there. Offsets are Python string indices (code points); white space is
//! Python's `str.isspace` (which is also what the patterns' `\s` matches). Next to a non-ASCII
//! character the answer is "maybe" (the patterns' case-blind matching is not redone here).

use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyList, PyString};

use crate::pystr::{is_py_space, with_code_units};

#[pyclass(frozen, module = "workers._native")]
pub struct LocalityGate {
    after_prefixes: Vec<String>,
    longest: usize,
    locality_bit: u8,
    max_tokens: usize,
}

/// What the gate reads of one unknown name.
struct Group {
    size: usize,
    /// (first token's start, last token's end), or None when they are not plain offsets.
    span: Option<(usize, usize)>,
}

fn read_group(group: &Bound<'_, PyAny>) -> PyResult<Group> {
    let py = group.py();
    let size = group.len()?;
    if size == 0 {
        return Ok(Group { size, span: None });
    }
    let start = group
        .get_item(0)?
        .getattr(intern!(py, "start"))?
        .extract::<usize>();
    let end = group
        .get_item(size - 1)?
        .getattr(intern!(py, "end"))?
        .extract::<usize>();
    Ok(Group {
        size,
        span: match (start, end) {
            (Ok(start), Ok(end)) => Some((start, end)),
            _ => None,
        },
    })
}

impl LocalityGate {
    /// Whether `LOCALITY_AFTER_RE` may match at `end` (white space, then a locality word).
    fn after_may_match<T: Copy + Into<u32>>(&self, units: &[T], end: usize) -> bool {
        let mut at = end;
        while at < units.len() && is_py_space(units[at].into()) {
            at += 1;
        }
        if at == end {
            return false;
        }
        let window = &units[at..units.len().min(at + self.longest)];
        if window.iter().any(|&unit| unit.into() >= 0x80) {
            return true;
        }
        // All ASCII: compare case-blind in place (no lower-cased copy of the window).
        self.after_prefixes.iter().any(|prefix| {
            prefix.len() <= window.len()
                && prefix
                    .bytes()
                    .zip(window)
                    .all(|(expected, &unit)| (unit.into() as u8).to_ascii_lowercase() == expected)
        })
    }

    fn may_be_locality<T: Copy + Into<u32>>(
        &self,
        units: &[T],
        claimed: &[u8],
        gate: u8,
        group: &Group,
    ) -> bool {
        if group.size > self.max_tokens {
            return false;
        }
        let Some((start, end)) = group.span else {
            return true; // let the Python rules decide
        };
        if start >= end || end > units.len() || end > claimed.len() {
            return true;
        }
        if claimed[start] != 0 || claimed[end - 1] != 0 {
            return false;
        }
        let spaced = start > 0 && is_py_space(units[start - 1].into());
        let following = units.get(end).map(|&unit| unit.into());
        (spaced && gate & self.locality_bit != 0)
            || (following.is_some_and(is_py_space) && self.after_may_match(units, end))
            || (spaced && following == Some(u32::from(b',')))
    }
}

#[pymethods]
impl LocalityGate {
    /// `after_prefixes`: lower-case ASCII words one of which opens every locality word that
    /// may follow a name; `locality_bit`: the `name_gates` bit of a locality cue before it;
    /// `max_tokens`: the most words a locality name has.
    #[new]
    #[pyo3(signature = (*, after_prefixes, locality_bit, max_tokens))]
    fn new(after_prefixes: Vec<String>, locality_bit: u8, max_tokens: usize) -> PyResult<Self> {
        if let Some(prefix) = after_prefixes
            .iter()
            .find(|prefix| prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_lowercase()))
        {
            return Err(PyValueError::new_err(format!(
                "locality prefix {prefix:?} is not lower-case ASCII letters"
            )));
        }
        let longest = after_prefixes.iter().map(String::len).max().unwrap_or(0);
        Ok(Self {
            after_prefixes,
            longest,
            locality_bit,
            max_tokens,
        })
    }

    /// Indices (in order) of the `groups` (lists of tokens with `start` and `end`) that
    /// `localities` must judge, given the article's `claimed` offsets and `name_gates` bits.
    fn candidates(
        &self,
        text: Bound<'_, PyString>,
        groups: &Bound<'_, PyList>,
        claimed: &Bound<'_, PyByteArray>,
        gates: &[u8],
    ) -> PyResult<Vec<usize>> {
        let claimed = claimed.to_vec();
        let mut read = Vec::with_capacity(groups.len());
        for group in groups.iter() {
            read.push(read_group(&group)?);
        }
        with_code_units!(text, |units| Ok(read
            .iter()
            .enumerate()
            .filter(|(index, group)| {
                let gate = gates.get(*index).copied().unwrap_or(u8::MAX);
                self.may_be_locality(units, &claimed, gate, group)
            })
            .map(|(index, _)| index)
            .collect()))
    }
}
