//! The check policy: which findings refuse a request, which are sent as warnings.

use crate::validation::{ValidationError, Violation};

/// How the client checks a request before sending it. The default, [`Checks::Strict`],
/// refuses only what the documentation says the service refuses; everything else the
/// checks find is a warning.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Checks {
    /// Refuse requests the service refuses (documented errors and ranges); warn about
    /// advisory findings.
    #[default]
    Strict,
    /// Refuse nothing: every finding is a warning. For accounts whose limits ZEGOCLOUD
    /// raised, or when the service accepts what the documentation says it refuses.
    Warn,
    /// Check nothing.
    Off,
}

/// Sorts `findings` as `checks` says, leaving out those of the `allowed` rules: the refused
/// ones as an error carrying the rest, else the rest, each logged as a `tracing` warning.
pub(super) fn sort_findings(
    checks: Checks,
    allowed: &[&'static str],
    findings: Vec<Violation>,
) -> Result<Vec<Violation>, ValidationError> {
    let (refused, warnings): (Vec<Violation>, Vec<Violation>) = findings
        .into_iter()
        .filter(|finding| !allowed.contains(&finding.rule))
        .partition(|finding| checks == Checks::Strict && !finding.advisory);
    if !refused.is_empty() {
        return Err(ValidationError::new(refused).with_warnings(warnings));
    }
    for warning in &warnings {
        tracing::warn!(
            rule = warning.rule,
            path = %warning.path,
            advisory = warning.advisory,
            "{}",
            warning.message
        );
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::FieldPath;

    fn findings() -> Vec<Violation> {
        vec![
            Violation::new(&FieldPath::Root.field("A"), "rule-a", "refused"),
            Violation::advisory(&FieldPath::Root.field("B"), "rule-b", "advised"),
            Violation::new(&FieldPath::Root.field("C"), "rule-c", "allowed"),
        ]
    }

    fn rules(found: &[Violation]) -> Vec<&'static str> {
        found.iter().map(|finding| finding.rule).collect()
    }

    #[test]
    fn strict_refuses_what_is_not_advisory_and_keeps_the_rest_as_warnings() {
        let error = sort_findings(Checks::Strict, &[], findings()).expect_err("refused");
        assert_eq!(rules(error.violations()), ["rule-a", "rule-c"]);
        assert_eq!(rules(error.warnings()), ["rule-b"]);
    }

    #[test]
    fn warn_refuses_nothing_and_allowed_rules_are_neither_refused_nor_reported() {
        let warned = sort_findings(Checks::Warn, &["rule-c"], findings()).expect("sent");
        assert_eq!(rules(&warned), ["rule-a", "rule-b"]);
        let allowed =
            sort_findings(Checks::Strict, &["rule-a", "rule-c"], findings()).expect("sent");
        assert_eq!(rules(&allowed), ["rule-b"]);
    }
}
