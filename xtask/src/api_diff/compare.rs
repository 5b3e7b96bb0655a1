//! The comparison: walk two models side by side and classify each difference by its effect
//! on the Rust API and on the wire. Nothing here is worded; [`super::render`] does that.

use std::collections::BTreeMap;

use crate::model::{
    Assertion, Condition, Constraints, Field, FieldType, Grade, IntFormat, Model, NumberFormat,
    Operation, ReturnCode, Rule, StructDef, TypeId, TypeKind,
};

use super::{Change, ChangeKind, Flow, Impact, Report, Subject, WireImpact};

/// Compares the API at `base` with the API at `current`.
pub fn compare(base: &Model, current: &Model) -> Report {
    let mut changes = Changes(Vec::new());
    compare_types(base, current, &mut changes);
    compare_operations(base, current, &mut changes);
    compare_hosts(base, current, &mut changes);
    compare_return_codes(base, current, &mut changes);
    compare_codes(
        &base.exception_codes,
        &current.exception_codes,
        "ExceptionCode",
        Subject::ExceptionCode,
        &mut changes,
    );
    compare_events(base, current, &mut changes);
    Report {
        base_version: base.version.clone(),
        current_version: current.version.clone(),
        changes: changes.0,
    }
}

struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, subject: &Subject, kind: ChangeKind, rust: Impact, wire: WireImpact) {
        self.0.push(Change {
            subject: subject.clone(),
            kind,
            rust,
            wire,
        });
    }
}

fn types_by_name(api: &Model) -> BTreeMap<&str, TypeId> {
    api.types
        .iter()
        .enumerate()
        .map(|(id, def)| (def.source_name.as_str(), TypeId(id)))
        .collect()
}

fn compare_types(base: &Model, current: &Model, changes: &mut Changes) {
    let before = types_by_name(base);
    let after = types_by_name(current);
    for (name, &id) in &before {
        let rust_name = base.types[id].name.to_string();
        let subject = Subject::Type(rust_name.clone());
        let Some(&new_id) = after.get(name) else {
            changes.push(
                &subject,
                ChangeKind::TypeRemoved,
                Impact::Breaking,
                WireImpact::AsRust,
            );
            continue;
        };
        match (&base.types[id].kind, &current.types[new_id].kind) {
            (TypeKind::Struct(old), TypeKind::Struct(new)) => {
                compare_structs(base, current, &rust_name, (id, new_id), (old, new), changes);
            }
            (TypeKind::Enum(_), TypeKind::Enum(_)) => {
                compare_enums(base, current, (id, new_id), changes)
            }
            (TypeKind::Union(old), TypeKind::Union(new)) => {
                let shape = |model: &Model, union: &crate::model::UnionDef| {
                    let variants: Vec<(String, String)> = union
                        .variants
                        .iter()
                        .map(|variant| (variant.name.clone(), type_text(model, &variant.ty)))
                        .collect();
                    (union.decidable, variants)
                };
                if shape(base, old) != shape(current, new) {
                    changes.push(
                        &subject,
                        ChangeKind::AlternativesChanged,
                        Impact::Breaking,
                        WireImpact::AsRust,
                    );
                }
            }
            _ => changes.push(
                &subject,
                ChangeKind::KindChanged,
                Impact::Breaking,
                WireImpact::AsRust,
            ),
        }
    }
    for (name, &id) in &after {
        if !before.contains_key(name) {
            let subject = Subject::Type(current.types[id].name.to_string());
            changes.push(
                &subject,
                ChangeKind::TypeAdded,
                Impact::Addition,
                WireImpact::AsRust,
            );
        }
    }
}

fn flow(in_requests: bool) -> Flow {
    if in_requests {
        Flow::Request
    } else {
        Flow::Response
    }
}

fn fields_by_wire_name(definition: &StructDef) -> BTreeMap<&str, usize> {
    definition
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.wire_name.as_str(), i))
        .collect()
}

fn compare_structs(
    base: &Model,
    current: &Model,
    type_name: &str,
    (old_id, new_id): (TypeId, TypeId),
    (old, new): (&StructDef, &StructDef),
    changes: &mut Changes,
) {
    let flow = flow(old.usage.request || new.usage.request);
    let before = fields_by_wire_name(old);
    let after = fields_by_wire_name(new);
    let field_subject = |field: &str| Subject::Field {
        owner: type_name.to_owned(),
        field: field.to_owned(),
    };
    let rust_field = |api: &Model, id: TypeId, index: usize| match &api.types[id].kind {
        TypeKind::Struct(definition) => definition
            .fields
            .get(index)
            .map(|field| field.name.bare().to_owned())
            .unwrap_or_default(),
        TypeKind::Enum(_) | TypeKind::Union(_) => String::new(),
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
            let kind = ChangeKind::WireNameChanged {
                from: (*wire).to_owned(),
                to: (*new_wire).to_owned(),
            };
            changes.push(
                &field_subject(&old_rust),
                kind,
                Impact::None,
                WireImpact::Breaking,
            );
            continue;
        }
        let kind = ChangeKind::FieldRemoved(flow);
        changes.push(
            &field_subject(wire),
            kind,
            Impact::Breaking,
            WireImpact::Described,
        );
    }
    for (wire, &index) in &after {
        if before.contains_key(wire) || renamed.iter().any(|r| r == wire) {
            continue;
        }
        let required = new.fields[index].required;
        let impact = if required {
            Impact::Breaking
        } else {
            Impact::Addition
        };
        let kind = ChangeKind::FieldAdded { required, flow };
        changes.push(&field_subject(wire), kind, impact, WireImpact::AsRust);
    }
    for (wire, &index) in &before {
        let Some(&new_index) = after.get(wire) else {
            continue;
        };
        let subject = field_subject(wire);
        let fields = (&old.fields[index], &new.fields[new_index]);
        compare_fields((base, current), &subject, fields, flow, changes);
    }
    compare_rules(type_name, old, new, changes);
}

fn compare_fields(
    (base, current): (&Model, &Model),
    subject: &Subject,
    (old, new): (&Field, &Field),
    flow: Flow,
    changes: &mut Changes,
) {
    let old_type = type_text(base, &old.ty);
    let new_type = type_text(current, &new.ty);
    if let (FieldType::Number(from), FieldType::Number(to)) = (&old.ty, &new.ty) {
        if from != to {
            let kind = ChangeKind::NumberFormatChanged {
                from: number_format(*from).to_owned(),
                to: number_format(*to).to_owned(),
            };
            changes.push(subject, kind, Impact::None, WireImpact::Described);
        }
    }
    if old_type != new_type {
        let kind = ChangeKind::FieldTypeChanged {
            from: old_type,
            to: new_type,
        };
        changes.push(subject, kind, Impact::Breaking, WireImpact::AsRust);
    }
    match (old.required, new.required) {
        (false, true) => changes.push(
            subject,
            ChangeKind::BecameRequired(flow),
            Impact::Breaking,
            WireImpact::Described,
        ),
        (true, false) => changes.push(
            subject,
            ChangeKind::BecameOptional,
            Impact::Breaking,
            WireImpact::Compatible,
        ),
        _ => {}
    }
    if old.sensitive != new.sensitive {
        let kind = ChangeKind::Credential { now: new.sensitive };
        changes.push(subject, kind, Impact::Breaking, WireImpact::Unchanged);
    }
    match (&old.default, &new.default) {
        (Some(a), Some(b)) if a != b => {
            let kind = ChangeKind::DefaultChanged {
                from: a.clone(),
                to: b.clone(),
            };
            changes.push(subject, kind, Impact::None, WireImpact::Described);
        }
        (None, Some(b)) => {
            let kind = ChangeKind::DefaultAdded(b.clone());
            changes.push(subject, kind, Impact::Addition, WireImpact::Unchanged);
        }
        (Some(a), None) => {
            let kind = ChangeKind::DefaultRemoved(a.clone());
            changes.push(subject, kind, Impact::Breaking, WireImpact::Unchanged);
        }
        _ => {}
    }
    compare_constraints(subject, (&old.constraints, &new.constraints), flow, changes);
}

fn compare_constraints(
    subject: &Subject,
    (old, new): (&Constraints, &Constraints),
    flow: Flow,
    changes: &mut Changes,
) {
    let limits = old
        .bounds()
        .into_iter()
        .zip(new.bounds())
        .flat_map(|(old, new)| {
            [
                (old.keywords.0, old.low, new.low, true),
                (old.keywords.1, old.high, new.high, false),
            ]
        });
    for (keyword, before, after, is_lower) in limits {
        if before == after {
            continue;
        }
        let narrowed = match (before, after) {
            (None, Some(_)) => true,
            // Above the old lower limit, or below the old upper one.
            (Some(before), Some(after)) if is_lower => after > before,
            (Some(before), Some(after)) => after < before,
            (Some(_), None) | (None, None) => false,
        };
        let kind = ChangeKind::Bound {
            keyword,
            from: before,
            to: after,
            narrowed,
            flow,
        };
        changes.push(
            subject,
            kind,
            check_impact(narrowed, flow),
            WireImpact::AsRust,
        );
    }
    if old.unique_items != new.unique_items {
        let now = new.unique_items;
        let kind = ChangeKind::UniqueItems { now, flow };
        changes.push(subject, kind, check_impact(now, flow), WireImpact::AsRust);
    }
}

/// What a check that now refuses more (`narrowed`) or less does to the Rust API: requests
/// that validated may stop validating; responses are never validated.
fn check_impact(narrowed: bool, flow: Flow) -> Impact {
    match (narrowed, flow) {
        (true, Flow::Request) => Impact::Breaking,
        (false, Flow::Request) => Impact::Addition,
        (_, Flow::Response) => Impact::None,
    }
}

fn compare_rules(type_name: &str, old: &StructDef, new: &StructDef, changes: &mut Changes) {
    if !(old.usage.request || new.usage.request) {
        return;
    }
    let subject = |rule: &Rule| Subject::Rule {
        owner: type_name.to_owned(),
        id: rule.id.clone(),
    };
    for rule in &old.rules {
        let Some(other) = new.rules.iter().find(|r| r.id == rule.id) else {
            changes.push(
                &subject(rule),
                ChangeKind::RuleRemoved,
                Impact::Addition,
                WireImpact::AsRust,
            );
            continue;
        };
        if rule_text(other) != rule_text(rule) {
            changes.push(
                &subject(rule),
                ChangeKind::RuleChanged,
                Impact::Breaking,
                WireImpact::AsRust,
            );
        } else if other.grade != rule.grade {
            let impact = match other.grade {
                Grade::Advisory => Impact::Addition,
                Grade::Rejected => Impact::Breaking,
            };
            let kind = ChangeKind::RuleGradeChanged {
                from: rule.grade,
                to: other.grade,
            };
            changes.push(&subject(rule), kind, impact, WireImpact::AsRust);
        }
    }
    for rule in &new.rules {
        if old.rules.iter().any(|r| r.id == rule.id) {
            continue;
        }
        let impact = match rule.grade {
            Grade::Rejected => Impact::Breaking,
            Grade::Advisory => Impact::None,
        };
        let kind = ChangeKind::RuleAdded {
            description: rule.description.clone(),
            grade: rule.grade,
        };
        changes.push(&subject(rule), kind, impact, WireImpact::AsRust);
    }
}

fn compare_enums(
    base: &Model,
    current: &Model,
    (old_id, new_id): (TypeId, TypeId),
    changes: &mut Changes,
) {
    let (TypeKind::Enum(old), TypeKind::Enum(new)) =
        (&base.types[old_id].kind, &current.types[new_id].kind)
    else {
        return;
    };
    let subject = Subject::Enum(base.types[old_id].name.to_string());
    for variant in &old.variants {
        let old_name = variant.name.ident.to_string();
        match new.variants.iter().find(|v| v.value == variant.value) {
            None => {
                let kind = ChangeKind::VariantRemoved {
                    value: variant.value.clone(),
                    variant: old_name,
                };
                changes.push(&subject, kind, Impact::Breaking, WireImpact::Described);
            }
            Some(renamed) if renamed.name.ident != old_name => {
                let kind = ChangeKind::VariantRenamed {
                    value: variant.value.clone(),
                    from: old_name,
                    to: renamed.name.ident.to_string(),
                };
                changes.push(&subject, kind, Impact::Breaking, WireImpact::Unchanged);
            }
            Some(_) => {}
        }
    }
    for variant in &new.variants {
        if !old.variants.iter().any(|v| v.value == variant.value) {
            let kind = ChangeKind::VariantAdded {
                value: variant.value.clone(),
                variant: variant.name.ident.to_string(),
            };
            changes.push(&subject, kind, Impact::Addition, WireImpact::AsRust);
        }
    }
}

fn compare_operations(base: &Model, current: &Model, changes: &mut Changes) {
    for old in &base.operations {
        let method = old.method.to_string();
        let subject = Subject::Operation(old.operation_id.clone());
        let Some(new) = current
            .operations
            .iter()
            .find(|o| o.operation_id == old.operation_id)
        else {
            let kind = ChangeKind::OperationRemoved { method };
            changes.push(&subject, kind, Impact::Breaking, WireImpact::AsRust);
            continue;
        };
        if old.action != new.action || old.path != new.path {
            let kind = ChangeKind::EndpointChanged {
                from: (old.path.clone(), old.action.clone()),
                to: (new.path.clone(), new.action.clone()),
            };
            changes.push(&subject, kind, Impact::None, WireImpact::Breaking);
        }
        if type_names(base, old) != type_names(current, new) {
            let kind = ChangeKind::SignatureChanged { method };
            changes.push(&subject, kind, Impact::Breaking, WireImpact::AsRust);
        }
        let key = |op: &Operation| op.idempotency_key.as_ref().map(|k| k.wire.clone());
        if key(old) != key(new) {
            let kind = ChangeKind::IdempotencyKeyChanged;
            changes.push(&subject, kind, Impact::None, WireImpact::AsRust);
        }
        compare_transport(&subject, old, new, changes);
    }
    for new in &current.operations {
        if base
            .operations
            .iter()
            .any(|o| o.operation_id == new.operation_id)
        {
            continue;
        }
        let subject = Subject::Operation(new.operation_id.clone());
        let kind = ChangeKind::OperationAdded {
            method: new.method.to_string(),
        };
        changes.push(&subject, kind, Impact::Addition, WireImpact::AsRust);
    }
}

/// How an operation's requests travel: method, hosts and pace.
fn compare_transport(subject: &Subject, old: &Operation, new: &Operation, changes: &mut Changes) {
    if old.http_method != new.http_method {
        let kind = ChangeKind::HttpMethodChanged {
            from: old.http_method.as_str().to_owned(),
            to: new.http_method.as_str().to_owned(),
        };
        changes.push(subject, kind, Impact::None, WireImpact::Breaking);
    }
    let removed = missing_from(&old.hosts, &new.hosts);
    let added = missing_from(&new.hosts, &old.hosts);
    if !removed.is_empty() || !added.is_empty() {
        // A host taken away moves the requests that went there; hosts only added leave
        // every request where it went.
        let wire = if removed.is_empty() {
            WireImpact::Compatible
        } else {
            WireImpact::Breaking
        };
        let kind = ChangeKind::HostsChanged { removed, added };
        changes.push(subject, kind, Impact::None, wire);
    }
    if old.rate_limit != new.rate_limit {
        let kind = ChangeKind::RateLimitChanged {
            from: old.rate_limit,
            to: new.rate_limit,
        };
        changes.push(subject, kind, Impact::None, WireImpact::Unchanged);
    }
}

/// The entries of `list` that `other` lacks, in `list`'s order.
fn missing_from(list: &[String], other: &[String]) -> Vec<String> {
    list.iter()
        .filter(|entry| !other.contains(entry))
        .cloned()
        .collect()
}

/// The default host, and the regions of `Region` with their hosts.
fn compare_hosts(base: &Model, current: &Model, changes: &mut Changes) {
    if let (Some(old), Some(new)) = (base.servers.first(), current.servers.first()) {
        if old.url != new.url {
            let kind = ChangeKind::DefaultHostChanged {
                from: old.url.clone(),
                to: new.url.clone(),
            };
            changes.push(
                &Subject::DefaultHost,
                kind,
                Impact::None,
                WireImpact::Breaking,
            );
        }
    }
    let regions = |api: &Model| -> BTreeMap<String, (String, String)> {
        api.servers
            .iter()
            .filter_map(|server| {
                let region = server.region.clone()?;
                Some((region, (server.url.clone(), server.region_variant.clone())))
            })
            .collect()
    };
    let (before, after) = (regions(base), regions(current));
    for (region, (url, variant)) in &before {
        let subject = Subject::Region(region.clone());
        match after.get(region) {
            None => {
                let kind = ChangeKind::RegionRemoved {
                    variant: variant.clone(),
                };
                changes.push(&subject, kind, Impact::Breaking, WireImpact::AsRust);
            }
            Some((new_url, _)) if new_url != url => {
                let kind = ChangeKind::RegionHostChanged {
                    from: url.clone(),
                    to: new_url.clone(),
                };
                changes.push(&subject, kind, Impact::None, WireImpact::Breaking);
            }
            Some(_) => {}
        }
    }
    for (region, (_, variant)) in &after {
        if !before.contains_key(region) {
            let kind = ChangeKind::RegionAdded {
                variant: variant.clone(),
            };
            let subject = Subject::Region(region.clone());
            changes.push(&subject, kind, Impact::Addition, WireImpact::AsRust);
        }
    }
}

/// The documented codes: the variants of `ApiCode` and how the client retries each.
fn compare_return_codes(base: &Model, current: &Model, changes: &mut Changes) {
    compare_codes(
        &base.return_codes,
        &current.return_codes,
        "ApiCode",
        Subject::ReturnCode,
        changes,
    );
    for old in &base.return_codes {
        let Some(new) = current.return_codes.iter().find(|c| c.code == old.code) else {
            continue;
        };
        if new.retry != old.retry {
            let kind = ChangeKind::ReturnCodeRetryChanged {
                from: old.retry,
                to: new.retry,
            };
            let subject = Subject::ReturnCode(old.code);
            changes.push(&subject, kind, Impact::None, WireImpact::Unchanged);
        }
    }
}

/// The variants of an open enum of codes (`of`), by number: removed, renamed, added.
fn compare_codes(
    base: &[ReturnCode],
    current: &[ReturnCode],
    of: &'static str,
    subject: fn(i64) -> Subject,
    changes: &mut Changes,
) {
    for old in base {
        let Some(new) = current.iter().find(|c| c.code == old.code) else {
            let kind = ChangeKind::ReturnCodeRemoved {
                of,
                variant: old.variant.clone(),
            };
            changes.push(
                &subject(old.code),
                kind,
                Impact::Breaking,
                WireImpact::Unchanged,
            );
            continue;
        };
        if new.variant != old.variant {
            let kind = ChangeKind::ReturnCodeRenamed {
                from: old.variant.clone(),
                to: new.variant.clone(),
            };
            changes.push(
                &subject(old.code),
                kind,
                Impact::Breaking,
                WireImpact::Unchanged,
            );
        }
    }
    for new in current {
        if !base.iter().any(|c| c.code == new.code) {
            let kind = ChangeKind::ReturnCodeAdded {
                of,
                variant: new.variant.clone(),
            };
            changes.push(
                &subject(new.code),
                kind,
                Impact::Addition,
                WireImpact::AsRust,
            );
        }
    }
}

/// The variants of `callbacks::Event`, by the event's name: removed or added. (An event's
/// body is a type of its own, compared with the other types.)
fn compare_events(base: &Model, current: &Model, changes: &mut Changes) {
    let events = |api: &Model| -> Vec<(String, String)> {
        api.callbacks
            .iter()
            .flat_map(|callbacks| &callbacks.events)
            .map(|event| (event.name.clone(), event.variant.clone()))
            .collect()
    };
    let (before, after) = (events(base), events(current));
    for (name, variant) in &before {
        if !after.iter().any(|(other, _)| other == name) {
            let kind = ChangeKind::ReturnCodeRemoved {
                of: "callbacks::Event",
                variant: variant.clone(),
            };
            let subject = Subject::CallbackEvent(name.clone());
            changes.push(&subject, kind, Impact::Breaking, WireImpact::Unchanged);
        }
    }
    for (name, variant) in &after {
        if !before.iter().any(|(other, _)| other == name) {
            let kind = ChangeKind::ReturnCodeAdded {
                of: "callbacks::Event",
                variant: variant.clone(),
            };
            let subject = Subject::CallbackEvent(name.clone());
            changes.push(&subject, kind, Impact::Addition, WireImpact::AsRust);
        }
    }
}

fn number_format(format: NumberFormat) -> &'static str {
    match format {
        NumberFormat::Unspecified => "none",
        NumberFormat::Float => "float",
        NumberFormat::Double => "double",
    }
}

fn type_names<'a>(api: &'a Model, operation: &Operation) -> (&'a str, &'a str) {
    (
        &api.types[operation.request].source_name,
        &api.types[operation.response].source_name,
    )
}

/// A field's type in wire terms, comparable across two models.
fn type_text(api: &Model, ty: &FieldType) -> String {
    match ty {
        FieldType::String => "string".to_owned(),
        FieldType::Integer(IntFormat::Int32) => "int32".to_owned(),
        FieldType::Integer(IntFormat::Int64) => "int64".to_owned(),
        FieldType::Integer(IntFormat::Uint32) => "uint32".to_owned(),
        FieldType::Integer(IntFormat::Unspecified) => "integer".to_owned(),
        FieldType::Number(_) => "number".to_owned(),
        FieldType::FreeForm => "object".to_owned(),
        FieldType::Any => "any value".to_owned(),
        FieldType::Map(values) => format!("map of {}", type_text(api, values)),
        FieldType::Boolean => "boolean".to_owned(),
        FieldType::Array { items, .. } => format!("array of {}", type_text(api, items)),
        FieldType::Named(id) => format!("`{}`", api.types[*id].source_name),
    }
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
        } => format!(
            "count {} where {} <= {maximum}",
            array.wire,
            condition_text(item)
        ),
    }
}
