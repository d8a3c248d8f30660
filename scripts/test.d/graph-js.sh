#!/usr/bin/env bash
# Conformance: Microsoft's JavaScript Graph client (@microsoft/microsoft-graph-client, from npm) runs a scenario
# against the Graph simulator over HTTPS (the simulator's throw-away CA trusted via NODE_EXTRA_CA_CERTS).
# Argument: file to write "PASSED FAILED" into.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
counts="${1:-/dev/null}"
work="$(mktemp -d)"
sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "graph-js: $*"; echo "0 1" > "$counts"; exit 1; }

(cd "$root/tests/graph-js" && npm ci --no-audit --no-fund --silent) || fail "npm ci failed"
dotnet build "$root/tests/Connector.Simulators" -nologo -clp:ErrorsOnly -v q >/dev/null || fail "simulator build failed"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
base="https://127.0.0.1:$port"
dotnet run --no-build --project "$root/tests/Connector.Simulators" -- --urls "$base" --ca-out "$work/ca.pem" > "$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do
  [ -f "$work/ca.pem" ] && curl -sf --cacert "$work/ca.pem" "$base/_sim/health" >/dev/null && break
  sleep 0.2
done
curl -sf --cacert "$work/ca.pem" "$base/_sim/health" >/dev/null || { cat "$work/sim.log"; fail "simulator did not start"; }

tenant="aaaabbbb-0000-cccc-1111-dddd2222eeee"; client_id="22222222-3333-4444-5555-666666666666"; secret="js-conformance-secret"
post() { curl -sf --cacert "$work/ca.pem" -H 'Content-Type: application/json' -d "$2" "$base$1" >/dev/null || fail "setup $1 failed"; }
post /_sim/apps "{\"tenantId\":\"$tenant\",\"clientId\":\"$client_id\",\"clientSecret\":\"$secret\"}"
post /_sim/mailboxes '{"address":"js-organizer@contoso.com","displayName":"JS Organizer","password":"pw-organizer"}'
post /_sim/mailboxes '{"address":"js-attendee@contoso.com","displayName":"JS Attendee","password":"pw-attendee"}'

cd "$root/tests/graph-js"
NODE_EXTRA_CA_CERTS="$work/ca.pem" GRAPH_SIM_URL="$base" GRAPH_SIM_TENANT="$tenant" GRAPH_SIM_CLIENT_ID="$client_id" \
  GRAPH_SIM_CLIENT_SECRET="$secret" RESULT_FILE="$counts" node scenario.mjs
status=$?
[ -s "$counts" ] || echo "0 1" > "$counts"
exit $status
