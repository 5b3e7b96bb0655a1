//! Spec sets. Every ZEGOCLOUD action is `POST /`, told apart only by the `Action` query
//! parameter, and OpenAPI 3.0 allows one POST per path. So the API is a set of documents, as
//! ZEGOCLOUD publishes it: a root document (crate-level facts, servers, shared components)
//! whose `x-zego-actions` lists one complete OpenAPI document per action. Each member is valid
//! on its own (validators read it and follow its references into the root); the generator
//! reads the whole set and routes by `Action`, never by a made-up path.
//!
//! Members may reference their own components (`#/…`) and the root's
//! (`../cloudrecord.yaml#/components/…`). Loading rewrites references into the root to local
//! ones and merges every member's components into the root, so the later stages see one
//! namespace; a name defined twice is an error naming both files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use super::{parse, parse_value, ActionDocument, LoadedSpec};
use crate::diagnostics::{pointer_join, push_pointer_token, Diagnostics, Location, SpecError};

/// The root's extension listing its members, as paths relative to the root.
const ACTIONS_KEY: &str = "x-zego-actions";

/// Where the files of a spec come from: a directory, a git revision, memory. Paths are the
/// names errors and headers use (relative to the workspace), with `/` separators.
pub trait SpecSource {
    /// The text of `path`, or why it cannot be had.
    fn read(&self, path: &str) -> Result<String, String>;
}

/// Files under a directory. `prefix` is the part of a display path that stands for `base`.
#[derive(Debug, Clone)]
pub struct Directory {
    base: PathBuf,
    prefix: String,
}

impl Directory {
    /// Display paths under `prefix` (e.g. `spec`) are read from under `base`.
    pub fn new(base: &Path, prefix: &str) -> Self {
        Self {
            base: base.to_path_buf(),
            prefix: prefix.trim_end_matches('/').to_owned(),
        }
    }
}

impl SpecSource for Directory {
    fn read(&self, path: &str) -> Result<String, String> {
        let relative = if self.prefix.is_empty() {
            path
        } else {
            path.strip_prefix(&self.prefix)
                .map(|rest| rest.trim_start_matches('/'))
                .ok_or_else(|| format!("`{path}` is outside `{}`", self.prefix))?
        };
        std::fs::read_to_string(self.base.join(relative)).map_err(|error| error.to_string())
    }
}

/// A root read from wherever it is (its display name may be made up), members from a
/// directory.
pub(super) struct RootFile<'a> {
    pub display_name: &'a str,
    pub path: &'a Path,
    pub members: Directory,
}

impl SpecSource for RootFile<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        if path == self.display_name {
            return std::fs::read_to_string(self.path).map_err(|error| error.to_string());
        }
        self.members.read(path)
    }
}

impl SpecSource for BTreeMap<String, String> {
    fn read(&self, path: &str) -> Result<String, String> {
        self.get(path)
            .cloned()
            .ok_or_else(|| "no such file".to_owned())
    }
}

/// Loads the spec whose root is `root`: a single document, or a set when the root lists
/// members in `x-zego-actions`.
pub fn load_set(source: &dyn SpecSource, root: &str) -> Result<LoadedSpec, Diagnostics> {
    let text = source
        .read(root)
        .map_err(|reason| unreadable(root, root, &reason))?;
    let (mut root_value, root_document) = parse(root, &text)?;
    let Some(listed) = root_document.extensions.get(ACTIONS_KEY) else {
        return Ok(LoadedSpec {
            file: root.to_owned(),
            document: root_document,
            actions: Vec::new(),
            origins: BTreeMap::new(),
        });
    };
    let members = member_paths(root, listed)?;
    let mut errors = Vec::new();
    let mut actions = Vec::new();
    let mut origins = BTreeMap::new();
    for member in members {
        match load_member(source, root, &member, &mut root_value, &mut origins) {
            Ok(action) => actions.push(action),
            Err(Diagnostics(found)) => errors.extend(found),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let document = serde_yaml::from_value(root_value).map_err(|error| {
        Diagnostics::single(SpecError {
            file: root.to_owned(),
            location: Location::Document,
            message: format!("the merged spec set is not an OpenAPI document: {error}"),
        })
    })?;
    Ok(LoadedSpec {
        file: root.to_owned(),
        document,
        actions,
        origins,
    })
}

/// One action of a spec set as a single self-contained document: the root with every
/// member's components, and the action's `paths`. For tools that read one document (other
/// generators, JSON Schema validators, fuzzing); errors as [`load_set`].
pub fn bundle(source: &dyn SpecSource, root: &str, action: &str) -> Result<String, Diagnostics> {
    let text = source
        .read(root)
        .map_err(|reason| unreadable(root, root, &reason))?;
    let (mut root_value, root_document) = parse(root, &text)?;
    let listed = root_document.extensions.get(ACTIONS_KEY).ok_or_else(|| {
        Diagnostics::single(SpecError {
            file: root.to_owned(),
            location: Location::Document,
            message: format!("not the root of a spec set: it has no `{ACTIONS_KEY}`"),
        })
    })?;
    let mut origins = BTreeMap::new();
    let mut paths = None;
    for member in member_paths(root, listed)? {
        let text = source
            .read(&member)
            .map_err(|reason| unreadable(root, &member, &reason))?;
        let (mut value, document) = parse(&member, &text)?;
        let mut errors = Vec::new();
        rewrite_references(&mut value, root, &member, &mut "#".to_owned(), &mut errors);
        merge_components(&value, &mut root_value, &member, &mut origins, &mut errors);
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        let is_action = document.paths.iter().any(|(_, item)| {
            item.as_item()
                .and_then(|item| item.post.as_ref())
                .and_then(|op| op.operation_id.as_deref())
                == Some(action)
        });
        if is_action {
            paths = value.get("paths").cloned();
        }
    }
    let paths = paths.ok_or_else(|| {
        Diagnostics::single(SpecError {
            file: root.to_owned(),
            location: Location::Pointer(pointer_join("#", ACTIONS_KEY)),
            message: format!("no member of the set has the operation `{action}`"),
        })
    })?;
    if let Value::Mapping(map) = &mut root_value {
        map.remove(ACTIONS_KEY);
        map.insert(Value::String("paths".to_owned()), paths);
    }
    serde_yaml::to_string(&root_value).map_err(|error| {
        Diagnostics::single(SpecError {
            file: root.to_owned(),
            location: Location::Document,
            message: format!("cannot write the bundle: {error}"),
        })
    })
}

/// The member paths the root lists, relative to the workspace.
fn member_paths(root: &str, listed: &serde_json::Value) -> Result<Vec<String>, Diagnostics> {
    let at = pointer_join("#", ACTIONS_KEY);
    let not_a_list = || {
        Diagnostics::single(SpecError {
            file: root.to_owned(),
            location: Location::Pointer(at.clone()),
            message: format!(
                "`{ACTIONS_KEY}` must be a list of relative paths to action documents"
            ),
        })
    };
    let items = listed.as_array().ok_or_else(not_a_list)?;
    let mut paths = Vec::new();
    for item in items {
        let relative = item.as_str().ok_or_else(not_a_list)?;
        paths.push(join(directory_of(root), relative));
    }
    Ok(paths)
}

fn load_member(
    source: &dyn SpecSource,
    root: &str,
    member: &str,
    root_value: &mut Value,
    origins: &mut BTreeMap<String, String>,
) -> Result<ActionDocument, Diagnostics> {
    let text = source
        .read(member)
        .map_err(|reason| unreadable(root, member, &reason))?;
    let mut value = parse_value(member, &text)?;
    let version = value
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !version.starts_with("3.0.") {
        // The full parse says what is wrong where (no version, or another one).
        parse(member, &text)?;
    }
    let mut errors = Vec::new();
    rewrite_references(&mut value, root, member, &mut "#".to_owned(), &mut errors);
    merge_components(&value, root_value, member, origins, &mut errors);
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    // Typed once, from the value; only a document that fails is parsed again from its text,
    // so the problem is reported with its line and column.
    let document = match serde_yaml::from_value(value) {
        Ok(document) => document,
        Err(error) => {
            parse(member, &text)?;
            return Err(Diagnostics::single(SpecError {
                file: member.to_owned(),
                location: Location::Document,
                message: format!(
                    "not an OpenAPI document once its references are resolved: {error}"
                ),
            }));
        }
    };
    Ok(ActionDocument {
        file: member.to_owned(),
        document,
    })
}

/// Turns every `$ref` into the root (or into the member itself) into a local `#/…` one;
/// a reference into any other file is an error. `pointer` is where `value` is: one buffer,
/// grown and cut back on the way down, since a pointer is only read when there is an error.
fn rewrite_references(
    value: &mut Value,
    root: &str,
    member: &str,
    pointer: &mut String,
    errors: &mut Vec<SpecError>,
) {
    let depth = pointer.len();
    match value {
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                let key_text = key.as_str().unwrap_or_default();
                push_pointer_token(pointer, key_text);
                if key_text != "$ref" {
                    rewrite_references(child, root, member, pointer, errors);
                } else if let Value::String(reference) = child {
                    match local_reference(reference, root, member) {
                        Some(local) => *reference = local,
                        None => errors.push(SpecError {
                            file: member.to_owned(),
                            location: Location::Pointer(pointer.clone()),
                            message: format!(
                                "`{reference}` points into a file outside the spec set; a \
                                 member may reference itself and the root `{root}` only"
                            ),
                        }),
                    }
                }
                pointer.truncate(depth);
            }
        }
        Value::Sequence(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                push_pointer_token(pointer, &index.to_string());
                rewrite_references(item, root, member, pointer, errors);
                pointer.truncate(depth);
            }
        }
        _ => {}
    }
}

/// `#/…` for a reference into the root or the member itself, `None` for any other file.
fn local_reference(reference: &str, root: &str, member: &str) -> Option<String> {
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if file.is_empty() {
        return Some(reference.to_owned());
    }
    let target = join(directory_of(member), file);
    (target == root || target == member).then(|| format!("#{fragment}"))
}

/// Moves a member's components into the root's; the root's own security schemes may be
/// repeated (validators need them local), anything else defined twice is an error.
fn merge_components(
    member_value: &Value,
    root_value: &mut Value,
    member: &str,
    origins: &mut BTreeMap<String, String>,
    errors: &mut Vec<SpecError>,
) {
    let Some(Value::Mapping(kinds)) = member_value.get("components") else {
        return;
    };
    let Value::Mapping(root_map) = root_value else {
        return;
    };
    let root_components = root_map
        .entry(Value::String("components".to_owned()))
        .or_insert_with(|| Value::Mapping(serde_yaml::Mapping::new()));
    let Value::Mapping(root_components) = root_components else {
        return;
    };
    for (kind, entries) in kinds {
        let (Some(kind_name), Value::Mapping(entries)) = (kind.as_str(), entries) else {
            continue;
        };
        let root_kind = root_components
            .entry(kind.clone())
            .or_insert_with(|| Value::Mapping(serde_yaml::Mapping::new()));
        let Value::Mapping(root_kind) = root_kind else {
            continue;
        };
        for (name, definition) in entries {
            let name_text = name.as_str().unwrap_or_default();
            let origin_key = format!("{kind_name}/{name_text}");
            match root_kind.get(name) {
                Some(existing) if kind_name == "securitySchemes" && existing == definition => {}
                Some(_) => {
                    let first = origins
                        .get(&origin_key)
                        .cloned()
                        .unwrap_or_else(|| "the root".to_owned());
                    errors.push(SpecError {
                        file: member.to_owned(),
                        location: Location::Pointer(pointer_join(
                            &pointer_join("#/components", kind_name),
                            name_text,
                        )),
                        message: format!(
                            "`{name_text}` is defined in {first} too; component names are shared \
                             by the whole spec set"
                        ),
                    });
                }
                None => {
                    root_kind.insert(name.clone(), definition.clone());
                    origins.insert(origin_key, member.to_owned());
                }
            }
        }
    }
}

fn unreadable(root: &str, path: &str, reason: &str) -> Diagnostics {
    let (file, location) = if path == root {
        (root, Location::Document)
    } else {
        (root, Location::Pointer(pointer_join("#", ACTIONS_KEY)))
    };
    Diagnostics::single(SpecError {
        file: file.to_owned(),
        location,
        message: format!("cannot read `{path}`: {reason}"),
    })
}

fn directory_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(directory, _)| directory)
}

/// `relative` resolved against `directory`, with `.` and `..` segments folded. An absolute
/// `directory` gives an absolute path (the root's parent is the root); a relative one keeps
/// the `..` that climb above its start.
pub fn join(directory: &str, relative: &str) -> String {
    let absolute = directory.starts_with('/');
    let mut parts: Vec<&str> = directory
        .split('/')
        .filter(|part| !part.is_empty())
        .collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_like_a_file_system() {
        assert_eq!(
            join("spec/cloudrecord/actions", "../cloudrecord.yaml"),
            "spec/cloudrecord/cloudrecord.yaml"
        );
        assert_eq!(
            join("spec/cloudrecord", "./actions/StopRecord.yaml"),
            "spec/cloudrecord/actions/StopRecord.yaml"
        );
        assert_eq!(join("", "a.yaml"), "a.yaml");
        assert_eq!(
            join("/srv/specs/p", "actions/A.yaml"),
            "/srv/specs/p/actions/A.yaml"
        );
        assert_eq!(join("/srv", "../../a.yaml"), "/a.yaml");
        assert_eq!(join("spec", "../../a.yaml"), "../a.yaml");
    }

    #[test]
    fn references_into_the_root_become_local() {
        let root = "spec/cloudrecord/cloudrecord.yaml";
        let member = "spec/cloudrecord/actions/StopRecord.yaml";
        assert_eq!(
            local_reference(
                "../cloudrecord.yaml#/components/schemas/MixInput",
                root,
                member
            ),
            Some("#/components/schemas/MixInput".to_owned())
        );
        assert_eq!(
            local_reference("#/components/schemas/Local", root, member),
            Some("#/components/schemas/Local".to_owned())
        );
        assert_eq!(
            local_reference("StopRecord.yaml#/components/schemas/Local", root, member),
            Some("#/components/schemas/Local".to_owned())
        );
        assert_eq!(local_reference("../other.yaml#/x", root, member), None);
    }
}
