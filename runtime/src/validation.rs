use std::fmt;

/// Where a value sits in a request, printed like `Layout.Inputs[2].Top`.
///
/// Paths are built on the stack while validating and only turned into text for a
/// violation, so validating a valid request allocates nothing.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum FieldPath<'a> {
    /// The request body itself.
    Root,
    /// A named field (its wire name) of the value at the parent path.
    Field(&'a FieldPath<'a>, &'static str),
    /// An element of the array at the parent path.
    Index(&'a FieldPath<'a>, usize),
    /// The value under a key of the map at the parent path.
    Key(&'a FieldPath<'a>, &'a str),
}

impl FieldPath<'_> {
    /// The path of field `name` (a wire name) below this one.
    #[inline]
    pub fn field(&self, name: &'static str) -> FieldPath<'_> {
        FieldPath::Field(self, name)
    }

    /// The path of element `index` of the array at this path.
    #[inline]
    pub fn index(&self, index: usize) -> FieldPath<'_> {
        FieldPath::Index(self, index)
    }

    /// The path of the value under `key` in the map at this path.
    #[inline]
    pub fn key<'k>(&'k self, key: &'k str) -> FieldPath<'k> {
        FieldPath::Key(self, key)
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::Root => f.write_str("(request)"),
            FieldPath::Field(FieldPath::Root, name) => f.write_str(name),
            FieldPath::Field(parent, name) => write!(f, "{parent}.{name}"),
            FieldPath::Index(parent, index) => write!(f, "{parent}[{index}]"),
            FieldPath::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// The ids of the checks every generated client makes from the spec's schemas (ranges,
/// sizes, lengths, enums), besides the ids of the spec's own rules.
pub mod builtin_rules {
    /// A number below its range.
    pub const MINIMUM: &str = "minimum";
    /// A number above its range.
    pub const MAXIMUM: &str = "maximum";
    /// An array with too few items.
    pub const MIN_ITEMS: &str = "min_items";
    /// An array with too many items.
    pub const MAX_ITEMS: &str = "max_items";
    /// A string too short.
    pub const MIN_LENGTH: &str = "min_length";
    /// A string too long.
    pub const MAX_LENGTH: &str = "max_length";
    /// A value the spec's enum does not list.
    pub const ENUM: &str = "enum";
    /// A list that repeats an item it must hold once (`uniqueItems`).
    pub const UNIQUE_ITEMS: &str = "unique_items";

    /// Every id above.
    pub const ALL: [&str; 8] = [
        MINIMUM,
        MAXIMUM,
        MIN_ITEMS,
        MAX_ITEMS,
        MIN_LENGTH,
        MAX_LENGTH,
        ENUM,
        UNIQUE_ITEMS,
    ];
}

/// One broken rule: where, which rule, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// The field the problem is about, e.g. `RecordInputParams.MaxIdleTime`.
    pub path: String,
    /// The rule broken: `minimum`, `maximum`, `min_items`, `max_items`, `min_length`,
    /// `max_length`, `enum`, `unique_items`, or the id of a cross-field rule from the spec.
    pub rule: &'static str,
    /// What is wrong, in a sentence.
    pub message: String,
    /// Whether the documentation only advises here (the setting takes no effect, or is not
    /// supported) rather than saying the service refuses the request. Advisory findings
    /// are warnings, never reasons to refuse a request.
    pub advisory: bool,
}

impl Violation {
    /// A violation of `rule` at `path` that the service refuses.
    pub fn new(path: &FieldPath<'_>, rule: &'static str, message: impl Into<String>) -> Self {
        Self {
            path: path.to_string(),
            rule,
            message: message.into(),
            advisory: false,
        }
    }

    /// An advisory finding: the service probably accepts the request, but the setting may
    /// not do what the caller expects.
    pub fn advisory(path: &FieldPath<'_>, rule: &'static str, message: impl Into<String>) -> Self {
        Self {
            advisory: true,
            ..Self::new(path, rule, message)
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let advisory = if self.advisory { " (advisory)" } else { "" };
        write!(
            f,
            "{}: {} [{}{advisory}]",
            self.path, self.message, self.rule
        )
    }
}

/// Every rule a request breaks, found before anything is sent.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidationError {
    violations: Vec<Violation>,
    warnings: Vec<Violation>,
}

impl ValidationError {
    /// An error holding `violations` (at least one).
    pub fn new(violations: Vec<Violation>) -> Self {
        Self {
            violations,
            warnings: Vec::new(),
        }
    }

    /// The same error, also carrying the findings that were not reasons to refuse.
    #[must_use]
    pub fn with_warnings(mut self, warnings: Vec<Violation>) -> Self {
        self.warnings = warnings;
        self
    }

    /// The violations, in field order. Never empty.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// What the checks found besides the violations, without refusing for it (advisory
    /// findings, and allowed ones under the client's check policy): the same list a
    /// successful call's `warnings` would hold.
    pub fn warnings(&self) -> &[Violation] {
        &self.warnings
    }
}

/// One line per violation: the form people read, in messages and in `{:?}` alike (so
/// `fn main() -> Result<(), Error>` prints something readable).
impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.violations.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        write!(f, "{count} {noun}:")?;
        for violation in &self.violations {
            write!(f, "\n  - {violation}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for ValidationError {}

impl ValidationError {
    /// An error for the findings that are not advisory, if there are any. Not generic, so
    /// it is compiled once rather than once per validated type.
    fn refusing(findings: Vec<Violation>) -> Result<(), ValidationError> {
        let violations: Vec<Violation> = findings
            .into_iter()
            .filter(|violation| !violation.advisory)
            .collect();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError::new(violations))
        }
    }
}

/// Checks a value against every constraint and cross-field rule its spec states.
pub trait Validate {
    /// Appends every violation found in `self`, which sits at `at`, to `out`.
    fn collect_violations(&self, at: &FieldPath<'_>, out: &mut Vec<Violation>);

    /// Every violation the service refuses at once, or `Ok(())`. Advisory findings are
    /// not errors; [`Validate::findings`] lists them too.
    fn validate(&self) -> Result<(), ValidationError> {
        ValidationError::refusing(self.findings())
    }

    /// Every finding, refused and advisory alike, in field order.
    fn findings(&self) -> Vec<Violation> {
        let mut violations = Vec::new();
        self.collect_violations(&FieldPath::Root, &mut violations);
        violations
    }
}

/// Checks an integer against an inclusive range.
#[inline]
pub fn check_range(
    value: i64,
    minimum: Option<i64>,
    maximum: Option<i64>,
    at: &FieldPath<'_>,
    out: &mut Vec<Violation>,
) {
    check_bounds(value, minimum, maximum, at, out);
}

/// Checks a `number` against an inclusive range (NaN is below any minimum).
#[inline]
pub fn check_number_range(
    value: f64,
    minimum: Option<f64>,
    maximum: Option<f64>,
    at: &FieldPath<'_>,
    out: &mut Vec<Violation>,
) {
    check_bounds(value, minimum, maximum, at, out);
}

fn check_bounds<T: PartialOrd + fmt::Display + Copy>(
    value: T,
    minimum: Option<T>,
    maximum: Option<T>,
    at: &FieldPath<'_>,
    out: &mut Vec<Violation>,
) {
    // Below the minimum, or not comparable with it (a NaN): refused, not let through.
    let below = |minimum: &T| {
        !matches!(
            value.partial_cmp(minimum),
            Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)
        )
    };
    if let Some(minimum) = minimum.filter(below) {
        out.push(Violation::new(
            at,
            builtin_rules::MINIMUM,
            format!("must be at least {minimum}, got {value}"),
        ));
    }
    if let Some(maximum) = maximum.filter(|maximum| value > *maximum) {
        out.push(Violation::new(
            at,
            builtin_rules::MAXIMUM,
            format!("must be at most {maximum}, got {value}"),
        ));
    }
}

/// Checks that no item of a list (`uniqueItems`) appears twice.
pub fn check_unique<T: PartialEq>(items: &[T], at: &FieldPath<'_>, out: &mut Vec<Violation>) {
    let repeated = items
        .iter()
        .enumerate()
        .find(|(index, item)| items[..*index].contains(item));
    if let Some((index, _)) = repeated {
        out.push(Violation::new(
            at,
            builtin_rules::UNIQUE_ITEMS,
            format!("must not repeat an item (item {index} repeats an earlier one)"),
        ));
    }
}

/// Checks the number of items of an array.
#[inline]
pub fn check_items(
    count: usize,
    minimum: Option<usize>,
    maximum: Option<usize>,
    at: &FieldPath<'_>,
    out: &mut Vec<Violation>,
) {
    if let Some(minimum) = minimum.filter(|minimum| count < *minimum) {
        out.push(Violation::new(
            at,
            builtin_rules::MIN_ITEMS,
            format!("needs at least {minimum} items, has {count}"),
        ));
    }
    if let Some(maximum) = maximum.filter(|maximum| count > *maximum) {
        out.push(Violation::new(
            at,
            builtin_rules::MAX_ITEMS,
            format!("allows at most {maximum} items, has {count}"),
        ));
    }
}

/// Checks the length of a string, in characters.
#[inline]
pub fn check_length(
    text: &str,
    minimum: Option<usize>,
    maximum: Option<usize>,
    at: &FieldPath<'_>,
    out: &mut Vec<Violation>,
) {
    let length = text.chars().count();
    if let Some(minimum) = minimum.filter(|minimum| length < *minimum) {
        out.push(Violation::new(
            at,
            builtin_rules::MIN_LENGTH,
            format!("must be at least {minimum} characters, has {length}"),
        ));
    }
    if let Some(maximum) = maximum.filter(|maximum| length > *maximum) {
        out.push(Violation::new(
            at,
            builtin_rules::MAX_LENGTH,
            format!("must be at most {maximum} characters, has {length}"),
        ));
    }
}

/// Reports an enum value that is not one of the values the spec allows.
#[inline]
pub fn check_known(
    known: bool,
    value: &dyn fmt::Display,
    allowed: &'static str,
    at: &FieldPath<'_>,
    out: &mut Vec<Violation>,
) {
    if !known {
        out.push(Violation::new(
            at,
            builtin_rules::ENUM,
            format!("must be one of {allowed}, got {value}"),
        ));
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn collect_violations(&self, at: &FieldPath<'_>, out: &mut Vec<Violation>) {
        for (index, item) in self.iter().enumerate() {
            item.collect_violations(&at.index(index), out);
        }
    }
}

impl<T: Validate> Validate for Option<T> {
    fn collect_violations(&self, at: &FieldPath<'_>, out: &mut Vec<Violation>) {
        if let Some(value) = self {
            value.collect_violations(at, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value with one bounded integer, as generated code would validate it.
    struct Bounded(i64);

    impl Validate for Bounded {
        fn collect_violations(&self, at: &FieldPath<'_>, out: &mut Vec<Violation>) {
            check_range(self.0, Some(0), Some(10), &at.field("Value"), out);
        }
    }

    fn range(value: i64, minimum: Option<i64>, maximum: Option<i64>) -> Vec<Violation> {
        let mut out = Vec::new();
        check_range(
            value,
            minimum,
            maximum,
            &FieldPath::Root.field("N"),
            &mut out,
        );
        out
    }

    /// Advisory findings are reported, never refused.
    struct Advised;

    impl Validate for Advised {
        fn collect_violations(&self, at: &FieldPath<'_>, out: &mut Vec<Violation>) {
            out.push(Violation::advisory(
                &at.field("Mode"),
                "mode-ignored",
                "has no effect here",
            ));
        }
    }

    #[test]
    fn advisory_findings_are_not_errors() {
        assert_eq!(Advised.validate(), Ok(()));
        let findings = Advised.findings();
        assert_eq!(findings.len(), 1);
        assert!(findings[0].advisory);
        assert_eq!(
            findings[0].to_string(),
            "Mode: has no effect here [mode-ignored (advisory)]"
        );
        assert!(!Violation::new(&FieldPath::Root, "r", "m").advisory);
    }

    #[test]
    fn paths_print_as_dotted_wire_names_with_indexes() {
        let root = FieldPath::Root;
        let config = root.field("Layout");
        let list = config.field("Inputs");
        let item = list.index(2);
        assert_eq!(root.to_string(), "(request)");
        assert_eq!(item.field("Top").to_string(), "Layout.Inputs[2].Top");
        assert_eq!(root.index(0).to_string(), "(request)[0]");
    }

    #[test]
    fn ranges_are_inclusive_and_optional() {
        assert!(range(0, Some(0), Some(10)).is_empty());
        assert!(range(10, Some(0), Some(10)).is_empty());
        assert!(range(-1_000, None, None).is_empty());
        let below = range(-1, Some(0), Some(10));
        assert_eq!(below.len(), 1);
        assert_eq!(below[0].rule, "minimum");
        assert_eq!(below[0].path, "N");
        assert_eq!(below[0].message, "must be at least 0, got -1");
        let above = range(11, Some(0), Some(10));
        assert_eq!(above[0].rule, "maximum");
        assert_eq!(above[0].message, "must be at most 10, got 11");
        assert_eq!(range(11, None, Some(10)).len(), 1);
        assert_eq!(range(-1, Some(0), None).len(), 1);
    }

    #[test]
    fn item_counts_are_inclusive() {
        let mut out = Vec::new();
        let at = FieldPath::Root.field("List");
        check_items(1, Some(1), Some(3), &at, &mut out);
        check_items(3, Some(1), Some(3), &at, &mut out);
        assert!(out.is_empty());
        check_items(0, Some(1), Some(3), &at, &mut out);
        check_items(4, Some(1), Some(3), &at, &mut out);
        let rules: Vec<&str> = out.iter().map(|v| v.rule).collect();
        assert_eq!(rules, ["min_items", "max_items"]);
        assert_eq!(out[0].message, "needs at least 1 items, has 0");
        assert_eq!(out[1].message, "allows at most 3 items, has 4");
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let mut out = Vec::new();
        let at = FieldPath::Root.field("Name");
        check_length("ééé", Some(3), Some(3), &at, &mut out);
        assert!(out.is_empty(), "three characters, six bytes: {out:?}");
        check_length("ab", Some(3), None, &at, &mut out);
        check_length("abcd", None, Some(3), &at, &mut out);
        let rules: Vec<&str> = out.iter().map(|v| v.rule).collect();
        assert_eq!(rules, ["min_length", "max_length"]);
        assert_eq!(out[0].message, "must be at least 3 characters, has 2");
        assert_eq!(out[1].message, "must be at most 3 characters, has 4");
    }

    #[test]
    fn unknown_enum_values_name_what_is_allowed() {
        let mut out = Vec::new();
        let at = FieldPath::Root.field("Vendor");
        check_known(true, &1, "1 (AmazonS3)", &at, &mut out);
        assert!(out.is_empty());
        check_known(false, &99, "1 (AmazonS3)", &at, &mut out);
        assert_eq!(out[0].rule, "enum");
        assert_eq!(out[0].message, "must be one of 1 (AmazonS3), got 99");
    }

    #[test]
    fn validate_collects_every_violation_with_its_place() {
        assert_eq!(Bounded(5).validate(), Ok(()));
        let error = vec![Bounded(5), Bounded(-1), Bounded(11)]
            .validate()
            .expect_err("two out of range");
        let paths: Vec<&str> = error.violations().iter().map(|v| v.path.as_str()).collect();
        assert_eq!(paths, ["(request)[1].Value", "(request)[2].Value"]);
        assert_eq!(
            error.to_string(),
            "2 problems:\n  - (request)[1].Value: must be at least 0, got -1 [minimum]\n  \
             - (request)[2].Value: must be at most 10, got 11 [maximum]"
        );
        assert_eq!(
            format!("{error:?}"),
            error.to_string(),
            "Debug reads like Display"
        );
        let single = Some(Bounded(20)).validate().expect_err("out of range");
        assert_eq!(
            single.to_string(),
            "1 problem:\n  - Value: must be at most 10, got 20 [maximum]"
        );
        assert_eq!(None::<Bounded>.validate(), Ok(()));
    }
}
