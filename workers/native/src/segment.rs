//! `workers.pipeline.segment.split_sentences` for texts of "plain" characters.
//!
//! The word sets (abbreviations, sentence openers) and the character sets (terminal marks,
//! bullets, closers, openers, dashes) are passed from Python, so `segment.py` stays their one
//! definition. Plain characters are printable ASCII, "\n", "\t", the Latin-1 and Latin
//! Extended-A letters (U+0130 excepted: it lower-cases to two characters) and the
//! punctuation the constructor is given. On them Python's `str` predicates are simple: only
//! " ", "\t" and "\n" are spaces, only 0-9 are digits, letters are cased and alphanumeric.
//! Any other character makes `split` return None, and Python's general path runs.

use std::collections::HashSet;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::pystr::with_code_units;
use pyo3::types::PyString;

type Span = (usize, usize);

/// Character classes (bits).
const PLAIN: u8 = 1;
const TERMINAL: u8 = 2;
const INLINE_MARK: u8 = 4;

/// A plain text and the positions of its terminal marks and inline bullet marks.
struct Scan {
    text: Vec<char>,
    terminals: Vec<usize>,
    marks: Vec<usize>,
    /// Each non-ASCII character: its position and code point (a slice's widest character).
    wide: Vec<(usize, u32)>,
}

/// The sentence spans of a plain text, and its non-ASCII characters (position, code point).
pub(crate) struct Split {
    pub(crate) spans: Vec<Span>,
    pub(crate) wide: Vec<(usize, u32)>,
}

/// The characters and words of the segmentation rules (see `segment.py`).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Rules {
    terminal_marks: String,
    closers: String,
    line_end_punct: String,
    leading_bullets: String,
    inline_marks: String,
    bullet_start: String,
    openers: String,
    dashes: String,
    dateline_head: String,
    next_word_stops: String,
    plain_punctuation: String,
    never_final: Vec<String>,
    before_number: Vec<String>,
    ambiguous: Vec<String>,
    never_after_dotted: Vec<String>,
    sentence_openers: Vec<String>,
    dateline_max_line: usize,
    dateline_max_middle: usize,
    dateline_max_paren: usize,
    wrap_window: usize,
    dotted_abbreviation_max: usize,
}

#[pyclass(frozen, module = "workers._native")]
pub struct SegmentRules {
    terminal_marks: Vec<char>,
    closers: Vec<char>,
    line_end_punct: Vec<char>,
    leading_bullets: Vec<char>,
    inline_marks: Vec<char>,
    bullet_start: Vec<char>,
    openers: Vec<char>,
    dashes: Vec<char>,
    dateline_head: Vec<char>,
    next_word_stops: Vec<char>,
    plain_punctuation: Vec<char>,
    never_final: HashSet<String>,
    before_number: HashSet<String>,
    ambiguous: HashSet<String>,
    never_after_dotted: HashSet<String>,
    abbreviations: HashSet<String>,
    sentence_openers: HashSet<String>,
    dateline_max_line: usize,
    dateline_max_middle: usize,
    dateline_max_paren: usize,
    wrap_window: usize,
    dotted_abbreviation_max: usize,
    /// `class_of` each ASCII character.
    ascii_classes: [u8; 128],
}

fn is_latin_letter(c: char) -> bool {
    matches!(c, '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{17f}') && c != '\u{130}'
}

/// Python's `str.isspace` on plain text.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n')
}

/// Python's `str.islower` of one plain character.
fn is_lower(c: char) -> bool {
    c.is_ascii_lowercase() || (is_latin_letter(c) && c.is_lowercase())
}

/// Python's `str.isupper` of one plain character.
fn is_upper(c: char) -> bool {
    c.is_ascii_uppercase() || (is_latin_letter(c) && c.is_uppercase())
}

/// Python's `str.isalnum` of one plain character.
fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_latin_letter(c)
}

/// Python's `str.lower` of plain text, for looking words up in ASCII word sets: a word with
/// a non-ASCII letter is in none of them, lower-cased or not.
fn lower(chars: &[char]) -> Option<String> {
    chars
        .iter()
        .map(|c| c.is_ascii().then(|| c.to_ascii_lowercase()))
        .collect()
}

fn words(list: Vec<String>) -> HashSet<String> {
    list.into_iter().collect()
}

impl SegmentRules {
    /// The text as plain characters, with the positions of its terminal marks and inline
    /// bullet marks; None if a character is not plain.
    fn scan<T: Copy + Into<u32>>(&self, units: &[T]) -> Option<Scan> {
        let mut scan = Scan {
            text: Vec::with_capacity(units.len()),
            terminals: Vec::new(),
            marks: Vec::new(),
            wide: Vec::new(),
        };
        for (at, &unit) in units.iter().enumerate() {
            let code: u32 = unit.into();
            let (c, class) = match self.ascii_classes.get(code as usize) {
                Some(&class) if class & PLAIN != 0 => (char::from(code as u8), class),
                Some(_) => return None,
                None => {
                    let c = char::from_u32(code)?;
                    scan.wide.push((at, code));
                    (c, self.class_of(c))
                }
            };
            if class & PLAIN == 0 {
                return None;
            }
            if class & TERMINAL != 0 {
                scan.terminals.push(at);
            }
            if class & INLINE_MARK != 0 {
                scan.marks.push(at);
            }
            scan.text.push(c);
        }
        Some(scan)
    }

    fn class_of(&self, c: char) -> u8 {
        let plain = matches!(c, ' '..='~' | '\n' | '\t')
            || is_latin_letter(c)
            || self.plain_punctuation.contains(&c);
        let mut class = if plain { PLAIN } else { 0 };
        if self.terminal_marks.contains(&c) {
            class |= TERMINAL;
        }
        if self.inline_marks.contains(&c) {
            class |= INLINE_MARK;
        }
        class
    }

    fn split_text(&self, scan: &Scan) -> Vec<Span> {
        let text = &scan.text[..];
        let mut spans = Vec::new();
        let terminals = &scan.terminals[..];
        let bullets: Vec<usize> = scan
            .marks
            .iter()
            .copied()
            .filter(|&at| {
                at >= 1 && at + 1 < text.len() && is_space(text[at - 1]) && is_space(text[at + 1])
            })
            .collect();
        let mut block_start: Option<usize> = None;
        let mut end = 0;
        let mut position = 0;
        for line in text.split(|&c| c == '\n') {
            let length = line.len();
            if let Some(first) = line.iter().position(|&c| !is_space(c)) {
                let last = line.iter().rposition(|&c| !is_space(c)).unwrap_or(first);
                let start = position + first;
                end = position + last + 1;
                let block = *block_start.get_or_insert(start);
                if !self.line_end_punct.contains(&text[end - 1])
                    && self.joins_next(text, start, end)
                {
                    position += length + 1;
                    continue;
                }
                let first_mark = terminals.partition_point(|&at| at < block);
                if self.bullet_start.contains(&text[block])
                    || any_between(&bullets, block + 1, end - 1)
                {
                    self.split_block(text, block, end, terminals, &bullets, &mut spans);
                } else if first_mark == terminals.len() || terminals[first_mark] >= end - 1 {
                    spans.push((block, end));
                } else {
                    self.split_piece(text, block, end, terminals, &mut spans);
                }
                block_start = None;
            }
            position += length + 1;
        }
        if let Some(block) = block_start {
            self.split_block(text, block, end, terminals, &bullets, &mut spans);
        }
        spans
    }

    fn joins_next(&self, text: &[char], start: usize, end: usize) -> bool {
        self.is_dateline(text, start, end) || self.is_wrapped(text, end)
    }

    /// `_is_dateline`: `_DATELINE.match(text, start, end)` decided without a regex engine.
    fn is_dateline(&self, text: &[char], start: usize, end: usize) -> bool {
        if end - start > self.dateline_max_line || !self.dashes.contains(&text[end - 1]) {
            return false;
        }
        let line = &text[start..end];
        if !line[0].is_ascii_uppercase() {
            return false;
        }
        // `[A-Za-z .'’-]*` then ",": the run cannot hold a comma, so the comma ends the run.
        let run = line[1..]
            .iter()
            .position(|&c| !(c.is_ascii_alphabetic() || self.dateline_head.contains(&c)))
            .map_or(line.len(), |at| at + 1);
        if line.get(run) != Some(&',') {
            return false;
        }
        let rest = &line[run + 1..];
        // `[^!?]{0,60}(?:\([^)]{1,40}\))?\s*[-–—]+$`
        (0..=rest.len().min(self.dateline_max_middle))
            .take_while(|&k| k == 0 || !matches!(rest[k - 1], '!' | '?'))
            .any(|k| self.is_dateline_tail(&rest[k..]))
    }

    /// `(?:\([^)]{1,40}\))?\s*[-–—]+$` matches all of `tail`.
    fn is_dateline_tail(&self, tail: &[char]) -> bool {
        if self.is_dash_end(tail) {
            return true;
        }
        if tail.first() != Some(&'(') {
            return false;
        }
        match tail[1..].iter().position(|&c| c == ')') {
            Some(inner) if (1..=self.dateline_max_paren).contains(&inner) => {
                self.is_dash_end(&tail[inner + 2..])
            }
            _ => false,
        }
    }

    /// `\s*[-–—]+$` matches all of `tail`.
    fn is_dash_end(&self, tail: &[char]) -> bool {
        let spaces = tail.iter().take_while(|&&c| is_space(c)).count();
        let dashes = &tail[spaces..];
        !dashes.is_empty() && dashes.iter().all(|c| self.dashes.contains(c))
    }

    /// Called only for lines that do not end in `line_end_punct`.
    fn is_wrapped(&self, text: &[char], end: usize) -> bool {
        let window = &text[end..text.len().min(end + self.wrap_window)];
        window
            .iter()
            .find(|&&c| !is_space(c))
            .is_some_and(|&c| is_lower(c))
    }

    fn split_block(
        &self,
        text: &[char],
        start: usize,
        end: usize,
        terminals: &[usize],
        bullets: &[usize],
        spans: &mut Vec<Span>,
    ) {
        let from = bullets.partition_point(|&at| at < start + 1);
        let to = bullets.partition_point(|&at| at < end - 1);
        let cuts = if from < to {
            &bullets[from..to]
        } else {
            &[][..]
        };
        if cuts.is_empty() && !self.bullet_start.contains(&text[start]) {
            self.split_piece(text, start, end, terminals, spans);
            return;
        }
        let mut piece_start = start;
        let mut pieces = Vec::with_capacity(cuts.len() + 1);
        for &cut in cuts {
            pieces.push((piece_start, cut));
            piece_start = cut + 1;
        }
        pieces.push((piece_start, end));
        for (piece_start, piece_end) in pieces {
            let mut from = piece_start;
            if piece_start < piece_end && self.leading_bullets.contains(&text[piece_start]) {
                let spaces = text[piece_start + 1..piece_end]
                    .iter()
                    .take_while(|&&c| is_space(c))
                    .count();
                if spaces > 0 {
                    from = piece_start + 1 + spaces;
                }
            }
            if let Some((s, e)) = strip_span(text, from, piece_end) {
                self.split_piece(text, s, e, terminals, spans);
            }
        }
    }

    fn split_piece(
        &self,
        text: &[char],
        start: usize,
        end: usize,
        terminals: &[usize],
        spans: &mut Vec<Span>,
    ) {
        let first = terminals.partition_point(|&at| at < start);
        if first == terminals.len() || terminals[first] >= end - 1 {
            spans.push((start, end));
            return;
        }
        let last = first + terminals[first..].partition_point(|&at| at < end - 1);
        let mut sentence_start = start;
        for &position in &terminals[first..last] {
            if position < sentence_start || is_alnum(text[position + 1]) {
                continue;
            }
            if let Some((group_end, match_end)) = self.terminal_match(text, position, end) {
                if self.is_boundary(text, position, group_end, match_end, end) {
                    spans.push((sentence_start, group_end));
                    sentence_start = match_end;
                }
            }
        }
        if sentence_start < end {
            spans.push((sentence_start, end));
        }
    }

    /// `_TERMINAL.match(text, position, end)`: (end of group 1, end of the match).
    fn terminal_match(&self, text: &[char], position: usize, end: usize) -> Option<(usize, usize)> {
        let mut at = position;
        while at < end && self.terminal_marks.contains(&text[at]) {
            at += 1;
        }
        while at < end && self.closers.contains(&text[at]) {
            at += 1;
        }
        let group_end = at;
        while at < end && is_space(text[at]) {
            at += 1;
        }
        (at > group_end).then_some((group_end, at))
    }

    fn is_boundary(
        &self,
        text: &[char],
        before: usize,
        group_end: usize,
        match_end: usize,
        end: usize,
    ) -> bool {
        let Some(&following) = text.get(match_end) else {
            return true; // not reached: a piece never ends in whitespace
        };
        if is_lower(following) {
            return false;
        }
        let next_word = self.next_word(text, match_end, end);
        let opens_lower =
            self.openers.contains(&following) && next_word.first().is_some_and(|&c| is_lower(c));
        if group_end - before != 1 || text[before] != '.' {
            return !opens_lower;
        }
        let word_start = text[..before]
            .iter()
            .rposition(|&c| c == ' ' || c == '\n')
            .map_or(0, |at| at + 1);
        let mut word = &text[word_start..before];
        while let Some((first, rest)) = word.split_first() {
            if !self.openers.contains(first) {
                break;
            }
            word = rest;
        }
        let lowered = lower(word);
        let known = lowered
            .as_ref()
            .is_some_and(|w| self.abbreviations.contains(w));
        if word.len() > 1 && !word.contains(&'.') && !known {
            return !opens_lower;
        }
        !opens_lower && !self.is_abbreviation(word, lowered.as_deref(), next_word)
    }

    /// `_NEXT_WORD.match(text, start, end).group(1)`.
    fn next_word<'a>(&self, text: &'a [char], start: usize, end: usize) -> &'a [char] {
        let mut at = start;
        while at < end && self.openers.contains(&text[at]) {
            at += 1;
        }
        let from = at;
        while at < end && !is_space(text[at]) && !self.next_word_stops.contains(&text[at]) {
            at += 1;
        }
        &text[from..at]
    }

    fn is_abbreviation(&self, word: &[char], lowered: Option<&str>, next_word: &[char]) -> bool {
        let in_set = |set: &HashSet<String>| lowered.is_some_and(|w| set.contains(w));
        if in_set(&self.never_final) || in_set(&self.never_after_dotted) {
            return true;
        }
        if in_set(&self.before_number) {
            return next_word.first().is_some_and(char::is_ascii_digit);
        }
        if word.len() == 1 && is_upper(word[0]) {
            return true;
        }
        if in_set(&self.ambiguous)
            || (word.contains(&'.') && word.len() <= self.dotted_abbreviation_max)
        {
            return !lower(next_word).is_some_and(|w| self.sentence_openers.contains(&w));
        }
        false
    }
}

fn any_between(positions: &[usize], start: usize, end: usize) -> bool {
    let first = positions.partition_point(|&at| at < start);
    first < positions.len() && positions[first] < end
}

fn strip_span(text: &[char], start: usize, end: usize) -> Option<Span> {
    let piece = &text[start..end];
    let first = piece.iter().position(|&c| !is_space(c))?;
    let last = piece.iter().rposition(|&c| !is_space(c)).unwrap_or(first);
    Some((start + first, start + last + 1))
}

#[pymethods]
impl SegmentRules {
    #[new]
    #[pyo3(signature = (**rules))]
    fn new(rules: Option<&Bound<'_, pyo3::types::PyDict>>) -> PyResult<Self> {
        let rules: Rules = rules
            .ok_or_else(|| PyValueError::new_err("segment rules missing"))?
            .extract()?;
        let chars = |s: String| s.chars().collect::<Vec<char>>();
        let all_words = [
            &rules.never_final,
            &rules.before_number,
            &rules.ambiguous,
            &rules.never_after_dotted,
            &rules.sentence_openers,
        ];
        if let Some(word) = all_words
            .iter()
            .flat_map(|list| list.iter())
            .find(|w| !w.is_ascii())
        {
            return Err(PyValueError::new_err(format!("{word:?} is not ASCII")));
        }
        let never_final = words(rules.never_final);
        let before_number = words(rules.before_number);
        let ambiguous = words(rules.ambiguous);
        let never_after_dotted = words(rules.never_after_dotted);
        let abbreviations = never_final
            .iter()
            .chain(&before_number)
            .chain(&ambiguous)
            .chain(&never_after_dotted)
            .cloned()
            .collect();
        let plain_punctuation = chars(rules.plain_punctuation);
        if let Some(c) = plain_punctuation.iter().find(|c| {
            c.is_alphanumeric() || c.is_whitespace() || c.is_lowercase() || c.is_uppercase()
        }) {
            return Err(PyValueError::new_err(format!("{c:?} is not punctuation")));
        }
        let mut rules = Self {
            terminal_marks: chars(rules.terminal_marks),
            closers: chars(rules.closers),
            line_end_punct: chars(rules.line_end_punct),
            leading_bullets: chars(rules.leading_bullets),
            inline_marks: chars(rules.inline_marks),
            bullet_start: chars(rules.bullet_start),
            openers: chars(rules.openers),
            dashes: chars(rules.dashes),
            dateline_head: chars(rules.dateline_head),
            next_word_stops: chars(rules.next_word_stops),
            plain_punctuation,
            never_final,
            before_number,
            ambiguous,
            never_after_dotted,
            abbreviations,
            sentence_openers: words(rules.sentence_openers),
            dateline_max_line: rules.dateline_max_line,
            dateline_max_middle: rules.dateline_max_middle,
            dateline_max_paren: rules.dateline_max_paren,
            wrap_window: rules.wrap_window,
            dotted_abbreviation_max: rules.dotted_abbreviation_max,
            ascii_classes: [0; 128],
        };
        for code in 0..128u8 {
            rules.ascii_classes[usize::from(code)] = rules.class_of(char::from(code));
        }
        Ok(rules)
    }

    /// `split_sentences(text)`, or None when `text` holds a character that is not plain.
    fn split(&self, text: Bound<'_, PyString>) -> PyResult<Option<Vec<Span>>> {
        self.spans(&text)
    }
}

impl SegmentRules {
    /// The spans of `split`, as Rust values.
    pub(crate) fn spans(&self, text: &Bound<'_, PyString>) -> PyResult<Option<Vec<Span>>> {
        Ok(self.split_scanned(text)?.map(|split| split.spans))
    }

    /// The spans of `split` with the text's non-ASCII characters.
    pub(crate) fn split_scanned(&self, text: &Bound<'_, PyString>) -> PyResult<Option<Split>> {
        let scan = with_code_units!(*text, |units| self.scan(units));
        Ok(scan.map(|scan| Split {
            spans: self.split_text(&scan),
            wide: scan.wide,
        }))
    }
}
