#!/usr/bin/env bash
# `make run`: the whole platform on this machine, built from the real deploy/ configs.
#   central: its Mosquitto (TLS for centers, passwords, ACL), intake, dashboard + site monitor
#   a site:  its Mosquitto bridged to central over TLS, a simulated robot, the class runner,
#            the library keeper (lessons published at central reach the kiosk through it),
#            the kiosk's sync agent, and the kiosk itself (a window; without a screen, the
#            rest keeps running and the dashboard is the way in)
# Ports (set to move them): DEMO_WEB_PORT 8470, DEMO_CENTRAL_PORT 18830 (local) and
# DEMO_CENTRAL_TLS_PORT 18883, DEMO_SITE_PORT 18840. Data: var/demo. Ctrl-C stops it all.
set -euo pipefail

PY=${PY:-.venv/bin/python}
DATA=${DEMO_DATA:-var/demo}
WEB_PORT=${DEMO_WEB_PORT:-8470}
CENTRAL_PORT=${DEMO_CENTRAL_PORT:-18830}
CENTRAL_TLS_PORT=${DEMO_CENTRAL_TLS_PORT:-18883}
SITE_PORT=${DEMO_SITE_PORT:-18840}
CENTER=demo-center
ROBOT=liku-1
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
ROOT=$PWD

port_free() { "$PY" -c "import socket,sys; socket.socket().bind(('127.0.0.1', int(sys.argv[1])))" "$1" 2>/dev/null; }
for port in "$WEB_PORT" "$CENTRAL_PORT" "$CENTRAL_TLS_PORT" "$SITE_PORT"; do
  port_free "$port" || { echo "port $port is taken: see the DEMO_*_PORT settings in $0" >&2; exit 1; }
done

mkdir -p "$DATA"/{central/config,central/conf.d,central/broker,site/config,site/conf.d,site/secrets,site/broker,logs}
DATA=$(cd "$DATA" && pwd)
secret() { [ -s "$1" ] || (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(18))' > "$1"); cat "$1"; }
INTAKE_PW=$(secret "$DATA/central/intake.password")
CENTER_PW=$(secret "$DATA/central/center.password")
run_as_me="user $(id -un)"  # as root, mosquitto would switch to a user who cannot read var/
main_conf() {  # main_conf DIR: what Debian's stock mosquitto.conf says, for DIR/conf.d
  printf 'persistence true\npersistence_location %s/broker/\ninclude_dir %s/conf.d\n%s\nlog_dest file %s\n' \
    "$1" "$1" "$run_as_me" "$DATA/logs/$2-broker.log" > "$1/mosquitto.conf"
}

# -- central's broker: TLS for centers, a local listener for central's own services
[ -s "$DATA/tls/ca.crt" ] || deploy/tls/make-dev-ca.sh "$DATA/tls" localhost >/dev/null
cp deploy/mosquitto/acl "$DATA/central/config/acl"
rm -f "$DATA/central/config/passwords"
mosquitto_passwd -c -b "$DATA/central/config/passwords" central-intake "$INTAKE_PW"
mosquitto_passwd -b "$DATA/central/config/passwords" "$CENTER" "$CENTER_PW"
"$PY" deploy/render.py deploy/mosquitto/central.conf.in "$DATA/central/conf.d/sarangbang-central.conf" \
  config_dir="$DATA/central/config" tls_dir="$DATA/tls" tls_port="$CENTRAL_TLS_PORT" \
  local_port="$CENTRAL_PORT"
main_conf "$DATA/central" central

# -- the site's broker, bridged to central; every device has its own login
"$PY" deploy/render.py deploy/mosquitto/site.conf.in "$DATA/site/conf.d/sarangbang-site.conf" \
  site_port="$SITE_PORT" site_bind=127.0.0.1 config_dir="$DATA/site/config"
"$PY" deploy/render.py deploy/mosquitto/site-bridge.conf.in "$DATA/site/conf.d/sarangbang-bridge.conf" \
  center="$CENTER" password@="$DATA/central/center.password" \
  central_addresses="localhost:$CENTRAL_TLS_PORT" try_private=true tls_dir="$DATA/tls" \
  bridge_client_id="sarangbang-bridge-$CENTER"  # one central Mosquitto: it ties ids to logins
main_conf "$DATA/site" site
SITE_USERS=("$PY" deploy/site_users.py --config-dir "$DATA/site/config")
"${SITE_USERS[@]}" init "$CENTER"
for device in "kiosk kiosk-1" "robot $ROBOT" "runner main" "keeper main"; do
  read -r role id <<<"$device"
  "${SITE_USERS[@]}" add "$role" "$id" --secret-file "$DATA/site/secrets/$role.$id.password" >/dev/null
done
robot_login=(--username "robot.$ROBOT" --password-file "$DATA/site/secrets/robot.$ROBOT.password")
runner_login=(--username runner.main --password-file "$DATA/site/secrets/runner.main.password")
keeper_login=(--username keeper.main --password-file "$DATA/site/secrets/keeper.main.password")

# -- central's signing key; the keeper and the kiosk trust it (docs/lesson-publishing.md)
DB="$DATA/central/central.db"
LIBRARY_KEY=$("$PY" -m central --db "$DB" publish-key)
echo "$LIBRARY_KEY" > "$DATA/site/library-keys"

# -- the kiosk's config: its roster comes from central through the sync agent
cat > "$DATA/site/kiosk.toml" <<TOML
# The demo kiosk (written by scripts/demo.sh); docs/kiosk.md lists every key.
center_id = "$CENTER"
kiosk_id = "kiosk-1"
instructor_pin = "2580"
data_dir = "kiosk-data"

[screen]
diagonal_inches = 24.0
width_px = 1920
height_px = 1080
fullscreen = false

[broker]
host = "127.0.0.1"
port = $SITE_PORT
username = "kiosk.kiosk-1"
password_file = "secrets/kiosk.kiosk-1.password"

[library]
trusted_keys = ["$LIBRARY_KEY"]
TOML

LOGS="$DATA/logs"
source "$(dirname "$0")/processes.sh"  # start_broker, start_client; stop_all: clients, then brokers
trap stop_all EXIT INT TERM

"$PY" scripts/demo_seed.py "$DB" "$CENTER" "$ROBOT"
if [ -z "$("$PY" -m central --db "$DB" lesson-versions)" ]; then
  echo "== publishing the bundled lessons as version 1 (checked and signed) =="
  "$PY" -m central --db "$DB" publish-lessons lessons/library --note "the bundled library"
fi
if [ ! -e "$DATA/central/admin-created" ]; then
  echo "== dashboard admin (the password is shown only this once) =="
  "$PY" -m central --db "$DB" create-admin admin
  touch "$DATA/central/admin-created"
fi
start_broker central-broker "$MOSQUITTO" -c "$DATA/central/mosquitto.conf"
start_broker site-broker "$MOSQUITTO" -c "$DATA/site/mosquitto.conf"
sleep 0.5
central_login=(--broker "127.0.0.1:$CENTRAL_PORT" --username central-intake --password-file "$DATA/central/intake.password")
start_client intake "$PY" -m central --db "$DB" intake "${central_login[@]}"
start_client dashboard "$PY" -m central --db "$DB" serve --port "$WEB_PORT" "${central_login[@]}"
start_client robot "$PY" -m robot_bridge.robots.robot_sim_cli --broker "127.0.0.1:$SITE_PORT" --center "$CENTER" --robot "$ROBOT" "${robot_login[@]}"
start_client class-runner "$PY" -m robot_bridge.classes.bridge_cli --broker "127.0.0.1:$SITE_PORT" --center "$CENTER" "${runner_login[@]}" --published "$DATA/site/library" --trusted-keys "$DATA/site/library-keys"
start_client library-keeper "$PY" -m robot_bridge.library.keeper_cli --broker "127.0.0.1:$SITE_PORT" --center "$CENTER" "${keeper_login[@]}" --dir "$DATA/site/library" --trusted-keys "$DATA/site/library-keys"
start_client sync-agent "$PY" -m kiosk_app.sync.sync_cli --config "$DATA/site/kiosk.toml"

cat <<MSG
== Sarangbang is running ==
  dashboard      http://127.0.0.1:$WEB_PORT/   (user: admin)
  central broker 127.0.0.1:$CENTRAL_PORT (local), localhost:$CENTRAL_TLS_PORT (TLS, for centers)
  site broker    127.0.0.1:$SITE_PORT, bridged to central; robot $ROBOT; class runner;
                 library keeper; sync agent
  lessons        publish a changed copy: $PY -m central --db $DB publish-lessons DIR --note "…"
  logs           $DATA/logs/   kiosk instructor PIN: 2580
MSG

if problem=$("$PY" -c 'from kiosk_app.cli import startup_problem as p; print(p() or "")') && [ -z "$problem" ]; then
  echo "== the kiosk window opens; close it (or Ctrl-C) to stop everything =="
  "$PY" -m kiosk_app --config "$DATA/site/kiosk.toml" || true
else
  echo "== no kiosk window: $problem"
  echo "== everything else keeps running; Ctrl-C stops it =="
  wait "${clients[@]}"
fi
