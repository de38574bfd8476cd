//! The article-level results of the classify stage (`classify.reference_label_result`): each
//! label's discounted noisy-or score and its best evidence sentences, built in one call per
//! article from the sentences `Classifier.apply` labelled.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

/// The constants and record types of `classify._label_result` and `scoring.article_score`.
#[pyclass(module = "workers._native", frozen)]
pub struct LabelResults {
    labels: [Py<PyString>; 2],
    sentence_threshold: f64,
    rank_weights: Vec<f64>,
    evidence_limit: usize,
    evidence: Py<PyAny>,
    label_result: Py<PyAny>,
    /// Python's `round`, so that article scores round exactly as `round(value, 4)` does.
    round: Py<PyAny>,
}

/// One supporting sentence: its score object and value, in text order.
struct Ranked<'py> {
    sentence: Bound<'py, PyAny>,
    score: Bound<'py, PyAny>,
    value: f64,
}

impl LabelResults {
    /// `classify._label_result(supporting, label)` for the sentences at `positions`.
    fn result<'py>(
        &self,
        sentences: &Bound<'py, PyList>,
        positions: &[usize],
        label: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = sentences.py();
        let scores_name = pyo3::intern!(py, "scores");
        let mut ranked = Vec::with_capacity(positions.len());
        for &position in positions {
            let sentence = sentences.get_item(position)?;
            let score = sentence
                .getattr(scores_name)?
                .cast_into::<PyDict>()?
                .get_item(label)?
                .ok_or_else(|| PyValueError::new_err("a supporting sentence without its score"))?;
            let value = score.extract::<f64>()?;
            ranked.push(Ranked {
                sentence,
                score,
                value,
            });
        }
        // Stable, highest first: equal scores keep text order, as Python's sorted does.
        ranked.sort_by(|a, b| {
            b.value
                .partial_cmp(&a.value)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let score = self.article_score(py, &ranked)?;
        let evidence = PyList::empty(py);
        for item in ranked.iter().take(self.evidence_limit) {
            evidence.append(self.evidence_of(item, label)?)?;
        }
        self.label_result.bind(py).call1((score, evidence))
    }

    /// `scoring.article_score` of the ranked scores (already highest first).
    fn article_score<'py>(
        &self,
        py: Python<'py>,
        ranked: &[Ranked<'py>],
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut miss = 1.0;
        let labelled = ranked
            .iter()
            .map(|item| item.value)
            .filter(|&value| value >= self.sentence_threshold);
        for (value, weight) in labelled.zip(&self.rank_weights) {
            miss *= 1.0 - value * weight;
        }
        self.round.bind(py).call1((1.0 - miss, 4))
    }

    /// `Evidence(s.index, s.text, score, s.cues.get(label, []))`.
    fn evidence_of<'py>(
        &self,
        item: &Ranked<'py>,
        label: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = item.sentence.py();
        let sentence = &item.sentence;
        let cues = match sentence
            .getattr(pyo3::intern!(py, "cues"))?
            .cast_into::<PyDict>()?
            .get_item(label)?
        {
            Some(cues) => cues,
            None => PyList::empty(py).into_any(),
        };
        let arguments = PyTuple::new(
            py,
            [
                sentence.getattr(pyo3::intern!(py, "index"))?,
                sentence.getattr(pyo3::intern!(py, "text"))?,
                item.score.clone(),
                cues,
            ],
        )?;
        self.evidence.bind(py).call1(arguments)
    }
}

#[pymethods]
impl LabelResults {
    #[new]
    #[pyo3(signature = (*, labels, sentence_threshold, rank_weights, evidence_limit, evidence, label_result))]
    fn new(
        py: Python<'_>,
        labels: (Py<PyString>, Py<PyString>),
        sentence_threshold: f64,
        rank_weights: Vec<f64>,
        evidence_limit: usize,
        evidence: Py<PyAny>,
        label_result: Py<PyAny>,
    ) -> PyResult<Self> {
        Ok(Self {
            labels: [labels.0, labels.1],
            sentence_threshold,
            rank_weights,
            evidence_limit,
            evidence,
            label_result,
            round: py.import("builtins")?.getattr("round")?.unbind(),
        })
    }

    /// The `LabelResult` of each label (in the order of `labels`), from the positions of the
    /// sentences that carry it.
    fn results<'py>(
        &self,
        sentences: &Bound<'py, PyList>,
        supporting: (Vec<usize>, Vec<usize>),
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let py = sentences.py();
        Ok((
            self.result(sentences, &supporting.0, self.labels[0].bind(py))?,
            self.result(sentences, &supporting.1, self.labels[1].bind(py))?,
        ))
    }
}
