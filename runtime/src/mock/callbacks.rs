//! Sending callbacks as ZEGOCLOUD does, to drive a receiver in a test: a POST of the JSON body,
//! signed now with the secret, under the product's spelling of the signed fields, with the
//! timestamp in the unit and JSON type the body had.

use crate::callback::{callback_signature, SignedFields, MILLISECOND_TIMESTAMPS_FROM};
use crate::sensitive::SensitiveString;
use crate::signing::Clock;

/// What sending a callback came to: the receiver's status and body.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallbackAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The body, lossily decoded.
    pub body: String,
}

/// Why a callback could not be sent.
#[derive(Debug)]
#[non_exhaustive]
pub enum SendCallbackError {
    /// The body is not a JSON object.
    NotAnObject,
    /// The receiver could not be reached.
    Unreachable(reqwest::Error),
}

impl std::fmt::Display for SendCallbackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAnObject => f.write_str("a callback body is a JSON object"),
            Self::Unreachable(error) => write!(f, "the receiver could not be reached: {error}"),
        }
    }
}

impl std::error::Error for SendCallbackError {}

/// Signs `body` (a product's `callbacks::EXAMPLES` entry, or any event's JSON) now, with
/// `secret`, under the first of `fields` whose signature field the body has (the product's
/// `callbacks::SIGNED_FIELDS`), and sends it to `url` as ZEGOCLOUD does.
///
/// # Errors
/// [`SendCallbackError`] when the body is no JSON object or the receiver is unreachable.
pub async fn send_callback(
    url: &str,
    secret: &SensitiveString,
    fields: &[SignedFields],
    body: &str,
    clock: &dyn Clock,
) -> Result<CallbackAnswer, SendCallbackError> {
    let signed = sign_now(secret, fields, body, clock).ok_or(SendCallbackError::NotAnObject)?;
    let response = reqwest::Client::new()
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(signed)
        .send()
        .await
        .map_err(SendCallbackError::Unreachable)?;
    let status = response.status().as_u16();
    let body = response
        .text()
        .await
        .map_err(SendCallbackError::Unreachable)?;
    Ok(CallbackAnswer { status, body })
}

/// `body` with its signed fields set for `secret` at `clock`'s time, as JSON text.
pub fn sign_now(
    secret: &SensitiveString,
    fields: &[SignedFields],
    body: &str,
    clock: &dyn Clock,
) -> Option<String> {
    let mut value: serde_json::Value = serde_json::from_str(body).ok()?;
    let object = value.as_object_mut()?;
    let fields = fields
        .iter()
        .find(|fields| object.contains_key(fields.signature))
        .or_else(|| fields.first())?;
    let in_millis = match object.get(fields.timestamp) {
        Some(serde_json::Value::Number(sent)) => {
            sent.as_i64().unwrap_or(0) >= MILLISECOND_TIMESTAMPS_FROM
        }
        Some(serde_json::Value::String(sent)) => {
            sent.trim().parse::<i64>().unwrap_or(0) >= MILLISECOND_TIMESTAMPS_FROM
        }
        _ => false,
    };
    let now = if in_millis {
        clock.unix_millis()
    } else {
        clock.unix_seconds()
    };
    let timestamp = now.to_string();
    let as_number = matches!(
        object.get(fields.timestamp),
        Some(serde_json::Value::Number(_))
    );
    object.insert(
        fields.timestamp.to_owned(),
        if as_number {
            serde_json::Value::from(now)
        } else {
            serde_json::Value::from(timestamp.clone())
        },
    );
    let nonce = crate::retry::random_u64()
        .unwrap_or(now.unsigned_abs())
        .to_string();
    object.insert(
        fields.nonce.to_owned(),
        serde_json::Value::from(nonce.clone()),
    );
    object.insert(
        fields.signature.to_owned(),
        serde_json::Value::from(callback_signature(secret, &timestamp, &nonce)),
    );
    Some(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callback::CallbackVerifier;
    use crate::signing::ManualClock;

    #[test]
    fn a_signed_body_verifies_in_its_own_unit_and_type() {
        let clock = ManualClock::at_unix_millis(1_747_121_418_250);
        let secret = SensitiveString::from("secret");
        let pascal = [SignedFields::PASCAL_CASE];
        let body = r#"{"Event":"Exception","Timestamp":1747121418250,"Nonce":"1","Signature":"x"}"#;
        let signed = sign_now(&secret, &pascal, body, &clock).expect("an object");
        let value: serde_json::Value = serde_json::from_str(&signed).expect("json");
        assert_eq!(value["Timestamp"], 1_747_121_418_250_i64);
        let verifier = CallbackVerifier::new("secret")
            .expect("secret")
            .clock(clock.clone())
            .signed_fields(&[SignedFields::PASCAL_CASE]);
        assert!(verifier
            .verify::<serde_json::Value>(signed.as_bytes())
            .is_ok());
        let seconds = r#"{"event":"x","timestamp":"1499676968","nonce":"1","signature":"x"}"#;
        let signed =
            sign_now(&secret, &[SignedFields::LOWERCASE], seconds, &clock).expect("object");
        let value: serde_json::Value = serde_json::from_str(&signed).expect("json");
        assert_eq!(value["timestamp"], "1747121418");
        assert_eq!(sign_now(&secret, &pascal, "[1]", &clock), None);
    }
}
