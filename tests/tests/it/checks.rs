//! The way around the checks: advisory findings are warnings, never refusals; `Checks::Warn`
//! and `Checks::Off` per client or per call; `allow` for a rule the caller expects.

use tests::support::single_stream_request;
use zego_cloudrecord::mock::MockServer;
use zego_cloudrecord::{ApiCode, Checks, Client, Error};

const APP_ID: u32 = 1_234_567_890;
const SECRET: &str = "checks-secret";

#[tokio::test]
async fn advisory_findings_are_sent_with_warnings() {
    let mock = MockServer::start(APP_ID, SECRET).await.expect("mock");
    let mut request = single_stream_request();
    request.record_input_params.max_record_time = Some(172_800);
    let response = mock
        .client()
        .expect("client")
        .start_record(&request)
        .await
        .expect("advisory findings never refuse a request");
    let rules: Vec<&str> = response.warnings.iter().map(|w| w.rule).collect();
    assert_eq!(rules, ["max-record-time-beyond-24-hours"]);
    assert_eq!(mock.requests().len(), 1);

    let allowed = Client::builder(APP_ID, SECRET)
        .base_url(mock.url())
        .allow("max-record-time-beyond-24-hours")
        .build()
        .expect("client");
    let response = allowed.start_record(&request).await.expect("sent");
    assert!(
        response.warnings.is_empty(),
        "an allowed rule is not reported"
    );
}

#[tokio::test]
async fn strict_refuses_warn_sends_and_off_checks_nothing() {
    let mock = MockServer::start(APP_ID, SECRET).await.expect("mock");
    let client = mock.client().expect("client");
    assert_eq!(client.checks(), Checks::Strict);
    let mut request = single_stream_request();
    request.record_input_params.max_idle_time = Some(1);

    let refused = client.start_record(&request).await.expect_err("refused");
    assert!(matches!(refused, Error::Validation(_)), "{refused:?}");
    assert!(mock.requests().is_empty(), "nothing was sent");

    // Warn: sent anyway, with the finding as a warning; here the service (mock) refuses it.
    let sent = client
        .with_checks(Checks::Warn)
        .start_record(&request)
        .await
        .expect_err("the mock refuses what the docs say the service refuses");
    assert!(
        matches!(
            sent,
            Error::Api {
                code: ApiCode::InvalidParameter,
                ..
            }
        ),
        "{sent:?}"
    );
    assert_eq!(mock.requests().len(), 1);

    let off = client.with_checks(Checks::Off);
    let dry_run = off
        .dry_run(&zego_cloudrecord::operations::START_RECORD, &request)
        .expect("unchecked");
    assert!(dry_run.warnings.is_empty());
    assert_eq!(
        client.checks(),
        Checks::Strict,
        "the original handle keeps its checks"
    );

    let warn_client = Client::builder(APP_ID, SECRET)
        .base_url(mock.url())
        .checks(Checks::Warn)
        .build()
        .expect("client");
    let dry_run = warn_client
        .dry_run(&zego_cloudrecord::operations::START_RECORD, &request)
        .expect("warnings only");
    let rules: Vec<&str> = dry_run.warnings.iter().map(|w| w.rule).collect();
    assert_eq!(rules, ["minimum"]);
}
