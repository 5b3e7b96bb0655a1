//! The benchmarks compare like with like: the hand-written baseline does exactly the work the
//! generated client does, producing the same bytes.

use tests::baseline::{self, Response, RESPONSE};
use zego_cloudrecord::runtime::{decode_response, SensitiveString};
use zego_cloudrecord::types::StartRecordResponse;
use zego_cloudrecord::ApiCode;

#[test]
fn the_baseline_request_is_byte_identical_and_signed_the_same() {
    let secret = "bench-server-secret";
    let (generated_body, signed) =
        baseline::generated_per_request(&baseline::bench_request(), &SensitiveString::from(secret));
    let (baseline_body, baseline_signature) =
        baseline::baseline_per_request(&baseline::baseline_request(), secret);
    assert!(!generated_body.is_empty(), "the bench request is valid");
    assert_eq!(
        String::from_utf8_lossy(&generated_body),
        String::from_utf8_lossy(&baseline_body)
    );
    assert_eq!(signed.expect("signed").signature(), baseline_signature);
}

#[test]
fn the_baseline_response_decodes_to_the_same_task_id() {
    let generated = decode_response::<StartRecordResponse, ApiCode>(RESPONSE).expect("decodes");
    let baseline: Response = serde_json::from_slice(RESPONSE).expect("decodes");
    assert_eq!(baseline.code, 0);
    assert_eq!(
        generated.data.task_id,
        baseline.data.and_then(|data| data.task_id)
    );
    assert_eq!(generated.request_id, baseline.request_id);
}
