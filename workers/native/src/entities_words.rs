//! What the walker knows of single words, merged into two tables and read once per token when
//! `EntityWalker.scan` stores it.
//!
//! The walk asked up to a dozen hash tables per token (lexicon starts, gazetteer starts, title
//! starts, demonyms, country keys, given names, connectors, non-names), each keyed by the same
//! few strings of the token; the gazetteer's is large and cold at every article. Here one
//! table answers every question about a key (or a fold), and a small one every question about a
//! token's text, so a token costs one or two lookups, made once, and the walk reads the facts
//! from the token.

use std::hash::{BuildHasherDefault, Hasher};

use crate::hashing::{FxHasher, FxMap};

/// Flags of a word as a key or a fold.
const IN_LEXICON: u8 = 1;
const IN_GAZETTEER: u8 = 2;
const GIVEN_NAME: u8 = 4;
const COUNTRY_START: u8 = 8;

/// Flags of a word as a token's text.
const CONNECTOR: u8 = 1;
const NOT_NAME: u8 = 2;

/// What the walker's tables hold for one word (as a key, or as a fold).
#[derive(Clone, Copy, Default)]
pub(crate) struct WordFacts {
    /// `lexicon_starts[word]`, `gazetteer_starts[word]` and `title_starts[word]`, 0 when absent
    /// (saturated: every use takes the smaller of them and a limit far below `u16::MAX`).
    lexicon_start: u16,
    gazetteer_start: u16,
    title_start: u16,
    flags: u8,
    /// 1 + the index in `WordTables::codes` of `demonyms[word]` / `country_keys[word]`; 0 when
    /// absent.
    demonym: u32,
    country: u32,
}

impl WordFacts {
    /// `word in lexicon_starts or word in gazetteer_starts`.
    pub(crate) fn starts(&self) -> bool {
        self.flags & (IN_LEXICON | IN_GAZETTEER) != 0
    }

    pub(crate) fn lexicon_start(&self) -> usize {
        usize::from(self.lexicon_start)
    }

    pub(crate) fn gazetteer_start(&self) -> usize {
        usize::from(self.gazetteer_start)
    }

    pub(crate) fn title_start(&self) -> usize {
        usize::from(self.title_start)
    }

    pub(crate) fn is_given_name(&self) -> bool {
        self.flags & GIVEN_NAME != 0
    }

    pub(crate) fn has_demonym(&self) -> bool {
        self.demonym != 0
    }

    /// The word is among `country_starts` (it may open a "<country> <institution>" name).
    pub(crate) fn is_country_start(&self) -> bool {
        self.flags & COUNTRY_START != 0
    }
}

/// A token's facts: of its key, of its fold, of its text, and the lexicon start of its key
/// without a final "s".
#[derive(Clone, Copy, Default)]
pub(crate) struct TokenFacts {
    pub(crate) key: WordFacts,
    pub(crate) folded: WordFacts,
    text: u8,
    pub(crate) singular_lexicon_start: u16,
}

impl TokenFacts {
    /// The text is one of `CONNECTORS`.
    pub(crate) fn is_connector(&self) -> bool {
        self.text & CONNECTOR != 0
    }

    /// The text is one of `NOT_NAME`.
    pub(crate) fn is_not_name(&self) -> bool {
        self.text & NOT_NAME != 0
    }
}

/// The merged tables.
#[derive(Default)]
pub(crate) struct WordTables {
    /// Words of up to `SHORT` bytes, stored in the table's buckets (no pointer to follow).
    short: std::collections::HashMap<ShortWord, WordFacts, BuildHasherDefault<PackedHasher>>,
    /// Longer words.
    long: FxMap<Box<str>, WordFacts>,
    texts: FxMap<Box<str>, u8>,
    /// The demonyms' and country keys' values.
    codes: Vec<String>,
}

/// The tables a `WordTables` is built from (as the walker receives them).
pub(crate) struct WordSources {
    pub(crate) lexicon_starts: Vec<(String, usize)>,
    pub(crate) gazetteer_starts: Vec<(String, usize)>,
    pub(crate) title_starts: Vec<(String, usize)>,
    pub(crate) demonyms: Vec<(String, String)>,
    pub(crate) country_keys: Vec<(String, String)>,
    pub(crate) given_names: Vec<String>,
    pub(crate) country_starts: Vec<String>,
    pub(crate) connectors: Vec<String>,
    pub(crate) not_name: Vec<String>,
}

/// Bytes a `ShortWord` holds.
const SHORT: usize = 15;

/// A word of up to `SHORT` bytes, zero-padded, its length in the last byte: compared and
/// hashed as two machine words.
#[derive(Clone, Copy, PartialEq, Eq)]
struct ShortWord([u8; SHORT + 1]);

impl ShortWord {
    fn of(word: &str) -> Option<Self> {
        let bytes = word.as_bytes();
        if bytes.len() > SHORT {
            return None;
        }
        let mut packed = [0u8; SHORT + 1];
        packed[..bytes.len()].copy_from_slice(bytes);
        packed[SHORT] = bytes.len() as u8; // at most SHORT
        Some(Self(packed))
    }
}

impl std::hash::Hash for ShortWord {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let (low, high) = self.0.split_at(8);
        let word = |half: &[u8]| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(half);
            u64::from_le_bytes(bytes)
        };
        state.write_u64(word(low));
        state.write_u64(word(high));
    }
}

/// FxHash of a `ShortWord`'s two machine words, its well-mixed high bits rotated down to the
/// low bits the table indexes by (a multiply leaves low bits depending on low bits alone).
#[derive(Default)]
pub(crate) struct PackedHasher(FxHasher);

/// Tables keyed by words, hashed a machine word at a time (`PackedHasher`).
pub(crate) type WordMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<PackedHasher>>;
pub(crate) type WordSet<K> = std::collections::HashSet<K, BuildHasherDefault<PackedHasher>>;

impl Hasher for PackedHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }

    fn write_u64(&mut self, word: u64) {
        self.0.add(word);
    }

    fn finish(&self) -> u64 {
        self.0.finish().rotate_left(26)
    }
}

fn saturated(value: usize) -> u16 {
    u16::try_from(value).unwrap_or(u16::MAX)
}

impl WordTables {
    pub(crate) fn new(sources: WordSources) -> Self {
        let mut tables = Self::default();
        for (word, start) in sources.lexicon_starts {
            let facts = tables.entry(word);
            facts.lexicon_start = saturated(start);
            facts.flags |= IN_LEXICON;
        }
        for (word, start) in sources.gazetteer_starts {
            let facts = tables.entry(word);
            facts.gazetteer_start = saturated(start);
            facts.flags |= IN_GAZETTEER;
        }
        for (word, start) in sources.title_starts {
            tables.entry(word).title_start = saturated(start);
        }
        for word in sources.given_names {
            tables.entry(word).flags |= GIVEN_NAME;
        }
        for word in sources.country_starts {
            tables.entry(word).flags |= COUNTRY_START;
        }
        for (word, code) in sources.demonyms {
            let index = tables.code(code);
            tables.entry(word).demonym = index;
        }
        for (word, code) in sources.country_keys {
            let index = tables.code(code);
            tables.entry(word).country = index;
        }
        for (words, flag) in [
            (sources.connectors, CONNECTOR),
            (sources.not_name, NOT_NAME),
        ] {
            for word in words {
                *tables.texts.entry(word.into_boxed_str()).or_insert(0) |= flag;
            }
        }
        tables.short.shrink_to_fit();
        tables.long.shrink_to_fit();
        tables
    }

    fn entry(&mut self, word: String) -> &mut WordFacts {
        match ShortWord::of(&word) {
            Some(short) => self.short.entry(short).or_default(),
            None => self.long.entry(word.into_boxed_str()).or_default(),
        }
    }

    /// 1 + the index of a new code.
    fn code(&mut self, code: String) -> u32 {
        self.codes.push(code);
        u32::try_from(self.codes.len()).unwrap_or(u32::MAX)
    }

    /// The facts of a word as a key or a fold (all absent when it is in no table).
    pub(crate) fn word(&self, word: &str) -> WordFacts {
        let found = match ShortWord::of(word) {
            Some(short) => self.short.get(&short),
            None => self.long.get(word),
        };
        found.copied().unwrap_or_default()
    }

    /// The facts of a token: `key` and `folded` are the same string when `same_fold`.
    pub(crate) fn token(&self, text: &str, key: &str, folded: &str, same_fold: bool) -> TokenFacts {
        let key_facts = self.word(key);
        let folded_facts = if same_fold {
            key_facts
        } else {
            self.word(folded)
        };
        // Read only where a key names no start itself (as `span_limit` and `word_kind` ask).
        let unknown = key_facts.lexicon_start == 0 && key_facts.gazetteer_start == 0;
        let singular_lexicon_start = match key.strip_suffix('s') {
            Some(singular) if unknown => self.word(singular).lexicon_start,
            _ => 0,
        };
        TokenFacts {
            key: key_facts,
            folded: folded_facts,
            text: self.texts.get(text).copied().unwrap_or(0),
            singular_lexicon_start,
        }
    }

    /// `demonyms[word]` of a word's facts.
    pub(crate) fn demonym<'a>(&'a self, facts: &WordFacts) -> Option<&'a str> {
        self.code_at(facts.demonym)
    }

    /// `country_keys[word]` of a word's facts.
    pub(crate) fn country<'a>(&'a self, facts: &WordFacts) -> Option<&'a str> {
        self.code_at(facts.country)
    }

    fn code_at(&self, index: u32) -> Option<&str> {
        let index = usize::try_from(index).ok()?.checked_sub(1)?;
        self.codes.get(index).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::{WordSources, WordTables};

    fn tables(lexicon_starts: Vec<(String, usize)>) -> WordTables {
        WordTables::new(WordSources {
            lexicon_starts,
            gazetteer_starts: Vec::new(),
            title_starts: Vec::new(),
            demonyms: Vec::new(),
            country_keys: Vec::new(),
            given_names: Vec::new(),
            country_starts: Vec::new(),
            connectors: Vec::new(),
            not_name: Vec::new(),
        })
    }

    #[test]
    fn words_short_and_long_are_found_as_stored_and_no_other() {
        let words: Vec<String> = (0..24)
            .map(|size| "é".repeat(size / 2) + &"x".repeat(size % 2))
            .collect();
        let table = tables(words.iter().cloned().zip(1..).collect());
        for (start, word) in (1..).zip(&words) {
            assert_eq!(table.word(word).lexicon_start(), start, "{word:?}");
            assert_eq!(
                table.word(&format!("{word}y")).lexicon_start(),
                0,
                "{word:?}y"
            );
        }
    }
}
