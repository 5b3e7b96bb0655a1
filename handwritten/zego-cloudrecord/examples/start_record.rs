//! Starts a cloud recording from a request file in the API's JSON wire format.
//!
//! ```text
//! ZEGO_APP_ID=1234567890 ZEGO_SERVER_SECRET=... \
//!     cargo run -p zego-cloudrecord --example start_record -- [--dry-run] request.json
//! ```
//!
//! `ZEGO_BASE_URL` overrides the service address. With `--dry-run` the signed request is
//! printed (credentials in the body redacted) and nothing is sent.

use std::process::ExitCode;

use zego_cloudrecord::types::StartRecordRequest;
use zego_cloudrecord::{operations, Client, Error};

const USAGE: &str = "usage: start_record [--dry-run] <request.json>";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let mut dry_run = false;
    let mut path = None;
    for argument in std::env::args().skip(1) {
        match argument.as_str() {
            "--dry-run" => dry_run = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ if path.is_none() => path = Some(argument),
            _ => return Err(format!("unexpected argument `{argument}`\n{USAGE}")),
        }
    }
    let path = path.ok_or_else(|| USAGE.to_owned())?;
    let text =
        std::fs::read_to_string(&path).map_err(|error| format!("cannot read {path}: {error}"))?;
    let request: StartRecordRequest = serde_json::from_str(&text).map_err(|error| {
        format!(
            "{path}: not a StartRecord request at `{}`: {error}",
            zego_cloudrecord::runtime::json_error_path(&text, &error)
        )
    })?;

    let client = client_from_env()?;
    if dry_run {
        let prepared = client
            .dry_run(&operations::START_RECORD, &request)
            .map_err(describe)?;
        println!("{prepared}");
        return Ok(());
    }
    let response = client.start_record(&request).await.map_err(describe)?;
    println!(
        "TaskId: {}",
        response.data.task_id.as_deref().unwrap_or("(none)")
    );
    if let Some(request_id) = &response.request_id {
        println!("RequestId: {request_id}");
    }
    Ok(())
}

fn client_from_env() -> Result<Client, String> {
    let app_id = std::env::var("ZEGO_APP_ID").map_err(|_| "ZEGO_APP_ID is not set".to_owned())?;
    let app_id: u32 = app_id
        .trim()
        .parse()
        .map_err(|_| format!("ZEGO_APP_ID `{app_id}` is not a 32-bit unsigned integer"))?;
    let secret = std::env::var("ZEGO_SERVER_SECRET")
        .map_err(|_| "ZEGO_SERVER_SECRET is not set".to_owned())?;
    let mut builder = Client::builder(app_id, secret);
    if let Ok(base_url) = std::env::var("ZEGO_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    builder.build().map_err(describe)
}

/// The error's message; an invalid request lists every violation on its own line (the
/// error's own `Display` does).
fn describe(error: Error) -> String {
    error.to_string()
}
