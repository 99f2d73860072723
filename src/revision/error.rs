//! Errors of the revision graph, worded as Alembic words them.

use std::fmt;

/// Which of Alembic's cycle checks failed; the kind is the first words of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CycleKind {
    Cycle,
    DependencyCycle,
    SelfLoop,
    DependencySelfLoop,
}

impl fmt::Display for CycleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CycleKind::Cycle => "Cycle",
            CycleKind::DependencyCycle => "Dependency cycle",
            CycleKind::SelfLoop => "Self-loop",
            CycleKind::DependencySelfLoop => "Dependency self-loop",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevisionError {
    #[error("{kind} is detected in revisions ({})", revisions.join(", "))]
    Cycle {
        kind: CycleKind,
        revisions: Vec<String>,
    },
    #[error("Branch name '{label}' in revision {revision} already used by revision {other}")]
    BranchNameUsed {
        label: String,
        revision: String,
        other: String,
    },
    #[error("Character(s) '{chars}' not allowed in revision identifier '{revision}'")]
    IllegalCharacters { chars: String, revision: String },
    /// Alembic warns and then dies with a KeyError; we say what is wrong instead.
    #[error("Revision {missing} referenced from {referenced_from} is not present")]
    MissingDownRevision {
        missing: String,
        referenced_from: String,
    },
    /// Alembic dies with a KeyError on an unknown `depends_on` name.
    #[error("Revision {revision} depends on '{name}', which is neither a revision id nor a branch label")]
    UnknownDependency { name: String, revision: String },
    /// Alembic only warns and then misbehaves (the duplicate shows up as an extra head).
    #[error("Revision {revision} is present more than once")]
    Duplicate { revision: String },
    #[error("Multiple heads are present for given argument '{argument}'; {}", heads.join(", "))]
    MultipleHeads {
        heads: Vec<String>,
        argument: String,
    },
    /// A lookup failure; `argument` is the part the CLI reports as unlocatable.
    #[error("{message}")]
    Resolution { message: String, argument: String },
    /// `None` stands for a value Python treats as false (printed as `base`).
    #[error(
        "Revision {} is not an ancestor of revision {}",
        lower.as_deref().unwrap_or("base"),
        upper.as_deref().unwrap_or("base")
    )]
    RangeNotAncestor {
        lower: Option<String>,
        upper: Option<String>,
    },
    /// Any other `RevisionError` of Alembic's, shown verbatim.
    #[error("{0}")]
    Other(String),
    /// Where Alembic fails an internal assertion (uncaught, exit 1).
    #[error("{0}")]
    Assertion(String),
}

impl RevisionError {
    pub(crate) fn other(msg: impl Into<String>) -> Self {
        RevisionError::Other(msg.into())
    }

    pub(crate) fn relative(relative: &str, steps: i64) -> Self {
        RevisionError::Other(format!(
            "Relative revision {relative} didn't produce {} migrations",
            steps.unsigned_abs()
        ))
    }

    /// True where Alembic's own command would crash with a traceback (exit 1) rather
    /// than print `FAILED:` (exit 255).
    pub fn is_uncaught_in_alembic(&self) -> bool {
        matches!(
            self,
            RevisionError::MissingDownRevision { .. }
                | RevisionError::UnknownDependency { .. }
                | RevisionError::Assertion(_)
        )
    }
}
