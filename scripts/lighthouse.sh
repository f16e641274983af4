#!/usr/bin/env bash
# Lighthouse 12 on the real portal as a reader on a phone meets it: one page of each kind,
# in Arabic and in French, served by `shafaf serve` (gzip, as a host would), the mobile
# preset with its default throttling (simulated slow 4G, 4x CPU slowdown), in Debian's
# Chromium. Prints the four scores per page, and the layout shift (CLS) beside them.
# Not part of CI or scripts/test.sh: scores move a little with the machine's load.
#   bash scripts/lighthouse.sh            every page
#   bash scripts/lighthouse.sh search     only the pages whose name contains "search"
#   SHAFAF_BIN=/tmp/old-shafaf SITE_ROOT=/tmp/old-tree bash scripts/lighthouse.sh
#       another shafaf binary, on another site root (the theme's files in a site root
#       override those built into the binary: this tree's themes/default/ would)
#   THROTTLING=devtools bash scripts/lighthouse.sh search    slow the network and CPU for
#       real instead of simulating it: the page's scripts and fetches then finish after the
#       first paint, as on a phone, so a late layout shift shows (the default, simulate,
#       loads at full speed and can miss it)
# Installs the pinned Lighthouse (scripts/lighthouse/package-lock.json) when missing.
# Reports (JSON) stay in $LIGHTHOUSE_OUT (a fresh temporary folder by default).
set -euo pipefail
cd "$(dirname "$0")/.."

filter="${1:-}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
[ -x "$CHROME_PATH" ] || { echo "no Chromium at $CHROME_PATH (apt-get install chromium, or set CHROME_PATH)" >&2; exit 1; }
lighthouse=scripts/lighthouse/node_modules/.bin/lighthouse
if ! [ -x "$lighthouse" ]; then
    echo "==> installing Lighthouse (scripts/lighthouse/package-lock.json)" >&2
    (cd scripts/lighthouse && npm ci --no-audit --no-fund)
fi

# SHAFAF_BIN runs another build of shafaf (say, the one before a change) on this tree.
shafaf="${SHAFAF_BIN:-}"
if [ -z "$shafaf" ]; then
    echo "==> building shafaf" >&2
    cargo build --release --locked
    shafaf=./target/release/shafaf
fi
out="${LIGHTHOUSE_OUT:-$(mktemp -d)}"
mkdir -p "$out"

# `serve` builds the real portal in memory and picks a free port; its first line names it.
log="$out/serve.log"
"$shafaf" serve --root "${SITE_ROOT:-.}" --port 0 >"$log" 2>&1 &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true' EXIT
base=""
for _ in $(seq 1 600); do
    base="$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$log" | head -n 1 || true)"
    [ -n "$base" ] && break
    kill -0 "$serve_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.5
done
[ -n "$base" ] || { echo "shafaf serve did not start" >&2; cat "$log" >&2; exit 1; }
echo "==> serving at $base" >&2

# name path: one page of each kind per language. The search page runs a query from its
# URL, as a shared link does, so the results arrive while Lighthouse watches. The 404
# page is one page for both languages; /404.html is served with status 200 (Lighthouse
# stops at a 404 document).
pages=()
for lang in ar fr; do
    if [ "$lang" = ar ]; then query="%D8%A7%D9%84%D9%85%D9%8A%D8%B2%D8%A7%D9%86%D9%8A%D8%A9"; else query="budget"; fi
    pages+=(
        "$lang-dashboard $lang/"
        "$lang-plan $lang/plans/2024-2027/"
        "$lang-commitment $lang/plans/2024-2027/commitments/child-protection-units/"
        "$lang-area $lang/areas/civic-space/"
        "$lang-institution $lang/institutions/budget/"
        "$lang-institution-report $lang/institutions/budget/report/"
        "$lang-plan-report $lang/plans/2024-2027/report/"
        "$lang-news-list $lang/news/"
        "$lang-news-post $lang/news/2023-03-28-steering-committee/"
        "$lang-free-page $lang/methodology/"
        "$lang-open-data $lang/open-data/"
        "$lang-search $lang/search/?q=$query"
        "$lang-updates $lang/updates/"
    )
done
pages+=("404 404.html")

flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"
ran=()
for entry in "${pages[@]}"; do
    name="${entry%% *}"
    path="${entry#* }"
    [[ -z "$filter" || "$name" == *"$filter"* ]] || continue
    echo "==> $name: $base$path" >&2
    "$lighthouse" "$base$path" --quiet --output=json --output-path="$out/$name.json" \
        --only-categories=performance,accessibility,best-practices,seo \
        --throttling-method="${THROTTLING:-simulate}" --chrome-flags="$flags" >&2
    ran+=("$name")
done

node scripts/lighthouse/table.mjs "$out" "${ran[@]}"
echo "reports: $out" >&2
