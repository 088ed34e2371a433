#!/usr/bin/env bash
# Regenerates the TLS test certificates in this directory (committed; valid for 100 years, so rarely needed):
#   ca.pem / ca.key         a test CA
#   server-a.pem/.key       server certificate "cuckoocache-test-a" for localhost / 127.0.0.1, signed by the CA
#   server-b.pem/.key       the same for "cuckoocache-test-b" (refresh_certs swaps a for b)
#   client.pem/.key         a client certificate signed by the CA (mutual TLS)
#   other-ca.pem, rogue-client.pem/.key   a second CA and a client it signed (not trusted by the server)
# Keys are PKCS#8 PEM ("BEGIN PRIVATE KEY"), the form Netty and memcached both read.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
days=36500
ca() { # name subject
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days "$days" -subj "/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
leaf() { # name subject ca extensions
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
  printf '%s\n' "$4" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -out "$1.pem" -days "$days" \
    -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext" "$3.srl"
}
ca ca cuckoocache-test-ca
ca other-ca cuckoocache-other-ca
server_ext='subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth'
leaf server-a cuckoocache-test-a ca "$server_ext"
leaf server-b cuckoocache-test-b ca "$server_ext"
leaf client cuckoocache-test-client ca 'extendedKeyUsage=clientAuth'
leaf rogue-client cuckoocache-rogue-client other-ca 'extendedKeyUsage=clientAuth'
rm -f other-ca.key
