//! `src/service.rs`: this API as the shared runtime sees it (`Api`: return codes, default
//! host, rule ids, client type), the crate's `Client` over the runtime's, its `Error` and
//! `ClientBuilder`, where the service is (the spec's `servers`), and the rule ids.

use proc_macro2::{Ident, Literal as TokenLiteral, TokenStream};
use quote::quote;

use crate::crate_surface::CLIENT_METHODS;
use crate::model::Model;

use super::docs::doc_attrs;
use super::{ident, runtime_crate_tokens};

pub(super) fn service_rs(model: &Model) -> TokenStream {
    let default_url = model
        .servers
        .first()
        .map_or("", |server| server.url.as_str());
    let [new, builder, _, _, with_checks, checks, execute, dry_run, app_id, base_url, now_unix_millis] =
        CLIENT_METHODS.map(ident);
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
        "Besides the actions' methods it has what every product's client has: [`Client::execute`]"
            .to_owned(),
        "and [`Client::dry_run`] with an action's descriptor from [`operations`](crate::operations),"
            .to_owned(),
        "`call_action` and `dry_run_action` by the action's name, and the client's settings. Cheap"
            .to_owned(),
        "to clone: clones share one connection pool and configuration.".to_owned(),
    ]);
    quote! {
        use serde::de::DeserializeOwned;
        use serde::Serialize;

        use #runtime::{
            ApiResponse, Checks, DryRun, Envelope, Operation, Redact, RequestInfo,
            SensitiveString, ServerApi, Validate,
        };

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
            /// The shared runtime's client, which does the work; the crate's own modules reach
            /// it for what they add.
            pub(crate) inner: #runtime::Client<Api>,
        }

        impl From<#runtime::Client<Api>> for Client {
            fn from(inner: #runtime::Client<Api>) -> Self {
                Self { inner }
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

            /// The checks this handle applies.
            pub fn #checks(&self) -> Checks {
                self.inner.checks()
            }

            /// Validates, signs and sends `request` for the action `operation` describes, then
            /// decodes the reply as the envelope `E`; retries as the client's retry policy
            /// allows. Each action's own method calls this with its descriptor and types.
            ///
            /// # Errors
            /// [`Error::Validation`] before sending; afterwards `Transport`, `Http`,
            /// `ResponseTooLarge`, `Decode`, or `Api` for a non-zero `Code`.
            pub async fn #execute<R, E>(
                &self,
                operation: &Operation,
                request: &R,
            ) -> Result<ApiResponse<E::Data>, Error>
            where
                R: Serialize + Validate + RequestInfo + Clone,
                E: DeserializeOwned + Envelope,
            {
                self.inner.execute::<R, E>(operation, request).await
            }

            /// Validates and signs `request` for the action `operation` describes, without
            /// sending it: the URL and the body (credentials redacted) it would send.
            ///
            /// # Errors
            /// [`Error::Validation`] for an invalid request, [`Error::Signing`] when no nonce
            /// can be had.
            pub fn #dry_run<R>(&self, operation: &Operation, request: &R) -> Result<DryRun, Error>
            where
                R: Serialize + Validate + RequestInfo + Redact + Clone,
            {
                self.inner.dry_run(operation, request)
            }

            /// The application ID requests are signed for.
            pub fn #app_id(&self) -> u32 {
                self.inner.app_id()
            }

            /// The base URL requests go to.
            pub fn #base_url(&self) -> &str {
                self.inner.base_url()
            }

            /// The current time on the client's clock (the one it signs with), in Unix
            /// milliseconds.
            pub fn #now_unix_millis(&self) -> i64 {
                self.inner.now_unix_millis()
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
