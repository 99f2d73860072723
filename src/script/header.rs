//! Static reader for the module-level header of an Alembic migration script.
//!
//! Alembic imports each `versions/*.py` file and reads the module attributes
//! `revision`, `down_revision`, `branch_labels`, `depends_on` and `__doc__`.
//! This module recovers the same values without running Python, in one linear
//! pass: a tokenizer that knows Python's strings (all prefixes, f-strings with
//! nested fields), comments, brackets, line continuations and indentation, and a
//! statement reader that only looks closely at logical lines mentioning one of
//! the header names (or something that could rebind them).
//!
//! The model follows Python's execution order. A top-level assignment of a
//! literal (a string, `None`, or a tuple/list of strings) gives a known value;
//! any other way of binding a header name at module level (a computed value, an
//! assignment inside `if`/`try`/`for`/…, augmented assignment, `:=`, import,
//! `def`, `for`, `with … as`, unpacking, `from m import *`) makes the value
//! unknown. A later top-level literal assignment makes it known again; a name
//! still unknown at the end of the file is an error naming the line. Things that
//! can rebind names from anywhere (`global` in a function, `globals()`, `exec`)
//! are errors at once. Assignments local to a function or class body are
//! ignored, as Python ignores them.
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

use std::borrow::Cow;

/// A header value as Alembic sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    None,
    Str(String),
    /// A tuple or list of strings (possibly empty).
    Seq(Vec<String>),
}

impl HeaderValue {
    /// The strings held, as Alembic's `util.to_tuple` sees them (`None` holds none).
    pub fn as_slice(&self) -> &[String] {
        match self {
            HeaderValue::None => &[],
            HeaderValue::Str(s) => std::slice::from_ref(s),
            HeaderValue::Seq(v) => v,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// `None` when the name is never assigned at top level (distinct from `Some(HeaderValue::None)`).
    pub revision: Option<HeaderValue>,
    pub down_revision: Option<HeaderValue>,
    pub branch_labels: Option<HeaderValue>,
    pub depends_on: Option<HeaderValue>,
    /// The module docstring exactly as Python's `__doc__` would hold it (escapes processed, not stripped); None if absent.
    pub docstring: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct HeaderError {
    pub line: usize,
    pub message: String,
}

impl HeaderError {
    fn new(line: usize, message: impl Into<String>) -> Self {
        HeaderError {
            line,
            message: message.into(),
        }
    }
}

/// Read the header from raw file bytes (handles BOM, PEP 263 coding cookie: utf-8 and latin-1/iso-8859-1 at least; anything else is an error).
pub fn read_header(source: &[u8]) -> Result<Header, HeaderError> {
    let text = decode_source(source)?;
    Reader::new(&text).run()
}

// ---------------------------------------------------------------------------
// Decoding: what CPython's tokenizer does before it sees any token.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Latin1,
    Ascii,
}

fn decode_source(source: &[u8]) -> Result<Cow<'_, str>, HeaderError> {
    let (bytes, bom) = match source.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (source, false),
    };
    let mut encoding = Encoding::Utf8;
    if let Some((line, name)) = coding_cookie(bytes) {
        let normal = normal_encoding_name(name);
        let shown = String::from_utf8_lossy(name);
        // CPython compares the cookie with "utf-8" literally when a BOM is present.
        if bom && normal != "utf-8" {
            return Err(HeaderError::new(
                line,
                format!("encoding problem: {shown} with BOM"),
            ));
        }
        encoding = lookup_encoding(&normal).ok_or_else(|| {
            HeaderError::new(
                line,
                format!(
                    "unsupported source encoding `{shown}` (retort reads UTF-8, Latin-1 and ASCII sources)"
                ),
            )
        })?;
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(HeaderError::new(
            line_at(bytes, pos),
            "source code cannot contain null bytes",
        ));
    }
    let text = match encoding {
        Encoding::Utf8 | Encoding::Ascii => {
            if encoding == Encoding::Ascii {
                if let Some(pos) = bytes.iter().position(|b| !b.is_ascii()) {
                    return Err(HeaderError::new(
                        line_at(bytes, pos),
                        "non-ASCII byte in a source declared as ASCII",
                    ));
                }
            }
            match std::str::from_utf8(bytes) {
                Ok(s) => Cow::Borrowed(s),
                Err(e) => {
                    return Err(HeaderError::new(
                        line_at(bytes, e.valid_up_to()),
                        "source is not valid UTF-8 and declares no other encoding",
                    ))
                }
            }
        }
        Encoding::Latin1 => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    };
    Ok(normalize_newlines(text))
}

fn line_at(bytes: &[u8], pos: usize) -> usize {
    let before = bytes.get(..pos).unwrap_or(bytes);
    before.iter().filter(|&&b| b == b'\n').count() + 1
}

/// Python reads `\r\n` and lone `\r` as `\n`, also inside string literals.
fn normalize_newlines(text: Cow<'_, str>) -> Cow<'_, str> {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(p) = rest.find('\r') {
        out.push_str(rest.get(..p).unwrap_or_default());
        out.push('\n');
        let after = rest.get(p + 1..).unwrap_or_default();
        rest = after.strip_prefix('\n').unwrap_or(after);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// PEP 263 as CPython's tokenizer applies it: a comment-only line 1, or line 2
/// when line 1 is blank or a comment.
fn coding_cookie(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let mut lines = bytes.split(|&b| b == b'\n');
    let first = lines.next()?;
    if let Some(name) = cookie_in_line(first) {
        return Some((1, name));
    }
    let blank_or_comment = matches!(
        first.iter().find(|&&c| !matches!(c, b' ' | b'\t' | b'\x0c')),
        None | Some(b'#' | b'\r')
    );
    if !blank_or_comment {
        return None;
    }
    cookie_in_line(lines.next()?).map(|name| (2, name))
}

fn cookie_in_line(line: &[u8]) -> Option<&[u8]> {
    let hash = line
        .iter()
        .position(|&c| !matches!(c, b' ' | b'\t' | b'\x0c'))?;
    if line.get(hash) != Some(&b'#') {
        return None;
    }
    let mut from = hash;
    loop {
        let rest = line.get(from..)?;
        let off = rest.windows(6).position(|w| w == b"coding")?;
        let at = from + off;
        from = at + 1;
        let mut j = at + 6;
        if !matches!(line.get(j), Some(b':' | b'=')) {
            continue;
        }
        j += 1;
        while matches!(line.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        let begin = j;
        while matches!(line.get(j), Some(&c) if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        {
            j += 1;
        }
        if j > begin {
            return line.get(begin..j);
        }
    }
}

/// CPython's `get_normal_name`: only its first 12 characters are looked at.
fn normal_encoding_name(name: &[u8]) -> String {
    let buf: String = name
        .iter()
        .take(12)
        .map(|&c| {
            if c == b'_' {
                '-'
            } else {
                char::from(c.to_ascii_lowercase())
            }
        })
        .collect();
    let is = |full: &str| buf == full || buf.starts_with(&format!("{full}-"));
    if is("utf-8") {
        "utf-8".into()
    } else if is("latin-1") || is("iso-8859-1") || is("iso-latin-1") {
        "iso-8859-1".into()
    } else {
        String::from_utf8_lossy(name).into_owned()
    }
}

/// The subset of Python's codec registry (`encodings.aliases`) we can decode.
fn lookup_encoding(normal: &str) -> Option<Encoding> {
    match normal {
        "utf-8" => return Some(Encoding::Utf8),
        "iso-8859-1" => return Some(Encoding::Latin1),
        _ => {}
    }
    // encodings.normalize_encoding: runs of other characters become one '_'.
    let mut key = String::with_capacity(normal.len());
    let mut punct = false;
    for c in normal.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            if punct && !key.is_empty() {
                key.push('_');
            }
            key.push(c.to_ascii_lowercase());
            punct = false;
        } else {
            punct = true;
        }
    }
    let find = |k: &str| match k {
        "utf_8" | "u8" | "utf" | "utf8" | "utf8_ucs2" | "utf8_ucs4" | "cp65001" => {
            Some(Encoding::Utf8)
        }
        "latin_1" | "8859" | "cp819" | "csisolatin1" | "ibm819" | "iso8859" | "iso8859_1"
        | "iso_8859_1" | "iso_8859_1_1987" | "iso_ir_100" | "l1" | "latin" | "latin1" => {
            Some(Encoding::Latin1)
        }
        "ascii" | "646" | "ansi_x3.4_1968" | "ansi_x3_4_1968" | "ansi_x3.4_1986" | "cp367"
        | "csascii" | "ibm367" | "iso646_us" | "iso_646.irv_1991" | "iso_ir_6" | "us"
        | "us_ascii" => Some(Encoding::Ascii),
        _ => None,
    };
    find(&key).or_else(|| find(&key.replace('.', "_")))
}

// ---------------------------------------------------------------------------
// Tokens.

const NAMES: [&str; 5] = [
    "revision",
    "down_revision",
    "branch_labels",
    "depends_on",
    "__doc__",
];
const DOC: usize = 4;
/// CPython's tokenizer refuses deeper nesting too; the cap also bounds memory.
const MAX_NESTING: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kw {
    Def,
    Class,
    Async,
    Global,
    Import,
    From,
    For,
    In,
    As,
    With,
    Except,
    Del,
    Lambda,
    If,
    Elif,
    Else,
    While,
    Try,
    Finally,
    // Soft keywords: also usable as plain names.
    Match,
    Case,
    Type,
    NoneLit,
    /// `True` / `False`.
    Constant,
    /// Any other hard keyword.
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Word {
    Plain,
    /// Python NFKC-normalises identifiers, so we cannot tell what this names.
    NonAscii,
    /// Index into `NAMES`.
    Header(usize),
    /// `globals`/`exec` (rebind module names from anywhere) or, when `anywhere`
    /// is false, `eval`/`vars`/`locals` (only at module level).
    Dyn { anywhere: bool },
    Kw(Kw),
}

fn classify(w: &[u8], non_ascii: bool) -> Word {
    if non_ascii {
        return Word::NonAscii;
    }
    match w {
        b"revision" => Word::Header(0),
        b"down_revision" => Word::Header(1),
        b"branch_labels" => Word::Header(2),
        b"depends_on" => Word::Header(3),
        b"__doc__" => Word::Header(DOC),
        b"globals" | b"exec" => Word::Dyn { anywhere: true },
        b"eval" | b"vars" | b"locals" => Word::Dyn { anywhere: false },
        b"def" => Word::Kw(Kw::Def),
        b"class" => Word::Kw(Kw::Class),
        b"async" => Word::Kw(Kw::Async),
        b"global" => Word::Kw(Kw::Global),
        b"import" => Word::Kw(Kw::Import),
        b"from" => Word::Kw(Kw::From),
        b"for" => Word::Kw(Kw::For),
        b"in" => Word::Kw(Kw::In),
        b"as" => Word::Kw(Kw::As),
        b"with" => Word::Kw(Kw::With),
        b"except" => Word::Kw(Kw::Except),
        b"del" => Word::Kw(Kw::Del),
        b"lambda" => Word::Kw(Kw::Lambda),
        b"if" => Word::Kw(Kw::If),
        b"elif" => Word::Kw(Kw::Elif),
        b"else" => Word::Kw(Kw::Else),
        b"while" => Word::Kw(Kw::While),
        b"try" => Word::Kw(Kw::Try),
        b"finally" => Word::Kw(Kw::Finally),
        b"match" => Word::Kw(Kw::Match),
        b"case" => Word::Kw(Kw::Case),
        b"type" => Word::Kw(Kw::Type),
        b"None" => Word::Kw(Kw::NoneLit),
        b"True" | b"False" => Word::Kw(Kw::Constant),
        b"and" | b"assert" | b"await" | b"break" | b"continue" | b"is" | b"nonlocal" | b"not"
        | b"or" | b"pass" | b"raise" | b"return" | b"yield" => Word::Kw(Kw::Other),
        _ => Word::Plain,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    LPar,
    RPar,
    LSqb,
    RSqb,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Semi,
    Assign,
    AugAssign,
    Walrus,
    Dot,
    Star,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Name(Word),
    Number,
    /// A complete string or bytes literal (not an f-string).
    Str,
    /// Start of an f-/t-string; its fields' tokens follow; behaves as a bracket.
    FStart,
    FEnd,
    Op(Op),
    Newline,
    Eof,
}

fn opens(k: Kind) -> bool {
    matches!(
        k,
        Kind::Op(Op::LPar | Op::LSqb | Op::LBrace) | Kind::FStart
    )
}

fn closes(k: Kind) -> bool {
    matches!(
        k,
        Kind::Op(Op::RPar | Op::RSqb | Op::RBrace) | Kind::FEnd
    )
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Lit {
    prefix: u8,
    triple: bool,
    raw: bool,
    bytes: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
    /// 1-based line of the token's first character.
    line: usize,
    lit: Lit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Prefix {
    len: u8,
    raw: bool,
    bytes: bool,
    fmt: bool,
}

impl Prefix {
    const NONE: Prefix = Prefix {
        len: 0,
        raw: false,
        bytes: false,
        fmt: false,
    };

    /// Valid string prefixes: r, u, b, f, t (3.14) and the two-letter mixes.
    fn parse(w: &[u8]) -> Option<Prefix> {
        if w.is_empty() || w.len() > 2 {
            return None;
        }
        let mut p = Prefix::NONE;
        for &c in w {
            match c.to_ascii_lowercase() {
                b'r' if !p.raw => p.raw = true,
                b'b' if !p.bytes && !p.fmt => p.bytes = true,
                b'f' | b't' if !p.fmt && !p.bytes => p.fmt = true,
                b'u' if w.len() == 1 => {}
                _ => return None,
            }
        }
        p.len = if w.len() == 1 { 1 } else { 2 };
        Some(p)
    }
}

/// Where an f-string's text is being scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FStr {
    quote: u8,
    triple: bool,
    raw: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Literal text of an f-string.
    Lit(FStr),
    /// Expression of a replacement field (scanned as code).
    Expr(FStr),
    /// Format spec of a replacement field.
    Spec(FStr),
}

/// Bracket stack markers besides `(`, `[`, `{`.
const FSTRING: u8 = b'S';
const FIELD: u8 = b'F';

struct Lexer<'a> {
    b: &'a [u8],
    pos: usize,
    line: usize,
    /// Indentation column of the current logical line.
    indent: usize,
    at_line_start: bool,
    /// Open brackets with the line they opened on.
    brackets: Vec<(u8, usize)>,
    /// f-string scanning state; empty in plain code.
    modes: Vec<Mode>,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        Lexer {
            b: src.as_bytes(),
            pos: 0,
            line: 1,
            indent: 0,
            at_line_start: true,
            brackets: Vec::new(),
            modes: Vec::new(),
        }
    }

    fn err(&self, message: impl Into<String>) -> HeaderError {
        HeaderError::new(self.line, message)
    }

    fn tok(&self, kind: Kind, start: usize, end: usize, line: usize) -> Tok {
        Tok {
            kind,
            start,
            end,
            line,
            lit: Lit::default(),
        }
    }

    fn next(&mut self) -> Result<Tok, HeaderError> {
        loop {
            match self.modes.last().copied() {
                Some(Mode::Lit(f)) => match self.fstring_text(f, false)? {
                    Some(t) => return Ok(t),
                    None => continue,
                },
                Some(Mode::Spec(f)) => match self.fstring_text(f, true)? {
                    Some(t) => return Ok(t),
                    None => continue,
                },
                Some(Mode::Expr(_)) => {}
                None => {
                    if self.at_line_start && !self.line_start() {
                        return self.eof();
                    }
                }
            }
            let start = self.pos;
            let Some(&c) = self.b.get(start) else {
                return self.eof();
            };
            match c {
                b' ' | b'\t' | b'\x0c' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    // Inside brackets a newline is just whitespace.
                    if self.brackets.is_empty() {
                        self.at_line_start = true;
                        return Ok(self.tok(Kind::Newline, start, start + 1, self.line - 1));
                    }
                }
                b'#' => self.skip_comment(),
                b'\\' => {
                    if self.b.get(start + 1) != Some(&b'\n') {
                        return Err(
                            self.err("unexpected character after line continuation character")
                        );
                    }
                    self.pos += 2;
                    self.line += 1;
                }
                b'\'' | b'"' => return self.string(start, Prefix::NONE),
                b'0'..=b'9' => return Ok(self.number(start)),
                b'.' => {
                    if matches!(self.b.get(start + 1), Some(c) if c.is_ascii_digit()) {
                        return Ok(self.number(start));
                    }
                    let (op, len) = if self.b.get(start + 1) == Some(&b'.')
                        && self.b.get(start + 2) == Some(&b'.')
                    {
                        (Op::Other, 3)
                    } else {
                        (Op::Dot, 1)
                    };
                    self.pos = start + len;
                    return Ok(self.tok(Kind::Op(op), start, start + len, self.line));
                }
                _ if is_ident_start(c) => return self.word(start),
                _ => {
                    if let Some(t) = self.op(start, c)? {
                        return Ok(t);
                    }
                }
            }
        }
    }

    /// Skips blank and comment-only lines and measures the indentation of the
    /// next logical line; false at end of input.
    fn line_start(&mut self) -> bool {
        loop {
            let mut col = 0usize;
            while let Some(&c) = self.b.get(self.pos) {
                match c {
                    b' ' => col += 1,
                    b'\t' => col = (col / 8 + 1) * 8,
                    b'\x0c' => col = 0,
                    _ => break,
                }
                self.pos += 1;
            }
            match self.b.get(self.pos) {
                None => return false,
                Some(b'#') => self.skip_comment(),
                Some(b'\n') => {
                    self.pos += 1;
                    self.line += 1;
                }
                Some(_) => {
                    self.indent = col;
                    self.at_line_start = false;
                    return true;
                }
            }
        }
    }

    fn eof(&mut self) -> Result<Tok, HeaderError> {
        if let Some(&(open, line)) = self.brackets.last() {
            let message = match open {
                FSTRING => "unterminated f-string literal".to_string(),
                FIELD => "f-string: expecting '}'".to_string(),
                _ => format!("'{}' was never closed", char::from(open)),
            };
            return Err(HeaderError::new(line, message));
        }
        self.pos = self.b.len();
        Ok(self.tok(Kind::Eof, self.pos, self.pos, self.line))
    }

    fn skip_comment(&mut self) {
        let rest = self.b.get(self.pos..).unwrap_or_default();
        self.pos += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
    }

    fn push_bracket(&mut self, c: u8) -> Result<(), HeaderError> {
        if self.brackets.len() >= MAX_NESTING {
            return Err(self.err("too many nested brackets or f-strings"));
        }
        self.brackets.push((c, self.line));
        Ok(())
    }

    fn word(&mut self, start: usize) -> Result<Tok, HeaderError> {
        let mut end = start;
        let mut non_ascii = false;
        while let Some(&c) = self.b.get(end) {
            if c.is_ascii_alphanumeric() || c == b'_' {
                end += 1;
            } else if c >= 0x80 {
                non_ascii = true;
                end += 1;
            } else {
                break;
            }
        }
        let w = self.b.get(start..end).unwrap_or_default();
        if matches!(self.b.get(end), Some(b'\'' | b'"')) {
            if let Some(p) = Prefix::parse(w) {
                self.pos = end;
                return self.string(start, p);
            }
        }
        self.pos = end;
        Ok(self.tok(Kind::Name(classify(w, non_ascii)), start, end, self.line))
    }

    /// `self.pos` is at the opening quote; `start` at the prefix.
    fn string(&mut self, start: usize, p: Prefix) -> Result<Tok, HeaderError> {
        let b = self.b;
        let Some(&q) = b.get(self.pos) else {
            return Err(self.err("unterminated string literal"));
        };
        let triple = b.get(self.pos + 1) == Some(&q) && b.get(self.pos + 2) == Some(&q);
        let line = self.line;
        let mut i = self.pos + if triple { 3 } else { 1 };
        let lit = Lit {
            prefix: p.len,
            triple,
            raw: p.raw,
            bytes: p.bytes,
        };
        if p.fmt {
            self.pos = i;
            self.push_bracket(FSTRING)?;
            self.modes.push(Mode::Lit(FStr {
                quote: q,
                triple,
                raw: p.raw,
            }));
            return Ok(Tok {
                kind: Kind::FStart,
                start,
                end: i,
                line,
                lit,
            });
        }
        let unterminated = if triple {
            "unterminated triple-quoted string literal"
        } else {
            "unterminated string literal"
        };
        loop {
            let Some(&c) = b.get(i) else {
                return Err(HeaderError::new(line, unterminated));
            };
            if c == q {
                if !triple {
                    i += 1;
                    break;
                }
                if b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
                    i += 3;
                    break;
                }
                i += 1;
            } else if c == b'\\' {
                // Even in raw strings a backslash keeps the next quote from closing.
                if b.get(i + 1) == Some(&b'\n') {
                    self.line += 1;
                }
                i += 2;
            } else if c == b'\n' {
                if !triple {
                    return Err(HeaderError::new(line, unterminated));
                }
                self.line += 1;
                i += 1;
            } else {
                i += 1;
            }
        }
        self.pos = i;
        Ok(Tok {
            kind: Kind::Str,
            start,
            end: i,
            line,
            lit,
        })
    }

    /// Scans f-string literal text or a format spec; `Some` at the closing quote.
    fn fstring_text(&mut self, f: FStr, spec: bool) -> Result<Option<Tok>, HeaderError> {
        let b = self.b;
        loop {
            let i = self.pos;
            let Some(&c) = b.get(i) else {
                return Err(self.err("unterminated f-string literal"));
            };
            if c == f.quote {
                let closes = !f.triple
                    || (b.get(i + 1) == Some(&f.quote) && b.get(i + 2) == Some(&f.quote));
                if !closes {
                    self.pos += 1;
                    continue;
                }
                if spec {
                    return Err(self.err("f-string: expecting '}'"));
                }
                let len = if f.triple { 3 } else { 1 };
                self.pos += len;
                self.modes.pop();
                if !matches!(self.brackets.pop(), Some((FSTRING, _))) {
                    return Err(self.err("malformed f-string"));
                }
                return Ok(Some(self.tok(Kind::FEnd, i, i + len, self.line)));
            }
            match c {
                b'\n' => {
                    if !f.triple {
                        return Err(self.err("unterminated f-string literal"));
                    }
                    self.line += 1;
                    self.pos += 1;
                }
                b'\\' => match b.get(i + 1) {
                    // `\{` leaves the brace to start a field (CPython 3.12).
                    Some(b'{' | b'}') => self.pos += 1,
                    Some(b'N') if !f.raw && b.get(i + 2) == Some(&b'{') => {
                        let rest = b.get(i + 3..).unwrap_or_default();
                        match rest
                            .iter()
                            .position(|&x| x == b'}' || x == b'\n' || x == f.quote)
                        {
                            Some(off) if rest.get(off) == Some(&b'}') => self.pos = i + 3 + off + 1,
                            _ => return Err(self.err("malformed \\N character escape")),
                        }
                    }
                    Some(n) => {
                        if *n == b'\n' {
                            self.line += 1;
                        }
                        self.pos += 2;
                    }
                    None => return Err(self.err("unterminated f-string literal")),
                },
                b'{' => {
                    if !spec && b.get(i + 1) == Some(&b'{') {
                        self.pos += 2;
                        continue;
                    }
                    self.pos += 1;
                    self.push_bracket(FIELD)?;
                    self.modes.push(Mode::Expr(f));
                    return Ok(None);
                }
                b'}' => {
                    if spec {
                        self.pos += 1;
                        self.modes.pop();
                        if !matches!(self.brackets.pop(), Some((FIELD, _))) {
                            return Err(self.err("malformed f-string"));
                        }
                        return Ok(None);
                    }
                    if b.get(i + 1) == Some(&b'}') {
                        self.pos += 2;
                        continue;
                    }
                    return Err(self.err("f-string: single '}' is not allowed"));
                }
                _ => self.pos += 1,
            }
        }
    }

    fn number(&mut self, start: usize) -> Tok {
        let b = self.b;
        let mut i = start;
        let eat = |i: &mut usize, ok: fn(&u8) -> bool| {
            while matches!(b.get(*i), Some(c) if ok(c) || *c == b'_') {
                *i += 1;
            }
        };
        if b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'x' | b'X' | b'o' | b'O' | b'b' | b'B'))
        {
            i += 2;
            eat(&mut i, u8::is_ascii_hexdigit);
        } else {
            eat(&mut i, u8::is_ascii_digit);
            if b.get(i) == Some(&b'.') {
                i += 1;
                eat(&mut i, u8::is_ascii_digit);
            }
            if matches!(b.get(i), Some(b'e' | b'E')) {
                let mut j = i + 1;
                if matches!(b.get(j), Some(b'+' | b'-')) {
                    j += 1;
                }
                if matches!(b.get(j), Some(c) if c.is_ascii_digit()) {
                    i = j;
                    eat(&mut i, u8::is_ascii_digit);
                }
            }
            if matches!(b.get(i), Some(b'j' | b'J')) {
                i += 1;
            }
        }
        self.pos = i;
        self.tok(Kind::Number, start, i, self.line)
    }

    fn at_field_base(&self) -> bool {
        matches!(self.brackets.last(), Some((FIELD, _)))
    }

    fn op(&mut self, start: usize, c: u8) -> Result<Option<Tok>, HeaderError> {
        let n1 = self.b.get(start + 1).copied();
        let n2 = self.b.get(start + 2).copied();
        let (op, len) = match c {
            b'(' => (Op::LPar, 1),
            b'[' => (Op::LSqb, 1),
            b'{' => (Op::LBrace, 1),
            b')' | b']' | b'}' => return self.close(start, c),
            b',' => (Op::Comma, 1),
            b';' => (Op::Semi, 1),
            b':' => {
                if self.at_field_base() {
                    // A format spec starts here, even before '='.
                    self.pos = start + 1;
                    if let Some(Mode::Expr(f)) = self.modes.pop() {
                        self.modes.push(Mode::Spec(f));
                    }
                    return Ok(None);
                }
                if n1 == Some(b'=') {
                    (Op::Walrus, 2)
                } else {
                    (Op::Colon, 1)
                }
            }
            b'=' => {
                if n1 == Some(b'=') {
                    (Op::Other, 2)
                } else {
                    (Op::Assign, 1)
                }
            }
            b'!' => (Op::Other, if n1 == Some(b'=') { 2 } else { 1 }),
            b'<' | b'>' => {
                if n1 == Some(c) {
                    if n2 == Some(b'=') {
                        (Op::AugAssign, 3)
                    } else {
                        (Op::Other, 2)
                    }
                } else if n1 == Some(b'=') || (c == b'<' && n1 == Some(b'>')) {
                    (Op::Other, 2)
                } else {
                    (Op::Other, 1)
                }
            }
            b'*' | b'/' => {
                if n1 == Some(c) {
                    if n2 == Some(b'=') {
                        (Op::AugAssign, 3)
                    } else {
                        (Op::Other, 2)
                    }
                } else if n1 == Some(b'=') {
                    (Op::AugAssign, 2)
                } else if c == b'*' {
                    (Op::Star, 1)
                } else {
                    (Op::Other, 1)
                }
            }
            b'-' => match n1 {
                Some(b'>') => (Op::Other, 2),
                Some(b'=') => (Op::AugAssign, 2),
                _ => (Op::Other, 1),
            },
            b'+' | b'%' | b'&' | b'|' | b'^' | b'@' => {
                if n1 == Some(b'=') {
                    (Op::AugAssign, 2)
                } else {
                    (Op::Other, 1)
                }
            }
            b'~' => (Op::Other, 1),
            _ => {
                return Err(self.err(format!(
                    "invalid character {:?} in source",
                    char::from(c)
                )))
            }
        };
        if matches!(op, Op::LPar | Op::LSqb | Op::LBrace) {
            self.push_bracket(c)?;
        }
        self.pos = start + len;
        Ok(Some(self.tok(Kind::Op(op), start, start + len, self.line)))
    }

    fn close(&mut self, start: usize, c: u8) -> Result<Option<Tok>, HeaderError> {
        let Some(&(open, _)) = self.brackets.last() else {
            return Err(self.err(format!("unmatched '{}'", char::from(c))));
        };
        self.pos = start + 1;
        if open == FIELD {
            if c != b'}' {
                return Err(self.err(format!("f-string: unmatched '{}'", char::from(c))));
            }
            // End of a replacement field: back to the f-string's text.
            self.brackets.pop();
            self.modes.pop();
            return Ok(None);
        }
        let op = match (open, c) {
            (b'(', b')') => Op::RPar,
            (b'[', b']') => Op::RSqb,
            (b'{', b'}') => Op::RBrace,
            _ => {
                return Err(self.err(format!(
                    "closing parenthesis '{}' does not match opening parenthesis '{}'",
                    char::from(c),
                    char::from(open)
                )))
            }
        };
        self.brackets.pop();
        Ok(Some(self.tok(Kind::Op(op), start, start + 1, self.line)))
    }
}

// ---------------------------------------------------------------------------
// Token-slice helpers (all statement-level work happens on one logical line).

/// Splits at `op` outside brackets; a trailing separator yields an empty last part.
struct TopSplit<'t> {
    rest: Option<&'t [Tok]>,
    op: Op,
}

impl<'t> Iterator for TopSplit<'t> {
    type Item = &'t [Tok];

    fn next(&mut self) -> Option<&'t [Tok]> {
        let rest = self.rest?;
        let mut depth = 0usize;
        for (i, t) in rest.iter().enumerate() {
            if opens(t.kind) {
                depth += 1;
            } else if closes(t.kind) {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && t.kind == Kind::Op(self.op) {
                self.rest = rest.get(i + 1..);
                return rest.get(..i);
            }
        }
        self.rest = None;
        Some(rest)
    }
}

fn split_top(toks: &[Tok], op: Op) -> TopSplit<'_> {
    TopSplit {
        rest: Some(toks),
        op,
    }
}

fn top_position(toks: &[Tok], kind: Kind) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate() {
        if opens(t.kind) {
            depth += 1;
        } else if closes(t.kind) {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && t.kind == kind {
            return Some(i);
        }
    }
    None
}

/// The colon ending a compound statement's header (lambda colons skipped).
fn header_colon(toks: &[Tok]) -> Option<usize> {
    let mut depth = 0usize;
    let mut lambdas = 0usize;
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            k if opens(k) => depth += 1,
            k if closes(k) => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            Kind::Name(Word::Kw(Kw::Lambda)) => lambdas += 1,
            Kind::Op(Op::Colon) => {
                if lambdas == 0 {
                    return Some(i);
                }
                lambdas -= 1;
            }
            _ => {}
        }
    }
    None
}

/// The inside of `v` if `v` is one `open … close` bracket pair.
fn unwrap(v: &[Tok], open: Op, close: Op) -> Option<&[Tok]> {
    let (first, last) = (v.first()?, v.last()?);
    if v.len() < 2 || first.kind != Kind::Op(open) || last.kind != Kind::Op(close) {
        return None;
    }
    let mut depth = 0usize;
    for (i, t) in v.iter().enumerate() {
        if opens(t.kind) {
            depth += 1;
        } else if closes(t.kind) {
            depth = depth.saturating_sub(1);
            if depth == 0 && i + 1 != v.len() {
                return None;
            }
        }
    }
    v.get(1..v.len() - 1)
}

/// Removes grouping parentheses: `(x)` is `x`, but `()` and `(x,)` are tuples.
fn strip_group(mut v: &[Tok]) -> &[Tok] {
    while let Some(inner) = unwrap(v, Op::LPar, Op::RPar) {
        if inner.is_empty() || top_position(inner, Kind::Op(Op::Comma)).is_some() {
            break;
        }
        v = inner;
    }
    v
}

/// The statement kinds that open a block, and whether the block is a new scope.
fn compound(toks: &[Tok]) -> Option<(usize, bool)> {
    let Some(Kind::Name(Word::Kw(kw))) = toks.first().map(|t| t.kind) else {
        return None;
    };
    let scope = match kw {
        Kw::Def | Kw::Class => true,
        Kw::Async => matches!(
            toks.get(1).map(|t| t.kind),
            Some(Kind::Name(Word::Kw(Kw::Def)))
        ),
        Kw::If
        | Kw::Elif
        | Kw::Else
        | Kw::For
        | Kw::While
        | Kw::Try
        | Kw::Except
        | Kw::Finally
        | Kw::With => false,
        Kw::Match | Kw::Case => {
            if !soft_compound(toks, kw == Kw::Match) {
                return None;
            }
            false
        }
        _ => return None,
    };
    Some((header_colon(toks)?, scope))
}

/// `match`/`case` are keywords only where a statement of that shape parses.
fn soft_compound(toks: &[Tok], is_match: bool) -> bool {
    let Some(colon) = header_colon(toks) else {
        return false;
    };
    if colon < 2 || (is_match && colon + 1 != toks.len()) {
        return false;
    }
    if matches!(
        toks.get(1).map(|t| t.kind),
        Some(Kind::Op(
            Op::Dot | Op::Assign | Op::AugAssign | Op::Comma | Op::Walrus
        ))
    ) {
        return false;
    }
    let head = toks.get(..colon).unwrap_or_default();
    top_position(head, Kind::Op(Op::Assign)).is_none()
        && top_position(head, Kind::Op(Op::AugAssign)).is_none()
}

fn block_is_scope(toks: &[Tok]) -> bool {
    match toks.first().map(|t| t.kind) {
        Some(Kind::Name(Word::Kw(Kw::Def | Kw::Class))) => true,
        Some(Kind::Name(Word::Kw(Kw::Async))) => matches!(
            toks.get(1).map(|t| t.kind),
            Some(Kind::Name(Word::Kw(Kw::Def)))
        ),
        _ => false,
    }
}

fn is_header_like(k: Kind) -> bool {
    matches!(k, Kind::Name(Word::Header(_) | Word::NonAscii))
}

/// Indices of names an assignment target binds: names not behind `.` and not
/// inside a call or subscript, and not themselves called or subscripted.
fn target_names(t: &[Tok], out: &mut Vec<usize>) {
    let mut trailers: Vec<bool> = Vec::new();
    let mut in_trailer = 0usize;
    for (i, tok) in t.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| t.get(j)).map(|p| p.kind);
        if opens(tok.kind) {
            let trailer = tok.kind == Kind::FStart
                || tok.kind == Kind::Op(Op::LBrace)
                || matches!(
                    prev,
                    Some(
                        Kind::Name(
                            Word::Plain
                                | Word::NonAscii
                                | Word::Header(_)
                                | Word::Dyn { .. }
                                | Word::Kw(Kw::Match | Kw::Case | Kw::Type | Kw::NoneLit | Kw::Constant)
                        ) | Kind::Str
                            | Kind::FEnd
                            | Kind::Number
                            | Kind::Op(Op::RPar | Op::RSqb | Op::RBrace)
                    )
                );
            trailers.push(trailer);
            if trailer {
                in_trailer += 1;
            }
        } else if closes(tok.kind) {
            if trailers.pop() == Some(true) {
                in_trailer = in_trailer.saturating_sub(1);
            }
        } else if is_header_like(tok.kind)
            && in_trailer == 0
            && prev != Some(Kind::Op(Op::Dot))
            && !matches!(
                t.get(i + 1).map(|n| n.kind),
                Some(Kind::Op(Op::Dot | Op::LPar | Op::LSqb))
            )
        {
            out.push(i);
        }
    }
}

/// A load of a header name that could hand its value (a list) to other code.
fn is_load(prev: Option<Kind>, next: Option<Kind>) -> bool {
    if matches!(next, Some(Kind::Op(Op::Dot | Op::LPar | Op::LSqb))) {
        return true;
    }
    !matches!(
        next,
        Some(Kind::Op(Op::Assign | Op::AugAssign | Op::Walrus | Op::Colon))
    ) && !matches!(
        prev,
        Some(Kind::Name(Word::Kw(
            Kw::Def | Kw::Class | Kw::Global | Kw::Import | Kw::As | Kw::For | Kw::Del | Kw::From
        )))
    )
}

// ---------------------------------------------------------------------------
// The statement reader.

/// Where a statement runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    /// Module level, unconditionally.
    Top,
    /// Module level, inside an `if`/`try`/`for`/… block.
    Cond,
    /// Inside a function or class body (its own namespace).
    Local,
}

#[derive(Clone, Copy, Debug)]
struct Block {
    indent: usize,
    scope: bool,
}

#[derive(Clone, Debug)]
enum Slot {
    Unset,
    Known { value: HeaderValue, list: bool },
    Unknown { line: usize, why: String },
}

impl Slot {
    fn value(self) -> Option<HeaderValue> {
        match self {
            Slot::Known { value, .. } => Some(value),
            _ => None,
        }
    }
}

/// How a statement binds a name.
#[derive(Clone, Copy, Debug)]
enum Bind<'t> {
    Assign(&'t [Tok]),
    Del,
    Other(&'static str),
}

const UNREADABLE: &str = "so its value cannot be read without running Python";
const WHY_NOT_LITERAL: &str = "is assigned a value that cannot be read without running Python (only a string literal, None, or a tuple or list of string literals can be read)";
const WHY_COND: &str = "is assigned inside an indented block (if/try/for/while/with/match)";
const WHY_AUG: &str = "is changed by an augmented assignment";
const WHY_WALRUS: &str = "is assigned by an assignment expression (:=)";
const WHY_IMPORT: &str = "is bound by an import";
const WHY_DEF: &str = "is bound by a def or class statement";
const WHY_FOR: &str = "is the target of a for loop";
const WHY_AS: &str = "is bound by `as` in a with or except clause";
const WHY_CASE: &str = "may be bound by a case pattern";
const WHY_UNPACK: &str = "is assigned by unpacking or a starred target";
const WHY_TYPE: &str = "is bound by a type alias statement";
const WHY_STAR: &str = "may be bound by `from … import *`";
const WHY_BYTES: &str = "is assigned a bytes literal, but header values must be str";
const WHY_DOC_SEQ: &str = "is assigned a tuple or list, but it must be a string or None";

/// Star imports from these packages are known not to define header names.
const SAFE_STAR_MODULES: [&str; 8] = [
    "sqlalchemy",
    "alembic",
    "typing",
    "typing_extensions",
    "datetime",
    "decimal",
    "enum",
    "uuid",
];

fn name_of(slot: usize) -> &'static str {
    NAMES.get(slot).copied().unwrap_or("?")
}

enum Eval {
    Value(HeaderValue, bool),
    NotStatic(&'static str),
}

struct Reader<'a> {
    src: &'a str,
    lex: Lexer<'a>,
    /// Tokens of the current logical line (reused buffer).
    toks: Vec<Tok>,
    indent: usize,
    /// Whether the current line mentions anything the header depends on.
    interesting: bool,
    blocks: Vec<Block>,
    scopes: usize,
    seen_stmt: bool,
    slots: [Slot; 5],
    /// First line where each name is used as a value.
    loads: [Option<usize>; 5],
}

impl<'a> Reader<'a> {
    fn new(src: &'a str) -> Self {
        Reader {
            src,
            lex: Lexer::new(src),
            toks: Vec::with_capacity(64),
            indent: 0,
            interesting: false,
            blocks: Vec::new(),
            scopes: 0,
            seen_stmt: false,
            slots: [
                Slot::Unset,
                Slot::Unset,
                Slot::Unset,
                Slot::Unset,
                // A module without a docstring has `__doc__ = None`.
                Slot::Known {
                    value: HeaderValue::None,
                    list: false,
                },
            ],
            loads: [None; 5],
        }
    }

    fn text(&self, t: &Tok) -> &'a str {
        self.src.get(t.start..t.end).unwrap_or_default()
    }

    fn run(mut self) -> Result<Header, HeaderError> {
        loop {
            let t = self.lex.next()?;
            match t.kind {
                Kind::Newline => self.end_line()?,
                Kind::Eof => {
                    self.end_line()?;
                    break;
                }
                kind => {
                    if self.toks.is_empty() {
                        self.indent = self.lex.indent;
                    }
                    if matches!(
                        kind,
                        Kind::Name(
                            Word::Header(_)
                                | Word::NonAscii
                                | Word::Dyn { .. }
                                | Word::Kw(Kw::Import)
                        )
                    ) {
                        self.interesting = true;
                    }
                    self.toks.push(t);
                }
            }
        }
        self.finish()
    }

    fn end_line(&mut self) -> Result<(), HeaderError> {
        if self.toks.is_empty() {
            return Ok(());
        }
        let mut toks = std::mem::take(&mut self.toks);
        let result = self.line(&toks);
        toks.clear();
        self.toks = toks;
        self.interesting = false;
        result
    }

    fn line(&mut self, toks: &[Tok]) -> Result<(), HeaderError> {
        let ctx = self.enter(self.indent);
        if !self.seen_stmt {
            self.seen_stmt = true;
            self.docstring(toks)?;
        }
        if self.interesting {
            self.analyze(toks, ctx)?;
        }
        // A line ending in ':' opens a block for the lines indented under it.
        if matches!(toks.last(), Some(t) if t.kind == Kind::Op(Op::Colon)) {
            let scope = block_is_scope(toks);
            self.blocks.push(Block {
                indent: self.indent,
                scope,
            });
            if scope {
                self.scopes += 1;
            }
        }
        Ok(())
    }

    fn enter(&mut self, indent: usize) -> Ctx {
        while let Some(top) = self.blocks.last().copied() {
            if top.indent < indent {
                break;
            }
            self.blocks.pop();
            if top.scope {
                self.scopes = self.scopes.saturating_sub(1);
            }
        }
        if self.scopes > 0 {
            Ctx::Local
        } else if !self.blocks.is_empty() || indent > 0 {
            Ctx::Cond
        } else {
            Ctx::Top
        }
    }

    /// The first statement, if it is a string literal, is the module docstring.
    fn docstring(&mut self, toks: &[Tok]) -> Result<(), HeaderError> {
        if compound(toks).is_some() {
            return Ok(());
        }
        let Some(first) = split_top(toks, Op::Semi).next() else {
            return Ok(());
        };
        let inner = strip_group(first);
        if inner.is_empty() || !inner.iter().all(|t| t.kind == Kind::Str) {
            return Ok(());
        }
        let bytes = inner.iter().filter(|t| t.lit.bytes).count();
        if bytes == inner.len() {
            // A bytes constant is not a docstring.
            return Ok(());
        }
        if bytes > 0 {
            return Err(HeaderError::new(
                inner.first().map_or(1, |t| t.line),
                "cannot mix bytes and nonbytes literals",
            ));
        }
        let doc = self.concat(inner)?;
        if let Some(slot) = self.slots.get_mut(DOC) {
            *slot = Slot::Known {
                value: HeaderValue::Str(doc),
                list: false,
            };
        }
        Ok(())
    }

    fn analyze(&mut self, toks: &[Tok], ctx: Ctx) -> Result<(), HeaderError> {
        if let Some((colon, scope)) = compound(toks) {
            self.header(toks.get(..colon).unwrap_or_default(), ctx)?;
            let inner = if scope || ctx == Ctx::Local {
                Ctx::Local
            } else {
                Ctx::Cond
            };
            for s in split_top(toks.get(colon + 1..).unwrap_or_default(), Op::Semi) {
                self.simple(s, inner)?;
            }
        } else {
            for s in split_top(toks, Op::Semi) {
                self.simple(s, ctx)?;
            }
        }
        Ok(())
    }

    /// A compound statement's header runs in the enclosing context.
    fn header(&mut self, head: &[Tok], ctx: Ctx) -> Result<(), HeaderError> {
        let mut at = 0;
        if matches!(
            head.first().map(|t| t.kind),
            Some(Kind::Name(Word::Kw(Kw::Async)))
        ) {
            at = 1;
        }
        match head.get(at).map(|t| t.kind) {
            Some(Kind::Name(Word::Kw(Kw::Def | Kw::Class))) => {
                if let Some(name) = head.get(at + 1) {
                    self.bind(name, Bind::Other(WHY_DEF), ctx)?;
                }
            }
            Some(Kind::Name(Word::Kw(Kw::For))) => {
                let rest = head.get(at + 1..).unwrap_or_default();
                let end = top_position(rest, Kind::Name(Word::Kw(Kw::In))).unwrap_or(rest.len());
                self.bind_targets(
                    rest.get(..end).unwrap_or_default(),
                    Bind::Other(WHY_FOR),
                    ctx,
                )?;
            }
            Some(Kind::Name(Word::Kw(Kw::With | Kw::Except))) => self.as_targets(head, ctx)?,
            Some(Kind::Name(Word::Kw(Kw::Case))) => {
                for (i, t) in head.iter().enumerate().skip(1) {
                    let prev = i.checked_sub(1).and_then(|j| head.get(j)).map(|p| p.kind);
                    let next = head.get(i + 1).map(|n| n.kind);
                    if is_header_like(t.kind)
                        && prev != Some(Kind::Op(Op::Dot))
                        && next != Some(Kind::Op(Op::Dot))
                    {
                        self.bind(t, Bind::Other(WHY_CASE), ctx)?;
                    }
                }
            }
            _ => {}
        }
        self.scan(head, ctx, false)
    }

    fn as_targets(&mut self, head: &[Tok], ctx: Ctx) -> Result<(), HeaderError> {
        for (i, t) in head.iter().enumerate() {
            if t.kind != Kind::Name(Word::Kw(Kw::As)) {
                continue;
            }
            let rest = head.get(i + 1..).unwrap_or_default();
            let mut depth = 0usize;
            let mut end = rest.len();
            for (j, u) in rest.iter().enumerate() {
                if opens(u.kind) {
                    depth += 1;
                } else if closes(u.kind) {
                    if depth == 0 {
                        end = j;
                        break;
                    }
                    depth -= 1;
                } else if depth == 0 && matches!(u.kind, Kind::Op(Op::Comma | Op::Colon)) {
                    end = j;
                    break;
                }
            }
            self.bind_targets(
                rest.get(..end).unwrap_or_default(),
                Bind::Other(WHY_AS),
                ctx,
            )?;
        }
        Ok(())
    }

    fn simple(&mut self, s: &[Tok], ctx: Ctx) -> Result<(), HeaderError> {
        let Some(first) = s.first() else {
            return Ok(());
        };
        let rest = s.get(1..).unwrap_or_default();
        match first.kind {
            Kind::Name(Word::Kw(Kw::Global)) => {
                // At module level `global` changes nothing.
                if ctx == Ctx::Local {
                    if let Some(t) = rest.iter().find(|t| is_header_like(t.kind)) {
                        return Err(HeaderError::new(
                            t.line,
                            format!(
                                "`{}` is declared global inside a function or class body, so code there may assign it; {UNREADABLE}",
                                self.text(t)
                            ),
                        ));
                    }
                }
                return Ok(());
            }
            Kind::Name(Word::Kw(Kw::Import)) => {
                for item in split_top(rest, Op::Comma) {
                    let bound = match top_position(item, Kind::Name(Word::Kw(Kw::As))) {
                        Some(p) => item.get(p + 1),
                        None => item.first(),
                    };
                    if let Some(t) = bound {
                        self.bind(t, Bind::Other(WHY_IMPORT), ctx)?;
                    }
                }
                return self.scan(s, ctx, true);
            }
            Kind::Name(Word::Kw(Kw::From)) => {
                self.from_import(s, ctx)?;
                return self.scan(s, ctx, true);
            }
            Kind::Name(Word::Kw(Kw::Del)) => {
                for target in split_top(rest, Op::Comma) {
                    self.bind_targets(target, Bind::Del, ctx)?;
                }
                return self.scan(s, ctx, false);
            }
            Kind::Name(Word::Kw(Kw::Type))
                if matches!(s.get(1).map(|t| t.kind), Some(Kind::Name(_)))
                    && matches!(
                        s.get(2).map(|t| t.kind),
                        Some(Kind::Op(Op::Assign | Op::LSqb))
                    ) =>
            {
                if let Some(name) = s.get(1) {
                    self.bind(name, Bind::Other(WHY_TYPE), ctx)?;
                }
                return self.scan(s, ctx, false);
            }
            _ => {}
        }
        self.assignment(s, ctx)?;
        // After the assignment: a `:=` inside the statement may rebind again.
        self.scan(s, ctx, false)
    }

    fn from_import(&mut self, s: &[Tok], ctx: Ctx) -> Result<(), HeaderError> {
        let Some(imp) = top_position(s, Kind::Name(Word::Kw(Kw::Import))) else {
            return Ok(());
        };
        let module = s.get(1..imp).unwrap_or_default();
        let names = s.get(imp + 1..).unwrap_or_default();
        let names = unwrap(names, Op::LPar, Op::RPar).unwrap_or(names);
        if let [star] = names {
            if star.kind == Kind::Op(Op::Star) {
                if ctx == Ctx::Local {
                    return Ok(());
                }
                let safe = match module.first() {
                    Some(t) if matches!(t.kind, Kind::Name(_)) => {
                        SAFE_STAR_MODULES.contains(&self.text(t))
                    }
                    _ => false,
                };
                if !safe {
                    for slot in self.slots.iter_mut().take(DOC) {
                        *slot = Slot::Unknown {
                            line: star.line,
                            why: WHY_STAR.to_string(),
                        };
                    }
                }
                return Ok(());
            }
        }
        for item in split_top(names, Op::Comma) {
            let bound = match top_position(item, Kind::Name(Word::Kw(Kw::As))) {
                Some(p) => item.get(p + 1),
                None => item.first(),
            };
            if let Some(t) = bound {
                self.bind(t, Bind::Other(WHY_IMPORT), ctx)?;
            }
        }
        Ok(())
    }

    fn assignment(&mut self, s: &[Tok], ctx: Ctx) -> Result<(), HeaderError> {
        let mut depth = 0usize;
        let mut lambdas = 0usize;
        let mut eqs: Vec<usize> = Vec::new();
        let mut colon = None;
        let mut aug = None;
        for (i, t) in s.iter().enumerate() {
            match t.kind {
                k if opens(k) => depth += 1,
                k if closes(k) => depth = depth.saturating_sub(1),
                _ if depth > 0 => {}
                Kind::Name(Word::Kw(Kw::Lambda)) => lambdas += 1,
                Kind::Op(Op::Colon) => {
                    if lambdas > 0 {
                        lambdas -= 1;
                    } else if colon.is_none() && eqs.is_empty() {
                        colon = Some(i);
                    }
                }
                // `=` between `lambda` and its colon is a parameter default.
                Kind::Op(Op::Assign) if lambdas == 0 => eqs.push(i),
                Kind::Op(Op::AugAssign) if aug.is_none() && eqs.is_empty() => aug = Some(i),
                _ => {}
            }
        }
        if let Some(a) = aug {
            return self.bind_targets(s.get(..a).unwrap_or_default(), Bind::Other(WHY_AUG), ctx);
        }
        let Some(&last) = eqs.last() else {
            // An expression, or an annotation without a value (binds nothing).
            return Ok(());
        };
        let value = s.get(last + 1..).unwrap_or_default();
        if let Some(c) = colon {
            return self.bind_targets(s.get(..c).unwrap_or_default(), Bind::Assign(value), ctx);
        }
        let mut start = 0;
        for &e in &eqs {
            self.bind_targets(s.get(start..e).unwrap_or_default(), Bind::Assign(value), ctx)?;
            start = e + 1;
        }
        Ok(())
    }

    fn bind_targets(&mut self, target: &[Tok], how: Bind<'_>, ctx: Ctx) -> Result<(), HeaderError> {
        let mut names = Vec::new();
        target_names(target, &mut names);
        let plain = strip_group(target).len() == 1;
        for i in names {
            let Some(t) = target.get(i) else { continue };
            let how = match how {
                Bind::Assign(_) | Bind::Del if !plain => Bind::Other(WHY_UNPACK),
                other => other,
            };
            self.bind(t, how, ctx)?;
        }
        Ok(())
    }

    /// Records that statement code binds the name `t` in context `ctx`.
    fn bind(&mut self, t: &Tok, how: Bind<'_>, ctx: Ctx) -> Result<(), HeaderError> {
        if ctx == Ctx::Local {
            return Ok(());
        }
        let slot = match t.kind {
            Kind::Name(Word::Header(i)) => i,
            Kind::Name(Word::NonAscii) => {
                return Err(HeaderError::new(
                    t.line,
                    format!(
                        "non-ASCII name `{}` is bound at module level; Python normalises identifiers (NFKC), so it may be a header name and the header cannot be read without running Python",
                        self.text(t)
                    ),
                ))
            }
            _ => return Ok(()),
        };
        let unknown = |why: &str| Slot::Unknown {
            line: t.line,
            why: why.to_string(),
        };
        let new = match (ctx, how) {
            (Ctx::Top, Bind::Assign(value)) => match self.eval(value, slot)? {
                Eval::Value(value, list) => Slot::Known { value, list },
                Eval::NotStatic(why) => unknown(why),
            },
            (Ctx::Top, Bind::Del) => match self.slots.get(slot) {
                _ if slot == DOC => {
                    return Err(HeaderError::new(
                        t.line,
                        format!("`__doc__` is deleted; {UNREADABLE}"),
                    ))
                }
                Some(Slot::Known { .. }) => Slot::Unset,
                Some(Slot::Unknown { line, why }) => Slot::Unknown {
                    line: *line,
                    why: why.clone(),
                },
                _ => {
                    return Err(HeaderError::new(
                        t.line,
                        format!("`{}` is deleted before it is assigned", name_of(slot)),
                    ))
                }
            },
            (Ctx::Top, Bind::Other(why)) => unknown(why),
            _ => unknown(WHY_COND),
        };
        if let Some(s) = self.slots.get_mut(slot) {
            *s = new;
        }
        Ok(())
    }

    /// Checks every name in a statement: `:=` targets, dynamic namespace
    /// access, and uses of header names as values.
    fn scan(&mut self, s: &[Tok], ctx: Ctx, skip_loads: bool) -> Result<(), HeaderError> {
        for (i, t) in s.iter().enumerate() {
            let Kind::Name(w) = t.kind else { continue };
            let prev = i.checked_sub(1).and_then(|j| s.get(j)).map(|p| p.kind);
            if prev == Some(Kind::Op(Op::Dot)) {
                continue;
            }
            let next = s.get(i + 1).map(|n| n.kind);
            match w {
                Word::Dyn { anywhere } if anywhere || ctx != Ctx::Local => {
                    return Err(HeaderError::new(
                        t.line,
                        format!(
                            "the script uses `{}`, which can change header names at run time; {UNREADABLE}",
                            self.text(t)
                        ),
                    ));
                }
                Word::Header(_) | Word::NonAscii if next == Some(Kind::Op(Op::Walrus)) => {
                    self.bind(t, Bind::Other(WHY_WALRUS), ctx)?;
                }
                Word::Header(slot) if !skip_loads && is_load(prev, next) => {
                    if let Some(l) = self.loads.get_mut(slot) {
                        l.get_or_insert(t.line);
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn eval(&self, value: &[Tok], slot: usize) -> Result<Eval, HeaderError> {
        let v = strip_group(value);
        let out = if let Some(inner) = unwrap(v, Op::LSqb, Op::RSqb) {
            self.seq(inner, true)?
        } else if let Some(inner) = unwrap(v, Op::LPar, Op::RPar) {
            // strip_group left it: an empty or comma-separated tuple.
            self.seq(inner, false)?
        } else if top_position(v, Kind::Op(Op::Comma)).is_some() {
            self.seq(v, false)?
        } else if matches!(v, [t] if t.kind == Kind::Name(Word::Kw(Kw::NoneLit))) {
            Eval::Value(HeaderValue::None, false)
        } else {
            match self.string(v)? {
                Ok(s) => Eval::Value(HeaderValue::Str(s), false),
                Err(why) => Eval::NotStatic(why),
            }
        };
        if slot == DOC && matches!(out, Eval::Value(HeaderValue::Seq(_), _)) {
            return Ok(Eval::NotStatic(WHY_DOC_SEQ));
        }
        Ok(out)
    }

    fn seq(&self, inner: &[Tok], list: bool) -> Result<Eval, HeaderError> {
        let mut out = Vec::new();
        let mut parts = split_top(inner, Op::Comma).peekable();
        while let Some(part) = parts.next() {
            if part.is_empty() {
                // Only `()`/`[]` or the part after a trailing comma may be empty.
                if parts.peek().is_none() && (!out.is_empty() || inner.is_empty()) {
                    break;
                }
                return Ok(Eval::NotStatic(WHY_NOT_LITERAL));
            }
            match self.string(strip_group(part))? {
                Ok(s) => out.push(s),
                Err(why) => return Ok(Eval::NotStatic(why)),
            }
        }
        Ok(Eval::Value(HeaderValue::Seq(out), list))
    }

    /// One string literal or an implicit concatenation of several.
    fn string(&self, v: &[Tok]) -> Result<Result<String, &'static str>, HeaderError> {
        if v.is_empty() || !v.iter().all(|t| t.kind == Kind::Str) {
            return Ok(Err(WHY_NOT_LITERAL));
        }
        let bytes = v.iter().filter(|t| t.lit.bytes).count();
        if bytes == v.len() {
            return Ok(Err(WHY_BYTES));
        }
        if bytes > 0 {
            return Err(HeaderError::new(
                v.first().map_or(1, |t| t.line),
                "cannot mix bytes and nonbytes literals",
            ));
        }
        self.concat(v).map(Ok)
    }

    fn concat(&self, v: &[Tok]) -> Result<String, HeaderError> {
        let mut out = String::new();
        for t in v {
            let q = if t.lit.triple { 3 } else { 1 };
            let body = t
                .end
                .checked_sub(q)
                .and_then(|end| self.src.get(t.start + usize::from(t.lit.prefix) + q..end))
                .ok_or_else(|| HeaderError::new(t.line, "malformed string literal"))?;
            if t.lit.raw {
                out.push_str(body);
            } else {
                unescape(body, &mut out, t.line)?;
            }
        }
        Ok(out)
    }

    fn finish(self) -> Result<Header, HeaderError> {
        let mut first: Option<HeaderError> = None;
        for (i, slot) in self.slots.iter().enumerate() {
            let name = name_of(i);
            let err = match slot {
                Slot::Unknown { line, why } => Some(HeaderError::new(
                    *line,
                    format!("`{name}` {why}, {UNREADABLE}"),
                )),
                Slot::Known { list: true, .. } => self.loads.get(i).copied().flatten().map(|l| {
                    HeaderError::new(
                        l,
                        format!(
                            "`{name}` holds a list that the script also uses as a value, so the script may change it at run time; {UNREADABLE} (a tuple avoids this)"
                        ),
                    )
                }),
                _ => None,
            };
            if let Some(e) = err {
                if first.as_ref().map_or(true, |f| e.line < f.line) {
                    first = Some(e);
                }
            }
        }
        if let Some(e) = first {
            return Err(e);
        }
        let [revision, down_revision, branch_labels, depends_on, doc] = self.slots;
        Ok(Header {
            revision: revision.value(),
            down_revision: down_revision.value(),
            branch_labels: branch_labels.value(),
            depends_on: depends_on.value(),
            docstring: match doc.value() {
                Some(HeaderValue::Str(s)) => Some(s),
                _ => None,
            },
        })
    }
}

/// Python's escape processing for a non-raw str literal body.
fn unescape(body: &str, out: &mut String, line: usize) -> Result<(), HeaderError> {
    let mut rest = body;
    while let Some(p) = rest.find('\\') {
        out.push_str(rest.get(..p).unwrap_or_default());
        let mut chars = rest.get(p + 1..).unwrap_or_default().chars();
        let Some(c) = chars.next() else {
            return Err(HeaderError::new(line, "string ends with a lone backslash"));
        };
        rest = chars.as_str();
        match c {
            '\n' => {}
            '\\' | '\'' | '"' => out.push(c),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut v = c.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match rest.as_bytes().first() {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            rest = rest.get(1..).unwrap_or_default();
                        }
                        _ => break,
                    }
                }
                // At most 0o777, always a valid scalar value.
                out.push(char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            'x' | 'u' | 'U' => {
                let n = match c {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let digits = rest
                    .get(..n)
                    .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
                let Some(v) = digits.and_then(|d| u32::from_str_radix(d, 16).ok()) else {
                    return Err(HeaderError::new(
                        line,
                        format!("truncated \\{c} escape in a string literal"),
                    ));
                };
                rest = rest.get(n..).unwrap_or_default();
                match char::from_u32(v) {
                    Some(ch) => out.push(ch),
                    None if v > 0x10FFFF => {
                        return Err(HeaderError::new(
                            line,
                            "illegal Unicode character escape in a string literal",
                        ))
                    }
                    None => {
                        return Err(HeaderError::new(
                            line,
                            "a string literal holds a lone surrogate escape, which retort cannot represent",
                        ))
                    }
                }
            }
            'N' => {
                return Err(HeaderError::new(
                    line,
                    "\\N{...} escapes are not supported in header strings and docstrings (write the character itself)",
                ))
            }
            // Unknown escapes keep their backslash.
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out.push_str(rest);
    Ok(())
}
