// SPDX-License-Identifier: GPL-2.0
/*
 * The algorithm table. IDs are IANA's "Transform Type 1 - Encryption
 * Algorithm Transform IDs" and "Transform Type 3 - Integrity Algorithm
 * Transform IDs"; key lengths include the salt or nonce that RFC 4106, 4309,
 * 4543, 7634 and 3686 append to the key, as IKEv2's KEYMAT carries it.
 */
#include <linux/export.h>
#include <linux/kernel.h>
#include <kunit/visibility.h>

#include "alg.h"

/* AES keys of 128, 192 and 256 bits, with the salt or nonce appended */
#define AES_KEYS_PLAIN { 16, 24, 32 }
#define AES_KEYS_CCM { 19, 27, 35 }
#define AES_KEYS_4 { 20, 28, 36 }

/*
 * IVs come from the IV generator XFRM uses for the same cipher: seqiv
 * (sequence number xor a random salt) where an IV must never repeat,
 * echainiv where it must also be unpredictable (CBC); none for NULL.
 */
#define CRYPT(_id, _name, _kname, _geniv, _icv, _salt, _aead, _legacy, ...) \
	{ .id = _id, .type = KIPSEC_ALG_CRYPT, .name = _name,		\
	  .kname = _kname, .geniv = _geniv, .icv_len = _icv,		\
	  .salt_len = _salt, .aead = _aead, .legacy = _legacy,		\
	  .key_lens = __VA_ARGS__ }
#define AUTH(_id, _name, _kname, _icv, _key, _legacy)			\
	{ .id = _id, .type = KIPSEC_ALG_AUTH, .name = _name,		\
	  .kname = _kname, .icv_len = _icv, .legacy = _legacy,		\
	  .key_lens = { _key } }

static const struct kipsec_alg kipsec_algs[] = {
	CRYPT(2, "des-cbc", "cbc(des)", "echainiv", 0, 0, false, true,
	      { 8 }),
	CRYPT(3, "3des-cbc", "cbc(des3_ede)", "echainiv", 0, 0, false, true,
	      { 24 }),
	CRYPT(11, "null", "ecb(cipher_null)", NULL, 0, 0, false, false,
	      { 0 }),
	CRYPT(12, "aes-cbc", "cbc(aes)", "echainiv", 0, 0, false, false,
	      AES_KEYS_PLAIN),
	CRYPT(13, "aes-ctr", "rfc3686(ctr(aes))", "seqiv", 0, 4, false, false,
	      AES_KEYS_4),
	CRYPT(14, "aes-ccm-8", "rfc4309(ccm(aes))", "seqiv", 8, 3, true, false,
	      AES_KEYS_CCM),
	CRYPT(15, "aes-ccm-12", "rfc4309(ccm(aes))", "seqiv", 12, 3, true, false,
	      AES_KEYS_CCM),
	CRYPT(16, "aes-ccm-16", "rfc4309(ccm(aes))", "seqiv", 16, 3, true, false,
	      AES_KEYS_CCM),
	CRYPT(18, "aes-gcm-8", "rfc4106(gcm(aes))", "seqiv", 8, 4, true, false,
	      AES_KEYS_4),
	CRYPT(19, "aes-gcm-12", "rfc4106(gcm(aes))", "seqiv", 12, 4, true, false,
	      AES_KEYS_4),
	CRYPT(20, "aes-gcm-16", "rfc4106(gcm(aes))", "seqiv", 16, 4, true, false,
	      AES_KEYS_4),
	CRYPT(21, "aes-gmac", "rfc4543(gcm(aes))", "seqiv", 16, 4, true, false,
	      AES_KEYS_4),
	CRYPT(28, "chacha20-poly1305", "rfc7539esp(chacha20,poly1305)",
	      "seqiv", 16, 4, true, false, { 36 }),
	AUTH(1, "hmac-md5-96", "hmac(md5)", 12, 16, true),
	AUTH(2, "hmac-sha1-96", "hmac(sha1)", 12, 20, false),
	AUTH(5, "aes-xcbc-96", "xcbc(aes)", 12, 16, false),
	AUTH(8, "aes-cmac-96", "cmac(aes)", 12, 16, false),
	/* RFC 4868: SHA-2 HMACs are truncated to half their output */
	AUTH(12, "hmac-sha2-256-128", "hmac(sha256)", 16, 32, false),
	AUTH(13, "hmac-sha2-384-192", "hmac(sha384)", 24, 48, false),
	AUTH(14, "hmac-sha2-512-256", "hmac(sha512)", 32, 64, false),
};

const struct kipsec_alg *kipsec_alg_find(enum kipsec_alg_type type, u16 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kipsec_algs); i++)
		if (kipsec_algs[i].type == type && kipsec_algs[i].id == id)
			return &kipsec_algs[i];
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_alg_find);

bool kipsec_alg_key_len_ok(const struct kipsec_alg *alg, unsigned int len)
{
	unsigned int i;

	/* the null cipher's only length is 0, which also ends the list */
	if (alg->key_lens[0] == 0)
		return len == 0;
	for (i = 0; i < KIPSEC_KEY_LENS && alg->key_lens[i]; i++)
		if (alg->key_lens[i] == len)
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_alg_key_len_ok);
