use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use xtask::write::{self, Mode};

/// Project tasks for the ZEGOCLOUD Cloud Recording client.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate the client crate in `generated/` from the spec.
    Codegen {
        /// Write nothing; exit non-zero with a diff when `generated/` is out of date.
        #[arg(long)]
        check: bool,
        /// The spec, relative to the workspace root.
        #[arg(long, default_value = xtask::SPEC_PATH)]
        spec: PathBuf,
        /// The output directory, relative to the workspace root.
        #[arg(long, default_value = xtask::OUTPUT_DIR)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen { check, spec, out } => codegen(check, &spec, &out),
    }
}

fn codegen(check: bool, spec: &std::path::Path, out: &std::path::Path) -> ExitCode {
    let started = Instant::now();
    let root = xtask::workspace_root();
    let display_name = spec.to_string_lossy().replace('\\', "/");
    let files = match xtask::generate_from_file(&root.join(spec), &display_name) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let mode = if check { Mode::Check } else { Mode::Write };
    match write::sync(&root.join(out), &files, mode) {
        Ok(outcome) => {
            let verb = if check { "up to date" } else { "generated" };
            println!(
                "{}/ {verb} from {display_name}: {} written, {} removed, {} unchanged ({} ms)",
                out.display(),
                outcome.written.len(),
                outcome.removed.len(),
                outcome.unchanged,
                started.elapsed().as_millis()
            );
            for path in outcome.written {
                println!("  wrote {path}");
            }
            for path in outcome.removed {
                println!("  removed {path}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
