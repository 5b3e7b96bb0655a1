//! `src/types.rs`: one struct or enum per schema, and the Rust type of each field.

use proc_macro2::{Literal as TokenLiteral, TokenStream};
use quote::quote;

use crate::crate_surface::{SUPPORT_IMPORTS, TYPES_IMPORTS};
use crate::model::{Field, FieldType, IntFormat, Literal, Model, TypeId, TypeKind};

use super::enums::enum_tokens;
use super::structs::StructEmitter;
use super::unions::union_tokens;
use super::{ident, runtime_crate_tokens, UsedIdents};

/// The items of `types.rs`: one struct or enum per schema.
pub(super) fn type_items(model: &Model) -> TokenStream {
    let items = model
        .types
        .iter()
        .enumerate()
        .map(|(id, def)| match &def.kind {
            TypeKind::Struct(definition) => StructEmitter {
                model,
                id: TypeId(id),
                def,
                definition,
            }
            .emit(),
            TypeKind::Enum(definition) => enum_tokens(def, definition),
            TypeKind::Union(definition) => union_tokens(model, def, definition),
        });
    quote!(#(#items)*)
}

/// The `use` lines of `types.rs`, for the runtime items its types name.
pub(super) fn types_imports(used: &UsedIdents) -> TokenStream {
    let runtime_crate = runtime_crate_tokens();
    let support = used.imports(quote!(#runtime_crate::support), &SUPPORT_IMPORTS);
    let runtime = used.imports(runtime_crate, &TYPES_IMPORTS);
    let collections = used.imports(quote!(std::collections), &["BTreeMap"]);
    quote! {
        #collections
        #support
        #runtime
    }
}

pub(super) fn rust_type(field: &Field, model: &Model) -> TokenStream {
    of(&field.ty, field.sensitive, model)
}

/// The Rust type of a value of `ty` that holds no secret (a list item, a map value, an
/// alternative of a union).
pub(super) fn rust_type_of(ty: &FieldType, model: &Model) -> TokenStream {
    of(ty, false, model)
}

fn of(ty: &FieldType, sensitive: bool, model: &Model) -> TokenStream {
    match ty {
        FieldType::String if sensitive => quote!(SensitiveString),
        FieldType::String => quote!(String),
        FieldType::Integer(format) => int_type(*format),
        FieldType::Number(_) => quote!(f64),
        FieldType::FreeForm => quote!(serde_json::Map<String, serde_json::Value>),
        FieldType::Any => quote!(serde_json::Value),
        FieldType::Map(values) => {
            let values = of(values, false, model);
            quote!(BTreeMap<String, #values>)
        }
        FieldType::Boolean => quote!(bool),
        FieldType::Array { items, .. } => {
            let item = of(items, false, model);
            quote!(Vec<#item>)
        }
        FieldType::Named(id) => {
            let name = ident(&model.types[*id].name);
            quote!(#name)
        }
    }
}

pub(super) fn int_type(format: IntFormat) -> TokenStream {
    match format {
        IntFormat::Int32 => quote!(i32),
        IntFormat::Uint32 => quote!(u32),
        IntFormat::Int64 | IntFormat::Unspecified => quote!(i64),
    }
}

pub(super) fn literal_tokens(literal: &Literal) -> TokenStream {
    match literal {
        Literal::Int(value) => {
            let literal = TokenLiteral::i64_unsuffixed(*value);
            quote!(#literal)
        }
        Literal::Str(value) => quote!(#value),
        Literal::Bool(value) => quote!(#value),
        Literal::Number(value) => number_tokens(value),
    }
}

pub(super) fn literal_text(literal: &Literal) -> String {
    match literal {
        Literal::Int(value) => value.to_string(),
        Literal::Str(value) => value.clone(),
        Literal::Bool(value) => value.to_string(),
        Literal::Number(value) => value.clone(),
    }
}

/// An `f64` literal from its text (`0.7`, `500.0`).
pub(super) fn number_tokens(text: &str) -> TokenStream {
    let value: f64 = text.parse().unwrap_or_default();
    let literal = TokenLiteral::f64_unsuffixed(value);
    quote!(#literal)
}

pub(super) fn option_tokens(value: Option<TokenLiteral>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}
