#!/usr/bin/env bash
# Make a CA of its own and a certificate for the central broker: for a trial, and what
# deploy/install-central installs when it is given no certificates (the centers trust this CA
# alone, through their credentials file). Where your organisation has a CA, use it instead
# (install-central --tls DIR). Usage: make-dev-ca.sh OUT_DIR [HOSTNAME ...]
# Writes OUT_DIR/ca.crt, ca.key, central.crt, central.key. The first hostname (default
# localhost) is the certificate's name; every name is added as a subjectAltName (an IPv4
# address as an IP one), plus 127.0.0.1. It serves as a client's certificate too (clientAuth):
# the nodes of central's NATS cluster present it to each other on their routes
# (docs/central-cluster.md), so name every node's route host as well.
# Mosquitto reads its key after dropping to the `mosquitto` user, so central.key is 0640 and
# group `mosquitto` where that group exists (run as root, or as a member of the group);
# ca.key stays 0600: the broker never needs it.
set -euo pipefail
out=${1:?usage: make-dev-ca.sh OUT_DIR [HOSTNAME ...]}
shift || true
names=("${@:-localhost}")
mkdir -p "$out"
cd "$out"

san="IP:127.0.0.1"
for name in "${names[@]}"; do
  if [[ $name =~ ^[0-9]+(\.[0-9]+){3}$ ]]; then san="$san,IP:$name"; else san="$san,DNS:$name"; fi
done

openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=Sarangbang development CA" \
  -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=${names[0]}" \
  -keyout central.key -out central.csr 2>/dev/null
openssl x509 -req -in central.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 \
  -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san") \
  -out central.crt 2>/dev/null
rm -f central.csr ca.srl
chmod 600 ca.key
chmod 640 central.key
chmod 644 ca.crt central.crt
if getent group mosquitto >/dev/null; then
  chgrp mosquitto central.key || echo "warning: could not give $out/central.key to group mosquitto (run as root)" >&2
fi
echo "CA: $out/ca.crt  broker certificate: $out/central.crt ($san)"
