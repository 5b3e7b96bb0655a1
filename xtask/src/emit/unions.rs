//! One type per `oneOf`/`anyOf`. When the alternatives' shapes tell a value's alternative, an
//! enum with a variant per alternative and `Unknown` for a value none describes, read by the
//! tests the model gave each alternative (never by trying them in order); when they do not, a
//! wrapper around the JSON value with a method per alternative that reads it as that one.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::model::{FieldType, Model, TypeDef, UnionDef, VariantTest};

use super::docs::{doc_attrs, text_lines};
use super::ident;
use super::types::rust_type_of;
use super::validate::value_checks;

pub(super) fn union_tokens(model: &Model, def: &TypeDef, union: &UnionDef) -> TokenStream {
    let name = ident(&def.name);
    let mut doc = text_lines(def.doc.as_deref());
    if doc.is_empty() {
        doc.push(format!(
            "The `{}` schema: one of several alternatives.",
            def.source_name
        ));
    }
    let keyword = if union.exclusive { "oneOf" } else { "anyOf" };
    let alternatives: Vec<String> = union
        .variants
        .iter()
        .map(|variant| format!("`{}`", variant.name))
        .collect();
    doc.push(String::new());
    doc.push(format!(
        "Alternatives (`{keyword}`): {}.",
        alternatives.join(", ")
    ));
    if union.decidable {
        doc.push(
            "Which one a value is follows from its shape: its JSON kind, and for an object the \
             keys only that alternative declares. A value no alternative's shape fits is kept \
             as `Unknown`."
                .to_owned(),
        );
        if !union.exclusive {
            doc.push(
                "With `anyOf` a value may fit several; it is read as the first, in the order \
                 above."
                    .to_owned(),
            );
        }
        decided(model, &name, &doc, union)
    } else {
        doc.push(
            "Nothing in a value's shape tells these alternatives apart (their keys overlap or \
             are all optional), so the value is kept as it came; read it as the alternative \
             the context says with the `to_…` methods."
                .to_owned(),
        );
        undecided(model, &name, &doc, union)
    }
}

fn fallback_name(union: &UnionDef) -> Ident {
    if union
        .variants
        .iter()
        .any(|variant| variant.name == "Unknown")
    {
        format_ident!("UnknownShape")
    } else {
        format_ident!("Unknown")
    }
}

fn decided(model: &Model, name: &Ident, doc: &[String], union: &UnionDef) -> TokenStream {
    let doc = doc_attrs(doc);
    let fallback = fallback_name(union);
    let variants = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let ty = rust_type_of(&variant.ty, model);
        let variant_doc = doc_attrs(&[format!("The alternative {}.", shape_text(&variant.test))]);
        quote! {
            #variant_doc
            #variant_name(#ty),
        }
    });
    let reads = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let test = test_tokens(&variant.test);
        quote! {
            if #test {
                return serde_json::from_value(value)
                    .map(Self::#variant_name)
                    .map_err(serde::de::Error::custom);
            }
        }
    });
    let checks = checks_impl(model, name, union, true);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value none of the alternatives' shapes fits, kept as it came.
            #fallback(serde_json::Value),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                #(#reads)*
                Ok(Self::#fallback(value))
            }
        }
        #checks
    }
}

fn undecided(model: &Model, name: &Ident, doc: &[String], union: &UnionDef) -> TokenStream {
    let doc = doc_attrs(doc);
    let accessors = union.variants.iter().map(|variant| {
        let to = format_ident!("to_{}", variant.accessor);
        let from = format_ident!("from_{}", variant.accessor);
        let ty = rust_type_of(&variant.ty, model);
        let to_doc = doc_attrs(&[
            format!("Reads the value as the alternative `{}`.", variant.name),
            String::new(),
            "# Errors".to_owned(),
            String::new(),
            "When the value does not decode as that alternative.".to_owned(),
        ]);
        let from_doc = doc_attrs(&[
            format!("The alternative `{}` as this value.", variant.name),
            String::new(),
            "# Errors".to_owned(),
            String::new(),
            "When the value cannot be written as JSON.".to_owned(),
        ]);
        quote! {
            #to_doc
            pub fn #to(&self) -> Result<#ty, serde_json::Error> {
                serde_json::from_value(self.0.clone())
            }
            #from_doc
            pub fn #from(value: &#ty) -> Result<Self, serde_json::Error> {
                serde_json::to_value(value).map(Self)
            }
        }
    });
    let checks = checks_impl(model, name, union, false);
    quote! {
        #doc
        #[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub serde_json::Value);

        impl #name {
            #(#accessors)*
        }
        #checks
    }
}

/// `Validate` and `Redact` for a union in a request: each alternative is checked as what it
/// is (its own bounds, or its struct's checks); a value kept whole has nothing the client can
/// check.
fn checks_impl(model: &Model, name: &Ident, union: &UnionDef, decidable: bool) -> TokenStream {
    if !union.usage.request {
        return TokenStream::new();
    }
    if !decidable {
        return quote! {
            impl Validate for #name {
                fn collect_violations(&self, _at: &FieldPath<'_>, _out: &mut Vec<Violation>) {}
            }
            impl Redact for #name {
                fn redact(&mut self) {}
            }
        };
    }
    let validate_arms: Vec<(TokenStream, TokenStream)> = union
        .variants
        .iter()
        .filter_map(|variant| {
            let checks = value_checks(model, &variant.ty, &variant.constraints, false)?;
            let variant_name = ident(&variant.name);
            Some((quote!(Self::#variant_name(value)), checks))
        })
        .collect();
    let redact_arms: Vec<(TokenStream, TokenStream)> = union
        .variants
        .iter()
        .filter(|variant| holds_struct(model, &variant.ty))
        .map(|variant| {
            let variant_name = ident(&variant.name);
            (
                quote!(Self::#variant_name(value)),
                quote!(Redact::redact(value)),
            )
        })
        .collect();
    // `at` as a value, the way a field's checks read it.
    let validate_body = match validate_arms.as_slice() {
        [] => quote!(let _ = (at, out);),
        [(pattern, checks)] => quote! {
            let at = *at;
            if let #pattern = self {
                #checks
            }
        },
        arms => {
            let arms = arms
                .iter()
                .map(|(pattern, checks)| quote!(#pattern => { #checks }));
            quote! {
                let at = *at;
                match self {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    let redact_body = match redact_arms.as_slice() {
        [] => TokenStream::new(),
        [(pattern, call)] => quote! {
            if let #pattern = self {
                #call
            }
        },
        arms => {
            let arms = arms
                .iter()
                .map(|(pattern, call)| quote!(#pattern => #call,));
            quote! {
                match self {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    quote! {
        impl Validate for #name {
            fn collect_violations(&self, at: &FieldPath<'_>, out: &mut Vec<Violation>) {
                #validate_body
            }
        }
        impl Redact for #name {
            fn redact(&mut self) {
                #redact_body
            }
        }
    }
}

fn holds_struct(model: &Model, ty: &FieldType) -> bool {
    matches!(ty, FieldType::Named(id) if !matches!(model.types[*id].kind, crate::model::TypeKind::Enum(_)))
}

fn test_tokens(test: &VariantTest) -> TokenStream {
    match test {
        VariantTest::ObjectWithKey(keys) => quote! {
            value.as_object().is_some_and(|object| [#(#keys),*].iter().any(|key| object.contains_key(*key)))
        },
        VariantTest::Object => quote!(value.is_object()),
        VariantTest::String => quote!(value.is_string()),
        VariantTest::Integer => quote!(value.is_i64() || value.is_u64()),
        VariantTest::Number => quote!(value.is_number()),
        VariantTest::Boolean => quote!(value.is_boolean()),
        VariantTest::Array => quote!(value.is_array()),
        VariantTest::None => quote!(false),
    }
}

fn shape_text(test: &VariantTest) -> String {
    match test {
        VariantTest::ObjectWithKey(keys) => {
            let keys: Vec<String> = keys.iter().map(|key| format!("`{key}`")).collect();
            format!(
                "read from an object with any of the keys {}",
                keys.join(", ")
            )
        }
        VariantTest::Object => "read from an object".to_owned(),
        VariantTest::String => "read from a string".to_owned(),
        VariantTest::Integer => "read from an integer".to_owned(),
        VariantTest::Number => "read from a number".to_owned(),
        VariantTest::Boolean => "read from a boolean".to_owned(),
        VariantTest::Array => "read from a list".to_owned(),
        VariantTest::None => "that nothing in a value's shape picks".to_owned(),
    }
}
