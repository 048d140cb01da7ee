#!/usr/bin/env bash
# `make bench`: every performance target, measured end to end over HTTP against the release
# binary, and the Google Benchmark functions in process. Seeds a fresh SQLite installation
# (context issues, risk registers imported from CSV, a 1,000-control Statement of
# Applicability, the NIST SP 800-53 MODERATE catalog), serves it on a free loopback port and
# writes bench/results/<UTC time>.md with each figure beside its target (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
umask 077

bin=${CERTUS_BIN:-$PWD/build/release/certus}
count=${BENCH_COUNT:-10000}
risks=${BENCH_RISKS:-100000}
import_runs=${BENCH_IMPORT_RUNS:-3}
runs=${BENCH_RUNS:-3}
duration=${BENCH_DURATION:-10s}
risk_runs=${BENCH_RISK_RUNS:-3}
risk_duration=${BENCH_RISK_DURATION:-5s}
warmup=${BENCH_WARMUP:-3s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-64}
wrk_timeout=${BENCH_TIMEOUT:-30s}
single_requests=${BENCH_SINGLE_REQUESTS:-21}
soa_rows=${BENCH_SOA_CONTROLS:-1000}
export_runs=${BENCH_EXPORT_RUNS:-5}
oscal_runs=${BENCH_OSCAL_RUNS:-3}
catalog=${BENCH_OSCAL_CATALOG:-../shared/oscal/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json}
admin_email=bench@example.com
member_email=owner@example.com

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
# Shared functions: wrk runs and their parsing, waiting for an idle server, medians, marks.
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_start_ms=$(now_ms)

require_tools "$bin"
for n in "$count" "$risks" "$import_runs" "$runs" "$risk_runs" "$single_requests" "$soa_rows" \
  "$export_runs" "$oscal_runs"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "every BENCH_* count must be a whole number (got '$n')"
done
((risks >= 1 && import_runs >= 1 && runs >= 1 && risk_runs >= 1 && single_requests >= 1 &&
  export_runs >= 1 && oscal_runs >= 1)) || die "BENCH_RISKS and every BENCH_*_RUNS must be at least 1"
((soa_rows >= 93)) || die "BENCH_SOA_CONTROLS must be at least 93 (the Annex A rows)"

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
trap 'exit 130' INT TERM

# --- data ----------------------------------------------------------------------------------
data="$work/data"
password_file="$work/admin-password"
head -c 24 /dev/urandom | base64 | tr -d '\n/+=' >"$password_file"
log "init $data"
"$bin" init --data-dir "$data" --admin-email "$admin_email" \
  --admin-password-file "$password_file" --org "Bench Admin" >"$work/init.log" 2>&1 ||
  { cat "$work/init.log" >&2; die "certus init failed"; }
# A fresh installation, copied for each `certus import oscal-catalog` run.
cp -a "$data" "$work/pristine"
head -c 24 /dev/urandom | base64 | tr -d '\n/+=' >"$work/member-password"
"$bin" user add --data-dir "$data" --email "$member_email" --name "Risk Owner" \
  --password-file "$work/member-password" >"$work/user.log" 2>&1 ||
  { cat "$work/user.log" >&2; die "certus user add failed"; }

log "seed-context: $count context issues"
seed_start=$(now_ms)
"$bin" seed-context --data-dir "$data" --org-name "Bench Organization" --count "$count" \
  >"$work/seed.out" 2>"$work/seed.err" || { cat "$work/seed.err" >&2; die "seed-context failed"; }
seed_ms=$(($(now_ms) - seed_start))
org_id=$(sed -n 's/^org_id=//p' "$work/seed.out" | head -n 1)
token=$(sed -n 's/^token=//p' "$work/seed.out" | head -n 1)
[[ -n "$org_id" && -n "$token" ]] || die "seed-context printed no org_id=… and token=… lines"
write_auth "$token" context
rm -f "$work/seed.out"

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

# --- 1. foundation: /healthz and the context-issues list ------------------------------------
list_path="/api/v1/orgs/$org_id/context-issues?limit=50"
items=$(request "$base$list_path" "$work/list.json" -H "@$work/context.h" >/dev/null &&
  json_field "$work/list.json" 'len(j["items"])')
[[ "$items" == 50 ]] || die "GET $list_path returned $items items, expected 50"
scenario base "GET /healthz" "$base/healthz" "" "$runs" "$duration" "" 20000
scenario base "GET /api/v1/orgs/{org}/context-issues?limit=50 ($count issues)" "$base$list_path" \
  context "$runs" "$duration" 20 5000

# --- 2. the risk register: CSV import into fresh organizations -------------------------------
log "organizations: $import_runs for the risk register, one for the SoA"
BENCH_ADMIN_EMAIL=$admin_email BENCH_MEMBER_EMAIL=$member_email \
  BENCH_PASSWORD_FILE=$password_file python3 bench/seed.py orgs "$base" "$((import_runs + 1))" \
  "Bench Register" "$work/orgs.txt" || die "creating the organizations failed"
mapfile -t org_lines <"$work/orgs.txt"
((${#org_lines[@]} == import_runs + 1)) || die "bench/seed.py wrote ${#org_lines[@]} organizations"
read -r risk_org risk_token member_id <<<"${org_lines[0]}"
write_auth "$risk_token" risk
read -r soa_org soa_token _ <<<"${org_lines[$import_runs]}"
write_auth "$soa_token" soa

log "bench/make_risks_csv.py: $risks risks owned by $admin_email and $member_email"
python3 bench/make_risks_csv.py "$risks" "$admin_email" "$member_email" --mixed >"$work/risks.csv"
csv_bytes=$(stat -c %s "$work/risks.csv")
((csv_bytes <= 10 * 1024 * 1024)) ||
  die "the CSV of $risks risks is $csv_bytes bytes, over the server's 10 MiB body limit"
import_times=()
for ((run = 0; run < import_runs; run++)); do
  server_alive
  read -r org tok _ <<<"${org_lines[$run]}"
  write_auth "$tok" import
  read -r status seconds _ < <(request "$base/api/v1/orgs/$org/risks/import" "$work/import.json" \
    -H "@$work/import.h" -H 'Content-Type: text/csv' --data-binary "@$work/risks.csv")
  [[ "$status" == 200 ]] || die "risk import answered $status: $(head -c 300 "$work/import.json")"
  created=$(json_field "$work/import.json" 'j["created"] if not j["errors"] else -1')
  [[ "$created" == "$risks" ]] || die "risk import created $created of $risks: $(head -c 300 "$work/import.json")"
  log "import $((run + 1))/$import_runs: $risks risks in $(seconds "$seconds")"
  import_times+=("$seconds")
done
import_median=$(echo "${import_times[*]}" | median)

# --- 3. the risk register under load (wrk), then the heat map one request at a time ---------
risks_url="$base/api/v1/orgs/$risk_org/risks"
scenario risk "GET …/risks?limit=50 (sorted by -inherent_score, the default)" \
  "$risks_url?limit=50" risk "$risk_runs" "$risk_duration" 20 ""
scenario risk "… &treatment=avoid" "$risks_url?limit=50&treatment=avoid" risk "$risk_runs" \
  "$risk_duration" 20 ""
scenario risk "… &level=High" "$risks_url?limit=50&level=High" risk "$risk_runs" \
  "$risk_duration" 20 ""
scenario risk "… &owner_id={a member owning half}" "$risks_url?limit=50&owner_id=$member_id" risk \
  "$risk_runs" "$risk_duration" 20 ""
scenario risk "… &status=closed" "$risks_url?limit=50&status=closed" risk "$risk_runs" \
  "$risk_duration" 20 ""
scenario search "… &q=Risk%209999 (text search)" "$risks_url?limit=50&q=Risk%209999" risk \
  "$risk_runs" "$risk_duration" 20 ""
scenario risk "… &sort=inherent_score (ascending)" "$risks_url?limit=50&sort=inherent_score" risk \
  "$risk_runs" "$risk_duration" 20 ""
heatmap_url="$base/api/v1/orgs/$risk_org/risks/heatmap?basis=inherent"
# The counts-only form (`ids=false`: each cell's count without the risks' ids), when the
# server has it: an older one ignores the parameter and still lists the ids.
counts_url="$heatmap_url&ids=false" counts_form=
read -r status _ _ < <(request "$counts_url" "$work/counts.json" -H "@$work/risk.h")
if [[ "$status" == 200 ]] &&
  [[ "$(json_field "$work/counts.json" 'any("risk_ids" in c for c in j["cells"])')" == False ]]; then
  counts_form=yes
fi
scenario heat "GET …/risks/heatmap?basis=inherent" "$heatmap_url" risk "$risk_runs" \
  "$risk_duration" "" ""
[[ -n "$counts_form" ]] && scenario heat "GET …/risks/heatmap?basis=inherent&ids=false (counts only)" \
  "$counts_url" risk "$risk_runs" "$risk_duration" "" ""

# Sequential requests, one at a time: sets single_times (seconds) and single_bytes.
single() { # url body-file [requests, default single_requests]
  local i status seconds
  single_times=()
  for ((i = 0; i < ${3:-$single_requests}; i++)); do
    server_alive
    read -r status seconds single_bytes < <(request "$1" "$2" -H "@$work/risk.h")
    [[ "$status" == 200 ]] || die "GET $1 answered $status: $(head -c 300 "$2")"
    single_times+=("$seconds")
  done
}
log "heat map: $single_requests sequential requests"
single "$heatmap_url" "$work/heatmap.json"
heatmap_times=("${single_times[@]}") heatmap_bytes=$single_bytes
heatmap_median=$(echo "${heatmap_times[*]}" | median)
heatmap_total=$(json_field "$work/heatmap.json" 'sum(c["count"] for c in j["cells"])')
if [[ -n "$counts_form" ]]; then
  log "heat map, counts only: $single_requests sequential requests"
  single "$counts_url" "$work/counts.json"
  counts_times=("${single_times[@]}") counts_bytes=$single_bytes
  counts_median=$(echo "${counts_times[*]}" | median)
fi
# Readiness of the same organization (issue 7): every rule of clauses 4 to 10, its 100,000
# risks rebuilt from the audit log. A smaller ISMS than the target's (which adds 1,000
# controls, 10,000 documents and 1,000,000 events), and each request takes seconds: 5 of them.
readiness_requests=5
log "readiness: $readiness_requests sequential requests"
single "$base/api/v1/orgs/$risk_org/readiness" "$work/readiness.json" "$readiness_requests"
# The first request evaluates; the server remembers the report until the organization's
# audit chain grows, so the others measure the memo. The target is judged on the first.
readiness_times=("${single_times[@]}")
readiness_cold=${readiness_times[0]}
readiness_median=$(echo "${readiness_times[*]:1}" | median)
readiness_verdict=$(json_field "$work/readiness.json" 'j["verdict"]')

# --- 4. the Statement of Applicability: 1,000 controls, exported -----------------------------
log "SoA: $soa_rows controls (93 Annex A, the rest custom), most decided with a justification"
soa_start=$(now_ms)
BENCH_TOKEN=$soa_token BENCH_OWNER_ID=$member_id python3 bench/seed.py soa "$base" "$soa_org" \
  "$soa_rows" >"$work/soa.out" || die "seeding the SoA failed"
soa_seed_ms=$(($(now_ms) - soa_start))
declare -A export_median export_bytes export_runs_text
for format in xlsx pdf; do
  times=()
  for ((run = 0; run < export_runs; run++)); do
    server_alive
    read -r status seconds bytes < <(request "$base/api/v1/orgs/$soa_org/soa/export?format=$format" \
      "$work/soa.$format" -H "@$work/soa.h")
    [[ "$status" == 200 ]] || die "SoA $format export answered $status: $(head -c 300 "$work/soa.$format")"
    times+=("$seconds")
  done
  case $format in
    xlsx) [[ "$(head -c 2 "$work/soa.xlsx")" == PK ]] || die "the XLSX export is not a zip file" ;;
    pdf) [[ "$(head -c 5 "$work/soa.pdf")" == %PDF- ]] || die "the PDF export is not a PDF" ;;
  esac
  export_median[$format]=$(echo "${times[*]}" | median)
  export_bytes[$format]=$bytes
  export_runs_text[$format]=$(for t in "${times[@]}"; do millis "$t"; printf ', '; done)
  log "SoA $format: median $(millis "${export_median[$format]}"), $bytes bytes"
done
pdf_pages=$( (pdfinfo "$work/soa.pdf" 2>/dev/null || true) | awk '/^Pages:/ { print $2 }')

# --- 5. the NIST SP 800-53 MODERATE catalog: OSCAL import over HTTP and from the CLI ---------
oscal_http_median='' oscal_cli_median='' oscal_note=''
if [[ -f "$catalog" ]]; then
  catalog_bytes=$(stat -c %s "$catalog")
  mkdir -p "$work/oscal"
  python3 bench/seed.py oscal-copies "$catalog" "$oscal_runs" "$work/oscal" ||
    die "copying the catalog failed"
  http_times=()
  for ((run = 1; run <= oscal_runs; run++)); do
    server_alive
    read -r status seconds _ < <(request "$base/api/v1/frameworks/import?key=nist-moderate-$run" \
      "$work/oscal.json" -H "@$work/soa.h" -H 'Content-Type: application/json' \
      --data-binary "@$work/oscal/catalog-$run.json")
    [[ "$status" == 201 ]] || die "OSCAL import answered $status: $(head -c 300 "$work/oscal.json")"
    http_times+=("$seconds")
    log "OSCAL import over HTTP $run/$oscal_runs: $(millis "$seconds")"
  done
  requirements=$(json_field "$work/oscal.json" 'j["requirement_count"]')
  oscal_http_median=$(echo "${http_times[*]}" | median)
  cli_times=()
  for ((run = 1; run <= oscal_runs; run++)); do
    rm -rf "$work/cli-data"
    cp -a "$work/pristine" "$work/cli-data"
    start=$(date +%s%N)
    "$bin" import oscal-catalog --data-dir "$work/cli-data" "$catalog" >"$work/cli-import.log" 2>&1 ||
      { cat "$work/cli-import.log" >&2; die "certus import oscal-catalog failed"; }
    cli_times+=("$(awk -v ns="$(($(date +%s%N) - start))" 'BEGIN { printf "%.4f", ns / 1e9 }')")
    log "certus import oscal-catalog $run/$oscal_runs: $(millis "${cli_times[-1]}")"
  done
  rm -rf "$work/cli-data"
  oscal_cli_median=$(echo "${cli_times[*]}" | median)
else
  oscal_note="$catalog is absent (only the project is checked out): the OSCAL import was not measured."
  log "$oscal_note"
fi
peak_rss_kib=$(kib VmHWM)

# --- 6. in process: Google Benchmark ----------------------------------------------------------
if [[ -n "${CERTUS_FUNCTION_BENCH:-}" ]]; then
  log "Google Benchmark: $CERTUS_FUNCTION_BENCH (5 repetitions)"
  "$CERTUS_FUNCTION_BENCH" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_out="$work/functions.json" --benchmark_out_format=json \
    >"$work/functions.txt" 2>"$work/functions.err" ||
    { cat "$work/functions.err" >&2; die "$CERTUS_FUNCTION_BENCH failed"; }
fi

# --- report --------------------------------------------------------------------------------
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- 2>/dev/null || commit="$commit (with uncommitted changes)"
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
memory=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
risk_label=$(commas "$risks")

mkdir -p bench/results
out="bench/results/$stamp.md"
{
  echo "# Certus benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "\`make bench\` (bench/run.sh): the release binary over HTTP on loopback, SQLite (embedded),"
  echo "a fresh installation. wrk, curl and the server share the machine's $(nproc) cores, and on a"
  echo "shared VM other work runs beside them (load average at the end: $load), so every figure is"
  echo "a noisy ceiling for latency and a floor for throughput. Medians throughout."
  echo
  echo "## Targets"
  echo
  echo "| target | what is measured | figure | target | result |"
  echo "|---|---|---:|---|---|"
  printf '| Import %s risks from CSV (issue 3) | `POST …/risks/import`, text/csv (%s bytes), into a fresh organization; median of %d | %s | < 5 s | %s |\n' \
    "$risk_label" "$(commas "$csv_bytes")" "$import_runs" "$(seconds "$import_median")" "$(mark "$import_median" '<' 5)"
  worst risk
  printf '| List and filter %s risks at %d connections (issue 3) | the worst p99 of the %d list scenarios below: default order, 4 filters, another sort (%s) | %s%.2f ms | p99 < 20 ms | %s |\n' \
    "$risk_label" "$connections" "$worst_count" "$worst_name" "$worst_bound" "$worst_p99" \
    "$(mark "$worst_p99" '<' 20)"
  worst search
  printf '| the same, searching text (issue 3) | `…&q=Risk%%209999` (`LIKE` over titles and descriptions) | %s%.2f ms | p99 < 20 ms | %s |\n' \
    "$worst_bound" "$worst_p99" "$(mark "$worst_p99" '<' 20)"
  printf '| Heat map over %s risks (issue 3) | `GET …/risks/heatmap?basis=inherent` (with each cell'"'"'s risk ids, %s bytes), one request at a time; median of %d | %s | < 50 ms | %s |\n' \
    "$risk_label" "$(commas "$heatmap_bytes")" "$single_requests" "$(millis "$heatmap_median")" \
    "$(mark "$heatmap_median" '<' 0.05)"
  printf '| Readiness of an organization with %s risks (issue 7; the target is set for 100,000 risks, 1,000 controls, 10,000 documents and 1,000,000 audit events) | `GET …/readiness` (verdict %s), the first request, which evaluates | %s | < 200 ms | %s |\n' \
    "$risk_label" "$readiness_verdict" "$(millis "$readiness_cold")" \
    "$(mark "$readiness_cold" '<' 0.2)"
  printf '| the same, asked again with no change in between (issue 7) | the server'"'"'s memo of the report; median of the next %d | %s | | |\n' \
    "$((readiness_requests - 1))" "$(millis "$readiness_median")"
  if [[ -n "$counts_form" ]]; then
    printf '| the heat map, counts only (issue 3) | `…&ids=false` (%s bytes), one request at a time; median of %d | %s | < 50 ms | %s |\n' \
      "$(commas "$counts_bytes")" "$single_requests" "$(millis "$counts_median")" \
      "$(mark "$counts_median" '<' 0.05)"
  fi
  if [[ -n "$oscal_http_median" ]]; then
    printf '| Import the NIST SP 800-53 MODERATE resolved catalog (issue 4) | `POST /api/v1/frameworks/import` (%s bytes, %s requirements); median of %d | %s | < 1 s | %s |\n' \
      "$(commas "$catalog_bytes")" "$requirements" "$oscal_runs" "$(millis "$oscal_http_median")" "$(mark "$oscal_http_median" '<' 1)"
    printf '| the same from the CLI (issue 4) | `certus import oscal-catalog FILE` into a fresh installation, start to exit; median of %d | %s | < 1 s | %s |\n' \
      "$oscal_runs" "$(millis "$oscal_cli_median")" "$(mark "$oscal_cli_median" '<' 1)"
  else
    echo "| Import the NIST SP 800-53 MODERATE resolved catalog (issue 4) | $oscal_note | | < 1 s | not measured |"
  fi
  for format in xlsx pdf; do
    printf '| %s export of a %s-control SoA (issue 4) | `GET …/soa/export?format=%s` (%s bytes); median of %d | %s | < 1 s | %s |\n' \
      "${format^^}" "$(commas "$soa_rows")" "$format" "$(commas "${export_bytes[$format]}")" "$export_runs" \
      "$(millis "${export_median[$format]}")" "$(mark "${export_median[$format]}" '<' 1)"
  done
  echo
  echo "## wrk: the foundation's scenarios"
  echo
  echo "\`wrk -t$threads -c$connections -d$duration --latency\` (keep-alive connections), $runs runs per"
  echo "scenario after a $warmup warm-up; \"answers\" is the total of the runs, every other column"
  echo "the median of the runs."
  echo
  wrk_table base
  echo
  echo "## wrk: the risk register at $risk_label risks"
  echo
  echo "\`wrk -t$threads -c$connections -d$risk_duration --latency\`, $risk_runs runs per scenario after a"
  echo "$warmup warm-up, an API token (admin); one organization of the $import_runs imported. Its"
  echo "register (bench/make_risks_csv.py --mixed): ratings cycling over the 5x5 matrix, a fifth"
  echo "avoided and a fifth transferred, one in ten closed, half owned by each of two members."
  echo
  wrk_table 'risk|search'
  echo
  echo "The heat map under the same load (it is not a list; its target is the single request above):"
  echo
  wrk_table heat
  echo
  echo "## Single requests"
  echo
  echo "| request | runs | bytes |"
  echo "|---|---|---:|"
  printf '| risk import of %s rows | %s | %s |\n' "$risk_label" \
    "$(for t in "${import_times[@]}"; do seconds "$t"; printf ', '; done | sed 's/, $//')" "$(commas "$csv_bytes")"
  printf '| heat map (%s open risks in its cells) | min %s, median %s, max %s of %d | %s |\n' \
    "$(commas "$heatmap_total")" "$(millis "$(echo "${heatmap_times[*]}" | minimum)")" \
    "$(millis "$heatmap_median")" "$(millis "$(echo "${heatmap_times[*]}" | maximum)")" \
    "$single_requests" "$(commas "$heatmap_bytes")"
  if [[ -n "$counts_form" ]]; then
    printf '| heat map, counts only | min %s, median %s, max %s of %d | %s |\n' \
      "$(millis "$(echo "${counts_times[*]}" | minimum)")" "$(millis "$counts_median")" \
      "$(millis "$(echo "${counts_times[*]}" | maximum)")" "$single_requests" "$(commas "$counts_bytes")"
  fi
  for format in xlsx pdf; do
    printf '| SoA %s (%s rows%s) | %s | %s |\n' "$format" "$(commas "$soa_rows")" \
      "$([[ $format == pdf && -n "$pdf_pages" ]] && echo ", $pdf_pages pages")" \
      "${export_runs_text[$format]%, }" "$(commas "${export_bytes[$format]}")"
  done
  if [[ -n "$oscal_http_median" ]]; then
    printf '| OSCAL import over HTTP | %s | %s |\n' \
      "$(for t in "${http_times[@]}"; do millis "$t"; printf ', '; done | sed 's/, $//')" "$(commas "$catalog_bytes")"
    printf '| `certus import oscal-catalog` | %s | %s |\n' \
      "$(for t in "${cli_times[@]}"; do millis "$t"; printf ', '; done | sed 's/, $//')" "$(commas "$catalog_bytes")"
  fi
  echo
  echo "Uploads are sent without \`Expect: 100-continue\` (curl adds it to bodies over 1 MiB and"
  echo "then waits 1 s, since the server does not answer it); repeated OSCAL imports use copies"
  echo "of the catalog that differ only in its uuid (an imported catalog is refused with 409)."
  echo
  echo "| server and seeding | |"
  echo "|---|---|"
  echo "| time to ready (start to first 200 on /readyz) | $ready_ms ms |"
  echo "| RSS when ready (VmRSS) | $(mib "$idle_rss_kib") |"
  echo "| peak RSS after all HTTP scenarios (VmHWM) | $(mib "$peak_rss_kib") |"
  echo "| seed-context --count $count | $seed_ms ms |"
  echo "| SoA seeding over the API ($(sed "s/ /, /g" "$work/soa.out")) | $soa_seed_ms ms |"
  echo "| the whole bench/run.sh | $(( ($(now_ms) - bench_start_ms) / 1000 )) s |"
  echo
  echo "| machine | |"
  echo "|---|---|"
  echo "| CPUs (nproc) | $(nproc) |"
  echo "| CPU | ${cpu:-unknown} |"
  echo "| memory | $memory |"
  echo "| kernel | $(uname -sr) |"
  echo "| load average at the end | $load |"
  echo "| commit | $commit |"
  echo "| wrk | $( (wrk -v 2>&1 || true) | head -n 1 | awk '{ print $2 }') |"
  if [[ -n "${CERTUS_FUNCTION_BENCH:-}" ]]; then
    echo
    echo "## In process (Google Benchmark, median of 5)"
    echo
    echo "bench/handler_bench.cpp: the whole application without the network, SQLite, 10,000"
    echo "issues. bench/reports_bench.cpp: the table writers on a 1,000-row, 8-column table."
    echo "bench/controls_bench.cpp: the SoA export of 1,000 controls through the application, and"
    echo "the NIST MODERATE catalog parsed, and parsed and imported."
    echo
    echo '```'
    grep -E '^(Benchmark|BM_.*_median)' "$work/functions.txt" || true
    echo '```'
    grep -E '^BM_.*_median.*(ERROR|SKIP)' "$work/functions.txt" || true
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
