"""Each imported product's requests, checked against ZEGOCLOUD's own published file.

For every product under spec/ whose root records where it was imported from
(`x-zego-upstream`), and for every action of it: the request is made by the product's generated
client (its `<crate>-dry-run` example signs it without sending) and validated with openapi-core
against the published file the action came from (`x-zego-upstream-file`, kept in
tests/upstream/docs_all as upstream lays it out, so its relative references resolve).

The requests: a minimal one built from the published schema (every required field, values
inside the documented enums and ranges), and each of ZEGOCLOUD's own request examples that is
valid against its own schema; an example that is not is reported and not used.

Only what makes a published file loadable, and the list convention this project chose, is
changed before validating, each a named fix-up below. Usage:
    validate_products.py <repository root> <folder of the built examples>
Exits non-zero when any request is invalid or an action has none.
"""

import copy
import json
import os
import subprocess
import sys
from urllib.parse import parse_qsl, urlsplit

import yaml
from jsonschema import Draft4Validator
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest
from werkzeug.datastructures import ImmutableMultiDict

UPSTREAM = "tests/upstream/docs_all"
SIGNING = {"Action", "AppId", "SignatureNonce", "Timestamp", "Signature", "SignatureVersion"}


class Loader(yaml.SafeLoader):
    """YAML 1.2 scalars, as serde_yaml reads them: no timestamps."""


Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=Loader)


# --- Fix-ups that make a published file loadable, and the list convention chosen. ---------

def fixup_servers_as_reference(document, path):
    """`servers` is a `$ref` to a shared list: the list itself, as OpenAPI wants it."""
    servers = document.get("servers")
    if isinstance(servers, dict) and "$ref" in servers:
        target, pointer = servers["$ref"].split("#", 1)
        shared = load(os.path.join(os.path.dirname(path), target))
        for step in pointer.strip("/").split("/"):
            shared = shared[step]
        document["servers"] = shared


def fixup_tags_as_strings(document, path):
    """Plain-string tags: tag objects."""
    document["tags"] = [{"name": t} if isinstance(t, str) else t for t in document.get("tags", [])]


def walk_schemas(node, visit):
    if isinstance(node, dict):
        visit(node)
        for value in list(node.values()):
            walk_schemas(value, visit)
    elif isinstance(node, list):
        for value in node:
            walk_schemas(value, visit)


def fixup_schema_types(document, path):
    """`required: true` on a property (moved to its object), `type: Int64` (an int64),
    `type: "null"` (left out), integer formats without a width (dropped): what a JSON Schema
    validator cannot read."""
    def visit(node):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, prop in list(props.items()):
                if isinstance(prop, dict) and isinstance(prop.get("required"), bool):
                    if prop.pop("required"):
                        node.setdefault("required", []).append(name)
                if isinstance(prop, dict) and prop.get("type") == "null":
                    del props[name]
        if node.get("type") in ("Int64", "Int32", "Int"):
            node["type"] = "integer"
        if node.get("type") == "array" and isinstance(node.get("required"), list):
            node.pop("required")
    walk_schemas(document, visit)


def fixup_query_lists(document, path):
    """This project's list convention (ZEGOCLOUD's text: `Name[]=a&Name[]=b`): a list query
    parameter is named `Name[]`, as the generated client sends it."""
    parameters = list(document.get("components", {}).get("parameters", {}).values())
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                parameters.extend(operation.get("parameters", []))
    for parameter in parameters:
        if "$ref" in parameter or parameter.get("in") != "query":
            continue
        schema = parameter.get("schema", {})
        if schema.get("type") == "array" and "x-docuo-query-serialization" not in parameter:
            if not parameter["name"].endswith("[]"):
                parameter["name"] += "[]"


FIXUPS = [fixup_servers_as_reference, fixup_tags_as_strings, fixup_schema_types, fixup_query_lists]


# --- Requests. -----------------------------------------------------------------------------

class Resolver:
    """Follows `$ref`s across the published files."""

    def __init__(self):
        self.cache = {}

    def document(self, path):
        path = os.path.normpath(path)
        if path not in self.cache:
            document = load(path)
            fixup_schema_types(document, path)
            self.cache[path] = document
        return self.cache[path]

    def resolve(self, node, path):
        while isinstance(node, dict) and "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            if target:
                path = os.path.join(os.path.dirname(path), target)
            node = self.document(path)
            for step in pointer.strip("/").split("/"):
                if step:
                    node = node[step.replace("~1", "/").replace("~0", "~")]
        return node, path

    def inline(self, node, path, depth=0):
        """The schema with every reference replaced by what it names."""
        node, path = self.resolve(node, path)
        if depth > 20 or not isinstance(node, (dict, list)):
            return node
        if isinstance(node, list):
            return [self.inline(item, path, depth + 1) for item in node]
        return {key: self.inline(value, path, depth + 1) for key, value in node.items()}


def minimal(schema):
    """A value the schema accepts, with only what it requires."""
    if "enum" in schema and schema["enum"]:
        return next((v for v in schema["enum"] if v is not None), schema["enum"][0])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: minimal(props.get(name, {})) for name in schema.get("required", []) if name in props}
    if kind == "array":
        return [minimal(schema.get("items", {})) for _ in range(max(1, schema.get("minItems", 1)))]
    if kind in ("integer", "number"):
        low = schema.get("minimum", 1)
        value = max(low, 1) if schema.get("maximum", 1) >= 1 else low
        return int(value) if kind == "integer" or float(value).is_integer() else value
    if kind == "boolean":
        return True
    if kind == "string" or kind is None:
        return "x" * max(1, schema.get("minLength", 1))
    return {}


def operation_of(document):
    for item in document["paths"].values():
        for method, operation in item.items():
            if method in ("get", "post"):
                return method, operation
    raise ValueError("no operation")


def requests_for(upstream_path, resolver, notes):
    """The bodies to send for the action: the minimal one and the valid examples."""
    document = resolver.document(upstream_path)
    method, operation = operation_of(document)
    if method == "get":
        params = []
        for parameter in operation.get("parameters", []):
            parameter, _ = resolver.resolve(parameter, upstream_path)
            if parameter["name"] in SIGNING:
                continue
            params.append(parameter)
        schema = {
            "type": "object",
            "properties": {p["name"]: resolver.inline(p.get("schema", {}), upstream_path) for p in params},
            "required": [p["name"] for p in params if p.get("required")],
        }
        examples = []
    else:
        media = operation["requestBody"]["content"]["application/json"]
        schema = resolver.inline(media["schema"], upstream_path)
        examples = []
        if "example" in media:
            examples.append(media["example"])
        for example in media.get("examples", {}).values():
            if isinstance(example, dict) and "value" in example:
                examples.append(example["value"])
    bodies = [minimal(schema)]
    validator = Draft4Validator(schema)
    for example in examples:
        errors = sorted(validator.iter_errors(example), key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(step) for step in errors[0].path)
            notes.append(f"{upstream_path}: example not used, it breaks its own schema at "
                         f"`{where}`: {errors[0].message[:120]}")
        else:
            bodies.append(example)
    return method, bodies


def query_for_client(method, body):
    """A GET action's body for the client: list parameters under their `Name[]` wire names."""
    if method != "get":
        return body
    return {(k + "[]" if isinstance(v, list) and v and not isinstance(v[0], dict)
             and not k.endswith("[]") else k): v for k, v in body.items()}


def indexed_dot(pairs, names):
    """`Media.0.FileId=…` pairs back into lists of objects (ZEGOCLOUD's recursive-indexed-dot)."""
    values = {}
    rest = []
    for key, value in pairs:
        head, _, tail = key.partition(".")
        if head not in names or not tail:
            rest.append((key, value))
            continue
        node = values.setdefault(head, [])
        steps = tail.split(".")
        for i, step in enumerate(steps):
            last = i == len(steps) - 1
            if isinstance(node, list):
                index = int(step)
                while len(node) <= index:
                    node.append({} if not last and not steps[i + 1].isdigit() else ([] if not last else None))
                if last:
                    node[index] = value
                else:
                    node = node[index]
            else:
                if last:
                    node[step] = value
                else:
                    node = node.setdefault(step, [] if steps[i + 1].isdigit() else {})
    return values, rest


def coerce(value, schema):
    """Query text as the schema's type, for validating a reassembled list of objects."""
    kind = schema.get("type")
    if isinstance(value, list):
        return [coerce(v, schema.get("items", {})) for v in value]
    if isinstance(value, dict):
        return {k: coerce(v, schema.get("properties", {}).get(k, {})) for k, v in value.items()}
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return value == "true"
    return value


def main(root, examples_dir):
    resolver = Resolver()
    failures = 0
    summary = []
    notes = []
    for product in sorted(os.listdir(os.path.join(root, "spec"))):
        spec_root = os.path.join(root, "spec", product, f"{product}.yaml")
        if not os.path.isfile(spec_root):
            continue
        spec = load(spec_root)
        if "x-zego-upstream" not in spec:
            continue
        crate = spec["x-zego-crate"]
        example = os.path.join(examples_dir, f"{crate}-dry-run")
        lines, expected = [], {}
        for member in spec["x-zego-actions"]:
            action_doc = load(os.path.join(root, "spec", product, member))
            method, operation = operation_of(action_doc)
            action = operation["operationId"]
            upstream = os.path.join(root, UPSTREAM, operation["x-zego-upstream-file"])
            upstream_method, bodies = requests_for(upstream, resolver, notes)
            expected[action] = (upstream, upstream_method, len(bodies))
            for body in bodies:
                lines.append(json.dumps({"action": action, "body": query_for_client(method, body)}))
        run = subprocess.run([example], input="\n".join(lines) + "\n", capture_output=True,
                             text=True, check=True)
        answers = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
        valid = {}
        for answer in answers:
            action = answer["action"]
            upstream, upstream_method, _ = expected[action]
            if "error" in answer:
                failures += 1
                print(f"{product} {action}: the client refused a request the published file allows: {answer['error']}")
                continue
            document = copy.deepcopy(load(upstream))
            for fixup in FIXUPS:
                fixup(document, upstream)
            openapi = OpenAPI.from_dict(document, base_uri="file://" + os.path.abspath(upstream),
                                        config=Config(spec_validator_cls=None))
            url = urlsplit(answer["url"])
            pairs = parse_qsl(url.query, keep_blank_values=True)
            _, operation = operation_of(document)
            dotted = {}
            for parameter in operation.get("parameters", []):
                if "x-docuo-query-serialization" in parameter:
                    dotted[parameter["name"]] = resolver.inline(parameter["schema"], upstream)
            objects, pairs = indexed_dot(pairs, dotted)
            try:
                if answer["method"].lower() != upstream_method:
                    raise ValueError(f"sent as {answer['method']}, published as {upstream_method.upper()}")
                for name, value in objects.items():
                    Draft4Validator(dotted[name]).validate(coerce(value, dotted[name]))
                request = MockRequest(f"{url.scheme}://{url.netloc}", answer["method"], url.path or "/",
                                      args=ImmutableMultiDict(pairs),
                                      data=answer["body"].encode("utf-8") if answer["body"] else None,
                                      content_type="application/json")
                openapi.validate_request(request)
                valid[action] = valid.get(action, 0) + 1
            except Exception as error:  # openapi-core raises a family of validation errors
                failures += 1
                cause = getattr(error, "__cause__", None)
                print(f"{product} {action}: INVALID against {upstream}: {error!r} {cause!r}\n  {answer['url']}\n  {answer['body']}")
        missing = sorted(set(expected) - set(valid))
        if missing:
            failures += 1
            print(f"{product}: no valid request for {', '.join(missing)}")
        total = sum(count for _, _, count in expected.values())
        summary.append(f"{product} ({crate}): {len(expected)} actions, {len(valid)} with valid requests, "
                       f"{sum(valid.values())} of {total} requests valid")
    for note in notes:
        print(f"note: {note}")
    print("\n".join(summary))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
