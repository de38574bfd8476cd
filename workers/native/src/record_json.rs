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

use pyo3::exceptions::PyRecursionError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyType};
use std::sync::Mutex;

use crate::records;

/// A value nested deeper than this is written whole by the fallback, so that orjson's own
/// limit (254 levels) counts from the root as it does for the reference (for values this
/// writer writes itself: a value handed to the fallback further down is counted from there).
const MAX_DEPTH: usize = 200;

/// A registered dataclass field: its name, its written key (with the `{` or `,` before it)
/// and, when attribute access reads it from an object slot of the instance, that slot's offset.
struct Field {
    name: Py<PyString>,
    key: Key,
    slot: Option<isize>,
}

/// Writes registered dataclasses (and plain JSON values) as `orjson.dumps` would.
#[pyclass(module = "workers._native", frozen)]
pub struct RecordJson {
    /// Each registered class and its fields in declaration order: name, and `"name":`.
    classes: Vec<(Py<PyType>, Vec<Field>)>,
    fallback: Py<PyAny>,
    /// The buffer of the last call, kept for the next: its pages are already mapped and warm.
    /// A call made while it is in use (from Python code the writer runs) takes a new one.
    buffer: Mutex<Vec<u8>>,
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
            for (index, name) in names.into_iter().enumerate() {
                let text = name.bind(py).to_str()?;
                let key = Key::new(text, if index == 0 { b'{' } else { b',' });
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
            buffer: Mutex::new(Vec::new()),
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
        let mut kept = self.buffer.try_lock().ok();
        let mut out = Out::new(kept.as_deref_mut().map(std::mem::take).unwrap_or_default());
        let written = match self.write(value, 0, &mut out) {
            Err(_) if out.too_deep => self
                .fallback
                .bind(py)
                .call1((value,))
                .and_then(|written| Ok(written.cast_into::<PyBytes>()?)),
            result => result.map(|()| PyBytes::new(py, out.written())),
        };
        if let Some(kept) = kept.as_deref_mut() {
            if out.buf.len() <= KEPT_BUFFER {
                *kept = out.buf;
            }
        }
        written
    }
}

impl RecordJson {
    fn write(&self, value: &Bound<'_, PyAny>, depth: usize, out: &mut Out) -> PyResult<()> {
        if depth > MAX_DEPTH {
            out.too_deep = true;
            return Err(PyRecursionError::new_err(
                "nested too deep for the native writer",
            ));
        }
        if value.is_none() {
            out.extend(b"null");
        } else if let Ok(text) = value.cast_exact::<PyString>() {
            match text.to_str() {
                Ok(text) => write_str(text, out),
                Err(_) => return self.write_fallback(value, out),
            }
        } else if let Ok(flag) = value.cast_exact::<PyBool>() {
            out.extend(if flag.is_true() { b"true" } else { b"false" });
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
        out: &mut Out,
    ) -> PyResult<()> {
        let py = value.py();
        if fields.is_empty() {
            out.push(b'{');
        }
        for field in fields {
            field.key.write(out);
            match field.slot.and_then(|offset| read_slot(value, offset)) {
                Some(item) => self.write(&item, depth + 1, out)?,
                None => self.write(&value.getattr(field.name.bind(py))?, depth + 1, out)?,
            }
        }
        out.push(b'}');
        Ok(())
    }

    fn write_list(&self, list: &Bound<'_, PyList>, depth: usize, out: &mut Out) -> PyResult<()> {
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
    fn write_dict(&self, dict: &Bound<'_, PyDict>, depth: usize, out: &mut Out) -> PyResult<()> {
        let start = out.pos;
        // The items are taken first: writing one may run Python code (the fallback, a class's
        // attribute access) that resizes the dict, which a live iterator refuses by panicking.
        let items: Vec<_> = dict.iter().collect();
        out.push(b'{');
        for (index, (key, item)) in items.into_iter().enumerate() {
            let key = match key.cast_exact::<PyString>().map(|key| key.to_str()) {
                Ok(Ok(key)) => key,
                _ => {
                    out.pos = start;
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

    fn write_fallback(&self, value: &Bound<'_, PyAny>, out: &mut Out) -> PyResult<()> {
        let written = self.fallback.bind(value.py()).call1((value,))?;
        out.extend(written.cast::<PyBytes>()?.as_bytes());
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
    // what the member descriptor would read. `from_borrowed_ptr_or_opt` takes its own
    // reference; the GIL (this module does not declare itself free-threaded) keeps another
    // thread from emptying the slot between the read and that incref.
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

/// Free bytes kept past every reservation of `Out`, so that a short value is copied with a
/// fixed-size store of 8 or 16 bytes (its trailing bytes overwritten by what follows).
const SLACK: usize = 64;
/// A buffer that grew past this (an unusually large value) is not kept for the next call.
const KEPT_BUFFER: usize = 1 << 20;

/// The output being written: a zero-filled buffer and the length written so far. Writes go
/// through fixed-size copies into the buffer's slack instead of a `memcpy` call per value.
struct Out {
    buf: Vec<u8>,
    pos: usize,
    /// Set when a value nests deeper than `MAX_DEPTH`: the root goes to the fallback.
    too_deep: bool,
}

impl Out {
    fn new(buf: Vec<u8>) -> Self {
        Self {
            buf,
            pos: 0,
            too_deep: false,
        }
    }

    fn written(&self) -> &[u8] {
        &self.buf[..self.pos]
    }

    /// Room for `extra` more bytes, and `SLACK` beyond them.
    #[inline]
    fn reserve(&mut self, extra: usize) {
        if self.pos + extra + SLACK > self.buf.len() {
            self.grow(extra);
        }
    }

    #[cold]
    fn grow(&mut self, extra: usize) {
        let needed = self.pos + extra + SLACK;
        self.buf.resize(needed.max(self.buf.len() * 2), 0);
    }

    #[inline]
    fn push(&mut self, byte: u8) {
        self.reserve(1);
        self.buf[self.pos] = byte;
        self.pos += 1;
    }

    /// Stores 8 bytes at the end without counting them as written (the caller advances).
    #[inline]
    fn store_word(&mut self, word: u64) {
        self.buf[self.pos..self.pos + 8].copy_from_slice(&word.to_le_bytes());
    }

    #[inline]
    fn extend(&mut self, bytes: &[u8]) {
        self.reserve(bytes.len());
        let len = bytes.len();
        let at = self.pos;
        if len <= 16 {
            // Two overlapping fixed-size copies cover any length up to twice their size.
            if len >= 8 {
                self.buf[at..at + 8].copy_from_slice(&bytes[..8]);
                self.buf[at + len - 8..at + len].copy_from_slice(&bytes[len - 8..]);
            } else if len >= 4 {
                self.buf[at..at + 4].copy_from_slice(&bytes[..4]);
                self.buf[at + len - 4..at + len].copy_from_slice(&bytes[len - 4..]);
            } else if len > 0 {
                self.buf[at] = bytes[0];
                self.buf[at + len / 2] = bytes[len / 2];
                self.buf[at + len - 1] = bytes[len - 1];
            }
        } else {
            self.buf[at..at + len].copy_from_slice(bytes);
        }
        self.pos += len;
    }
}

/// A registered field's key as written (`,"name":`, or `{"name":` for the first field), in a
/// fixed-size block when it fits, to be copied with one store.
enum Key {
    Short([u8; 32], usize),
    Long(Vec<u8>),
}

impl Key {
    fn new(text: &str, lead: u8) -> Self {
        let mut out = Out::new(Vec::new());
        out.push(lead);
        write_str(text, &mut out);
        out.push(b':');
        let bytes = out.written();
        match bytes.len() <= 32 {
            true => {
                let mut block = [0u8; 32];
                block[..bytes.len()].copy_from_slice(bytes);
                Self::Short(block, bytes.len())
            }
            false => Self::Long(bytes.to_vec()),
        }
    }

    #[inline]
    fn write(&self, out: &mut Out) {
        match self {
            Self::Short(block, len) => {
                out.reserve(32);
                out.buf[out.pos..out.pos + 32].copy_from_slice(block);
                out.pos += len;
            }
            Self::Long(bytes) => out.extend(bytes),
        }
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

/// The bytes an escape adds to its byte, at most (`\u00XX`), and the closing quote.
const ESCAPE_EXTRA: usize = 6;

/// A JSON string: `"`, `\` and control characters escaped, everything else as UTF-8. Bytes
/// are copied and tested 16 (then 8) at a time; a block with no byte to escape is kept whole.
fn write_str(text: &str, out: &mut Out) {
    let bytes = text.as_bytes();
    // Room for the text unescaped and its quotes; each escape reserves its own extra bytes
    // (six for one at most). Reserving six per byte up front would make a long body grow the
    // kept buffer past `KEPT_BUFFER`, to be reallocated on every call.
    out.reserve(bytes.len() + 2);
    out.buf[out.pos] = b'"';
    out.pos += 1;
    let mut at = 0;
    while at < bytes.len() {
        at = copy_clean_blocks(bytes, at, out);
        if bytes.len() - at >= 16 {
            // The blocks stopped at a byte to escape.
            out.reserve(bytes.len() - at + ESCAPE_EXTRA);
            write_escape(bytes[at], out);
            at += 1;
            continue;
        }
        if at == bytes.len() {
            break;
        }
        let (word, len) = word_at(bytes, at);
        out.store_word(word);
        let flagged = escape_flags(word) & low_bytes_mask(len);
        if flagged == 0 {
            out.pos += len;
            at += len;
            continue;
        }
        let clean = (flagged.trailing_zeros() / 8) as usize;
        out.pos += clean;
        at += clean;
        out.reserve(bytes.len() - at + ESCAPE_EXTRA);
        write_escape(bytes[at], out);
        at += 1;
    }
    out.buf[out.pos] = b'"';
    out.pos += 1;
}

/// Copies the bytes of `bytes` from `at` to `out`, 16 at a time, up to the first byte to
/// escape or until fewer than 16 are left; returns where it stopped. `out` has room for them.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn copy_clean_blocks(bytes: &[u8], at: usize, out: &mut Out) -> usize {
    // SAFETY: the only requirement of an SSE2 function is that the CPU has SSE2, which this
    // build assumes of every CPU it runs on (the `cfg` above: it is part of x86_64).
    unsafe { copy_clean_blocks_sse2(bytes, at, out) }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn copy_clean_blocks_sse2(bytes: &[u8], mut at: usize, out: &mut Out) -> usize {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_set_epi64x,
    };
    let quote = _mm_set1_epi8(b'"' as i8);
    let backslash = _mm_set1_epi8(b'\\' as i8);
    let control_max = _mm_set1_epi8(0x1f);
    while let Some(block) = bytes[at..].first_chunk::<16>() {
        out.buf[out.pos..out.pos + 16].copy_from_slice(block);
        let word = u128::from_le_bytes(*block);
        let v = _mm_set_epi64x((word >> 64) as i64, word as i64);
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, control_max), v);
        let special = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
            control,
        );
        let flagged = _mm_movemask_epi8(special) as u32;
        if flagged != 0 {
            let clean = flagged.trailing_zeros() as usize;
            out.pos += clean;
            return at + clean;
        }
        out.pos += 16;
        at += 16;
    }
    at
}

/// As the x86_64 version, eight bytes at a time per word of each block.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn copy_clean_blocks(bytes: &[u8], mut at: usize, out: &mut Out) -> usize {
    while let Some(block) = bytes[at..].first_chunk::<16>() {
        out.buf[out.pos..out.pos + 16].copy_from_slice(block);
        let low = escape_flags(load8(&block[..8]));
        let high = escape_flags(load8(&block[8..]));
        if low | high != 0 {
            let flags = if low != 0 { low } else { high };
            let clean = (flags.trailing_zeros() / 8) as usize + if low != 0 { 0 } else { 8 };
            out.pos += clean;
            return at + clean;
        }
        out.pos += 16;
        at += 16;
    }
    at
}

fn write_escape(byte: u8, out: &mut Out) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let escape = ESCAPES[byte as usize];
    let at = out.pos;
    if escape == b'u' {
        out.buf[at..at + 4].copy_from_slice(b"\\u00");
        out.buf[at + 4] = HEX[(byte >> 4) as usize];
        out.buf[at + 5] = HEX[(byte & 15) as usize];
        out.pos += 6;
    } else {
        out.buf[at] = b'\\';
        out.buf[at + 1] = escape;
        out.pos += 2;
    }
}

/// The (up to) eight bytes of `bytes` from `at` as a little-endian word, zero above the end,
/// and how many they are. Only bytes of `bytes` are read.
#[inline]
fn word_at(bytes: &[u8], at: usize) -> (u64, usize) {
    let rest = bytes.len() - at;
    if rest >= 8 {
        return (load8(&bytes[at..at + 8]), 8);
    }
    if bytes.len() >= 8 {
        // The last eight bytes of the string, shifted so that those from `at` come first.
        let last = load8(&bytes[bytes.len() - 8..]);
        return (last >> (8 * (8 - rest)), rest);
    }
    let tail = &bytes[at..];
    let word = if rest >= 4 {
        // Two overlapping four-byte loads; the bytes they share are equal, so or-ing is exact.
        u64::from(load4(&tail[..4])) | (u64::from(load4(&tail[rest - 4..])) << (8 * (rest - 4)))
    } else {
        u64::from(tail[0])
            | (u64::from(tail[rest / 2]) << (8 * (rest / 2)))
            | (u64::from(tail[rest - 1]) << (8 * (rest - 1)))
    };
    (word, rest)
}

#[inline]
fn load8(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

#[inline]
fn load4(bytes: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(bytes);
    u32::from_le_bytes(word)
}

/// The high bit of each byte of `x` whose character must be escaped, exact for the lowest
/// such byte (a borrow only ever flags bytes above a true match).
#[inline]
fn escape_flags(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let control = x.wrapping_sub(ONES * 0x20) & !x;
    let quote = x ^ (ONES * u64::from(b'"'));
    let backslash = x ^ (ONES * u64::from(b'\\'));
    (control | (quote.wrapping_sub(ONES) & !quote) | (backslash.wrapping_sub(ONES) & !backslash))
        & HIGH
}

/// The low `len` bytes (1 to 8) of a word set.
#[inline]
fn low_bytes_mask(len: usize) -> u64 {
    u64::MAX >> (8 * (8 - len))
}

fn write_int(number: i64, out: &mut Out) {
    // The digits are laid right-aligned in the first 20 bytes, then 20 bytes from the first
    // digit are copied (a fixed-size copy; the extra bytes are overwritten later).
    let mut digits = [0u8; 40];
    let mut at = 20;
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
        at -= 1;
        digits[at] = b'-';
    }
    out.reserve(20);
    out.buf[out.pos..out.pos + 20].copy_from_slice(&digits[at..at + 20]);
    out.pos += 20 - at;
}

/// orjson's float layout (that of Żmij: the shortest round-trip digits, fixed notation for
/// decimal exponents -5 to 15, else `d.ddde+X`); not finite is `null`.
fn write_float(number: f64, out: &mut Out) {
    if number.is_finite() {
        out.extend(zmij::Buffer::new().format_finite(number).as_bytes());
    } else {
        out.extend(b"null");
    }
}
