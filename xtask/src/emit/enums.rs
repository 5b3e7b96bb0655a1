//! Open enums: a variant per documented value plus `Unknown`, so values the service adds
//! later still decode.

use proc_macro2::{Ident, Literal as TokenLiteral, TokenStream};
use quote::quote;

use crate::model::{EnumDef, EnumRepr, TypeDef};

use super::docs::{doc_attrs, doc_line, text_lines};
use super::ident;
use super::types::{literal_text, literal_tokens};

pub(super) fn enum_tokens(def: &TypeDef, definition: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let mut doc = text_lines(def.doc.as_deref());
    if doc.is_empty() {
        doc.push(format!("Allowed values of `{}`.", def.source_name));
    }
    doc.push(String::new());
    doc.push(format!("Values: {}.", allowed_text(definition)));
    let doc = doc_attrs(&doc);
    let variants: Vec<Ident> = definition
        .variants
        .iter()
        .map(|variant| ident(&variant.name.ident))
        .collect();
    let variant_docs = definition.variants.iter().map(|variant| {
        let mut lines = text_lines(variant.doc.as_deref());
        lines.push(format!("Wire value: `{}`.", literal_text(&variant.value)));
        doc_attrs(&lines)
    });
    let values: Vec<TokenStream> = definition
        .variants
        .iter()
        .map(|v| literal_tokens(&v.value))
        .collect();
    let known_count = TokenLiteral::usize_unsuffixed(variants.len());
    let unknown_doc = doc_line(
        "A value this version of the crate does not know (the service may add values later). \
         Requests holding one fail validation.",
    );
    let known = quote! {
        /// Every value the spec lists, in its order.
        pub const KNOWN: [Self; #known_count] = [#(Self::#variants),*];
    };
    let representation = match definition.repr {
        EnumRepr::Integer => quote! {
            #doc
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #name {
                #(#variant_docs #variants,)*
                #[doc = #unknown_doc]
                Unknown(i64),
            }

            impl #name {
                #known

                /// The value sent on the wire.
                pub const fn wire_value(self) -> i64 {
                    match self {
                        #(Self::#variants => #values,)*
                        Self::Unknown(value) => value,
                    }
                }

                /// The variant for a wire value; values the spec does not list become `Unknown`.
                pub const fn from_wire_value(value: i64) -> Self {
                    match value {
                        #(#values => Self::#variants,)*
                        other => Self::Unknown(other),
                    }
                }

                /// Whether this is one of the values the spec lists.
                pub const fn is_known(self) -> bool {
                    !matches!(Self::from_wire_value(self.wire_value()), Self::Unknown(_))
                }
            }

            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.wire_value())
                }
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    <i64 as serde::Deserialize>::deserialize(deserializer).map(Self::from_wire_value)
                }
            }
        },
        EnumRepr::String => quote! {
            #doc
            #[derive(Clone, Debug, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #name {
                #(#variant_docs #variants,)*
                #[doc = #unknown_doc]
                Unknown(String),
            }

            impl #name {
                #known

                /// The value sent on the wire.
                pub fn wire_value(&self) -> &str {
                    match self {
                        #(Self::#variants => #values,)*
                        Self::Unknown(value) => value,
                    }
                }

                /// The variant for a wire value; values the spec does not list become `Unknown`.
                pub fn from_wire_value(value: &str) -> Self {
                    match value {
                        #(#values => Self::#variants,)*
                        other => Self::Unknown(other.to_owned()),
                    }
                }

                /// Whether this is one of the values the spec lists.
                pub fn is_known(&self) -> bool {
                    !matches!(Self::from_wire_value(self.wire_value()), Self::Unknown(_))
                }
            }

            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.wire_value())
                }
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    <String as serde::Deserialize>::deserialize(deserializer)
                        .map(|value| Self::from_wire_value(&value))
                }
            }
        },
    };
    quote! {
        #representation

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.wire_value(), f)
            }
        }
    }
}

pub(super) fn allowed_text(definition: &EnumDef) -> String {
    definition
        .variants
        .iter()
        .map(|variant| format!("{} ({})", literal_text(&variant.value), variant.name.ident))
        .collect::<Vec<_>>()
        .join(", ")
}
