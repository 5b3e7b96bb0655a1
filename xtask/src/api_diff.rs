//! `cargo xtask api-diff`: what a spec change does to the generated crate's Rust API and to
//! the wire, classified as breaking or compatible, with the semver bump it implies.
//!
//! It compares two models (the generator's IR, after naming), so it sees exactly what the
//! generator will emit: types, fields (type, format, required-ness, default, range, wire
//! name, credential flag), enum values, cross-field rules and operations.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{
    Assertion, Condition, Constraints, FieldType, Grade, IntFormat, Literal, Model, Rule,
    StructDef, TypeId, TypeKind,
};

/// How a change affects downstream Rust code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled and worked may stop doing so.
    Breaking,
    /// Something new; existing code keeps compiling and working.
    Addition,
    /// No effect on the Rust API (documentation, behaviour on the wire only).
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What changed, e.g. ``field `RecordInputParams.MaxIdleTime` ``.
    pub subject: String,
    /// How it changed, e.g. `optional → required`.
    pub detail: String,
    pub rust: Impact,
    /// Why, for the Rust API.
    pub rust_note: String,
    /// The effect on the wire where it differs from the Rust one.
    pub wire: Option<Wire>,
}

/// What a change does on the wire, where that differs from what it does to the Rust API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wire {
    /// Requests or responses that worked stop working (a renamed field, a moved endpoint).
    Breaking(String),
    /// Everything that worked keeps working.
    Compatible(String),
    /// An effect already covered by the Rust verdict, described in words.
    Note(String),
    /// Nothing changes on the wire; the note says why, if it needs saying.
    Unchanged(Option<String>),
}

impl std::fmt::Display for Wire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Breaking(note) => write!(f, "breaking: {note}"),
            Self::Compatible(note) => write!(f, "compatible: {note}"),
            Self::Note(note) => f.write_str(note),
            Self::Unchanged(None) => f.write_str("no change"),
            Self::Unchanged(Some(note)) => write!(f, "no change: {note}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bump {
    Major,
    Minor,
    Patch,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub base_version: String,
    pub current_version: String,
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether downstream Rust code may break.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.rust == Impact::Breaking)
    }

    /// Whether what goes over the wire changes incompatibly while the Rust API does not
    /// (a renamed wire field, a moved endpoint).
    pub fn breaks_the_wire(&self) -> bool {
        self.changes
            .iter()
            .any(|c| matches!(c.wire, Some(Wire::Breaking(_))))
    }

    /// The semver bump the changes need for the generated crate.
    pub fn required_bump(&self) -> Bump {
        if self.is_breaking() {
            Bump::Major
        } else if self.changes.iter().any(|c| c.rust == Impact::Addition) {
            Bump::Minor
        } else if self.changes.is_empty() {
            Bump::None
        } else {
            Bump::Patch
        }
    }

    /// Whether `current_version` is a large enough step from `base_version`. Versions that
    /// are not `major.minor.patch` are compared as text and only need to differ.
    pub fn version_is_enough(&self) -> bool {
        let (Some(base), Some(current)) =
            (semver(&self.base_version), semver(&self.current_version))
        else {
            return self.required_bump() == Bump::None || self.base_version != self.current_version;
        };
        let bumped_major = current.0 > base.0 || (base.0 == 0 && current.1 > base.1);
        let bumped_minor = bumped_major || current > base;
        match self.required_bump() {
            Bump::Major => bumped_major,
            Bump::Minor | Bump::Patch => bumped_minor,
            Bump::None => true,
        }
    }

    /// The version the change needs at least.
    pub fn suggested_version(&self) -> String {
        let Some((major, minor, patch)) = semver(&self.base_version) else {
            return "a new version".to_owned();
        };
        match self.required_bump() {
            Bump::Major if major == 0 => format!("0.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::None => self.base_version.clone(),
        }
    }

    /// The report as Markdown for a pull-request comment.
    pub fn to_markdown(&self, base_label: &str) -> String {
        let mut out = String::from("## API impact of the spec change\n\n");
        let verdict = match self.required_bump() {
            Bump::Major => "**Breaking**: the generated crate needs a major version bump.",
            Bump::Minor => "Compatible additions: the generated crate needs a minor version bump.",
            Bump::Patch => "No change to the Rust API; a patch release covers it.",
            Bump::None => "No change to the API.",
        };
        let _ = writeln!(out, "Compared with `{base_label}`. {verdict}\n");
        let version_line = if self.version_is_enough() {
            format!(
                "`info.version`: {} → {} (enough).",
                self.base_version, self.current_version
            )
        } else {
            format!(
                "`info.version`: {} → {}: **not enough**; use at least {}.",
                self.base_version,
                self.current_version,
                self.suggested_version()
            )
        };
        let _ = writeln!(out, "{version_line}\n");
        if self.changes.is_empty() {
            return out;
        }
        out.push_str("| Rust API | Change | Why | Wire |\n|---|---|---|---|\n");
        let mut changes = self.changes.clone();
        changes.sort_by(|a, b| a.rust.cmp(&b.rust).then_with(|| a.subject.cmp(&b.subject)));
        for change in changes {
            let impact = match change.rust {
                Impact::Breaking => "breaking",
                Impact::Addition => "compatible",
                Impact::None => "none",
            };
            let wire = change
                .wire
                .as_ref()
                .map_or_else(|| "same as Rust".to_owned(), ToString::to_string);
            let _ = writeln!(
                out,
                "| {impact} | {}: {} | {} | {} |",
                change.subject,
                escape(&change.detail),
                escape(&change.rust_note),
                escape(&wire)
            );
        }
        out
    }
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

fn semver(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.split(['.', '-', '+']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let patch = parts.next()?.parse().ok()?;
    Some((major, minor, patch))
}

/// Compares the API at `base` with the API at `current`.
pub fn compare(base: &Model, current: &Model) -> Report {
    let mut changes = Vec::new();
    compare_types(base, current, &mut changes);
    compare_operations(base, current, &mut changes);
    Report {
        base_version: base.version.clone(),
        current_version: current.version.clone(),
        changes,
    }
}

fn change(
    subject: String,
    detail: impl Into<String>,
    rust: Impact,
    rust_note: impl Into<String>,
    wire: Option<Wire>,
) -> Change {
    Change {
        subject,
        detail: detail.into(),
        rust,
        rust_note: rust_note.into(),
        wire,
    }
}

fn types_by_name(api: &Model) -> BTreeMap<&str, TypeId> {
    api.types
        .iter()
        .enumerate()
        .map(|(id, def)| (def.source_name.as_str(), TypeId(id)))
        .collect()
}

fn compare_types(base: &Model, current: &Model, changes: &mut Vec<Change>) {
    let before = types_by_name(base);
    let after = types_by_name(current);
    for (name, &id) in &before {
        let rust_name = &base.types[id].name;
        let Some(&new_id) = after.get(name) else {
            changes.push(change(
                format!("type `{rust_name}`"),
                "removed",
                Impact::Breaking,
                "code naming the type no longer compiles",
                None,
            ));
            continue;
        };
        match (&base.types[id].kind, &current.types[new_id].kind) {
            (TypeKind::Struct(old), TypeKind::Struct(new)) => {
                compare_structs(base, current, rust_name, (id, new_id), (old, new), changes);
            }
            (TypeKind::Enum(_), TypeKind::Enum(_)) => {
                compare_enums(base, current, (id, new_id), changes)
            }
            _ => changes.push(change(
                format!("type `{rust_name}`"),
                "changed between object and enum",
                Impact::Breaking,
                "the Rust type changes kind",
                None,
            )),
        }
    }
    for (name, &id) in &after {
        if !before.contains_key(name) {
            changes.push(change(
                format!("type `{}`", current.types[id].name),
                "added",
                Impact::Addition,
                "a new type",
                None,
            ));
        }
    }
}

fn compare_structs(
    base: &Model,
    current: &Model,
    type_name: &str,
    (old_id, new_id): (TypeId, TypeId),
    (old, new): (&StructDef, &StructDef),
    changes: &mut Vec<Change>,
) {
    let in_requests = old.usage.request || new.usage.request;
    let before: BTreeMap<&str, usize> = old
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.wire_name.as_str(), i))
        .collect();
    let after: BTreeMap<&str, usize> = new
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.wire_name.as_str(), i))
        .collect();
    let rust_field = |api: &Model, id: TypeId, index: usize| match &api.types[id].kind {
        TypeKind::Struct(definition) => definition
            .fields
            .get(index)
            .map(|field| field.name.bare().to_owned())
            .unwrap_or_default(),
        TypeKind::Enum(_) => String::new(),
    };
    let mut renamed = Vec::new();
    for (wire, &index) in &before {
        if after.contains_key(wire) {
            continue;
        }
        let old_rust = rust_field(base, old_id, index);
        let twin = after.iter().find(|(new_wire, &new_index)| {
            !before.contains_key(*new_wire) && rust_field(current, new_id, new_index) == old_rust
        });
        if let Some((new_wire, _)) = twin {
            renamed.push((*new_wire).to_owned());
            changes.push(change(
                format!("field `{type_name}.{old_rust}`"),
                format!("wire name `{wire}` → `{new_wire}`"),
                Impact::None,
                "the Rust name stays the same",
                Some(Wire::Breaking(
                    "the field is sent and read under another name".to_owned(),
                )),
            ));
            continue;
        }
        changes.push(change(
            format!("field `{type_name}.{wire}`"),
            "removed",
            Impact::Breaking,
            "code using the field no longer compiles",
            Some(Wire::Note(if in_requests {
                "no longer sent".to_owned()
            } else {
                "no longer read".to_owned()
            })),
        ));
    }
    for (wire, &index) in &after {
        if before.contains_key(wire) || renamed.iter().any(|r| r == wire) {
            continue;
        }
        let field = &new.fields[index];
        let (impact, note) = if field.required && in_requests {
            (
                Impact::Breaking,
                "the constructor takes a new argument and every request must set it",
            )
        } else if field.required {
            (Impact::Breaking, "responses without it no longer decode")
        } else {
            (
                Impact::Addition,
                "a new optional field (structs are `#[non_exhaustive]`)",
            )
        };
        let requiredness = if field.required {
            "required"
        } else {
            "optional"
        };
        changes.push(change(
            format!("field `{type_name}.{wire}`"),
            format!("added ({requiredness})"),
            impact,
            note,
            None,
        ));
    }
    for (wire, &index) in &before {
        let Some(&new_index) = after.get(wire) else {
            continue;
        };
        let subject = format!("field `{type_name}.{wire}`");
        compare_fields(
            base,
            current,
            &subject,
            (&old.fields[index], &new.fields[new_index]),
            in_requests,
            changes,
        );
    }
    compare_rules(type_name, old, new, changes);
}

fn compare_fields(
    base: &Model,
    current: &Model,
    subject: &str,
    (old, new): (&crate::model::Field, &crate::model::Field),
    in_requests: bool,
    changes: &mut Vec<Change>,
) {
    let old_type = type_text(base, &old.ty);
    let new_type = type_text(current, &new.ty);
    if old_type != new_type {
        changes.push(change(
            subject.to_owned(),
            format!("type {old_type} → {new_type}"),
            Impact::Breaking,
            "the Rust type of the field changes",
            None,
        ));
    }
    match (old.required, new.required) {
        (false, true) => changes.push(change(
            subject.to_owned(),
            "optional → required",
            Impact::Breaking,
            "`Option<T>` becomes `T` and the constructor takes it",
            Some(Wire::Note(if in_requests {
                "requests without it are now invalid".to_owned()
            } else {
                "responses without it no longer decode".to_owned()
            })),
        )),
        (true, false) => changes.push(change(
            subject.to_owned(),
            "required → optional",
            Impact::Breaking,
            "`T` becomes `Option<T>`",
            Some(Wire::Compatible(
                "requests that set it stay valid".to_owned(),
            )),
        )),
        _ => {}
    }
    if old.sensitive != new.sensitive {
        changes.push(change(
            subject.to_owned(),
            if new.sensitive {
                "now a credential"
            } else {
                "no longer a credential"
            },
            Impact::Breaking,
            "the field's type switches between `String` and `SensitiveString`",
            Some(Wire::Unchanged(None)),
        ));
    }
    match (&old.default, &new.default) {
        (Some(a), Some(b)) if a != b => changes.push(change(
            subject.to_owned(),
            format!("default {} → {}", literal(a), literal(b)),
            Impact::None,
            "the `DEFAULT_` constant's value changes",
            Some(Wire::Note(format!(
                "the service now uses {} when the field is not sent",
                literal(b)
            ))),
        )),
        (None, Some(b)) => changes.push(change(
            subject.to_owned(),
            format!("default {} documented", literal(b)),
            Impact::Addition,
            "a new `DEFAULT_` constant and `_or_default` getter",
            Some(Wire::Unchanged(None)),
        )),
        (Some(a), None) => changes.push(change(
            subject.to_owned(),
            format!("default {} no longer documented", literal(a)),
            Impact::Breaking,
            "the `DEFAULT_` constant and `_or_default` getter go",
            Some(Wire::Unchanged(None)),
        )),
        _ => {}
    }
    compare_constraints(
        subject,
        (&old.constraints, &new.constraints),
        in_requests,
        changes,
    );
}

fn compare_constraints(
    subject: &str,
    (old, new): (&Constraints, &Constraints),
    in_requests: bool,
    changes: &mut Vec<Change>,
) {
    let bounds = old
        .bounds()
        .into_iter()
        .zip(new.bounds())
        .flat_map(|(old, new)| {
            [
                (old.keywords.0, old.low, new.low, true),
                (old.keywords.1, old.high, new.high, false),
            ]
        });
    for (name, before, after, is_lower) in bounds {
        if before == after {
            continue;
        }
        let narrowed = match (before, after) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => (is_lower && b > a) || (!is_lower && b < a),
            (None, None) => false,
        };
        let show = |v: Option<i64>| v.map_or("none".to_owned(), |v| v.to_string());
        let detail = format!("{name} {} → {}", show(before), show(after));
        let (impact, note) = match (narrowed, in_requests) {
            (true, true) => (
                Impact::Breaking,
                "`validate()` rejects requests it accepted",
            ),
            (false, true) => (Impact::Addition, "`validate()` accepts more requests"),
            (_, false) => (Impact::None, "responses are not validated"),
        };
        changes.push(change(subject.to_owned(), detail, impact, note, None));
    }
}

fn compare_rules(type_name: &str, old: &StructDef, new: &StructDef, changes: &mut Vec<Change>) {
    let in_requests = old.usage.request || new.usage.request;
    if !in_requests {
        return;
    }
    for rule in &old.rules {
        match new.rules.iter().find(|r| r.id == rule.id) {
            Some(other) if other.grade != rule.grade && rule_text(other) == rule_text(rule) => {
                let (impact, why) = match other.grade {
                    Grade::Advisory => (Impact::Addition, "`validate()` accepts more requests"),
                    Grade::Rejected => (
                        Impact::Breaking,
                        "`validate()` rejects requests it accepted",
                    ),
                };
                changes.push(change(
                    format!("rule `{type_name}/{}`", rule.id),
                    format!("grade {:?} → {:?}", rule.grade, other.grade).to_lowercase(),
                    impact,
                    why,
                    None,
                ));
            }
            None => changes.push(change(
                format!("rule `{type_name}/{}`", rule.id),
                "removed",
                Impact::Addition,
                "`validate()` accepts more requests",
                None,
            )),
            Some(other) if rule_text(other) != rule_text(rule) => changes.push(change(
                format!("rule `{type_name}/{}`", rule.id),
                "changed",
                Impact::Breaking,
                "`validate()` may reject requests it accepted",
                None,
            )),
            Some(_) => {}
        }
    }
    for rule in &new.rules {
        if !old.rules.iter().any(|r| r.id == rule.id) {
            let (impact, why) = match rule.grade {
                Grade::Rejected => (
                    Impact::Breaking,
                    "`validate()` rejects requests it accepted",
                ),
                Grade::Advisory => (Impact::None, "advisory: reported, never refused"),
            };
            changes.push(change(
                format!("rule `{type_name}/{}`", rule.id),
                format!("added: {}", rule.description),
                impact,
                why,
                None,
            ));
        }
    }
}

fn compare_enums(
    base: &Model,
    current: &Model,
    (old_id, new_id): (TypeId, TypeId),
    changes: &mut Vec<Change>,
) {
    let (TypeKind::Enum(old), TypeKind::Enum(new)) =
        (&base.types[old_id].kind, &current.types[new_id].kind)
    else {
        return;
    };
    let type_name = &base.types[old_id].name;
    for variant in &old.variants {
        let old_name = &variant.name.ident;
        match new.variants.iter().position(|v| v.value == variant.value) {
            None => changes.push(change(
                format!("enum `{type_name}`"),
                format!("value {} (`{old_name}`) removed", literal(&variant.value)),
                Impact::Breaking,
                "code naming the variant no longer compiles",
                Some(Wire::Note(
                    "the value is no longer accepted in requests".to_owned(),
                )),
            )),
            Some(new_index) if &new.variants[new_index].name.ident != old_name => {
                changes.push(change(
                    format!("enum `{type_name}`"),
                    format!(
                        "variant `{old_name}` renamed `{}`",
                        new.variants[new_index].name.ident
                    ),
                    Impact::Breaking,
                    "code naming the variant no longer compiles",
                    Some(Wire::Unchanged(Some(format!(
                        "still {}",
                        literal(&variant.value)
                    )))),
                ))
            }
            Some(_) => {}
        }
    }
    for variant in &new.variants {
        if !old.variants.iter().any(|v| v.value == variant.value) {
            changes.push(change(
                format!("enum `{type_name}`"),
                format!(
                    "value {} (`{}`) added",
                    literal(&variant.value),
                    variant.name.ident
                ),
                Impact::Addition,
                "a new variant (enums are `#[non_exhaustive]` and keep `Unknown`)",
                None,
            ));
        }
    }
}

fn compare_operations(base: &Model, current: &Model, changes: &mut Vec<Change>) {
    for old in &base.operations {
        let method = &old.method;
        let Some(new) = current
            .operations
            .iter()
            .find(|o| o.operation_id == old.operation_id)
        else {
            changes.push(change(
                format!("operation `{}`", old.operation_id),
                "removed",
                Impact::Breaking,
                format!("`Client::{method}` goes"),
                None,
            ));
            continue;
        };
        if old.action != new.action || old.path != new.path {
            changes.push(change(
                format!("operation `{}`", old.operation_id),
                format!(
                    "endpoint {}?Action={} → {}?Action={}",
                    old.path, old.action, new.path, new.action
                ),
                Impact::None,
                "same method",
                Some(Wire::Breaking("requests go to another endpoint".to_owned())),
            ));
        }
        let names = |api: &Model, op: &crate::model::Operation| {
            (
                api.types[op.request].source_name.clone(),
                api.types[op.response].source_name.clone(),
            )
        };
        if names(base, old) != names(current, new) {
            changes.push(change(
                format!("operation `{}`", old.operation_id),
                "request or response type changed",
                Impact::Breaking,
                format!("`Client::{method}` takes or returns another type"),
                None,
            ));
        }
        if old.idempotency_key.as_ref().map(|k| &k.wire)
            != new.idempotency_key.as_ref().map(|k| &k.wire)
        {
            changes.push(change(
                format!("operation `{}`", old.operation_id),
                "idempotency key changed",
                Impact::None,
                "retries follow the new key",
                None,
            ));
        }
    }
    for new in &current.operations {
        if !base
            .operations
            .iter()
            .any(|o| o.operation_id == new.operation_id)
        {
            changes.push(change(
                format!("operation `{}`", new.operation_id),
                "added",
                Impact::Addition,
                format!("new method `Client::{}`", new.method),
                None,
            ));
        }
    }
}

fn type_text(api: &Model, ty: &FieldType) -> String {
    match ty {
        FieldType::String => "string".to_owned(),
        FieldType::Integer(IntFormat::Int32) => "int32".to_owned(),
        FieldType::Integer(IntFormat::Int64) => "int64".to_owned(),
        FieldType::Integer(IntFormat::Uint32) => "uint32".to_owned(),
        FieldType::Integer(IntFormat::Unspecified) => "integer".to_owned(),
        FieldType::Number => "number".to_owned(),
        FieldType::Boolean => "boolean".to_owned(),
        FieldType::Array { items, .. } => format!("array of {}", type_text(api, items)),
        FieldType::Named(id) => format!("`{}`", api.types[*id].source_name),
    }
}

fn literal(value: &Literal) -> String {
    format!("`{value}`")
}

/// A rule's meaning in wire terms, independent of field positions in the model.
fn rule_text(rule: &Rule) -> String {
    let when: Vec<String> = rule.when.iter().map(condition_text).collect();
    let then: Vec<String> = rule.then.iter().map(assertion_text).collect();
    format!("when [{}] then [{}]", when.join(", "), then.join(", "))
}

fn condition_text(condition: &Condition) -> String {
    match condition {
        Condition::OneOf { path, values } => {
            let values: Vec<String> = values.iter().map(ToString::to_string).collect();
            format!("{} in [{}]", path.wire, values.join(", "))
        }
        Condition::Any { array, item } => {
            format!("any {} where {}", array.wire, condition_text(item))
        }
        Condition::Present(path) => format!("present {}", path.wire),
    }
}

fn assertion_text(assertion: &Assertion) -> String {
    match assertion {
        Assertion::Holds(condition) => condition_text(condition),
        Assertion::Present(path) => format!("present {}", path.wire),
        Assertion::NotEmpty(path) => format!("not empty {}", path.wire),
        Assertion::ProductAtMost {
            factors: [a, b],
            maximum,
        } => format!("{} * {} <= {maximum}", a.wire, b.wire),
        Assertion::LessOrEqual { left, right } => format!("{} <= {}", left.wire, right.wire),
        Assertion::GreaterThan { left, right } => format!("{} > {}", left.wire, right.wire),
        Assertion::AtMost { path, maximum } => format!("{} <= {maximum}", path.wire),
        Assertion::EachAtMost {
            array,
            item_field,
            bound,
        } => format!("each {}.{} <= {}", array.wire, item_field.wire, bound.wire),
        Assertion::DifferenceAtMost {
            minuend,
            subtrahend,
            maximum,
        } => format!("{} - {} <= {maximum}", minuend.wire, subtrahend.wire),
        Assertion::CountAtMost {
            array,
            item,
            maximum,
        } => {
            format!(
                "count {} where {} <= {maximum}",
                array.wire,
                condition_text(item)
            )
        }
    }
}
