//! Receiving a callback over HTTP without tying it to a framework: an `http::Request` with its
//! body in; the verified event, and the `http::Response` to send, out. ZEGOCLOUD delivers a
//! callback again when the answer is not 2xx, so a refusal that another delivery could cure
//! (the store of accepted callbacks did not answer) is a 503; one that no delivery can cure
//! is a 4xx.

use serde::Serialize;

use crate::callback::{CallbackRefusal, CallbackVerifier, Delivered, SignedParts};
use crate::deliveries::CallbackStore;

/// One request received: the verified event (or why it was refused) and the answer to send.
#[derive(Debug)]
#[non_exhaustive]
pub struct Received<E> {
    /// The event, or why the request was refused.
    pub outcome: Result<E, CallbackRefusal>,
    /// What to answer: `200` with `{}` for an accepted event (an event whose answer carries
    /// data is answered with [`json_response`] instead); for a refused request its
    /// [`refusal_status`] and the reason as text.
    pub response: http::Response<Vec<u8>>,
}

impl CallbackVerifier {
    /// Receives one request: refuses another method than POST, then verifies the body (as
    /// [`CallbackVerifier::verify`]) and decodes it with `decode` (a product's
    /// `callbacks::Event::decode`).
    pub fn receive<B: AsRef<[u8]>, E>(
        &self,
        request: &http::Request<B>,
        decode: impl FnOnce(&[u8]) -> Result<E, CallbackRefusal>,
    ) -> Received<E> {
        let outcome = self
            .checked(request)
            .and_then(|_| decode(request.body().as_ref()));
        answer(outcome)
    }

    /// As [`CallbackVerifier::receive`], and records the callback in `store` (shared by every
    /// instance that receives callbacks): a delivery seen before is accepted again and marked
    /// a duplicate (act on it once), an altered replay is refused, and a store that cannot
    /// answer makes a 503, so ZEGOCLOUD delivers the callback again.
    pub async fn receive_delivery<B: AsRef<[u8]>, E>(
        &self,
        request: &http::Request<B>,
        store: &dyn CallbackStore,
        decode: impl FnOnce(&[u8]) -> Result<E, CallbackRefusal>,
    ) -> Received<Delivered<E>> {
        let outcome = async {
            let signed = self.checked(request)?;
            let body = request.body().as_ref();
            let callback = decode(body)?;
            let (duplicate, receipt) = self.record(body, &signed, None, store).await?;
            Ok(Delivered {
                callback,
                duplicate,
                receipt,
            })
        };
        answer(outcome.await)
    }

    fn checked<B: AsRef<[u8]>>(
        &self,
        request: &http::Request<B>,
    ) -> Result<SignedParts, CallbackRefusal> {
        if request.method() != http::Method::POST {
            return Err(CallbackRefusal::WrongMethod {
                method: request.method().as_str().to_owned(),
            });
        }
        self.authenticated(request.body().as_ref())
    }
}

fn answer<E>(outcome: Result<E, CallbackRefusal>) -> Received<E> {
    let response = match &outcome {
        Ok(_) => json_response(&serde_json::json!({})),
        Err(refusal) => {
            let mut response = http::Response::new(refusal.to_string().into_bytes());
            *response.status_mut() = refusal_status(refusal);
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            response
        }
    };
    Received { outcome, response }
}

/// The status that answers a refused callback: 503 when another delivery may succeed (the
/// store did not answer), 405 for another method than POST, 413 for a body too large, 401 for
/// a signature or timestamp that fails, 409 for an altered replay, 400 otherwise.
pub fn refusal_status(refusal: &CallbackRefusal) -> http::StatusCode {
    match refusal {
        CallbackRefusal::StoreUnavailable { .. } => http::StatusCode::SERVICE_UNAVAILABLE,
        CallbackRefusal::WrongMethod { .. } => http::StatusCode::METHOD_NOT_ALLOWED,
        CallbackRefusal::TooLarge { .. } => http::StatusCode::PAYLOAD_TOO_LARGE,
        CallbackRefusal::BadSignature
        | CallbackRefusal::Unsigned { .. }
        | CallbackRefusal::BadTimestamp { .. }
        | CallbackRefusal::Stale { .. }
        | CallbackRefusal::FromTheFuture { .. } => http::StatusCode::UNAUTHORIZED,
        CallbackRefusal::Replayed => http::StatusCode::CONFLICT,
        _ => http::StatusCode::BAD_REQUEST,
    }
}

/// A `200` answer whose body is `answer` as JSON: what an event whose answer carries data
/// (a message about to be sent, which the receiver may hold back or rewrite) is answered with.
pub fn json_response<T: Serialize>(answer: &T) -> http::Response<Vec<u8>> {
    // Serializing a typed answer (plain fields, string keys) cannot fail; an empty object
    // would still be a 2xx ZEGOCLOUD accepts.
    let body = serde_json::to_vec(answer).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = http::Response::new(body);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callback::callback_signature;
    use crate::deliveries::InMemoryCallbackStore;
    use crate::signing::ManualClock;

    const NOW: i64 = 1_470_820_200;

    fn verifier() -> CallbackVerifier {
        CallbackVerifier::new("secret")
            .expect("secret")
            .clock(ManualClock::at_unix_millis(NOW * 1000))
    }

    fn request(method: &str, body: &serde_json::Value) -> http::Request<Vec<u8>> {
        http::Request::builder()
            .method(method)
            .uri("/zego/callback")
            .body(body.to_string().into_bytes())
            .expect("request")
    }

    fn signed() -> serde_json::Value {
        let signature = callback_signature(&"secret".into(), &NOW.to_string(), "7");
        serde_json::json!({"event": "thing", "timestamp": NOW, "nonce": "7", "signature": signature})
    }

    fn event(body: &[u8]) -> Result<String, CallbackRefusal> {
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|error| CallbackRefusal::NotJson {
                message: error.to_string(),
            })?;
        Ok(value["event"].as_str().unwrap_or_default().to_owned())
    }

    #[test]
    fn a_genuine_callback_is_answered_200_and_a_refused_one_says_why() {
        let received = verifier().receive(&request("POST", &signed()), event);
        assert_eq!(received.outcome, Ok("thing".to_owned()));
        assert_eq!(received.response.status(), http::StatusCode::OK);
        assert_eq!(received.response.body(), b"{}");

        let mut forged = signed();
        forged["signature"] = "0".repeat(40).into();
        let refused = verifier().receive(&request("POST", &forged), event);
        assert_eq!(refused.outcome, Err(CallbackRefusal::BadSignature));
        assert_eq!(refused.response.status(), http::StatusCode::UNAUTHORIZED);
        assert!(String::from_utf8_lossy(refused.response.body()).contains("signature"));

        let wrong_method = verifier().receive(&request("GET", &signed()), event);
        assert_eq!(
            wrong_method.response.status(),
            http::StatusCode::METHOD_NOT_ALLOWED
        );
    }

    #[tokio::test]
    async fn a_second_delivery_is_a_duplicate_and_an_altered_one_a_conflict() {
        let store = InMemoryCallbackStore::new();
        let first = verifier()
            .receive_delivery(&request("POST", &signed()), &store, event)
            .await;
        assert!(matches!(&first.outcome, Ok(delivered) if !delivered.duplicate));
        let again = verifier()
            .receive_delivery(&request("POST", &signed()), &store, event)
            .await;
        assert!(matches!(&again.outcome, Ok(delivered) if delivered.duplicate));
        assert_eq!(again.response.status(), http::StatusCode::OK);
        let mut altered = signed();
        altered["event"] = "other".into();
        let replay = verifier()
            .receive_delivery(&request("POST", &altered), &store, event)
            .await;
        assert_eq!(replay.response.status(), http::StatusCode::CONFLICT);
    }

    #[test]
    fn an_answer_is_json() {
        let response = json_response(&serde_json::json!({"result": 1}));
        assert_eq!(response.status(), http::StatusCode::OK);
        assert_eq!(response.body(), br#"{"result":1}"#);
        assert_eq!(
            response.headers()[http::header::CONTENT_TYPE],
            "application/json"
        );
    }
}
