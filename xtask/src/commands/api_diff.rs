//! `cargo xtask api-diff`: what a spec change does to the generated API, for a review.

use std::path::Path;

use super::{current_files, display, print, short, spec_directory, CommandError, Verdict};

/// Prints, as Markdown, what changed in the spec set `spec` since `base` (default: `HEAD`
/// when the spec has uncommitted changes, else the merge base with `main`).
///
/// # Errors
/// [`CommandError::NoBase`] when no base can be chosen, [`CommandError::Spec`] when either
/// side does not generate.
pub fn api_diff(base: Option<String>, spec: &Path) -> Result<Verdict, CommandError> {
    let root = crate::workspace_root();
    let spec_name = display(spec);
    let default_base = || crate::vcs::default_base(&root, spec_directory(&spec_name));
    let base = base
        .map_or_else(default_base, Ok)
        .map_err(CommandError::NoBase)?;
    let base_label = format!("{spec_name}@{}", short(&base));
    let at_base = crate::vcs::Revision {
        root: &root,
        revision: &base,
    };
    let here = current_files(&root);
    let report = crate::api_diff_sets((&at_base, &spec_name), (&here, &spec_name))?;
    print(&report.to_markdown(&base_label));
    Ok(if report.is_breaking() || report.breaks_the_wire() {
        Verdict::Differs
    } else {
        Verdict::Same
    })
}
