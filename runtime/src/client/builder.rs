//! Configuring a client: where it sends, its timeouts, retries, rate limits, checks and
//! clock, refusing settings that cannot work.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::checks::Checks;
use super::{Client, Inner};
use crate::api::{RegionalHost, ServerApi};
use crate::budget::{SharedBudget, SharedRateLimiter};
use crate::error::Error;
use crate::retry::{RateLimiter, RetryPolicy};
use crate::sensitive::SensitiveString;
use crate::signing::{Clock, NonceSource, OsRandom, SystemClock};
use crate::validation::builtin_rules;

/// How long one request may take, from connecting to reading the whole response.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting may take.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response body the client reads; a larger one is an error, not an allocation.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// How long a call waits by default for room in a documented limit's window: a minute, so
/// that a limit of a few calls a minute paces calls and one of a few a day refuses at once.
pub const DEFAULT_CALL_LIMIT_WAIT: Duration = Duration::from_secs(60);

impl<A: ServerApi> ClientBuilder<A> {
    /// A builder for `app_id` and its ServerSecret that sends to the API's default host
    /// unless told otherwise. The generated `Client::builder` calls this.
    pub fn new(app_id: u32, server_secret: impl Into<SensitiveString>) -> Self {
        Self {
            api: PhantomData,
            app_id,
            server_secret: server_secret.into(),
            base_url: A::DEFAULT_BASE_URL.to_owned(),
            custom_base_url: false,
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
            shared_rate_limiter: None,
            call_limit_wait: DEFAULT_CALL_LIMIT_WAIT,
            checks: Checks::Strict,
            allowed: Vec::new(),
        }
    }
}

/// Configures a [`Client`].
#[must_use]
pub struct ClientBuilder<A> {
    api: PhantomData<fn() -> A>,
    app_id: u32,
    server_secret: SensitiveString,
    base_url: String,
    /// Whether `base_url` was set by hand (a proxy, a mock) rather than by a region.
    custom_base_url: bool,
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
    shared_rate_limiter: Option<Arc<dyn SharedRateLimiter>>,
    call_limit_wait: Duration,
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
            .field("shared_rate_limiter", &self.shared_rate_limiter)
            .field("call_limit_wait", &self.call_limit_wait)
            .finish()
    }
}

impl<A: ServerApi> ClientBuilder<A> {
    /// Where requests go; by default the spec's first server. Use a local URL for tests.
    /// Every request goes there, also those of actions with hosts of their own.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self.custom_base_url = true;
        self
    }

    /// Sends requests to `region`'s host instead of the default one (an action with hosts of
    /// its own goes to the same region's host when it lists one, else to its first).
    pub fn region(mut self, region: impl RegionalHost) -> Self {
        self.base_url = region.base_url().to_owned();
        self.custom_base_url = false;
        self
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
    /// [`ManualClock`](crate::ManualClock) included.
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
    /// second, across all clones of the client; off by default. Each action's documented
    /// limit is in its descriptor ([`Operation::rate_limit`](super::Operation)) and kept by
    /// [`ClientBuilder::rate_limit_per_action`].
    pub fn rate_limit(mut self, calls_per_second: u32) -> Self {
        self.rate_limit = Some(calls_per_second);
        self
    }

    /// Keeps each action under its documented call frequency limits, across all clones of the
    /// client; off by default: the per-second `rate_limit` of its descriptor, from the spec,
    /// and its `call_limits` over other windows (3 calls a minute, 480 a day) or per room or
    /// group (counted for the id the request names). Where the documentation does not say
    /// whether a limit counts per AppId or per action, this client counts each action
    /// separately, for the one AppId a client signs for, since the limits are documented
    /// action by action. A call waits for its turn up to [`ClientBuilder::call_limit_wait`];
    /// one that would wait longer is not sent and fails with [`Error::CallLimitReached`],
    /// which says when the window frees. Combines with [`ClientBuilder::rate_limit`], an
    /// overall cap.
    pub fn rate_limit_per_action(mut self) -> Self {
        self.rate_limit_per_action = true;
        self
    }

    /// Keeps each action under its documented limit with a budget shared by every client that
    /// holds `limiter` (in other processes too, with a Redis-backed one: `RedisStore`,
    /// feature `redis`): several instances of a service with one AppId send no more together
    /// than one may. Implies [`ClientBuilder::rate_limit_per_action`]. When the limiter cannot
    /// answer (Redis down or slow), the call keeps to the limit inside this process instead,
    /// with a warning: it is never dropped and never waits on the store longer than the
    /// store's timeout. The windows of longer limits and of limits per room or group are
    /// shared too when the limiter keeps them (both the in-memory one and `RedisStore` do).
    pub fn shared_rate_limiter(mut self, limiter: Arc<dyn SharedRateLimiter>) -> Self {
        self.shared_rate_limiter = Some(limiter);
        self.rate_limit_per_action = true;
        self
    }

    /// The longest a call waits for room in a documented limit's window (see
    /// [`ClientBuilder::rate_limit_per_action`]) before it fails with
    /// [`Error::CallLimitReached`] instead; default [`DEFAULT_CALL_LIMIT_WAIT`]. A limit that
    /// frees only after hours (100 calls in 24 hours) fails at once with most settings.
    pub fn call_limit_wait(mut self, longest: Duration) -> Self {
        self.call_limit_wait = longest;
        self
    }

    /// How requests are checked before they are sent; [`Checks::Strict`] by default.
    /// [`Client::with_checks`] changes it for some calls only.
    pub fn checks(mut self, checks: Checks) -> Self {
        self.checks = checks;
        self
    }

    /// Expects the findings of the rule `rule_id` (as in [`Violation::rule`](crate::Violation::rule); the generated
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
                custom_base_url: self.custom_base_url,
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
                shared_rate_limiter: self.shared_rate_limiter.map(SharedBudget::new),
                windows: self
                    .rate_limit_per_action
                    .then(crate::windows::InProcessWindows::default),
                call_limit_wait: self.call_limit_wait,
            }),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestApi;

    fn builder(secret: &str) -> ClientBuilder<TestApi> {
        ClientBuilder::new(1, secret)
    }

    #[test]
    fn an_empty_secret_or_an_unknown_rule_is_a_configuration_error() {
        let empty = builder("").build().expect_err("empty secret");
        assert!(matches!(empty, Error::Configuration { .. }), "{empty:?}");
        let unknown = builder("s")
            .allow("no-such-rule")
            .build()
            .expect_err("unknown rule");
        let message = unknown.to_string();
        assert!(
            message.contains("no-such-rule") && message.contains("test-rule"),
            "{message}"
        );
        assert!(message.contains(builtin_rules::MINIMUM), "{message}");
        builder("s")
            .allow("test-rule")
            .allow(builtin_rules::ENUM)
            .build()
            .expect("known rules");
    }

    #[test]
    fn the_base_url_must_be_http() {
        let error = builder("s")
            .base_url("ftp://example.com")
            .build()
            .expect_err("ftp");
        assert!(error.to_string().contains("http or https"), "{error}");
        let client = builder("s").build().expect("default host");
        assert_eq!(client.base_url(), "https://test.example.invalid/");
    }
}
