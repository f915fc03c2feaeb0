# servicekg: `make demo` sets everything up and runs the main job; `make test` runs every test.
# Both work on a fresh machine with only python3: the virtual environment is made here.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup demo test check lint clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/servicekg demo

# The browser tests drive Debian's Chromium (browser downloads do not work everywhere).
CHROMIUM ?= /usr/bin/chromium

browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "The browser tests need Chromium at $(CHROMIUM): install Debian's package" \
			"('sudo apt-get install chromium') or set CHROMIUM=/path/to/chromium." >&2; \
		exit 1; \
	fi

test: $(STAMP) browser
	$(BIN)/ruff check engine tests
	$(BIN)/ruff format --check engine tests
	SERVICEKG_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest --durations=15

# The fast loop (under 90 s on two cores): lint, format, types and every test not marked
# slow, browser or fuzz. `make test` stays the whole suite.
check: $(STAMP)
	$(BIN)/ruff check engine tests
	$(BIN)/ruff format --check engine tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -m "not slow and not browser and not fuzz"

lint: $(STAMP)
	$(BIN)/ruff check engine tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache out test-artifacts
