// The README's Rust examples are compiled as doctests of this crate, so they cannot rot.
#![doc = include_str!("../../README.md")]

// Shared helpers for the workspace's tests: paths to the spec, fixtures and generated crate.

use std::path::PathBuf;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    xtask::workspace_root()
}

/// A file under `tests/fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    workspace_root().join("tests/fixtures").join(relative)
}

/// The `.yaml` files of a fixture folder, sorted by name.
pub fn fixture_files(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(folder))
        .unwrap_or_else(|error| panic!("cannot list tests/fixtures/{folder}: {error}"))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

/// The spec-dependent files of a generation (the runtime templates are the same for every
/// spec and are pinned by the real spec's freshness test).
pub fn spec_dependent(files: &[xtask::GeneratedFile]) -> String {
    const RUNTIME: [&str; 5] = [
        "src/client.rs",
        "src/error.rs",
        "src/sensitive.rs",
        "src/signing.rs",
        "src/validation.rs",
    ];
    files
        .iter()
        .filter(|file| !RUNTIME.contains(&file.path.as_str()))
        .map(|file| format!("==> {} <==\n{}", file.path, file.contents))
        .collect::<Vec<_>>()
        .join("\n")
}
