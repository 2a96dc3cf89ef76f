# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp

.PHONY: run test check jscheck lint typecheck openapi bench wheel extension kibo-specs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The read-only demo admin console (agent/admin_console) on its own port; ADMIN_PORT= turns it
# off (needed with --backend kibo).
ADMIN_PORT ?= 47822

run: $(STAMP)
	@echo "The agent's command is $(abspath $(BIN))/callcenter-agent; to have it on your PATH: make wheel, then pipx install dist/callcenter_agent-*.whl"
	$(BIN)/callcenter-agent serve $(if $(ADMIN_PORT),--admin-port $(ADMIN_PORT)) $(ARGS)

test: $(STAMP) lint typecheck jscheck
	$(BIN)/pytest $(PYTEST_ARGS)

# The inner loop (about a minute): lint, types, the extension's JS and the unit and API tests;
# no browser, no kill -9 or other slow runs (markers in pyproject.toml). `make test` runs all.
check: $(STAMP) lint typecheck jscheck
	$(BIN)/pytest -q -m "not slow and not browser" $(PYTEST_ARGS)

# The extension's JS through `tsc --checkJs` (extension/tools/jscheck.py says what it enforces);
# TypeScript from the npm registry, pinned by the lockfile, into a git-ignored node_modules.
JSCHECK = extension/tools/jscheck
$(JSCHECK)/node_modules/.installed: $(JSCHECK)/package.json $(JSCHECK)/package-lock.json
	cd $(JSCHECK) && npm ci --no-audit --no-fund --silent
	touch $@

jscheck: $(JSCHECK)/node_modules/.installed
	$(PYTHON) extension/tools/jscheck.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Kibo's OpenAPI documents for tests/kibo, fetched at the pinned commit into .cache/kibo-openapi
# and checked by SHA-256 (tests/kibo/kibo_specs.json); nothing to do when they are found already.
kibo-specs: $(STAMP)
	$(BIN)/python -m tests.kibo.kibo_specs $(ARGS)

openapi: $(STAMP)
	$(BIN)/python -m agent.api.openapi
	$(BIN)/python extension/tools/gen_types.py

bench: $(STAMP)
	$(BIN)/python -m bench.http_bench $(ARGS)

# The installable wheel in dist/: `pipx install` or `uv tool install` it for a callcenter-agent
# on the PATH. Built from a clean build/ so no file of an earlier build slips in.
wheel: $(STAMP)
	rm -rf build dist/callcenter_agent-*.whl
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .
	rm -rf build
	@ls dist/callcenter_agent-*.whl

# The extension as a versioned zip for deployment (docs/deploy.md).
extension:
	$(PYTHON) extension/tools/pack.py dist

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .mypy_cache test-artifacts
