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

/// Each number and name once per list.
fn check(facts: &ProductFacts, shown: &str) -> Result<(), SpecError> {
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
