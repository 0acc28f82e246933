/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The algorithms kipsec accepts, keyed by IANA IKEv2 transform ID.
 */
#ifndef _KIPSEC_ALG_H
#define _KIPSEC_ALG_H

#include <linux/types.h>

/* IKEv2 transform types (RFC 7296 section 3.3.2) an SA uses. */
enum kipsec_alg_type {
	KIPSEC_ALG_CRYPT = 1,
	KIPSEC_ALG_AUTH = 3,
};

#define KIPSEC_KEY_LENS 3
#define KIPSEC_CRYPT_KEY_MAX 36	/* AES-256 + 4-byte salt, ChaCha20 + salt */
#define KIPSEC_AUTH_KEY_MAX 64	/* HMAC-SHA-512 */

struct kipsec_alg {
	u16 id;			/* IANA transform ID */
	u8 type;		/* enum kipsec_alg_type */
	bool aead;
	bool legacy;		/* refused without KIPSEC_SA_FLAGS_LEGACY_ALGS */
	u8 icv_len;		/* bytes; 0 for ciphers without integrity */
	u8 salt_len;		/* appended to the key (nonce or salt) */
	u8 key_lens[KIPSEC_KEY_LENS];	/* accepted lengths incl. salt; 0 ends */
	const char *name;	/* as in Documentation/netlink.rst */
	const char *kname;	/* kernel crypto API name */
	const char *geniv;	/* IV generator template, as XFRM's; or NULL */
};

const struct kipsec_alg *kipsec_alg_find(enum kipsec_alg_type type, u16 id);
bool kipsec_alg_key_len_ok(const struct kipsec_alg *alg, unsigned int len);

#endif /* _KIPSEC_ALG_H */
