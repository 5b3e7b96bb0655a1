//! The runtime crate's sources, embedded at build time (`xtask/build.rs`), and what the other
//! stages need to know about them: the emitter copies them, and the naming stage keeps
//! generated names clear of the names they define.

use std::collections::BTreeSet;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/runtime_sources.rs"));

/// Methods the generated code itself adds to `Client`: the constructors (`src/service.rs`)
/// and the dispatch by action name (`src/operations.rs`), in that order.
pub const GENERATED_CLIENT_METHODS: [&str; 4] = ["new", "builder", "call_action", "dry_run_action"];

/// Every method `Client` has without the operations: the runtime's `impl Client` blocks and
/// [`GENERATED_CLIENT_METHODS`]. An operation with one of these names would not compile.
/// Parsed once per process (the sources are compiled in, so the answer never changes).
pub fn client_methods() -> BTreeSet<String> {
    static METHODS: OnceLock<BTreeSet<String>> = OnceLock::new();
    METHODS.get_or_init(scan_client_methods).clone()
}

fn scan_client_methods() -> BTreeSet<String> {
    let mut methods: BTreeSet<String> = GENERATED_CLIENT_METHODS
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    for file in parsed_modules() {
        for item in file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let is_client = matches!(&*block.self_ty, syn::Type::Path(path)
                if path.path.segments.last().is_some_and(|segment| segment.ident == "Client"));
            if !is_client {
                continue;
            }
            for member in block.items {
                if let syn::ImplItem::Fn(function) = member {
                    methods.insert(function.sig.ident.to_string());
                }
            }
        }
    }
    methods
}

/// The names of the runtime's public types, traits and constants, which the generated crate
/// re-exports at its root beside the generated types.
pub fn public_names() -> BTreeSet<String> {
    static NAMES: OnceLock<BTreeSet<String>> = OnceLock::new();
    NAMES.get_or_init(scan_public_names).clone()
}

fn scan_public_names() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for file in parsed_modules() {
        for item in file.items {
            let (visibility, ident) = match &item {
                syn::Item::Struct(item) => (&item.vis, &item.ident),
                syn::Item::Enum(item) => (&item.vis, &item.ident),
                syn::Item::Trait(item) => (&item.vis, &item.ident),
                syn::Item::Type(item) => (&item.vis, &item.ident),
                syn::Item::Const(item) => (&item.vis, &item.ident),
                syn::Item::Macro(item) => {
                    names.extend(declared_in_tokens(item.mac.tokens.clone()));
                    continue;
                }
                _ => continue,
            };
            if matches!(visibility, syn::Visibility::Public(_)) {
                names.insert(ident.to_string());
            }
        }
    }
    names
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

/// The runtime's modules, parsed. They compile as a crate of their own, so they parse; a
/// module that somehow does not is skipped rather than failing the generator.
fn parsed_modules() -> impl Iterator<Item = syn::File> {
    MODULES
        .iter()
        .filter_map(|(_, source)| syn::parse_file(source).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_methods_come_from_the_runtime_source() {
        let methods = client_methods();
        for method in ["execute", "dry_run", "app_id", "base_url", "new", "builder"] {
            assert!(
                methods.contains(method),
                "{method} missing from {methods:?}"
            );
        }
    }

    #[test]
    fn public_names_include_the_runtime_types() {
        let names = public_names();
        for name in [
            "Client",
            "ClientBuilder",
            "Error",
            "ApiCode",
            "RetryPolicy",
            "MockServer",
        ] {
            assert!(names.contains(name), "{name} missing from {names:?}");
        }
    }
}
