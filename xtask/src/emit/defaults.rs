//! A struct's defaults: the `DEFAULT_…` constant of each field the spec gives a default, and
//! how its getter reads it.

use proc_macro2::{Literal as TokenLiteral, TokenStream};
use quote::quote;

use crate::model::{EnumRepr, Field, FieldType, Literal, TypeKind};

use super::docs::doc_attrs;
use super::ident;
use super::structs::StructEmitter;
use super::types::{int_type, number_tokens};

impl StructEmitter<'_> {
    pub(super) fn default_items(&self, index: usize, field: &Field) -> Option<TokenStream> {
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

    pub(super) fn default_const(
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
}

pub(super) enum DefaultAccess {
    Copy,
    Str,
    Clone,
}
