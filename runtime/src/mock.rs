use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::api::{ReturnCode, ServerApi};
use super::client::ClientBuilder;
use super::error::Error;
use super::gateway::GatewayCode;
use super::sensitive::SensitiveString;
use super::signing::{signature, SIGNATURE_VERSION};
use super::validation::{Validate, Violation};

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
        Self { violations, data }
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
        Self { violations, data }
    }
}

/// What validating a decoded request finds.
fn violations_of<R: Validate>(request: &R) -> Vec<Violation> {
    match request.validate() {
        Ok(()) => Vec::new(),
        Err(error) => error.violations().to_vec(),
    }
}

struct State<C> {
    requests: Vec<RecordedRequest<C>>,
    queue: VecDeque<MockResponse<C>>,
    sequence: u64,
}

impl<C> Default for State<C> {
    fn default() -> Self {
        Self {
            requests: Vec::new(),
            queue: VecDeque::new(),
            sequence: 0,
        }
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

/// What the mock serves: the app, its secret, and the product's code for invalid parameters.
struct Service {
    app_id: u32,
    secret: SensitiveString,
    invalid_parameter: Option<i64>,
}

async fn serve<C: ReturnCode>(
    listener: TcpListener,
    service: Arc<Service>,
    state: Arc<Mutex<State<C>>>,
    actions: Arc<dyn MockActions<C>>,
) {
    while let Ok((stream, _)) = listener.accept().await {
        let (service, state, actions) = (service.clone(), state.clone(), actions.clone());
        tokio::spawn(async move {
            let _ = handle(stream, &service, &state, actions.as_ref()).await;
        });
    }
}

struct HttpRequest {
    query: BTreeMap<String, String>,
    /// The query as sent, for a GET request's fields (names may repeat).
    raw_query: String,
    is_get: bool,
    body: Vec<u8>,
}

async fn handle<C: ReturnCode>(
    mut stream: TcpStream,
    service: &Service,
    state: &Mutex<State<C>>,
    actions: &dyn MockActions<C>,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else {
        return Ok(());
    };
    let (response, delay) = answer(&request, service, state, actions);
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    stream.write_all(&response).await?;
    stream.shutdown().await
}

/// Decides the answer and records the request.
fn answer<C: ReturnCode>(
    request: &HttpRequest,
    service: &Service,
    state: &Mutex<State<C>>,
    actions: &dyn MockActions<C>,
) -> (Vec<u8>, Option<Duration>) {
    let (app_id, secret) = (service.app_id, &service.secret);
    let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
    state.sequence += 1;
    let sequence = state.sequence;
    let action = request.query.get("Action").cloned();
    let signature_problem = signature_problem(&request.query, app_id, secret);
    // A request with a bad signature never reaches the actions, as it would not reach the
    // service.
    let checked = action
        .as_deref()
        .filter(|_| signature_problem.is_none())
        .and_then(|action| {
            let payload = if request.is_get {
                request.raw_query.as_bytes()
            } else {
                &request.body
            };
            actions.check(action, payload, sequence)
        });
    let (violations, decode_problem, data) = match checked {
        Some(Checked {
            violations: Ok(violations),
            data,
        }) => (violations, None, data),
        Some(Checked {
            violations: Err(problem),
            data,
        }) => (Vec::new(), Some(problem), data),
        None => (Vec::new(), None, serde_json::Value::Null),
    };
    let (response, recorded) = if let Some((code, message)) = signature_problem {
        (
            envelope(sequence, code.wire_value(), message, None),
            MockResponse::ApiError {
                code: C::from_wire_value(code.wire_value()),
                message: message.to_owned(),
            },
        )
    } else if data.is_null() {
        let message = "action not supported";
        (
            envelope(
                sequence,
                GatewayCode::ActionNotSupported.wire_value(),
                message,
                None,
            ),
            MockResponse::ApiError {
                code: C::from_wire_value(GatewayCode::ActionNotSupported.wire_value()),
                message: message.to_owned(),
            },
        )
    } else if decode_problem.is_some() || !violations.is_empty() {
        let message = decode_problem.unwrap_or_else(|| {
            violations
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        });
        match service.invalid_parameter {
            Some(code) => (
                envelope(sequence, code, &message, None),
                MockResponse::ApiError {
                    code: C::from_wire_value(code),
                    message,
                },
            ),
            None => (http(400, message.as_bytes()), MockResponse::HttpStatus(400)),
        }
    } else {
        let programmed = state.queue.pop_front().unwrap_or(MockResponse::Success);
        let bytes = match &programmed {
            MockResponse::Success | MockResponse::Delay(_) => {
                let action = action.as_deref().unwrap_or_default();
                match actions.respond(action, &request.body, data) {
                    Ok(data) => envelope(sequence, 0, "success", Some(data)),
                    Err((code, message)) => {
                        let bytes = envelope(sequence, code.wire_value(), &message, None);
                        let refused = MockResponse::ApiError { code, message };
                        return finish(
                            &mut state,
                            request,
                            action,
                            signature_problem.is_none(),
                            violations,
                            refused,
                            bytes,
                        );
                    }
                }
            }
            MockResponse::ApiError { code, message } => {
                envelope(sequence, code.wire_value(), message, None)
            }
            MockResponse::HttpStatus(status) => http(*status, b""),
        };
        (bytes, programmed)
    };
    let action = action.unwrap_or_default();
    finish(
        &mut state,
        request,
        &action,
        signature_problem.is_none(),
        violations,
        recorded,
        response,
    )
}

/// Records the request and what was answered, and returns the answer.
fn finish<C>(
    state: &mut State<C>,
    request: &HttpRequest,
    action: &str,
    signature_valid: bool,
    violations: Vec<Violation>,
    recorded: MockResponse<C>,
    response: Vec<u8>,
) -> (Vec<u8>, Option<Duration>) {
    let delay = match recorded {
        MockResponse::Delay(delay) => Some(delay),
        _ => None,
    };
    state.requests.push(RecordedRequest {
        action: (!action.is_empty()).then(|| action.to_owned()),
        query: request.query.clone(),
        body: serde_json::from_slice(&request.body).unwrap_or(serde_json::Value::Null),
        signature_valid,
        violations,
        response: recorded,
        received: std::time::Instant::now(),
    });
    (response, delay)
}

/// What is wrong with the common parameters, as the service would say it.
fn signature_problem(
    query: &BTreeMap<String, String>,
    app_id: u32,
    secret: &SensitiveString,
) -> Option<(GatewayCode, &'static str)> {
    let get = |name: &str| query.get(name).map(String::as_str);
    let Some(sent_app_id) = get("AppId").and_then(|id| id.parse::<u32>().ok()) else {
        return Some((GatewayCode::AppIdMalformed, "AppId is missing or malformed"));
    };
    let Some(timestamp) = get("Timestamp").and_then(|t| t.parse::<i64>().ok()) else {
        return Some((
            GatewayCode::TimestampMalformed,
            "Timestamp is missing or malformed",
        ));
    };
    let Some(nonce) = get("SignatureNonce") else {
        return Some((
            GatewayCode::SignatureNonceMissing,
            "SignatureNonce is missing",
        ));
    };
    if get("SignatureVersion") != Some(SIGNATURE_VERSION) {
        return Some((
            GatewayCode::SignatureVersionUnsupported,
            "SignatureVersion must be 2.0",
        ));
    }
    let Some(sent_signature) = get("Signature") else {
        return Some((GatewayCode::SignatureMissing, "Signature is missing"));
    };
    if sent_app_id != app_id || sent_signature != signature(app_id, nonce, secret, timestamp) {
        return Some((GatewayCode::SignatureWrong, "signature wrong"));
    }
    None
}

fn envelope(sequence: u64, code: i64, message: &str, data: Option<serde_json::Value>) -> Vec<u8> {
    let mut body = serde_json::json!({"Code": code, "Message": message, "RequestId": format!("mock-request-{sequence}")});
    if let (Some(data), Some(object)) = (data, body.as_object_mut()) {
        object.insert("Data".to_owned(), data);
    }
    http(200, body.to_string().as_bytes())
}

fn http(status: u16, body: &[u8]) -> Vec<u8> {
    let mut response = format!(
        "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        if status == 200 { "OK" } else { "Mock" },
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}

/// Reads one request: the query of its target and its `Content-Length` body.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<HttpRequest>> {
    const LIMIT: usize = 4 * 1024 * 1024;
    let mut data = Vec::new();
    let mut buffer = [0_u8; 8192];
    let header_end = loop {
        if let Some(position) = data.windows(4).position(|window| window == b"\r\n\r\n") {
            break position + 4;
        }
        let read = stream.read(&mut buffer).await?;
        if read == 0 || data.len() > LIMIT {
            return Ok(None);
        }
        data.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&data[..header_end]).into_owned();
    let request_line = head.lines().next().unwrap_or_default();
    let is_get = request_line.starts_with("GET ");
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let raw_query = target
        .split_once('?')
        .map_or("", |(_, query)| query)
        .to_owned();
    let query = parse_query(&raw_query);
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(LIMIT);
    while data.len() < header_end + length {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        data.extend_from_slice(&buffer[..read]);
    }
    let end = data.len().min(header_end + length);
    Ok(Some(HttpRequest {
        query,
        raw_query,
        is_get,
        body: data[header_end..end].to_vec(),
    }))
}

fn parse_query(query: &str) -> BTreeMap<String, String> {
    query_pairs(query).into_iter().collect()
}

/// The decoded `(name, value)` pairs of a query, in order, repeats kept.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (percent_decode(name), percent_decode(value)))
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let decoded = match bytes[index] {
            b'%' if index + 2 < bytes.len() => std::str::from_utf8(&bytes[index + 1..index + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok()),
            _ => None,
        };
        match (bytes[index], decoded) {
            (_, Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                index += 1;
            }
            (byte, None) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_split_and_percent_decoded() {
        let query = parse_query("Action=Start%20Record&AppId=7&Note=a+b&Broken=%zz&Empty=");
        assert_eq!(query["Action"], "Start Record");
        assert_eq!(query["Note"], "a b");
        assert_eq!(query["Broken"], "%zz", "a stray % is kept as it is");
        assert_eq!(query["Empty"], "");
    }

    fn signed_query(app_id: u32, secret: &str) -> BTreeMap<String, String> {
        let secret = SensitiveString::from(secret);
        let timestamp = 1_700_000_000;
        let nonce = "0102030405060708";
        [
            ("AppId", app_id.to_string()),
            ("Timestamp", timestamp.to_string()),
            ("SignatureNonce", nonce.to_owned()),
            ("SignatureVersion", SIGNATURE_VERSION.to_owned()),
            ("Signature", signature(app_id, nonce, &secret, timestamp)),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
    }

    #[test]
    fn a_correct_signature_passes_and_every_fault_gets_the_gateways_code() {
        let secret = SensitiveString::from("mock-secret");
        assert_eq!(
            signature_problem(&signed_query(7, "mock-secret"), 7, &secret),
            None
        );
        let wrong_key = signature_problem(&signed_query(7, "other"), 7, &secret);
        assert_eq!(
            wrong_key.map(|(code, _)| code),
            Some(GatewayCode::SignatureWrong)
        );
        let other_app = signature_problem(&signed_query(8, "mock-secret"), 7, &secret);
        assert_eq!(
            other_app.map(|(code, _)| code),
            Some(GatewayCode::SignatureWrong)
        );
        for (missing, code) in [
            ("AppId", GatewayCode::AppIdMalformed),
            ("Timestamp", GatewayCode::TimestampMalformed),
            ("SignatureNonce", GatewayCode::SignatureNonceMissing),
            ("SignatureVersion", GatewayCode::SignatureVersionUnsupported),
            ("Signature", GatewayCode::SignatureMissing),
        ] {
            let mut query = signed_query(7, "mock-secret");
            query.remove(missing);
            let found = signature_problem(&query, 7, &secret).map(|(code, _)| code);
            assert_eq!(found, Some(code), "without {missing}");
        }
    }
}
