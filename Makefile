# Two commands for a fresh machine: `make run` and `make test`.
# Both create .venv and install the project from pyproject.toml first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run example test lint typecheck goldens docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[web,postgres,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/liverlens serve

example: $(STAMP)
	$(BIN)/liverlens explain --alt 95 --alt-upper 50 --ast 45 --sex male --age 28 --exercise-days-ago 1

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest

goldens: $(STAMP)
	$(BIN)/python -m pytest tests/test_goldens.py --update-goldens

docs: $(STAMP)
	$(BIN)/liverlens rules > docs/clinical-rules.md

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
