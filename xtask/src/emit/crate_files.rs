//! The crate around the code: the manifest (package table plus the runtime's features and
//! dependencies, copied from `runtime/Cargo.toml`) and the runtime's modules, copied from the
//! `runtime` crate without their unit tests.

use super::*;
use crate::runtime_sources;

/// The line that starts a runtime file's unit tests; the copy stops there.
pub(super) const TEST_BLOCK_START: &str = "#[cfg(test)]";

/// The runtime crate's modules as files under `src/runtime/`, without their unit tests.
pub(super) fn runtime_files(spec_file: &str) -> Vec<GeneratedFile> {
    let lib = GeneratedFile {
        path: "src/runtime/mod.rs".to_owned(),
        contents: format!(
            "{}{}",
            rust_header(spec_file, Some("runtime/src/lib.rs")),
            runtime_sources::LIB
        ),
    };
    // The code table is emitted from each spec (emit/codes.rs), not copied.
    let modules = runtime_sources::MODULES
        .iter()
        .filter(|(module, _)| *module != "codes")
        .map(|(module, source)| {
            let origin = format!("runtime/src/{module}.rs");
            GeneratedFile {
                path: format!("src/runtime/{module}.rs"),
                contents: format!(
                    "{}{}",
                    rust_header(spec_file, Some(&origin)),
                    without_unit_tests(source)
                ),
            }
        });
    std::iter::once(lib).chain(modules).collect()
}

/// `source` up to its unit-test block (the runtime's convention: tests come last).
pub(super) fn without_unit_tests(source: &str) -> String {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        if line.trim_end() == TEST_BLOCK_START {
            return format!("{}\n", source[..offset].trim_end());
        }
        offset += line.len();
    }
    source.to_owned()
}

/// The package table of a crate that holds generated code.
pub struct Package<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub description: &'a str,
    /// What the crate is generated from, for the header.
    pub origin: &'a str,
    /// Tables of the crate's own, appended verbatim.
    pub own_tables: &'a str,
}

/// Where the test suite compiles the generated code of its fixture specs.
pub const FIXTURE_CLIENTS_DIR: &str = "tests/fixture-clients";

/// The manifest of `tests/fixture-clients`, which compiles the output for every fixture spec
/// and so needs the runtime's dependencies and features.
pub fn fixture_clients_manifest() -> GeneratedFile {
    GeneratedFile {
        path: "Cargo.toml".to_owned(),
        contents: manifest(&Package {
            name: "fixture-clients",
            version: "0.0.0",
            description: "The generated clients of the test suite's fixture specs, compiled.",
            origin: "tests/fixtures/specs",
            // The runtime's doc examples name the real crate, `zego_cloudrecord`; they run there.
            own_tables: "\n[lib]\ndoctest = false\n\n[build-dependencies]\nxtask = { path = \"../../xtask\" }\n",
        }),
    }
}

/// A manifest for a crate holding generated code: its package table, then the runtime's
/// `[features]` and `[dependencies]` exactly as `runtime/Cargo.toml` lists them.
pub fn manifest(package: &Package<'_>) -> String {
    let Package {
        name,
        version,
        description,
        origin,
        own_tables,
    } = package;
    let runtime_tables = manifest_tables(runtime_sources::MANIFEST, &["features", "dependencies"]);
    format!(
        r#"# {HEADER_MARKER} from {origin} and runtime/Cargo.toml.
# Do not edit: change the spec, runtime/Cargo.toml or the generator in xtask/ and run `cargo xtask codegen`.

[package]
name = "{name}"
# The spec's info.version.
version = "{version}"
description = {description:?}
edition = "2021"
rust-version = "1.85"
license = "MIT OR Apache-2.0"
publish = false

{runtime_tables}[package.metadata.docs.rs]
# Document the mock too, marked with the feature it needs.
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

[dev-dependencies]
tokio = {{ version = "1", features = ["macros", "rt-multi-thread", "net", "io-util", "time"] }}
{own_tables}"#
    )
}

pub(super) fn crate_description(model: &Model) -> String {
    format!(
        "Typed async client for the {}, generated from its OpenAPI spec.",
        model.title
    )
}

/// The named top-level tables of a manifest, verbatim and in the manifest's order.
pub(super) fn manifest_tables(manifest: &str, wanted: &[&str]) -> String {
    let mut out = String::new();
    let mut keep = false;
    for line in manifest.lines() {
        if let Some(table) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            keep = wanted.contains(&table);
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
