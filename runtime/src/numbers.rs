//! How `number` fields go on the wire: a whole number without a fraction (`10`, not `10.0`).
//!
//! OpenAPI's `number` admits both spellings, but ZEGOCLOUD types many integer settings
//! `number`, and a service that reads an integer refuses `10.0`. Sending whole values as
//! integers is valid for every `number` field and right for those services.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// 2^63: every `f64` below it in magnitude with no fraction is exactly an `i64` (from 2^53
/// on every `f64` is whole).
const I64_LIMIT: f64 = 9_223_372_036_854_775_808.0;

/// Values made of `f64`s: a number, an optional one, a list or a map of them.
pub trait WholeNumbers {
    /// Writes the value with every whole number as an integer.
    fn serialize_whole<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl WholeNumbers for f64 {
    fn serialize_whole<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !self.is_finite() {
            // serde_json would write `null`: a value the caller did not mean, sent silently.
            return Err(serde::ser::Error::custom(format!(
                "a `number` must be finite, got {self}: JSON has no NaN or infinity"
            )));
        }
        if self.fract() == 0.0 && self.abs() < I64_LIMIT {
            #[allow(clippy::cast_possible_truncation, reason = "whole and within ±2^63")]
            return serializer.serialize_i64(*self as i64);
        }
        serializer.serialize_f64(*self)
    }
}

impl<T: WholeNumbers> WholeNumbers for Option<T> {
    fn serialize_whole<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => value.serialize_whole(serializer),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: WholeNumbers> WholeNumbers for Vec<T> {
    fn serialize_whole<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for item in self {
            seq.serialize_element(&Whole(item))?;
        }
        seq.end()
    }
}

impl<T: WholeNumbers> WholeNumbers for std::collections::BTreeMap<String, T> {
    fn serialize_whole<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self {
            map.serialize_entry(key, &Whole(value))?;
        }
        map.end()
    }
}

struct Whole<'a, T>(&'a T);

impl<T: WholeNumbers> Serialize for Whole<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_whole(serializer)
    }
}

/// For `#[serde(serialize_with = "...")]` on a field holding `f64`s.
///
/// # Errors
/// The serializer's.
pub fn serialize_whole_numbers<T: WholeNumbers, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.serialize_whole(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Sample {
        #[serde(serialize_with = "serialize_whole_numbers")]
        one: f64,
        #[serde(serialize_with = "serialize_whole_numbers")]
        maybe: Option<f64>,
        #[serde(serialize_with = "serialize_whole_numbers")]
        many: Vec<f64>,
    }

    #[test]
    fn whole_numbers_have_no_fraction_and_others_keep_theirs() {
        let sample = Sample {
            one: 10.0,
            maybe: Some(0.7),
            many: vec![-3.0, 2.5, 1e300],
        };
        let text = serde_json::to_string(&sample).expect("serializes");
        assert_eq!(text, r#"{"one":10,"maybe":0.7,"many":[-3,2.5,1e+300]}"#);
        let none = Sample {
            one: 9_007_199_254_740_993.0,
            maybe: None,
            many: Vec::new(),
        };
        assert_eq!(
            serde_json::to_string(&none).expect("serializes"),
            r#"{"one":9007199254740992,"maybe":null,"many":[]}"#
        );
    }

    #[test]
    fn a_number_that_is_not_finite_is_an_error_not_a_null() {
        for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let sample = Sample {
                one: 1.0,
                maybe: None,
                many: vec![value],
            };
            let error = serde_json::to_string(&sample).expect_err("refused");
            assert!(error.to_string().contains("must be finite"), "{error}");
        }
        let huge = Sample {
            one: 1e300,
            maybe: Some(-9.0e18),
            many: Vec::new(),
        };
        assert_eq!(
            serde_json::to_string(&huge).expect("serializes"),
            r#"{"one":1e+300,"maybe":-9000000000000000000,"many":[]}"#
        );
    }
}
