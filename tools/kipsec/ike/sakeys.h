/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An IKE SA's keys from its key exchange (RFC 7296 sections 2.14, 2.18):
 * SKEYSEED, the SK_* keys and the SK payload contexts. In and out are
 * plain structs, never an IKE SA, so a worker thread (initkex.c) can do
 * it on copies while the loop owns the SA.
 */
#ifndef KIPSEC_IKE_SAKEYS_H
#define KIPSEC_IKE_SAKEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto.h"
#include "proposal.h"

struct ikesa;

struct ikesa_keys_in {
	const struct ike_proposal *prop;	/* the chosen IKE proposal */
	bool initiator;				/* of the new IKE SA */
	struct ike_kdf_in kdf;			/* nonces, g^ir, SPIs */
	/* rekeying (2.18): the old IKE SA's PRF and SK_d; else NULL */
	const struct ike_prf_alg *old_prf;
	const uint8_t *old_sk_d;
};

struct ikesa_keys_out {
	const struct ike_prf_alg *prf;
	struct ike_sa_keys keys;
	struct ike_sk_ctx sk_out, sk_in;	/* what we send, receive */
};

/* 0, or -1 and why (a sentence for the log) with out cleared. */
int ikesa_keys_derive(const struct ikesa_keys_in *in,
		      struct ikesa_keys_out *out, char *why, size_t size);
void ikesa_keys_clear(struct ikesa_keys_out *out);

/*
 * The SA's keys from g^ir, derived from its proposal, nonces and SPIs
 * (and the old SA's PRF and SK_d when rekeying): ikesa_keys_derive() on
 * the SA's own fields, its results moved into the SA.
 */
int ikesa_derive_keys(struct ikesa *sa, const uint8_t *gir, size_t gir_len,
		      const struct ike_prf_alg *old_prf, const uint8_t *old_sk_d,
		      char *why, size_t size);
/* What a worker derived, moved into the SA (out is left cleared). */
void ikesa_keys_take(struct ikesa *sa, struct ikesa_keys_out *out);

#endif
