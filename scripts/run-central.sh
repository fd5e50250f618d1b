#!/usr/bin/env bash
# `make central`: a private central on this machine — its own Mosquitto, intake, and the
# instructor dashboard with the site monitor — on ports nothing else uses by default.
# The first run creates an admin and prints its password once. Ctrl-C stops everything.
set -euo pipefail

PY=${PY:-.venv/bin/python}
DATA=${CENTRAL_DATA:-var/central-demo}
BROKER_PORT=${CENTRAL_BROKER_PORT:-18830}  # not 1883: never a broker that happens to run here
WEB_PORT=${CENTRAL_WEB_PORT:-8470}
DB="$DATA/central.db"
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)

port_free() { "$PY" -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))" "$1" 2>/dev/null; }
for port in "$BROKER_PORT" "$WEB_PORT"; do
  port_free "$port" || { echo "port $port is taken: set CENTRAL_BROKER_PORT / CENTRAL_WEB_PORT" >&2; exit 1; }
done

mkdir -p "$DATA/mosquitto"
cat > "$DATA/mosquitto/mosquitto.conf" <<CONF
listener $BROKER_PORT 127.0.0.1
allow_anonymous true
persistence true
persistence_location $PWD/$DATA/mosquitto/
user $(id -un)
log_dest file $PWD/$DATA/mosquitto/mosquitto.log
CONF

source "$(dirname "$0")/processes.sh"  # start_broker, start_client; stop_all: clients, then broker
trap stop_all EXIT INT TERM

start_broker broker "$MOSQUITTO" -c "$DATA/mosquitto/mosquitto.conf"
"$PY" -m central --db "$DB" add-center demo-1 "사랑방 시범 경로당" >/dev/null
if [ ! -e "$DATA/admin-created" ]; then
  echo "== first admin (the password is shown only this once) =="
  "$PY" -m central --db "$DB" create-admin admin
  touch "$DATA/admin-created"
fi
start_client intake "$PY" -m central --db "$DB" intake --broker "127.0.0.1:$BROKER_PORT"
echo "== central: broker 127.0.0.1:$BROKER_PORT, dashboard http://127.0.0.1:$WEB_PORT/ (Ctrl-C stops) =="
start_client dashboard "$PY" -m central --db "$DB" serve --port "$WEB_PORT" --broker "127.0.0.1:$BROKER_PORT"
wait "${clients[-1]}"
