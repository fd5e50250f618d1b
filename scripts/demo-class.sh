#!/usr/bin/env bash
# A robot-led class from start to end on a private broker: a site broker rendered from
# deploy/ (logins and ACL, as at a center) on a free port, one simulated robot, and the class
# runner on a lesson. Exits when the class has finished.
# LESSON=phone-call SPEED=0.3 (× real robot time) PRACTICE=2 (s to wait for kiosks: none here)
set -euo pipefail
PY=${PY:-.venv/bin/python}
LESSON=${LESSON:-phone-call}
SPEED=${SPEED:-0.3}
PRACTICE=${PRACTICE:-2}
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
DEPLOY=$(cd "$(dirname "$0")/../deploy" && pwd)

dir=$(mktemp -d)
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$dir/conf.d" "$dir/data"
"$PY" "$DEPLOY/render.py" "$DEPLOY/mosquitto/site.conf.in" "$dir/conf.d/sarangbang-site.conf" \
  site_port="$port" site_bind=127.0.0.1 config_dir="$dir/config"
"$PY" "$DEPLOY/site_users.py" --config-dir "$dir/config" init demo
"$PY" "$DEPLOY/site_users.py" --config-dir "$dir/config" add robot liku-1 --secret-file "$dir/robot.password" >/dev/null
"$PY" "$DEPLOY/site_users.py" --config-dir "$dir/config" add runner main --secret-file "$dir/runner.password" >/dev/null
cat > "$dir/mosquitto.conf" <<CONF
persistence false
include_dir $dir/conf.d
user $(id -un)
CONF
source "$(dirname "$0")/processes.sh"  # start_broker, start_client; stop_all: robot, then broker
trap 'stop_all; rm -rf "$dir"' EXIT INT TERM
LOGS="$dir" start_broker broker "$MOSQUITTO" -c "$dir/mosquitto.conf"  # its log: $dir/broker.log

echo "private broker on 127.0.0.1:$port"
start_client robot "$PY" -m robot_bridge.robots.robot_sim_cli --broker "127.0.0.1:$port" --center demo --robot liku-1 --speed "$SPEED" \
  --username robot.liku-1 --password-file "$dir/robot.password"
"$PY" -m robot_bridge.classes.bridge_cli --broker "127.0.0.1:$port" --center demo --start demo-class \
  --lesson "$LESSON" --robots liku-1 --practice-seconds "$PRACTICE" \
  --username runner.main --password-file "$dir/runner.password"
