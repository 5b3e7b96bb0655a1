//! What can go wrong making or reading a token. No variant holds the secret or a token's
//! plaintext, so an error can be logged as it is.

use std::fmt;

/// Why a token could not be made or read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// The ServerSecret has the wrong length: minting takes exactly 32 bytes (AES-256), reading
    /// takes 16, 24 or 32.
    SecretLength {
        /// The secret's length in bytes.
        actual: usize,
        /// The lengths accepted here.
        expected: &'static [usize],
    },
    /// The AppID is 0, which ZEGOCLOUD never issues.
    AppIdZero,
    /// The user id is empty.
    EmptyUserId,
    /// The time to live is under one second.
    TtlTooShort,
    /// The issue time plus the time to live is past the largest time a token can hold.
    ExpiryOverflow,
    /// The payload makes the encrypted fields longer than a token's 65,535-byte limit.
    PayloadTooLong {
        /// The payload's length in bytes.
        bytes: usize,
    },
    /// The token does not start with `04`.
    NotToken04,
    /// The token's body is not base64.
    NotBase64,
    /// The token's bytes end before a field does.
    Truncated {
        /// The field that is cut short.
        field: &'static str,
    },
    /// A field has a length this mode cannot use (an IV that is not 16 bytes for CBC, say).
    BadLength {
        /// The field.
        field: &'static str,
        /// Its length in bytes.
        actual: usize,
    },
    /// Decryption failed: the secret is not the one the token was made with, or the token was
    /// altered.
    Decrypt,
    /// The decrypted text is not the JSON a token holds; `field` names the member that is
    /// missing or of the wrong type, or `.` for the document itself.
    Fields {
        /// The JSON member at fault.
        field: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// No random bytes could be had from the operating system.
    Random(String),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SecretLength { actual, expected } => {
                let expected: Vec<String> = expected.iter().map(usize::to_string).collect();
                write!(
                    f,
                    "the ServerSecret is {actual} bytes; a Token04 needs {} bytes",
                    expected.join(", ")
                )
            }
            Self::AppIdZero => f.write_str("app id: 0 is not an AppID"),
            Self::EmptyUserId => f.write_str("user id: must not be empty"),
            Self::TtlTooShort => f.write_str("ttl: a token lives at least one second"),
            Self::ExpiryOverflow => {
                f.write_str("ttl: the expiry (issue time plus ttl) does not fit a token")
            }
            Self::PayloadTooLong { bytes } => write!(
                f,
                "payload: {bytes} bytes is more than a token can carry (about 65,000)"
            ),
            Self::NotToken04 => f.write_str("token: does not start with the version `04`"),
            Self::NotBase64 => f.write_str("token: the text after `04` is not base64"),
            Self::Truncated { field } => write!(f, "token: ends inside its {field}"),
            Self::BadLength { field, actual } => {
                write!(
                    f,
                    "token: its {field} is {actual} bytes, which its mode cannot use"
                )
            }
            Self::Decrypt => f.write_str(
                "token: does not decrypt with this secret (another secret, or an altered token)",
            ),
            Self::Fields { field, problem } => write!(f, "token: field `{field}`: {problem}"),
            Self::Random(reason) => write!(f, "no random bytes from the system: {reason}"),
        }
    }
}

impl std::error::Error for TokenError {}
