//! The operation extensions: `x-zego-rate-limit`, the flags, `x-zego-task-preconditions`,
//! `x-zego-clock-rules`, and the request fields an operation names (`x-zego-room-id`,
//! `x-zego-resource-id`, `x-zego-idempotency-key`).

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::pointer_join;

use super::ir::{CallLimit, ClockRule, FieldPath, FieldType, Precondition, TypeId};
use super::Builder;

impl Builder<'_> {
    /// `x-zego-rate-limit`: calls per second, a positive integer.
    pub(super) fn rate_limit(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        pointer: &str,
    ) -> Option<u32> {
        let value = extensions.get("x-zego-rate-limit")?;
        let limit = value
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .filter(|v| *v > 0);
        if limit.is_none() {
            self.reporter.at_pointer(
                &pointer_join(pointer, "x-zego-rate-limit"),
                "`x-zego-rate-limit` must be a positive whole number of calls per second",
            );
        }
        limit
    }

    /// `x-zego-call-limits`: a list of `{scope, count, counts, window-seconds}`.
    pub(super) fn call_limits(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        pointer: &str,
    ) -> Vec<CallLimit> {
        let Some(value) = extensions.get("x-zego-call-limits") else {
            return Vec::new();
        };
        let at = pointer_join(pointer, "x-zego-call-limits");
        let limits = match Vec::<CallLimit>::deserialize(value) {
            Ok(limits) => limits,
            Err(error) => {
                self.reporter
                    .at_pointer(&at, format!("malformed `x-zego-call-limits`: {error}"));
                return Vec::new();
            }
        };
        for (index, limit) in limits.iter().enumerate() {
            let problem = if !["app", "room", "group", "test-environment"]
                .contains(&limit.scope.as_str())
            {
                Some(format!(
                    "scope `{}` is none of app, room, group, test-environment",
                    limit.scope
                ))
            } else if !["calls", "messages"].contains(&limit.counts.as_str()) {
                Some(format!(
                    "`counts: {}` is neither calls nor messages",
                    limit.counts
                ))
            } else if limit.count == 0 || limit.window_seconds == 0 {
                Some("a limit needs a positive count and window".to_owned())
            } else if limit.key.is_some() && !["room", "group"].contains(&limit.scope.as_str()) {
                Some(format!(
                        "a limit with `scope: {}` takes no `key`: only a room's or a group's limit is counted per id",
                        limit.scope
                    ))
            } else {
                None
            };
            if let Some(problem) = problem {
                self.reporter
                    .at_pointer(&pointer_join(&at, &index.to_string()), problem);
            }
        }
        limits
    }

    /// `x-zego-codes`: the numbers of the codes the action's page lists.
    pub(super) fn documented_codes(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        pointer: &str,
    ) -> Vec<i64> {
        let Some(value) = extensions.get("x-zego-codes") else {
            return Vec::new();
        };
        match Vec::<i64>::deserialize(value) {
            Ok(codes) => codes,
            Err(error) => {
                self.reporter.at_pointer(
                    &pointer_join(pointer, "x-zego-codes"),
                    format!("`x-zego-codes` must be a list of code numbers: {error}"),
                );
                Vec::new()
            }
        }
    }

    /// Each code an action's page lists is one of the product's (`x-zego-return-codes`).
    pub(super) fn check_documented_codes(
        &mut self,
        operations: &[super::ir::Operation],
        codes: &[super::ir::ReturnCode],
    ) {
        for operation in operations {
            for (index, number) in operation.documented_codes.iter().enumerate() {
                if !codes.iter().any(|code| code.code == *number) {
                    self.reporter.at_pointer(
                        &pointer_join(
                            &pointer_join(&operation.pointer, "x-zego-codes"),
                            &index.to_string(),
                        ),
                        format!("code {number} is not in the root's `x-zego-return-codes`"),
                    );
                }
            }
        }
    }

    /// A boolean extension; absent means false.
    pub(super) fn flag(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        name: &str,
        pointer: &str,
    ) -> bool {
        match extensions.get(name) {
            None => false,
            Some(Value::Bool(flag)) => *flag,
            Some(_) => {
                self.reporter.at_pointer(
                    &pointer_join(pointer, name),
                    format!("`{name}` must be true or false"),
                );
                false
            }
        }
    }

    /// `x-zego-task-preconditions`: documentation of what the target task must be.
    pub(super) fn preconditions(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        pointer: &str,
    ) -> Vec<Precondition> {
        let Some(raw) = extensions.get("x-zego-task-preconditions") else {
            return Vec::new();
        };
        let at = pointer_join(pointer, "x-zego-task-preconditions");
        match Vec::<RawPrecondition>::deserialize(raw) {
            Ok(raw) => raw
                .into_iter()
                .enumerate()
                .filter_map(|(index, raw)| {
                    let advisory = match raw.grade.as_str() {
                        "advisory" => true,
                        "rejected" => false,
                        other => {
                            let grade = pointer_join(&pointer_join(&at, &index.to_string()), "grade");
                            self.reporter.at_pointer(
                                &grade,
                                format!("unknown grade `{other}`: a precondition is `rejected` or `advisory`"),
                            );
                            return None;
                        }
                    };
                    Some(Precondition {
                        pointer: pointer_join(&at, &index.to_string()),
                        id: raw.id,
                        advisory,
                        description: raw.description,
                        source: raw.source,
                    })
                })
                .collect(),
            Err(error) => {
                self.reporter.at_pointer(
                    &at,
                    format!("malformed `x-zego-task-preconditions`: {error}"),
                );
                Vec::new()
            }
        }
    }

    /// `x-zego-clock-rules`: each an integer field of the request (Unix milliseconds) that
    /// may lie at most `not_older_than_ms` before the current time.
    pub(super) fn clock_rules(
        &mut self,
        request: TypeId,
        raw: &Value,
        pointer: &str,
    ) -> Vec<ClockRule> {
        let at = pointer_join(pointer, "x-zego-clock-rules");
        let raw = match Vec::<RawClockRule>::deserialize(raw) {
            Ok(raw) => raw,
            Err(error) => {
                self.reporter
                    .at_pointer(&at, format!("malformed `x-zego-clock-rules`: {error}"));
                return Vec::new();
            }
        };
        let mut rules = Vec::new();
        for (index, raw) in raw.into_iter().enumerate() {
            let item = pointer_join(&at, &index.to_string());
            let Some(grade) = self.grade(&raw.grade, &item, "a clock rule") else {
                continue;
            };
            if raw.not_older_than_ms <= 0 {
                self.reporter.at_pointer(
                    &pointer_join(&item, "not_older_than_ms"),
                    "`not_older_than_ms` must be a positive number of milliseconds",
                );
                continue;
            }
            let Some(field) = self.integer_path(request, &raw.field, &pointer_join(&item, "field"))
            else {
                continue;
            };
            rules.push(ClockRule {
                id: raw.id,
                pointer: item,
                description: raw.description,
                grade,
                source: raw.source,
                field,
                max_age_ms: raw.not_older_than_ms,
            });
        }
        rules
    }

    /// Resolves `x-zego-room-id`: a string field (not a credential).
    /// Resolves `x-zego-room-id` or `x-zego-resource-id`: a string field that is no credential.
    pub(super) fn text_field_path(
        &mut self,
        request: TypeId,
        path: &Value,
        pointer: &str,
        extension: &str,
    ) -> Option<FieldPath> {
        let at = pointer_join(pointer, extension);
        let Some(wire) = path.as_str() else {
            self.reporter
                .at_pointer(&at, format!("`{extension}` must be a dotted field path"));
            return None;
        };
        let path = self.path(request, wire, &at)?;
        let last = *path.steps.last()?;
        if self
            .struct_field(last)
            .is_some_and(|f| !f.sensitive && f.ty == FieldType::String)
        {
            return Some(path);
        }
        self.reporter.at_pointer(
            &at,
            format!("`{wire}` must be a string field that is not a credential"),
        );
        None
    }

    /// Resolves `x-zego-idempotency-key`: an optional string field reached through required
    /// fields only, so the client can always set it.
    pub(super) fn idempotency_key(
        &mut self,
        request: TypeId,
        key: &Value,
        pointer: &str,
    ) -> Option<FieldPath> {
        let at = pointer_join(pointer, "x-zego-idempotency-key");
        let Some(wire) = key.as_str() else {
            self.reporter
                .at_pointer(&at, "`x-zego-idempotency-key` must be a dotted field path");
            return None;
        };
        let path = self.path(request, wire, &at)?;
        let (last, parents) = path.steps.split_last()?;
        let through_required = parents
            .iter()
            .all(|step| self.struct_field(*step).is_some_and(|f| f.required));
        let usable = self
            .struct_field(*last)
            .is_some_and(|f| !f.required && !f.sensitive && f.ty == FieldType::String);
        if through_required && usable {
            return Some(path);
        }
        self.reporter.at_pointer(
            &at,
            format!(
                "`{wire}` must be an optional string field reached through required fields only"
            ),
        );
        None
    }
}

/// One entry of `x-zego-clock-rules`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClockRule {
    id: String,
    description: String,
    grade: String,
    #[serde(default)]
    source: Option<String>,
    field: String,
    not_older_than_ms: i64,
}

/// One entry of `x-zego-task-preconditions`. `when`/`then` state it in the rule grammar
/// (paths may start with `StartRecord.` or `DescribeRecordStatus.`) for readers and tools;
/// the generator documents the entry and evaluates nothing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrecondition {
    id: String,
    description: String,
    grade: String,
    source: String,
    #[serde(default)]
    #[allow(dead_code, reason = "kept for readers of the spec; not evaluated")]
    when: Option<Value>,
    #[serde(default)]
    #[allow(dead_code, reason = "kept for readers of the spec; not evaluated")]
    then: Option<Value>,
}
