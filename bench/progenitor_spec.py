#!/usr/bin/env python3
"""Joins `cargo xtask bundle <Action>` documents into the one document progenitor reads.

Two adaptations, both because of how progenitor works, not because of the API:
- One OpenAPI document cannot hold nine POST operations on `/` (every action is
  `POST /?Action=...`), so each action gets the path `/<Action>`; the signing hook in
  `bench/progenitor-signing.rs` puts the request back on `/?Action=<Action>&<signature>`.
- The common query parameters (Action and the five signature parameters) are dropped from
  each operation: the hook adds them, as a progenitor user would, instead of every call
  passing six computed arguments.

Usage: progenitor_spec.py OUT.json BUNDLE.yaml...
"""
import json
import sys

import yaml


def main(out, bundles):
    document = None
    paths = {}
    for name in bundles:
        with open(name, encoding="utf-8") as f:
            bundle = yaml.safe_load(f)
        if document is None:
            document = bundle
        parameters = bundle.get("components", {}).get("parameters", {})
        operation = bundle["paths"]["/"]["post"]
        operation["parameters"] = [
            p for p in operation.get("parameters", []) if not is_common(p, parameters)
        ]
        if not operation["parameters"]:
            del operation["parameters"]
        paths["/" + operation["operationId"]] = {"post": operation}
    document["paths"] = paths
    document.get("components", {}).pop("parameters", None)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1, sort_keys=True)


def is_common(parameter, parameters):
    ref = parameter.get("$ref", "")
    if ref.startswith("#/components/parameters/"):
        parameter = parameters[ref.rsplit("/", 1)[1]]
    return "x-zego-common-param" in parameter


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
