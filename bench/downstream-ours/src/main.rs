//! A small program a new user writes: stop one recording task, credentials from the
//! environment. `downstream-ours <TaskId>`.

use zego_cloudrecord::types::StopRecordRequest;
use zego_cloudrecord::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app_id: u32 = std::env::var("ZEGO_APP_ID")?.parse()?;
    let secret = std::env::var("ZEGO_SERVER_SECRET")?;
    let task_id = std::env::args()
        .nth(1)
        .ok_or("usage: downstream-ours <TaskId>")?;
    let client = Client::builder(app_id, secret).build()?;
    let response = client.stop_record(&StopRecordRequest::new(task_id)).await?;
    println!("stopped (request {:?})", response.request_id);
    Ok(())
}
