#!/usr/bin/env bash
# `make bench`, after bench/run.sh: the scale benchmark of issue 8. For each engine (SQLite,
# then PostgreSQL) a fresh installation is seeded with `certus seed --org-size …` and served;
# wrk then measures what the web UI reads most (the dashboard's requests, the risk register
# with filters and sorts, the SoA, tasks, evidence, documents, assets), risk edits with
# If-Match and evidence uploads, beside /healthz of the same run; curl times readiness and the
# exports; on PostgreSQL, the lists and writes also through nginx in front of one and then two
# instances. Writes bench/results/<UTC time>-scale.md (see README.md, "Scale: scale.sh").
set -euo pipefail
self=$(realpath "$0")
cd "$(dirname "$self")/.."
export LC_ALL=C
umask 077

bin=${CERTUS_BIN:-$PWD/build/release/certus}
size=${BENCH_SCALE_SIZE:-L}
pg_size=${BENCH_SCALE_PG_SIZE:-M}
engines=${BENCH_SCALE_ENGINES:-sqlite postgresql}
runs=${BENCH_SCALE_RUNS:-3}
duration=${BENCH_SCALE_DURATION:-5s}
warmup=${BENCH_WARMUP:-3s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-64}
wrk_timeout=${BENCH_TIMEOUT:-30s}
dashboards=${BENCH_SCALE_DASHBOARDS:-21}
export_runs=${BENCH_SCALE_EXPORT_RUNS:-3}
patch_pool=${BENCH_SCALE_PATCH_RISKS:-30000}
upload_bytes=${BENCH_SCALE_UPLOAD_BYTES:-65536}
wrk_max_bytes=${BENCH_SCALE_WRK_MAX_BYTES:-16777216}
cluster=${BENCH_SCALE_CLUSTER:-yes}
nginx_bin=${NGINX_BIN:-/usr/sbin/nginx}
admin_email=bench@example.com

log() { printf 'bench-scale: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_start_ms=$(now_ms)

require_tools "$bin"
for n in "$runs" "$dashboards" "$export_runs" "$patch_pool" "$upload_bytes" "$wrk_max_bytes"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "every BENCH_SCALE_* count must be a whole number (got '$n')"
done
((runs >= 1 && dashboards >= 1 && export_runs >= 1 && upload_bytes >= 1)) ||
  die "BENCH_SCALE_RUNS, _DASHBOARDS, _EXPORT_RUNS and _UPLOAD_BYTES must be at least 1"
((patch_pool >= 4 * connections)) || die "BENCH_SCALE_PATCH_RISKS must be at least 4 × the connections"
for e in $engines; do
  [[ "$e" == sqlite || "$e" == postgresql ]] || die "BENCH_SCALE_ENGINES: sqlite and/or postgresql (got '$e')"
done
for s in "$size" "$pg_size"; do
  [[ "$s" =~ ^(S|M|L|XL)$ ]] || die "BENCH_SCALE_SIZE and BENCH_SCALE_PG_SIZE: S, M, L or XL (got '$s')"
done

# PostgreSQL: the whole run goes on inside scripts/with-postgres.sh, a throwaway cluster
# (loopback, trust, fsync off) that it removes at the end; CERTUS_TEST_PG names its database.
if [[ " $engines " == *" postgresql "* && -z "${BENCH_SCALE_IN_CLUSTER:-}" ]]; then
  export BENCH_SCALE_IN_CLUSTER=1
  exec bash scripts/with-postgres.sh bash "$self" "$@"
fi
pg_url=${CERTUS_TEST_PG:-}
if [[ " $engines " == *" postgresql "* ]]; then
  [[ -n "$pg_url" ]] || die "scripts/with-postgres.sh set no CERTUS_TEST_PG"
  command -v psql >/dev/null || die "psql not found; run 'make deps'"
  [[ "$cluster" != yes || -x "$nginx_bin" ]] || die "$nginx_bin not found; run 'make deps' (or BENCH_SCALE_CLUSTER=no)"
fi

work=$(mktemp -d -t certus-scale.XXXXXX)
server_pid='' server_pids=() started_pids=() nginx_pid='' nginx_dir=''
stop_pid() {
  kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1" 2>/dev/null || true
  for _ in {1..100}; do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  local status=$? pid
  [[ -z "$nginx_pid" ]] || stop_pid "$nginx_pid"
  for pid in "${started_pids[@]}"; do stop_pid "$pid"; done
  if ((status != 0)); then
    for f in "$work"/*/serve*.log; do
      [[ -f "$f" ]] || continue
      log "$f (last 20 lines):"
      tail -n 20 "$f" >&2
    done
  fi
  [[ -z "$nginx_dir" ]] || rm -rf "$nginx_dir"
  if [[ -n "${BENCH_KEEP:-}" ]]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

web_dir=web/dist
[[ -d "$web_dir" ]] || { web_dir="$work/web"; mkdir -p "$web_dir"; }

# Python helpers: risk versions for the PATCH script, the dashboard's five requests at once.
cat >"$work/helper.py" <<'PY'
import http.client, json, statistics, sys, threading, time, urllib.parse

def auth(header_file):
    name, value = open(header_file).read().strip().split(': ', 1)
    return {name: value}

def versions(base, org, header_file, pool, out):
    """Writes `risks = { {id, version}, … }` (at most `pool` risks, in ref order) for wrk."""
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    headers, rows, cursor = auth(header_file), [], None
    while len(rows) < pool:
        path = f'/api/v1/orgs/{org}/risks?sort=ref&limit=500' + (f'&cursor={cursor}' if cursor else '')
        conn.request('GET', path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            sys.exit(f'GET {path} answered {r.status}: {body[:300]!r}')
        page = json.loads(body)
        rows += [(i['id'], i['version']) for i in page['items']]
        cursor = page.get('next_cursor')
        if not cursor:
            break
    with open(out, 'w') as f:
        f.write('risks = {\n')
        for rid, v in rows[:pool]:
            f.write(f'{{"{rid}", {v}}},\n')
        f.write('}\n')
    print(len(rows[:pool]))

def dashboard(base, header_file, count, *paths):
    """The dashboard's requests issued at once on kept-alive connections (one each, as a
    browser's pool), `count` times one after the other; prints each dashboard's seconds."""
    u = urllib.parse.urlsplit(base)
    headers = auth(header_file)
    conns = [http.client.HTTPConnection(u.hostname, u.port, timeout=120) for _ in paths]
    for _ in range(int(count)):
        failures = []
        def one(conn, path):
            conn.request('GET', path, headers=headers)
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                failures.append(f'GET {path} answered {r.status}: {body[:200]!r}')
        workers = [threading.Thread(target=one, args=(c, p)) for c, p in zip(conns, paths)]
        start = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.perf_counter() - start
        if failures:
            sys.exit(failures[0])
        print(f'{elapsed:.4f}')

{'versions': lambda a: versions(a[0], a[1], a[2], int(a[3]), a[4]),
 'dashboard': lambda a: dashboard(*a)}[sys.argv[1]](sys.argv[2:])
PY

# Seconds of a duration such as 5s (for the estimates in the log only).
kib_of() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }
mib_of() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
bytes_h() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.1f MiB", b / 1048576
  else if (b >= 1024) printf "%.1f KiB", b / 1024; else printf "%d B", b }'; }

# `certus serve` on a free port: sets started_port; appends the pid to started_pids.
start_server() { # engine-dir log-name [extra serve options…]
  local dir=$1 name=$2 port start
  shift 2
  port=$(pick_port)
  start=$(now_ms)
  "$bin" serve --data-dir "$dir/data" "${db_opts[@]}" --listen "127.0.0.1:$port" \
    --web-dir "$web_dir" --integrity-check-interval 0 "$@" >"$dir/$name.log" 2>&1 &
  local pid=$!
  started_pids+=("$pid")
  until curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/readyz" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || die "certus serve exited before it was ready"
    (($(now_ms) - start < 60000)) || die "/readyz did not answer 200 within 60 s"
    sleep 0.02
  done
  started_port=$port started_pid=$pid started_ms=$(($(now_ms) - start))
}

# nginx in front of the given ports, with deploy/nginx/certus-locations.conf and the upstream
# of certus-upstream.conf (as tests/cluster/ does); as `nobody` when run as root. Sets
# nginx_port and nginx_pid.
start_nginx() { # port…
  local ports=("$@") i=0 line upstream
  nginx_dir=$(mktemp -d /tmp/certus-scale-nginx.XXXXXX)
  upstream="upstream certus_backend {"$'\n'
  while IFS= read -r line; do
    if [[ "$line" =~ ^[[:space:]]*server\ 127\.0\.0\.1:[0-9]+\ (.*)$ ]]; then
      ((i < ${#ports[@]})) && upstream+="    server 127.0.0.1:${ports[i]} ${BASH_REMATCH[1]}"$'\n'
      i=$((i + 1))
    elif [[ "$line" =~ ^[[:space:]]*(keepalive|keepalive_timeout)\  ]]; then
      upstream+="$line"$'\n'
    fi
  done <deploy/nginx/certus-upstream.conf
  upstream+="}"
  ((i >= ${#ports[@]})) || die "deploy/nginx/certus-upstream.conf lists fewer than ${#ports[@]} instances"
  nginx_port=$(pick_port)
  cp deploy/nginx/certus-locations.conf "$nginx_dir/"
  mkdir "$nginx_dir"/{client_body,proxy,fastcgi,uwsgi,scgi}
  cat >"$nginx_dir/nginx.conf" <<EOF
# Generated by bench/scale.sh around deploy/nginx/.
daemon off;
worker_processes auto;
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $nginx_dir/client_body;
  proxy_temp_path $nginx_dir/proxy;
  fastcgi_temp_path $nginx_dir/fastcgi;
  uwsgi_temp_path $nginx_dir/uwsgi;
  scgi_temp_path $nginx_dir/scgi;
  $upstream
  server {
    listen 127.0.0.1:$nginx_port;
    server_name localhost;
    include $nginx_dir/certus-locations.conf;
  }
}
EOF
  local as=()
  if ((EUID == 0)); then
    chmod 755 "$nginx_dir"
    chmod 644 "$nginx_dir"/*.conf
    chown -R nobody:nogroup "$nginx_dir"
    as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  fi
  local args=(-p "$nginx_dir" -e "$nginx_dir/error.log" -c "$nginx_dir/nginx.conf")
  "${as[@]}" "$nginx_bin" -t -q "${args[@]}" 2>"$work/nginx-t.log" ||
    die "nginx -t failed: $(cat "$work/nginx-t.log")"
  "${as[@]}" "$nginx_bin" "${args[@]}" 2>>"$work/nginx.err" &
  nginx_pid=$!
  for _ in {1..100}; do
    curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$nginx_port/healthz" 2>/dev/null && return
    kill -0 "$nginx_pid" 2>/dev/null || die "nginx exited: $(cat "$nginx_dir/error.log" 2>/dev/null)"
    sleep 0.1
  done
  die "nginx did not answer /healthz"
}
stop_nginx() {
  [[ -n "$nginx_pid" ]] && stop_pid "$nginx_pid"
  nginx_pid=
  rm -rf "$nginx_dir"
  nginx_dir=
}

# --- wrk scripts of the writes ---------------------------------------------------------------
# Risk edits: `PATCH …/risks/{id}` with If-Match, the versions read just before each run
# (versions_before_run). Each wrk thread takes every threads-th risk of the pool, in order,
# so the threads' risks are disjoint and each is edited once while its slice lasts; only a
# thread that has gone through its whole slice edits a risk again, and only after that risk's
# previous answer arrived, with the version the answer's ETag gave. If-Match is therefore
# always current: any 412 or 409 is an error (non-2xx), and the run fails.
write_patch_lua() { # org auth-name output
  cat "$work/$2.lua" >"$3"
  cat >>"$3" <<EOF
dofile("$work/risks.lua")
local nthreads, base_path, stats = $threads, "/api/v1/orgs/$1/risks/", "$work/patch-stats.txt"
local counter, all = 0, {}
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(all, thread)
end
function init(args)
  queue, head, tail, again, sent, seen = {}, 1, 0, 0, 0, {}
  for i = tid + 1, #risks, nthreads do tail = tail + 1; queue[tail] = risks[i] end
end
function request()
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  h["Content-Type"] = "application/json"
  sent = sent + 1
  local r = queue[head]
  if r == nil then
    -- Every risk of the slice is in flight: a stale version, so that the run fails (412).
    r = risks[tid + 1]; h["If-Match"] = '"0"'
  else
    queue[head] = nil; head = head + 1
    h["If-Match"] = '"' .. r[2] .. '"'
    if seen[r[1]] then again = again + 1 else seen[r[1]] = true end
  end
  local body = string.format('{"description":"Edited by bench/scale.sh (thread %d, request %d)."}', tid, sent)
  return wrk.format("PATCH", base_path .. r[1], h, body)
end
function response(status, headers, body)
  if status ~= 200 then return end
  local id = body:match('^{"id":"([^"]+)"')
  local v = (headers["ETag"] or headers["etag"] or ""):match("(%d+)")
  if id and v then tail = tail + 1; queue[tail] = {id, tonumber(v)} end
end
function done(summary, latency, requests)
  local a, s = 0, 0
  for _, t in ipairs(all) do a = a + t:get("again"); s = s + t:get("sent") end
  local f = io.open(stats, "a"); f:write(string.format("%d %d\n", s, a)); f:close()
end
EOF
}

# Evidence uploads: `POST …/evidence/files` with a text file of upload_bytes as the body
# (different bytes each time: the blob store keeps one copy of identical files), linked to a
# control, the record's title in the query and the name in X-Filename.
upload_run=0
write_upload_lua() { # org control-id auth-name output
  upload_run=$((upload_run + 1))
  cat "$work/$3.lua" >"$4"
  cat >>"$4" <<EOF
local base_path = "/api/v1/orgs/$1/evidence/files?control_id=$2&title="
local run, size = $upload_run, $upload_bytes
local line = "Evidence file written by bench/scale.sh to measure uploads. 0123456789 abcdefghij.\n"
local filler = string.rep(line, math.ceil(size / #line)):sub(1, size)
local counter = 0
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
function init(args) sent = 0 end
function request()
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  sent = sent + 1
  local name = string.format("bench-upload-r%d-t%d-%d", run, tid, sent)
  local head = string.format("%s\n", name)
  h["Content-Type"] = "text/plain"
  h["X-Filename"] = name .. ".txt"
  return wrk.format("POST", base_path .. name, h, head .. filler:sub(#head + 1))
end
EOF
}

# --- one engine ------------------------------------------------------------------------------
declare -A result # engine:key -> value

bench_engine() { # engine org-size
  local e=$1 s=$2 dir="$work/$1" pw org token start
  mkdir -p "$dir"
  db_opts=()
  [[ "$e" == postgresql ]] && db_opts=(--database "$pg_url")
  result[$e:size]=$s
  pw="$dir/admin-password"
  head -c 24 /dev/urandom | base64 | tr -d '\n/+=' >"$pw"
  log "$e: init"
  "$bin" init --data-dir "$dir/data" "${db_opts[@]}" --admin-email "$admin_email" \
    --admin-password-file "$pw" --org "Bench Admin" >"$dir/init.log" 2>&1 ||
    { cat "$dir/init.log" >&2; die "certus init failed"; }
  log "$e: certus seed --org-size $s"
  start=$(now_ms)
  "$bin" seed --data-dir "$dir/data" "${db_opts[@]}" --org-size "$s" --token \
    >"$dir/seed.out" 2>"$dir/seed.err" || { tail -n 20 "$dir/seed.err" >&2; die "certus seed failed"; }
  result[$e:seed_ms]=$(($(now_ms) - start))
  org=$(sed -n 's/^org_id=//p' "$dir/seed.out" | head -n 1)
  token=$(sed -n 's/^token=//p' "$dir/seed.out" | head -n 1)
  [[ -n "$org" && -n "$token" ]] || die "certus seed printed no org_id=… and token=… lines"
  write_auth "$token" "$e"
  token=
  result[$e:seed_summary]=$(grep -E 'audit events in [0-9.]+ s' "$dir/seed.out" | head -n 1)
  rm -f "$dir/seed.out"
  result[$e:db_after_seed]=$(db_bytes "$e")

  start_server "$dir" serve
  server_pid=$started_pid server_pids=()
  local base="http://127.0.0.1:$started_port" api
  api="$base/api/v1/orgs/$org"
  result[$e:ready_ms]=$started_ms
  result[$e:idle_rss]=$(kib_of "$server_pid" VmRSS)

  # Readiness: the first request evaluates every rule; the server keeps the report until the
  # organization's audit chain grows, so the next ones read the memo.
  local times=() st sec bytes i
  for ((i = 0; i < 5; i++)); do
    read -r st sec bytes < <(request "$api/readiness" "$dir/readiness.json" -H "@$work/$e.h")
    [[ "$st" == 200 ]] || die "GET …/readiness answered $st: $(head -c 300 "$dir/readiness.json")"
    times+=("$sec")
  done
  result[$e:readiness_cold]=${times[0]}
  result[$e:readiness_memo]=$(echo "${times[*]:1}" | median)
  result[$e:readiness_verdict]=$(json_field "$dir/readiness.json" 'j["verdict"]')
  read -r st sec bytes < <(request "$api/readiness/trend" "$dir/trend.json" -H "@$work/$e.h")
  [[ "$st" == 200 ]] || die "GET …/readiness/trend answered $st"
  result[$e:trend_cold]=$sec
  log "$e: readiness first $(millis "${times[0]}"), memo $(millis "${result[$e:readiness_memo]}"); trend first $(millis "$sec")"

  # /healthz: the reference of the same run.
  scenario "$e:ref" "GET /healthz (no database)" "$base/healthz" "" "$runs" "$duration" "" ""
  local healthz_rps=${rps_median[-1]} list_rps
  list_rps=$(awk -v r="$healthz_rps" 'BEGIN { printf "%.0f", r / 4 }')
  result[$e:healthz_rps]=$healthz_rps

  # The dashboard (web/src/pages/Dashboard.svelte): its five requests one by one under load,
  # then the page as a whole.
  local dash=("/readiness" "/readiness/trend" "/tasks?overdue=true&limit=8"
    "/risks/heatmap?basis=residual&ids=false" "/soa")
  local p
  for p in "${dash[@]}"; do
    scenario "$e:dash" "GET …$p" "$api$p" "$e" "$runs" "$duration" "" ""
  done
  log "$e: the dashboard's ${#dash[@]} requests at once, $dashboards times"
  local paths=()
  for p in "${dash[@]}"; do paths+=("/api/v1/orgs/$org$p"); done
  wait_idle
  python3 "$work/helper.py" dashboard "$base" "$work/$e.h" "$dashboards" "${paths[@]}" \
    >"$dir/dashboard.txt" || die "the dashboard's requests failed"
  result[$e:dash_median]=$(median <"$dir/dashboard.txt")
  result[$e:dash_min]=$(minimum <"$dir/dashboard.txt")
  result[$e:dash_max]=$(maximum <"$dir/dashboard.txt")

  # The lists of the UI's pages, 50 rows a page, in each page's default sort.
  local due
  due=$(date -u -d '+1 year' +%F)
  local lists=(
    "/risks?limit=50&sort=-inherent_score|risk register, the default order"
    "/risks?limit=50&sort=-inherent_score&treatment=mitigate|… &treatment=mitigate"
    "/risks?limit=50&sort=-inherent_score&level=High|… &level=High"
    "/risks?limit=50&sort=-updated_at&status=open|… &status=open, sorted by -updated_at"
    "/controls?limit=50&sort=ref_id|SoA page: controls"
    "/tasks?due_before=$due&limit=100|Tasks page: duties due within a year, 100 a page"
    "/evidence?limit=50&sort=-created_at|evidence"
    "/documents?limit=50&sort=ref|documents"
    "/assets?limit=50&sort=ref|assets"
  )
  local entry
  result[$e:too_large]=''
  for entry in "${lists[@]}"; do
    read -r st sec bytes < <(request "$api${entry%%|*}" "$dir/list.json" -H "@$work/$e.h")
    [[ "$st" == 200 ]] || die "GET …${entry%%|*} answered $st: $(head -c 300 "$dir/list.json")"
    result[$e:bytes:${entry%%|*}]=$bytes
    if ((bytes > wrk_max_bytes)); then
      # 64 connections each holding an answer this large would measure memory, not the list:
      # one request at a time instead, and the list target is missed.
      times=()
      for ((i = 0; i < export_runs; i++)); do
        read -r st sec bytes < <(request "$api${entry%%|*}" "$dir/list.json" -H "@$work/$e.h")
        [[ "$st" == 200 ]] || die "GET …${entry%%|*} answered $st"
        times+=("$sec")
      done
      result[$e:too_large]+="GET …${entry%%|*} (${entry#*|}): $(bytes_h "$bytes") per answer, over BENCH_SCALE_WRK_MAX_BYTES; not run under wrk; one request at a time: median $(millis "$(echo "${times[*]}" | median)") of $export_runs."$'\n'
      log "$e: ${entry%%|*}: $bytes bytes, not under wrk; median $(millis "$(echo "${times[*]}" | median)")"
      continue
    fi
    scenario "$e:list" "GET …${entry%%|*} (${entry#*|})" "$api${entry%%|*}" "$e" "$runs" "$duration" 25 "$list_rps"
  done
  result[$e:bytes:/soa]=$(curl -sS -o /dev/null -w '%{size_download}' -H "@$work/$e.h" "$api/soa")
  result[$e:bytes:/tasks?overdue=true&limit=8]=$(curl -sS -o /dev/null -w '%{size_download}' -H "@$work/$e.h" "$api/tasks?overdue=true&limit=8")

  # Writes.
  write_scenarios "$e" "$base" "$org" "$e:write" 2000 "$dir"

  # Exports, one request at a time.
  local ex
  for ex in "risks/export?format=xlsx|risk register, XLSX" "soa/export?format=xlsx|SoA, XLSX" \
    "soa/export?format=pdf|SoA, PDF" "certification-pack|certification pack, ZIP"; do
    times=()
    for ((i = 0; i < export_runs; i++)); do
      server_alive
      read -r st sec bytes < <(request "$api/${ex%%|*}" "$dir/export.bin" -H "@$work/$e.h")
      [[ "$st" == 200 ]] || die "GET …/${ex%%|*} answered $st: $(head -c 300 "$dir/export.bin")"
      times+=("$sec")
    done
    [[ "$(head -c 2 "$dir/export.bin")" == PK || "$(head -c 5 "$dir/export.bin")" == %PDF- ]] ||
      die "GET …/${ex%%|*} is neither a zip file nor a PDF"
    result[$e:export:${ex#*|}]="$(echo "${times[*]}" | median) $bytes $(for t in "${times[@]}"; do millis "$t"; printf ', '; done)"
    log "$e: ${ex#*|}: median $(millis "$(echo "${times[*]}" | median)"), $bytes bytes"
  done
  result[$e:peak_rss]=$(kib_of "$server_pid" VmHWM)
  result[$e:end_rss]=$(kib_of "$server_pid" VmRSS)

  if [[ "$e" == postgresql && "$cluster" == yes ]]; then
    cluster_scenarios "$e" "$dir" "$org" "$base"
  fi
  stop_pid "$server_pid"
  result[$e:db_end]=$(db_bytes "$e")
}

db_bytes() { # engine
  if [[ "$1" == sqlite ]]; then
    local f total=0
    for f in "$work/sqlite/data/certus.db" "$work/sqlite/data/certus.db-wal"; do
      [[ -f "$f" ]] && total=$((total + $(stat -c %s "$f")))
    done
    echo "$total"
  else
    psql "$pg_url" -X -A -t -c 'SELECT pg_database_size(current_database())'
  fi
}

# The two writes under wrk, against base (one server, or nginx): risk edits, evidence uploads.
write_scenarios() { # engine base org group rps-target dir
  local e=$1 base=$2 org=$3 grp=$4 target=$5 dir=$6 st control
  # One edit and one upload by curl first: both must succeed.
  python3 "$work/helper.py" versions "$base" "$org" "$work/$e.h" 1 "$work/risks.lua" >/dev/null ||
    die "reading the risks' versions failed"
  local rid rv
  read -r rid rv < <(sed -n 's/^{"\([^"]*\)", \([0-9]*\)},$/\1 \2/p' "$work/risks.lua" | head -n 1)
  read -r st _ _ < <(request "$base/api/v1/orgs/$org/risks/$rid" "$dir/check.json" -X PATCH \
    -H "@$work/$e.h" -H "If-Match: \"$rv\"" -H 'Content-Type: application/json' \
    --data '{"description":"Edited by bench/scale.sh (check)."}')
  [[ "$st" == 200 ]] || die "PATCH …/risks/$rid answered $st: $(head -c 300 "$dir/check.json")"
  read -r st _ _ < <(request "$base/api/v1/orgs/$org/controls?limit=1" "$dir/check.json" -H "@$work/$e.h")
  [[ "$st" == 200 ]] || die "GET …/controls answered $st"
  control=$(json_field "$dir/check.json" 'j["items"][0]["id"]')
  read -r st _ _ < <(request "$base/api/v1/orgs/$org/evidence/files?title=bench-upload-check&control_id=$control" \
    "$dir/check.json" -H "@$work/$e.h" -H 'X-Filename: bench-upload-check.txt' \
    -H 'Content-Type: text/plain' --data-binary 'A check of the upload by bench/scale.sh.')
  [[ "$st" == 201 ]] || die "POST …/evidence/files answered $st: $(head -c 300 "$dir/check.json")"

  patch_base=$base patch_org=$org patch_auth=$e
  : >"$work/patch-stats.txt"
  scenario_no_check=1 scenario_before_run=versions_before_run
  scenario "$grp" "PATCH …/risks/{id} with If-Match (a description)" \
    "$base/api/v1/orgs/$org/risks/" patch "$runs" "$duration" "" "$target"
  upload_org=$org upload_control=$control upload_auth=$e
  scenario_before_run=upload_before_run
  scenario "$grp" "POST …/evidence/files ($(bytes_h "$upload_bytes") text file, linked to a control)" \
    "$base/api/v1/orgs/$org/evidence/files" upload "$runs" "$duration" "" ""
  scenario_no_check='' scenario_before_run=''
  # Sent requests and edits of a risk already edited in the run, per run (warm-up first).
  result[$grp:patch_stats]=$(tr '\n' ';' <"$work/patch-stats.txt")
}
versions_before_run() {
  local n
  n=$(python3 "$work/helper.py" versions "$patch_base" "$patch_org" "$work/$patch_auth.h" \
    "$patch_pool" "$work/risks.lua") || die "reading the risks' versions failed"
  ((n >= 4 * connections)) || die "only $n risks to edit; at least 4 × $connections needed"
  patch_pool_used=$n
  write_patch_lua "$patch_org" "$patch_auth" "$work/patch.lua"
  wait_idle
}
upload_before_run() { write_upload_lua "$upload_org" "$upload_control" "$upload_auth" "$work/upload.lua"; }

# PostgreSQL: the lists and writes through nginx in front of one instance, then two.
cluster_scenarios() { # engine dir org direct-base
  local e=$1 dir=$2 org=$3 direct=$4 n p api
  local subset=("/risks?limit=50&sort=-inherent_score|risk register" "/evidence?limit=50&sort=-created_at|evidence"
    "/assets?limit=50&sort=ref|assets")
  local ports=()
  ports=("${direct##*:}")
  for n in 1 2; do
    if ((n == 2)); then
      start_server "$dir" serve-2 --trusted-proxy 127.0.0.1
      ports+=("$started_port")
      server_pids=("$server_pid" "$started_pid")
    fi
    start_nginx "${ports[@]}"
    log "$e: nginx in front of $n instance(s)"
    api="http://127.0.0.1:$nginx_port/api/v1/orgs/$org"
    for p in "${subset[@]}"; do
      scenario "$e:cluster$n" "GET …${p%%|*} (${p#*|})" "$api${p%%|*}" "$e" "$runs" "$duration" "" ""
    done
    write_scenarios "$e" "http://127.0.0.1:$nginx_port" "$org" "$e:cluster$n" "" "$dir"
    stop_nginx
  done
  result[$e:peak_rss_2]=$(kib_of "${server_pids[1]}" VmHWM)
  stop_pid "${server_pids[1]}"
  server_pids=()
}

engine_size() { if [[ "$1" == postgresql ]]; then echo "$pg_size"; else echo "$size"; fi; }
for e in $engines; do
  bench_engine "$e" "$(engine_size "$e")"
done

# --- report ------------------------------------------------------------------------------------
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- 2>/dev/null || commit="$commit (with uncommitted changes)"
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
memory=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
engine_label() { if [[ "$1" == postgresql ]]; then echo "PostgreSQL"; else echo "SQLite"; fi; }
# The index of a scenario by group and name prefix.
find_scenario() { # group name-prefix
  local i
  for i in "${!names[@]}"; do
    [[ "${group[$i]}" == "$1" && "${names[$i]}" == "$2"* ]] && { echo "$i"; return; }
  done
  echo ""
}
# The lowest requests/s of a group: sets low_rps and low_name.
lowest() { # group
  local i
  low_rps='' low_name=''
  for i in "${!names[@]}"; do
    [[ "${group[$i]}" == "$1" ]] || continue
    if [[ -z "$low_rps" ]] || awk -v a="${rps_median[$i]}" -v b="$low_rps" 'BEGIN { exit !(a < b) }'; then
      low_rps=${rps_median[$i]} low_name=${names[$i]}
    fi
  done
}

mkdir -p bench/results
out="bench/results/$stamp-scale.md"
{
  echo "# Certus scale benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "\`make bench\` (bench/scale.sh, issue 8): the release binary over HTTP on loopback, against an"
  echo "installation seeded by \`certus seed\`: $(for e in $engines; do printf '%s at size **%s**, ' "$(engine_label "$e")" "${result[$e:size]}"; done | sed 's/, $//')."
  echo "wrk, curl and the server share the machine's $(nproc) cores, and on a"
  echo "shared VM other work runs beside them (load average at the end: $load), so every figure is"
  echo "a noisy ceiling for latency and a floor for throughput. Medians throughout. The issue's"
  echo "targets are set for size L on SQLite; they are marked on every run, whatever its size."
  echo
  echo "## Targets"
  echo
  echo "| engine, size | target (issue 8) | what is measured | figure | target | result |"
  echo "|---|---|---|---:|---|---|"
  for e in $engines; do
    el="$(engine_label "$e"), ${result[$e:size]}"
    lowest "$e:list"
    printf '| %s | list throughput | the slowest of %d list scenarios (%s) against `/healthz` of the same run (%.0f requests/s) | %.0f requests/s (%.2f of /healthz) | ≥ ¼ of /healthz | %s |\n' \
      "$el" "$(for i in "${!names[@]}"; do [[ "${group[$i]}" != "$e:list" ]] || echo; done | wc -l)" \
      "$low_name" "${result[$e:healthz_rps]}" "$low_rps" \
      "$(awk -v a="$low_rps" -v b="${result[$e:healthz_rps]}" 'BEGIN { printf "%.2f", a / b }')" \
      "$(mark "$low_rps" '>=' "$(awk -v b="${result[$e:healthz_rps]}" 'BEGIN { print b / 4 }')")"
    if [[ -n "${result[$e:too_large]}" ]]; then
      printf '| %s | list endpoints | answers too large to run under wrk (below) | %d | all lists measured | **miss** |\n' \
        "$el" "$(grep -c . <<<"${result[$e:too_large]}")"
    fi
    worst "$e:list"
    printf '| %s | list latency at %d connections | the worst p99 of the list scenarios (%s) | %s%.2f ms | p99 < 25 ms | %s |\n' \
      "$el" "$connections" "$worst_name" "$worst_bound" "$worst_p99" "$(mark "$worst_p99" '<' 25)"
    printf '| %s | dashboard | its 5 requests at once, one dashboard at a time; median of %d (min %s, max %s) | %s | < 100 ms | %s |\n' \
      "$el" "$dashboards" "$(millis "${result[$e:dash_min]}")" "$(millis "${result[$e:dash_max]}")" \
      "$(millis "${result[$e:dash_median]}")" "$(mark "${result[$e:dash_median]}" '<' 0.1)"
    i=$(find_scenario "$e:write" "PATCH")
    printf '| %s | writes | risk edits, `PATCH …/risks/{id}` with If-Match, %d connections | %.0f requests/s | ≥ 2,000/s | %s |\n' \
      "$el" "$connections" "${rps_median[$i]}" "$(mark "${rps_median[$i]}" '>=' 2000)"
    printf '| %s | server memory | peak RSS (VmHWM) of the server after every scenario | %s | < 300 MB (286 MiB) | %s |\n' \
      "$el" "$(mib_of "${result[$e:peak_rss]}")" "$(mark "${result[$e:peak_rss]}" '<' 292969)"
  done
  for e in $engines; do
    el=$(engine_label "$e")
    echo
    echo "## $el, size ${result[$e:size]}"
    echo
    echo "\`wrk -t$threads -c$connections -d$duration --latency\` (keep-alive connections), $runs runs per"
    echo "scenario after a $warmup warm-up, a manager API token; \"answers\" is the total of the runs,"
    echo "every other column the median of the runs. The list target is ≥ ¼ of \`/healthz\` and p99 < 25 ms."
    echo
    wrk_table "$e:ref|$e:dash|$e:list|$e:write"
    echo
    if [[ -n "${result[$e:too_large]}" ]]; then
      printf -- '- %s\n' "${result[$e:too_large]%$'\n'}" | sed 's/^\([^-]\)/- \1/'
      echo
    fi
    echo "| answer sizes | bytes |"
    echo "|---|---:|"
    for k in "${!result[@]}"; do
      if [[ "$k" == "$e:bytes:"* ]]; then
        printf '| `…%s` | %s |\n' "${k#"$e:bytes:"}" "$(commas "${result[$k]}")"
      fi
    done | sort
    echo
    echo "Risk edits: the $threads wrk threads share a pool of $patch_pool_used risks (one risk in $threads each, read"
    echo "with their versions before each run), each edited once while its share lasts; a thread that has gone"
    echo "through its share edits a risk again only after that risk's previous answer, with the"
    echo "version its ETag gave. Requests sent and edits of an already edited risk, per run (the"
    echo "warm-up first): $(sed 's/\([0-9]*\) \([0-9]*\);/\1 sent, \2 again; /g' <<<"${result[$e:write:patch_stats]}" | sed 's/; $//')."
    echo
    echo "| single requests | figure |"
    echo "|---|---|"
    echo "| readiness, the first request (evaluates; verdict ${result[$e:readiness_verdict]}) | $(millis "${result[$e:readiness_cold]}") |"
    echo "| readiness, the memo (median of the next 4) | $(millis "${result[$e:readiness_memo]}") |"
    echo "| readiness trend (30 days), the first request | $(millis "${result[$e:trend_cold]}") |"
    echo "| the dashboard, its 5 requests at once (median, min, max of $dashboards) | $(millis "${result[$e:dash_median]}"), $(millis "${result[$e:dash_min]}"), $(millis "${result[$e:dash_max]}") |"
    for k in "risk register, XLSX" "SoA, XLSX" "SoA, PDF" "certification pack, ZIP"; do
      read -r med bytes rest <<<"${result[$e:export:$k]}"
      echo "| export: $k ($(bytes_h "$bytes")), median of $export_runs (runs ${rest%,}) | $(millis "$med") |"
    done
    echo
    echo "| server and data | |"
    echo "|---|---|"
    echo "| \`certus seed --org-size ${result[$e:size]}\` | $(seconds "$(awk -v m="${result[$e:seed_ms]}" 'BEGIN { print m / 1000 }')") (${result[$e:seed_summary]}) |"
    echo "| database after seeding$([[ $e == sqlite ]] && echo " (certus.db + WAL)" || echo " (pg_database_size)") | $(bytes_h "${result[$e:db_after_seed]}") |"
    echo "| database at the end | $(bytes_h "${result[$e:db_end]}") |"
    echo "| time to ready | ${result[$e:ready_ms]} ms |"
    echo "| RSS when ready (VmRSS) | $(mib_of "${result[$e:idle_rss]}") |"
    echo "| RSS at the end (VmRSS) | $(mib_of "${result[$e:end_rss]}") |"
    echo "| peak RSS (VmHWM) | $(mib_of "${result[$e:peak_rss]}") |"
    if [[ "$e" == postgresql && "$cluster" == yes ]]; then
      echo
      echo "### Two instances behind nginx"
      echo
      echo "nginx (\`worker_processes auto\`, access log off) with deploy/nginx/certus-locations.conf and"
      echo "the upstream of certus-upstream.conf, in front of the instance above, then of it and a"
      echo "second \`certus serve\` on the same database and data directory. Everything shares the same"
      echo "$(nproc) cores: a second instance adds no CPU here, so the ratio shows what the proxy and a"
      echo "second process cost or gain on one machine, not what a second machine would."
      echo
      echo "| scenario | one instance, direct | nginx + one | nginx + two | two / one (behind nginx) |"
      echo "|---|---:|---:|---:|---:|"
      for i in "${!names[@]}"; do
        [[ "${group[$i]}" == "$e:cluster1" ]] || continue
        local_name=${names[$i]}
        d=$(find_scenario "$e:list" "$local_name")
        [[ -z "$d" ]] && d=$(find_scenario "$e:write" "$local_name")
        [[ -z "$d" ]] && d=$(find_scenario "$e:list" "${local_name%% (*}")
        j=$(find_scenario "$e:cluster2" "$local_name")
        printf '| %s | %s | %.0f | %.0f | %.2f |\n' "$local_name" \
          "$([[ -n "$d" ]] && printf '%.0f' "${rps_median[$d]}" || echo —)" "${rps_median[$i]}" \
          "${rps_median[$j]}" "$(awk -v a="${rps_median[$j]}" -v b="${rps_median[$i]}" 'BEGIN { print (b > 0) ? a / b : 0 }')"
      done
      echo
      echo "requests/s, medians of $runs runs. Details, nginx in front of one instance:"
      echo
      wrk_table "$e:cluster1"
      echo
      echo "nginx in front of two instances:"
      echo
      wrk_table "$e:cluster2"
      echo
      echo "Peak RSS of the second instance: $(mib_of "${result[$e:peak_rss_2]}")."
    fi
  done
  echo
  echo "| machine | |"
  echo "|---|---|"
  echo "| CPUs (nproc) | $(nproc) |"
  echo "| CPU | ${cpu:-unknown} |"
  echo "| memory | $memory |"
  echo "| kernel | $(uname -sr) |"
  echo "| load average at the end | $load |"
  echo "| commit | $commit |"
  echo "| binary | $bin |"
  echo "| wrk | $( (wrk -v 2>&1 || true) | head -n 1 | awk '{ print $2 }') |"
  [[ " $engines " == *" postgresql "* ]] &&
    echo "| PostgreSQL | $(psql "$pg_url" -X -A -t -c 'SHOW server_version') (scripts/with-postgres.sh: loopback, fsync off) |"
  [[ " $engines " == *" postgresql "* && "$cluster" == yes ]] &&
    echo "| nginx | $("$nginx_bin" -v 2>&1 | sed 's/.*version: //') |"
  echo "| the whole bench/scale.sh | $((($(now_ms) - bench_start_ms) / 1000)) s |"
} >"$out.tmp"
mv "$out.tmp" "$out"
echo
cat "$out"
echo
log "wrote $out"

for i in "${!names[@]}"; do
  if ((non2xx_total[i] + errors_total[i] > 0)); then
    die "${names[$i]} (${group[$i]}): ${non2xx_total[$i]} non-2xx answers and ${errors_total[$i]} socket errors; the numbers above are not valid"
  fi
done
