#!/usr/bin/env bash
# Instruction counts (valgrind callgrind) of the per-request work: validate + sign + serialize
# with the generated client versus serialize + one MD5 with hand-written serde structs.
# Counts do not depend on machine load, so the ratio is stable on a busy 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
cargo build --quiet --release --package tests --example per_request
binary=target/release/examples/per_request
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
iterations=2000

instructions() { # which iterations
  valgrind --tool=callgrind --callgrind-out-file="$work/out" "$binary" "$1" "$2" >/dev/null 2>"$work/log"
  grep -E "Collected" "$work/log" | grep -oE "[0-9]+$"
}

for which in generated hand_written generated_stop hand_written_stop; do
  full=$(instructions "$which" "$iterations")
  setup=$(instructions "$which" 0)
  per=$(( (full - setup) / iterations ))
  echo "$which: $per instructions per request"
  eval "per_$which=$per"
done
awk -v g="$per_generated" -v h="$per_hand_written" 'BEGIN { printf "StartRecord ratio generated/hand-written: %.3f\n", g / h }'
awk -v g="$per_generated_stop" -v h="$per_hand_written_stop" 'BEGIN { printf "StopRecord ratio generated/hand-written: %.3f\n", g / h }'
