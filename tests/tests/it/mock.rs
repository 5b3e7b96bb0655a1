//! The generated crate's `mock` feature: a local fake of the service that downstream tests
//! start in one line. Used here as a downstream crate would.

use std::time::Duration;

use tests::support::{expected_signature, mixed_request, single_stream_request};
use zego_cloudrecord::mock::{MockResponse, MockServer};
use zego_cloudrecord::runtime::TransportErrorKind;
use zego_cloudrecord::{ApiCode, Client, Error, GatewayCode};

const APP_ID: u32 = 4_242_424_242;
const SECRET: &str = "mock-test-secret";

#[tokio::test]
async fn succeeds_by_default_and_records_every_request() {
    let mock = MockServer::start(APP_ID, SECRET)
        .await
        .expect("mock starts");
    let client = mock.client().expect("client");
    let first = client
        .start_record(&single_stream_request())
        .await
        .expect("success");
    let second = client
        .start_record(&mixed_request())
        .await
        .expect("success");
    assert_eq!(first.data.task_id.as_deref(), Some("mock000000000001"));
    assert_eq!(second.data.task_id.as_deref(), Some("mock000000000002"));
    assert_eq!(first.request_id.as_deref(), Some("mock-request-1"));

    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.signature_valid
        && r.violations.is_empty()
        && r.response == MockResponse::Success));
    assert_eq!(requests[0].action.as_deref(), Some("StartRecord"));
    assert_eq!(requests[1].body["RecordInputParams"]["RecordMode"], 2);
    assert!(!format!("{mock:?}").contains(SECRET));
    let recorded = format!("{requests:?}");
    assert!(
        !recorded.contains("canary") && !recorded.contains(SECRET),
        "{recorded}"
    );
}

#[tokio::test]
async fn answers_as_programmed_for_the_next_calls() {
    let mock = MockServer::start(APP_ID, SECRET)
        .await
        .expect("mock starts");
    mock.respond_next(
        2,
        MockResponse::ApiError {
            code: ApiCode::RateLimited,
            message: "slow down".to_owned(),
        },
    );
    mock.respond_next(1, MockResponse::HttpStatus(503));
    let client = mock.client().expect("client");
    for _ in 0..2 {
        let error = client
            .start_record(&single_stream_request())
            .await
            .expect_err("rate limited");
        assert!(
            matches!(
                error,
                Error::Api {
                    code: ApiCode::RateLimited,
                    ..
                }
            ),
            "{error:?}"
        );
    }
    let error = client
        .start_record(&single_stream_request())
        .await
        .expect_err("503");
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    client
        .start_record(&single_stream_request())
        .await
        .expect("back to success");
}

#[tokio::test]
async fn a_programmed_delay_trips_the_client_timeout() {
    let mock = MockServer::start(APP_ID, SECRET)
        .await
        .expect("mock starts");
    mock.respond_next(1, MockResponse::Delay(Duration::from_secs(5)));
    let client = Client::builder(APP_ID, SECRET)
        .base_url(mock.url())
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let error = client
        .start_record(&single_stream_request())
        .await
        .expect_err("timeout");
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportErrorKind::Timeout,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_wrong_secret_is_refused_like_the_service_does() {
    let mock = MockServer::start(APP_ID, SECRET)
        .await
        .expect("mock starts");
    let client = Client::builder(APP_ID, "not-the-secret")
        .base_url(mock.url())
        .build()
        .expect("client");
    let error = client
        .start_record(&single_stream_request())
        .await
        .expect_err("refused");
    assert!(
        matches!(
            error,
            Error::Api {
                code: ApiCode::Gateway(GatewayCode::SignatureWrong),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!mock.requests()[0].signature_valid);
}

#[tokio::test]
async fn invalid_bodies_are_refused_with_the_generated_validation() {
    let mock = MockServer::start(APP_ID, SECRET)
        .await
        .expect("mock starts");
    // A client that skips validation: raw reqwest with a correct signature.
    let nonce = "00112233445566ff";
    let timestamp = 1_700_000_000_i64;
    let signature = expected_signature(APP_ID, nonce, SECRET, timestamp);
    let url = format!(
        "{}/?Action=StartRecord&AppId={APP_ID}&SignatureNonce={nonce}&Timestamp={timestamp}&Signature={signature}&SignatureVersion=2.0",
        mock.url()
    );
    let body = serde_json::json!({"RoomId": "r", "RecordInputParams": {"RecordMode": 2, "MaxIdleTime": 1}, "StorageParams": {"Vendor": 1}});
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("sent");
    let answer: serde_json::Value =
        serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON");
    assert_eq!(answer["Code"], 300_000_004, "{answer}");
    let recorded = &mock.requests()[0];
    assert!(recorded.signature_valid);
    let rules: Vec<&str> = recorded.violations.iter().map(|v| v.rule).collect();
    assert!(
        rules.contains(&"minimum") && rules.contains(&"mix-config-required-for-mixed-mode"),
        "{rules:?}"
    );
}
