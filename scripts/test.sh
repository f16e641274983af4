#!/usr/bin/env bash
# The whole test suite: Rust unit and integration tests, then the built real portal
# checked the way its readers meet it — W3C HTML validation (vnu), axe-core and
# browser tests in headless Chromium, and the open-data feeds against their JSON
# Schemas, with frictionless and the DCAT-AP SHACL shapes. Installs what it needs when missing (run as root on a
# fresh Debian machine: apt-get, npm, pip). Nothing is skipped: a missing tool fails.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# UPDATE_GOLDEN=1 makes the golden test rewrite tests/golden/ instead of comparing: a
# run with it set would test nothing there. Rewrite on purpose, review, then run this.
if [ -n "${UPDATE_GOLDEN+set}" ]; then
    echo "refusing to run with UPDATE_GOLDEN set: it rewrites the golden files instead of checking them." >&2
    echo "Rewrite them with 'UPDATE_GOLDEN=1 cargo test --test export_feeds golden', review 'git diff tests/golden'," >&2
    echo "then run this script without UPDATE_GOLDEN." >&2
    exit 2
fi

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v java >/dev/null || need_apt+=(default-jre-headless)
# Arabic and Latin fonts for the screenshots; Chromium renders boxes without them.
dpkg -s fonts-noto-core >/dev/null 2>&1 || need_apt+=(fonts-noto-core)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need_apt+=(fonts-noto-color-emoji)
command -v node >/dev/null || need_apt+=(nodejs npm)
python3 -m venv --help >/dev/null 2>&1 || need_apt+=(python3-venv)
# A French word list for the Snowball agreement test (tests/search_snowball.rs).
[ -f /usr/share/dict/french ] || need_apt+=(wfrench)
[ -f /usr/share/dict/american-english ] || need_apt+=(wamerican)
# LibreOffice re-saves the xlsx reporting template and exports it as a French
# semicolon CSV (tests/report_xlsx.rs).
command -v soffice >/dev/null || need_apt+=(libreoffice-calc-nogui)
if [ ${#need_apt[@]} -gt 0 ]; then
    step "installing ${need_apt[*]}"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_apt[@]}"
fi

# openpyxl fills the xlsx reporting template as a person would, msoffcrypto-tool locks
# one with a password (tests/report_xlsx.rs), and feedparser reads the Atom feeds
# strictly (tests/revisions.rs); all go into the virtual environment that
# scripts/test-feeds.sh uses, and the tests find them through SHAFAF_PYTHON.
venv="${SHAFAF_FEEDS_VENV:-$HOME/.cache/shafaf-feeds-venv}"
if ! "$venv/bin/python" -c 'import openpyxl, msoffcrypto, feedparser' >/dev/null 2>&1; then
    step "installing openpyxl, msoffcrypto-tool and feedparser into $venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check openpyxl msoffcrypto-tool feedparser
fi
export SHAFAF_PYTHON="$venv/bin/python"

step "npm packages for the browser tests"
(cd tests/browser && npm ci --no-audit --no-fund)

step "cargo fmt --check"
cargo fmt --check

step "cargo test"
# The French stems of Rust and of the browser are compared on this word list too.
SEARCH_WORDLIST=/usr/share/dict/french SEARCH_WORDLIST_EN=/usr/share/dict/american-english cargo test --locked

step "cargo test: the preview's live-heap count (feature heap-count)"
# The counting allocator and the idle line serve logs with it exist only with the feature.
cargo test --locked --lib --features heap-count serve::

step "search rules: Rust and JavaScript agree on the shared vectors"
node tests/search/vectors.mjs

step "building the real portal"
cargo build --release --locked
site="$(mktemp -d)/public"
./target/release/shafaf check --strict
./target/release/shafaf build --strict --out "$site"

step "search rules: the minified scripts the portal serves agree too"
node tests/search/vectors.mjs "$site"

step "W3C HTML validation (vnu)"
bash tests/browser/validate-html.sh "$site"

# The real portal's as-of date comes before its content's commits, so it shows no
# revision: the sheets' "changes" section, the changes page and a plan's withdrawn list
# are validated on the fixture repository's site.
step "W3C HTML validation of revisions (tests/fixtures/history)"
history="$(mktemp -d)"
bash tests/fixtures/history/make-repo.sh "$history/repo"
./target/release/shafaf build --strict --quiet --root "$history/repo" --out "$history/public"
bash tests/browser/validate-html.sh "$history/public"

step "browser tests and axe-core in headless Chromium"
node tests/browser/run.mjs "$site"

step "a site in four languages (tests/fixtures/zgh-site: ar, fr, en, zgh in Tifinagh): vnu, axe, directions, fallback marks, switcher"
zgh_site="$(mktemp -d)/public"
./target/release/shafaf build --quiet --root tests/fixtures/zgh-site --out "$zgh_site"
# Tamazight is the fixture's least translated language: its sheets are mostly French
# fallback (each part marked lang="fr"), which vnu's guess of the page's language reads
# as French; every other check stays on.
VNU_NO_LANGDETECT=1 bash tests/browser/validate-html.sh "$zgh_site"
node tests/browser/languages.mjs "$zgh_site"

step "open-data feeds: JSON Schema, frictionless, the DCAT-AP catalog"
bash scripts/test-feeds.sh "$site"

step "all tests passed"
