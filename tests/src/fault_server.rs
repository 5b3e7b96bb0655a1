//! A misbehaving HTTP server on 127.0.0.1 for fault-injection tests: each connection follows
//! a script of steps (read the request, write bytes, wait, reset, hang). Bounded: it serves
//! until dropped, and every wait in a script is finite.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One step of a connection's script.
#[derive(Clone, Debug)]
pub enum Step {
    /// Read one HTTP request (headers and `Content-Length` body) and record its body.
    ReadRequest,
    /// Write these bytes.
    Write(Vec<u8>),
    /// Write each byte separately, waiting `every` before each.
    Drip { bytes: Vec<u8>, every: Duration },
    /// Wait.
    Sleep(Duration),
    /// Abort the connection with a TCP reset.
    Reset,
    /// Keep the connection open without answering, for at most this long.
    Hang(Duration),
}

/// A script: the steps for connection number `n` (0-based).
pub type Script = Arc<dyn Fn(usize) -> Vec<Step> + Send + Sync>;

/// A running fault server.
pub struct FaultServer {
    address: SocketAddr,
    connections: Arc<AtomicUsize>,
    bodies: Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultServer {
    /// Starts a server whose every connection runs `script(n)`.
    pub async fn start(script: impl Fn(usize) -> Vec<Step> + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        let connections = Arc::new(AtomicUsize::new(0));
        let bodies = Arc::new(std::sync::Mutex::new(Vec::new()));
        let script: Script = Arc::new(script);
        let (counter, recorded) = (connections.clone(), bodies.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let index = counter.fetch_add(1, Ordering::SeqCst);
                let steps = script(index);
                let recorded = recorded.clone();
                tokio::spawn(async move {
                    let _ = run(stream, steps, recorded).await;
                });
            }
        });
        Self {
            address,
            connections,
            bodies,
            task,
        }
    }

    /// A server answering every request with the same raw HTTP response.
    pub async fn answering(response: Vec<u8>) -> Self {
        Self::start(move |_| vec![Step::ReadRequest, Step::Write(response.clone())]).await
    }

    /// `http://127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The bodies of the requests read so far.
    pub fn bodies(&self) -> Vec<Vec<u8>> {
        self.bodies.lock().map(|b| b.clone()).unwrap_or_default()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A raw HTTP/1.1 response with `Content-Length` and `Connection: close`.
pub fn http_response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}

async fn run(
    mut stream: TcpStream,
    steps: Vec<Step>,
    bodies: Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
) -> std::io::Result<()> {
    for step in steps {
        match step {
            Step::ReadRequest => {
                let body = read_request(&mut stream).await?;
                if let Ok(mut recorded) = bodies.lock() {
                    recorded.push(body);
                }
            }
            Step::Write(bytes) => stream.write_all(&bytes).await?,
            Step::Drip { bytes, every } => {
                for byte in bytes {
                    tokio::time::sleep(every).await;
                    stream.write_all(&[byte]).await?;
                    stream.flush().await?;
                }
            }
            Step::Sleep(duration) => tokio::time::sleep(duration).await,
            Step::Reset => {
                stream.set_zero_linger()?;
                return Ok(());
            }
            Step::Hang(duration) => tokio::time::sleep(duration).await,
        }
    }
    stream.shutdown().await
}

/// Reads headers and a `Content-Length` body; returns the body.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut buffer = [0_u8; 4096];
    let header_end = loop {
        if let Some(position) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break position + 4;
        }
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Ok(Vec::new());
        }
        data.extend_from_slice(&buffer[..read]);
    };
    let headers = String::from_utf8_lossy(&data[..header_end]).to_ascii_lowercase();
    let length = headers
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while data.len() < header_end + length {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        data.extend_from_slice(&buffer[..read]);
    }
    Ok(data[header_end..].to_vec())
}
