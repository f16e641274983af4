#!/usr/bin/env bash
# W3C validation of a built site with the Nu Html Checker from the vnu-jar package:
#   1. every .html file of SITE_DIR, errors only: any error fails;
#   2. a few pages carrying inline SVG (activity timelines, indicator charts), in every
#      language, with every message (warnings fail too), so the SVG markup is held to
#      the same bar as the HTML around it;
#   3. standalone SVG files (the favicon) and the theme's stylesheets.
# A missing input is a failure, never a skipped check: every language folder must have a
# page with a timeline and one with an indicator chart, and the site must have at least
# one SVG file and one stylesheet.
# Usage: tests/browser/validate-html.sh SITE_DIR   (needs java and `npm ci` in tests/browser)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
site="${1:?usage: validate-html.sh SITE_DIR}"
site="$(cd "$site" && pwd)"
jar="$here/node_modules/vnu-jar/build/dist/vnu.jar"
[ -f "$jar" ] || { echo "FAIL: $jar is missing; run 'npm ci' in $here" >&2; exit 2; }
command -v java >/dev/null || { echo "FAIL: java is not installed" >&2; exit 2; }

vnu() { java -Xss4m -jar "$jar" --format gnu "$@"; }
failed=0
# VNU_NO_LANGDETECT=1 turns off vnu's guess of a page's language from its text, for a
# site whose language is mostly untranslated: its pages are then mostly fallback text,
# each part marked with its own lang, which the guess does not read.
langdetect=()
[ "${VNU_NO_LANGDETECT:-}" = 1 ] && langdetect=(--no-langdetect)

mapfile -d '' pages < <(find "$site" -type f -name '*.html' -print0 | sort -z)
if [ ${#pages[@]} -eq 0 ]; then
    echo "FAIL: no .html file under $site" >&2
    exit 1
fi
echo "vnu: checking ${#pages[@]} HTML files under $site (errors only)"
if vnu --errors-only "${pages[@]}"; then
    echo "PASS: ${#pages[@]} HTML files, no error"
else
    echo "FAIL: the W3C validator reported errors above"
    failed=1
fi

# Pages with inline SVG: the first timeline and the first indicator chart of each
# language (a language folder is one holding an index.html; data/ and assets are not).
svg_pages=()
langs=0
while IFS= read -r -d '' lang_dir; do
    [ -f "$lang_dir/index.html" ] || continue
    langs=$((langs + 1))
    for kind in gantt indicator-chart; do
        first="$(grep -rlZ --include=index.html -E "class=\"?$kind[\" >]" "$lang_dir" 2>/dev/null | sort -z | head -z -n 1 | tr -d '\0' || true)"
        if [ -n "$first" ]; then
            svg_pages+=("$first")
        else
            echo "FAIL: no page with an inline SVG $kind under ${lang_dir#"$site"/}/"
            failed=1
        fi
    done
done < <(find "$site" -mindepth 1 -maxdepth 1 -type d -print0 | sort -z)
if [ "$langs" -eq 0 ]; then
    echo "FAIL: no language folder (with an index.html) under $site"
    failed=1
fi
if [ ${#svg_pages[@]} -eq 0 ]; then
    echo "FAIL: no page with an inline SVG chart found under $site"
    failed=1
else
    echo "vnu: checking ${#svg_pages[@]} SVG-bearing pages with every message (warnings fail too)"
    printf '  %s\n' "${svg_pages[@]#"$site"/}"
    # The pages' Content-Security-Policy allows stylesheets from 'self'. Read from
    # file: URLs, which have no origin, vnu reports the site's own stylesheet as blocked;
    # served over HTTP it is same-origin (run.mjs checks that no violation happens).
    csp_self='.*Resource violates Content Security Policy \(meta tag\): external stylesheet “/assets/[^”]*” blocked by “style-src” directive.*'
    if vnu --Werror --also-check-svg "${langdetect[@]}" --filterpattern "$csp_self" "${svg_pages[@]}"; then
        echo "PASS: SVG-bearing pages, no error and no warning"
    else
        echo "FAIL: the W3C validator reported problems in SVG-bearing pages"
        failed=1
    fi
fi

mapfile -d '' svgs < <(find "$site" -type f -name '*.svg' -print0 | sort -z)
if [ ${#svgs[@]} -eq 0 ]; then
    echo "FAIL: no SVG file (the favicon) under $site"
    failed=1
else
    if vnu --svg --errors-only "${svgs[@]}"; then
        echo "PASS: ${#svgs[@]} SVG file(s), no error"
    else
        echo "FAIL: the validator reported errors in SVG files"
        failed=1
    fi
fi

mapfile -d '' css < <(find "$site" -type f -name '*.css' -print0 | sort -z)
if [ ${#css[@]} -eq 0 ]; then
    echo "FAIL: no stylesheet under $site"
    failed=1
else
    if vnu --css --errors-only "${css[@]}"; then
        echo "PASS: ${#css[@]} stylesheet(s), no error"
    else
        echo "FAIL: the CSS validator reported errors"
        failed=1
    fi
fi

exit "$failed"
