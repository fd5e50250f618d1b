#!/usr/bin/env bash
# Install the Debian packages Sarangbang needs, skipping those already present.
# Uses sudo when not root. Safe to run again: it does nothing when all are installed.
set -euo pipefail

PACKAGES=(
  mosquitto mosquitto-clients          # site/central MQTT broker and the CLI tools vendors use
  python3                              # Debian's own: deploy/install-center runs before any venv
  espeak-ng libespeak-ng1              # speech synthesis (pyttsx3 drives it)
  libportaudio2                        # the microphone for voice commands (sounddevice)
  fonts-nanum                          # Korean font; Kivy's default font has no Hangul
  fonts-dejavu-core                    # the symbols NanumGothic lacks (⌫ ✓ −), bold too
  fonts-noto-color-emoji               # only scripts/make_lesson_pictures.py (the PNGs are committed)
  libmtdev1                            # Kivy's touch input provider links against it
  libgl1 libegl1 libgles2 libgl1-mesa-dri  # Mesa GL for Kivy's offscreen and real windows
  sox                                  # test utterances and noise for voice-command tests
  openssl                              # deploy/tls/make-dev-ca.sh (TLS for the central broker)
  chromium                             # the dashboard's real-browser test (driven by Playwright)
  systemd                              # systemd-analyze: deploy/systemd's units are verified
  postgresql                           # central on PostgreSQL: the tests start their own server
  nats-server                          # central's broker as a NATS cluster (docs/central-cluster.md): tests start their own
)

missing=()
# Debian splits venv support out of python3; without it `python3 -m venv` fails.
if ! python3 -c 'import ensurepip' 2>/dev/null; then
  missing+=("python3-venv")
fi
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1
  fi
fi

echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
