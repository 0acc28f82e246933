/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Certificate authentication (RFC 7296 sections 2.15 and 3.6 to 3.8,
 * RFC 7427): X.509 certificates and private keys laid out as swanctl lays
 * them out, the identity a certificate stands for, the peer's chain
 * checked against the configured CAs, and the signatures of the AUTH
 * payload. OpenSSL parses, validates and signs; this file decides what to
 * ask of it and says in words why something was refused.
 *
 * Functions that can fail for a reason a user must read write one
 * sentence into why (size bytes). The others return a negative enum
 * ike_cert_err. Private keys stay inside struct ike_local_cred: nothing
 * here prints them, and the file buffers they are read from are wiped.
 */
#ifndef KIPSEC_IKE_CERT_H
#define KIPSEC_IKE_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ike.h"

/*
 * Relative paths are taken from under a base directory, as swanctl does
 * under /etc/swanctl: local certificates from x509/, CA certificates from
 * x509ca/, private keys from private/. A private key that is not named is
 * looked for in private/, rsa/, ecdsa/ and pkcs8/. Absolute paths are used
 * as they are.
 */
#define IKE_CERT_DIR		"x509"
#define IKE_CA_DIR		"x509ca"
#define IKE_KEY_DIR		"private"

#define IKE_DN_MAX		1024	/* the DER of a DN identity */
#define IKE_CERTREQ_HASH_LEN	20	/* SHA-1 of a CA's SubjectPublicKeyInfo */
/*
 * The largest AUTH data we sign: the AlgorithmIdentifier's length octet,
 * the longest AlgorithmIdentifier (RSASSA-PSS, 67 bytes) and an RSA
 * signature of 8192 bits, the largest key we load.
 */
#define IKE_AUTH_SIG_MAX	(1 + 67 + 1024)

enum ike_cert_err {
	IKE_CERT_EINVAL		= -1,	/* bad argument or buffer: our bug */
	IKE_CERT_EFAIL		= -2,	/* OpenSSL failed: memory */
	IKE_CERT_EBADSIG	= -3,	/* the signature does not verify */
	IKE_CERT_EUNSUPP	= -4,	/* an algorithm, key or ID we refuse */
	IKE_CERT_EMALFORMED	= -5,	/* AUTH data or notify we cannot parse */
	IKE_CERT_EKEYTYPE	= -6,	/* the algorithm is not for this key */
	IKE_CERT_EUNTRUSTED	= -7,	/* the chain does not validate */
	IKE_CERT_EID		= -8,	/* the ID is not the certificate's */
};

const char *ike_cert_strerror(int err);

/* ---- certificates ---- */

struct ike_cert;

/* PEM or DER, from dir/path (path if absolute); NULL with why filled. */
struct ike_cert *ike_cert_load(const char *dir, const char *path, char *why,
			       size_t size);
/* The data of a CERT payload of encoding IKE_CERT_X509_SIG. */
struct ike_cert *ike_cert_from_der(const uint8_t *der, size_t len, char *why,
				   size_t size);
void ike_cert_free(struct ike_cert *c);

/* The DER of the certificate: what our CERT payload carries. */
const uint8_t *ike_cert_der(const struct ike_cert *c, size_t *len);
/* "C=CH, O=strongSwan Test, CN=sun.test", as strongSwan writes DNs. */
const char *ike_cert_subject_text(const struct ike_cert *c, char *buf,
				  size_t size);
/* The DER of the subject: the ID_DER_ASN1_DN we send when no id is set. */
ssize_t ike_cert_subject_der(const struct ike_cert *c, uint8_t *buf,
			     size_t size);

/*
 * Whether an identity (an ID payload's type and data) is the
 * certificate's: a DN equal to its subject (compared as RFC 5280 says:
 * case and spacing aside), or an FQDN, RFC 822 address or IP address
 * among its subjectAltNames. 0, or EID with why as "certificate
 * C=CH, O=strongSwan Test, CN=sun.test has no subjectAltName DNS:moon.test
 * (it has DNS:sun.test)"; EUNSUPP for other ID types, EMALFORMED for data
 * that cannot be what its type says.
 */
int ike_cert_id_check(const struct ike_cert *c, uint8_t type,
		      const uint8_t *id, size_t len, char *why, size_t size);

/* ---- distinguished names ---- */

/*
 * A DN as the configuration writes it, "C=CH, O=strongSwan Test,
 * CN=sun.test" (or "/C=CH/O=.../CN=..."), into DER. The attribute names
 * are strongSwan's (SN is serialNumber, S surname, E emailAddress) and so
 * are the string types: PrintableString where the value allows it,
 * UTF8String otherwise, IA5String for E. The length, or -1 with why.
 */
ssize_t ike_dn_from_text(const char *s, uint8_t *der, size_t size, char *why,
			 size_t wsize);
/* The reverse, for logs and the status: an ID_DER_ASN1_DN's data. */
const char *ike_dn_text(const uint8_t *der, size_t len, char *buf,
			size_t size);

/* ---- our certificate and its private key ---- */

struct ike_local_cred;

/*
 * The certificate (under base/IKE_CERT_DIR) and its private key: key is
 * a path under base/IKE_KEY_DIR, or NULL to search the key directories
 * for the key whose public half is the certificate's. RSA (2048 to 8192
 * bits), ECDSA on P-256, P-384 and P-521, and Ed25519. Encrypted keys are
 * refused: there is no one to ask for the passphrase.
 */
struct ike_local_cred *ike_local_cred_load(const char *base, const char *cert,
					   const char *key, char *why,
					   size_t size);
void ike_local_cred_free(struct ike_local_cred *lc);
const struct ike_cert *ike_local_cred_cert(const struct ike_local_cred *lc);

/* ---- the CAs we trust for a peer ---- */

struct ike_ca_store;

/* The certificates of a remote round's cacerts, under base/IKE_CA_DIR. */
struct ike_ca_store *ike_ca_store_load(const char *base,
				       char *const *paths, size_t n,
				       char *why, size_t size);
void ike_ca_store_free(struct ike_ca_store *cas);

/*
 * A CERTREQ payload's data (encoding IKE_CERT_X509_SIG): the SHA-1 of
 * each CA's SubjectPublicKeyInfo, in the order loaded. Its length.
 */
ssize_t ike_ca_store_certreq(const struct ike_ca_store *cas, uint8_t *buf,
			     size_t size);

/*
 * The peer's end-entity certificate (its first CERT payload) and the
 * intermediates it sent (the others, in any order), against cas at the
 * present time: signatures, validity periods, basicConstraints and
 * keyUsage of the CAs, and of the end entity a keyUsage that allows
 * digitalSignature if it has one. 0, or EUNTRUSTED with why saying which
 * certificate failed and how: "certificate CN=... is not valid until
 * 2030-01-01 00:00:00 UTC", "issuer CN=Other CA of CN=... is not among
 * the configured CA certificates (we trust CN=...; CN=...)".
 */
int ike_cert_verify_chain(const struct ike_ca_store *cas,
			  const struct ike_cert *ee,
			  const struct ike_cert *const *im, size_t n_im,
			  char *why, size_t size);

/* ---- signatures (the AUTH payload) ---- */

enum ike_sig_scheme {
	IKE_SIG_NONE,
	/* AUTH method 14, RFC 7427: AlgorithmIdentifier then signature */
	IKE_SIG_RSA_SHA256,		/* RSASSA-PKCS1-v1_5 */
	IKE_SIG_RSA_SHA384,
	IKE_SIG_RSA_SHA512,
	IKE_SIG_RSA_PSS_SHA256,		/* MGF1 with the same hash, salt */
	IKE_SIG_RSA_PSS_SHA384,		/* as long as the hash */
	IKE_SIG_RSA_PSS_SHA512,
	IKE_SIG_ECDSA_SHA256,		/* DER Ecdsa-Sig-Value */
	IKE_SIG_ECDSA_SHA384,
	IKE_SIG_ECDSA_SHA512,
	IKE_SIG_ED25519,
	/* RFC 7296's own methods, for peers without RFC 7427 */
	IKE_SIG_RSA_SIG,		/* method 1: PKCS#1 v1.5, SHA-1 */
	IKE_SIG_ECDSA_256,		/* method 9: P-256, SHA-256, r | s */
	IKE_SIG_ECDSA_384,		/* method 10: P-384, SHA-384 */
	IKE_SIG_ECDSA_521,		/* method 11: P-521, SHA-512 */
};

/* The AUTH method a scheme is sent with; 0 for IKE_SIG_NONE. */
uint8_t ike_sig_method(enum ike_sig_scheme scheme);
/* "sha256WithRSAEncryption", "RSASSA-PSS with SHA-256", "ECDSA_256"... */
const char *ike_sig_name(enum ike_sig_scheme scheme);

/*
 * The data of our SIGNATURE_HASH_ALGORITHMS notify, sent in IKE_SA_INIT:
 * the hashes we verify RFC 7427 signatures with (SHA2-256, SHA2-384,
 * SHA2-512, Identity), two bytes each.
 */
const uint8_t *ike_sig_hashes(size_t *len);

/*
 * The scheme to sign our AUTH with, as strongSwan chooses: the first of
 * our key's schemes, strongest-fitting hash first (RSA up to 3072 bits
 * with SHA-256, up to 7680 with SHA-384, then PKCS#1 v1.5 down to
 * SHA-256 at any size; ECDSA with its curve's hash or a longer one),
 * whose hash is in the peer's SIGNATURE_HASH_ALGORITHMS (data, len). pss
 * puts RSASSA-PSS before PKCS#1 v1.5 (charon's rsa_pss). A peer that sent
 * no such notify (data NULL) gets RFC 7296's method for the key. EUNSUPP
 * with why when there is none (Ed25519 without RFC 7427, no common hash),
 * EMALFORMED for notify data of odd length.
 */
int ike_sig_choose(const struct ike_local_cred *lc, const uint8_t *data,
		   size_t len, bool pss, enum ike_sig_scheme *scheme,
		   char *why, size_t size);

/*
 * The AUTH data for the signed octets (ike_auth_octets()): for method 14
 * the AlgorithmIdentifier's length, the AlgorithmIdentifier (the
 * encodings of RFC 7427 appendix A, which are strongSwan's) and the
 * signature; for the others the bare signature. Its length, at most
 * IKE_AUTH_SIG_MAX; EKEYTYPE if the scheme is not for our key.
 */
ssize_t ike_auth_sign(const struct ike_local_cred *lc,
		      enum ike_sig_scheme scheme, const uint8_t *octets,
		      size_t len, uint8_t *auth, size_t size);

/*
 * The peer's AUTH (method and data) over its signed octets, with the key
 * of its end-entity certificate. Method 14 accepts RSASSA-PKCS1-v1_5 and
 * RSASSA-PSS (any salt length) with SHA-2, ECDSA with SHA-2 and Ed25519;
 * methods 1, 9, 10 and 11 as RFC 7296 and RFC 4754 define them. 0 with
 * *scheme set (for RSASSA-PSS, the one of its hash), or EBADSIG (the
 * signature is wrong), EUNSUPP (an algorithm or method we do not accept),
 * EKEYTYPE (one the certificate's key cannot have made), EMALFORMED (AUTH
 * data we cannot parse); each with why.
 */
int ike_auth_verify(const struct ike_cert *peer, uint8_t method,
		    const uint8_t *auth, size_t len, const uint8_t *octets,
		    size_t octets_len, enum ike_sig_scheme *scheme, char *why,
		    size_t size);

#endif /* KIPSEC_IKE_CERT_H */
