//! Place resolution of one article in one call (`entities._Walk.resolve_places`): the country
//! context from the unambiguous mentions, then for every mention the candidate `places.choose`
//! picks, written into the article's `Collector` as `Collector.add` would, one record per
//! place key.
//!
//! The facts of a candidate list (its compared candidates, their fixed score parts, what it
//! adds to the context) are read once per list and kept, keyed by the list's identity (the
//! cache holds the list, so its address is never reused while cached); so are the key and the
//! record fields of each chosen place (`places.place_key`, `places.place_fields`). The
//! thresholds, bonuses, source ranks and ambiguous names come from `places.py`, the keys and
//! record fields from its functions: they keep their one definition there. `choose` and
//! `resolve_places_reference` stay the reference.
//!
//! Per mention the work stays native: a candidate's country is a small integer (an index into
//! the resolver's code table), so the article's country context is one flag byte per code; an
//! ASCII surface is folded here (`fold` is called only for other text); and each chosen place's
//! key and record fields are kept with its candidate.

use std::sync::{Arc, OnceLock};

use pyo3::exceptions::PyValueError;
use pyo3::ffi;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{
    PyByteArray, PyBytes, PyDict, PyList, PySet, PySlice, PyString, PyTuple, PyType,
};

use crate::hashing::{FnvMap, FnvSet};
use crate::pystr::fold_ascii;
use crate::records::{slot_offset, RecordMaker};

/// `PlaceMention`'s fields, in `__init__` order (the order `Mention::read` reads them in).
const MENTION_FIELDS: [&str; 6] = ["surface", "start", "end", "candidates", "locative", "area"];

/// `Place`'s fields but `type` (which keeps its default), in `__init__` order.
const PLACE_FIELDS: [&str; 9] = [
    "name",
    "mentions",
    "kind",
    "country",
    "country_code",
    "admin1",
    "latitude",
    "longitude",
    "geonames_id",
];

/// A country-context flag byte: the code is in the strong / the weak set.
const STRONG: u8 = 1;
const WEAK: u8 = 2;

/// What an unambiguous mention adds to the article's country context.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Effect {
    Nothing,
    Weak,
    Strong,
}

struct Candidate {
    entry: Py<PyAny>,
    primary: bool,
    prior: f64,
    primary_bonus: f64,
    /// The country code's index in `PlaceResolver::codes`.
    code: Option<u32>,
    source: i64,
    population: i64,
    /// The key and record fields of the entry, once it has been chosen.
    chosen: OnceLock<Chosen>,
}

/// The facts of one candidate list that do not depend on the article.
struct Plan {
    /// Held so the list (whose address keys the plan) stays alive.
    _list: Py<PyAny>,
    size: usize,
    effect: Effect,
    /// The country the effect adds (a str, so adding it to the context's set hashes nothing).
    effect_code: Option<Py<PyString>>,
    /// The candidates `choose` compares: the curated ones when any, else all.
    scored: Vec<Candidate>,
}

/// The key and record fields of one chosen place.
struct Chosen {
    key: Py<PyAny>,
    fields: Py<PyTuple>,
    is_city: bool,
}

/// The country context (what `CountryContext.bonus` reads): `STRONG` / `WEAK` bits by code
/// index; a code no candidate has is left out, as no bonus can ever ask for it.
struct Context {
    flags: Vec<u8>,
}

/// The per-article Python objects `Collector.add` writes to.
struct Sink<'py> {
    records: Bound<'py, PyDict>,
    first_seen: Bound<'py, PyDict>,
    spans: Bound<'py, PyList>,
    claimed: Bound<'py, PyAny>,
}

#[pyclass(module = "workers._native")]
pub struct PlaceResolver {
    source_curated: i64,
    source_country: i64,
    source_city: i64,
    major_city: i64,
    distinct_town: i64,
    small_town: i64,
    strong_bonus: f64,
    weak_bonus: f64,
    primary_bonus: f64,
    ambiguous: FnvSet<String>,
    fold: Py<PyAny>,
    place_key: Py<PyAny>,
    place_fields: Py<PyAny>,
    area_entry: Py<PyAny>,
    /// Makes `Place(name, [], *rest)` records.
    place: RecordMaker<9>,
    /// The longest ambiguous name, in bytes: a longer surface is never ambiguous.
    longest_ambiguous: usize,
    cache_limit: usize,
    /// Shared with `resolve`, so clearing the cache mid-article loses no article's plan.
    plans: FnvMap<usize, Arc<Plan>>,
    /// Every country code a candidate has had, by index (never cleared: codes are few).
    codes: FnvMap<String, u32>,
    /// The class of the last mentions read, and where its instances keep `MENTION_FIELDS`
    /// (None when they are not plain slots, and are read by `getattr`).
    mention_layout: Option<(Py<PyType>, Option<[isize; 6]>)>,
}

impl PlaceResolver {
    fn effect_of(&self, best: &Candidate) -> Effect {
        if best.source == self.source_country {
            Effect::Weak
        } else if best.source == self.source_curated || best.population >= self.major_city {
            Effect::Strong
        } else {
            Effect::Nothing
        }
    }

    fn code_index(&mut self, code: &str) -> u32 {
        if let Some(&index) = self.codes.get(code) {
            return index;
        }
        let index = u32::try_from(self.codes.len()).unwrap_or(u32::MAX);
        self.codes.insert(code.to_owned(), index);
        index
    }

    fn candidate(&mut self, item: &Bound<'_, PyAny>) -> PyResult<Candidate> {
        let py = item.py();
        let entry = item.get_item(0)?;
        let primary = item.get_item(1)?.is_truthy()?;
        let code: Option<String> = entry.getattr(intern!(py, "country_code"))?.extract()?;
        let code = code.map(|code| self.code_index(&code));
        Ok(Candidate {
            prior: entry.getattr(intern!(py, "prior"))?.extract()?,
            primary_bonus: if primary { self.primary_bonus } else { 0.0 },
            code,
            source: entry.getattr(intern!(py, "source"))?.extract()?,
            population: entry.getattr(intern!(py, "population"))?.extract()?,
            primary,
            entry: entry.unbind(),
            chosen: OnceLock::new(),
        })
    }

    /// `places._context_effect` and `places._scored` of one candidate list.
    fn plan(&mut self, list: &Bound<'_, PyAny>) -> PyResult<Plan> {
        let py = list.py();
        let mut all = Vec::new();
        for item in list.try_iter()? {
            all.push(self.candidate(&item?)?);
        }
        let mut effect = Effect::Nothing;
        let mut effect_code = None;
        if let Some(first) = all.first() {
            if let Some(code) = first.code {
                if all.iter().all(|c| c.code == Some(code)) {
                    // `max` by prior: the first maximum wins.
                    let mut best = first;
                    for candidate in &all[1..] {
                        if candidate.prior > best.prior {
                            best = candidate;
                        }
                    }
                    effect = self.effect_of(best);
                    let name: Option<String> = best
                        .entry
                        .bind(py)
                        .getattr(intern!(py, "country_code"))?
                        .extract()?;
                    effect_code = name.map(|name| PyString::intern(py, &name).unbind());
                }
            }
        }
        let size = all.len();
        let scored = if all.iter().any(|c| c.source == self.source_curated) {
            all.into_iter()
                .filter(|c| c.source == self.source_curated)
                .collect()
        } else {
            all
        };
        Ok(Plan {
            _list: list.clone().unbind(),
            size,
            effect,
            effect_code,
            scored,
        })
    }

    fn cached_plan(&mut self, list: &Bound<'_, PyAny>) -> PyResult<Arc<Plan>> {
        let address = list.as_ptr() as usize;
        if let Some(plan) = self.plans.get(&address) {
            return Ok(Arc::clone(plan));
        }
        let plan = Arc::new(self.plan(list)?);
        if self.plans.len() >= self.cache_limit {
            self.plans.clear();
        }
        self.plans.insert(address, Arc::clone(&plan));
        Ok(plan)
    }

    fn bonus(&self, code: Option<u32>, context: &Context) -> f64 {
        let Some(code) = code else {
            return 0.0;
        };
        let flags = context.flags.get(code as usize).copied().unwrap_or(0);
        let strong = if flags & STRONG != 0 {
            self.strong_bonus
        } else {
            0.0
        };
        let weak = if flags & WEAK != 0 {
            self.weak_bonus
        } else {
            0.0
        };
        strong + weak
    }

    /// `places._accepts`.
    #[allow(clippy::too_many_arguments)]
    fn accepts(
        &self,
        candidate: &Candidate,
        size: usize,
        ambiguous: bool,
        locative: bool,
        area: bool,
        in_context: bool,
    ) -> bool {
        if candidate.source != self.source_city {
            return !ambiguous || locative || in_context || candidate.source == self.source_curated;
        }
        if ambiguous {
            return locative && in_context;
        }
        if area {
            return true;
        }
        let population = candidate.population;
        if candidate.primary && population >= self.major_city {
            return true;
        }
        if candidate.primary && population >= self.distinct_town && size == 1 {
            return true;
        }
        if in_context && population >= self.small_town {
            return true;
        }
        in_context && locative
    }

    /// `surface.lower() in AMBIGUOUS_NAMES`.
    fn is_ambiguous(&self, surface: &Bound<'_, PyString>) -> PyResult<bool> {
        let text = surface.to_cow()?;
        if text.is_ascii() {
            if text.len() > self.longest_ambiguous {
                return Ok(false);
            }
            let mut lower = [0u8; 32];
            let Some(lower) = lower.get_mut(..text.len()) else {
                return Ok(self.ambiguous.contains(&text.to_ascii_lowercase()));
            };
            lower.copy_from_slice(text.as_bytes());
            lower.make_ascii_lowercase();
            let lower = std::str::from_utf8(lower).unwrap_or_default();
            return Ok(self.ambiguous.contains(lower));
        }
        let lower = surface.call_method0(intern!(surface.py(), "lower"))?;
        Ok(self.ambiguous.contains(lower.extract::<&str>()?))
    }

    /// `places.choose`: the scored candidate of a plan, or None.
    fn choose(
        &self,
        plan: &Plan,
        mention: &Mention<'_>,
        context: &Context,
    ) -> PyResult<Option<usize>> {
        let mut best: Option<(usize, f64)> = None;
        for (index, candidate) in plan.scored.iter().enumerate() {
            let score =
                candidate.prior + self.bonus(candidate.code, context) + candidate.primary_bonus;
            if best.is_none_or(|(_, best_score)| score > best_score) {
                best = Some((index, score));
            }
        }
        let Some((index, _)) = best else {
            return Ok(None);
        };
        let Some(candidate) = plan.scored.get(index) else {
            return Ok(None);
        };
        let in_context = self.bonus(candidate.code, context) > 0.0;
        let accepted = self.accepts(
            candidate,
            plan.size,
            self.is_ambiguous(&mention.surface)?,
            mention.locative,
            mention.area.is_some(),
            in_context,
        );
        Ok(accepted.then_some(index))
    }

    /// The key and record fields of `entry` (`place_key`, `place_fields`).
    fn describe(&self, entry: &Bound<'_, PyAny>) -> PyResult<Chosen> {
        let py = entry.py();
        let kind = entry.getattr(intern!(py, "kind"))?;
        Ok(Chosen {
            key: self.place_key.bind(py).call1((entry,))?.unbind(),
            fields: self
                .place_fields
                .bind(py)
                .call1((entry,))?
                .cast_into::<PyTuple>()?
                .unbind(),
            is_city: kind.extract::<&str>().is_ok_and(|kind| kind == "city"),
        })
    }

    /// The chosen facts of a candidate, described on its first choice.
    fn chosen<'a>(&self, candidate: &'a Candidate, py: Python<'_>) -> PyResult<&'a Chosen> {
        if let Some(chosen) = candidate.chosen.get() {
            return Ok(chosen);
        }
        let chosen = self.describe(candidate.entry.bind(py))?;
        Ok(candidate.chosen.get_or_init(|| chosen))
    }

    /// `Place(name, [], *rest)` for `place_fields` = (name, *rest).
    fn record<'py>(&self, fields: &Bound<'py, PyTuple>) -> PyResult<Bound<'py, PyAny>> {
        let py = fields.py();
        let mentions = PyList::empty(py).into_any();
        if let Some(values) = place_values(fields, &mentions) {
            return self.place.make(py, values);
        }
        let mut args: Vec<Bound<'py, PyAny>> = Vec::with_capacity(fields.len() + 1);
        for (index, field) in fields.iter().enumerate() {
            args.push(field);
            if index == 0 {
                args.push(mentions.clone());
            }
        }
        self.place.call(py, PyTuple::new(py, args)?)
    }
}

/// The `PLACE_FIELDS` values (name, `mentions`, *rest) for `fields` = (name, *rest) of the
/// right length; None for any other length (the class is then called, and judges it).
fn place_values<'py>(
    fields: &Bound<'py, PyTuple>,
    mentions: &Bound<'py, PyAny>,
) -> Option<[Bound<'py, PyAny>; 9]> {
    if fields.len() != PLACE_FIELDS.len() - 1 {
        return None;
    }
    let field = |index: usize| fields.get_item(index).ok();
    Some([
        field(0)?,
        mentions.clone(),
        field(1)?,
        field(2)?,
        field(3)?,
        field(4)?,
        field(5)?,
        field(6)?,
        field(7)?,
    ])
}

/// The folded words of the article's person names (`_Walk.person_words`).
struct NameWords<'py> {
    set: Bound<'py, PySet>,
    /// The words, when all are str (else the set answers each question itself).
    words: Option<FnvSet<String>>,
}

impl<'py> NameWords<'py> {
    fn read(set: &Bound<'py, PySet>) -> PyResult<Self> {
        let mut words = FnvSet::default();
        for item in set.iter() {
            // A non-str, or a str that is not valid UTF-8 (a lone surrogate), is left to the
            // set itself, which answers `in` without raising.
            let word = item
                .cast::<PyString>()
                .ok()
                .and_then(|word| word.to_str().ok());
            match word {
                Some(word) => {
                    words.insert(word.to_owned());
                }
                None => {
                    return Ok(Self {
                        set: set.clone(),
                        words: None,
                    })
                }
            }
        }
        Ok(Self {
            set: set.clone(),
            words: Some(words),
        })
    }

    fn is_empty(&self) -> bool {
        self.words.as_ref().is_some_and(FnvSet::is_empty)
    }
}

impl PlaceResolver {
    /// Where `mention`'s class keeps its fields (worked out once per class in a row).
    fn mention_offsets_of(&mut self, mention: &Bound<'_, PyAny>) -> PyResult<Option<[isize; 6]>> {
        let class = mention.get_type();
        if let Some((known, offsets)) = &self.mention_layout {
            if known.is(&class) {
                return Ok(*offsets);
            }
        }
        let offsets = mention_offsets(&class)?;
        self.mention_layout = Some((class.unbind(), offsets));
        Ok(offsets)
    }

    /// The context's flags from its two sets (after `build_context` added to them).
    fn context(&self, strong: &Bound<'_, PySet>, weak: &Bound<'_, PySet>) -> PyResult<Context> {
        let mut flags = vec![0u8; self.codes.len()];
        for (set, flag) in [(strong, STRONG), (weak, WEAK)] {
            for item in set.iter() {
                // A code is a str: anything else in the set can never equal one.
                let Ok(code) = item.cast::<PyString>() else {
                    continue;
                };
                let Ok(code) = code.to_str() else {
                    continue;
                };
                if let Some(&index) = self.codes.get(code) {
                    if let Some(slot) = flags.get_mut(index as usize) {
                        *slot |= flag;
                    }
                }
            }
        }
        Ok(Context { flags })
    }

    /// `fold(surface) in name_words` (folded here when the surface is ASCII; `folded` is a
    /// buffer kept across mentions).
    fn names_a_person(
        &self,
        surface: &Bound<'_, PyString>,
        names: &NameWords<'_>,
        folded: &mut String,
    ) -> PyResult<bool> {
        if let (Some(words), Ok(text)) = (&names.words, surface.to_str()) {
            if text.is_ascii() {
                fold_ascii(text.as_bytes(), folded);
                return Ok(words.contains(folded.as_str()));
            }
        }
        let py = surface.py();
        let folded = self.fold.bind(py).call1((surface,))?;
        names.set.contains(folded)
    }
}

/// One `PlaceMention`, as read from Python.
struct Mention<'py> {
    object: Bound<'py, PyAny>,
    surface: Bound<'py, PyString>,
    start: Bound<'py, PyAny>,
    end: Bound<'py, PyAny>,
    candidates: Bound<'py, PyAny>,
    locative: bool,
    area: Option<Bound<'py, PyAny>>,
    offsets: (isize, isize),
}

impl<'py> Mention<'py> {
    /// The mention's fields, from its slots at `offsets` (`mention_offsets` of its class)
    /// when given and all set, else by `getattr`.
    fn read(mention: &Bound<'py, PyAny>, offsets: Option<&[isize; 6]>) -> PyResult<Self> {
        if let Some(fields) = offsets.and_then(|offsets| read_slots(mention, offsets)) {
            let [surface, start, end, candidates, locative, area] = fields;
            return Self::of(mention, surface, start, end, candidates, &locative, area);
        }
        let py = mention.py();
        let field = |name: &Bound<'py, PyString>| mention.getattr(name);
        Self::of(
            mention,
            field(intern!(py, "surface"))?,
            field(intern!(py, "start"))?,
            field(intern!(py, "end"))?,
            field(intern!(py, "candidates"))?,
            &field(intern!(py, "locative"))?,
            field(intern!(py, "area"))?,
        )
    }

    fn of(
        mention: &Bound<'py, PyAny>,
        surface: Bound<'py, PyAny>,
        start: Bound<'py, PyAny>,
        end: Bound<'py, PyAny>,
        candidates: Bound<'py, PyAny>,
        locative: &Bound<'py, PyAny>,
        area: Bound<'py, PyAny>,
    ) -> PyResult<Self> {
        Ok(Self {
            surface: surface.cast_into()?,
            offsets: (start.extract()?, end.extract()?),
            start,
            end,
            candidates,
            locative: locative.is_truthy()?,
            area: (!area.is_none()).then_some(area),
            object: mention.clone(),
        })
    }
}

/// The objects in `mention`'s slots at `offsets`, or None when one is unset (`getattr` then
/// raises the error attribute access would).
fn read_slots<'py>(
    mention: &Bound<'py, PyAny>,
    offsets: &[isize; 6],
) -> Option<[Bound<'py, PyAny>; 6]> {
    let py = mention.py();
    let object = mention.as_ptr().cast::<u8>();
    let read = |offset: isize| {
        // SAFETY: `offsets` are those `mention_offsets` found for the exact type of
        // `mention` (checked by the caller): each is a writable object slot
        // (`T_OBJECT_EX`) inside the instance (`slot_offset` checks it lies within
        // `tp_basicsize`), holding a strong reference or null. `mention` is alive for
        // `'py` and no Python code runs between the read and the new reference taken.
        unsafe {
            let slot = object.offset(offset).cast::<*mut ffi::PyObject>().read();
            Bound::from_borrowed_ptr_or_opt(py, slot)
        }
    };
    Some([
        read(offsets[0])?,
        read(offsets[1])?,
        read(offsets[2])?,
        read(offsets[3])?,
        read(offsets[4])?,
        read(offsets[5])?,
    ])
}

/// Where instances of `class` keep `MENTION_FIELDS`, when attribute access on them is plain
/// slot access (no own `__getattribute__` / `__getattr__`, every field a writable object slot).
fn mention_offsets(class: &Bound<'_, PyType>) -> PyResult<Option<[isize; 6]>> {
    let py = class.py();
    let object = py.get_type::<pyo3::types::PyAny>();
    let plain_access = class
        .getattr(intern!(py, "__getattribute__"))?
        .is(&object.getattr(intern!(py, "__getattribute__"))?)
        && !class.hasattr(intern!(py, "__getattr__"))?;
    if !plain_access {
        return Ok(None);
    }
    let member_type = py.import("types")?.getattr("MemberDescriptorType")?;
    let basic_size: isize = class.getattr("__basicsize__")?.extract()?;
    let mut offsets = [0isize; 6];
    for (slot, name) in offsets.iter_mut().zip(MENTION_FIELDS) {
        match slot_offset(class, name, &member_type, basic_size)? {
            Some(offset) => *slot = offset,
            None => return Ok(None),
        }
    }
    Ok(Some(offsets))
}

impl<'py> Sink<'py> {
    /// `Collector.add(key, record or the key's record, surface, start, end)`, building the
    /// record (`make`) only for a new key.
    fn add(
        &self,
        key: &Bound<'py, PyAny>,
        make: impl FnOnce() -> PyResult<Bound<'py, PyAny>>,
        mention: &Mention<'_>,
    ) -> PyResult<()> {
        let py = key.py();
        let (start, _) = mention.offsets;
        if self.records.get_item(key)?.is_none() {
            self.records.set_item(key, make()?)?;
            self.first_seen.set_item(key, &mention.start)?;
        } else {
            let seen = self
                .first_seen
                .get_item(key)?
                .ok_or_else(|| PyValueError::new_err("a record without its first mention"))?;
            if start < seen.extract::<isize>()? {
                self.first_seen.set_item(key, &mention.start)?;
            }
        }
        let span = PyTuple::new(
            py,
            [
                mention.start.clone(),
                mention.end.clone(),
                key.clone(),
                mention.surface.clone().into_any(),
            ],
        )?;
        self.spans.append(span)?;
        Ok(())
    }

    /// `claimed[start:end] = b"\x01" * (end - start)` for every range, as one write of the
    /// whole buffer (no claim is read while places are resolved).
    fn claim(&self, ranges: &[(isize, isize)]) -> PyResult<()> {
        let py = self.claimed.py();
        let Ok(buffer) = self.claimed.cast::<PyByteArray>() else {
            return Err(PyValueError::new_err("claimed is not a bytearray"));
        };
        let mut bytes = buffer.to_vec();
        let size = bytes.len();
        for &(start, end) in ranges {
            let (Ok(low), Ok(high)) = (usize::try_from(start), usize::try_from(end)) else {
                return Err(PyValueError::new_err("a negative offset"));
            };
            match bytes.get_mut(low..high) {
                Some(range) => range.fill(1),
                None => return Err(PyValueError::new_err("an offset past the end")),
            }
        }
        buffer.set_item(
            PySlice::new(py, 0, size as isize, 1),
            PyBytes::new(py, &bytes),
        )
    }
}

#[pymethods]
impl PlaceResolver {
    /// Built once per gazetteer by `places.place_resolver`: the source ranks, thresholds and
    /// bonuses of `places.choose`, its ambiguous names, and the functions giving a name's fold,
    /// a place's key, its `Place` fields and the area a "<city> region" mention names.
    #[new]
    #[pyo3(signature = (
        *, source_curated, source_country, source_city, major_city, distinct_town, small_town,
        strong_bonus, weak_bonus, primary_bonus, ambiguous_names, fold, place_key, place_fields,
        area_entry, place_class, cache_limit
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        source_curated: i64,
        source_country: i64,
        source_city: i64,
        major_city: i64,
        distinct_town: i64,
        small_town: i64,
        strong_bonus: f64,
        weak_bonus: f64,
        primary_bonus: f64,
        ambiguous_names: Vec<String>,
        fold: Py<PyAny>,
        place_key: Py<PyAny>,
        place_fields: Py<PyAny>,
        area_entry: Py<PyAny>,
        place_class: Py<PyAny>,
        cache_limit: usize,
    ) -> PyResult<Self> {
        let place = RecordMaker::new(py, place_class, PLACE_FIELDS)?;
        let longest_ambiguous = ambiguous_names.iter().map(String::len).max().unwrap_or(0);
        Ok(Self {
            source_curated,
            source_country,
            source_city,
            major_city,
            distinct_town,
            small_town,
            strong_bonus,
            weak_bonus,
            primary_bonus,
            ambiguous: ambiguous_names.into_iter().collect(),
            longest_ambiguous,
            fold,
            place_key,
            place_fields,
            area_entry,
            place,
            cache_limit: cache_limit.max(1),
            plans: FnvMap::default(),
            codes: FnvMap::default(),
            mention_layout: None,
        })
    }

    /// Whether `Place` records are made by storing their slots (for tests).
    #[getter]
    fn stores_place_slots(&self) -> bool {
        self.place.stores_slots()
    }

    /// `_Walk.resolve_places` for `mentions` (`PlaceMention`s in walk order): adds their
    /// countries to `context`, then each mention whose fold is not in `name_words` and whose
    /// place `choose` accepts to `collector`.
    fn resolve(
        &mut self,
        mentions: &Bound<'_, PyList>,
        context: &Bound<'_, PyAny>,
        collector: &Bound<'_, PyAny>,
        name_words: &Bound<'_, PySet>,
    ) -> PyResult<()> {
        let py = mentions.py();
        let strong = context
            .getattr(intern!(py, "strong"))?
            .cast_into::<PySet>()?;
        let weak = context.getattr(intern!(py, "weak"))?.cast_into::<PySet>()?;
        let mut read = Vec::with_capacity(mentions.len());
        let mut plans = Vec::with_capacity(mentions.len());
        for mention in mentions.iter() {
            let offsets = self.mention_offsets_of(&mention)?;
            let mention = Mention::read(&mention, offsets.as_ref())?;
            plans.push(self.cached_plan(&mention.candidates)?);
            read.push(mention);
        }
        // `build_context`, in mention order.
        for plan in &plans {
            if let Some(code) = &plan.effect_code {
                match plan.effect {
                    Effect::Strong => strong.add(code.bind(py))?,
                    Effect::Weak => weak.add(code.bind(py))?,
                    Effect::Nothing => {}
                }
            }
        }
        let countries = self.context(&strong, &weak)?;
        let sink = Sink {
            records: collector
                .getattr(intern!(py, "records"))?
                .cast_into::<PyDict>()?,
            first_seen: collector
                .getattr(intern!(py, "first_seen"))?
                .cast_into::<PyDict>()?,
            spans: collector
                .getattr(intern!(py, "spans"))?
                .cast_into::<PyList>()?,
            claimed: collector.getattr(intern!(py, "claimed"))?,
        };
        let names = NameWords::read(name_words)?;
        let mut folded = String::new();
        let mut claims = Vec::new();
        for (mention, plan) in read.iter().zip(&plans) {
            if !names.is_empty() && self.names_a_person(&mention.surface, &names, &mut folded)? {
                continue;
            }
            let Some(index) = self.choose(plan, mention, &countries)? else {
                continue;
            };
            let Some(candidate) = plan.scored.get(index) else {
                continue;
            };
            let facts = self.chosen(candidate, py)?;
            match &mention.area {
                Some(_) if facts.is_city => {
                    // A "<city> region" phrase: a place of its own, built for this mention.
                    let entry = candidate.entry.bind(py);
                    let area = self.area_entry.bind(py).call1((&mention.object, entry))?;
                    let key = self.place_key.bind(py).call1((&area,))?;
                    sink.add(
                        &key,
                        || {
                            let fields = self
                                .place_fields
                                .bind(py)
                                .call1((&area,))?
                                .cast_into::<PyTuple>()?;
                            self.record(&fields)
                        },
                        mention,
                    )?;
                }
                _ => {
                    let key = facts.key.bind(py);
                    sink.add(key, || self.record(facts.fields.bind(py)), mention)?;
                }
            }
            let (start, end) = mention.offsets;
            if end > start {
                claims.push((start, end));
            }
        }
        if claims.is_empty() {
            return Ok(());
        }
        sink.claim(&claims)
    }
}
