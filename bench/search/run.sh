#!/usr/bin/env bash
# bench/search: the strategy library's search, Inkludera's bleve Searcher
# against SQLite FTS5 (modernc.org/sqlite), over the same generated corpus
# and the same queries, in the same run. See README.md.
#
# Settings (environment variables):
#   DOCS     documents to generate, default 10000
#   SAMPLES  timed queries on each side, default 1000 (after 100 of warm-up)
# Flags are passed on (-h lists them), e.g. -misses, -cpuprofile FILE, -goal 1.0.
# The exit status is 1 when p95(Inkludera)/p95(FTS5) is above the goal,
# after every figure is shown.
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Built first, so that compiling never overlaps a timed run.
go build -o "$work/search" ./bench/search
"$work/search" -docs "${DOCS:-10000}" -samples "${SAMPLES:-1000}" -dir "$work" "$@"
