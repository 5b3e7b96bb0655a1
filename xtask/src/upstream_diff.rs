//! `cargo xtask upstream-diff <dir>`: compares our spec with a local copy of ZEGOCLOUD's own
//! per-action OpenAPI files and lists field-level drift (fields added or removed; type,
//! format, required-ness, range, default and enum changes). This is how a maintainer learns
//! that a spec pull request is due.
//!
//! Both sides are flattened the same way: each action's request body and response, every
//! field by its dotted wire path (`RecordInputParams.MixConfig.MixInputList[].Top`), with
//! `$ref`s followed, including ZEGOCLOUD's references into other files
//! (`./shared-components.yaml#/…`). Actions are matched by their `Action` value, not by file
//! or schema names, which differ between the two.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::diagnostics::{Location, SpecError};
use crate::import::source::Files;

/// The facts compared for one field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldFacts {
    pub kind: Option<String>,
    pub format: Option<String>,
    pub required: bool,
    pub minimum: Option<String>,
    pub maximum: Option<String>,
    pub default: Option<String>,
    pub values: Option<Vec<String>>,
}

/// Every field of one action: `request.…` and `response.…` paths.
pub type ActionFields = BTreeMap<String, FieldFacts>;

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub action: String,
    pub field: String,
    pub what: String,
}

/// Flattens every OpenAPI file in `dir` that describes one action (files without an `Action`
/// parameter, such as shared components, are only followed through references).
pub fn upstream_actions(dir: &Path) -> Result<BTreeMap<String, ActionFields>, SpecError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|error| SpecError {
            file: dir.display().to_string(),
            location: Location::Document,
            message: format!("cannot list the folder: {error}"),
        })?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml")
        })
        .collect();
    entries.sort();
    let mut files = Files::new(dir);
    let mut actions = BTreeMap::new();
    for path in entries {
        let document = files.load(&path)?.clone();
        if let Some((action, fields)) = action_fields(&mut files, &path, &document)? {
            actions.insert(action, fields);
        }
    }
    Ok(actions)
}

/// Flattens single-document specs (our actions, bundled), keyed by their `Action`.
pub fn actions_from_texts(
    texts: &[(String, String)],
) -> Result<BTreeMap<String, ActionFields>, SpecError> {
    let mut files = Files::new(Path::new("."));
    let mut actions = BTreeMap::new();
    for (name, text) in texts {
        let value: Value = serde_yaml::from_str(text).map_err(|error| SpecError {
            file: name.clone(),
            location: Location::Document,
            message: format!("not readable as YAML: {error}"),
        })?;
        let path = PathBuf::from(name);
        files.insert(&path, value.clone());
        if let Some((action, fields)) = action_fields(&mut files, &path, &value)? {
            actions.insert(action, fields);
        }
    }
    Ok(actions)
}

/// What differs between our actions and upstream's, action by action and field by field.
pub fn compare(
    ours: &BTreeMap<String, ActionFields>,
    upstream: &BTreeMap<String, ActionFields>,
) -> Vec<Drift> {
    let mut drift = Vec::new();
    let mut push = |action: &str, field: &str, what: String| {
        drift.push(Drift {
            action: action.to_owned(),
            field: field.to_owned(),
            what,
        });
    };
    for (action, theirs) in upstream {
        let Some(mine) = ours.get(action) else {
            push(action, "", "action only upstream".to_owned());
            continue;
        };
        for (field, their) in theirs {
            match mine.get(field) {
                None => push(
                    action,
                    field,
                    format!("field only upstream ({})", describe(their)),
                ),
                Some(my) => {
                    for what in field_changes(my, their) {
                        push(action, field, what);
                    }
                }
            }
        }
        for (field, my) in mine {
            if !theirs.contains_key(field) {
                push(action, field, format!("field only ours ({})", describe(my)));
            }
        }
    }
    for action in ours.keys() {
        if !upstream.contains_key(action) {
            push(action, "", "action only ours".to_owned());
        }
    }
    drift
}

/// The drift as a Markdown report.
pub fn to_markdown(drift: &[Drift], upstream_dir: &str) -> String {
    let mut out = format!("## Drift from ZEGOCLOUD's files in `{upstream_dir}`\n\n");
    if drift.is_empty() {
        out.push_str("No drift: every field agrees.\n");
        return out;
    }
    let _ = writeln!(out, "{} differences.\n", drift.len());
    out.push_str("| action | field | difference |\n|---|---|---|\n");
    for item in drift {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} |",
            item.action,
            item.field,
            item.what.replace('|', "\\|")
        );
    }
    out
}

fn field_changes(ours: &FieldFacts, upstream: &FieldFacts) -> Vec<String> {
    let mut changes = Vec::new();
    let mut check = |name: &str, mine: &Option<String>, theirs: &Option<String>| {
        if mine != theirs {
            changes.push(format!(
                "{name}: ours {}, upstream {}",
                shown(mine),
                shown(theirs)
            ));
        }
    };
    check("type", &ours.kind, &upstream.kind);
    check("format", &ours.format, &upstream.format);
    check("minimum", &ours.minimum, &upstream.minimum);
    check("maximum", &ours.maximum, &upstream.maximum);
    check("default", &ours.default, &upstream.default);
    if ours.required != upstream.required {
        changes.push(format!(
            "required: ours {}, upstream {}",
            ours.required, upstream.required
        ));
    }
    if ours.values != upstream.values {
        let list = |values: &Option<Vec<String>>| {
            values
                .as_ref()
                .map_or("none".to_owned(), |v| format!("[{}]", v.join(", ")))
        };
        changes.push(format!(
            "enum: ours {}, upstream {}",
            list(&ours.values),
            list(&upstream.values)
        ));
    }
    changes
}

fn shown(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "none".to_owned())
}

fn describe(facts: &FieldFacts) -> String {
    let mut text = facts.kind.clone().unwrap_or_else(|| "untyped".to_owned());
    if let Some(format) = &facts.format {
        let _ = write!(text, " {format}");
    }
    if facts.required {
        text.push_str(", required");
    }
    text
}

/// The action a document describes (its `Action` parameter's single value) and its fields.
fn action_fields(
    files: &mut Files,
    file: &Path,
    document: &Value,
) -> Result<Option<(String, ActionFields)>, SpecError> {
    let Some(operation) = document["paths"]["/"]["post"].as_mapping() else {
        return Ok(None);
    };
    let operation = Value::Mapping(operation.clone());
    let action = operation["parameters"]
        .as_sequence()
        .into_iter()
        .flatten()
        .find(|parameter| parameter["name"].as_str() == Some("Action"))
        .and_then(|parameter| parameter["schema"]["enum"][0].as_str().map(str::to_owned));
    let Some(action) = action else {
        return Ok(None);
    };
    let mut fields = ActionFields::new();
    let body = &operation["requestBody"]["content"]["application/json"]["schema"];
    flatten(files, file, body, "request", &mut fields, 0)?;
    let response = &operation["responses"]["200"]["content"]["application/json"]["schema"];
    flatten(files, file, response, "response", &mut fields, 0)?;
    Ok(Some((action, fields)))
}

/// Deep enough for any real schema; a reference cycle stops here instead of looping.
const MAX_DEPTH: usize = 24;

fn flatten(
    files: &mut Files,
    file: &Path,
    schema: &Value,
    path: &str,
    out: &mut ActionFields,
    depth: usize,
) -> Result<(), SpecError> {
    if depth > MAX_DEPTH {
        return Err(SpecError {
            file: file.display().to_string(),
            location: Location::Document,
            message: format!("schemas nest too deep at {path}"),
        });
    }
    let place = format!("{}#{path}", file.display());
    let (file, schema) = files.follow(file, schema, &place)?;
    if let Some(properties) = schema["properties"].as_mapping() {
        let required_names: Vec<&str> = schema["required"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (name, property) in properties {
            let name = name.as_str().unwrap_or_default();
            let child = if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            };
            let (child_file, resolved) = files.follow(&file, property, &place)?;
            out.insert(
                child.clone(),
                facts(&resolved, required_names.contains(&name)),
            );
            flatten(files, &child_file, &resolved, &child, out, depth + 1)?;
        }
    }
    if schema["type"].as_str() == Some("array") {
        let child = format!("{path}[]");
        let (item_file, items) = files.follow(&file, &schema["items"], &place)?;
        if items["properties"].is_mapping() {
            flatten(files, &item_file, &items, &child, out, depth + 1)?;
        }
    }
    Ok(())
}

fn facts(schema: &Value, required: bool) -> FieldFacts {
    let text = |value: &Value| match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => serde_yaml::to_string(other)
            .ok()
            .map(|t| t.trim().to_owned()),
    };
    FieldFacts {
        kind: text(&schema["type"]),
        // Ours marks credentials `format: password` so they are never printed; upstream does
        // not. That is a choice of ours, not drift.
        format: text(&schema["format"]).filter(|format| format != "password"),
        required,
        minimum: text(&schema["minimum"]),
        maximum: text(&schema["maximum"]),
        default: text(&schema["default"]),
        values: schema["enum"]
            .as_sequence()
            .map(|values| values.iter().filter_map(text).collect()),
    }
}
