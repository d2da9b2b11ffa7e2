# Two commands do all set-up: `make run` starts the service, `make test` passes the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-unit test-integration lint format bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: install
	$(BIN)/task-assigner run

# Unit + integration, with coverage of the core. The integration tests start an embedded
# PostgreSQL and Redis unless TEST_DATABASE_ADMIN_URL / TEST_REDIS_URL point at servers of yours.
test: install
	$(PY) -m pytest --cov --cov-report=term --cov-fail-under=95 $(PYTEST_ARGS)

test-unit: install
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

test-integration: install
	$(PY) -m pytest tests/integration $(PYTEST_ARGS)

# mypy: strict on domain and application (pyproject), and on the unit-test fakes and tests,
# so that the fakes keep matching the ports they stand for.
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/mypy --strict tests/unit/*.py
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

# Measures the quality bars of docs/architecture.md §9 on this machine (never part of `make test` or CI):
# installs wrk (Debian) and the `bench` extra when missing. See README, "Benchmarks".
# BENCH_ARGS=--smoke: the whole harness at tiny sizes in about a minute (figures meaningless).
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	@{ $(PY) -c 'import matplotlib' 2>/dev/null && test -x $(BIN)/py-spy; } || \
		$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .coverage
