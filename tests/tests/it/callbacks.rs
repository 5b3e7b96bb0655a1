//! Recording-status callbacks: genuine ones decode into typed events; forged, replayed,
//! wrongly keyed, stale, unsigned, malformed and fuzzed ones are refused, never a panic, and
//! the secret never shows; `cloudrecord verify-callback` says the same on the command line.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Value};
use zego_cloudrecord::callbacks::{
    self, callback_signature, CallbackEvent, CallbackRefusal, CallbackVerifier, DeliveryId,
};
use zego_cloudrecord::runtime::Clock;
use zego_cloudrecord::types::{CallbackFileStatus, QuitReason, UploadStatus};

const SECRET: &str = "canary-callback-secret-77a1";
const NOW: i64 = 1_764_000_000;

#[derive(Debug)]
struct At(i64);

impl Clock for At {
    fn unix_seconds(&self) -> i64 {
        self.0
    }
}

fn verifier() -> CallbackVerifier {
    CallbackVerifier::new(SECRET)
        .expect("non-empty secret")
        .clock(At(NOW))
}

/// A callback as ZEGOCLOUD would send it, signed with `secret` at `timestamp`.
fn signed(secret: &str, timestamp: i64, mut body: Value) -> Vec<u8> {
    let timestamp = timestamp.to_string();
    let nonce = "100480";
    body["timestamp"] = json!(timestamp);
    body["nonce"] = json!(nonce);
    body["signature"] = json!(callback_signature(&secret.into(), &timestamp, nonce));
    body.to_string().into_bytes()
}

fn files_uploaded() -> Value {
    json!({
        "app_id": 1234567890, "task_id": "0123456789abcdef", "room_id": "room-1",
        "event_type": 1, "message": "", "sequence": 3,
        "detail": {
            "upload_status": 2,
            "file_info": [
                {"file_id": "a.mp4", "file_url": "https://bucket.example/a.mp4", "status": 3, "file_size": 10},
                {"file_id": "b.mp4", "status": 4, "new_field_from_zego": true}
            ],
            "added_later": {"nested": [1, 2, 3]}
        },
        "unknown_top_level": "kept out of the way"
    })
}

#[test]
fn genuine_callbacks_are_typed_events_with_plain_word_outcomes() {
    let body = signed(SECRET, NOW - 5, files_uploaded());
    let callback = callbacks::verify(&verifier(), &body).expect("genuine");
    assert_eq!(
        callback.delivery_id(),
        Some(DeliveryId {
            task_id: "0123456789abcdef".to_owned(),
            sequence: 3
        })
    );
    let CallbackEvent::FilesUploaded { status, files } = callback.event() else {
        panic!("{:?}", callback.event());
    };
    assert_eq!(status, Some(UploadStatus::SomeFailed));
    assert_eq!(files[0].status, Some(CallbackFileStatus::Uploaded));
    assert!(files[1]
        .outcome()
        .contains("backup storage, which keeps it for 3 days only"));

    let ended = signed(
        SECRET,
        NOW,
        json!({"task_id": "t", "event_type": 2, "sequence": 0, "detail": {"quit_reason": 1004}}),
    );
    let callback = callbacks::verify(&verifier(), &ended).expect("genuine");
    assert_eq!(
        callback.event(),
        CallbackEvent::EndedAbnormally(Some(QuitReason::OutOfStorage))
    );

    let future_event = signed(SECRET, NOW, json!({"event_type": 999, "detail": {}}));
    let callback = callbacks::verify(&verifier(), &future_event).expect("unknown events decode");
    assert!(matches!(callback.event(), CallbackEvent::Other(_)));
    assert_eq!(callback.delivery_id(), None);
}

#[test]
fn forged_replayed_wrongly_keyed_and_malformed_callbacks_are_refused() {
    let genuine = signed(SECRET, NOW, files_uploaded());
    let mut forged: Value = serde_json::from_slice(&genuine).expect("JSON");
    forged["signature"] = json!("0".repeat(40));
    type Case = (&'static str, Vec<u8>, fn(&CallbackRefusal) -> bool);
    let cases: Vec<Case> = vec![
        ("forged", forged.to_string().into_bytes(), |r| {
            *r == CallbackRefusal::BadSignature
        }),
        (
            "wrong key",
            signed("another-secret", NOW, files_uploaded()),
            |r| *r == CallbackRefusal::BadSignature,
        ),
        (
            "replayed an hour later",
            signed(SECRET, NOW - 3600, files_uploaded()),
            |r| matches!(r, CallbackRefusal::Stale { .. }),
        ),
        ("unsigned", files_uploaded().to_string().into_bytes(), |r| {
            matches!(r, CallbackRefusal::Unsigned { .. })
        }),
        ("not JSON", b"event_type=1&task_id=t".to_vec(), |r| {
            matches!(r, CallbackRefusal::NotJson { .. })
        }),
        ("huge", vec![b'{'; 10 * 1024 * 1024], |r| {
            matches!(r, CallbackRefusal::TooLarge { .. })
        }),
        (
            "deeply nested",
            format!("{}{}", "[".repeat(5_000), "]".repeat(5_000)).into_bytes(),
            |r| matches!(r, CallbackRefusal::NotJson { .. }),
        ),
    ];
    for (name, body, expected) in cases {
        let refusal = callbacks::verify(&verifier(), &body).expect_err(name);
        assert!(expected(&refusal), "{name}: {refusal:?}");
        assert!(!refusal.to_string().contains(SECRET), "{name}");
    }
}

#[test]
fn fuzzed_bodies_never_panic() {
    let genuine = signed(SECRET, NOW, files_uploaded());
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for case in 0..2_000 {
        let mut body = genuine.clone();
        match next() % 4 {
            0 => {
                let at = (next() as usize) % body.len();
                body[at] = next() as u8;
            }
            1 => body.truncate((next() as usize) % body.len()),
            2 => {
                let at = (next() as usize) % body.len();
                body.splice(at..at, std::iter::repeat_n(b'[', (next() % 300) as usize));
            }
            _ => body.extend((0..(next() % 64)).map(|_| next() as u8)),
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| callbacks::verify(&verifier(), &body)));
        assert!(outcome.is_ok(), "case {case} panicked");
    }
}

#[test]
fn the_cli_prints_genuine_callbacks_and_refuses_the_rest() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    let write = |name: &str, body: &[u8]| {
        let path =
            std::env::temp_dir().join(format!("zego-callback-{}-{name}.json", std::process::id()));
        std::fs::write(&path, body).expect("temp dir");
        path
    };
    let run = |path: &PathBuf| {
        Command::new(tests::example_binary("cloudrecord"))
            .args(["verify-callback", path.to_str().expect("UTF-8")])
            .env("ZEGO_CALLBACK_SECRET", SECRET)
            .output()
            .expect("the example runs")
    };
    let genuine = run(&write("genuine", &signed(SECRET, now, files_uploaded())));
    let stdout = String::from_utf8_lossy(&genuine.stdout);
    assert!(
        genuine.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&genuine.stderr)
    );
    assert!(stdout.contains("event: Some(FilesUploaded)"), "{stdout}");
    assert!(stdout.contains("https://bucket.example/a.mp4"), "{stdout}");
    assert!(stdout.contains("3 days only"), "{stdout}");

    for (name, body) in [
        ("forged", signed("not-the-secret", now, files_uploaded())),
        ("stale", signed(SECRET, now - 7_200, files_uploaded())),
        ("unsigned", files_uploaded().to_string().into_bytes()),
        ("malformed", b"{\"event_type\":".to_vec()),
    ] {
        let output = run(&write(name, &body));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains("callback refused"),
            "{name}: {stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains(SECRET),
            "{name}: {stderr}"
        );
    }
}
