//! A GET action's request, written into the URL's query, and read back from it.
//!
//! The request is serialized as JSON and flattened, each field under its wire name: a scalar
//! as `Name=value`; a list of scalars as one `Name=value` per item (ZEGOCLOUD's lists are
//! named `Name[]` in the spec, so they go out as `Name[]=a&Name[]=b`); a list of objects, and
//! anything inside one, by index and dot (`Media.0.FileId=…`, `Media.0.Resolution.1=…`), as
//! ZEGOCLOUD's `recursive-indexed-dot` style says. The mock reads a query back the same way.

use std::collections::BTreeMap;

use serde::de::value::{Error as ValueError, MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde_json::Value;

/// Appends `request`'s fields to `out` as `&name=value` pairs, percent-encoded.
pub(crate) fn append(out: &mut String, request: &Value) -> Result<(), String> {
    let Value::Object(fields) = request else {
        return Err("a query request must be a JSON object".to_owned());
    };
    for (name, value) in fields {
        match value {
            Value::Array(items) if items.iter().all(is_scalar) => {
                for item in items {
                    push_pair(out, name, item);
                }
            }
            other => flatten(out, name, other),
        }
    }
    Ok(())
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

fn flatten(out: &mut String, prefix: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten(out, &format!("{prefix}.{index}"), item);
            }
        }
        Value::Object(fields) => {
            for (name, item) in fields {
                flatten(out, &format!("{prefix}.{name}"), item);
            }
        }
        scalar => push_pair(out, prefix, scalar),
    }
}

fn push_pair(out: &mut String, name: &str, value: &Value) {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Null => return,
        other => other.to_string(),
    };
    out.push('&');
    push_encoded(out, name);
    out.push('=');
    push_encoded(out, &text);
}

/// Appends `value` percent-encoded for a query (everything but unreserved characters).
pub(crate) fn push_encoded(out: &mut String, value: &str) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// A query read back into a tree: text at the leaves, lists and objects by name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Text(String),
    List(Vec<Node>),
    Map(BTreeMap<String, Node>),
}

/// Reads decoded `(name, value)` pairs as the request type `R`, the inverse of [`append`]:
/// repeated names are lists, dotted names nest (numeric steps index lists), and text becomes
/// whatever type each field wants.
#[cfg_attr(not(feature = "mock"), allow(dead_code, reason = "used by the mock"))]
pub(crate) fn decode<R: DeserializeOwned>(pairs: &[(String, String)]) -> Result<R, String> {
    let mut root: BTreeMap<String, Node> = BTreeMap::new();
    for (name, value) in pairs {
        let mut steps = name.split('.');
        let first = steps.next().unwrap_or_default().to_owned();
        let rest: Vec<&str> = steps.collect();
        if rest.is_empty() {
            match root.remove(&first) {
                None => root.insert(first, Node::Text(value.clone())),
                Some(Node::List(mut items)) => {
                    items.push(Node::Text(value.clone()));
                    root.insert(first, Node::List(items))
                }
                Some(previous) => {
                    root.insert(first, Node::List(vec![previous, Node::Text(value.clone())]))
                }
            };
            continue;
        }
        let slot = root.entry(first).or_insert_with(|| empty_for(rest[0]));
        insert(slot, &rest, value)?;
    }
    R::deserialize(Node::Map(root)).map_err(|error| error.to_string())
}

fn empty_for(step: &str) -> Node {
    if step.parse::<usize>().is_ok() {
        Node::List(Vec::new())
    } else {
        Node::Map(BTreeMap::new())
    }
}

fn insert(node: &mut Node, steps: &[&str], value: &str) -> Result<(), String> {
    let Some((step, rest)) = steps.split_first() else {
        *node = Node::Text(value.to_owned());
        return Ok(());
    };
    let child = match node {
        Node::List(items) => {
            let index: usize = step
                .parse()
                .map_err(|_| format!("`{step}` is not a list index"))?;
            if index > items.len() {
                return Err(format!("list index {index} skips {}", items.len()));
            }
            if index == items.len() {
                items.push(
                    rest.first()
                        .map_or(Node::Text(String::new()), |next| empty_for(next)),
                );
            }
            &mut items[index]
        }
        Node::Map(fields) => fields.entry((*step).to_owned()).or_insert_with(|| {
            rest.first()
                .map_or(Node::Text(String::new()), |next| empty_for(next))
        }),
        Node::Text(_) => return Err(format!("`{step}` nests under a plain value")),
    };
    insert(child, rest, value)
}

impl<'de> IntoDeserializer<'de, ValueError> for Node {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

macro_rules! parse_text {
    ($($method:ident => $visit:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
                match self {
                    Node::Text(text) => match text.parse::<$ty>() {
                        Ok(value) => visitor.$visit(value),
                        Err(_) => Err(serde::de::Error::custom(format!(
                            "`{text}` is not a {}", stringify!($ty)
                        ))),
                    },
                    other => other.deserialize_any(visitor),
                }
            }
        )*
    };
}

impl<'de> Deserializer<'de> for Node {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self {
            Node::Text(text) => visitor.visit_string(text),
            Node::List(items) => visitor.visit_seq(SeqDeserializer::new(items.into_iter())),
            Node::Map(fields) => visitor.visit_map(MapDeserializer::new(fields.into_iter())),
        }
    }

    parse_text! {
        deserialize_bool => visit_bool: bool,
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_some(self)
    }

    /// One value where a list is wanted is a list of one.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self {
            text @ Node::Text(_) => visitor.visit_seq(SeqDeserializer::new(std::iter::once(text))),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct tuple tuple_struct map struct
        enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Media {
        #[serde(rename = "FileId")]
        file_id: String,
        #[serde(rename = "Resolution")]
        resolution: Vec<i32>,
    }

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Request {
        #[serde(rename = "RoomId[]")]
        rooms: Vec<String>,
        #[serde(rename = "Limit", skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
        #[serde(rename = "IsTest")]
        is_test: bool,
        #[serde(rename = "Media")]
        media: Vec<Media>,
    }

    fn pairs(query: &str) -> Vec<(String, String)> {
        query
            .trim_start_matches('&')
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(name, value)| (name.replace("%5B%5D", "[]"), value.replace("%20", " ")))
            .collect()
    }

    #[test]
    fn lists_repeat_their_bracketed_name_and_objects_go_by_index_and_dot() {
        let request = Request {
            rooms: vec!["a b".to_owned(), "c".to_owned()],
            limit: Some(5),
            is_test: false,
            media: vec![Media {
                file_id: "f".to_owned(),
                resolution: vec![720, 1080],
            }],
        };
        let mut query = String::new();
        append(&mut query, &serde_json::to_value(&request).expect("json")).expect("object");
        assert_eq!(
            query,
            "&IsTest=false&Limit=5&Media.0.FileId=f&Media.0.Resolution.0=720\
             &Media.0.Resolution.1=1080&RoomId%5B%5D=a%20b&RoomId%5B%5D=c"
        );
        let back: Request = decode(&pairs(&query)).expect("decodes");
        assert_eq!(back, request);
    }

    #[test]
    fn a_single_item_is_a_list_of_one_and_bad_text_is_an_error() {
        let back: Request = decode(&pairs(
            "&RoomId[]=x&IsTest=true&Media.0.FileId=f&Media.0.Resolution.0=1",
        ))
        .expect("decodes");
        assert_eq!(back.rooms, ["x"]);
        assert!(back.is_test);
        let error = decode::<Request>(&pairs("&RoomId[]=x&IsTest=maybe&Media.0.FileId=f"))
            .expect_err("not a bool");
        assert!(error.contains("maybe"), "{error}");
    }
}
