//! Where the trigger patterns' literal prefixes occur in a sentence: every occurrence of
//! every prefix, overlapping ones included (what an Aho-Corasick scan reports), from an index
//! of a few kilobytes that stays in cache between sentences.
//!
//! Each prefix of three bytes or more is filed under a key of its first three bytes (their
//! low five bits each: the key is exact for letters, and a collision only costs a comparison);
//! a bit set tells, at each position of the sentence, whether any prefix has that key, and
//! only then are that key's prefixes compared with the text. Prefixes shorter than three
//! bytes are compared at every position.

/// Keys of 15 bits.
const KEY_BITS: u32 = 15;
const WORDS: usize = 1 << (KEY_BITS - 6);
const KEY_MASK: usize = (1 << KEY_BITS) - 1;

fn key(bytes: &[u8]) -> usize {
    (usize::from(bytes[0] & 0x1f) << 10)
        | (usize::from(bytes[1] & 0x1f) << 5)
        | usize::from(bytes[2] & 0x1f)
}

/// One prefix: its first (up to) eight bytes as a little-endian word, the mask of those
/// bytes, its length, its id, and where the bytes past the eighth are in `tails`.
struct Entry {
    head: u64,
    mask: u64,
    len: u32,
    id: u32,
    tail: u32,
}

impl Entry {
    fn new(string: &[u8], id: usize, tails: &mut Vec<u8>) -> Entry {
        let n = string.len().min(8);
        let entry = Entry {
            head: word(&string[..n]),
            mask: if n == 8 {
                u64::MAX
            } else {
                (1u64 << (8 * n)) - 1
            },
            len: string.len() as u32,
            id: id as u32,
            tail: tails.len() as u32,
        };
        tails.extend_from_slice(&string[n..]);
        entry
    }

    /// Whether `rest` starts with this prefix; `head`: the word of its first eight bytes.
    fn starts(&self, rest: &[u8], head: u64, tails: &[u8]) -> bool {
        let len = self.len as usize;
        if head & self.mask != self.head || rest.len() < len {
            return false;
        }
        len <= 8 || {
            let tail = self.tail as usize;
            rest[8..len] == tails[tail..tail + len - 8]
        }
    }
}

/// The little-endian word of (up to) eight bytes, zero-padded.
fn word(bytes: &[u8]) -> u64 {
    let mut padded = [0u8; 8];
    let n = bytes.len().min(8);
    padded[..n].copy_from_slice(&bytes[..n]);
    u64::from_le_bytes(padded)
}

/// The prefixes, filed by key.
pub struct PrefixIndex {
    /// Bit per key: some prefix has it.
    keyed: [u64; WORDS],
    /// Per word of `keyed`, the number of keys set in the words before it.
    rank: [u16; WORDS],
    /// Per key set (in key order), its first entry in `entries`; one more at the end.
    bucket_starts: Vec<u32>,
    /// The prefixes of three bytes or more, by key.
    entries: Vec<Entry>,
    /// The prefixes shorter than a key.
    short: Vec<Entry>,
    /// The bytes of the prefixes past their eighth.
    tails: Vec<u8>,
}

impl PrefixIndex {
    /// The index of `strings`, each known by its position.
    pub fn new(strings: &[String]) -> PrefixIndex {
        let mut by_key: Vec<(usize, usize)> = Vec::new();
        let mut tails = Vec::new();
        let mut short = Vec::new();
        for (id, string) in strings.iter().enumerate() {
            if string.len() >= 3 {
                by_key.push((key(string.as_bytes()), id));
            } else {
                short.push(Entry::new(string.as_bytes(), id, &mut tails));
            }
        }
        by_key.sort_unstable();
        let mut keyed = [0u64; WORDS];
        for &(k, _) in &by_key {
            keyed[k / 64] |= 1 << (k % 64);
        }
        let mut rank = [0u16; WORDS];
        let mut total = 0u16;
        for (slot, word) in rank.iter_mut().zip(keyed.iter()) {
            *slot = total;
            total += word.count_ones() as u16;
        }
        let mut bucket_starts = Vec::with_capacity(usize::from(total) + 1);
        let mut previous = None;
        for (at, &(k, _)) in by_key.iter().enumerate() {
            if previous != Some(k) {
                bucket_starts.push(at as u32);
                previous = Some(k);
            }
        }
        bucket_starts.push(by_key.len() as u32);
        let entries = by_key
            .iter()
            .map(|&(_, id)| Entry::new(strings[id].as_bytes(), id, &mut tails))
            .collect();
        PrefixIndex {
            keyed,
            rank,
            bucket_starts,
            entries,
            short,
            tails,
        }
    }

    /// Calls `found(string id, start)` for every occurrence of every prefix in `text`: in
    /// order of position when there is no prefix shorter than a key (else in no particular
    /// order).
    pub fn for_each_in(&self, text: &[u8], mut found: impl FnMut(usize, usize)) {
        if !self.short.is_empty() {
            for start in 0..text.len() {
                let rest = &text[start..];
                let head = head_of(rest);
                for entry in &self.short {
                    if entry.starts(rest, head, &self.tails) {
                        found(entry.id as usize, start);
                    }
                }
            }
        }
        // A tight first pass over the keys (most positions have none), rolled on one byte at a
        // time, then the prefixes of the keys found.
        let Some(&[first, second]) = text.first_chunk::<2>() else {
            return;
        };
        let mut k = (usize::from(first & 0x1f) << 5) | usize::from(second & 0x1f);
        for (start, &byte) in text[2..].iter().enumerate() {
            k = ((k << 5) | usize::from(byte & 0x1f)) & KEY_MASK;
            if (self.keyed[k >> 6] >> (k & 63)) & 1 != 0 {
                self.compare_keyed(k, text, start, &mut found);
            }
        }
    }

    /// Calls `found` for the prefixes of key `k` that occur at `start` of `text`.
    fn compare_keyed(
        &self,
        k: usize,
        text: &[u8],
        start: usize,
        found: &mut impl FnMut(usize, usize),
    ) {
        let bits = self.keyed[k / 64];
        let bit = 1u64 << (k % 64);
        let rest = &text[start..];
        let head = head_of(rest);
        let bucket = usize::from(self.rank[k / 64]) + (bits & (bit - 1)).count_ones() as usize;
        let (from, to) = (self.bucket_starts[bucket], self.bucket_starts[bucket + 1]);
        for entry in &self.entries[from as usize..to as usize] {
            if entry.starts(rest, head, &self.tails) {
                found(entry.id as usize, start);
            }
        }
    }

    /// Whether [`PrefixIndex::for_each_in`] reports in order of position.
    pub fn in_position_order(&self) -> bool {
        self.short.is_empty()
    }
}

/// The word of the first eight bytes of `rest` (zero-padded).
fn head_of(rest: &[u8]) -> u64 {
    match rest.first_chunk::<8>() {
        Some(&eight) => u64::from_le_bytes(eight),
        None => word(rest),
    }
}

#[cfg(test)]
mod tests {
    use super::PrefixIndex;

    fn occurrences(strings: &[&str], text: &str) -> Vec<(usize, usize)> {
        let strings: Vec<String> = strings.iter().map(|s| s.to_string()).collect();
        let mut found = Vec::new();
        PrefixIndex::new(&strings).for_each_in(text.as_bytes(), |id, at| found.push((id, at)));
        found.sort_unstable();
        found
    }

    #[test]
    fn every_occurrence_overlapping_ones_included() {
        let found = occurrences(
            &["air", "airstrike", "strike", "ke", "a"],
            "airstrikes, a strike",
        );
        let expected = vec![
            (0, 0),
            (1, 0),
            (2, 3),
            (2, 14),
            (3, 7),
            (3, 18),
            (4, 0),
            (4, 12),
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn long_prefixes_are_compared_whole() {
        let strings = ["negotiations", "negotiator", "negotiati"];
        assert_eq!(
            occurrences(&strings, "negotiations, negotiatio"),
            vec![(0, 0), (2, 0), (2, 14)]
        );
    }

    #[test]
    fn colliding_keys_are_told_apart() {
        // '!' and 'a' share their low five bits.
        assert_eq!(occurrences(&["abc"], "!bc abc"), vec![(0, 4)]);
        assert_eq!(occurrences(&["!bc"], "abc !bc"), vec![(0, 4)]);
    }
}
