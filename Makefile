# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp

.PHONY: run test lint typecheck openapi bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The read-only demo admin console (agent/admin_console) on its own port; ADMIN_PORT= turns it
# off (needed with --backend kibo).
ADMIN_PORT ?= 47822

run: $(STAMP)
	$(BIN)/callcenter-agent serve $(if $(ADMIN_PORT),--admin-port $(ADMIN_PORT)) $(ARGS)

test: $(STAMP) lint typecheck
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

openapi: $(STAMP)
	$(BIN)/python -m agent.api.openapi
	$(BIN)/python extension/tools/gen_types.py

bench: $(STAMP)
	$(BIN)/python -m bench.http_bench $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache test-artifacts
