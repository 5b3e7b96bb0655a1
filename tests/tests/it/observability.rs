//! Each call is a `tracing` span with the operation, room, attempt count, outcome, return code,
//! `RequestId` and elapsed time; each attempt is a child span with its HTTP status.

use serde_json::json;
use tests::support::{single_stream_request, APP_ID, SERVER_SECRET};
use tests::util::CapturedLogs;
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zego_cloudrecord::Client;

#[tokio::test(flavor = "current_thread")]
async fn calls_and_attempts_are_spans_with_their_outcome() {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"Code": 0, "RequestId": "req-77", "Data": {"TaskId": "t"}})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"Code": 3, "Message": "auth", "RequestId": "req-78"})),
        )
        .mount(&server)
        .await;
    let client = Client::builder(APP_ID, SERVER_SECRET)
        .base_url(server.uri())
        .build()
        .expect("client");
    client
        .start_record(&single_stream_request())
        .await
        .expect("success");
    client
        .start_record(&single_stream_request())
        .await
        .expect_err("api error");

    let text = logs.text();
    let closes: Vec<&str> = text.lines().filter(|line| line.contains("close")).collect();
    let calls: Vec<&&str> = closes
        .iter()
        .filter(|line| line.contains("zego_request{") && !line.contains("zego_attempt{"))
        .collect();
    assert_eq!(calls.len(), 2, "{text}");
    for (line, expected) in calls.iter().zip([
        [
            "operation=\"StartRecord\"",
            "room_id=\"room-1\"",
            "attempts=1",
            "outcome=\"success\"",
            "code=0",
            "request_id=\"req-77\"",
        ],
        [
            "operation=\"StartRecord\"",
            "room_id=\"room-1\"",
            "attempts=1",
            "outcome=\"api_error\"",
            "code=3",
            "request_id=\"req-78\"",
        ],
    ]) {
        for field in expected {
            assert!(line.contains(field), "{field} missing from {line}");
        }
        assert!(line.contains("elapsed_ms="), "{line}");
    }
    let attempts = closes
        .iter()
        .filter(|line| {
            line.contains("zego_attempt{")
                && line.contains("attempt=1")
                && line.contains("status=200")
        })
        .count();
    assert_eq!(attempts, 2, "{text}");
}
