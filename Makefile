# alternance — two commands: `make run` (platform on SQLite with demo data) and `make test` (whole suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 >/dev/null 2>&1 && echo python3.12 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# make run is a local trial: debug on, and a secret key generated once into var/secret_key (config/settings.py).
# In production, run manage.py with DEBUG unset and SECRET_KEY set (the platform refuses to start otherwise).
DEBUG ?= 1
export DEBUG

.PHONY: setup run test lint db demo bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt requirements-nodeps.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 ou plus est nécessaire (python3 --version)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed

db: setup
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) createcachetable
	$(MANAGE) load_reference
	$(MANAGE) schedule_reference_refresh
	$(MANAGE) purge_enrolments --schedule
	@# Daily jobs, run by the worker (manage.py db_worker) every day from then on: no cron needed.
	$(MANAGE) purge_contracts --schedule
	$(MANAGE) send_reminders --schedule
	$(MANAGE) purge_personal_data --schedule
	$(MANAGE) expire_offers --schedule
	$(MANAGE) clean_lheo_imports --schedule
	$(MANAGE) refresh_organisations
	$(MANAGE) seed_demo --scale small
	$(MANAGE) seed_demo_enrolments
	$(MANAGE) build_search_index
	$(MANAGE) export_open_data

run: db
	$(MANAGE) collectstatic --noinput -v 0
	@# Daily jobs: run once at start, then daily by the worker (scheduled by the db target).
	$(MANAGE) send_reminders
	$(MANAGE) purge_personal_data
	@echo "alternance : http://$(HOST):$(PORT)/ (tâches de fond : manage.py db_worker ; courriels : http://$(HOST):$(PORT)/courriels/)"
	@SITE_URL=http://$(HOST):$(PORT) $(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(MANAGE) makemigrations --check --dry-run -v 0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m bench.search

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 var
