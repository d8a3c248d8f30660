#!/usr/bin/env bash
# Builds the zip that vtenext's Module Manager imports (Settings > Module Manager > Import new module):
# manifest.xml at the root plus modules/ExchangeConnector/. Output: php-bridge/build/ExchangeConnector-<version>.zip
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' manifest.xml | head -n1)"
[ -n "$version" ] || { echo "manifest.xml has no <version>" >&2; exit 1; }

# Every file must at least parse (the module also has to run on PHP 7.4: keep to 7.4 syntax).
find modules -name '*.php' -print0 | while IFS= read -r -d '' f; do
  php -l "$f" >/dev/null || { echo "syntax error in $f" >&2; exit 1; }
done

mkdir -p build
out="build/ExchangeConnector-$version.zip"
rm -f "$out"
# -X: no extra file attributes, so the same sources give the same zip.
zip -q -X -r "$out" manifest.xml modules -x '*/.*'
echo "$here/$out"
