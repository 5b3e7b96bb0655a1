//! The same program on progenitor's output: stop one recording task, credentials from the
//! environment. `downstream-progenitor <TaskId>`.

use zego_progenitor::{signing, types, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // reqwest 0.13 without a provider feature needs the process's rustls provider chosen.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let app_id: u32 = std::env::var("ZEGO_APP_ID")?.parse()?;
    let secret = std::env::var("ZEGO_SERVER_SECRET")?;
    let task_id = std::env::args()
        .nth(1)
        .ok_or("usage: downstream-progenitor <TaskId>")?;
    signing::set_credentials(app_id, secret);
    let client = Client::new("https://cloudrecord-api.zego.im");
    let response = client
        .stop_record(&types::StopRecordRequest { task_id })
        .await?
        .into_inner();
    match response.code {
        Some(0) => println!("stopped (request {:?})", response.request_id),
        code => return Err(format!("code {code:?}: {:?}", response.message).into()),
    }
    Ok(())
}
