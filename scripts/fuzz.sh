#!/usr/bin/env bash
# A long fuzz of the loader and of the whole check + render pipeline (not part of CI):
# the property tests of tests/check_fuzz.rs, with many cases per property, repeated with
# fresh seeds until MINUTES have passed. Prints how many inputs were tried and stops at
# the first failure (proptest prints the minimal failing input).
# Usage: scripts/fuzz.sh [MINUTES]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-30}"
cases="${FUZZ_CASES_PER_ROUND:-2000}"
properties=$(grep -c '^    fn ' tests/check_fuzz.rs || true)
cargo test --release --locked --test check_fuzz --no-run --quiet
deadline=$(( $(date +%s) + minutes * 60 ))
rounds=0
while [ "$(date +%s)" -lt "$deadline" ]; do
    PROPTEST_CASES="$cases" cargo test --release --locked --quiet --test check_fuzz
    rounds=$((rounds + 1))
    echo "fuzz: round $rounds done, $((rounds * cases * properties)) inputs so far"
done
echo "fuzz: $rounds rounds of $cases cases for each of $properties properties: $((rounds * cases * properties)) inputs, no failure"
