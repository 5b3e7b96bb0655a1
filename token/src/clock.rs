//! Where the current time comes from. The ZEGOCLOUD server crates share this one clock: a
//! token's issue time, a request's signature, the checks against the current time, the
//! callback verifier's age limit and the mock's tasks all read it, so one [`ManualClock`]
//! drives them all in a test.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of the current time. [`SystemClock`] unless replaced; [`ManualClock`] is a clock
/// tests move by hand, shared by every clone.
pub trait Clock: fmt::Debug + Send + Sync {
    /// The current Unix time, in seconds.
    fn unix_seconds(&self) -> i64;

    /// The current Unix time, in milliseconds; by default whole seconds.
    fn unix_millis(&self) -> i64 {
        self.unix_seconds().saturating_mul(1000)
    }
}

/// A shared clock is a clock: one [`ManualClock`] (or any clock) can drive several users.
impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn unix_seconds(&self) -> i64 {
        (**self).unix_seconds()
    }

    fn unix_millis(&self) -> i64 {
        (**self).unix_millis()
    }
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn unix_seconds(&self) -> i64 {
        unix_seconds_at(SystemTime::now())
    }

    fn unix_millis(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(elapsed) => i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
        }
    }
}

/// A clock that moves only when told to, for tests. Clones share one time, so the clock
/// given to a client, a callback verifier, a token issuer and a mock stays the same clock.
///
/// ```
/// use std::time::Duration;
/// use zego_token::{Clock, ManualClock};
///
/// let clock = ManualClock::at_unix_millis(1_800_000_000_000);
/// let shared = clock.clone();
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(shared.unix_seconds(), 1_800_000_090);
/// ```
#[derive(Clone, Debug)]
pub struct ManualClock {
    millis: Arc<AtomicI64>,
}

impl ManualClock {
    /// A clock showing `unix_millis` (Unix time in milliseconds) until moved.
    pub fn at_unix_millis(unix_millis: i64) -> Self {
        Self {
            millis: Arc::new(AtomicI64::new(unix_millis)),
        }
    }

    /// A clock showing the system's current time until moved.
    pub fn starting_now() -> Self {
        Self::at_unix_millis(SystemClock.unix_millis())
    }

    /// Moves the clock forward by `by` (saturating at the largest time it can show).
    pub fn advance(&self, by: Duration) {
        let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        // fetch_update with a closure that always returns Some cannot fail.
        let _ = self
            .millis
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |now| {
                Some(now.saturating_add(by))
            });
    }

    /// Sets the clock to `unix_millis`.
    pub fn set_unix_millis(&self, unix_millis: i64) {
        self.millis.store(unix_millis, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn unix_seconds(&self) -> i64 {
        self.unix_millis().div_euclid(1000)
    }

    fn unix_millis(&self) -> i64 {
        self.millis.load(Ordering::SeqCst)
    }
}

/// `time` as Unix seconds. A clock set before 1970 gives a negative time rather than one
/// made up.
fn unix_seconds_at(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(elapsed) => i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |secs| -secs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_before_1970_are_negative() {
        use std::time::Duration;
        assert_eq!(
            unix_seconds_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000)),
            1_700_000_000
        );
        assert_eq!(unix_seconds_at(UNIX_EPOCH - Duration::from_secs(5)), -5);
        assert_eq!(unix_seconds_at(UNIX_EPOCH), 0);
    }

    #[test]
    fn a_manual_clock_is_shared_by_its_clones_and_moves_only_when_told() {
        let clock = ManualClock::at_unix_millis(1_800_000_000_500);
        let shared: Arc<dyn Clock> = Arc::new(clock.clone());
        assert_eq!(shared.unix_seconds(), 1_800_000_000);
        clock.advance(Duration::from_millis(600));
        assert_eq!(shared.unix_millis(), 1_800_000_001_100);
        clock.set_unix_millis(-1);
        assert_eq!(
            clock.unix_seconds(),
            -1,
            "before 1970 rounds down, not toward zero"
        );
        clock.set_unix_millis(i64::MAX - 1);
        clock.advance(Duration::from_secs(1));
        assert_eq!(clock.unix_millis(), i64::MAX);
    }

    #[test]
    fn the_system_clock_in_milliseconds_agrees_with_seconds() {
        let seconds = SystemClock.unix_seconds();
        let millis = SystemClock.unix_millis();
        assert!(
            (millis / 1000 - seconds).abs() <= 1,
            "{millis} vs {seconds}"
        );
    }
}
