//! `src/callbacks.rs`: the product's callbacks (`x-zego-callbacks`) as one open enum of
//! events, each a typed struct of `types`, told apart by the field that names them; a
//! verifier set to the product's signed fields; and `verify`, which checks a body and decodes
//! its event. An event this crate does not know is kept with its raw body, never refused.

use proc_macro2::{Literal as TokenLiteral, TokenStream};
use quote::quote;

use crate::model::{CallbackEvent, CallbackSecret, Callbacks, EventValue, Model};

use super::docs::doc_attrs;
use super::{ident, runtime_crate_tokens};

pub(super) fn callbacks_rs(model: &Model, callbacks: &Callbacks) -> TokenStream {
    let runtime = runtime_crate_tokens();
    let signed_sets = signed_field_sets(callbacks);
    let signed_count = TokenLiteral::usize_unsuffixed(signed_sets.len());
    let variants: Vec<_> = callbacks
        .events
        .iter()
        .map(|event| ident(&event.variant))
        .collect();
    let bodies: Vec<_> = callbacks
        .events
        .iter()
        .map(|event| ident(&model.types[event.body].name))
        .collect();
    let docs = callbacks.events.iter().map(event_doc);
    let checks = callbacks
        .events
        .iter()
        .zip(&variants)
        .map(|(event, variant)| {
            let field = event.discriminator.as_str();
            let test = match &event.value {
                EventValue::Text(text) => quote!(names_text(&value, #field, #text)),
                EventValue::Number(number) => {
                    let number = TokenLiteral::i64_unsuffixed(*number);
                    quote!(names_number(&value, #field, #number))
                }
            };
            quote! {
                if #test {
                    return decode_as(body).map(Self::#variant);
                }
            }
        });
    let variant_names = variants.iter().map(|variant| variant.to_string());
    let secret_doc = doc_attrs(&secret_lines(callbacks));
    let deprecated: Vec<_> = callbacks
        .events
        .iter()
        .zip(&variants)
        .filter(|(event, _)| event.deprecated)
        .map(|(_, variant)| quote!(Self::#variant(_)))
        .collect();
    let is_deprecated = if deprecated.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(#deprecated)|*))
    };
    let by_text = callbacks
        .events
        .iter()
        .any(|event| matches!(event.value, EventValue::Text(_)))
        .then(|| {
            quote! {
                fn names_text(value: &Value, field: &str, name: &str) -> bool {
                    value.get(field).and_then(Value::as_str) == Some(name)
                }
            }
        });
    let by_number = callbacks
        .events
        .iter()
        .any(|event| matches!(event.value, EventValue::Number(_)))
        .then(|| {
            quote! {
                /// A number, or its digits as text (a page's table and example may disagree).
                fn names_number(value: &Value, field: &str, number: i64) -> bool {
                    match value.get(field) {
                        Some(Value::Number(sent)) => sent.as_i64() == Some(number),
                        Some(Value::String(sent)) => sent.trim().parse::<i64>().ok() == Some(number),
                        _ => false,
                    }
                }
            }
        });
    quote! {
        use serde::de::DeserializeOwned;
        use serde_json::Value;
        use #runtime::{
            json_error_path, CallbackRefusal, CallbackVerifier, ConfigurationError,
            SensitiveString, SignedFields,
        };

        use super::types::{#(#bodies),*};

        /// How this product's callbacks spell the fields their signature covers: the
        /// product's own first, then any an event spells its own way. A body is read with
        /// the first whose signature field it has.
        pub const SIGNED_FIELDS: [SignedFields; #signed_count] = [#(#signed_sets),*];

        /// An event this product's callbacks report, decoded from a verified body. An open
        /// enum: an event this crate does not know is kept as it came.
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum Event {
            #(#docs #variants(#bodies),)*
            /// An event this crate does not know, with its whole body.
            Unknown(Value),
        }

        impl Event {
            /// Decodes a callback body (verify it first: [`verify`] does both): the event
            /// the field naming it names, or [`Event::Unknown`] for one this crate does not
            /// know.
            ///
            /// # Errors
            /// [`CallbackRefusal::NotJson`] for a body that is not JSON, and
            /// [`CallbackRefusal::NotACallback`] with the path of the field for a known
            /// event's body that does not decode.
            pub fn decode(body: &[u8]) -> Result<Self, CallbackRefusal> {
                let value: Value = serde_json::from_slice(body).map_err(|error| {
                    CallbackRefusal::NotJson {
                        message: error.to_string(),
                    }
                })?;
                #(#checks)*
                Ok(Self::Unknown(value))
            }

            /// The variant's name (`Unknown` for an event this crate does not know).
            pub fn variant_name(&self) -> &'static str {
                match self {
                    #(Self::#variants(_) => #variant_names,)*
                    Self::Unknown(_) => "Unknown",
                }
            }

            /// Whether the pages call this event deprecated.
            pub fn is_deprecated(&self) -> bool {
                #is_deprecated
            }
        }

        #secret_doc
        ///
        /// # Errors
        /// [`ConfigurationError`] for a blank secret.
        pub fn verifier(secret: impl Into<SensitiveString>) -> Result<CallbackVerifier, ConfigurationError> {
            CallbackVerifier::new(secret).map(|verifier| verifier.signed_fields(&SIGNED_FIELDS))
        }

        /// Checks `body` with `verifier` (size, JSON, signature, age) and decodes its event.
        ///
        /// # Errors
        /// The [`CallbackRefusal`] saying why the body is refused.
        pub fn verify(verifier: &CallbackVerifier, body: &[u8]) -> Result<Event, CallbackRefusal> {
            verifier.verify::<Value>(body)?;
            Event::decode(body)
        }

        fn decode_as<T: DeserializeOwned>(body: &[u8]) -> Result<T, CallbackRefusal> {
            serde_json::from_slice(body).map_err(|error| CallbackRefusal::NotACallback {
                path: json_error_path(body, &error),
                message: error.to_string(),
            })
        }

        #by_text
        #by_number
    }
}

/// Each distinct spelling of the signed fields, the product's first.
fn signed_field_sets(callbacks: &Callbacks) -> Vec<TokenStream> {
    let mut seen = vec![&callbacks.signature];
    for event in &callbacks.events {
        if !seen.contains(&&event.signature) {
            seen.push(&event.signature);
        }
    }
    seen.into_iter()
        .map(|names| {
            let (signature, timestamp, nonce) = (
                names.signature.as_str(),
                names.timestamp.as_str(),
                names.nonce.as_str(),
            );
            quote!(SignedFields { signature: #signature, timestamp: #timestamp, nonce: #nonce })
        })
        .collect()
}

fn event_doc(event: &CallbackEvent) -> TokenStream {
    let value = match &event.value {
        EventValue::Text(text) => format!("`{}` is `{text}`", event.discriminator),
        EventValue::Number(number) => format!("`{}` is {number}", event.discriminator),
    };
    let mut lines = vec![format!("{} ({value}.)", event.description.trim())];
    if event.deprecated {
        lines.extend([
            String::new(),
            "Deprecated by ZEGOCLOUD, and still sent.".to_owned(),
        ]);
    }
    if let Some(deadline) = event.answer_deadline_ms {
        lines.extend([String::new(), format!("Answer within {deadline} ms.")]);
    }
    lines.extend([
        String::new(),
        format!("Documented in ZEGOCLOUD's `{}`.", event.page),
    ]);
    if let Some(note) = &event.note {
        lines.extend([String::new(), "Where the pages disagree:".to_owned()]);
        lines.extend(note.lines().map(|line| format!("- {line}")));
    }
    doc_attrs(&lines)
}

fn secret_lines(callbacks: &Callbacks) -> Vec<String> {
    let which = match callbacks.secret {
        CallbackSecret::CallbackSecret => {
            "`secret` is the project's callback secret (shown in the ZEGOCLOUD console; not the ServerSecret)."
        }
        CallbackSecret::ServerSecret => "`secret` is the AppId's ServerSecret.",
        CallbackSecret::Unknown => {
            "The pages do not settle which secret signs these callbacks: try the callback secret first, then the ServerSecret."
        }
    };
    let mut lines = vec![
        "A verifier of this product's callbacks, set to read its signed fields.".to_owned(),
        String::new(),
        which.to_owned(),
    ];
    if let Some(note) = &callbacks.secret_note {
        lines.extend([
            String::new(),
            format!("What the pages say: {}", note.trim()),
        ]);
    }
    if let Some(redelivery) = &callbacks.redelivery {
        lines.extend([String::new(), format!("Delivery: {}", redelivery.trim())]);
    }
    lines
}

/// The name of the example a crate with callbacks has: it verifies a body and prints its event.
pub fn verify_callback_example_name(model: &Model) -> String {
    format!("{}-verify-callback", model.crate_name)
}

/// The manifest's table for [`verify_callback_example`].
pub fn verify_callback_example_table(model: &Model) -> String {
    format!(
        "\n[[example]]\nname = \"{}\"\npath = \"examples/verify_callback.rs\"\n",
        verify_callback_example_name(model)
    )
}

/// `examples/verify_callback.rs`: given a body file and `ZEGO_CALLBACK_SECRET`, prints the
/// verified event as JSON (`event`, `deprecated`, `body`) and exits 0, or says why it is
/// refused and exits 1 (2 for a mistake in how it was run).
pub fn verify_callback_example(model: &Model) -> TokenStream {
    let krate = ident(&model.crate_name.replace('-', "_"));
    let name = verify_callback_example_name(model);
    let crate_name = &model.crate_name;
    let usage = format!("usage: {name} <file of a callback body>");
    let doc = super::library::inner_doc_attrs(&[
        format!(
            "Verifies a callback of `{crate_name}` and prints its event: given the file of a body"
        ),
        "received, and the secret that signs it in `ZEGO_CALLBACK_SECRET`, it prints one JSON line"
            .to_owned(),
        "(`event`: the variant, `deprecated`, `body`: the event's fields, ids exact) and exits 0;"
            .to_owned(),
        "a refused body exits 1 with the reason.".to_owned(),
        String::new(),
        format!("`ZEGO_CALLBACK_SECRET=… cargo run -p {crate_name} --example {name} -- body.json`"),
    ]);
    quote! {
        #doc

        use std::process::ExitCode;

        use #krate::callbacks;

        fn main() -> ExitCode {
            let Some(path) = std::env::args_os().nth(1) else {
                eprintln!(#usage);
                return ExitCode::from(2);
            };
            let Ok(secret) = std::env::var("ZEGO_CALLBACK_SECRET") else {
                eprintln!("set ZEGO_CALLBACK_SECRET to the secret that signs the callbacks");
                return ExitCode::from(2);
            };
            let body = match std::fs::read(&path) {
                Ok(body) => body,
                Err(error) => {
                    eprintln!("cannot read {}: {error}", path.to_string_lossy());
                    return ExitCode::from(2);
                }
            };
            let verifier = match callbacks::verifier(secret) {
                Ok(verifier) => verifier,
                Err(error) => {
                    eprintln!("{error}");
                    return ExitCode::from(2);
                }
            };
            match callbacks::verify(&verifier, &body) {
                Ok(event) => {
                    let line = serde_json::json!({
                        "event": event.variant_name(),
                        "deprecated": event.is_deprecated(),
                        "body": event,
                    });
                    println!("{line}");
                    ExitCode::SUCCESS
                }
                Err(refusal) => {
                    eprintln!("refused: {refusal}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
