#!/usr/bin/env bash
# Runs the `cloudrecord` example binary against a local capture server (127.0.0.1) for every
# request in tests/fixtures/requests/<Action>/ (one folder per action), then validates each
# captured HTTP request against its action's OpenAPI document with openapi-core.
# Usage: run.sh <python-with-openapi-core>
set -euo pipefail
python=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true' EXIT

requests=("$root"/tests/fixtures/requests/*/*.json)
cargo build --quiet --package zego-cloudrecord --example cloudrecord
example="$root/target/debug/examples/cloudrecord"

"$python" "$root/.ci/conformance/capture_server.py" --port-file "$work/port" --out "$work/captured.jsonl" \
  --requests "${#requests[@]}" --seconds 120 &
server=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

for request in "${requests[@]}"; do
  action=$(basename "$(dirname "$request")")
  echo "cloudrecord $action $(basename "$request")"
  # DescribeTasks looks back at most three days from now, which the client checks: the sample's
  # fixed window is moved to the last day before it is sent.
  if [ "$action" = DescribeTasks ]; then
    now_ms=$(( $(date +%s) * 1000 ))
    "$python" -c 'import json,sys; r=json.load(open(sys.argv[1])); span=r["EndTime"]-r["StartTime"]; r["EndTime"]=int(sys.argv[2]); r["StartTime"]=r["EndTime"]-span; print(json.dumps(r))' \
      "$request" "$now_ms" > "$work/$(basename "$request")"
    request="$work/$(basename "$request")"
  fi
  ZEGO_APP_ID=1234567890 ZEGO_SERVER_SECRET=conformance-secret ZEGO_BASE_URL="http://127.0.0.1:$port" \
    "$example" "$action" "$request" >/dev/null
done
wait "$server"
server=
"$python" "$root/.ci/conformance/validate_requests.py" "$root/spec/cloudrecord/actions" "$work/captured.jsonl" "${#requests[@]}"
