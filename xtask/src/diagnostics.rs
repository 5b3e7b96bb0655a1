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

impl SpecError {
    /// An error at `place`: `file#/pointer`, or a pointer (`#/…`) into `default_file`.
    pub fn at_place(place: &str, default_file: &str, message: impl Into<String>) -> Self {
        let (file, pointer) = match place.split_once('#') {
            Some((file, rest)) if !file.is_empty() => (file.to_owned(), format!("#{rest}")),
            _ => (default_file.to_owned(), place.to_owned()),
        };
        Self {
            file,
            location: Location::Pointer(pointer),
            message: message.into(),
        }
    }
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
/// Every error is kept; `Display` groups repeats of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<SpecError>);

impl Diagnostics {
    pub fn single(error: SpecError) -> Self {
        Self(vec![error])
    }
}

/// How many further places of a repeated error are listed before they are counted.
const REPEATS_LISTED: usize = 3;

impl fmt::Display for Diagnostics {
    /// One line per distinct error: an error repeated at other places (a large spec can repeat
    /// one mistake in every operation) is shown once, followed by where else it occurs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut groups: Vec<(&SpecError, Vec<&SpecError>)> = Vec::new();
        for error in &self.0 {
            let same = groups
                .iter_mut()
                .find(|(first, _)| first.file == error.file && first.message == error.message);
            match same {
                Some((_, repeats)) => repeats.push(error),
                None => groups.push((error, Vec::new())),
            }
        }
        for (index, (error, repeats)) in groups.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {error}")?;
            if repeats.is_empty() {
                continue;
            }
            let listed: Vec<String> = repeats
                .iter()
                .take(REPEATS_LISTED)
                .map(|repeat| repeat.location.to_string())
                .collect();
            let unlisted = repeats.len().saturating_sub(REPEATS_LISTED);
            write!(f, " (the same at {}", listed.join(", "))?;
            if unlisted > 0 {
                write!(f, " and {unlisted} more places")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LineColumn { line, column } => write!(f, "{line}:{column}"),
            Self::Pointer(pointer) => f.write_str(pointer),
            Self::Document => f.write_str("the document"),
        }
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

    /// An error at `pointer`: a JSON pointer into this reporter's file (`#/…`), or into
    /// another file of a spec set (`spec/cloudrecord/actions/StopRecord.yaml#/…`).
    pub fn at_pointer(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors
            .push(SpecError::at_place(pointer, &self.file, message));
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
    let mut joined = pointer.to_owned();
    push_pointer_token(&mut joined, token);
    joined
}

/// [`pointer_join`] in place, for walks that grow one pointer and cut it back.
pub fn push_pointer_token(pointer: &mut String, token: &str) {
    pointer.reserve(token.len() + 1);
    pointer.push('/');
    for character in token.chars() {
        match character {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            other => pointer.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(pointer: &str, message: &str) -> SpecError {
        SpecError {
            file: "api.yaml".to_owned(),
            location: Location::Pointer(pointer.to_owned()),
            message: message.to_owned(),
        }
    }

    #[test]
    fn repeated_errors_are_shown_once_with_every_other_place_counted() {
        let mut errors = vec![at("#/a", "first problem")];
        for index in 0..5 {
            errors.push(at(&format!("#/op{index}"), "same problem"));
        }
        errors.push(at("#/b", "last problem"));
        let diagnostics = Diagnostics(errors);
        assert_eq!(
            diagnostics.to_string(),
            "error: api.yaml#/a: first problem\n\
             error: api.yaml#/op0: same problem (the same at #/op1, #/op2, #/op3 and 1 more places)\n\
             error: api.yaml#/b: last problem"
        );
        assert_eq!(
            diagnostics.0.len(),
            7,
            "nothing is dropped from the list itself"
        );
    }
}
