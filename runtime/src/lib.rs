//! The runtime every generated ZEGOCLOUD server-API client shares: signing (signature 2.0),
//! the HTTP transport with retries and rate limiting, the error type, validation helpers,
//! redaction of credentials, callback verification and the mock server. It knows no
//! particular API: a generated product crate describes its own once
//! ([`ServerApi`]: return codes, default host, rule ids, client type) and depends on this
//! crate, the way AWS's generated SDK crates depend on `aws-smithy-runtime`.
//!
//! A generated crate reaches this code through [`Client`] (which its own `Client` wraps,
//! adding one method per action), [`ClientBuilder`], [`Error`] (generic over its return
//! codes), the traits [`ServerApi`], [`ReturnCode`], [`Envelope`], [`RequestInfo`],
//! [`Validate`], [`Redact`] and `mock::MockActions`, and the items in `support`.
#![deny(missing_docs)]

mod api;
mod budget;
mod callback;
mod client;
mod deliveries;
mod error;
mod gateway;
mod json_path;
/// A local fake of the service for downstream tests (feature `mock`).
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod numbers;
mod percent;
mod query;
mod receive;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
mod receive_axum;
#[cfg(feature = "redis")]
mod redis_backend;
mod retry;
mod sensitive;
mod signing;
#[cfg(test)]
mod testing;
mod validation;
mod windows;

pub use api::*;
/// axum (feature `axum`), at the version [`VerifiedCallback`] extracts for, with `serve`.
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use axum;
pub use budget::{
    BoxFuture, InMemoryRateLimiter, SharedRateLimiter, StoreUnavailable, SHARED_BUDGET_PAUSE,
};
pub use callback::*;
pub use client::*;
pub use deliveries::{
    CallbackStore, InMemoryCallbackStore, Seen, SeenCallback, DEFAULT_CALLBACK_STORE_ENTRIES,
};
pub use error::*;
pub use gateway::GatewayCode;
pub use json_path::json_error_path;
pub use receive::{json_response, refusal_status, Received};
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use receive_axum::VerifiedCallback;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis_backend::{RedisStore, DEFAULT_KEY_PREFIX, DEFAULT_REDIS_TIMEOUT};
pub use retry::*;
pub use sensitive::*;
pub use signing::*;
pub use validation::{builtin_rules, FieldPath, Validate, ValidationError, Violation};
pub use windows::{WindowAnswer, WindowKey};

/// Token04, the token a ZEGOCLOUD app's clients log in with (the `zego-token` crate, whose
/// [`Clock`] this crate shares).
pub use zego_token as token;

/// The `http` crate (1.x), whose `Request` and `Response` a callback receiver takes and
/// returns ([`CallbackVerifier::receive`]): the types every Rust web framework converts to.
pub use http;

/// The crates the products' hand-written code uses beside the runtime, at the runtime's
/// versions and features, so a generated crate lists one dependency for all of them.
#[doc(hidden)]
pub mod deps {
    pub use futures_core;
    pub use futures_util;
    pub use http;
    pub use reqwest;
    pub use tokio;
}

/// The helpers generated validation code calls; not meant to be used directly.
#[doc(hidden)]
pub mod support {
    pub use super::numbers::serialize_whole_numbers;
    pub use super::validation::{
        check_items, check_known, check_length, check_number_range, check_range, check_unique,
    };
}
