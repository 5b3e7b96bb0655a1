//! One published file into the actions it describes: method, `Action`, hosts, query
//! parameters, request and response schemas (with every schema they reach, copied without
//! ZEGOCLOUD's prose and fixed up), and the call frequency limits its text states.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{pointer_join, SpecError};

use super::facts::{self, RateLimits};
use super::fixups::{self, Applied};
use super::source::Files;

/// The common signing parameters, which our spec defines once in the root, in the order
/// every action lists them.
pub const SIGNING_PARAMETERS: [&str; 5] = [
    "AppId",
    "SignatureNonce",
    "Timestamp",
    "SignatureVersion",
    "Signature",
];

/// Where a copied schema came from: the file (as shown) and its component name. Copies name
/// the schemas they reference by this key until the spec set gives each its final name.
pub type SchemaKey = (String, String);

/// What a copied `$ref` holds until [`super::spec_set`] rewrites it.
pub fn placeholder(key: &SchemaKey) -> String {
    format!("{}\u{1}{}", key.0, key.1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// A query parameter of a GET action (the signing parameters and `Action` aside).
#[derive(Debug, Clone)]
pub struct QueryParameter {
    pub name: String,
    pub required: bool,
    pub schema: Value,
    /// `x-docuo-query-serialization`'s style, for lists of objects (`recursive-indexed-dot`).
    pub object_style: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub name: String,
    pub method: Method,
    /// The published file, as shown (relative to the folder imported from).
    pub file: String,
    pub servers: Vec<String>,
    pub query: Vec<QueryParameter>,
    pub body: Option<SchemaKey>,
    pub response: SchemaKey,
    pub limits: RateLimits,
    /// What the import found about the action's limits that a reader must know (sources
    /// that disagree, and which figure was kept), in our words.
    pub limit_notes: Vec<String>,
    /// The codes the table in its reply's `Code` description lists, in that order.
    pub documented_codes: Vec<i64>,
    /// Every schema the action reaches, by key, copied and fixed up.
    pub schemas: BTreeMap<SchemaKey, Value>,
    /// The fix-ups reading the action took.
    pub fixups: Applied,
    /// What reading it left out, located.
    pub findings: Vec<SpecError>,
    /// The checks its request examples contradict, made advisory once every action is read.
    pub contradictions: Vec<super::examples::Found>,
}

/// The actions in one file; a file without operations (a shared file) has none.
pub fn read_file(files: &mut Files, path: &Path) -> Result<Vec<Action>, Vec<SpecError>> {
    let document = files.load(path).map_err(|error| vec![error])?.clone();
    let Some(Value::Mapping(paths)) = document.get("paths") else {
        return Ok(Vec::new());
    };
    let shown = files.display(path);
    let mut actions = Vec::new();
    let mut errors = Vec::new();
    for (route, item) in paths {
        let route = route.as_str().unwrap_or_default();
        for method in ["get", "post", "put", "delete", "patch"] {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let at = pointer_join(&pointer_join(&format!("{shown}#/paths"), route), method);
            let mut reader = Reader {
                files,
                path: path.to_path_buf(),
                shown: shown.clone(),
                applied: Applied::default(),
                schemas: BTreeMap::new(),
                findings: Vec::new(),
            };
            match reader.action(&document, item, operation, method, &at) {
                Ok(found) => actions.extend(found),
                Err(error) => errors.push(error),
            }
        }
    }
    if errors.is_empty() {
        Ok(actions)
    } else {
        Err(errors)
    }
}

struct Reader<'a> {
    files: &'a mut Files,
    path: PathBuf,
    shown: String,
    applied: Applied,
    schemas: BTreeMap<SchemaKey, Value>,
    findings: Vec<SpecError>,
}

/// An error at `place` (`file#/pointer`, as the reader builds its places).
fn error_at(place: &str, message: impl Into<String>) -> SpecError {
    SpecError::at_place(place, "", message)
}

impl Reader<'_> {
    fn action(
        &mut self,
        document: &Value,
        item: &Value,
        operation: &Value,
        method: &str,
        at: &str,
    ) -> Result<Vec<Action>, SpecError> {
        let method = match method {
            "get" => Method::Get,
            "post" => Method::Post,
            other => {
                return Err(error_at(
                    at,
                    format!("unsupported method `{other}`: ZEGOCLOUD server APIs use GET and POST"),
                ));
            }
        };
        let servers = self.servers(document, item, operation, at)?;
        let mut names = Vec::new();
        let mut query = Vec::new();
        let parameters = item
            .get("parameters")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .chain(
                operation
                    .get("parameters")
                    .and_then(Value::as_sequence)
                    .into_iter()
                    .flatten(),
            );
        for (index, parameter) in parameters.enumerate() {
            let parameter_at = format!("{at}/parameters/{index}");
            let (file, parameter) = self.files.follow(&self.path, parameter, &parameter_at)?;
            let Value::Mapping(mut parameter) = parameter else {
                return Err(error_at(&parameter_at, "a parameter must be an object"));
            };
            let parameter_name = parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let location = parameter
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if location != "query" {
                return Err(error_at(
                    &parameter_at,
                    format!("parameter `{parameter_name}` is in `{location}`: only query parameters are supported"),
                ));
            }
            if parameter_name == "Action" {
                names = action_names(&parameter);
                if names.is_empty() {
                    return Err(error_at(
                        &parameter_at,
                        "the `Action` parameter needs a string enum naming the action (one value, or one per action the operation serves)",
                    ));
                }
                continue;
            }
            if SIGNING_PARAMETERS.contains(&parameter_name.as_str()) {
                continue;
            }
            fixups::parameter(&mut parameter, &parameter_at, &mut self.applied);
            let example = parameter.get("example").cloned();
            if let Some(Value::Mapping(schema)) = parameter.get_mut("schema") {
                // A list's items are named by the list (`MuteRoleList[]` holds roles).
                let (schema, at) = match schema.get_mut("items") {
                    Some(Value::Mapping(items)) => (items, format!("{parameter_at}/schema/items")),
                    _ => (schema, format!("{parameter_at}/schema")),
                };
                fixups::number_as_integer(
                    schema,
                    &parameter_name,
                    example.as_ref(),
                    &at,
                    &mut self.applied,
                );
            }
            let required = parameter
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let schema = parameter.get("schema").cloned().unwrap_or(Value::Null);
            let schema = self.copy_schema(&file, &schema, &format!("{parameter_at}/schema"))?;
            let serialization = parameter.get("x-docuo-query-serialization");
            let object_style = serialization
                .and_then(|style| style.get("style"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            // The client counts list items from 0 (`Media.0.FileId`); `indexLabels` only
            // name the indexes in ZEGOCLOUD's text.
            let index_start = serialization.and_then(|style| style.get("indexStart"));
            if index_start.is_some_and(|start| start.as_u64() != Some(0)) {
                return Err(error_at(
                    &format!("{parameter_at}/x-docuo-query-serialization/indexStart"),
                    "unsupported: list indexes in the query that do not start at 0",
                ));
            }
            let query_name = fixups::query_list_name(
                &parameter_name,
                &schema,
                object_style.is_some(),
                &parameter_at,
                &mut self.applied,
            );
            query.push(QueryParameter {
                name: query_name,
                required,
                schema,
                object_style,
            });
        }
        let Some(name) = names.first().cloned() else {
            return Err(error_at(
                at,
                "no `Action` query parameter: the action cannot be routed",
            ));
        };
        if method == Method::Post && !query.is_empty() {
            return Err(error_at(
                at,
                "a POST action with query parameters besides the signing ones is not supported",
            ));
        }
        let body = match operation.get("requestBody") {
            Some(body) if method == Method::Get => {
                let body_at = format!("{at}/requestBody");
                let fields = self.body_as_query(body, &body_at)?;
                query.extend(fields);
                None
            }
            Some(body) => {
                let body_at = format!("{at}/requestBody");
                let schema = body
                    .get("content")
                    .and_then(|content| content.get("application/json"))
                    .and_then(|media| media.get("schema"))
                    .ok_or_else(|| {
                        error_at(
                            &body_at,
                            "the request body needs an `application/json` schema",
                        )
                    })?;
                Some(self.named_schema(
                    schema,
                    &format!("{name}Request"),
                    &format!("{body_at}/content/application~1json/schema"),
                )?)
            }
            None if method == Method::Post => {
                return Err(error_at(at, "a POST action needs a JSON request body"));
            }
            None => None,
        };
        let contradictions = match &body {
            Some(body) => super::examples::contradicted_checks(
                &self.schemas,
                body,
                &super::examples::request_examples(operation),
                &name,
                &self.shown,
            ),
            None => Vec::new(),
        };
        let response_at = format!("{at}/responses/200");
        let response_schema = operation
            .get("responses")
            .and_then(|responses| responses.get("200").or_else(|| responses.get(200)))
            .and_then(|response| response.get("content"))
            .and_then(|content| content.get("application/json"))
            .and_then(|media| media.get("schema"))
            .ok_or_else(|| {
                error_at(
                    &response_at,
                    "the action needs a `200` response with an `application/json` schema",
                )
            })?;
        let response = self.named_schema(
            response_schema,
            &format!("{name}Response"),
            &format!("{response_at}/content/application~1json/schema"),
        )?;
        let text = operation
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut limits = facts::rate_limits(text);
        // Some files state the limit as data: `x-ratelimit-limit` calls per
        // `x-ratelimit-window` seconds.
        let stated = (
            operation.get("x-ratelimit-limit").and_then(Value::as_u64),
            operation.get("x-ratelimit-window").and_then(Value::as_u64),
        );
        if let (None, (Some(count), Some(1))) = (limits.per_second, stated) {
            limits.per_second = u32::try_from(count).ok();
        }
        let documented_codes = self.reply_code_numbers(response_schema, &response_at);
        let first = Action {
            name,
            method,
            file: self.shown.clone(),
            servers,
            query,
            body,
            response,
            limits,
            limit_notes: Vec::new(),
            documented_codes,
            schemas: std::mem::take(&mut self.schemas),
            fixups: std::mem::take(&mut self.applied),
            findings: std::mem::take(&mut self.findings),
            contradictions,
        };
        Ok(one_per_name(first, &names[1..]))
    }

    /// The operation's hosts: its own `servers`, else its path item's, else its document's.
    fn servers(
        &mut self,
        document: &Value,
        item: &Value,
        operation: &Value,
        at: &str,
    ) -> Result<Vec<String>, SpecError> {
        let (servers, servers_at) = [
            (operation.get("servers"), format!("{at}/servers")),
            (
                item.get("servers"),
                format!(
                    "{}/servers",
                    at.rsplit_once('/').map_or(at, |(item, _)| item)
                ),
            ),
            (document.get("servers"), format!("{}#/servers", self.shown)),
        ]
        .into_iter()
        .find_map(|(servers, at)| Some((servers?.clone(), at)))
        .ok_or_else(|| error_at(at, "no `servers`: the action has no host"))?;
        let servers = match servers {
            Value::Mapping(ref map) if map.contains_key("$ref") => {
                self.applied
                    .note(fixups::SERVERS_AS_REFERENCE, servers_at.clone());
                self.files.follow(&self.path, &servers, &servers_at)?.1
            }
            other => other,
        };
        let urls: Vec<String> = servers
            .as_sequence()
            .into_iter()
            .flatten()
            .filter_map(|server| server.get("url").and_then(Value::as_str))
            .map(|url| url.trim_end_matches('/').to_owned())
            .collect();
        if urls.is_empty() {
            return Err(error_at(&servers_at, "`servers` lists no URL"));
        }
        Ok(fixups::own_service_hosts(
            urls,
            &servers_at,
            &mut self.applied,
        ))
    }

    /// The fields of a GET action's body, as the query parameters they are sent as: ZIM's
    /// pages put every parameter of a GET request in the query ([`fixups::GET_BODY_AS_QUERY`]).
    fn body_as_query(&mut self, body: &Value, at: &str) -> Result<Vec<QueryParameter>, SpecError> {
        let schema_at = format!("{at}/content/application~1json/schema");
        let schema = body
            .get("content")
            .and_then(|content| content.get("application/json"))
            .and_then(|media| media.get("schema"))
            .ok_or_else(|| error_at(at, "the request body needs an `application/json` schema"))?;
        let (file, mut schema) = self.files.follow(&self.path, schema, &schema_at)?;
        fixups::schema(&mut schema, &schema_at, &mut self.applied);
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut fields = Vec::new();
        let properties = schema.get("properties").and_then(Value::as_mapping);
        for (name, property) in properties.into_iter().flatten() {
            let name = name.as_str().unwrap_or_default();
            let property_at = pointer_join(&format!("{schema_at}/properties"), name);
            // Fixed up with the whole body above.
            let copied = self.strip(&file, property.clone(), &property_at)?;
            let scalar = copied
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|ty| matches!(ty, "string" | "integer" | "number" | "boolean"));
            if !scalar {
                return Err(error_at(
                    &property_at,
                    format!("a GET action's body field `{name}` is not a single value, so it cannot go in the query"),
                ));
            }
            fields.push(QueryParameter {
                name: name.to_owned(),
                required: required.contains(&name),
                schema: copied,
                object_style: None,
            });
        }
        self.applied.note(fixups::GET_BODY_AS_QUERY, at.to_owned());
        Ok(fields)
    }

    /// The codes the table in the reply's `Code` description lists (In-app Chat lists each
    /// action's codes there), read before the copy drops the prose.
    fn reply_code_numbers(&mut self, schema: &Value, at: &str) -> Vec<i64> {
        let Ok((file, reply)) = self.files.follow(&self.path, schema, at) else {
            return Vec::new();
        };
        let Some(code) = reply.get("properties").and_then(|p| p.get("Code")) else {
            return Vec::new();
        };
        let Ok((_, code)) = self.files.follow(&file, code, at) else {
            return Vec::new();
        };
        code.get("description")
            .and_then(Value::as_str)
            .map(super::pages::code_numbers)
            .unwrap_or_default()
    }

    /// A body schema as a component: the one it references, or an inline schema named `name`.
    fn named_schema(
        &mut self,
        schema: &Value,
        name: &str,
        at: &str,
    ) -> Result<SchemaKey, SpecError> {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return self.component(&self.path.clone(), reference, at);
        }
        let key = (self.shown.clone(), name.to_owned());
        let copied = self.copy_schema(&self.path.clone(), schema, at)?;
        self.schemas.insert(key.clone(), copied);
        Ok(key)
    }

    /// Copies the component `reference` (written in `file`) and everything it reaches.
    fn component(
        &mut self,
        file: &Path,
        reference: &str,
        at: &str,
    ) -> Result<SchemaKey, SpecError> {
        let resolved = self.files.resolve(file, reference, at)?;
        let target_file = resolved.file.clone();
        let target = resolved.value.clone();
        let pointer = reference.split_once('#').map_or("", |(_, pointer)| pointer);
        let Some(name) = pointer.strip_prefix("/components/schemas/") else {
            // A reference into something other than a component: copied in place.
            return Err(error_at(
                at,
                format!("`$ref: {reference}` does not name a component schema"),
            ));
        };
        let key = (self.files.display(&target_file), name.to_owned());
        if self.schemas.contains_key(&key) {
            return Ok(key);
        }
        // Inserted first, so a schema that reaches itself stops here.
        self.schemas.insert(key.clone(), Value::Null);
        let target_at = format!("{}#{pointer}", key.0);
        let copied = self.copy_schema(&target_file, &target, &target_at)?;
        self.schemas.insert(key.clone(), copied);
        Ok(key)
    }

    /// A fixed-up copy of `schema` (written in `file`) without prose, its references replaced by
    /// placeholders of the components they name.
    fn copy_schema(&mut self, file: &Path, schema: &Value, at: &str) -> Result<Value, SpecError> {
        let mut fixed = schema.clone();
        fixups::schema(&mut fixed, at, &mut self.applied);
        self.strip(file, fixed, at)
    }

    fn strip(&mut self, file: &Path, node: Value, at: &str) -> Result<Value, SpecError> {
        let Value::Mapping(map) = node else {
            return Ok(node);
        };
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let key = self.component(file, reference, at)?;
            let mut out = Mapping::new();
            out.insert(Value::from("$ref"), Value::from(placeholder(&key)));
            return Ok(Value::Mapping(out));
        }
        let mut out = Mapping::new();
        for (key, value) in map {
            let Some(name) = key.as_str() else { continue };
            if PROSE.contains(&name) || name.starts_with("x-docuo") {
                continue;
            }
            // Our own extensions, written by a fix-up, stay.
            if name.starts_with("x-zego-") {
                out.insert(Value::from(name), value);
                continue;
            }
            if !fixups::SCHEMA_KEYS.contains(&name) {
                // Only keywords known to hold facts are copied: anything else may be text.
                self.findings.push(error_at(
                    &pointer_join(at, name),
                    format!("left out `{name}`: not a schema keyword the import knows"),
                ));
                continue;
            }
            let value = match name {
                "properties" => {
                    let mut properties = Mapping::new();
                    if let Value::Mapping(items) = value {
                        for (property, schema) in items {
                            let property_at = pointer_join(
                                &format!("{at}/properties"),
                                property.as_str().unwrap_or_default(),
                            );
                            properties.insert(property, self.strip(file, schema, &property_at)?);
                        }
                    }
                    Value::Mapping(properties)
                }
                "items" | "additionalProperties" | "not" => {
                    self.strip(file, value, &format!("{at}/{name}"))?
                }
                "oneOf" | "anyOf" | "allOf" => {
                    let mut branches = Vec::new();
                    for (index, branch) in value
                        .as_sequence()
                        .cloned()
                        .unwrap_or_default()
                        .into_iter()
                        .enumerate()
                    {
                        let title = alternative_title(&branch);
                        let mut branch =
                            self.strip(file, branch, &format!("{at}/{name}/{index}"))?;
                        // An alternative's title is its name (`Tencent`, `Ws`), a fact.
                        if let (Some(title), Value::Mapping(map)) = (title, &mut branch) {
                            map.insert(Value::from("x-zego-type-name"), Value::from(title));
                        }
                        branches.push(branch);
                    }
                    Value::Sequence(branches)
                }
                _ => value,
            };
            out.insert(Value::from(name), value);
        }
        Ok(Value::Mapping(out))
    }
}

/// The title of an inline alternative when it is a name (Latin letters, digits, spaces),
/// in upper camel case.
fn alternative_title(branch: &Value) -> Option<String> {
    let title = branch.get("title")?.as_str()?.trim();
    let usable = title.starts_with(|c: char| c.is_ascii_alphabetic())
        && title
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-'));
    (usable && branch.get("$ref").is_none())
        .then(|| heck::ToUpperCamelCase::to_upper_camel_case(title))
}

/// Keys of ZEGOCLOUD's prose and samples, which our specs do not copy.
const PROSE: [&str; 6] = [
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
];

/// The actions an operation serves: its `Action` parameter's enum (ZEGOCLOUD's
/// `edit-a-message.yaml` serves `EditC2cMsgBody` and `EditGroupMsgBody` with one operation).
fn action_names(parameter: &Mapping) -> Vec<String> {
    let values = parameter
        .get("schema")
        .and_then(|schema| schema.get("enum"))
        .and_then(Value::as_sequence);
    let names: Vec<String> = values
        .into_iter()
        .flatten()
        .map(|value| value.as_str().map(str::to_owned))
        .collect::<Option<_>>()
        .unwrap_or_default();
    names
}

/// One action per name an operation serves: the same request, reply and hosts under each
/// name. A body or reply the file writes inline is named after each action; the fix-ups and
/// findings are the first's, so each counts once.
fn one_per_name(first: Action, others: &[String]) -> Vec<Action> {
    let mut actions = Vec::with_capacity(1 + others.len());
    for name in others {
        let mut action = first.clone();
        action.fixups = Applied::default();
        action.findings = Vec::new();
        action.contradictions = Vec::new();
        for (suffix, key) in [
            ("Request", action.body.as_mut()),
            ("Response", Some(&mut action.response)),
        ] {
            let Some(key) = key else { continue };
            if key.1 != format!("{}{suffix}", first.name) {
                continue;
            }
            let renamed = (key.0.clone(), format!("{name}{suffix}"));
            if let Some(schema) = action.schemas.remove(key) {
                action.schemas.insert(renamed.clone(), schema);
            }
            *key = renamed;
        }
        action.name = name.clone();
        actions.push(action);
    }
    actions.insert(0, first);
    actions
}
