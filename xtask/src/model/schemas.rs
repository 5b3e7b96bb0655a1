//! Schema lowering: component and inline schemas become structs (their fields in
//! `fields.rs`, enums in `enums.rs`, constraints and defaults in `constraints.rs`), with their
//! notes and the response envelope. Anything this generator does not support is an error at
//! its JSON pointer.

use openapiv3::{ObjectType, Schema, SchemaKind, Type};
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::pointer_join;

use super::ir::{
    EnumDef, EnumRepr, Envelope, EnvelopeData, Field, FieldId, FieldType, StructDef, TypeDef,
    TypeId, TypeKind, UnionDef, Usage,
};
use super::rules::RawRule;
use super::unions::is_union;
use super::{
    component_schemas, describe_kind, empty_struct, has_enum, note, Builder, KNOWN_ZEGO_EXTENSIONS,
};

impl Builder<'_> {
    /// Gives every component schema a type id first, so fields can refer to types defined
    /// later in the document.
    pub(super) fn declare_components(&mut self) {
        for (name, schema) in component_schemas(self.spec) {
            let pointer = self.spec.loaded.component_pointer("schemas", &name);
            let kind = match &schema.schema_kind {
                _ if is_union(schema) => TypeKind::Union(UnionDef {
                    exclusive: true,
                    variants: Vec::new(),
                    decidable: false,
                    usage: Usage::default(),
                }),
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
            let id = TypeId(self.types.len());
            let source_name = match schema.schema_data.extensions.get("x-zego-type-name") {
                Some(Value::String(rename)) if !rename.trim().is_empty() => rename.clone(),
                _ => name.clone(),
            };
            self.types.push(TypeDef {
                name: String::new(),
                source_name,
                pointer,
                doc: schema.schema_data.description.clone(),
                kind,
            });
            self.component_ids.insert(name, id);
        }
    }

    pub(super) fn define_components(&mut self) {
        for (name, schema) in component_schemas(self.spec) {
            let Some(&id) = self.component_ids.get(&name) else {
                continue;
            };
            let pointer = self.types[id].pointer.clone();
            self.check_extensions(&schema.schema_data.extensions, &pointer);
            // Whether a value may be null is the field's to say (an optional field reads null
            // as not set); a type shared by several fields cannot say it for all of them.
            if schema.schema_data.nullable {
                self.reporter.at_pointer(
                    &pointer_join(&pointer, "nullable"),
                    "unsupported: `nullable` on a component schema; mark the fields that may be null instead (an optional field reads null as not set)",
                );
            }
            match &schema.schema_kind {
                _ if is_union(schema) => {
                    if let Some(definition) = self.union_def(schema, &pointer) {
                        self.types[id].kind = TypeKind::Union(definition);
                    }
                }
                SchemaKind::Type(Type::Object(object)) => {
                    let definition = self.struct_def(id, schema, object, &pointer);
                    self.types[id].kind = TypeKind::Struct(definition);
                }
                _ => {
                    self.reject_common_features(schema, &pointer);
                    if let Some(definition) = self.enum_def(schema, &pointer) {
                        self.types[id].kind = TypeKind::Enum(definition);
                    }
                }
            }
        }
    }

    pub(super) fn check_extensions(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        pointer: &str,
    ) {
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

    pub(super) fn struct_def(
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
        let deprecated_constructor = self.deprecated_constructor(extensions, pointer);
        let partial_failures = self.partial_failures(extensions, &fields, pointer);
        StructDef {
            partial_failures,
            envelope: self.envelope(extensions, &fields, pointer),
            fields,
            rules: Vec::new(),
            notes,
            usage: Usage::default(),
            deprecated_constructor,
        }
    }

    /// `x-zego-envelope` on a response schema: which of its fields carry the common result
    /// envelope (Code, Message, RequestId, and Data for actions that return data).
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
        let request_id = match &raw.request_id {
            Some(wire) => Some(find(
                "request_id",
                wire,
                |t| matches!(t, FieldType::String),
                "a string",
            )?),
            None => None,
        };
        // Actions that answer with nothing but the envelope name no `data`; what `Data` holds
        // (an object, a list, a map, any value) is the action's.
        let data = match &raw.data {
            Some(wire) => Some(find("data", wire, |_| true, "")?),
            None => None,
        };
        let (code, message) = (code?, message?);
        let roles = [
            ("code", Some(code)),
            ("message", Some(message)),
            ("request_id", request_id),
            ("data", data),
        ];
        for (role, index) in roles
            .into_iter()
            .filter_map(|(role, index)| Some((role, index?)))
        {
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
        let envelope_fields = [Some(code), Some(message), request_id];
        let has_others = (0..fields.len()).any(|index| !envelope_fields.contains(&Some(index)));
        let data = match data {
            Some(index) => EnvelopeData::Field(FieldId(index)),
            None if has_others => EnvelopeData::Beside,
            None => EnvelopeData::Nothing,
        };
        Some(Envelope {
            code: FieldId(code),
            message: FieldId(message),
            request_id: request_id.map(FieldId),
            data,
        })
    }

    /// `x-zego-partial-failures`: the names of list fields that hold the items a call failed
    /// for; each must be a list field of this schema.
    fn partial_failures(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        fields: &[Field],
        pointer: &str,
    ) -> Vec<FieldId> {
        let Some(raw) = extensions.get("x-zego-partial-failures") else {
            return Vec::new();
        };
        let at = pointer_join(pointer, "x-zego-partial-failures");
        let Ok(names) = Vec::<String>::deserialize(raw) else {
            self.reporter.at_pointer(
                &at,
                "`x-zego-partial-failures` must be a list of field names",
            );
            return Vec::new();
        };
        let mut found = Vec::new();
        for (index, name) in names.iter().enumerate() {
            match fields.iter().position(|field| &field.wire_name == name) {
                Some(field) if matches!(fields[field].ty, FieldType::Array { .. }) => {
                    found.push(FieldId(field));
                }
                _ => self.reporter.at_pointer(
                    &pointer_join(&at, &index.to_string()),
                    format!("`{name}` is not a list field of this schema"),
                ),
            }
        }
        found
    }

    /// `x-zego-deprecated-constructor`: a non-empty note saying what to use instead.
    fn deprecated_constructor(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        pointer: &str,
    ) -> Option<String> {
        match extensions.get("x-zego-deprecated-constructor")? {
            Value::String(note) if !note.trim().is_empty() => Some(note.trim().to_owned()),
            _ => {
                self.reporter.at_pointer(
                    &pointer_join(pointer, "x-zego-deprecated-constructor"),
                    "`x-zego-deprecated-constructor` must be a non-empty string saying what to use instead",
                );
                None
            }
        }
    }

    fn reject_object_features(&mut self, object: &ObjectType, pointer: &str) {
        match &object.additional_properties {
            None | Some(openapiv3::AdditionalProperties::Any(false)) => {}
            Some(_) if object.properties.is_empty() => {}
            Some(_) => self.reporter.at_pointer(
                &pointer_join(pointer, "additionalProperties"),
                "unsupported: `additionalProperties` beside `properties` (named fields and more keys); a map is an object with `additionalProperties` and no `properties`",
            ),
        }
        // Quirk: OpenAPI reads an object with no `properties` as "any keys at all". As a
        // struct it would have no fields, and whatever the service sends would be dropped. A
        // field of that type holds any object; a component cannot be one.
        if object.properties.is_empty() && !is_closed(object) {
            self.reporter.at_pointer(
                pointer,
                "unsupported: a component schema without `properties` (any object, or a map) \
                 would lose every value sent in it as a struct; write it inline in the fields \
                 that hold it (a field of `type: object` holds any object), or set \
                 `additionalProperties: false` for an object that is always empty",
            );
        }
        if object.min_properties.is_some() || object.max_properties.is_some() {
            self.reporter.at_pointer(
                pointer,
                "unsupported: `minProperties`/`maxProperties` are not supported",
            );
        }
    }

    pub(super) fn reject_common_features(&mut self, schema: &Schema, pointer: &str) {
        if schema.schema_data.discriminator.is_some() {
            self.reporter.at_pointer(
                &pointer_join(pointer, "discriminator"),
                "unsupported: `discriminator`",
            );
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvelope {
    code: String,
    message: String,
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    data: Option<String>,
}

/// An object that may hold no keys but its properties (`additionalProperties: false`).
pub(super) fn is_closed(object: &ObjectType) -> bool {
    matches!(
        object.additional_properties,
        Some(openapiv3::AdditionalProperties::Any(false))
    )
}
