#!/usr/bin/env bash
# bench/national: the comparison API at national scale. Generates the
# national demo (10 000 000 observations by default) into SQLite, and into
# PostgreSQL when a server is given, serves it, and times SAMPLES random
# rankings and kommun profiles through the API against the same SQL the
# store runs, run directly by sqlite3 or psql in the same run; then the
# server's peak RSS. See README.md.
#
# Settings (environment variables):
#   OBSERVATIONS  the demo's size, default 10000000
#   SAMPLES       rankings and profiles each, default 200
#   DB            the SQLite file, kept between runs (default bench/national/national.db);
#                 generated when it holds fewer than OBSERVATIONS observations
#   INKLUDERA_BENCH_POSTGRES  a PostgreSQL URL (a database of its own, no
#                 query parameters psql does not know) to measure too; without it
#                 INKLUDERA_TEST_POSTGRES's server gets a database inkludera_national
#   PORT          the server's port, default 18390
#   MAX_RATIO     the goal for API p95 ÷ direct p95, default 2
#   MAX_RSS_MB    the goal for the server's peak RSS, default 200
# The exit status is 1 when a goal is missed, after every figure is shown.
set -euo pipefail
cd "$(dirname "$0")/../.."

observations=${OBSERVATIONS:-10000000}
samples=${SAMPLES:-200}
sqlite_db=${DB:-bench/national/national.db}
port=${PORT:-18390}
max_ratio=${MAX_RATIO:-2}
max_rss_mb=${MAX_RSS_MB:-200}

for tool in sqlite3 curl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "bench/national: $tool not found; install it with: apt-get install $tool" >&2
		exit 1
	fi
done

pg_url=${INKLUDERA_BENCH_POSTGRES:-}
if [ -z "$pg_url" ] && [ -n "${INKLUDERA_TEST_POSTGRES:-}" ]; then
	if ! command -v psql >/dev/null 2>&1; then
		echo "bench/national: psql not found; install it with: apt-get install postgresql-client" >&2
		exit 1
	fi
	base=${INKLUDERA_TEST_POSTGRES%%\?*}
	query=
	case "$INKLUDERA_TEST_POSTGRES" in *\?*) query="?${INKLUDERA_TEST_POSTGRES#*\?}" ;; esac
	pg_url="${base%/*}/inkludera_national$query"
	if ! psql -X -q -d "$INKLUDERA_TEST_POSTGRES" -tAc "SELECT 1 FROM pg_database WHERE datname = 'inkludera_national'" | grep -q 1; then
		psql -X -q -d "$INKLUDERA_TEST_POSTGRES" -c "CREATE DATABASE inkludera_national"
	fi
fi

work=$(mktemp -d)
server_pid=
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# Built first, so that compiling never overlaps a timed run.
go build -o "$work/inkludera" ./cmd/inkludera
go build -o "$work/national" ./bench/national

wait_for() { # url: waits up to 60 s for a 200
	for _ in $(seq 600); do
		if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "bench/national: $1 did not answer 200 within 60 s" >&2
	return 1
}

# stored DSN: how many observations the database holds (0 when none).
stored() {
	case "$1" in
	postgres://* | postgresql://*) psql -X -q -d "$1" -tAc "SELECT COUNT(*) FROM observations" 2>/dev/null || echo 0 ;;
	*) [ -s "$1" ] && sqlite3 "$1" "SELECT COUNT(*) FROM observations" 2>/dev/null || echo 0 ;;
	esac
}

# generate DSN: the national demo, unless the database already has it.
generate() {
	local have
	have=$(stored "$1")
	if [ "${have:-0}" -ge "$observations" ]; then
		echo "== $2: reusing the $have observations stored"
		return
	fi
	echo "== $2: inkludera demo national --observations $observations"
	local start=$SECONDS
	/usr/bin/env time -f "   generated in %e s wall, %U s user, %S s system, peak RSS %M kB" \
		"$work/inkludera" demo national --db "$1" --observations "$observations" >"$work/demo.out" 2>"$work/demo.err" ||
		{ cat "$work/demo.err" >&2; exit 1; }
	grep -v '^  observations .* a second$' "$work/demo.err" | sed 's/^/   /'
	sed 's/^/   /' "$work/demo.out"
	echo "   ($((SECONDS - start)) s)"
}

status=0

# measure DSN LABEL: serve the database, time the samples, read VmHWM.
measure() {
	echo "== $2: serve and measure"
	"$work/inkludera" serve --db "$1" --addr "127.0.0.1:$port" --no-demo --api-rate 0 \
		--refresh-interval 0 --log-level warn >"$work/serve.out" 2>"$work/serve.log" &
	server_pid=$!
	wait_for "http://127.0.0.1:$port/healthz"
	"$work/national" -api "http://127.0.0.1:$port" -db "$1" -n "$samples" -goal "$max_ratio" || status=1
	local hwm
	hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")
	local verdict="met"
	if [ "$hwm" -gt $((max_rss_mb * 1024)) ]; then
		verdict="missed"
		status=1
	fi
	printf "server peak RSS (VmHWM) %d MB (goal ≤ %d MB: %s)\n" $((hwm / 1024)) "$max_rss_mb" "$verdict"
	kill "$server_pid"
	wait "$server_pid" 2>/dev/null || true
	server_pid=
}

generate "$sqlite_db" SQLite
measure "$sqlite_db" SQLite
if [ -n "$pg_url" ]; then
	generate "$pg_url" PostgreSQL
	measure "$pg_url" PostgreSQL
else
	echo "== PostgreSQL: skipped (set INKLUDERA_BENCH_POSTGRES or INKLUDERA_TEST_POSTGRES)"
fi
exit $status
