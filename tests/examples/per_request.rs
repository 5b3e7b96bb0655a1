//! The per-request work in a loop, for instruction counts under callgrind (see
//! `scripts/bench-callgrind.sh`):
//! `per_request <generated|hand_written|generated_stop|hand_written_stop> <iterations>`
//! (StartRecord's full mixed request, and StopRecord's one field).

use std::hint::black_box;

use tests::baseline;
use zego_cloudrecord::runtime::SensitiveString;

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_default();
    let iterations: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    match which.as_str() {
        "generated" => {
            let request = baseline::bench_request();
            let secret = SensitiveString::from("bench-server-secret");
            for _ in 0..iterations {
                black_box(baseline::generated_per_request(
                    black_box(&request),
                    black_box(&secret),
                ));
            }
        }
        "hand_written" => {
            let request = baseline::baseline_request();
            for _ in 0..iterations {
                black_box(baseline::baseline_per_request(
                    black_box(&request),
                    black_box("bench-server-secret"),
                ));
            }
        }
        "generated_stop" => {
            let request = zego_cloudrecord::types::StopRecordRequest::new("0123456789abcdef");
            let secret = SensitiveString::from("bench-server-secret");
            for _ in 0..iterations {
                black_box(baseline::generated_stop_per_request(
                    black_box(&request),
                    black_box(&secret),
                ));
            }
        }
        "hand_written_stop" => {
            let request = baseline::StopRequest {
                task_id: "0123456789abcdef".to_owned(),
            };
            for _ in 0..iterations {
                black_box(baseline::baseline_stop_per_request(
                    black_box(&request),
                    black_box("bench-server-secret"),
                ));
            }
        }
        _ => {
            eprintln!(
                "usage: per_request <generated|hand_written|generated_stop|hand_written_stop> <iterations>"
            );
            std::process::exit(2);
        }
    }
}
