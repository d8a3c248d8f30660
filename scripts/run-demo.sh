#!/usr/bin/env bash
# The demo `scripts/run.sh` runs when nothing is configured: private MariaDB, the simulators (Exchange over HTTPS with a
# throw-away CA + OAuth authority, vtenext's webservice), a demo user on both sides, the connector configured for them.
# Fresh state on every start (databases connector_demo and vtenext_demo are recreated). Ctrl-C stops everything.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
state="$root/.data/demo"
rm -rf "$state"; mkdir -p "$state"

connector_url="${CONNECTOR_URL:-http://127.0.0.1:5080}"
sim_https="https://127.0.0.1:${SIM_HTTPS_PORT:-5443}"
crm_url="http://127.0.0.1:${SIM_HTTP_PORT:-5090}"
tenant=aaaabbbb-0000-cccc-1111-dddd2222eeee; client=11111111-2222-3333-4444-555555555555; secret="demo-$(head -c 12 /dev/urandom | base64 | tr '+/' '-_')"
mailbox=demo@example.test
key="demo-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"

scripts/mariadb.sh start
sql() { mariadb --protocol=tcp -h 127.0.0.1 -P "${CONNECTOR_DB_PORT:-3407}" -u connector -pconnector-local -e "$1"; }
sql 'DROP DATABASE IF EXISTS connector_demo; DROP DATABASE IF EXISTS vtenext_demo;
     CREATE DATABASE connector_demo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
     CREATE DATABASE vtenext_demo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;'

echo "Building the connector and the simulators ..."
dotnet build src/Connector.Api -c Release -nologo -clp:ErrorsOnly -v quiet
dotnet build tests/Connector.Simulators -c Release -nologo -clp:ErrorsOnly -v quiet

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
dotnet run --project tests/Connector.Simulators -c Release --no-build -- --urls "$sim_https;$crm_url" --ca-out "$state/sim-ca.pem" \
  --Vtenext:ConnectionString="$(scripts/mariadb.sh url vtenext_demo)" --Vtenext:ServerTimeZone=Europe/Rome > "$state/simulators.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do [ -f "$state/sim-ca.pem" ] && curl -sf --cacert "$state/sim-ca.pem" "$sim_https/_sim/health" > /dev/null && break; sleep 0.5; done
post() { curl -sf --cacert "$state/sim-ca.pem" -X POST "$1" -H 'Content-Type: application/json' -d "$2"; }
post "$sim_https/_sim/apps" "{\"tenantId\":\"$tenant\",\"clientId\":\"$client\",\"clientSecret\":\"$secret\"}" > /dev/null
post "$sim_https/_sim/mailboxes" "{\"address\":\"$mailbox\",\"displayName\":\"Demo User\",\"password\":\"Demo-P@ss1\"}" > /dev/null
post "$crm_url/_sim/crm/users" '{"userName":"exchange","email":"exchange@crm.example","accessKey":"AKexchangeDemo01","isAdmin":true,"timeZone":"Europe/Rome","dateFormat":"yyyy-mm-dd"}' > /dev/null
demo_user=$(post "$crm_url/_sim/crm/users" "{\"userName\":\"demo\",\"email\":\"$mailbox\",\"accessKey\":\"AKdemoUser000001\",\"isAdmin\":false,\"timeZone\":\"Europe/Rome\",\"dateFormat\":\"yyyy-mm-dd\"}")

export ConnectionStrings__Connector="$(scripts/mariadb.sh url connector_demo)"
export ConnectionStrings__Vtenext="$(scripts/mariadb.sh url vtenext_demo)"
export Connector__ApiKey="$key"
export Connector__DataProtectionKeysPath="$state/keys"
export Connector__ExtraCaBundlePath="$state/sim-ca.pem"
export Connector__Sync__PollSeconds=1
dotnet run --project src/Connector.Api -c Release --no-build -- --urls "$connector_url" > "$state/connector.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do curl -sf "$connector_url/health/ready" > /dev/null && break; sleep 0.5; done
api() { curl -sf -X "$1" "$connector_url$2" -H "X-Connector-Key: $key" -H 'X-Crm-User: 1' -H 'X-Crm-Admin: true' -H 'Content-Type: application/json' -d "$3"; }
api PUT /api/v1/settings "{\"exchangeKind\":\"microsoft365\",\"graphBaseUrl\":\"$sim_https\",\"authorityHost\":\"$sim_https\",\"tenantId\":\"$tenant\",\"clientId\":\"$client\",\"clientSecret\":\"$secret\",\"vtenextUrl\":\"$crm_url/\",\"vtenextUser\":\"exchange\",\"vtenextAccessKey\":\"AKexchangeDemo01\"}" > /dev/null
demo_id=$(echo "$demo_user" | jq -r .id)
api PUT "/api/v1/users/$demo_id/preferences" "{\"enabled\":true,\"mailbox\":\"$mailbox\",\"authMethod\":\"application\"}" > /dev/null

cat > "$state/demo.env" <<ENV
CONNECTOR_URL=$connector_url
CONNECTOR_KEY=$key
SIM_HTTPS=$sim_https
CRM_URL=$crm_url
TENANT_ID=$tenant
CLIENT_ID=$client
CLIENT_SECRET=$secret
MAILBOX=$mailbox
CRM_DEMO_USER=demo
CRM_DEMO_KEY=AKdemoUser000001
CRM_DEMO_ID=$demo_id
CRM_DEMO_WSID=$(echo "$demo_user" | jq -r .wsId)
ENV

cat <<MSG

  vtenext Exchange Connector — demo (simulated Exchange and vtenext, user "demo" <$mailbox>)
  Swagger UI : $connector_url/swagger      key: $key  (X-Crm-User 1, X-Crm-Admin true)

  Watch a change flow both ways (in another terminal):
    scripts/demo.sh crm-event "Lunch with Carla"     # saved in vtenext  -> appears in Exchange
    scripts/demo.sh exchange-event "Dentist"         # created in Exchange -> appears in vtenext
    scripts/demo.sh show                             # both calendars
    curl -s -H "X-Connector-Key: $key" -H "X-Crm-User: $demo_id" $connector_url/api/v1/users/$demo_id/status | jq

  Logs: $state/connector.log, $state/simulators.log.  Ctrl-C stops everything.
MSG
wait "${pids[1]}"
