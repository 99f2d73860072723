//! What writing a new revision file needs from the script directory: a fresh
//! revision id, Alembic's check of a given one, and reading the new file back.

use std::io::Read;
use std::path::Path;

use super::{header, Script, ScriptError};

/// Characters a revision id may not contain (Alembic's `_revision_illegal_chars`).
const ILLEGAL: [char; 4] = ['@', '-', '+', ':'];

/// Alembic's `util.rev_id()`: the last 12 hex digits of a random UUID4, which
/// are 48 random bits.
pub fn new_rev_id() -> Result<String, ScriptError> {
    let mut bytes = [0u8; 6];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|source| ScriptError::Io {
            path: "/dev/urandom".into(),
            source,
        })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// `Script.verify_rev_id`: the message Alembic reports for an id with
/// characters the revision syntax reserves.
pub fn verify_rev_id(id: &str) -> Result<(), String> {
    let mut found: Vec<char> = ILLEGAL
        .iter()
        .copied()
        .filter(|c| id.contains(*c))
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    found.sort_unstable();
    let chars: Vec<String> = found.iter().map(char::to_string).collect();
    Err(format!(
        "Character(s) '{}' not allowed in revision identifier '{id}'",
        chars.join(", ")
    ))
}

/// `Script._from_path` for a file just written: `None` when its name is one
/// Alembic does not load (`.#…`, `__init__…`).
pub fn read_new_script(path: &Path) -> Result<Option<Script>, ScriptError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.starts_with(".#") || name.starts_with("__init__") || !name.ends_with(".py") {
        return Ok(None);
    }
    let bytes = std::fs::read(path).map_err(|source| ScriptError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let header = header::read_header(&bytes).map_err(|source| ScriptError::Header {
        path: path.to_path_buf(),
        source,
    })?;
    Script::from_header(header, path.to_path_buf()).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rev_ids() {
        let id = new_rev_id().unwrap();
        assert_eq!(id.len(), 12);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_ne!(id, new_rev_id().unwrap());
        assert!(verify_rev_id("abc_1").is_ok());
        assert_eq!(
            verify_rev_id("a-b@c").unwrap_err(),
            "Character(s) '-, @' not allowed in revision identifier 'a-b@c'"
        );
        assert_eq!(
            verify_rev_id("x:+").unwrap_err(),
            "Character(s) '+, :' not allowed in revision identifier 'x:+'"
        );
    }
}
