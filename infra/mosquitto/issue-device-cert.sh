#!/usr/bin/env bash
# Issues a client certificate for one device, signed by the local CA (.rpm/ca.key), for the
# client-certificate listener (RPM_MQTT_CERT_PORT, 8885). The broker takes the certificate's CN
# as the MQTT username, so CN = deviceId and the device's dynamic-security client and role
# (created at registration by the care-api) still decide what it may publish.
#   bash infra/mosquitto/issue-device-cert.sh DEVICE_ID [OUT_DIR]   # OUT_DIR defaults to .rpm/devices
# Writes OUT_DIR/DEVICE_ID.key (mode 600) and OUT_DIR/DEVICE_ID.crt; prints the two paths.
# Validity: RPM_DEVICE_CERT_DAYS (365). An existing pair is replaced (re-issue = rotation).
COMPONENT=device-cert
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1

device_id="${1:-}"; out_dir="${2:-$RPM_DIR/devices}"
days="${RPM_DEVICE_CERT_DAYS:-365}"
[ -n "$device_id" ] || die "usage: bash infra/mosquitto/issue-device-cert.sh DEVICE_ID [OUT_DIR]"
# The deviceId rule of libs/contracts (DeviceId); it also keeps the CN free of '/', '=' and ','.
[[ "$device_id" =~ ^[A-Za-z0-9][A-Za-z0-9._:-]{2,63}$ ]] || die "not a valid deviceId: 3-64 of letters, digits and . _ : -, starting with a letter or digit"
# A certificate named after a platform client (rpm-admin, rpm-ingest) would log in as that client.
[[ "$device_id" != rpm-* ]] || die "ids starting with rpm- are reserved for the platform's own broker clients"
[[ "$days" =~ ^[1-9][0-9]*$ ]] || die "RPM_DEVICE_CERT_DAYS must be a positive number of days"
need_cmd openssl "apt-get install -y openssl"
[ -s "$CA_KEY" ] && [ -s "$CA_CERT" ] || die "no local CA: run bash infra/tls.sh (or infra/up.sh) first"

mkdir -p "$out_dir"
umask 077
key="$out_dir/$device_id.key"; crt="$out_dir/$device_id.crt"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%s\n' "extendedKeyUsage=clientAuth" "keyUsage=critical,digitalSignature" "basicConstraints=critical,CA:FALSE" \
  "authorityKeyIdentifier=keyid" >"$work/ext"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/key" 2>/dev/null \
  && openssl req -new -key "$work/key" -subj "/O=RPM devices/CN=$device_id" -out "$work/csr" 2>/dev/null \
  && openssl x509 -req -in "$work/csr" -CA "$CA_CERT" -CAkey "$CA_KEY" -set_serial "0x$(openssl rand -hex 16)" \
    -sha256 -days "$days" -extfile "$work/ext" -out "$work/crt" 2>/dev/null \
  || die "openssl could not issue the certificate for $device_id"
# Moved into place only once both exist, so a failed run never leaves a key without its certificate.
mv "$work/key" "$key"; chmod 600 "$key"
mv "$work/crt" "$crt"; chmod 644 "$crt"
log "issued $crt (CN=$device_id, until $(openssl x509 -in "$crt" -noout -enddate | cut -d= -f2))" >&2
printf '%s\n%s\n' "$key" "$crt"
