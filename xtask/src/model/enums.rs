//! Enumerations: an `enum` schema becomes an open enum with its values' names and notes.

use openapiv3::{Schema, SchemaKind, Type};
use serde_json::Value;

use crate::diagnostics::pointer_join;

use super::ir::{
    EnumDef, EnumRepr, FieldType, Literal, RustName, TypeDef, TypeId, TypeKind, Variant,
};
use super::{describe_kind, Builder, InlineName};

impl Builder<'_> {
    pub(super) fn inline_enum(
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

    pub(super) fn enum_def(&mut self, schema: &Schema, pointer: &str) -> Option<EnumDef> {
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
    pub(super) fn parallel_strings(
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

    pub(super) fn enum_has(&self, id: TypeId, literal: &Literal) -> bool {
        match &self.types[id].kind {
            TypeKind::Enum(definition) => definition.variants.iter().any(|v| &v.value == literal),
            TypeKind::Struct(_) | TypeKind::Union(_) => false,
        }
    }
}
