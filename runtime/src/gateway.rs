//! The return codes of the API gateway that every ZEGOCLOUD server API sits behind. They are
//! listed here once; a product's `ApiCode` holds its own codes and these by composition
//! (`ApiCode::Gateway(GatewayCode::SignatureWrong)`), and the mock server answers with them.
//!
//! Source: the table of public return codes that each product's return-code page repeats
//! (100000000 to 100000017), as the project's reference notes on ZEGOCLOUD's server APIs
//! record it.

use std::fmt;

use super::error::CodeRetry;

/// Declares the enum, its table and its lookups from one list, so a code's number, name,
/// meaning and retry class are written once.
macro_rules! gateway_codes {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $value:literal, $retry:ident, before_acting: $before:literal, $meaning:literal;
    )*) => {
        /// A return code of the API gateway (100000000 to 100000017), common to every
        /// ZEGOCLOUD server API: the request was refused before reaching the product's
        /// service, almost always because of how it was signed or addressed.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum GatewayCode {
            $(
                #[doc = concat!(stringify!($value), ": ", $meaning)]
                $(#[$doc])*
                $variant,
            )*
        }

        impl GatewayCode {
            /// Every gateway code, in numeric order.
            pub const ALL: &'static [GatewayCode] = &[$(GatewayCode::$variant),*];

            /// The numeric code, as sent on the wire.
            pub const fn wire_value(self) -> i64 {
                match self {
                    $(GatewayCode::$variant => $value,)*
                }
            }

            /// The gateway code for `value`, if it is one.
            pub const fn from_wire_value(value: i64) -> Option<Self> {
                match value {
                    $($value => Some(GatewayCode::$variant),)*
                    _ => None,
                }
            }

            /// What the documentation says the code means.
            pub const fn description(self) -> &'static str {
                match self {
                    $(GatewayCode::$variant => $meaning,)*
                }
            }

            /// Whether, and how, trying again can help.
            pub const fn retry(self) -> CodeRetry {
                match self {
                    $(GatewayCode::$variant => CodeRetry::$retry,)*
                }
            }

            /// Whether the gateway answers the code before the service acts on the request,
            /// so that repeating the call is safe for every action.
            pub const fn answered_before_acting(self) -> bool {
                match self {
                    $(GatewayCode::$variant => $before,)*
                }
            }
        }
    };
}

gateway_codes! {
    WrongHost = 100000000, Never, before_acting: true,
        "The request's Host header is wrong.";
    AppIdMalformed = 100000001, Never, before_acting: true,
        "AppId is not in the right format.";
    TimestampMissing = 100000002, Never, before_acting: true,
        "Timestamp is missing.";
    TimestampMalformed = 100000003, Never, before_acting: true,
        "Timestamp is not in the right format (Unix seconds).";
    /// Retried with a fresh signature, since a new timestamp and nonce cure it.
    SignatureExpired = 100000004, WithNewSignature, before_acting: true,
        "The signature has expired (the Timestamp is more than 10 minutes off, or the signature was used before); sign the request again.";
    SignatureWrong = 100000005, Never, before_acting: true,
        "The signature is wrong; check the ServerSecret and how the signature is built.";
    ActionMissing = 100000006, Never, before_acting: true,
        "Action is missing.";
    ActionNotSupported = 100000007, Never, before_acting: true,
        "Action names no action of this service.";
    SignatureNonceMissing = 100000008, Never, before_acting: true,
        "SignatureNonce is missing.";
    SignatureMissing = 100000009, Never, before_acting: true,
        "Signature is missing.";
    ServerSecretUnavailable = 100000010, Never, before_acting: true,
        "The service could not get the ServerSecret; check the AppId.";
    AppConfigUnavailable = 100000011, Never, before_acting: true,
        "The service could not get the application's configuration.";
    BodyUnreadable = 100000012, Never, before_acting: true,
        "The service could not read the HTTP body.";
    SignatureVersionMissing = 100000013, Never, before_acting: true,
        "SignatureVersion is missing.";
    SignatureVersionUnsupported = 100000014, Never, before_acting: true,
        "SignatureVersion is not supported (only 2.0 is).";
    /// The documentation does not say whether the request was acted on, so only idempotent
    /// calls could be repeated; it is not retried.
    GatewayInternalError = 100000015, Never, before_acting: false,
        "Internal error of the API gateway.";
    AppNotInProduction = 100000016, Never, before_acting: true,
        "The application is not configured for the production environment.";
    ServiceNotEnabled = 100000017, Never, before_acting: true,
        "The application has not enabled this service.";
}

impl fmt::Display for GatewayCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gateway code {} ({self:?})", self.wire_value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_from_its_number() {
        for code in GatewayCode::ALL {
            assert_eq!(GatewayCode::from_wire_value(code.wire_value()), Some(*code));
        }
        assert_eq!(GatewayCode::ALL.len(), 18);
        assert_eq!(GatewayCode::from_wire_value(100_000_018), None);
        assert_eq!(GatewayCode::from_wire_value(0), None);
    }

    #[test]
    fn the_table_is_in_numeric_order_without_gaps() {
        for (offset, code) in GatewayCode::ALL.iter().enumerate() {
            assert_eq!(code.wire_value(), 100_000_000 + offset as i64);
        }
    }

    #[test]
    fn only_an_expired_signature_is_retried() {
        let retried: Vec<_> = GatewayCode::ALL
            .iter()
            .filter(|code| code.retry() != CodeRetry::Never)
            .collect();
        assert_eq!(retried, [&GatewayCode::SignatureExpired]);
        assert_eq!(
            GatewayCode::SignatureExpired.retry(),
            CodeRetry::WithNewSignature
        );
    }

    #[test]
    fn display_names_the_variant() {
        assert_eq!(
            GatewayCode::SignatureWrong.to_string(),
            "gateway code 100000005 (SignatureWrong)"
        );
    }
}
