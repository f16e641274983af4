#!/usr/bin/env bash
# Validates the open-data feeds of a built site with the tools developers will use:
#   - check-jsonschema: every JSON file under data/v1/ against its schema/NAME.schema.json
#   - frictionless validate: data/v1/datapackage.json (types, constraints, primary and
#     foreign keys, byte counts of the CSV files)
#   - tests/feeds/check_catalog.py: the DCAT-AP catalog (catalog.ttl, catalog.jsonld)
#     with rdflib (both files hold the same graph), pyshacl (SEMIC's DCAT-AP 3.0.1
#     shapes, vendored in tests/feeds/dcat-ap/) and extruct (the open-data pages'
#     schema.org Dataset states the same facts)
#
# Usage: scripts/test-feeds.sh OUT_DIR      (OUT_DIR is what `shafaf build --out` wrote)
#
# check-jsonschema and frictionless are used from PATH when there (with a python3 that
# imports rdflib, pyshacl and extruct); otherwise all five are installed with pip
# into a virtual environment at $SHAFAF_FEEDS_VENV (default ~/.cache/shafaf-feeds-venv),
# which later runs reuse. Exits non-zero on the first kind of failure it meets, after
# checking every file.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 OUT_DIR" >&2
    exit 2
fi
data="$1/data/v1"
if [ ! -f "$data/index.json" ]; then
    echo "test-feeds: $data/index.json not found; build the site first" >&2
    exit 2
fi

venv="${SHAFAF_FEEDS_VENV:-$HOME/.cache/shafaf-feeds-venv}"
python_tools="import rdflib, pyshacl, extruct"
if command -v check-jsonschema >/dev/null && command -v frictionless >/dev/null && python3 -c "$python_tools" 2>/dev/null; then
    check_jsonschema=check-jsonschema
    frictionless=frictionless
    python=python3
else
    if [ ! -x "$venv/bin/check-jsonschema" ] || [ ! -x "$venv/bin/frictionless" ] || ! "$venv/bin/python" -c "$python_tools" 2>/dev/null; then
        echo "test-feeds: installing check-jsonschema, frictionless, rdflib, pyshacl and extruct into $venv" >&2
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema frictionless rdflib pyshacl extruct
    fi
    check_jsonschema="$venv/bin/check-jsonschema"
    frictionless="$venv/bin/frictionless"
    python="$venv/bin/python"
fi
catalog_check="$(cd "$(dirname "$0")/.." && pwd)/tests/feeds/check_catalog.py"
site="$(cd "$1" && pwd)"

failed=0

# The schema of a JSON file, by its path relative to data/v1/.
schema_for() {
    case "$1" in
        schema/*) echo "" ;;
        plans/*/commitments/*.json) echo "schema/commitment.schema.json" ;;
        *.json) echo "schema/${1%.json}.schema.json" ;;
        *) echo "" ;;
    esac
}

cd "$data"
# Group the files by schema so each schema is loaded once.
declare -A groups=()
count=0
while IFS= read -r -d '' file; do
    file="${file#./}"
    schema="$(schema_for "$file")"
    [ -n "$schema" ] || continue
    if [ ! -f "$schema" ]; then
        echo "test-feeds: $file has no schema ($schema is missing)" >&2
        failed=1
        continue
    fi
    groups["$schema"]+="$file"$'\n'
    count=$((count + 1))
done < <(find . -name '*.json' -type f -print0 | sort -z)

if [ "$count" -eq 0 ]; then
    echo "test-feeds: no JSON file found under $data" >&2
    exit 1
fi

for schema in $(printf '%s\n' "${!groups[@]}" | sort); do
    mapfile -t files < <(printf '%s' "${groups[$schema]}")
    echo "test-feeds: ${#files[@]} file(s) against $schema"
    if ! "$check_jsonschema" --schemafile "$schema" "${files[@]}"; then
        failed=1
    fi
done

# Every schema must itself be a valid 2020-12 schema (check-jsonschema checks that too
# when it loads one; this also covers a schema no file uses).
for schema in schema/*.schema.json; do
    if ! "$check_jsonschema" --check-metaschema "$schema" >/dev/null; then
        echo "test-feeds: $schema is not a valid JSON Schema" >&2
        failed=1
    fi
done

echo "test-feeds: frictionless validate datapackage.json"
if ! "$frictionless" validate datapackage.json; then
    failed=1
fi

echo "test-feeds: the DCAT-AP catalog (rdflib, pyshacl, extruct)"
if ! "$python" "$catalog_check" "$site"; then
    failed=1
fi

if [ "$failed" -ne 0 ]; then
    echo "test-feeds: FAILED" >&2
    exit 1
fi
echo "test-feeds: $count JSON file(s), the data package and the DCAT-AP catalog are valid"
