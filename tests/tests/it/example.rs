//! Runs the generated crate's `start_record` example binary: dry run, a real call against a
//! local mock server, and its failures. `cargo test --workspace` builds the example.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::json;
use tests::support::{SERVER_SECRET, STORAGE_SECRET};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn example_binary() -> PathBuf {
    tests::example_binary("start_record")
}

fn request_file(name: &str, body: &serde_json::Value) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("zego-example-{}-{name}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_vec_pretty(body).expect("JSON"))
        .expect("temp dir is writable");
    path
}

fn valid_request() -> serde_json::Value {
    json!({
        "RoomId": "room-1",
        "RecordInputParams": {"RecordMode": 1},
        "StorageParams": {"Vendor": 1, "Region": "r", "Bucket": "b", "AccessKeyId": "id", "AccessKeySecret": STORAGE_SECRET}
    })
}

fn run(args: &[&str], base_url: &str) -> Output {
    Command::new(example_binary())
        .args(args)
        .env("ZEGO_APP_ID", "1234567890")
        .env("ZEGO_SERVER_SECRET", SERVER_SECRET)
        .env("ZEGO_BASE_URL", base_url)
        .output()
        .expect("the example runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn dry_run_prints_the_signed_request_without_secrets() {
    let path = request_file("dry", &valid_request());
    let output = run(
        &["--dry-run", path.to_str().expect("UTF-8 path")],
        "http://127.0.0.1:9",
    );
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    assert!(
        printed.starts_with(
            "POST http://127.0.0.1:9/?Action=StartRecord&AppId=1234567890&SignatureNonce="
        ),
        "{printed}"
    );
    assert!(
        printed.contains("&Signature=") && printed.contains("&SignatureVersion=2.0"),
        "{printed}"
    );
    assert!(
        printed.contains("\"AccessKeySecret\": \"[redacted]\""),
        "{printed}"
    );
    assert!(
        !printed.contains(SERVER_SECRET) && !printed.contains(STORAGE_SECRET),
        "{printed}"
    );
}

#[test]
fn invalid_requests_fail_with_every_violation() {
    let mut body = valid_request();
    body["RecordInputParams"] = json!({"RecordMode": 2, "MaxIdleTime": 1});
    let path = request_file("invalid", &body);
    let output = run(
        &["--dry-run", path.to_str().expect("UTF-8 path")],
        "http://127.0.0.1:9",
    );
    let printed = text(&output);
    assert!(!output.status.success(), "{printed}");
    assert!(
        printed.contains("the request was not sent because it is invalid: 2 problems:\n  - "),
        "{printed}"
    );
    assert!(
        printed.contains("RecordInputParams.MaxIdleTime: must be at least 5, got 1 [minimum]"),
        "{printed}"
    );
}

#[test]
fn typos_in_the_request_file_are_reported_with_their_path() {
    let mut body = valid_request();
    body["RecordInputParams"] = json!({"RecordMode": 1, "MaxIdelTime": 60});
    let path = request_file("typo", &body);
    let output = run(&[path.to_str().expect("UTF-8 path")], "http://127.0.0.1:9");
    let printed = text(&output);
    assert!(!output.status.success(), "{printed}");
    assert!(
        printed.contains("at `RecordInputParams.MaxIdelTime`: unknown field `MaxIdelTime`"),
        "{printed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_and_prints_the_task_id_or_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"Code": 0, "RequestId": "req-9", "Data": {"TaskId": "task-42"}}),
            ),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"Code": 300000002, "Message": "not activated"})),
        )
        .mount(&server)
        .await;
    let path = request_file("send", &valid_request());
    let uri = server.uri();
    let (first, second) = tokio::task::spawn_blocking(move || {
        let file = path.to_str().expect("UTF-8 path").to_owned();
        (run(&[&file], &uri), run(&[&file], &uri))
    })
    .await
    .expect("example runs");
    assert!(first.status.success(), "{}", text(&first));
    assert_eq!(
        String::from_utf8_lossy(&first.stdout),
        "TaskId: task-42\nRequestId: req-9\n"
    );
    assert!(!second.status.success());
    assert_eq!(
        String::from_utf8_lossy(&second.stderr),
        "error: the service refused the request with code 300000002 (CloudRecordingNotEnabled): not activated\n"
    );
}

#[test]
fn help_is_not_an_error_and_a_near_miss_gets_a_suggestion() {
    let cloudrecord = |args: &[&str]| {
        Command::new(tests::example_binary("cloudrecord"))
            .args(args)
            .output()
            .expect("the example runs")
    };
    let help = cloudrecord(&["--help"]);
    assert!(help.status.success(), "{}", text(&help));
    assert!(
        String::from_utf8_lossy(&help.stdout).starts_with("usage:"),
        "{}",
        text(&help)
    );

    let typo = cloudrecord(&["startrecord", "request.json"]);
    assert!(!typo.status.success());
    assert!(
        text(&typo).contains("did you mean `StartRecord`?"),
        "{}",
        text(&typo)
    );
}

#[test]
fn the_readme_sample_path_works_from_a_subfolder() {
    let output = Command::new(tests::example_binary("cloudrecord"))
        .args([
            "--dry-run",
            "StopRecord",
            "tests/fixtures/requests/StopRecord/task.json",
        ])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))
        .env("ZEGO_APP_ID", "1234567890")
        .env("ZEGO_SERVER_SECRET", SERVER_SECRET)
        .output()
        .expect("the example runs");
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("Action=StopRecord"),
        "{}",
        text(&output)
    );
}
