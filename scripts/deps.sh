#!/usr/bin/env bash
# Installs what Certus needs to build, test and benchmark, and nothing that is already there:
# the Debian packages below (apt-get, through sudo when not root) and the npm packages of web/.
# Idempotent, and quick when everything is present: no apt-get update, no npm run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Keep in step with DESIGN.md section 2 "Dependencies": a new library goes here and in CMake.
build_packages=(
  build-essential cmake ninja-build pkg-config git clang clang-format clang-tidy
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libexpected-dev
  libfmt-dev libspdlog-dev libcli11-dev libsqlite3-dev libpq-dev libsodium-dev libssl-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libxlsxwriter-dev libcairo2-dev libpango1.0-dev
  libminizip-dev liboath-dev libjemalloc-dev
  fonts-dejavu-core
  libgtest-dev libgmock-dev libbenchmark-dev
)
test_packages=(postgresql-15 postgresql-client-15 chromium sqlite3 poppler-utils unzip
  python3-jsonschema openssl python3-aiosmtpd nginx)
bench_packages=(wrk curl python3) # python3: bench/seed.py, bench/make_risks_csv.py

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

missing=()
for package in "${build_packages[@]}" "${test_packages[@]}" "${bench_packages[@]}"; do
  is_installed "$package" || missing+=("$package")
done
# A Node.js that is already on the machine (maybe not Debian's) is kept as it is.
if ! command -v node >/dev/null; then
  missing+=(nodejs npm)
elif ! command -v npm >/dev/null; then
  missing+=(npm)
fi

if ((${#missing[@]} > 0)); then
  echo "deps: installing Debian packages: ${missing[*]}"
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" </dev/null
else
  echo "deps: all Debian packages present"
fi

# npm packages of the web UI. node_modules/.package-lock.json is written by npm after an
# install; when it is newer than package.json and the lock file, nothing changed since.
if [[ ! -f web/package.json ]]; then
  echo "deps: web/package.json not found, no npm packages to install"
elif [[ -f web/node_modules/.package-lock.json &&
  web/node_modules/.package-lock.json -nt web/package.json &&
  (! -f web/package-lock.json || web/node_modules/.package-lock.json -nt web/package-lock.json) ]]; then
  echo "deps: web/node_modules up to date"
elif [[ -f web/package-lock.json ]]; then
  echo "deps: npm ci in web/"
  npm --prefix web ci --no-audit --no-fund </dev/null
else
  echo "deps: npm install in web/ (no package-lock.json yet: commit the one it writes)"
  npm --prefix web install --no-audit --no-fund </dev/null
fi
