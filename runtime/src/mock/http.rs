//! The mock's HTTP/1.1, as little of it as a client of the service needs: one request per
//! connection, its query and `Content-Length` body read, one answer written.

use std::collections::BTreeMap;

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// One request as the mock reads it.
pub(super) struct HttpRequest {
    pub query: BTreeMap<String, String>,
    /// The query as sent, for a GET request's fields (names may repeat).
    pub raw_query: String,
    pub is_get: bool,
    pub body: Vec<u8>,
}

/// An HTTP response with a JSON (or empty) body; the connection closes after it.
pub(super) fn http(status: u16, body: &[u8]) -> Vec<u8> {
    let mut response = format!(
        "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        if status == 200 { "OK" } else { "Mock" },
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}

/// Reads one request: the query of its target and its `Content-Length` body.
pub(super) async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<HttpRequest>> {
    const LIMIT: usize = 4 * 1024 * 1024;
    let mut data = Vec::new();
    let mut buffer = [0_u8; 8192];
    let header_end = loop {
        if let Some(position) = data.windows(4).position(|window| window == b"\r\n\r\n") {
            break position + 4;
        }
        let read = stream.read(&mut buffer).await?;
        if read == 0 || data.len() > LIMIT {
            return Ok(None);
        }
        data.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&data[..header_end]).into_owned();
    let request_line = head.lines().next().unwrap_or_default();
    let is_get = request_line.starts_with("GET ");
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let raw_query = target
        .split_once('?')
        .map_or("", |(_, query)| query)
        .to_owned();
    let query = parse_query(&raw_query);
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(LIMIT);
    while data.len() < header_end + length {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        data.extend_from_slice(&buffer[..read]);
    }
    let end = data.len().min(header_end + length);
    Ok(Some(HttpRequest {
        query,
        raw_query,
        is_get,
        body: data[header_end..end].to_vec(),
    }))
}

pub(super) fn parse_query(query: &str) -> BTreeMap<String, String> {
    query_pairs(query).into_iter().collect()
}

/// The decoded `(name, value)` pairs of a query, in order, repeats kept.
pub(super) fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (percent_decode(name), percent_decode(value)))
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let decoded = match bytes[index] {
            b'%' if index + 2 < bytes.len() => std::str::from_utf8(&bytes[index + 1..index + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok()),
            _ => None,
        };
        match (bytes[index], decoded) {
            (_, Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                index += 1;
            }
            (byte, None) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_split_and_percent_decoded() {
        let query = parse_query("Action=Start%20Record&AppId=7&Note=a+b&Broken=%zz&Empty=");
        assert_eq!(query["Action"], "Start Record");
        assert_eq!(query["Note"], "a b");
        assert_eq!(query["Broken"], "%zz", "a stray % is kept as it is");
        assert_eq!(query["Empty"], "");
    }
}
