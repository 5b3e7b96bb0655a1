//! The constructs of ZEGOCLOUD's In-app Chat files, through the generated client of
//! `tests/fixtures/specs/alternatives_and_maps.yaml` and the runtime's mock: alternatives told
//! apart by their shapes (never by trying them in turn), alternatives nothing tells apart, maps
//! of objects with their checks and redaction, replies whose fields sit beside the envelope's,
//! replies that list the items a call failed for, replies without `RequestId`, and ids above
//! 2^53 (through `zego-zim`'s dry-run example too).

use fixture_clients::alternatives_and_maps::mock::{Actions, MockServer};
use fixture_clients::alternatives_and_maps::service::{Client, Error};
use fixture_clients::alternatives_and_maps::types::{
    Amount, Body, DescribeLicenceResponse, Detail, Extra, ImageBody, Label, Level, Priority,
    SendThingRequest, SendThingResponse, TextBody,
};
use serde_json::json;
use zego_cloudrecord::runtime::{Envelope, Validate};

const APP_ID: u32 = 1_234_567_890;
const SECRET: &str = "alternatives-secret";
/// ZEGOCLOUD's own example of a message id: above 2^53, so an `f64` would change it.
const MESSAGE_ID: i64 = 971_503_777_289_036_700;

fn request() -> SendThingRequest {
    SendThingRequest::new(MESSAGE_ID, Body::TextBody(TextBody::new("hello")))
}

#[test]
fn an_alternative_is_read_by_the_keys_only_it_declares() {
    let image: Body = serde_json::from_value(json!({"Width": 3, "Url": "u"})).expect("decodes");
    assert!(
        matches!(&image, Body::ImageBody(body) if body.url == "u"),
        "{image:?}"
    );
    let text: Body = serde_json::from_value(json!({"Text": "t"})).expect("decodes");
    assert!(
        matches!(&text, Body::TextBody(body) if body.text == "t"),
        "{text:?}"
    );
    // A shape neither alternative declares is kept as it came, not forced into the first.
    let other: Body = serde_json::from_value(json!({"Video": "v"})).expect("decodes");
    assert_eq!(other, Body::Unknown(json!({"Video": "v"})));
    // An alternative whose own key is there but which breaks its type is an error, not a guess.
    assert!(serde_json::from_value::<Body>(json!({"Url": 5})).is_err());
    let wire = serde_json::to_value(Body::ImageBody(ImageBody::new("u"))).expect("encodes");
    assert_eq!(wire, json!({"Url": "u"}));
}

#[test]
fn scalar_alternatives_are_read_by_their_json_kind_and_keep_their_bounds() {
    let word: Amount = serde_json::from_value(json!("many")).expect("decodes");
    assert_eq!(word, Amount::Text("many".to_owned()));
    let count: Amount = serde_json::from_value(json!(MESSAGE_ID)).expect("decodes");
    assert_eq!(count, Amount::Integer(MESSAGE_ID));
    assert_eq!(
        serde_json::from_value::<Amount>(json!(true)).expect("decodes"),
        Amount::Unknown(json!(true))
    );
    let long = request().with_amount(Amount::Text("far too long".to_owned()));
    let findings = long.findings();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].path, "Amount");
}

#[test]
fn an_enum_alternative_is_read_by_the_kind_of_its_values() {
    let named: Priority = serde_json::from_value(json!("high")).expect("decodes");
    assert_eq!(named, Priority::Level(Level::High));
    let number: Priority = serde_json::from_value(json!(3)).expect("decodes");
    assert_eq!(number, Priority::Integer(3));
    let negative = request().with_priority(Priority::Integer(-1));
    assert_eq!(negative.findings()[0].path, "Priority");
}

#[test]
fn alternatives_nothing_tells_apart_are_kept_whole_and_read_on_request() {
    let extra: Extra =
        serde_json::from_value(json!({"Name": "n", "Colour": "red"})).expect("decodes");
    assert_eq!(extra.0, json!({"Name": "n", "Colour": "red"}));
    let label: Label = extra.to_label().expect("a label");
    assert_eq!(label.colour.as_deref(), Some("red"));
    // A request's types refuse keys they do not declare: this value is no `Mark`.
    assert!(extra.to_mark().is_err());
    let mark: Extra = serde_json::from_value(json!({"Name": "n"})).expect("decodes");
    assert_eq!(mark.to_mark().expect("a mark").name.as_deref(), Some("n"));
    let back = Extra::from_label(&label).expect("encodes");
    assert_eq!(back, extra);
}

#[test]
fn map_values_that_are_objects_or_lists_are_checked_and_redacted_at_their_key() {
    let secret_token = "hidden-token-7";
    let details = [(
        "user-1".to_owned(),
        Detail::new(secret_token).with_nickname("too long"),
    )];
    let groups = [("g".to_owned(), vec!["ok".to_owned(), "toolong".to_owned()])];
    let request = request()
        .with_details(details.into_iter().collect())
        .with_groups(groups.into_iter().collect());
    let paths: Vec<String> = request.findings().iter().map(|f| f.path.clone()).collect();
    assert_eq!(
        paths,
        [r#"Details["user-1"].Nickname"#, r#"Groups["g"][1]"#]
    );
    let client = Client::new(APP_ID, SECRET).expect("client");
    let run = client
        .with_checks(zego_cloudrecord::Checks::Warn)
        .dry_run(
            &fixture_clients::alternatives_and_maps::operations::SEND_THING,
            &request,
        )
        .expect("sent with warnings");
    assert!(!run.to_string().contains(secret_token), "{run}");
    assert!(!format!("{request:?}").contains(secret_token));
}

#[test]
fn an_id_above_2_pow_53_keeps_every_digit_both_ways() {
    let wire = serde_json::to_string(&request()).expect("encodes");
    assert!(wire.contains("\"MsgId\":971503777289036700"), "{wire}");
    let reply: SendThingResponse = serde_json::from_str(
        r#"{"Code":0,"Message":"ok","RequestId":"r","MsgId":971503777289036700}"#,
    )
    .expect("decodes");
    assert_eq!(reply.msg_id, Some(MESSAGE_ID));
}

/// The same through `zego-zim` itself, whose dry-run example (built by `cargo test
/// --workspace`) reads a request as its typed struct and prints the body it would send.
#[test]
fn zim_sends_a_message_sequence_above_2_pow_53_with_every_digit() {
    use std::io::Write as _;
    let mut child = std::process::Command::new(tests::example_binary("zego-zim-dry-run"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let request = json!({"action": "EditC2cMsgBody", "body": {
        "FromUserId": "editor", "SenderId": "sender", "ConvId": "conv",
        "MsgType": 1, "ConvMsgSeq": MESSAGE_ID, "EditType": 1
    }});
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{request}\n").as_bytes())
        .expect("writes");
    let output = child.wait_with_output().expect("finishes");
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON line");
    let body = answer["body"].as_str().expect("a body");
    assert!(
        body.contains("\"ConvMsgSeq\": 971503777289036700"),
        "{answer}"
    );
}

#[test]
fn a_reply_says_when_the_call_failed_for_some_items() {
    let partial: SendThingResponse = serde_json::from_value(json!({
        "Code": 0, "Message": "ok", "RequestId": "r",
        "ErrorList": [{"UserId": "u2", "SubCode": 660000001}]
    }))
    .expect("decodes");
    assert!(partial.has_failures());
    let failed = &partial.error_list.as_ref().expect("a list")[0];
    assert_eq!(
        (failed.user_id.as_deref(), failed.sub_code),
        (Some("u2"), Some(660_000_001))
    );
    let whole: SendThingResponse =
        serde_json::from_value(json!({"Code": 0, "ErrorList": []})).expect("decodes");
    assert!(!whole.has_failures());
}

#[test]
fn a_reply_without_request_id_is_a_reply() {
    let reply: DescribeLicenceResponse =
        serde_json::from_value(json!({"Code": 0, "Message": "ok", "Data": {"Licence": "l"}}))
            .expect("decodes");
    let parts = reply.into_parts();
    assert_eq!((parts.code, parts.request_id), (Some(0), None));
    assert_eq!(
        parts.data.and_then(|data| data.licence).as_deref(),
        Some("l")
    );
}

#[tokio::test]
async fn a_reply_whose_fields_sit_beside_the_envelope_is_the_data() {
    let mock = MockServer::start_with(APP_ID, SECRET, Actions)
        .await
        .expect("mock");
    let client = Client::builder(APP_ID, SECRET)
        .base_url(mock.url())
        .build()
        .expect("client");
    let response = client.send_thing(&request()).await.expect("accepted");
    // The mock made the reply up: its fields beside Code, Message and RequestId, not in Data.
    assert_eq!(response.data.msg_id, Some(0));
    assert_eq!(response.data.code, Some(0));
    assert!(response.request_id.is_some());
    let recorded = mock.requests();
    assert!(recorded[0].violations.is_empty(), "{recorded:?}");
    let refused = client
        .send_thing(&SendThingRequest::new(
            1,
            Body::TextBody(TextBody::new("more than ten")),
        ))
        .await
        .expect_err("too long");
    assert!(matches!(refused, Error::Validation(_)), "{refused:?}");
}
