// SPDX-License-Identifier: GPL-2.0
/*
 * Additional CHILD_SAs (RFC 7296 sections 1.3.1, 2.17): a connection's
 * children after the first one, which IKE_AUTH creates, each in its own
 * CREATE_CHILD_SA exchange, with a key exchange when its proposals name
 * one (PFS). As initiator one at a time, in the order of the
 * configuration; as responder the child is chosen by the selectors, as
 * in IKE_AUTH.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "conf.h"
#include "ikesa_int.h"
#include "proposal.h"

/* ---- as initiator ---- */

static void create_failed(struct ike_daemon *d, struct ikesa *sa,
			  struct ikesa_child *ch, const char *why)
{
	ikesa_note(d, sa->conn_name, "CREATE_CHILD_SA: %s", why);
	ike_waiter_say(sa->waiter, "CHILD_SA %s failed: %s", ch->cur.name,
		       why);
	sa->waiter_failed = true;
	ch->failed = true;
	ikesa_child_del_sas(d, sa, &ch->cur);	/* the reserved SPI */
}

static void send_create(struct ike_daemon *d, struct ikesa *sa,
			struct ikesa_child *ch, uint16_t group)
{
	struct ike_buf inner = { 0 };

	if (ikesa_child_alloc_spi(d, sa, &ch->cur) ||
	    ike_nonce_new(sa->request.ni)) {
		create_failed(d, sa, ch, "the kernel refused an SPI");
		return;
	}
	sa->request.ni_len = IKE_NONCE_LEN;
	ikesa_put_child_offer(&inner, sa, ch->cfg, ch->cur.spi_in, true);
	ike_put_nonce(&inner, &(struct ike_bytes){ sa->request.ni, sa->request.ni_len });
	if (group && ikesa_put_ke(&inner, &sa->request.kex, group)) {
		ike_buf_free(&inner);
		create_failed(d, sa, ch, "no key exchange");
		return;
	}
	ikesa_request_begin(sa, IKESA_RQ_NEW_CHILD, ch);
	sa->request.group = group;
	ike_debug(d, "%s: creating CHILD_SA %s", sa->conn_name, ch->cur.name);
	ikesa_send_encrypted(d, sa, IKE_CREATE_CHILD_SA, false, &inner);
}

/*
 * The next CHILD_SA to create on an established IKE SA, one exchange at
 * a time; when none is left, `kipsec up` has its answer.
 */
void ikesa_children_pump(struct ike_daemon *d, struct ikesa *sa)
{
	struct ikesa_child *ch;

	if (sa->state != IKESA_ESTABLISHED || sa->req.buf || sa->request.kind ||
	    sa->pfs_probe)
		return;
	for (ch = sa->children; ch; ch = ch->next) {
		if (!ch->cur.installed && !ch->failed && ch->cfg) {
			send_create(d, sa, ch, ikesa_first_ke(ch->cfg->esp.v,
							   ch->cfg->esp.n));
			if (sa->request.kind)
				return;
		}
	}
	if (sa->waiter) {
		ike_waiter_done(sa->waiter, sa->waiter_failed ? 1 : 0);
		sa->waiter = NULL;
	}
	sa->waiter_failed = false;
}

void ikesa_new_child_response(struct ike_daemon *d, struct ikesa *sa,
			      const struct ike_msg *m)
{
	const struct ike_pl_notify *err = ike_msg_error_notify(m);
	struct ikesa_child *ch = sa->request.child;
	uint8_t gir[IKE_KE_MAX];
	struct ike_child_keys keys;
	struct ike_kdf_in in;
	char why[2048];
	ssize_t glen;
	uint16_t want;
	bool failed;

	ikesa_request_end(sa);
	if (err && err->type == IKE_N_INVALID_KE_PAYLOAD &&
	    err->data.len == 2) {
		want = err->data.p[0] << 8 | err->data.p[1];
		if (want != sa->request.group &&
		    ikesa_offers_ke(ch->cfg->esp.v, ch->cfg->esp.n, want)) {
			send_create(d, sa, ch, want);
			return;
		}
	}
	if (ikesa_child_accept(sa, ch, m, true, why, sizeof(why))) {
		create_failed(d, sa, ch, why);
		return;
	}
	glen = ikesa_shared_secret(sa->request.kex, ikesa_first_ke(&ch->cur.prop, 1), m, gir);
	ike_kex_free(sa->request.kex);
	sa->request.kex = NULL;
	if (glen < 0 || !ike_msg_has(m, IKE_PL_NONCE)) {
		create_failed(d, sa, ch, "the peer's nonce or key exchange is missing or invalid");
		return;
	}
	in = (struct ike_kdf_in){
		.ni = sa->request.ni, .ni_len = sa->request.ni_len,
		.nr = m->nonce.p, .nr_len = m->nonce.len,
		.gir = glen ? gir : NULL, .gir_len = glen,
	};
	failed = ikesa_child_keys(sa, &ch->cur, &in, &keys, why, sizeof(why)) ||
		 ikesa_child_install(d, sa, ch, &keys, why, sizeof(why));
	OPENSSL_cleanse(gir, sizeof(gir));
	ike_child_keys_clear(&keys);
	if (failed) {
		create_failed(d, sa, ch, why);
		return;
	}
	ike_log("%s: CHILD_SA %s established%s, SPIs 0x%08x in, 0x%08x out",
		sa->conn_name, ch->cur.name, glen ? " with PFS" : "",
		ch->cur.spi_in, ch->cur.spi_out);
	ike_waiter_say(sa->waiter, "CHILD_SA %s established", ch->cur.name);
}

/* ---- as responder ---- */

void ikesa_new_child_request(struct ike_daemon *d, struct ikesa *sa,
			     const struct ike_msg *m)
{
	struct ike_buf inner = { 0 };
	const struct ike_child *cfg = NULL;
	struct ikesa_child *ch;
	struct child_sa cs = { 0 };
	uint8_t gir[IKE_KE_MAX], nr[IKE_NONCE_LEN], pub[IKE_KE_MAX];
	struct ike_child_keys keys;
	struct ike_kdf_in in;
	ssize_t glen = 0, publen = 0;
	char why[2048];
	uint16_t err, g;

	err = ike_msg_has(m, IKE_PL_NONCE) ?
	      ikesa_child_choose(d, sa, m, true, &cfg, &cs, why, sizeof(why)) :
	      IKE_N_INVALID_SYNTAX;
	if (err) {
		if (err != IKE_N_INVALID_SYNTAX)
			ikesa_note(d, sa->conn_name, "CREATE_CHILD_SA: we refused an additional CHILD_SA (%s): %s",
				   ike_notify_name(err) ?: "?", why);
		ikesa_answer_notify(d, sa, err, NULL, 0);
		return;
	}
	g = ikesa_first_ke(&cs.prop, 1);
	if (g && (!ike_msg_has(m, IKE_PL_KE) || m->ke.group != g)) {
		ikesa_refuse_ke(d, sa, g);
		return;
	}
	ch = ikesa_child_add(sa, cfg);
	if (!ch) {
		ikesa_answer_notify(d, sa, IKE_N_NO_ADDITIONAL_SAS, NULL, 0);
		return;
	}
	ch->cur = cs;
	snprintf(why, sizeof(why), "the kernel refused an SPI: %s",
		 d->kernel.err);
	if (ikesa_child_alloc_spi(d, sa, &ch->cur) || ike_nonce_new(nr))
		goto fail;
	snprintf(why, sizeof(why), "the peer's key exchange is invalid");
	if (g)
		glen = ikesa_respond_ke(g, m, pub, &publen, gir);
	if (glen < 0)
		goto fail;
	in = (struct ike_kdf_in){
		.ni = m->nonce.p, .ni_len = m->nonce.len,
		.nr = nr, .nr_len = sizeof(nr),
		.gir = glen ? gir : NULL, .gir_len = glen,
	};
	if (ikesa_child_keys(sa, &ch->cur, &in, &keys, why, sizeof(why)) ||
	    ikesa_child_install(d, sa, ch, &keys, why, sizeof(why)))
		goto fail;
	OPENSSL_cleanse(gir, sizeof(gir));
	ike_child_keys_clear(&keys);
	ikesa_put_child_answer(&inner, &ch->cur);
	ike_put_nonce(&inner, &(struct ike_bytes){ nr, sizeof(nr) });
	if (g)
		ike_put_ke(&inner, &(struct ike_pl_ke){ g, { pub, publen } });
	ike_log("%s: CHILD_SA %s established by the peer%s, SPIs 0x%08x in, 0x%08x out",
		sa->conn_name, ch->cur.name, g ? " with PFS" : "",
		ch->cur.spi_in, ch->cur.spi_out);
	ikesa_send_encrypted(d, sa, IKE_CREATE_CHILD_SA, true, &inner);
	return;
fail:
	OPENSSL_cleanse(gir, sizeof(gir));
	ike_child_keys_clear(&keys);
	ikesa_note(d, sa->conn_name, "CREATE_CHILD_SA: we could not create CHILD_SA %s (NO_ADDITIONAL_SAS): %s",
		   ch->cur.name, why);
	ikesa_child_close(d, sa, ch);
	ikesa_answer_notify(d, sa, IKE_N_NO_ADDITIONAL_SAS, NULL, 0);
}
