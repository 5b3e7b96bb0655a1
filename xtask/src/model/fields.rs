//! A schema's fields and their types: a property becomes a field, a `$ref` or an inline schema its type (structs, maps, lists, open objects, numbers of a width).

use openapiv3::{
    IntegerType, ObjectType, ReferenceOr, Schema, SchemaKind, StringType, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::diagnostics::pointer_join;

use super::ir::{
    Accessors, Constraints, Field, FieldType, IntFormat, NumberFormat, RustName, TypeDef, TypeId,
    TypeKind,
};
use super::schemas::is_closed;
use super::{describe_kind, empty_struct, has_enum, note, Builder, InlineName};

impl Builder<'_> {
    pub(super) fn field(
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
            // Quirk: OpenAPI 3.0 ignores siblings of `$ref`, so a shared enum's default lives in
            // the component it references; the field takes it from there.
            let default = match (property, &ty) {
                (ReferenceOr::Reference { reference }, FieldType::Named(_)) => {
                    let spec = self.spec;
                    spec.schema_target(reference)
                        .and_then(|name| spec.component_schema(name))
                        .and_then(|target| target.schema_data.default.as_ref())
                        .and_then(|value| {
                            self.default_literal(&ty, value, &pointer_join(pointer, "default"))
                        })
                }
                _ => None,
            };
            return Some(Field {
                name: RustName::default(),
                wire_name: wire_name.to_owned(),
                pointer: pointer.to_owned(),
                doc: None,
                note: None,
                ty,
                required,
                default,
                constraints: Constraints::default(),
                sensitive: false,
                accessors: Accessors::default(),
                spec_name: None,
            });
        };
        self.check_extensions(&schema.schema_data.extensions, pointer);
        // An optional field reads `null` as not set; a required one has no way to say it.
        if schema.schema_data.nullable && required {
            self.reporter.at_pointer(
                &pointer_join(pointer, "nullable"),
                "unsupported: `nullable` on a required field; a field that may be null is optional",
            );
        }
        let constraints = self.constraints(schema, pointer);
        let default =
            schema.schema_data.default.as_ref().and_then(|value| {
                self.default_literal(&ty, value, &pointer_join(pointer, "default"))
            });
        let sensitive = is_password(schema);
        if sensitive && ty != FieldType::String {
            // Only a plain string field is redacted; anything else would print the secret.
            self.reporter.at_pointer(
                &pointer_join(pointer, "format"),
                "unsupported: `format: password` on a field that is not a plain string (an enum or a list); the client could not keep it out of `Debug`",
            );
        }
        Some(Field {
            name: RustName::default(),
            wire_name: wire_name.to_owned(),
            pointer: pointer.to_owned(),
            doc: schema.schema_data.description.clone(),
            note: note(&schema.schema_data.extensions, pointer, &mut self.reporter),
            ty,
            required,
            default,
            constraints,
            sensitive,
            accessors: Accessors::default(),
            spec_name: self.field_name(&schema.schema_data.extensions, pointer),
        })
    }

    /// `x-zego-field-name`: the Rust name a property takes when its wire name would make the
    /// same name as another's (RTC's `procedure` event sends `fileId` and `file_id`).
    fn field_name(
        &mut self,
        extensions: &indexmap::IndexMap<String, serde_json::Value>,
        pointer: &str,
    ) -> Option<String> {
        let raw = extensions.get("x-zego-field-name")?;
        match raw.as_str() {
            Some(name) if !name.trim().is_empty() => Some(name.trim().to_owned()),
            _ => {
                self.reporter.at_pointer(
                    &pointer_join(pointer, "x-zego-field-name"),
                    "`x-zego-field-name` must be a name",
                );
                None
            }
        }
    }

    pub(super) fn reference_type(&mut self, reference: &str, pointer: &str) -> Option<FieldType> {
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

    pub(super) fn inline_type(
        &mut self,
        schema: &Schema,
        hint: InlineName<'_>,
        pointer: &str,
    ) -> Option<FieldType> {
        if super::unions::is_union(schema) {
            return self.inline_union(schema, hint, pointer);
        }
        // An object's features are checked with the rest of it, in `struct_def`.
        if !matches!(schema.schema_kind, SchemaKind::Type(Type::Object(_))) {
            self.reject_common_features(schema, pointer);
        }
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
                if number.multiple_of.is_some() {
                    self.reporter.at_pointer(
                        &pointer_join(pointer, "multipleOf"),
                        "unsupported: `multipleOf`",
                    );
                }
                if number.exclusive_minimum || number.exclusive_maximum {
                    self.reporter.at_pointer(
                        pointer,
                        "unsupported: `exclusiveMinimum`/`exclusiveMaximum` on a `number` field",
                    );
                }
                if !number.enumeration.is_empty() {
                    self.reporter.at_pointer(
                        &pointer_join(pointer, "enum"),
                        "unsupported: `enum` on a `number` field (an enum of whole numbers is an `integer` enum)",
                    );
                }
                Some(FieldType::Number(self.number_format(number, pointer)?))
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
                        self.check_element(items, &items_pointer, ("array items", "a list"));
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
            SchemaKind::Type(Type::Object(object))
                if object.properties.is_empty() && !is_closed(object) =>
            {
                self.open_object(schema, object, hint, pointer)
            }
            SchemaKind::Type(Type::Object(object)) => {
                let name = self.inline_name(schema, hint, pointer)?;
                let id = TypeId(self.types.len());
                self.types.push(TypeDef {
                    name: String::new(),
                    source_name: name.clone(),
                    pointer: pointer.to_owned(),
                    doc: schema.schema_data.description.clone(),
                    kind: TypeKind::Struct(empty_struct()),
                });
                let definition = self.struct_def(id, schema, object, pointer);
                self.types[id].kind = TypeKind::Struct(definition);
                Some(FieldType::Named(id))
            }
            SchemaKind::Any(any) if *any == openapiv3::AnySchema::default() => Some(FieldType::Any),
            other => {
                self.reporter.at_pointer(
                    pointer,
                    format!("unsupported schema: {} (supported: string, integer, number, boolean, array, object, $ref, `oneOf`/`anyOf` (alone, or beside `type: object`), and a schema without constraints for any value)", describe_kind(other)),
                );
                None
            }
        }
    }

    /// An object without `properties` that may hold keys: any JSON object
    /// (`additionalProperties` absent or `true`), a map of typed values (`additionalProperties`
    /// a schema). An object that may hold nothing (`additionalProperties: false`) is an empty
    /// struct, built as every other object.
    pub(super) fn open_object(
        &mut self,
        schema: &Schema,
        object: &ObjectType,
        hint: InlineName<'_>,
        pointer: &str,
    ) -> Option<FieldType> {
        if object.min_properties.is_some() || object.max_properties.is_some() {
            self.reporter.at_pointer(
                pointer,
                "unsupported: `minProperties`/`maxProperties` are not supported",
            );
        }
        self.reject_common_features(schema, pointer);
        let values_pointer = pointer_join(pointer, "additionalProperties");
        match &object.additional_properties {
            Some(openapiv3::AdditionalProperties::Schema(values)) => {
                let values = match values.as_ref() {
                    ReferenceOr::Reference { reference } => {
                        self.reference_type(reference, &values_pointer)?
                    }
                    ReferenceOr::Item(values) => {
                        self.check_element(
                            values,
                            &values_pointer,
                            ("the values of a map", "a map"),
                        );
                        let hint = InlineName { item: true, ..hint };
                        let ty = self.inline_type(values, hint, &values_pointer)?;
                        if self.constraints(values, &values_pointer) != Constraints::default() {
                            self.reporter.at_pointer(
                                &values_pointer,
                                "unsupported: bounds on the values of a map",
                            );
                        }
                        ty
                    }
                };
                Some(FieldType::Map(Box::new(values)))
            }
            None | Some(openapiv3::AdditionalProperties::Any(_)) => Some(FieldType::FreeForm),
        }
    }

    /// What a list's items or a map's values may not say, since they are held as plain
    /// elements: a secret (only fields are redacted) or `nullable` (an element is never
    /// `Option`, so a `null` would not decode). `(what, holder)` name them in messages.
    pub(super) fn check_element(
        &mut self,
        element: &Schema,
        pointer: &str,
        (what, holder): (&str, &str),
    ) {
        self.check_extensions(&element.schema_data.extensions, pointer);
        if is_password(element) {
            self.reporter.at_pointer(
                &pointer_join(pointer, "format"),
                format!("unsupported: `format: password` on {what}; the client redacts string fields only, so {holder} of secrets would show in `Debug`"),
            );
        }
        if element.schema_data.nullable {
            self.reporter.at_pointer(
                &pointer_join(pointer, "nullable"),
                format!("unsupported: `nullable` on {what}; they are never `null` in the client's types, so a `null` would not decode"),
            );
        }
    }

    /// `float` and `double` (and no format) are held as `f64`; any other format is unknown.
    pub(super) fn number_format(
        &mut self,
        number: &openapiv3::NumberType,
        pointer: &str,
    ) -> Option<NumberFormat> {
        match &number.format {
            VariantOrUnknownOrEmpty::Empty => Some(NumberFormat::Unspecified),
            VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => {
                Some(NumberFormat::Float)
            }
            VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Double) => {
                Some(NumberFormat::Double)
            }
            VariantOrUnknownOrEmpty::Unknown(format) => {
                self.reporter.at_pointer(
                    &pointer_join(pointer, "format"),
                    format!("unsupported number format `{format}` (supported: float, double)"),
                );
                None
            }
        }
    }

    pub(super) fn int_format(&mut self, integer: &IntegerType, pointer: &str) -> Option<IntFormat> {
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

    pub(super) fn inline_name(
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
}

/// `format: password`: the one string format the generated client acts on (it redacts).
pub(super) fn is_password(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(StringType {
            format: VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password),
            ..
        }))
    )
}
