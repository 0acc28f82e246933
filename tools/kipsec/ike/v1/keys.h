/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 keys (RFC 2409): SKEYID and its three children, the Phase 1
 * encryption key (appendix B), the authentication hashes of Main,
 * Aggressive and Quick Mode, Quick Mode's KEYMAT, and the CBC IVs that
 * chain from message to message (section 5 and appendix B).
 *
 * IKEv1 negotiates a hash, not a PRF: its PRF is the hash's HMAC, and
 * the hash alone makes the IVs. Both are one struct ike_prf_alg here
 * (ike1_hash_find()), whose plain hash is ike_hash_vec().
 *
 * Functions return 0 or a length on success and a negative enum
 * ike_crypto_err (crypto.h). Secrets live in the caller's structs and
 * are wiped by the matching *_clear().
 */
#ifndef KIPSEC_IKE_V1_KEYS_H
#define KIPSEC_IKE_V1_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../crypto.h"
#include "ike1.h"

#define IKE1_BLOCK_MAX		16	/* AES; 3DES has 8 */
#define IKE1_ENC_KEY_MAX	32	/* AES-256 */
/*
 * The exchanges after Phase 1 (Quick Modes, Informationals) whose IVs
 * are kept at once; see struct ike1_ivs.
 */
#define IKE1_IV_SLOTS		8

/*
 * The PRF (HMAC) of a hash ID, whose ike_hash_vec() is the hash itself;
 * NULL for an ID we do not implement (Tiger).
 */
const struct ike_prf_alg *ike1_hash_find(uint16_t id);
/*
 * A Phase 1 cipher: AES-CBC with a Key Length of 128, 192 or 256 bits,
 * 3DES without one. NULL otherwise, DES included: OpenSSL 3 keeps it in
 * its legacy provider, RFC 4109 says SHOULD NOT and RFC 9395 retires it.
 */
const struct ike_encr_alg *ike1_encr_find(uint16_t id, uint16_t key_bits);

/* ---- Phase 1 keys (section 5) ---- */

/* How SKEYID is made: by the authentication method. */
enum ike1_skeyid {
	IKE1_SKEYID_SIG,	/* signatures: prf(Ni_b | Nr_b, g^xy) */
	IKE1_SKEYID_PSK,	/* prf(pre-shared-key, Ni_b | Nr_b) */
	IKE1_SKEYID_PKE,	/* public key encryption (both kinds):
			 * prf(hash(Ni_b | Nr_b), CKY-I | CKY-R) */
};

/*
 * What Phase 1 contributed. Ni_b and Nr_b are the Nonce payloads' bodies
 * and g^xy is the shared secret as ike_kex_shared() returns it; the
 * cookies are IKE1_COOKIE_LEN bytes. psk is for IKE1_SKEYID_PSK only.
 */
struct ike1_kdf_in {
	const uint8_t *ni, *nr;
	size_t ni_len, nr_len;
	const uint8_t *gxy;
	size_t gxy_len;
	const uint8_t *cky_i, *cky_r;
	const uint8_t *psk;
	size_t psk_len;
};

struct ike1_sa_keys {
	const struct ike_prf_alg *prf;
	uint8_t skeyid[IKE_PRF_OUT_MAX];	/* keys HASH_I and HASH_R */
	uint8_t skeyid_d[IKE_PRF_OUT_MAX];	/* keys Quick Mode's KEYMAT */
	uint8_t skeyid_a[IKE_PRF_OUT_MAX];	/* keys Phase 2's HASHes */
	uint8_t skeyid_e[IKE_PRF_OUT_MAX];
	uint8_t enc_key[IKE1_ENC_KEY_MAX];	/* from SKEYID_e, appendix B */
	uint8_t enc_len;			/* encr->key_len */
};

/* SKEYID by the method: prf->out_len bytes. */
int ike1_skeyid(const struct ike_prf_alg *prf, enum ike1_skeyid auth,
		const struct ike1_kdf_in *in, uint8_t *skeyid);
/*
 * SKEYID, then
 *	SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 *	SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 *	SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
 * and the encryption key encr->key_len bytes long (ike1_enc_key()).
 */
int ike1_sa_keys_derive(struct ike1_sa_keys *k, const struct ike_prf_alg *prf,
			const struct ike_encr_alg *encr, enum ike1_skeyid auth,
			const struct ike1_kdf_in *in);
void ike1_sa_keys_clear(struct ike1_sa_keys *k);
/*
 * The cipher's key from SKEYID_e (prf->out_len bytes): its first len
 * bytes when it is long enough, else (appendix B) the first len bytes of
 * K1 | K2 | ... with K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1).
 */
int ike1_enc_key(const struct ike_prf_alg *prf, const uint8_t *skeyid_e,
		 uint8_t *key, size_t len);

/* ---- Phase 1 authentication (section 5) ---- */

/*
 * g^xi and g^xr are the KE payloads' bodies, SAi_b the initiator's SA
 * payload body (the responder's answer does not count), id_b the body
 * of the ID payload of the end the hash is for: IDii_b or IDir_b.
 */
struct ike1_auth_in {
	const uint8_t *gxi, *gxr;
	size_t gxi_len, gxr_len;
	const uint8_t *cky_i, *cky_r;
	const uint8_t *sai_b;
	size_t sai_len;
	const uint8_t *id_b;
	size_t id_len;
};

/* HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b) */
int ike1_hash_i(const struct ike1_sa_keys *k, const struct ike1_auth_in *in,
		uint8_t *hash);
/* HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b) */
int ike1_hash_r(const struct ike1_sa_keys *k, const struct ike1_auth_in *in,
		uint8_t *hash);

/* ---- Phase 2 (section 5.5) and Informational hashes ---- */

/*
 * prf(SKEYID_a, M-ID | payloads): Quick Mode's HASH(1), payloads being
 * the message from the payload after HASH(1) to the end (generic headers
 * included, padding excluded), and likewise an Informational's HASH.
 * M-ID goes in network order, as in the ISAKMP header.
 */
int ike1_hash_msg(const struct ike1_sa_keys *k, uint32_t mid,
		  const uint8_t *payloads, size_t len, uint8_t *hash);
/* HASH(2) = prf(SKEYID_a, M-ID | Ni_b | payloads), Ni_b the initiator's. */
int ike1_qm_hash2(const struct ike1_sa_keys *k, uint32_t mid,
		  const uint8_t *ni, size_t ni_len,
		  const uint8_t *payloads, size_t len, uint8_t *hash);
/* HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) */
int ike1_qm_hash3(const struct ike1_sa_keys *k, uint32_t mid,
		  const uint8_t *ni, size_t ni_len,
		  const uint8_t *nr, size_t nr_len, uint8_t *hash);

/*
 * What one Quick Mode contributed to its KEYMAT: the protocol of the
 * proposal, the Nonce payloads' bodies, and with PFS the new shared
 * secret g(qm)^xy (NULL without).
 */
struct ike1_qm_in {
	uint8_t protocol;			/* enum ike1_proto */
	const uint8_t *gqm;
	size_t gqm_len;
	const uint8_t *ni, *nr;
	size_t ni_len, nr_len;
};

/*
 * KEYMAT for the SA of one SPI (the one its receiving end chose, as on
 * the wire): K1 | K2 | ... cut to len, with
 *	K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b)
 *	Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b)
 */
int ike1_keymat(const struct ike1_sa_keys *k, const struct ike1_qm_in *in,
		const uint8_t *spi, size_t spi_len, uint8_t *out, size_t len);
/*
 * Both SAs' keys as the kernel takes them (crypto.h's struct, so that the
 * CHILD_SA installation is the IKEv2 one): encr_i/integ_i protect what
 * the initiator sends, so they come from the KEYMAT of spi_r, the SPI the
 * responder chose; encr_r/integ_r from spi_i. Within a KEYMAT the
 * encryption key comes first (RFC 2407's order, as every peer does).
 * SPIs are 4 bytes, network order; encr NULL for AH, integ NULL with an
 * AEAD.
 */
int ike1_child_keys_derive(struct ike_child_keys *ck,
			   const struct ike1_sa_keys *k,
			   const struct ike_encr_alg *encr,
			   const struct ike_integ_alg *integ,
			   const struct ike1_qm_in *in,
			   const uint8_t *spi_i, const uint8_t *spi_r);

/* ---- IVs and the encrypted body (appendix B) ---- */

/*
 * The IV of each exchange of one ISAKMP SA. Phase 1 (message ID 0)
 * starts from hash(g^xi | g^xr); each later exchange (a Quick Mode or an
 * Informational, by its message ID) from hash(last Phase 1 block | M-ID),
 * both cut to the cipher's block. Within an exchange, a message's IV is
 * the last ciphertext block of the message before it.
 *
 * A message we encrypt moves its exchange's IV at once. One we decrypt
 * only proposes the move: ike1_iv_confirm() makes it once the message is
 * known genuine (its HASH checked), so that a forged or corrupted packet
 * cannot break the chain for the real one behind it. For the same reason
 * a peer's message with a new message ID takes a slot only when it is
 * confirmed: until then its IV waits in fresh, and packets with made-up
 * message IDs evict nothing. A pending move not confirmed is dropped by
 * the next message of that exchange. A retransmission is to be
 * recognised before decryption (the same bytes as the last one) and
 * answered with our last message, not decrypted again.
 *
 * IKE1_IV_SLOTS exchanges are kept beside Phase 1. Starting one more
 * evicts the one used least recently: if that exchange was still going,
 * its next message will not decrypt and it times out, the behaviour
 * strongSwan has with its limit (3 by default). ike1_iv_forget() frees a
 * slot as soon as an exchange is over.
 */
struct ike1_iv {
	uint32_t mid;
	uint64_t used;			/* when last used; 0: a free slot */
	uint8_t iv[IKE1_BLOCK_MAX];	/* for the next message */
	uint8_t last[IKE1_BLOCK_MAX];	/* a decrypted message's last block */
	bool pending;			/* last awaits ike1_iv_confirm() */
};

struct ike1_ivs {
	const struct ike_prf_alg *hash;
	const struct ike_encr_alg *encr;
	struct ike1_iv phase1;
	struct ike1_iv ex[IKE1_IV_SLOTS];
	struct ike1_iv fresh;		/* a peer's new exchange, unconfirmed */
	uint64_t clock;			/* counts uses, for eviction */
};

/* Phase 1's IV from the KE payloads' bodies, every other slot free. */
int ike1_ivs_init(struct ike1_ivs *ivs, const struct ike_prf_alg *hash,
		  const struct ike_encr_alg *encr,
		  const uint8_t *gxi, size_t gxi_len,
		  const uint8_t *gxr, size_t gxr_len);
void ike1_ivs_clear(struct ike1_ivs *ivs);
/*
 * The IV the next message of exchange mid will use (block_len bytes);
 * nothing changes. For logs and tests: ike1_encrypt() and ike1_decrypt()
 * find it themselves.
 */
int ike1_iv_get(const struct ike1_ivs *ivs, uint32_t mid, uint8_t *iv);
/* The last message decrypted in exchange mid was genuine: chain from it. */
void ike1_iv_confirm(struct ike1_ivs *ivs, uint32_t mid);
/* Exchange mid is over (never Phase 1): its slot is wiped and free. */
void ike1_iv_forget(struct ike1_ivs *ivs, uint32_t mid);

/*
 * What ike1_encrypt() makes of plain_len bytes: padded with 1 to
 * block_len zero bytes, as strongSwan and Windows do. RFC 2409 does not
 * ask for a Pad Length octet; a peer that reads the last byte as one
 * reads 0 and takes away a padding byte, so always padding is safe.
 */
size_t ike1_encrypted_len(const struct ike1_ivs *ivs, size_t plain_len);
/*
 * Encrypt a message's payloads (everything after the ISAKMP header) of
 * exchange mid with key (encr->key_len bytes) into out, in place or not;
 * returns ike1_encrypted_len(). Exchange mid's IV moves on.
 */
ssize_t ike1_encrypt(struct ike1_ivs *ivs, const uint8_t *key, uint32_t mid,
		     const uint8_t *plain, size_t len, uint8_t *out,
		     size_t size);
/*
 * The reverse, in place or not: len must be a whole number of blocks
 * (ESYNTAX otherwise). Returns len: the padding stays, the payloads'
 * own lengths say where they end. The IV moves on ike1_iv_confirm().
 */
ssize_t ike1_decrypt(struct ike1_ivs *ivs, const uint8_t *key, uint32_t mid,
		     const uint8_t *in, size_t len, uint8_t *plain,
		     size_t size);

#endif /* KIPSEC_IKE_V1_KEYS_H */
