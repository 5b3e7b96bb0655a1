//! A recording task's life: start it, act on it, wait for its files, list tasks.
//!
//! ```no_run
//! use std::time::Duration;
//! use zego_cloudrecord::lifecycle::WaitOptions;
//! use zego_cloudrecord::types::{StartRecordRequest, StorageParams};
//! use zego_cloudrecord::Client;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(1234567890, "server secret")?;
//! let storage = StorageParams::amazon_s3("us-east-1", "recordings", "AKID...", "secret-key");
//! let task = client
//!     .start_recording(&StartRecordRequest::single_stream("room-1", storage))
//!     .await?;
//! // ... the meeting happens ...
//! task.stop().await?;
//! let outcome = task.wait_for_files(WaitOptions::default()).await?;
//! for file in &outcome.files {
//!     println!("{}: {}", file.url.as_deref().unwrap_or("(no URL)"), file.outcome);
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::time::Duration;

use zego_server_runtime::deps::futures_core::Stream;
use zego_server_runtime::deps::{futures_util, tokio};

use super::helpers::{Rect, StartRecordResponseExt};
use super::operations;
use super::rule_ids;
use super::runtime::{FieldPath, Violation};
use super::types::{
    DescribeRecordStatusData, DescribeRecordStatusRequest, DescribeTasksRequest,
    MixOutputVideoConfig, PauseRecordRequest, RecordFile, RecordFileStatus, RecordTaskItem,
    ResumeRecordRequest, StartRecordRequest, StopRecordRequest, TakeSnapshotRequest, TaskStatus,
    TaskStatusFilter, UpdateLayoutRequest, UpdateLayoutResponse, UpdateWhiteboardRequest,
};
use super::{ApiCode, ApiResponse, Client, Error};

impl Client {
    /// Starts a recording (StartRecord) and returns a handle for the new task, which
    /// remembers the task's canvas (`MixConfig.MixOutputVideoConfig`) to check layout
    /// updates against it.
    ///
    /// # Errors
    /// As [`Client::start_record`]; [`Error::MissingInResponse`] (with the RequestId) when a
    /// successful answer has no TaskId.
    pub async fn start_recording(
        &self,
        request: &StartRecordRequest,
    ) -> Result<RecordingTask, Error> {
        let response = self.start_record(request).await?;
        let task_id = response.task_id()?.to_owned();
        let task = self.task(task_id);
        Ok(
            match request
                .record_input_params
                .mix_config
                .as_ref()
                .and_then(|mix| mix.mix_output_video_config.as_ref())
            {
                Some(video) => task.with_canvas(video),
                None => task,
            },
        )
    }

    /// A handle for a task started earlier, by its id. It knows no canvas unless told
    /// ([`RecordingTask::with_canvas`]).
    pub fn task(&self, task_id: impl Into<String>) -> RecordingTask {
        RecordingTask {
            client: self.clone(),
            task_id: task_id.into(),
            canvas: None,
        }
    }

    /// Every task matching `query`, as an async stream, page by page; each page is one
    /// DescribeTasks call, made when the stream reaches it.
    ///
    /// DescribeTasks answers only for tasks that began at most three days before now, in a
    /// window of at most three days. A query reaching further back is not clipped: its first
    /// call is refused by the client's checks (`tasks-start-within-three-days`, made with the
    /// client's clock), so the stream's one item is that error and the caller learns that
    /// older tasks cannot be listed. [`TaskQuery::recent`] builds a query that always fits.
    pub fn tasks(
        &self,
        query: TaskQuery,
    ) -> impl Stream<Item = Result<RecordTaskItem, Error>> + '_ {
        let state = Pages {
            query,
            page: 1,
            buffer: Vec::new(),
            done: false,
        };
        futures_util::stream::unfold(state, move |mut pages| async move {
            loop {
                if let Some(task) = pages.buffer.pop() {
                    return Some((Ok(task), pages));
                }
                if pages.done {
                    return None;
                }
                match pages.fetch(self).await {
                    Ok(()) => {}
                    Err(error) => {
                        pages.done = true;
                        return Some((Err(error), pages));
                    }
                }
            }
        })
    }
}

/// What [`Client::tasks`] lists: tasks whose recording began in `[start_ms, end_ms]` (Unix
/// milliseconds), recording or ended, in one room or all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskQuery {
    /// Recording (2) or ended (3) tasks.
    pub status: TaskStatusFilter,
    /// One room, or every room of the AppId.
    pub room_id: Option<String>,
    /// Start of the range, Unix milliseconds.
    pub start_ms: i64,
    /// End of the range, Unix milliseconds.
    pub end_ms: i64,
    /// Tasks per page (DescribeTasks' PageSize).
    pub page_size: i64,
}

impl TaskQuery {
    /// Tasks with `status` whose recording began between `start_ms` and `end_ms`, as many a
    /// page as DescribeTasks sends by default.
    pub fn new(status: TaskStatusFilter, start_ms: i64, end_ms: i64) -> Self {
        Self {
            status,
            room_id: None,
            start_ms,
            end_ms,
            page_size: DescribeTasksRequest::DEFAULT_PAGE_SIZE,
        }
    }

    /// Tasks with `status` whose recording began in the last `within` before now on
    /// `client`'s clock. Keep `within` at most three days, the furthest back DescribeTasks
    /// looks.
    pub fn recent(client: &Client, status: TaskStatusFilter, within: Duration) -> Self {
        let now = client.now_unix_millis();
        let within = i64::try_from(within.as_millis()).unwrap_or(i64::MAX);
        Self::new(status, now.saturating_sub(within), now)
    }

    /// Only tasks of `room_id`.
    #[must_use]
    pub fn in_room(mut self, room_id: impl Into<String>) -> Self {
        self.room_id = Some(room_id.into());
        self
    }
}

struct Pages {
    query: TaskQuery,
    page: i64,
    /// The current page's tasks, last first.
    buffer: Vec<RecordTaskItem>,
    done: bool,
}

impl Pages {
    /// Loads the next page into the buffer.
    async fn fetch(&mut self, client: &Client) -> Result<(), Error> {
        let mut request =
            DescribeTasksRequest::new(self.query.status, self.query.start_ms, self.query.end_ms)
                .with_page_offset(self.page)
                .with_page_size(self.query.page_size);
        if let Some(room) = &self.query.room_id {
            request = request.with_room_id(room.clone());
        }
        let data = client.describe_tasks(&request).await?.data;
        let tasks = data.taskid_list.unwrap_or_default();
        let count = i64::try_from(tasks.len()).unwrap_or(i64::MAX);
        let seen = (self.page - 1)
            .saturating_mul(self.query.page_size)
            .saturating_add(count);
        let page_was_full = count >= self.query.page_size;
        let more = data.total_count.map_or(page_was_full, |total| seen < total) && count > 0;
        self.buffer = tasks.into_iter().rev().collect();
        if more {
            self.page += 1;
        } else {
            self.done = true;
        }
        Ok(())
    }
}

/// A recording task: its id, and the calls that act on it, each one call of the API with the
/// task's id filled in.
#[derive(Clone, Debug)]
pub struct RecordingTask {
    client: Client,
    task_id: String,
    /// The task's output canvas, when known: layout updates are checked against it.
    canvas: Option<Rect>,
}

/// What stopping a task did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stopped {
    /// The task was recording and is now stopping; its files are being uploaded.
    Now {
        /// The StopRecord call's RequestId.
        request_id: Option<String>,
    },
    /// The task had already ended (StopRecord called before, or it stopped by itself after
    /// MaxIdleTime or MaxRecordTime), or it is no longer known (300001000). Nothing to do.
    AlreadyEnded {
        /// The code the service answered: `TaskAlreadyEnded` or `TaskNotFound`.
        code: ApiCode,
    },
}

impl RecordingTask {
    /// The task's id.
    pub fn id(&self) -> &str {
        &self.task_id
    }

    /// The same handle, knowing that the task records on the canvas `video` describes (the
    /// StartRecord request's `MixConfig.MixOutputVideoConfig`), so that layout updates with
    /// views outside it are found before sending. [`Client::start_recording`] sets it.
    #[must_use]
    pub fn with_canvas(mut self, video: &MixOutputVideoConfig) -> Self {
        self.canvas = Some(Rect::canvas(video));
        self
    }

    /// The task's canvas, when the handle knows it.
    pub fn canvas(&self) -> Option<Rect> {
        self.canvas
    }

    /// Stops the task (StopRecord). Stopping a task that has already ended is
    /// [`Stopped::AlreadyEnded`], not an error.
    ///
    /// # Errors
    /// As [`Client::stop_record`], but for the two "already ended" codes.
    pub async fn stop(&self) -> Result<Stopped, Error> {
        match self
            .client
            .stop_record(&StopRecordRequest::new(&self.task_id))
            .await
        {
            Ok(response) => Ok(Stopped::Now {
                request_id: response.request_id,
            }),
            Err(Error::Api {
                code: code @ (ApiCode::TaskAlreadyEnded | ApiCode::TaskNotFound),
                ..
            }) => Ok(Stopped::AlreadyEnded { code }),
            Err(error) => Err(error),
        }
    }

    /// Pauses the task (PauseRecord; stream mixing tasks only).
    ///
    /// # Errors
    /// As [`Client::pause_record`].
    pub async fn pause(&self) -> Result<ApiResponse<()>, Error> {
        self.client
            .pause_record(&PauseRecordRequest::new(&self.task_id))
            .await
    }

    /// Resumes a paused task (ResumeRecord).
    ///
    /// # Errors
    /// As [`Client::resume_record`]; `TaskNotPaused` when it was not paused.
    pub async fn resume(&self) -> Result<ApiResponse<()>, Error> {
        self.client
            .resume_record(&ResumeRecordRequest::new(&self.task_id))
            .await
    }

    /// Changes the layout (UpdateLayout): `layout` gets a request with the task's id and
    /// returns it with the layout set. When the handle knows the task's canvas, each view must
    /// lie inside it (`layout-views-within-canvas`), checked like every other rule.
    ///
    /// ```no_run
    /// # async fn run(task: zego_cloudrecord::lifecycle::RecordingTask) -> Result<(), zego_cloudrecord::Error> {
    /// use zego_cloudrecord::types::{MixInput, UpdateLayoutRequest};
    /// use zego_cloudrecord::Rect;
    ///
    /// let views = vec![MixInput::stream_view("teacher", Rect::at(0, 0, 1280, 720), 1)];
    /// task.update_layout(|request| UpdateLayoutRequest::custom_layout(request.task_id, views))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Client::update_layout`].
    pub async fn update_layout(
        &self,
        layout: impl FnOnce(UpdateLayoutRequest) -> UpdateLayoutRequest,
    ) -> Result<ApiResponse<()>, Error> {
        let request = layout(UpdateLayoutRequest::new(&self.task_id)).with_task_id(&self.task_id);
        let outside = self.views_outside_canvas(&request);
        self.client
            .inner
            .execute_with_findings::<_, UpdateLayoutResponse>(
                &operations::UPDATE_LAYOUT,
                &request,
                outside,
            )
            .await
    }

    /// Sets a custom layout (MixMode 1) of `views`, as [`RecordingTask::update_layout`].
    ///
    /// # Errors
    /// As [`Client::update_layout`].
    pub async fn set_custom_layout(
        &self,
        views: Vec<super::types::MixInput>,
    ) -> Result<ApiResponse<()>, Error> {
        self.update_layout(|request| UpdateLayoutRequest::custom_layout(request.task_id, views))
            .await
    }

    /// Each view of `request` that reaches past the task's canvas, as a finding of the
    /// operation's precondition `layout-views-within-canvas`.
    fn views_outside_canvas(&self, request: &UpdateLayoutRequest) -> Vec<Violation> {
        let (Some(canvas), Some(views)) = (self.canvas, request.mix_input_list.as_ref()) else {
            return Vec::new();
        };
        let list = FieldPath::Root.field("MixInputList");
        let mut findings = Vec::new();
        for (index, view) in views.iter().enumerate() {
            let at = list.index(index);
            let area = view.area();
            for (edge, value, limit) in [
                ("Right", area.right, canvas.right),
                ("Bottom", area.bottom, canvas.bottom),
            ] {
                if value > limit {
                    findings.push(Violation::new(
                        &at.field(edge),
                        rule_ids::LAYOUT_VIEWS_WITHIN_CANVAS,
                        format!(
                            "the view reaches {value}, past the task's {}×{} canvas",
                            canvas.width(),
                            canvas.height()
                        ),
                    ));
                }
            }
        }
        findings
    }

    /// Shows another whiteboard (UpdateWhiteboard).
    ///
    /// # Errors
    /// As [`Client::update_whiteboard`].
    pub async fn update_whiteboard(
        &self,
        whiteboard_id: impl Into<String>,
    ) -> Result<ApiResponse<()>, Error> {
        let request = UpdateWhiteboardRequest::new(&self.task_id, whiteboard_id);
        self.client.update_whiteboard(&request).await
    }

    /// Takes a snapshot of the mixed output (TakeSnapshot); the image arrives by callback.
    ///
    /// # Errors
    /// As [`Client::take_snapshot`].
    pub async fn take_snapshot(&self) -> Result<ApiResponse<()>, Error> {
        self.client
            .take_snapshot(&TakeSnapshotRequest::new(&self.task_id))
            .await
    }

    /// The task's state and files (DescribeRecordStatus).
    ///
    /// # Errors
    /// As [`Client::describe_record_status`].
    pub async fn status(&self) -> Result<DescribeRecordStatusData, Error> {
        let request = DescribeRecordStatusRequest::new(&self.task_id);
        Ok(self.client.describe_record_status(&request).await?.data)
    }

    /// Polls the task's status until it has ended and every file is uploaded or has failed,
    /// with backoff, never faster than DescribeRecordStatus' documented limit allows, until
    /// `options.deadline`.
    ///
    /// # Errors
    /// [`WaitError::Deadline`] when the files are not settled in time (with the last
    /// status); [`WaitError::Api`] when a status call fails.
    pub async fn wait_for_files(
        &self,
        options: WaitOptions,
    ) -> Result<RecordingOutcome, WaitError> {
        let started = tokio::time::Instant::now();
        let min_interval = min_poll_interval();
        let mut interval = options.first_interval.max(min_interval);
        loop {
            let status = self.status().await.map_err(WaitError::Api)?;
            if let Some(outcome) = RecordingOutcome::settled(&status) {
                return Ok(outcome);
            }
            if started.elapsed() + interval > options.deadline {
                return Err(WaitError::Deadline {
                    waited: started.elapsed(),
                    last: Box::new(status),
                });
            }
            tokio::time::sleep(interval).await;
            interval = interval
                .mul_f32(1.5)
                .min(options.max_interval.max(min_interval));
        }
    }
}

/// The shortest wait between two status calls: DescribeRecordStatus' documented limit, so a
/// waiter never polls faster than the service allows.
fn min_poll_interval() -> Duration {
    operations::DESCRIBE_RECORD_STATUS
        .rate_limit
        .map_or(Duration::ZERO, |per_second| {
            Duration::from_secs(1) / per_second.max(1)
        })
}

/// How [`RecordingTask::wait_for_files`] polls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// Gives up after this long.
    pub deadline: Duration,
    /// Waits this long after the first look, then 1.5 times longer each time.
    pub first_interval: Duration,
    /// The longest wait between two looks.
    pub max_interval: Duration,
}

impl Default for WaitOptions {
    /// Ten minutes, polling from every 2 seconds up to every 15.
    fn default() -> Self {
        Self {
            deadline: Duration::from_secs(600),
            first_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(15),
        }
    }
}

impl WaitOptions {
    /// Gives up after `deadline`.
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Waits `interval` after the first look (never less than the action's rate limit
    /// allows).
    #[must_use]
    pub fn first_interval(mut self, interval: Duration) -> Self {
        self.first_interval = interval;
        self
    }

    /// Never waits longer than `interval` between two looks.
    #[must_use]
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }
}

/// Why waiting for a task's files stopped without them.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError {
    /// The files were not settled before the deadline.
    Deadline {
        /// How long it waited.
        waited: Duration,
        /// The last status seen.
        last: Box<DescribeRecordStatusData>,
    },
    /// A status call failed.
    Api(Error),
}

impl std::fmt::Display for WaitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Deadline { waited, .. } => {
                write!(
                    f,
                    "the task's files were not settled after {}",
                    HumanDuration(*waited)
                )
            }
            Self::Api(error) => write!(f, "could not ask for the task's status: {error}"),
        }
    }
}

/// A duration as people write it: `250 ms`, `4.2 s`, `3 min 5 s`, `1 h 2 min`.
struct HumanDuration(Duration);

impl fmt::Display for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = self.0.as_millis();
        let seconds = self.0.as_secs();
        match seconds {
            0 => write!(f, "{millis} ms"),
            1..=59 => write!(f, "{}.{} s", seconds, self.0.subsec_millis() / 100),
            60..=3599 => write!(f, "{} min {} s", seconds / 60, seconds % 60),
            _ => write!(f, "{} h {} min", seconds / 3600, seconds % 3600 / 60),
        }
    }
}

impl std::error::Error for WaitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Api(error) => Some(error),
            Self::Deadline { .. } => None,
        }
    }
}

/// An ended task's files.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordingOutcome {
    /// Whether the task ended normally (`Ended`) or not (`EndedAbnormally`).
    pub status: TaskStatus,
    /// Every file, uploaded or failed.
    pub files: Vec<FileOutcome>,
}

/// One recorded file and where it ended up.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileOutcome {
    /// The file's name.
    pub file_id: Option<String>,
    /// Its URL, when the storage gives one.
    pub url: Option<String>,
    /// Whether it reached your cloud storage.
    pub uploaded: bool,
    /// Where it ended up, in plain words.
    pub outcome: &'static str,
    /// The file as DescribeRecordStatus reported it.
    pub file: RecordFile,
}

impl RecordingOutcome {
    /// The outcome when the task has ended and no file is still recording or uploading.
    fn settled(status: &DescribeRecordStatusData) -> Option<Self> {
        let ended = status
            .status
            .filter(|s| matches!(s, TaskStatus::Ended | TaskStatus::EndedAbnormally))?;
        let files = status.record_files.clone().unwrap_or_default();
        let pending = files.iter().any(|file| {
            matches!(
                file.status,
                None | Some(RecordFileStatus::Recording | RecordFileStatus::Uploading)
            )
        });
        if pending {
            return None;
        }
        Some(Self {
            status: ended,
            files: files.into_iter().map(FileOutcome::of).collect(),
        })
    }
}

impl FileOutcome {
    fn of(file: RecordFile) -> Self {
        let (uploaded, outcome) = match &file.status {
            Some(RecordFileStatus::Uploaded) => (true, "uploaded to your cloud storage"),
            Some(RecordFileStatus::InBackupStorage) => (
                false,
                "upload to your cloud storage failed; the file is in ZEGOCLOUD's backup \
                 storage, which keeps it for 3 days only: download it soon",
            ),
            Some(RecordFileStatus::UploadFailed) => (
                false,
                "upload failed to your cloud storage and to ZEGOCLOUD's backup storage",
            ),
            _ => (false, "in a state this version of the crate does not know"),
        };
        Self {
            file_id: file.file_id.clone(),
            url: file.file_url.clone(),
            uploaded,
            outcome,
            file,
        }
    }
}
