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

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

"$MOSQUITTO" -c "$DATA/mosquitto/mosquitto.conf" & pids+=($!)
"$PY" -m central --db "$DB" add-center demo-1 "사랑방 시범 경로당" >/dev/null
if [ ! -e "$DATA/admin-created" ]; then
  echo "== first admin (the password is shown only this once) =="
  "$PY" -m central --db "$DB" create-admin admin
  touch "$DATA/admin-created"
fi
"$PY" -m central --db "$DB" intake --broker "127.0.0.1:$BROKER_PORT" & pids+=($!)
echo "== central: broker 127.0.0.1:$BROKER_PORT, dashboard http://127.0.0.1:$WEB_PORT/ (Ctrl-C stops) =="
"$PY" -m central --db "$DB" serve --port "$WEB_PORT" --broker "127.0.0.1:$BROKER_PORT" & pids+=($!)
wait "${pids[-1]}"
