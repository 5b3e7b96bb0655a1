//! Every product's callbacks, end to end through each crate's `<crate>-verify-callback`
//! example (built by `cargo test --workspace`): each event's example body from ZEGOCLOUD's
//! page (kept in the spec), signed now with a test secret the way the product signs, verifies
//! and decodes as its own variant, with ids exact; a body signed with another secret, an
//! unknown event, and a stale one each get the answer they should. The example receives the
//! body as a web framework hands it over (`callbacks::receive` on an `http::Request`), so the
//! status a receiver would answer is checked too.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use zego_cloudrecord::runtime::callback_signature;

const SECRET: &str = "callbacks-test-secret";
const PRODUCTS: [(&str, &str); 6] = [
    ("rtc", "zego-rtc"),
    ("zim", "zego-zim"),
    ("ai-agent", "zego-ai-agent"),
    ("cloud-player", "zego-cloud-player"),
    ("cloud-asr", "zego-cloud-asr"),
    ("super-board", "zego-super-board"),
];

fn callbacks(product: &str) -> serde_yaml::Value {
    let path = tests::workspace_root().join(format!("spec/{product}/{product}.yaml"));
    let root: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).expect("spec")).expect("yaml");
    root["x-zego-callbacks"].clone()
}

fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

/// `body` with its signed fields (`names`: signature, timestamp, nonce) set for `secret`,
/// `age_seconds` ago, in the timestamp's own unit and JSON type.
fn signed(mut body: Value, names: &serde_yaml::Value, secret: &str, age_seconds: i64) -> Value {
    let name = |key: &str| names[key].as_str().expect("a field name").to_owned();
    let (signature, timestamp, nonce) = (name("signature"), name("timestamp"), name("nonce"));
    let in_millis = match &body[&timestamp] {
        Value::Number(n) => n.as_i64().unwrap_or(0) >= 100_000_000_000,
        Value::String(s) => s.len() >= 12,
        _ => false,
    };
    let sent = now_seconds() - age_seconds;
    let sent = if in_millis { sent * 1000 } else { sent };
    let text = sent.to_string();
    body[&timestamp] = match &body[&timestamp] {
        Value::Number(_) => Value::from(sent),
        _ => Value::from(text.clone()),
    };
    body[&nonce] = Value::from("4711");
    body[&signature] = Value::from(callback_signature(&secret.into(), &text, "4711"));
    body
}

fn verify(krate: &str, body: &Value) -> (bool, String, String) {
    let file = std::env::temp_dir().join(format!(
        "callback-{krate}-{}-{}.json",
        std::process::id(),
        body.to_string().len()
    ));
    std::fs::write(&file, body.to_string()).expect("write");
    let out = Command::new(tests::example_binary(&format!("{krate}-verify-callback")))
        .arg(&file)
        .env("ZEGO_CALLBACK_SECRET", SECRET)
        .output()
        .expect("the example runs");
    let _ = std::fs::remove_file(PathBuf::from(&file));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_documented_example_verifies_and_decodes_as_its_event() {
    let mut checked = 0;
    for (product, krate) in PRODUCTS {
        let callbacks = callbacks(product);
        let events = callbacks["events"].as_sequence().expect("events");
        for event in events {
            let Some(example) = event["example"].as_str() else {
                continue;
            };
            let body: Value = serde_json::from_str(example).expect("the example is JSON");
            let names = if event["signature"].is_mapping() {
                &event["signature"]
            } else {
                &callbacks["signature"]
            };
            let (ok, out, err) = verify(krate, &signed(body, names, SECRET, 5));
            let name = event["name"].as_str().expect("name");
            assert!(ok, "{product} {name}: {err}");
            let printed: Value = serde_json::from_str(&out).expect("one JSON line");
            assert_eq!(printed["event"], Value::from(name), "{product}: {out}");
            assert_eq!(printed["status"], 200, "answered as a receiver would");
            assert_eq!(
                printed["deprecated"].as_bool(),
                Some(event["deprecated"].as_bool().unwrap_or(false))
            );
            checked += 1;
        }
    }
    assert!(checked >= 54, "only {checked} examples checked");
}

#[test]
fn forged_unknown_and_stale_callbacks_get_the_answer_they_should() {
    let callbacks = callbacks("zim");
    let example = callbacks["events"][0]["example"].as_str().expect("example");
    let body: Value = serde_json::from_str(example).expect("json");
    let names = &callbacks["signature"];

    let forged = signed(body.clone(), names, "another-secret", 5);
    let (ok, _, err) = verify("zego-zim", &forged);
    assert!(
        !ok && err.contains("(401)") && err.contains("signature is wrong"),
        "{err}"
    );

    let two_hours_old = signed(body.clone(), names, SECRET, 7_200);
    let (ok, _, err) = verify("zego-zim", &two_hours_old);
    assert!(!ok && err.contains("s old"), "{err}");

    let mut unknown = body;
    unknown["event"] = Value::from("a_new_event");
    unknown["msg_id"] = Value::from(971_503_777_289_036_700_i64);
    let (ok, out, err) = verify("zego-zim", &signed(unknown, names, SECRET, 5));
    assert!(ok, "{err}");
    let printed: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(printed["event"], "Unknown");
    assert!(
        out.contains("971503777289036700"),
        "an unknown event keeps its raw fields exactly: {out}"
    );
}

/// A millisecond timestamp (AI Agent) ages like a seconds one, and the deprecated
/// `AgentSpeakAction` its pages still send is decoded with its fields and marked.
#[test]
fn ai_agent_s_deprecated_event_is_decoded_and_marked() {
    let callbacks = callbacks("ai-agent");
    let deprecated = callbacks["events"]
        .as_sequence()
        .expect("events")
        .iter()
        .find(|event| event["deprecated"].as_bool() == Some(true))
        .expect("a deprecated event");
    let body: Value =
        serde_json::from_str(deprecated["example"].as_str().expect("example")).expect("json");
    let (ok, out, err) = verify(
        "zego-ai-agent",
        &signed(body, &callbacks["signature"], SECRET, 3),
    );
    assert!(ok, "{err}");
    let printed: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(printed["event"], "AgentSpeakAction");
    assert_eq!(printed["deprecated"], true);
}

/// The receiver example of two products (built with `--features axum` by `.ci/run`) gets every
/// documented event the runtime's mock sends it, signed now, and answers 200; a callback signed
/// with another secret gets 401 and never reaches the handler.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_gets_every_documented_event_the_mock_sends() {
    use std::io::BufRead;
    use zego_cloudrecord::runtime::mock::send_callback;
    use zego_cloudrecord::runtime::{SensitiveString, SignedFields, SystemClock};

    for (product, krate) in [
        ("cloud-asr", "zego-cloud-asr"),
        ("super-board", "zego-super-board"),
    ] {
        let binary = tests::example_path(&format!("{krate}-receive-callbacks"));
        if !binary.exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "{} is not built: .ci/run builds it with --features axum",
                binary.display()
            );
            eprintln!(
                "skipped: {} is not built (cargo build -p {krate} --features axum --examples)",
                binary.display()
            );
            continue;
        }
        let mut child = Command::new(&binary)
            .env("ZEGO_CALLBACK_SECRET", SECRET)
            .env("ZEGO_CALLBACK_ADDR", "127.0.0.1:0")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the receiver runs");
        let stdout = child.stdout.take().expect("stdout");
        let (lines_in, lines) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if lines_in.send(line).is_err() {
                    break;
                }
            }
        });
        let next = || {
            lines
                .recv_timeout(std::time::Duration::from_secs(30))
                .expect("the receiver prints a line")
        };
        let listening: Value = serde_json::from_str(&next()).expect("json");
        let url = format!(
            "http://{}/zego/callback",
            listening["listening"].as_str().expect("an address")
        );
        let callbacks = callbacks(product);
        let fields = if callbacks["signature"]["signature"] == "Signature" {
            [SignedFields::PASCAL_CASE]
        } else {
            [SignedFields::LOWERCASE]
        };
        let secret = SensitiveString::from(SECRET);
        for event in callbacks["events"].as_sequence().expect("events") {
            let Some(example) = event["example"].as_str() else {
                continue;
            };
            let answer = send_callback(&url, &secret, &fields, example, &SystemClock)
                .await
                .expect("sent");
            assert_eq!(answer.status, 200, "{product}: {}", answer.body);
            let printed: Value = serde_json::from_str(&next()).expect("json");
            assert_eq!(
                printed["event"].as_str(),
                event["name"].as_str(),
                "{product}"
            );
        }
        let example = callbacks["events"][0]["example"].as_str().expect("example");
        let forged = send_callback(
            &url,
            &"another-secret".into(),
            &fields,
            example,
            &SystemClock,
        )
        .await
        .expect("sent");
        assert_eq!(forged.status, 401, "{}", forged.body);
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// What ZIM's pages contradict is accepted where harmless: the English example's
/// `Apply_join_group` is the group-joined event, and `msg_body`, which the pages say arrives
/// URL-encoded, is decoded before the event is read.
#[test]
fn zim_s_contradictions_are_accepted_where_harmless() {
    let callbacks = callbacks("zim");
    let events = callbacks["events"].as_sequence().expect("events");
    let example = |name: &str| -> Value {
        let event = events
            .iter()
            .find(|event| event["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("no event {name}"));
        serde_json::from_str(event["example"].as_str().expect("example")).expect("json")
    };
    let mut joined = example("GroupJoined");
    joined["event"] = Value::from("Apply_join_group");
    let (ok, out, err) = verify(
        "zego-zim",
        &signed(joined, &callbacks["signature"], SECRET, 5),
    );
    assert!(ok, "{err}");
    let printed: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(printed["event"], "GroupJoined");

    let mut sent = example("MessageSent");
    sent["msg_body"] = Value::from("%7B%22text%22%3A%22hello+world%22%7D");
    let (ok, out, err) = verify(
        "zego-zim",
        &signed(sent, &callbacks["signature"], SECRET, 5),
    );
    assert!(ok, "{err}");
    let printed: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(printed["body"]["msg_body"], r#"{"text":"hello world"}"#);
}

/// A value of `schema`'s type (its first enum value, its first alternative), for a body made
/// of an event's required fields only.
fn sample(schema: &serde_yaml::Value) -> Value {
    if let Some(first) = schema["enum"]
        .as_sequence()
        .and_then(|values| values.first())
    {
        return serde_json::to_value(first).expect("json");
    }
    if let Some(first) = schema["oneOf"]
        .as_sequence()
        .and_then(|alternatives| alternatives.first())
    {
        return sample(first);
    }
    match schema["type"].as_str() {
        Some("integer") => Value::from(1),
        Some("number") => Value::from(1.5),
        Some("boolean") => Value::from(true),
        Some("array") => Value::Array(Vec::new()),
        Some("object") => minimal_object(schema),
        _ => Value::from("text"),
    }
}

fn minimal_object(schema: &serde_yaml::Value) -> Value {
    let mut object = serde_json::Map::new();
    for name in schema["required"].as_sequence().into_iter().flatten() {
        let name = name.as_str().expect("a field name");
        object.insert(name.to_owned(), sample(&schema["properties"][name]));
    }
    Value::Object(object)
}

/// Every event, not only those whose page shows an example (Cloud Player shows 2 of its 10,
/// AI Agent none for AgentInstanceStatus): a body of its required fields, named by its value,
/// verifies and decodes as its own variant.
#[test]
fn every_event_decodes_from_a_body_of_its_required_fields() {
    let mut checked = 0;
    for (product, krate) in PRODUCTS {
        let path = tests::workspace_root().join(format!("spec/{product}/{product}.yaml"));
        let root: serde_yaml::Value =
            serde_yaml::from_str(&std::fs::read_to_string(path).expect("spec")).expect("yaml");
        let callbacks = &root["x-zego-callbacks"];
        for event in callbacks["events"].as_sequence().expect("events") {
            let reference = event["schema"]["$ref"].as_str().expect("a $ref");
            let component = reference.rsplit('/').next().expect("a name");
            let schema = &root["components"]["schemas"][component];
            let mut body = minimal_object(schema);
            let discriminator = event["discriminator"]
                .as_str()
                .or_else(|| callbacks["discriminator"].as_str())
                .expect("a discriminator");
            body[discriminator] = serde_json::to_value(&event["value"]).expect("json");
            let names = if event["signature"].is_mapping() {
                &event["signature"]
            } else {
                &callbacks["signature"]
            };
            let (ok, out, err) = verify(krate, &signed(body, names, SECRET, 1));
            let name = event["name"].as_str().expect("name");
            assert!(ok, "{product} {name}: {err}");
            let printed: Value = serde_json::from_str(&out).expect("json");
            assert_eq!(printed["event"].as_str(), Some(name), "{product}: {out}");
            checked += 1;
        }
    }
    assert_eq!(checked, 63, "every documented event");
}
