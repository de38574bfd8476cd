//! A look-around pattern relaxed into one the `regex` crate runs: its look-arounds dropped.
//!
//! A look-around only adds a condition at a position, so every match of the pattern is also a
//! match of its relaxed form, with the same start. Where the relaxed form (a DFA, cheap) cannot
//! match, the backtracking `fancy-regex` VM (costly) need not be tried.

use fancy_regex::{Assertion, Expr};

/// The relaxed form of `source` in the `regex` crate's syntax, or None when the pattern has
/// something else than look-arounds that the `regex` crate cannot run (back-references,
/// atomic groups, conditionals ...).
pub fn relaxed_source(source: &str) -> Option<String> {
    let tree = Expr::parse_tree(source).ok()?;
    let mut out = String::with_capacity(source.len());
    write_relaxed(&tree.expr, &mut out, 0).then_some(out)
}

/// `Expr::to_str` with look-arounds as empty groups (and no panic: false for what it cannot
/// write). `precedence`: 0 top, 1 inside an alternation, 2 inside a concatenation, 3 repeated.
fn write_relaxed(expr: &Expr, out: &mut String, precedence: u8) -> bool {
    match expr {
        Expr::Empty => true,
        Expr::Any { newline } => {
            out.push_str(if *newline { "(?s:.)" } else { "." });
            true
        }
        Expr::Literal { val, casei: false } => {
            out.push_str("(?:");
            regex_syntax::escape_into(val, out);
            out.push(')');
            true
        }
        Expr::Assertion(assertion) => match assertion_source(assertion) {
            Some(text) => {
                out.push_str(text);
                true
            }
            None => false,
        },
        Expr::Concat(children) => wrapped(out, precedence > 1, |out| {
            children.iter().all(|child| write_relaxed(child, out, 2))
        }),
        Expr::Alt(children) => wrapped(out, precedence > 0, |out| {
            children.iter().enumerate().all(|(i, child)| {
                if i > 0 {
                    out.push('|');
                }
                write_relaxed(child, out, 1)
            })
        }),
        Expr::Group(child) => wrapped(out, true, |out| write_relaxed(child, out, 0)),
        Expr::LookAround(_, _) => {
            out.push_str("(?:)");
            true
        }
        Expr::Repeat {
            child,
            lo,
            hi,
            greedy,
        } => {
            if !wrapped(out, true, |out| write_relaxed(child, out, 0)) {
                return false;
            }
            match (*lo, *hi) {
                (0, 1) => out.push('?'),
                (0, usize::MAX) => out.push('*'),
                (1, usize::MAX) => out.push('+'),
                (lo, usize::MAX) => out.push_str(&format!("{{{lo},}}")),
                (lo, hi) => out.push_str(&format!("{{{lo},{hi}}}")),
            }
            if !greedy {
                out.push('?');
            }
            true
        }
        Expr::Delegate {
            inner,
            casei: false,
            ..
        } => {
            out.push_str("(?:");
            out.push_str(inner);
            out.push(')');
            true
        }
        _ => false,
    }
}

fn wrapped(out: &mut String, wrap: bool, write: impl FnOnce(&mut String) -> bool) -> bool {
    if wrap {
        out.push_str("(?:");
    }
    let written = write(out);
    if wrap {
        out.push(')');
    }
    written
}

fn assertion_source(assertion: &Assertion) -> Option<&'static str> {
    match assertion {
        Assertion::StartText => Some(r"\A"),
        Assertion::EndText => Some(r"\z"),
        Assertion::WordBoundary => Some(r"\b"),
        Assertion::NotWordBoundary => Some(r"\B"),
        Assertion::LeftWordBoundary => Some(r"\b{start}"),
        Assertion::RightWordBoundary => Some(r"\b{end}"),
        Assertion::StartLine { .. } | Assertion::EndLine { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::relaxed_source;

    #[test]
    fn look_arounds_become_empty_groups() {
        let relaxed = relaxed_source(r"riot(?:s|ed)?\b(?!\s+police)").unwrap();
        let regex = regex::Regex::new(&relaxed).unwrap();
        assert!(regex.is_match("riots police"));
        assert!(regex.is_match("rioted"));
        assert!(!regex.is_match("rio"));
    }

    #[test]
    fn back_references_have_no_relaxed_form() {
        assert!(relaxed_source(r"(a)\1").is_none());
    }
}
