//! One exchange with the service: the signed URL, the body, the HTTP round trip and reading
//! the answer within its size limit. Not generic over requests, so this machinery is compiled
//! once for every action.

use std::sync::atomic::Ordering;
use std::time::Instant;

use serde::Serialize;

use super::attempts::Failure;
use super::operation::{Method, Operation};
use super::Client;
use crate::api::{ReturnCode, ServerApi};
use crate::budget::{Asked, SHARED_BUDGET_PAUSE};
use crate::error::{body_snippet, Error};
use crate::signing::{SignedParameters, SIGNATURE_VERSION};

impl<A: ServerApi> Client<A> {
    /// Sends one signed request and reads a 2xx answer's body. Not generic, so the HTTP
    /// machinery is compiled once for every action rather than once per action. `payload` is
    /// the JSON body of a POST action, or the query of a GET action's fields.
    pub(super) async fn exchange(
        &self,
        operation: &Operation,
        payload: bytes::Bytes,
        span: &tracing::Span,
    ) -> Result<bytes::Bytes, Failure<A::Code>> {
        if let Some(limiter) = &self.inner.rate_limiter {
            limiter.acquire().await;
        }
        self.keep_to_the_action_s_limit(operation).await;
        self.keep_to_the_call_limits(operation, &payload)
            .await
            .map_err(Failure::before_response)?;
        let started = Instant::now();
        let signed = self.sign().map_err(Failure::before_response)?;
        let request = match operation.method {
            Method::Post => self
                .inner
                .http
                .post(self.url(operation, &signed, ""))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(payload),
            Method::Get => {
                // The query was written as ASCII by `encode`.
                let query = std::str::from_utf8(&payload).unwrap_or_default();
                self.inner.http.get(self.url(operation, &signed, query))
            }
        };
        let response = request
            .send()
            .await
            .map_err(|error| Failure::before_response(Error::transport(error)))?;
        let status = response.status();
        span.record("status", status.as_u16());
        let bytes = read_capped(response, self.inner.max_response_bytes)
            .await
            .map_err(Failure::after_response)?;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        span.record("elapsed_ms", elapsed_ms);
        tracing::debug!(
            status = status.as_u16(),
            bytes = bytes.len(),
            elapsed_ms,
            "response received"
        );
        if !status.is_success() {
            return Err(Failure::after_response(Error::Http {
                status: status.as_u16(),
                body_snippet: body_snippet(&bytes),
                warnings: Vec::new(),
            }));
        }
        Ok(bytes)
    }

    /// Waits for the action's turn: in the shared budget when there is one, else (or when it
    /// cannot answer) in this process's.
    async fn keep_to_the_action_s_limit(&self, operation: &Operation) {
        if let (Some(shared), Some(limit)) = (&self.inner.shared_rate_limiter, operation.rate_limit)
        {
            match shared
                .acquire(self.inner.app_id, operation.action, limit)
                .await
            {
                Asked::Reserved => return,
                Asked::Paused => {}
                Asked::Failed(error) => tracing::warn!(
                    action = operation.action,
                    %error,
                    pause_seconds = SHARED_BUDGET_PAUSE.as_secs(),
                    "the shared rate limit cannot be kept; keeping to it in this process only, \
                     and asking the shared budget again after the pause"
                ),
            }
        }
        if let Some(limiter) = self.action_limiter(operation) {
            limiter.acquire().await;
        }
    }

    /// The request as it travels: for a POST action its JSON body, serialized into a buffer
    /// sized like the largest body so far, so it is written without growing its buffer again
    /// and again; for a GET action its fields as query pairs. Shared, not copied, by every
    /// attempt.
    pub(super) fn encode<R: Serialize>(
        &self,
        operation: &Operation,
        request: &R,
    ) -> Result<bytes::Bytes, Error<A::Code>> {
        const LARGEST_HINT: usize = 64 * 1024;
        if operation.method == Method::Get {
            return self.query(request).map(bytes::Bytes::from);
        }
        let hint = self.inner.body_size_hint.load(Ordering::Relaxed);
        let mut body = Vec::with_capacity(hint);
        serde_json::to_writer(&mut body, request).map_err(encode_error)?;
        self.inner
            .body_size_hint
            .fetch_max(body.len().min(LARGEST_HINT), Ordering::Relaxed);
        Ok(bytes::Bytes::from(body))
    }

    pub(super) fn sign(&self) -> Result<SignedParameters, Error<A::Code>> {
        SignedParameters::new(
            self.inner.app_id,
            &self.inner.server_secret,
            self.inner.clock.as_ref(),
            self.inner.nonces.as_ref(),
        )
        .map_err(Error::from)
    }

    /// A GET request's fields as `&name=value` query pairs (see [`crate::query`]).
    pub(super) fn query<R: Serialize>(&self, request: &R) -> Result<String, Error<A::Code>> {
        let value = serde_json::to_value(request).map_err(encode_error)?;
        let mut query = String::new();
        crate::query::append(&mut query, &value).map_err(|message| Error::Signing {
            message: format!("the request cannot be written into the query: {message}"),
        })?;
        Ok(query)
    }

    /// The signed URL with `query` (a GET request's fields) after the signing parameters,
    /// written directly: cheaper than editing a parsed `Url`, and reqwest parses it once
    /// anyway.
    pub(super) fn url(
        &self,
        operation: &Operation,
        signed: &SignedParameters,
        query: &str,
    ) -> String {
        let mut url = signed_url(self.host(operation), operation, signed);
        url.push_str(query);
        url
    }

    /// Where `operation` goes: the client's base URL, unless the action has hosts of its own
    /// and the base URL is one of the API's hosts that the action does not list.
    fn host(&self, operation: &Operation) -> &str {
        let base = self.inner.url_prefix.as_str();
        if self.inner.custom_base_url {
            return base;
        }
        action_host(base, operation.hosts)
    }
}

/// `base`, or the action's host for the same region (ZEGOCLOUD names regional hosts
/// `<service>-<region>.<domain>`, so the last `-` part of the first label is the region), or
/// the action's first host.
fn action_host<'a>(base: &'a str, hosts: &'a [&'a str]) -> &'a str {
    fn region(url: &str) -> &str {
        let host = url.split_once("://").map_or(url, |(_, host)| host);
        let label = host.split('.').next().unwrap_or(host);
        label.rsplit('-').next().unwrap_or(label)
    }
    match hosts {
        [] => base,
        hosts if hosts.contains(&base) => base,
        [first, ..] => hosts
            .iter()
            .find(|host| region(host) == region(base))
            .unwrap_or(first),
    }
}

/// The URL of `operation` under `prefix` (the base URL without a trailing `/`), with the
/// signed query, written directly: cheaper than editing a parsed `Url`, and reqwest parses it
/// once anyway.
fn signed_url(prefix: &str, operation: &Operation, signed: &SignedParameters) -> String {
    let mut digits = itoa::Buffer::new();
    let mut url = String::with_capacity(prefix.len() + operation.path.len() + 160);
    url.push_str(prefix);
    url.push_str(operation.path);
    url.push_str("?Action=");
    crate::query::push_encoded(&mut url, operation.action);
    url.push_str("&AppId=");
    url.push_str(digits.format(signed.app_id()));
    url.push_str("&SignatureNonce=");
    url.push_str(signed.nonce());
    url.push_str("&Timestamp=");
    url.push_str(digits.format(signed.timestamp()));
    url.push_str("&Signature=");
    url.push_str(signed.signature());
    url.push_str("&SignatureVersion=");
    url.push_str(SIGNATURE_VERSION);
    url
}

pub(super) fn encode_error<C>(error: serde_json::Error) -> Error<C> {
    Error::Signing {
        message: format!("the request cannot be encoded as JSON: {error}"),
    }
}

/// Reads the body, refusing one larger than `limit`. A body whose `Content-Length` is
/// within the limit is taken whole, without a copy: hyper reads exactly the declared length,
/// and a client that decompresses reports no length for the body it decodes.
/// Only a body of unknown length is gathered chunk by chunk and counted.
async fn read_capped<C: ReturnCode>(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<bytes::Bytes, Error<C>> {
    match response
        .content_length()
        .map(|length| usize::try_from(length).unwrap_or(usize::MAX))
    {
        Some(declared) if declared > limit => Err(Error::ResponseTooLarge {
            limit,
            warnings: Vec::new(),
        }),
        Some(_) => response.bytes().await.map_err(Error::transport),
        None => {
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(Error::transport)? {
                if body.len() + chunk.len() > limit {
                    return Err(Error::ResponseTooLarge {
                        limit,
                        warnings: Vec::new(),
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(bytes::Bytes::from(body))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::SigningError;
    use crate::signing::{Clock, NonceSource};

    #[derive(Debug)]
    struct At;

    impl Clock for At {
        fn unix_seconds(&self) -> i64 {
            1_700_000_000
        }
    }

    #[derive(Debug)]
    struct Fixed;

    impl NonceSource for Fixed {
        fn nonce_bytes(&self) -> Result<[u8; 8], SigningError> {
            Ok([1, 2, 3, 4, 5, 6, 7, 8])
        }
    }

    #[test]
    fn the_signed_url_carries_the_action_and_the_common_parameters_in_order() {
        let signed = SignedParameters::new(42, &"secret".into(), &At, &Fixed).expect("signed");
        let operation = Operation {
            name: "Do It",
            action: "Do It",
            path: "/v1",
            rate_limit: None,
            method: Method::Post,
            hosts: &[],
            call_limits: &[],
        };
        let url = signed_url("https://host.invalid", &operation, &signed);
        let expected = format!(
            "https://host.invalid/v1?Action=Do%20It&AppId=42&SignatureNonce=0102030405060708\
             &Timestamp=1700000000&Signature={}&SignatureVersion=2.0",
            signed.signature()
        );
        assert_eq!(url, expected);
    }

    #[test]
    fn an_action_with_hosts_of_its_own_goes_to_the_same_region() {
        let hosts = [
            "https://service-b-api.zego.im",
            "https://service-b-api-sha.zego.im",
        ];
        assert_eq!(
            action_host("https://service-a-api-sha.zego.im", &hosts),
            hosts[1]
        );
        assert_eq!(action_host("https://docs-api.zego.im", &hosts), hosts[0]);
        assert_eq!(
            action_host("https://docs-api-sgp.zego.im", &hosts),
            hosts[0]
        );
        assert_eq!(action_host(hosts[1], &hosts), hosts[1]);
        assert_eq!(
            action_host("https://docs-api.zego.im", &[]),
            "https://docs-api.zego.im"
        );
    }

    #[test]
    fn query_values_keep_only_unreserved_characters() {
        let mut out = String::new();
        crate::query::push_encoded(&mut out, "a-b.c_d~e/f?g&h=é");
        assert_eq!(out, "a-b.c_d~e%2Ff%3Fg%26h%3D%C3%A9");
    }
}
