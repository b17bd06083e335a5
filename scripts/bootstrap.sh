#!/usr/bin/env bash
# Installs the project's Python environment from uv.lock into .venv.
# uv itself lives in a small tools venv (.tools); it never downloads a Python.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
export UV_PYTHON_DOWNLOADS=never
if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null && [ "$(id -u)" = 0 ]; then
  # Debian's own python3 keeps venv in a separate package.
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi
# WeasyPrint (PDF reports) needs Pango and HarfBuzz from the system, and a font.
pdf_libs=()
for lib in libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
  libharfbuzz-subset.so.0:libharfbuzz-subset0; do
  /sbin/ldconfig -p 2>/dev/null | grep -q "${lib%%:*}" || pdf_libs+=("${lib##*:}")
done
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || pdf_libs+=(fonts-dejavu-core)
if [ ${#pdf_libs[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
  echo "Installing Debian packages: ${pdf_libs[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pdf_libs[@]}" >/dev/null
fi
if [ ! -x .tools/bin/uv ]; then
  "$PYTHON" -m venv .tools
  .tools/bin/pip install --quiet --disable-pip-version-check uv
fi
.tools/bin/uv sync --frozen --python "$PYTHON" --quiet
