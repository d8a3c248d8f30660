#!/usr/bin/env bash
# Smoke run of the scale benchmark (bench/Connector.Bench) at tiny sizes, so it keeps working: 10 users with live
# channels, an initial sync of 100 events, 30 changes each way at 10/s; then memory and initial sync again over EWS;
# then 20 vtenext saves through the php-bridge's hook against the real connector (the hook section).
# No timing is asserted; the run fails when a size was not measured, an item did not arrive or the initial sync did not
# finish. Runs the Debug build scripts/test.sh made.
# Argument: file to write "PASSED FAILED" into. Writes .data/bench/SMOKE.md, SMOKE-EWS.md, SMOKE-HOOK.md and their .counts.json.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
counts="${1:-/dev/null}"
cd "$root"
fail() { echo "bench-smoke: $*"; echo "0 1" > "$counts"; exit 1; }
scripts/mariadb.sh start > /dev/null || fail "MariaDB did not start"
# scripts/test.sh has built the solution (Debug); build only what is missing when run on its own.
for p in src/Connector.Api/bin/Debug/net10.0/Connector.Api.dll tests/Connector.Simulators/bin/Debug/net10.0/Connector.Simulators.dll \
         bench/Connector.Bench/bin/Debug/net10.0/Connector.Bench.dll; do
  [ -f "$p" ] || dotnet build Connector.sln -nologo -clp:ErrorsOnly -v q > /dev/null || fail "build failed"
done
if timeout 110 dotnet bench/Connector.Bench/bin/Debug/net10.0/Connector.Bench.dll --root "$root" --smoke --configuration Debug \
     --only memory,initial,latency --out "$root/.data/bench/SMOKE.md" \
   && timeout 90 dotnet bench/Connector.Bench/bin/Debug/net10.0/Connector.Bench.dll --root "$root" --smoke --configuration Debug \
     --exchange ews --only memory,initial --out "$root/.data/bench/SMOKE-EWS.md" \
   && timeout 90 dotnet bench/Connector.Bench/bin/Debug/net10.0/Connector.Bench.dll --root "$root" --smoke --configuration Debug \
     --only hook --out "$root/.data/bench/SMOKE-HOOK.md"; then
  echo "1 0" > "$counts"
else
  fail "the smoke run failed (see above, and logs under .data/bench/)"
fi
