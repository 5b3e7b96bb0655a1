//! Properties over arbitrary input: reading never panics, whatever the bytes; what is made
//! reads back; a changed byte is never silently read as the original.

use std::time::Duration;

use base64::Engine as _;
use proptest::prelude::*;
use zego_token::{decode_token04, ManualClock, TokenIssuer};

const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn issuer(now_ms: i64) -> TokenIssuer {
    TokenIssuer::new(1234567890, SECRET)
        .expect("valid")
        .clock(ManualClock::at_unix_millis(now_ms))
}

proptest! {
    #[test]
    fn any_text_is_read_without_panic(text in ".{0,300}", secret_len in prop::sample::select(vec![0usize, 15, 16, 24, 32, 33])) {
        let secret = "k".repeat(secret_len);
        let _ = decode_token04(&text, secret.as_str());
        let _ = decode_token04(&format!("04{text}"), secret.as_str());
    }

    #[test]
    fn any_bytes_after_the_version_are_read_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let token = format!("04{}", base64::engine::general_purpose::STANDARD.encode(&bytes));
        let _ = decode_token04(&token, SECRET);
    }

    #[test]
    fn what_is_made_reads_back(
        app_id in 1u32..,
        user_id in "\\PC{1,64}",
        payload in "\\PC{0,200}",
        ttl in 1u64..10_000_000,
        now_ms in 0i64..4_000_000_000_000,
    ) {
        let issuer = TokenIssuer::new(app_id, SECRET)
            .expect("valid")
            .clock(ManualClock::at_unix_millis(now_ms));
        let token = issuer.issue(&user_id, Duration::from_secs(ttl), &payload).expect("issued");
        let decoded = decode_token04(&token, SECRET).expect("decoded");
        prop_assert_eq!(decoded.fields.app_id, app_id);
        prop_assert_eq!(&decoded.fields.user_id, &user_id);
        prop_assert_eq!(&decoded.fields.payload, &payload);
        prop_assert_eq!(decoded.fields.issued_at, now_ms.div_euclid(1000));
        prop_assert_eq!(decoded.fields.expires_at, now_ms.div_euclid(1000) + ttl as i64);
    }

    #[test]
    fn a_changed_byte_is_an_error_or_reads_differently(position in 0usize..200, flip in 1u8..=255) {
        let token = issuer(1_700_000_000_000).issue("user1", Duration::from_secs(60), "").expect("issued");
        let original = decode_token04(&token, SECRET).expect("decoded");
        let mut packed = base64::engine::general_purpose::STANDARD.decode(&token[2..]).expect("base64");
        let at = position % packed.len();
        packed[at] ^= flip;
        let changed = format!("04{}", base64::engine::general_purpose::STANDARD.encode(&packed));
        if let Ok(decoded) = decode_token04(&changed, SECRET) {
            prop_assert_ne!(decoded, original);
        }
    }
}
