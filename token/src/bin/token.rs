//! `token`: makes a ZEGOCLOUD Token04, or reads one back, with the ServerSecret from
//! `ZEGO_SERVER_SECRET`.
//!
//! ```text
//! token --app-id N --user-id U --ttl SECONDS [--room R [--login] [--publish] [--stream S]...] [--payload TEXT]
//! token decode TOKEN
//! ```
//!
//! Making prints the token alone on standard output; reading prints its fields as JSON.
//! Bad input exits with status 2 and a message naming the argument; a token the secret does
//! not open exits with status 1. The secret is never printed.

use std::process::ExitCode;
use std::time::Duration;

use zego_token::{decode_token04, RoomPrivilege, SystemClock, TokenError, TokenIssuer};

const USAGE: &str = "usage:
  token --app-id N --user-id U --ttl SECONDS [--room R [--login] [--publish] [--stream S]...] [--payload TEXT]
  token decode TOKEN
The ServerSecret comes from the environment variable ZEGO_SERVER_SECRET.";

const SECRET_VARIABLE: &str = "ZEGO_SERVER_SECRET";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some("decode") => decode(&args[1..]),
        Some(_) => issue(&args),
    };
    match result {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(message)) => {
            eprintln!("token: {message}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Token(message)) => {
            eprintln!("token: {message}");
            ExitCode::FAILURE
        }
    }
}

enum Failure {
    /// The arguments or the environment are wrong.
    Usage(String),
    /// The token could not be read.
    Token(String),
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

/// What `token --app-id …` was asked for.
#[derive(Default)]
struct IssueArgs {
    app_id: Option<u32>,
    user_id: Option<String>,
    ttl: Option<u64>,
    room: Option<String>,
    login: bool,
    publish: bool,
    streams: Vec<String>,
    payload: Option<String>,
}

fn issue(args: &[String]) -> Result<String, Failure> {
    let parsed = parse_issue_args(args)?;
    let app_id = parsed.app_id.ok_or_else(|| usage("--app-id is required"))?;
    let user_id = parsed
        .user_id
        .ok_or_else(|| usage("--user-id is required"))?;
    let ttl = parsed.ttl.ok_or_else(|| usage("--ttl is required"))?;
    if ttl == 0 {
        return Err(usage("--ttl: must be at least 1 second"));
    }
    if user_id.is_empty() {
        return Err(usage("--user-id: must not be empty"));
    }
    let payload = match (&parsed.room, parsed.payload) {
        (Some(_), Some(_)) => return Err(usage("--payload and --room cannot be used together")),
        (Some(room), None) => {
            let mut privilege = RoomPrivilege::new(room.clone())
                .login(parsed.login)
                .publish(parsed.publish);
            if !parsed.streams.is_empty() {
                privilege = privilege.streams(parsed.streams);
            }
            privilege.to_payload()
        }
        (None, payload) => {
            if parsed.login || parsed.publish || !parsed.streams.is_empty() {
                return Err(usage("--login, --publish and --stream need --room"));
            }
            payload.unwrap_or_default()
        }
    };
    let issuer = TokenIssuer::new(app_id, secret()?)
        .map_err(|error| usage(format!("{}: {error}", argument_of(&error))))?
        .clock(SystemClock);
    issuer
        .issue(&user_id, Duration::from_secs(ttl), &payload)
        .map_err(|error| match error {
            TokenError::Random(_) => Failure::Token(error.to_string()),
            _ => usage(format!("{}: {error}", argument_of(&error))),
        })
}

/// The argument (or variable) a minting error is about.
fn argument_of(error: &TokenError) -> &'static str {
    match error {
        TokenError::SecretLength { .. } => SECRET_VARIABLE,
        TokenError::AppIdZero => "--app-id",
        TokenError::EmptyUserId => "--user-id",
        TokenError::TtlTooShort | TokenError::ExpiryOverflow => "--ttl",
        TokenError::PayloadTooLong { .. } => "--payload or --room",
        _ => "token",
    }
}

fn parse_issue_args(args: &[String]) -> Result<IssueArgs, Failure> {
    let mut parsed = IssueArgs::default();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = |name: &str| {
            rest.next()
                .cloned()
                .ok_or_else(|| usage(format!("{name} needs a value")))
        };
        match flag.as_str() {
            "--app-id" => {
                let text = value("--app-id")?;
                let id = text.parse::<u32>().map_err(|_| {
                    usage(format!(
                        "--app-id: `{text}` is not a number from 1 to 4294967295"
                    ))
                })?;
                parsed.app_id = Some(id);
            }
            "--user-id" => parsed.user_id = Some(value("--user-id")?),
            "--ttl" => {
                let text = value("--ttl")?;
                let seconds = text.parse::<u64>().map_err(|_| {
                    usage(format!("--ttl: `{text}` is not a whole number of seconds"))
                })?;
                parsed.ttl = Some(seconds);
            }
            "--room" => parsed.room = Some(value("--room")?),
            "--stream" => parsed.streams.push(value("--stream")?),
            "--payload" => parsed.payload = Some(value("--payload")?),
            "--login" => parsed.login = true,
            "--publish" => parsed.publish = true,
            other => return Err(usage(format!("unknown argument `{other}`"))),
        }
    }
    Ok(parsed)
}

fn decode(args: &[String]) -> Result<String, Failure> {
    let [token] = args else {
        return Err(usage("decode takes one argument: the token"));
    };
    let decoded =
        decode_token04(token, secret()?).map_err(|error| Failure::Token(error.to_string()))?;
    let now = zego_token::Clock::unix_seconds(&SystemClock);
    let fields = &decoded.fields;
    let json = serde_json::json!({
        "version": zego_token::VERSION,
        "mode": decoded.mode,
        "app_id": fields.app_id,
        "user_id": fields.user_id,
        "nonce": fields.nonce,
        "ctime": fields.issued_at,
        "expire": fields.expires_at,
        "header_expire": decoded.header_expires_at,
        "expired": decoded.is_expired_at(now),
        "payload": fields.payload,
    });
    Ok(json.to_string())
}

fn secret() -> Result<String, Failure> {
    match std::env::var(SECRET_VARIABLE) {
        Ok(secret) if !secret.is_empty() => Ok(secret),
        Ok(_) => Err(usage(format!("{SECRET_VARIABLE} is empty"))),
        Err(_) => Err(usage(format!("{SECRET_VARIABLE} is not set"))),
    }
}
