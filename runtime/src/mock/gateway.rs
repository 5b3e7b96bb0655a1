//! What the mock answers as the API gateway in front of every ZEGOCLOUD service: its checks
//! of the common parameters (each fault with the gateway's own code) and the JSON envelope of
//! every answer.

use std::collections::BTreeMap;

use super::http::http;
use crate::gateway::GatewayCode;
use crate::sensitive::SensitiveString;
use crate::signing::{signature, SIGNATURE_VERSION};

/// What is wrong with the common parameters or the `Action`, as the gateway would say it:
/// the signature is checked first, then that an action is named.
pub(super) fn gateway_problem(
    query: &BTreeMap<String, String>,
    app_id: u32,
    secret: &SensitiveString,
) -> Option<(GatewayCode, &'static str)> {
    let get = |name: &str| query.get(name).map(String::as_str);
    let Some(sent_app_id) = get("AppId").and_then(|id| id.parse::<u32>().ok()) else {
        return Some((GatewayCode::AppIdMalformed, "AppId is missing or malformed"));
    };
    let timestamp = match get("Timestamp").map(str::parse::<i64>) {
        None => return Some((GatewayCode::TimestampMissing, "Timestamp is missing")),
        Some(Err(_)) => {
            return Some((
                GatewayCode::TimestampMalformed,
                "Timestamp is not in Unix seconds",
            ))
        }
        Some(Ok(timestamp)) => timestamp,
    };
    let Some(nonce) = get("SignatureNonce") else {
        return Some((
            GatewayCode::SignatureNonceMissing,
            "SignatureNonce is missing",
        ));
    };
    match get("SignatureVersion") {
        None => {
            return Some((
                GatewayCode::SignatureVersionMissing,
                "SignatureVersion is missing",
            ))
        }
        Some(version) if version != SIGNATURE_VERSION => {
            return Some((
                GatewayCode::SignatureVersionUnsupported,
                "SignatureVersion must be 2.0",
            ))
        }
        Some(_) => {}
    }
    let Some(sent_signature) = get("Signature") else {
        return Some((GatewayCode::SignatureMissing, "Signature is missing"));
    };
    if sent_app_id != app_id || sent_signature != signature(app_id, nonce, secret, timestamp) {
        return Some((GatewayCode::SignatureWrong, "signature wrong"));
    }
    if get("Action").is_none_or(str::is_empty) {
        return Some((GatewayCode::ActionMissing, "Action is missing"));
    }
    None
}

/// What an answer carries besides the envelope, and where.
pub(super) enum Data {
    /// Nothing.
    None,
    /// In `Data`.
    Field(serde_json::Value),
    /// An object's fields beside `Code`, `Message` and `RequestId`.
    Beside(serde_json::Value),
}

/// An HTTP 200 answer carrying the envelope `Code`, `Message`, `RequestId` and the data.
pub(super) fn envelope(sequence: u64, code: i64, message: &str, data: Data) -> Vec<u8> {
    let (mut body, in_data) = match data {
        Data::Beside(serde_json::Value::Object(fields)) => (fields, None),
        Data::Field(data) => (serde_json::Map::new(), Some(data)),
        Data::Beside(_) | Data::None => (serde_json::Map::new(), None),
    };
    body.insert("Code".to_owned(), code.into());
    body.insert("Message".to_owned(), message.into());
    body.insert(
        "RequestId".to_owned(),
        format!("mock-request-{sequence}").into(),
    );
    if let Some(data) = in_data {
        body.insert("Data".to_owned(), data);
    }
    http(200, serde_json::Value::Object(body).to_string().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_query(app_id: u32, secret: &str) -> BTreeMap<String, String> {
        let secret = SensitiveString::from(secret);
        let timestamp = 1_700_000_000;
        let nonce = "0102030405060708";
        [
            ("Action", "DescribeThing".to_owned()),
            ("AppId", app_id.to_string()),
            ("Timestamp", timestamp.to_string()),
            ("SignatureNonce", nonce.to_owned()),
            ("SignatureVersion", SIGNATURE_VERSION.to_owned()),
            ("Signature", signature(app_id, nonce, &secret, timestamp)),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
    }

    #[test]
    fn a_correct_signature_passes_and_every_fault_gets_the_gateways_code() {
        let secret = SensitiveString::from("mock-secret");
        assert_eq!(
            gateway_problem(&signed_query(7, "mock-secret"), 7, &secret),
            None
        );
        let wrong_key = gateway_problem(&signed_query(7, "other"), 7, &secret);
        assert_eq!(
            wrong_key.map(|(code, _)| code),
            Some(GatewayCode::SignatureWrong)
        );
        let other_app = gateway_problem(&signed_query(8, "mock-secret"), 7, &secret);
        assert_eq!(
            other_app.map(|(code, _)| code),
            Some(GatewayCode::SignatureWrong)
        );
        for (missing, code) in [
            ("AppId", GatewayCode::AppIdMalformed),
            ("Timestamp", GatewayCode::TimestampMissing),
            ("SignatureNonce", GatewayCode::SignatureNonceMissing),
            ("SignatureVersion", GatewayCode::SignatureVersionMissing),
            ("Signature", GatewayCode::SignatureMissing),
            ("Action", GatewayCode::ActionMissing),
        ] {
            let mut query = signed_query(7, "mock-secret");
            query.remove(missing);
            let found = gateway_problem(&query, 7, &secret).map(|(code, _)| code);
            assert_eq!(found, Some(code), "without {missing}");
        }
        for (name, value, code) in [
            ("Timestamp", "soon", GatewayCode::TimestampMalformed),
            (
                "SignatureVersion",
                "1.0",
                GatewayCode::SignatureVersionUnsupported,
            ),
        ] {
            let mut query = signed_query(7, "mock-secret");
            query.insert(name.to_owned(), value.to_owned());
            let found = gateway_problem(&query, 7, &secret).map(|(code, _)| code);
            assert_eq!(found, Some(code), "{name}={value}");
        }
    }
}
