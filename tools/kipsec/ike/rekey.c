// SPDX-License-Identifier: GPL-2.0
/*
 * CREATE_CHILD_SA (RFC 7296 sections 1.3, 2.8, 2.17, 2.18): rekeying the
 * CHILD_SA, with PFS when its proposals name a key exchange method, and
 * rekeying the IKE SA, as initiator and as responder.
 *
 * Make-before-break: the rekey initiator installs both new SAs when the
 * answer comes, then deletes the old pair; the responder installs its new
 * inbound SA at once but its new outbound SA only when that Delete comes
 * (or after a grace period), so that it never sends on an SA the other
 * end cannot receive yet. No packet is lost either way.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kipsec.h>
#include <openssl/crypto.h>

#include "conf.h"
#include "ikesa_int.h"
#include "proposal.h"

#define REKEY_RETRY_MS		5000
#define OLD_OUT_GRACE_MS	10000

static uint16_t first_ke(const struct ike_proposal *v, size_t n)
{
	size_t i, t;

	for (i = 0; i < n; i++)
		for (t = 0; t < v[i].n_tr; t++)
			if (v[i].tr[t].type == IKE_TR_KE && v[i].tr[t].id)
				return v[i].tr[t].id;
	return 0;
}

static uint16_t ke_of(const struct ike_proposal *p)
{
	return first_ke(p, 1);
}

static bool offers_ke(const struct ike_proposal *v, size_t n, uint16_t g)
{
	size_t i, t;

	for (i = 0; i < n; i++)
		for (t = 0; t < v[i].n_tr; t++)
			if (v[i].tr[t].type == IKE_TR_KE && v[i].tr[t].id == g)
				return true;
	return false;
}

static const char *ke_name(uint16_t g)
{
	const char *n = ike_transform_name(IKE_TR_KE, g);

	return n ? n : "?";
}

/* Our KE payload for group g into pub; the key stays in *kex. */
static int put_ke(struct ike_buf *b, struct ike_kex **kex, uint16_t g)
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

static void rekey_reset(struct ike_daemon *d, struct ikesa *sa)
{
	ikesa_child_del_sas(d, sa, &sa->rekey);
	memset(&sa->rekey, 0, sizeof(sa->rekey));
	ike_kex_free(sa->rk_kex);
	sa->rk_kex = NULL;
	sa->rk_kind = IKESA_RK_NONE;
}

/* The successor of the CHILD_SA: same name, mode, selectors and reqid. */
static void successor_of(const struct child_sa *c, struct child_sa *next)
{
	memset(next, 0, sizeof(*next));
	memcpy(next->name, c->name, sizeof(next->name));
	next->mode = c->mode;
	next->reqid = c->reqid;
	next->n_l = c->n_l;
	next->n_r = c->n_r;
	memcpy(next->ts_l, c->ts_l, sizeof(c->ts_l));
	memcpy(next->ts_r, c->ts_r, sizeof(c->ts_r));
}

/* The new pair takes over: policies move, the old pair waits to go. */
static void take_over(struct ikesa *sa)
{
	sa->old = sa->child;
	sa->child = sa->rekey;
	sa->child.n_pol = sa->old.n_pol;
	memcpy(sa->child.policy_ids, sa->old.policy_ids,
	       sizeof(sa->old.policy_ids));
	sa->old.n_pol = 0;
	memset(&sa->rekey, 0, sizeof(sa->rekey));
}

static void end_probe(struct ikesa *sa, int status)
{
	if (!sa->pfs_probe)
		return;
	sa->pfs_probe = false;
	ike_waiter_done(sa->waiter, status);
	sa->waiter = NULL;
}

/* ---- rekeying the CHILD_SA, as initiator ---- */

static void retry_later(struct ikesa *sa)
{
	sa->rekey_retry_at = ike_now_ms() + REKEY_RETRY_MS;
}

void ikesa_rekey_child(struct ike_daemon *d, struct ikesa *sa)
{
	static struct ike_proposal offer[IKE_MAX_PROPOSALS];
	const struct ike_child *c = sa->child_cfg;
	struct ike_buf inner = { 0 };
	uint32_t spi_be;
	size_t n;

	if (sa->state != IKESA_ESTABLISHED || !c || !sa->child.installed ||
	    sa->rk_kind || sa->old.spi_in)
		return;		/* nothing to rekey, or rekeying it already */
	if (sa->req.buf) {
		retry_later(sa);	/* one exchange at a time */
		return;
	}
	successor_of(&sa->child, &sa->rekey);
	if (ikesa_child_alloc_spi(d, sa, &sa->rekey) ||
	    ike_nonce_new(sa->rk_ni)) {
		ike_log("%s: cannot rekey CHILD_SA %s: %s", sa->conn_name,
			sa->child.name, d->kernel.err);
		rekey_reset(d, sa);
		retry_later(sa);
		return;
	}
	sa->rk_ni_len = IKE_NONCE_LEN;
	if (!sa->rk_group || !offers_ke(c->esp.v, c->esp.n, sa->rk_group))
		sa->rk_group = first_ke(c->esp.v, c->esp.n);
	spi_be = htonl(sa->child.spi_in);
	ike_put_notify(&inner, &(struct ike_pl_notify){
		.proto = IKE_PROTO_ESP, .type = IKE_N_REKEY_SA,
		.spi = { (const uint8_t *)&spi_be, 4 } });
	if (sa->child.mode == KIPSEC_MODE_TRANSPORT)
		ike_put_notify(&inner, &(struct ike_pl_notify){
			.type = IKE_N_USE_TRANSPORT_MODE });
	n = ikesa_child_offer(c, sa->rekey.spi_in, true, offer,
			      IKE_MAX_PROPOSALS);
	ike_put_sa(&inner, offer, n);
	ike_put_nonce(&inner, &(struct ike_bytes){ sa->rk_ni, sa->rk_ni_len });
	if (sa->rk_group && put_ke(&inner, &sa->rk_kex, sa->rk_group)) {
		ike_buf_free(&inner);
		rekey_reset(d, sa);
		return;
	}
	ike_put_ts(&inner, IKE_PL_TSI, sa->child.ts_l, sa->child.n_l);
	ike_put_ts(&inner, IKE_PL_TSR, sa->child.ts_r, sa->child.n_r);
	sa->rk_kind = IKESA_RK_CHILD;
	ike_debug(d, "%s: rekeying CHILD_SA %s%s", sa->conn_name,
		  sa->child.name, sa->rk_group ? " with PFS" : "");
	ikesa_send_encrypted(d, sa, IKE_CREATE_CHILD_SA, false, &inner);
}

/* g^ir of a CREATE_CHILD_SA: 0 bytes without a key exchange. */
static ssize_t shared_secret(struct ike_kex *kex, uint16_t group,
			     const struct ike_msg *m, uint8_t *gir)
{
	if (!group)
		return 0;
	if (!ike_msg_has(m, IKE_PL_KE) || m->ke.group != group || !kex)
		return -1;
	return ike_kex_shared(kex, m->ke.data.p, m->ke.data.len, gir,
			      IKE_KE_MAX);
}

static void child_refused(struct ike_daemon *d, struct ikesa *sa,
			  const struct ike_pl_notify *err)
{
	static struct ike_proposal offer[IKE_MAX_PROPOSALS];
	const struct ike_child *c = sa->child_cfg;
	char ours[1024], name[32];
	uint16_t want;
	size_t n;

	if (err->type == IKE_N_INVALID_KE_PAYLOAD && err->data.len == 2) {
		want = err->data.p[0] << 8 | err->data.p[1];
		if (want != sa->rk_group &&
		    offers_ke(c->esp.v, c->esp.n, want)) {
			rekey_reset(d, sa);
			sa->rk_group = want;
			ikesa_rekey_child(d, sa);
			return;
		}
	}
	if (err->type == IKE_N_TEMPORARY_FAILURE) {
		rekey_reset(d, sa);
		retry_later(sa);
		return;
	}
	n = ikesa_child_offer(c, 0, true, offer, IKE_MAX_PROPOSALS);
	ikesa_proposals_text(offer, n, ours, sizeof(ours));
	snprintf(name, sizeof(name), "%s", ike_notify_name(err->type) ?: "?");
	if (sa->rk_group)
		ike_log("%s: CREATE_CHILD_SA: the peer refused to rekey CHILD_SA %s (%s). We offered ESP %s with key exchange %s for PFS; the peer accepts none: the key exchange method (PFS) differs, the peer most likely has no PFS group, or another one, in its esp_proposals",
			sa->conn_name, sa->child.name, name, ours,
			ke_name(sa->rk_group));
	else
		ike_log("%s: CREATE_CHILD_SA: the peer refused to rekey CHILD_SA %s (%s). We offered ESP %s without PFS; the peer accepts none: it most likely requires PFS",
			sa->conn_name, sa->child.name, name, ours);
	rekey_reset(d, sa);
	if (sa->pfs_probe) {
		ikesa_fail(d, sa, "CHILD_SA %s: PFS mismatch: the peer refused a rekey with key exchange %s (%s): compare the key exchange methods in both sides' esp_proposals",
			   sa->child.name, ke_name(sa->rk_group), name);
		/* the IKE SA and its CHILD_SA stay usable until they expire */
		sa->state = IKESA_ESTABLISHED;
		end_probe(sa, 1);
	}
}

static void child_rekey_response(struct ike_daemon *d, struct ikesa *sa,
				 const struct ike_msg *m)
{
	static struct ike_proposal offer[IKE_MAX_PROPOSALS];
	const struct ike_pl_notify *err = ikesa_error_notify(m);
	const struct ike_child *c = sa->child_cfg;
	struct ike_mismatch mm;
	uint8_t gir[IKE_KE_MAX];
	struct ike_kdf_in in;
	char why[512];
	ssize_t glen;
	size_t n;

	if (err) {
		child_refused(d, sa, err);
		return;
	}
	n = ikesa_child_offer(c, sa->rekey.spi_in, true, offer,
			      IKE_MAX_PROPOSALS);
	if (!ike_msg_has(m, IKE_PL_SA) || m->sa.n_prop != 1 ||
	    !ike_msg_has(m, IKE_PL_NONCE) || m->sa.prop[0].spi_len != 4 ||
	    ike_proposal_select(offer, n, m->sa.prop, 1, 0, &sa->rekey.prop,
				&mm)) {
		ike_log("%s: CREATE_CHILD_SA: the peer's answer is not one we offered",
			sa->conn_name);
		rekey_reset(d, sa);
		return;
	}
	glen = shared_secret(sa->rk_kex, ke_of(&sa->rekey.prop), m, gir);
	if (glen < 0) {
		ike_log("%s: CREATE_CHILD_SA: the peer's key exchange is missing or invalid",
			sa->conn_name);
		rekey_reset(d, sa);
		return;
	}
	memcpy(&sa->rekey.spi_out, m->sa.prop[0].spi, 4);
	sa->rekey.spi_out = ntohl(sa->rekey.spi_out);
	sa->rekey.keys_of_initiator = true;
	in = (struct ike_kdf_in){
		.ni = sa->rk_ni, .ni_len = sa->rk_ni_len,
		.nr = m->nonce.p, .nr_len = m->nonce.len,
		.gir = glen ? gir : NULL, .gir_len = glen,
	};
	if (ikesa_child_add_sas(d, sa, &sa->rekey, &in, true, why,
				sizeof(why))) {
		OPENSSL_cleanse(gir, sizeof(gir));
		ike_log("%s: CHILD_SA %s rekeyed, but the kernel refused the new SAs: %s",
			sa->conn_name, sa->child.name, why);
		rekey_reset(d, sa);
		return;
	}
	OPENSSL_cleanse(gir, sizeof(gir));
	ike_kex_free(sa->rk_kex);
	sa->rk_kex = NULL;
	take_over(sa);
	ike_log("%s: CHILD_SA %s rekeyed%s, SPIs 0x%08x in, 0x%08x out",
		sa->conn_name, sa->child.name, glen ? " with PFS" : "",
		sa->child.spi_in, sa->child.spi_out);
	if (sa->pfs_probe) {
		ike_waiter_say(sa->waiter, "IKE SA %s and CHILD_SA %s established; PFS (%s) confirmed by a rekey",
			       sa->conn_name, sa->child.name,
			       ke_name(sa->rk_group));
		end_probe(sa, 0);
	}
	/* the old pair goes: our inbound SPI names it to the peer */
	{
		struct ike_buf inner = { 0 };
		uint32_t spi_be = htonl(sa->old.spi_in);

		ike_put_delete(&inner, &(struct ike_pl_delete){
			.proto = IKE_PROTO_ESP, .spi_size = 4, .n_spi = 1,
			.spis = (const uint8_t *)&spi_be });
		sa->rk_kind = IKESA_RK_DELETE_OLD;
		ikesa_send_encrypted(d, sa, IKE_INFORMATIONAL, false, &inner);
	}
}

void ikesa_informational_response(struct ike_daemon *d, struct ikesa *sa)
{
	if (sa->rk_kind == IKESA_RK_DELETE_OLD) {
		ikesa_child_del_sas(d, sa, &sa->old);
		memset(&sa->old, 0, sizeof(sa->old));
		sa->rk_kind = IKESA_RK_NONE;
	}
	if (sa->state == IKESA_DELETING)
		sa->state = IKESA_DEAD;
}

/* ---- rekeying the CHILD_SA, as responder ---- */

static void answer_notify(struct ike_daemon *d, struct ikesa *sa,
			  uint16_t type, const uint8_t *data, size_t len)
{
	struct ike_buf inner = { 0 };

	ike_put_notify(&inner, &(struct ike_pl_notify){
		.type = type, .data = { data, len } });
	ikesa_send_encrypted(d, sa, IKE_CREATE_CHILD_SA, true, &inner);
}

static void refuse_ke(struct ike_daemon *d, struct ikesa *sa, uint16_t g)
{
	uint8_t be[2] = { g >> 8, g & 0xff };

	answer_notify(d, sa, IKE_N_INVALID_KE_PAYLOAD, be, 2);
}

static void child_rekey_request(struct ike_daemon *d, struct ikesa *sa,
				const struct ike_msg *m,
				const struct ike_pl_notify *rekey)
{
	const struct ike_child *c = sa->child_cfg;
	char a[1024], b[1024], why[512];
	struct ike_buf inner = { 0 };
	struct ike_proposal reply;
	struct ike_mismatch mm;
	uint8_t gir[IKE_KE_MAX], nr[IKE_NONCE_LEN], pub[IKE_KE_MAX];
	struct ike_kex *kex = NULL;
	struct ike_kdf_in in;
	uint32_t spi, be;
	ssize_t glen = 0, publen = 0;
	uint16_t g;

	if (rekey->spi.len != 4) {
		answer_notify(d, sa, IKE_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	memcpy(&spi, rekey->spi.p, 4);
	if (!c || !sa->child.installed || ntohl(spi) != sa->child.spi_out) {
		answer_notify(d, sa, IKE_N_CHILD_SA_NOT_FOUND, NULL, 0);
		return;
	}
	if (sa->rk_kind == IKESA_RK_CHILD || sa->old.spi_in) {
		/* section 2.25: we are rekeying it ourselves */
		answer_notify(d, sa, IKE_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	if (!ike_msg_has(m, IKE_PL_SA) || !ike_msg_has(m, IKE_PL_NONCE)) {
		answer_notify(d, sa, IKE_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	successor_of(&sa->child, &sa->rekey);
	if (ike_proposal_select(c->esp.v, c->esp.n, m->sa.prop, m->sa.n_prop,
				0, &sa->rekey.prop, &mm) ||
	    sa->rekey.prop.spi_len != 4) {
		ike_mismatch_format(&mm, c->esp.v, c->esp.n, m->sa.prop,
				    m->sa.n_prop, why, sizeof(why));
		ikesa_note(d, sa->conn_name, "CREATE_CHILD_SA: we refused to rekey CHILD_SA %s (NO_PROPOSAL_CHOSEN): the %s. We accept %s; the peer offered %s",
			   sa->child.name, why,
			ikesa_proposals_text(c->esp.v, c->esp.n, a, sizeof(a)),
			ikesa_proposals_text(m->sa.prop, m->sa.n_prop, b,
					     sizeof(b)));
		memset(&sa->rekey, 0, sizeof(sa->rekey));
		answer_notify(d, sa, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	g = ke_of(&sa->rekey.prop);
	if (g && (!ike_msg_has(m, IKE_PL_KE) || m->ke.group != g)) {
		memset(&sa->rekey, 0, sizeof(sa->rekey));
		refuse_ke(d, sa, g);
		return;
	}
	if (ikesa_child_alloc_spi(d, sa, &sa->rekey) || ike_nonce_new(nr))
		goto fail;
	if (g) {
		kex = ike_kex_new(g);
		publen = kex ? ike_kex_public(kex, pub, sizeof(pub)) : -1;
		glen = publen < 0 ? -1 : shared_secret(kex, g, m, gir);
		ike_kex_free(kex);
		if (glen < 0)
			goto fail;
	}
	memcpy(&sa->rekey.spi_out, sa->rekey.prop.spi, 4);
	sa->rekey.spi_out = ntohl(sa->rekey.spi_out);
	sa->rekey.keys_of_initiator = false;
	in = (struct ike_kdf_in){
		.ni = m->nonce.p, .ni_len = m->nonce.len,
		.nr = nr, .nr_len = sizeof(nr),
		.gir = glen ? gir : NULL, .gir_len = glen,
	};
	if (ikesa_child_add_sas(d, sa, &sa->rekey, &in, false, why,
				sizeof(why))) {
		ike_log("%s: CHILD_SA %s: the kernel refused the rekeyed SAs: %s",
			sa->conn_name, sa->child.name, why);
		goto fail;
	}
	OPENSSL_cleanse(gir, sizeof(gir));
	reply = sa->rekey.prop;
	be = htonl(sa->rekey.spi_in);
	memcpy(reply.spi, &be, 4);
	if (sa->child.mode == KIPSEC_MODE_TRANSPORT)
		ike_put_notify(&inner, &(struct ike_pl_notify){
			.type = IKE_N_USE_TRANSPORT_MODE });
	ike_put_sa(&inner, &reply, 1);
	ike_put_nonce(&inner, &(struct ike_bytes){ nr, sizeof(nr) });
	if (g)
		ike_put_ke(&inner, &(struct ike_pl_ke){ g, { pub, publen } });
	ike_put_ts(&inner, IKE_PL_TSI, sa->child.ts_r, sa->child.n_r);
	ike_put_ts(&inner, IKE_PL_TSR, sa->child.ts_l, sa->child.n_l);
	take_over(sa);
	sa->old_out_deadline = ike_now_ms() + OLD_OUT_GRACE_MS;
	ike_log("%s: CHILD_SA %s rekeyed by the peer%s, SPIs 0x%08x in, 0x%08x out",
		sa->conn_name, sa->child.name, g ? " with PFS" : "",
		sa->child.spi_in, sa->child.spi_out);
	ikesa_send_encrypted(d, sa, IKE_CREATE_CHILD_SA, true, &inner);
	return;
fail:
	OPENSSL_cleanse(gir, sizeof(gir));
	ikesa_child_del_sas(d, sa, &sa->rekey);
	memset(&sa->rekey, 0, sizeof(sa->rekey));
	answer_notify(d, sa, IKE_N_NO_ADDITIONAL_SAS, NULL, 0);
}

/* ---- rekeying the IKE SA (section 2.18) ---- */

/* Our IKE proposals, each with the new IKE SA's SPI. */
static size_t ike_offer(const struct ikesa *sa, const uint8_t *spi,
			struct ike_proposal *out, size_t max)
{
	size_t i, n = sa->conn->proposals.n < max ? sa->conn->proposals.n : max;

	for (i = 0; i < n; i++) {
		out[i] = sa->conn->proposals.v[i];
		out[i].spi_len = IKE_SPI_LEN;
		memcpy(out[i].spi, spi, IKE_SPI_LEN);
	}
	return n;
}

/*
 * The new IKE SA: the old one's connection, addresses and CHILD_SA; the
 * initiator of the rekey is its initiator. The old SA is left without a
 * CHILD_SA, to be deleted.
 */
static struct ikesa *successor_sa(struct ike_daemon *d, struct ikesa *old,
				  bool initiator, const uint8_t *spi_i,
				  const uint8_t *spi_r,
				  const struct ike_proposal *prop,
				  const uint8_t *ni, size_t ni_len,
				  const uint8_t *nr, size_t nr_len,
				  const uint8_t *gir, size_t gir_len)
{
	struct ikesa *sa = ikesa_new(d, old->conn, initiator);
	char why[160];

	if (!sa)
		return NULL;
	memcpy(sa->spi_i, spi_i, IKE_SPI_LEN);
	memcpy(sa->spi_r, spi_r, IKE_SPI_LEN);
	sa->prop = *prop;
	sa->prop.spi_len = 0;
	sa->ni_len = ni_len;
	memcpy(sa->ni, ni, ni_len);
	sa->nr_len = nr_len;
	memcpy(sa->nr, nr, nr_len);
	if (ikesa_derive_keys(sa, gir, gir_len, old->prf, old->keys.sk_d, why,
			      sizeof(why))) {
		ike_log("%s: IKE SA rekey: %s", old->conn_name, why);
		sa->state = IKESA_DEAD;
		return NULL;
	}
	ikesa_keylog(d, sa);
	sa->child_cfg = old->child_cfg;
	sa->local = old->local;
	sa->remote = old->remote;
	sa->nat_here = old->nat_here;
	sa->nat_there = old->nat_there;
	memcpy(sa->peer_id, old->peer_id, sizeof(sa->peer_id));
	sa->child = old->child;
	sa->old = old->old;
	memset(&old->child, 0, sizeof(old->child));
	memset(&old->old, 0, sizeof(old->old));
	sa->created_at = ike_now_ms();
	ikesa_established(sa);
	return sa;
}

void ikesa_rekey_ike(struct ike_daemon *d, struct ikesa *sa)
{
	static struct ike_proposal offer[IKE_MAX_PROPOSALS];
	struct ike_buf inner = { 0 };
	size_t n;

	if (sa->state != IKESA_ESTABLISHED)
		return;
	if (sa->req.buf || sa->rk_kind) {
		sa->rekey_ike_at = ike_now_ms() + REKEY_RETRY_MS;
		return;
	}
	if (ike_spi_new(sa->rk_spi) || ike_nonce_new(sa->rk_ni))
		return;
	sa->rk_ni_len = IKE_NONCE_LEN;
	if (!sa->rk_group ||
	    !offers_ke(sa->conn->proposals.v, sa->conn->proposals.n,
		       sa->rk_group))
		sa->rk_group = ke_of(&sa->prop);
	n = ike_offer(sa, sa->rk_spi, offer, IKE_MAX_PROPOSALS);
	ike_put_sa(&inner, offer, n);
	ike_put_nonce(&inner, &(struct ike_bytes){ sa->rk_ni, sa->rk_ni_len });
	if (put_ke(&inner, &sa->rk_kex, sa->rk_group)) {
		ike_buf_free(&inner);
		return;
	}
	sa->rk_kind = IKESA_RK_IKE;
	ike_debug(d, "%s: rekeying the IKE SA", sa->conn_name);
	ikesa_send_encrypted(d, sa, IKE_CREATE_CHILD_SA, false, &inner);
}

static void ike_rekey_response(struct ike_daemon *d, struct ikesa *sa,
			       const struct ike_msg *m)
{
	static struct ike_proposal offer[IKE_MAX_PROPOSALS];
	const struct ike_pl_notify *err = ikesa_error_notify(m);
	struct ike_proposal chosen;
	struct ike_mismatch mm;
	uint8_t gir[IKE_KE_MAX];
	struct ikesa *next;
	ssize_t glen;
	size_t n;

	sa->rk_kind = IKESA_RK_NONE;
	if (err && err->type == IKE_N_INVALID_KE_PAYLOAD &&
	    err->data.len == 2) {
		sa->rk_group = err->data.p[0] << 8 | err->data.p[1];
		ikesa_rekey_ike(d, sa);
		return;
	}
	n = ike_offer(sa, sa->rk_spi, offer, IKE_MAX_PROPOSALS);
	if (err || !ike_msg_has(m, IKE_PL_SA) || m->sa.n_prop != 1 ||
	    !ike_msg_has(m, IKE_PL_NONCE) ||
	    m->sa.prop[0].spi_len != IKE_SPI_LEN ||
	    ike_proposal_select(offer, n, m->sa.prop, 1, 0, &chosen, &mm)) {
		ike_log("%s: CREATE_CHILD_SA: the peer refused to rekey the IKE SA (%s)",
			sa->conn_name, err ? ike_notify_name(err->type) ?: "?" :
					     "an answer we did not offer");
		sa->rekey_ike_at = ike_now_ms() + REKEY_RETRY_MS * 12;
		return;
	}
	glen = shared_secret(sa->rk_kex, ke_of(&chosen), m, gir);
	ike_kex_free(sa->rk_kex);
	sa->rk_kex = NULL;
	if (glen <= 0)
		return;
	next = successor_sa(d, sa, true, sa->rk_spi, m->sa.prop[0].spi,
			    &chosen, sa->rk_ni, sa->rk_ni_len, m->nonce.p,
			    m->nonce.len, gir, glen);
	OPENSSL_cleanse(gir, sizeof(gir));
	if (!next)
		return;
	ike_log("%s: IKE SA rekeyed (%s)", sa->conn_name,
		ike_proposal_format(&next->prop, (char[512]){ 0 }, 512));
	ikesa_delete(d, sa);
}

static void ike_rekey_request(struct ike_daemon *d, struct ikesa *sa,
			      const struct ike_msg *m)
{
	struct ike_buf inner = { 0 };
	struct ike_proposal chosen;
	struct ike_mismatch mm;
	uint8_t spi_r[IKE_SPI_LEN], nr[IKE_NONCE_LEN], pub[IKE_KE_MAX];
	uint8_t gir[IKE_KE_MAX];
	char why[512];
	struct ike_kex *kex;
	struct ikesa *next;
	ssize_t publen, glen;
	uint16_t g;

	if (sa->rk_kind == IKESA_RK_IKE) {
		answer_notify(d, sa, IKE_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	if (ike_proposal_select(sa->conn->proposals.v, sa->conn->proposals.n,
				m->sa.prop, m->sa.n_prop, 0, &chosen, &mm) ||
	    chosen.spi_len != IKE_SPI_LEN || !ike_msg_has(m, IKE_PL_NONCE)) {
		ike_mismatch_format(&mm, sa->conn->proposals.v,
				    sa->conn->proposals.n, m->sa.prop,
				    m->sa.n_prop, why, sizeof(why));
		ikesa_note(d, sa->conn_name, "CREATE_CHILD_SA: we refused to rekey the IKE SA (NO_PROPOSAL_CHOSEN): the %s",
			   why);
		answer_notify(d, sa, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	g = ke_of(&chosen);
	if (!ike_msg_has(m, IKE_PL_KE) || m->ke.group != g) {
		refuse_ke(d, sa, g);
		return;
	}
	if (ike_spi_new(spi_r) || ike_nonce_new(nr))
		return;
	kex = ike_kex_new(g);
	publen = kex ? ike_kex_public(kex, pub, sizeof(pub)) : -1;
	glen = publen < 0 ? -1 : shared_secret(kex, g, m, gir);
	ike_kex_free(kex);
	if (glen <= 0) {
		answer_notify(d, sa, IKE_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	next = successor_sa(d, sa, false, chosen.spi, spi_r, &chosen,
			    m->nonce.p, m->nonce.len, nr, sizeof(nr), gir,
			    glen);
	OPENSSL_cleanse(gir, sizeof(gir));
	if (!next) {
		answer_notify(d, sa, IKE_N_NO_ADDITIONAL_SAS, NULL, 0);
		return;
	}
	memcpy(chosen.spi, spi_r, IKE_SPI_LEN);
	ike_put_sa(&inner, &chosen, 1);
	ike_put_nonce(&inner, &(struct ike_bytes){ nr, sizeof(nr) });
	ike_put_ke(&inner, &(struct ike_pl_ke){ g, { pub, publen } });
	ike_log("%s: IKE SA rekeyed by the peer", sa->conn_name);
	ikesa_send_encrypted(d, sa, IKE_CREATE_CHILD_SA, true, &inner);
	/* the old SA waits for the peer's Delete */
}

/* ---- dispatch ---- */

void ikesa_create_child_request(struct ike_daemon *d, struct ikesa *sa,
				const struct ike_msg *m)
{
	const struct ike_pl_notify *rekey;

	if (sa->state != IKESA_ESTABLISHED) {
		answer_notify(d, sa, IKE_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	if (ike_msg_has(m, IKE_PL_SA) && m->sa.n_prop &&
	    m->sa.prop[0].proto == IKE_PROTO_IKE) {
		ike_rekey_request(d, sa, m);
		return;
	}
	rekey = ikesa_find_notify(m, IKE_N_REKEY_SA);
	if (rekey) {
		child_rekey_request(d, sa, m, rekey);
		return;
	}
	ike_log("%s: the peer asked for an additional CHILD_SA, which we do not support yet (NO_ADDITIONAL_SAS)",
		sa->conn_name);
	answer_notify(d, sa, IKE_N_NO_ADDITIONAL_SAS, NULL, 0);
}

void ikesa_create_child_response(struct ike_daemon *d, struct ikesa *sa,
				 const struct ike_msg *m)
{
	if (sa->rk_kind == IKESA_RK_CHILD)
		child_rekey_response(d, sa, m);
	else if (sa->rk_kind == IKESA_RK_IKE)
		ike_rekey_response(d, sa, m);
}

/* The deferred steps: a responder's new outbound SA, retries, IKE rekey. */
void ikesa_rekey_timers(struct ike_daemon *d, struct ikesa *sa, uint64_t now)
{
	if (sa->old_out_deadline && sa->old_out_deadline <= now) {
		sa->old_out_deadline = 0;
		if (sa->old.spi_in) {
			/* the peer never deleted the old pair: go on anyway */
			ikesa_child_add_out(d, &sa->child);
			ikesa_child_del_sas(d, sa, &sa->old);
			memset(&sa->old, 0, sizeof(sa->old));
		}
	}
	if (sa->rekey_retry_at && sa->rekey_retry_at <= now) {
		sa->rekey_retry_at = 0;
		ikesa_rekey_child(d, sa);
	}
	if (sa->rekey_ike_at && sa->rekey_ike_at <= now) {
		sa->rekey_ike_at = 0;
		ikesa_rekey_ike(d, sa);
	}
}
