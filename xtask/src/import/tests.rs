//! The constructs ZEGOCLOUD's files use, each imported from a small folder of files written
//! here: several actions in one file, a GET that declares a body, a tab ending a line, hosts of
//! two services in one shared list, numbers that hold ids, and examples that contradict their
//! own schema.

use std::path::{Path, PathBuf};

use super::{fixups, import, ImportOptions, Imported};

const SHARED: &str = "servers:\n  - url: https://chat-api.zego.im\n    description: Unified access address\t\n  - url: https://chat-api-sha.zego.im\n  - url: https://auth-api.zego.im\ncomponents:\n  parameters:\n    AppId: {name: AppId, in: query, required: true, schema: {type: integer}}\n";

fn action_file(operation: &str, method: &str, actions: &str, extra: &str) -> String {
    format!(
        "openapi: 3.0.0\ninfo: {{title: t, version: '1'}}\nservers:\n  $ref: './shared-components.yaml#/servers'\npaths:\n  /:\n    {method}:\n      operationId: {operation}\n      description: \"<Note title=\\\"QPS Limit\\\"> 20 times/s</Note>\"\n      parameters:\n        - name: Action\n          in: query\n          required: true\n          schema: {{type: string, enum: [{actions}]}}\n        - $ref: './shared-components.yaml#/components/parameters/AppId'\n{extra}"
    )
}

const REPLY: &str = "      responses:\n        '200':\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  Code: {type: number}\n                  Message: {type: string}\n                  RequestId: {type: string}\n";

fn folder(name: &str, files: &[(&str, String)]) -> PathBuf {
    let root = std::env::temp_dir().join(format!("xtask-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("folder");
        std::fs::write(path, text).expect("file");
    }
    root
}

fn imported(name: &str, files: &[(&str, String)]) -> Imported {
    imported_with_facts(name, files, None)
}

fn imported_with_facts(name: &str, files: &[(&str, String)], facts: Option<&str>) -> Imported {
    let root = folder(name, files);
    let facts = facts.map(|text| {
        let path = root.join("facts.yaml");
        std::fs::write(&path, text).expect("facts");
        (path, "facts/chat.yaml".to_owned())
    });
    let options = ImportOptions {
        facts,
        folders: vec![root.clone()],
        product: "chat".to_owned(),
        crate_name: "zego-chat".to_owned(),
        title: "Chat".to_owned(),
        version: "0.1.0".to_owned(),
        login_tokens: false,
    };
    let result = import(&options).unwrap_or_else(|errors| panic!("{errors}"));
    let _ = std::fs::remove_dir_all(root);
    result
}

fn document<'a>(imported: &'a Imported, path: &str) -> &'a str {
    &imported
        .files
        .iter()
        .find(|(name, _)| name == path)
        .unwrap_or_else(|| panic!("{path} not written"))
        .1
}

fn places(imported: &Imported, fixup: fixups::Fixup) -> Vec<String> {
    imported
        .report
        .fixups
        .0
        .get(&fixup)
        .cloned()
        .unwrap_or_default()
}

#[test]
fn one_operation_serving_two_actions_is_two_actions() {
    let body = "      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                MsgSeq: {type: number, example: 971503777289036700}\n";
    let file = action_file(
        "edit",
        "post",
        "EditOne, EditTwo",
        &format!("{body}{REPLY}"),
    );
    let result = imported(
        "two",
        &[
            ("shared-components.yaml", SHARED.to_owned()),
            ("edit.yaml", file),
        ],
    );
    assert_eq!(result.report.actions, ["EditOne", "EditTwo"]);
    let one = document(&result, "actions/EditOne.yaml");
    let two = document(&result, "actions/EditTwo.yaml");
    assert!(
        one.contains("EditOneRequest") && two.contains("EditTwoRequest"),
        "{one}\n{two}"
    );
    // Fix-ups count once, for the file's one operation.
    assert_eq!(places(&result, fixups::NUMBER_AS_INTEGER).len(), 1);
    assert!(one.contains("format: int64"), "{one}");
}

#[test]
fn a_get_body_goes_in_the_query_and_a_tab_ending_a_line_is_read() {
    let body = "      requestBody:\n        required: false\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [Limit]\n              properties:\n                Limit: {type: number, maximum: 10000}\n                Next: {type: number}\n";
    let file = action_file("list", "get", "ListAll", &format!("{body}{REPLY}"));
    let result = imported(
        "get-body",
        &[
            ("shared-components.yaml", SHARED.to_owned()),
            ("list.yaml", file),
        ],
    );
    let action = document(&result, "actions/ListAll.yaml");
    assert!(!action.contains("requestBody"), "{action}");
    assert!(
        action.contains("name: Limit") && action.contains("name: Next"),
        "{action}"
    );
    assert_eq!(places(&result, fixups::GET_BODY_AS_QUERY).len(), 1);
}

#[test]
fn hosts_of_another_service_are_named_where_they_are_left_out() {
    let file = action_file("send", "get", "Send", REPLY);
    let result = imported(
        "hosts",
        &[
            ("shared-components.yaml", SHARED.to_owned()),
            ("send.yaml", file),
        ],
    );
    let places = places(&result, fixups::MIXED_SERVICE_HOSTS);
    assert_eq!(places.len(), 1);
    assert!(
        places[0].contains("kept the 2 `chat-api.zego.im` hosts; left out auth-api.zego.im"),
        "{places:?}"
    );
}

#[test]
fn an_example_that_leaves_out_a_required_field_makes_its_check_advisory() {
    let body = "      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [StreamUrl, Vendor]\n              properties:\n                StreamUrl: {type: string}\n                Vendor: {type: string, enum: [A, B]}\n            example:\n              Vendor: C\n";
    let file = action_file("mix", "post", "Mix", &format!("{body}{REPLY}"));
    let result = imported(
        "examples",
        &[
            ("shared-components.yaml", SHARED.to_owned()),
            ("mix.yaml", file),
        ],
    );
    let action = document(&result, "actions/Mix.yaml");
    assert!(action.contains("id: example-omits-stream-url"), "{action}");
    assert!(
        action.contains("id: example-uses-unlisted-vendor"),
        "{action}"
    );
    assert!(action.contains("grade: advisory"), "{action}");
    assert!(
        !action.contains("- StreamUrl\n"),
        "no longer required: {action}"
    );
    assert_eq!(places(&result, fixups::EXAMPLE_CONTRADICTS_SCHEMA).len(), 2);
}

#[test]
fn the_pages_give_codes_and_limits_and_the_facts_name_them() {
    let code_table = "      responses:\n        '200':\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  Code:\n                    type: number\n                    description: \"<table><tr><td>9</td><td>gone</td></tr></table>\"\n                  Message: {type: string}\n";
    let unlimited = action_file("CreatePlayer", "get", "CreatePlayer", REPLY).replace(
        "<Note title=\\\"QPS Limit\\\"> 20 times/s</Note>",
        "Creates one.",
    );
    let files = [
        ("snippets/common/README.md", String::new()),
        ("players/shared-components.yaml", SHARED.to_owned()),
        (
            "players/describe.yaml",
            action_file("DescribePlayers", "get", "DescribePlayers", code_table),
        ),
        (
            "players/describe.mdx",
            "api: eJzt\n<Note title=\"Note\">Call frequency limit: 20 times/second</Note>\n<div>Field: 2 times/second</div>\n".to_owned(),
        ),
        ("players/create.yaml", unlimited),
        (
            "overview.mdx",
            "|Name|What|Limit|\n|-|-|-|\n|[Describe](./players/describe.mdx)|Lists.|10 times/second|\n".to_owned(),
        ),
        (
            "defaults.mdx",
            "<Warning>Without a figure of its own, an action may be called 5 times/second.</Warning>\n".to_owned(),
        ),
        ("return-codes.mdx", "| Code | Meaning |\n|-|-|\n| 0 | ok |\n| 100000004 | gateway |\n| 7 | slow |\n| 8 | new |\n".to_owned()),
    ];
    let facts = "call-limits:\n  default-per-second-page: defaults.mdx\nreturn-codes:\n  codes:\n    - {code: 7, name: Throttled, meaning: Too many calls., retry: after-backoff, answered-before-acting: true}\n    - {code: 9, name: PlayerGone, meaning: No such player.}\n";
    let imported = imported_with_facts("pages", &files, Some(facts));
    let root: serde_yaml::Value =
        serde_yaml::from_str(document(&imported, "chat.yaml")).expect("root");
    let codes: Vec<(i64, &str)> = root["x-zego-return-codes"]
        .as_sequence()
        .expect("codes")
        .iter()
        .map(|code| {
            (
                code["code"].as_i64().expect("n"),
                code["name"].as_str().expect("name"),
            )
        })
        .collect();
    assert_eq!(codes, [(7, "Throttled"), (8, "Code8"), (9, "PlayerGone")]);
    assert_eq!(
        root["x-zego-return-codes"][0]["answered-before-acting"],
        serde_yaml::Value::Bool(true)
    );
    assert_eq!(imported.report.codes.reply, (3, 2));
    let describe = document(&imported, "actions/DescribePlayers.yaml");
    assert!(describe.contains("x-zego-rate-limit: 10"), "{describe}");
    assert!(describe.contains("x-zego-codes:\n      - 9"), "{describe}");
    assert!(
        describe.contains(
            "`players/describe.yaml` says 20 and `overview.mdx` says 10; the stricter, 10, is kept"
        ),
        "{describe}"
    );
    let create = document(&imported, "actions/CreatePlayer.yaml");
    assert!(create.contains("x-zego-rate-limit: 5"), "{create}");
    assert!(
        create.contains("the default `defaults.mdx` states"),
        "{create}"
    );
    let unnamed = imported
        .report
        .findings
        .iter()
        .any(|finding| finding.message.contains("named by number: 8"));
    assert!(unnamed, "{:?}", imported.report.findings);
}
