//! Per-request client CPU and response decoding: the generated client versus hand-written
//! serde code doing the same work. `cargo bench -p tests --bench per_request`.

use divan::black_box;
use tests::baseline::{self, Response, RESPONSE};
use zego_cloudrecord::runtime::{decode_response, SensitiveString};
use zego_cloudrecord::types::StartRecordResponse;
use zego_cloudrecord::ApiCode;

fn main() {
    divan::main();
}

#[divan::bench_group(sample_count = 2000, sample_size = 20)]
mod request {
    use super::*;

    /// validate + sign + serialize, the generated client.
    #[divan::bench]
    fn generated(bencher: divan::Bencher) {
        let request = baseline::bench_request();
        let secret = SensitiveString::from("bench-server-secret");
        bencher.bench_local(|| {
            baseline::generated_per_request(black_box(&request), black_box(&secret))
        });
    }

    /// serialize a hand-written struct + one MD5.
    #[divan::bench]
    fn hand_written(bencher: divan::Bencher) {
        let request = baseline::baseline_request();
        bencher.bench_local(|| {
            baseline::baseline_per_request(black_box(&request), black_box("bench-server-secret"))
        });
    }
}

#[divan::bench_group(sample_count = 2000, sample_size = 50)]
mod response {
    use super::*;

    /// The client's decoding: typed envelope, `Code` check, `Data` out.
    #[divan::bench]
    fn generated(bencher: divan::Bencher) {
        bencher.bench_local(|| {
            decode_response::<StartRecordResponse, ApiCode>(black_box(RESPONSE))
                .map(|response| response.data.task_id)
        });
    }

    /// A hand-written serde struct.
    #[divan::bench]
    fn hand_written(bencher: divan::Bencher) {
        bencher.bench_local(|| {
            serde_json::from_slice::<Response>(black_box(RESPONSE))
                .ok()
                .filter(|response| response.code == 0)
                .and_then(|response| response.data)
                .and_then(|data| data.task_id)
        });
    }
}

/// Where the generated client's per-request time goes.
#[divan::bench_group(sample_count = 1000, sample_size = 20)]
mod breakdown {
    use super::*;

    #[divan::bench]
    fn validate(bencher: divan::Bencher) {
        let request = baseline::bench_request();
        bencher.bench_local(|| black_box(&request).validate().is_ok());
    }

    #[divan::bench]
    fn sign(bencher: divan::Bencher) {
        let secret = SensitiveString::from("bench-server-secret");
        bencher.bench_local(|| {
            zego_cloudrecord::runtime::SignedParameters::new(
                1_234_567_890,
                black_box(&secret),
                &tests::support::FixedClock,
                &tests::support::FixedNonce,
            )
        });
    }

    #[divan::bench]
    fn serialize_generated(bencher: divan::Bencher) {
        let request = baseline::bench_request();
        bencher.bench_local(|| serde_json::to_vec(black_box(&request)));
    }

    #[divan::bench]
    fn serialize_hand_written(bencher: divan::Bencher) {
        let request = baseline::baseline_request();
        bencher.bench_local(|| serde_json::to_vec(black_box(&request)));
    }
}
