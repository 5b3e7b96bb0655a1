//! ZEGOCLOUD's Token04 in Rust: the token a ZEGOCLOUD app's server gives each client that
//! logs in (RTC, In-app Chat, AI Agent), made with the app's ServerSecret, and read back for
//! tests, debugging and support tickets.
//!
//! ```
//! use std::time::Duration;
//! use zego_token::{decode_token04, RoomPrivilege, TokenIssuer};
//!
//! # fn main() -> Result<(), zego_token::TokenError> {
//! // Once, at start-up: the AppID and its 32-byte ServerSecret from the console.
//! let issuer = TokenIssuer::new(1234567890, "0123456789abcdef0123456789abcdef")?;
//!
//! // For each client that logs in (in an HTTP handler, after your own authentication):
//! fn token_for(issuer: &TokenIssuer, logged_in_user: &str) -> Result<String, zego_token::TokenError> {
//!     let room = RoomPrivilege::new("room1").login(true).publish(true);
//!     issuer.issue_for_room(logged_in_user, Duration::from_secs(3600), &room)
//! }
//! let token = token_for(&issuer, "user1")?;
//!
//! // Reading one back, for a support ticket:
//! let decoded = decode_token04(&token, "0123456789abcdef0123456789abcdef")?;
//! assert_eq!(decoded.fields.user_id, "user1");
//! # Ok(()) }
//! ```
//!
//! The layout is ZEGOCLOUD's, checked against tokens made by its published generators
//! (Node.js, Python, Go, Java, C++, PHP) in this crate's tests. IV and nonce come from the
//! operating system's secure generator; the issue time from a [`Clock`], which tests fix with
//! a [`ManualClock`]; the ServerSecret ([`TokenSecret`]) never prints and is wiped from memory
//! when dropped.
//!
//! The crate also holds the [`Clock`] every ZEGOCLOUD server crate shares. It depends on the
//! RustCrypto AES crates and `base64` only, so a server that just mints tokens builds no HTTP
//! client. The binary `token` makes and reads tokens from the command line
//! (`cargo install zego-token`, then `token --help`).
#![deny(missing_docs)]

mod clock;
mod error;
mod privilege;
mod secret;
mod token04;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::TokenError;
pub use privilege::RoomPrivilege;
pub use secret::TokenSecret;
pub use token04::{
    decode_token04, seal_cbc, CipherMode, DecodedToken, TokenFields, TokenIssuer,
    READABLE_SECRET_LENS, SECRET_LEN, VERSION,
};
