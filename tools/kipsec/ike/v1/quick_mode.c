// SPDX-License-Identifier: GPL-2.0
/*
 * Quick Mode as responder (RFC 2409 section 5.5):
 *
 *   QM1  HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr]  -->
 *                 <--  QM2  HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr]
 *   QM3  HDR*, HASH(3)                                -->
 *
 * Nothing in QM1 is trusted, and its IV does not move, before HASH(1) is
 * checked. The child is the one whose traffic selectors are IDci and
 * IDcr exactly (IKEv1 has no narrowing); without IDs, the ISAKMP SA's
 * addresses. PFS is the chosen transform's group: then QM1 carries a KE.
 *
 * The inbound SA goes into the kernel with QM2: the initiator may send
 * on it as soon as QM2 arrives. The outbound SA and the policies wait
 * for QM3, which proves the initiator has our SPI and keys. Several
 * Quick Modes may be in flight, each with its message ID, IV and slot;
 * a repeated QM1 gets its QM2 again, byte for byte. Refusals go out as
 * protected Informationals: Phase 1 is up, the keys are shared.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <linux/kipsec.h>

#include "../conf.h"
#include "../ts.h"
#include "quick_mode.h"
#include "sa.h"

#define ESP_SPI_LEN	4

/* ---- slots ---- */

static struct ike1_qm *qm_find(struct ike1_state *st, uint32_t mid)
{
	size_t i;

	for (i = 0; i < IKE1_QM_MAX; i++)
		if (st->qm[i].mid == mid)
			return &st->qm[i];
	return NULL;
}

static void qm_free(struct ike1_qm *qm)
{
	free(qm->qm1);
	free(qm->qm2);
	OPENSSL_cleanse(qm, sizeof(*qm));
}

static uint8_t *copy(const uint8_t *p, size_t len)
{
	uint8_t *c = malloc(len);

	if (c)
		memcpy(c, p, len);
	return c;
}

/* ---- identities as traffic selectors ---- */

/* An address ID's kind: its length and how its data reads. */
struct id_kind {
	uint8_t type;
	size_t len;		/* of one address */
	enum { ID_ADDR, ID_SUBNET, ID_RANGE } form;
};

static const struct id_kind id_kinds[] = {
	{ IKE1_ID_IPV4_ADDR, 4, ID_ADDR },
	{ IKE1_ID_IPV4_ADDR_SUBNET, 4, ID_SUBNET },
	{ IKE1_ID_IPV4_ADDR_RANGE, 4, ID_RANGE },
	{ IKE1_ID_IPV6_ADDR, 16, ID_ADDR },
	{ IKE1_ID_IPV6_ADDR_SUBNET, 16, ID_SUBNET },
	{ IKE1_ID_IPV6_ADDR_RANGE, 16, ID_RANGE },
};

/* A whole address's selector, every protocol and port. */
static void ts_any(struct ike_ts *ts, size_t len)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = len == 4 ? IKE_TS_IPV4_ADDR_RANGE : IKE_TS_IPV6_ADDR_RANGE;
	ts->end_port = 0xffff;
}

/* An ID payload of Quick Mode (RFC 2407 4.6.2) as a selector; -1 if not one. */
static int id_to_ts(const struct ike1_pl_id *id, struct ike_ts *ts)
{
	const struct id_kind *k = NULL;
	const uint8_t *p = id->data.p;
	size_t i;

	for (i = 0; i < sizeof(id_kinds) / sizeof(id_kinds[0]); i++)
		if (id_kinds[i].type == id->type)
			k = &id_kinds[i];
	if (!k || id->data.len != (k->form == ID_ADDR ? 1 : 2) * k->len)
		return -1;
	ts_any(ts, k->len);
	memcpy(ts->start, p, k->len);
	memcpy(ts->end, k->form == ID_RANGE ? p + k->len : p, k->len);
	for (i = 0; k->form == ID_SUBNET && i < k->len; i++) {
		ts->start[i] = p[i] & p[k->len + i];
		ts->end[i] = p[i] | (uint8_t)~p[k->len + i];
	}
	ts->ip_proto = id->proto;
	if (id->port)
		ts->start_port = ts->end_port = id->port;
	return 0;
}

static void host_ts(const struct sockaddr_storage *ss, struct ike_ts *ts)
{
	struct addr a;
	size_t len;

	ss_to_addr(ss, &a);
	len = a.family == AF_INET ? 4 : 16;
	ts_any(ts, len);
	memcpy(ts->start, a.bytes, len);
	memcpy(ts->end, a.bytes, len);
}

static bool ts_equal(const struct ike_ts *a, const struct ike_ts *b)
{
	size_t len = a->type == IKE_TS_IPV4_ADDR_RANGE ? 4 : 16;

	return a->type == b->type && a->ip_proto == b->ip_proto &&
	       a->start_port == b->start_port && a->end_port == b->end_port &&
	       !memcmp(a->start, b->start, len) && !memcmp(a->end, b->end, len);
}

static bool ts_in(const struct ike_ts *ts, const struct ike_ts *list,
		  size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ts_equal(ts, &list[i]))
			return true;
	return false;
}

/*
 * The peer's side (IDci) and ours (IDcr); without IDs the ISAKMP SA's
 * addresses (RFC 2409 section 5.5). -1 when the IDs are not two
 * address IDs.
 */
static int qm_selectors(const struct ikesa *sa, const struct ike1_msg *m,
			struct ike_ts *theirs, struct ike_ts *ours)
{
	if (!m->n_id) {
		host_ts(&sa->remote, theirs);
		host_ts(&sa->local, ours);
		return 0;
	}
	if (m->n_id != 2 || id_to_ts(&m->id[0], theirs) ||
	    id_to_ts(&m->id[1], ours))
		return -1;
	return 0;
}

/* The child whose selectors are exactly these, or NULL. */
static const struct ike_child *child_for(const struct ikesa *sa,
					 const struct ike_ts *theirs,
					 const struct ike_ts *ours)
{
	struct ike_ts l[IKE_MAX_TS], r[IKE_MAX_TS];
	size_t i, n_l, n_r;

	for (i = 0; i < sa->conn->n_children; i++) {
		const struct ike_child *c = &sa->conn->children[i];

		n_l = ikesa_resolve_ts(&c->local_ts, &sa->local, l);
		n_r = ikesa_resolve_ts(&c->remote_ts, &sa->remote, r);
		if (ts_in(ours, l, n_l) && ts_in(theirs, r, n_r))
			return c;
	}
	return NULL;
}

/* INVALID-ID-INFORMATION's sentence: both sides' selectors. */
static void say_no_child(const struct ikesa *sa, const struct ike_ts *theirs,
			 const struct ike_ts *ours, char *why, size_t size)
{
	struct ike_ts l[IKE_MAX_TS], r[IKE_MAX_TS];
	char a[128], b[128], la[256], ra[256];
	size_t i, len;

	snprintf(why, size, "the traffic selectors differ: the peer proposed %s for its side (IDci) and %s for ours (IDcr)",
		 ike_ts_format(theirs, a, sizeof(a)),
		 ike_ts_format(ours, b, sizeof(b)));
	for (i = 0; i < sa->conn->n_children; i++) {
		const struct ike_child *c = &sa->conn->children[i];

		len = strlen(why);
		ike_ts_list_format(r, ikesa_resolve_ts(&c->remote_ts,
						       &sa->remote, r),
				   ra, sizeof(ra));
		ike_ts_list_format(l, ikesa_resolve_ts(&c->local_ts, &sa->local,
						       l),
				   la, sizeof(la));
		snprintf(why + len, size - len, "%s child %s has %s for the peer's side and %s for ours",
			 i ? ";" : "; we accept exactly:", c->name, ra, la);
	}
}

/* ---- QM1 ---- */

/* What QM1 asks for and what we choose, before anything is made. */
struct qm_ask {
	struct ike_ts theirs, ours;
	const struct ike_child *child;
	struct ike1_choice choice;
};

/* The chosen transform as the CHILD_SA records it (IKEv2 IDs). */
static void child_prop(struct ike_proposal *p, const struct ike1_alg *a,
		       const uint8_t *spi)
{
	memset(p, 0, sizeof(*p));
	p->num = 1;
	p->proto = IKE_PROTO_ESP;
	p->spi_len = ESP_SPI_LEN;
	memcpy(p->spi, spi, ESP_SPI_LEN);
	p->tr[p->n_tr++] = (struct ike_transform){ IKE_TR_ENCR, a->encr,
						   a->keylen };
	if (a->integ != IKE_INTEG_NONE)
		p->tr[p->n_tr++] = (struct ike_transform){ IKE_TR_INTEG,
							   a->integ, 0 };
	if (a->group != IKE_KE_NONE)
		p->tr[p->n_tr++] = (struct ike_transform){ IKE_TR_KE,
							   a->group, 0 };
	p->tr[p->n_tr++] = (struct ike_transform){ IKE_TR_ESN,
		a->esn ? IKE_ESN_YES : IKE_ESN_NO, 0 };
}

/* PFS as the choice wants it: a KE of its group, or none at all. */
static uint16_t check_pfs(const struct ike1_choice *c,
			  const struct ike1_msg *m, char *why, size_t size)
{
	uint16_t g = c->alg.group;
	bool ke = ike1_msg_has(m, IKE1_PL_KE);

	if (g != IKE_KE_NONE && (!ke || m->ke.len != ike_kex_len(g))) {
		snprintf(why, size, "the chosen transform has PFS with %s, but QM1 has %s",
			 ikesa_ke_name(g), ke ? "a KE payload of another size" :
					       "no KE payload");
		return IKE1_N_PAYLOAD_MALFORMED;
	}
	if (g == IKE_KE_NONE && ke) {
		snprintf(why, size, "QM1 has a KE payload, but the chosen transform has no PFS group");
		return IKE1_N_PAYLOAD_MALFORMED;
	}
	return 0;
}

/* The child and transform QM1 asks for; 0 or the notify refusing it. */
static uint16_t qm_choose(const struct ikesa *sa, const struct ike1_msg *m,
			  struct qm_ask *ask, char *why, size_t size)
{
	struct ike1_mismatch mm = { 0 };
	struct ike1_cfg cfg;

	if (!ike1_msg_has(m, IKE1_PL_SA) || !ike1_msg_has(m, IKE1_PL_NONCE)) {
		snprintf(why, size, "QM1 lacks its SA or Nonce payload");
		return IKE1_N_PAYLOAD_MALFORMED;
	}
	if (qm_selectors(sa, m, &ask->theirs, &ask->ours)) {
		snprintf(why, size, "QM1's identities are not two address IDs (IDci, IDcr)");
		return IKE1_N_INVALID_ID_INFORMATION;
	}
	ask->child = child_for(sa, &ask->theirs, &ask->ours);
	if (!ask->child) {
		say_no_child(sa, &ask->theirs, &ask->ours, why, size);
		return IKE1_N_INVALID_ID_INFORMATION;
	}
	if (ikesa_child_find(sa, ask->child->name)) {
		snprintf(why, size, "CHILD_SA %s is up or under way already; a second one, or its rekeying, is not implemented in IKEv1 yet",
			 ask->child->name);
		return IKE1_N_NO_PROPOSAL_CHOSEN;
	}
	cfg = ike1_p2_cfg(sa->conn, ask->child, false);
	if (ike1_prop_choose(&cfg, &m->sa, &ask->choice, &mm)) {
		ike1_mismatch_format(&cfg, &m->sa, &mm, why, size);
		return IKE1_N_NO_PROPOSAL_CHOSEN;
	}
	return check_pfs(&ask->choice, m, why, size);
}

/* The CHILD_SA's slot for what was chosen, our SPI reserved. */
static struct ikesa_child *child_new(struct ike_daemon *d, struct ikesa *sa,
				     const struct ike1_msg *m,
				     const struct qm_ask *ask)
{
	const struct ike1_proposal *p = &m->sa.prop[ask->choice.prop];
	struct ikesa_child *ch = ikesa_child_add(sa, ask->child);
	struct child_sa *c;
	uint16_t encap = ask->choice.alg.encap;

	if (!ch)
		return NULL;
	c = &ch->cur;
	child_prop(&c->prop, &ask->choice.alg, p->spi);
	memcpy(&c->spi_out, p->spi, ESP_SPI_LEN);
	c->spi_out = ntohl(c->spi_out);
	c->mode = encap == IKE1_ENCAP_TRANSPORT ||
		  encap == IKE1_ENCAP_UDP_TRANSPORT ? KIPSEC_MODE_TRANSPORT :
						      KIPSEC_MODE_TUNNEL;
	c->keys_of_initiator = false;
	c->n_l = c->n_r = 1;
	c->ts_l[0] = ask->ours;
	c->ts_r[0] = ask->theirs;
	if (p->spi_len != ESP_SPI_LEN || ikesa_child_alloc_spi(d, sa, c)) {
		ikesa_child_close(d, sa, ch);
		return NULL;
	}
	return ch;
}

/*
 * Our KE and g(qm)^xy with PFS: pub and gqm filled, their lengths set.
 * Without PFS nothing (lengths 0). 0, or -1 for a peer's value that is
 * not one of the group.
 */
static int qm_dh(uint16_t g, const struct ike1_msg *m, uint8_t *pub,
		 size_t *pub_len, uint8_t *gqm, size_t *gqm_len)
{
	struct ike_kex *kex;
	ssize_t n = -1, s = -1;

	*pub_len = *gqm_len = 0;
	if (g == IKE_KE_NONE)
		return 0;
	kex = ike_kex_new(g);
	if (kex)
		n = ike_kex_public(kex, pub, IKE1_KE_MAX);
	if (n > 0)
		s = ike_kex_shared(kex, m->ke.p, m->ke.len, gqm, IKE1_KE_MAX);
	ike_kex_free(kex);
	if (s < 0)
		return -1;
	*pub_len = n;
	*gqm_len = s;
	return 0;
}

/* KEYMAT of both SAs (RFC 2409 5.5) into the kernel: inbound only, now. */
static int qm_keys(struct ike_daemon *d, struct ikesa *sa,
		   const struct ike1_qm *qm, const uint8_t *gqm,
		   size_t gqm_len, char *why, size_t size)
{
	struct child_sa *c = &qm->ch->cur;
	const struct ike_integ_alg *integ;
	const struct ike_encr_alg *encr;
	struct ike_child_keys keys;
	uint32_t spi_i = htonl(c->spi_out), spi_r = htonl(c->spi_in);
	int ret = -1;

	if (ikesa_child_algs(c, &encr, &integ, why, size))
		return -1;
	if (ike1_child_keys_derive(&keys, &sa->v1->keys, encr, integ,
				   &(struct ike1_qm_in){
					.protocol = IKE1_PROTO_ESP,
					.gqm = gqm_len ? gqm : NULL,
					.gqm_len = gqm_len,
					.ni = qm->ni, .ni_len = qm->ni_len,
					.nr = qm->nr,
					.nr_len = sizeof(qm->nr) },
				   (uint8_t *)&spi_i, (uint8_t *)&spi_r))
		snprintf(why, size, "KEYMAT derivation failed");
	else
		ret = ikesa_child_begin(d, sa, qm->ch, &keys, false, why,
					size);
	ike_child_keys_clear(&keys);
	return ret;
}

/* QM2's payloads after HASH(2): SA, Nr, [KE], [IDci, IDcr] as the peer's. */
static void qm2_payloads(const struct ike1_qm *qm, const struct ike1_msg *m,
			 const struct qm_ask *ask, const uint8_t *pub,
			 size_t pub_len, struct ike1_buf *chain)
{
	uint32_t spi = htonl(qm->ch->cur.spi_in);
	struct ike1_pl_sa reply;
	uint8_t i;

	ike1_prop_reply(&m->sa, &ask->choice, (uint8_t *)&spi, &reply);
	ike1_put_sa(chain, &reply);
	ike1_put_bytes(chain, IKE1_PL_NONCE,
		       &(struct ike1_bytes){ qm->nr, sizeof(qm->nr) });
	if (pub_len)
		ike1_put_bytes(chain, IKE1_PL_KE,
			       &(struct ike1_bytes){ pub, pub_len });
	for (i = 0; i < m->n_id; i++)
		ike1_put_id(chain, &m->id[i]);
}

/* QM2 encrypted, sent, and kept for a repeated QM1. */
static int send_qm2(struct ike_daemon *d, struct ikesa *sa, struct ike1_qm *qm,
		    struct ike1_buf *chain)
{
	struct ike1_state *st = sa->v1;
	struct ike1_hdr h = ike1_sa_hdr(sa, IKE1_EXCH_QUICK, qm->mid);
	uint8_t hash[IKE_PRF_OUT_MAX], out[IKE1_MSG_MAX];
	struct ike1_buf b = { 0 };
	ssize_t n = -1;

	if (!chain->failed &&
	    ike1_qm_hash2(&st->keys, qm->mid, qm->ni, qm->ni_len, chain->p,
			  chain->len, hash) >= 0) {
		ike1_put_bytes(&b, IKE1_PL_HASH,
			       &(struct ike1_bytes){ hash, st->prf->out_len });
		ike1_put_chain(&b, chain);
		n = ike1_seal(sa, &h, &b, out, sizeof(out));
	}
	ike1_buf_free(&b);
	ike1_buf_free(chain);
	if (n < 0 || !(qm->qm2 = copy(out, n)))
		return -1;
	qm->qm2_len = n;
	ikesa_transmit(d, sa, out, n);
	return 0;
}

/* A refusal of QM1 or of its CHILD_SA: one line, a protected notify. */
static void refuse(struct ike_daemon *d, struct ikesa *sa, uint32_t mid,
		   uint16_t notify, const char *why)
{
	const char *name = ike1_notify_name(notify);

	ikesa_report(d, sa, "IKEv1 Quick Mode: %s: refused with %s", why,
		     name ? name : "?");
	ike1_iv_forget(&sa->v1->ivs, mid);
	ike1_notify_protected(d, sa, notify);
}

/* Everything QM1 asked for that is made: the CHILD_SA, QM2. */
static int qm_answer(struct ike_daemon *d, struct ikesa *sa, struct ike1_qm *qm,
		     const struct ike1_msg *m, const struct qm_ask *ask,
		     char *why, size_t size)
{
	uint8_t pub[IKE1_KE_MAX], gqm[IKE1_KE_MAX];
	struct ike1_buf chain = { 0 };
	size_t pub_len, gqm_len;
	int ret = -1;

	qm->ch = child_new(d, sa, m, ask);
	if (!qm->ch) {
		snprintf(why, size, "the kernel refused an SPI: %s",
			 d->kernel.err);
		return -1;
	}
	if (ike_nonce_new(qm->nr)) {
		snprintf(why, size, "no random bytes for our nonce");
		return -1;
	}
	memcpy(qm->ni, m->nonce.p, m->nonce.len);
	qm->ni_len = m->nonce.len;
	qm->pfs = ask->choice.alg.group != IKE_KE_NONE;
	snprintf(why, size, "the peer's KE value is not one of group %s",
		 ikesa_ke_name(ask->choice.alg.group));
	if (!qm_dh(ask->choice.alg.group, m, pub, &pub_len, gqm, &gqm_len) &&
	    !qm_keys(d, sa, qm, gqm, gqm_len, why, size)) {
		qm2_payloads(qm, m, ask, pub, pub_len, &chain);
		snprintf(why, size, "QM2 cannot be built");
		ret = send_qm2(d, sa, qm, &chain);
	}
	OPENSSL_cleanse(gqm, sizeof(gqm));
	return ret;
}

static void request1(struct ike_daemon *d, struct ikesa *sa,
		     const struct ike_dgram *dg, const struct ike1_msg *m)
{
	struct ike1_qm *qm = qm_find(sa->v1, 0);
	struct qm_ask ask;
	char why[768];
	uint16_t err;

	ike1_iv_confirm(&sa->v1->ivs, m->hdr.msg_id);
	if (!qm) {
		refuse(d, sa, m->hdr.msg_id, IKE1_N_NO_PROPOSAL_CHOSEN,
		       "too many Quick Modes at once on this ISAKMP SA");
		return;
	}
	err = qm_choose(sa, m, &ask, why, sizeof(why));
	if (err) {
		refuse(d, sa, m->hdr.msg_id, err, why);
		return;
	}
	qm->mid = m->hdr.msg_id;
	qm->qm1 = copy(dg->p, dg->len);
	qm->qm1_len = dg->len;
	if (!qm->qm1 || qm_answer(d, sa, qm, m, &ask, why, sizeof(why))) {
		if (qm->ch)
			ikesa_child_close(d, sa, qm->ch);
		qm_free(qm);
		refuse(d, sa, m->hdr.msg_id, IKE1_N_NO_PROPOSAL_CHOSEN, why);
	}
}

/* ---- QM3 ---- */

static int check_hash3(const struct ikesa *sa, const struct ike1_qm *qm,
		       const struct ike1_msg *m)
{
	const struct ike1_state *st = sa->v1;
	uint8_t hash[IKE_PRF_OUT_MAX];

	if (!ike1_msg_has(m, IKE1_PL_HASH) || m->hash.len != st->prf->out_len ||
	    ike1_qm_hash3(&st->keys, qm->mid, qm->ni, qm->ni_len, qm->nr,
			  sizeof(qm->nr), hash) < 0)
		return -1;
	return CRYPTO_memcmp(hash, m->hash.p, m->hash.len) ? -1 : 0;
}

static void request3(struct ike_daemon *d, struct ikesa *sa, struct ike1_qm *qm,
		     const struct ike1_msg *m)
{
	struct ikesa_child *ch = qm->ch;
	char why[512], prop[256];

	if (check_hash3(sa, qm, m)) {
		/* QM1 and QM2 stand: the genuine QM3 may still come */
		ike_log("%s: IKEv1 Quick Mode: QM3 dropped: HASH(3) does not verify",
			sa->conn_name);
		return;
	}
	ike1_iv_forget(&sa->v1->ivs, qm->mid);
	snprintf(why, sizeof(why), "%s", d->kernel.err);
	if (ikesa_child_add_out(d, &ch->cur) ||
	    ikesa_child_policies(d, sa, ch, true, why, sizeof(why))) {
		ikesa_report(d, sa, "CHILD_SA %s: negotiated in Quick Mode, but the kernel refused it: %s",
			     ch->cur.name, why);
		ikesa_child_close(d, sa, ch);
	} else {
		ike_log("%s: CHILD_SA %s established (responder, IKEv1 Quick Mode%s, %s), SPIs 0x%08x in, 0x%08x out",
			sa->conn_name, ch->cur.name,
			qm->pfs ? " with PFS" : "",
			ike_proposal_format(&ch->cur.prop, prop, sizeof(prop)),
			ch->cur.spi_in, ch->cur.spi_out);
	}
	qm_free(qm);
}

/* ---- the exchange ---- */

void ike1_qm_request(struct ike_daemon *d, struct ikesa *sa,
		     const struct ike_dgram *dg, struct ike1_msg *m)
{
	uint32_t mid = m->hdr.msg_id;
	struct ike1_qm *qm = mid ? qm_find(sa->v1, mid) : NULL;
	uint8_t plain[IKE1_MSG_MAX];
	struct ike1_err err = { 0 };

	if (sa->state != IKESA_ESTABLISHED || !mid) {
		ike_debug(d, "%s: Quick Mode message dropped: Phase 1 is not up",
			  sa->conn_name);
		return;
	}
	if (qm && qm->qm1_len == dg->len && !memcmp(qm->qm1, dg->p, dg->len)) {
		ike_debug(d, "%s: QM1 again: QM2 again", sa->conn_name);
		ikesa_transmit(d, sa, qm->qm2, qm->qm2_len);
		return;
	}
	if (ike1_decrypt_msg(sa, m, plain, sizeof(plain), &err) ||
	    (!qm && ike1_check_hash1(sa, m))) {
		/* not known to be the peer's: no answer (RFC 2409 5.5) */
		ike_log("%s: IKEv1 Quick Mode: a message dropped: %s",
			sa->conn_name,
			err.msg[0] ? err.msg : "HASH(1) does not verify");
		if (!qm)
			ike1_iv_forget(&sa->v1->ivs, mid);
		return;
	}
	sa->last_heard = ike_now_ms();
	if (qm)
		request3(d, sa, qm, m);
	else
		request1(d, sa, dg, m);
	OPENSSL_cleanse(plain, sizeof(plain));
}
