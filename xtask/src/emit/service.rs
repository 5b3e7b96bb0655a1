//! `src/service.rs`: where the service is (the spec's `servers`) and the `Client`
//! constructors that default to it.

use super::*;
use crate::runtime_sources::GENERATED_CLIENT_METHODS;

pub(super) fn service_rs(model: &Model) -> TokenStream {
    let default_url = model
        .servers
        .first()
        .map_or("", |server| server.url.as_str());
    let [new, builder] = GENERATED_CLIENT_METHODS.map(ident);
    let doc = doc_attrs(&[
        "Where requests go unless [`ClientBuilder::base_url`] says otherwise: the first of the"
            .to_owned(),
        "spec's `servers`.".to_owned(),
    ]);
    quote! {
        use super::runtime::{Client, ClientBuilder, Error, SensitiveString};

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
                ClientBuilder::new(app_id, server_secret, DEFAULT_BASE_URL)
            }
        }
    }
}
