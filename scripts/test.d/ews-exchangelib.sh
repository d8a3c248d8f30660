#!/usr/bin/env bash
# The EWS simulator checked by an independent client: Debian's python3-exchangelib (run with /usr/bin/python3, NTLM)
# creates a calendar item, reads it, syncs, receives a change over a streaming subscription, deletes it.
# Writes "passed failed" to the file named by $1 (scripts/test.sh reads it).
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
counts="${1:-/dev/null}"
cd "$root"
echo "0 1" > "$counts"

if ! /usr/bin/python3 -c "import exchangelib" 2>/dev/null; then
  echo "python3-exchangelib is not installed (apt-get install python3-exchangelib)"; exit 1
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log="$root/.data/test-results/ews-exchangelib-simulator.log"
mkdir -p "$(dirname "$log")"
dotnet build tests/Connector.Simulators -nologo -clp:ErrorsOnly >/dev/null || { echo "simulator build failed"; exit 1; }
# Streams close after 3 s instead of exchangelib's one-minute minimum ConnectionTimeout, to keep the suite fast.
# Run the built simulator directly (not through "dotnet run") so $sim is the server itself and the trap stops it.
dotnet tests/Connector.Simulators/bin/Debug/net10.0/Connector.Simulators.dll --urls "http://127.0.0.1:$port" \
  --Ews:ConnectionTimeoutMilliseconds=3000 --Ews:HeartbeatMilliseconds=1000 >"$log" 2>&1 &
sim=$!
trap 'kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null' EXIT

# Wait for the simulator, then add the mailbox (python's urllib: no curl needed on the CI image).
/usr/bin/python3 - "$port" <<'PY' || { echo "the simulator did not come up or refused the mailbox"; cat "$log"; exit 1; }
import json, sys, time, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
for _ in range(150):
    try:
        urllib.request.urlopen(base + "/_sim/health", timeout=2)
        break
    except OSError:
        time.sleep(0.2)
body = json.dumps({"address": "pyews@contoso.com", "displayName": "Py Ews", "password": "Py-Ews-pass1!"}).encode()
request = urllib.request.Request(base + "/_sim/mailboxes", data=body, headers={"Content-Type": "application/json"})
urllib.request.urlopen(request, timeout=10)
PY

out=$(timeout 120 /usr/bin/python3 tests/ews-exchangelib/scenario.py "http://127.0.0.1:$port/EWS/Exchange.asmx" \
  'CONTOSO\pyews' 'Py-Ews-pass1!' pyews@contoso.com 2>&1)
status=$?
echo "$out"
summary=$(echo "$out" | tail -n 1)
if [[ "$summary" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}" > "$counts"
fi
exit $status
