//! Python strings as the core reads them.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

// Bits of a character class byte (`spans.char_classes`): Python's `str.isalnum`, `isspace`,
// `isdecimal`, `isdigit`.
pub(crate) const ALNUM: u8 = 1;
pub(crate) const SPACE: u8 = 2;
pub(crate) const DECIMAL: u8 = 4;
pub(crate) const DIGIT: u8 = 8;
/// Classes are tabled for the Basic Multilingual Plane; others are asked of Python.
const TABLED: usize = 0x10000;

/// Python's character classes: `spans.char_classes` (one byte per BMP code point) and the
/// `spans.char_class` callback for any other character.
pub(crate) struct CharClasses {
    table: Vec<u8>,
    classify: Py<PyAny>,
}

impl CharClasses {
    pub(crate) fn new(table: Vec<u8>, classify: Py<PyAny>) -> PyResult<Self> {
        if table.len() != TABLED {
            return Err(PyValueError::new_err(
                "classes must have one byte per BMP code point",
            ));
        }
        Ok(Self { table, classify })
    }

    /// The table (one byte per BMP code point).
    pub(crate) fn table(&self) -> &[u8] {
        &self.table
    }

    /// The class byte of `code` (0 for a value that is no character); the callback's error
    /// when Python cannot classify it (each caller decides what that means).
    pub(crate) fn class_of(&self, py: Python<'_>, code: u32) -> PyResult<u8> {
        if let Some(&class) = self.table.get(code as usize) {
            return Ok(class);
        }
        let Some(c) = char::from_u32(code) else {
            return Ok(0);
        };
        self.classify.bind(py).call1((c.to_string(),))?.extract()
    }

    /// Python's `str.isalnum` of `code`, as `class_of` reads it.
    pub(crate) fn is_alnum(&self, py: Python<'_>, code: u32) -> PyResult<bool> {
        Ok(self.class_of(py, code)? & ALNUM != 0)
    }
}

/// `is_py_space` of the Latin-1 code points, tabled: scans ask it of every character.
const LATIN1_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut code = 0;
    while code < 256 {
        table[code] = matches!(code, 0x09..=0x0D | 0x1C..=0x20 | 0x85 | 0xA0);
        code += 1;
    }
    table
};

/// Python's `str.isspace` of a code point: Unicode White_Space plus U+001C..U+001F.
#[inline]
pub fn is_py_space(code: u32) -> bool {
    match LATIN1_SPACE.get(code as usize) {
        Some(&space) => space,
        None => char::from_u32(code).is_some_and(char::is_whitespace),
    }
}

/// `fold(text)` for ASCII text (lower case, no apostrophes, white-space runs as one space, no
/// leading or trailing space), written into `out`.
pub(crate) fn fold_ascii(text: &[u8], out: &mut String) {
    out.clear();
    let mut pending_space = false;
    for &byte in text {
        if byte == b'\'' {
            continue;
        }
        if is_py_space(u32::from(byte)) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(char::from(byte.to_ascii_lowercase()));
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

#[cfg(test)]
mod tests {
    use super::is_py_space;

    /// The code points for which CPython 3.11's `str.isspace` is true (its Unicode 14
    /// database: bidirectional types WS, B and S, and category Zs).
    const PYTHON_SPACES: [u32; 29] = [
        0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
        0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029,
        0x202f, 0x205f, 0x3000,
    ];

    #[test]
    fn is_py_space_agrees_with_python_on_every_code_point() {
        for code in 0..0x11_0000u32 {
            assert_eq!(
                is_py_space(code),
                PYTHON_SPACES.contains(&code),
                "U+{code:04X}"
            );
        }
    }
}
