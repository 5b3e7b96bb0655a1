//! What each imported spec carries from ZEGOCLOUD's pages, checked as data: the codes that
//! throttle are retried for every action, the caps that reset after hours never are, the
//! gateway's codes stay the runtime's, and the limits the pages state (a product-wide
//! default, an overview that disagrees with a file) are in the actions.

use serde_yaml::Value;

fn root(product: &str) -> Value {
    let path = tests::workspace_root().join(format!("spec/{product}/{product}.yaml"));
    serde_yaml::from_str(&std::fs::read_to_string(&path).expect("spec")).expect("yaml")
}

fn action(product: &str, name: &str) -> Value {
    let path = tests::workspace_root().join(format!("spec/{product}/actions/{name}.yaml"));
    let document: Value =
        serde_yaml::from_str(&std::fs::read_to_string(&path).expect("action")).expect("yaml");
    let operation = document["paths"]
        .as_mapping()
        .and_then(|paths| paths.values().next())
        .and_then(|item| item.get("post").or_else(|| item.get("get")))
        .cloned();
    operation.expect("one operation")
}

fn code(product: &str, number: i64) -> Value {
    root(product)["x-zego-return-codes"]
        .as_sequence()
        .and_then(|codes| {
            codes
                .iter()
                .find(|code| code["code"].as_i64() == Some(number))
        })
        .cloned()
        .unwrap_or_else(|| panic!("{product} lists no code {number}"))
}

#[test]
fn every_product_s_throttling_codes_are_retried_for_any_action() {
    for (product, number) in [
        ("rtc", 206),
        ("rtc", 207),
        ("zim", 660_300_005),
        ("zim", 660_300_006),
        ("cloud-player", 350_006_001),
        ("analytics", 30_002),
        ("ai-agent", 410_001_029),
        ("super-board", 7),
        ("cloudrecord", 300_000_003),
    ] {
        let code = code(product, number);
        assert_eq!(
            code["retry"].as_str(),
            Some("after-backoff"),
            "{product} {number}"
        );
        assert_eq!(
            code["answered-before-acting"].as_bool(),
            Some(true),
            "{product} {number}"
        );
    }
}

#[test]
fn a_cap_that_resets_after_hours_is_never_retried() {
    let cap = code("zim", 660_500_003);
    assert_eq!(cap["retry"].as_str(), Some("never"));
    assert_eq!(cap["resets-after-seconds"].as_u64(), Some(86_400));
}

#[test]
fn each_product_lists_only_its_own_codes_each_named() {
    for product in [
        "rtc",
        "ai-agent",
        "zim",
        "cloud-asr",
        "cloud-player",
        "super-board",
        "analytics",
        "cloudrecord",
    ] {
        let root = root(product);
        let codes = root["x-zego-return-codes"].as_sequence().expect("codes");
        assert!(!codes.is_empty(), "{product}");
        for code in codes {
            let number = code["code"].as_i64().expect("number");
            assert!(
                number != 0 && !(100_000_000..=100_000_017).contains(&number),
                "{product} lists {number}, which is not its own"
            );
            let name = code["name"].as_str().expect("name");
            assert!(
                !name.starts_with("Code"),
                "{product}'s code {number} has no name in facts/{product}.yaml"
            );
        }
    }
    assert_eq!(
        root("ai-agent")["x-zego-exception-codes"]
            .as_sequence()
            .map(Vec::len),
        Some(23)
    );
    assert_eq!(
        root("cloud-asr")["x-zego-exception-codes"]
            .as_sequence()
            .map(Vec::len),
        Some(7)
    );
}

#[test]
fn analytics_says_what_its_pages_leave_unknown() {
    let note = root("analytics")["x-zego-note"]
        .as_str()
        .expect("a note")
        .to_lowercase();
    assert!(note.contains("signature"), "{note}");
}

#[test]
fn ai_agent_s_default_limit_reaches_every_action() {
    let folder = tests::workspace_root().join("spec/ai-agent/actions");
    let mut actions = 0;
    for entry in std::fs::read_dir(folder).expect("actions") {
        let name = entry.expect("entry").path();
        let stem = name
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("stem")
            .to_owned();
        let operation = action("ai-agent", &stem);
        assert!(
            operation["x-zego-rate-limit"].as_u64().is_some(),
            "{stem} has no per-second limit"
        );
        actions += 1;
    }
    assert!(actions >= 19, "{actions}");
}

#[test]
fn where_a_file_and_the_overview_disagree_the_stricter_limit_is_kept_and_said() {
    let describe = action("cloud-player", "DescribePlayers");
    assert_eq!(describe["x-zego-rate-limit"].as_u64(), Some(10));
    let note = describe["x-zego-note"].as_str().expect("a note");
    assert!(
        note.contains("20") && note.contains("overview.mdx"),
        "{note}"
    );
}

#[test]
fn limits_per_room_or_group_name_the_field_that_keys_them() {
    for (product, name, key) in [
        ("rtc", "DescribeUserList", "RoomId"),
        ("zim", "QueryRoomMembers", "RoomId"),
        ("zim", "DismissGroup", "GroupId"),
    ] {
        let limits = action(product, name)["x-zego-call-limits"].clone();
        let keyed = limits
            .as_sequence()
            .expect("limits")
            .iter()
            .any(|limit| limit["key"].as_str() == Some(key));
        assert!(keyed, "{product} {name}: {limits:?}");
    }
}

/// Cloud Recording's spec is kept by hand: every code its pages list (English and Chinese, in
/// the copy of ZEGOCLOUD's files) is in it, and it lists none the pages do not.
#[test]
fn cloud_recording_s_hand_kept_codes_are_the_ones_its_pages_list() {
    let mut listed = Vec::new();
    for page in [
        "extended_services/cloud_recording/en/server/return-codes.mdx",
        "extended_services/cloud_recording/zh/server/error-codes.mdx",
    ] {
        let path = tests::workspace_root()
            .join("tests/upstream/docs_all")
            .join(page);
        let text = std::fs::read_to_string(&path).expect("page");
        for number in xtask::import::pages::code_numbers(&text) {
            if number != 0
                && !(100_000_000..=100_000_017).contains(&number)
                && !listed.contains(&number)
            {
                listed.push(number);
            }
        }
    }
    listed.sort_unstable();
    let ours: Vec<i64> = root("cloudrecord")["x-zego-return-codes"]
        .as_sequence()
        .expect("codes")
        .iter()
        .filter_map(|code| code["code"].as_i64())
        .collect();
    assert_eq!(ours, listed);
}
