//! A typed async client for the ZEGOCLOUD Cloud Recording API.
//!
//! ```no_run
//! use zego_cloudrecord::types::{StartRecordRequest, StorageParams};
//! use zego_cloudrecord::Client;
//!
//! # async fn run() -> Result<(), zego_cloudrecord::Error> {
//! let client = Client::new(1234567890, "server secret")?;
//! let storage = StorageParams::amazon_s3("us-east-1", "recordings", "AKID...", "secret-key");
//! let started = client
//!     .start_record(&StartRecordRequest::single_stream("room-1", storage))
//!     .await?;
//! println!("task {:?}, request {:?}", started.data.task_id, started.request_id);
//! # Ok(()) }
//! ```
//!
//! # Map of the crate
//!
//! - [`Client`] sends requests: one method per API action, each validating the request first
//!   (nothing invalid is sent), signing it (ZEGOCLOUD signature 2.0) and decoding the reply.
//!   [`ClientBuilder`] sets the base URL, timeouts, [`RetryPolicy`] and rate limit.
//! - Request and response types, one per schema of the spec, in [`types`], with [`helpers`]
//!   for the common StartRecord and UpdateLayout requests and [`Rect`] for coordinates.
//! - [`operations`]: each action's descriptor (its `Action`, path and documented rate limit),
//!   for [`Client::dry_run`] and [`Client::execute`]; [`rule_ids`]: the id of every rule the
//!   checks report, for [`ClientBuilder::allow`].
//! - [`Error`] is every failure, typed: validation, API return code, HTTP, transport,
//!   decoding, a success missing what it promises, signing, configuration.
//! - [`lifecycle`]: a task's life in a few calls. [`Client::start_recording`] returns a
//!   [`lifecycle::RecordingTask`] with `stop`, `pause`, `resume`, `update_layout`,
//!   `update_whiteboard`, `take_snapshot` and `status`; `wait_for_files` polls until the files
//!   are uploaded; [`Client::tasks`] lists tasks as an async stream, page by page.
//! - [`callbacks`] verifies the recording-status callbacks ZEGOCLOUD sends and reads them as
//!   typed events.
//! - [`mock`] (feature `mock`) is a local fake of the service for downstream tests, in one
//!   module tree: the runtime's HTTP server ([`mock::MockServer`]), the generated dispatch of
//!   each action ([`mock::Actions`]), and [`mock::service`], the recording service it plays
//!   (tasks, rate limits and callbacks).
//!
//! Checks refuse only what the documentation says the service refuses; the rest are warnings
//! on the response (and on the error, when the call fails). `with_checks` is the way around a
//! check for some calls:
//!
//! ```no_run
//! # async fn run(client: zego_cloudrecord::Client, request: zego_cloudrecord::types::StartRecordRequest) -> Result<(), zego_cloudrecord::Error> {
//! use zego_cloudrecord::Checks;
//! let response = client.with_checks(Checks::Warn).start_record(&request).await?;
//! for warning in &response.warnings {
//!     eprintln!("sent anyway: {warning}");
//! }
//! # Ok(()) }
//! ```
//!
//! Credentials (the ServerSecret and storage keys) are held in [`runtime::SensitiveString`]
//! and never printed.
//!
//! Features: `rustls-tls` (default) uses rustls with webpki roots; `native-tls` uses the
//! platform's TLS library instead; `mock` adds [`mock::MockServer`].
//!
//! This crate is written by hand around the part `cargo xtask codegen` writes from the spec
//! (`generated/`: `types`, `operations`, `service`, `codes` and `mock`, included here with
//! `#[path]`). What does not depend on the spec (signing, transport, errors, retries,
//! validation helpers, callback verification, the mock server) is the `zego-server-runtime`
//! crate, a dependency shared by every ZEGOCLOUD product crate.
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod callbacks;
#[path = "../generated/src/codes.rs"]
#[rustfmt::skip]
mod codes;
pub mod helpers;
pub mod lifecycle;
/// A local fake of the service for downstream tests (feature `mock`): the runtime's mock
/// server with this API's actions.
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
#[path = "../generated/src/mock.rs"]
#[rustfmt::skip]
pub mod mock;
/// Descriptors of the API's operations, for [`Client::dry_run`] and [`Client::execute`].
#[path = "../generated/src/operations.rs"]
#[rustfmt::skip]
pub mod operations;
#[path = "../generated/src/service.rs"]
#[rustfmt::skip]
mod service;
/// Request and response types, one per schema of the spec.
#[path = "../generated/src/types.rs"]
#[rustfmt::skip]
pub mod types;

pub use codes::ApiCode;
pub use helpers::{rgb, Colour, ColourError, Rect, StartRecordResponseExt};
pub use service::{rule_ids, Api, Client, ClientBuilder, Error, Region, DEFAULT_BASE_URL};
pub use zego_server_runtime::{ApiResponse, Checks, DryRun, GatewayCode, RetryPolicy};

/// The runtime every ZEGOCLOUD product crate shares: signing, transport, retries, rate
/// limits, errors' parts, validation, callback verification, shared stores.
pub use zego_server_runtime as runtime;
