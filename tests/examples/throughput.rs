//! Loopback throughput: N concurrent `start_record` calls of the generated client versus raw
//! `reqwest` sending byte-identical requests (same signed query, same body) to the same local
//! server. `throughput <requests> <concurrency> <rounds>`; prints requests per second.

use std::sync::Arc;
use std::time::Instant;

use serde_json::json;
use tests::baseline::bench_request;
use tests::support::{FixedClock, FixedNonce, APP_ID, SERVER_SECRET};
use tokio::sync::Semaphore;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zego_cloudrecord::{operations, Client};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().ok());
    let requests = args.next().flatten().unwrap_or(4000);
    let concurrency = args.next().flatten().unwrap_or(32);
    let rounds = args.next().flatten().unwrap_or(3);

    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let body = json!({"Code": 0, "Message": "success", "RequestId": "r", "Data": {"TaskId": "0123456789abcdef"}});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;

    // The same clock and nonce on both sides, so every request is byte-identical.
    let client = Client::builder(APP_ID, SERVER_SECRET)
        .base_url(server.uri())
        .clock(FixedClock)
        .nonce_source(FixedNonce)
        .build()
        .expect("client");
    let request = Arc::new(bench_request());
    let prepared = client
        .dry_run(&operations::START_RECORD, request.as_ref())
        .expect("dry run");
    let url = prepared.url.clone();
    let raw_body = serde_json::to_vec(request.as_ref()).expect("body");
    // Raw reqwest with the same settings the generated client gives its own reqwest client.
    let raw = reqwest::Client::builder()
        .timeout(zego_cloudrecord::DEFAULT_TIMEOUT)
        .connect_timeout(zego_cloudrecord::DEFAULT_CONNECT_TIMEOUT)
        .user_agent(zego_cloudrecord::DEFAULT_USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest");

    let generated = || {
        run(requests, concurrency, |_| {
            let (client, request) = (client.clone(), request.clone());
            async move { client.start_record(&request).await.is_ok() }
        })
    };
    let raw_reqwest = || {
        run(requests, concurrency, |_| {
            let (raw, url, body) = (raw.clone(), url.clone(), raw_body.clone());
            async move {
                match raw
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                {
                    Ok(response) => response.bytes().await.is_ok(),
                    Err(_) => false,
                }
            }
        })
    };
    // One warm-up round each, then pairs run back to back in alternating order; the loopback
    // server shares the machine, so the ratio of each pair is steadier than absolute rates.
    generated().await;
    raw_reqwest().await;
    let (mut generated_rates, mut raw_rates, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (ours, theirs) = if round % 2 == 0 {
            let ours = generated().await;
            (ours, raw_reqwest().await)
        } else {
            let theirs = raw_reqwest().await;
            (generated().await, theirs)
        };
        generated_rates.push(ours);
        raw_rates.push(theirs);
        ratios.push(ours / theirs);
    }
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    println!("requests={requests} concurrency={concurrency} rounds={rounds}");
    println!(
        "generated client: {:.0} requests/s (median)",
        median(&mut generated_rates)
    );
    println!(
        "raw reqwest:      {:.0} requests/s (median)",
        median(&mut raw_rates)
    );
    println!(
        "ratio generated/raw: {:.3} (median of per-round ratios)",
        median(&mut ratios)
    );
}

async fn run<F, Fut>(requests: usize, concurrency: usize, call: F) -> f64
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(requests);
    for n in 0..requests {
        let permit = permits.clone().acquire_owned().await.expect("semaphore");
        let future = call(n);
        tasks.push(tokio::spawn(async move {
            let ok = future.await;
            drop(permit);
            ok
        }));
    }
    let mut failures = 0;
    for task in tasks {
        if !task.await.unwrap_or(false) {
            failures += 1;
        }
    }
    assert_eq!(failures, 0, "every request succeeds");
    requests as f64 / started.elapsed().as_secs_f64()
}
