//! Stage 1: read the spec text and parse it into an `openapiv3::OpenAPI` document; for a spec
//! set (a root document listing one document per action, see [`set`]), read every member.

mod set;

use std::collections::BTreeMap;

pub use set::{bundle, load_set, Directory, SpecSource};

use crate::diagnostics::{pointer_join, Diagnostics, Location, SpecError};

/// Quirk: `openapiv3` parses schemas through untagged enums, which re-parse a subtree for
/// every variant they try; on a deep document that fails deep down, the work grows
/// exponentially with depth. A depth limit keeps every input fast.
pub const MAX_DEPTH: usize = 32;

/// A parsed spec and the name its errors and generated headers refer to it by.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The spec's path as the user named it, relative to the workspace (e.g. `spec/cloudrecord/cloudrecord.yaml`).
    pub file: String,
    /// The document; for a set, the root with every member's components merged in.
    pub document: openapiv3::OpenAPI,
    /// A set's action documents, in the order the root lists them; empty for a single
    /// document, whose own `paths` hold its operations.
    pub actions: Vec<ActionDocument>,
    /// Which member each merged component came from (`schemas/Name` → file), so errors about
    /// it name that file. Components of the root itself are not listed.
    pub origins: BTreeMap<String, String>,
}

impl LoadedSpec {
    /// The documents whose `paths` hold operations, each with the pointer prefix of its
    /// `paths` (`#/paths` for the root, `spec/cloudrecord/actions/X.yaml#/paths` for a member).
    pub fn operation_documents(&self) -> Vec<(String, &openapiv3::OpenAPI)> {
        if self.actions.is_empty() {
            return vec![("#/paths".to_owned(), &self.document)];
        }
        self.actions
            .iter()
            .map(|action| (format!("{}#/paths", action.file), &action.document))
            .collect()
    }

    /// The JSON pointer of a component (`kind` is `schemas`, `parameters`, …), in the file
    /// that defines it.
    pub fn component_pointer(&self, kind: &str, name: &str) -> String {
        let local = pointer_join(&pointer_join("#/components", kind), name);
        match self.origins.get(&format!("{kind}/{name}")) {
            Some(file) => format!("{file}{local}"),
            None => local,
        }
    }
}

/// One member of a spec set: a complete OpenAPI document for one action, its references into
/// the root rewritten to point into the merged document.
#[derive(Debug, Clone)]
pub struct ActionDocument {
    pub file: String,
    pub document: openapiv3::OpenAPI,
}

/// Parses YAML (JSON is YAML too) into an OpenAPI 3.0 document: a single-document spec.
pub fn load_str(file: &str, text: &str) -> Result<LoadedSpec, Diagnostics> {
    let (_, document) = parse(file, text)?;
    Ok(LoadedSpec {
        file: file.to_owned(),
        document,
        actions: Vec::new(),
        origins: BTreeMap::new(),
    })
}

/// The text as a generic YAML value, checked for duplicate keys, depth and numbers JSON
/// cannot hold.
fn parse_value(file: &str, text: &str) -> Result<serde_yaml::Value, Diagnostics> {
    // Its mappings reject duplicate keys (with their line), which typed maps would silently
    // collapse, losing one of the definitions.
    let value = serde_yaml::from_str::<serde_yaml::Value>(text)
        .map_err(|error| Diagnostics::single(yaml_error(file, &error)))?;
    let Some((pointer, problem)) = first_problem(&value) else {
        return Ok(value);
    };
    let message = match problem {
        Problem::TooDeep => format!(
            "the document nests deeper than {MAX_DEPTH} levels here; the generator refuses deeper \
             input, which makes the OpenAPI parser exponentially slow (the StartRecord spec nests 9)"
        ),
        // `.inf` and `.nan` are YAML, not JSON; the OpenAPI parser panics on some of them.
        Problem::NotFinite => "a number must be finite (`.inf` and `.nan` have no JSON form)".to_owned(),
    };
    Err(Diagnostics::single(SpecError {
        file: file.to_owned(),
        location: Location::Pointer(pointer),
        message,
    }))
}

/// The text as a generic YAML value (for what typed parsing cannot see) and as a document.
fn parse(file: &str, text: &str) -> Result<(serde_yaml::Value, openapiv3::OpenAPI), Diagnostics> {
    let value = parse_value(file, text)?;
    // The typed document comes from the value already parsed, which is much cheaper than
    // scanning the text again. The text stays the authority: a value has no line numbers,
    // and a plain scalar such as `title: 2024` is a number in a value but may be read as a
    // string from text. So a document the value does not fit is read from the text, which
    // either succeeds or says where it fails.
    let document: openapiv3::OpenAPI = match serde::Deserialize::deserialize(&value) {
        Ok(document) => document,
        Err(_) => serde_yaml::from_str(text)
            .map_err(|error| Diagnostics::single(yaml_error(file, &error)))?,
    };
    if !document.openapi.starts_with("3.0.") {
        return Err(Diagnostics::single(SpecError {
            file: file.to_owned(),
            location: Location::Pointer("#/openapi".to_owned()),
            message: format!(
                "unsupported OpenAPI version `{}`: only 3.0.x documents are supported",
                document.openapi
            ),
        }));
    }
    Ok((value, document))
}

/// Reads and parses a spec file, or the set it is the root of; `display_name` is how errors
/// and headers name it. Members of a set are read relative to the root's directory.
pub fn load_file(path: &std::path::Path, display_name: &str) -> Result<LoadedSpec, Diagnostics> {
    let directory = path.parent().unwrap_or(std::path::Path::new("."));
    let display_directory = display_name.rsplit_once('/').map_or("", |(dir, _)| dir);
    let source = set::RootFile {
        display_name,
        path,
        members: Directory::new(directory, display_directory),
    };
    load_set(&source, display_name)
}

fn yaml_error(file: &str, error: &serde_yaml::Error) -> SpecError {
    // serde_yaml appends " at line L column C" to its message when it knows the place; the
    // location is reported separately, so the message is kept without it.
    let message = error.to_string();
    match error.location() {
        Some(place) => {
            let suffix = format!(" at line {} column {}", place.line(), place.column());
            let message = message.strip_suffix(&suffix).unwrap_or(&message).to_owned();
            SpecError {
                file: file.to_owned(),
                location: Location::LineColumn {
                    line: place.line(),
                    column: place.column(),
                },
                message,
            }
        }
        None => SpecError {
            file: file.to_owned(),
            location: Location::Document,
            message,
        },
    }
}

/// What the value may not hold.
enum Problem {
    /// A node nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// An infinite or NaN number.
    NotFinite,
}

/// The JSON pointer of the first node the generator refuses to read further, and why.
fn first_problem(value: &serde_yaml::Value) -> Option<(String, Problem)> {
    let mut stack = vec![(value, 0_usize, "#".to_owned())];
    while let Some((node, depth, pointer)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Some((pointer, Problem::TooDeep));
        }
        match node {
            serde_yaml::Value::Mapping(map) => {
                for (key, child) in map {
                    let key = match key {
                        serde_yaml::Value::String(key) => key.clone(),
                        other => serde_yaml::to_string(other)
                            .unwrap_or_default()
                            .trim()
                            .to_owned(),
                    };
                    stack.push((child, depth + 1, pointer_join(&pointer, &key)));
                }
            }
            serde_yaml::Value::Sequence(items) => {
                for (index, child) in items.iter().enumerate() {
                    stack.push((child, depth + 1, pointer_join(&pointer, &index.to_string())));
                }
            }
            serde_yaml::Value::Tagged(tagged) => stack.push((&tagged.value, depth + 1, pointer)),
            serde_yaml::Value::Number(number)
                if number.as_f64().is_some_and(|value| !value.is_finite()) =>
            {
                return Some((pointer, Problem::NotFinite));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "openapi: 3.0.3\ninfo:\n  title: TITLE\n  version: 1.0.0\npaths: {}\n";

    #[test]
    fn a_number_where_the_spec_wants_a_string_reads_as_text_does() {
        // The fast path (typed from the parsed value) sees the number 2024; reading the text
        // gives the string "2024", as it did before the fast path existed.
        let (_, document) = parse("api.yaml", &MINIMAL.replace("TITLE", "2024"))
            .expect("a number-like title loads");
        assert_eq!(document.info.title, "2024");
    }

    #[test]
    fn a_document_that_does_not_fit_is_reported_at_its_line() {
        let text = MINIMAL.replace("paths: {}", "paths: []");
        let Err(errors) = parse("api.yaml", &text) else {
            panic!("a list of paths is refused");
        };
        let [error] = errors.0.as_slice() else {
            panic!("one error: {errors}");
        };
        assert!(
            matches!(error.location, Location::LineColumn { line: 5, .. }),
            "{error}"
        );
    }
}
