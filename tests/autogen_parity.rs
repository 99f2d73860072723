//! `revision --autogenerate` and `check` against real Alembic on SQLite,
//! PostgreSQL and MariaDB.  Each scenario: a base model applied by Alembic,
//! then a changed model; both tools compare it with the same database and
//! must agree on `check` (stdout, addresses of objects aside, and exit code)
//! and write the same migration (apart from `Create Date`).  The migration
//! is then applied by retort (`check` clean with both tools) and downgraded
//! (the base model clean again).

#[path = "dbsupport/mod.rs"]
mod dbsupport;

use std::fs;
use std::path::{Path, PathBuf};

use dbsupport::{alembic_bin, retort_bin, run_tool, Alembic, Kind, Outcome, Twins};

/// One model change: the models before and after (the body of `models.py`
/// after `import sqlalchemy as sa` and `metadata = sa.MetaData()`, in
/// pieces: tables shared between models are written once), the
/// Python both models share (hooks; `configure` is passed to env.py's
/// `context.configure`), SQL run after the base model is applied (objects
/// outside any model), and the dialects it runs on.
struct Scenario {
    name: &'static str,
    base: &'static [&'static str],
    changed: &'static [&'static str],
    shared: &'static str,
    setup: &'static str,
    dialects: &'static [Kind],
    /// Whether the database is the model after the upgrade (`check` clean);
    /// when not, both tools must still report the same.
    settles: bool,
    /// Whether the migration can be downgraded (a `drop_constraint` of an
    /// unnamed constraint cannot).
    downgrades: bool,
}

const ALL: &[Kind] = &[Kind::Sqlite, Kind::Postgres, Kind::Mariadb];
/// The dialects that alter columns and constraints in place (SQLite needs
/// batch mode, which has scenarios of its own).
const ALTERING: &[Kind] = &[Kind::Postgres, Kind::Mariadb];

const S: Scenario = Scenario {
    name: "",
    base: &[],
    changed: &[],
    shared: "",
    setup: "",
    dialects: ALL,
    settles: true,
    downgrades: true,
};

/// env.py settings comparing the default schema and `AUX` only.
const SECOND_SCHEMA_INCLUDED: &str = r#"
def include_name(name, type_, parent_names):
    if type_ == "schema":
        return name in (None, AUX)
    return True

configure = dict(include_schemas=True, include_name=include_name)
"#;

const USER: &str = r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)
"#;

/// The `user` table without its closing parenthesis: variants add their
/// own columns and constraints.
const USER_COLUMNS: &str = r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
"#;

const USER_EMAIL: &[&str] = &[
    USER_COLUMNS,
    r#"    sa.Column("email", sa.String(100), nullable=True),
)
"#,
];

const USER_SCORE: &[&str] = &[
    USER_COLUMNS,
    r#"    sa.Column("score", sa.Integer, server_default=sa.text("0"), nullable=False),
)
"#,
];

const USER_CHECKED: &[&str] = &[
    USER_COLUMNS,
    r#"    sa.CheckConstraint("length(name) > 0", name="ck_user_name_not_empty"),
)
"#,
];

/// `post.user_id` is indexed in every form of `post`, so MariaDB never
/// makes an index of its own for the foreign key.
const POST_NO_FK: &[&str] = &[
    USER,
    r#"
post = sa.Table("post", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=True, index=True),
)
"#,
];

const POST_FK_CASCADE: &[&str] = &[
    USER,
    r#"
post = sa.Table("post", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=True, index=True),
    sa.ForeignKeyConstraint(["user_id"], ["user.id"], name="fk_post_user", ondelete="CASCADE"),
)
"#,
];

const POST_WITH_INDEX: &[&str] = &[
    USER,
    r#"
post = sa.Table("post", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
    sa.Column("title", sa.Text(), comment="the title"),
    sa.Index("ix_post_title_user", "title", "user_id", mysql_length={"title": 20}),
)
"#,
];

const SERVER_DEFAULTS: &str = "configure = dict(compare_server_default=True)\n";
const BATCH: &str = "configure = dict(render_as_batch=True)\n";
/// Check constraints are compared only by the opt-in plugin (Alembic 1.19.2
/// and later).
const CHECKS: &str = r#"
configure = dict(autogenerate_plugins=["alembic.autogenerate.*", "alembic.ext.checkconstraint_byname"])
"#;
/// The same in batch mode, the plugin by its name before 1.19.2.
const BATCH_CHECKS: &str = r#"
configure = dict(
    render_as_batch=True,
    autogenerate_plugins=["alembic.autogenerate.*", "alembic.autogenerate.checkconstraint_byname"],
)
"#;

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "add_table",
        changed: &[USER],
        ..S
    },
    Scenario {
        name: "drop_table",
        base: &[USER],
        ..S
    },
    Scenario {
        name: "add_column",
        base: &[USER],
        changed: USER_EMAIL,
        ..S
    },
    Scenario {
        name: "drop_column",
        base: USER_EMAIL,
        changed: &[USER],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "nullable",
        base: &[USER],
        changed: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=True),
)
"#],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "type_length",
        base: &[USER],
        changed: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(120), nullable=False),
)
"#],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "type_integer_to_biginteger",
        base: USER_SCORE,
        changed: &[
            USER_COLUMNS,
            r#"    sa.Column("score", sa.BigInteger, server_default=sa.text("0"), nullable=False),
)
"#,
        ],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "type_string_to_text_and_numeric_precision",
        base: &[r#"
item = sa.Table("item", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("body", sa.String(200)),
    sa.Column("price", sa.Numeric(10, 2)),
)
"#],
        changed: &[r#"
item = sa.Table("item", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("body", sa.Text()),
    sa.Column("price", sa.Numeric(12, 4)),
)
"#],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "compare_type_off",
        shared: "configure = dict(compare_type=False)\n",
        base: &[USER],
        changed: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), nullable=True),
)
"#],
        // Without the type compared, Alembic leaves out `existing_type`,
        // which MySQL's MODIFY needs: its migration can't run there.
        dialects: &[Kind::Postgres],
        ..S
    },
    Scenario {
        name: "callable_comparators",
        shared: r#"
def compare_type(context, inspected, model, inspected_type, model_type):
    # The name's length is left alone; other columns as Alembic decides.
    return False if model.name == "name" else None

def compare_server_default(context, inspected, model, inspected_default, model_default, rendered):
    return inspected_default is None and rendered is not None

configure = dict(compare_type=compare_type, compare_server_default=compare_server_default)
"#,
        base: USER_SCORE,
        changed: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), nullable=False, server_default="anon"),
    sa.Column("score", sa.BigInteger, server_default=sa.text("0"), nullable=False),
)
"#],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "server_default_added",
        shared: SERVER_DEFAULTS,
        base: &[USER],
        changed: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, server_default="anon"),
)
"#],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "server_default_changed",
        shared: SERVER_DEFAULTS,
        base: USER_SCORE,
        changed: &[
            USER_COLUMNS,
            r#"    sa.Column("score", sa.Integer, server_default=sa.text("1"), nullable=False),
)
"#,
        ],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "server_default_removed",
        shared: SERVER_DEFAULTS,
        base: USER_SCORE,
        changed: &[
            USER_COLUMNS,
            r#"    sa.Column("score", sa.Integer, nullable=False),
)
"#,
        ],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "add_columns_with_server_defaults",
        shared: SERVER_DEFAULTS,
        base: &[USER],
        changed: &[
            USER_COLUMNS,
            r#"    sa.Column("score", sa.Integer, server_default=sa.text("0"), nullable=False),
    sa.Column("status", sa.String(20), server_default="new", nullable=False),
)
"#,
        ],
        ..S
    },
    Scenario {
        name: "index",
        base: &[USER],
        changed: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, index=True),
)
"#],
        ..S
    },
    Scenario {
        name: "unique_multi_column_index",
        base: USER_EMAIL,
        changed: &[
            USER_COLUMNS,
            r#"    sa.Column("email", sa.String(100), nullable=True),
    sa.Index("ix_user_name_email", "name", "email", unique=True),
)
"#,
        ],
        ..S
    },
    Scenario {
        name: "drop_index",
        base: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, index=True),
)
"#],
        changed: &[USER],
        ..S
    },
    Scenario {
        name: "unique_constraint",
        base: &[USER],
        changed: &[
            USER_COLUMNS,
            r#"    sa.UniqueConstraint("name", name="uq_user_name"),
)
"#,
        ],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "drop_unique_constraint",
        base: &[
            USER_COLUMNS,
            r#"    sa.Column("email", sa.String(100), nullable=True),
    sa.UniqueConstraint("name", "email", name="uq_user_name_email"),
)
"#,
        ],
        changed: USER_EMAIL,
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "foreign_key_on_delete",
        base: &[USER],
        changed: POST_WITH_INDEX,
        ..S
    },
    Scenario {
        name: "drop_table_with_foreign_key_and_index",
        base: POST_WITH_INDEX,
        changed: &[USER],
        ..S
    },
    Scenario {
        name: "add_foreign_key_on_update",
        base: POST_NO_FK,
        changed: &[
            USER,
            r#"
post = sa.Table("post", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=True, index=True),
    sa.ForeignKeyConstraint(["user_id"], ["user.id"], name="fk_post_user",
                            ondelete="SET NULL", onupdate="CASCADE"),
)
"#,
        ],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "drop_foreign_key",
        base: POST_FK_CASCADE,
        changed: POST_NO_FK,
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "foreign_key_on_delete_changed",
        base: POST_FK_CASCADE,
        changed: &[
            USER,
            r#"
post = sa.Table("post", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=True, index=True),
    sa.ForeignKeyConstraint(["user_id"], ["user.id"], name="fk_post_user", ondelete="SET NULL"),
)
"#,
        ],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "composite_primary_key_table",
        base: &[USER],
        changed: &[
            USER,
            r#"
user_tag = sa.Table("user_tag", metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id"), nullable=False),
    sa.Column("tag", sa.String(30), nullable=False),
    sa.PrimaryKeyConstraint("user_id", "tag", name="pk_user_tag"),
)
"#,
        ],
        ..S
    },
    Scenario {
        name: "check_constraint_added",
        shared: CHECKS,
        base: &[USER],
        changed: USER_CHECKED,
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "batch_check_constraint_dropped",
        shared: BATCH_CHECKS,
        base: USER_CHECKED,
        changed: &[USER],
        ..S
    },
    // Without the plugin the new check constraint is not seen; the column
    // is.
    Scenario {
        name: "check_constraint_not_compared_by_default",
        base: &[USER],
        changed: &[
            USER_COLUMNS,
            r#"    sa.Column("email", sa.String(100), nullable=True),
    sa.CheckConstraint("length(name) > 0", name="ck_user_name_not_empty"),
)
"#,
        ],
        ..S
    },
    // Alembic 1.20 marks a drop_constraint() of an unnamed constraint (the
    // downgrade here) with a warning comment, and the downgrade fails.
    Scenario {
        name: "unnamed_unique_constraint",
        base: &[USER],
        changed: &[
            USER_COLUMNS,
            r#"    sa.UniqueConstraint("name"),
)
"#,
        ],
        dialects: ALTERING,
        downgrades: false,
        ..S
    },
    // An empty comment: no comment from Alembic 1.20 (`comment=None`), an
    // empty one before, which then differs from the database's none for
    // ever.
    Scenario {
        name: "column_comment_emptied",
        base: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, comment="full name"),
)
"#],
        changed: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, comment=""),
)
"#],
        dialects: ALTERING,
        settles: false,
        ..S
    },
    // Written `comment=''` from Alembic 1.20, left out before.
    Scenario {
        name: "empty_comments_on_new_table",
        base: &[USER],
        changed: &[
            USER,
            r#"
item = sa.Table("item", metadata,
    sa.Column("id", sa.Integer, primary_key=True, comment=""),
    comment="",
)
"#,
        ],
        settles: false,
        ..S
    },
    // A plugin left out: the comment's change is not seen; the index is.
    Scenario {
        name: "comments_plugin_excluded",
        shared: r#"
configure = dict(autogenerate_plugins=["alembic.autogenerate.*", "~alembic.autogenerate.comments"])
"#,
        base: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, comment="full name"),
)
"#],
        changed: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, comment="display name", index=True),
)
"#],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "column_comment_changed",
        base: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, comment="full name"),
)
"#],
        changed: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, comment="display name"),
)
"#],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "table_comment_added",
        base: &[USER],
        changed: &[
            USER_COLUMNS,
            r#"    comment="people",
)
"#,
        ],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "table_comment_removed",
        base: &[
            USER_COLUMNS,
            r#"    comment="people",
)
"#,
        ],
        changed: &[USER],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "enum_table",
        base: &[USER],
        changed: &[
            USER,
            r#"
ticket = sa.Table("ticket", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("mood", sa.Enum("happy", "sad", name="mood"), nullable=False),
)
"#,
        ],
        ..S
    },
    Scenario {
        name: "enum_values_changed",
        base: &[r#"
ticket = sa.Table("ticket", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("mood", sa.Enum("happy", "sad", name="mood"), nullable=False),
)
"#],
        changed: &[r#"
ticket = sa.Table("ticket", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("mood", sa.Enum("happy", "sad", "bored", name="mood"), nullable=False),
)
"#],
        dialects: &[Kind::Mariadb],
        ..S
    },
    Scenario {
        name: "naming_convention",
        base: &[r#"
metadata = sa.MetaData(naming_convention=CONVENTION)
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)
"#],
        changed: &[r#"
metadata = sa.MetaData(naming_convention=CONVENTION)
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)
post = sa.Table("post", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id"), nullable=False),
    sa.Column("slug", sa.String(40), nullable=False, index=True),
    sa.Column("code", sa.String(10), nullable=False, unique=True),
    sa.CheckConstraint("length(slug) > 0", name="slug_not_empty"),
)
"#],
        shared: r#"
CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"#,
        ..S
    },
    Scenario {
        name: "schemas",
        shared: SECOND_SCHEMA_INCLUDED,
        base: &[USER],
        changed: &[
            USER,
            r#"
item = sa.Table("item", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("owner_id", sa.Integer, nullable=False),
    sa.Column("label", sa.String(30), index=True),
    sa.UniqueConstraint("owner_id", "label", name="uq_item_owner_label"),
    schema=AUX,
)
"#,
        ],
        dialects: ALTERING,
        ..S
    },
    // A table in the second schema referring to one in the default schema.
    // PostgreSQL only: on MariaDB SQLAlchemy writes the referred table
    // unqualified, so the CREATE TABLE in the second database fails under
    // both tools (errno 150).
    Scenario {
        name: "schemas_cross_fk",
        shared: SECOND_SCHEMA_INCLUDED,
        base: &[USER],
        changed: &[
            USER,
            r#"
item = sa.Table("item", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
    schema=AUX,
)
"#,
        ],
        dialects: &[Kind::Postgres],
        ..S
    },
    // Not on PostgreSQL: Alembic's add_column does not create the enum
    // type, so the generated revision fails there under both tools
    // (`type "mood" does not exist`).
    Scenario {
        name: "enum_column_added",
        base: &[USER],
        changed: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("mood", sa.Enum("happy", "sad", name="mood"), nullable=True),
)
"#],
        dialects: &[Kind::Sqlite, Kind::Mariadb],
        ..S
    },
    Scenario {
        name: "include_object",
        shared: r#"
def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name == "skip_me")

configure = dict(include_object=include_object)
"#,
        base: &[
            USER,
            r#"
skip_me = sa.Table("skip_me", metadata, sa.Column("id", sa.Integer, primary_key=True))
"#,
        ],
        changed: USER_EMAIL,
        ..S
    },
    Scenario {
        name: "include_name",
        shared: r#"
def include_name(name, type_, parent_names):
    return not (type_ == "table" and name == "legacy_audit")

configure = dict(include_name=include_name)
"#,
        setup: "CREATE TABLE legacy_audit (id INTEGER PRIMARY KEY, note VARCHAR(20))",
        base: &[USER],
        changed: USER_EMAIL,
        ..S
    },
    Scenario {
        name: "process_revision_directives_and_user_module_prefix",
        shared: r#"
class Shout(sa.types.TypeDecorator):
    impl = sa.String
    cache_ok = True

def process_revision_directives(context, revision, directives):
    script = directives[0]
    if script.message:  # None for `check`
        script.message = script.message.upper()
    script.imports.add("import models")

configure = dict(
    user_module_prefix="models.",
    process_revision_directives=process_revision_directives,
)
"#,
        base: &[USER],
        changed: &[
            USER_COLUMNS,
            r#"    sa.Column("nick", Shout(30), nullable=True),
)
"#,
        ],
        ..S
    },
    Scenario {
        name: "render_item",
        shared: r#"
class Shout(sa.types.TypeDecorator):
    impl = sa.String
    cache_ok = True

def render_item(type_, obj, autogen_context):
    if type_ == "type" and isinstance(obj, Shout):
        autogen_context.imports.add("from models import Shout")
        return "Shout(%d)" % obj.impl.length
    return False

configure = dict(render_item=render_item)
"#,
        base: &[USER],
        changed: &[
            USER_COLUMNS,
            r#"    sa.Column("nick", Shout(30), nullable=True),
)
"#,
        ],
        ..S
    },
    Scenario {
        name: "batch_alter_columns",
        shared: BATCH,
        base: USER_EMAIL,
        changed: &[r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(120), nullable=True),
    sa.Column("email", sa.String(100), nullable=False),
)
"#],
        ..S
    },
    Scenario {
        name: "batch_drop_column",
        shared: BATCH,
        base: USER_EMAIL,
        changed: &[USER],
        dialects: &[Kind::Sqlite],
        ..S
    },
    Scenario {
        name: "batch_unique_and_foreign_key",
        shared: BATCH,
        base: POST_NO_FK,
        changed: &[
            USER_COLUMNS,
            r#"    sa.UniqueConstraint("name", name="uq_user_name"),
)
post = sa.Table("post", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=True, index=True),
    sa.ForeignKeyConstraint(["user_id"], ["user.id"], name="fk_post_user", ondelete="CASCADE"),
)
"#,
        ],
        ..S
    },
    Scenario {
        name: "computed_column",
        base: USER_SCORE,
        changed: &[
            USER_COLUMNS,
            r#"    sa.Column("score", sa.Integer, server_default=sa.text("0"), nullable=False),
    sa.Column("double_score", sa.Integer, sa.Computed("score * 2")),
)
"#,
        ],
        dialects: ALTERING,
        ..S
    },
    Scenario {
        name: "identity_table",
        base: &[USER],
        changed: &[
            USER,
            r#"
event = sa.Table("event", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(start=10, increment=5), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
)
"#,
        ],
        dialects: &[Kind::Postgres],
        ..S
    },
];

/// env.py's `fileConfig`: warnings only, on stderr.
const LOGGING: &str = "
[loggers]
keys = root
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARNING
handlers = console
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic
[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
";

/// Twin project directories (`a/` for Alembic, `r/` for retort) on one
/// database.
struct Projects {
    _dir: tempfile::TempDir,
    a: PathBuf,
    r: PathBuf,
    /// The second schema, `AUX` in the models: `aux` on PostgreSQL; on
    /// MariaDB, where a schema is a database, the retort twin's (the scratch
    /// user may use only the twins).
    aux: String,
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("parent dir");
    }
    fs::write(path, text).expect("write");
}

impl Projects {
    fn new(alembic: &Path, url: &str, aux: &str) -> Projects {
        let dir = tempfile::tempdir().expect("temp dir");
        let templates = alembic
            .parent()
            .and_then(Path::parent)
            .expect("venv")
            .join("lib/python3.11/site-packages/alembic/templates/generic");
        let env = fs::read_to_string(templates.join("env.py")).expect("env.py");
        let env = env
            .replace(
                "target_metadata = None",
                "import models\ntarget_metadata = models.metadata",
            )
            .replace(
                "connection=connection, target_metadata=target_metadata",
                "connection=connection, target_metadata=target_metadata, **models.configure",
            );
        assert!(
            env.contains("**models.configure"),
            "env.py template changed"
        );
        let mako = fs::read_to_string(templates.join("script.py.mako")).expect("mako");
        let ini = format!(
            "[alembic]\nscript_location = mig\nprepend_sys_path = .\nsqlalchemy.url = {url}\n{LOGGING}"
        );
        let a = dir.path().join("a");
        let r = dir.path().join("r");
        for side in [&a, &r] {
            write(&side.join("alembic.ini"), &ini);
            write(&side.join("mig/env.py"), &env);
            write(&side.join("mig/script.py.mako"), &mako);
            fs::create_dir_all(side.join("mig/versions")).expect("versions");
        }
        Projects {
            _dir: dir,
            a,
            r,
            aux: aux.to_string(),
        }
    }

    fn models(&self, shared: &str, body: &[&str]) {
        let body = body.concat();
        let text = format!(
            "import sqlalchemy as sa\n\nAUX = {aux:?}\nconfigure = {{}}\n{shared}\nmetadata = sa.MetaData()\n{body}",
            aux = self.aux
        );
        for side in [&self.a, &self.r] {
            write(&side.join("models.py"), &text);
            // A stale bytecode file must not stand in for the new model.
            let _ = fs::remove_dir_all(side.join("__pycache__"));
        }
    }

    fn version(&self, side: &Path, rev: &str) -> PathBuf {
        side.join(format!("mig/versions/{rev}_{rev}.py"))
    }
}

fn without_create_date(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("Create Date:"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Object addresses (`<… object at 0x…>`) differ from run to run.
fn without_addresses(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(" at 0x") {
        out.push_str(&rest[..i]);
        rest = rest[i + 6..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out.push_str(rest);
    out
}

fn ok(o: &Outcome, what: &str) {
    assert_eq!(o.code, Some(0), "{what}: {}\n{}", o.stdout, o.stderr);
}

struct Run<'a> {
    alembic: Alembic,
    p: &'a Projects,
}

impl Run<'_> {
    fn alembic(&mut self, args: &[&str]) -> Outcome {
        let ini = self.p.a.join("alembic.ini");
        self.alembic.run(&self.p.a, &ini, args)
    }

    fn retort(&self, args: &[&str]) -> Outcome {
        run_tool(
            &retort_bin(),
            &self.p.r,
            &self.p.r.join("alembic.ini"),
            args,
        )
    }

    /// `check` by both tools: the same verdict, stdout and exit code.
    fn same_check(&mut self, scenario: &str, when: &str) -> Outcome {
        let a = self.alembic(&["check"]);
        let r = self.retort(&["check"]);
        assert_eq!(
            (r.code, without_addresses(&r.stdout)),
            (a.code, without_addresses(&a.stdout)),
            "{scenario}: check {when}\nretort stderr: {}\nalembic stderr: {}",
            r.stderr,
            a.stderr
        );
        a
    }
}

fn reset(twins: &Twins, kind: Kind) {
    let statements: &[&str] = match kind {
        Kind::Sqlite => {
            let path = twins.alembic_url.trim_start_matches("sqlite:///");
            let _ = fs::remove_file(path);
            return;
        }
        // Everything the scenarios make (enum types included) goes with the
        // schemas; `aux` is the schemas scenario's second schema.
        Kind::Postgres => &[
            "DROP SCHEMA IF EXISTS public, aux CASCADE",
            "CREATE SCHEMA public",
            "CREATE SCHEMA aux",
        ],
        // Every table the scenarios make, dropped together (foreign keys
        // between them allow it), in both twins (the retort twin is `AUX`).
        Kind::Mariadb => &["DROP TABLE IF EXISTS post, user_tag, user, item, ticket, \
             skip_me, legacy_audit, alembic_version"],
    };
    for sql in statements {
        let errors: Vec<_> = twins
            .execute_both(sql)
            .into_iter()
            .filter(|e| e.contains("alembic's"))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
}

fn suite(kind: Kind) {
    let Some(alembic) = alembic_bin() else { return };
    let Some(twins) = Twins::create(kind, &alembic) else {
        return;
    };
    // The ini interpolates `%`: the URL's escapes are doubled.
    let aux = match kind {
        Kind::Mariadb => twins.retort_db.as_str(),
        _ => "aux",
    };
    let projects = Projects::new(&alembic, &twins.alembic_url.replace('%', "%%"), aux);
    let mut run = Run {
        alembic: Alembic::new(alembic.clone()),
        p: &projects,
    };
    // Some scenarios by name (comma-separated), when working on them.
    let only = std::env::var("AUTOGEN_SCENARIO").ok();
    // Every scenario runs (each panics on its own); the failed ones are
    // listed at the end.
    let failed: Vec<&str> = SCENARIOS
        .iter()
        .filter(|s| s.dialects.contains(&kind))
        .filter(|s| {
            only.as_deref()
                .is_none_or(|o| o.split(',').any(|n| n == s.name))
        })
        .filter(|s| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                scenario(&mut run, &twins, kind, s)
            }))
            .is_err()
        })
        .map(|s| s.name)
        .collect();
    assert!(failed.is_empty(), "{kind:?}: failed scenarios: {failed:?}");
}

/// One scenario, from an empty database.
fn scenario(run: &mut Run, twins: &Twins, kind: Kind, s: &Scenario) {
    let projects = run.p;
    reset(twins, kind);
    for side in [&projects.a, &projects.r] {
        for f in fs::read_dir(side.join("mig/versions"))
            .expect("versions")
            .flatten()
        {
            let _ = fs::remove_file(f.path());
        }
    }
    // The base model, applied by Alembic.
    projects.models(s.shared, s.base);
    ok(
        &run.alembic(&["revision", "--autogenerate", "-m", "b0", "--rev-id", "b0"]),
        s.name,
    );
    ok(&run.alembic(&["upgrade", "head"]), s.name);
    fs::copy(
        projects.version(&projects.a, "b0"),
        projects.version(&projects.r, "b0"),
    )
    .expect("copy base");
    if !s.setup.is_empty() {
        let errors: Vec<_> = twins
            .execute_both(s.setup)
            .into_iter()
            .filter(|e| e.contains("alembic's"))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", s.name);
    }

    projects.models(s.shared, s.changed);
    let verdict = run.same_check(s.name, "before the revision");
    assert_ne!(
        verdict.code,
        Some(0),
        "{}: the change is not detected",
        s.name
    );

    let args = ["revision", "--autogenerate", "-m", "chg", "--rev-id", "chg"];
    ok(&run.alembic(&args), s.name);
    let r = run.retort(&args);
    ok(&r, s.name);
    let written = |side: &Path| {
        without_create_date(&fs::read_to_string(projects.version(side, "chg")).expect("chg"))
    };
    assert_eq!(
        written(&projects.r),
        written(&projects.a),
        "{}: the generated migration differs",
        s.name
    );

    // Applied by retort, nothing is left to generate.
    ok(&run.retort(&["upgrade", "head"]), s.name);
    let after = run.same_check(s.name, "after upgrade");
    if s.settles {
        assert_eq!(
            after.code,
            Some(0),
            "{}: drift after upgrade: {}",
            s.name,
            after.stdout
        );
    }
    if !s.downgrades {
        return;
    }

    // Downgraded by retort, the database is the base model again (as
    // Alembic sees it: retort's check was compared twice already).
    ok(&run.retort(&["downgrade", "-1"]), s.name);
    for side in [&projects.a, &projects.r] {
        fs::remove_file(projects.version(side, "chg")).expect("remove chg");
    }
    projects.models(s.shared, s.base);
    let back = run.alembic(&["check"]);
    assert_eq!(
        back.code,
        Some(0),
        "{}: drift after downgrade: {}{}",
        s.name,
        back.stdout,
        back.stderr
    );
}

#[test]
fn autogenerate_sqlite() {
    suite(Kind::Sqlite);
}

#[test]
fn autogenerate_postgresql() {
    suite(Kind::Postgres);
}

#[test]
fn autogenerate_mariadb() {
    suite(Kind::Mariadb);
}

/// env.py without `target_metadata`: both commands refuse with Alembic's
/// message naming the script directory's env.py (relative here, as
/// `script_location` is).
#[test]
fn no_target_metadata() {
    let Some(alembic) = alembic_bin() else { return };
    let Some(twins) = Twins::create(Kind::Sqlite, &alembic) else {
        return;
    };
    let projects = Projects::new(&alembic, &twins.alembic_url, "aux");
    let template = alembic
        .parent()
        .and_then(Path::parent)
        .expect("venv")
        .join("lib/python3.11/site-packages/alembic/templates/generic/env.py");
    for side in [&projects.a, &projects.r] {
        fs::copy(&template, side.join("mig/env.py")).expect("env.py");
    }
    let mut run = Run {
        alembic: Alembic::new(alembic.clone()),
        p: &projects,
    };
    both_refuse(&mut run, "script mig/env.py does not provide");
}

/// `autogenerate_plugins` naming a plugin that does not exist: both commands
/// refuse with Alembic's message.
#[test]
fn unknown_plugin() {
    let Some(alembic) = alembic_bin() else { return };
    let Some(twins) = Twins::create(Kind::Sqlite, &alembic) else {
        return;
    };
    let projects = Projects::new(&alembic, &twins.alembic_url, "aux");
    let mut run = Run {
        alembic: Alembic::new(alembic.clone()),
        p: &projects,
    };
    projects.models(
        "configure = dict(autogenerate_plugins=[\"alembic.autogenerate.*\", \"alembic.autogenerate.nope\"])\n",
        &[USER],
    );
    both_refuse(
        &mut run,
        "Did not locate plugins: alembic.autogenerate.nope",
    );
}

/// `check` and `revision --autogenerate` refused alike by both tools, with
/// `message` in Alembic's output.
fn both_refuse(run: &mut Run, message: &str) {
    for args in [&["check"][..], &["revision", "--autogenerate", "-m", "x"]] {
        let a = run.alembic(args);
        let r = run.retort(args);
        assert_eq!((r.code, &r.stdout), (a.code, &a.stdout), "{args:?}");
        assert!(a.stdout.contains(message), "{}", a.stdout);
    }
}

/// A database behind the scripts' head: both commands refuse with
/// `Target database is not up to date.` and the same exit code.
#[test]
fn database_not_up_to_date() {
    let Some(alembic) = alembic_bin() else { return };
    let Some(twins) = Twins::create(Kind::Sqlite, &alembic) else {
        return;
    };
    let projects = Projects::new(&alembic, &twins.alembic_url, "aux");
    let mut run = Run {
        alembic: Alembic::new(alembic.clone()),
        p: &projects,
    };
    projects.models("", &[USER]);
    ok(
        &run.alembic(&["revision", "--autogenerate", "-m", "b0", "--rev-id", "b0"]),
        "base",
    );
    fs::copy(
        projects.version(&projects.a, "b0"),
        projects.version(&projects.r, "b0"),
    )
    .expect("copy base");
    both_refuse(&mut run, "Target database is not up to date.");
}

/// The documented `process_revision_directives` recipe: no revision file
/// when nothing changed (both tools write none and print the same).
#[test]
fn empty_revision_dropped_by_hook() {
    let Some(alembic) = alembic_bin() else { return };
    let Some(twins) = Twins::create(Kind::Sqlite, &alembic) else {
        return;
    };
    let projects = Projects::new(&alembic, &twins.alembic_url, "aux");
    let mut run = Run {
        alembic: Alembic::new(alembic.clone()),
        p: &projects,
    };
    projects.models(
        r#"
def process_revision_directives(context, revision, directives):
    if directives[0].upgrade_ops.is_empty():
        directives[:] = []

configure = dict(process_revision_directives=process_revision_directives)
"#,
        &[USER],
    );
    let base = ["revision", "--autogenerate", "-m", "b0", "--rev-id", "b0"];
    ok(&run.alembic(&base), "base");
    ok(&run.alembic(&["upgrade", "head"]), "base");
    fs::copy(
        projects.version(&projects.a, "b0"),
        projects.version(&projects.r, "b0"),
    )
    .expect("copy base");
    let args = [
        "revision",
        "--autogenerate",
        "-m",
        "same",
        "--rev-id",
        "same",
    ];
    let a = run.alembic(&args);
    let r = run.retort(&args);
    assert_eq!((r.code, &r.stdout), (a.code, &a.stdout));
    for side in [&projects.a, &projects.r] {
        let files = fs::read_dir(side.join("mig/versions"))
            .expect("versions")
            .flatten()
            .filter(|f| f.path().extension().is_some_and(|e| e == "py"))
            .count();
        assert_eq!(files, 1, "{}", side.display());
    }
}
