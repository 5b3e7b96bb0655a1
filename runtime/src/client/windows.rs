//! Keeping a call to its action's limits over windows (`Operation::call_limits`): counted for
//! the AppId, or for the room or group the request names; in the shared budget when there is
//! one that answers, else in this process.

use std::time::Duration;

use super::operation::{CallLimit, Method, Operation};
use super::Client;
use crate::api::ServerApi;
use crate::budget::SHARED_BUDGET_PAUSE;
use crate::error::Error;
use crate::windows::{WindowAnswer, WindowKey};

impl<A: ServerApi> Client<A> {
    /// Waits until the call fits every window of its action's `call_limits`, or fails with
    /// [`Error::CallLimitReached`] when one would keep it waiting longer than the client's
    /// `call_limit_wait`. `payload` is the request as it travels, where a limit per room or
    /// group finds its id; a request without that id is not counted for any.
    pub(super) async fn keep_to_the_call_limits(
        &self,
        operation: &Operation,
        payload: &[u8],
    ) -> Result<(), Error<A::Code>> {
        let Some(local) = &self.inner.windows else {
            return Ok(());
        };
        for limit in operation.call_limits {
            let key = match limit.key_field {
                None => None,
                Some(field) => match field_value(operation.method, payload, field) {
                    Some(value) => Some(value),
                    None => continue,
                },
            };
            let window_key = WindowKey {
                app_id: self.inner.app_id,
                action: operation.action,
                count: limit.count,
                window: limit.window,
                key,
            };
            let wait = self.inner.call_limit_wait;
            let answer = match self.ask_shared_window(&window_key, wait).await {
                Some(answer) => answer,
                None => local.reserve(&window_key, wait),
            };
            match answer {
                WindowAnswer::Go { after } if after.is_zero() => {}
                WindowAnswer::Go { after } => tokio::time::sleep(after).await,
                WindowAnswer::Full { frees_in } => {
                    return Err(reached(operation, limit, window_key.key, frees_in));
                }
            }
        }
        Ok(())
    }

    async fn ask_shared_window(&self, key: &WindowKey, wait: Duration) -> Option<WindowAnswer> {
        let shared = self.inner.shared_rate_limiter.as_ref()?;
        match shared.reserve_in_window(key, wait).await? {
            Ok(answer) => Some(answer),
            Err(error) => {
                tracing::warn!(
                    action = key.action,
                    %error,
                    pause_seconds = SHARED_BUDGET_PAUSE.as_secs(),
                    "the shared window of a call limit cannot be kept; keeping to it in this \
                     process only, and asking the shared budget again after the pause"
                );
                None
            }
        }
    }
}

fn reached<C>(
    operation: &Operation,
    limit: &CallLimit,
    key: Option<String>,
    frees_in: Duration,
) -> Error<C> {
    Error::CallLimitReached {
        action: operation.action,
        limit: *limit,
        key,
        frees_in,
    }
}

/// The value of `field` (a wire name, dotted for a nested one) in the request as it travels:
/// a JSON body's string or number, or a query parameter's decoded value.
fn field_value(method: Method, payload: &[u8], field: &str) -> Option<String> {
    match method {
        Method::Post => {
            let body: serde_json::Value = serde_json::from_slice(payload).ok()?;
            let value = field
                .split('.')
                .try_fold(&body, |value, step| value.get(step))?;
            match value {
                serde_json::Value::String(text) => Some(text.clone()),
                serde_json::Value::Number(number) => Some(number.to_string()),
                _ => None,
            }
        }
        Method::Get => {
            let query = std::str::from_utf8(payload).ok()?;
            query.split('&').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                (crate::percent::percent_decode(name, false)? == field)
                    .then(|| crate::percent::percent_decode(value, false))?
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_found_in_a_body_or_a_query() {
        let body = br#"{"GroupId":"g-1","Nested":{"RoomId":7}}"#;
        assert_eq!(
            field_value(Method::Post, body, "GroupId").as_deref(),
            Some("g-1")
        );
        assert_eq!(
            field_value(Method::Post, body, "Nested.RoomId").as_deref(),
            Some("7")
        );
        assert_eq!(field_value(Method::Post, body, "RoomId"), None);
        let query = b"UserId%5B%5D=a&RoomId=room%201&X=1";
        assert_eq!(
            field_value(Method::Get, query, "RoomId").as_deref(),
            Some("room 1")
        );
        assert_eq!(field_value(Method::Get, b"RoomId=%zz", "RoomId"), None);
    }
}
