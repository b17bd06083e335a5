#!/usr/bin/env bash
# Production smoke test: Tillit as it runs in production, against an empty PostgreSQL.
#   scripts/with-postgres.sh scripts/smoke-production.sh
# With production settings (DEBUG off, a secret key, the database task backend, HTTPS
# behind a proxy that sets X-Forwarded-Proto and X-Forwarded-For), it checks the
# deployment, migrates, collects the static files, loads Grästorp and the demo, starts
# gunicorn (2 workers) and a task worker, and then, over HTTP with curl as the proxy
# would: the redirect to HTTPS, the security headers, the public portal, the API docs,
# the static files the pages link (from whitenoise), a login through the form, a staff
# page, limited login attempts, and a report rendered to PDF by the worker. Everything it
# starts is stopped when it ends; a failure prints the last answer and the logs.
# Needs: DATABASE_URL (PostgreSQL), curl. No internet.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
TIMEOUT_START=45   # seconds for gunicorn to answer
TIMEOUT_TASK=90    # seconds for the worker to render the PDF

case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*) ;;
  *) echo "smoke-production: DATABASE_URL must be an empty PostgreSQL database;" \
       "run it as scripts/with-postgres.sh $0" >&2; exit 2 ;;
esac
command -v curl >/dev/null || { echo "smoke-production: curl is missing (scripts/debian-deps.sh)" >&2; exit 2; }

work=$(mktemp -d /tmp/tillit-smoke.XXXXXX)
started=$SECONDS
pids=()

# --- the production environment (see .env.example) ---
unset DEBUG PYTEST_VERSION DJANGO_ALLOW_ASYNC_UNSAFE DJANGO_SETTINGS_MODULE
export SECRET_KEY
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export ALLOWED_HOSTS=127.0.0.1
export TILLIT_TASKS_BACKEND=database
export TILLIT_IMPORT_DIR="$work/imports"
export SESSION_COOKIE_SECURE=true
export TRUST_X_FORWARDED_PROTO=true
export SECURE_SSL_REDIRECT=true
export SECURE_HSTS_SECONDS=3600
export SECURE_HSTS_INCLUDE_SUBDOMAINS=true
export SECURE_HSTS_PRELOAD=true
export TRUSTED_PROXY_COUNT=1
export AXES_FAILURE_LIMIT=5
export CONN_MAX_AGE=60
export EMAIL_URL=consolemail://
export LOG_LEVEL=INFO
export PYTHONUNBUFFERED=1

stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}

show_logs() {
  local log
  for log in "$work"/*.log; do
    [ -s "$log" ] || continue
    echo "----- $(basename "$log") (last 40 lines) -----" >&2
    tail -n 40 "$log" >&2
  done
}

finish() {
  local status=$?
  stop_all
  if [ "$status" -ne 0 ]; then show_logs; fi
  rm -rf "$work"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

fail() {
  echo >&2
  echo "SMOKE TEST FAILED: $*" >&2
  if [ -s "$work/headers" ]; then
    echo "----- the last answer: $(head -n 1 "$work/headers" | tr -d '\r')" >&2
    sed -n '2,40p' "$work/headers" | tr -d '\r' >&2
    head -c 1500 "$work/body" >&2 2>/dev/null || true
    echo >&2
  fi
  exit 1
}

step() { printf '== %-58s (%3ss)\n' "$*" "$((SECONDS - started))"; }

# The management commands, each with its output kept for the report on failure.
manage() {
  local name=$1; shift
  "$PY" manage.py "$@" >"$work/$name.log" 2>&1 || fail "manage.py $* exited with $?"
}

step "check --deploy"
manage check check --deploy --fail-level WARNING

step "migrate, collectstatic, load_preset grastorp, load_demo"
# collectstatic (compressing every file) needs no database: it runs beside the rest.
"$PY" manage.py collectstatic --noinput -v 0 >"$work/collectstatic.log" 2>&1 &
collect=$!
pids+=("$collect")
manage migrate migrate --noinput -v 0
manage preset load_preset grastorp
manage demo load_demo --force
wait "$collect" || fail "manage.py collectstatic exited with $?"

port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
origin="https://127.0.0.1:$port"

step "gunicorn on 127.0.0.1:$port, 2 workers; db_worker"
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$port" --workers 2 --timeout 60 \
  --no-control-socket --access-logfile "$work/access.log" --error-logfile "$work/gunicorn.log" \
  >>"$work/gunicorn.log" 2>&1 &
gunicorn_pid=$!
pids+=("$gunicorn_pid")
"$PY" manage.py db_worker --queue-name default --interval 0.5 --no-reload \
  --no-startup-delay --worker-id smoke-1 >"$work/worker.log" 2>&1 &
worker_pid=$!
pids+=("$worker_pid")

# --- HTTP through the "proxy": curl says what nginx would ---
cookies="$work/cookies"   # name=value lines, updated from every Set-Cookie
: >"$cookies"
status=""
# request METHOD PATH [curl options…]: the answer's status in $status, headers and body in files.
request() {
  local method=$1 path=$2; shift 2
  local cookie_header
  cookie_header=$(paste -sd ';' "$cookies" | sed 's/;/; /g')
  status=$(curl --silent --show-error --noproxy '*' --max-time 30 -X "$method" \
    -H "X-Forwarded-Proto: https" -H "X-Forwarded-For: ${client_address:-198.51.100.10}" \
    ${cookie_header:+-H "Cookie: $cookie_header"} \
    -D "$work/headers" -o "$work/body" -w '%{http_code}' "$@" "$base$path") \
    || fail "$method $path: no answer from gunicorn"
  local line name value
  while IFS= read -r line; do
    line=${line%$'\r'}
    [[ ${line,,} == set-cookie:* ]] || continue
    line=${line#*: }
    name=${line%%=*}
    value=${line#*=}
    value=${value%%;*}
    grep -v "^$name=" "$cookies" >"$cookies.new" || true
    [ -n "$value" ] && echo "$name=$value" >>"$cookies.new"
    mv "$cookies.new" "$cookies"
  done <"$work/headers"
}
header() { grep -i "^$1:" "$work/headers" | head -n 1 | cut -d: -f2- | sed 's/^ *//; s/\r$//'; }
expect_status() { [ "$status" = "$1" ] || fail "$2: expected status $1, got $status"; }
expect_header() {
  local value
  value=$(header "$1")
  [[ $value == $2 ]] || fail "$3: header $1 is '${value}', expected '$2'"
}
cookie() { grep "^$1=" "$cookies" | cut -d= -f2-; }
expect_cookie() {  # NAME PATTERN: the answer sets cookie NAME with attributes like PATTERN
  local line
  line=$(grep -i "^set-cookie: $1=" "$work/headers" | head -n 1 | tr -d '\r')
  [[ $line == *$2* ]] || fail "the $1 cookie is '${line#*: }', expected '$2'"
}

deadline=$((SECONDS + TIMEOUT_START))
until curl --silent --noproxy '*' --max-time 2 -o /dev/null "$base/logga-in/"; do
  kill -0 "$gunicorn_pid" 2>/dev/null || fail "gunicorn stopped while starting"
  kill -0 "$worker_pid" 2>/dev/null || fail "the task worker stopped while starting"
  [ "$SECONDS" -lt "$deadline" ] || fail "gunicorn did not answer within ${TIMEOUT_START}s"
  sleep 0.25
done

step "HTTP is redirected to HTTPS"
status=$(curl --silent --noproxy '*' --max-time 10 -D "$work/headers" -o "$work/body" \
  -w '%{http_code}' "$base/insyn/")
expect_status 301 "GET /insyn/ over plain HTTP"
expect_header Location "https://127.0.0.1:$port/insyn/" "the redirect"

step "security headers"
request GET /
expect_status 200 "GET / (the plan)"
expect_header Content-Security-Policy "*script-src 'self';*" "GET /"
expect_header Content-Security-Policy "*frame-ancestors 'none'*" "GET /"
[[ $(header Content-Security-Policy) != *"script-src 'self' "* ]] || fail "script-src allows more than 'self'"
expect_header X-Frame-Options DENY "GET /"
expect_header X-Content-Type-Options nosniff "GET /"
expect_header Referrer-Policy same-origin "GET /"
expect_header Cross-Origin-Opener-Policy same-origin "GET /"
expect_header Strict-Transport-Security "max-age=3600; includeSubDomains; preload" "GET /"

step "the public portal"
request GET /insyn/
expect_status 200 "GET /insyn/ (the public portal)"
expect_header Content-Type "text/html*" "GET /insyn/"

step "static files from whitenoise, the API docs"
request GET /api/docs/
expect_status 200 "GET /api/docs/ (Swagger UI)"
request GET "/api/docs/?script="
expect_status 200 "GET /api/docs/?script= (Swagger UI's own script, not inline)"
for page in / /insyn/ /api/docs/; do
  request GET "$page"
  for file in $(grep -o '\(src\|href\)="/static/[^"]*"' "$work/body" | cut -d'"' -f2 | sort -u); do
    [[ $file =~ \.[0-9a-f]{12}\.[a-z0-9]+$ ]] || fail "$page links $file, which has no hashed name"
    request GET "$file"
    expect_status 200 "GET $file (linked from $page)"
  done
done
request GET /
css=$(grep -o 'href="/static/tillit/tillit\.[0-9a-f]*\.css"' "$work/body" | head -n 1 | cut -d'"' -f2)
[ -n "$css" ] || fail "the page links no hashed tillit.css (collectstatic's manifest)"
request GET "$css" -H "Accept-Encoding: gzip"
expect_status 200 "GET $css"
expect_header Cache-Control "*max-age=315360000*immutable*" "GET $css"
expect_header Content-Encoding gzip "GET $css (compressed copy)"
expect_header Content-Type "text/css*" "GET $css"

step "log in through the form"
request GET /logga-in/
expect_status 200 "GET /logga-in/"
expect_cookie csrftoken "; Secure"
token=$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$work/body" | head -n 1 | cut -d'"' -f4)
[ -n "$token" ] || fail "the login form has no CSRF token"
request POST /logga-in/ -H "Origin: $origin" -H "Referer: $origin/logga-in/" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=strateg" \
  --data-urlencode "password=tillit-demo" --data-urlencode "next=/rapporter/"
expect_status 302 "logging in as strateg"
expect_header Location /rapporter/ "logging in as strateg"
expect_cookie sessionid "; HttpOnly; *SameSite=Lax; Secure"
[ -n "$(cookie sessionid)" ] || fail "no session cookie after logging in"

step "a staff page"
request GET /rapporter/
expect_status 200 "GET /rapporter/ (logged in)"
grep -q 'action="/logga-ut/"' "$work/body" || fail "GET /rapporter/ does not show the logged-in page"
report=$(grep -o 'href="/rapporter/[0-9]*/"' "$work/body" | head -n 1 | grep -o '[0-9]\+')
[ -n "$report" ] || fail "the demo has no report to render"

step "login attempts are limited per client address"
saved_cookies=$(cat "$cookies")
: >"$cookies"
client_address=203.0.113.66
request GET /logga-in/
token=$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$work/body" | head -n 1 | cut -d'"' -f4)
for attempt in 1 2 3 4 5; do
  request POST /logga-in/ -H "Origin: $origin" --data-urlencode "csrfmiddlewaretoken=$token" \
    --data-urlencode "username=medledare" --data-urlencode "password=wrong-$attempt"
done
expect_status 429 "the 5th wrong password for medledare from $client_address"
grep -q 'id="locked-out"' "$work/body" || fail "the 429 answer is not the locked-out page"
request POST /logga-in/ -H "Origin: $origin" --data-urlencode "csrfmiddlewaretoken=$token" \
  --data-urlencode "username=medledare" --data-urlencode "password=tillit-demo"
expect_status 429 "the right password while locked out"
client_address=198.51.100.77
request POST /logga-in/ -H "Origin: $origin" --data-urlencode "csrfmiddlewaretoken=$token" \
  --data-urlencode "username=medledare" --data-urlencode "password=tillit-demo"
expect_status 302 "medledare from another address"
unset client_address
printf '%s\n' "$saved_cookies" >"$cookies"

step "a report rendered to PDF by the task worker"
request GET "/rapporter/$report/"
expect_status 200 "GET /rapporter/$report/"
request POST "/rapporter/$report/rendera/" -H "Origin: $origin" \
  --data-urlencode "csrfmiddlewaretoken=$(cookie csrftoken)" --data-urlencode "format=pdf"
expect_status 302 "ordering a PDF of report $report"
job=$(header Location)
[[ $job == /rapporter/$report/rendering/*/ ]] || fail "ordering a PDF led to '$job', not its rendering page"
deadline=$((SECONDS + TIMEOUT_TASK))
while :; do
  request GET "${job}fil"
  [ "$status" = 200 ] && break
  [ "$status" = 404 ] || fail "GET ${job}fil: expected 404 (not ready) or 200, got $status"
  kill -0 "$worker_pid" 2>/dev/null || fail "the task worker stopped"
  request GET "$job"
  grep -q 'badge--render-failed' "$work/body" && fail "the rendering failed (see worker.log)"
  [ "$SECONDS" -lt "$deadline" ] || fail "the worker did not render the PDF within ${TIMEOUT_TASK}s"
  sleep 0.5
done
expect_header Content-Type application/pdf "the rendered file"
[ "$(head -c 5 "$work/body")" = "%PDF-" ] || fail "the rendered file is not a PDF"
grep -q "render_report_job" "$work/worker.log" || fail "worker.log does not show the rendering task"

step "stop gunicorn and the worker"
stop_all
echo "Production smoke test passed in $((SECONDS - started))s."
