// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_SA_INIT (RFC 7296 sections 1.2, 2.6, 2.10, 2.23), as initiator
 * (with the retries COOKIE and INVALID_KE_PAYLOAD ask for, and the probes
 * after NO_PROPOSAL_CHOSEN) and as responder (the key exchange in a
 * worker: initkex.c). The responder's first answer, or a refusal that
 * says what differs: as responder we know both lists, as initiator what
 * we offered and what the answer means.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "cert.h"
#include "conf.h"
#include "ikesa_int.h"
#include "initkex.h"
#include "proposal.h"
#include "sakeys.h"

/* ---- keys ---- */

static int derive_keys(struct ikesa *sa, const struct ike_pl_ke *peer_ke,
		       char *why, size_t size)
{
	uint8_t gir[IKE_KE_MAX];
	ssize_t n;
	int ret;

	n = ike_kex_shared(sa->kex, peer_ke->data.p, peer_ke->data.len, gir,
			   sizeof(gir));
	if (n < 0) {
		snprintf(why, size, "the peer's key exchange value is invalid: %s",
			 ike_crypto_strerror(n));
		return -1;
	}
	ret = ikesa_derive_keys(sa, gir, n, NULL, NULL, why, size);
	OPENSSL_cleanse(gir, sizeof(gir));
	return ret;
}

static uint8_t *copy_bytes(const uint8_t *p, size_t len)
{
	uint8_t *c = malloc(len);

	if (c)
		memcpy(c, p, len);
	return c;
}

/* ---- NAT detection (section 2.23) ---- */

static void put_natd(struct ike_buf *b, const struct ikesa *sa,
		     uint16_t type, const struct sockaddr_storage *ss)
{
	uint8_t hash[IKE_NATD_LEN];
	struct ike_pl_notify n = { .type = type, .data = { hash, IKE_NATD_LEN } };
	struct addr a;

	ss_to_addr(ss, &a);
	if (ike_natd_hash(sa->spi_i, sa->spi_r, a.family, a.bytes, ss_port(ss),
			  hash))
		return;
	ike_put_notify(b, &n);
}

/*
 * Whether a NAT_DETECTION notify of type names the address ss. The hash
 * covers the SPIs of the message's own header: SPIr is zero in the
 * IKE_SA_INIT request.
 */
static bool natd_matches(const struct ike_msg *m, uint16_t type,
			 const struct sockaddr_storage *ss)
{
	uint8_t hash[IKE_NATD_LEN];
	struct addr a;
	size_t i;
	bool seen = false;

	ss_to_addr(ss, &a);
	if (ike_natd_hash(m->hdr.ispi, m->hdr.rspi, a.family, a.bytes,
			  ss_port(ss), hash))
		return true;
	for (i = 0; i < m->n_notify; i++) {
		if (m->notify[i].type != type)
			continue;
		seen = true;
		if (m->notify[i].data.len == IKE_NATD_LEN &&
		    !memcmp(m->notify[i].data.p, hash, IKE_NATD_LEN))
			return true;
	}
	return !seen;	/* a peer without NAT detection: assume no NAT */
}

/* The peer's NAT_DETECTION notifies against the datagram's addresses. */
static void detect_nat(struct ikesa *sa, const struct ike_msg *m,
		       const struct ike_dgram *dg)
{
	char buf[80];

	sa->nat_there = !natd_matches(m, IKE_N_NAT_DETECTION_SOURCE_IP,
				      &dg->remote);
	sa->nat_here = !natd_matches(m, IKE_N_NAT_DETECTION_DESTINATION_IP,
				     &dg->local);
	if (sa->nat_here || sa->nat_there)
		ike_log("%s: NAT detected (%s), peer seen as %s",
			sa->conn_name,
			sa->nat_here && sa->nat_there ? "both sides" :
			sa->nat_here ? "in front of us" : "in front of the peer",
			ss_format(&dg->remote, buf, sizeof(buf)));
}

/* RFC 7427: the hashes we verify signatures with, and the peer's. */
static void put_hash_algorithms(struct ike_buf *b)
{
	size_t len;
	const uint8_t *data = ike_sig_hashes(&len);

	ike_put_notify(b, &(struct ike_pl_notify){
		.type = IKE_N_SIGNATURE_HASH_ALGORITHMS, .data = { data, len } });
}

static void peer_hash_algorithms(struct ikesa *sa, const struct ike_msg *m)
{
	const struct ike_pl_notify *n =
		ike_msg_notify(m, IKE_N_SIGNATURE_HASH_ALGORITHMS);

	if (!n || n->data.len > sizeof(sa->peer_hashes))
		return;
	memcpy(sa->peer_hashes, n->data.p, n->data.len);
	sa->peer_hashes_len = n->data.len;
	sa->peer_hashes_seen = true;
}

/* ---- the initiator ---- */

static int choose_addresses(struct ikesa *sa, char *why, size_t size)
{
	char text[128];

	if (!ike_conn_addresses(sa->conn, &sa->local, &sa->remote, text,
				  sizeof(text)))
		return 0;
	snprintf(why, size, "cannot initiate: %s", text);
	return -1;
}

void ikesa_send_init(struct ike_daemon *d, struct ikesa *sa)
{
	uint8_t pub[IKE_KE_MAX];
	struct ike_buf b = { 0 };
	struct ike_hdr h = { 0 };
	struct ike_pl_ke ke;
	struct ike_pl_notify cookie = {
		.type = IKE_N_COOKIE,
		.data = { sa->cookie, sa->cookie_len },
	};
	ssize_t n;

	ike_kex_free(sa->kex);
	sa->kex = ike_kex_new(sa->group);
	n = sa->kex ? ike_kex_public(sa->kex, pub, sizeof(pub)) : -1;
	if (n < 0) {
		ikesa_fail(d, sa, "IKE_SA_INIT: key exchange method %s is not available here",
			   ike_transform_name(IKE_TR_KE, sa->group) ?: "?");
		return;
	}
	ke = (struct ike_pl_ke){ sa->group, { pub, n } };
	memcpy(h.ispi, sa->spi_i, IKE_SPI_LEN);
	h.exchange = IKE_SA_INIT;
	h.flags = IKE_FLAG_INITIATOR;
	ike_msg_start(&b, &h);
	if (sa->cookie_len)
		ike_put_notify(&b, &cookie);
	if (sa->offer)
		ike_put_sa(&b, sa->offer, sa->n_offer);
	else
		ike_put_sa(&b, sa->conn->proposals.v, sa->conn->proposals.n);
	ike_put_ke(&b, &ke);
	ike_put_nonce(&b, &(struct ike_bytes){ sa->ni, sa->ni_len });
	put_natd(&b, sa, IKE_N_NAT_DETECTION_SOURCE_IP, &sa->local);
	put_natd(&b, sa, IKE_N_NAT_DETECTION_DESTINATION_IP, &sa->remote);
	put_hash_algorithms(&b);
	if (ike_msg_finish(&b)) {
		ike_buf_free(&b);
		ikesa_fail(d, sa, "IKE_SA_INIT: out of memory");
		return;
	}
	free(sa->msg_i);
	sa->msg_i = copy_bytes(b.p, b.len);
	sa->msg_i_len = b.len;
	sa->next_id = 0;
	ikesa_set_state(d, sa, IKESA_INIT_SENT);
	ikesa_send_request(d, sa, &b, IKE_SA_INIT);
}

void ikesa_initiate(struct ike_daemon *d, const struct ike_conn *conn,
		    const struct ike_child *child, struct ike_waiter *w)
{
	struct ikesa *sa = ikesa_new(d, conn, true);
	char why[160];

	if (!sa) {
		ike_waiter_say(w, "out of memory");
		ike_waiter_done(w, 1);
		return;
	}
	sa->waiter = w;
	sa->child_cfg = child;
	if (conn->version == 1) {
		ikesa_fail(d, sa, "connection %s is version = 1 (IKEv1): kipsec ike does not negotiate IKEv1 yet",
			   conn->name);
		return;
	}
	if (child && !ikesa_child_add(sa, child)) {
		ikesa_fail(d, sa, "out of memory");
		return;
	}
	sa->created_at = ike_now_ms();
	sa->group = ikesa_first_ke(conn->proposals.v, conn->proposals.n);
	sa->ni_len = IKE_NONCE_LEN;
	if (choose_addresses(sa, why, sizeof(why))) {
		ikesa_fail(d, sa, "%s", why);
		return;
	}
	if (ike_nonce_new(sa->ni)) {
		ikesa_fail(d, sa, "no randomness for a nonce");
		return;
	}
	ike_log("%s: initiating to %s", conn->name,
		ss_format(&sa->remote, why, sizeof(why)));
	ikesa_send_init(d, sa);
}

/* What an error notify in the IKE_SA_INIT response means. */
static void init_refused(struct ike_daemon *d, struct ikesa *sa,
			 const struct ike_pl_notify *n)
{
	char ours[1024], name[32];

	ike_proposals_format(sa->conn->proposals.v, sa->conn->proposals.n, ours,
		       sizeof(ours));
	if (n->type == IKE_N_NO_PROPOSAL_CHOSEN)
		ikesa_fail(d, sa, "IKE_SA_INIT: the peer refused (NO_PROPOSAL_CHOSEN). We offered %s; the peer accepts none of them, and no single transform type widened changes that: compare its IKE proposals (encryption, integrity/PRF, key exchange method) with ours. A peer whose connection for us is IKEv1 only answers IKEv2 so too",
			   ours);
	else
		ikesa_fail(d, sa, "IKE_SA_INIT: the peer refused (%s). We offered %s",
			   ike_notify_format(n->type, name, sizeof(name)), ours);
}

/* INVALID_KE_PAYLOAD names the group the peer wants: retry once with it. */
static bool retry_group(struct ike_daemon *d, struct ikesa *sa,
			const struct ike_pl_notify *n)
{
	uint16_t want;

	if (n->type != IKE_N_INVALID_KE_PAYLOAD || n->data.len != 2)
		return false;
	want = n->data.p[0] << 8 | n->data.p[1];
	if (!ikesa_offers_ke(sa->conn->proposals.v, sa->conn->proposals.n,
			     want) || want == sa->group) {
		ikesa_fail(d, sa, "IKE_SA_INIT: the peer refused our key exchange method %s and asks for %s, which we do not offer: the key exchange method differs",
			   ike_transform_name(IKE_TR_KE, sa->group) ?: "?",
			   ike_transform_name(IKE_TR_KE, want) ?: "?");
		return true;
	}
	ike_log("%s: the peer asks for key exchange method %s instead of %s; retrying",
		sa->conn_name, ike_transform_name(IKE_TR_KE, want) ?: "?",
		ike_transform_name(IKE_TR_KE, sa->group) ?: "?");
	sa->group = want;
	ikesa_send_init(d, sa);
	return true;
}

static bool retry_cookie(struct ike_daemon *d, struct ikesa *sa,
			 const struct ike_pl_notify *n)
{
	if (n->type != IKE_N_COOKIE || !n->data.len ||
	    n->data.len > sizeof(sa->cookie) || sa->cookie_len)
		return false;
	memcpy(sa->cookie, n->data.p, n->data.len);
	sa->cookie_len = n->data.len;
	ikesa_send_init(d, sa);
	return true;
}

/* The next probe (probe.c) out: false when there is none left. */
static bool probe_again(struct ike_daemon *d, struct ikesa *sa)
{
	if (!ikesa_probe_next(d, sa))
		return false;
	ikesa_send_init(d, sa);
	return true;
}

/*
 * An answer to one of the probes that follow a NO_PROPOSAL_CHOSEN
 * (probe.c): true when it was dealt with here.
 */
static bool probe_response(struct ike_daemon *d, struct ikesa *sa,
			   const struct ike_msg *m,
			   const struct ike_pl_notify *err)
{
	if (!ikesa_probe_answer(d, sa, m, err))
		return true;
	/* the widened type fit, but the peer wants another of our groups */
	if (err && err->type == IKE_N_INVALID_KE_PAYLOAD &&
	    retry_group(d, sa, err))
		return true;
	if (probe_again(d, sa))
		return true;
	init_refused(d, sa, &(struct ike_pl_notify){
		.type = IKE_N_NO_PROPOSAL_CHOSEN });
	return true;
}

void ikesa_init_response(struct ike_daemon *d, struct ikesa *sa,
			 const struct ike_dgram *dg, const struct ike_msg *m)
{
	const struct ike_pl_notify *err = ike_msg_error_notify(m);
	const struct ike_pl_notify *cookie = ike_msg_notify(m, IKE_N_COOKIE);
	struct ike_mismatch mm;
	char why[512];

	if (sa->state != IKESA_INIT_SENT)
		return;		/* only our IKE_SA_INIT request has this answer */
	if (cookie && retry_cookie(d, sa, cookie))
		return;
	if (sa->probe && probe_response(d, sa, m, err))
		return;
	if (err) {
		if (err->type == IKE_N_NO_PROPOSAL_CHOSEN && !sa->probe &&
		    probe_again(d, sa))
			return;
		if (!retry_group(d, sa, err))
			init_refused(d, sa, err);
		return;
	}
	if (!ike_msg_has(m, IKE_PL_SA) || !ike_msg_has(m, IKE_PL_KE) ||
	    !ike_msg_has(m, IKE_PL_NONCE) || m->sa.n_prop != 1) {
		ikesa_fail(d, sa, "IKE_SA_INIT: the peer's response lacks its SA, KE or nonce");
		return;
	}
	if (ike_proposal_select(sa->conn->proposals.v, sa->conn->proposals.n,
				m->sa.prop, 1, 0, &sa->prop, &mm) ||
	    ike_proposal_id(&sa->prop, IKE_TR_KE, NULL) != sa->group ||
	    m->ke.group != sa->group) {
		ikesa_fail(d, sa, "IKE_SA_INIT: the peer chose %s, which is not one we offered",
			   ike_proposal_format(&m->sa.prop[0], why,
					       sizeof(why)));
		return;
	}
	memcpy(sa->spi_r, m->hdr.rspi, IKE_SPI_LEN);
	sa->nr_len = m->nonce.len;
	memcpy(sa->nr, m->nonce.p, m->nonce.len);
	sa->msg_r = copy_bytes(dg->p, dg->len);
	sa->msg_r_len = dg->len;
	if (!sa->msg_r || derive_keys(sa, &m->ke, why, sizeof(why))) {
		ikesa_fail(d, sa, "IKE_SA_INIT: %s",
			   sa->msg_r ? why : "out of memory");
		return;
	}
	ikesa_keylog(d, sa);
	detect_nat(sa, m, dg);
	peer_hash_algorithms(sa, m);
	if (sa->nat_here || sa->nat_there) {
		/* from now on IKE and ESP go over UDP 4500 */
		ss_set_port(&sa->local, IKE_NATT_PORT);
		ss_set_port(&sa->remote, IKE_NATT_PORT);
	}
	ikesa_send_auth(d, sa);
}

static void init_answer(struct ike_daemon *d, struct ikesa *sa)
{
	uint8_t pub[IKE_KE_MAX];
	struct ike_buf b = { 0 };
	struct ike_hdr h = { 0 };
	ssize_t n = ike_kex_public(sa->kex, pub, sizeof(pub));

	memcpy(h.ispi, sa->spi_i, IKE_SPI_LEN);
	memcpy(h.rspi, sa->spi_r, IKE_SPI_LEN);
	h.exchange = IKE_SA_INIT;
	h.flags = IKE_FLAG_RESPONSE;
	ike_msg_start(&b, &h);
	ike_put_sa(&b, &sa->prop, 1);
	ike_put_ke(&b, &(struct ike_pl_ke){ sa->group, { pub, n < 0 ? 0 : n } });
	ike_put_nonce(&b, &(struct ike_bytes){ sa->nr, sa->nr_len });
	put_natd(&b, sa, IKE_N_NAT_DETECTION_SOURCE_IP, &sa->local);
	put_natd(&b, sa, IKE_N_NAT_DETECTION_DESTINATION_IP, &sa->remote);
	put_hash_algorithms(&b);
	ikesa_put_certreq(d, sa, &b);
	if (n < 0 || ike_msg_finish(&b)) {
		ike_buf_free(&b);
		ikesa_set_state(d, sa, IKESA_DEAD);
		return;
	}
	sa->msg_r = copy_bytes(b.p, b.len);
	sa->msg_r_len = b.len;
	ikesa_send_response(d, sa, &b);
}

/* Responder: the key exchange is done (initkex.c), or failed (why). */
static void init_keyed(struct ike_daemon *d, struct ikesa *sa,
		       const char *why)
{
	struct ike_dgram dg = { .local = sa->local, .remote = sa->remote };
	struct ike_hdr h = { 0 };
	char from[80];

	if (why) {
		ike_log("%s: IKE_SA_INIT from %s: %s", sa->conn_name,
			ss_format(&sa->remote, from, sizeof(from)), why);
		memcpy(h.ispi, sa->spi_i, IKE_SPI_LEN);
		ikesa_init_refuse(d, &dg, &h, IKE_N_INVALID_SYNTAX, NULL, 0);
		ikesa_set_state(d, sa, IKESA_DEAD);
		return;
	}
	ikesa_keylog(d, sa);
	init_answer(d, sa);
}

void ikesa_init_request(struct ike_daemon *d, const struct ike_dgram *dg,
			const struct ike_msg *m)
{
	const struct ike_conn *conn = ike_conn_for(d->conf, &dg->local,
						   &dg->remote, 2);
	struct ike_proposal chosen;
	struct ike_mismatch mm;
	uint8_t group_be[2];
	char from[80], why[1024], a[1024], b[1024];
	struct ikesa *sa;

	ss_format(&dg->remote, from, sizeof(from));
	if (!conn) {
		ike_log("IKE_SA_INIT from %s: we refused (NO_PROPOSAL_CHOSEN): no connection has this local and remote address",
			from);
		ikesa_init_refuse(d, dg, &m->hdr, IKE_N_NO_PROPOSAL_CHOSEN,
				  NULL, 0);
		return;
	}
	if (!ike_msg_has(m, IKE_PL_SA) || !ike_msg_has(m, IKE_PL_KE) ||
	    !ike_msg_has(m, IKE_PL_NONCE)) {
		ikesa_init_refuse(d, dg, &m->hdr, IKE_N_INVALID_SYNTAX, NULL,
				  0);
		return;
	}
	if (!ikesa_cookie_check(d, dg, m))
		return;
	if (ike_proposal_select(conn->proposals.v, conn->proposals.n,
				m->sa.prop, m->sa.n_prop, 0, &chosen, &mm)) {
		ike_mismatch_format(&mm, conn->proposals.v, conn->proposals.n,
				    m->sa.prop, m->sa.n_prop, why, sizeof(why));
		ikesa_note(d, conn->name, "IKE_SA_INIT from %s: we refused (NO_PROPOSAL_CHOSEN): the %s. We accept %s; the peer offered %s",
			   from, why,
			ike_proposals_format(conn->proposals.v, conn->proposals.n, a,
				       sizeof(a)),
			ike_proposals_format(m->sa.prop, m->sa.n_prop, b, sizeof(b)));
		ikesa_init_refuse(d, dg, &m->hdr, IKE_N_NO_PROPOSAL_CHOSEN,
				  NULL, 0);
		return;
	}
	if (m->ke.group != ike_proposal_id(&chosen, IKE_TR_KE, NULL)) {
		uint16_t g = ike_proposal_id(&chosen, IKE_TR_KE, NULL);

		ike_log("%s: IKE_SA_INIT from %s: its key exchange is %s, we chose %s: asking for it (INVALID_KE_PAYLOAD)",
			conn->name, from,
			ike_transform_name(IKE_TR_KE, m->ke.group) ?: "?",
			ike_transform_name(IKE_TR_KE, g) ?: "?");
		group_be[0] = g >> 8;
		group_be[1] = g;
		ikesa_init_refuse(d, dg, &m->hdr, IKE_N_INVALID_KE_PAYLOAD,
				  group_be, 2);
		return;
	}
	sa = ikesa_new(d, conn, false);
	if (!sa)
		return;
	sa->created_at = ike_now_ms();
	ikesa_set_state(d, sa, IKESA_HALF_OPEN);
	sa->local = dg->local;
	sa->remote = dg->remote;
	memcpy(sa->spi_i, m->hdr.ispi, IKE_SPI_LEN);
	sa->prop = chosen;
	sa->group = m->ke.group;
	sa->ni_len = m->nonce.len;
	memcpy(sa->ni, m->nonce.p, m->nonce.len);
	sa->nr_len = IKE_NONCE_LEN;
	sa->peer_id_next = 1;
	sa->msg_i = copy_bytes(dg->p, dg->len);
	sa->msg_i_len = dg->len;
	if (!sa->msg_i || ike_nonce_new(sa->nr)) {
		ikesa_set_state(d, sa, IKESA_DEAD);
		return;
	}
	detect_nat(sa, m, dg);
	peer_hash_algorithms(sa, m);
	ike_debug(d, "%s: IKE_SA_INIT from %s: chose %s", conn->name, from,
		  ike_proposal_format(&chosen, why, sizeof(why)));
	/* in a worker thread if there is one: init_keyed() goes on */
	ikesa_init_kex(d, sa, &m->ke, init_keyed);
}

