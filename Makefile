# Certus entry points for developers and CI. Each target installs and builds what it needs.
#   make deps          missing Debian packages (apt-get) and the npm packages of web/
#   make build         release server (build/release/certus) and web UI (web/dist)
#   make run           build, then serve http://127.0.0.1:8080 with SQLite in ./data
#   make test          everything CI checks: ASan+UBSan tests on SQLite and PostgreSQL
#                      (Clang build, ADR 0014) and the libFuzzer targets for a bounded
#                      time, browser and CLI tests against the same ASan+UBSan binary,
#                      with clang-tidy alongside both, the two-instance cluster test
#                      (make test-cluster); clang-format
#   make test-tsan     the server under ThreadSanitizer and concurrent load, on SQLite and
#                      PostgreSQL (ADR 0021)
#   make bench         every performance target of the issues, end to end over HTTP
#                      against a release build (wrk, curl), and Google Benchmark
#                      functions; results in bench/results/ (see bench/README.md)
#   make format        clang-format -i over the tracked C++ sources
#   make lint          clang-tidy over the tracked C++ sources
# Variables: JOBS=n limits build parallelism (default: Ninja's choice);
#            CTEST_JOBS=n runs n test processes at once (default 2).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build
# Stages run one after the other, in the order written, even under `make -j`.
.NOTPARALLEL:

# The browser tests run the ASan+UBSan server: one build less for `make test` than a release
# build would cost, and the sanitizers watch every flow the browser drives.
CERTUS_TEST_BIN := $(CURDIR)/build/asan/certus
CTEST_JOBS ?= 2
build_jobs := $(if $(JOBS),--parallel $(JOBS))
cxx_sources = $(wildcard $(shell git ls-files -- 'src/*.cpp' 'src/*.hpp' \
                'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp' 'fuzz/*.cpp' 'fuzz/*.hpp'))
# Each stage's banner carries the time of day, so that a CI log shows where the minutes go.
stage = @printf '\n==> %s [%s]\n' "$(1)" "$$(date -u +%T)"

.PHONY: deps build build-server build-web run test test-build test-sqlite test-postgres \
        test-e2e test-and-lint test-tsan test-cluster bench format format-check lint clean

deps:
	$(call stage,deps: Debian packages and npm packages of web/)
	bash scripts/deps.sh

build: deps build-server build-web

build-server:
	$(call stage,build: release server -> build/release/certus)
	cmake --preset release
	cmake --build --preset release $(build_jobs)

build-web:
	$(call stage,build: web UI -> web/dist)
	npm --prefix web run build

run: build
	$(call stage,run: http://127.0.0.1:8080)
	bash scripts/run.sh

test: deps build-web test-build test-and-lint format-check
	$(call stage,test: all stages passed)

# The tests leave CPU idle (PostgreSQL round trips, the browser); clang-tidy takes it,
# niced so that the tests come first, from the end of the build until both are done. Its
# output is shown at the end.
test-and-lint:
	@mkdir -p build
	@$(MAKE) --no-print-directory lint > build/lint.log 2>&1 & lint=$$!; \
	  status=0; $(MAKE) --no-print-directory test-postgres test-e2e test-cluster || status=$$?; \
	  lint_status=0; wait $$lint || lint_status=$$?; cat build/lint.log; \
	  if [ $$lint_status -ne 0 ]; then echo "lint: clang-tidy found problems" >&2; fi; \
	  [ $$status -eq 0 ] && [ $$lint_status -eq 0 ]

test-build:
	$(call stage,test: ASan+UBSan build -> build/asan)
	cmake --preset asan
	cmake --build --preset asan $(build_jobs)

# SQLite only, for a quick local run; `make test` runs both engines in test-postgres.
test-sqlite:
	$(call stage,test: unit and API tests under ASan+UBSan with SQLite)
	env -u CERTUS_TEST_PG ctest --preset asan --parallel $(CTEST_JOBS)

test-postgres:
	$(call stage,test: unit and API tests under ASan+UBSan with SQLite and PostgreSQL 15)
	bash scripts/with-postgres.sh ctest --preset asan --parallel $(CTEST_JOBS)

test-e2e:
	$(call stage,test: browser and CLI tests in Chromium against build/asan/certus)
	CERTUS_BIN=$(CERTUS_TEST_BIN) npm --prefix web run e2e

# The server alone under ThreadSanitizer (ADR 0021): `certus` only (build/tsan, -O1),
# then concurrent clients, the job runner, the integrity check and online backups against
# `certus serve` on SQLite and on PostgreSQL; any data race fails it.
test-tsan: deps
	$(call stage,test-tsan: ThreadSanitizer build -> build/tsan/certus)
	cmake --preset tsan
	cmake --build --preset tsan $(build_jobs) --target certus
	$(call stage,test-tsan: certus serve under concurrent load on SQLite and PostgreSQL 15)
	CERTUS_BIN=$(CURDIR)/build/tsan/certus bash scripts/with-postgres.sh node tests/load/tsan-load.mjs

# Scale-out (deploy/README.md): PostgreSQL 15, two instances of the ASan+UBSan server and nginx
# on loopback; concurrent clients through nginx while one instance is killed and restarted.
test-cluster:
	$(call stage,test: two instances on PostgreSQL 15 behind nginx, one killed mid-way)
	CERTUS_BIN=$(CERTUS_TEST_BIN) bash scripts/with-postgres.sh node --test tests/cluster/cluster.test.mjs

# The bench preset builds the release server and the Google Benchmark functions together.
bench: deps
	$(call stage,bench: release build with benchmarks -> build/bench)
	cmake --preset bench
	cmake --build --preset bench $(build_jobs)
	$(call stage,bench: HTTP scenarios against build/bench/certus and in-process function benchmarks)
	CERTUS_BIN=$(CURDIR)/build/bench/certus \
	  CERTUS_FUNCTION_BENCH=$(CURDIR)/build/bench/bench/certus_bench bash bench/run.sh
	CERTUS_BIN=$(CURDIR)/build/bench/certus bash bench/scale.sh

format:
	$(call stage,format: clang-format -i)
	$(if $(cxx_sources),clang-format -i $(cxx_sources))

format-check:
	$(call stage,format-check: clang-format $(shell clang-format --version | grep -o '[0-9][0-9.]*' | head -1))
	$(if $(cxx_sources),clang-format --dry-run --Werror $(cxx_sources))

# clang-tidy (.clang-tidy) over the tracked sources of the server, the benchmarks and the
# fuzz targets, two at a time, with the compile commands and precompiled headers of the ASan
# build (built first; nothing to do in `make test`); any finding fails. Test code is left
# out: it runs under ASan and UBSan in every `make test`, which catch at run time what the
# bugprone checks look for, and its gtest-heavy files cost a third of the lint's time.
lint_sources = $(filter-out tests/% %_test.cpp,$(filter %.cpp,$(cxx_sources)))
lint:
	$(call stage,lint: clang-tidy)
	cmake --preset asan > /dev/null
	cmake --build --preset asan $(build_jobs) # the precompiled headers the compile commands name
	printf '%s\n' $(lint_sources) | \
	  xargs -P 2 -n 4 nice -n 10 clang-tidy -p build/asan --quiet --warnings-as-errors='*' 2>/dev/null

clean:
	$(call stage,clean: build/ and web/dist (./data is kept))
	rm -rf build web/dist
