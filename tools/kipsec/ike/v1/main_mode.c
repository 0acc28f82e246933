// SPDX-License-Identifier: GPL-2.0
/*
 * Main Mode with pre-shared keys, as responder (RFC 2409 section 5.4):
 *
 *   1  HDR, SA                  -->
 *                               <--  2  HDR, SA
 *   3  HDR, KE, Ni              -->
 *                               <--  4  HDR, KE, Nr
 *   5  HDR*, IDii, HASH_I       -->
 *                               <--  6  HDR*, IDir, HASH_R
 *
 * The pre-shared key is chosen at message 3, before the peer's identity
 * is known (it is encrypted under a key the PSK makes): by the connection
 * the addresses chose, with its local and remote id, as strongSwan does.
 * A wrong PSK shows at message 5, as payloads that do not parse or a
 * HASH_I that does not verify; both say "the pre-shared keys most likely
 * differ". Failures before Phase 1 is up are answered unprotected: the
 * peer may not have our keys.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>

#include "../conf.h"
#include "../cert.h"
#include "../keylog.h"
#include "main_mode.h"
#include "sa.h"

/* RFC 3706's vendor ID: we answer R-U-THERE. */
static const uint8_t dpd_vid[] = {
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
};

/* The Phase 1 transform in IKEv2's words, for `kipsec status`. */
static void phase1_prop(struct ike_proposal *p, const struct ike1_alg *a)
{
	memset(p, 0, sizeof(*p));
	p->num = 1;
	p->proto = IKE_PROTO_IKE;
	p->tr[p->n_tr++] = (struct ike_transform){ IKE_TR_ENCR, a->encr,
						   a->keylen };
	p->tr[p->n_tr++] = (struct ike_transform){ IKE_TR_PRF, a->integ, 0 };
	p->tr[p->n_tr++] = (struct ike_transform){ IKE_TR_KE, a->group, 0 };
}

/*
 * A refusal before Phase 1 is up: the connection's failure (log, status),
 * the notify unprotected, and the SA, if there is one, gone.
 */
static void refuse(struct ike_daemon *d, struct ikesa *sa,
		   const struct ike_dgram *dg, uint16_t notify,
		   const char *why)
{
	const char *name = ike1_notify_name(notify);

	ikesa_fail(d, sa, "IKEv1 Main Mode: %s: refused with %s", why,
		   name ? name : "?");
	ike1_notify_plain(d, dg, sa->spi_i, sa->spi_r, notify);
}

/* ---- message 1 -> 2 ---- */

static int choose_phase1(const struct ike_conn *conn, const struct ike1_msg *m,
			 struct ike1_choice *c, char *why, size_t size)
{
	struct ike1_cfg cfg = ike1_p1_cfg(conn, IKE1_AUTH_PSK);
	struct ike1_mismatch mm = { 0 };

	if (conn->local.auth != IKE_CONF_AUTH_PSK ||
	    conn->remote.auth != IKE_CONF_AUTH_PSK) {
		snprintf(why, size, "connection %s authenticates with certificates, which kipsec ike does not do in IKEv1 yet (auth = psk only)",
			 conn->name);
		return -1;
	}
	if (!ike1_msg_has(m, IKE1_PL_SA)) {
		snprintf(why, size, "message 1 has no SA payload");
		return -1;
	}
	if (ike1_prop_choose(&cfg, &m->sa, c, &mm)) {
		ike1_mismatch_format(&cfg, &m->sa, &mm, why, size);
		return -1;
	}
	return 0;
}

static int send_message2(struct ike_daemon *d, struct ikesa *sa,
			 const struct ike1_msg *m)
{
	struct ike1_hdr h = ike1_sa_hdr(sa, IKE1_EXCH_MAIN, 0);
	struct ike1_buf b = { 0 };
	struct ike1_pl_sa reply;

	ike1_prop_reply(&m->sa, &sa->v1->choice, NULL, &reply);
	ike1_msg_start(&b, &h);
	ike1_put_sa(&b, &reply);
	ike1_put_bytes(&b, IKE1_PL_VENDOR,
		       &(struct ike1_bytes){ dpd_vid, sizeof(dpd_vid) });
	return ike1_send_plain(d, sa, &b, true);
}

void ike1_mm_request1(struct ike_daemon *d, const struct ike_conn *conn,
		      const struct ike_dgram *dg, const struct ike1_msg *m)
{
	struct ike1_choice c;
	struct ikesa *sa;
	struct ike1_state *st;
	char why[512], from[80];

	ss_format(&dg->remote, from, sizeof(from));
	if (choose_phase1(conn, m, &c, why, sizeof(why))) {
		ikesa_note(d, conn->name, "IKEv1 Main Mode from %s: no proposal chosen: %s: refused with NO-PROPOSAL-CHOSEN",
			   from, why);
		ike1_notify_plain(d, dg, m->hdr.icookie, NULL,
				  IKE1_N_NO_PROPOSAL_CHOSEN);
		return;
	}
	sa = ike1_sa_new(d, conn, dg, m->hdr.icookie);
	if (!sa)
		return;
	st = sa->v1;
	st->choice = c;
	st->prf = ike1_hash_find(c.alg.v1_integ);
	st->encr = ike1_encr_find(c.alg.v1_encr, c.alg.keylen);
	st->sai_b = malloc(m->sa.body.len);
	if (!st->prf || !st->encr || !st->sai_b) {
		ikesa_fail(d, sa, "IKEv1 Main Mode from %s: the chosen transform cannot be used (internal error)",
			   from);
		return;
	}
	memcpy(st->sai_b, m->sa.body.p, m->sa.body.len);
	st->sai_len = m->sa.body.len;
	phase1_prop(&sa->prop, &c.alg);
	ike1_remember_in(sa, dg);
	if (send_message2(d, sa, m)) {
		ikesa_fail(d, sa, "IKEv1 Main Mode: message 2 cannot be built");
		return;
	}
	ikesa_set_state(d, sa, IKESA_HALF_OPEN);
	st->mm = IKE1_MM_WAIT3;
}

/* ---- message 3 -> 4 ---- */

/* Our id and the peer's as the configuration says them, as text. */
static void conf_ids(const struct ikesa *sa, char *ours, char *theirs,
		     size_t size)
{
	uint8_t data[IKE_DN_MAX];
	struct ike_pl_id id;

	if (ikesa_id_from_conf(sa->conn->local.id, &sa->local, &id, data))
		snprintf(ours, size, "%s", sa->conn->local.id);
	else
		ikesa_id_text(&id, ours, size);
	if (ikesa_id_from_conf(sa->conn->remote.id, &sa->remote, &id, data))
		snprintf(theirs, size, "%s", sa->conn->remote.id);
	else
		ikesa_id_text(&id, theirs, size);
}

/* KE and Ni of message 3, checked; the peer's values kept. */
static int take_ke_nonce(struct ike1_state *st, const struct ike1_msg *m,
			 char *why, size_t size)
{
	uint16_t g = st->choice.alg.group;

	if (!ike1_msg_has(m, IKE1_PL_KE) || !ike1_msg_has(m, IKE1_PL_NONCE)) {
		snprintf(why, size, "message 3 lacks its KE or Nonce payload");
		return -1;
	}
	if (m->ke.len != ike_kex_len(g) || m->ke.len > IKE1_KE_MAX) {
		snprintf(why, size, "the KE payload has %zu bytes, group %s wants %zu",
			 m->ke.len, ikesa_ke_name(g), ike_kex_len(g));
		return -1;
	}
	memcpy(st->gxi, m->ke.p, m->ke.len);
	st->gxi_len = m->ke.len;
	memcpy(st->ni, m->nonce.p, m->nonce.len);
	st->ni_len = m->nonce.len;
	return 0;
}

/* Our KE and Nr, g^xy, SKEYID and its children, the Phase 1 IV. */
static int derive_keys(struct ike_daemon *d, struct ikesa *sa,
		       const struct ike_secret *psk, char *why, size_t size)
{
	struct ike1_state *st = sa->v1;
	uint16_t g = st->choice.alg.group;
	struct ike_kex *kex = ike_kex_new(g);
	uint8_t gxy[IKE1_KE_MAX];
	ssize_t pub = -1, n = -1;
	int ret = -1;

	if (kex)
		pub = ike_kex_public(kex, st->gxr, sizeof(st->gxr));
	if (pub > 0)
		n = ike_kex_shared(kex, st->gxi, st->gxi_len, gxy, sizeof(gxy));
	ike_kex_free(kex);
	if (n < 0 || ike_nonce_new(st->nr)) {
		snprintf(why, size, "the peer's KE value is not one of group %s",
			 ikesa_ke_name(g));
		goto out;
	}
	st->gxr_len = pub;
	if (ike1_sa_keys_derive(&st->keys, st->prf, st->encr, IKE1_SKEYID_PSK,
				&(struct ike1_kdf_in){
					.ni = st->ni, .ni_len = st->ni_len,
					.nr = st->nr,
					.nr_len = sizeof(st->nr),
					.gxy = gxy, .gxy_len = n,
					.cky_i = sa->spi_i, .cky_r = sa->spi_r,
					.psk = psk->key,
					.psk_len = psk->key_len }) ||
	    ike1_ivs_init(&st->ivs, st->prf, st->encr, st->gxi, st->gxi_len,
			  st->gxr, st->gxr_len)) {
		snprintf(why, size, "the key derivation failed");
		goto out;
	}
	if (d->keylog_dir && ike_keylog_ike1(d->keylog_dir, sa->spi_i,
					     st->keys.enc_key,
					     st->keys.enc_len))
		ike_log("%s: writing the Wireshark IKEv1 key failed",
			sa->conn_name);
	ret = 0;
out:
	OPENSSL_cleanse(gxy, sizeof(gxy));
	return ret;
}

static void request3(struct ike_daemon *d, struct ikesa *sa,
		     const struct ike_dgram *dg, const struct ike1_msg *m)
{
	struct ike1_state *st = sa->v1;
	struct ike1_hdr h = ike1_sa_hdr(sa, IKE1_EXCH_MAIN, 0);
	struct ike1_buf b = { 0 };
	const struct ike_secret *psk;
	char why[512], ours[IKE_DN_MAX], theirs[IKE_DN_MAX];

	if (take_ke_nonce(st, m, why, sizeof(why))) {
		refuse(d, sa, dg, IKE1_N_PAYLOAD_MALFORMED, why);
		return;
	}
	conf_ids(sa, ours, theirs, sizeof(ours));
	psk = ike_config_find_psk(d->conf, ours, theirs);
	if (!psk) {
		snprintf(why, sizeof(why), "no pre-shared key in secrets for our id '%.200s' and the peer's '%.200s'",
			 ours, theirs);
		refuse(d, sa, dg, IKE1_N_AUTHENTICATION_FAILED, why);
		return;
	}
	if (derive_keys(d, sa, psk, why, sizeof(why))) {
		refuse(d, sa, dg, IKE1_N_INVALID_KEY_INFORMATION, why);
		return;
	}
	ike1_msg_start(&b, &h);
	ike1_put_bytes(&b, IKE1_PL_KE,
		       &(struct ike1_bytes){ st->gxr, st->gxr_len });
	ike1_put_bytes(&b, IKE1_PL_NONCE,
		       &(struct ike1_bytes){ st->nr, sizeof(st->nr) });
	if (ike1_send_plain(d, sa, &b, true)) {
		ikesa_fail(d, sa, "IKEv1 Main Mode: message 4 cannot be built");
		return;
	}
	st->mm = IKE1_MM_WAIT5;
}

/* ---- message 5 -> 6 ---- */

static struct ike1_auth_in auth_in(const struct ikesa *sa,
				   const struct ike1_bytes *id_b)
{
	const struct ike1_state *st = sa->v1;

	return (struct ike1_auth_in){
		.gxi = st->gxi, .gxi_len = st->gxi_len,
		.gxr = st->gxr, .gxr_len = st->gxr_len,
		.cky_i = sa->spi_i, .cky_r = sa->spi_r,
		.sai_b = st->sai_b, .sai_len = st->sai_len,
		.id_b = id_b->p, .id_len = id_b->len,
	};
}

/* HASH_I against IDii: 0, or -1 when it does not verify. */
static int check_hash_i(const struct ikesa *sa, const struct ike1_msg *m)
{
	const struct ike1_state *st = sa->v1;
	struct ike1_auth_in in = auth_in(sa, &m->id[0].body);
	uint8_t hash[IKE_PRF_OUT_MAX];

	if (m->hash.len != st->prf->out_len ||
	    ike1_hash_i(&st->keys, &in, hash) < 0)
		return -1;
	return CRYPTO_memcmp(hash, m->hash.p, m->hash.len) ? -1 : 0;
}

/*
 * The peer's identity as text; -1 when the connection names another
 * (remote id %any, or none configured, takes any).
 */
static int check_peer_id(struct ikesa *sa, const struct ike1_pl_id *id,
			 char *why, size_t size)
{
	/* IKEv1's ID types 1, 2, 3, 5, 9 and 11 are IKEv2's numbers too */
	struct ike_pl_id v2 = { id->type, { id->data.p, id->data.len } };
	const char *want = sa->conn->remote.id;
	char ours[IKE_DN_MAX], theirs[IKE_DN_MAX];

	ikesa_id_text(&v2, sa->peer_id, sizeof(sa->peer_id));
	if (!want || !strcmp(want, "%any"))
		return 0;
	conf_ids(sa, ours, theirs, sizeof(ours));
	if (!strcasecmp(theirs, sa->peer_id))
		return 0;
	snprintf(why, size, "the peer's identity is '%.200s', connection %s expects '%.200s'",
		 sa->peer_id, sa->conn_name, theirs);
	return -1;
}

/* Our ID payload (Phase 1: protocol and port zero, RFC 2407 4.6.2). */
static int put_our_id(const struct ikesa *sa, struct ike1_buf *b)
{
	uint8_t data[IKE_DN_MAX];
	struct ike_pl_id id;

	if (ikesa_id_from_conf(sa->conn->local.id, &sa->local, &id, data))
		return -1;
	ike1_put_id(b, &(struct ike1_pl_id){
		.type = id.type, .data = { id.data.p, id.data.len } });
	return 0;
}

static int send_message6(struct ike_daemon *d, struct ikesa *sa)
{
	struct ike1_state *st = sa->v1;
	struct ike1_hdr h = ike1_sa_hdr(sa, IKE1_EXCH_MAIN, 0);
	uint8_t idr_b[IKE_DN_MAX + 8], hash[IKE_PRF_OUT_MAX];
	struct ike1_buf chain = { 0 };
	struct ike1_bytes body;
	struct ike1_auth_in in;

	if (put_our_id(sa, &chain))
		goto err;
	body = ike1_last_body(&chain);
	if (!body.len || body.len > sizeof(idr_b))
		goto err;
	memcpy(idr_b, body.p, body.len);
	in = auth_in(sa, &(struct ike1_bytes){ idr_b, body.len });
	if (ike1_hash_r(&st->keys, &in, hash) < 0)
		goto err;
	ike1_put_bytes(&chain, IKE1_PL_HASH,
		       &(struct ike1_bytes){ hash, st->prf->out_len });
	return ike1_send_encrypted(d, sa, &h, &chain, true);
err:
	ike1_buf_free(&chain);
	return -1;
}

static void established(struct ike_daemon *d, struct ikesa *sa)
{
	char prop[256];

	ikesa_established(d, sa);
	sa->v1->mm = IKE1_MM_DONE;
	ikesa_note_ok(d, sa->conn_name);
	ike_log("%s: ISAKMP SA established with %s (responder, IKEv1 Main Mode, %s)",
		sa->conn_name, sa->peer_id,
		ike_proposal_format(&sa->prop, prop, sizeof(prop)));
}

static void request5(struct ike_daemon *d, struct ikesa *sa,
		     const struct ike_dgram *dg, struct ike1_msg *m)
{
	uint8_t plain[IKE1_MSG_MAX];
	struct ike1_err err = { 0 };
	char why[768];

	if (ike1_decrypt_msg(sa, m, plain, sizeof(plain), &err) ||
	    !m->n_id || !ike1_msg_has(m, IKE1_PL_HASH)) {
		snprintf(why, sizeof(why), "message 5 does not decrypt to IDii and HASH_I (%s): the pre-shared keys most likely differ",
			 err.msg[0] ? err.msg : "payloads missing");
		refuse(d, sa, dg, IKE1_N_PAYLOAD_MALFORMED, why);
		return;
	}
	if (check_hash_i(sa, m)) {
		refuse(d, sa, dg, IKE1_N_AUTHENTICATION_FAILED,
		       "HASH_I of message 5 does not verify: the pre-shared keys most likely differ");
		return;
	}
	/* genuine: the Phase 1 IV chains from it */
	ike1_iv_confirm(&sa->v1->ivs, 0);
	if (check_peer_id(sa, &m->id[0], why, sizeof(why))) {
		refuse(d, sa, dg, IKE1_N_INVALID_ID_INFORMATION, why);
		return;
	}
	if (send_message6(d, sa)) {
		ikesa_fail(d, sa, "IKEv1 Main Mode: message 6 cannot be built");
		return;
	}
	established(d, sa);
	OPENSSL_cleanse(plain, sizeof(plain));
}

void ike1_mm_request(struct ike_daemon *d, struct ikesa *sa,
		     const struct ike_dgram *dg, struct ike1_msg *m)
{
	enum ike1_mm_step step = sa->v1->mm;

	if (step == IKE1_MM_DONE || m->hdr.msg_id) {
		ike_debug(d, "%s: Main Mode message dropped: Main Mode is over",
			  sa->conn_name);
		return;
	}
	ike1_remember_in(sa, dg);
	if (step == IKE1_MM_WAIT3)
		request3(d, sa, dg, m);
	else
		request5(d, sa, dg, m);
}
