#!/usr/bin/env bash
# Benchmarks (not tests): check, build and a one-commitment rebuild under serve, on the
# real portal and on generated corpora. Prints wall time and peak memory, and for search
# the bytes one query transfers and its time to the first result.
# Usage: scripts/bench.sh [COMMITMENTS...]   (default: 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example gen_corpus
bin=./target/release/shafaf
measure() { /usr/bin/time -f "    %e s wall, %M KB peak" "$@" 2>&1 | grep -E "wall|built|checked" | sed 's/^/    /'; }

echo "real portal (content/):"
measure $bin check
rm -rf /tmp/shafaf-bench-out && measure $bin build --out /tmp/shafaf-bench-out
# One search query per language: bytes transferred and time to the first result
# (needs `cd tests/browser && npm ci` and Chromium).
search_bench() { node scripts/search-bench.mjs "$@" 2>&1 | sed 's/^/    search: /'; }
search_bench /tmp/shafaf-bench-out "ar=المؤشرات" "fr=engagements"

for n in "${@:-1000 10000}"; do
  for count in $n; do
    root=/tmp/shafaf-corpus-$count
    [ -d "$root/content" ] || ./target/release/examples/gen_corpus --commitments "$count" --out "$root" >/dev/null
    echo "corpus of $count commitments:"
    measure $bin check --root "$root"
    rm -rf "$root-out" && measure $bin build --root "$root" --out "$root-out" --quiet
    search_bench "$root-out"
    # One edit under serve: the log line says how long the rebuild and announce took.
    log=$(mktemp)
    $bin serve --root "$root" --port 18765 >"$log" 2>&1 &
    pid=$!
    until grep -q "serving" "$log"; do sleep 0.5; done
    sheet=$(find "$root/content/plans" -name '*.yaml' -path '*commitments*' | sort | sed -n 1p)
    sed -i '0,/progress: [0-9]*/s//progress: 42/' "$sheet"
    until grep -q "open data" "$log"; do sleep 0.2; done
    kill -INT $pid; wait $pid || true
    grep -E "rebuilt|open data" "$log" | sed 's/^/    serve: /'
    rm -f "$log"
  done
done
