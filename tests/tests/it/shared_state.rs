//! Many instances, one AppId: the call budget and the store of accepted callbacks shared
//! through a real Redis server, which `.ci/run` starts on a free port (`ZEGO_TEST_REDIS_URL`,
//! and `ZEGO_TEST_REDIS_SERVER`, the binary, for a server of a test's own). Clients run in
//! separate processes (the `cloudrecord` example); requests are counted where they arrive,
//! at the mock.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tests::support::SERVER_SECRET;
use zego_cloudrecord::callbacks::{self, CallbackRefusal, CallbackVerifier};
use zego_cloudrecord::mock::MockResponse;
use zego_cloudrecord::mock::MockServer;
use zego_cloudrecord::runtime::{CallbackStore, RedisStore, SharedRateLimiter};
use zego_cloudrecord::{operations, ApiCode, Client};

const CALLBACK_SECRET: &str = "canary-callback-secret-77d2";

use tests::util::{fresh_app_id, redis_url};

async fn every_key_and_value(url: &str) -> Vec<String> {
    let client = redis::Client::open(url).expect("url");
    let mut connection = client
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("zego:*")
        .query_async(&mut connection)
        .await
        .expect("keys");
    let mut texts = keys.clone();
    for key in keys {
        let value: Option<String> = redis::cmd("GET")
            .arg(&key)
            .query_async(&mut connection)
            .await
            .unwrap_or(None);
        texts.extend(value);
    }
    texts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_sharing_one_budget_stay_under_the_action_s_limit_together() {
    let Some(url) = redis_url() else { return };
    let app_id = fresh_app_id();
    let mock = MockServer::start(app_id, SERVER_SECRET)
        .await
        .expect("mock");
    let limit = operations::STOP_RECORD
        .rate_limit
        .expect("StopRecord has a documented limit");
    let (processes, calls) = (4, 30);
    let children: Vec<Child> = (0..processes)
        .map(|_| {
            Command::new(tests::example_binary("cloudrecord"))
                .args([
                    "StopRecord",
                    "--repeat",
                    &calls.to_string(),
                    "tests/fixtures/requests/StopRecord/task.json",
                ])
                .current_dir(tests::workspace_root())
                .env("ZEGO_APP_ID", app_id.to_string())
                .env("ZEGO_SERVER_SECRET", SERVER_SECRET)
                .env("ZEGO_BASE_URL", mock.url())
                .env("ZEGO_REDIS_URL", &url)
                .stdout(Stdio::null())
                .spawn()
                .expect("the example runs")
        })
        .collect();
    for mut child in children {
        tokio::task::spawn_blocking(move || child.wait())
            .await
            .expect("join")
            .expect("exits");
    }
    let requests = mock.requests();
    let throttled = requests
        .iter()
        .filter(|r| {
            matches!(
                r.response,
                MockResponse::ApiError {
                    code: ApiCode::RateLimited,
                    ..
                }
            )
        })
        .count();
    let arrivals: Vec<Instant> = requests.iter().map(|r| r.received).collect();
    let busiest = tests::util::busiest_second(&arrivals);
    let span = arrivals
        .iter()
        .max()
        .expect("arrivals")
        .duration_since(*arrivals.iter().min().expect("arrivals"));
    eprintln!("{} calls from {processes} processes in {span:?}; busiest second {busiest} (limit {limit}); throttled {throttled}", requests.len());
    // A call the mock throttles (its own limit counts arrivals, jitter included) is retried
    // by the client, so it arrives twice: once refused, once answered.
    assert_eq!(
        requests.len() - throttled,
        processes * calls,
        "every call is answered once, none twice"
    );
    // Slots are spaced 1/limit apart on Redis' clock; arrival adds process and network
    // jitter, so a window may catch a few more on a busy machine.
    assert!(
        busiest <= limit as usize + 5,
        "busiest second {busiest} > limit {limit}"
    );
    assert!(
        throttled <= 2,
        "{throttled} calls were throttled by the mock"
    );
    for text in every_key_and_value(&url).await {
        assert!(!text.contains(SERVER_SECRET), "a secret in Redis: {text}");
    }
}

fn signed_callback(nonce: &str, detail: &str) -> String {
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        .to_string();
    let signature = callbacks::callback_signature(&CALLBACK_SECRET.into(), &timestamp, nonce);
    format!(
        r#"{{"app_id":1,"task_id":"task-{nonce}","room_id":"r","event_type":3,"sequence":1,"detail":{{"note":"{detail}"}},"timestamp":"{timestamp}","nonce":"{nonce}","signature":"{signature}"}}"#
    )
}

fn verify_in_a_process(url: &str, body: &str) -> (bool, String) {
    let dir = std::env::temp_dir().join(format!("zego-callbacks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("{}.json", body.len()));
    std::fs::write(&file, body).expect("write body");
    let output = Command::new(tests::example_binary("cloudrecord"))
        .arg("verify-callback")
        .arg(&file)
        .env("ZEGO_CALLBACK_SECRET", CALLBACK_SECRET)
        .env("ZEGO_REDIS_URL", url)
        .output()
        .expect("the example runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let _ = std::fs::remove_file(&file);
    (output.status.success(), text)
}

#[tokio::test]
async fn a_repeat_is_one_duplicate_and_an_altered_replay_is_refused_by_every_process() {
    let Some(url) = redis_url() else { return };
    let nonce = format!("n{}", fresh_app_id());
    let genuine = signed_callback(&nonce, "original");
    let (accepted, first) = verify_in_a_process(&url, &genuine);
    assert!(accepted && first.contains("delivery: first"), "{first}");
    let (accepted, again) = verify_in_a_process(&url, &genuine);
    assert!(accepted && again.contains("delivery: duplicate"), "{again}");
    // The same timestamp, nonce and signature with another body: it verifies alone, but the
    // shared store knows the signature came with other bytes.
    let altered = genuine.replace("original", "altered!");
    let (accepted, replay) = verify_in_a_process(&url, &altered);
    assert!(!accepted && replay.contains("altered replay"), "{replay}");
    let store = RedisStore::connect(&url).await.expect("redis");
    let verifier = CallbackVerifier::new(CALLBACK_SECRET).expect("secret");
    let refused = callbacks::verify_delivery(&verifier, altered.as_bytes(), &store).await;
    assert_eq!(refused.expect_err("replay"), CallbackRefusal::Replayed);
    // A receiver that could not act on it forgets it: the next delivery is the first again.
    let again = callbacks::verify_delivery(&verifier, genuine.as_bytes(), &store)
        .await
        .expect("verifies");
    assert!(again.duplicate);
    store.forget(&again.receipt).await.expect("forgets");
    let redelivered = callbacks::verify_delivery(&verifier, genuine.as_bytes(), &store)
        .await
        .expect("verifies");
    assert!(!redelivered.duplicate);
    for text in every_key_and_value(&url).await {
        for secret in [CALLBACK_SECRET, nonce.as_str(), "original", "altered"] {
            assert!(!text.contains(secret), "`{secret}` in Redis: {text}");
        }
    }
}

/// A Redis server of the test's own, on a free port, stopped when dropped.
struct OwnRedis {
    child: Child,
    url: String,
}

impl OwnRedis {
    fn start() -> Option<Self> {
        let binary = std::env::var("ZEGO_TEST_REDIS_SERVER").ok()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let child = Command::new(binary)
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn()
            .ok()?;
        let url = format!("redis://127.0.0.1:{port}/");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err()
            && started.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Self { child, url })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_gone_calls_keep_to_the_limit_in_process_and_callbacks_are_refused_for_a_retry()
{
    if redis_url().is_none() {
        return;
    }
    let mut redis = OwnRedis::start().expect("ZEGO_TEST_REDIS_SERVER starts a Redis server");
    let app_id = fresh_app_id();
    let mock = MockServer::start(app_id, SERVER_SECRET)
        .await
        .expect("mock");
    let store = Arc::new(RedisStore::connect(&redis.url).await.expect("redis"));
    // A URL may carry a password: neither an error nor the store's Debug shows it.
    let with_password = redis
        .url
        .replacen("redis://", "redis://:canary-redis-password@", 1);
    let refused = RedisStore::connect(&with_password).await;
    let shown = match &refused {
        Ok(store) => format!("{store:?}"),
        Err(error) => format!("{error} {error:?}"),
    };
    assert!(!shown.contains("canary-redis-password"), "{shown}");
    assert!(!format!("{store:?}").contains("127.0.0.1"), "{store:?}");
    let limiter: Arc<dyn SharedRateLimiter> = store.clone();
    let client = Client::builder(app_id, SERVER_SECRET)
        .base_url(mock.url())
        .shared_rate_limiter(limiter)
        .build()
        .expect("client");
    let body = r#"{"TaskId": "no-such-task"}"#;
    for _ in 0..3 {
        let _ = client.call_action("StopRecord", body).await;
    }
    redis.stop();
    let started = Instant::now();
    for _ in 0..5 {
        let _ = client.call_action("StopRecord", body).await;
    }
    let elapsed = started.elapsed();
    // Each call waits at most the store's timeout before keeping to the limit locally; a
    // generous bound, never a tight timing.
    assert!(
        elapsed < Duration::from_secs(20),
        "calls hung without Redis: {elapsed:?}"
    );
    assert_eq!(mock.requests().len(), 8, "no call was dropped");
    let verifier = CallbackVerifier::new(CALLBACK_SECRET).expect("secret");
    let body = signed_callback("gone", "x");
    let started = Instant::now();
    let refused = callbacks::verify_delivery(&verifier, body.as_bytes(), store.as_ref()).await;
    assert!(
        matches!(refused, Err(CallbackRefusal::StoreUnavailable { .. })),
        "{refused:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}
