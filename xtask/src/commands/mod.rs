//! The commands of `cargo xtask`, one file each; `main.rs` only parses the command line and
//! turns what a command returns into output and an exit status. A command prints its report
//! and progress to standard output; every failure comes back as a [`CommandError`].

use std::path::{Path, PathBuf};

mod api_diff;
mod bundle;
mod codegen;
mod import;
mod upstream_diff;

pub use api_diff::api_diff;
pub use bundle::bundle;
pub use codegen::codegen;
pub use import::{import, ImportRequest};
pub use upstream_diff::upstream_diff;

/// Why a command failed. Each variant says where; none holds a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// Problems in a spec, each with its file and place (or the generator's own error).
    #[error("{0}")]
    Spec(String),
    /// A file or folder could not be read or written.
    #[error("{path}: {message}")]
    File {
        /// The file or folder.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The arguments do not say what to do.
    #[error("{0}")]
    Usage(String),
    /// git could not give what a comparison needs.
    #[error("cannot choose a base revision ({0}); pass --base <git-ref>")]
    NoBase(#[source] crate::vcs::VcsError),
    /// ZEGOCLOUD's files could not be read, at a place in them.
    #[error("{0}")]
    Upstream(crate::diagnostics::SpecError),
    /// Some products did not generate (or were stale under `--check`); each was reported.
    #[error("{failed} of {total} products failed")]
    Products {
        /// How many failed.
        failed: usize,
        /// How many there were.
        total: usize,
    },
    /// The spec changed in a breaking way without a major bump of its version.
    #[error(
        "the spec changed in a breaking way since {base}, but info.version went from {from} to {to}; \
         set it to at least {needed} (run `cargo xtask api-diff` for the details)"
    )]
    VersionTooLow {
        /// The spec and revision compared with.
        base: String,
        /// The version there.
        from: String,
        /// The version now.
        to: String,
        /// The least version the change needs.
        needed: String,
    },
}

impl From<crate::GenerateError> for CommandError {
    fn from(error: crate::GenerateError) -> Self {
        Self::Spec(error.to_string())
    }
}

impl From<crate::diagnostics::Diagnostics> for CommandError {
    fn from(error: crate::diagnostics::Diagnostics) -> Self {
        Self::Spec(error.to_string())
    }
}

/// What a comparing command found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing that matters differs.
    Same,
    /// Something differs (a breaking change, a drift from upstream).
    Differs,
}

/// Prints a line to stdout. A reader that went away (`cargo xtask codegen | head -1`) is not
/// an error worth a panic: the rest of the output is simply not wanted.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
pub(crate) use say;

/// Prints text to stdout as it is, ignoring a reader that went away.
fn print(text: &str) {
    use std::io::Write as _;
    let _ = write!(std::io::stdout().lock(), "{text}");
}

/// A path as the messages show it, with `/` separators.
fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// `path` made absolute and, where it exists, free of `..` and links; a folder that does not
/// exist yet keeps its lexical form.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => path.to_path_buf(),
    }
}

/// The spec files as they are in the work tree.
fn current_files(root: &Path) -> crate::load::Directory {
    crate::load::Directory::new(root, "")
}

/// The folder of the spec set, whose every file counts as the spec.
fn spec_directory(spec: &str) -> &str {
    spec.rsplit_once('/')
        .map_or(".", |(directory, _)| directory)
}

/// A commit hash shortened for messages; other revisions as given.
fn short(revision: &str) -> &str {
    if revision.len() == 40 && revision.chars().all(|c| c.is_ascii_hexdigit()) {
        &revision[..12]
    } else {
        revision
    }
}
