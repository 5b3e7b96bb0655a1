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
pub const OPERATIONS_IMPORTS: [&str; 8] = [
    "ApiResponse",
    "CallLimit",
    "DryRun",
    "FieldPath",
    "Method",
    "Operation",
    "RequestInfo",
    "Violation",
];

/// Items of the crate's own `service` module that `operations.rs` imports beside the types.
pub const OPERATIONS_SERVICE_IMPORTS: [&str; 2] = ["Client", "Error"];

/// Standard items imported beside the types: `BTreeMap` in `types.rs`, `Future` in
/// `operations.rs`.
pub const STD_IMPORTS: [&str; 2] = ["BTreeMap", "Future"];

/// Runtime items `mock.rs` re-exports.
pub const MOCK_RUNTIME_IMPORTS: [&str; 3] = ["Checked", "DefaultMock", "MockActions"];

/// What `mock.rs` defines, and imports from the crate, beside the request types it imports.
pub const MOCK_ITEMS: [&str; 6] = [
    "Actions",
    "MockServer",
    "MockResponse",
    "RecordedRequest",
    "Api",
    "ApiCode",
];

/// Type names a spec's type may not take: a generated module that holds or imports the
/// spec's types would import or define an item of the same name beside them. (The crate
/// root keeps the types in `types`, so its own names are no obstacle.)
pub fn reserved_type_names() -> BTreeSet<&'static str> {
    TYPES_IMPORTS
        .iter()
        .chain(&OPERATIONS_IMPORTS)
        .chain(&OPERATIONS_SERVICE_IMPORTS)
        .chain(&STD_IMPORTS)
        .chain(&MOCK_RUNTIME_IMPORTS)
        .chain(&MOCK_ITEMS)
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
        for name in [
            "Client",
            "Error",
            "Operation",
            "Violation",
            "Validate",
            "Checked",
            "Actions",
            "MockServer",
            "BTreeMap",
        ] {
            assert!(reserved.contains(name), "{name} missing");
        }
    }
}
