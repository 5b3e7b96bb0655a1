//! `cargo xtask api-diff`: what a spec change does to the generated crate's Rust API and to
//! the wire, classified as breaking or compatible, with the semver bump it implies.
//!
//! It compares two models (the generator's IR, after naming), so it sees exactly what the
//! generator will emit: types, fields (type, format, required-ness, default, ranges,
//! `uniqueItems`, wire name, credential flag), enum values, cross-field rules, operations
//! (endpoint, HTTP method, hosts, rate limit), the hosts and regions, and the return codes. [`compare`] finds
//! typed [`Change`]s and classifies them; [`render`] turns a [`Report`] into Markdown.

mod compare;
mod render;

use crate::model::{CodeRetry, Grade, Limit, Literal};

pub use compare::compare;

/// How a change affects downstream Rust code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled and worked may stop doing so.
    Breaking,
    /// Something new; existing code keeps compiling and working.
    Addition,
    /// No effect on the Rust API (documentation, behaviour on the wire only).
    None,
}

/// What a change does on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireImpact {
    /// The same verdict as for the Rust API; nothing more to say.
    AsRust,
    /// Requests or responses that worked stop working (a renamed field, a moved endpoint).
    Breaking,
    /// Everything that worked keeps working.
    Compatible,
    /// An effect already covered by the Rust verdict, worth describing.
    Described,
    /// Nothing changes on the wire.
    Unchanged,
}

/// Whether a type travels in requests (validated, sent) or only in responses (decoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Request,
    Response,
}

/// The API element a change is about, by the names a reader knows it by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    Type(String),
    /// A field of a struct: the struct's Rust name and the field's wire or Rust name.
    Field {
        owner: String,
        field: String,
    },
    Rule {
        owner: String,
        id: String,
    },
    Enum(String),
    Operation(String),
    /// The host requests go to without a region or base URL (the first of `servers`).
    DefaultHost,
    /// A `Region` variant, by the region's name in the spec.
    Region(String),
    /// A documented `Code`, a variant of `ApiCode`.
    ReturnCode(i64),
    /// A code of the exception callback, a variant of `ExceptionCode`.
    ExceptionCode(i64),
    /// A callback event, a variant of `callbacks::Event`, by its name in the spec.
    CallbackEvent(String),
}

/// What changed, with the values before and after.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeKind {
    TypeRemoved,
    TypeAdded,
    /// A type changed between object and enum.
    KindChanged,
    /// A union's alternatives, or whether their shapes tell them apart, changed.
    AlternativesChanged,
    FieldRemoved(Flow),
    FieldAdded {
        required: bool,
        flow: Flow,
    },
    WireNameChanged {
        from: String,
        to: String,
    },
    FieldTypeChanged {
        from: String,
        to: String,
    },
    BecameRequired(Flow),
    BecameOptional,
    Credential {
        now: bool,
    },
    DefaultChanged {
        from: Literal,
        to: Literal,
    },
    DefaultAdded(Literal),
    DefaultRemoved(Literal),
    Bound {
        keyword: &'static str,
        from: Option<Limit>,
        to: Option<Limit>,
        narrowed: bool,
        flow: Flow,
    },
    /// `uniqueItems` set (`now`) or dropped.
    UniqueItems {
        now: bool,
        flow: Flow,
    },
    /// A `number` field's `format` (the Rust type is `f64` for each).
    NumberFormatChanged {
        from: String,
        to: String,
    },
    RuleGradeChanged {
        from: Grade,
        to: Grade,
    },
    RuleRemoved,
    RuleChanged,
    RuleAdded {
        description: String,
        grade: Grade,
    },
    VariantRemoved {
        value: Literal,
        variant: String,
    },
    VariantRenamed {
        value: Literal,
        from: String,
        to: String,
    },
    VariantAdded {
        value: Literal,
        variant: String,
    },
    OperationRemoved {
        method: String,
    },
    OperationAdded {
        method: String,
    },
    EndpointChanged {
        from: (String, String),
        to: (String, String),
    },
    SignatureChanged {
        method: String,
    },
    IdempotencyKeyChanged,
    /// GET (the request in the query) or POST (a JSON body).
    HttpMethodChanged {
        from: String,
        to: String,
    },
    /// The action's own hosts.
    HostsChanged {
        removed: Vec<String>,
        added: Vec<String>,
    },
    /// `x-zego-rate-limit`, in calls per second.
    RateLimitChanged {
        from: Option<u32>,
        to: Option<u32>,
    },
    DefaultHostChanged {
        from: String,
        to: String,
    },
    RegionRemoved {
        variant: String,
    },
    RegionAdded {
        variant: String,
    },
    RegionHostChanged {
        from: String,
        to: String,
    },
    /// A variant of an open enum of codes or events (`of`: `ApiCode`, `ExceptionCode`,
    /// `callbacks::Event`) goes; its value then decodes as `Unknown`.
    ReturnCodeRemoved {
        of: &'static str,
        variant: String,
    },
    ReturnCodeAdded {
        of: &'static str,
        variant: String,
    },
    ReturnCodeRenamed {
        from: String,
        to: String,
    },
    ReturnCodeRetryChanged {
        from: CodeRetry,
        to: CodeRetry,
    },
}

/// One classified change.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub subject: Subject,
    pub kind: ChangeKind,
    pub rust: Impact,
    pub wire: WireImpact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bump {
    Major,
    Minor,
    Patch,
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub base_version: String,
    pub current_version: String,
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether downstream Rust code may break.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.rust == Impact::Breaking)
    }

    /// Whether what goes over the wire changes incompatibly while the Rust API does not
    /// (a renamed wire field, a moved endpoint).
    pub fn breaks_the_wire(&self) -> bool {
        self.changes.iter().any(|c| c.wire == WireImpact::Breaking)
    }

    /// The semver bump the changes need for the generated crate.
    pub fn required_bump(&self) -> Bump {
        if self.is_breaking() {
            Bump::Major
        } else if self.changes.iter().any(|c| c.rust == Impact::Addition) {
            Bump::Minor
        } else if self.changes.is_empty() {
            Bump::None
        } else {
            Bump::Patch
        }
    }

    /// Whether `current_version` is a large enough step from `base_version`. Versions that
    /// are not `major.minor.patch` are compared as text and only need to differ.
    pub fn version_is_enough(&self) -> bool {
        let (Some(base), Some(current)) =
            (semver(&self.base_version), semver(&self.current_version))
        else {
            return self.required_bump() == Bump::None || self.base_version != self.current_version;
        };
        let bumped_major = current.0 > base.0 || (base.0 == 0 && current.1 > base.1);
        let bumped_minor = bumped_major || current > base;
        match self.required_bump() {
            Bump::Major => bumped_major,
            Bump::Minor | Bump::Patch => bumped_minor,
            Bump::None => true,
        }
    }

    /// The version the change needs at least.
    pub fn suggested_version(&self) -> String {
        let Some((major, minor, patch)) = semver(&self.base_version) else {
            return "a new version".to_owned();
        };
        match self.required_bump() {
            Bump::Major if major == 0 => format!("0.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::None => self.base_version.clone(),
        }
    }

    /// The report as Markdown for a pull-request comment.
    pub fn to_markdown(&self, base_label: &str) -> String {
        render::markdown(self, base_label)
    }
}

fn semver(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.split(['.', '-', '+']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let patch = parts.next()?.parse().ok()?;
    Some((major, minor, patch))
}
