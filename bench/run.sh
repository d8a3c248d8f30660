#!/usr/bin/env bash
# Runs the scale benchmark (bench/Connector.Bench): builds the connector, the simulators and the benchmark in Release,
# starts the private MariaDB, then measures and writes bench/RESULTS.md (or, with --smoke, .data/bench/SMOKE.md and
# its .counts.json). Any other arguments go to the benchmark (--only memory,initial,latency,hook, --latency-ms N, ...).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/mariadb.sh start > /dev/null
for p in src/Connector.Api tests/Connector.Simulators bench/Connector.Bench; do
  dotnet build "$p" -c Release -nologo -clp:ErrorsOnly -v quiet
done
exec dotnet bench/Connector.Bench/bin/Release/net10.0/Connector.Bench.dll --root "$root" "$@"
