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
#include "sakeys.h"

#define REKEY_RETRY_MS		5000
#define OLD_OUT_GRACE_MS	10000

static void retry_later(struct ikesa_child *ch)
{
	ch->rekey_retry_at = ike_now_ms() + REKEY_RETRY_MS;
}

/* Our CREATE_CHILD_SA is over: what it reserved goes unless kept. */
static void rekey_reset(struct ike_daemon *d, struct ikesa *sa)
{
	if (sa->request.child && sa->request.kind == IKESA_RQ_CHILD)
		ikesa_child_sa_free(d, sa, &sa->request.child->rekey);
	ike_kex_free(sa->request.kex);
	sa->request.kex = NULL;
	ikesa_request_end(sa);
}

/* An INFORMATIONAL request deleting the CHILD_SA whose inbound SPI is spi. */
void ikesa_child_send_delete(struct ike_daemon *d, struct ikesa *sa,
			     struct ikesa_child *ch, uint32_t spi)
{
	struct ike_buf inner = { 0 };

	ikesa_put_esp_delete(&inner, spi);
	ikesa_request_begin(sa, IKESA_RQ_DELETE, ch);
	sa->request.del_spi = spi;
	ikesa_send_encrypted(d, sa, IKE_INFORMATIONAL, false, &inner);
}

static void end_probe(struct ike_daemon *d, struct ikesa *sa, bool failed)
{
	if (!sa->pfs_probe)
		return;
	sa->pfs_probe = false;
	sa->waiter_failed |= failed;
	ikesa_children_pump(d, sa);
}

/*
 * Section 2.8.1: of two exchanges that rekeyed the same CHILD_SA (or IKE
 * SA) at once, the one with the lowest of the four nonces made the
 * redundant SA. Each exchange is represented by the lower of its two
 * nonces; like strongSwan, nonces of different lengths compare by their
 * common prefix.
 */
static int nonce_cmp(const uint8_t *a, size_t a_len, const uint8_t *b,
		     size_t b_len)
{
	return memcmp(a, b, a_len < b_len ? a_len : b_len);
}

static void lower_nonce(const uint8_t *ni, size_t ni_len, const uint8_t *nr,
			size_t nr_len, uint8_t *out, size_t *out_len)
{
	bool i_lower = nonce_cmp(ni, ni_len, nr, nr_len) < 0;

	*out_len = i_lower ? ni_len : nr_len;
	memcpy(out, i_lower ? ni : nr, *out_len);
}

/* Did the exchange with nonces ni, nr lose against the other one? */
static bool collision_lost(const uint8_t *ni, size_t ni_len,
			   const uint8_t *nr, size_t nr_len,
			   const uint8_t *other, size_t other_len)
{
	uint8_t ours[IKE_NONCE_MAX];
	size_t len;

	lower_nonce(ni, ni_len, nr, nr_len, ours, &len);
	return nonce_cmp(ours, len, other, other_len) < 0;
}

/* ---- rekeying a CHILD_SA, as initiator ---- */

void ikesa_rekey_child(struct ike_daemon *d, struct ikesa *sa,
		       struct ikesa_child *ch)
{
	struct ike_proposal offer[IKE_MAX_PROPOSALS];
	const struct ike_child *c = ch->cfg;
	struct ike_buf inner = { 0 };
	uint32_t spi_be;
	size_t n;

	if (sa->state != IKESA_ESTABLISHED || !c || !ch->cur.installed ||
	    ch->rekey || ch->old || ch->theirs)
		return;		/* nothing to rekey, or rekeying it already */
	if (sa->req.buf || sa->request.kind) {
		retry_later(ch);	/* one exchange at a time */
		return;
	}
	ikesa_request_begin(sa, IKESA_RQ_CHILD, ch);
	ch->rekey = ikesa_child_successor(&ch->cur);
	if (!ch->rekey || ikesa_child_alloc_spi(d, sa, ch->rekey) ||
	    ike_nonce_new(sa->request.ni)) {
		ike_log("%s: cannot rekey CHILD_SA %s: %s", sa->conn_name,
			ch->cur.name, ch->rekey ? d->kernel.err :
						  "out of memory");
		rekey_reset(d, sa);
		retry_later(ch);
		return;
	}
	sa->request.ni_len = IKE_NONCE_LEN;
	if (!sa->request.group || !ikesa_offers_ke(c->esp.v, c->esp.n, sa->request.group))
		sa->request.group = ikesa_first_ke(c->esp.v, c->esp.n);
	spi_be = htonl(ch->cur.spi_in);
	ike_put_notify(&inner, &(struct ike_pl_notify){
		.proto = IKE_PROTO_ESP, .type = IKE_N_REKEY_SA,
		.spi = { (const uint8_t *)&spi_be, 4 } });
	if (ch->cur.mode == KIPSEC_MODE_TRANSPORT)
		ike_put_notify(&inner, &(struct ike_pl_notify){
			.type = IKE_N_USE_TRANSPORT_MODE });
	n = ikesa_child_offer(c, ch->rekey->spi_in, true, offer,
			      IKE_MAX_PROPOSALS);
	ike_put_sa(&inner, offer, n);
	ike_put_nonce(&inner, &(struct ike_bytes){ sa->request.ni, sa->request.ni_len });
	if (sa->request.group && ikesa_put_ke(&inner, &sa->request.kex, sa->request.group)) {
		ike_buf_free(&inner);
		rekey_reset(d, sa);
		return;
	}
	ike_put_ts(&inner, IKE_PL_TSI, ch->cur.ts_l, ch->cur.n_l);
	ike_put_ts(&inner, IKE_PL_TSR, ch->cur.ts_r, ch->cur.n_r);
	ike_debug(d, "%s: rekeying CHILD_SA %s%s", sa->conn_name,
		  ch->cur.name, sa->request.group ? " with PFS" : "");
	ikesa_send_encrypted(d, sa, IKE_CREATE_CHILD_SA, false, &inner);
}

static void child_refused(struct ike_daemon *d, struct ikesa *sa,
			  struct ikesa_child *ch,
			  const struct ike_pl_notify *err)
{
	struct ike_proposal offer[IKE_MAX_PROPOSALS];
	const struct ike_child *c = ch->cfg;
	char ours[1024], name[32];
	uint16_t want;
	size_t n;

	if (ch->theirs) {
		/* the peer did not count it as a collision: its rekey stands */
		rekey_reset(d, sa);
		ch->their_nonce_len = 0;
		ikesa_child_promote(ch, &ch->theirs);
		ch->old_out_deadline = ike_now_ms() + OLD_OUT_GRACE_MS;
		return;
	}
	if (err->type == IKE_N_INVALID_KE_PAYLOAD && err->data.len == 2) {
		want = err->data.p[0] << 8 | err->data.p[1];
		if (want != sa->request.group &&
		    ikesa_offers_ke(c->esp.v, c->esp.n, want)) {
			rekey_reset(d, sa);
			sa->request.group = want;
			ikesa_rekey_child(d, sa, ch);
			return;
		}
	}
	if (err->type == IKE_N_TEMPORARY_FAILURE) {
		/* the peer is busy with it, or rekeyed it already (2.25) */
		ike_debug(d, "%s: CHILD_SA %s: the peer answered our rekey with TEMPORARY_FAILURE",
			  sa->conn_name, ch->cur.name);
		rekey_reset(d, sa);
		if (!ch->old)
			retry_later(ch);
		return;
	}
	n = ikesa_child_offer(c, 0, true, offer, IKE_MAX_PROPOSALS);
	ike_proposals_format(offer, n, ours, sizeof(ours));
	snprintf(name, sizeof(name), "%s", ike_notify_name(err->type) ?: "?");
	if (sa->request.group)
		ike_log("%s: CREATE_CHILD_SA: the peer refused to rekey CHILD_SA %s (%s). We offered ESP %s with key exchange %s for PFS; the peer accepts none: the key exchange method (PFS) differs, the peer most likely has no PFS group, or another one, in its esp_proposals",
			sa->conn_name, ch->cur.name, name, ours,
			ikesa_ke_name(sa->request.group));
	else
		ike_log("%s: CREATE_CHILD_SA: the peer refused to rekey CHILD_SA %s (%s). We offered ESP %s without PFS; the peer accepts none: it most likely requires PFS",
			sa->conn_name, ch->cur.name, name, ours);
	rekey_reset(d, sa);
	if (sa->pfs_probe) {
		/* the IKE SA and its CHILD_SA stay usable until they expire */
		ikesa_report(d, sa, "CHILD_SA %s: PFS mismatch: the peer refused a rekey with key exchange %s (%s): compare the key exchange methods in both sides' esp_proposals",
			     ch->cur.name, ikesa_ke_name(sa->request.group), name);
		end_probe(d, sa, true);
	}
}

/*
 * Both ends rekeyed ch at once and ours is done too. The loser's new SA
 * goes (its creator deletes it), the winner deletes the old pair.
 */
static void resolve_collision(struct ike_daemon *d, struct ikesa *sa,
			      struct ikesa_child *ch, const struct ike_msg *m)
{
	bool lost = collision_lost(sa->request.ni, sa->request.ni_len, m->nonce.p,
				   m->nonce.len, ch->their_nonce,
				   ch->their_nonce_len);

	ch->their_nonce_len = 0;
	if (lost) {
		ike_log("%s: CHILD_SA %s: rekey collision lost (RFC 7296 2.8.1): deleting our redundant SAs 0x%08x in, 0x%08x out",
			sa->conn_name, ch->cur.name, ch->rekey->spi_in,
			ch->rekey->spi_out);
		if (ch->theirs) {
			/* the peer deletes the old pair, then we send on it */
			ikesa_child_promote(ch, &ch->theirs);
			ch->old_out_deadline = ike_now_ms() + OLD_OUT_GRACE_MS;
		}
		ikesa_child_send_delete(d, sa, ch, ch->rekey->spi_in);
		return;
	}
	ike_log("%s: CHILD_SA %s: rekey collision won (RFC 7296 2.8.1): deleting the old SAs; the peer deletes its redundant ones",
		sa->conn_name, ch->cur.name);
	ikesa_child_promote(ch, &ch->rekey);
	ikesa_child_send_delete(d, sa, ch, ch->old->spi_in);
}

static void child_rekey_response(struct ike_daemon *d, struct ikesa *sa,
				 const struct ike_msg *m)
{
	struct ike_proposal offer[IKE_MAX_PROPOSALS];
	const struct ike_pl_notify *err = ike_msg_error_notify(m);
	struct ikesa_child *ch = sa->request.child;
	struct child_sa *next = ch->rekey;
	struct ike_mismatch mm;
	uint8_t gir[IKE_KE_MAX];
	struct ike_child_keys keys;
	struct ike_kdf_in in;
	bool failed;
	char why[512];
	ssize_t glen;
	size_t n;

	if (err) {
		child_refused(d, sa, ch, err);
		return;
	}
	n = ikesa_child_offer(ch->cfg, next->spi_in, true, offer,
			      IKE_MAX_PROPOSALS);
	if (!ike_msg_has(m, IKE_PL_SA) || m->sa.n_prop != 1 ||
	    !ike_msg_has(m, IKE_PL_NONCE) || m->sa.prop[0].spi_len != 4 ||
	    ike_proposal_select(offer, n, m->sa.prop, 1, 0, &next->prop,
				&mm)) {
		ike_log("%s: CREATE_CHILD_SA: the peer's answer is not one we offered",
			sa->conn_name);
		rekey_reset(d, sa);
		return;
	}
	glen = ikesa_shared_secret(sa->request.kex, ikesa_ke_of(&next->prop), m, gir);
	if (glen < 0) {
		ike_log("%s: CREATE_CHILD_SA: the peer's key exchange is missing or invalid",
			sa->conn_name);
		rekey_reset(d, sa);
		return;
	}
	memcpy(&next->spi_out, m->sa.prop[0].spi, 4);
	next->spi_out = ntohl(next->spi_out);
	next->keys_of_initiator = true;
	in = (struct ike_kdf_in){
		.ni = sa->request.ni, .ni_len = sa->request.ni_len,
		.nr = m->nonce.p, .nr_len = m->nonce.len,
		.gir = glen ? gir : NULL, .gir_len = glen,
	};
	failed = ikesa_child_keys(sa, next, &in, &keys, why, sizeof(why)) ||
		 ikesa_child_add_sas(d, sa, ch->cfg, next, &keys, true, why,
				     sizeof(why));
	ike_child_keys_clear(&keys);
	if (failed) {
		OPENSSL_cleanse(gir, sizeof(gir));
		ike_log("%s: CHILD_SA %s rekeyed, but the kernel refused the new SAs: %s",
			sa->conn_name, ch->cur.name, why);
		rekey_reset(d, sa);
		return;
	}
	OPENSSL_cleanse(gir, sizeof(gir));
	ike_kex_free(sa->request.kex);
	sa->request.kex = NULL;
	ike_log("%s: CHILD_SA %s rekeyed%s, SPIs 0x%08x in, 0x%08x out",
		sa->conn_name, ch->cur.name, glen ? " with PFS" : "",
		next->spi_in, next->spi_out);
	if (sa->pfs_probe)
		ike_waiter_say(sa->waiter, "IKE SA %s and CHILD_SA %s established; PFS (%s) confirmed by a rekey",
			       sa->conn_name, ch->cur.name,
			       ikesa_ke_name(sa->request.group));
	if (ch->theirs || ch->their_nonce_len)
		resolve_collision(d, sa, ch, m);
	else {
		ikesa_child_promote(ch, &ch->rekey);
		ikesa_child_send_delete(d, sa, ch, ch->old->spi_in);
	}
	end_probe(d, sa, false);
}

/* The answer to our Delete: the SAs it named go. */
static void delete_response(struct ike_daemon *d, struct ikesa *sa)
{
	struct ikesa_child *ch;
	struct child_sa *c = ikesa_child_by_spi_in(sa, sa->request.del_spi, &ch);

	ikesa_request_end(sa);
	if (!c)
		return;
	if (c == &ch->cur) {
		ikesa_child_close(d, sa, ch);
		return;
	}
	ikesa_child_sa_free(d, sa, c == ch->rekey ? &ch->rekey :
				   c == ch->theirs ? &ch->theirs : &ch->old);
	ike_debug(d, "%s: CHILD_SA %s: SAs 0x%08x in deleted",
		  sa->conn_name, ch->cur.name, sa->request.del_spi);
}

void ikesa_informational_response(struct ike_daemon *d, struct ikesa *sa)
{
	if (sa->request.kind == IKESA_RQ_DELETE)
		delete_response(d, sa);
	if (sa->state == IKESA_DELETING)
		ikesa_set_state(d, sa, IKESA_DEAD);
	ikesa_children_pump(d, sa);
}

/* ---- rekeying a CHILD_SA, as responder ---- */

/* The CHILD_SA a REKEY_SA notify names (the peer's inbound SPI), or why not. */
static uint16_t rekey_target(struct ikesa *sa,
			     const struct ike_pl_notify *rekey,
			     struct ikesa_child **slot)
{
	struct ikesa_child *ch;
	uint32_t spi;

	if (rekey->spi.len != 4)
		return IKE_N_INVALID_SYNTAX;
	memcpy(&spi, rekey->spi.p, 4);
	spi = ntohl(spi);
	for (ch = sa->children; ch; ch = ch->next) {
		if (ch->old && ch->old->spi_out == spi)
			return IKE_N_TEMPORARY_FAILURE;	/* being deleted */
		if (!ch->cur.installed || ch->cur.spi_out != spi)
			continue;
		/*
		 * Section 2.25: we are deleting it, or a rekey of it is not
		 * over yet. A rekey of ours still in flight is a collision
		 * (2.8.1): answered as usual, the nonces decide later.
		 */
		if (ch->old || ch->theirs ||
		    (sa->request.child == ch && sa->request.kind == IKESA_RQ_DELETE))
			return IKE_N_TEMPORARY_FAILURE;
		*slot = ch;
		return 0;
	}
	return IKE_N_CHILD_SA_NOT_FOUND;
}

static void child_rekey_request(struct ike_daemon *d, struct ikesa *sa,
				const struct ike_msg *m,
				const struct ike_pl_notify *rekey)
{
	struct ikesa_child *ch = NULL;
	const struct ike_child *c;
	char a[1024], b[1024], why[512];
	struct ike_buf inner = { 0 };
	struct ike_mismatch mm;
	uint8_t gir[IKE_KE_MAX], nr[IKE_NONCE_LEN], pub[IKE_KE_MAX];
	struct child_sa *next;
	struct ike_child_keys keys;
	struct ike_kdf_in in;
	bool failed;
	ssize_t glen = 0, publen = 0;
	uint16_t g, refusal;
	bool collision;

	refusal = rekey_target(sa, rekey, &ch);
	if (!refusal && !ch->cfg)
		refusal = IKE_N_CHILD_SA_NOT_FOUND;	/* gone from the config */
	if (!refusal && (!ike_msg_has(m, IKE_PL_SA) ||
			 !ike_msg_has(m, IKE_PL_NONCE)))
		refusal = IKE_N_INVALID_SYNTAX;
	if (refusal) {
		ikesa_answer_notify(d, sa, refusal, NULL, 0);
		return;
	}
	c = ch->cfg;
	next = ikesa_child_successor(&ch->cur);
	if (!next) {
		ikesa_answer_notify(d, sa, IKE_N_NO_ADDITIONAL_SAS, NULL, 0);
		return;
	}
	if (ike_proposal_select(c->esp.v, c->esp.n, m->sa.prop, m->sa.n_prop,
				0, &next->prop, &mm) ||
	    next->prop.spi_len != 4) {
		ike_mismatch_format(&mm, c->esp.v, c->esp.n, m->sa.prop,
				    m->sa.n_prop, why, sizeof(why));
		ikesa_note(d, sa->conn_name, "CREATE_CHILD_SA: we refused to rekey CHILD_SA %s (NO_PROPOSAL_CHOSEN): the %s. We accept %s; the peer offered %s",
			   ch->cur.name, why,
			ike_proposals_format(c->esp.v, c->esp.n, a, sizeof(a)),
			ike_proposals_format(m->sa.prop, m->sa.n_prop, b,
					     sizeof(b)));
		free(next);
		ikesa_answer_notify(d, sa, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	g = ikesa_ke_of(&next->prop);
	if (g && (!ike_msg_has(m, IKE_PL_KE) || m->ke.group != g)) {
		free(next);
		ikesa_refuse_ke(d, sa, g);
		return;
	}
	if (ikesa_child_alloc_spi(d, sa, next) || ike_nonce_new(nr))
		goto fail;
	if (g)
		glen = ikesa_respond_ke(g, m, pub, &publen, gir);
	if (glen < 0)
		goto fail;
	memcpy(&next->spi_out, next->prop.spi, 4);
	next->spi_out = ntohl(next->spi_out);
	next->keys_of_initiator = false;
	in = (struct ike_kdf_in){
		.ni = m->nonce.p, .ni_len = m->nonce.len,
		.nr = nr, .nr_len = sizeof(nr),
		.gir = glen ? gir : NULL, .gir_len = glen,
	};
	failed = ikesa_child_keys(sa, next, &in, &keys, why, sizeof(why)) ||
		 ikesa_child_add_sas(d, sa, c, next, &keys, false, why,
				     sizeof(why));
	ike_child_keys_clear(&keys);
	if (failed) {
		ike_log("%s: CHILD_SA %s: the kernel refused the rekeyed SAs: %s",
			sa->conn_name, ch->cur.name, why);
		goto fail;
	}
	OPENSSL_cleanse(gir, sizeof(gir));
	ikesa_put_child_answer(&inner, next);
	ike_put_nonce(&inner, &(struct ike_bytes){ nr, sizeof(nr) });
	if (g)
		ike_put_ke(&inner, &(struct ike_pl_ke){ g, { pub, publen } });
	collision = sa->request.kind == IKESA_RQ_CHILD && sa->request.child == ch;
	ike_log("%s: CHILD_SA %s rekeyed by the peer%s, SPIs 0x%08x in, 0x%08x out%s",
		sa->conn_name, ch->cur.name, g ? " with PFS" : "",
		next->spi_in, next->spi_out,
		collision ? "; our rekey of it is under way too: a collision, the nonces decide" : "");
	if (collision) {
		/* its outbound SA waits: it may turn out redundant */
		ch->theirs = next;
		lower_nonce(m->nonce.p, m->nonce.len, nr, sizeof(nr),
			    ch->their_nonce, &ch->their_nonce_len);
	} else {
		ikesa_child_promote(ch, &next);
		ch->old_out_deadline = ike_now_ms() + OLD_OUT_GRACE_MS;
	}
	ikesa_send_encrypted(d, sa, IKE_CREATE_CHILD_SA, true, &inner);
	return;
fail:
	OPENSSL_cleanse(gir, sizeof(gir));
	ikesa_child_sa_free(d, sa, &next);
	ikesa_answer_notify(d, sa, IKE_N_NO_ADDITIONAL_SAS, NULL, 0);
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

/* The CHILD_SAs move to another IKE SA; a rekeyed one keeps none. */
static void move_children(struct ikesa *to, struct ikesa *from)
{
	to->children = from->children;
	from->children = NULL;
}

/*
 * The new IKE SA: the old one's connection, addresses and CHILD_SAs; the
 * initiator of the rekey is its initiator. The old SA is left without
 * CHILD_SAs, to be deleted.
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
		ikesa_set_state(d, sa, IKESA_DEAD);
		return NULL;
	}
	ikesa_keylog(d, sa);
	sa->child_cfg = old->child_cfg;
	sa->local = old->local;
	sa->remote = old->remote;
	sa->nat_here = old->nat_here;
	sa->nat_there = old->nat_there;
	memcpy(sa->peer_id, old->peer_id, sizeof(sa->peer_id));
	move_children(sa, old);
	sa->created_at = ike_now_ms();
	ikesa_established(d, sa);
	return sa;
}

void ikesa_rekey_ike(struct ike_daemon *d, struct ikesa *sa)
{
	struct ike_proposal offer[IKE_MAX_PROPOSALS];
	struct ike_buf inner = { 0 };
	size_t n;

	if (sa->state != IKESA_ESTABLISHED)
		return;
	if (sa->req.buf || sa->request.kind) {
		sa->rekey_ike_at = ike_now_ms() + REKEY_RETRY_MS;
		return;
	}
	if (ike_spi_new(sa->request.spi) || ike_nonce_new(sa->request.ni))
		return;
	sa->request.ni_len = IKE_NONCE_LEN;
	if (!sa->request.group ||
	    !ikesa_offers_ke(sa->conn->proposals.v, sa->conn->proposals.n,
		       sa->request.group))
		sa->request.group = ikesa_ke_of(&sa->prop);
	n = ike_offer(sa, sa->request.spi, offer, IKE_MAX_PROPOSALS);
	ike_put_sa(&inner, offer, n);
	ike_put_nonce(&inner, &(struct ike_bytes){ sa->request.ni, sa->request.ni_len });
	if (ikesa_put_ke(&inner, &sa->request.kex, sa->request.group)) {
		ike_buf_free(&inner);
		return;
	}
	ikesa_request_begin(sa, IKESA_RQ_IKE, NULL);
	ike_debug(d, "%s: rekeying the IKE SA", sa->conn_name);
	ikesa_send_encrypted(d, sa, IKE_CREATE_CHILD_SA, false, &inner);
}

/*
 * Section 2.8.2: the peer rekeyed the IKE SA while our rekey was under
 * way, and ours is done too. The loser's new IKE SA goes (its creator
 * deletes it); the winner deletes the old one.
 */
static void ike_rekey_collision(struct ike_daemon *d, struct ikesa *sa,
				struct ikesa *ours, const struct ike_msg *m)
{
	bool lost = collision_lost(sa->request.ni, sa->request.ni_len, m->nonce.p,
				   m->nonce.len, sa->rk_their_nonce,
				   sa->rk_their_nonce_len);

	sa->rk_their_nonce_len = 0;
	if (lost) {
		ike_log("%s: IKE SA rekey collision lost (RFC 7296 2.8.2): deleting our redundant IKE SA; the peer deletes the old one",
			sa->conn_name);
		sa->rk_theirs = NULL;
		ikesa_delete(d, ours);
		return;
	}
	ike_log("%s: IKE SA rekey collision won (RFC 7296 2.8.2): deleting the old IKE SA; the peer deletes its redundant one",
		sa->conn_name);
	if (sa->rk_theirs)
		move_children(ours, sa->rk_theirs);
	sa->rk_theirs = NULL;
	ikesa_delete(d, sa);
}

static void ike_rekey_answer(struct ike_daemon *d, struct ikesa *sa,
			     const struct ike_msg *m)
{
	struct ike_proposal offer[IKE_MAX_PROPOSALS];
	const struct ike_pl_notify *err = ike_msg_error_notify(m);
	struct ike_proposal chosen;
	struct ike_mismatch mm;
	uint8_t gir[IKE_KE_MAX];
	struct ikesa *next;
	ssize_t glen;
	size_t n;

	ikesa_request_end(sa);
	if (err && err->type == IKE_N_INVALID_KE_PAYLOAD &&
	    err->data.len == 2) {
		sa->request.group = err->data.p[0] << 8 | err->data.p[1];
		ikesa_rekey_ike(d, sa);
		return;
	}
	n = ike_offer(sa, sa->request.spi, offer, IKE_MAX_PROPOSALS);
	if (err || !ike_msg_has(m, IKE_PL_SA) || m->sa.n_prop != 1 ||
	    !ike_msg_has(m, IKE_PL_NONCE) ||
	    m->sa.prop[0].spi_len != IKE_SPI_LEN ||
	    ike_proposal_select(offer, n, m->sa.prop, 1, 0, &chosen, &mm)) {
		ike_log("%s: CREATE_CHILD_SA: the peer refused to rekey the IKE SA (%s)",
			sa->conn_name, err ? ike_notify_name(err->type) ?: "?" :
					     "an answer we did not offer");
		if (sa->rk_their_nonce_len) {
			/* no collision for the peer: its new IKE SA stands */
			sa->rk_their_nonce_len = 0;
			sa->rk_theirs = NULL;
			return;
		}
		sa->rekey_ike_at = ike_now_ms() + REKEY_RETRY_MS * 12;
		return;
	}
	glen = ikesa_shared_secret(sa->request.kex, ikesa_ke_of(&chosen), m, gir);
	ike_kex_free(sa->request.kex);
	sa->request.kex = NULL;
	if (glen <= 0)
		return;
	next = successor_sa(d, sa, true, sa->request.spi, m->sa.prop[0].spi,
			    &chosen, sa->request.ni, sa->request.ni_len, m->nonce.p,
			    m->nonce.len, gir, glen);
	OPENSSL_cleanse(gir, sizeof(gir));
	if (!next)
		return;
	ike_log("%s: IKE SA rekeyed (%s)", sa->conn_name,
		ike_proposal_format(&next->prop, (char[512]){ 0 }, 512));
	if (sa->rk_their_nonce_len) {
		ike_rekey_collision(d, sa, next, m);
		return;
	}
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
	struct ikesa *next;
	ssize_t publen, glen;
	uint16_t g;

	/*
	 * Section 2.25: not while one of our CHILD_SA exchanges or another
	 * collision is in flight; our own IKE SA rekey is a collision
	 * (2.8.2), answered as usual.
	 */
	if ((sa->request.kind && sa->request.kind != IKESA_RQ_IKE) ||
	    sa->rk_their_nonce_len) {
		ikesa_answer_notify(d, sa, IKE_N_TEMPORARY_FAILURE, NULL, 0);
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
		ikesa_answer_notify(d, sa, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	g = ikesa_ke_of(&chosen);
	if (!ike_msg_has(m, IKE_PL_KE) || m->ke.group != g) {
		ikesa_refuse_ke(d, sa, g);
		return;
	}
	if (ike_spi_new(spi_r) || ike_nonce_new(nr))
		return;
	glen = ikesa_respond_ke(g, m, pub, &publen, gir);
	if (glen <= 0) {
		ikesa_answer_notify(d, sa, IKE_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	next = successor_sa(d, sa, false, chosen.spi, spi_r, &chosen,
			    m->nonce.p, m->nonce.len, nr, sizeof(nr), gir,
			    glen);
	OPENSSL_cleanse(gir, sizeof(gir));
	if (!next) {
		ikesa_answer_notify(d, sa, IKE_N_NO_ADDITIONAL_SAS, NULL, 0);
		return;
	}
	memcpy(chosen.spi, spi_r, IKE_SPI_LEN);
	ike_put_sa(&inner, &chosen, 1);
	ike_put_nonce(&inner, &(struct ike_bytes){ nr, sizeof(nr) });
	ike_put_ke(&inner, &(struct ike_pl_ke){ g, { pub, publen } });
	if (sa->request.kind == IKESA_RQ_IKE) {
		/* the CHILD_SAs wait in the peer's new IKE SA meanwhile */
		sa->rk_theirs = next;
		lower_nonce(m->nonce.p, m->nonce.len, nr, sizeof(nr),
			    sa->rk_their_nonce, &sa->rk_their_nonce_len);
		ike_log("%s: IKE SA rekeyed by the peer while our rekey of it is under way: a collision, the nonces decide",
			sa->conn_name);
	} else {
		ike_log("%s: IKE SA rekeyed by the peer", sa->conn_name);
	}
	ikesa_send_encrypted(d, sa, IKE_CREATE_CHILD_SA, true, &inner);
	/* the old SA waits for the peer's Delete */
}

static void ike_rekey_response(struct ike_daemon *d, struct ikesa *sa,
			       const struct ike_msg *m)
{
	ike_rekey_answer(d, sa, m);
	/* the peer deleted this IKE SA while it waited for the answer */
	if (sa->state == IKESA_DELETING && !sa->req.buf)
		ikesa_set_state(d, sa, IKESA_DEAD);
}

/* ---- dispatch ---- */

void ikesa_create_child_request(struct ike_daemon *d, struct ikesa *sa,
				const struct ike_msg *m)
{
	const struct ike_pl_notify *rekey;

	if (sa->state != IKESA_ESTABLISHED) {
		ikesa_answer_notify(d, sa, IKE_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	if (ike_msg_has(m, IKE_PL_SA) && m->sa.n_prop &&
	    m->sa.prop[0].proto == IKE_PROTO_IKE) {
		ike_rekey_request(d, sa, m);
		return;
	}
	rekey = ike_msg_notify(m, IKE_N_REKEY_SA);
	if (rekey)
		child_rekey_request(d, sa, m, rekey);
	else
		ikesa_new_child_request(d, sa, m);
}

void ikesa_create_child_response(struct ike_daemon *d, struct ikesa *sa,
				 const struct ike_msg *m)
{
	if (sa->request.kind == IKESA_RQ_CHILD && sa->request.child)
		child_rekey_response(d, sa, m);
	else if (sa->request.kind == IKESA_RQ_NEW_CHILD && sa->request.child)
		ikesa_new_child_response(d, sa, m);
	else if (sa->request.kind == IKESA_RQ_IKE)
		ike_rekey_response(d, sa, m);
	else
		rekey_reset(d, sa);	/* what it was about is gone */
	ikesa_children_pump(d, sa);
}

/*
 * The deferred steps of one CHILD_SA: a rekey responder's new outbound
 * SA when the peer never deleted the old pair, and a rekey that had to
 * wait.
 */
static void child_timers(struct ike_daemon *d, struct ikesa *sa,
			 struct ikesa_child *ch, uint64_t now)
{
	bool deleting_old = sa->request.kind == IKESA_RQ_DELETE && ch->old &&
			    sa->request.del_spi == ch->old->spi_in;

	if (ch->old_out_deadline && ch->old_out_deadline <= now) {
		ch->old_out_deadline = 0;
		if (ch->old && !deleting_old) {
			ikesa_child_add_out(d, &ch->cur);
			ikesa_child_sa_free(d, sa, &ch->old);
		}
	}
	if (ch->rekey_retry_at && ch->rekey_retry_at <= now) {
		ch->rekey_retry_at = 0;
		ikesa_rekey_child(d, sa, ch);
	}
}

uint64_t ikesa_rekey_timers(struct ike_daemon *d, struct ikesa *sa,
			    uint64_t now)
{
	struct ikesa_child *ch, *next;
	uint64_t at = 0;

	for (ch = sa->children; ch; ch = next) {
		next = ch->next;
		child_timers(d, sa, ch, now);
		at = ikesa_earliest(at, ch->old_out_deadline);
		at = ikesa_earliest(at, ch->rekey_retry_at);
	}
	if (sa->rekey_ike_at && sa->rekey_ike_at <= now) {
		sa->rekey_ike_at = 0;
		ikesa_rekey_ike(d, sa);
	}
	return ikesa_earliest(at, sa->rekey_ike_at);
}
