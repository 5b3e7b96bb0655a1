//! The shared budget and callback store on Redis (or Valkey): one script per question, run
//! atomically on the server with the server's clock, so every instance sees one state.
//!
//! Keys are `<prefix>:budget:<AppId>:<Action>` (the time the next call may go),
//! `<prefix>:window:<AppId>:<Action>:<count>:<window ms>[:<digest of the room or group id>]`
//! (the calls counted in a window) and
//! `<prefix>:callback:<digest>` (a digest of an accepted callback's body, or a delivery's
//! mark): an AppId, an action's name and SHA-256 digests; never a secret, a signature or a
//! body. Each lives no longer than it matters.

use std::fmt;
use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::Script;

use crate::budget::{BoxFuture, SharedRateLimiter, StoreUnavailable};
use crate::deliveries::{CallbackStore, Seen, SeenCallback};
use crate::windows::{WindowAnswer, WindowKey};
use sha2::{Digest, Sha256};

/// How long one question to Redis may take before the answer counts as unavailable.
pub const DEFAULT_REDIS_TIMEOUT: Duration = Duration::from_millis(250);

/// The default prefix of every key.
pub const DEFAULT_KEY_PREFIX: &str = "zego";

/// Reserves the next call's slot in an evenly spaced queue (GCRA without a burst): returns
/// how many microseconds the caller waits. Lua numbers are doubles, exact for microsecond
/// Unix times (about 2^51).
const RESERVE_SLOT: &str = r"
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local interval = tonumber(ARGV[1])
local next_slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if next_slot < now then next_slot = now end
local after = next_slot + interval
redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', math.ceil((after - now) / 1000) + 1000)
return next_slot - now
";

/// Counts a call in a window of ARGV[2] microseconds holding at most ARGV[1] calls, unless
/// it would wait more than ARGV[3] microseconds: answers the wait (>= 0), or -(how long until
/// one fits) - 1 when it is not counted. Members are the reserved time and ARGV[4], a nonce.
const RESERVE_IN_WINDOW: &str = r"
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local count = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local held = redis.call('ZCARD', KEYS[1])
local slot = now
if held >= count then
  local first_out = redis.call('ZRANGE', KEYS[1], held - count, held - count, 'WITHSCORES')
  slot = math.max(now, tonumber(first_out[2]) + window)
end
local wait = slot - now
if wait > max_wait then return -wait - 1 end
redis.call('ZADD', KEYS[1], slot, string.format('%.0f', slot) .. ':' .. ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil((wait + window) / 1000) + 1000)
return wait
";

/// Records a callback: 0 the first time, 1 a duplicate delivery, 2 a replay with another
/// body. KEYS[1] the signature's key, KEYS[2] (optional) the delivery's; ARGV[1] the body's
/// digest, ARGV[2] how long to remember, in milliseconds.
const RECORD_CALLBACK: &str = r"
local body = redis.call('GET', KEYS[1])
if body then
  if body == ARGV[1] then return 1 else return 2 end
end
if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if KEYS[2] then redis.call('SET', KEYS[2], '1', 'PX', ARGV[2]) end
return 0
";

/// Forgets a callback: deletes KEYS[1] and KEYS[2] (optional); answers how many existed.
const FORGET_CALLBACK: &str = r"
return redis.call('DEL', unpack(KEYS))
";

// Each script's SHA-1 is computed once, not on every call.
static RESERVE_SLOT_SCRIPT: std::sync::LazyLock<Script> =
    std::sync::LazyLock::new(|| Script::new(RESERVE_SLOT));
static RESERVE_IN_WINDOW_SCRIPT: std::sync::LazyLock<Script> =
    std::sync::LazyLock::new(|| Script::new(RESERVE_IN_WINDOW));
static RECORD_CALLBACK_SCRIPT: std::sync::LazyLock<Script> =
    std::sync::LazyLock::new(|| Script::new(RECORD_CALLBACK));
static FORGET_CALLBACK_SCRIPT: std::sync::LazyLock<Script> =
    std::sync::LazyLock::new(|| Script::new(FORGET_CALLBACK));

/// A connection to Redis for the shared budget and callback store, reconnecting by itself.
/// Cheap to clone: clones share the connection.
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    timeout: Duration,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL is not kept: it may hold a password.
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Connects to `url` (`redis://[:password@]host:port/db`), within
    /// [`DEFAULT_REDIS_TIMEOUT`] four times over. `rediss://` (TLS) is refused: this crate
    /// builds `redis` without a TLS backend, to keep its dependencies lean; reach a Redis
    /// outside the host through a TLS tunnel.
    ///
    /// # Errors
    /// [`StoreUnavailable`] when the URL is malformed or Redis does not answer in time; the
    /// message leaves the URL out, since it may hold a password.
    pub async fn connect(url: &str) -> Result<Self, StoreUnavailable> {
        let client = redis::Client::open(url).map_err(|error| {
            StoreUnavailable::new(format!("not a Redis URL: {}", redis_kind(&error)))
        })?;
        let connecting = ConnectionManager::new(client);
        let connection = tokio::time::timeout(DEFAULT_REDIS_TIMEOUT * 4, connecting)
            .await
            .map_err(|_| StoreUnavailable::new("Redis did not answer in time"))?
            .map_err(|error| {
                StoreUnavailable::new(format!("cannot connect to Redis: {}", redis_kind(&error)))
            })?;
        Ok(Self {
            connection,
            prefix: DEFAULT_KEY_PREFIX.to_owned(),
            timeout: DEFAULT_REDIS_TIMEOUT,
        })
    }

    /// The prefix of every key; default [`DEFAULT_KEY_PREFIX`]. Services that must not share
    /// budgets (two environments on one Redis) use different prefixes.
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long one question may take; default [`DEFAULT_REDIS_TIMEOUT`].
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The keys of a callback: its signature's, and its delivery's when it names one.
    fn callback_keys(&self, callback: &SeenCallback) -> Vec<String> {
        let mut keys = vec![format!("{}:callback:{}", self.prefix, callback.signed)];
        if let Some(delivery) = &callback.delivery {
            keys.push(format!("{}:callback:{delivery}", self.prefix));
        }
        keys
    }

    async fn run(
        &self,
        script: &Script,
        keys: &[String],
        args: &[String],
    ) -> Result<i64, StoreUnavailable> {
        let mut invocation = script.prepare_invoke();
        for key in keys {
            invocation.key(key);
        }
        for arg in args {
            invocation.arg(arg);
        }
        let mut connection = self.connection.clone();
        let answer = tokio::time::timeout(
            self.timeout,
            invocation.invoke_async::<i64>(&mut connection),
        );
        answer
            .await
            .map_err(|_| {
                StoreUnavailable::new(format!("Redis did not answer within {:?}", self.timeout))
            })?
            .map_err(|error| {
                StoreUnavailable::new(format!("Redis refused: {}", redis_kind(&error)))
            })
    }
}

impl SharedRateLimiter for RedisStore {
    fn acquire<'a>(
        &'a self,
        app_id: u32,
        action: &'a str,
        calls_per_second: u32,
    ) -> BoxFuture<'a, Result<(), StoreUnavailable>> {
        Box::pin(async move {
            let interval = 1_000_000 / u64::from(calls_per_second.max(1));
            let key = format!("{}:budget:{app_id}:{action}", self.prefix);
            let wait = self
                .run(&RESERVE_SLOT_SCRIPT, &[key], &[interval.to_string()])
                .await?;
            let wait = Duration::from_micros(u64::try_from(wait).unwrap_or(0));
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            Ok(())
        })
    }

    fn reserve_in_window<'a>(
        &'a self,
        key: &'a WindowKey,
        max_wait: Duration,
    ) -> BoxFuture<'a, Result<Option<WindowAnswer>, StoreUnavailable>> {
        Box::pin(async move {
            let micros = |duration: Duration| {
                u64::try_from(duration.as_micros())
                    .unwrap_or(u64::MAX)
                    .to_string()
            };
            let mut redis_key = format!(
                "{}:window:{}:{}:{}:{}",
                self.prefix,
                key.app_id,
                key.action,
                key.count,
                key.window.as_millis()
            );
            if let Some(id) = &key.key {
                // A digest, not the id: ids are the caller's data, of any length and alphabet.
                let digest = Sha256::digest(id.as_bytes());
                redis_key.push(':');
                for byte in &digest[..12] {
                    redis_key.push_str(&format!("{byte:02x}"));
                }
            }
            let args = [
                key.count.to_string(),
                micros(key.window),
                micros(max_wait),
                crate::retry::random_u64()
                    .map_err(|_| StoreUnavailable::new("no random source for the call's mark"))?
                    .to_string(),
            ];
            let answer = self
                .run(&RESERVE_IN_WINDOW_SCRIPT, &[redis_key], &args)
                .await?;
            Ok(Some(match u64::try_from(answer) {
                Ok(wait) => WindowAnswer::Go {
                    after: Duration::from_micros(wait),
                },
                Err(_) => WindowAnswer::Full {
                    frees_in: Duration::from_micros(answer.unsigned_abs().saturating_sub(1)),
                },
            }))
        })
    }
}

impl CallbackStore for RedisStore {
    fn record<'a>(
        &'a self,
        callback: &'a SeenCallback,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Seen, StoreUnavailable>> {
        Box::pin(async move {
            let keys = self.callback_keys(callback);
            let ttl_ms = ttl.as_millis().max(1).to_string();
            let answer = self
                .run(
                    &RECORD_CALLBACK_SCRIPT,
                    &keys,
                    &[callback.body.clone(), ttl_ms],
                )
                .await?;
            Ok(match answer {
                0 => Seen::First,
                1 => Seen::Duplicate,
                _ => Seen::Replay,
            })
        })
    }

    fn forget<'a>(
        &'a self,
        callback: &'a SeenCallback,
    ) -> BoxFuture<'a, Result<(), StoreUnavailable>> {
        Box::pin(async move {
            let keys = self.callback_keys(callback);
            self.run(&FORGET_CALLBACK_SCRIPT, &keys, &[]).await?;
            Ok(())
        })
    }
}

/// What kind of failure it was, without the error's text (which may quote the URL, and a URL
/// may hold a password).
fn redis_kind(error: &redis::RedisError) -> String {
    format!("{:?}", error.kind())
}
