//! Stage 3: turn a resolved OpenAPI document into the generator's own small model (IR).
//!
//! Everything the emitter needs is decided here: which schemas become structs or enums, the
//! fields with their types, constraints and defaults, the cross-field rules with their paths
//! resolved to fields, and the operations. Names stay as the wire spells them; the naming stage
//! turns them into Rust identifiers. A spec feature this generator does not support is an
//! error at its JSON pointer, never a guess.

use std::collections::BTreeMap;

use openapiv3::{
    IntegerType, ObjectType, ReferenceOr, Schema, SchemaKind, StringType, Type,
    VariantOrUnknownOrEmpty,
};
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::{pointer_join, Diagnostics, Reporter};
use crate::resolve::ResolvedSpec;

/// Index of a type in [`Model::types`].
pub type TypeId = usize;

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The spec file, as named in generated headers.
    pub spec_file: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The schema's name as written in the spec (component key, `x-zego-type-name`, or the
    /// field it was declared inline on).
    pub source_name: String,
    pub pointer: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(StructDef),
    Enum(EnumDef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub fields: Vec<Field>,
    pub rules: Vec<Rule>,
    pub notes: Vec<String>,
    pub usage: Usage,
    /// Set on response schemas that carry the common result envelope.
    pub envelope: Option<Envelope>,
}

/// Where a type is reachable from: request bodies, responses, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub request: bool,
    pub response: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub pointer: String,
    pub doc: Option<String>,
    pub note: Option<String>,
    pub ty: FieldType,
    pub required: bool,
    pub default: Option<Literal>,
    pub constraints: Constraints,
    /// `format: password`: a credential that must never be printed.
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    String,
    Integer(IntFormat),
    Number,
    Boolean,
    Array {
        items: Box<FieldType>,
        item_constraints: Constraints,
    },
    Named(TypeId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntFormat {
    Int32,
    Int64,
    Uint32,
    /// No `format`: the generator uses a 64-bit signed integer, which holds any JSON integer
    /// the service documents.
    Unspecified,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
}

impl Constraints {
    /// The three kinds of bound, each as its lower and upper limit: the one place that pairs
    /// `minimum` with `maximum`, `minLength` with `maxLength`, `minItems` with `maxItems`.
    pub fn bounds(&self) -> [Bound; 3] {
        let count = |value: Option<usize>| value.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
        [
            Bound {
                low: self.minimum,
                high: self.maximum,
                keywords: ("minimum", "maximum"),
                label: "Range",
                unit: "",
            },
            Bound {
                low: count(self.min_length),
                high: count(self.max_length),
                keywords: ("minLength", "maxLength"),
                label: "Length",
                unit: " characters",
            },
            Bound {
                low: count(self.min_items),
                high: count(self.max_items),
                keywords: ("minItems", "maxItems"),
                label: "Items",
                unit: "",
            },
        ]
    }
}

/// A lower and upper limit of one kind (see [`Constraints::bounds`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    pub low: Option<i64>,
    pub high: Option<i64>,
    /// The OpenAPI keywords of the two limits.
    pub keywords: (&'static str, &'static str),
    /// How documentation names the bound, e.g. `Range`.
    pub label: &'static str,
    /// The unit documentation puts after a limit, e.g. ` characters`.
    pub unit: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Literal {
    Int(i64),
    Str(String),
    Bool(bool),
}

impl std::fmt::Display for Literal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Int(value) => write!(f, "{value}"),
            Self::Str(value) => write!(f, "{value:?}"),
            Self::Bool(value) => write!(f, "{value}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub repr: EnumRepr,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    Integer,
    String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub value: Literal,
    /// From `x-enum-varnames`, if the spec names the variant.
    pub name: Option<String>,
    pub doc: Option<String>,
}

/// A cross-field rule from `x-zego-rules`, with its paths resolved to fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub description: String,
    pub when: Vec<Condition>,
    pub then: Vec<Assertion>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The field's effective value (explicit, else its default) is one of `values`.
    OneOf {
        path: FieldPath,
        values: Vec<Literal>,
    },
    /// Some item of the array satisfies the condition (relative to the item).
    Any {
        array: FieldPath,
        item: Box<Condition>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Assertion {
    Holds(Condition),
    Present(FieldPath),
    ProductAtMost {
        factors: [FieldPath; 2],
        maximum: i64,
    },
    LessOrEqual {
        left: FieldPath,
        right: FieldPath,
    },
    CountAtMost {
        array: FieldPath,
        item: Condition,
        maximum: i64,
    },
}

/// A dotted path from a struct to one of its (possibly nested) fields.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    /// As written in the spec, e.g. `MixConfig.MixOutputVideoConfig`.
    pub wire: String,
    pub steps: Vec<PathStep>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathStep {
    pub owner: TypeId,
    pub field: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub code: usize,
    pub message: usize,
    pub request_id: usize,
    pub data: usize,
    pub data_type: TypeId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub operation_id: String,
    pub pointer: String,
    pub path: String,
    /// The value of the `Action` query parameter.
    pub action: String,
    pub summary: Option<String>,
    pub doc: Option<String>,
    pub request: TypeId,
    pub response: TypeId,
    /// `x-zego-idempotency-key`: the request field that makes retries safe.
    pub idempotency_key: Option<FieldPath>,
    /// `x-zego-room-id`: the request field recorded as `room_id` on tracing spans.
    pub room_id: Option<FieldPath>,
}

/// Names of the common signing parameters and the wire names the client sends for them.
/// The runtime signs with exactly these names, so the spec must agree with it.
pub const COMMON_PARAMETERS: [(&str, &str); 6] = [
    ("action", "Action"),
    ("app-id", "AppId"),
    ("signature-nonce", "SignatureNonce"),
    ("timestamp", "Timestamp"),
    ("signature-version", "SignatureVersion"),
    ("signature", "Signature"),
];

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
    builder.resolve_rules();
    let operations = builder.operations();
    builder.mark_usage(&operations);
    let info = &spec.document.info;
    let model = Model {
        spec_file: spec.file.clone(),
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
const KNOWN_ZEGO_EXTENSIONS: [&str; 7] = [
    "x-zego-idempotency-key",
    "x-zego-room-id",
    "x-zego-type-name",
    "x-zego-rules",
    "x-zego-note",
    "x-zego-envelope",
    "x-zego-common-param",
];

impl Builder<'_> {
    /// Gives every component schema a type id first, so fields can refer to types defined
    /// later in the document.
    fn declare_components(&mut self) {
        for (name, schema) in component_schemas(self.spec) {
            let pointer = pointer_join("#/components/schemas", &name);
            let kind = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(_)) => TypeKind::Struct(empty_struct()),
                SchemaKind::Type(Type::Integer(_) | Type::String(_)) if has_enum(schema) => {
                    TypeKind::Enum(EnumDef {
                        repr: EnumRepr::Integer,
                        variants: Vec::new(),
                    })
                }
                other => {
                    self.reporter.at_pointer(
                        &pointer,
                        format!(
                            "unsupported component schema ({}): components must be objects or enums",
                            describe_kind(other)
                        ),
                    );
                    continue;
                }
            };
            let id = self.types.len();
            let source_name = match schema.schema_data.extensions.get("x-zego-type-name") {
                Some(Value::String(rename)) if !rename.trim().is_empty() => rename.clone(),
                _ => name.clone(),
            };
            self.types.push(TypeDef {
                source_name,
                pointer,
                doc: schema.schema_data.description.clone(),
                kind,
            });
            self.component_ids.insert(name, id);
        }
    }

    fn define_components(&mut self) {
        for (name, schema) in component_schemas(self.spec) {
            let Some(&id) = self.component_ids.get(&name) else {
                continue;
            };
            let pointer = self.types[id].pointer.clone();
            self.check_extensions(&schema.schema_data.extensions, &pointer);
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => {
                    let definition = self.struct_def(id, schema, object, &pointer);
                    self.types[id].kind = TypeKind::Struct(definition);
                }
                _ => {
                    if let Some(definition) = self.enum_def(schema, &pointer) {
                        self.types[id].kind = TypeKind::Enum(definition);
                    }
                }
            }
        }
    }

    fn check_extensions(&mut self, extensions: &indexmap::IndexMap<String, Value>, pointer: &str) {
        for key in extensions.keys() {
            if key.starts_with("x-zego-") && !KNOWN_ZEGO_EXTENSIONS.contains(&key.as_str()) {
                self.reporter.at_pointer(
                    &pointer_join(pointer, key),
                    format!(
                        "unknown extension `{key}` (known: {})",
                        KNOWN_ZEGO_EXTENSIONS.join(", ")
                    ),
                );
            }
        }
    }

    fn struct_def(
        &mut self,
        id: TypeId,
        schema: &Schema,
        object: &ObjectType,
        pointer: &str,
    ) -> StructDef {
        self.reject_object_features(object, pointer);
        self.reject_common_features(schema, pointer);
        let properties = pointer_join(pointer, "properties");
        for required in &object.required {
            if !object.properties.contains_key(required) {
                self.reporter.at_pointer(
                    &pointer_join(pointer, "required"),
                    format!("`{required}` is listed as required but is not a property"),
                );
            }
        }
        let mut fields = Vec::new();
        for (wire_name, property) in &object.properties {
            let field_pointer = pointer_join(&properties, wire_name);
            let required = object.required.iter().any(|r| r == wire_name);
            if let Some(field) = self.field(wire_name, property, required, &field_pointer) {
                fields.push(field);
            }
        }
        let extensions = &schema.schema_data.extensions;
        if let Some(rules) = extensions.get("x-zego-rules") {
            let rules_pointer = pointer_join(pointer, "x-zego-rules");
            match Vec::<RawRule>::deserialize(rules) {
                Ok(rules) => self.raw_rules.push((id, rules_pointer, rules)),
                Err(error) => self
                    .reporter
                    .at_pointer(&rules_pointer, format!("malformed `x-zego-rules`: {error}")),
            }
        }
        let notes = note(extensions, pointer, &mut self.reporter)
            .into_iter()
            .collect();
        StructDef {
            envelope: self.envelope(extensions, &fields, pointer),
            fields,
            rules: Vec::new(),
            notes,
            usage: Usage::default(),
        }
    }

    fn reject_object_features(&mut self, object: &ObjectType, pointer: &str) {
        match &object.additional_properties {
            None | Some(openapiv3::AdditionalProperties::Any(false)) => {}
            Some(_) => self.reporter.at_pointer(
                &pointer_join(pointer, "additionalProperties"),
                "unsupported: `additionalProperties` (maps) is not supported; list the properties",
            ),
        }
        if object.min_properties.is_some() || object.max_properties.is_some() {
            self.reporter.at_pointer(
                pointer,
                "unsupported: `minProperties`/`maxProperties` are not supported",
            );
        }
    }

    fn reject_common_features(&mut self, schema: &Schema, pointer: &str) {
        if schema.schema_data.nullable {
            self.reporter.at_pointer(
                &pointer_join(pointer, "nullable"),
                "unsupported: `nullable` is not supported; leave the field out of `required` instead",
            );
        }
        if schema.schema_data.discriminator.is_some() {
            self.reporter.at_pointer(
                &pointer_join(pointer, "discriminator"),
                "unsupported: `discriminator`",
            );
        }
    }

    fn envelope(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        fields: &[Field],
        pointer: &str,
    ) -> Option<Envelope> {
        let raw = extensions.get("x-zego-envelope")?;
        let envelope_pointer = pointer_join(pointer, "x-zego-envelope");
        let raw = match RawEnvelope::deserialize(raw) {
            Ok(raw) => raw,
            Err(error) => {
                self.reporter.at_pointer(
                    &envelope_pointer,
                    format!("malformed `x-zego-envelope`: {error}"),
                );
                return None;
            }
        };
        let mut find = |role: &str, wire: &str, expected: fn(&FieldType) -> bool, kind: &str| {
            let found = fields.iter().position(|f| f.wire_name == wire);
            match found {
                Some(index) if expected(&fields[index].ty) => Some(index),
                Some(_) => {
                    self.reporter.at_pointer(
                        &pointer_join(&envelope_pointer, role),
                        format!("envelope field `{wire}` must be {kind}"),
                    );
                    None
                }
                None => {
                    self.reporter.at_pointer(
                        &pointer_join(&envelope_pointer, role),
                        format!("envelope field `{wire}` is not a property of this schema"),
                    );
                    None
                }
            }
        };
        let code = find(
            "code",
            &raw.code,
            |t| matches!(t, FieldType::Integer(_)),
            "an integer",
        );
        let message = find(
            "message",
            &raw.message,
            |t| matches!(t, FieldType::String),
            "a string",
        );
        let request_id = find(
            "request_id",
            &raw.request_id,
            |t| matches!(t, FieldType::String),
            "a string",
        );
        let data = find(
            "data",
            &raw.data,
            |t| matches!(t, FieldType::Named(_)),
            "an object",
        );
        let (code, message, request_id, data) = (code?, message?, request_id?, data?);
        let FieldType::Named(data_type) = fields[data].ty else {
            return None;
        };
        for (role, index) in [
            ("code", code),
            ("message", message),
            ("request_id", request_id),
            ("data", data),
        ] {
            if fields[index].required {
                self.reporter.at_pointer(
                    &pointer_join(&envelope_pointer, role),
                    format!(
                        "envelope field `{}` must be optional: error answers may leave it out",
                        fields[index].wire_name
                    ),
                );
            }
        }
        Some(Envelope {
            code,
            message,
            request_id,
            data,
            data_type,
        })
    }

    fn field(
        &mut self,
        wire_name: &str,
        property: &ReferenceOr<Box<Schema>>,
        required: bool,
        pointer: &str,
    ) -> Option<Field> {
        let (ty, schema) = match property {
            ReferenceOr::Reference { reference } => {
                (self.reference_type(reference, pointer)?, None)
            }
            ReferenceOr::Item(schema) => {
                let hint = InlineName {
                    field: wire_name,
                    item: false,
                };
                (
                    self.inline_type(schema, hint, pointer)?,
                    Some(schema.as_ref()),
                )
            }
        };
        let Some(schema) = schema else {
            return Some(Field {
                wire_name: wire_name.to_owned(),
                pointer: pointer.to_owned(),
                doc: None,
                note: None,
                ty,
                required,
                default: None,
                constraints: Constraints::default(),
                sensitive: false,
            });
        };
        self.check_extensions(&schema.schema_data.extensions, pointer);
        let constraints = self.constraints(schema, pointer);
        let default =
            schema.schema_data.default.as_ref().and_then(|value| {
                self.default_literal(&ty, value, &pointer_join(pointer, "default"))
            });
        let sensitive = matches!(
            &schema.schema_kind,
            SchemaKind::Type(Type::String(StringType {
                format: VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password),
                ..
            }))
        );
        Some(Field {
            wire_name: wire_name.to_owned(),
            pointer: pointer.to_owned(),
            doc: schema.schema_data.description.clone(),
            note: note(&schema.schema_data.extensions, pointer, &mut self.reporter),
            ty,
            required,
            default,
            constraints,
            sensitive,
        })
    }

    fn reference_type(&mut self, reference: &str, pointer: &str) -> Option<FieldType> {
        let target = self.spec.schema_target(reference);
        match target.and_then(|name| self.component_ids.get(name)) {
            Some(&id) => Some(FieldType::Named(id)),
            None => {
                // Resolve has reported dangling references and the declare pass unsupported
                // components; this is only reached for references into those.
                self.reporter.at_pointer(
                    pointer,
                    format!("`{reference}` does not name a usable object or enum schema"),
                );
                None
            }
        }
    }

    fn inline_type(
        &mut self,
        schema: &Schema,
        hint: InlineName<'_>,
        pointer: &str,
    ) -> Option<FieldType> {
        self.reject_common_features(schema, pointer);
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if has_enum(schema) {
                    return self.inline_enum(schema, hint, pointer);
                }
                if string.pattern.is_some() {
                    self.reporter.at_pointer(
                        &pointer_join(pointer, "pattern"),
                        "unsupported: `pattern` on request fields is not supported",
                    );
                }
                Some(FieldType::String)
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                if has_enum(schema) {
                    return self.inline_enum(schema, hint, pointer);
                }
                if integer.multiple_of.is_some() {
                    self.reporter.at_pointer(
                        &pointer_join(pointer, "multipleOf"),
                        "unsupported: `multipleOf`",
                    );
                }
                Some(FieldType::Integer(self.int_format(integer, pointer)?))
            }
            SchemaKind::Type(Type::Number(number)) => {
                if number.minimum.is_some()
                    || number.maximum.is_some()
                    || number.multiple_of.is_some()
                {
                    self.reporter.at_pointer(
                        pointer,
                        "unsupported: bounds on `number` fields are not supported (use `integer`)",
                    );
                }
                if !number.enumeration.is_empty() {
                    self.reporter.at_pointer(
                        &pointer_join(pointer, "enum"),
                        "unsupported: `enum` on `number` fields",
                    );
                }
                Some(FieldType::Number)
            }
            SchemaKind::Type(Type::Boolean(boolean)) => {
                if !boolean.enumeration.is_empty() {
                    self.reporter.at_pointer(
                        &pointer_join(pointer, "enum"),
                        "unsupported: `enum` on `boolean` fields",
                    );
                }
                Some(FieldType::Boolean)
            }
            SchemaKind::Type(Type::Array(array)) => {
                if array.unique_items {
                    self.reporter.at_pointer(
                        &pointer_join(pointer, "uniqueItems"),
                        "unsupported: `uniqueItems`",
                    );
                }
                let items_pointer = pointer_join(pointer, "items");
                let (items, item_constraints) = match &array.items {
                    None => {
                        self.reporter
                            .at_pointer(pointer, "an array must declare its `items`");
                        return None;
                    }
                    Some(ReferenceOr::Reference { reference }) => (
                        self.reference_type(reference, &items_pointer)?,
                        Constraints::default(),
                    ),
                    Some(ReferenceOr::Item(items)) => {
                        let item_hint = InlineName { item: true, ..hint };
                        let ty = self.inline_type(items, item_hint, &items_pointer)?;
                        (ty, self.constraints(items, &items_pointer))
                    }
                };
                Some(FieldType::Array {
                    items: Box::new(items),
                    item_constraints,
                })
            }
            SchemaKind::Type(Type::Object(object)) => {
                let name = self.inline_name(schema, hint, pointer)?;
                let id = self.types.len();
                self.types.push(TypeDef {
                    source_name: name.clone(),
                    pointer: pointer.to_owned(),
                    doc: schema.schema_data.description.clone(),
                    kind: TypeKind::Struct(empty_struct()),
                });
                let definition = self.struct_def(id, schema, object, pointer);
                self.types[id].kind = TypeKind::Struct(definition);
                Some(FieldType::Named(id))
            }
            other => {
                self.reporter.at_pointer(
                    pointer,
                    format!("unsupported schema: {} (supported: string, integer, number, boolean, array, object, $ref)", describe_kind(other)),
                );
                None
            }
        }
    }

    fn int_format(&mut self, integer: &IntegerType, pointer: &str) -> Option<IntFormat> {
        match &integer.format {
            VariantOrUnknownOrEmpty::Empty => Some(IntFormat::Unspecified),
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                Some(IntFormat::Int32)
            }
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => {
                Some(IntFormat::Int64)
            }
            VariantOrUnknownOrEmpty::Unknown(format) if format == "uint32" => {
                Some(IntFormat::Uint32)
            }
            VariantOrUnknownOrEmpty::Unknown(format) => {
                self.reporter.at_pointer(
                    &pointer_join(pointer, "format"),
                    format!(
                        "unsupported integer format `{format}` (supported: int32, int64, uint32)"
                    ),
                );
                None
            }
        }
    }

    fn inline_name(
        &mut self,
        schema: &Schema,
        hint: InlineName<'_>,
        pointer: &str,
    ) -> Option<String> {
        match schema.schema_data.extensions.get("x-zego-type-name") {
            Some(Value::String(name)) if !name.trim().is_empty() => Some(name.clone()),
            Some(_) => {
                self.reporter.at_pointer(
                    &pointer_join(pointer, "x-zego-type-name"),
                    "`x-zego-type-name` must be a non-empty string",
                );
                None
            }
            None if hint.item => Some(format!("{}Item", hint.field)),
            None => Some(hint.field.to_owned()),
        }
    }

    fn inline_enum(
        &mut self,
        schema: &Schema,
        hint: InlineName<'_>,
        pointer: &str,
    ) -> Option<FieldType> {
        let name = self.inline_name(schema, hint, pointer)?;
        let definition = self.enum_def(schema, pointer)?;
        let id = self.types.len();
        self.types.push(TypeDef {
            source_name: name,
            pointer: pointer.to_owned(),
            doc: schema.schema_data.description.clone(),
            kind: TypeKind::Enum(definition),
        });
        Some(FieldType::Named(id))
    }

    fn enum_def(&mut self, schema: &Schema, pointer: &str) -> Option<EnumDef> {
        let enum_pointer = pointer_join(pointer, "enum");
        let (repr, values): (EnumRepr, Vec<Option<Literal>>) = match &schema.schema_kind {
            SchemaKind::Type(Type::Integer(integer)) => (
                EnumRepr::Integer,
                integer
                    .enumeration
                    .iter()
                    .map(|v| v.map(Literal::Int))
                    .collect(),
            ),
            SchemaKind::Type(Type::String(string)) => (
                EnumRepr::String,
                string
                    .enumeration
                    .iter()
                    .map(|v| v.clone().map(Literal::Str))
                    .collect(),
            ),
            other => {
                self.reporter.at_pointer(
                    pointer,
                    format!("unsupported enum of {}", describe_kind(other)),
                );
                return None;
            }
        };
        let mut literals = Vec::new();
        for (index, value) in values.into_iter().enumerate() {
            match value {
                Some(value) if literals.contains(&value) => self.reporter.at_pointer(
                    &pointer_join(&enum_pointer, &index.to_string()),
                    format!("duplicate enum value {value}"),
                ),
                Some(value) => literals.push(value),
                None => self.reporter.at_pointer(
                    &pointer_join(&enum_pointer, &index.to_string()),
                    "unsupported: `null` in an enum",
                ),
            }
        }
        if literals.is_empty() {
            self.reporter
                .at_pointer(&enum_pointer, "an enum needs at least one value");
            return None;
        }
        let extensions = &schema.schema_data.extensions;
        let names =
            self.parallel_strings(extensions, "x-enum-varnames", literals.len(), pointer)?;
        let docs =
            self.parallel_strings(extensions, "x-enum-descriptions", literals.len(), pointer)?;
        let variants = literals
            .into_iter()
            .enumerate()
            .map(|(index, value)| Variant {
                value,
                name: names.as_ref().map(|n| n[index].clone()),
                doc: docs.as_ref().map(|d| d[index].clone()),
            })
            .collect();
        Some(EnumDef { repr, variants })
    }

    /// Reads an extension that must be a list of strings with one entry per enum value.
    fn parallel_strings(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        key: &str,
        expected: usize,
        pointer: &str,
    ) -> Option<Option<Vec<String>>> {
        let Some(value) = extensions.get(key) else {
            return Some(None);
        };
        let key_pointer = pointer_join(pointer, key);
        let strings: Option<Vec<String>> = value.as_array().and_then(|items| {
            items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect()
        });
        match strings {
            Some(strings) if strings.len() == expected => Some(Some(strings)),
            Some(strings) => {
                self.reporter.at_pointer(
                    &key_pointer,
                    format!(
                        "`{key}` has {} entries but `enum` has {expected}",
                        strings.len()
                    ),
                );
                None
            }
            None => {
                self.reporter
                    .at_pointer(&key_pointer, format!("`{key}` must be a list of strings"));
                None
            }
        }
    }

    fn constraints(&mut self, schema: &Schema, pointer: &str) -> Constraints {
        let mut constraints = Constraints::default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::Integer(integer)) => {
                constraints.minimum = integer.minimum.map(|min| {
                    if integer.exclusive_minimum {
                        min.saturating_add(1)
                    } else {
                        min
                    }
                });
                constraints.maximum = integer.maximum.map(|max| {
                    if integer.exclusive_maximum {
                        max.saturating_sub(1)
                    } else {
                        max
                    }
                });
            }
            SchemaKind::Type(Type::String(string)) => {
                constraints.min_length = string.min_length;
                constraints.max_length = string.max_length;
            }
            SchemaKind::Type(Type::Array(array)) => {
                constraints.min_items = array.min_items;
                constraints.max_items = array.max_items;
            }
            _ => {}
        }
        for bound in constraints.bounds() {
            if let (Some(low), Some(high)) = (bound.low, bound.high) {
                if low > high {
                    let (low_name, high_name) = bound.keywords;
                    self.reporter.at_pointer(
                        pointer,
                        format!("`{low_name}` ({low}) is greater than `{high_name}` ({high}): no value is valid"),
                    );
                }
            }
        }
        constraints
    }

    fn default_literal(&mut self, ty: &FieldType, value: &Value, pointer: &str) -> Option<Literal> {
        let literal = match (self.leaf_kind(ty), value) {
            (Some(LeafKind::Int), Value::Number(n)) => n.as_i64().map(Literal::Int),
            (Some(LeafKind::Str), Value::String(s)) => Some(Literal::Str(s.clone())),
            (Some(LeafKind::Bool), Value::Bool(b)) => Some(Literal::Bool(*b)),
            (Some(LeafKind::IntEnum(id)), Value::Number(n)) => n
                .as_i64()
                .map(Literal::Int)
                .filter(|l| self.enum_has(id, l)),
            (Some(LeafKind::StrEnum(id)), Value::String(s)) => {
                Some(Literal::Str(s.clone())).filter(|l| self.enum_has(id, l))
            }
            (None, _) => {
                self.reporter
                    .at_pointer(pointer, "unsupported: a `default` on this kind of field");
                return None;
            }
            _ => None,
        };
        if literal.is_none() {
            self.reporter.at_pointer(
                pointer,
                format!("default {value} does not fit the field's type or allowed values"),
            );
        }
        literal
    }

    fn enum_has(&self, id: TypeId, literal: &Literal) -> bool {
        match &self.types[id].kind {
            TypeKind::Enum(definition) => definition.variants.iter().any(|v| &v.value == literal),
            TypeKind::Struct(_) => false,
        }
    }

    /// What kind of scalar a field holds, for defaults and rule literals; `None` for arrays,
    /// structs and numbers, which neither may have.
    fn leaf_kind(&self, ty: &FieldType) -> Option<LeafKind> {
        match ty {
            FieldType::String => Some(LeafKind::Str),
            FieldType::Integer(_) => Some(LeafKind::Int),
            FieldType::Boolean => Some(LeafKind::Bool),
            FieldType::Named(id) => match &self.types[*id].kind {
                TypeKind::Enum(EnumDef {
                    repr: EnumRepr::Integer,
                    ..
                }) => Some(LeafKind::IntEnum(*id)),
                TypeKind::Enum(EnumDef {
                    repr: EnumRepr::String,
                    ..
                }) => Some(LeafKind::StrEnum(*id)),
                TypeKind::Struct(_) => None,
            },
            FieldType::Number | FieldType::Array { .. } => None,
        }
    }

    fn resolve_rules(&mut self) {
        let raw_rules = std::mem::take(&mut self.raw_rules);
        for (owner, pointer, rules) in raw_rules {
            let mut resolved = Vec::new();
            let mut ids: Vec<String> = Vec::new();
            for (index, raw) in rules.into_iter().enumerate() {
                let rule_pointer = pointer_join(&pointer, &index.to_string());
                if ids.contains(&raw.id) {
                    self.reporter.at_pointer(
                        &pointer_join(&rule_pointer, "id"),
                        format!("duplicate rule id `{}`", raw.id),
                    );
                }
                ids.push(raw.id.clone());
                if let Some(rule) = self.rule(owner, raw, &rule_pointer) {
                    resolved.push(rule);
                }
            }
            if let TypeKind::Struct(definition) = &mut self.types[owner].kind {
                definition.rules = resolved;
            }
        }
    }

    fn rule(&mut self, owner: TypeId, raw: RawRule, pointer: &str) -> Option<Rule> {
        if raw.then.is_empty() {
            self.reporter.at_pointer(
                &pointer_join(pointer, "then"),
                "a rule needs at least one assertion",
            );
        }
        let mut when = Vec::new();
        for (index, condition) in raw.when.iter().enumerate() {
            let at = pointer_join(&pointer_join(pointer, "when"), &index.to_string());
            when.push(self.condition(owner, condition, &at));
        }
        let mut then = Vec::new();
        for (index, assertion) in raw.then.iter().enumerate() {
            let at = pointer_join(&pointer_join(pointer, "then"), &index.to_string());
            then.push(self.assertion(owner, assertion, &at));
        }
        Some(Rule {
            id: raw.id,
            description: raw.description,
            when: when.into_iter().collect::<Option<_>>()?,
            then: then.into_iter().collect::<Option<_>>()?,
        })
    }

    fn condition(&mut self, owner: TypeId, raw: &RawCondition, pointer: &str) -> Option<Condition> {
        match raw {
            RawCondition::Compare {
                field,
                equals,
                one_of,
            } => {
                let path = self.path(owner, field, pointer)?;
                let literals = match (equals, one_of) {
                    (Some(value), None) => vec![value.clone()],
                    (None, Some(values)) if !values.is_empty() => values.clone(),
                    _ => {
                        self.reporter.at_pointer(
                            pointer,
                            "a condition needs exactly one of `equals` or a non-empty `in`",
                        );
                        return None;
                    }
                };
                let leaf = self.path_leaf(&path);
                let mut values = Vec::new();
                for value in &literals {
                    values.push(self.rule_literal(leaf.as_ref(), value, &path.wire, pointer)?);
                }
                Some(Condition::OneOf { path, values })
            }
            RawCondition::Any { any, item } => {
                let (array, item_type) = self.array_path(owner, any, pointer)?;
                let item = self.condition(item_type, item, &pointer_join(pointer, "where"))?;
                Some(Condition::Any {
                    array,
                    item: Box::new(item),
                })
            }
        }
    }

    fn assertion(&mut self, owner: TypeId, raw: &RawAssertion, pointer: &str) -> Option<Assertion> {
        match raw {
            RawAssertion::Present { present } => {
                Some(Assertion::Present(self.path(owner, present, pointer)?))
            }
            RawAssertion::Product { product, maximum } => {
                let [a, b] = product;
                let a = self.integer_path(owner, a, pointer)?;
                let b = self.integer_path(owner, b, pointer)?;
                Some(Assertion::ProductAtMost {
                    factors: [a, b],
                    maximum: *maximum,
                })
            }
            RawAssertion::LessOrEqual {
                field,
                less_or_equal,
            } => Some(Assertion::LessOrEqual {
                left: self.integer_path(owner, field, pointer)?,
                right: self.integer_path(owner, less_or_equal, pointer)?,
            }),
            RawAssertion::Count {
                count,
                item,
                maximum,
            } => {
                let (array, item_type) = self.array_path(owner, count, pointer)?;
                let item = self.condition(item_type, item, &pointer_join(pointer, "where"))?;
                Some(Assertion::CountAtMost {
                    array,
                    item,
                    maximum: *maximum,
                })
            }
            RawAssertion::Holds(condition) => {
                Some(Assertion::Holds(self.condition(owner, condition, pointer)?))
            }
        }
    }

    fn rule_literal(
        &mut self,
        leaf: Option<&LeafKind>,
        value: &Value,
        wire: &str,
        pointer: &str,
    ) -> Option<Literal> {
        let literal = match (leaf, value) {
            (Some(LeafKind::Int | LeafKind::IntEnum(_)), Value::Number(n)) => {
                n.as_i64().map(Literal::Int)
            }
            (Some(LeafKind::Str | LeafKind::StrEnum(_)), Value::String(s)) => {
                Some(Literal::Str(s.clone()))
            }
            (Some(LeafKind::Bool), Value::Bool(b)) => Some(Literal::Bool(*b)),
            _ => None,
        };
        let valid = match (leaf, &literal) {
            (Some(LeafKind::IntEnum(id) | LeafKind::StrEnum(id)), Some(l)) => self.enum_has(*id, l),
            (_, Some(_)) => true,
            (_, None) => false,
        };
        if !valid {
            self.reporter.at_pointer(
                pointer,
                format!("rule value {value} cannot be compared with `{wire}` (wrong type or not an allowed value)"),
            );
            return None;
        }
        literal
    }

    fn path_leaf(&self, path: &FieldPath) -> Option<LeafKind> {
        let last = path.steps.last()?;
        self.leaf_kind(&self.struct_field(*last)?.ty)
    }

    fn struct_field(&self, step: PathStep) -> Option<&Field> {
        match &self.types[step.owner].kind {
            TypeKind::Struct(definition) => definition.fields.get(step.field),
            TypeKind::Enum(_) => None,
        }
    }

    /// Resolves `A.B.C` from `owner`: every step but the last must be a (non-array) struct field.
    fn path(&mut self, owner: TypeId, wire: &str, pointer: &str) -> Option<FieldPath> {
        let mut steps = Vec::new();
        let mut current = owner;
        let segments: Vec<&str> = wire.split('.').collect();
        for (index, segment) in segments.iter().enumerate() {
            let TypeKind::Struct(definition) = &self.types[current].kind else {
                self.reporter.at_pointer(
                    pointer,
                    format!("`{wire}`: `{segment}` is not inside an object"),
                );
                return None;
            };
            let Some(field_index) = definition
                .fields
                .iter()
                .position(|f| f.wire_name == *segment)
            else {
                self.reporter.at_pointer(
                    pointer,
                    format!(
                        "`{wire}`: `{}` has no field `{segment}`",
                        self.types[current].source_name
                    ),
                );
                return None;
            };
            steps.push(PathStep {
                owner: current,
                field: field_index,
            });
            let is_last = index + 1 == segments.len();
            if is_last {
                break;
            }
            match &definition.fields[field_index].ty {
                FieldType::Named(next) if matches!(self.types[*next].kind, TypeKind::Struct(_)) => {
                    current = *next
                }
                _ => {
                    self.reporter.at_pointer(
                        pointer,
                        format!("`{wire}`: `{segment}` is not an object field, so the path cannot continue"),
                    );
                    return None;
                }
            }
        }
        Some(FieldPath {
            wire: wire.to_owned(),
            steps,
        })
    }

    fn integer_path(&mut self, owner: TypeId, wire: &str, pointer: &str) -> Option<FieldPath> {
        let path = self.path(owner, wire, pointer)?;
        if matches!(self.path_leaf(&path), Some(LeafKind::Int)) {
            return Some(path);
        }
        self.reporter.at_pointer(
            pointer,
            format!("`{wire}` must be an integer field for this rule"),
        );
        None
    }

    fn array_path(
        &mut self,
        owner: TypeId,
        wire: &str,
        pointer: &str,
    ) -> Option<(FieldPath, TypeId)> {
        let path = self.path(owner, wire, pointer)?;
        let last = *path.steps.last()?;
        if let Some(Field {
            ty: FieldType::Array { items, .. },
            ..
        }) = self.struct_field(last)
        {
            if let FieldType::Named(item) = **items {
                if matches!(self.types[item].kind, TypeKind::Struct(_)) {
                    return Some((path, item));
                }
            }
        }
        self.reporter.at_pointer(
            pointer,
            format!("`{wire}` must be an array of objects for this rule"),
        );
        None
    }

    fn operations(&mut self) -> Vec<Operation> {
        let mut operations = Vec::new();
        let spec = self.spec;
        let document = &spec.document;
        for (path, item) in document.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            let path_pointer = pointer_join("#/paths", path);
            for (method, operation) in item.iter() {
                let pointer = pointer_join(&path_pointer, method);
                if method != "post" {
                    self.reporter.at_pointer(
                        &pointer,
                        format!("unsupported method `{method}`: ZEGOCLOUD server APIs are called with POST"),
                    );
                    continue;
                }
                if let Some(operation) = self.operation(path, operation, &pointer) {
                    operations.push(operation);
                }
            }
        }
        operations
    }

    fn operation(
        &mut self,
        path: &str,
        operation: &openapiv3::Operation,
        pointer: &str,
    ) -> Option<Operation> {
        self.check_extensions(&operation.extensions, pointer);
        let Some(operation_id) = operation.operation_id.clone() else {
            self.reporter.at_pointer(
                pointer,
                "an operation needs an `operationId` (it names the client method)",
            );
            return None;
        };
        let action = self.common_parameters(operation, pointer);
        let request = self.request_type(operation, pointer);
        let response = self.response_type(operation, pointer);
        let idempotency_key = match (request, operation.extensions.get("x-zego-idempotency-key")) {
            (Some(request), Some(key)) => Some(self.idempotency_key(request, key, pointer)?),
            _ => None,
        };
        let room_id = match (request, operation.extensions.get("x-zego-room-id")) {
            (Some(request), Some(path)) => Some(self.room_id_path(request, path, pointer)?),
            _ => None,
        };
        Some(Operation {
            operation_id,
            pointer: pointer.to_owned(),
            path: path.to_owned(),
            action: action?,
            summary: operation.summary.clone(),
            doc: operation.description.clone(),
            request: request?,
            response: response?,
            idempotency_key,
            room_id,
        })
    }

    /// Resolves `x-zego-room-id`: a string field (not a credential).
    fn room_id_path(&mut self, request: TypeId, path: &Value, pointer: &str) -> Option<FieldPath> {
        let at = pointer_join(pointer, "x-zego-room-id");
        let Some(wire) = path.as_str() else {
            self.reporter
                .at_pointer(&at, "`x-zego-room-id` must be a dotted field path");
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
    fn idempotency_key(
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

    /// Checks that the operation declares exactly the common signing parameters (which the
    /// client fills in) and returns its `Action` value.
    fn common_parameters(
        &mut self,
        operation: &openapiv3::Operation,
        pointer: &str,
    ) -> Option<String> {
        let mut seen: BTreeMap<&str, String> = BTreeMap::new();
        let mut action = None;
        let parameters_pointer = pointer_join(pointer, "parameters");
        for (index, parameter) in operation.parameters.iter().enumerate() {
            let at = pointer_join(&parameters_pointer, &index.to_string());
            let spec = self.spec;
            let Some((parameter, at)) = spec.parameter(parameter, &at) else {
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
                self.reporter.at_pointer(
                    &at,
                    format!(
                        "parameter `{}` is not a common signing parameter: only parameters marked \
                         `x-zego-common-param` ({}) are supported",
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
        action
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

    /// Marks every struct reachable from a request body or a response.
    fn mark_usage(&mut self, operations: &[Operation]) {
        for operation in operations {
            self.mark(
                operation.request,
                Usage {
                    request: true,
                    response: false,
                },
            );
            self.mark(
                operation.response,
                Usage {
                    request: false,
                    response: true,
                },
            );
        }
    }

    fn mark(&mut self, id: TypeId, usage: Usage) {
        let mut visited = vec![false; self.types.len()];
        let mut stack = vec![id];
        while let Some(current) = stack.pop() {
            if std::mem::replace(&mut visited[current], true) {
                continue;
            }
            let TypeKind::Struct(definition) = &mut self.types[current].kind else {
                continue;
            };
            definition.usage.request |= usage.request;
            definition.usage.response |= usage.response;
            stack.extend(
                definition
                    .fields
                    .iter()
                    .filter_map(|field| named_type(&field.ty)),
            );
        }
    }
}

/// The struct or enum a field type finally holds, looking through arrays.
pub fn named_type(ty: &FieldType) -> Option<TypeId> {
    match ty {
        FieldType::Named(id) => Some(*id),
        FieldType::Array { items, .. } => named_type(items),
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

fn describe_kind(kind: &SchemaKind) -> &'static str {
    match kind {
        SchemaKind::Type(Type::String(_)) => "a string",
        SchemaKind::Type(Type::Number(_)) => "a number",
        SchemaKind::Type(Type::Integer(_)) => "an integer",
        SchemaKind::Type(Type::Object(_)) => "an object",
        SchemaKind::Type(Type::Array(_)) => "an array",
        SchemaKind::Type(Type::Boolean(_)) => "a boolean",
        SchemaKind::OneOf { .. } => "`oneOf`",
        SchemaKind::AllOf { .. } => "`allOf`",
        SchemaKind::AnyOf { .. } => "`anyOf`",
        SchemaKind::Not { .. } => "`not`",
        SchemaKind::Any(_) => "a schema without a `type`",
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    description: String,
    #[serde(default)]
    when: Vec<RawCondition>,
    then: Vec<RawAssertion>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
enum RawCondition {
    Compare {
        field: String,
        equals: Option<Value>,
        #[serde(rename = "in")]
        one_of: Option<Vec<Value>>,
    },
    Any {
        any: String,
        #[serde(rename = "where")]
        item: Box<RawCondition>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
enum RawAssertion {
    Present {
        present: String,
    },
    Product {
        product: [String; 2],
        maximum: i64,
    },
    LessOrEqual {
        field: String,
        less_or_equal: String,
    },
    Count {
        count: String,
        #[serde(rename = "where")]
        item: RawCondition,
        maximum: i64,
    },
    Holds(RawCondition),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvelope {
    code: String,
    message: String,
    request_id: String,
    data: String,
}
