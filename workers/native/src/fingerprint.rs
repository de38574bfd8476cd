//! The dedup fingerprint of the ASCII text `fingerprint._fast_ascii_text` gives: what
//! `fingerprint._general_spans`, `_signature` and the blake2b digest compute from it.
//!
//! Every constant and word list comes from `workers/pipeline/dedup/fingerprint.py` when the
//! module is imported (`FingerprintTables`), so the Python module stays their one definition.

use std::collections::BTreeMap;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::content::ContentRules;
use crate::minhash::MinHasher;
use crate::spans::{keyed_spans, Lexicon, NumberWord, TokenHasher, WordSet};

/// The tables and constants of the fingerprint, built once from the Python module's.
#[pyclass(frozen, module = "workers._native")]
pub struct FingerprintTables {
    lexicon: Lexicon,
    minhasher: MinHasher,
    number_sketch: usize,
    name_sketch: usize,
}

type FingerprintParts<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    usize,
    Bound<'py, PyBytes>,
    usize,
    Bound<'py, PyBytes>,
    usize,
);

#[pymethods]
impl FingerprintTables {
    /// `mix`: `_MIX`; `fmix32`: the two murmur3 multipliers; `probe_bins`: `_PROBE_BINS`;
    /// `stopword_table`: the stopword table of token hashes' low bits, as little-endian bits;
    /// `units` / `tens`: number words and their values; `generic_names`: names that are no keys.
    #[new]
    #[pyo3(signature = (
        *, poly, mix, fmix32, shingle_size, num_perm, bin_shift, probe_bins, stopword_table,
        units, tens, generic_names, number_sketch, name_sketch
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        poly: u64,
        mix: Vec<u64>,
        fmix32: [u32; 2],
        shingle_size: usize,
        num_perm: usize,
        bin_shift: u32,
        probe_bins: Vec<Vec<usize>>,
        stopword_table: &[u8],
        units: BTreeMap<String, u32>,
        tens: BTreeMap<String, u32>,
        generic_names: Vec<String>,
        number_sketch: usize,
        name_sketch: usize,
    ) -> PyResult<Self> {
        if mix.len() < 4 || shingle_size == 0 || shingle_size > mix.len() {
            return Err(PyValueError::new_err(
                "mix needs 4 multipliers and one per shingle token",
            ));
        }
        if !num_perm.is_power_of_two()
            || bin_shift >= 64
            || num_perm as u128 != 1u128 << (64 - bin_shift)
        {
            return Err(PyValueError::new_err(
                "num_perm must be 2**(64 - bin_shift): bins are the top bits",
            ));
        }
        let probes = probe_bins.first().map_or(0, Vec::len);
        if probe_bins.len() != num_perm
            || probe_bins.iter().flatten().any(|&b| b >= num_perm)
            || probe_bins.iter().any(|row| row.len() != probes)
        {
            return Err(PyValueError::new_err(
                "probe_bins must hold one equal-length row of bins per bin",
            ));
        }
        if !stopword_table.len().is_power_of_two() || stopword_table.len() < 8 {
            return Err(PyValueError::new_err(
                "stopword_table must have a power-of-two number of bytes (at least 8)",
            ));
        }
        let hasher = TokenHasher::new(poly, [mix[1], mix[3]]);
        let lexicon = Lexicon {
            number_heads: WordSet::new(number_words(&units, &tens), &hasher),
            generic_names: WordSet::new(
                generic_names
                    .into_iter()
                    .map(|name| (name.into_bytes(), ()))
                    .collect(),
                &hasher,
            ),
            hasher,
        };
        let stop_bits = stopword_table
            .chunks_exact(8)
            .map(|chunk| u64::from_le_bytes(chunk.try_into().unwrap_or_default()))
            .collect();
        let minhasher = MinHasher {
            mix,
            fmix32,
            shingle_size,
            num_perm,
            bin_shift,
            probe_bins: probe_bins.into_iter().flatten().collect(),
            probes,
            stop_bits,
            stop_mask: (stopword_table.len() * 8 - 1) as u64,
        };
        Ok(FingerprintTables {
            lexicon,
            minhasher,
            number_sketch,
            name_sketch,
        })
    }

    /// `(digest, signature, shingle_count, numbers, number_count, names, name_count)` of the
    /// ASCII text: the 16-byte blake2b of the canonical text, the MinHash slots as little-endian
    /// u16, the bottom-k sorted crc32 hashes of the number and name keys as little-endian u32.
    fn fingerprint_ascii<'py>(&self, py: Python<'py>, text: &[u8]) -> FingerprintParts<'py> {
        let keyed = keyed_spans(text, &self.lexicon);
        let (signature, shingle_count) = self.minhasher.signature(&keyed.spans.hashes);
        // blake2b_simd picks SIMD code at run time (the portable blake2 crate took a quarter of
        // the fingerprint's instructions); the digest is the same standard BLAKE2b-128.
        let digest = blake2b_simd::Params::new()
            .hash_length(16)
            .hash(&keyed.spans.text);
        let digest = digest.as_bytes();
        let signature: Vec<u8> = signature.iter().flat_map(|s| s.to_le_bytes()).collect();
        let sketch = |values: &[u32], size: usize| {
            let bytes: Vec<u8> = values
                .iter()
                .take(size)
                .flat_map(|v| v.to_le_bytes())
                .collect();
            PyBytes::new(py, &bytes)
        };
        (
            PyBytes::new(py, digest),
            PyBytes::new(py, &signature),
            shingle_count,
            sketch(&keyed.numbers, self.number_sketch),
            keyed.numbers.len(),
            sketch(&keyed.names, self.name_sketch),
            keyed.names.len(),
        )
    }

    /// `fingerprint_ascii(rules.ascii_text(text))` in one call: None where `ascii_text` gives
    /// None (the text is not safe); lone surrogates raise UnicodeEncodeError as there.
    fn fingerprint_text<'py>(
        &self,
        py: Python<'py>,
        rules: PyRef<'py, ContentRules>,
        text: &Bound<'py, PyString>,
    ) -> PyResult<Option<FingerprintParts<'py>>> {
        let content = rules.ascii_content(text)?;
        Ok(content.map(|content| self.fingerprint_ascii(py, &content)))
    }
}

/// One entry per number word, with its unit and tens values.
fn number_words(
    units: &BTreeMap<String, u32>,
    tens: &BTreeMap<String, u32>,
) -> Vec<(Vec<u8>, NumberWord)> {
    let mut words: BTreeMap<&str, NumberWord> = BTreeMap::new();
    for (word, &value) in units {
        words
            .entry(word)
            .or_insert(NumberWord {
                unit: None,
                tens: None,
            })
            .unit = Some(value);
    }
    for (word, &value) in tens {
        words
            .entry(word)
            .or_insert(NumberWord {
                unit: None,
                tens: None,
            })
            .tens = Some(value);
    }
    words
        .into_iter()
        .map(|(word, value)| (word.as_bytes().to_vec(), value))
        .collect()
}
