#!/usr/bin/env bash
# Document assembly side by side with docxtpl: the same DOCX templates and data, in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/bench-venv-docxtpl
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet docxtpl
fi
swift build -c release --product AdvocateBenchmarks >/dev/null
folder=$(mktemp -d)
ADVOCATE_BENCH_DIR="$folder" ADVOCATE_BENCH_N="${ADVOCATE_BENCH_N:-2000}" .build/release/AdvocateBenchmarks forms
"$venv/bin/python" Benchmarks/forms/docxtpl_anchor.py "$folder" "${DOCXTPL_N:-100}"
rm -rf "$folder"
