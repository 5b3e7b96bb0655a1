//! Loopback throughput of four StartRecord clients against one local server, in paired
//! rounds: the generated client, a hand-written reqwest client doing the same per-call work,
//! progenitor's client for the same spec with the signature in its request hook, and raw
//! reqwest re-sending one pre-built request (the ceiling no real client reaches).
//!
//! `throughput [requests] [concurrency] [rounds] [--only <client>]`: `--only` runs one client
//! for one round and prints nothing but its rate, for profiling (`scripts/bench-peers.sh`
//! runs it under callgrind).

mod handwritten;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use serde_json::json;
use tests::baseline::{baseline_request, bench_request};
use tests::support::{APP_ID, SERVER_SECRET};
use tokio::sync::Semaphore;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use handwritten::HandWritten;

type Call = Pin<Box<dyn Future<Output = bool> + Send>>;

/// One client under test: its name and a way to start one call.
struct Contender {
    name: &'static str,
    call: Box<dyn Fn() -> Call>,
}

#[tokio::main]
async fn main() {
    let mut numbers = Vec::new();
    let mut only = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--only" {
            only = args.next();
        } else if let Ok(number) = arg.parse::<usize>() {
            numbers.push(number);
        }
    }
    let requests = numbers.first().copied().unwrap_or(4000);
    let concurrency = numbers.get(1).copied().unwrap_or(32);
    let rounds = numbers.get(2).copied().unwrap_or(15);

    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let answer = json!({"Code": 0, "Message": "success", "RequestId": "r", "Data": {"TaskId": "0123456789abcdef"}});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .mount(&server)
        .await;

    let contenders = contenders(&server.uri());
    if let Some(name) = only {
        let Some(contender) = contenders.iter().find(|c| c.name == name) else {
            eprintln!("no client named {name}; choose one of ours, hand-written, progenitor, raw");
            std::process::exit(2);
        };
        let rate = run(requests, concurrency, &contender.call).await;
        println!("{name}: {rate:.0} requests/s");
        return;
    }

    // A warm-up round each, then every round runs all four, starting with a different one
    // each time; the server shares the machine, so ratios within a round are steadier than
    // the rates themselves.
    for contender in &contenders {
        run(requests, concurrency, &contender.call).await;
    }
    let mut rates = vec![Vec::new(); contenders.len()];
    let mut ratios = vec![Vec::new(); contenders.len()];
    for round in 0..rounds {
        let mut this_round = vec![0.0; contenders.len()];
        for step in 0..contenders.len() {
            let index = (round + step) % contenders.len();
            this_round[index] = run(requests, concurrency, &contenders[index].call).await;
        }
        for (index, rate) in this_round.iter().enumerate() {
            rates[index].push(*rate);
            ratios[index].push(this_round[0] / rate);
        }
    }
    println!("{requests} StartRecord calls per round, {concurrency} concurrent, {rounds} rounds (medians)");
    println!();
    println!("| client | requests/s | ours ÷ this client (median of per-round ratios) | range of ratios |");
    println!("|---|---|---|---|");
    for (index, contender) in contenders.iter().enumerate() {
        let rate = median(&mut rates[index]);
        let (low, middle, high) = spread(&mut ratios[index]);
        println!(
            "| {} | {rate:.0} | {middle:.3} | {low:.3}–{high:.3} |",
            contender.name
        );
    }
}

fn contenders(base_url: &str) -> Vec<Contender> {
    let ours = zego_cloudrecord::Client::builder(APP_ID, SERVER_SECRET)
        .base_url(base_url)
        .build()
        .expect("our client");
    let request = Arc::new(bench_request());

    // Both reqwest 0.12 clients get the settings the generated client gives its own.
    let reqwest_client = || {
        reqwest::Client::builder()
            .timeout(zego_cloudrecord::runtime::DEFAULT_TIMEOUT)
            .connect_timeout(zego_cloudrecord::runtime::DEFAULT_CONNECT_TIMEOUT)
            .user_agent(<zego_cloudrecord::Api as zego_cloudrecord::runtime::ServerApi>::USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("reqwest")
    };
    let hand_written = Arc::new(HandWritten {
        http: reqwest_client(),
        base_url: base_url.to_owned(),
        app_id: APP_ID,
        server_secret: SERVER_SECRET.to_owned(),
    });
    let hand_written_request = Arc::new(baseline_request());

    zego_progenitor::signing::set_credentials(APP_ID, SERVER_SECRET);
    let progenitor = Arc::new(zego_progenitor::Client::new(base_url));
    let progenitor_request: Arc<zego_progenitor::types::StartRecordRequest> = Arc::new(
        serde_json::from_value(serde_json::to_value(bench_request()).expect("to JSON"))
            .expect("progenitor's type reads our request"),
    );

    // The ceiling: one request signed and serialized up front, sent again and again.
    let raw = reqwest_client();
    let prepared = ours
        .dry_run(
            &zego_cloudrecord::operations::START_RECORD,
            request.as_ref(),
        )
        .expect("dry run");
    let (raw_url, raw_body) = (
        prepared.url.clone(),
        serde_json::to_vec(request.as_ref()).expect("body"),
    );

    vec![
        Contender {
            name: "ours",
            call: Box::new(move || {
                let (client, request) = (ours.clone(), request.clone());
                Box::pin(async move { client.start_record(&request).await.is_ok() })
            }),
        },
        Contender {
            name: "hand-written",
            call: Box::new(move || {
                let (client, request) = (hand_written.clone(), hand_written_request.clone());
                Box::pin(async move { client.start_record(&request).await.is_ok() })
            }),
        },
        Contender {
            name: "progenitor",
            call: Box::new(move || {
                let (client, request) = (progenitor.clone(), progenitor_request.clone());
                Box::pin(async move {
                    match client.start_record(&request).await {
                        Ok(response) => response.into_inner().code == Some(0),
                        Err(_) => false,
                    }
                })
            }),
        },
        Contender {
            name: "raw",
            call: Box::new(move || {
                let (client, url, body) = (raw.clone(), raw_url.clone(), raw_body.clone());
                Box::pin(async move {
                    match client
                        .post(url)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await
                    {
                        Ok(response) => response.bytes().await.is_ok(),
                        Err(_) => false,
                    }
                })
            }),
        },
    ]
}

/// Requests per second for `requests` calls, at most `concurrency` at a time.
async fn run(requests: usize, concurrency: usize, call: &dyn Fn() -> Call) -> f64 {
    let permits = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(requests);
    for _ in 0..requests {
        let permit = permits.clone().acquire_owned().await.expect("semaphore");
        let future = call();
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

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn spread(values: &mut [f64]) -> (f64, f64, f64) {
    let middle = median(values);
    (values[0], middle, values[values.len() - 1])
}
