# servicekg: `make demo` sets everything up and runs the main job; `make test` runs every test.
# Both work on a fresh machine with only python3: the virtual environment is made here.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup demo test check lint clean system-packages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/servicekg demo

# `make test` needs Debian's Chromium (the browser tests; browser downloads do not work
# everywhere), poppler-utils (pdftoppm/pdftotext: the PDF reports) and
# virtuoso-opensource-7-bin (the remote-store tests start a throwaway Virtuoso). As root they
# are installed when missing, with one `apt-get update`; otherwise the command is printed.
CHROMIUM ?= /usr/bin/chromium
VIRTUOSO ?= virtuoso-t

system-packages:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null \
		|| missing="$$missing poppler-utils"; \
	command -v "$(VIRTUOSO)" >/dev/null || missing="$$missing virtuoso-opensource-7-bin"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "make test needs Debian's$$missing: 'sudo apt-get install$$missing'" \
			"(or set CHROMIUM=/path/to/chromium, VIRTUOSO=/path/to/virtuoso-t)." >&2; \
		exit 1; \
	fi

test: $(STAMP) system-packages
	$(BIN)/ruff check engine tests
	$(BIN)/ruff format --check engine tests
	SERVICEKG_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest --durations=15

# The fast loop (under 90 s on two cores; pytest-xdist runs its tests on both): lint, format,
# types and every test not marked slow, browser, fuzz or virtuoso. `make test` stays the whole
# suite.
check: $(STAMP)
	$(BIN)/ruff check engine tests
	$(BIN)/ruff format --check engine tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2 -m "not slow and not browser and not fuzz and not virtuoso"

lint: $(STAMP)
	$(BIN)/ruff check engine tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache out test-artifacts
