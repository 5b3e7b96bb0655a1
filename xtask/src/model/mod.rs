//! Stage 3: turn a resolved OpenAPI document into the generator's own small model (IR).
//!
//! Everything the emitter needs is decided here: which schemas become structs or enums, the
//! fields with their types, constraints and defaults, the cross-field rules with their paths
//! resolved to fields, and the operations. Names stay as the wire spells them; the naming stage
//! turns them into Rust identifiers. A spec feature this generator does not support is an
//! error at its JSON pointer, never a guess.

//! The IR types are in [`ir`]; the builder is split by concern: [`schemas`] lowers schemas,
//! [`rules`] resolves cross-field rules, [`operations`] reads operations,
//! [`service`] reads the hosts and return codes, and [`usage`] marks where each type is used.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use crate::diagnostics::{pointer_join, Diagnostics, Reporter};
use crate::resolve::ResolvedSpec;

mod callbacks;
mod constraints;
mod enums;
mod fields;
mod ir;
mod operation_extensions;
mod operations;
mod query_request;
mod rules;
mod schemas;
mod service;
mod unions;
mod usage;

pub use ir::*;
use rules::RawRule;

/// Builds the model, reporting every problem found rather than stopping at the first.
pub fn build(spec: &ResolvedSpec) -> Result<Model, Diagnostics> {
    let mut builder = Builder {
        spec,
        reporter: Reporter::new(&spec.file),
        types: Vec::new(),
        component_ids: BTreeMap::new(),
        raw_rules: Vec::new(),
    };
    builder.declare_components();
    builder.define_components();
    builder.decide_unions();
    builder.resolve_rules();
    let operations = builder.operations();
    builder.mark_usage(&operations);
    let callbacks = builder.callbacks();
    let servers = builder.servers();
    let return_codes = builder.return_codes();
    let exception_codes = builder.exception_codes();
    builder.check_documented_codes(&operations, &return_codes);
    let rule_ids = rule_ids(&builder.types, &operations);
    let handwritten = builder.handwritten();
    let login_tokens = builder.login_tokens();
    let crate_name = builder.crate_name();
    let info = &spec.document.info;
    let model = Model {
        servers,
        return_codes,
        exception_codes,
        callbacks,
        rule_ids,
        handwritten,
        login_tokens,
        spec_file: spec.file.clone(),
        crate_name,
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        types: builder.types,
        operations,
    };
    builder.reporter.into_result(model)
}

struct Builder<'a> {
    spec: &'a ResolvedSpec,
    reporter: Reporter,
    types: Vec<TypeDef>,
    component_ids: BTreeMap<String, TypeId>,
    /// Rules are resolved after every struct has its fields.
    raw_rules: Vec<(TypeId, String, Vec<RawRule>)>,
}

/// Extensions that the generator reads; anything else starting with `x-zego-` is a typo.
const KNOWN_ZEGO_EXTENSIONS: [&str; 28] = [
    "x-zego-field-name",
    "x-zego-callbacks",
    "x-zego-exception-codes",
    "x-zego-codes",
    "x-zego-upstream",
    "x-zego-upstream-file",
    "x-zego-query-style",
    "x-zego-crate",
    "x-zego-handwritten",
    "x-zego-login-tokens",
    "x-zego-clock-rules",
    "x-zego-deprecated-constructor",
    "x-zego-actions",
    "x-zego-return-codes",
    "x-zego-region",
    "x-zego-rate-limit",
    "x-zego-call-limits",
    "x-zego-resource-id",
    "x-zego-safe-to-retry",
    "x-zego-task-preconditions",
    "x-zego-idempotency-key",
    "x-zego-room-id",
    "x-zego-type-name",
    "x-zego-rules",
    "x-zego-note",
    "x-zego-envelope",
    "x-zego-partial-failures",
    "x-zego-common-param",
];

/// Every id of a rule, precondition or clock rule, once each, where it is first written.
fn rule_ids(types: &[TypeDef], operations: &[Operation]) -> Vec<RuleId> {
    let struct_rules = types.iter().flat_map(|def| match &def.kind {
        TypeKind::Struct(definition) => definition.rules.as_slice(),
        TypeKind::Enum(_) | TypeKind::Union(_) => &[],
    });
    let mut ids: Vec<RuleId> = Vec::new();
    let mut add = |id: &str, description: &str, pointer: &str| {
        if ids.iter().all(|known| known.id != id) {
            ids.push(RuleId {
                id: id.to_owned(),
                description: description.trim().to_owned(),
                pointer: pointer.to_owned(),
                const_name: String::new(),
            });
        }
    };
    for rule in struct_rules {
        add(&rule.id, &rule.description, &rule.pointer);
    }
    for operation in operations {
        for precondition in &operation.preconditions {
            add(
                &precondition.id,
                &precondition.description,
                &precondition.pointer,
            );
        }
        for rule in &operation.clock_rules {
            add(&rule.id, &rule.description, &rule.pointer);
        }
    }
    ids
}

/// The struct or enum a field type finally holds, looking through arrays.
pub fn named_type(ty: &FieldType) -> Option<TypeId> {
    match ty {
        FieldType::Named(id) => Some(*id),
        FieldType::Array { items, .. } => named_type(items),
        FieldType::Map(values) => named_type(values),
        _ => None,
    }
}

#[derive(Clone, Copy)]
struct InlineName<'a> {
    field: &'a str,
    item: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LeafKind {
    Int,
    Number,
    Str,
    Bool,
    IntEnum(TypeId),
    StrEnum(TypeId),
}

fn component_schemas(spec: &ResolvedSpec) -> Vec<(String, &Schema)> {
    let Some(components) = spec.document.components.as_ref() else {
        return Vec::new();
    };
    components
        .schemas
        .iter()
        .filter_map(|(name, schema)| match schema {
            ReferenceOr::Item(schema) => Some((name.clone(), schema)),
            ReferenceOr::Reference { .. } => None,
        })
        .collect()
}

fn empty_struct() -> StructDef {
    StructDef {
        fields: Vec::new(),
        rules: Vec::new(),
        notes: Vec::new(),
        usage: Usage::default(),
        envelope: None,
        deprecated_constructor: None,
        partial_failures: Vec::new(),
    }
}

fn has_enum(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(integer)) => !integer.enumeration.is_empty(),
        SchemaKind::Type(Type::String(string)) => !string.enumeration.is_empty(),
        _ => false,
    }
}

fn note(
    extensions: &indexmap::IndexMap<String, Value>,
    pointer: &str,
    reporter: &mut Reporter,
) -> Option<String> {
    match extensions.get("x-zego-note")? {
        Value::String(text) => Some(text.clone()),
        _ => {
            reporter.at_pointer(
                &pointer_join(pointer, "x-zego-note"),
                "`x-zego-note` must be a string",
            );
            None
        }
    }
}

fn describe_kind(kind: &SchemaKind) -> String {
    match kind {
        SchemaKind::Type(Type::String(_)) => "a string".to_owned(),
        SchemaKind::Type(Type::Number(_)) => "a number".to_owned(),
        SchemaKind::Type(Type::Integer(_)) => "an integer".to_owned(),
        SchemaKind::Type(Type::Object(_)) => "an object".to_owned(),
        SchemaKind::Type(Type::Array(_)) => "an array".to_owned(),
        SchemaKind::Type(Type::Boolean(_)) => "a boolean".to_owned(),
        SchemaKind::OneOf { .. } => "`oneOf`".to_owned(),
        SchemaKind::AllOf { .. } => "`allOf`".to_owned(),
        SchemaKind::AnyOf { .. } => "`anyOf`".to_owned(),
        SchemaKind::Not { .. } => "`not`".to_owned(),
        // openapiv3 reads a `type` it does not know (`long`, `int`) as a schema of any kind.
        SchemaKind::Any(any) if !any.one_of.is_empty() || !any.any_of.is_empty() => {
            let keyword = if any.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            match &any.typ {
                Some(typ) => format!("`type: {typ}` beside `{keyword}` (the alternatives describe the value, so its type is theirs; only `type: object` over object alternatives is read)"),
                None => format!("`{keyword}` beside other keywords"),
            }
        }
        SchemaKind::Any(any) => match &any.typ {
            Some(typ) => format!("unknown type `{typ}`"),
            None => "a schema without a `type`".to_owned(),
        },
    }
}
