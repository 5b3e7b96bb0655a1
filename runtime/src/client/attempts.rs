//! A call's attempts: each one exchanged and decoded, failures sorted into those a retry may
//! follow and those it may not, backoff between them.

use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::decode::decode_response;
use super::operation::{ApiResponse, Envelope, Operation};
use super::Client;
use crate::api::{ReturnCode, ServerApi};
use crate::error::Error;
use crate::retry::{random_u64, RetryPolicy};

impl<A: ServerApi> Client<A> {
    /// Sends `body` until an attempt succeeds or `policy` gives up. `call_span` is the span of
    /// the whole call; each attempt gets a span of its own inside it.
    pub(super) async fn attempts<E>(
        &self,
        operation: &Operation,
        body: bytes::Bytes,
        policy: Option<RetryPolicy>,
        idempotent: bool,
        call_span: &tracing::Span,
    ) -> Result<ApiResponse<E::Data>, Error<A::Code>>
    where
        E: DeserializeOwned + Envelope,
    {
        // The retry budget's clock starts only for a call that may be retried.
        let started = policy.map(|_| tokio::time::Instant::now());
        let mut attempt = 1;
        loop {
            call_span.record("attempts", attempt);
            let span = tracing::debug_span!(
                "zego_attempt",
                attempt,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty
            );
            let failure = match self
                .attempt::<E>(operation, body.clone(), &span)
                .instrument(span.clone())
                .await
            {
                Ok(response) => return Ok(response),
                Err(failure) => failure,
            };
            let (Some(policy), Some(started)) = (policy, started) else {
                return Err(failure.error);
            };
            if attempt >= policy.attempts() || !failure.retryable(idempotent) {
                return Err(failure.error);
            }
            let delay = policy.backoff(attempt, random_u64()?);
            if !policy.allows(started, delay) {
                return Err(failure.error);
            }
            tracing::info!(attempt, delay_ms = delay.as_millis() as u64, error = %failure.error, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt: the exchange, then the answer decoded as `E`.
    async fn attempt<E>(
        &self,
        operation: &Operation,
        body: bytes::Bytes,
        span: &tracing::Span,
    ) -> Result<ApiResponse<E::Data>, Failure<A::Code>>
    where
        E: DeserializeOwned + Envelope,
    {
        let bytes = self.exchange(operation, body, span).await?;
        decode_response::<E, A::Code>(&bytes).map_err(Failure::after_response)
    }
}

/// A failed attempt, and whether it failed before any response arrived (so the service
/// cannot have acted on it).
pub(super) struct Failure<C> {
    error: Error<C>,
    before_response: bool,
}

impl<C: ReturnCode> Failure<C> {
    pub(super) fn before_response(error: Error<C>) -> Self {
        Self {
            error,
            before_response: true,
        }
    }

    pub(super) fn after_response(error: Error<C>) -> Self {
        Self {
            error,
            before_response: false,
        }
    }

    /// Whether a retry may follow: the failure is transient ([`Error::is_retryable`]), a
    /// transport failure happened before any response arrived, and either the service
    /// certainly did not act on the call ([`Error::service_did_not_act`]) or the call is
    /// `idempotent`, so acting on it twice is harmless.
    fn retryable(&self, idempotent: bool) -> bool {
        // A transport failure before any response (a reset, a timeout) may follow the
        // request's arrival: transient, with an outcome only a connect failure makes certain.
        let transient = match &self.error {
            Error::Transport { .. } => self.before_response,
            other => other.is_retryable(),
        };
        transient && (idempotent || self.error.service_did_not_act())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestCode;

    fn api(code: i64) -> Error<TestCode> {
        Error::Api {
            code: TestCode(code),
            message: String::new(),
            request_id: None,
            warnings: Vec::new(),
        }
    }

    fn http(status: u16) -> Error<TestCode> {
        Error::Http {
            status,
            body_snippet: String::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_failure_the_service_did_not_act_on_is_retried_for_any_action() {
        // TestCode: 1 is transient and answered before acting, 2 transient only.
        assert!(Failure::after_response(api(1)).retryable(false));
        assert!(Failure::after_response(http(429)).retryable(false));
    }

    #[test]
    fn a_failure_of_unknown_outcome_is_retried_only_when_idempotent() {
        for failure in [
            Failure::after_response(api(2)),
            Failure::after_response(http(503)),
        ] {
            assert!(failure.retryable(true));
            assert!(!failure.retryable(false));
        }
    }

    #[test]
    fn a_final_answer_is_never_retried() {
        for failure in [
            Failure::after_response(api(3)),
            Failure::after_response(http(400)),
        ] {
            assert!(!failure.retryable(true));
        }
        let decode = Error::<TestCode>::Decode {
            path: ".".to_owned(),
            message: String::new(),
            body_snippet: String::new(),
            warnings: Vec::new(),
        };
        assert!(!Failure::after_response(decode).retryable(true));
    }
}
