//! Opt-in retries that can never start two recordings, and the client-side rate limiter.
//! Time is tokio's paused clock: backoffs and spacing are checked without sleeping.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};
use tests::fault_server::{http_response, FaultServer, Step};
use tests::support::{expected_signature, single_stream_request, APP_ID, SERVER_SECRET};
use tokio::time::Instant;
use zego_cloudrecord::runtime::RateLimiter;
use zego_cloudrecord::types::{DescribeRecordStatusRequest, StopRecordRequest};
use zego_cloudrecord::{ApiCode, Client, Error, GatewayCode, RetryPolicy};

fn ok_response() -> Vec<u8> {
    let body = json!({"Code": 0, "RequestId": "r", "Data": {"TaskId": "task-1"}}).to_string();
    http_response("200 OK", "application/json", body.as_bytes())
}

fn status(line: &str) -> Vec<u8> {
    http_response(line, "text/plain", b"try later")
}

/// A client without timers of its own (no request timeout, no idle pool), so that tokio's
/// paused clock only moves for the client's backoff and rate-limit waits.
fn client(url: &str, policy: Option<RetryPolicy>) -> Client {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .expect("reqwest client");
    let mut builder = Client::builder(APP_ID, SERVER_SECRET)
        .base_url(url)
        .http_client(http);
    if let Some(policy) = policy {
        builder = builder.retry(policy);
    }
    builder.build().expect("client")
}

fn client_task_ids(server: &FaultServer) -> Vec<Option<String>> {
    server
        .bodies()
        .iter()
        .map(|body| {
            let body: Value = serde_json::from_slice(body).expect("JSON body");
            body["RecordInputParams"]["ClientTaskId"]
                .as_str()
                .map(str::to_owned)
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn two_failures_then_success_is_one_task_with_three_signatures() {
    let server = FaultServer::start(|n| match n {
        0 => vec![
            Step::ReadRequest,
            Step::Write(status("503 Service Unavailable")),
        ],
        1 => vec![Step::ReadRequest, Step::Reset],
        _ => vec![Step::ReadRequest, Step::Write(ok_response())],
    })
    .await;
    let client = client(&server.url(), Some(RetryPolicy::default()));
    let response = client
        .start_record(&single_stream_request())
        .await
        .expect("third attempt succeeds");
    assert_eq!(response.data.task_id.as_deref(), Some("task-1"));
    assert_eq!(server.connections(), 3);

    let ids = client_task_ids(&server);
    assert_eq!(ids.len(), 3);
    let first = ids[0].clone().expect("the client filled in a ClientTaskId");
    assert_eq!(first.len(), 32);
    assert!(
        first
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
        "{first}"
    );
    assert!(
        ids.iter().all(|id| id.as_deref() == Some(first.as_str())),
        "same key on every attempt: {ids:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn every_attempt_is_signed_anew() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(json!({"Code": 0, "Data": {"TaskId": "t"}})),
        )
        .mount(&server)
        .await;
    client(&server.uri(), Some(RetryPolicy::default()))
        .start_record(&single_stream_request())
        .await
        .expect("success");
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 3);
    let mut signatures = BTreeSet::new();
    let mut task_ids = BTreeSet::new();
    for request in &requests {
        let query: std::collections::BTreeMap<String, String> =
            request.url.query_pairs().into_owned().collect();
        let timestamp: i64 = query["Timestamp"].parse().expect("timestamp");
        assert_eq!(
            query["Signature"],
            expected_signature(APP_ID, &query["SignatureNonce"], SERVER_SECRET, timestamp)
        );
        signatures.insert(query["Signature"].clone());
        let body: Value = serde_json::from_slice(&request.body).expect("JSON");
        task_ids.insert(
            body["RecordInputParams"]["ClientTaskId"]
                .as_str()
                .map(str::to_owned),
        );
    }
    assert_eq!(signatures.len(), 3, "three distinct signatures");
    assert_eq!(task_ids.len(), 1, "one logical task");
}

#[tokio::test(start_paused = true)]
async fn a_caller_set_client_task_id_is_kept() {
    let server = FaultServer::start(|n| {
        let response = if n == 0 {
            status("429 Too Many Requests")
        } else {
            ok_response()
        };
        vec![Step::ReadRequest, Step::Write(response)]
    })
    .await;
    let mut request = single_stream_request();
    request.record_input_params.client_task_id = Some("my-task".to_owned());
    client(&server.url(), Some(RetryPolicy::default()))
        .start_record(&request)
        .await
        .expect("success");
    assert_eq!(
        client_task_ids(&server),
        vec![Some("my-task".to_owned()); 2]
    );
}

#[tokio::test(start_paused = true)]
async fn transient_api_codes_are_retried_and_others_are_not() {
    let limited = json!({"Code": 300000003, "Message": "too fast"}).to_string();
    let expired = json!({"Code": 100000004, "Message": "signature expired"}).to_string();
    let ended = json!({"Code": 300001001, "Message": "task ended"}).to_string();
    let wrong = json!({"Code": 100000005, "Message": "signature wrong"}).to_string();
    let cases = [
        (limited, 3, ApiCode::RateLimited),
        (expired, 3, ApiCode::Gateway(GatewayCode::SignatureExpired)),
        (ended, 1, ApiCode::TaskAlreadyEnded),
        (wrong, 1, ApiCode::Gateway(GatewayCode::SignatureWrong)),
    ];
    for (body, attempts, code) in cases {
        let server =
            FaultServer::answering(http_response("200 OK", "application/json", body.as_bytes()))
                .await;
        let error = client(&server.url(), Some(RetryPolicy::default()))
            .start_record(&single_stream_request())
            .await
            .expect_err("fails");
        assert!(
            matches!(error, Error::Api { code: c, .. } if c == code),
            "{error:?}"
        );
        assert_eq!(server.connections(), attempts, "{code:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn client_errors_and_failures_after_a_response_are_not_retried() {
    let partial = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"Code\":".to_vec();
    let scripts: [Vec<Step>; 3] = [
        vec![Step::ReadRequest, Step::Write(status("400 Bad Request"))],
        vec![Step::ReadRequest, Step::Write(partial), Step::Reset],
        vec![
            Step::ReadRequest,
            Step::Write(http_response("200 OK", "application/json", b"{not json")),
        ],
    ];
    for script in scripts {
        let server = FaultServer::start(move |_| script.clone()).await;
        let error = client(&server.url(), Some(RetryPolicy::default()))
            .start_record(&single_stream_request())
            .await
            .expect_err("fails");
        assert_eq!(server.connections(), 1, "not retried: {error:?}");
    }
}

/// Read-only actions (`x-zego-safe-to-retry`) are repeated; an action that changes a task and
/// has no idempotency key is sent once, untouched.
#[tokio::test(start_paused = true)]
async fn read_only_actions_are_retried_and_unkeyed_writes_are_not() {
    let script = |n| match n {
        0 => vec![
            Step::ReadRequest,
            Step::Write(status("503 Service Unavailable")),
        ],
        _ => vec![Step::ReadRequest, Step::Write(ok_response())],
    };
    let server = FaultServer::start(script).await;
    client(&server.url(), Some(RetryPolicy::default()))
        .describe_record_status(&DescribeRecordStatusRequest::new("task-1"))
        .await
        .expect("the second attempt succeeds");
    assert_eq!(server.connections(), 2);

    let server = FaultServer::start(script).await;
    let error = client(&server.url(), Some(RetryPolicy::default()))
        .stop_record(&StopRecordRequest::new("task-1"))
        .await
        .expect_err("not retried");
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(server.connections(), 1);
    let body: Value = serde_json::from_slice(&server.bodies()[0]).expect("JSON body");
    assert_eq!(body, json!({"TaskId": "task-1"}));
}

#[tokio::test(start_paused = true)]
async fn without_a_policy_nothing_is_retried_or_added() {
    let server = FaultServer::answering(status("503 Service Unavailable")).await;
    let error = client(&server.url(), None)
        .start_record(&single_stream_request())
        .await
        .expect_err("fails");
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(server.connections(), 1);
    assert_eq!(client_task_ids(&server), vec![None]);
}

#[tokio::test(start_paused = true)]
async fn the_time_cap_is_honoured() {
    let server = FaultServer::answering(status("503 Service Unavailable")).await;
    let policy = RetryPolicy::default()
        .max_attempts(1000)
        .initial_backoff(Duration::from_secs(1))
        .max_backoff(Duration::from_secs(4))
        .max_elapsed(Duration::from_secs(20));
    let started = Instant::now();
    let error = client(&server.url(), Some(policy))
        .start_record(&single_stream_request())
        .await
        .expect_err("gives up");
    let elapsed = started.elapsed();
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "the last error is returned: {error:?}"
    );
    assert!(elapsed <= Duration::from_secs(20), "{elapsed:?}");
    assert!(
        server.connections() > 3 && server.connections() < 1000,
        "{} attempts",
        server.connections()
    );
}

#[tokio::test(start_paused = true)]
async fn max_attempts_is_honoured() {
    let server = FaultServer::answering(status("502 Bad Gateway")).await;
    let policy = RetryPolicy::default().max_attempts(5);
    client(&server.url(), Some(policy))
        .start_record(&single_stream_request())
        .await
        .expect_err("gives up");
    assert_eq!(server.connections(), 5);
}

#[tokio::test(start_paused = true)]
async fn the_rate_limiter_spaces_a_burst() {
    let limiter = std::sync::Arc::new(RateLimiter::per_second(50));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..120 {
        let limiter = limiter.clone();
        tasks.push(tokio::spawn(async move {
            limiter.acquire().await;
            Instant::now()
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.push(task.await.expect("task"));
    }
    times.sort();
    for window in times.windows(51) {
        assert!(
            window[50] - window[0] >= Duration::from_secs(1),
            "51 calls within one second"
        );
    }
    assert_eq!(times[119] - started, Duration::from_millis(20) * 119);
}

#[tokio::test(start_paused = true)]
async fn clones_share_one_rate_limit() {
    let server = FaultServer::answering(ok_response()).await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("reqwest");
    let client = Client::builder(APP_ID, SERVER_SECRET)
        .base_url(server.url())
        .http_client(http)
        .rate_limit(10)
        .build()
        .expect("client");
    let started = Instant::now();
    let calls: Vec<_> = (0..25)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .start_record(&single_stream_request())
                    .await
                    .map(|_| ())
            })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("call");
    }
    assert!(
        started.elapsed() >= Duration::from_millis(2400),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.connections(), 25);
}

/// A throttled call (300000003, HTTP 429) was never carried out, so it is retried for every
/// action, StopRecord included; a call whose outcome is unknown (HTTP 5xx, a timeout after
/// sending) is retried only when idempotent.
#[tokio::test(start_paused = true)]
async fn throttled_calls_are_retried_for_every_action() {
    let limited = json!({"Code": 300000003, "Message": "too fast"}).to_string();
    for first in [
        http_response("200 OK", "application/json", limited.as_bytes()),
        status("429 Too Many Requests"),
    ] {
        let script = move |n| match n {
            0 => vec![Step::ReadRequest, Step::Write(first.clone())],
            _ => vec![Step::ReadRequest, Step::Write(ok_response())],
        };
        let server = FaultServer::start(script).await;
        client(&server.url(), Some(RetryPolicy::default()))
            .stop_record(&StopRecordRequest::new("task-1"))
            .await
            .expect("retried after the throttled attempt");
        assert_eq!(server.connections(), 2);
    }
    assert!(ApiCode::RateLimited.answered_before_acting());
    assert!(!ApiCode::InternalError.answered_before_acting());
}

#[tokio::test(start_paused = true)]
async fn a_connection_refused_is_retried_for_every_action() {
    // A port nothing listens on: the request never left, so repeating it is safe.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);
    let error = client(&url, Some(RetryPolicy::default().max_attempts(2)))
        .stop_record(&StopRecordRequest::new("task-1"))
        .await
        .expect_err("nobody listens");
    assert!(error.service_did_not_act(), "{error:?}");
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: zego_cloudrecord::runtime::TransportErrorKind::Connect,
                ..
            }
        ),
        "{error:?}"
    );
}
