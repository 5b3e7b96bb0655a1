//! Stage 4: give every type, field, variant and operation its Rust name.
//!
//! All names go through [`rust_name`], which recases with `heck`, makes the result a valid
//! identifier (keywords, leading digits, stray characters) and says whether serde needs a
//! `rename` to keep the wire name. Two things that end up with the same Rust name are an error
//! that names both, never a silent suffix.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::crate_surface::{reserved_type_names, CLIENT_METHODS};
use crate::diagnostics::{pointer_join, Diagnostics, Reporter};
pub use crate::model::RustName;
use crate::model::{Accessors, Literal, Model, TypeKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Types and enum variants.
    Pascal,
    /// Fields and methods.
    Snake,
}

/// Standard names the generated code relies on meaning the standard thing in the module
/// where types are emitted; a schema with one of these names would shadow them. The names the
/// generated crate defines or imports beside its types are reserved too
/// ([`reserved_type_names`]).
const STANDARD_TYPE_NAMES: [&str; 11] = [
    "Option", "Result", "Vec", "String", "Box", "Some", "None", "Ok", "Err", "Default", "Self",
];

/// Trait methods every `Client` has besides its inherent ones (from `#[derive(Clone)]` and
/// `Debug`); the inherent ones are [`CLIENT_METHODS`].
const TRAIT_METHOD_NAMES: [&str; 2] = ["clone", "fmt"];

/// Rust keywords (2021 edition, strict and reserved).
const KEYWORDS: [&str; 51] = [
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: [&str; 5] = ["crate", "self", "Self", "super", "_"];

/// Recases `wire` and makes it a valid Rust identifier. Returns `None` when nothing usable is
/// left (an empty name, or one with no ASCII letters or digits).
pub fn rust_name(wire: &str, case: Case) -> Option<RustName> {
    let recased = match case {
        Case::Pascal => wire.to_upper_camel_case(),
        Case::Snake => wire.to_snake_case(),
    };
    let mut ident: String = recased
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if case == Case::Pascal {
        ident.retain(|c| c != '_');
    }
    let ident = ident.trim_matches('_').to_owned();
    if ident.is_empty() {
        return None;
    }
    let ident = if ident.starts_with(|c: char| c.is_ascii_digit()) {
        match case {
            Case::Pascal => format!("Value{ident}"),
            Case::Snake => format!("field_{ident}"),
        }
    } else if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    };
    let bare = ident.strip_prefix("r#").unwrap_or(&ident);
    Some(RustName {
        needs_rename: bare != wire,
        ident,
    })
}

/// A name for a type whose own name would shadow a standard one (`Result`) or one the crate
/// defines: the name of the schema it is declared in (less `Request`/`Response`) before it,
/// else `Type` after it; deterministic, so no spec needs a hand-set name.
fn unshadowed(name: &str, pointer: &str) -> String {
    let owner = pointer
        .split_once("/components/schemas/")
        .map(|(_, rest)| {
            rest.split('/')
                .next()
                .unwrap_or_default()
                .replace("~1", "/")
                .replace("~0", "~")
        })
        .filter(|owner| owner != name)
        .and_then(|owner| rust_name(&owner, Case::Pascal))
        .map(|owner| {
            let bare = owner.bare();
            let bare = bare
                .strip_suffix("Response")
                .or_else(|| bare.strip_suffix("Request"))
                .unwrap_or(bare);
            bare.to_owned()
        })
        .filter(|owner| !owner.is_empty());
    match owner {
        Some(owner) => format!("{owner}{name}"),
        None => format!("{name}Type"),
    }
}

/// Names everything in the model, reporting every collision and unusable name: the model
/// comes back with every `name` and `method` set.
pub fn assign(mut model: Model) -> Result<Model, Diagnostics> {
    let mut reporter = Reporter::new(&model.spec_file);
    let reserved = reserved_type_names();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for (index, def) in model.types.iter_mut().enumerate() {
        let name = match rust_name(&def.source_name, Case::Pascal) {
            Some(name) => name.ident,
            None => {
                reporter.at_pointer(
                    &def.pointer,
                    format!("cannot derive a Rust type name from `{}`", def.source_name),
                );
                format!("Unnamed{index}")
            }
        };
        let name =
            if STANDARD_TYPE_NAMES.contains(&name.as_str()) || reserved.contains(name.as_str()) {
                unshadowed(&name, &def.pointer)
            } else {
                name
            };
        if let Some(first) = taken.get(&name) {
            reporter.at_pointer(
                &def.pointer,
                format!(
                    "name collision: `{}` becomes the Rust type `{name}`, which {first} already is; \
                     rename one of them or set `x-zego-type-name`",
                    def.source_name
                ),
            );
        } else {
            taken.insert(
                name.clone(),
                format!("`{}` ({})", def.source_name, def.pointer),
            );
        }
        let members = member_names(def, &mut reporter);
        match &mut def.kind {
            TypeKind::Struct(definition) => {
                for (field, member) in definition.fields.iter_mut().zip(members) {
                    field.name = member;
                }
                name_accessors(&mut definition.fields, &mut reporter);
            }
            TypeKind::Enum(definition) => {
                for (variant, member) in definition.variants.iter_mut().zip(members) {
                    variant.name = member;
                }
            }
            TypeKind::Union(definition) => {
                for (variant, member) in definition.variants.iter_mut().zip(members) {
                    variant.accessor = rust_name(&member.ident, Case::Snake).map_or_else(
                        || member.ident.to_lowercase(),
                        |name| name.bare().to_owned(),
                    );
                    variant.name = member.ident;
                }
            }
        }
        def.name = name;
    }
    name_variants(
        model
            .return_codes
            .iter_mut()
            .enumerate()
            .map(|(index, code)| {
                let at = format!("#/x-zego-return-codes/{index}/name");
                (code.name.clone(), at, &mut code.variant)
            }),
        &mut reporter,
    );
    if let Some(callbacks) = &mut model.callbacks {
        name_variants(
            callbacks
                .events
                .iter_mut()
                .enumerate()
                .map(|(index, event)| {
                    let at = format!("#/x-zego-callbacks/events/{index}/name");
                    (event.name.clone(), at, &mut event.variant)
                }),
            &mut reporter,
        );
    }
    name_variants(
        model
            .exception_codes
            .iter_mut()
            .enumerate()
            .map(|(index, code)| {
                let at = format!("#/x-zego-exception-codes/{index}/name");
                (code.name.clone(), at, &mut code.variant)
            }),
        &mut reporter,
    );
    name_variants(
        model
            .servers
            .iter_mut()
            .enumerate()
            .filter_map(|(index, server)| {
                let at = format!("#/servers/{index}/x-zego-region");
                Some((server.region.clone()?, at, &mut server.region_variant))
            }),
        &mut reporter,
    );
    name_rule_ids(&mut model.rule_ids, &mut reporter);
    let methods = operation_names(&model, &mut reporter);
    for (operation, method) in model.operations.iter_mut().zip(methods) {
        operation.const_name = method.to_uppercase();
        operation.method = method;
    }
    for operation in &model.operations {
        let name = operation.const_name.as_str();
        if OPERATIONS_MODULE_ITEMS.contains(&name) {
            reporter.at_pointer(
                &pointer_join(&operation.pointer, "operationId"),
                format!(
                    "operation `{}` would get the descriptor constant `operations::{name}`, a \
                     name the module already has; rename the operationId",
                    operation.operation_id
                ),
            );
        }
    }
    reporter.into_result(model)
}

/// Items of the generated `rule_ids` module besides each rule's constant.
const RULE_IDS_MODULE_ITEMS: [&str; 1] = ["ALL"];

/// Names each rule id's constant (`views-within-canvas-width` becomes
/// `VIEWS_WITHIN_CANVAS_WIDTH`), reporting two ids that would share one.
fn name_rule_ids(rule_ids: &mut [crate::model::RuleId], reporter: &mut Reporter) {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for rule in rule_ids.iter_mut() {
        let Some(name) = rust_name(&rule.id, Case::Snake) else {
            reporter.at_pointer(
                &rule.pointer,
                format!(
                    "cannot derive a Rust constant name from the rule id `{}`",
                    rule.id
                ),
            );
            continue;
        };
        let name = name.ident.trim_start_matches("r#").to_uppercase();
        if RULE_IDS_MODULE_ITEMS.contains(&name.as_str()) {
            reporter.at_pointer(
                &rule.pointer,
                format!(
                    "rule id `{}` would get the constant `rule_ids::{name}`, a name the module \
                     already has; rename the rule",
                    rule.id
                ),
            );
        }
        if let Some(first) = taken.get(&name) {
            reporter.at_pointer(
                &rule.pointer,
                format!(
                    "rule id `{}` would get the constant `rule_ids::{name}`, which the rule id \
                     `{first}` already has; rename one of them",
                    rule.id
                ),
            );
        } else {
            taken.insert(name.clone(), rule.id.clone());
        }
        rule.const_name = name;
    }
}

/// Items of the generated `operations` module besides each operation's descriptor constant.
const OPERATIONS_MODULE_ITEMS: [&str; 1] = ["ALL"];

/// Names each field's setter, default constant and default getter (see [`Accessors`]), and
/// reports two fields whose items would have the same name: `with_a_or_default` is both the
/// setter of a field `a_or_default` and the default getter of a field `with_a`.
fn name_accessors(fields: &mut [crate::model::Field], reporter: &mut Reporter) {
    // `new` and `validate`, the struct's other methods, cannot take either shape.
    let mut methods: BTreeMap<String, String> = BTreeMap::new();
    let mut constants: BTreeMap<String, String> = BTreeMap::new();
    for field in fields.iter_mut() {
        let bare = field.name.bare().to_owned();
        let has_default = field.default.is_some();
        field.accessors = Accessors {
            setter: format!("with_{bare}"),
            default_const: has_default.then(|| format!("DEFAULT_{}", bare.to_uppercase())),
            default_getter: (has_default && !field.required).then(|| format!("{bare}_or_default")),
        };
        let owner = format!("the field `{}`", field.wire_name);
        let accessors = &field.accessors;
        let method_names = std::iter::once(&accessors.setter).chain(&accessors.default_getter);
        for name in method_names {
            if let Some(first) = methods.insert(name.clone(), owner.clone()) {
                reporter.at_pointer(
                    &field.pointer,
                    format!(
                        "name collision: {owner} gets the method `{name}`, which {first} already \
                         has; rename one of the properties"
                    ),
                );
            }
        }
        if let Some(name) = &accessors.default_const {
            if let Some(first) = constants.insert(name.clone(), owner.clone()) {
                reporter.at_pointer(
                    &field.pointer,
                    format!(
                        "name collision: {owner} gets the constant `{name}`, which {first} \
                         already has; rename one of the properties"
                    ),
                );
            }
        }
    }
}

/// Names the variants of one generated enum (return codes, regions): each a usable Pascal-case
/// identifier, none `Unknown` (kept for values the crate does not know), no two alike.
fn name_variants<'a>(
    entries: impl Iterator<Item = (String, String, &'a mut String)>,
    reporter: &mut Reporter,
) {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for (source, pointer, slot) in entries {
        let Some(name) = rust_name(&source, Case::Pascal) else {
            reporter.at_pointer(
                &pointer,
                format!("cannot derive a Rust variant name from `{source}`"),
            );
            continue;
        };
        if name.ident == "Unknown" || name.ident.starts_with("r#") {
            reporter.at_pointer(
                &pointer,
                format!("variant name `{}` is reserved", name.ident),
            );
            continue;
        }
        if let Some(first) = taken.insert(name.ident.clone(), source.clone()) {
            reporter.at_pointer(
                &pointer,
                format!(
                    "name collision: `{source}` becomes `{}`, as `{first}` already does",
                    name.ident
                ),
            );
            continue;
        }
        *slot = name.ident;
    }
}

fn member_names(def: &crate::model::TypeDef, reporter: &mut Reporter) -> Vec<RustName> {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut names = Vec::new();
    let candidates: Vec<(String, Option<String>, String)> = match &def.kind {
        TypeKind::Struct(definition) => definition
            .fields
            .iter()
            .map(|f| (f.wire_name.clone(), f.spec_name.clone(), f.pointer.clone()))
            .collect(),
        TypeKind::Enum(definition) => definition
            .variants
            .iter()
            .enumerate()
            .map(|(index, v)| {
                let wire = match &v.value {
                    Literal::Int(n) => format!("Value{n}").replace('-', "Minus"),
                    Literal::Str(s) => s.clone(),
                    Literal::Bool(b) => b.to_string(),
                    Literal::Number(n) => format!("Value{n}")
                        .replace('-', "Minus")
                        .replace('.', "Point"),
                };
                (
                    wire,
                    v.spec_name.clone(),
                    pointer_join(&pointer_join(&def.pointer, "enum"), &index.to_string()),
                )
            })
            .collect(),
        TypeKind::Union(definition) => {
            // `StartCdnRecordDataTencent` in `StartCdnRecordData` is the variant `Tencent`.
            let union_name = rust_name(&def.source_name, Case::Pascal).map(|name| name.ident);
            definition
                .variants
                .iter()
                .enumerate()
                .map(|(index, v)| {
                    let own = rust_name(&v.source_name, Case::Pascal).map(|name| name.ident);
                    let short = match (&union_name, &own) {
                        (Some(union_name), Some(own)) => own
                            .strip_prefix(union_name.as_str())
                            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                            .map(str::to_owned),
                        _ => None,
                    };
                    (
                        short.unwrap_or_else(|| v.source_name.clone()),
                        None,
                        pointer_join(&def.pointer, &index.to_string()),
                    )
                })
                .collect()
        }
    };
    let case = match def.kind {
        TypeKind::Struct(_) => Case::Snake,
        TypeKind::Enum(_) | TypeKind::Union(_) => Case::Pascal,
    };
    for (wire, explicit, pointer) in candidates {
        let source = explicit.unwrap_or(wire);
        let name = rust_name(&source, case).unwrap_or_else(|| {
            reporter.at_pointer(
                &pointer,
                format!("cannot derive a Rust name from `{source}`"),
            );
            RustName {
                ident: format!("unnamed_{}", names.len()),
                needs_rename: true,
            }
        });
        if case == Case::Pascal && name.ident == "Unknown" {
            reporter.at_pointer(
                &pointer,
                "variant name `Unknown` is reserved for values this crate does not know yet",
            );
        }
        if let Some(first) = taken.get(&name.ident) {
            reporter.at_pointer(
                &pointer,
                format!(
                    "name collision: `{source}` becomes `{}`, as `{first}` already does",
                    name.ident
                ),
            );
        } else {
            taken.insert(name.ident.clone(), source);
        }
        names.push(name);
    }
    names
}

fn operation_names(model: &Model, reporter: &mut Reporter) -> Vec<String> {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut names = Vec::new();
    for operation in &model.operations {
        let pointer = pointer_join(&operation.pointer, "operationId");
        let name = match rust_name(&operation.operation_id, Case::Snake) {
            Some(name) => name.bare().to_owned(),
            None => {
                reporter.at_pointer(
                    &pointer,
                    format!(
                        "cannot derive a method name from `{}`",
                        operation.operation_id
                    ),
                );
                format!("unnamed_{}", names.len())
            }
        };
        if CLIENT_METHODS.contains(&name.as_str()) || TRAIT_METHOD_NAMES.contains(&name.as_str()) {
            reporter.at_pointer(
                &pointer,
                format!(
                    "operation `{}` becomes the method `Client::{name}`, which the client \
                     already has; rename the operationId",
                    operation.operation_id
                ),
            );
        } else if name.starts_with("field_") || KEYWORDS.contains(&name.as_str()) {
            reporter.at_pointer(
                &pointer,
                format!("operation method name `{name}` is not usable"),
            );
        }
        if let Some(first) = taken.insert(name.clone(), operation.operation_id.clone()) {
            reporter.at_pointer(
                &pointer,
                format!(
                    "name collision: operation `{}` becomes `{name}`, as `{first}` already does",
                    operation.operation_id
                ),
            );
        }
        names.push(name);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_would_shadow_takes_its_schema_s_name_or_a_suffix() {
        assert_eq!(
            unshadowed(
                "Result",
                "#/components/schemas/CheckUsersIsInBlacklistResponse/properties/Result"
            ),
            "CheckUsersIsInBlacklistResult"
        );
        assert_eq!(
            unshadowed("Checked", "#/components/schemas/Checked"),
            "CheckedType"
        );
        assert_eq!(
            unshadowed("Option", "#/paths/~1/post/requestBody"),
            "OptionType"
        );
    }

    fn snake(wire: &str) -> (String, bool) {
        let name = rust_name(wire, Case::Snake).expect("usable name");
        (name.ident, name.needs_rename)
    }

    fn pascal(wire: &str) -> String {
        rust_name(wire, Case::Pascal).expect("usable name").ident
    }

    #[test]
    fn snake_case_names_keep_track_of_renames() {
        assert_eq!(snake("RoomId"), ("room_id".to_owned(), true));
        assert_eq!(
            snake("IsPPTAnimation"),
            ("is_ppt_animation".to_owned(), true)
        );
        assert_eq!(snake("x_y"), ("x_y".to_owned(), false));
        assert_eq!(snake("HTTPStatus"), ("http_status".to_owned(), true));
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(snake("type"), ("r#type".to_owned(), false));
        assert_eq!(snake("ref"), ("r#ref".to_owned(), false));
        assert_eq!(snake("self"), ("self_".to_owned(), true));
        assert_eq!(pascal("Self"), "Self_");
    }

    #[test]
    fn leading_digits_get_a_prefix() {
        assert_eq!(snake("3d"), ("field_3d".to_owned(), true));
        assert_eq!(pascal("3d"), "Value3d");
    }

    #[test]
    fn names_without_ascii_letters_are_refused() {
        assert_eq!(rust_name("", Case::Snake), None);
        assert_eq!(rust_name("流", Case::Pascal), None);
        assert_eq!(rust_name("--", Case::Snake), None);
    }
}
