use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::error::SigningError;
use super::signing::{ascii, hex_bytes, os_random};

/// When and how often the client tries a call again. Off unless set with
/// [`ClientBuilder::retry`](super::client::ClientBuilder::retry).
///
/// A call the service may have acted on is retried only when repeating it cannot act twice:
/// the request carries an idempotency key (a field the spec marks `x-zego-idempotency-key`,
/// with which the service answers a repeat with what the first call made), or the action only
/// reads. When retries are on and the caller set no key, the client fills in a random one
/// (32 lowercase hex characters from the OS random source), the same for every attempt of
/// that call. Every attempt is signed anew (fresh nonce and timestamp).
///
/// Retried failures: transport errors before any response arrived, HTTP 429 and 5xx, and the
/// API codes documented as transient ([`ReturnCode::is_retryable`](super::api::ReturnCode::is_retryable)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 200 ms doubling up to 5 s (with full jitter), at most 30 s in all.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// At most `attempts` attempts per call, counting the first (1 means no retries).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff cap before the first retry; it doubles for each later retry.
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest backoff between two attempts.
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// No retry starts when it could not begin within this time since the call began.
    #[must_use]
    pub fn max_elapsed(mut self, limit: Duration) -> Self {
        self.max_elapsed = limit;
        self
    }

    /// The configured number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before retry number `retry` (1 for the first retry): a uniformly random
    /// duration up to `min(max_backoff, initial_backoff × 2^(retry-1))` ("full jitter").
    pub(super) fn backoff(&self, retry: u32, random: u64) -> Duration {
        let doubling = 2_u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self
            .initial_backoff
            .saturating_mul(doubling)
            .min(self.max_backoff);
        let ceiling_nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        match ceiling_nanos.checked_add(1) {
            Some(span) => Duration::from_nanos(random % span),
            None => ceiling,
        }
    }

    /// Whether a retry that waits `delay` still starts within the time cap.
    pub(super) fn allows(&self, started: Instant, delay: Duration) -> bool {
        started.elapsed().saturating_add(delay) <= self.max_elapsed
    }
}

/// A client-side limit on calls per second, shared by every clone of a client.
///
/// Calls (and retry attempts) are spaced at least `1 / calls_per_second` apart, so any one
/// second holds at most `calls_per_second` of them; a burst of concurrent calls waits its
/// turn instead of being rejected by the service.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    next_slot: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// A limiter allowing `calls_per_second` calls per second (at least 1).
    pub fn per_second(calls_per_second: u32) -> Self {
        let interval = Duration::from_secs(1) / calls_per_second.max(1);
        Self {
            interval,
            next_slot: Mutex::new(None),
        }
    }

    /// The spacing between two calls.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Waits until this caller may send.
    pub async fn acquire(&self) {
        let now = Instant::now();
        let slot = self.reserve(now);
        // A timer for "now" would still wait for the timer's next tick (a millisecond).
        if slot > now {
            tokio::time::sleep_until(slot).await;
        }
    }

    fn reserve(&self, now: Instant) -> Instant {
        // A poisoned lock only means another caller panicked between two lines that cannot
        // panic; the slot inside is still valid.
        let mut next = self
            .next_slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let slot = next.map_or(now, |next| next.max(now));
        *next = Some(slot + self.interval);
        slot
    }
}

/// 8 random bytes from the OS, for jitter.
pub(super) fn random_u64() -> Result<u64, SigningError> {
    os_random().map(u64::from_le_bytes)
}

/// A random idempotency key: 16 bytes from the OS as 32 lowercase hex characters.
pub(super) fn random_key() -> Result<String, SigningError> {
    let key: [u8; 32] = hex_bytes(&os_random::<16>()?);
    Ok(ascii(&key).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_capped_ceiling() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(300));
        assert_eq!(
            policy.backoff(1, u64::MAX),
            Duration::from_nanos(u64::MAX % 100_000_001)
        );
        assert!(policy.backoff(1, 7) <= Duration::from_millis(100));
        assert!(policy.backoff(2, u64::MAX - 1) <= Duration::from_millis(200));
        assert!(
            policy.backoff(30, u64::MAX - 1) <= Duration::from_millis(300),
            "capped"
        );
        assert_eq!(policy.backoff(2, 0), Duration::ZERO);
    }

    #[test]
    fn attempts_count_the_first_and_never_fall_below_one() {
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::default().attempts(), 3);
    }

    #[test]
    fn the_limiter_spaces_reservations_by_its_interval() {
        let limiter = RateLimiter::per_second(4);
        assert_eq!(limiter.interval(), Duration::from_millis(250));
        let now = Instant::now();
        let first = limiter.reserve(now);
        let second = limiter.reserve(now);
        let third = limiter.reserve(now);
        assert_eq!(second - first, Duration::from_millis(250));
        assert_eq!(third - second, Duration::from_millis(250));
        assert_eq!(
            RateLimiter::per_second(0).interval(),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn random_keys_are_32_lowercase_hex_characters() {
        let key = random_key().expect("OS randomness");
        assert_eq!(key.len(), 32);
        assert!(
            key.bytes()
                .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f')),
            "{key}"
        );
        assert_ne!(key, random_key().expect("OS randomness"));
    }
}
