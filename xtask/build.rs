//! Lists what the generator needs to know of the runtime crate: its manifest (every generated
//! crate forwards its features and depends on its version), and the names its sources define
//! (public items, `Client`'s methods), which the naming stage keeps generated names clear of.
//! The module list is read from `runtime/src/lib.rs`, its one home. Reading them here, once
//! per build, keeps a syn parse of the whole runtime out of every run of the generator.

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
    let mut names = RuntimeNames::default();
    for module in declared_modules(&lib_text) {
        for file in module_files(&sources, module) {
            let source = std::fs::read_to_string(&file).unwrap_or_else(|error| {
                panic!(
                    "runtime/src/lib.rs declares `mod {module};` but {} cannot be read: {error}",
                    file.display()
                )
            });
            let parsed = syn::parse_file(&source)
                .unwrap_or_else(|error| panic!("{} does not parse: {error}", file.display()));
            names.scan(parsed);
        }
    }
    writeln!(
        table,
        "/// The methods of the runtime's `impl Client` blocks, sorted."
    )
    .unwrap_or_default();
    writeln!(
        table,
        "pub const RUNTIME_CLIENT_METHODS: &[&str] = &{:?};",
        Vec::from_iter(&names.client_methods)
    )
    .unwrap_or_default();
    writeln!(
        table,
        "/// The runtime's public types, traits and constants (also those a macro declares), sorted."
    )
    .unwrap_or_default();
    writeln!(
        table,
        "pub const RUNTIME_PUBLIC_NAMES: &[&str] = &{:?};",
        Vec::from_iter(&names.public)
    )
    .unwrap_or_default();
    std::fs::write(Path::new(&out_dir).join("runtime_sources.rs"), table)
        .expect("OUT_DIR is writable");
}

/// What the runtime's sources define, sorted so the table is the same on every machine.
#[derive(Default)]
struct RuntimeNames {
    client_methods: std::collections::BTreeSet<String>,
    public: std::collections::BTreeSet<String>,
}

impl RuntimeNames {
    fn scan(&mut self, file: syn::File) {
        for item in file.items {
            let (visibility, ident) = match &item {
                syn::Item::Struct(item) => (&item.vis, &item.ident),
                syn::Item::Enum(item) => (&item.vis, &item.ident),
                syn::Item::Trait(item) => (&item.vis, &item.ident),
                syn::Item::Type(item) => (&item.vis, &item.ident),
                syn::Item::Const(item) => (&item.vis, &item.ident),
                syn::Item::Macro(item) => {
                    self.public
                        .extend(declared_in_tokens(item.mac.tokens.clone()));
                    continue;
                }
                syn::Item::Impl(block) => {
                    self.scan_impl(block);
                    continue;
                }
                _ => continue,
            };
            if matches!(visibility, syn::Visibility::Public(_)) {
                self.public.insert(ident.to_string());
            }
        }
    }

    fn scan_impl(&mut self, block: &syn::ItemImpl) {
        let is_client = matches!(&*block.self_ty, syn::Type::Path(path)
            if path.path.segments.last().is_some_and(|segment| segment.ident == "Client"));
        if !is_client {
            return;
        }
        for member in &block.items {
            if let syn::ImplItem::Fn(function) = member {
                self.client_methods.insert(function.sig.ident.to_string());
            }
        }
    }
}

/// `pub enum Name`, `pub struct Name`, … written inside a macro (the runtime declares
/// `ApiCode` through `macro_rules!`), found token by token.
fn declared_in_tokens(tokens: proc_macro2::TokenStream) -> Vec<String> {
    use proc_macro2::TokenTree;
    let flat: Vec<TokenTree> = flatten(tokens);
    flat.windows(3)
        .filter_map(|window| match window {
            [TokenTree::Ident(visibility), TokenTree::Ident(keyword), TokenTree::Ident(name)]
                if visibility == "pub"
                    && ["enum", "struct", "trait", "type"]
                        .iter()
                        .any(|k| keyword == k) =>
            {
                Some(name.to_string())
            }
            _ => None,
        })
        .collect()
}

fn flatten(tokens: proc_macro2::TokenStream) -> Vec<proc_macro2::TokenTree> {
    tokens
        .into_iter()
        .flat_map(|token| match token {
            proc_macro2::TokenTree::Group(group) => flatten(group.stream()),
            other => vec![other],
        })
        .collect()
}

/// The names of `mod name;` declarations (any visibility), in order; a module compiled for
/// tests only (`#[cfg(test)]` on the line before) is not part of the runtime's API.
fn declared_modules(lib: &str) -> Vec<&str> {
    let mut modules = Vec::new();
    let mut previous = "";
    for line in lib.lines().map(str::trim) {
        let rest = line
            .strip_prefix("pub ")
            .or_else(|| line.strip_prefix("pub(crate) "))
            .unwrap_or(line);
        if let Some(module) = rest
            .strip_prefix("mod ")
            .and_then(|rest| rest.strip_suffix(';'))
        {
            if previous != "#[cfg(test)]" {
                modules.push(module);
            }
        }
        if !line.is_empty() {
            previous = line;
        }
    }
    modules
}

/// The files of module `module`: `src/<module>.rs`, or every file of `src/<module>/` (a
/// module split by concern), sorted.
fn module_files(sources: &Path, module: &str) -> Vec<std::path::PathBuf> {
    let single = sources.join(format!("{module}.rs"));
    if single.exists() {
        return vec![single];
    }
    let folder = sources.join(module);
    println!("cargo:rerun-if-changed={}", folder.display());
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| {
            panic!("runtime/src/{module}.rs or runtime/src/{module}/ must exist: {error}")
        })
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    files.sort();
    files
}

fn path(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}
