// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_SA_INIT and IKE_AUTH (RFC 7296 sections 1.2, 2.15, 2.23), as
 * initiator and as responder, with pre-shared keys. Each refusal says
 * which exchange, which side and what differs: as responder we know both
 * lists, as initiator we know what we offered and what the answer means.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kipsec.h>
#include <openssl/crypto.h>

#include "cert.h"
#include "conf.h"
#include "ikesa_int.h"
#include "initkex.h"
#include "proposal.h"
#include "sakeys.h"
#include "ts.h"


/* ---- small helpers ---- */

const struct ike_pl_notify *ikesa_find_notify(const struct ike_msg *m,
					    uint16_t type)
{
	size_t i;

	for (i = 0; i < m->n_notify; i++)
		if (m->notify[i].type == type)
			return &m->notify[i];
	return NULL;
}

/* The first error notify (types below 16384), or NULL. */
const struct ike_pl_notify *ikesa_error_notify(const struct ike_msg *m)
{
	size_t i;

	for (i = 0; i < m->n_notify; i++)
		if (m->notify[i].type < IKE_N_INITIAL_CONTACT)
			return &m->notify[i];
	return NULL;
}

static const char *notify_name(uint16_t type, char *buf, size_t size)
{
	const char *name = ike_notify_name(type);

	if (name)
		return name;
	snprintf(buf, size, "notify %u", type);
	return buf;
}

static bool offers_group(const struct ike_proposal_list *l, uint16_t group)
{
	size_t i, t;

	for (i = 0; i < l->n; i++)
		for (t = 0; t < l->v[i].n_tr; t++)
			if (l->v[i].tr[t].type == IKE_TR_KE &&
			    l->v[i].tr[t].id == group)
				return true;
	return false;
}

/* Every proposal of a list in one line, for diagnostics. */
const char *ikesa_proposals_text(const struct ike_proposal *v, size_t n,
				  char *buf, size_t size)
{
	char one[256];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				ike_proposal_format(&v[i], one, sizeof(one)));
	return buf;
}

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
		ikesa_find_notify(m, IKE_N_SIGNATURE_HASH_ALGORITHMS);

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

	ikesa_proposals_text(sa->conn->proposals.v, sa->conn->proposals.n, ours,
		       sizeof(ours));
	if (n->type == IKE_N_NO_PROPOSAL_CHOSEN)
		ikesa_fail(d, sa, "IKE_SA_INIT: the peer refused (NO_PROPOSAL_CHOSEN). We offered %s; the peer accepts none of them, and no single transform type widened changes that: compare its IKE proposals (encryption, integrity/PRF, key exchange method) with ours",
			   ours);
	else
		ikesa_fail(d, sa, "IKE_SA_INIT: the peer refused (%s). We offered %s",
			   notify_name(n->type, name, sizeof(name)), ours);
}

/* INVALID_KE_PAYLOAD names the group the peer wants: retry once with it. */
static bool retry_group(struct ike_daemon *d, struct ikesa *sa,
			const struct ike_pl_notify *n)
{
	uint16_t want;

	if (n->type != IKE_N_INVALID_KE_PAYLOAD || n->data.len != 2)
		return false;
	want = n->data.p[0] << 8 | n->data.p[1];
	if (!offers_group(&sa->conn->proposals, want) || want == sa->group) {
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

static void send_auth(struct ike_daemon *d, struct ikesa *sa);

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
	if (ikesa_probe_next(d, sa))
		return true;
	init_refused(d, sa, &(struct ike_pl_notify){
		.type = IKE_N_NO_PROPOSAL_CHOSEN });
	return true;
}

void ikesa_init_response(struct ike_daemon *d, struct ikesa *sa,
			 const struct ike_dgram *dg, const struct ike_msg *m)
{
	const struct ike_pl_notify *err = ikesa_error_notify(m);
	const struct ike_pl_notify *cookie = ikesa_find_notify(m, IKE_N_COOKIE);
	struct ike_mismatch mm;
	char why[512];

	if (cookie && retry_cookie(d, sa, cookie))
		return;
	if (sa->probe && probe_response(d, sa, m, err))
		return;
	if (err) {
		if (err->type == IKE_N_NO_PROPOSAL_CHOSEN && !sa->probe &&
		    ikesa_probe_next(d, sa))
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
	send_auth(d, sa);
}

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

static void send_auth(struct ike_daemon *d, struct ikesa *sa)
{
	struct ikesa_child *ch = sa->children;
	const struct ike_child *c = ch ? ch->cfg : NULL;
	struct ike_buf inner = { 0 };
	char why[1024];

	if (ikesa_put_auth(d, sa, NULL, &inner, why, sizeof(why))) {
		ike_buf_free(&inner);
		ikesa_fail(d, sa, "IKE_AUTH: %s", why);
		return;
	}
	if (c) {
		if (ikesa_child_alloc_spi(d, sa, &ch->cur)) {
			ike_buf_free(&inner);
			ikesa_fail(d, sa, "IKE_AUTH: the kernel refused an SPI: %s",
				   d->kernel.err);
			return;
		}
		ikesa_put_child_offer(&inner, sa, c, ch->cur.spi_in, false);
	}
	ikesa_set_state(d, sa, IKESA_AUTH_SENT);
	ikesa_send_encrypted(d, sa, IKE_AUTH, false, &inner);
}

/* ---- the CHILD_SA in IKE_AUTH, both sides ---- */

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
	const struct ike_pl_notify *err = ikesa_error_notify(m);
	struct child_sa *cs = &ch->cur;
	struct ike_ts ours[IKE_MAX_TS];
	char a[1024], b[1024], name[32];
	struct ike_mismatch mm;
	size_t n;

	n = ikesa_child_offer(c, cs->spi_in, ke, offer, IKE_MAX_PROPOSALS);
	if (err && err->type == IKE_N_NO_PROPOSAL_CHOSEN) {
		snprintf(why, size, "the peer refused the CHILD_SA %s (NO_PROPOSAL_CHOSEN). We offered ESP %s; the peer accepts none of them",
			 c->name, ikesa_proposals_text(offer, n, a, sizeof(a)));
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
			 c->name, notify_name(err->type, name, sizeof(name)));
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
		   ikesa_find_notify(m, IKE_N_USE_TRANSPORT_MODE) ?
		   KIPSEC_MODE_TRANSPORT : KIPSEC_MODE_TUNNEL;
	cs->n_l = m->tsi.n_ts;
	memcpy(cs->ts_l, m->tsi.ts, sizeof(m->tsi.ts[0]) * m->tsi.n_ts);
	cs->n_r = m->tsr.n_ts;
	memcpy(cs->ts_r, m->tsr.ts, sizeof(m->tsr.ts[0]) * m->tsr.n_ts);
	cs->keys_of_initiator = true;
	return 0;
}

/* Initiator: the CHILD_SA of IKE_AUTH in the kernel, or why not. */
static int child_answer(struct ike_daemon *d, struct ikesa *sa,
			struct ikesa_child *ch, const struct ike_msg *m)
{
	struct ike_kdf_in in = {
		.ni = sa->ni, .ni_len = sa->ni_len,
		.nr = sa->nr, .nr_len = sa->nr_len,
	};
	char why[2048];

	if (ikesa_child_accept(sa, ch, m, false, why, sizeof(why))) {
		ikesa_report(d, sa, "IKE_AUTH: the IKE SA is up, but %s", why);
		return -1;
	}
	if (ikesa_child_install(d, sa, ch, &in, why, sizeof(why))) {
		ikesa_report(d, sa, "CHILD_SA %s: negotiated, but the kernel refused it: %s",
			     ch->cur.name, why);
		return -1;
	}
	return 0;
}

/* ---- the responder ---- */

static bool host_in(const struct ike_conf_hosts *hosts,
		    const struct sockaddr_storage *ss)
{
	struct addr a;
	size_t i, len;

	if (!hosts->n)
		return true;
	ss_to_addr(ss, &a);
	len = a.family == AF_INET ? 4 : 16;
	for (i = 0; i < hosts->n; i++) {
		const struct ike_conf_host *h = &hosts->v[i];

		if (!h->lo.family)
			return true;		/* %any */
		if (h->lo.family != a.family)
			continue;
		if (memcmp(a.bytes, h->lo.bytes, len) >= 0 &&
		    memcmp(a.bytes, h->hi.bytes, len) <= 0)
			return true;
	}
	return false;
}

static const struct ike_conn *conn_for(struct ike_daemon *d,
				       const struct ike_dgram *dg)
{
	size_t i;

	for (i = 0; i < d->conf->n_conns; i++) {
		const struct ike_conn *c = &d->conf->conns[i];

		if ((c->version == 0 || c->version == 2) &&
		    host_in(&c->local_addrs, &dg->local) &&
		    host_in(&c->remote_addrs, &dg->remote))
			return c;
	}
	return NULL;
}

void ikesa_init_refuse(struct ike_daemon *d, const struct ike_dgram *dg,
		       const struct ike_hdr *req, uint16_t notify,
		       const uint8_t *data, size_t data_len)
{
	struct ike_buf b = { 0 };
	struct ike_hdr h = { 0 };

	memcpy(h.ispi, req->ispi, IKE_SPI_LEN);
	h.exchange = IKE_SA_INIT;
	h.flags = IKE_FLAG_RESPONSE;
	ike_msg_start(&b, &h);
	ike_put_notify(&b, &(struct ike_pl_notify){
		.type = notify, .data = { data, data_len } });
	if (!ike_msg_finish(&b))
		ike_send(d, &dg->local, &dg->remote, b.p, b.len);
	ike_buf_free(&b);
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

void ikesa_init_request(struct ike_daemon *d, const struct ike_dgram *dg,
			const struct ike_msg *m)
{
	const struct ike_conn *conn = conn_for(d, dg);
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
			ikesa_proposals_text(conn->proposals.v, conn->proposals.n, a,
				       sizeof(a)),
			ikesa_proposals_text(m->sa.prop, m->sa.n_prop, b, sizeof(b)));
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
	/* in a worker thread if there is one: ikesa_init_keyed() goes on */
	ikesa_init_kex(d, sa, &m->ke);
}

/* Responder: the key exchange is done (initkex.c), or failed (why). */
void ikesa_init_keyed(struct ike_daemon *d, struct ikesa *sa,
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
	    !ike_msg_has(m, IKE_PL_TSR))
		return IKE_N_INVALID_SYNTAX;
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
			 a, ikesa_proposals_text(c->esp.v, c->esp.n, b, 512),
			 ikesa_proposals_text(m->sa.prop, m->sa.n_prop, b + 512,
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
		   ikesa_find_notify(m, IKE_N_USE_TRANSPORT_MODE) ?
		   KIPSEC_MODE_TRANSPORT : KIPSEC_MODE_TUNNEL;
	snprintf(cs->name, sizeof(cs->name), "%s", c->name);
	return 0;
}

/*
 * Responder: the CHILD_SA asked for in IKE_AUTH, chosen and in the
 * kernel (KEYMAT from the IKE_SA_INIT nonces); 0 or the notify refusing.
 */
static uint16_t auth_child(struct ike_daemon *d, struct ikesa *sa,
			   const struct ike_msg *m, struct ikesa_child **slot,
			   char *why, size_t size)
{
	struct ike_kdf_in in = {
		.ni = sa->ni, .ni_len = sa->ni_len,
		.nr = sa->nr, .nr_len = sa->nr_len,
	};
	const struct ike_child *cfg = NULL;
	struct ikesa_child *ch;
	struct child_sa cs = { 0 };
	uint16_t err;

	err = ikesa_child_choose(d, sa, m, false, &cfg, &cs, why, size);
	if (err)
		return err;
	ch = ikesa_child_add(sa, cfg);
	if (!ch) {
		snprintf(why, size, "out of memory");
		return IKE_N_NO_ADDITIONAL_SAS;
	}
	sa->child_cfg = cfg;
	ch->cur = cs;
	if (ikesa_child_alloc_spi(d, sa, &ch->cur)) {
		snprintf(why, size, "the kernel refused an SPI: %s",
			 d->kernel.err);
		err = IKE_N_NO_ADDITIONAL_SAS;
	} else if (ikesa_child_install(d, sa, ch, &in, why, size)) {
		err = IKE_N_NO_ADDITIONAL_SAS;
	}
	if (err) {
		ikesa_child_close(d, sa, ch);
		return err;
	}
	*slot = ch;
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

static void auth_refuse(struct ike_daemon *d, struct ikesa *sa,
			const char *why)
{
	struct ike_buf inner = { 0 };
	char from[80];

	ikesa_note(d, sa->conn_name, "IKE_AUTH from %s: we refused (AUTHENTICATION_FAILED): %s",
		   ss_format(&sa->remote, from, sizeof(from)), why);
	ike_put_notify(&inner, &(struct ike_pl_notify){
		.type = IKE_N_AUTHENTICATION_FAILED });
	ikesa_send_encrypted(d, sa, IKE_AUTH, true, &inner);
	ikesa_set_state(d, sa, IKESA_DEAD);
}

void ikesa_auth_request(struct ike_daemon *d, struct ikesa *sa,
			const struct ike_dgram *dg, const struct ike_msg *m)
{
	char peer[IKE_DN_MAX], why[2048], name[32];
	struct ike_buf inner = { 0 };
	struct ikesa_child *ch;
	uint16_t child_err;

	(void)dg;
	if (sa->state != IKESA_HALF_OPEN || !ike_msg_has(m, IKE_PL_IDI) ||
	    !ike_msg_has(m, IKE_PL_AUTH)) {
		ike_put_notify(&inner, &(struct ike_pl_notify){
			.type = IKE_N_INVALID_SYNTAX });
		ikesa_send_encrypted(d, sa, IKE_AUTH, true, &inner);
		ikesa_set_state(d, sa, IKESA_DEAD);
		return;
	}
	if (ikesa_check_auth(d, sa, m, peer, sizeof(peer), why, sizeof(why))) {
		auth_refuse(d, sa, why);
		return;
	}
	snprintf(sa->peer_id, sizeof(sa->peer_id), "%s", peer);
	if (ikesa_put_auth(d, sa, peer, &inner, why, sizeof(why))) {
		ike_buf_free(&inner);
		ike_log("%s: IKE_AUTH: cannot authenticate ourselves: %s",
			sa->conn_name, why);
		auth_refuse(d, sa, why);
		return;
	}
	ikesa_established(d, sa);
	ikesa_note_ok(d, sa->conn_name);
	child_err = auth_child(d, sa, m, &ch, why, sizeof(why));
	if (child_err) {
		ikesa_note(d, sa->conn_name, "IKE SA established with %s; we refused its CHILD_SA (%s): %s",
			   peer,
			notify_name(child_err, name, sizeof(name)), why);
		ike_put_notify(&inner, &(struct ike_pl_notify){ .type = child_err });
		ikesa_send_encrypted(d, sa, IKE_AUTH, true, &inner);
		return;
	}
	ikesa_put_child_answer(&inner, &ch->cur);
	ikesa_send_encrypted(d, sa, IKE_AUTH, true, &inner);
	ike_log("%s: IKE SA and CHILD_SA %s established with %s (responder)",
		sa->conn_name, ch->cur.name, peer);
}

/* Initiator: the responder's IKE_AUTH answer. */
void ikesa_auth_response(struct ike_daemon *d, struct ikesa *sa,
			 const struct ike_dgram *dg, const struct ike_msg *m)
{
	const struct ike_pl_notify *err = ikesa_error_notify(m);
	char peer[IKE_DN_MAX], ours[IKE_DN_MAX], why[2048], name[32];
	struct ikesa_child *ch;

	(void)dg;
	if (sa->state != IKESA_AUTH_SENT)
		return;
	ikesa_local_id_text(sa, ours, sizeof(ours));
	if (err && err->type == IKE_N_AUTHENTICATION_FAILED) {
		if (sa->conn->local.auth == IKE_CONF_AUTH_PSK)
			ikesa_fail(d, sa, "IKE_AUTH: the peer refused our authentication (AUTHENTICATION_FAILED): it could not verify our AUTH with the PSK it has for id '%s', or does not expect that id: the pre-shared keys most likely differ",
				   ours);
		else
			ikesa_fail(d, sa, "IKE_AUTH: the peer refused our authentication (AUTHENTICATION_FAILED): it does not trust our certificate (its cacerts), does not accept our id '%s', or cannot verify our signature",
				   ours);
		return;
	}
	if (!ike_msg_has(m, IKE_PL_IDR) || !ike_msg_has(m, IKE_PL_AUTH)) {
		ikesa_fail(d, sa, "IKE_AUTH: the peer refused (%s)",
			   err ? notify_name(err->type, name, sizeof(name)) :
				 "no identity or AUTH in its answer");
		return;
	}
	if (ikesa_check_auth(d, sa, m, peer, sizeof(peer), why, sizeof(why))) {
		ikesa_fail(d, sa, "IKE_AUTH: %s", why);
		return;
	}
	snprintf(sa->peer_id, sizeof(sa->peer_id), "%s", peer);
	ikesa_established(d, sa);
	ike_log("%s: IKE SA established with %s", sa->conn_name, peer);
	ch = sa->children;
	if (!ch) {
		ikesa_note_ok(d, sa->conn_name);
		ikesa_children_pump(d, sa);
		return;
	}
	if (child_answer(d, sa, ch, m)) {
		/* the IKE SA stays, as charon's */
		ikesa_child_close(d, sa, ch);	/* the reserved SPI */
		sa->waiter_failed = true;
		ikesa_children_pump(d, sa);
		return;
	}
	ikesa_note_ok(d, sa->conn_name);
	ike_log("%s: CHILD_SA %s established, SPIs 0x%08x in, 0x%08x out",
		sa->conn_name, ch->cur.name, ch->cur.spi_in, ch->cur.spi_out);
	if (ikesa_first_ke(ch->cfg->esp.v, ch->cfg->esp.n)) {
		/*
		 * IKE_AUTH carries no key exchange (section 1.2): only a
		 * rekey shows whether the peer does PFS the way we do. Do
		 * it now rather than find out at the first rekey.
		 */
		sa->pfs_probe = true;
		ikesa_rekey_child(d, sa, ch);
		return;
	}
	ike_waiter_say(sa->waiter, "IKE SA %s and CHILD_SA %s established",
		       sa->conn_name, ch->cur.name);
	ikesa_children_pump(d, sa);
}
