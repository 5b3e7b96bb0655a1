//! Limits over a window (at most N calls in any minute, day or 24 hours; at most N per room or
//! group per second): a log of the calls made and reserved, per AppId, action, limit and key.
//!
//! A call goes when fewer than N calls fall in the window before it; otherwise it waits until
//! the oldest of the last N leaves the window, when that is soon enough, or is not made: a
//! limit that frees only in hours is answered at once with when it frees.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// Which log a call is counted in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WindowKey {
    /// The AppId.
    pub app_id: u32,
    /// The action's name.
    pub action: &'static str,
    /// The calls allowed in one window.
    pub count: u32,
    /// The window's length.
    pub window: Duration,
    /// The room's or group's id the limit is counted for; `None` for the AppId's.
    pub key: Option<String>,
}

/// What reserving a call in a window came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowAnswer {
    /// The call is counted; it goes after waiting this long (zero: at once).
    Go {
        /// How long to wait first.
        after: Duration,
    },
    /// The window is full for longer than the caller waits: the call is not counted.
    Full {
        /// How long until a call fits again.
        frees_in: Duration,
    },
}

/// The logs kept in this process.
#[derive(Debug, Default)]
pub struct InProcessWindows {
    logs: Mutex<BTreeMap<WindowKey, VecDeque<Instant>>>,
}

impl InProcessWindows {
    /// Counts one call under `key` unless it would have to wait longer than `max_wait`.
    pub fn reserve(&self, key: &WindowKey, max_wait: Duration) -> WindowAnswer {
        let now = Instant::now();
        let mut logs = self.logs.lock().unwrap_or_else(PoisonError::into_inner);
        if !logs.contains_key(key) {
            // A log whose last call has left its window holds nothing any more: without this,
            // every room or group ever named would keep an entry for the life of the process.
            logs.retain(|kept, log| {
                log.back()
                    .is_some_and(|last| now.saturating_duration_since(*last) < kept.window)
            });
        }
        let log = logs.entry(key.clone()).or_default();
        while log
            .front()
            .is_some_and(|slot| now.saturating_duration_since(*slot) >= key.window)
        {
            log.pop_front();
        }
        let count = usize::try_from(key.count).unwrap_or(usize::MAX).max(1);
        let slot = match log.len().checked_sub(count) {
            // The call that must leave the window first: the N-th most recent.
            Some(index) => (log[index] + key.window).max(now),
            None => now,
        };
        let wait = slot - now;
        if wait > max_wait {
            return WindowAnswer::Full { frees_in: wait };
        }
        log.push_back(slot);
        WindowAnswer::Go { after: wait }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(count: u32, window_secs: u64, room: Option<&str>) -> WindowKey {
        WindowKey {
            app_id: 1,
            action: "QueryThing",
            count,
            window: Duration::from_secs(window_secs),
            key: room.map(str::to_owned),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn three_calls_a_minute_go_at_once_and_the_fourth_waits_for_the_first_to_leave() {
        let windows = InProcessWindows::default();
        let minute = key(3, 60, None);
        for _ in 0..3 {
            assert_eq!(
                windows.reserve(&minute, Duration::from_secs(60)),
                WindowAnswer::Go {
                    after: Duration::ZERO
                }
            );
        }
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(
            windows.reserve(&minute, Duration::from_secs(60)),
            WindowAnswer::Go {
                after: Duration::from_secs(50)
            }
        );
        assert_eq!(
            windows.reserve(&minute, Duration::from_secs(30)),
            WindowAnswer::Full {
                frees_in: Duration::from_secs(50)
            },
            "the fifth would wait past the limit the caller set, and is not counted"
        );
        tokio::time::advance(Duration::from_secs(50)).await;
        assert_eq!(
            windows.reserve(&minute, Duration::ZERO),
            WindowAnswer::Go {
                after: Duration::ZERO
            },
            "the first two calls left the window; the fourth's reservation is the only other"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn each_room_has_its_own_window() {
        let windows = InProcessWindows::default();
        let wait = Duration::from_secs(1);
        assert!(matches!(
            windows.reserve(&key(1, 10, Some("room-1")), wait),
            WindowAnswer::Go { .. }
        ));
        assert_eq!(
            windows.reserve(&key(1, 10, Some("room-2")), wait),
            WindowAnswer::Go {
                after: Duration::ZERO
            }
        );
        assert_eq!(
            windows.reserve(&key(1, 10, Some("room-1")), wait),
            WindowAnswer::Full {
                frees_in: Duration::from_secs(10)
            }
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_room_s_log_is_dropped_once_its_calls_left_the_window() {
        let windows = InProcessWindows::default();
        let wait = Duration::from_secs(1);
        for room in ["room-1", "room-2"] {
            windows.reserve(&key(1, 10, Some(room)), wait);
        }
        assert_eq!(windows.logs.lock().expect("logs").len(), 2);
        tokio::time::advance(Duration::from_secs(10)).await;
        windows.reserve(&key(1, 10, Some("room-3")), wait);
        assert_eq!(
            windows.logs.lock().expect("logs").len(),
            1,
            "only room-3's log is left"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_day_s_cap_says_when_it_frees() {
        let windows = InProcessWindows::default();
        let day = key(2, 86_400, None);
        windows.reserve(&day, Duration::ZERO);
        tokio::time::advance(Duration::from_secs(3_600)).await;
        windows.reserve(&day, Duration::ZERO);
        assert_eq!(
            windows.reserve(&day, Duration::from_secs(60)),
            WindowAnswer::Full {
                frees_in: Duration::from_secs(82_800)
            }
        );
    }
}
