//! The runtime crate's sources, embedded at build time (`xtask/build.rs`), and what the other
//! stages need to know about them: the emitter copies them, and the naming stage keeps
//! generated names clear of the names they define (listed by the build script, which parses
//! them once per build rather than once per run).

use std::collections::BTreeSet;

include!(concat!(env!("OUT_DIR"), "/runtime_sources.rs"));

/// Methods the generated code itself adds to `Client`: the constructors (`src/service.rs`)
/// and the dispatch by action name (`src/operations.rs`), in that order.
pub const GENERATED_CLIENT_METHODS: [&str; 4] = ["new", "builder", "call_action", "dry_run_action"];

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
/// re-exports at its root beside the generated types.
pub fn public_names() -> BTreeSet<String> {
    RUNTIME_PUBLIC_NAMES
        .iter()
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
