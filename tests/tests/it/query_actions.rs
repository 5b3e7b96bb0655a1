//! GET actions (their request in the query), hosts per action, and the value types ZEGOCLOUD's
//! other products use (any object, maps, any value, numbers), through the generated client of
//! `tests/fixtures/specs/get_query_and_open_values.yaml` and the runtime's mock.

use fixture_clients::get_query_and_open_values::codes::ApiCode;
use fixture_clients::get_query_and_open_values::mock::{Actions, MockServer};
use fixture_clients::get_query_and_open_values::service::{Client, Error, Region};
use fixture_clients::get_query_and_open_values::types::{
    ListRoomsRequest, MediaItem, SetParamsRequest,
};
use serde_json::json;
use zego_cloudrecord::Checks;

const APP_ID: u32 = 1_234_567_890;
const SECRET: &str = "query-actions-secret";

fn rooms() -> ListRoomsRequest {
    let mut request = ListRoomsRequest::new(vec!["a".to_owned(), "b c".to_owned()]);
    request.limit = Some(5);
    let mut media = MediaItem::new("f1");
    media.resolution = Some(vec![720, 1080]);
    request.media = Some(vec![media]);
    request
}

#[test]
fn a_get_request_travels_in_the_query_after_the_signing_parameters() {
    let client = Client::new(APP_ID, SECRET).expect("client");
    let run = client
        .dry_run(
            &fixture_clients::get_query_and_open_values::operations::LIST_ROOMS,
            &rooms(),
        )
        .expect("valid");
    assert_eq!(run.method, "GET");
    assert!(run.redacted_body.is_empty(), "{run:?}");
    let query = run
        .url
        .split_once("&SignatureVersion=2.0")
        .map(|(_, rest)| rest)
        .expect("signed");
    assert_eq!(
        query,
        "&Limit=5&Media.0.FileId=f1&Media.0.Resolution.0=720&Media.0.Resolution.1=1080\
         &RoomId%5B%5D=a&RoomId%5B%5D=b%20c"
    );
    assert!(!run.to_string().contains("Content-Type"), "{run}");
}

#[test]
fn an_action_with_hosts_of_its_own_goes_there_in_the_client_s_region() {
    let url = |client: &Client, action: &str| {
        let body = match action {
            "ListRooms" => r#"{"RoomId[]": ["r"]}"#,
            _ => r#"{"Params": {}}"#,
        };
        client.dry_run_action(action, body).expect("valid").url
    };
    let default = Client::new(APP_ID, SECRET).expect("client");
    assert!(
        url(&default, "ListRooms").starts_with("https://rooms.example.invalid/?Action=ListRooms")
    );
    assert!(
        url(&default, "SetParams").starts_with("https://docs.example.invalid/?Action=SetParams")
    );
    let shanghai = Client::builder(APP_ID, SECRET)
        .region(Region::Shanghai)
        .build()
        .expect("client");
    assert!(url(&shanghai, "ListRooms").starts_with("https://rooms-sha.example.invalid/"));
    assert!(url(&shanghai, "SetParams").starts_with("https://docs-sha.example.invalid/"));
    let proxy = Client::builder(APP_ID, SECRET)
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client");
    assert!(url(&proxy, "ListRooms").starts_with("http://127.0.0.1:9/?Action=ListRooms"));
}

#[tokio::test]
async fn the_mock_reads_a_get_request_back_and_answers_the_products_invalid_parameter_code() {
    let mock = MockServer::start_with(APP_ID, SECRET, Actions)
        .await
        .expect("mock");
    let client = Client::builder(APP_ID, SECRET)
        .base_url(mock.url())
        .build()
        .expect("client");
    let response = client.list_rooms(&rooms()).await.expect("accepted");
    assert_eq!(response.data, Vec::<String>::new());
    let recorded = mock.requests();
    assert_eq!(recorded.len(), 1);
    assert!(
        recorded[0].signature_valid && recorded[0].violations.is_empty(),
        "{recorded:?}"
    );
    assert_eq!(
        recorded[0].query.get("Media.0.FileId").map(String::as_str),
        Some("f1")
    );

    let mut too_many = rooms();
    too_many.limit = Some(0);
    too_many.room_id = vec!["a".to_owned(), "a".to_owned()];
    let refused = client.list_rooms(&too_many).await.expect_err("invalid");
    let Error::Validation(error) = &refused else {
        panic!("refused before sending: {refused:?}");
    };
    let rules: Vec<&str> = error.violations().iter().map(|v| v.rule).collect();
    assert_eq!(rules, ["unique_items", "minimum"], "{error}");

    let sent_anyway = client.with_checks(Checks::Warn).list_rooms(&too_many).await;
    assert!(
        matches!(
            &sent_anyway,
            Err(Error::Api {
                code: ApiCode::BadParameter,
                ..
            })
        ),
        "{sent_anyway:?}"
    );
}

#[test]
fn whole_numbers_go_out_without_a_fraction_and_open_values_as_given() {
    let mut request = SetParamsRequest::new(
        json!({"temperature": 0.2, "nested": {"k": [1, 2]}})
            .as_object()
            .cloned()
            .expect("object"),
    );
    request.score = Some(1.0);
    request.ratio = Some(0.25);
    request.weights = Some([("a".to_owned(), 2.0), ("b".to_owned(), 0.5)].into());
    request.anything = Some(json!(["any", 1]));
    let wire = serde_json::to_value(&request).expect("serializes");
    assert_eq!(
        wire,
        json!({
            "Params": {"temperature": 0.2, "nested": {"k": [1, 2]}},
            "Weights": {"a": 2, "b": 0.5},
            "Anything": ["any", 1],
            "Score": 1,
            "Ratio": 0.25
        })
    );
    assert_eq!(serde_json::to_string(&wire["Score"]).expect("text"), "1");
    request.score = Some(1.5);
    let violations = request.validate().expect_err("out of range");
    assert_eq!(violations.violations()[0].rule, "maximum");
    let nullable: SetParamsRequest =
        serde_json::from_value(json!({"Params": {}, "Note": null})).expect("null is not set");
    assert_eq!(nullable.note, None);
    assert!((SetParamsRequest::DEFAULT_SCORE - 0.5).abs() < f64::EPSILON);
}
