//! Limits over windows and per room, and the classes of return codes, through the generated
//! client of `tests/fixtures/specs/call_limits_and_codes.yaml` and the runtime's mock: a day's
//! cap refuses the call it has no room for and says when it frees; a room's limit counts each
//! room apart; a throttle is retried for any action and a cap never is; with a Redis server
//! (`.ci/run` starts one), two clients share the windows.

use std::sync::Arc;
use std::time::Duration;

use fixture_clients::call_limits_and_codes::codes::{ApiCode, ExceptionCode};
use fixture_clients::call_limits_and_codes::mock::{MockResponse, MockServer};
use fixture_clients::call_limits_and_codes::operations::{BROADCAST, QUERY_ROOM};
use fixture_clients::call_limits_and_codes::service::{Client, Error};
use fixture_clients::call_limits_and_codes::types::{BroadcastRequest, QueryRoomRequest};
use zego_cloudrecord::runtime::{RedisStore, RetryPolicy};

const SECRET: &str = "call-limits-secret";

async fn mock(app_id: u32) -> MockServer {
    MockServer::start(app_id, SECRET).await.expect("mock")
}

fn counted(mock: &MockServer) -> Client {
    mock.client_builder()
        .rate_limit_per_action()
        .build()
        .expect("client")
}

#[test]
fn the_descriptor_keeps_the_day_s_cap_beside_the_per_second_limit() {
    assert_eq!(BROADCAST.rate_limit, Some(5));
    assert_eq!(
        BROADCAST.call_limits.len(),
        1,
        "the test environment's is not kept"
    );
    assert_eq!(BROADCAST.call_limits[0].count, 2);
    assert_eq!(BROADCAST.call_limits[0].window, Duration::from_secs(86_400));
    assert_eq!(QUERY_ROOM.call_limits[0].key_field, Some("RoomId"));
}

#[tokio::test]
async fn a_day_s_cap_refuses_the_call_it_has_no_room_for_and_says_when_it_frees() {
    let mock = mock(1_001).await;
    let client = counted(&mock);
    let request = BroadcastRequest::new("hello");
    for _ in 0..2 {
        client.broadcast(&request).await.expect("within the cap");
    }
    let error = client.broadcast(&request).await.expect_err("over the cap");
    match &error {
        Error::CallLimitReached {
            action,
            limit,
            key,
            frees_in,
        } => {
            assert_eq!(*action, "Broadcast");
            assert_eq!(limit.count, 2);
            assert_eq!(*key, None);
            assert!(*frees_in > Duration::from_secs(86_000), "{frees_in:?}");
        }
        other => panic!("expected CallLimitReached, got {other:?}"),
    }
    let text = error.to_string();
    assert!(
        text.starts_with("Broadcast was not sent: its documented limit of 2 calls per 24 hours for the AppId is used up; a call fits again in 2"),
        "{text}"
    );
    assert!(!error.is_retryable());
    assert!(error.service_did_not_act());
    assert_eq!(mock.requests().len(), 2, "the refused call never left");
}

#[tokio::test]
async fn without_limits_per_action_nothing_is_counted() {
    let mock = mock(1_002).await;
    let client = mock.client().expect("client");
    for _ in 0..3 {
        client
            .broadcast(&BroadcastRequest::new("hello"))
            .await
            .expect("not counted");
    }
    assert_eq!(mock.requests().len(), 3);
}

#[tokio::test]
async fn a_room_s_limit_counts_each_room_apart() {
    let mock = mock(1_003).await;
    let client = mock
        .client_builder()
        .rate_limit_per_action()
        .call_limit_wait(Duration::ZERO)
        .build()
        .expect("client");
    client
        .query_room(&QueryRoomRequest::new("room-1"))
        .await
        .expect("first in room-1");
    client
        .query_room(&QueryRoomRequest::new("room-2"))
        .await
        .expect("room-2 has its own window");
    let error = client
        .query_room(&QueryRoomRequest::new("room-1"))
        .await
        .expect_err("room-1 again within 10 s");
    assert!(
        matches!(&error, Error::CallLimitReached { key: Some(room), .. } if room == "room-1"),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("1 call per 10 seconds for each RoomId (`room-1`)"),
        "{error}"
    );
}

#[tokio::test]
async fn a_throttle_is_retried_for_any_action_and_a_cap_never_is() {
    let mock = mock(1_004).await;
    let client = mock
        .client_builder()
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .expect("client");
    mock.respond_next(
        1,
        MockResponse::ApiError {
            code: ApiCode::Throttled,
            message: "too fast".to_owned(),
        },
    );
    client
        .broadcast(&BroadcastRequest::new("hello"))
        .await
        .expect("retried after the throttle, though Broadcast is not idempotent");
    assert_eq!(mock.requests().len(), 2);
    mock.respond_next(
        1,
        MockResponse::ApiError {
            code: ApiCode::DailyCapReached,
            message: "cap".to_owned(),
        },
    );
    let error = client
        .broadcast(&BroadcastRequest::new("hello"))
        .await
        .expect_err("a cap is final");
    assert_eq!(mock.requests().len(), 3, "not retried");
    assert!(
        error.to_string().contains(
            "code 8 (DailyCapReached), a cap counted over 24 hours: not retried, since trying again before that window has passed fails the same way"
        ),
        "{error}"
    );
    assert_eq!(
        ApiCode::DailyCapReached.resets_after(),
        Some(Duration::from_secs(86_400))
    );
    assert_eq!(ApiCode::Throttled.resets_after(), None);
}

#[test]
fn exception_codes_are_an_open_enum_of_their_own() {
    assert_eq!(ExceptionCode::from_wire_value(1001), ExceptionCode::General);
    assert_eq!(
        ExceptionCode::from_wire_value(42),
        ExceptionCode::Unknown(42)
    );
    assert_eq!(
        ExceptionCode::General.to_string(),
        "exception code 1001 (General)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_sharing_a_redis_store_share_the_day_s_cap() {
    let Some(url) = tests::util::redis_url() else {
        return;
    };
    let app_id = tests::util::fresh_app_id();
    let mock = mock(app_id).await;
    let store = Arc::new(RedisStore::connect(&url).await.expect("redis"));
    let client = |store: Arc<RedisStore>| {
        mock.client_builder()
            .shared_rate_limiter(store)
            .build()
            .expect("client")
    };
    let (first, second) = (client(store.clone()), client(store));
    let request = BroadcastRequest::new("hello");
    first.broadcast(&request).await.expect("1 of 2");
    second.broadcast(&request).await.expect("2 of 2");
    let error = first.broadcast(&request).await.expect_err("3 of 2");
    assert!(
        matches!(&error, Error::CallLimitReached { frees_in, .. } if *frees_in > Duration::from_secs(86_000)),
        "{error:?}"
    );
    assert_eq!(mock.requests().len(), 2);
}
