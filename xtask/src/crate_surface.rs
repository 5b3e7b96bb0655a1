//! What every generated product crate has besides the spec's own items: the methods of its
//! `Client`, the names at its root, and the runtime items its generated files import. The
//! naming stage keeps the spec's names clear of them; the emitter writes them. Listed here
//! once, since both stages read them.

use std::collections::BTreeSet;

/// The runtime's manifest: the emitter reads the runtime's version and features from it
/// (every generated crate depends on that version and forwards each feature).
pub const RUNTIME_MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// The methods of a product's `Client` that no action gives it: the constructors, the
/// checks handle, the calls by descriptor, what the client was built with, and the dispatch
/// by action name. In the order the emitter destructures them.
pub const CLIENT_METHODS: [&str; 11] = [
    "new",
    "builder",
    "call_action",
    "dry_run_action",
    "with_checks",
    "checks",
    "execute",
    "dry_run",
    "app_id",
    "base_url",
    "now_unix_millis",
];

/// Items the crate root defines or re-exports besides its modules.
pub const ROOT_NAMES: [&str; 12] = [
    "Api",
    "ApiCode",
    "Client",
    "ClientBuilder",
    "Error",
    "Region",
    "DEFAULT_BASE_URL",
    "ApiResponse",
    "Checks",
    "DryRun",
    "GatewayCode",
    "RetryPolicy",
];

/// Runtime items `types.rs` may use, imported when it does.
pub const TYPES_IMPORTS: [&str; 8] = [
    "Envelope",
    "EnvelopeParts",
    "FieldPath",
    "Redact",
    "SensitiveString",
    "Validate",
    "ValidationError",
    "Violation",
];

/// The validation helpers of the runtime's `support` module, imported by `types.rs`.
pub const SUPPORT_IMPORTS: [&str; 6] = [
    "check_items",
    "check_known",
    "check_length",
    "check_number_range",
    "check_range",
    "check_unique",
];

/// Runtime items `operations.rs` may use, imported when it does.
pub const OPERATIONS_IMPORTS: [&str; 7] = [
    "ApiResponse",
    "DryRun",
    "FieldPath",
    "Method",
    "Operation",
    "RequestInfo",
    "Violation",
];

/// Type names a spec's type may not take: a generated file would import or define an item
/// of the same name beside it.
pub fn reserved_type_names() -> BTreeSet<&'static str> {
    ROOT_NAMES
        .iter()
        .chain(&TYPES_IMPORTS)
        .chain(&OPERATIONS_IMPORTS)
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_is_the_runtimes() {
        assert!(RUNTIME_MANIFEST.contains("name = \"zego-server-runtime\""));
    }

    #[test]
    fn reserved_names_cover_the_imports_and_the_root() {
        let reserved = reserved_type_names();
        for name in ["Client", "Error", "Operation", "Violation", "Validate"] {
            assert!(reserved.contains(name), "{name} missing");
        }
    }
}
