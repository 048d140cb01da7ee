#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#
# Runs CMD with CERTUS_TEST_PG=postgresql://postgres@127.0.0.1:PORT/certus_test pointing at a
# throwaway PostgreSQL 15 cluster, made for this run in a fresh temporary directory and
# removed afterwards, whatever happens. Exits with CMD's status. The cluster listens on
# 127.0.0.1 only, on a free random port, trusts local connections and does not fsync: it is
# for tests, never for data. Installs nothing (scripts/deps.sh does: postgresql-15).
#
# PostgreSQL refuses to run as root; as root, the cluster runs as the `postgres` system user
# (created when missing) while CMD still runs as root.
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

pg_bin=/usr/lib/postgresql/15/bin
if [[ ! -x "$pg_bin/initdb" ]]; then
  echo "with-postgres: $pg_bin/initdb not found; install postgresql-15 (make deps)" >&2
  exit 1
fi

as_cluster_owner=()
tmp_root=${TMPDIR:-/tmp}
if ((EUID == 0)); then
  if ! id -u postgres >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
      --shell /usr/sbin/nologin postgres
  fi
  as_cluster_owner=(runuser -u postgres --)
  tmp_root=/tmp # root's TMPDIR may be a directory the postgres user cannot enter
fi

dir=$(mktemp -d "$tmp_root/certus-pg.XXXXXX")
data="$dir/data"
log="$dir/server.log"
started=false

cleanup() {
  local status=$?
  if $started; then
    "${as_cluster_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 ||
      echo "with-postgres: warning: could not stop the cluster in $dir" >&2
  fi
  rm -rf "$dir"
  return $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ((EUID == 0)); then
  chown postgres:postgres "$dir"
fi
chmod 700 "$dir"

if ! "${as_cluster_owner[@]}" "$pg_bin/initdb" -D "$data" -U postgres --auth=trust \
  --locale=C.UTF-8 -E UTF8 --no-sync >"$dir/initdb.log" 2>&1; then
  echo "with-postgres: initdb failed:" >&2
  cat "$dir/initdb.log" >&2
  exit 1
fi

mkdir "$dir/socket"
if ((EUID == 0)); then
  chown postgres:postgres "$dir/socket"
fi
cat >>"$data/postgresql.conf" <<EOF

# scripts/with-postgres.sh: a throwaway cluster for tests.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF

port_is_taken() {
  # A successful connect means something already listens there.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port=
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  candidate=$((20000 + (RANDOM * 32768 + RANDOM) % 40001))
  port_is_taken "$candidate" && continue
  rm -f "$log"
  if "${as_cluster_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$log" -o "-p $candidate" \
    -w -t 60 start >/dev/null 2>&1; then
    started=true
    port=$candidate
    break
  fi
  # Someone may have taken the port between the check and the start: try another one.
  if ! grep -qE 'could not bind|Address already in use' "$log" 2>/dev/null; then
    break
  fi
  echo "with-postgres: port $candidate was taken (attempt $attempt), trying another" >&2
done

if ! $started; then
  echo "with-postgres: PostgreSQL did not start; server log ($log):" >&2
  cat "$log" >&2 2>/dev/null || echo "(no server log)" >&2
  exit 1
fi

if ! "${as_cluster_owner[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres \
  certus_test; then
  echo "with-postgres: createdb failed; server log:" >&2
  cat "$log" >&2
  exit 1
fi

export CERTUS_TEST_PG="postgresql://postgres@127.0.0.1:$port/certus_test"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$port, CERTUS_TEST_PG=$CERTUS_TEST_PG" >&2

set +e
"$@"
status=$?
set -e
exit $status
