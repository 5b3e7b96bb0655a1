//! Usage marking: which types are reachable from requests, from responses, or both.

use super::ir::{FieldType, Operation, TypeId, TypeKind, Usage};
use super::{named_type, Builder};

impl Builder<'_> {
    /// Marks every struct reachable from a request body or a response.
    pub(super) fn mark_usage(&mut self, operations: &[Operation]) {
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
            if std::mem::replace(&mut visited[current.0], true) {
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

    /// A map whose values are objects, lists or maps is refused: the checks (`validate()`)
    /// and the redaction of secrets go through structs and lists, not into map values, so
    /// such a value would be sent unchecked and printed unredacted.
    pub(super) fn reject_unchecked_map_values(&mut self) {
        let mut found = Vec::new();
        for def in &self.types {
            let TypeKind::Struct(definition) = &def.kind else {
                continue;
            };
            for field in &definition.fields {
                if holds_unchecked_map_values(&field.ty, &self.types) {
                    found.push(field.pointer.clone());
                }
            }
        }
        for pointer in found {
            self.reporter.at_pointer(
                &pointer,
                "unsupported: a map (`additionalProperties: <schema>`) whose values are objects, lists or maps; their checks and the redaction of secrets would not reach them (values may be strings, numbers, booleans, enums or free-form)",
            );
        }
    }
}

fn holds_unchecked_map_values(ty: &FieldType, types: &[super::ir::TypeDef]) -> bool {
    match ty {
        FieldType::Array { items, .. } => holds_unchecked_map_values(items, types),
        FieldType::Map(values) => match values.as_ref() {
            FieldType::Array { .. } | FieldType::Map(_) => true,
            FieldType::Named(id) => matches!(types[id.0].kind, TypeKind::Struct(_)),
            _ => false,
        },
        _ => false,
    }
}
