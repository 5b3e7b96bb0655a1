use std::fmt;

/// A credential (the ServerSecret, a storage secret key) that must never be printed.
///
/// `Debug` shows `[redacted]`; there is no `Display`. On the wire it is an ordinary JSON
/// string, so requests serialize exactly as the API expects. Read it with
/// [`SensitiveString::expose_secret`], which makes every place that touches the
/// plain text easy to find.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SensitiveString(String);

impl SensitiveString {
    /// The placeholder that replaces a secret in redacted output.
    pub const REDACTED: &'static str = "[redacted]";

    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret in plain text. Never log or print the result.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SensitiveString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::REDACTED)
    }
}

impl From<String> for SensitiveString {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

impl From<&str> for SensitiveString {
    fn from(secret: &str) -> Self {
        Self(secret.to_owned())
    }
}

impl serde::Serialize for SensitiveString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for SensitiveString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

/// Replaces every credential in a value with [`SensitiveString::REDACTED`], so the value can
/// be shown (for example by a dry run) without leaking secrets.
#[doc(hidden)]
pub trait Redact {
    /// Overwrites the credentials held by `self` and everything inside it.
    fn redact(&mut self);
}

impl<T: Redact> Redact for Option<T> {
    fn redact(&mut self) {
        if let Some(value) = self {
            value.redact();
        }
    }
}

impl<T: Redact> Redact for Vec<T> {
    fn redact(&mut self) {
        self.iter_mut().for_each(Redact::redact);
    }
}

impl<T: Redact> Redact for std::collections::BTreeMap<String, T> {
    fn redact(&mut self) {
        self.values_mut().for_each(Redact::redact);
    }
}

impl Redact for SensitiveString {
    fn redact(&mut self) {
        Self::REDACTED.clone_into(&mut self.0);
    }
}
