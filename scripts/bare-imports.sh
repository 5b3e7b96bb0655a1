#!/usr/bin/env bash
# Every server folder of ZEGOCLOUD's docs (English and Chinese; the copy in
# tests/upstream/docs_all, which scripts/upstream-snapshot.py lists), imported into a new spec
# set with nothing but `cargo xtask import`, generated with `cargo xtask codegen`, and its crate
# and dry-run example checked by the compiler without a warning: a bare import is enough.
# Scratch files go to target/bare-imports/, which git ignores.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=target/bare-imports
rm -rf "$scratch/specs" "$scratch/crates"
mkdir -p "$scratch/specs" "$scratch/crates"
cargo build --quiet -p xtask
xtask=target/debug/xtask

# The folders of the snapshot's FOLDERS list (its EXTRA_PAGES are single pages).
folders=$(sed -n '/^FOLDERS = \[/,/^\]/ s/^    "\(\(core_products\|extended_services\)\/[^"]*\)",$/\1/p' scripts/upstream-snapshot.py)
count=0
for folder in $folders; do
  # core_products/zim/zh/docs_zim_server_zh -> zim-zh
  name=$(echo "$folder" | sed -E 's#(core_products|extended_services)/##; s#/server.*##; s#/docs_zim.*##; s#/#-#g; s#_#-#g')
  "$xtask" import "tests/upstream/docs_all/$folder" --out "$scratch/specs/$name" \
    --title "Bare import of $name" --crate "zego-bare-$name" > "$scratch/$name.import.log" 2>&1 \
    || { echo "import of $folder failed:"; cat "$scratch/$name.import.log"; exit 1; }
  "$xtask" codegen --spec "$scratch/specs/$name/$name.yaml" --out "$scratch/crates/$name" \
    > "$scratch/$name.codegen.log" 2>&1 \
    || { echo "codegen of the bare import of $folder failed:"; cat "$scratch/$name.codegen.log"; exit 1; }
  echo "$name: $(head -1 "$scratch/$name.import.log" | cut -d: -f1)"
  count=$((count + 1))
done

# One workspace over the crates, so that they share one build of their dependencies.
{
  echo '[workspace]'
  echo 'resolver = "2"'
  echo 'members = ["crates/*"]'
} > "$scratch/Cargo.toml"
cp Cargo.lock "$scratch/Cargo.lock"
RUSTFLAGS="-D warnings" cargo check --quiet --manifest-path "$scratch/Cargo.toml" --workspace --examples \
  --target-dir "$scratch/target"
echo "$count bare imports generated and checked"
