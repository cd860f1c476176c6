# minutebook — two commands do all set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: demo test test-fast install dev lint bench clean system-deps

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml
	$(PIP) install -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(PIP) install -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

# The demo: read the Auxer filings; build its book in .demo/ by running the 1999 amendment as it happened
# (board resolution, notice, list, special meeting, vote, filing); then its findings, franchise tax and
# an OCF package, validated.
MB := $(VENV)/bin/minutebook
DEMO_DB := --db .demo/auxer.db

demo: install
	$(MB) read examples/auxer-group-charter.txt --as-of 2025-01-01
	rm -rf .demo && mkdir -p .demo
	$(MB) act examples/auxer-1999-amendment.yaml --init $(DEMO_DB)
	$(MB) charter --diff 2 3 $(DEMO_DB)
	$(MB) directors $(DEMO_DB)
	$(MB) captable $(DEMO_DB)
	$(MB) check $(DEMO_DB)
	$(MB) tax --year 2025 --gross-assets 1000000 $(DEMO_DB)
	$(MB) ocf export .demo/auxer --zip $(DEMO_DB)
	$(MB) ocf validate .demo/auxer.ocf.zip

# style, then the architecture: layers import only downward (.importlinter, import-linter's lint-imports)
lint: dev
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/lint-imports --no-cache

# The tests start a throwaway PostgreSQL server of their own: they need its server binaries (initdb,
# pg_ctl), from the Debian `postgresql` package. The reader OCRs scanned PDFs and images with Debian's
# `tesseract-ocr` (English data: `tesseract-ocr-eng`), rasterising PDF pages with `pdftoppm`
# (`poppler-utils`); the tests render their PDFs with WeasyPrint (Pango: `libpango-1.0-0`,
# `libpangoft2-1.0-0`; font subsetting: `libharfbuzz-subset0`) and draw their scans in DejaVu Serif
# (`fonts-dejavu-core`). Whichever are missing are installed here (as root, or through sudo); a no-op
# when they are all there.
PG_CTL = $(firstword $(wildcard /usr/lib/postgresql/*/bin/pg_ctl) $(shell command -v pg_ctl 2>/dev/null))
READER_DEBS = tesseract-ocr tesseract-ocr-eng poppler-utils libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0 fonts-dejavu-core
MISSING_DEBS = $(strip $(if $(strip $(PG_CTL)),,postgresql) $(shell command -v dpkg-query >/dev/null && \
	for p in $(READER_DEBS); do dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -qx installed \
	|| echo $$p; done))

system-deps:
ifneq ($(MISSING_DEBS),)
	@echo "installing Debian packages for the reader and the tests: $(MISSING_DEBS)"
	@if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	else echo "Debian packages missing: run 'apt-get install $(MISSING_DEBS)' as root" >&2; exit 1; fi; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(MISSING_DEBS)
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null
	@command -v tesseract >/dev/null && command -v pdftoppm >/dev/null
else
	@true
endif

# the whole suite, on every core (pytest-xdist; one PostgreSQL server shared by the workers, see
# tests/conftest.py), then the 15 slowest tests; plain `pytest` still runs it in one process
test: system-deps dev lint
	$(PY) -m pytest -n auto --durations=15

# the edit-test loop, well under a minute: the pure core, law, ingest, governance, scenario, tax and OCF
# tests and the reader's command line, on every core, without the slow ones (fuzzing, OCR and PDF
# rendering, the corpus score); the book and governance command lines (a process per command) and the
# storage tests on both back ends are left to `make test`
FAST_TESTS = tests/core tests/law tests/ingest tests/governance tests/scenarios tests/tax tests/ocf \
	tests/cli/test_read_cli.py tests/cli/test_read_bulk.py
test-fast: dev
	$(PY) -m pytest -n auto -m "not slow" -x $(FAST_TESTS)

bench: install
	$(PY) bench/read.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache .hypothesis
