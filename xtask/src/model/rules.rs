//! Cross-field rules (`x-zego-rules`): parsed from the spec and resolved to field paths, with
//! the literals they compare checked against the fields' types.

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::pointer_join;

use super::ir::{
    Assertion, Condition, Field, FieldId, FieldPath, FieldType, Grade, Literal, PathStep, Rule,
    TypeId, TypeKind,
};
use super::{Builder, LeafKind};

impl Builder<'_> {
    pub(super) fn resolve_rules(&mut self) {
        let raw_rules = std::mem::take(&mut self.raw_rules);
        for (owner, pointer, rules) in raw_rules {
            let mut resolved = Vec::new();
            let mut ids: Vec<String> = Vec::new();
            for (index, raw) in rules.into_iter().enumerate() {
                let rule_pointer = pointer_join(&pointer, &index.to_string());
                if ids.contains(&raw.id) {
                    self.reporter.at_pointer(
                        &pointer_join(&rule_pointer, "id"),
                        format!("duplicate rule id `{}`", raw.id),
                    );
                }
                ids.push(raw.id.clone());
                if let Some(rule) = self.rule(owner, raw, &rule_pointer) {
                    resolved.push(rule);
                }
            }
            if let TypeKind::Struct(definition) = &mut self.types[owner].kind {
                definition.rules = resolved;
            }
        }
    }

    pub(super) fn rule(&mut self, owner: TypeId, raw: RawRule, pointer: &str) -> Option<Rule> {
        if raw.then.is_empty() {
            self.reporter.at_pointer(
                &pointer_join(pointer, "then"),
                "a rule needs at least one assertion",
            );
        }
        let mut when = Vec::new();
        for (index, condition) in raw.when.iter().enumerate() {
            let at = pointer_join(&pointer_join(pointer, "when"), &index.to_string());
            when.push(self.condition(owner, condition, &at));
        }
        let mut then = Vec::new();
        for (index, assertion) in raw.then.iter().enumerate() {
            let at = pointer_join(&pointer_join(pointer, "then"), &index.to_string());
            then.push(self.assertion(owner, assertion, &at));
        }
        let grade = self.grade(
            raw.grade.as_deref().unwrap_or("rejected"),
            pointer,
            "a rule",
        )?;
        Some(Rule {
            id: raw.id,
            pointer: pointer.to_owned(),
            description: raw.description,
            grade,
            source: raw.source,
            when: when
                .into_iter()
                .collect::<Option<Vec<_>>>()?
                .into_iter()
                .filter(|condition| !self.always_holds(condition))
                .collect(),
            then: then.into_iter().collect::<Option<_>>()?,
        })
    }

    /// A condition that every value meets: a required field (with required parents) is
    /// always present, so `present` on it says nothing.
    fn always_holds(&self, condition: &Condition) -> bool {
        match condition {
            Condition::Present(path) => path
                .steps
                .iter()
                .all(|step| self.struct_field(*step).is_some_and(|field| field.required)),
            _ => false,
        }
    }

    /// A rule's `grade` (`rejected` or `advisory`); a located error for anything else.
    /// `holder` names what carries it in the message (`a rule`, `a clock rule`).
    pub(super) fn grade(&mut self, text: &str, pointer: &str, holder: &str) -> Option<Grade> {
        match text {
            "rejected" => Some(Grade::Rejected),
            "advisory" => Some(Grade::Advisory),
            other => {
                self.reporter.at_pointer(
                    &pointer_join(pointer, "grade"),
                    format!("unknown grade `{other}`: {holder} is `rejected` or `advisory`"),
                );
                None
            }
        }
    }

    pub(super) fn condition(
        &mut self,
        owner: TypeId,
        raw: &RawCondition,
        pointer: &str,
    ) -> Option<Condition> {
        match raw {
            RawCondition::Compare {
                field,
                equals,
                one_of,
            } => {
                let path = self.path(owner, field, pointer)?;
                let literals = match (equals, one_of) {
                    (Some(value), None) => vec![value.clone()],
                    (None, Some(values)) if !values.is_empty() => values.clone(),
                    _ => {
                        self.reporter.at_pointer(
                            pointer,
                            "a condition needs exactly one of `equals` or a non-empty `in`",
                        );
                        return None;
                    }
                };
                let leaf = self.path_leaf(&path);
                let mut values = Vec::new();
                for value in &literals {
                    values.push(self.rule_literal(leaf.as_ref(), value, &path.wire, pointer)?);
                }
                Some(Condition::OneOf { path, values })
            }
            RawCondition::Present { present } => {
                Some(Condition::Present(self.path(owner, present, pointer)?))
            }
            RawCondition::Any { any, item } => {
                let (array, item_type) = self.array_path(owner, any, pointer)?;
                let item = self.condition(item_type, item, &pointer_join(pointer, "where"))?;
                Some(Condition::Any {
                    array,
                    item: Box::new(item),
                })
            }
        }
    }

    fn assertion(&mut self, owner: TypeId, raw: &RawAssertion, pointer: &str) -> Option<Assertion> {
        match raw {
            RawAssertion::Present { present } => {
                Some(Assertion::Present(self.path(owner, present, pointer)?))
            }
            RawAssertion::NotEmpty { not_empty } => {
                let path = self.path(owner, not_empty, pointer)?;
                let is_array = path
                    .steps
                    .last()
                    .and_then(|step| self.struct_field(*step))
                    .is_some_and(|field| matches!(field.ty, FieldType::Array { .. }));
                if !is_array {
                    self.reporter.at_pointer(
                        pointer,
                        format!("`{not_empty}` must be an array field for `not_empty`"),
                    );
                    return None;
                }
                Some(Assertion::NotEmpty(path))
            }
            RawAssertion::Product { product, maximum } => {
                let [a, b] = product;
                let a = self.integer_path(owner, a, pointer)?;
                let b = self.integer_path(owner, b, pointer)?;
                Some(Assertion::ProductAtMost {
                    factors: [a, b],
                    maximum: *maximum,
                })
            }
            RawAssertion::LessOrEqual {
                field,
                less_or_equal,
            } => Some(Assertion::LessOrEqual {
                left: self.integer_path(owner, field, pointer)?,
                right: self.integer_path(owner, less_or_equal, pointer)?,
            }),
            RawAssertion::GreaterThan {
                field,
                greater_than,
            } => Some(Assertion::GreaterThan {
                left: self.integer_path(owner, field, pointer)?,
                right: self.integer_path(owner, greater_than, pointer)?,
            }),
            RawAssertion::Each {
                each,
                field,
                less_or_equal,
            } => {
                let (array, item_type) = self.array_path(owner, each, pointer)?;
                Some(Assertion::EachAtMost {
                    array,
                    item_field: self.integer_path(item_type, field, pointer)?,
                    bound: self.integer_path(owner, less_or_equal, pointer)?,
                })
            }
            RawAssertion::AtMost { field, at_most } => Some(Assertion::AtMost {
                path: self.integer_path(owner, field, pointer)?,
                maximum: *at_most,
            }),
            RawAssertion::Difference {
                difference,
                maximum,
            } => {
                let [a, b] = difference;
                Some(Assertion::DifferenceAtMost {
                    minuend: self.integer_path(owner, a, pointer)?,
                    subtrahend: self.integer_path(owner, b, pointer)?,
                    maximum: *maximum,
                })
            }
            RawAssertion::Count {
                count,
                item,
                maximum,
            } => {
                let (array, item_type) = self.array_path(owner, count, pointer)?;
                let item = self.condition(item_type, item, &pointer_join(pointer, "where"))?;
                Some(Assertion::CountAtMost {
                    array,
                    item,
                    maximum: *maximum,
                })
            }
            RawAssertion::Holds(condition) => {
                Some(Assertion::Holds(self.condition(owner, condition, pointer)?))
            }
        }
    }

    fn rule_literal(
        &mut self,
        leaf: Option<&LeafKind>,
        value: &Value,
        wire: &str,
        pointer: &str,
    ) -> Option<Literal> {
        let literal = match (leaf, value) {
            (Some(LeafKind::Int | LeafKind::IntEnum(_)), Value::Number(n)) => {
                n.as_i64().map(Literal::Int)
            }
            (Some(LeafKind::Str | LeafKind::StrEnum(_)), Value::String(s)) => {
                Some(Literal::Str(s.clone()))
            }
            (Some(LeafKind::Bool), Value::Bool(b)) => Some(Literal::Bool(*b)),
            _ => None,
        };
        let valid = match (leaf, &literal) {
            (Some(LeafKind::IntEnum(id) | LeafKind::StrEnum(id)), Some(l)) => self.enum_has(*id, l),
            (_, Some(_)) => true,
            (_, None) => false,
        };
        if !valid {
            self.reporter.at_pointer(
                pointer,
                format!("rule value {value} cannot be compared with `{wire}` (wrong type or not an allowed value)"),
            );
            return None;
        }
        literal
    }

    fn path_leaf(&self, path: &FieldPath) -> Option<LeafKind> {
        let last = path.steps.last()?;
        self.leaf_kind(&self.struct_field(*last)?.ty)
    }

    pub(super) fn struct_field(&self, step: PathStep) -> Option<&Field> {
        match &self.types[step.owner].kind {
            TypeKind::Struct(definition) => definition.fields.get(step.field.0),
            TypeKind::Enum(_) | TypeKind::Union(_) => None,
        }
    }

    /// Resolves `A.B.C` from `owner`: every step but the last must be a (non-array) struct field.
    pub(super) fn path(&mut self, owner: TypeId, wire: &str, pointer: &str) -> Option<FieldPath> {
        let mut steps = Vec::new();
        let mut current = owner;
        let segments: Vec<&str> = wire.split('.').collect();
        for (index, segment) in segments.iter().enumerate() {
            let TypeKind::Struct(definition) = &self.types[current].kind else {
                self.reporter.at_pointer(
                    pointer,
                    format!("`{wire}`: `{segment}` is not inside an object"),
                );
                return None;
            };
            let Some(field_index) = definition
                .fields
                .iter()
                .position(|f| f.wire_name == *segment)
            else {
                self.reporter.at_pointer(
                    pointer,
                    format!(
                        "`{wire}`: `{}` has no field `{segment}`",
                        self.types[current].source_name
                    ),
                );
                return None;
            };
            steps.push(PathStep {
                owner: current,
                field: FieldId(field_index),
            });
            let is_last = index + 1 == segments.len();
            if is_last {
                break;
            }
            match &definition.fields[field_index].ty {
                FieldType::Named(next) if matches!(self.types[*next].kind, TypeKind::Struct(_)) => {
                    current = *next
                }
                _ => {
                    self.reporter.at_pointer(
                        pointer,
                        format!("`{wire}`: `{segment}` is not an object field, so the path cannot continue"),
                    );
                    return None;
                }
            }
        }
        Some(FieldPath {
            wire: wire.to_owned(),
            steps,
        })
    }

    pub(super) fn integer_path(
        &mut self,
        owner: TypeId,
        wire: &str,
        pointer: &str,
    ) -> Option<FieldPath> {
        let path = self.path(owner, wire, pointer)?;
        if matches!(self.path_leaf(&path), Some(LeafKind::Int)) {
            return Some(path);
        }
        self.reporter.at_pointer(
            pointer,
            format!("`{wire}` must be an integer field for this rule"),
        );
        None
    }

    fn array_path(
        &mut self,
        owner: TypeId,
        wire: &str,
        pointer: &str,
    ) -> Option<(FieldPath, TypeId)> {
        let path = self.path(owner, wire, pointer)?;
        let last = *path.steps.last()?;
        if let Some(Field {
            ty: FieldType::Array { items, .. },
            ..
        }) = self.struct_field(last)
        {
            if let FieldType::Named(item) = **items {
                if matches!(self.types[item].kind, TypeKind::Struct(_)) {
                    return Some((path, item));
                }
            }
        }
        self.reporter.at_pointer(
            pointer,
            format!("`{wire}` must be an array of objects for this rule"),
        );
        None
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    id: String,
    description: String,
    /// `rejected` (the default) or `advisory`.
    #[serde(default)]
    grade: Option<String>,
    /// The documentation's own words.
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    when: Vec<RawCondition>,
    then: Vec<RawAssertion>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub(super) enum RawCondition {
    Compare {
        field: String,
        equals: Option<Value>,
        #[serde(rename = "in")]
        one_of: Option<Vec<Value>>,
    },
    Any {
        any: String,
        #[serde(rename = "where")]
        item: Box<RawCondition>,
    },
    Present {
        present: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
enum RawAssertion {
    Present {
        present: String,
    },
    NotEmpty {
        not_empty: String,
    },
    Product {
        product: [String; 2],
        maximum: i64,
    },
    LessOrEqual {
        field: String,
        less_or_equal: String,
    },
    GreaterThan {
        field: String,
        greater_than: String,
    },
    AtMost {
        field: String,
        at_most: i64,
    },
    Each {
        each: String,
        field: String,
        less_or_equal: String,
    },
    Difference {
        difference: [String; 2],
        maximum: i64,
    },
    Count {
        count: String,
        #[serde(rename = "where")]
        item: RawCondition,
        maximum: i64,
    },
    Holds(RawCondition),
}
