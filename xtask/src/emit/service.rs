//! `src/service.rs`: where the service is (the spec's `servers`) and the `Client`
//! constructors that default to it.

use super::*;
use crate::runtime_sources::GENERATED_CLIENT_METHODS;

pub(super) fn service_rs(model: &Model) -> TokenStream {
    let default_url = model
        .servers
        .first()
        .map_or("", |server| server.url.as_str());
    let [new, builder, _, _] = GENERATED_CLIENT_METHODS.map(ident);
    let doc = doc_attrs(&[
        "Where requests go unless [`ClientBuilder::base_url`] says otherwise: the first of the"
            .to_owned(),
        "spec's `servers`.".to_owned(),
    ]);
    let region = region_tokens(model);
    let rule_ids = rule_ids_tokens(model);
    quote! {
        use super::runtime::{Client, ClientBuilder, Error, SensitiveString};

        #region

        #rule_ids

        #doc
        pub const DEFAULT_BASE_URL: &str = #default_url;

        impl Client {
            /// A client with the default settings for `app_id` and its ServerSecret.
            ///
            /// # Errors
            /// [`Error::Configuration`] when the HTTP client cannot be built (TLS initialisation).
            pub fn #new(app_id: u32, server_secret: impl Into<SensitiveString>) -> Result<Self, Error> {
                Self::#builder(app_id, server_secret).build()
            }

            /// A builder to change the base URL, timeouts, retries, rate limit, user agent or
            /// HTTP client.
            pub fn #builder(app_id: u32, server_secret: impl Into<SensitiveString>) -> ClientBuilder {
                ClientBuilder::new(app_id, server_secret, DEFAULT_BASE_URL).known_rules(&rule_ids::ALL)
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
        /// [`Violation::rule`](super::runtime::Violation::rule) reports them and
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

        impl ClientBuilder {
            /// Sends requests to `region`'s host instead of the default one.
            pub fn region(self, region: Region) -> Self {
                self.base_url(region.base_url())
            }
        }
    }
}
