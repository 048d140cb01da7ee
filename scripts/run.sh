#!/usr/bin/env bash
# `make run`: starts the release build of Certus on http://127.0.0.1:8080 with the embedded
# SQLite database in ./data (or $CERTUS_DATA_DIR). The first start creates the database and
# the administrator; `certus init` prints the generated password once.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=build/release/certus
data_dir=${CERTUS_DATA_DIR:-data}
listen=127.0.0.1:8080
admin_email=admin@example.com

[[ -x "$bin" ]] || { echo "run: $bin not found; run 'make build' first" >&2; exit 1; }
[[ -f web/dist/index.html ]] || echo "run: warning: web/dist is not built; only the API will answer" >&2

if [[ ! -f "$data_dir/certus.db" ]]; then
  echo "run: first start, creating $data_dir"
  mkdir -p "$data_dir"
  "$bin" init --data-dir "$data_dir" --admin-email "$admin_email" --org "Example Organization"
  echo
  echo "run: sign in at http://$listen as $admin_email with the password printed above."
  echo "     It is shown only this once: keep it now."
else
  echo "run: using $data_dir; sign in at http://$listen as $admin_email"
  echo "     with the password that the first start printed"
fi
echo "     Try \`$bin demo --data-dir $data_dir\` for a sample organization (Northwind Cloud)."
echo

exec "$bin" serve --data-dir "$data_dir" --listen "$listen" --web-dir web/dist
