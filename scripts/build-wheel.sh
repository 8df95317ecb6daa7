#!/usr/bin/env bash
# Builds the doclint wheel for TARGET into OUT with maturin (python/pyproject.toml), the binary
# inside linked statically, and tagged with TAGS (maturin `--compatibility` values,
# space-separated). maturin checks that the binary meets the tags it claims: a static glibc
# binary references no versioned glibc symbol, so it meets manylinux2014; a musl target's
# binary is static and meets musllinux_1_2.
#
#   scripts/build-wheel.sh TARGET "TAGS" [OUT]   e.g. x86_64-unknown-linux-gnu manylinux2014
#
# maturin comes from PyPI; the release workflow and the test tools install it.
set -euo pipefail
target=$1
read -r -a tags <<< "$2"
out=$(mkdir -p "${3:-dist}" && cd "${3:-dist}" && pwd)
cd "$(dirname "$0")/.."

case $target in
  *-linux-gnu | *-windows-msvc) export RUSTFLAGS="-C target-feature=+crt-static" ;;
  universal2-apple-darwin) rustup target add x86_64-apple-darwin aarch64-apple-darwin ;;
esac
if ! command -v maturin >/dev/null 2>&1; then
  echo "error: maturin is missing: pip install maturin" >&2
  exit 1
fi
cd python
maturin build --release --locked --target "$target" --compatibility "${tags[@]}" --out "$out"
