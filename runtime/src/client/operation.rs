//! What the client reads from generated code: each operation's descriptor, the response
//! envelope, what a request says about itself, and what a call returns.

use std::fmt;

use crate::validation::Violation;

/// How an action's request travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: the request's fields in the query, after the signing parameters.
    Get,
    /// `POST`: the request as a JSON body.
    Post,
}

impl Method {
    /// The HTTP method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

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
    /// [`ClientBuilder::rate_limit_per_action`](crate::ClientBuilder::rate_limit_per_action) keeps the action under.
    pub rate_limit: Option<u32>,
    /// GET (the request in the query) or POST (a JSON body).
    pub method: Method,
    /// The action's own hosts (without a trailing `/`), when the spec gives it other hosts
    /// than the API's; empty otherwise. A client on one of the API's hosts (the default or a
    /// region) sends this action to the same host when the action lists it, else to the
    /// action's host of the same region, else to its first host; a client given its own base
    /// URL (a proxy, a mock) keeps it.
    pub hosts: &'static [&'static str],
    /// The documented limits over other windows than a second, or counted per room or group
    /// (at most `count` calls in any `window`), which
    /// [`ClientBuilder::rate_limit_per_action`](crate::ClientBuilder::rate_limit_per_action)
    /// also keeps the action under; empty when there are none.
    pub call_limits: &'static [CallLimit],
}

/// A documented limit of at most `count` calls in any `window`: for the AppId, or for each
/// room or group, whose id the request's `key_field` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CallLimit {
    /// The calls allowed in one window.
    pub count: u32,
    /// The window's length.
    pub window: std::time::Duration,
    /// The request field (its wire name; dotted for a nested one) whose value the limit is
    /// counted for, such as `RoomId` or `GroupId`; `None` when it is counted for the AppId.
    pub key_field: Option<&'static str>,
}

impl fmt::Display for CallLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let calls = if self.count == 1 { "call" } else { "calls" };
        write!(f, "{} {calls} per {}", self.count, window_text(self.window))?;
        match self.key_field {
            Some(field) => write!(f, " for each {field}"),
            None => f.write_str(" for the AppId"),
        }
    }
}

/// A wait in words, to the second: `50 s`, `23 h 10 min`.
pub(crate) fn duration_text(duration: std::time::Duration) -> String {
    let seconds = duration.as_secs() + u64::from(duration.subsec_nanos() > 0);
    match (seconds / 3_600, seconds % 3_600 / 60, seconds % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// `second`, `10 seconds`, `minute`, `24 hours`.
pub(crate) fn window_text(window: std::time::Duration) -> String {
    match window.as_secs() {
        1 => "second".to_owned(),
        60 => "minute".to_owned(),
        3_600 => "hour".to_owned(),
        seconds if seconds % 3_600 == 0 => format!("{} hours", seconds / 3_600),
        seconds if seconds % 60 == 0 => format!("{} minutes", seconds / 60),
        seconds => format!("{seconds} seconds"),
    }
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

    /// The resource the request acts on (a task, an agent instance, a player: whatever the
    /// product calls it), as its wire name and value, recorded on the call's tracing span as
    /// `resource` and `resource_id`.
    fn resource_id(&self) -> Option<(&'static str, &str)> {
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
    /// setting that takes no effect, or is not supported), and with [`Checks::Warn`](crate::Checks::Warn) every
    /// finding. Each was also logged as a `tracing` warning.
    pub warnings: Vec<Violation>,
}

/// A signed request as it would be sent, for inspection; credentials in the body are redacted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DryRun {
    /// The HTTP method.
    pub method: &'static str,
    /// The full URL with the signed query (and, for a GET action, the request's fields).
    pub url: String,
    /// The JSON body, with every credential replaced by `[redacted]`; empty for a GET
    /// action, whose request is in the URL.
    pub redacted_body: String,
    /// What the checks found but did not refuse, as [`ApiResponse::warnings`].
    pub warnings: Vec<Violation>,
}

impl fmt::Display for DryRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        if self.redacted_body.is_empty() {
            return Ok(());
        }
        writeln!(f, "Content-Type: application/json")?;
        writeln!(f)?;
        f.write_str(&self.redacted_body)
    }
}
