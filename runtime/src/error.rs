use std::fmt;

use super::api::ReturnCode;
use super::validation::{ValidationError, Violation};

/// Everything that can go wrong calling the service: eleven variants, each a kind of failure.
///
/// Messages read well on their own and never contain the ServerSecret or a storage
/// credential. What the checks before sending found without refusing (advisory findings, and
/// every finding under `Checks::Warn`) stays on every outcome: on the response when the call
/// succeeds, in [`Error::warnings`] when it fails.
///
/// Generic over a product's return codes `C`; each generated crate names its own (a
/// product crate's `Error` is `Error<ApiCode>` with its own `ApiCode`).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<C> {
    /// The request breaks the spec's constraints; nothing was sent. Holds every violation.
    Validation(ValidationError),

    /// The service answered with a non-zero `Code`.
    Api {
        /// The return code.
        code: C,
        /// The service's `Message`; empty when it sent none.
        message: String,
        /// The service's `RequestId`, for ZEGOCLOUD support.
        request_id: Option<String>,
        /// What the checks found without refusing the request.
        warnings: Vec<Violation>,
    },

    /// The call was not sent: one of the action's documented limits over a window
    /// ([`Operation::call_limits`](crate::Operation)) is used up for longer than the client
    /// waits ([`ClientBuilder::call_limit_wait`](crate::ClientBuilder::call_limit_wait)).
    /// Sending it would be refused; it fits again after `frees_in`. A client built without
    /// [`ClientBuilder::rate_limit_per_action`](crate::ClientBuilder::rate_limit_per_action)
    /// does not count calls and never answers this.
    CallLimitReached {
        /// The action.
        action: &'static str,
        /// The limit used up.
        limit: crate::CallLimit,
        /// The room's or group's id it is counted for; `None` for the AppId.
        key: Option<String>,
        /// How long until a call fits again.
        frees_in: std::time::Duration,
    },

    /// The service answered with an HTTP status other than 2xx.
    Http {
        /// The HTTP status code.
        status: u16,
        /// The start of the response body (at most 512 bytes, lossily decoded).
        body_snippet: String,
        /// What the checks found without refusing the request.
        warnings: Vec<Violation>,
    },

    /// The request or response did not get through.
    Transport {
        /// What kind of failure it was.
        kind: TransportErrorKind,
        /// The underlying error, without the request URL.
        source: reqwest::Error,
        /// What the checks found without refusing the request.
        warnings: Vec<Violation>,
    },

    /// The response body is larger than the client accepts.
    ResponseTooLarge {
        /// The configured limit, in bytes.
        limit: usize,
        /// What the checks found without refusing the request.
        warnings: Vec<Violation>,
    },

    /// A 2xx response that is not the JSON the spec describes.
    Decode {
        /// Where in the JSON the problem is, e.g. `Data.Items[0].Id`; `.` for the document itself.
        path: String,
        /// What is wrong.
        message: String,
        /// The start of the response body (at most 512 bytes, lossily decoded).
        body_snippet: String,
        /// What the checks found without refusing the request.
        warnings: Vec<Violation>,
    },

    /// The service answered success (`Code` 0) without a value the documentation promises
    /// a success carries, such as the id of what the call created. The call may well have taken effect: give the `RequestId` to
    /// ZEGOCLOUD support, or look up what it would have made.
    MissingInResponse {
        /// The action called.
        action: &'static str,
        /// The missing value's path, e.g. `Data.Id`.
        path: &'static str,
        /// The success's `RequestId`.
        request_id: Option<String>,
    },

    /// The request could not be signed or encoded.
    Signing {
        /// What failed.
        message: String,
    },

    /// A request given as JSON (to [`Client::call_action`](super::client::Client) and the
    /// like) is not the action's request type.
    RequestJson {
        /// The action the JSON was meant for.
        action: &'static str,
        /// Where in the JSON the problem is; `.` for the document itself.
        path: String,
        /// What is wrong.
        message: String,
    },

    /// No action of this API has the name given.
    UnknownAction {
        /// The name given.
        action: String,
    },

    /// The client was configured with something unusable.
    Configuration {
        /// What is wrong.
        message: String,
    },
}

// Written out rather than derived: a derive macro would add a proc-macro crate to every
// downstream build for these few lines.
impl<C: ReturnCode> fmt::Display for Error<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Validation(error) => {
                write!(f, "the request was not sent because it is invalid: {error}")
            }
            Self::Api {
                code,
                message,
                request_id,
                ..
            } => {
                write!(f, "the service refused the request with {code}")?;
                if let Some(window) = code.resets_after() {
                    write!(
                        f,
                        ", a cap counted over {}: not retried, since trying again before that \
                         window has passed fails the same way",
                        crate::client::operation::window_text(window)
                    )?;
                }
                write!(
                    f,
                    "{}{}",
                    message_suffix(message),
                    request_id_suffix(request_id.as_deref())
                )
            }
            Self::CallLimitReached {
                action,
                limit,
                key,
                frees_in,
            } => {
                write!(f, "{action} was not sent: its documented limit of {limit}")?;
                if let Some(key) = key {
                    write!(f, " (`{key}`)")?;
                }
                write!(
                    f,
                    " is used up; a call fits again in {}",
                    crate::client::operation::duration_text(*frees_in)
                )
            }
            Self::Http {
                status,
                body_snippet,
                ..
            } => write!(
                f,
                "the service answered HTTP {status}{}",
                body_suffix(body_snippet)
            ),
            Self::Transport { kind, source, .. } => {
                write!(
                    f,
                    "{kind} while calling the service: {}",
                    error_chain(source)
                )
            }
            Self::ResponseTooLarge { limit, .. } => write!(
                f,
                "the service's response exceeds the {limit}-byte limit; the rest was not read"
            ),
            Self::Decode {
                path,
                message,
                body_snippet,
                ..
            } => write!(
                f,
                "could not decode the service's response at `{path}`: {message}{}",
                body_suffix(body_snippet)
            ),
            Self::MissingInResponse {
                action,
                path,
                request_id,
            } => write!(
                f,
                "{action} answered success without `{path}`; the call may have taken effect{}",
                request_id_suffix(request_id.as_deref())
            ),
            Self::Signing { message } => write!(f, "could not prepare the request: {message}"),
            Self::RequestJson {
                action,
                path,
                message,
            } => write!(
                f,
                "the JSON is not a valid {action} request at `{path}`: {message}"
            ),
            Self::UnknownAction { action } => {
                write!(f, "`{action}` is not an action of this API")
            }
            Self::Configuration { message } => {
                write!(f, "invalid client configuration: {message}")
            }
        }
    }
}

impl<C: ReturnCode> std::error::Error for Error<C> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Validation(error) => Some(error),
            Self::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Preparing a request failed (no nonce could be had, the body could not be encoded).
/// Converts into [`Error::Signing`]; a custom [`NonceSource`](super::NonceSource) returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningError {
    message: String,
}

impl SigningError {
    /// A signing failure described by `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not prepare the request: {}", self.message)
    }
}

impl std::error::Error for SigningError {}

impl<C> From<SigningError> for Error<C> {
    fn from(error: SigningError) -> Self {
        Self::Signing {
            message: error.message,
        }
    }
}

/// A setting that cannot work, found before anything is sent (an empty secret): what is
/// wrong and what to do. Converts into [`Error::Configuration`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigurationError {
    message: String,
}

impl ConfigurationError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration: {}", self.message)
    }
}

impl std::error::Error for ConfigurationError {}

impl<C> From<ConfigurationError> for Error<C> {
    fn from(error: ConfigurationError) -> Self {
        Self::Configuration {
            message: error.message,
        }
    }
}

impl<C> From<ValidationError> for Error<C> {
    fn from(error: ValidationError) -> Self {
        Self::Validation(error)
    }
}

impl<C: ReturnCode> Error<C> {
    /// What the checks before sending found without refusing the request: advisory findings,
    /// and every finding under `Checks::Warn`. Empty for failures before any check ran.
    pub fn warnings(&self) -> &[Violation] {
        match self {
            Self::Validation(error) => error.warnings(),
            Self::Api { warnings, .. }
            | Self::Http { warnings, .. }
            | Self::Transport { warnings, .. }
            | Self::ResponseTooLarge { warnings, .. }
            | Self::Decode { warnings, .. } => warnings,
            _ => &[],
        }
    }

    /// The same error carrying `found` as its warnings (for the variants that carry them).
    pub(super) fn with_warnings(mut self, found: Vec<Violation>) -> Self {
        match &mut self {
            Self::Api { warnings, .. }
            | Self::Http { warnings, .. }
            | Self::Transport { warnings, .. }
            | Self::ResponseTooLarge { warnings, .. }
            | Self::Decode { warnings, .. } => *warnings = found,
            _ => {}
        }
        self
    }

    /// Whether trying the same call again later may succeed: a busy or rate-limited service,
    /// HTTP 429 or 5xx, a timeout or a failed connection.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api { code, .. } => code.is_retryable(),
            Self::Http { status, .. } => *status == 429 || (500..600).contains(status),
            Self::Transport { kind, .. } => matches!(
                kind,
                TransportErrorKind::Timeout | TransportErrorKind::Connect
            ),
            _ => false,
        }
    }

    /// Whether the service certainly did not act on the call: it was refused before sending,
    /// never reached the service (no connection), was throttled (HTTP 429), or was answered
    /// with a code the spec marks `answered-before-acting`. Such a call can be repeated for
    /// any action; one whose outcome is unknown (a timeout after sending, HTTP 5xx, other
    /// codes) only when it is idempotent.
    pub fn service_did_not_act(&self) -> bool {
        match self {
            Self::Validation(_) | Self::Signing { .. } | Self::RequestJson { .. } => true,
            Self::CallLimitReached { .. } => true,
            Self::UnknownAction { .. } | Self::Configuration { .. } => true,
            Self::Api { code, .. } => code.answered_before_acting(),
            Self::Http { status, .. } => *status == 429,
            Self::Transport { kind, .. } => *kind == TransportErrorKind::Connect,
            _ => false,
        }
    }

    pub(super) fn transport(error: reqwest::Error) -> Self {
        let kind = if error.is_timeout() {
            TransportErrorKind::Timeout
        } else if error.is_connect() {
            TransportErrorKind::Connect
        } else {
            TransportErrorKind::Other
        };
        Self::Transport {
            kind,
            source: error.without_url(),
            warnings: Vec::new(),
        }
    }
}

/// An error and its causes, joined: reqwest's own message ("error sending request") says
/// little without them.
fn error_chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

fn message_suffix(message: &str) -> String {
    if message.is_empty() {
        " and no message".to_owned()
    } else {
        format!(": {message}")
    }
}

fn request_id_suffix(request_id: Option<&str>) -> String {
    request_id
        .map(|id| format!(", request id {id}"))
        .unwrap_or_default()
}

fn body_suffix(snippet: &str) -> String {
    if snippet.is_empty() {
        " with an empty body".to_owned()
    } else {
        format!("; body: {snippet}")
    }
}

/// The start of a response body, for error messages.
pub(super) fn body_snippet(body: &[u8]) -> String {
    const LIMIT: usize = 512;
    let cut = body.len().min(LIMIT);
    let mut snippet = String::from_utf8_lossy(&body[..cut]).into_owned();
    if body.len() > LIMIT {
        snippet.push('…');
    }
    snippet
}

/// What kind of transport failure happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The request or response took longer than the configured timeout.
    Timeout,
    /// No connection could be made (refused, unreachable, DNS, TLS handshake).
    Connect,
    /// Anything else: the connection broke mid-way, a protocol error.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Timeout => "timed out",
            Self::Connect => "could not connect",
            Self::Other => "transport failure",
        })
    }
}

/// Whether trying a refused call again can help, as the documentation advises for its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodeRetry {
    /// Trying again cannot help: fix the request, the account or the credentials.
    Never,
    /// The service is shedding load (a rate limit): try again after backing off.
    AfterBackoff,
    /// The signature expired: a new attempt, signed anew (as every attempt is), can succeed.
    WithNewSignature,
}
