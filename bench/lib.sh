# shellcheck shell=bash disable=SC2154,SC2034
# Shell functions shared by bench/run.sh and bench/scale.sh (sourced, not run). The caller
# defines log, die, and the variables the functions read: work (the temporary directory,
# mode 0700), server_pid (or server_pids, an array, for several servers), threads,
# connections, wrk_timeout and warmup.

# A random port that nothing on loopback answers on.
pick_port() {
  local port
  for _ in {1..100}; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free loopback port found"
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
minimum() { tr ' ' '\n' | grep . | sort -g | head -n 1; }
maximum() { tr ' ' '\n' | grep . | sort -g | tail -n 1; }
# "pass" when $1 $2 $3 holds (e.g. 12.5 '<' 20), else "**miss**".
mark() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
  ok = (op == "<") ? (a < b) : (op == ">=") ? (a >= b) : 0
  print ok ? "pass" : "**miss**" }'; }
commas() { sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|[^0-9]\)/\1,\2\3/' -e 'ta' <<<"$1"; }
seconds() { awk -v s="$1" 'BEGIN { printf "%.2f s", s }'; }
millis() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }

# An API token is written only to files of $work (mode 0600): a header file for curl and a
# Lua script for wrk, never onto a command line or into the report.
write_auth() { # token name
  printf 'Authorization: Bearer %s\n' "$1" >"$work/$2.h"
  printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$1" >"$work/$2.lua"
}

# One request with curl; prints "status seconds bytes" and keeps the body in $2.
request() { # url body-file [curl options…]
  local url=$1 out=$2
  shift 2
  curl -sS --max-time 600 -H 'Expect:' -o "$out" -w '%{http_code} %{time_total} %{size_download}\n' \
    "$@" "$url"
}
json_field() { # file python-expression-over-j
  python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# The servers measured: server_pids when the caller sets it (several instances), else server_pid.
measured_pids() { if [[ -n "${server_pids[*]:-}" ]]; then echo "${server_pids[@]}"; else echo "$server_pid"; fi; }
server_alive() {
  local pid
  for pid in $(measured_pids); do
    kill -0 "$pid" 2>/dev/null || die "the server exited; see its log below"
  done
}


# --- wrk -----------------------------------------------------------------------------------
# Prints "requests_per_s p50_ms p99_ms non_2xx socket_errors requests" of one wrk output.
parse_wrk() {
  awk '
    function ms(v,  n, unit) {
      n = v + 0; unit = v; sub(/^[0-9.]+/, "", unit)
      if (unit == "us") return n / 1000; if (unit == "s") return n * 1000
      if (unit == "m") return n * 60000; return n
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $2 == "requests" && $3 == "in" { requests = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
    END { if (rps == "" || p50 == "" || p99 == "" || requests == "") exit 1
          printf "%s %s %s %d %d %d\n", rps, p50, p99, non2xx, errors, requests }' "$1"
}
# CPU time the servers have used, in clock ticks (utime + stime of /proc/PID/stat).
cpu_ticks() {
  local pid total=0
  for pid in $(measured_pids); do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done
  echo "$total"
}
# When wrk stops, the server still answers the requests in flight (and queued) on the
# connections wrk closed; the next run would share the cores with them. Waits until the
# server has used at most 8 % of a core over a quarter of a second, 5 minutes at most.
wait_idle() {
  local last now step
  last=$(cpu_ticks)
  for ((step = 0; step < 1200; step++)); do
    sleep 0.25
    server_alive
    now=$(cpu_ticks)
    (((now - last) * 100 <= 2 * $(getconf CLK_TCK))) && return
    last=$now
  done
  die "the server stayed busy for 5 minutes after a wrk run"
}
run_wrk() { # url auth-name duration output
  local script=()
  [[ -n "$2" ]] && script=(-s "$work/$2.lua")
  wrk -t"$threads" -c"$connections" -d"$3" --timeout "$wrk_timeout" --latency "${script[@]}" \
    -H "X-Bench: 1" "$1" >"$4" 2>&1 || die "wrk failed: $(tail -n 3 "$4")"
  wait_idle
}
# A duration such as 5s, 2m or 500ms in milliseconds.
duration_ms() { awk -v d="$1" 'BEGIN { n = d + 0; u = d; sub(/^[0-9.]+/, "", u)
  print (u == "ms") ? n : (u == "m") ? n * 60000 : (u == "h") ? n * 3600000 : n * 1000 }'; }

# Scenario i: its name, target (p99 in ms, requests/s) and the medians of its runs. A run in
# which fewer requests were answered than there are connections is "saturated": most
# requests were still waiting when it ended and are not counted, so its latencies are lower
# bounds; a run with no answer at all counts the run's length as its p50 and p99.
names=() group=() p99_target=() rps_target=() rps_median=() p50_median=() p99_median=()
non2xx_total=() errors_total=() rps_runs=() p99_runs=() requests_total=() saturated=()
scenario() { # group name url auth-name runs duration p99-target rps-target
  local i=${#names[@]} rps=() p50=() p99=() non2xx=0 errors=0 total=0 r a b n e q parsed
  names[i]=$2 group[i]=$1 p99_target[i]=$7 rps_target[i]=$8 saturated[i]=
  server_alive
  # The scenario must answer 200 before it is measured (GET; a caller that sets
  # scenario_no_check checks its own requests), and scenario_before_run, when set, names a
  # function called before the warm-up and before each run (e.g. to read current versions).
  if [[ -z "${scenario_no_check:-}" ]]; then
    local -a auth=()
    [[ -n "$4" ]] && auth=(-H "@$work/$4.h")
    read -r n _ _ < <(request "$3" "$work/check.body" "${auth[@]}")
    [[ "$n" == 200 ]] || die "GET $3 answered $n: $(head -c 300 "$work/check.body")"
  fi
  wait_idle
  log "warm-up $warmup: $2"
  [[ -z "${scenario_before_run:-}" ]] || "$scenario_before_run"
  run_wrk "$3" "$4" "$warmup" "$work/wrk.txt"
  for ((run = 1; run <= $5; run++)); do
    [[ -z "${scenario_before_run:-}" ]] || "$scenario_before_run"
    run_wrk "$3" "$4" "$6" "$work/wrk.txt"
    parsed=$(parse_wrk "$work/wrk.txt") || die "cannot read wrk output: $(cat "$work/wrk.txt")"
    read -r r a b n e q <<<"$parsed"
    if ((q < connections)); then
      saturated[i]=yes
      ((q == 0)) && a=$(duration_ms "$6") b=$(duration_ms "$6")
    fi
    log "run $run/$5: $2: $q requests, $r requests/s, p50 $a ms, p99 $b ms${saturated[i]:+ (saturated)}"
    rps+=("$r") p50+=("$a") p99+=("$b") non2xx=$((non2xx + n)) errors=$((errors + e))
    total=$((total + q))
  done
  rps_median[i]=$(echo "${rps[*]}" | median)
  p50_median[i]=$(echo "${p50[*]}" | median)
  p99_median[i]=$(echo "${p99[*]}" | median)
  non2xx_total[i]=$non2xx
  errors_total[i]=$errors
  requests_total[i]=$total
  rps_runs[i]=$(printf '%.0f, ' "${rps[@]}")
  p99_runs[i]=$(printf '%.1f, ' "${p99[@]}")
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }


# The worst p99 of the scenarios of a group: sets worst_p99, worst_name, worst_bound ("≥ ").
worst() { # group
  local i
  worst_p99='' worst_name='' worst_bound='' worst_count=0
  for i in "${!names[@]}"; do
    [[ "${group[$i]}" == "$1" ]] || continue
    worst_count=$((worst_count + 1))
    if [[ -z "$worst_p99" ]] ||
      awk -v a="${p99_median[$i]}" -v b="$worst_p99" 'BEGIN { exit !(a > b) }'; then
      worst_p99=${p99_median[$i]} worst_name=${names[$i]}
      worst_bound=${saturated[$i]:+≥ }
    fi
  done
}

wrk_table() { # group
  echo "| scenario | answers | requests/s | p50 | p99 | target | result | non-2xx | socket errors |"
  echo "|---|---:|---:|---:|---:|---|---|---:|---:|"
  for i in "${!names[@]}"; do
    [[ "${group[$i]}" =~ ^($1)$ ]] || continue
    local target="—" result="" p99_goal=${p99_target[$i]} rps_goal=${rps_target[$i]}
    if [[ -n "$p99_goal" && -n "$rps_goal" ]]; then
      target="≥ $(commas "$rps_goal") requests/s, p99 < $p99_goal ms"
      result=$(mark "${rps_median[$i]}" '>=' "$rps_goal")
      [[ "$result" == pass ]] && result=$(mark "${p99_median[$i]}" '<' "$p99_goal")
    elif [[ -n "$p99_goal" ]]; then
      target="p99 < $p99_goal ms" result=$(mark "${p99_median[$i]}" '<' "$p99_goal")
    elif [[ -n "$rps_goal" ]]; then
      target="≥ $(commas "$rps_goal") requests/s" result=$(mark "${rps_median[$i]}" '>=' "$rps_goal")
    fi
    local bound=""
    if [[ -n "${saturated[$i]}" ]]; then
      bound="≥ " result="${result:+$result, }saturated"
    fi
    printf '| %s | %s | %.0f | %s%.2f ms | %s%.2f ms | %s | %s | %d | %d |\n' "${names[$i]}" \
      "$(commas "${requests_total[$i]}")" "${rps_median[$i]}" "$bound" "${p50_median[$i]}" \
      "$bound" "${p99_median[$i]}" "$target" "$result" "${non2xx_total[$i]}" "${errors_total[$i]}"
  done
  echo
  for i in "${!names[@]}"; do
    [[ "${group[$i]}" =~ ^($1)$ ]] || continue
    echo "- ${names[$i]}: runs ${rps_runs[$i]%, } requests/s; p99 ${p99_runs[$i]%, } ms"
  done
  for i in "${!names[@]}"; do
    if [[ "${group[$i]}" =~ ^($1)$ && -n "${saturated[$i]}" ]]; then
      echo
      echo "_Saturated_: in at least one run fewer requests were answered than there are"
      echo "connections ($connections). Requests still waiting when a run ends are not counted, so"
      echo "the latencies marked ≥ are lower bounds (a run with no answer counts its length)."
      break
    fi
  done
}

# Milliseconds since the epoch.
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Stops unless the binary under test and the tools every bench script runs are there
# (`die` is the sourcing script's, with its own prefix).
require_tools() { # certus-binary
  [[ -x "$1" ]] || die "$1 not found; run 'make build' first"
  local tool
  for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || die "$tool not found; run 'make deps'"
  done
}
