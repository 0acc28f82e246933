// SPDX-License-Identifier: GPL-2.0
/*
 * Why the peer refused our IKE proposals. NO_PROPOSAL_CHOSEN says none
 * matched, not which transform is at fault, and as initiator we do not
 * know the peer's list. So, after such a refusal, we ask again a few
 * times, each time with one transform type widened to everything we
 * implement: the first offer the peer accepts names the type that
 * differs and the value the peer wants ("the key exchange method
 * differs: the peer accepts MODP_2048, we offer MODP_3072"). A probe the
 * peer accepts is left half-open; the peer forgets it as it forgets any.
 */
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "ikesa_int.h"
#include "proposal.h"

struct probe_type {
	uint8_t type;
	const char *what;		/* "the key exchange method" */
	bool aead;			/* ENCR: widen the AEAD ones */
	const struct ike_transform *all;
	size_t n;
};

static const struct ike_transform all_ke[] = {
	{ IKE_TR_KE, IKE_KE_ECP256, 0 }, { IKE_TR_KE, IKE_KE_ECP384, 0 },
	{ IKE_TR_KE, IKE_KE_ECP521, 0 }, { IKE_TR_KE, IKE_KE_CURVE25519, 0 },
	{ IKE_TR_KE, IKE_KE_CURVE448, 0 }, { IKE_TR_KE, IKE_KE_MODP2048, 0 },
	{ IKE_TR_KE, IKE_KE_MODP3072, 0 }, { IKE_TR_KE, IKE_KE_MODP4096, 0 },
	{ IKE_TR_KE, IKE_KE_MODP6144, 0 }, { IKE_TR_KE, IKE_KE_MODP8192, 0 },
};

static const struct ike_transform all_encr[] = {
	{ IKE_TR_ENCR, IKE_ENCR_AES_CBC, 128 },
	{ IKE_TR_ENCR, IKE_ENCR_AES_CBC, 192 },
	{ IKE_TR_ENCR, IKE_ENCR_AES_CBC, 256 },
	{ IKE_TR_ENCR, IKE_ENCR_AES_CTR, 128 },
	{ IKE_TR_ENCR, IKE_ENCR_AES_CTR, 192 },
	{ IKE_TR_ENCR, IKE_ENCR_AES_CTR, 256 },
	{ IKE_TR_ENCR, IKE_ENCR_3DES, 0 },
};

static const struct ike_transform all_aead[] = {
	{ IKE_TR_ENCR, IKE_ENCR_AES_GCM_16, 128 },
	{ IKE_TR_ENCR, IKE_ENCR_AES_GCM_16, 192 },
	{ IKE_TR_ENCR, IKE_ENCR_AES_GCM_16, 256 },
	{ IKE_TR_ENCR, IKE_ENCR_AES_GCM_12, 128 },
	{ IKE_TR_ENCR, IKE_ENCR_AES_GCM_12, 256 },
	{ IKE_TR_ENCR, IKE_ENCR_AES_GCM_8, 128 },
	{ IKE_TR_ENCR, IKE_ENCR_AES_GCM_8, 256 },
	{ IKE_TR_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0 },
};

static const struct ike_transform all_integ[] = {
	{ IKE_TR_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
	{ IKE_TR_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0 },
	{ IKE_TR_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0 },
	{ IKE_TR_INTEG, IKE_INTEG_HMAC_SHA1_96, 0 },
	{ IKE_TR_INTEG, IKE_INTEG_AES_XCBC_96, 0 },
	{ IKE_TR_INTEG, IKE_INTEG_AES_CMAC_96, 0 },
};

static const struct ike_transform all_prf[] = {
	{ IKE_TR_PRF, IKE_PRF_HMAC_SHA2_256, 0 },
	{ IKE_TR_PRF, IKE_PRF_HMAC_SHA2_384, 0 },
	{ IKE_TR_PRF, IKE_PRF_HMAC_SHA2_512, 0 },
	{ IKE_TR_PRF, IKE_PRF_HMAC_SHA1, 0 },
	{ IKE_TR_PRF, IKE_PRF_AES128_XCBC, 0 },
	{ IKE_TR_PRF, IKE_PRF_AES128_CMAC, 0 },
};

/* In order: the most common misconfiguration first. */
static const struct probe_type probes[] = {
	{ IKE_TR_KE, "key exchange method", false, all_ke, ARRAY_SIZE(all_ke) },
	{ IKE_TR_ENCR, "encryption algorithm", false, all_encr,
	  ARRAY_SIZE(all_encr) },
	{ IKE_TR_ENCR, "encryption algorithm", true, all_aead,
	  ARRAY_SIZE(all_aead) },
	{ IKE_TR_INTEG, "integrity algorithm", false, all_integ,
	  ARRAY_SIZE(all_integ) },
	{ IKE_TR_PRF, "pseudo-random function", false, all_prf,
	  ARRAY_SIZE(all_prf) },
};

static bool is_aead(const struct ike_proposal *p)
{
	size_t i;

	for (i = 0; i < p->n_tr; i++)
		if (p->tr[i].type == IKE_TR_ENCR)
			return ike_encr_is_aead(p->tr[i].id);
	return false;
}

/*
 * Our proposals with one type widened: the others as configured, so
 * that only that type can make the difference. Proposals the widening
 * does not apply to (AEAD ones for the integrity algorithm...) are left
 * out. The count, 0 when no proposal has the type.
 */
static size_t widen(const struct ike_proposal_list *ours,
		    const struct probe_type *pt, struct ike_proposal *out)
{
	size_t i, t, k, n = 0;

	for (i = 0; i < ours->n && n < IKE_MAX_PROPOSALS; i++) {
		const struct ike_proposal *p = &ours->v[i];
		struct ike_proposal *o = &out[n];
		bool has = false;

		if (pt->type == IKE_TR_ENCR && is_aead(p) != pt->aead)
			continue;
		memset(o, 0, sizeof(*o));
		o->num = n + 1;
		o->proto = IKE_PROTO_IKE;
		for (t = 0; t < p->n_tr; t++) {
			if (p->tr[t].type != pt->type) {
				o->tr[o->n_tr++] = p->tr[t];
				continue;
			}
			if (has)
				continue;
			has = true;
			for (k = 0; k < pt->n && o->n_tr < IKE_MAX_TRANSFORMS;
			     k++)
				o->tr[o->n_tr++] = pt->all[k];
		}
		if (has)
			n++;
	}
	return n;
}

/* Our values of the type, for the message: "MODP_3072, ECP_256". */
static const char *ours_text(const struct ike_proposal_list *ours,
			     uint8_t type, char *buf, size_t size)
{
	char one[64];
	size_t i, t, len = 0;

	buf[0] = '\0';
	for (i = 0; i < ours->n; i++)
		for (t = 0; t < ours->v[i].n_tr; t++)
			if (ours->v[i].tr[t].type == type && len < size &&
			    !strstr(buf, ike_transform_format(&ours->v[i].tr[t],
							      one,
							      sizeof(one))))
				len += snprintf(buf + len, size - len, "%s%s",
						len ? ", " : "", one);
	return buf;
}

/* The next probe's offer in sa->offer: false when there is none left. */
bool ikesa_probe_next(struct ike_daemon *d, struct ikesa *sa)
{
	struct ike_proposal offer[IKE_MAX_PROPOSALS];
	size_t n = 0;

	while (sa->probe < ARRAY_SIZE(probes) && !n)
		n = widen(&sa->conn->proposals, &probes[sa->probe++], offer);
	if (!n)
		return false;
	free(sa->offer);
	sa->offer = malloc(n * sizeof(*offer));
	if (!sa->offer || ike_spi_new(sa->spi_i))
		return false;
	memcpy(sa->offer, offer, n * sizeof(*offer));
	sa->n_offer = n;
	ike_debug(d, "%s: probing which %s the peer accepts",
		  sa->conn_name, probes[sa->probe - 1].what);
	return true;
}

/*
 * The answer to a probe: an accepted proposal, or INVALID_KE_PAYLOAD
 * naming a group, tells what differs. 0 when it did (the failure is
 * reported), -1 to go on probing.
 */
int ikesa_probe_answer(struct ike_daemon *d, struct ikesa *sa,
		       const struct ike_msg *m, const struct ike_pl_notify *err)
{
	const struct probe_type *pt = &probes[sa->probe - 1];
	char ours[512], offered[1024], theirs[64];
	struct ike_transform want = { .type = pt->type };
	size_t t;

	if (err && err->type == IKE_N_INVALID_KE_PAYLOAD &&
	    err->data.len == 2 && pt->type == IKE_TR_KE) {
		want.id = err->data.p[0] << 8 | err->data.p[1];
	} else if (!err && ike_msg_has(m, IKE_PL_SA) && m->sa.n_prop == 1) {
		for (t = 0; t < m->sa.prop[0].n_tr; t++)
			if (m->sa.prop[0].tr[t].type == pt->type)
				want = m->sa.prop[0].tr[t];
	}
	if (!want.id)
		return -1;
	ike_proposals_format(sa->conn->proposals.v, sa->conn->proposals.n,
			     offered, sizeof(offered));
	ikesa_fail(d, sa, "IKE_SA_INIT: the peer refused (NO_PROPOSAL_CHOSEN) our %s. Asked again with other algorithms, it accepts %s %s where we offer %s: the %s differs",
		   offered, pt->what,
		   ike_transform_format(&want, theirs, sizeof(theirs)),
		   ours_text(&sa->conn->proposals, pt->type, ours,
			     sizeof(ours)),
		   pt->what);
	return 0;
}
