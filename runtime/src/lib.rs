//! The part of the ZEGOCLOUD Cloud Recording client that does not depend on the spec:
//! signing (signature 2.0), the HTTP transport with retries and rate limiting, the error
//! type, validation helpers, redaction of credentials and the mock server.
//!
//! This is a crate of its own so that it compiles, is linted and is unit-tested where it is
//! edited. `cargo xtask codegen` copies these files, unchanged and without their unit tests,
//! into the generated crate's `src/runtime/`, so the generated crate stays self-contained:
//! downstream users depend on one crate, and generated code can add inherent methods (one per
//! API action) to [`Client`]. The generated code reaches this code only through the traits
//! [`Envelope`], [`RequestInfo`], [`Validate`], [`Redact`] and `mock::MockActions` and the
//! items in `support`.
//!
//! Conventions the copy relies on: paths between these modules are written `super::…` (they
//! resolve the same in this crate and under `runtime/` in the generated one), and a file's
//! unit tests, if any, are its last item, starting at a line `#[cfg(test)]`.
#![deny(missing_docs)]

mod callback;
mod client;
// Written by `cargo xtask codegen` from the spec's return codes, and left as it prints it.
#[rustfmt::skip]
mod codes;
mod error;
mod json_path;
/// A local fake of the service for downstream tests (feature `mock`).
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod retry;
mod sensitive;
mod signing;
mod validation;

pub use callback::*;
pub use client::*;
pub use error::*;
pub use json_path::json_error_path;
pub use retry::*;
pub use sensitive::*;
pub use signing::*;
pub use validation::{builtin_rules, FieldPath, Validate, ValidationError, Violation};

/// The helpers generated validation code calls; not meant to be used directly.
#[doc(hidden)]
pub mod support {
    pub use super::validation::{check_items, check_known, check_length, check_range};
}
