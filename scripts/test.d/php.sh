#!/usr/bin/env bash
# The PHP bridge's PHPUnit suite (php-bridge/phpunit.xml) against the private MariaDB. Writes "PASSED FAILED" into
# the file given as $1, counted from PHPUnit's JUnit log; exits non-zero when anything failed.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
counts="${1:?usage: php.sh COUNTS_FILE}"
junit="$(mktemp --suffix=.xml)"
trap 'rm -f "$junit"' EXIT

"$root/scripts/mariadb.sh" start >/dev/null || { echo "0 1" > "$counts"; exit 1; }
command -v phpunit >/dev/null || { echo "phpunit is not installed (Debian package phpunit)"; echo "0 1" > "$counts"; exit 1; }

cd "$root/php-bridge"
phpunit --configuration phpunit.xml --log-junit "$junit"
status=$?

if [ -s "$junit" ]; then
  read -r passed failed < <(php -r '
    $suite = simplexml_load_file($argv[1])->testsuite;
    $failed = (int)$suite["failures"] + (int)$suite["errors"];
    echo ((int)$suite["tests"] - $failed - (int)$suite["skipped"]), " ", $failed, "\n";' "$junit")
else
  passed=0; failed=1 # phpunit did not even start
fi
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "$passed $failed" > "$counts"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
