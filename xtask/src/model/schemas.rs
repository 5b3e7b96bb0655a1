//! Schema lowering: component and inline schemas become structs and enums, with their
//! fields, types, constraints, defaults, notes and the response envelope. Anything this generator does not support is
//! an error at its JSON pointer.

use openapiv3::{
    IntegerType, ObjectType, ReferenceOr, Schema, SchemaKind, StringType, Type,
    VariantOrUnknownOrEmpty,
};
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::pointer_join;

use super::ir::{
    Accessors, Constraints, EnumDef, EnumRepr, Envelope, Field, FieldId, FieldType, IntFormat,
    Literal, NumberFormat, RustName, StructDef, TypeDef, TypeId, TypeKind, Usage, Variant,
};
use super::rules::RawRule;
use super::{
    component_schemas, describe_kind, empty_struct, has_enum, note, Builder, InlineName, LeafKind,
    KNOWN_ZEGO_EXTENSIONS,
};

impl Builder<'_> {
    /// Gives every component schema a type id first, so fields can refer to types defined
    /// later in the document.
    pub(super) fn declare_components(&mut self) {
        for (name, schema) in component_schemas(self.spec) {
            let pointer = self.spec.loaded.component_pointer("schemas", &name);
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
        let deprecated_constructor = self.deprecated_constructor(extensions, pointer);
        StructDef {
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
        let request_id = find(
            "request_id",
            &raw.request_id,
            |t| matches!(t, FieldType::String),
            "a string",
        );
        // Actions that answer with nothing but the envelope name no `data`; what `Data` holds
        // (an object, a list, a map, any value) is the action's.
        let data = match &raw.data {
            Some(wire) => Some(find("data", wire, |_| true, "")?),
            None => None,
        };
        let (code, message, request_id) = (code?, message?, request_id?);
        let roles = [
            ("code", Some(code)),
            ("message", Some(message)),
            ("request_id", Some(request_id)),
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
        Some(Envelope {
            code: FieldId(code),
            message: FieldId(message),
            request_id: FieldId(request_id),
            data: data.map(FieldId),
        })
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

    fn reject_common_features(&mut self, schema: &Schema, pointer: &str) {
        if schema.schema_data.discriminator.is_some() {
            self.reporter.at_pointer(
                &pointer_join(pointer, "discriminator"),
                "unsupported: `discriminator`",
            );
        }
    }

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
        })
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

    fn inline_type(
        &mut self,
        schema: &Schema,
        hint: InlineName<'_>,
        pointer: &str,
    ) -> Option<FieldType> {
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
                    format!("unsupported schema: {} (supported: string, integer, number, boolean, array, object, $ref, and a schema without constraints for any value)", describe_kind(other)),
                );
                None
            }
        }
    }

    /// An object without `properties` that may hold keys: any JSON object
    /// (`additionalProperties` absent or `true`), a map of typed values (`additionalProperties`
    /// a schema). An object that may hold nothing (`additionalProperties: false`) is an empty
    /// struct, built as every other object.
    fn open_object(
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
    fn check_element(&mut self, element: &Schema, pointer: &str, (what, holder): (&str, &str)) {
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
    fn number_format(
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
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: String::new(),
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
                spec_name: names.as_ref().map(|n| n[index].clone()),
                name: RustName::default(),
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

    pub(super) fn constraints(&mut self, schema: &Schema, pointer: &str) -> Constraints {
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
            SchemaKind::Type(Type::Number(number)) => {
                // Loading refuses numbers that are not finite, so these print as literals.
                constraints.number_minimum = number.minimum;
                constraints.number_maximum = number.maximum;
            }
            SchemaKind::Type(Type::String(string)) => {
                constraints.min_length = string.min_length;
                constraints.max_length = string.max_length;
            }
            SchemaKind::Type(Type::Array(array)) => {
                constraints.min_items = array.min_items;
                constraints.max_items = array.max_items;
                constraints.unique_items = array.unique_items;
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
            (Some(LeafKind::Number), Value::Number(n)) => n
                .as_f64()
                .filter(|value| value.is_finite())
                .map(|value| Literal::Number(format!("{value:?}"))),
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

    pub(super) fn enum_has(&self, id: TypeId, literal: &Literal) -> bool {
        match &self.types[id].kind {
            TypeKind::Enum(definition) => definition.variants.iter().any(|v| &v.value == literal),
            TypeKind::Struct(_) => false,
        }
    }

    /// What kind of scalar a field holds, for defaults and rule literals; `None` for arrays,
    /// structs and numbers, which neither may have.
    pub(super) fn leaf_kind(&self, ty: &FieldType) -> Option<LeafKind> {
        match ty {
            FieldType::String => Some(LeafKind::Str),
            FieldType::Integer(_) => Some(LeafKind::Int),
            FieldType::Boolean => Some(LeafKind::Bool),
            FieldType::Number(_) => Some(LeafKind::Number),
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
            FieldType::Array { .. } | FieldType::FreeForm | FieldType::Map(_) | FieldType::Any => {
                None
            }
        }
    }
}

/// `format: password`: the one string format the generated client acts on (it redacts).
fn is_password(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(StringType {
            format: VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password),
            ..
        }))
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvelope {
    code: String,
    message: String,
    request_id: String,
    #[serde(default)]
    data: Option<String>,
}

/// An object that may hold no keys but its properties (`additionalProperties: false`).
fn is_closed(object: &ObjectType) -> bool {
    matches!(
        object.additional_properties,
        Some(openapiv3::AdditionalProperties::Any(false))
    )
}
