// SPDX-License-Identifier: GPL-2.0
/*
 * ISAKMP SAs (sa.h): a struct ikesa of version 1 with its IKEv1 state,
 * and the sending and decrypting every IKEv1 exchange shares. As
 * responder we never retransmit on our own (RFC 2408 leaves it to the
 * initiator, and the last Main Mode message must not be repeated unless
 * asked): the peer's repeated message gets our answer again.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "sa.h"

static void state_free(struct ike1_state *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < IKE1_QM_MAX; i++) {
		free(st->qm[i].qm1);
		free(st->qm[i].qm2);
	}
	free(st->sai_b);
	free(st->last_in);
	free(st->last_out);
	ike1_sa_keys_clear(&st->keys);
	ike1_ivs_clear(&st->ivs);
	OPENSSL_cleanse(st, sizeof(*st));
	free(st);
}

struct ikesa *ike1_sa_new(struct ike_daemon *d, const struct ike_conn *conn,
			  const struct ike_dgram *dg, const uint8_t *cky_i)
{
	struct ike1_state *st = calloc(1, sizeof(*st));
	struct ikesa *sa;

	if (!st)
		return NULL;
	sa = ikesa_new(d, conn, false);
	if (!sa) {
		free(st);
		return NULL;
	}
	sa->version = 1;
	sa->v1 = st;
	sa->v1_free = state_free;
	memcpy(sa->spi_i, cky_i, IKE1_COOKIE_LEN);
	sa->local = dg->local;
	sa->remote = dg->remote;
	sa->created_at = sa->last_heard = ike_now_ms();
	return sa;
}

static void keep(uint8_t **p, size_t *len, const uint8_t *src, size_t n)
{
	uint8_t *copy = malloc(n);

	free(*p);
	*p = copy;
	*len = copy ? n : 0;
	if (copy)
		memcpy(copy, src, n);
}

bool ike1_answer_repeat(struct ike_daemon *d, struct ikesa *sa,
			const struct ike_dgram *dg)
{
	struct ike1_state *st = sa->v1;

	if (!st->last_in || !st->last_out || dg->len != st->last_in_len ||
	    memcmp(dg->p, st->last_in, dg->len))
		return false;
	ike_debug(d, "%s: the peer's last message again: our answer again",
		  sa->conn_name);
	ikesa_transmit(d, sa, st->last_out, st->last_out_len);
	return true;
}

void ike1_remember_in(struct ikesa *sa, const struct ike_dgram *dg)
{
	struct ike1_state *st = sa->v1;

	keep(&st->last_in, &st->last_in_len, dg->p, dg->len);
	free(st->last_out);
	st->last_out = NULL;
	st->last_out_len = 0;
}

struct ike1_hdr ike1_sa_hdr(const struct ikesa *sa, uint8_t ex, uint32_t mid)
{
	struct ike1_hdr h = { .exchange = ex, .msg_id = mid };

	memcpy(h.icookie, sa->spi_i, IKE1_COOKIE_LEN);
	memcpy(h.rcookie, sa->spi_r, IKE1_COOKIE_LEN);
	return h;
}

/* Send p; keep it as the answer to the peer's last message. */
static void transmit(struct ike_daemon *d, struct ikesa *sa, const uint8_t *p,
		     size_t len, bool answer)
{
	struct ike1_state *st = sa->v1;

	ikesa_transmit(d, sa, p, len);
	if (answer)
		keep(&st->last_out, &st->last_out_len, p, len);
}

int ike1_send_plain(struct ike_daemon *d, struct ikesa *sa,
		    struct ike1_buf *b, bool answer)
{
	int ret = ike1_msg_finish(b);

	if (!ret)
		transmit(d, sa, b->p, b->len, answer);
	ike1_buf_free(b);
	return ret;
}

ssize_t ike1_seal(struct ikesa *sa, const struct ike1_hdr *h,
		  struct ike1_buf *chain, uint8_t *out, size_t size)
{
	struct ike1_state *st = sa->v1;
	struct ike1_hdr eh = *h;
	ssize_t n = -1;

	if (!chain->failed && size > IKE1_HDR_LEN) {
		eh.next = chain->first;
		eh.flags |= IKE1_FLAG_ENCRYPTION;
		n = ike1_encrypt(&st->ivs, st->keys.enc_key, h->msg_id,
				 chain->p, chain->len, out + IKE1_HDR_LEN,
				 size - IKE1_HDR_LEN);
	}
	ike1_buf_free(chain);
	if (n < 0) {
		ike_log("%s: cannot encrypt an IKEv1 message", sa->conn_name);
		return -1;
	}
	eh.len = IKE1_HDR_LEN + n;
	ike1_hdr_encode(&eh, out);
	return eh.len;
}

int ike1_send_encrypted(struct ike_daemon *d, struct ikesa *sa,
			const struct ike1_hdr *h, struct ike1_buf *chain,
			bool answer)
{
	uint8_t out[IKE1_MSG_MAX];
	ssize_t n = ike1_seal(sa, h, chain, out, sizeof(out));

	if (n < 0)
		return -1;
	transmit(d, sa, out, n, answer);
	OPENSSL_cleanse(out, sizeof(out));
	return 0;
}

void ike1_send_info(struct ike_daemon *d, struct ikesa *sa,
		    struct ike1_buf *chain)
{
	struct ike1_state *st = sa->v1;
	uint8_t hash[IKE_PRF_OUT_MAX];
	struct ike1_buf b = { 0 };
	struct ike1_hdr h;
	uint32_t mid = 0;

	/* a message ID of zero is Phase 1's */
	while (!mid)
		if (RAND_bytes((uint8_t *)&mid, sizeof(mid)) != 1)
			return;
	h = ike1_sa_hdr(sa, IKE1_EXCH_INFO, mid);
	if (!chain->failed &&
	    ike1_hash_msg(&st->keys, mid, chain->p, chain->len, hash) >= 0) {
		ike1_put_bytes(&b, IKE1_PL_HASH,
			       &(struct ike1_bytes){ hash, st->prf->out_len });
		ike1_put_chain(&b, chain);
		ike1_send_encrypted(d, sa, &h, &b, false);
	}
	ike1_buf_free(&b);
	ike1_buf_free(chain);
	ike1_iv_forget(&st->ivs, mid);
}

void ike1_notify_protected(struct ike_daemon *d, struct ikesa *sa,
			   uint16_t type)
{
	struct ike1_buf chain = { 0 };

	ike1_put_notify(&chain, &(struct ike1_pl_notify){
		.doi = IKE1_DOI_IPSEC, .proto = IKE1_PROTO_ISAKMP,
		.type = type });
	ike1_send_info(d, sa, &chain);
}

int ike1_check_hash1(const struct ikesa *sa, const struct ike1_msg *m)
{
	const struct ike1_state *st = sa->v1;
	uint8_t hash[IKE_PRF_OUT_MAX];

	if (!ike1_msg_has(m, IKE1_PL_HASH) || m->hash.len != st->prf->out_len ||
	    ike1_hash_msg(&st->keys, m->hdr.msg_id, m->after_hash.p,
			  m->after_hash.len, hash) < 0)
		return -1;
	return CRYPTO_memcmp(hash, m->hash.p, m->hash.len) ? -1 : 0;
}

void ike1_notify_plain(struct ike_daemon *d, const struct ike_dgram *dg,
		       const uint8_t *cky_i, const uint8_t *cky_r,
		       uint16_t type)
{
	struct ike1_hdr h = { .exchange = IKE1_EXCH_INFO };
	struct ike1_buf b = { 0 };

	memcpy(h.icookie, cky_i, IKE1_COOKIE_LEN);
	if (cky_r)
		memcpy(h.rcookie, cky_r, IKE1_COOKIE_LEN);
	ike1_msg_start(&b, &h);
	ike1_put_notify(&b, &(struct ike1_pl_notify){
		.doi = IKE1_DOI_IPSEC, .proto = IKE1_PROTO_ISAKMP,
		.type = type });
	if (!ike1_msg_finish(&b))
		ike_send(d, &dg->local, &dg->remote, b.p, b.len);
	ike1_buf_free(&b);
}

int ike1_decrypt_msg(struct ikesa *sa, struct ike1_msg *m, uint8_t *plain,
		     size_t size, struct ike1_err *err)
{
	struct ike1_state *st = sa->v1;
	ssize_t n;

	if (!(m->hdr.flags & IKE1_FLAG_ENCRYPTION)) {
		snprintf(err->msg, sizeof(err->msg), "not encrypted");
		err->notify = IKE1_N_INVALID_FLAGS;
		return -1;
	}
	n = ike1_decrypt(&st->ivs, st->keys.enc_key, m->hdr.msg_id,
			 m->body.p, m->body.len, plain, size);
	if (n < 0) {
		snprintf(err->msg, sizeof(err->msg),
			 "the encrypted body (%zu bytes) does not decrypt",
			 m->body.len);
		err->notify = 0;
		return -1;
	}
	return ike1_payloads_decode(m->hdr.next, plain, n, m, err);
}
