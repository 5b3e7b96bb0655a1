//! Calls any action of the Cloud Recording API with a request file in the API's JSON wire
//! format.
//!
//! ```text
//! ZEGO_APP_ID=1234567890 ZEGO_SERVER_SECRET=... \
//!     cargo run -p zego-cloudrecord --example cloudrecord -- <Action> [--dry-run] request.json
//! ```
//!
//! `ZEGO_BASE_URL` overrides the service address. Calls use the settings the README
//! recommends: the default retry policy (throttled calls retried for every action, calls of
//! unknown outcome only when idempotent) and each action kept under its documented rate. It
//! prints the `RequestId` and the response's `Data` as JSON, and exits non-zero with the
//! error on failure. With `--dry-run` the signed request is printed (credentials in the body
//! redacted) and nothing is sent. A relative request path that does not exist where the
//! command runs is also looked for from the repository root, so the README's sample paths
//! work from any folder of the workspace.
//!
//! ```text
//! ZEGO_CALLBACK_SECRET=... cargo run -p zego-cloudrecord --example cloudrecord -- verify-callback body.json
//! ```
//!
//! checks a recording-status callback body (signature, age, shape) and prints its event; a
//! forged, wrongly keyed, stale, unsigned or malformed one exits non-zero with the reason.
//!
//! Several instances with one AppId: with `ZEGO_REDIS_URL` set (and the crate's feature
//! `redis`), calls draw from one budget per action shared through Redis, and `verify-callback`
//! remembers the callbacks it accepted there, so a second process reports a repeat as a
//! duplicate delivery and an altered replay as refused. `--repeat <n>` sends the request `n`
//! times and prints how many calls succeeded.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use zego_cloudrecord::callbacks::CallbackStore;
use zego_cloudrecord::callbacks::{self, CallbackEvent, CallbackVerifier, InMemoryCallbackStore};
use zego_cloudrecord::runtime::SharedRateLimiter;
use zego_cloudrecord::{operations, Client, Error, RetryPolicy};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Help) => {
            print(&usage());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

enum Outcome {
    Done,
    Help,
}

fn usage() -> String {
    let actions: Vec<&str> = operations::ALL.iter().map(|op| op.action).collect();
    format!(
        "usage: cloudrecord <Action> [--dry-run] [--repeat <n>] <request.json>\n       \
         cloudrecord verify-callback <body.json>\nactions: {}",
        actions.join(", ")
    )
}

async fn run() -> Result<Outcome, String> {
    let mut dry_run = false;
    let mut repeat = None;
    let mut positional = Vec::new();
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--dry-run" => dry_run = true,
            "--repeat" => {
                let count = arguments.next().and_then(|n| n.parse::<u32>().ok());
                repeat =
                    Some(count.ok_or_else(|| format!("--repeat takes a number\n{}", usage()))?);
            }
            "-h" | "--help" => return Ok(Outcome::Help),
            _ => positional.push(argument),
        }
    }
    let [action, path] = <[String; 2]>::try_from(positional).map_err(|_| usage())?;
    if action == "verify-callback" {
        verify_callback(&path).await?;
        return Ok(Outcome::Done);
    }
    check_action(&action)?;
    let body = std::fs::read_to_string(locate(&path))
        .map_err(|error| format!("cannot read {path}: {error}"))?;
    let client = client_from_env().await?;
    if let Some(count) = repeat {
        let mut succeeded = 0;
        for _ in 0..count {
            if client.call_action(&action, &body).await.is_ok() {
                succeeded += 1;
            }
        }
        print(&format!("{count} calls, {succeeded} succeeded"));
        return Ok(Outcome::Done);
    }
    if dry_run {
        let prepared = client
            .dry_run_action(&action, &body)
            .map_err(|error| describe(&path, error))?;
        print(&prepared.to_string());
        return Ok(Outcome::Done);
    }
    let response = client
        .call_action(&action, &body)
        .await
        .map_err(|error| describe(&path, error))?;
    let data = serde_json::to_string_pretty(&response.data).map_err(|error| error.to_string())?;
    let request_id = response.request_id.as_deref().unwrap_or("(none)");
    print(&format!("RequestId: {request_id}\nData: {data}"));
    Ok(Outcome::Done)
}

/// Refuses a name that is no action, suggesting the action it most likely meant.
fn check_action(action: &str) -> Result<(), String> {
    let actions = operations::ALL.iter().map(|operation| operation.action);
    if actions.clone().any(|known| known == action) {
        return Ok(());
    }
    let nearest = actions
        .map(|known| {
            (
                edit_distance(&action.to_lowercase(), &known.to_lowercase()),
                known,
            )
        })
        .min();
    match nearest {
        Some((distance, known)) if distance <= known.len() / 3 => Err(format!(
            "`{action}` is not an action; did you mean `{known}`?\n{}",
            usage()
        )),
        _ => Err(format!("`{action}` is not an action\n{}", usage())),
    }
}

/// The Levenshtein distance between two short strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, left) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, right) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(left != *right);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// `path`, or, when it is relative and not found here, the same path from the repository
/// root (where the README's sample requests live).
fn locate(path: &str) -> PathBuf {
    let given = PathBuf::from(path);
    if given.exists() || given.is_absolute() {
        return given;
    }
    let from_root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join(path);
    if from_root.exists() {
        from_root
    } else {
        given
    }
}

/// Verifies a callback body with `ZEGO_CALLBACK_SECRET` and prints its event; with
/// `ZEGO_REDIS_URL`, also whether another process accepted it before.
async fn verify_callback(path: &str) -> Result<(), String> {
    let secret = std::env::var("ZEGO_CALLBACK_SECRET")
        .map_err(|_| "ZEGO_CALLBACK_SECRET is not set".to_owned())?;
    let body =
        std::fs::read(locate(path)).map_err(|error| format!("cannot read {path}: {error}"))?;
    let verifier = CallbackVerifier::new(secret).map_err(|error| error.to_string())?;
    let store: Arc<dyn CallbackStore> = match shared_stores().await? {
        Some((store, _)) => store,
        None => Arc::new(InMemoryCallbackStore::new()),
    };
    let delivered = callbacks::verify_delivery(&verifier, &body, store.as_ref())
        .await
        .map_err(|refusal| format!("{path}: callback refused: {refusal}"))?;
    let callback = delivered.callback;
    let mut lines = vec![
        format!(
            "delivery: {}",
            if delivered.duplicate {
                "duplicate"
            } else {
                "first"
            }
        ),
        format!("event: {:?}", callback.event_type),
        format!(
            "task_id: {}",
            callback.task_id.as_deref().unwrap_or("(none)")
        ),
        format!(
            "room_id: {}",
            callback.room_id.as_deref().unwrap_or("(none)")
        ),
        format!("sequence: {:?}", callback.sequence),
    ];
    match callback.event() {
        CallbackEvent::FilesUploaded { status, files } => {
            lines.push(format!("upload_status: {status:?}"));
            for file in files {
                lines.push(format!(
                    "file: {} {} ({} bytes, {} ms): {}",
                    file.file_id.as_deref().unwrap_or("?"),
                    file.file_url.as_deref().unwrap_or("(no URL)"),
                    file.file_size.unwrap_or_default(),
                    file.duration.unwrap_or_default(),
                    file.outcome()
                ));
            }
        }
        other => lines.push(format!("detail: {other:?}")),
    }
    print(&lines.join("\n"));
    Ok(())
}

/// Writes a line to stdout; a reader that went away (`| head -1`) ends the output, quietly.
fn print(text: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// The stores shared through the Redis `ZEGO_REDIS_URL` names, if set: one for accepted
/// callbacks, one for the call budget (the same connection).
type SharedStores = (Arc<dyn CallbackStore>, Arc<dyn SharedRateLimiter>);

#[cfg(feature = "redis")]
async fn shared_stores() -> Result<Option<SharedStores>, String> {
    let Ok(url) = std::env::var("ZEGO_REDIS_URL") else {
        return Ok(None);
    };
    let store = zego_cloudrecord::runtime::RedisStore::connect(&url)
        .await
        .map_err(|error| error.to_string())?;
    let store = Arc::new(store);
    Ok(Some((store.clone(), store)))
}

#[cfg(not(feature = "redis"))]
async fn shared_stores() -> Result<Option<SharedStores>, String> {
    match std::env::var("ZEGO_REDIS_URL") {
        Ok(_) => Err(
            "ZEGO_REDIS_URL is set, but this build has no Redis support: build with `--features redis`"
                .to_owned(),
        ),
        Err(_) => Ok(None),
    }
}

async fn client_from_env() -> Result<Client, String> {
    let app_id = std::env::var("ZEGO_APP_ID").map_err(|_| "ZEGO_APP_ID is not set".to_owned())?;
    let app_id: u32 = app_id
        .trim()
        .parse()
        .map_err(|_| format!("ZEGO_APP_ID `{app_id}` is not a 32-bit unsigned integer"))?;
    let secret = std::env::var("ZEGO_SERVER_SECRET")
        .map_err(|_| "ZEGO_SERVER_SECRET is not set".to_owned())?;
    let mut builder = Client::builder(app_id, secret)
        .retry(RetryPolicy::default())
        .rate_limit_per_action();
    if let Ok(base_url) = std::env::var("ZEGO_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    if let Some((_, limiter)) = shared_stores().await? {
        builder = builder.shared_rate_limiter(limiter);
    }
    builder.build().map_err(|error| error.to_string())
}

/// The error's message; an invalid request lists every violation on its own line.
fn describe(path: &str, error: Error) -> String {
    match &error {
        Error::Validation(validation) => {
            let mut text = format!("{path}: the request is invalid:");
            for violation in validation.violations() {
                text.push_str(&format!("\n  - {violation}"));
            }
            text
        }
        Error::RequestJson { .. } => format!("{path}: {error}"),
        _ => error.to_string(),
    }
}
