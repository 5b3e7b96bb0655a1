//! Doc text: spec descriptions turned into rustdoc lines, constraint summaries, escaping.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Constraints;

pub(super) fn constraint_text(constraints: &Constraints) -> Vec<String> {
    let mut facts = Vec::new();
    if constraints.unique_items {
        facts.push("Items: each at most once.".to_owned());
    }
    for bound in constraints.bounds() {
        let (what, unit) = (bound.label, bound.unit);
        match (bound.low, bound.high) {
            (Some(low), Some(high)) => facts.push(format!("{what}: {low} to {high}{unit}.")),
            (Some(low), None) => facts.push(format!("{what}: at least {low}{unit}.")),
            (None, Some(high)) => facts.push(format!("{what}: at most {high}{unit}.")),
            (None, None) => {}
        }
    }
    facts
}

pub(super) fn text_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else {
        return Vec::new();
    };
    let mut lines: Vec<String> = text
        .trim_end()
        .lines()
        .map(|line| escape_brackets(line.trim_end()))
        .collect();
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    lines
}

/// Quirk: spec prose writes ranges as `[1,30]`, which rustdoc would take for intra-doc links.
/// Brackets are escaped unless they form a Markdown link (`[text](url)`).
fn escape_brackets(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 4);
    let mut link_closes = Vec::new();
    for (index, c) in line.char_indices() {
        match c {
            '[' => {
                let close = line[index..].find(']').map(|offset| index + offset);
                match close.filter(|close| line[close + 1..].starts_with('(')) {
                    Some(close) => {
                        link_closes.push(close);
                        out.push('[');
                    }
                    None => out.push_str("\\["),
                }
            }
            ']' if link_closes.contains(&index) => out.push(']'),
            ']' => out.push_str("\\]"),
            other => out.push(other),
        }
    }
    out
}

/// Doc attributes, one per line, each with the leading space a `///` comment has. Spec
/// descriptions are CommonMark, as rustdoc's are, so they are kept as written.
pub(super) fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = doc_line(line);
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

pub(super) fn doc_line(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

/// A window of `seconds` in words: `second`, `minute`, `hour`, `24 hours`, `10 seconds`.
pub(super) fn window_words(seconds: u64) -> String {
    match seconds {
        1 => "second".to_owned(),
        60 => "minute".to_owned(),
        3_600 => "hour".to_owned(),
        seconds if seconds % 3_600 == 0 => format!("{} hours", seconds / 3_600),
        seconds => format!("{seconds} seconds"),
    }
}

#[cfg(test)]
mod tests {
    use super::escape_brackets;

    #[test]
    fn ranges_are_escaped_and_links_kept() {
        assert_eq!(
            escape_brackets("valid range [1,30]."),
            r"valid range \[1,30\]."
        );
        assert_eq!(
            escape_brackets("see [the docs](https://x.y) [0, 1]"),
            r"see [the docs](https://x.y) \[0, 1\]"
        );
        assert_eq!(escape_brackets("no brackets"), "no brackets");
    }
}
