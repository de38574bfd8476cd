//! Generic weapon phrases of one article in one call (`weapons.add_generic_weapons`): for each
//! head noun the scanner found, the modifier words before it, the generic weapon they and the
//! head name, and whether the phrase is free (not right after a named weapon, not claimed by
//! an earlier mention or phrase). Python only records the phrases this returns.
//!
//! The generic table, the modifiers' last words, the not-a-weapon words and the window come
//! from `weapons.py`, so they keep their one definition there; `add_generic_weapons_reference`
//! stays the reference. Offsets are Python string indices (code points); white space is
//! Python's `str.isspace`, letters and digits its `str.isalnum` (from `char_classes`, or the
//! `classify` callback beyond the Basic Multilingual Plane), lower case its `str.lower` (no
//! non-ASCII character but U+212A KELVIN SIGN lowers to ASCII, and the table is ASCII).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyString};

use crate::hashing::{FnvMap, FnvSet};
use crate::pystr::{is_py_space, with_code_units, CharClasses};

const KELVIN: u32 = 0x212A;

/// The generics of one head noun.
#[derive(Default)]
struct Head {
    /// Modifier words (lower case, one space apart; "" = the bare head) -> generic id.
    by_modifier: FnvMap<String, usize>,
    /// Last words of the non-empty modifiers.
    last_words: FnvSet<String>,
}

#[pyclass(frozen, module = "workers._native")]
pub struct GenericWeaponRules {
    heads: FnvMap<String, Head>,
    /// (modifier, head) of every generic.
    pairs: FnvSet<(String, String)>,
    modifying: FnvSet<String>,
    not_weapon: FnvSet<String>,
    max_words: usize,
    window: usize,
    classes: CharClasses,
}

/// `_singular` of an ASCII word.
fn singular(word: &str) -> String {
    let word = word.to_ascii_lowercase();
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    if word.ends_with('s') && !word.ends_with("ss") {
        return word[..word.len() - 1].to_string();
    }
    word
}

/// Python's `str.lower` of a word, exact for every comparison with the (ASCII) table: ASCII
/// letters and the Kelvin sign lower to ASCII, any other character stays non-ASCII.
fn lower(units: &[u32]) -> String {
    units
        .iter()
        .map(|&code| match code {
            KELVIN => 'k',
            _ => char::from_u32(code)
                .unwrap_or(char::REPLACEMENT_CHARACTER)
                .to_ascii_lowercase(),
        })
        .collect()
}

impl GenericWeaponRules {
    /// `_plain_word`: an ASCII letter first, then letters, digits, hyphens and underscores.
    fn plain_word(&self, py: Python<'_>, piece: &[u32]) -> PyResult<bool> {
        let Some((&first, rest)) = piece.split_first() else {
            return Ok(false);
        };
        if !u8::try_from(first).is_ok_and(|byte| byte.is_ascii_alphabetic()) {
            return Ok(false);
        }
        for &code in rest {
            if code != u32::from(b'-')
                && code != u32::from(b'_')
                && !self.classes.is_alnum(py, code)?
            {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The white-space separated pieces of `text[max(0, start - window):start]`, last first
    /// (at most `limit`), or none when the window does not end in white space.
    fn pieces_before(&self, units: &[u32], start: usize, limit: usize) -> Vec<(usize, usize)> {
        let low = start.saturating_sub(self.window);
        let mut out = Vec::new();
        if start == low || !is_py_space(units[start - 1]) {
            return out;
        }
        let mut at = start;
        while out.len() < limit {
            while at > low && is_py_space(units[at - 1]) {
                at -= 1;
            }
            if at == low {
                break;
            }
            let end = at;
            while at > low && !is_py_space(units[at - 1]) {
                at -= 1;
            }
            out.push((at, end));
        }
        out
    }

    /// `_modifier_words`: up to `max_words` plain words right before `start`, in text order.
    fn modifier_words(
        &self,
        py: Python<'_>,
        units: &[u32],
        start: usize,
    ) -> PyResult<Vec<(usize, usize)>> {
        let mut words = Vec::new();
        for (low, high) in self.pieces_before(units, start, self.max_words) {
            if !self.plain_word(py, &units[low..high])? {
                break;
            }
            words.push((low, high));
        }
        words.reverse();
        Ok(words)
    }

    /// `_modifies_next`: the head only modifies the next word ("tank shells").
    fn modifies_next(&self, units: &[u32], end: usize, head: &str) -> bool {
        if !self.modifying.contains(head) {
            return false;
        }
        let mut at = end;
        while at < units.len() && (units[at] == u32::from(b' ') || units[at] == u32::from(b'\t')) {
            at += 1;
        }
        let word_start = at;
        while at < units.len() && u8::try_from(units[at]).is_ok_and(|b| b.is_ascii_alphabetic()) {
            at += 1;
        }
        if at == word_start || word_start == end {
            return false;
        }
        let word: String = units[word_start..at]
            .iter()
            .filter_map(|&code| char::from_u32(code))
            .collect();
        self.pairs.contains(&(head.to_string(), singular(&word)))
    }

    /// `_generic_for(words, head)` once the last word is known to end a modifier of `head`.
    fn generic_for(
        &self,
        units: &[u32],
        words: &[(usize, usize)],
        head: &Head,
    ) -> Option<(usize, usize)> {
        if let Some(&(low, high)) = words.last() {
            let last = lower(&units[low..high]);
            if self.not_weapon.contains(&last) {
                return None;
            }
            if head.last_words.contains(&last) {
                let lowered: Vec<String> = words
                    .iter()
                    .map(|&(low, high)| lower(&units[low..high]))
                    .collect();
                let size = lowered.len();
                for n in (1..=size.min(self.max_words)).rev() {
                    if let Some(&id) = head.by_modifier.get(&lowered[size - n..].join(" ")) {
                        return Some((id, n));
                    }
                }
            }
        }
        head.by_modifier.get("").map(|&id| (id, 0))
    }

    /// `text.rfind(word, 0, before)`.
    fn rfind(units: &[u32], word: &[u32], before: usize) -> Option<usize> {
        if word.is_empty() {
            return Some(before);
        }
        (0..=before.checked_sub(word.len())?)
            .rev()
            .find(|&at| &units[at..at + word.len()] == word)
    }

    /// The phrase (start, generic id) a head noun at `start..end` names, or None.
    fn phrase(
        &self,
        py: Python<'_>,
        units: &[u32],
        (start, end): (usize, usize),
        name: &str,
    ) -> PyResult<Option<(usize, usize)>> {
        let Some(head) = self.heads.get(name) else {
            return Ok(None);
        };
        if self.modifies_next(units, end, name) {
            return Ok(None);
        }
        let last = match self.pieces_before(units, start, 1).first() {
            Some(&(low, high)) if self.plain_word(py, &units[low..high])? => {
                lower(&units[low..high])
            }
            _ => String::new(),
        };
        let (id, used, words) = if head.last_words.contains(&last) {
            let words = self.modifier_words(py, units, start)?;
            let Some((id, used)) = self.generic_for(units, &words, head) else {
                return Ok(None);
            };
            (id, used, words)
        } else if self.not_weapon.contains(&last) {
            return Ok(None);
        } else {
            let Some(&id) = head.by_modifier.get("") else {
                return Ok(None);
            };
            (id, 0, Vec::new())
        };
        let mut phrase_start = start;
        if used > 0 {
            let Some(&(low, high)) = words.get(words.len() - used) else {
                return Ok(None);
            };
            // A word of the window is always found; -1 (not found) never happens.
            phrase_start = Self::rfind(units, &units[low..high], start).unwrap_or(low);
        }
        Ok(Some((phrase_start, id)))
    }

    fn accepted_in(
        &self,
        py: Python<'_>,
        units: &[u32],
        matches: &[(usize, usize, String)],
        claimed: &mut [u8],
        named_ends: &FnvSet<usize>,
    ) -> PyResult<Vec<(usize, usize, usize)>> {
        let mut out = Vec::new();
        for (start, end, name) in matches {
            let (start, end) = (*start, *end);
            if start > end || end > units.len() {
                return Err(PyValueError::new_err("a head noun outside the text"));
            }
            let Some((phrase_start, id)) = self.phrase(py, units, (start, end), name)? else {
                continue;
            };
            // `_follows_named`.
            let mut probe = phrase_start;
            while probe > 0 && matches!(units[probe - 1], 0x20 | 0x09 | 0x2D) {
                probe -= 1;
            }
            if named_ends.contains(&probe) {
                continue;
            }
            // `Collector.is_claimed`, then the claim `Collector.add` makes.
            let first = claimed.get(phrase_start).copied().unwrap_or(0);
            let last = end
                .checked_sub(1)
                .and_then(|at| claimed.get(at))
                .copied()
                .unwrap_or(0);
            if first != 0 || last != 0 {
                continue;
            }
            if let Some(range) = claimed.get_mut(phrase_start..end) {
                range.fill(1);
            }
            out.push((phrase_start, end, id));
        }
        Ok(out)
    }
}

#[pymethods]
impl GenericWeaponRules {
    /// `generics`: (modifier, head) of each generic weapon, its id its position; `last_words`:
    /// per head, the last words of its modifiers; `modifying`: every modifier; `not_weapon`:
    /// words that make a head no weapon; `max_words` modifier words at most, read in a window
    /// of `window` characters; `classes` and `classify` as for `HeadScanner`.
    #[new]
    #[pyo3(signature = (
        *, generics, last_words, modifying, not_weapon, max_words, window, classes, classify
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        generics: Vec<(String, String)>,
        last_words: FnvMap<String, Vec<String>>,
        modifying: Vec<String>,
        not_weapon: Vec<String>,
        max_words: usize,
        window: usize,
        classes: Vec<u8>,
        classify: Py<PyAny>,
    ) -> PyResult<Self> {
        let classes = CharClasses::new(classes, classify)?;
        let non_ascii = generics
            .iter()
            .flat_map(|(modifier, head)| [modifier, head])
            .chain(modifying.iter())
            .chain(not_weapon.iter())
            .chain(last_words.values().flatten())
            .find(|word| !word.is_ascii())
            .cloned();
        if let Some(word) = non_ascii {
            return Err(PyValueError::new_err(format!(
                "weapon word {word:?} is not ASCII"
            )));
        }
        let mut heads: FnvMap<String, Head> = FnvMap::default();
        for (id, (modifier, head)) in generics.iter().enumerate() {
            heads
                .entry(head.clone())
                .or_default()
                .by_modifier
                .entry(modifier.clone())
                .or_insert(id);
        }
        for (head, words) in last_words {
            heads.entry(head).or_default().last_words = words.into_iter().collect();
        }
        Ok(Self {
            heads,
            pairs: generics.into_iter().collect(),
            modifying: modifying.into_iter().collect(),
            not_weapon: not_weapon.into_iter().collect(),
            max_words,
            window,
            classes,
        })
    }

    /// (start, end, generic id) of every free generic weapon phrase, in the order of the head
    /// nouns `matches` ((start, end, singular head), as `_head_matches` gives them), given the
    /// article's `claimed` offsets and the ends of its named weapons.
    fn accepted(
        &self,
        py: Python<'_>,
        text: Bound<'_, PyString>,
        matches: Vec<(usize, usize, String)>,
        claimed: &Bound<'_, PyByteArray>,
        named_ends: FnvSet<usize>,
    ) -> PyResult<Vec<(usize, usize, usize)>> {
        let mut claimed = claimed.to_vec();
        with_code_units!(text, |units| {
            // One code point type for every string kind (a no-op conversion for UCS4).
            #[allow(clippy::useless_conversion)]
            let units: Vec<u32> = units.iter().map(|&unit| u32::from(unit)).collect();
            self.accepted_in(py, &units, &matches, &mut claimed, &named_ends)
        })
    }
}
