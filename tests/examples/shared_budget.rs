//! Measures the shared call budget (BENCHMARKS.md, "Many instances, one AppId"): the calls per
//! second that 1, 2, 4 and 8 processes sharing one budget through Redis send together (the
//! most in any one-second window, and the average against the limit), counted where they
//! arrive (the mock); and what asking the budget costs per call, in process and on Redis.
//!
//! `cargo build --release -p zego-cloudrecord --features redis,mock --examples &&
//!  cargo run --release -p tests --example shared_budget -- redis://127.0.0.1:6379/`

use std::process::{Command, Stdio};
use std::time::Instant;

use zego_cloudrecord::mock::MockServer;
use zego_cloudrecord::operations;
use zego_cloudrecord::runtime::{InMemoryRateLimiter, RedisStore, SharedRateLimiter};

const SECRET: &str = "bench-secret";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "redis://127.0.0.1:6379/".to_owned());
    let limit = operations::STOP_RECORD.rate_limit.unwrap_or(50) as usize;
    println!(
        "| processes | calls | busiest second | average calls/s | average ÷ limit ({limit}/s) |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for processes in [1, 2, 4, 8] {
        let app_id = 1_500_000_000 + processes as u32 + std::process::id() % 1000 * 10;
        let mock = MockServer::start(app_id, SECRET).await.expect("mock");
        let calls_each = 200 / processes;
        let example = std::env::current_exe()
            .expect("path")
            .with_file_name(format!("cloudrecord{}", std::env::consts::EXE_SUFFIX));
        let children: Vec<_> = (0..processes)
            .map(|_| {
                Command::new(&example)
                    .args([
                        "StopRecord",
                        "--repeat",
                        &calls_each.to_string(),
                        "tests/fixtures/requests/StopRecord/task.json",
                    ])
                    .env("ZEGO_APP_ID", app_id.to_string())
                    .env("ZEGO_SERVER_SECRET", SECRET)
                    .env("ZEGO_BASE_URL", mock.url())
                    .env("ZEGO_REDIS_URL", &url)
                    .stdout(Stdio::null())
                    .spawn()
                    .expect("the cloudrecord example (built with --features redis) runs")
            })
            .collect();
        for mut child in children {
            tokio::task::spawn_blocking(move || child.wait())
                .await
                .expect("join")
                .expect("exit");
        }
        let mut arrivals: Vec<Instant> = mock.requests().iter().map(|r| r.received).collect();
        arrivals.sort();
        let busiest = tests::util::busiest_second(&arrivals);
        let span = arrivals
            .last()
            .expect("calls")
            .duration_since(arrivals[0])
            .as_secs_f64();
        let average = (arrivals.len() - 1) as f64 / span;
        println!(
            "| {processes} | {} | {busiest} | {average:.1} | {:.3} |",
            arrivals.len(),
            average / limit as f64
        );
    }
    let rounds = 2000;
    let local = InMemoryRateLimiter::new();
    let shared = RedisStore::connect(&url).await.expect("redis");
    for (name, limiter) in [
        ("in process", &local as &dyn SharedRateLimiter),
        ("Redis", &shared as &dyn SharedRateLimiter),
    ] {
        // A budget of its own per round, so the time is the asking, never a wait for a slot
        // (a wait, however short, lasts until the timer's next tick).
        let actions: Vec<String> = (0..rounds).map(|round| format!("Bench{round}")).collect();
        let started = Instant::now();
        for action in &actions {
            limiter.acquire(7, action, 10).await.expect("available");
        }
        let per_call = started.elapsed() / rounds;
        println!("asking the budget, {name}: {per_call:?} per call");
    }
}
