//! Token04: making one, and reading one back.
//!
//! A token is `04` followed by the standard base64 of, big-endian: the expiry (`i64`, Unix
//! seconds), the IV's length (`u16`) and the IV, the ciphertext's length (`u16`) and the
//! ciphertext, and, only in tokens read back, an optional mode byte (1 for AES-GCM, where the
//! IV field holds the 12-byte nonce and the ciphertext ends with the 16-byte tag; anything
//! else, or none, for AES-CBC with PKCS#7 padding). The plaintext is the JSON object
//! `{app_id, user_id, nonce, ctime, expire, payload}`, keyed by the ServerSecret's bytes.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use aes_gcm::aead::{Aead, KeyInit};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::clock::{Clock, SystemClock};
use crate::error::TokenError;
use crate::privilege::RoomPrivilege;
use crate::secret::TokenSecret;

/// The version prefix of every Token04.
pub const VERSION: &str = "04";

/// The length of the ServerSecret a token is made with (AES-256).
pub const SECRET_LEN: usize = 32;

/// The secret lengths a token can be read with (AES-128, -192 and -256), as ZEGOCLOUD's own
/// checker accepts them.
pub const READABLE_SECRET_LENS: [usize; 3] = [16, 24, 32];

/// The mode byte that marks a GCM token.
const GCM_MODE: u8 = 1;
const CBC_IV_LEN: usize = 16;
const GCM_NONCE_LEN: usize = 12;
/// The characters of a generated IV, as ZEGOCLOUD's generators draw them.
const IV_ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// Standard base64; padding optional when reading, written when making.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Makes the Token04s an app's clients log in with, for one AppID and its ServerSecret.
///
/// ```
/// use std::time::Duration;
/// use zego_token::{RoomPrivilege, TokenIssuer};
///
/// # fn main() -> Result<(), zego_token::TokenError> {
/// let issuer = TokenIssuer::new(1234567890, "0123456789abcdef0123456789abcdef")?;
/// let token = issuer.issue("user1", Duration::from_secs(3600), "")?;
/// assert!(token.starts_with("04"));
///
/// let room = RoomPrivilege::new("room1").login(true).publish(true);
/// let for_room = issuer.issue_for_room("user1", Duration::from_secs(3600), &room)?;
/// # let _ = for_room;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TokenIssuer {
    app_id: u32,
    secret: TokenSecret,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for TokenIssuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenIssuer")
            .field("app_id", &self.app_id)
            .field("secret", &self.secret)
            .finish_non_exhaustive()
    }
}

impl TokenIssuer {
    /// An issuer for `app_id`, keyed by its ServerSecret.
    ///
    /// # Errors
    /// [`TokenError::AppIdZero`]; [`TokenError::SecretLength`] unless the secret is exactly
    /// 32 bytes (the API clients accept other lengths; a token needs an AES-256 key).
    pub fn new(app_id: u32, server_secret: impl Into<TokenSecret>) -> Result<Self, TokenError> {
        let secret = server_secret.into();
        if app_id == 0 {
            return Err(TokenError::AppIdZero);
        }
        if secret.len() != SECRET_LEN {
            return Err(TokenError::SecretLength {
                actual: secret.len(),
                expected: &[SECRET_LEN],
            });
        }
        Ok(Self {
            app_id,
            secret,
            clock: Arc::new(SystemClock),
        })
    }

    /// Reads the issue time from `clock` instead of the system's (tests fix it this way).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The AppID tokens are made for.
    pub fn app_id(&self) -> u32 {
        self.app_id
    }

    /// A token for `user_id`, valid for `ttl` from now, carrying `payload` (usually empty, or
    /// JSON such as [`RoomPrivilege::to_payload`]).
    ///
    /// # Errors
    /// [`TokenError::EmptyUserId`], [`TokenError::TtlTooShort`] (under a second),
    /// [`TokenError::ExpiryOverflow`], [`TokenError::PayloadTooLong`],
    /// [`TokenError::Random`] when the system has no random bytes.
    pub fn issue(&self, user_id: &str, ttl: Duration, payload: &str) -> Result<String, TokenError> {
        if user_id.is_empty() {
            return Err(TokenError::EmptyUserId);
        }
        let ttl = i64::try_from(ttl.as_secs()).map_err(|_| TokenError::ExpiryOverflow)?;
        if ttl < 1 {
            return Err(TokenError::TtlTooShort);
        }
        let issued_at = self.clock.unix_seconds();
        let expires_at = issued_at
            .checked_add(ttl)
            .ok_or(TokenError::ExpiryOverflow)?;
        let fields = TokenFields {
            app_id: self.app_id,
            user_id: user_id.to_owned(),
            nonce: i64::from(random_nonce()?),
            issued_at,
            expires_at,
            payload: payload.to_owned(),
        };
        seal_cbc(&fields, &self.secret, random_iv()?)
    }

    /// A token for `user_id` in the room `privilege` names, valid for `ttl` from now.
    ///
    /// # Errors
    /// As [`TokenIssuer::issue`].
    pub fn issue_for_room(
        &self,
        user_id: &str,
        ttl: Duration,
        privilege: &RoomPrivilege,
    ) -> Result<String, TokenError> {
        self.issue(user_id, ttl, &privilege.to_payload())
    }
}

/// What a token holds, in the order ZEGOCLOUD's reference generator writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenFields {
    /// The AppID.
    pub app_id: u32,
    /// The user the token admits.
    pub user_id: String,
    /// A random number (non-negative 32-bit when made here; other generators send any 32-bit
    /// value).
    pub nonce: i64,
    /// When the token was made, in Unix seconds (`ctime`).
    #[serde(rename = "ctime")]
    pub issued_at: i64,
    /// When it stops being valid, in Unix seconds (`expire`).
    #[serde(rename = "expire")]
    pub expires_at: i64,
    /// The payload string: empty, or JSON such as a room privilege.
    pub payload: String,
}

/// How a token's plaintext is encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CipherMode {
    /// AES-CBC with PKCS#7 padding and a 16-byte IV: what ZEGOCLOUD's generators make.
    Cbc,
    /// AES-GCM with a 12-byte nonce, marked by a mode byte 1 after the ciphertext.
    Gcm,
}

/// A token read back with its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedToken {
    /// The plaintext's fields.
    pub fields: TokenFields,
    /// How it was encrypted.
    pub mode: CipherMode,
    /// The expiry written in the clear before the ciphertext (the service reads this one).
    pub header_expires_at: i64,
}

impl DecodedToken {
    /// Whether the token has expired at `unix_seconds`, by its clear-text expiry.
    pub fn is_expired_at(&self, unix_seconds: i64) -> bool {
        self.header_expires_at < unix_seconds
    }

    /// Whether the token has expired on `clock`.
    pub fn is_expired(&self, clock: &dyn Clock) -> bool {
        self.is_expired_at(clock.unix_seconds())
    }
}

/// Encrypts `fields` as a CBC token with the given IV. Deterministic: [`TokenIssuer`] draws
/// the IV and nonce; this is for reproducing a token from known inputs.
///
/// # Errors
/// [`TokenError::SecretLength`] unless the secret is 16, 24 or 32 bytes;
/// [`TokenError::PayloadTooLong`].
pub fn seal_cbc(
    fields: &TokenFields,
    secret: &TokenSecret,
    iv: [u8; CBC_IV_LEN],
) -> Result<String, TokenError> {
    // Strings and integers always serialize.
    let plaintext = serde_json::to_vec(fields).unwrap_or_default();
    let key = secret.bytes();
    let wrong_length = |_| TokenError::SecretLength {
        actual: key.len(),
        expected: &READABLE_SECRET_LENS,
    };
    let ciphertext = match key.len() {
        16 => cbc::Encryptor::<aes::Aes128>::new_from_slices(key, &iv)
            .map(|cipher| cipher.encrypt_padded_vec_mut::<Pkcs7>(&plaintext)),
        24 => cbc::Encryptor::<aes::Aes192>::new_from_slices(key, &iv)
            .map(|cipher| cipher.encrypt_padded_vec_mut::<Pkcs7>(&plaintext)),
        32 => cbc::Encryptor::<aes::Aes256>::new_from_slices(key, &iv)
            .map(|cipher| cipher.encrypt_padded_vec_mut::<Pkcs7>(&plaintext)),
        actual => {
            return Err(TokenError::SecretLength {
                actual,
                expected: &READABLE_SECRET_LENS,
            })
        }
    }
    .map_err(wrong_length)?;
    let ciphertext_len =
        u16::try_from(ciphertext.len()).map_err(|_| TokenError::PayloadTooLong {
            bytes: fields.payload.len(),
        })?;
    let mut packed = Vec::with_capacity(8 + 2 + CBC_IV_LEN + 2 + ciphertext.len());
    packed.extend_from_slice(&fields.expires_at.to_be_bytes());
    packed.extend_from_slice(&(CBC_IV_LEN as u16).to_be_bytes());
    packed.extend_from_slice(&iv);
    packed.extend_from_slice(&ciphertext_len.to_be_bytes());
    packed.extend_from_slice(&ciphertext);
    let mut token = String::with_capacity(VERSION.len() + packed.len().div_ceil(3) * 4);
    token.push_str(VERSION);
    BASE64.encode_string(&packed, &mut token);
    Ok(token)
}

/// Reads `token` with the ServerSecret it was made with.
///
/// ```
/// use std::time::Duration;
/// use zego_token::{decode_token04, CipherMode, TokenIssuer};
///
/// # fn main() -> Result<(), zego_token::TokenError> {
/// let secret = "0123456789abcdef0123456789abcdef";
/// let token = TokenIssuer::new(1234567890, secret)?.issue("user1", Duration::from_secs(60), "")?;
/// let decoded = decode_token04(&token, secret)?;
/// assert_eq!(decoded.fields.user_id, "user1");
/// assert_eq!(decoded.mode, CipherMode::Cbc);
/// # Ok(()) }
/// ```
///
/// # Errors
/// A [`TokenError`] naming what is wrong: the version, base64, a field cut short, a length
/// the mode cannot use, a secret that does not open it, or a plaintext field of the wrong
/// type. Never a panic, whatever the input.
pub fn decode_token04(
    token: &str,
    server_secret: impl Into<TokenSecret>,
) -> Result<DecodedToken, TokenError> {
    let secret = server_secret.into();
    if !READABLE_SECRET_LENS.contains(&secret.len()) {
        return Err(TokenError::SecretLength {
            actual: secret.len(),
            expected: &READABLE_SECRET_LENS,
        });
    }
    let body = token
        .trim()
        .strip_prefix(VERSION)
        .ok_or(TokenError::NotToken04)?;
    let packed = BASE64.decode(body).map_err(|_| TokenError::NotBase64)?;
    let parts = Packed::parse(&packed)?;
    let (mode, plaintext) = match parts.mode {
        Some(GCM_MODE) => (
            CipherMode::Gcm,
            open_gcm(secret.bytes(), parts.iv, parts.ciphertext)?,
        ),
        _ => (
            CipherMode::Cbc,
            open_cbc(secret.bytes(), parts.iv, parts.ciphertext)?,
        ),
    };
    Ok(DecodedToken {
        fields: fields_of(&plaintext)?,
        mode,
        header_expires_at: parts.expires_at,
    })
}

/// A token's binary layout, borrowed from its decoded bytes.
struct Packed<'a> {
    expires_at: i64,
    iv: &'a [u8],
    ciphertext: &'a [u8],
    mode: Option<u8>,
}

impl<'a> Packed<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Self, TokenError> {
        let mut rest = bytes;
        let expires_at = i64::from_be_bytes(take_array(&mut rest, "expiry")?);
        let iv_len = u16::from_be_bytes(take_array(&mut rest, "IV length")?);
        let iv = take(&mut rest, usize::from(iv_len), "IV")?;
        let ciphertext_len = u16::from_be_bytes(take_array(&mut rest, "ciphertext length")?);
        let ciphertext = take(&mut rest, usize::from(ciphertext_len), "ciphertext")?;
        Ok(Self {
            expires_at,
            iv,
            ciphertext,
            mode: rest.first().copied(),
        })
    }
}

fn take<'a>(rest: &mut &'a [u8], len: usize, field: &'static str) -> Result<&'a [u8], TokenError> {
    if rest.len() < len {
        return Err(TokenError::Truncated { field });
    }
    let (taken, left) = rest.split_at(len);
    *rest = left;
    Ok(taken)
}

fn take_array<const N: usize>(
    rest: &mut &[u8],
    field: &'static str,
) -> Result<[u8; N], TokenError> {
    let bytes = take(rest, N, field)?;
    let mut array = [0; N];
    array.copy_from_slice(bytes);
    Ok(array)
}

fn open_cbc(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, TokenError> {
    if iv.len() != CBC_IV_LEN {
        return Err(TokenError::BadLength {
            field: "IV",
            actual: iv.len(),
        });
    }
    let opened = match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map(|cipher| cipher.decrypt_padded_vec_mut::<Pkcs7>(ciphertext)),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
            .map(|cipher| cipher.decrypt_padded_vec_mut::<Pkcs7>(ciphertext)),
        _ => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map(|cipher| cipher.decrypt_padded_vec_mut::<Pkcs7>(ciphertext)),
    };
    match opened {
        Ok(Ok(plaintext)) => Ok(plaintext),
        _ => Err(TokenError::Decrypt),
    }
}

fn open_gcm(key: &[u8], nonce: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, TokenError> {
    if nonce.len() != GCM_NONCE_LEN {
        return Err(TokenError::BadLength {
            field: "GCM nonce",
            actual: nonce.len(),
        });
    }
    let nonce = aes_gcm::Nonce::from_slice(nonce);
    let opened = match key.len() {
        16 => aes_gcm::Aes128Gcm::new_from_slice(key).map(|c| c.decrypt(nonce, ciphertext)),
        24 => aes_gcm::AesGcm::<aes::Aes192, aes_gcm::aead::consts::U12>::new_from_slice(key)
            .map(|c| c.decrypt(nonce, ciphertext)),
        _ => aes_gcm::Aes256Gcm::new_from_slice(key).map(|c| c.decrypt(nonce, ciphertext)),
    };
    match opened {
        Ok(Ok(plaintext)) => Ok(plaintext),
        _ => Err(TokenError::Decrypt),
    }
}

/// The plaintext's fields, each checked for its type; a plaintext that is not JSON at all is
/// what a wrong key gives, whose padding happened to look right.
fn fields_of(plaintext: &[u8]) -> Result<TokenFields, TokenError> {
    let document: serde_json::Value =
        serde_json::from_slice(plaintext).map_err(|_| TokenError::Decrypt)?;
    let object = document.as_object().ok_or_else(|| TokenError::Fields {
        field: ".",
        problem: "not a JSON object".to_owned(),
    })?;
    let integer = |field: &'static str| -> Result<i64, TokenError> {
        object
            .get(field)
            .ok_or_else(|| missing(field))?
            .as_i64()
            .ok_or_else(|| TokenError::Fields {
                field,
                problem: "not a whole number".to_owned(),
            })
    };
    let app_id = object
        .get("app_id")
        .ok_or_else(|| missing("app_id"))?
        .as_u64()
        .and_then(|id| u32::try_from(id).ok())
        .ok_or_else(|| TokenError::Fields {
            field: "app_id",
            problem: "not a whole number from 0 to 4294967295".to_owned(),
        })?;
    let user_id = object
        .get("user_id")
        .ok_or_else(|| missing("user_id"))?
        .as_str()
        .ok_or_else(|| TokenError::Fields {
            field: "user_id",
            problem: "not a string".to_owned(),
        })?
        .to_owned();
    let payload = match object.get("payload") {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(_) => {
            return Err(TokenError::Fields {
                field: "payload",
                problem: "not a string".to_owned(),
            })
        }
    };
    Ok(TokenFields {
        app_id,
        user_id,
        nonce: integer("nonce")?,
        issued_at: integer("ctime")?,
        expires_at: integer("expire")?,
        payload,
    })
}

fn missing(field: &'static str) -> TokenError {
    TokenError::Fields {
        field,
        problem: "missing".to_owned(),
    }
}

/// A non-negative random 32-bit nonce, as ZEGOCLOUD's generators draw it.
fn random_nonce() -> Result<i32, TokenError> {
    let mut bytes = [0; 4];
    getrandom::getrandom(&mut bytes).map_err(|error| TokenError::Random(error.to_string()))?;
    Ok(i32::from_be_bytes(bytes) & i32::MAX)
}

/// Sixteen characters drawn uniformly from `0-9a-z` by the system's secure generator.
fn random_iv() -> Result<[u8; CBC_IV_LEN], TokenError> {
    let mut iv = [0; CBC_IV_LEN];
    let mut filled = 0;
    let mut pool = [0; 32];
    while filled < CBC_IV_LEN {
        getrandom::getrandom(&mut pool).map_err(|error| TokenError::Random(error.to_string()))?;
        // 252 = 7 × 36: bytes above it would favour the first characters.
        for byte in pool.iter().filter(|byte| **byte < 252) {
            if filled == CBC_IV_LEN {
                break;
            }
            iv[filled] = IV_ALPHABET[usize::from(*byte % 36)];
            filled += 1;
        }
    }
    Ok(iv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    fn issuer() -> TokenIssuer {
        TokenIssuer::new(1234567890, SECRET)
            .expect("valid")
            .clock(ManualClock::at_unix_millis(1_700_000_000_000))
    }

    #[test]
    fn a_token_reads_back_with_its_fields() {
        let token = issuer()
            .issue("user1", Duration::from_secs(3600), "{}")
            .expect("issued");
        let decoded = decode_token04(&token, SECRET).expect("decoded");
        assert_eq!(decoded.fields.app_id, 1234567890);
        assert_eq!(decoded.fields.issued_at, 1_700_000_000);
        assert_eq!(decoded.fields.expires_at, 1_700_003_600);
        assert_eq!(decoded.header_expires_at, 1_700_003_600);
        assert_eq!(decoded.fields.payload, "{}");
        assert!(decoded.fields.nonce >= 0);
        assert!(!decoded.is_expired_at(1_700_003_600));
        assert!(decoded.is_expired_at(1_700_003_601));
    }

    #[test]
    fn inputs_are_checked_with_the_argument_named() {
        assert_eq!(
            TokenIssuer::new(1, "short").unwrap_err(),
            TokenError::SecretLength {
                actual: 5,
                expected: &[32]
            }
        );
        assert_eq!(
            TokenIssuer::new(0, SECRET).unwrap_err(),
            TokenError::AppIdZero
        );
        let issuer = issuer();
        assert_eq!(
            issuer.issue("", Duration::from_secs(1), "").unwrap_err(),
            TokenError::EmptyUserId
        );
        assert_eq!(
            issuer
                .issue("u", Duration::from_millis(999), "")
                .unwrap_err(),
            TokenError::TtlTooShort
        );
        assert_eq!(
            issuer.issue("u", Duration::MAX, "").unwrap_err(),
            TokenError::ExpiryOverflow
        );
        assert_eq!(
            issuer
                .issue("u", Duration::from_secs(i64::MAX as u64), "")
                .unwrap_err(),
            TokenError::ExpiryOverflow,
            "a ttl that fits but overflows the expiry"
        );
        let huge = "x".repeat(70_000);
        assert_eq!(
            issuer.issue("u", Duration::from_secs(10), &huge),
            Err(TokenError::PayloadTooLong { bytes: 70_000 })
        );
    }

    #[test]
    fn ivs_use_the_alphabet_and_differ() {
        let first = random_iv().expect("random");
        let second = random_iv().expect("random");
        assert!(first.iter().all(|c| IV_ALPHABET.contains(c)));
        assert_ne!(first, second);
    }

    #[test]
    fn the_secret_shows_nowhere() {
        let issuer = issuer();
        let shown = format!("{issuer:?}");
        assert!(!shown.contains(SECRET), "{shown}");
        let error = decode_token04("04AAAA", "fedcba9876543210fedcba9876543210").unwrap_err();
        assert!(!error.to_string().contains("fedcba"));
    }

    #[test]
    fn a_wrong_secret_is_refused() {
        let token = issuer()
            .issue("user1", Duration::from_secs(60), "")
            .expect("issued");
        let error = decode_token04(&token, "ffffffffffffffffffffffffffffffff").unwrap_err();
        assert_eq!(error, TokenError::Decrypt);
    }

    #[test]
    fn shapes_that_are_not_tokens_say_why() {
        assert_eq!(
            decode_token04("03AAAA", SECRET).unwrap_err(),
            TokenError::NotToken04
        );
        assert_eq!(
            decode_token04("04@@", SECRET).unwrap_err(),
            TokenError::NotBase64
        );
        assert_eq!(
            decode_token04("04AAAA", SECRET).unwrap_err(),
            TokenError::Truncated { field: "expiry" }
        );
        assert!(matches!(
            decode_token04("04", "0123").unwrap_err(),
            TokenError::SecretLength { actual: 4, .. }
        ));
    }
}
