//! The rule compiler: turns `x-zego-rules` conditions and assertions into Rust expressions
//! over a struct's (possibly optional, possibly nested) fields.

use proc_macro2::{Ident, Literal as TokenLiteral, TokenStream};
use quote::quote;

use crate::model::{
    Assertion, Condition, EnumDef, EnumRepr, Field, FieldPath, FieldType, Grade, IntFormat,
    Literal, Model, TypeKind,
};

use super::ident;
use super::types::literal_tokens;

/// The constructor of a finding of `grade`: the service refuses it, or it is advice.
pub(super) fn violation_constructor(grade: Grade) -> TokenStream {
    match grade {
        Grade::Rejected => quote!(Violation::new),
        Grade::Advisory => quote!(Violation::advisory),
    }
}

/// How a rule reads a path: the value is always there (`Direct`), or may be missing (`Maybe`).
pub(super) enum Access {
    /// An expression of type `&T` (or a place of type `T`).
    Direct(TokenStream),
    /// An expression of type `Option<&T>`.
    Maybe(TokenStream),
}

pub(super) fn path_fields<'a>(model: &'a Model, path: &FieldPath) -> Vec<&'a Field> {
    path.steps
        .iter()
        .filter_map(|step| match &model.types[step.owner].kind {
            TypeKind::Struct(definition) => definition.fields.get(step.field.0),
            TypeKind::Enum(_) | TypeKind::Union(_) => None,
        })
        .collect()
}

/// One step down a path: field `name` of whatever `access` reaches.
pub(super) fn step(access: Access, name: &Ident, required: bool) -> Access {
    match (access, required) {
        (Access::Direct(expr), true) => Access::Direct(quote!(#expr.#name)),
        (Access::Direct(expr), false) => Access::Maybe(quote!(#expr.#name.as_ref())),
        (Access::Maybe(expr), true) => Access::Maybe(quote!(#expr.map(|parent| &parent.#name))),
        (Access::Maybe(expr), false) => {
            Access::Maybe(quote!(#expr.and_then(|parent| parent.#name.as_ref())))
        }
    }
}

/// The access to the struct that holds the last field of `path` (all but the last step).
fn parent_access(model: &Model, path: &FieldPath, root: &TokenStream) -> Access {
    let fields = path_fields(model, path);
    let parents = path.steps.len().saturating_sub(1);
    path.steps
        .iter()
        .zip(fields)
        .take(parents)
        .fold(Access::Direct(root.clone()), |access, (at, field)| {
            step(access, &ident(&model.field(*at).name.ident), field.required)
        })
}

/// The access to the last field of `path` itself.
fn field_access(model: &Model, path: &FieldPath, root: &TokenStream) -> Access {
    let Some((last, field)) = path
        .steps
        .last()
        .zip(path_fields(model, path).last().copied())
    else {
        return Access::Direct(root.clone());
    };
    let name = ident(&model.field(*last).name.ident);
    step(parent_access(model, path, root), &name, field.required)
}

/// The comparable value of a scalar leaf: `i64` for integers, `&str` for strings, `bool`, and
/// the enum itself for enums (by value for integer enums, by reference for string enums). A
/// missing optional value takes the field's default.
pub(super) fn scalar_value(model: &Model, path: &FieldPath, root: &TokenStream) -> Access {
    let (Some(last), Some(field)) = (path.steps.last(), path_fields(model, path).last().copied())
    else {
        return Access::Direct(root.clone());
    };
    let name = ident(&model.field(*last).name.ident);
    let leaf = Leaf::of(model, &field.ty);
    let access = match (
        parent_access(model, path, root),
        field.required,
        leaf.is_copy(),
    ) {
        (Access::Direct(parent), true, _) => {
            return Access::Direct(leaf.read_place(quote!(#parent.#name)))
        }
        (Access::Direct(parent), false, true) => leaf.map_owned(quote!(#parent.#name)),
        (Access::Direct(parent), false, false) if matches!(leaf, Leaf::String) => {
            quote!(#parent.#name.as_deref())
        }
        (Access::Direct(parent), false, false) => leaf.map_borrowed(quote!(#parent.#name.as_ref())),
        (Access::Maybe(parent), true, true) => {
            leaf.map_owned(quote!(#parent.map(|parent| parent.#name)))
        }
        (Access::Maybe(parent), true, false) => {
            leaf.map_borrowed(quote!(#parent.map(|parent| &parent.#name)))
        }
        (Access::Maybe(parent), false, true) => {
            leaf.map_owned(quote!(#parent.and_then(|parent| parent.#name)))
        }
        (Access::Maybe(parent), false, false) => {
            leaf.map_borrowed(quote!(#parent.and_then(|parent| parent.#name.as_ref())))
        }
    };
    match &field.default {
        Some(default) => {
            let default = match (&leaf, variant_path(model, &field.ty, default)) {
                (Leaf::StrEnum, Some(variant)) => quote!(&#variant),
                (_, Some(variant)) => variant,
                (_, None) => literal_tokens(default),
            };
            Access::Maybe(quote!(#access.or(Some(#default))))
        }
        None => Access::Maybe(access),
    }
}

/// How a scalar field turns into the value rules compare.
enum Leaf {
    /// `i32`/`u32`, widened to `i64`.
    NarrowInt,
    /// `i64` or `bool`, used as is.
    Plain,
    String,
    /// An integer enum, compared by value (`Copy`).
    IntEnum,
    /// A string enum, compared by reference.
    StrEnum,
}

impl Leaf {
    fn of(model: &Model, ty: &FieldType) -> Self {
        match ty {
            FieldType::Integer(IntFormat::Int32 | IntFormat::Uint32) => Self::NarrowInt,
            FieldType::String => Self::String,
            FieldType::Named(id) => match &model.types[*id].kind {
                TypeKind::Enum(EnumDef {
                    repr: EnumRepr::String,
                    ..
                }) => Self::StrEnum,
                _ => Self::IntEnum,
            },
            _ => Self::Plain,
        }
    }

    fn is_copy(&self) -> bool {
        matches!(self, Self::NarrowInt | Self::Plain | Self::IntEnum)
    }

    /// From a place expression holding the value itself.
    fn read_place(&self, place: TokenStream) -> TokenStream {
        match self {
            Self::NarrowInt => quote!(i64::from(#place)),
            Self::Plain | Self::IntEnum => place,
            Self::String => quote!(#place.as_str()),
            Self::StrEnum => quote!(&#place),
        }
    }

    /// From an `Option<T>` of a `Copy` value.
    fn map_owned(&self, option: TokenStream) -> TokenStream {
        match self {
            Self::NarrowInt => quote!(#option.map(i64::from)),
            _ => option,
        }
    }

    /// From an `Option<&T>`.
    fn map_borrowed(&self, option: TokenStream) -> TokenStream {
        match self {
            Self::String => quote!(#option.map(String::as_str)),
            Self::StrEnum => option,
            _ => quote!(#option.copied()),
        }
    }
}

/// `Enum::Variant` for a literal of an enum-typed field, `None` for other fields.
fn variant_path(model: &Model, ty: &FieldType, literal: &Literal) -> Option<TokenStream> {
    let FieldType::Named(id) = ty else {
        return None;
    };
    let def = &model.types[*id];
    let TypeKind::Enum(definition) = &def.kind else {
        return None;
    };
    let variant = definition.variants.iter().find(|v| &v.value == literal)?;
    let (type_name, variant_name) = (ident(&def.name), ident(&variant.name.ident));
    Some(quote!(#type_name::#variant_name))
}

/// True when the value of the field typed `ty` is one of `values` (or, with `negate`, when
/// it is not). Enums are matched against their variants, other values compared as literals.
fn compare_tokens(
    model: &Model,
    ty: &FieldType,
    value: Access,
    values: &[Literal],
    negate: bool,
) -> TokenStream {
    let variants: Option<Vec<TokenStream>> = values
        .iter()
        .map(|value| variant_path(model, ty, value))
        .collect();
    if let Some(variants) = variants.filter(|variants| !variants.is_empty()) {
        let not = negate.then(|| quote!(!));
        return match value {
            Access::Direct(value) => quote!(#not matches!(#value, #(#variants)|*)),
            // The option stays outside the macro, where prettyplease lays it out.
            Access::Maybe(value) => {
                quote!(#not #value.is_some_and(|value| matches!(value, #(#variants)|*)))
            }
        };
    }
    let literals: Vec<TokenStream> = values.iter().map(literal_tokens).collect();
    let not = negate.then(|| quote!(!));
    let (equal, literal) = (
        if negate { quote!(!=) } else { quote!(==) },
        literals.first(),
    );
    match (value, values) {
        (Access::Direct(value), [Literal::Bool(expected)]) if *expected != negate => value,
        (Access::Direct(value), [Literal::Bool(_)]) => quote!(!#value),
        (Access::Direct(value), [_]) => quote!(#value #equal #literal),
        (Access::Direct(value), _) => quote!(#not [#(#literals),*].contains(&#value)),
        (Access::Maybe(value), [_]) => quote!(#value #equal Some(#literal)),
        (Access::Maybe(value), _) => {
            quote!(#not #value.is_some_and(|value| [#(#literals),*].contains(&value)))
        }
    }
}

/// `body(left, right)` when both values are there; false when either is missing.
fn when_both(
    left: Access,
    right: Access,
    body: impl Fn(TokenStream, TokenStream) -> TokenStream,
) -> TokenStream {
    match (left, right) {
        (Access::Direct(left), Access::Direct(right)) => body(left, right),
        (Access::Direct(left), Access::Maybe(right)) => {
            let body = body(left, quote!(right));
            quote!(#right.is_some_and(|right| #body))
        }
        (Access::Maybe(left), Access::Direct(right)) => {
            let body = body(quote!(left), right);
            quote!(#left.is_some_and(|left| #body))
        }
        (Access::Maybe(left), Access::Maybe(right)) => {
            let body = body(quote!(left), quote!(right));
            quote!(#left.zip(#right).is_some_and(|(left, right)| #body))
        }
    }
}

/// An expression that is true when the condition holds (or, with `negate`, when it does not).
pub(super) fn condition_tokens(
    model: &Model,
    condition: &Condition,
    root: &TokenStream,
    negate: bool,
) -> TokenStream {
    match condition {
        Condition::OneOf { path, values } => {
            let ty = path_fields(model, path)
                .last()
                .map_or(FieldType::Boolean, |field| field.ty.clone());
            compare_tokens(model, &ty, scalar_value(model, path, root), values, negate)
        }
        Condition::Any { array, item } => {
            let item_condition = condition_tokens(model, item, &quote!(item), false);
            let not = negate.then(|| quote!(!));
            match field_access(model, array, root) {
                Access::Direct(list) => quote!(#not #list.iter().any(|item| #item_condition)),
                Access::Maybe(list) => {
                    quote!(#not #list.is_some_and(|list| list.iter().any(|item| #item_condition)))
                }
            }
        }
        Condition::Present(path) => {
            if negate {
                missing_at(model, path, root)
            } else {
                present_at(model, path, root)
            }
        }
    }
}

/// An expression that is true when the assertion is broken, and the path to report.
pub(super) fn assertion_tokens<'a>(
    model: &Model,
    assertion: &'a Assertion,
) -> (TokenStream, &'a FieldPath) {
    let root = quote!(self);
    match assertion {
        Assertion::Holds(condition) => {
            let broken = condition_tokens(model, condition, &root, true);
            let path = match condition {
                Condition::OneOf { path, .. } => path,
                Condition::Any { array, .. } => array,
                Condition::Present(path) => path,
            };
            (broken, path)
        }
        Assertion::Present(path) => (missing_tokens(model, path), path),
        Assertion::NotEmpty(path) => (empty_tokens(model, path), path),
        Assertion::ProductAtMost {
            factors: [a, b],
            maximum,
        } => {
            let maximum = TokenLiteral::i64_unsuffixed(*maximum);
            let broken = when_both(
                scalar_value(model, a, &root),
                scalar_value(model, b, &root),
                |a, b| quote!(i128::from(#a) * i128::from(#b) > #maximum),
            );
            (broken, a)
        }
        Assertion::LessOrEqual { left, right } => {
            let broken = when_both(
                scalar_value(model, left, &root),
                scalar_value(model, right, &root),
                |left, right| quote!(#left > #right),
            );
            (broken, left)
        }
        Assertion::GreaterThan { left, right } => {
            let broken = when_both(
                scalar_value(model, left, &root),
                scalar_value(model, right, &root),
                |left, right| quote!(#left <= #right),
            );
            (broken, left)
        }
        Assertion::EachAtMost {
            array,
            item_field,
            bound,
        } => {
            let item_check = item_exceeds(model, item_field);
            let broken = match (
                field_access(model, array, &root),
                scalar_value(model, bound, &root),
            ) {
                (Access::Direct(list), Access::Direct(bound)) => {
                    quote!({ let bound = #bound; #list.iter().any(|item| #item_check) })
                }
                (Access::Direct(list), Access::Maybe(bound)) => {
                    quote!(#bound.is_some_and(|bound| #list.iter().any(|item| #item_check)))
                }
                (Access::Maybe(list), Access::Direct(bound)) => {
                    quote!({ let bound = #bound; #list.is_some_and(|list| list.iter().any(|item| #item_check)) })
                }
                (Access::Maybe(list), Access::Maybe(bound)) => quote! {
                    #list.zip(#bound).is_some_and(|(list, bound)| list.iter().any(|item| #item_check))
                },
            };
            (broken, array)
        }
        Assertion::AtMost { path, maximum } => {
            let maximum = TokenLiteral::i64_unsuffixed(*maximum);
            let broken = match scalar_value(model, path, &root) {
                Access::Direct(value) => quote!(#value > #maximum),
                Access::Maybe(value) => quote!(#value.is_some_and(|value| value > #maximum)),
            };
            (broken, path)
        }
        Assertion::DifferenceAtMost {
            minuend,
            subtrahend,
            maximum,
        } => {
            let maximum = TokenLiteral::i64_unsuffixed(*maximum);
            // In i128, so no pair of i64 values can overflow.
            let broken = when_both(
                scalar_value(model, minuend, &root),
                scalar_value(model, subtrahend, &root),
                |a, b| quote!(i128::from(#a) - i128::from(#b) > #maximum),
            );
            (broken, minuend)
        }
        Assertion::CountAtMost {
            array,
            item,
            maximum,
        } => {
            let item_condition = condition_tokens(model, item, &quote!(item), false);
            let maximum = TokenLiteral::usize_unsuffixed(usize::try_from(*maximum).unwrap_or(0));
            let count = match field_access(model, array, &root) {
                Access::Direct(list) => quote!(#list.iter().filter(|item| #item_condition).count()),
                Access::Maybe(list) => {
                    quote!(#list.map_or(0, |list| list.iter().filter(|item| #item_condition).count()))
                }
            };
            (quote!(#count > #maximum), array)
        }
    }
}

/// True when the last field of `path` is missing (or an empty array) while its parent exists.
fn missing_tokens(model: &Model, path: &FieldPath) -> TokenStream {
    missing_at(model, path, &quote!(self))
}

/// True when the array at `path` is missing or empty while its parent exists.
fn empty_tokens(model: &Model, path: &FieldPath) -> TokenStream {
    on_last_field(model, path, &quote!(self), |holder, name, required| {
        if required {
            quote!(#holder.#name.is_empty())
        } else {
            quote!(#holder.#name.as_ref().is_none_or(|list| list.is_empty()))
        }
    })
    .unwrap_or_else(|| quote!(false))
}

/// True when the field at `path` (from `root`) and every object above it are set.
fn present_at(model: &Model, path: &FieldPath, root: &TokenStream) -> TokenStream {
    on_last_field(model, path, root, |holder, name, required| {
        if required {
            quote!(true)
        } else {
            quote!(#holder.#name.is_some())
        }
    })
    .unwrap_or_else(|| quote!(true))
}

/// True when the field at `path` (from `root`) is not set; false when its parent is absent.
fn missing_at(model: &Model, path: &FieldPath, root: &TokenStream) -> TokenStream {
    // "Required" in the sources means given; an empty list is given, and the service, not
    // this client, decides whether it is enough (`not_empty` says more where a rule does).
    on_last_field(model, path, root, |holder, name, required| {
        if required {
            quote!(false)
        } else {
            quote!(#holder.#name.is_none())
        }
    })
    .unwrap_or_else(|| quote!(false))
}

/// `check(holder, field name, required)` on the object holding the last field of `path`,
/// false when an optional object above it is absent; `None` for an empty path.
fn on_last_field(
    model: &Model,
    path: &FieldPath,
    root: &TokenStream,
    check: impl Fn(TokenStream, &Ident, bool) -> TokenStream,
) -> Option<TokenStream> {
    let (last, field) = path
        .steps
        .last()
        .zip(path_fields(model, path).last().copied())?;
    let name = ident(&model.field(*last).name.ident);
    Some(match parent_access(model, path, root) {
        Access::Direct(parent) => check(parent, &name, field.required),
        Access::Maybe(parent) => {
            let inner = check(quote!(parent), &name, field.required);
            quote!(#parent.is_some_and(|parent| #inner))
        }
    })
}

/// `at.field("A").field("B")` for a rule path.
/// True when `item`'s field at `path` is set and greater than `bound`.
fn item_exceeds(model: &Model, path: &FieldPath) -> TokenStream {
    match scalar_value(model, path, &quote!(item)) {
        Access::Direct(value) => quote!(#value > bound),
        Access::Maybe(value) => quote!(#value.is_some_and(|value| value > bound)),
    }
}

/// `EachAtMost` reported item by item: a loop pushing `violation(path)` for every item whose
/// field exceeds the bound, at that item's index.
pub(super) fn each_item_tokens(
    model: &Model,
    array: &FieldPath,
    item_field: &FieldPath,
    bound: &FieldPath,
    violation: impl Fn(TokenStream) -> TokenStream,
) -> TokenStream {
    let root = quote!(self);
    let item_check = item_exceeds(model, item_field);
    let array_segments = array
        .wire
        .split('.')
        .map(|segment| quote!(.field(#segment)));
    let item_segments = item_field
        .wire
        .split('.')
        .map(|segment| quote!(.field(#segment)));
    let push = violation(quote!(&at #(#array_segments)* .index(index) #(#item_segments)*));
    let each = quote! {
        for (index, item) in list.iter().enumerate() {
            if #item_check {
                out.push(#push);
            }
        }
    };
    match (
        field_access(model, array, &root),
        scalar_value(model, bound, &root),
    ) {
        (Access::Direct(list), Access::Direct(bound)) => {
            quote!({ let bound = #bound; let list = &#list; #each })
        }
        (Access::Direct(list), Access::Maybe(bound)) => {
            quote!(if let Some(bound) = #bound { let list = &#list; #each })
        }
        (Access::Maybe(list), Access::Direct(bound)) => {
            quote!(if let Some(list) = #list { let bound = #bound; #each })
        }
        (Access::Maybe(list), Access::Maybe(bound)) => {
            quote!(if let (Some(list), Some(bound)) = (#list, #bound) { #each })
        }
    }
}

/// A reference to the path of the object holding the field at `path`.
pub(super) fn parent_path_tokens(path: &FieldPath) -> TokenStream {
    let segments: Vec<&str> = path.wire.split('.').collect();
    path_reference(&segments[..segments.len().saturating_sub(1)])
}

/// A reference to the path of the field at `path`.
pub(super) fn path_tokens(path: &FieldPath) -> TokenStream {
    let segments: Vec<&str> = path.wire.split('.').collect();
    path_reference(&segments)
}

/// `&at.field("A").field("B")`, or `at` itself (already a reference) for no segments.
fn path_reference(segments: &[&str]) -> TokenStream {
    if segments.is_empty() {
        return quote!(at);
    }
    let segments = segments.iter().map(|segment| quote!(.field(#segment)));
    quote!(&at #(#segments)*)
}
