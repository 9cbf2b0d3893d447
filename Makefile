# Tremplin - the two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
STAMP := $(VENV)/.installed
COMMIT_RULE_SINCE := 0313e31

.PHONY: run test setup check-prereqs lint typecheck checkov unit integration e2e openapi validate bench publish-web audit fuzz clean

check-prereqs:
	@$(PYTHON) local/prereqs.py

$(STAMP): requirements-dev.txt layers/shared/requirements.txt layers/pdf/requirements.txt package.json | check-prereqs
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	npm install --no-audit --no-fund --silent
	@touch $(STAMP)

setup: check-prereqs $(STAMP)

# The browser tests drive Debian's Chromium with Playwright (no browser download).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@echo "Installing Debian's chromium package for the browser tests..."
	@if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq chromium || (apt-get update -qq && apt-get install -y -qq chromium); \
	else sudo apt-get install -y -qq chromium; fi
	@test -x $(CHROMIUM) || { echo "Could not install chromium: run 'sudo apt-get install chromium'"; exit 1; }

## Start the platform locally on http://127.0.0.1:3000 (PORT=... to change).
run: setup
	$(PY) -m local

# checkov in a venv of its own: it pins its own versions of boto3, pydantic and friends.
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/bin/checkov
$(CHECKOV): requirements-checkov.txt | check-prereqs
	@test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet -r requirements-checkov.txt
	@touch $(CHECKOV)

## checkov on the SAM-expanded template; every finding must be accepted in security/checkov-baseline.yaml.
checkov: setup $(CHECKOV)
	$(PY) tools/checkov_gate.py --checkov $(CHECKOV)

## Lint, type-check and run every test (unit, integration, end-to-end).
test: setup $(CHROMIUM) lint typecheck checkov
	$(PY) tools/openapi.py --check
	$(PY) -m pytest -n 2 --dist loadgroup

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# bandit on what is deployed; ruff's S rules (flake8-bandit) cover everything else.
	$(VENV)/bin/bandit -q -r functions layers/shared/python/tremplin
	PYTHONPATH=layers/shared/python $(VENV)/bin/lint-imports --no-logo --no-cache
	@# languages (issue 20): the web's language list is written from the Python one
	$(PY) tools/languages.py --check
	@# ... and the payslip fonts are rebuilt from their npm packages, byte for byte
	$(PY) tools/fetch_fonts.py --check
	@# Commit messages since the rule was set (README "Contributing"); skipped without the history.
	@if git rev-parse -q --verify $(COMMIT_RULE_SINCE)^{commit} >/dev/null 2>&1; then \
		$(VENV)/bin/gitlint --commits $(COMMIT_RULE_SINCE)..HEAD; fi

## Known vulnerabilities in the pinned packages (needs PyPI's JSON API; --strict fails on any
## package it could not check, so "no known vulnerabilities" always means checked).
audit: setup
	$(VENV)/bin/pip-audit --strict --progress-spinner off -r requirements-dev.txt -r layers/shared/requirements.txt -r layers/pdf/requirements.txt

typecheck:
	$(VENV)/bin/mypy
	@# Every function is a module named app: one mypy run each.
	@for f in functions/*/app.py; do $(VENV)/bin/mypy $$f || exit 1; done

openapi: setup
	$(PY) tools/openapi.py

validate: setup
	$(VENV)/bin/sam validate --lint
	$(VENV)/bin/cfn-lint template.yaml

## Schemathesis for longer than `make test` does (FUZZ_EXAMPLES examples per operation and role).
fuzz: setup
	FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),300) $(PY) -m pytest tests/e2e/test_schemathesis.py -p no:xdist

## After `sam deploy`: upload web/ and its config to the stack's bucket (STACK=tremplin-dev).
publish-web: setup
	$(PY) tools/publish_web.py --stack $(or $(STACK),tremplin-dev)

# The functions' benchmarks run them in Lambda's runtime, python3.13 (pyenv's too), with the
# layers' packages; without a Python 3.13 they run in $(PY) and the results say which.
LAMBDA_VENV := .venv-lambda
LAMBDA_STAMP := $(LAMBDA_VENV)/.installed
$(LAMBDA_STAMP): bench/requirements-lambda.txt layers/shared/requirements.txt layers/pdf/requirements.txt
	@py=$$(for p in python3.13 $$HOME/.pyenv/versions/3.13*/bin/python3.13; do \
		"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null && echo "$$p" && break; done); \
	if [ -z "$$py" ]; then echo "bench: no Python 3.13 (Lambda's runtime): functions are measured in $(PY)"; \
	else rm -rf $(LAMBDA_VENV) && "$$py" -m venv $(LAMBDA_VENV) && \
		$(LAMBDA_VENV)/bin/python -m pip install --quiet -r bench/requirements-lambda.txt && touch $@; fi

## Benchmarks against DynamoDB Local and the local stack; results in bench/results.json (not in git).
# Each benchmark exits 1 on a missed target; the `-` lets the others run, and the summary
# (every target at a glance) exits 1 if any was missed.
bench: setup $(LAMBDA_STAMP)
	-$(PY) -m bench.browse_jobs
	-$(PY) -m bench.report_scaling
	-$(PY) -m bench.lambda_cpu
	-$(PY) -m bench.memory
	-$(PY) -m bench.cost
	-$(PY) -m bench.load
	$(PY) -m bench.harness

clean:
	rm -rf $(VENV) $(LAMBDA_VENV) node_modules .local-data .aws-sam .pytest_cache .mypy_cache .ruff_cache
