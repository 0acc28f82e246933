// SPDX-License-Identifier: GPL-2.0
/*
 * IKE SAs (RFC 7296): the table, message IDs and retransmission, the
 * SK payload, and the INFORMATIONAL exchange. The IKE_SA_INIT and
 * IKE_AUTH exchanges are in auth.c, CHILD_SAs in the kernel in child.c.
 *
 * Every failure ends in one log line that says which exchange failed,
 * which side refused and what differs; the same text is what `kipsec
 * status` shows for the connection and what `kipsec up` prints.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/rand.h>

#include "conf.h"
#include "crypto.h"
#include "ikesa_int.h"
#include "initkex.h"
#include "keylog.h"

#define HALF_OPEN_MS		30000

struct ikesa_table *ikesa_table_new(void)
{
	return calloc(1, sizeof(struct ikesa_table));
}

/*
 * ---- finding an IKE SA by SPI ----
 *
 * The SAs are a list; with thousands of them, walking it for every
 * datagram (and for every IKE_SA_INIT, to tell a retransmission from a
 * new SA) was a few per cent of a responder's CPU, growing with the
 * number of SAs. Two hash tables (open addressing, linear probing) map
 * an SPI to its SA: "ours" by the SPI we chose (spi_r as responder, spi_i
 * as initiator), "peer" the responder SAs by the initiator's spi_i.
 *
 * An SA's SPIs are only final after the function that made it returns
 * (a responder copies spi_i in, an IKE SA rekey both SPIs), so a new SA
 * waits in "pending" until the next search, which indexes it first. An
 * entry keeps the SPI it was indexed under; a search that misses in
 * "ours" walks the list as before, and re-indexes what it finds there.
 */
struct spi_slot {
	uint64_t key;
	struct ikesa *sa;		/* NULL: empty */
};

struct spi_table {
	struct spi_slot *v;
	size_t cap;			/* a power of two, or 0 */
	size_t n;
	uint64_t seed;			/* random: peers choose their SPIs */
};

struct ikesa_index {
	struct spi_table ours, peer;
	struct ikesa **pending;
	size_t n_pending, cap_pending;
	/* ikesa_run_timers(): when it last walked the SAs, what it found */
	uint64_t timers_walked, timers_next;
	/* responder SAs indexed while half-open, some since past it */
	struct ikesa **half_open;
	size_t n_half_open, cap_half_open;
};

static uint64_t spi_key(const uint8_t *spi)
{
	uint64_t k;

	memcpy(&k, spi, sizeof(k));
	return k;
}

static size_t spi_hash(const struct spi_table *t, uint64_t k)
{
	/* a peer could choose SPIs that collide, were it not for the seed */
	k ^= t->seed;
	k ^= k >> 31;
	k *= 0xbf58476d1ce4e5b9ULL;
	k ^= k >> 29;
	k *= 0x94d049bb133111ebULL;
	k ^= k >> 32;
	return k & (t->cap - 1);
}

static int spi_insert(struct spi_table *t, uint64_t key, struct ikesa *sa);

static int spi_grow(struct spi_table *t)
{
	struct spi_table bigger = {
		.cap = t->cap ? t->cap * 2 : 256,
		.seed = t->seed,
	};
	size_t i;

	bigger.v = calloc(bigger.cap, sizeof(*bigger.v));
	if (!bigger.v)
		return -1;
	for (i = 0; i < t->cap; i++)
		if (t->v[i].sa)
			spi_insert(&bigger, t->v[i].key, t->v[i].sa);
	free(t->v);
	*t = bigger;
	return 0;
}

static int spi_insert(struct spi_table *t, uint64_t key, struct ikesa *sa)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap && spi_grow(t))
		return -1;
	for (i = spi_hash(t, key); t->v[i].sa; i = (i + 1) & (t->cap - 1))
		;
	t->v[i].key = key;
	t->v[i].sa = sa;
	t->n++;
	return 0;
}

/* Empty slot i, moving up what would no longer be found behind it. */
static void spi_remove_at(struct spi_table *t, size_t i)
{
	size_t j = i, home;

	t->v[i].sa = NULL;
	t->n--;
	for (;;) {
		j = (j + 1) & (t->cap - 1);
		if (!t->v[j].sa)
			return;
		home = spi_hash(t, t->v[j].key);
		/* stays if its home is cyclically in (i, j] */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		t->v[i] = t->v[j];
		t->v[j].sa = NULL;
		i = j;
	}
}

/* Remove sa's entry, indexed under key if it still has that SPI. */
static void spi_remove(struct spi_table *t, uint64_t key, struct ikesa *sa)
{
	size_t i;

	if (!t->cap)
		return;
	for (i = spi_hash(t, key); t->v[i].sa; i = (i + 1) & (t->cap - 1)) {
		if (t->v[i].sa == sa) {
			spi_remove_at(t, i);
			return;
		}
	}
	for (i = 0; i < t->cap; i++) {		/* its SPI changed */
		if (t->v[i].sa == sa) {
			spi_remove_at(t, i);
			return;
		}
	}
}

static const uint8_t *our_spi(const struct ikesa *sa)
{
	return sa->initiator ? sa->spi_i : sa->spi_r;
}

static void index_add(struct ikesa_index *x, struct ikesa *sa)
{
	/* out of memory: the list walk still finds it */
	spi_insert(&x->ours, spi_key(our_spi(sa)), sa);
	if (!sa->initiator)
		spi_insert(&x->peer, spi_key(sa->spi_i), sa);
}

static void index_unhash(struct ikesa_index *x, struct ikesa *sa)
{
	spi_remove(&x->ours, spi_key(our_spi(sa)), sa);
	if (!sa->initiator)
		spi_remove(&x->peer, spi_key(sa->spi_i), sa);
}

static void index_del(struct ikesa_index *x, struct ikesa *sa)
{
	size_t i;

	for (i = 0; i < x->n_half_open; i++) {
		if (x->half_open[i] == sa) {
			x->half_open[i] = x->half_open[--x->n_half_open];
			break;
		}
	}
	for (i = 0; i < x->n_pending; i++) {
		if (x->pending[i] == sa) {
			x->pending[i] = x->pending[--x->n_pending];
			return;		/* never indexed */
		}
	}
	index_unhash(x, sa);
}

static void add_half_open(struct ikesa_index *x, struct ikesa *sa)
{
	struct ikesa **v;
	size_t cap;

	if (x->n_half_open == x->cap_half_open) {
		cap = x->cap_half_open ? x->cap_half_open * 2 : 64;
		v = realloc(x->half_open, cap * sizeof(*v));
		if (!v)
			return;		/* not counted: fewer cookies */
		x->half_open = v;
		x->cap_half_open = cap;
	}
	x->half_open[x->n_half_open++] = sa;
}

/* Index the SAs made since the last search: their SPIs are final now. */
static struct ikesa_index *index_settle(struct ike_daemon *d)
{
	struct ikesa_index *x = d->sa_index;
	size_t i;

	if (!x)
		return NULL;
	for (i = 0; i < x->n_pending; i++) {
		index_add(x, x->pending[i]);
		if (x->pending[i]->state == IKESA_HALF_OPEN)
			add_half_open(x, x->pending[i]);
	}
	x->n_pending = 0;
	return x;
}

/*
 * The half-open responder SAs, for the cookie and DoS thresholds
 * (cookie.c), counted at each IKE_SA_INIT: from the list of those that
 * were half-open when indexed, rather than by walking every SA.
 */
unsigned int ikesa_half_open(struct ike_daemon *d)
{
	struct ikesa_index *x = index_settle(d);
	unsigned int n = 0;
	struct ikesa *sa;
	size_t i;

	if (!x) {
		for (sa = d->sas->head; sa; sa = sa->next)
			n += sa->state == IKESA_HALF_OPEN;
		return n;
	}
	for (i = x->n_half_open; i-- > 0;)
		if (x->half_open[i]->state != IKESA_HALF_OPEN)
			x->half_open[i] = x->half_open[--x->n_half_open];
	return x->n_half_open;
}

static void index_pending(struct ike_daemon *d, struct ikesa *sa)
{
	struct ikesa_index *x = d->sa_index;
	struct ikesa **v;
	size_t cap;

	if (!x) {
		x = d->sa_index = calloc(1, sizeof(*x));
		if (!x)
			return;
		/* no seed, no harm: the SPIs we choose are random anyway */
		RAND_bytes((uint8_t *)&x->ours.seed, sizeof(x->ours.seed));
		RAND_bytes((uint8_t *)&x->peer.seed, sizeof(x->peer.seed));
	}
	if (x->n_pending == x->cap_pending) {
		cap = x->cap_pending ? x->cap_pending * 2 : 16;
		v = realloc(x->pending, cap * sizeof(*v));
		if (!v) {
			index_add(x, sa);	/* the list walk is the fallback */
			return;
		}
		x->pending = v;
		x->cap_pending = cap;
	}
	x->pending[x->n_pending++] = sa;
}

static void index_free(struct ike_daemon *d)
{
	struct ikesa_index *x = d->sa_index;

	if (!x)
		return;
	free(x->ours.v);
	free(x->peer.v);
	free(x->pending);
	free(x->half_open);
	free(x);
	d->sa_index = NULL;
}

struct ikesa *ikesa_new(struct ike_daemon *d, const struct ike_conn *conn,
			bool initiator)
{
	struct ikesa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->conn_name = strdup(conn->name);
	if (!sa->conn_name || ike_spi_new(initiator ? sa->spi_i : sa->spi_r)) {
		free(sa->conn_name);
		free(sa);
		return NULL;
	}
	sa->conn = conn;
	sa->initiator = initiator;
	sa->next = d->sas->head;
	d->sas->head = sa;
	index_pending(d, sa);
	return sa;
}

static void pending_clear(struct ikesa_pending *p)
{
	free(p->buf);
	memset(p, 0, sizeof(*p));
}

static void ikesa_free(struct ike_daemon *d, struct ikesa *sa)
{
	struct ikesa **pp, *o;

	for (pp = &d->sas->head; *pp; pp = &(*pp)->next) {
		if (*pp == sa) {
			*pp = sa->next;
			break;
		}
	}
	if (d->sa_index)
		index_del(d->sa_index, sa);
	for (o = d->sas->head; o; o = o->next)
		if (o->rk_theirs == sa)
			o->rk_theirs = NULL;	/* its collision is moot */
	ikesa_child_remove(d, sa);
	if (sa->waiter)
		ike_waiter_done(sa->waiter, sa->state == IKESA_ESTABLISHED ?
					    0 : 1);
	pending_clear(&sa->req);
	free(sa->last_resp);
	free(sa->msg_i);
	free(sa->msg_r);
	free(sa->offer);
	free(sa->conn_name);
	ike_kex_free(sa->kex);
	ike_kex_free(sa->request.kex);
	ike_sa_keys_clear(&sa->keys);
	ike_sk_clear(&sa->sk_out);
	ike_sk_clear(&sa->sk_in);
	free(sa);
}

/* ---- failures: one line for the log, the status and `kipsec up` ---- */

static struct ikesa_note *note_for(struct ike_daemon *d, const char *conn)
{
	struct ikesa_note *n;

	for (n = d->sas->notes; n; n = n->next)
		if (!strcmp(n->conn, conn))
			return n;
	n = calloc(1, sizeof(*n) + strlen(conn) + 1);
	if (!n)
		return NULL;
	strcpy(n->conn, conn);
	n->next = d->sas->notes;
	d->sas->notes = n;
	return n;
}

/* Log a failure and keep it as the connection's last one. */
static void note_v(struct ike_daemon *d, const char *conn, const char *fmt,
		   va_list ap, char *text, size_t size)
{
	struct ikesa_note *n;

	vsnprintf(text, size, fmt, ap);
	ike_log("%s: %s", conn, text);
	n = note_for(d, conn);
	if (n)
		snprintf(n->last_error, sizeof(n->last_error), "%s", text);
}

static void report_v(struct ike_daemon *d, struct ikesa *sa, const char *fmt,
		     va_list ap)
{
	char text[sizeof(((struct ikesa_note *)0)->last_error)];

	note_v(d, sa->conn_name, fmt, ap, text, sizeof(text));
	ike_waiter_say(sa->waiter, "%s", text);
}

void ikesa_report(struct ike_daemon *d, struct ikesa *sa, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(d, sa, fmt, ap);
	va_end(ap);
}

void ikesa_fail(struct ike_daemon *d, struct ikesa *sa, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(d, sa, fmt, ap);
	va_end(ap);
	ikesa_set_state(d, sa, IKESA_DEAD);
}

/* A refusal of ours, as responder: logged, and the connection's last failure. */
void ikesa_note(struct ike_daemon *d, const char *conn, const char *fmt, ...)
{
	char text[sizeof(((struct ikesa_note *)0)->last_error)];
	va_list ap;

	va_start(ap, fmt);
	note_v(d, conn, fmt, ap, text, sizeof(text));
	va_end(ap);
}

void ikesa_note_ok(struct ike_daemon *d, const char *conn)
{
	struct ikesa_note *n = note_for(d, conn);

	if (n)
		n->last_error[0] = '\0';
}

/* ---- sending: requests are kept for retransmission, responses too ---- */

static void header_of(const struct ikesa *sa, uint8_t exchange, bool response,
		      uint32_t id, struct ike_hdr *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->ispi, sa->spi_i, IKE_SPI_LEN);
	memcpy(h->rspi, sa->spi_r, IKE_SPI_LEN);
	h->exchange = exchange;
	h->flags = (sa->initiator ? IKE_FLAG_INITIATOR : 0) |
		   (response ? IKE_FLAG_RESPONSE : 0);
	h->msg_id = id;
}

/*
 * A whole message: an unprotected one when inner is NULL (plain holds
 * the payloads already), else the SK payload around inner's chain.
 * Returns the finished buffer, or an empty one if memory ran out.
 */
static struct ike_buf build(struct ikesa *sa, uint8_t exchange, bool response,
			    uint32_t id, struct ike_buf *inner)
{
	struct ike_buf out = { 0 };
	struct ike_hdr h;
	size_t off, body;
	ssize_t n;

	header_of(sa, exchange, response, id, &h);
	ike_msg_start(&out, &h);
	body = ike_sk_len(&sa->sk_out, inner->len);
	off = ike_put_sk(&out, inner->first, body);
	if (ike_msg_finish(&out))
		goto fail;
	n = ike_sk_encrypt(&sa->sk_out, out.p, off + IKE_PL_HDR_LEN,
			   inner->p, inner->len, out.p + off + IKE_PL_HDR_LEN,
			   body);
	if (n != (ssize_t)body)
		goto fail;
	return out;
fail:
	ike_buf_free(&out);
	return out;
}

static void transmit(struct ike_daemon *d, struct ikesa *sa,
		     const uint8_t *p, size_t len)
{
	ike_send(d, &sa->local, &sa->remote, p, len);
}

/* Takes buf: sends it now and again until the response comes. */
void ikesa_send_request(struct ike_daemon *d, struct ikesa *sa,
			struct ike_buf *buf, uint8_t exchange)
{
	pending_clear(&sa->req);
	sa->req.buf = buf->p;
	sa->req.len = buf->len;
	sa->req.id = sa->next_id++;
	sa->req.exchange = exchange;
	sa->req.tries = 0;
	sa->req.next_at = ike_now_ms() + d->retransmit_ms;
	buf->p = NULL;
	transmit(d, sa, sa->req.buf, sa->req.len);
}

/* Takes buf: the response to the peer's current request. */
void ikesa_send_response(struct ike_daemon *d, struct ikesa *sa,
			 struct ike_buf *buf)
{
	free(sa->last_resp);
	sa->last_resp = buf->p;
	sa->last_resp_len = buf->len;
	buf->p = NULL;
	transmit(d, sa, sa->last_resp, sa->last_resp_len);
}

/*
 * An encrypted request or response of the IKE SA; inner is consumed.
 * For a request the message ID is the next of ours, for a response the
 * peer's request's.
 */
void ikesa_send_encrypted(struct ike_daemon *d, struct ikesa *sa,
			  uint8_t exchange, bool response,
			  struct ike_buf *inner)
{
	uint32_t id = response ? sa->peer_id_next - 1 : sa->next_id;
	struct ike_buf out = build(sa, exchange, response, id, inner);

	ike_buf_free(inner);
	if (!out.p) {
		ike_log("%s: out of memory building a message", sa->conn_name);
		return;
	}
	if (response)
		ikesa_send_response(d, sa, &out);
	else
		ikesa_send_request(d, sa, &out, exchange);
}

/* ---- receiving ---- */

/*
 * Decrypt m's SK payload (raw is the datagram) and decode what it holds
 * into m; plain receives the inner chain, which m then points into.
 * 0, or -1: the message cannot be trusted, drop it without an answer.
 */
static int decrypt(struct ikesa *sa, const uint8_t *raw, struct ike_msg *m,
		   uint8_t *plain, size_t size, struct ike_err *err)
{
	ssize_t n;

	if (!ike_msg_has(m, IKE_PL_SK)) {
		snprintf(err->msg, sizeof(err->msg), "no SK payload");
		err->notify = 0;
		return -1;
	}
	n = ike_sk_decrypt(&sa->sk_in, raw, m->sk.off + IKE_PL_HDR_LEN,
			   m->sk.body.p, m->sk.body.len, plain, size);
	if (n < 0) {
		snprintf(err->msg, sizeof(err->msg), "SK payload: %s",
			 ike_crypto_strerror(n));
		err->notify = 0;
		return -1;
	}
	return ike_payloads_decode(m->sk.first, plain, n, m, err);
}

static bool for_us(const struct ikesa *sa, const struct ike_hdr *h)
{
	/* our own flag is the initiator bit of what we send */
	bool from_initiator = h->flags & IKE_FLAG_INITIATOR;

	if (from_initiator == sa->initiator)
		return false;
	if (memcmp(h->ispi, sa->spi_i, IKE_SPI_LEN))
		return false;
	/* an IKE_SA_INIT response is the first to carry the SPIr */
	if (sa->state == IKESA_INIT_SENT)
		return true;
	return !memcmp(h->rspi, sa->spi_r, IKE_SPI_LEN);
}

static struct ikesa *lookup(struct ike_daemon *d, const struct ike_hdr *h)
{
	struct ikesa_index *x = index_settle(d);
	bool from_initiator = h->flags & IKE_FLAG_INITIATOR;
	/* the SPI we chose: the responder's if the initiator sent it */
	uint64_t key = spi_key(from_initiator ? h->rspi : h->ispi);
	struct spi_table *t = x ? &x->ours : NULL;
	struct ikesa *sa;
	size_t i;

	if (t && t->cap) {
		for (i = spi_hash(t, key); (sa = t->v[i].sa);
		     i = (i + 1) & (t->cap - 1))
			if (t->v[i].key == key && sa->state != IKESA_DEAD &&
			    for_us(sa, h))
				return sa;
		/* a new IKE_SA_INIT has no SA yet (init_again) */
		if (!key && from_initiator && !(h->flags & IKE_FLAG_RESPONSE))
			return NULL;
	}
	for (sa = d->sas->head; sa; sa = sa->next) {
		if (sa->state != IKESA_DEAD && for_us(sa, h)) {
			if (x) {	/* its SPI changed since it was indexed */
				index_unhash(x, sa);
				index_add(x, sa);
			}
			return sa;
		}
	}
	return NULL;
}

struct ikesa *ikesa_find_responder(struct ike_daemon *d, const uint8_t *spi_i,
				   const uint8_t *spi_r)
{
	/* as the initiator's requests are: it sets the flag, we respond */
	struct ike_hdr h = { .flags = IKE_FLAG_INITIATOR };

	memcpy(h.ispi, spi_i, IKE_SPI_LEN);
	memcpy(h.rspi, spi_r, IKE_SPI_LEN);
	return lookup(d, &h);
}

/* Our responder SA for the initiator's SPI in h. */
static struct ikesa *by_spi_i(struct ike_daemon *d, const struct ike_hdr *h)
{
	struct ikesa_index *x = index_settle(d);
	uint64_t key = spi_key(h->ispi);
	struct spi_table *t;
	struct ikesa *sa;
	size_t i;

	if (!x) {
		for (sa = d->sas->head; sa; sa = sa->next)
			if (!sa->initiator && sa->state != IKESA_DEAD &&
			    !memcmp(sa->spi_i, h->ispi, IKE_SPI_LEN))
				return sa;
		return NULL;
	}
	t = &x->peer;
	if (!t->cap)
		return NULL;
	for (i = spi_hash(t, key); (sa = t->v[i].sa);
	     i = (i + 1) & (t->cap - 1))
		if (t->v[i].key == key && !sa->initiator &&
		    sa->state != IKESA_DEAD &&
		    !memcmp(sa->spi_i, h->ispi, IKE_SPI_LEN))
			return sa;
	return NULL;
}

/*
 * A retransmitted IKE_SA_INIT request still has a zero SPIr: it belongs
 * to the half-open SA that answered it, not to a new one. The same bytes
 * get the same answer again; anything else with that SPIi is dropped.
 */
static bool init_again(struct ike_daemon *d, const struct ike_dgram *dg,
		       const struct ike_hdr *h)
{
	struct ikesa *sa = by_spi_i(d, h);

	if (sa) {
		if (sa->state == IKESA_HALF_OPEN && sa->last_resp &&
		    dg->len == sa->msg_i_len &&
		    !memcmp(dg->p, sa->msg_i, dg->len))
			transmit(d, sa, sa->last_resp, sa->last_resp_len);
		return true;
	}
	return false;
}

/* Free what is dead (after the event that killed it is handled). */
static void reap(struct ike_daemon *d)
{
	struct ikesa *sa, *next;

	for (sa = d->sas->head; sa; sa = next) {
		next = sa->next;
		if (sa->state == IKESA_DEAD)
			ikesa_free(d, sa);
	}
}

void ikesa_reap_sa(struct ike_daemon *d, struct ikesa *sa)
{
	if (sa->state == IKESA_DEAD)
		ikesa_free(d, sa);
}

/*
 * After a datagram: free sa and the SAs made meanwhile if they died,
 * without walking all the SAs for every datagram. Another SA that died
 * (none does today) goes at the next ikesa_run_timers(), before the loop
 * waits again.
 */
static void reap_event(struct ike_daemon *d, struct ikesa *sa)
{
	struct ikesa_index *x = d->sa_index;
	size_t i;

	if (!x) {
		reap(d);
		return;
	}
	if (sa && sa->state == IKESA_DEAD)
		ikesa_free(d, sa);
	/* backwards: freeing one moves the last into its place */
	for (i = x->n_pending; i-- > 0;)
		if (x->pending[i]->state == IKESA_DEAD)
			ikesa_free(d, x->pending[i]);
}

static void handle_response(struct ike_daemon *d, struct ikesa *sa,
			    const struct ike_dgram *dg, struct ike_msg *m)
{
	uint8_t plain[IKE_MSG_MAX];
	struct ike_err err = { 0 };

	if (m->hdr.msg_id != sa->req.id || !sa->req.buf)
		return;		/* a late duplicate */
	if (m->hdr.exchange == IKE_SA_INIT) {
		pending_clear(&sa->req);
		ikesa_init_response(d, sa, dg, m);
		return;
	}
	if (decrypt(sa, dg->p, m, plain, sizeof(plain), &err)) {
		ike_debug(d, "%s: response %u dropped: %s", sa->conn_name,
			  m->hdr.msg_id, err.msg);
		return;
	}
	pending_clear(&sa->req);
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

static void informational_request(struct ike_daemon *d, struct ikesa *sa,
				  struct ike_msg *m)
{
	struct ike_buf inner = { 0 };
	size_t i;

	for (i = 0; i < m->n_delete; i++) {
		if (m->del[i].proto == IKE_PROTO_IKE) {
			ike_log("%s: the peer deleted the IKE SA",
				sa->conn_name);
			ikesa_send_encrypted(d, sa, IKE_INFORMATIONAL, true,
					     &inner);
			/*
			 * It won a rekey collision (RFC 7296 2.8.2) before
			 * our rekey was answered: the answer lets us delete
			 * our redundant IKE SA.
			 */
			ikesa_set_state(d, sa, sa->request.kind == IKESA_RQ_IKE &&
					       sa->rk_their_nonce_len ?
					       IKESA_DELETING : IKESA_DEAD);
			return;
		}
		ikesa_child_peer_delete(d, sa, &m->del[i], &inner);
	}
	/* an empty one is the peer's liveness check: answered alike */
	ikesa_send_encrypted(d, sa, IKE_INFORMATIONAL, true, &inner);
}

static void handle_request(struct ike_daemon *d, struct ikesa *sa,
			   const struct ike_dgram *dg, struct ike_msg *m)
{
	uint8_t plain[IKE_MSG_MAX];
	struct ike_err err = { 0 };

	if (m->hdr.msg_id + 1 == sa->peer_id_next && sa->last_resp) {
		/* our response was lost: the same bytes again */
		transmit(d, sa, sa->last_resp, sa->last_resp_len);
		return;
	}
	if (m->hdr.msg_id != sa->peer_id_next)
		return;
	if (m->hdr.exchange == IKE_SA_INIT)
		return;		/* a second IKE_SA_INIT on this SA */
	if (decrypt(sa, dg->p, m, plain, sizeof(plain), &err)) {
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
		informational_request(d, sa, m);
		break;
	case IKE_CREATE_CHILD_SA:
		ikesa_create_child_request(d, sa, m);
		break;
	default:
		break;
	}
}

void ikesa_input(struct ike_daemon *d, const struct ike_dgram *dg)
{
	struct ike_msg m = { 0 };
	struct ike_err err = { 0 };
	struct ikesa *sa;
	char from[80];

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
	sa = lookup(d, &m.hdr);
	if (!sa) {
		if (m.hdr.exchange == IKE_SA_INIT &&
		    !(m.hdr.flags & IKE_FLAG_RESPONSE)) {
			if (!init_again(d, dg, &m.hdr))
				ikesa_init_request(d, dg, &m);
		}
		else
			ike_debug(d, "from %s: no IKE SA for this message",
				  ss_format(&dg->remote, from, sizeof(from)));
		reap_event(d, NULL);
		return;
	}
	if (m.hdr.flags & IKE_FLAG_RESPONSE)
		handle_response(d, sa, dg, &m);
	else
		handle_request(d, sa, dg, &m);
	reap_event(d, sa);
}

/* ---- timers ---- */

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
	transmit(d, sa, sa->req.buf, sa->req.len);
}

uint64_t ikesa_earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/*
 * Walking every SA after every event (each datagram, each key exchange a
 * worker finished) cost more than the timers: the walk runs when a
 * deadline it found is due, else at most every TIMER_WALK_MS, when it
 * picks up the deadlines set meanwhile (none is closer than that: the
 * nearest are retransmissions, after a second or more).
 */
#define TIMER_WALK_MS	50

uint64_t ikesa_run_timers(struct ike_daemon *d, uint64_t now)
{
	struct ikesa_index *x = d->sa_index;
	uint64_t next = 0, walk;
	struct ikesa *sa;

	if (x && now < x->timers_next) {
		walk = x->timers_walked + TIMER_WALK_MS;
		if (now < walk)
			return walk < x->timers_next ? walk : x->timers_next;
	}

	for (sa = d->sas->head; sa; sa = sa->next) {
		if (sa->req.buf && sa->req.next_at <= now)
			retransmit(d, sa, now);
		if (sa->state == IKESA_HALF_OPEN &&
		    sa->created_at + HALF_OPEN_MS <= now) {
			ike_debug(d, "%s: half-open IKE SA timed out",
				  sa->conn_name);
			ikesa_set_state(d, sa, IKESA_DEAD);
		}
		if (sa->state == IKESA_ESTABLISHED) {
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
	reap(d);
	if (x) {
		x->timers_walked = now;
		x->timers_next = next ? next : UINT64_MAX;
	}
	return next ? next : UINT64_MAX;
}

void ikesa_request_begin(struct ikesa *sa, enum ikesa_request_kind kind,
			 struct ikesa_child *ch)
{
	sa->request.kind = kind;
	sa->request.child = ch;
}

void ikesa_request_end(struct ikesa *sa)
{
	sa->request.kind = IKESA_RQ_NONE;
	sa->request.child = NULL;
}

/*
 * The IKE SA is up: DPD counts from now, and the IKE SA is rekeyed after
 * rekey_time less up to rand_time (strongSwan's default: 4 h, 10 %).
 */
void ikesa_established(struct ike_daemon *d, struct ikesa *sa)
{
	uint64_t rekey = sa->conn && sa->conn->rekey_time ?
			 sa->conn->rekey_time : 4 * 3600;
	uint64_t jitter = sa->conn && sa->conn->rand_time ?
			  sa->conn->rand_time : rekey / 10;

	ikesa_set_state(d, sa, IKESA_ESTABLISHED);
	sa->established_at = sa->last_heard = ike_now_ms();
	/* only the AUTH payloads needed these: memory per SA matters */
	free(sa->msg_i);
	free(sa->msg_r);
	sa->msg_i = sa->msg_r = NULL;
	ike_kex_free(sa->kex);
	sa->kex = NULL;
	rekey = rekey * 1000 - (jitter ? random() % (jitter * 1000) : 0);
	sa->rekey_ike_at = sa->established_at + rekey;
}

/* Wireshark's ikev2_decryption_table, with --wireshark-keys. */
void ikesa_keylog(struct ike_daemon *d, const struct ikesa *sa)
{
	uint16_t encr = 0, keybits = 0, integ = IKE_INTEG_NONE;
	size_t i;
	int ret;

	if (!d->keylog_dir)
		return;
	for (i = 0; i < sa->prop.n_tr; i++) {
		if (sa->prop.tr[i].type == IKE_TR_ENCR) {
			encr = sa->prop.tr[i].id;
			keybits = sa->prop.tr[i].keylen;
		} else if (sa->prop.tr[i].type == IKE_TR_INTEG) {
			integ = sa->prop.tr[i].id;
		}
	}
	ret = ike_keylog_ike(d->keylog_dir, sa->spi_i, sa->spi_r, &sa->keys,
			     encr, keybits, integ);
	if (ret)
		ike_log("%s: writing the Wireshark keys: %s", sa->conn_name,
			strerror(-ret));
}

/* ---- deleting ---- */

/* Tell the peer (INFORMATIONAL with a Delete of the IKE SA), then go. */
void ikesa_delete(struct ike_daemon *d, struct ikesa *sa)
{
	struct ike_buf inner = { 0 };
	struct ike_pl_delete del = { .proto = IKE_PROTO_IKE };

	if (sa->state != IKESA_ESTABLISHED || sa->req.buf) {
		ikesa_set_state(d, sa, IKESA_DEAD);
		return;
	}
	ike_put_delete(&inner, &del);
	ikesa_send_encrypted(d, sa, IKE_INFORMATIONAL, false, &inner);
	ikesa_child_remove(d, sa);
	ikesa_set_state(d, sa, IKESA_DELETING);
}

void ikesa_shutdown(struct ike_daemon *d)
{
	struct ikesa *sa;
	struct ikesa_note *n;

	/* a best effort: one Delete each, no waiting for the answers */
	for (sa = d->sas->head; sa; sa = sa->next)
		ikesa_delete(d, sa);
	while (d->sas->head)
		ikesa_free(d, d->sas->head);
	while ((n = d->sas->notes)) {
		d->sas->notes = n->next;
		free(n);
	}
	ikesa_trap_remove_all(d);
	ikesa_creds_free(d);
	free(d->sas);
	d->sas = NULL;
	index_free(d);
}
