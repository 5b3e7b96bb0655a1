//! Turning bytes into values: a response envelope into its `Data` or the error it stands for,
//! a request given as JSON into its type.

use serde::de::DeserializeOwned;

use super::operation::{ApiResponse, Envelope, EnvelopeParts, Operation};
use crate::api::ReturnCode;
use crate::error::{body_snippet, Error};
use crate::json_path::json_error_path;

/// Decodes a response body of the common envelope: the `Data` of a success (`Code` 0), or the
/// error the body stands for. [`Client`](crate::Client) uses it for every response; it is public for code
/// that receives such bodies another way.
///
/// # Errors
/// [`Error::Decode`] for a body that is not the expected JSON (with the path of the failing
/// field), [`Error::Api`] for a non-zero `Code`.
pub fn decode_response<E, C>(bytes: &[u8]) -> Result<ApiResponse<E::Data>, Error<C>>
where
    E: DeserializeOwned + Envelope,
    C: ReturnCode,
{
    let decode_error = |path: String, message: String| Error::Decode {
        path,
        message,
        body_snippet: body_snippet(bytes),
        warnings: Vec::new(),
    };
    let envelope: E = serde_json::from_slice(bytes)
        .map_err(|error| decode_error(json_error_path(bytes, &error), error.to_string()))?;
    let EnvelopeParts {
        code,
        message,
        request_id,
        data,
    } = envelope.into_parts();
    let Some(code) = code else {
        return Err(decode_error(
            "Code".to_owned(),
            "the response has no `Code`".to_owned(),
        ));
    };
    if code != 0 {
        return Err(Error::Api {
            code: C::from_wire_value(code),
            message: message.unwrap_or_default(),
            request_id,
            warnings: Vec::new(),
        });
    }
    // The envelope gives an empty `Data` for a success without one when its type can be
    // empty; only a `Data` type with required fields leaves nothing to return.
    match data {
        Some(data) => Ok(ApiResponse {
            data,
            request_id,
            warnings: Vec::new(),
        }),
        None => Err(decode_error(
            "Data".to_owned(),
            "a successful response (`Code` 0) has no `Data`, and this action's Data has required fields".to_owned(),
        )),
    }
}

/// `body` as `operation`'s request type, with the JSON path of the first problem.
pub(super) fn decode_request<R: DeserializeOwned, C>(
    operation: &Operation,
    body: &str,
) -> Result<R, Error<C>> {
    // From bytes, as responses and the mock's requests are: one decoder per type, not two.
    serde_json::from_slice(body.as_bytes()).map_err(|error| Error::RequestJson {
        action: operation.action,
        path: json_error_path(body, &error),
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestCode;

    #[derive(Debug, serde::Deserialize)]
    struct Reply {
        #[serde(rename = "Code")]
        code: Option<i64>,
        #[serde(rename = "Message")]
        message: Option<String>,
        #[serde(rename = "RequestId")]
        request_id: Option<String>,
        #[serde(rename = "Data")]
        data: Option<u32>,
    }

    impl Envelope for Reply {
        type Data = u32;
        fn into_parts(self) -> EnvelopeParts<u32> {
            EnvelopeParts {
                code: self.code,
                message: self.message,
                request_id: self.request_id,
                data: self.data,
            }
        }
    }

    fn decode(body: &str) -> Result<ApiResponse<u32>, Error<TestCode>> {
        decode_response::<Reply, TestCode>(body.as_bytes())
    }

    #[test]
    fn a_success_gives_its_data_and_request_id() {
        let response = decode(r#"{"Code": 0, "RequestId": "r", "Data": 7}"#).expect("success");
        assert_eq!(
            (response.data, response.request_id.as_deref()),
            (7, Some("r"))
        );
    }

    #[test]
    fn a_non_zero_code_is_the_api_error_with_its_message_and_request_id() {
        let error = decode(r#"{"Code": 42, "Message": "no", "RequestId": "r"}"#).expect_err("code");
        assert!(
            matches!(&error, Error::Api { code: TestCode(42), message, request_id: Some(id), .. } if message == "no" && id == "r"),
            "{error:?}"
        );
    }

    #[test]
    fn a_missing_code_or_data_without_a_default_is_a_decode_error_at_its_path() {
        for (body, path) in [
            (r#"{"Data": 1}"#, "Code"),
            (r#"{"Code": 0}"#, "Data"),
            (r#"{"Code": "0"}"#, "Code"),
        ] {
            let error = decode(body).expect_err("not decodable");
            assert!(
                matches!(&error, Error::Decode { path: at, .. } if at == path),
                "{body}: {error:?}"
            );
        }
    }

    #[test]
    fn a_request_of_the_wrong_shape_names_the_action_and_the_path() {
        let operation = Operation {
            name: "Probe",
            action: "Probe",
            path: "/",
            rate_limit: None,
            method: crate::Method::Post,
            hosts: &[],
            call_limits: &[],
        };
        let error =
            decode_request::<Reply, TestCode>(&operation, r#"{"Code": "x"}"#).expect_err("wrong");
        assert!(
            matches!(&error, Error::RequestJson { action: "Probe", path, .. } if path == "Code"),
            "{error:?}"
        );
    }
}
