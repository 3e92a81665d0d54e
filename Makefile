# Two commands for a fresh machine: `make run` and `make test`.
# Both create .venv and install the project from pyproject.toml first; `make run` installs only
# what the app needs, `make test` adds the test tools and the Spark extra.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run example test lint typecheck goldens screenshots docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[web,postgres,batch,fhir,pdf,extract]'
	$(BIN)/python -m compileall -q src  # bytecode now, as a wheel install has it (even under PYTHONDONTWRITEBYTECODE)
	touch $(RUN_STAMP)

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[web,postgres,batch,fhir,pdf,extract,spark,dev]'
	$(BIN)/python -m compileall -q src
	touch $(TEST_STAMP)

run: $(RUN_STAMP)
	$(BIN)/liverlens serve

example: $(RUN_STAMP)
	$(BIN)/liverlens explain --alt 95 --alt-upper 50 --ast 45 --sex male --age 28 --exercise-days-ago 1

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest

goldens: $(TEST_STAMP)
	$(BIN)/python -m pytest tests/test_goldens.py --update-goldens

screenshots: $(TEST_STAMP)  # docs/screenshots/*.png, from the accessibility scan's pages
	$(BIN)/python -m pytest tests/browser/test_accessibility.py --screenshots -q

docs: $(TEST_STAMP)
	$(BIN)/liverlens rules > docs/clinical-rules.md

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
