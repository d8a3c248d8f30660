#!/usr/bin/env bash
# Runs every test in the repository: .NET (unit, integration against a real MariaDB, end to end over loopback),
# PHP (the bridge) and the conformance clients. Prints "N passed, N failed" last; exits non-zero on any failure.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
results="$root/.data/test-results"
rm -rf "$results" && mkdir -p "$results"

scripts/mariadb.sh start || { echo "MariaDB could not be started"; exit 1; }
export CONNECTOR_TEST_DB="${CONNECTOR_TEST_DB:-$(scripts/mariadb.sh server-url)}"

passed=0; failed=0; status=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

echo "== .NET tests"
dotnet build Connector.sln -c Debug -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
dotnet test Connector.sln --no-build -nologo 2>&1 | tee "$results/dotnet.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 51, Skipped: 0, Total: 51"
read -r p f < <(sed -nE 's/.*(Passed|Failed)! +- +Failed: +([0-9]+), +Passed: +([0-9]+).*/\3 \2/p' "$results/dotnet.log" \
  | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
count "$p" "$f"

for suite in scripts/test.d/*.sh; do
  [ -e "$suite" ] || continue
  echo "== $(basename "$suite" .sh)"
  out="$results/$(basename "$suite" .sh).counts"
  if bash "$suite" "$out"; then :; else status=1; fi
  if [ -f "$out" ]; then read -r p f < "$out"; count "$p" "$f"; else count 0 1; fi
done

[ "$failed" -eq 0 ] || status=1
echo
echo "$passed passed, $failed failed"
exit $status
