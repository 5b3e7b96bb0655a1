//! Receiving callbacks with axum (feature `axum`): [`VerifiedCallback`] extracts a product's
//! verified event from a request, the [`CallbackVerifier`] coming from the router's state; a
//! refused request is answered as [`CallbackVerifier::receive`] says, before the handler runs.

use axum::extract::{FromRef, FromRequest, Request};
use axum::response::{IntoResponse, Response};

use crate::callback::{CallbackEvent, CallbackRefusal, CallbackVerifier};
use crate::receive::refusal_status;

/// A product's verified callback event, extracted by an axum handler (`E` is the product's
/// `callbacks::Event`; each product crate names this type `callbacks::Callback`). The
/// router's state must give a [`CallbackVerifier`] (`FromRef`); the handler answers the
/// request (`200` with any body, or the answer an event's page asks for).
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedCallback<E>(pub E);

impl<S, E> FromRequest<S> for VerifiedCallback<E>
where
    S: Send + Sync,
    CallbackVerifier: FromRef<S>,
    E: CallbackEvent,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = CallbackVerifier::from_ref(state);
        let (parts, body) = request.into_parts();
        let limit = verifier.body_limit();
        let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
            let refusal = CallbackRefusal::TooLarge { limit };
            return Err((refusal_status(&refusal), refusal.to_string()).into_response());
        };
        let request = http::Request::from_parts(parts, bytes);
        let received = verifier.receive(&request, E::decode);
        match received.outcome {
            Ok(event) => Ok(Self(event)),
            Err(_) => Err(received.response.map(axum::body::Body::from)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callback::callback_signature;
    use crate::signing::SystemClock;

    #[derive(Debug, PartialEq)]
    struct Named(String);

    impl CallbackEvent for Named {
        fn decode(body: &[u8]) -> Result<Self, CallbackRefusal> {
            let value: serde_json::Value =
                serde_json::from_slice(body).map_err(|error| CallbackRefusal::NotJson {
                    message: error.to_string(),
                })?;
            Ok(Self(value["event"].as_str().unwrap_or_default().to_owned()))
        }
    }

    async fn handle(VerifiedCallback(Named(name)): VerifiedCallback<Named>) -> String {
        name
    }

    #[tokio::test]
    async fn a_router_answers_verified_callbacks_and_refuses_forged_ones() {
        let verifier = CallbackVerifier::new("secret").expect("secret");
        let app = axum::Router::new()
            .route("/callback", axum::routing::post(handle))
            .with_state(verifier);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!(
            "http://{}/callback",
            listener.local_addr().expect("address")
        );
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let now = crate::signing::Clock::unix_seconds(&SystemClock).to_string();
        let body = |signature: &str| {
            serde_json::json!({"event": "made", "timestamp": now, "nonce": "1", "signature": signature})
                .to_string()
        };
        let client = reqwest::Client::new();
        let genuine = client
            .post(&url)
            .body(body(&callback_signature(&"secret".into(), &now, "1")))
            .send()
            .await
            .expect("answered");
        assert_eq!(genuine.status(), 200);
        assert_eq!(genuine.text().await.expect("text"), "made");
        let forged = client
            .post(&url)
            .body(body(&"0".repeat(40)))
            .send()
            .await
            .expect("answered");
        assert_eq!(forged.status(), 401);
        server.abort();
    }
}
