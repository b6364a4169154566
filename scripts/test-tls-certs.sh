#!/usr/bin/env bash
# Certificates for the TLS tests, made the way Docker's "Protect the Docker daemon socket" guide makes them (openssl):
# a CA, a server certificate for 127.0.0.1 (and localhost), a client certificate; and a second, unrelated CA.
# Usage: scripts/test-tls-certs.sh DIR      writes into DIR:
#   ca.pem ca-key.pem                 the CA
#   server-cert.pem server-key.pem    serverAuth, subjectAltName IP:127.0.0.1, DNS:localhost, signed by the CA
#   cert.pem key.pem                  the client certificate (clientAuth), signed by the CA
#   other-ca.pem                      a CA that signed nothing here
#   ip-only-cert.pem ip-only-key.pem  serverAuth for IP:127.0.0.1 only (no DNS name), signed by the CA
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 1; }
D=$1
mkdir -p "$D"
cd "$D"
q() { "$@" 2>/dev/null >/dev/null || { echo "test-tls-certs: failed: $*" >&2; exit 1; }; }
q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 3 -subj "/CN=sancho test CA"
q openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca-key.pem -out other-ca.pem -days 3 -subj "/CN=other CA"
sign() { # name cn extensions
  q openssl req -newkey rsa:2048 -nodes -keyout "$1-key.pem" -out "$1.csr" -subj "/CN=$2"
  printf '%s\n' "$3" >"$1.ext"
  q openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3 -out "$1-cert.pem" -extfile "$1.ext"
  rm -f "$1.csr" "$1.ext"
}
sign server 127.0.0.1 $'subjectAltName = IP:127.0.0.1,DNS:localhost\nextendedKeyUsage = serverAuth'
sign ip-only 127.0.0.1 $'subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth'
sign client sancho-client 'extendedKeyUsage = clientAuth'
mv client-cert.pem cert.pem
mv client-key.pem key.pem
rm -f other-ca-key.pem ca.srl
