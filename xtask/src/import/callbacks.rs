//! The callbacks a product sends, from its facts file into the spec: `x-zego-callbacks` on the
//! root (how they are signed, the field naming the event, each event's value and page), and
//! each event's body (and answer, where it carries data) as a component schema named after it
//! (`RoomCreatedEvent`, `MessageBeforeSendAnswer`), which the generator types like any other.

use serde_yaml::{Mapping, Value};

use super::facts_file::{CallbackFacts, EventFacts};

/// The root's `x-zego-callbacks` and the component schemas its events name.
pub struct CallbacksSpec {
    pub extension: Value,
    pub schemas: Vec<(String, Value)>,
}

/// The component name of an event's body.
pub fn event_schema_name(event: &EventFacts) -> String {
    format!("{}Event", event.name)
}

/// The component name of an event's answer.
pub fn answer_schema_name(event: &EventFacts) -> String {
    format!("{}Answer", event.name)
}

pub fn to_spec(facts: &CallbackFacts) -> CallbacksSpec {
    let mut schemas = Vec::new();
    let mut events = Vec::new();
    for event in &facts.events {
        let body_name = event_schema_name(event);
        schemas.push((
            body_name.clone(),
            described(&event.schema, &event.description, &body_name),
        ));
        let mut entry = Mapping::new();
        let mut put = |key: &str, value: Value| {
            entry.insert(Value::from(key), value);
        };
        put("name", Value::from(event.name.as_str()));
        put("value", event.value.clone());
        if !event.also_values.is_empty() {
            put("also-values", Value::Sequence(event.also_values.clone()));
        }
        put("page", Value::from(event.page.as_str()));
        put("description", Value::from(event.description.trim()));
        if event.deprecated {
            put("deprecated", Value::Bool(true));
        }
        if let Some(discriminator) = &event.discriminator {
            put("discriminator", Value::from(discriminator.as_str()));
        }
        if let Some(signature) = &event.signature {
            put(
                "signature",
                serde_yaml::to_value(signature).unwrap_or(Value::Null),
            );
        }
        if let Some(body) = &event.body {
            put("body", Value::from(body.as_str()));
        }
        put("schema", reference(&body_name));
        if let Some(answer) = &event.answer_schema {
            let answer_name = answer_schema_name(event);
            schemas.push((
                answer_name.clone(),
                described(
                    answer,
                    &format!("What the receiver answers to {}.", event.name),
                    &answer_name,
                ),
            ));
            put("answer-schema", reference(&answer_name));
        }
        if let Some(deadline) = event.answer_deadline_ms {
            put("answer-deadline-ms", Value::from(deadline));
        }
        if !event.notes.is_empty() {
            put("x-zego-note", Value::from(event.notes.join("\n")));
        }
        if let Some(example) = &event.example {
            put("example", Value::from(example.as_str()));
        }
        events.push(Value::Mapping(entry));
    }
    let mut root = Mapping::new();
    let mut put = |key: &str, value: Value| {
        root.insert(Value::from(key), value);
    };
    put(
        "pages",
        Value::Sequence(
            facts
                .pages
                .iter()
                .map(|p| Value::from(p.as_str()))
                .collect(),
        ),
    );
    put("secret", Value::from(facts.secret.as_str()));
    if let Some(note) = &facts.secret_note {
        put("secret-note", Value::from(note.trim()));
    }
    put("body", Value::from(facts.body.as_str()));
    put("method", Value::from(facts.method.as_str()));
    put(
        "signature",
        serde_yaml::to_value(&facts.signature).unwrap_or(Value::Null),
    );
    if !facts.url_encoded.is_empty() {
        put(
            "url-encoded",
            Value::Sequence(
                facts
                    .url_encoded
                    .iter()
                    .map(|field| Value::from(field.as_str()))
                    .collect(),
            ),
        );
    }
    put("discriminator", Value::from(facts.discriminator.as_str()));
    if let Some(redelivery) = &facts.redelivery {
        put("redelivery", Value::from(redelivery.trim()));
    }
    if let Some(answer) = &facts.answer {
        put("answer", Value::from(answer.trim()));
    }
    put("events", Value::Sequence(events));
    CallbacksSpec {
        extension: Value::Mapping(root),
        schemas,
    }
}

fn reference(name: &str) -> Value {
    let mut map = Mapping::new();
    map.insert(
        Value::from("$ref"),
        Value::from(format!("#/components/schemas/{name}")),
    );
    Value::Mapping(map)
}

/// `schema` with `description` set (the facts give the event's in its entry), and each
/// inline type in it named after the event (`AgentInstanceStatusEventStatus`), so that an
/// event's types never take, or change, the names of the actions' types.
fn described(schema: &Value, description: &str, name: &str) -> Value {
    let mut schema = schema.clone();
    if let Value::Mapping(map) = &mut schema {
        map.entry(Value::from("description"))
            .or_insert_with(|| Value::from(description.trim()));
    }
    name_inline(&mut schema, name);
    schema
}

fn name_inline(schema: &mut Value, parent: &str) {
    let Some(Value::Mapping(properties)) = schema.get_mut("properties") else {
        return;
    };
    for (field, property) in properties.iter_mut() {
        let field = heck::ToUpperCamelCase::to_upper_camel_case(field.as_str().unwrap_or_default());
        let (target, own) = match property.get("items") {
            Some(_) => (&mut property["items"], format!("{parent}{field}Item")),
            None => (property, format!("{parent}{field}")),
        };
        let named = target.get("enum").is_some()
            || target.get("properties").is_some()
            || target.get("oneOf").is_some()
            || target.get("anyOf").is_some();
        if !named {
            continue;
        }
        if let Value::Mapping(map) = target {
            map.entry(Value::from("x-zego-type-name"))
                .or_insert_with(|| Value::from(own.as_str()));
        }
        let own = target
            .get("x-zego-type-name")
            .and_then(Value::as_str)
            .unwrap_or(&own)
            .to_owned();
        name_inline(target, &own);
    }
}
