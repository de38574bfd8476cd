//! The finished per-sentence records of the classify stage: the Python objects of each
//! outcome (published once by the core's `label_sentences`, with the rounding and the label
//! threshold Python hands it at construction) are handed to every sentence with that outcome, so Python runs no
//! loop over the sentences of an article.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::type_object::PyTypeInfo;
use pyo3::types::{PyDict, PyList, PyString};

/// What a sentence with one outcome gets: its scores, cue texts and labels, as the Python
/// objects `classify._Outcome` holds.
pub struct Published {
    military: Py<PyAny>,
    diplomatic: Py<PyAny>,
    military_cues: Vec<Py<PyString>>,
    diplomatic_cues: Vec<Py<PyString>>,
    /// Whether the sentence carries the military, the diplomatic label.
    labels: [bool; 2],
}

/// Outcomes by number (a generation of `classify::OutcomeTable`), once published.
#[derive(Default)]
pub struct PublishedOutcomes {
    by_number: Vec<Option<Published>>,
}

/// The two label names (`article.LABELS`), as dict keys and list items.
pub struct LabelNames {
    military: Py<PyString>,
    diplomatic: Py<PyString>,
}

impl LabelNames {
    pub fn new(military: Py<PyString>, diplomatic: Py<PyString>) -> Self {
        Self {
            military,
            diplomatic,
        }
    }

    /// Which of the two labels `name` is.
    fn index(&self, py: Python<'_>, name: &Bound<'_, PyString>) -> PyResult<usize> {
        if name.as_any().eq(self.military.bind(py))? {
            Ok(0)
        } else if name.as_any().eq(self.diplomatic.bind(py))? {
            Ok(1)
        } else {
            Err(PyValueError::new_err(format!("unknown label {name}")))
        }
    }
}

/// Interned attribute names of `article.Sentence`.
struct Fields<'py> {
    text: Bound<'py, PyString>,
    scores: Bound<'py, PyString>,
    cues: Bound<'py, PyString>,
    labels: Bound<'py, PyString>,
}

impl<'py> Fields<'py> {
    fn new(py: Python<'py>) -> Self {
        Self {
            text: pyo3::intern!(py, "text").clone(),
            scores: pyo3::intern!(py, "scores").clone(),
            cues: pyo3::intern!(py, "cues").clone(),
            labels: pyo3::intern!(py, "labels").clone(),
        }
    }
}

/// An empty container for a sentence field: the field's own value when that is an empty
/// `dict`/`list` that nothing else refers to (as a new sentence's defaults are), else a new one.
/// Filling the field's own empty container in place is then unobservable, and saves making a
/// new one and freeing the old.
struct Fresh<'py, T> {
    value: Bound<'py, T>,
    /// Whether `value` is a new container, to be set on the sentence.
    is_new: bool,
}

impl<'py, T: PyTypeInfo> Fresh<'py, T> {
    /// `empty` makes a new container (`PyDict::new`, `PyList::empty`).
    fn of(
        sentence: &Bound<'py, PyAny>,
        field: &Bound<'py, PyString>,
        empty: fn(Python<'py>) -> Bound<'py, T>,
    ) -> PyResult<Self> {
        let current = sentence.getattr(field)?;
        // Two references: the sentence's and `current`.
        if current.get_refcnt() == 2 {
            if let Ok(own) = current.cast_exact::<T>() {
                if own.as_any().len()? == 0 {
                    return Ok(Self {
                        value: own.clone(),
                        is_new: false,
                    });
                }
            }
        }
        Ok(Self {
            value: empty(sentence.py()),
            is_new: true,
        })
    }

    fn set(self, sentence: &Bound<'py, PyAny>, field: &Bound<'py, PyString>) -> PyResult<()> {
        if self.is_new {
            sentence.setattr(field, self.value)?;
        }
        Ok(())
    }
}

/// The `text` of every sentence of `sentences`.
pub fn sentence_texts<'py>(sentences: &Bound<'py, PyList>) -> PyResult<Vec<Bound<'py, PyString>>> {
    let text = &Fields::new(sentences.py()).text;
    let mut texts = Vec::with_capacity(sentences.len());
    for sentence in sentences.iter() {
        texts.push(sentence.getattr(text)?.cast_into::<PyString>()?);
    }
    Ok(texts)
}

impl PublishedOutcomes {
    /// Forgets every outcome (the table started a new generation).
    pub fn clear(&mut self) {
        self.by_number.clear();
    }

    pub fn is_published(&self, number: u32) -> bool {
        matches!(self.by_number.get(number as usize), Some(Some(_)))
    }

    /// The numbers of `ids` not yet published, each once, in order of first appearance.
    pub fn missing(&self, ids: &[u32]) -> Vec<u32> {
        let mut missing: Vec<u32> = Vec::new();
        for &id in ids {
            if !self.is_published(id) && !missing.contains(&id) {
                missing.push(id);
            }
        }
        missing
    }

    #[allow(clippy::too_many_arguments)]
    pub fn publish(
        &mut self,
        names: &LabelNames,
        number: u32,
        military: Bound<'_, PyAny>,
        diplomatic: Bound<'_, PyAny>,
        military_cues: Vec<Bound<'_, PyString>>,
        diplomatic_cues: Vec<Bound<'_, PyString>>,
        labels: Vec<Bound<'_, PyString>>,
    ) -> PyResult<()> {
        let py = military.py();
        let mut carried = [false; 2];
        for label in &labels {
            carried[names.index(py, label)?] = true;
        }
        self.publish_labelled(
            number,
            military,
            diplomatic,
            military_cues,
            diplomatic_cues,
            carried,
        );
        Ok(())
    }

    /// `publish` with the labels as flags: whether the sentences carry the military, the
    /// diplomatic label.
    pub fn publish_labelled(
        &mut self,
        number: u32,
        military: Bound<'_, PyAny>,
        diplomatic: Bound<'_, PyAny>,
        military_cues: Vec<Bound<'_, PyString>>,
        diplomatic_cues: Vec<Bound<'_, PyString>>,
        carried: [bool; 2],
    ) {
        let at = number as usize;
        if self.by_number.len() <= at {
            self.by_number.resize_with(at + 1, || None);
        }
        let unbind = |cues: Vec<Bound<'_, PyString>>| cues.into_iter().map(Bound::unbind).collect();
        self.by_number[at] = Some(Published {
            military: military.unbind(),
            diplomatic: diplomatic.unbind(),
            military_cues: unbind(military_cues),
            diplomatic_cues: unbind(diplomatic_cues),
            labels: carried,
        });
    }

    /// Sets `scores`, `cues` and `labels` of each sentence from its outcome, as
    /// `classify.reference_apply` does; returns the positions of the sentences that carry
    /// the military label, then of those that carry the diplomatic label.
    pub fn apply(
        &self,
        names: &LabelNames,
        sentences: &Bound<'_, PyList>,
        ids: &[u32],
    ) -> PyResult<(Vec<usize>, Vec<usize>)> {
        if sentences.len() != ids.len() {
            return Err(PyValueError::new_err("one outcome number per sentence"));
        }
        let py = sentences.py();
        let fields = Fields::new(py);
        let military = names.military.bind(py);
        let diplomatic = names.diplomatic.bind(py);
        let mut supporting = (Vec::new(), Vec::new());
        for (position, (sentence, &id)) in sentences.iter().zip(ids).enumerate() {
            let Some(Some(outcome)) = self.by_number.get(id as usize) else {
                return Err(PyValueError::new_err(format!("outcome {id} not published")));
            };
            let scores = Fresh::of(&sentence, &fields.scores, PyDict::new)?;
            scores.value.set_item(military, outcome.military.bind(py))?;
            scores
                .value
                .set_item(diplomatic, outcome.diplomatic.bind(py))?;
            let cues = Fresh::of(&sentence, &fields.cues, PyDict::new)?;
            if !outcome.military_cues.is_empty() {
                cues.value
                    .set_item(military, PyList::new(py, &outcome.military_cues)?)?;
            }
            if !outcome.diplomatic_cues.is_empty() {
                cues.value
                    .set_item(diplomatic, PyList::new(py, &outcome.diplomatic_cues)?)?;
            }
            let labels = Fresh::of(&sentence, &fields.labels, PyList::empty)?;
            if outcome.labels[0] {
                labels.value.append(military)?;
                supporting.0.push(position);
            }
            if outcome.labels[1] {
                labels.value.append(diplomatic)?;
                supporting.1.push(position);
            }
            scores.set(&sentence, &fields.scores)?;
            cues.set(&sentence, &fields.cues)?;
            labels.set(&sentence, &fields.labels)?;
        }
        Ok(supporting)
    }
}
