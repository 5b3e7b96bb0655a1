//! Fault injection: a misbehaving server on 127.0.0.1 and the exact `Error` each fault must
//! produce. Every case runs under an outer deadline, so a hang fails the test instead of
//! stalling it; the client's own timeout is short.

use std::time::{Duration, Instant};

use serde_json::json;
use tests::fault_server::{http_response, FaultServer, Step};
use tests::support::{single_stream_request, APP_ID, SERVER_SECRET};
use zego_cloudrecord::runtime::TransportErrorKind;
use zego_cloudrecord::{ApiCode, Client, Error, GatewayCode};

const CLIENT_TIMEOUT: Duration = Duration::from_millis(1500);
const DEADLINE: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, PartialEq)]
enum Expect {
    Ok,
    Transport(TransportErrorKind),
    Http(u16),
    Api(ApiCode, &'static str),
    Decode(&'static str),
    TooLarge,
}

struct Case {
    name: String,
    steps: Vec<Step>,
    expect: Expect,
}

fn case(name: impl Into<String>, steps: Vec<Step>, expect: Expect) -> Case {
    Case {
        name: name.into(),
        steps,
        expect,
    }
}

fn respond(bytes: Vec<u8>) -> Vec<Step> {
    vec![Step::ReadRequest, Step::Write(bytes)]
}

fn json_200(body: &serde_json::Value) -> Vec<Step> {
    respond(http_response(
        "200 OK",
        "application/json",
        body.to_string().as_bytes(),
    ))
}

fn cases() -> Vec<Case> {
    let ok = json!({"Code": 0, "Message": "success", "RequestId": "r", "Data": {"TaskId": "t"}});
    let mut cases = vec![
        case("reset before the response", vec![Step::ReadRequest, Step::Reset], Expect::Transport(TransportErrorKind::Other)),
        case("closed before the response", vec![Step::ReadRequest], Expect::Transport(TransportErrorKind::Other)),
        case(
            "reset in the middle of the body",
            vec![
                Step::ReadRequest,
                Step::Write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n{\"Code\": 0,".to_vec()),
                Step::Sleep(Duration::from_millis(50)),
                Step::Reset,
            ],
            Expect::Transport(TransportErrorKind::Other),
        ),
        case("accepts but never answers", vec![Step::ReadRequest, Step::Hang(Duration::from_secs(5))], Expect::Transport(TransportErrorKind::Timeout)),
        case(
            "slow drip of the body",
            vec![
                Step::ReadRequest,
                Step::Write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n".to_vec()),
                Step::Drip { bytes: vec![b' '; 40], every: Duration::from_millis(250) },
            ],
            Expect::Transport(TransportErrorKind::Timeout),
        ),
        case(
            "slow drip of the status line",
            vec![Step::ReadRequest, Step::Drip { bytes: b"HTTP/1.1 200 OK\r\n".to_vec(), every: Duration::from_millis(250) }],
            Expect::Transport(TransportErrorKind::Timeout),
        ),
        case("not HTTP at all", respond(b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec()), Expect::Transport(TransportErrorKind::Other)),
        case(
            "malformed chunked encoding",
            respond(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".to_vec()),
            Expect::Transport(TransportErrorKind::Other),
        ),
        case("200 with truncated JSON", respond(http_response("200 OK", "application/json", b"{\"Code\": 0, \"Data\": {\"Ta")), Expect::Decode("Data.?")),
        case("200 with HTML", respond(http_response("200 OK", "text/html", b"<html><body>Gateway</body></html>")), Expect::Decode(".")),
        case("200 with an empty body", respond(http_response("200 OK", "application/json", b"")), Expect::Decode(".")),
        case("200 with JSON null", respond(http_response("200 OK", "application/json", b"null")), Expect::Decode(".")),
        case("204 without content", respond(b"HTTP/1.1 204 No Content\r\n\r\n".to_vec()), Expect::Decode(".")),
        case("valid JSON under a wrong content type", respond(http_response("200 OK", "text/plain", ok.to_string().as_bytes())), Expect::Ok),
        case(
            "gzip-compressed body that was not asked for",
            respond(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: 4\r\n\r\n\x1f\x8b\x08\x00"
                    .to_vec(),
            ),
            Expect::Decode("."),
        ),
        case(
            "body delimited by closing the connection",
            respond(format!("HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n{ok}").into_bytes()),
            Expect::Ok,
        ),
        case(
            "huge declared body",
            respond(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10485760\r\n\r\n{".to_vec()),
            Expect::TooLarge,
        ),
        case("huge chunked body", respond(huge_chunked_body(2 * 1024 * 1024)), Expect::TooLarge),
        case("Code != 0 with Message", json_200(&json!({"Code": 300000004, "Message": "invalid RoomId", "RequestId": "r"})), Expect::Api(ApiCode::InvalidParameter, "invalid RoomId")),
        case("Code != 0 without Message", json_200(&json!({"Code": 100000010})), Expect::Api(ApiCode::Gateway(GatewayCode::ServerSecretUnavailable), "")),
        // The documentation guarantees only Code, Message and RequestId: a success without Data
        // is a success with nothing in it.
        case("Code 0 without Data", json_200(&json!({"Code": 0, "Message": "success"})), Expect::Ok),
        case("Code 0 with null Data", json_200(&json!({"Code": 0, "Data": null})), Expect::Ok),
        case("Code as a string", json_200(&json!({"Code": "0", "Data": {"TaskId": "t"}})), Expect::Decode("Code")),
        case("TaskId as a number", json_200(&json!({"Code": 0, "Data": {"TaskId": 1234}})), Expect::Decode("Data.TaskId")),
        case("TaskId as an object", json_200(&json!({"Code": 0, "Data": {"TaskId": {"id": "t"}}})), Expect::Decode("Data.TaskId")),
        case("Data as a string", json_200(&json!({"Code": 0, "Data": "t"})), Expect::Decode("Data")),
    ];
    for (status, text) in [
        (400, "Bad Request"),
        (401, "Unauthorized"),
        (403, "Forbidden"),
        (404, "Not Found"),
        (429, "Too Many Requests"),
        (500, "Internal Server Error"),
        (502, "Bad Gateway"),
        (503, "Service Unavailable"),
    ] {
        let line = format!("{status} {text}");
        cases.push(case(
            format!("HTTP {status} with a body"),
            respond(http_response(&line, "text/plain", text.as_bytes())),
            Expect::Http(status),
        ));
        cases.push(case(
            format!("HTTP {status} without a body"),
            respond(http_response(&line, "text/plain", b"")),
            Expect::Http(status),
        ));
    }
    cases
}

fn huge_chunked_body(total: usize) -> Vec<u8> {
    let mut response =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec();
    let chunk = vec![b' '; 64 * 1024];
    for _ in 0..total / chunk.len() {
        response.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        response.extend_from_slice(&chunk);
        response.extend_from_slice(b"\r\n");
    }
    response.extend_from_slice(b"0\r\n\r\n");
    response
}

fn outcome(result: &Result<(), Error>) -> Option<Expect> {
    Some(match result {
        Ok(()) => Expect::Ok,
        Err(Error::Transport { kind, .. }) => Expect::Transport(*kind),
        Err(Error::Http { status, .. }) => Expect::Http(*status),
        Err(Error::Api { code, message, .. }) => Expect::Api(*code, leak(message)),
        Err(Error::Decode { path, .. }) => Expect::Decode(leak(path)),
        Err(Error::ResponseTooLarge { .. }) => Expect::TooLarge,
        Err(_) => return None,
    })
}

/// Test-only: lets an outcome hold a `&'static str` to compare with the table.
fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

fn client(url: &str) -> Client {
    Client::builder(APP_ID, SERVER_SECRET)
        .base_url(url)
        .timeout(CLIENT_TIMEOUT)
        .connect_timeout(CLIENT_TIMEOUT)
        .max_response_bytes(64 * 1024)
        .build()
        .expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_maps_to_its_exact_error() {
    let cases = cases();
    assert!(cases.len() >= 20, "at least 20 distinct faults");
    let mut failures = Vec::new();
    for Case {
        name,
        steps,
        expect,
    } in cases
    {
        let server = FaultServer::start(move |_| steps.clone()).await;
        let started = Instant::now();
        let (client, request) = (client(&server.url()), single_stream_request());
        let result = match tokio::time::timeout(DEADLINE, client.start_record(&request)).await {
            Ok(result) => result.map(|_| ()),
            Err(_) => {
                failures.push(format!("{name}: hung past {DEADLINE:?}"));
                continue;
            }
        };
        let got = outcome(&result);
        if got.as_ref() != Some(&expect) {
            failures.push(format!("{name}: expected {expect:?}, got {result:?}"));
        }
        if matches!(expect, Expect::Transport(TransportErrorKind::Timeout))
            && started.elapsed() > CLIENT_TIMEOUT * 4
        {
            failures.push(format!(
                "{name}: the timeout did not hold ({:?})",
                started.elapsed()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fault(s) mishandled:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let result = client(&format!("http://{address}"))
        .start_record(&single_stream_request())
        .await
        .map(|_| ());
    assert_eq!(
        outcome(&result),
        Some(Expect::Transport(TransportErrorKind::Connect)),
        "{result:?}"
    );
}

#[tokio::test]
async fn redirects_to_another_host_are_not_followed_with_the_signature() {
    let elsewhere =
        FaultServer::answering(http_response("200 OK", "application/json", b"{}")).await;
    let location = format!("{}/?stolen=1", elsewhere.url());
    let redirecting = FaultServer::answering(
        format!("HTTP/1.1 307 Temporary Redirect\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").into_bytes(),
    )
    .await;
    let result = client(&redirecting.url())
        .start_record(&single_stream_request())
        .await
        .map(|_| ());
    assert_eq!(outcome(&result), Some(Expect::Http(307)), "{result:?}");
    assert_eq!(
        elsewhere.connections(),
        0,
        "the other host was never contacted"
    );
}
