# servicekg: `make demo` sets everything up and runs the main job; `make test` runs every test.
# Both work on a fresh machine with only python3: the virtual environment is made here.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup demo test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/servicekg demo

test: $(STAMP)
	$(BIN)/ruff check engine tests
	$(BIN)/ruff format --check engine tests
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check engine tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache out test-artifacts
