# minutebook — two commands do all set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: demo test install dev lint bench clean system-deps

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

lint: dev
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

# The tests start a throwaway PostgreSQL server of their own: they need its server binaries (initdb,
# pg_ctl), from the Debian `postgresql` package. Installed here when missing (as root, or through sudo);
# a no-op when they are already there.
PG_CTL = $(firstword $(wildcard /usr/lib/postgresql/*/bin/pg_ctl) $(shell command -v pg_ctl 2>/dev/null))

system-deps:
ifeq ($(strip $(PG_CTL)),)
	@echo "installing the PostgreSQL server (Debian package postgresql) for the tests"
	@if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	else echo "PostgreSQL server binaries missing: run 'apt-get install postgresql' as root" >&2; exit 1; fi; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null
else
	@true
endif

test: system-deps dev lint
	$(PY) -m pytest

bench: install
	$(PY) bench/read.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache .hypothesis
