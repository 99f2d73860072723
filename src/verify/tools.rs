//! Running one command through both tools at once, each on its own twin.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use super::VerifyError;

/// One tool and the arguments that point it at its scratch database.
pub struct Tool {
    pub name: &'static str,
    pub program: PathBuf,
    pub config_args: Vec<OsString>,
    /// `-x` values, passed on to env.py.
    pub x: Vec<String>,
}

/// What one run did.
#[derive(Debug)]
pub struct Ran {
    pub success: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// The end of its output, for a message.
    pub fn tail(&self) -> String {
        let text = if self.stderr.trim().is_empty() {
            &self.stdout
        } else {
            &self.stderr
        };
        let lines: Vec<&str> = text.trim_end().lines().collect();
        lines[lines.len().saturating_sub(6)..].join("\n")
    }

    pub fn status(&self) -> String {
        match self.code {
            Some(c) => format!("exit {c}"),
            None => "killed by a signal".to_string(),
        }
    }
}

impl Tool {
    fn spawn(&self, cwd: &Path, args: &[String]) -> Result<Child, VerifyError> {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.config_args);
        for x in &self.x {
            cmd.arg("-x").arg(x);
        }
        cmd.args(args)
            .current_dir(cwd)
            .env_remove("ALEMBIC_CONFIG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| VerifyError::Io {
                what: format!("running {}", self.program.display()),
                source,
            })
    }
}

fn finished(tool: &Tool, child: Child) -> Result<Ran, VerifyError> {
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().map_err(|source| VerifyError::Io {
        what: format!("waiting for {}", tool.program.display()),
        source,
    })?;
    Ok(Ran {
        success: status.success(),
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// Runs `args` through every tool side by side; their results in order.
pub fn run_all(tools: &[Tool], cwd: &Path, args: &[String]) -> Result<Vec<Ran>, VerifyError> {
    let children = tools
        .iter()
        .map(|t| t.spawn(cwd, args))
        .collect::<Result<Vec<_>, _>>()?;
    tools
        .iter()
        .zip(children)
        .map(|(t, c)| finished(t, c))
        .collect()
}
