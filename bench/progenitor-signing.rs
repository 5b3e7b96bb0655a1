//! What a progenitor user adds to the generated crate to call ZEGOCLOUD: the signature, in
//! the request hook. `scripts/bench-peers.sh` copies this file into progenitor's output as
//! `src/signing.rs` and declares the module.
//!
//! cargo-progenitor's crate has no inner type for per-client state, so the credentials are
//! process-wide, set once with [`set_credentials`].

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use md5::{Digest, Md5};
use progenitor_client::{ClientHooks, Error, OperationInfo};

struct Credentials {
    app_id: u32,
    server_secret: String,
}

static CREDENTIALS: OnceLock<Credentials> = OnceLock::new();

/// The AppId and ServerSecret every request is signed with; the first call wins.
pub fn set_credentials(app_id: u32, server_secret: impl Into<String>) {
    let _ = CREDENTIALS.set(Credentials {
        app_id,
        server_secret: server_secret.into(),
    });
}

impl ClientHooks<()> for crate::Client {
    /// Moves the request from `/<Action>` (the path the joined spec gives each action) to
    /// `/?Action=<Action>` and adds the signature parameters.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let credentials = CREDENTIALS
            .get()
            .ok_or_else(|| Error::Custom("signing::set_credentials was not called".into()))?;
        let mut nonce_bytes = [0_u8; 8];
        getrandom::getrandom(&mut nonce_bytes).map_err(|error| Error::Custom(error.to_string()))?;
        let mut nonce = String::with_capacity(16);
        push_hex(&mut nonce, &nonce_bytes);
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|error| Error::Custom(error.to_string()))?
            .as_secs();
        let digest = Md5::digest(format!(
            "{}{nonce}{}{timestamp}",
            credentials.app_id, credentials.server_secret
        ));
        let mut signature = String::with_capacity(32);
        push_hex(&mut signature, &digest);
        let url = request.url_mut();
        let action = url.path().trim_start_matches('/').to_owned();
        url.set_path("/");
        url.query_pairs_mut()
            .append_pair("Action", &action)
            .append_pair("AppId", &credentials.app_id.to_string())
            .append_pair("SignatureNonce", &nonce)
            .append_pair("Timestamp", &timestamp.to_string())
            .append_pair("Signature", &signature)
            .append_pair("SignatureVersion", "2.0");
        Ok(())
    }
}

/// Lowercase hex through a table, as cheap as the generated client's.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
}
