//! `cargo xtask bundle`: one action of a spec set as a single self-contained document.

use std::path::Path;

use super::{display, print, CommandError};

/// Prints `action` of the spec set `spec` as one OpenAPI document.
///
/// # Errors
/// [`CommandError::Spec`] when the spec does not load or has no such action.
pub fn bundle(action: &str, spec: &Path) -> Result<(), CommandError> {
    let root = crate::workspace_root();
    let document = crate::bundle_action(&root.join(spec), &display(spec), action)?;
    print(&document);
    Ok(())
}
