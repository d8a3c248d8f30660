#!/usr/bin/env bash
# A private MariaDB for the demo run, the tests and the benchmarks: its own data directory under the
# repository (git-ignored) and its own loopback port, so it never touches a system MariaDB.
#   scripts/mariadb.sh start   -> installs MariaDB if missing, starts the instance, prints nothing else
#   scripts/mariadb.sh stop
#   scripts/mariadb.sh url [db] -> prints an ADO.NET connection string (MySql.Data) for database [db]
#   scripts/mariadb.sh server-url -> the same without a database (tests create their own)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${CONNECTOR_DB_PORT:-3407}"
data="${CONNECTOR_DB_DIR:-$root/.data/mariadb}"
sock="$data/mysqld.sock"
user=connector
pass=connector-local

client() { mariadb --protocol=tcp -h 127.0.0.1 -P "$port" "$@"; }
ready() { client -u "$user" -p"$pass" -e 'select 1' >/dev/null 2>&1; }

install_if_missing() {
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    echo "Installing mariadb-server (Debian package)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq mariadb-server mariadb-client >&2
  fi
}

start() {
  if ready; then return 0; fi
  install_if_missing
  mkdir -p "$data"
  if [ ! -d "$data/db/mysql" ]; then
    mariadb-install-db --datadir="$data/db" --auth-root-authentication-method=normal \
      --skip-test-db --user="$(id -un)" >"$data/install.log" 2>&1
  fi
  # --user is only accepted (and needed) when running as root.
  local as_user=()
  [ "$(id -u)" = 0 ] && as_user=(--user=root)
  nohup /usr/sbin/mariadbd --no-defaults --datadir="$data/db" --port="$port" --bind-address=127.0.0.1 \
    --socket="$sock" --pid-file="$data/mysqld.pid" --log-error="$data/error.log" "${as_user[@]}" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --max-connections=1000 \
    --innodb-buffer-pool-size=256M --skip-name-resolve >/dev/null 2>&1 &
  for _ in $(seq 1 120); do
    if mariadb --protocol=socket -S "$sock" -u root -e 'select 1' >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  mariadb --protocol=socket -S "$sock" -u root <<SQL
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$pass';
CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$pass';
GRANT ALL PRIVILEGES ON *.* TO '$user'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
  ready || { echo "MariaDB did not start; see $data/error.log" >&2; exit 1; }
}

stop() {
  [ -f "$data/mysqld.pid" ] && kill "$(cat "$data/mysqld.pid")" 2>/dev/null || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "Server=127.0.0.1;Port=$port;Database=${2:-connector};Uid=$user;Pwd=$pass;SslMode=None;AllowPublicKeyRetrieval=true;CharSet=utf8mb4" ;;
  server-url) echo "Server=127.0.0.1;Port=$port;Uid=$user;Pwd=$pass;SslMode=None;AllowPublicKeyRetrieval=true;CharSet=utf8mb4" ;;
  *) echo "usage: $0 start|stop|url [database]|server-url" >&2; exit 2 ;;
esac
