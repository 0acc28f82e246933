// SPDX-License-Identifier: GPL-2.0
/*
 * CHILD_SAs in the kipsec module: the SPI, the two ESP SAs with their
 * KEYMAT (RFC 7296 section 2.17), the policies for the negotiated
 * traffic selectors, and the trap policies of start_action = trap.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kipsec.h>

#include "conf.h"
#include "ikesa_int.h"
#include "keylog.h"

#define DEFAULT_REKEY_S		3600	/* strongSwan's: 1 h, life 110 % */
#define DEFAULT_REPLAY		32

int ikesa_child_alloc_spi(struct ike_daemon *d, struct ikesa *sa,
			  struct child_sa *c)
{
	struct addr src, dst;

	if (c->spi_in)
		return 0;
	ss_to_addr(&sa->remote, &src);
	ss_to_addr(&sa->local, &dst);
	return ike_kernel_alloc_spi(&d->kernel, &src, &dst, &c->spi_in);
}

static void put_alg(struct alg_cfg *alg, uint16_t id, const uint8_t *key,
		    size_t len)
{
	alg->id = id;
	alg->key_len = len;
	memcpy(alg->key, key, len);
	alg->set = BIT(KIPSEC_A_ALG_ID) | BIT(KIPSEC_A_ALG_KEY);
}

/* Lifetimes in seconds: soft = rekey_time less up to rand_time, hard = life. */
static void put_lifetimes(struct sa *k, const struct ike_child *c)
{
	uint64_t rekey = c && c->time.rekey ? c->time.rekey : DEFAULT_REKEY_S;
	uint64_t life = c && c->time.life ? c->time.life : rekey * 11 / 10;
	uint64_t jitter = c && c->time.rand ? random() % c->time.rand : 0;

	k->soft.val[KIPSEC_A_LIFETIME_SECONDS] =
		rekey > jitter ? rekey - jitter : rekey;
	k->soft.set = BIT(KIPSEC_A_LIFETIME_SECONDS);
	k->hard.val[KIPSEC_A_LIFETIME_SECONDS] = life;
	k->hard.set = BIT(KIPSEC_A_LIFETIME_SECONDS);
	if (c && c->bytes.rekey) {
		k->soft.val[KIPSEC_A_LIFETIME_BYTES] = c->bytes.rekey;
		k->soft.set |= BIT(KIPSEC_A_LIFETIME_BYTES);
	}
	if (c && c->bytes.life) {
		k->hard.val[KIPSEC_A_LIFETIME_BYTES] = c->bytes.life;
		k->hard.set |= BIT(KIPSEC_A_LIFETIME_BYTES);
	}
	if (c && c->packets.rekey) {
		k->soft.val[KIPSEC_A_LIFETIME_PACKETS] = c->packets.rekey;
		k->soft.set |= BIT(KIPSEC_A_LIFETIME_PACKETS);
	}
	if (c && c->packets.life) {
		k->hard.val[KIPSEC_A_LIFETIME_PACKETS] = c->packets.life;
		k->hard.set |= BIT(KIPSEC_A_LIFETIME_PACKETS);
	}
}

static int link_id(struct ike_daemon *d, const struct ike_conn *c,
		   uint32_t *if_id)
{
	*if_id = c->if_id;
	if (c->interface)
		return ike_kernel_link_if_id(&d->kernel, c->interface, if_id);
	return 0;
}

/*
 * One direction. The initiator's outbound SA uses the initiator's keys;
 * KEYMAT holds both directions, each its encryption key (salt appended)
 * then its integrity key.
 */
static void child_sa_of(const struct ikesa *sa, const struct ike_child *cfg,
			const struct child_sa *c, bool outbound,
			const struct ike_child_keys *keys, struct sa *k)
{
	bool initiator_keys = outbound == c->keys_of_initiator;
	uint16_t keylen = 0;
	uint16_t encr = ike_proposal_id(&c->prop, IKE_TR_ENCR, &keylen);
	uint16_t integ = ike_proposal_id(&c->prop, IKE_TR_INTEG, NULL);

	memset(k, 0, sizeof(*k));
	k->set = BIT(KIPSEC_A_SA_SPI) | BIT(KIPSEC_A_SA_PROTO) |
		 BIT(KIPSEC_A_SA_MODE) | BIT(KIPSEC_A_SA_CRYPT) |
		 BIT(KIPSEC_A_SA_REPLAY_WINDOW) | BIT(KIPSEC_A_SA_REQID) |
		 BIT(KIPSEC_A_SA_FLAGS);
	k->spi = outbound ? c->spi_out : c->spi_in;
	k->proto = KIPSEC_PROTO_ESP;
	k->mode = c->mode;
	ss_to_addr(outbound ? &sa->local : &sa->remote, &k->src);
	ss_to_addr(outbound ? &sa->remote : &sa->local, &k->dst);
	put_alg(&k->crypt, encr,
		initiator_keys ? keys->encr_i : keys->encr_r, keys->encr_len);
	if (integ) {
		put_alg(&k->auth, integ,
			initiator_keys ? keys->integ_i : keys->integ_r,
			keys->integ_len);
		k->set |= BIT(KIPSEC_A_SA_AUTH);
	}
	k->replay_window = cfg && cfg->replay_window ? cfg->replay_window :
						       DEFAULT_REPLAY;
	if (ike_proposal_id(&c->prop, IKE_TR_ESN, NULL) == IKE_ESN_YES)
		k->flags |= KIPSEC_SA_FLAGS_ESN;
	k->reqid = c->reqid;
	if (c->if_id) {
		k->if_id = c->if_id;
		k->set |= BIT(KIPSEC_A_SA_IF_ID);
	}
	if (sa->nat_here || sa->nat_there) {
		/* RFC 3948: the ports IKE uses now */
		k->encap_sport = ss_port(outbound ? &sa->local : &sa->remote);
		k->encap_dport = ss_port(outbound ? &sa->remote : &sa->local);
		k->set |= BIT(KIPSEC_A_SA_ENCAP_SPORT) |
			  BIT(KIPSEC_A_SA_ENCAP_DPORT);
	}
	put_lifetimes(k, cfg);
}

/* ---- selectors: a range becomes the prefixes that cover it exactly ---- */

static bool bit_of(const uint8_t *a, size_t len, unsigned int k)
{
	return a[len - 1 - k / 8] >> (k % 8) & 1;
}

static void set_low_bits(uint8_t *a, size_t len, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < k; i++)
		a[len - 1 - i / 8] |= 1 << (i % 8);
}

static void increment(uint8_t *a, size_t len)
{
	while (len-- && ++a[len] == 0)
		;
}

static size_t range_prefixes(const struct ike_ts *ts, struct addr *out,
			     size_t max)
{
	size_t len = ts->type == IKE_TS_IPV4_ADDR_RANGE ? 4 : 16, n = 0;
	uint8_t cur[16], last[16];
	unsigned int k;

	memcpy(cur, ts->start, len);
	while (n < max) {
		/* the largest block aligned at cur that ends within range */
		for (k = 0; k < len * 8 && !bit_of(cur, len, k); k++) {
			memcpy(last, cur, len);
			set_low_bits(last, len, k + 1);
			if (memcmp(last, ts->end, len) > 0)
				break;
		}
		memset(&out[n], 0, sizeof(out[n]));
		out[n].family = len == 4 ? AF_INET : AF_INET6;
		memcpy(out[n].bytes, cur, len);
		out[n].has_plen = true;
		out[n].plen = len * 8 - k;
		n++;
		memcpy(last, cur, len);
		set_low_bits(last, len, k);
		if (memcmp(last, ts->end, len) >= 0)
			break;
		memcpy(cur, last, len);
		increment(cur, len);
	}
	return n;
}

static void ports_of(const struct ike_ts *ts, uint16_t *min, uint16_t *max,
		     uint64_t *set, int bit_min, int bit_max)
{
	if (ts->start_port == 0 && ts->end_port == 0xffff)
		return;
	*min = ts->start_port;
	*max = ts->end_port;
	*set |= BIT(bit_min) | BIT(bit_max);
}

static void selector_of(const struct addr *src, const struct addr *dst,
			const struct ike_ts *ts_src, const struct ike_ts *ts_dst,
			struct selector *s)
{
	memset(s, 0, sizeof(*s));
	s->src = *src;
	s->dst = *dst;
	s->set = BIT(KIPSEC_A_SELECTOR_SPREFIX) | BIT(KIPSEC_A_SELECTOR_DPREFIX);
	if (!ts_src->ip_proto)
		return;
	s->proto = ts_src->ip_proto;
	s->set |= BIT(KIPSEC_A_SELECTOR_PROTO);
	if (s->proto == IPPROTO_ICMP || s->proto == IPPROTO_ICMPV6)
		return;		/* type and code ranges: not narrowed here */
	ports_of(ts_src, &s->sport_min, &s->sport_max, &s->set,
		 KIPSEC_A_SELECTOR_SPORT_MIN, KIPSEC_A_SELECTOR_SPORT_MAX);
	ports_of(ts_dst, &s->dport_min, &s->dport_max, &s->set,
		 KIPSEC_A_SELECTOR_DPORT_MIN, KIPSEC_A_SELECTOR_DPORT_MAX);
}

struct policy_set {
	uint8_t mode;
	uint32_t reqid, if_id;
	struct sockaddr_storage local, remote;
	uint32_t n;
	uint32_t *ids;		/* CHILD_MAX_POLICIES */
};

static int add_policy(struct ike_daemon *d, struct policy_set *ps,
		      uint8_t dir, const struct selector *sel)
{
	struct policy p = { 0 };
	bool in = dir != KIPSEC_DIR_OUT;

	if (ps->n == CHILD_MAX_POLICIES) {
		snprintf(d->kernel.err, sizeof(d->kernel.err),
			 "more than %d policies for one CHILD_SA",
			 CHILD_MAX_POLICIES);
		return -1;
	}
	p.set = BIT(KIPSEC_A_POLICY_DIR) | BIT(KIPSEC_A_POLICY_ACTION) |
		BIT(KIPSEC_A_POLICY_SELECTOR) | BIT(KIPSEC_A_POLICY_TEMPLATE);
	p.dir = dir;
	p.action = KIPSEC_ACTION_PROTECT;
	if (ps->if_id) {
		p.if_id = ps->if_id;
		p.set |= BIT(KIPSEC_A_POLICY_IF_ID);
	}
	p.sel = *sel;
	p.tmpl.set = BIT(KIPSEC_A_TEMPLATE_PROTO) | BIT(KIPSEC_A_TEMPLATE_MODE) |
		     BIT(KIPSEC_A_TEMPLATE_REQID);
	p.tmpl.proto = KIPSEC_PROTO_ESP;
	p.tmpl.mode = ps->mode;
	p.tmpl.reqid = ps->reqid;
	if (ps->mode == KIPSEC_MODE_TUNNEL) {
		ss_to_addr(in ? &ps->remote : &ps->local, &p.tmpl.src);
		ss_to_addr(in ? &ps->local : &ps->remote, &p.tmpl.dst);
	}
	if (ike_kernel_policy_add(&d->kernel, &p, &ps->ids[ps->n]))
		return -1;
	ps->n++;
	return 0;
}

/*
 * The policies of one direction: outbound, out (local -> remote); else
 * in and, in tunnel mode, fwd (remote -> local).
 */
static int add_policies(struct ike_daemon *d, struct policy_set *ps,
			const struct ike_ts *l, size_t n_l,
			const struct ike_ts *r, size_t n_r, bool outbound)
{
	struct addr la[8], ra[8];
	struct selector out, in;
	size_t i, j, a, b, nla, nra;

	for (i = 0; i < n_l; i++) {
		nla = range_prefixes(&l[i], la, ARRAY_SIZE(la));
		for (j = 0; j < n_r; j++) {
			if (l[i].type != r[j].type)
				continue;
			nra = range_prefixes(&r[j], ra, ARRAY_SIZE(ra));
			for (a = 0; a < nla; a++) {
				for (b = 0; b < nra; b++) {
					selector_of(&la[a], &ra[b], &l[i],
						    &r[j], &out);
					selector_of(&ra[b], &la[a], &r[j],
						    &l[i], &in);
					if (outbound ?
					    add_policy(d, ps, KIPSEC_DIR_OUT,
						       &out) :
					    add_policy(d, ps, KIPSEC_DIR_IN,
						       &in) ||
					    (ps->mode == KIPSEC_MODE_TUNNEL &&
					     add_policy(d, ps, KIPSEC_DIR_FWD,
							&in)))
						return -1;
				}
			}
		}
	}
	return 0;
}

static void del_policies(struct ike_daemon *d, uint32_t *ids, uint32_t *n)
{
	while (*n)
		ike_kernel_policy_del(&d->kernel, ids[--*n]);
}

struct ikesa_trap *ikesa_trap_find(struct ike_daemon *d, const char *conn,
				   const char *child)
{
	struct ikesa_trap *t;

	for (t = d->sas->traps; t; t = t->next)
		if (!strcmp(t->conn, conn) && !strcmp(t->child, child))
			return t;
	return NULL;
}

/*
 * The ESP algorithms of c's chosen proposal, as the KEYMAT derivations
 * of both IKE versions take them; integ NULL with an AEAD.
 */
int ikesa_child_algs(const struct child_sa *c,
		     const struct ike_encr_alg **encr,
		     const struct ike_integ_alg **integ, char *why, size_t size)
{
	uint16_t keylen = 0, encr_id, integ_id;

	encr_id = ike_proposal_id(&c->prop, IKE_TR_ENCR, &keylen);
	*encr = ike_encr_find(encr_id, keylen);
	integ_id = ike_proposal_id(&c->prop, IKE_TR_INTEG, NULL);
	*integ = integ_id ? ike_integ_find(integ_id) : NULL;
	if (!*encr || (integ_id && !*integ)) {
		snprintf(why, size, "an ESP algorithm of the chosen proposal is not implemented");
		return -1;
	}
	return 0;
}

/* Wireshark's esp_sa, with --wireshark-keys: one line per kernel SA. */
static void child_keylog(struct ike_daemon *d, const struct child_sa *c,
			 const struct sa *k)
{
	uint16_t keybits = 0;
	int ret;

	if (!d->keylog_dir)
		return;
	ike_proposal_id(&c->prop, IKE_TR_ENCR, &keybits);
	ret = ike_keylog_esp(d->keylog_dir, k->src.family, k->src.bytes,
			     k->dst.bytes, k->spi, k->crypt.id, keybits,
			     k->crypt.key, k->crypt.key_len,
			     HAS(k, KIPSEC_A_SA_AUTH) ? k->auth.id :
							IKE_INTEG_NONE,
			     k->auth.key, k->auth.key_len);
	if (ret)
		ike_log("writing the Wireshark ESP keys: %s", strerror(-ret));
}

/*
 * The kernel SAs of c with keys, derived by the exchange that made c
 * (IKEv2's or Quick Mode's KEYMAT): the inbound one always, the outbound
 * one now or later (a rekey responder waits for the old SA's Delete, a
 * Quick Mode responder for QM3: until then the initiator may not have
 * the new inbound SA). c->out_pending keeps it.
 */
int ikesa_child_add_sas(struct ike_daemon *d, struct ikesa *sa,
			const struct ike_child *cfg, struct child_sa *c,
			const struct ike_child_keys *keys, bool outbound_now,
			char *why, size_t size)
{
	struct sa *out = calloc(1, sizeof(*out));
	struct sa k;
	struct addr dst;
	int ret = -1;

	if (!out) {
		snprintf(why, size, "out of memory");
		return -1;
	}
	if (link_id(d, sa->conn, &c->if_id)) {
		snprintf(why, size, "%s", d->kernel.err);
		free(out);
		return -1;
	}
	child_sa_of(sa, cfg, c, false, keys, &k);
	child_sa_of(sa, cfg, c, true, keys, out);
	child_keylog(d, c, &k);
	child_keylog(d, c, out);
	if (ike_kernel_sa_add(&d->kernel, &k)) {
		snprintf(why, size, "%s", d->kernel.err);
		goto out;
	}
	c->in_installed = true;
	if (outbound_now) {
		if (ike_kernel_sa_add(&d->kernel, out)) {
			snprintf(why, size, "%s", d->kernel.err);
			ss_to_addr(&sa->local, &dst);
			ike_kernel_sa_del(&d->kernel, &dst, c->spi_in);
			c->in_installed = false;
			goto out;
		}
		c->installed = true;
	} else {
		c->out_pending = out;
		out = NULL;
	}
	ret = 0;
out:
	memset(&k, 0, sizeof(k));
	if (out) {
		memset(out, 0, sizeof(*out));
		free(out);
	}
	return ret;
}

/* The deferred outbound SA of a rekey responder. */
int ikesa_child_add_out(struct ike_daemon *d, struct child_sa *c)
{
	int ret;

	if (!c->out_pending)
		return 0;
	ret = ike_kernel_sa_add(&d->kernel, c->out_pending);
	memset(c->out_pending, 0, sizeof(*c->out_pending));
	free(c->out_pending);
	c->out_pending = NULL;
	if (!ret)
		c->installed = true;
	return ret;
}

/*
 * The kernel SAs of slot ch, negotiated, with the reqid of its trap if
 * it has one (the trap's policies then serve it), else a new one.
 */
/*
 * One direction's policies of slot ch (see add_policies()), unless its
 * trap's are there already; on failure, all of its policies go.
 */
int ikesa_child_policies(struct ike_daemon *d, struct ikesa *sa,
			 struct ikesa_child *ch, bool outbound, char *why,
			 size_t size)
{
	struct child_sa *c = &ch->cur;
	struct policy_set ps = { .ids = c->policy_ids, .n = c->n_pol };

	if (ikesa_trap_find(d, sa->conn_name, c->name))
		return 0;
	ps.mode = c->mode;
	ps.reqid = c->reqid;
	ps.if_id = c->if_id;
	ps.local = sa->local;
	ps.remote = sa->remote;
	if (add_policies(d, &ps, c->ts_l, c->n_l, c->ts_r, c->n_r,
			 outbound)) {
		c->n_pol = ps.n;
		del_policies(d, c->policy_ids, &c->n_pol);
		snprintf(why, size, "%s", d->kernel.err);
		return -1;
	}
	c->n_pol = ps.n;
	return 0;
}

/*
 * Slot ch's reqid, its inbound policies, then its SAs (the outbound one
 * now or later). Inbound policies first: the module holds the ESP that a
 * peer sends on the new SA before the SA is complete (held.c), and lets
 * it through when the SA is; it must then find its policy, or it is
 * dropped after all.
 */
int ikesa_child_begin(struct ike_daemon *d, struct ikesa *sa,
		      struct ikesa_child *ch, const struct ike_child_keys *keys,
		      bool outbound_now, char *why, size_t size)
{
	struct ikesa_trap *trap = ikesa_trap_find(d, sa->conn_name,
						  ch->cur.name);

	ch->cur.reqid = trap ? trap->reqid : ++d->sas->next_reqid;
	/* the policies carry the link's if_id, as the SAs do */
	if (link_id(d, sa->conn, &ch->cur.if_id)) {
		snprintf(why, size, "%s", d->kernel.err);
		return -1;
	}
	if (ikesa_child_policies(d, sa, ch, false, why, size))
		return -1;
	if (ikesa_child_add_sas(d, sa, ch->cfg, &ch->cur, keys, outbound_now,
				why, size)) {
		del_policies(d, ch->cur.policy_ids, &ch->cur.n_pol);
		return -1;
	}
	return 0;
}

/* The CHILD_SA of slot ch, negotiated: its SAs and its policies. */
int ikesa_child_install(struct ike_daemon *d, struct ikesa *sa,
			struct ikesa_child *ch, const struct ike_child_keys *keys,
			char *why, size_t size)
{
	if (ikesa_child_begin(d, sa, ch, keys, true, why, size))
		return -1;
	if (ikesa_child_policies(d, sa, ch, true, why, size)) {
		ikesa_child_del_sas(d, sa, &ch->cur);
		return -1;
	}
	return 0;
}

/* The kernel SAs of c (its policies stay: a rekeyed child takes them). */
void ikesa_child_del_sas(struct ike_daemon *d, struct ikesa *sa,
			 struct child_sa *c)
{
	struct addr dst;

	if (c->spi_in) {
		/* an SPI reserved but never completed goes the same way */
		ss_to_addr(&sa->local, &dst);
		ike_kernel_sa_del(&d->kernel, &dst, c->spi_in);
	}
	if (c->installed) {
		ss_to_addr(&sa->remote, &dst);
		ike_kernel_sa_del(&d->kernel, &dst, c->spi_out);
	}
	if (c->out_pending) {
		memset(c->out_pending, 0, sizeof(*c->out_pending));
		free(c->out_pending);
		c->out_pending = NULL;
	}
	c->installed = c->in_installed = false;
	c->spi_in = c->spi_out = 0;
}

/* ---- the CHILD_SAs of an IKE SA ---- */

struct ikesa_child *ikesa_child_add(struct ikesa *sa,
				    const struct ike_child *cfg)
{
	struct ikesa_child *ch = calloc(1, sizeof(*ch)), **pp;

	if (!ch)
		return NULL;
	ch->cfg = cfg;
	snprintf(ch->cur.name, sizeof(ch->cur.name), "%s", cfg->name);
	for (pp = &sa->children; *pp; pp = &(*pp)->next)
		;
	*pp = ch;
	return ch;
}

struct ikesa_child *ikesa_child_find(const struct ikesa *sa,
				     const char *name)
{
	struct ikesa_child *ch;

	for (ch = sa->children; ch; ch = ch->next)
		if (!strcmp(ch->cur.name, name))
			return ch;
	return NULL;
}

/* The successor of a CHILD_SA: same name, mode, selectors and reqid. */
struct child_sa *ikesa_child_successor(const struct child_sa *c)
{
	struct child_sa *next = calloc(1, sizeof(*next));

	if (!next)
		return NULL;
	memcpy(next->name, c->name, sizeof(next->name));
	next->mode = c->mode;
	next->reqid = c->reqid;
	next->n_l = c->n_l;
	next->n_r = c->n_r;
	memcpy(next->ts_l, c->ts_l, sizeof(c->ts_l));
	memcpy(next->ts_r, c->ts_r, sizeof(c->ts_r));
	return next;
}

/* A successor or predecessor goes: its kernel SAs, then the record. */
void ikesa_child_sa_free(struct ike_daemon *d, struct ikesa *sa,
			 struct child_sa **c)
{
	if (!*c)
		return;
	ikesa_child_del_sas(d, sa, *c);
	free(*c);
	*c = NULL;
}

/* Everything of slot ch in the kernel, then ch itself. */
void ikesa_child_close(struct ike_daemon *d, struct ikesa *sa,
		       struct ikesa_child *ch)
{
	struct ikesa_child **pp;

	for (pp = &sa->children; *pp; pp = &(*pp)->next) {
		if (*pp == ch) {
			*pp = ch->next;
			break;
		}
	}
	ikesa_request_child_gone(sa, ch);
	ikesa_child_sa_free(d, sa, &ch->rekey);
	ikesa_child_sa_free(d, sa, &ch->theirs);
	ikesa_child_sa_free(d, sa, &ch->old);
	ikesa_child_del_sas(d, sa, &ch->cur);
	del_policies(d, ch->cur.policy_ids, &ch->cur.n_pol);
	free(ch);
}

void ikesa_child_remove(struct ike_daemon *d, struct ikesa *sa)
{
	while (sa->children)
		ikesa_child_close(d, sa, sa->children);
}

/* The slot and record whose inbound SPI is spi, if any. */
struct child_sa *ikesa_child_by_spi_in(struct ikesa *sa, uint32_t spi,
				       struct ikesa_child **slot)
{
	struct ikesa_child *ch;

	for (ch = sa->children; ch; ch = ch->next) {
		*slot = ch;
		if (ch->cur.spi_in == spi)
			return &ch->cur;
		if (ch->rekey && ch->rekey->spi_in == spi)
			return ch->rekey;
		if (ch->theirs && ch->theirs->spi_in == spi)
			return ch->theirs;
		if (ch->old && ch->old->spi_in == spi)
			return ch->old;
	}
	*slot = NULL;
	return NULL;
}

/* ---- traps: start_action = trap ---- */

int ikesa_trap_install(struct ike_daemon *d, const struct ike_conn *conn,
		       const struct ike_child *child)
{
	struct ike_ts l[IKE_MAX_TS], r[IKE_MAX_TS];
	struct ikesa_trap *t = calloc(1, sizeof(*t));
	struct policy_set ps;
	struct addr la, ra;
	size_t i, n_l, n_r;

	if (!t)
		return -1;
	memset(&ps, 0, sizeof(ps));
	snprintf(t->conn, sizeof(t->conn), "%s", conn->name);
	snprintf(t->child, sizeof(t->child), "%s", child->name);
	t->reqid = ++d->sas->next_reqid;
	ps.ids = t->policy_ids;
	ps.reqid = t->reqid;
	ps.mode = child->mode == IKE_CONF_MODE_TRANSPORT ?
		  KIPSEC_MODE_TRANSPORT : KIPSEC_MODE_TUNNEL;
	if (link_id(d, conn, &ps.if_id))
		goto err;
	if (ike_conn_addresses(conn, &ps.local, &ps.remote, d->kernel.err,
				 sizeof(d->kernel.err)))
		goto err;
	ss_to_addr(&ps.local, &la);
	ss_to_addr(&ps.remote, &ra);
	n_l = n_r = 0;
	for (i = 0; i < child->local_ts.n && i < IKE_MAX_TS; i++)
		ike_ts_resolve(&child->local_ts.v[i], &la, &l[n_l++]);
	for (i = 0; i < child->remote_ts.n && i < IKE_MAX_TS; i++)
		ike_ts_resolve(&child->remote_ts.v[i], &ra, &r[n_r++]);
	if (add_policies(d, &ps, l, n_l, r, n_r, false) ||
	    add_policies(d, &ps, l, n_l, r, n_r, true)) {
		t->n_pol = ps.n;
		del_policies(d, t->policy_ids, &t->n_pol);
		goto err;
	}
	t->n_pol = ps.n;
	t->next = d->sas->traps;
	d->sas->traps = t;
	return 0;
err:
	ike_log("%s: cannot install the trap for %s: %s", conn->name,
		child->name, d->kernel.err);
	free(t);
	return -1;
}

/*
 * Traps whose child is gone from the configuration, or no longer has
 * start_action = trap, go; the others stay as they are.
 */
void ikesa_trap_remove_stale(struct ike_daemon *d)
{
	struct ikesa_trap **pp = &d->sas->traps, *t;
	const struct ike_conn *conn;
	const struct ike_child *child;

	while ((t = *pp)) {
		conn = ike_config_find(d->conf, t->conn);
		child = conn ? ike_conn_find_child(conn, t->child) : NULL;
		if (child && child->start_action == IKE_CONF_ACTION_TRAP) {
			pp = &t->next;
			continue;
		}
		*pp = t->next;
		del_policies(d, t->policy_ids, &t->n_pol);
		free(t);
	}
}

void ikesa_trap_remove_all(struct ike_daemon *d)
{
	struct ikesa_trap *t;

	while ((t = d->sas->traps)) {
		d->sas->traps = t->next;
		del_policies(d, t->policy_ids, &t->n_pol);
		free(t);
	}
}

/*
 * *next takes over from the pair in use: it gets the policies, and the
 * pair in use becomes the predecessor, to be deleted.
 */
void ikesa_child_promote(struct ikesa_child *ch, struct child_sa **next)
{
	struct child_sa prev = ch->cur;

	ch->cur = **next;
	ch->cur.n_pol = prev.n_pol;
	memcpy(ch->cur.policy_ids, prev.policy_ids, sizeof(prev.policy_ids));
	prev.n_pol = 0;
	**next = prev;
	ch->old = *next;
	*next = NULL;
}
