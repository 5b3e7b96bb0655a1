// The README's Rust examples are compiled as doctests of this crate, so they cannot rot.
#![doc = include_str!("../../README.md")]

// Shared helpers for the workspace's tests: paths to the spec, fixtures and generated crate.

use std::path::PathBuf;

pub mod baseline;
pub mod fault_server;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    xtask::workspace_root()
}

/// One action of the real spec set as a single self-contained document (YAML), for tools
/// that read one document.
pub fn bundled_spec(action: &str) -> String {
    let root = workspace_root().join(xtask::SPEC_PATH);
    xtask::bundle_action(&root, xtask::SPEC_PATH, action)
        .unwrap_or_else(|error| panic!("cannot bundle {action}: {error}"))
}

/// A file under `tests/fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    workspace_root().join("tests/fixtures").join(relative)
}

/// The `.yaml` files of a fixture folder, sorted by name.
pub fn fixture_files(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(folder))
        .unwrap_or_else(|error| panic!("cannot list tests/fixtures/{folder}: {error}"))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

/// An example binary of the workspace (`cargo test --workspace` builds them), beside the
/// running test binary's profile folder.
pub fn example_binary(name: &str) -> PathBuf {
    let binary = example_path(name);
    assert!(
        binary.exists(),
        "{} is missing: run `cargo test --workspace` (which builds examples) or \
         `cargo build -p zego-cloudrecord --examples` first",
        binary.display()
    );
    binary
}

/// Where the example binary `name` is when it was built: for an example that needs a
/// feature `cargo test --workspace` does not turn on (`.ci/run` builds those first).
pub fn example_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps/<test>");
    profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Fixed clocks, nonces and sample requests shared by the client tests.
pub mod support {
    use zego_cloudrecord::runtime::{Clock, NonceSource};
    use zego_cloudrecord::types::{
        AlibabaCloudVodParams, MixConfig, MixInput, MixOutputVideoConfig, RecordInputParams,
        RecordMode, StartRecordRequest, StorageParams, TencentCloudVodParams, Vendor, Whiteboard,
    };
    use zego_cloudrecord::Rect;

    /// The app id used throughout the tests.
    pub const APP_ID: u32 = 1_234_567_890;
    /// A canary ServerSecret: tests assert it never shows up anywhere.
    pub const SERVER_SECRET: &str = "canary-server-secret-5f1c";
    /// A canary storage secret.
    pub const STORAGE_SECRET: &str = "canary-storage-secret-9a7e";
    /// The fixed timestamp of [`FixedClock`].
    pub const TIMESTAMP: i64 = 1_700_000_000;
    /// The bytes of [`FixedNonce`], and their hex form.
    pub const NONCE_BYTES: [u8; 8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];
    pub const NONCE_HEX: &str = "0123456789abcdef";

    /// A clock stuck at [`TIMESTAMP`].
    #[derive(Debug, Clone, Copy)]
    pub struct FixedClock;

    impl Clock for FixedClock {
        fn unix_seconds(&self) -> i64 {
            TIMESTAMP
        }
    }

    /// A nonce source that always gives [`NONCE_BYTES`].
    #[derive(Debug, Clone, Copy)]
    pub struct FixedNonce;

    impl NonceSource for FixedNonce {
        fn nonce_bytes(&self) -> Result<[u8; 8], zego_cloudrecord::runtime::SigningError> {
            Ok(NONCE_BYTES)
        }
    }

    /// Independent computation of the expected signature: MD5 of the decimal AppId, the nonce,
    /// the secret and the decimal timestamp, as lowercase hex.
    pub fn expected_signature(app_id: u32, nonce: &str, secret: &str, timestamp: i64) -> String {
        use md5::{Digest, Md5};
        let digest = Md5::digest(format!("{app_id}{nonce}{secret}{timestamp}").as_bytes());
        digest.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// Object storage with the canary secret, for `vendor` (1–10), filled as its rules require.
    pub fn storage(vendor: Vendor) -> StorageParams {
        match vendor {
            Vendor::AlibabaCloudVod => StorageParams::new(vendor).with_alibaba_cloud_vod_params(
                AlibabaCloudVodParams::new(
                    "cn-shanghai",
                    "LTAI-id",
                    STORAGE_SECRET,
                    "class",
                    "outin-location",
                ),
            ),
            Vendor::TencentCloudVod => StorageParams::new(vendor).with_tencent_cloud_vod_params(
                TencentCloudVodParams::new("AKID-id", STORAGE_SECRET, "ap-guangzhou"),
            ),
            Vendor::GoogleCloudStorage => StorageParams::new(vendor)
                .with_bucket("bucket")
                .with_access_key_id("key-id")
                .with_access_key_secret(STORAGE_SECRET),
            Vendor::S3Compatible => StorageParams::s3_compatible(
                "https://s3.example.test",
                "region",
                "bucket",
                "key-id",
                STORAGE_SECRET,
            ),
            other => {
                StorageParams::object_storage(other, "region", "bucket", "key-id", STORAGE_SECRET)
            }
        }
    }

    /// Single stream recording to Amazon S3.
    pub fn single_stream_request() -> StartRecordRequest {
        StartRecordRequest::single_stream("room-1", storage(Vendor::AmazonS3))
    }

    /// Stream mixing with a custom two-view layout.
    pub fn mixed_request() -> StartRecordRequest {
        let layout = MixConfig::custom_layout(
            "room-1-mix",
            MixOutputVideoConfig::landscape_720p(),
            vec![
                MixInput::stream_view(
                    "a",
                    Rect {
                        left: 0,
                        top: 0,
                        right: 640,
                        bottom: 720,
                    },
                    1,
                ),
                MixInput::stream_view(
                    "b",
                    Rect {
                        left: 640,
                        top: 0,
                        right: 1280,
                        bottom: 720,
                    },
                    2,
                ),
            ],
        );
        StartRecordRequest::mixed_stream("room-1", layout, storage(Vendor::AmazonS3))
    }

    /// Single stream recording with a whiteboard.
    pub fn whiteboard_request() -> StartRecordRequest {
        let input = RecordInputParams::new(RecordMode::SingleStream)
            .with_has_whiteboard(true)
            .with_whiteboard(vec![Whiteboard::new(16, 9).with_whiteboard_id("wb-1")]);
        StartRecordRequest::new("room-1", input, storage(Vendor::AmazonS3))
    }
}

/// Test utilities that several test files share.
pub mod util {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    /// A `tracing-subscriber` writer that keeps everything written, for asserting on logs.
    #[derive(Clone, Default)]
    pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

    impl CapturedLogs {
        /// Everything written so far.
        pub fn text(&self) -> String {
            let bytes = self.0.lock().map(|bytes| bytes.clone()).unwrap_or_default();
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }

    impl Write for CapturedLogs {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The Redis `.ci/run` started (`ZEGO_TEST_REDIS_URL`); without one, the test says so
    /// and passes only outside CI.
    pub fn redis_url() -> Option<String> {
        match std::env::var("ZEGO_TEST_REDIS_URL") {
            Ok(url) => Some(url),
            Err(_) if std::env::var_os("CI").is_some() => panic!(
                "ZEGO_TEST_REDIS_URL is not set: .ci/run starts a Redis server for these tests"
            ),
            Err(_) => {
                eprintln!("skipped: no Redis (ZEGO_TEST_REDIS_URL); `bash .ci/run` starts one");
                None
            }
        }
    }

    /// An AppId no other test run shares, so budgets in a shared Redis do not mix.
    pub fn fresh_app_id() -> u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.subsec_nanos());
        1_000_000_000 + (nanos % 1_000_000_000) + std::process::id() % 1000
    }

    /// The most arrivals in any one-second window (a window starts at an arrival and holds
    /// those less than a second after it): what a per-second rate limit is checked against.
    pub fn busiest_second(arrivals: &[std::time::Instant]) -> usize {
        let mut sorted = arrivals.to_vec();
        sorted.sort();
        let mut busiest = 0;
        let mut end = 0;
        for (start, first) in sorted.iter().enumerate() {
            while end < sorted.len()
                && sorted[end].duration_since(*first) < std::time::Duration::from_secs(1)
            {
                end += 1;
            }
            busiest = busiest.max(end - start);
        }
        busiest
    }

    #[cfg(test)]
    #[test]
    fn the_busiest_second_counts_arrivals_less_than_a_second_apart() {
        let start = std::time::Instant::now();
        let at = |millis: u64| start + std::time::Duration::from_millis(millis);
        let arrivals = [at(1500), at(0), at(990), at(500), at(1000)];
        assert_eq!(busiest_second(&arrivals), 3);
        assert_eq!(busiest_second(&[]), 0);
        assert_eq!(busiest_second(&arrivals[..1]), 1);
    }

    /// SplitMix64: a tiny deterministic generator for fuzz and property inputs.
    pub struct SplitMix64(pub u64);

    impl SplitMix64 {
        pub fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
    }
}
