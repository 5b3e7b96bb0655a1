//! A product whose crate is written by hand (its lifecycle, callbacks, stateful mock) and
//! generated in part: the spec's root names the crate's folder in `x-zego-handwritten`, the
//! crate's own manifest and `src/` compile, lint and test where they are edited, and
//! `cargo xtask codegen` writes the spec's part into the crate's `generated/` folder (its
//! `src/lib.rs` includes those modules with `#[path]`, the way progenitor's output sits in a
//! hand-written crate). A reader knows from the path alone which files to edit.
//!
//! The manifest stays the crate's own; codegen checks that it says what the spec and the
//! runtime say (version, features, the runtime dependency, the dry-run example).
//!
//! Not a pipeline stage: it reads files the spec only points at, after `emit`.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostics, Location, SpecError};
use crate::emit::GeneratedFile;

/// The spec root's key naming the crate's folder, relative to the root file.
pub const EXTENSION: &str = "x-zego-handwritten";

/// The folder of a hand-written crate that holds its generated part.
pub const GENERATED_DIR: &str = "generated";

/// Where a hand-written crate is: on disk, and as messages and the workspace name it.
#[derive(Debug, Clone)]
pub struct CrateDir {
    pub path: PathBuf,
    pub shown: String,
}

impl CrateDir {
    /// The crate folder `dir` names, relative to the spec file at `spec_path` (shown as
    /// `spec_name`).
    pub fn new(spec_path: &Path, spec_name: &str, dir: &str) -> Self {
        let shown = normalise(
            &Path::new(spec_name)
                .parent()
                .unwrap_or(Path::new(""))
                .join(dir),
        );
        Self {
            path: spec_path.parent().unwrap_or(Path::new(".")).join(dir),
            shown,
        }
    }

    /// Where its generated part is written, as the workspace names it.
    pub fn generated_dir(&self) -> String {
        format!("{}/{GENERATED_DIR}", self.shown)
    }
}

/// The generated part of a hand-written crate: `emitted` (what the generator writes for any
/// product) less the manifest, which is checked against the crate's own instead, with each
/// generated module that has hand-written submodules declaring them.
///
/// # Errors
/// Located at the spec's `x-zego-handwritten`: a crate folder without a readable manifest,
/// or a manifest that says something else than the spec and the runtime.
pub fn generated_part(
    krate: &CrateDir,
    spec_name: &str,
    emitted: Vec<GeneratedFile>,
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let error = |message: String| {
        Diagnostics::single(SpecError {
            file: spec_name.to_owned(),
            location: Location::Pointer(format!("#/{EXTENSION}")),
            message,
        })
    };
    let (manifest, mut files): (Vec<GeneratedFile>, Vec<GeneratedFile>) = emitted
        .into_iter()
        .partition(|file| file.path == "Cargo.toml");
    let own = std::fs::read_to_string(krate.path.join("Cargo.toml")).map_err(|io| {
        error(format!(
            "cannot read `{}/Cargo.toml`, the hand-written crate's manifest: {io}",
            krate.shown
        ))
    })?;
    if let Some(expected) = manifest.first() {
        let missing = missing_manifest_lines(&expected.contents, &own);
        if !missing.is_empty() {
            return Err(error(format!(
                "`{}/Cargo.toml` must say what the spec and the runtime say; it lacks: {}",
                krate.shown,
                missing
                    .iter()
                    .map(|line| format!("`{line}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    declare_submodules(&mut files, &krate.path.join("src"));
    Ok(files)
}

/// The lines of the generated manifest a hand-written one must carry too: the version, each
/// forwarded feature, the runtime dependency, and the dry-run example (whose file is in the
/// crate's `generated/` folder).
fn missing_manifest_lines(expected: &str, own: &str) -> Vec<String> {
    let own_lines: Vec<&str> = own.lines().map(str::trim).collect();
    expected
        .lines()
        .map(str::trim)
        .filter(|line| {
            line.starts_with("version = ")
                || line.contains("= [\"zego-server-runtime/")
                || line.starts_with("zego-server-runtime = ")
                || line.starts_with("name = \"") && line.ends_with("-dry-run\"")
                || line.starts_with("path = \"examples/")
        })
        .map(|line| match line.strip_prefix("path = \"") {
            Some(rest) => format!("path = \"{GENERATED_DIR}/{rest}"),
            None => line.to_owned(),
        })
        .filter(|line| !own_lines.contains(&line.as_str()))
        .collect()
}

/// Declares, in a generated module, the hand-written submodules beside it: a file at
/// `src/<module>/<name>.rs` of the crate, under a generated `src/<module>.rs`, becomes
/// `pub mod <name>;` at the module's end (by `#[path]`, since the generated module lives in
/// `generated/src/`), so a product's own part of a generated module (Cloud Recording's
/// stateful mock service in `mock::service`) lives in the same module tree.
fn declare_submodules(emitted: &mut [GeneratedFile], own_src: &Path) {
    for module in emitted.iter_mut() {
        let Some(name) = module
            .path
            .strip_prefix("src/")
            .and_then(|path| path.strip_suffix(".rs"))
            .filter(|name| !name.contains('/'))
            .map(str::to_owned)
        else {
            continue;
        };
        let Ok(entries) = std::fs::read_dir(own_src.join(&name)) else {
            continue;
        };
        let mut submodules: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
            .filter_map(|file| file.strip_suffix(".rs").map(str::to_owned))
            .collect();
        submodules.sort();
        for submodule in submodules {
            module.contents.push_str(&format!(
                "\n// Hand-written: `src/{name}/{submodule}.rs` of the crate.\n\
                 #[path = \"../../src/{name}/{submodule}.rs\"]\npub mod {submodule};\n"
            ));
        }
    }
}

/// `spec/../handwritten/x` as `handwritten/x`, for messages and the workspace path.
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

    const EXPECTED: &str = "[package]\nname = \"zego-x\"\nversion = \"2.0.0\"\n\n[features]\nmock = [\"zego-server-runtime/mock\"]\n\n[dependencies]\nzego-server-runtime = { version = \"0.3.0\", path = \"../../runtime\", default-features = false }\n\n[[example]]\nname = \"zego-x-dry-run\"\npath = \"examples/dry_run.rs\"\n";

    #[test]
    fn a_manifest_that_says_what_the_spec_says_passes() {
        let own = EXPECTED.replace("path = \"examples/", "path = \"generated/examples/")
            + "\n[dependencies.extra]\nversion = \"1\"\n";
        assert!(missing_manifest_lines(EXPECTED, &own).is_empty());
    }

    #[test]
    fn a_manifest_behind_the_spec_is_named_line_by_line() {
        let own = EXPECTED
            .replace("version = \"2.0.0\"", "version = \"1.0.0\"")
            .replace("mock = [\"zego-server-runtime/mock\"]\n", "");
        let missing = missing_manifest_lines(EXPECTED, &own);
        assert_eq!(
            missing,
            [
                "version = \"2.0.0\"",
                "mock = [\"zego-server-runtime/mock\"]",
                "path = \"generated/examples/dry_run.rs\"",
            ]
        );
    }

    #[test]
    fn hand_written_submodules_are_declared_in_their_generated_module() {
        let root = std::env::temp_dir().join(format!("handwritten-sub-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("src/mock")).expect("mkdir");
        std::fs::write(root.join("src/mock/service.rs"), "//! A service.\n").expect("write");
        let mut files = vec![
            GeneratedFile {
                path: "src/mock.rs".to_owned(),
                contents: "pub struct A;\n".to_owned(),
            },
            GeneratedFile {
                path: "src/types.rs".to_owned(),
                contents: "pub struct B;\n".to_owned(),
            },
        ];
        declare_submodules(&mut files, &root.join("src"));
        let _ = std::fs::remove_dir_all(&root);
        assert!(files[0]
            .contents
            .ends_with("#[path = \"../../src/mock/service.rs\"]\npub mod service;\n"));
        assert_eq!(files[1].contents, "pub struct B;\n");
    }
}
