#!/usr/bin/env bash
# Starts the connector on this machine. With no ConnectionStrings__Connector in the environment it uses a private
# MariaDB (installed if missing, data under .data/, port 3407) and a generated key kept in .data/connector.env.
# With nothing configured it is a demo: it also starts the simulators (Exchange + vtenext) with a demo user, configures
# the connector for them and prints how to watch a change flow both ways (CONNECTOR_DEMO=0 turns the demo off).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mkdir -p .data

demo=0
if [ -z "${ConnectionStrings__Connector:-}" ] && [ "${CONNECTOR_DEMO:-1}" != 0 ]; then demo=1; fi
if [ "$demo" = 1 ]; then exec scripts/run-demo.sh; fi

if [ -z "${ConnectionStrings__Connector:-}" ]; then
  scripts/mariadb.sh start
  mariadb --protocol=tcp -h 127.0.0.1 -P "${CONNECTOR_DB_PORT:-3407}" -u connector -pconnector-local \
    -e 'CREATE DATABASE IF NOT EXISTS connector CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
  export ConnectionStrings__Connector="$(scripts/mariadb.sh url connector)"
fi
if [ -z "${Connector__ApiKey:-}" ]; then
  [ -f .data/connector.env ] || echo "Connector__ApiKey=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')" > .data/connector.env
  set -a; . .data/connector.env; set +a
fi
export Connector__DataProtectionKeysPath="${Connector__DataProtectionKeysPath:-$root/.data/keys}"
url="${CONNECTOR_URL:-http://127.0.0.1:5080}"

dotnet build src/Connector.Api -c Release -nologo -clp:ErrorsOnly -v quiet
cat <<MSG

  vtenext Exchange Connector
  Swagger UI : $url/swagger
  Key        : $Connector__ApiKey   (Authorize: X-Connector-Key; X-Crm-User 1; X-Crm-Admin true)
  Try        : curl -H "X-Connector-Key: $Connector__ApiKey" -H "X-Crm-User: 1" -H "X-Crm-Admin: true" $url/api/v1/settings

MSG
exec dotnet run --project src/Connector.Api -c Release --no-build -- --urls "$url"
