//! `Collector.entities` (`workers.pipeline.enrich.collect`) in one call: the records ordered by
//! their first mention, each given its distinct surfaces in text order. The Python method stays
//! the reference (`Collector.entities_reference`).
//!
//! Keys are matched first by object identity (a span usually holds the very tuple its record
//! was stored under), and only otherwise by Python hash and equality, as a dict would.

use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

/// The records' keys, found by identity or (built on first need) by hash and equality.
struct KeyIndex<'py> {
    keys: Vec<Bound<'py, PyAny>>,
    /// (address of a key object, its record), sorted by address.
    by_pointer: Vec<(usize, usize)>,
    /// (Python hash of a key, its record), sorted by hash.
    by_hash: Option<Vec<(isize, usize)>>,
}

impl<'py> KeyIndex<'py> {
    fn new(keys: Vec<Bound<'py, PyAny>>) -> Self {
        let mut by_pointer: Vec<(usize, usize)> = keys
            .iter()
            .enumerate()
            .map(|(index, key)| (key.as_ptr() as usize, index))
            .collect();
        by_pointer.sort_unstable();
        Self {
            keys,
            by_pointer,
            by_hash: None,
        }
    }

    /// The position of the record stored under a key equal to `key`, if any.
    fn find(&mut self, key: &Bound<'py, PyAny>) -> PyResult<Option<usize>> {
        let address = key.as_ptr() as usize;
        if let Ok(at) = self
            .by_pointer
            .binary_search_by_key(&address, |&(pointer, _)| pointer)
        {
            return Ok(Some(self.by_pointer[at].1));
        }
        let by_hash = match &mut self.by_hash {
            Some(by_hash) => by_hash,
            None => {
                let mut by_hash = Vec::with_capacity(self.keys.len());
                for (index, stored) in self.keys.iter().enumerate() {
                    by_hash.push((stored.hash()?, index));
                }
                by_hash.sort_unstable();
                self.by_hash.insert(by_hash)
            }
        };
        let hash = key.hash()?;
        let first = by_hash.partition_point(|&(stored, _)| stored < hash);
        for &(stored, index) in &by_hash[first..] {
            if stored != hash {
                break;
            }
            if self.keys[index].eq(key)? {
                return Ok(Some(index));
            }
        }
        Ok(None)
    }
}

/// The entities of a `Collector`: its `records` (key -> record, in insertion order) ordered by
/// `first_seen` (stable), each record's `mentions` set to the distinct surfaces of its `spans`
/// ((start, end, key, surface) tuples) in order of their start (stable). Spans of keys with no
/// record are ignored.
#[pyfunction]
pub fn collected_entities<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyDict>,
    first_seen: &Bound<'py, PyDict>,
    spans: &Bound<'py, PyList>,
) -> PyResult<Bound<'py, PyList>> {
    let mut keys = Vec::with_capacity(records.len());
    let mut values = Vec::with_capacity(records.len());
    let mut seen_at = Vec::with_capacity(records.len());
    // `first_seen` gets its keys with the records, in the same order: read it alongside and
    // look a key up only when the two disagree.
    let mut firsts = first_seen.iter();
    for (key, record) in records.iter() {
        let at = match firsts.next() {
            Some((first_key, at)) if first_key.is(&key) => at,
            _ => first_seen
                .get_item(&key)?
                .ok_or_else(|| PyKeyError::new_err(key.clone().unbind()))?,
        };
        seen_at.push(at.extract::<isize>()?);
        keys.push(key);
        values.push(record);
    }
    let mut index = KeyIndex::new(keys);

    let mut found: Vec<(isize, usize, Bound<'py, PyAny>)> = Vec::with_capacity(spans.len());
    for span in spans.iter() {
        let span = span.cast_into::<PyTuple>()?;
        if span.len() != 4 {
            return Err(PyValueError::new_err(
                "a span is not (start, end, key, surface)",
            ));
        }
        let start = span.get_item(0)?.extract::<isize>()?;
        if let Some(record) = index.find(&span.get_item(2)?)? {
            found.push((start, record, span.get_item(3)?));
        }
    }
    // One stable sort by (record, start): each record's surfaces are one run, in start order,
    // and spans starting together keep the order they were added in.
    found.sort_by_key(|&(start, record, _)| (record, start));

    // Per record, the range of its distinct surfaces in `surfaces`.
    let mut ranges = vec![(0usize, 0usize); values.len()];
    let mut surfaces: Vec<Bound<'py, PyAny>> = Vec::with_capacity(found.len());
    let mut from = 0;
    while from < found.len() {
        let record = found[from].1;
        let first = surfaces.len();
        let mut upto = from;
        while upto < found.len() && found[upto].1 == record {
            let surface = &found[upto].2;
            let mut known = false;
            for other in &surfaces[first..] {
                if other.is(surface) || other.eq(surface)? {
                    known = true;
                    break;
                }
            }
            if !known {
                surfaces.push(surface.clone());
            }
            upto += 1;
        }
        ranges[record] = (first, surfaces.len());
        from = upto;
    }

    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by_key(|&record| seen_at[record]);
    let out = PyList::empty(py);
    let mentions = pyo3::intern!(py, "mentions");
    for record in order {
        let value = &values[record];
        let (first, last) = ranges[record];
        value.setattr(mentions, PyList::new(py, &surfaces[first..last])?)?;
        out.append(value)?;
    }
    Ok(out)
}
