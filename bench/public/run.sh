#!/usr/bin/env bash
# bench/public: Inkludera serving the Östersund demo's public strategy page
# from its page cache, against nginx serving the same bytes as a static
# file, both loaded by wrk in the same run; see bench/README.md. A third
# side, Go's net/http serving the bytes from memory with no middleware
# (nethttp/), shows the ceiling of any handler behind net/http's server.
#
# Settings (environment variables):
#   PAGE         the page, default the portal's Östersund strategy
#   DURATION     each measured wrk run, default 20s
#   CONNECTIONS  wrk's connections, default 64; THREADS wrk's threads, default 2
#   RUNS         measured runs a side, alternating which goes first, default 1
#   SERVER_PROCS GOMAXPROCS of inkludera serve; unset leaves Go's default
#   LOG_LEVEL    inkludera serve's --log-level, default warn (see README)
#   PORT         Inkludera's port, default 18380; nginx gets PORT+1, net/http PORT+2
#   MIN_RATIO    the goal, default 0.8: exit status 1 below it
set -euo pipefail
cd "$(dirname "$0")/../.."

page=${PAGE:-/portal/2380/dokument/ostersund-integrationsstrategi-2020}
duration=${DURATION:-20s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
runs=${RUNS:-1}
log_level=${LOG_LEVEL:-warn}
port=${PORT:-18380}
nginx_port=$((port + 1))
nethttp_port=$((port + 2))
min_ratio=${MIN_RATIO:-0.8}

for tool in wrk nginx curl; do
	if ! command -v "$tool" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$tool" ]; then
		echo "bench/public: $tool not found; install it with: apt-get install $tool" >&2
		exit 1
	fi
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
ink_pid= nginx_pid= nethttp_pid=
cleanup() {
	for pid in $ink_pid $nginx_pid $nethttp_pid; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT
# nginx's workers may run as another user: they must read the page.
chmod 755 "$work"

# Built first, so that compiling never overlaps a timed run.
go build -o "$work/inkludera" ./cmd/inkludera
go build -o "$work/nethttp" ./bench/public/nethttp

wait_for() { # url: waits up to 30 s for a 200
	for _ in $(seq 300); do
		if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "bench/public: $1 did not answer 200 within 30 s" >&2
	return 1
}

# Inkludera: a fresh database with the demo content, no scheduled fetch.
env ${SERVER_PROCS:+GOMAXPROCS=$SERVER_PROCS} "$work/inkludera" serve --db "$work/inkludera.db" \
	--addr "127.0.0.1:$port" --log-level "$log_level" --refresh-interval 0 \
	>"$work/serve.out" 2>"$work/serve.log" &
ink_pid=$!
ink_url="http://127.0.0.1:$port$page"
wait_for "http://127.0.0.1:$port/healthz"
if [ "$(curl -s -o /dev/null -w '%{http_code}' "$ink_url")" != 200 ]; then
	echo "bench/public: $ink_url does not answer 200" >&2
	exit 1
fi

# The page's bytes, as an anonymous reader gets them: the file nginx serves.
mkdir -p "$work/www$(dirname "$page")" "$work/tmp"
curl -sS -D "$work/headers" -o "$work/www$page" "$ink_url"
if ! grep -qi '^etag:' "$work/headers"; then
	echo "bench/public: $page came without an ETag: it is not served from the page cache" >&2
	exit 1
fi
header() { grep -i "^$1:" "$work/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
chmod -R a+rX "$work/www"

# nginx: the same bytes at the same path with the same headers (Inkludera's
# Content-Type, Cache-Control, Vary and security headers), no gzip on
# either side, no access log on either side, keep-alive without a request
# limit (Go's server has none; nginx's default closes a connection after
# 1000 requests).
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	gzip off;
	server_tokens off;
	keepalive_requests 100000000;
	keepalive_timeout 120s;
	client_body_temp_path $work/tmp/body;
	proxy_temp_path $work/tmp/proxy;
	fastcgi_temp_path $work/tmp/fastcgi;
	uwsgi_temp_path $work/tmp/uwsgi;
	scgi_temp_path $work/tmp/scgi;
	server {
		listen 127.0.0.1:$nginx_port;
		root $work/www;
		location / {
			types { }
			default_type "$(header Content-Type)";
			add_header Cache-Control "$(header Cache-Control)";
			add_header Vary "Accept-Language, Cookie";
			add_header Content-Security-Policy "$(header Content-Security-Policy)";
			add_header X-Content-Type-Options nosniff;
			add_header Referrer-Policy same-origin;
		}
	}
}
CONF
"$nginx" -e "$work/nginx-error.log" -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port$page"
wait_for "$nginx_url"
curl -sS -o "$work/nginx.body" "$nginx_url"
if ! cmp -s "$work/nginx.body" "$work/www$page"; then
	echo "bench/public: nginx does not serve the same bytes" >&2
	exit 1
fi

# net/http: the same bytes and headers from memory, with serve's GOMAXPROCS.
env ${SERVER_PROCS:+GOMAXPROCS=$SERVER_PROCS} "$work/nethttp" -addr "127.0.0.1:$nethttp_port" \
	-body "$work/www$page" -headers "$work/headers" -path "$page" 2>"$work/nethttp.log" &
nethttp_pid=$!
nethttp_url="http://127.0.0.1:$nethttp_port$page"
wait_for "$nethttp_url"

# bench name url: one wrk run; leaves "rps p50 p99" in $work/result.
bench() {
	local out="$work/wrk-$1.txt"
	wrk -t"$threads" -c"$connections" -d"$duration" --latency "$2" >"$out"
	cat "$out" >>"$work/wrk-all.txt"
	if grep -q 'Non-2xx\|Socket errors' "$out"; then
		echo "bench/public: $1 had errors:" >&2
		cat "$out" >&2
		exit 1
	fi
	awk '/^Requests\/sec:/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} END {print rps, p50, p99}' "$out" >"$work/result"
}

# A warm-up for both (the cache filled, the heap grown, the file in memory),
# then the measured runs, alternating which goes first.
echo "bench/public: $page, $(stat -c %s "$work/www$page") bytes; wrk -t$threads -c$connections -d$duration, $(nproc) CPUs" >&2
DURATION_SAVED=$duration
duration=3s
bench warmup-inkludera "$ink_url"
bench warmup-nginx "$nginx_url"
bench warmup-nethttp "$nethttp_url"
duration=$DURATION_SAVED

results=()
for run in $(seq "$runs"); do
	if [ $((run % 2)) = 1 ]; then order="inkludera nginx nethttp"; else order="nethttp nginx inkludera"; fi
	for side in $order; do
		case $side in
		inkludera) url=$ink_url ;;
		nginx) url=$nginx_url ;;
		nethttp) url=$nethttp_url ;;
		esac
		bench "$side-$run" "$url"
		read -r rps p50 p99 <"$work/result"
		results+=("$run $side $rps $p50 $p99")
		echo "bench/public: run $run $side: $rps requests/s, p50 $p50, p99 $p99" >&2
	done
done

# The table: each run, and the ratio of Inkludera's requests/s to nginx's
# (for several runs, of the medians).
printf '%s\n' "${results[@]}" | awk -v min="$min_ratio" '
	{ rps[$2, $1] = $3; p50[$2, $1] = $4; p99[$2, $1] = $5; n = $1 }
	END {
		printf "| run | server | requests/s | p50 | p99 |\n|---|---|---|---|---|\n"
		for (i = 1; i <= n; i++) {
			printf "| %d | Inkludera | %.0f | %s | %s |\n", i, rps["inkludera", i], p50["inkludera", i], p99["inkludera", i]
			printf "| %d | nginx | %.0f | %s | %s |\n", i, rps["nginx", i], p50["nginx", i], p99["nginx", i]
			printf "| %d | net/http, bytes from memory | %.0f | %s | %s |\n", i, rps["nethttp", i], p50["nethttp", i], p99["nethttp", i]
			a[i] = rps["inkludera", i]; b[i] = rps["nginx", i]; c[i] = rps["nethttp", i]
		}
		ia = median(a, n); nb = median(b, n); nc = median(c, n)
		ratio = ia / nb
		m = n > 1 ? ", medians" : ""
		printf "\nratio (Inkludera / nginx requests/s%s): %.2f×, goal ≥ %s×\n", m, ratio, min
		printf "for comparison: net/http alone / nginx %.2f×, Inkludera / net/http alone %.2f×\n", nc / nb, ia / nc
		exit ratio < min ? 1 : 0
	}
	function median(v, n,   i, j, t, s) {
		for (i = 1; i <= n; i++) s[i] = v[i]
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (s[j] < s[i]) { t = s[i]; s[i] = s[j]; s[j] = t }
		return n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
	}'
