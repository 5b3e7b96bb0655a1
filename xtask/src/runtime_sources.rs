//! What the generator knows of the runtime crate, listed at build time (`xtask/build.rs`):
//! its manifest, which the emitter reads for the runtime's version and features, and the
//! names its sources define, which the naming stage keeps generated names clear of (parsed
//! once per build rather than once per run).

use std::collections::BTreeSet;

include!(concat!(env!("OUT_DIR"), "/runtime_sources.rs"));

/// Methods the generated code itself gives its `Client`: the constructors and the checks
/// handle (`src/service.rs`), and the dispatch by action name (`src/operations.rs`).
pub const GENERATED_CLIENT_METHODS: [&str; 5] = [
    "new",
    "builder",
    "call_action",
    "dry_run_action",
    "with_checks",
];

/// Names the generated crate defines at its root besides the spec's types: the product's
/// marker type, its return codes, regions and the items of `src/service.rs`.
pub const GENERATED_ROOT_NAMES: [&str; 7] = [
    "Api",
    "ApiCode",
    "Client",
    "ClientBuilder",
    "Error",
    "Region",
    "DEFAULT_BASE_URL",
];

/// Every method `Client` has without the operations: the runtime's `impl Client` blocks and
/// [`GENERATED_CLIENT_METHODS`]. An operation with one of these names would not compile.
pub fn client_methods() -> BTreeSet<String> {
    GENERATED_CLIENT_METHODS
        .iter()
        .chain(RUNTIME_CLIENT_METHODS)
        .map(|name| (*name).to_owned())
        .collect()
}

/// The names of the runtime's public types, traits and constants, which the generated crate
/// re-exports at its root beside the generated types, and the names the generated crate
/// defines there itself ([`GENERATED_ROOT_NAMES`]).
pub fn public_names() -> BTreeSet<String> {
    RUNTIME_PUBLIC_NAMES
        .iter()
        .chain(&GENERATED_ROOT_NAMES)
        .map(|name| (*name).to_owned())
        .collect()
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
