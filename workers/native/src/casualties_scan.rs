//! One native call per article for `casualties.extract_casualties`: its cue sentences, each
//! lower-cased by Python's own `str.lower`, with what the casualty patterns ask of a sentence
//! before they run (`casualties.sentence_scan_reference` is the same in Python): which word
//! sets its tokens meet, which parts its text holds, and the starts at which each gated
//! pattern is tried. The words, parts and patterns all come from `casualties.py`.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::casualties::{CountStarts, CueTokens};
use crate::casualties_gate::{is_gateable, StartGate};
use crate::hashing::FnvMap;
use crate::pystr::{is_py_space, with_code_units};

// The flag bits of a scanned sentence (`casualties._SCAN_*`).
const ZERO_WORD: u32 = 1;
const NUMBER_TOKEN: u32 = 2;
const VERB_TOKEN: u32 = 4;
const AMONG_WORD: u32 = 8;
const DIGIT: u32 = 16;
const NON_ASCII: u32 = 32;
/// The bit of `parts[0]`; `parts[j]` sets `FIRST_PART << j`.
const FIRST_PART: u32 = 64;

/// In the byte view of a text, a non-ASCII white-space character and any other non-ASCII
/// character (the words and parts looked for are ASCII, so neither can be part of a match).
const OTHER_SPACE: u8 = 0xFE;
const OTHER: u8 = 0xFF;

/// What `scan` returns per cue sentence: its index, its lower case, and its scan (its flags,
/// then the starts of the zero, coordinated, subject and object patterns).
type ScannedSentence<'py> = (
    usize,
    Bound<'py, PyAny>,
    (u32, Vec<usize>, Vec<usize>, Vec<usize>, Vec<usize>),
);

/// The casualty scan, compiled once.
#[pyclass(frozen, module = "workers._native")]
pub struct CasualtyScan {
    cues: CueTokens,
    counts: CountStarts,
    /// The flag bits of each word of the word sets.
    words: FnvMap<Box<[u8]>, u32>,
    /// Every part, prefix and the coordinated part, found in one pass (overlapping).
    needles: AhoCorasick,
    /// What finding each needle of `needles` means.
    needle_roles: Vec<Needle>,
    zero: StartGate,
    coordinated: StartGate,
    subject: StartGate,
    object: StartGate,
}

/// What a needle found in a text tells.
#[derive(Clone, Copy)]
enum Needle {
    /// The text holds one of a part set: these flag bits.
    Part(u32),
    /// Where the object pattern can start.
    ObjectStart,
    /// Where the zero pattern can start.
    ZeroStart,
    /// The coordinated pattern can apply.
    Coordinated,
}

/// What the needles found in one text.
#[derive(Default)]
struct Found {
    flags: u32,
    object_starts: Vec<usize>,
    zero_starts: Vec<usize>,
    coordinated: bool,
}

/// One byte per character of `units`: ASCII as it is, other characters `OTHER_SPACE` or
/// `OTHER`; and whether there was any non-ASCII one.
fn byte_view<T: Copy + Into<u32>>(units: &[T], view: &mut Vec<u8>) -> bool {
    view.clear();
    let mut non_ascii = false;
    view.extend(units.iter().map(|&unit| {
        let code: u32 = unit.into();
        if code < 0x80 {
            code as u8
        } else {
            non_ascii = true;
            if is_py_space(code) {
                OTHER_SPACE
            } else {
                OTHER
            }
        }
    }));
    non_ascii
}

fn is_space_byte(byte: u8) -> bool {
    byte == OTHER_SPACE || byte < 0x80 && is_py_space(u32::from(byte))
}

fn is_ascii_word(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|byte| byte.is_ascii() && !is_py_space(u32::from(byte)))
}

impl CasualtyScan {
    /// What the lowered text seen as `view` holds (`non_ascii` when it holds a character
    /// that is not ASCII): its flags, and where the object and zero patterns can start
    /// (`casualties._occurrences`: every position of one of their prefixes, sorted).
    fn find(&self, view: &[u8], non_ascii: bool) -> Found {
        let mut found = Found {
            flags: if non_ascii { NON_ASCII } else { 0 },
            ..Found::default()
        };
        if view.iter().any(u8::is_ascii_digit) {
            found.flags |= DIGIT;
        }
        for token in view.split(|&byte| is_space_byte(byte)) {
            if !token.is_empty() {
                found.flags |= self.words.get(token).copied().unwrap_or(0);
            }
        }
        for needle in self.needles.find_overlapping_iter(view) {
            match self.needle_roles[needle.pattern().as_usize()] {
                Needle::Part(bits) => found.flags |= bits,
                Needle::ObjectStart => found.object_starts.push(needle.start()),
                Needle::ZeroStart => found.zero_starts.push(needle.start()),
                Needle::Coordinated => found.coordinated = true,
            }
        }
        // Overlapping matches come by end; prefixes of one role may end apart.
        found.object_starts.sort_unstable();
        found.zero_starts.sort_unstable();
        found
    }

    /// The starts of the zero, coordinated, subject and object patterns in one lowered text.
    fn starts<T: Copy + Into<u32>>(
        &self,
        units: &[T],
        view: &[u8],
        found: Found,
    ) -> [Vec<usize>; 4] {
        let flags = found.flags;
        let ascii = if flags & NON_ASCII == 0 {
            std::str::from_utf8(view)
                .ok()
                .filter(|text| is_gateable(text))
        } else {
            None
        };
        let mut out: [Vec<usize>; 4] = Default::default();
        if flags & ZERO_WORD != 0 {
            out[0] = self.zero.prune_in(ascii, found.zero_starts);
        }
        if flags & (NUMBER_TOKEN | DIGIT | NON_ASCII) == 0 {
            return out; // the patterns below all need a count
        }
        if flags & VERB_TOKEN != 0 {
            let counts = self.counts.find(units);
            if found.coordinated {
                out[1] = self.coordinated.prune_in(ascii, counts.clone());
            }
            out[2] = self.subject.prune_in(ascii, counts);
        }
        out[3] = self.object.prune_in(ascii, found.object_starts);
        out
    }
}

#[pymethods]
impl CasualtyScan {
    #[new]
    #[pyo3(signature = (
        *, cue_tokens, count_words, zero_words, number_tokens, verb_tokens, among_words, parts,
        object_prefixes, zero_prefixes, coordinated_part, gates
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        cue_tokens: Vec<String>,
        count_words: Vec<String>,
        zero_words: Vec<String>,
        number_tokens: Vec<String>,
        verb_tokens: Vec<String>,
        among_words: Vec<String>,
        parts: Vec<Vec<String>>,
        object_prefixes: Vec<String>,
        zero_prefixes: Vec<String>,
        coordinated_part: String,
        gates: [String; 4],
    ) -> PyResult<Self> {
        if parts.len() > 26 {
            return Err(PyValueError::new_err("at most 26 part sets"));
        }
        let sets = [
            (zero_words, ZERO_WORD),
            (number_tokens, NUMBER_TOKEN),
            (verb_tokens, VERB_TOKEN),
            (among_words, AMONG_WORD),
        ];
        let mut words: FnvMap<Box<[u8]>, u32> = FnvMap::default();
        for (set, bit) in sets {
            for word in set {
                if !is_ascii_word(&word) {
                    return Err(PyValueError::new_err(format!(
                        "casualty word {word:?} is empty, not ASCII or holds white space"
                    )));
                }
                *words
                    .entry(word.into_bytes().into_boxed_slice())
                    .or_default() |= bit;
            }
        }
        let mut needles: Vec<String> = Vec::new();
        let mut needle_roles = Vec::new();
        for (index, set) in parts.into_iter().enumerate() {
            needle_roles.extend(set.iter().map(|_| Needle::Part(FIRST_PART << index)));
            needles.extend(set);
        }
        needle_roles.extend(object_prefixes.iter().map(|_| Needle::ObjectStart));
        needles.extend(object_prefixes);
        needle_roles.extend(zero_prefixes.iter().map(|_| Needle::ZeroStart));
        needles.extend(zero_prefixes);
        needle_roles.push(Needle::Coordinated);
        needles.push(coordinated_part);
        if let Some(part) = needles
            .iter()
            .find(|part| part.is_empty() || !part.is_ascii())
        {
            return Err(PyValueError::new_err(format!(
                "casualty part {part:?} is empty or not ASCII"
            )));
        }
        let needles = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::Standard)
            .build(&needles)
            .map_err(|error| PyValueError::new_err(format!("casualty parts: {error}")))?;
        let [zero, coordinated, subject, object] = gates;
        Ok(Self {
            cues: CueTokens::new(cue_tokens)?,
            counts: CountStarts::new(count_words)?,
            words,
            needles,
            needle_roles,
            zero: StartGate::new(&zero)?,
            coordinated: StartGate::new(&coordinated)?,
            subject: StartGate::new(&subject)?,
            object: StartGate::new(&object)?,
        })
    }

    /// Per text holding a cue token, in order: (its index, its `str.lower()`, (its flags, the
    /// starts of the zero, coordinated, subject and object patterns)).
    fn scan<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Bound<'py, PyString>>,
    ) -> PyResult<Vec<ScannedSentence<'py>>> {
        let mut lowered_token = String::new();
        let mut view = Vec::new();
        let mut out = Vec::new();
        for (index, text) in texts.iter().enumerate() {
            if !with_code_units!(text, |units| self.cues.has_cue(units, &mut lowered_token)) {
                continue;
            }
            let lowered = text.call_method0(intern!(py, "lower"))?;
            let lowered_str = lowered.cast::<PyString>()?;
            let (flags, [zero, coordinated, subject, object]) =
                with_code_units!(*lowered_str, |units| {
                    let non_ascii = byte_view(units, &mut view);
                    let found = self.find(&view, non_ascii);
                    (found.flags, self.starts(units, &view, found))
                });
            out.push((index, lowered, (flags, zero, coordinated, subject, object)));
        }
        Ok(out)
    }
}
