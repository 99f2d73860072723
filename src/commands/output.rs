//! What commands print: the buffered stdout channel, and Alembic's two ways of
//! describing a revision (the one-line form and the log entry).

use std::io::Write;

use crate::revision::RevisionMap;
use crate::script::{python_splitlines, Script};

/// Stdout, silenced by `-q`. Write errors (a closed pipe) end output quietly, as
/// Alembic's `write_outstream` does.
pub struct Output {
    quiet: bool,
    out: std::io::BufWriter<std::io::Stdout>,
    broken: bool,
}

impl Output {
    pub fn new(quiet: bool) -> Output {
        Output {
            quiet,
            out: std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout()),
            broken: false,
        }
    }

    /// `-q`: nothing is printed.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// `config.print_stdout`: the text and a newline.
    pub fn line(&mut self, text: &str) {
        if self.quiet || self.broken {
            return;
        }
        if self
            .out
            .write_all(text.as_bytes())
            .and_then(|_| self.out.write_all(b"\n"))
            .is_err()
        {
            self.broken = true;
        }
    }

    /// Offline SQL goes to stdout whatever `-q` says, as Alembic's output buffer does.
    pub fn raw(&mut self, text: &str) {
        if !self.broken && self.out.write_all(text.as_bytes()).is_err() {
            self.broken = true;
        }
    }

    /// The start of Alembic's `util.status`: `<text> ...`, on its own line when
    /// `newline` (what follows may print), flushed either way.
    pub fn begin_status(&mut self, text: &str, newline: bool) {
        if !self.quiet {
            self.raw(text);
            self.raw(if newline { " ...\n" } else { " ..." });
        }
        self.flush();
    }

    /// The end of a status line: `  done` or `  FAILED`.
    pub fn end_status(&mut self, ok: bool) {
        self.line(if ok { "  done" } else { "  FAILED" });
    }

    /// `<text> ...  done` around `f`, or `  FAILED` when it fails.
    pub fn status<T, E>(&mut self, text: &str, f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        self.begin_status(text, false);
        let result = f();
        self.end_status(result.is_ok());
        result
    }

    /// [`Output::status`] printed even under `-q`, where Alembic's messages
    /// are not given the quiet flag (the files `init` writes).
    pub fn status_unquiet<T, E>(
        &mut self,
        text: &str,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        self.begin_status_unquiet(text, false);
        let result = f();
        self.end_status_unquiet(result.is_ok());
        result
    }

    /// [`Output::begin_status`] whatever `-q` says.
    pub fn begin_status_unquiet(&mut self, text: &str, newline: bool) {
        self.raw(text);
        self.raw(if newline { " ...\n" } else { " ..." });
        self.flush();
    }

    /// [`Output::end_status`] whatever `-q` says.
    pub fn end_status_unquiet(&mut self, ok: bool) {
        self.raw(if ok { "  done\n" } else { "  FAILED\n" });
    }

    /// `FAILED: <msg>`, Alembic's report of a `CommandError`.
    pub fn failed(&mut self, msg: &str) {
        self.line(&format!("FAILED: {msg}"));
        self.flush();
    }

    pub fn flush(&mut self) {
        if !self.broken && self.out.flush().is_err() {
            self.broken = true;
        }
    }
}

/// Which parts of the one-line form to include (Alembic's `_head_only` flags).
#[derive(Debug, Clone, Copy, Default)]
pub struct Short {
    pub branches: bool,
    pub doc: bool,
    pub parents: bool,
    pub tree: bool,
}

/// Formats revisions of one map; `scripts[i]` is revision `i`.
pub struct Describe<'a> {
    pub map: &'a RevisionMap,
    pub scripts: &'a [Script],
}

impl Describe<'_> {
    fn down_revisions(&self, i: usize) -> String {
        let down = &self.map.node(i).rev.down_revisions;
        if down.is_empty() {
            "<base>".to_string()
        } else {
            down.join(", ")
        }
    }

    /// Alembic's `cmd_format`: the log entry when verbose, else the one-line form.
    pub fn cmd_format(&self, i: usize, verbose: bool, short: Short, current: bool) -> String {
        if verbose {
            self.log_entry(i, current)
        } else {
            self.short(i, short, current)
        }
    }

    /// `[parents -> ]rev[ (labels)][ (head)][ (effective head)][ (current)][ tree][, doc]`
    pub fn short(&self, i: usize, s: Short, current: bool) -> String {
        let node = self.map.node(i);
        let mut text = String::new();
        if s.parents {
            text.push_str(&self.down_revisions(i));
            if !node.rev.dependencies.is_empty() {
                text.push_str(&format!(" ({})", node.rev.dependencies.join(", ")));
            }
            text.push_str(" -> ");
        }
        text.push_str(node.id());
        if s.branches && !node.labels.is_empty() {
            text.push_str(&format!(" ({})", join(node.labels.iter())));
        }
        if node.is_real_head() {
            text.push_str(" (head)");
        }
        if node.is_head() && !node.is_real_head() {
            text.push_str(" (effective head)");
        }
        if current {
            text.push_str(" (current)");
        }
        if s.tree {
            if node.is_branch_point() {
                text.push_str(" (branchpoint)");
            }
            if node.is_merge_point() {
                text.push_str(" (mergepoint)");
            }
        }
        if s.doc {
            text.push_str(", ");
            text.push_str(self.scripts[i].doc());
        }
        text
    }

    /// The `--format json` object of a revision: the graph facts the text
    /// forms show, as fields.
    pub fn json(&self, i: usize, current: Option<bool>) -> serde_json::Value {
        let node = self.map.node(i);
        let script = &self.scripts[i];
        let mut object = serde_json::json!({
            "revision": node.id(),
            "down_revisions": node.rev.down_revisions,
            "dependencies": node.rev.dependencies,
            "branch_labels": node.labels,
            "doc": script.doc(),
            "path": script.path.display().to_string(),
            "is_head": node.is_head(),
            "is_real_head": node.is_real_head(),
            "is_base": node.is_base(),
            "is_branch_point": node.is_branch_point(),
            "is_merge": node.is_merge_point(),
        });
        if let (Some(current), Some(fields)) = (current, object.as_object_mut()) {
            fields.insert("is_current".into(), current.into());
        }
        object
    }

    /// `--format json`: the revisions as one JSON array, in the given order.
    pub fn json_array(&self, revisions: impl Iterator<Item = (usize, Option<bool>)>) -> String {
        let items: Vec<serde_json::Value> = revisions.map(|(i, c)| self.json(i, c)).collect();
        serde_json::Value::Array(items).to_string()
    }

    /// The multi-line entry of `show` and `-v`.
    pub fn log_entry(&self, i: usize, current: bool) -> String {
        let node = self.map.node(i);
        let script = &self.scripts[i];
        let mut e = format!("Rev: {}", node.id());
        for (on, marker) in [
            (node.is_head(), " (head)"),
            (node.is_branch_point(), " (branchpoint)"),
            (node.is_merge_point(), " (mergepoint)"),
            (current, " (current)"),
        ] {
            if on {
                e.push_str(marker);
            }
        }
        e.push('\n');
        let parents_label = if node.is_merge_point() {
            "Merges"
        } else {
            "Parent"
        };
        e.push_str(&format!("{parents_label}: {}\n", self.down_revisions(i)));
        if !node.rev.dependencies.is_empty() {
            e.push_str(&format!(
                "Also depends on: {}\n",
                node.rev.dependencies.join(", ")
            ));
        }
        if node.is_branch_point() {
            e.push_str(&format!(
                "Branches into: {}\n",
                join(node.next.iter().map(|&c| self.map.id(c)))
            ));
        }
        if !node.labels.is_empty() {
            e.push_str(&format!("Branch names: {}\n", join(node.labels.iter())));
        }
        e.push_str(&format!("Path: {}\n", script.path.display()));
        let doc: Vec<String> = python_splitlines(&script.longdoc)
            .into_iter()
            .map(|l| format!("    {l}"))
            .collect();
        e.push_str(&format!("\n{}\n", doc.join("\n")));
        e
    }
}

fn join<I, S>(items: I) -> String
where
    I: Iterator<Item = S>,
    S: AsRef<str>,
{
    items
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
