// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the IKE message codecs (ike/msg.c, and
 * ike/v1/msg.c through fuzz_ike1.c for a major version of 1). Each input
 * is a datagram as the daemon receives it:
 *
 *  - ike_msg_decode() must never read out of bounds or hit undefined
 *    behaviour, whatever it decides (the sanitizers watch);
 *  - an SK payload's body is also decoded as if it were the decrypted
 *    chain, since forged ciphertext never reaches the inner decoder;
 *  - whatever decodes must survive a round trip: re-encoded with the
 *    ike_put_*() functions, it must decode again into the same fields.
 *    A failure abort()s: the decoder accepts what the encoder cannot
 *    express, or a field is lost or changed on the way, and either is a
 *    bug. (What the decoder itself drops from the input, no round trip
 *    can see; the unit tests check that against known bytes.)
 *
 * No randomness, and nothing carried from one input to the next.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../ike/msg.h"
#include "fuzz_ike1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Big structs (a few KB each), and libFuzzer runs one input at a time. */
static struct ike_msg decoded, redecoded;

/*
 * Only the two address-range types can be encoded; the decoder keeps a
 * selector of another type (type only) so that the narrowing code can
 * refuse it. Those are dropped here, the rest must round-trip.
 */
static void put_ts(struct ike_buf *b, uint8_t type, const struct ike_pl_ts *tl)
{
	struct ike_ts ts[IKE_MAX_TS];
	size_t n = 0;
	uint8_t i;

	for (i = 0; i < tl->n_ts; i++)
		if (tl->ts[i].type == IKE_TS_IPV4_ADDR_RANGE ||
		    tl->ts[i].type == IKE_TS_IPV6_ADDR_RANGE)
			ts[n++] = tl->ts[i];
	ike_put_ts(b, type, ts, n);
}

static void put_repeated(struct ike_buf *b, const struct ike_msg *m)
{
	uint8_t i;

	for (i = 0; i < m->n_cert; i++)
		ike_put_cert(b, &m->cert[i]);
	for (i = 0; i < m->n_certreq; i++)
		ike_put_certreq(b, &m->certreq[i]);
	for (i = 0; i < m->n_notify; i++)
		ike_put_notify(b, &m->notify[i]);
	for (i = 0; i < m->n_delete; i++)
		ike_put_delete(b, &m->del[i]);
	for (i = 0; i < m->n_vendor; i++)
		ike_put_vendor(b, &m->vendor[i]);
}

/* SK and SKF end a chain, so a decoded message holds at most one. */
static void put_encrypted(struct ike_buf *b, const struct ike_msg *m)
{
	size_t off;

	if (ike_msg_has(m, IKE_PL_SK)) {
		off = ike_put_sk(b, m->sk.first, m->sk.body.len);
		if (!b->oom && m->sk.body.len)
			memcpy(b->p + off + IKE_PL_HDR_LEN, m->sk.body.p,
			       m->sk.body.len);
	} else if (ike_msg_has(m, IKE_PL_SKF)) {
		off = ike_put_skf(b, m->skf.first, m->skf.num, m->skf.total,
				  m->skf.body.len);
		if (!b->oom && m->skf.body.len)
			memcpy(b->p + off + IKE_SKF_HDR_LEN, m->skf.body.p,
			       m->skf.body.len);
	}
}

/*
 * Everything m holds as one message, in a fixed payload order (the
 * decoder does not keep the received order, nor unknown non-critical
 * payloads, nor unknown transform attributes). 0, or -1 if the encoder
 * refused.
 */
static int encode(const struct ike_msg *m, struct ike_buf *b)
{
	memset(b, 0, sizeof(*b));
	ike_msg_start(b, &m->hdr);
	if (ike_msg_has(m, IKE_PL_SA))
		ike_put_sa(b, m->sa.prop, m->sa.n_prop);
	if (ike_msg_has(m, IKE_PL_KE))
		ike_put_ke(b, &m->ke);
	if (ike_msg_has(m, IKE_PL_NONCE))
		ike_put_nonce(b, &m->nonce);
	if (ike_msg_has(m, IKE_PL_IDI))
		ike_put_id(b, IKE_PL_IDI, &m->idi);
	if (ike_msg_has(m, IKE_PL_IDR))
		ike_put_id(b, IKE_PL_IDR, &m->idr);
	if (ike_msg_has(m, IKE_PL_AUTH))
		ike_put_auth(b, &m->auth);
	put_repeated(b, m);
	if (ike_msg_has(m, IKE_PL_TSI))
		put_ts(b, IKE_PL_TSI, &m->tsi);
	if (ike_msg_has(m, IKE_PL_TSR))
		put_ts(b, IKE_PL_TSR, &m->tsr);
	if (ike_msg_has(m, IKE_PL_CP))
		ike_put_raw(b, IKE_PL_CP, m->cp.p, m->cp.len);
	if (ike_msg_has(m, IKE_PL_EAP))
		ike_put_raw(b, IKE_PL_EAP, m->eap.p, m->eap.len);
	put_encrypted(b, m);
	return ike_msg_finish(b);
}

static bool same_bytes(const struct ike_bytes *x, const struct ike_bytes *y)
{
	return x->len == y->len && (!x->len || !memcmp(x->p, y->p, x->len));
}

static bool same_proposal(const struct ike_proposal *x,
			  const struct ike_proposal *y)
{
	uint8_t i;

	if (x->num != y->num || x->proto != y->proto ||
	    x->spi_len != y->spi_len || x->n_tr != y->n_tr ||
	    memcmp(x->spi, y->spi, x->spi_len))
		return false;
	for (i = 0; i < x->n_tr; i++)
		if (x->tr[i].type != y->tr[i].type ||
		    x->tr[i].id != y->tr[i].id ||
		    x->tr[i].keylen != y->tr[i].keylen)
			return false;
	return true;
}

static bool same_sa(const struct ike_pl_sa *x, const struct ike_pl_sa *y)
{
	uint8_t i;

	if (x->n_prop != y->n_prop)
		return false;
	for (i = 0; i < x->n_prop; i++)
		if (!same_proposal(&x->prop[i], &y->prop[i]))
			return false;
	return true;
}

/*
 * y is x re-encoded: without the selectors put_ts() dropped. The decoder
 * zeroes a selector before filling it, so memcmp() sees no stale bytes.
 */
static bool same_ts(const struct ike_pl_ts *x, const struct ike_pl_ts *y)
{
	uint8_t i, n = 0;

	for (i = 0; i < x->n_ts; i++) {
		if (x->ts[i].type != IKE_TS_IPV4_ADDR_RANGE &&
		    x->ts[i].type != IKE_TS_IPV6_ADDR_RANGE)
			continue;
		if (n == y->n_ts ||
		    memcmp(&x->ts[i], &y->ts[n++], sizeof(x->ts[i])))
			return false;
	}
	return n == y->n_ts;
}

static bool same_cert(const struct ike_pl_cert *x, const struct ike_pl_cert *y)
{
	return x->encoding == y->encoding && same_bytes(&x->data, &y->data);
}

static bool same_notify(const struct ike_pl_notify *x,
			const struct ike_pl_notify *y)
{
	return x->proto == y->proto && x->type == y->type &&
	       same_bytes(&x->spi, &y->spi) && same_bytes(&x->data, &y->data);
}

static bool same_delete(const struct ike_pl_delete *x,
			const struct ike_pl_delete *y)
{
	return x->proto == y->proto && x->spi_size == y->spi_size &&
	       x->n_spi == y->n_spi &&
	       !memcmp(x->spis, y->spis, (size_t)x->n_spi * x->spi_size);
}

static bool same_repeated(const struct ike_msg *x, const struct ike_msg *y)
{
	uint8_t i;

	if (x->n_cert != y->n_cert || x->n_certreq != y->n_certreq ||
	    x->n_notify != y->n_notify || x->n_delete != y->n_delete ||
	    x->n_vendor != y->n_vendor)
		return false;
	for (i = 0; i < x->n_cert; i++)
		if (!same_cert(&x->cert[i], &y->cert[i]))
			return false;
	for (i = 0; i < x->n_certreq; i++)
		if (!same_cert(&x->certreq[i], &y->certreq[i]))
			return false;
	for (i = 0; i < x->n_notify; i++)
		if (!same_notify(&x->notify[i], &y->notify[i]))
			return false;
	for (i = 0; i < x->n_delete; i++)
		if (!same_delete(&x->del[i], &y->del[i]))
			return false;
	for (i = 0; i < x->n_vendor; i++)
		if (!same_bytes(&x->vendor[i], &y->vendor[i]))
			return false;
	return true;
}

/* Not the offsets (the order changed) nor unknown_attr (dropped). */
static bool same_encrypted(const struct ike_msg *x, const struct ike_msg *y)
{
	return x->sk.first == y->sk.first &&
	       same_bytes(&x->sk.body, &y->sk.body) &&
	       x->skf.first == y->skf.first && x->skf.num == y->skf.num &&
	       x->skf.total == y->skf.total &&
	       same_bytes(&x->skf.body, &y->skf.body);
}

/* Every field encode() writes; absent payloads are zero in both. */
static bool same_msg(const struct ike_msg *x, const struct ike_msg *y)
{
	const struct ike_hdr *hx = &x->hdr, *hy = &y->hdr;

	return !memcmp(hx->ispi, hy->ispi, 8) &&
	       !memcmp(hx->rspi, hy->rspi, 8) &&
	       hx->exchange == hy->exchange && hx->flags == hy->flags &&
	       hx->msg_id == hy->msg_id && x->seen == y->seen &&
	       same_sa(&x->sa, &y->sa) && x->ke.group == y->ke.group &&
	       same_bytes(&x->ke.data, &y->ke.data) &&
	       same_bytes(&x->nonce, &y->nonce) &&
	       x->idi.type == y->idi.type &&
	       same_bytes(&x->idi.data, &y->idi.data) &&
	       x->idr.type == y->idr.type &&
	       same_bytes(&x->idr.data, &y->idr.data) &&
	       x->auth.method == y->auth.method &&
	       same_bytes(&x->auth.data, &y->auth.data) &&
	       same_ts(&x->tsi, &y->tsi) && same_ts(&x->tsr, &y->tsr) &&
	       same_bytes(&x->cp, &y->cp) && same_bytes(&x->eap, &y->eap) &&
	       same_repeated(x, y) && same_encrypted(x, y);
}

/* decode(encode(m)) must succeed and give m back. */
static void round_trip(const struct ike_msg *m)
{
	struct ike_buf b;
	struct ike_err err;

	if (encode(m, &b) < 0)
		abort();	/* decoded, yet the encoder refuses it */
	if (ike_msg_decode(b.p, b.len, &redecoded, &err) < 0)
		abort();	/* the decoder refuses the encoder's output */
	if (!same_msg(m, &redecoded))
		abort();	/* a field changed on the way */
	ike_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_err err;

	/*
	 * The encoder caps a message at IKE_MSG_MAX. A re-encoding is never
	 * longer than its input, but the second round trip below carries
	 * the SK body twice (as the body and as payloads). A UDP datagram
	 * is smaller anyway.
	 */
	if (size > IKE_MSG_MAX / 2)
		return 0;
	/* Major version 1 is IKEv1's, and fuzz_ike1.c's. */
	if (size > 17 && data[17] >> 4 == 1) {
		fuzz_ike1_one(data, size);
		return 0;
	}
	if (ike_msg_decode(data, size, &decoded, &err) < 0)
		return 0;
	round_trip(&decoded);
	if (!ike_msg_has(&decoded, IKE_PL_SK))
		return 0;
	/* Adds the inner payloads to decoded, as the daemon does. */
	if (ike_payloads_decode(decoded.sk.first, decoded.sk.body.p,
				decoded.sk.body.len, &decoded, &err) < 0)
		return 0;
	round_trip(&decoded);
	return 0;
}
