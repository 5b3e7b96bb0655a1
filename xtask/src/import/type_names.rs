//! Names for inline types. The generator names an inline object or enum after its field
//! (`Vendor`, `StreamListItem`), and refuses two types with one Rust name; ZEGOCLOUD's files
//! reuse field names (`Vendor`, `Translation`, `LLM`) for different schemas. Each inline type
//! whose name would be shared gets `x-zego-type-name`: its parent type's name before its own;
//! a response's `Data` always does.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_yaml::Value;

/// Gives every inline type whose default name is not unique across `documents` an
/// `x-zego-type-name`.
pub fn name_inline_types(documents: &mut [Value]) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for document in documents.iter() {
        for (name, schema) in component_schemas(document) {
            *counts.entry(name.to_upper_camel_case()).or_default() += 1;
            count_inline(schema, &mut counts);
        }
        for (_, parameters) in query_parameters(document) {
            for (name, schema) in parameters {
                let (name, target) = innermost_named(&name, schema);
                if is_named_inline(target) {
                    *counts.entry(name.to_upper_camel_case()).or_default() += 1;
                }
            }
        }
    }
    let mut taken: BTreeSet<String> = counts.keys().cloned().collect();
    for document in documents.iter_mut() {
        rename_query_parameters(document, &counts, &mut taken);
        let Some(Value::Mapping(schemas)) = document
            .get_mut("components")
            .and_then(|components| components.get_mut("schemas"))
        else {
            continue;
        };
        for (name, schema) in schemas.iter_mut() {
            let parent = name.as_str().unwrap_or_default().to_upper_camel_case();
            rename_inline(schema, &parent, &counts, &mut taken);
        }
    }
}

/// Each operation's id with its query parameters (name without `[]`, schema).
fn query_parameters(document: &Value) -> Vec<(String, Vec<(String, &Value)>)> {
    let mut out = Vec::new();
    let Some(paths) = document.get("paths").and_then(Value::as_mapping) else {
        return out;
    };
    for item in paths.values() {
        for method in ["get", "post"] {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let parameters = operation
                .get("parameters")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .filter_map(|parameter| {
                    let name = parameter.get("name")?.as_str()?;
                    Some((
                        name.trim_end_matches("[]").to_owned(),
                        parameter.get("schema")?,
                    ))
                })
                .collect();
            out.push((id, parameters));
        }
    }
    out
}

/// The name the generator gives the type a schema holds (through lists and maps), and that
/// schema.
fn innermost_named<'a>(field: &str, schema: &'a Value) -> (String, &'a Value) {
    let mut target = schema;
    let mut name = field.to_owned();
    while let Some(items) = target.get("items").or_else(|| {
        target
            .get("additionalProperties")
            .filter(|v| v.is_mapping())
    }) {
        target = items;
        name = format!("{field}Item");
    }
    (name, target)
}

fn rename_query_parameters(
    document: &mut Value,
    counts: &BTreeMap<String, usize>,
    taken: &mut BTreeSet<String>,
) {
    let Some(Value::Mapping(paths)) = document.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        for method in ["get", "post"] {
            let Some(operation) = item.get_mut(method) else {
                continue;
            };
            let parent = operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_upper_camel_case();
            let Some(Value::Sequence(parameters)) = operation.get_mut("parameters") else {
                continue;
            };
            for parameter in parameters {
                let Some(name) = parameter.get("name").and_then(Value::as_str) else {
                    continue;
                };
                let field = name.trim_end_matches("[]").to_owned();
                let Some(schema) = parameter.get_mut("schema") else {
                    continue;
                };
                let (own, _) = innermost_named(&field, schema);
                let target = innermost(schema);
                let own = own.to_upper_camel_case();
                if is_named_inline(target) && counts.get(&own).is_some_and(|count| *count > 1) {
                    let candidate = unique(format!("{parent}{own}"), taken);
                    if let Value::Mapping(map) = target {
                        map.insert(
                            Value::from("x-zego-type-name"),
                            Value::from(candidate.as_str()),
                        );
                    }
                }
            }
        }
    }
}

fn unique(candidate: String, taken: &mut BTreeSet<String>) -> String {
    let mut name = candidate.clone();
    let mut suffix = 2;
    while taken.contains(&name) {
        name = format!("{candidate}{suffix}");
        suffix += 1;
    }
    taken.insert(name.clone());
    name
}

/// The name a schema was given (`x-zego-type-name`), if any.
fn given_name(schema: &Value) -> Option<String> {
    schema
        .get("x-zego-type-name")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn component_schemas(document: &Value) -> Vec<(String, &Value)> {
    document
        .get("components")
        .and_then(|components| components.get("schemas"))
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| Some((name.as_str()?.to_owned(), schema)))
        .collect()
}

/// An inline schema the generator turns into a type of its own: an object with properties
/// (or one that may hold nothing) or an enum.
fn is_named_inline(schema: &Value) -> bool {
    if schema.get("$ref").is_some() {
        return false;
    }
    let is_enum = schema.get("enum").is_some();
    let is_union = schema.get("oneOf").is_some() || schema.get("anyOf").is_some();
    let is_struct = schema.get("type").and_then(Value::as_str) == Some("object")
        && (schema
            .get("properties")
            .and_then(Value::as_mapping)
            .is_some_and(|properties| !properties.is_empty())
            || schema.get("additionalProperties") == Some(&Value::Bool(false)));
    is_enum || is_struct || is_union
}

/// Each field's schema with the name the generator would give an inline type there.
fn fields(schema: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    let Some(properties) = schema.get("properties").and_then(Value::as_mapping) else {
        return out;
    };
    for (field, property) in properties {
        out.push(innermost_named(
            field.as_str().unwrap_or_default(),
            property,
        ));
    }
    out
}

fn count_inline(schema: &Value, counts: &mut BTreeMap<String, usize>) {
    for (name, target) in fields(schema) {
        if is_named_inline(target) {
            *counts
                .entry(given_name(target).unwrap_or_else(|| name.to_upper_camel_case()))
                .or_default() += 1;
        }
        count_inline(target, counts);
    }
    for keyword in ["oneOf", "anyOf"] {
        for alternative in schema
            .get(keyword)
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            count_inline(alternative, counts);
        }
    }
}

fn rename_inline(
    schema: &mut Value,
    parent: &str,
    counts: &BTreeMap<String, usize>,
    taken: &mut BTreeSet<String>,
) {
    let names: Vec<String> = fields(schema).into_iter().map(|(name, _)| name).collect();
    let Some(Value::Mapping(properties)) = schema.get_mut("properties") else {
        return;
    };
    for ((_, property), name) in properties.iter_mut().zip(names) {
        let target = innermost(property);
        if let Some(given) = given_name(target) {
            // Named already (a callback event's inline types, named after their event).
            name_alternatives(target, &given, counts, taken);
            rename_inline(target, &given, counts, taken);
            continue;
        }
        let mut own = name.to_upper_camel_case();
        let generic = own == "Data";
        if is_named_inline(target) && (generic || counts.get(&own).is_some_and(|count| *count > 1))
        {
            // A response's `Data` is named for its action: `StartAsrTaskData`.
            let base = parent.strip_suffix("Response").unwrap_or(parent);
            let candidate = unique(format!("{base}{own}"), taken);
            if let Value::Mapping(map) = target {
                map.insert(
                    Value::from("x-zego-type-name"),
                    Value::from(candidate.as_str()),
                );
            }
            own = candidate;
        }
        name_alternatives(target, &own, counts, taken);
        rename_inline(target, &own, counts, taken);
    }
}

/// A union's inline alternatives named after it: its name with the alternative's title
/// (`StartCdnRecordDataTencent`) or `Option<n>`.
fn name_alternatives(
    schema: &mut Value,
    parent: &str,
    counts: &BTreeMap<String, usize>,
    taken: &mut BTreeSet<String>,
) {
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Sequence(alternatives)) = schema.get_mut(keyword) else {
            continue;
        };
        for (index, alternative) in alternatives.iter_mut().enumerate() {
            let Value::Mapping(map) = alternative else {
                continue;
            };
            if map.contains_key("$ref") {
                continue;
            }
            let base = map
                .get("x-zego-type-name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("Option{}", index + 1), str::to_owned);
            let name = unique(format!("{parent}{base}"), taken);
            map.insert(Value::from("x-zego-type-name"), Value::from(name.as_str()));
            rename_inline(alternative, &name, counts, taken);
        }
    }
}

fn innermost(property: &mut Value) -> &mut Value {
    let key = if property.get("items").is_some() {
        "items"
    } else if property
        .get("additionalProperties")
        .is_some_and(Value::is_mapping)
    {
        "additionalProperties"
    } else {
        return property;
    };
    // The key was just found in this mapping, so indexing finds it rather than adding it.
    innermost(&mut property[key])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_inline_names_take_their_parent_s_name() {
        let mut documents: Vec<Value> = vec![
            serde_yaml::from_str(
                "components:\n  schemas:\n    ASRConfig:\n      type: object\n      properties:\n        Vendor: {type: string, enum: [A]}\n    Item:\n      type: object\n      properties:\n        Translation:\n          type: object\n          properties:\n            Vendor: {type: string, enum: [B]}\n        Only: {type: string, enum: [C]}\n",
            )
            .expect("yaml"),
        ];
        name_inline_types(&mut documents);
        let schemas = &documents[0]["components"]["schemas"];
        assert_eq!(
            schemas["ASRConfig"]["properties"]["Vendor"]["x-zego-type-name"],
            Value::from("AsrConfigVendor")
        );
        assert_eq!(
            schemas["Item"]["properties"]["Translation"]["properties"]["Vendor"]
                ["x-zego-type-name"],
            Value::from("TranslationVendor")
        );
        assert!(schemas["Item"]["properties"]["Only"]
            .get("x-zego-type-name")
            .is_none());
    }
}
