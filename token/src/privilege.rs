//! The room privilege payload: which room a token admits its user to, and whether the user
//! may log in and publish there (and which streams).

use serde::Serialize;

/// What a token lets its user do in one room, written into the token's `payload` the way
/// ZEGOCLOUD's own samples write it:
/// `{"room_id":"…","privilege":{"1":1,"2":0},"stream_id_list":null}` (privilege 1 is
/// logging in, 2 publishing; each 1 or 0, numbers rather than booleans).
///
/// ```
/// use zego_token::RoomPrivilege;
///
/// let privilege = RoomPrivilege::new("room1").login(true).publish(false);
/// assert_eq!(
///     privilege.to_payload(),
///     r#"{"room_id":"room1","privilege":{"1":1,"2":0},"stream_id_list":null}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomPrivilege {
    room_id: String,
    login: bool,
    publish: bool,
    stream_ids: Option<Vec<String>>,
}

impl RoomPrivilege {
    /// The room `room_id`, with logging in allowed and publishing not.
    pub fn new(room_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
            login: true,
            publish: false,
            stream_ids: None,
        }
    }

    /// Whether the user may log in to the room (privilege 1).
    #[must_use]
    pub fn login(mut self, allowed: bool) -> Self {
        self.login = allowed;
        self
    }

    /// Whether the user may publish streams in the room (privilege 2).
    #[must_use]
    pub fn publish(mut self, allowed: bool) -> Self {
        self.publish = allowed;
        self
    }

    /// The only streams the user may publish (`stream_id_list`); without, any stream.
    #[must_use]
    pub fn streams<I, S>(mut self, stream_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.stream_ids = Some(stream_ids.into_iter().map(Into::into).collect());
        self
    }

    /// The payload text a token carries.
    pub fn to_payload(&self) -> String {
        #[derive(Serialize)]
        struct Privileges {
            #[serde(rename = "1")]
            login: u8,
            #[serde(rename = "2")]
            publish: u8,
        }
        #[derive(Serialize)]
        struct Payload<'a> {
            room_id: &'a str,
            privilege: Privileges,
            stream_id_list: Option<&'a [String]>,
        }
        let payload = Payload {
            room_id: &self.room_id,
            privilege: Privileges {
                login: u8::from(self.login),
                publish: u8::from(self.publish),
            },
            stream_id_list: self.stream_ids.as_deref(),
        };
        // Strings, integers and a list of strings always serialize.
        serde_json::to_string(&payload).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_listed_and_publish_written_as_a_number() {
        let payload = RoomPrivilege::new("room1")
            .publish(true)
            .streams(["s1", "s2"])
            .to_payload();
        assert_eq!(
            payload,
            r#"{"room_id":"room1","privilege":{"1":1,"2":1},"stream_id_list":["s1","s2"]}"#
        );
    }

    #[test]
    fn room_ids_are_escaped_as_json() {
        let payload = RoomPrivilege::new("a\"b").login(false).to_payload();
        assert!(payload.starts_with(r#"{"room_id":"a\"b","privilege":{"1":0,"2":0}"#));
    }
}
