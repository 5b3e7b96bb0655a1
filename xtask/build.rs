//! Embeds the runtime crate's sources into the generator, which copies them into every
//! generated crate. The module list is read from `runtime/src/lib.rs`, its one home.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let runtime = Path::new(&manifest_dir).join("../runtime");
    let sources = runtime.join("src");
    println!("cargo:rerun-if-changed={}", sources.display());
    println!(
        "cargo:rerun-if-changed={}",
        runtime.join("Cargo.toml").display()
    );

    let lib = sources.join("lib.rs");
    let lib_text = std::fs::read_to_string(&lib).expect("runtime/src/lib.rs is readable");
    let mut table = String::new();
    writeln!(table, "/// `runtime/Cargo.toml`.").unwrap_or_default();
    writeln!(
        table,
        "pub const MANIFEST: &str = include_str!({:?});",
        path(&runtime.join("Cargo.toml"))
    )
    .unwrap_or_default();
    writeln!(
        table,
        "/// `runtime/src/lib.rs`, which declares the modules below."
    )
    .unwrap_or_default();
    writeln!(
        table,
        "pub const LIB: &str = include_str!({:?});",
        path(&lib)
    )
    .unwrap_or_default();
    writeln!(
        table,
        "/// Each module of the runtime, by name, in the order `lib.rs` declares them."
    )
    .unwrap_or_default();
    writeln!(table, "pub const MODULES: &[(&str, &str)] = &[").unwrap_or_default();
    for module in declared_modules(&lib_text) {
        let file = sources.join(format!("{module}.rs"));
        assert!(
            file.exists(),
            "runtime/src/lib.rs declares `mod {module};` but runtime/src/{module}.rs is missing"
        );
        writeln!(table, "    ({module:?}, include_str!({:?})),", path(&file)).unwrap_or_default();
    }
    writeln!(table, "];").unwrap_or_default();
    std::fs::write(Path::new(&out_dir).join("runtime_sources.rs"), table)
        .expect("OUT_DIR is writable");
}

/// The names of `mod name;` declarations (any visibility), in order.
fn declared_modules(lib: &str) -> Vec<&str> {
    lib.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("pub ")
                .or_else(|| line.strip_prefix("pub(crate) "))
                .unwrap_or(line);
            rest.strip_prefix("mod ")?.strip_suffix(';')
        })
        .collect()
}

fn path(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}
