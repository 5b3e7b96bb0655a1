//! The mock behaves like the service: it keeps the recording tasks it started and answers
//! every action as the documentation says the service does, on the real clock unless given
//! another ([`RecordingService::clock`]).
//!
//! - StartRecord starts a task (`Recording`); the same `ClientTaskId` again returns the
//!   existing TaskId, so retries can be tested end to end.
//! - PauseRecord and ResumeRecord move a mixed-stream task to `Paused` and back (resuming one
//!   that is not paused answers 300001004). Pausing a single-stream task is refused, as the
//!   documentation says only mixed-stream tasks pause; it does not say with which code, so the
//!   mock answers 300000004 (invalid parameter).
//! - StopRecord ends a task; its file then uploads for [`RecordingService::upload_delay`]
//!   (none by default), reported as `Uploading` by DescribeRecordStatus until it is done.
//! - Any action on a task that ended answers 300001001, on an unknown task 300001000.
//! - DescribeRecordStatus and DescribeTasks report the tasks (DescribeTasks by status, room
//!   and time window, page by page).
//! - Going over an action's documented calls per second answers 300000003.
//! - With [`RecordingService::callback_secret`], it POSTs correctly signed recording-status
//!   callbacks, carrying the mock's app id and timestamps from its clock, to the task's
//!   `RecordOutputParams.CallbackUrl`: uploading (7) at StopRecord, files uploaded (1) and
//!   finished (5) once the upload is done, paused (201) and resumed (202);
//!   [`RecordingService::send_callback`] sends any other documented event.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use zego_cloudrecord::mock::MockServer;
//! use zego_cloudrecord::mock::service::RecordingService;
//!
//! let service = RecordingService::new().upload_delay(Duration::from_millis(200));
//! let mock = MockServer::start_with(1234567890, "test-secret", service).await?;
//! let client = mock.client_builder().rate_limit_per_action().build()?;
//! # let _ = client;
//! # Ok(()) }
//! ```
//!
//! Programmed answers and the requests received, for tests of code that calls the API:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use zego_cloudrecord::mock::{MockResponse, MockServer};
//! use zego_cloudrecord::types::{StartRecordRequest, StorageParams};
//! use zego_cloudrecord::{ApiCode, Error};
//!
//! let mock = MockServer::start(1234567890, "test-secret").await?;
//! let client = mock.client()?;
//! let storage = StorageParams::amazon_s3("us-east-1", "bucket", "key-id", "key-secret");
//! let request = StartRecordRequest::single_stream("room-1", storage);
//!
//! let started = client.start_record(&request).await?;
//! assert!(started.data.task_id.is_some());
//!
//! mock.respond_next(1, MockResponse::ApiError { code: ApiCode::RateLimited, message: "slow down".into() });
//! assert!(matches!(client.start_record(&request).await, Err(Error::Api { .. })));
//!
//! let requests = mock.requests();
//! assert_eq!(requests.len(), 2);
//! assert!(requests.iter().all(|r| r.signature_valid && r.violations.is_empty()));
//! assert_eq!(requests[0].body["RoomId"], "room-1");
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use zego_server_runtime::deps::{reqwest, tokio};

use super::{Actions, Checked, DefaultMock, MockActions};
use crate::operations;
use crate::runtime::{callback_signature, Clock, SensitiveString, SystemClock};
use crate::types::{
    CallbackEventType, CallbackFileStatus, DescribeRecordStatusRequest, DescribeTasksRequest,
    MediaTrackType, PauseRecordRequest, RecordFileStatus, RecordMode, ResumeRecordRequest,
    StartRecordRequest, StopRecordRequest, StreamType, TakeSnapshotRequest, TaskStatus,
    TaskStatusFilter, UpdateLayoutRequest, UpdateWhiteboardRequest, UploadStatus,
};
use crate::{Api, ApiCode};

/// `MockServer::start` plays a [`RecordingService`] without callbacks: it keeps tasks like
/// the service does.
impl DefaultMock for Api {
    type Service = RecordingService;
}

/// The state the mock keeps; see the [module](self). Clones share the tasks, so a test can
/// keep one to send callbacks while the mock serves another; settings (secret, clock, upload
/// delay) belong to each value, so set them before cloning.
#[derive(Clone)]
pub struct RecordingService {
    state: Arc<Mutex<Tasks>>,
    callback_secret: Option<SensitiveString>,
    clock: Arc<dyn Clock>,
    upload_delay: Duration,
    app_id: Arc<AtomicU32>,
}

impl Default for RecordingService {
    fn default() -> Self {
        Self {
            state: Arc::default(),
            callback_secret: None,
            clock: Arc::new(SystemClock),
            upload_delay: Duration::ZERO,
            app_id: Arc::default(),
        }
    }
}

impl fmt::Debug for RecordingService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingService")
            .field("callback_secret", &self.callback_secret)
            .field("clock", &self.clock)
            .field("upload_delay", &self.upload_delay)
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Tasks {
    tasks: BTreeMap<String, Task>,
    client_task_ids: BTreeMap<String, String>,
    next: u64,
    /// Calls per action in the current second of the clock: (second, count).
    rates: BTreeMap<String, (i64, u32)>,
}

struct Task {
    room_id: String,
    status: TaskStatus,
    record_mode: RecordMode,
    begin_ms: i64,
    end_ms: Option<i64>,
    callback_url: Option<String>,
    sequence: i64,
}

/// Why [`RecordingService::send_callback`] sent nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackNotSent {
    /// No task has this id.
    UnknownTask(String),
    /// The task's StartRecord set no `RecordOutputParams.CallbackUrl`.
    NoCallbackUrl,
    /// The service has no [`RecordingService::callback_secret`] to sign with.
    NoCallbackSecret,
}

impl fmt::Display for CallbackNotSent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownTask(task_id) => write!(f, "the mock has no task {task_id}"),
            Self::NoCallbackUrl => f.write_str("the task was started without a CallbackUrl"),
            Self::NoCallbackSecret => f.write_str("the mock was given no callback secret"),
        }
    }
}

impl std::error::Error for CallbackNotSent {}

impl RecordingService {
    /// A service without callbacks, on the system clock, whose uploads take no time.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends signed callbacks, with this callback secret, to each task's CallbackUrl.
    #[must_use]
    pub fn callback_secret(mut self, secret: impl Into<SensitiveString>) -> Self {
        self.callback_secret = Some(secret.into());
        self
    }

    /// Where the current time comes from for task timestamps, rate limits, upload progress
    /// and callback timestamps; the system clock by default. Give the same
    /// [`ManualClock`](crate::runtime::ManualClock) to the client and the callback verifier to move
    /// all three together.
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// How long a stopped task's files take to upload: until then DescribeRecordStatus
    /// reports them `Uploading`, and the files-uploaded (1) and finished (5) callbacks follow
    /// once it has passed (on tokio's timer). None by default.
    #[must_use]
    pub fn upload_delay(mut self, delay: Duration) -> Self {
        self.upload_delay = delay;
        self
    }

    /// Sends a signed callback of `event`, with `detail` (the callback's `detail` object,
    /// `{}` when the event has none), for `task_id` to its CallbackUrl, in the background:
    /// any documented event, for testing a receiver's handling of it.
    ///
    /// # Errors
    /// Why nothing was sent: an unknown task, no CallbackUrl, or no callback secret.
    pub fn send_callback(
        &self,
        task_id: &str,
        event: CallbackEventType,
        detail: Value,
    ) -> Result<(), CallbackNotSent> {
        let mut tasks = self.tasks();
        if !tasks.tasks.contains_key(task_id) {
            return Err(CallbackNotSent::UnknownTask(task_id.to_owned()));
        }
        self.deliver(&mut tasks, task_id, vec![(event, detail)], Duration::ZERO)
    }

    fn tasks(&self) -> std::sync::MutexGuard<'_, Tasks> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

type Answer = Result<Value, (ApiCode, String)>;

fn refuse(code: ApiCode, message: &str) -> Answer {
    Err((code, message.to_owned()))
}

fn decoded<R: DeserializeOwned>(body: &[u8]) -> Result<R, (ApiCode, String)> {
    serde_json::from_slice(body).map_err(|error| (ApiCode::InvalidParameter, error.to_string()))
}

/// What an action did to a task: the task, and the callbacks it causes now and after the
/// upload.
struct Effect {
    task_id: Option<String>,
    now: Vec<CallbackEventType>,
    after_upload: Vec<CallbackEventType>,
}

impl Effect {
    fn on(task_id: &str) -> Self {
        Self {
            task_id: Some(task_id.to_owned()),
            now: Vec::new(),
            after_upload: Vec::new(),
        }
    }

    fn sending(mut self, events: &[CallbackEventType]) -> Self {
        self.now.extend_from_slice(events);
        self
    }
}

impl MockActions<ApiCode> for RecordingService {
    fn check(&self, action: &str, body: &[u8], sequence: u64) -> Option<Checked> {
        Actions.check(action, body, sequence)
    }

    fn serving(&self, app_id: u32) {
        self.app_id.store(app_id, Ordering::Relaxed);
    }

    fn respond(&self, action: &str, body: &[u8], data: Value) -> Answer {
        let mut tasks = self.tasks();
        let now = self.clock.unix_millis();
        if let Some(limit) = operations::ALL
            .iter()
            .find(|operation| operation.action == action)
            .and_then(|operation| operation.rate_limit)
        {
            if !tasks.allow(action, limit, now) {
                return refuse(
                    ApiCode::RateLimited,
                    "calls exceed the action's frequency limit",
                );
            }
        }
        let effect = match action {
            "StartRecord" => tasks.start(decoded::<StartRecordRequest>(body)?, now),
            "StopRecord" => {
                let task_id = decoded::<StopRecordRequest>(body)?.task_id;
                tasks
                    .change(&task_id, |task| {
                        task.status = TaskStatus::Ended;
                        task.end_ms = Some(now);
                        Ok(())
                    })
                    .map(|effect| Effect {
                        now: vec![CallbackEventType::Uploading],
                        after_upload: vec![
                            CallbackEventType::FilesUploaded,
                            CallbackEventType::Finished,
                        ],
                        ..effect
                    })
            }
            "PauseRecord" => {
                let task_id = decoded::<PauseRecordRequest>(body)?.task_id;
                tasks
                    .change(&task_id, |task| {
                        if task.record_mode != RecordMode::MixedStream {
                            return Err((
                                ApiCode::InvalidParameter,
                                "only mixed-stream tasks can be paused".to_owned(),
                            ));
                        }
                        task.status = TaskStatus::Paused;
                        Ok(())
                    })
                    .map(|effect| effect.sending(&[CallbackEventType::Paused]))
            }
            "ResumeRecord" => {
                let task_id = decoded::<ResumeRecordRequest>(body)?.task_id;
                tasks
                    .change(&task_id, |task| {
                        if task.status != TaskStatus::Paused {
                            return Err((
                                ApiCode::TaskNotPaused,
                                "the task is not paused".to_owned(),
                            ));
                        }
                        task.status = TaskStatus::Recording;
                        Ok(())
                    })
                    .map(|effect| effect.sending(&[CallbackEventType::Resumed]))
            }
            "UpdateLayout" => tasks.touch(&decoded::<UpdateLayoutRequest>(body)?.task_id),
            "UpdateWhiteboard" => tasks.touch(&decoded::<UpdateWhiteboardRequest>(body)?.task_id),
            "TakeSnapshot" => tasks.touch(&decoded::<TakeSnapshotRequest>(body)?.task_id),
            "DescribeRecordStatus" => {
                let task_id = decoded::<DescribeRecordStatusRequest>(body)?.task_id;
                return tasks.status(&task_id, now, self.upload_delay);
            }
            "DescribeTasks" => return Ok(tasks.list(&decoded::<DescribeTasksRequest>(body)?)),
            _ => return Ok(data),
        }?;
        let Some(task_id) = effect.task_id else {
            return Ok(json!({}));
        };
        let now_events = effect.now.into_iter().map(|event| (event, Value::Null));
        // Nothing to send is not a failure of the action: callbacks are the service's affair.
        let _ = self.deliver(&mut tasks, &task_id, now_events.collect(), Duration::ZERO);
        let after: Vec<(CallbackEventType, Value)> = effect
            .after_upload
            .into_iter()
            .map(|event| (event, Value::Null))
            .collect();
        if !after.is_empty() {
            let _ = self.deliver(&mut tasks, &task_id, after, self.upload_delay);
        }
        Ok(match action {
            "StartRecord" => json!({ "TaskId": task_id }),
            _ => json!({}),
        })
    }
}

type Change = Result<Effect, (ApiCode, String)>;

impl Tasks {
    /// Counts a call of `action` in the clock's current second; false when over `limit`.
    fn allow(&mut self, action: &str, limit: u32, now_ms: i64) -> bool {
        let second = now_ms.div_euclid(1000);
        let entry = self.rates.entry(action.to_owned()).or_insert((second, 0));
        if entry.0 != second {
            *entry = (second, 0);
        }
        entry.1 += 1;
        entry.1 <= limit
    }

    fn start(&mut self, request: StartRecordRequest, now: i64) -> Change {
        let client_task_id = request.record_input_params.client_task_id.clone();
        if let Some(existing) = client_task_id
            .as_ref()
            .and_then(|id| self.client_task_ids.get(id))
        {
            return Ok(Effect::on(existing));
        }
        self.next += 1;
        let task_id = format!("mock{:012}", self.next);
        let callback_url = request
            .record_output_params
            .as_ref()
            .and_then(|output| output.callback_url.clone());
        self.tasks.insert(
            task_id.clone(),
            Task {
                room_id: request.room_id.clone(),
                status: TaskStatus::Recording,
                record_mode: request.record_input_params.record_mode,
                begin_ms: now,
                end_ms: None,
                callback_url,
                sequence: 0,
            },
        );
        if let Some(id) = client_task_id {
            self.client_task_ids.insert(id, task_id.clone());
        }
        Ok(Effect::on(&task_id))
    }

    /// Applies `change` to a task that exists and has not ended.
    fn change(
        &mut self,
        task_id: &str,
        change: impl FnOnce(&mut Task) -> Result<(), (ApiCode, String)>,
    ) -> Change {
        let task = self.tasks.get_mut(task_id).ok_or_else(|| {
            (
                ApiCode::TaskNotFound,
                format!("no recording task {task_id}"),
            )
        })?;
        if task.status == TaskStatus::Ended {
            return Err((
                ApiCode::TaskAlreadyEnded,
                "the recording task has ended".to_owned(),
            ));
        }
        change(task)?;
        Ok(Effect::on(task_id))
    }

    fn touch(&mut self, task_id: &str) -> Change {
        self.change(task_id, |_| Ok(()))
    }

    fn status(&self, task_id: &str, now: i64, upload_delay: Duration) -> Answer {
        let task = self.tasks.get(task_id).ok_or_else(|| {
            (
                ApiCode::TaskNotFound,
                format!("no recording task {task_id}"),
            )
        })?;
        let files = match task.end_ms {
            Some(end) => {
                let delay = i64::try_from(upload_delay.as_millis()).unwrap_or(i64::MAX);
                let status = if now >= end.saturating_add(delay) {
                    RecordFileStatus::Uploaded
                } else {
                    RecordFileStatus::Uploading
                };
                vec![file(task_id, task, status.wire_value())]
            }
            None => Vec::new(),
        };
        Ok(json!({
            "RoomId": task.room_id,
            "RecordMode": task.record_mode.wire_value(),
            "StreamType": StreamType::AudioAndVideo.wire_value(),
            "RecordBeginTimestamp": task.begin_ms,
            "RecordEndTimestamp": task.end_ms.unwrap_or(0),
            "Status": task.status.wire_value(),
            "RecordFiles": files,
        }))
    }

    fn list(&self, request: &DescribeTasksRequest) -> Value {
        let matching: Vec<Value> = self
            .tasks
            .iter()
            .filter(|(_, task)| match request.status {
                TaskStatusFilter::Recording => task.status != TaskStatus::Ended,
                _ => task.status == TaskStatus::Ended,
            })
            .filter(|(_, task)| request.room_id.as_ref().is_none_or(|room| *room == task.room_id))
            .filter(|(_, task)| (request.start_time..=request.end_time).contains(&task.begin_ms))
            .map(|(id, task)| {
                json!({"TaskId": id, "RoomId": task.room_id, "Status": task.status.wire_value(), "RecordBeginTimestamp": task.begin_ms})
            })
            .collect();
        let size = usize::try_from(request.page_size_or_default().max(1)).unwrap_or(1);
        let offset = usize::try_from(request.page_offset_or_default().max(1) - 1).unwrap_or(0);
        let page: Vec<Value> = matching
            .iter()
            .skip(offset.saturating_mul(size))
            .take(size)
            .cloned()
            .collect();
        json!({
            "PageOffset": offset + 1,
            "PageSize": size,
            "TotalCount": matching.len(),
            "TaskidList": page,
        })
    }
}

/// The one file a mock task records: an MP4 in the caller's storage.
fn file(task_id: &str, task: &Task, status: i64) -> Value {
    let end = task.end_ms.unwrap_or(task.begin_ms);
    json!({
        "StreamId": "mixed",
        "FileId": format!("{task_id}_{}_mixed_VA.mp4", task.room_id),
        "FileUrl": format!("https://storage.mock.invalid/{task_id}.mp4"),
        "OutputFileFormat": "mp4",
        "FileSize": 1_048_576,
        "Duration": end - task.begin_ms,
        "MediaTrackType": MediaTrackType::AudioAndVideo.wire_value(),
        "BeginTimestamp": task.begin_ms,
        "Status": status,
    })
}

impl RecordingService {
    /// Sends `events` for `task_id` to its callback URL, signed at sending time, after
    /// `delay`, in the background. An event without its own detail (`Value::Null`) gets the
    /// detail the service sends with it.
    fn deliver(
        &self,
        tasks: &mut Tasks,
        task_id: &str,
        events: Vec<(CallbackEventType, Value)>,
        delay: Duration,
    ) -> Result<(), CallbackNotSent> {
        let secret = self
            .callback_secret
            .clone()
            .ok_or(CallbackNotSent::NoCallbackSecret)?;
        let task = tasks
            .tasks
            .get_mut(task_id)
            .ok_or_else(|| CallbackNotSent::UnknownTask(task_id.to_owned()))?;
        let url = task
            .callback_url
            .clone()
            .ok_or(CallbackNotSent::NoCallbackUrl)?;
        let app_id = self.app_id.load(Ordering::Relaxed);
        let mut bodies = Vec::new();
        for (event, detail) in events {
            let detail = match (event, detail) {
                (CallbackEventType::FilesUploaded, Value::Null) => uploaded_detail(task_id, task),
                (_, Value::Null) => json!({}),
                (_, detail) => detail,
            };
            let nonce = format!("{:06}", task.sequence);
            bodies.push((
                nonce,
                json!({
                    "app_id": app_id, "task_id": task_id, "room_id": task.room_id,
                    "event_type": event.wire_value(), "message": "", "sequence": task.sequence,
                    "detail": detail,
                }),
            ));
            task.sequence += 1;
        }
        let clock = self.clock.clone();
        tokio::spawn(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let Ok(http) = reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
            else {
                return;
            };
            for (nonce, mut body) in bodies {
                let timestamp = clock.unix_seconds().to_string();
                body["signature"] = json!(callback_signature(&secret, &timestamp, &nonce));
                body["timestamp"] = json!(timestamp);
                body["nonce"] = json!(nonce);
                let _ = http
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.to_string())
                    .send()
                    .await;
            }
        });
        Ok(())
    }
}

/// The detail of a files-uploaded callback (event 1) for the task's one file.
fn uploaded_detail(task_id: &str, task: &Task) -> Value {
    let file = file(task_id, task, RecordFileStatus::Uploaded.wire_value());
    json!({"upload_status": UploadStatus::AllUploaded.wire_value(), "file_info": [{
        "stream_id": file["StreamId"],
        "file_id": file["FileId"], "file_url": file["FileUrl"],
        "output_file_format": file["OutputFileFormat"], "file_size": file["FileSize"],
        "duration": file["Duration"], "media_track_type": file["MediaTrackType"],
        "begin_timestamp": file["BeginTimestamp"],
        "status": CallbackFileStatus::Uploaded.wire_value()
    }]})
}
