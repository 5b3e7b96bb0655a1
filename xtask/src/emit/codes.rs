//! `src/codes.rs`: the service's return codes (`x-zego-return-codes`) as the open enum
//! `ApiCode`, with each code's meaning and retry advice, and as the runtime reads them
//! (its `ReturnCode` trait). The API gateway's codes are the runtime's `GatewayCode`, held
//! by composition in `ApiCode::Gateway`.

use proc_macro2::{Ident, Literal as TokenLiteral, TokenStream};
use quote::quote;

use crate::model::{CodeRetry, Model, ReturnCode};

use super::docs::doc_attrs;
use super::{ident, runtime_crate_tokens};

pub(super) fn codes_rs(model: &Model) -> TokenStream {
    let codes = &model.return_codes;
    let variants: Vec<Ident> = codes.iter().map(|code| ident(&code.variant)).collect();
    let values: Vec<TokenLiteral> = codes
        .iter()
        .map(|code| TokenLiteral::i64_unsuffixed(code.code))
        .collect();
    let docs = codes.iter().map(|code| code_doc(code, &model.title));
    let descriptions = codes.iter().map(|code| code.description.as_str());
    let retries = codes.iter().map(|code| match code.retry {
        CodeRetry::Never => quote!(CodeRetry::Never),
        CodeRetry::AfterBackoff => quote!(CodeRetry::AfterBackoff),
        CodeRetry::WithNewSignature => quote!(CodeRetry::WithNewSignature),
    });
    let before_acting: Vec<&Ident> = codes
        .iter()
        .zip(&variants)
        .filter(|(code, _)| code.answered_before_acting)
        .map(|(_, variant)| variant)
        .collect();
    let answered_before_acting = if before_acting.is_empty() {
        quote! {
            match self {
                Self::Gateway(code) => code.answered_before_acting(),
                _ => false,
            }
        }
    } else {
        quote! {
            match self {
                Self::Gateway(code) => code.answered_before_acting(),
                #(Self::#before_acting)|* => true,
                _ => false,
            }
        }
    };
    let count = TokenLiteral::usize_unsuffixed(codes.len());
    let gateway = quote! {
        match GatewayCode::from_wire_value(value) {
            Some(code) => Self::Gateway(code),
            None => Self::Unknown(value),
        }
    };
    // Without a table of its own the gateway's lookup is the whole body.
    let from_wire = if codes.is_empty() {
        gateway
    } else {
        quote! {
            match value {
                #(#values => Self::#variants,)*
                _ => #gateway,
            }
        }
    };
    let description = quote! {
        match self {
            Self::Gateway(code) => code.description(),
            #(Self::#variants => #descriptions,)*
            Self::Unknown(_) => "a code the spec does not list",
        }
    };
    let retry = quote! {
        match self {
            Self::Gateway(code) => code.retry(),
            #(Self::#variants => #retries,)*
            Self::Unknown(_) => CodeRetry::Never,
        }
    };
    let wire_arms = codes.iter().zip(&variants).map(|(code, variant)| {
        let value = TokenLiteral::i64_unsuffixed(code.code);
        quote!(Self::#variant => #value,)
    });
    let caps: Vec<TokenStream> = codes
        .iter()
        .zip(&variants)
        .filter_map(|(code, variant)| {
            let seconds = TokenLiteral::u64_unsuffixed(code.resets_after_seconds?);
            Some(quote!(Self::#variant => Some(Duration::from_secs(#seconds)),))
        })
        .collect();
    let resets_after = if caps.is_empty() {
        quote!(None)
    } else {
        quote! {
            match self {
                #(#caps)*
                _ => None,
            }
        }
    };
    let display_known = (!codes.is_empty())
        .then(|| quote!(known => write!(f, "code {} ({known:?})", known.wire_value()),));
    let runtime = runtime_crate_tokens();
    let exception_codes = exception_codes_tokens(model);
    quote! {
        use std::fmt;
        use std::time::Duration;

        use #runtime::{CodeRetry, GatewayCode, ReturnCode};

        /// A return code (`Code`) of the service: the API gateway's, which every ZEGOCLOUD
        /// server API shares, and the service's own, as the spec's `x-zego-return-codes`
        /// lists them. An open enum: a code this crate does not know keeps its number in
        /// [`ApiCode::Unknown`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ApiCode {
            /// A code of the API gateway in front of the service (100000000 to 100000017).
            Gateway(GatewayCode),
            #(#docs #variants,)*
            /// A code neither the spec nor the gateway's table lists.
            Unknown(i64),
        }

        impl ApiCode {
            /// Every code of the service's own that the spec lists, in its order (the
            /// gateway's are [`GatewayCode::ALL`]).
            pub const KNOWN: [Self; #count] = [#(Self::#variants),*];

            /// The numeric code, as sent on the wire.
            pub const fn wire_value(self) -> i64 {
                match self {
                    Self::Gateway(code) => code.wire_value(),
                    #(#wire_arms)*
                    Self::Unknown(value) => value,
                }
            }

            /// The named code for `value`, a gateway code, or [`ApiCode::Unknown`].
            pub const fn from_wire_value(value: i64) -> Self {
                #from_wire
            }

            /// Whether the code is one the spec or the gateway's table lists.
            pub const fn is_known(self) -> bool {
                !matches!(self, Self::Unknown(_))
            }

            /// What the documentation says the code means.
            pub const fn description(self) -> &'static str {
                #description
            }

            /// Whether, and how, trying again can help.
            pub const fn retry(self) -> CodeRetry {
                #retry
            }

            /// Whether trying the same call again later may succeed.
            pub const fn is_retryable(self) -> bool {
                !matches!(self.retry(), CodeRetry::Never)
            }

            /// Whether the spec marks the code as answered before the service acts on the
            /// request (`answered-before-acting`): the call was not carried out, so repeating
            /// it is safe for every action, idempotent or not.
            pub const fn answered_before_acting(self) -> bool {
                #answered_before_acting
            }

            /// For a code saying a cap counted over a long window is used up (such as 100
            /// calls in 24 hours): that window. The code is never retried, since trying again
            /// before the window has passed fails the same way.
            pub const fn resets_after(self) -> Option<Duration> {
                #resets_after
            }
        }

        impl ReturnCode for ApiCode {
            fn from_wire_value(value: i64) -> Self {
                Self::from_wire_value(value)
            }

            fn wire_value(self) -> i64 {
                Self::wire_value(self)
            }

            fn retry(self) -> CodeRetry {
                Self::retry(self)
            }

            fn answered_before_acting(self) -> bool {
                Self::answered_before_acting(self)
            }

            fn resets_after(self) -> Option<Duration> {
                Self::resets_after(self)
            }
        }

        impl fmt::Display for ApiCode {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Self::Gateway(code) => write!(f, "code {} (Gateway({code:?}))", code.wire_value()),
                    Self::Unknown(value) => write!(f, "code {value}"),
                    #display_known
                }
            }
        }

        #exception_codes
    }
}

/// `ExceptionCode`: the codes of the product's exception callback, an open enum like
/// `ApiCode`; nothing when the spec lists none.
fn exception_codes_tokens(model: &Model) -> TokenStream {
    let codes = &model.exception_codes;
    if codes.is_empty() {
        return TokenStream::new();
    }
    let variants: Vec<Ident> = codes.iter().map(|code| ident(&code.variant)).collect();
    let values: Vec<TokenLiteral> = codes
        .iter()
        .map(|code| TokenLiteral::i64_unsuffixed(code.code))
        .collect();
    let docs = codes.iter().map(|code| {
        let mut lines = vec![format!("{}: {}", code.code, code.description)];
        if let Some(note) = &code.note {
            lines.extend([String::new(), format!("The sources: {note}")]);
        }
        doc_attrs(&lines)
    });
    let descriptions = codes.iter().map(|code| code.description.as_str());
    let count = TokenLiteral::usize_unsuffixed(codes.len());
    quote! {
        /// A code of the service's exception callback (the event that reports a failure
        /// while a task runs), as the spec's `x-zego-exception-codes` lists them. An open
        /// enum: a code this crate does not know keeps its number in
        /// [`ExceptionCode::Unknown`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ExceptionCode {
            #(#docs #variants,)*
            /// A code the spec does not list.
            Unknown(i64),
        }

        impl ExceptionCode {
            /// Every code the spec lists, in its order.
            pub const KNOWN: [Self; #count] = [#(Self::#variants),*];

            /// The numeric code, as sent on the wire.
            pub const fn wire_value(self) -> i64 {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value,
                }
            }

            /// The named code for `value`, or [`ExceptionCode::Unknown`].
            pub const fn from_wire_value(value: i64) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    _ => Self::Unknown(value),
                }
            }

            /// What the documentation says the code means.
            pub const fn description(self) -> &'static str {
                match self {
                    #(Self::#variants => #descriptions,)*
                    Self::Unknown(_) => "a code the spec does not list",
                }
            }
        }

        impl fmt::Display for ExceptionCode {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Self::Unknown(value) => write!(f, "exception code {value}"),
                    known => write!(f, "exception code {} ({known:?})", known.wire_value()),
                }
            }
        }
    }
}

fn code_doc(code: &ReturnCode, product: &str) -> TokenStream {
    let mut lines = vec![format!("{}: {}", code.code, code.description)];
    lines.push(String::new());
    let source = format!("A code of the {product}");
    let retry = match code.retry {
        CodeRetry::Never => "trying again does not help",
        CodeRetry::AfterBackoff => "retried after backing off",
        CodeRetry::WithNewSignature => "retried with a new signature",
    };
    lines.push(format!("{source}; {retry}."));
    if code.answered_before_acting {
        lines.push(String::new());
        lines.push(
            "Answered before the service acts on the request, so a retry is safe for every action."
                .to_owned(),
        );
    }
    if let Some(seconds) = code.resets_after_seconds {
        lines.push(String::new());
        lines.push(format!(
            "A cap counted over {}: never retried, since trying again before that window \
             has passed fails the same way.",
            super::docs::window_words(seconds)
        ));
    }
    if let Some(note) = &code.note {
        lines.push(String::new());
        lines.push(format!("The sources: {note}"));
    }
    doc_attrs(&lines)
}
