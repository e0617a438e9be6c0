# scimproof: `make demo` and `make test` set everything up themselves (venv, packages, browser).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
REPORTS := reports
PYTEST_REPORTS = --junitxml=$(REPORTS)/junit.xml --cucumberjson=$(REPORTS)/cucumber.json \
	--html=$(REPORTS)/report.html --self-contained-html

.PHONY: demo test features lint format browser serve conformance accuracy clean

## demo: drive the bundled stub's enable-SCIM flow in headless Chromium, print a summary
demo: $(STAMP) browser
	@mkdir -p $(REPORTS)
	@$(PY) -m pytest tests/e2e -q $(PYTEST_REPORTS) $(ARGS); rc=$$?; \
	$(PY) -m steps.demo_summary $(REPORTS); exit $$rc

## test: lint, then the whole suite (unit + every feature scenario), reports in reports/
test: $(STAMP) browser lint
	@mkdir -p $(REPORTS)
	$(PY) -m pytest $(PYTEST_REPORTS) $(ARGS)

## features: only the browser-driven feature scenarios
features: $(STAMP) browser
	$(PY) -m pytest tests/e2e $(PYTEST_REPORTS) $(ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## browser: find a usable Chromium (installs Debian's chromium when root and none is found)
browser: $(STAMP)
	@$(PY) -m steps.browser ensure

## serve: run the stub on http://127.0.0.1:5000 (database instance/scimproof-stub.sqlite3)
serve: $(STAMP)
	$(VENV)/bin/scim-stub serve $(ARGS)

## accuracy: the checker on third-party SCIM servers vs benchmarks/accuracy/triage.toml (needs node)
ACCURACY_STAMP := $(VENV)/.accuracy-$(shell cksum pyproject.toml | cut -d' ' -f1)
NODE_STAMP := benchmarks/accuracy/node_modules/.installed-$(shell cksum benchmarks/accuracy/package-lock.json | cut -d' ' -f1)
accuracy: $(ACCURACY_STAMP) $(NODE_STAMP)
	$(PY) benchmarks/accuracy.py $(ARGS)

$(ACCURACY_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,accuracy]'
	@rm -f $(VENV)/.accuracy-*
	@touch $@

$(NODE_STAMP):
	@command -v npm >/dev/null || { echo "scimproof: make accuracy needs Node.js 18+ and npm (apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --prefix benchmarks/accuracy --no-audit --no-fund --loglevel=error
	@rm -f benchmarks/accuracy/node_modules/.installed-*
	@touch $@

$(STAMP):
	@command -v $(PYTHON) >/dev/null || { echo "scimproof: $(PYTHON) not found; install Python 3.11+" >&2; exit 1; }
	@if [ ! -x $(PY) ]; then \
	  $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv \
	      && rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); \
	    else echo "scimproof: cannot create a venv; install python3-venv (apt-get install python3-venv)" >&2; exit 1; fi; }; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

clean:
	rm -rf $(REPORTS) .pytest_cache .ruff_cache instance
