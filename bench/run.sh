#!/usr/bin/env bash
# `make bench`: HTTP throughput and latency of the release binary, measured with wrk.
# Seeds a fresh SQLite installation with context issues, serves it on a free loopback port,
# runs each scenario several times and writes bench/results/<UTC time>.md (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

bin=${CERTUS_BIN:-$PWD/build/release/certus}
count=${BENCH_COUNT:-10000}
runs=${BENCH_RUNS:-3}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-3s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-64}

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

[[ -x "$bin" ]] || die "$bin not found; run 'make build' first"
for tool in wrk curl; do
  command -v "$tool" >/dev/null || die "$tool not found; run 'make deps'"
done

work=$(mktemp -d -t certus-bench.XXXXXX)
server_pid=
cleanup() {
  local status=$?
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in {1..50}; do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if ((status != 0)) && [[ -f "$work/serve.log" ]]; then
    log "server log (last 30 lines):"
    tail -n 30 "$work/serve.log" >&2
  fi
  if [[ -n "${BENCH_KEEP:-}" ]]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# A random port that nothing on loopback answers on.
pick_port() {
  local port
  for _ in {1..100}; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free loopback port found"
}

# --- data ----------------------------------------------------------------------------------
data="$work/data"
password_file="$work/admin-password"
head -c 24 /dev/urandom | base64 | tr -d '\n/+=' >"$password_file"
log "init $data"
"$bin" init --data-dir "$data" --admin-email bench@example.com \
  --admin-password-file "$password_file" --org "Bench Admin" >"$work/init.log" 2>&1 ||
  { cat "$work/init.log" >&2; die "certus init failed"; }

log "seed-context: $count context issues"
seed_start=$(now_ms)
"$bin" seed-context --data-dir "$data" --org-name "Bench Organization" --count "$count" \
  >"$work/seed.out" 2>"$work/seed.err" || { cat "$work/seed.err" >&2; die "seed-context failed"; }
seed_ms=$(($(now_ms) - seed_start))
org_id=$(sed -n 's/^org_id=//p' "$work/seed.out" | head -n 1)
token=$(sed -n 's/^token=//p' "$work/seed.out" | head -n 1)
[[ -n "$org_id" && -n "$token" ]] || die "seed-context printed no org_id=… and token=… lines"

# --- server --------------------------------------------------------------------------------
port=$(pick_port)
base="http://127.0.0.1:$port"
web_dir=web/dist
[[ -d "$web_dir" ]] || { web_dir="$work/web"; mkdir -p "$web_dir"; }
log "serve on $base"
start_ms=$(now_ms)
"$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" --web-dir "$web_dir" \
  >"$work/serve.log" 2>&1 &
server_pid=$!
until curl -fsS -o /dev/null --max-time 1 "$base/readyz" 2>/dev/null; do
  kill -0 "$server_pid" 2>/dev/null || die "certus serve exited before it was ready"
  (($(now_ms) - start_ms < 30000)) || die "/readyz did not answer 200 within 30 s"
  sleep 0.02
done
ready_ms=$(($(now_ms) - start_ms))
kib() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$server_pid/status"; }
idle_rss_kib=$(kib VmRSS)

# --- scenarios -----------------------------------------------------------------------------
list_path="/api/v1/orgs/$org_id/context-issues?limit=50"
auth="Authorization: Bearer $token"

status=$(curl -sS -o "$work/list.json" -w '%{http_code}' -H "$auth" "$base$list_path")
[[ "$status" == 200 ]] || die "GET $list_path answered $status: $(head -c 300 "$work/list.json")"
items=$(node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(Array.isArray(j.items) ? j.items.length : -1)' "$work/list.json")
[[ "$items" == 50 ]] || die "GET $list_path returned $items items, expected 50"

names=("GET /healthz" "GET /api/v1/orgs/{org}/context-issues?limit=50 ($count issues)")
urls=("$base/healthz" "$base$list_path")
headers=("X-Bench: 1" "$auth")

# One wrk run, its output kept in $4 for parse_wrk.
run_wrk() {
  wrk -t"$threads" -c"$connections" -d"$3" --latency -H "$2" "$1" >"$4" 2>&1 ||
    die "wrk failed: $(tail -n 3 "$4")"
}
# Prints "requests_per_s p50_ms p99_ms non_2xx socket_errors" of one wrk output.
parse_wrk() {
  awk '
    function ms(v,  n, unit) {
      n = v + 0; unit = v; sub(/^[0-9.]+/, "", unit)
      if (unit == "us") return n / 1000; if (unit == "s") return n * 1000
      if (unit == "m") return n * 60000; return n
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
    END { if (rps == "" || p50 == "" || p99 == "") exit 1
          printf "%s %s %s %d %d\n", rps, p50, p99, non2xx, errors }' "$1"
}
median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -a rps_median p50_median p99_median non2xx_total errors_total rps_runs
for i in "${!names[@]}"; do
  log "warm-up $warmup: ${names[$i]}"
  run_wrk "${urls[$i]}" "${headers[$i]}" "$warmup" "$work/wrk.txt"
  rps=() p50=() p99=() non2xx=0 errors=0
  for ((run = 1; run <= runs; run++)); do
    run_wrk "${urls[$i]}" "${headers[$i]}" "$duration" "$work/wrk.txt"
    parsed=$(parse_wrk "$work/wrk.txt") || die "cannot read wrk output: $(cat "$work/wrk.txt")"
    read -r r a b n e <<<"$parsed"
    log "run $run/$runs: ${names[$i]}: $r requests/s, p50 $a ms, p99 $b ms"
    rps+=("$r") p50+=("$a") p99+=("$b") non2xx=$((non2xx + n)) errors=$((errors + e))
  done
  rps_median[i]=$(echo "${rps[*]}" | median)
  p50_median[i]=$(echo "${p50[*]}" | median)
  p99_median[i]=$(echo "${p99[*]}" | median)
  non2xx_total[i]=$non2xx
  errors_total[i]=$errors
  rps_runs[i]=$(printf '%.0f, ' "${rps[@]}")
done
peak_rss_kib=$(kib VmHWM)

# --- report --------------------------------------------------------------------------------
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- 2>/dev/null || commit="$commit (with uncommitted changes)"
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
memory=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p bench/results
out="bench/results/$stamp.md"
{
  echo "# Certus HTTP benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "\`wrk -t$threads -c$connections -d$duration --latency\` (keep-alive connections), $runs runs"
  echo "per scenario after a $warmup warm-up; each column is the median of the runs. Release build,"
  echo "SQLite (embedded); wrk and the server share the machine's cores."
  echo
  echo "| scenario | requests/s | p50 | p99 | non-2xx | socket errors |"
  echo "|---|---:|---:|---:|---:|---:|"
  for i in "${!names[@]}"; do
    printf '| %s | %.0f | %.2f ms | %.2f ms | %d | %d |\n' "${names[$i]}" "${rps_median[$i]}" \
      "${p50_median[$i]}" "${p99_median[$i]}" "${non2xx_total[$i]}" "${errors_total[$i]}"
  done
  echo
  for i in "${!names[@]}"; do echo "- ${names[$i]}: runs ${rps_runs[$i]%, } requests/s"; done
  echo
  echo "| server | |"
  echo "|---|---|"
  echo "| time to ready (start to first 200 on /readyz) | $ready_ms ms |"
  echo "| RSS when ready (VmRSS) | $(mib "$idle_rss_kib") |"
  echo "| peak RSS after all runs (VmHWM) | $(mib "$peak_rss_kib") |"
  echo "| seed-context --count $count | $seed_ms ms |"
  echo
  echo "| machine | |"
  echo "|---|---|"
  echo "| CPUs (nproc) | $(nproc) |"
  echo "| CPU | ${cpu:-unknown} |"
  echo "| memory | $memory |"
  echo "| kernel | $(uname -sr) |"
  echo "| commit | $commit |"
  echo "| wrk | $( (wrk -v 2>&1 || true) | head -n 1 | awk '{ print $2 }') |"
  if [[ -n "${CERTUS_FUNCTION_BENCH:-}" ]]; then
    echo
    echo "## In-process cost of one request (Google Benchmark, median of 5)"
    echo
    echo "bench/handler_bench.cpp: the whole application without the network, SQLite, 10,000 issues."
    echo
    echo '```'
    "$CERTUS_FUNCTION_BENCH" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
      2>/dev/null | grep -E '^(Benchmark|BM_.*_median)'
    echo '```'
  fi
} >"$out.tmp"
mv "$out.tmp" "$out"
echo
cat "$out"
echo
log "wrote $out"

for i in "${!names[@]}"; do
  if ((non2xx_total[i] + errors_total[i] > 0)); then
    die "${names[$i]}: ${non2xx_total[$i]} non-2xx answers and ${errors_total[$i]} socket errors; the numbers above are not valid"
  fi
done
