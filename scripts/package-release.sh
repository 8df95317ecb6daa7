#!/usr/bin/env bash
# Packages a release build of doclint for TARGET: OUT/doclint-TARGET.tar.gz (.zip for Windows)
# holding the binary and the README, and OUT/doclint-TARGET.tar.gz.sha256 beside it. The
# release workflow runs it after `cargo build --release --locked --target TARGET`; so can
# anyone checking a release build locally.
#
#   scripts/package-release.sh TARGET [OUT]      (OUT defaults to dist)
set -euo pipefail
target=$1
out=$(mkdir -p "${2:-dist}" && cd "${2:-dist}" && pwd)
cd "$(dirname "$0")/.."

name=doclint-$target
exe=doclint
case $target in *-windows-*) exe=doclint.exe ;; esac
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp "target/$target/release/$exe" README.md "$staging/"

case $target in
  *-windows-*)
    archive=$name.zip
    (cd "$staging" && 7z a -tzip "$out/$archive" "$exe" README.md >/dev/null)
    ;;
  *)
    archive=$name.tar.gz
    tar -czf "$out/$archive" -C "$staging" "$exe" README.md
    ;;
esac

cd "$out"
if command -v sha256sum >/dev/null 2>&1; then
  sha256sum "$archive" > "$archive.sha256"
else
  shasum -a 256 "$archive" > "$archive.sha256"
fi
echo "$out/$archive"
