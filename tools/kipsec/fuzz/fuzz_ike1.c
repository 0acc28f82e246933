// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv1 half of fuzz_ike_msg: what it does with a datagram whose
 * version byte says major 1 (ike/v1/msg.c).
 *
 *  - ike1_msg_decode() must never read out of bounds or hit undefined
 *    behaviour, whatever it decides;
 *  - an encrypted message's body is also decoded as if it were the
 *    decrypted chain (padding and all), since forged ciphertext never
 *    reaches the inner decoder;
 *  - whatever decodes must survive a round trip through the ike1_put_*()
 *    encoder and decode again into the same fields, else abort(): the
 *    decoder accepts what the encoder refuses, or a field changes on the
 *    way.
 *
 * No randomness, and nothing carried from one input to the next.
 */
#include <stdlib.h>
#include <string.h>

#include "../ike/v1/msg.h"
#include "fuzz_ike1.h"

static void put_repeated(struct ike1_buf *b, const struct ike1_msg *m)
{
	uint8_t i;

	for (i = 0; i < m->n_id; i++)
		ike1_put_id(b, &m->id[i]);
	for (i = 0; i < m->n_cert; i++)
		ike1_put_cert(b, IKE1_PL_CERT, &m->cert[i]);
	for (i = 0; i < m->n_certreq; i++)
		ike1_put_cert(b, IKE1_PL_CERTREQ, &m->certreq[i]);
	for (i = 0; i < m->n_notify; i++)
		ike1_put_notify(b, &m->notify[i]);
	for (i = 0; i < m->n_delete; i++)
		ike1_put_delete(b, &m->del[i]);
	for (i = 0; i < m->n_vendor; i++)
		ike1_put_bytes(b, IKE1_PL_VENDOR, &m->vendor[i]);
	for (i = 0; i < m->n_natd; i++)
		ike1_put_bytes(b, IKE1_PL_NAT_D, &m->natd[i]);
	for (i = 0; i < m->n_natoa; i++)
		ike1_put_natoa(b, &m->natoa[i]);
}

/*
 * Every payload m holds, in a fixed order (the decoder keeps the order
 * within a kind only).
 */
static void put_payloads(struct ike1_buf *b, const struct ike1_msg *m)
{
	static const uint8_t once[] = {
		IKE1_PL_HASH, IKE1_PL_KE, IKE1_PL_NONCE, IKE1_PL_SIG,
	};
	const struct ike1_bytes *bytes[] = {
		&m->hash, &m->ke, &m->nonce, &m->sig,
	};
	size_t i;

	if (ike1_msg_has(m, IKE1_PL_SA))
		ike1_put_sa(b, &m->sa);
	for (i = 0; i < sizeof(once); i++)
		if (ike1_msg_has(m, once[i]))
			ike1_put_bytes(b, once[i], bytes[i]);
	put_repeated(b, m);
}

/*
 * Two decodes compare by a flat record of every field the encoder writes
 * (not the SA and ID bodies: RESERVED bytes are dropped on the way).
 * Absent payloads are zero in both, so they record alike.
 */
struct record {
	uint8_t *p;
	size_t len, cap;
};

static void out(struct record *r, const void *src, size_t n)
{
	if (r->len + n > r->cap) {
		r->cap = 2 * (r->len + n);
		r->p = realloc(r->p, r->cap);
		if (!r->p)
			abort();
	}
	if (n)
		memcpy(r->p + r->len, src, n);
	r->len += n;
}

#define OUT(r, field)	out((r), &(field), sizeof(field))

static void out_bytes(struct record *r, const struct ike1_bytes *b)
{
	OUT(r, b->len);
	out(r, b->p, b->len);
}

static void record_sa(struct record *r, const struct ike1_pl_sa *sa)
{
	const struct ike1_transform *tr;
	uint8_t i, a;

	OUT(r, sa->doi);
	OUT(r, sa->situation);
	OUT(r, sa->n_prop);
	OUT(r, sa->n_tr);
	for (i = 0; i < sa->n_prop; i++) {
		OUT(r, sa->prop[i].num);
		OUT(r, sa->prop[i].proto);
		OUT(r, sa->prop[i].first_tr);
		OUT(r, sa->prop[i].n_tr);
		OUT(r, sa->prop[i].spi_len);
		out(r, sa->prop[i].spi, sa->prop[i].spi_len);
	}
	for (tr = sa->tr; tr < sa->tr + sa->n_tr; tr++) {
		OUT(r, tr->num);
		OUT(r, tr->id);
		OUT(r, tr->n_attr);
		for (a = 0; a < tr->n_attr; a++) {
			OUT(r, tr->attr[a].type);
			OUT(r, tr->attr[a].tv);
			if (tr->attr[a].tv)
				OUT(r, tr->attr[a].val);
			else
				out_bytes(r, &tr->attr[a].data);
		}
	}
}

/* The repeated payloads, kind by kind, in the order received. */
static void record_lists(struct record *r, const struct ike1_msg *m)
{
	uint8_t i;

	for (i = 0; i < m->n_id; i++) {
		OUT(r, m->id[i].type);
		OUT(r, m->id[i].proto);
		OUT(r, m->id[i].port);
		out_bytes(r, &m->id[i].data);
	}
	for (i = 0; i < m->n_cert; i++) {
		OUT(r, m->cert[i].encoding);
		out_bytes(r, &m->cert[i].data);
	}
	for (i = 0; i < m->n_certreq; i++) {
		OUT(r, m->certreq[i].encoding);
		out_bytes(r, &m->certreq[i].data);
	}
	for (i = 0; i < m->n_notify; i++) {
		OUT(r, m->notify[i].doi);
		OUT(r, m->notify[i].proto);
		OUT(r, m->notify[i].type);
		out_bytes(r, &m->notify[i].spi);
		out_bytes(r, &m->notify[i].data);
	}
	for (i = 0; i < m->n_delete; i++) {
		OUT(r, m->del[i].doi);
		OUT(r, m->del[i].proto);
		OUT(r, m->del[i].spi_size);
		OUT(r, m->del[i].n_spi);
		out(r, m->del[i].spis,
		    (size_t)m->del[i].n_spi * m->del[i].spi_size);
	}
	for (i = 0; i < m->n_vendor; i++)
		out_bytes(r, &m->vendor[i]);
	for (i = 0; i < m->n_natd; i++)
		out_bytes(r, &m->natd[i]);
	for (i = 0; i < m->n_natoa; i++) {
		OUT(r, m->natoa[i].type);
		out_bytes(r, &m->natoa[i].addr);
	}
}

static void record_msg(struct record *r, const struct ike1_msg *m)
{
	OUT(r, m->seen);
	OUT(r, m->n_id);
	OUT(r, m->n_cert);
	OUT(r, m->n_certreq);
	OUT(r, m->n_notify);
	OUT(r, m->n_delete);
	OUT(r, m->n_vendor);
	OUT(r, m->n_natd);
	OUT(r, m->n_natoa);
	record_sa(r, &m->sa);
	out_bytes(r, &m->ke);
	out_bytes(r, &m->hash);
	out_bytes(r, &m->sig);
	out_bytes(r, &m->nonce);
	record_lists(r, m);
}

/* The payloads (and, with_hdr, the header) of x and y are the same. */
static bool same(const struct ike1_msg *x, const struct ike1_msg *y,
		 bool with_hdr)
{
	struct record rx = { 0 }, ry = { 0 };
	bool eq;

	record_msg(&rx, x);
	record_msg(&ry, y);
	eq = rx.len == ry.len && !memcmp(rx.p, ry.p, rx.len);
	free(rx.p);
	free(ry.p);
	if (!with_hdr)
		return eq;
	return eq && !memcmp(x->hdr.icookie, y->hdr.icookie, 8) &&
	       !memcmp(x->hdr.rcookie, y->hdr.rcookie, 8) &&
	       x->hdr.exchange == y->hdr.exchange &&
	       x->hdr.flags == y->hdr.flags && x->hdr.msg_id == y->hdr.msg_id;
}

/* A message in the clear: decode(encode(m)) must give m back. */
static void round_trip_clear(const struct ike1_msg *m)
{
	struct ike1_msg redecoded;
	struct ike1_buf b = { 0 };
	struct ike1_err err;

	ike1_msg_start(&b, &m->hdr);
	put_payloads(&b, m);
	if (ike1_msg_finish(&b) < 0)
		abort();	/* decoded, yet the encoder refuses it */
	if (ike1_msg_decode(b.p, b.len, &redecoded, &err) < 0)
		abort();	/* the decoder refuses the encoder's output */
	if (!same(m, &redecoded, true))
		abort();	/* a field changed on the way */
	ike1_buf_free(&b);
}

/* The same for a decrypted chain, without its padding. */
static void round_trip_chain(const struct ike1_msg *m)
{
	struct ike1_msg redecoded;
	struct ike1_buf b = { 0 };
	struct ike1_err err;

	put_payloads(&b, m);
	if (b.failed)
		abort();
	memset(&redecoded, 0, sizeof(redecoded));
	if (b.len && ike1_payloads_decode(b.first, b.p, b.len, &redecoded,
					  &err) < 0)
		abort();
	if (!same(m, &redecoded, false))
		abort();
	ike1_buf_free(&b);
}

void fuzz_ike1_one(const uint8_t *data, size_t size)
{
	struct ike1_msg decoded;	/* tens of KB: the stack has room */
	struct ike1_err err;

	if (ike1_msg_decode(data, size, &decoded, &err) < 0)
		return;
	if (!(decoded.hdr.flags & IKE1_FLAG_ENCRYPTION)) {
		round_trip_clear(&decoded);
		return;
	}
	/* Adds the inner payloads to decoded, as the daemon does. */
	if (ike1_payloads_decode(decoded.hdr.next, decoded.body.p,
				 decoded.body.len, &decoded, &err) < 0)
		return;
	round_trip_chain(&decoded);
}
