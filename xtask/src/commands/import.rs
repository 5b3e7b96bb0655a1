//! `cargo xtask import`: one product from ZEGOCLOUD's published OpenAPI files into a spec set
//! of ours, or a spec set brought up to date from the folders its root records.

use std::path::{Path, PathBuf};

use super::{display, say, CommandError};

/// What `cargo xtask import` was asked for.
pub struct ImportRequest {
    /// The folder of published files (English, the primary source); default: the first
    /// the existing spec set records.
    pub folder: Option<PathBuf>,
    /// Further folders (the Chinese files) that add only the actions the first lacks.
    pub also: Vec<PathBuf>,
    /// The docs repository's checkout, for folders the spec set records.
    pub docs: PathBuf,
    /// The generated crate's name.
    pub crate_name: Option<String>,
    /// The product's name in prose.
    pub title: Option<String>,
}

impl ImportRequest {
    /// Fills what was not given from the spec set's root, as its last import wrote it.
    fn completed(
        mut self,
        existing: Option<&serde_yaml::Value>,
    ) -> Result<(PathBuf, Vec<PathBuf>, Option<String>, String), CommandError> {
        let upstream = existing.and_then(|root| root.get("x-zego-upstream"));
        let recorded: Vec<PathBuf> = upstream
            .and_then(|upstream| upstream.get("folders"))
            .and_then(serde_yaml::Value::as_sequence)
            .into_iter()
            .flatten()
            .filter_map(serde_yaml::Value::as_str)
            .map(|folder| self.docs.join(folder))
            .collect();
        let folder = match self.folder.take() {
            Some(folder) => folder,
            None => {
                let Some((first, rest)) = recorded.split_first() else {
                    return Err(CommandError::Usage("name the folder to import, or `--out` a spec set whose root records one (`x-zego-upstream`)".to_owned()));
                };
                if self.also.is_empty() {
                    self.also = rest.to_vec();
                }
                first.clone()
            }
        };
        let crate_name = self.crate_name.or_else(|| {
            existing
                .and_then(|root| root.get("x-zego-crate"))
                .and_then(serde_yaml::Value::as_str)
                .map(str::to_owned)
        });
        let title = self
            .title
            .or_else(|| {
                let title = existing?.get("info")?.get("title")?.as_str()?;
                let title = title.strip_prefix("ZEGOCLOUD ").unwrap_or(title);
                Some(title.strip_suffix(" API").unwrap_or(title).to_owned())
            })
            .ok_or_else(|| CommandError::Usage("name the product with `--title`".to_owned()))?;
        Ok((folder, self.also, crate_name, title))
    }
}

/// The root of the spec set an earlier import wrote, if there is one. A root that cannot be
/// read or parsed is an error, not a fresh start: its version, crate name and folders would
/// otherwise be replaced by defaults without a word.
fn existing_root(path: &Path) -> Result<Option<serde_yaml::Value>, CommandError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(file_error(path, &error)),
    };
    serde_yaml::from_str(&text)
        .map(Some)
        .map_err(|error| file_error(path, &error))
}

/// Imports one product into the spec set `out` (a folder named for the product), or brings
/// that set up to date from the folders its root records.
///
/// # Errors
/// [`CommandError::Usage`] when the folder or the title cannot be known,
/// [`CommandError::Spec`] when ZEGOCLOUD's files have problems the import cannot mend (nothing
/// is written then), [`CommandError::File`] when a file cannot be read or written.
pub fn import(request: ImportRequest, out: &Path) -> Result<(), CommandError> {
    let root = crate::workspace_root();
    let out_dir = root.join(out);
    let product = out_dir
        .file_name()
        .and_then(|name| name.to_str())
        .map(str::to_owned)
        .ok_or_else(|| CommandError::Usage(format!("`--out {}` names no folder", out.display())))?;
    let existing = existing_root(&out_dir.join(format!("{product}.yaml")))?;
    let version = existing
        .as_ref()
        .and_then(|doc| doc.get("info")?.get("version")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| "0.1.0".to_owned());
    let (folder, also, crate_name, title) = request.completed(existing.as_ref())?;
    // Kept from the spec set being brought up to date: ZEGOCLOUD's files do not say it.
    let login_tokens = existing
        .as_ref()
        .and_then(|doc| doc.get("x-zego-login-tokens")?.as_bool())
        .unwrap_or(false);
    let facts_shown = format!("facts/{product}.yaml");
    let options = crate::import::ImportOptions {
        facts: Some((root.join(&facts_shown), facts_shown)),
        folders: std::iter::once(folder).chain(also).collect(),
        crate_name: crate_name.unwrap_or_else(|| format!("zego-{product}")),
        product,
        title,
        version,
        login_tokens,
    };
    let imported = crate::import::import(&options)?;
    for (path, contents) in &imported.files {
        let target = out_dir.join(path);
        target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, contents))
            .map_err(|error| file_error(&target, &error))?;
    }
    say!("{}", crate::import::report_text(&imported.report));
    say!(
        "wrote {} files into {}/",
        imported.files.len(),
        display(out)
    );
    Ok(())
}

fn file_error(path: &Path, error: &dyn std::fmt::Display) -> CommandError {
    CommandError::File {
        path: display(path),
        message: error.to_string(),
    }
}
