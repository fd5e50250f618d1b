# Sourced by the demo scripts (demo.sh, demo-class.sh, run-central.sh): start brokers and
# the programs that use them in the background, and stop them in the right order.
#
#   start_broker NAME CMD...   a broker, in its own session: a Ctrl-C at the terminal (SIGINT
#                              to the whole foreground group) must not take it away before
#                              its clients have said goodbye through it
#   start_client NAME CMD...   a program on a broker
#   stop_all                   clients first (SIGTERM, then up to STOP_SECONDS for them to go,
#                              then SIGKILL), then the brokers the same way
# Output goes to $LOGS/NAME.log when LOGS is set, else to the terminal.
STOP_SECONDS=${STOP_SECONDS:-3}  # every program stops within 3 s (tests/test_stop_signals.py)
brokers=()
clients=()

_background() {  # _background NAME CMD...: run CMD in the background; its pid in $!
  local name=$1; shift
  if [ -n "${LOGS:-}" ]; then "$@" >>"$LOGS/$name.log" 2>&1 & else "$@" & fi
}
start_broker() { _background "$1" setsid "${@:2}"; brokers+=($!); }
start_client() { _background "$@"; clients+=($!); }

_alive() {  # _alive PID...: true while any of them runs
  local pid
  for pid; do kill -0 "$pid" 2>/dev/null && return 0; done
  return 1
}

stop_pids() {  # stop_pids PID...: SIGTERM, wait up to STOP_SECONDS, SIGKILL what is left
  [ $# -gt 0 ] || return 0
  kill "$@" 2>/dev/null || true
  local tries=$((STOP_SECONDS * 10))
  while [ "$tries" -gt 0 ] && _alive "$@"; do sleep 0.1; tries=$((tries - 1)); done
  if _alive "$@"; then
    echo "still running after ${STOP_SECONDS}s, killed: $(ps -o args= -p "$*" 2>/dev/null | tr '\n' ';')" >&2
    kill -KILL "$@" 2>/dev/null || true
  fi
  wait "$@" 2>/dev/null || true
}

stop_all() {
  trap - EXIT INT TERM
  stop_pids "${clients[@]}"
  stop_pids "${brokers[@]}"
}
