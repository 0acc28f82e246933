/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An ESP SA's transform, and the one scratch allocation a packet needs
 * while it is in the crypto API.
 */
#ifndef _KIPSEC_CRYPTO_H
#define _KIPSEC_CRYPTO_H

#include <crypto/aead.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>

#include "encap.h"

struct kipsec_sa;

/*
 * What a packet carries through the crypto API, followed in the same
 * allocation by the IV, the request and the scatterlist. The AAD is a
 * copy: with ESN it holds the high sequence bits, which never go on the
 * wire (RFC 4303 section 2.2.1).
 */
struct kipsec_crypt {
	void (*finish)(struct kipsec_crypt *c, int err);	/* frees c */
	struct sk_buff *skb;
	struct kipsec_sa *sa;		/* a reference */
	struct net_device *dev;		/* a reference */
	u64 seq;
	unsigned int inner_len;		/* output: the clear packet's length */
	__be32 aad[3];			/* SPI, [seq_hi,] seq_lo */
	u8 aad_len;
	u8 outer_dsfield;		/* input: for RFC 6040 decapsulation */
	bool encap;			/* input: came in UDP, from src */
	struct kipsec_encap_src src;
};

int kipsec_esp_init_sa(struct kipsec_sa *sa, struct netlink_ext_ack *extack);
void kipsec_esp_destroy_sa(struct kipsec_sa *sa);

struct kipsec_crypt *kipsec_crypt_alloc(struct crypto_aead *aead, int nfrags,
					u8 **iv, struct aead_request **req,
					struct scatterlist **sg);
void kipsec_crypt_set_aad(struct kipsec_crypt *c, __be32 spi, u64 seq,
			  bool esn);
void kipsec_crypt_run(struct kipsec_crypt *c, struct aead_request *req,
		      bool encrypt);

#endif /* _KIPSEC_CRYPTO_H */
