//! The generator behind `cargo xtask codegen`: a one-way pipeline from an OpenAPI spec to the
//! `generated/` client crate.
//!
//! load → resolve → model → naming → emit → write. Each stage is its own module and consumes
//! only the output of the stage before it: `resolve` takes the loaded document, `model` the
//! resolved one, `naming` takes the model and returns it with every Rust name filled in, and
//! `emit` reads that named model alone. The one input beside the spec is what every product
//! crate has besides the spec's items ([`crate_surface`]: its client's methods, its root, the
//! runtime items it imports, the runtime's manifest): `naming` keeps generated names clear
//! of them, and `emit` writes them.

pub mod api_diff;
pub mod commands;
pub mod crate_surface;
pub mod diagnostics;
pub mod emit;
pub mod handwritten;
pub mod import;
pub mod load;
pub mod model;
pub mod naming;
pub mod resolve;
pub mod upstream_diff;
pub mod vcs;
pub mod workers;
pub mod write;

use std::path::{Path, PathBuf};

pub use diagnostics::{Diagnostics, Location, SpecError};
pub use emit::GeneratedFile;

/// The flagship product's spec (Cloud Recording), relative to the workspace root: the default
/// of the commands that read one spec.
pub const SPEC_PATH: &str = "spec/cloudrecord/cloudrecord.yaml";
/// Where the product crates are written, relative to the workspace root: one folder per
/// crate, named after the crate.
pub const OUTPUT_DIR: &str = "generated";
/// Where the product specs are, relative to the workspace root: one folder per product,
/// `spec/<product>/<product>.yaml` its root.
pub const SPECS_DIR: &str = "spec";
/// The runtime crate's folder, relative to the workspace root.
pub const RUNTIME_DIR: &str = "runtime";

/// Every product's spec root, relative to the workspace root, sorted: each folder of
/// `spec/` holding a root file named after the folder. This folder listing is the one list
/// of products; nothing else names them.
///
/// # Errors
/// When `spec/` cannot be read.
pub fn product_specs(root: &Path) -> Result<Vec<String>, std::io::Error> {
    let dir = root.join(SPECS_DIR);
    let entries = std::fs::read_dir(&dir)?;
    let mut specs: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| dir.join(name).join(format!("{name}.yaml")).is_file())
        .map(|name| format!("{SPECS_DIR}/{name}/{name}.yaml"))
        .collect();
    specs.sort();
    Ok(specs)
}

/// One product's generated crate (or, for a crate written by hand, its generated part): its
/// package name, files, and where they go in this workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCrate {
    pub name: String,
    pub files: Vec<GeneratedFile>,
    /// The folder the files go in, relative to the workspace root: `generated/<crate>`, or the
    /// `generated/` folder of a hand-written crate.
    pub dir: String,
}

impl GeneratedCrate {
    /// Where the files go in this workspace, relative to its root.
    pub fn workspace_dir(&self) -> String {
        self.dir.clone()
    }
}

/// Why the fixture clients could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FixturesError {
    /// The folder of fixture specs cannot be listed.
    #[error("{FIXTURE_SPECS_DIR}: {0}")]
    Unreadable(#[source] std::io::Error),
    /// A fixture spec does not generate.
    #[error("fixture {spec} does not generate:\n{error}")]
    Fixture {
        spec: String,
        #[source]
        error: GenerateError,
    },
}

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

/// One action of the spec set at `root` as a single self-contained OpenAPI document (YAML).
pub fn bundle_action(
    root: &Path,
    display_name: &str,
    action: &str,
) -> Result<String, GenerateError> {
    let directory = root.parent().unwrap_or(Path::new("."));
    let display_directory = display_name.rsplit_once('/').map_or("", |(dir, _)| dir);
    let source = load::Directory::new(directory, display_directory);
    let file_name = display_name.rsplit('/').next().unwrap_or(display_name);
    let root_name = format!("{display_directory}/{file_name}");
    Ok(load::bundle(
        &source,
        root_name.trim_start_matches('/'),
        action,
    )?)
}

/// Where the fixture specs are, relative to the workspace root: each one's output is written,
/// compiled and pinned in `tests/fixture-clients/`.
pub const FIXTURE_SPECS_DIR: &str = "tests/fixtures/specs";

/// The files of `tests/fixture-clients/` (relative to it): its manifest, one module per
/// fixture spec holding that spec's generated crate (`src/<fixture>.rs`, inline modules), and
/// the `src/lib.rs` that lists them. What the generator emits for the fixtures is pinned
/// there, once, as Rust that compiles.
///
/// # Errors
/// When the fixture folder cannot be read or a fixture does not generate.
pub fn fixture_clients_files(root: &Path) -> Result<Vec<GeneratedFile>, FixturesError> {
    let dir = root.join(FIXTURE_SPECS_DIR);
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(FixturesError::Unreadable)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    specs.sort();
    let mut files = vec![emit::fixture_clients_manifest()];
    let mut modules = Vec::new();
    for spec in specs {
        let Some(stem) = spec.file_stem().and_then(|stem| stem.to_str()) else {
            continue;
        };
        let display = format!("{FIXTURE_SPECS_DIR}/{stem}.yaml");
        let generated =
            generate_from_file(&spec, &display).map_err(|error| FixturesError::Fixture {
                spec: display.clone(),
                error,
            })?;
        files.push(GeneratedFile {
            path: format!("src/{stem}.rs"),
            contents: emit::fixture_module(&display, &generated),
        });
        modules.push(stem.to_owned());
    }
    files.push(GeneratedFile {
        path: "src/lib.rs".to_owned(),
        contents: emit::fixture_clients_lib(&modules),
    });
    Ok(files)
}

/// Runs every stage but `write` on a spec file, for a crate in this workspace's layout: the
/// files generated from the spec (for a product with a hand-written crate, its generated
/// part), without the crate root and README a fully generated crate gets (see
/// [`generate_crate`]).
pub fn generate_from_file(
    path: &Path,
    display_name: &str,
) -> Result<Vec<GeneratedFile>, GenerateError> {
    let (_, files, _) = model_and_files(path, display_name, emit::WORKSPACE_RUNTIME_PATH)?;
    Ok(files)
}

/// The named model of the spec file, the files generated from it, and the hand-written
/// crate they belong to, if the spec names one (`x-zego-handwritten`).
fn model_and_files(
    path: &Path,
    display_name: &str,
    runtime_path: &str,
) -> Result<
    (
        model::Model,
        Vec<GeneratedFile>,
        Option<handwritten::CrateDir>,
    ),
    GenerateError,
> {
    let model = named_model(load::load_file(path, display_name)?)?;
    let Some(dir) = &model.handwritten else {
        let files = emit::emit(&model, runtime_path)?;
        return Ok((model, files, None));
    };
    // The crate stays where it is, whatever folder its generated part goes to: its manifest
    // names the runtime from there.
    let krate = handwritten::CrateDir::new(path, display_name, dir);
    let own_runtime_path = relative_path(Path::new(&krate.shown), Path::new(RUNTIME_DIR));
    let files = emit::emit(&model, &own_runtime_path)?;
    let files = handwritten::generated_part(&krate, display_name, files)?;
    Ok((model, files, Some(krate)))
}

/// Runs every stage but `write` on a spec file; `runtime_path` is where the generated crate
/// finds the runtime crate, relative to the crate's own folder.
pub fn generate_crate(
    path: &Path,
    display_name: &str,
    runtime_path: &str,
) -> Result<GeneratedCrate, GenerateError> {
    let (model, mut files, krate) = model_and_files(path, display_name, runtime_path)?;
    let dir = match krate {
        Some(krate) => krate.generated_dir(),
        None => {
            files.push(emit::library_root(&model)?);
            files.push(emit::readme(&model));
            format!("{OUTPUT_DIR}/{}", model.crate_name)
        }
    };
    Ok(GeneratedCrate {
        name: model.crate_name,
        files,
        dir,
    })
}

fn generate_loaded(loaded: load::LoadedSpec) -> Result<Vec<GeneratedFile>, GenerateError> {
    let model = named_model(loaded)?;
    Ok(emit::emit(&model, emit::WORKSPACE_RUNTIME_PATH)?)
}

/// The path from `from` to `to` (both absolute, or both relative to one folder), with `/`
/// separators: how a manifest in `from` names the folder `to`. An absolute `to` when the two
/// share no root (another drive).
pub fn relative_path(from: &Path, to: &Path) -> String {
    use std::path::Component;
    let is_root = |part: &Component| matches!(part, Component::RootDir | Component::Prefix(_));
    let from: Vec<Component> = from.components().collect();
    let to_parts: Vec<Component> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    // Paths that share not even a root (another drive) have no relative path.
    if common == 0 && (from.first().is_some_and(is_root) || to_parts.first().is_some_and(is_root)) {
        return to.to_string_lossy().replace('\\', "/");
    }
    let ups = std::iter::repeat_n("..".to_owned(), from.len() - common);
    let downs = to_parts[common..]
        .iter()
        .map(|part| part.as_os_str().to_string_lossy().into_owned());
    let parts: Vec<String> = ups.chain(downs).collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
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

/// Our spec set's actions, flattened for `cargo xtask upstream-diff`.
pub fn our_actions(
    root: &Path,
    display_name: &str,
) -> Result<std::collections::BTreeMap<String, upstream_diff::ActionFields>, GenerateError> {
    let loaded = load::load_file(root, display_name)?;
    let model = named_model(loaded)?;
    let mut texts = Vec::new();
    for operation in &model.operations {
        let text = bundle_action(root, display_name, &operation.operation_id)?;
        texts.push((operation.operation_id.clone(), text));
    }
    upstream_diff::actions_from_texts(&texts)
        .map_err(|error| GenerateError::Spec(Diagnostics::single(error)))
}

/// Compares two versions of a spec set, each given as where its files come from and its
/// root: what the change from `base` to `current` does to the API.
pub fn api_diff_sets(
    base: (&dyn load::SpecSource, &str),
    current: (&dyn load::SpecSource, &str),
) -> Result<api_diff::Report, GenerateError> {
    let base_model = named_model(load::load_set(base.0, base.1)?)?;
    let current_model = named_model(load::load_set(current.0, current.1)?)?;
    Ok(api_diff::compare(&base_model, &current_model))
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

/// The workspace root, found at run time: from the package directory cargo reports when it
/// runs the tool (`CARGO_MANIFEST_DIR`), else from the current directory. Never the directory
/// the binary was compiled in: two checkouts sharing one `CARGO_TARGET_DIR` share the binary,
/// and each must read and write its own files.
pub fn workspace_root() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    find_workspace_root(&start).unwrap_or(start)
}

/// The nearest directory at or above `start` that holds this workspace: a `Cargo.toml` and
/// the generator's own `xtask/Cargo.toml`.
pub fn find_workspace_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("Cargo.toml").is_file() && dir.join("xtask/Cargo.toml").is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{find_workspace_root, relative_path};

    #[test]
    fn a_crate_names_the_runtime_relative_to_itself() {
        let runtime = Path::new("/work/main/runtime");
        assert_eq!(
            relative_path(Path::new("/work/main/generated/zego-rtc"), runtime),
            "../../runtime"
        );
        assert_eq!(
            relative_path(Path::new("/tmp/out/zego-rtc"), runtime),
            "../../../work/main/runtime"
        );
        assert_eq!(relative_path(runtime, runtime), ".");
        assert_eq!(
            relative_path(
                Path::new("handwritten/zego-cloudrecord"),
                Path::new("runtime")
            ),
            "../../runtime"
        );
    }

    #[test]
    fn a_spec_set_given_by_an_absolute_path_generates() {
        let temp = std::env::temp_dir().join(format!("xtask-absolute-{}", std::process::id()));
        let source = super::workspace_root().join("spec/cloud-asr");
        let copy = temp.join("specs/cloud-asr");
        std::fs::create_dir_all(copy.join("actions")).expect("temp dirs");
        for entry in walk(&source) {
            let relative = entry.strip_prefix(&source).expect("under the source");
            std::fs::copy(&entry, copy.join(relative)).expect("copy");
        }
        let root = copy.join("cloud-asr.yaml");
        let shown = root.to_string_lossy().into_owned();
        let generated = super::generate_crate(&root, &shown, "../runtime");
        let _ = std::fs::remove_dir_all(&temp);
        let generated = generated.unwrap_or_else(|error| panic!("{error}"));
        assert!(generated
            .files
            .iter()
            .any(|file| file.path == "src/operations.rs"));
    }

    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
        files
    }

    #[test]
    fn each_checkout_finds_its_own_root() {
        let temp = std::env::temp_dir().join(format!("xtask-roots-{}", std::process::id()));
        for checkout in ["main", "review"] {
            let xtask = temp.join(checkout).join("xtask");
            std::fs::create_dir_all(xtask.join("src")).expect("temp dirs");
            std::fs::write(temp.join(checkout).join("Cargo.toml"), "[workspace]\n").expect("write");
            std::fs::write(xtask.join("Cargo.toml"), "[package]\n").expect("write");
        }
        for checkout in ["main", "review"] {
            let root = temp.join(checkout);
            assert_eq!(find_workspace_root(&root.join("xtask")), Some(root.clone()));
            assert_eq!(
                find_workspace_root(&root.join("xtask/src")),
                Some(root.clone())
            );
        }
        assert_eq!(find_workspace_root(&temp), None);
        let _ = std::fs::remove_dir_all(&temp);
    }
}
