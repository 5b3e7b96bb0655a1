use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use super::api::{RegionalHost, ReturnCode, ServerApi};
use super::error::{body_snippet, Error};
use super::json_path::json_error_path;
use super::retry::{random_key, random_u64, RateLimiter, RetryPolicy};
use super::sensitive::{Redact, SensitiveString};
use super::signing::{
    Clock, NonceSource, OsRandom, SignedParameters, SystemClock, ALLOWED_CLOCK_SKEW,
    SIGNATURE_VERSION,
};
use super::validation::{builtin_rules, Validate, ValidationError, Violation};

/// How long one request may take, from connecting to reading the whole response.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting may take.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response body the client reads; a larger one is an error, not an allocation.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// One API action: how the client addresses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub name: &'static str,
    /// The `Action` query parameter.
    pub action: &'static str,
    /// The URL path, relative to the base URL.
    pub path: &'static str,
    /// The documented call frequency limit (calls per second), which
    /// [`ClientBuilder::rate_limit_per_action`] keeps the action under.
    pub rate_limit: Option<u32>,
}

/// The common result envelope of ZEGOCLOUD responses (`Code`, `Message`, `RequestId`, `Data`).
#[doc(hidden)]
pub trait Envelope {
    /// The payload of a successful response.
    type Data;
    /// The envelope's parts, moved out without copying.
    fn into_parts(self) -> EnvelopeParts<Self::Data>;
}

/// The parts of a response envelope.
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq)]
pub struct EnvelopeParts<T> {
    /// `Code`: 0 on success.
    pub code: Option<i64>,
    /// `Message`.
    pub message: Option<String>,
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Data`.
    pub data: Option<T>,
}

/// What the client reads from a request besides its body. Requests say here whether a call
/// can be retried safely, through an idempotency key (`x-zego-idempotency-key` in the spec;
/// the default means "no key": never retried), and which room it is about, for tracing
/// (`x-zego-room-id`).
#[doc(hidden)]
pub trait RequestInfo {
    /// Whether the request type has an idempotency key field; without one the client does
    /// not copy the request to set a key it would throw away.
    const TAKES_IDEMPOTENCY_KEY: bool = false;

    /// The key, when the request has one set.
    fn idempotency_key(&self) -> Option<&str> {
        None
    }

    /// Sets the key; returns `false` when the request has no such field.
    fn set_idempotency_key(&mut self, key: String) -> bool {
        let _ = key;
        false
    }

    /// The room the request is about, recorded on the call's tracing span.
    fn room_id(&self) -> Option<&str> {
        None
    }

    /// The recording task the request is about, recorded on the call's tracing span.
    fn task_id(&self) -> Option<&str> {
        None
    }

    /// Whether the action only reads (`x-zego-safe-to-retry`), so a retry policy may repeat it
    /// without an idempotency key.
    fn safe_to_retry(&self) -> bool {
        false
    }

    /// Appends what the spec's checks against the current time (`x-zego-clock-rules`) find;
    /// `service_now_ms` is the earliest time the service's clock may show (the client's
    /// clock less the skew the service allows), in Unix milliseconds.
    fn clock_findings(&self, service_now_ms: i64, out: &mut Vec<Violation>) {
        let _ = (service_now_ms, out);
    }
}

/// A successful call's result.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    /// The response's `Data`.
    pub data: T,
    /// The response's `RequestId`, for ZEGOCLOUD support.
    pub request_id: Option<String>,
    /// What the checks before sending found but did not refuse: advisory findings (a
    /// setting that takes no effect, or is not supported), and with [`Checks::Warn`] every
    /// finding. Each was also logged as a `tracing` warning.
    pub warnings: Vec<Violation>,
}

/// How the client checks a request before sending it. The default, [`Checks::Strict`],
/// refuses only what the documentation says the service refuses; everything else the
/// checks find is a warning.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Checks {
    /// Refuse requests the service refuses (documented errors and ranges); warn about
    /// advisory findings.
    #[default]
    Strict,
    /// Refuse nothing: every finding is a warning. For accounts whose limits ZEGOCLOUD
    /// raised, or when the service accepts what the documentation says it refuses.
    Warn,
    /// Check nothing.
    Off,
}

/// A signed request as it would be sent, for inspection; credentials in the body are redacted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DryRun {
    /// The HTTP method.
    pub method: &'static str,
    /// The full URL with the signed query.
    pub url: String,
    /// The JSON body, with every credential replaced by `[redacted]`.
    pub redacted_body: String,
    /// What the checks found but did not refuse, as [`ApiResponse::warnings`].
    pub warnings: Vec<Violation>,
}

impl fmt::Display for DryRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        writeln!(f, "Content-Type: application/json")?;
        writeln!(f)?;
        f.write_str(&self.redacted_body)
    }
}

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

impl<A: ServerApi> ClientBuilder<A> {
    /// A builder for `app_id` and its ServerSecret that sends to the API's default host
    /// unless told otherwise. The generated `Client::builder` calls this.
    pub fn new(app_id: u32, server_secret: impl Into<SensitiveString>) -> Self {
        Self {
            api: PhantomData,
            app_id,
            server_secret: server_secret.into(),
            base_url: A::DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: A::USER_AGENT.to_owned(),
            http_client: None,
            clock: Arc::new(SystemClock),
            nonces: Arc::new(OsRandom),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: None,
            rate_limit: None,
            rate_limit_per_action: false,
            checks: Checks::Strict,
            allowed: Vec::new(),
        }
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
        let redacted_body = serde_json::to_string_pretty(&shown).map_err(encode_error)?;
        let signed = self.sign()?;
        Ok(DryRun {
            method: "POST",
            url: self.url(operation, &signed),
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
        let (refused, warnings): (Vec<Violation>, Vec<Violation>) = findings
            .into_iter()
            .filter(|finding| !self.inner.allowed.contains(&finding.rule))
            .partition(|finding| self.checks == Checks::Strict && !finding.advisory);
        if !refused.is_empty() {
            return Err(Error::Validation(
                ValidationError::new(refused).with_warnings(warnings),
            ));
        }
        for warning in &warnings {
            tracing::warn!(
                rule = warning.rule,
                path = %warning.path,
                advisory = warning.advisory,
                "{}",
                warning.message
            );
        }
        Ok(warnings)
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
        self.execute_checked::<R, E>(operation, request, Vec::new())
            .await
    }

    /// As [`Client::execute`], with findings about `request` that its own checks cannot make
    /// (a task handle knows the task's canvas, the request does not). They are refused,
    /// warned about or allowed like every other finding.
    ///
    /// # Errors
    /// As [`Client::execute`].
    #[doc(hidden)]
    pub async fn execute_checked<R, E>(
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
        let body = match self.encode(request) {
            Ok(body) => body,
            Err(error) => return Err(error.with_warnings(warnings)),
        };
        let span = tracing::info_span!(
            "zego_request",
            operation = operation.name,
            action = operation.action,
            room_id = request.room_id().unwrap_or_default(),
            task_id = request.task_id().unwrap_or_default(),
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

    /// Sends `body` until an attempt succeeds or `policy` gives up. `call_span` is the span of
    /// the whole call; each attempt gets a span of its own inside it.
    async fn attempts<E>(
        &self,
        operation: &Operation,
        body: bytes::Bytes,
        policy: Option<RetryPolicy>,
        idempotent: bool,
        call_span: &tracing::Span,
    ) -> Result<ApiResponse<E::Data>, Error<A::Code>>
    where
        E: DeserializeOwned + Envelope,
    {
        // The retry budget's clock starts only for a call that may be retried.
        let started = policy.map(|_| tokio::time::Instant::now());
        let mut attempt = 1;
        loop {
            call_span.record("attempts", attempt);
            let span = tracing::debug_span!(
                "zego_attempt",
                attempt,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty
            );
            let failure = match self
                .attempt::<E>(operation, body.clone(), &span)
                .instrument(span.clone())
                .await
            {
                Ok(response) => return Ok(response),
                Err(failure) => failure,
            };
            let (Some(policy), Some(started)) = (policy, started) else {
                return Err(failure.error);
            };
            if attempt >= policy.attempts() || !failure.retryable(idempotent) {
                return Err(failure.error);
            }
            let delay = policy.backoff(attempt, random_u64()?);
            if !policy.allows(started, delay) {
                return Err(failure.error);
            }
            tracing::info!(attempt, delay_ms = delay.as_millis() as u64, error = %failure.error, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt: the exchange, then the answer decoded as `E`.
    async fn attempt<E>(
        &self,
        operation: &Operation,
        body: bytes::Bytes,
        span: &tracing::Span,
    ) -> Result<ApiResponse<E::Data>, Failure<A::Code>>
    where
        E: DeserializeOwned + Envelope,
    {
        let bytes = self.exchange(operation, body, span).await?;
        decode_response::<E, A::Code>(&bytes).map_err(Failure::after_response)
    }

    /// Sends one signed request and reads a 2xx answer's body. Not generic, so the HTTP
    /// machinery is compiled once for every action rather than once per action.
    async fn exchange(
        &self,
        operation: &Operation,
        body: bytes::Bytes,
        span: &tracing::Span,
    ) -> Result<bytes::Bytes, Failure<A::Code>> {
        if let Some(limiter) = &self.inner.rate_limiter {
            limiter.acquire().await;
        }
        if let Some(limiter) = self.action_limiter(operation) {
            limiter.acquire().await;
        }
        let started = Instant::now();
        let signed = self.sign().map_err(Failure::before_response)?;
        let url = self.url(operation, &signed);
        let response = self
            .inner
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|error| Failure::before_response(Error::transport(error)))?;
        let status = response.status();
        span.record("status", status.as_u16());
        let bytes = read_capped(response, self.inner.max_response_bytes)
            .await
            .map_err(Failure::after_response)?;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        span.record("elapsed_ms", elapsed_ms);
        tracing::debug!(
            status = status.as_u16(),
            bytes = bytes.len(),
            elapsed_ms,
            "response received"
        );
        if !status.is_success() {
            return Err(Failure::after_response(Error::Http {
                status: status.as_u16(),
                body_snippet: body_snippet(&bytes),
                warnings: Vec::new(),
            }));
        }
        Ok(bytes)
    }

    /// Serializes into a buffer sized like the largest body so far, so a request body is
    /// written without growing its buffer again and again. The body is shared, not copied,
    /// by every attempt.
    fn encode<R: Serialize>(&self, request: &R) -> Result<bytes::Bytes, Error<A::Code>> {
        const LARGEST_HINT: usize = 64 * 1024;
        let hint = self.inner.body_size_hint.load(Ordering::Relaxed);
        let mut body = Vec::with_capacity(hint);
        serde_json::to_writer(&mut body, request).map_err(encode_error)?;
        self.inner
            .body_size_hint
            .fetch_max(body.len().min(LARGEST_HINT), Ordering::Relaxed);
        Ok(bytes::Bytes::from(body))
    }

    fn sign(&self) -> Result<SignedParameters, Error<A::Code>> {
        SignedParameters::new(
            self.inner.app_id,
            &self.inner.server_secret,
            self.inner.clock.as_ref(),
            self.inner.nonces.as_ref(),
        )
        .map_err(Error::from)
    }

    /// The signed URL, written directly: cheaper than editing a parsed `Url`, and reqwest
    /// parses it once anyway.
    fn url(&self, operation: &Operation, signed: &SignedParameters) -> String {
        let mut digits = itoa::Buffer::new();
        let mut url =
            String::with_capacity(self.inner.url_prefix.len() + operation.path.len() + 160);
        url.push_str(&self.inner.url_prefix);
        url.push_str(operation.path);
        url.push_str("?Action=");
        push_query_value(&mut url, operation.action);
        url.push_str("&AppId=");
        url.push_str(digits.format(signed.app_id()));
        url.push_str("&SignatureNonce=");
        url.push_str(signed.nonce());
        url.push_str("&Timestamp=");
        url.push_str(digits.format(signed.timestamp()));
        url.push_str("&Signature=");
        url.push_str(signed.signature());
        url.push_str("&SignatureVersion=");
        url.push_str(SIGNATURE_VERSION);
        url
    }
}

/// Appends `value` percent-encoded for a query (everything but unreserved characters).
fn push_query_value(url: &mut String, value: &str) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
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

/// A failed attempt, and whether it failed before any response arrived (so the service
/// cannot have acted on it).
struct Failure<C> {
    error: Error<C>,
    before_response: bool,
}

impl<C: ReturnCode> Failure<C> {
    fn before_response(error: Error<C>) -> Self {
        Self {
            error,
            before_response: true,
        }
    }

    fn after_response(error: Error<C>) -> Self {
        Self {
            error,
            before_response: false,
        }
    }

    /// Whether a retry may follow: the failure is transient ([`Error::is_retryable`]), a
    /// transport failure happened before any response arrived, and either the service
    /// certainly did not act on the call ([`Error::service_did_not_act`]) or the call is
    /// `idempotent`, so acting on it twice is harmless.
    fn retryable(&self, idempotent: bool) -> bool {
        // A transport failure before any response (a reset, a timeout) may follow the
        // request's arrival: transient, with an outcome only a connect failure makes certain.
        let transient = match &self.error {
            Error::Transport { .. } => self.before_response,
            other => other.is_retryable(),
        };
        transient && (idempotent || self.error.service_did_not_act())
    }
}

fn encode_error<C>(error: serde_json::Error) -> Error<C> {
    Error::Signing {
        message: format!("the request cannot be encoded as JSON: {error}"),
    }
}

/// Reads the body, refusing one larger than `limit`. A body whose `Content-Length` is
/// within the limit is taken whole, without a copy: hyper reads exactly the declared length,
/// and a client that decompresses reports no length for the body it decodes.
/// Only a body of unknown length is gathered chunk by chunk and counted.
async fn read_capped<C: ReturnCode>(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<bytes::Bytes, Error<C>> {
    match response
        .content_length()
        .map(|length| usize::try_from(length).unwrap_or(usize::MAX))
    {
        Some(declared) if declared > limit => Err(Error::ResponseTooLarge {
            limit,
            warnings: Vec::new(),
        }),
        Some(_) => response.bytes().await.map_err(Error::transport),
        None => {
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(Error::transport)? {
                if body.len() + chunk.len() > limit {
                    return Err(Error::ResponseTooLarge {
                        limit,
                        warnings: Vec::new(),
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(bytes::Bytes::from(body))
        }
    }
}

/// Decodes a response body of the common envelope: the `Data` of a success (`Code` 0), or the
/// error the body stands for. [`Client`] uses it for every response; it is public for code
/// that receives such bodies another way.
///
/// # Errors
/// [`Error::Decode`] for a body that is not the expected JSON (with the path of the failing
/// field), [`Error::Api`] for a non-zero `Code`.
pub fn decode_response<E, C>(bytes: &[u8]) -> Result<ApiResponse<E::Data>, Error<C>>
where
    E: DeserializeOwned + Envelope,
    C: ReturnCode,
{
    let decode_error = |path: String, message: String| Error::Decode {
        path,
        message,
        body_snippet: body_snippet(bytes),
        warnings: Vec::new(),
    };
    let envelope: E = serde_json::from_slice(bytes)
        .map_err(|error| decode_error(json_error_path(bytes, &error), error.to_string()))?;
    let EnvelopeParts {
        code,
        message,
        request_id,
        data,
    } = envelope.into_parts();
    let Some(code) = code else {
        return Err(decode_error(
            "Code".to_owned(),
            "the response has no `Code`".to_owned(),
        ));
    };
    if code != 0 {
        return Err(Error::Api {
            code: C::from_wire_value(code),
            message: message.unwrap_or_default(),
            request_id,
            warnings: Vec::new(),
        });
    }
    // The envelope gives an empty `Data` for a success without one when its type can be
    // empty; only a `Data` type with required fields leaves nothing to return.
    match data {
        Some(data) => Ok(ApiResponse {
            data,
            request_id,
            warnings: Vec::new(),
        }),
        None => Err(decode_error(
            "Data".to_owned(),
            "a successful response (`Code` 0) has no `Data`, and this action's Data has required fields".to_owned(),
        )),
    }
}

/// Configures a [`Client`].
#[must_use]
pub struct ClientBuilder<A> {
    api: PhantomData<fn() -> A>,
    app_id: u32,
    server_secret: SensitiveString,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    http_client: Option<reqwest::Client>,
    clock: Arc<dyn Clock>,
    nonces: Arc<dyn NonceSource>,
    max_response_bytes: usize,
    retry: Option<RetryPolicy>,
    rate_limit: Option<u32>,
    rate_limit_per_action: bool,
    checks: Checks,
    allowed: Vec<String>,
}

impl<A> fmt::Debug for ClientBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("app_id", &self.app_id)
            .field("server_secret", &self.server_secret)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("custom_http_client", &self.http_client.is_some())
            .field("clock", &self.clock)
            .field("nonces", &self.nonces)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("rate_limit_per_action", &self.rate_limit_per_action)
            .finish()
    }
}

impl<A: ServerApi> ClientBuilder<A> {
    /// Where requests go; by default the spec's first server. Use a local URL for tests.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Sends requests to `region`'s host instead of the default one.
    pub fn region(self, region: impl RegionalHost) -> Self {
        self.base_url(region.base_url())
    }

    /// The limit for a whole request; default [`DEFAULT_TIMEOUT`]. Ignored with [`ClientBuilder::http_client`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The limit for connecting; default [`DEFAULT_CONNECT_TIMEOUT`]. Ignored with [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header; default the product crate's name and version
    /// ([`ServerApi::USER_AGENT`]). Ignored with [`ClientBuilder::http_client`].
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses your own `reqwest::Client` (and its pool, proxy, TLS and timeout settings).
    /// Configure it not to follow redirects: a redirect would carry the signed query to
    /// another host.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Where timestamps come from, for signing and for the checks against the current time;
    /// default the system clock. Takes any [`Clock`], an `Arc<dyn Clock>` or a shared
    /// [`ManualClock`](super::signing::ManualClock) included.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Where nonces come from; default the OS random source.
    pub fn nonce_source(mut self, nonces: impl NonceSource + 'static) -> Self {
        self.nonces = Arc::new(nonces);
        self
    }

    /// The largest response body accepted; default [`DEFAULT_MAX_RESPONSE_BYTES`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Retries failed calls that are safe to retry, as `policy` says; off by default.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Spaces calls (and retry attempts) so that at most `calls_per_second` start in any
    /// second, across all clones of the client; off by default. The service allows 50.
    pub fn rate_limit(mut self, calls_per_second: u32) -> Self {
        self.rate_limit = Some(calls_per_second);
        self
    }

    /// Keeps each action under its documented call frequency limit (StartRecord and
    /// StopRecord 50 per second, the others 10), across all clones of the client; off by
    /// default. The documentation does not say whether a limit counts per AppId or per
    /// action; this client counts each action separately, for the one AppId a client signs
    /// for, since the limits are documented action by action. Combines with
    /// [`ClientBuilder::rate_limit`], an overall cap.
    pub fn rate_limit_per_action(mut self) -> Self {
        self.rate_limit_per_action = true;
        self
    }

    /// How requests are checked before they are sent; [`Checks::Strict`] by default.
    /// [`Client::with_checks`] changes it for some calls only.
    pub fn checks(mut self, checks: Checks) -> Self {
        self.checks = checks;
        self
    }

    /// Expects the findings of the rule `rule_id` (as in [`Violation::rule`]; the generated
    /// `rule_ids` module has a constant for each of the spec's rules, e.g.
    /// `rule_ids::MAX_RECORD_TIME_BEYOND_24_HOURS` for an account whose limit ZEGOCLOUD
    /// raised): they are neither refused nor reported. Call once per rule. An id that names
    /// no rule is an [`Error::Configuration`] from [`ClientBuilder::build`], which lists the
    /// known ones.
    pub fn allow(mut self, rule_id: impl Into<String>) -> Self {
        self.allowed.push(rule_id.into());
        self
    }

    /// The allowed rule ids as the known ids they name; an unknown one is an error.
    fn allowed_rules(&self) -> Result<Vec<&'static str>, Error<A::Code>> {
        let known = || builtin_rules::ALL.iter().chain(A::RULE_IDS).copied();
        let mut allowed = Vec::new();
        for rule in &self.allowed {
            match known().find(|known| known == rule) {
                Some(known) => allowed.push(known),
                None => {
                    let listed: Vec<&str> = known().collect();
                    return Err(Error::Configuration {
                        message: format!(
                            "allow(\"{rule}\"): no check has this id; the known ids are {}",
                            listed.join(", ")
                        ),
                    });
                }
            }
        }
        Ok(allowed)
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Configuration`] for an empty ServerSecret, an allowed rule id that names no
    /// check, a base URL that is not an absolute `http`/`https` URL, or when the HTTP client
    /// cannot be built.
    pub fn build(self) -> Result<A::Client, Error<A::Code>> {
        if self.server_secret.expose_secret().is_empty() {
            return Err(Error::Configuration {
                message: "the ServerSecret is empty; every call would be refused with 100000005 \
                          (wrong signature). Copy it from the ZEGOCLOUD console"
                    .to_owned(),
            });
        }
        let allowed = self.allowed_rules()?;
        let base_url =
            reqwest::Url::parse(&self.base_url).map_err(|error| Error::Configuration {
                message: format!("base URL `{}`: {error}", self.base_url),
            })?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::Configuration {
                message: format!("base URL `{}` must be an http or https URL", self.base_url),
            });
        }
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| Error::Configuration {
                    message: format!("cannot build the HTTP client: {error}"),
                })?,
        };
        let mut prefix = base_url.clone();
        prefix.set_query(None);
        prefix.set_fragment(None);
        let url_prefix = prefix.as_str().trim_end_matches('/').to_owned();
        Ok(A::Client::from(Client {
            api: PhantomData,
            checks: self.checks,
            inner: Arc::new(Inner {
                http,
                base_url,
                url_prefix,
                body_size_hint: AtomicUsize::new(0),
                app_id: self.app_id,
                server_secret: self.server_secret,
                clock: self.clock,
                nonces: self.nonces,
                max_response_bytes: self.max_response_bytes,
                retry: self.retry,
                rate_limiter: self.rate_limit.map(RateLimiter::per_second),
                allowed,
                action_limiters: self
                    .rate_limit_per_action
                    .then(|| Mutex::new(BTreeMap::new())),
            }),
        }))
    }
}

/// `body` as `operation`'s request type, with the JSON path of the first problem.
fn decode_request<R: DeserializeOwned, C>(
    operation: &Operation,
    body: &str,
) -> Result<R, Error<C>> {
    // From bytes, as responses and the mock's requests are: one decoder per type, not two.
    serde_json::from_slice(body.as_bytes()).map_err(|error| Error::RequestJson {
        action: operation.action,
        path: json_error_path(body, &error),
        message: error.to_string(),
    })
}
