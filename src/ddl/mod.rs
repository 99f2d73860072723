//! stub
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DdlError(String);
pub fn render_json(_ir: &str, _b: crate::db::Backend) -> Result<Vec<String>, DdlError> { Err(DdlError("DDL renderer not built".into())) }
