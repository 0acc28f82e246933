// SPDX-License-Identifier: GPL-2.0
/*
 * The INFORMATIONAL exchange (RFC 7296 1.4): the peer's requests (its
 * Deletes of the IKE SA and of CHILD_SAs, liveness checks), our Delete of
 * the IKE SA, and the Delete payload of an ESP SA. When we delete a
 * CHILD_SA, rekey.c sends the request.
 */
#include <arpa/inet.h>
#include <string.h>

#include "ikesa_int.h"

void ikesa_informational_request(struct ike_daemon *d, struct ikesa *sa,
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
			if (sa->state != IKESA_DELETING)
				ikesa_set_state(d, sa,
						sa->request.kind == IKESA_RQ_IKE &&
						sa->rk_their_nonce_len ?
						IKESA_DELETING : IKESA_DEAD);
			return;
		}
		ikesa_child_peer_delete(d, sa, &m->del[i], &inner);
	}
	/* an empty one is the peer's liveness check: answered alike */
	ikesa_send_encrypted(d, sa, IKE_INFORMATIONAL, true, &inner);
}

void ikesa_delete(struct ike_daemon *d, struct ikesa *sa)
{
	struct ike_buf inner = { 0 };
	struct ike_pl_delete del = { .proto = IKE_PROTO_IKE };

	/*
	 * An ISAKMP SA goes without an IKEv2 Delete, which its peer could
	 * not read; sending IKEv1's own Delete is the initiator's work, later.
	 */
	if (sa->state != IKESA_ESTABLISHED || sa->req.buf || sa->version != 2) {
		ikesa_child_remove(d, sa);
		ikesa_set_state(d, sa, IKESA_DEAD);
		return;
	}
	ike_put_delete(&inner, &del);
	ikesa_send_encrypted(d, sa, IKE_INFORMATIONAL, false, &inner);
	ikesa_child_remove(d, sa);
	ikesa_set_state(d, sa, IKESA_DELETING);
}

void ikesa_put_esp_delete(struct ike_buf *b, uint32_t spi)
{
	uint32_t spi_be = htonl(spi);

	ike_put_delete(b, &(struct ike_pl_delete){
		.proto = IKE_PROTO_ESP, .spi_size = 4, .n_spi = 1,
		.spis = (const uint8_t *)&spi_be,
	});
}

/*
 * The peer deleted the ESP SA whose inbound SPI (our outbound one) is
 * spi; its partner goes too, and our SPI goes back in the reply:
 *  - the predecessor of a rekey we answered is how that rekey ends: the
 *    new outbound SA goes in first;
 *  - the peer's redundant SA of a collision it lost;
 *  - the pair in use: the CHILD_SA is closed, unless the peer's rekey of
 *    it, which collided with ours, stands: then that one takes over.
 */
static void peer_delete_one(struct ike_daemon *d, struct ikesa *sa,
			    uint32_t spi, struct ike_buf *reply)
{
	struct ikesa_child *ch;
	struct child_sa **c = NULL;

	for (ch = sa->children; ch; ch = ch->next) {
		if (ch->old && ch->old->spi_out == spi)
			c = &ch->old;
		else if (ch->theirs && ch->theirs->spi_out == spi)
			c = &ch->theirs;
		else if (ch->rekey && ch->rekey->spi_out == spi &&
			 ch->rekey->installed)
			c = &ch->rekey;
		else if (!ch->cur.installed || ch->cur.spi_out != spi)
			continue;
		break;
	}
	if (!ch)
		return;
	if (!c && ch->theirs) {
		ikesa_child_promote(ch, &ch->theirs);
		c = &ch->old;
	}
	if (!c) {
		ike_log("%s: the peer deleted CHILD_SA %s", sa->conn_name,
			ch->cur.name);
		ikesa_put_esp_delete(reply, ch->cur.spi_in);
		ikesa_child_close(d, sa, ch);
		return;
	}
	if (c == &ch->old)
		ikesa_child_add_out(d, &ch->cur);
	ikesa_put_esp_delete(reply, (*c)->spi_in);
	ikesa_child_sa_free(d, sa, c);
	ike_debug(d, "%s: CHILD_SA %s: the peer deleted SAs 0x%08x out",
		  sa->conn_name, ch->cur.name, spi);
}

void ikesa_child_peer_delete(struct ike_daemon *d, struct ikesa *sa,
			     const struct ike_pl_delete *del,
			     struct ike_buf *reply)
{
	uint16_t i;
	uint32_t spi;

	if (del->proto != IKE_PROTO_ESP || del->spi_size != 4)
		return;
	for (i = 0; i < del->n_spi; i++) {
		memcpy(&spi, del->spis + 4 * i, 4);
		peer_delete_one(d, sa, ntohl(spi), reply);
	}
}
