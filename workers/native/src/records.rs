//! Pipeline records (slots dataclasses) made without running their dataclass `__init__`.
//!
//! A plain slots dataclass's generated `__init__` only stores its arguments (or a field's
//! default, or a fresh object from its default factory) in the instance's slots. Calling the
//! class from Rust costs a Python frame per object (about 2,300-2,500 instructions); storing
//! the slots of a freshly allocated instance costs a few dozen. The slots' offsets and the
//! defaults are read once, when a maker is built, and the slot-storing path is taken only for
//! a class that is exactly such a dataclass (see `Layout::of`); any other class (or callable)
//! is called with the given values, as before.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyTuple, PyType};

/// Makes instances of a record class from the values of its first `N` fields (in `__init__`
/// order; the other fields take their defaults): by storing their slots when the class
/// allows it, else by calling it with the `N` values.
pub(crate) struct RecordMaker<const N: usize> {
    class: Py<PyAny>,
    layout: Option<Layout<N>>,
}

/// Where an instance's fields live, and what the fields not given get.
struct Layout<const N: usize> {
    /// Byte offsets of the given fields' slots, in `__init__` order.
    given: [isize; N],
    /// The slots of the other fields and their defaults.
    defaults: Vec<(isize, DefaultValue)>,
}

/// What `__init__` stores in a field that was not given.
enum DefaultValue {
    /// `field(default=...)` or `name: T = ...`: the same object every time.
    Value(Py<PyAny>),
    /// `field(default_factory=...)`: a fresh object from the factory each time.
    Factory(Py<PyAny>),
}

impl<const N: usize> RecordMaker<N> {
    /// A maker for `class` given the values of its fields `names` (its first `N` fields).
    pub(crate) fn new(py: Python<'_>, class: Py<PyAny>, names: [&str; N]) -> PyResult<Self> {
        let layout = Layout::of(class.bind(py), names)?;
        Ok(Self { class, layout })
    }

    /// Whether instances are made by storing their slots (for tests).
    pub(crate) fn stores_slots(&self) -> bool {
        self.layout.is_some()
    }

    /// `class(*args)`, for values that do not fit `make`.
    pub(crate) fn call<'py>(
        &self,
        py: Python<'py>,
        args: Bound<'py, PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.class.bind(py).call1(args)
    }

    /// An instance with these values of the first `N` fields.
    pub(crate) fn make<'py>(
        &self,
        py: Python<'py>,
        values: [Bound<'py, PyAny>; N],
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(layout) = &self.layout else {
            return self.class.bind(py).call1(PyTuple::new(py, values)?);
        };
        // Every value (factories included) is made before the instance, so no Python code
        // runs, and nothing can fail, between the allocation and the last slot stored.
        let mut defaults: Vec<(isize, Bound<'py, PyAny>)> =
            Vec::with_capacity(layout.defaults.len());
        for (offset, default) in &layout.defaults {
            let value = match default {
                DefaultValue::Value(value) => value.bind(py).clone(),
                DefaultValue::Factory(factory) => factory.bind(py).call0()?,
            };
            defaults.push((*offset, value));
        }
        let slots = layout.given.into_iter().zip(values).chain(defaults);
        let class = self.class.as_ptr().cast::<ffi::PyTypeObject>();
        // SAFETY: `Layout::of` accepted the class: a heap type of metaclass `type` whose
        // instances are plain objects (no `__dict__`, `__new__` is `object.__new__`) with a
        // writable object slot of kind `T_OBJECT_EX` at each offset, each one distinct and
        // inside `tp_basicsize`. `tp_alloc` returns a zeroed instance (a new reference,
        // holding one on the class as `object.__new__` does) or null with an exception set.
        // Each slot is empty and written once, so storing a new reference there leaks
        // nothing; the instance owns them and frees them when it dies. A zeroed slot reads
        // as unset, so the collector may see the instance half filled without harm.
        unsafe {
            let alloc = (*class).tp_alloc.unwrap_or(ffi::PyType_GenericAlloc);
            let object = alloc(class, 0);
            if object.is_null() {
                return Err(PyErr::fetch(py));
            }
            for (offset, value) in slots {
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

impl<const N: usize> Layout<N> {
    /// The layout of `class` when it is a slots dataclass whose first fields are `names` and
    /// whose other fields have defaults, with the generated `__init__` taking exactly its
    /// fields positionally, no `__post_init__`, no own `__setattr__` and plain instances;
    /// None otherwise.
    fn of(class: &Bound<'_, PyAny>, names: [&str; N]) -> PyResult<Option<Self>> {
        let py = class.py();
        let Ok(class) = class.cast::<PyType>() else {
            return Ok(None);
        };
        let Ok(params) = class.getattr("__dataclass_params__") else {
            return Ok(None);
        };
        let object = py.import("builtins")?.getattr("object")?;
        let dataclasses = py.import("dataclasses")?;
        let fields: Vec<Bound<'_, PyAny>> = dataclasses
            .call_method1("fields", (class,))?
            .try_iter()?
            .collect::<PyResult<_>>()?;
        let frozen = params.getattr("frozen")?.extract::<bool>()?;
        // SAFETY (of the read): `class` is a type object, so its `tp_flags` can be read.
        let heap = unsafe { (*class.as_type_ptr()).tp_flags } & ffi::Py_TPFLAGS_HEAPTYPE != 0;
        let plain = heap
            && params.getattr("init")?.extract::<bool>()?
            && class.get_type().is(py.get_type::<PyType>())
            && !class.hasattr("__post_init__")?
            && class.getattr("__new__")?.is(&object.getattr("__new__")?)
            // A frozen dataclass's `__init__` sets its fields with `object.__setattr__`.
            && (frozen || class.getattr("__setattr__")?.is(&object.getattr("__setattr__")?))
            && class.getattr("__dictoffset__")?.extract::<isize>()? == 0
            && fields.len() >= N
            && init_takes_positionally(class, fields.len())?;
        if !plain {
            return Ok(None);
        }
        let missing = dataclasses.getattr("MISSING")?;
        let member_type = py.import("types")?.getattr("MemberDescriptorType")?;
        let basic_size: isize = class.getattr("__basicsize__")?.extract()?;
        let mut given = [0isize; N];
        let mut defaults = Vec::new();
        let mut seen = Vec::with_capacity(fields.len());
        for (index, field) in fields.iter().enumerate() {
            let name: String = field.getattr("name")?.extract()?;
            if !field.getattr("init")?.extract::<bool>()? {
                return Ok(None);
            }
            let Some(offset) = slot_offset(class, &name, &member_type, basic_size)? else {
                return Ok(None);
            };
            if seen.contains(&offset) {
                return Ok(None);
            }
            seen.push(offset);
            if let Some(slot) = given.get_mut(index) {
                if names[index] != name {
                    return Ok(None);
                }
                *slot = offset;
                continue;
            }
            let default = field.getattr("default")?;
            let factory = field.getattr("default_factory")?;
            let default = if !default.is(&missing) {
                DefaultValue::Value(default.unbind())
            } else if !factory.is(&missing) {
                DefaultValue::Factory(factory.unbind())
            } else {
                return Ok(None);
            };
            defaults.push((offset, default));
        }
        Ok(Some(Self { given, defaults }))
    }
}

/// The offset of the writable object slot `name` of `class` (the member descriptor that
/// attribute access finds, owned by `class` or a base of it), or None when it is anything else.
pub(crate) fn slot_offset(
    class: &Bound<'_, PyType>,
    name: &str,
    member_type: &Bound<'_, PyAny>,
    basic_size: isize,
) -> PyResult<Option<isize>> {
    let Ok(descriptor) = class.getattr(name) else {
        return Ok(None);
    };
    if !descriptor.get_type().is(member_type) {
        return Ok(None);
    }
    let raw = descriptor.as_ptr().cast::<ffi::PyMemberDescrObject>();
    // A descriptor owned by a class outside `class`'s bases (one assigned into its namespace)
    // would describe another layout. The owner is checked on the real type chain, as the
    // descriptor's own `__get__` does: `issubclass` could be answered by a metaclass's
    // `__subclasscheck__` (an ABC's `register`).
    // SAFETY: `descriptor` is a `member_descriptor` (its exact type was checked above), whose
    // C layout is `PyMemberDescrObject`; `d_type` is its owning class, alive while it is.
    let owned = unsafe { ffi::PyType_IsSubtype(class.as_type_ptr(), (*raw).d_common.d_type) };
    if owned == 0 {
        return Ok(None);
    }
    // SAFETY: as above; its `d_member` points into the member table of the class that owns
    // it (`class` or a base of it, checked above), which lives as long as `class`.
    let member = unsafe { &*(*raw).d_member.cast::<ffi::PyMemberDef>() };
    let header = std::mem::size_of::<ffi::PyObject>() as isize;
    let pointer = std::mem::size_of::<*mut ffi::PyObject>() as isize;
    let fits = member.type_code == ffi::Py_T_OBJECT_EX
        && member.flags & ffi::Py_READONLY == 0
        && member.offset >= header
        && member.offset + pointer <= basic_size;
    Ok(fits.then_some(member.offset))
}

/// True when `class.__init__` is the one `dataclasses` generated (defined in the class body
/// by `exec`, so its code comes from "<string>", not a module) and takes the `fields` fields
/// positionally and nothing else (no `InitVar`, no keyword-only field).
fn init_takes_positionally(class: &Bound<'_, PyType>, fields: usize) -> PyResult<bool> {
    let Ok(init) = class.getattr("__dict__")?.get_item("__init__") else {
        return Ok(false);
    };
    let Ok(code) = init.getattr("__code__") else {
        return Ok(false);
    };
    let file: String = code.getattr("co_filename")?.extract()?;
    let positional: usize = code.getattr("co_argcount")?.extract()?;
    let keyword_only: usize = code.getattr("co_kwonlyargcount")?.extract()?;
    Ok(file == "<string>" && positional == fields + 1 && keyword_only == 0)
}

/// A record maker for tests: makes instances of `class` from the values of its first fields
/// `names`, as the compiled stages make their records.
#[pyclass(frozen, module = "workers._native")]
pub struct RecordFactory {
    maker: RecordMaker<2>,
}

#[pymethods]
impl RecordFactory {
    /// A factory for `class`'s first two fields, `names`.
    #[new]
    fn new(py: Python<'_>, class: Py<PyAny>, names: (String, String)) -> PyResult<Self> {
        let maker = RecordMaker::new(py, class, [&names.0, &names.1])?;
        Ok(Self { maker })
    }

    /// Whether instances are made by storing their slots.
    #[getter]
    fn stores_slots(&self) -> bool {
        self.maker.stores_slots()
    }

    /// An instance with the values `first` and `second` of the first two fields.
    fn make<'py>(
        &self,
        py: Python<'py>,
        first: Bound<'py, PyAny>,
        second: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.maker.make(py, [first, second])
    }
}
