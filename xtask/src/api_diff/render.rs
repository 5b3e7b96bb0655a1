//! The words of a report: each typed change as a Markdown table row, with why it has the
//! impact it has on the Rust API and on the wire.

use std::fmt::Write as _;

use crate::model::{CodeRetry, Grade, Limit, Literal};

use super::{Bump, Change, ChangeKind, Flow, Impact, Report, Subject, WireImpact};

pub(super) fn markdown(report: &Report, base_label: &str) -> String {
    let mut out = String::from("## API impact of the spec change\n\n");
    let verdict = match report.required_bump() {
        Bump::Major => "**Breaking**: the generated crate needs a major version bump.",
        Bump::Minor => "Compatible additions: the generated crate needs a minor version bump.",
        Bump::Patch => "No change to the Rust API; a patch release covers it.",
        Bump::None => "No change to the API.",
    };
    let _ = writeln!(out, "Compared with `{base_label}`. {verdict}\n");
    let _ = writeln!(out, "{}\n", version_line(report));
    if report.changes.is_empty() {
        return out;
    }
    out.push_str("| Rust API | Change | Why | Wire |\n|---|---|---|---|\n");
    let mut rows: Vec<(Impact, String, &Change)> = report
        .changes
        .iter()
        .map(|change| (change.rust, subject(&change.subject), change))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    for (impact, subject, change) in rows {
        let impact = match impact {
            Impact::Breaking => "breaking",
            Impact::Addition => "compatible",
            Impact::None => "none",
        };
        let _ = writeln!(
            out,
            "| {impact} | {subject}: {} | {} | {} |",
            escape(&detail(&change.kind)),
            escape(&rust_note(&change.kind)),
            escape(&wire(change))
        );
    }
    out
}

fn version_line(report: &Report) -> String {
    if report.version_is_enough() {
        return format!(
            "`info.version`: {} → {} (enough).",
            report.base_version, report.current_version
        );
    }
    format!(
        "`info.version`: {} → {}: **not enough**; use at least {}.",
        report.base_version,
        report.current_version,
        report.suggested_version()
    )
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

fn subject(subject: &Subject) -> String {
    match subject {
        Subject::Type(name) => format!("type `{name}`"),
        Subject::Field { owner, field } => format!("field `{owner}.{field}`"),
        Subject::Rule { owner, id } => format!("rule `{owner}/{id}`"),
        Subject::Enum(name) => format!("enum `{name}`"),
        Subject::Operation(id) => format!("operation `{id}`"),
        Subject::DefaultHost => "default host".to_owned(),
        Subject::Region(name) => format!("region `{name}`"),
        Subject::ReturnCode(code) => format!("return code `{code}`"),
        Subject::ExceptionCode(code) => format!("exception code `{code}`"),
        Subject::CallbackEvent(name) => format!("callback event `{name}`"),
    }
}

fn literal(value: &Literal) -> String {
    format!("`{value}`")
}

fn bound(value: Option<Limit>) -> String {
    value.map_or("none".to_owned(), |v| v.to_string())
}

fn per_second(limit: Option<u32>) -> String {
    limit.map_or("none".to_owned(), |calls| format!("{calls}/s"))
}

fn retry(retry: CodeRetry) -> &'static str {
    match retry {
        CodeRetry::Never => "never retried",
        CodeRetry::AfterBackoff => "retried after a backoff",
        CodeRetry::WithNewSignature => "retried with a new signature",
    }
}

fn list(entries: &[String]) -> String {
    let quoted: Vec<String> = entries.iter().map(|entry| format!("`{entry}`")).collect();
    quoted.join(", ")
}

fn grade(grade: Grade) -> &'static str {
    match grade {
        Grade::Advisory => "advisory",
        Grade::Rejected => "rejected",
    }
}

/// How the element changed, with the values before and after.
fn detail(kind: &ChangeKind) -> String {
    match kind {
        ChangeKind::TypeRemoved
        | ChangeKind::FieldRemoved(_)
        | ChangeKind::RuleRemoved
        | ChangeKind::OperationRemoved { .. } => "removed".to_owned(),
        ChangeKind::TypeAdded | ChangeKind::OperationAdded { .. } => "added".to_owned(),
        ChangeKind::KindChanged => "changed between object, enum and alternatives".to_owned(),
        ChangeKind::AlternativesChanged => "its alternatives changed".to_owned(),
        ChangeKind::FieldAdded { required, .. } => {
            format!(
                "added ({})",
                if *required { "required" } else { "optional" }
            )
        }
        ChangeKind::WireNameChanged { from, to } => format!("wire name `{from}` → `{to}`"),
        ChangeKind::FieldTypeChanged { from, to } => format!("type {from} → {to}"),
        ChangeKind::BecameRequired(_) => "optional → required".to_owned(),
        ChangeKind::BecameOptional => "required → optional".to_owned(),
        ChangeKind::Credential { now: true } => "now a credential".to_owned(),
        ChangeKind::Credential { now: false } => "no longer a credential".to_owned(),
        ChangeKind::DefaultChanged { from, to } => {
            format!("default {} → {}", literal(from), literal(to))
        }
        ChangeKind::DefaultAdded(value) => format!("default {} documented", literal(value)),
        ChangeKind::DefaultRemoved(value) => {
            format!("default {} no longer documented", literal(value))
        }
        ChangeKind::Bound {
            keyword, from, to, ..
        } => format!("{keyword} {} → {}", bound(*from), bound(*to)),
        ChangeKind::RuleGradeChanged { from, to } => {
            format!("grade {} → {}", grade(*from), grade(*to))
        }
        ChangeKind::RuleChanged => "changed".to_owned(),
        ChangeKind::RuleAdded { description, .. } => format!("added: {description}"),
        ChangeKind::VariantRemoved { value, variant } => {
            format!("value {} (`{variant}`) removed", literal(value))
        }
        ChangeKind::VariantRenamed { from, to, .. } => format!("variant `{from}` renamed `{to}`"),
        ChangeKind::VariantAdded { value, variant } => {
            format!("value {} (`{variant}`) added", literal(value))
        }
        ChangeKind::EndpointChanged { from, to } => format!(
            "endpoint {}?Action={} → {}?Action={}",
            from.0, from.1, to.0, to.1
        ),
        ChangeKind::SignatureChanged { .. } => "request or response type changed".to_owned(),
        ChangeKind::IdempotencyKeyChanged => "idempotency key changed".to_owned(),
        ChangeKind::UniqueItems { now: true, .. } => "`uniqueItems` added".to_owned(),
        ChangeKind::UniqueItems { now: false, .. } => "`uniqueItems` removed".to_owned(),
        ChangeKind::NumberFormatChanged { from, to } => format!("number format {from} → {to}"),
        ChangeKind::HttpMethodChanged { from, to } => format!("HTTP method {from} → {to}"),
        ChangeKind::HostsChanged { removed, added } => match (removed.is_empty(), added.is_empty())
        {
            (false, false) => format!("hosts {} removed, {} added", list(removed), list(added)),
            (false, true) => format!("hosts {} removed", list(removed)),
            _ => format!("hosts {} added", list(added)),
        },
        ChangeKind::RateLimitChanged { from, to } => {
            format!("rate limit {} → {}", per_second(*from), per_second(*to))
        }
        ChangeKind::DefaultHostChanged { from, to }
        | ChangeKind::RegionHostChanged { from, to } => {
            format!("host `{from}` → `{to}`")
        }
        ChangeKind::RegionRemoved { .. } | ChangeKind::ReturnCodeRemoved { .. } => {
            "removed".to_owned()
        }
        ChangeKind::RegionAdded { .. } | ChangeKind::ReturnCodeAdded { .. } => "added".to_owned(),
        ChangeKind::ReturnCodeRenamed { from, to } => format!("variant `{from}` renamed `{to}`"),
        ChangeKind::ReturnCodeRetryChanged { from, to } => {
            format!("{} → {}", retry(*from), retry(*to))
        }
    }
}

const ACCEPTS_MORE: &str = "`validate()` accepts more requests";
const REJECTS_MORE: &str = "`validate()` rejects requests it accepted";
const VARIANT_GONE: &str = "code naming the variant no longer compiles";

/// Why the change has its Rust impact.
fn rust_note(kind: &ChangeKind) -> String {
    let note = match kind {
        ChangeKind::TypeRemoved => "code naming the type no longer compiles",
        ChangeKind::TypeAdded => "a new type",
        ChangeKind::KindChanged => "the Rust type changes kind",
        ChangeKind::AlternativesChanged => "its variants or accessors change",
        ChangeKind::FieldRemoved(_) => "code using the field no longer compiles",
        ChangeKind::FieldAdded {
            required: true,
            flow: Flow::Request,
        } => "the constructor takes a new argument and every request must set it",
        ChangeKind::FieldAdded { required: true, .. } => "responses without it no longer decode",
        ChangeKind::FieldAdded { .. } => "a new optional field (structs are `#[non_exhaustive]`)",
        ChangeKind::WireNameChanged { .. } => "the Rust name stays the same",
        ChangeKind::FieldTypeChanged { .. } => "the Rust type of the field changes",
        ChangeKind::BecameRequired(_) => "`Option<T>` becomes `T` and the constructor takes it",
        ChangeKind::BecameOptional => "`T` becomes `Option<T>`",
        ChangeKind::Credential { .. } => {
            "the field's type switches between `String` and `SensitiveString`"
        }
        ChangeKind::DefaultChanged { .. } => "the `DEFAULT_` constant's value changes",
        ChangeKind::DefaultAdded(_) => "a new `DEFAULT_` constant and `_or_default` getter",
        ChangeKind::DefaultRemoved(_) => "the `DEFAULT_` constant and `_or_default` getter go",
        ChangeKind::Bound {
            flow: Flow::Response,
            ..
        } => "responses are not validated",
        ChangeKind::Bound { narrowed: true, .. } => REJECTS_MORE,
        ChangeKind::Bound { .. } => ACCEPTS_MORE,
        ChangeKind::UniqueItems {
            flow: Flow::Response,
            ..
        } => "responses are not validated",
        ChangeKind::UniqueItems { now: true, .. } => REJECTS_MORE,
        ChangeKind::UniqueItems { now: false, .. } => ACCEPTS_MORE,
        ChangeKind::NumberFormatChanged { .. } => "the field stays `f64`",
        ChangeKind::RuleGradeChanged {
            to: Grade::Advisory,
            ..
        }
        | ChangeKind::RuleRemoved => ACCEPTS_MORE,
        ChangeKind::RuleGradeChanged {
            to: Grade::Rejected,
            ..
        } => REJECTS_MORE,
        ChangeKind::RuleChanged => "`validate()` may reject requests it accepted",
        ChangeKind::RuleAdded {
            grade: Grade::Rejected,
            ..
        } => REJECTS_MORE,
        ChangeKind::RuleAdded { .. } => "advisory: reported, never refused",
        ChangeKind::VariantRemoved { .. } | ChangeKind::VariantRenamed { .. } => VARIANT_GONE,
        ChangeKind::VariantAdded { .. } => {
            "a new variant (enums are `#[non_exhaustive]` and keep `Unknown`)"
        }
        ChangeKind::OperationRemoved { method } => return format!("`Client::{method}` goes"),
        ChangeKind::OperationAdded { method } => return format!("new method `Client::{method}`"),
        ChangeKind::EndpointChanged { .. } => "same method",
        ChangeKind::SignatureChanged { method } => {
            return format!("`Client::{method}` takes or returns another type")
        }
        ChangeKind::IdempotencyKeyChanged => "retries follow the new key",
        ChangeKind::HttpMethodChanged { .. } | ChangeKind::HostsChanged { .. } => "same method",
        ChangeKind::RateLimitChanged { .. } => {
            "the client paces the action's calls to the new limit"
        }
        ChangeKind::DefaultHostChanged { .. } => "`DEFAULT_BASE_URL` changes",
        ChangeKind::RegionHostChanged { .. } => "`Region::base_url` changes",
        ChangeKind::RegionRemoved { variant } => return format!("`Region::{variant}` goes"),
        ChangeKind::RegionAdded { variant } => {
            return format!("new variant `Region::{variant}` (`Region` is `#[non_exhaustive]`)")
        }
        ChangeKind::ReturnCodeRemoved { of, variant } => {
            return format!("`{of}::{variant}` goes; its value decodes as `{of}::Unknown`")
        }
        ChangeKind::ReturnCodeAdded { of, variant } => {
            return format!("new variant `{of}::{variant}` (`{of}` is `#[non_exhaustive]`)")
        }
        ChangeKind::ReturnCodeRenamed { .. } => VARIANT_GONE,
        ChangeKind::ReturnCodeRetryChanged { .. } => {
            "the client's retries of calls answered with it change"
        }
    };
    note.to_owned()
}

/// What the change does on the wire, in words, where that needs saying.
fn wire_note(kind: &ChangeKind) -> Option<String> {
    let note = match kind {
        ChangeKind::FieldRemoved(Flow::Request) => "no longer sent",
        ChangeKind::FieldRemoved(Flow::Response) => "no longer read",
        ChangeKind::WireNameChanged { .. } => "the field is sent and read under another name",
        ChangeKind::BecameRequired(Flow::Request) => "requests without it are now invalid",
        ChangeKind::BecameRequired(Flow::Response) => "responses without it no longer decode",
        ChangeKind::BecameOptional => "requests that set it stay valid",
        ChangeKind::DefaultChanged { to, .. } => {
            return Some(format!(
                "the service now uses {} when the field is not sent",
                literal(to)
            ))
        }
        ChangeKind::VariantRemoved { .. } => "the value is no longer accepted in requests",
        ChangeKind::VariantRenamed { value, .. } => {
            return Some(format!("still {}", literal(value)))
        }
        ChangeKind::EndpointChanged { .. } => "requests go to another endpoint",
        ChangeKind::HttpMethodChanged { to, .. } if to == "GET" => {
            "the request's fields travel in the query, not in a JSON body"
        }
        ChangeKind::HttpMethodChanged { .. } => {
            "the request's fields travel in a JSON body, not in the query"
        }
        ChangeKind::HostsChanged { removed, .. } if removed.is_empty() => {
            "requests go where they went"
        }
        ChangeKind::HostsChanged { .. } => "requests that went to a removed host go to another",
        ChangeKind::NumberFormatChanged { to, .. } => {
            return Some(format!("the service documents the value as {to}"))
        }
        ChangeKind::DefaultHostChanged { .. } => {
            "a client without a region or base URL sends to another host"
        }
        ChangeKind::RegionHostChanged { .. } => "requests for the region go to another host",
        ChangeKind::RateLimitChanged { .. } => "the same requests, paced differently",
        _ => return None,
    };
    Some(note.to_owned())
}

fn wire(change: &Change) -> String {
    let note = wire_note(&change.kind);
    match (change.wire, note) {
        (WireImpact::AsRust, _) => "same as Rust".to_owned(),
        (WireImpact::Breaking, Some(note)) => format!("breaking: {note}"),
        (WireImpact::Compatible, Some(note)) => format!("compatible: {note}"),
        (WireImpact::Breaking, None) => "breaking".to_owned(),
        (WireImpact::Compatible, None) => "compatible".to_owned(),
        (WireImpact::Described, note) => note.unwrap_or_default(),
        (WireImpact::Unchanged, None) => "no change".to_owned(),
        (WireImpact::Unchanged, Some(note)) => format!("no change: {note}"),
    }
}
