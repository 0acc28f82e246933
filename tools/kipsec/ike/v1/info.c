// SPDX-License-Identifier: GPL-2.0
/*
 * The peer's Informational exchanges on an established ISAKMP SA (RFC
 * 2409 section 5.7): HDR*, HASH(1), N/D with HASH(1) = prf(SKEYID_a,
 * M-ID | N/D). Nothing in one is trusted, and its IV does not move,
 * before HASH(1) is checked. A Delete of the ISAKMP SA ends it, one of
 * an ESP SA its CHILD_SA; DPD's R-U-THERE (RFC 3706) gets R-U-THERE-ACK
 * with its sequence number in an Informational of our own; other
 * notifies are logged.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>

#include "info.h"
#include "sa.h"

/* Whether spi names this ISAKMP SA: both cookies, as RFC 2408 3.15 has it. */
static bool is_our_cookies(const struct ikesa *sa, const uint8_t *spi,
			   size_t len)
{
	return len == 2 * IKE1_COOKIE_LEN &&
	       !memcmp(spi, sa->spi_i, IKE1_COOKIE_LEN) &&
	       !memcmp(spi + IKE1_COOKIE_LEN, sa->spi_r, IKE1_COOKIE_LEN);
}

static void dpd_ack(struct ike_daemon *d, struct ikesa *sa,
		    const struct ike1_pl_notify *n)
{
	struct ike1_buf chain = { 0 };

	if (!is_our_cookies(sa, n->spi.p, n->spi.len) || n->data.len != 4) {
		ike_log("%s: R-U-THERE with a wrong SPI or sequence number: not answered",
			sa->conn_name);
		return;
	}
	ike1_put_notify(&chain, &(struct ike1_pl_notify){
		.doi = IKE1_DOI_IPSEC, .proto = IKE1_PROTO_ISAKMP,
		.type = IKE1_N_R_U_THERE_ACK, .spi = n->spi, .data = n->data });
	ike1_send_info(d, sa, &chain);
}

static void take_notify(struct ike_daemon *d, struct ikesa *sa,
			const struct ike1_pl_notify *n)
{
	const char *name = ike1_notify_name(n->type);

	if (n->type == IKE1_N_R_U_THERE) {
		ike_debug(d, "%s: DPD: R-U-THERE, answered", sa->conn_name);
		dpd_ack(d, sa, n);
	} else if (n->type < 8192) {
		ike_log("%s: the peer reports an error: %s", sa->conn_name,
			name ? name : "unknown notify");
	} else {
		ike_debug(d, "%s: the peer's notify %s", sa->conn_name,
			  name ? name : "unknown");
	}
}

/*
 * The peer's ESP SA of SPI spi (network order) is gone: the CHILD_SA it
 * belongs to, our outbound SA being the peer's inbound one, goes whole,
 * its other SA and its policies with it (RFC 2409 section 5.7).
 */
static void delete_esp(struct ike_daemon *d, struct ikesa *sa,
		       const uint8_t *spi)
{
	struct ikesa_child *ch;
	uint32_t out;

	memcpy(&out, spi, 4);
	out = ntohl(out);
	for (ch = sa->children; ch; ch = ch->next) {
		if (ch->cur.installed && ch->cur.spi_out == out) {
			ike_log("%s: the peer deleted CHILD_SA %s (SPIs 0x%08x in, 0x%08x out)",
				sa->conn_name, ch->cur.name, ch->cur.spi_in,
				out);
			ikesa_child_close(d, sa, ch);
			return;
		}
	}
	ike_debug(d, "%s: the peer deleted ESP SA 0x%08x: none of ours",
		  sa->conn_name, out);
}

static void take_delete(struct ike_daemon *d, struct ikesa *sa,
			const struct ike1_pl_delete *del)
{
	uint16_t i;

	if (del->proto == IKE1_PROTO_ESP && del->spi_size == 4) {
		for (i = 0; i < del->n_spi; i++)
			delete_esp(d, sa, del->spis + (size_t)i * 4);
		return;
	}
	if (del->proto != IKE1_PROTO_ISAKMP) {
		ike_debug(d, "%s: the peer deleted %u SA(s) of protocol %u: none of ours",
			  sa->conn_name, del->n_spi, del->proto);
		return;
	}
	for (i = 0; i < del->n_spi; i++) {
		if (is_our_cookies(sa, del->spis + (size_t)i * del->spi_size,
				   del->spi_size)) {
			ike_log("%s: the peer deleted the ISAKMP SA",
				sa->conn_name);
			ikesa_child_remove(d, sa);
			ikesa_set_state(d, sa, IKESA_DEAD);
			return;
		}
	}
}

void ike1_info_request(struct ike_daemon *d, struct ikesa *sa,
		       const struct ike_dgram *dg, struct ike1_msg *m)
{
	uint8_t plain[IKE1_MSG_MAX];
	struct ike1_err err = { 0 };
	uint8_t i;

	(void)dg;
	if (sa->state != IKESA_ESTABLISHED || !m->hdr.msg_id) {
		ike_debug(d, "%s: Informational dropped: Phase 1 is not up",
			  sa->conn_name);
		return;
	}
	if (ike1_decrypt_msg(sa, m, plain, sizeof(plain), &err) ||
	    ike1_check_hash1(sa, m)) {
		/* not known to be the peer's: no answer (RFC 2409 5.7) */
		ike_log("%s: an Informational dropped: %s", sa->conn_name,
			err.msg[0] ? err.msg : "HASH(1) does not verify");
		ike1_iv_forget(&sa->v1->ivs, m->hdr.msg_id);
		return;
	}
	ike1_iv_confirm(&sa->v1->ivs, m->hdr.msg_id);
	sa->last_heard = ike_now_ms();
	for (i = 0; i < m->n_notify; i++)
		take_notify(d, sa, &m->notify[i]);
	for (i = 0; i < m->n_delete && sa->state != IKESA_DEAD; i++)
		take_delete(d, sa, &m->del[i]);
	ike1_iv_forget(&sa->v1->ivs, m->hdr.msg_id);
	OPENSSL_cleanse(plain, sizeof(plain));
}
