// SPDX-License-Identifier: GPL-2.0
/* An IKE SA's keys from its key exchange (sakeys.h). */
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>

#include "ikesa_int.h"
#include "sakeys.h"

/* Which of the keys protect what we send: the initiator's or ours. */
static int sk_setup(struct ikesa_keys_out *out, bool initiator,
		    const struct ike_encr_alg *encr,
		    const struct ike_integ_alg *integ)
{
	const struct ike_sa_keys *k = &out->keys;

	if (initiator)
		return ike_sk_init(&out->sk_out, encr, integ, k->sk_ei,
				   k->sk_ai) ||
		       ike_sk_init(&out->sk_in, encr, integ, k->sk_er,
				   k->sk_ar);
	return ike_sk_init(&out->sk_out, encr, integ, k->sk_er, k->sk_ar) ||
	       ike_sk_init(&out->sk_in, encr, integ, k->sk_ei, k->sk_ai);
}

int ikesa_keys_derive(const struct ikesa_keys_in *in,
		      struct ikesa_keys_out *out, char *why, size_t size)
{
	const struct ike_proposal *p = in->prop;
	const struct ike_integ_alg *integ = NULL;
	const struct ike_encr_alg *encr;
	uint8_t skeyseed[IKE_PRF_OUT_MAX];
	uint16_t encr_id, keylen = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	encr_id = ike_proposal_id(p, IKE_TR_ENCR, &keylen);
	encr = ike_encr_find(encr_id, keylen);
	out->prf = ike_prf_find(ike_proposal_id(p, IKE_TR_PRF, NULL));
	if (encr && !encr->aead)
		integ = ike_integ_find(ike_proposal_id(p, IKE_TR_INTEG, NULL));
	if (!out->prf || !encr || (!encr->aead && !integ)) {
		snprintf(why, size, "an algorithm of the chosen proposal is not implemented");
		return -1;
	}
	ret = in->old_prf ?
	      ike_skeyseed_rekey(in->old_prf, in->old_sk_d, &in->kdf,
				 skeyseed) :
	      ike_skeyseed(out->prf, &in->kdf, skeyseed);
	ret = ret || ike_sa_keys_derive(&out->keys, out->prf, encr, integ,
					skeyseed, &in->kdf);
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	if (ret) {
		snprintf(why, size, "key derivation failed");
		ikesa_keys_clear(out);
		return -1;
	}
	if (sk_setup(out, in->initiator, encr, integ)) {
		snprintf(why, size, "cannot set up the SK payload keys");
		ikesa_keys_clear(out);
		return -1;
	}
	return 0;
}

void ikesa_keys_clear(struct ikesa_keys_out *out)
{
	ike_sa_keys_clear(&out->keys);
	ike_sk_clear(&out->sk_out);
	ike_sk_clear(&out->sk_in);
	out->prf = NULL;
}

void ikesa_keys_take(struct ikesa *sa, struct ikesa_keys_out *out)
{
	sa->prf = out->prf;
	sa->keys = out->keys;
	sa->sk_out = out->sk_out;
	sa->sk_in = out->sk_in;
	/* the SA owns them now: forget, without freeing, what out held */
	OPENSSL_cleanse(out, sizeof(*out));
}

int ikesa_derive_keys(struct ikesa *sa, const uint8_t *gir, size_t gir_len,
		      const struct ike_prf_alg *old_prf, const uint8_t *old_sk_d,
		      char *why, size_t size)
{
	struct ikesa_keys_in in = {
		.prop = &sa->prop,
		.initiator = sa->initiator,
		.kdf = {
			.ni = sa->ni, .ni_len = sa->ni_len,
			.nr = sa->nr, .nr_len = sa->nr_len,
			.gir = gir, .gir_len = gir_len,
			.spi_i = sa->spi_i, .spi_r = sa->spi_r,
		},
		.old_prf = old_prf,
		.old_sk_d = old_sk_d,
	};
	struct ikesa_keys_out out;

	if (ikesa_keys_derive(&in, &out, why, size))
		return -1;
	ikesa_keys_take(sa, &out);
	return 0;
}
