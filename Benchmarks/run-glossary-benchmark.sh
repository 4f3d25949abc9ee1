#!/usr/bin/env bash
# Glossary benchmarks side by side with pyahocorasick, on the same text and terms, in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/bench-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyahocorasick
fi
swift build -c release --product AdvocateBenchmarks >/dev/null
folder=$(mktemp -d)
ADVOCATE_BENCH_DIR="$folder" .build/release/AdvocateBenchmarks glossary
"$venv/bin/python" Benchmarks/glossary_anchor.py "$folder"
rm -rf "$folder"
