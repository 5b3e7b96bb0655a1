//! Call limits the pages state beside the OpenAPI files: the note on an action's own page
//! (`create-a-group.mdx` beside `create-a-group.yaml`), an overview's table of limits per
//! action, and a sentence giving every action without a figure of its own a default. Where two
//! sources disagree, the stricter figure is kept and the action says so.

use std::path::Path;

use super::actions::Action;
use super::facts::{self, RateLimits};
use super::pages;
use super::source::normalise;

/// Adds what the pages in `folder` say to each action (read from that folder).
pub fn apply_pages(actions: &mut [Action], folder: &Path) {
    for action in actions.iter_mut() {
        let companion = folder.join(&action.file).with_extension("mdx");
        if let Ok(text) = std::fs::read_to_string(&companion) {
            let shown = action.file.replace(".yaml", ".mdx");
            merge(
                action,
                &facts::rate_limits(&pages::limit_lines(&text)),
                &shown,
            );
        }
    }
    let overviews = super::source::files_with_extension(folder, &["mdx"]).unwrap_or_default();
    for page in overviews {
        let Ok(text) = std::fs::read_to_string(&page) else {
            continue;
        };
        let shown = crate::relative_path(folder, &page)
            .trim_start_matches("./")
            .to_owned();
        let dir = page.parent().map(Path::to_path_buf).unwrap_or_default();
        for (linked, limit) in pages::overview_limits(&text) {
            let target = normalise(&dir.join(&linked).with_extension("yaml"));
            for action in actions.iter_mut() {
                if normalise(&folder.join(&action.file)) == target {
                    merge(action, &facts::rate_limits(&limit), &shown);
                }
            }
        }
    }
}

/// Gives every action without a per-second figure the one `page` states for all of them.
/// Answers `false` when the page states none (it changed, or is gone).
pub fn apply_default(actions: &mut [Action], page: &Path, shown: &str) -> bool {
    let Ok(text) = std::fs::read_to_string(page) else {
        return false;
    };
    let Some(default) = facts::rate_limits(&pages::limit_lines(&text)).per_second else {
        return false;
    };
    for action in actions.iter_mut().filter(|a| a.limits.per_second.is_none()) {
        action.limits.per_second = Some(default);
        action.limit_notes.push(format!(
            "The per-second limit is the default `{shown}` states for every action that states none of its own."
        ));
    }
    true
}

/// Adds `limits` from `source` to the action's; two per-second figures that differ keep the
/// stricter, with a note naming both sources.
fn merge(action: &mut Action, limits: &RateLimits, source: &str) {
    match (action.limits.per_second, limits.per_second) {
        (None, Some(new)) => action.limits.per_second = Some(new),
        (Some(known), Some(new)) if known != new => {
            let kept = known.min(new);
            action.limits.per_second = Some(kept);
            action.limit_notes.push(format!(
                "The sources disagree on the per-second limit: `{}` says {known} and `{source}` says {new}; the stricter, {kept}, is kept.",
                action.file
            ));
        }
        _ => {}
    }
    for limit in &limits.documented {
        if !action.limits.documented.contains(limit) {
            action.limits.documented.push(limit.clone());
        }
    }
}
