#!/usr/bin/env bash
# bench/report: the Östersund demo's follow-up report as a PDF, Inkludera's
# built-in engine against LibreOffice converting the report's HTML to PDF,
# both measured in the same run; see bench/README.md. Arguments go to the
# Go program (-runs, -year, -dir; -h lists them). Set LIBREOFFICE to use
# another LibreOffice program.
set -euo pipefail
cd "$(dirname "$0")/../.."

libreoffice=${LIBREOFFICE:-libreoffice}
if ! command -v "$libreoffice" >/dev/null 2>&1; then
	echo "bench/report: $libreoffice not found; install it with: apt-get install libreoffice-writer-nogui" >&2
	exit 1
fi

# Built first, so that compiling never overlaps a timed run.
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/inkludera" ./cmd/inkludera
go build -o "$bin/report" ./bench/report
"$bin/report" -inkludera "$bin/inkludera" -libreoffice "$libreoffice" "$@"
