# The two commands a newcomer types: `make generate` and `make test`; `make` alone lists the targets.
# Everything else (virtualenv, pinned tools) is bootstrapped on first use.

.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < requirements.lock | cut -d' ' -f1)
RUN := PYTHONPATH=scripts $(BIN)/python

SPEC ?= spec
OUT ?= generated
# Empty: the config beside the spec (clientgen.toml or config.toml), else everything from the description.
CONFIG ?=
DIST ?= dist
# Results of earlier generations, reused when their input is unchanged (incremental regeneration); NO_CACHE=1: none.
CACHE ?= .clientgen-cache
CACHE_ARGS = $(if $(NO_CACHE),--no-cache,--cache-dir $(CACHE))
# The shared corpus (real Cloudflare specs); tests that need it skip when it is absent.
CLOUDFLARE_CORPUS ?= $(abspath ../shared)
export CLOUDFLARE_CORPUS

.PHONY: help generate test test-suite test-slow check snapshot changelog bench bench-incremental bench-scale bench-call bench-import bench-churn bench-review clean dist publish conformance

## help: list the targets (what `make` alone does)
help:
	@echo "clientgen: a typed Python client package from an OpenAPI description. Targets (make <target>):"
	@sed -n 's/^## \([a-z-]*\): \(.*\)/\1|\2/p' $(firstword $(MAKEFILE_LIST)) | awk -F'|' '{ printf "  %-14s %s\n", $$1, $$2 }'

$(STAMP): requirements.lock
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required") if sys.version_info < (3, 11) else None'
	@echo "bootstrap (once, about 1-2 minutes): installing requirements.lock into $(VENV)/: datamodel-code-generator and ruff to generate, mypy, pytest and openapi-python-client to test, build and twine to release"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

## generate: regenerate the client package from the spec (SPEC=, OUT=, CONFIG= to override; FORCE=1: write into a folder clientgen did not write; CACHE=<dir> or NO_CACHE=1)
generate: $(STAMP)
	$(RUN) -m clientgen generate --spec $(SPEC) --out $(OUT) $(if $(CONFIG),--config $(CONFIG)) $(if $(FORCE),--force) $(CACHE_ARGS)

## changelog: the client API's changelog between two specs: make changelog OLD=<spec> NEW=<spec> [CHANGELOG=<file>]
changelog: $(STAMP)
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "usage: make changelog OLD=<spec> NEW=<spec> [CHANGELOG=<file>]" >&2; exit 2; }
	$(RUN) -m clientgen changelog --old $(OLD) --new $(NEW) $(if $(CONFIG),--config $(CONFIG)) $(if $(CHANGELOG),--output $(CHANGELOG))

## snapshot: same as generate: the golden tree is the committed generated/ folder
snapshot: generate

## check: generated/ is up to date, the code lints and type-checks
check: $(STAMP)
	$(RUN) -m clientgen check --spec $(SPEC) --out $(OUT) $(if $(CONFIG),--config $(CONFIG)) $(CACHE_ARGS)
	$(BIN)/ruff check scripts tests benchmarks
	$(BIN)/ruff format --check scripts tests benchmarks
	$(BIN)/mypy --strict scripts/clientgen
	$(BIN)/mypy --strict --cache-dir .mypy_cache/generated $(OUT)/src

# pytest-xdist workers for `make test`: one per core (auto); TEST_WORKERS=0 runs the tests in one process.
TEST_WORKERS ?= auto
# More pytest options for `make test`, e.g. PYTEST_ARGS="--durations=40" or "-k cache".
PYTEST_ARGS ?=

## test: check and the test suite at once, on every core, but the slow tests (ends with what was skipped or left out and why, and the slowest tests)
# check (about 15 s of CPU, one process at a time) runs beside the tests' workers, not before them; either failing fails.
test: $(STAMP)
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) --jobs=2 check test-suite

# Tests marked slow (tests/slow_suites.py: the daily versions' cache chain) are left out of `make test`, which names
# them at its end; `make test-slow` runs them and CI (.ci/run) runs both. TEST_SELECT= (empty) runs everything at once.
TEST_SELECT ?= not slow

test-suite: $(STAMP)
	$(RUN) -m pytest -q -rfEs --durations=15 -n $(TEST_WORKERS) $(if $(TEST_SELECT),-m "$(TEST_SELECT)") $(PYTEST_ARGS) tests

## test-slow: the slow tests `make test` leaves out (the twelve daily versions through one cache, about 5 minutes); CI runs them
test-slow: $(STAMP)
	$(RUN) -m pytest -q -rfEs --durations=5 -n 0 -m slow $(PYTEST_ARGS) tests

## dist: sdist + wheel of $(OUT) into $(DIST)/ (reproducible), twine check, install into a fresh venv and call it
dist: $(STAMP)
	$(RUN) -m clientgen.release dist --spec $(SPEC) --out $(OUT) $(if $(CONFIG),--config $(CONFIG)) --dist $(DIST)

## publish: `clientgen check`, everything `dist` does, version not yet on the index, then twine upload (TWINE_* variables)
publish: $(STAMP)
	$(RUN) -m clientgen.release publish --spec $(SPEC) --out $(OUT) $(if $(CONFIG),--config $(CONFIG)) --dist $(DIST)

## bench: generation benchmark on the full Cloudflare spec (needs the corpus)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_generate.py

## bench-incremental: one operation changed, then make generate with the cache, against a cold generation (needs the corpus)
bench-incremental: $(STAMP)
	$(BIN)/python benchmarks/bench_incremental.py

## bench-scale: time and memory per operation, synthetic N-operation descriptions vs Cloudflare, ours vs openapi-python-client (N="10083 2500")
bench-scale: $(STAMP)
	nice -n 5 $(BIN)/python benchmarks/bench_scale.py $(foreach n,$(N),--operations $(n))

## bench-call: per-call cost of the seed operation: ours vs raw httpx vs the official SDK (own venv: .bench-venv/)
bench-call: $(STAMP)
	$(BIN)/python benchmarks/bench_call.py

PYRIGHT_DIR := tools/pyright
PYRIGHT := $(PYRIGHT_DIR)/node_modules/.bin/pyright

# pyright, pinned by tools/pyright/package-lock.json, installed into that folder (npm ci); without npm the
# benchmark's pyright rows say why they were skipped.
$(PYRIGHT): $(PYRIGHT_DIR)/package-lock.json
	cd $(PYRIGHT_DIR) && npm ci --no-audit --no-fund || echo "pyright not installed: bench-import skips its rows"
	-test -e $@ && touch $@

## bench-import: start-up (import + Client + one resource), mypy and pyright time of the full-API package vs the floor and the official SDK
bench-import: $(STAMP) $(PYRIGHT)
	$(BIN)/python benchmarks/bench_import.py

## bench-churn: files touched and names moved between consecutive Cloudflare versions, ours vs openapi-python-client
bench-churn: $(STAMP)
	$(BIN)/python benchmarks/bench_churn.py --baseline

## bench-review: share of the review diff of one spec change (Cloudflare 06-17 -> 06-18, in a git repo) that is the API
bench-review: $(STAMP)
	$(BIN)/python benchmarks/bench_review.py

PRISM_DIR := tools/prism
PRISM := $(PRISM_DIR)/node_modules/.bin/prism
CONFORMANCE ?= .conformance

# Prism, pinned by tools/prism/package-lock.json, installed into that folder (npm ci).
$(PRISM): $(PRISM_DIR)/package-lock.json
	cd $(PRISM_DIR) && npm ci --no-audit --no-fund
	touch $@

## conformance: every operation of SPEC (CONFIG= to override its config) called through the generated client against Prism (ORACLE=opc: through openapi-python-client's); table in $(CONFORMANCE)/<spec>/
conformance: $(STAMP) $(PRISM)
	$(RUN) -m clientgen.conformance --spec $(SPEC) $(if $(CONFIG),--config $(CONFIG)) $(if $(ORACLE),--oracle $(ORACLE)) --prism $(PRISM) --work $(CONFORMANCE)/$(notdir $(basename $(SPEC)))

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DIST)
