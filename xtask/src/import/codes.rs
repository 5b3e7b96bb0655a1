//! The product's codes, from its pages: every number a code page or an action's `Code` table
//! lists, named and classified by the product's facts file. A number the facts do not name
//! still becomes a code (`Code660000099`), so a bare import of any folder knows every code its
//! pages list; a fact whose number no page lists any more is kept and reported.

use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Location, SpecError};

use super::actions::Action;
use super::facts_file::{CodeFact, CodeFacts};
use super::pages;
use super::DocsTree;

/// The API gateway's codes, which the runtime lists once for every product.
const GATEWAY_CODES: std::ops::RangeInclusive<i64> = 100_000_000..=100_000_017;

/// One code as the spec records it.
#[derive(Debug, Clone)]
pub struct Code {
    pub number: i64,
    /// The first place that lists it: a page, relative to the docs repository's root, or
    /// the action files' `Code` tables.
    pub source: String,
    pub fact: Option<CodeFact>,
}

/// Codes read, and the findings reading them left (unnamed codes, stale facts, missing pages).
#[derive(Debug, Default)]
pub struct CodesRead {
    pub codes: Vec<Code>,
    pub findings: Vec<SpecError>,
    /// How many codes the facts named.
    pub named: usize,
}

/// The pages a facts list names, relative to the docs repository's root.
pub fn listed_pages(facts: &CodeFacts, docs: &DocsTree) -> Vec<(String, PathBuf)> {
    let root = docs.root.clone().unwrap_or_default();
    facts
        .pages
        .iter()
        .map(|page| (page.clone(), root.join(page)))
        .collect()
}

/// The pages a facts list names, or, when it names none, the code pages found in `folder`
/// (`return-codes.mdx`, `Return codes.mdx`, `common-error-codes.mdx`, `error-codes.mdx`).
pub fn code_pages(facts: &CodeFacts, docs: &DocsTree, folder: &Path) -> Vec<(String, PathBuf)> {
    if !facts.pages.is_empty() {
        return listed_pages(facts, docs);
    }
    let pages = super::source::files_with_extension(folder, &["mdx"]).unwrap_or_default();
    pages
        .into_iter()
        .filter(|path| {
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            ["return-code", "return code", "error-code"]
                .iter()
                .any(|marker| name.contains(marker))
        })
        .map(|path| {
            let shown = docs
                .relative(&path)
                .unwrap_or_else(|| path.display().to_string());
            (shown, path)
        })
        .collect()
}

/// Reads the codes of `pages` (and, for reply codes, of the actions' `Code` tables), joined
/// with `facts`. `facts_file` names the facts file in findings.
pub fn read(
    facts: &CodeFacts,
    pages: &[(String, PathBuf)],
    actions: &[Action],
    facts_file: &str,
) -> CodesRead {
    let mut read = CodesRead::default();
    let mut listed: Vec<(i64, String)> = Vec::new();
    let mut add = |number: i64, source: &str| {
        if number != 0
            && !GATEWAY_CODES.contains(&number)
            && !listed.iter().any(|(known, _)| *known == number)
        {
            listed.push((number, source.to_owned()));
        }
    };
    for (shown, path) in pages {
        match std::fs::read_to_string(path) {
            Ok(text) => pages::code_numbers(&text)
                .into_iter()
                .for_each(|number| add(number, shown)),
            Err(error) => read.findings.push(SpecError {
                file: facts_file.to_owned(),
                location: Location::Document,
                message: format!(
                    "the code page `{shown}` cannot be read ({error}): is it still published?"
                ),
            }),
        }
    }
    for action in actions {
        for number in &action.documented_codes {
            add(*number, "the actions' Code tables");
        }
    }
    for fact in &facts.codes {
        if !listed.iter().any(|(number, _)| *number == fact.code) {
            read.findings.push(SpecError {
                file: facts_file.to_owned(),
                location: Location::Document,
                message: format!(
                    "code {} (`{}`) is on none of the pages any more; kept as the facts say",
                    fact.code, fact.name
                ),
            });
            listed.push((fact.code, facts_file.to_owned()));
        }
    }
    listed.sort_by_key(|(number, _)| *number);
    let unnamed: Vec<String> = listed
        .iter()
        .filter(|(number, _)| !facts.codes.iter().any(|fact| fact.code == *number))
        .map(|(number, _)| number.to_string())
        .collect();
    if !unnamed.is_empty() {
        read.findings.push(SpecError {
            file: facts_file.to_owned(),
            location: Location::Document,
            message: format!(
                "{} code(s) the pages list have no name in the facts file and are named by \
                 number: {}",
                unnamed.len(),
                unnamed.join(", ")
            ),
        });
    }
    for (number, source) in listed {
        let fact = facts.codes.iter().find(|fact| fact.code == number).cloned();
        read.named += usize::from(fact.is_some());
        read.codes.push(Code {
            number,
            source,
            fact,
        });
    }
    read
}

/// The codes as the spec's `x-zego-return-codes` (`reply: true`) or `x-zego-exception-codes`.
pub fn to_value(codes: &[Code], reply: bool) -> Value {
    Value::Sequence(codes.iter().map(|code| entry(code, reply)).collect())
}

fn entry(code: &Code, reply: bool) -> Value {
    let mut map = Mapping::new();
    let mut put = |key: &str, value: Value| {
        map.insert(Value::from(key), value);
    };
    put("code", Value::from(code.number));
    match &code.fact {
        Some(fact) => {
            put("name", Value::from(fact.name.as_str()));
            put("description", Value::from(fact.meaning.trim()));
        }
        None => {
            put("name", Value::from(format!("Code{}", code.number)));
            put(
                "description",
                Value::from(format!(
                    "Listed by `{}` without a name in the product's facts file.",
                    code.source
                )),
            );
        }
    }
    let fact = code.fact.as_ref();
    if reply {
        let retry = fact
            .and_then(|fact| fact.retry.clone())
            .unwrap_or_else(|| "never".to_owned());
        put("retry", Value::from(retry));
    }
    put("source", Value::from(code.source.as_str()));
    if let Some(fact) = fact {
        if fact.answered_before_acting {
            put("answered-before-acting", Value::Bool(true));
        }
        if fact.invalid_parameter {
            put("invalid-parameter", Value::Bool(true));
        }
        if let Some(seconds) = fact.resets_after_seconds {
            put("resets-after-seconds", Value::from(seconds));
        }
        if let Some(note) = &fact.note {
            put("x-zego-note", Value::from(note.trim()));
        }
    }
    Value::Mapping(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(code: i64, name: &str) -> CodeFact {
        serde_yaml::from_str(&format!("{{code: {code}, name: {name}, meaning: m}}")).expect("fact")
    }

    #[test]
    fn named_unnamed_and_stale_codes_each_say_so() {
        let dir = std::env::temp_dir().join(format!("code-pages-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let page = dir.join("return-codes.mdx");
        std::fs::write(
            &page,
            "| 0 | ok |\n| 100000004 | gateway |\n| 7 | slow |\n| 9 | new |\n",
        )
        .expect("write");
        let facts = CodeFacts {
            pages: Vec::new(),
            codes: vec![fact(7, "Throttled"), fact(8, "Gone")],
        };
        let pages = vec![("p/return-codes.mdx".to_owned(), page)];
        let read = read(&facts, &pages, &[], "facts/x.yaml");
        let numbers: Vec<i64> = read.codes.iter().map(|code| code.number).collect();
        assert_eq!(
            numbers,
            [7, 8, 9],
            "0 and the gateway's are not the product's"
        );
        assert_eq!(read.named, 2);
        let messages: Vec<&str> = read.findings.iter().map(|f| f.message.as_str()).collect();
        assert!(messages[0].contains("code 8 (`Gone`) is on none of the pages"));
        assert!(messages[1].contains("named by number: 9"));
        let value = to_value(&read.codes, true);
        assert_eq!(value[2]["name"], Value::from("Code9"));
        assert_eq!(value[0]["retry"], Value::from("never"));
        assert_eq!(value[1]["source"], Value::from("facts/x.yaml"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
