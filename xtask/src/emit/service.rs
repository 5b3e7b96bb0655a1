//! `src/service.rs`: this API as the shared runtime sees it (`Api`: return codes, default
//! host, rule ids, client type), the crate's `Client` over the runtime's, its `Error` and
//! `ClientBuilder`, where the service is (the spec's `servers`), and the rule ids.

use proc_macro2::{Ident, Literal as TokenLiteral, TokenStream};
use quote::quote;

use crate::model::Model;
use crate::runtime_sources::GENERATED_CLIENT_METHODS;

use super::docs::doc_attrs;
use super::{ident, runtime_crate_tokens};

pub(super) fn service_rs(model: &Model) -> TokenStream {
    let default_url = model
        .servers
        .first()
        .map_or("", |server| server.url.as_str());
    let [new, builder, _, _, with_checks] = GENERATED_CLIENT_METHODS.map(ident);
    let doc = doc_attrs(&[
        "Where requests go unless [`ClientBuilder::base_url`] says otherwise: the first of the"
            .to_owned(),
        "spec's `servers`.".to_owned(),
    ]);
    let region = region_tokens(model);
    let rule_ids = rule_ids_tokens(model);
    let runtime = runtime_crate_tokens();
    let title = &model.title;
    let invalid_parameter = model
        .return_codes
        .iter()
        .find(|code| code.invalid_parameter)
        .map(|code| {
            let value = TokenLiteral::i64_unsuffixed(code.code);
            quote!(const INVALID_PARAMETER_CODE: Option<i64> = Some(#value);)
        });
    let client_doc = doc_attrs(&[
        format!("An async client of the {title}: one method per action, each validating the"),
        "request first (nothing invalid is sent), signing it and decoding the reply.".to_owned(),
        String::new(),
        "It wraps the shared runtime's client and dereferences to it for what every product's"
            .to_owned(),
        "client has (`execute`, `dry_run`, `app_id`, `checks`, …). Cheap to clone: clones share"
            .to_owned(),
        "one connection pool and configuration.".to_owned(),
    ]);
    quote! {
        use std::ops::Deref;

        use #runtime::{Checks, SensitiveString, ServerApi};

        use super::codes::ApiCode;

        /// This API as the shared runtime sees it: its return codes, default host, rule ids
        /// and client type. The runtime's generic types take it as their parameter.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Api;

        impl ServerApi for Api {
            type Code = ApiCode;
            type Client = Client;
            const DEFAULT_BASE_URL: &'static str = DEFAULT_BASE_URL;
            const USER_AGENT: &'static str =
                concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
            const RULE_IDS: &'static [&'static str] = &rule_ids::ALL;
            #invalid_parameter
        }

        /// Everything that can go wrong calling the service: the runtime's error, with this
        /// API's return codes.
        pub type Error = #runtime::Error<ApiCode>;

        /// Configures a [`Client`]: base URL or region, timeouts, retries, rate limits, checks.
        pub type ClientBuilder = #runtime::ClientBuilder<Api>;

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: #runtime::Client<Api>,
        }

        impl From<#runtime::Client<Api>> for Client {
            fn from(inner: #runtime::Client<Api>) -> Self {
                Self { inner }
            }
        }

        impl Deref for Client {
            type Target = #runtime::Client<Api>;

            fn deref(&self) -> &Self::Target {
                &self.inner
            }
        }

        #region

        #rule_ids

        #doc
        pub const DEFAULT_BASE_URL: &str = #default_url;

        impl Client {
            /// A client with the default settings for `app_id` and its ServerSecret.
            ///
            /// # Errors
            /// [`Error::Configuration`] for an empty ServerSecret, or when the HTTP client
            /// cannot be built (TLS initialisation).
            pub fn #new(app_id: u32, server_secret: impl Into<SensitiveString>) -> Result<Self, Error> {
                Self::#builder(app_id, server_secret).build()
            }

            /// A builder to change the base URL, timeouts, retries, rate limit, user agent or
            /// HTTP client.
            pub fn #builder(app_id: u32, server_secret: impl Into<SensitiveString>) -> ClientBuilder {
                ClientBuilder::new(app_id, server_secret)
            }

            /// A handle to the same client (same connections, limits and settings) whose calls
            /// are checked as `checks` says: the way around a check for one call, or a few.
            pub fn #with_checks(&self, checks: Checks) -> Self {
                Self {
                    inner: self.inner.with_checks(checks),
                }
            }
        }
    }
}

/// `rule_ids`: a constant per rule id the spec defines, and the list of them all, which
/// `ClientBuilder::allow` checks names against.
fn rule_ids_tokens(model: &Model) -> TokenStream {
    let names: Vec<Ident> = model
        .rule_ids
        .iter()
        .map(|rule| ident(&rule.const_name))
        .collect();
    let ids = model.rule_ids.iter().map(|rule| rule.id.as_str());
    let docs = model
        .rule_ids
        .iter()
        .map(|rule| doc_attrs(&[format!("`{}`: {}", rule.id, rule.description)]));
    let count = TokenLiteral::usize_unsuffixed(model.rule_ids.len());
    quote! {
        /// The ids of the spec's rules (`x-zego-rules`, task preconditions and clock rules), as
        /// `Violation::rule` reports them and
        /// [`ClientBuilder::allow`] takes them. A constant is checked by the compiler, a string
        /// when the client is built.
        pub mod rule_ids {
            #(#docs pub const #names: &str = #ids;)*

            /// Every id above, in the spec's order.
            pub const ALL: [&str; #count] = [#(#names),*];
        }
    }
}

/// `Region` and `ClientBuilder::region`, from the servers marked `x-zego-region`; nothing
/// when no server is.
fn region_tokens(model: &Model) -> TokenStream {
    let regional: Vec<&crate::model::Server> = model
        .servers
        .iter()
        .filter(|server| server.region.is_some())
        .collect();
    if regional.is_empty() {
        return TokenStream::new();
    }
    let runtime = runtime_crate_tokens();
    let variants: Vec<Ident> = regional
        .iter()
        .map(|server| ident(&server.region_variant))
        .collect();
    let urls = regional.iter().map(|server| server.url.as_str());
    let docs = regional.iter().map(|server| {
        let mut lines: Vec<String> = server.description.iter().cloned().collect();
        lines.push(format!("`{}`", server.url));
        doc_attrs(&lines)
    });
    quote! {
        /// A regional host of the service (the spec's `servers` marked `x-zego-region`).
        /// Without one, requests go to [`DEFAULT_BASE_URL`]; ZEGOCLOUD advises the host
        /// nearest to the calling server.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Region {
            #(#docs #variants,)*
        }

        impl Region {
            /// The region's base URL.
            pub const fn base_url(self) -> &'static str {
                match self {
                    #(Self::#variants => #urls,)*
                }
            }
        }

        impl #runtime::RegionalHost for Region {
            fn base_url(self) -> &'static str {
                Region::base_url(self)
            }
        }
    }
}
