# minutebook — two commands do all set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: demo test test-fast install dev lint bench clean system-deps render-deps bytecode

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml
	$(PIP) install -e .
	touch $@

# Byte-compile the sources, as a regular (non-editable) install would: with PYTHONDONTWRITEBYTECODE set, as it is
# on our machines, an editable install's modules were otherwise compiled again by every process that imported
# them (a quarter of a second of each command line's start). Only what changed since the last run is compiled.
bytecode: $(VENV)/.installed
	$(PY) -m compileall -q -j 0 src >/dev/null

$(VENV)/.dev-installed: $(VENV)/.installed
	$(PIP) install -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

# The demo: read the Auxer filings; build its book in .demo/ by running the 1999 amendment as it happened
# (board resolution, notice, list, special meeting, vote, filing) and two acts of 2000 (a Secretary elected;
# an issuance the board never approved, kept on purpose); then its findings, franchise tax and an OCF package,
# validated; then its papers in .demo/docs/ (PDF and DOCX): the board's and the 1999 meeting's papers, the
# certificates of amendment, a restated certificate, a stock certificate, the secretary's certificate, the tax
# worksheet, and the cure packages: §242 (the 1999 grant to the President), §204 (the unapproved issuance) and
# §103(f) (the "150,000,00" figure, in a second book built from the charter as filed, .demo/filed.db). Then the
# record a third party can verify: the book's public key exported, a signed checkpoint, and the proof that the
# 1999 meeting's minutes (the PDF) are the paper the book recorded, checked offline with the key alone. Then the
# seed-stage company of examples/seed-stage-company.yaml in .demo/seed.db (founders, a plan and an ISO, two
# post-money SAFEs, a Series A that converts them and tops up the pool): its fully diluted cap table, a Series B
# modelled on it ($15,000,000 at $60,000,000 pre-money, a 12 % pool; nothing recorded) and its OCF package, with
# the equity, validated. Last, a web user `demo` (password minutebook-demo), admin of the Auxer book, so that
# `minutebook serve --db .demo/auxer.db` shows it in a browser.
MB := $(VENV)/bin/minutebook
DEMO_DB := --db .demo/auxer.db
DOCS := .demo/docs
DOC := $(MB) doc render --format pdf,docx -o $(DOCS) $(DEMO_DB)

demo: install bytecode render-deps
	$(MB) read examples/auxer-group-charter.txt --as-of 2025-01-01
	rm -rf .demo && mkdir -p $(DOCS)
	$(MB) act examples/auxer-1999-amendment.yaml --init $(DEMO_DB)
	$(MB) act examples/auxer-2000-secretary-and-unapproved-issue.yaml $(DEMO_DB)
	$(MB) charter --diff 2 3 $(DEMO_DB)
	$(MB) directors $(DEMO_DB)
	$(MB) captable $(DEMO_DB)
	$(MB) check $(DEMO_DB)
	$(MB) tax assets --year 2025 --on 2026-02-15 1000000 $(DEMO_DB)
	$(MB) tax --year 2025 $(DEMO_DB)
	$(MB) ocf export .demo/auxer --zip $(DEMO_DB)
	$(MB) ocf validate .demo/auxer.ocf.zip
	$(DOC) board-consent --for B-1997-1
	$(DOC) board-minutes --for B-1999-1
	$(DOC) meeting-notice --for M-1999
	$(DOC) stockholder-list --for M-1999
	$(DOC) meeting-minutes --for M-1999
	$(DOC) certificate-of-amendment --as-of 1997-08-28
	$(DOC) certificate-of-amendment --for R-1999-1
	$(DOC) restated-certificate --as-of 2000-12-31
	$(DOC) board-consent --for B-2000-1
	$(DOC) stock-certificate --for CS-1
	$(DOC) holder-ledger --for eugene
	$(DOC) uncertificated-notice --for alice
	$(DOC) secretary-certificate --for R-1999-1,R-1999-2 --as-of 2000-12-31
	$(DOC) tax-worksheet --for 2025
	$(MB) doc cure MB-BLANK-CHECK-DEFECTIVE --format pdf,docx -o $(DOCS)/cure-242 $(DEMO_DB)
	$(MB) doc cure MB-APPROVAL-MISSING --format pdf,docx -o $(DOCS)/cure-204 $(DEMO_DB)
	$(MB) init --from examples/auxer-group-charter.txt --db .demo/filed.db
	$(MB) doc cure MB-FIGURE-MALFORMED --format pdf,docx -o $(DOCS)/cure-103f --db .demo/filed.db
	$(MB) doc drawn $(DEMO_DB)
	$(MB) key --export .demo/auxer.vkey $(DEMO_DB)
	$(MB) checkpoint --out .demo/checkpoint.txt $(DEMO_DB)
	$(MB) proof --document $(DOCS)/meeting-minutes-M-1999.pdf -o .demo/minutes-proof.json $(DEMO_DB)
	$(MB) verify --proof .demo/minutes-proof.json --key .demo/auxer.vkey --document $(DOCS)/meeting-minutes-M-1999.pdf
	$(MB) act examples/seed-stage-company.yaml --init --db .demo/seed.db
	$(MB) captable --fully-diluted --db .demo/seed.db
	$(MB) round --pre-money 60,000,000 --new-money 15,000,000 --pool 12% --plan P-2023 --on 2026-06-01 --db .demo/seed.db
	$(MB) ocf export .demo/seed --zip --db .demo/seed.db
	$(MB) ocf validate .demo/seed.ocf.zip
	echo 'minutebook-demo' | $(MB) user add demo --password-stdin $(DEMO_DB)
	$(MB) user grant demo the-auxer-group-inc admin $(DEMO_DB)
	@echo "The web app: .venv/bin/minutebook serve --db .demo/auxer.db, then http://127.0.0.1:8000 (user demo, password minutebook-demo)"

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
# (`fonts-dejavu-core`). The web app's browser tests drive Debian's `chromium` with Playwright (its own browser
# download is not used). Whichever are missing are installed here (as root, or through sudo); a no-op
# when they are all there.
PG_CTL = $(firstword $(wildcard /usr/lib/postgresql/*/bin/pg_ctl) $(shell command -v pg_ctl 2>/dev/null))
READER_DEBS = tesseract-ocr tesseract-ocr-eng poppler-utils libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0 fonts-dejavu-core chromium
MISSING_DEBS = $(strip $(if $(strip $(PG_CTL)),,postgresql) $(shell command -v dpkg-query >/dev/null && \
	for p in $(READER_DEBS); do dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -qx installed \
	|| echo $$p; done))

# `make demo` draws PDFs: WeasyPrint's Pango and HarfBuzz libraries and a serif font, nothing else
RENDER_DEBS = libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
MISSING_RENDER_DEBS = $(strip $(shell command -v dpkg-query >/dev/null && for p in $(RENDER_DEBS); do \
	dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -qx installed || echo $$p; done))

render-deps:
ifneq ($(MISSING_RENDER_DEBS),)
	@echo "installing Debian packages for drawing PDFs: $(MISSING_RENDER_DEBS)"
	@if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	else echo "Debian packages missing: run 'apt-get install $(MISSING_RENDER_DEBS)' as root" >&2; exit 1; fi; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(MISSING_RENDER_DEBS)
else
	@true
endif

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
test: system-deps dev lint bytecode
	$(PY) -m pytest -n auto --durations=15

# the edit-test loop, about a minute on 2 cores (`make test`: 7): the pure core, law, ingest, governance,
# scenario, tax and OCF tests and the reader's command line, on every core, without the slow ones (fuzzing,
# OCR and PDF rendering, the corpus score); the book and governance command lines (a process per command)
# and the storage tests on both back ends are left to `make test`
FAST_TESTS = tests/core tests/book tests/law tests/ingest tests/governance tests/scenarios tests/tax tests/ocf \
	tests/cli/test_read_cli.py tests/cli/test_read_bulk.py
test-fast: dev bytecode
	$(PY) -m pytest -n auto -m "not slow" -x $(FAST_TESTS)

bench: install
	$(PY) bench/read.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache .hypothesis
	find src -name __pycache__ -type d -prune -exec rm -rf {} +
