//! What the callbacks already accepted were, shared by every instance that receives them.
//!
//! ZEGOCLOUD signs a callback's `timestamp` and `nonce`, not its body: whoever sees one
//! genuine callback can replay it, altered, until its maximum age runs out; and ZEGOCLOUD
//! delivers a callback again when it gets no answer. A [`CallbackStore`] remembers, for the
//! maximum age, each signature with a digest of the body it came with, and each delivery's
//! identity (what it is about and a sequence number): the same signature with the same body again is a
//! duplicate delivery, with another body a replay, on whichever instance it arrives.
//! [`InMemoryCallbackStore`] remembers inside one process (bounded, expiring);
//! `RedisStore` (feature `redis`) across processes.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::budget::{BoxFuture, StoreUnavailable};

/// A callback as a store sees it: digests only (no secret, no body).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeenCallback {
    /// SHA-256 (hex) of the signed parts: `timestamp`, `nonce` and `signature`.
    pub signed: String,
    /// SHA-256 (hex) of the delivery's identity, when the callback names one.
    pub delivery: Option<String>,
    /// SHA-256 (hex) of the body.
    pub body: String,
}

impl SeenCallback {
    /// The digests of a verified callback's signed parts, delivery identity and body.
    pub fn new(
        timestamp: &str,
        nonce: &str,
        signature: &str,
        delivery: Option<&str>,
        body: &[u8],
    ) -> Self {
        let signed = hex_sha256(&[
            b"zego-callback",
            timestamp.as_bytes(),
            nonce.as_bytes(),
            signature.as_bytes(),
        ]);
        Self {
            signed,
            delivery: delivery.map(|id| hex_sha256(&[b"zego-delivery", id.as_bytes()])),
            body: hex_sha256(&[body]),
        }
    }
}

/// Each part is length-prefixed, so no two different lists of parts hash alike.
fn hex_sha256(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    let digest: [u8; 32] = hasher.finalize().into();
    let hex: [u8; 64] = crate::signing::hex_bytes(&digest);
    crate::signing::ascii(&hex).to_owned()
}

/// The longest a store remembers a callback: a verifier that accepts callbacks of any age
/// (a very large `max_age`) still has its entries forgotten after this long.
pub const MAX_REMEMBERED: Duration = Duration::from_secs(30 * 24 * 3600);

/// What a store knew of a callback before this arrival.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Never seen: the first delivery.
    First,
    /// The same signature with the same body, or the same delivery again: ZEGOCLOUD
    /// delivered it again.
    Duplicate,
    /// The same signature with another body: an altered replay.
    Replay,
}

/// Remembers the callbacks accepted, for everyone sharing the store.
pub trait CallbackStore: Send + Sync + fmt::Debug {
    /// Records `callback` for `ttl` and says what was known of it before, atomically: of two
    /// instances receiving the same callback at once, one sees [`Seen::First`].
    ///
    /// # Errors
    /// [`StoreUnavailable`] when the store cannot be reached in time.
    fn record<'a>(
        &'a self,
        callback: &'a SeenCallback,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Seen, StoreUnavailable>>;

    /// Forgets `callback`, recorded before: for a receiver that accepted it but could not act
    /// on it, and answers with a 5xx status so that ZEGOCLOUD delivers it again. Without
    /// this, that delivery would be reported as a duplicate and never acted on.
    ///
    /// # Errors
    /// [`StoreUnavailable`] when the store cannot be reached in time.
    fn forget<'a>(
        &'a self,
        callback: &'a SeenCallback,
    ) -> BoxFuture<'a, Result<(), StoreUnavailable>>;
}

/// The default bound of [`InMemoryCallbackStore`]: entries beyond it push out the oldest.
pub const DEFAULT_CALLBACK_STORE_ENTRIES: usize = 100_000;

/// The store kept in this process: at most a bounded number of entries, each forgotten when
/// its time runs out (or, when full, the oldest first).
#[derive(Debug)]
pub struct InMemoryCallbackStore {
    capacity: usize,
    state: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    /// Key → (body digest, or empty for a delivery identity; when it is forgotten).
    by_key: HashMap<String, (String, Instant)>,
    /// Keys in the order they were added, for expiry and eviction.
    order: VecDeque<(String, Instant)>,
}

impl Default for InMemoryCallbackStore {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CALLBACK_STORE_ENTRIES)
    }
}

impl InMemoryCallbackStore {
    /// A store of at most [`DEFAULT_CALLBACK_STORE_ENTRIES`] entries.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store of at most `capacity` entries (at least 1).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            state: Mutex::new(Entries::default()),
        }
    }

    /// How many entries it holds now.
    pub fn len(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .by_key
            .len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn record_now(&self, callback: &SeenCallback, ttl: Duration, now: Instant) -> Seen {
        let mut entries = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        entries.forget_expired(now);
        // Entries are forgotten in the order they were made; one made with a shorter time to
        // live (another verifier's) may be past its expiry and still held.
        let live = |key: &str| entries.by_key.get(key).filter(|(_, until)| *until > now);
        let seen = match live(&callback.signed) {
            Some((body, _)) if *body == callback.body => Seen::Duplicate,
            Some(_) => Seen::Replay,
            None => match &callback.delivery {
                Some(delivery) if live(delivery).is_some() => Seen::Duplicate,
                _ => Seen::First,
            },
        };
        if seen == Seen::First {
            let until = now.checked_add(ttl).unwrap_or(now + MAX_REMEMBERED);
            entries.insert(
                callback.signed.clone(),
                callback.body.clone(),
                until,
                self.capacity,
            );
            if let Some(delivery) = &callback.delivery {
                entries.insert(delivery.clone(), String::new(), until, self.capacity);
            }
        }
        seen
    }
}

impl Entries {
    fn forget_expired(&mut self, now: Instant) {
        while let Some((key, until)) = self.order.front() {
            if *until > now {
                break;
            }
            if self
                .by_key
                .get(key)
                .is_some_and(|(_, expiry)| expiry == until)
            {
                self.by_key.remove(key);
            }
            self.order.pop_front();
        }
    }

    fn insert(&mut self, key: String, body: String, until: Instant, capacity: usize) {
        while self.by_key.len() >= capacity {
            let Some((oldest, until)) = self.order.pop_front() else {
                break;
            };
            if self
                .by_key
                .get(&oldest)
                .is_some_and(|(_, expiry)| *expiry == until)
            {
                self.by_key.remove(&oldest);
            }
        }
        self.order.push_back((key.clone(), until));
        self.by_key.insert(key, (body, until));
    }
}

impl CallbackStore for InMemoryCallbackStore {
    fn record<'a>(
        &'a self,
        callback: &'a SeenCallback,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Seen, StoreUnavailable>> {
        let seen = self.record_now(callback, ttl, Instant::now());
        Box::pin(async move { Ok(seen) })
    }

    fn forget<'a>(
        &'a self,
        callback: &'a SeenCallback,
    ) -> BoxFuture<'a, Result<(), StoreUnavailable>> {
        let mut entries = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        entries.by_key.remove(&callback.signed);
        if let Some(delivery) = &callback.delivery {
            entries.by_key.remove(delivery);
        }
        Box::pin(std::future::ready(Ok(())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn callback(nonce: &str, body: &str, delivery: Option<&str>) -> SeenCallback {
        SeenCallback::new("1700000000", nonce, "sig", delivery, body.as_bytes())
    }

    #[test]
    fn an_entry_past_its_time_counts_as_gone_behind_a_longer_lived_one() {
        let store = InMemoryCallbackStore::new();
        let now = Instant::now();
        let long_lived = callback("n1", "{}", None);
        let short_lived = callback("n2", "{}", None);
        assert_eq!(
            store.record_now(&long_lived, Duration::from_secs(600), now),
            Seen::First
        );
        assert_eq!(
            store.record_now(&short_lived, Duration::from_secs(1), now),
            Seen::First
        );
        let later = now + Duration::from_secs(2);
        assert_eq!(
            store.record_now(&short_lived, Duration::from_secs(1), later),
            Seen::First
        );
        assert_eq!(
            store.record_now(&long_lived, Duration::from_secs(600), later),
            Seen::Duplicate
        );
    }

    #[tokio::test]
    async fn a_forgotten_callback_counts_as_first_when_it_comes_again() {
        let store = InMemoryCallbackStore::new();
        let ttl = Duration::from_secs(600);
        let seen = callback("n1", "{}", Some("task#1"));
        assert_eq!(store.record(&seen, ttl).await, Ok(Seen::First));
        store.forget(&seen).await.expect("forgets");
        assert_eq!(store.record(&seen, ttl).await, Ok(Seen::First));
        assert_eq!(store.record(&seen, ttl).await, Ok(Seen::Duplicate));
    }

    #[test]
    fn a_time_to_live_past_what_an_instant_holds_does_not_panic() {
        let store = InMemoryCallbackStore::new();
        let seen = store.record_now(&callback("n1", "{}", None), Duration::MAX, Instant::now());
        assert_eq!(seen, Seen::First);
    }

    #[test]
    fn the_same_signature_is_a_duplicate_with_its_body_and_a_replay_with_another() {
        let store = InMemoryCallbackStore::new();
        let now = Instant::now();
        let ttl = Duration::from_secs(600);
        let first = callback("n1", "{\"a\":1}", Some("task#1"));
        assert_eq!(store.record_now(&first, ttl, now), Seen::First);
        assert_eq!(store.record_now(&first, ttl, now), Seen::Duplicate);
        assert_eq!(
            store.record_now(&callback("n1", "{\"a\":2}", None), ttl, now),
            Seen::Replay
        );
        // Delivered again with a new signature: the delivery's identity knows it.
        assert_eq!(
            store.record_now(&callback("n2", "{\"a\":1}", Some("task#1")), ttl, now),
            Seen::Duplicate
        );
        // Once the time runs out the entries are gone.
        assert_eq!(
            store.record_now(&first, ttl, now + ttl + Duration::from_secs(1)),
            Seen::First
        );
    }

    #[test]
    fn a_full_store_forgets_its_oldest_entries_first() {
        let store = InMemoryCallbackStore::with_capacity(2);
        let now = Instant::now();
        let ttl = Duration::from_secs(600);
        for nonce in ["a", "b", "c"] {
            assert_eq!(
                store.record_now(&callback(nonce, "{}", None), ttl, now),
                Seen::First
            );
        }
        assert_eq!(store.len(), 2);
        assert_eq!(
            store.record_now(&callback("a", "{}", None), ttl, now),
            Seen::First
        );
        assert_eq!(
            store.record_now(&callback("c", "{}", None), ttl, now),
            Seen::Duplicate
        );
    }

    #[test]
    fn digests_keep_nothing_readable() {
        let seen = callback("nonce-value", "{\"secret\":\"s3\"}", Some("task-9#4"));
        let text = format!("{seen:?}");
        assert!(
            !text.contains("nonce-value") && !text.contains("s3") && !text.contains("task-9"),
            "{text}"
        );
        assert_eq!(seen.signed.len(), 64);
    }
}
