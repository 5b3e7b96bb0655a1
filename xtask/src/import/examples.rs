//! A published file that contradicts itself: its request example leaves out a field its schema
//! requires, or uses a value its enum lacks. The client must not refuse what ZEGOCLOUD's own
//! example sends, so the check becomes advisory ([`fixups::EXAMPLE_CONTRADICTS_SCHEMA`]): the
//! field is no longer required, or the value joins the enum, and a rule of `grade: advisory`
//! citing the example keeps the schema's word as a warning.

use serde_yaml::{Mapping, Value};

use super::actions::SchemaKey;
use super::fixups::{self, Applied};

/// Where a schema node is: the copied schema it is in and the keys leading to it.
type Place = (SchemaKey, Vec<String>);

#[derive(Debug, Clone)]
enum Contradiction {
    /// The example leaves out this required property.
    Omits(String),
    /// The example gives `field` a value the enum at `enum_at` lacks; `documented` is what
    /// the enum lists.
    Unlisted {
        field: String,
        value: Value,
        enum_at: Place,
        documented: Vec<Value>,
    },
}

/// A check an action's example contradicts, with what to cite.
#[derive(Debug, Clone)]
pub struct Found {
    owner: Place,
    what: Contradiction,
    /// Where in the example, e.g. `MixInput[0]`.
    example_at: String,
    action: String,
    file: String,
}

/// The request examples of an operation's JSON body (`example` and each `examples` value).
pub fn request_examples(operation: &Value) -> Vec<Value> {
    let Some(media) = operation
        .get("requestBody")
        .and_then(|body| body.get("content"))
        .and_then(|content| content.get("application/json"))
    else {
        return Vec::new();
    };
    let mut examples: Vec<Value> = media.get("example").cloned().into_iter().collect();
    if let Some(Value::Mapping(named)) = media.get("examples") {
        examples.extend(
            named
                .values()
                .filter_map(|example| example.get("value").cloned()),
        );
    }
    examples
}

/// The checks an action's examples contradict, in the action's copied `schemas`.
pub fn contradicted_checks(
    schemas: &std::collections::BTreeMap<SchemaKey, Value>,
    body: &SchemaKey,
    examples: &[Value],
    action: &str,
    file: &str,
) -> Vec<Found> {
    let mut found = Vec::new();
    for example in examples {
        walk(schemas, example, (body.clone(), Vec::new()), "", &mut found);
    }
    for finding in &mut found {
        finding.action = action.to_owned();
        finding.file = file.to_owned();
    }
    found
}

/// Makes the checks every action's examples contradict advisory in every action's copy of the
/// schema (a shared component is copied once per action, and the copies must stay alike);
/// each is counted once, for the action whose example contradicts it.
pub fn make_advisory(actions: &mut [super::Action], applied: &mut Applied) {
    let found: Vec<Found> = actions
        .iter()
        .flat_map(|action| action.contradictions.iter().cloned())
        .collect();
    for finding in &found {
        let (note, rule) = described(finding);
        applied.note(fixups::EXAMPLE_CONTRADICTS_SCHEMA, note);
        for action in actions.iter_mut() {
            apply(&mut action.schemas, finding, &rule);
        }
    }
}

fn node<'a>(
    schemas: &'a std::collections::BTreeMap<SchemaKey, Value>,
    place: &Place,
) -> Option<&'a Value> {
    let mut node = schemas.get(&place.0)?;
    for key in &place.1 {
        node = node.get(key.as_str())?;
    }
    Some(node)
}

fn node_mut<'a>(
    schemas: &'a mut std::collections::BTreeMap<SchemaKey, Value>,
    place: &Place,
) -> Option<&'a mut Mapping> {
    let mut node = schemas.get_mut(&place.0)?;
    for key in &place.1 {
        node = node.get_mut(key.as_str())?;
    }
    node.as_mapping_mut()
}

/// The place a copied `$ref` points to, or the place itself.
fn target(schemas: &std::collections::BTreeMap<SchemaKey, Value>, place: Place) -> Place {
    let reference = node(schemas, &place)
        .and_then(|node| node.get("$ref"))
        .and_then(Value::as_str)
        .and_then(|placeholder| placeholder.split_once('\u{1}'));
    match reference {
        Some((file, name)) => ((file.to_owned(), name.to_owned()), Vec::new()),
        None => place,
    }
}

fn walk(
    schemas: &std::collections::BTreeMap<SchemaKey, Value>,
    example: &Value,
    place: Place,
    example_at: &str,
    out: &mut Vec<Found>,
) {
    let place = target(schemas, place);
    let Some(schema) = node(schemas, &place) else {
        return;
    };
    match example {
        Value::Mapping(object) => {
            let Some(Value::Mapping(properties)) = schema.get("properties") else {
                return;
            };
            let required = schema.get("required").and_then(Value::as_sequence);
            for name in required.into_iter().flatten().filter_map(Value::as_str) {
                if !object.contains_key(name) {
                    out.push(Found {
                        owner: place.clone(),
                        what: Contradiction::Omits(name.to_owned()),
                        example_at: example_at.to_owned(),
                        action: String::new(),
                        file: String::new(),
                    });
                }
            }
            for (name, value) in object {
                let Some(name) = name.as_str() else { continue };
                if !properties.contains_key(name) {
                    continue;
                }
                let mut property = place.clone();
                property
                    .1
                    .extend(["properties".to_owned(), name.to_owned()]);
                let property = target(schemas, property);
                let field_at = if example_at.is_empty() {
                    name.to_owned()
                } else {
                    format!("{example_at}.{name}")
                };
                let listed = node(schemas, &property)
                    .and_then(|schema| schema.get("enum"))
                    .and_then(Value::as_sequence);
                match listed {
                    Some(values) if !value.is_null() && !values.contains(value) => {
                        out.push(Found {
                            owner: place.clone(),
                            what: Contradiction::Unlisted {
                                field: name.to_owned(),
                                value: value.clone(),
                                enum_at: property,
                                documented: values.clone(),
                            },
                            example_at: field_at,
                            action: String::new(),
                            file: String::new(),
                        });
                    }
                    Some(_) => {}
                    None => walk(schemas, value, property, &field_at, out),
                }
            }
        }
        Value::Sequence(items) => {
            if schema.get("items").is_none() {
                return;
            }
            for (index, item) in items.iter().enumerate() {
                let mut item_place = place.clone();
                item_place.1.push("items".to_owned());
                walk(
                    schemas,
                    item,
                    item_place,
                    &format!("{example_at}[{index}]"),
                    out,
                );
            }
        }
        _ => {}
    }
}

/// What the report says of a finding, and the advisory rule that replaces its check.
fn described(found: &Found) -> (String, Value) {
    let action = &found.action;
    let owner_at = format!(
        "{}#/components/schemas/{}{}",
        found.owner.0 .0,
        found.owner.0 .1,
        found
            .owner
            .1
            .iter()
            .map(|key| format!("/{key}"))
            .collect::<String>()
    );
    match &found.what {
        Contradiction::Omits(name) => {
            let place = if found.example_at.is_empty() {
                "the request".to_owned()
            } else {
                format!("`{}`", found.example_at)
            };
            (
                format!("{owner_at} (the example of {action} leaves `{name}` out of {place})"),
                rule(
                    &format!("example-omits-{}", kebab(name)),
                    &format!("ZEGOCLOUD's schema requires `{name}`, but its own example of {action} leaves it out, so a request without it is sent with a warning."),
                    &format!("{}: the request example of {action} has no `{name}` in {place}", found.file),
                    Vec::new(),
                    vec![mapping([("present", Value::from(name.as_str()))])],
                ),
            )
        }
        Contradiction::Unlisted {
            field,
            value,
            documented,
            ..
        } => {
            let shown = serde_yaml::to_string(value)
                .unwrap_or_default()
                .trim()
                .to_owned();
            (
                format!("{owner_at} (the example of {action} sends `{}: {shown}`, which the enum lacks)", found.example_at),
                rule(
                    &format!("example-uses-unlisted-{}", kebab(field)),
                    &format!("`{field}` takes a value ZEGOCLOUD's enum lists; its own example of {action} sends {shown}, which is accepted with a warning."),
                    &format!("{}: the request example of {action} sends `{}: {shown}`", found.file, found.example_at),
                    vec![mapping([("present", Value::from(field.as_str()))])],
                    vec![mapping([("field", Value::from(field.as_str())), ("in", Value::Sequence(documented.clone()))])],
                ),
            )
        }
    }
}

/// Loosens the contradicted check in `schemas` (when they hold the schema) and adds `rule`,
/// once, to the object that holds the field.
fn apply(schemas: &mut std::collections::BTreeMap<SchemaKey, Value>, found: &Found, rule: &Value) {
    match &found.what {
        Contradiction::Omits(name) => {
            if let Some(owner) = node_mut(schemas, &found.owner) {
                if let Some(Value::Sequence(required)) = owner.get_mut("required") {
                    required.retain(|item| item.as_str() != Some(name));
                    if required.is_empty() {
                        owner.remove("required");
                    }
                }
            }
        }
        Contradiction::Unlisted { value, enum_at, .. } => {
            let listed = node_mut(schemas, enum_at)
                .and_then(|schema| schema.get_mut("enum"))
                .and_then(Value::as_sequence_mut);
            if let Some(listed) = listed.filter(|listed| !listed.contains(value)) {
                listed.push(value.clone());
            }
        }
    }
    let Some(owner) = node_mut(schemas, &found.owner) else {
        return;
    };
    let rules = owner
        .entry(Value::from("x-zego-rules"))
        .or_insert_with(|| Value::Sequence(Vec::new()));
    if let Value::Sequence(rules) = rules {
        let id = rule.get("id");
        if !rules.iter().any(|existing| existing.get("id") == id) {
            rules.push(rule.clone());
        }
    }
}

fn rule(id: &str, description: &str, source: &str, when: Vec<Value>, then: Vec<Value>) -> Value {
    let mut rule = mapping([
        ("id", Value::from(id)),
        ("description", Value::from(description)),
        ("grade", Value::from("advisory")),
        ("source", Value::from(source)),
    ]);
    if let Value::Mapping(map) = &mut rule {
        if !when.is_empty() {
            map.insert(Value::from("when"), Value::Sequence(when));
        }
        map.insert(Value::from("then"), Value::Sequence(then));
    }
    rule
}

fn mapping<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Mapping(
        entries
            .into_iter()
            .map(|(key, value)| (Value::from(key), value))
            .collect(),
    )
}

/// `StreamUrl` → `stream-url`, for rule ids.
fn kebab(name: &str) -> String {
    heck::ToKebabCase::to_kebab_case(name)
}
