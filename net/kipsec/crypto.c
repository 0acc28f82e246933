// SPDX-License-Identifier: GPL-2.0
/*
 * ESP SAs go through the kernel crypto API as one AEAD transform: the
 * algorithm itself when it is an AEAD, otherwise authenc(auth, cipher)
 * (authencesn with ESN), wrapped in the IV generator XFRM uses, so the
 * bytes on the wire are those native IPsec would send.
 */
#include <crypto/authenc.h>
#include <kunit/visibility.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <uapi/linux/kipsec.h>

#include "compat.h"
#include "crypto.h"
#include "replay.h"
#include "sad.h"

static int kipsec_esp_tfm_name(const struct kipsec_sa_config *cfg, char *name)
{
	const struct kipsec_alg *crypt = cfg->crypt, *auth = cfg->auth;
	const char *authenc = cfg->flags & KIPSEC_SA_FLAGS_ESN ?
			      "authencesn" : "authenc";
	int len;

	if (crypt->aead)
		len = snprintf(name, CRYPTO_MAX_ALG_NAME, "%s(%s)",
			       crypt->geniv, crypt->kname);
	else if (crypt->geniv)
		len = snprintf(name, CRYPTO_MAX_ALG_NAME, "%s(%s(%s,%s))",
			       crypt->geniv, authenc, auth->kname,
			       crypt->kname);
	else	/* NULL encryption has no IV */
		len = snprintf(name, CRYPTO_MAX_ALG_NAME, "%s(%s,%s)",
			       authenc, auth->kname, crypt->kname);
	return len < CRYPTO_MAX_ALG_NAME ? 0 : -ENAMETOOLONG;
}

/* authenc takes both keys in one blob: a length parameter, then the keys. */
static int kipsec_authenc_setkey(struct crypto_aead *aead,
				 const struct kipsec_sa_config *cfg)
{
	struct crypto_authenc_key_param *param;
	unsigned int len, hdr = RTA_SPACE(sizeof(*param));
	struct rtattr *rta;
	u8 *key;
	int ret;

	len = hdr + cfg->auth_key_len + cfg->crypt_key_len;
	key = kmalloc(len, GFP_KERNEL);
	if (!key)
		return -ENOMEM;
	rta = (struct rtattr *)key;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(cfg->crypt_key_len);
	memcpy(key + hdr, cfg->auth_key, cfg->auth_key_len);
	memcpy(key + hdr + cfg->auth_key_len, cfg->crypt_key,
	       cfg->crypt_key_len);
	ret = crypto_aead_setkey(aead, key, len);
	kfree_sensitive(key);
	return ret;
}

static int kipsec_esp_setup_tfm(struct crypto_aead *aead,
				const struct kipsec_sa_config *cfg,
				struct netlink_ext_ack *extack)
{
	const struct kipsec_alg *integ = cfg->crypt->aead ? cfg->crypt : cfg->auth;
	int ret;

	if (cfg->crypt->aead)
		ret = crypto_aead_setkey(aead, cfg->crypt_key,
					 cfg->crypt_key_len);
	else
		ret = kipsec_authenc_setkey(aead, cfg);
	if (ret) {
		NL_SET_ERR_MSG_FMT(extack,
				   "the kernel refused the key (weak or wrong size): %d",
				   ret);
		return ret;
	}
	ret = crypto_aead_setauthsize(aead, integ->icv_len);
	if (ret)
		NL_SET_ERR_MSG_FMT(extack,
				   "the kernel refused an ICV of %u bytes for %s",
				   integ->icv_len, integ->name);
	return ret;
}

/*
 * AH SAs have no transform: kipsec carries ESP only. (ESP SAs from netlink
 * always have crypt; KUnit's bare ones need no transform either.)
 */
int kipsec_esp_init_sa(struct kipsec_sa *sa, struct netlink_ext_ack *extack)
{
	const struct kipsec_sa_config *cfg = &sa->cfg;
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *aead;
	int ret;

	if (cfg->id.proto != KIPSEC_PROTO_ESP || !cfg->crypt)
		return 0;
	ret = kipsec_esp_tfm_name(cfg, name);
	if (ret)
		return ret;
	aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(aead)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "crypt: the kernel cannot provide %s: %ld",
				   name, PTR_ERR(aead));
		return PTR_ERR(aead);
	}
	ret = kipsec_esp_setup_tfm(aead, cfg, extack);
	if (ret)
		goto err;
	sa->replay = kipsec_replay_alloc(cfg->replay_window,
					 cfg->flags & KIPSEC_SA_FLAGS_ESN,
					 GFP_KERNEL);
	if (!sa->replay) {
		ret = -ENOMEM;
		goto err;
	}
	sa->aead = aead;
	return 0;

err:
	crypto_free_aead(aead);
	return ret;
}

void kipsec_esp_destroy_sa(struct kipsec_sa *sa)
{
	crypto_free_aead(sa->aead);
	kipsec_replay_free(sa->replay);
}

/*
 * One allocation per packet: the context, then the IV, the request and
 * the scatterlist (the AAD, then nfrags for the packet), each aligned as
 * the crypto API requires.
 */
struct kipsec_crypt *kipsec_crypt_alloc(struct crypto_aead *aead, int nfrags,
					u8 **iv, struct aead_request **req,
					struct scatterlist **sg)
{
	size_t len = sizeof(struct kipsec_crypt);
	struct kipsec_crypt *c;

	len += crypto_aead_alignmask(aead) + crypto_aead_ivsize(aead);
	len += __alignof__(struct aead_request) + sizeof(struct aead_request) +
	       crypto_aead_reqsize(aead);
	len += __alignof__(struct scatterlist) +
	       (nfrags + 1) * sizeof(struct scatterlist);
	c = kmalloc(len, GFP_ATOMIC);
	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	*iv = PTR_ALIGN((u8 *)(c + 1), crypto_aead_alignmask(aead) + 1);
	*req = PTR_ALIGN((struct aead_request *)(*iv + crypto_aead_ivsize(aead)),
			 __alignof__(struct aead_request));
	*sg = PTR_ALIGN((struct scatterlist *)((u8 *)(*req + 1) +
					       crypto_aead_reqsize(aead)),
			__alignof__(struct scatterlist));
	aead_request_set_tfm(*req, aead);
	return c;
}

/* RFC 4303 section 2.2.1 and RFC 4106 section 5: SPI, then the sequence
 * number (all 64 bits of it with ESN, high half first).
 */
void kipsec_crypt_set_aad(struct kipsec_crypt *c, __be32 spi, u64 seq,
			  bool esn)
{
	c->aad[0] = spi;
	if (esn) {
		c->aad[1] = cpu_to_be32(upper_32_bits(seq));
		c->aad[2] = cpu_to_be32(lower_32_bits(seq));
		c->aad_len = 12;
	} else {
		c->aad[1] = cpu_to_be32(lower_32_bits(seq));
		c->aad_len = 8;
	}
}

static void kipsec_crypt_complete(struct kipsec_crypt *c, int err)
{
	/* a backlogged request has only started: the real end comes later */
	if (err != -EINPROGRESS)
		c->finish(c, err);
}

#ifdef KIPSEC_HAVE_CRYPTO_DATA_CB
static void kipsec_crypt_done(void *data, int err)
{
	kipsec_crypt_complete(data, err);
}
#else
static void kipsec_crypt_done(struct crypto_async_request *areq, int err)
{
	kipsec_crypt_complete(areq->data, err);
}
#endif

/*
 * Run the request; c->finish runs now, or later from the crypto API's
 * completion when the transform is asynchronous.
 */
void kipsec_crypt_run(struct kipsec_crypt *c, struct aead_request *req,
		      bool encrypt)
{
	int ret;

	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				  kipsec_crypt_done, c);
	ret = encrypt ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	if (ret != -EINPROGRESS && ret != -EBUSY)
		c->finish(c, ret);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_crypt_run);
