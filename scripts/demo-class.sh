#!/usr/bin/env bash
# A robot-led class from start to end on a private broker: Mosquitto on a free port, one
# simulated robot, and the class runner on a lesson. Exits when the class has finished.
# LESSON=phone-call SPEED=0.3 (× real robot time) PRACTICE=2 (s to wait for kiosks: none here)
set -euo pipefail
PY=${PY:-.venv/bin/python}
LESSON=${LESSON:-phone-call}
SPEED=${SPEED:-0.3}
PRACTICE=${PRACTICE:-2}
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)

dir=$(mktemp -d)
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$dir/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
set_tcp_nodelay true
CONF
source "$(dirname "$0")/processes.sh"  # start_broker, start_client; stop_all: robot, then broker
trap 'stop_all; rm -rf "$dir"' EXIT INT TERM
LOGS="$dir" start_broker broker "$MOSQUITTO" -c "$dir/mosquitto.conf"  # its log: $dir/broker.log

echo "private broker on 127.0.0.1:$port"
start_client robot "$PY" -m robot_bridge.robot_sim_cli --broker "127.0.0.1:$port" --center demo --robot liku-1 --speed "$SPEED"
"$PY" -m robot_bridge.bridge_cli --broker "127.0.0.1:$port" --center demo --start demo-class \
  --lesson "$LESSON" --robots liku-1 --practice-seconds "$PRACTICE"
