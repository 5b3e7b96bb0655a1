//! Reading a product's published files as ZEGOCLOUD lays them out: every YAML file of a folder
//! (searched recursively), and any file a `$ref` reaches, wherever it is (references climb out
//! of the product's folder into the docs tree's `snippets/`). Files are plain YAML values here:
//! the published files are not all valid OpenAPI until the fix-ups have run.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde_yaml::Value;

use crate::diagnostics::{Location, SpecError};

/// The longest chain of `$ref`s followed; a longer one is taken for a cycle.
pub const MAX_REFERENCE_CHAIN: usize = 16;

/// The files read so far, by their normalised path.
pub struct Files {
    /// The folder the import started from; files are named relative to it in messages.
    base: PathBuf,
    loaded: BTreeMap<PathBuf, Result<Value, SpecError>>,
}

/// A value found by following a reference, with the file it is in (further references in it
/// are relative to that file).
pub struct Resolved<'a> {
    pub file: PathBuf,
    pub value: &'a Value,
}

impl Files {
    pub fn new(base: &Path) -> Self {
        Self {
            base: normalise(base),
            loaded: BTreeMap::new(),
        }
    }

    /// Every `.yaml`/`.yml` file under `folder`, sorted, with paths normalised.
    pub fn yaml_files(folder: &Path) -> Result<Vec<PathBuf>, SpecError> {
        files_with_extension(folder, &["yaml", "yml"])
    }

    /// How messages name `path`: relative to the folder imported from where it is inside it
    /// (or climbs out of it), with `/` separators.
    pub fn display(&self, path: &Path) -> String {
        crate::relative_path(&self.base, path)
            .trim_start_matches("./")
            .to_owned()
    }

    /// The file's YAML, read once; a file that cannot be read or parsed is an error at its
    /// line and column.
    pub fn load(&mut self, path: &Path) -> Result<&Value, SpecError> {
        let path = normalise(path);
        if !self.loaded.contains_key(&path) {
            let shown = self.display(&path);
            let parsed = read_yaml(&path, &shown);
            self.loaded.insert(path.clone(), parsed);
        }
        match &self.loaded[&path] {
            Ok(value) => Ok(value),
            Err(error) => Err(error.clone()),
        }
    }

    /// Takes `value` as the text of `path`, for a document that is not on disk (a bundled
    /// spec): references in it to `#/…` are then followed within it.
    pub fn insert(&mut self, path: &Path, value: Value) {
        self.loaded.insert(normalise(path), Ok(value));
    }

    /// Follows a chain of `$ref`s from `value` (written in `file`, `at` naming the place for
    /// messages): the final value and the file it is in, from where its own references go.
    ///
    /// # Errors
    /// A reference to nothing, a file that cannot be read, or a chain longer than
    /// [`MAX_REFERENCE_CHAIN`] (a cycle).
    pub fn follow(
        &mut self,
        file: &Path,
        value: &Value,
        at: &str,
    ) -> Result<(PathBuf, Value), SpecError> {
        let mut file = file.to_path_buf();
        let mut value = value.clone();
        for _ in 0..MAX_REFERENCE_CHAIN {
            let Some(reference) = value.get("$ref").and_then(Value::as_str).map(str::to_owned)
            else {
                return Ok((file, value));
            };
            let resolved = self.resolve(&file, &reference, at)?;
            file = resolved.file;
            value = resolved.value.clone();
        }
        Err(SpecError::at_place(
            at,
            "",
            format!("a chain of more than {MAX_REFERENCE_CHAIN} `$ref`s"),
        ))
    }

    /// Follows `reference` (`file#/pointer`, `#/pointer` or `file`) written in `from` at
    /// `place` (`file#/pointer`, where a reference to nothing is reported). A file it reaches
    /// that cannot be read or parsed is reported at its own line.
    pub fn resolve(
        &mut self,
        from: &Path,
        reference: &str,
        place: &str,
    ) -> Result<Resolved<'_>, SpecError> {
        let (file_part, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file_part.is_empty() {
            normalise(from)
        } else {
            normalise(&from.parent().unwrap_or(Path::new(".")).join(file_part))
        };
        let document = self.load(&file)?;
        match pointer_get(document, pointer) {
            Some(value) => Ok(Resolved { file, value }),
            None => Err(SpecError::at_place(
                place,
                "",
                format!("`$ref: {reference}` points at nothing"),
            )),
        }
    }
}

/// Every file under `folder` (searched recursively) whose extension is one of `extensions`,
/// sorted, with paths normalised.
pub fn files_with_extension(folder: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, SpecError> {
    let mut found = Vec::new();
    let mut pending = vec![normalise(folder)];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|error| SpecError {
            file: dir.display().to_string(),
            location: Location::Document,
            message: format!("cannot read the folder: {error}"),
        })?;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|ext| extensions.iter().any(|wanted| ext == *wanted))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn read_yaml(path: &Path, shown: &str) -> Result<Value, SpecError> {
    let text = std::fs::read_to_string(path).map_err(|error| SpecError {
        file: shown.to_owned(),
        location: Location::Document,
        message: format!("cannot read the file: {error}"),
    })?;
    serde_yaml::from_str(&text).map_err(|error| {
        let location = error
            .location()
            .map_or(Location::Document, |at| Location::LineColumn {
                line: at.line(),
                column: at.column(),
            });
        SpecError {
            file: shown.to_owned(),
            location,
            message: format!("not readable as YAML: {error}"),
        }
    })
}

/// The value at a JSON pointer (`/a/b~1c`); the whole document for an empty pointer.
pub fn pointer_get<'a>(document: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut current = document;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        current = match current {
            Value::Mapping(map) => map.get(token.as_str())?,
            Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// `path` with `.` and `..` folded away lexically (the files need not exist yet).
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                // `PathBuf::pop` would take a `..` away too: only a named folder cancels one.
                let ends_in_name =
                    matches!(out.components().next_back(), Some(Component::Normal(_)));
                if ends_in_name {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_climb_out_of_the_folder_lexically() {
        let from = Path::new("/docs/core/rtc/en/server/api-reference/shared-components.yaml");
        let target = normalise(
            &from
                .parent()
                .expect("parent")
                .join("../../../../../snippets/common/en/openapi/x.yaml"),
        );
        assert_eq!(target, Path::new("/docs/snippets/common/en/openapi/x.yaml"));
    }

    #[test]
    fn a_relative_path_keeps_the_folders_it_climbs_out_of() {
        assert_eq!(
            normalise(Path::new("../../docs/x")),
            Path::new("../../docs/x")
        );
        assert_eq!(normalise(Path::new("../a/../../b")), Path::new("../../b"));
        assert_eq!(normalise(Path::new("a/./b/../c")), Path::new("a/c"));
        assert_eq!(normalise(Path::new("/../a")), Path::new("/a"));
    }

    #[test]
    fn pointers_read_maps_and_lists() {
        let value: Value = serde_yaml::from_str("a:\n  b/c:\n    - 1\n    - 2\n").expect("yaml");
        assert_eq!(pointer_get(&value, "/a/b~1c/1"), Some(&Value::from(2)));
        assert_eq!(pointer_get(&value, "/a/x"), None);
        assert_eq!(pointer_get(&value, ""), Some(&value));
    }
}
