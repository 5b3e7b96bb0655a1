//! `x-zego-callbacks` on the root: how a product's callbacks are signed, the field naming the
//! event, and each event with the component schema of its body (and of its answer, where the
//! answer carries data). What the generated client cannot do (a signature outside the body, a
//! form-encoded body) is a located error, never a verifier that checks the wrong thing.

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::pointer_join;

use super::ir::{
    CallbackEvent, CallbackSecret, Callbacks, EventValue, SignedFieldNames, TypeId, TypeKind, Usage,
};
use super::Builder;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCallbacks {
    /// The pages read; for the spec's readers, not the generated code.
    #[serde(default, rename = "pages")]
    _pages: Vec<String>,
    secret: String,
    #[serde(default)]
    secret_note: Option<String>,
    body: String,
    method: String,
    signature: RawSigned,
    #[serde(default)]
    url_encoded: Vec<String>,
    discriminator: String,
    #[serde(default)]
    redelivery: Option<String>,
    #[serde(default)]
    answer: Option<String>,
    events: Vec<RawEvent>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSigned {
    #[serde(rename = "in")]
    location: String,
    signature: String,
    timestamp: String,
    nonce: String,
    #[serde(default)]
    rule: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEvent {
    name: String,
    value: Value,
    #[serde(default)]
    also_values: Vec<Value>,
    page: String,
    description: String,
    #[serde(default)]
    deprecated: bool,
    #[serde(default)]
    discriminator: Option<String>,
    #[serde(default)]
    signature: Option<RawSigned>,
    #[serde(default)]
    body: Option<String>,
    schema: Value,
    #[serde(default)]
    answer_schema: Option<Value>,
    #[serde(default)]
    answer_deadline_ms: Option<u64>,
    #[serde(default, rename = "x-zego-note")]
    note: Option<String>,
    #[serde(default)]
    example: Option<String>,
}

impl Builder<'_> {
    /// `x-zego-callbacks`, when the spec has it.
    pub(super) fn callbacks(&mut self) -> Option<Callbacks> {
        let raw = self.spec.document.extensions.get("x-zego-callbacks")?;
        let at = "#/x-zego-callbacks";
        let raw = match RawCallbacks::deserialize(raw) {
            Ok(raw) => raw,
            Err(error) => {
                self.reporter
                    .at_pointer(at, format!("malformed `x-zego-callbacks`: {error}"));
                return None;
            }
        };
        let secret = match raw.secret.as_str() {
            "callback-secret" => CallbackSecret::CallbackSecret,
            "server-secret" => CallbackSecret::ServerSecret,
            "unknown" => CallbackSecret::Unknown,
            other => {
                self.reporter.at_pointer(
                    &pointer_join(at, "secret"),
                    format!("`secret: {other}` is none of callback-secret, server-secret, unknown"),
                );
                CallbackSecret::Unknown
            }
        };
        self.check_delivery(&raw.body, &raw.method, &pointer_join(at, "body"));
        let signature = self.signed_names(&raw.signature, &pointer_join(at, "signature"))?;
        let mut events: Vec<CallbackEvent> = Vec::new();
        for (index, event) in raw.events.into_iter().enumerate() {
            let item = pointer_join(&pointer_join(at, "events"), &index.to_string());
            if let Some(event) = self.event(event, &raw.discriminator, &signature, &item) {
                let twice = events.iter().find(|known| {
                    known.name == event.name
                        || (known.discriminator == event.discriminator
                            && known.value == event.value)
                });
                if let Some(known) = twice {
                    self.reporter.at_pointer(
                        &item,
                        format!(
                            "event `{}` repeats the name or the value of event `{}`",
                            event.name, known.name
                        ),
                    );
                    continue;
                }
                events.push(event);
            }
        }
        Some(Callbacks {
            secret,
            secret_note: raw.secret_note,
            signature,
            url_encoded: raw.url_encoded,
            discriminator: raw.discriminator,
            redelivery: raw.redelivery,
            answer: raw.answer,
            events,
        })
    }

    fn event(
        &mut self,
        raw: RawEvent,
        discriminator: &str,
        signature: &SignedFieldNames,
        at: &str,
    ) -> Option<CallbackEvent> {
        let value = self.event_value(&raw.value, &pointer_join(at, "value"))?;
        let mut also_values = Vec::new();
        for (index, also) in raw.also_values.iter().enumerate() {
            let item = pointer_join(&pointer_join(at, "also-values"), &index.to_string());
            also_values.push(self.event_value(also, &item)?);
        }
        if let Some(body) = &raw.body {
            self.check_delivery(body, "POST", &pointer_join(at, "body"));
        }
        let signature = match &raw.signature {
            Some(own) => self.signed_names(own, &pointer_join(at, "signature"))?,
            None => signature.clone(),
        };
        let body = self.event_schema(&raw.schema, &pointer_join(at, "schema"))?;
        let answer = match &raw.answer_schema {
            Some(schema) => Some(self.event_schema(schema, &pointer_join(at, "answer-schema"))?),
            None => None,
        };
        Some(CallbackEvent {
            name: raw.name,
            variant: String::new(),
            value,
            also_values,
            page: raw.page,
            description: raw.description,
            deprecated: raw.deprecated,
            discriminator: raw
                .discriminator
                .unwrap_or_else(|| discriminator.to_owned()),
            signature,
            body,
            answer,
            answer_deadline_ms: raw.answer_deadline_ms,
            note: raw.note,
            example: raw.example,
        })
    }

    fn event_value(&mut self, value: &Value, at: &str) -> Option<EventValue> {
        match value {
            Value::String(text) => Some(EventValue::Text(text.clone())),
            Value::Number(number) => match number.as_i64() {
                Some(number) => Some(EventValue::Number(number)),
                None => {
                    self.reporter
                        .at_pointer(at, "an event's value is text or a whole number");
                    None
                }
            },
            _ => {
                self.reporter.at_pointer(
                    at,
                    "an event's `value` is the text or whole number its discriminator holds",
                );
                None
            }
        }
    }

    /// The component an event's `schema` names: an object, typed for decoding and for
    /// building (tests sign and send events of their own).
    fn event_schema(&mut self, schema: &Value, at: &str) -> Option<TypeId> {
        let name = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix("#/components/schemas/"));
        let Some(&id) = name.and_then(|name| self.component_ids.get(name)) else {
            self.reporter.at_pointer(
                at,
                "an event's schema must `$ref` a schema in `#/components/schemas`",
            );
            return None;
        };
        if !matches!(self.types[id].kind, TypeKind::Struct(_)) {
            self.reporter
                .at_pointer(at, "an event's schema must be an object with properties");
            return None;
        }
        self.mark(
            id,
            Usage {
                request: true,
                response: true,
            },
        );
        Some(id)
    }

    fn signed_names(&mut self, raw: &RawSigned, at: &str) -> Option<SignedFieldNames> {
        if raw.location != "body" {
            self.reporter.at_pointer(
                &pointer_join(at, "in"),
                format!(
                    "signed fields in the {} are not supported: the verifier reads them from the body",
                    raw.location
                ),
            );
            return None;
        }
        if let Some(rule) = &raw.rule {
            self.reporter.at_pointer(
                &pointer_join(at, "rule"),
                format!("another signature rule than the shared one is not supported: {rule}"),
            );
            return None;
        }
        Some(SignedFieldNames {
            signature: raw.signature.clone(),
            timestamp: raw.timestamp.clone(),
            nonce: raw.nonce.clone(),
        })
    }

    fn check_delivery(&mut self, body: &str, method: &str, at: &str) {
        if body != "json" {
            self.reporter.at_pointer(
                at,
                format!("a `{body}` body is not supported: the verifier reads JSON"),
            );
        }
        if method != "POST" {
            self.reporter.at_pointer(
                at,
                format!("callbacks sent with {method} are not supported"),
            );
        }
    }
}
