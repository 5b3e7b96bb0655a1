use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use sha1::{Digest, Sha1};

use super::deliveries::{CallbackStore, Seen, SeenCallback};
use super::error::ConfigurationError;
use super::json_path::json_error_path;
use super::sensitive::SensitiveString;
use super::signing::{ascii, hex_bytes, Clock, SystemClock};

/// The largest callback body a verifier reads by default; anything larger is refused before
/// it is parsed. An upload callback lists every file at a few hundred bytes each, and the
/// documentation bounds neither the file count nor the body, so the default leaves room for
/// thousands of entries of a few hundred bytes each.
pub const DEFAULT_MAX_CALLBACK_BYTES: usize = 1024 * 1024;

/// How old a callback's `timestamp` may be by default. The documentation sets no limit;
/// ZEGOCLOUD retries a callback twice, 5 seconds apart, so ten minutes leaves room for
/// clock skew and slow delivery while bounding replays.
pub const DEFAULT_MAX_CALLBACK_AGE: Duration = Duration::from_secs(600);

/// The names of the three fields a callback's signature covers, as one product (or one of its
/// events) spells them in the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SignedFields {
    /// The signature's field.
    pub signature: &'static str,
    /// The timestamp's field (Unix seconds or milliseconds, a string or a number).
    pub timestamp: &'static str,
    /// The nonce's field.
    pub nonce: &'static str,
}

impl SignedFields {
    /// `signature`, `timestamp`, `nonce`, as most products spell them.
    pub const LOWERCASE: Self = Self {
        signature: "signature",
        timestamp: "timestamp",
        nonce: "nonce",
    };
    /// `Signature`, `Timestamp`, `Nonce`, as the products with PascalCase bodies spell them
    /// (a product's generated `callbacks::SIGNED_FIELDS` says which it uses).
    pub const PASCAL_CASE: Self = Self {
        signature: "Signature",
        timestamp: "Timestamp",
        nonce: "Nonce",
    };
}

/// A timestamp at least this large is in milliseconds: as seconds it would lie past the year
/// 5000, as milliseconds it is after March 1973. The pages disagree on the unit of some
/// events' timestamps (a table says milliseconds where its example shows 10 digits), so the
/// magnitude decides.
pub const MILLISECOND_TIMESTAMPS_FROM: i64 = 100_000_000_000;

/// Checks the callbacks a ZEGOCLOUD service sends: size, JSON, signature and age, then
/// decodes them as the product's event type.
///
/// The signature is the lowercase hex SHA1 of the callback secret, `timestamp` and `nonce`,
/// sorted as strings and joined. What the scheme cannot protect: it signs no part of the
/// body, so whoever sees one genuine callback can change any field that is not one of
/// those three and replay it with the same `timestamp`, `nonce` and `signature` until the
/// maximum age runs out; and it is a plain hash, not an HMAC. Serve the endpoint over HTTPS,
/// keep the maximum age short, and treat a callback as a hint to check with the product's
/// query action before acting on anything that matters.
#[derive(Clone)]
pub struct CallbackVerifier {
    secret: SensitiveString,
    max_age: Duration,
    max_body_bytes: usize,
    clock: Arc<dyn Clock>,
    fields: &'static [SignedFields],
}

impl fmt::Debug for CallbackVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackVerifier")
            .field("secret", &self.secret)
            .field("max_age", &self.max_age)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("fields", &self.fields)
            .finish_non_exhaustive()
    }
}

impl CallbackVerifier {
    /// A verifier for the project's callback secret (shown in the ZEGOCLOUD console; not
    /// the ServerSecret), with the default limits.
    ///
    /// # Errors
    /// [`ConfigurationError`] for an empty secret: anyone could sign callbacks with it.
    pub fn new(callback_secret: impl Into<SensitiveString>) -> Result<Self, ConfigurationError> {
        let secret = callback_secret.into();
        if secret.expose_secret().is_empty() {
            return Err(ConfigurationError::new(
                "the callback secret is empty; anyone could sign callbacks with it. \
                 Copy it from the ZEGOCLOUD console",
            ));
        }
        Ok(Self {
            secret,
            max_age: DEFAULT_MAX_CALLBACK_AGE,
            max_body_bytes: DEFAULT_MAX_CALLBACK_BYTES,
            clock: Arc::new(SystemClock),
            fields: &[SignedFields::LOWERCASE],
        })
    }

    /// How the product spells the signed fields; [`SignedFields::LOWERCASE`] by default. With
    /// several (a product whose events differ), a callback is read with the first whose
    /// signature field it has.
    #[must_use]
    pub fn signed_fields(mut self, fields: &'static [SignedFields]) -> Self {
        if !fields.is_empty() {
            self.fields = fields;
        }
        self
    }

    /// How old (and how far in the future) a callback's `timestamp` may be.
    #[must_use]
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// The largest body accepted, in bytes (read back by receivers that buffer the body).
    pub fn body_limit(&self) -> usize {
        self.max_body_bytes
    }

    /// The largest body accepted, in bytes.
    #[must_use]
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Where the current time comes from; default the system clock. Takes any [`Clock`],
    /// as `ClientBuilder::clock` does: share one
    /// [`ManualClock`](super::signing::ManualClock) with a mock to test a receiver on a clock
    /// of your own.
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Checks `body` and decodes it as `T`: refused when too large, not JSON (or nested too
    /// deep), unsigned, wrongly signed, too old or from the future. Never panics, and reads
    /// at most the configured number of bytes.
    ///
    /// # Errors
    /// A [`CallbackRefusal`] saying why; it never contains the secret.
    pub fn verify<T: DeserializeOwned>(&self, body: &[u8]) -> Result<T, CallbackRefusal> {
        self.verify_signed(body).map(|(callback, _)| callback)
    }

    /// As [`CallbackVerifier::verify`], then asks `store` (shared by every instance that
    /// receives callbacks) whether the callback was accepted before: a delivery seen before
    /// (the same signature with the same body, or the same `delivery_id`) is reported as a
    /// duplicate, not refused, since ZEGOCLOUD delivers again when unanswered; the same
    /// signature with another body is refused as a replay. The store remembers each callback
    /// for twice the maximum age (a timestamp is accepted that far apart). It sees digests
    /// only, never the secret or the body.
    ///
    /// # Errors
    /// As [`CallbackVerifier::verify`]; [`CallbackRefusal::Replayed`] for an altered replay;
    /// [`CallbackRefusal::StoreUnavailable`] when the store cannot answer (answer the request
    /// with a 5xx status so ZEGOCLOUD delivers it again).
    pub async fn verify_delivery<T: DeserializeOwned>(
        &self,
        body: &[u8],
        store: &dyn CallbackStore,
        delivery_id: impl FnOnce(&T) -> Option<String>,
    ) -> Result<Delivered<T>, CallbackRefusal> {
        let (callback, signed) = self.verify_signed::<T>(body)?;
        let delivery = delivery_id(&callback);
        let (duplicate, receipt) = self
            .record(body, &signed, delivery.as_deref(), store)
            .await?;
        Ok(Delivered {
            callback,
            duplicate,
            receipt,
        })
    }

    /// Records an authenticated callback in `store`: whether it was accepted before, and the
    /// receipt to forget it by.
    pub(crate) async fn record(
        &self,
        body: &[u8],
        signed: &SignedParts,
        delivery: Option<&str>,
        store: &dyn CallbackStore,
    ) -> Result<(bool, SeenCallback), CallbackRefusal> {
        let seen = SeenCallback::new(
            &signed.timestamp,
            &signed.nonce,
            &signed.signature,
            delivery,
            body,
        );
        // A callback is accepted while its whole-second timestamp is within `max_age` either
        // side of now: from its first arrival that is at most two ages and a second.
        let ttl = self
            .max_age
            .saturating_mul(2)
            .saturating_add(Duration::from_secs(1))
            .min(crate::deliveries::MAX_REMEMBERED);
        match store.record(&seen, ttl).await {
            Ok(Seen::First) => Ok((false, seen)),
            Ok(Seen::Duplicate) => Ok((true, seen)),
            Ok(Seen::Replay) => Err(CallbackRefusal::Replayed),
            Err(error) => Err(CallbackRefusal::StoreUnavailable {
                message: error.to_string(),
            }),
        }
    }

    /// Checks `body` as [`CallbackVerifier::verify`] does (size, JSON, signature, age)
    /// without decoding it: for a product's `callbacks::Event`, which reads the body itself.
    ///
    /// # Errors
    /// As [`CallbackVerifier::verify`], but never [`CallbackRefusal::NotACallback`].
    pub fn authenticate(&self, body: &[u8]) -> Result<(), CallbackRefusal> {
        self.authenticated(body).map(|_| ())
    }

    fn verify_signed<T: DeserializeOwned>(
        &self,
        body: &[u8],
    ) -> Result<(T, SignedParts), CallbackRefusal> {
        let signed = self.authenticated(body)?;
        // Decoded from the bytes, not from the value the check read, so the error has a
        // position and so a path to the field of the wrong shape.
        let callback =
            serde_json::from_slice(body).map_err(|error| CallbackRefusal::NotACallback {
                path: json_error_path(body, &error),
                message: error.to_string(),
            })?;
        Ok((callback, signed))
    }

    pub(crate) fn authenticated(&self, body: &[u8]) -> Result<SignedParts, CallbackRefusal> {
        if body.len() > self.max_body_bytes {
            return Err(CallbackRefusal::TooLarge {
                limit: self.max_body_bytes,
            });
        }
        // serde_json limits nesting (128 levels) and reports deeper input as an error.
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|error| CallbackRefusal::NotJson {
                message: error.to_string(),
            })?;
        let text = |name: &'static str| match &value[name] {
            serde_json::Value::String(text) if !text.is_empty() => Ok(text.clone()),
            // The documentation's sample writes `timestamp` as a string; a number is the same.
            serde_json::Value::Number(number) => Ok(number.to_string()),
            _ => Err(CallbackRefusal::Unsigned { missing: name }),
        };
        let fields = self
            .fields
            .iter()
            .find(|fields| !value[fields.signature].is_null())
            .unwrap_or(&self.fields[0]);
        let (signature, timestamp, nonce) = (
            text(fields.signature)?,
            text(fields.timestamp)?,
            text(fields.nonce)?,
        );
        let expected = callback_signature(&self.secret, &timestamp, &nonce);
        if !constant_time_eq(expected.as_bytes(), signature.as_bytes()) {
            return Err(CallbackRefusal::BadSignature);
        }
        let sent: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| CallbackRefusal::BadTimestamp {
                timestamp: timestamp.clone(),
            })?;
        let sent = if sent >= MILLISECOND_TIMESTAMPS_FROM {
            sent / 1_000
        } else {
            sent
        };
        let age = self.clock.unix_seconds().saturating_sub(sent);
        let limit = i64::try_from(self.max_age.as_secs()).unwrap_or(i64::MAX);
        if age > limit {
            return Err(CallbackRefusal::Stale {
                age_seconds: age,
                max_age_seconds: limit,
            });
        }
        if -age > limit {
            return Err(CallbackRefusal::FromTheFuture {
                seconds_ahead: -age,
            });
        }
        Ok(SignedParts {
            timestamp,
            nonce,
            signature,
        })
    }
}

/// What a callback's signature covers, as sent.
pub(crate) struct SignedParts {
    timestamp: String,
    nonce: String,
    signature: String,
}

/// A product's callback event, as its generated `callbacks::Event` decodes it from a body.
pub trait CallbackEvent: Sized {
    /// Decodes a verified body.
    ///
    /// # Errors
    /// A [`CallbackRefusal`] saying why the body is no such event.
    fn decode(body: &[u8]) -> Result<Self, CallbackRefusal>;
}

/// `body` with the string values of its top-level `fields` URL-decoded (`%XX` escapes, and `+`
/// as a space), for the values a product's page says arrive encoded; a value that does not
/// decode (a `%` that starts no escape) is left as it came. Borrows `body` when there is
/// nothing to decode.
///
/// # Errors
/// [`CallbackRefusal::NotJson`] for a body that is not JSON.
pub fn url_decoded_fields<'a>(
    body: &'a [u8],
    fields: &[&str],
) -> Result<std::borrow::Cow<'a, [u8]>, CallbackRefusal> {
    if fields.is_empty() {
        return Ok(std::borrow::Cow::Borrowed(body));
    }
    let mut value: serde_json::Value =
        serde_json::from_slice(body).map_err(|error| CallbackRefusal::NotJson {
            message: error.to_string(),
        })?;
    let mut changed = false;
    for field in fields {
        let Some(serde_json::Value::String(text)) = value.get_mut(*field) else {
            continue;
        };
        if let Some(decoded) = crate::percent::percent_decode(text, true) {
            if decoded != *text {
                *text = decoded;
                changed = true;
            }
        }
    }
    if !changed {
        return Ok(std::borrow::Cow::Borrowed(body));
    }
    serde_json::to_vec(&value)
        .map(std::borrow::Cow::Owned)
        .map_err(|error| CallbackRefusal::NotJson {
            message: error.to_string(),
        })
}

/// A verified callback and whether it was delivered before.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivered<T> {
    /// The callback.
    pub callback: T,
    /// Whether the store had accepted it before (ZEGOCLOUD delivered it again): answer it as
    /// a success, and do not act on it twice.
    pub duplicate: bool,
    /// What the store recorded of it (digests only). A receiver that cannot act on the
    /// callback and answers with a 5xx status passes this to [`CallbackStore::forget`], so
    /// that ZEGOCLOUD's next delivery counts as the first.
    pub receipt: SeenCallback,
}

/// The signature of a callback: lowercase hex SHA1 of `secret`, `timestamp` and `nonce`,
/// sorted as strings and joined without separators.
pub fn callback_signature(secret: &SensitiveString, timestamp: &str, nonce: &str) -> String {
    let mut parts = [secret.expose_secret(), timestamp, nonce];
    parts.sort_unstable();
    let mut hasher = Sha1::new();
    for part in parts {
        hasher.update(part.as_bytes());
    }
    let digest: [u8; 20] = hasher.finalize().into();
    let hex: [u8; 40] = hex_bytes(&digest);
    ascii(&hex).to_owned()
}

/// Equality that takes as long for any two inputs of one length, so timing does not tell an
/// attacker how much of a forged signature was right.
fn constant_time_eq(expected: &[u8], given: &[u8]) -> bool {
    if expected.len() != given.len() {
        return false;
    }
    expected
        .iter()
        .zip(given)
        .fold(0_u8, |difference, (a, b)| difference | (a ^ b))
        == 0
}

/// Why a callback was refused. The messages never contain the secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackRefusal {
    /// The request came with another method than POST.
    WrongMethod {
        /// The method it came with.
        method: String,
    },
    /// The body is larger than the verifier accepts.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The body is not JSON (or nests too deep).
    NotJson {
        /// The parser's account.
        message: String,
    },
    /// A field the signature needs is missing or empty.
    Unsigned {
        /// The missing field.
        missing: &'static str,
    },
    /// The signature does not match: forged, changed, or signed with another secret.
    BadSignature,
    /// `timestamp` is not a Unix time in seconds or milliseconds.
    BadTimestamp {
        /// What was sent.
        timestamp: String,
    },
    /// The callback is older than the verifier accepts (a replay, or a very late delivery).
    Stale {
        /// Its age.
        age_seconds: i64,
        /// The limit.
        max_age_seconds: i64,
    },
    /// The callback's timestamp lies further in the future than clocks drift.
    FromTheFuture {
        /// How far.
        seconds_ahead: i64,
    },
    /// Genuine, but not shaped like a callback (a field of the wrong type).
    NotACallback {
        /// Where in the body, e.g. `detail.file_info[0].file_size`; `.` for the body itself.
        path: String,
        /// The decoder's account.
        message: String,
    },
    /// A signature accepted before, now with another body: a replay, altered.
    Replayed,
    /// The store of accepted callbacks could not answer; answer with a 5xx status so
    /// ZEGOCLOUD delivers the callback again.
    StoreUnavailable {
        /// Why.
        message: String,
    },
}

impl fmt::Display for CallbackRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongMethod { method } => {
                write!(f, "callbacks arrive with POST, not {method}")
            }
            Self::TooLarge { limit } => write!(f, "the callback body exceeds {limit} bytes"),
            Self::NotJson { message } => write!(f, "the callback body is not JSON: {message}"),
            Self::Unsigned { missing } => {
                write!(f, "the callback is not signed: `{missing}` is missing")
            }
            Self::BadSignature => f.write_str(
                "the callback's signature is wrong (forged, or signed with another callback secret)",
            ),
            Self::BadTimestamp { timestamp } => {
                write!(
                    f,
                    "the callback's timestamp `{timestamp}` is not a Unix time (seconds or milliseconds)"
                )
            }
            Self::Stale {
                age_seconds,
                max_age_seconds,
            } => write!(
                f,
                "the callback is {age_seconds} s old, more than the {max_age_seconds} s accepted"
            ),
            Self::FromTheFuture { seconds_ahead } => {
                write!(f, "the callback's timestamp is {seconds_ahead} s in the future")
            }
            Self::NotACallback { path, message } => {
                write!(f, "the callback does not decode at `{path}`: {message}")
            }
            Self::Replayed => f.write_str(
                "the callback's signature was accepted before with another body: an altered replay",
            ),
            Self::StoreUnavailable { message } => write!(
                f,
                "cannot tell whether the callback was accepted before: {message}"
            ),
        }
    }
}

impl std::error::Error for CallbackRefusal {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct At(i64);

    impl Clock for At {
        fn unix_seconds(&self) -> i64 {
            self.0
        }
    }

    fn verifier(now: i64) -> CallbackVerifier {
        CallbackVerifier::new("secret")
            .expect("non-empty secret")
            .clock(At(now))
    }

    fn body(timestamp: &str, nonce: &str, signature: &str) -> Vec<u8> {
        serde_json::json!({
            "item_id": "t", "event_type": 5, "nonce": nonce,
            "timestamp": timestamp, "signature": signature, "sequence": 1
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn the_documented_example_signs_as_documented() {
        assert_eq!(
            callback_signature(&"secret".into(), "1470820198", "123412"),
            "5bd59fd62953a8059fb7eaba95720f66d19e4517"
        );
    }

    #[test]
    fn genuine_fresh_callbacks_decode() {
        let good = body(
            "1470820198",
            "123412",
            "5bd59fd62953a8059fb7eaba95720f66d19e4517",
        );
        let value: serde_json::Value = verifier(1_470_820_200).verify(&good).expect("genuine");
        assert_eq!(value["item_id"], "t");
        // Exactly at the limit is still accepted; a second later is not.
        assert!(verifier(1_470_820_198 + 600)
            .verify::<serde_json::Value>(&good)
            .is_ok());
        assert_eq!(
            verifier(1_470_820_198 + 601).verify::<serde_json::Value>(&good),
            Err(CallbackRefusal::Stale {
                age_seconds: 601,
                max_age_seconds: 600
            })
        );
        assert_eq!(
            verifier(1_470_820_198 - 601).verify::<serde_json::Value>(&good),
            Err(CallbackRefusal::FromTheFuture { seconds_ahead: 601 })
        );
        assert!(verifier(1_470_820_198 - 600)
            .verify::<serde_json::Value>(&good)
            .is_ok());
    }

    #[test]
    fn forged_unsigned_and_malformed_callbacks_are_refused() {
        let now = verifier(1_470_820_200);
        let forged = body(
            "1470820198",
            "123412",
            "5bd59fd62953a8059fb7eaba95720f66d19e4518",
        );
        assert_eq!(
            now.verify::<serde_json::Value>(&forged),
            Err(CallbackRefusal::BadSignature)
        );
        let short = body("1470820198", "123412", "5bd59fd6");
        assert_eq!(
            now.verify::<serde_json::Value>(&short),
            Err(CallbackRefusal::BadSignature)
        );
        let other_key = CallbackVerifier::new("not-secret")
            .expect("non-empty secret")
            .clock(At(1_470_820_200));
        let good = body(
            "1470820198",
            "123412",
            "5bd59fd62953a8059fb7eaba95720f66d19e4517",
        );
        assert_eq!(
            other_key.verify::<serde_json::Value>(&good),
            Err(CallbackRefusal::BadSignature)
        );
        let unsigned = body("1470820198", "123412", "");
        assert_eq!(
            now.verify::<serde_json::Value>(&unsigned),
            Err(CallbackRefusal::Unsigned {
                missing: "signature"
            })
        );
        assert!(matches!(
            now.verify::<serde_json::Value>(b"{nope"),
            Err(CallbackRefusal::NotJson { .. })
        ));
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(
            now.verify::<serde_json::Value>(deep.as_bytes()),
            Err(CallbackRefusal::NotJson { .. })
        ));
        let huge = vec![b' '; DEFAULT_MAX_CALLBACK_BYTES + 1];
        assert_eq!(
            now.verify::<serde_json::Value>(&huge),
            Err(CallbackRefusal::TooLarge {
                limit: DEFAULT_MAX_CALLBACK_BYTES
            })
        );
        let signature = callback_signature(&"secret".into(), "soon", "1");
        assert_eq!(
            now.verify::<serde_json::Value>(&body("soon", "1", &signature)),
            Err(CallbackRefusal::BadTimestamp {
                timestamp: "soon".to_owned()
            })
        );
    }

    #[test]
    fn numeric_timestamps_count_and_wrong_shapes_are_refused_after_the_signature() {
        let signature = callback_signature(&"secret".into(), "1470820198", "7");
        let numeric =
            serde_json::json!({"timestamp": 1_470_820_198, "nonce": "7", "signature": signature});
        let now = verifier(1_470_820_198);
        assert!(now
            .verify::<serde_json::Value>(numeric.to_string().as_bytes())
            .is_ok());
        #[derive(Debug, serde::Deserialize)]
        struct Shape {
            #[allow(dead_code)]
            sequence: String,
        }
        let wrong = body("1470820198", "7", &signature);
        let refusal = now
            .verify::<Shape>(&wrong)
            .expect_err("sequence is a number");
        assert!(
            matches!(&refusal, CallbackRefusal::NotACallback { path, .. } if path == "sequence"),
            "{refusal:?}"
        );
        assert!(refusal.to_string().contains("`sequence`"), "{refusal}");
    }

    #[test]
    fn pascal_case_fields_and_millisecond_timestamps_verify() {
        let signature = callback_signature(&"secret".into(), "1470820198123", "7");
        let pascal = serde_json::json!({
            "Event": "Exception", "Timestamp": 1_470_820_198_123_i64, "Nonce": "7",
            "Signature": signature
        });
        let both = verifier(1_470_820_200)
            .signed_fields(&[SignedFields::LOWERCASE, SignedFields::PASCAL_CASE]);
        assert!(both
            .verify::<serde_json::Value>(pascal.to_string().as_bytes())
            .is_ok());
        // A millisecond timestamp is aged in seconds like any other.
        assert!(matches!(
            verifier(1_470_820_198 + 7_200)
                .signed_fields(&[SignedFields::PASCAL_CASE])
                .verify::<serde_json::Value>(pascal.to_string().as_bytes()),
            Err(CallbackRefusal::Stale {
                age_seconds: 7_200,
                ..
            })
        ));
        // Read with the lowercase names only, the PascalCase body is unsigned.
        assert_eq!(
            verifier(1_470_820_200).verify::<serde_json::Value>(pascal.to_string().as_bytes()),
            Err(CallbackRefusal::Unsigned {
                missing: "signature"
            })
        );
    }

    #[test]
    fn named_fields_are_url_decoded_and_others_left_alone() {
        let body =
            br#"{"msg_body":"%7B%22text%22%3A%22hi+there%22%7D","other":"a%20b","bad":"100%"}"#;
        let decoded = url_decoded_fields(body, &["msg_body", "bad"]).expect("json");
        let value: serde_json::Value = serde_json::from_slice(&decoded).expect("json");
        assert_eq!(value["msg_body"], r#"{"text":"hi there"}"#);
        assert_eq!(value["other"], "a%20b", "not named, not decoded");
        assert_eq!(value["bad"], "100%", "no escape: left as it came");
        assert!(matches!(
            url_decoded_fields(b"{}", &[]).expect("json"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn an_empty_secret_is_a_configuration_error() {
        let error = CallbackVerifier::new("").expect_err("empty secret");
        assert!(
            error.to_string().contains("callback secret is empty"),
            "{error}"
        );
    }

    #[test]
    fn constant_time_comparison_is_plain_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn the_secret_stays_out_of_debug() {
        let debug = format!(
            "{:?}",
            CallbackVerifier::new("canary-callback-secret").expect("non-empty secret")
        );
        assert!(!debug.contains("canary"), "{debug}");
    }
}
