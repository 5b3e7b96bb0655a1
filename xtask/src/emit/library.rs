//! The crate root and README of a product crate that has no hand-written ones: the module
//! list, the re-exports, and a page that says what the crate is and how to call it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Model;

use super::crate_files::runtime_feature_docs;
use super::docs::doc_attrs;
use super::{ident, rust_file, EmitError, GeneratedFile, HEADER_MARKER};

/// `src/lib.rs`: the generated modules and the names users reach for.
pub fn library_root(model: &Model) -> Result<GeneratedFile, EmitError> {
    let krate = model.crate_name.replace('-', "_");
    let has_regions = model.servers.iter().any(|server| server.region.is_some());
    let example_action = model
        .operations
        .first()
        .map_or("Action", |operation| operation.action.as_str());
    let mut lines = vec![
        format!("A typed async client for the {}.", model.title),
        String::new(),
        format!(
            "One method per action of the API ({} in all), each validating its request against \
             what the spec constrains, signing it (ZEGOCLOUD signature 2.0) and decoding the \
             reply; `call_action` and `dry_run_action` take an action's name and its JSON \
             (for a GET action, an object of its query parameters).",
            model.operations.len()
        ),
        String::new(),
        "```no_run".to_owned(),
        format!("# async fn run() -> Result<(), {krate}::Error> {{"),
        format!("let client = {krate}::Client::new(1234567890, \"server secret\")?;"),
        format!("let signed = client.dry_run_action(\"{example_action}\", \"{{}}\");"),
        "println!(\"{signed:?}\");".to_owned(),
        "# Ok(()) }".to_owned(),
        "```".to_owned(),
        String::new(),
        "At the root: [`Client`], [`ClientBuilder`], [`Error`], [`ApiCode`] (with the \
         gateway's [`GatewayCode`]) and what a call returns. The request and response types are \
         in [`types`], each action's descriptor in [`operations`]; `mock` (feature `mock`) \
         is a local fake of the service for tests."
            .to_owned(),
        String::new(),
        "Every file of this crate is written by `cargo xtask codegen` from the product's spec; \
         signing, transport, retries, rate limiting, errors and the mock server are the \
         `zego-server-runtime` crate, reachable as [`runtime`] (its callback verifier, retry \
         policy, clocks, shared stores and validation types)."
            .to_owned(),
    ];
    if model.login_tokens {
        lines.extend(token_lines(&krate));
    }
    lines.extend(features_lines());
    let crate_doc = inner_doc_attrs(&lines);
    let region = has_regions.then(|| quote!(Region,));
    let codes_exported = if model.exception_codes.is_empty() {
        quote!(ApiCode)
    } else {
        quote!({ApiCode, ExceptionCode})
    };
    let callbacks_module = model.callbacks.as_ref().map(|_| {
        quote! {
            /// The callbacks ZEGOCLOUD sends for this product: one [`callbacks::Event`] per
            /// documented event, a verifier set to the product's signed fields, and
            /// [`callbacks::verify`], which checks a body and decodes its event.
            #[rustfmt::skip]
            pub mod callbacks;
        }
    });
    let token = model.login_tokens.then(|| {
        quote! {
            /// Token04, the token this product's clients log in with: one per logged-in user,
            /// made with [`token::TokenIssuer`] (the `zego-token` crate).
            pub use zego_server_runtime::token;
        }
    });
    let mock_doc = doc_attrs(&[
        "A local fake of the service for downstream tests (feature `mock`): the runtime's mock"
            .to_owned(),
        "server with this API's actions.".to_owned(),
    ]);
    let tokens = quote! {
        #crate_doc
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]
        #![cfg_attr(docsrs, feature(doc_cfg))]

        #callbacks_module
        #[rustfmt::skip]
        mod codes;
        #mock_doc
        #[cfg(feature = "mock")]
        #[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
        #[rustfmt::skip]
        pub mod mock;
        /// Descriptors of the API's operations, for [`Client::dry_run`] and [`Client::execute`].
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        mod service;
        /// Request and response types, one per schema of the spec.
        #[rustfmt::skip]
        pub mod types;

        pub use codes::#codes_exported;
        pub use service::{rule_ids, Api, Client, ClientBuilder, Error, #region DEFAULT_BASE_URL};
        pub use zego_server_runtime::{ApiResponse, Checks, DryRun, GatewayCode, RetryPolicy};

        /// The runtime every ZEGOCLOUD product crate shares: signing, transport, retries,
        /// rate limits, errors' parts, validation, callback verification, shared stores.
        pub use zego_server_runtime as runtime;

        #token
    };
    rust_file(model, "src/lib.rs", tokens)
}

/// The front page's section on the tokens the product's clients log in with.
fn token_lines(krate: &str) -> Vec<String> {
    vec![
        String::new(),
        "# Tokens for your clients".to_owned(),
        String::new(),
        "Each client of the product logs in with a Token04 that your server makes with the \
         ServerSecret, after its own authentication of the user ([`token`]):"
            .to_owned(),
        String::new(),
        "```".to_owned(),
        "use std::time::Duration;".to_owned(),
        format!("use {krate}::token::{{RoomPrivilege, TokenIssuer}};"),
        String::new(),
        format!("# fn main() -> Result<(), {krate}::token::TokenError> {{"),
        "let issuer = TokenIssuer::new(1234567890, \"0123456789abcdef0123456789abcdef\")?;"
            .to_owned(),
        "let room = RoomPrivilege::new(\"room1\").login(true).publish(true);".to_owned(),
        "let token = issuer.issue_for_room(\"user1\", Duration::from_secs(3600), &room)?;"
            .to_owned(),
        "assert!(token.starts_with(\"04\"));".to_owned(),
        "# Ok(()) }".to_owned(),
        "```".to_owned(),
    ]
}

/// The crate's features, as the runtime's manifest documents them (the crate forwards each).
fn features_lines() -> Vec<String> {
    let mut lines = vec![String::new(), "Features:".to_owned()];
    for (name, doc, on_by_default) in runtime_feature_docs() {
        let default = if on_by_default { " (default)" } else { "" };
        lines.push(format!("- `{name}`{default}: {doc}"));
    }
    lines
}

pub(super) fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #text])
    });
    quote!(#(#attrs)*)
}

/// `README.md`: what the crate is, how to depend on it, and its actions.
pub fn readme(model: &Model) -> GeneratedFile {
    let name = &model.crate_name;
    let mut text = format!(
        "<!-- {HEADER_MARKER} from {spec}. Do not edit: change the spec or the generator and run `cargo xtask codegen`. -->\n\n# {name}\n\nA typed async Rust client for the {title}, generated from its OpenAPI spec (`{spec}`) by this repository's generator. Signing, transport, retries, rate limiting, errors and the mock server come from the shared `zego-server-runtime` crate.\n\n```sh\ncargo add {name}\n```\n\n| Action | Method | Call frequency limit |\n| --- | --- | --- |\n",
        spec = model.spec_file,
        title = model.title,
    );
    for operation in &model.operations {
        let limit = operation
            .rate_limit
            .map_or("not stated".to_owned(), |limit| {
                format!("{limit}/s per AppId")
            });
        text.push_str(&format!(
            "| `{}` | `Client::{}` | {limit} |\n",
            operation.action, operation.method
        ));
    }
    text.push_str("\nLicensed under MIT or Apache-2.0, at your option.\n");
    GeneratedFile {
        path: "README.md".to_owned(),
        contents: text,
    }
}

/// The name of the example every product crate has: it prints the signed request a JSON
/// request would make, without sending it.
pub fn dry_run_example_name(model: &Model) -> String {
    format!("{}-dry-run", model.crate_name)
}

/// The manifest's table for [`dry_run_example`].
pub fn dry_run_example_table(model: &Model) -> String {
    format!(
        "\n[[example]]\nname = \"{}\"\npath = \"examples/dry_run.rs\"\n",
        dry_run_example_name(model)
    )
}

/// `examples/dry_run.rs`: reads one request per line from standard input
/// (`{"action": …, "body": {…}}`, a GET action's body holding its query parameters) and
/// prints each signed request as JSON (`method`, `url`, `body`) or the reason it was refused.
pub fn dry_run_example(model: &Model) -> Result<GeneratedFile, EmitError> {
    let krate = ident(&model.crate_name.replace('-', "_"));
    let name = dry_run_example_name(model);
    let crate_name = &model.crate_name;
    let doc = inner_doc_attrs(&[
        format!("Prints the signed requests of `{crate_name}` without sending them: one JSON request per"),
        "line on standard input (`{\"action\": \"…\", \"body\": {…}}`), one JSON line out each (`method`,".to_owned(),
        "`url`, `body`, or `error`). `ZEGO_APP_ID` and `ZEGO_SERVER_SECRET` sign them (placeholders".to_owned(),
        "without).".to_owned(),
        String::new(),
        format!("`cargo run -p {crate_name} --example {name} < requests.jsonl`"),
    ]);
    // The example's body is printed as the generator prints it; only `main` is rustfmt's.
    let tokens = quote! {
        #doc

        #[rustfmt::skip]
        mod dry_run {
        use std::io::{BufRead, Write};

        use #krate::Client;

        pub(super) fn run() -> std::process::ExitCode {
            let app_id = std::env::var("ZEGO_APP_ID")
                .ok()
                .and_then(|id| id.parse().ok())
                .unwrap_or(1_234_567_890);
            let secret = std::env::var("ZEGO_SERVER_SECRET")
                .unwrap_or_else(|_| "dry-run-secret".to_owned());
            let client = match Client::new(app_id, secret) {
                Ok(client) => client,
                Err(error) => {
                    eprintln!("{error}");
                    return std::process::ExitCode::FAILURE;
                }
            };
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if line.trim().is_empty() {
                    continue;
                }
                let answer = match serde_json::from_str::<serde_json::Value>(&line) {
                    Ok(request) => dry_run(&client, &request),
                    Err(error) => serde_json::json!({ "error": format!("not JSON: {error}") }),
                };
                if writeln!(out, "{answer}").is_err() {
                    break;
                }
            }
            std::process::ExitCode::SUCCESS
        }

        fn dry_run(client: &Client, request: &serde_json::Value) -> serde_json::Value {
            let action = request["action"].as_str().unwrap_or_default();
            let body = request["body"].to_string();
            match client.dry_run_action(action, &body) {
                Ok(run) => serde_json::json!({
                    "action": action,
                    "method": run.method,
                    "url": run.url,
                    "body": run.redacted_body,
                }),
                Err(error) => serde_json::json!({ "action": action, "error": error.to_string() }),
            }
        }
        }

        fn main() -> std::process::ExitCode {
            dry_run::run()
        }
    };
    rust_file(model, "examples/dry_run.rs", tokens)
}
