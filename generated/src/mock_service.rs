//! The mock behaves like the service: it keeps the recording tasks it started and answers
//! every action as the documentation says the service does.
//!
//! - StartRecord starts a task (`Recording`); the same `ClientTaskId` again returns the
//!   existing TaskId, so retries can be tested end to end.
//! - PauseRecord and ResumeRecord move a task to `Paused` and back (resuming one that is not
//!   paused answers 300001004); StopRecord ends it and its file is uploaded.
//! - Any action on a task that ended answers 300001001, on an unknown task 300001000.
//! - DescribeRecordStatus and DescribeTasks report the tasks (DescribeTasks by status, room
//!   and time window, page by page).
//! - Going over an action's documented calls per second answers 300000003.
//! - With [`RecordingService::callback_secret`], it POSTs correctly signed recording-status
//!   callbacks to the task's `RecordOutputParams.CallbackUrl`: uploading (7), files uploaded
//!   (1) and finished (5) after StopRecord, paused (201) and resumed (202).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::mock_actions::Actions;
use super::operations;
use super::runtime::mock::{Checked, MockActions, MockServer};
use super::runtime::{callback_signature, ApiCode, SensitiveString};
use super::types::{
    DescribeRecordStatusRequest, DescribeTasksRequest, PauseRecordRequest, ResumeRecordRequest,
    StartRecordRequest, StopRecordRequest, TakeSnapshotRequest, UpdateLayoutRequest,
    UpdateWhiteboardRequest,
};

impl MockServer {
    /// Starts the mock on 127.0.0.1 (random port) for `app_id` and its ServerSecret, keeping
    /// tasks like the service does (a [`RecordingService`] without callbacks).
    ///
    /// # Errors
    /// When no local port can be bound.
    pub async fn start(
        app_id: u32,
        server_secret: impl Into<SensitiveString>,
    ) -> std::io::Result<Self> {
        Self::start_with(app_id, server_secret, RecordingService::new()).await
    }
}

/// The state the mock keeps; see the [module](self).
#[derive(Clone, Default)]
pub struct RecordingService {
    state: Arc<Mutex<Tasks>>,
    callback_secret: Option<SensitiveString>,
}

impl std::fmt::Debug for RecordingService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordingService")
            .field("callback_secret", &self.callback_secret)
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Tasks {
    tasks: BTreeMap<String, Task>,
    client_task_ids: BTreeMap<String, String>,
    next: u64,
    /// Calls per action in the current second: (second, count).
    rates: BTreeMap<String, (u64, u32)>,
    started: Option<tokio::time::Instant>,
}

struct Task {
    room_id: String,
    status: i64,
    record_mode: i64,
    begin_ms: i64,
    end_ms: Option<i64>,
    callback_url: Option<String>,
    sequence: i64,
}

/// Task statuses on the wire (TaskStatus).
const RECORDING: i64 = 2;
const ENDED: i64 = 3;
const PAUSED: i64 = 5;

/// When the mock's clock starts, in Unix milliseconds; it then runs on tokio's clock, so
/// tests on a paused clock see time pass only as they advance it.
const EPOCH_MS: i64 = 1_764_000_000_000;

impl RecordingService {
    /// A service without callbacks.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends signed callbacks, with this callback secret, to each task's CallbackUrl.
    #[must_use]
    pub fn callback_secret(mut self, secret: impl Into<SensitiveString>) -> Self {
        self.callback_secret = Some(secret.into());
        self
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

impl MockActions for RecordingService {
    fn check(&self, action: &str, body: &[u8], sequence: u64) -> Option<Checked> {
        Actions.check(action, body, sequence)
    }

    fn respond(&self, action: &str, body: &[u8], data: Value) -> Answer {
        let mut tasks = self.tasks();
        let now = tasks.now_ms();
        if let Some(limit) = operations::ALL
            .iter()
            .find(|operation| operation.action == action)
            .and_then(|operation| operation.rate_limit)
        {
            if !tasks.allow(action, limit) {
                return refuse(
                    ApiCode::RateLimited,
                    "calls exceed the action's frequency limit",
                );
            }
        }
        let answer = match action {
            "StartRecord" => tasks.start(decoded::<StartRecordRequest>(body)?, now),
            "StopRecord" => {
                let task_id = decoded::<StopRecordRequest>(body)?.task_id;
                tasks.change(&task_id, |task| {
                    task.status = ENDED;
                    task.end_ms = Some(now);
                    Ok(vec![7, 1, 5])
                })
            }
            "PauseRecord" => {
                let task_id = decoded::<PauseRecordRequest>(body)?.task_id;
                tasks.change(&task_id, |task| {
                    task.status = PAUSED;
                    Ok(vec![201])
                })
            }
            "ResumeRecord" => {
                let task_id = decoded::<ResumeRecordRequest>(body)?.task_id;
                tasks.change(&task_id, |task| {
                    if task.status != PAUSED {
                        return Err((ApiCode::TaskNotPaused, "the task is not paused".to_owned()));
                    }
                    task.status = RECORDING;
                    Ok(vec![202])
                })
            }
            "UpdateLayout" => tasks.touch(&decoded::<UpdateLayoutRequest>(body)?.task_id),
            "UpdateWhiteboard" => tasks.touch(&decoded::<UpdateWhiteboardRequest>(body)?.task_id),
            "TakeSnapshot" => tasks.touch(&decoded::<TakeSnapshotRequest>(body)?.task_id),
            "DescribeRecordStatus" => {
                let task_id = decoded::<DescribeRecordStatusRequest>(body)?.task_id;
                return tasks.status(&task_id);
            }
            "DescribeTasks" => return Ok(tasks.list(&decoded::<DescribeTasksRequest>(body)?)),
            _ => return Ok(data),
        };
        let (task_id, events) = answer?;
        if let Some(task_id) = &task_id {
            self.deliver(&mut tasks, task_id, &events, now);
        }
        Ok(match (action, task_id) {
            ("StartRecord", Some(task_id)) => json!({ "TaskId": task_id }),
            _ => json!({}),
        })
    }
}

type Change = Result<(Option<String>, Vec<i64>), (ApiCode, String)>;

impl Tasks {
    fn now_ms(&mut self) -> i64 {
        let started = *self.started.get_or_insert_with(tokio::time::Instant::now);
        EPOCH_MS + i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
    }

    /// Counts a call of `action` in the current second; false when over `limit`.
    fn allow(&mut self, action: &str, limit: u32) -> bool {
        let second = self
            .started
            .map_or(0, |started| started.elapsed().as_secs());
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
            return Ok((Some(existing.clone()), Vec::new()));
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
                status: RECORDING,
                record_mode: request.record_input_params.record_mode.wire_value(),
                begin_ms: now,
                end_ms: None,
                callback_url,
                sequence: 0,
            },
        );
        if let Some(id) = client_task_id {
            self.client_task_ids.insert(id, task_id.clone());
        }
        Ok((Some(task_id), Vec::new()))
    }

    /// Applies `change` to a task that exists and has not ended.
    fn change(
        &mut self,
        task_id: &str,
        change: impl FnOnce(&mut Task) -> Result<Vec<i64>, (ApiCode, String)>,
    ) -> Change {
        let task = self.tasks.get_mut(task_id).ok_or_else(|| {
            (
                ApiCode::TaskNotFound,
                format!("no recording task {task_id}"),
            )
        })?;
        if task.status == ENDED {
            return Err((
                ApiCode::TaskAlreadyEnded,
                "the recording task has ended".to_owned(),
            ));
        }
        let events = change(task)?;
        Ok((Some(task_id.to_owned()), events))
    }

    fn touch(&mut self, task_id: &str) -> Change {
        self.change(task_id, |_| Ok(Vec::new()))
    }

    fn status(&self, task_id: &str) -> Answer {
        let task = self.tasks.get(task_id).ok_or_else(|| {
            (
                ApiCode::TaskNotFound,
                format!("no recording task {task_id}"),
            )
        })?;
        let files = if task.status == ENDED {
            vec![file(task_id, task)]
        } else {
            Vec::new()
        };
        Ok(json!({
            "RoomId": task.room_id,
            "RecordMode": task.record_mode,
            "StreamType": 3,
            "RecordBeginTimestamp": task.begin_ms,
            "RecordEndTimestamp": task.end_ms.unwrap_or(0),
            "Status": task.status,
            "RecordFiles": files,
        }))
    }

    fn list(&self, request: &DescribeTasksRequest) -> Value {
        let wanted = request.status.wire_value();
        let matching: Vec<Value> = self
            .tasks
            .iter()
            .filter(|(_, task)| match wanted {
                RECORDING => task.status != ENDED,
                _ => task.status == ENDED,
            })
            .filter(|(_, task)| request.room_id.as_ref().is_none_or(|room| *room == task.room_id))
            .filter(|(_, task)| (request.start_time..=request.end_time).contains(&task.begin_ms))
            .map(|(id, task)| {
                json!({"TaskId": id, "RoomId": task.room_id, "Status": task.status, "RecordBeginTimestamp": task.begin_ms})
            })
            .collect();
        let size = usize::try_from(request.page_size.unwrap_or(50).clamp(1, 50)).unwrap_or(50);
        let offset = usize::try_from(request.page_offset.unwrap_or(1).max(1) - 1).unwrap_or(0);
        let page: Vec<Value> = matching
            .iter()
            .skip(offset * size)
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
fn file(task_id: &str, task: &Task) -> Value {
    let end = task.end_ms.unwrap_or(task.begin_ms);
    json!({
        "StreamId": "mixed",
        "FileId": format!("{task_id}_{}_mixed_VA.mp4", task.room_id),
        "FileUrl": format!("https://storage.mock.invalid/{task_id}.mp4"),
        "OutputFileFormat": "mp4",
        "FileSize": 1_048_576,
        "Duration": end - task.begin_ms,
        "MediaTrackType": 3,
        "BeginTimestamp": task.begin_ms,
        "Status": 3,
    })
}

impl RecordingService {
    /// Sends `events` for `task_id` to its callback URL, signed, in the background.
    fn deliver(&self, tasks: &mut Tasks, task_id: &str, events: &[i64], now_ms: i64) {
        let Some(secret) = self.callback_secret.clone() else {
            return;
        };
        let Some(task) = tasks.tasks.get_mut(task_id) else {
            return;
        };
        let Some(url) = task.callback_url.clone() else {
            return;
        };
        let mut bodies = Vec::new();
        for &event in events {
            let detail = if event == 1 {
                let file = file(task_id, task);
                json!({"upload_status": 1, "file_info": [{
                    "stream_id": "mixed",
                    "file_id": file["FileId"], "file_url": file["FileUrl"],
                    "output_file_format": "mp4", "file_size": file["FileSize"],
                    "duration": file["Duration"], "media_track_type": 3,
                    "begin_timestamp": file["BeginTimestamp"], "status": 3
                }]})
            } else {
                json!({})
            };
            let timestamp = (now_ms / 1000).to_string();
            let nonce = format!("{:06}", task.sequence);
            bodies.push(json!({
                "app_id": 0, "task_id": task_id, "room_id": task.room_id,
                "event_type": event, "message": "", "sequence": task.sequence,
                "timestamp": timestamp, "nonce": nonce,
                "signature": callback_signature(&secret, &timestamp, &nonce),
                "detail": detail,
            }));
            task.sequence += 1;
        }
        tokio::spawn(async move {
            let Ok(http) = reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
            else {
                return;
            };
            for body in bodies {
                let _ = http
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.to_string())
                    .send()
                    .await;
            }
        });
    }
}
