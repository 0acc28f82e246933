// SPDX-License-Identifier: GPL-2.0
/*
 * What drives IKE SAs from outside the protocol: `kipsec up`/`down`,
 * `kipsec status`, configuration (re)loads with their start actions, the
 * kernel's ACQUIRE and EXPIRE events, dead peer detection and NAT
 * keepalives.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kipsec.h>

#include "conf.h"
#include "creds.h"
#include "ikesa_int.h"
#include "proposal.h"
#include "ts.h"

#define KEEPALIVE_MS	20000	/* RFC 3948 section 4 suggests 20 s */

/* "NAME" is a connection (child NULL: all its children) or a child. */
static bool find_target(const struct ike_config *conf, const char *name,
			const struct ike_conn **conn,
			const struct ike_child **child)
{
	size_t i;

	*child = NULL;
	*conn = ike_config_find(conf, name);
	if (*conn)
		return true;
	for (i = 0; i < conf->n_conns; i++) {
		*child = ike_conn_find_child(&conf->conns[i], name);
		if (*child) {
			*conn = &conf->conns[i];
			return true;
		}
	}
	return false;
}

static struct ikesa *established(struct ike_daemon *d, const char *conn)
{
	struct ikesa *sa;

	for (sa = d->sas->head; sa; sa = sa->next)
		if (!strcmp(sa->conn_name, conn) && sa->state != IKESA_DEAD &&
		    sa->state != IKESA_DELETING)
			return sa;
	return NULL;
}

/* A slot for child on sa, unless it has one that is up or on its way. */
static bool want_child(struct ikesa *sa, const struct ike_child *child)
{
	struct ikesa_child *ch = ikesa_child_find(sa, child->name);

	if (ch && !ch->failed)
		return false;
	if (ch)
		ch->failed = false;	/* asked again: one more try */
	return ch || ikesa_child_add(sa, child);
}

/* want_child for child of conn, or (NULL) for each; whether one was new. */
static bool want_children(struct ikesa *sa, const struct ike_conn *conn,
			  const struct ike_child *child)
{
	bool more = false;
	size_t i;

	if (child)
		return want_child(sa, child);
	for (i = 0; i < conn->n_children; i++)
		more |= want_child(sa, &conn->children[i]);
	return more;
}

/*
 * Bring up child of conn (NULL: every child of conn): on the IKE SA the
 * connection has, or on a new one whose IKE_AUTH creates the first of
 * them. The others follow in CREATE_CHILD_SA exchanges.
 */
static void bring_up(struct ike_daemon *d, const struct ike_conn *conn,
		     const struct ike_child *child, struct ike_waiter *w)
{
	struct ikesa *sa = established(d, conn->name);
	bool more;

	if (!sa) {
		ikesa_initiate(d, conn, child ? child :
			       conn->n_children ? &conn->children[0] : NULL, w);
		sa = established(d, conn->name);
		if (sa)
			want_children(sa, conn, child);
		return;
	}
	more = want_children(sa, conn, child);
	if (w && sa->waiter) {
		ike_waiter_say(w, "%s is being negotiated already", conn->name);
		ike_waiter_done(w, 1);
	} else if (!more && sa->state == IKESA_ESTABLISHED) {
		ike_waiter_say(w, "%s is already up", child ? child->name :
							       conn->name);
		ike_waiter_done(w, 0);
	} else if (w) {
		sa->waiter = w;
	}
	ikesa_children_pump(d, sa);
}

void ikesa_up(struct ike_daemon *d, const char *name, struct ike_waiter *w)
{
	const struct ike_conn *conn;
	const struct ike_child *child;

	if (!find_target(d->conf, name, &conn, &child)) {
		ike_waiter_say(w, "no connection or child named \"%s\"", name);
		ike_waiter_done(w, 1);
		return;
	}
	bring_up(d, conn, child, w);
}

/* A child: its CHILD_SA is deleted; a connection: its IKE SA. */
void ikesa_down(struct ike_daemon *d, const char *name, struct ike_waiter *w)
{
	const struct ike_conn *conn;
	const struct ike_child *child;
	struct ikesa_child *ch;
	struct ikesa *sa;
	int n = 0;

	if (!find_target(d->conf, name, &conn, &child)) {
		ike_waiter_say(w, "no connection or child named \"%s\"", name);
		ike_waiter_done(w, 1);
		return;
	}
	for (sa = d->sas->head; sa; sa = sa->next) {
		if (strcmp(sa->conn_name, conn->name) || sa->state == IKESA_DEAD)
			continue;
		if (!child) {
			ikesa_delete(d, sa);
			n++;
			continue;
		}
		ch = ikesa_child_find(sa, child->name);
		if (!ch || !ch->cur.installed)
			continue;
		if (sa->req.buf || sa->request.kind) {
			ike_waiter_say(w, "%s: IKE SA busy, try again", name);
			ike_waiter_done(w, 1);
			return;
		}
		ikesa_child_send_delete(d, sa, ch, ch->cur.spi_in);
		n++;
	}
	if (child)
		ike_waiter_say(w, n ? "%s: deleting its CHILD_SA" :
				      "%s has no CHILD_SA", name);
	else
		ike_waiter_say(w, n ? "%s: deleting its IKE SA" :
				      "%s has no IKE SA", name);
	ike_waiter_done(w, 0);
}

/*
 * `kipsec rekey CHILD` / `kipsec rekey --ike CONN`: start the rekey now;
 * a rekey that has to wait for another exchange follows it.
 */
void ikesa_rekey(struct ike_daemon *d, const char *name, bool ike,
		 struct ike_waiter *w)
{
	const struct ike_conn *conn;
	const struct ike_child *child;
	struct ikesa_child *ch = NULL;
	struct ikesa *sa;

	if (!find_target(d->conf, name, &conn, &child) ||
	    (ike && child) || (!ike && !child)) {
		ike_waiter_say(w, ike ? "no connection named \"%s\"" :
				  "no child named \"%s\"", name);
		ike_waiter_done(w, 1);
		return;
	}
	sa = established(d, conn->name);
	if (sa && child)
		ch = ikesa_child_find(sa, child->name);
	if (!sa || sa->state != IKESA_ESTABLISHED ||
	    (child && (!ch || !ch->cur.installed))) {
		ike_waiter_say(w, "%s is not up", name);
		ike_waiter_done(w, 1);
		return;
	}
	if (ike)
		ikesa_rekey_ike(d, sa);
	else
		ikesa_rekey_child(d, sa, ch);
	ike_waiter_say(w, "%s: rekeying", name);
	ike_waiter_done(w, 0);
}

/* ---- status ---- */

static const char *hex_spi(const uint8_t *spi, char *buf)
{
	int i;

	for (i = 0; i < IKE_SPI_LEN; i++)
		sprintf(buf + 2 * i, "%02x", spi[i]);
	return buf;
}

/* Which IKE, and for an ISAKMP SA which Phase 1 mode (only Main for now). */
static const char *version_text(const struct ikesa *sa)
{
	return sa->version == 1 ? "IKEv1 Main Mode" : "IKEv2";
}

static void status_child_json(struct json *j, const struct child_sa *c)
{
	char buf[1024];

	json_open_obj(j, NULL);
	json_str(j, "name", c->name);
	json_str(j, "state", "INSTALLED");
	json_str(j, "mode", c->mode == KIPSEC_MODE_TRANSPORT ?
			    "TRANSPORT" : "TUNNEL");
	snprintf(buf, sizeof(buf), "0x%08x", c->spi_in);
	json_str(j, "spi_in", buf);
	snprintf(buf, sizeof(buf), "0x%08x", c->spi_out);
	json_str(j, "spi_out", buf);
	json_uint(j, "reqid", c->reqid);
	json_str(j, "proposal",
		 ike_proposal_format(&c->prop, buf, sizeof(buf)));
	json_str(j, "local_ts",
		 ike_ts_list_format(c->ts_l, c->n_l, buf, sizeof(buf)));
	json_str(j, "remote_ts",
		 ike_ts_list_format(c->ts_r, c->n_r, buf, sizeof(buf)));
	json_close_obj(j);
}

static void status_sa_json(struct json *j, const struct ikesa *sa)
{
	const struct ikesa_child *ch;
	char buf[1024];

	json_open_obj(j, NULL);
	json_str(j, "name", sa->conn_name);
	json_str(j, "state", ikesa_state_name(sa->state));
	json_str(j, "version", version_text(sa));
	json_str(j, "role", sa->initiator ? "initiator" : "responder");
	json_str(j, "local", ss_format(&sa->local, buf, sizeof(buf)));
	json_str(j, "remote", ss_format(&sa->remote, buf, sizeof(buf)));
	json_str(j, "remote_id", sa->peer_id);
	json_str(j, "spi_i", hex_spi(sa->spi_i, buf));
	json_str(j, "spi_r", hex_spi(sa->spi_r, buf));
	if (sa->state == IKESA_ESTABLISHED)
		json_str(j, "proposal",
			 ike_proposal_format(&sa->prop, buf, sizeof(buf)));
	json_str(j, "nat", sa->nat_here ? "local" :
			   sa->nat_there ? "remote" : "none");
	json_open_arr(j, "child_sas");
	for (ch = sa->children; ch; ch = ch->next)
		if (ch->cur.installed)
			status_child_json(j, &ch->cur);
	json_close_arr(j);
	json_close_obj(j);
}

static void status_child_text(FILE *f, const struct child_sa *c)
{
	char a[1024], b[1024], r[1024];

	fprintf(f, "  %s: INSTALLED, %s, SPIs 0x%08x_i 0x%08x_o, %s\n    %s === %s\n",
		c->name, c->mode == KIPSEC_MODE_TRANSPORT ? "TRANSPORT" :
							     "TUNNEL",
		c->spi_in, c->spi_out,
		ike_proposal_format(&c->prop, a, sizeof(a)),
		ike_ts_list_format(c->ts_l, c->n_l, b, sizeof(b)),
		ike_ts_list_format(c->ts_r, c->n_r, r, sizeof(r)));
}

static void status_text(struct ike_daemon *d, FILE *f)
{
	const struct ikesa_child *ch;
	const struct ikesa_note *n;
	const struct ikesa *sa;
	char a[1024], b[1024], spi_i[20], spi_r[20];

	for (sa = d->sas->head; sa; sa = sa->next) {
		fprintf(f, "%s: %s, %s, %s %s <-> %s %s, SPIs %s_i %s_r\n",
			sa->conn_name, ikesa_state_name(sa->state),
			version_text(sa),
			sa->initiator ? "initiator" : "responder",
			ss_format(&sa->local, a, sizeof(a)),
			ss_format(&sa->remote, b, sizeof(b)), sa->peer_id,
			hex_spi(sa->spi_i, spi_i), hex_spi(sa->spi_r, spi_r));
		if (sa->state == IKESA_ESTABLISHED)
			fprintf(f, "  IKE proposal %s\n",
				ike_proposal_format(&sa->prop, a, sizeof(a)));
		for (ch = sa->children; ch; ch = ch->next)
			if (ch->cur.installed)
				status_child_text(f, &ch->cur);
	}
	for (n = d->sas->notes; n; n = n->next)
		if (n->last_error[0])
			fprintf(f, "%s: last failure: %s\n", n->conn,
				n->last_error);
}

void ikesa_status(struct ike_daemon *d, FILE *f, bool json)
{
	const struct ikesa_note *n;
	const struct ikesa *sa;
	struct json j;

	if (!json) {
		status_text(d, f);
		return;
	}
	json_init(&j, f);
	json_open_obj(&j, NULL);
	json_open_arr(&j, "ike_sas");
	for (sa = d->sas->head; sa; sa = sa->next)
		status_sa_json(&j, sa);
	json_close_arr(&j);
	json_open_arr(&j, "connections");
	for (n = d->sas->notes; n; n = n->next) {
		json_open_obj(&j, NULL);
		json_str(&j, "name", n->conn);
		json_str(&j, "last_error", n->last_error);
		json_close_obj(&j);
	}
	json_close_arr(&j);
	json_close_obj(&j);
	fputc('\n', f);
}

/* ---- configuration ---- */

void ikesa_config_changed(struct ike_daemon *d, struct ike_config *old)
{
	struct ikesa_child *ch;
	struct ikesa *sa;
	size_t i, c;

	(void)old;
	ikesa_creds_reload(d);
	for (sa = d->sas->head; sa; sa = sa->next) {
		sa->conn = ike_config_find(d->conf, sa->conn_name);
		sa->child_cfg = NULL;
		for (ch = sa->children; ch; ch = ch->next)
			ch->cfg = sa->conn ? ike_conn_find_child(sa->conn,
								 ch->cur.name) :
					     NULL;
		if (!sa->conn) {
			ike_log("%s: gone from the configuration: deleting its IKE SA",
				sa->conn_name);
			/* ikesa_delete() needs no configuration */
			ikesa_delete(d, sa);
			continue;
		}
		if (sa->children)
			sa->child_cfg = sa->children->cfg;
	}
	/* a trap that stays keeps its policies and reqid: CHILD_SAs use them */
	ikesa_trap_remove_stale(d);
	for (i = 0; i < d->conf->n_conns; i++) {
		const struct ike_conn *conn = &d->conf->conns[i];

		for (c = 0; c < conn->n_children; c++) {
			const struct ike_child *cc = &conn->children[c];

			if (cc->start_action == IKE_CONF_ACTION_TRAP &&
			    !ikesa_trap_find(d, conn->name, cc->name))
				ikesa_trap_install(d, conn, cc);
			else if (cc->start_action == IKE_CONF_ACTION_START &&
				 !old)
				bring_up(d, conn, cc, NULL);
		}
	}
}

/* ---- kernel events ---- */

/*
 * A soft expiry of either SA of the CHILD_SA rekeys it; a hard one means
 * the rekey did not happen in time: the kernel has removed the SA.
 */
static void expire_event(struct ike_daemon *d, const struct sa *k)
{
	struct ikesa_child *ch;
	struct ikesa *sa;

	for (sa = d->sas->head; sa; sa = sa->next) {
		for (ch = sa->children; ch; ch = ch->next)
			if (ch->cur.installed && (k->spi == ch->cur.spi_in ||
						  k->spi == ch->cur.spi_out))
				break;
		if (sa->state != IKESA_ESTABLISHED || !ch)
			continue;
		if (k->expire_kind == KIPSEC_EXPIRE_KIND_SOFT) {
			ikesa_rekey_child(d, sa, ch);
		} else {
			ike_log("%s: CHILD_SA %s expired before it was rekeyed",
				sa->conn_name, ch->cur.name);
			ikesa_child_close(d, sa, ch);
		}
		return;
	}
}

void ikesa_kernel_event(struct ike_daemon *d,
			const struct ike_kernel_event *ev)
{
	const struct ikesa_trap *t;
	const struct ike_conn *conn;
	const struct ike_child *child;

	if (ev->type == IKE_KEV_EXPIRE) {
		expire_event(d, &ev->sa);
		return;
	}
	if (ev->type != IKE_KEV_ACQUIRE)
		return;
	for (t = d->sas->traps; t; t = t->next) {
		if (!HAS(&ev->policy, KIPSEC_A_POLICY_TEMPLATE) ||
		    ev->policy.tmpl.reqid != t->reqid)
			continue;
		conn = ike_config_find(d->conf, t->conn);
		child = conn ? ike_conn_find_child(conn, t->child) : NULL;
		if (!child)
			return;
		ike_log("%s: a packet needs CHILD_SA %s: initiating",
			t->conn, t->child);
		bring_up(d, conn, child, NULL);
		return;
	}
}

/* ---- liveness ---- */

/*
 * DPD (RFC 7296 section 2.4): after dpd_delay without a word from the
 * peer, an empty INFORMATIONAL; its retransmissions failing ends the SA.
 */
void ikesa_established_timers(struct ike_daemon *d, struct ikesa *sa,
			      uint64_t now)
{
	uint64_t dpd = sa->conn ? sa->conn->dpd_delay * 1000 : 0;
	struct ike_buf inner = { 0 };

	sa->timer_at = 0;
	if (sa->nat_here) {
		if (sa->keepalive_at <= now) {
			ike_send_keepalive(d, &sa->local, &sa->remote);
			sa->keepalive_at = now + KEEPALIVE_MS;
		}
		sa->timer_at = sa->keepalive_at;
	}
	if (!dpd)
		return;
	if (!sa->req.buf && sa->last_heard + dpd <= now) {
		ike_debug(d, "%s: DPD: checking the peer", sa->conn_name);
		ikesa_send_encrypted(d, sa, IKE_INFORMATIONAL, false, &inner);
		sa->last_heard = now;
	}
	if (!sa->timer_at || sa->last_heard + dpd < sa->timer_at)
		sa->timer_at = sa->last_heard + dpd;
}

/* ---- --debug: every decoded payload ---- */

void ikesa_debug_msg(const struct ike_daemon *d, const char *what,
		     const struct ike_dgram *dg, const struct ike_msg *m)
{
	char from[80], buf[1024];
	size_t i;

	ike_debug(d, "%s %s %s %u from %s, %zu bytes", what,
		  ike_exchange_name(m->hdr.exchange) ?: "?",
		  m->hdr.flags & IKE_FLAG_RESPONSE ? "response" : "request",
		  m->hdr.msg_id, ss_format(&dg->remote, from, sizeof(from)),
		  dg->len);
	for (i = 0; i < m->sa.n_prop; i++)
		ike_debug(d, "  SA proposal %u: %s", m->sa.prop[i].num,
			  ike_proposal_format(&m->sa.prop[i], buf,
					      sizeof(buf)));
	if (ike_msg_has(m, IKE_PL_KE))
		ike_debug(d, "  KE %s, %zu bytes",
			  ike_transform_name(IKE_TR_KE, m->ke.group) ?: "?",
			  m->ke.data.len);
	if (ike_msg_has(m, IKE_PL_NONCE))
		ike_debug(d, "  nonce, %zu bytes", m->nonce.len);
	for (i = 0; i < m->n_notify; i++)
		ike_debug(d, "  notify %s, %zu bytes of data",
			  ike_notify_name(m->notify[i].type) ?: "?",
			  m->notify[i].data.len);
	if (ike_msg_has(m, IKE_PL_SK))
		ike_debug(d, "  SK, %zu bytes", m->sk.body.len);
}
