use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use xtask::workers::{self, Job};
use xtask::write::{self, Mode};

// Generating is mostly building, parsing and printing token trees: millions of small
// allocations on several threads. mimalloc takes about 30% off `codegen`'s CPU time against
// the system allocator (BENCHMARKS.md); the generator is a tool of this repository, so no user
// of the product crates builds it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Project tasks for the ZEGOCLOUD server-API clients.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate every product's crate in `generated/<crate>/` from its spec in
    /// `spec/<product>/`, or one product's with `--spec`.
    Codegen {
        /// Write nothing; exit non-zero with a diff when a crate is out of date, or when
        /// a spec changed in a breaking way without a major bump of `info.version`.
        #[arg(long)]
        check: bool,
        /// One product's spec root (or a spec file), relative to the workspace root or absolute; default:
        /// every product under `spec/`.
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Where to write that product's crate (needs `--spec`), relative to the workspace
        /// root or absolute; default `generated/<crate>/`. A crate written elsewhere names
        /// this workspace's runtime by a relative path.
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
    },
    /// Print, as Markdown, how our spec differs field by field from a local copy of
    /// ZEGOCLOUD's per-action OpenAPI files (for example a checkout of `ZEGOCLOUD/docs_all`,
    /// folder `extended_services/cloud_recording/en/server`).
    ///
    /// Exit status: 0 when nothing differs; 1 when something does; 2 on an error.
    UpstreamDiff {
        /// The folder holding ZEGOCLOUD's files.
        dir: PathBuf,
        /// Our spec, relative to the workspace root or absolute.
        #[arg(long, default_value = xtask::SPEC_PATH)]
        spec: PathBuf,
    },
    /// Print one action of the spec set as a single self-contained OpenAPI document (YAML),
    /// for tools that read one document: other generators, validators, fuzzers.
    Bundle {
        /// The action's name (its operationId), for example `StartRecord`.
        action: String,
        /// The spec, relative to the workspace root or absolute.
        #[arg(long, default_value = xtask::SPEC_PATH)]
        spec: PathBuf,
    },
    /// Import one product from ZEGOCLOUD's published OpenAPI files (a folder of a
    /// `ZEGOCLOUD/docs_all` checkout, searched recursively) into a spec set in this project's
    /// format: `<out>/<product>.yaml` and `<out>/actions/<Action>.yaml`. Reports each fix-up
    /// applied and what could not be inferred.
    ///
    /// Exit status: 0 when written; 1 when a file could not be read or an action is broken
    /// (nothing is written then).
    ///
    /// Without a folder, brings the spec set in `--out` up to date: the folders, product name
    /// and crate its root records (`x-zego-upstream`) are read again from `--docs`.
    Import {
        /// The folder of published files (English, the primary source).
        folder: Option<PathBuf>,
        /// Further folders (the Chinese files) that add only the actions the first lacks.
        #[arg(long)]
        also: Vec<PathBuf>,
        /// The docs repository's checkout, for a spec set brought up to date.
        #[arg(long, default_value = "tests/upstream/docs_all")]
        docs: PathBuf,
        /// The spec folder to write, relative to the workspace root or absolute, e.g. `spec/cloud-asr`;
        /// its name is the product's.
        #[arg(long)]
        out: PathBuf,
        /// The generated crate's name; default `zego-<product>`.
        #[arg(long = "crate")]
        crate_name: Option<String>,
        /// The product's name in prose, e.g. `Cloud Real-time ASR`.
        #[arg(long)]
        title: Option<String>,
    },
    /// Print, as Markdown, what the spec change since `--base` does to the generated API.
    ///
    /// Exit status: 0 when nothing breaking changed; 1 when the Rust API or the wire format
    /// breaks; 2 on an error.
    ApiDiff {
        /// The git revision to compare with; default: `HEAD` when the spec has uncommitted
        /// changes, else the merge base of `HEAD` and `main`.
        #[arg(long)]
        base: Option<String>,
        /// The spec, relative to the workspace root or absolute.
        #[arg(long, default_value = xtask::SPEC_PATH)]
        spec: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen { check, spec, out } => codegen(check, spec.as_deref(), out.as_deref()),
        Command::ApiDiff { base, spec } => api_diff(base, &spec),
        Command::UpstreamDiff { dir, spec } => upstream_diff(&dir, &spec),
        Command::Bundle { action, spec } => bundle(&action, &spec),
        Command::Import {
            folder,
            also,
            docs,
            out,
            crate_name,
            title,
        } => {
            let request = ImportRequest {
                folder,
                also,
                docs,
                crate_name,
                title,
            };
            import(request, &out)
        }
    }
}

/// Prints a line to stdout. A reader that went away (`cargo xtask codegen | head -1`) is not
/// an error worth a panic: the rest of the output is simply not wanted.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn codegen(check: bool, spec: Option<&Path>, out: Option<&Path>) -> ExitCode {
    let started = Instant::now();
    let root = xtask::workspace_root();
    let specs = match spec {
        Some(spec) => vec![display(spec)],
        None => match xtask::product_specs(&root) {
            Ok(specs) => specs,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        },
    };
    let mode = if check { Mode::Check } else { Mode::Write };
    // Every product is generated, even when one fails, so one run shows every problem; the
    // results are written and reported in order. Products share nothing, so they are jobs
    // for the workers, each costed by the size of its spec folder.
    enum Generated {
        Product(Result<GeneratedProduct, String>),
        Fixtures(Result<Vec<xtask::GeneratedFile>, String>),
    }
    let root_ref = &root;
    let mut jobs: Vec<Job<'_, Generated>> = specs
        .iter()
        .map(|spec| {
            let cost = folder_size(root_ref.join(spec).parent().unwrap_or(root_ref));
            Job::new(cost, move || {
                Generated::Product(generate_product(root_ref, spec, out))
            })
        })
        .collect();
    if out.is_none() {
        let cost = folder_size(&root.join(xtask::FIXTURE_SPECS_DIR));
        jobs.push(Job::new(cost, move || {
            Generated::Fixtures(xtask::fixture_clients_files(root_ref))
        }));
    }
    let mut products = Vec::new();
    let mut fixture_clients = None;
    for generated in workers::run(jobs) {
        match generated {
            Generated::Product(product) => products.push(product),
            Generated::Fixtures(files) => fixture_clients = Some(files),
        }
    }
    let mut failed = false;
    for (spec, product) in specs.iter().zip(products) {
        failed |= !write_product(spec, product, mode);
    }
    if let Some(files) = fixture_clients {
        failed |= !sync_fixture_clients(&root, files, mode);
    }
    if specs.len() > 1 {
        say!(
            "{} products {} in {} ms",
            specs.len(),
            if check { "checked" } else { "generated" },
            started.elapsed().as_millis()
        );
    }
    if failed {
        return ExitCode::FAILURE;
    }
    if check && out.is_none() {
        for spec in &specs {
            if check_version(&root, spec) != ExitCode::SUCCESS {
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// One product's crate, generated, with where it goes and how to name that; `Err` is the
/// message to print.
struct GeneratedProduct {
    generated: xtask::GeneratedCrate,
    dir: PathBuf,
    shown: String,
    elapsed: std::time::Duration,
}

/// The bytes of the files under `dir`: what a job's cost is estimated from.
fn folder_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => folder_size(&entry.path()),
            Ok(_) => entry.metadata().map_or(0, |metadata| metadata.len()),
            Err(_) => 0,
        })
        .sum()
}

/// Generates one product's crate for `out` (default: `generated/<crate>/`). A crate written
/// outside the workspace names the runtime by a path relative to itself, so it builds as a
/// path dependency of another project.
fn generate_product(
    root: &Path,
    spec: &str,
    out: Option<&Path>,
) -> Result<GeneratedProduct, String> {
    let started = Instant::now();
    let out_dir = out.map(|out| absolute(&root.join(out)));
    let runtime_path = match &out_dir {
        Some(dir) => xtask::relative_path(dir, &absolute(&root.join(xtask::RUNTIME_DIR))),
        None => xtask::emit::WORKSPACE_RUNTIME_PATH.to_owned(),
    };
    let generated = xtask::generate_crate(&root.join(spec), spec, &runtime_path)
        .map_err(|error| error.to_string())?;
    let (dir, shown) = match out_dir {
        Some(dir) => {
            let shown = display(&dir);
            (dir, shown)
        }
        None => (
            root.join(generated.workspace_dir()),
            generated.workspace_dir(),
        ),
    };
    Ok(GeneratedProduct {
        generated,
        dir,
        shown,
        elapsed: started.elapsed(),
    })
}

/// Writes (or checks) one generated product and reports it; whether it succeeded.
fn write_product(spec: &str, product: Result<GeneratedProduct, String>, mode: Mode) -> bool {
    let product = match product {
        Ok(product) => product,
        Err(error) => {
            eprintln!("{error}");
            return false;
        }
    };
    let GeneratedProduct {
        generated,
        dir,
        shown,
        elapsed,
    } = product;
    match write::sync(&dir, &generated.files, mode) {
        Ok(outcome) => {
            let verb = if mode == Mode::Check {
                "up to date"
            } else {
                "generated"
            };
            say!(
                "{shown}/ {verb} from {spec}: {} written, {} removed, {} unchanged ({} ms)",
                outcome.written.len(),
                outcome.removed.len(),
                outcome.unchanged,
                elapsed.as_millis()
            );
            for path in outcome.written {
                say!("  wrote {path}");
            }
            for path in outcome.removed {
                say!("  removed {path}");
            }
            true
        }
        Err(error) => {
            eprintln!("error: {shown}: {error}");
            false
        }
    }
}

/// `path` made absolute and, where it exists, free of `..` and links; a folder that does not
/// exist yet keeps its lexical form.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => path.to_path_buf(),
    }
}

/// Writes (or checks) `tests/fixture-clients/`; whether it succeeded.
fn sync_fixture_clients(
    root: &Path,
    files: Result<Vec<xtask::GeneratedFile>, String>,
    mode: Mode,
) -> bool {
    let fixture_clients = match files {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error}");
            return false;
        }
    };
    let fixture_dir = root.join(xtask::emit::FIXTURE_CLIENTS_DIR);
    match write::sync(&fixture_dir, &fixture_clients, mode) {
        Ok(outcome) => {
            for path in outcome.written {
                say!("  wrote {}/{path}", xtask::emit::FIXTURE_CLIENTS_DIR);
            }
            true
        }
        Err(error) => {
            eprintln!("error: {error}");
            false
        }
    }
}

/// What `cargo xtask import` was asked for.
struct ImportRequest {
    folder: Option<PathBuf>,
    also: Vec<PathBuf>,
    docs: PathBuf,
    crate_name: Option<String>,
    title: Option<String>,
}

impl ImportRequest {
    /// Fills what was not given from the spec set's root, as its last import wrote it.
    fn completed(
        mut self,
        existing: Option<&serde_yaml::Value>,
    ) -> Result<(PathBuf, Vec<PathBuf>, Option<String>, String), String> {
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
                    return Err("name the folder to import, or `--out` a spec set whose root records one (`x-zego-upstream`)".to_owned());
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
            .ok_or("name the product with `--title`")?;
        Ok((folder, self.also, crate_name, title))
    }
}

/// The root of the spec set an earlier import wrote, if there is one. A root that cannot be
/// read or parsed is an error, not a fresh start: its version, crate name and folders would
/// otherwise be replaced by defaults without a word.
fn existing_root(path: &Path) -> Result<Option<serde_yaml::Value>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("{}: {error}", display(path))),
    };
    serde_yaml::from_str(&text)
        .map(Some)
        .map_err(|error| format!("{}: {error}", display(path)))
}

fn import(request: ImportRequest, out: &Path) -> ExitCode {
    let root = xtask::workspace_root();
    let out_dir = root.join(out);
    let Some(product) = out_dir
        .file_name()
        .and_then(|name| name.to_str())
        .map(str::to_owned)
    else {
        eprintln!("error: `--out {}` names no folder", out.display());
        return ExitCode::FAILURE;
    };
    let existing = match existing_root(&out_dir.join(format!("{product}.yaml"))) {
        Ok(existing) => existing,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let version = existing
        .as_ref()
        .and_then(|doc| doc.get("info")?.get("version")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| "0.1.0".to_owned());
    let (folder, also, crate_name, title) = match request.completed(existing.as_ref()) {
        Ok(completed) => completed,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Kept from the spec set being brought up to date: ZEGOCLOUD's files do not say it.
    let login_tokens = existing
        .as_ref()
        .and_then(|doc| doc.get("x-zego-login-tokens")?.as_bool())
        .unwrap_or(false);
    let options = xtask::import::ImportOptions {
        folders: std::iter::once(folder).chain(also).collect(),
        crate_name: crate_name.unwrap_or_else(|| format!("zego-{product}")),
        product,
        title,
        version,
        login_tokens,
    };
    let imported = match xtask::import::import(&options) {
        Ok(imported) => imported,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::FAILURE;
        }
    };
    for (path, contents) in &imported.files {
        let target = out_dir.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, contents));
        if let Err(error) = written {
            eprintln!("error: {}: {error}", display(&target));
            return ExitCode::FAILURE;
        }
    }
    say!("{}", xtask::import::report_text(&imported.report));
    say!(
        "wrote {} files into {}/",
        imported.files.len(),
        display(out)
    );
    ExitCode::SUCCESS
}

/// Fails when the spec changed in a breaking way since the default base without a major
/// bump of `info.version`. Without git history to compare with, says so and passes.
fn check_version(root: &Path, spec: &str) -> ExitCode {
    let base = match xtask::vcs::default_base(root, spec_directory(spec)) {
        Ok(base) => base,
        Err(reason) => {
            eprintln!("note: no version check against an earlier spec ({reason})");
            return ExitCode::SUCCESS;
        }
    };
    match xtask::vcs::file_at(root, &base, spec) {
        Ok(Some(_)) => {}
        Ok(None) => {
            eprintln!("note: no version check: {spec} does not exist at {base} (a new spec)");
            return ExitCode::SUCCESS;
        }
        Err(reason) => {
            eprintln!("note: no version check against {base}: {reason}");
            return ExitCode::SUCCESS;
        }
    }
    let base_label = format!("{spec}@{}", short(&base));
    let at_base = xtask::vcs::Revision {
        root,
        revision: &base,
    };
    let here = current_files(root);
    let report = match xtask::api_diff_sets((&at_base, spec), (&here, spec)) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("note: the spec at {base_label} does not generate, so there is no version check: {error}");
            return ExitCode::SUCCESS;
        }
    };
    if report.is_breaking() && !report.version_is_enough() {
        eprintln!(
            "error: the spec changed in a breaking way since {base_label}, but info.version went from {} to {}; \
             set it to at least {} (run `cargo xtask api-diff` for the details)",
            report.base_version,
            report.current_version,
            report.suggested_version()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The spec files as they are in the work tree.
fn current_files(root: &Path) -> xtask::load::Directory {
    xtask::load::Directory::new(root, "")
}

/// The folder of the spec set, whose every file counts as the spec.
fn spec_directory(spec: &str) -> &str {
    spec.rsplit_once('/')
        .map_or(".", |(directory, _)| directory)
}

fn short(revision: &str) -> &str {
    if revision.len() == 40 && revision.chars().all(|c| c.is_ascii_hexdigit()) {
        &revision[..12]
    } else {
        revision
    }
}

fn api_diff(base: Option<String>, spec: &Path) -> ExitCode {
    const ERROR: u8 = 2;
    let root = xtask::workspace_root();
    let spec_name = display(spec);
    let default_base = || xtask::vcs::default_base(&root, spec_directory(&spec_name));
    let base = match base.map_or_else(default_base, Ok) {
        Ok(base) => base,
        Err(reason) => {
            eprintln!("error: cannot choose a base revision ({reason}); pass --base <git-ref>");
            return ExitCode::from(ERROR);
        }
    };
    let base_label = format!("{spec_name}@{}", short(&base));
    let at_base = xtask::vcs::Revision {
        root: &root,
        revision: &base,
    };
    let here = current_files(&root);
    match xtask::api_diff_sets((&at_base, &spec_name), (&here, &spec_name)) {
        Ok(report) => {
            {
                use std::io::Write as _;
                let _ = write!(
                    std::io::stdout().lock(),
                    "{}",
                    report.to_markdown(&base_label)
                );
            }
            if report.is_breaking() || report.breaks_the_wire() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(ERROR)
        }
    }
}

fn bundle(action: &str, spec: &Path) -> ExitCode {
    let root = xtask::workspace_root();
    match xtask::bundle_action(&root.join(spec), &display(spec), action) {
        Ok(document) => {
            use std::io::Write as _;
            let _ = write!(std::io::stdout().lock(), "{document}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

fn upstream_diff(dir: &Path, spec: &Path) -> ExitCode {
    const ERROR: u8 = 2;
    let root = xtask::workspace_root();
    let ours = match xtask::our_actions(&root.join(spec), &display(spec)) {
        Ok(ours) => ours,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(ERROR);
        }
    };
    let upstream = match xtask::upstream_diff::upstream_actions(dir) {
        Ok(upstream) => upstream,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(ERROR);
        }
    };
    let drift = xtask::upstream_diff::compare(&ours, &upstream);
    {
        use std::io::Write as _;
        let report = xtask::upstream_diff::to_markdown(&drift, &display(dir));
        let _ = write!(std::io::stdout().lock(), "{report}");
    }
    if drift.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
