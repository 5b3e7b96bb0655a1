use std::fmt;

use super::validation::ValidationError;

/// Everything that can go wrong calling the service.
///
/// Messages read well on their own and never contain the ServerSecret or a storage
/// credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks the spec's constraints; nothing was sent. Holds every violation.
    #[error("the request was not sent because it is invalid: {0}")]
    Validation(#[from] ValidationError),

    /// The service answered with a non-zero `Code`.
    #[error("the service refused the request with {code}{}{}", message_suffix(.message), request_id_suffix(.request_id.as_deref()))]
    Api {
        /// The return code.
        code: ApiCode,
        /// The service's `Message`; empty when it sent none.
        message: String,
        /// The service's `RequestId`, for ZEGOCLOUD support.
        request_id: Option<String>,
    },

    /// The service answered with an HTTP status other than 2xx.
    #[error("the service answered HTTP {status}{}", body_suffix(.body_snippet))]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The start of the response body (at most 512 bytes, lossily decoded).
        body_snippet: String,
    },

    /// The request or response did not get through.
    #[error("{kind} while calling the service: {}", error_chain(.source))]
    Transport {
        /// What kind of failure it was.
        kind: TransportErrorKind,
        /// The underlying error, without the request URL.
        #[source]
        source: reqwest::Error,
    },

    /// The response body is larger than the client accepts.
    #[error("the service's response exceeds the {limit}-byte limit; the rest was not read")]
    ResponseTooLarge {
        /// The configured limit, in bytes.
        limit: usize,
    },

    /// A 2xx response that is not the JSON the spec describes.
    #[error("could not decode the service's response at `{path}`: {message}{}", body_suffix(.body_snippet))]
    Decode {
        /// Where in the JSON the problem is, e.g. `Data.TaskId`; `.` for the document itself.
        path: String,
        /// What is wrong.
        message: String,
        /// The start of the response body (at most 512 bytes, lossily decoded).
        body_snippet: String,
    },

    /// The request could not be signed or encoded.
    #[error("could not prepare the request: {message}")]
    Signing {
        /// What failed.
        message: String,
    },

    /// The client was configured with something unusable.
    #[error("invalid client configuration: {message}")]
    Configuration {
        /// What is wrong.
        message: String,
    },
}

impl Error {
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

macro_rules! api_codes {
    ($($(#[doc = $doc:literal])* $name:ident = $value:literal,)*) => {
        /// A ZEGOCLOUD server API return code (`Code`), as the common return-code table
        /// documents it. An open enum, like the generated ones: codes this crate does not
        /// know keep their number in [`ApiCode::Unknown`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ApiCode {
            $($(#[doc = $doc])* $name,)*
            /// A code not in the common table (for example a product-specific one).
            Unknown(i64),
        }

        impl ApiCode {
            /// The numeric code, as sent on the wire.
            pub const fn wire_value(self) -> i64 {
                match self {
                    $(Self::$name => $value,)*
                    Self::Unknown(value) => value,
                }
            }

            /// The named code for `value`, or [`ApiCode::Unknown`].
            pub const fn from_wire_value(value: i64) -> Self {
                match value {
                    $($value => Self::$name,)*
                    other => Self::Unknown(other),
                }
            }

            /// Whether the code is one this crate names.
            pub const fn is_known(self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }
    };
}

api_codes! {
    /// 1: the request failed because the server is busy; retry later.
    ServerBusy = 1,
    /// 2: an input parameter is wrong.
    InvalidParameter = 2,
    /// 3: authentication failed.
    AuthenticationFailed = 3,
    /// 7: too many requests per second; retry later.
    RateLimited = 7,
    /// 100000000: wrong Host in the request.
    WrongHost = 100_000_000,
    /// 100000001: AppId is malformed.
    AppIdMalformed = 100_000_001,
    /// 100000002: Timestamp is missing.
    TimestampMissing = 100_000_002,
    /// 100000003: Timestamp is malformed.
    TimestampMalformed = 100_000_003,
    /// 100000004: the signature expired (clock skew over 10 minutes, or reused); sign again.
    SignatureExpired = 100_000_004,
    /// 100000005: the signature is wrong (check the ServerSecret).
    SignatureWrong = 100_000_005,
    /// 100000006: Action is missing.
    ActionMissing = 100_000_006,
    /// 100000007: Action is not supported.
    ActionNotSupported = 100_000_007,
    /// 100000008: SignatureNonce is missing.
    SignatureNonceMissing = 100_000_008,
    /// 100000009: Signature is missing.
    SignatureMissing = 100_000_009,
    /// 100000010: the service could not get the ServerSecret (check the AppId).
    ServerSecretUnavailable = 100_000_010,
    /// 100000011: the service could not get the app's configuration.
    AppConfigUnavailable = 100_000_011,
    /// 100000012: the service could not read the request body.
    BodyUnreadable = 100_000_012,
    /// 100000013: SignatureVersion is missing.
    SignatureVersionMissing = 100_000_013,
    /// 100000014: SignatureVersion is not supported (only 2.0 is).
    SignatureVersionUnsupported = 100_000_014,
    /// 100000015: internal error of the API gateway.
    GatewayInternalError = 100_000_015,
    /// 100000016: the app is not configured for the production environment.
    AppNotInProduction = 100_000_016,
    /// 100000017: the app has not enabled this service.
    ServiceNotEnabled = 100_000_017,
}

impl ApiCode {
    /// Whether the code says to try again later: a busy server or a rate limit.
    pub const fn is_retryable(self) -> bool {
        matches!(self, Self::ServerBusy | Self::RateLimited)
    }
}

impl fmt::Display for ApiCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(value) => write!(f, "code {value}"),
            known => write!(f, "code {} ({known:?})", known.wire_value()),
        }
    }
}
