# The two commands of the README are `make up` and `make test`; everything else is their plumbing.
# Installs are keyed on the files that pin them, so a second run reuses what the first installed.
# Each long step says what it does in one line; the commands themselves are not echoed.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
LINT_VENV := .venv-lint
# checkov pins dozens of libraries of its own; it lives apart so they can never break .venv.
VENV_CHECKOV := .venv-checkov
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CHECKPOINT_DISABLE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# The Python versions this project is proven on: pyproject.toml's requires-python admits exactly these
# (tests/test_makefile.py checks that both say the same).
PYTHON_VERSIONS := 3.11 3.12
space := $() $()

.PHONY: up test synth setup clean app browser

up: setup
	@echo "make: bringing the local environment up on the embedded emulator (ysg up)"
	@$(VENV)/bin/ysg up

test: setup $(LINT_VENV)/.installed $(VENV_CHECKOV)/.installed browser $(FAKETIME)
	@echo "make: running the tests (pytest; a few minutes)"
	@$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# The Billing Ops app on this machine, on the emulator database `make up` created.
app: setup
	@$(VENV)/bin/ysg app

# Chromium for the app's browser test, from Debian: playwright's own browser download cannot run here.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser: $(CHROMIUM)

$(CHROMIUM):
	@echo "make: installing Debian's chromium for the app's browser test (apt-get)"
	@$(SUDO) apt-get update -qq
	@$(SUDO) apt-get install -y -qq --no-install-recommends chromium

# libfaketime moves the clock for the test that synthesizes two years ahead (nothing may depend on the date).
FAKETIME := /usr/bin/faketime
$(FAKETIME):
	@echo "make: installing Debian's faketime for the test that moves the clock (apt-get)"
	@$(SUDO) apt-get update -qq
	@$(SUDO) apt-get install -y -qq --no-install-recommends faketime

synth: setup
	@$(VENV)/bin/ysg synth

# The policy scan gates every change (.ci/run after the tests); checkov is installed for it and the tests.
.PHONY: scan
scan: setup $(VENV_CHECKOV)/.installed
	@$(VENV)/bin/ysg scan

setup: $(VENV)/.installed node_modules/.installed

# $(call python_version,EXE): the interpreter's major.minor, or nothing when it does not run.
python_version = $(shell $(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
# $(call venv_python,VENV): what the venv is made with: the interpreter already in it, else $(PYTHON).
venv_python = $(if $(wildcard $(1)/bin/python),$(1)/bin/python,$(PYTHON))
# $(call require_python,VENV): stop in one line, before anything is installed, unless that interpreter is a
# supported version. make expands a recipe before running any of its lines, so this comes first.
require_python = $(if $(filter $(PYTHON_VERSIONS),$(call python_version,$(call venv_python,$(1)))),,$(error \
  $(call venv_python,$(1)) is $(or $(addprefix Python ,$(call python_version,$(call venv_python,$(1)))),not a \
  Python that runs), and this project needs Python $(subst $(space), or ,$(PYTHON_VERSIONS)): \
  $(if $(wildcard $(1)/bin/python),remove $(1) and )run make with PYTHON=python$(lastword $(PYTHON_VERSIONS))))
# $(call make_venv,VENV): a venv that is whole or absent: a failed creation (no ensurepip, say) is removed,
# so the next run does not mistake it for one.
make_venv = test -x $(1)/bin/python || $(PYTHON) -m venv $(1) || { rm -rf $(1); exit 1; }
# pip also reads the machine's own configuration (`pip config list`): an extra index that is a file://
# folder without the package makes pip print "WARNING: Location '...' is ignored: it is neither a file
# nor a directory" for every package. Exactly that line is dropped from pip's stderr; every other line,
# and pip's exit status (pipefail), is kept.
PIP_NOISE := ^WARNING: Location '[^']*' is ignored: it is neither a file nor a directory\.$$
pip_install = { $(1)/bin/pip install --quiet $(2) 2>&1 1>&3 | sed -e "/$(PIP_NOISE)/d" 1>&2; } 3>&1

$(VENV)/.installed: requirements.txt pyproject.toml
	@$(call require_python,$(VENV))
	@echo "make: installing the Python environment $(VENV) from requirements.txt (minutes the first time)"
	@$(call make_venv,$(VENV))
	@$(call pip_install,$(VENV),-r requirements.txt)
	@$(call pip_install,$(VENV),--no-deps -e .)
	@touch $@

# zizmor and check-jsonschema check .github/workflows in the tests; their own venv keeps their pins apart.
$(LINT_VENV)/.installed: requirements-lint.txt
	@$(call require_python,$(LINT_VENV))
	@echo "make: installing the workflow linters into $(LINT_VENV) from requirements-lint.txt"
	@$(call make_venv,$(LINT_VENV))
	@$(call pip_install,$(LINT_VENV),-r requirements-lint.txt)
	@touch $@

$(VENV_CHECKOV)/.installed: requirements-checkov.txt
	@$(call require_python,$(VENV_CHECKOV))
	@echo "make: installing checkov into $(VENV_CHECKOV) from requirements-checkov.txt"
	@$(call make_venv,$(VENV_CHECKOV))
	@$(call pip_install,$(VENV_CHECKOV),-r requirements-checkov.txt)
	@touch $@

# After the Python check (order-only), so a wrong Python stops make before npm installs anything. npm's
# stdout is only its "added N packages" summary; its errors go to stderr.
node_modules/.installed: package.json package-lock.json | $(VENV)/.installed
	@echo "make: installing the pinned cdktf command line into node_modules (npm ci)"
	@npm ci --no-audit --no-fund --loglevel=error > /dev/null
	@touch $@

clean:
	rm -rf cdktf.out .local
