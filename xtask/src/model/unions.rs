//! `oneOf` and `anyOf`: a value that is one of several alternatives. Which one a value is gets
//! decided by what the alternatives are (their JSON kinds, and for objects the keys only one
//! of them declares), never by trying them in order: a value no test picks is kept as it
//! came, and alternatives that nothing tells apart make a value read on request.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use crate::diagnostics::pointer_join;

use super::ir::{
    Constraints, EnumDef, EnumRepr, FieldType, TypeDef, TypeId, TypeKind, UnionDef, UnionVariant,
    Usage, VariantTest,
};
use super::{Builder, InlineName};

impl Builder<'_> {
    /// An inline `oneOf`/`anyOf` as a union type named after its field.
    pub(super) fn inline_union(
        &mut self,
        schema: &Schema,
        hint: InlineName<'_>,
        pointer: &str,
    ) -> Option<FieldType> {
        let name = self.inline_name(schema, hint, pointer)?;
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: String::new(),
            source_name: name,
            pointer: pointer.to_owned(),
            doc: schema.schema_data.description.clone(),
            kind: TypeKind::Union(UnionDef {
                exclusive: true,
                variants: Vec::new(),
                decidable: false,
                usage: Usage::default(),
            }),
        });
        let definition = self.union_def(schema, pointer)?;
        self.types[id].kind = TypeKind::Union(definition);
        Some(FieldType::Named(id))
    }

    /// The alternatives of a `oneOf`/`anyOf` schema, each with the test that picks it.
    pub(super) fn union_def(&mut self, schema: &Schema, pointer: &str) -> Option<UnionDef> {
        let (keyword, alternatives) = alternatives(schema)?;
        let exclusive = keyword == "oneOf";
        let mut variants = Vec::new();
        for (index, alternative) in alternatives.iter().enumerate() {
            let at = pointer_join(&pointer_join(pointer, keyword), &index.to_string());
            let (ty, constraints) = match alternative {
                ReferenceOr::Reference { reference } => {
                    (self.reference_type(reference, &at)?, Constraints::default())
                }
                ReferenceOr::Item(item) => {
                    let field = format!("{}Option{}", self.source_name_at(pointer), index + 1);
                    let hint = InlineName {
                        field: &field,
                        item: false,
                    };
                    let ty = self.inline_type(item, hint, &at)?;
                    (ty, self.constraints(item, &at))
                }
            };
            let source_name = self.variant_source_name(&ty);
            variants.push(UnionVariant {
                source_name,
                name: String::new(),
                accessor: String::new(),
                ty,
                constraints,
                test: VariantTest::None,
            });
        }
        if variants.len() < 2 {
            self.reporter.at_pointer(
                &pointer_join(pointer, keyword),
                format!("`{keyword}` needs two alternatives or more"),
            );
            return None;
        }
        // Which alternative a value is gets decided once every type is defined
        // ([`Builder::decide_unions`]): an alternative may be a component defined later.
        Some(UnionDef {
            exclusive,
            variants,
            decidable: false,
            usage: Usage::default(),
        })
    }

    fn source_name_at(&self, pointer: &str) -> String {
        self.types
            .iter()
            .rev()
            .find(|def| def.pointer == pointer)
            .map_or_else(|| "Alternative".to_owned(), |def| def.source_name.clone())
    }

    fn variant_source_name(&self, ty: &FieldType) -> String {
        match ty {
            FieldType::Named(id) => self.types[*id].source_name.clone(),
            FieldType::String => "Text".to_owned(),
            FieldType::Integer(_) => "Integer".to_owned(),
            FieldType::Number(_) => "Number".to_owned(),
            FieldType::Boolean => "Boolean".to_owned(),
            FieldType::Array { .. } => "List".to_owned(),
            FieldType::FreeForm | FieldType::Map(_) => "Object".to_owned(),
            FieldType::Any => "Value".to_owned(),
        }
    }

    /// Gives every union's alternatives the tests that pick them, once every type is defined.
    pub(super) fn decide_unions(&mut self) {
        for index in 0..self.types.len() {
            let TypeKind::Union(union) = &self.types[index].kind else {
                continue;
            };
            let mut variants = union.variants.clone();
            let decidable = self.assign_tests(&mut variants);
            if let TypeKind::Union(union) = &mut self.types[index].kind {
                union.variants = variants;
                union.decidable = decidable;
            }
        }
    }

    /// Gives each alternative the test that picks it; whether every alternative has one that
    /// no other alternative's values pass.
    fn assign_tests(&self, variants: &mut [UnionVariant]) -> bool {
        let object_keys: Vec<Option<Vec<String>>> = variants
            .iter()
            .map(|variant| self.object_keys(&variant.ty))
            .collect();
        let objects = object_keys.iter().filter(|keys| keys.is_some()).count();
        for (index, variant) in variants.iter_mut().enumerate() {
            variant.test = match (&object_keys[index], &variant.ty) {
                (Some(_), _) if objects == 1 => VariantTest::Object,
                (Some(keys), _) => {
                    let own: Vec<String> = keys
                        .iter()
                        .filter(|key| {
                            object_keys.iter().enumerate().all(|(other, other_keys)| {
                                other == index
                                    || other_keys.as_ref().is_none_or(|keys| !keys.contains(key))
                            })
                        })
                        .cloned()
                        .collect();
                    if own.is_empty() {
                        VariantTest::None
                    } else {
                        VariantTest::ObjectWithKey(own)
                    }
                }
                (None, FieldType::String) => VariantTest::String,
                (None, FieldType::Integer(_)) => VariantTest::Integer,
                (None, FieldType::Number(_)) => VariantTest::Number,
                (None, FieldType::Boolean) => VariantTest::Boolean,
                (None, FieldType::Array { .. }) => VariantTest::Array,
                // An enum is read from the JSON kind of its values (its `Unknown` takes any).
                (None, FieldType::Named(id)) => match &self.types[*id].kind {
                    TypeKind::Enum(EnumDef {
                        repr: EnumRepr::String,
                        ..
                    }) => VariantTest::String,
                    TypeKind::Enum(EnumDef {
                        repr: EnumRepr::Integer,
                        ..
                    }) => VariantTest::Integer,
                    TypeKind::Struct(_) | TypeKind::Union(_) => VariantTest::None,
                },
                (None, _) => VariantTest::None,
            };
        }
        let tests: Vec<&VariantTest> = variants.iter().map(|variant| &variant.test).collect();
        let kinds_repeat = tests.iter().enumerate().any(|(index, test)| {
            !matches!(test, VariantTest::ObjectWithKey(_)) && tests[index + 1..].contains(test)
        });
        // An integer is also a number: a value like 3 would pass both tests.
        let numbers_overlap =
            tests.contains(&&VariantTest::Integer) && tests.contains(&&VariantTest::Number);
        !kinds_repeat && !numbers_overlap && !tests.contains(&&VariantTest::None)
    }

    /// The keys an object alternative declares; `None` for an alternative that is no object
    /// with properties (a map or free-form object has no keys of its own).
    fn object_keys(&self, ty: &FieldType) -> Option<Vec<String>> {
        let FieldType::Named(id) = ty else {
            return None;
        };
        match &self.types[*id].kind {
            TypeKind::Struct(definition) => Some(
                definition
                    .fields
                    .iter()
                    .map(|field| field.wire_name.clone())
                    .collect(),
            ),
            TypeKind::Enum(_) | TypeKind::Union(_) => None,
        }
    }
}

/// The keyword and alternatives of a `oneOf`/`anyOf` schema (also when a `type` stands beside
/// them, which openapiv3 reads as a schema of any kind).
pub(super) fn alternatives(schema: &Schema) -> Option<(&'static str, &Vec<ReferenceOr<Schema>>)> {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => Some(("oneOf", one_of)),
        SchemaKind::AnyOf { any_of } => Some(("anyOf", any_of)),
        SchemaKind::Any(any) if !any.one_of.is_empty() => Some(("oneOf", &any.one_of)),
        SchemaKind::Any(any) if !any.any_of.is_empty() => Some(("anyOf", &any.any_of)),
        _ => None,
    }
}

/// Whether a schema is a union this generator reads: `oneOf`/`anyOf`, alone or beside
/// `type: object` when its alternatives are objects too. Anything else beside the
/// alternatives (properties, another `type`) is refused by the caller.
pub(super) fn is_union(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
        SchemaKind::Any(any) => {
            (!any.one_of.is_empty() || !any.any_of.is_empty())
                && any.properties.is_empty()
                && any.items.is_none()
                && any.all_of.is_empty()
                && any.typ.as_deref().is_none_or(|typ| typ == "object")
        }
        SchemaKind::Type(Type::Object(_))
        | SchemaKind::Type(_)
        | SchemaKind::AllOf { .. }
        | SchemaKind::Not { .. } => false,
    }
}
