// SPDX-License-Identifier: GPL-2.0
/*
 * Key exchanges in CREATE_CHILD_SA (RFC 7296 sections 1.3, 2.12): which
 * method we offer, our KE payload, the responder's side, g^ir, and the
 * INVALID_KE_PAYLOAD answer that asks for another method. rekey.c and
 * create.c share them.
 */
#include "ikesa_int.h"

uint16_t ikesa_first_ke(const struct ike_proposal *v, size_t n)
{
	size_t i, t;

	for (i = 0; i < n; i++)
		for (t = 0; t < v[i].n_tr; t++)
			if (v[i].tr[t].type == IKE_TR_KE && v[i].tr[t].id)
				return v[i].tr[t].id;
	return 0;
}

uint16_t ikesa_ke_of(const struct ike_proposal *p)
{
	return ikesa_first_ke(p, 1);
}

bool ikesa_offers_ke(const struct ike_proposal *v, size_t n, uint16_t g)
{
	size_t i, t;

	for (i = 0; i < n; i++)
		for (t = 0; t < v[i].n_tr; t++)
			if (v[i].tr[t].type == IKE_TR_KE && v[i].tr[t].id == g)
				return true;
	return false;
}

const char *ikesa_ke_name(uint16_t g)
{
	const char *n = ike_transform_name(IKE_TR_KE, g);

	return n ? n : "?";
}

/* Our KE payload for group g into b; the key stays in *kex. */
int ikesa_put_ke(struct ike_buf *b, struct ike_kex **kex, uint16_t g)
{
	uint8_t pub[IKE_KE_MAX];
	ssize_t n;

	ike_kex_free(*kex);
	*kex = ike_kex_new(g);
	n = *kex ? ike_kex_public(*kex, pub, sizeof(pub)) : -1;
	if (n < 0)
		return -1;
	ike_put_ke(b, &(struct ike_pl_ke){ g, { pub, n } });
	return 0;
}

/* g^ir of a CREATE_CHILD_SA: 0 bytes without a key exchange. */
ssize_t ikesa_shared_secret(struct ike_kex *kex, uint16_t group,
			    const struct ike_msg *m, uint8_t *gir)
{
	if (!group)
		return 0;
	if (!ike_msg_has(m, IKE_PL_KE) || m->ke.group != group || !kex)
		return -1;
	return ike_kex_shared(kex, m->ke.data.p, m->ke.data.len, gir,
			      IKE_KE_MAX);
}

/*
 * A responder's key exchange for the peer's KE payload of group g: our
 * public value into pub (*publen bytes), g^ir into gir. The length of
 * g^ir, or -1 when the peer's value is invalid.
 */
ssize_t ikesa_respond_ke(uint16_t g, const struct ike_msg *m, uint8_t *pub,
			 ssize_t *publen, uint8_t *gir)
{
	struct ike_kex *kex = ike_kex_new(g);
	ssize_t glen;

	*publen = kex ? ike_kex_public(kex, pub, IKE_KE_MAX) : -1;
	glen = *publen < 0 ? -1 : ikesa_shared_secret(kex, g, m, gir);
	ike_kex_free(kex);
	return glen;
}

void ikesa_answer_notify(struct ike_daemon *d, struct ikesa *sa,
			 uint16_t type, const uint8_t *data, size_t len)
{
	struct ike_buf inner = { 0 };

	ike_put_notify(&inner, &(struct ike_pl_notify){
		.type = type, .data = { data, len } });
	ikesa_send_encrypted(d, sa, IKE_CREATE_CHILD_SA, true, &inner);
}

void ikesa_refuse_ke(struct ike_daemon *d, struct ikesa *sa, uint16_t g)
{
	uint8_t be[2] = { g >> 8, g & 0xff };

	ikesa_answer_notify(d, sa, IKE_N_INVALID_KE_PAYLOAD, be, 2);
}
