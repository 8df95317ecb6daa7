#!/usr/bin/env bash
# The GitHub Action's install step: puts the doclint release binary of the action's version on
# PATH after checking its SHA-256 checksum, and writes `source=release` to $GITHUB_OUTPUT. When
# there is no release binary to use — the action runs from a branch or a commit rather than a
# release tag, the runner's platform has none, or the release has no such file — it writes
# `source=build` and the action builds doclint from its source instead. A checksum that does
# not match fails the step.
#
# From the runner: GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT,
# GITHUB_PATH. From the action: ACTION_REF and ACTION_REPOSITORY (the runner leaves them empty
# inside composite actions; the ref is then the last folder of GITHUB_ACTION_PATH, where the
# runner unpacks the action). DOCLINT_RELEASES overrides the download base
# (https://github.com/OWNER/REPO/releases/download), for tests.
set -euo pipefail

build() {
  echo "doclint: $1; building doclint from source"
  echo "source=build" >> "$GITHUB_OUTPUT"
  exit 0
}

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$GITHUB_ACTION_PATH/Cargo.toml" | head -n 1)
ref=${ACTION_REF:-$(basename "$GITHUB_ACTION_PATH")}
repository=${ACTION_REPOSITORY:-doclint/doclint}
tag=v$version
if [ "$ref" != "$tag" ]; then
  build "the action's ref $ref is not the release tag $tag"
fi

case "$RUNNER_OS/$RUNNER_ARCH" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) build "no release binary for $RUNNER_OS $RUNNER_ARCH" ;;
esac
archive=doclint-$target.tar.gz
case $target in *-windows-*) archive=doclint-$target.zip ;; esac

base=${DOCLINT_RELEASES:-https://github.com/$repository/releases/download}
dir=$RUNNER_TEMP/doclint-release
mkdir -p "$dir/bin"
if ! curl -fsSL --retry 3 -o "$dir/$archive" "$base/$tag/$archive"; then
  build "no release file $base/$tag/$archive"
fi
if ! curl -fsSL --retry 3 -o "$dir/$archive.sha256" "$base/$tag/$archive.sha256"; then
  echo "::error::the release $tag has $archive but no $archive.sha256 to check it against"
  exit 1
fi

expected=$(cut -d ' ' -f 1 < "$dir/$archive.sha256")
if command -v sha256sum >/dev/null 2>&1; then
  actual=$(sha256sum "$dir/$archive" | cut -d ' ' -f 1)
else
  actual=$(shasum -a 256 "$dir/$archive" | cut -d ' ' -f 1)
fi
if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
  echo "::error::checksum mismatch for $archive: expected ${expected:-nothing}, got $actual"
  exit 1
fi

case $archive in
  *.zip) unzip -q -o "$dir/$archive" -d "$dir/bin" ;;
  *) tar -xzf "$dir/$archive" -C "$dir/bin" ;;
esac
echo "doclint: using the $tag release binary for $target (sha256 $actual)"
echo "$dir/bin" >> "$GITHUB_PATH"
echo "source=release" >> "$GITHUB_OUTPUT"
