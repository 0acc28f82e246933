// SPDX-License-Identifier: GPL-2.0
/*
 * IKE SAs (RFC 7296): the table and its SPI index, creating, finding and
 * freeing an SA, its failures and notes. Messages are exchange.c's;
 * IKE_SA_INIT is init.c's, IKE_AUTH auth.c's, CHILD_SAs in the kernel
 * child.c's; dispatch.c hands each datagram and timer to them.
 *
 * Every failure ends in one log line that says which exchange failed,
 * which side refused and what differs; the same text is what `kipsec
 * status` shows for the connection and what `kipsec up` prints.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/rand.h>

#include "conf.h"
#include "creds.h"
#include "crypto.h"
#include "ikesa_int.h"
#include "keylog.h"

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
	sa->version = 2;
	sa->initiator = initiator;
	sa->next = d->sas->head;
	d->sas->head = sa;
	index_pending(d, sa);
	return sa;
}

void ikesa_pending_clear(struct ikesa_pending *p)
{
	free(p->buf);
	memset(p, 0, sizeof(*p));
}

void ikesa_free(struct ike_daemon *d, struct ikesa *sa)
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
	if (sa->v1_free)
		sa->v1_free(sa->v1);
	if (sa->waiter)
		ike_waiter_done(sa->waiter, sa->state == IKESA_ESTABLISHED ?
					    0 : 1);
	ikesa_pending_clear(&sa->req);
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

/* ---- finding an IKE SA ---- */

static bool for_us(const struct ikesa *sa, const struct ike_hdr *h,
		   uint8_t version)
{
	/* our own flag is the initiator bit of what we send */
	bool from_initiator = h->flags & IKE_FLAG_INITIATOR;

	/* a peer may use one cookie for ISAKMP and IKEv2 alike */
	if (sa->version != version)
		return false;
	if (from_initiator == sa->initiator)
		return false;
	if (memcmp(h->ispi, sa->spi_i, IKE_SPI_LEN))
		return false;
	/* an IKE_SA_INIT response is the first to carry the SPIr */
	if (sa->state == IKESA_INIT_SENT)
		return true;
	return !memcmp(h->rspi, sa->spi_r, IKE_SPI_LEN);
}

static struct ikesa *lookup(struct ike_daemon *d, const struct ike_hdr *h,
			    uint8_t version)
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
			    for_us(sa, h, version))
				return sa;
		/* a new IKE_SA_INIT has no SA yet (init_again) */
		if (!key && from_initiator && !(h->flags & IKE_FLAG_RESPONSE))
			return NULL;
	}
	for (sa = d->sas->head; sa; sa = sa->next) {
		if (sa->state != IKESA_DEAD && for_us(sa, h, version)) {
			if (x) {	/* its SPI changed since it was indexed */
				index_unhash(x, sa);
				index_add(x, sa);
			}
			return sa;
		}
	}
	return NULL;
}

struct ikesa *ikesa_lookup(struct ike_daemon *d, const struct ike_hdr *h)
{
	return lookup(d, h, 2);
}

struct ikesa *ikesa_lookup_v1(struct ike_daemon *d, const uint8_t *cky_i,
			      const uint8_t *cky_r)
{
	/* IKEv1 has no initiator flag: we are the responder, it sent it */
	struct ike_hdr h = { .flags = IKE_FLAG_INITIATOR };
	struct ikesa *sa;

	memcpy(h.ispi, cky_i, IKE_SPI_LEN);
	if (cky_r) {
		memcpy(h.rspi, cky_r, IKE_SPI_LEN);
		return lookup(d, &h, 1);
	}
	sa = ikesa_by_spi_i(d, &h);
	return sa && sa->version == 1 ? sa : NULL;
}

struct ikesa *ikesa_find_responder(struct ike_daemon *d, const uint8_t *spi_i,
				   const uint8_t *spi_r)
{
	/* as the initiator's requests are: it sets the flag, we respond */
	struct ike_hdr h = { .flags = IKE_FLAG_INITIATOR };

	memcpy(h.ispi, spi_i, IKE_SPI_LEN);
	memcpy(h.rspi, spi_r, IKE_SPI_LEN);
	return ikesa_lookup(d, &h);
}

struct ikesa *ikesa_by_spi_i(struct ike_daemon *d, const struct ike_hdr *h)
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

void ikesa_reap_all(struct ike_daemon *d)
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

void ikesa_reap_event(struct ike_daemon *d, struct ikesa *sa)
{
	struct ikesa_index *x = d->sa_index;
	size_t i;

	if (!x) {
		ikesa_reap_all(d);
		return;
	}
	if (sa && sa->state == IKESA_DEAD)
		ikesa_free(d, sa);
	/* backwards: freeing one moves the last into its place */
	for (i = x->n_pending; i-- > 0;)
		if (x->pending[i]->state == IKESA_DEAD)
			ikesa_free(d, x->pending[i]);
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

void ikesa_table_free(struct ike_daemon *d)
{
	struct ikesa_note *n;

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

/*
 * Walking every SA after every event (each datagram, each key exchange a
 * worker finished) cost more than the timers: the walk runs when a
 * deadline it found is due, else at most every TIMER_WALK_MS, when it
 * picks up the deadlines set meanwhile (none is closer than that: the
 * nearest are retransmissions, after a second or more).
 */
#define TIMER_WALK_MS	50

bool ikesa_timers_due(struct ike_daemon *d, uint64_t now, uint64_t *next)
{
	struct ikesa_index *x = d->sa_index;
	uint64_t walk;

	if (!x || now >= x->timers_next)
		return true;
	walk = x->timers_walked + TIMER_WALK_MS;
	if (now >= walk)
		return true;
	*next = walk < x->timers_next ? walk : x->timers_next;
	return false;
}

void ikesa_timers_walked(struct ike_daemon *d, uint64_t now, uint64_t next)
{
	struct ikesa_index *x = d->sa_index;

	if (!x)
		return;
	x->timers_walked = now;
	x->timers_next = next ? next : UINT64_MAX;
}
