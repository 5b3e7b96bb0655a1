//! Stage 2: follow every `$ref`, reject dangling references and cycles, and give the model
//! stage a document in which every reference is known to land somewhere.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Parameter, ReferenceOr, Schema, SchemaKind, Type};

use crate::diagnostics::{pointer_join, Diagnostics, Reporter};
use crate::load::LoadedSpec;

const SCHEMA_PREFIX: &str = "#/components/schemas/";
const PARAMETER_PREFIX: &str = "#/components/parameters/";

/// A document whose references all resolve.
#[derive(Debug, Clone)]
pub struct ResolvedSpec {
    pub file: String,
    pub document: openapiv3::OpenAPI,
    /// The loaded spec, for its action documents and where each component came from.
    pub loaded: LoadedSpec,
    /// For every component schema: the component it finally stands for once chains of
    /// `$ref`-only schemas (aliases) are followed. Non-alias schemas map to themselves.
    schema_targets: BTreeMap<String, String>,
}

impl ResolvedSpec {
    /// The component a schema reference finally lands on, after aliases.
    pub fn schema_target(&self, reference: &str) -> Option<&str> {
        let name = reference.strip_prefix(SCHEMA_PREFIX)?;
        self.schema_targets.get(name).map(String::as_str)
    }

    /// A component schema by name; `None` for aliases, which never stand for themselves.
    pub fn component_schema(&self, name: &str) -> Option<&Schema> {
        let components = self.document.components.as_ref()?;
        match components.schemas.get(name)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// A parameter, following a reference into `#/components/parameters`.
    pub fn parameter<'a>(
        &'a self,
        parameter: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<(&'a Parameter, String)> {
        match parameter {
            ReferenceOr::Item(item) => Some((item, pointer.to_owned())),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(PARAMETER_PREFIX)?;
                let components = self.document.components.as_ref()?;
                match components.parameters.get(name)? {
                    ReferenceOr::Item(item) => {
                        Some((item, self.loaded.component_pointer("parameters", name)))
                    }
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }
}

/// Checks every reference in the document and computes alias targets.
pub fn resolve(spec: LoadedSpec) -> Result<ResolvedSpec, Diagnostics> {
    let mut reporter = Reporter::new(&spec.file);
    let empty = indexmap::IndexMap::new();
    let schemas = spec
        .document
        .components
        .as_ref()
        .map_or(&empty, |c| &c.schemas);
    let at = |name: &str| spec.component_pointer("schemas", name);

    let schema_targets = alias_targets(schemas, &at, &mut reporter);
    check_nested_references(&spec, schemas, &at, &mut reporter);
    check_parameter_references(&spec, &mut reporter);
    if !reporter.has_errors() {
        check_containment_cycles(schemas, &schema_targets, &at, &mut reporter);
    }
    let document = spec.document.clone();
    reporter.into_result(ResolvedSpec {
        file: spec.file.clone(),
        document,
        loaded: spec,
        schema_targets,
    })
}

fn alias_targets(
    schemas: &indexmap::IndexMap<String, ReferenceOr<Schema>>,
    at: &dyn Fn(&str) -> String,
    reporter: &mut Reporter,
) -> BTreeMap<String, String> {
    let mut targets = BTreeMap::new();
    for start in schemas.keys() {
        let mut seen = vec![start.clone()];
        let mut current = start.clone();
        loop {
            let pointer = at(&current);
            let Some(entry) = schemas.get(&current) else {
                break;
            };
            let ReferenceOr::Reference { reference } = entry else {
                targets.insert(start.clone(), current);
                break;
            };
            let Some(next) = reference.strip_prefix(SCHEMA_PREFIX) else {
                // Reported once, for the component that holds the reference.
                if &current == start {
                    reporter.at_pointer(&pointer, unsupported_reference(reference));
                }
                break;
            };
            if !schemas.contains_key(next) {
                if &current == start {
                    reporter.at_pointer(&pointer, dangling(reference));
                }
                break;
            }
            if seen.iter().any(|name| name == next) {
                // Every member of a cycle reports it, from its own point of view; a chain
                // that merely leads into a cycle reports nothing more.
                if next == start {
                    seen.push(next.to_owned());
                    reporter.at_pointer(&at(start), format!("`$ref` cycle: {}", seen.join(" -> ")));
                }
                break;
            }
            seen.push(next.to_owned());
            current = next.to_owned();
        }
    }
    targets
}

fn check_nested_references(
    spec: &LoadedSpec,
    schemas: &indexmap::IndexMap<String, ReferenceOr<Schema>>,
    at: &dyn Fn(&str) -> String,
    reporter: &mut Reporter,
) {
    for (name, schema) in schemas {
        if let ReferenceOr::Item(schema) = schema {
            walk_schema(schema, &at(name), schemas, reporter);
        }
    }
    for (paths_pointer, document) in spec.operation_documents() {
        check_operation_references(&paths_pointer, document, schemas, reporter);
    }
}

fn check_operation_references(
    paths_pointer: &str,
    document: &openapiv3::OpenAPI,
    schemas: &indexmap::IndexMap<String, ReferenceOr<Schema>>,
    reporter: &mut Reporter,
) {
    for (path, item) in document.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let path_pointer = pointer_join(paths_pointer, path);
        for (method, operation) in item.iter() {
            let op_pointer = pointer_join(&path_pointer, method);
            if let Some(ReferenceOr::Item(body)) = &operation.request_body {
                for (media, content) in &body.content {
                    let media_pointer = pointer_join(
                        &pointer_join(&pointer_join(&op_pointer, "requestBody"), "content"),
                        media,
                    );
                    check_schema_ref(content.schema.as_ref(), &media_pointer, schemas, reporter);
                }
            }
            for (status, response) in &operation.responses.responses {
                let ReferenceOr::Item(response) = response else {
                    continue;
                };
                let status_pointer =
                    pointer_join(&pointer_join(&op_pointer, "responses"), &status.to_string());
                for (media, content) in &response.content {
                    let media_pointer =
                        pointer_join(&pointer_join(&status_pointer, "content"), media);
                    check_schema_ref(content.schema.as_ref(), &media_pointer, schemas, reporter);
                }
            }
        }
    }
}

fn check_schema_ref(
    schema: Option<&ReferenceOr<Schema>>,
    pointer: &str,
    schemas: &indexmap::IndexMap<String, ReferenceOr<Schema>>,
    reporter: &mut Reporter,
) {
    let pointer = pointer_join(pointer, "schema");
    match schema {
        Some(ReferenceOr::Reference { reference }) => {
            check_reference(reference, &pointer, schemas, reporter);
        }
        Some(ReferenceOr::Item(schema)) => walk_schema(schema, &pointer, schemas, reporter),
        None => {}
    }
}

fn check_reference(
    reference: &str,
    pointer: &str,
    schemas: &indexmap::IndexMap<String, ReferenceOr<Schema>>,
    reporter: &mut Reporter,
) {
    match reference.strip_prefix(SCHEMA_PREFIX) {
        Some(name) if schemas.contains_key(name) => {}
        Some(_) => reporter.at_pointer(pointer, dangling(reference)),
        None => reporter.at_pointer(pointer, unsupported_reference(reference)),
    }
}

fn walk_schema(
    schema: &Schema,
    pointer: &str,
    schemas: &indexmap::IndexMap<String, ReferenceOr<Schema>>,
    reporter: &mut Reporter,
) {
    let mut visit = |child: &ReferenceOr<Box<Schema>>, child_pointer: String| match child {
        ReferenceOr::Reference { reference } => {
            check_reference(reference, &child_pointer, schemas, reporter);
        }
        ReferenceOr::Item(inner) => walk_schema(inner, &child_pointer, schemas, reporter),
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            let properties = pointer_join(pointer, "properties");
            for (name, property) in &object.properties {
                visit(property, pointer_join(&properties, name));
            }
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(items) = &array.items {
                visit(items, pointer_join(pointer, "items"));
            }
        }
        SchemaKind::OneOf { one_of: list }
        | SchemaKind::AllOf { all_of: list }
        | SchemaKind::AnyOf { any_of: list } => {
            let keyword = match &schema.schema_kind {
                SchemaKind::OneOf { .. } => "oneOf",
                SchemaKind::AllOf { .. } => "allOf",
                _ => "anyOf",
            };
            for (index, item) in list.iter().enumerate() {
                let item_pointer =
                    pointer_join(&pointer_join(pointer, keyword), &index.to_string());
                match item {
                    ReferenceOr::Reference { reference } => {
                        check_reference(reference, &item_pointer, schemas, reporter);
                    }
                    ReferenceOr::Item(inner) => {
                        walk_schema(inner, &item_pointer, schemas, reporter)
                    }
                }
            }
        }
        _ => {}
    }
}

fn check_parameter_references(spec: &LoadedSpec, reporter: &mut Reporter) {
    let empty = indexmap::IndexMap::new();
    let parameters = spec
        .document
        .components
        .as_ref()
        .map_or(&empty, |c| &c.parameters);
    for (paths_pointer, document) in spec.operation_documents() {
        for (path, item) in document.paths.iter() {
            let path_pointer = pointer_join(&paths_pointer, path);
            let ReferenceOr::Item(item) = item else {
                reporter.at_pointer(&path_pointer, "path item `$ref`s are not supported");
                continue;
            };
            let shared = item
                .parameters
                .iter()
                .enumerate()
                .map(|(index, parameter)| {
                    (
                        parameter,
                        pointer_join(
                            &pointer_join(&path_pointer, "parameters"),
                            &index.to_string(),
                        ),
                    )
                });
            let own = item.iter().flat_map(|(method, operation)| {
                let op_pointer = pointer_join(&path_pointer, method);
                operation
                    .parameters
                    .iter()
                    .enumerate()
                    .map(move |(index, parameter)| {
                        (
                            parameter,
                            pointer_join(
                                &pointer_join(&op_pointer, "parameters"),
                                &index.to_string(),
                            ),
                        )
                    })
            });
            for (parameter, pointer) in shared.chain(own) {
                let ReferenceOr::Reference { reference } = parameter else {
                    continue;
                };
                match reference.strip_prefix(PARAMETER_PREFIX) {
                    Some(name) => match parameters.get(name) {
                        Some(ReferenceOr::Item(_)) => {}
                        Some(ReferenceOr::Reference { .. }) => reporter.at_pointer(
                            &pointer,
                            format!("`{reference}` is itself a reference; parameter aliases are not supported"),
                        ),
                        None => reporter.at_pointer(&pointer, dangling(reference)),
                    },
                    None => reporter.at_pointer(&pointer, unsupported_reference(reference)),
                }
            }
        }
    }
}

/// The components an object holds by value: its `$ref` properties and, through inline
/// object properties (which become structs of their own), theirs.
fn contained_components<'a>(
    object: &openapiv3::ObjectType,
    targets: &'a BTreeMap<String, String>,
    children: &mut Vec<&'a str>,
) {
    for property in object.properties.values() {
        match property {
            ReferenceOr::Reference { reference } => {
                let target = reference
                    .strip_prefix(SCHEMA_PREFIX)
                    .and_then(|child| targets.get(child));
                if let Some(target) = target {
                    children.push(target.as_str());
                }
            }
            ReferenceOr::Item(schema) => {
                if let SchemaKind::Type(Type::Object(inner)) = &schema.schema_kind {
                    contained_components(inner, targets, children);
                }
            }
        }
    }
}

/// A struct that contains itself through non-array properties would have infinite size.
/// Arrays give the needed indirection, so cycles through `items` are fine.
fn check_containment_cycles(
    schemas: &indexmap::IndexMap<String, ReferenceOr<Schema>>,
    targets: &BTreeMap<String, String>,
    at: &dyn Fn(&str) -> String,
    reporter: &mut Reporter,
) {
    let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, schema) in schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            continue;
        };
        let children = edges.entry(name.as_str()).or_default();
        contained_components(object, targets, children);
    }
    let mut reported = BTreeSet::new();
    for start in edges.keys() {
        let mut stack = vec![(*start, vec![*start])];
        let mut visited = BTreeSet::new();
        while let Some((node, trail)) = stack.pop() {
            for child in edges.get(node).into_iter().flatten() {
                if child == start {
                    let mut cycle = trail.clone();
                    cycle.push(child);
                    let mut key: Vec<&str> = cycle.clone();
                    key.sort_unstable();
                    key.dedup();
                    if reported.insert(key) {
                        reporter.at_pointer(
                            &at(start),
                            format!(
                                "`$ref` cycle through properties: {} (a type cannot contain itself; \
                                 put the recursion behind an array)",
                                cycle.join(" -> ")
                            ),
                        );
                    }
                } else if visited.insert(*child) {
                    let mut next = trail.clone();
                    next.push(child);
                    stack.push((child, next));
                }
            }
        }
    }
}

fn dangling(reference: &str) -> String {
    format!("dangling `$ref`: `{reference}` does not exist in this document")
}

fn unsupported_reference(reference: &str) -> String {
    format!(
        "unsupported `$ref` `{reference}`: only local references into `#/components/schemas` \
         and `#/components/parameters` are supported"
    )
}
