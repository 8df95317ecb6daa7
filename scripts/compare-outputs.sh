#!/usr/bin/env bash
# Compares what two doclint binaries report, diagnostic for diagnostic, on the corpora, the
# seeds and every testdata folder (plus a few --select runs and the catalogue commands).
# Usage: scripts/compare-outputs.sh OLD_BINARY NEW_BINARY [SHARED_DIR]
# Prints the differing runs and exits 1 if any differ. Run from the repository's top folder.
set -uo pipefail
# shellcheck disable=SC2034 # old and new are read through ${!which}
old=$1 new=$2 shared=${3:-../shared}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

runs=()
for dir in "$shared/corpora/microsoft-graph-docs" "$shared/corpora/onedrive-api-docs" \
    "$shared/seeds" "$shared/seeds/docset" testdata testdata/rules/*/ testdata/sample-docs; do
    [ -e "$dir" ] && runs+=("check --format json $dir")
done
graph="$shared/corpora/microsoft-graph-docs"
runs+=("check --format json --select DL305 $graph" "check --format json --select schema $graph"
    "check --format json --ignore http,links $graph" "check --format json --select DL801 $graph"
    "check --format sarif $shared/corpora/onedrive-api-docs" "check --statistics $graph"
    "check --format github $shared/corpora/onedrive-api-docs" "rules" "explain DL401" "config $graph")

# Diagnostics sorted and keys sorted, so only content counts; the timing is dropped.
normalise() {
    if jq -e . "$1" >/dev/null 2>&1; then
        jq -S 'if type == "object" and has("diagnostics") then .diagnostics |= sort_by(tostring) else . end' "$1"
    else
        cat "$1"
    fi
}

failed=0
for i in "${!runs[@]}"; do
    for which in old new; do
        bin=${!which}
        # shellcheck disable=SC2086
        "$bin" ${runs[$i]} >"$out/$which.raw" 2>"$out/$which.err"
        echo "exit $?" >>"$out/$which.err"
        normalise "$out/$which.raw" >"$out/$which.json"
        sed -E 's/\([0-9.]+ m?s\)//' "$out/$which.err" >"$out/$which.stderr"
    done
    if ! cmp -s "$out/old.json" "$out/new.json" || ! cmp -s "$out/old.stderr" "$out/new.stderr"; then
        failed=1
        echo "DIFFERS: doclint ${runs[$i]}"
        diff "$out/old.json" "$out/new.json" | head -20
        diff "$out/old.stderr" "$out/new.stderr" | head -10
    fi
done
n=$(jq '.diagnostics | length' < <("$new" check --format json "$graph" 2>/dev/null))
echo "${#runs[@]} runs compared; $n diagnostics on microsoft-graph-docs"
[ $failed = 0 ] && echo "identical" || echo "DIFFERENCES FOUND"
exit $failed
