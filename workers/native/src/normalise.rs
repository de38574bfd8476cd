//! The common case of `workers.pipeline.normalise.clean_text`: a text it returns unchanged.
//!
//! `is_clean(text)` is true only when `clean_text` would return a text equal to `text`: every
//! character is one whose NFC is itself in any context (a table computed by Python's own
//! `unicodedata`, passed in), none is one of the special spaces, breaks or invisibles, there
//! is no "\r", no double space, no "\n\n\n", and neither the text nor any of its lines starts
//! or ends with whitespace (Python's `str.isspace`). Otherwise Python's general path runs.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::pystr::{is_py_space, with_code_units};
use pyo3::types::{PyBytes, PyString};

#[pyclass(frozen, module = "workers._native")]
pub struct CleanText {
    /// Per code point below its length: 1 if NFC leaves it alone wherever it stands and
    /// `clean_text` does not translate or delete it. Code points past the end are not.
    kept: Vec<u8>,
}

impl CleanText {
    fn is_clean_units<T: Copy + Into<u32>>(&self, units: &[T]) -> bool {
        let (Some(&first), Some(&last)) = (units.first(), units.last()) else {
            return true;
        };
        if is_py_space(first.into()) || is_py_space(last.into()) {
            return false;
        }
        let mut previous = u32::from(b'\n');
        let mut newlines = 0;
        for &unit in units {
            let code: u32 = unit.into();
            let kept = usize::try_from(code)
                .ok()
                .and_then(|at| self.kept.get(at))
                .is_some_and(|&flag| flag == 1);
            if !kept {
                return false;
            }
            match code {
                0x0D => return false,
                0x20 if previous == 0x20 => return false,
                0x0A => {
                    // A line may not end with whitespace, the next may not start with it.
                    if is_py_space(previous) && previous != 0x0A {
                        return false;
                    }
                    newlines += 1;
                    if newlines == 3 {
                        return false;
                    }
                }
                _ => {
                    if previous == 0x0A && is_py_space(code) {
                        return false;
                    }
                    newlines = 0;
                }
            }
            previous = code;
        }
        true
    }
}

#[pymethods]
impl CleanText {
    #[new]
    fn new(nfc_stable: &Bound<'_, PyBytes>, special: &str) -> PyResult<Self> {
        let special: Vec<u32> = special.chars().map(u32::from).collect();
        if special.iter().any(|&code| code == 0x0A || code == 0x20) {
            return Err(PyValueError::new_err(
                "a special character is a space or a newline",
            ));
        }
        let mut kept = nfc_stable.as_bytes().to_vec();
        for code in special {
            if let Some(flag) = usize::try_from(code).ok().and_then(|at| kept.get_mut(at)) {
                *flag = 0;
            }
        }
        Ok(Self { kept })
    }

    /// Whether `clean_text(text) == text`, decided without changing it (false: maybe not).
    fn is_clean(&self, text: Bound<'_, PyString>) -> PyResult<bool> {
        Ok(with_code_units!(text, |units| self.is_clean_units(units)))
    }
}
