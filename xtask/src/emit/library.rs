//! The crate root and README of a product crate that has no hand-written ones: the module
//! list, the re-exports, and a page that says what the crate is and how to call it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Model;

use super::docs::doc_attrs;
use super::{rust_file, EmitError, GeneratedFile, HEADER_MARKER};

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
        "Every file of this crate is written by `cargo xtask codegen` from the product's spec; \
         signing, transport, retries, rate limiting, errors and the mock server are the \
         `zego-server-runtime` crate, re-exported here."
            .to_owned(),
    ];
    lines.extend(features_lines());
    let crate_doc = inner_doc_attrs(&lines);
    let region = has_regions.then(|| quote!(Region,));
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

        #[rustfmt::skip]
        mod codes;
        #mock_doc
        #[cfg(feature = "mock")]
        #[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
        #[rustfmt::skip]
        pub mod mock;
        /// Descriptors of the API's operations, for `Client::dry_run` and `Client::execute`.
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        mod service;
        /// Request and response types, one per schema of the spec.
        #[rustfmt::skip]
        pub mod types;

        pub use codes::ApiCode;
        pub use service::{rule_ids, Api, Client, ClientBuilder, Error, #region DEFAULT_BASE_URL};
        pub use types::*;
        pub use zego_server_runtime::*;
    };
    rust_file(model, "src/lib.rs", tokens)
}

fn features_lines() -> Vec<String> {
    vec![
        String::new(),
        "Features: `rustls-tls` (default) uses rustls with webpki roots; `native-tls` the \
         platform's TLS library; `mock` adds `mock::MockServer`."
            .to_owned(),
    ]
}

fn inner_doc_attrs(lines: &[String]) -> TokenStream {
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
