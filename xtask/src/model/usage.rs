//! Usage marking: which types are reachable from requests, from responses, or both.

use super::ir::{Operation, TypeId, TypeKind, Usage};
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

    pub(super) fn mark(&mut self, id: TypeId, usage: Usage) {
        let mut visited = vec![false; self.types.len()];
        let mut stack = vec![id];
        while let Some(current) = stack.pop() {
            if std::mem::replace(&mut visited[current.0], true) {
                continue;
            }
            if let TypeKind::Union(union) = &mut self.types[current].kind {
                union.usage.request |= usage.request;
                union.usage.response |= usage.response;
                stack.extend(
                    union
                        .variants
                        .iter()
                        .filter_map(|variant| named_type(&variant.ty)),
                );
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
