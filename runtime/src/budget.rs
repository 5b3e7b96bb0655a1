//! A call budget shared by every instance of a service that uses one AppId.
//!
//! ZEGOCLOUD's limits hold per AppId and action, for all the AppId's rooms: four instances that
//! each keep to the limit send four times it together. A [`SharedRateLimiter`] is one budget
//! they all draw from; [`InMemoryRateLimiter`] keeps it inside one process (as
//! [`ClientBuilder::rate_limit_per_action`](crate::ClientBuilder::rate_limit_per_action)
//! does), and `RedisStore` (feature `redis`) across processes.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use crate::retry::RateLimiter;
use crate::windows::{InProcessWindows, WindowAnswer, WindowKey};

/// A boxed future, as the store traits return (object-safe without a macro crate).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a shared store could not answer: unreachable, too slow, or refusing. Never holds a
/// secret (no key or value a store sees holds one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreUnavailable {
    message: String,
}

impl StoreUnavailable {
    /// A reason in words.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for StoreUnavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the shared store is unavailable: {}", self.message)
    }
}

impl std::error::Error for StoreUnavailable {}

/// One budget of calls per AppId and action, shared by whoever holds the limiter.
///
/// The client asks it before each call of an action with a documented limit (set with
/// [`ClientBuilder::shared_rate_limiter`](crate::ClientBuilder::shared_rate_limiter)). When it
/// answers [`StoreUnavailable`], the client keeps to the limit inside its own process, logs a
/// warning, and does not ask the shared budget again for [`SHARED_BUDGET_PAUSE`]: the call is
/// made, never dropped, and a throttled answer (300000003) is retried like any answer the
/// service gives before acting.
pub trait SharedRateLimiter: Send + Sync + fmt::Debug {
    /// Waits until one more call of `action` fits `calls_per_second` for `app_id`.
    ///
    /// # Errors
    /// [`StoreUnavailable`] when the budget cannot be reached in time.
    fn acquire<'a>(
        &'a self,
        app_id: u32,
        action: &'a str,
        calls_per_second: u32,
    ) -> BoxFuture<'a, Result<(), StoreUnavailable>>;

    /// Counts one call in the window `key` names (a limit per minute, per day, or per room or
    /// group) unless it would have to wait longer than `max_wait`; answers how long to wait,
    /// or that the window is full and for how long. `None`, the default, says this budget
    /// keeps no windows: the client then keeps them in its own process, without a warning.
    ///
    /// # Errors
    /// [`StoreUnavailable`] when the budget cannot answer.
    fn reserve_in_window<'a>(
        &'a self,
        key: &'a WindowKey,
        max_wait: std::time::Duration,
    ) -> BoxFuture<'a, Result<Option<WindowAnswer>, StoreUnavailable>> {
        let _ = (key, max_wait);
        Box::pin(async { Ok(None) })
    }
}

/// How long a client leaves a shared budget alone after it failed to answer: during an
/// outage every call would otherwise wait the store's whole timeout before going on, and log
/// a warning each time.
pub const SHARED_BUDGET_PAUSE: std::time::Duration = std::time::Duration::from_secs(5);

/// A shared budget as one client asks it: after a failure it is not asked again for
/// [`SHARED_BUDGET_PAUSE`].
#[derive(Debug)]
pub(crate) struct SharedBudget {
    limiter: Arc<dyn SharedRateLimiter>,
    paused_until: Mutex<Option<tokio::time::Instant>>,
}

/// What asking a [`SharedBudget`] came to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Asked {
    /// A slot was reserved (and waited for).
    Reserved,
    /// The budget failed a moment ago and was not asked.
    Paused,
    /// It failed now; it is left alone for [`SHARED_BUDGET_PAUSE`].
    Failed(StoreUnavailable),
}

impl SharedBudget {
    pub(crate) fn new(limiter: Arc<dyn SharedRateLimiter>) -> Self {
        Self {
            limiter,
            paused_until: Mutex::new(None),
        }
    }

    pub(crate) async fn acquire(&self, app_id: u32, action: &str, calls_per_second: u32) -> Asked {
        if self.is_paused() {
            return Asked::Paused;
        }
        match self.limiter.acquire(app_id, action, calls_per_second).await {
            Ok(()) => Asked::Reserved,
            Err(error) => {
                self.pause();
                Asked::Failed(error)
            }
        }
    }

    fn is_paused(&self) -> bool {
        self.paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some_and(|until| tokio::time::Instant::now() < until)
    }

    /// Leaves the budget alone for [`SHARED_BUDGET_PAUSE`].
    fn pause(&self) {
        *self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner) =
            Some(tokio::time::Instant::now() + SHARED_BUDGET_PAUSE);
    }

    /// Counts a call in a shared window: `None` when the budget failed a moment ago or keeps
    /// no windows (the caller keeps them in its own process), the error when it fails now
    /// (it is then left alone for [`SHARED_BUDGET_PAUSE`]).
    pub(crate) async fn reserve_in_window(
        &self,
        key: &WindowKey,
        max_wait: std::time::Duration,
    ) -> Option<Result<WindowAnswer, StoreUnavailable>> {
        if self.is_paused() {
            return None;
        }
        match self.limiter.reserve_in_window(key, max_wait).await {
            Ok(answer) => answer.map(Ok),
            Err(error) => {
                self.pause();
                Some(Err(error))
            }
        }
    }
}

/// The budget kept in this process: one evenly spaced queue per AppId and action, and one
/// log per window.
#[derive(Debug, Default)]
pub struct InMemoryRateLimiter {
    limiters: Mutex<BTreeMap<(u32, String, u32), Arc<RateLimiter>>>,
    windows: InProcessWindows,
}

impl InMemoryRateLimiter {
    /// An empty budget.
    pub fn new() -> Self {
        Self::default()
    }

    fn limiter(&self, app_id: u32, action: &str, calls_per_second: u32) -> Arc<RateLimiter> {
        let mut limiters = self.limiters.lock().unwrap_or_else(PoisonError::into_inner);
        limiters
            .entry((app_id, action.to_owned(), calls_per_second))
            .or_insert_with(|| Arc::new(RateLimiter::per_second(calls_per_second)))
            .clone()
    }
}

impl SharedRateLimiter for InMemoryRateLimiter {
    fn acquire<'a>(
        &'a self,
        app_id: u32,
        action: &'a str,
        calls_per_second: u32,
    ) -> BoxFuture<'a, Result<(), StoreUnavailable>> {
        let limiter = self.limiter(app_id, action, calls_per_second);
        Box::pin(async move {
            limiter.acquire().await;
            Ok(())
        })
    }

    fn reserve_in_window<'a>(
        &'a self,
        key: &'a WindowKey,
        max_wait: std::time::Duration,
    ) -> BoxFuture<'a, Result<Option<WindowAnswer>, StoreUnavailable>> {
        let answer = self.windows.reserve(key, max_wait);
        Box::pin(async move { Ok(Some(answer)) })
    }
}

#[cfg(test)]
mod tests {

    #[derive(Debug, Default)]
    struct Unreachable {
        asked: std::sync::atomic::AtomicUsize,
    }

    impl SharedRateLimiter for Unreachable {
        fn acquire<'a>(
            &'a self,
            _app_id: u32,
            _action: &'a str,
            _calls_per_second: u32,
        ) -> BoxFuture<'a, Result<(), StoreUnavailable>> {
            self.asked
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Box::pin(async { Err(StoreUnavailable::new("down")) })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_budget_that_failed_is_left_alone_for_a_while() {
        let unreachable = Arc::new(Unreachable::default());
        let budget = SharedBudget::new(unreachable.clone());
        assert!(matches!(
            budget.acquire(1, "DescribeThing", 50).await,
            Asked::Failed(_)
        ));
        assert_eq!(budget.acquire(1, "DescribeThing", 50).await, Asked::Paused);
        assert_eq!(budget.acquire(1, "CreateThing", 10).await, Asked::Paused);
        assert_eq!(
            unreachable.asked.load(std::sync::atomic::Ordering::Relaxed),
            1
        );
        tokio::time::advance(SHARED_BUDGET_PAUSE).await;
        assert!(matches!(
            budget.acquire(1, "DescribeThing", 50).await,
            Asked::Failed(_)
        ));
        assert_eq!(
            unreachable.asked.load(std::sync::atomic::Ordering::Relaxed),
            2
        );
    }

    use std::time::Duration;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn one_budget_per_app_and_action_spaces_its_calls() {
        let budget = InMemoryRateLimiter::new();
        let started = tokio::time::Instant::now();
        for _ in 0..5 {
            budget
                .acquire(1, "DescribeThing", 10)
                .await
                .expect("in memory");
        }
        // Five calls at 10 per second: the fifth goes 400 ms after the first.
        assert_eq!(started.elapsed(), Duration::from_millis(400));
        let other = tokio::time::Instant::now();
        budget
            .acquire(1, "CreateThing", 10)
            .await
            .expect("in memory");
        budget
            .acquire(2, "DescribeThing", 10)
            .await
            .expect("in memory");
        assert_eq!(
            other.elapsed(),
            Duration::ZERO,
            "other actions and apps have their own"
        );
    }
}
