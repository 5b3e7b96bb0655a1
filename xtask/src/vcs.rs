//! The few git questions `api-diff` and `codegen --check` ask: which revision to compare
//! with, and what the spec was there.

use std::path::Path;
use std::process::Command;

/// Why git could not answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VcsError {
    /// git could not be started.
    #[error("cannot run git: {0}")]
    CannotRun(#[source] std::io::Error),
    /// git ran and refused, with what it printed.
    #[error("git {command}: {message}")]
    Refused {
        /// The arguments given.
        command: String,
        /// What git printed on stderr.
        message: String,
    },
    /// The revision names no commit.
    #[error("unknown revision `{0}`")]
    UnknownRevision(String),
}

fn git(root: &Path, args: &[&str]) -> Result<String, VcsError> {
    git_output(root, args).map(|text| text.trim_end().to_owned())
}

/// What git printed, byte for byte: a file's text keeps its last newline, which a YAML block
/// scalar (`description: |`) ending the file holds.
fn git_output(root: &Path, args: &[&str]) -> Result<String, VcsError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(VcsError::CannotRun)?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(VcsError::Refused {
            command: args.join(" "),
            message: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        })
    }
}

/// The default base: `HEAD` when `spec` (a file or the folder of a spec set) has uncommitted
/// changes, else the merge base of `HEAD` and `main`.
pub fn default_base(root: &Path, spec: &str) -> Result<String, VcsError> {
    let dirty = !git(root, &["status", "--porcelain", "--", spec])?.is_empty();
    if dirty {
        return Ok("HEAD".to_owned());
    }
    git(root, &["merge-base", "HEAD", "main"])
}

/// The spec's text at `revision`, or `None` when it did not exist there.
pub fn file_at(root: &Path, revision: &str, path: &str) -> Result<Option<String>, VcsError> {
    git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ],
    )
    .map_err(|_| VcsError::UnknownRevision(revision.to_owned()))?;
    match git_output(root, &["show", &format!("{revision}:{path}")]) {
        Ok(text) => Ok(Some(text)),
        Err(_) => Ok(None),
    }
}

/// The files of a spec set as they were at a git revision.
pub struct Revision<'a> {
    pub root: &'a Path,
    pub revision: &'a str,
}

impl crate::load::SpecSource for Revision<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        file_at(self.root, self.revision, path)
            .map_err(|error| error.to_string())?
            .ok_or_else(|| format!("it does not exist at {}", self.revision))
    }
}
