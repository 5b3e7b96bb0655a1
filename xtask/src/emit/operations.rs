//! `src/operations.rs` (one client method and descriptor per operation, and what the client
//! reads from each request) and `src/mock.rs` (the mock server for this API: its dispatch and
//! the runtime's mock types named for it).

/// Runtime items `operations.rs` may use.
use proc_macro2::{Ident, Literal as TokenLiteral, TokenStream};
use quote::{format_ident, quote};

use crate::crate_surface::{
    CLIENT_METHODS, MOCK_RUNTIME_IMPORTS, OPERATIONS_IMPORTS, OPERATIONS_SERVICE_IMPORTS,
};
use crate::model::{
    EnvelopeData, FieldId, FieldType, HttpMethod, Model, Operation, StructDef, TypeKind,
};

use super::crate_files::RUNTIME_CRATE;
use super::docs::doc_attrs;
use super::rules::{path_tokens, scalar_value, violation_constructor, Access};
use super::types::{option_tokens, rust_type};
use super::{ident, runtime_crate_tokens, UsedIdents};

/// `Client::call_action` and `Client::dry_run_action`: every operation by its `Action`
/// name, for tools that choose it at run time, and the list of all operations.
fn dispatch_tokens(model: &Model) -> TokenStream {
    let [_, _, call, dry_run, ..] = CLIENT_METHODS.map(ident);
    let consts: Vec<Ident> = model
        .operations
        .iter()
        .map(|operation| ident(&operation.const_name))
        .collect();
    let actions: Vec<&str> = model.operations.iter().map(|o| o.action.as_str()).collect();
    let requests: Vec<Ident> = model
        .operations
        .iter()
        .map(|o| ident(&model.types[o.request].name))
        .collect();
    let responses: Vec<Ident> = model
        .operations
        .iter()
        .map(|o| ident(&model.types[o.response].name))
        .collect();
    let count = TokenLiteral::usize_unsuffixed(model.operations.len());
    // The dispatchers are `#[inline]` so that they are compiled only in programs that call
    // them: each names every action's request and response type, and compiling them in the
    // crate itself would put every action's decoding into every downstream build.
    quote! {
        /// Every operation of the API, in the spec's order.
        pub const ALL: [&Operation; #count] = [#(&#consts),*];

        impl Client {
            /// Sends `body`, a request in the API's JSON wire format, as the action named
            /// `action`, and returns the response's `Data` as JSON (`null` for actions that
            /// return none). For tools that choose the action at run time; programs should
            /// call the typed method of the action.
            ///
            /// # Errors
            /// [`Error::UnknownAction`] for a name that is no action of this API,
            /// [`Error::RequestJson`] when `body` is not that action's request; otherwise
            /// as the action's method.
            #[inline]
            pub async fn #call(
                &self,
                action: &str,
                body: &str,
            ) -> Result<ApiResponse<serde_json::Value>, Error> {
                match action {
                    #(#actions => self.inner.execute_json::<#requests, #responses>(&#consts, body).await,)*
                    other => Err(Error::UnknownAction { action: other.to_owned() }),
                }
            }

            /// Validates and signs `body` as the action named `action` without sending it, as
            /// `Client::dry_run`.
            ///
            /// # Errors
            /// As [`Client::call_action`], before anything would be sent.
            #[inline]
            pub fn #dry_run(&self, action: &str, body: &str) -> Result<DryRun, Error> {
                match action {
                    #(#actions => self.inner.dry_run_json::<#requests>(&#consts, body),)*
                    other => Err(Error::UnknownAction { action: other.to_owned() }),
                }
            }
        }
    }
}

pub(super) fn operations_rs(model: &Model) -> TokenStream {
    let items = model
        .operations
        .iter()
        .map(|operation| operation_tokens(model, operation));
    let mut seen = Vec::new();
    let request_infos = model.operations.iter().filter_map(|operation| {
        if seen.contains(&operation.request) {
            return None;
        }
        seen.push(operation.request);
        Some(request_info_impl(model, operation))
    });
    let dispatch = dispatch_tokens(model);
    let body = quote! {
        #(#items)*
        #dispatch
        #(#request_infos)*
    };
    let used = UsedIdents::of(&body);
    let runtime = used.imports(runtime_crate_tokens(), &OPERATIONS_IMPORTS);
    let service = used.imports(quote!(super::service), &OPERATIONS_SERVICE_IMPORTS);
    let types = used.imports(quote!(super::types), &type_names(model));
    let future = used.imports(quote!(std::future), &["Future"]);
    let collections = used.imports(quote!(std::collections), &["BTreeMap"]);
    let time = used.imports(quote!(std::time), &["Duration"]);
    quote! {
        #collections
        #future
        #time
        #runtime
        #service
        #types
        #body
    }
}

/// Every generated type's name, for imports.
fn type_names(model: &Model) -> Vec<&str> {
    model.types.iter().map(|def| def.name.as_str()).collect()
}

/// The mock server for this API: compiled only with the `mock` feature.
pub(super) fn mock_rs(model: &Model) -> TokenStream {
    let (mock_arms, numbered): (Vec<TokenStream>, Vec<bool>) = model
        .operations
        .iter()
        .map(|operation| mock_arm(model, operation))
        .unzip();
    // Named `_sequence` when no operation's data has a string field to number.
    let sequence = if numbered.contains(&true) {
        quote!(sequence)
    } else {
        quote!(_sequence)
    };
    let runtime = runtime_crate_tokens();
    // A product with hand-written code states its own service (one that keeps state); one
    // without plays these stateless actions by default.
    let default_mock = model.handwritten.is_none().then(|| {
        quote! {
            /// [`MockServer::start`](zego_server_runtime::mock::MockServer::start) plays the
            /// stateless [`Actions`].
            impl DefaultMock for Api {
                type Service = Actions;
            }
        }
    });
    let body = quote! {
        /// A local fake of this API's service for downstream tests: the runtime's mock
        /// server (it checks signatures, validates bodies, records requests and answers as
        /// programmed) with this API's actions.
        pub type MockServer = #runtime::mock::MockServer<Api>;

        /// How the mock answers a request.
        pub type MockResponse = #runtime::mock::MockResponse<ApiCode>;

        /// A request the mock received, with what it found and answered.
        pub type RecordedRequest = #runtime::mock::RecordedRequest<ApiCode>;

        /// The actions of this API, for the mock server (`MockServer::start_with`): each
        /// decodes and validates its request type and makes up the `Data` of a successful
        /// answer. It keeps no state.
        #[derive(Clone, Copy, Debug, Default)]
        pub struct Actions;

        impl MockActions<ApiCode> for Actions {
            fn check(&self, action: &str, body: &[u8], #sequence: u64) -> Option<Checked> {
                match action {
                    #(#mock_arms)*
                    _ => None,
                }
            }
        }

        #default_mock
    };
    let types = UsedIdents::of(&body).imports(quote!(super::types), &type_names(model));
    let reexported = MOCK_RUNTIME_IMPORTS.map(ident);
    quote! {
        #![cfg(feature = "mock")]
        pub use #runtime::mock::{#(#reexported),*};
        use super::codes::ApiCode;
        use super::service::Api;
        #types
        #body
    }
}

/// The mock's dispatch for one operation: its request type and made-up response `Data`
/// (string fields `mock` + 12 digits, so they look like the service's fixed-length ids).
fn mock_arm(model: &Model, operation: &Operation) -> (TokenStream, bool) {
    let action = &operation.action;
    let request = ident(&model.types[operation.request].name);
    let beside = FieldType::Named(operation.response);
    let data_type = match &model.types[operation.response].kind {
        TypeKind::Struct(StructDef {
            envelope: Some(envelope),
            fields,
            ..
        }) => match envelope.data {
            EnvelopeData::Field(field) => Some(&fields[field.0].ty),
            EnvelopeData::Beside => Some(&beside),
            EnvelopeData::Nothing => None,
        },
        _ => None,
    };
    let (envelope_fields, beside_envelope) = match &model.types[operation.response].kind {
        TypeKind::Struct(StructDef {
            envelope: Some(envelope),
            ..
        }) => (
            [
                Some(envelope.code),
                Some(envelope.message),
                envelope.request_id,
            ],
            envelope.data == EnvelopeData::Beside,
        ),
        _ => ([None; 3], false),
    };
    let data_fields = match data_type {
        Some(FieldType::Named(id)) => match &model.types[*id].kind {
            TypeKind::Struct(data) => data
                .fields
                .iter()
                .enumerate()
                .filter(|(index, _)| {
                    !(beside_envelope && envelope_fields.contains(&Some(FieldId(*index))))
                })
                .map(|(_, field)| field)
                .collect::<Vec<_>>(),
            TypeKind::Enum(_) | TypeKind::Union(_) => Vec::new(),
        },
        _ => Vec::new(),
    };
    // The mock answers such a reply with its fields beside the envelope's.
    let placed = if beside_envelope {
        quote!(.beside_envelope())
    } else {
        TokenStream::new()
    };
    let inserts = data_fields.iter().filter_map(|field| {
        let wire = &field.wire_name;
        let value = match (&field.ty, field.sensitive) {
            (FieldType::String, false) => {
                quote!(serde_json::Value::String(format!("mock{sequence:012}")))
            }
            (FieldType::Integer(_), _) => quote!(serde_json::Value::from(0)),
            (FieldType::Boolean, _) => quote!(serde_json::Value::Bool(false)),
            (FieldType::Number(_), _) => quote!(serde_json::Value::from(0)),
            (FieldType::Any, _) => quote!(serde_json::Value::Null),
            (FieldType::FreeForm | FieldType::Map(_), _) => {
                quote!(serde_json::Value::Object(serde_json::Map::new()))
            }
            _ => return None,
        };
        Some(quote!(data.insert(#wire.to_owned(), #value);))
    });
    let inserts: Vec<TokenStream> = inserts.collect();
    let numbered = data_fields
        .iter()
        .any(|field| field.ty == FieldType::String && !field.sensitive);
    let decode = match operation.http_method {
        HttpMethod::Post => quote!(decode),
        HttpMethod::Get => quote!(decode_query),
    };
    // `Data` that is no object (a list, a value) is made up empty.
    let made_up = match data_type {
        Some(FieldType::Array { .. }) => Some(quote!(serde_json::Value::Array(Vec::new()))),
        // Not `null`: the runtime's mock reads a null `Data` as an action it does not know.
        Some(FieldType::Any) => Some(quote!(serde_json::Value::Object(serde_json::Map::new()))),
        Some(FieldType::String) => Some(quote!(serde_json::Value::String(String::new()))),
        Some(FieldType::Integer(_) | FieldType::Number(_)) => {
            Some(quote!(serde_json::Value::from(0)))
        }
        Some(FieldType::Boolean) => Some(quote!(serde_json::Value::Bool(false))),
        _ => None,
    };
    let arm = match made_up {
        Some(value) => quote! {
            #action => Some(Checked::#decode::<#request>(body, #value)),
        },
        None => {
            let binding = if inserts.is_empty() {
                quote!(let data)
            } else {
                quote!(let mut data)
            };
            quote! {
                #action => {
                    #binding = serde_json::Map::new();
                    #(#inserts)*
                    Some(Checked::#decode::<#request>(body, serde_json::Value::Object(data))#placed)
                }
            }
        }
    };
    (arm, numbered)
}

/// Whether the client keeps `limit`: a count of calls for the AppId, or for the room or group
/// a request field names. A limit of the test environment (the client cannot tell which
/// environment an AppId is in) or one counted in messages is documentation only.
fn is_kept(limit: &crate::model::CallLimit) -> bool {
    limit.counts == "calls"
        && match limit.scope.as_str() {
            "app" => true,
            "room" | "group" => limit.key.is_some(),
            _ => false,
        }
}

/// The limits the client keeps, longest window first: a call refused by a day's cap is then
/// not counted in its minute's window first.
fn kept_limits(operation: &Operation) -> impl Iterator<Item = &crate::model::CallLimit> {
    let mut kept: Vec<&crate::model::CallLimit> = operation
        .call_limits
        .iter()
        .filter(|limit| is_kept(limit))
        .collect();
    kept.sort_by_key(|limit| std::cmp::Reverse(limit.window_seconds));
    kept.into_iter()
}

/// The codes the action's page lists, as links to their variants.
fn documented_codes_doc(model: &Model, operation: &Operation) -> Vec<String> {
    let named: Vec<String> = operation
        .documented_codes
        .iter()
        .filter_map(|number| model.return_codes.iter().find(|code| code.code == *number))
        .map(|code| {
            format!(
                "[`{0}`](crate::ApiCode::{0}) ({1})",
                code.variant, code.code
            )
        })
        .collect();
    if named.is_empty() {
        return Vec::new();
    }
    vec![
        String::new(),
        format!("Codes its page lists for it: {}.", named.join(", ")),
    ]
}

/// A documented limit in words: `- one group: 1 call per second`.
fn call_limit_text(limit: &crate::model::CallLimit) -> String {
    let scope = match limit.scope.as_str() {
        "room" => "one room",
        "group" => "one group",
        "test-environment" => "the test environment",
        _ => "one AppId",
    };
    let window = super::docs::window_words(limit.window_seconds);
    let what = match (limit.counts.as_str(), limit.count) {
        ("messages", count) => {
            format!("{count} messages (counted in the messages a call asks for, not in calls)")
        }
        (_, 1) => "1 call".to_owned(),
        (_, count) => format!("{count} calls"),
    };
    match &limit.key {
        Some(key) => format!("- {scope} (the request's `{key}`): {what} per {window}"),
        None => format!("- {scope}: {what} per {window}"),
    }
}

/// What the client reads from a request besides its body: the idempotency key that makes
/// retries safe (requests without one are never retried) and the room for tracing.
fn request_info_impl(model: &Model, operation: &Operation) -> TokenStream {
    let request = ident(&model.types[operation.request].name);
    let key = operation.idempotency_key.as_ref().map(|key| {
        let fields: Vec<Ident> = key
            .steps
            .iter()
            .map(|step| ident(&model.field(*step).name.ident))
            .collect();
        quote! {
            const TAKES_IDEMPOTENCY_KEY: bool = true;
            fn idempotency_key(&self) -> Option<&str> {
                self.#(#fields).*.as_deref()
            }
            fn set_idempotency_key(&mut self, key: String) -> bool {
                self.#(#fields).* = Some(key);
                true
            }
        }
    });
    let room = operation.room_id.as_ref().map(|path| {
        let value = match scalar_value(model, path, &quote!(self)) {
            Access::Direct(value) => quote!(Some(#value)),
            Access::Maybe(value) => value,
        };
        quote! {
            fn room_id(&self) -> Option<&str> {
                #value
            }
        }
    });
    let resource = operation.resource_id.as_ref().map(|path| {
        let wire = path.wire.as_str();
        let value = match scalar_value(model, path, &quote!(self)) {
            Access::Direct(value) => quote!(Some((#wire, #value))),
            Access::Maybe(value) => quote!(#value.map(|id| (#wire, id))),
        };
        quote! {
            fn resource_id(&self) -> Option<(&'static str, &str)> {
                #value
            }
        }
    });
    let safe = operation.safe_to_retry.then(|| {
        quote! {
            fn safe_to_retry(&self) -> bool {
                true
            }
        }
    });
    let clock = clock_findings_tokens(model, operation);
    let mut doc = Vec::new();
    if operation.safe_to_retry {
        doc.push(
            "A read-only action (`x-zego-safe-to-retry`): retries are always safe.".to_owned(),
        );
    }
    if let Some(path) = &operation.resource_id {
        doc.push(format!(
            "`{}` (`x-zego-resource-id`) names what the action acts on in tracing spans.",
            path.wire
        ));
    }
    if let Some(key) = &operation.idempotency_key {
        doc.push(format!(
            "`{}` (`x-zego-idempotency-key`) makes retries of this request safe.",
            key.wire
        ));
    }
    if let Some(path) = &operation.room_id {
        doc.push(format!(
            "`{}` (`x-zego-room-id`) names the room in tracing spans.",
            path.wire
        ));
    }
    let doc = doc_attrs(&doc);
    quote! {
        #doc
        impl RequestInfo for #request {
            #key
            #room
            #resource
            #safe
            #clock
        }
    }
}

/// `RequestInfo::clock_findings` from the operation's `x-zego-clock-rules`; nothing without.
fn clock_findings_tokens(model: &Model, operation: &Operation) -> Option<TokenStream> {
    if operation.clock_rules.is_empty() {
        return None;
    }
    let checks = operation.clock_rules.iter().map(|rule| {
        let id = rule.id.as_str();
        let max_age = TokenLiteral::i64_unsuffixed(rule.max_age_ms);
        let at = path_tokens(&rule.field);
        let description = rule.description.trim();
        let violation = violation_constructor(rule.grade);
        let compare = |value: TokenStream| {
            quote! {
                if #value < earliest {
                    out.push(#violation(
                        #at,
                        #id,
                        format!("{} (got {}, earliest accepted now {earliest})", #description, #value),
                    ));
                }
            }
        };
        let check = match scalar_value(model, &rule.field, &quote!(self)) {
            Access::Direct(value) => compare(value),
            Access::Maybe(value) => {
                let inner = compare(quote!(value));
                quote!(if let Some(value) = #value { #inner })
            }
        };
        quote! {
            let earliest = service_now_ms.saturating_sub(#max_age);
            #check
        }
    });
    Some(quote! {
        fn clock_findings(&self, service_now_ms: i64, out: &mut Vec<Violation>) {
            let at = &FieldPath::Root;
            #({ #checks })*
        }
    })
}

fn operation_tokens(model: &Model, operation: &Operation) -> TokenStream {
    let const_name = ident(&operation.const_name);
    let method = format_ident!("{}", operation.method);
    let name = &operation.operation_id;
    let action = &operation.action;
    let path = &operation.path;
    let request = ident(&model.types[operation.request].name);
    let response = ident(&model.types[operation.response].name);
    let data = match &model.types[operation.response].kind {
        TypeKind::Struct(StructDef {
            envelope: Some(envelope),
            ..
        }) => match envelope.data {
            EnvelopeData::Field(field) => match &model.types[operation.response].kind {
                TypeKind::Struct(response) => rust_type(&response.fields[field.0], model),
                TypeKind::Enum(_) | TypeKind::Union(_) => quote!(()),
            },
            EnvelopeData::Beside => quote!(#response),
            EnvelopeData::Nothing => quote!(()),
        },
        _ => {
            let response = ident(&model.types[operation.response].name);
            quote!(#response)
        }
    };
    let rate_limit = option_tokens(operation.rate_limit.map(TokenLiteral::u32_unsuffixed));
    let http_method = operation.http_method.as_str();
    let const_doc = doc_attrs(&[format!(
        "The `{name}` operation (`{http_method} {path}?Action={action}`)."
    )]);
    let method_variant = match operation.http_method {
        HttpMethod::Get => quote!(Method::Get),
        HttpMethod::Post => quote!(Method::Post),
    };
    let hosts = operation.hosts.iter().map(String::as_str);
    let call_limits = kept_limits(operation).map(|limit| {
        let count = TokenLiteral::u32_unsuffixed(limit.count);
        let seconds = TokenLiteral::u64_unsuffixed(limit.window_seconds);
        let key_field = option_tokens(limit.key.as_deref().map(TokenLiteral::string));
        quote!(CallLimit { count: #count, window: Duration::from_secs(#seconds), key_field: #key_field })
    });
    let mut method_doc = Vec::new();
    method_doc.extend(operation.summary.iter().cloned());
    if let Some(description) = &operation.doc {
        method_doc.push(String::new());
        method_doc.extend(description.lines().map(str::to_owned));
    }
    if let Some(limit) = operation.rate_limit {
        method_doc.push(String::new());
        let runtime = RUNTIME_CRATE.replace('-', "_");
        let calls = if limit == 1 { "call" } else { "calls" };
        method_doc.push(format!(
            "Documented limit: {limit} {calls} per second \
             ([`ClientBuilder::rate_limit_per_action`]({runtime}::ClientBuilder::rate_limit_per_action) \
             keeps to it)."
        ));
    }
    let kept: Vec<String> = kept_limits(operation).map(call_limit_text).collect();
    if !kept.is_empty() {
        method_doc.push(String::new());
        method_doc.push(
            "Also documented, and kept by the same switch (a call that would wait longer than \
             the client's `call_limit_wait` fails with `Error::CallLimitReached`):"
                .to_owned(),
        );
        method_doc.extend(kept);
    }
    let documented: Vec<String> = operation
        .call_limits
        .iter()
        .filter(|limit| !is_kept(limit))
        .map(call_limit_text)
        .collect();
    if !documented.is_empty() {
        method_doc.push(String::new());
        method_doc.push(
            "Also documented, and not kept by the client (the service enforces them):".to_owned(),
        );
        method_doc.extend(documented);
    }
    method_doc.extend(documented_codes_doc(model, operation));
    if !operation.preconditions.is_empty() {
        method_doc.extend([String::new(), "# The task".to_owned(), String::new()]);
        for precondition in &operation.preconditions {
            let kind = if precondition.advisory {
                "advisory"
            } else {
                "the service refuses otherwise"
            };
            method_doc.push(format!(
                "- {} ({kind}; the documentation: \"{}\")",
                precondition.description.trim(),
                precondition.source.trim()
            ));
        }
    }
    let before_sending = if kept_limits(operation).next().is_some() {
        "[`Error::Validation`] before sending, or `CallLimitReached` when limits per action are \
         on and a window above is used up for longer than the client waits; afterwards"
    } else {
        "[`Error::Validation`] before sending; afterwards"
    };
    method_doc.extend([
        String::new(),
        "The request is validated first; an invalid request is never sent.".to_owned(),
        String::new(),
        "# Errors".to_owned(),
        String::new(),
        before_sending.to_owned(),
        "`Transport`, `Http`, `ResponseTooLarge`, `Decode`, or `Api` for a non-zero `Code`."
            .to_owned(),
    ]);
    let method_doc = doc_attrs(&method_doc);
    quote! {
        #const_doc
        pub const #const_name: Operation = Operation {
            name: #name,
            action: #action,
            path: #path,
            rate_limit: #rate_limit,
            method: #method_variant,
            hosts: &[#(#hosts),*],
            call_limits: &[#(#call_limits),*],
        };

        impl Client {
            #method_doc
            pub fn #method<'a>(
                &'a self,
                request: &'a #request,
            ) -> impl Future<Output = Result<ApiResponse<#data>, Error>> + Send + 'a {
                self.execute::<_, #response>(&#const_name, request)
            }
        }
    }
}
