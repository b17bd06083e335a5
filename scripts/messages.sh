#!/usr/bin/env bash
# Refresh the Swedish catalogue from the code and templates, then compile it.
# Afterwards: translate every new or empty msgstr in locale/sv/LC_MESSAGES/django.po
# (and remove any "#, fuzzy" flag), then run this script again to rebuild the .mo.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=true
.venv/bin/python manage.py makemessages -l sv --no-location --no-obsolete \
    --ignore=.venv --ignore=.tools --ignore=node_modules --ignore=staticfiles
# The ignores keep compilemessages to the project's own locale/.
.venv/bin/python manage.py compilemessages -l sv --ignore=.venv --ignore=.tools
