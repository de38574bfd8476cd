//! `segment.segment`'s sentence records built by the compiled core: the split and the
//! `article.Sentence` of each span in one call per article, instead of a Python loop.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::pystr::with_code_units;
use crate::segment::{SegmentRules, Split};

/// The segmentation rules and the sentence record type (`article.Sentence`).
#[pyclass(module = "workers._native", frozen)]
pub struct SentenceSplitter {
    rules: Py<SegmentRules>,
    sentence: Py<PyAny>,
}

#[pymethods]
impl SentenceSplitter {
    #[new]
    #[pyo3(signature = (*, rules, sentence))]
    fn new(rules: Py<SegmentRules>, sentence: Py<PyAny>) -> Self {
        Self { rules, sentence }
    }

    /// `Sentence(first + n, body[start:end], start + offset, end + offset, False, [], {}, {})`
    /// of the n-th span of `SegmentRules.split(body)`; None when `split` gives None.
    fn sentences<'py>(
        &self,
        body: Bound<'py, PyString>,
        offset: usize,
        first: usize,
    ) -> PyResult<Option<Bound<'py, PyList>>> {
        let py = body.py();
        let Some(split) = self.rules.get().split_scanned(&body)? else {
            return Ok(None);
        };
        let sentence = self.sentence.bind(py);
        let records = PyList::empty(py);
        let texts = with_code_units!(body, |units| sentence_texts(&body, units, &split));
        for (number, ((start, end), text)) in split.spans.into_iter().zip(texts?).enumerate() {
            let arguments = (
                first + number,
                text,
                start + offset,
                end + offset,
                false,
                PyList::empty(py),
                PyDict::new(py),
                PyDict::new(py),
            );
            records.append(sentence.call1(arguments)?)?;
        }
        Ok(Some(records))
    }
}

/// `body[start:end]` of each span, built from the code units `units` of `body`.
fn sentence_texts<'py, T: Copy + Into<u32>>(
    body: &Bound<'py, PyString>,
    units: &[T],
    split: &Split,
) -> PyResult<Vec<Bound<'py, PyString>>> {
    let mut texts = Vec::with_capacity(split.spans.len());
    for &(start, end) in &split.spans {
        let text = match units.get(start..end) {
            // Python's slice gives `body` itself or a cached one-character string here.
            Some(slice) if slice.len() > 1 && slice.len() < units.len() => {
                new_string(body.py(), slice, widest(&split.wide, start, end))?
            }
            _ => substring(body, start, end)?,
        };
        texts.push(text);
    }
    Ok(texts)
}

/// The widest code point in [start, end) of a text whose non-ASCII characters are `wide`
/// (sorted by position); 0x7F when they are all ASCII.
fn widest(wide: &[(usize, u32)], start: usize, end: usize) -> u32 {
    let first = wide.partition_point(|&(at, _)| at < start);
    wide[first..]
        .iter()
        .take_while(|&&(at, _)| at < end)
        .map(|&(_, code)| code)
        .fold(0x7F, u32::max)
}

/// A new str of the code points `units`, whose widest is `widest`: the compact string
/// Python's slicing makes (`PyUnicode_New` picks the kind by that exact widest code point).
fn new_string<'py, T: Copy + Into<u32>>(
    py: Python<'py>,
    units: &[T],
    widest: u32,
) -> PyResult<Bound<'py, PyString>> {
    let size = to_isize(units.len())?;
    // SAFETY: `PyUnicode_New` returns a new, not yet shared compact str of `size` code
    // points of the kind `widest` needs (or NULL with an exception set, which
    // `from_owned_ptr_or_err` returns), with its data allocated right after the header;
    // `PyUnicode_DATA` and `PyUnicode_KIND` read that header, and the slice written covers
    // exactly `size` units of that kind. Every unit is at most `widest` (all non-ASCII code
    // points of the text are in `wide`), so the narrowing casts keep every code point.
    unsafe {
        let string = Bound::from_owned_ptr_or_err(py, ffi::PyUnicode_New(size, widest))?;
        let data = ffi::PyUnicode_DATA(string.as_ptr());
        match ffi::PyUnicode_KIND(string.as_ptr()) {
            ffi::PyUnicode_1BYTE_KIND => fill(
                std::slice::from_raw_parts_mut(data.cast::<u8>(), units.len()),
                units,
                |c| c as u8,
            ),
            ffi::PyUnicode_2BYTE_KIND => fill(
                std::slice::from_raw_parts_mut(data.cast::<u16>(), units.len()),
                units,
                |c| c as u16,
            ),
            _ => fill(
                std::slice::from_raw_parts_mut(data.cast::<u32>(), units.len()),
                units,
                |c| c,
            ),
        }
        Ok(string.cast_into_unchecked())
    }
}

fn fill<T: Copy + Into<u32>, U>(target: &mut [U], units: &[T], narrow: impl Fn(u32) -> U) {
    for (slot, &unit) in target.iter_mut().zip(units) {
        *slot = narrow(unit.into());
    }
}

/// `body[start:end]` as Python's slicing makes it.
fn substring<'py>(
    body: &Bound<'py, PyString>,
    start: usize,
    end: usize,
) -> PyResult<Bound<'py, PyString>> {
    // SAFETY: `body` is a live str; `PyUnicode_Substring` returns a new reference to a str
    // (or NULL with an exception set, which `from_owned_ptr_or_err` returns).
    unsafe {
        let text = ffi::PyUnicode_Substring(body.as_ptr(), to_isize(start)?, to_isize(end)?);
        Ok(Bound::from_owned_ptr_or_err(body.py(), text)?.cast_into_unchecked())
    }
}

fn to_isize(position: usize) -> PyResult<isize> {
    isize::try_from(position)
        .map_err(|_| pyo3::exceptions::PyOverflowError::new_err("span out of range"))
}
