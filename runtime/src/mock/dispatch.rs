//! Serving one connection: the request read, the gateway's checks, the action's check of
//! the body, the programmed or made-up answer, and the record a test reads back.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use super::gateway::{envelope, gateway_problem, Data};
use super::http::{http, read_request, HttpRequest};
use super::{Checked, MockActions, MockResponse, RecordedRequest};
use crate::api::ReturnCode;
use crate::gateway::GatewayCode;
use crate::sensitive::SensitiveString;
use crate::validation::Violation;

/// What a mock has seen and been told: every request, the answers queued for the next ones,
/// and the count that numbers them.
pub(super) struct State<C> {
    pub(super) requests: Vec<RecordedRequest<C>>,
    pub(super) queue: VecDeque<MockResponse<C>>,
    pub(super) sequence: u64,
}

impl<C> Default for State<C> {
    fn default() -> Self {
        Self {
            requests: Vec::new(),
            queue: VecDeque::new(),
            sequence: 0,
        }
    }
}

/// What the mock serves: the app, its secret, and the product's code for invalid parameters.
pub(super) struct Service {
    pub(super) app_id: u32,
    pub(super) secret: SensitiveString,
    pub(super) invalid_parameter: Option<i64>,
}

pub(super) async fn serve<C: ReturnCode>(
    listener: TcpListener,
    service: Arc<Service>,
    state: Arc<Mutex<State<C>>>,
    actions: Arc<dyn MockActions<C>>,
) {
    while let Ok((stream, _)) = listener.accept().await {
        let (service, state, actions) = (service.clone(), state.clone(), actions.clone());
        tokio::spawn(async move {
            let _ = handle(stream, &service, &state, actions.as_ref()).await;
        });
    }
}

async fn handle<C: ReturnCode>(
    mut stream: TcpStream,
    service: &Service,
    state: &Mutex<State<C>>,
    actions: &dyn MockActions<C>,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else {
        return Ok(());
    };
    let (response, delay) = answer(&request, service, state, actions);
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    stream.write_all(&response).await?;
    stream.shutdown().await
}

/// Decides the answer and records the request.
fn answer<C: ReturnCode>(
    request: &HttpRequest,
    service: &Service,
    state: &Mutex<State<C>>,
    actions: &dyn MockActions<C>,
) -> (Vec<u8>, Option<Duration>) {
    let (app_id, secret) = (service.app_id, &service.secret);
    let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
    state.sequence += 1;
    let sequence = state.sequence;
    let action = request.query.get("Action").cloned();
    let gateway_problem = gateway_problem(&request.query, app_id, secret);
    // A request the gateway refuses never reaches the actions, as it would not reach the
    // service.
    let checked = action
        .as_deref()
        .filter(|_| gateway_problem.is_none())
        .and_then(|action| {
            let payload = if request.is_get {
                request.raw_query.as_bytes()
            } else {
                &request.body
            };
            actions.check(action, payload, sequence)
        });
    let (violations, decode_problem, data, beside_envelope) = match checked {
        Some(Checked {
            violations: Ok(violations),
            data,
            beside_envelope,
        }) => (violations, None, data, beside_envelope),
        Some(Checked {
            violations: Err(problem),
            data,
            beside_envelope,
        }) => (Vec::new(), Some(problem), data, beside_envelope),
        None => (Vec::new(), None, serde_json::Value::Null, false),
    };
    let (response, recorded) = if let Some((code, message)) = gateway_problem {
        api_error(sequence, code.wire_value(), message.to_owned())
    } else if data.is_null() {
        api_error(
            sequence,
            GatewayCode::ActionNotSupported.wire_value(),
            "action not supported".to_owned(),
        )
    } else if decode_problem.is_some() || !violations.is_empty() {
        let message = decode_problem.unwrap_or_else(|| {
            violations
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        });
        match service.invalid_parameter {
            Some(code) => api_error(sequence, code, message),
            None => (http(400, message.as_bytes()), MockResponse::HttpStatus(400)),
        }
    } else {
        let programmed = state.queue.pop_front().unwrap_or(MockResponse::Success);
        let bytes = match &programmed {
            MockResponse::Success | MockResponse::Delay(_) => {
                let action = action.as_deref().unwrap_or_default();
                match actions.respond(action, &request.body, data) {
                    Ok(data) if beside_envelope => {
                        envelope(sequence, 0, "success", Data::Beside(data))
                    }
                    Ok(data) => envelope(sequence, 0, "success", Data::Field(data)),
                    Err((code, message)) => {
                        let bytes = envelope(sequence, code.wire_value(), &message, Data::None);
                        let refused = MockResponse::ApiError { code, message };
                        return finish(
                            &mut state,
                            request,
                            action,
                            gateway_problem.is_none(),
                            violations,
                            refused,
                            bytes,
                        );
                    }
                }
            }
            MockResponse::ApiError { code, message } => {
                envelope(sequence, code.wire_value(), message, Data::None)
            }
            MockResponse::HttpStatus(status) => http(*status, b""),
        };
        (bytes, programmed)
    };
    let action = action.unwrap_or_default();
    finish(
        &mut state,
        request,
        &action,
        gateway_problem.is_none(),
        violations,
        recorded,
        response,
    )
}

/// An answer with a non-zero `Code`, and how it is recorded.
fn api_error<C: ReturnCode>(
    sequence: u64,
    code: i64,
    message: String,
) -> (Vec<u8>, MockResponse<C>) {
    let bytes = envelope(sequence, code, &message, Data::None);
    let recorded = MockResponse::ApiError {
        code: C::from_wire_value(code),
        message,
    };
    (bytes, recorded)
}

/// Records the request and what was answered, and returns the answer.
fn finish<C>(
    state: &mut State<C>,
    request: &HttpRequest,
    action: &str,
    signature_valid: bool,
    violations: Vec<Violation>,
    recorded: MockResponse<C>,
    response: Vec<u8>,
) -> (Vec<u8>, Option<Duration>) {
    let delay = match recorded {
        MockResponse::Delay(delay) => Some(delay),
        _ => None,
    };
    state.requests.push(RecordedRequest {
        action: (!action.is_empty()).then(|| action.to_owned()),
        query: request.query.clone(),
        body: serde_json::from_slice(&request.body).unwrap_or(serde_json::Value::Null),
        signature_valid,
        violations,
        response: recorded,
        received: std::time::Instant::now(),
    });
    (response, delay)
}
