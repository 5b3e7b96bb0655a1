//! Tokens made and read per second on one core: `cargo bench -p zego-token --bench mint`.
//! BENCHMARKS.md records the figures.

use std::time::Duration;

use divan::black_box;
use zego_token::{decode_token04, RoomPrivilege, TokenIssuer};

const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn main() {
    divan::main();
}

/// A basic token: random IV and nonce from the system, one AES-256-CBC encryption, base64.
#[divan::bench]
fn issue(bencher: divan::Bencher) {
    let issuer = TokenIssuer::new(1234567890, SECRET).expect("valid");
    bencher.bench_local(|| {
        issuer
            .issue(black_box("user1"), Duration::from_secs(3600), "")
            .expect("issued")
    });
}

/// A token with a room privilege payload.
#[divan::bench]
fn issue_for_room(bencher: divan::Bencher) {
    let issuer = TokenIssuer::new(1234567890, SECRET).expect("valid");
    let room = RoomPrivilege::new("room1").login(true).publish(true);
    bencher.bench_local(|| {
        issuer
            .issue_for_room(black_box("user1"), Duration::from_secs(3600), &room)
            .expect("issued")
    });
}

/// Reading a token back.
#[divan::bench]
fn decode(bencher: divan::Bencher) {
    let token = TokenIssuer::new(1234567890, SECRET)
        .expect("valid")
        .issue("user1", Duration::from_secs(3600), "")
        .expect("issued");
    bencher.bench_local(|| decode_token04(black_box(&token), SECRET).expect("decoded"));
}
