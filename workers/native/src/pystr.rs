//! Python strings as the core reads them.

/// Python's `str.isspace` of a code point: Unicode White_Space plus U+001C..U+001F.
pub fn is_py_space(code: u32) -> bool {
    match code {
        0x09..=0x0D | 0x1C..=0x20 => true,
        0..=0x7F => false,
        _ => char::from_u32(code).is_some_and(char::is_whitespace),
    }
}

/// Evaluates `$body` with `$units` bound to the code units of the Python str `$text` (a
/// `u8`, `u16` or `u32` slice, by the string's kind), so that one generic function serves
/// every kind without copying; `?` returns the error when the string cannot be read.
macro_rules! with_code_units {
    ($text:expr, |$units:ident| $body:expr) => {{
        let text: &pyo3::Bound<'_, pyo3::types::PyString> = &$text;
        // SAFETY: `data` reads CPython's string layout (its kind bit field and data pointer);
        // PyO3 tests this on x86_64 CPython, the only target this module is built for. The
        // slice borrows `text`, an immutable str that outlives this expression.
        match unsafe { text.data() }? {
            pyo3::types::PyStringData::Ucs1($units) => $body,
            pyo3::types::PyStringData::Ucs2($units) => $body,
            pyo3::types::PyStringData::Ucs4($units) => $body,
        }
    }};
}

pub(crate) use with_code_units;
