//! Hand-written equivalents of a full mixed-stream StartRecord request and of its response:
//! the baselines the benchmarks compare the generated client with. The request serializes to
//! the same bytes as [`bench_request`] (a test checks it).

use serde::{Deserialize, Serialize};
use zego_cloudrecord::types::{
    MixConfig, MixInput, MixOutputVideoConfig, MixOutputWatermarkImageConfig, RecordInputParams,
    RecordMode, StartRecordRequest, StorageParams, ViewType, Whiteboard,
};
use zego_cloudrecord::Rect as ViewRect;

/// The request the per-request benchmarks use: stream mixing with four views (one of them a
/// whiteboard), a watermark and S3 storage.
pub fn bench_request() -> StartRecordRequest {
    let mut views: Vec<MixInput> = (0..3)
        .map(|i| {
            MixInput::stream_view(
                format!("stream-{i}"),
                ViewRect {
                    left: i * 320,
                    top: 0,
                    right: i * 320 + 320,
                    bottom: 360,
                },
                i + 1,
            )
        })
        .collect();
    views.push(
        MixInput::covering(
            zego_cloudrecord::Rect {
                top: 360,
                left: 0,
                bottom: 720,
                right: 1280,
            },
            4,
        )
        .with_view_type(ViewType::Whiteboard),
    );
    let mix = MixConfig::custom_layout(
        "room-bench-mix",
        MixOutputVideoConfig::landscape_720p(),
        views,
    )
    .with_mix_output_watermark_image("https://example.com/wm.png")
    .with_mix_output_watermark_image_config(MixOutputWatermarkImageConfig::covering(
        zego_cloudrecord::Rect {
            left: 1100,
            top: 20,
            right: 1260,
            bottom: 80,
        },
    ));
    let input = RecordInputParams::new(RecordMode::MixedStream)
        .with_has_whiteboard(true)
        .with_whiteboard(vec![Whiteboard::new(16, 9).with_whiteboard_id("wb-1")])
        .with_mix_config(mix);
    StartRecordRequest::new(
        "room-bench",
        input,
        StorageParams::amazon_s3(
            "us-east-1",
            "recordings",
            "AKIDEXAMPLE",
            "bench-storage-secret",
        ),
    )
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Request {
    pub room_id: String,
    pub record_input_params: InputParams,
    pub storage_params: Storage,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InputParams {
    pub record_mode: i64,
    pub has_whiteboard: bool,
    pub whiteboard: Vec<Board>,
    pub mix_config: Mix,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Board {
    pub horizontal_ratio: i64,
    pub vertical_ratio: i64,
    pub whiteboard_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Mix {
    pub mix_mode: i64,
    pub mix_input_list: Vec<View>,
    pub mix_output_stream_id: String,
    pub mix_output_video_config: Video,
    pub mix_output_watermark_image: String,
    pub mix_output_watermark_image_config: Rect,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct View {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view_type: Option<i64>,
    pub top: i64,
    pub left: i64,
    pub bottom: i64,
    pub right: i64,
    pub layer: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Video {
    pub width: i64,
    pub height: i64,
    pub fps: i64,
    pub bitrate: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Rect {
    pub left: i64,
    pub top: i64,
    pub right: i64,
    pub bottom: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Storage {
    pub vendor: i64,
    pub region: String,
    pub bucket: String,
    pub access_key_id: String,
    pub access_key_secret: String,
}

/// The hand-written twin of [`bench_request`].
pub fn baseline_request() -> Request {
    let mut views: Vec<View> = (0..3)
        .map(|i| View {
            stream_id: Some(format!("stream-{i}")),
            view_type: None,
            top: 0,
            left: i * 320,
            bottom: 360,
            right: i * 320 + 320,
            layer: i + 1,
        })
        .collect();
    views.push(View {
        stream_id: None,
        view_type: Some(2),
        top: 360,
        left: 0,
        bottom: 720,
        right: 1280,
        layer: 4,
    });
    Request {
        room_id: "room-bench".to_owned(),
        record_input_params: InputParams {
            record_mode: 2,
            has_whiteboard: true,
            whiteboard: vec![Board {
                horizontal_ratio: 16,
                vertical_ratio: 9,
                whiteboard_id: "wb-1".to_owned(),
            }],
            mix_config: Mix {
                mix_mode: 1,
                mix_input_list: views,
                mix_output_stream_id: "room-bench-mix".to_owned(),
                mix_output_video_config: Video {
                    width: 1280,
                    height: 720,
                    fps: 15,
                    bitrate: 1_500_000,
                },
                mix_output_watermark_image: "https://example.com/wm.png".to_owned(),
                mix_output_watermark_image_config: Rect {
                    left: 1100,
                    top: 20,
                    right: 1260,
                    bottom: 80,
                },
            },
        },
        storage_params: Storage {
            vendor: 1,
            region: "us-east-1".to_owned(),
            bucket: "recordings".to_owned(),
            access_key_id: "AKIDEXAMPLE".to_owned(),
            access_key_secret: "bench-storage-secret".to_owned(),
        },
    }
}

/// The baseline's per-request work: serialize, plus one MD5 signature as lowercase hex.
pub fn baseline_per_request(request: &Request, secret: &str) -> (Vec<u8>, String) {
    let body = serde_json::to_vec(request).unwrap_or_default();
    (body, baseline_signature(secret))
}

/// The signature by hand, with the fixed AppId, nonce and timestamp of the benchmarks.
fn baseline_signature(secret: &str) -> String {
    use md5::{Digest, Md5};
    let digest = Md5::digest(
        format!(
            "{}{}{}{}",
            1_234_567_890_u32, "0123456789abcdef", secret, 1_700_000_000_i64
        )
        .as_bytes(),
    );
    let mut signature = String::with_capacity(32);
    for byte in digest {
        signature.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        signature.push(char::from(b"0123456789abcdef"[usize::from(byte & 0x0f)]));
    }
    signature
}

/// The generated client's per-request work: validate, sign (fixed clock and nonce, so no
/// system call is measured on either side) and serialize.
pub fn generated_per_request(
    request: &StartRecordRequest,
    secret: &zego_cloudrecord::runtime::SensitiveString,
) -> (Vec<u8>, Option<zego_cloudrecord::runtime::SignedParameters>) {
    generated_work(request.validate().is_ok(), request, secret)
}

/// Sign, and serialize a request that validated, as the client does before sending.
fn generated_work<R: serde::Serialize>(
    valid: bool,
    request: &R,
    secret: &zego_cloudrecord::runtime::SensitiveString,
) -> (Vec<u8>, Option<zego_cloudrecord::runtime::SignedParameters>) {
    let signed = zego_cloudrecord::runtime::SignedParameters::new(
        1_234_567_890,
        secret,
        &crate::support::FixedClock,
        &crate::support::FixedNonce,
    );
    let body = if valid {
        serde_json::to_vec(request).unwrap_or_default()
    } else {
        Vec::new()
    };
    (body, signed.ok())
}

/// A successful StartRecord response body.
pub const RESPONSE: &[u8] =
    br#"{"Code":0,"Message":"success","RequestId":"8a6a5b8e-1c2d-4e5f-9a8b-7c6d5e4f3a2b","Data":{"TaskId":"0123456789abcdef"}}"#;

/// The hand-written response struct.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Response {
    pub code: i64,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub data: Option<ResponseData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResponseData {
    pub task_id: Option<String>,
}

/// The hand-written StopRecord body: one field.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StopRequest {
    pub task_id: String,
}

/// The smallest action's per-request work by hand: serialize + one MD5.
pub fn baseline_stop_per_request(request: &StopRequest, secret: &str) -> (Vec<u8>, String) {
    let body = serde_json::to_vec(request).unwrap_or_default();
    (body, baseline_signature(secret))
}

/// The generated client's per-request work for StopRecord: validate, sign, serialize.
pub fn generated_stop_per_request(
    request: &zego_cloudrecord::types::StopRecordRequest,
    secret: &zego_cloudrecord::runtime::SensitiveString,
) -> (Vec<u8>, Option<zego_cloudrecord::runtime::SignedParameters>) {
    generated_work(request.validate().is_ok(), request, secret)
}
