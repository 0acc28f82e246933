// SPDX-License-Identifier: GPL-2.0
/*
 * Negotiating a CHILD_SA in IKE_AUTH and CREATE_CHILD_SA (RFC 7296
 * sections 1.3, 2.9, 3.3, 3.13): our offer (SA and TS payloads, transport
 * mode), what the peer's answer chose, the responder's choice among the
 * peer's proposals and narrowing of its selectors, and the answer.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <linux/kipsec.h>

#include "conf.h"
#include "ikesa_int.h"
#include "proposal.h"
#include "ts.h"

/*
 * A CHILD_SA's proposals with our SPI; without key exchange methods in
 * IKE_AUTH (section 1.2), with them in CREATE_CHILD_SA (PFS).
 */
size_t ikesa_child_offer(const struct ike_child *c, uint32_t spi, bool ke,
			 struct ike_proposal *out, size_t max)
{
	size_t i, t, n = 0;
	uint32_t be = htonl(spi);

	for (i = 0; i < c->esp.n && n < max; i++) {
		const struct ike_proposal *p = &c->esp.v[i];
		struct ike_proposal *o = &out[n++];

		memset(o, 0, sizeof(*o));
		o->num = n;
		o->proto = IKE_PROTO_ESP;
		o->spi_len = 4;
		memcpy(o->spi, &be, 4);
		for (t = 0; t < p->n_tr; t++)
			if (ke || p->tr[t].type != IKE_TR_KE)
				o->tr[o->n_tr++] = p->tr[t];
	}
	return n;
}

/*
 * Initiator: what asks for CHILD_SA c: the mode, our proposals with our
 * SPI and the selectors from the configuration. Key exchange methods
 * only in CREATE_CHILD_SA (ke).
 */
void ikesa_put_child_offer(struct ike_buf *b, const struct ikesa *sa,
			   const struct ike_child *c, uint32_t spi, bool ke)
{
	struct ike_proposal offer[IKE_MAX_PROPOSALS];
	struct ike_ts ts[IKE_MAX_TS];
	size_t n;

	if (c->mode == IKE_CONF_MODE_TRANSPORT)
		ike_put_notify(b, &(struct ike_pl_notify){
			.type = IKE_N_USE_TRANSPORT_MODE });
	n = ikesa_child_offer(c, spi, ke, offer, IKE_MAX_PROPOSALS);
	ike_put_sa(b, offer, n);
	n = ikesa_resolve_ts(&c->local_ts, &sa->local, ts);
	ike_put_ts(b, IKE_PL_TSI, ts, n);
	n = ikesa_resolve_ts(&c->remote_ts, &sa->remote, ts);
	ike_put_ts(b, IKE_PL_TSR, ts, n);
}

size_t ikesa_resolve_ts(const struct ike_ts_cfgs *cfg,
			 const struct sockaddr_storage *host,
			 struct ike_ts *out)
{
	struct addr a;
	size_t i;

	ss_to_addr(host, &a);
	for (i = 0; i < cfg->n && i < IKE_MAX_TS; i++)
		ike_ts_resolve(&cfg->v[i], &a, &out[i]);
	return i;
}

/*
 * Initiator: what the responder chose for the CHILD_SA of slot ch, in
 * IKE_AUTH (ke false: no key exchange there) or CREATE_CHILD_SA; or why
 * it refused.
 */
int ikesa_child_accept(struct ikesa *sa, struct ikesa_child *ch,
		       const struct ike_msg *m, bool ke, char *why,
		       size_t size)
{
	struct ike_proposal offer[IKE_MAX_PROPOSALS];
	const struct ike_child *c = ch->cfg;
	const struct ike_pl_notify *err = ike_msg_error_notify(m);
	struct child_sa *cs = &ch->cur;
	struct ike_ts ours[IKE_MAX_TS];
	char a[1024], b[1024], name[32];
	struct ike_mismatch mm;
	size_t n;

	n = ikesa_child_offer(c, cs->spi_in, ke, offer, IKE_MAX_PROPOSALS);
	if (err && err->type == IKE_N_NO_PROPOSAL_CHOSEN) {
		snprintf(why, size, "the peer refused the CHILD_SA %s (NO_PROPOSAL_CHOSEN). We offered ESP %s; the peer accepts none of them",
			 c->name, ike_proposals_format(offer, n, a, sizeof(a)));
		return -1;
	}
	if (err && err->type == IKE_N_TS_UNACCEPTABLE) {
		snprintf(why, size, "the peer refused the traffic selectors of CHILD_SA %s (TS_UNACCEPTABLE). We proposed local %s, remote %s; the peer's configuration covers neither or only one of them",
			 c->name,
			 ike_ts_list_format(ours, ikesa_resolve_ts(&c->local_ts,
				&sa->local, ours), a, sizeof(a)),
			 ike_ts_list_format(ours, ikesa_resolve_ts(&c->remote_ts,
				&sa->remote, ours), b, sizeof(b)));
		return -1;
	}
	if (err) {
		snprintf(why, size, "the peer refused the CHILD_SA %s (%s)",
			 c->name, ike_notify_format(err->type, name, sizeof(name)));
		return -1;
	}
	if (!ike_msg_has(m, IKE_PL_SA) || m->sa.n_prop != 1 ||
	    !ike_msg_has(m, IKE_PL_TSI) || !ike_msg_has(m, IKE_PL_TSR) ||
	    ike_proposal_select(offer, n, m->sa.prop, 1,
				ke ? 0 : IKE_SELECT_SKIP_KE, &cs->prop, &mm) ||
	    m->sa.prop[0].spi_len != 4) {
		snprintf(why, size, "the peer's answer for CHILD_SA %s is not one we offered",
			 c->name);
		return -1;
	}
	memcpy(&cs->spi_out, m->sa.prop[0].spi, 4);
	cs->spi_out = ntohl(cs->spi_out);
	cs->mode = c->mode == IKE_CONF_MODE_TRANSPORT &&
		   ike_msg_notify(m, IKE_N_USE_TRANSPORT_MODE) ?
		   KIPSEC_MODE_TRANSPORT : KIPSEC_MODE_TUNNEL;
	cs->n_l = m->tsi.n_ts;
	memcpy(cs->ts_l, m->tsi.ts, sizeof(m->tsi.ts[0]) * m->tsi.n_ts);
	cs->n_r = m->tsr.n_ts;
	memcpy(cs->ts_r, m->tsr.ts, sizeof(m->tsr.ts[0]) * m->tsr.n_ts);
	cs->keys_of_initiator = true;
	return 0;
}

/*
 * Responder: the CHILD_SA the initiator asks for, in IKE_AUTH (ke false)
 * or CREATE_CHILD_SA: the first child whose selectors overlap the peer's,
 * narrowed, with an ESP proposal we accept. 0 or the notify refusing it.
 */
uint16_t ikesa_child_choose(struct ike_daemon *d, struct ikesa *sa,
			    const struct ike_msg *m, bool ke,
			    const struct ike_child **cfg, struct child_sa *cs,
			    char *why, size_t size)
{
	struct ike_ts ours_l[IKE_MAX_TS], ours_r[IKE_MAX_TS];
	struct ike_ts nl[IKE_MAX_TS * IKE_MAX_TS];
	struct ike_ts nr[IKE_MAX_TS * IKE_MAX_TS];
	const struct ike_child *c = NULL;
	char a[1024], b[1024];
	struct ike_mismatch mm;
	size_t i, l, r, cnt_l = 0, cnt_r = 0;

	(void)d;
	if (!ike_msg_has(m, IKE_PL_SA) || !ike_msg_has(m, IKE_PL_TSI) ||
	    !ike_msg_has(m, IKE_PL_TSR)) {
		snprintf(why, size, "the request lacks its SA, TSi or TSr payload");
		return IKE_N_INVALID_SYNTAX;
	}
	for (i = 0; i < sa->conn->n_children; i++) {
		const struct ike_child *t = &sa->conn->children[i];

		l = ikesa_resolve_ts(&t->local_ts, &sa->local, ours_l);
		r = ikesa_resolve_ts(&t->remote_ts, &sa->remote, ours_r);
		cnt_r = ike_ts_narrow(ours_r, r, m->tsi.ts, m->tsi.n_ts, nr);
		cnt_l = ike_ts_narrow(ours_l, l, m->tsr.ts, m->tsr.n_ts, nl);
		if (cnt_l && cnt_r && cnt_l <= IKE_MAX_TS && cnt_r <= IKE_MAX_TS) {
			c = t;
			break;
		}
	}
	if (!c) {
		c = sa->conn->n_children ? &sa->conn->children[0] : NULL;
		if (c) {
			l = ikesa_resolve_ts(&c->local_ts, &sa->local, ours_l);
			r = ikesa_resolve_ts(&c->remote_ts, &sa->remote, ours_r);
			snprintf(why, size, "the traffic selectors differ: for the peer's side we accept %s, it proposed %s; for ours we accept %s, it proposed %s",
				 ike_ts_list_format(ours_r, r, a, sizeof(a)),
				 ike_ts_list_format(m->tsi.ts, m->tsi.n_ts, b,
						    sizeof(b)),
				 ike_ts_list_format(ours_l, l, a + 512, 512),
				 ike_ts_list_format(m->tsr.ts, m->tsr.n_ts,
						    b + 512, 512));
		} else {
			snprintf(why, size, "connection %s has no children",
				 sa->conn->name);
		}
		return IKE_N_TS_UNACCEPTABLE;
	}
	*cfg = c;
	if (ike_proposal_select(c->esp.v, c->esp.n, m->sa.prop, m->sa.n_prop,
				ke ? 0 : IKE_SELECT_SKIP_KE, &cs->prop, &mm)) {
		ike_mismatch_format(&mm, c->esp.v, c->esp.n, m->sa.prop,
				    m->sa.n_prop, a, sizeof(a));
		snprintf(why, size, "ESP proposals: the %s. We accept %s; the peer offered %s",
			 a, ike_proposals_format(c->esp.v, c->esp.n, b, 512),
			 ike_proposals_format(m->sa.prop, m->sa.n_prop, b + 512,
					512));
		return IKE_N_NO_PROPOSAL_CHOSEN;
	}
	if (cs->prop.spi_len != 4)
		return IKE_N_INVALID_SYNTAX;
	memcpy(&cs->spi_out, cs->prop.spi, 4);
	cs->spi_out = ntohl(cs->spi_out);
	cs->n_l = cnt_l;
	memcpy(cs->ts_l, nl, sizeof(nl[0]) * cnt_l);
	cs->n_r = cnt_r;
	memcpy(cs->ts_r, nr, sizeof(nr[0]) * cnt_r);
	cs->mode = c->mode == IKE_CONF_MODE_TRANSPORT &&
		   ike_msg_notify(m, IKE_N_USE_TRANSPORT_MODE) ?
		   KIPSEC_MODE_TRANSPORT : KIPSEC_MODE_TUNNEL;
	snprintf(cs->name, sizeof(cs->name), "%s", c->name);
	return 0;
}

/*
 * IKEv2's KEYMAT for c (section 2.17): prf+(SK_d, [g^ir |] Ni | Nr) from
 * the nonces of the exchange that created it; in->gir NULL without PFS.
 */
int ikesa_child_keys(const struct ikesa *sa, const struct child_sa *c,
		     const struct ike_kdf_in *in, struct ike_child_keys *keys,
		     char *why, size_t size)
{
	const struct ike_integ_alg *integ;
	const struct ike_encr_alg *encr;

	if (ikesa_child_algs(c, &encr, &integ, why, size))
		return -1;
	if (ike_child_keys_derive(keys, sa->prf, sa->keys.sk_d, encr, integ,
				  in)) {
		snprintf(why, size, "KEYMAT derivation failed");
		return -1;
	}
	return 0;
}

/* Responder: SA, TSi and TSr of the CHILD_SA we accepted. */
void ikesa_put_child_answer(struct ike_buf *b, const struct child_sa *c)
{
	struct ike_proposal reply = c->prop;
	uint32_t be = htonl(c->spi_in);

	if (c->mode == KIPSEC_MODE_TRANSPORT)
		ike_put_notify(b, &(struct ike_pl_notify){
			.type = IKE_N_USE_TRANSPORT_MODE });
	memcpy(reply.spi, &be, 4);
	ike_put_sa(b, &reply, 1);
	ike_put_ts(b, IKE_PL_TSI, c->ts_r, c->n_r);
	ike_put_ts(b, IKE_PL_TSR, c->ts_l, c->n_l);
}
