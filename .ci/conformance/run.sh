#!/usr/bin/env bash
# Runs the generated example binary against a local capture server (127.0.0.1) for every
# request in tests/fixtures/requests/, then validates the captured HTTP requests against the
# spec with openapi-core. Usage: run.sh <python-with-openapi-core>
set -euo pipefail
python=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true' EXIT

requests=("$root"/tests/fixtures/requests/*.json)
cargo build --quiet --package zego-cloudrecord --example start_record
example="$root/target/debug/examples/start_record"

"$python" "$root/.ci/conformance/capture_server.py" --port-file "$work/port" --out "$work/captured.jsonl" \
  --requests "${#requests[@]}" --seconds 120 &
server=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

for request in "${requests[@]}"; do
  echo "example: $(basename "$request")"
  ZEGO_APP_ID=1234567890 ZEGO_SERVER_SECRET=conformance-secret ZEGO_BASE_URL="http://127.0.0.1:$port" \
    "$example" "$request"
done
wait "$server"
server=
"$python" "$root/.ci/conformance/validate_requests.py" "$root/spec/startrecord.yaml" "$work/captured.jsonl" "${#requests[@]}"
