// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_AUTH (RFC 7296 sections 1.2, 2.15), as initiator and as
 * responder: the identities, the AUTH payloads (peerauth.c) and the
 * CHILD_SA that comes with them (childneg.c). IKE_SA_INIT is init.c's.
 * Each refusal says which side refused and what differs.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kipsec.h>

#include "cert.h"
#include "conf.h"
#include "ikesa_int.h"
#include "proposal.h"
#include "ts.h"

/* ---- the initiator ---- */

void ikesa_send_auth(struct ike_daemon *d, struct ikesa *sa)
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

/* Initiator: the CHILD_SA of IKE_AUTH in the kernel, or why not. */
static int child_answer(struct ike_daemon *d, struct ikesa *sa,
			struct ikesa_child *ch, const struct ike_msg *m)
{
	struct ike_kdf_in in = {
		.ni = sa->ni, .ni_len = sa->ni_len,
		.nr = sa->nr, .nr_len = sa->nr_len,
	};
	struct ike_child_keys keys;
	char why[2048];
	int ret;

	if (ikesa_child_accept(sa, ch, m, false, why, sizeof(why))) {
		ikesa_report(d, sa, "IKE_AUTH: the IKE SA is up, but %s", why);
		return -1;
	}
	ret = ikesa_child_keys(sa, &ch->cur, &in, &keys, why, sizeof(why)) ||
	      ikesa_child_install(d, sa, ch, &keys, why, sizeof(why));
	ike_child_keys_clear(&keys);
	if (ret)
		ikesa_report(d, sa, "CHILD_SA %s: negotiated, but the kernel refused it: %s",
			     ch->cur.name, why);
	return ret ? -1 : 0;
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
	struct ike_child_keys keys;
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
	} else if (ikesa_child_keys(sa, &ch->cur, &in, &keys, why, size) ||
		   ikesa_child_install(d, sa, ch, &keys, why, size)) {
		err = IKE_N_NO_ADDITIONAL_SAS;
	}
	ike_child_keys_clear(&keys);
	if (err) {
		ikesa_child_close(d, sa, ch);
		return err;
	}
	*slot = ch;
	return 0;
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
	if (!ike_msg_has(m, IKE_PL_SA) && !ike_msg_has(m, IKE_PL_TSI) &&
	    !ike_msg_has(m, IKE_PL_TSR)) {
		/* an IKE SA alone, without a CHILD_SA (RFC 6023) */
		ikesa_send_encrypted(d, sa, IKE_AUTH, true, &inner);
		ike_log("%s: IKE SA established with %s (responder), no CHILD_SA asked for",
			sa->conn_name, peer);
		return;
	}
	child_err = auth_child(d, sa, m, &ch, why, sizeof(why));
	if (child_err) {
		ikesa_note(d, sa->conn_name, "IKE SA established with %s; we refused its CHILD_SA (%s): %s",
			   peer,
			ike_notify_format(child_err, name, sizeof(name)), why);
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
	const struct ike_pl_notify *err = ike_msg_error_notify(m);
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
			   err ? ike_notify_format(err->type, name, sizeof(name)) :
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
