//! Generates the client for every fixture spec into `OUT_DIR`, so that this crate compiles
//! (and clippy checks) exactly what the generator emits for them: a snapshot that does not
//! compile fails the build.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let specs = Path::new(&manifest).join("../fixtures/specs");
    println!("cargo:rerun-if-changed={}", specs.display());

    let mut entries: Vec<_> = std::fs::read_dir(&specs)
        .expect("tests/fixtures/specs exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    entries.sort();

    let mut index = String::new();
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("UTF-8 fixture names");
        let display = format!("tests/fixtures/specs/{stem}.yaml");
        let files = xtask::generate_from_file(&path, &display)
            .unwrap_or_else(|error| panic!("fixture {display} does not generate:\n{error}"));
        let module = Path::new(&out_dir).join(format!("fixture_{stem}.rs"));
        std::fs::write(&module, xtask::emit::single_file(&files)).expect("OUT_DIR is writable");
        writeln!(
            index,
            "pub mod {stem} {{ include!(concat!(env!(\"OUT_DIR\"), \"/fixture_{stem}.rs\")); }}"
        )
        .expect("writing to a String cannot fail");
    }
    std::fs::write(Path::new(&out_dir).join("fixtures.rs"), index).expect("OUT_DIR is writable");
}
