//! Recording-status callbacks: verify a body ZEGOCLOUD POSTed to your endpoint and read it as
//! a typed event.
//!
//! ```
//! use zego_cloudrecord::callbacks::{CallbackEvent, CallbackVerifier};
//!
//! # fn handle(body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = CallbackVerifier::new("the project's callback secret")?;
//! let callback = zego_cloudrecord::callbacks::verify(&verifier, body)?;
//! if let CallbackEvent::FilesUploaded { files, .. } = callback.event() {
//!     for file in files {
//!         println!("{}: {}", file.file_url.as_deref().unwrap_or("(no URL)"), file.outcome());
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! A receiver is a public endpoint. [`verify`] reads at most the verifier's body limit,
//! refuses anything that is not genuine and fresh, and never panics; answer ZEGOCLOUD fast
//! (it retries after 5 seconds) and do the work afterwards. `examples/callback_receiver.rs`
//! is a small receiver built on tokio alone.

use super::types::{
    CallbackEventType, CallbackFile, CallbackFileStatus, CallbackImageType, MediaTrackType,
    QuitReason, RecordingCallback, UploadStatus,
};
pub use zego_server_runtime::{
    callback_signature, CallbackRefusal, CallbackStore, CallbackVerifier, Delivered,
    InMemoryCallbackStore, DEFAULT_MAX_CALLBACK_AGE, DEFAULT_MAX_CALLBACK_BYTES,
};

/// Checks `body` with `verifier` and decodes it as a [`RecordingCallback`]; unknown fields
/// and event types are kept out of the way, not refused.
///
/// # Errors
/// Why the body was refused: too large, not JSON, unsigned, forged, stale, or not a callback.
pub fn verify(
    verifier: &CallbackVerifier,
    body: &[u8],
) -> Result<RecordingCallback, CallbackRefusal> {
    verifier.verify(body)
}

/// As [`verify`], then checks with `store` (shared by every instance that receives
/// callbacks: an [`InMemoryCallbackStore`] for one process, a `RedisStore` with the feature
/// `redis` for several) whether it was accepted before: a delivery seen before (the same
/// signature and body, or the same task and sequence number) comes back with `duplicate`
/// set, not refused, since ZEGOCLOUD delivers again when unanswered; the same signature with
/// another body is refused as a replay.
///
/// # Errors
/// As [`verify`]; [`CallbackRefusal::Replayed`] for an altered replay;
/// [`CallbackRefusal::StoreUnavailable`] when the store cannot answer (answer with a 5xx
/// status, so ZEGOCLOUD delivers it again).
pub async fn verify_delivery(
    verifier: &CallbackVerifier,
    body: &[u8],
    store: &dyn CallbackStore,
) -> Result<Delivered<RecordingCallback>, CallbackRefusal> {
    verifier
        .verify_delivery(body, store, |callback: &RecordingCallback| {
            callback
                .delivery_id()
                .map(|id| format!("{}#{}", id.task_id, id.sequence))
        })
        .await
}

/// What identifies one delivery: ZEGOCLOUD retries a callback with the same task and
/// sequence number, so a receiver that has seen the pair can skip the repeat.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeliveryId {
    /// The task.
    pub task_id: String,
    /// The callback's sequence number.
    pub sequence: i64,
}

/// A callback's event with the details that belong to it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum CallbackEvent<'a> {
    /// Event 1: the upload of the recorded files finished.
    FilesUploaded {
        /// Whether all of them arrived.
        status: Option<UploadStatus>,
        /// The files; empty when nothing was recorded.
        files: &'a [CallbackFile],
    },
    /// Event 2: the task ended abnormally.
    EndedAbnormally(Option<QuitReason>),
    /// Event 3: an image could not be downloaded.
    ImageDownloadFailed {
        /// Which image.
        image: Option<CallbackImageType>,
        /// Its URL.
        url: Option<&'a str>,
    },
    /// Event 4: the room has had no streams for 30 seconds.
    NoStreams,
    /// Event 5: recording finished normally.
    Finished,
    /// Event 6: a stream to record does not exist.
    StreamMissing(Option<&'a str>),
    /// Event 7: recording stopped; the files are being uploaded.
    Uploading,
    /// Event 102: a real-time HLS fragment was uploaded.
    HlsFragmentUploaded {
        /// The stream.
        stream_id: Option<&'a str>,
        /// The M3U8 playlist's URL.
        playlist_url: Option<&'a str>,
        /// The tracks it holds.
        media: Option<MediaTrackType>,
    },
    /// Event 201: the task was paused.
    Paused,
    /// Event 202: the task was resumed.
    Resumed,
    /// An event this crate does not know (ZEGOCLOUD may add some), or none given.
    Other(Option<CallbackEventType>),
}

impl RecordingCallback {
    /// The event, with its details.
    pub fn event(&self) -> CallbackEvent<'_> {
        let detail = self.detail.as_ref();
        match self.event_type {
            Some(CallbackEventType::FilesUploaded) => CallbackEvent::FilesUploaded {
                status: detail.and_then(|d| d.upload_status),
                files: detail
                    .and_then(|d| d.file_info.as_deref())
                    .unwrap_or_default(),
            },
            Some(CallbackEventType::EndedAbnormally) => {
                CallbackEvent::EndedAbnormally(detail.and_then(|d| d.quit_reason))
            }
            Some(CallbackEventType::ImageDownloadFailed) => CallbackEvent::ImageDownloadFailed {
                image: detail.and_then(|d| d.image_type),
                url: detail.and_then(|d| d.image_url.as_deref()),
            },
            Some(CallbackEventType::NoStreams) => CallbackEvent::NoStreams,
            Some(CallbackEventType::Finished) => CallbackEvent::Finished,
            Some(CallbackEventType::StreamMissing) => {
                CallbackEvent::StreamMissing(detail.and_then(|d| d.stream_id.as_deref()))
            }
            Some(CallbackEventType::Uploading) => CallbackEvent::Uploading,
            Some(CallbackEventType::HlsFragmentUploaded) => CallbackEvent::HlsFragmentUploaded {
                stream_id: detail.and_then(|d| d.stream_id.as_deref()),
                playlist_url: detail.and_then(|d| d.file_url.as_deref()),
                media: detail.and_then(|d| d.media_track_type),
            },
            Some(CallbackEventType::Paused) => CallbackEvent::Paused,
            Some(CallbackEventType::Resumed) => CallbackEvent::Resumed,
            other => CallbackEvent::Other(other),
        }
    }

    /// The delivery's identity, when the callback names its task and sequence.
    pub fn delivery_id(&self) -> Option<DeliveryId> {
        Some(DeliveryId {
            task_id: self.task_id.clone()?,
            sequence: self.sequence?,
        })
    }
}

impl CallbackFile {
    /// Where the file ended up, in plain words.
    pub fn outcome(&self) -> &'static str {
        match self.status {
            Some(CallbackFileStatus::Uploaded) => "uploaded to your cloud storage",
            Some(CallbackFileStatus::InBackupStorage) => {
                "upload to your cloud storage failed; the file is in ZEGOCLOUD's backup \
                 storage, which keeps it for 3 days only: download it soon"
            }
            Some(CallbackFileStatus::UploadFailed) => {
                "upload failed to your cloud storage and to ZEGOCLOUD's backup storage"
            }
            _ => "status not reported (or not known to this version of the crate)",
        }
    }
}
