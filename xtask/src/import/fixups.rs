//! The quirks of ZEGOCLOUD's published files, each fixed in one named place with its reason
//! (the model: k8s-openapi's `k8s-openapi-codegen/src/fixups/`). Every fix-up that changes
//! something is counted and reported with where it applied; nothing is fixed silently.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use crate::diagnostics::pointer_join;

use super::facts::service_stem;

/// A named fix-up, what kind of quirk it mends, and why it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fixup {
    pub name: &'static str,
    pub kind: FixupKind,
    pub reason: &'static str,
}

/// Whether a fix-up mends an error in ZEGOCLOUD's files or applies a reading of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FixupKind {
    /// The file is not valid OpenAPI 3.0, or says one thing two ways; the fix-up writes what
    /// it means.
    UpstreamError,
    /// The file is valid, but its schema and ZEGOCLOUD's text disagree or leave a choice; the
    /// fix-up applies this project's reading, which the README explains.
    OurConvention,
}

pub const SERVERS_AS_REFERENCE: Fixup = Fixup {
    name: "servers-as-reference",
    kind: FixupKind::UpstreamError,
    reason: "`servers` is a `$ref` to a shared list; OpenAPI 3.0 wants the list itself",
};
pub const REQUIRED_FLAG_ON_PROPERTY: Fixup = Fixup {
    name: "required-flag-on-property",
    kind: FixupKind::UpstreamError,
    reason: "a property says `required: true/false` (a JSON Schema draft-3 habit); OpenAPI lists required properties on the object, so the flag moves there",
};
pub const REQUIRED_ON_ARRAY: Fixup = Fixup {
    name: "required-on-array",
    kind: FixupKind::UpstreamError,
    reason: "an array schema lists `required` properties; they belong to its object items",
};
pub const INTEGER_FORMAT_ALIAS: Fixup = Fixup {
    name: "integer-format-alias",
    kind: FixupKind::UpstreamError,
    reason: "integer `format` `int`, `Int` or `number` names no width; the field is read as a 64-bit integer, which holds any value the service documents",
};
pub const CAPITALISED_TYPE: Fixup = Fixup {
    name: "capitalised-type",
    kind: FixupKind::UpstreamError,
    reason: "`type: Int64` is not an OpenAPI type; it means `type: integer, format: int64`",
};
pub const NUMBER_WITH_INTEGER_FORMAT: Fixup = Fixup {
    name: "number-with-integer-format",
    kind: FixupKind::UpstreamError,
    reason: "`type: number` with an integer format (`int`, `int32`, `int64`, `uint32`) describes an integer",
};
pub const NUMBER_ENUM_OF_WHOLE_NUMBERS: Fixup = Fixup {
    name: "number-enum-of-whole-numbers",
    kind: FixupKind::OurConvention,
    reason: "a `type: number` whose `enum` lists only whole numbers holds one of those integer codes: it is an integer enum",
};
pub const EMPTY_REQUIRED_LIST: Fixup = Fixup {
    name: "empty-required-list",
    kind: FixupKind::UpstreamError,
    reason: "`required: []` lists nothing, and OpenAPI 3.0 wants at least one name there; it is left out",
};
pub const NULL_TYPE: Fixup = Fixup {
    name: "null-type",
    kind: FixupKind::UpstreamError,
    reason: "`type: \"null\"` is not an OpenAPI 3.0 type; a property that is always null carries nothing, so it is left out",
};
pub const REFERENCE_SIBLINGS: Fixup = Fixup {
    name: "reference-siblings",
    kind: FixupKind::UpstreamError,
    reason: "keys beside a `$ref` are ignored by OpenAPI 3.0; they are dropped so the reference is what it says",
};
pub const PARAMETER_DEFAULT: Fixup = Fixup {
    name: "parameter-default",
    kind: FixupKind::UpstreamError,
    reason: "`default` sits on the parameter instead of its schema, where OpenAPI reads it",
};
pub const ENVELOPE_CODE_AS_NUMBER: Fixup = Fixup {
    name: "envelope-code-as-number",
    kind: FixupKind::OurConvention,
    reason: "the envelope's `Code` is typed `number`; it is the integer return code in every answer ZEGOCLOUD documents",
};
pub const ENVELOPE_FIELDS_REQUIRED: Fixup = Fixup {
    name: "envelope-fields-required",
    kind: FixupKind::OurConvention,
    reason: "the envelope's `Code`, `Message`, `RequestId` or `Data` is required, but error answers may leave them out",
};
pub const MIXED_SERVICE_HOSTS: Fixup = Fixup {
    name: "mixed-service-hosts",
    kind: FixupKind::UpstreamError,
    reason: "one `servers` list holds the hosts of two services (super board's `docs-api` and `whiteboard-api`); an action keeps those of the service its first host names",
};
pub const QUERY_LIST_BRACKETS: Fixup = Fixup {
    name: "query-list-brackets",
    kind: FixupKind::OurConvention,
    reason: "ZEGOCLOUD's text sends a list in the query as `Name[]=a&Name[]=b` while the schema names it `Name` (style form, which would send `Name=a&Name=b`); the parameter is renamed `Name[]`, which says the text's convention in OpenAPI's own terms",
};
pub const UNKNOWN_KEYS_FROM_FLOW_MAPPINGS: Fixup = Fixup {
    name: "flow-mapping-junk-keys",
    kind: FixupKind::UpstreamError,
    reason: "an unquoted comma inside a flow-style description splits it, leaving keys with null values beside the schema's own; they are dropped",
};

/// Every fix-up, in the order this file defines them; an import reports those that applied
/// nowhere, since a fix-up the files no longer need should go.
pub const ALL: [Fixup; 16] = [
    SERVERS_AS_REFERENCE,
    REQUIRED_FLAG_ON_PROPERTY,
    REQUIRED_ON_ARRAY,
    INTEGER_FORMAT_ALIAS,
    CAPITALISED_TYPE,
    NUMBER_WITH_INTEGER_FORMAT,
    NUMBER_ENUM_OF_WHOLE_NUMBERS,
    EMPTY_REQUIRED_LIST,
    NULL_TYPE,
    REFERENCE_SIBLINGS,
    PARAMETER_DEFAULT,
    ENVELOPE_CODE_AS_NUMBER,
    ENVELOPE_FIELDS_REQUIRED,
    MIXED_SERVICE_HOSTS,
    QUERY_LIST_BRACKETS,
    UNKNOWN_KEYS_FROM_FLOW_MAPPINGS,
];

/// Where each fix-up applied: the file (as shown) and JSON pointer of every place.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied(pub BTreeMap<Fixup, Vec<String>>);

impl Applied {
    pub fn note(&mut self, fixup: Fixup, place: String) {
        self.0.entry(fixup).or_default().push(place);
    }

    pub fn merge(&mut self, other: &Applied) {
        for (fixup, places) in &other.0 {
            self.0
                .entry(*fixup)
                .or_default()
                .extend(places.iter().cloned());
        }
    }
}

/// The keys a schema object may have; anything else holding null is a fragment of a split
/// flow-style description.
pub const SCHEMA_KEYS: [&str; 33] = [
    "type",
    "format",
    "description",
    "title",
    "properties",
    "required",
    "items",
    "additionalProperties",
    "enum",
    "default",
    "example",
    "examples",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "nullable",
    "deprecated",
    "readOnly",
    "writeOnly",
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "$ref",
    "multipleOf",
    "discriminator",
];

/// Fixes one schema and everything inside it in place; `at` names where it is.
pub fn schema(node: &mut Value, at: &str, applied: &mut Applied) {
    let Value::Mapping(map) = node else {
        return;
    };
    if map.contains_key("$ref") && map.len() > 1 {
        map.retain(|key, _| key.as_str() == Some("$ref"));
        applied.note(REFERENCE_SIBLINGS, at.to_owned());
        return;
    }
    drop_junk_keys(map, at, applied);
    fix_type(map, at, applied);
    if map
        .get("required")
        .and_then(Value::as_sequence)
        .is_some_and(Vec::is_empty)
    {
        map.remove("required");
        applied.note(EMPTY_REQUIRED_LIST, at.to_owned());
    }
    if let Some(Value::Mapping(properties)) = map.get_mut("properties") {
        let mut now_required = Vec::new();
        let mut always_null = Vec::new();
        for (name, property) in properties.iter_mut() {
            let name = name.as_str().unwrap_or_default().to_owned();
            let property_at = pointer_join(&format!("{at}/properties"), &name);
            if let Value::Mapping(property_map) = property {
                if let Some(&Value::Bool(flag)) = property_map.get("required") {
                    property_map.remove("required");
                    applied.note(REQUIRED_FLAG_ON_PROPERTY, property_at.clone());
                    if flag {
                        now_required.push(name.clone());
                    }
                }
                if property_map.get("type").and_then(Value::as_str) == Some("null") {
                    applied.note(NULL_TYPE, property_at.clone());
                    always_null.push(name.clone());
                    continue;
                }
            }
            schema(property, &property_at, applied);
        }
        for name in &always_null {
            properties.remove(name.as_str());
        }
        if !now_required.is_empty() || !always_null.is_empty() {
            let required = map
                .entry(Value::from("required"))
                .or_insert_with(|| Value::Sequence(Vec::new()));
            if let Value::Sequence(list) = required {
                list.retain(|item| !always_null.iter().any(|gone| item.as_str() == Some(gone)));
                for name in now_required {
                    if !list.iter().any(|item| item.as_str() == Some(&name)) {
                        list.push(Value::from(name));
                    }
                }
                if list.is_empty() {
                    map.remove("required");
                }
            }
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("array") {
        if let Some(required) = map.remove("required") {
            applied.note(REQUIRED_ON_ARRAY, at.to_owned());
            if let Some(Value::Mapping(items)) = map.get_mut("items") {
                if !items.contains_key("$ref") {
                    items.insert(Value::from("required"), required);
                }
            }
        }
    }
    if let Some(items) = map.get_mut("items") {
        schema(items, &format!("{at}/items"), applied);
    }
    if let Some(extra @ Value::Mapping(_)) = map.get_mut("additionalProperties") {
        schema(extra, &format!("{at}/additionalProperties"), applied);
    }
}

fn drop_junk_keys(map: &mut Mapping, at: &str, applied: &mut Applied) {
    let before = map.len();
    map.retain(|key, value| {
        let known = key
            .as_str()
            .is_some_and(|key| SCHEMA_KEYS.contains(&key) || key.starts_with("x-"));
        known || !value.is_null()
    });
    if map.len() != before {
        applied.note(UNKNOWN_KEYS_FROM_FLOW_MAPPINGS, at.to_owned());
    }
}

fn fix_type(map: &mut Mapping, at: &str, applied: &mut Applied) {
    let ty = map.get("type").and_then(Value::as_str).map(str::to_owned);
    let format = map.get("format").and_then(Value::as_str).map(str::to_owned);
    match (ty.as_deref(), format.as_deref()) {
        (Some("Int64" | "int64" | "Int32" | "int32" | "Integer" | "Int"), _) => {
            let width = match ty.as_deref() {
                Some("Int64" | "int64") => Some("int64"),
                Some("Int32" | "int32") => Some("int32"),
                _ => None,
            };
            map.insert(Value::from("type"), Value::from("integer"));
            if let Some(width) = width {
                map.insert(Value::from("format"), Value::from(width));
            }
            applied.note(CAPITALISED_TYPE, at.to_owned());
        }
        (Some("number"), Some(format @ ("int" | "Int" | "int32" | "int64" | "uint32"))) => {
            map.insert(Value::from("type"), Value::from("integer"));
            if matches!(format, "int" | "Int") {
                map.remove("format");
            }
            applied.note(NUMBER_WITH_INTEGER_FORMAT, at.to_owned());
        }
        (Some("integer"), Some("int" | "Int" | "number")) => {
            map.remove("format");
            applied.note(INTEGER_FORMAT_ALIAS, at.to_owned());
        }
        _ => {}
    }
    let whole_enum = map.get("type").and_then(Value::as_str) == Some("number")
        && map
            .get("enum")
            .and_then(Value::as_sequence)
            .is_some_and(|values| {
                !values.is_empty() && values.iter().all(|value| value.as_i64().is_some())
            });
    if whole_enum {
        map.insert(Value::from("type"), Value::from("integer"));
        map.remove("format");
        applied.note(NUMBER_ENUM_OF_WHOLE_NUMBERS, at.to_owned());
    }
}

/// Moves a parameter's own `default` into its schema.
pub fn parameter(parameter: &mut Mapping, at: &str, applied: &mut Applied) {
    let Some(default) = parameter.remove("default") else {
        return;
    };
    applied.note(PARAMETER_DEFAULT, at.to_owned());
    if let Some(Value::Mapping(schema)) = parameter.get_mut("schema") {
        schema.entry(Value::from("default")).or_insert(default);
    }
}

/// The envelope's `Code` as an integer.
pub fn envelope_code(code: &mut Value, at: &str, applied: &mut Applied) {
    let Value::Mapping(map) = code else {
        return;
    };
    if map.get("type").and_then(Value::as_str) == Some("number") {
        map.insert(Value::from("type"), Value::from("integer"));
        map.insert(Value::from("format"), Value::from("int64"));
        applied.note(ENVELOPE_CODE_AS_NUMBER, at.to_owned());
    }
}

/// The envelope's fields leave the response's `required` list (an error answer may lack
/// `Data`, and the client reads every role as optional).
pub fn envelope_required(response: &mut Mapping, at: &str, applied: &mut Applied) {
    let Some(Value::Sequence(required)) = response.get_mut("required") else {
        return;
    };
    let before = required.len();
    required.retain(|field| {
        !["Code", "Message", "RequestId", "Data"].contains(&field.as_str().unwrap_or_default())
    });
    if required.len() != before {
        applied.note(ENVELOPE_FIELDS_REQUIRED, at.to_owned());
    }
    if required.is_empty() {
        response.remove("required");
    }
}

/// A list in the query named as ZEGOCLOUD's text sends it, `Name[]` (a list of objects keeps
/// its name: it goes by index and dot).
pub fn query_list_name(
    name: &str,
    schema: &Value,
    by_index: bool,
    at: &str,
    applied: &mut Applied,
) -> String {
    let is_list = schema.get("type").and_then(Value::as_str) == Some("array");
    if !is_list || by_index || name.ends_with("[]") {
        return name.to_owned();
    }
    applied.note(QUERY_LIST_BRACKETS, at.to_owned());
    format!("{name}[]")
}

/// The hosts of the service the first one names (super board's lists mix two services).
pub fn own_service_hosts(urls: Vec<String>, at: &str, applied: &mut Applied) -> Vec<String> {
    let Some(service) = urls
        .first()
        .map(|first| super::facts::service_stem(first).to_owned())
    else {
        return urls;
    };
    let count = urls.len();
    let own: Vec<String> = urls
        .into_iter()
        .filter(|url| service_stem(url) == service)
        .collect();
    if own.len() != count {
        applied.note(MIXED_SERVICE_HOSTS, at.to_owned());
    }
    own
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(yaml: &str) -> (Value, Applied) {
        let mut value: Value = serde_yaml::from_str(yaml).expect("yaml");
        let mut applied = Applied::default();
        schema(&mut value, "#/s", &mut applied);
        (value, applied)
    }

    #[test]
    fn a_required_flag_moves_to_the_object() {
        let (value, applied) = fixed(
            "type: object\nproperties:\n  A: {type: string, required: true}\n  B: {type: string, required: false}\n",
        );
        assert_eq!(
            value["required"],
            serde_yaml::from_str::<Value>("[A]").expect("yaml")
        );
        assert!(value["properties"]["B"].get("required").is_none());
        assert_eq!(applied.0[&REQUIRED_FLAG_ON_PROPERTY].len(), 2);
    }

    #[test]
    fn an_array_s_required_list_moves_to_its_items() {
        let (value, applied) = fixed(
            "type: object\nproperties:\n  L:\n    type: array\n    required: [V]\n    items: {type: object, properties: {V: {type: integer}}}\n",
        );
        let list = &value["properties"]["L"];
        assert!(list.get("required").is_none());
        assert_eq!(
            list["items"]["required"],
            serde_yaml::from_str::<Value>("[V]").expect("yaml")
        );
        assert_eq!(applied.0[&REQUIRED_ON_ARRAY].len(), 1);
    }

    #[test]
    fn number_formats_become_stated_integer_types() {
        let (value, applied) = fixed(
            "type: object\nproperties:\n  A: {type: number, format: int64}\n  B: {type: integer, format: int}\n  C: {type: Int64}\n  D: {type: number}\n",
        );
        let props = &value["properties"];
        assert_eq!(props["A"]["type"], Value::from("integer"));
        assert_eq!(props["A"]["format"], Value::from("int64"));
        assert!(props["B"].get("format").is_none());
        assert_eq!(props["C"]["format"], Value::from("int64"));
        assert_eq!(props["D"]["type"], Value::from("number"));
        assert_eq!(applied.0.len(), 3);
    }

    #[test]
    fn an_always_null_property_is_left_out_and_reference_siblings_dropped() {
        let (value, applied) = fixed(
            "type: object\nrequired: [Data]\nproperties:\n  Data: {type: 'null'}\n  R: {$ref: '#/x', description: d}\n",
        );
        assert!(value["properties"].get("Data").is_none());
        assert!(value.get("required").is_none());
        assert_eq!(
            value["properties"]["R"],
            serde_yaml::from_str::<Value>("{$ref: '#/x'}").expect("yaml")
        );
        assert!(applied.0.contains_key(&NULL_TYPE) && applied.0.contains_key(&REFERENCE_SIBLINGS));
    }

    #[test]
    fn every_fix_up_is_listed_once() {
        let source = include_str!("fixups.rs");
        let defined = source
            .lines()
            .filter(|line| line.starts_with("pub const ") && line.ends_with(": Fixup = Fixup {"))
            .count();
        assert_eq!(defined, ALL.len(), "a fix-up is missing from ALL");
        let names: std::collections::BTreeSet<&str> = ALL.iter().map(|fixup| fixup.name).collect();
        assert_eq!(names.len(), ALL.len(), "two fix-ups share a name");
    }

    #[test]
    fn the_report_names_the_fix_ups_that_applied_nowhere() {
        let mut applied = Applied::default();
        applied.note(NULL_TYPE, "a.yaml#/x".to_owned());
        applied.note(QUERY_LIST_BRACKETS, "a.yaml#/y".to_owned());
        let report = super::super::ImportReport {
            fixups: applied,
            ..Default::default()
        };
        let text = super::super::report_text(&report);
        let errors = text
            .find("fix-ups of errors in ZEGOCLOUD's files")
            .expect("errors first");
        let conventions = text
            .find("fix-ups of our conventions")
            .expect("then conventions");
        assert!(errors < conventions, "{text}");
        let unused = text
            .lines()
            .find(|line| line.starts_with("fix-ups that applied nowhere"))
            .expect("the unused ones are listed");
        assert!(unused.contains("servers-as-reference") && !unused.contains("null-type"));
    }
}
