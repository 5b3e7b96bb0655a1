//! A small receiver for recording-status callbacks, on tokio alone (no web framework):
//!
//! ```text
//! ZEGO_CALLBACK_SECRET=... cargo run -p zego-cloudrecord --example callback_receiver -- 127.0.0.1:8080
//! ```
//!
//! It is a public endpoint, so it is careful: it reads at most 8 KiB of headers and the
//! verifier's body limit (1 MiB by default) of body, gives a client 5 seconds to send it all, answers
//! at once (ZEGOCLOUD retries after 5 seconds) and does the work afterwards, skips repeated
//! deliveries (same task and sequence), and answers a refused body with 400 or 413, never a
//! panic. Point StartRecord's `RecordOutputParams.CallbackUrl` at it.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use zego_cloudrecord::callbacks::{self, CallbackRefusal, CallbackVerifier, DeliveryId};

const MAX_HEADER_BYTES: usize = 8 * 1024;
const READ_TIMEOUT: Duration = Duration::from_secs(5);

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let Ok(secret) = std::env::var("ZEGO_CALLBACK_SECRET") else {
        eprintln!("error: ZEGO_CALLBACK_SECRET is not set");
        std::process::exit(2);
    };
    let verifier = match CallbackVerifier::new(secret) {
        Ok(verifier) => Arc::new(verifier),
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(2);
        }
    };
    let seen: Arc<Mutex<HashSet<DeliveryId>>> = Arc::default();
    let listener = TcpListener::bind(&address).await?;
    eprintln!("listening on http://{}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        let (verifier, seen) = (verifier.clone(), seen.clone());
        tokio::spawn(async move {
            let _ = serve(stream, &verifier, &seen).await;
        });
    }
}

async fn serve(
    mut stream: TcpStream,
    verifier: &CallbackVerifier,
    seen: &Mutex<HashSet<DeliveryId>>,
) -> std::io::Result<()> {
    let body = match tokio::time::timeout(READ_TIMEOUT, read_body(&mut stream)).await {
        Ok(Ok(Some(body))) => body,
        Ok(Ok(None)) => return answer(&mut stream, "413 Payload Too Large").await,
        Ok(Err(_)) | Err(_) => return answer(&mut stream, "400 Bad Request").await,
    };
    let callback = match callbacks::verify(verifier, &body) {
        Ok(callback) => callback,
        Err(CallbackRefusal::TooLarge { .. }) => {
            return answer(&mut stream, "413 Payload Too Large").await
        }
        Err(refusal) => {
            eprintln!("refused a callback: {refusal}");
            return answer(&mut stream, "400 Bad Request").await;
        }
    };
    answer(&mut stream, "200 OK").await?;
    let first_time = callback.delivery_id().is_none_or(|id| {
        seen.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id)
    });
    if first_time {
        println!(
            "{:?} for task {:?}: {:?}",
            callback.event_type,
            callback.task_id,
            callback.event()
        );
    }
    Ok(())
}

/// The body of one HTTP request, `None` when it is larger than a callback can be.
async fn read_body(stream: &mut TcpStream) -> std::io::Result<Option<Vec<u8>>> {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 4096];
    let header_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if buffer.len() > MAX_HEADER_BYTES {
            return Err(std::io::Error::other("headers too long"));
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::Error::other("connection closed"));
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let headers = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
    let length: usize = headers
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .ok_or_else(|| std::io::Error::other("no content-length"))?;
    if length > zego_cloudrecord::callbacks::DEFAULT_MAX_CALLBACK_BYTES {
        return Ok(None);
    }
    let mut body = buffer.split_off(header_end);
    while body.len() < length {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::Error::other("body cut short"));
        }
        body.extend_from_slice(&chunk[..read]);
    }
    body.truncate(length);
    Ok(Some(body))
}

async fn answer(stream: &mut TcpStream, status: &str) -> std::io::Result<()> {
    let response = format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}
