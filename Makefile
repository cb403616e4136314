# The README's two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8080
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: run test install lint typecheck check bench ckan ckan-stop clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the dependencies change.
$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/ecohub db upgrade
	$(BIN)/ecohub reference load > /dev/null
	$(BIN)/ecohub serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check hub connectors catalogue migrations tests bench
	$(BIN)/mypy --config-file setup.cfg hub connectors catalogue

check: lint test

bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

ckan:
	bash .ci/ckan/up.sh

ckan-stop:
	bash .ci/ckan/down.sh

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
