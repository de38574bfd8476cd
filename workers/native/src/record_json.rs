//! The finished article written as JSON in one pass, byte for byte what `orjson.dumps` writes
//! for the dict that `workers.processor.json_object` builds from it.
//!
//! Building that dict tree (a dict per sentence, entity and event) and then serialising and
//! freeing it cost about as much as the serialisation itself. Here the registered dataclasses
//! are read field by field and written straight into one buffer. Exact `str`, `int`, `float`,
//! `bool`, `None`, `list` and `dict` values are written as orjson writes them; any other value
//! (a subclass, a tuple, an int beyond 64 bits, a string holding a lone surrogate, a dict with
//! a key that is not an exact `str`) is handed to the fallback (`processor._dumps_other`: an
//! unregistered dataclass through its converter, anything else through `orjson.dumps`), whose
//! bytes or error are the answer for that value.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyType};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::records;

/// Nesting deeper than this goes to the fallback (orjson's own limit is 254 levels).
const MAX_DEPTH: usize = 200;

/// A registered dataclass field: its name, its written key and, when attribute access reads
/// it from an object slot of the instance, that slot's offset.
struct Field {
    name: Py<PyString>,
    key: Vec<u8>,
    slot: Option<isize>,
}

/// Writes registered dataclasses (and plain JSON values) as `orjson.dumps` would.
#[pyclass(module = "workers._native", frozen)]
pub struct RecordJson {
    /// Each registered class and its fields in declaration order: name, and `"name":`.
    classes: Vec<(Py<PyType>, Vec<Field>)>,
    fallback: Py<PyAny>,
    /// The size of the last output, to size the next buffer.
    last_len: AtomicUsize,
}

#[pymethods]
impl RecordJson {
    /// `classes`: (dataclass, its field names in order); `fallback`: value -> JSON bytes.
    #[new]
    fn new(
        py: Python<'_>,
        classes: Vec<(Py<PyType>, Vec<Py<PyString>>)>,
        fallback: Py<PyAny>,
    ) -> PyResult<Self> {
        let member_type = py.import("types")?.getattr("MemberDescriptorType")?;
        let mut registered = Vec::with_capacity(classes.len());
        for (class, names) in classes {
            let bound = class.bind(py);
            let generic = reads_attributes_generically(bound)?;
            let basic_size: isize = bound.getattr("__basicsize__")?.extract()?;
            let mut fields = Vec::with_capacity(names.len());
            for name in names {
                let text = name.bind(py).to_str()?;
                let mut key = Vec::new();
                write_str(text, &mut key);
                key.push(b':');
                let slot = match generic {
                    true => records::slot_offset(bound, text, &member_type, basic_size)?,
                    false => None,
                };
                fields.push(Field { name, key, slot });
            }
            registered.push((class, fields));
        }
        Ok(Self {
            classes: registered,
            fallback,
            last_len: AtomicUsize::new(1024),
        })
    }

    /// How many registered fields are read straight from their slots (for tests).
    #[getter]
    fn slot_fields(&self) -> usize {
        self.classes
            .iter()
            .flat_map(|(_, fields)| fields)
            .filter(|field| field.slot.is_some())
            .count()
    }

    /// The JSON bytes of `value`.
    fn dumps<'py>(&self, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
        let py = value.py();
        let mut out = Vec::with_capacity(self.last_len.load(Ordering::Relaxed) + 256);
        self.write(value, 0, &mut out)?;
        self.last_len.store(out.len(), Ordering::Relaxed);
        Ok(PyBytes::new(py, &out))
    }
}

impl RecordJson {
    fn write(&self, value: &Bound<'_, PyAny>, depth: usize, out: &mut Vec<u8>) -> PyResult<()> {
        if depth > MAX_DEPTH {
            return self.write_fallback(value, out);
        }
        if value.is_none() {
            out.extend_from_slice(b"null");
        } else if let Ok(text) = value.cast_exact::<PyString>() {
            match text.to_str() {
                Ok(text) => write_str(text, out),
                Err(_) => return self.write_fallback(value, out),
            }
        } else if let Ok(flag) = value.cast_exact::<PyBool>() {
            out.extend_from_slice(if flag.is_true() { b"true" } else { b"false" });
        } else if value.cast_exact::<PyInt>().is_ok() {
            match value.extract::<i64>() {
                Ok(number) => write_int(number, out),
                Err(_) => return self.write_fallback(value, out),
            }
        } else if let Ok(number) = value.cast_exact::<PyFloat>() {
            write_float(number.value(), out);
        } else if let Ok(list) = value.cast_exact::<PyList>() {
            self.write_list(list, depth, out)?;
        } else if let Ok(dict) = value.cast_exact::<PyDict>() {
            self.write_dict(dict, depth, out)?;
        } else if let Some(fields) = self.fields_of(value) {
            self.write_object(value, fields, depth, out)?;
        } else {
            return self.write_fallback(value, out);
        }
        Ok(())
    }

    fn fields_of(&self, value: &Bound<'_, PyAny>) -> Option<&[Field]> {
        let class = value.get_type().as_ptr();
        self.classes
            .iter()
            .find(|(registered, _)| registered.as_ptr() == class)
            .map(|(_, fields)| fields.as_slice())
    }

    fn write_object(
        &self,
        value: &Bound<'_, PyAny>,
        fields: &[Field],
        depth: usize,
        out: &mut Vec<u8>,
    ) -> PyResult<()> {
        let py = value.py();
        out.push(b'{');
        for (index, field) in fields.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&field.key);
            match field.slot.and_then(|offset| read_slot(value, offset)) {
                Some(item) => self.write(&item, depth + 1, out)?,
                None => self.write(&value.getattr(field.name.bind(py))?, depth + 1, out)?,
            }
        }
        out.push(b'}');
        Ok(())
    }

    fn write_list(
        &self,
        list: &Bound<'_, PyList>,
        depth: usize,
        out: &mut Vec<u8>,
    ) -> PyResult<()> {
        out.push(b'[');
        for (index, item) in list.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            self.write(&item, depth + 1, out)?;
        }
        out.push(b']');
        Ok(())
    }

    /// A dict whose keys are all exact strings (holding no lone surrogate); any other dict is
    /// written by the fallback as a whole, as orjson would accept or refuse it.
    fn write_dict(
        &self,
        dict: &Bound<'_, PyDict>,
        depth: usize,
        out: &mut Vec<u8>,
    ) -> PyResult<()> {
        let start = out.len();
        // The items are taken first: writing one may run Python code (the fallback, a class's
        // attribute access) that resizes the dict, which a live iterator refuses by panicking.
        let items: Vec<_> = dict.iter().collect();
        out.push(b'{');
        for (index, (key, item)) in items.into_iter().enumerate() {
            let key = match key.cast_exact::<PyString>().map(|key| key.to_str()) {
                Ok(Ok(key)) => key,
                _ => {
                    out.truncate(start);
                    return self.write_fallback(dict.as_any(), out);
                }
            };
            if index > 0 {
                out.push(b',');
            }
            write_str(key, out);
            out.push(b':');
            self.write(&item, depth + 1, out)?;
        }
        out.push(b'}');
        Ok(())
    }

    fn write_fallback(&self, value: &Bound<'_, PyAny>, out: &mut Vec<u8>) -> PyResult<()> {
        let written = self.fallback.bind(value.py()).call1((value,))?;
        out.extend_from_slice(written.cast::<PyBytes>()?.as_bytes());
        Ok(())
    }
}

/// True when instance attributes of `class` are found as `object.__getattribute__` finds
/// them (data descriptors of the class first, no `__getattr__`) and the class itself is looked
/// up as `type` does: then a field whose class attribute is a member descriptor is read from
/// its slot.
fn reads_attributes_generically(class: &Bound<'_, PyType>) -> PyResult<bool> {
    let py = class.py();
    let object = py.import("builtins")?.getattr("object")?;
    Ok(class.get_type().is(py.get_type::<PyType>())
        && class
            .getattr("__getattribute__")?
            .is(&object.getattr("__getattribute__")?)
        && !class.hasattr("__getattr__")?)
}

/// The object in the slot at `offset` of `value`, None when the slot is empty (unset).
fn read_slot<'py>(value: &Bound<'py, PyAny>, offset: isize) -> Option<Bound<'py, PyAny>> {
    // SAFETY: `value`'s exact type is a registered class (`fields_of` matched its type
    // pointer), for which `records::slot_offset` found a writable object slot of kind
    // `T_OBJECT_EX` at `offset`, inside `tp_basicsize`; a type's instance layout never
    // changes, so the slot holds a valid object pointer or null (unset), which is exactly
    // what the member descriptor would read. The object is borrowed while `value` lives.
    unsafe {
        let slot = value
            .as_ptr()
            .cast::<u8>()
            .offset(offset)
            .cast::<*mut pyo3::ffi::PyObject>()
            .read();
        Bound::from_borrowed_ptr_or_opt(value.py(), slot)
    }
}

/// What orjson writes for each byte of a string: 0 as it is, else the escape's second byte
/// (`u` for `\u00XX`).
const ESCAPES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// A JSON string: `"`, `\` and control characters escaped, everything else as UTF-8.
pub(crate) fn write_str(text: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    loop {
        let at = next_escape(bytes, run);
        out.extend_from_slice(&bytes[run..at]);
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        let escape = ESCAPES[byte as usize];
        if escape == b'u' {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(byte >> 4) as usize]);
            out.push(HEX[(byte & 15) as usize]);
        } else {
            out.push(b'\\');
            out.push(escape);
        }
        run = at + 1;
    }
    out.push(b'"');
}

/// The position of the first byte at or after `from` that must be escaped (`bytes.len()` if
/// none), eight bytes at a time: in each test below the lowest flagged byte is exact (a
/// borrow only ever flags bytes above a true match), and the lowest of all is the first.
fn next_escape(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let control = x.wrapping_sub(ONES * 0x20) & !x;
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        let flagged = (control
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash))
            & HIGH;
        if flagged != 0 {
            return at + (flagged.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    bytes[at.min(bytes.len())..]
        .iter()
        .position(|&byte| ESCAPES[byte as usize] != 0)
        .map_or(bytes.len(), |offset| at + offset)
}

pub(crate) fn write_int(number: i64, out: &mut Vec<u8>) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = number.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if number < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
}

/// orjson's float layout (that of Żmij: the shortest round-trip digits, fixed notation for
/// decimal exponents -5 to 15, else `d.ddde+X`); not finite is `null`.
pub(crate) fn write_float(number: f64, out: &mut Vec<u8>) {
    if number.is_finite() {
        out.extend_from_slice(zmij::Buffer::new().format_finite(number).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}
