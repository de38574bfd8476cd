//! The content text of a "safe" body: `_fast_ascii_text` of
//! `workers.pipeline.dedup.fingerprint` for texts of printable ASCII, newlines, tabs and a few
//! typographic characters.
//!
//! The rules (regexes, head words, bullet and terminal characters, the ASCII mapping) are
//! passed from Python when the module is imported, so the Python general path stays their
//! one definition. This file re-implements only the control flow of `content_lines`,
//! `_kept_line`, `_is_boilerplate`, `_is_byline`, `_is_photo_credit`, `_dateline_end`,
//! `is_heading` and `_ascii_text`. On safe text Python's `str` methods reduce to ASCII tests:
//! the safe non-ASCII characters are punctuation and symbols (no space, letter, digit, case or
//! line break), so `strip`/`split` see spaces and tabs, `lower`/`isupper` see A-Z and a-z,
//! `isdigit` sees 0-9, and lines are split at `\n` only.

use std::borrow::Cow;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::pystr::{is_py_space, with_code_units};
use pyo3::types::{PyBytes, PyDict, PyString};
use regex::{Regex, RegexBuilder};
use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::nfa::thompson;
use regex_automata::util::start;
use regex_automata::Anchored;
use regex_syntax::hir::Look;

// Python `re` flags that a passed pattern may carry.
const RE_IGNORECASE: u32 = 2;
const RE_UNICODE: u32 = 32;
const RE_VERBOSE: u32 = 64;

/// The line rules' limits, as `fingerprint.LINE_LIMITS` defines them.
#[derive(Clone, Copy, Debug, FromPyObject)]
#[pyo3(from_item_all)]
struct LineLimits {
    /// `_is_boilerplate`: the head words are looked for in `line[:head_window]`.
    head_window: usize,
    /// `_is_byline`: at most this many words.
    byline_words: usize,
    /// `_is_photo_credit`: the credit is searched in `line[-credit_tail:]`.
    credit_tail: usize,
    /// `_dateline_end`: a "(" within the first `paren_window` characters, or an upper-case
    /// `line[:upper_head]`.
    paren_window: usize,
    upper_head: usize,
    /// `is_heading`: at most this many words.
    heading_words: usize,
}

/// An output byte table entry for bytes that are dropped.
const DROP: u8 = 0xFF;
/// Code units checked (and copied) at once where they are all plain ASCII.
const CHUNK: usize = 16;
/// At most this many ASCII bytes change in the ASCII text (tabs and apostrophes do).
const MAPPED_ASCII: usize = 4;

/// The whitespace of a line of safe text (lines are split at the only other one, "\n").
fn is_blank(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

/// Printable ASCII, "\n" or "\t": the characters of safe text that are not safe characters.
fn is_plain(code: u32) -> bool {
    (0x20..0x7F).contains(&code) || code == 0x0A || code == 0x09
}

/// Python's `str.strip()` of a line of safe text.
fn strip(line: &str) -> &str {
    let bytes = line.as_bytes();
    let Some(start) = bytes.iter().position(|&byte| !is_blank(byte)) else {
        return "";
    };
    let end = bytes
        .iter()
        .rposition(|&byte| !is_blank(byte))
        .map_or(start, |at| at + 1);
    &line[start..end]
}

/// `len(line.split()) <= limit` for a line of safe text.
fn words_at_most(line: &str, limit: usize) -> bool {
    let mut words = 0;
    let mut in_word = false;
    for &byte in line.as_bytes() {
        if is_blank(byte) {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words > limit {
                return false;
            }
        }
    }
    true
}

/// Whether a UTF-8 byte starts a character.
fn starts_char(byte: u8) -> bool {
    byte & 0xC0 != 0x80
}

/// The byte offset where the last `count` characters of `line` start (`line[-count:]`).
fn tail_start(line: &str, count: usize) -> usize {
    let bytes = line.as_bytes();
    let Some(ascii_start) = bytes.len().checked_sub(count) else {
        return 0; // at most `count` bytes, so at most `count` characters
    };
    if bytes[ascii_start..].is_ascii() {
        return ascii_start;
    }
    let mut chars = 0;
    for at in (0..bytes.len()).rev() {
        if starts_char(bytes[at]) {
            chars += 1;
            if chars == count {
                return at;
            }
        }
    }
    0
}

/// `line.find(char, 0, window) >= 0` (a window in characters) for an ASCII `char`.
fn find_within(line: &str, char: u8, window: usize) -> bool {
    let bytes = line.as_bytes();
    match memchr::memchr(char, bytes) {
        None => false,
        Some(at) if at < window => true,
        Some(at) => {
            bytes[..at]
                .iter()
                .filter(|&&byte| starts_char(byte))
                .count()
                < window
        }
    }
}

/// Python's `str.isupper` of safe characters: a cased character, none lower-case (every
/// safe cased character is upper- or lower-case, and is so in Rust as in Python).
fn is_upper(chars: impl Iterator<Item = char>) -> bool {
    let mut cased = false;
    for c in chars {
        if c.is_lowercase() {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// One Python `re` pattern as a `regex` pattern with the same meaning on safe text.
///
/// Verbose patterns lose their layout (whitespace and comments outside character classes;
/// `regex` would also drop the spaces inside classes that Python keeps). `\b` and `\B` become
/// ASCII word boundaries: the same on safe text (its non-ASCII characters are not word
/// characters) and they keep `regex` on its fast DFA for non-ASCII lines. Constructs that
/// differ between the two syntaxes (class set operators, nested classes, group extensions
/// other than `(?:` and `(?P<`, other flags) are refused rather than guessed.
fn rust_pattern(pattern: &str, flags: u32, boundaries: Boundaries) -> Result<String, String> {
    if flags & !(RE_IGNORECASE | RE_UNICODE | RE_VERBOSE) != 0 {
        return Err(format!("unsupported re flags {flags:#x}"));
    }
    let verbose = flags & RE_VERBOSE != 0;
    let mut out = String::with_capacity(pattern.len() + 16);
    if flags & RE_IGNORECASE != 0 {
        out.push_str("(?i)");
    }
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    let mut class_start = false; // right after "[" or "[^": a "]" is a member there
    while let Some(c) = chars.next() {
        if c == '\\' {
            let escaped = chars.next().ok_or("pattern ends in a backslash")?;
            match (in_class, escaped) {
                (true, 'b') => return Err("\\b in a character class".into()),
                (false, 'b' | 'B') if matches!(boundaries, Boundaries::Ascii) => {
                    out.push_str("(?-u:\\");
                    out.push(escaped);
                    out.push(')');
                }
                (false, 'Z') => out.push_str("\\z"),
                _ => {
                    out.push('\\');
                    out.push(escaped);
                }
            }
            class_start = false;
            continue;
        }
        if in_class {
            match c {
                ']' if !class_start => in_class = false,
                '^' if class_start && out.ends_with('[') => {
                    out.push(c);
                    continue;
                }
                '[' => return Err("nested or POSIX character class".into()),
                '-' | '&' | '~' if chars.peek() == Some(&c) => {
                    return Err(format!("{c}{c} in a character class"));
                }
                _ => {}
            }
            class_start = false;
            out.push(c);
            continue;
        }
        if verbose && matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c') {
            continue;
        }
        if verbose && c == '#' {
            for skipped in chars.by_ref() {
                if skipped == '\n' {
                    break;
                }
            }
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                class_start = true;
            }
            '(' if chars.peek() == Some(&'?') => {
                let mut ahead = chars.clone();
                ahead.next();
                match ahead.next() {
                    Some(':') => {}
                    Some('P') if ahead.next() == Some('<') => {}
                    _ => return Err("group extension other than (?: and (?P<".into()),
                }
            }
            _ => {}
        }
        out.push(c);
    }
    if in_class {
        return Err("unterminated character class".into());
    }
    Ok(out)
}

/// Which word boundaries `\b` and `\B` become: ASCII ones (the same as Python's on safe
/// text without letters, and they keep `regex` on its DFA for non-ASCII lines) or Unicode ones
/// (the same as Python's on safe text with letters, whose word characters agree).
#[derive(Clone, Copy)]
enum Boundaries {
    Ascii,
    Unicode,
}

/// A passed `re.Pattern` as a `regex` pattern (see `rust_pattern`).
fn translate(pattern: &Bound<'_, PyAny>, boundaries: Boundaries) -> PyResult<String> {
    let source: String = pattern.getattr("pattern")?.extract()?;
    let flags: u32 = pattern.getattr("flags")?.extract()?;
    rust_pattern(&source, flags, boundaries)
        .map_err(|e| PyValueError::new_err(format!("{e}: {source:?}")))
}

/// A translated pattern compiled for `re.match` (`Start`), `re.fullmatch` (`Both`) or
/// `re.search` (`None`).
fn compile(pattern: &str, how: Anchor) -> PyResult<Regex> {
    let wrapped = match how {
        Anchor::Start => format!("^(?:{pattern})"),
        Anchor::Both => format!("^(?:{pattern})\\z"),
        Anchor::None => pattern.to_owned(),
    };
    RegexBuilder::new(&wrapped)
        .build()
        .map_err(|e| PyValueError::new_err(format!("{e}")))
}

#[derive(Clone, Copy)]
enum Anchor {
    Start,
    Both,
    None,
}

/// Which edge bytes leave a match possible: for each first byte of a text, whether `re.match`
/// of the pattern may succeed (`Edge::First`), or for each last byte, whether `re.search`
/// may (`Edge::Last`; only a pattern whose every match ends at the text's end rules any
/// out). Read off a DFA of the pattern (reversed for `Last`) by one step from its anchored
/// start: a byte it cannot go on from rules a match out, exactly.
fn live_edge_bytes(pattern: &str, edge: Edge) -> PyResult<[bool; 256]> {
    let error = |e: &dyn std::fmt::Display| PyValueError::new_err(format!("{e}: {pattern:?}"));
    let reverse = matches!(edge, Edge::Last);
    if reverse {
        let hir = regex_syntax::Parser::new()
            .parse(pattern)
            .map_err(|e| error(&e))?;
        if !hir.properties().look_set_suffix().contains(Look::End) {
            return Ok([true; 256]);
        }
    }
    let dfa = dense::Builder::new()
        .configure(dense::Config::new().start_kind(StartKind::Anchored))
        .thompson(thompson::Config::new().reverse(reverse))
        .build(pattern)
        .map_err(|e| error(&e))?;
    let start = dfa
        .start_state(&start::Config::new().anchored(Anchored::Yes))
        .map_err(|e| error(&e))?;
    let mut live = [false; 256];
    for byte in 0..=u8::MAX {
        live[usize::from(byte)] = !dfa.is_dead_state(dfa.next_state(start, byte));
    }
    Ok(live)
}

#[derive(Clone, Copy)]
enum Edge {
    First,
    Last,
}

/// Membership of characters: a table for ASCII, a sorted list for the rest.
struct CharSet {
    ascii: [bool; 128],
    other: Vec<char>,
}

impl CharSet {
    fn new(chars: &str) -> Self {
        let mut set = Self {
            ascii: [false; 128],
            other: Vec::new(),
        };
        for char in chars.chars() {
            if char.is_ascii() {
                set.ascii[char as usize] = true;
            } else {
                set.other.push(char);
            }
        }
        set.other.sort_unstable();
        set.other.dedup();
        set
    }

    fn contains(&self, char: char) -> bool {
        if char.is_ascii() {
            self.ascii[char as usize]
        } else {
            self.other.binary_search(&char).is_ok()
        }
    }
}

/// A safe character: one non-ASCII character that leaves Python's str.strip, split, lower,
/// isupper, isdigit and splitlines (and `\b`, `\s`, `\d`) as on ASCII text.
fn safe_char(text: &str) -> PyResult<char> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(char), None)
            if !(char.is_ascii()
                || is_py_space(u32::from(char))
                || char.is_alphanumeric()
                || char.is_lowercase()
                || char.is_uppercase()) =>
        {
            Ok(char)
        }
        _ => Err(PyValueError::new_err(format!(
            "not a safe character: {text:?}"
        ))),
    }
}

/// A character that NFKC maps to a space (Python's `str.isspace`, not a line break).
fn space_char(text: &str) -> PyResult<char> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(char), None)
            if !char.is_ascii() && is_py_space(u32::from(char)) && !is_line_break(char) =>
        {
            Ok(char)
        }
        _ => Err(PyValueError::new_err(format!(
            "not a safe or space character: {text:?}"
        ))),
    }
}

/// What Python's `str.splitlines` splits at, besides ASCII.
fn is_line_break(char: char) -> bool {
    matches!(char, '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// The index in `ContentRules::letters` of an admitted letter and its case fold: a letter of
/// two UTF-8 bytes, the first one of `LETTER_LEADS`, upper- or lower-case, folding to itself
/// (lower-case) or to another letter with the same first byte (upper-case), its Rust
/// lower-case (what `spans` folds it to), and without an ASCII upper-case.
fn letter_index(letter: &str, folded: &str) -> PyResult<usize> {
    let mut chars = letter.chars();
    let error = || PyValueError::new_err(format!("not an admitted letter: {letter:?}"));
    let (Some(char), None) = (chars.next(), chars.next()) else {
        return Err(error());
    };
    let &[lead @ LETTER_FIRST..=LETTER_LAST, second] = letter.as_bytes() else {
        return Err(error());
    };
    let mut lower = char.to_lowercase();
    let (Some(lower), None) = (lower.next(), lower.next()) else {
        return Err(error());
    };
    let mut utf8 = [0; 4];
    let lower_bytes = lower.encode_utf8(&mut utf8).as_bytes();
    let upper = char.is_uppercase();
    // An ASCII upper-case ("ı" → "I") would make case-insensitive regexes differ.
    if !char.is_alphabetic()
        || char.to_uppercase().any(|upper| upper.is_ascii())
        || upper == char.is_lowercase()
        || upper == (lower == char)
        || folded != lower.encode_utf8(&mut [0; 4])
        || lower_bytes.len() != 2
        || lower_bytes[0] != lead
    {
        return Err(error());
    }
    Ok(usize::from(lead - LETTER_FIRST) * 64 + usize::from(second & 0x3F))
}

/// The output byte of a replacement ("" or one ASCII character) after `tidy`.
fn ascii_byte(text: &str, tidy: impl Fn(u8) -> u8) -> PyResult<u8> {
    match text.as_bytes() {
        [] => Ok(DROP),
        [byte] if byte.is_ascii() => Ok(tidy(*byte)),
        _ => Err(PyValueError::new_err(format!(
            "not \"\" or one ASCII character: {text:?}"
        ))),
    }
}

/// The regexes of the line rules, with one kind of word boundary.
struct Patterns {
    related_header: Regex,
    bullet_start: Regex,
    bullet_line: Regex,
    boilerplate_line: Regex,
    byline: Regex,
    photo_credit_end: Regex,
    dateline: Regex,
    agency_inline: Regex,
}

impl Patterns {
    #[allow(clippy::too_many_arguments)]
    fn new(
        related_header: &Bound<'_, PyAny>,
        bullet_line: &Bound<'_, PyAny>,
        boilerplate_line: &Bound<'_, PyAny>,
        byline: &Bound<'_, PyAny>,
        photo_credit_end: &Bound<'_, PyAny>,
        dateline: &Bound<'_, PyAny>,
        agency_inline: &Bound<'_, PyAny>,
        boundaries: Boundaries,
    ) -> PyResult<Self> {
        let bullet_line = translate(bullet_line, boundaries)?;
        Ok(Self {
            related_header: compile(&translate(related_header, boundaries)?, Anchor::Start)?,
            bullet_start: compile(&bullet_line, Anchor::Start)?,
            bullet_line: compile(&bullet_line, Anchor::Both)?,
            boilerplate_line: compile(&translate(boilerplate_line, boundaries)?, Anchor::Start)?,
            byline: compile(&translate(byline, boundaries)?, Anchor::Start)?,
            photo_credit_end: compile(&translate(photo_credit_end, boundaries)?, Anchor::None)?,
            dateline: compile(&translate(dateline, boundaries)?, Anchor::Start)?,
            agency_inline: compile(&translate(agency_inline, boundaries)?, Anchor::None)?,
        })
    }
}

/// Latin letters admitted in safe text (U+00C0-U+017F): each is two UTF-8 bytes, the first
/// from `LETTER_FIRST` to `LETTER_LAST`, and case-folds to a letter with the same first byte
/// (`spans` relies on this).
const LETTER_FIRST: u8 = 0xC3;
const LETTER_LAST: u8 = 0xC5;
const LETTER_SLOTS: usize = 64 * (LETTER_LAST - LETTER_FIRST + 1) as usize;

/// The rules of `content_lines` and `_ascii_text`, and the content text of safe texts.
#[pyclass(frozen, module = "workers._native")]
pub struct ContentRules {
    /// The regexes with ASCII word boundaries, for texts without letters.
    ascii: Patterns,
    /// The regexes with Unicode word boundaries, for texts with letters.
    unicode: Patterns,
    /// First bytes of lines the related-header regex may match.
    related_first_bytes: [bool; 256],
    /// Last bytes of lines the photo-credit regex may match.
    credit_last_bytes: [bool; 256],
    limits: LineLimits,
    /// The head words (of at most `limits.head_window` characters) as UTF-8, by their first
    /// byte.
    heads_by_first_byte: Vec<Vec<Vec<u8>>>,
    /// Whether "" is a head word (it starts every line).
    empty_head: bool,
    bullet_heads: CharSet,
    terminal_chars: CharSet,
    /// What each ASCII byte becomes (`DROP`: deleted); bytes from 0x80 are not used.
    ascii_bytes: [u8; 128],
    /// The ASCII bytes that do not stay as they are (padded with 0x80; every non-ASCII byte
    /// changes too).
    mapped_ascii: [u8; MAPPED_ASCII],
    /// The safe non-ASCII characters and what they become (`DROP`: deleted), sorted.
    safe_chars: Vec<(char, u8)>,
    /// The admitted letters, by (first UTF-8 byte - `LETTER_FIRST`) * 64 + second byte - 0x80.
    letters: [bool; LETTER_SLOTS],
    /// Characters that NFKC maps to ASCII text without line breaks, and that text, sorted.
    nfkc_ascii: Vec<(char, String)>,
    /// The safe characters that make a text a widened one.
    widened: CharSet,
}

#[pymethods]
impl ContentRules {
    /// Compile the rules; `to_ascii` maps each safe non-ASCII character to "" or one ASCII
    /// character, `tidy_table` (256 bytes) and `tidy_delete` then apply as `bytes.translate`;
    /// `letters` maps each admitted Latin letter to its case fold (letters stay as they are in
    /// the content text);
    /// `nfkc_ascii` maps characters to their NFKC form, ASCII text that
    /// replaces them before the rules apply; `widened` lists the characters of `to_ascii`
    /// that, like the letters and those of `nfkc_ascii`, make a text a widened one (see
    /// `apostrophes_agree`).
    #[new]
    #[pyo3(signature = (
        *, related_header, bullet_line, boilerplate_line, byline, photo_credit_end, dateline,
        agency_inline, boilerplate_heads, bullet_heads, terminal_chars, to_ascii, tidy_table,
        tidy_delete, limits, letters, nfkc_ascii, widened,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        related_header: &Bound<'_, PyAny>,
        bullet_line: &Bound<'_, PyAny>,
        boilerplate_line: &Bound<'_, PyAny>,
        byline: &Bound<'_, PyAny>,
        photo_credit_end: &Bound<'_, PyAny>,
        dateline: &Bound<'_, PyAny>,
        agency_inline: &Bound<'_, PyAny>,
        boilerplate_heads: Vec<String>,
        bullet_heads: &str,
        terminal_chars: &str,
        to_ascii: &Bound<'_, PyDict>,
        tidy_table: &[u8],
        tidy_delete: &[u8],
        limits: LineLimits,
        letters: &Bound<'_, PyDict>,
        nfkc_ascii: &Bound<'_, PyDict>,
        widened: &str,
    ) -> PyResult<Self> {
        if tidy_table.len() != 256 {
            return Err(PyValueError::new_err("tidy_table must have 256 bytes"));
        }
        let tidy = |byte: u8| {
            if tidy_delete.contains(&byte) {
                DROP
            } else {
                tidy_table[usize::from(byte)]
            }
        };
        let mut ascii_bytes = [DROP; 128];
        for byte in 0..=0x7F_u8 {
            ascii_bytes[usize::from(byte)] = tidy(byte);
        }
        let mapped: Vec<u8> = (0..=0x7F_u8).filter(|&byte| tidy(byte) != byte).collect();
        let mut mapped_ascii = [0x80; MAPPED_ASCII];
        if mapped.len() > MAPPED_ASCII {
            return Err(PyValueError::new_err(format!(
                "at most {MAPPED_ASCII} ASCII bytes may change, not {mapped:?}"
            )));
        }
        mapped_ascii[..mapped.len()].copy_from_slice(&mapped);
        let mut safe_chars = Vec::new();
        for (key, value) in to_ascii.iter() {
            let key: String = key.extract()?;
            let value: String = value.extract()?;
            safe_chars.push((safe_char(&key)?, ascii_byte(&value, tidy)?));
        }
        safe_chars.sort_unstable();
        let mut heads_by_first_byte = vec![Vec::new(); 256];
        let mut empty_head = false;
        for head in boilerplate_heads {
            match head.as_bytes().first() {
                _ if head.chars().count() > limits.head_window => {}
                Some(&first) => heads_by_first_byte[usize::from(first)].push(head.into_bytes()),
                None => empty_head = true,
            }
        }
        let mut admitted = [false; LETTER_SLOTS];
        for (key, value) in letters.iter() {
            let (key, value): (String, String) = (key.extract()?, value.extract()?);
            admitted[letter_index(&key, &value)?] = true;
        }
        let mut nfkc = Vec::new();
        for (key, value) in nfkc_ascii.iter() {
            let (key, value): (String, String) = (key.extract()?, value.extract()?);
            if !value
                .bytes()
                .all(|byte| is_plain(u32::from(byte)) && byte != b'\n')
            {
                return Err(PyValueError::new_err(format!(
                    "not ASCII text without line breaks: {value:?}"
                )));
            }
            nfkc.push((safe_char(&key).or_else(|_| space_char(&key))?, value));
        }
        nfkc.sort_unstable();
        let patterns = |boundaries| {
            Patterns::new(
                related_header,
                bullet_line,
                boilerplate_line,
                byline,
                photo_credit_end,
                dateline,
                agency_inline,
                boundaries,
            )
        };
        Ok(Self {
            related_first_bytes: live_edge_bytes(
                &translate(related_header, Boundaries::Ascii)?,
                Edge::First,
            )?,
            credit_last_bytes: live_edge_bytes(
                &translate(photo_credit_end, Boundaries::Ascii)?,
                Edge::Last,
            )?,
            ascii: patterns(Boundaries::Ascii)?,
            unicode: patterns(Boundaries::Unicode)?,
            limits,
            heads_by_first_byte,
            empty_head,
            bullet_heads: CharSet::new(bullet_heads),
            terminal_chars: CharSet::new(terminal_chars),
            ascii_bytes,
            mapped_ascii,
            safe_chars,
            letters: admitted,
            nfkc_ascii: nfkc,
            widened: CharSet::new(widened),
        })
    }

    /// `_ascii_text(content_lines(text))` if `text` is safe (printable ASCII, newlines, tabs
    /// and the characters of `to_ascii`), else None; a str with lone surrogates raises
    /// UnicodeEncodeError, as encoding it to UTF-8 does.
    fn ascii_text<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
    ) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let content = self.ascii_content(text)?;
        Ok(content.map(|content| PyBytes::new(py, &content)))
    }
}

impl ContentRules {
    /// What `ascii_text` returns, as a byte vector (for the fingerprint's one-call path).
    pub(crate) fn ascii_content(&self, text: &Bound<'_, PyString>) -> PyResult<Option<Vec<u8>>> {
        let utf8 = with_code_units!(text, |units| self.safe_utf8(units));
        let content = utf8.and_then(|(utf8, widened)| {
            let bytes = utf8.as_bytes();
            let patterns = if memchr::memchr3(0xC3, 0xC4, 0xC5, bytes).is_some() {
                &self.unicode
            } else {
                &self.ascii
            };
            self.content_text(&utf8, patterns, widened)
        });
        if content.is_none() {
            text.to_str()?; // only to raise for lone surrogates
        }
        Ok(content)
    }

    /// The text (code units of a Python str) as UTF-8 if it is safe: printable ASCII, "\n",
    /// "\t", the safe characters, the letters and the characters of `nfkc_ascii` (replaced by
    /// their ASCII text: NFKC, which the str path applies, does just that to a text of
    /// characters like these, none of which composes with its neighbours); else None. Runs of
    /// plain ASCII are checked and copied `CHUNK` code units at a time.
    /// Also whether the text is a widened one: it has letters, characters of `nfkc_ascii` or
    /// of `widened`.
    fn safe_utf8<T: Copy + Into<u32>>(&self, units: &[T]) -> Option<(String, bool)> {
        let mut widened = false;
        let mut out = Vec::with_capacity(units.len() + units.len() / 4);
        let mut chunks = units.chunks_exact(CHUNK);
        for chunk in chunks.by_ref() {
            if chunk
                .iter()
                .fold(true, |all, &unit| all & is_plain(unit.into()))
            {
                out.extend(chunk.iter().map(|&unit| unit.into() as u8));
            } else {
                self.push_safe(&mut out, chunk, &mut widened)?;
            }
        }
        self.push_safe(&mut out, chunks.remainder(), &mut widened)?;
        Some((String::from_utf8(out).ok()?, widened))
    }

    /// Push the code units to `out` as UTF-8 if all are safe, else None; `widened` is set if
    /// one is a widening character.
    fn push_safe<T: Copy + Into<u32>>(
        &self,
        out: &mut Vec<u8>,
        units: &[T],
        widened: &mut bool,
    ) -> Option<()> {
        for &unit in units {
            let code = unit.into();
            if is_plain(code) {
                out.push(code as u8);
                continue;
            }
            let char = char::from_u32(code)?;
            if self.is_safe_char(char) {
                *widened |= self.widened.contains(char);
                out.extend_from_slice(char.encode_utf8(&mut [0; 4]).as_bytes());
            } else if self.is_letter(char) {
                *widened = true;
                out.extend_from_slice(char.encode_utf8(&mut [0; 4]).as_bytes());
            } else {
                *widened = true;
                let found = self
                    .nfkc_ascii
                    .binary_search_by_key(&char, |(from, _)| *from)
                    .ok()?;
                out.extend_from_slice(self.nfkc_ascii[found].1.as_bytes());
            }
        }
        Some(())
    }

    fn is_letter(&self, char: char) -> bool {
        let mut utf8 = [0; 4];
        match char.encode_utf8(&mut utf8).as_bytes() {
            &[lead @ LETTER_FIRST..=LETTER_LAST, second] => {
                self.letters[usize::from(lead - LETTER_FIRST) * 64 + usize::from(second & 0x3F)]
            }
            _ => false,
        }
    }

    fn is_safe_char(&self, char: char) -> bool {
        self.safe_chars
            .binary_search_by_key(&char, |&(safe, _)| safe)
            .is_ok()
    }

    /// `_ascii_text(content_lines(text))` of a safe text (letters kept as UTF-8), with the
    /// regexes of `patterns` (Unicode word boundaries if the text has letters); None for a
    /// widened text whose content lines have an apostrophe where the fingerprint of this
    /// text (which drops apostrophes) might not be the general path's (`apostrophes_agree`).
    fn content_text(&self, text: &str, patterns: &Patterns, widened: bool) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(text.len() + 2);
        out.push(b'\n');
        // The kept lines while all are headings: content_lines keeps them all then.
        let mut headings: Vec<Cow<'_, str>> = Vec::new();
        let mut has_body = false;
        let mut in_related = false;
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]) {
            let raw = &text[start..end];
            start = end + 1;
            let line = strip(raw);
            if line.is_empty() {
                in_related = false;
                continue;
            }
            let (content, next) = self.kept_line(line, in_related, patterns);
            in_related = next;
            if content.is_empty() {
                continue;
            }
            if !self.is_heading(&content) {
                if widened && !self.apostrophes_agree(&content) {
                    return None;
                }
                self.push_ascii(&mut out, &content);
                has_body = true;
            } else if !has_body {
                headings.push(content);
            }
        }
        if !has_body {
            for line in &headings {
                if widened && !self.apostrophes_agree(line) {
                    return None;
                }
                self.push_ascii(&mut out, line);
            }
        }
        Some(out)
    }

    /// Whether dropping the apostrophes of a content line (as the ASCII text does) leaves
    /// `key_tokens` as the general path finds them on the line: no apostrophe is followed by
    /// a capital, digit or apostrophe (a name or number would start there after it but maybe
    /// not after the character before it), or by a space-like character unless a word
    /// character precedes it (a later name's sentence-start test would look past it), none
    /// stands between a digit and a number's joiner (".", "," or ":": `_KEY_TOKEN` would read
    /// "0'.5" as 0 and "0.5" as one number), and no apostrophe that names exclude (all but
    /// "'" and "’", `_KEY_TOKEN`) ends a name run.
    ///
    /// The first fast path ignores this (its fingerprints are kept as they are); widened texts
    /// went to the general path before, so they take the compiled one only where it agrees.
    fn apostrophes_agree(&self, line: &str) -> bool {
        let mut prev: Option<char> = None;
        let mut chars = line.chars().peekable();
        while let Some(char) = chars.next() {
            if self.is_apostrophe(char) {
                let next = chars.peek().copied();
                let refused = next.is_some_and(|next| {
                    next.is_ascii_uppercase()
                        || next.is_ascii_digit()
                        || self.is_apostrophe(next)
                        || (self.is_space_like(next) && !prev.is_some_and(|p| self.is_word(p)))
                        || (matches!(next, '.' | ',' | ':')
                            && prev.is_some_and(|p| p.is_ascii_digit()))
                });
                let ends_name = !matches!(char, '\'' | '’')
                    && prev.is_some_and(|p| self.is_word(p) || matches!(p, '-' | '\'' | '’'));
                if refused || ends_name {
                    return false;
                }
            }
            prev = Some(char);
        }
        true
    }

    /// An apostrophe: a character the ASCII text drops.
    fn is_apostrophe(&self, char: char) -> bool {
        self.output_byte(char) == Some(DROP)
    }

    /// A character `_starts_sentence` skips: one the ASCII text makes a space.
    fn is_space_like(&self, char: char) -> bool {
        self.output_byte(char) == Some(b' ')
    }

    /// A word character of the general path's regexes (`\w`) in safe text.
    fn is_word(&self, char: char) -> bool {
        char.is_ascii_alphanumeric() || char == '_' || self.is_letter(char)
    }

    /// What a non-letter character becomes in the ASCII text (`DROP`: deleted); None if it
    /// is not safe.
    fn output_byte(&self, char: char) -> Option<u8> {
        if char.is_ascii() {
            return Some(self.ascii_bytes[char as usize]);
        }
        self.safe_chars
            .binary_search_by_key(&char, |&(safe, _)| safe)
            .ok()
            .map(|found| self.safe_chars[found].1)
    }

    /// The line made ASCII (`_ascii_text`'s mapping) and a newline, appended to `out`.
    fn push_ascii(&self, out: &mut Vec<u8>, line: &str) {
        let bytes = line.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if let Some(chunk) = bytes.get(at..at + CHUNK) {
                if self.any_changes(chunk) {
                    at = self.push_mapped(out, line, at, at + CHUNK);
                } else {
                    out.extend_from_slice(chunk);
                    at += CHUNK;
                }
            } else {
                at = self.push_mapped(out, line, at, bytes.len());
            }
        }
        out.push(b'\n');
    }

    /// Whether a byte of `chunk` does not stay as it is in the ASCII text (written to let
    /// the compiler test all bytes at once).
    fn any_changes(&self, chunk: &[u8]) -> bool {
        let [a, b, c, d] = self.mapped_ascii;
        chunk.iter().fold(false, |any, &byte| {
            any | (byte >= 0x80) | (byte == a) | (byte == b) | (byte == c) | (byte == d)
        })
    }

    /// Push the characters of `line` from byte `at` to `end` (or just past it, at the end
    /// of a character) made ASCII; returns where they ended.
    fn push_mapped(&self, out: &mut Vec<u8>, line: &str, mut at: usize, end: usize) -> usize {
        let bytes = line.as_bytes();
        while at < end && at < bytes.len() {
            let (mapped, width) = match bytes[at] {
                byte @ 0..=0x7F => (self.ascii_bytes[usize::from(byte)], 1),
                _ => match line.get(at..).and_then(|rest| rest.chars().next()) {
                    Some(char) if self.is_letter(char) => {
                        out.extend_from_slice(char.encode_utf8(&mut [0; 4]).as_bytes());
                        (DROP, char.len_utf8())
                    }
                    Some(char) => (self.safe_ascii(char), char.len_utf8()),
                    None => (DROP, 1), // not at a character start: cannot happen
                },
            };
            if mapped != DROP {
                out.push(mapped);
            }
            at += width;
        }
        at
    }

    /// What a safe non-ASCII character becomes (`DROP`: deleted, or not safe).
    fn safe_ascii(&self, char: char) -> u8 {
        self.safe_chars
            .binary_search_by_key(&char, |&(safe, _)| safe)
            .map_or(DROP, |found| self.safe_chars[found].1)
    }

    /// `_kept_line`: the stripped, non-empty `line` as kept ("" if dropped), and whether the
    /// next line is still in a block of related links.
    ///
    /// (`_kept_line` tries the related header only on lines starting with "related": on safe
    /// text the header regex matches no other line.)
    fn kept_line<'a>(
        &self,
        line: &'a str,
        in_related: bool,
        patterns: &Patterns,
    ) -> (Cow<'a, str>, bool) {
        let first = line.as_bytes().first().copied().unwrap_or(b' ');
        if self.related_first_bytes[usize::from(first)] && patterns.related_header.is_match(line) {
            return (Cow::Borrowed(""), true);
        }
        if in_related && (patterns.bullet_start.is_match(line) || !self.ends_terminal(line)) {
            return (Cow::Borrowed(""), true);
        }
        if self.is_boilerplate(line, patterns) {
            return (Cow::Borrowed(""), false);
        }
        let rest = &line[self.dateline_end(line, patterns)..];
        if memchr::memchr(b'(', rest.as_bytes()).is_some() {
            return (patterns.agency_inline.replace_all(rest, ""), false);
        }
        (Cow::Borrowed(rest), false)
    }

    fn ends_terminal(&self, line: &str) -> bool {
        line.chars()
            .next_back()
            .is_some_and(|last| self.terminal_chars.contains(last))
    }

    /// `_is_boilerplate` of a stripped, non-empty line.
    ///
    /// (`_is_photo_credit` tries the credit regex only if a credit word occurs in the tail:
    /// on safe text the regex matches no other tail.)
    fn is_boilerplate(&self, line: &str, patterns: &Patterns) -> bool {
        if self.starts_with_head(line)
            && (self.is_byline(line, patterns) || patterns.boilerplate_line.is_match(line))
        {
            return true;
        }
        let last = line.as_bytes().last().copied().unwrap_or(b' ');
        if self.credit_last_bytes[usize::from(last)]
            && patterns
                .photo_credit_end
                .is_match(&line[tail_start(line, self.limits.credit_tail)..])
        {
            return true;
        }
        let first = line.chars().next().unwrap_or(' ');
        (self.bullet_heads.contains(first) || first.is_ascii_digit())
            && patterns.bullet_line.is_match(line)
    }

    /// `line[:14].lower().startswith(_BOILERPLATE_HEADS)` (lower-casing safe text changes
    /// only ASCII bytes, so bytes compare as characters do).
    fn starts_with_head(&self, line: &str) -> bool {
        let bytes = line.as_bytes();
        let Some(&first) = bytes.first() else {
            return self.empty_head;
        };
        self.empty_head
            || self.heads_by_first_byte[usize::from(first.to_ascii_lowercase())]
                .iter()
                .any(|head| {
                    head.len() <= bytes.len()
                        && head
                            .iter()
                            .zip(bytes)
                            .all(|(&h, byte)| byte.to_ascii_lowercase() == h)
                })
    }

    fn is_byline(&self, line: &str, patterns: &Patterns) -> bool {
        patterns.byline.is_match(line)
            && words_at_most(line, self.limits.byline_words)
            && !line.ends_with('.')
    }

    /// `_dateline_end`: the length in bytes of a leading dateline, 0 if none.
    fn dateline_end(&self, line: &str, patterns: &Patterns) -> usize {
        let LineLimits {
            paren_window,
            upper_head,
            ..
        } = self.limits;
        if !find_within(line, b'(', paren_window) && !is_upper(line.chars().take(upper_head)) {
            return 0;
        }
        patterns.dateline.find(line).map_or(0, |found| found.end())
    }

    /// `is_heading`: a short line without closing punctuation.
    fn is_heading(&self, line: &str) -> bool {
        let line = line.trim_end_matches(|c: char| is_py_space(u32::from(c)));
        !self.ends_terminal(line) && words_at_most(line, self.limits.heading_words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbose_patterns_keep_spaces_in_classes_only() {
        let pattern = "^ [A-Z .]+ \\s* # a comment\n (?:x|y) ";
        assert_eq!(
            rust_pattern(pattern, RE_VERBOSE | RE_UNICODE, Boundaries::Ascii).unwrap(),
            "^[A-Z .]+\\s*(?:x|y)"
        );
    }

    #[test]
    fn word_boundaries_become_ascii_and_case_folds() {
        assert_eq!(
            rust_pattern("sign\\s+up\\b", RE_IGNORECASE, Boundaries::Ascii).unwrap(),
            "(?i)sign\\s+up(?-u:\\b)"
        );
    }

    #[test]
    fn unicode_boundaries_keep_python_word_boundaries() {
        let pattern = rust_pattern("sign\\s+up\\b", RE_IGNORECASE, Boundaries::Unicode).unwrap();
        assert_eq!(pattern, "(?i)sign\\s+up\\b");
        let regex = compile(&pattern, Anchor::Start).unwrap();
        assert!(regex.is_match("Sign up now") && regex.is_match("sign up’"));
        assert!(!regex.is_match("sign upé"));
    }

    #[test]
    fn admitted_letters_fold_to_the_letter_0x20_above_or_themselves() {
        assert_eq!(letter_index("É", "é").unwrap(), 0x09);
        assert_eq!(letter_index("é", "é").unwrap(), 0x29);
        assert_eq!(letter_index("Ł", "ł").unwrap(), 2 * 64 + 0x01);
        assert!(letter_index("ı", "ı").is_err()); // upper-case "I"
        assert!(letter_index("Ÿ", "ÿ").is_err()); // another first byte
        assert!(letter_index("ſ", "s").is_err());
        assert!(letter_index("ß", "ss").is_err());
        assert!(letter_index("×", "×").is_err());
        assert!(letter_index("É", "É").is_err());
        assert!(letter_index("e", "e").is_err());
    }

    #[test]
    fn constructs_that_differ_are_refused() {
        assert!(rust_pattern("(?<=a)b", 0, Boundaries::Ascii).is_err());
        assert!(rust_pattern("[a--b]", 0, Boundaries::Ascii).is_err());
        assert!(rust_pattern("[[:alpha:]]", 0, Boundaries::Ascii).is_err());
        assert!(rust_pattern("a", 8, Boundaries::Ascii).is_err());
        assert!(rust_pattern("[]a]", 0, Boundaries::Ascii).is_ok());
    }

    #[test]
    fn edge_bytes_rule_out_only_impossible_matches() {
        let header = live_edge_bytes("(?i)^\\s*(?:related|see\\s+also)\\s*:", Edge::First).unwrap();
        assert!(
            header[usize::from(b'r')] && header[usize::from(b'S')] && header[usize::from(b' ')]
        );
        assert!(!header[usize::from(b'x')] && !header[usize::from(b':')]);
        let credit =
            live_edge_bytes("(?i)(?-u:\\b)getty\\s+images\\s*\\)?\\s*$", Edge::Last).unwrap();
        assert!(
            credit[usize::from(b's')] && credit[usize::from(b'S')] && credit[usize::from(b')')]
        );
        assert!(!credit[usize::from(b'.')] && !credit[usize::from(b'y')]);
        let anywhere = live_edge_bytes("getty", Edge::Last).unwrap();
        assert!(anywhere[usize::from(b'.')] && anywhere[usize::from(b'y')]);
    }

    #[test]
    fn tail_and_word_counts_follow_python() {
        assert_eq!(tail_start("ab“cd", 2), "ab“".len());
        assert_eq!(tail_start("ab", 5), 0);
        assert!(words_at_most(" a \t b ", 2) && !words_at_most("a b c", 2));
        assert!(is_upper("AB1".chars()) && !is_upper("A b".chars()) && !is_upper("“1".chars()));
    }
}
