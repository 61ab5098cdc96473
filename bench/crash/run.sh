#!/usr/bin/env bash
# bench/crash: `inkludera import` of a large observations file, killed with
# SIGKILL at a random moment, round after round; after each kill the
# database must pass its integrity checks and hold the whole import or none
# of it. See bench/crash/README.md.
#
# Settings (environment variables):
#   ROUNDS                   killed imports per engine, default 100
#   ROWS                     observations per import, default 500000
#   SEED                     seed of the kill times, default from the clock (printed)
#   INKLUDERA_BENCH_POSTGRES a postgres:// URL whose role may CREATE DATABASE:
#                            PostgreSQL is run too (INKLUDERA_TEST_POSTGRES is
#                            used when this is unset)
# Arguments go to the Go program (-h lists them).
set -euo pipefail
cd "$(dirname "$0")/../.."

postgres=${INKLUDERA_BENCH_POSTGRES:-${INKLUDERA_TEST_POSTGRES:-}}

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/inkludera" ./cmd/inkludera
go build -o "$bin/crash" ./bench/crash
"$bin/crash" -inkludera "$bin/inkludera" -rounds "${ROUNDS:-100}" -rows "${ROWS:-500000}" \
	-seed "${SEED:-0}" -postgres "$postgres" "$@"
