//! One struct per object schema: fields, constructor and setters, redaction and the response
//! envelope; its defaults are written in `defaults.rs`, its `validate()` in `validate.rs`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::{
    EnvelopeData, Field, FieldType, IntFormat, Model, StructDef, TypeDef, TypeId, TypeKind,
};

use super::docs::{constraint_text, doc_attrs, text_lines};
use super::types::{literal_text, rust_type};
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
        let failures = self.partial_failures_impl(&name, &mut doc);
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
            #failures
        }
    }

    /// A reply that lists the items its call failed for: said on the type, and
    /// `has_failures()` to ask.
    fn partial_failures_impl(&self, name: &Ident, doc: &mut Vec<String>) -> Option<TokenStream> {
        let lists = &self.definition.partial_failures;
        if lists.is_empty() {
            return None;
        }
        let wire: Vec<String> = lists
            .iter()
            .map(|field| format!("`{}`", self.definition.fields[*field].wire_name))
            .collect();
        doc.push(String::new());
        let verb = if wire.len() == 1 { "lists" } else { "list" };
        doc.push(format!(
            "The call may succeed for some items and fail for others: `Code` is then 0 and {} {verb} the items it failed for, each with its own code. Check [`{name}::has_failures`].",
            wire.join(", ")
        ));
        let checks = lists.iter().map(|field| {
            let field_name = self.field_ident(field.0);
            if self.definition.fields[*field].required {
                quote!(!self.#field_name.is_empty())
            } else {
                quote!(self.#field_name.as_ref().is_some_and(|items| !items.is_empty()))
            }
        });
        let method_doc = doc_attrs(&[format!(
            "Whether the call failed for some items ({}), though it succeeded as a whole.",
            wire.join(", ")
        )]);
        Some(quote! {
            impl #name {
                #method_doc
                #[must_use]
                pub fn has_failures(&self) -> bool {
                    #(#checks)||*
                }
            }
        })
    }

    fn contains_number(&self, id: TypeId, seen: &mut Vec<TypeId>) -> bool {
        if seen.contains(&id) {
            return false;
        }
        seen.push(id);
        let definition = match &self.model.types[id].kind {
            TypeKind::Struct(definition) => definition,
            // A union keeps unknown values as JSON, and its alternatives may hold numbers.
            TypeKind::Union(_) => return true,
            TypeKind::Enum(_) => return false,
        };
        definition.fields.iter().any(|field| {
            let mut ty = &field.ty;
            while let FieldType::Array { items: inner, .. } | FieldType::Map(inner) = ty {
                ty = inner;
            }
            match ty {
                FieldType::Number(_) => true,
                FieldType::Named(child) => self.contains_number(*child, seen),
                _ => false,
            }
        })
    }

    pub(super) fn field_ident(&self, index: usize) -> Ident {
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

    fn redact_impl(&self, name: &Ident) -> TokenStream {
        let calls = self
            .definition
            .fields
            .iter()
            .enumerate()
            .filter_map(|(index, field)| {
                let holds_secrets = field.sensitive
                    || crate::model::named_type(&field.ty).is_some_and(|child| {
                        matches!(
                            self.model.types[child].kind,
                            TypeKind::Struct(_) | TypeKind::Union(_)
                        )
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
        // A reply that is its own data keeps its copy of Message and RequestId.
        let copied = if envelope.data == EnvelopeData::Beside {
            quote!(.clone())
        } else {
            TokenStream::new()
        };
        let request_id = match envelope.request_id {
            Some(field) => {
                let field = self.field_ident(field.0);
                quote!(self.#field #copied)
            }
            None => quote!(None),
        };
        let (data, data_value) = match envelope.data {
            EnvelopeData::Field(field) => {
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
            // The reply's fields sit beside the envelope's: the reply is the data, and keeps
            // its copy of Code, Message and RequestId.
            EnvelopeData::Beside => (quote!(Self), quote!(Some(self))),
            // An action without `Data` succeeds with `()`: the envelope's Code alone says so.
            EnvelopeData::Nothing => (quote!(()), quote!(Some(()))),
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
                        message: self.#message #copied,
                        request_id: #request_id,
                        data: #data_value,
                    }
                }
            }
        })
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
