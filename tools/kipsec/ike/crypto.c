// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 cryptography on OpenSSL 3 (see crypto.h). The one construction
 * OpenSSL lacks, AES-XCBC-MAC, is assembled here from its AES exactly as
 * RFC 3566 writes it; everything else is an EVP call.
 */
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include "../kipsec.h"
#include "crypto.h"

#define AES_BLOCK	16
/* Section 3.9: a nonce is at most 256 bytes. */
#define NONCE_MAX	256
/* SEC 1's uncompressed point, 0x04 | x | y, for P-521. */
#define ECP_POINT_MAX	(1 + 2 * 66)
/* The most pieces a seed is made of (Ni | Nr | SPIi | SPIr). */
#define SEED_CHUNKS	4

/* Pieces of one MAC input, so that concatenations need no copy. */
struct chunk {
	const uint8_t *p;
	size_t len;
};

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

const char *ike_crypto_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case IKE_CRYPTO_EINVAL:
		return "invalid argument";
	case IKE_CRYPTO_EFAIL:
		return "cryptographic library failure";
	case IKE_CRYPTO_EKELEN:
		return "key exchange data of the wrong length";
	case IKE_CRYPTO_EKEVAL:
		return "invalid key exchange public value";
	case IKE_CRYPTO_ESYNTAX:
		return "malformed encrypted payload";
	case IKE_CRYPTO_EAUTH:
		return "integrity check failed";
	}
	return "unknown error";
}

/* ---- algorithm tables ---- */

static const struct ike_prf_alg prf_algs[] = {
	{ IKE_PRF_HMAC_SHA1,	 20, 20, IKE_MAC_HMAC, "SHA1" },
	{ IKE_PRF_HMAC_SHA2_256, 32, 32, IKE_MAC_HMAC, "SHA2-256" },
	{ IKE_PRF_HMAC_SHA2_384, 48, 48, IKE_MAC_HMAC, "SHA2-384" },
	{ IKE_PRF_HMAC_SHA2_512, 64, 64, IKE_MAC_HMAC, "SHA2-512" },
	{ IKE_PRF_AES128_XCBC,	 16, 16, IKE_MAC_XCBC, NULL },	/* RFC 4434 */
	{ IKE_PRF_AES128_CMAC,	 16, 16, IKE_MAC_CMAC, NULL },	/* RFC 4615 */
};

/* HMAC-MD5 (RFC 2104), for IKEv1's MD5 hash only: see ike_hmac_find(). */
static const struct ike_prf_alg prf_hmac_md5 = {
	IKE_PRF_HMAC_MD5, 16, 16, IKE_MAC_HMAC, "MD5"
};

/* Key and ICV lengths from RFC 2404, 3566, 4494 and 4868. */
static const struct ike_integ_alg integ_algs[] = {
	{ IKE_INTEG_HMAC_SHA1_96,	20, 12, IKE_MAC_HMAC, "SHA1" },
	{ IKE_INTEG_AES_XCBC_96,	16, 12, IKE_MAC_XCBC, NULL },
	{ IKE_INTEG_AES_CMAC_96,	16, 12, IKE_MAC_CMAC, NULL },
	{ IKE_INTEG_HMAC_SHA2_256_128,	32, 16, IKE_MAC_HMAC, "SHA2-256" },
	{ IKE_INTEG_HMAC_SHA2_384_192,	48, 24, IKE_MAC_HMAC, "SHA2-384" },
	{ IKE_INTEG_HMAC_SHA2_512_256,	64, 32, IKE_MAC_HMAC, "SHA2-512" },
};

/* CBC: an IV of one block, random (section 3.14). */
#define CBC(id, bits, key, block, cipher) \
	{ id, bits, key, 0, block, block, 0, false, false, cipher }
/*
 * AES-CTR (RFC 5930): the key then a 4-byte nonce, an 8-byte IV. A stream
 * cipher needs no padding: its block is one byte.
 */
#define CTR(bits, cipher) \
	{ IKE_ENCR_AES_CTR, bits, bits / 8 + 4, 4, 1, 8, 0, false, true, cipher }
/* AES-GCM (RFC 5282) and ChaCha20-Poly1305 (RFC 7634): key, 4-byte salt. */
#define AEAD(id, bits, key, icv, cipher) \
	{ id, bits, key + 4, 4, 1, 8, icv, true, true, cipher }

static const struct ike_encr_alg encr_algs[] = {
	CBC(IKE_ENCR_3DES, 0, 24, 8, "DES-EDE3-CBC"),
	CBC(IKE_ENCR_AES_CBC, 128, 16, 16, "AES-128-CBC"),
	CBC(IKE_ENCR_AES_CBC, 192, 24, 16, "AES-192-CBC"),
	CBC(IKE_ENCR_AES_CBC, 256, 32, 16, "AES-256-CBC"),
	CTR(128, "AES-128-CTR"),
	CTR(192, "AES-192-CTR"),
	CTR(256, "AES-256-CTR"),
	AEAD(IKE_ENCR_AES_GCM_8, 128, 16, 8, "AES-128-GCM"),
	AEAD(IKE_ENCR_AES_GCM_8, 192, 24, 8, "AES-192-GCM"),
	AEAD(IKE_ENCR_AES_GCM_8, 256, 32, 8, "AES-256-GCM"),
	AEAD(IKE_ENCR_AES_GCM_12, 128, 16, 12, "AES-128-GCM"),
	AEAD(IKE_ENCR_AES_GCM_12, 192, 24, 12, "AES-192-GCM"),
	AEAD(IKE_ENCR_AES_GCM_12, 256, 32, 12, "AES-256-GCM"),
	AEAD(IKE_ENCR_AES_GCM_16, 128, 16, 16, "AES-128-GCM"),
	AEAD(IKE_ENCR_AES_GCM_16, 192, 24, 16, "AES-192-GCM"),
	AEAD(IKE_ENCR_AES_GCM_16, 256, 32, 16, "AES-256-GCM"),
	AEAD(IKE_ENCR_CHACHA20_POLY1305, 0, 32, 16, "ChaCha20-Poly1305"),
};

const struct ike_prf_alg *ike_prf_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(prf_algs); i++)
		if (prf_algs[i].id == id)
			return &prf_algs[i];
	return NULL;
}

const struct ike_prf_alg *ike_hmac_find(uint16_t id)
{
	const struct ike_prf_alg *prf = ike_prf_find(id);

	if (id == IKE_PRF_HMAC_MD5)
		return &prf_hmac_md5;
	return prf && prf->mac == IKE_MAC_HMAC ? prf : NULL;
}

const struct ike_integ_alg *ike_integ_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(integ_algs); i++)
		if (integ_algs[i].id == id)
			return &integ_algs[i];
	return NULL;
}

const struct ike_encr_alg *ike_encr_find(uint16_t id, uint16_t key_bits)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(encr_algs); i++)
		if (encr_algs[i].id == id && encr_algs[i].key_bits == key_bits)
			return &encr_algs[i];
	return NULL;
}

/*
 * ---- algorithms fetched once ----
 *
 * OpenSSL 3 looks an algorithm up by name at every EVP_*_fetch(), and
 * at every implicit fetch (EVP_sha1(), the digest named in EVP_MAC_init's
 * parameters): with a new MAC context per PRF call, that was several per
 * cent of a responder's CPU per IKE SA. So the ciphers of encr_algs, SHA-1
 * for NAT detection, and for each MAC a context with its algorithm set
 * (keyed with a dummy key: OpenSSL will only copy a keyed HMAC context)
 * are made once, under pthread_once() since the daemon's worker threads
 * use them too, and only read after. What could not be had then is
 * fetched at each use as before.
 */
static const struct {
	const char *name, *param, *value;
} mac_kinds[] = {
	{ "HMAC", OSSL_MAC_PARAM_DIGEST, "SHA1" },
	{ "HMAC", OSSL_MAC_PARAM_DIGEST, "SHA2-256" },
	{ "HMAC", OSSL_MAC_PARAM_DIGEST, "SHA2-384" },
	{ "HMAC", OSSL_MAC_PARAM_DIGEST, "SHA2-512" },
	{ "HMAC", OSSL_MAC_PARAM_DIGEST, "MD5" },	/* IKEv1 */
	{ "CMAC", OSSL_MAC_PARAM_CIPHER, "AES-128-CBC" },
};

static pthread_once_t fetched_once = PTHREAD_ONCE_INIT;
static EVP_MAC_CTX *mac_tmpl[ARRAY_SIZE(mac_kinds)];
static EVP_CIPHER *encr_cipher[ARRAY_SIZE(encr_algs)];
static EVP_MD *md_sha1;

static EVP_MAC_CTX *mac_new(const char *name, const char *param,
			    const char *value, const uint8_t *key,
			    size_t key_len)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(param, (char *)value, 0),
		OSSL_PARAM_END,
	};
	EVP_MAC *mac = EVP_MAC_fetch(NULL, name, NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;

	EVP_MAC_free(mac);	/* ctx holds it */
	if (ctx && !EVP_MAC_init(ctx, key, key_len, params)) {
		EVP_MAC_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

static void fetch_all(void)
{
	static const uint8_t dummy[AES_BLOCK];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mac_kinds); i++)
		mac_tmpl[i] = mac_new(mac_kinds[i].name, mac_kinds[i].param,
				      mac_kinds[i].value, dummy,
				      sizeof(dummy));
	for (i = 0; i < ARRAY_SIZE(encr_algs); i++)
		encr_cipher[i] = EVP_CIPHER_fetch(NULL, encr_algs[i].cipher,
						  NULL);
	md_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
}

/* e's cipher, to give back with EVP_CIPHER_free() as a fetched one. */
static EVP_CIPHER *cipher_of(const struct ike_encr_alg *e)
{
	size_t i = e - encr_algs;

	pthread_once(&fetched_once, fetch_all);
	if (i < ARRAY_SIZE(encr_algs) && encr_cipher[i] &&
	    EVP_CIPHER_up_ref(encr_cipher[i]))
		return encr_cipher[i];
	return EVP_CIPHER_fetch(NULL, e->cipher, NULL);
}

/* ---- MACs ---- */

/* A MAC context keyed with key: param names the hash or the cipher. */
static EVP_MAC_CTX *mac_keyed(const char *name, const char *param,
			      const char *value, const uint8_t *key,
			      size_t key_len)
{
	EVP_MAC_CTX *ctx = NULL;
	size_t i;

	pthread_once(&fetched_once, fetch_all);
	/* without a key, EVP_MAC_init() would keep the template's */
	for (i = 0; key && i < ARRAY_SIZE(mac_kinds); i++) {
		if (!mac_tmpl[i] || strcmp(mac_kinds[i].name, name) ||
		    strcmp(mac_kinds[i].value, value))
			continue;
		ctx = EVP_MAC_CTX_dup(mac_tmpl[i]);
		if (ctx && EVP_MAC_init(ctx, key, key_len, NULL))
			return ctx;
		EVP_MAC_CTX_free(ctx);
		break;
	}
	return mac_new(name, param, value, key, key_len);
}

/* The chunks into ctx, then the MAC to out; its length. ctx is freed. */
static ssize_t mac_finish(EVP_MAC_CTX *ctx, const struct chunk *c, size_t n,
			  uint8_t *out)
{
	ssize_t ret = IKE_CRYPTO_EFAIL;
	size_t i, len;

	if (!ctx)
		return ret;
	for (i = 0; i < n; i++)
		if (c[i].len && !EVP_MAC_update(ctx, c[i].p, c[i].len))
			goto out;
	if (EVP_MAC_final(ctx, out, &len, IKE_PRF_OUT_MAX))
		ret = len;
out:
	EVP_MAC_CTX_free(ctx);
	return ret;
}

/* The MAC of the chunks with a keyed ctx, left as it was; its length. */
static ssize_t mac_run(const EVP_MAC_CTX *keyed, const struct chunk *c,
		       size_t n, uint8_t *out)
{
	return mac_finish(EVP_MAC_CTX_dup(keyed), c, n, out);
}

/*
 * HMAC or CMAC through EVP_MAC: param names the hash or the cipher. The
 * whole MAC goes to out (IKE_PRF_OUT_MAX bytes); its length is returned.
 */
static ssize_t evp_mac(const char *name, const char *param, const char *value,
		       const uint8_t *key, size_t key_len,
		       const struct chunk *c, size_t n, uint8_t *out)
{
	return mac_finish(mac_keyed(name, param, value, key, key_len), c, n,
			  out);
}

static bool aes_block(EVP_CIPHER_CTX *ctx, const uint8_t *in, uint8_t *out)
{
	int n;

	return EVP_EncryptUpdate(ctx, out, &n, in, AES_BLOCK) &&
	       n == AES_BLOCK;
}

static void xor_block(uint8_t *dst, const uint8_t *src)
{
	size_t i;

	for (i = 0; i < AES_BLOCK; i++)
		dst[i] ^= src[i];
}

/*
 * AES-XCBC-MAC (RFC 3566 section 4): a CBC-MAC under K1 = E(K, 0x01...),
 * whose last block is XORed with K2 = E(K, 0x02...) when it is whole, or
 * padded with 10* and XORed with K3 = E(K, 0x03...) when it is not (an
 * empty message included). A full block is held back until more input
 * shows it was not the last.
 */
static ssize_t xcbc_mac(const uint8_t *key, size_t key_len,
			const struct chunk *c, size_t n, uint8_t *out)
{
	EVP_CIPHER *aes = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t k[3][AES_BLOCK], e[AES_BLOCK] = { 0 }, m[AES_BLOCK];
	size_t i, off, take, fill = 0;
	ssize_t ret = IKE_CRYPTO_EFAIL;

	if (key_len != AES_BLOCK) {
		ret = IKE_CRYPTO_EINVAL;
		goto out;
	}
	if (!aes || !ctx || !EVP_EncryptInit_ex2(ctx, aes, key, NULL, NULL))
		goto out;
	for (i = 0; i < 3; i++) {
		memset(m, i + 1, AES_BLOCK);
		if (!aes_block(ctx, m, k[i]))
			goto out;
	}
	if (!EVP_EncryptInit_ex2(ctx, NULL, k[0], NULL, NULL))
		goto out;
	for (i = 0; i < n; i++) {
		for (off = 0; off < c[i].len; off += take) {
			if (fill == AES_BLOCK) {
				xor_block(e, m);
				if (!aes_block(ctx, e, e))
					goto out;
				fill = 0;
			}
			take = min_size(AES_BLOCK - fill, c[i].len - off);
			memcpy(m + fill, c[i].p + off, take);
			fill += take;
		}
	}
	if (fill == AES_BLOCK) {
		xor_block(m, k[1]);
	} else {
		m[fill] = 0x80;
		memset(m + fill + 1, 0, AES_BLOCK - fill - 1);
		xor_block(m, k[2]);
	}
	xor_block(e, m);
	if (aes_block(ctx, e, out))
		ret = AES_BLOCK;
out:
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(e, sizeof(e));
	OPENSSL_cleanse(m, sizeof(m));
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(aes);
	return ret;
}

/* The whole MAC into out (IKE_PRF_OUT_MAX bytes); returns its length. */
static ssize_t mac_chunks(enum ike_mac_kind kind, const char *digest,
			  const uint8_t *key, size_t key_len,
			  const struct chunk *c, size_t n, uint8_t *out)
{
	switch (kind) {
	case IKE_MAC_HMAC:
		return evp_mac("HMAC", OSSL_MAC_PARAM_DIGEST, digest,
			       key, key_len, c, n, out);
	case IKE_MAC_CMAC:
		return evp_mac("CMAC", OSSL_MAC_PARAM_CIPHER, "AES-128-CBC",
			       key, key_len, c, n, out);
	case IKE_MAC_XCBC:
		return xcbc_mac(key, key_len, c, n, out);
	}
	return IKE_CRYPTO_EINVAL;
}

/*
 * The AES PRFs take keys of any length (RFC 4434, RFC 4615): a 128-bit
 * key as it is; a shorter one zero-padded for XCBC; otherwise the MAC of
 * the key under the all-zero key.
 */
static int aes_prf_key(const struct ike_prf_alg *prf, const uint8_t *key,
		       size_t len, uint8_t *out)
{
	static const uint8_t zero[AES_BLOCK];
	struct chunk c = { key, len };
	ssize_t ret;

	if (len == AES_BLOCK || (prf->mac == IKE_MAC_XCBC && len < AES_BLOCK)) {
		memset(out, 0, AES_BLOCK);
		memcpy(out, key, len);
		return 0;
	}
	ret = mac_chunks(prf->mac, NULL, zero, AES_BLOCK, &c, 1, out);
	return ret < 0 ? ret : 0;
}

/* prf(key, c[0] | c[1] | ...) into out (prf->out_len bytes). */
static int prf_chunks(const struct ike_prf_alg *prf, const uint8_t *key,
		      size_t key_len, const struct chunk *c, size_t n,
		      uint8_t *out)
{
	uint8_t k[IKE_PRF_OUT_MAX];
	ssize_t ret;

	if (prf->mac == IKE_MAC_HMAC) {
		ret = mac_chunks(prf->mac, prf->digest, key, key_len, c, n,
				 out);
		return ret < 0 ? ret : 0;
	}
	ret = aes_prf_key(prf, key, key_len, k);
	if (!ret)
		ret = mac_chunks(prf->mac, NULL, k, AES_BLOCK, c, n, out);
	OPENSSL_cleanse(k, sizeof(k));
	return ret < 0 ? ret : 0;
}

/*
 * prf+ (section 2.13): T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n),
 * the seed S given in pieces.
 */
static int prf_plus_chunks(const struct ike_prf_alg *prf, const uint8_t *key,
			   size_t key_len, const struct chunk *seed, size_t n,
			   uint8_t *out, size_t out_len)
{
	struct chunk c[SEED_CHUNKS + 2];
	uint8_t t[IKE_PRF_OUT_MAX], i = 1;
	EVP_MAC_CTX *keyed = NULL;
	size_t done, take;
	int ret = 0;

	if (n > SEED_CHUNKS || out_len > 255 * (size_t)prf->out_len)
		return IKE_CRYPTO_EINVAL;
	c[0] = (struct chunk){ t, 0 };	/* T0 is empty */
	memcpy(c + 1, seed, n * sizeof(*seed));
	c[n + 1] = (struct chunk){ &i, 1 };
	/* HMAC: keyed once, copied for each block */
	if (prf->mac == IKE_MAC_HMAC)
		keyed = mac_keyed("HMAC", OSSL_MAC_PARAM_DIGEST, prf->digest,
				  key, key_len);
	for (done = 0; done < out_len; done += take, i++) {
		if (keyed)
			ret = mac_run(keyed, c, n + 2, t) < 0 ?
			      IKE_CRYPTO_EFAIL : 0;
		else
			ret = prf_chunks(prf, key, key_len, c, n + 2, t);
		if (ret)
			break;
		take = min_size(out_len - done, prf->out_len);
		memcpy(out + done, t, take);
		c[0].len = prf->out_len;
	}
	EVP_MAC_CTX_free(keyed);
	OPENSSL_cleanse(t, sizeof(t));
	return ret;
}

int ike_prf(const struct ike_prf_alg *prf, const uint8_t *key, size_t key_len,
	    const uint8_t *data, size_t len, uint8_t *out)
{
	struct chunk c = { data, len };

	if (!prf || !key || (!data && len) || !out)
		return IKE_CRYPTO_EINVAL;
	return prf_chunks(prf, key, key_len, &c, 1, out);
}

int ike_prf_plus(const struct ike_prf_alg *prf, const uint8_t *key,
		 size_t key_len, const uint8_t *seed, size_t seed_len,
		 uint8_t *out, size_t out_len)
{
	struct chunk c = { seed, seed_len };

	if (!prf || !key || (!seed && seed_len) || !out)
		return IKE_CRYPTO_EINVAL;
	return prf_plus_chunks(prf, key, key_len, &c, 1, out, out_len);
}

static int integ_chunks(const struct ike_integ_alg *integ, const uint8_t *key,
			const struct chunk *c, size_t n, uint8_t *icv)
{
	uint8_t mac[IKE_PRF_OUT_MAX];
	ssize_t ret;

	ret = mac_chunks(integ->mac, integ->digest, key, integ->key_len,
			 c, n, mac);
	if (ret < 0)
		return ret;
	memcpy(icv, mac, integ->icv_len);
	return 0;
}

int ike_integ(const struct ike_integ_alg *integ, const uint8_t *key,
	      const uint8_t *data, size_t len, uint8_t *icv)
{
	struct chunk c = { data, len };

	if (!integ || !key || (!data && len) || !icv)
		return IKE_CRYPTO_EINVAL;
	return integ_chunks(integ, key, &c, 1, icv);
}

/* ---- IKEv1's pieces ---- */

int ike_prf_vec(const struct ike_prf_alg *prf, const uint8_t *key,
		size_t key_len, const struct ike_chunk *c, size_t n,
		uint8_t *out)
{
	struct chunk v[IKE_CHUNKS_MAX];
	size_t i;

	if (!prf || !key || (!c && n) || n > IKE_CHUNKS_MAX || !out)
		return IKE_CRYPTO_EINVAL;
	for (i = 0; i < n; i++) {
		if (!c[i].p && c[i].len)
			return IKE_CRYPTO_EINVAL;
		v[i] = (struct chunk){ c[i].p, c[i].len };
	}
	return prf_chunks(prf, key, key_len, v, n, out);
}

int ike_hash_vec(const struct ike_prf_alg *prf, const struct ike_chunk *c,
		 size_t n, uint8_t *out)
{
	EVP_MD *md = NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned int len = 0;
	int ret = IKE_CRYPTO_EFAIL;
	size_t i;

	if (!prf || prf->mac != IKE_MAC_HMAC || (!c && n) || !out)
		return IKE_CRYPTO_EINVAL;
	md = EVP_MD_fetch(NULL, prf->digest, NULL);
	ctx = EVP_MD_CTX_new();
	if (!md || !ctx || !EVP_DigestInit_ex2(ctx, md, NULL))
		goto out;
	for (i = 0; i < n; i++)
		if (c[i].len && (!c[i].p ||
				 !EVP_DigestUpdate(ctx, c[i].p, c[i].len)))
			goto out;
	if (EVP_DigestFinal_ex(ctx, out, &len) && len == prf->out_len)
		ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return ret;
}

/* ---- key derivation ---- */

int ike_skeyseed(const struct ike_prf_alg *prf, const struct ike_kdf_in *in,
		 uint8_t *skeyseed)
{
	struct chunk c;
	uint8_t key[2 * NONCE_MAX];
	size_t ni_len, nr_len;

	if (!prf || !in || !in->ni || !in->nr || !in->gir || !skeyseed)
		return IKE_CRYPTO_EINVAL;
	ni_len = in->ni_len;
	nr_len = in->nr_len;
	if (prf->mac != IKE_MAC_HMAC) {
		/*
		 * A PRF with a fixed-size key takes half of it from the start
		 * of each nonce (section 2.14): for AES-XCBC and AES-CMAC,
		 * the first 64 bits of Ni and of Nr.
		 */
		ni_len = nr_len = prf->key_len / 2;
		if (in->ni_len < ni_len || in->nr_len < nr_len)
			return IKE_CRYPTO_EINVAL;
	}
	if (ni_len > NONCE_MAX || nr_len > NONCE_MAX)
		return IKE_CRYPTO_EINVAL;
	memcpy(key, in->ni, ni_len);
	memcpy(key + ni_len, in->nr, nr_len);
	c = (struct chunk){ in->gir, in->gir_len };
	return prf_chunks(prf, key, ni_len + nr_len, &c, 1, skeyseed);
}

int ike_skeyseed_rekey(const struct ike_prf_alg *old_prf,
		       const uint8_t *old_sk_d, const struct ike_kdf_in *in,
		       uint8_t *skeyseed)
{
	struct chunk c[3];

	if (!old_prf || !old_sk_d || !in || !in->gir || !in->ni || !in->nr ||
	    !skeyseed)
		return IKE_CRYPTO_EINVAL;
	c[0] = (struct chunk){ in->gir, in->gir_len };
	c[1] = (struct chunk){ in->ni, in->ni_len };
	c[2] = (struct chunk){ in->nr, in->nr_len };
	return prf_chunks(old_prf, old_sk_d, old_prf->key_len, c, 3, skeyseed);
}

/* Copy the next len bytes of keying material; returns what follows. */
static const uint8_t *take_key(const uint8_t *keymat, uint8_t *key, size_t len)
{
	memcpy(key, keymat, len);
	return keymat + len;
}

int ike_sa_keys_derive(struct ike_sa_keys *k, const struct ike_prf_alg *prf,
		       const struct ike_encr_alg *encr,
		       const struct ike_integ_alg *integ,
		       const uint8_t *skeyseed, const struct ike_kdf_in *in)
{
	uint8_t keymat[3 * IKE_PRF_KEY_MAX + 2 * IKE_INTEG_KEY_MAX +
		       2 * IKE_ENCR_KEY_MAX];
	const uint8_t *p = keymat;
	struct chunk seed[4];
	size_t d, a, e;
	int ret;

	if (!k || !prf || !encr || !skeyseed || !in || !in->ni || !in->nr ||
	    !in->spi_i || !in->spi_r || encr->aead == (integ != NULL))
		return IKE_CRYPTO_EINVAL;
	d = prf->key_len;
	a = integ ? integ->key_len : 0;
	e = encr->key_len;
	seed[0] = (struct chunk){ in->ni, in->ni_len };
	seed[1] = (struct chunk){ in->nr, in->nr_len };
	seed[2] = (struct chunk){ in->spi_i, IKE_SPI_LEN };
	seed[3] = (struct chunk){ in->spi_r, IKE_SPI_LEN };
	ret = prf_plus_chunks(prf, skeyseed, prf->out_len, seed, 4, keymat,
			      3 * d + 2 * a + 2 * e);
	if (!ret) {
		memset(k, 0, sizeof(*k));
		p = take_key(p, k->sk_d, d);
		p = take_key(p, k->sk_ai, a);
		p = take_key(p, k->sk_ar, a);
		p = take_key(p, k->sk_ei, e);
		p = take_key(p, k->sk_er, e);
		p = take_key(p, k->sk_pi, d);
		take_key(p, k->sk_pr, d);
		k->prf_len = d;
		k->integ_len = a;
		k->encr_len = e;
	}
	OPENSSL_cleanse(keymat, sizeof(keymat));
	return ret;
}

void ike_sa_keys_clear(struct ike_sa_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

int ike_child_keys_derive(struct ike_child_keys *k,
			  const struct ike_prf_alg *prf, const uint8_t *sk_d,
			  const struct ike_encr_alg *encr,
			  const struct ike_integ_alg *integ,
			  const struct ike_kdf_in *in)
{
	uint8_t keymat[2 * (IKE_ENCR_KEY_MAX + IKE_INTEG_KEY_MAX)];
	const uint8_t *p = keymat;
	struct chunk seed[3];
	size_t n = 0, e, a;
	int ret;

	if (!k || !prf || !sk_d || !in || !in->ni || !in->nr ||
	    (!encr && !integ) || (encr && encr->aead == (integ != NULL)))
		return IKE_CRYPTO_EINVAL;
	e = encr ? encr->key_len : 0;
	a = integ ? integ->key_len : 0;
	if (in->gir)
		seed[n++] = (struct chunk){ in->gir, in->gir_len };
	seed[n++] = (struct chunk){ in->ni, in->ni_len };
	seed[n++] = (struct chunk){ in->nr, in->nr_len };
	ret = prf_plus_chunks(prf, sk_d, prf->key_len, seed, n, keymat,
			      2 * (e + a));
	if (!ret) {
		/*
		 * Section 2.17: the initiator-to-responder SA's keys come
		 * first, and within a direction encryption before integrity.
		 */
		memset(k, 0, sizeof(*k));
		p = take_key(p, k->encr_i, e);
		p = take_key(p, k->integ_i, a);
		p = take_key(p, k->encr_r, e);
		take_key(p, k->integ_r, a);
		k->encr_len = e;
		k->integ_len = a;
	}
	OPENSSL_cleanse(keymat, sizeof(keymat));
	return ret;
}

void ike_child_keys_clear(struct ike_child_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

/* ---- key exchange ---- */

enum kex_kind {
	KEX_MODP,
	KEX_ECP,
	KEX_ECX,	/* Curve25519, Curve448 */
};

struct kex_group {
	uint16_t id;
	enum kex_kind kind;
	uint16_t len;		/* the KE payload's data */
	uint16_t secret_len;	/* g^ir */
	const char *name;	/* OpenSSL's: DH group, EC curve, key type */
	BIGNUM *(*prime)(BIGNUM *);	/* a MODP group OpenSSL cannot name */
};

static const struct kex_group kex_groups[] = {
	/* RFC 2409 section 6: OpenSSL has the primes but not the groups. */
	{ IKE_KE_MODP768, KEX_MODP, 96, 96, NULL, BN_get_rfc2409_prime_768 },
	{ IKE_KE_MODP1024, KEX_MODP, 128, 128, NULL, BN_get_rfc2409_prime_1024 },
	/* RFC 3526 */
	{ IKE_KE_MODP1536, KEX_MODP, 192, 192, "modp_1536", NULL },
	{ IKE_KE_MODP2048, KEX_MODP, 256, 256, "modp_2048", NULL },
	{ IKE_KE_MODP3072, KEX_MODP, 384, 384, "modp_3072", NULL },
	{ IKE_KE_MODP4096, KEX_MODP, 512, 512, "modp_4096", NULL },
	{ IKE_KE_MODP6144, KEX_MODP, 768, 768, "modp_6144", NULL },
	{ IKE_KE_MODP8192, KEX_MODP, 1024, 1024, "modp_8192", NULL },
	/* RFC 5903: x | y on the wire, x alone is g^ir. */
	{ IKE_KE_ECP256, KEX_ECP, 64, 32, "P-256", NULL },
	{ IKE_KE_ECP384, KEX_ECP, 96, 48, "P-384", NULL },
	{ IKE_KE_ECP521, KEX_ECP, 132, 66, "P-521", NULL },
	/* RFC 8031 */
	{ IKE_KE_CURVE25519, KEX_ECX, 32, 32, "X25519", NULL },
	{ IKE_KE_CURVE448, KEX_ECX, 56, 56, "X448", NULL },
};

/*
 * MODP and ECX keys are EVP_PKEYs. ECP keys are a scalar and its point,
 * computed with EC_POINT_mul() on a group made once per thread: through
 * EVP_PKEY, OpenSSL 3 built the curve afresh (Montgomery constants, an
 * inversion) for each key generated, each peer value imported and each
 * derivation, which was as much CPU as the scalar multiplications of an
 * ECP_256 exchange themselves.
 */
struct ike_kex {
	const struct kex_group *g;
	EVP_PKEY *pkey;			/* MODP, ECX */
	BIGNUM *ec_d;			/* ECP: our scalar (secure heap) */
	uint8_t ec_pub[ECP_POINT_MAX - 1];	/* ECP: x | y */
};

static const struct kex_group *kex_group(uint16_t id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kex_groups); i++)
		if (kex_groups[i].id == id)
			return &kex_groups[i];
	return NULL;
}

size_t ike_kex_len(uint16_t group)
{
	const struct kex_group *g = kex_group(group);

	return g ? g->len : 0;
}

size_t ike_kex_secret_len(uint16_t group)
{
	const struct kex_group *g = kex_group(group);

	return g ? g->secret_len : 0;
}

static const char *kex_type(const struct kex_group *g)
{
	switch (g->kind) {
	case KEX_MODP:
		return "DH";
	case KEX_ECP:
		return "EC";
	case KEX_ECX:
		return g->name;
	}
	return NULL;
}

/* Domain parameters of an RFC 2409 group: its prime, generator 2. */
static EVP_PKEY *modp_params(const struct kex_group *g)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *p = g->prime(NULL), *gen = BN_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY *pkey = NULL;

	if (ctx && bld && p && gen && BN_set_word(gen, 2) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, gen) &&
	    (params = OSSL_PARAM_BLD_to_param(bld)) &&
	    EVP_PKEY_fromdata_init(ctx) > 0)
		EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEY_PARAMETERS, params);
	OSSL_PARAM_free(params);
	BN_free(gen);
	BN_free(p);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/*
 * DH and EC keys are generated for a group they are told the name of, an
 * RFC 2409 group from its parameters; X25519 and X448 are key types.
 */
static EVP_PKEY *kex_generate(const struct kex_group *g)
{
	OSSL_PARAM group[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						 (char *)g->name, 0),
		OSSL_PARAM_END,
	};
	EVP_PKEY *params = NULL, *pkey = NULL;
	EVP_PKEY_CTX *ctx;
	bool named = g->kind != KEX_ECX && !g->prime;

	if (g->prime) {
		params = modp_params(g);
		ctx = params ? EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL)
			     : NULL;
	} else {
		ctx = EVP_PKEY_CTX_new_from_name(NULL, kex_type(g), NULL);
	}
	if (ctx && EVP_PKEY_keygen_init(ctx) > 0 &&
	    (!named || EVP_PKEY_CTX_set_params(ctx, group) > 0))
		EVP_PKEY_generate(ctx, &pkey);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	return pkey;
}

static struct ike_kex *kex_wrap(const struct kex_group *g, EVP_PKEY *pkey)
{
	struct ike_kex *kex;

	if (!pkey)
		return NULL;
	kex = OPENSSL_zalloc(sizeof(*kex));
	if (!kex) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	kex->g = g;
	kex->pkey = pkey;
	return kex;
}

/*
 * The curves of the ECP groups, each made once per thread and never
 * shared between threads: the loop and each worker (pool.c) have theirs.
 */
static _Thread_local EC_GROUP *thread_ec_groups[ARRAY_SIZE(kex_groups)];

static const EC_GROUP *ecp_group(const struct kex_group *g)
{
	size_t i = g - kex_groups;

	if (!thread_ec_groups[i])
		thread_ec_groups[i] = EC_GROUP_new_by_curve_name(
					EC_curve_nist2nid(g->name));
	return thread_ec_groups[i];
}

/*
 * An ECP key from the scalar d (taken), or a random one when d is NULL:
 * 1 <= d < n, the public point d * G as x | y (RFC 5903 section 7).
 */
static struct ike_kex *ecp_key(const struct kex_group *g, BIGNUM *d)
{
	const EC_GROUP *group = ecp_group(g);
	BN_CTX *bn = BN_CTX_secure_new();
	EC_POINT *q = group ? EC_POINT_new(group) : NULL;
	struct ike_kex *kex = OPENSSL_zalloc(sizeof(*kex));
	uint8_t pt[ECP_POINT_MAX];
	bool ok = false;

	if (!d) {
		/* 0 <= d < n; 0 (one chance in 2^256) fails below */
		d = BN_secure_new();
		if (d && group &&
		    !BN_priv_rand_range_ex(d, EC_GROUP_get0_order(group), 0, bn))
			BN_zero(d);
	}
	if (kex && bn && q && d && !BN_is_zero(d) &&
	    BN_cmp(d, EC_GROUP_get0_order(group)) < 0 &&
	    EC_POINT_mul(group, q, d, NULL, NULL, bn) &&
	    EC_POINT_point2oct(group, q, POINT_CONVERSION_UNCOMPRESSED, pt,
			       g->len + 1, bn) == (size_t)g->len + 1) {
		memcpy(kex->ec_pub, pt + 1, g->len);
		kex->g = g;
		kex->ec_d = d;
		d = NULL;
		ok = true;
	}
	BN_clear_free(d);
	EC_POINT_free(q);
	BN_CTX_free(bn);
	if (!ok) {
		OPENSSL_free(kex);
		return NULL;
	}
	return kex;
}

/*
 * g^ir: the x of d * P, for P the peer's x | y, which must be a point of
 * the curve (EC_POINT_oct2point() refuses coordinates not below p and
 * points off the curve; RFC 6989 section 2.3: with cofactor 1, that is
 * all). EC_POINT_mul() takes the secret scalar in constant time.
 */
static ssize_t ecp_shared(const struct ike_kex *kex, const uint8_t *peer,
			  size_t len, uint8_t *secret)
{
	const struct kex_group *g = kex->g;
	const EC_GROUP *group = ecp_group(g);
	BN_CTX *bn = BN_CTX_secure_new();
	EC_POINT *p = group ? EC_POINT_new(group) : NULL;
	EC_POINT *s = group ? EC_POINT_new(group) : NULL;
	BIGNUM *x = BN_secure_new();
	uint8_t pt[ECP_POINT_MAX];
	ssize_t ret = IKE_CRYPTO_EFAIL;

	if (!bn || !p || !s || !x)
		goto out;
	pt[0] = POINT_CONVERSION_UNCOMPRESSED;
	memcpy(pt + 1, peer, len);
	if (!EC_POINT_oct2point(group, p, pt, len + 1, bn) ||
	    EC_POINT_is_on_curve(group, p, bn) != 1 ||
	    EC_POINT_is_at_infinity(group, p)) {
		ret = IKE_CRYPTO_EKEVAL;
		goto out;
	}
	if (EC_POINT_mul(group, s, NULL, p, kex->ec_d, bn) &&
	    !EC_POINT_is_at_infinity(group, s) &&
	    EC_POINT_get_affine_coordinates(group, s, x, NULL, bn) &&
	    BN_bn2binpad(x, secret, g->secret_len) == g->secret_len)
		ret = g->secret_len;
out:
	BN_clear_free(x);
	EC_POINT_clear_free(s);
	EC_POINT_free(p);
	BN_CTX_free(bn);
	return ret;
}

struct ike_kex *ike_kex_new(uint16_t group)
{
	const struct kex_group *g = kex_group(group);

	if (g && g->kind == KEX_ECP)
		return ecp_key(g, NULL);
	return g ? kex_wrap(g, kex_generate(g)) : NULL;
}

void ike_kex_free(struct ike_kex *kex)
{
	if (!kex)
		return;
	EVP_PKEY_free(kex->pkey);	/* OpenSSL clears private keys */
	BN_clear_free(kex->ec_d);
	OPENSSL_free(kex);
}

/* The public value y, left-padded to the prime's length (section 3.4). */
static ssize_t modp_public(EVP_PKEY *pkey, uint8_t *buf, size_t len)
{
	BIGNUM *y = NULL;
	ssize_t ret = IKE_CRYPTO_EFAIL;

	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, &y) &&
	    BN_bn2binpad(y, buf, len) == (int)len)
		ret = len;
	BN_free(y);
	return ret;
}

static ssize_t ecx_public(EVP_PKEY *pkey, uint8_t *buf, size_t len)
{
	size_t n = len;

	if (!EVP_PKEY_get_raw_public_key(pkey, buf, &n) || n != len)
		return IKE_CRYPTO_EFAIL;
	return len;
}

ssize_t ike_kex_public(const struct ike_kex *kex, uint8_t *buf, size_t size)
{
	if (!kex || !buf || size < kex->g->len)
		return IKE_CRYPTO_EINVAL;
	switch (kex->g->kind) {
	case KEX_MODP:
		return modp_public(kex->pkey, buf, kex->g->len);
	case KEX_ECP:
		memcpy(buf, kex->ec_pub, kex->g->len);
		return kex->g->len;
	case KEX_ECX:
		return ecx_public(kex->pkey, buf, kex->g->len);
	}
	return IKE_CRYPTO_EINVAL;
}

/* The peer's public value as a key of our group. */
static int kex_peer(const struct ike_kex *kex, const uint8_t *data,
		    size_t len, EVP_PKEY **peer)
{
	EVP_PKEY *pkey;

	if (kex->g->kind == KEX_ECX) {
		*peer = EVP_PKEY_new_raw_public_key_ex(NULL, kex->g->name,
						       NULL, data, len);
		return *peer ? 0 : IKE_CRYPTO_EFAIL;
	}
	pkey = EVP_PKEY_new();
	if (!pkey || EVP_PKEY_copy_parameters(pkey, kex->pkey) <= 0) {
		EVP_PKEY_free(pkey);
		return IKE_CRYPTO_EFAIL;
	}
	/* import refuses some values already: y >= p... */
	if (!EVP_PKEY_set1_encoded_public_key(pkey, data, len)) {
		EVP_PKEY_free(pkey);
		return IKE_CRYPTO_EKEVAL;
	}
	*peer = pkey;
	return 0;
}

/*
 * (ECP values are checked in ecp_shared().)
 * MODP: 1 < y < p-1, enough with safe primes, whose only small subgroup
 * is {1, p-1}. OpenSSL's full check (y^q = 1) would cost an
 * exponentiation as long as the prime, 100 ms for MODP 8192, on every
 * IKE_SA_INIT anyone sends. Curve25519 and Curve448 take any string: the
 * all-zero result is what betrays a bad one.
 */
static int kex_check_peer(const struct ike_kex *kex, EVP_PKEY *peer)
{
	EVP_PKEY_CTX *ctx;
	int ok;

	if (kex->g->kind == KEX_ECX)
		return 0;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, peer, NULL);
	if (!ctx)
		return IKE_CRYPTO_EFAIL;
	/*
	 * The quick check: for MODP the range 1 < y < p-1, for ECP a point
	 * of the curve other than infinity. The IKE ECP groups have
	 * cofactor 1, so that is all RFC 6989 section 2.3 asks; the full
	 * check adds a scalar multiplication by the order, which doubled
	 * the cost of a key exchange.
	 */
	ok = EVP_PKEY_public_check_quick(ctx);
	EVP_PKEY_CTX_free(ctx);
	return ok > 0 ? 0 : IKE_CRYPTO_EKEVAL;
}

ssize_t ike_kex_shared(const struct ike_kex *kex, const uint8_t *peer,
		       size_t len, uint8_t *secret, size_t size)
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	ssize_t ret;
	size_t n;

	if (!kex || !peer || !secret || size < kex->g->secret_len)
		return IKE_CRYPTO_EINVAL;
	if (len != kex->g->len)
		return IKE_CRYPTO_EKELEN;
	if (kex->g->kind == KEX_ECP)
		return ecp_shared(kex, peer, len, secret);
	ret = kex_peer(kex, peer, len, &pkey);
	if (ret)
		return ret;
	ret = kex_check_peer(kex, pkey);
	if (ret)
		goto out;
	ret = IKE_CRYPTO_EFAIL;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, kex->pkey, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0)
		goto out;
	/* g^ir keeps its leading zeros: the prime's length (section 2.14) */
	if (kex->g->kind == KEX_MODP && EVP_PKEY_CTX_set_dh_pad(ctx, 1) <= 0)
		goto out;
	if (EVP_PKEY_derive_set_peer_ex(ctx, pkey, 0) <= 0)
		goto out;
	n = kex->g->secret_len;
	if (EVP_PKEY_derive(ctx, secret, &n) <= 0) {
		/*
		 * X25519 and X448 refuse to return an all-zero secret, the
		 * mark of a low order point that RFC 8031 section 2 says
		 * to reject.
		 */
		if (kex->g->kind == KEX_ECX)
			ret = IKE_CRYPTO_EKEVAL;
		goto out;
	}
	if (n == kex->g->secret_len)
		ret = n;
	else
		OPENSSL_cleanse(secret, size);
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return ret;
}

struct ike_kex *ike_kex_from_private(uint16_t group, const uint8_t *priv,
				     size_t len)
{
	const struct kex_group *g = kex_group(group);

	if (!g || !priv || len != g->secret_len)
		return NULL;
	switch (g->kind) {
	case KEX_MODP:
		break;
	case KEX_ECP: {
		BIGNUM *d = BN_secure_new();

		if (!d || !BN_bin2bn(priv, len, d)) {
			BN_clear_free(d);
			return NULL;
		}
		return ecp_key(g, d);	/* takes d */
	}
	case KEX_ECX:
		return kex_wrap(g, EVP_PKEY_new_raw_private_key_ex(NULL,
						g->name, NULL, priv, len));
	}
	return NULL;
}

ssize_t ike_kex_prime(const struct ike_kex *kex, uint8_t *buf, size_t size)
{
	BIGNUM *p = NULL;
	ssize_t ret = IKE_CRYPTO_EFAIL;

	if (!kex || kex->g->kind != KEX_MODP || !buf || size < kex->g->len)
		return IKE_CRYPTO_EINVAL;
	if (EVP_PKEY_get_bn_param(kex->pkey, OSSL_PKEY_PARAM_FFC_P, &p) &&
	    BN_bn2binpad(p, buf, kex->g->len) == kex->g->len)
		ret = kex->g->len;
	BN_free(p);
	return ret;
}

/* ---- the SK payload ---- */

int ike_sk_init(struct ike_sk_ctx *sk, const struct ike_encr_alg *encr,
		const struct ike_integ_alg *integ, const uint8_t *sk_e,
		const uint8_t *sk_a)
{
	if (!sk || !encr || !sk_e || encr->aead == (integ != NULL) ||
	    (integ && !sk_a))
		return IKE_CRYPTO_EINVAL;
	memset(sk, 0, sizeof(*sk));
	sk->encr = encr;
	sk->integ = integ;
	memcpy(sk->sk_e, sk_e, encr->key_len);
	if (integ)
		memcpy(sk->sk_a, sk_a, integ->key_len);
	return 0;
}

void ike_sk_clear(struct ike_sk_ctx *sk)
{
	OPENSSL_cleanse(sk, sizeof(*sk));
}

static size_t sk_icv_len(const struct ike_sk_ctx *sk)
{
	return sk->encr->aead ? sk->encr->icv_len : sk->integ->icv_len;
}

/*
 * The encrypted part: the chain, the padding and the Pad Length byte, in
 * whole blocks, with as little padding as that takes.
 */
static size_t sk_ct_len(const struct ike_sk_ctx *sk, size_t plain_len)
{
	size_t b = sk->encr->block_len;

	return (plain_len + 1 + b - 1) / b * b;
}

size_t ike_sk_overhead(const struct ike_sk_ctx *sk)
{
	return sk->encr->iv_len + sk->encr->block_len + sk_icv_len(sk);
}

size_t ike_sk_len(const struct ike_sk_ctx *sk, size_t plain_len)
{
	return sk->encr->iv_len + sk_ct_len(sk, plain_len) + sk_icv_len(sk);
}

static int sk_new_iv(struct ike_sk_ctx *sk, uint8_t *iv)
{
	const struct ike_encr_alg *e = sk->encr;
	uint64_t seq;
	size_t i;

	/* CBC wants an unpredictable IV (section 3.14) */
	if (!e->counter_iv)
		return RAND_bytes(iv, e->iv_len) == 1 ? 0 : IKE_CRYPTO_EFAIL;
	/* runs out long after the SA should have been rekeyed */
	if (sk->iv_seq == UINT64_MAX)
		return IKE_CRYPTO_EINVAL;
	seq = sk->iv_seq++;
	for (i = e->iv_len; i-- > 0; seq >>= 8)
		iv[i] = seq & 0xff;
	return 0;
}

/*
 * Run the cipher over len bytes, in place or not. An AEAD authenticates
 * aad and writes (enc) or checks its tag; a failed check is EAUTH.
 */
static int sk_cipher(const struct ike_sk_ctx *sk, int enc, const uint8_t *iv,
		     const uint8_t *aad, size_t aad_len, const uint8_t *in,
		     size_t len, uint8_t *out, uint8_t *tag)
{
	static const uint8_t ctr_one[4] = { 0, 0, 0, 1 };
	const struct ike_encr_alg *e = sk->encr;
	size_t key_len = e->key_len - e->salt_len, nonce_len;
	EVP_CIPHER *cipher = cipher_of(e);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t nonce[AES_BLOCK];
	int n, fin, ret = IKE_CRYPTO_EFAIL;

	/*
	 * The salted modes' nonce is the salt (the key's tail) then the IV
	 * (RFC 4106 and 5282 for GCM, RFC 7634 section 2); AES-CTR's
	 * counter block adds a block counter from 1 (RFC 3686 section 4).
	 */
	memcpy(nonce, sk->sk_e + key_len, e->salt_len);
	memcpy(nonce + e->salt_len, iv, e->iv_len);
	nonce_len = e->salt_len + e->iv_len;
	if (e->salt_len && !e->aead) {
		memcpy(nonce + nonce_len, ctr_one, sizeof(ctr_one));
		nonce_len += sizeof(ctr_one);
	}

	if (!cipher || !ctx || len > INT_MAX || aad_len > INT_MAX ||
	    !EVP_CipherInit_ex2(ctx, cipher, NULL, NULL, enc, NULL) ||
	    EVP_CIPHER_CTX_get_key_length(ctx) != (int)key_len ||
	    EVP_CIPHER_CTX_get_iv_length(ctx) != (int)nonce_len ||
	    !EVP_CipherInit_ex2(ctx, NULL, sk->sk_e, nonce, enc, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0))
		goto out;
	if (e->aead && !enc &&
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, e->icv_len, tag))
		goto out;
	if (e->aead && aad_len &&
	    !EVP_CipherUpdate(ctx, NULL, &n, aad, (int)aad_len))
		goto out;
	if (!EVP_CipherUpdate(ctx, out, &n, in, (int)len) || n != (int)len)
		goto out;
	if (!EVP_CipherFinal_ex(ctx, out + n, &fin)) {
		if (e->aead && !enc)
			ret = IKE_CRYPTO_EAUTH;
		goto out;
	}
	if (e->aead && enc &&
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, e->icv_len, tag))
		goto out;
	ret = 0;
out:
	OPENSSL_cleanse(nonce, sizeof(nonce));
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	return ret;
}

/* Without an AEAD the ICV covers the message up to the ICV (3.14). */
static int sk_icv(const struct ike_sk_ctx *sk, const uint8_t *aad,
		  size_t aad_len, const uint8_t *iv_ct, size_t len,
		  uint8_t *icv)
{
	struct chunk c[2] = { { aad, aad_len }, { iv_ct, len } };

	return integ_chunks(sk->integ, sk->sk_a, c, 2, icv);
}

ssize_t ike_sk_encrypt(struct ike_sk_ctx *sk, const uint8_t *aad,
		       size_t aad_len, const uint8_t *plain, size_t plain_len,
		       uint8_t *out, size_t size)
{
	const struct ike_encr_alg *e;
	size_t ct_len, pad, total;
	uint8_t *ct, *icv;
	int ret;

	if (!sk || !sk->encr || (!aad && aad_len) || (!plain && plain_len) ||
	    !out)
		return IKE_CRYPTO_EINVAL;
	e = sk->encr;
	ct_len = sk_ct_len(sk, plain_len);
	total = ike_sk_len(sk, plain_len);
	if (size < total)
		return IKE_CRYPTO_EINVAL;
	pad = ct_len - plain_len - 1;
	ct = out + e->iv_len;
	icv = ct + ct_len;
	ret = sk_new_iv(sk, out);
	if (ret)
		return ret;
	/* zeros for padding, then its length (section 3.14) */
	if (plain_len)
		memmove(ct, plain, plain_len);
	memset(ct + plain_len, 0, pad);
	ct[ct_len - 1] = pad;
	ret = sk_cipher(sk, 1, out, aad, aad_len, ct, ct_len, ct, icv);
	if (!ret && !e->aead)
		ret = sk_icv(sk, aad, aad_len, out, e->iv_len + ct_len, icv);
	if (ret) {
		OPENSSL_cleanse(out, total);
		return ret;
	}
	return total;
}

ssize_t ike_sk_decrypt(const struct ike_sk_ctx *sk, const uint8_t *aad,
		       size_t aad_len, const uint8_t *body, size_t len,
		       uint8_t *plain, size_t size)
{
	const struct ike_encr_alg *e;
	uint8_t icv[IKE_ICV_MAX];
	size_t icv_len, ct_len, pad;
	const uint8_t *ct;
	int ret;

	if (!sk || !sk->encr || (!aad && aad_len) || !body || !plain)
		return IKE_CRYPTO_EINVAL;
	e = sk->encr;
	icv_len = sk_icv_len(sk);
	if (len < e->iv_len + 1 + icv_len)
		return IKE_CRYPTO_ESYNTAX;
	ct_len = len - e->iv_len - icv_len;
	if (ct_len % e->block_len)
		return IKE_CRYPTO_ESYNTAX;
	if (size < ct_len)
		return IKE_CRYPTO_EINVAL;
	ct = body + e->iv_len;
	if (!e->aead) {
		ret = sk_icv(sk, aad, aad_len, body, e->iv_len + ct_len, icv);
		if (ret)
			return ret;
		if (CRYPTO_memcmp(icv, ct + ct_len, icv_len))
			return IKE_CRYPTO_EAUTH;
	} else {
		memcpy(icv, ct + ct_len, icv_len);
	}
	ret = sk_cipher(sk, 0, body, aad, aad_len, ct, ct_len, plain, icv);
	if (ret)
		goto wipe;
	pad = plain[ct_len - 1];
	if (pad + 1 > ct_len) {
		ret = IKE_CRYPTO_ESYNTAX;
		goto wipe;
	}
	return ct_len - pad - 1;
wipe:
	OPENSSL_cleanse(plain, ct_len);
	return ret;
}

/*
 * IKEv1's CBC: the IV is the caller's (RFC 2409 appendix B chains it from
 * message to message), and the padding is the caller's too. sk_cipher()
 * does the work; the key goes through an SK context wiped after.
 */
int ike_cbc_crypt(const struct ike_encr_alg *encr, bool enc,
		  const uint8_t *key, const uint8_t *iv, const uint8_t *in,
		  size_t len, uint8_t *out)
{
	struct ike_sk_ctx sk = { .encr = encr };
	int ret;

	if (!encr || encr->aead || encr->counter_iv || encr->salt_len ||
	    encr->block_len < 2 || !key || !iv || (!in && len) || !out ||
	    len % encr->block_len)
		return IKE_CRYPTO_EINVAL;
	if (!len)
		return 0;
	memcpy(sk.sk_e, key, encr->key_len);
	ret = sk_cipher(&sk, enc, iv, NULL, 0, in, len, out, NULL);
	OPENSSL_cleanse(&sk, sizeof(sk));
	return ret;
}

/* ---- authentication ---- */

ssize_t ike_auth_octets(const struct ike_prf_alg *prf, const uint8_t *sk_p,
			const uint8_t *msg, size_t msg_len,
			const uint8_t *nonce, size_t nonce_len,
			const uint8_t *id, size_t id_len,
			uint8_t *out, size_t size)
{
	size_t total;
	int ret;

	if (!prf || !sk_p || !msg || !nonce || !id || !out)
		return IKE_CRYPTO_EINVAL;
	total = msg_len + nonce_len + prf->out_len;
	if (size < total)
		return IKE_CRYPTO_EINVAL;
	memcpy(out, msg, msg_len);
	memcpy(out + msg_len, nonce, nonce_len);
	ret = ike_prf(prf, sk_p, prf->key_len, id, id_len,
		      out + msg_len + nonce_len);
	return ret ? ret : (ssize_t)total;
}

int ike_psk_auth(const struct ike_prf_alg *prf, const uint8_t *psk,
		 size_t psk_len, const uint8_t *octets, size_t octets_len,
		 uint8_t *auth)
{
	static const char pad[] = "Key Pad for IKEv2";	/* without its NUL */
	uint8_t key[IKE_PRF_OUT_MAX];
	int ret;

	if (!prf || !psk || !octets || !auth)
		return IKE_CRYPTO_EINVAL;
	ret = ike_prf(prf, psk, psk_len, (const uint8_t *)pad,
		      sizeof(pad) - 1, key);
	if (!ret)
		ret = ike_prf(prf, key, prf->out_len, octets, octets_len, auth);
	OPENSSL_cleanse(key, sizeof(key));
	return ret;
}

int ike_psk_verify(const struct ike_prf_alg *prf, const uint8_t *psk,
		   size_t psk_len, const uint8_t *octets, size_t octets_len,
		   const uint8_t *auth, size_t auth_len)
{
	uint8_t want[IKE_PRF_OUT_MAX];
	int ret;

	if (!auth)
		return IKE_CRYPTO_EINVAL;
	ret = ike_psk_auth(prf, psk, psk_len, octets, octets_len, want);
	if (!ret && (auth_len != prf->out_len ||
		     CRYPTO_memcmp(want, auth, auth_len)))
		ret = IKE_CRYPTO_EAUTH;
	OPENSSL_cleanse(want, sizeof(want));
	return ret;
}

/* ---- NAT detection and randomness ---- */

int ike_natd_hash(const uint8_t *spi_i, const uint8_t *spi_r, int family,
		  const uint8_t *addr, uint16_t port, uint8_t *hash)
{
	const uint8_t port_be[2] = { port >> 8, port & 0xff };
	size_t addr_len = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
	EVP_MD_CTX *ctx;
	unsigned int n = 0;
	int ret = IKE_CRYPTO_EFAIL;

	if (!spi_i || !spi_r || !addr_len || !addr || !hash)
		return IKE_CRYPTO_EINVAL;
	pthread_once(&fetched_once, fetch_all);
	ctx = EVP_MD_CTX_new();
	if (ctx && EVP_DigestInit_ex2(ctx, md_sha1 ? md_sha1 : EVP_sha1(),
				      NULL) &&
	    EVP_DigestUpdate(ctx, spi_i, IKE_SPI_LEN) &&
	    EVP_DigestUpdate(ctx, spi_r, IKE_SPI_LEN) &&
	    EVP_DigestUpdate(ctx, addr, addr_len) &&
	    EVP_DigestUpdate(ctx, port_be, sizeof(port_be)) &&
	    EVP_DigestFinal_ex(ctx, hash, &n) && n == IKE_NATD_LEN)
		ret = 0;
	EVP_MD_CTX_free(ctx);
	return ret;
}

int ike_nonce_new(uint8_t *nonce)
{
	if (!nonce)
		return IKE_CRYPTO_EINVAL;
	return RAND_bytes(nonce, IKE_NONCE_LEN) == 1 ? 0 : IKE_CRYPTO_EFAIL;
}

int ike_spi_new(uint8_t *spi)
{
	static const uint8_t zero[IKE_SPI_LEN];

	if (!spi)
		return IKE_CRYPTO_EINVAL;
	/* zero is the responder SPI not yet known (section 3.1) */
	do {
		if (RAND_bytes(spi, IKE_SPI_LEN) != 1)
			return IKE_CRYPTO_EFAIL;
	} while (!memcmp(spi, zero, IKE_SPI_LEN));
	return 0;
}
