//! Located errors shared by every stage of the pipeline.

use std::fmt;

/// Where in the spec a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line and column (1-based) in the spec file, as the YAML parser reports them.
    LineColumn { line: usize, column: usize },
    /// A JSON pointer into the document, e.g. `#/components/schemas/MixConfig/properties/MixMode`.
    Pointer(String),
    /// The document as a whole.
    Document,
}

/// One problem found in a spec, with the file it is in and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub file: String,
    pub location: Location,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::LineColumn { line, column } => {
                write!(f, "{}:{line}:{column}: {}", self.file, self.message)
            }
            Location::Pointer(pointer) => write!(f, "{}{pointer}: {}", self.file, self.message),
            Location::Document => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem a stage found, in the order it found them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<SpecError>);

impl Diagnostics {
    pub fn single(error: SpecError) -> Self {
        Self(vec![error])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Collects errors against one file; stages push as they go and finish with `into_result`.
#[derive(Debug)]
pub struct Reporter {
    file: String,
    errors: Vec<SpecError>,
}

impl Reporter {
    pub fn new(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            errors: Vec::new(),
        }
    }

    pub fn at_pointer(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(SpecError {
            file: self.file.clone(),
            location: Location::Pointer(pointer.to_owned()),
            message: message.into(),
        });
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(Diagnostics(self.errors))
        }
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn pointer_join(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}
