//! The store keys a dedup check reads (`dedup/index.py`): the article id key, the exact-hash
//! key and one LSH band key per band, built in one call instead of a numpy pass per article.
//!
//! The key layout (prefixes, band and row counts, id digest size) comes from `index.py` when
//! it is imported, so that module stays its one definition.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};

/// The key layout of the dedup index, built once from the Python module's.
#[pyclass(frozen, module = "workers._native")]
pub struct IndexKeys {
    id_prefix: Vec<u8>,
    id_digest_size: usize,
    hash_prefix: Vec<u8>,
    band_prefix: Vec<u8>,
    bands: usize,
    rows: usize,
}

#[pymethods]
impl IndexKeys {
    /// `id_digest_size`: bytes of the blake2b digest of the article id (1 to 64); `bands`
    /// (at most 256, numbered by one byte) of `rows` 16-bit signature slots each.
    #[new]
    #[pyo3(signature = (*, id_prefix, id_digest_size, hash_prefix, band_prefix, bands, rows))]
    fn new(
        id_prefix: Vec<u8>,
        id_digest_size: usize,
        hash_prefix: Vec<u8>,
        band_prefix: Vec<u8>,
        bands: usize,
        rows: usize,
    ) -> PyResult<Self> {
        if !(1..=64).contains(&id_digest_size) {
            return Err(PyValueError::new_err("id_digest_size must be 1 to 64"));
        }
        if bands > 256 || rows == 0 {
            return Err(PyValueError::new_err(
                "bands must be at most 256 and rows at least 1",
            ));
        }
        Ok(IndexKeys {
            id_prefix,
            id_digest_size,
            hash_prefix,
            band_prefix,
            bands,
            rows,
        })
    }

    /// The id key of `article_id`: the id prefix and the blake2b digest of its UTF-8 bytes.
    fn id_key<'py>(&self, py: Python<'py>, article_id: &str) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.id_key_bytes(article_id)))
    }

    /// One key per band: the band prefix, the band number (one byte) and the band's `rows`
    /// slots big-endian; `signature` holds the slots as little-endian u16 (at least
    /// `bands * rows` of them).
    fn band_keys<'py>(
        &self,
        py: Python<'py>,
        signature: &[u8],
    ) -> PyResult<Vec<Bound<'py, PyBytes>>> {
        self.check_signature(signature)?;
        Ok(self.band_keys_of(py, signature))
    }

    /// `[id key, hash prefix + digest, *band keys]`: every key a check reads, in that order.
    fn article_keys<'py>(
        &self,
        py: Python<'py>,
        article_id: &str,
        digest: &[u8],
        signature: &[u8],
    ) -> PyResult<Bound<'py, PyList>> {
        self.check_signature(signature)?;
        let id_key = PyBytes::new(py, &self.id_key_bytes(article_id));
        let hash_key = PyBytes::new(py, &[self.hash_prefix.as_slice(), digest].concat());
        let mut keys = Vec::with_capacity(2 + self.bands);
        keys.extend([id_key, hash_key]);
        keys.extend(self.band_keys_of(py, signature));
        PyList::new(py, keys)
    }
}

impl IndexKeys {
    fn check_signature(&self, signature: &[u8]) -> PyResult<()> {
        if signature.len() < 2 * self.bands * self.rows {
            return Err(PyValueError::new_err(
                "signature has fewer than bands * rows 16-bit slots",
            ));
        }
        Ok(())
    }

    fn id_key_bytes(&self, article_id: &str) -> Vec<u8> {
        // `id_digest_size` was checked to be 1 to 64 on construction.
        let digest = blake2b_simd::Params::new()
            .hash_length(self.id_digest_size)
            .hash(article_id.as_bytes());
        let mut key = self.id_prefix.clone();
        key.extend_from_slice(digest.as_bytes());
        key
    }

    /// The band keys of a signature already checked to be long enough.
    fn band_keys_of<'py>(&self, py: Python<'py>, signature: &[u8]) -> Vec<Bound<'py, PyBytes>> {
        let width = 2 * self.rows;
        let mut key = Vec::with_capacity(self.band_prefix.len() + 1 + width);
        signature
            .chunks_exact(width)
            .take(self.bands)
            .enumerate()
            .map(|(band, slots)| {
                key.clear();
                key.extend_from_slice(&self.band_prefix);
                key.push(band as u8); // bands <= 256
                for slot in slots.chunks_exact(2) {
                    key.extend_from_slice(&[slot[1], slot[0]]);
                }
                PyBytes::new(py, &key)
            })
            .collect()
    }
}
