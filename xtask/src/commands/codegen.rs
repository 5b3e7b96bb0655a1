//! `cargo xtask codegen`: every product's crate from its spec (or one with `--spec`), and the
//! fixture clients; with `--check`, the same compared instead of written.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{absolute, current_files, display, say, short, spec_directory, CommandError};
use crate::workers::{self, Job};
use crate::write::{self, Mode};

/// Generates (or checks) the crates. Every product is generated even when one fails, so one
/// run shows every problem; each failure is reported as it is met.
///
/// # Errors
/// [`CommandError::Products`] when any product failed (each reported on stderr),
/// [`CommandError::VersionTooLow`] under `--check` for a breaking change without a major
/// bump, [`CommandError::File`] when the specs cannot be listed.
pub fn codegen(check: bool, spec: Option<&Path>, out: Option<&Path>) -> Result<(), CommandError> {
    let started = Instant::now();
    let root = crate::workspace_root();
    let specs = match spec {
        Some(spec) => vec![display(spec)],
        None => crate::product_specs(&root).map_err(|error| CommandError::File {
            path: crate::SPECS_DIR.to_owned(),
            message: error.to_string(),
        })?,
    };
    let mode = if check { Mode::Check } else { Mode::Write };
    // Products share nothing, so they are jobs for the workers, each costed by the size of
    // its spec folder; the results are written and reported in order.
    // Each job also writes (or compares) its own files, so that the disk work is shared by
    // the workers too; only the reports wait for every job.
    enum Generated {
        Product(Result<GeneratedProduct, CommandError>),
        Fixtures(FixturesSynced),
    }
    let root_ref = &root;
    let mut jobs: Vec<Job<'_, Generated>> = specs
        .iter()
        .map(|spec| {
            let cost = folder_size(root_ref.join(spec).parent().unwrap_or(root_ref));
            Job::new(cost, move || {
                Generated::Product(generate_product(root_ref, spec, out, mode))
            })
        })
        .collect();
    if out.is_none() {
        let cost = folder_size(&root.join(crate::FIXTURE_SPECS_DIR));
        jobs.push(Job::new(cost, move || {
            Generated::Fixtures(crate::fixture_clients_files(root_ref).map(|files| {
                write::sync(
                    &root_ref.join(crate::emit::FIXTURE_CLIENTS_DIR),
                    &files,
                    mode,
                )
            }))
        }));
    }
    let mut products = Vec::new();
    let mut fixture_clients = None;
    for generated in workers::run(jobs) {
        match generated {
            Generated::Product(product) => products.push(product),
            Generated::Fixtures(synced) => fixture_clients = Some(synced),
        }
    }
    let total = specs.len();
    let failed = specs
        .iter()
        .zip(products)
        .filter(|(spec, product)| !write_product(spec, product, mode))
        .count();
    let fixtures_failed = fixture_clients.is_some_and(|synced| !report_fixture_clients(synced));
    let verb = if check { "checked" } else { "generated" };
    if total > 1 {
        let elapsed = started.elapsed().as_millis();
        if failed == 0 {
            say!("{total} products {verb} in {elapsed} ms");
        } else {
            say!(
                "{} of {total} products {verb}, {failed} failed, in {elapsed} ms",
                total - failed
            );
        }
    }
    if failed > 0 {
        return Err(CommandError::Products { failed, total });
    }
    if fixtures_failed {
        return Err(CommandError::File {
            path: crate::emit::FIXTURE_CLIENTS_DIR.to_owned(),
            message: "the fixture clients are not up to date (reported above)".to_owned(),
        });
    }
    if check && out.is_none() {
        for spec in &specs {
            check_version(&root, spec)?;
        }
    }
    Ok(())
}

/// One product's crate, generated, with where it goes and how to name that.
struct GeneratedProduct {
    shown: String,
    elapsed: Duration,
    /// What writing (or comparing) its files did.
    synced: Result<write::Outcome, write::WriteError>,
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
    mode: Mode,
) -> Result<GeneratedProduct, CommandError> {
    let started = Instant::now();
    let out_dir = out.map(|out| absolute(&root.join(out)));
    let runtime_path = match &out_dir {
        Some(dir) => crate::relative_path(dir, &absolute(&root.join(crate::RUNTIME_DIR))),
        None => crate::emit::WORKSPACE_RUNTIME_PATH.to_owned(),
    };
    let generated = crate::generate_crate(&root.join(spec), spec, &runtime_path)?;
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
    let elapsed = started.elapsed();
    let synced = write::sync(&dir, &generated.files, mode);
    Ok(GeneratedProduct {
        shown,
        elapsed,
        synced,
    })
}

/// Writes (or checks) one generated product and reports it, or reports why it failed;
/// whether it succeeded.
fn write_product(spec: &str, product: &Result<GeneratedProduct, CommandError>, mode: Mode) -> bool {
    let product = match product {
        Ok(product) => product,
        Err(error) => {
            eprintln!("{error}");
            return false;
        }
    };
    match &product.synced {
        Ok(outcome) => {
            let verb = if mode == Mode::Check {
                "up to date"
            } else {
                "generated"
            };
            say!(
                "{}/ {verb} from {spec}: {} written, {} removed, {} unchanged ({} ms)",
                product.shown,
                outcome.written.len(),
                outcome.removed.len(),
                outcome.unchanged,
                product.elapsed.as_millis()
            );
            for path in &outcome.written {
                say!("  wrote {path}");
            }
            for path in &outcome.removed {
                say!("  removed {path}");
            }
            true
        }
        Err(error) => {
            eprintln!("error: {}: {error}", product.shown);
            false
        }
    }
}

/// The fixture clients, generated and written (or compared), or why not.
type FixturesSynced = Result<Result<write::Outcome, write::WriteError>, crate::FixturesError>;

/// Reports what writing (or checking) `tests/fixture-clients/` did, or why it failed;
/// whether it succeeded.
fn report_fixture_clients(synced: FixturesSynced) -> bool {
    match synced {
        Ok(Ok(outcome)) => {
            for path in outcome.written {
                say!("  wrote {}/{path}", crate::emit::FIXTURE_CLIENTS_DIR);
            }
            true
        }
        Ok(Err(error)) => {
            eprintln!("error: {error}");
            false
        }
        Err(error) => {
            eprintln!("error: {error}");
            false
        }
    }
}

/// Fails when the spec changed in a breaking way since the default base without a major
/// bump of `info.version`. Without git history to compare with, says so and passes.
fn check_version(root: &Path, spec: &str) -> Result<(), CommandError> {
    let base = match crate::vcs::default_base(root, spec_directory(spec)) {
        Ok(base) => base,
        Err(reason) => {
            eprintln!("note: no version check against an earlier spec ({reason})");
            return Ok(());
        }
    };
    match crate::vcs::file_at(root, &base, spec) {
        Ok(Some(_)) => {}
        Ok(None) => {
            eprintln!("note: no version check: {spec} does not exist at {base} (a new spec)");
            return Ok(());
        }
        Err(reason) => {
            eprintln!("note: no version check against {base}: {reason}");
            return Ok(());
        }
    }
    let base_label = format!("{spec}@{}", short(&base));
    let at_base = crate::vcs::Revision {
        root,
        revision: &base,
    };
    let here = current_files(root);
    let report = match crate::api_diff_sets((&at_base, spec), (&here, spec)) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("note: the spec at {base_label} does not generate, so there is no version check: {error}");
            return Ok(());
        }
    };
    if report.is_breaking() && !report.version_is_enough() {
        return Err(CommandError::VersionTooLow {
            base: base_label,
            from: report.base_version.clone(),
            to: report.current_version.clone(),
            needed: report.suggested_version().to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_that_fails_is_counted_and_nothing_is_written() {
        let out = std::env::temp_dir().join(format!("xtask-failing-{}", std::process::id()));
        let spec = Path::new("tests/fixtures/broken/gateway_code_listed.yaml");
        let error = codegen(false, Some(spec), Some(&out)).expect_err("a broken spec");
        assert!(
            matches!(
                error,
                CommandError::Products {
                    failed: 1,
                    total: 1
                }
            ),
            "{error:?}"
        );
        assert_eq!(error.to_string(), "1 of 1 products failed");
        assert!(!out.exists());
    }
}
