//! `generated/` must be exactly what the generator writes for `spec/`, and generation must be
//! deterministic; the writer must never lose or clobber anything.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use xtask::write::{self, Mode, WriteError};

fn generate_real() -> Vec<xtask::GeneratedFile> {
    let spec = tests::workspace_root().join(xtask::SPEC_PATH);
    xtask::generate_from_file(&spec, xtask::SPEC_PATH).unwrap_or_else(|error| panic!("{error}"))
}

/// Every product's crate: `generated/<crate>/` is what its spec generates.
#[test]
fn generated_crates_are_up_to_date() {
    let root = tests::workspace_root();
    let specs = xtask::product_specs(&root).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        specs.iter().any(|spec| spec == xtask::SPEC_PATH),
        "{specs:?}"
    );
    for spec in specs {
        let generated = xtask::generate_crate(
            &root.join(&spec),
            &spec,
            xtask::emit::WORKSPACE_RUNTIME_PATH,
        )
        .unwrap_or_else(|error| panic!("{error}"));
        let out = root.join(generated.workspace_dir());
        match write::sync(&out, &generated.files, Mode::Check) {
            Ok(_) => {}
            Err(WriteError::Stale { count, diff }) => panic!(
                "{} is out of date ({count} file(s)). Run `cargo xtask codegen` and commit the result.\n{diff}",
                generated.workspace_dir()
            ),
            Err(other) => panic!("{other}"),
        }
    }
}

/// The fixture specs' output is pinned once, as compiled Rust in `tests/fixture-clients/`
/// (which the workspace builds and clippy lints): it must be what the generator writes now.
#[test]
fn fixture_clients_are_up_to_date() {
    let root = tests::workspace_root();
    let files = xtask::fixture_clients_files(&root).unwrap_or_else(|error| panic!("{error}"));
    let out = root.join(xtask::emit::FIXTURE_CLIENTS_DIR);
    match write::sync(&out, &files, Mode::Check) {
        Ok(_) => {}
        Err(WriteError::Stale { count, diff }) => panic!(
            "tests/fixture-clients/ is out of date ({count} file(s)). Run `cargo xtask codegen` and commit the result.\n{diff}"
        ),
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(generate_real(), generate_real());
    for spec in tests::fixture_files("specs") {
        let first = xtask::generate_from_file(&spec, "fixture.yaml")
            .unwrap_or_else(|error| panic!("{error}"));
        let second = xtask::generate_from_file(&spec, "fixture.yaml")
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(first, second, "{}", spec.display());
    }
}

#[test]
fn every_generated_file_has_the_header() {
    for file in generate_real() {
        let first = file.contents.lines().next().unwrap_or_default();
        assert!(
            first.contains(xtask::emit::HEADER_MARKER),
            "{} starts with {first:?}",
            file.path
        );
        assert!(
            first.contains(xtask::SPEC_PATH),
            "{} does not name the spec",
            file.path
        );
    }
}

/// A fresh empty directory under the system temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "zego-codegen-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temp dir is writable");
        Self(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn writer_updates_only_changes_and_check_reports_them() {
    let dir = Scratch::new();
    let files = generate_real();
    let first = write::sync(dir.path(), &files, Mode::Write).expect("fresh write");
    assert_eq!(first.written.len(), files.len());

    let again = write::sync(dir.path(), &files, Mode::Write).expect("second write");
    assert!(
        again.written.is_empty() && again.removed.is_empty(),
        "{again:?}"
    );
    assert_eq!(again.unchanged, files.len());

    let types = dir.path().join("src/types.rs");
    let edited = std::fs::read_to_string(&types)
        .expect("types.rs")
        .replace("pub room_id", "pub room");
    std::fs::write(&types, &edited).expect("edit");
    match write::sync(dir.path(), &files, Mode::Check) {
        Err(WriteError::Stale { count: 1, diff }) => {
            assert!(diff.contains("--- a/src/types.rs"), "{diff}");
            assert!(
                diff.contains("-    pub room: String") && diff.contains("+    pub room_id: String"),
                "{diff}"
            );
        }
        other => panic!("expected one stale file, got {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&types).expect("types.rs"),
        edited,
        "check mode must not write"
    );
}

#[test]
fn writer_removes_its_own_leftovers_but_never_hand_written_files() {
    let dir = Scratch::new();
    let files = generate_real();
    write::sync(dir.path(), &files, Mode::Write).expect("fresh write");

    let leftover = dir.path().join("src/old_module.rs");
    std::fs::write(
        &leftover,
        "// @generated by `cargo xtask codegen` from an older spec.\n",
    )
    .expect("write");
    let notes = dir.path().join("NOTES.md");
    std::fs::write(&notes, "hand-written\n").expect("write");

    assert!(matches!(
        write::sync(dir.path(), &files, Mode::Check),
        Err(WriteError::Stale { count: 1, .. })
    ));
    let outcome = write::sync(dir.path(), &files, Mode::Write).expect("write");
    assert_eq!(outcome.removed, vec!["src/old_module.rs".to_owned()]);
    assert!(!leftover.exists());
    assert!(notes.exists(), "files without the header are never removed");

    let hand_written = dir.path().join("src/types.rs");
    std::fs::write(&hand_written, "// my own code\n").expect("write");
    match write::sync(dir.path(), &files, Mode::Write) {
        Err(WriteError::NotGenerated { path }) => assert!(path.ends_with("types.rs"), "{path}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&hand_written).expect("read"),
        "// my own code\n"
    );
}
