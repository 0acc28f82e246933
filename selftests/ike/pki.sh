#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The test PKI of selftests/kipsec-ike.sh, with strongswan-pki (5.9.8);
# after ../../shared/reference/charon/pki.sh. Two hierarchies, each a root
# CA and one certificate per host, the host's name as subjectAltName (the
# IKE identity) and as CN:
#
#   DIR/rsa/    RSA 2048: caKey.pem caCert.pem moonKey.pem moonCert.pem
#               sunKey.pem sunCert.pem
#   DIR/ecdsa/  ECDSA P-256: the same files
#
# RSA keys are 2048 bits, not the reference's 3072: key generation under
# TCG is slow and the size does not matter to the test.
#
# usage: pki.sh DIR
set -e
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
mkdir -p "$1"
cd "$1"
# a quiet plugin list for pki alone
printf 'pki { load = random pem pkcs1 pkcs8 x509 openssl sha1 sha2 }\n' >pki.conf
STRONGSWAN_CONF=$(pwd)/pki.conf
export STRONGSWAN_CONF

# hierarchy TYPE SIZE
hierarchy() {
	mkdir -p "$1"
	pki --gen --type "$1" --size "$2" --outform pem >"$1/caKey.pem"
	pki --self --ca --lifetime 3650 --in "$1/caKey.pem" --type "$1" \
		--dn "C=CH, O=kipsec test, CN=kipsec test $1 root CA" \
		--outform pem >"$1/caCert.pem"
	for h in moon sun; do
		pki --gen --type "$1" --size "$2" --outform pem >"$1/${h}Key.pem"
		pki --issue --cacert "$1/caCert.pem" --cakey "$1/caKey.pem" \
			--type priv --in "$1/${h}Key.pem" \
			--dn "C=CH, O=kipsec test, CN=$h.test" --san "$h.test" \
			--flag serverAuth --flag clientAuth --lifetime 365 \
			--outform pem >"$1/${h}Cert.pem"
	done
}

hierarchy rsa 2048
hierarchy ecdsa 256
