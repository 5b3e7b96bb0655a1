#!/usr/bin/env bash
# Peer comparison in one run: this generator versus progenitor on the same spec, and the
# generated client versus raw reqwest on loopback. Installs what it needs: cargo-progenitor
# (pinned, from the Rust package registry, into .bench/) and hyperfine (Debian package).
# Prints a Markdown table; numbers depend on the machine, ratios much less.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
PROGENITOR_VERSION=0.15.1
tools="$root/.bench"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v hyperfine >/dev/null; then
  apt-get update -qq && apt-get install -y -qq hyperfine
fi
if [ ! -x "$tools/bin/cargo-progenitor" ] || [ "$(cat "$tools/progenitor-version" 2>/dev/null)" != "$PROGENITOR_VERSION" ]; then
  cargo install --quiet --locked --root "$tools" cargo-progenitor --version "$PROGENITOR_VERSION"
  echo "$PROGENITOR_VERSION" > "$tools/progenitor-version"
fi
progenitor="$tools/bin/cargo-progenitor"
cargo build --quiet --release --package xtask
cargo build --quiet --release --package tests --example throughput
xtask="$root/target/release/xtask"

echo "## Generation wall time (hyperfine, 20 runs)"
hyperfine --warmup 3 --runs 20 --export-markdown "$work/generation.md" \
  -n ours "$xtask codegen --out $work/ours" \
  -n progenitor "$progenitor progenitor -i spec/startrecord.yaml -o $work/progenitor -n zego-progenitor -v 1.0.0" >/dev/null
cat "$work/generation.md"

echo
echo "## Clean build of each generated crate (release profile, own target dir, dependencies included)"
build_time() { # crate-dir target-dir [cargo build arguments]
  local started ended dir=$1 target=$2
  shift 2
  started=$(date +%s.%N)
  (cd "$dir" && CARGO_TARGET_DIR="$target" cargo build --quiet --release "$@" 2>/dev/null)
  ended=$(date +%s.%N)
  echo "$ended - $started" | bc
}
# Each crate builds on its own, outside this workspace.
cp -r "$work/ours" "$work/ours-crate" && printf '\n[workspace]\n' >> "$work/ours-crate/Cargo.toml"
printf '\n[workspace]\n' >> "$work/progenitor/Cargo.toml"
ours_build=$(build_time "$work/ours-crate" "$work/target-ours")
ours_no_tls_build=$(build_time "$work/ours-crate" "$work/target-ours-no-tls" --no-default-features)
progenitor_build=$(build_time "$work/progenitor" "$work/target-progenitor")
echo "| crate | clean build (s) |"
echo "|---|---|"
echo "| ours (default: rustls TLS) | $ours_build |"
echo "| ours, --no-default-features (no TLS, like progenitor's output) | $ours_no_tls_build |"
echo "| progenitor (reqwest 0.13 without TLS) | $progenitor_build |"

echo
echo "## Generated lines of Rust"
ours_loc=$(find "$work/ours" -name '*.rs' -path '*/src/*' -exec cat {} + | grep -cv '^\s*$')
ours_spec_loc=$(cat "$work/ours/src/types.rs" "$work/ours/src/operations.rs" | grep -cv '^\s*$')
progenitor_loc=$(find "$work/progenitor" -name '*.rs' -exec cat {} + | grep -cv '^\s*$')
echo "| crate | non-blank lines | of which spec-dependent |"
echo "|---|---|---|"
echo "| ours | $ours_loc | $ours_spec_loc |"
echo "| progenitor | $progenitor_loc | $progenitor_loc |"

echo
echo "## Constraints enforced before sending"
ours_ranges=$(grep -c 'check_range(' "$work/ours/src/types.rs")
ours_rules=$(grep -c 'Violation::new(' "$work/ours/src/types.rs")
progenitor_ranges=$(grep -cE '^\s*if value\..*[<>]' "$work/progenitor/src/lib.rs" || true)
echo "| crate | integer range checks | cross-field rule checks | unknown enum values |"
echo "|---|---|---|---|"
echo "| ours | $ours_ranges | $ours_rules | decoded as Unknown, rejected in requests |"
echo "| progenitor | $progenitor_ranges (string length checks; no integer ranges) | 0 (no x- extensions) | closed enums: decoding fails |"

echo
echo "## Loopback throughput (generated client vs raw reqwest, byte-identical requests)"
"$root/target/release/examples/throughput" 3000 32 11
