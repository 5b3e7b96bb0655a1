//! A hand-written StartRecord client on reqwest, doing per call what the generated client
//! does: validate, serialize, sign with a fresh nonce and timestamp, send, read, decode the
//! envelope and check `Code`. What a careful user would write instead of using a client
//! crate; the validation checks the same value ranges and cross-field rules that the
//! benchmark request exercises.

use std::time::{SystemTime, UNIX_EPOCH};

use md5::{Digest, Md5};
use tests::baseline::{Request, Response};

pub struct HandWritten {
    pub http: reqwest::Client,
    pub base_url: String,
    pub app_id: u32,
    pub server_secret: String,
}

impl HandWritten {
    /// Starts a recording; the task id on success.
    pub async fn start_record(&self, request: &Request) -> Result<String, String> {
        validate(request)?;
        let body = serde_json::to_vec(request).map_err(|error| error.to_string())?;
        let url = self.signed_url("StartRecord")?;
        let response = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|error| error.to_string())?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|error| error.to_string())?;
        if !status.is_success() {
            return Err(format!("HTTP {status}"));
        }
        let envelope: Response =
            serde_json::from_slice(&bytes).map_err(|error| error.to_string())?;
        if envelope.code != 0 {
            return Err(format!(
                "code {}: {}",
                envelope.code,
                envelope.message.unwrap_or_default()
            ));
        }
        envelope
            .data
            .and_then(|data| data.task_id)
            .ok_or_else(|| "no TaskId".to_owned())
    }

    fn signed_url(&self, action: &str) -> Result<String, String> {
        let mut nonce_bytes = [0_u8; 8];
        getrandom::getrandom(&mut nonce_bytes).map_err(|error| error.to_string())?;
        let mut nonce = String::with_capacity(16);
        push_hex(&mut nonce, &nonce_bytes);
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|error| error.to_string())?
            .as_secs();
        let digest = Md5::digest(format!(
            "{}{nonce}{}{timestamp}",
            self.app_id, self.server_secret
        ));
        let mut url = format!(
            "{}/?Action={action}&AppId={}&SignatureNonce={nonce}&Timestamp={timestamp}&Signature=",
            self.base_url, self.app_id
        );
        push_hex(&mut url, &digest);
        url.push_str("&SignatureVersion=2.0");
        Ok(url)
    }
}

/// Lowercase hex through a table: `write!` per byte would cost the baseline more than the
/// generated client spends.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
}

/// The checks the generated client makes on the benchmark request, written out by hand.
fn validate(request: &Request) -> Result<(), String> {
    let fail = |what: &str| Err(format!("invalid request: {what}"));
    if request.room_id.is_empty() {
        return fail("RoomId is empty");
    }
    let input = &request.record_input_params;
    if !(1..=2).contains(&input.record_mode) {
        return fail("RecordMode");
    }
    if input.has_whiteboard && input.whiteboard.is_empty() {
        return fail("Whiteboard is required when HasWhiteboard is true");
    }
    for board in &input.whiteboard {
        if board.horizontal_ratio <= 0 || board.vertical_ratio <= 0 {
            return fail("Whiteboard ratio");
        }
    }
    let mix = &input.mix_config;
    if !(1..=4).contains(&mix.mix_mode) {
        return fail("MixMode");
    }
    if mix.mix_mode == 1 && mix.mix_input_list.is_empty() {
        return fail("MixInputList is required for a custom layout");
    }
    let video = &mix.mix_output_video_config;
    if !(0..=1920).contains(&video.width) || !(0..=1920).contains(&video.height) {
        return fail("MixOutputVideoConfig size");
    }
    if video.width * video.height > 1920 * 1080 {
        return fail("MixOutputVideoConfig resolution");
    }
    if !(5..=30).contains(&video.fps) || video.bitrate <= 0 {
        return fail("MixOutputVideoConfig fps or bitrate");
    }
    let mut whiteboard_views = 0;
    for view in &mix.mix_input_list {
        let coordinates = [view.top, view.left, view.bottom, view.right];
        if coordinates.iter().any(|value| !(0..=1920).contains(value)) {
            return fail("MixInputList coordinates");
        }
        if view.top > view.bottom || view.left > view.right {
            return fail("MixInputList view is inverted");
        }
        if view.right > video.width || view.bottom > video.height {
            return fail("MixInputList view outside the canvas");
        }
        if !(1..=100).contains(&view.layer) {
            return fail("MixInputList layer");
        }
        if view.view_type == Some(2) {
            whiteboard_views += 1;
        }
    }
    if whiteboard_views > 1 {
        return fail("more than one whiteboard view");
    }
    let mark = &mix.mix_output_watermark_image_config;
    if mark.left > mark.right || mark.top > mark.bottom {
        return fail("watermark is inverted");
    }
    if mark.right > video.width || mark.bottom > video.height {
        return fail("watermark outside the canvas");
    }
    let storage = &request.storage_params;
    if !(1..=10).contains(&storage.vendor) {
        return fail("Vendor");
    }
    if storage.region.is_empty()
        || storage.bucket.is_empty()
        || storage.access_key_id.is_empty()
        || storage.access_key_secret.is_empty()
    {
        return fail("object storage needs Region, Bucket, AccessKeyId and AccessKeySecret");
    }
    Ok(())
}
