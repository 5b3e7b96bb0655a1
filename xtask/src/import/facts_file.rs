//! `facts/<product>.yaml`: what we add to an import from ZEGOCLOUD's pages, as data a re-import
//! applies again. The pages give each code's number; this file gives it our name, our words
//! and its retry class, and names the page that states a product-wide call limit.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Location, SpecError};

/// One product's facts file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProductFacts {
    /// The `Code` values of the service's replies.
    #[serde(default)]
    pub return_codes: CodeFacts,
    /// The codes of the exception callback (AI Agent, Cloud ASR).
    #[serde(default)]
    pub exception_codes: CodeFacts,
    #[serde(default)]
    pub call_limits: CallLimitFacts,
    /// The callbacks the product sends (issue 30's data): how they are signed and each event.
    #[serde(default)]
    pub callbacks: Option<CallbackFacts>,
    /// What the pages leave unknown, in our words (written to the spec as `x-zego-note`).
    #[serde(default)]
    pub unknown: Vec<String>,
}

/// A list of codes and the pages that list them.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeFacts {
    /// Pages relative to the docs repository's root.
    #[serde(default)]
    pub pages: Vec<String>,
    #[serde(default)]
    pub codes: Vec<CodeFact>,
}

/// What we say of one code.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CodeFact {
    pub code: i64,
    pub name: String,
    pub meaning: String,
    #[serde(default)]
    pub retry: Option<String>,
    #[serde(default)]
    pub answered_before_acting: bool,
    #[serde(default)]
    pub invalid_parameter: bool,
    #[serde(default)]
    pub resets_after_seconds: Option<u64>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Limits a page states for the whole product.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CallLimitFacts {
    /// A page (relative to the docs repository's root) stating the per-second limit of every
    /// action that states none of its own.
    #[serde(default)]
    pub default_per_second_page: Option<String>,
}

/// How a product's callbacks arrive and are signed, and its events.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CallbackFacts {
    /// Pages read, relative to the docs repository's root.
    pub pages: Vec<String>,
    /// `callback-secret`, `server-secret` or `unknown`.
    pub secret: String,
    #[serde(default)]
    pub secret_note: Option<String>,
    /// `json` or `form`.
    pub body: String,
    pub method: String,
    pub signature: SignedFieldFacts,
    #[serde(default)]
    pub url_encoded: Vec<String>,
    /// The field naming the event.
    pub discriminator: String,
    #[serde(default)]
    pub redelivery: Option<String>,
    #[serde(default)]
    pub answer: Option<String>,
    pub events: Vec<EventFacts>,
}

/// Where the signed fields arrive and how they are spelt.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SignedFieldFacts {
    /// `body`, `query` or `header`.
    #[serde(rename = "in")]
    pub location: String,
    pub signature: String,
    pub timestamp: String,
    pub nonce: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// One event: its name of ours, the discriminator's value, and its body as a schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EventFacts {
    pub name: String,
    /// A string, or a number (Cloud Player's `EventType`).
    pub value: serde_yaml::Value,
    /// Other values a page shows for the same event, accepted as it.
    #[serde(default)]
    pub also_values: Vec<serde_yaml::Value>,
    pub page: String,
    pub description: String,
    #[serde(default)]
    pub deprecated: bool,
    /// The event's own discriminator field, where it differs from the product's.
    #[serde(default)]
    pub discriminator: Option<String>,
    /// The event's own signed fields, where they differ from the product's.
    #[serde(default)]
    pub signature: Option<SignedFieldFacts>,
    #[serde(default)]
    pub body: Option<String>,
    pub schema: serde_yaml::Value,
    /// What the receiver answers, for an event whose answer carries data.
    #[serde(default)]
    pub answer_schema: Option<serde_yaml::Value>,
    #[serde(default)]
    pub answer_deadline_ms: Option<u64>,
    #[serde(default)]
    pub notes: Vec<String>,
    /// The page's example body, kept as a test fixture.
    #[serde(default)]
    pub example: Option<String>,
}

/// Reads the facts file at `path`; none there means no facts. A file that is not as described
/// is an error at its line and column.
pub fn load(path: &Path, shown: &str) -> Result<ProductFacts, SpecError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(ProductFacts::default())
        }
        Err(error) => {
            return Err(SpecError {
                file: shown.to_owned(),
                location: Location::Document,
                message: format!("cannot read the facts file: {error}"),
            })
        }
    };
    let facts: ProductFacts = serde_yaml::from_str(&text).map_err(|error| SpecError {
        file: shown.to_owned(),
        location: error
            .location()
            .map_or(Location::Document, |at| Location::LineColumn {
                line: at.line(),
                column: at.column(),
            }),
        message: format!("not a facts file as README.md describes: {error}"),
    })?;
    check(&facts, shown)?;
    Ok(facts)
}

/// Each number and name once per list; every key of an event's schema a schema keyword or an
/// extension (an unquoted comma in a flow-style description splits it into a stray key).
fn check(facts: &ProductFacts, shown: &str) -> Result<(), SpecError> {
    if let Some(callbacks) = &facts.callbacks {
        for (index, event) in callbacks.events.iter().enumerate() {
            let at = format!("#/callbacks/events/{index}/schema");
            stray_keys(&event.schema, &at, shown)?;
            if let Some(answer) = &event.answer_schema {
                stray_keys(
                    answer,
                    &format!("#/callbacks/events/{index}/answer-schema"),
                    shown,
                )?;
            }
        }
    }
    for (list, section) in [
        (&facts.return_codes, "return-codes"),
        (&facts.exception_codes, "exception-codes"),
    ] {
        for (index, fact) in list.codes.iter().enumerate() {
            let earlier = &list.codes[..index];
            let twice = earlier
                .iter()
                .find(|other| other.code == fact.code || other.name == fact.name);
            if let Some(other) = twice {
                return Err(SpecError {
                    file: shown.to_owned(),
                    location: Location::Pointer(format!("#/{section}/codes/{index}")),
                    message: format!(
                        "code {} (`{}`) repeats the number or name of code {} (`{}`)",
                        fact.code, fact.name, other.code, other.name
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The first key of `schema` (or a schema inside it) that is neither a schema keyword nor an
/// extension, as an error at its JSON pointer.
fn stray_keys(schema: &serde_yaml::Value, at: &str, shown: &str) -> Result<(), SpecError> {
    let serde_yaml::Value::Mapping(map) = schema else {
        return Ok(());
    };
    for (key, value) in map {
        let key = key.as_str().unwrap_or_default();
        let here = crate::diagnostics::pointer_join(at, key);
        if !key.starts_with("x-") && !super::fixups::SCHEMA_KEYS.contains(&key) {
            return Err(SpecError {
                file: shown.to_owned(),
                location: Location::Pointer(here),
                message: format!(
                    "`{key}` is no schema keyword: is it the rest of a description split at an unquoted comma?"
                ),
            });
        }
        match (key, value) {
            ("properties", serde_yaml::Value::Mapping(properties)) => {
                for (name, property) in properties {
                    let name = name.as_str().unwrap_or_default();
                    stray_keys(
                        property,
                        &crate::diagnostics::pointer_join(&here, name),
                        shown,
                    )?;
                }
            }
            ("items" | "additionalProperties" | "not", _) => stray_keys(value, &here, shown)?,
            ("oneOf" | "anyOf" | "allOf", serde_yaml::Value::Sequence(alternatives)) => {
                for (index, alternative) in alternatives.iter().enumerate() {
                    let item = crate::diagnostics::pointer_join(&here, &index.to_string());
                    stray_keys(alternative, &item, shown)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_key_is_an_error_at_its_line() {
        let dir = std::env::temp_dir().join(format!("facts-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("x.yaml");
        std::fs::write(
            &path,
            "return-codes:\n  codes:\n    - code: 7\n      name: Throttled\n      meening: x\n",
        )
        .expect("write");
        let error = load(&path, "facts/x.yaml").expect_err("misspelt");
        assert_eq!(error.file, "facts/x.yaml");
        assert!(matches!(
            error.location,
            Location::LineColumn { line: 5, .. }
        ));
        assert!(error.message.contains("meening"), "{}", error.message);
        std::fs::write(
            &path,
            "return-codes:\n  codes:\n    - {code: 7, name: A, meaning: x}\n    - {code: 7, name: B, meaning: y}\n",
        )
        .expect("write");
        let error = load(&path, "facts/x.yaml").expect_err("twice");
        assert_eq!(
            error.location,
            Location::Pointer("#/return-codes/codes/1".to_owned())
        );
        std::fs::write(
            &path,
            "callbacks:\n  pages: []\n  secret: callback-secret\n  body: json\n  method: POST\n  signature: {in: body, signature: s, timestamp: t, nonce: n}\n  discriminator: event\n  events:\n    - name: Made\n      value: made\n      page: p.mdx\n      description: d\n      schema:\n        type: object\n        properties:\n          when: {type: string, description: Unix time, in seconds}\n",
        )
        .expect("write");
        let error = load(&path, "facts/x.yaml").expect_err("a stray key");
        assert_eq!(
            error.location,
            Location::Pointer("#/callbacks/events/0/schema/properties/when/in seconds".to_owned())
        );
        assert_eq!(
            load(&dir.join("none.yaml"), "facts/none.yaml")
                .expect("absent")
                .return_codes
                .codes
                .len(),
            0
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
