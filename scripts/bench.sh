#!/usr/bin/env bash
# Benchmarks doclint against `rg -c blockType` on the same trees (the speed anchor of
# DESIGN.md §9), in the same hyperfine run, with peak memory and the time of each phase
# (DOCLINT_TIMINGS=1), on the shared corpora (the whole Graph repository first, then the old
# v1.0 slice and OneDrive), five named files, and synthetic doc sets.
#
#   scripts/bench.sh            # corpora + named files
#   scripts/bench.sh --scaling  # also synthetic 10k and 100k pages (takes a few minutes)
#
# Timing on a shared machine is noisy: the load average is printed with every run.
set -euo pipefail
cd "$(dirname "$0")/.."
corpora=../shared/corpora
for tool in hyperfine rg; do
  command -v "$tool" >/dev/null || { echo "installing $tool"; apt-get install -y -qq hyperfine ripgrep >/dev/null; }
done
cargo build --release --quiet
bin=target/release/doclint
out=$(mktemp -d)

bench() { # name dir
  local name=$1 dir=$2
  [ -d "$dir" ] || { echo "== $name: $dir not found, skipped"; return; }
  echo "== $name ($(find "$dir" -name '*.md' | wc -l) pages; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  hyperfine --warmup 3 --runs 15 -N --ignore-failure --export-json "$out/$name.json" \
    "$bin --format json --quiet $dir" "rg -c blockType $dir" >/dev/null
  python3 - "$out/$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
d, g = r[0]["median"], r[1]["median"]
print(f"doclint median {d*1000:.0f} ms (min {r[0]['min']*1000:.0f}), rg -c blockType median {g*1000:.0f} ms, ratio {d/g:.1f}x")
PY
  { /usr/bin/time -f "peak RSS %M KB" "$bin" --format json --quiet "$dir" >/dev/null; } 2>&1 | tail -1 || true
  { DOCLINT_TIMINGS=1 "$bin" --format json --quiet "$dir" >/dev/null; } 2>&1 | grep '^timings' || true
}

bench microsoft-graph-docs "$corpora/microsoft-graph-docs"
bench graph-docs-v1.0-slice "$corpora/graph-docs"
bench onedrive "$corpora/onedrive-api-docs"

echo "== five named files (pre-commit; load average $(cut -d' ' -f1-3 /proc/loadavg))"
files=$(find "$corpora/microsoft-graph-docs/api-reference/v1.0/api" -name 'user-*.md' | sort | head -5 | tr '\n' ' ')
hyperfine --warmup 3 --runs 20 -N --ignore-failure "$bin --quiet $files" | grep -E "Time|Range"

if [ "${1:-}" = "--scaling" ]; then
  cargo build --release --quiet --example gen_docset
  for n in 10000 100000; do
    dir="$out/synthetic-$n"
    target/release/examples/gen_docset "$n" "$dir"
    echo "== synthetic $n pages"
    hyperfine --warmup 1 --runs 5 -N --ignore-failure --export-json "$out/s$n.json" "$bin --format json --quiet $dir" >/dev/null
    python3 -c "import json; m=json.load(open('$out/s$n.json'))['results'][0]['median']; print(f'median {m:.3f} s, {m/$n*1e6:.1f} us per page')"
    { DOCLINT_TIMINGS=1 "$bin" --format json --quiet "$dir" >/dev/null; } 2>&1 | grep '^timings' || true
    { /usr/bin/time -f "peak RSS %M KB" "$bin" --format json --quiet "$dir" >/dev/null; } 2>&1 | tail -1 || true
    rm -rf "$dir"
  done
fi
rm -rf "$out"
