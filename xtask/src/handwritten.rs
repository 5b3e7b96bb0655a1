//! Hand-written product code that must live inside a generated crate (inherent methods on
//! its types, its examples), kept under `handwritten/<crate>/` and named by the spec's root
//! `x-zego-handwritten`. Each file is copied verbatim under the generated crate, headed like
//! every generated file, so `generated/` holds only what the generator writes and a reader
//! knows from the path alone where to edit.
//!
//! Not a pipeline stage: it reads files the spec only points at, after `emit`, for the entry
//! points that start from a spec file.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostics, Location, SpecError};
use crate::emit::{GeneratedFile, HEADER_MARKER};

/// The spec root's key naming the folder, relative to the root file.
pub const EXTENSION: &str = "x-zego-handwritten";

/// What a copy's header says after the generated marker.
const COPY_MARKER: &str = ": a copy of ";

/// Whether `file` is a copy of a hand-written source rather than output made from the spec.
pub fn is_copy(file: &GeneratedFile) -> bool {
    file.contents
        .lines()
        .next()
        .is_some_and(|first| first.contains(&format!("{HEADER_MARKER}{COPY_MARKER}")))
}

/// The copies of every file under `dir` (relative to the spec file at `spec_path`, which
/// errors and headers call `spec_name`), in path order. `emitted` are the generator's own
/// files: a hand-written file may not take one of their paths.
///
/// # Errors
/// Located at the spec's `x-zego-handwritten`: a folder that cannot be read, a file that is
/// not Rust (the header is a Rust comment), or a path the generator already writes.
pub fn copies(
    spec_path: &Path,
    spec_name: &str,
    dir: &str,
    emitted: &[GeneratedFile],
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let base = spec_path.parent().unwrap_or(Path::new(".")).join(dir);
    let shown_base = normalise(
        &Path::new(spec_name)
            .parent()
            .unwrap_or(Path::new(""))
            .join(dir),
    );
    let error = |message: String| {
        Diagnostics::single(SpecError {
            file: spec_name.to_owned(),
            location: Location::Pointer(format!("#/{EXTENSION}")),
            message,
        })
    };
    let mut files = Vec::new();
    walk(&base, &mut files).map_err(|io| {
        error(format!(
            "cannot read the hand-written sources in `{shown_base}`: {io}"
        ))
    })?;
    files.sort();
    let mut copies = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&base)
            .map(|path| path.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let shown = format!("{shown_base}/{relative}");
        let Some(header) = header_for(&relative, &shown, spec_name) else {
            return Err(error(format!(
                "`{shown}` cannot be copied: only Rust (`.rs`), Markdown (`.md`) and license \
                 (`LICENSE*`) files can, each headed in its own syntax"
            )));
        };
        if emitted.iter().any(|generated| generated.path == relative) {
            return Err(error(format!(
                "`{shown}` would replace the generated `{relative}`; rename the hand-written file"
            )));
        }
        let text = std::fs::read_to_string(&file)
            .map_err(|io| error(format!("cannot read `{shown}`: {io}")))?;
        copies.push(GeneratedFile {
            path: relative,
            contents: format!("{header}{text}"),
        });
    }
    if copies.is_empty() {
        return Err(error(format!("`{shown_base}` holds no files")));
    }
    Ok(copies)
}

/// The header a copy of the file at `relative` starts with, in the file's own syntax; `None`
/// for a kind of file that has no place for one.
fn header_for(relative: &str, shown: &str, spec_name: &str) -> Option<String> {
    let note = format!("{HEADER_MARKER}{COPY_MARKER}{shown} (for {spec_name}).");
    let edit = format!("Do not edit here: edit {shown} and run `cargo xtask codegen`.");
    let name = relative.rsplit('/').next().unwrap_or(relative);
    if name.ends_with(".rs") {
        Some(format!("// {note}\n// {edit}\n\n"))
    } else if name.ends_with(".md") {
        Some(format!("<!-- {note}\n     {edit} -->\n\n"))
    } else if name.starts_with("LICENSE") {
        // Plain text has no comments: the note is its first paragraph.
        Some(format!("{note}\n{edit}\n\n"))
    } else {
        None
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// `spec/../handwritten/x` as `handwritten/x`, for messages and headers.
fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::ParentDir if parts.last().is_some_and(|last| last != "..") => {
                parts.pop();
            }
            Component::CurDir => {}
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

/// Declares, in a generated module, the hand-written submodules copied beside it: a copy at
/// `src/<module>/<name>.rs` under a generated `src/<module>.rs` becomes `pub mod <name>;` at
/// its end, so a product's own part of a generated module (Cloud Recording's stateful mock
/// service in `mock::service`) lives in the same module tree.
pub fn declare_submodules(emitted: &mut [GeneratedFile], copies: &[GeneratedFile]) {
    for copy in copies {
        let Some((parent, name)) = copy
            .path
            .strip_suffix(".rs")
            .and_then(|path| path.rsplit_once('/'))
        else {
            continue;
        };
        let parent_file = format!("{parent}.rs");
        if let Some(module) = emitted.iter_mut().find(|file| file.path == parent_file) {
            module.contents.push_str(&format!(
                "\n// Hand-written: `{}`.\npub mod {name};\n",
                copy.path
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_steps_fold_into_the_path_they_leave() {
        assert_eq!(
            normalise(Path::new("spec/../handwritten/zego-cloudrecord")),
            "handwritten/zego-cloudrecord"
        );
        assert_eq!(normalise(Path::new("../x/./y")), "../x/y");
    }

    /// A fresh folder with `hw/src/lib.rs` and the given extra files under `hw/`.
    fn folder(name: &str, extra: &[(&str, &str)]) -> PathBuf {
        let root = std::env::temp_dir().join(format!("handwritten-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in [("src/lib.rs", "//! A crate.\n")].iter().chain(extra) {
            let file = root.join("hw").join(path);
            std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
            std::fs::write(file, text).expect("write");
        }
        root
    }

    #[test]
    fn each_file_is_copied_with_a_header_naming_its_source() {
        let root = folder(
            "ok",
            &[
                ("examples/demo.rs", "fn main() {}\n"),
                ("README.md", "# Demo\n"),
            ],
        );
        let copied = copies(&root.join("spec.yaml"), "spec/api.yaml", "hw", &[]).expect("copies");
        let paths: Vec<&str> = copied.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(paths, ["README.md", "examples/demo.rs", "src/lib.rs"]);
        assert!(
            copied[0].contents.starts_with("<!-- "),
            "{}",
            copied[0].contents
        );
        let copied = &copied[1..];
        assert!(copied.iter().all(is_copy));
        assert!(copied[1].contents.starts_with(&format!(
            "// {HEADER_MARKER}: a copy of spec/hw/src/lib.rs (for spec/api.yaml)."
        )));
        assert!(copied[1].contents.ends_with("\n\n//! A crate.\n"));
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn what_cannot_be_copied_is_a_located_error() {
        let root = folder("bad", &[("notes.txt", "no\n")]);
        let spec = root.join("spec.yaml");
        let error = copies(&spec, "api.yaml", "hw", &[]).expect_err("not Rust");
        assert!(
            error.to_string().contains("api.yaml#/x-zego-handwritten"),
            "{error}"
        );
        assert!(
            error.to_string().contains("hw/notes.txt` cannot be copied"),
            "{error}"
        );

        let root = folder("taken", &[]);
        let emitted = [GeneratedFile {
            path: "src/lib.rs".to_owned(),
            contents: String::new(),
        }];
        let error = copies(&root.join("spec.yaml"), "api.yaml", "hw", &emitted).expect_err("taken");
        assert!(
            error
                .to_string()
                .contains("would replace the generated `src/lib.rs`"),
            "{error}"
        );
        let _ = std::fs::remove_dir_all(root);
    }
}
