//! retort: runs an existing Alembic project with Alembic's command line.
//!
//! Layers (arrows point down): `cli` → `commands` → `verify` → {`config`, `script`, `revision`, `db`}.

mod backend;
pub mod cli;
pub mod commands;
pub mod config;
pub mod db;
pub mod ddl;
mod fasthash;
pub mod host;
pub mod python;
pub mod revision;
pub mod runtime;
pub mod script;
pub mod verify;
