//! The `xtask` binary as a maintainer runs it: the checkout it works on is found at run time,
//! a closed stdout is no panic, and a version check that cannot run says so.
//!
//! A binary of its own because only this package's tests can run the `xtask` binary
//! (`CARGO_BIN_EXE_xtask`); the workspace's other integration tests are one binary in `tests/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A second checkout: the files `codegen` reads and writes, and no git history.
fn second_checkout(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let source = workspace();
    for dir in [
        "spec",
        "handwritten",
        "generated",
        "runtime",
        "tests/fixtures/specs",
        "tests/fixture-clients",
    ] {
        copy_dir(&source.join(dir), &root.join(dir));
    }
    std::fs::create_dir_all(root.join("xtask")).expect("xtask dir");
    for file in ["Cargo.toml", "xtask/Cargo.toml"] {
        std::fs::copy(source.join(file), root.join(file)).expect("copy manifest");
    }
    root
}

fn xtask_in(checkout: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .current_dir(checkout)
        .env("CARGO_MANIFEST_DIR", checkout.join("xtask"));
    command
}

#[test]
fn each_checkout_is_generated_from_its_own_spec() {
    let checkout = second_checkout("worktree");
    let fresh = xtask_in(&checkout)
        .args(["codegen", "--check"])
        .output()
        .expect("run xtask");
    assert!(
        fresh.status.success(),
        "{}",
        String::from_utf8_lossy(&fresh.stderr)
    );
    let stderr = String::from_utf8_lossy(&fresh.stderr);
    assert!(
        stderr.contains("note: no version check"),
        "without git history the version check says it did not run: {stderr}"
    );

    let spec = checkout.join("spec/cloudrecord/actions/StartRecord.yaml");
    let text = std::fs::read_to_string(&spec).expect("spec");
    let edited = text.replacen("Room ID to be recorded.", "Room to record.", 1);
    assert_ne!(
        text, edited,
        "the spec still has the sentence this test edits"
    );
    std::fs::write(&spec, edited).expect("edit spec");
    let stale = xtask_in(&checkout)
        .args(["codegen", "--check"])
        .output()
        .expect("run xtask");
    assert!(!stale.status.success(), "the edited checkout is stale");

    let written = xtask_in(&checkout)
        .arg("codegen")
        .output()
        .expect("run xtask");
    assert!(written.status.success());
    let types = std::fs::read_to_string(
        checkout.join("handwritten/zego-cloudrecord/generated/src/types.rs"),
    )
    .expect("types");
    assert!(
        types.contains("Room to record."),
        "written into the second checkout"
    );
    let ours = std::fs::read_to_string(
        workspace().join("handwritten/zego-cloudrecord/generated/src/types.rs"),
    )
    .expect("types");
    assert!(
        !ours.contains("Room to record."),
        "this checkout is untouched"
    );
    let _ = std::fs::remove_dir_all(&checkout);
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    let checkout = second_checkout("pipe");
    let mut child = xtask_in(&checkout)
        .args(["codegen", "--check"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run xtask");
    // The reader goes away before the first line, as `| head -0` would.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success(), "{stderr}");
    let _ = std::fs::remove_dir_all(&checkout);
}

#[test]
fn bundle_prints_one_action_as_a_self_contained_document() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(workspace())
        .args(["bundle", "StopRecord"])
        .output()
        .expect("run xtask");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: serde_yaml::Value =
        serde_yaml::from_slice(&output.stdout).expect("the bundle is YAML");
    let paths = document["paths"].as_mapping().expect("paths");
    assert_eq!(paths.len(), 1, "one action's paths");
    assert_eq!(
        document["paths"]["/"]["post"]["operationId"].as_str(),
        Some("StopRecord")
    );
    assert!(document.get("x-zego-actions").is_none(), "no member list");
    let text = String::from_utf8_lossy(&output.stdout);
    let outside: Vec<&str> = text
        .lines()
        .filter(|line| line.trim_start().starts_with("$ref:") && line.contains(".yaml"))
        .collect();
    assert!(
        outside.is_empty(),
        "references leave the document: {outside:?}"
    );
    assert!(text.contains("$ref: '#/components/schemas/StopRecordRequest'"));
    assert!(document["components"]["schemas"]["StopRecordRequest"].is_mapping());

    let unknown = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(workspace())
        .args(["bundle", "StopEverything"])
        .output()
        .expect("run xtask");
    assert!(!unknown.status.success());
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("StopEverything"), "{stderr}");
}

#[test]
fn a_crate_generated_outside_the_workspace_names_the_runtime_by_a_working_relative_path() {
    let out = std::env::temp_dir().join(format!(
        "xtask-cli-out-{}/zego-cloud-asr",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&out);
    let run = xtask_in(&workspace())
        .args([
            "codegen",
            "--spec",
            "spec/cloud-asr/cloud-asr.yaml",
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("run xtask");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    let path = manifest
        .lines()
        .find(|line| line.starts_with("zego-server-runtime = "))
        .and_then(|line| line.split("path = \"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .expect("the runtime is named by path");
    let runtime_manifest = std::fs::read_to_string(out.join(path).join("Cargo.toml"))
        .expect("the path reaches a manifest");
    assert!(
        runtime_manifest.contains("name = \"zego-server-runtime\""),
        "{path}"
    );
    assert!(out.join("src/lib.rs").is_file() && out.join("src/types.rs").is_file());
    let _ = std::fs::remove_dir_all(out.parent().expect("parent"));
}

/// The files of a folder, by path relative to it.
fn files_of(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned();
                out.insert(relative, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Every imported product's spec set is what importing it again from the copy of ZEGOCLOUD's
/// files in `tests/upstream/docs_all` writes, byte for byte: no manual step after an import.
#[test]
fn a_re_import_rewrites_every_imported_spec_set_byte_for_byte() {
    let source = workspace();
    let scratch = std::env::temp_dir().join(format!("xtask-reimport-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(source.join("spec"))
        .expect("spec/")
        .flatten()
    {
        let product = entry.file_name().to_string_lossy().into_owned();
        let root = entry.path().join(format!("{product}.yaml"));
        let text = std::fs::read_to_string(&root).expect("root document");
        if !text.contains("\nx-zego-upstream:") {
            continue;
        }
        let copy = scratch.join(&product);
        copy_dir(&entry.path(), &copy);
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .current_dir(&source)
            .args(["import", "--out"])
            .arg(&copy)
            .arg("--docs")
            .arg(source.join("tests/upstream/docs_all"))
            .output()
            .expect("run xtask import");
        assert!(
            output.status.success(),
            "import of {product} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let (before, after) = (files_of(&entry.path()), files_of(&copy));
        let changed: Vec<&String> = after
            .iter()
            .filter(|(path, contents)| before.get(*path) != Some(*contents))
            .map(|(path, _)| path)
            .chain(before.keys().filter(|path| !after.contains_key(*path)))
            .collect();
        assert!(
            changed.is_empty(),
            "re-importing {product} changes {changed:?}"
        );
        checked.push(product);
    }
    let _ = std::fs::remove_dir_all(&scratch);
    for product in [
        "rtc",
        "ai-agent",
        "zim",
        "super-board",
        "analytics",
        "cloud-player",
        "cloud-asr",
    ] {
        assert!(
            checked.iter().any(|name| name == product),
            "{product} was not re-imported: {checked:?}"
        );
    }
}
