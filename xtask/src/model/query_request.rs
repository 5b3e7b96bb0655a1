//! An operation's parameters: the common signing ones (which the client fills in), the
//! `Action`, and a GET operation's query lowered to the fields of one request type, with only
//! the query styles the client sends as documented.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, SchemaKind, Type};
use serde_json::Value;

use crate::diagnostics::pointer_join;

use super::ir::{FieldType, HttpMethod, TypeDef, TypeId, TypeKind, COMMON_PARAMETERS};
use super::operations::OperationContext;
use super::{empty_struct, Builder};

impl Builder<'_> {
    /// Checks that the operation declares the common signing parameters (which the client
    /// fills in) and returns its `Action` value, with a GET operation's other query
    /// parameters (its request's fields). Parameters declared on the path item count too,
    /// unless the operation declares one with the same name and location.
    pub(super) fn parameters<'s>(
        &mut self,
        context: &OperationContext<'s>,
        operation: &'s openapiv3::Operation,
        pointer: &str,
    ) -> (Option<String>, Vec<QueryParameter>) {
        let shared_parameters = context.shared_parameters;
        let mut query = Vec::new();
        let mut seen: BTreeMap<&str, String> = BTreeMap::new();
        let mut action = None;
        let parameters_pointer = pointer_join(pointer, "parameters");
        let spec = self.spec;
        let own: Vec<(&ReferenceOr<openapiv3::Parameter>, String)> = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(index, parameter)| {
                (
                    parameter,
                    pointer_join(&parameters_pointer, &index.to_string()),
                )
            })
            .collect();
        let key = |parameter: &ReferenceOr<openapiv3::Parameter>, at: &str| {
            spec.parameter(parameter, at).map(|(parameter, _)| {
                let data = parameter.parameter_data_ref();
                (data.name.clone(), std::mem::discriminant(parameter))
            })
        };
        let own_keys: Vec<_> = own.iter().filter_map(|(p, at)| key(p, at)).collect();
        let inherited = shared_parameters
            .iter()
            .filter(|(p, at)| key(p, at).is_none_or(|k| !own_keys.contains(&k)));
        let all: Vec<(&ReferenceOr<openapiv3::Parameter>, String)> = inherited
            .map(|(p, at)| (*p, at.clone()))
            .chain(own.iter().map(|(p, at)| (*p, at.clone())))
            .collect();
        for (parameter, at) in &all {
            let Some((parameter, at)) = spec.parameter(parameter, at) else {
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
                if let (HttpMethod::Get, openapiv3::Parameter::Query { style, .. }) =
                    (context.http_method, parameter)
                {
                    query.push(QueryParameter {
                        data: data.clone(),
                        style: style.clone(),
                        pointer: at.clone(),
                    });
                    continue;
                }
                self.reporter.at_pointer(
                    &at,
                    format!(
                        "parameter `{}` is not a common signing parameter: a POST action takes \
                         only the parameters marked `x-zego-common-param` ({}) and sends its \
                         request as a JSON body; a GET action's other query parameters are its \
                         request's fields",
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
        (action, query)
    }

    pub(super) fn action_value(
        &mut self,
        data: &openapiv3::ParameterData,
        pointer: &str,
    ) -> Option<String> {
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

    /// A GET operation's request: a struct of its query parameters, named after the
    /// operation (`DescribeUsersRequest`), each field under its parameter's name.
    pub(super) fn query_request_type(
        &mut self,
        operation: &openapiv3::Operation,
        query: &[QueryParameter],
        pointer: &str,
    ) -> Option<TypeId> {
        if operation.request_body.is_some() {
            self.reporter.at_pointer(
                &pointer_join(pointer, "requestBody"),
                "a GET action takes no body: its request is its query parameters",
            );
        }
        let name = format!(
            "{}Request",
            operation.operation_id.as_deref().unwrap_or("Get")
        );
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: String::new(),
            source_name: name,
            pointer: pointer_join(pointer, "parameters"),
            doc: Some(format!(
                "The query parameters of `{}`.",
                operation.operation_id.as_deref().unwrap_or_default()
            )),
            kind: TypeKind::Struct(empty_struct()),
        });
        let mut fields = Vec::new();
        for parameter in query {
            let data = &parameter.data;
            self.check_query_style(parameter);
            let schema = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(schema) => match schema {
                    ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                        reference: reference.clone(),
                    },
                    ReferenceOr::Item(schema) => ReferenceOr::Item(Box::new(schema.clone())),
                },
                openapiv3::ParameterSchemaOrContent::Content(_) => {
                    self.reporter.at_pointer(
                        &parameter.pointer,
                        "unsupported: a query parameter described by `content` instead of `schema`",
                    );
                    continue;
                }
            };
            let at = pointer_join(&parameter.pointer, "schema");
            if let Some(mut field) = self.field(&data.name, &schema, data.required, &at) {
                self.check_query_structure(parameter, &field.ty);
                field.doc = data.description.clone();
                fields.push(field);
            }
        }
        let mut definition = empty_struct();
        definition.fields = fields;
        self.types[id].kind = TypeKind::Struct(definition);
        Some(id)
    }

    /// How a parameter is declared to go into the query: `x-zego-query-style` is
    /// `recursive-indexed-dot` (ZEGOCLOUD's `Name.0.Field=…`) if anything, and a list goes as
    /// `style: form` with `explode: true`. What its value holds is checked once it is typed
    /// (`check_query_structure`).
    pub(super) fn check_query_style(&mut self, parameter: &QueryParameter) {
        let (data, pointer) = (&parameter.data, parameter.pointer.as_str());
        let style = data
            .extensions
            .get("x-zego-query-style")
            .map(|style| style.as_str());
        if let Some(style) = style.filter(|style| *style != Some("recursive-indexed-dot")) {
            self.reporter.at_pointer(
                &pointer_join(pointer, "x-zego-query-style"),
                format!(
                    "unknown query style {style:?}: the one supported is `recursive-indexed-dot`"
                ),
            );
        }
        let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return;
        };
        let schema = match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self
                .spec
                .schema_target(reference)
                .and_then(|name| self.spec.component_schema(name)),
        };
        let Some(schema) = schema else {
            return;
        };
        // The client writes a list as `style: form` with `explode: true` (one `name=value` per
        // item); a list declared another way (`a,b`, `a|b`, `a b`, `name[key]=`) would be sent
        // wrongly. For a single value every style but `deepObject` writes `name=value`.
        let is_list = matches!(schema.schema_kind, SchemaKind::Type(Type::Array(_)));
        let form = matches!(parameter.style, openapiv3::QueryStyle::Form);
        let deep = matches!(parameter.style, openapiv3::QueryStyle::DeepObject);
        if deep || (is_list && (!form || data.explode == Some(false))) {
            self.reporter.at_pointer(
                pointer,
                format!(
                    "unsupported: query parameter `{}` is written in a way the client does not write (lists go `style: form` with \
                     `explode: true`, single values as `name=value`)",
                    data.name
                ),
            );
        }
    }

    /// Whether the parameter's value has structure (objects, nested lists, maps, any value)
    /// exactly when it declares `x-zego-query-style`. The client writes structure by index and
    /// dot, and plain values and lists of them as `name=value` pairs whatever the style says,
    /// so a style on a plain value would be ignored, and structure without one would be sent
    /// by a convention the spec never stated.
    pub(super) fn check_query_structure(&mut self, parameter: &QueryParameter, ty: &FieldType) {
        let (name, pointer) = (&parameter.data.name, parameter.pointer.as_str());
        let styled = parameter.data.extensions.contains_key("x-zego-query-style");
        let plain = |ty: &FieldType| self.is_plain_query_value(ty);
        let structured = match ty {
            FieldType::Array { items, .. } => !plain(items),
            other => !plain(other),
        };
        if structured && !styled {
            self.reporter.at_pointer(
                pointer,
                format!(
                    "query parameter `{name}` holds objects, which a query cannot carry without a convention; \
                     set `x-zego-query-style: recursive-indexed-dot` if the service reads `{name}.0.Field=…`"
                ),
            );
        }
        if styled && !structured {
            self.reporter.at_pointer(
                &pointer_join(pointer, "x-zego-query-style"),
                format!(
                    "query parameter `{name}` holds plain values, which the client writes as `{name}=value` \
                     pairs; the style would be ignored, so it is refused"
                ),
            );
        }
    }

    /// A value written as one `name=value` pair: a string, number, boolean or enum.
    pub(super) fn is_plain_query_value(&self, ty: &FieldType) -> bool {
        match ty {
            FieldType::String
            | FieldType::Integer(_)
            | FieldType::Number(_)
            | FieldType::Boolean => true,
            FieldType::Named(id) => matches!(self.types[*id].kind, TypeKind::Enum(_)),
            FieldType::Array { .. } | FieldType::Map(_) | FieldType::FreeForm | FieldType::Any => {
                false
            }
        }
    }
}

/// A query parameter of a GET operation besides the signing ones: a field of its request.
pub(super) struct QueryParameter {
    pub(super) data: openapiv3::ParameterData,
    pub(super) style: openapiv3::QueryStyle,
    pub(super) pointer: String,
}
