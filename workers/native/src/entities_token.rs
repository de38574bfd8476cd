//! `spans.Token` and `places.PlaceMention` objects made without running their dataclass
//! `__init__`.
//!
//! Both are slots dataclasses whose generated `__init__` only stores its fields: they are
//! made by `records::RecordMaker` (tokens alone called through `__init__` were a quarter of
//! the walk); any other class is called as before.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyString};

use crate::records::RecordMaker;

/// `Token`'s fields, in `__init__` order.
const TOKEN_FIELDS: [&str; 5] = ["text", "start", "end", "possessive", "key"];
/// `PlaceMention`'s fields, in `__init__` order.
const PLACE_MENTION_FIELDS: [&str; 6] =
    ["surface", "start", "end", "candidates", "locative", "area"];

/// Makes `spans.Token`s.
pub(crate) struct TokenMaker(RecordMaker<5>);
/// Makes `places.PlaceMention`s.
pub(crate) struct PlaceMentionMaker(RecordMaker<6>);

impl TokenMaker {
    /// Whether tokens are made by storing their slots (for tests).
    pub(crate) fn stores_slots(&self) -> bool {
        self.0.stores_slots()
    }

    pub(crate) fn new(py: Python<'_>, class: Py<PyAny>) -> PyResult<Self> {
        Ok(Self(RecordMaker::new(py, class, TOKEN_FIELDS)?))
    }

    /// `Token(text, start, end, possessive, key)`.
    pub(crate) fn token<'py>(
        &self,
        py: Python<'py>,
        text: Bound<'py, PyString>,
        start: usize,
        end: usize,
        possessive: bool,
        key: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let values = [
            text.into_any(),
            start.into_pyobject(py)?.into_any(),
            end.into_pyobject(py)?.into_any(),
            PyBool::new(py, possessive).to_owned().into_any(),
            key,
        ];
        self.0.make(py, values)
    }
}

impl PlaceMentionMaker {
    /// Whether mentions are made by storing their slots (for tests).
    pub(crate) fn stores_slots(&self) -> bool {
        self.0.stores_slots()
    }

    pub(crate) fn new(py: Python<'_>, class: Py<PyAny>) -> PyResult<Self> {
        Ok(Self(RecordMaker::new(py, class, PLACE_MENTION_FIELDS)?))
    }

    /// `PlaceMention(surface, start, end, candidates, locative, area)`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn mention<'py>(
        &self,
        py: Python<'py>,
        surface: &str,
        start: usize,
        end: usize,
        candidates: Bound<'py, PyAny>,
        locative: bool,
        area: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let area = match area {
            Some(word) => PyString::new(py, word).into_any(),
            None => py.None().into_bound(py),
        };
        let values = [
            PyString::new(py, surface).into_any(),
            start.into_pyobject(py)?.into_any(),
            end.into_pyobject(py)?.into_any(),
            candidates,
            PyBool::new(py, locative).to_owned().into_any(),
            area,
        ];
        self.0.make(py, values)
    }
}
