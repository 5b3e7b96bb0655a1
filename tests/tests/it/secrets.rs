//! A canary ServerSecret and canary storage secrets must never appear in `Debug`, `Display`,
//! error chains, dry runs or TRACE-level logs.

use serde_json::json;
use tests::support::{storage, FixedClock, FixedNonce, APP_ID, SERVER_SECRET, STORAGE_SECRET};
use tests::util::CapturedLogs;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zego_cloudrecord::types::{StartRecordRequest, Vendor};
use zego_cloudrecord::{operations, Client, Error, RetryPolicy};

const CANARIES: [&str; 2] = [SERVER_SECRET, STORAGE_SECRET];

fn assert_clean(what: &str, text: &str) {
    for canary in CANARIES {
        assert!(!text.contains(canary), "{what} leaks a secret:\n{text}");
    }
}

/// Everything an error shows: `Debug`, `Display` and each source's `Display`.
fn error_text(error: &Error) -> String {
    let mut text = format!("{error:?}\n{error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

fn requests_with_every_secret() -> Vec<StartRecordRequest> {
    (1..=10)
        .map(|vendor| {
            StartRecordRequest::single_stream("room", storage(Vendor::from_wire_value(vendor)))
        })
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn canaries_never_leak() {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    let bodies = [
        ResponseTemplate::new(200)
            .set_body_json(json!({"Code": 0, "RequestId": "r", "Data": {"TaskId": "t"}})),
        ResponseTemplate::new(200).set_body_json(
            json!({"Code": 3, "Message": "authentication failed", "RequestId": "r"}),
        ),
        ResponseTemplate::new(500).set_body_string("boom"),
        ResponseTemplate::new(200).set_body_string("{not json"),
        ResponseTemplate::new(200).set_body_json(json!({"Code": 0})),
    ];
    let builder = Client::builder(APP_ID, SERVER_SECRET)
        .base_url(server.uri())
        .clock(FixedClock)
        .nonce_source(FixedNonce);
    assert_clean("ClientBuilder Debug", &format!("{builder:?}"));
    let client = builder.build().expect("client");
    assert_clean("Client Debug", &format!("{client:?}"));

    let mut seen = Vec::new();
    for template in bodies {
        server.reset().await;
        Mock::given(method("POST"))
            .respond_with(template)
            .mount(&server)
            .await;
        for request in requests_with_every_secret() {
            assert_clean("request Debug", &format!("{request:?}"));
            let dry_run = client
                .dry_run(&operations::START_RECORD, &request)
                .expect("dry run");
            assert_clean("dry run", &format!("{dry_run}\n{dry_run:?}"));
            assert!(dry_run.to_string().contains("Signature="), "{dry_run}");
            match client.start_record(&request).await {
                Ok(response) => assert_clean("response", &format!("{response:?}")),
                Err(error) => {
                    assert_clean("error", &error_text(&error));
                    seen.push(std::mem::discriminant(&error));
                }
            }
        }
    }
    // Validation and transport failures too.
    let invalid = StartRecordRequest::single_stream(
        "room",
        zego_cloudrecord::types::StorageParams::new(Vendor::AmazonS3)
            .with_access_key_secret(STORAGE_SECRET),
    );
    let error = client.start_record(&invalid).await.expect_err("invalid");
    assert_clean("validation error", &error_text(&error));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = closed.local_addr().expect("address");
    drop(closed);
    let offline = Client::builder(APP_ID, SERVER_SECRET)
        .base_url(format!("http://{address}"))
        .build()
        .expect("client");
    let error = offline
        .start_record(&requests_with_every_secret()[0])
        .await
        .expect_err("refused");
    assert_clean("transport error", &error_text(&error));
    assert!(seen.len() >= 3, "the error paths ran");

    // A call that is retried twice (the retry path logs the failed attempts).
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"Code": 0, "Data": {"TaskId": "t"}})),
        )
        .mount(&server)
        .await;
    let retrying = Client::builder(APP_ID, SERVER_SECRET)
        .base_url(server.uri())
        .retry(RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(1)))
        .build()
        .expect("client");
    assert_clean("retrying Client Debug", &format!("{retrying:?}"));
    let response = retrying
        .start_record(&requests_with_every_secret()[9])
        .await
        .expect("third attempt succeeds");
    assert_clean("response", &format!("{response:?}"));
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        3
    );

    let captured = logs.text();
    assert!(
        captured.contains("zego_request"),
        "the client logs at TRACE:\n{captured}"
    );
    assert_clean("TRACE logs", &captured);
}
