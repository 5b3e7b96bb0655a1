//! A recording's whole life against the stateful mock, on tokio's paused clock (shared by
//! client, mock and verifier through `TokioClock`): start, layout, pause, resume, stop,
//! files uploaded; the distinct "already ended" outcome; retries that reuse a ClientTaskId;
//! the rate limit; signed callbacks to the task's CallbackUrl; the task list page by page;
//! and, on the real clock, the mock's callbacks accepted by a default verifier.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use zego_cloudrecord::callbacks::{self, CallbackEvent, CallbackVerifier};
use zego_cloudrecord::lifecycle::{Stopped, TaskQuery, WaitOptions};
use zego_cloudrecord::mock::service::RecordingService;
use zego_cloudrecord::mock::MockServer;
use zego_cloudrecord::runtime::Clock;
use zego_cloudrecord::types::{
    CallbackEventType, MixConfig, MixInput, MixMode, MixOutputVideoConfig, RecordOutputParams,
    StartRecordRequest, StorageParams, TaskStatus, TaskStatusFilter, UpdateLayoutRequest,
};
use zego_cloudrecord::{rule_ids, ApiCode, Error, Rect};

const APP_ID: u32 = 1_234_567_890;
const SECRET: &str = "lifecycle-secret";
const CALLBACK_SECRET: &str = "lifecycle-callback-secret";
/// Where `TokioClock` starts (Unix milliseconds): November 2025.
const TEST_EPOCH_MS: i64 = 1_764_000_000_000;

/// A clock that follows tokio's paused time from `TEST_EPOCH_MS`, so that one
/// `tokio::time::advance` moves the client, the mock and the verifier alike.
#[derive(Clone, Debug)]
struct TokioClock {
    start: tokio::time::Instant,
}

impl TokioClock {
    fn new() -> Self {
        Self {
            start: tokio::time::Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    fn unix_seconds(&self) -> i64 {
        self.unix_millis().div_euclid(1000)
    }

    fn unix_millis(&self) -> i64 {
        TEST_EPOCH_MS + i64::try_from(self.start.elapsed().as_millis()).expect("short test")
    }
}

fn storage() -> StorageParams {
    StorageParams::amazon_s3("us-east-1", "recordings", "AKID", "storage-secret")
}

/// A mixed recording on a 1280×720 canvas.
fn mixed(room: &str) -> StartRecordRequest {
    let layout = MixConfig::custom_layout(
        "mixed",
        MixOutputVideoConfig::landscape_720p(),
        vec![MixInput::stream_view("host", Rect::at(0, 0, 1280, 720), 1)],
    );
    StartRecordRequest::mixed_stream(room, layout, storage())
}

/// A mock of a service on `clock`, and a client on the same clock.
async fn mock_on(
    service: RecordingService,
    clock: &TokioClock,
) -> (MockServer, zego_cloudrecord::Client) {
    let mock = MockServer::start_with(APP_ID, SECRET, service.clock(clock.clone()))
        .await
        .expect("mock");
    let client = mock
        .client_builder()
        .clock(clock.clone())
        .build()
        .expect("client");
    (mock, client)
}

#[tokio::test(start_paused = true)]
async fn a_recording_from_start_to_uploaded_files() {
    let clock = TokioClock::new();
    let (_mock, client) = mock_on(RecordingService::new(), &clock).await;

    let task = client
        .start_recording(&mixed("room-1"))
        .await
        .expect("started");
    task.update_layout(|layout| {
        layout
            .with_mix_mode(MixMode::Custom)
            .with_mix_input_list(vec![MixInput::stream_view(
                "host",
                Rect::at(0, 0, 640, 360),
                1,
            )])
    })
    .await
    .expect("layout");
    task.pause().await.expect("paused");
    assert_eq!(
        task.status().await.expect("status").status,
        Some(TaskStatus::Paused)
    );
    task.resume().await.expect("resumed");
    let not_paused = task.resume().await.expect_err("not paused");
    assert!(
        matches!(
            not_paused,
            Error::Api {
                code: ApiCode::TaskNotPaused,
                ..
            }
        ),
        "{not_paused:?}"
    );
    tokio::time::advance(Duration::from_secs(60)).await;
    assert!(matches!(
        task.stop().await.expect("stopped"),
        Stopped::Now { .. }
    ));

    let outcome = task
        .wait_for_files(WaitOptions::default().deadline(Duration::from_secs(30)))
        .await
        .expect("files settled");
    assert_eq!(outcome.status, TaskStatus::Ended);
    assert_eq!(outcome.files.len(), 1);
    assert!(outcome.files[0].uploaded);
    assert!(outcome.files[0]
        .url
        .as_deref()
        .is_some_and(|url| url.ends_with(".mp4")));
    assert_eq!(outcome.files[0].file.duration, Some(60_000));

    assert_eq!(
        task.stop().await.expect("no error"),
        Stopped::AlreadyEnded {
            code: ApiCode::TaskAlreadyEnded
        }
    );
    assert_eq!(
        client.task("no-such-task").stop().await.expect("no error"),
        Stopped::AlreadyEnded {
            code: ApiCode::TaskNotFound
        }
    );
    let ended = task.pause().await.expect_err("ended");
    assert!(
        matches!(
            ended,
            Error::Api {
                code: ApiCode::TaskAlreadyEnded,
                ..
            }
        ),
        "{ended:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_repeated_client_task_id_returns_the_same_task() {
    let mock = MockServer::start(APP_ID, SECRET).await.expect("mock");
    let client = mock.client().expect("client");
    let mut request = StartRecordRequest::single_stream("room-1", storage());
    request.record_input_params.client_task_id = Some("retry-me".to_owned());
    let first = client.start_recording(&request).await.expect("first");
    let again = client.start_recording(&request).await.expect("again");
    assert_eq!(first.id(), again.id());
}

#[tokio::test(start_paused = true)]
async fn pausing_a_single_stream_task_is_refused_as_the_documentation_says() {
    let mock = MockServer::start(APP_ID, SECRET).await.expect("mock");
    let task = mock
        .client()
        .expect("client")
        .start_recording(&StartRecordRequest::single_stream("room-1", storage()))
        .await
        .expect("started");
    let refused = task.pause().await.expect_err("single stream");
    assert!(
        matches!(
            &refused,
            Error::Api {
                code: ApiCode::InvalidParameter,
                ..
            }
        ),
        "{refused:?}"
    );
    assert_eq!(
        task.status().await.expect("status").status,
        Some(TaskStatus::Recording)
    );
}

#[tokio::test(start_paused = true)]
async fn a_task_handle_checks_layout_updates_against_its_canvas() {
    let clock = TokioClock::new();
    let (mock, client) = mock_on(RecordingService::new(), &clock).await;
    let task = client
        .start_recording(&mixed("room-1"))
        .await
        .expect("started");
    assert_eq!(task.canvas(), Some(Rect::at(0, 0, 1280, 720)));
    let sent_before = mock.requests().len();

    let wide = vec![MixInput::stream_view(
        "host",
        Rect::at(640, 0, 1280, 720),
        1,
    )];
    let refused = task
        .set_custom_layout(wide.clone())
        .await
        .expect_err("past the canvas");
    let Error::Validation(validation) = &refused else {
        panic!("{refused:?}");
    };
    let found: Vec<(&str, &str)> = validation
        .violations()
        .iter()
        .map(|v| (v.path.as_str(), v.rule))
        .collect();
    assert_eq!(
        found,
        [(
            "MixInputList[0].Right",
            rule_ids::LAYOUT_VIEWS_WITHIN_CANVAS
        )]
    );
    assert_eq!(mock.requests().len(), sent_before, "nothing was sent");

    // The way around it, as for every check: the same call under Checks::Warn is sent.
    let warned = client
        .with_checks(zego_cloudrecord::Checks::Warn)
        .task(task.id())
        .with_canvas(&MixOutputVideoConfig::landscape_720p())
        .set_custom_layout(wide)
        .await
        .expect("sent with a warning");
    assert_eq!(warned.warnings.len(), 1);

    let fits = vec![MixInput::stream_view("host", Rect::at(0, 0, 640, 360), 1)];
    task.set_custom_layout(fits)
        .await
        .expect("inside the canvas");
    let sent = mock.requests().last().expect("request").body.clone();
    assert_eq!(sent["MixMode"], MixMode::Custom.wire_value());
}

#[tokio::test(start_paused = true)]
async fn views_without_mix_mode_are_sent_with_an_advisory_finding() {
    let clock = TokioClock::new();
    let (_mock, client) = mock_on(RecordingService::new(), &clock).await;
    let task = client
        .start_recording(&mixed("room-1"))
        .await
        .expect("started");
    let views = vec![MixInput::stream_view("host", Rect::at(0, 0, 640, 360), 1)];
    let response = task
        .update_layout(|request| request.with_mix_input_list(views))
        .await
        .expect("advisory, so sent");
    let rules: Vec<&str> = response.warnings.iter().map(|w| w.rule).collect();
    assert_eq!(rules, [rule_ids::LAYOUT_VIEWS_WITHOUT_MIX_MODE]);
    let typed = UpdateLayoutRequest::custom_layout(task.id(), Vec::new());
    assert_eq!(typed.mix_mode, Some(MixMode::Custom));
}

#[tokio::test(start_paused = true)]
async fn the_rate_limit_answers_300000003_and_the_client_limiter_keeps_under_it() {
    let clock = TokioClock::new();
    let (mock, client) = mock_on(RecordingService::new(), &clock).await;
    let task = client
        .start_recording(&mixed("room-1"))
        .await
        .expect("started");
    let mut refused = 0;
    for _ in 0..11 {
        if let Err(Error::Api {
            code: ApiCode::RateLimited,
            ..
        }) = task.status().await
        {
            refused += 1;
        }
    }
    assert_eq!(
        refused, 1,
        "the eleventh call in one second is over DescribeRecordStatus' 10"
    );

    tokio::time::advance(Duration::from_secs(1)).await;
    let limited = mock
        .client_builder()
        .clock(clock.clone())
        .rate_limit_per_action()
        .build()
        .expect("client");
    let task = limited.task(task.id());
    for _ in 0..25 {
        task.status().await.expect("kept under the limit");
    }
}

/// Collects the bodies POSTed to it.
async fn callback_receiver() -> (String, Arc<Mutex<Vec<Vec<u8>>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!(
        "http://{}/callback",
        listener.local_addr().expect("address")
    );
    let bodies: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let store = bodies.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = Vec::new();
            let mut chunk = [0_u8; 4096];
            while let Ok(read) = stream.read(&mut chunk).await {
                if read == 0 {
                    break;
                }
                request.extend_from_slice(&chunk[..read]);
                let text = String::from_utf8_lossy(&request);
                if let Some(end) = text.find("\r\n\r\n") {
                    let length: usize = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().to_owned())
                        })
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        store
                            .lock()
                            .expect("lock")
                            .push(request[end + 4..end + 4 + length].to_vec());
                        break;
                    }
                }
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .await;
        }
    });
    (url, bodies)
}

/// Waits (on tokio's clock) until `bodies` holds `count` callbacks, for at most 20 s.
async fn until_received(bodies: &Mutex<Vec<Vec<u8>>>, count: usize) -> Vec<Vec<u8>> {
    for _ in 0..2000 {
        if bodies.lock().expect("lock").len() >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    bodies.lock().expect("lock").clone()
}

#[tokio::test(start_paused = true)]
async fn the_mock_delivers_signed_callbacks_to_the_task_callback_url() {
    let clock = TokioClock::new();
    let (url, bodies) = callback_receiver().await;
    let service = RecordingService::new().callback_secret(CALLBACK_SECRET);
    let (_mock, client) = mock_on(service, &clock).await;
    let request =
        mixed("room-9").with_record_output_params(RecordOutputParams::new().with_callback_url(url));
    let task = client.start_recording(&request).await.expect("started");
    task.pause().await.expect("paused");
    task.stop().await.expect("stopped");
    let received = until_received(&bodies, 4).await;
    let verifier = CallbackVerifier::new(CALLBACK_SECRET)
        .expect("non-empty secret")
        .clock(clock.clone());
    let events: Vec<String> = received
        .iter()
        .map(|body| {
            let callback = callbacks::verify(&verifier, body).expect("signed correctly");
            assert_eq!(callback.task_id.as_deref(), Some(task.id()));
            assert_eq!(callback.app_id, Some(i64::from(APP_ID)));
            format!("{:?}", callback.event_type)
        })
        .collect();
    assert_eq!(
        events,
        [
            "Some(Paused)",
            "Some(Uploading)",
            "Some(FilesUploaded)",
            "Some(Finished)"
        ]
    );
    let uploaded = callbacks::verify(&verifier, &received[2]).expect("signed");
    assert!(
        matches!(uploaded.event(), CallbackEvent::FilesUploaded { files, .. } if files.len() == 1)
    );
    let wrong_key = CallbackVerifier::new("another")
        .expect("non-empty secret")
        .clock(clock.clone());
    assert!(callbacks::verify(&wrong_key, &received[0]).is_err());
}

#[tokio::test(start_paused = true)]
async fn a_test_can_send_any_documented_event() {
    let clock = TokioClock::new();
    let (url, bodies) = callback_receiver().await;
    // Settings are per value and the tasks are shared: set the clock before keeping a clone.
    let service = RecordingService::new()
        .callback_secret(CALLBACK_SECRET)
        .clock(clock.clone());
    let (_mock, client) = mock_on(service.clone(), &clock).await;
    let request =
        mixed("room-3").with_record_output_params(RecordOutputParams::new().with_callback_url(url));
    let task = client.start_recording(&request).await.expect("started");
    service
        .send_callback(
            task.id(),
            CallbackEventType::StreamMissing,
            serde_json::json!({"stream_id": "guest"}),
        )
        .expect("sent");
    service
        .send_callback(
            task.id(),
            CallbackEventType::NoStreams,
            serde_json::Value::Null,
        )
        .expect("sent");
    assert!(service
        .send_callback(
            "no-such-task",
            CallbackEventType::NoStreams,
            serde_json::Value::Null
        )
        .is_err());
    let received = until_received(&bodies, 2).await;
    let verifier = CallbackVerifier::new(CALLBACK_SECRET)
        .expect("non-empty secret")
        .clock(clock.clone());
    let first = callbacks::verify(&verifier, &received[0]).expect("signed");
    assert_eq!(first.event(), CallbackEvent::StreamMissing(Some("guest")));
    let second = callbacks::verify(&verifier, &received[1]).expect("signed");
    assert_eq!(second.event(), CallbackEvent::NoStreams);
}

#[tokio::test(start_paused = true)]
async fn files_upload_for_the_upload_delay_and_the_waiter_sees_them_uploading() {
    let clock = TokioClock::new();
    let service = RecordingService::new().upload_delay(Duration::from_secs(30));
    let (_mock, client) = mock_on(service, &clock).await;
    let task = client
        .start_recording(&mixed("room-4"))
        .await
        .expect("started");
    task.stop().await.expect("stopped");
    let status = task.status().await.expect("status");
    assert_eq!(status.status, Some(TaskStatus::Ended));
    let files = status.record_files.expect("files");
    assert_eq!(
        files[0].status,
        Some(zego_cloudrecord::types::RecordFileStatus::Uploading)
    );
    let early = task
        .wait_for_files(
            WaitOptions::default()
                .deadline(Duration::from_secs(10))
                .first_interval(Duration::from_secs(1))
                .max_interval(Duration::from_secs(2)),
        )
        .await
        .expect_err("still uploading");
    let message = early.to_string();
    assert!(message.ends_with(" s"), "{message}");
    assert!(!message.contains("ms"), "a readable duration: {message}");
    let settled = task
        .wait_for_files(WaitOptions::default().deadline(Duration::from_secs(60)))
        .await
        .expect("uploaded");
    assert!(settled.files[0].uploaded);
}

/// The mock on the real clock with default settings: its callbacks pass a default verifier
/// and its tasks are found by a query of the last hour.
#[tokio::test]
async fn on_the_real_clock_the_mock_passes_the_default_verifier_and_task_queries() {
    let (url, bodies) = callback_receiver().await;
    let service = RecordingService::new().callback_secret(CALLBACK_SECRET);
    let mock = MockServer::start_with(APP_ID, SECRET, service)
        .await
        .expect("mock");
    let client = mock.client().expect("client");
    let request = StartRecordRequest::single_stream("room-real", storage())
        .with_record_output_params(RecordOutputParams::new().with_callback_url(url));
    let task = client.start_recording(&request).await.expect("started");
    task.stop().await.expect("stopped");
    let received = until_received(&bodies, 3).await;
    let verifier = CallbackVerifier::new(CALLBACK_SECRET).expect("non-empty secret");
    assert_eq!(received.len(), 3);
    for body in &received {
        callbacks::verify(&verifier, body).expect("fresh and signed");
    }
    let recent = TaskQuery::recent(&client, TaskStatusFilter::Ended, Duration::from_secs(3600));
    let listed: Vec<String> = client
        .tasks(recent)
        .map(|task| task.expect("page").task_id.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(listed, [task.id().to_owned()]);
}

#[tokio::test(start_paused = true)]
async fn tasks_are_listed_page_by_page_and_older_ranges_are_refused_before_sending() {
    let clock = TokioClock::new();
    let service = RecordingService::new();
    let mock = MockServer::start_with(APP_ID, SECRET, service.clock(clock.clone()))
        .await
        .expect("mock");
    // One task per page means many calls; the limiter keeps them under DescribeTasks' 10/s.
    let client = mock
        .client_builder()
        .clock(clock.clone())
        .rate_limit_per_action()
        .build()
        .expect("client");
    let mut started = Vec::new();
    // Five tasks over two and a half days, two of them in another room.
    for (hours, room) in [(0, "a"), (12, "a"), (12, "b"), (12, "a"), (20, "b")] {
        tokio::time::advance(Duration::from_secs(3600) * hours).await;
        let task = client
            .start_recording(&StartRecordRequest::single_stream(room, storage()))
            .await
            .expect("started");
        task.stop().await.expect("stopped");
        started.push(task.id().to_owned());
        tokio::time::advance(Duration::from_secs(2)).await;
    }
    let now = clock.unix_millis();
    let all = TaskQuery {
        page_size: 1,
        ..TaskQuery::new(TaskStatusFilter::Ended, TEST_EPOCH_MS, now)
    };
    let listed: Vec<String> = client
        .tasks(all)
        .map(|task| task.expect("page").task_id.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(listed, started, "every task once, one page at a time");

    let room_a = TaskQuery::new(TaskStatusFilter::Ended, TEST_EPOCH_MS, now).in_room("a");
    assert_eq!(client.tasks(room_a).count().await, 3);

    // Four days back: DescribeTasks would refuse it, so the client does, before sending.
    let sent_before = mock.requests().len();
    let too_old = TaskQuery::new(
        TaskStatusFilter::Ended,
        now - 4 * 86_400_000,
        now - 86_400_000,
    );
    let items: Vec<_> = client.tasks(too_old).collect().await;
    assert_eq!(items.len(), 1, "one error, then the stream ends");
    let Err(Error::Validation(validation)) = &items[0] else {
        panic!("{:?}", items[0]);
    };
    assert_eq!(
        validation.violations()[0].rule,
        rule_ids::TASKS_START_WITHIN_THREE_DAYS
    );
    assert_eq!(mock.requests().len(), sent_before);

    // Within the ten minutes of clock skew the service allows, the query is left to it.
    let at_the_edge = TaskQuery::new(
        TaskStatusFilter::Ended,
        now - 3 * 86_400_000 - 5 * 60_000,
        now - 2 * 86_400_000,
    );
    for item in client.tasks(at_the_edge).collect::<Vec<_>>().await {
        item.expect("sent, not refused");
    }
}
