# Krav — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.krav-installed
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
KRAV_HOME ?= $(CURDIR)/var
export KRAV_HOME

.PHONY: install run demo test lint typecheck contracts security pytest audit bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Krav needs Python 3.11 or newer on PATH (python3.11, python3.12 or python3)"; exit 1; }
	@test -x $(BIN)/python || { echo "krav: creating the virtual environment $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@echo "krav: installing Krav and its pinned dependencies into $(VENV) (the first time takes a minute or two)"
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet --progress-bar on -e '.[dev]'
	@# Krav's own modules compiled once (an editable install leaves them as source): every command starts
	@# without compiling them again, also where Python is told not to write its bytecode (PYTHONDONTWRITEBYTECODE)
	@$(BIN)/python -m compileall -q src/krav
	@echo "krav: installed; \`$(BIN)/krav --help\` lists the commands"
	@touch $(STAMP)

install: $(STAMP)

## make run: set up the embedded database, load the demo creditor and show it, then serve the creditor portal.
PORT ?= 8000
run: install
	$(BIN)/krav demo
	@echo "krav: the creditor portal on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/krav serve --host 127.0.0.1 --port $(PORT)

## make test: every check — lint, format, types, import contracts, unit, integration (SQLite and PostgreSQL), end-to-end.
test: install lint typecheck contracts security pytest

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

typecheck: install
	$(BIN)/mypy --strict src tools tests/fakes

contracts: install
	$(BIN)/lint-imports

## bandit: the code's own security lint (what it skips, and why, is in pyproject.toml)
security: install
	$(BIN)/bandit -c pyproject.toml -r src -q

## make audit: the pinned dependencies against the advisories PyPI publishes (needs PyPI's per-release JSON API)
audit: install
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

pytest: install
	$(BIN)/pytest -q

bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
