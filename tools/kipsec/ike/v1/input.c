// SPDX-License-Identifier: GPL-2.0
/*
 * Where IKEv1 (ISAKMP, major version 1) arrives. kipsec ike does not
 * negotiate IKEv1 yet, so a peer that starts a Phase 1 (Main or
 * Aggressive Mode) gets NO-PROPOSAL-CHOSEN in an unprotected
 * Informational (RFC 2408 section 3.14.1: it can be sent before an ISAKMP
 * SA exists), and the operator a line at the default level naming the
 * peer, the connection its addresses match and both IKE versions. Other
 * IKEv1 messages belong to no SA of ours: dropped, at debug level.
 */
#include <stdio.h>
#include <string.h>

#include "../conf.h"
#include "../context.h"
#include "../ikesa_int.h"
#include "../sockaddr.h"
#include "input.h"
#include "msg.h"

/* The unprotected Informational that refuses a Phase 1 request. */
static void refuse_phase1(struct ike_daemon *d, const struct ike_dgram *dg,
			  const struct ike1_hdr *req)
{
	struct ike1_hdr h = { .exchange = IKE1_EXCH_INFO };
	struct ike1_buf b = { 0 };

	/* no cookie of ours: the peer's SA does not know one either */
	memcpy(h.icookie, req->icookie, IKE1_COOKIE_LEN);
	ike1_msg_start(&b, &h);
	ike1_put_notify(&b, &(struct ike1_pl_notify){
		.doi = IKE1_DOI_IPSEC, .proto = IKE1_PROTO_ISAKMP,
		.type = IKE1_N_NO_PROPOSAL_CHOSEN });
	if (!ike1_msg_finish(&b))
		ike_send(d, &dg->local, &dg->remote, b.p, b.len);
	ike1_buf_free(&b);
}

/*
 * Why the Phase 1 request is refused, in the log and the status: the
 * connection that would take IKEv1 (version 1 or 0) if there is one,
 * else the IKEv2-only one whose addresses match.
 */
static void say_refused(struct ike_daemon *d, const struct ike_dgram *dg,
			const char *mode)
{
	const struct ike_conn *c = ike_conn_for(d->conf, &dg->local,
						&dg->remote, 1);
	char from[80];

	ss_format(&dg->remote, from, sizeof(from));
	if (c) {
		ikesa_note(d, c->name, "%s sent an IKEv1 %s request for connection %s (version = %s): kipsec ike does not negotiate IKEv1 yet: refused with NO-PROPOSAL-CHOSEN",
			   from, mode, c->name,
			   c->version ? "1" : "0, either");
		return;
	}
	c = ike_conn_for(d->conf, &dg->local, &dg->remote, 2);
	if (c)
		ikesa_note(d, c->name, "IKE version mismatch: %s sent an IKEv1 %s request; connection %s is version = 2 (IKEv2 only): refused with NO-PROPOSAL-CHOSEN",
			   from, mode, c->name);
	else
		ike_log("%s sent an IKEv1 %s request; no connection has these addresses: refused with NO-PROPOSAL-CHOSEN",
			from, mode);
}

void ike1_input(struct ike_daemon *d, const struct ike_dgram *dg)
{
	static const uint8_t zero[IKE1_COOKIE_LEN];
	struct ike1_msg m = { 0 };
	struct ike1_err err = { 0 };
	char from[80];
	bool phase1;

	if (ike1_msg_decode(dg->p, dg->len, &m, &err)) {
		ike_debug(d, "IKEv1 from %s: offset %zu: %s",
			  ss_format(&dg->remote, from, sizeof(from)), err.off,
			  err.msg);
		return;
	}
	phase1 = (m.hdr.exchange == IKE1_EXCH_MAIN ||
		  m.hdr.exchange == IKE1_EXCH_AGGRESSIVE) &&
		 !memcmp(m.hdr.rcookie, zero, IKE1_COOKIE_LEN);
	if (!phase1) {
		ike_debug(d, "IKEv1 %s from %s: no ISAKMP SA of ours",
			  ike1_exchange_name(m.hdr.exchange) ?: "message",
			  ss_format(&dg->remote, from, sizeof(from)));
		return;
	}
	say_refused(d, dg, m.hdr.exchange == IKE1_EXCH_MAIN ?
		    "Main Mode" : "Aggressive Mode");
	refuse_phase1(d, dg, &m.hdr);
}
