//! A recording's whole life against the stateful mock, on tokio's paused clock: start,
//! layout, pause, resume, stop, files uploaded; the distinct "already ended" outcome; retries
//! that reuse a ClientTaskId; the rate limit; signed callbacks to the task's CallbackUrl; and
//! the task list over more than one window and page.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use zego_cloudrecord::callbacks::{self, CallbackEvent, CallbackVerifier};
use zego_cloudrecord::lifecycle::{Stopped, TaskQuery, WaitOptions};
use zego_cloudrecord::mock::MockServer;
use zego_cloudrecord::mock_service::RecordingService;
use zego_cloudrecord::{
    ApiCode, Client, Clock, Error, MixInput, MixMode, RecordOutputParams, Rect, StartRecordRequest,
    StorageParams, TaskStatus, TaskStatusFilter,
};

const APP_ID: u32 = 1_234_567_890;
const SECRET: &str = "lifecycle-secret";
const CALLBACK_SECRET: &str = "lifecycle-callback-secret";
/// The mock's clock starts here (Unix milliseconds).
const MOCK_EPOCH_MS: i64 = 1_764_000_000_000;

fn storage() -> StorageParams {
    StorageParams::amazon_s3("us-east-1", "recordings", "AKID", "storage-secret")
}

#[tokio::test(start_paused = true)]
async fn a_recording_from_start_to_uploaded_files() {
    let mock = MockServer::start(APP_ID, SECRET).await.expect("mock");
    let client = mock.client().expect("client");

    let task = client
        .start_recording(&StartRecordRequest::single_stream("room-1", storage()))
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
async fn the_rate_limit_answers_300000003_and_the_client_limiter_keeps_under_it() {
    let mock = MockServer::start(APP_ID, SECRET).await.expect("mock");
    let task = mock
        .client()
        .expect("client")
        .start_recording(&StartRecordRequest::single_stream("room-1", storage()))
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
    let limited = Client::builder(APP_ID, SECRET)
        .base_url(mock.url())
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

#[derive(Debug)]
struct MockClock;

impl Clock for MockClock {
    fn unix_seconds(&self) -> i64 {
        MOCK_EPOCH_MS / 1000 + 60
    }
}

#[tokio::test(start_paused = true)]
async fn the_mock_delivers_signed_callbacks_to_the_task_callback_url() {
    let (url, bodies) = callback_receiver().await;
    let service = RecordingService::new().callback_secret(CALLBACK_SECRET);
    let mock = MockServer::start_with(APP_ID, SECRET, service)
        .await
        .expect("mock");
    let request = StartRecordRequest::single_stream("room-9", storage())
        .with_record_output_params(RecordOutputParams::new().with_callback_url(url));
    let task = mock
        .client()
        .expect("client")
        .start_recording(&request)
        .await
        .expect("started");
    task.pause().await.expect("paused");
    task.stop().await.expect("stopped");
    for _ in 0..200 {
        if bodies.lock().expect("lock").len() >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let verifier = CallbackVerifier::new(CALLBACK_SECRET).clock(Arc::new(MockClock));
    let received = bodies.lock().expect("lock").clone();
    let events: Vec<String> = received
        .iter()
        .map(|body| {
            let callback = callbacks::verify(&verifier, body).expect("signed correctly");
            assert_eq!(callback.task_id.as_deref(), Some(task.id()));
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
    let wrong_key = CallbackVerifier::new("another").clock(Arc::new(MockClock));
    assert!(callbacks::verify(&wrong_key, &received[0]).is_err());
}

#[tokio::test(start_paused = true)]
async fn tasks_are_listed_page_by_page_across_three_day_windows() {
    let mock = MockServer::start(APP_ID, SECRET).await.expect("mock");
    // One task per page means many calls; the limiter keeps them under DescribeTasks' 10/s.
    let client = Client::builder(APP_ID, SECRET)
        .base_url(mock.url())
        .rate_limit_per_action()
        .build()
        .expect("client");
    let mut started = Vec::new();
    // Five tasks over eight days, two of them in another room.
    for (day, room) in [(0, "a"), (1, "a"), (4, "b"), (6, "a"), (8, "b")] {
        tokio::time::advance(Duration::from_secs(86_400) * day).await;
        let task = client
            .start_recording(&StartRecordRequest::single_stream(room, storage()))
            .await
            .expect("started");
        task.stop().await.expect("stopped");
        started.push(task.id().to_owned());
        tokio::time::advance(Duration::from_secs(2)).await;
    }
    let all = TaskQuery {
        page_size: 1,
        ..TaskQuery::new(
            TaskStatusFilter::Ended,
            MOCK_EPOCH_MS,
            MOCK_EPOCH_MS + 40 * 86_400_000,
        )
    };
    let listed: Vec<String> = client
        .tasks(all)
        .map(|task| task.expect("page").task_id.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(
        listed, started,
        "every task once, over 14 windows of at most three days"
    );

    let room_a = TaskQuery::new(
        TaskStatusFilter::Ended,
        MOCK_EPOCH_MS,
        MOCK_EPOCH_MS + 40 * 86_400_000,
    )
    .in_room("a");
    let count = client.tasks(room_a).count().await;
    assert_eq!(count, 3);
}
