//! How `number` fields go on the wire: a whole number without a fraction (`10`, not `10.0`).
//!
//! OpenAPI's `number` admits both spellings, but ZEGOCLOUD types many integer settings
//! `number`, and a service that reads an integer refuses `10.0`. Sending whole values as
//! integers is valid for every `number` field and right for those services.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// The largest whole `f64` that is still exact as an integer.
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

/// Values made of `f64`s: a number, an optional one, a list or a map of them.
pub trait WholeNumbers {
    /// Writes the value with every whole number as an integer.
    fn serialize_whole<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl WholeNumbers for f64 {
    fn serialize_whole<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_finite() && self.fract() == 0.0 && self.abs() < EXACT_INTEGER_LIMIT {
            #[allow(clippy::cast_possible_truncation, reason = "whole and within ±2^53")]
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
            r#"{"one":9007199254740992.0,"maybe":null,"many":[]}"#
        );
    }
}
