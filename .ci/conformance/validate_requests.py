"""Validates captured HTTP requests against the OpenAPI spec with openapi-core, an
implementation independent of this project: each request against the document of the action
its `Action` query parameter names (spec/cloudrecord/actions/<Action>.yaml, which references the root).
Exits non-zero on any invalid request, and fails when an action has no captured request."""

import json
import os
import sys

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest


def main(actions_dir: str, captured_path: str, expected: int) -> int:
    documents = {}
    with open(captured_path, encoding="utf-8") as captured:
        records = [json.loads(line) for line in captured if line.strip()]
    failures = 0
    for number, record in enumerate(records, 1):
        action = record["query"].get("Action", "")
        if action not in documents:
            documents[action] = OpenAPI.from_file_path(os.path.join(actions_dir, f"{action}.yaml"))
        openapi = documents[action]
        request = MockRequest(
            "https://cloudrecord-api.zego.im",
            record["method"],
            record["path"],
            args=record["query"],
            data=record["body"].encode("utf-8"),
            content_type=record["content_type"],
        )
        try:
            openapi.validate_request(request)
            print(f"request {number}: {action} valid ({len(record['body'])} body bytes)")
        except Exception as error:  # openapi-core raises a family of validation errors
            failures += 1
            details = getattr(error, "__cause__", None)
            print(f"request {number}: INVALID: {error!r} {details!r}\n{record}")
    if len(records) != expected:
        print(f"expected {expected} captured requests, got {len(records)}")
        return 1
    every = {name[:-len(".yaml")] for name in os.listdir(actions_dir) if name.endswith(".yaml")}
    missing = sorted(every - set(documents))
    if missing:
        print(f"no captured request for: {', '.join(missing)}")
        return 1
    print(f"openapi-core: {len(records) - failures} of {len(records)} captured requests valid, "
          f"{len(documents)} actions")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
