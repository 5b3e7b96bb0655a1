//! `json_error_path` (which finds a decoding error's path from serde_json's line and column,
//! so each type's decoder is compiled once) against serde_path_to_error (which tracks the
//! path while decoding): every document is broken at every value, in every way a value can
//! be wrong, laid out compactly and pretty-printed, and both must name the same path.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use zego_cloudrecord::runtime::json_error_path;
use zego_cloudrecord::types::{
    DescribeRecordStatusRequest, DescribeRecordStatusResponse, DescribeTasksRequest,
    DescribeTasksResponse, RecordingCallback, StartRecordRequest, StartRecordResponse,
    UpdateLayoutRequest,
};

/// What a value is replaced with: each wrong for most fields, and together covering every
/// JSON kind, an integer too large for any field, and a nesting change.
fn replacements() -> Vec<Value> {
    vec![
        json!("wrong"),
        json!(-1),
        json!(18_446_744_073_709_551_615_u64),
        json!(1.5),
        json!(true),
        Value::Null,
        json!([1, {"x": [2]}]),
        json!({"Unexpected": {"Deep": [0]}}),
    ]
}

/// Every JSON pointer to a value of `value`, the document itself excluded.
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let pointer = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(pointer.clone());
                pointers(child, &pointer, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let pointer = format!("{at}/{index}");
                out.push(pointer.clone());
                pointers(child, &pointer, out);
            }
        }
        _ => {}
    }
}

/// Decodes `bytes` as `T` both ways; `Some((ours, theirs))` when decoding fails.
fn both_paths<T: DeserializeOwned>(bytes: &[u8]) -> Option<(String, String)> {
    let error = serde_json::from_slice::<T>(bytes).err()?;
    let ours = json_error_path(bytes, &error);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let theirs = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => "(decoded)".to_owned(),
        Err(error) => error.path().to_string(),
    };
    Some((ours, theirs))
}

/// Breaks `document` everywhere and compares; returns (documents tried, differences).
fn compare<T: DeserializeOwned>(document: &Value) -> (usize, Vec<String>) {
    let mut at = Vec::new();
    pointers(document, "", &mut at);
    let mut tried = 0;
    let mut differences = Vec::new();
    for pointer in &at {
        for replacement in replacements() {
            let mut broken = document.clone();
            let Some(slot) = broken.pointer_mut(pointer) else {
                continue;
            };
            *slot = replacement.clone();
            for bytes in [
                serde_json::to_vec(&broken).expect("encode"),
                serde_json::to_vec_pretty(&broken).expect("encode"),
            ] {
                let Some((ours, theirs)) = both_paths::<T>(&bytes) else {
                    continue;
                };
                tried += 1;
                if ours != theirs {
                    differences.push(format!(
                        "{pointer} = {replacement}: ours `{ours}`, serde_path_to_error `{theirs}`"
                    ));
                }
            }
        }
    }
    (tried, differences)
}

fn request(action: &str, name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/requests")
        .join(action)
        .join(name);
    serde_json::from_slice(&std::fs::read(path).expect("sample request")).expect("JSON")
}

#[test]
fn json_error_path_names_the_same_field_as_serde_path_to_error() {
    let status = json!({
        "Code": 0, "Message": "success", "RequestId": "r",
        "Data": {
            "RoomId": "room", "RecordMode": 2, "StreamType": 3, "Status": 3,
            "RecordBeginTimestamp": 1_700_000_000_000_i64, "RecordEndTimestamp": 1_700_000_060_000_i64,
            "RecordFiles": [
                {"StreamId": "a", "FileId": "f", "FileUrl": "https://x/f.mp4", "OutputFileFormat": "mp4",
                 "FileSize": 10, "Duration": 60000, "MediaTrackType": 3, "BeginTimestamp": 1, "Status": 3},
                {"StreamId": "b", "FileId": "g", "Status": 2}
            ]
        }
    });
    let tasks = json!({
        "Code": 0, "RequestId": "r",
        "Data": {"PageOffset": 1, "PageSize": 2, "TotalCount": 2, "TaskidList": [
            {"TaskId": "t1", "RoomId": "a", "Status": 3, "RecordBeginTimestamp": 1},
            {"TaskId": "t2", "RoomId": "b", "Status": 2, "RecordBeginTimestamp": 2}
        ]}
    });
    let callback = json!({
        "app_id": 1, "task_id": "t", "room_id": "r", "event_type": 1, "message": "", "sequence": 3,
        "timestamp": "1700000000", "nonce": "n", "signature": "s",
        "detail": {"upload_status": 1, "file_info": [
            {"stream_id": "a", "file_id": "f", "file_url": "u", "output_file_format": "mp4",
             "file_size": 1, "duration": 2, "media_track_type": 3, "begin_timestamp": 4, "status": 3}
        ]}
    });
    let results = [
        compare::<StartRecordRequest>(&request("StartRecord", "mixed_custom_layout.json")),
        compare::<StartRecordRequest>(&request("StartRecord", "whiteboard.json")),
        compare::<StartRecordRequest>(&request("StartRecord", "tencent_vod.json")),
        compare::<UpdateLayoutRequest>(&request("UpdateLayout", "custom.json")),
        compare::<DescribeTasksRequest>(&request("DescribeTasks", "ended.json")),
        compare::<DescribeRecordStatusRequest>(&request("DescribeRecordStatus", "task.json")),
        compare::<StartRecordResponse>(
            &json!({"Code": 0, "RequestId": "r", "Data": {"TaskId": "t"}}),
        ),
        compare::<DescribeRecordStatusResponse>(&status),
        compare::<DescribeTasksResponse>(&tasks),
        compare::<RecordingCallback>(&callback),
    ];
    let tried: usize = results.iter().map(|(tried, _)| tried).sum();
    let differences: Vec<&String> = results.iter().flat_map(|(_, found)| found).collect();
    assert!(
        tried >= 2000,
        "only {tried} broken documents failed to decode"
    );
    assert!(
        differences.is_empty(),
        "{} of {tried} differ:\n{}",
        differences.len(),
        differences
            .iter()
            .take(20)
            .map(|line| line.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
