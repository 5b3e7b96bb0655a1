//! Pins the located error the generator gives for each broken spec. What it emits for the
//! real spec and the fixture specs is pinned once, as Rust that compiles: `generated/` and
//! `tests/fixture-clients/`, each checked by the freshness tests and `codegen --check`.

use std::path::Path;

fn display_name(path: &Path) -> String {
    let relative = path.strip_prefix(tests::workspace_root()).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
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
        "unsupported_alternatives",
        "name_collision",
    ] {
        assert!(
            broken.iter().any(|name| name == kind),
            "missing broken fixture {kind}"
        );
    }
}
