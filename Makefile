# The two commands of the README are `make up` and `make test`; everything else is their plumbing.
# Installs are keyed on the files that pin them, so a second run reuses what the first installed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
LINT_VENV := .venv-lint
# checkov pins dozens of libraries of its own; it lives apart so they can never break .venv.
VENV_CHECKOV := .venv-checkov
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CHECKPOINT_DISABLE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: up test synth setup clean app browser

up: setup
	$(VENV)/bin/ysg up

test: setup $(LINT_VENV)/.installed $(VENV_CHECKOV)/.installed browser $(FAKETIME)
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# The Billing Ops app on this machine, on the emulator database `make up` created.
app: setup
	$(VENV)/bin/ysg app

# Chromium for the app's browser test, from Debian: playwright's own browser download cannot run here.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser: $(CHROMIUM)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq --no-install-recommends chromium

# libfaketime moves the clock for the test that synthesizes two years ahead (nothing may depend on the date).
FAKETIME := /usr/bin/faketime
$(FAKETIME):
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq --no-install-recommends faketime

synth: setup
	$(VENV)/bin/ysg synth

# The policy scan gates every change (.ci/run after the tests); checkov is installed for it and the tests.
.PHONY: scan
scan: setup $(VENV_CHECKOV)/.installed
	$(VENV)/bin/ysg scan

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -r requirements.txt
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

# zizmor and check-jsonschema check .github/workflows in the tests; their own venv keeps their pins apart.
$(LINT_VENV)/.installed: requirements-lint.txt
	test -x $(LINT_VENV)/bin/python || $(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/pip install --quiet -r requirements-lint.txt
	touch $@

$(VENV_CHECKOV)/.installed: requirements-checkov.txt
	test -x $(VENV_CHECKOV)/bin/python || $(PYTHON) -m venv $(VENV_CHECKOV)
	$(VENV_CHECKOV)/bin/pip install --quiet -r requirements-checkov.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf cdktf.out .local
