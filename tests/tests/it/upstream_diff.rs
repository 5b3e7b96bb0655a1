//! `cargo xtask upstream-diff`: our actions against stand-ins for ZEGOCLOUD's per-action files
//! (`tests/fixtures/upstream/`, written in their layout: relative references into a shared
//! fragment, `servers` given by reference).

use std::collections::BTreeMap;

use xtask::upstream_diff::{compare, upstream_actions, Drift};

fn ours(actions: &[&str]) -> BTreeMap<String, xtask::upstream_diff::ActionFields> {
    let texts: Vec<(String, String)> = actions
        .iter()
        .map(|action| ((*action).to_owned(), tests::bundled_spec(action)))
        .collect();
    xtask::upstream_diff::actions_from_texts(&texts).expect("our actions flatten")
}

fn drift(action: &str, field: &str, what: &str) -> Drift {
    Drift {
        action: action.to_owned(),
        field: field.to_owned(),
        what: what.to_owned(),
    }
}

#[test]
fn relative_references_are_followed_and_only_real_differences_reported() {
    let upstream = upstream_actions(&tests::fixture("upstream")).expect("fixtures flatten");
    assert_eq!(
        upstream.keys().collect::<Vec<_>>(),
        ["StopRecord", "TakeSnapshot"],
        "the shared fragment describes no action"
    );
    let found = compare(
        &ours(&["StopRecord", "TakeSnapshot", "PauseRecord"]),
        &upstream,
    );
    assert_eq!(
        found,
        vec![
            drift(
                "TakeSnapshot",
                "request.Quality",
                "field only upstream (integer)"
            ),
            drift(
                "TakeSnapshot",
                "request.TaskId",
                "type: ours string, upstream integer"
            ),
            drift(
                "TakeSnapshot",
                "request.TaskId",
                "format: ours none, upstream int64"
            ),
            drift(
                "TakeSnapshot",
                "response.RequestId",
                "field only ours (string)"
            ),
            drift("PauseRecord", "", "action only ours"),
        ]
    );
}

#[test]
fn the_report_is_markdown_and_says_when_nothing_differs() {
    let upstream = upstream_actions(&tests::fixture("upstream")).expect("fixtures flatten");
    let stop_only: BTreeMap<_, _> = upstream
        .into_iter()
        .filter(|(action, _)| action == "StopRecord")
        .collect();
    let found = compare(&ours(&["StopRecord"]), &stop_only);
    assert_eq!(found, vec![]);
    let report = xtask::upstream_diff::to_markdown(&found, "upstream");
    assert!(report.contains("No drift"), "{report}");
}
