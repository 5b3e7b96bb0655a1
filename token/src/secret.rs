//! The ServerSecret as this crate holds it: bytes that never print and are wiped on drop.

use std::fmt;

use zeroize::Zeroizing;

/// A ServerSecret (the AES key of a Token04). Its `Debug` shows only its length; its bytes
/// are overwritten with zeros when it is dropped.
#[derive(Clone)]
pub struct TokenSecret(Zeroizing<Vec<u8>>);

impl TokenSecret {
    /// The secret as ZEGOCLOUD's console shows it: its text's bytes are the key (not
    /// hex-decoded).
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        Self(Zeroizing::new(secret.as_ref().to_vec()))
    }

    /// The key's length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenSecret(<{} bytes, redacted>)", self.0.len())
    }
}

impl From<&str> for TokenSecret {
    fn from(secret: &str) -> Self {
        Self::new(secret)
    }
}

impl From<String> for TokenSecret {
    fn from(secret: String) -> Self {
        Self(Zeroizing::new(secret.into_bytes()))
    }
}

impl From<&[u8]> for TokenSecret {
    fn from(secret: &[u8]) -> Self {
        Self::new(secret)
    }
}
