//! `src/callbacks.rs`: the product's callbacks (`x-zego-callbacks`) as one open enum of
//! events, each a typed struct of `types`, told apart by the field that names them; a
//! verifier set to the product's signed fields; and `verify`, which checks a body and decodes
//! its event. An event this crate does not know is kept with its raw body, never refused.

use proc_macro2::{Literal as TokenLiteral, TokenStream};
use quote::quote;

use crate::model::{CallbackEvent, CallbackSecret, Callbacks, EventValue, Model};

use super::docs::doc_attrs;
use super::{ident, runtime_crate_tokens, UsedIdents};

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
            let tests = event.values().map(|value| match value {
                EventValue::Text(text) => quote!(names_text(&value, #field, #text)),
                EventValue::Number(number) => {
                    let number = TokenLiteral::i64_unsuffixed(*number);
                    quote!(names_number(&value, #field, #number))
                }
            });
            let test = quote!(#(#tests)||*);
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
        .flat_map(CallbackEvent::values)
        .any(|value| matches!(value, EventValue::Text(_)))
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
        .flat_map(CallbackEvent::values)
        .any(|value| matches!(value, EventValue::Number(_)))
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
    let answers = answer_items(model, callbacks);
    let url_encoded = callbacks.url_encoded.iter().map(String::as_str);
    let url_count = TokenLiteral::usize_unsuffixed(callbacks.url_encoded.len());
    let examples: Vec<TokenStream> = callbacks
        .events
        .iter()
        .filter_map(|event| {
            let example = event.example.as_deref()?;
            let variant = event.variant.as_str();
            Some(quote!((#variant, #example)))
        })
        .collect();
    let example_count = TokenLiteral::usize_unsuffixed(examples.len());
    let answer_types = callbacks
        .events
        .iter()
        .filter_map(|event| event.answer)
        .map(|id| ident(&model.types[id].name));
    let body = quote! {
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

        impl CallbackEvent for Event {
            fn decode(body: &[u8]) -> Result<Self, CallbackRefusal> {
                Self::decode(body)
            }
        }

        /// A verified event, as an axum handler extracts it (feature `axum`): the router's
        /// state gives the [`CallbackVerifier`]; a refused request is answered before the
        /// handler runs.
        #[cfg(feature = "axum")]
        pub type Callback = #runtime::VerifiedCallback<Event>;

        /// The example body each event's page shows (unsigned), by variant: what the mock
        /// sends, signed anew, to drive a receiver (`mock::send_callback`).
        pub const EXAMPLES: [(&str, &str); #example_count] = [#(#examples),*];

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
            verifier.authenticate(body)?;
            Event::decode(body)
        }

        /// Receives one request, whatever the web framework: refuses another method than
        /// POST, verifies the body and decodes its event, with the response to send (`200`
        /// with `{}` for an event; the reason and a 4xx for a refused request).
        pub fn receive<B: AsRef<[u8]>>(verifier: &CallbackVerifier, request: &Request<B>) -> Received<Event> {
            verifier.receive(request, Event::decode)
        }

        /// As [`receive`], recording each delivery in `store` (shared by every instance that
        /// receives callbacks): a delivery seen before is accepted again and marked a
        /// duplicate, an altered replay is refused (409), and a store that cannot answer makes
        /// a 503 so that ZEGOCLOUD delivers the callback again.
        pub async fn receive_delivery<B: AsRef<[u8]>>(
            verifier: &CallbackVerifier,
            request: &Request<B>,
            store: &dyn CallbackStore,
        ) -> Received<Delivered<Event>> {
            verifier.receive_delivery(request, store, Event::decode).await
        }

        #answers

        /// The fields the pages say arrive URL-encoded, decoded before an event is read.
        const URL_ENCODED: [&str; #url_count] = [#(#url_encoded),*];

        fn decode_as<T: DeserializeOwned>(body: &[u8]) -> Result<T, CallbackRefusal> {
            let body = url_decoded_fields(body, &URL_ENCODED)?;
            serde_json::from_slice(&body).map_err(|error| CallbackRefusal::NotACallback {
                path: json_error_path(&body, &error),
                message: error.to_string(),
            })
        }

        #by_text
        #by_number
    };
    let used = UsedIdents::of(&body);
    let runtime_imports = used.imports(
        runtime.clone(),
        &[
            "json_error_path",
            "json_response",
            "CallbackEvent",
            "CallbackRefusal",
            "CallbackStore",
            "CallbackVerifier",
            "ConfigurationError",
            "Delivered",
            "Received",
            "SensitiveString",
            "SignedFields",
            "url_decoded_fields",
        ],
    );
    let http_imports = used.imports(quote!(#runtime::http), &["Request", "Response"]);
    let time = used.imports(quote!(std::time), &["Duration"]);
    quote! {
        #time
        use serde::de::DeserializeOwned;
        use serde_json::Value;
        #http_imports
        #runtime_imports
        use super::types::{#(#bodies,)* #(#answer_types),*};
        #body
    }
}

/// For each event whose answer carries data: how soon it must be answered, and the function
/// that makes the response from the typed answer.
fn answer_items(model: &Model, callbacks: &Callbacks) -> TokenStream {
    let mut items = TokenStream::new();
    for event in &callbacks.events {
        let Some(answer) = event.answer else {
            continue;
        };
        let answer_type = ident(&model.types[answer].name);
        let snake = heck::ToSnakeCase::to_snake_case(event.variant.as_str());
        let function = ident(&format!("answer_{snake}"));
        let variant = &event.variant;
        let doc = format!(
            "The response that answers [`Event::{variant}`] with `answer` (JSON, `200`); the \
             default response of [`receive`] is an empty object, which the service reads as no \
             answer."
        );
        let doc = doc_attrs(&[doc]);
        items.extend(quote! {
            #doc
            pub fn #function(answer: &#answer_type) -> Response<Vec<u8>> {
                json_response(answer)
            }
        });
        if let Some(deadline) = event.answer_deadline_ms {
            let constant = ident(&format!("{}_ANSWER_DEADLINE", snake.to_uppercase()));
            let millis = TokenLiteral::u64_unsuffixed(deadline);
            let doc = format!(
                "How soon [`Event::{variant}`] must be answered: {deadline} ms, the stricter of \
                 what the pages say (see the event's notes)."
            );
            let doc = doc_attrs(&[doc]);
            items.extend(quote! {
                #doc
                pub const #constant: Duration = Duration::from_millis(#millis);
            });
        }
    }
    items
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
    for also in &event.also_values {
        let also = match also {
            EventValue::Text(text) => format!("`{text}`"),
            EventValue::Number(number) => number.to_string(),
        };
        lines.extend([
            String::new(),
            format!(
                "Also accepted when `{}` is {also}, as a page shows it.",
                event.discriminator
            ),
        ]);
    }
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
    let verifier_from_env = verifier_from_env();
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
    // The example's body is printed as the generator prints it; only `main` is rustfmt's.
    quote! {
        #doc

        #[rustfmt::skip]
        mod verify {
        use std::process::ExitCode;

        use #krate::callbacks;

        pub(super) fn run() -> ExitCode {
            let Some(path) = std::env::args_os().nth(1) else {
                eprintln!(#usage);
                return ExitCode::from(2);
            };
            let verifier = #verifier_from_env;
            let body = match std::fs::read(&path) {
                Ok(body) => body,
                Err(error) => {
                    eprintln!("cannot read {}: {error}", path.to_string_lossy());
                    return ExitCode::from(2);
                }
            };
            // As a receiver gets it: a POST with the body, answered as `receive` says.
            let request = match #krate::runtime::http::Request::post("/").body(body) {
                Ok(request) => request,
                Err(error) => {
                    eprintln!("{error}");
                    return ExitCode::from(2);
                }
            };
            let received = callbacks::receive(&verifier, &request);
            let status = received.response.status().as_u16();
            match received.outcome {
                Ok(event) => {
                    let line = serde_json::json!({
                        "event": event.variant_name(),
                        "deprecated": event.is_deprecated(),
                        "status": status,
                        "body": event,
                    });
                    println!("{line}");
                    ExitCode::SUCCESS
                }
                Err(refusal) => {
                    eprintln!("refused ({status}): {refusal}");
                    ExitCode::FAILURE
                }
            }
        }
        }

        fn main() -> std::process::ExitCode {
            verify::run()
        }
    }
}

/// The name of the receiver example a crate with callbacks has (feature `axum`).
pub fn receive_callbacks_example_name(model: &Model) -> String {
    format!("{}-receive-callbacks", model.crate_name)
}

/// The manifest's tables for the two callback examples.
pub fn callback_example_tables(model: &Model) -> String {
    format!(
        "{}\n[[example]]\nname = \"{}\"\npath = \"examples/receive_callbacks.rs\"\nrequired-features = [\"axum\"]\n",
        verify_callback_example_table(model),
        receive_callbacks_example_name(model)
    )
}

/// `examples/receive_callbacks.rs` (feature `axum`): a receiver of the product's callbacks on
/// `ZEGO_CALLBACK_ADDR` (default `127.0.0.1:8080`), path `/zego/callback`, printing each
/// verified event as a JSON line and answering 200; refused requests get their 4xx.
pub fn receive_callbacks_example(model: &Model) -> TokenStream {
    let krate = ident(&model.crate_name.replace('-', "_"));
    let name = receive_callbacks_example_name(model);
    let crate_name = &model.crate_name;
    let verifier_from_env = verifier_from_env();
    let doc = super::library::inner_doc_attrs(&[
        format!("Receives the callbacks of `{crate_name}` with axum: POST `/zego/callback` on"),
        "`ZEGO_CALLBACK_ADDR` (default `127.0.0.1:8080`), the secret in `ZEGO_CALLBACK_SECRET`. It".to_owned(),
        "prints `{\"listening\": address}`, then one JSON line per verified event (`event`, `body`),".to_owned(),
        "answering 200; a refused request gets its 4xx and the reason.".to_owned(),
        String::new(),
        format!("`ZEGO_CALLBACK_SECRET=… cargo run -p {crate_name} --features axum --example {name}`"),
    ]);
    // The example's body is printed as the generator prints it; only `main` is rustfmt's.
    quote! {
        #doc

        #[rustfmt::skip]
        mod receive {
        use std::process::ExitCode;

        use #krate::callbacks::{self, Callback};
        use #krate::runtime::axum;

        #[tokio::main]
        pub(super) async fn run() -> ExitCode {
            let verifier = #verifier_from_env;
            let address = std::env::var("ZEGO_CALLBACK_ADDR")
                .unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
            let listener = match tokio::net::TcpListener::bind(&address).await {
                Ok(listener) => listener,
                Err(error) => {
                    eprintln!("cannot listen on {address}: {error}");
                    return ExitCode::FAILURE;
                }
            };
            if let Ok(bound) = listener.local_addr() {
                println!("{}", serde_json::json!({ "listening": bound.to_string() }));
            }
            let app = axum::Router::new()
                .route("/zego/callback", axum::routing::post(received))
                .with_state(verifier);
            match axum::serve(listener, app).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("{error}");
                    ExitCode::FAILURE
                }
            }
        }

        async fn received(callback: Callback) -> &'static str {
            let event = callback.0;
            println!(
                "{}",
                serde_json::json!({ "event": event.variant_name(), "body": event })
            );
            "{}"
        }
        }

        fn main() -> std::process::ExitCode {
            receive::run()
        }
    }
}

/// The examples' verifier, from `ZEGO_CALLBACK_SECRET` (exit 2 without it, or with a blank one).
fn verifier_from_env() -> TokenStream {
    quote! {
        {
            let Ok(secret) = std::env::var("ZEGO_CALLBACK_SECRET") else {
                eprintln!("set ZEGO_CALLBACK_SECRET to the secret that signs the callbacks");
                return ExitCode::from(2);
            };
            match callbacks::verifier(secret) {
                Ok(verifier) => verifier,
                Err(error) => {
                    eprintln!("{error}");
                    return ExitCode::from(2);
                }
            }
        }
    }
}
