//! Operations: the documents of a spec set, the `Action` each operation routes to, its hosts,
//! and its request and response types. Its parameters are read in `query_request.rs`, its
//! extensions in `operation_extensions.rs`; the response envelope (`x-zego-envelope`) with
//! the schemas, in `schemas.rs`.

use openapiv3::ReferenceOr;

use crate::diagnostics::pointer_join;

use super::ir::{FieldType, HttpMethod, Operation, TypeId, TypeKind};
use super::Builder;

impl Builder<'_> {
    pub(super) fn operations(&mut self) -> Vec<Operation> {
        let mut operations = Vec::new();
        let spec = self.spec;
        for action in &spec.loaded.actions {
            self.check_member(action);
        }
        for (paths_pointer, document) in spec.loaded.operation_documents() {
            self.document_operations(&paths_pointer, document, &mut operations);
        }
        for (index, operation) in operations.iter().enumerate() {
            let first = operations[..index]
                .iter()
                .find(|o| o.action == operation.action);
            if let Some(first) = first {
                self.reporter.at_pointer(
                    &operation.pointer,
                    format!(
                        "`Action={}` is routed to `{}` already: every operation needs its own Action",
                        operation.action, first.operation_id
                    ),
                );
            }
        }
        operations
    }

    /// A member of a spec set must describe the same API as its root: the same version, and
    /// only servers the root lists (the client takes its hosts from the root).
    fn check_member(&mut self, action: &crate::load::ActionDocument) {
        let root = &self.spec.document;
        if action.document.info.version != root.info.version {
            self.reporter.at_pointer(
                &format!("{}#/info/version", action.file),
                format!(
                    "version `{}` differs from the root's `{}`; a spec set has one version",
                    action.document.info.version, root.info.version
                ),
            );
        }
        let own_hosts: Vec<&str> = action
            .document
            .paths
            .iter()
            .filter_map(|(_, item)| item.as_item())
            .flat_map(|item| {
                let operations = item
                    .iter()
                    .flat_map(|(_, operation)| operation.servers.iter());
                item.servers.iter().chain(operations)
            })
            .map(|server| server.url.trim_end_matches('/'))
            .collect();
        for (index, server) in action.document.servers.iter().enumerate() {
            let url = server.url.trim_end_matches('/');
            let known = root
                .servers
                .iter()
                .any(|listed| listed.url.trim_end_matches('/') == url)
                || own_hosts.contains(&url);
            if !known {
                self.reporter.at_pointer(
                    &format!("{}#/servers/{index}/url", action.file),
                    format!(
                        "server `{}` is neither one of the root's `servers` nor one of the operation's own",
                        server.url
                    ),
                );
            }
        }
        if action.document.paths.paths.len() != 1 {
            self.reporter.at_pointer(
                &format!("{}#/paths", action.file),
                "an action document describes exactly one operation",
            );
        }
    }

    fn document_operations(
        &mut self,
        paths_pointer: &str,
        document: &openapiv3::OpenAPI,
        operations: &mut Vec<Operation>,
    ) {
        for (path, item) in document.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            let path_pointer = pointer_join(paths_pointer, path);
            self.check_path(path, &path_pointer);
            let item_hosts = self.hosts(&item.servers, &path_pointer);
            let shared: Vec<(&ReferenceOr<openapiv3::Parameter>, String)> = item
                .parameters
                .iter()
                .enumerate()
                .map(|(index, parameter)| {
                    let at = pointer_join(
                        &pointer_join(&path_pointer, "parameters"),
                        &index.to_string(),
                    );
                    (parameter, at)
                })
                .collect();
            for (method, operation) in item.iter() {
                let pointer = pointer_join(&path_pointer, method);
                let http_method = match method {
                    "post" => Some(HttpMethod::Post),
                    "get" => Some(HttpMethod::Get),
                    _ => {
                        // Reported, and the operation still checked, so one run shows every
                        // problem.
                        self.reporter.at_pointer(
                            &pointer,
                            format!("unsupported method `{method}`: ZEGOCLOUD server APIs are called with GET or POST"),
                        );
                        None
                    }
                };
                let context = OperationContext {
                    path,
                    http_method: http_method.unwrap_or(HttpMethod::Post),
                    shared_parameters: &shared,
                    item_hosts: &item_hosts,
                };
                let operation = self.operation(&context, operation, &pointer);
                if let Some(operation) = operation.filter(|_| http_method.is_some()) {
                    operations.push(operation);
                }
            }
        }
    }

    /// Quirk: every ZEGOCLOUD action is `POST /`, told apart by the `Action` query parameter,
    /// and OpenAPI 3.0 allows one POST per path. A made-up path key (`/#StopRecord`,
    /// `/?Action=StopRecord`) would validate, but an HTTP client sends `#…` as a fragment that
    /// never reaches the server and `?…` as a second query: the generated client would call
    /// the wrong thing. Path templates would be sent literally. Both are refused here.
    fn check_path(&mut self, path: &str, pointer: &str) {
        if path.contains(['#', '?']) {
            self.reporter.at_pointer(
                pointer,
                format!(
                    "path `{path}` holds `#` or `?`, which a client sends as a fragment or a query, \
                     not as part of the path; give each action its own document and route it with \
                     the `Action` query parameter"
                ),
            );
        }
        if path.contains(['{', '}']) {
            self.reporter.at_pointer(
                pointer,
                format!(
                    "path `{path}` is a template: path parameters are not supported (ZEGOCLOUD \
                     server APIs take their input in the query and the body)"
                ),
            );
        }
        if !path.starts_with('/') {
            self.reporter
                .at_pointer(pointer, format!("path `{path}` must start with `/`"));
        }
    }

    /// `servers` on a path item or an operation: the action's own hosts, absolute URLs
    /// without variables.
    fn hosts(&mut self, servers: &[openapiv3::Server], pointer: &str) -> Vec<String> {
        let mut hosts = Vec::new();
        for (index, server) in servers.iter().enumerate() {
            let url = server.url.trim_end_matches('/');
            let absolute = url.starts_with("https://") || url.starts_with("http://");
            if !absolute || url.contains(['{', '}']) || server.variables.is_some() {
                let at = pointer_join(
                    &pointer_join(&pointer_join(pointer, "servers"), &index.to_string()),
                    "url",
                );
                self.reporter.at_pointer(
                    &at,
                    format!(
                        "server `{}` must be an absolute http(s) URL without variables",
                        server.url
                    ),
                );
                continue;
            }
            if server.extensions.contains_key("x-zego-region") {
                let at = pointer_join(&pointer_join(pointer, "servers"), &index.to_string());
                self.reporter.at_pointer(
                    &pointer_join(&at, "x-zego-region"),
                    "unsupported: `x-zego-region` on an action's own host; regions are the document's servers, and an action's host for a region is the one whose name ends in the same `-<region>` (else its first)",
                );
            }
            hosts.push(url.to_owned());
        }
        hosts
    }

    fn operation(
        &mut self,
        context: &OperationContext<'_>,
        operation: &openapiv3::Operation,
        pointer: &str,
    ) -> Option<Operation> {
        self.check_extensions(&operation.extensions, pointer);
        let own_hosts = self.hosts(&operation.servers, pointer);
        let hosts = if own_hosts.is_empty() {
            context.item_hosts.to_vec()
        } else {
            own_hosts
        };
        let root_hosts: Vec<&str> = self
            .spec
            .document
            .servers
            .iter()
            .map(|server| server.url.trim_end_matches('/'))
            .collect();
        // Hosts the same as the document's are no hosts of the action's own.
        let same_as_root = hosts.iter().all(|host| root_hosts.contains(&host.as_str()))
            && root_hosts
                .iter()
                .all(|root| hosts.iter().any(|host| host == root));
        let hosts = if same_as_root { Vec::new() } else { hosts };
        let Some(operation_id) = operation.operation_id.clone() else {
            self.reporter.at_pointer(
                pointer,
                "an operation needs an `operationId` (it names the client method)",
            );
            return None;
        };
        let (action, query) = self.parameters(context, operation, pointer);
        let request = match context.http_method {
            HttpMethod::Post => self.request_type(operation, pointer),
            HttpMethod::Get => self.query_request_type(operation, &query, pointer),
        };
        let response = self.response_type(operation, pointer);
        let idempotency_key = match (request, operation.extensions.get("x-zego-idempotency-key")) {
            (Some(request), Some(key)) => Some(self.idempotency_key(request, key, pointer)?),
            _ => None,
        };
        let room_id = match (request, operation.extensions.get("x-zego-room-id")) {
            (Some(request), Some(path)) => {
                Some(self.text_field_path(request, path, pointer, "x-zego-room-id")?)
            }
            _ => None,
        };
        let resource_id = match (request, operation.extensions.get("x-zego-resource-id")) {
            (Some(request), Some(path)) => {
                Some(self.text_field_path(request, path, pointer, "x-zego-resource-id")?)
            }
            _ => None,
        };
        let rate_limit = self.rate_limit(&operation.extensions, pointer);
        let call_limits = self.call_limits(&operation.extensions, pointer);
        let documented_codes = self.documented_codes(&operation.extensions, pointer);
        if let Some(request) = request {
            let at = pointer_join(pointer, "x-zego-call-limits");
            for (index, key) in call_limits
                .iter()
                .enumerate()
                .filter_map(|(index, limit)| Some((index, limit.key.clone()?)))
            {
                let item = pointer_join(&at, &index.to_string());
                self.text_field_path(request, &serde_json::Value::String(key), &item, "key");
            }
        }
        let safe_to_retry = self.flag(&operation.extensions, "x-zego-safe-to-retry", pointer);
        let preconditions = self.preconditions(&operation.extensions, pointer);
        let clock_rules = match (request, operation.extensions.get("x-zego-clock-rules")) {
            (Some(request), Some(raw)) => self.clock_rules(request, raw, pointer),
            _ => Vec::new(),
        };
        Some(Operation {
            method: String::new(),
            const_name: String::new(),
            operation_id,
            pointer: pointer.to_owned(),
            path: context.path.to_owned(),
            http_method: context.http_method,
            hosts,
            action: action?,
            summary: operation.summary.clone(),
            doc: operation.description.clone(),
            request: request?,
            response: response?,
            idempotency_key,
            room_id,
            resource_id,
            rate_limit,
            call_limits,
            documented_codes,
            safe_to_retry,
            preconditions,
            clock_rules,
        })
    }

    fn request_type(&mut self, operation: &openapiv3::Operation, pointer: &str) -> Option<TypeId> {
        let body_pointer = pointer_join(pointer, "requestBody");
        let body = match &operation.request_body {
            Some(ReferenceOr::Item(body)) => body,
            Some(ReferenceOr::Reference { .. }) => {
                self.reporter
                    .at_pointer(&body_pointer, "unsupported: `requestBody` references");
                return None;
            }
            None => {
                self.reporter
                    .at_pointer(pointer, "an operation needs a JSON `requestBody`");
                return None;
            }
        };
        if !body.required {
            self.reporter
                .at_pointer(&body_pointer, "the request body must be `required: true`");
        }
        self.json_object_type(&body.content, &pointer_join(&body_pointer, "content"))
    }

    fn response_type(&mut self, operation: &openapiv3::Operation, pointer: &str) -> Option<TypeId> {
        let responses_pointer = pointer_join(pointer, "responses");
        let mut success = Vec::new();
        for (status, response) in &operation.responses.responses {
            let status_text = status.to_string();
            let at = pointer_join(&responses_pointer, &status_text);
            if status_text.starts_with('2') {
                success.push((at, response));
            }
        }
        if operation.responses.default.is_some() {
            self.reporter.at_pointer(
                &pointer_join(&responses_pointer, "default"),
                "unsupported: a `default` response (errors come in the 200 envelope's `Code`)",
            );
        }
        let [(at, response)] = success.as_slice() else {
            self.reporter.at_pointer(
                &responses_pointer,
                format!(
                    "unsupported: {} success (2xx) responses; exactly one is supported",
                    success.len()
                ),
            );
            return None;
        };
        let ReferenceOr::Item(response) = response else {
            self.reporter
                .at_pointer(at, "unsupported: response references");
            return None;
        };
        let id = self.json_object_type(&response.content, &pointer_join(at, "content"))?;
        let has_envelope =
            matches!(&self.types[id].kind, TypeKind::Struct(s) if s.envelope.is_some());
        if !has_envelope {
            self.reporter.at_pointer(
                at,
                format!(
                    "the response schema `{}` needs `x-zego-envelope` naming its Code, Message, \
                     RequestId and Data fields",
                    self.types[id].source_name
                ),
            );
            return None;
        }
        Some(id)
    }

    fn json_object_type(
        &mut self,
        content: &indexmap::IndexMap<String, openapiv3::MediaType>,
        pointer: &str,
    ) -> Option<TypeId> {
        if content.is_empty() {
            self.reporter.at_pointer(
                pointer,
                "no body: every request and response of a ZEGOCLOUD server API is a JSON body \
                 (`content: application/json`)",
            );
            return None;
        }
        if content.len() != 1 || !content.contains_key("application/json") {
            let types: Vec<&str> = content.keys().map(String::as_str).collect();
            self.reporter.at_pointer(
                pointer,
                format!(
                    "unsupported content types [{}]: exactly `application/json` is supported",
                    types.join(", ")
                ),
            );
            return None;
        }
        let media_pointer = pointer_join(pointer, "application/json");
        let schema_pointer = pointer_join(&media_pointer, "schema");
        let reference = match content
            .get("application/json")
            .and_then(|m| m.schema.as_ref())
        {
            Some(ReferenceOr::Reference { reference }) => reference,
            Some(ReferenceOr::Item(_)) => {
                self.reporter.at_pointer(
                    &schema_pointer,
                    "bodies must `$ref` a schema in `#/components/schemas` (it names the Rust type)",
                );
                return None;
            }
            None => {
                self.reporter
                    .at_pointer(&media_pointer, "a body needs a `schema`");
                return None;
            }
        };
        let id = match self.reference_type(reference, &schema_pointer)? {
            FieldType::Named(id) => id,
            _ => return None,
        };
        if matches!(self.types[id].kind, TypeKind::Struct(_)) {
            return Some(id);
        }
        self.reporter
            .at_pointer(&schema_pointer, "a body must be an object schema");
        None
    }
}

/// What an operation's reading needs from its path item.
pub(super) struct OperationContext<'a> {
    pub(super) path: &'a str,
    pub(super) http_method: HttpMethod,
    pub(super) shared_parameters: &'a [(&'a ReferenceOr<openapiv3::Parameter>, String)],
    /// `servers` on the path item.
    pub(super) item_hosts: &'a [String],
}
