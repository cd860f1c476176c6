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

demo: install
	$(VENV)/bin/minutebook read examples/auxer-group-charter.txt --as-of 2025-01-01

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
