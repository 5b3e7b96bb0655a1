//! Facts ZEGOCLOUD states in words, read into numbers: call frequency limits (English and
//! Chinese) and the region a host serves.

/// The names ZEGOCLOUD's replies give the list of items a call failed for while it succeeded
/// for the others (25 of In-app Chat's English files use one of them).
pub const PARTIAL_FAILURE_LISTS: [&str; 7] = [
    "ErrorList",
    "ErrList",
    "FailList",
    "ErrorUsers",
    "Fails",
    "ErrKeyList",
    "UserFailList",
];

/// The partial-failure lists among an object schema's properties.
pub fn partial_failure_lists(properties: &serde_yaml::Mapping) -> Vec<serde_yaml::Value> {
    PARTIAL_FAILURE_LISTS
        .iter()
        .filter(|name| {
            properties
                .get(**name)
                .and_then(|property| property.get("type"))
                .and_then(serde_yaml::Value::as_str)
                == Some("array")
        })
        .map(|name| serde_yaml::Value::from(*name))
        .collect()
}

/// What an operation's text says about its call frequency.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Calls per second for all rooms of one AppId: enforced by the client's limiter.
    pub per_second: Option<u32>,
    /// Limits that are documented but not enforced: per room, per group, per minute, per
    /// day, counted in messages, or in the test environment.
    pub documented: Vec<DocumentedLimit>,
}

/// A documented limit the client does not keep yet, as data (`x-zego-call-limits`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentedLimit {
    /// What the limit is counted for: `app`, `room`, `group` or `test-environment`.
    pub scope: &'static str,
    pub count: u32,
    /// What is counted: `calls`, or `messages` (the messages a call asks for).
    pub counts: &'static str,
    /// The window, in seconds.
    pub window_seconds: u64,
}

impl DocumentedLimit {
    fn calls(scope: &'static str, count: u32, unit: &str) -> Self {
        Self {
            scope,
            count,
            counts: "calls",
            window_seconds: unit_seconds(unit),
        }
    }

    /// The limit as the spec records it.
    pub fn to_value(&self) -> serde_yaml::Value {
        let mut map = serde_yaml::Mapping::new();
        map.insert("scope".into(), self.scope.into());
        map.insert("count".into(), self.count.into());
        map.insert("counts".into(), self.counts.into());
        map.insert("window-seconds".into(), self.window_seconds.into());
        serde_yaml::Value::Mapping(map)
    }
}

/// `second`, `10 seconds`, `minute`, `day`, `24 hours` in seconds.
fn unit_seconds(unit: &str) -> u64 {
    let (count, word) = match unit.split_once(' ') {
        Some((count, word)) => (count.parse().unwrap_or(1), word),
        None => (1, unit),
    };
    let each = match word.trim_end_matches('s') {
        "minute" => 60,
        "hour" => 3_600,
        "day" => 86_400,
        _ => 1,
    };
    count * each
}

/// The limit in words, as the tests state what a text says.
#[cfg(test)]
impl std::fmt::Display for DocumentedLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scope = match self.scope {
            "room" => "one room",
            "group" => "one group",
            "test-environment" => "test environment",
            _ => "one AppId",
        };
        let window = match self.window_seconds {
            1 => "second".to_owned(),
            60 => "minute".to_owned(),
            86_400 => "day".to_owned(),
            seconds if seconds % 3_600 == 0 => format!("{} hours", seconds / 3_600),
            seconds => format!("{seconds} seconds"),
        };
        if self.counts == "messages" {
            write!(
                f,
                "{scope}: {} messages per {window}, counted in the messages a call asks for, not in calls",
                self.count
            )
        } else {
            write!(f, "{scope}: {} per {window}", calls(self.count))
        }
    }
}

#[cfg(test)]
impl PartialEq<&str> for DocumentedLimit {
    fn eq(&self, other: &&str) -> bool {
        self.to_string().as_str() == *other
    }
}

/// Reads the limits out of `text`. A segment about one room, a minute, a day or the test
/// environment is documented, never enforced; the first per-second figure for the AppId (or
/// stated without a scope) is the enforced one.
pub fn rate_limits(text: &str) -> RateLimits {
    let mut limits = RateLimits::default();
    let text = text.replace("\\:", ":");
    for line in text.lines() {
        read_line(line, &mut limits);
    }
    limits
}

/// Markers of a limit that holds for each group, not for the AppId (ZIM's "group-level limit").
const PER_GROUP: [&str; 5] = [
    "group-level",
    "group level",
    "per group",
    "群组级",
    "单个群组",
];

/// The limits one line states; a scope said anywhere on the line (ZIM writes "1 time/s,
/// group-level limit") holds for its figures.
fn read_line(line: &str, limits: &mut RateLimits) {
    let lower = line.to_lowercase();
    let per_group = PER_GROUP.iter().any(|marker| lower.contains(marker));
    let room_level = lower.contains("room-level") || lower.contains("room level");
    if let Some((count, hours)) = count_within_hours(&lower) {
        limits.documented.push(DocumentedLimit::calls(
            "app",
            count,
            &format!("{hours} hours"),
        ));
    }
    for raw_segment in split_segments(line) {
        let (segment, test_environment) = split_test_environment(&raw_segment);
        if let Some(test) = test_environment.and_then(|t| count_per(&t)) {
            limits
                .documented
                .push(DocumentedLimit::calls("test-environment", test.0, &test.1));
        }
        // "20 messages/second, not 20 times/second": the figure that is denied is no limit.
        if segment.to_lowercase().starts_with("not ") {
            continue;
        }
        if let Some(count) = messages_per_second(&segment) {
            limits.documented.push(DocumentedLimit {
                scope: "app",
                count,
                counts: "messages",
                window_seconds: 1,
            });
            continue;
        }
        let Some((count, unit)) = count_per(&segment) else {
            continue;
        };
        let per_room = ["single room", "单个房间", "per room"]
            .iter()
            .any(|marker| segment.to_lowercase().contains(marker))
            || room_level;
        if per_group {
            limits
                .documented
                .push(DocumentedLimit::calls("group", count, &unit));
        } else if per_room {
            limits
                .documented
                .push(DocumentedLimit::calls("room", count, &unit));
        } else if unit == "second" && limits.per_second.is_none() {
            limits.per_second = Some(count);
        } else {
            limits
                .documented
                .push(DocumentedLimit::calls("app", count, &unit));
        }
    }
}

/// `N messages/second`: a limit counted in messages (ZIM's QueryMessagesByMsgSeq).
fn messages_per_second(segment: &str) -> Option<u32> {
    let lower = segment.to_lowercase();
    let (before, after) = lower.split_once("messages/")?;
    if !after.starts_with('s') {
        return None;
    }
    before.split_whitespace().last()?.parse().ok()
}

/// `limited to N times within H hours`: a limit over a window of hours.
fn count_within_hours(lower: &str) -> Option<(u32, u32)> {
    let (before, after) = lower.split_once(" within ")?;
    let count = before
        .trim_end()
        .strip_suffix("times")
        .or_else(|| before.trim_end().strip_suffix("calls"))?
        .split_whitespace()
        .last()?
        .parse()
        .ok()?;
    let mut words = after.split_whitespace();
    let hours = words.next()?.parse().ok()?;
    words.next()?.starts_with("hour").then_some((count, hours))
}

#[cfg(test)]
fn calls(count: u32) -> String {
    if count == 1 {
        "1 call".to_owned()
    } else {
        format!("{count} calls")
    }
}

fn split_segments(text: &str) -> Vec<String> {
    text.split([';', '；', ',', '，', '\n', '。'])
        .map(str::trim)
        .filter(|segment| !segment.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A segment without its "(test environment: …)" part, and that part.
fn split_test_environment(segment: &str) -> (String, Option<String>) {
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(start) = segment.find(open) {
            let inner_start = start + open.len_utf8();
            let end = segment[inner_start..]
                .find(close)
                .map_or(segment.len(), |offset| inner_start + offset);
            let inner = &segment[inner_start..end];
            let lower = inner.to_lowercase();
            if lower.contains("test") || inner.contains("测试") {
                let rest_start = (end + close.len_utf8()).min(segment.len());
                let outside = format!("{}{}", &segment[..start], &segment[rest_start..]);
                return (outside, Some(inner.to_owned()));
            }
        }
    }
    (segment.to_owned(), None)
}

/// `N times/second`, `N requests/second`, `N 次/秒`, `1 time/10 seconds`, `3 次/分`: the count
/// and the unit (`second`, `10 seconds`, `minute`, `day`).
fn count_per(segment: &str) -> Option<(u32, String)> {
    let lower = segment.to_lowercase();
    let slash = lower.find('/')?;
    let before = lower[..slash].trim_end();
    let digits_end = before
        .char_indices()
        .rfind(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i + 1)?;
    let digits_start = before[..digits_end]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i)?;
    let count: u32 = before[digits_start..digits_end].parse().ok()?;
    let word = before[digits_end..].trim();
    if ![
        "time", "times", "request", "requests", "call", "calls", "次",
    ]
    .contains(&word)
    {
        return None;
    }
    let after = lower[slash + 1..].trim_start();
    let every: String = after.chars().take_while(char::is_ascii_digit).collect();
    let rest = after[every.len()..].trim_start();
    let unit = if rest.starts_with("second") || rest.starts_with('秒') || rest.starts_with('s') {
        "second"
    } else if rest.starts_with("minute") || rest.starts_with('分') {
        "minute"
    } else if rest.starts_with("day") || rest.starts_with('天') {
        "day"
    } else {
        return None;
    };
    match every.parse::<u32>() {
        Ok(n) if n > 1 => Some((count, format!("{n} {unit}s"))),
        _ => Some((count, unit.to_owned())),
    }
}

/// The `x-zego-region` name of a ZEGOCLOUD host, from its suffix (`rtc-api-sha.zego.im` is
/// Shanghai); `None` for the unified host.
pub fn region(url: &str) -> Option<&'static str> {
    let host = url.split("://").nth(1).unwrap_or(url);
    let first_label = host.split('.').next().unwrap_or(host);
    let suffix = first_label.rsplit('-').next()?;
    match suffix {
        "sha" => Some("Shanghai"),
        "hkg" => Some("HongKong"),
        "fra" => Some("Frankfurt"),
        "lax" => Some("California"),
        "bom" => Some("Mumbai"),
        "sgp" => Some("Singapore"),
        _ => None,
    }
}

/// A host's service, without its region: `https://docs-api-sha.zego.im` is `docs-api.zego.im`.
pub fn service_stem(url: &str) -> String {
    let host = url.split("://").nth(1).unwrap_or(url);
    let (first_label, rest) = host.split_once('.').unwrap_or((host, ""));
    let stem = match region(url) {
        Some(_) => first_label
            .rsplit_once('-')
            .map_or(first_label, |(stem, _)| stem),
        None => first_label,
    };
    format!("{stem}.{rest}")
}

/// What the region's host serves, in our words.
pub fn region_description(region: Option<&str>) -> &'static str {
    match region {
        None => "Unified entry point, any region (the default).",
        Some("Shanghai") => "Mainland China (Shanghai).",
        Some("HongKong") => "Hong Kong, Macau and Taiwan (Hong Kong).",
        Some("Frankfurt") => "Europe (Frankfurt).",
        Some("California") => "Western United States (California).",
        Some("Mumbai") => "Asia-Pacific (Mumbai).",
        Some("Singapore") => "Southeast Asia (Singapore).",
        Some(_) => "A regional host.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_limits_with_their_scopes() {
        let limits = rate_limits("Call frequency limit: 20 times/second");
        assert_eq!(limits.per_second, Some(20));
        let limits = rate_limits(
            "All rooms under the same AppID: 200 times/second; Single room: 1 time/1 second",
        );
        assert_eq!(limits.per_second, Some(200));
        assert_eq!(limits.documented, ["one room: 1 call per second"]);
        let limits = rate_limits(
            "For all rooms under the same AppID: 10 times/second (test environment: 5 times/second)",
        );
        assert_eq!(limits.per_second, Some(10));
        assert_eq!(limits.documented, ["test environment: 5 calls per second"]);
        let limits =
            rate_limits("Rate limit\\: 50 requests/second (Test environment\\: 1 request/second).");
        assert_eq!(limits.per_second, Some(50));
        let limits = rate_limits(
            "All rooms under the same AppID are limited to 50 times/second; Single Room: 1 time/10 seconds",
        );
        assert_eq!(limits.documented, ["one room: 1 call per 10 seconds"]);
    }

    #[test]
    fn chinese_limits_with_their_scopes() {
        let limits = rate_limits("调用频率限制：50 次/秒（测试环境：1 次/秒）。");
        assert_eq!(limits.per_second, Some(50));
        assert_eq!(limits.documented, ["test environment: 1 call per second"]);
        let limits = rate_limits("调用频率限制（同一 AppID）：3 次/分，480 次/天");
        assert_eq!(limits.per_second, None);
        assert_eq!(
            limits.documented,
            [
                "one AppId: 3 calls per minute",
                "one AppId: 480 calls per day"
            ]
        );
        let limits = rate_limits("同一个 AppID 下所有房间：50 次/秒; 单个房间：1 次/10秒");
        assert_eq!(limits.per_second, Some(50));
        assert_eq!(limits.documented, ["one room: 1 call per 10 seconds"]);
    }

    #[test]
    fn zim_notes_with_their_scopes() {
        let group = rate_limits("<Note title=\"QPS Limit\"> 1 time/s, group-level limit. If you need to adjust this limit, contact us.</Note>");
        assert_eq!(group.per_second, None);
        assert_eq!(group.documented, ["one group: 1 call per second"]);
        let overview_row = rate_limits("1 time/second, group level limit");
        assert_eq!(overview_row.per_second, None);
        assert_eq!(overview_row.documented, ["one group: 1 call per second"]);
        let room = rate_limits("<Note title=\"QPS Limit\"> 5 times/s, room-level limit</Note>");
        assert_eq!(room.per_second, None);
        assert_eq!(room.documented, ["one room: 5 calls per second"]);
        assert_eq!(
            room.documented[0].to_value(),
            serde_yaml::from_str::<serde_yaml::Value>(
                "{scope: room, count: 5, counts: calls, window-seconds: 1}"
            )
            .expect("yaml")
        );
        let broadcast = rate_limits("<Note title=\"QPS Limit\"> 1 time/s, limited to 100 times within 24 hours. If you need to adjust, contact us.</Note>");
        assert_eq!(broadcast.per_second, Some(1));
        assert_eq!(broadcast.documented, ["one AppId: 100 calls per day"]);
        assert_eq!(broadcast.documented[0].window_seconds, 86_400);
        let messages = rate_limits("<Warning title=\"Warning\">The frequency limit of this API is 20 messages/second, not 20 times/second.</Warning>");
        assert_eq!(messages.per_second, None);
        assert_eq!(
            messages.documented,
            ["one AppId: 20 messages per second, counted in the messages a call asks for, not in calls"]
        );
    }

    #[test]
    fn text_without_a_limit_has_none() {
        assert_eq!(rate_limits("Starts a task."), RateLimits::default());
    }

    #[test]
    fn regions_come_from_host_suffixes() {
        assert_eq!(region("https://rtc-api-sha.zego.im"), Some("Shanghai"));
        assert_eq!(region("https://rtc-api.zego.im"), None);
        assert_eq!(
            region("https://aigc-aiagent-api-sgp.zegotech.cn"),
            Some("Singapore")
        );
    }
}
