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
    reason: "one shared `servers` list holds the hosts of two services (Super Board's `docs-api` and `whiteboard-api`, ZIM's `zim-api` and the `auth-api` of its audio licence); an action keeps the hosts of the service its first host names, and an action of the other service lists its own",
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
pub const GET_BODY_AS_QUERY: Fixup = Fixup {
    name: "get-body-as-query",
    kind: FixupKind::UpstreamError,
    reason: "a GET action declares a request body (ZIM's QueryAppCommunityList); HTTP gives a GET body no meaning and ZIM's \"Accessing Server APIs\" page puts every parameter of a GET request in the query, so the body's fields become query parameters",
};
pub const TEXT_WITH_ALTERNATIVES: Fixup = Fixup {
    name: "text-with-alternatives",
    kind: FixupKind::UpstreamError,
    reason: "a `type: string` field lists object alternatives (`oneOf`/`anyOf`), which no string can be; ZIM's text says the string carries JSON in one of those shapes, so the field stays a string and a note names the shapes",
};
pub const TYPE_BESIDE_ALTERNATIVES: Fixup = Fixup {
    name: "type-beside-alternatives",
    kind: FixupKind::OurConvention,
    reason: "`type: object` stands beside `oneOf`/`anyOf` alternatives that are objects themselves; the alternatives say it, so the `type` goes",
};
pub const NUMBER_AS_INTEGER: Fixup = Fixup {
    name: "number-as-integer",
    kind: FixupKind::OurConvention,
    reason: "a `type: number` without a format holds an id, a sequence, a time, a count or a code: its examples are whole numbers, or its name says so and nothing fractional is documented; it is read as a 64-bit integer, since an `f64` changes ids above 2^53 (971503777289036700 comes back as 971503777289036672), and the evidence is written on the field",
};
pub const NUMBER_KEPT: Fixup = Fixup {
    name: "number-kept-as-float",
    kind: FixupKind::OurConvention,
    reason: "a `type: number` without a format stays a floating-point number: nothing says it is whole (the reason is given at each place)",
};
pub const EXAMPLE_CONTRADICTS_SCHEMA: Fixup = Fixup {
    name: "example-contradicts-schema",
    kind: FixupKind::UpstreamError,
    reason: "a file's own request example leaves out a field its schema requires, or sends a value its enum lacks; the client must not refuse what ZEGOCLOUD's example does, so the field is optional (or the value listed) and an advisory rule citing the example warns instead",
};
pub const COMPONENT_NAME_NOT_AN_IDENTIFIER: Fixup = Fixup {
    name: "component-name-not-an-identifier",
    kind: FixupKind::UpstreamError,
    reason: "a component's name is not one OpenAPI allows (`^[a-zA-Z0-9.\\-_]+$`): ZIM names schemas `Multimedia message` and, in Chinese, `多媒体消息`; the words are joined in upper camel case, and a name without Latin letters becomes its action's name with `Shape` and a number",
};

/// Every fix-up, in the order this file defines them; an import reports those that applied
/// nowhere, since a fix-up the files no longer need should go.
pub const ALL: [Fixup; 23] = [
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
    GET_BODY_AS_QUERY,
    TEXT_WITH_ALTERNATIVES,
    TYPE_BESIDE_ALTERNATIVES,
    NUMBER_AS_INTEGER,
    NUMBER_KEPT,
    EXAMPLE_CONTRADICTS_SCHEMA,
    COMPONENT_NAME_NOT_AN_IDENTIFIER,
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
    fix_alternatives(map, at, applied);
    // A reply's own `Code` is the envelope's, which `envelope-code-as-number` reads.
    let envelope_code = at.ends_with("/properties/Code")
        && at.matches("/properties/").count() == 1
        && (at.contains("Response/properties/Code") || at.contains("/responses/"));
    // A list's items are read by their list, with its example, below.
    let items = at.ends_with("/items");
    if let Some(name) = field_name(at).filter(|_| !envelope_code && !items) {
        number_as_integer(map, &name, None, at, applied);
    }
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
    // A list's example speaks for its items: `ForbidList: [2, 3]`.
    let first_example = map
        .get("example")
        .and_then(Value::as_sequence)
        .and_then(|examples| examples.first())
        .cloned();
    if let Some(items) = map.get_mut("items") {
        if let (Value::Mapping(items), Some(name)) = (&mut *items, field_name(at)) {
            number_as_integer(
                items,
                &name,
                first_example.as_ref(),
                &format!("{at}/items"),
                applied,
            );
        }
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

/// A component name OpenAPI allows: the name itself when it is one, else its words in upper
/// camel case, else (no Latin letters) `<action>Shape<n>`, `n` counted from the name's
/// characters so that it does not depend on which other names the file has.
pub fn component_name(name: &str, action: &str, file: &str, applied: &mut Applied) -> String {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if !name.is_empty() && name.chars().all(allowed) {
        return name.to_owned();
    }
    let camel: String = heck::ToUpperCamelCase::to_upper_camel_case(name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let renamed = if camel.chars().any(|c| c.is_ascii_alphabetic()) {
        camel
    } else {
        let digest = name
            .chars()
            .fold(0_u32, |sum, c| sum.wrapping_mul(31).wrapping_add(c as u32));
        format!("{action}Shape{}", digest % 10_000)
    };
    applied.note(
        COMPONENT_NAME_NOT_AN_IDENTIFIER,
        format!("{file}#/components/schemas/{name} (now `{renamed}`)"),
    );
    renamed
}

/// The name of the field a schema at `at` describes (a list's items and a map's values take
/// their field's name); `None` for a component or a body.
fn field_name(at: &str) -> Option<String> {
    let mut segments = at.rsplit('/');
    loop {
        let segment = segments.next()?;
        match segment {
            "items" | "additionalProperties" => continue,
            _ => {
                return (segments.next() == Some("properties"))
                    .then(|| segment.replace("~1", "/").replace("~0", "~"));
            }
        }
    }
}

/// Words a field's name ends in when it holds a whole number.
const WHOLE_NUMBER_NAMES: [&str; 23] = [
    "ts",
    "id",
    "ids",
    "seq",
    "time",
    "timestamp",
    "count",
    "limit",
    "next",
    "type",
    "flag",
    "mode",
    "index",
    "code",
    "num",
    "level",
    "role",
    "status",
    "duration",
    "timeout",
    "offset",
    "total",
    "relation",
];

/// A `number` without a format read as a 64-bit integer when the evidence says it is whole
/// ([`NUMBER_AS_INTEGER`]), else kept with the reason ([`NUMBER_KEPT`]). `example` is the
/// example written beside the schema (a parameter's).
pub fn number_as_integer(
    map: &mut Mapping,
    name: &str,
    example: Option<&Value>,
    at: &str,
    applied: &mut Applied,
) {
    if map.get("type").and_then(Value::as_str) != Some("number")
        || map.contains_key("format")
        || map.contains_key("enum")
    {
        return;
    }
    let mut values: Vec<&Value> = example.into_iter().collect();
    values.extend(map.get("example"));
    values.extend(
        map.get("examples")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten(),
    );
    values.extend(
        ["default", "minimum", "maximum"]
            .iter()
            .filter_map(|key| map.get(*key)),
    );
    let fractional = values.iter().find(|value| value.is_f64());
    let whole_examples: Vec<String> = map
        .get("example")
        .or(example)
        .filter(|value| value.is_i64() || value.is_u64())
        .map(|value| {
            serde_yaml::to_string(value)
                .unwrap_or_default()
                .trim()
                .to_owned()
        })
        .into_iter()
        .collect();
    let word = last_word(name);
    let named = WHOLE_NUMBER_NAMES.contains(&word.as_str());
    if let Some(fractional) = fractional {
        let shown = serde_yaml::to_string(fractional).unwrap_or_default();
        applied.note(
            NUMBER_KEPT,
            format!("{at} (a documented value is fractional: {})", shown.trim()),
        );
        return;
    }
    // The name decides (a metric's example may be whole and its values not); an example
    // confirms, and a fractional one vetoes, above.
    if !named {
        let example = if whole_examples.is_empty() {
            "no example"
        } else {
            "a whole-number example"
        };
        applied.note(
            NUMBER_KEPT,
            format!("{at} ({example}, but the name `{name}` names no id, sequence, time, count or code)"),
        );
        return;
    }
    let mut evidence = vec![format!("its name `{name}` ends in \"{word}\"")];
    if !whole_examples.is_empty() {
        evidence.push(format!(
            "its example is a whole number ({})",
            whole_examples.join(", ")
        ));
    }
    map.insert(Value::from("type"), Value::from("integer"));
    map.insert(Value::from("format"), Value::from("int64"));
    let note = format!(
        "ZEGOCLOUD's file types this field `number`; read as a 64-bit integer because {}.",
        evidence.join(" and ")
    );
    let note = match map.get("x-zego-note").and_then(Value::as_str) {
        Some(existing) => format!("{existing} {note}"),
        None => note,
    };
    map.insert(Value::from("x-zego-note"), Value::from(note));
    applied.note(NUMBER_AS_INTEGER, at.to_owned());
}

/// The last word of a field name, lower-cased: `MsgId` → `id`, `forbid_expire_time` → `time`,
/// `UserIds` → `ids`.
fn last_word(name: &str) -> String {
    let name = name.trim_end_matches("[]");
    // A list is named for what it holds: `forbid_role_list` holds roles.
    let name = name
        .strip_suffix("_list")
        .or_else(|| name.strip_suffix("List"))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(name);
    let start = name
        .char_indices()
        .rev()
        .find(|(index, c)| {
            *c == '_'
                || (c.is_ascii_uppercase()
                    && name[..*index].chars().last().is_some_and(|before| {
                        before.is_ascii_lowercase() || before.is_ascii_digit()
                    }))
        })
        .map_or(0, |(index, c)| if c == '_' { index + 1 } else { index });
    name[start..].to_ascii_lowercase()
}

/// A `type` beside `oneOf`/`anyOf`: dropped when it is `object` (the alternatives say it);
/// for `string`, the alternatives describe the JSON the string carries and become a note.
fn fix_alternatives(map: &mut Mapping, at: &str, applied: &mut Applied) {
    let Some(keyword) = ["oneOf", "anyOf"]
        .into_iter()
        .find(|keyword| map.contains_key(*keyword))
    else {
        return;
    };
    match map.get("type").and_then(Value::as_str) {
        Some("object") if !map.contains_key("properties") => {
            map.remove("type");
            applied.note(TYPE_BESIDE_ALTERNATIVES, at.to_owned());
        }
        Some("string") => {
            let shapes: Vec<String> = map
                .get(keyword)
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .map(
                    |alternative| match alternative.get("$ref").and_then(Value::as_str) {
                        Some(reference) => format!(
                            "`{}`",
                            reference
                                .rsplit('/')
                                .next()
                                .unwrap_or(reference)
                                .replace("~1", "/")
                        ),
                        None => "an object".to_owned(),
                    },
                )
                .collect();
            map.remove(keyword);
            map.insert(
                Value::from("x-zego-note"),
                Value::from(format!(
                    "The text may be JSON (URL-encoded) in one of the shapes {} of ZEGOCLOUD's file, depending on the message type; it is kept as text.",
                    shapes.join(", ")
                )),
            );
            applied.note(TEXT_WITH_ALTERNATIVES, at.to_owned());
        }
        _ => {}
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
    let (own, others): (Vec<String>, Vec<String>) = urls
        .into_iter()
        .partition(|url| service_stem(url) == service);
    let left_out: Vec<&str> = others
        .iter()
        .map(|url| url.trim_start_matches("https://"))
        .collect();
    if own.len() != count {
        applied.note(
            MIXED_SERVICE_HOSTS,
            format!(
                "{at} (kept the {count_kept} `{service}` hosts; left out {left_out})",
                count_kept = own.len(),
                left_out = left_out.join(", ")
            ),
        );
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
        // D stays a number, and the report says why.
        assert_eq!(applied.0.len(), 4);
        assert_eq!(applied.0[&NUMBER_KEPT].len(), 1);
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
    fn numbers_named_for_ids_times_and_counts_become_integers_with_their_evidence() {
        let (value, applied) = fixed(
            "type: object\nproperties:\n  MsgId: {type: number, example: 971503777289036700}\n  Score: {type: number, example: 3}\n  Ratio: {type: number}\n  MsgTime: {type: number, example: 1.5}\n  forbid_role_list: {type: array, items: {type: number}}\n  ForbidList: {type: array, example: [2, 3], items: {type: number}}",
        );
        let property = |name: &str| value["properties"][name].clone();
        assert_eq!(property("MsgId")["type"], Value::from("integer"));
        assert_eq!(property("MsgId")["format"], Value::from("int64"));
        let note = property("MsgId")["x-zego-note"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            note.contains("`MsgId` ends in \"id\"") && note.contains("971503777289036700"),
            "{note}"
        );
        // A whole example alone says nothing about a metric; a fractional one vetoes a name.
        assert_eq!(property("Score")["type"], Value::from("number"));
        assert_eq!(property("Ratio")["type"], Value::from("number"));
        assert_eq!(property("MsgTime")["type"], Value::from("number"));
        assert_eq!(
            property("forbid_role_list")["items"]["type"],
            Value::from("integer")
        );
        assert_eq!(
            property("ForbidList")["items"]["type"],
            Value::from("number")
        );
        assert_eq!(applied.0[&NUMBER_AS_INTEGER].len(), 2);
        assert_eq!(applied.0[&NUMBER_KEPT].len(), 4);
    }

    #[test]
    fn a_string_with_object_alternatives_stays_a_string_with_a_note() {
        let (value, applied) = fixed(
            "type: object\nproperties:\n  MsgBody:\n    type: string\n    oneOf:\n      - $ref: '#/components/schemas/multimedia messaging'\n  Data:\n    type: object\n    oneOf:\n      - {type: object, properties: {A: {type: string}}}\n      - {type: object, properties: {B: {type: string}}}",
        );
        let body = &value["properties"]["MsgBody"];
        assert!(body.get("oneOf").is_none());
        assert!(body["x-zego-note"]
            .as_str()
            .unwrap_or_default()
            .contains("`multimedia messaging`"));
        assert!(value["properties"]["Data"].get("type").is_none());
        assert_eq!(applied.0[&TEXT_WITH_ALTERNATIVES].len(), 1);
        assert_eq!(applied.0[&TYPE_BESIDE_ALTERNATIVES].len(), 1);
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
