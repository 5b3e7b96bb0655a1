//! ZEGOCLOUD signature 2.0: known vectors computed outside Rust, and a property test against a
//! straightforward re-implementation.

use proptest::prelude::*;
use tests::support::{
    expected_signature, FixedClock, FixedNonce, APP_ID, NONCE_HEX, SERVER_SECRET, TIMESTAMP,
};
use zego_cloudrecord::runtime::{
    signature, NonceSource, OsRandom, SensitiveString, SignedParameters,
};

#[test]
fn known_vectors() {
    // Each literal was produced by Python's hashlib, e.g.
    // python3 -c "import hashlib;print(hashlib.md5(b'1234567890'+b'0123456789abcdef'+b'canary-server-secret-5f1c'+b'1700000000').hexdigest())"
    let secret = SensitiveString::from(SERVER_SECRET);
    assert_eq!(
        signature(APP_ID, NONCE_HEX, &secret, TIMESTAMP),
        "6f6e733b3d131b39e7de2d737459f09e"
    );
    // python3 -c "import hashlib;print(hashlib.md5(('%d%s%s%d'%(1,'ffffffffffffffff','s3cr3t',0)).encode()).hexdigest())"
    assert_eq!(
        signature(1, "ffffffffffffffff", &"s3cr3t".into(), 0),
        "e70d7f5ebb8bc2aa86e6c566dfa5684a"
    );
    // python3 -c "import hashlib;print(hashlib.md5(('%d%s%s%d'%(4294967295,'00000000deadbeef','服务器密钥',1764000000)).encode()).hexdigest())"
    assert_eq!(
        signature(
            u32::MAX,
            "00000000deadbeef",
            &"服务器密钥".into(),
            1_764_000_000
        ),
        "9ea1884870ad3eb876dce1e0d9c75a15"
    );
}

#[test]
fn signed_parameters_use_the_injected_clock_and_nonce() {
    let secret = SensitiveString::from(SERVER_SECRET);
    let signed = SignedParameters::new(APP_ID, &secret, &FixedClock, &FixedNonce).expect("sign");
    assert_eq!(signed.nonce(), NONCE_HEX);
    assert_eq!(signed.timestamp(), TIMESTAMP);
    assert_eq!(signed.signature(), "6f6e733b3d131b39e7de2d737459f09e");
    let pairs = signed.query_pairs("StartRecord");
    let names: Vec<&str> = pairs.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "Action",
            "AppId",
            "SignatureNonce",
            "Timestamp",
            "Signature",
            "SignatureVersion"
        ]
    );
    assert_eq!(pairs[5].1, "2.0");
}

#[test]
fn os_nonces_are_16_lowercase_hex_characters_and_fresh() {
    let secret = SensitiveString::from(SERVER_SECRET);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..64 {
        let signed = SignedParameters::new(APP_ID, &secret, &FixedClock, &OsRandom).expect("sign");
        assert_eq!(signed.nonce().len(), 16);
        assert!(
            signed
                .nonce()
                .chars()
                .all(|c| matches!(c, '0'..='9' | 'a'..='f')),
            "{}",
            signed.nonce()
        );
        assert_eq!(signed.signature().len(), 32);
        seen.insert(signed.nonce().to_owned());
    }
    assert_eq!(
        seen.len(),
        64,
        "64 draws of 8 random bytes should not repeat"
    );
    assert_ne!(
        OsRandom.nonce_bytes().expect("random"),
        OsRandom.nonce_bytes().expect("random")
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn signature_matches_a_straightforward_reimplementation(
        app_id in any::<u32>(),
        nonce in any::<[u8; 8]>(),
        secret in ".{0,64}",
        timestamp in any::<i64>(),
    ) {
        let nonce_hex: String = nonce.iter().map(|byte| format!("{byte:02x}")).collect();
        let ours = signature(app_id, &nonce_hex, &SensitiveString::from(secret.as_str()), timestamp);
        prop_assert_eq!(ours, expected_signature(app_id, &nonce_hex, &secret, timestamp));
    }
}
