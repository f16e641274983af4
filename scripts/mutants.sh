#!/usr/bin/env bash
# Mutation testing with cargo-mutants on the modules where a silent mistake misleads
# citizens or loses data: the derived figures, the table of routes, the Markdown sanitiser, the output swap
# and its guard, the CSV export, the serve planner and its HTTP side, the report import,
# the YAML edits, the search index, the JSON records of the feeds, the cross-file
# rules of `check`, the addresses of pages, the model's dates and orders, the
# language table, the reading of content files (the files themselves, the YAML tree,
# typed fields), how `check` prints what it found, the open-data files (their
# descriptions for the open-data page, their DCAT catalog, JSON Schemas and data
# package), the localised texts, links, dates and numbers of the pages, the report
# round's spreadsheets (the xlsx template written, the filled file read back), the
# Tera 1 constructs `check` names in a site's templates, the preview's files in
# memory, the interruption of its work by a newer edit and its allocator settings,
# the revisions of the commitments' text read from the content's git history, the
# inline SVG charts (the timeline and the bar charts), the view models of the pages
# (what each page prints, already in its language), the revisions as the pages and
# feeds show them, the data of each kind of page and the pager of the lists, the
# reading of the content folder into the model (every file's place, `site.yaml`'s
# settings and languages, each field of a sheet, page and news post, and the messages
# naming what is wrong), the phase timings printed for profiling, the rest of render
# (the theme and its strings, the frame every page is rendered in, the latest reports
# grouped by plan, the templates' helpers and whitespace), the preview's live site and
# its loop, the build command, the command line itself, the script minifier, the new
# commitment's skeleton and the library's load-check-derive entry point: every module.
# Each mutant (an operator flipped, a function body replaced by a default) must make
# some test fail; a mutant that survives is a mistake the tests would not see.
#
#   scripts/mutants.sh                       # all the modules below
#   scripts/mutants.sh --file src/derive.rs  # narrower: extra arguments go to cargo-mutants
#   scripts/mutants.sh --list                # what would be tried
#   scripts/mutants.sh --file src/report.rs -C --lib -C --test=report_round
#                                            # faster: build and run only the tests that reach it
#
# Not part of CI or scripts/test.sh: it rebuilds and reruns the suite once per mutant
# (an hour or more on 2 cores). Results go to target/mutants/mutants.out/ (caught.txt,
# missed.txt, timeout.txt, unviable.txt). The survivors judged equivalent (no test can
# tell them apart) are listed, one line each, in mutants-equivalent.md with the figures
# of the last run. MUTANTS_JOBS (default 2) and MUTANTS_TIMEOUT (seconds per test run,
# default 300) tune it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-mutants >/dev/null; then
    echo "==> installing cargo-mutants"
    cargo install cargo-mutants --locked
fi

files=(
    src/derive.rs
    src/routes.rs
    src/present/markdown.rs
    src/output/mod.rs
    src/output/guard.rs
    src/export/csv.rs
    src/serve/planner.rs
    src/serve/http.rs
    src/report.rs
    src/load/edit.rs
    src/search/index.rs
    src/search/text.rs
    src/search/mod.rs
    src/export/json.rs
    src/validate.rs
    src/urls.rs
    src/model.rs
    src/language.rs
    src/load/decode.rs
    src/load/yaml.rs
    src/load/files.rs
    src/diagnostics.rs
    src/export/mod.rs
    src/export/catalog.rs
    src/export/schema.rs
    src/export/datapackage.rs
    src/export/rdf.rs
    src/present/mod.rs
    src/present/i18n.rs
    src/report/xlsx.rs
    src/report/table.rs
    src/load/dialect.rs
    src/serve/store.rs
    src/serve/interrupt.rs
    src/serve/memory.rs
    src/revisions.rs
    src/render/svg.rs
    src/load/mod.rs
    src/timings.rs
    src/render/views.rs
    src/render/changes.rs
    src/render/pages.rs
    src/render/pager.rs
    src/render/escape.rs
    src/render/shared.rs
    src/render/reports.rs
    src/render/files.rs
    src/render/context.rs
    src/render/history.rs
    src/render/whitespace.rs
    src/render/atoms.rs
    src/render/theme.rs
    src/render/mod.rs
    src/serve/site.rs
    src/serve/mod.rs
    src/build.rs
    src/main.rs
    src/minify.rs
    src/scaffold.rs
    src/lib.rs
)
# cargo-mutants adds up every --file it is given, so the list applies only when the
# caller names no file of their own.
file_args=()
case " $* " in
    *" --file "* | *" -f "*) ;;
    *) for f in "${files[@]}"; do file_args+=(--file "$f"); done ;;
esac

# Each parallel job builds in its own copy of the tree, with its own target folder.
unset CARGO_TARGET_DIR
# No debug info: every mutant relinks the test binaries, and that is most of the time.
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0

exec cargo mutants "${file_args[@]}" \
    --jobs "${MUTANTS_JOBS:-2}" \
    --timeout "${MUTANTS_TIMEOUT:-300}" \
    --output target/mutants \
    "$@"
