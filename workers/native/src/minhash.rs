//! The text signature of `fingerprint._signature`: mixed 3-token shingle hashes (shingles of
//! stopwords only dropped), one-permutation MinHash with optimal densification, 16-bit slots.

pub struct MinHasher {
    /// `_MIX`: per-position shingle multipliers; `[1]` and `[3]` also mix the shingle hashes.
    pub mix: Vec<u64>,
    /// murmur3 fmix32 multipliers.
    pub fmix32: [u32; 2],
    pub shingle_size: usize,
    pub num_perm: usize,
    /// A mixed value's bin is its top bits: `value >> bin_shift` (< `num_perm`).
    pub bin_shift: u32,
    /// `probes` bins per bin, row-major: where an empty bin borrows its minimum.
    pub probe_bins: Vec<usize>,
    pub probes: usize,
    /// Bit `h & stop_mask` is set if a token with hash `h` counts as a stopword.
    pub stop_bits: Vec<u64>,
    pub stop_mask: u64,
}

impl MinHasher {
    /// The signature (`num_perm` 16-bit slots) and the number of distinct shingles.
    pub fn signature(&self, tokens: &[u64]) -> (Vec<u16>, usize) {
        if tokens.is_empty() {
            return (vec![u16::MAX; self.num_perm], 0);
        }
        let mixed = self.mixed_shingles(tokens);
        let (minima, distinct) = self.bin_minima(&mixed);
        let slots = minima.into_iter().map(|m| self.slot(m)).collect();
        (slots, distinct)
    }

    fn is_stopword(&self, token: u64) -> bool {
        let bit = token & self.stop_mask;
        self.stop_bits[(bit >> 6) as usize] >> (bit & 63) & 1 == 1
    }

    /// Shingle hashes through both mixes (`_mixed_shingles`, then the MinHash mix), with the
    /// shingles made only of stopwords dropped unless all are. One pass keeps the others; only
    /// a text whose every shingle is stopwords takes a second pass (their order never matters:
    /// the signature takes bin minima and the count distinct values).
    fn mixed_shingles(&self, tokens: &[u64]) -> Vec<u64> {
        let width = self.shingle_size.min(tokens.len());
        let count = tokens.len() - width + 1;
        let mut kept = Vec::with_capacity(count);
        if width == 3 {
            let [m0, m1, m2] = [self.mix[0], self.mix[1], self.mix[2]];
            let mut stop = [
                false,
                self.is_stopword(tokens[0]),
                self.is_stopword(tokens[1]),
            ];
            for window in tokens.windows(3) {
                stop = [stop[1], stop[2], self.is_stopword(window[2])];
                if !(stop[0] & stop[1] & stop[2]) {
                    kept.push(self.mix_shingle(
                        window[0].wrapping_mul(m0)
                            ^ window[1].wrapping_mul(m1)
                            ^ window[2].wrapping_mul(m2),
                    ));
                }
            }
        } else {
            for window in tokens.windows(width) {
                if !window.iter().all(|&t| self.is_stopword(t)) {
                    kept.push(self.mix_shingle(self.shingle(window)));
                }
            }
        }
        if kept.is_empty() {
            kept.extend(
                tokens
                    .windows(width)
                    .map(|window| self.mix_shingle(self.shingle(window))),
            );
        }
        kept
    }

    /// `_mixed_shingles` of one window: its token hashes times the per-position multipliers.
    fn shingle(&self, window: &[u64]) -> u64 {
        let pairs = window.iter().zip(&self.mix);
        pairs.fold(0, |acc, (&t, &m)| acc ^ t.wrapping_mul(m))
    }

    /// The MinHash mix of a shingle hash.
    #[inline]
    fn mix_shingle(&self, shingle: u64) -> u64 {
        let mut v = shingle;
        v ^= v >> 29;
        v = v.wrapping_mul(self.mix[3]);
        v ^= v >> 32;
        v = v.wrapping_mul(self.mix[1]);
        v ^ (v >> 31)
    }

    /// The minimum of each bin (empty bins densified) and the number of distinct values.
    fn bin_minima(&self, mixed: &[u64]) -> (Vec<u64>, usize) {
        let bins = self.num_perm;
        let mut minima = vec![u64::MAX; bins];
        let mut filled = vec![false; bins];
        for &x in mixed {
            let b = ((x >> self.bin_shift) as usize).min(bins - 1);
            minima[b] = minima[b].min(x);
            filled[b] = true;
        }
        for b in 0..bins {
            if !filled[b] {
                minima[b] = minima[self.source_bin(b, &filled)];
            }
        }
        (minima, count_distinct(mixed))
    }

    /// The bin an empty bin borrows from: the first non-empty bin of its probe sequence, else
    /// the next non-empty bin to its right, cyclically (at least one bin is non-empty).
    fn source_bin(&self, empty: usize, filled: &[bool]) -> usize {
        let probes = &self.probe_bins[empty * self.probes..(empty + 1) * self.probes];
        probes
            .iter()
            .copied()
            .find(|&b| filled[b])
            .or_else(|| (empty + 1..filled.len()).find(|&b| filled[b]))
            .or_else(|| filled.iter().position(|&f| f))
            .unwrap_or(empty)
    }

    /// murmur3 fmix32 of the low 32 bits of `x ^ (x >> 32)`, top 16 bits.
    fn slot(&self, x: u64) -> u16 {
        let mut m = (x as u32) ^ ((x >> 32) as u32);
        m ^= m >> 16;
        m = m.wrapping_mul(self.fmix32[0]);
        m ^= m >> 13;
        m = m.wrapping_mul(self.fmix32[1]);
        (m >> 16) as u16
    }
}

/// The number of distinct values, through an open-addressing set indexed by their low bits
/// (the values are mixed hashes), at most half full; 0 marks a free entry.
fn count_distinct(values: &[u64]) -> usize {
    let size = (2 * values.len()).next_power_of_two().max(16);
    let mask = size - 1;
    let mut table = vec![0u64; size];
    let mut distinct = usize::from(values.contains(&0));
    for &x in values.iter().filter(|&&x| x != 0) {
        let mut i = x as usize & mask;
        while table[i] != x {
            if table[i] == 0 {
                table[i] = x;
                distinct += 1;
                break;
            }
            i = (i + 1) & mask;
        }
    }
    distinct
}
