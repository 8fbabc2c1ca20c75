# Kinerja: the two commands of README.md, plus the tools around them.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8080
export FLASK_APP := run

.PHONY: run worker test lint bench install clean lock

$(STAMP): pyproject.toml requirements/dev.txt requirements/ldap.txt
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PY) not found)"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@$(BIN)/python -m pip install --quiet --require-hashes -r requirements/ldap.txt 2>/dev/null \
		|| echo "python-ldap not built (needs libldap2-dev libsasl2-dev): LDAP sign-in and its tests are off"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/kinerja init --demo-if-empty
	@echo ""
	@echo "Kinerja berjalan di http://$(HOST):$(PORT)/login/  (Ctrl+C untuk berhenti)"
	@$(BIN)/kinerja demo --print-logins
	@# the background worker (and its scheduler) beside the web server; both stop together
	@# (a worker still shutting down after 10 s is killed: its unfinished chunks run again)
	@$(BIN)/kinerja worker --beat --concurrency 2 --loglevel WARNING & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; for i in 1 2 3 4 5 6 7 8 9 10; do \
	  kill -0 $$worker 2>/dev/null || break; sleep 1; done; kill -9 $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# Production: one per machine, beside gunicorn; KINERJA_BROKER_URL=redis://... (docs/scaling.md)
worker: $(STAMP)
	$(BIN)/kinerja worker

# Test files are spread over TEST_WORKERS processes (pytest-xdist): one more than the cores, since
# a test process spends part of its time waiting for Chromium, a worker or a database (on 2 cores:
# 6 min 12 s with 3 processes against 7 min 08 s with 2). A file stays in one process, so its
# module fixtures (a seeded database, a live server) are built once; the browser tests share one
# process and one Chromium (tests/conftest.py). TEST_WORKERS=0: one process.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance/*.db

# Pinned dependencies with hashes (requirements/*.txt), from pyproject.toml; commit the result.
COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --resolver=backtracking
lock: $(STAMP)
	$(COMPILE) -o requirements/runtime.txt pyproject.toml
	$(COMPILE) --extra dev --extra bench -o requirements/dev.txt pyproject.toml
	$(COMPILE) --extra ldap -o requirements/ldap.txt pyproject.toml
