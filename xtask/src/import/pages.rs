//! Reading ZEGOCLOUD's pages (`.mdx`, and the Markdown or HTML inside a YAML description) for
//! the facts they hold as structure: the numbers in the first column of a code table, the
//! lines that state a call frequency limit, and an overview's table of limits per action page.
//! The words around them are not read.

/// The code numbers of the tables in `text`, in the order first seen: a Markdown row whose
/// first cell is a number (`| 660000002 | … |`), or an HTML row whose first cell is
/// (`<tr><td>660000002</td>…`, on one line or over several). A header or any row whose first
/// cell holds more than digits is not a code.
pub fn code_numbers(text: &str) -> Vec<i64> {
    let mut found = Vec::new();
    let mut push = |code: i64| {
        if !found.contains(&code) {
            found.push(code);
        }
    };
    for line in text.lines() {
        markdown_first_cell(line).into_iter().for_each(&mut push);
    }
    html_first_cells(text).into_iter().for_each(push);
    found
}

fn markdown_first_cell(line: &str) -> Vec<i64> {
    let Some(rest) = line.trim().strip_prefix('|') else {
        return Vec::new();
    };
    rest.split_once('|')
        .map(|(cell, _)| numbers(cell))
        .unwrap_or_default()
}

/// The first `<td>` of each `<tr>`, where it holds only a number.
fn html_first_cells(text: &str) -> Vec<i64> {
    let lower = text.to_ascii_lowercase();
    let mut codes = Vec::new();
    let mut from = 0;
    while let Some(row) = lower[from..].find("<tr").map(|at| from + at) {
        from = row + 3;
        let row_end = lower[from..]
            .find("</tr")
            .map_or(lower.len(), |at| from + at);
        let Some(cell_start) = lower[from..row_end].find("<td").map(|at| from + at) else {
            continue;
        };
        let Some(content_start) = lower[cell_start..row_end]
            .find('>')
            .map(|at| cell_start + at + 1)
        else {
            continue;
        };
        let Some(content_end) = lower[content_start..row_end]
            .find("</td")
            .map(|at| content_start + at)
        else {
            continue;
        };
        codes.extend(numbers(&text[content_start..content_end]));
    }
    codes
}

/// The numbers of a cell that holds only numbers: one, or several that share a row
/// (`3001、5000、5001`, `5003, 40005`, `1010 / 5007`).
fn numbers(cell: &str) -> Vec<i64> {
    let parts: Vec<&str> = cell.split(['、', ',', '，', '/']).map(str::trim).collect();
    let all_numbers = parts
        .iter()
        .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()));
    if !all_numbers {
        return Vec::new();
    }
    parts.iter().filter_map(|part| part.parse().ok()).collect()
}

/// The lines of a page that may state a call frequency limit: its text and notes, not the
/// rendered schema (`<div>` blocks, whose field descriptions speak of other things) nor the
/// front matter's encoded `api:` blob.
pub fn limit_lines(text: &str) -> String {
    text.lines()
        .filter(|line| {
            let line = line.trim_start();
            !(line.starts_with("<div")
                || line.starts_with("<details")
                || line.starts_with("<MimeTabs")
                || line.starts_with("api:")
                || line.starts_with('|'))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An overview's table rows that link an action's page (`[…](./folder/page.mdx)`) and state a
/// limit in another cell: the linked path (without `./`) and the cell with the limit.
pub fn overview_limits(text: &str) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if !line.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let Some(page) = cells.iter().find_map(|cell| linked_page(cell)) else {
            continue;
        };
        let Some(limit) = cells
            .iter()
            .find(|cell| super::facts::rate_limits(cell) != super::facts::RateLimits::default())
        else {
            continue;
        };
        rows.push((page, (*limit).to_owned()));
    }
    rows
}

/// `./a/b.mdx` out of `[text](./a/b.mdx)`.
fn linked_page(cell: &str) -> Option<String> {
    let start = cell.find("](")? + 2;
    let end = cell[start..].find(')')? + start;
    let target = cell[start..end].trim();
    let target = target.strip_prefix("./").unwrap_or(target);
    target
        .ends_with(".mdx")
        .then(|| target.to_owned())
        .filter(|target| !target.starts_with("http") && !target.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_from_the_first_column_of_markdown_and_html_tables() {
        let markdown =
            "| Code | Description |\n|---|---|\n| 0 | ok |\n| 660000002 | bad |\n|2|x|\n";
        assert_eq!(code_numbers(markdown), [0, 660_000_002, 2]);
        let html =
            "<table>\n<tr>\n<th>Code</th>\n</tr>\n<tr>\n<td>1</td>\n<td>busy</td>\n</tr>\n</table>";
        assert_eq!(code_numbers(html), [1]);
        let inline =
            "<tbody>\n<tr><td>660600011</td><td>exists</td></tr>\n<tr><td>see 1</td></tr></tbody>";
        assert_eq!(code_numbers(inline), [660_600_011]);
    }

    #[test]
    fn a_row_whose_first_cell_is_words_is_no_code() {
        assert!(code_numbers("| Return code | Description |\n| 1 or 2 | x |").is_empty());
    }

    #[test]
    fn a_row_may_list_several_codes() {
        assert_eq!(
            code_numbers("| 3001、5000 | internal |\n<tr><td>5003, 40005</td></tr>"),
            [3001, 5000, 5003, 40005]
        );
    }

    #[test]
    fn limit_lines_leave_the_rendered_schema_out() {
        let page =
            "api: eJzt\n<Note title=\"QPS Limit\"> 20 times/s</Note>\n<div>Field: 5 times/s</div>";
        assert_eq!(
            limit_lines(page),
            "<Note title=\"QPS Limit\"> 20 times/s</Note>"
        );
    }

    #[test]
    fn an_overview_row_names_the_page_and_its_limit() {
        let page = "|Name|What|Limit|\n|-|-|-|\n|[Query players](./describe-players.mdx)|Lists players.|10 times/second|\n|[Elsewhere](https://x.mdx)|x|1 time/second|";
        assert_eq!(
            overview_limits(page),
            [(
                "describe-players.mdx".to_owned(),
                "10 times/second".to_owned()
            )]
        );
    }
}
