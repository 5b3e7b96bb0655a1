//! A small API for the runtime's own tests: return codes, a product description and a
//! request type, standing in for what a generated crate provides.

use std::fmt;

use crate::api::{ReturnCode, ServerApi};
use crate::client::{Client, RequestInfo};
use crate::error::CodeRetry;
use crate::sensitive::{Redact, SensitiveString};
use crate::validation::{FieldPath, Validate, Violation};

/// Codes: 1 transient and answered before acting, 2 transient, anything else final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TestCode(pub i64);

impl fmt::Display for TestCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "code {}", self.0)
    }
}

impl ReturnCode for TestCode {
    fn from_wire_value(value: i64) -> Self {
        Self(value)
    }

    fn wire_value(self) -> i64 {
        self.0
    }

    fn retry(self) -> CodeRetry {
        match self.0 {
            1 | 2 => CodeRetry::AfterBackoff,
            _ => CodeRetry::Never,
        }
    }

    fn answered_before_acting(self) -> bool {
        self.0 == 1
    }
}

/// The test API: its client is the runtime's own.
#[derive(Debug)]
pub struct TestApi;

impl ServerApi for TestApi {
    type Code = TestCode;
    type Client = Client<TestApi>;
    const DEFAULT_BASE_URL: &'static str = "https://test.example.invalid";
    const USER_AGENT: &'static str = "runtime-tests/0";
    const RULE_IDS: &'static [&'static str] = &["test-rule"];
}

/// A request with a number (negative is refused by `probe-negative`) and a credential.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Probe {
    value: i64,
    secret: SensitiveString,
}

impl Probe {
    pub fn new(value: i64) -> Self {
        Self {
            value,
            secret: "probe-secret".into(),
        }
    }
}

impl Validate for Probe {
    fn collect_violations(&self, at: &FieldPath<'_>, out: &mut Vec<Violation>) {
        if self.value < 0 {
            out.push(Violation::new(
                &at.field("value"),
                "probe-negative",
                "must not be negative",
            ));
        }
    }
}

impl Redact for Probe {
    fn redact(&mut self) {
        self.secret.redact();
    }
}

impl RequestInfo for Probe {}
