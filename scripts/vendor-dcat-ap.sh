#!/usr/bin/env bash
# Writes tests/feeds/dcat-ap/*.ttl: the SHACL shapes of DCAT-AP 3.0.1 published by SEMIC
# (https://github.com/SEMICeu/DCAT-AP; © European Union, CC-BY 4.0 as the release page states), which
# tests/feeds/check_catalog.py validates data/v1/catalog.ttl and catalog.jsonld against:
#   shapes.ttl              the constraints a DCAT-AP catalog must meet (cardinalities,
#                           datatypes), severity Violation;
#   range.ttl               the classes the objects of each property must have;
#   shapes_recommended.ttl  the recommended properties, severity Warning.
# The controlled-vocabulary shapes (mdr-vocabularies.shape.ttl) are not vendored: they
# need the EU vocabularies themselves loaded beside the data, several megabytes fetched
# from the Publications Office.
# Each file is fetched from the commit below and checked against its SHA-256, so a
# changed upstream file is refused rather than silently vendored.
#   bash scripts/vendor-dcat-ap.sh          # rewrite the files from GitHub
# It needs access to raw.githubusercontent.com, which the build machines of this project
# do not have: the files were vendored from a snapshot of the same commit.
set -euo pipefail
cd "$(dirname "$0")/.."

commit=7c531da7f154794da620fd0e57a3e8afe0286c0f
base="https://raw.githubusercontent.com/SEMICeu/DCAT-AP/$commit/releases/3.0.1/html/shacl"
out=tests/feeds/dcat-ap
declare -A sha256=(
    [shapes.ttl]=7fe9815e0f32b10f5cbce74fa6ccd0290aae3ef9e5080fb84e2d8093eb984d1d
    [range.ttl]=24d3bfd0fa17a3d0e877c9ebb91c8174124e5038538e1bf081b2cb679ad0f1b2
    [shapes_recommended.ttl]=9afbf23f1f56d10d6839259684934137e20506a9aedce0249b619bbc593b9abd
)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
for file in shapes.ttl range.ttl shapes_recommended.ttl; do
    curl --fail --silent --show-error --location --output "$work/$file" "$base/$file"
    echo "${sha256[$file]}  $work/$file" | sha256sum --check --quiet
    cp "$work/$file" "$out/$file"
    echo "wrote $out/$file ($(wc -c <"$out/$file") bytes)"
done
