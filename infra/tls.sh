#!/usr/bin/env bash
# Ensures the local TLS material under .rpm/ (never committed):
#   ca.key, ca.crt                    a CA for this checkout (ECDSA P-256, 10 years)
#   mqtt-server.key, mqtt-server.crt  Mosquitto's certificate for 127.0.0.1 / localhost, signed by it
# Idempotent. Re-issues what is missing, expires within RPM_TLS_RENEW_DAYS (30) days, does not
# match its key, or (server) is not verified by the current CA or lacks a required name.
#   bash infra/tls.sh                 # ensure
#   bash infra/tls.sh --renew-server  # re-issue the server certificate now (rotation)
#   bash infra/tls.sh --renew-ca      # new CA + server certificate: every device certificate and
#                                     # every copy of the old ca.crt must be replaced
# infra/mosquitto/up.sh picks a new server certificate up with SIGHUP, a new CA with a restart.
COMPONENT=tls
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1

CA_DAYS=3650
# 397 days: the longest validity clients such as browsers and Apple's TLS stack accept for a server certificate.
SERVER_DAYS=397
RENEW_DAYS="${RPM_TLS_RENEW_DAYS:-30}"
SERVER_NAMES="IP:127.0.0.1,DNS:localhost"

renew_ca=0; renew_server=""
for a in "$@"; do
  case "$a" in
    --renew-ca) renew_ca=1 ;; --renew-server) renew_server="renewal requested" ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown option $a (see: bash infra/tls.sh --help)" ;;
  esac
done
need_cmd openssl "apt-get install -y openssl"
mkdir -p "$RPM_DIR"
chmod 700 "$RPM_DIR"
umask 077

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; chmod 600 "$1"; }
# key_matches KEY CERT -> 0 when the certificate carries the key's public half
key_matches() { [ "$(openssl pkey -in "$1" -pubout 2>/dev/null)" = "$(openssl x509 -in "$2" -noout -pubkey 2>/dev/null)" ]; }
valid_long_enough() { openssl x509 -in "$1" -noout -checkend $((RENEW_DAYS * 86400)) >/dev/null 2>&1; }
random_serial() { printf '0x%s' "$(openssl rand -hex 16)"; }

# ca_problem -> prints why the CA must be (re-)issued; nothing when it is fine
ca_problem() {
  [ "$renew_ca" = 1 ] && { echo "renewal requested"; return; }
  [ -s "$CA_KEY" ] && [ -s "$CA_CERT" ] || { echo "missing"; return; }
  valid_long_enough "$CA_CERT" || { echo "expires within $RENEW_DAYS days"; return; }
  key_matches "$CA_KEY" "$CA_CERT" || echo "ca.key does not match ca.crt"
}

server_problem() {
  [ -n "$renew_server" ] && { echo "$renew_server"; return; }
  [ -s "$MQTT_SERVER_KEY" ] && [ -s "$MQTT_SERVER_CERT" ] || { echo "missing"; return; }
  valid_long_enough "$MQTT_SERVER_CERT" || { echo "expires within $RENEW_DAYS days"; return; }
  openssl verify -CAfile "$CA_CERT" "$MQTT_SERVER_CERT" >/dev/null 2>&1 || { echo "not signed by the current CA"; return; }
  key_matches "$MQTT_SERVER_KEY" "$MQTT_SERVER_CERT" || { echo "key does not match"; return; }
  local names
  names="$(openssl x509 -in "$MQTT_SERVER_CERT" -noout -ext subjectAltName 2>/dev/null | tr -d ' \n')"
  [[ "$names" == *"IPAddress:127.0.0.1"* && "$names" == *"DNS:localhost"* ]] || echo "names differ from $SERVER_NAMES"
}

if reason="$(ca_problem)" && [ -n "$reason" ]; then
  [ -s "$CA_CERT" ] && warn "re-issuing the local CA ($reason): device certificates issued by the old one stop working; hand out the new ca.crt"
  log "issuing the local CA ($reason)"
  new_key "$CA_KEY"
  openssl req -x509 -new -key "$CA_KEY" -sha256 -days "$CA_DAYS" -set_serial "$(random_serial)" \
    -subj "/O=RPM local/CN=RPM local CA $(hostname -s 2>/dev/null || echo dev)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" -out "$CA_CERT" 2>/dev/null || die "openssl could not create the CA"
  chmod 644 "$CA_CERT"
  renew_server="new CA"
fi

if reason="$(server_problem)" && [ -n "$reason" ]; then
  log "issuing the MQTT server certificate for $SERVER_NAMES ($reason)"
  ext="$(mktemp)"; csr="$(mktemp)"
  trap 'rm -f "$ext" "$csr"' EXIT
  printf '%s\n' "subjectAltName=$SERVER_NAMES" "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature" \
    "basicConstraints=critical,CA:FALSE" "authorityKeyIdentifier=keyid" "subjectKeyIdentifier=hash" >"$ext"
  new_key "$MQTT_SERVER_KEY"
  openssl req -new -key "$MQTT_SERVER_KEY" -subj "/O=RPM local/CN=localhost" -out "$csr" 2>/dev/null \
    && openssl x509 -req -in "$csr" -CA "$CA_CERT" -CAkey "$CA_KEY" -set_serial "$(random_serial)" -sha256 \
      -days "$SERVER_DAYS" -extfile "$ext" -out "$MQTT_SERVER_CERT" 2>/dev/null \
    || die "openssl could not issue the server certificate"
  chmod 644 "$MQTT_SERVER_CERT"
fi

ok "TLS ready: ${CA_CERT#"$ROOT_DIR"/} (until $(openssl x509 -in "$CA_CERT" -noout -enddate | cut -d= -f2)), ${MQTT_SERVER_CERT#"$ROOT_DIR"/} (until $(openssl x509 -in "$MQTT_SERVER_CERT" -noout -enddate | cut -d= -f2))"
