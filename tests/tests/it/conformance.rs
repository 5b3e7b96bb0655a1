//! Independent conformance: random requests generated from the spec's own request schema are
//! checked with a JSON Schema validator (the `jsonschema` crate, on the schema taken from the
//! spec) against the generated client's serialization and `validate()`.
//!
//! - a request that `validate()` accepts serializes to a body the schema accepts;
//! - a request the schema rejects is rejected by `validate()` at the same field;
//! - every violation `validate()` reports is a schema constraint the validator also reports,
//!   or one of the spec's documented cross-field rules (`x-zego-rules`);
//! - serialization gives back exactly the JSON the request was read from.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use zego_cloudrecord::types::StartRecordRequest;

fn spec() -> Value {
    let text = tests::bundled_spec("StartRecord");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("spec parses");
    serde_json::to_value(yaml).expect("spec is JSON-compatible")
}

/// OpenAPI 3.0 schema → JSON Schema draft 7: references move to `definitions`, extensions
/// go, and objects forbid properties the spec does not list (the client must never send any).
fn to_json_schema(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut out = Map::new();
            for (key, child) in object {
                if key.starts_with("x-") || key == "example" {
                    continue;
                }
                if key == "$ref" {
                    let target = child
                        .as_str()
                        .unwrap_or_default()
                        .replace("#/components/schemas/", "#/definitions/");
                    out.insert(key.clone(), Value::String(target));
                    continue;
                }
                out.insert(key.clone(), to_json_schema(child));
            }
            if out.get("type").and_then(Value::as_str) == Some("object") {
                out.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}

struct Context {
    schemas: Value,
    validator: jsonschema::Validator,
    rule_ids: BTreeSet<String>,
}

fn context() -> Context {
    let spec = spec();
    let schemas = spec["components"]["schemas"].clone();
    let definitions = to_json_schema(&schemas);
    let root = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$ref": "#/definitions/StartRecordRequest",
        "definitions": definitions,
    });
    let validator =
        jsonschema::draft7::new(&root).expect("the spec's request schema is valid JSON Schema");
    let mut rule_ids = BTreeSet::new();
    for schema in schemas.as_object().expect("schemas").values() {
        for rule in schema["x-zego-rules"].as_array().into_iter().flatten() {
            rule_ids.insert(rule["id"].as_str().expect("rule id").to_owned());
        }
    }
    Context {
        schemas,
        validator,
        rule_ids,
    }
}

/// Deterministic randomness (SplitMix64) with the helpers this file needs.
struct Rng(tests::util::SplitMix64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(tests::util::SplitMix64(seed))
    }

    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn range(&mut self, low: i64, high: i64) -> i64 {
        let span = u64::try_from(i128::from(high) - i128::from(low) + 1).unwrap_or(u64::MAX);
        let offset = if span == 0 {
            self.next()
        } else {
            self.next() % span
        };
        low.wrapping_add(offset as i64)
    }
}

/// A random JSON value of `schema`; `strict` makes every constraint hold.
fn generate(context: &Context, schema: &Value, rng: &mut Rng, strict: bool) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return generate(context, &context.schemas[name], rng, strict);
    }
    let bend = !strict && rng.chance(10);
    match schema["type"].as_str() {
        Some("object") => {
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut object = Map::new();
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                let present =
                    required.contains(&name.as_str()) || rng.chance(if strict { 70 } else { 45 });
                if present {
                    object.insert(name.clone(), generate(context, property, rng, strict));
                }
            }
            Value::Object(object)
        }
        Some("array") => {
            let length = rng.range(0, 3);
            Value::Array(
                (0..length)
                    .map(|_| generate(context, &schema["items"], rng, strict))
                    .collect(),
            )
        }
        Some("boolean") => Value::Bool(rng.chance(50)),
        Some("string") => match schema["enum"].as_array() {
            Some(values) if !bend => values[rng.range(0, values.len() as i64 - 1) as usize].clone(),
            Some(_) => Value::String("webm".to_owned()),
            None => Value::String(
                ["", "a", "room-1", "名前", "x y"][rng.range(0, 4) as usize].to_owned(),
            ),
        },
        Some("integer") => {
            if let Some(values) = schema["enum"].as_array() {
                if bend {
                    return json!(rng.range(-1, 12) + 20);
                }
                return values[rng.range(0, values.len() as i64 - 1) as usize].clone();
            }
            let (type_low, type_high) = match schema["format"].as_str() {
                Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
                Some("uint32") => (0, i64::from(u32::MAX)),
                _ => (-1_000_000, 10_000_000),
            };
            let low = schema["minimum"].as_i64().unwrap_or(type_low);
            let high = schema["maximum"].as_i64().unwrap_or(type_high);
            if bend && rng.chance(50) && low > type_low {
                json!(low - rng.range(1, 3))
            } else if bend && high < type_high {
                json!(high + rng.range(1, 3))
            } else if rng.chance(30) {
                json!([low, high, low.max(0).min(high)][rng.range(0, 2) as usize])
            } else {
                json!(rng.range(low, high.min(low.saturating_add(5000))))
            }
        }
        _ => Value::Null,
    }
}

/// `RecordInputParams.MixConfig.MixInputList[2].Top` → `/RecordInputParams/MixConfig/MixInputList/2/Top`.
fn to_pointer(path: &str) -> String {
    let mut pointer = String::new();
    for segment in path.split('.') {
        let mut parts = segment.split('[');
        pointer.push('/');
        pointer.push_str(parts.next().unwrap_or_default());
        for index in parts {
            pointer.push('/');
            pointer.push_str(index.trim_end_matches(']'));
        }
    }
    pointer
}

const SCHEMA_RULES: [&str; 7] = [
    "minimum",
    "maximum",
    "enum",
    "min_items",
    "max_items",
    "min_length",
    "max_length",
];

#[derive(Default, Debug)]
struct Tally {
    valid: usize,
    schema_invalid: usize,
    rule_only_invalid: usize,
}

fn check(context: &Context, body: &Value, tally: &mut Tally) -> Result<(), String> {
    let request: StartRecordRequest = serde_json::from_value(body.clone())
        .map_err(|error| format!("generated body does not decode: {error}\n{body:#}"))?;
    let wire = serde_json::to_value(&request).map_err(|error| error.to_string())?;
    if &wire != body {
        return Err(format!(
            "serialization changed the body:\n{body:#}\n{wire:#}"
        ));
    }
    let schema_errors: BTreeSet<String> = context
        .validator
        .iter_errors(&wire)
        .map(|error| error.instance_path().to_string())
        .collect();
    match request.validate() {
        Ok(()) => {
            tally.valid += 1;
            if !schema_errors.is_empty() {
                return Err(format!(
                    "validate() accepted a body the schema rejects at {schema_errors:?}:\n{wire:#}"
                ));
            }
        }
        Err(error) => {
            let mut schema_level = false;
            for violation in error.violations() {
                if SCHEMA_RULES.contains(&violation.rule) {
                    schema_level = true;
                    let pointer = to_pointer(&violation.path);
                    if !schema_errors.contains(&pointer) {
                        return Err(format!("{violation} but the schema validator reports nothing at {pointer} ({schema_errors:?})"));
                    }
                } else if !context.rule_ids.contains(violation.rule) {
                    return Err(format!(
                        "{violation} is neither a schema constraint nor a documented rule"
                    ));
                }
            }
            let ours: BTreeSet<String> = error
                .violations()
                .iter()
                .map(|v| to_pointer(&v.path))
                .collect();
            if let Some(missed) = schema_errors
                .iter()
                .find(|pointer| !ours.contains(*pointer))
            {
                return Err(format!(
                    "the schema rejects {missed} but validate() does not: {error}"
                ));
            }
            if schema_level {
                tally.schema_invalid += 1;
            } else {
                tally.rule_only_invalid += 1;
            }
        }
    }
    Ok(())
}

#[test]
fn random_requests_agree_with_an_independent_schema_validator() {
    let context = context();
    let tally = std::cell::RefCell::new(Tally::default());
    let config = ProptestConfig {
        cases: 1500,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(&(any::<u64>(), any::<bool>()), |(seed, strict)| {
        let mut rng = Rng::new(seed);
        let body = generate(
            &context,
            &json!({"$ref": "#/components/schemas/StartRecordRequest"}),
            &mut rng,
            strict,
        );
        check(&context, &body, &mut tally.borrow_mut()).map_err(TestCaseError::fail)
    });
    let tally = tally.into_inner();
    println!("conformance: {tally:?}");
    if let Err(error) = result {
        panic!("{error}");
    }
    assert!(
        tally.valid >= 20,
        "enough valid requests to mean something: {tally:?}"
    );
    assert!(
        tally.schema_invalid >= 100 && tally.rule_only_invalid >= 100,
        "{tally:?}"
    );
}

#[test]
fn the_schema_validator_is_not_a_pushover() {
    let context = context();
    let body = json!({"RoomId": "r", "RecordInputParams": {"RecordMode": 7, "Extra": 1}, "StorageParams": {"Vendor": 1}});
    let errors: BTreeSet<String> = context
        .validator
        .iter_errors(&body)
        .map(|e| e.instance_path().to_string())
        .collect();
    assert!(
        errors.contains("/RecordInputParams/RecordMode"),
        "{errors:?}"
    );
    assert!(
        errors.contains("/RecordInputParams"),
        "unknown properties are rejected: {errors:?}"
    );
}
