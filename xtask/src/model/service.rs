//! What the API says about itself as a whole: its hosts (`servers`, with `x-zego-region`)
//! and its return codes (`x-zego-return-codes`).

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::pointer_join;

use super::ir::{CodeRetry, ReturnCode, Server};
use super::Builder;

impl Builder<'_> {
    /// The spec's `servers`. Quirk: OpenAPI lets a document name none (meaning `/`, relative
    /// to wherever it was loaded from); a client needs a real host to default to.
    pub(super) fn servers(&mut self) -> Vec<Server> {
        let document = &self.spec.document;
        if document.servers.is_empty() {
            self.reporter.at_pointer(
                "#/servers",
                "the spec names no `servers`: the first one is the client's default host",
            );
        }
        let mut servers = Vec::new();
        for (index, server) in document.servers.iter().enumerate() {
            let at = pointer_join(&pointer_join("#/servers", &index.to_string()), "url");
            let url = server.url.trim_end_matches('/');
            let absolute = url.starts_with("https://") || url.starts_with("http://");
            if !absolute || url.contains(['{', '}']) || server.variables.is_some() {
                self.reporter.at_pointer(
                    &at,
                    format!(
                        "server `{}` must be an absolute http(s) URL without variables",
                        server.url
                    ),
                );
                continue;
            }
            let region = match server.extensions.get("x-zego-region") {
                None => None,
                Some(Value::String(name)) => Some(name.clone()),
                Some(_) => {
                    self.reporter.at_pointer(
                        &pointer_join(
                            &pointer_join("#/servers", &index.to_string()),
                            "x-zego-region",
                        ),
                        "`x-zego-region` must be a name",
                    );
                    None
                }
            };
            servers.push(Server {
                url: url.to_owned(),
                description: server.description.clone(),
                region,
                region_variant: String::new(),
            });
        }
        servers
    }

    /// `x-zego-crate` on the root: the package name of the generated crate. Without it, the
    /// name is `zego-` and the root file's stem (`spec/cloudrecord/cloudrecord.yaml` gives
    /// `zego-cloudrecord`).
    pub(super) fn crate_name(&mut self) -> String {
        let stem = self
            .spec
            .file
            .rsplit('/')
            .next()
            .and_then(|name| name.split('.').next())
            .unwrap_or("client");
        let fallback = format!("zego-{}", stem.to_ascii_lowercase().replace('_', "-"));
        let (name, pointer, what) = match self.spec.document.extensions.get("x-zego-crate") {
            Some(raw) => (
                raw.as_str().unwrap_or_default().to_owned(),
                "#/x-zego-crate",
                "`x-zego-crate`",
            ),
            None => (
                fallback,
                "#",
                "the crate name made from the file's name (set `x-zego-crate` to choose one)",
            ),
        };
        if !is_crate_name(&name) {
            self.reporter.at_pointer(
                pointer,
                format!("{what} must be a crate name: lowercase ASCII letters, digits and `-`, starting with a letter, at most 64 (`{name}`)"),
            );
            return "zego-client".to_owned();
        }
        name
    }

    /// `x-zego-login-tokens` on the root: whether the product's clients log in with a Token04.
    pub(super) fn login_tokens(&mut self) -> bool {
        let Some(raw) = self.spec.document.extensions.get("x-zego-login-tokens") else {
            return false;
        };
        raw.as_bool().unwrap_or_else(|| {
            self.reporter.at_pointer(
                "#/x-zego-login-tokens",
                "`x-zego-login-tokens` must be true or false",
            );
            false
        })
    }

    /// `x-zego-handwritten` on the root: a relative folder path.
    pub(super) fn handwritten(&mut self) -> Option<String> {
        let raw = self.spec.document.extensions.get("x-zego-handwritten")?;
        match raw.as_str() {
            Some(dir) if !dir.trim().is_empty() && !std::path::Path::new(dir).is_absolute() => {
                Some(dir.trim().to_owned())
            }
            _ => {
                self.reporter.at_pointer(
                    "#/x-zego-handwritten",
                    "`x-zego-handwritten` must be a folder path relative to this file",
                );
                None
            }
        }
    }

    /// `x-zego-return-codes` on the root.
    pub(super) fn return_codes(&mut self) -> Vec<ReturnCode> {
        self.code_list("x-zego-return-codes")
    }

    /// `x-zego-exception-codes` on the root: the exception callback's codes, written like
    /// the return codes.
    pub(super) fn exception_codes(&mut self) -> Vec<ReturnCode> {
        self.code_list("x-zego-exception-codes")
    }

    fn code_list(&mut self, extension: &str) -> Vec<ReturnCode> {
        let Some(raw) = self.spec.document.extensions.get(extension) else {
            return Vec::new();
        };
        let at = &format!("#/{extension}");
        let raw = match Vec::<RawReturnCode>::deserialize(raw) {
            Ok(raw) => raw,
            Err(error) => {
                self.reporter
                    .at_pointer(at, format!("malformed `{extension}`: {error}"));
                return Vec::new();
            }
        };
        let mut codes: Vec<ReturnCode> = Vec::new();
        for (index, raw) in raw.into_iter().enumerate() {
            let item = pointer_join(at, &index.to_string());
            let retry = match raw.retry.as_deref().unwrap_or("never") {
                "never" => CodeRetry::Never,
                "after-backoff" => CodeRetry::AfterBackoff,
                "with-new-signature" => CodeRetry::WithNewSignature,
                other => {
                    self.reporter.at_pointer(
                        &pointer_join(&item, "retry"),
                        format!("unknown retry `{other}`: use never, after-backoff or with-new-signature"),
                    );
                    continue;
                }
            };
            if raw.code == 0 {
                self.reporter
                    .at_pointer(&item, "code 0 is success, not a return code to list");
            }
            if raw.resets_after_seconds.is_some() && retry != CodeRetry::Never {
                self.reporter.at_pointer(
                    &item,
                    "a cap that resets after a window (`resets-after-seconds`) is never retried: trying again before the window has passed fails the same way",
                );
            }
            let reply_only = raw.retry.is_some()
                || raw.answered_before_acting
                || raw.invalid_parameter
                || raw.resets_after_seconds.is_some();
            if extension == "x-zego-exception-codes" && reply_only {
                self.reporter.at_pointer(
                    &item,
                    "an exception callback's code has no retry, answered-before-acting, invalid-parameter or resets-after-seconds: nothing is called again",
                );
            }
            if GATEWAY_CODES.contains(&raw.code) {
                self.reporter.at_pointer(
                    &item,
                    format!(
                        "code {} is the API gateway's, which every product shares: the runtime's \
                         `GatewayCode` lists it once; list only the product's own codes here",
                        raw.code
                    ),
                );
                continue;
            }
            if codes
                .iter()
                .any(|known| known.code == raw.code || known.name == raw.name)
            {
                self.reporter.at_pointer(
                    &item,
                    format!("code {} (`{}`) is listed twice", raw.code, raw.name),
                );
            }
            codes.push(ReturnCode {
                code: raw.code,
                name: raw.name,
                variant: String::new(),
                description: raw.description,
                retry,
                answered_before_acting: raw.answered_before_acting,
                invalid_parameter: raw.invalid_parameter,
                resets_after_seconds: raw.resets_after_seconds,
                note: raw.note,
            });
        }
        if codes.iter().filter(|code| code.invalid_parameter).count() > 1 {
            self.reporter.at_pointer(
                at,
                "more than one code is marked `invalid-parameter`; the mock answers one",
            );
        }
        codes
    }
}

/// The API gateway's codes, which the runtime's `GatewayCode` lists and every product's
/// `ApiCode` holds by composition.
const GATEWAY_CODES: std::ops::RangeInclusive<i64> = 100_000_000..=100_000_017;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReturnCode {
    code: i64,
    name: String,
    description: String,
    /// Required for a reply's code; an exception callback's code has none.
    #[serde(default)]
    retry: Option<String>,
    /// Where the code is documented; for the spec's readers, not the generated code.
    #[serde(default, rename = "source")]
    _source: Option<String>,
    #[serde(default, rename = "answered-before-acting")]
    answered_before_acting: bool,
    #[serde(default, rename = "invalid-parameter")]
    invalid_parameter: bool,
    #[serde(default, rename = "resets-after-seconds")]
    resets_after_seconds: Option<u64>,
    #[serde(default, rename = "x-zego-note")]
    note: Option<String>,
}

fn is_crate_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
