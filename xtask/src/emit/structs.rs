//! One struct per object schema: fields, constructor and setters, defaults, `validate()`
//! (constraints and rules), redaction and the response envelope.

use proc_macro2::{Ident, Literal as TokenLiteral, TokenStream};
use quote::quote;

use crate::model::{
    Assertion, Condition, Constraints, EnumRepr, Field, FieldType, IntFormat, Literal, Model,
    StructDef, TypeDef, TypeId, TypeKind,
};

use super::docs::{constraint_text, doc_attrs, text_lines};
use super::enums::allowed_text;
use super::rules::{
    assertion_tokens, condition_tokens, each_item_tokens, parent_path_tokens, path_fields,
    path_tokens, scalar_value, violation_constructor, Access,
};
use super::types::{int_type, literal_text, number_tokens, option_tokens, rust_type};
use super::{ident, RUNTIME_CRATE};

pub(super) struct StructEmitter<'a> {
    pub(super) model: &'a Model,
    pub(super) id: TypeId,
    pub(super) def: &'a TypeDef,
    pub(super) definition: &'a StructDef,
}

impl StructEmitter<'_> {
    pub(super) fn emit(&self) -> TokenStream {
        let name = ident(&self.model.types[self.id].name);
        let mut doc = text_lines(self.def.doc.as_deref());
        if doc.is_empty() {
            doc.push(format!("The `{}` schema.", self.def.source_name));
        }
        for note in &self.definition.notes {
            doc.push(String::new());
            doc.push(format!("Spec note: {note}"));
        }
        let doc = doc_attrs(&doc);
        let any_required = self.definition.fields.iter().any(|f| f.required);
        let all_eq = !self.contains_number(self.id, &mut Vec::new());
        let mut derives = vec![quote!(Clone), quote!(Debug), quote!(PartialEq)];
        if all_eq {
            derives.push(quote!(Eq));
        }
        if !any_required {
            derives.push(quote!(Default));
        }
        derives.extend([quote!(serde::Serialize), quote!(serde::Deserialize)]);
        // Request-only types reject unknown fields, so a typo in a JSON request file is an error
        // instead of a silently dropped setting. Response types accept fields added later.
        let deny_unknown = (self.definition.usage.request && !self.definition.usage.response)
            .then(|| quote!(#[serde(deny_unknown_fields)]));
        let fields = self
            .definition
            .fields
            .iter()
            .enumerate()
            .map(|(index, field)| self.field_decl(index, field));
        let inherent = self.inherent_impl(&name);
        let validate = self
            .definition
            .usage
            .request
            .then(|| self.validate_impl(&name));
        let redact = self
            .definition
            .usage
            .request
            .then(|| self.redact_impl(&name));
        let envelope = self.envelope_impl(&name);
        // Non-exhaustive, so that a new optional field in the spec is not a breaking change:
        // values are built with `new`, `Default` and the `with_` setters.
        quote! {
            #doc
            #[derive(#(#derives),*)]
            #deny_unknown
            #[non_exhaustive]
            pub struct #name {
                #(#fields)*
            }
            #inherent
            #validate
            #redact
            #envelope
        }
    }

    fn contains_number(&self, id: TypeId, seen: &mut Vec<TypeId>) -> bool {
        if seen.contains(&id) {
            return false;
        }
        seen.push(id);
        let TypeKind::Struct(definition) = &self.model.types[id].kind else {
            return false;
        };
        definition.fields.iter().any(|field| {
            let mut ty = &field.ty;
            while let FieldType::Array { items, .. } = ty {
                ty = items;
            }
            match ty {
                FieldType::Number(_) => true,
                FieldType::Map(values) => matches!(**values, FieldType::Number(_)),
                FieldType::Named(child) => self.contains_number(*child, seen),
                _ => false,
            }
        })
    }

    fn field_ident(&self, index: usize) -> Ident {
        ident(&self.definition.fields[index].name.ident)
    }

    fn field_decl(&self, index: usize, field: &Field) -> TokenStream {
        let name = self.field_ident(index);
        let ty = rust_type(field, self.model);
        let ty = if field.required {
            ty
        } else {
            quote!(Option<#ty>)
        };
        let wire = &field.wire_name;
        let rename = self.definition.fields[index]
            .name
            .needs_rename
            .then(|| quote!(rename = #wire,));
        let skip = (!field.required).then(|| quote!(skip_serializing_if = "Option::is_none",));
        let whole = holds_numbers(&field.ty).then(|| {
            let path = format!(
                "{}::support::serialize_whole_numbers",
                RUNTIME_CRATE.replace('-', "_")
            );
            quote!(serialize_with = #path,)
        });
        let serde = (rename.is_some() || skip.is_some() || whole.is_some())
            .then(|| quote!(#[serde(#rename #skip #whole)]));
        let doc = doc_attrs(&self.field_doc(field));
        quote! {
            #doc
            #serde
            pub #name: #ty,
        }
    }

    fn field_doc(&self, field: &Field) -> Vec<String> {
        let mut lines = text_lines(field.doc.as_deref());
        let mut facts = vec![format!("Wire name: `{}`.", field.wire_name)];
        if field.required {
            facts.push("Required.".to_owned());
        }
        if let Some(default) = &field.default {
            facts.push(format!(
                "Default when not sent: `{}`.",
                literal_text(default)
            ));
        }
        facts.extend(constraint_text(&field.constraints));
        if field.sensitive {
            facts.push("A credential: never printed.".to_owned());
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(facts.join(" "));
        if let Some(note) = &field.note {
            lines.push(String::new());
            lines.push(format!("Spec note: {note}"));
        }
        lines
    }

    fn inherent_impl(&self, name: &Ident) -> TokenStream {
        let constructor = self.constructor();
        let setters = self
            .definition
            .fields
            .iter()
            .enumerate()
            .map(|(index, field)| {
                let field_name = self.field_ident(index);
                let setter = ident(&field.accessors.setter);
                let (param, value) = self.param(index, field);
                let value = if value.is_empty() {
                    quote!(#field_name)
                } else {
                    value
                };
                // Required fields have setters too, so a value built by a constructor or a
                // helper can still be adjusted in a chain.
                let (doc, assignment) = if field.required {
                    (format!("Replaces `{}`.", field.wire_name), quote!(#value))
                } else {
                    (format!("Sets `{}`.", field.wire_name), quote!(Some(#value)))
                };
                let doc = doc_attrs(&[doc]);
                quote! {
                    #doc
                    #[must_use]
                    pub fn #setter(mut self, #field_name: #param) -> Self {
                        self.#field_name = #assignment;
                        self
                    }
                }
            });
        let defaults = self
            .definition
            .fields
            .iter()
            .enumerate()
            .filter_map(|(index, field)| self.default_items(index, field));
        let validate = self.definition.usage.request.then(|| {
            quote! {
                /// Checks every constraint and cross-field rule of the spec; reports all violations.
                ///
                /// # Errors
                /// A [`ValidationError`] listing every violation.
                pub fn validate(&self) -> Result<(), ValidationError> {
                    Validate::validate(self)
                }
            }
        });
        quote! {
            impl #name {
                #constructor
                #(#setters)*
                #(#defaults)*
                #validate
            }
        }
    }

    fn constructor(&self) -> Option<TokenStream> {
        let required: Vec<(usize, &Field)> = self
            .definition
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.required)
            .collect();
        if required.is_empty() {
            return Some(quote! {
                /// A value with nothing set, the same as [`Default::default`].
                pub fn new() -> Self {
                    Self::default()
                }
            });
        }
        let params = required.iter().map(|(index, field)| {
            let name = self.field_ident(*index);
            let (param, _) = self.param(*index, field);
            quote!(#name: #param)
        });
        let inits = self
            .definition
            .fields
            .iter()
            .enumerate()
            .map(|(index, field)| {
                let name = self.field_ident(index);
                if field.required {
                    match self.param(index, field).1 {
                        value if value.is_empty() => quote!(#name),
                        value => quote!(#name: #value),
                    }
                } else {
                    quote!(#name: None)
                }
            });
        let wire_names: Vec<String> = required
            .iter()
            .map(|(_, f)| format!("`{}`", f.wire_name))
            .collect();
        let doc = doc_attrs(&[format!(
            "A value with the required fields ({}) and nothing else set.",
            wire_names.join(", ")
        )]);
        let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let deprecated = self
            .definition
            .deprecated_constructor
            .as_deref()
            .map(|note| quote!(#[deprecated(note = #note)]));
        Some(quote! {
            #doc
            #allow
            #deprecated
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        })
    }

    /// The parameter type a constructor or setter takes, and how it becomes the field's value.
    fn param(&self, index: usize, field: &Field) -> (TokenStream, TokenStream) {
        let value = self.field_ident(index);
        match (&field.ty, field.sensitive) {
            (FieldType::String, true) => {
                (quote!(impl Into<SensitiveString>), quote!(#value.into()))
            }
            (FieldType::String, false) => (quote!(impl Into<String>), quote!(#value.into())),
            // Shorthand initialisation: clippy's redundant_field_names rejects `name: name`.
            _ => (rust_type(field, self.model), TokenStream::new()),
        }
    }

    fn default_items(&self, index: usize, field: &Field) -> Option<TokenStream> {
        let default = field.default.as_ref()?;
        let const_name = ident(field.accessors.default_const.as_deref()?);
        let (const_type, const_value, copy) = self.default_const(field, default)?;
        let doc = doc_attrs(&[format!(
            "The value the service uses for `{}` when it is not sent.",
            field.wire_name
        )]);
        let constant = quote! {
            #doc
            pub const #const_name: #const_type = #const_value;
        };
        let Some(getter) = field.accessors.default_getter.as_deref() else {
            return Some(constant);
        };
        let field_name = self.field_ident(index);
        let getter = ident(getter);
        let getter_doc = doc_attrs(&[format!(
            "`{}` as the service sees it: the value set, else [`Self::{const_name}`].",
            field.wire_name
        )]);
        let (body, getter_type) = match copy {
            DefaultAccess::Copy => (
                quote!(self.#field_name.unwrap_or(Self::#const_name)),
                const_type,
            ),
            DefaultAccess::Str => (
                quote!(self.#field_name.as_deref().unwrap_or(Self::#const_name)),
                quote!(&str),
            ),
            DefaultAccess::Clone => (
                quote!(self.#field_name.clone().unwrap_or(Self::#const_name)),
                const_type,
            ),
        };
        Some(quote! {
            #constant
            #getter_doc
            pub fn #getter(&self) -> #getter_type {
                #body
            }
        })
    }

    fn default_const(
        &self,
        field: &Field,
        default: &Literal,
    ) -> Option<(TokenStream, TokenStream, DefaultAccess)> {
        match (&field.ty, default) {
            (FieldType::Integer(format), Literal::Int(value)) => {
                let ty = int_type(*format);
                let literal = TokenLiteral::i64_unsuffixed(*value);
                Some((ty, quote!(#literal), DefaultAccess::Copy))
            }
            (FieldType::Boolean, Literal::Bool(value)) => {
                Some((quote!(bool), quote!(#value), DefaultAccess::Copy))
            }
            (FieldType::Number(_), Literal::Number(value)) => {
                Some((quote!(f64), number_tokens(value), DefaultAccess::Copy))
            }
            (FieldType::String, Literal::Str(value)) if !field.sensitive => {
                Some((quote!(&'static str), quote!(#value), DefaultAccess::Str))
            }
            (FieldType::Named(id), literal) => {
                let TypeKind::Enum(definition) = &self.model.types[*id].kind else {
                    return None;
                };
                let position = definition
                    .variants
                    .iter()
                    .position(|v| &v.value == literal)?;
                let type_name = ident(&self.model.types[*id].name);
                let variant = ident(&definition.variants[position].name.ident);
                let access = match definition.repr {
                    EnumRepr::Integer => DefaultAccess::Copy,
                    EnumRepr::String => DefaultAccess::Clone,
                };
                Some((quote!(#type_name), quote!(#type_name::#variant), access))
            }
            _ => None,
        }
    }

    /// The rule's description, followed by the value of each enum its conditions test, by
    /// name (`StorageParams.Vendor is AmazonS3`): the spec's words give numbers, the caller
    /// wrote variants.
    fn rule_message(&self, rule: &crate::model::Rule) -> TokenStream {
        let description = &rule.description;
        let shown: Vec<(String, TokenStream)> = rule
            .when
            .iter()
            .filter_map(|condition| match condition {
                Condition::OneOf { path, .. } => Some(path),
                _ => None,
            })
            .filter(|path| {
                path_fields(self.model, path).last().is_some_and(|field| {
                    matches!(field.ty, FieldType::Named(id)
                        if matches!(self.model.types[id].kind, TypeKind::Enum(_)))
                })
            })
            .filter_map(|path| match scalar_value(self.model, path, &quote!(self)) {
                Access::Direct(value) => Some((path.wire.clone(), value)),
                Access::Maybe(_) => None,
            })
            .collect();
        if shown.is_empty() {
            return quote!(#description);
        }
        let template = shown
            .iter()
            .fold(String::from("{}"), |mut text, (wire, _)| {
                text.push_str(&format!(" ({wire} is {{:?}})"));
                text
            });
        let values = shown.iter().map(|(_, value)| value);
        quote!(format!(#template, #description, #(#values),*))
    }

    fn validate_impl(&self, name: &Ident) -> TokenStream {
        let field_checks =
            self.definition
                .fields
                .iter()
                .enumerate()
                .filter_map(|(index, field)| {
                    let wire = &field.wire_name;
                    let field_name = self.field_ident(index);
                    let checks =
                        value_checks(self.model, &field.ty, &field.constraints, field.sensitive)?;
                    let binding = if field.required {
                        quote! {
                            let value = &self.#field_name;
                            #checks
                        }
                    } else {
                        quote! {
                            if let Some(value) = &self.#field_name {
                                #checks
                            }
                        }
                    };
                    Some(quote! {
                        {
                            let at = at.field(#wire);
                            #binding
                        }
                    })
                });
        let rules = self.definition.rules.iter().map(|rule| {
            let id = &rule.id;
            let violation = violation_constructor(rule.grade);
            let when: Vec<TokenStream> = rule
                .when
                .iter()
                .map(|c| condition_tokens(self.model, c, &quote!(self), false))
                .collect();
            let single = rule.then.len() == 1;
            let asserts = rule.then.iter().map(|a| {
                let message = self.rule_message(rule);
                if let Assertion::EachAtMost {
                    array,
                    item_field,
                    bound,
                } = a
                {
                    let check = each_item_tokens(
                        self.model,
                        array,
                        item_field,
                        bound,
                        |at| quote!(#violation(#at, #id, #message)),
                    );
                    // With several assertions the rule's conditions already wrap them all.
                    return if when.is_empty() || !single {
                        check
                    } else {
                        quote!(if #(#when)&&* { #check })
                    };
                }
                let (broken, path) = assertion_tokens(self.model, a);
                // A limit on two fields together (Width × Height) is about the object that
                // holds them, not the first of them.
                let at = match a {
                    Assertion::ProductAtMost { .. } => parent_path_tokens(path),
                    _ => path_tokens(path),
                };
                // A lone assertion joins the rule's conditions in one `if` (clippy's collapsible_if).
                let guard = if single {
                    when.iter().chain([&broken]).cloned().collect()
                } else {
                    vec![broken]
                };
                let message = self.rule_message(rule);
                let finding = quote!(#violation(#at, #id, #message));
                quote! {
                    if #(#guard)&&* {
                        out.push(#finding);
                    }
                }
            });
            if when.is_empty() || single {
                quote! { #(#asserts)* }
            } else {
                quote! {
                    if #(#when)&&* {
                        #(#asserts)*
                    }
                }
            }
        });
        let field_checks: Vec<TokenStream> = field_checks.collect();
        let rules: Vec<TokenStream> = rules.collect();
        // Named `_at`/`_out` when nothing is checked, so the impl compiles without warnings.
        let (at, out) = if field_checks.is_empty() && rules.is_empty() {
            (quote!(_at), quote!(_out))
        } else {
            (quote!(at), quote!(out))
        };
        quote! {
            impl Validate for #name {
                fn collect_violations(
                    &self,
                    #at: &FieldPath<'_>,
                    #out: &mut Vec<Violation>,
                ) {
                    #(#field_checks)*
                    #(#rules)*
                }
            }
        }
    }

    fn redact_impl(&self, name: &Ident) -> TokenStream {
        let calls = self
            .definition
            .fields
            .iter()
            .enumerate()
            .filter_map(|(index, field)| {
                let holds_secrets = field.sensitive
                    || crate::model::named_type(&field.ty).is_some_and(|child| {
                        matches!(self.model.types[child].kind, TypeKind::Struct(_))
                    });
                let field_name = self.field_ident(index);
                holds_secrets.then(|| quote!(Redact::redact(&mut self.#field_name);))
            });
        quote! {
            impl Redact for #name {
                fn redact(&mut self) {
                    #(#calls)*
                }
            }
        }
    }

    fn envelope_impl(&self, name: &Ident) -> Option<TokenStream> {
        let envelope = self.definition.envelope.as_ref()?;
        let code = self.field_ident(envelope.code.0);
        let message = self.field_ident(envelope.message.0);
        let request_id = self.field_ident(envelope.request_id.0);
        // An action without `Data` succeeds with `()`: the envelope's Code alone says so.
        let (data, data_value) = match envelope.data {
            Some(field) => {
                let data_field = self.field_ident(field.0);
                let definition = &self.definition.fields[field];
                let data = rust_type(definition, self.model);
                // The documentation guarantees only Code, Message and RequestId: a success
                // without Data is still a success, with nothing set, when Data can be empty.
                let can_be_empty = match &definition.ty {
                    FieldType::Named(id) => matches!(
                        &self.model.types[*id].kind,
                        TypeKind::Struct(data_def) if data_def.fields.iter().all(|f| !f.required)
                    ),
                    FieldType::Array { .. }
                    | FieldType::FreeForm
                    | FieldType::Map(_)
                    | FieldType::Any => true,
                    _ => false,
                };
                let value = match (definition.required, can_be_empty) {
                    (true, _) => quote!(Some(self.#data_field)),
                    (false, true) => quote!(Some(self.#data_field.unwrap_or_default())),
                    (false, false) => quote!(self.#data_field),
                };
                (data, value)
            }
            None => (quote!(()), quote!(Some(()))),
        };
        let code_value = match self.definition.fields[envelope.code].ty {
            FieldType::Integer(IntFormat::Int64 | IntFormat::Unspecified) => quote!(self.#code),
            _ => quote!(self.#code.map(i64::from)),
        };
        Some(quote! {
            impl Envelope for #name {
                type Data = #data;
                fn into_parts(self) -> EnvelopeParts<Self::Data> {
                    EnvelopeParts {
                        code: #code_value,
                        message: self.#message,
                        request_id: self.#request_id,
                        data: #data_value,
                    }
                }
            }
        })
    }
}

enum DefaultAccess {
    Copy,
    Str,
    Clone,
}

/// Checks on `value` (a reference to a value of type `ty`) at path `at`; `None` when the type
/// has nothing to check.
fn value_checks(
    model: &Model,
    ty: &FieldType,
    constraints: &Constraints,
    sensitive: bool,
) -> Option<TokenStream> {
    match ty {
        FieldType::Integer(format)
            if constraints.minimum.is_some() || constraints.maximum.is_some() =>
        {
            let minimum = option_tokens(constraints.minimum.map(TokenLiteral::i64_unsuffixed));
            let maximum = option_tokens(constraints.maximum.map(TokenLiteral::i64_unsuffixed));
            let value = match format {
                IntFormat::Int32 | IntFormat::Uint32 => quote!(i64::from(*value)),
                IntFormat::Int64 | IntFormat::Unspecified => quote!(*value),
            };
            Some(quote! {
                check_range(#value, #minimum, #maximum, &at, out);
            })
        }
        FieldType::Number(_)
            if constraints.number_minimum.is_some() || constraints.number_maximum.is_some() =>
        {
            let bound = |value: Option<f64>| option_tokens(value.map(TokenLiteral::f64_unsuffixed));
            let minimum = bound(constraints.number_minimum);
            let maximum = bound(constraints.number_maximum);
            Some(quote! {
                check_number_range(*value, #minimum, #maximum, &at, out);
            })
        }
        FieldType::String
            if constraints.min_length.is_some() || constraints.max_length.is_some() =>
        {
            let minimum = option_tokens(constraints.min_length.map(TokenLiteral::usize_unsuffixed));
            let maximum = option_tokens(constraints.max_length.map(TokenLiteral::usize_unsuffixed));
            let text = if sensitive {
                quote!(value.expose_secret())
            } else {
                quote!(value)
            };
            Some(quote! {
                check_length(#text, #minimum, #maximum, &at, out);
            })
        }
        FieldType::Named(id) => match &model.types[*id].kind {
            TypeKind::Enum(definition) => {
                let allowed = allowed_text(definition);
                Some(quote! {
                    check_known(value.is_known(), value, #allowed, &at, out);
                })
            }
            TypeKind::Struct(_) => Some(quote! {
                Validate::collect_violations(value, &at, out);
            }),
        },
        FieldType::Array {
            items,
            item_constraints,
        } => {
            let count =
                (constraints.min_items.is_some() || constraints.max_items.is_some()).then(|| {
                    let minimum =
                        option_tokens(constraints.min_items.map(TokenLiteral::usize_unsuffixed));
                    let maximum =
                        option_tokens(constraints.max_items.map(TokenLiteral::usize_unsuffixed));
                    quote! {
                        check_items(value.len(), #minimum, #maximum, &at, out);
                    }
                });
            let unique = constraints.unique_items.then(|| {
                quote! {
                    check_unique(value, &at, out);
                }
            });
            let each = value_checks(model, items, item_constraints, false).map(|checks| {
                quote! {
                    for (index, value) in value.iter().enumerate() {
                        let at = at.index(index);
                        #checks
                    }
                }
            });
            if count.is_none() && unique.is_none() && each.is_none() {
                return None;
            }
            Some(quote! { #count #unique #each })
        }
        _ => None,
    }
}

/// Whether a field's value is made of `f64`s (a number, or a list or map of them), which go
/// on the wire with whole numbers as integers.
fn holds_numbers(ty: &FieldType) -> bool {
    match ty {
        FieldType::Number(_) => true,
        FieldType::Array { items, .. } => holds_numbers(items),
        FieldType::Map(values) => holds_numbers(values),
        _ => false,
    }
}
