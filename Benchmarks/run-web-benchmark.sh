#!/usr/bin/env bash
# The web app under load, with wrk, on loopback: 10,000 cases in the store, 100 connections.
# Measures, in one run, the agenda page's p99, glossary autocomplete's p99, and the case page's
# throughput beside Hummingbird's own hello-world route.
#   Benchmarks/run-web-benchmark.sh [SECONDS]
# Needs wrk (apt-get install wrk) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
command -v wrk >/dev/null || { echo "error: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
swift build -c release --product advocate >/dev/null
swift build -c release --product AdvocateWebBench >/dev/null

folder=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$folder"; }
trap cleanup EXIT
export ADVOCATE_NOW=2026-11-19T09:00
store="$folder/store.sqlite"
.build/release/AdvocateWebBench seed "$store" 10000 100

# Starts a server in this shell (so cleanup can stop it) and waits for the address it prints.
address=""
start() {
    local name=$1; shift
    local log="$folder/$name.log"
    "$@" >"$log" 2>"$log.err" &
    pids+=($!)
    for _ in $(seq 1 300); do
        address=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" 2>/dev/null | head -1 || true)
        [ -n "$address" ] && return
        sleep 0.1
    done
    echo "error: $name did not start" >&2; cat "$log.err" >&2; exit 1
}
start app .build/release/advocate serve --port 0 --store "$store"; app=$address
start hello .build/release/AdvocateWebBench hello; hello=$address

# Sign in as one advocate (100 cases), through the form, as a browser does.
jar="$folder/cookies"
token=$(curl -s -c "$jar" "$app/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "name=advocate-001" --data-urlencode "password=benchmark password 1" --data-urlencode "_csrf=$token" "$app/login"
session=$(awk '$6 == "advocate_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "error: could not sign in" >&2; exit 1; }
case_id=$(curl -s -H "Cookie: advocate_session=$session" "$app/cases" | grep -o '/cases/C-[0-9]*' | head -1 | sed 's|/cases/||')

# wrk's summary: requests per second and the 99th percentile latency in milliseconds.
measure() {
    local name=$1 url=$2; shift 2
    local out
    out=$(wrk -t2 -c100 -d"${duration}s" --latency "$@" "$url")
    local rps p99
    rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
    p99=$(echo "$out" | awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }; print v }')
    local errors
    errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ { print }')
    printf '%-34s %10s req/s   p99 %8s ms   %s\n' "$name" "$rps" "$p99" "$errors"
    eval "${name//[^a-z]/_}_rps=$rps; ${name//[^a-z]/_}_p99=$p99"
}
cookie=(-H "Cookie: advocate_session=$session")
echo "wrk, ${duration}s each, 2 threads, 100 connections; $(nproc) cores; store: 10,000 cases, 100 advocates"
measure "hello world (hummingbird)" "$hello/"
measure "agenda page" "$app/agenda" "${cookie[@]}"
measure "glossary autocomplete" "$app/glossary/complete?q=prot" "${cookie[@]}"
measure "case page" "$app/cases/$case_id" "${cookie[@]}"
echo
awk -v a="$agenda_page_p99" -v g="$glossary_autocomplete_p99" -v c="$case_page_rps" -v h="$hello_world__hummingbird__rps" 'BEGIN {
    printf "agenda p99 %.2f ms (target <= 20): %s\n", a, (a <= 20 ? "met" : "not met")
    printf "autocomplete p99 %.2f ms (target <= 5): %s\n", g, (g <= 5 ? "met" : "not met")
    printf "case page %.0f req/s = %.1f%% of hello world %.0f req/s (target >= 30%%): %s\n", c, 100 * c / h, h, (c / h >= 0.3 ? "met" : "not met")
}'
