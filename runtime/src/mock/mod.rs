use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::net::TcpListener;

use super::api::ServerApi;
use super::client::ClientBuilder;
use super::error::Error;
use super::sensitive::SensitiveString;
use super::validation::{Validate, Violation};

mod callbacks;
mod dispatch;
mod gateway;
mod http;

pub use callbacks::{send_callback, sign_now, CallbackAnswer, SendCallbackError};
use dispatch::{serve, Service, State};
use http::query_pairs;

/// How the mock answers a request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MockResponse<C> {
    /// `Code` 0 with made-up `Data` (string fields `mock` followed by 12 digits).
    Success,
    /// A non-zero `Code` with this `Message`.
    ApiError {
        /// The return code.
        code: C,
        /// The message.
        message: String,
    },
    /// This HTTP status with an empty body.
    HttpStatus(u16),
    /// Waits this long, then answers with success.
    Delay(Duration),
}

/// A request the mock received, with what it found and answered. Its `Debug` leaves the
/// body out, since the body can hold storage credentials.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedRequest<C> {
    /// The `Action` query parameter.
    pub action: Option<String>,
    /// Every query parameter.
    pub query: BTreeMap<String, String>,
    /// The body as JSON (`Null` when it is not JSON). Credentials in it are real: do not print.
    pub body: serde_json::Value,
    /// Whether `AppId`, `SignatureVersion` and `Signature` were right for the configured secret.
    pub signature_valid: bool,
    /// What the generated validation found in the body.
    pub violations: Vec<Violation>,
    /// What the mock answered.
    pub response: MockResponse<C>,
    /// When the request arrived (read in full), on the mock's monotonic clock.
    pub received: std::time::Instant,
}

impl<C: std::fmt::Debug> std::fmt::Debug for RecordedRequest<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("action", &self.action)
            .field("query", &self.query)
            .field("body", &"[not shown: may hold credentials]")
            .field("signature_valid", &self.signature_valid)
            .field("violations", &self.violations)
            .field("response", &self.response)
            .finish()
    }
}

/// What the mock knows of an API: how to check each action's request, and how the service
/// answers it. This module depends on no particular spec: the generated `mock_actions::Actions`
/// implements the checks (one arm per operation of the spec), and a product's stateful
/// service, written beside the generated crate, adds the answers. [`MockServer::start_with`]
/// takes either.
pub trait MockActions<C>: Send + Sync + 'static {
    /// Checks `body` against `action`'s request type and makes up the `Data` of a successful
    /// answer; `None` when the API has no such action. `body` is the request's JSON body, or
    /// for a GET request its raw query (without the leading `?`). `sequence` numbers the
    /// mock's requests from 1, for made-up ids.
    fn check(&self, action: &str, body: &[u8], sequence: u64) -> Option<Checked>;

    /// The answer to a valid request that no programmed response overrides: its `Data`
    /// (by default the made-up `data`), or a return code and message. A mock that keeps
    /// state (tasks and their status) changes it here, and only here.
    fn respond(
        &self,
        action: &str,
        body: &[u8],
        data: serde_json::Value,
    ) -> Result<serde_json::Value, (C, String)> {
        let _ = (action, body);
        Ok(data)
    }

    /// Called once when a [`MockServer`] starts serving these actions, with the app id it
    /// serves: a stateful service puts it where the service would (callbacks carry it).
    fn serving(&self, app_id: u32) {
        let _ = app_id;
    }
}

/// The result of checking a request body against an action's request type.
#[derive(Debug)]
pub struct Checked {
    violations: Result<Vec<Violation>, String>,
    data: serde_json::Value,
    beside_envelope: bool,
}

impl Checked {
    /// Decodes `body` as `R` and validates it; `data` is what a successful answer carries.
    pub fn decode<R: serde::de::DeserializeOwned + Validate>(
        body: &[u8],
        data: serde_json::Value,
    ) -> Self {
        let violations = serde_json::from_slice::<R>(body)
            .map(|request| violations_of(&request))
            .map_err(|error| error.to_string());
        Self {
            violations,
            data,
            beside_envelope: false,
        }
    }

    /// Answers with the data's fields beside `Code`, `Message` and `RequestId` instead of in
    /// `Data`, as the replies of some actions are laid out.
    #[must_use]
    pub fn beside_envelope(mut self) -> Self {
        self.beside_envelope = true;
        self
    }
}

impl Checked {
    /// Reads a GET request's raw `query` (the signing parameters and `Action` are skipped) as
    /// `R` the way the client writes it, and validates it; `data` is what a successful answer
    /// carries.
    pub fn decode_query<R: serde::de::DeserializeOwned + Validate>(
        query: &[u8],
        data: serde_json::Value,
    ) -> Self {
        let text = String::from_utf8_lossy(query);
        let pairs: Vec<(String, String)> = query_pairs(&text)
            .into_iter()
            .filter(|(name, _)| !crate::signing::SIGNED_QUERY_NAMES.contains(&name.as_str()))
            .collect();
        let violations = crate::query::decode::<R>(&pairs).map(|request| violations_of(&request));
        Self {
            violations,
            data,
            beside_envelope: false,
        }
    }
}

/// What validating a decoded request finds.
fn violations_of<R: Validate>(request: &R) -> Vec<Violation> {
    match request.validate() {
        Ok(()) => Vec::new(),
        Err(error) => error.violations().to_vec(),
    }
}

/// A local fake of the service for downstream tests (feature `mock`).
///
/// It listens on 127.0.0.1 on a random port, checks each request's signature with the
/// configured secret and its body with the same generated validation the client uses,
/// records every request, and answers with success unless told otherwise for the next
/// calls. It stops when dropped.
///
/// A generated crate names it for its API (`mock::MockServer` in each product crate).
pub struct MockServer<A: ServerApi> {
    address: SocketAddr,
    app_id: u32,
    server_secret: SensitiveString,
    state: Arc<Mutex<State<A::Code>>>,
    task: tokio::task::JoinHandle<()>,
}

impl<A: ServerApi> std::fmt::Debug for MockServer<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("address", &self.address)
            .field("app_id", &self.app_id)
            .field("server_secret", &self.server_secret)
            .finish_non_exhaustive()
    }
}

/// The mock a product starts by default: its stateful service (a generated crate states it
/// in its `mock::service`), for [`MockServer::start`].
pub trait DefaultMock: ServerApi {
    /// The service [`MockServer::start`] plays.
    type Service: MockActions<Self::Code> + Default;
}

impl<A: DefaultMock> MockServer<A> {
    /// Starts the mock on 127.0.0.1 (random port) for `app_id` and its ServerSecret, playing
    /// the product's default service.
    ///
    /// # Errors
    /// When no local port can be bound.
    pub async fn start(
        app_id: u32,
        server_secret: impl Into<SensitiveString>,
    ) -> std::io::Result<Self> {
        Self::start_with(app_id, server_secret, A::Service::default()).await
    }
}

impl<A: ServerApi> MockServer<A> {
    /// Starts the mock on 127.0.0.1 (random port) for `app_id` and its ServerSecret,
    /// answering the actions `actions` knows.
    ///
    /// # Errors
    /// When no local port can be bound.
    pub async fn start_with(
        app_id: u32,
        server_secret: impl Into<SensitiveString>,
        actions: impl MockActions<A::Code>,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let server_secret = server_secret.into();
        actions.serving(app_id);
        let state = Arc::new(Mutex::new(State::default()));
        let service = Arc::new(Service {
            app_id,
            secret: server_secret.clone(),
            invalid_parameter: A::INVALID_PARAMETER_CODE,
        });
        let task = tokio::spawn(serve(listener, service, state.clone(), Arc::new(actions)));
        Ok(Self {
            address,
            app_id,
            server_secret,
            state,
            task,
        })
    }

    /// The base URL to point a client at.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A client for this mock, with the mock's app id and secret and default settings.
    ///
    /// # Errors
    /// As [`ClientBuilder::build`](super::client::ClientBuilder::build).
    pub fn client(&self) -> Result<A::Client, Error<A::Code>> {
        self.client_builder().build()
    }

    /// A builder for a client of this mock (its URL, app id and secret already set), for
    /// tests that want other settings: a retry policy, rate limits, checks, a clock.
    pub fn client_builder(&self) -> ClientBuilder<A> {
        ClientBuilder::new(self.app_id, self.server_secret.clone()).base_url(self.url())
    }

    /// The app id the mock serves.
    pub fn app_id(&self) -> u32 {
        self.app_id
    }

    /// Answers the next `times` valid requests with `response` (after any already queued).
    pub fn respond_next(&self, times: usize, response: MockResponse<A::Code>) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.queue.extend(std::iter::repeat_n(response, times));
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest<A::Code>> {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .requests
            .clone()
    }
}

impl<A: ServerApi> Drop for MockServer<A> {
    fn drop(&mut self) {
        self.task.abort();
    }
}
