//! Sentences with curly quotes and dashes read as ASCII by the roles' scans.
//!
//! The roles of events are found on ASCII text (byte offsets are Python's indices, the
//! patterns' `\w`, `\s` and `\b` are ASCII). News copy is ASCII but for a few punctuation
//! marks (’ “ ” — • ...): Python's `re` and `str` see none of them as a word, space, digit or
//! capital character and their lower case is themselves, so each can stand in the text as one
//! ASCII control byte that has the same properties ('\x01' for '’' ...). The patterns, word
//! lists and possessives that name one of them name its stand-in as well, and what is read
//! out of the text is given back with the original characters. A text that holds one of the
//! stand-in bytes itself (or any other character outside ASCII) is left to Python.

use std::borrow::Cow;

/// The characters that stand in a text as the bytes 1, 2, ...: each is neither `\w`, `\s`
/// nor `\d` for `re`, nor alphanumeric, upper case or changed by `lower` for `str` (the tests
/// check it with Python).
pub(crate) const INERT: [char; 8] = [
    '\u{2019}', '\u{2018}', '\u{201C}', '\u{201D}', '\u{2014}', '\u{2013}', '\u{2022}', '\u{2026}',
];

/// The byte that stands for `c` in a stood-in text, if `c` is inert.
pub(crate) fn stand_in_of(c: char) -> Option<u8> {
    // INERT has 8 entries: the position fits a byte, and so does position + 1.
    INERT
        .iter()
        .position(|&inert| inert == c)
        .and_then(|at| u8::try_from(at + 1).ok())
}

/// Whether `byte` is the stand-in of an inert character.
pub(crate) fn is_stand_in(byte: u8) -> bool {
    (1..=8).contains(&byte)
}

/// `text` with its inert characters replaced by their stand-ins: ASCII whose byte offsets are
/// the original's character offsets. None for a text holding a stand-in byte itself or a
/// character outside ASCII that is not inert.
pub(crate) fn stood_in(text: &str) -> Option<Cow<'_, str>> {
    if is_plain_ascii(text) {
        return Some(Cow::Borrowed(text));
    }
    if text.is_ascii() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            if is_stand_in(c as u8) {
                return None;
            }
            out.push(c);
        } else {
            out.push(char::from(stand_in_of(c)?));
        }
    }
    Some(Cow::Owned(out))
}

/// Whether an ASCII text can be read as it is (it holds no stand-in byte).
pub(crate) fn is_plain_ascii(text: &str) -> bool {
    // One pass over blocks of 16 bytes, each folded without a branch per byte (which the
    // compiler vectorises): a byte is refused if it is not ASCII or is a stand-in (1 to 8).
    let refused = |byte: u8| u8::from(!byte.is_ascii() | is_stand_in(byte));
    text.as_bytes()
        .chunks(16)
        .all(|block| block.iter().fold(0, |any, &byte| any | refused(byte)) == 0)
}

/// A part of a stood-in text with its inert characters back.
pub(crate) fn original(part: &str) -> Cow<'_, str> {
    if !part.bytes().any(is_stand_in) {
        return Cow::Borrowed(part);
    }
    Cow::Owned(
        part.chars()
            .map(|c| match u8::try_from(u32::from(c)) {
                Ok(byte) if is_stand_in(byte) => INERT[usize::from(byte - 1)],
                _ => c,
            })
            .collect(),
    )
}

/// A word of a list as a stood-in text would hold it, if that differs from the word.
pub(crate) fn stood_in_word(word: &str) -> Option<String> {
    word.chars().any(|c| stand_in_of(c).is_some()).then(|| {
        word.chars()
            .map(|c| stand_in_of(c).map_or(c, char::from))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stood_in_text_comes_back_whole() {
        let text = "Russia’s “defensive” strikes — again…";
        let stood = stood_in(text).unwrap();
        assert!(stood.is_ascii());
        assert_eq!(stood.len(), text.chars().count());
        assert_eq!(original(&stood), text);
    }

    #[test]
    fn stand_in_bytes_and_other_characters_are_refused() {
        assert!(stood_in("a\u{1}b").is_none());
        assert!(stood_in("Kyïv").is_none());
        assert!(stood_in("plain").is_some());
    }

    #[test]
    fn plain_ascii_is_ascii_without_a_stand_in_byte() {
        for byte in 0..=255u8 {
            for at in [0, 15, 16, 40] {
                let mut text = vec![b'a'; 41];
                text[at] = byte;
                let expected = byte.is_ascii() && !is_stand_in(byte);
                match std::str::from_utf8(&text) {
                    Ok(text) => assert_eq!(is_plain_ascii(text), expected, "{byte} at {at}"),
                    Err(_) => assert!(!expected),
                }
            }
        }
        assert!(is_plain_ascii(""));
        assert!(!is_plain_ascii("Kyïv"));
    }
}
