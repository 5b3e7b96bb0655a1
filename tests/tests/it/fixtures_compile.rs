//! The generator's output for every fixture spec, compiled by the `fixture-clients` crate (so
//! an emitted snapshot that does not compile fails the build), and a few behaviours it must
//! have.

use fixture_clients::{
    awkward_names, multiple_operations, nested_arrays, path_item_parameters, refs_and_enums,
};
use serde_json::json;

#[test]
fn keyword_and_awkward_field_names_keep_their_wire_names() {
    let mut value = awkward_names::types::HttpStatus::new("t", "r");
    value.self_ = Some("s".to_owned());
    value.http_status = Some(200);
    value.x_y = Some(true);
    value.field_3d = Some(false);
    value.r#async = Some(7);
    value.mode = Some(awkward_names::types::Value3dMode::Value3d);
    let wire = serde_json::to_value(&value).expect("serialize");
    assert_eq!(
        wire,
        json!({"type": "t", "ref": "r", "self": "s", "HTTPStatus": 200, "x_y": true, "3d": false, "async": 7, "Mode": "3d"})
    );
    let back: awkward_names::types::HttpStatus = serde_json::from_value(wire).expect("deserialize");
    assert_eq!(back, value);
}

#[test]
fn references_to_references_resolve_to_one_type() {
    use refs_and_enums::types::{Kind, Priority, Thing};
    let thing = Thing::new(Kind::Small, Priority::High);
    assert_eq!(
        serde_json::to_value(&thing).expect("serialize"),
        json!({"Kind": "small", "Priority": 3})
    );
    assert_eq!(Thing::DEFAULT_RETRIES, 3);
    assert_eq!(
        thing.color_or_default(),
        refs_and_enums::types::Color::Green
    );
    assert!(thing.enabled_or_default());
    assert_eq!(thing.label_or_default(), "unnamed");
}

#[test]
fn enums_accept_values_added_later_and_validation_rejects_them_in_requests() {
    use refs_and_enums::types::{Color, Kind, Priority, Thing};
    let thing: Thing =
        serde_json::from_value(json!({"Kind": "huge", "Priority": 9, "Color": "dark-blue"}))
            .expect("open enums");
    assert_eq!(thing.kind, Kind::Unknown("huge".to_owned()));
    assert_eq!(thing.priority, Priority::Unknown(9));
    assert_eq!(thing.color, Some(Color::DarkBlue));
    let violations = thing
        .validate()
        .expect_err("unknown values are invalid in requests");
    let rules: Vec<(&str, &str)> = violations
        .violations()
        .iter()
        .map(|v| (v.path.as_str(), v.rule))
        .collect();
    assert_eq!(rules, vec![("Kind", "enum"), ("Priority", "enum")]);
}

#[test]
fn string_lengths_and_integer_ranges_are_checked() {
    use refs_and_enums::types::{Kind, Priority, Thing};
    let thing = Thing::new(Kind::Large, Priority::Low)
        .with_retries(9)
        .with_label("");
    let violations = thing.validate().expect_err("invalid");
    let rules: Vec<(&str, &str)> = violations
        .violations()
        .iter()
        .map(|v| (v.path.as_str(), v.rule))
        .collect();
    assert_eq!(rules, vec![("Retries", "maximum"), ("Label", "min_length")]);
}

#[test]
fn nested_arrays_report_indexed_paths_and_rules() {
    use nested_arrays::types::{Canvas, Cell, HighlightsItem, Kind, Layout};
    let layout = Layout::new(Canvas::new(200, 300))
        .with_rows(vec![vec![
            Cell::new(1),
            Cell::new(9).with_children(vec![Cell::new(0)]),
        ]])
        .with_highlights(vec![
            HighlightsItem::default()
                .with_on(true)
                .with_scores(vec![50, 101]),
            HighlightsItem::default().with_on(true),
        ]);
    let violations = layout.validate().expect_err("invalid");
    let found: Vec<String> = violations
        .violations()
        .iter()
        .map(|v| format!("{} [{}]", v.path, v.rule))
        .collect();
    assert_eq!(
        found,
        [
            "Canvas.Height [width-at-least-height]",
            "Rows[0][1].Span [maximum]",
            "Rows[0][1].Children[0].Span [minimum]",
            "Highlights[0].Scores[1] [maximum]",
            "Highlights [one-highlight]",
            "Canvas [canvas-area]",
            "Kind [highlight-needs-grid]",
        ],
        "{violations}"
    );
    let fixed = Layout::new(Canvas::new(100, 100))
        .with_kind(Kind::Grid)
        .with_rows(vec![vec![Cell::new(2)]]);
    assert!(fixed.validate().is_ok());
    let grid_without_rows = Layout::new(Canvas::new(10, 10)).with_kind(Kind::Grid);
    let violations = grid_without_rows
        .validate()
        .expect_err("rows are required for grid");
    assert_eq!(violations.violations()[0].path, "Rows");
    assert_eq!(violations.violations()[0].rule, "rows-needed-for-grid");
}

#[test]
fn several_operations_get_one_method_each_and_credentials_stay_hidden() {
    use multiple_operations::types::{Credentials, StartJobRequest};
    assert_eq!(
        multiple_operations::operations::START_JOB.action,
        "StartJob"
    );
    assert_eq!(multiple_operations::operations::STOP_JOB.path, "/stop");
    let request = StartJobRequest::new(
        "nightly",
        Credentials::new("key-id", "canary-secret").with_token("canary-token"),
    );
    let debug = format!("{request:?}");
    assert!(!debug.contains("canary"), "{debug}");
    let wire = serde_json::to_value(&request).expect("serialize");
    assert_eq!(wire["Credentials"]["Secret"], "canary-secret");
}

#[test]
fn parameters_on_the_path_item_route_the_operation_by_its_action() {
    use path_item_parameters::operations::STOP_THING;
    use path_item_parameters::service::Client;
    use path_item_parameters::types::Request;

    let client = Client::new(1, "secret").expect("client");
    let dry_run = client
        .dry_run(&STOP_THING, &Request::new("task-1"))
        .expect("dry run");
    assert!(
        dry_run
            .url
            .starts_with("https://path-item.example.invalid/?Action=StopThing&"),
        "{}",
        dry_run.url
    );
}

#[test]
fn the_default_host_is_the_specs_first_server() {
    assert_eq!(
        path_item_parameters::service::DEFAULT_BASE_URL,
        "https://path-item.example.invalid"
    );
    assert_eq!(
        refs_and_enums::service::DEFAULT_BASE_URL,
        "https://fixture.example.invalid"
    );
    assert_eq!(
        zego_cloudrecord::DEFAULT_BASE_URL,
        "https://cloudrecord-api.zego.im"
    );
}
