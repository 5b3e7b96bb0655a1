use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::commands::{self, CommandError, ImportRequest, Verdict};

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
    // The comparing commands keep 1 for "differs"; their errors are 2.
    let (result, error_status) = match cli.command {
        Command::Codegen { check, spec, out } => (
            commands::codegen(check, spec.as_deref(), out.as_deref()).map(|()| Verdict::Same),
            1,
        ),
        Command::ApiDiff { base, spec } => (commands::api_diff(base, &spec), 2),
        Command::UpstreamDiff { dir, spec } => (commands::upstream_diff(&dir, &spec), 2),
        Command::Bundle { action, spec } => {
            (commands::bundle(&action, &spec).map(|()| Verdict::Same), 1)
        }
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
            (commands::import(request, &out).map(|()| Verdict::Same), 1)
        }
    };
    match result {
        Ok(Verdict::Same) => ExitCode::SUCCESS,
        Ok(Verdict::Differs) => ExitCode::FAILURE,
        Err(error) => {
            match error {
                // Located problems carry their own `error:` prefixes, one per line.
                CommandError::Spec(_) => eprintln!("{error}"),
                _ => eprintln!("error: {error}"),
            }
            ExitCode::from(error_status)
        }
    }
}
