// SPDX-License-Identifier: GPL-2.0
/*
 * Where the daemon's loop enters the IKE SAs: each datagram to its SA and
 * to the exchange it belongs to (a response to our request, a request of
 * the peer's), an unknown IKE_SA_INIT to init.c, IKEv1 to v1/input.c;
 * and the timers (retransmission, half-open SAs, DPD, rekeying). Every
 * exchange is below it; it is the only place that knows them all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "ikesa_int.h"
#include "v1/input.h"

#define HALF_OPEN_MS		30000

/*
 * A retransmitted IKE_SA_INIT request still has a zero SPIr: it belongs
 * to the half-open SA that answered it, not to a new one. The same bytes
 * get the same answer again; anything else with that SPIi is dropped.
 */
static bool init_again(struct ike_daemon *d, const struct ike_dgram *dg,
		       const struct ike_hdr *h)
{
	struct ikesa *sa = ikesa_by_spi_i(d, h);

	if (sa && sa->version == 2) {
		if (sa->state == IKESA_HALF_OPEN && sa->last_resp &&
		    dg->len == sa->msg_i_len &&
		    !memcmp(dg->p, sa->msg_i, dg->len))
			ikesa_transmit(d, sa, sa->last_resp, sa->last_resp_len);
		return true;
	}
	return false;
}

static void handle_response(struct ike_daemon *d, struct ikesa *sa,
			    const struct ike_dgram *dg, struct ike_msg *m)
{
	uint8_t plain[IKE_MSG_MAX];
	struct ike_err err = { 0 };

	if (m->hdr.msg_id != sa->req.id || !sa->req.buf)
		return;		/* a late duplicate */
	if (m->hdr.exchange != sa->req.exchange) {
		/* section 3.1: a response is of its request's exchange */
		ike_debug(d, "%s: response %u dropped: %s, but our request was %s",
			  sa->conn_name, m->hdr.msg_id,
			  ike_exchange_name(m->hdr.exchange) ?: "?",
			  ike_exchange_name(sa->req.exchange) ?: "?");
		return;
	}
	if (m->hdr.exchange == IKE_SA_INIT) {
		ikesa_pending_clear(&sa->req);
		ikesa_init_response(d, sa, dg, m);
		return;
	}
	if (ikesa_decrypt(sa, dg->p, m, plain, sizeof(plain), &err)) {
		ike_debug(d, "%s: response %u dropped: %s", sa->conn_name,
			  m->hdr.msg_id, err.msg);
		return;
	}
	ikesa_pending_clear(&sa->req);
	switch (m->hdr.exchange) {
	case IKE_AUTH:
		ikesa_auth_response(d, sa, dg, m);
		break;
	case IKE_INFORMATIONAL:
		ikesa_informational_response(d, sa);
		break;
	case IKE_CREATE_CHILD_SA:
		ikesa_create_child_response(d, sa, m);
		break;
	}
}

/* Answer a request whose payloads did not decode: INVALID_SYNTAX. */
static void reply_error(struct ike_daemon *d, struct ikesa *sa,
			uint8_t exchange, const struct ike_err *err)
{
	struct ike_buf inner = { 0 };
	struct ike_pl_notify n = {
		.type = err->notify,
		.data = { err->data, err->data_len },
	};

	ike_put_notify(&inner, &n);
	ikesa_send_encrypted(d, sa, exchange, true, &inner);
}

static void handle_request(struct ike_daemon *d, struct ikesa *sa,
			   const struct ike_dgram *dg, struct ike_msg *m)
{
	uint8_t plain[IKE_MSG_MAX];
	struct ike_err err = { 0 };

	if (m->hdr.msg_id + 1 == sa->peer_id_next && sa->last_resp) {
		/* our response was lost: the same bytes again */
		ikesa_transmit(d, sa, sa->last_resp, sa->last_resp_len);
		return;
	}
	if (m->hdr.msg_id != sa->peer_id_next)
		return;
	if (m->hdr.exchange == IKE_SA_INIT)
		return;		/* a second IKE_SA_INIT on this SA */
	if (ikesa_decrypt(sa, dg->p, m, plain, sizeof(plain), &err)) {
		if (!err.notify || !ike_msg_has(m, IKE_PL_SK) ||
		    !m->sk.body.len) {
			ike_debug(d, "%s: request %u dropped: %s",
				  sa->conn_name, m->hdr.msg_id, err.msg);
			return;
		}
		/* it decrypted, so it is the peer's: it gets an answer */
		ike_log("%s: malformed request %u: %s", sa->conn_name,
			m->hdr.msg_id, err.msg);
		sa->peer_id_next++;
		reply_error(d, sa, m->hdr.exchange, &err);
		return;
	}
	sa->peer_id_next++;
	/*
	 * Answer where the request came from (section 2.11): the peer may
	 * have moved to port 4500, or a NAT may have a new mapping (2.23).
	 */
	sa->local = dg->local;
	sa->remote = dg->remote;
	sa->last_heard = ike_now_ms();
	switch (m->hdr.exchange) {
	case IKE_AUTH:
		ikesa_auth_request(d, sa, dg, m);
		break;
	case IKE_INFORMATIONAL:
		ikesa_informational_request(d, sa, m);
		break;
	case IKE_CREATE_CHILD_SA:
		ikesa_create_child_request(d, sa, m);
		break;
	default:
		break;
	}
}

/* Byte 17 of the header, in IKEv1's and IKEv2's alike: major << 4 | minor. */
#define IKE_VERSION_OFF		17

void ikesa_input(struct ike_daemon *d, const struct ike_dgram *dg)
{
	struct ike_msg m = { 0 };
	struct ike_err err = { 0 };
	struct ikesa *sa;
	char from[80];

	if (dg->len > IKE_VERSION_OFF && dg->p[IKE_VERSION_OFF] >> 4 == 1) {
		ike1_input(d, dg);
		return;
	}
	if (ike_msg_decode(dg->p, dg->len, &m, &err)) {
		ike_debug(d, "from %s: %s", ss_format(&dg->remote, from,
						      sizeof(from)), err.msg);
		if (err.notify && !(m.hdr.flags & IKE_FLAG_RESPONSE) &&
		    m.hdr.exchange == IKE_SA_INIT)
			ikesa_init_refuse(d, dg, &m.hdr, err.notify, err.data,
					  err.data_len);
		return;
	}
	if (d->debug)
		ikesa_debug_msg(d, "received", dg, &m);
	sa = ikesa_lookup(d, &m.hdr);
	if (!sa) {
		if (m.hdr.exchange == IKE_SA_INIT &&
		    !(m.hdr.flags & IKE_FLAG_RESPONSE)) {
			if (!init_again(d, dg, &m.hdr))
				ikesa_init_request(d, dg, &m);
		}
		else
			ike_debug(d, "from %s: no IKE SA for this message",
				  ss_format(&dg->remote, from, sizeof(from)));
		ikesa_reap_event(d, NULL);
		return;
	}
	if (m.hdr.flags & IKE_FLAG_RESPONSE)
		handle_response(d, sa, dg, &m);
	else
		handle_request(d, sa, dg, &m);
	ikesa_reap_event(d, sa);
}

/*
 * A peer that stopped answering an established IKE SA is dead (RFC 7296
 * section 2.4): its CHILD_SA goes with it, then dpd_action says whether
 * to wait for traffic (trap: the trap policies are still there), start
 * again (restart) or nothing (clear).
 */
static void peer_dead(struct ike_daemon *d, struct ikesa *sa)
{
	struct ikesa *again = NULL;
	struct ikesa_child *ch;
	const struct ike_child *c;

	for (ch = sa->children; ch; ch = ch->next) {
		c = ch->cfg;
		if (c && c->dpd_action == IKE_CONF_ACTION_TRAP) {
			ike_log("%s: dpd_action = trap: CHILD_SA %s waits for traffic",
				sa->conn_name, c->name);
		} else if (c && c->dpd_action == IKE_CONF_ACTION_START &&
			   again) {
			ikesa_child_add(again, c);
		} else if (c && c->dpd_action == IKE_CONF_ACTION_START &&
			   sa->conn) {
			ike_log("%s: dpd_action = restart: initiating again",
				sa->conn_name);
			ikesa_initiate(d, sa->conn, c, NULL);
			again = d->sas->head;	/* ikesa_new() puts it there */
			if (again == sa || again->state == IKESA_DEAD)
				again = NULL;
		}
	}
	ikesa_child_remove(d, sa);
}

/* ---- timers ---- */

static void retransmit(struct ike_daemon *d, struct ikesa *sa, uint64_t now)
{
	const char *what = ike_exchange_name(sa->req.exchange);
	bool established = sa->state == IKESA_ESTABLISHED;

	if ((unsigned int)sa->req.tries >= d->retransmit_tries) {
		char to[80];

		ikesa_fail(d, sa, "%s: no answer from %s after %d retransmissions: %s",
			   what ? what : "request",
			   ss_format(&sa->remote, to, sizeof(to)),
			   d->retransmit_tries,
			   established ? "the peer is dead (DPD), the SAs go" :
			   "the peer is unreachable or not running IKE there");
		if (established)
			peer_dead(d, sa);
		return;
	}
	sa->req.tries++;
	sa->req.next_at = now + ((uint64_t)d->retransmit_ms << sa->req.tries);
	ike_debug(d, "%s: retransmitting %s request %u (%d)", sa->conn_name,
		  what ? what : "?", sa->req.id, sa->req.tries);
	ikesa_transmit(d, sa, sa->req.buf, sa->req.len);
}

uint64_t ikesa_run_timers(struct ike_daemon *d, uint64_t now)
{
	uint64_t next = 0;
	struct ikesa *sa;

	if (!ikesa_timers_due(d, now, &next))
		return next;
	next = 0;
	for (sa = d->sas->head; sa; sa = sa->next) {
		if (sa->req.buf && sa->req.next_at <= now)
			retransmit(d, sa, now);
		if (sa->state == IKESA_HALF_OPEN &&
		    sa->created_at + HALF_OPEN_MS <= now) {
			ike_debug(d, "%s: half-open IKE SA timed out",
				  sa->conn_name);
			ikesa_set_state(d, sa, IKESA_DEAD);
		}
		/* an ISAKMP SA neither rekeys nor sends DPD yet */
		if (sa->state == IKESA_ESTABLISHED && sa->version == 2) {
			ikesa_established_timers(d, sa, now);
			next = ikesa_earliest(next,
					      ikesa_rekey_timers(d, sa, now));
		}
		if (sa->state == IKESA_DEAD)
			continue;
		if (sa->req.buf)
			next = ikesa_earliest(next, sa->req.next_at);
		if (sa->state == IKESA_HALF_OPEN)
			next = ikesa_earliest(next, sa->created_at + HALF_OPEN_MS);
		next = ikesa_earliest(next, sa->timer_at);
	}
	ikesa_reap_all(d);
	ikesa_timers_walked(d, now, next);
	return next ? next : UINT64_MAX;
}

void ikesa_shutdown(struct ike_daemon *d)
{
	struct ikesa *sa;

	/* a best effort: one Delete each, no waiting for the answers */
	for (sa = d->sas->head; sa; sa = sa->next)
		ikesa_delete(d, sa);
	ikesa_table_free(d);
}
