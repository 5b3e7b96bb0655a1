//! The client every generated crate wraps: its state, what it offers (checks, dry runs, calls
//! by descriptor or by JSON) and the orchestration of one call. Each concern is a module:
//! [`operation`] (what generated code hands it), `checks` (the check policy), `attempts`
//! (retries), `transport` (the HTTP exchange), `decode` (answers and JSON requests) and
//! `builder` (configuration).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use crate::api::{ReturnCode, ServerApi};
use crate::budget::SharedBudget;
use crate::error::Error;
use crate::retry::{random_key, RateLimiter, RetryPolicy};
use crate::sensitive::{Redact, SensitiveString};
use crate::signing::{Clock, NonceSource, ALLOWED_CLOCK_SKEW};
use crate::validation::{Validate, Violation};

mod attempts;
mod builder;
mod checks;
mod decode;
pub(crate) mod operation;
mod transport;
mod windows;

pub use builder::{
    ClientBuilder, DEFAULT_CALL_LIMIT_WAIT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
};
pub use checks::Checks;
use decode::decode_request;
pub use decode::decode_response;
pub use operation::{
    ApiResponse, CallLimit, DryRun, Envelope, EnvelopeParts, Method, Operation, RequestInfo,
};
use transport::encode_error;

/// An async client of the API `A` describes: the machinery every product's client shares
/// (checks, signing, transport, retries, rate limits, decoding). A generated crate wraps it
/// in its own `Client`, which adds one method per action.
///
/// Cheap to clone: clones share one connection pool and configuration.
pub struct Client<A> {
    inner: Arc<Inner>,
    /// The checks of this handle; [`Client::with_checks`] makes a handle with others.
    checks: Checks,
    api: PhantomData<fn() -> A>,
}

impl<A> Clone for Client<A> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            checks: self.checks,
            api: PhantomData,
        }
    }
}

struct Inner {
    http: reqwest::Client,
    base_url: reqwest::Url,
    /// The base URL without a trailing `/`, query or fragment; operation paths follow it.
    url_prefix: String,
    /// Whether the base URL was set by hand: then every action goes there.
    custom_base_url: bool,
    /// The largest request body so far (capped), to size the next one's buffer.
    body_size_hint: AtomicUsize,
    app_id: u32,
    server_secret: SensitiveString,
    clock: Arc<dyn Clock>,
    nonces: Arc<dyn NonceSource>,
    max_response_bytes: usize,
    retry: Option<RetryPolicy>,
    rate_limiter: Option<RateLimiter>,
    /// Rule ids whose findings the caller expects: neither refused nor reported.
    allowed: Vec<&'static str>,
    /// One limiter per action, created at its first call, when limits per action are on.
    action_limiters: Option<Mutex<BTreeMap<&'static str, Arc<RateLimiter>>>>,
    /// The budget shared with other clients (other processes), asked before the local one.
    shared_rate_limiter: Option<SharedBudget>,
    /// The windows of the actions' longer or keyed limits, when limits per action are on.
    windows: Option<crate::windows::InProcessWindows>,
    /// How long a call waits for room in a window before it fails instead.
    call_limit_wait: std::time::Duration,
}

impl<A> fmt::Debug for Client<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("app_id", &self.inner.app_id)
            .field("base_url", &self.inner.base_url.as_str())
            .field("server_secret", &self.inner.server_secret)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("retry", &self.inner.retry)
            .field("rate_limiter", &self.inner.rate_limiter)
            .field(
                "rate_limit_per_action",
                &self.inner.action_limiters.is_some(),
            )
            .finish_non_exhaustive()
    }
}

impl<A: ServerApi> Client<A> {
    /// The application ID requests are signed for.
    pub fn app_id(&self) -> u32 {
        self.inner.app_id
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// The current time on the client's clock (the one it signs with), in Unix milliseconds.
    pub fn now_unix_millis(&self) -> i64 {
        self.inner.clock.unix_millis()
    }

    /// Validates and signs `request` for `operation` without sending it.
    ///
    /// # Errors
    /// [`Error::Validation`] for an invalid request, [`Error::Signing`] when no nonce can be had.
    pub fn dry_run<R>(&self, operation: &Operation, request: &R) -> Result<DryRun, Error<A::Code>>
    where
        R: Serialize + Validate + RequestInfo + Redact + Clone,
    {
        let warnings = self.check(request, Vec::new())?;
        let mut shown = request.clone();
        shown.redact();
        let signed = self.sign()?;
        let (url, redacted_body) = match operation.method {
            Method::Get => {
                let query = self.query(&shown)?;
                (self.url(operation, &signed, &query), String::new())
            }
            Method::Post => (
                self.url(operation, &signed, ""),
                serde_json::to_string_pretty(&shown).map_err(encode_error)?,
            ),
        };
        Ok(DryRun {
            method: operation.method.as_str(),
            url,
            redacted_body,
            warnings,
        })
    }

    /// A handle to the same client (same connections, limits and settings) whose calls are
    /// checked as `checks` says: the way around a check for one call, or a few. A generated
    /// crate's `Client::with_checks` wraps it.
    pub fn with_checks(&self, checks: Checks) -> Client<A> {
        Client {
            inner: self.inner.clone(),
            checks,
            api: PhantomData,
        }
    }

    /// The checks this handle applies.
    pub fn checks(&self) -> Checks {
        self.checks
    }

    /// Checks `request` (and the caller's `extra` findings about it) as this handle's
    /// [`Checks`] say: the findings it refuses as an error, the rest (logged) as warnings.
    fn check<R: Validate + RequestInfo>(
        &self,
        request: &R,
        extra: Vec<Violation>,
    ) -> Result<Vec<Violation>, Error<A::Code>> {
        if self.checks == Checks::Off {
            return Ok(Vec::new());
        }
        let mut findings = request.findings();
        let skew = i64::try_from(ALLOWED_CLOCK_SKEW.as_millis()).unwrap_or(i64::MAX);
        let service_now_ms = self.inner.clock.unix_millis().saturating_sub(skew);
        request.clock_findings(service_now_ms, &mut findings);
        findings.extend(extra);
        checks::sort_findings(self.checks, &self.inner.allowed, findings).map_err(Error::Validation)
    }

    /// Validates, signs and sends `request` for `operation`, then decodes the response as the
    /// envelope `E`; retries as the client's [`RetryPolicy`] allows. The generated method of
    /// each action calls this with the action's descriptor and types.
    ///
    /// # Errors
    /// As the generated action methods: [`Error::Validation`] before sending; afterwards
    /// `Transport`, `Http`, `ResponseTooLarge`, `Decode`, or `Api` for a non-zero `Code`.
    pub async fn execute<R, E>(
        &self,
        operation: &Operation,
        request: &R,
    ) -> Result<ApiResponse<E::Data>, Error<A::Code>>
    where
        R: Serialize + Validate + RequestInfo + Clone,
        E: DeserializeOwned + Envelope,
    {
        self.execute_with_findings::<R, E>(operation, request, Vec::new())
            .await
    }

    /// As [`Client::execute`], with findings about `request` that the request's own checks
    /// cannot make because they depend on state the caller holds (what an earlier call set
    /// up, for instance). They are refused, warned about or allowed like every other finding,
    /// as the handle's [`Checks`] and the builder's `allow` list say.
    ///
    /// # Errors
    /// As [`Client::execute`].
    pub async fn execute_with_findings<R, E>(
        &self,
        operation: &Operation,
        request: &R,
        extra_findings: Vec<Violation>,
    ) -> Result<ApiResponse<E::Data>, Error<A::Code>>
    where
        R: Serialize + Validate + RequestInfo + Clone,
        E: DeserializeOwned + Envelope,
    {
        let warnings = self.check(request, extra_findings)?;
        let keyed;
        let request = match self.inner.retry {
            Some(_) if R::TAKES_IDEMPOTENCY_KEY && request.idempotency_key().is_none() => {
                let mut copy = request.clone();
                if copy.set_idempotency_key(random_key()?) {
                    keyed = copy;
                    &keyed
                } else {
                    request
                }
            }
            _ => request,
        };
        // A call the service may have acted on is repeated only when repeating it cannot act
        // twice: it carries an idempotency key, or it only reads. A call the service did not
        // act on (throttled, refused at the gateway, never connected) is repeated for any
        // action.
        let idempotent = request.idempotency_key().is_some() || request.safe_to_retry();
        let policy = self.inner.retry;
        let body = match self.encode(operation, request) {
            Ok(body) => body,
            Err(error) => return Err(error.with_warnings(warnings)),
        };
        let resource = request.resource_id();
        let span = tracing::info_span!(
            "zego_request",
            operation = operation.name,
            action = operation.action,
            room_id = request.room_id().unwrap_or_default(),
            resource = resource.map(|(name, _)| name).unwrap_or_default(),
            resource_id = resource.map(|(_, id)| id).unwrap_or_default(),
            attempts = tracing::field::Empty,
            outcome = tracing::field::Empty,
            code = tracing::field::Empty,
            request_id = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .attempts::<E>(operation, body, policy, idempotent, &span)
            .instrument(span.clone())
            .await;
        record_outcome(&span, &result, started);
        match result {
            Ok(response) => Ok(ApiResponse {
                warnings,
                ..response
            }),
            Err(error) => Err(error.with_warnings(warnings)),
        }
    }

    /// The limiter of `operation`'s action, when limits per action are on and the spec
    /// documents one.
    fn action_limiter(&self, operation: &Operation) -> Option<Arc<RateLimiter>> {
        let limiters = self.inner.action_limiters.as_ref()?;
        let limit = operation.rate_limit?;
        let mut limiters = limiters.lock().unwrap_or_else(PoisonError::into_inner);
        Some(
            limiters
                .entry(operation.action)
                .or_insert_with(|| Arc::new(RateLimiter::per_second(limit)))
                .clone(),
        )
    }

    /// Decodes `body` (the API's JSON wire format) as `operation`'s request type `R`, sends
    /// it, and returns the response's `Data` as JSON. For tools that choose the action at run
    /// time; the generated `Client::call_action` picks `R` and `E` by the action's name.
    ///
    /// # Errors
    /// [`Error::RequestJson`] when `body` is not a valid `R`; otherwise as [`Client::execute`].
    #[doc(hidden)]
    pub async fn execute_json<R, E>(
        &self,
        operation: &Operation,
        body: &str,
    ) -> Result<ApiResponse<serde_json::Value>, Error<A::Code>>
    where
        R: Serialize + DeserializeOwned + Validate + RequestInfo + Clone,
        E: DeserializeOwned + Envelope,
        E::Data: Serialize,
    {
        let request: R = decode_request(operation, body)?;
        let response = self.execute::<R, E>(operation, &request).await?;
        let data = serde_json::to_value(&response.data).map_err(encode_error)?;
        Ok(ApiResponse {
            data,
            request_id: response.request_id,
            warnings: response.warnings,
        })
    }

    /// Decodes `body` as `operation`'s request type `R` and signs it without sending, as
    /// [`Client::dry_run`].
    ///
    /// # Errors
    /// [`Error::RequestJson`] when `body` is not a valid `R`; otherwise as [`Client::dry_run`].
    #[doc(hidden)]
    pub fn dry_run_json<R>(
        &self,
        operation: &Operation,
        body: &str,
    ) -> Result<DryRun, Error<A::Code>>
    where
        R: Serialize + DeserializeOwned + Validate + RequestInfo + Redact + Clone,
    {
        let request: R = decode_request(operation, body)?;
        self.dry_run(operation, &request)
    }
}

/// Records how a call ended on its span: outcome, return code, `RequestId` and time taken.
fn record_outcome<T, C: ReturnCode>(
    span: &tracing::Span,
    result: &Result<ApiResponse<T>, Error<C>>,
    started: Instant,
) {
    span.record("elapsed_ms", started.elapsed().as_millis() as u64);
    let outcome = match result {
        Ok(response) => {
            span.record("code", 0);
            if let Some(request_id) = &response.request_id {
                span.record("request_id", request_id.as_str());
            }
            "success"
        }
        Err(Error::Api {
            code, request_id, ..
        }) => {
            span.record("code", code.wire_value());
            if let Some(request_id) = request_id {
                span.record("request_id", request_id.as_str());
            }
            "api_error"
        }
        Err(Error::Http { .. }) => "http_error",
        Err(Error::Transport { .. }) => "transport_error",
        Err(Error::ResponseTooLarge { .. }) => "response_too_large",
        Err(Error::Decode { .. }) => "decode_error",
        Err(_) => "error",
    };
    span.record("outcome", outcome);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Probe, TestApi};

    fn client() -> Client<TestApi> {
        ClientBuilder::<TestApi>::new(7, "secret")
            .build()
            .expect("client")
    }

    const PROBE: Operation = Operation {
        name: "Probe",
        action: "Probe",
        path: "/",
        rate_limit: None,
        method: crate::Method::Post,
        hosts: &[],
        call_limits: &[],
    };

    #[test]
    fn a_dry_run_signs_and_redacts_without_sending() {
        let run = client().dry_run(&PROBE, &Probe::new(1)).expect("valid");
        assert!(
            run.url
                .starts_with("https://test.example.invalid/?Action=Probe&AppId=7&"),
            "{}",
            run.url
        );
        assert!(
            run.redacted_body.contains("[redacted]"),
            "{}",
            run.redacted_body
        );
        assert!(
            !run.redacted_body.contains("probe-secret"),
            "{}",
            run.redacted_body
        );
    }

    #[test]
    fn a_handle_with_other_checks_shares_the_client() {
        let client = client();
        assert!(
            client.dry_run(&PROBE, &Probe::new(-1)).is_err(),
            "refused under Strict"
        );
        let warned = client.with_checks(Checks::Warn);
        assert_eq!(warned.checks(), Checks::Warn);
        assert_eq!(warned.app_id(), client.app_id());
        let run = warned
            .dry_run(&PROBE, &Probe::new(-1))
            .expect("sent with a warning");
        assert_eq!(run.warnings.len(), 1);
        assert!(client
            .with_checks(Checks::Off)
            .dry_run(&PROBE, &Probe::new(-1))
            .expect("unchecked")
            .warnings
            .is_empty());
    }
}
