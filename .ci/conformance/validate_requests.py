"""Validates captured HTTP requests against the OpenAPI spec with openapi-core, an
implementation independent of this project. Exits non-zero on any invalid request."""

import json
import sys

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest


def main(spec_path: str, captured_path: str, expected: int) -> int:
    openapi = OpenAPI.from_file_path(spec_path)
    with open(captured_path, encoding="utf-8") as captured:
        records = [json.loads(line) for line in captured if line.strip()]
    failures = 0
    for number, record in enumerate(records, 1):
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
            print(f"request {number}: valid ({len(record['body'])} body bytes, query {sorted(record['query'])})")
        except Exception as error:  # openapi-core raises a family of validation errors
            failures += 1
            details = getattr(error, "__cause__", None)
            print(f"request {number}: INVALID: {error!r} {details!r}\n{record}")
    if len(records) != expected:
        print(f"expected {expected} captured requests, got {len(records)}")
        return 1
    print(f"openapi-core: {len(records) - failures} of {len(records)} captured requests valid")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
