//! Stage 1: read the spec text and parse it into an `openapiv3::OpenAPI` document.

use crate::diagnostics::{Diagnostics, Location, SpecError};

/// A parsed spec and the name its errors and generated headers refer to it by.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The spec's path as the user named it, relative to the workspace (e.g. `spec/startrecord.yaml`).
    pub file: String,
    pub document: openapiv3::OpenAPI,
}

/// Parses YAML (JSON is YAML too) into an OpenAPI 3.0 document.
pub fn load_str(file: &str, text: &str) -> Result<LoadedSpec, Diagnostics> {
    // A generic YAML value first: its mappings reject duplicate keys (with their line), which
    // typed maps would silently collapse, losing one of the definitions.
    serde_yaml::from_str::<serde_yaml::Value>(text)
        .map_err(|error| Diagnostics::single(yaml_error(file, &error)))?;
    let document = serde_yaml::from_str::<openapiv3::OpenAPI>(text)
        .map_err(|error| Diagnostics::single(yaml_error(file, &error)))?;
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
    Ok(LoadedSpec {
        file: file.to_owned(),
        document,
    })
}

/// Reads and parses a spec file; `display_name` is how errors and headers name it.
pub fn load_file(path: &std::path::Path, display_name: &str) -> Result<LoadedSpec, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        Diagnostics::single(SpecError {
            file: display_name.to_owned(),
            location: Location::Document,
            message: format!("cannot read the spec: {error}"),
        })
    })?;
    load_str(display_name, &text)
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
