//! The runtime names no product: what one product needs beyond a plain call goes through a
//! hook that product implements, so nothing in `runtime/` may mention a product's actions,
//! title or crate. The words are read from the specs themselves, so a new product is covered
//! the day it is added.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tests::workspace_root;

/// Words that belong to one product but are no action, title or crate name.
const PRODUCT_FIELDS: [&str; 5] = ["task_id", "TaskId", "recording", "whiteboard", "canvas"];

#[test]
fn the_runtime_names_no_product() {
    let root = workspace_root();
    let words = product_words(&root);
    assert!(
        words.len() > 100,
        "the specs should give over a hundred product words, found {}",
        words.len()
    );
    let mut found = Vec::new();
    for file in runtime_files(&root.join("runtime")) {
        let text = std::fs::read_to_string(&file).expect("runtime files are readable");
        for (number, line) in text.lines().enumerate() {
            for word in &words {
                if contains_word(line, word) {
                    found.push(format!(
                        "{}:{}: `{word}`",
                        file.strip_prefix(&root).unwrap_or(&file).display(),
                        number + 1
                    ));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the runtime names a product:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_word_search_matches_whole_words_only() {
    assert!(contains_word("calls StartRecord twice", "StartRecord"));
    assert!(contains_word("(zego-rtc)", "zego-rtc"));
    assert!(!contains_word("StartRecordings", "StartRecord"));
    assert!(!contains_word("recordings", "recording"));
    assert!(contains_word("A Recording task", "recording"));
}

/// Every action name of every spec set, each product's title and crate name, and
/// [`PRODUCT_FIELDS`].
fn product_words(root: &Path) -> BTreeSet<String> {
    let mut words: BTreeSet<String> = PRODUCT_FIELDS.iter().map(|w| (*w).to_owned()).collect();
    for product in std::fs::read_dir(root.join("spec")).expect("spec/ lists") {
        let product = product.expect("spec/ entry").path();
        let Ok(actions) = std::fs::read_dir(product.join("actions")) else {
            continue;
        };
        for action in actions {
            let path = action.expect("actions/ entry").path();
            if let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) {
                words.insert(stem.to_owned());
            }
        }
        let name = product
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let spec = std::fs::read_to_string(product.join(format!("{name}.yaml")))
            .expect("each product folder has its root document");
        let document: serde_yaml::Value = serde_yaml::from_str(&spec).expect("root parses");
        if let Some(title) = document["info"]["title"].as_str() {
            let product_title = title
                .trim_start_matches("ZEGOCLOUD ")
                .trim_end_matches(" API");
            words.insert(product_title.to_owned());
        }
        if let Some(krate) = document["x-zego-crate"].as_str() {
            words.insert(krate.to_owned());
            words.insert(krate.replace('-', "_"));
        }
    }
    words
}

fn runtime_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![dir.join("README.md"), dir.join("Cargo.toml")];
    let mut pending = vec![dir.join("src")];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("runtime/src lists") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Whether `word` occurs in `line` (case-insensitively for a lowercase word, exactly
/// otherwise) with no letter, digit or `_` right before or after it.
fn contains_word(line: &str, word: &str) -> bool {
    let lower = word.chars().all(|c| !c.is_uppercase());
    let haystack = if lower {
        line.to_lowercase()
    } else {
        line.to_owned()
    };
    let is_word_char = |c: char| c.is_alphanumeric() || c == '_';
    haystack.match_indices(word).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + word.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
}
