//! `spans.Token` and `places.PlaceMention` objects made without running their dataclass
//! `__init__`.
//!
//! Both are slots dataclasses whose generated `__init__` only stores its fields. Calling the
//! class from Rust costs a Python frame per object (about 2,300 instructions; tokens alone
//! were a quarter of the walk); storing the slots of a freshly allocated instance costs a few
//! dozen. The slots' offsets are read from the class's member descriptors when the scanner or
//! walker is built, and this path is taken only for a class that is exactly such a dataclass
//! (checked field by field, see `slot_offsets`); any other class is called as before.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyString, PyType};

/// `Token`'s fields, in `__init__` order.
const TOKEN_FIELDS: [&str; 5] = ["text", "start", "end", "possessive", "key"];
/// `PlaceMention`'s fields, in `__init__` order.
const PLACE_MENTION_FIELDS: [&str; 6] =
    ["surface", "start", "end", "candidates", "locative", "area"];

/// Makes instances of a dataclass with `N` fields: by storing their slots when the class
/// allows it, else by calling it with the fields in order.
pub(crate) struct SlotMaker<const N: usize> {
    class: Py<PyAny>,
    /// Byte offsets of the fields' slots in an instance, in `__init__` order (None: call).
    offsets: Option<[isize; N]>,
}

/// Makes `spans.Token`s.
pub(crate) type TokenMaker = SlotMaker<5>;
/// Makes `places.PlaceMention`s.
pub(crate) type PlaceMentionMaker = SlotMaker<6>;

impl TokenMaker {
    pub(crate) fn new(py: Python<'_>, class: Py<PyAny>) -> PyResult<Self> {
        let offsets = slot_offsets(py, class.bind(py), TOKEN_FIELDS)?;
        Ok(Self { class, offsets })
    }

    /// `Token(text, start, end, possessive, key)`.
    pub(crate) fn token<'py>(
        &self,
        py: Python<'py>,
        text: Bound<'py, PyString>,
        start: usize,
        end: usize,
        possessive: bool,
        key: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let values = [
            text.into_any(),
            start.into_pyobject(py)?.into_any(),
            end.into_pyobject(py)?.into_any(),
            PyBool::new(py, possessive).to_owned().into_any(),
            key,
        ];
        self.make(py, values)
    }
}

impl PlaceMentionMaker {
    pub(crate) fn new(py: Python<'_>, class: Py<PyAny>) -> PyResult<Self> {
        let offsets = slot_offsets(py, class.bind(py), PLACE_MENTION_FIELDS)?;
        Ok(Self { class, offsets })
    }

    /// `PlaceMention(surface, start, end, candidates, locative, area)`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn mention<'py>(
        &self,
        py: Python<'py>,
        surface: &str,
        start: usize,
        end: usize,
        candidates: Bound<'py, PyAny>,
        locative: bool,
        area: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let area = match area {
            Some(word) => PyString::new(py, word).into_any(),
            None => py.None().into_bound(py),
        };
        let values = [
            PyString::new(py, surface).into_any(),
            start.into_pyobject(py)?.into_any(),
            end.into_pyobject(py)?.into_any(),
            candidates,
            PyBool::new(py, locative).to_owned().into_any(),
            area,
        ];
        self.make(py, values)
    }
}

impl<const N: usize> SlotMaker<N> {
    /// Whether instances are made by storing their slots (for tests).
    pub(crate) fn stores_slots(&self) -> bool {
        self.offsets.is_some()
    }

    /// An instance with these field values (in `__init__` order).
    fn make<'py>(
        &self,
        py: Python<'py>,
        values: [Bound<'py, PyAny>; N],
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(offsets) = self.offsets else {
            return self
                .class
                .bind(py)
                .call1(pyo3::types::PyTuple::new(py, values)?);
        };
        let class = self.class.as_ptr().cast::<ffi::PyTypeObject>();
        // SAFETY: `slot_offsets` accepted the class: a heap type whose instances are plain
        // objects (no `__dict__`, `__new__` is `object.__new__`) with an object slot of
        // kind `T_OBJECT_EX` at each offset, inside `tp_basicsize`. `tp_alloc` returns a
        // zeroed instance (a new reference, holding one on the class as `object.__new__`
        // does) or null with an exception set. Each slot is empty, so storing a new
        // reference there leaks nothing; the instance owns them and frees them when it dies.
        // All values exist before the allocation, so no Python code (or collection) runs
        // while the slots are filled.
        unsafe {
            let alloc = (*class).tp_alloc.unwrap_or(ffi::PyType_GenericAlloc);
            let object = alloc(class, 0);
            if object.is_null() {
                return Err(PyErr::fetch(py));
            }
            for (value, offset) in values.into_iter().zip(offsets) {
                object
                    .cast::<u8>()
                    .offset(offset)
                    .cast::<*mut ffi::PyObject>()
                    .write(value.into_ptr());
            }
            Ok(Bound::from_owned_ptr(py, object))
        }
    }
}

/// The slot offsets of `class`'s fields when it is a slots dataclass with exactly `names`
/// (in order), the generated `__init__`, no `__post_init__` and plain instances; None
/// otherwise.
fn slot_offsets<const N: usize>(
    py: Python<'_>,
    class: &Bound<'_, PyAny>,
    names: [&str; N],
) -> PyResult<Option<[isize; N]>> {
    let Ok(class) = class.cast::<PyType>() else {
        return Ok(None);
    };
    let builtins = py.import("builtins")?;
    let object_new = builtins.getattr("object")?.getattr("__new__")?;
    let params = match class.getattr("__dataclass_params__") {
        Ok(params) => params,
        Err(_) => return Ok(None),
    };
    let fields: Vec<String> = py
        .import("dataclasses")?
        .call_method1("fields", (class,))?
        .try_iter()?
        .map(|field| field?.getattr("name")?.extract())
        .collect::<PyResult<_>>()?;
    let plain = params.getattr("init")?.extract::<bool>()?
        && !class.hasattr("__post_init__")?
        && fields == names
        && class.getattr("__new__")?.is(&object_new)
        && class.getattr("__dictoffset__")?.extract::<isize>()? == 0
        && init_is_generated(class)?;
    if !plain {
        return Ok(None);
    }
    let member_type = py.import("types")?.getattr("MemberDescriptorType")?;
    let basic_size: isize = class.getattr("__basicsize__")?.extract()?;
    let namespace = class.getattr("__dict__")?;
    let mut offsets = [0isize; N];
    for (name, slot) in names.iter().zip(offsets.iter_mut()) {
        let descriptor = namespace.get_item(name)?;
        if !descriptor.get_type().is(&member_type) {
            return Ok(None);
        }
        // SAFETY: `descriptor` is a `member_descriptor` (its exact type was checked above),
        // whose C layout is `PyMemberDescrObject`; its `d_member` points into the member
        // table of the class that owns it, which lives as long as the class (held here).
        let member = unsafe {
            let raw = descriptor.as_ptr().cast::<ffi::PyMemberDescrObject>();
            &*(*raw).d_member.cast::<ffi::PyMemberDef>()
        };
        let header = std::mem::size_of::<ffi::PyObject>() as isize;
        let pointer = std::mem::size_of::<*mut ffi::PyObject>() as isize;
        if member.type_code != ffi::Py_T_OBJECT_EX
            || member.flags & ffi::Py_READONLY != 0
            || member.offset < header
            || member.offset + pointer > basic_size
        {
            return Ok(None);
        }
        *slot = member.offset;
    }
    Ok(Some(offsets))
}

/// True when `class.__init__` is the one `dataclasses` generated (defined in the class body
/// by `exec`, so its code comes from "<string>") and not one written in a module.
fn init_is_generated(class: &Bound<'_, PyType>) -> PyResult<bool> {
    let Ok(init) = class.getattr("__dict__")?.get_item("__init__") else {
        return Ok(false);
    };
    let Ok(code) = init.getattr("__code__") else {
        return Ok(false);
    };
    let file: String = code.getattr("co_filename")?.extract()?;
    Ok(file == "<string>")
}
