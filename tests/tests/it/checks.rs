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

/// Warnings stay on every outcome: a call sent with findings that then fails carries them.
#[tokio::test]
async fn warnings_are_kept_when_the_call_fails() {
    let mock = zego_cloudrecord::mock::MockServer::start(1234567890, "secret")
        .await
        .expect("mock");
    let client = mock.client().expect("client");
    let request = zego_cloudrecord::types::UpdateLayoutRequest::new("no-such-task")
        .with_mix_input_list(vec![zego_cloudrecord::types::MixInput::stream_view(
            "host",
            zego_cloudrecord::Rect::at(0, 0, 10, 10),
            1,
        )]);
    let error = client.update_layout(&request).await.expect_err("no task");
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    let rules: Vec<&str> = error.warnings().iter().map(|w| w.rule).collect();
    assert_eq!(
        rules,
        [zego_cloudrecord::rule_ids::LAYOUT_VIEWS_WITHOUT_MIX_MODE]
    );

    // Refused under Strict: the advisory finding is kept beside the violations.
    let mut both = request.clone();
    both.mix_input_list = Some(vec![zego_cloudrecord::types::MixInput::covering(
        zego_cloudrecord::Rect {
            left: 20,
            top: 0,
            right: 10,
            bottom: 10,
        },
        1,
    )]);
    let refused = client
        .update_layout(&both)
        .await
        .expect_err("crossed edges");
    let Error::Validation(validation) = &refused else {
        panic!("{refused:?}");
    };
    assert_eq!(validation.violations()[0].rule, "view-left-not-past-right");
    assert_eq!(refused.warnings().len(), 1);
}

#[test]
fn configuration_mistakes_are_errors_that_say_what_to_do() {
    let unknown = Client::builder(1, "secret")
        .allow("max-record-time-beyond-24h")
        .build()
        .expect_err("misspelt rule id");
    let message = unknown.to_string();
    assert!(
        matches!(unknown, Error::Configuration { .. }),
        "{unknown:?}"
    );
    assert!(
        message.contains("max-record-time-beyond-24-hours"),
        "lists the known ids: {message}"
    );
    assert!(
        message.contains("minimum"),
        "and the built-in ones: {message}"
    );
    Client::builder(1, "secret")
        .allow(zego_cloudrecord::rule_ids::MAX_RECORD_TIME_BEYOND_24_HOURS)
        .allow(zego_cloudrecord::runtime::builtin_rules::MAXIMUM)
        .build()
        .expect("known ids");

    let empty = Client::new(1, "").expect_err("empty ServerSecret");
    assert!(matches!(empty, Error::Configuration { .. }), "{empty:?}");
    let verifier =
        zego_cloudrecord::runtime::CallbackVerifier::new("").expect_err("empty callback secret");
    assert!(
        verifier.to_string().contains("callback secret is empty"),
        "{verifier:?}"
    );
    let as_client_error: Error = verifier.into();
    assert!(matches!(as_client_error, Error::Configuration { .. }));
}

#[test]
fn no_helper_panics_on_extreme_input() {
    use zego_cloudrecord::types::{MixInput, MixOutputWatermarkImageConfig};
    use zego_cloudrecord::{Colour, Rect};
    for value in [i64::MIN, -1, 0, 1, i64::MAX] {
        let area = Rect::at(value, value, value, value);
        let _ = (
            area.width(),
            area.height(),
            Rect::canvas(&zego_cloudrecord::types::MixOutputVideoConfig::new(
                value, value, 1, 1,
            )),
        );
        let wide = Rect {
            left: i64::MIN,
            top: i64::MIN,
            right: i64::MAX,
            bottom: i64::MAX,
        };
        assert_eq!(wide.width(), i64::MAX);
        let _ = MixInput::covering(area, value).area();
        let _ = MixOutputWatermarkImageConfig::covering(area).area();
        let _ = wide.contains(&area);
    }
    let _ = Colour::from_wire_value(i32::MIN);
    assert!("#12345".parse::<Colour>().is_err());
    assert!("#ÿÿÿÿ".parse::<Colour>().is_err());
}
