//! `cargo xtask import`: one product's published OpenAPI files, as ZEGOCLOUD lays them out,
//! into a spec set in this project's format (`spec/<product>/<product>.yaml` and one document
//! per action), which maintainers then keep by hand.
//!
//! [`source`] reads the files and follows references wherever they lead; [`fixups`] mends each
//! quirk of the source in one named place and counts where it applied; [`facts`] reads the
//! facts stated in words (call frequency limits, regions); [`actions`] reads each action;
//! [`spec_set`] writes our documents. Facts carry over (names, types, ranges, enums,
//! required-ness, defaults, limits, hosts); ZEGOCLOUD's sentences do not: descriptions are our
//! own short ones, naming the published file each action came from.

mod actions;
mod callbacks;
mod codes;
mod examples;
pub mod facts;
pub mod facts_file;
pub mod fixups;
mod page_limits;
pub mod pages;
use fixups::FixupKind;
pub mod source;
mod spec_set;
mod type_names;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostics, Location, SpecError};

pub use actions::Action;

/// What to import and how to name it.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The folders of published files: the first is the primary source (English); each
    /// further one adds only the actions the ones before it lack (the Chinese files).
    pub folders: Vec<PathBuf>,
    /// The product's name in this project: the spec folder and root file stem.
    pub product: String,
    /// The generated crate's package name (`x-zego-crate`).
    pub crate_name: String,
    /// The product's name in prose, e.g. `Cloud Real-time ASR`.
    pub title: String,
    /// `info.version` of the spec set.
    pub version: String,
    /// `x-zego-login-tokens`: the product's clients log in with a Token04 (a fact of the
    /// product's pages, kept from the existing spec set).
    pub login_tokens: bool,
    /// The product's facts file (`facts/<product>.yaml`) and how messages name it; a file
    /// that does not exist adds nothing.
    pub facts: Option<(PathBuf, String)>,
}

/// Where the published files are in ZEGOCLOUD's docs repository: its root (the folder that
/// holds `snippets/`), found above the folder imported from, and the commit its `SOURCE` file
/// names (a copy made by `scripts/upstream-snapshot.py`), if any.
#[derive(Debug, Clone, Default)]
pub struct DocsTree {
    pub root: Option<PathBuf>,
    pub commit: Option<String>,
}

impl DocsTree {
    pub fn find(folder: &Path) -> Self {
        let folder = source::normalise(&std::env::current_dir().unwrap_or_default().join(folder));
        let root = folder
            .ancestors()
            .find(|dir| dir.join("snippets").join("common").is_dir())
            .map(Path::to_path_buf);
        let commit = root
            .as_ref()
            .and_then(|root| std::fs::read_to_string(root.join("SOURCE")).ok())
            .and_then(|text| {
                text.lines()
                    .find_map(|line| line.strip_prefix("commit ").map(|c| c.trim().to_owned()))
            });
        Self { root, commit }
    }

    /// `path` relative to the docs repository's root, when it is inside it.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let root = self.root.as_ref()?;
        let absolute = source::normalise(&std::env::current_dir().unwrap_or_default().join(path));
        absolute
            .strip_prefix(root)
            .ok()
            .map(|rest| rest.to_string_lossy().replace('\\', "/"))
    }
}

/// What an import found besides the spec set: the fix-ups applied and what it could not infer.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub actions: Vec<String>,
    pub fixups: fixups::Applied,
    /// How many reply codes and exception codes the pages list, and how many of each the
    /// facts file names.
    pub codes: CodeCounts,
    /// Located notes: what the import could not infer or left out.
    pub findings: Vec<SpecError>,
}

/// Codes imported: `(listed, named)` for the replies' codes and the exception callback's.
#[derive(Debug, Default)]
pub struct CodeCounts {
    pub reply: (usize, usize),
    pub exception: (usize, usize),
}

/// The documents of the spec set, by path relative to the spec folder, and the report.
#[derive(Debug)]
pub struct Imported {
    pub files: Vec<(String, String)>,
    pub report: ImportReport,
}

/// Imports the product. A file that cannot be read is an error naming it and its line; one
/// broken action does not hide the others' errors, and no spec set is written while any
/// action is broken.
pub fn import(options: &ImportOptions) -> Result<Imported, Diagnostics> {
    let Some(primary) = options.folders.first() else {
        return Err(Diagnostics::single(SpecError {
            file: String::new(),
            location: crate::diagnostics::Location::Document,
            message: "no folder to import from".to_owned(),
        }));
    };
    let mut files = source::Files::new(primary);
    let mut report = ImportReport::default();
    let mut errors = Vec::new();
    // Each action read, with the index of the folder it came from.
    let mut read: Vec<(usize, Action)> = Vec::new();
    for (folder_index, folder) in options.folders.iter().enumerate() {
        let paths = match source::Files::yaml_files(folder) {
            Ok(paths) => paths,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        for path in paths {
            match actions::read_file(&mut files, &path) {
                Ok(found) => {
                    for action in found {
                        // An action an earlier folder has is that folder's; its fix-ups count
                        // only when it is kept. Twice in one folder, it is ambiguous.
                        match read.iter().find(|(_, known)| known.name == action.name) {
                            None => {
                                report.fixups.merge(&action.fixups);
                                report.findings.extend(action.findings.iter().cloned());
                                read.push((folder_index, action));
                            }
                            Some((known_folder, known)) if *known_folder == folder_index => {
                                errors.push(SpecError {
                                    file: action.file.clone(),
                                    location: Location::Document,
                                    message: format!(
                                        "the action `{}` is also in {}: which one is meant?",
                                        action.name, known.file
                                    ),
                                });
                            }
                            Some(_) => {}
                        }
                    }
                }
                Err(mut problems) => errors.append(&mut problems),
            }
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let facts = match &options.facts {
        Some((path, shown)) => facts_file::load(path, shown).map_err(Diagnostics::single)?,
        None => facts_file::ProductFacts::default(),
    };
    let facts_shown = options
        .facts
        .as_ref()
        .map_or("the facts file", |(_, shown)| shown.as_str());
    let docs = DocsTree::find(primary);
    let mut read: Vec<Action> = read.into_iter().map(|(_, action)| action).collect();
    read.sort_by(|a, b| a.name.cmp(&b.name));
    page_limits::apply_pages(&mut read, primary);
    if let Some(page) = &facts.call_limits.default_per_second_page {
        let path = docs.root.clone().unwrap_or_default().join(page);
        if !page_limits::apply_default(&mut read, &path, page) {
            report.findings.push(SpecError {
                file: facts_shown.to_owned(),
                location: Location::Document,
                message: format!(
                    "`{page}` no longer states a per-second limit for every action: the facts file's `default-per-second-page` applied nowhere"
                ),
            });
        }
    }
    examples::make_advisory(&mut read, &mut report.fixups);
    report.actions = read.iter().map(|action| action.name.clone()).collect();
    let reply_pages = codes::code_pages(&facts.return_codes, &docs, primary);
    let reply_codes = codes::read(&facts.return_codes, &reply_pages, &read, facts_shown);
    let exception_pages = codes::listed_pages(&facts.exception_codes, &docs);
    let exception_codes = codes::read(&facts.exception_codes, &exception_pages, &[], facts_shown);
    report.codes = CodeCounts {
        reply: (reply_codes.codes.len(), reply_codes.named),
        exception: (exception_codes.codes.len(), exception_codes.named),
    };
    report.findings.extend(reply_codes.findings);
    report.findings.extend(exception_codes.findings);
    let upstream = spec_set::Upstream {
        folders: options
            .folders
            .iter()
            .map(|folder| {
                docs.relative(folder)
                    .unwrap_or_else(|| files.display(folder))
            })
            .collect(),
        commit: docs.commit.clone(),
        files: read
            .iter()
            .map(|action| {
                let absolute = primary.join(&action.file);
                docs.relative(&absolute)
                    .unwrap_or_else(|| action.file.clone())
            })
            .collect(),
        return_codes: codes::to_value(&reply_codes.codes, true),
        exception_codes: codes::to_value(&exception_codes.codes, false),
        notes: facts.unknown.clone(),
        callbacks: facts.callbacks.as_ref().map(callbacks::to_spec),
    };
    let documents = spec_set::write(options, &read, &upstream, &mut report).map_err(Diagnostics)?;
    Ok(Imported {
        files: documents,
        report,
    })
}

/// The report as text for the terminal: the fix-ups that mended ZEGOCLOUD's errors, then
/// those that applied our conventions, each with how often and where it applied; the fix-ups
/// that applied nowhere; then the findings.
pub fn report_text(report: &ImportReport) -> String {
    let mut out = format!(
        "{} actions: {}\n",
        report.actions.len(),
        report.actions.join(", ")
    );
    let (listed, named) = report.codes.reply;
    out.push_str(&format!(
        "return codes: {listed} listed by the pages, {named} named by the facts file\n"
    ));
    let (listed, named) = report.codes.exception;
    if listed > 0 {
        out.push_str(&format!(
            "exception codes: {listed} listed by the pages, {named} named by the facts file\n"
        ));
    }
    if report.fixups.0.is_empty() {
        out.push_str("fix-ups: none applied\n");
    }
    for (kind, heading) in [
        (FixupKind::UpstreamError, "errors in ZEGOCLOUD's files"),
        (FixupKind::OurConvention, "our conventions"),
    ] {
        let applied: Vec<_> = report
            .fixups
            .0
            .iter()
            .filter(|(fixup, _)| fixup.kind == kind)
            .collect();
        if !applied.is_empty() {
            out.push_str(&format!("fix-ups of {heading}:\n"));
        }
        for (fixup, places) in applied {
            out.push_str(&format!(
                "fix-up {} applied {} time(s): {}\n",
                fixup.name,
                places.len(),
                fixup.reason
            ));
            for place in places.iter().take(3) {
                out.push_str(&format!("  at {place}\n"));
            }
            if places.len() > 3 {
                out.push_str(&format!("  and {} more\n", places.len() - 3));
            }
        }
    }
    let unused: Vec<&str> = fixups::ALL
        .iter()
        .filter(|fixup| !report.fixups.0.contains_key(fixup))
        .map(|fixup| fixup.name)
        .collect();
    if !unused.is_empty() {
        out.push_str(&format!(
            "fix-ups that applied nowhere in this import: {}\n",
            unused.join(", ")
        ));
    }
    for finding in &report.findings {
        out.push_str(&format!("note: {finding}\n"));
    }
    out
}

/// Where a spec folder's root document is: `<folder>/<folder name>.yaml`.
pub fn root_file(spec_folder: &Path) -> Option<PathBuf> {
    let name = spec_folder.file_name()?.to_str()?;
    Some(spec_folder.join(format!("{name}.yaml")))
}
