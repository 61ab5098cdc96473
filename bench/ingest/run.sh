#!/usr/bin/env bash
# bench/ingest: Inkludera's ingest rate against the sqlite3 command-line
# tool, both measured in the same run; see bench/README.md. Arguments go to
# the Go program (-n, -runs, -dir, -decoder, -cpuprofile; -h lists them).
# Set SQLITE3 to use another sqlite3 binary.
set -euo pipefail
cd "$(dirname "$0")/../.."

sqlite3=${SQLITE3:-sqlite3}
if ! command -v "$sqlite3" >/dev/null 2>&1; then
	echo "bench/ingest: $sqlite3 not found; install it with: apt-get install sqlite3" >&2
	exit 1
fi

# Built first, so that compiling never overlaps a timed run.
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/ingest" ./bench/ingest
"$bin/ingest" -sqlite3 "$sqlite3" "$@"
