//! Reader for `.ini` files with the semantics of Python 3.11's default
//! `configparser.ConfigParser`, which is what alembic uses for `alembic.ini`.
//!
//! Mirrored settings: `BasicInterpolation`, `strict=True`, delimiters `=` and
//! `:`, full-line comments starting with `#` or `;` (no inline comments),
//! `empty_lines_in_values=True`, `allow_no_value=False`, lower-cased option
//! names, case-sensitive section names and the special `[DEFAULT]` section.
//! Constructor defaults (alembic passes `{"here": <dir of the ini>}`) behave
//! like `[DEFAULT]` entries that the file may override.
//!
//! Whitespace, line splitting and regex matching follow CPython exactly:
//! "whitespace" is `str.isspace()` (which is not Rust's `char::is_whitespace`),
//! lines are split with universal newlines (`\n`, `\r\n`, `\r`), and
//! indentation is measured in characters, not bytes.

use std::collections::{HashMap, HashSet};
use std::fmt;

/// Python's `configparser.MAX_INTERPOLATION_DEPTH`.
pub const MAX_INTERPOLATION_DEPTH: usize = 10;

/// Name of the special section holding defaults (Python's `DEFAULTSECT`).
pub const DEFAULT_SECTION: &str = "DEFAULT";

/// Upper bound on the work (bytes scanned or produced) for expanding one value.
/// Python has no such limit, but a few lines like `a = %(b)s%(b)s...` nested
/// ten deep would otherwise take exponential time and memory; no real config
/// comes anywhere near this.
const INTERPOLATION_BUDGET: usize = 1 << 22;

/// How many malformed lines a [`IniError::Parsing`] message lists in full.
const MAX_LISTED_PARSE_ERRORS: usize = 5;

/// Errors from parsing or interpolating. Every message is a single line; the
/// caller adds the file path.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum IniError {
    /// Python: `MissingSectionHeaderError`.
    #[error(
        "line {line}: file contains no section headers: expected a [section] header before {}{}",
        Repr(.text),
        bom_hint(.text)
    )]
    MissingSectionHeader { line: usize, text: String },

    /// Python: `ParsingError` (collects every malformed line of the file).
    #[error("{}", ParseErrors(.errors))]
    Parsing { errors: Vec<(usize, String)> },

    /// Python: `DuplicateSectionError` (strict mode).
    #[error("line {line}: section {} already exists", Repr(.section))]
    DuplicateSection { section: String, line: usize },

    /// Python: `DuplicateOptionError` (strict mode).
    #[error(
        "line {line}: option {} in section {} already exists",
        Repr(.option),
        Repr(.section)
    )]
    DuplicateOption {
        section: String,
        option: String,
        line: usize,
    },

    /// Python: `NoSectionError` (only from [`Ini::items`]).
    #[error("No section: {}", Repr(.section))]
    NoSection { section: String },

    /// Python: `InterpolationSyntaxError`.
    #[error(
        "bad interpolation syntax in option {} in section {}: {detail} (write '%%' for a literal '%')",
        Repr(.option),
        Repr(.section)
    )]
    InterpolationSyntax {
        section: String,
        option: String,
        detail: String,
    },

    /// Python: `InterpolationMissingOptionError`.
    #[error(
        "Bad value substitution: option {} in section {} contains an interpolation key {} which is not a valid option name. Raw value: {}",
        Repr(.option),
        Repr(.section),
        Repr(.reference),
        Repr(.raw)
    )]
    InterpolationMissingOption {
        section: String,
        option: String,
        reference: String,
        raw: String,
    },

    /// Python: `InterpolationDepthError`.
    #[error(
        "Recursion limit exceeded in value substitution: option {} in section {} contains an interpolation key which cannot be substituted in {MAX_INTERPOLATION_DEPTH} steps. Raw value: {}",
        Repr(.option),
        Repr(.section),
        Repr(.raw)
    )]
    InterpolationDepth {
        section: String,
        option: String,
        raw: String,
    },

    /// No Python equivalent (Python would hang or run out of memory).
    #[error(
        "value substitution for option {} in section {} expands to an excessively large value (more than {INTERPOLATION_BUDGET} bytes of work)",
        Repr(.option),
        Repr(.section)
    )]
    InterpolationTooLarge { section: String, option: String },

    /// Python: the `ValueError` from `BasicInterpolation.before_set` (only
    /// from [`Ini::try_set`]); `position` is Python's, counted in characters.
    #[error(
        "invalid interpolation syntax in {} at position {position} (option {} in section {}; write '%%' for a literal '%')",
        Repr(.value),
        Repr(.option),
        Repr(.section)
    )]
    InvalidValue {
        section: String,
        option: String,
        value: String,
        position: usize,
    },
}

/// Options of one section (or of DEFAULT), in insertion order like a Python
/// dict: re-assigning a key keeps its original position.
#[derive(Debug, Clone, Default)]
struct OptionMap {
    entries: Vec<(String, String)>,
    index: HashMap<String, usize>,
}

impl OptionMap {
    fn get(&self, key: &str) -> Option<&str> {
        let &i = self.index.get(key)?;
        self.entries.get(i).map(|(_, v)| v.as_str())
    }

    fn contains(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// Insert or overwrite; returns the entry's index.
    fn insert(&mut self, key: String, value: String) -> usize {
        if let Some(&i) = self.index.get(&key) {
            if let Some(entry) = self.entries.get_mut(i) {
                entry.1 = value;
                return i;
            }
        }
        let i = self.entries.len();
        self.index.insert(key.clone(), i);
        self.entries.push((key, value));
        i
    }

    fn value_mut(&mut self, i: usize) -> Option<&mut String> {
        self.entries.get_mut(i).map(|(_, v)| v)
    }
}

#[derive(Debug, Clone, Default)]
struct Section {
    name: String,
    options: OptionMap,
}

/// A parsed ini file plus the constructor defaults.
#[derive(Debug, Clone, Default)]
pub struct Ini {
    /// Constructor defaults followed by `[DEFAULT]` entries from the file.
    defaults: OptionMap,
    /// Sections in file order (never contains DEFAULT).
    sections: Vec<Section>,
    section_index: HashMap<String, usize>,
}

/// Which dict the parser is currently filling (Python's `cursect`).
#[derive(Debug, Clone, Copy)]
enum Target {
    Defaults,
    Section(usize),
}

/// The option dicts a value is interpolated against (Python's ChainMap of
/// section then defaults).
#[derive(Clone, Copy)]
struct Scope<'a, 's> {
    section_name: &'s str,
    section: Option<&'a OptionMap>,
    defaults: &'a OptionMap,
}

impl<'a> Scope<'a, '_> {
    fn lookup(&self, key: &str) -> Option<&'a str> {
        self.section
            .and_then(|s| s.get(key))
            .or_else(|| self.defaults.get(key))
    }
}

impl Ini {
    /// Parse ini text. `defaults` are the ConfigParser constructor defaults (e.g. [("here", "/abs/dir")]).
    pub fn parse(text: &str, defaults: &[(&str, &str)]) -> Result<Ini, IniError> {
        let mut ini = Ini::empty(defaults);
        ini.read(text)?;
        Ok(ini)
    }

    /// An empty parser with only the given defaults (Python: ConfigParser(defaults) with no file read).
    pub fn empty(defaults: &[(&str, &str)]) -> Ini {
        let mut ini = Ini::default();
        for (key, value) in defaults {
            // Constructor defaults are stored verbatim (no stripping, no
            // syntax check), only the key goes through optionxform.
            ini.defaults.insert(optionxform(key), (*value).to_string());
        }
        ini
    }

    pub fn has_section(&self, section: &str) -> bool {
        self.section_index.contains_key(section)
    }

    /// Section names in file order, excluding DEFAULT.
    pub fn section_names(&self) -> Vec<&str> {
        self.sections.iter().map(|s| s.name.as_str()).collect()
    }

    /// Like Python `has_option`: an empty section name or DEFAULT checks the
    /// defaults; other sections also see the defaults.
    pub fn has_option(&self, section: &str, option: &str) -> bool {
        let key = optionxform(option);
        if section.is_empty() || section == DEFAULT_SECTION {
            return self.defaults.contains(&key);
        }
        match self.section(section) {
            Some(s) => s.contains(&key) || self.defaults.contains(&key),
            None => false,
        }
    }

    /// Interpolated value; Ok(None) when the section or the option is missing.
    pub fn get(&self, section: &str, option: &str) -> Result<Option<String>, IniError> {
        let Some(scope) = self.scope(section) else {
            return Ok(None);
        };
        let key = optionxform(option);
        match scope.lookup(&key) {
            Some(raw) => interpolate(scope, &key, raw).map(Some),
            None => Ok(None),
        }
    }

    /// Raw (uninterpolated) value.
    pub fn get_raw(&self, section: &str, option: &str) -> Option<&str> {
        self.scope(section)?.lookup(&optionxform(option))
    }

    /// Like Python `items(section)`: defaults first merged with the section's options, Python's order, interpolated.
    pub fn items(&self, section: &str) -> Result<Vec<(String, String)>, IniError> {
        let scope = self.scope(section).ok_or_else(|| IniError::NoSection {
            section: section.to_string(),
        })?;
        self.merged_keys(scope)
            .into_iter()
            .map(|key| {
                let raw = scope.lookup(key).unwrap_or_default();
                Ok((key.to_string(), interpolate(scope, key, raw)?))
            })
            .collect()
    }

    /// Like Python `items(section, raw=True)`.
    pub fn items_raw(&self, section: &str) -> Option<Vec<(&str, &str)>> {
        let scope = self.scope(section)?;
        Some(
            self.merged_keys(scope)
                .into_iter()
                .map(|key| (key, scope.lookup(key).unwrap_or_default()))
                .collect(),
        )
    }

    /// Like Python `options(section)`: the section's own option names, then
    /// default names it does not override. None for a missing section and,
    /// as in Python, for DEFAULT.
    pub fn options(&self, section: &str) -> Option<Vec<&str>> {
        let own = self.section(section)?;
        let mut names: Vec<&str> = own.entries.iter().map(|(k, _)| k.as_str()).collect();
        names.extend(
            self.defaults
                .entries
                .iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| !own.contains(k)),
        );
        Some(names)
    }

    /// Raw defaults (constructor defaults plus `[DEFAULT]`), in Python's order.
    pub fn defaults(&self) -> Vec<(&str, &str)> {
        self.defaults
            .entries
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    /// Like `ConfigParser.set` (creates the section if missing, as alembic's set_section_option does).
    ///
    /// An empty section name or DEFAULT sets a default, as in Python. The
    /// value is stored as given; use [`Ini::try_set`] to also get Python's
    /// up-front check of the `%` syntax.
    pub fn set(&mut self, section: &str, option: &str, value: &str) {
        let key = optionxform(option);
        if section.is_empty() || section == DEFAULT_SECTION {
            self.defaults.insert(key, value.to_string());
            return;
        }
        let i = match self.section_index.get(section) {
            Some(&i) => i,
            None => {
                let i = self.sections.len();
                self.sections.push(Section {
                    name: section.to_string(),
                    options: OptionMap::default(),
                });
                self.section_index.insert(section.to_string(), i);
                i
            }
        };
        if let Some(s) = self.sections.get_mut(i) {
            s.options.insert(key, value.to_string());
        }
    }

    /// [`Ini::set`] preceded by `BasicInterpolation.before_set`'s check: a
    /// `%` that is neither `%%` nor part of `%(name)s` is rejected.
    pub fn try_set(&mut self, section: &str, option: &str, value: &str) -> Result<(), IniError> {
        if let Some(position) = invalid_percent_position(value) {
            return Err(IniError::InvalidValue {
                section: section.to_string(),
                option: option.to_string(),
                value: value.to_string(),
                position,
            });
        }
        self.set(section, option, value);
        Ok(())
    }

    fn section(&self, name: &str) -> Option<&OptionMap> {
        let &i = self.section_index.get(name)?;
        self.sections.get(i).map(|s| &s.options)
    }

    /// Python's `_unify_values`: DEFAULT is readable like a section with no
    /// options of its own; any other unknown name is a missing section.
    fn scope<'a, 's>(&'a self, section: &'s str) -> Option<Scope<'a, 's>> {
        let own = if section == DEFAULT_SECTION {
            None
        } else {
            Some(self.section(section)?)
        };
        Some(Scope {
            section_name: section,
            section: own,
            defaults: &self.defaults,
        })
    }

    /// Key order of Python's `d = defaults.copy(); d.update(section)`.
    fn merged_keys<'a>(&'a self, scope: Scope<'a, '_>) -> Vec<&'a str> {
        let mut keys: Vec<&str> = self
            .defaults
            .entries
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        if let Some(own) = scope.section {
            keys.extend(
                own.entries
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .filter(|k| !self.defaults.contains(k)),
            );
        }
        keys
    }

    fn target_mut(&mut self, target: Target) -> Option<&mut OptionMap> {
        match target {
            Target::Defaults => Some(&mut self.defaults),
            Target::Section(i) => self.sections.get_mut(i).map(|s| &mut s.options),
        }
    }

    /// Python's `RawConfigParser._read` followed by `_join_multiline_values`.
    fn read(&mut self, text: &str) -> Result<(), IniError> {
        // Python's `elements_added`, split by kind.
        let mut added_sections: HashSet<String> = HashSet::new();
        let mut added_options: HashSet<(String, String)> = HashSet::new();
        // Every value this read assigned; only these get the final rstrip
        // (constructor defaults are kept verbatim).
        let mut assigned: Vec<(Target, usize)> = Vec::new();
        let mut cursect: Option<Target> = None;
        let mut sectname = String::new();
        // Index of the current option, only while its name is non-empty
        // (Python tests `optname` for truthiness).
        let mut cur_opt: Option<usize> = None;
        let mut indent_level = 0usize;
        let mut errors: Vec<(usize, String)> = Vec::new();

        for (lineno, line) in universal_lines(text).enumerate() {
            let lineno = lineno + 1;
            let stripped = py_strip(line);
            let is_comment = stripped.starts_with('#') || stripped.starts_with(';');
            let value = if is_comment { "" } else { stripped };

            if value.is_empty() {
                // Blank lines belong to the current value (and are rstripped
                // away at the end if trailing); comment lines are dropped.
                if !is_comment {
                    if let (Some(target), Some(opt)) = (cursect, cur_opt) {
                        if let Some(v) = self.target_mut(target).and_then(|m| m.value_mut(opt)) {
                            v.push('\n');
                        }
                    }
                }
                continue;
            }

            let cur_indent = line.chars().take_while(|&c| py_isspace(c)).count();
            if let (Some(target), Some(opt)) = (cursect, cur_opt) {
                if cur_indent > indent_level {
                    if let Some(v) = self.target_mut(target).and_then(|m| m.value_mut(opt)) {
                        v.push('\n');
                        v.push_str(value);
                    }
                    continue;
                }
            }

            indent_level = cur_indent;
            if let Some(header) = section_header(value) {
                if let Some(&i) = self.section_index.get(header) {
                    if added_sections.contains(header) {
                        return Err(IniError::DuplicateSection {
                            section: header.to_string(),
                            line: lineno,
                        });
                    }
                    added_sections.insert(header.to_string());
                    cursect = Some(Target::Section(i));
                } else if header == DEFAULT_SECTION {
                    // DEFAULT may be reopened; only its options are checked
                    // for duplicates.
                    cursect = Some(Target::Defaults);
                } else {
                    let i = self.sections.len();
                    self.sections.push(Section {
                        name: header.to_string(),
                        options: OptionMap::default(),
                    });
                    self.section_index.insert(header.to_string(), i);
                    added_sections.insert(header.to_string());
                    cursect = Some(Target::Section(i));
                }
                sectname = header.to_string();
                cur_opt = None;
            } else if let Some(target) = cursect {
                let Some((name, optval)) = split_option(value) else {
                    // Python keeps going and reports all such lines at the end.
                    errors.push((lineno, line.to_string()));
                    continue;
                };
                if name.is_empty() {
                    // Python records the error but still stores the option
                    // under the empty name (so a second one is a duplicate).
                    errors.push((lineno, line.to_string()));
                }
                let key = optionxform(name);
                if !added_options.insert((sectname.clone(), key.clone())) {
                    return Err(IniError::DuplicateOption {
                        section: sectname,
                        option: key,
                        line: lineno,
                    });
                }
                let is_named = !key.is_empty();
                let Some(map) = self.target_mut(target) else {
                    continue;
                };
                let i = map.insert(key, optval.to_string());
                assigned.push((target, i));
                cur_opt = is_named.then_some(i);
            } else {
                return Err(IniError::MissingSectionHeader {
                    line: lineno,
                    text: line.to_string(),
                });
            }
        }

        // `_join_multiline_values`: trailing blank lines and whitespace go.
        for (target, i) in assigned {
            if let Some(v) = self.target_mut(target).and_then(|m| m.value_mut(i)) {
                let keep = py_rstrip(v).len();
                v.truncate(keep);
            }
        }

        if errors.is_empty() {
            Ok(())
        } else {
            Err(IniError::Parsing { errors })
        }
    }
}

/// Python's `optionxform`: `str.lower()`.
fn optionxform(option: &str) -> String {
    option.to_lowercase()
}

/// Python's `str.isspace()`, which is also what `\s` matches in `re` (it
/// includes U+001C..U+001F, unlike Rust's `char::is_whitespace`).
fn py_isspace(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1c}'..='\u{20}'
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(py_isspace)
}

fn py_rstrip(s: &str) -> &str {
    s.trim_end_matches(py_isspace)
}

/// Lines as Python's text-mode file iteration yields them (universal
/// newlines: `\r\n`, `\r` and `\n` all end a line), without terminators.
fn universal_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find(['\r', '\n']) {
            None => {
                let line = rest;
                rest = "";
                Some(line)
            }
            Some(i) => {
                let line = &rest[..i];
                let terminator = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + terminator..];
                Some(line)
            }
        }
    })
}

/// `SECTCRE = \[(?P<header>.+)\]` applied with `re.match` to a stripped line:
/// anchored at the start only, and the greedy `.+` makes the header run up to
/// the last `]`, so `[a] b` is section `a` and `[a]b]` is section `a]b`.
fn section_header(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('[')?;
    let end = inner.rfind(']')?;
    // `.+` needs at least one character.
    (end > 0).then(|| &inner[..end])
}

/// `OPTCRE` applied to a stripped line: the name runs up to the first `=` or
/// `:` (trailing whitespace removed), the value is the rest, stripped.
fn split_option(value: &str) -> Option<(&str, &str)> {
    let d = value.find(['=', ':'])?;
    Some((py_rstrip(&value[..d]), py_strip(&value[d + 1..])))
}

/// Matches `_KEYCRE = %\(([^)]+)\)s` at the start of `s`; returns the name and
/// the length of the match.
fn match_reference(s: &str) -> Option<(&str, usize)> {
    let body = s.strip_prefix("%(")?;
    let close = body.find(')')?;
    if close == 0 || !body[close + 1..].starts_with('s') {
        return None;
    }
    Some((&body[..close], 2 + close + 2))
}

/// `BasicInterpolation.before_get`.
fn interpolate(scope: Scope<'_, '_>, option: &str, value: &str) -> Result<String, IniError> {
    if !value.contains('%') {
        return Ok(value.to_string());
    }
    let mut out = String::new();
    let mut budget = INTERPOLATION_BUDGET;
    let interp = Interpolator {
        scope,
        option,
        top: value,
    };
    interp.expand(&mut out, value, 1, &mut budget)?;
    Ok(out)
}

struct Interpolator<'a> {
    scope: Scope<'a, 'a>,
    option: &'a str,
    /// The value being expanded, Python's fallback for `rawval`.
    top: &'a str,
}

impl Interpolator<'_> {
    /// Python's `rawval`: the option's raw value, for error messages.
    fn raw(&self) -> String {
        self.scope
            .lookup(self.option)
            .unwrap_or(self.top)
            .to_string()
    }

    fn charge(&self, budget: &mut usize, amount: usize) -> Result<(), IniError> {
        match budget.checked_sub(amount) {
            Some(left) => {
                *budget = left;
                Ok(())
            }
            None => Err(IniError::InterpolationTooLarge {
                section: self.scope.section_name.to_string(),
                option: self.option.to_string(),
            }),
        }
    }

    fn syntax_error(&self, detail: String) -> IniError {
        IniError::InterpolationSyntax {
            section: self.scope.section_name.to_string(),
            option: self.option.to_string(),
            detail,
        }
    }

    /// `BasicInterpolation._interpolate_some`. Recursion is bounded by
    /// MAX_INTERPOLATION_DEPTH.
    fn expand(
        &self,
        out: &mut String,
        mut rest: &str,
        depth: usize,
        budget: &mut usize,
    ) -> Result<(), IniError> {
        if depth > MAX_INTERPOLATION_DEPTH {
            return Err(IniError::InterpolationDepth {
                section: self.scope.section_name.to_string(),
                option: self.option.to_string(),
                raw: self.raw(),
            });
        }
        while !rest.is_empty() {
            let Some(p) = rest.find('%') else {
                self.charge(budget, rest.len())?;
                out.push_str(rest);
                return Ok(());
            };
            self.charge(budget, p)?;
            out.push_str(&rest[..p]);
            rest = &rest[p..];
            let after = &rest[1..];
            if after.starts_with('%') {
                self.charge(budget, 2)?;
                out.push('%');
                rest = &rest[2..];
            } else if after.starts_with('(') {
                let Some((name, len)) = match_reference(rest) else {
                    return Err(self.syntax_error(format!(
                        "bad interpolation variable reference {}",
                        Repr(rest)
                    )));
                };
                self.charge(budget, len)?;
                rest = &rest[len..];
                let var = optionxform(name);
                let Some(v) = self.scope.lookup(&var) else {
                    return Err(IniError::InterpolationMissingOption {
                        section: self.scope.section_name.to_string(),
                        option: self.option.to_string(),
                        reference: var,
                        raw: self.raw(),
                    });
                };
                if v.contains('%') {
                    self.expand(out, v, depth + 1, budget)?;
                } else {
                    self.charge(budget, v.len())?;
                    out.push_str(v);
                }
            } else {
                return Err(self.syntax_error(format!(
                    "'%' must be followed by '%' or '(', found: {}",
                    Repr(rest)
                )));
            }
        }
        Ok(())
    }
}

/// `BasicInterpolation.before_set`'s check: remove `%%`, then every valid
/// `%(name)s`; a remaining `%` is an error at that (character) position.
fn invalid_percent_position(value: &str) -> Option<usize> {
    let without_escapes = value.replace("%%", "");
    let mut rest = without_escapes.as_str();
    let mut tmp = String::with_capacity(rest.len());
    while let Some(p) = rest.find('%') {
        tmp.push_str(&rest[..p]);
        rest = &rest[p..];
        match match_reference(rest) {
            Some((_, len)) => rest = &rest[len..],
            None => {
                tmp.push('%');
                rest = &rest[1..];
            }
        }
    }
    tmp.push_str(rest);
    let byte = tmp.find('%')?;
    Some(tmp[..byte].chars().count())
}

/// Displays a string like Python's `repr()`, so messages stay on one line and
/// look like the ones alembic users know.
struct Repr<'a>(&'a str);

impl fmt::Display for Repr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        let s = self.0;
        let quote = if s.contains('\'') && !s.contains('"') {
            '"'
        } else {
            '\''
        };
        f.write_char(quote)?;
        for c in s.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c == quote => {
                    f.write_char('\\')?;
                    f.write_char(c)?;
                }
                c if is_unprintable(c) => {
                    let n = u32::from(c);
                    if n < 0x100 {
                        write!(f, "\\x{n:02x}")?;
                    } else if n < 0x10000 {
                        write!(f, "\\u{n:04x}")?;
                    } else {
                        write!(f, "\\U{n:08x}")?;
                    }
                }
                c => f.write_char(c)?,
            }
        }
        f.write_char(quote)
    }
}

/// Approximation of `not str.isprintable()`: controls, whitespace other than
/// space, and the invisible format characters likely to sneak into a file.
fn is_unprintable(c: char) -> bool {
    c.is_control()
        || (c != ' ' && (py_isspace(c) || c.is_whitespace()))
        || matches!(
            c,
            '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        )
}

fn bom_hint(text: &str) -> &'static str {
    if text.starts_with('\u{feff}') {
        " (the file starts with a UTF-8 byte order mark, which Python's configparser rejects too; save the file without it)"
    } else {
        ""
    }
}

struct ParseErrors<'a>(&'a [(usize, String)]);

impl fmt::Display for ParseErrors<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("source contains parsing errors:")?;
        for (n, (line, text)) in self.0.iter().take(MAX_LISTED_PARSE_ERRORS).enumerate() {
            let sep = if n == 0 { " " } else { ", " };
            write!(f, "{sep}[line {line}]: {}", Repr(text))?;
        }
        if self.0.len() > MAX_LISTED_PARSE_ERRORS {
            write!(f, " and {} more", self.0.len() - MAX_LISTED_PARSE_ERRORS)?;
        }
        f.write_str(
            " (each line must be a [section] header, a 'name = value' option, an indented continuation line, or a comment)",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: &str = "/srv/my app";

    fn parse(text: &str) -> Ini {
        match Ini::parse(text, &[("here", HERE)]) {
            Ok(ini) => ini,
            Err(e) => panic!("unexpected parse error for {text:?}: {e}"),
        }
    }

    fn parse_err(text: &str) -> IniError {
        match Ini::parse(text, &[("here", HERE)]) {
            Ok(ini) => panic!("expected an error for {text:?}, got {ini:?}"),
            Err(e) => e,
        }
    }

    fn get(ini: &Ini, section: &str, option: &str) -> Option<String> {
        match ini.get(section, option) {
            Ok(v) => v,
            Err(e) => panic!("get({section:?}, {option:?}) failed: {e}"),
        }
    }

    #[test]
    fn sections_options_and_case() {
        let ini = parse("[Alembic]\nScript_Location = migrations\n[other]\nA:1\n");
        assert_eq!(ini.section_names(), vec!["Alembic", "other"]);
        assert!(ini.has_section("Alembic"));
        assert!(!ini.has_section("alembic"));
        assert!(!ini.has_section("DEFAULT"));
        assert_eq!(
            get(&ini, "Alembic", "SCRIPT_LOCATION").as_deref(),
            Some("migrations")
        );
        assert_eq!(ini.get_raw("other", "a"), Some("1"));
        assert_eq!(get(&ini, "other", "missing"), None);
        assert_eq!(get(&ini, "nope", "a"), None);
        assert_eq!(ini.get_raw("nope", "a"), None);
        assert_eq!(ini.options("other"), Some(vec!["a", "here"]));
        assert_eq!(ini.options("DEFAULT"), None);
    }

    #[test]
    fn delimiters_and_stripping() {
        let ini = parse(
            "[s]\n  key with spaces  =  v a l  \nurl: postgresql://u:p@h/db?x=1\na: b = c\nd = e: f\nempty =\nempty2:\n",
        );
        assert_eq!(ini.get_raw("s", "key with spaces"), Some("v a l"));
        assert_eq!(ini.get_raw("s", "url"), Some("postgresql://u:p@h/db?x=1"));
        assert_eq!(ini.get_raw("s", "a"), Some("b = c"));
        assert_eq!(ini.get_raw("s", "d"), Some("e: f"));
        assert_eq!(ini.get_raw("s", "empty"), Some(""));
        assert_eq!(ini.get_raw("s", "empty2"), Some(""));
    }

    #[test]
    fn inline_comment_markers_are_kept() {
        let ini = parse("[s]\na = 1 # not a comment\nb = x ; y\n");
        assert_eq!(ini.get_raw("s", "a"), Some("1 # not a comment"));
        assert_eq!(ini.get_raw("s", "b"), Some("x ; y"));
    }

    #[test]
    fn continuation_lines() {
        let text = "[s]\nhooks = a\n    b\n\n\tc\n    # comment, dropped\n  ; also dropped\n\n  d\n\n\n[t]\nx = 1\n";
        let ini = parse(text);
        assert_eq!(ini.get_raw("s", "hooks"), Some("a\nb\n\nc\n\nd"));
        assert_eq!(ini.get_raw("t", "x"), Some("1"));
    }

    #[test]
    fn indentation_is_relative_to_the_option_line() {
        // Both options are indented the same, so the second is not a continuation.
        let ini = parse("[s]\n  a = 1\n  b = 2\n    c\n");
        assert_eq!(ini.get_raw("s", "a"), Some("1"));
        assert_eq!(ini.get_raw("s", "b"), Some("2\nc"));
        // An indented section header after an option is just more value.
        let ini = parse("[s]\na = 1\n  [t]\n");
        assert_eq!(ini.get_raw("s", "a"), Some("1\n[t]"));
        assert!(!ini.has_section("t"));
    }

    #[test]
    fn line_endings() {
        let ini = parse("[s]\r\na = 1\r\n  2\rb = 3\r");
        assert_eq!(ini.get_raw("s", "a"), Some("1\n2"));
        assert_eq!(ini.get_raw("s", "b"), Some("3"));
        // Other Unicode separators are not line breaks, only whitespace.
        let ini = parse("[s]\na = 1\u{2028}\u{1c}\n");
        assert_eq!(ini.get_raw("s", "a"), Some("1"));
    }

    #[test]
    fn section_header_forms() {
        let ini = parse("[a] trailing\nx=1\n[b]c]\ny=2\n[]]\nz=3\n[ spaced ]\nw=4\n");
        assert_eq!(ini.section_names(), vec!["a", "b]c", "]", " spaced "]);
        assert!(matches!(parse_err("[s]\n[]\n"), IniError::Parsing { .. }));
    }

    #[test]
    fn defaults_and_default_section() {
        let ini = parse(
            "[DEFAULT]\nHere = overridden\nshared = d\n[s]\nshared = s\n[DEFAULT]\nlate = l\n",
        );
        assert!(!ini.has_section("DEFAULT"));
        assert_eq!(ini.section_names(), vec!["s"]);
        assert!(ini.has_option("s", "late"));
        assert!(ini.has_option("DEFAULT", "shared"));
        assert!(ini.has_option("", "shared"));
        assert!(!ini.has_option("missing", "shared"));
        assert_eq!(ini.get_raw("s", "shared"), Some("s"));
        assert_eq!(ini.get_raw("DEFAULT", "shared"), Some("d"));
        assert_eq!(ini.get_raw("s", "here"), Some("overridden"));
        assert_eq!(
            ini.items_raw("s"),
            Some(vec![("here", "overridden"), ("shared", "s"), ("late", "l")])
        );
        assert_eq!(
            ini.defaults(),
            vec![("here", "overridden"), ("shared", "d"), ("late", "l")]
        );
    }

    #[test]
    fn constructor_defaults_are_verbatim() {
        let ini = Ini::parse("[s]\n", &[("Here", " /x/dir with space  ")]).unwrap_or_default();
        assert_eq!(ini.get_raw("s", "here"), Some(" /x/dir with space  "));
        let empty = Ini::empty(&[("here", "/h")]);
        assert!(empty.section_names().is_empty());
        assert_eq!(get(&empty, "DEFAULT", "here").as_deref(), Some("/h"));
        assert_eq!(get(&empty, "alembic", "here"), None);
    }

    #[test]
    fn interpolation() {
        let ini = parse(
            "[DEFAULT]\nbase = %(here)s/base\n[s]\nurl = sqlite:///%(base)s/db.sqlite\npct = 100%%\nchain = %(c1)s\nc1 = <%(C2)s>\nc2 = %%end\nlocal = %(base)s\nbase = local-base\n",
        );
        assert_eq!(
            get(&ini, "s", "url").as_deref(),
            Some("sqlite:///local-base/db.sqlite")
        );
        assert_eq!(
            get(&ini, "DEFAULT", "base").as_deref(),
            Some("/srv/my app/base")
        );
        assert_eq!(get(&ini, "s", "pct").as_deref(), Some("100%"));
        assert_eq!(get(&ini, "s", "chain").as_deref(), Some("<%end>"));
        assert_eq!(ini.get_raw("s", "pct"), Some("100%%"));
    }

    #[test]
    fn interpolation_errors() {
        let ini = parse(
            "[s]\nmissing = %(nope)s\nbad1 = 50%\nbad2 = %(open\nbad3 = %(x)d\nbad4 = %d\nloop = %(loop)s\n",
        );
        let err = |opt: &str| match ini.get("s", opt) {
            Err(e) => e,
            Ok(v) => panic!("expected error for {opt}, got {v:?}"),
        };
        assert_eq!(
            err("missing"),
            IniError::InterpolationMissingOption {
                section: "s".into(),
                option: "missing".into(),
                reference: "nope".into(),
                raw: "%(nope)s".into(),
            }
        );
        for opt in ["bad1", "bad2", "bad3", "bad4"] {
            assert!(
                matches!(err(opt), IniError::InterpolationSyntax { .. }),
                "{opt}"
            );
        }
        assert_eq!(
            err("loop"),
            IniError::InterpolationDepth {
                section: "s".into(),
                option: "loop".into(),
                raw: "%(loop)s".into(),
            }
        );
        assert!(ini.items("s").is_err());
        assert_eq!(
            ini.items("nope"),
            Err(IniError::NoSection {
                section: "nope".into()
            })
        );
    }

    #[test]
    fn interpolation_depth_boundary() {
        // a0 -> a1 -> ... ; a value at nesting level 10 may still contain
        // '%', level 11 may not (Python checks depth on entry).
        let chain = |n: usize| {
            let mut text = String::from("[s]\n");
            for i in 0..n {
                text.push_str(&format!("a{i} = %(a{})s\n", i + 1));
            }
            text.push_str(&format!("a{n} = %%\n"));
            text
        };
        assert_eq!(get(&parse(&chain(9)), "s", "a0").as_deref(), Some("%"));
        assert!(matches!(
            parse(&chain(10)).get("s", "a0"),
            Err(IniError::InterpolationDepth { .. })
        ));
    }

    #[test]
    fn interpolation_blowup_is_bounded() {
        let mut text = String::from("[s]\n");
        for i in 0..10 {
            text.push_str(&format!(
                "a{i} = {}\n",
                format!("%(a{})s", i + 1).repeat(20)
            ));
        }
        text.push_str("a10 = x\n");
        let ini = parse(&text);
        assert!(matches!(
            ini.get("s", "a0"),
            Err(IniError::InterpolationTooLarge { .. })
        ));
        assert_eq!(
            get(&ini, "s", "a9").as_deref(),
            Some("x".repeat(20).as_str())
        );
    }

    #[test]
    fn items_order_and_values() {
        let ini = parse("[DEFAULT]\nb = 2\n[s]\nz = %(b)s\nb = 3\na = 1\n");
        assert_eq!(
            ini.items("s"),
            Ok(vec![
                ("here".into(), HERE.into()),
                ("b".into(), "3".into()),
                ("z".into(), "3".into()),
                ("a".into(), "1".into()),
            ])
        );
        assert_eq!(
            ini.items("DEFAULT"),
            Ok(vec![("here".into(), HERE.into()), ("b".into(), "2".into())])
        );
    }

    #[test]
    fn structural_errors() {
        assert_eq!(
            parse_err("[s]\na = 1\n[t]\n[s]\n"),
            IniError::DuplicateSection {
                section: "s".into(),
                line: 4
            }
        );
        assert_eq!(
            parse_err("[s]\nA = 1\na = 2\n"),
            IniError::DuplicateOption {
                section: "s".into(),
                option: "a".into(),
                line: 3
            }
        );
        assert!(matches!(
            parse_err("[DEFAULT]\nx=1\n[DEFAULT]\nX=2\n"),
            IniError::DuplicateOption { .. }
        ));
        assert_eq!(
            parse_err("# header comment\n\na = 1\n[s]\n"),
            IniError::MissingSectionHeader {
                line: 3,
                text: "a = 1".into()
            }
        );
        assert_eq!(
            parse_err("[s]\nnovalue\na = 1\n  = x\nother\n"),
            IniError::Parsing {
                errors: vec![(2, "novalue".into()), (5, "other".into())]
            }
        );
        // Empty names are errors but still stored, so a second one is a
        // duplicate, raised at once like Python does.
        assert!(matches!(parse_err("[s]\n= a\n"), IniError::Parsing { .. }));
        assert!(matches!(
            parse_err("[s]\n= a\n: b\n"),
            IniError::DuplicateOption { .. }
        ));
        // A duplicate is raised immediately, ahead of earlier malformed lines.
        assert!(matches!(
            parse_err("[s]\nbogus\na=1\na=2\n"),
            IniError::DuplicateOption { .. }
        ));
    }

    #[test]
    fn bom_is_not_stripped() {
        // alembic reads with encoding="locale" (utf-8, not utf-8-sig), so
        // configparser sees U+FEFF and finds no section header.
        let err = parse_err("\u{feff}[alembic]\nscript_location = x\n");
        assert!(matches!(
            err,
            IniError::MissingSectionHeader { line: 1, .. }
        ));
        let msg = err.to_string();
        assert!(msg.contains("byte order mark"), "{msg}");
        assert!(msg.contains("\\ufeff[alembic]"), "{msg}");
    }

    #[test]
    fn error_messages_are_one_line() {
        let errors = [
            parse_err("x\n\ny"),
            parse_err("[s]\na\n\tb\nc\nd\ne\nf\ng\n"),
            parse_err("[s]\n[s]"),
            parse_err("[s]\na=1\na=2"),
            parse(&format!("[s]\na = line1\n  %(b)s\n  more\nb={}", "%(a)s"))
                .get("s", "a")
                .err()
                .unwrap_or(IniError::NoSection {
                    section: String::new(),
                }),
            parse("[s]\na = 1\n  50%\n")
                .get("s", "a")
                .err()
                .unwrap_or(IniError::NoSection {
                    section: String::new(),
                }),
            parse("[s]\na = %(x\n  y)s\n")
                .get("s", "a")
                .err()
                .unwrap_or(IniError::NoSection {
                    section: String::new(),
                }),
        ];
        for e in errors {
            let msg = e.to_string();
            assert!(!msg.contains('\n') && !msg.contains('\r'), "{msg}");
        }
        let msg = parse_err("[s]\nbad line\n").to_string();
        assert!(msg.contains("[line 2]: 'bad line'"), "{msg}");
        let msg = parse_err("[s]\na=1\na=2").to_string();
        assert_eq!(msg, "line 3: option 'a' in section 's' already exists");
        let many = parse_err("[s]\na\nb\nc\nd\ne\nf\ng\n").to_string();
        assert!(many.contains("and 2 more"), "{many}");
    }

    #[test]
    fn repr_matches_python() {
        assert_eq!(Repr("a'b").to_string(), "\"a'b\"");
        assert_eq!(Repr("a'\"b").to_string(), "'a\\'\"b'");
        assert_eq!(
            Repr("t\\\t\u{1}\u{feff}é").to_string(),
            "'t\\\\\\t\\x01\\ufeffé'"
        );
    }

    #[test]
    fn set_and_try_set() {
        let mut ini = parse("[alembic]\na = 1\nb = 2\n");
        ini.set("alembic", "A", "new");
        ini.set("alembic", "c", "3");
        assert_eq!(
            ini.items_raw("alembic"),
            Some(vec![("here", HERE), ("a", "new"), ("b", "2"), ("c", "3")])
        );
        ini.set("fresh", "Key", "%(here)s/x");
        assert_eq!(ini.section_names(), vec!["alembic", "fresh"]);
        assert_eq!(get(&ini, "fresh", "key").as_deref(), Some("/srv/my app/x"));
        ini.set("DEFAULT", "d", "dv");
        ini.set("", "e", "ev");
        assert!(!ini.has_section("DEFAULT"));
        assert_eq!(ini.get_raw("fresh", "d"), Some("dv"));
        assert_eq!(ini.get_raw("alembic", "e"), Some("ev"));

        assert!(ini.try_set("s", "ok", "100%% %(here)s").is_ok());
        assert_eq!(
            ini.try_set("s", "bad", "a%%%(x)s%b"),
            Err(IniError::InvalidValue {
                section: "s".into(),
                option: "bad".into(),
                value: "a%%%(x)s%b".into(),
                position: 1,
            })
        );
        assert_eq!(ini.get_raw("s", "bad"), None);
        assert!(ini.try_set("s", "bad", "%(").is_err());
        assert!(ini.try_set("s", "empty", "").is_ok());
    }

    #[test]
    fn unicode_whitespace_and_case() {
        // U+3000 counts as indentation (in characters), U+00A0 is stripped.
        let ini = parse("[s]\n\u{3000}Ä = \u{a0}v\u{a0}\n\u{3000}\u{3000}w\n");
        assert_eq!(ini.get_raw("s", "ä"), Some("v\nw"));
        // U+FEFF is not whitespace.
        assert!(matches!(
            parse_err("[s]\n\u{feff}\n"),
            IniError::Parsing { .. }
        ));
    }

    #[test]
    fn never_panics_on_garbage() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        let alphabet: Vec<char> = "[]=:%()s#;\n\r\t aA\u{feff}\u{3000}\u{85}é\u{10000}DEFAULT"
            .chars()
            .collect();
        for _ in 0..3000 {
            let len = rng.below(40);
            let text: String = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            if let Ok(ini) = Ini::parse(&text, &[("here", "%")]) {
                for name in ini.section_names() {
                    let _ = ini.items(name);
                    let _ = ini.options(name);
                }
                let _ = ini.items(DEFAULT_SECTION);
            } else if let Err(e) = Ini::parse(&text, &[]) {
                let _ = e.to_string();
            }
        }
    }

    /// Tiny deterministic PRNG so the generated cases are reproducible.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            if n == 0 {
                0
            } else {
                (self.next() % n as u64) as usize
            }
        }
    }

    // ---- differential testing against the real configparser ----

    /// Reads cases (`<hex here> <hex text>` per line) from stdin and prints,
    /// per case, either an error class name or a dump of every section, then
    /// `end`. Strings are hex-encoded UTF-8 with an `x` prefix.
    const PY_DUMP: &str = r#"
import sys, io, configparser
def h(s):
    return "x" + s.encode("utf-8", "surrogatepass").hex()
out = ["version %d %d" % sys.version_info[:2]]
for case in sys.stdin.buffer.read().decode("ascii").splitlines():
    here_hex, text_hex = case.split(" ")
    here = bytes.fromhex(here_hex).decode("utf-8")
    cp = configparser.ConfigParser({"here": here})
    try:
        # Like alembic's open(..., encoding="locale"): universal newlines, BOM kept.
        cp.read_file(io.TextIOWrapper(io.BytesIO(bytes.fromhex(text_hex)), encoding="utf-8"))
    except Exception as e:
        out.append("error " + type(e).__name__)
        out.append("end")
        continue
    for sect in ["DEFAULT"] + cp.sections():
        out.append("section " + h(sect))
        raw = cp.items(sect, raw=True)
        for k, v in raw:
            out.append("raw " + h(k) + " " + h(v))
        for k, _ in raw:
            try:
                out.append("get " + h(k) + " ok " + h(cp.get(sect, k)))
            except Exception as e:
                out.append("get " + h(k) + " err " + type(e).__name__)
        try:
            items = cp.items(sect)
            out.append("items ok")
            for k, v in items:
                out.append("item " + h(k) + " " + h(v))
        except Exception as e:
            out.append("items err " + type(e).__name__)
    out.append("end")
print("\n".join(out))
"#;

    fn hex(s: &str) -> String {
        s.bytes().map(|b| format!("{b:02x}")).collect()
    }

    fn h(s: &str) -> String {
        format!("x{}", hex(s))
    }

    fn py_kind(e: &IniError) -> &'static str {
        match e {
            IniError::MissingSectionHeader { .. } => "MissingSectionHeaderError",
            IniError::Parsing { .. } => "ParsingError",
            IniError::DuplicateSection { .. } => "DuplicateSectionError",
            IniError::DuplicateOption { .. } => "DuplicateOptionError",
            IniError::NoSection { .. } => "NoSectionError",
            IniError::InterpolationSyntax { .. } => "InterpolationSyntaxError",
            IniError::InterpolationMissingOption { .. } => "InterpolationMissingOptionError",
            IniError::InterpolationDepth { .. } => "InterpolationDepthError",
            IniError::InterpolationTooLarge { .. } => "InterpolationTooLarge",
            IniError::InvalidValue { .. } => "ValueError",
        }
    }

    /// Our side of PY_DUMP.
    fn rust_dump(here: &str, text: &str) -> String {
        let ini = match Ini::parse(text, &[("here", here)]) {
            Ok(ini) => ini,
            Err(e) => return format!("error {}\nend", py_kind(&e)),
        };
        let mut out = Vec::new();
        let mut names = vec![DEFAULT_SECTION];
        names.extend(ini.section_names());
        for sect in names {
            out.push(format!("section {}", h(sect)));
            let raw = ini.items_raw(sect).unwrap_or_default();
            for (k, v) in &raw {
                out.push(format!("raw {} {}", h(k), h(v)));
            }
            for (k, _) in &raw {
                match ini.get(sect, k) {
                    Ok(Some(v)) => out.push(format!("get {} ok {}", h(k), h(&v))),
                    Ok(None) => out.push(format!("get {} missing", h(k))),
                    Err(e) => out.push(format!("get {} err {}", h(k), py_kind(&e))),
                }
            }
            match ini.items(sect) {
                Ok(items) => {
                    out.push("items ok".to_string());
                    for (k, v) in items {
                        out.push(format!("item {} {}", h(&k), h(&v)));
                    }
                }
                Err(e) => out.push(format!("items err {}", py_kind(&e))),
            }
        }
        out.push("end".to_string());
        out.join("\n")
    }

    /// Missing or unusable Python: fatal on CI, a loud skip elsewhere.
    fn skip_without_python(reason: &str) {
        use std::io::Write;
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but the configparser differential test cannot run: {reason}");
        }
        // Written to the real stderr so it shows even when output is captured.
        let _ = writeln!(
            std::io::stderr(),
            "\n!!!!!!!! SKIPPING configparser differential test: {reason} !!!!!!!!\n"
        );
    }

    /// Runs PY_DUMP on all cases; None when no suitable Python is available.
    fn python_dumps(cases: &[(String, String)]) -> Option<Vec<String>> {
        use std::io::Write;
        use std::process::{Command, Stdio};

        // RETORT_TEST_PYTHON picks another interpreter (e.g. to try 3.13).
        let python = std::env::var("RETORT_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let child = Command::new(&python)
            .arg("-c")
            .arg(PY_DUMP)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match child {
            Ok(child) => child,
            Err(e) => {
                skip_without_python(&format!("cannot run {python}: {e}"));
                return None;
            }
        };
        let input: String = cases
            .iter()
            .map(|(here, text)| format!("{} {}\n", hex(here), hex(text)))
            .collect();
        let mut stdin = child.stdin.take()?;
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let output = child.wait_with_output().ok()?;
        assert!(
            matches!(writer.join(), Ok(Ok(()))),
            "writing to {python} failed"
        );
        assert!(
            output.status.success(),
            "{python} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let mut lines = stdout.lines();
        let version: Vec<u32> = lines
            .next()
            .and_then(|l| l.strip_prefix("version "))
            .map(|v| v.split(' ').filter_map(|n| n.parse().ok()).collect())
            .unwrap_or_default();
        // Before 3.10 a section name could not contain ']' (bpo-45277).
        if version.as_slice() < [3, 10].as_slice() {
            skip_without_python(&format!("{python} is version {version:?}, need >= 3.10"));
            return None;
        }
        let mut dumps = Vec::new();
        let mut current = Vec::new();
        for line in lines {
            current.push(line);
            if line == "end" {
                dumps.push(current.join("\n"));
                current.clear();
            }
        }
        Some(dumps)
    }

    fn curated_cases() -> Vec<&'static str> {
        vec![
            // continuations, blank lines inside values, trailing blanks stripped
            "[s]\na = 1\n  2\n\n  3\n\n\n[t]\nb = x\n",
            "[s]\na =\n  first\n  second\n",
            "[s]\nhooks = black\n\tblack.type = console_scripts\n\tblack.entrypoint = black\n",
            // comment lines inside a continuation are dropped
            "[s]\na = 1\n  # c\n  ; c\n  2\n#c\nb = 3\n",
            // %% and nested chains, %(here)s from the constructor defaults
            "[s]\npct = 100%%\nurl = %(a)s/x\na = %(b)s-%(b)s\nb = %(here)s\n",
            "[s]\nc = %(d)s\nd = %%%(e)s%%\ne = E\n",
            // DEFAULT overriding constructor defaults and supplying values
            "[DEFAULT]\nhere = /other\nx = dx\n[s]\ny = %(x)s %(here)s\nx = sx\n",
            "[DEFAULT]\nx = 1\n[a]\n[DEFAULT]\ny = 2\n[b]\nz = %(y)s\n",
            // ':' delimiter, '=' in values, first delimiter wins
            "[s]\na: b = c\nd = e: f\nurl = driver://u:p@h/db?opt=1\n",
            // keys with spaces and mixed case
            "[s]\n  Key With Spaces  =  value  \nMiXeD:case\n",
            // empty values
            "[s]\nk =\nk2:\nk3 =   \n",
            // indented first line, indented section header
            "  [s]\n  a = 1\n  b = 2\n    cont\n",
            "[s]\na = 1\n  [t]\nb = 2\n",
            // duplicates and missing header
            "[s]\na = 1\nA = 2\n",
            "[s]\n[t]\n[s]\n",
            "a = 1\n[s]\n",
            "# only a comment\n\n  \nkey\n",
            "\u{feff}[alembic]\nscript_location = x\n",
            // malformed lines and empty names
            "[s]\nnovalue\nok = 1\n",
            "[s]\n= v\n",
            "[s]\n= v\n: w\n",
            "[s]\n[]\n",
            // bad interpolation, missing key, depth
            "[s]\na = 50%\nb = ok\n",
            "[s]\na = %(missing)s\n",
            "[s]\na = %(b\nc = %(x)d\nd = %\n",
            "[s]\na = %(a)s\n",
            "[s]\na = %(b)s\nb = %(a)s\nc = plain\n",
            "[s]\na0 = %(a1)s\na1 = %(a2)s\na2 = %(a3)s\na3 = %(a4)s\na4 = %(a5)s\na5 = %(a6)s\na6 = %(a7)s\na7 = %(a8)s\na8 = %(a9)s\na9 = %%\n",
            "[s]\na0 = %(a1)s\na1 = %(a2)s\na2 = %(a3)s\na3 = %(a4)s\na4 = %(a5)s\na5 = %(a6)s\na6 = %(a7)s\na7 = %(a8)s\na8 = %(a9)s\na9 = %(a10)s\na10 = %%\n",
            "[s]\na = %(B)s\nb = %( b )s\n",
            "[s]\na = x\n  %(b)s\nb = y\n",
            // comments and tabs
            "; semi\n# hash\n[s]\n\t# tabbed comment\na\t=\tv\t\n\tcont\n",
            // line endings
            "[s]\r\na = 1\r\n  2\r\n\r\nb = 3\r",
            "[s]\ra = 1\r\r  2",
            // Unicode whitespace and case
            "[s]\n\u{3000}k = \u{a0}v\u{a0}\n\u{3000}\u{3000}w\n\u{1c}x = 1\n",
            "[Ä]\nÄ = 1\nä = 2\n",
            "[s]\nΑΣ = 1\nΣ = 2\nΑΣΑ = 3\nİ = 4\nß = 5\nv = %(ας)s %(σ)s\n",
            "[s]\na = 1\u{2028}\u{85}\u{c}\u{b}\n",
            // section header oddities
            "[a] trailing\nx=1\n[b]c]\ny=2\n[]]\nz=3\n[ sp ]\nw=4\n",
            "[DEFAULT]\n[DEFAULT]\nx=1\n[DEFAULT]\nX=2\n",
            "",
            "\n\n",
        ]
    }

    fn random_cases(count: usize) -> Vec<String> {
        const LINES: &[&str] = &[
            "[s]",
            "[S]",
            "[t]",
            "[DEFAULT]",
            " [s]",
            "[a] b",
            "[]",
            "[]]",
            "a = 1",
            "A: 2",
            "b = %(a)s",
            "c = %(b)s%(a)s",
            "d = %%",
            "e = %",
            "f = %(x",
            "g = %(here)s/x",
            "here = /h",
            "x = %(y)s",
            "y = %(x)s",
            "k =",
            "k:",
            "= v",
            "novalue",
            "  cont",
            "\tcont",
            "    deep",
            "  %(a)s",
            "  50%",
            "",
            "  ",
            "# c",
            "  # c",
            "; c",
            "\t;c",
            "a=b=c",
            "a:b=c",
            "\u{3000}a = 1",
            "\u{feff}a = 1",
            "key with space = v",
            "KEY = V",
            "z = %(A)s",
        ];
        const ENDINGS: &[&str] = &["\n", "\n", "\n", "\r\n", "\r"];
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        (0..count)
            .map(|_| {
                let n = rng.below(9);
                // Mostly start with a header so most cases get past it.
                let mut text = String::new();
                if rng.below(4) != 0 {
                    text.push_str("[s]\n");
                }
                for _ in 0..n {
                    text.push_str(LINES[rng.below(LINES.len())]);
                    text.push_str(ENDINGS[rng.below(ENDINGS.len())]);
                }
                if rng.below(4) == 0 {
                    text.push_str(LINES[rng.below(LINES.len())]);
                }
                text
            })
            .collect()
    }

    #[test]
    fn differential_against_python_configparser() {
        let curated = curated_cases();
        assert!(curated.len() >= 25);
        let mut cases: Vec<(String, String)> = curated
            .iter()
            .map(|t| (HERE.to_string(), (*t).to_string()))
            .collect();
        // A `%` in the ini's directory breaks %(here)s in Python too.
        cases.push(("/tmp/100%".into(), "[s]\na = %(here)s\nb = 1\n".into()));
        cases.push(("/tmp/100%%".into(), "[s]\na = %(here)s\n".into()));
        cases.extend(
            random_cases(3000)
                .into_iter()
                .map(|t| (HERE.to_string(), t)),
        );

        let Some(expected) = python_dumps(&cases) else {
            return;
        };
        assert_eq!(
            expected.len(),
            cases.len(),
            "python output has the wrong number of cases"
        );
        let mut failures = Vec::new();
        for ((here, text), want) in cases.iter().zip(&expected) {
            let got = rust_dump(here, text);
            if &got != want {
                failures.push(format!(
                    "input {text:?} (here {here:?})\n--- python\n{want}\n--- retort\n{got}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} cases differ from configparser:\n\n{}",
            failures.len(),
            cases.len(),
            failures
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n\n")
        );
    }
}
