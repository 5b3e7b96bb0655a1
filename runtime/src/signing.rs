use std::fmt;
use std::time::Duration;

use md5::{Digest, Md5};

use super::error::SigningError;
use super::sensitive::SensitiveString;

/// The signature version this client implements.
#[doc(hidden)]
pub const SIGNATURE_VERSION: &str = "2.0";

/// The clock every ZEGOCLOUD server crate shares (signing, checks against the current time,
/// the callback verifier's age limit, the mock's tasks, tokens): `zego-token`'s, so that one
/// [`ManualClock`] drives them all in a test.
pub use zego_token::{Clock, ManualClock, SystemClock};

/// How far the gateway lets a request's `Timestamp` differ from its own clock (ten minutes,
/// per the common parameters' documentation). Checks against the current time give the
/// client's clock this much benefit of the doubt, so they never refuse what the service,
/// with its own clock, could accept.
pub const ALLOWED_CLOCK_SKEW: Duration = Duration::from_secs(600);

/// Where the client gets the 8 random bytes of each `SignatureNonce`.
pub trait NonceSource: fmt::Debug + Send + Sync {
    /// Fresh random bytes for one request.
    fn nonce_bytes(&self) -> Result<[u8; 8], SigningError>;
}

/// The operating system's random source (via `getrandom`), never a time-seeded generator.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsRandom;

impl NonceSource for OsRandom {
    fn nonce_bytes(&self) -> Result<[u8; 8], SigningError> {
        os_random()
    }
}

/// `N` bytes from the operating system's random source.
pub(super) fn os_random<const N: usize>() -> Result<[u8; N], SigningError> {
    let mut bytes = [0_u8; N];
    getrandom::getrandom(&mut bytes)
        .map_err(|error| SigningError::new(format!("the OS random source failed: {error}")))?;
    Ok(bytes)
}

/// The common query parameters of one signed request. Held in fixed-size buffers: signing
/// allocates nothing.
#[doc(hidden)]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SignedParameters {
    app_id: u32,
    nonce: [u8; 16],
    timestamp: i64,
    signature: [u8; 32],
}

impl fmt::Debug for SignedParameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedParameters")
            .field("app_id", &self.app_id)
            .field("nonce", &self.nonce())
            .field("timestamp", &self.timestamp)
            .field("signature", &self.signature())
            .finish()
    }
}

impl SignedParameters {
    /// Signs with a fresh nonce from `nonces` and the time from `clock`.
    ///
    /// # Errors
    /// [`SigningError`] when the nonce source fails.
    pub fn new(
        app_id: u32,
        server_secret: &SensitiveString,
        clock: &dyn Clock,
        nonces: &dyn NonceSource,
    ) -> Result<Self, SigningError> {
        let nonce = hex_bytes(&nonces.nonce_bytes()?);
        let timestamp = clock.unix_seconds();
        let signature = signature_bytes(app_id, ascii(&nonce), server_secret, timestamp);
        Ok(Self {
            app_id,
            nonce,
            timestamp,
            signature,
        })
    }

    /// `AppId`.
    pub fn app_id(&self) -> u32 {
        self.app_id
    }

    /// `SignatureNonce`: 16 lowercase hex characters.
    pub fn nonce(&self) -> &str {
        ascii(&self.nonce)
    }

    /// `Timestamp`: Unix seconds.
    pub fn timestamp(&self) -> i64 {
        self.timestamp
    }

    /// `Signature`: lowercase hex MD5, 32 characters.
    pub fn signature(&self) -> &str {
        ascii(&self.signature)
    }

    /// The query pairs for `action`, in the order ZEGOCLOUD's examples use.
    pub fn query_pairs(&self, action: &str) -> [(&'static str, String); 6] {
        let values = [
            action.to_owned(),
            self.app_id.to_string(),
            self.nonce().to_owned(),
            self.timestamp.to_string(),
            self.signature().to_owned(),
            SIGNATURE_VERSION.to_owned(),
        ];
        let mut names = SIGNED_QUERY_NAMES.into_iter();
        values.map(|value| (names.next().unwrap_or_default(), value))
    }
}

/// The query parameters every request carries besides its own, in the order they are sent:
/// the routing `Action` and the signing parameters.
pub(crate) const SIGNED_QUERY_NAMES: [&str; 6] = [
    "Action",
    "AppId",
    "SignatureNonce",
    "Timestamp",
    "Signature",
    "SignatureVersion",
];

/// `Signature` version 2.0: lowercase hex MD5 of AppId, SignatureNonce, ServerSecret and
/// Timestamp, as decimal text, concatenated without separators.
#[doc(hidden)]
pub fn signature(
    app_id: u32,
    nonce: &str,
    server_secret: &SensitiveString,
    timestamp: i64,
) -> String {
    ascii(&signature_bytes(app_id, nonce, server_secret, timestamp)).to_owned()
}

fn signature_bytes(
    app_id: u32,
    nonce: &str,
    server_secret: &SensitiveString,
    timestamp: i64,
) -> [u8; 32] {
    // Decimal text straight into the hash: no allocation, and the secret is never copied
    // into a buffer of ours.
    let mut digits = itoa::Buffer::new();
    let mut hasher = Md5::new();
    hasher.update(digits.format(app_id).as_bytes());
    hasher.update(nonce.as_bytes());
    hasher.update(server_secret.expose_secret().as_bytes());
    hasher.update(digits.format(timestamp).as_bytes());
    hex_bytes(&hasher.finalize().into())
}

/// Lowercase hex of `N` bytes into `2 × N` ASCII bytes (`M` must be `2 × N`, checked when
/// compiling).
pub(super) fn hex_bytes<const N: usize, const M: usize>(bytes: &[u8; N]) -> [u8; M] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    const { assert!(M == 2 * N, "hex needs two characters per byte") };
    let mut text = [b'0'; M];
    for (index, byte) in bytes.iter().enumerate() {
        text[2 * index] = DIGITS[usize::from(byte >> 4)];
        text[2 * index + 1] = DIGITS[usize::from(byte & 0x0f)];
    }
    text
}

/// Hex digits are ASCII, so this never falls back to the empty string.
pub(super) fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct FixedClock(i64);

    impl Clock for FixedClock {
        fn unix_seconds(&self) -> i64 {
            self.0
        }
    }

    #[derive(Debug)]
    struct FixedNonce([u8; 8]);

    impl NonceSource for FixedNonce {
        fn nonce_bytes(&self) -> Result<[u8; 8], SigningError> {
            Ok(self.0)
        }
    }

    #[derive(Debug)]
    struct BrokenNonce;

    impl NonceSource for BrokenNonce {
        fn nonce_bytes(&self) -> Result<[u8; 8], SigningError> {
            Err(SigningError::new("no randomness"))
        }
    }

    const NONCE: [u8; 8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];

    #[test]
    fn signatures_match_vectors_computed_outside_rust() {
        // python3 -c "import hashlib;print(hashlib.md5(b'1234567890'+b'0123456789abcdef'+b'canary-server-secret-5f1c'+b'1700000000').hexdigest())"
        let secret = SensitiveString::from("canary-server-secret-5f1c");
        assert_eq!(
            signature(1_234_567_890, "0123456789abcdef", &secret, 1_700_000_000),
            "6f6e733b3d131b39e7de2d737459f09e"
        );
        // python3 -c "import hashlib;print(hashlib.md5(('%d%s%s%d'%(7,'0123456789abcdef','secret',-5)).encode()).hexdigest())"
        assert_eq!(
            signature(7, "0123456789abcdef", &"secret".into(), -5),
            "fcee8eddf0a2b053abdd6505e866e0b7"
        );
    }

    #[test]
    fn signed_parameters_take_the_clock_and_nonce_given() {
        let secret = SensitiveString::from("canary-server-secret-5f1c");
        let signed = SignedParameters::new(
            1_234_567_890,
            &secret,
            &FixedClock(1_700_000_000),
            &FixedNonce(NONCE),
        )
        .expect("signs");
        assert_eq!(signed.app_id(), 1_234_567_890);
        assert_eq!(signed.nonce(), "0123456789abcdef");
        assert_eq!(signed.timestamp(), 1_700_000_000);
        assert_eq!(signed.signature(), "6f6e733b3d131b39e7de2d737459f09e");
        let pairs = signed.query_pairs("DescribeThing");
        assert_eq!(
            pairs,
            [
                ("Action", "DescribeThing".to_owned()),
                ("AppId", "1234567890".to_owned()),
                ("SignatureNonce", "0123456789abcdef".to_owned()),
                ("Timestamp", "1700000000".to_owned()),
                ("Signature", "6f6e733b3d131b39e7de2d737459f09e".to_owned()),
                ("SignatureVersion", "2.0".to_owned()),
            ]
        );
        let debug = format!("{signed:?}");
        assert!(debug.contains("0123456789abcdef") && debug.contains("6f6e733b"));
        assert!(!debug.contains("canary-server-secret"), "{debug}");
    }

    #[test]
    fn a_failing_nonce_source_is_a_signing_error() {
        let result = SignedParameters::new(1, &"s".into(), &FixedClock(0), &BrokenNonce);
        assert_eq!(
            result.err().map(|error| error.to_string()).as_deref(),
            Some("could not prepare the request: no randomness")
        );
    }

    #[test]
    fn hex_is_lowercase_and_covers_every_nibble() {
        let text: [u8; 10] = hex_bytes(&[0x00, 0x0f, 0xf0, 0xa5, 0xff]);
        assert_eq!(ascii(&text), "000ff0a5ff");
        let all: [u8; 32] = hex_bytes(&[
            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54,
            0x32, 0x10,
        ]);
        assert_eq!(ascii(&all), "0123456789abcdeffedcba9876543210");
    }

    #[test]
    fn the_system_clock_and_os_random_are_real() {
        let now = SystemClock.unix_seconds();
        assert!(now > 1_700_000_000, "{now}");
        let first = OsRandom.nonce_bytes().expect("random");
        let second = OsRandom.nonce_bytes().expect("random");
        // Equal 8-byte draws happen with probability 2^-64.
        assert_ne!(first, second);
        let wide: [u8; 32] = os_random().expect("random");
        assert_ne!(wide, [0; 32]);
    }

    #[test]
    fn the_version_is_two() {
        assert_eq!(SIGNATURE_VERSION, "2.0");
    }
}
