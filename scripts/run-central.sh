#!/usr/bin/env bash
# `make central`: a private central on this machine — its own Mosquitto (deploy/'s central
# config: TLS listener for centers, logins, the ACL), intake, and the instructor dashboard
# with the site monitor — on ports nothing else uses by default.
# The first run creates an admin and prints its password once. Ctrl-C stops everything.
set -euo pipefail

PY=${PY:-.venv/bin/python}
DATA=${CENTRAL_DATA:-var/central-demo}
BROKER_PORT=${CENTRAL_BROKER_PORT:-18830}  # not 1883: never a broker that happens to run here
TLS_PORT=${CENTRAL_TLS_PORT:-18883}
WEB_PORT=${CENTRAL_WEB_PORT:-8470}
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)

port_free() { "$PY" -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))" "$1" 2>/dev/null; }
for port in "$BROKER_PORT" "$TLS_PORT" "$WEB_PORT"; do
  port_free "$port" || { echo "port $port is taken: set CENTRAL_BROKER_PORT / CENTRAL_TLS_PORT / CENTRAL_WEB_PORT" >&2; exit 1; }
done

mkdir -p "$DATA"/{mosquitto/config,mosquitto/conf.d,mosquitto/data}
DATA=$(cd "$DATA" && pwd)
DB="$DATA/central.db"
M="$DATA/mosquitto"
[ -s "$DATA/intake.password" ] || (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(18))' > "$DATA/intake.password")
[ -s "$DATA/tls/ca.crt" ] || deploy/tls/make-dev-ca.sh "$DATA/tls" localhost >/dev/null
cp deploy/mosquitto/acl "$M/config/acl"
rm -f "$M/config/passwords"
{ cat "$DATA/intake.password"; cat "$DATA/intake.password"; } | mosquitto_passwd -c "$M/config/passwords" central-intake >/dev/null
"$PY" deploy/render.py deploy/mosquitto/central.conf.in "$M/conf.d/sarangbang-central.conf" \
  config_dir="$M/config" tls_dir="$DATA/tls" tls_port="$TLS_PORT" local_port="$BROKER_PORT"
# what Debian's stock mosquitto.conf says, with the snippet in our conf.d
cat > "$M/mosquitto.conf" <<CONF
persistence true
persistence_location $M/data/
include_dir $M/conf.d
user $(id -un)
log_dest file $M/mosquitto.log
CONF

source "$(dirname "$0")/processes.sh"  # start_broker, start_client; stop_all: clients, then broker
trap stop_all EXIT INT TERM

start_broker broker "$MOSQUITTO" -c "$M/mosquitto.conf"
"$PY" -m central --db "$DB" add-center demo-1 "사랑방 시범 경로당" >/dev/null
if [ ! -e "$DATA/admin-created" ]; then
  echo "== first admin (the password is shown only this once) =="
  "$PY" -m central --db "$DB" create-admin admin
  touch "$DATA/admin-created"
fi
login=(--broker "127.0.0.1:$BROKER_PORT" --username central-intake --password-file "$DATA/intake.password")
start_client intake "$PY" -m central --db "$DB" intake "${login[@]}"
echo "== central: broker 127.0.0.1:$BROKER_PORT (TLS for centers: $TLS_PORT), dashboard http://127.0.0.1:$WEB_PORT/ (Ctrl-C stops) =="
start_client dashboard "$PY" -m central --db "$DB" serve --port "$WEB_PORT" "${login[@]}"
wait "${clients[-1]}"
