//! The crate around the code: its manifest, which depends on the runtime crate and forwards
//! every feature the runtime's manifest lists to it.

use crate::crate_surface::RUNTIME_MANIFEST;
use crate::model::Model;

use super::{GeneratedFile, HEADER_MARKER};

/// The runtime crate's package name, which generated code and manifests name.
pub const RUNTIME_CRATE: &str = "zego-server-runtime";

/// What every published generated crate says of itself on crates.io besides its name.
const PUBLISHED_CRATE_METADATA: &str = r#"keywords = ["zegocloud", "api-client", "openapi", "rtc"]
categories = ["api-bindings", "web-programming::http-client", "asynchronous"]
"#;

/// The crates the generated code itself uses besides the runtime (its derives and JSON).
const GENERATED_CODE_DEPENDENCIES: &str = r#"serde = { version = "1", features = ["derive"] }
serde_json = "1"
"#;

/// The package table of a crate that holds generated code.
pub struct Package<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub description: &'a str,
    /// What the crate is generated from, for the header.
    pub origin: &'a str,
    /// The runtime crate's folder, relative to the crate's.
    pub runtime_path: &'a str,
    /// Whether the crate is meant for crates.io (with its documentation link, readme,
    /// keywords and categories), or for this workspace only.
    pub publish: bool,
    /// Tables of the crate's own, appended verbatim.
    pub own_tables: &'a str,
}

/// Where the test suite compiles the generated code of its fixture specs.
pub const FIXTURE_CLIENTS_DIR: &str = "tests/fixture-clients";

/// The manifest of `tests/fixture-clients`, which compiles the output for every fixture spec
/// and so depends on the runtime like a generated crate.
pub fn fixture_clients_manifest() -> GeneratedFile {
    GeneratedFile {
        path: "Cargo.toml".to_owned(),
        contents: manifest(&Package {
            name: "fixture-clients",
            version: "0.0.0",
            description: "The generated clients of the test suite's fixture specs, compiled.",
            origin: "tests/fixtures/specs",
            runtime_path: "../../runtime",
            publish: false,
            own_tables: "\n[lib]\ndoctest = false\n",
        }),
    }
}

/// A manifest for a crate holding generated code: its package table, a dependency on the
/// runtime crate (by path and version) with each of the runtime's features forwarded, and
/// what the generated code itself uses.
pub fn manifest(package: &Package<'_>) -> String {
    let Package {
        name,
        version,
        description,
        origin,
        runtime_path,
        publish,
        own_tables,
    } = package;
    let publishing = if *publish {
        format!(
            "documentation = \"https://docs.rs/{name}\"\nreadme = \"README.md\"\n{PUBLISHED_CRATE_METADATA}"
        )
    } else {
        "publish = false\n".to_owned()
    };
    let runtime_version = package_version(RUNTIME_MANIFEST).unwrap_or("0");
    let features = runtime_features(RUNTIME_MANIFEST);
    let default = features
        .iter()
        .find(|(feature, _)| feature == "default")
        .map(|(_, value)| value.as_str())
        .unwrap_or("[]");
    let forwarded: String = features
        .iter()
        .filter(|(feature, _)| feature != "default")
        .map(|(feature, _)| format!("{feature} = [\"{RUNTIME_CRATE}/{feature}\"]\n"))
        .collect();
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
{publishing}
[features]
# The runtime's features, forwarded to it.
default = {default}
{forwarded}
[dependencies]
{RUNTIME_CRATE} = {{ version = "{runtime_version}", path = "{runtime_path}", default-features = false }}
{GENERATED_CODE_DEPENDENCIES}
[package.metadata.docs.rs]
# Document the mock too, marked with the feature it needs.
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

[dev-dependencies]
tokio = {{ version = "1", features = ["macros", "rt-multi-thread", "net", "io-util", "time"] }}
{own_tables}"#
    )
}

/// The `version` of a manifest's `[package]` table.
fn package_version(manifest: &str) -> Option<&str> {
    manifest_tables_lines(manifest, "package")
        .find_map(|line| line.strip_prefix("version = "))
        .map(|value| value.trim().trim_matches('"'))
}

/// Each `name = value` line of a manifest's `[features]` table.
fn runtime_features(manifest: &str) -> Vec<(String, String)> {
    manifest_tables_lines(manifest, "features")
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| line.split_once(" = "))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

/// The runtime's features but `default`, each with the comment above it in its manifest
/// (joined into one line), and whether `default` turns it on.
pub(super) fn runtime_feature_docs() -> Vec<(String, String, bool)> {
    let default = runtime_features(RUNTIME_MANIFEST)
        .into_iter()
        .find(|(name, _)| name == "default")
        .map(|(_, value)| value)
        .unwrap_or_default();
    let mut comment: Vec<&str> = Vec::new();
    let mut documented = Vec::new();
    for line in manifest_tables_lines(RUNTIME_MANIFEST, "features") {
        if let Some(text) = line.trim_start().strip_prefix('#') {
            comment.push(text.trim());
            continue;
        }
        let Some((name, _)) = line.split_once(" = ") else {
            continue;
        };
        let name = name.trim();
        if name != "default" {
            let on_by_default = default.contains(&format!("\"{name}\""));
            documented.push((name.to_owned(), comment.join(" "), on_by_default));
        }
        comment.clear();
    }
    documented
}

/// The lines inside one top-level table of a manifest.
fn manifest_tables_lines<'a>(manifest: &'a str, table: &'a str) -> impl Iterator<Item = &'a str> {
    let mut inside = false;
    manifest.lines().filter(move |line| {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = name == table;
            return false;
        }
        inside && !line.trim().is_empty()
    })
}

pub(super) fn crate_description(model: &Model) -> String {
    format!(
        "Typed async client for the {}, generated from its OpenAPI spec.",
        model.title
    )
}
