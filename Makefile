# Tillit: the two commands. Everything else is reached from these.
#   make run   install, migrate, load the Grästorp model and demo, serve on 127.0.0.1:8000
#   make test  install (incl. Debian packages), lint, run the suite on PostgreSQL and on SQLite
SHELL := /bin/bash
PY := .venv/bin/python

.PHONY: run test install lint format clean

install: .venv/.synced

.venv/.synced: pyproject.toml uv.lock scripts/bootstrap.sh
	scripts/bootstrap.sh
	@touch $@

run: install
	@export DEBUG=$${DEBUG:-true}; set -e; \
	$(PY) manage.py migrate --noinput -v 0; \
	$(PY) manage.py load_preset grastorp; \
	$(PY) manage.py load_demo; \
	exec $(PY) manage.py runserver 127.0.0.1:8000

test: install
	scripts/test.sh

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: install
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

clean:
	rm -rf .venv .tools db.sqlite3 staticfiles
