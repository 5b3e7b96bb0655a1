//! A struct's `validate()`: each field's constraints and the spec's rules (`x-zego-rules`),
//! every finding with its field path and rule.

use proc_macro2::{Ident, Literal as TokenLiteral, TokenStream};
use quote::quote;

use crate::model::{Assertion, Condition, Constraints, FieldType, IntFormat, Model, TypeKind};

use super::enums::allowed_text;
use super::rules::{
    assertion_tokens, condition_tokens, each_item_tokens, parent_path_tokens, path_fields,
    path_tokens, scalar_value, violation_constructor, Access,
};
use super::structs::StructEmitter;
use super::types::option_tokens;

impl StructEmitter<'_> {
    /// The rule's description, followed by the value of each enum its conditions test, by
    /// name (`StorageParams.Vendor is AmazonS3`): the spec's words give numbers, the caller
    /// wrote variants.
    pub(super) fn rule_message(&self, rule: &crate::model::Rule) -> TokenStream {
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

    pub(super) fn validate_impl(&self, name: &Ident) -> TokenStream {
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
}

/// Checks on `value` (a reference to a value of type `ty`) at path `at`; `None` when the type
/// has nothing to check.
pub(super) fn value_checks(
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
            TypeKind::Union(union) if union.decidable => Some(quote! {
                Validate::collect_violations(value, &at, out);
            }),
            TypeKind::Union(_) => None,
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
        FieldType::Map(values) => {
            let checks = value_checks(model, values, &Constraints::default(), false)?;
            Some(quote! {
                for (key, value) in value {
                    let at = at.key(key);
                    #checks
                }
            })
        }
        _ => None,
    }
}
