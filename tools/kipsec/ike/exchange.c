// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv2 messages of an IKE SA (RFC 7296 sections 2.1-2.2, 3.1,
 * 3.14): the header, the SK payload around what an exchange builds,
 * message IDs, the request kept for retransmission and the last response
 * for a repeated request; and decrypting what arrives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikesa_int.h"

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

void ikesa_transmit(struct ike_daemon *d, struct ikesa *sa,
		     const uint8_t *p, size_t len)
{
	ike_send(d, &sa->local, &sa->remote, p, len);
}

void ikesa_send_request(struct ike_daemon *d, struct ikesa *sa,
			struct ike_buf *buf, uint8_t exchange)
{
	ikesa_pending_clear(&sa->req);
	sa->req.buf = buf->p;
	sa->req.len = buf->len;
	sa->req.id = sa->next_id++;
	sa->req.exchange = exchange;
	sa->req.tries = 0;
	sa->req.next_at = ike_now_ms() + d->retransmit_ms;
	buf->p = NULL;
	ikesa_transmit(d, sa, sa->req.buf, sa->req.len);
}

void ikesa_send_response(struct ike_daemon *d, struct ikesa *sa,
			 struct ike_buf *buf)
{
	free(sa->last_resp);
	sa->last_resp = buf->p;
	sa->last_resp_len = buf->len;
	buf->p = NULL;
	ikesa_transmit(d, sa, sa->last_resp, sa->last_resp_len);
}

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

int ikesa_decrypt(struct ikesa *sa, const uint8_t *raw, struct ike_msg *m,
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

void ikesa_init_refuse(struct ike_daemon *d, const struct ike_dgram *dg,
		       const struct ike_hdr *req, uint16_t notify,
		       const uint8_t *data, size_t data_len)
{
	struct ike_buf b = { 0 };
	struct ike_hdr h = { 0 };

	memcpy(h.ispi, req->ispi, IKE_SPI_LEN);
	h.exchange = IKE_SA_INIT;
	h.flags = IKE_FLAG_RESPONSE;
	ike_msg_start(&b, &h);
	ike_put_notify(&b, &(struct ike_pl_notify){
		.type = notify, .data = { data, data_len } });
	if (!ike_msg_finish(&b))
		ike_send(d, &dg->local, &dg->remote, b.p, b.len);
	ike_buf_free(&b);
}
