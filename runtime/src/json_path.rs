//! Where in a JSON document a decoding error is, as a path (`Data.RecordFiles[2].Status`).
//!
//! serde_json says where it stopped as a line and column; this finds which value that place
//! is in by reading the document up to it again. A crate that tracks the path while decoding
//! (serde_path_to_error) compiles every response and request type's decoder a second time,
//! which a downstream build pays for on every action; this pays only when decoding fails.

/// Where in `text` the serde_json `error` from decoding it is, as a path: keys joined with
/// `.`, array positions as `[n]`, `?` for a key cut off by the end of the text, and `.` for
/// the document itself. The client reports decoding errors with it; it is public for code
/// that decodes requests or callbacks itself.
///
/// ```
/// #[derive(Debug, serde::Deserialize)]
/// struct Storage {
///     #[serde(rename = "Vendor")]
///     _vendor: u32,
/// }
///
/// let text = r#"{"Vendor": "S3", "Bucket": "uploads"}"#;
/// let error = serde_json::from_str::<Storage>(text).expect_err("Vendor is a number");
/// assert_eq!(zego_server_runtime::json_error_path(text, &error), "Vendor");
/// ```
pub fn json_error_path(text: impl AsRef<[u8]>, error: &serde_json::Error) -> String {
    let text = text.as_ref();
    let offset = offset_of(text, error.line(), error.column());
    // serde_json reports an array holding more elements than a struct read from it as
    // "trailing characters", positioned just past the first byte of the first extra
    // element: the problem is the array, not that element. (Its error codes are private,
    // so the message is the only way to tell.)
    if error.to_string().starts_with("trailing characters") {
        return render(&frames_at(text, offset.saturating_sub(1)));
    }
    let mut frames = frames_at(text, offset);
    // An error at the first byte of an array element (a map where a number belongs) is
    // about that element, though nothing of it has been read.
    if next_value_starts(text, offset) {
        start_value(&mut frames);
    }
    render(&frames)
}

/// Whether the first byte at or after `offset` that is not white space begins a value.
fn next_value_starts(text: &[u8], offset: usize) -> bool {
    text.get(offset..)
        .and_then(|rest| rest.iter().find(|byte| !byte.is_ascii_whitespace()))
        .is_some_and(|byte| !matches!(byte, b']' | b'}' | b',' | b':'))
}

/// The byte offset of a serde_json position: `line` counts from 1, `column` is the number
/// of bytes read on that line.
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(line - 2)
            .map_or(text.len(), |(index, _)| index + 1)
    };
    (line_start + column).min(text.len())
}

enum Frame {
    /// An object, with the key whose value comes or came last (`None` before the first).
    Object {
        key: Option<String>,
        wants_key: bool,
    },
    /// An array, with the position of the element that comes or came last.
    Array { index: usize, started: bool },
}

/// The values open at `offset` (outermost first), reading `text[..offset]`.
fn frames_at(text: &[u8], offset: usize) -> Vec<Frame> {
    let mut frames: Vec<Frame> = Vec::new();
    let mut position = 0;
    while position < offset {
        let byte = text[position];
        position += 1;
        match byte {
            b'{' => {
                start_value(&mut frames);
                frames.push(Frame::Object {
                    key: None,
                    wants_key: true,
                });
            }
            b'[' => {
                start_value(&mut frames);
                frames.push(Frame::Array {
                    index: 0,
                    started: false,
                });
            }
            b'}' | b']' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object { wants_key, .. }) => *wants_key = true,
                Some(Frame::Array { index, started }) => {
                    *index += 1;
                    *started = false;
                }
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { wants_key, .. }) = frames.last_mut() {
                    *wants_key = false;
                }
            }
            b'"' => {
                let start = position - 1;
                let end = string_end(text, position);
                let complete = end.is_some_and(|end| end < offset);
                position = end.map_or(offset, |end| end + 1);
                match frames.last_mut() {
                    Some(Frame::Object {
                        key,
                        wants_key: wants_key @ true,
                    }) => {
                        *key = Some(if complete {
                            serde_json::from_slice::<String>(&text[start..position])
                                .unwrap_or_else(|_| "?".to_owned())
                        } else {
                            "?".to_owned()
                        });
                        *wants_key = false;
                    }
                    _ => start_value(&mut frames),
                }
            }
            byte if byte.is_ascii_whitespace() => {}
            _ => start_value(&mut frames),
        }
    }
    frames
}

/// Notes that a value begins in the innermost array, if that is where it is.
fn start_value(frames: &mut [Frame]) {
    if let Some(Frame::Array { started, .. }) = frames.last_mut() {
        *started = true;
    }
}

/// The index of the quote closing the string whose content starts at `from`.
fn string_end(text: &[u8], from: usize) -> Option<usize> {
    let mut position = from;
    while position < text.len() {
        match text[position] {
            b'\\' => position += 2,
            b'"' => return Some(position),
            _ => position += 1,
        }
    }
    None
}

fn render(frames: &[Frame]) -> String {
    let mut path = String::new();
    for frame in frames {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array {
                index,
                started: true,
            } => {
                path.push('[');
                path.push_str(itoa::Buffer::new().format(*index));
                path.push(']');
            }
            _ => {}
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct File {
        #[serde(rename = "Status")]
        status: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Data {
        #[serde(rename = "ItemId")]
        item_id: Option<String>,
        #[serde(rename = "Files", default)]
        files: Vec<File>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Envelope {
        #[serde(rename = "Code")]
        code: i64,
        #[serde(rename = "Data")]
        data: Option<Data>,
    }

    fn path_of(text: &str) -> String {
        let error = serde_json::from_str::<Envelope>(text).expect_err("the text does not decode");
        json_error_path(text, &error)
    }

    #[test]
    fn a_wrong_type_is_found_at_its_key() {
        assert_eq!(
            path_of(r#"{"Code": 0, "Data": {"ItemId": 123}}"#),
            "Data.ItemId"
        );
        assert_eq!(path_of(r#"{"Code": "zero"}"#), "Code");
        assert_eq!(
            path_of(r#"{"Code": 0, "Data": {"ItemId": {"id": "t"}}}"#),
            "Data.ItemId"
        );
    }

    #[test]
    fn array_elements_are_numbered_from_zero() {
        let text = r#"{"Code": 0, "Data": {"Files": [{"Status": 1}, {"Status": "done"}]}}"#;
        assert_eq!(path_of(text), "Data.Files[1].Status");
    }

    #[test]
    fn a_missing_field_is_reported_at_its_object() {
        assert_eq!(
            path_of(r#"{"Code": 0, "Data": {"Files": [{}]}}"#),
            "Data.Files[0]"
        );
    }

    #[test]
    fn lines_and_escapes_are_followed() {
        let text =
            "{\n  \"Co\\\"de\": 1,\n  \"Code\": 0,\n  \"Data\": {\n    \"ItemId\": false\n  }\n}";
        assert_eq!(path_of(text), "Data.ItemId");
    }

    #[test]
    fn problems_outside_any_value_are_the_document() {
        assert_eq!(path_of("<html>oops</html>"), ".");
        assert_eq!(path_of(""), ".");
        assert_eq!(path_of("null"), ".");
        assert_eq!(path_of(r#"{"Code": 0} trailing"#), ".");
    }

    #[test]
    fn a_key_cut_off_by_the_end_is_unknown() {
        assert_eq!(path_of(r#"{"Code": 0, "Data": {"Ta"#), "Data.?");
    }

    #[test]
    fn a_struct_given_as_an_array_is_found_at_the_element_or_the_array() {
        // Structs decode from arrays too, field by field: the second element is `Data`.
        assert_eq!(path_of(r#"[0, ["t", {"x": 2}]]"#), "[1][1]");
        // More elements than fields: the array is what is wrong, not the extra element.
        assert_eq!(
            path_of(r#"{"Code": 0, "Data": {"Files": [[1, {"x": [2]}]]}}"#),
            "Data.Files[0]"
        );
    }
}
