/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 cryptography (RFC 7296): the algorithms a proposal can name, the
 * key derivations, the key exchange, the SK payload, PSK authentication
 * and NAT detection. Every primitive is OpenSSL's; this file composes them
 * the way the RFCs say and nothing more.
 *
 * Secrets live in the caller's structs (keys) or in opaque ones (private
 * keys) and are wiped by the matching *_clear() or *_free(). Functions
 * return 0 or a length on success and a negative enum ike_crypto_err.
 */
#ifndef KIPSEC_IKE_CRYPTO_H
#define KIPSEC_IKE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ike.h"

#define IKE_SPI_LEN		8	/* an IKE SA's SPI */
/* Our nonces: at least half the largest PRF key, as section 2.10 asks. */
#define IKE_NONCE_LEN		32
#define IKE_NATD_LEN		20	/* SHA-1 (section 2.23) */

/* The largest sizes over every algorithm below, for the caller's buffers. */
#define IKE_PRF_OUT_MAX		64	/* HMAC-SHA-512 */
#define IKE_PRF_KEY_MAX		64	/* SK_d, SK_pi, SK_pr */
#define IKE_INTEG_KEY_MAX	64	/* HMAC-SHA-512-256 */
#define IKE_ENCR_KEY_MAX	36	/* a 256-bit key and a 4-byte salt */
#define IKE_ICV_MAX		32
#define IKE_KE_MAX		1024	/* a MODP 8192 public value */

/*
 * Errors. The KE ones are distinct so that the caller can answer a public
 * value of the wrong length with INVALID_SYNTAX and one that is not a
 * valid element of the group with INVALID_KE_PAYLOAD. An SK payload that
 * fails EAUTH, or ESYNTAX before its ICV could be checked, is dropped
 * without an answer: nothing in it can be trusted.
 */
enum ike_crypto_err {
	IKE_CRYPTO_EINVAL	= -1,	/* bad argument or buffer: our bug */
	IKE_CRYPTO_EFAIL	= -2,	/* OpenSSL failed: memory, randomness */
	IKE_CRYPTO_EKELEN	= -3,	/* KE data of the wrong length */
	IKE_CRYPTO_EKEVAL	= -4,	/* KE data not a valid public value */
	IKE_CRYPTO_ESYNTAX	= -5,	/* SK payload: impossible length or padding */
	IKE_CRYPTO_EAUTH	= -6,	/* ICV or AUTH value does not match */
};

const char *ike_crypto_strerror(int err);

/* ---- algorithms, by IANA transform ID ---- */

/* How a PRF or an integrity algorithm computes its MAC. */
enum ike_mac_kind {
	IKE_MAC_HMAC,
	IKE_MAC_XCBC,	/* RFC 3566: not an OpenSSL MAC, built on its AES */
	IKE_MAC_CMAC,
};

struct ike_prf_alg {
	uint16_t id;		/* enum ike_prf_id */
	uint8_t out_len;	/* bytes of output */
	uint8_t key_len;	/* preferred key: the size of SK_d, SK_pi, SK_pr */
	/* Private to crypto.c. */
	enum ike_mac_kind mac;
	const char *digest;	/* HMAC's hash, OpenSSL's name */
};

struct ike_integ_alg {
	uint16_t id;		/* enum ike_integ */
	uint8_t key_len;	/* SK_ai, SK_ar, an ESP or AH key */
	uint8_t icv_len;	/* the MAC truncated to this */
	/* Private to crypto.c. */
	enum ike_mac_kind mac;
	const char *digest;
};

struct ike_encr_alg {
	uint16_t id;		/* enum ike_encr */
	uint16_t key_bits;	/* its Key Length attribute, 0 if it has none */
	uint8_t key_len;	/* SK_ei, SK_er, an ESP key: cipher key + salt */
	uint8_t salt_len;	/* the salt (GCM, ChaCha20) or nonce (CTR) at
				 * the end of key_len */
	uint8_t block_len;	/* what the SK payload's padding aligns to */
	uint8_t iv_len;		/* the IV each message carries */
	uint8_t icv_len;	/* an AEAD's tag; 0 otherwise */
	bool aead;
	/* Private to crypto.c. */
	bool counter_iv;	/* the IV must never repeat: a counter */
	const char *cipher;	/* OpenSSL's name */
};

/*
 * NULL for an ID we do not implement. key_bits is the transform's Key
 * Length attribute: required for AES, refused for 3DES and ChaCha20, as
 * RFC 7296 section 3.3.5 says.
 */
const struct ike_prf_alg *ike_prf_find(uint16_t id);
const struct ike_integ_alg *ike_integ_find(uint16_t id);
const struct ike_encr_alg *ike_encr_find(uint16_t id, uint16_t key_bits);

/*
 * prf(key, data) into out (prf->out_len bytes). AES-XCBC and AES-CMAC take
 * keys of any length and bring them to 128 bits as RFC 4434 and RFC 4615
 * say.
 */
int ike_prf(const struct ike_prf_alg *prf, const uint8_t *key, size_t key_len,
	    const uint8_t *data, size_t len, uint8_t *out);
/* prf+ (section 2.13): out_len bytes, at most 255 * prf->out_len. */
int ike_prf_plus(const struct ike_prf_alg *prf, const uint8_t *key,
		 size_t key_len, const uint8_t *seed, size_t seed_len,
		 uint8_t *out, size_t out_len);
/* The truncated ICV (integ->icv_len bytes) of data; the key is key_len. */
int ike_integ(const struct ike_integ_alg *integ, const uint8_t *key,
	      const uint8_t *data, size_t len, uint8_t *icv);

/*
 * ---- for IKEv1 (RFC 2409), whose derivations concatenate up to six
 * pieces, hash as well as MAC, and encrypt with an IV of their choosing ----
 */

/* One piece of a MAC or hash input: the pieces are taken in order. */
struct ike_chunk {
	const uint8_t *p;
	size_t len;
};

#define IKE_CHUNKS_MAX		8	/* the most pieces one call takes */

/*
 * Every HMAC PRF, HMAC-MD5 included: IKEv1 negotiates MD5 as a hash (its
 * PRF is then HMAC-MD5), which ike_prf_find() does not offer since IKEv2
 * must not negotiate it (RFC 8247). NULL for the AES PRFs, which have no
 * plain hash.
 */
const struct ike_prf_alg *ike_hmac_find(uint16_t id);
/* prf(key, c[0] | c[1] | ... | c[n-1]) into out (prf->out_len bytes). */
int ike_prf_vec(const struct ike_prf_alg *prf, const uint8_t *key,
		size_t key_len, const struct ike_chunk *c, size_t n,
		uint8_t *out);
/* The plain hash under an HMAC PRF, of c[0] | ...: prf->out_len bytes. */
int ike_hash_vec(const struct ike_prf_alg *prf, const struct ike_chunk *c,
		 size_t n, uint8_t *out);
/*
 * CBC with the given IV (encr->iv_len bytes) over len bytes, a whole
 * number of blocks, in place or not, no padding: enc true encrypts, false
 * decrypts. EINVAL for a cipher that is not CBC.
 */
int ike_cbc_crypt(const struct ike_encr_alg *encr, bool enc,
		  const uint8_t *key, const uint8_t *iv, const uint8_t *in,
		  size_t len, uint8_t *out);

/* ---- key derivation (sections 2.14, 2.17, 2.18) ---- */

/*
 * What the two ends contributed to an exchange. gir is g^ir as
 * ike_kex_shared() returns it, or NULL for a CHILD_SA created without a
 * key exchange. The SPIs (IKE_SPI_LEN bytes) matter to IKE SA keys only.
 */
struct ike_kdf_in {
	const uint8_t *ni, *nr;
	size_t ni_len, nr_len;
	const uint8_t *gir;
	size_t gir_len;
	const uint8_t *spi_i, *spi_r;
};

/* SKEYSEED = prf(Ni | Nr, g^ir), prf->out_len bytes. */
int ike_skeyseed(const struct ike_prf_alg *prf, const struct ike_kdf_in *in,
		 uint8_t *skeyseed);
/*
 * Rekeying an IKE SA: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr).
 * The PRF is the old IKE SA's, the new SA's keys then come from its own.
 */
int ike_skeyseed_rekey(const struct ike_prf_alg *old_prf,
		       const uint8_t *old_sk_d, const struct ike_kdf_in *in,
		       uint8_t *skeyseed);

struct ike_sa_keys {
	uint8_t sk_d[IKE_PRF_KEY_MAX];
	uint8_t sk_ai[IKE_INTEG_KEY_MAX], sk_ar[IKE_INTEG_KEY_MAX];
	uint8_t sk_ei[IKE_ENCR_KEY_MAX], sk_er[IKE_ENCR_KEY_MAX];
	uint8_t sk_pi[IKE_PRF_KEY_MAX], sk_pr[IKE_PRF_KEY_MAX];
	uint8_t prf_len, integ_len, encr_len;	/* bytes used of each */
};

/*
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *	= prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
 * integ is NULL with an AEAD (no SK_a) and required otherwise.
 */
int ike_sa_keys_derive(struct ike_sa_keys *k, const struct ike_prf_alg *prf,
		       const struct ike_encr_alg *encr,
		       const struct ike_integ_alg *integ,
		       const uint8_t *skeyseed, const struct ike_kdf_in *in);
void ike_sa_keys_clear(struct ike_sa_keys *k);

/*
 * A CHILD_SA's keys as the kernel takes them. For AEADs and AES-CTR the
 * salt or nonce stays appended to the key: the kernel's rfc4106,
 * rfc7539esp and rfc3686 templates want key || salt as one blob.
 */
struct ike_child_keys {
	uint8_t encr_i[IKE_ENCR_KEY_MAX];	/* initiator to responder */
	uint8_t integ_i[IKE_INTEG_KEY_MAX];
	uint8_t encr_r[IKE_ENCR_KEY_MAX];	/* responder to initiator */
	uint8_t integ_r[IKE_INTEG_KEY_MAX];
	uint8_t encr_len, integ_len;
};

/*
 * KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr), prf and SK_d being the IKE
 * SA's. encr is NULL for AH, integ NULL with an AEAD.
 */
int ike_child_keys_derive(struct ike_child_keys *k,
			  const struct ike_prf_alg *prf, const uint8_t *sk_d,
			  const struct ike_encr_alg *encr,
			  const struct ike_integ_alg *integ,
			  const struct ike_kdf_in *in);
void ike_child_keys_clear(struct ike_child_keys *k);

/* ---- key exchange (transform type 4) ---- */

/* Our side of one exchange: a private key of a group. */
struct ike_kex;

/*
 * Sizes on the wire: the KE payload's data (MODP: the prime's length; ECP:
 * x | y, RFC 5903; Curve25519 and Curve448: RFC 8031) and g^ir (MODP: the
 * prime's length; ECP: x alone). 0 for a group we do not implement.
 */
size_t ike_kex_len(uint16_t group);
size_t ike_kex_secret_len(uint16_t group);

/* A fresh private key; NULL if the group is unknown or OpenSSL failed. */
struct ike_kex *ike_kex_new(uint16_t group);
void ike_kex_free(struct ike_kex *kex);
/* Our public value as the KE payload carries it: ike_kex_len() bytes. */
ssize_t ike_kex_public(const struct ike_kex *kex, uint8_t *buf, size_t size);
/*
 * g^ir from the peer's KE data: ike_kex_secret_len() bytes, or EKELEN,
 * or EKEVAL (MODP: not within 1 < y < p-1; ECP: not a point of the curve;
 * Curve25519/448: a low order point, whose result is all zeros).
 */
ssize_t ike_kex_shared(const struct ike_kex *kex, const uint8_t *peer,
		       size_t len, uint8_t *secret, size_t size);

/*
 * For tests: a key from given private bytes (ECP: the scalar, big endian;
 * Curve25519/448: RFC 7748's scalar), to check against published vectors.
 * NULL for MODP groups.
 */
struct ike_kex *ike_kex_from_private(uint16_t group, const uint8_t *priv,
				     size_t len);
/* For tests: a MODP key's prime, big endian, ike_kex_len() bytes. */
ssize_t ike_kex_prime(const struct ike_kex *kex, uint8_t *buf, size_t size);

/* ---- the SK payload (section 3.14, RFC 5282, RFC 7634) ---- */

/*
 * One direction of an IKE SA: what protects the messages one end sends.
 * iv_seq numbers the IVs of counter-IV ciphers (AES-CTR, AES-GCM,
 * ChaCha20-Poly1305), which must never use an IV twice under one key;
 * a retransmission is the same bytes, so a message ID would not do.
 */
struct ike_sk_ctx {
	const struct ike_encr_alg *encr;
	const struct ike_integ_alg *integ;	/* NULL with an AEAD */
	uint8_t sk_e[IKE_ENCR_KEY_MAX];
	uint8_t sk_a[IKE_INTEG_KEY_MAX];
	uint64_t iv_seq;			/* the next counter IV */
};

int ike_sk_init(struct ike_sk_ctx *sk, const struct ike_encr_alg *encr,
		const struct ike_integ_alg *integ, const uint8_t *sk_e,
		const uint8_t *sk_a);
void ike_sk_clear(struct ike_sk_ctx *sk);

/* The most that IV, padding, Pad Length and ICV add to a chain. */
size_t ike_sk_overhead(const struct ike_sk_ctx *sk);
/* What the SK payload's body will be for a chain of plain_len bytes. */
size_t ike_sk_len(const struct ike_sk_ctx *sk, size_t plain_len);

/*
 * Encrypt the inner payload chain into out: IV | ciphertext (with the
 * padding and Pad Length) | ICV, ike_sk_len() bytes, which is returned.
 * aad is the message from the IKE header up to the SK payload's body,
 * every length already final: an AEAD authenticates it as associated data
 * (RFC 5282), otherwise the ICV covers aad | IV | ciphertext.
 */
ssize_t ike_sk_encrypt(struct ike_sk_ctx *sk, const uint8_t *aad,
		       size_t aad_len, const uint8_t *plain, size_t plain_len,
		       uint8_t *out, size_t size);
/*
 * The reverse: check the ICV, decrypt body (IV | ciphertext | ICV) into
 * plain (size at least the body's length) and return the length of the
 * inner chain, padding and Pad Length removed.
 */
ssize_t ike_sk_decrypt(const struct ike_sk_ctx *sk, const uint8_t *aad,
		       size_t aad_len, const uint8_t *body, size_t len,
		       uint8_t *plain, size_t size);

/* ---- authentication (section 2.15) ---- */

/*
 * The signed octets of one end: the first message it sent (RealMessage1
 * or 2), the nonce the other end sent, then prf(SK_p, ID') where SK_p is
 * SK_pi or SK_pr (prf->key_len bytes) and ID' the ID payload's body from
 * the ID Type on. Written into out, whose length is returned.
 */
ssize_t ike_auth_octets(const struct ike_prf_alg *prf, const uint8_t *sk_p,
			const uint8_t *msg, size_t msg_len,
			const uint8_t *nonce, size_t nonce_len,
			const uint8_t *id, size_t id_len,
			uint8_t *out, size_t size);
/* AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>) */
int ike_psk_auth(const struct ike_prf_alg *prf, const uint8_t *psk,
		 size_t psk_len, const uint8_t *octets, size_t octets_len,
		 uint8_t *auth);
/* 0 if auth is the value above, EAUTH if not (compared in constant time). */
int ike_psk_verify(const struct ike_prf_alg *prf, const uint8_t *psk,
		   size_t psk_len, const uint8_t *octets, size_t octets_len,
		   const uint8_t *auth, size_t auth_len);

/* ---- NAT detection (section 2.23) and randomness ---- */

/*
 * SHA-1(SPIi | SPIr | IP | Port): family AF_INET or AF_INET6, addr 4 or
 * 16 bytes in network order, port in host order.
 */
int ike_natd_hash(const uint8_t *spi_i, const uint8_t *spi_r, int family,
		  const uint8_t *addr, uint16_t port, uint8_t *hash);

int ike_nonce_new(uint8_t *nonce);	/* IKE_NONCE_LEN random bytes */
int ike_spi_new(uint8_t *spi);		/* IKE_SPI_LEN bytes, never zero */

#endif /* KIPSEC_IKE_CRYPTO_H */
