// SPDX-License-Identifier: GPL-2.0
/*
 * Where IKEv1 (ISAKMP, major version 1) arrives: the IKEv1 dispatcher.
 * Main Mode message 1 for a connection of version 1 or 0 starts an
 * ISAKMP SA (main_mode.c); later messages go by their cookies to their
 * SA and by exchange type to main_mode.c, quick_mode.c or info.c; a
 * message that repeats the peer's last one gets our last answer again.
 *
 * A Phase 1 we do not take (Aggressive Mode, or addresses whose
 * connection is version = 2) gets NO-PROPOSAL-CHOSEN in an unprotected
 * Informational (RFC 2408 section 3.14.1: it can be sent before an
 * ISAKMP SA exists), and the operator a line at the default level naming
 * the peer, the connection and both IKE versions. Messages of no SA of
 * ours are dropped, at debug level.
 */
#include <stdio.h>
#include <string.h>

#include "../conf.h"
#include "../context.h"
#include "../ikesa_int.h"
#include "../sockaddr.h"
#include "info.h"
#include "input.h"
#include "main_mode.h"
#include "msg.h"
#include "quick_mode.h"
#include "sa.h"

/*
 * Why a Phase 1 request is refused, in the log and the status: Aggressive
 * Mode (not implemented yet) for the connection that would take IKEv1,
 * else the IKEv2-only one whose addresses match.
 */
static void say_refused(struct ike_daemon *d, const struct ike_dgram *dg,
			const struct ike_conn *c, const char *mode)
{
	char from[80];

	ss_format(&dg->remote, from, sizeof(from));
	if (c) {
		ikesa_note(d, c->name, "%s sent an IKEv1 %s request for connection %s (version = %s): kipsec ike does not negotiate IKEv1 %s yet: refused with NO-PROPOSAL-CHOSEN",
			   from, mode, c->name,
			   c->version ? "1" : "0, either", mode);
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

/* A message with no responder cookie: a Phase 1 begins, or repeats. */
static void phase1_start(struct ike_daemon *d, const struct ike_dgram *dg,
			 const struct ike1_msg *m)
{
	const struct ike_conn *c;
	struct ikesa *sa = ikesa_lookup_v1(d, m->hdr.icookie, NULL);

	if (sa) {
		/* message 1 again: message 2 again, or nothing */
		ike1_answer_repeat(d, sa, dg);
		return;
	}
	c = ike_conn_for(d->conf, &dg->local, &dg->remote, 1);
	if (c && m->hdr.exchange == IKE1_EXCH_MAIN) {
		ike1_mm_request1(d, c, dg, m);
		return;
	}
	say_refused(d, dg, c, m->hdr.exchange == IKE1_EXCH_MAIN ?
		    "Main Mode" : "Aggressive Mode");
	/* no cookie of ours: the peer's SA does not know one either */
	ike1_notify_plain(d, dg, m->hdr.icookie, NULL,
			  IKE1_N_NO_PROPOSAL_CHOSEN);
}

/* A message of an ISAKMP SA of ours, to its exchange. */
static void sa_input(struct ike_daemon *d, struct ikesa *sa,
		     const struct ike_dgram *dg, struct ike1_msg *m)
{
	if (ike1_answer_repeat(d, sa, dg))
		return;
	switch (m->hdr.exchange) {
	case IKE1_EXCH_MAIN:
		ike1_mm_request(d, sa, dg, m);
		break;
	case IKE1_EXCH_QUICK:
		ike1_qm_request(d, sa, dg, m);
		break;
	case IKE1_EXCH_INFO:
		ike1_info_request(d, sa, dg, m);
		break;
	default:
		ike_debug(d, "%s: IKEv1 exchange %u dropped: not implemented",
			  sa->conn_name, m->hdr.exchange);
		break;
	}
}

void ike1_input(struct ike_daemon *d, const struct ike_dgram *dg)
{
	static const uint8_t zero[IKE1_COOKIE_LEN];
	struct ike1_msg m = { 0 };
	struct ike1_err err = { 0 };
	struct ikesa *sa = NULL;
	char from[80];

	if (ike1_msg_decode(dg->p, dg->len, &m, &err)) {
		ike_debug(d, "IKEv1 from %s: offset %zu: %s",
			  ss_format(&dg->remote, from, sizeof(from)), err.off,
			  err.msg);
		return;
	}
	if (!memcmp(m.hdr.rcookie, zero, IKE1_COOKIE_LEN) &&
	    (m.hdr.exchange == IKE1_EXCH_MAIN ||
	     m.hdr.exchange == IKE1_EXCH_AGGRESSIVE)) {
		phase1_start(d, dg, &m);
	} else if ((sa = ikesa_lookup_v1(d, m.hdr.icookie, m.hdr.rcookie))) {
		sa_input(d, sa, dg, &m);
	} else {
		ike_debug(d, "IKEv1 %s from %s: no ISAKMP SA of ours",
			  ike1_exchange_name(m.hdr.exchange) ?: "message",
			  ss_format(&dg->remote, from, sizeof(from)));
	}
	ikesa_reap_event(d, sa);
}
