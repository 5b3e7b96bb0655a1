//! `cargo xtask upstream-diff`: how our spec differs, field by field, from ZEGOCLOUD's files.

use std::path::Path;

use super::{display, print, CommandError, Verdict};

/// Prints the drift between the spec set `spec` and ZEGOCLOUD's files in `dir` as Markdown.
///
/// # Errors
/// [`CommandError::Spec`] when our spec does not load, [`CommandError::Upstream`] when their
/// files cannot be read.
pub fn upstream_diff(dir: &Path, spec: &Path) -> Result<Verdict, CommandError> {
    let root = crate::workspace_root();
    let ours = crate::our_actions(&root.join(spec), &display(spec))?;
    let upstream = crate::upstream_diff::upstream_actions(dir).map_err(CommandError::Upstream)?;
    let drift = crate::upstream_diff::compare(&ours, &upstream);
    print(&crate::upstream_diff::to_markdown(&drift, &display(dir)));
    Ok(if drift.is_empty() {
        Verdict::Same
    } else {
        Verdict::Differs
    })
}
