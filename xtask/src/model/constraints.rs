//! What a schema constrains (ranges, lengths, item counts, patterns) and its default, read into the IR's `Constraints` and `Literal`.

use openapiv3::{Schema, SchemaKind, Type};
use serde_json::Value;

use super::ir::{Constraints, EnumDef, EnumRepr, FieldType, Literal, TypeKind};
use super::{Builder, LeafKind};

impl Builder<'_> {
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

    pub(super) fn default_literal(
        &mut self,
        ty: &FieldType,
        value: &Value,
        pointer: &str,
    ) -> Option<Literal> {
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
                TypeKind::Struct(_) | TypeKind::Union(_) => None,
            },
            FieldType::Array { .. } | FieldType::FreeForm | FieldType::Map(_) | FieldType::Any => {
                None
            }
        }
    }
}
