//! The `token` binary as a user runs it: the token alone on standard output, fields as JSON,
//! bad input named, the secret never shown.

use std::process::{Command, Output};

const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn token(args: &[&str], secret: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_token"));
    command.args(args).env_remove("ZEGO_SERVER_SECRET");
    if let Some(secret) = secret {
        command.env("ZEGO_SERVER_SECRET", secret);
    }
    command.output().expect("the token binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_token_is_made_and_read_back() {
    let made = token(
        &[
            "--app-id",
            "1234567890",
            "--user-id",
            "user1",
            "--ttl",
            "3600",
            "--room",
            "room1",
            "--login",
            "--publish",
            "--stream",
            "s1",
            "--stream",
            "s2",
        ],
        Some(SECRET),
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let stdout = text(&made.stdout);
    let minted = stdout.trim();
    assert!(minted.starts_with("04") && !minted.contains(char::is_whitespace));
    assert_eq!(stdout.lines().count(), 1);

    let read = token(&["decode", minted], Some(SECRET));
    assert!(read.status.success(), "{}", text(&read.stderr));
    let fields: serde_json::Value = serde_json::from_slice(&read.stdout).expect("JSON");
    assert_eq!(fields["app_id"], 1234567890);
    assert_eq!(fields["user_id"], "user1");
    assert_eq!(fields["mode"], "cbc");
    assert_eq!(fields["expired"], false);
    assert_eq!(
        fields["payload"],
        r#"{"room_id":"room1","privilege":{"1":1,"2":1},"stream_id_list":["s1","s2"]}"#
    );
    for output in [&made, &read] {
        assert!(!text(&output.stdout).contains(SECRET));
        assert!(!text(&output.stderr).contains(SECRET));
    }
}

#[test]
fn bad_input_exits_non_zero_naming_the_argument() {
    let cases: [(&[&str], Option<&str>, &str); 7] = [
        (
            &["--app-id", "1", "--user-id", "u", "--ttl", "60"],
            Some("short"),
            "ZEGO_SERVER_SECRET",
        ),
        (
            &["--app-id", "1", "--user-id", "u", "--ttl", "0"],
            Some(SECRET),
            "--ttl",
        ),
        (
            &["--app-id", "1", "--user-id", "", "--ttl", "60"],
            Some(SECRET),
            "--user-id",
        ),
        (
            &["--app-id", "x", "--user-id", "u", "--ttl", "60"],
            Some(SECRET),
            "--app-id",
        ),
        (
            &["--app-id", "1", "--user-id", "u", "--ttl", "60"],
            None,
            "ZEGO_SERVER_SECRET",
        ),
        (
            &["--app-id", "1", "--user-id", "u", "--ttl", "60", "--login"],
            Some(SECRET),
            "--room",
        ),
        (
            &["decode", "04AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
            Some(SECRET),
            "token",
        ),
    ];
    for (args, secret, named) in cases {
        let output = token(args, secret);
        let stderr = text(&output.stderr);
        assert!(!output.status.success(), "{args:?} succeeded");
        assert!(stderr.contains(named), "{args:?}: {stderr}");
        assert!(!stderr.contains(SECRET) && !text(&output.stdout).contains(SECRET));
    }
}

#[test]
fn a_token_the_secret_does_not_open_is_refused() {
    let made = token(
        &["--app-id", "7", "--user-id", "u", "--ttl", "60"],
        Some(SECRET),
    );
    let minted = text(&made.stdout);
    let other = "ffffffffffffffffffffffffffffffff";
    let read = token(&["decode", minted.trim()], Some(other));
    assert_eq!(read.status.code(), Some(1));
    let stderr = text(&read.stderr);
    assert!(stderr.contains("does not decrypt"), "{stderr}");
    assert!(!stderr.contains(other));
}
