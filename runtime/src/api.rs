use std::fmt;
use std::hash::Hash;

use super::client::Client;
use super::error::CodeRetry;

/// What the runtime needs to know of one product's API. Each generated crate states it once,
/// on a type of its own, and the runtime's [`Client`], [`ClientBuilder`](super::ClientBuilder),
/// [`Error`](super::Error) and mock server take that type (or its codes) as a parameter, so
/// several products share this one runtime.
pub trait ServerApi: Sized + Send + Sync + 'static {
    /// The product's return codes.
    type Code: ReturnCode;
    /// The product's client: its own type (so the product can give it one method per
    /// action), made from the runtime's client by `ClientBuilder::build`.
    type Client: From<Client<Self>>;
    /// Where requests go unless the builder says otherwise.
    const DEFAULT_BASE_URL: &'static str;
    /// The `User-Agent` sent unless the builder says otherwise: the product crate's name and
    /// version.
    const USER_AGENT: &'static str;
    /// The ids of the product's rules, which `ClientBuilder::allow` accepts besides the
    /// [`builtin_rules`](super::builtin_rules).
    const RULE_IDS: &'static [&'static str];
    /// The return code the service answers a request with invalid parameters with, where the
    /// product documents one; the mock server answers it. Without one, the mock refuses such
    /// a request with HTTP 400, so a test cannot mistake it for a documented answer.
    const INVALID_PARAMETER_CODE: Option<i64> = None;
}

/// A product's return codes (`Code` of the response envelope), as the runtime reads them:
/// how to make one from the wire, and what the spec says about retrying it.
pub trait ReturnCode: Copy + Eq + Hash + fmt::Debug + fmt::Display + Send + Sync + 'static {
    /// The code for a wire value (an open set: unknown values are kept).
    fn from_wire_value(value: i64) -> Self;
    /// The wire value.
    fn wire_value(self) -> i64;
    /// Whether, and how, trying again can help.
    fn retry(self) -> CodeRetry;
    /// Whether the service answers this code before acting on the request, so that
    /// repeating the call is safe for any action.
    fn answered_before_acting(self) -> bool;

    /// For a code that says a cap counted over a long window is used up (100 calls in 24
    /// hours): that window. Such a code is never retried; by default no code is one.
    fn resets_after(self) -> Option<std::time::Duration> {
        None
    }

    /// Whether trying the same call again later may succeed.
    fn is_retryable(self) -> bool {
        !matches!(self.retry(), CodeRetry::Never)
    }
}

/// A product's regional host, for [`ClientBuilder::region`](super::ClientBuilder::region).
pub trait RegionalHost {
    /// The host's base URL.
    fn base_url(self) -> &'static str;
}
