#!/usr/bin/env bash
# The whole suite: lint, then every test on PostgreSQL, the production smoke test
# (gunicorn, PostgreSQL and the task worker, scripts/smoke-production.sh), and every test
# again on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/debian-deps.sh
.venv/bin/ruff check .
export DJANGO_ALLOW_ASYNC_UNSAFE=true
unset DEBUG
echo "== Suite on PostgreSQL =="
scripts/with-postgres.sh .venv/bin/pytest "$@"
echo "== Production smoke test on PostgreSQL =="
scripts/with-postgres.sh scripts/smoke-production.sh
echo "== Suite on SQLite =="
DATABASE_URL="sqlite:///$(pwd)/.test-sqlite.db" .venv/bin/pytest "$@"
