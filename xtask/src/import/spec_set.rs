//! Our spec set from the actions read: the root (hosts with their regions, the common signing
//! parameters, the shared schemas, the return codes) and one document per action, in this
//! project's format and with our own short descriptions.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Location, SpecError};

use super::actions::{Action, Method, SchemaKey, SIGNING_PARAMETERS};
use super::facts;
use super::fixups;
use super::type_names;
use super::{ImportOptions, ImportReport};

/// Where the imported files came from in ZEGOCLOUD's docs repository.
pub struct Upstream {
    /// The folders imported, relative to the repository's root.
    pub folders: Vec<String>,
    /// The commit, when the copy says.
    pub commit: Option<String>,
    /// Each action's file, in the order of the actions.
    pub files: Vec<String>,
    /// `x-zego-return-codes`: the product's own codes.
    pub return_codes: Value,
    /// `x-zego-exception-codes`: the codes of its exception callback.
    pub exception_codes: Value,
    /// What the pages leave unknown (`x-zego-note` on the root).
    pub notes: Vec<String>,
    /// `x-zego-callbacks` and its events' schemas, from the facts file.
    pub callbacks: Option<super::callbacks::CallbacksSpec>,
}

/// The spec set's documents: `(path relative to the spec folder, YAML)`.
pub fn write(
    options: &ImportOptions,
    actions: &[Action],
    upstream: &Upstream,
    report: &mut ImportReport,
) -> Result<Vec<(String, String)>, Vec<SpecError>> {
    let names = final_names(actions, &mut report.fixups);
    let mut clashes = name_clashes(actions, &names);
    clashes.extend(callback_name_clashes(upstream, &names, &options.product));
    if !clashes.is_empty() {
        return Err(clashes);
    }
    let mut placed = Placement::new(actions, &names);
    mark_envelopes(actions, &names, &mut placed, report);
    let root_servers = most_common_servers(actions);
    let mut paths = vec![format!("{}.yaml", options.product)];
    let mut documents = vec![root(options, actions, &root_servers, &placed, upstream)];
    for (action, file) in actions.iter().zip(&upstream.files) {
        paths.push(format!("actions/{}.yaml", action.name));
        let mut document = action_document(options, action, &root_servers, &placed, report);
        mark_upstream_file(&mut document, file);
        documents.push(document);
    }
    type_names::name_inline_types(&mut documents);
    Ok(paths
        .into_iter()
        .zip(documents.iter().map(to_yaml))
        .collect())
}

fn to_yaml(value: &Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    let mut out = Mapping::new();
    for (key, value) in entries {
        out.insert(Value::from(key), value);
    }
    Value::Mapping(out)
}

fn text(value: impl Into<String>) -> Value {
    Value::String(value.into())
}

/// Each schema's name in our spec. A name several source schemas share keeps it when they
/// are the same; otherwise each takes its first action's name as a prefix.
fn final_names(actions: &[Action], applied: &mut fixups::Applied) -> BTreeMap<SchemaKey, String> {
    let mut by_name: BTreeMap<&str, Vec<(&SchemaKey, &Value, &str)>> = BTreeMap::new();
    for action in actions {
        for (key, schema) in &action.schemas {
            let entries = by_name.entry(key.1.as_str()).or_default();
            if entries.iter().all(|(known, _, _)| *known != key) {
                entries.push((key, schema, action.name.as_str()));
            }
        }
    }
    let mut names = BTreeMap::new();
    for (name, entries) in by_name {
        let first = entries[0].1;
        let all_same = entries
            .iter()
            .all(|(_, schema, _)| same_shape(schema, first));
        for (key, _, action) in &entries {
            let name = fixups::component_name(name, action, &key.0, applied);
            let final_name = if all_same {
                name
            } else {
                format!("{action}{name}")
            };
            names.insert((*key).clone(), final_name);
        }
    }
    names
}

/// Two source schemas that differ (by their own keys, or by what their references finally
/// name) but would take one name: only one could be written, and the actions of the other
/// would silently use it. Each such name is an error naming both sources.
fn name_clashes(actions: &[Action], names: &BTreeMap<SchemaKey, String>) -> Vec<SpecError> {
    let finally_named = |value: &Value| -> Value {
        fn rename(value: &Value, names: &BTreeMap<SchemaKey, String>) -> Value {
            match value {
                Value::Mapping(map) => Value::Mapping(
                    map.iter()
                        .map(|(key, value)| {
                            let value = match (key.as_str(), value.as_str()) {
                                (Some("$ref"), Some(reference)) => {
                                    let final_name =
                                        reference.split_once('\u{1}').and_then(|(file, name)| {
                                            names.get(&(file.to_owned(), name.to_owned()))
                                        });
                                    text(final_name.map_or(reference, String::as_str))
                                }
                                _ => rename(value, names),
                            };
                            (key.clone(), value)
                        })
                        .collect(),
                ),
                Value::Sequence(items) => {
                    Value::Sequence(items.iter().map(|item| rename(item, names)).collect())
                }
                other => other.clone(),
            }
        }
        rename(value, names)
    };
    let mut shapes: BTreeMap<&str, (&SchemaKey, Value)> = BTreeMap::new();
    let mut errors = Vec::new();
    for action in actions {
        for (key, schema) in &action.schemas {
            let name = names[key].as_str();
            let shape = finally_named(schema);
            match shapes.get(name) {
                None => {
                    shapes.insert(name, (key, shape));
                }
                Some((first, first_shape)) if *first_shape != shape => {
                    errors.push(SpecError {
                        file: key.0.clone(),
                        location: Location::Pointer(format!("#/components/schemas/{}", key.1)),
                        message: format!(
                            "this schema and {}#/components/schemas/{} differ but would both be named `{name}`, and only one could be written; the import needs a way to tell them apart (`final_names` in xtask/src/import/spec_set.rs)",
                            first.0, first.1
                        ),
                    });
                }
                Some(_) => {}
            }
        }
    }
    errors.dedup();
    errors
}

/// Whether two copies describe the same schema, ignoring which file their references are in.
fn same_shape(a: &Value, b: &Value) -> bool {
    fn normal(value: &Value) -> Value {
        match value {
            Value::Mapping(map) => Value::Mapping(
                map.iter()
                    .map(|(key, value)| {
                        let value = match (key.as_str(), value.as_str()) {
                            (Some("$ref"), Some(reference)) => text(
                                reference
                                    .split_once('\u{1}')
                                    .map_or(reference, |(_, name)| name),
                            ),
                            _ => normal(value),
                        };
                        (key.clone(), value)
                    })
                    .collect(),
            ),
            Value::Sequence(items) => Value::Sequence(items.iter().map(normal).collect()),
            other => other.clone(),
        }
    }
    normal(a) == normal(b)
}

/// Where each named schema goes: the root (shared by several actions, or from a shared file)
/// or one action's document.
struct Placement {
    /// Final name → its schema (placeholders still in), and whether it is in the root.
    schemas: BTreeMap<String, (Value, bool)>,
    /// Source key → final name.
    names: BTreeMap<SchemaKey, String>,
    /// Action → the final names it uses.
    used: BTreeMap<String, BTreeSet<String>>,
}

impl Placement {
    fn new(actions: &[Action], names: &BTreeMap<SchemaKey, String>) -> Self {
        let mut users: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut used: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut schemas = BTreeMap::new();
        for action in actions {
            for (key, schema) in &action.schemas {
                let name = &names[key];
                users.entry(name).or_default().insert(&action.name);
                used.entry(action.name.clone())
                    .or_default()
                    .insert(name.clone());
                let from_shared_file = key.0 != action.file;
                let entry = schemas
                    .entry(name.clone())
                    .or_insert((schema.clone(), false));
                entry.1 |= from_shared_file;
            }
        }
        for (name, (_, in_root)) in &mut schemas {
            *in_root |= users
                .get(name.as_str())
                .is_some_and(|users| users.len() > 1);
        }
        Self {
            schemas,
            names: names.clone(),
            used,
        }
    }

    fn name(&self, key: &SchemaKey) -> &str {
        &self.names[key]
    }

    /// `schema` with each placeholder replaced by a reference that resolves from the root
    /// (`in_root`) or from an action document.
    fn resolve(&self, schema: &Value, product: &str, in_root: bool) -> Value {
        match schema {
            Value::Mapping(map) => {
                let mut out = Mapping::new();
                for (key, value) in map {
                    let replaced = match (key.as_str(), value.as_str()) {
                        (Some("$ref"), Some(reference)) if reference.contains('\u{1}') => {
                            let (file, name) = reference.split_once('\u{1}').unwrap_or_default();
                            let final_name = &self.names[&(file.to_owned(), name.to_owned())];
                            let target_in_root = self.schemas.get(final_name).is_some_and(|s| s.1);
                            let prefix = if target_in_root && !in_root {
                                format!("../{product}.yaml")
                            } else {
                                String::new()
                            };
                            text(format!("{prefix}#/components/schemas/{final_name}"))
                        }
                        _ => self.resolve(value, product, in_root),
                    };
                    out.insert(key.clone(), replaced);
                }
                Value::Mapping(out)
            }
            Value::Sequence(items) => Value::Sequence(
                items
                    .iter()
                    .map(|item| self.resolve(item, product, in_root))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// Marks each response schema as the common envelope (`x-zego-envelope`), with its `Code` an
/// integer and the envelope's fields optional, as error answers may leave them out.
fn mark_envelopes(
    actions: &[Action],
    names: &BTreeMap<SchemaKey, String>,
    placed: &mut Placement,
    report: &mut ImportReport,
) {
    for action in actions {
        let name = &names[&action.response];
        let Some((Value::Mapping(schema), _)) = placed.schemas.get_mut(name) else {
            continue;
        };
        if schema.contains_key("x-zego-envelope") {
            continue;
        }
        let at = format!(
            "{}#/components/schemas/{}",
            action.response.0, action.response.1
        );
        let mut roles = Mapping::new();
        let Some(Value::Mapping(properties)) = schema.get_mut("properties") else {
            report.findings.push(SpecError {
                file: action.file.clone(),
                location: Location::Document,
                message: format!(
                    "the response of {} has no properties: not the common envelope",
                    action.name
                ),
            });
            continue;
        };
        for (role, wire) in [
            ("code", "Code"),
            ("message", "Message"),
            ("request_id", "RequestId"),
            ("data", "Data"),
        ] {
            if let Some(field) = properties.get_mut(wire) {
                if role == "code" {
                    fixups::envelope_code(
                        field,
                        &format!("{at}/properties/Code"),
                        &mut report.fixups,
                    );
                }
                roles.insert(Value::from(role), Value::from(wire));
            } else if role != "data" {
                report.findings.push(SpecError {
                    file: action.file.clone(),
                    location: Location::Pointer(format!(
                        "#/components/schemas/{}",
                        action.response.1
                    )),
                    message: format!("the response of {} has no `{wire}`", action.name),
                });
            }
        }
        mark_partial_failures(properties);
        let lists = super::facts::partial_failure_lists(properties);
        fixups::envelope_required(schema, &at, &mut report.fixups);
        schema.insert(Value::from("x-zego-envelope"), Value::Mapping(roles));
        if !lists.is_empty() {
            schema.insert(
                Value::from("x-zego-partial-failures"),
                Value::Sequence(lists),
            );
        }
    }
}

/// Marks the partial-failure lists of a reply's inline `Data`.
fn mark_partial_failures(properties: &mut Mapping) {
    let Some(Value::Mapping(data)) = properties.get_mut("Data") else {
        return;
    };
    let lists = match data.get("properties") {
        Some(Value::Mapping(fields)) => super::facts::partial_failure_lists(fields),
        _ => Vec::new(),
    };
    if !lists.is_empty() {
        data.insert(
            Value::from("x-zego-partial-failures"),
            Value::Sequence(lists),
        );
    }
}

/// The host list most actions use: the root's `servers`.
fn most_common_servers(actions: &[Action]) -> Vec<String> {
    let mut counts: Vec<(&Vec<String>, usize)> = Vec::new();
    for action in actions {
        match counts
            .iter_mut()
            .find(|(servers, _)| **servers == action.servers)
        {
            Some((_, count)) => *count += 1,
            None => counts.push((&action.servers, 1)),
        }
    }
    counts
        .iter()
        .max_by_key(|(_, count)| *count)
        .map(|(servers, _)| (*servers).clone())
        .unwrap_or_default()
}

fn servers_value(urls: &[String], with_regions: bool) -> Value {
    Value::Sequence(
        urls.iter()
            .map(|url| {
                let region = facts::region(url);
                let mut entries = vec![
                    ("url", text(url.clone())),
                    ("description", text(facts::region_description(region))),
                ];
                if let (true, Some(region)) = (with_regions, region) {
                    entries.push(("x-zego-region", text(region)));
                }
                map(entries)
            })
            .collect(),
    )
}

const SIGNATURE_TEXT: &str = "ZEGOCLOUD server API signature, version 2.0: the lowercase hex MD5 of AppId (decimal), SignatureNonce, the application's ServerSecret and Timestamp (decimal), concatenated without separators. It travels with AppId, SignatureNonce, Timestamp and SignatureVersion=2.0, the common query parameters of every action.\n";

fn security_schemes() -> Value {
    map(vec![(
        "ZegoSignature",
        map(vec![
            ("type", text("apiKey")),
            ("in", text("query")),
            ("name", text("Signature")),
            ("description", text(SIGNATURE_TEXT)),
        ]),
    )])
}

fn common_parameters() -> Value {
    let parameter = |name: &str, role: &str, description: &str, schema: Value| {
        map(vec![
            ("name", text(name)),
            ("in", text("query")),
            ("required", Value::Bool(true)),
            ("description", text(description)),
            ("x-zego-common-param", text(role)),
            ("schema", schema),
        ])
    };
    let schema = |yaml: &str| serde_yaml::from_str::<Value>(yaml).unwrap_or(Value::Null);
    map(vec![
        ("AppId", parameter("AppId", "app-id", "Common parameter: the application's ID, issued by ZEGOCLOUD.", schema("{type: integer, format: uint32, minimum: 0, maximum: 4294967295}"))),
        ("SignatureNonce", parameter("SignatureNonce", "signature-nonce", "Common parameter: 16 lowercase hex digits (8 random bytes), new for every request.", schema("{type: string, minLength: 16, maxLength: 16, pattern: '^[0-9a-f]{16}$'}"))),
        ("Timestamp", parameter("Timestamp", "timestamp", "Common parameter: the Unix time in seconds; the service allows 10 minutes of difference.", schema("{type: integer, format: int64}"))),
        ("SignatureVersion", parameter("SignatureVersion", "signature-version", "Common parameter: the signature version.", schema("{type: string, enum: ['2.0'], default: '2.0'}"))),
        ("Signature", parameter("Signature", "signature", "Common parameter: the request's signature (see the ZegoSignature scheme).", schema("{type: string}"))),
    ])
}

/// `x-zego-upstream-file` on the action's operation: the published file it came from.
fn mark_upstream_file(document: &mut Value, file: &str) {
    let operation = document
        .get_mut("paths")
        .and_then(|paths| paths.get_mut("/"))
        .and_then(Value::as_mapping_mut)
        .and_then(|item| item.values_mut().next());
    if let Some(Value::Mapping(operation)) = operation {
        operation.insert(Value::from("x-zego-upstream-file"), text(file));
    }
}

fn root(
    options: &ImportOptions,
    actions: &[Action],
    servers: &[String],
    placed: &Placement,
    upstream: &Upstream,
) -> Value {
    let description = format!(
        "The ZEGOCLOUD {title} server API as a spec set for `cargo xtask codegen`: this root holds what every action shares (hosts, the common signing parameters, shared schemas, return codes) and `x-zego-actions` lists one document per action. Imported by `cargo xtask import` from ZEGOCLOUD's published OpenAPI files, whose facts it carries (names, types, ranges, enums, required-ness, defaults, call frequency limits, hosts) and whose prose it leaves out; each action names the file it came from. The vendor extensions are described in `spec/cloudrecord/cloudrecord.yaml`. Keep this set by hand from here; to bring it up to date, import again and review the difference (`git diff`, `cargo xtask api-diff`).\n",
        title = options.title
    );
    let schemas: Mapping = placed
        .schemas
        .iter()
        .filter(|(_, (_, in_root))| *in_root)
        .map(|(name, (schema, _))| {
            (
                Value::from(name.as_str()),
                placed.resolve(schema, &options.product, true),
            )
        })
        .collect();
    let mut schemas = schemas;
    for (name, schema) in upstream.callbacks.iter().flat_map(|c| &c.schemas) {
        schemas.insert(Value::from(name.as_str()), schema.clone());
    }
    let mut components = vec![
        ("securitySchemes", security_schemes()),
        ("parameters", common_parameters()),
    ];
    if !schemas.is_empty() {
        components.push(("schemas", Value::Mapping(schemas)));
    }
    let mut entries = vec![
        ("openapi", text("3.0.3")),
        (
            "info",
            map(vec![
                ("title", text(format!("ZEGOCLOUD {} API", options.title))),
                ("version", text(options.version.clone())),
                ("description", text(description)),
                ("contact", contact()),
                ("license", license()),
            ]),
        ),
        ("servers", servers_value(servers, true)),
        ("tags", tags(options)),
        (
            "security",
            serde_yaml::from_str("[{ZegoSignature: []}]").unwrap_or(Value::Null),
        ),
        ("paths", Value::Mapping(Mapping::new())),
        ("x-zego-crate", text(options.crate_name.clone())),
        ("x-zego-upstream", {
            let mut entries = vec![("repository", text("ZEGOCLOUD/docs_all"))];
            if let Some(commit) = &upstream.commit {
                entries.push(("commit", text(commit.clone())));
            }
            entries.push((
                "folders",
                Value::Sequence(upstream.folders.iter().cloned().map(text).collect()),
            ));
            map(entries)
        }),
        (
            "x-zego-actions",
            Value::Sequence(
                actions
                    .iter()
                    .map(|a| text(format!("actions/{}.yaml", a.name)))
                    .collect(),
            ),
        ),
    ];
    if options.login_tokens {
        entries.push(("x-zego-login-tokens", Value::Bool(true)));
    }
    if upstream
        .return_codes
        .as_sequence()
        .is_some_and(|codes| !codes.is_empty())
    {
        entries.push(("x-zego-return-codes", upstream.return_codes.clone()));
    }
    if upstream
        .exception_codes
        .as_sequence()
        .is_some_and(|codes| !codes.is_empty())
    {
        entries.push(("x-zego-exception-codes", upstream.exception_codes.clone()));
    }
    if !upstream.notes.is_empty() {
        entries.push(("x-zego-note", text(upstream.notes.join("\n"))));
    }
    if let Some(callbacks) = &upstream.callbacks {
        entries.push(("x-zego-callbacks", callbacks.extension.clone()));
    }
    entries.push(("components", map(components)));
    map(entries)
}

fn action_document(
    options: &ImportOptions,
    action: &Action,
    root_servers: &[String],
    placed: &Placement,
    report: &mut ImportReport,
) -> Value {
    let product = &options.product;
    let root_ref = |name: &str| {
        map(vec![(
            "$ref",
            text(format!("../{product}.yaml#/components/parameters/{name}")),
        )])
    };
    let mut parameters = vec![map(vec![
        ("name", text("Action")),
        ("in", text("query")),
        ("required", Value::Bool(true)),
        ("description", text("The action to call.")),
        ("x-zego-common-param", text("action")),
        (
            "schema",
            map(vec![
                ("type", text("string")),
                ("enum", Value::Sequence(vec![text(action.name.clone())])),
            ]),
        ),
    ])];
    for name in SIGNING_PARAMETERS {
        parameters.push(root_ref(name));
    }
    for query in &action.query {
        let mut entries = vec![
            ("name", text(query.name.clone())),
            ("in", text("query")),
            ("required", Value::Bool(query.required)),
            ("schema", placed.resolve(&query.schema, product, false)),
        ];
        if let Some(style) = &query.object_style {
            entries.push(("x-zego-query-style", text(style.clone())));
            report.findings.push(SpecError {
                file: action.file.clone(),
                location: Location::Document,
                message: format!(
                    "{}: `{}` is a list of objects in the query (`{style}`)",
                    action.name, query.name
                ),
            });
        }
        parameters.push(map(entries));
    }
    let mut description = format!(
        "`{}` of ZEGOCLOUD's {} server API, imported from ZEGOCLOUD's published file `{}`.\n",
        action.name, options.title, action.file
    );
    if let Some(limit) = action.limits.per_second {
        let calls = if limit == 1 { "call" } else { "calls" };
        description.push_str(&format!(
            "\nCall frequency limit: {limit} {calls} per second for one AppId (all its rooms).\n"
        ));
        for note in &action.limit_notes {
            description.push_str(&format!("\n{note}\n"));
        }
    } else {
        report.findings.push(SpecError {
            file: action.file.clone(),
            location: Location::Document,
            message: format!(
                "{}: no per-second call frequency limit is stated; none is enforced",
                action.name
            ),
        });
    }
    let response_name = placed.name(&action.response);
    let response_ref = local_or_root_ref(placed, response_name, product);
    let mut operation = vec![
        ("tags", Value::Sequence(vec![text(tag_name(options))])),
        ("operationId", text(action.name.clone())),
        ("summary", text(action.name.clone())),
        ("description", text(description)),
    ];
    if let Some(limit) = action.limits.per_second {
        operation.push(("x-zego-rate-limit", Value::from(limit)));
    }
    let own_codes: Vec<Value> = action
        .documented_codes
        .iter()
        .filter(|code| **code != 0 && !(100_000_000..=100_000_017).contains(*code))
        .map(|code| Value::from(*code))
        .collect();
    if !own_codes.is_empty() {
        operation.push(("x-zego-codes", Value::Sequence(own_codes)));
    }
    if !action.limit_notes.is_empty() {
        operation.push(("x-zego-note", text(action.limit_notes.join("\n"))));
    }
    if !action.limits.documented.is_empty() {
        let limits = action.limits.documented.iter().map(|limit| {
            let mut value = limit.to_value();
            if let (Some(key), Value::Mapping(entries)) =
                (limit_key(action, limit.scope), &mut value)
            {
                entries.insert(Value::from("key"), text(key));
            }
            value
        });
        operation.push(("x-zego-call-limits", Value::Sequence(limits.collect())));
    }
    if action.servers != root_servers {
        operation.push(("servers", servers_value(&action.servers, false)));
    }
    operation.push(("parameters", Value::Sequence(parameters)));
    if let Some(body) = &action.body {
        let body_ref = local_or_root_ref(placed, placed.name(body), product);
        operation.push((
            "requestBody",
            map(vec![
                ("required", Value::Bool(true)),
                (
                    "content",
                    map(vec![("application/json", map(vec![("schema", body_ref)]))]),
                ),
            ]),
        ));
    }
    operation.push((
        "responses",
        map(vec![(
            "200",
            map(vec![
                (
                    "description",
                    text("The common envelope: `Code` 0 on success, else a return code."),
                ),
                (
                    "content",
                    map(vec![(
                        "application/json",
                        map(vec![("schema", response_ref)]),
                    )]),
                ),
            ]),
        )]),
    ));
    let method = match action.method {
        Method::Get => "get",
        Method::Post => "post",
    };
    let local: Mapping = placed
        .used
        .get(&action.name)
        .into_iter()
        .flatten()
        .filter_map(|name| {
            let (schema, in_root) = placed.schemas.get(name)?;
            (!in_root).then(|| {
                (
                    Value::from(name.as_str()),
                    placed.resolve(schema, product, false),
                )
            })
        })
        .collect();
    let mut components = vec![("securitySchemes", security_schemes())];
    if !local.is_empty() {
        components.push(("schemas", Value::Mapping(local)));
    }
    map(vec![
        ("openapi", text("3.0.3")),
        (
            "info",
            map(vec![
                ("title", text(format!("ZEGOCLOUD {}: {}", options.title, action.name))),
                ("version", text(options.version.clone())),
                ("description", text(format!("The `{}` action, one document of the spec set whose root is `../{product}.yaml`.\n", action.name))),
                ("contact", contact()),
                ("license", license()),
            ]),
        ),
        ("servers", servers_value(&action.servers[..1], false)),
        ("tags", tags(options)),
        ("security", serde_yaml::from_str("[{ZegoSignature: []}]").unwrap_or(Value::Null)),
        ("paths", map(vec![("/", map(vec![(method, map(operation))]))])),
        ("components", map(components)),
    ])
}

/// The request field whose value a room's or a group's limit is counted for: the query
/// parameter or top-level body property named `RoomId` or `GroupId` (in any case).
fn limit_key(action: &Action, scope: &str) -> Option<String> {
    let wanted = match scope {
        "room" => "roomid",
        "group" => "groupid",
        _ => return None,
    };
    let body_names = action
        .body
        .as_ref()
        .and_then(|body| action.schemas.get(body))
        .and_then(|schema| schema.get("properties"))
        .and_then(Value::as_mapping)
        .into_iter()
        .flat_map(|properties| properties.keys().filter_map(Value::as_str));
    action
        .query
        .iter()
        .map(|query| query.name.as_str())
        .chain(body_names)
        .find(|name| name.to_ascii_lowercase() == wanted)
        .map(str::to_owned)
}

/// An event's schema may not take a name an action's schema has.
fn callback_name_clashes(
    upstream: &Upstream,
    names: &BTreeMap<SchemaKey, String>,
    product: &str,
) -> Vec<SpecError> {
    let taken: BTreeSet<&str> = names.values().map(String::as_str).collect();
    upstream
        .callbacks
        .iter()
        .flat_map(|callbacks| &callbacks.schemas)
        .filter(|(name, _)| taken.contains(name.as_str()))
        .map(|(name, _)| SpecError {
            file: format!("facts/{product}.yaml"),
            location: Location::Document,
            message: format!(
                "the callback schema `{name}` would take the name of an action's schema: rename the event"
            ),
        })
        .collect()
}

fn license() -> Value {
    map(vec![
        ("name", text("MIT OR Apache-2.0")),
        ("url", text("https://spdx.org/licenses/MIT.html")),
    ])
}

fn contact() -> Value {
    map(vec![
        ("name", text("ZEGOCLOUD documentation")),
        ("url", text("https://www.zegocloud.com/docs")),
    ])
}

/// The one tag of a product's operations: its name without spaces.
fn tag_name(options: &ImportOptions) -> String {
    options.title.split_whitespace().collect()
}

fn tags(options: &ImportOptions) -> Value {
    Value::Sequence(vec![map(vec![
        ("name", text(tag_name(options))),
        (
            "description",
            text(format!(
                "The actions of ZEGOCLOUD's {} server API.",
                options.title
            )),
        ),
    ])])
}

fn local_or_root_ref(placed: &Placement, name: &str, product: &str) -> Value {
    let in_root = placed.schemas.get(name).is_some_and(|s| s.1);
    let prefix = if in_root {
        format!("../{product}.yaml")
    } else {
        String::new()
    };
    map(vec![(
        "$ref",
        text(format!("{prefix}#/components/schemas/{name}")),
    )])
}

#[cfg(test)]
mod tests {
    use super::super::actions::placeholder;
    use super::*;

    #[test]
    fn copies_that_differ_only_in_their_reference_files_are_one_schema() {
        let schema = |field: &str, file: &str| {
            let key = (file.to_owned(), "Item".to_owned());
            map(vec![(
                "properties",
                map(vec![(field, map(vec![("$ref", text(placeholder(&key)))]))]),
            )])
        };
        assert!(same_shape(&schema("X", "a.yaml"), &schema("X", "b.yaml")));
        assert!(!same_shape(&schema("X", "a.yaml"), &schema("Y", "b.yaml")));
    }
}
