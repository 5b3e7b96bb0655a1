//! `cargo xtask api-diff`: snapshot-tested reports for a table of spec changes in
//! `tests/fixtures/api_diff/<case>/{before,after}.yaml`.

use std::path::Path;

fn report_for(before: &Path) -> String {
    let after = before.with_file_name("after.yaml");
    let read = |path: &Path| {
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    };
    let report = xtask::api_diff(
        ("before.yaml", &read(before)),
        ("after.yaml", &read(&after)),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let exit_status = u8::from(report.is_breaking() || report.breaks_the_wire());
    format!(
        "breaking: {}; wire breaking: {} (exit status {exit_status}); bump: {:?}; version enough: {}\n\n{}",
        report.is_breaking(),
        report.breaks_the_wire(),
        report.required_bump(),
        report.version_is_enough(),
        report.to_markdown("before.yaml")
    )
}

#[test]
fn reports_are_pinned() {
    insta::glob!("../../fixtures/api_diff", "*/before.yaml", |path| {
        insta::assert_snapshot!(report_for(path));
    });
}

#[test]
fn classification_of_key_changes() {
    let case = |name: &str| report_for(&tests::fixture(&format!("api_diff/{name}/before.yaml")));
    assert!(case("optional_field_becomes_required").starts_with("breaking: true"));
    assert!(
        case("optional_field_becomes_required").contains("version enough: true"),
        "4.0.0 → 5.0.0 is a major bump"
    );
    assert!(case("new_optional_field").starts_with(
        "breaking: false; wire breaking: false (exit status 0); bump: Minor; version enough: true"
    ));
    assert!(case("narrowed_range_new_rule_and_default").contains("version enough: false"));
    assert!(case("no_change")
        .starts_with("breaking: false; wire breaking: false (exit status 0); bump: None"));
    let callbacks = case("callback_event_and_exception_code_removed");
    assert!(
        callbacks.starts_with("breaking: true") && callbacks.contains("version enough: false"),
        "{callbacks}"
    );
    assert!(
        callbacks.contains("`callbacks::Event::Gone` goes")
            && callbacks.contains("`ExceptionCode::General` goes"),
        "{callbacks}"
    );
    let alternatives = case("alternatives_changed");
    assert!(alternatives.starts_with("breaking: true"), "{alternatives}");
    assert!(
        alternatives.contains("type `Reason`: its alternatives changed"),
        "{alternatives}"
    );
    let rename = case("wire_rename_and_endpoint_move");
    assert!(
        rename.starts_with("breaking: false; wire breaking: true (exit status 1)"),
        "{rename}"
    );
    assert!(
        rename
            .contains("| none | field `StartJobRequest.job_name`: wire name `JobName` → `jobName`"),
        "{rename}"
    );
}
