//! `segment.segment`'s sentence records built by the compiled core: the split and the
//! `article.Sentence` of each span in one call per article, instead of a Python loop.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PySlice, PyString};

use crate::segment::SegmentRules;

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
        let Some(spans) = self.rules.get().spans(&body)? else {
            return Ok(None);
        };
        let sentence = self.sentence.bind(py);
        let records = PyList::empty(py);
        for (number, (start, end)) in spans.into_iter().enumerate() {
            // Spans are char offsets within `body`, as Python's slicing takes them.
            let slice = PySlice::new(py, to_isize(start)?, to_isize(end)?, 1);
            let text = body.as_any().get_item(slice)?;
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

fn to_isize(position: usize) -> PyResult<isize> {
    isize::try_from(position)
        .map_err(|_| pyo3::exceptions::PyOverflowError::new_err("span out of range"))
}
