#!/usr/bin/env bash
# Before publishing: the Rust API of each published crate (zego-server-runtime and the
# generated zego-cloudrecord) against a baseline, with cargo-semver-checks, then the packages
# themselves. The baseline is the first argument (a git revision), else the newest tag `v*`,
# else the previous commit. The spec's own changes are classified by `cargo xtask api-diff`.
#
#   bash scripts/release-check.sh [BASELINE-REV]
#
# Not part of CI: building cargo-semver-checks takes longer than CI's budget allows.
set -euo pipefail
cd "$(dirname "$0")/.."
SEMVER_CHECKS_VERSION=0.51.0
if ! cargo semver-checks --version 2>/dev/null | grep -q "$SEMVER_CHECKS_VERSION"; then
  cargo install --locked cargo-semver-checks --version "$SEMVER_CHECKS_VERSION"
fi
base=${1:-$(git describe --tags --abbrev=0 --match 'v*' 2>/dev/null || echo HEAD~1)}
echo "==> cargo semver-checks against $base"
cargo semver-checks check-release --package zego-server-runtime --package zego-cloudrecord \
  --baseline-rev "$base"
echo "==> cargo package (with verification)"
cargo package --package zego-server-runtime --package zego-cloudrecord
