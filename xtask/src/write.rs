//! Stage 6: put the generated files on disk, or (in check mode) say how they differ.
//!
//! The one place that decides write-or-fail. It writes only files whose contents changed,
//! removes files it generated earlier that are no longer produced, and never touches a file
//! that lacks the generated header.

use std::path::{Path, PathBuf};

use crate::emit::{GeneratedFile, HEADER_MARKER};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Bring the directory up to date.
    Write,
    /// Change nothing; fail with a diff when the directory is not up to date.
    Check,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Files written (new or changed), relative to the output directory.
    pub written: Vec<String>,
    /// Files removed because the generator no longer produces them.
    pub removed: Vec<String>,
    pub unchanged: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path} exists but was not written by the generator (no `{HEADER_MARKER}` header); \
         move it out of the way, the generator will not overwrite it"
    )]
    NotGenerated { path: String },
    #[error("{count} generated file(s) are out of date; run `cargo xtask codegen` to update them\n{diff}")]
    Stale { count: usize, diff: String },
}

/// Brings `out_dir` in line with `files` (or checks that it is).
pub fn sync(out_dir: &Path, files: &[GeneratedFile], mode: Mode) -> Result<Outcome, WriteError> {
    let mut outcome = Outcome::default();
    let mut diff = String::new();
    let mut stale = 0;
    for file in files {
        let path = out_dir.join(&file.path);
        let current = read_optional(&path)?;
        if let Some(current) = &current {
            if !is_generated(current) {
                return Err(WriteError::NotGenerated {
                    path: display(&path),
                });
            }
            if current == &file.contents {
                outcome.unchanged += 1;
                continue;
            }
        }
        match mode {
            Mode::Check => {
                stale += 1;
                diff.push_str(&unified_diff(
                    &file.path,
                    current.as_deref().unwrap_or(""),
                    &file.contents,
                ));
            }
            Mode::Write => {
                write_file(&path, &file.contents)?;
                outcome.written.push(file.path.clone());
            }
        }
    }
    for leftover in leftovers(out_dir, files)? {
        let path = out_dir.join(&leftover);
        match mode {
            Mode::Check => {
                stale += 1;
                let current = read_optional(&path)?.unwrap_or_default();
                diff.push_str(&unified_diff(&leftover, &current, ""));
            }
            Mode::Write => {
                std::fs::remove_file(&path).map_err(|source| WriteError::Io {
                    path: display(&path),
                    source,
                })?;
                outcome.removed.push(leftover);
            }
        }
    }
    if stale > 0 {
        return Err(WriteError::Stale { count: stale, diff });
    }
    Ok(outcome)
}

/// A unified diff between what is on disk and what the generator would write.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

fn is_generated(contents: &str) -> bool {
    contents
        .lines()
        .next()
        .is_some_and(|line| line.contains(HEADER_MARKER))
}

fn read_optional(path: &Path) -> Result<Option<String>, WriteError> {
    match std::fs::read_to_string(path) {
        Ok(contents) => Ok(Some(contents)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(WriteError::Io {
            path: display(path),
            source,
        }),
    }
}

fn write_file(path: &Path, contents: &str) -> Result<(), WriteError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| WriteError::Io {
            path: display(parent),
            source,
        })?;
    }
    std::fs::write(path, contents).map_err(|source| WriteError::Io {
        path: display(path),
        source,
    })
}

/// Generated files under `out_dir` (by their header) that `files` no longer contains, sorted.
fn leftovers(out_dir: &Path, files: &[GeneratedFile]) -> Result<Vec<String>, WriteError> {
    let mut found = Vec::new();
    let mut pending = vec![out_dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(WriteError::Io {
                    path: display(&dir),
                    source,
                })
            }
        };
        for entry in entries {
            let entry = entry.map_err(|source| WriteError::Io {
                path: display(&dir),
                source,
            })?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|source| WriteError::Io {
                path: display(&path),
                source,
            })?;
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                found.push(path);
            }
        }
    }
    let mut stale = Vec::new();
    for path in found {
        let Some(relative) = relative(out_dir, &path) else {
            continue;
        };
        if files.iter().any(|file| file.path == relative) {
            continue;
        }
        let generated = read_optional(&path)
            .ok()
            .flatten()
            .is_some_and(|contents| is_generated(&contents));
        if generated {
            stale.push(relative);
        }
    }
    stale.sort();
    Ok(stale)
}

fn relative(base: &Path, path: &Path) -> Option<String> {
    let relative: PathBuf = path.strip_prefix(base).ok()?.to_path_buf();
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
