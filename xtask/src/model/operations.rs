//! Operations: the `Action` each one routes to, its request and response types, the common
//! signing parameters and the operation extensions. (The response envelope, `x-zego-envelope`,
//! is read with the schemas, in `schemas.rs`.)

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, SchemaKind, Type};
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::pointer_join;

use super::ir::{
    ClockRule, FieldPath, FieldType, HttpMethod, Operation, Precondition, TypeDef, TypeId,
    TypeKind, COMMON_PARAMETERS,
};
use super::{empty_struct, Builder};

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
            safe_to_retry,
            preconditions,
            clock_rules,
        })
    }

    /// `x-zego-rate-limit`: calls per second, a positive integer.
    fn rate_limit(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        pointer: &str,
    ) -> Option<u32> {
        let value = extensions.get("x-zego-rate-limit")?;
        let limit = value
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .filter(|v| *v > 0);
        if limit.is_none() {
            self.reporter.at_pointer(
                &pointer_join(pointer, "x-zego-rate-limit"),
                "`x-zego-rate-limit` must be a positive whole number of calls per second",
            );
        }
        limit
    }

    /// A boolean extension; absent means false.
    fn flag(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        name: &str,
        pointer: &str,
    ) -> bool {
        match extensions.get(name) {
            None => false,
            Some(Value::Bool(flag)) => *flag,
            Some(_) => {
                self.reporter.at_pointer(
                    &pointer_join(pointer, name),
                    format!("`{name}` must be true or false"),
                );
                false
            }
        }
    }

    /// `x-zego-task-preconditions`: documentation of what the target task must be.
    fn preconditions(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        pointer: &str,
    ) -> Vec<Precondition> {
        let Some(raw) = extensions.get("x-zego-task-preconditions") else {
            return Vec::new();
        };
        let at = pointer_join(pointer, "x-zego-task-preconditions");
        match Vec::<RawPrecondition>::deserialize(raw) {
            Ok(raw) => raw
                .into_iter()
                .enumerate()
                .filter_map(|(index, raw)| {
                    let advisory = match raw.grade.as_str() {
                        "advisory" => true,
                        "rejected" => false,
                        other => {
                            let grade = pointer_join(&pointer_join(&at, &index.to_string()), "grade");
                            self.reporter.at_pointer(
                                &grade,
                                format!("unknown grade `{other}`: a precondition is `rejected` or `advisory`"),
                            );
                            return None;
                        }
                    };
                    Some(Precondition {
                        pointer: pointer_join(&at, &index.to_string()),
                        id: raw.id,
                        advisory,
                        description: raw.description,
                        source: raw.source,
                    })
                })
                .collect(),
            Err(error) => {
                self.reporter.at_pointer(
                    &at,
                    format!("malformed `x-zego-task-preconditions`: {error}"),
                );
                Vec::new()
            }
        }
    }

    /// `x-zego-clock-rules`: each an integer field of the request (Unix milliseconds) that
    /// may lie at most `not_older_than_ms` before the current time.
    fn clock_rules(&mut self, request: TypeId, raw: &Value, pointer: &str) -> Vec<ClockRule> {
        let at = pointer_join(pointer, "x-zego-clock-rules");
        let raw = match Vec::<RawClockRule>::deserialize(raw) {
            Ok(raw) => raw,
            Err(error) => {
                self.reporter
                    .at_pointer(&at, format!("malformed `x-zego-clock-rules`: {error}"));
                return Vec::new();
            }
        };
        let mut rules = Vec::new();
        for (index, raw) in raw.into_iter().enumerate() {
            let item = pointer_join(&at, &index.to_string());
            let Some(grade) = self.grade(&raw.grade, &item, "a clock rule") else {
                continue;
            };
            if raw.not_older_than_ms <= 0 {
                self.reporter.at_pointer(
                    &pointer_join(&item, "not_older_than_ms"),
                    "`not_older_than_ms` must be a positive number of milliseconds",
                );
                continue;
            }
            let Some(field) = self.integer_path(request, &raw.field, &pointer_join(&item, "field"))
            else {
                continue;
            };
            rules.push(ClockRule {
                id: raw.id,
                pointer: item,
                description: raw.description,
                grade,
                source: raw.source,
                field,
                max_age_ms: raw.not_older_than_ms,
            });
        }
        rules
    }

    /// Resolves `x-zego-room-id`: a string field (not a credential).
    /// Resolves `x-zego-room-id` or `x-zego-resource-id`: a string field that is no credential.
    fn text_field_path(
        &mut self,
        request: TypeId,
        path: &Value,
        pointer: &str,
        extension: &str,
    ) -> Option<FieldPath> {
        let at = pointer_join(pointer, extension);
        let Some(wire) = path.as_str() else {
            self.reporter
                .at_pointer(&at, format!("`{extension}` must be a dotted field path"));
            return None;
        };
        let path = self.path(request, wire, &at)?;
        let last = *path.steps.last()?;
        if self
            .struct_field(last)
            .is_some_and(|f| !f.sensitive && f.ty == FieldType::String)
        {
            return Some(path);
        }
        self.reporter.at_pointer(
            &at,
            format!("`{wire}` must be a string field that is not a credential"),
        );
        None
    }

    /// Resolves `x-zego-idempotency-key`: an optional string field reached through required
    /// fields only, so the client can always set it.
    pub(super) fn idempotency_key(
        &mut self,
        request: TypeId,
        key: &Value,
        pointer: &str,
    ) -> Option<FieldPath> {
        let at = pointer_join(pointer, "x-zego-idempotency-key");
        let Some(wire) = key.as_str() else {
            self.reporter
                .at_pointer(&at, "`x-zego-idempotency-key` must be a dotted field path");
            return None;
        };
        let path = self.path(request, wire, &at)?;
        let (last, parents) = path.steps.split_last()?;
        let through_required = parents
            .iter()
            .all(|step| self.struct_field(*step).is_some_and(|f| f.required));
        let usable = self
            .struct_field(*last)
            .is_some_and(|f| !f.required && !f.sensitive && f.ty == FieldType::String);
        if through_required && usable {
            return Some(path);
        }
        self.reporter.at_pointer(
            &at,
            format!(
                "`{wire}` must be an optional string field reached through required fields only"
            ),
        );
        None
    }

    /// Checks that the operation declares the common signing parameters (which the client
    /// fills in) and returns its `Action` value, with a GET operation's other query
    /// parameters (its request's fields). Parameters declared on the path item count too,
    /// unless the operation declares one with the same name and location.
    fn parameters<'s>(
        &mut self,
        context: &OperationContext<'s>,
        operation: &'s openapiv3::Operation,
        pointer: &str,
    ) -> (Option<String>, Vec<QueryParameter>) {
        let shared_parameters = context.shared_parameters;
        let mut query = Vec::new();
        let mut seen: BTreeMap<&str, String> = BTreeMap::new();
        let mut action = None;
        let parameters_pointer = pointer_join(pointer, "parameters");
        let spec = self.spec;
        let own: Vec<(&ReferenceOr<openapiv3::Parameter>, String)> = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(index, parameter)| {
                (
                    parameter,
                    pointer_join(&parameters_pointer, &index.to_string()),
                )
            })
            .collect();
        let key = |parameter: &ReferenceOr<openapiv3::Parameter>, at: &str| {
            spec.parameter(parameter, at).map(|(parameter, _)| {
                let data = parameter.parameter_data_ref();
                (data.name.clone(), std::mem::discriminant(parameter))
            })
        };
        let own_keys: Vec<_> = own.iter().filter_map(|(p, at)| key(p, at)).collect();
        let inherited = shared_parameters
            .iter()
            .filter(|(p, at)| key(p, at).is_none_or(|k| !own_keys.contains(&k)));
        let all: Vec<(&ReferenceOr<openapiv3::Parameter>, String)> = inherited
            .map(|(p, at)| (*p, at.clone()))
            .chain(own.iter().map(|(p, at)| (*p, at.clone())))
            .collect();
        for (parameter, at) in &all {
            let Some((parameter, at)) = spec.parameter(parameter, at) else {
                continue;
            };
            let data = parameter.parameter_data_ref();
            let role = data
                .extensions
                .get("x-zego-common-param")
                .and_then(Value::as_str);
            let Some((role, wire)) =
                role.and_then(|role| COMMON_PARAMETERS.iter().find(|(r, _)| *r == role))
            else {
                if let (HttpMethod::Get, openapiv3::Parameter::Query { style, .. }) =
                    (context.http_method, parameter)
                {
                    query.push(QueryParameter {
                        data: data.clone(),
                        style: style.clone(),
                        pointer: at.clone(),
                    });
                    continue;
                }
                self.reporter.at_pointer(
                    &at,
                    format!(
                        "parameter `{}` is not a common signing parameter: a POST action takes \
                         only the parameters marked `x-zego-common-param` ({}) and sends its \
                         request as a JSON body; a GET action's other query parameters are its \
                         request's fields",
                        data.name,
                        COMMON_PARAMETERS.map(|(role, _)| role).join(", ")
                    ),
                );
                continue;
            };
            if !matches!(parameter, openapiv3::Parameter::Query { .. })
                || data.name != *wire
                || !data.required
            {
                self.reporter.at_pointer(
                    &at,
                    format!(
                        "common parameter `{role}` must be the required query parameter `{wire}`"
                    ),
                );
            }
            if seen.insert(role, at.clone()).is_some() {
                self.reporter
                    .at_pointer(&at, format!("common parameter `{role}` is declared twice"));
            }
            if *role == "action" {
                action = self.action_value(data, &at);
            }
        }
        for (role, wire) in COMMON_PARAMETERS {
            if !seen.contains_key(role) {
                self.reporter.at_pointer(
                    &parameters_pointer,
                    format!("missing common parameter `{wire}` (`x-zego-common-param: {role}`)"),
                );
            }
        }
        (action, query)
    }

    fn action_value(&mut self, data: &openapiv3::ParameterData, pointer: &str) -> Option<String> {
        let single = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                match &schema.schema_kind {
                    SchemaKind::Type(Type::String(string)) if string.enumeration.len() == 1 => {
                        string.enumeration[0].clone()
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if single.is_none() {
            self.reporter.at_pointer(
                pointer,
                "the `Action` parameter must be an inline string schema with exactly one `enum` value",
            );
        }
        single
    }

    /// A GET operation's request: a struct of its query parameters, named after the
    /// operation (`DescribeUsersRequest`), each field under its parameter's name.
    fn query_request_type(
        &mut self,
        operation: &openapiv3::Operation,
        query: &[QueryParameter],
        pointer: &str,
    ) -> Option<TypeId> {
        if operation.request_body.is_some() {
            self.reporter.at_pointer(
                &pointer_join(pointer, "requestBody"),
                "a GET action takes no body: its request is its query parameters",
            );
        }
        let name = format!(
            "{}Request",
            operation.operation_id.as_deref().unwrap_or("Get")
        );
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: String::new(),
            source_name: name,
            pointer: pointer_join(pointer, "parameters"),
            doc: Some(format!(
                "The query parameters of `{}`.",
                operation.operation_id.as_deref().unwrap_or_default()
            )),
            kind: TypeKind::Struct(empty_struct()),
        });
        let mut fields = Vec::new();
        for parameter in query {
            let data = &parameter.data;
            self.check_query_style(parameter);
            let schema = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(schema) => match schema {
                    ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                        reference: reference.clone(),
                    },
                    ReferenceOr::Item(schema) => ReferenceOr::Item(Box::new(schema.clone())),
                },
                openapiv3::ParameterSchemaOrContent::Content(_) => {
                    self.reporter.at_pointer(
                        &parameter.pointer,
                        "unsupported: a query parameter described by `content` instead of `schema`",
                    );
                    continue;
                }
            };
            let at = pointer_join(&parameter.pointer, "schema");
            if let Some(mut field) = self.field(&data.name, &schema, data.required, &at) {
                self.check_query_structure(parameter, &field.ty);
                field.doc = data.description.clone();
                fields.push(field);
            }
        }
        let mut definition = empty_struct();
        definition.fields = fields;
        self.types[id].kind = TypeKind::Struct(definition);
        Some(id)
    }

    /// How a parameter is declared to go into the query: `x-zego-query-style` is
    /// `recursive-indexed-dot` (ZEGOCLOUD's `Name.0.Field=…`) if anything, and a list goes as
    /// `style: form` with `explode: true`. What its value holds is checked once it is typed
    /// (`check_query_structure`).
    fn check_query_style(&mut self, parameter: &QueryParameter) {
        let (data, pointer) = (&parameter.data, parameter.pointer.as_str());
        let style = data
            .extensions
            .get("x-zego-query-style")
            .map(|style| style.as_str());
        if let Some(style) = style.filter(|style| *style != Some("recursive-indexed-dot")) {
            self.reporter.at_pointer(
                &pointer_join(pointer, "x-zego-query-style"),
                format!(
                    "unknown query style {style:?}: the one supported is `recursive-indexed-dot`"
                ),
            );
        }
        let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return;
        };
        let schema = match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self
                .spec
                .schema_target(reference)
                .and_then(|name| self.spec.component_schema(name)),
        };
        let Some(schema) = schema else {
            return;
        };
        // The client writes a list as `style: form` with `explode: true` (one `name=value` per
        // item); a list declared another way (`a,b`, `a|b`, `a b`, `name[key]=`) would be sent
        // wrongly. For a single value every style but `deepObject` writes `name=value`.
        let is_list = matches!(schema.schema_kind, SchemaKind::Type(Type::Array(_)));
        let form = matches!(parameter.style, openapiv3::QueryStyle::Form);
        let deep = matches!(parameter.style, openapiv3::QueryStyle::DeepObject);
        if deep || (is_list && (!form || data.explode == Some(false))) {
            self.reporter.at_pointer(
                pointer,
                format!(
                    "unsupported: query parameter `{}` is written in a way the client does not write (lists go `style: form` with \
                     `explode: true`, single values as `name=value`)",
                    data.name
                ),
            );
        }
    }

    /// Whether the parameter's value has structure (objects, nested lists, maps, any value)
    /// exactly when it declares `x-zego-query-style`. The client writes structure by index and
    /// dot, and plain values and lists of them as `name=value` pairs whatever the style says,
    /// so a style on a plain value would be ignored, and structure without one would be sent
    /// by a convention the spec never stated.
    fn check_query_structure(&mut self, parameter: &QueryParameter, ty: &FieldType) {
        let (name, pointer) = (&parameter.data.name, parameter.pointer.as_str());
        let styled = parameter.data.extensions.contains_key("x-zego-query-style");
        let plain = |ty: &FieldType| self.is_plain_query_value(ty);
        let structured = match ty {
            FieldType::Array { items, .. } => !plain(items),
            other => !plain(other),
        };
        if structured && !styled {
            self.reporter.at_pointer(
                pointer,
                format!(
                    "query parameter `{name}` holds objects, which a query cannot carry without a convention; \
                     set `x-zego-query-style: recursive-indexed-dot` if the service reads `{name}.0.Field=…`"
                ),
            );
        }
        if styled && !structured {
            self.reporter.at_pointer(
                &pointer_join(pointer, "x-zego-query-style"),
                format!(
                    "query parameter `{name}` holds plain values, which the client writes as `{name}=value` \
                     pairs; the style would be ignored, so it is refused"
                ),
            );
        }
    }

    /// A value written as one `name=value` pair: a string, number, boolean or enum.
    fn is_plain_query_value(&self, ty: &FieldType) -> bool {
        match ty {
            FieldType::String
            | FieldType::Integer(_)
            | FieldType::Number(_)
            | FieldType::Boolean => true,
            FieldType::Named(id) => matches!(self.types[*id].kind, TypeKind::Enum(_)),
            FieldType::Array { .. } | FieldType::Map(_) | FieldType::FreeForm | FieldType::Any => {
                false
            }
        }
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

/// One entry of `x-zego-clock-rules`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClockRule {
    id: String,
    description: String,
    grade: String,
    #[serde(default)]
    source: Option<String>,
    field: String,
    not_older_than_ms: i64,
}

/// One entry of `x-zego-task-preconditions`. `when`/`then` state it in the rule grammar
/// (paths may start with `StartRecord.` or `DescribeRecordStatus.`) for readers and tools;
/// the generator documents the entry and evaluates nothing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrecondition {
    id: String,
    description: String,
    grade: String,
    source: String,
    #[serde(default)]
    #[allow(dead_code, reason = "kept for readers of the spec; not evaluated")]
    when: Option<Value>,
    #[serde(default)]
    #[allow(dead_code, reason = "kept for readers of the spec; not evaluated")]
    then: Option<Value>,
}

/// What an operation's reading needs from its path item.
struct OperationContext<'a> {
    path: &'a str,
    http_method: HttpMethod,
    shared_parameters: &'a [(&'a ReferenceOr<openapiv3::Parameter>, String)],
    /// `servers` on the path item.
    item_hosts: &'a [String],
}

/// A query parameter of a GET operation besides the signing ones: a field of its request.
struct QueryParameter {
    data: openapiv3::ParameterData,
    style: openapiv3::QueryStyle,
    pointer: String,
}
