#!/usr/bin/env bash
# Benchmarks (not tests: nothing here passes or fails on a time, and scripts/test.sh does
# not call it). On the real portal: check and build. On a generated corpus of N
# commitments (default 10000):
#   - shafaf build, Hugo and (when on PATH) Zola on the same pages, and `cp -r` of
#     shafaf's output as a floor: median wall time of 3 runs after a warm-up, peak
#     memory, pages and files written; outputs go to tmpfs so the disk does not dominate;
#   - the largest HTML page, one search query per language (scripts/search-bench.mjs);
#   - an edit under `shafaf serve`, end to end (scripts/bench-serve-edit.py);
# then a summary table. README's benchmark paragraph says what the figures are held to.
# Usage: scripts/bench.sh [N]        (scripts/bench.sh 1000 for a quick run)
#        BENCH_EDITS=100 scripts/bench.sh 1000   (more edits under serve; default 5)
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-10000}
runs=3
edits=${BENCH_EDITS:-5}
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/shafaf
# Everything the generators read and write lives on tmpfs, removed on exit.
shm=/dev/shm/shafaf-bench-$$
trap 'rm -rf "$shm"' EXIT
mkdir -p "$shm"

# Building is not what is measured: leave the cores to whatever else runs.
nice -n 10 cargo build --release --quiet --bin shafaf --example gen_corpus

# run_round ROUND NAME...: runs each contender's command once, in turn, each into its
# own emptied output folder $shm/NAME (the command is the array cmd_NAME). Wall time and
# peak RSS go to $shm/NAME.ROUND.time; output and errors to $shm/log.
run_round() {
  local round=$1 name
  shift
  for name in "$@"; do
    local -n cmd=cmd_${name//-/_}
    rm -rf "${shm:?}/$name"
    if ! /usr/bin/time -f "%e %M" -o "$shm/$name.$round.time" "${cmd[@]}" >"$shm/log" 2>&1; then
      echo "failed: ${cmd[*]}" >&2
      tail -20 "$shm/log" >&2
      exit 1
    fi
  done
}

# stats NAME: sets TIMES (each timed run, s), MEDIAN and PEAK (the largest peak RSS of the
# timed runs, KB) from rounds 1..$runs (round 0 was the warm-up).
stats() {
  local round elapsed rss times=()
  PEAK=0
  for round in $(seq 1 "$runs"); do
    read -r elapsed rss <"$shm/$1.$round.time"
    times+=("$elapsed")
    PEAK=$((rss > PEAK ? rss : PEAK))
  done
  TIMES="${times[*]}"
  MEDIAN=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")
}

# counts DIR: sets PAGES (HTML files that are not redirects: Hugo writes /page/1/ as a
# redirect to the list itself), REDIRECTS, HTML_MB (their size, to see that the pages
# weigh about the same) and FILES.
counts() {
  local html
  html=$(find "$1" -name '*.html' | wc -l)
  HTML_MB=$(find "$1" -name '*.html' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s / 1048576 }')
  REDIRECTS=$(find "$1" -name '*.html' -print0 | xargs -0 grep -l 'http-equiv="refresh"' | wc -l || true)
  PAGES=$((html - REDIRECTS))
  FILES=$(find "$1" -type f | wc -l)
}

# report NAME OUT: prints one generator's line and keeps it for the summary table.
summary=()
report() {
  counts "$2"
  printf '  %-7s median %6s s (runs: %s), peak %5d MB, %6d pages (+%d redirects, %s MB of HTML), %6d files\n' \
    "$1" "$MEDIAN" "$TIMES" $((PEAK / 1024)) "$PAGES" "$REDIRECTS" "$HTML_MB" "$FILES"
  summary+=("$1 $MEDIAN $((PEAK / 1024)) $PAGES $HTML_MB $FILES")
}

# One search query per language: bytes transferred and time to the first result
# (needs `cd tests/browser && npm ci` and Chromium).
search_bench() {
  if [ ! -d tests/browser/node_modules/puppeteer-core ]; then
    echo "    search: skipped (run \`cd tests/browser && npm ci\` first)"
    return
  fi
  node scripts/search-bench.mjs "$@" 2>&1 | sed 's/^/    search: /' || echo "    search: failed"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "real portal (content/):"
/usr/bin/time -f "    %e s wall, %M KB peak" $bin check 2>&1 | grep -E "wall|checked" | sed 's/^/    /'
/usr/bin/time -f "    %e s wall, %M KB peak" $bin build --out "$shm/portal" 2>&1 | grep -E "wall|built" | sed 's/^/    /'
search_bench "$shm/portal" "ar=المؤشرات" "fr=engagements"

corpus=/tmp/shafaf-corpus-$n
[ -d "$corpus/content" ] || "$target/release/examples/gen_corpus" --commitments "$n" --out "$corpus" >/dev/null
# The generators read their sources from tmpfs too; serve edits this copy, not the corpus.
cp -r "$corpus" "$shm/corpus"
echo
echo "corpus of $n commitments ($(du -sh "$shm/corpus/content" | cut -f1) of sources), load average $(cut -d' ' -f1-3 /proc/loadavg):"
/usr/bin/time -f "    %e s wall, %M KB peak" $bin check --root "$shm/corpus" 2>&1 | grep -E "wall|checked" | sed 's/^/    /'

# shafaf builds once first (untimed, it also warms the caches): its open data is the
# peers' source, and its output is what cp copies.
$bin build --root "$shm/corpus" --out "$shm/reference" --quiet
cmd_shafaf=("$bin" build --root "$shm/corpus" --out "$shm/shafaf" --quiet)
cmd_cp=(cp -r "$shm/reference" "$shm/cp")
contenders=(shafaf)

# Hugo on the same pages: scripts/peer_sites.py writes the site from the corpus and
# shafaf's JSON feeds (templates in scripts/peer_sites/hugo/).
if ! command -v hugo >/dev/null; then
  echo "  (installing Hugo from Debian's packages)"
  apt-get update -qq >/dev/null && apt-get install -y -qq hugo >/dev/null
fi
python3 scripts/peer_sites.py hugo "$shm/corpus" "$shm/reference" "$shm/hugo-site" >/dev/null
cmd_hugo=(hugo --quiet -s "$shm/hugo-site" -d "$shm/hugo")
contenders+=(hugo)

# Zola on the same pages, only when it is installed (this script does not build it):
# scripts/peer_sites.py writes its site too (templates in scripts/peer_sites/zola/).
# `zola build` refuses a non-empty output folder; run_round empties it.
zola_note=
if command -v zola >/dev/null; then
  python3 scripts/peer_sites.py zola "$shm/corpus" "$shm/reference" "$shm/zola-site" >/dev/null
  cmd_zola=(zola --root "$shm/zola-site" build --output-dir "$shm/zola")
  contenders+=(zola)
else
  zola_note="zola: not on PATH, skipped"
fi
contenders+=(cp)

# The machine is shared: rounds interleave the contenders (shafaf, Hugo, Zola, cp, shafaf, ...)
# so that a change of load in the middle weighs on all of them alike.
echo " build, median of $runs rounds after a warm-up round, each round: ${contenders[*]}; output on tmpfs:"
for round in $(seq 0 "$runs"); do
  run_round "$round" "${contenders[@]}"
done
for name in "${contenders[@]}"; do
  stats "$name"
  declare "time_$name=$MEDIAN"
  report "$name" "$shm/$name"
  if [ "$name" = hugo ]; then echo "          (Hugo $(hugo version | grep -o 'v[0-9.]*' | head -1))"; fi
  if [ "$name" = zola ]; then echo "          (Zola $(zola --version | grep -o '[0-9][0-9.]*' | head -1))"; fi
done
if [ -n "$zola_note" ]; then echo "  $zola_note"; fi
# The faster peer: Hugo, or Zola when it ran and took less time.
peer=hugo
peer_time=$time_hugo
if [ -n "${time_zola:-}" ] && awk -v z="$time_zola" -v h="$time_hugo" 'BEGIN { exit !(z < h) }'; then
  peer=zola
  peer_time=$time_zola
fi
shafaf_time=$time_shafaf
cp_time=$time_cp
echo "  shafaf: $(ratio "$shafaf_time" "$cp_time") x cp -r; $(ratio "$shafaf_time" "$peer_time") x the faster peer ($peer)"

largest=$(find "$shm/shafaf" -name '*.html' -printf '%s %P\n' | sort -n | tail -1)
echo "  largest HTML page: ${largest#* } (${largest%% *} bytes)"
search_bench "$shm/shafaf"

echo " an edit under serve (write to seen in the served HTML):"
python3 scripts/bench-serve-edit.py "$bin" "$shm/corpus" "$edits" | tee "$shm/serve" | grep -v '^SUMMARY' || true
read -r _ _ sheet_ms list_ms rss_mb hwm_mb _ paced_ms < <(grep '^SUMMARY' "$shm/serve" || true)

# Revisions from git: the corpus as a repository of 500 commits (the first adds every
# sheet, each later one moves an activity's end in one sheet, dated a day apart before
# the corpus's as_of), built once; SHAFAF_TIMINGS prints the history walk's own time.
echo
echo " revisions from git (${BENCH_COMMITS:-500} commits):"
commits=${BENCH_COMMITS:-500}
rm -rf "$shm/history"
cp -r "$corpus" "$shm/history"
(
  cd "$shm/history"
  export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
  g() { git -c user.name=bench -c user.email=bench@example.org -c commit.gpgsign=false "$@"; }
  g -c init.defaultBranch=main init -q
  g add -A
  GIT_AUTHOR_DATE=2024-01-01T00:00:00Z GIT_COMMITTER_DATE=2024-01-01T00:00:00Z g commit -q -m corpus
  mapfile -t sheets < <(find content/plans -name '*.yaml' -path '*/commitments/*' | sort)
  for i in $(seq 1 $((commits - 1))); do
    sheet=${sheets[$(((i * 7919) % ${#sheets[@]}))]}
    perl -0pi -e 's/end: (\d{4})-/"end: " . ($1 + 1) . "-"/e' "$sheet"
    day=$(date -u -d "2024-01-01 + $i days" +%Y-%m-%dT12:00:00Z)
    GIT_AUTHOR_DATE=$day GIT_COMMITTER_DATE=$day g commit -q -a -m "edit $i"
  done
)
rm -rf "$shm/history-out"
/usr/bin/time -f "    build: %e s wall, %M KB peak" env SHAFAF_TIMINGS=1 $bin build --root "$shm/history" --out "$shm/history-out" --quiet 2>&1 |
  grep -E "wall|^history" | sed 's/^history/    history walk:/'
echo "    $(($(wc -l <"$shm/history-out/data/v1/revisions.csv") - 1)) rows in revisions.csv; without the repository: $shafaf_time s (median above)"

echo
echo "summary ($n commitments, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '  %-8s %9s %9s %8s %8s %8s\n' "" "median s" "peak MB" "pages" "HTML MB" "files"
for row in "${summary[@]}"; do
  # shellcheck disable=SC2086
  printf '  %-8s %9s %9s %8s %8s %8s\n' $row
done
printf '  shafaf / cp -r: %s x    shafaf / %s: %s\n' "$(ratio "$shafaf_time" "$cp_time")" "$peer" "$(ratio "$shafaf_time" "$peer_time")"
printf '  largest HTML page: %s bytes\n' "${largest%% *}"
printf '  serve edit, median of %s: sheet %s ms, plan list %s ms; saves 1 s apart: slowest %s ms; serve VmRSS %s MB, VmHWM %s MB\n' \
  "$edits" "${sheet_ms:-?}" "${list_ms:-?}" "${paced_ms:-?}" "${rss_mb:-?}" "${hwm_mb:-?}"
