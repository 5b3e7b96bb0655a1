//! The intermediate representation: the API as the emitter and api-diff see it. Plain data,
//! built by the rest of this module and named by the naming stage.

use std::ops::{Index, IndexMut};

/// A type's place in [`Model::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A field's place in its struct's [`StructDef::fields`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldId(pub usize);

impl Index<TypeId> for Vec<TypeDef> {
    type Output = TypeDef;
    fn index(&self, id: TypeId) -> &TypeDef {
        &self[id.0]
    }
}

impl IndexMut<TypeId> for Vec<TypeDef> {
    fn index_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self[id.0]
    }
}

impl Index<FieldId> for Vec<Field> {
    type Output = Field;
    fn index(&self, id: FieldId) -> &Field {
        &self[id.0]
    }
}

/// A Rust identifier chosen by the naming stage for something the spec names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RustName {
    /// The identifier as it appears in code, including an `r#` prefix for keywords.
    pub ident: String,
    /// Whether serde needs `#[serde(rename = "...")]` to keep the wire name.
    pub needs_rename: bool,
}

impl RustName {
    /// The identifier without a raw prefix, for building derived names like `with_type`.
    pub fn bare(&self) -> &str {
        self.ident.strip_prefix("r#").unwrap_or(&self.ident)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The spec file, as named in generated headers.
    pub spec_file: String,
    /// The generated crate's package name: `x-zego-crate`, or `zego-` and the root file's stem.
    pub crate_name: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The spec's `servers`, in order; the first is the client's default.
    pub servers: Vec<Server>,
    /// `x-zego-return-codes`: every `Code` the service documents, but 0 (success).
    pub return_codes: Vec<ReturnCode>,
    /// `x-zego-exception-codes`: the codes of the product's exception callback (their retry
    /// advice does not apply: nothing is called again).
    pub exception_codes: Vec<ReturnCode>,
    /// `x-zego-callbacks`: the callbacks the product sends, when the spec describes them.
    pub callbacks: Option<Callbacks>,
    /// `x-zego-handwritten`: the folder of hand-written sources copied into the crate,
    /// relative to the spec's root file.
    pub handwritten: Option<String>,
    /// `x-zego-login-tokens: true`: the product's clients log in with a Token04, so the crate
    /// re-exports the token crate as `token`.
    pub login_tokens: bool,
    /// Every rule id the client can report, once each, in spec order.
    pub rule_ids: Vec<RuleId>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
}

/// One of the spec's `servers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// An absolute `http`/`https` URL without variables.
    pub url: String,
    pub description: Option<String>,
    /// `x-zego-region`: the name of the `Region` variant that picks this host.
    pub region: Option<String>,
    /// That variant's Rust name; empty until the naming stage sets it.
    pub region_variant: String,
}

/// The callbacks a product sends (`x-zego-callbacks`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callbacks {
    pub secret: CallbackSecret,
    /// What the pages call the secret, in our words.
    pub secret_note: Option<String>,
    /// The product's signed fields (an event may have its own).
    pub signature: SignedFieldNames,
    /// Fields the pages say arrive URL-encoded.
    pub url_encoded: Vec<String>,
    /// The field naming the event (an event may have its own).
    pub discriminator: String,
    /// How ZEGOCLOUD delivers again, in our words.
    pub redelivery: Option<String>,
    /// What the receiver answers, in our words.
    pub answer: Option<String>,
    pub events: Vec<CallbackEvent>,
}

/// Which secret signs a product's callbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackSecret {
    /// The callback secret set in the console for callbacks.
    CallbackSecret,
    /// The AppId's ServerSecret.
    ServerSecret,
    /// The pages do not settle it.
    Unknown,
}

/// How one product (or one event) spells the fields its signature covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedFieldNames {
    pub signature: String,
    pub timestamp: String,
    pub nonce: String,
}

/// One event a product sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackEvent {
    /// Our name, as the spec gives it.
    pub name: String,
    /// The Rust variant name; empty until the naming stage sets it.
    pub variant: String,
    /// The discriminator's value for this event.
    pub value: EventValue,
    /// Other values a page shows for it, accepted as it (`also-values`).
    pub also_values: Vec<EventValue>,
    pub page: String,
    pub description: String,
    pub deprecated: bool,
    /// The field naming the event (the product's, or the event's own).
    pub discriminator: String,
    /// The fields its signature covers (the product's, or the event's own).
    pub signature: SignedFieldNames,
    /// The body's type.
    pub body: TypeId,
    /// The answer's type, when the answer carries data.
    pub answer: Option<TypeId>,
    /// How soon the answer must arrive, in milliseconds.
    pub answer_deadline_ms: Option<u64>,
    pub note: Option<String>,
    /// The page's example body.
    pub example: Option<String>,
}

impl CallbackEvent {
    /// Every value that names the event: its own first, then those accepted as it.
    pub fn values(&self) -> impl Iterator<Item = &EventValue> {
        std::iter::once(&self.value).chain(&self.also_values)
    }
}

/// A discriminator's value: text (`room_create`) or a number (Cloud Player's `EventType`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventValue {
    Text(String),
    Number(i64),
}

/// One documented return code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnCode {
    pub code: i64,
    /// The variant name, as the spec gives it.
    pub name: String,
    /// The Rust variant name; empty until the naming stage sets it.
    pub variant: String,
    pub description: String,
    pub retry: CodeRetry,
    /// `answered-before-acting`: the code is answered before the service acts on the request
    /// (a throttled or unauthenticated call), so repeating the call cannot do anything twice.
    pub answered_before_acting: bool,
    /// `invalid-parameter`: the code the service answers a request with invalid parameters
    /// with; the mock server answers it.
    pub invalid_parameter: bool,
    /// `resets-after-seconds`: the code says a cap counted over this long a window is used
    /// up; trying again before the window has passed cannot succeed, so it is never retried.
    pub resets_after_seconds: Option<u64>,
    /// `x-zego-note`: where the sources disagree or are unclear about the code.
    pub note: Option<String>,
}

/// A documented call limit (`x-zego-call-limits`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CallLimit {
    /// `app`, `room`, `group` or `test-environment`.
    pub scope: String,
    pub count: u32,
    /// `calls`, or `messages` (the messages a call asks for).
    pub counts: String,
    pub window_seconds: u64,
    /// For a `room` or `group` limit: the request's field holding the room's or group's id
    /// (its wire name), whose value keys the budget.
    #[serde(default)]
    pub key: Option<String>,
}

/// Whether trying again can help, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRetry {
    Never,
    AfterBackoff,
    WithNewSignature,
}

impl Model {
    /// The field a path step lands on.
    ///
    /// # Panics
    /// When the step does not come from this model (the model stage builds steps only to
    /// struct fields that exist).
    pub fn field(&self, step: PathStep) -> &Field {
        match &self.types[step.owner].kind {
            TypeKind::Struct(definition) => &definition.fields[step.field],
            TypeKind::Enum(_) | TypeKind::Union(_) => {
                panic!("path step into an enum or a union: {step:?}")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The schema's name as written in the spec (component key, `x-zego-type-name`, or the
    /// field it was declared inline on).
    pub source_name: String,
    /// The Rust type name; empty until the naming stage sets it.
    pub name: String,
    pub pointer: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(StructDef),
    Enum(EnumDef),
    Union(UnionDef),
}

/// `oneOf`/`anyOf`: a value that is one of several alternatives.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    /// `oneOf` (exactly one alternative describes a value) or `anyOf` (one or more may).
    pub exclusive: bool,
    pub variants: Vec<UnionVariant>,
    /// Whether a value's shape says which alternative it is: every alternative has a test
    /// ([`VariantTest`]) that no other alternative's values pass. When not, the value is kept
    /// whole and read as an alternative on request.
    pub decidable: bool,
    /// Where the union is used: requests get checks and redaction.
    pub usage: Usage,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The alternative's name in the spec (its type's name, or its kind: `Text`, `Integer`).
    pub source_name: String,
    /// The Rust variant name; empty until the naming stage sets it.
    pub name: String,
    /// The snake-case form, for the `as_…`/`to_…` methods; set by naming.
    pub accessor: String,
    pub ty: FieldType,
    /// The alternative's own bounds (`maxLength` on a string alternative).
    pub constraints: Constraints,
    pub test: VariantTest,
}

/// What a JSON value must look like to be read as one alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariantTest {
    /// An object with at least one of these keys, which no other alternative declares.
    ObjectWithKey(Vec<String>),
    /// Any object (the only object alternative).
    Object,
    String,
    Integer,
    Number,
    Boolean,
    Array,
    /// Nothing tells this alternative apart.
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub fields: Vec<Field>,
    pub rules: Vec<Rule>,
    pub notes: Vec<String>,
    pub usage: Usage,
    /// Set on response schemas that carry the common result envelope.
    pub envelope: Option<Envelope>,
    /// `x-zego-deprecated-constructor`: why the positional `new` is deprecated, and what to
    /// use instead.
    pub deprecated_constructor: Option<String>,
    /// `x-zego-partial-failures`: the list fields that name the items a call failed for while
    /// it succeeded for the others (`Code` 0).
    pub partial_failures: Vec<FieldId>,
}

/// Where a type is reachable from: request bodies, responses, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub request: bool,
    pub response: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    /// The Rust field name; empty until the naming stage sets it.
    pub name: RustName,
    pub pointer: String,
    pub doc: Option<String>,
    pub note: Option<String>,
    pub ty: FieldType,
    pub required: bool,
    pub default: Option<Literal>,
    pub constraints: Constraints,
    /// `format: password`: a credential that must never be printed.
    pub sensitive: bool,
    /// The struct's items for this field; empty until the naming stage sets them.
    pub accessors: Accessors,
    /// `x-zego-field-name`: the name the Rust field takes instead of one from its wire name.
    pub spec_name: Option<String>,
}

/// The names of the items a generated struct has for one of its fields, besides the field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accessors {
    /// `with_{field}`, the builder-style setter.
    pub setter: String,
    /// `DEFAULT_{FIELD}`, the documented default, for a field that has one.
    pub default_const: Option<String>,
    /// `{field}_or_default`, the value the service sees, for an optional field with a default.
    pub default_getter: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    String,
    Integer(IntFormat),
    Number(NumberFormat),
    Boolean,
    Array {
        items: Box<FieldType>,
        item_constraints: Constraints,
    },
    Named(TypeId),
    /// An object with no `properties` (`additionalProperties` absent or `true`): any JSON
    /// object, kept whole.
    FreeForm,
    /// An object with no `properties` whose `additionalProperties` is a schema: a map from
    /// keys to values of that schema.
    Map(Box<FieldType>),
    /// A schema that constrains nothing (no `type`): any JSON value.
    Any,
}

/// The `format` of a `type: number`. Every one is held as an `f64` (which holds a `float`
/// exactly); whole numbers are sent without a fraction, as services that read an integer
/// expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFormat {
    Unspecified,
    Float,
    Double,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntFormat {
    Int32,
    Int64,
    Uint32,
    /// No `format`: the generator uses a 64-bit signed integer, which holds any JSON integer
    /// the service documents.
    Unspecified,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    /// `minimum`/`maximum` of a `number` field (they may have a fraction).
    pub number_minimum: Option<f64>,
    pub number_maximum: Option<f64>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// `uniqueItems` of an array.
    pub unique_items: bool,
}

impl Constraints {
    /// The four kinds of bound, each as its lower and upper limit: the one place that pairs
    /// `minimum` with `maximum` (of an integer, and of a number), `minLength` with
    /// `maxLength`, `minItems` with `maxItems`.
    pub fn bounds(&self) -> [Bound; 4] {
        let count = |value: Option<usize>| {
            value.map(|v| Limit::Integer(i64::try_from(v).unwrap_or(i64::MAX)))
        };
        [
            Bound {
                low: self.minimum.map(Limit::Integer),
                high: self.maximum.map(Limit::Integer),
                keywords: ("minimum", "maximum"),
                label: "Range",
                unit: "",
            },
            Bound {
                low: self.number_minimum.map(Limit::Number),
                high: self.number_maximum.map(Limit::Number),
                keywords: ("minimum", "maximum"),
                label: "Range",
                unit: "",
            },
            Bound {
                low: count(self.min_length),
                high: count(self.max_length),
                keywords: ("minLength", "maxLength"),
                label: "Length",
                unit: " characters",
            },
            Bound {
                low: count(self.min_items),
                high: count(self.max_items),
                keywords: ("minItems", "maxItems"),
                label: "Items",
                unit: "",
            },
        ]
    }
}

/// A lower and upper limit of one kind (see [`Constraints::bounds`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub low: Option<Limit>,
    pub high: Option<Limit>,
    /// The OpenAPI keywords of the two limits.
    pub keywords: (&'static str, &'static str),
    /// How documentation names the bound, e.g. `Range`.
    pub label: &'static str,
    /// The unit documentation puts after a limit, e.g. ` characters`.
    pub unit: &'static str,
}

/// One end of a bound: a count or an integer, or a `number` field's limit (which may have a
/// fraction).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    Integer(i64),
    Number(f64),
}

impl PartialOrd for Limit {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Limit::Integer(a), Limit::Integer(b)) => Some(a.cmp(b)),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

impl Limit {
    #[allow(
        clippy::cast_precision_loss,
        reason = "only to order an integer against a number"
    )]
    fn as_f64(self) -> f64 {
        match self {
            Limit::Integer(value) => value as f64,
            Limit::Number(value) => value,
        }
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::Integer(value) => write!(f, "{value}"),
            Limit::Number(value) => write!(f, "{value}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Literal {
    Int(i64),
    Str(String),
    Bool(bool),
    /// A `number` default as its `f64`'s `Debug` text (`0.5`, `10.0`): it parses back to
    /// the same finite value, and keeps `Literal` comparable (`Eq`, `Ord`), which `f64` is not.
    Number(String),
}

impl std::fmt::Display for Literal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Int(value) => write!(f, "{value}"),
            Self::Str(value) => write!(f, "{value:?}"),
            Self::Bool(value) => write!(f, "{value}"),
            Self::Number(value) => f.write_str(value),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub repr: EnumRepr,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    Integer,
    String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub value: Literal,
    /// From `x-enum-varnames`, if the spec names the variant.
    pub spec_name: Option<String>,
    /// The Rust variant name; empty until the naming stage sets it.
    pub name: RustName,
    pub doc: Option<String>,
}

/// A cross-field rule from `x-zego-rules`, with its paths resolved to fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    /// Where the rule is written, for errors about it.
    pub pointer: String,
    pub description: String,
    pub grade: Grade,
    /// The documentation's own words for the rule.
    pub source: Option<String>,
    pub when: Vec<Condition>,
    pub then: Vec<Assertion>,
}

/// How a rule's source words it: whether the service refuses a request that breaks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    /// The documentation says an error is returned, or a value leaves a documented range.
    Rejected,
    /// The documentation only says a setting takes effect under a condition, or is not
    /// supported; the service may well accept the request.
    Advisory,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The field's effective value (explicit, else its default) is one of `values`.
    OneOf {
        path: FieldPath,
        values: Vec<Literal>,
    },
    /// Some item of the array satisfies the condition (relative to the item).
    Any {
        array: FieldPath,
        item: Box<Condition>,
    },
    /// The field is set.
    Present(FieldPath),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Assertion {
    Holds(Condition),
    Present(FieldPath),
    /// The array is set and holds at least one item (not checked when its parent is absent).
    NotEmpty(FieldPath),
    ProductAtMost {
        factors: [FieldPath; 2],
        maximum: i64,
    },
    LessOrEqual {
        left: FieldPath,
        right: FieldPath,
    },
    GreaterThan {
        left: FieldPath,
        right: FieldPath,
    },
    /// In every item of `array`, `item_field` (relative to the item) is at most `bound`
    /// (relative to the rule's owner); each item that breaks it is reported at its index.
    EachAtMost {
        array: FieldPath,
        item_field: FieldPath,
        bound: FieldPath,
    },
    /// The field's value (its default when not set) is at most `maximum`.
    AtMost {
        path: FieldPath,
        maximum: i64,
    },
    DifferenceAtMost {
        minuend: FieldPath,
        subtrahend: FieldPath,
        maximum: i64,
    },
    CountAtMost {
        array: FieldPath,
        item: Condition,
        maximum: i64,
    },
}

/// A dotted path from a struct to one of its (possibly nested) fields.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    /// As written in the spec, e.g. `MixConfig.MixOutputVideoConfig`.
    pub wire: String,
    pub steps: Vec<PathStep>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathStep {
    pub owner: TypeId,
    pub field: FieldId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub code: FieldId,
    pub message: FieldId,
    /// `RequestId`; `None` for the few replies that carry none (ZIM's audio licence).
    pub request_id: Option<FieldId>,
    /// Where the action's data is.
    pub data: EnvelopeData,
}

/// Where a reply's data sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeData {
    /// In one field (`Data`).
    Field(FieldId),
    /// Beside `Code`, `Message` and `RequestId` (many of ZIM's replies): the reply itself is
    /// the data.
    Beside,
    /// Nowhere: the action answers with nothing but the envelope.
    Nothing,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub operation_id: String,
    /// The `Client` method's name; empty until the naming stage sets it.
    pub method: String,
    /// The name of the operation's descriptor constant in `operations.rs`; set by naming.
    pub const_name: String,
    pub pointer: String,
    pub path: String,
    /// GET (the request's fields in the query) or POST (a JSON body).
    pub http_method: HttpMethod,
    /// The operation's own hosts (`servers` on the operation or its path item), without a
    /// trailing `/`; empty when it uses the document's.
    pub hosts: Vec<String>,
    /// The value of the `Action` query parameter.
    pub action: String,
    pub summary: Option<String>,
    pub doc: Option<String>,
    pub request: TypeId,
    pub response: TypeId,
    /// `x-zego-idempotency-key`: the request field that makes retries safe.
    pub idempotency_key: Option<FieldPath>,
    /// `x-zego-room-id`: the request field recorded as `room_id` on tracing spans.
    pub room_id: Option<FieldPath>,
    /// `x-zego-resource-id`: the request field that names what the action acts on.
    pub resource_id: Option<FieldPath>,
    /// `x-zego-rate-limit`: the documented limit, in calls per second.
    pub rate_limit: Option<u32>,
    /// `x-zego-call-limits`: documented limits the client does not keep yet (per room, per
    /// group, over hours, counted in messages); written on the method.
    pub call_limits: Vec<CallLimit>,
    /// `x-zego-codes`: the product's codes the action's page lists for it, in that order.
    pub documented_codes: Vec<i64>,
    /// `x-zego-safe-to-retry`: a read-only action, retried without an idempotency key.
    pub safe_to_retry: bool,
    /// `x-zego-task-preconditions`, documented on the client method.
    pub preconditions: Vec<Precondition>,
    /// `x-zego-clock-rules`: checks of the request against the current time.
    pub clock_rules: Vec<ClockRule>,
}

/// How an operation's request travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// A check that needs the current time, which a schema-only `validate()` does not have: the
/// client runs it with the clock it signs with.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockRule {
    pub id: String,
    pub pointer: String,
    pub description: String,
    pub grade: Grade,
    pub source: Option<String>,
    /// An integer field holding Unix milliseconds.
    pub field: FieldPath,
    /// How far before the current time the field may lie, in milliseconds.
    pub max_age_ms: i64,
}

/// The id of a check the generated client can report (a rule, precondition or clock rule),
/// with the Rust constant that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleId {
    pub id: String,
    pub description: String,
    /// Where the id is first written.
    pub pointer: String,
    /// The constant's Rust name; empty until the naming stage sets it.
    pub const_name: String,
}

/// What the documentation says the target task of an action must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Precondition {
    pub id: String,
    /// Where the precondition is written, for errors about it.
    pub pointer: String,
    /// Whether the documentation only advises (true) or documents an error (false).
    pub advisory: bool,
    pub description: String,
    pub source: String,
}

/// Names of the common signing parameters and the wire names the client sends for them.
/// The runtime signs with exactly these names, so the spec must agree with it.
pub const COMMON_PARAMETERS: [(&str, &str); 6] = [
    ("action", "Action"),
    ("app-id", "AppId"),
    ("signature-nonce", "SignatureNonce"),
    ("timestamp", "Timestamp"),
    ("signature-version", "SignatureVersion"),
    ("signature", "Signature"),
];
