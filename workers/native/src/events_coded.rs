//! An article's events, coded (`events.extract_events`): the roles of every trigger from
//! `EventParties` (the Python reference for the sentences it leaves), each event built as
//! the stage's `Event` with its type's name and codes. The catalogue's types, their codes and
//! role options, the `Event` class and the fallback come from Python at construction.

use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple, PyType};

use crate::events_parties::{EventParties, Row};
use crate::hashing::FnvMap;
use crate::records::RecordMaker;

/// `Event`'s fields, in `__init__` order.
const EVENT_FIELDS: [&str; 11] = [
    "type", "sentence", "text", "trigger", "acled", "cameo", "plover", "actor", "target",
    "location", "weapons",
];

/// An event type as its events carry it: its name and codes (shared by all its events, as
/// Python shares them) and the options of its triggers.
struct CodedType {
    name: Py<PyAny>,
    acled: Py<PyAny>,
    cameo: Py<PyAny>,
    plover: Py<PyAny>,
    options: u8,
}

/// A catalogue type given at construction: the `EventType`, its name, ACLED, CAMEO and
/// PLOVER codes and its role options.
type TypeSpec<'py> = (
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    u8,
);

/// A sentence with events as `_sentences_with_triggers` gives it: the `Sentence` and its
/// (event type, (start, end)) triggers.
type SentenceTriggers<'py> = (Bound<'py, PyAny>, Vec<(Bound<'py, PyAny>, (usize, usize))>);

/// A trigger as `EventTriggers.find_all` gives it: (type index, start, end).
type FoundTrigger = (usize, usize, usize);

/// `EventTriggers.find_all`'s rows: (sentence index, its triggers, or None: ask the
/// reference).
type FoundRows = Vec<(usize, Option<Vec<FoundTrigger>>)>;

/// An article's sentences with events, read: the sentences, every trigger (type index,
/// start, end) in one vector, and `bounds[k]..bounds[k + 1]`, sentence k's triggers in it.
struct Gathered<'py> {
    sentences: Vec<Bound<'py, PyAny>>,
    triggers: Vec<FoundTrigger>,
    bounds: Vec<usize>,
}

impl<'py> Gathered<'py> {
    /// `with_events` read in place when it is an exact list of exact tuples, as
    /// `_sentences_with_triggers` gives it (no vector per sentence, no iterators); None for
    /// any other shape or a type outside `coder`'s catalogue, which `extracted` reads (and
    /// reports).
    fn in_place(coder: &EventCoder, with_events: &Bound<'py, PyAny>) -> Option<Self> {
        let list = with_events.cast_exact::<PyList>().ok()?;
        let mut gathered = Self {
            sentences: Vec::with_capacity(list.len()),
            triggers: Vec::with_capacity(list.len() * 2),
            bounds: Vec::with_capacity(list.len() + 1),
        };
        gathered.bounds.push(0);
        for item in list.iter() {
            let pair = exact_pair(&item)?;
            let found = pair.1.cast_exact::<PyTuple>().ok()?;
            for trigger in found.iter() {
                let (event_type, span) = exact_pair(&trigger)?;
                let span = exact_pair(&span)?;
                let (start, end) = (span.0.extract().ok()?, span.1.extract().ok()?);
                let index = coder.index_of(&event_type).ok()?;
                gathered.triggers.push((index, start, end));
            }
            gathered.sentences.push(pair.0);
            gathered.bounds.push(gathered.triggers.len());
        }
        Some(gathered)
    }

    /// `with_events` of any shape, read as a list of `SentenceTriggers` (its errors too).
    fn extracted(coder: &EventCoder, with_events: &Bound<'py, PyAny>) -> PyResult<Self> {
        let read: Vec<SentenceTriggers<'py>> = with_events.extract()?;
        let mut gathered = Self {
            sentences: Vec::with_capacity(read.len()),
            triggers: Vec::new(),
            bounds: vec![0],
        };
        for (sentence, found) in read {
            for (event_type, (start, end)) in found {
                gathered
                    .triggers
                    .push((coder.index_of(&event_type)?, start, end));
            }
            gathered.sentences.push(sentence);
            gathered.bounds.push(gathered.triggers.len());
        }
        Ok(gathered)
    }

    /// The sentences with triggers of `EventTriggers.find_all`'s `rows` ((sentence index,
    /// triggers or None) each) among the article's `sentences`: a None row's triggers are
    /// the `reference`'s for the sentence's text, and sentences left without triggers are
    /// dropped.
    fn of_rows(
        sentences: &Bound<'py, PyList>,
        rows: FoundRows,
        reference: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Self> {
        let mut gathered = Self {
            sentences: Vec::with_capacity(rows.len()),
            triggers: Vec::with_capacity(rows.len() * 2),
            bounds: Vec::with_capacity(rows.len() + 1),
        };
        gathered.bounds.push(0);
        for (index, row) in rows {
            if index >= sentences.len() {
                return Err(PyValueError::new_err("a sentence index out of range"));
            }
            let sentence = sentences.get_item(index)?;
            match row {
                Some(row) => gathered.triggers.extend(row),
                None => {
                    let reference = reference.ok_or_else(|| {
                        PyValueError::new_err("a sentence for the reference, and none given")
                    })?;
                    let text = sentence.getattr(intern!(sentences.py(), "text"))?;
                    let row: Vec<FoundTrigger> = reference.call1((text,))?.extract()?;
                    gathered.triggers.extend(row);
                }
            }
            if gathered.triggers.len() > *gathered.bounds.last().unwrap_or(&0) {
                gathered.sentences.push(sentence);
                gathered.bounds.push(gathered.triggers.len());
            }
        }
        Ok(gathered)
    }
}

/// The two items of an exact tuple of two.
fn exact_pair<'py>(item: &Bound<'py, PyAny>) -> Option<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let tuple = item.cast_exact::<PyTuple>().ok()?;
    if tuple.len() != 2 {
        return None;
    }
    Some((tuple.get_item(0).ok()?, tuple.get_item(1).ok()?))
}

/// One event's trigger, actor, target, location and weapons as Python objects.
type RolesObjects<'py> = (
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
);

#[pyclass(frozen, module = "workers._native")]
pub struct EventCoder {
    parties: Py<EventParties>,
    /// The `EventType`s, held so that their addresses, the keys of `by_address`, stay theirs.
    _event_types: Vec<Py<PyAny>>,
    /// Address of an `EventType` -> its index in `types`.
    by_address: FnvMap<usize, usize>,
    types: Vec<CodedType>,
    /// Makes `event_class(type, sentence, text, trigger, acled, cameo, plover, actor, target,
    /// location, weapons)` events.
    event: RecordMaker<11>,
    /// `events_roles.event_roles_fallback(texts, triggers, entities)`: the rows of the
    /// sentences `parties` leaves to Python.
    fallback: Py<PyAny>,
}

fn roles_objects<'py>(py: Python<'py>, row: Row) -> PyResult<RolesObjects<'py>> {
    let (trigger, actor, target, location, weapons) = row;
    let name = |name: Option<std::sync::Arc<str>>| match name {
        Some(name) => PyString::new(py, &name).into_any(),
        None => py.None().into_bound(py),
    };
    let weapons = weapons.as_deref().unwrap_or_default();
    Ok((
        PyString::new(py, &trigger).into_any(),
        name(actor),
        name(target),
        name(location),
        PyList::new(py, weapons.iter().map(|weapon| PyString::new(py, weapon)))?.into_any(),
    ))
}

impl EventCoder {
    /// The index in `types` of a catalogue `EventType`, found by its address.
    fn index_of(&self, event_type: &Bound<'_, PyAny>) -> PyResult<usize> {
        let address = event_type.as_ptr() as usize;
        self.by_address
            .get(&address)
            .copied()
            .ok_or_else(|| PyValueError::new_err("an event type outside the catalogue"))
    }

    /// The type of index `index` in the catalogue.
    fn type_at(&self, index: usize) -> PyResult<&CodedType> {
        self.types
            .get(index)
            .ok_or_else(|| PyValueError::new_err("an event type index outside the catalogue"))
    }

    /// The `Event` of a trigger of type `coded` in the sentence (`index`, `text`).
    fn event<'py>(
        &self,
        py: Python<'py>,
        coded: &CodedType,
        index: &Bound<'py, PyAny>,
        text: &Bound<'py, PyString>,
        roles: RolesObjects<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (trigger, actor, target, location, weapons) = roles;
        self.event.make(
            py,
            [
                coded.name.bind(py).clone(),
                index.clone(),
                text.clone().into_any(),
                trigger,
                coded.acled.bind(py).clone(),
                coded.cameo.bind(py).clone(),
                coded.plover.bind(py).clone(),
                actor,
                target,
                location,
                weapons,
            ],
        )
    }
}

#[pymethods]
impl EventCoder {
    /// `types`: per catalogue type, (event type, name, ACLED code, CAMEO code, PLOVER code,
    /// role options); `event_class(type, sentence, text, trigger, acled, cameo, plover, actor,
    /// target, location, weapons)` builds an event.
    #[new]
    #[pyo3(signature = (*, parties, types, event_class, fallback))]
    fn new(
        py: Python<'_>,
        parties: Py<EventParties>,
        types: Vec<TypeSpec<'_>>,
        event_class: Py<PyType>,
        fallback: Py<PyAny>,
    ) -> PyResult<Self> {
        let mut by_address = FnvMap::default();
        let mut event_types = Vec::with_capacity(types.len());
        let mut coded = Vec::with_capacity(types.len());
        for (event_type, name, acled, cameo, plover, options) in types {
            if by_address
                .insert(event_type.as_ptr() as usize, coded.len())
                .is_some()
            {
                return Err(PyValueError::new_err("an event type given twice"));
            }
            event_types.push(event_type.unbind());
            coded.push(CodedType {
                name: name.unbind(),
                acled: acled.unbind(),
                cameo: cameo.unbind(),
                plover: plover.unbind(),
                options,
            });
        }
        Ok(Self {
            parties,
            _event_types: event_types,
            by_address,
            types: coded,
            event: RecordMaker::new(py, event_class.into_any(), EVENT_FIELDS)?,
            fallback,
        })
    }

    /// Whether events are made by storing their slots (for tests).
    #[getter]
    fn stores_event_slots(&self) -> bool {
        self.event.stores_slots()
    }

    /// The events of the article's sentences `with_events` ((sentence, triggers) each, as
    /// `_sentences_with_triggers` gives them), their roles from the article's `entities`.
    fn events<'py>(
        &self,
        py: Python<'py>,
        with_events: &Bound<'py, PyAny>,
        entities: Vec<Bound<'py, PyAny>>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let gathered = match Gathered::in_place(self, with_events) {
            Some(gathered) => gathered,
            None => Gathered::extracted(self, with_events)?,
        };
        self.coded(py, gathered, entities)
    }

    /// The events of the article's `sentences` with triggers, `rows` as
    /// `EventTriggers.find_all` gives them for the sentences' texts ((sentence index, (type
    /// index, start, end) triggers, or None: the `reference`'s triggers for the sentence's
    /// text), their roles from the article's `entities`: `events` without building the
    /// triggers' event types.
    #[pyo3(signature = (sentences, rows, entities, reference=None))]
    fn events_of_rows<'py>(
        &self,
        py: Python<'py>,
        sentences: &Bound<'py, PyList>,
        rows: FoundRows,
        entities: Vec<Bound<'py, PyAny>>,
        reference: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let gathered = Gathered::of_rows(sentences, rows, reference)?;
        self.coded(py, gathered, entities)
    }
}

impl EventCoder {
    /// The events of the `gathered` sentences' triggers, their roles from `entities`.
    fn coded<'py>(
        &self,
        py: Python<'py>,
        gathered: Gathered<'py>,
        entities: Vec<Bound<'py, PyAny>>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let Gathered {
            sentences,
            triggers: found,
            bounds,
        } = gathered;
        let mut texts = Vec::with_capacity(sentences.len());
        let mut indices = Vec::with_capacity(sentences.len());
        // Every sentence's triggers and their types in one vector each, sentence k's at
        // `bounds[k]..bounds[k + 1]`.
        let mut spans = Vec::with_capacity(found.len());
        let mut kinds: Vec<&CodedType> = Vec::with_capacity(found.len());
        for (k, sentence) in sentences.iter().enumerate() {
            texts.push(
                sentence
                    .getattr(intern!(py, "text"))?
                    .cast_into::<PyString>()?,
            );
            indices.push(sentence.getattr(intern!(py, "index"))?);
            for &(type_index, start, end) in &found[bounds[k]..bounds[k + 1]] {
                let coded = self.type_at(type_index)?;
                spans.push((start, end, coded.options));
                kinds.push(coded);
            }
        }
        let triggers: Vec<&[(usize, usize, u8)]> = bounds
            .windows(2)
            .map(|pair| &spans[pair[0]..pair[1]])
            .collect();
        let rows = self.parties.get().rows(py, &texts, &triggers, &entities)?;
        let mut left: Vec<usize> = Vec::new();
        left.extend((0..rows.len()).filter(|&k| rows[k].is_none()));
        let mut answered = if left.is_empty() {
            Vec::new().into_iter()
        } else {
            let left_texts: Vec<&Bound<'py, PyString>> = left.iter().map(|&k| &texts[k]).collect();
            let left_triggers: Vec<&[(usize, usize, u8)]> =
                left.iter().map(|&k| triggers[k]).collect();
            let answer = self
                .fallback
                .bind(py)
                .call1((left_texts, left_triggers, &entities))?;
            let answered = answer.extract::<Vec<Vec<RolesObjects<'py>>>>()?;
            if answered.len() > left.len() {
                return Err(PyValueError::new_err("the fallback answered too many"));
            }
            answered.into_iter()
        };
        let mut events = Vec::with_capacity(spans.len());
        for (k, row) in rows.into_iter().enumerate() {
            let (index, text) = (&indices[k], &texts[k]);
            let types = &kinds[bounds[k]..bounds[k + 1]];
            match row {
                Some(row) => {
                    if row.len() != types.len() {
                        return Err(PyValueError::new_err("one roles per trigger"));
                    }
                    for (coded, roles) in types.iter().zip(row) {
                        let roles = roles_objects(py, roles)?;
                        events.push(self.event(py, coded, index, text, roles)?);
                    }
                }
                None => {
                    let roles = answered
                        .next()
                        .ok_or_else(|| PyValueError::new_err("the fallback answered too few"))?;
                    if roles.len() != types.len() {
                        return Err(PyValueError::new_err("one roles per trigger"));
                    }
                    for (coded, roles) in types.iter().zip(roles) {
                        events.push(self.event(py, coded, index, text, roles)?);
                    }
                }
            }
        }
        Ok(events)
    }
}
