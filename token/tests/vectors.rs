//! Compatibility with ZEGOCLOUD's own generators: tokens they made (vectors.json, with the
//! commit each came from) read with this crate, tokens this crate makes read by a decoder
//! written here independently, and the same inputs sealed to the same bytes where the
//! generator writes the same JSON.

use std::time::Duration;

use aes::cipher::{BlockDecrypt, KeyInit};
use base64::Engine as _;
use serde::Deserialize;
use zego_token::{
    decode_token04, seal_cbc, CipherMode, ManualClock, RoomPrivilege, TokenFields, TokenIssuer,
    TokenSecret,
};

#[derive(Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    id: String,
    implementation: String,
    source_commit: String,
    mode: String,
    app_id: u32,
    user_id: String,
    secret: String,
    payload: String,
    iv_hex: String,
    nonce: i64,
    ctime: i64,
    expire: i64,
    plaintext_json: String,
    token: String,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("vectors.json");
    serde_json::from_str::<Vectors>(text)
        .expect("vectors.json parses")
        .vectors
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&text[at..at + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn tokens_of_every_published_generator_read_back() {
    let vectors = vectors();
    let implementations: std::collections::BTreeSet<&str> =
        vectors.iter().map(|v| v.implementation.as_str()).collect();
    for expected in ["nodejs", "python", "go", "java", "cpp", "php"] {
        assert!(implementations.contains(expected), "no {expected} vectors");
    }
    for vector in &vectors {
        assert!(!vector.source_commit.is_empty());
        let decoded = decode_token04(&vector.token, vector.secret.as_str())
            .unwrap_or_else(|error| panic!("{} ({}): {error}", vector.id, vector.implementation));
        let label = format!("{} ({})", vector.id, vector.implementation);
        assert_eq!(decoded.fields.app_id, vector.app_id, "{label}");
        assert_eq!(decoded.fields.user_id, vector.user_id, "{label}");
        assert_eq!(decoded.fields.nonce, vector.nonce, "{label}");
        assert_eq!(decoded.fields.issued_at, vector.ctime, "{label}");
        assert_eq!(decoded.fields.expires_at, vector.expire, "{label}");
        assert_eq!(decoded.fields.payload, vector.payload, "{label}");
        assert_eq!(decoded.header_expires_at, vector.expire, "{label}");
        let mode = match vector.mode.as_str() {
            "gcm" => CipherMode::Gcm,
            _ => CipherMode::Cbc,
        };
        assert_eq!(decoded.mode, mode, "{label}");
    }
}

#[test]
fn the_same_inputs_seal_to_the_same_token_where_the_json_is_the_same() {
    let mut reproduced = 0;
    for vector in vectors().iter().filter(|v| v.mode == "cbc") {
        let fields = TokenFields {
            app_id: vector.app_id,
            user_id: vector.user_id.clone(),
            nonce: vector.nonce,
            issued_at: vector.ctime,
            expires_at: vector.expire,
            payload: vector.payload.clone(),
        };
        // Go, Java and PHP order or escape the JSON differently (the token is as valid).
        if serde_json::to_string(&fields).expect("serializes") != vector.plaintext_json {
            continue;
        }
        let iv: [u8; 16] = hex(&vector.iv_hex).try_into().expect("16-byte IV");
        let token = seal_cbc(&fields, &TokenSecret::new(&vector.secret), iv).expect("sealed");
        assert_eq!(
            token, vector.token,
            "{} ({})",
            vector.id, vector.implementation
        );
        reproduced += 1;
    }
    assert!(reproduced >= 30, "only {reproduced} vectors reproduced");
}

/// A Token04 CBC decoder written apart from the crate's: a block cipher, XOR by hand, the
/// padding checked here.
fn independent_decode(token: &str, secret: &[u8; 32]) -> (i64, serde_json::Value) {
    let packed = base64::engine::general_purpose::STANDARD
        .decode(token.strip_prefix("04").expect("version"))
        .expect("base64");
    let expire = i64::from_be_bytes(packed[0..8].try_into().expect("8 bytes"));
    let iv_len = usize::from(u16::from_be_bytes([packed[8], packed[9]]));
    let iv = &packed[10..10 + iv_len];
    let at = 10 + iv_len;
    let len = usize::from(u16::from_be_bytes([packed[at], packed[at + 1]]));
    let ciphertext = &packed[at + 2..at + 2 + len];
    let cipher = aes::Aes256::new(secret.into());
    let mut previous = iv.to_vec();
    let mut plaintext = Vec::new();
    for block in ciphertext.chunks(16) {
        let mut buffer = aes::Block::clone_from_slice(block);
        cipher.decrypt_block(&mut buffer);
        plaintext.extend(buffer.iter().zip(&previous).map(|(a, b)| a ^ b));
        previous = block.to_vec();
    }
    let pad = usize::from(*plaintext.last().expect("a block"));
    assert!((1..=16).contains(&pad));
    assert!(plaintext[plaintext.len() - pad..]
        .iter()
        .all(|b| usize::from(*b) == pad));
    plaintext.truncate(plaintext.len() - pad);
    (expire, serde_json::from_slice(&plaintext).expect("JSON"))
}

#[test]
fn tokens_made_here_read_with_an_independent_decoder() {
    let secret = b"0123456789abcdef0123456789abcdef";
    let issuer = TokenIssuer::new(4_294_967_295, "0123456789abcdef0123456789abcdef")
        .expect("valid")
        .clock(ManualClock::at_unix_millis(1_700_000_000_999));
    let room = RoomPrivilege::new("room1").publish(true).streams(["s1"]);
    let token = issuer
        .issue_for_room("用户-ü", Duration::from_secs(86_400), &room)
        .expect("issued");
    let (expire, fields) = independent_decode(&token, secret);
    assert_eq!(expire, 1_700_086_400);
    assert_eq!(fields["app_id"], 4_294_967_295_u64);
    assert_eq!(fields["user_id"], "用户-ü");
    assert_eq!(fields["ctime"], 1_700_000_000);
    assert_eq!(fields["expire"], 1_700_086_400);
    let nonce = fields["nonce"].as_i64().expect("integer nonce");
    assert!((0..=i64::from(i32::MAX)).contains(&nonce));
    assert_eq!(
        fields["payload"],
        r#"{"room_id":"room1","privilege":{"1":1,"2":1},"stream_id_list":["s1"]}"#
    );
    let keys: Vec<&str> = fields
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec!["app_id", "user_id", "nonce", "ctime", "expire", "payload"];
    expected.sort_unstable();
    assert_eq!(keys, expected);
}

#[test]
fn a_token_with_a_mode_byte_other_than_one_is_cbc() {
    let vector = &vectors()[0];
    let mut packed = base64::engine::general_purpose::STANDARD
        .decode(&vector.token[2..])
        .expect("base64");
    packed.push(2);
    let token = format!(
        "04{}",
        base64::engine::general_purpose::STANDARD.encode(&packed)
    );
    let decoded = decode_token04(&token, vector.secret.as_str()).expect("decoded");
    assert_eq!(decoded.mode, CipherMode::Cbc);
    assert_eq!(decoded.fields.user_id, vector.user_id);
}
