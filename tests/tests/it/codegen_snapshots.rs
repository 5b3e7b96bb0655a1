//! Pins what the generator emits: for the real spec, for fixture specs that exercise what the
//! real spec does not, and the located error for each broken spec.

use std::path::Path;

fn display_name(path: &Path) -> String {
    let relative = path.strip_prefix(tests::workspace_root()).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

#[test]
fn real_spec_output_is_pinned() {
    let spec = tests::workspace_root().join(xtask::SPEC_PATH);
    let files = xtask::generate_from_file(&spec, xtask::SPEC_PATH)
        .unwrap_or_else(|error| panic!("{error}"));
    insta::assert_snapshot!("real_spec", tests::spec_dependent(&files));
}

#[test]
fn fixture_outputs_are_pinned() {
    insta::glob!("../../fixtures/specs", "*.yaml", |path| {
        let files = xtask::generate_from_file(path, &display_name(path))
            .unwrap_or_else(|error| panic!("{error}"));
        insta::assert_snapshot!(tests::spec_dependent(&files));
    });
}

#[test]
fn broken_specs_fail_with_located_messages() {
    insta::glob!("../../fixtures/broken", "*.yaml", |path| {
        let name = display_name(path);
        let error = match xtask::generate_from_file(path, &name) {
            Ok(_) => panic!("{name} generated, but it is broken on purpose"),
            Err(error) => error.to_string(),
        };
        for line in error.lines() {
            let located = line.starts_with(&format!("error: {name}#/"))
                || line.starts_with(&format!("error: {name}:"));
            assert!(
                located,
                "every error names the file and a line/column or JSON pointer: {line}"
            );
        }
        insta::assert_snapshot!(error);
    });
}

#[test]
fn at_least_four_fixtures_and_every_broken_kind_exist() {
    assert!(tests::fixture_files("specs").len() >= 4);
    let broken: Vec<String> = tests::fixture_files("broken")
        .iter()
        .filter_map(|path| {
            path.file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
        })
        .collect();
    for kind in [
        "yaml_syntax_error",
        "dangling_ref",
        "ref_cycle",
        "wrong_keyword_type",
        "unsupported_one_of",
        "name_collision",
    ] {
        assert!(
            broken.iter().any(|name| name == kind),
            "missing broken fixture {kind}"
        );
    }
}
