// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 keys, hashes and IVs (see keys.h), composed from crypto.c's PRF,
 * hash and CBC the way RFC 2409 writes them.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "../../kipsec.h"
#include "keys.h"

/* Section 5: a nonce is 8 to 256 bytes. */
#define NONCE_MAX	256
#define SPI_LEN		4	/* an AH or ESP SPI */

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

static struct ike_chunk chunk(const uint8_t *p, size_t len)
{
	return (struct ike_chunk){ p, len };
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* ---- algorithms ---- */

static const struct {
	uint16_t hash;		/* enum ike1_hash */
	uint16_t prf;		/* enum ike_prf_id: its HMAC */
} hash_prfs[] = {
	{ IKE1_HASH_MD5,	IKE_PRF_HMAC_MD5 },
	{ IKE1_HASH_SHA1,	IKE_PRF_HMAC_SHA1 },
	{ IKE1_HASH_SHA2_256,	IKE_PRF_HMAC_SHA2_256 },
	{ IKE1_HASH_SHA2_384,	IKE_PRF_HMAC_SHA2_384 },
	{ IKE1_HASH_SHA2_512,	IKE_PRF_HMAC_SHA2_512 },
};

const struct ike_prf_alg *ike1_hash_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hash_prfs); i++)
		if (hash_prfs[i].hash == id)
			return ike_hmac_find(hash_prfs[i].prf);
	return NULL;
}

const struct ike_encr_alg *ike1_encr_find(uint16_t id, uint16_t key_bits)
{
	switch (id) {
	case IKE1_ENCR_3DES_CBC:
		return key_bits ? NULL : ike_encr_find(IKE_ENCR_3DES, 0);
	case IKE1_ENCR_AES_CBC:
		/* RFC 3602 section 5: the Key Length is required */
		return key_bits ? ike_encr_find(IKE_ENCR_AES_CBC, key_bits)
				: NULL;
	}
	return NULL;
}

/* ---- Phase 1 keys ---- */

/* Signatures: prf(Ni_b | Nr_b, g^xy), the nonces being the key. */
static int skeyid_sig(const struct ike_prf_alg *prf,
		      const struct ike1_kdf_in *in, uint8_t *skeyid)
{
	uint8_t key[2 * NONCE_MAX];
	struct ike_chunk c = chunk(in->gxy, in->gxy_len);
	int ret;

	if (!in->gxy || in->ni_len > NONCE_MAX || in->nr_len > NONCE_MAX)
		return IKE_CRYPTO_EINVAL;
	memcpy(key, in->ni, in->ni_len);
	memcpy(key + in->ni_len, in->nr, in->nr_len);
	ret = ike_prf_vec(prf, key, in->ni_len + in->nr_len, &c, 1, skeyid);
	OPENSSL_cleanse(key, sizeof(key));
	return ret;
}

/* Public key encryption: prf(hash(Ni_b | Nr_b), CKY-I | CKY-R). */
static int skeyid_pke(const struct ike_prf_alg *prf,
		      const struct ike1_kdf_in *in, uint8_t *skeyid)
{
	const struct ike_chunk nonces[] = {
		chunk(in->ni, in->ni_len), chunk(in->nr, in->nr_len),
	};
	const struct ike_chunk cookies[] = {
		chunk(in->cky_i, IKE1_COOKIE_LEN),
		chunk(in->cky_r, IKE1_COOKIE_LEN),
	};
	uint8_t key[IKE_PRF_OUT_MAX];
	int ret;

	if (!in->cky_i || !in->cky_r)
		return IKE_CRYPTO_EINVAL;
	ret = ike_hash_vec(prf, nonces, 2, key);
	if (!ret)
		ret = ike_prf_vec(prf, key, prf->out_len, cookies, 2, skeyid);
	OPENSSL_cleanse(key, sizeof(key));
	return ret;
}

int ike1_skeyid(const struct ike_prf_alg *prf, enum ike1_skeyid auth,
		const struct ike1_kdf_in *in, uint8_t *skeyid)
{
	struct ike_chunk nonces[2];

	if (!prf || !in || !in->ni || !in->nr || !skeyid)
		return IKE_CRYPTO_EINVAL;
	switch (auth) {
	case IKE1_SKEYID_SIG:
		return skeyid_sig(prf, in, skeyid);
	case IKE1_SKEYID_PSK:
		if (!in->psk)
			return IKE_CRYPTO_EINVAL;
		nonces[0] = chunk(in->ni, in->ni_len);
		nonces[1] = chunk(in->nr, in->nr_len);
		return ike_prf_vec(prf, in->psk, in->psk_len, nonces, 2, skeyid);
	case IKE1_SKEYID_PKE:
		return skeyid_pke(prf, in, skeyid);
	}
	return IKE_CRYPTO_EINVAL;
}

int ike1_enc_key(const struct ike_prf_alg *prf, const uint8_t *skeyid_e,
		 uint8_t *key, size_t len)
{
	static const uint8_t zero;
	uint8_t t[2][IKE_PRF_OUT_MAX];
	struct ike_chunk seed = chunk(&zero, 1);
	size_t done, take, i = 0;
	int ret = 0;

	if (!prf || !skeyid_e || !key)
		return IKE_CRYPTO_EINVAL;
	if (len <= prf->out_len) {
		memcpy(key, skeyid_e, len);
		return 0;
	}
	/* K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1): two buffers,
	 * so that no output is written over its own input */
	for (done = 0; done < len; done += take, i ^= 1) {
		ret = ike_prf_vec(prf, skeyid_e, prf->out_len, &seed, 1, t[i]);
		if (ret)
			break;
		take = min_size(len - done, prf->out_len);
		memcpy(key + done, t[i], take);
		seed = chunk(t[i], prf->out_len);
	}
	OPENSSL_cleanse(t, sizeof(t));
	if (ret)
		OPENSSL_cleanse(key, len);
	return ret;
}

/*
 * SKEYID_d, _a and _e: each prf(SKEYID, previous | g^xy | CKY-I | CKY-R
 * | n) for n = 0, 1, 2, the first without a previous one.
 */
static int skeyid_dae(struct ike1_sa_keys *k, const struct ike1_kdf_in *in)
{
	uint8_t *out[] = { k->skeyid_d, k->skeyid_a, k->skeyid_e };
	size_t len = k->prf->out_len;
	struct ike_chunk c[5];
	uint8_t n;
	int ret;

	c[0] = chunk(NULL, 0);
	c[1] = chunk(in->gxy, in->gxy_len);
	c[2] = chunk(in->cky_i, IKE1_COOKIE_LEN);
	c[3] = chunk(in->cky_r, IKE1_COOKIE_LEN);
	c[4] = chunk(&n, 1);
	for (n = 0; n < ARRAY_SIZE(out); n++) {
		ret = ike_prf_vec(k->prf, k->skeyid, len, c, 5, out[n]);
		if (ret)
			return ret;
		c[0] = chunk(out[n], len);
	}
	return 0;
}

int ike1_sa_keys_derive(struct ike1_sa_keys *k, const struct ike_prf_alg *prf,
			const struct ike_encr_alg *encr, enum ike1_skeyid auth,
			const struct ike1_kdf_in *in)
{
	int ret;

	if (!k || !prf || !encr || encr->key_len > IKE1_ENC_KEY_MAX || !in ||
	    !in->gxy || !in->cky_i || !in->cky_r)
		return IKE_CRYPTO_EINVAL;
	memset(k, 0, sizeof(*k));
	k->prf = prf;
	k->enc_len = encr->key_len;
	ret = ike1_skeyid(prf, auth, in, k->skeyid);
	if (!ret)
		ret = skeyid_dae(k, in);
	if (!ret)
		ret = ike1_enc_key(prf, k->skeyid_e, k->enc_key, k->enc_len);
	if (ret)
		ike1_sa_keys_clear(k);
	return ret;
}

void ike1_sa_keys_clear(struct ike1_sa_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

/* ---- Phase 1 authentication ---- */

/*
 * prf(SKEYID, g^xa | g^xb | CKY-A | CKY-B | SAi_b | ID_b): the sending
 * end's values first. HASH_I and HASH_R differ only in that order.
 */
static int phase1_hash(const struct ike1_sa_keys *k,
		       const struct ike1_auth_in *in, bool initiator,
		       uint8_t *hash)
{
	struct ike_chunk c[6];

	if (!k || !k->prf || !in || !in->gxi || !in->gxr || !in->cky_i ||
	    !in->cky_r || !in->sai_b || !in->id_b || !hash)
		return IKE_CRYPTO_EINVAL;
	c[initiator ? 0 : 1] = chunk(in->gxi, in->gxi_len);
	c[initiator ? 1 : 0] = chunk(in->gxr, in->gxr_len);
	c[initiator ? 2 : 3] = chunk(in->cky_i, IKE1_COOKIE_LEN);
	c[initiator ? 3 : 2] = chunk(in->cky_r, IKE1_COOKIE_LEN);
	c[4] = chunk(in->sai_b, in->sai_len);
	c[5] = chunk(in->id_b, in->id_len);
	return ike_prf_vec(k->prf, k->skeyid, k->prf->out_len, c, 6, hash);
}

int ike1_hash_i(const struct ike1_sa_keys *k, const struct ike1_auth_in *in,
		uint8_t *hash)
{
	return phase1_hash(k, in, true, hash);
}

int ike1_hash_r(const struct ike1_sa_keys *k, const struct ike1_auth_in *in,
		uint8_t *hash)
{
	return phase1_hash(k, in, false, hash);
}

/* ---- Phase 2 and Informational hashes ---- */

/* prf(SKEYID_a, c[0] | ...) */
static int hash_a(const struct ike1_sa_keys *k, const struct ike_chunk *c,
		  size_t n, uint8_t *hash)
{
	if (!k || !k->prf)
		return IKE_CRYPTO_EINVAL;
	return ike_prf_vec(k->prf, k->skeyid_a, k->prf->out_len, c, n, hash);
}

int ike1_hash_msg(const struct ike1_sa_keys *k, uint32_t mid,
		  const uint8_t *payloads, size_t len, uint8_t *hash)
{
	uint8_t m[4];
	const struct ike_chunk c[] = { chunk(m, 4), chunk(payloads, len) };

	put_be32(m, mid);
	return hash_a(k, c, ARRAY_SIZE(c), hash);
}

int ike1_qm_hash2(const struct ike1_sa_keys *k, uint32_t mid,
		  const uint8_t *ni, size_t ni_len,
		  const uint8_t *payloads, size_t len, uint8_t *hash)
{
	uint8_t m[4];
	const struct ike_chunk c[] = {
		chunk(m, 4), chunk(ni, ni_len), chunk(payloads, len),
	};

	if (!ni)
		return IKE_CRYPTO_EINVAL;
	put_be32(m, mid);
	return hash_a(k, c, ARRAY_SIZE(c), hash);
}

int ike1_qm_hash3(const struct ike1_sa_keys *k, uint32_t mid,
		  const uint8_t *ni, size_t ni_len,
		  const uint8_t *nr, size_t nr_len, uint8_t *hash)
{
	static const uint8_t zero;
	uint8_t m[4];
	const struct ike_chunk c[] = {
		chunk(&zero, 1), chunk(m, 4), chunk(ni, ni_len),
		chunk(nr, nr_len),
	};

	if (!ni || !nr)
		return IKE_CRYPTO_EINVAL;
	put_be32(m, mid);
	return hash_a(k, c, ARRAY_SIZE(c), hash);
}

/* ---- Quick Mode's KEYMAT ---- */

int ike1_keymat(const struct ike1_sa_keys *k, const struct ike1_qm_in *in,
		const uint8_t *spi, size_t spi_len, uint8_t *out, size_t len)
{
	uint8_t t[2][IKE_PRF_OUT_MAX];
	struct ike_chunk c[6];
	size_t n = 0, done, take, plen, i = 0;
	int ret = 0;

	if (!k || !k->prf || !in || !in->ni || !in->nr || !spi || !out)
		return IKE_CRYPTO_EINVAL;
	plen = k->prf->out_len;
	c[n++] = chunk(NULL, 0);		/* K0 is empty */
	if (in->gqm)
		c[n++] = chunk(in->gqm, in->gqm_len);
	c[n++] = chunk(&in->protocol, 1);
	c[n++] = chunk(spi, spi_len);
	c[n++] = chunk(in->ni, in->ni_len);
	c[n++] = chunk(in->nr, in->nr_len);
	for (done = 0; done < len; done += take, i ^= 1) {
		ret = ike_prf_vec(k->prf, k->skeyid_d, plen, c, n, t[i]);
		if (ret)
			break;
		take = min_size(len - done, plen);
		memcpy(out + done, t[i], take);
		c[0] = chunk(t[i], plen);
	}
	OPENSSL_cleanse(t, sizeof(t));
	if (ret)
		OPENSSL_cleanse(out, len);
	return ret;
}

/* One direction's keys from the KEYMAT of the SPI its receiver chose. */
static int child_dir_keys(const struct ike1_sa_keys *k,
			  const struct ike1_qm_in *in, const uint8_t *spi,
			  uint8_t *encr, size_t e, uint8_t *integ, size_t a)
{
	uint8_t keymat[IKE_ENCR_KEY_MAX + IKE_INTEG_KEY_MAX];
	int ret;

	ret = ike1_keymat(k, in, spi, SPI_LEN, keymat, e + a);
	if (!ret) {
		memcpy(encr, keymat, e);
		memcpy(integ, keymat + e, a);
	}
	OPENSSL_cleanse(keymat, sizeof(keymat));
	return ret;
}

int ike1_child_keys_derive(struct ike_child_keys *ck,
			   const struct ike1_sa_keys *k,
			   const struct ike_encr_alg *encr,
			   const struct ike_integ_alg *integ,
			   const struct ike1_qm_in *in,
			   const uint8_t *spi_i, const uint8_t *spi_r)
{
	size_t e = encr ? encr->key_len : 0;
	size_t a = integ ? integ->key_len : 0;
	int ret;

	if (!ck || !spi_i || !spi_r || (!encr && !integ) ||
	    (encr && encr->aead == (integ != NULL)))
		return IKE_CRYPTO_EINVAL;
	memset(ck, 0, sizeof(*ck));
	ret = child_dir_keys(k, in, spi_r, ck->encr_i, e, ck->integ_i, a);
	if (!ret)
		ret = child_dir_keys(k, in, spi_i, ck->encr_r, e, ck->integ_r,
				     a);
	if (ret) {
		ike_child_keys_clear(ck);
		return ret;
	}
	ck->encr_len = e;
	ck->integ_len = a;
	return 0;
}

/* ---- IVs ---- */

/* hash(c[0] | c[1]) cut to the cipher's block. */
static int iv_hash(const struct ike1_ivs *ivs, const struct ike_chunk *c,
		   uint8_t *iv)
{
	uint8_t h[IKE_PRF_OUT_MAX];
	int ret;

	ret = ike_hash_vec(ivs->hash, c, 2, h);
	if (!ret)
		memcpy(iv, h, ivs->encr->block_len);
	OPENSSL_cleanse(h, sizeof(h));
	return ret;
}

int ike1_ivs_init(struct ike1_ivs *ivs, const struct ike_prf_alg *hash,
		  const struct ike_encr_alg *encr,
		  const uint8_t *gxi, size_t gxi_len,
		  const uint8_t *gxr, size_t gxr_len)
{
	const struct ike_chunk c[] = {
		chunk(gxi, gxi_len), chunk(gxr, gxr_len),
	};
	int ret;

	if (!ivs || !hash || !encr || encr->aead || encr->counter_iv ||
	    encr->block_len > IKE1_BLOCK_MAX ||
	    encr->block_len > hash->out_len || !gxi || !gxr)
		return IKE_CRYPTO_EINVAL;
	memset(ivs, 0, sizeof(*ivs));
	ivs->hash = hash;
	ivs->encr = encr;
	ret = iv_hash(ivs, c, ivs->phase1.iv);
	if (ret)
		ike1_ivs_clear(ivs);
	return ret;
}

void ike1_ivs_clear(struct ike1_ivs *ivs)
{
	OPENSSL_cleanse(ivs, sizeof(*ivs));
}

/* Exchange mid's slot (Phase 1's for 0), or NULL if it has none. */
static struct ike1_iv *iv_find(const struct ike1_ivs *ivs, uint32_t mid)
{
	size_t i;

	if (!mid)
		return (struct ike1_iv *)&ivs->phase1;
	for (i = 0; i < IKE1_IV_SLOTS; i++)
		if (ivs->ex[i].used && ivs->ex[i].mid == mid)
			return (struct ike1_iv *)&ivs->ex[i];
	return NULL;
}

/* A new exchange's first IV: hash(last Phase 1 block | M-ID). */
static int iv_start(const struct ike1_ivs *ivs, uint32_t mid,
		    struct ike1_iv *s)
{
	uint8_t m[4];
	const struct ike_chunk c[] = {
		chunk(ivs->phase1.iv, ivs->encr->block_len), chunk(m, 4),
	};

	put_be32(m, mid);
	memset(s, 0, sizeof(*s));
	s->mid = mid;
	return iv_hash(ivs, c, s->iv);
}

/* A free slot, or else the one used least recently, wiped. */
static struct ike1_iv *iv_victim(struct ike1_ivs *ivs)
{
	struct ike1_iv *v = &ivs->ex[0];
	size_t i;

	for (i = 0; i < IKE1_IV_SLOTS && v->used; i++)
		if (ivs->ex[i].used < v->used)
			v = &ivs->ex[i];
	OPENSSL_cleanse(v, sizeof(*v));
	return v;
}

static void iv_touch(struct ike1_ivs *ivs, struct ike1_iv *s)
{
	if (s != &ivs->phase1 && s != &ivs->fresh)
		s->used = ++ivs->clock;
}

/* Exchange mid's slot, made for an exchange we start. */
static struct ike1_iv *iv_slot(struct ike1_ivs *ivs, uint32_t mid)
{
	struct ike1_iv *s = iv_find(ivs, mid);

	if (!s) {
		s = iv_victim(ivs);
		if (iv_start(ivs, mid, s)) {
			OPENSSL_cleanse(s, sizeof(*s));
			return NULL;
		}
	}
	iv_touch(ivs, s);
	return s;
}

int ike1_iv_get(const struct ike1_ivs *ivs, uint32_t mid, uint8_t *iv)
{
	const struct ike1_iv *s;
	struct ike1_iv tmp;
	int ret = 0;

	if (!ivs || !ivs->encr || !iv)
		return IKE_CRYPTO_EINVAL;
	s = iv_find(ivs, mid);
	if (!s) {
		ret = iv_start(ivs, mid, &tmp);
		s = &tmp;
	}
	if (!ret)
		memcpy(iv, s->iv, ivs->encr->block_len);
	OPENSSL_cleanse(&tmp, sizeof(tmp));
	return ret;
}

void ike1_iv_confirm(struct ike1_ivs *ivs, uint32_t mid)
{
	struct ike1_iv *s;

	if (!ivs || !ivs->encr)
		return;
	s = iv_find(ivs, mid);
	if (!s && ivs->fresh.pending && ivs->fresh.mid == mid) {
		/* the peer's new exchange is genuine: give it a slot */
		s = iv_victim(ivs);
		*s = ivs->fresh;
		OPENSSL_cleanse(&ivs->fresh, sizeof(ivs->fresh));
	}
	if (!s || !s->pending)
		return;
	memcpy(s->iv, s->last, ivs->encr->block_len);
	OPENSSL_cleanse(s->last, sizeof(s->last));
	s->pending = false;
	iv_touch(ivs, s);
}

void ike1_iv_forget(struct ike1_ivs *ivs, uint32_t mid)
{
	struct ike1_iv *s;

	if (!ivs || !mid)
		return;
	s = iv_find(ivs, mid);
	if (s)
		OPENSSL_cleanse(s, sizeof(*s));
	if (ivs->fresh.mid == mid)
		OPENSSL_cleanse(&ivs->fresh, sizeof(ivs->fresh));
}

/* ---- the encrypted body ---- */

size_t ike1_encrypted_len(const struct ike1_ivs *ivs, size_t plain_len)
{
	size_t b = ivs->encr->block_len;

	return (plain_len / b + 1) * b;
}

ssize_t ike1_encrypt(struct ike1_ivs *ivs, const uint8_t *key, uint32_t mid,
		     const uint8_t *plain, size_t len, uint8_t *out,
		     size_t size)
{
	struct ike1_iv *s;
	size_t b, total;
	int ret;

	if (!ivs || !ivs->encr || !key || (!plain && len) || !out)
		return IKE_CRYPTO_EINVAL;
	b = ivs->encr->block_len;
	total = ike1_encrypted_len(ivs, len);
	if (size < total)
		return IKE_CRYPTO_EINVAL;
	s = iv_slot(ivs, mid);
	if (!s)
		return IKE_CRYPTO_EFAIL;
	if (len)
		memmove(out, plain, len);
	memset(out + len, 0, total - len);
	ret = ike_cbc_crypt(ivs->encr, true, key, s->iv, out, total, out);
	if (ret) {
		OPENSSL_cleanse(out, total);
		return ret;
	}
	/* our own message is final: the chain moves on now */
	memcpy(s->iv, out + total - b, b);
	OPENSSL_cleanse(s->last, sizeof(s->last));
	s->pending = false;
	return total;
}

ssize_t ike1_decrypt(struct ike1_ivs *ivs, const uint8_t *key, uint32_t mid,
		     const uint8_t *in, size_t len, uint8_t *plain,
		     size_t size)
{
	uint8_t last[IKE1_BLOCK_MAX];
	struct ike1_iv *s;
	size_t b;
	int ret;

	if (!ivs || !ivs->encr || !key || !in || !plain)
		return IKE_CRYPTO_EINVAL;
	b = ivs->encr->block_len;
	if (!len || len % b)
		return IKE_CRYPTO_ESYNTAX;
	if (size < len)
		return IKE_CRYPTO_EINVAL;
	s = iv_find(ivs, mid);
	if (!s) {
		/* a new exchange of the peer's: a slot once confirmed */
		s = &ivs->fresh;
		if (iv_start(ivs, mid, s))
			return IKE_CRYPTO_EFAIL;
	}
	iv_touch(ivs, s);
	/* kept before an in-place decryption overwrites it */
	memcpy(last, in + len - b, b);
	ret = ike_cbc_crypt(ivs->encr, false, key, s->iv, in, len, plain);
	if (ret) {
		OPENSSL_cleanse(plain, len);
		return ret;
	}
	memcpy(s->last, last, b);
	s->pending = true;
	return len;
}
