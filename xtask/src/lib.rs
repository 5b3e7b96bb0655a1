//! The generator behind `cargo xtask codegen`: a one-way pipeline from an OpenAPI spec to the
//! `generated/` client crate.
//!
//! load → resolve → model → naming → emit → write. Each stage is its own module and only
//! consumes the output of the stage before it.

pub mod api_diff;
pub mod diagnostics;
pub mod emit;
pub mod load;
pub mod model;
pub mod naming;
pub mod resolve;
pub mod vcs;
pub mod write;

use std::path::{Path, PathBuf};

pub use diagnostics::{Diagnostics, Location, SpecError};
pub use emit::GeneratedFile;

/// The spec the real crate is generated from, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/startrecord.yaml";
/// Where the real crate is written, relative to the workspace root.
pub const OUTPUT_DIR: &str = "generated";

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{0}")]
    Spec(#[from] Diagnostics),
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
}

/// Runs every stage but `write` on spec text; `file` is how errors and headers name the spec.
pub fn generate_from_str(file: &str, text: &str) -> Result<Vec<GeneratedFile>, GenerateError> {
    let loaded = load::load_str(file, text)?;
    generate_loaded(loaded)
}

/// Runs every stage but `write` on a spec file.
pub fn generate_from_file(
    path: &Path,
    display_name: &str,
) -> Result<Vec<GeneratedFile>, GenerateError> {
    let loaded = load::load_file(path, display_name)?;
    generate_loaded(loaded)
}

fn generate_loaded(loaded: load::LoadedSpec) -> Result<Vec<GeneratedFile>, GenerateError> {
    let model = named_model(loaded)?;
    Ok(emit::emit(&model)?)
}

/// Runs load → resolve → model → naming on spec text: the API as the emitter would see it.
pub fn model_from_str(file: &str, text: &str) -> Result<model::Model, GenerateError> {
    named_model(load::load_str(file, text)?)
}

fn named_model(loaded: load::LoadedSpec) -> Result<model::Model, GenerateError> {
    let resolved = resolve::resolve(loaded)?;
    let model = model::build(&resolved)?;
    Ok(naming::assign(model)?)
}

/// Compares two spec texts: what the change from `base` to `current` does to the API.
pub fn api_diff(
    base: (&str, &str),
    current: (&str, &str),
) -> Result<api_diff::Report, GenerateError> {
    let base_model = model_from_str(base.0, base.1)?;
    let current_model = model_from_str(current.0, current.1)?;
    Ok(api_diff::compare(&base_model, &current_model))
}

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}
