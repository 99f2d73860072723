//! The command line, mirroring Alembic's argparse definitions. Only clap types here;
//! `commands::run` turns them into settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "retort",
    version,
    about = "Run an existing Alembic project: same commands, same files, same database.",
    infer_long_args = true
)]
pub struct Cli {
    /// Alternate config file; defaults to value of ALEMBIC_CONFIG environment variable,
    /// or "alembic.ini". May also refer to pyproject.toml file. May be specified twice
    /// to reference both files separately
    #[arg(short = 'c', long = "config", action = clap::ArgAction::Append)]
    pub config: Vec<PathBuf>,
    /// Name of section in .ini file to use for Alembic config (only applies to
    /// configparser config, not toml)
    #[arg(short = 'n', long = "name", default_value = "alembic")]
    pub name: String,
    /// Additional arguments consumed by custom env.py scripts, e.g. -x
    /// setting1=somesetting -x setting2=somesetting
    #[arg(short = 'x', action = clap::ArgAction::Append)]
    pub x: Vec<String>,
    /// Raise a full stack trace on error
    #[arg(long)]
    pub raiseerr: bool,
    /// Do not log to std output.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// The Python that runs env.py and the migration scripts (retort's own option;
    /// default: RETORT_PYTHON, else the active virtualenv's, else python3 on PATH)
    #[arg(long, value_name = "PATH")]
    pub python: Option<std::path::PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show current branch points.
    Branches(Verbose),
    /// Check if revision command with autogenerate has pending upgrade ops.
    Check,
    /// Display the current revision for a database.
    Current(CurrentArgs),
    /// Revert to a previous version.
    Downgrade(MigrateArgs),
    /// Edit revision script(s) using $EDITOR.
    Edit(RevArgs),
    /// Create the alembic version table if it doesn't exist already.
    #[command(name = "ensure_version")]
    EnsureVersion(SqlArgs),
    /// Show current available heads in the script directory.
    Heads(HeadsArgs),
    /// List changeset scripts in chronological order.
    History(HistoryArgs),
    /// Initialize a new scripts directory.
    Init(InitArgs),
    /// List available templates.
    #[command(name = "list_templates")]
    ListTemplates,
    /// Merge two revisions together. Creates a new migration file.
    Merge(MergeArgs),
    /// Create a new revision file.
    Revision(RevisionArgs),
    /// Show the revision(s) denoted by the given symbol.
    Show(RevArgs),
    /// 'stamp' the revision table with the given revision; don't run any migrations.
    Stamp(StampArgs),
    /// Upgrade to a later version.
    Upgrade(UpgradeArgs),
    /// List every revision of the scripts and the database with its state:
    /// applied, pending, edited or missing.
    Status(StatusArgs),
    /// Run the project through real Alembic and through retort on twin scratch
    /// databases, one step at a time, and compare them after every step.
    Verify(VerifyArgs),
}

/// `--format`: Alembic's text, or JSON for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The alembic command to compare with (default: next to the active
    /// virtualenv's python, else on PATH)
    #[arg(long)]
    pub alembic: Option<PathBuf>,
    /// A PostgreSQL/MySQL server URL where verify creates (and drops) its two
    /// scratch databases; default: SQLite files in a temporary directory
    #[arg(long)]
    pub scratch_url: Option<String>,
    /// Also check that upgrade, downgrade, upgrade of each step leaves no trace
    #[arg(long)]
    pub roundtrip: bool,
    /// Fail when the project has more than one head
    #[arg(long)]
    pub single_head: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct Verbose {
    /// Use more verbose output
    #[arg(short = 'v', long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct HeadsArgs {
    /// Use more verbose output
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Treat dependency versions as down revisions
    #[arg(long)]
    pub resolve_dependencies: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Specify a revision range; format is [start]:[end]
    #[arg(short = 'r', long = "rev-range", allow_negative_numbers = true)]
    pub rev_range: Option<String>,
    /// Use more verbose output
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Indicate the current revision
    #[arg(short = 'i', long)]
    pub indicate_current: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CurrentArgs {
    /// Check if all head revisions are applied to the database.
    #[arg(short = 'c', long)]
    pub check_heads: bool,
    /// Use more verbose output
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RevArgs {
    /// revision identifier
    #[arg(allow_negative_numbers = true)]
    pub rev: String,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// Don't emit SQL to database - dump to standard output/file instead.
    #[arg(long)]
    pub sql: bool,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Don't emit SQL to database - dump to standard output/file instead.
    #[arg(long)]
    pub sql: bool,
    /// Arbitrary 'tag' name - can be used by custom env.py scripts.
    #[arg(long)]
    pub tag: Option<String>,
    /// revision identifier
    #[arg(allow_negative_numbers = true)]
    pub revision: String,
    #[command(flatten)]
    pub lock: LockArgs,
}

#[derive(Debug, Args)]
pub struct UpgradeArgs {
    #[command(flatten)]
    pub migrate: MigrateArgs,
    /// Refuse to run when an applied script was edited or is missing
    /// (needs `checksums = true` in the [retort] section)
    #[arg(long)]
    pub strict: bool,
}

/// The migration lock that writing commands take (retort's own options).
#[derive(Debug, Args)]
pub struct LockArgs {
    /// Give up after waiting this many seconds for another run's migration lock
    #[arg(long, value_name = "SECONDS", value_parser = non_negative_seconds)]
    pub lock_timeout: Option<f64>,
    /// Don't take the migration lock
    #[arg(long, conflicts_with = "lock_timeout")]
    pub no_lock: bool,
}

fn non_negative_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("'{s}' is not a number of seconds")),
    }
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct StampArgs {
    /// Don't emit SQL to database - dump to standard output/file instead.
    #[arg(long)]
    pub sql: bool,
    /// Arbitrary 'tag' name - can be used by custom env.py scripts.
    #[arg(long)]
    pub tag: Option<String>,
    /// Unconditionally erase the version table before stamping
    #[arg(long)]
    pub purge: bool,
    /// revision identifier
    #[arg(required = true, allow_negative_numbers = true)]
    pub revisions: Vec<String>,
    #[command(flatten)]
    pub lock: LockArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Setup template for use with 'init'
    #[arg(short = 't', long, default_value = "generic")]
    pub template: String,
    /// Write empty __init__.py files to the environment and version locations
    #[arg(long)]
    pub package: bool,
    /// location of scripts directory
    pub directory: PathBuf,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Message string to use with 'revision'
    #[arg(short = 'm', long)]
    pub message: Option<String>,
    /// Specify a branch label to apply to the new revision
    #[arg(long)]
    pub branch_label: Option<String>,
    /// Specify a hardcoded revision id instead of generating one
    #[arg(long)]
    pub rev_id: Option<String>,
    /// Allow a non-head revision as the 'head' to splice onto
    #[arg(long)]
    pub splice: bool,
    /// one or more revisions, or 'heads' for all heads
    #[arg(required = true)]
    pub revisions: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RevisionArgs {
    /// Message string to use with 'revision'
    #[arg(short = 'm', long)]
    pub message: Option<String>,
    /// Populate revision script with candidate migration operations, based on
    /// comparison of database to model.
    #[arg(long)]
    pub autogenerate: bool,
    /// Don't emit SQL to database - dump to standard output/file instead.
    #[arg(long)]
    pub sql: bool,
    /// Specify head revision or <branchname>@head to base new revision on.
    #[arg(long)]
    pub head: Option<String>,
    /// Allow a non-head revision as the 'head' to splice onto
    #[arg(long)]
    pub splice: bool,
    /// Specify a branch label to apply to the new revision
    #[arg(long)]
    pub branch_label: Option<String>,
    /// Specify specific path from config for version file
    #[arg(long)]
    pub version_path: Option<String>,
    /// Specify a hardcoded revision id instead of generating one
    #[arg(long)]
    pub rev_id: Option<String>,
    /// Specify one or more revision identifiers which this revision should depend on.
    #[arg(long, action = clap::ArgAction::Append)]
    pub depends_on: Vec<String>,
}
