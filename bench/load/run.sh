#!/usr/bin/env bash
# bench/load: 64 concurrent clients on `inkludera serve` over loopback,
# reads and writes with sign-in; then the server is killed with SIGKILL,
# started again, and every acknowledged write is read back. See
# bench/load/README.md.
#
# Settings (environment variables):
#   DURATION                 how long the clients run, default 60s
#   CLIENTS                  concurrent clients, default 64
#   SEED                     seed of the clients' choices, default from the clock
#   INKLUDERA_BENCH_POSTGRES a postgres:// URL whose role may CREATE DATABASE:
#                            PostgreSQL is run too, after SQLite
#                            (INKLUDERA_TEST_POSTGRES is used when this is unset)
# Arguments go to the Go program (-h lists them).
set -euo pipefail
cd "$(dirname "$0")/../.."

postgres=${INKLUDERA_BENCH_POSTGRES:-${INKLUDERA_TEST_POSTGRES:-}}

# Built first, so that compiling never overlaps the timed run.
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/inkludera" ./cmd/inkludera
go build -o "$bin/load" ./bench/load
"$bin/load" -inkludera "$bin/inkludera" -duration "${DURATION:-60s}" -clients "${CLIENTS:-64}" \
	-seed "${SEED:-0}" -postgres "$postgres" "$@"
