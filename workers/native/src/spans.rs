//! Canonical text, token hashes and key-token sketches of the text that
//! `fingerprint._fast_ascii_text` gives (content lines framed and joined by newlines): ASCII
//! and the admitted Latin letters (U+00C0-U+017F, `content::letter_index`), as UTF-8.
//!
//! The Python str functions (`canonical_tokens`, `hash_canonical`, `key_tokens`,
//! `number_words`, `key_sketch`) are the reference semantics; this is the same computation in
//! one pass over the bytes. Every byte value is handled: input the boilerplate pass cannot give
//! (not framed by newlines, control bytes, non-ASCII) gives some result, never a panic.

/// Byte classes of the key-location rules: which byte pairs can start a name or a number.
const OTHER: u8 = 0;
/// a-z, "_" and every non-ASCII byte: a byte of a letter, a word character that starts no
/// name (`[A-Z]` is ASCII).
const LOWER: u8 = 1;
const CAPITAL: u8 = 2;
const DIGIT: u8 = 3;
const HYPHEN: u8 = 4;
const BREAK: u8 = 5; // !?:;"( and newline: a sentence break
const SPACE: u8 = 6;
const COMMA: u8 = 7;
const PERIOD: u8 = 8; // also a sentence break

const fn byte_classes() -> [u8; 256] {
    let mut classes = [OTHER; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        classes[c] = match b {
            b'a'..=b'z' | b'_' | 0x80..=0xFF => LOWER,
            b'A'..=b'Z' => CAPITAL,
            b'0'..=b'9' => DIGIT,
            b'-' => HYPHEN,
            b'!' | b'?' | b':' | b';' | b'"' | b'(' | b'\n' => BREAK,
            b' ' => SPACE,
            b',' => COMMA,
            b'.' => PERIOD,
            _ => OTHER,
        };
        c += 1;
    }
    classes
}

/// The canonical form of a byte: lower-case ASCII letters and digits, other bytes of letters
/// as they are (`fold_letters` folded them before), 0 for every token separator.
const fn canonical_bytes() -> [u8; 256] {
    let mut canonical = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        canonical[c] = match b {
            b'a'..=b'z' | b'0'..=b'9' | 0x80..=0xFF => b,
            b'A'..=b'Z' => b + 32,
            _ => 0,
        };
        c += 1;
    }
    canonical
}

/// The second byte of the case fold of the two-byte character `lead`, `second`: that of its
/// lower-case if that is a two-byte character with the same first byte (as for every admitted
/// letter), else `second`.
fn fold_second(lead: u8, second: u8) -> u8 {
    let code = (u32::from(lead & 0x1F) << 6) | u32::from(second & 0x3F);
    let Some(char) = char::from_u32(code) else {
        return second;
    };
    let mut lower = char.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(lower), None) => match lower.encode_utf8(&mut [0; 4]).as_bytes() {
            &[first, folded] if first == lead => folded,
            _ => second,
        },
        _ => second,
    }
}

/// The text with each two-byte letter case-folded (`fold_second`), of the same length.
fn fold_letters(raw: &[u8]) -> Vec<u8> {
    let mut folded = raw.to_vec();
    let mut at = 0;
    while at + 1 < folded.len() {
        let (lead, second) = (folded[at], folded[at + 1]);
        if (0xC0..0xE0).contains(&lead) && second & 0xC0 == 0x80 {
            folded[at + 1] = fold_second(lead, second);
            at += 2;
        } else {
            at += 1;
        }
    }
    folded
}

static CLASS: [u8; 256] = byte_classes();
static CANONICAL: [u8; 256] = canonical_bytes();

fn is_word_class(class: u8) -> bool {
    matches!(class, LOWER | CAPITAL | DIGIT)
}

fn is_word_byte(b: u8) -> bool {
    is_word_class(CLASS[b as usize])
}

/// Bytes of a name run: letters, digits, "_" and "-".
fn is_name_byte(b: u8) -> bool {
    is_word_byte(b) || b == b'-'
}

/// The 64-bit token hash of `canonical.py`: a polynomial hash of the token bytes
/// (`sum b_k * P**k mod 2**64`) through the splitmix64 finaliser.
pub struct TokenHasher {
    poly: u64,
    powers: [u64; POWERS],
    mix: [u64; 2],
}

const POWERS: usize = 64;

impl TokenHasher {
    /// `mix` are the finaliser's two multipliers (`_MIX[1]`, `_MIX[3]` in Python).
    pub fn new(poly: u64, mix: [u64; 2]) -> Self {
        let mut powers = [1u64; POWERS];
        for k in 1..POWERS {
            powers[k] = powers[k - 1].wrapping_mul(poly);
        }
        TokenHasher { poly, powers, mix }
    }

    fn start(&self) -> PolySum {
        PolySum {
            sum: 0,
            len: 0,
            power: self.powers[POWERS - 1],
        }
    }

    /// Adds byte `b` to the token: `sum += b * P**len`.
    #[inline]
    fn feed(&self, state: &mut PolySum, b: u8) {
        let power = match self.powers.get(state.len) {
            Some(&power) => power,
            None => {
                state.power = state.power.wrapping_mul(self.poly);
                state.power
            }
        };
        state.sum = state.sum.wrapping_add(u64::from(b).wrapping_mul(power));
        state.len += 1;
    }

    /// The splitmix64 finaliser.
    fn finish(&self, state: &PolySum) -> u64 {
        let mut x = state.sum;
        x ^= x >> 30;
        x = x.wrapping_mul(self.mix[0]);
        x ^= x >> 27;
        x = x.wrapping_mul(self.mix[1]);
        x ^ (x >> 31)
    }

    pub fn hash(&self, token: &[u8]) -> u64 {
        let mut state = self.start();
        for &b in token {
            self.feed(&mut state, b);
        }
        self.finish(&state)
    }
}

/// A token's polynomial hash sum so far; `power` is P**len once `len` passes the table.
struct PolySum {
    sum: u64,
    len: usize,
    power: u64,
}

/// A small set of words with a value each, looked up by token hash: a bit filter on the
/// hash's low bits, then an exact comparison of the bytes.
pub struct WordSet<V> {
    filter: [u64; FILTER_WORDS],
    entries: Vec<(u64, Vec<u8>, V)>,
}

const FILTER_WORDS: usize = 64; // 4096 bits
const FILTER_MASK: u64 = (FILTER_WORDS * 64 - 1) as u64;

impl<V: Copy> WordSet<V> {
    pub fn new(words: Vec<(Vec<u8>, V)>, hasher: &TokenHasher) -> Self {
        let mut filter = [0u64; FILTER_WORDS];
        let mut entries: Vec<(u64, Vec<u8>, V)> = words
            .into_iter()
            .map(|(word, value)| (hasher.hash(&word), word, value))
            .collect();
        entries.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        for (key, _, _) in &entries {
            let bit = key & FILTER_MASK;
            filter[(bit >> 6) as usize] |= 1 << (bit & 63);
        }
        WordSet { filter, entries }
    }

    /// The value of `word`, whose token hash is `key`.
    pub fn get(&self, key: u64, word: &[u8]) -> Option<V> {
        let bit = key & FILTER_MASK;
        if self.filter[(bit >> 6) as usize] >> (bit & 63) & 1 == 0 {
            return None;
        }
        let first = self.entries.partition_point(|entry| entry.0 < key);
        self.entries[first..]
            .iter()
            .take_while(|entry| entry.0 == key)
            .find(|entry| entry.1 == word)
            .map(|entry| entry.2)
    }
}

/// A number head word: its value as a unit ("one" .. "nineteen") and as a tens word.
#[derive(Clone, Copy)]
pub struct NumberWord {
    pub unit: Option<u32>,
    pub tens: Option<u32>,
}

/// The word lists of the key-token rules.
pub struct Lexicon {
    pub hasher: TokenHasher,
    pub number_heads: WordSet<NumberWord>,
    pub generic_names: WordSet<()>,
}

/// The canonical text (single spaces) and its tokens.
pub struct Spans {
    pub text: Vec<u8>,
    pub hashes: Vec<u64>,
    /// Token `i` starts at `starts[i]` and ends before the next space.
    starts: Vec<usize>,
}

impl Spans {
    fn token(&self, i: usize) -> &[u8] {
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |next| next - 1);
        &self.text[self.starts[i]..end]
    }
}

/// Where `key_tokens` starts names and numbers, in text order.
#[derive(Default)]
struct KeyStarts {
    names: Vec<usize>,
    numbers: Vec<usize>,
}

/// Everything the fingerprint takes from the text besides the MinHash.
pub struct KeyedSpans {
    pub spans: Spans,
    /// Sorted distinct crc32 hashes of the number and name key tokens.
    pub numbers: Vec<u32>,
    pub names: Vec<u32>,
}

pub fn keyed_spans(raw: &[u8], lexicon: &Lexicon) -> KeyedSpans {
    // Letters start no key, so the rules below see them folded (the hot loop stays ASCII).
    let folded;
    let raw = if raw.is_ascii() {
        raw
    } else {
        folded = fold_letters(raw);
        &folded
    };
    let (spans, starts) = scan(raw, &lexicon.hasher);
    let mut numbers = number_keys(raw, &starts.numbers);
    numbers.extend(number_words(&spans, lexicon));
    let names = name_keys(raw, &starts.names, lexicon);
    KeyedSpans {
        spans,
        numbers: sorted_distinct(numbers),
        names: sorted_distinct(names),
    }
}

fn sorted_distinct(mut values: Vec<u32>) -> Vec<u32> {
    values.sort_unstable();
    values.dedup();
    values
}

/// One pass: the canonical text with its token hashes, and the key-token starts.
///
/// Canonical text: digit-group separators ("40,000") dropped, letters lower-cased, every run
/// of other bytes one space. Key tokens start only where a run of letters and digits starts:
/// a name at a capital after a byte that is not a word byte or a sentence break (after spaces:
/// the byte before them is no sentence break); a number at a digit after a non-word byte.
/// After a hyphen, either only if no capital earlier in the letter/digit/hyphen run starts a
/// word ("Jean-Claude", "F-16" are one name).
fn scan(raw: &[u8], hasher: &TokenHasher) -> (Spans, KeyStarts) {
    // Locals, not fields, so that the compiler keeps their lengths in registers.
    let mut text: Vec<u8> = Vec::with_capacity(raw.len());
    let mut hashes: Vec<u64> = Vec::with_capacity(raw.len() / 4);
    let mut starts: Vec<usize> = Vec::with_capacity(raw.len() / 4);
    let mut keys = KeyStarts::default();
    let mut token: Option<PolySum> = None;
    let mut at = 0;
    while at < raw.len() {
        let b = raw[at];
        if CANONICAL[b as usize] == 0 {
            // A run of letters and digits ended (if a token is open) at this byte.
            let joins_group = matches!(b, b',' | b'.')
                && at > 0
                && raw[at - 1].is_ascii_digit()
                && is_digit_group(raw, at);
            if !joins_group {
                if let Some(state) = token.take() {
                    hashes.push(hasher.finish(&state));
                }
            }
            at += 1;
            continue;
        }
        if at > 0 {
            locate_key(
                raw,
                at,
                CLASS[raw[at - 1] as usize],
                CLASS[b as usize],
                &mut keys,
            );
        }
        let state = token.get_or_insert_with(|| {
            if !text.is_empty() {
                text.push(b' ');
            }
            starts.push(text.len());
            hasher.start()
        });
        while let Some(&b) = raw.get(at) {
            let canonical = CANONICAL[b as usize];
            if canonical == 0 {
                break;
            }
            text.push(canonical);
            hasher.feed(state, canonical);
            at += 1;
        }
    }
    if let Some(state) = token {
        hashes.push(hasher.finish(&state));
    }
    let spans = Spans {
        text,
        hashes,
        starts,
    };
    (spans, keys)
}

/// A "," or "." after a digit that separates a digit group: exactly three digits follow.
fn is_digit_group(raw: &[u8], at: usize) -> bool {
    let group = raw.get(at + 1..at + 4);
    group.is_some_and(|group| group.iter().all(u8::is_ascii_digit))
        && !raw.get(at + 4).is_some_and(|&b| is_word_byte(b))
}

fn locate_key(raw: &[u8], at: usize, previous: u8, class: u8, keys: &mut KeyStarts) {
    if !matches!(class, CAPITAL | DIGIT) || is_word_class(previous) {
        return;
    }
    if previous == HYPHEN {
        if !inside_name(raw, at) {
            if class == CAPITAL {
                keys.names.push(at);
            } else {
                keys.numbers.push(at);
            }
        }
    } else if class == DIGIT {
        keys.numbers.push(at);
    } else if previous == SPACE {
        if !after_sentence_break(raw, at) {
            keys.names.push(at);
        }
    } else if previous != BREAK && previous != PERIOD {
        keys.names.push(at);
    }
}

/// True if only spaces separate `at` from a sentence break (or the text start) before it.
fn after_sentence_break(raw: &[u8], at: usize) -> bool {
    raw[..at]
        .iter()
        .rev()
        .find(|&&b| b != b' ')
        .is_none_or(|&b| matches!(CLASS[b as usize], BREAK | PERIOD))
}

/// True if an earlier capital of the letter/digit/hyphen run through `at` starts a word (then
/// `at` is part of that capitalised word).
fn inside_name(raw: &[u8], at: usize) -> bool {
    let mut start = at - 1;
    while start > 0 && is_name_byte(raw[start - 1]) {
        start -= 1;
    }
    (start..at).any(|i| raw[i].is_ascii_uppercase() && (i == 0 || !is_word_byte(raw[i - 1])))
}

/// crc32 of each number key token (digits, digit groups joined; times and years skipped).
fn number_keys(raw: &[u8], starts: &[usize]) -> Vec<u32> {
    let mut keys = Vec::with_capacity(starts.len());
    let mut consumed = 0;
    let mut joined = Vec::new();
    for &at in starts {
        if at < consumed {
            continue;
        }
        consumed = number_end(raw, at);
        let token = &raw[at..consumed];
        if let Some(key) = number_key(token, &mut joined) {
            keys.push(crc32fast::hash(key));
        }
    }
    keys
}

/// The end of `[0-9]+(?:[.,:][0-9]+)*` from `at` (a digit).
fn number_end(raw: &[u8], at: usize) -> usize {
    let digits_end = |from: usize| {
        from + raw[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut end = digits_end(at);
    while end + 1 < raw.len()
        && matches!(raw[end], b'.' | b',' | b':')
        && raw[end + 1].is_ascii_digit()
    {
        end = digits_end(end + 1);
    }
    end
}

/// A number token as a key: None for times and years (dates), digit groups joined.
fn number_key<'a>(token: &'a [u8], joined: &'a mut Vec<u8>) -> Option<&'a [u8]> {
    let year = token.len() == 4
        && (token.starts_with(b"19") || token.starts_with(b"20"))
        && token.iter().all(u8::is_ascii_digit);
    if year || token.contains(&b':') {
        return None;
    }
    if token.len() <= 3 {
        return Some(token);
    }
    joined.clear();
    for (p, &b) in token.iter().enumerate() {
        if !(matches!(b, b',' | b'.') && separates_group(token, p)) {
            joined.push(b);
        }
    }
    Some(joined)
}

/// The regex `(?<=[0-9])[,.](?=[0-9]{3}\b)` at `p` of a number token.
fn separates_group(token: &[u8], p: usize) -> bool {
    p > 0 && token[p - 1].is_ascii_digit() && is_digit_group(token, p)
}

/// crc32 of the digits of the number words among the tokens ("thirty one" → "31").
fn number_words(spans: &Spans, lexicon: &Lexicon) -> Vec<u32> {
    let mut keys = Vec::new();
    let count = spans.hashes.len();
    let mut skip = None;
    for i in 0..count {
        if skip == Some(i) {
            continue;
        }
        let Some(word) = lexicon.number_heads.get(spans.hashes[i], spans.token(i)) else {
            continue;
        };
        let mut value = word.unit.or(word.tens).unwrap_or(0);
        if word.tens.is_some() && i + 1 < count {
            let following = lexicon
                .number_heads
                .get(spans.hashes[i + 1], spans.token(i + 1))
                .and_then(|next| next.unit)
                .unwrap_or(0);
            if 0 < following && following < 10 {
                value += following;
                skip = Some(i + 1);
            }
        }
        keys.push(crc32fast::hash(value.to_string().as_bytes()));
    }
    keys
}

/// A generic name, or a name whose first hyphen part is a number word ("twenty-one").
fn is_excluded_name(name: &[u8], lexicon: &Lexicon) -> bool {
    let hasher = &lexicon.hasher;
    let key = hasher.hash(name);
    if lexicon.generic_names.get(key, name).is_some() {
        return true;
    }
    match name.iter().position(|&b| b == b'-') {
        Some(hyphen) => {
            let head = &name[..hyphen];
            lexicon.number_heads.get(hasher.hash(head), head).is_some()
        }
        None => lexicon.number_heads.get(key, name).is_some(),
    }
}

/// crc32 of each name key token: the lower-cased letter/digit/hyphen run from each name start,
/// unless it is a generic name or its first hyphen part a number word ("Twenty-one").
fn name_keys(raw: &[u8], starts: &[usize], lexicon: &Lexicon) -> Vec<u32> {
    let mut keys = Vec::with_capacity(starts.len());
    let mut name = Vec::new();
    for &start in starts {
        name.clear();
        name.extend(
            raw[start..]
                .iter()
                .take_while(|&&b| is_name_byte(b))
                .map(u8::to_ascii_lowercase),
        );
        if is_excluded_name(&name, lexicon) {
            continue;
        }
        keys.push(crc32fast::hash(&name));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_letters_are_folded_word_bytes_that_start_no_key() {
        let hasher = TokenHasher::new(0x9E37_79B9_7F4A_7C15, [3, 5]);
        let raw = fold_letters("\nThe CAFÉ Élysée éA Zoé 1,000é\n".as_bytes());
        let (spans, keys) = scan(&raw, &hasher);
        assert_eq!(spans.text, "the café élysée éa zoé 1 000é".as_bytes());
        assert_eq!(
            fold_letters("ŁÓDŹ Ĺ ŀ Ÿ".as_bytes()),
            "łóDź ĺ ŀ Ÿ".as_bytes()
        );
        let name_at = |name: &str| "\nThe CAFÉ Élysée éA Zoé 1,000é\n".find(name).unwrap();
        assert_eq!(keys.names, vec![name_at("CAFÉ"), name_at("Zoé")]);
        assert_eq!(keys.numbers.first(), Some(&name_at("1,000é")));
    }
}
