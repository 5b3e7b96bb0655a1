//! Percent-decoding, for the query the client writes (where `+` is itself) and for values a
//! callback's page says arrive URL-encoded (where `+` is a space, as form encoding writes it).

/// `text` with its `%XX` escapes decoded (and `+` read as a space when `plus_is_space`);
/// `None` when an escape is malformed or the bytes are not UTF-8.
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' => {
                let hex = text.get(index + 1..index + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                index += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                index += 1;
            }
            byte => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_pluses_decode_as_asked() {
        assert_eq!(percent_decode("a%20b+c", false).as_deref(), Some("a b+c"));
        assert_eq!(percent_decode("a%20b+c", true).as_deref(), Some("a b c"));
        assert_eq!(percent_decode("%E4%BD%A0", true).as_deref(), Some("你"));
        assert_eq!(percent_decode("%zz", true), None);
        assert_eq!(percent_decode("%FF", true), None);
    }
}
