#!/usr/bin/env bash
# bench/fuzz: runs Go fuzz targets one after another and prints a table of
# what each did; see bench/fuzz/README.md.
#
#   bench/fuzz/run.sh                         every target, 5 minutes each
#   bench/fuzz/run.sh -t 30s                  every target, 30 seconds each
#   bench/fuzz/run.sh -t 10m internal/web:FuzzQueryParameters internal/scb
#
# A target is PACKAGE:FuzzName, or a package directory for all of its
# targets. Environment: FUZZ_PARALLEL (workers per target, default 1),
# FUZZ_MINIMIZE (time to minimize each new input, default 10s rather than
# Go's 60s, which slow targets spend more on than on fuzzing), FUZZ_LOGS (a
# directory for the logs, default a new temporary one). The exit status is
# 1 when any target failed.
set -uo pipefail
cd "$(dirname "$0")/../.."

fuzztime=5m
while getopts "t:h" opt; do
	case $opt in
	t) fuzztime=$OPTARG ;;
	*)
		sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'
		exit 2
		;;
	esac
done
shift $((OPTIND - 1))

# targetsIn lists "pkg:FuzzName" for every fuzz target of the test files
# under the given directories.
targetsIn() {
	grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' "$@" |
		sed -E 's#^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)$#\1:\2#' | sort -u
}

# perSecond divides execs by an elapsed time such as "5m0s"; the rate in
# the last progress line is only that of its last interval.
perSecond() {
	local secs
	secs=$(sed -E 's/([0-9]+)h/\1*3600+/; s/([0-9]+)m/\1*60+/; s/([0-9]+)s/\1/; s/\+$//' <<<"$2")
	if [ -z "$1" ] || [ -z "$secs" ] || [ $(($secs)) -eq 0 ]; then
		echo –
		return
	fi
	echo $(($1 / ($secs)))
}

targets=()
if [ $# -eq 0 ]; then
	mapfile -t targets < <(targetsIn cmd internal)
fi
for arg in "$@"; do
	case $arg in
	*:*) targets+=("${arg#./}") ;;
	*) mapfile -t -O "${#targets[@]}" targets < <(targetsIn "${arg#./}") ;;
	esac
done
if [ ${#targets[@]} -eq 0 ]; then
	echo "bench/fuzz: no fuzz targets found" >&2
	exit 2
fi

logs=${FUZZ_LOGS:-$(mktemp -d /tmp/inkludera-fuzz.XXXXXX)}
mkdir -p "$logs"
echo "bench/fuzz: ${#targets[@]} targets, $fuzztime each, logs in $logs" >&2

rows=()
failed=0
for t in "${targets[@]}"; do
	pkg=${t%%:*}
	name=${t##*:}
	log="$logs/$name.log"
	echo "bench/fuzz: $pkg $name …" >&2
	go test "./$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" -fuzzminimizetime "${FUZZ_MINIMIZE:-10s}" \
		-parallel "${FUZZ_PARALLEL:-1}" >"$log" 2>&1
	status=$?
	# The last progress line holds the totals:
	# "fuzz: elapsed: 5m0s, execs: 123456 (411/sec), new interesting: 7 (total: 52)".
	last=$(grep '^fuzz: elapsed:' "$log" | tail -n 1)
	elapsed=$(sed -nE 's/.*elapsed: ([^,]+),.*/\1/p' <<<"$last")
	execs=$(sed -nE 's/.*execs: ([0-9]+) .*/\1/p' <<<"$last")
	rate=$(perSecond "$execs" "$elapsed")
	interesting=$(sed -nE 's/.*new interesting: ([0-9]+) \(total: ([0-9]+)\).*/\1 of \2/p' <<<"$last")
	result=ok
	if [ $status -ne 0 ]; then
		failed=1
		crasher=$(sed -nE 's#.*Failing input written to (testdata/fuzz/[^ ]+).*#\1#p' "$log" | head -n 1)
		result="FAIL${crasher:+ ($pkg/$crasher)}"
	fi
	rows+=("| $pkg | $name | ${elapsed:-–} | ${execs:-–} | ${rate:-–} | ${interesting:-–} | $result |")
	echo "bench/fuzz: $name: $result, ${execs:-no} execs in ${elapsed:-?}" >&2
done

echo "| package | target | time | execs | execs/s | new interesting (corpus) | result |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit $failed
