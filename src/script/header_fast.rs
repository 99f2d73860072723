//! A fast path for the header reader (`header.rs`) on the files Alembic's own
//! templates produce: one pass over the bytes that decides only plain cases and
//! gives up (`None`) on anything else, so the full tokenizer and statement
//! reader keep every rule.
//!
//! It accepts a file when:
//! - the module docstring, if any, is a plain `"""…"""`/`'…'` literal on its own
//!   at the start of the first statement, with no backslash;
//! - every header name occurs only as the first word of a column-0 line that is
//!   a whole statement `name[: annotation] = value [# comment]`, where value is
//!   `None`, a plain string, or a tuple/list of plain strings (a parenthesised
//!   single string without a comma is left to the full reader);
//! - everywhere else, outside strings and comments, no header name, `__doc__`,
//!   `globals`/`exec`/`eval`/`vars`/`locals`, single `*`, non-ASCII name,
//!   prefixed string (`r''`, `f''`, `b''` …), number with letters, stray
//!   character or unbalanced bracket occurs.
//!
//! Under those conditions the full reader acts on no other statement (it only
//! looks at statements naming one of those words or holding a `*`), raises no
//! tokenizer error, and every header assignment runs at module level, so its
//! answer is exactly the values read here.
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

use super::header::{find3, Header, HeaderValue};

/// Deeper nesting is left to the full reader (which has its own limit).
const MAX_DEPTH: usize = 64;

/// What one byte of code (outside strings and comments) is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Whitespace and operator characters with no effect here.
    Skip,
    Newline,
    Hash,
    Quote,
    Backslash,
    Open,
    Close,
    Star,
    Letter,
    Digit,
    /// Anything the full reader might reject or read differently.
    Bail,
}

// Built at compile time, so its indexing cannot panic at run time.
#[allow(clippy::indexing_slicing)]
static CLASS: [Class; 256] = {
    let mut t = [Class::Bail; 256];
    let mut i = 0;
    while i < 128 {
        let c = i as u8;
        t[i] = match c {
            b' ' | b'\t' | b',' | b';' | b':' | b'=' | b'!' | b'<' | b'>' | b'/' | b'-' | b'+'
            | b'%' | b'&' | b'|' | b'^' | b'@' | b'~' | b'.' => Class::Skip,
            b'\n' => Class::Newline,
            b'#' => Class::Hash,
            b'\'' | b'"' => Class::Quote,
            b'\\' => Class::Backslash,
            b'(' | b'[' | b'{' => Class::Open,
            b')' | b']' | b'}' => Class::Close,
            b'*' => Class::Star,
            b'_' | b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
            b'0'..=b'9' => Class::Digit,
            _ => Class::Bail,
        };
        i += 1;
    }
    t
};

fn class(c: u8) -> Class {
    CLASS.get(usize::from(c)).copied().unwrap_or(Class::Bail)
}

fn is_name_byte(c: u8) -> bool {
    // The full reader's name bytes, ASCII only: the scan gives up on
    // non-ASCII names.
    c.is_ascii() && super::header::is_ident_byte(c)
}

/// Index into `Header`'s four value slots.
fn header_slot(w: &[u8]) -> Option<usize> {
    match w {
        b"revision" => Some(0),
        b"down_revision" => Some(1),
        b"branch_labels" => Some(2),
        b"depends_on" => Some(3),
        _ => None,
    }
}

/// Names that make the full reader look at a statement.
#[inline]
fn is_watched(w: &[u8]) -> bool {
    // Every watched name has 4 to 13 bytes and starts with one of these
    // letters; most names are rejected before any comparison.
    let Some(&first) = w.first() else {
        return false;
    };
    (4..=13).contains(&w.len())
        && matches!(first, b'r' | b'd' | b'b' | b'_' | b'g' | b'e' | b'v' | b'l')
        && (header_slot(w).is_some()
            || matches!(
                w,
                b"__doc__" | b"globals" | b"exec" | b"eval" | b"vars" | b"locals"
            ))
}

/// The header of `text` (already decoded), or `None` when the full reader
/// must decide.
pub(super) fn read(text: &str) -> Option<Header> {
    Scan {
        text,
        b: text.as_bytes(),
        pos: 0,
        brackets: [0; MAX_DEPTH],
        depth: 0,
        continued: false,
    }
    .run()
}

struct Scan<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    brackets: [u8; MAX_DEPTH],
    depth: usize,
    /// The last physical line ended in a backslash continuation.
    continued: bool,
}

impl Scan<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn skip_blanks(&mut self) {
        while matches!(self.at(self.pos), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn skip_comment(&mut self) {
        let rest = self.b.get(self.pos..).unwrap_or_default();
        self.pos += memchr_newline(rest).unwrap_or(rest.len());
    }

    fn name_end(&self, from: usize) -> usize {
        let rest = self.b.get(from..).unwrap_or_default();
        from + rest
            .iter()
            .position(|&c| !is_name_byte(c))
            .unwrap_or(rest.len())
    }

    fn run(mut self) -> Option<Header> {
        let mut header = Header::default();
        let mut seen_stmt = false;
        loop {
            // At the start of a physical line.
            let line_begin = self.pos;
            let logical = self.depth == 0 && !self.continued;
            self.continued = false;
            self.skip_blanks();
            match self.at(self.pos) {
                None => break,
                Some(b'\n') => {
                    self.pos += 1;
                    continue;
                }
                Some(b'#') => {
                    self.skip_comment();
                    continue;
                }
                Some(_) => {}
            }
            if logical {
                let column0 = self.pos == line_begin;
                let first = self.at(self.pos)?;
                // A statement that starts with a continuation starts on the
                // next line (a docstring may be there).
                if first == b'\\' {
                    return None;
                }
                if !seen_stmt {
                    seen_stmt = true;
                    if !column0 || first == b'(' {
                        return None;
                    }
                    if first == b'\'' || first == b'"' {
                        header.docstring = Some(self.docstring()?);
                        continue;
                    }
                }
                // A merge conflict marker is an error the full reader words.
                if matches!(first, b'<' | b'=' | b'>') {
                    return None;
                }
                if column0 {
                    let end = self.name_end(self.pos);
                    let word = self.b.get(self.pos..end).unwrap_or_default();
                    if let Some(slot) = header_slot(word) {
                        self.pos = end;
                        let value = self.assignment()?;
                        match slot {
                            0 => header.revision = Some(value),
                            1 => header.down_revision = Some(value),
                            2 => header.branch_labels = Some(value),
                            _ => header.depends_on = Some(value),
                        }
                        continue;
                    }
                }
            }
            self.code_line()?;
        }
        (self.depth == 0).then_some(header)
    }

    /// Scans code up to and including the end of the physical line (strings
    /// may span lines); `None` on anything the full reader must judge.
    fn code_line(&mut self) -> Option<()> {
        loop {
            let Some(c) = self.at(self.pos) else {
                return Some(());
            };
            match class(c) {
                Class::Skip => {
                    // Runs of spaces and operators: no dispatch per byte.
                    self.pos += 1;
                    while matches!(self.at(self.pos), Some(c) if class(c) == Class::Skip) {
                        self.pos += 1;
                    }
                }
                Class::Newline => {
                    self.pos += 1;
                    return Some(());
                }
                Class::Hash => self.skip_comment(),
                Class::Quote => self.pos = self.string_end(self.pos)?,
                Class::Backslash => {
                    if self.at(self.pos + 1) != Some(b'\n') {
                        return None;
                    }
                    self.pos += 2;
                    self.continued = true;
                    return Some(());
                }
                Class::Open => {
                    *self.brackets.get_mut(self.depth)? = c;
                    self.depth += 1;
                    self.pos += 1;
                }
                Class::Close => {
                    self.depth = self.depth.checked_sub(1)?;
                    let open = *self.brackets.get(self.depth)?;
                    if !matches!((open, c), (b'(', b')') | (b'[', b']') | (b'{', b'}')) {
                        return None;
                    }
                    self.pos += 1;
                }
                Class::Star => match self.at(self.pos + 1) {
                    // `**` and `*=` are other operators; a lone `*` may be a
                    // star import or a starred target.
                    Some(b'*' | b'=') => self.pos += 2,
                    _ => return None,
                },
                Class::Letter => {
                    let end = self.name_end(self.pos);
                    match self.at(end) {
                        // A non-ASCII name or a string prefix.
                        Some(b'\'' | b'"') => return None,
                        Some(c) if c >= 0x80 => return None,
                        _ => {}
                    }
                    if is_watched(self.b.get(self.pos..end).unwrap_or_default()) {
                        return None;
                    }
                    self.pos = end;
                }
                Class::Digit => {
                    // Digits only: exponents, hex and suffixes end or split a
                    // number in ways not worth repeating here.
                    let end = self.name_end(self.pos);
                    let run = self.b.get(self.pos..end).unwrap_or_default();
                    if !run.iter().all(|&c| c.is_ascii_digit() || c == b'_') {
                        return None;
                    }
                    self.pos = end;
                }
                Class::Bail => return None,
            }
        }
    }

    /// End of an unprefixed string literal starting at `start`, as the full
    /// tokenizer finds it; `None` when unterminated.
    fn string_end(&self, start: usize) -> Option<usize> {
        let q = self.at(start)?;
        let triple = self.at(start + 1) == Some(q) && self.at(start + 2) == Some(q);
        let mut i = start + if triple { 3 } else { 1 };
        loop {
            let rest = self.b.get(i..)?;
            let off = find_quote_backslash_newline(rest, q, triple)?;
            i += off;
            match self.at(i)? {
                b'\\' => i += 2,
                b'\n' => {
                    if !triple {
                        return None;
                    }
                    i += 1;
                }
                _ => {
                    if !triple {
                        return Some(i + 1);
                    }
                    if self.at(i + 1) == Some(q) && self.at(i + 2) == Some(q) {
                        return Some(i + 3);
                    }
                    i += 1;
                }
            }
        }
    }

    /// A plain string literal at `self.pos` with no backslash: its text.
    fn plain_string(&mut self) -> Option<&str> {
        let start = self.pos;
        let end = self.string_end(start)?;
        let quote = self.at(start);
        let triple = self.at(start + 1) == quote && self.at(start + 2) == quote;
        let q = if triple { 3 } else { 1 };
        let body = self.text.get(start + q..end - q)?;
        if body.contains('\\') {
            return None;
        }
        self.pos = end;
        Some(body)
    }

    /// After a value: blanks, an optional comment, then the end of the line.
    fn end_of_statement(&mut self) -> Option<()> {
        self.skip_blanks();
        if self.at(self.pos) == Some(b'#') {
            self.skip_comment();
        }
        match self.at(self.pos) {
            None => Some(()),
            Some(b'\n') => {
                self.pos += 1;
                Some(())
            }
            Some(_) => None,
        }
    }

    /// The module docstring: a plain literal alone on its statement.
    fn docstring(&mut self) -> Option<String> {
        let body = self.plain_string()?.to_string();
        self.end_of_statement()?;
        Some(body)
    }

    /// `: annotation = value` after a header name at column 0.
    fn assignment(&mut self) -> Option<HeaderValue> {
        self.skip_blanks();
        if self.at(self.pos) == Some(b':') {
            self.pos += 1;
            self.annotation()?;
        }
        if self.at(self.pos) != Some(b'=') || self.at(self.pos + 1) == Some(b'=') {
            return None;
        }
        self.pos += 1;
        self.skip_blanks();
        let value = match self.at(self.pos)? {
            b'\'' | b'"' => HeaderValue::Str(self.plain_string()?.to_string()),
            b'(' => self.sequence(b')')?,
            b'[' => self.sequence(b']')?,
            _ => {
                let end = self.name_end(self.pos);
                if self.b.get(self.pos..end) != Some(b"None") {
                    return None;
                }
                self.pos = end;
                HeaderValue::None
            }
        };
        self.end_of_statement()?;
        Some(value)
    }

    /// An annotation of names, dots, commas and balanced square brackets, up
    /// to the `=` (a bare annotation, without a value, is left to the full reader).
    fn annotation(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            let c = self.at(self.pos)?;
            match c {
                b'=' if depth == 0 => return Some(()),
                b' ' | b'\t' | b'.' | b',' => self.pos += 1,
                b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b']' => {
                    depth = depth.checked_sub(1)?;
                    self.pos += 1;
                }
                _ if c.is_ascii_alphabetic() || c == b'_' => {
                    let end = self.name_end(self.pos);
                    if is_watched(self.b.get(self.pos..end).unwrap_or_default()) {
                        return None;
                    }
                    self.pos = end;
                }
                _ => return None,
            }
        }
    }

    /// `(…)` or `[…]` of plain strings on one line, at the opening bracket.
    fn sequence(&mut self, close: u8) -> Option<HeaderValue> {
        self.pos += 1;
        let mut items = Vec::new();
        let mut trailing_comma = false;
        loop {
            self.skip_blanks();
            match self.at(self.pos)? {
                c if c == close => {
                    self.pos += 1;
                    break;
                }
                b'\'' | b'"' => items.push(self.plain_string()?.to_string()),
                _ => return None,
            }
            self.skip_blanks();
            match self.at(self.pos)? {
                b',' => {
                    self.pos += 1;
                    trailing_comma = true;
                }
                c if c == close => {
                    self.pos += 1;
                    trailing_comma = false;
                    break;
                }
                _ => return None,
            }
        }
        // `('a')` is a parenthesised string, not a tuple.
        if close == b')' && items.len() == 1 && !trailing_comma {
            return None;
        }
        Some(HeaderValue::Seq(items))
    }
}

fn memchr_newline(h: &[u8]) -> Option<usize> {
    find3(h, b'\n', b'\n', b'\n')
}

/// First quote `q`, backslash, or (in a one-line string) newline.
fn find_quote_backslash_newline(h: &[u8], q: u8, triple: bool) -> Option<usize> {
    find3(h, q, b'\\', if triple { q } else { b'\n' })
}
