// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ike/msg.c and ike/names.c: round trips of every payload,
 * a message published in RFC 7634 checked byte for byte, malformed input
 * refused with the notify RFC 7296 asks for, and a mutation sweep that
 * must never read out of bounds (run it under ASan).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "kipsec.h"
#include "ike/msg.h"

static const struct ike_hdr request_hdr = {
	.ispi = { 1, 2, 3, 4, 5, 6, 7, 8 },
	.exchange = IKE_SA_INIT,
	.flags = IKE_FLAG_INITIATOR,
};

/*
 * A message of exactly len bytes on the heap, header from request_hdr
 * and then the chain: ASan sees any read past its end. The caller frees.
 */
static uint8_t *wrap(uint8_t first, const uint8_t *chain, size_t len,
		     size_t *msg_len)
{
	uint8_t *p = malloc(IKE_HDR_LEN + len);

	assert_non_null(p);
	memcpy(p, request_hdr.ispi, 8);
	memset(p + 8, 0, 8);
	p[16] = first;
	p[17] = IKE_VERSION;
	p[18] = request_hdr.exchange;
	p[19] = request_hdr.flags;
	memset(p + 20, 0, 4);			/* message ID 0 */
	p[24] = 0;
	p[25] = 0;
	p[26] = (uint8_t)((IKE_HDR_LEN + len) >> 8);
	p[27] = (uint8_t)(IKE_HDR_LEN + len);
	if (len)
		memcpy(p + IKE_HDR_LEN, chain, len);
	*msg_len = IKE_HDR_LEN + len;
	return p;
}

/* Decode with a check that the refusal is the expected one. */
static void expect_msg_refused(const uint8_t *p, size_t len, uint16_t notify,
			       const char *mention)
{
	struct ike_msg m;
	struct ike_err err;

	if (ike_msg_decode(p, len, &m, &err) != -1)
		fail_msg("accepted, expected a refusal mentioning \"%s\"",
			 mention);
	if (err.notify != notify)
		fail_msg("notify %u, expected %u (%s)", err.notify, notify,
			 err.msg);
	if (!strstr(err.msg, mention))
		fail_msg("\"%s\" does not mention \"%s\"", err.msg, mention);
}

static void expect_refused(uint8_t first, const uint8_t *chain, size_t len,
			   uint16_t notify, const char *mention)
{
	size_t n;
	uint8_t *p = wrap(first, chain, len, &n);

	expect_msg_refused(p, n, notify, mention);
	free(p);
}

/* Decode a chain that must be accepted; the caller frees what m points into. */
static uint8_t *expect_accepted(uint8_t first, const uint8_t *chain,
				size_t len, struct ike_msg *m)
{
	struct ike_err err;
	size_t n;
	uint8_t *p = wrap(first, chain, len, &n);

	if (ike_msg_decode(p, n, m, &err) != 0)
		fail_msg("refused: %s", err.msg);
	return p;
}

static void assert_bytes(struct ike_bytes got, const void *want, size_t len)
{
	assert_int_equal(got.len, len);
	if (len)
		assert_memory_equal(got.p, want, len);
}

/* Finish the message in b and decode it into m, which points into b. */
static void decode_buf(struct ike_buf *b, struct ike_msg *m)
{
	struct ike_err err;

	assert_int_equal(ike_msg_finish(b), 0);
	if (ike_msg_decode(b->p, b->len, m, &err) != 0)
		fail_msg("refused its own output: %s", err.msg);
}

static void start(struct ike_buf *b)
{
	memset(b, 0, sizeof(*b));
	ike_msg_start(b, &request_hdr);
}

/* ---- names ---- */

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ike_exchange_name(IKE_SA_INIT), "IKE_SA_INIT");
	assert_string_equal(ike_exchange_name(IKE_CREATE_CHILD_SA),
			    "CREATE_CHILD_SA");
	assert_null(ike_exchange_name(33));
	assert_string_equal(ike_payload_name(IKE_PL_NOTIFY), "Notify");
	assert_string_equal(ike_payload_name(IKE_PL_SK),
			    "Encrypted and Authenticated");
	assert_null(ike_payload_name(99));
	assert_string_equal(ike_notify_name(IKE_N_NO_PROPOSAL_CHOSEN),
			    "NO_PROPOSAL_CHOSEN");
	assert_string_equal(ike_notify_name(IKE_N_NAT_DETECTION_SOURCE_IP),
			    "NAT_DETECTION_SOURCE_IP");
	assert_null(ike_notify_name(12345));
	assert_string_equal(ike_transform_type_name(IKE_TR_INTEG), "INTEG");
	assert_null(ike_transform_type_name(99));
	assert_string_equal(ike_transform_name(IKE_TR_ENCR,
					       IKE_ENCR_AES_GCM_16),
			    "ENCR_AES_GCM_16");
	assert_string_equal(ike_transform_name(IKE_TR_ENCR,
					       IKE_ENCR_CHACHA20_POLY1305),
			    "ENCR_CHACHA20_POLY1305");
	assert_string_equal(ike_transform_name(IKE_TR_PRF,
					       IKE_PRF_HMAC_SHA2_256),
			    "PRF_HMAC_SHA2_256");
	assert_string_equal(ike_transform_name(IKE_TR_INTEG,
					       IKE_INTEG_HMAC_SHA2_256_128),
			    "AUTH_HMAC_SHA2_256_128");
	assert_string_equal(ike_transform_name(IKE_TR_KE, IKE_KE_MODP2048),
			    "MODP_2048");
	assert_string_equal(ike_transform_name(IKE_TR_KE, IKE_KE_ECP256),
			    "ECP_256");
	assert_string_equal(ike_transform_name(IKE_TR_KE, IKE_KE_CURVE25519),
			    "CURVE25519");
	/* RFC 9370's ADDKE1 draws from the same registry as KE */
	assert_string_equal(ike_transform_name(6, IKE_KE_CURVE25519),
			    "CURVE25519");
	assert_string_equal(ike_transform_name(IKE_TR_ESN, IKE_ESN_YES), "ESN");
	assert_null(ike_transform_name(IKE_TR_ENCR, 1000));
	assert_null(ike_transform_name(IKE_TR_KE, 3));
	assert_null(ike_transform_name(99, 1));
}

/* Every number ike.h gives a name must have one. */
static void test_names_cover_ike_h(void **state)
{
	static const unsigned int notifies[] = {
		1, 4, 5, 7, 9, 11, 14, 17, 24, 34, 35, 36, 37, 38, 39, 43, 44,
		16384, 16385, 16386, 16387, 16388, 16389, 16390, 16391, 16392,
		16393, 16394, 16395, 16396, 16404, 16406, 16430, 16431,
	};
	static const unsigned int encr[] = {
		2, 3, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 28,
	};
	static const unsigned int prf[] = { 1, 2, 4, 5, 6, 7, 8 };
	static const unsigned int integ[] = {
		0, 1, 2, 5, 8, 9, 10, 11, 12, 13, 14,
	};
	static const unsigned int ke[] = {
		0, 1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 31, 32,
	};
	unsigned int v;
	size_t i;

	(void)state;
	for (v = IKE_SA_INIT; v <= IKE_INFORMATIONAL; v++)
		assert_non_null(ike_exchange_name(v));
	for (v = IKE_PL_SA; v <= IKE_PL_EAP; v++)
		assert_non_null(ike_payload_name(v));
	assert_non_null(ike_payload_name(IKE_PL_SKF));
	for (v = IKE_TR_ENCR; v <= IKE_TR_ESN; v++)
		assert_non_null(ike_transform_type_name(v));
	for (i = 0; i < ARRAY_SIZE(notifies); i++)
		if (!ike_notify_name(notifies[i]))
			fail_msg("notify %u has no name", notifies[i]);
	for (i = 0; i < ARRAY_SIZE(encr); i++)
		assert_non_null(ike_transform_name(IKE_TR_ENCR, encr[i]));
	for (i = 0; i < ARRAY_SIZE(prf); i++)
		assert_non_null(ike_transform_name(IKE_TR_PRF, prf[i]));
	for (i = 0; i < ARRAY_SIZE(integ); i++)
		assert_non_null(ike_transform_name(IKE_TR_INTEG, integ[i]));
	for (i = 0; i < ARRAY_SIZE(ke); i++)
		assert_non_null(ike_transform_name(IKE_TR_KE, ke[i]));
	assert_non_null(ike_transform_name(IKE_TR_ESN, IKE_ESN_NO));
}

/* ---- round trips: decode(encode(x)) == x ---- */

static const struct ike_proposal prop_cbc = {
	.num = 1, .proto = IKE_PROTO_IKE, .n_tr = 6, .tr = {
		{ IKE_TR_ENCR, IKE_ENCR_AES_CBC, 256 },
		{ IKE_TR_ENCR, IKE_ENCR_AES_CBC, 128 },
		{ IKE_TR_PRF, IKE_PRF_HMAC_SHA2_256, 0 },
		{ IKE_TR_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
		{ IKE_TR_KE, IKE_KE_ECP256, 0 },
		{ IKE_TR_KE, IKE_KE_MODP2048, 0 },
	},
};

static const struct ike_proposal prop_gcm = {
	.num = 2, .proto = IKE_PROTO_IKE, .n_tr = 3, .tr = {
		{ IKE_TR_ENCR, IKE_ENCR_AES_GCM_16, 256 },
		{ IKE_TR_PRF, IKE_PRF_HMAC_SHA2_384, 0 },
		{ IKE_TR_KE, IKE_KE_CURVE25519, 0 },
	},
};

static const struct ike_proposal prop_esp = {
	.num = 1, .proto = IKE_PROTO_ESP, .spi_len = 4,
	.spi = { 0xc1, 0x00, 0x00, 0x2a }, .n_tr = 2, .tr = {
		{ IKE_TR_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0 },
		{ IKE_TR_ESN, IKE_ESN_NO, 0 },
	},
};

static void assert_proposal_equal(const struct ike_proposal *got,
				  const struct ike_proposal *want)
{
	uint8_t i;

	assert_int_equal(got->num, want->num);
	assert_int_equal(got->proto, want->proto);
	assert_int_equal(got->spi_len, want->spi_len);
	assert_memory_equal(got->spi, want->spi, want->spi_len);
	assert_int_equal(got->n_tr, want->n_tr);
	for (i = 0; i < want->n_tr; i++) {
		assert_int_equal(got->tr[i].type, want->tr[i].type);
		assert_int_equal(got->tr[i].id, want->tr[i].id);
		assert_int_equal(got->tr[i].keylen, want->tr[i].keylen);
	}
}

static void test_roundtrip_sa(void **state)
{
	const struct ike_proposal props[] = { prop_cbc, prop_gcm };
	struct ike_buf b;
	struct ike_msg m;

	(void)state;
	start(&b);
	ike_put_sa(&b, props, 2);
	decode_buf(&b, &m);
	assert_true(ike_msg_has(&m, IKE_PL_SA));
	assert_int_equal(m.sa.n_prop, 2);
	assert_proposal_equal(&m.sa.prop[0], &prop_cbc);
	assert_proposal_equal(&m.sa.prop[1], &prop_gcm);
	assert_int_equal(m.sa.unknown_attr[0], 0);
	ike_buf_free(&b);

	/* a CREATE_CHILD_SA proposal with an SPI */
	start(&b);
	ike_put_sa(&b, &prop_esp, 1);
	decode_buf(&b, &m);
	assert_int_equal(m.sa.n_prop, 1);
	assert_proposal_equal(&m.sa.prop[0], &prop_esp);
	ike_buf_free(&b);
}

static void test_roundtrip_ke_nonce(void **state)
{
	uint8_t pub[32], nonce[IKE_NONCE_MAX];
	struct ike_pl_ke ke = { IKE_KE_CURVE25519, { pub, sizeof(pub) } };
	struct ike_bytes n = { nonce, sizeof(nonce) };
	struct ike_buf b;
	struct ike_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pub); i++)
		pub[i] = (uint8_t)(0x40 + i);
	for (i = 0; i < sizeof(nonce); i++)
		nonce[i] = (uint8_t)(i * 7);
	start(&b);
	ike_put_ke(&b, &ke);
	ike_put_nonce(&b, &n);
	decode_buf(&b, &m);
	assert_int_equal(m.hdr.next, IKE_PL_KE);
	assert_int_equal(m.ke.group, IKE_KE_CURVE25519);
	assert_bytes(m.ke.data, pub, sizeof(pub));
	assert_bytes(m.nonce, nonce, sizeof(nonce));
	ike_buf_free(&b);
}

static void test_roundtrip_id_auth(void **state)
{
	static const uint8_t fqdn[] = "gw.example.org";
	static const uint8_t v4[] = { 192, 0, 2, 1 };
	static const uint8_t mac[32] = { 0xa5, [31] = 0x5a };
	struct ike_pl_id idi = { IKE_ID_FQDN, { fqdn, sizeof(fqdn) - 1 } };
	struct ike_pl_id idr = { IKE_ID_IPV4_ADDR, { v4, sizeof(v4) } };
	struct ike_pl_auth auth = { IKE_AUTH_PSK, { mac, sizeof(mac) } };
	struct ike_buf b;
	struct ike_msg m;

	(void)state;
	start(&b);
	ike_put_id(&b, IKE_PL_IDI, &idi);
	ike_put_id(&b, IKE_PL_IDR, &idr);
	ike_put_auth(&b, &auth);
	decode_buf(&b, &m);
	assert_int_equal(m.idi.type, IKE_ID_FQDN);
	assert_bytes(m.idi.data, fqdn, sizeof(fqdn) - 1);
	assert_int_equal(m.idr.type, IKE_ID_IPV4_ADDR);
	assert_bytes(m.idr.data, v4, sizeof(v4));
	assert_int_equal(m.auth.method, IKE_AUTH_PSK);
	assert_bytes(m.auth.data, mac, sizeof(mac));
	ike_buf_free(&b);
}

static void test_roundtrip_cert_certreq(void **state)
{
	static const uint8_t der1[] = { 0x30, 0x82, 0x01, 0x0a, 0x02 };
	static const uint8_t der2[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	static const uint8_t keyids[40] = { 0x11, [20] = 0x22 };
	struct ike_pl_cert c1 = { IKE_CERT_X509_SIG, { der1, sizeof(der1) } };
	struct ike_pl_cert c2 = { IKE_CERT_X509_SIG, { der2, sizeof(der2) } };
	struct ike_pl_cert cr = {
		IKE_CERT_X509_SIG, { keyids, sizeof(keyids) },
	};
	struct ike_buf b;
	struct ike_msg m;

	(void)state;
	start(&b);
	ike_put_cert(&b, &c1);
	ike_put_cert(&b, &c2);
	ike_put_certreq(&b, &cr);
	decode_buf(&b, &m);
	assert_int_equal(m.n_cert, 2);
	assert_int_equal(m.cert[0].encoding, IKE_CERT_X509_SIG);
	assert_bytes(m.cert[0].data, der1, sizeof(der1));
	assert_bytes(m.cert[1].data, der2, sizeof(der2));
	assert_int_equal(m.n_certreq, 1);
	assert_int_equal(m.certreq[0].encoding, IKE_CERT_X509_SIG);
	assert_bytes(m.certreq[0].data, keyids, sizeof(keyids));
	ike_buf_free(&b);
}

static void test_roundtrip_notify_delete_vendor(void **state)
{
	static const uint8_t spi4[] = { 0xde, 0xad, 0xbe, 0xef };
	static const uint8_t cookie[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const uint8_t spis[] = { 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0 };
	static const uint8_t vid[] = "kipsec";
	struct ike_pl_notify rekey = {
		.proto = IKE_PROTO_ESP, .type = IKE_N_REKEY_SA,
		.spi = { spi4, sizeof(spi4) },
	};
	struct ike_pl_notify ck = {
		.type = IKE_N_COOKIE, .data = { cookie, sizeof(cookie) },
	};
	struct ike_pl_delete del_esp = { IKE_PROTO_ESP, 4, 3, spis };
	struct ike_pl_delete del_ike = { IKE_PROTO_IKE, 0, 0, NULL };
	struct ike_bytes v = { vid, sizeof(vid) - 1 };
	struct ike_buf b;
	struct ike_msg m;

	(void)state;
	start(&b);
	ike_put_notify(&b, &ck);
	ike_put_notify(&b, &rekey);
	ike_put_delete(&b, &del_esp);
	ike_put_delete(&b, &del_ike);
	ike_put_vendor(&b, &v);
	decode_buf(&b, &m);
	assert_int_equal(m.n_notify, 2);
	assert_int_equal(m.notify[0].type, IKE_N_COOKIE);
	assert_int_equal(m.notify[0].proto, IKE_PROTO_NONE);
	assert_int_equal(m.notify[0].spi.len, 0);
	assert_bytes(m.notify[0].data, cookie, sizeof(cookie));
	assert_int_equal(m.notify[1].type, IKE_N_REKEY_SA);
	assert_int_equal(m.notify[1].proto, IKE_PROTO_ESP);
	assert_bytes(m.notify[1].spi, spi4, sizeof(spi4));
	assert_int_equal(m.notify[1].data.len, 0);
	assert_int_equal(m.n_delete, 2);
	assert_int_equal(m.del[0].proto, IKE_PROTO_ESP);
	assert_int_equal(m.del[0].spi_size, 4);
	assert_int_equal(m.del[0].n_spi, 3);
	assert_memory_equal(m.del[0].spis, spis, sizeof(spis));
	assert_int_equal(m.del[1].proto, IKE_PROTO_IKE);
	assert_int_equal(m.del[1].n_spi, 0);
	assert_int_equal(m.n_vendor, 1);
	assert_bytes(m.vendor[0], vid, sizeof(vid) - 1);
	ike_buf_free(&b);
}

static void assert_ts_equal(const struct ike_ts *got, const struct ike_ts *want)
{
	size_t alen = want->type == IKE_TS_IPV4_ADDR_RANGE ? 4 : 16;

	assert_int_equal(got->type, want->type);
	assert_int_equal(got->ip_proto, want->ip_proto);
	assert_int_equal(got->start_port, want->start_port);
	assert_int_equal(got->end_port, want->end_port);
	assert_memory_equal(got->start, want->start, alen);
	assert_memory_equal(got->end, want->end, alen);
}

static void test_roundtrip_ts(void **state)
{
	const struct ike_ts tsi[] = {
		{ IKE_TS_IPV4_ADDR_RANGE, 0, 0, 65535,
		  { 10, 0, 0, 0 }, { 10, 0, 0, 255 } },
		{ IKE_TS_IPV6_ADDR_RANGE, 6, 443, 443,
		  { 0x20, 0x01, 0x0d, 0xb8 },
		  { 0x20, 0x01, 0x0d, 0xb8, [15] = 0xff } },
	};
	/* start above end: the narrowing code's business, kept as sent */
	const struct ike_ts tsr = {
		IKE_TS_IPV4_ADDR_RANGE, 17, 600, 500,
		{ 192, 0, 2, 9 }, { 192, 0, 2, 1 },
	};
	struct ike_buf b;
	struct ike_msg m;

	(void)state;
	start(&b);
	ike_put_ts(&b, IKE_PL_TSI, tsi, 2);
	ike_put_ts(&b, IKE_PL_TSR, &tsr, 1);
	decode_buf(&b, &m);
	assert_int_equal(m.tsi.n_ts, 2);
	assert_ts_equal(&m.tsi.ts[0], &tsi[0]);
	assert_ts_equal(&m.tsi.ts[1], &tsi[1]);
	assert_int_equal(m.tsr.n_ts, 1);
	assert_ts_equal(&m.tsr.ts[0], &tsr);
	ike_buf_free(&b);
}

static void test_roundtrip_cp_eap(void **state)
{
	/* CFG_REQUEST asking for INTERNAL_IP4_ADDRESS */
	static const uint8_t cp[] = { 1, 0, 0, 0, 0, 1, 0, 0 };
	/* EAP Request/Identity */
	static const uint8_t eap[] = { 1, 7, 0, 5, 1 };
	struct ike_buf b;
	struct ike_msg m;

	(void)state;
	start(&b);
	ike_put_raw(&b, IKE_PL_CP, cp, sizeof(cp));
	ike_put_raw(&b, IKE_PL_EAP, eap, sizeof(eap));
	decode_buf(&b, &m);
	assert_bytes(m.cp, cp, sizeof(cp));
	assert_bytes(m.eap, eap, sizeof(eap));
	ike_buf_free(&b);
}

/*
 * The way the key manager builds a protected message: the inner chain in
 * its own buffer, then the SK payload reserved, the lengths fixed, and
 * the body written in place.
 */
static void test_roundtrip_sk(void **state)
{
	static const uint8_t idata[] = { 0, 0, 0, 10 };
	static const uint8_t body[24] = { 0x10, 0x11, [23] = 0x99 };
	struct ike_pl_notify win = {
		.type = IKE_N_SET_WINDOW_SIZE, .data = { idata, sizeof(idata) },
	};
	struct ike_pl_delete del = { IKE_PROTO_IKE, 0, 0, NULL };
	struct ike_buf inner = { 0 }, b;
	struct ike_msg m;
	struct ike_err err;
	size_t sk;

	(void)state;
	ike_put_notify(&inner, &win);
	ike_put_delete(&inner, &del);
	assert_false(inner.oom);
	assert_int_equal(inner.first, IKE_PL_NOTIFY);

	start(&b);
	sk = ike_put_sk(&b, inner.first, sizeof(body));
	assert_int_equal(ike_msg_finish(&b), 0);
	assert_int_equal(sk, IKE_HDR_LEN);
	memcpy(b.p + sk + IKE_PL_HDR_LEN, body, sizeof(body));
	assert_int_equal(ike_msg_decode(b.p, b.len, &m, &err), 0);
	assert_int_equal(m.hdr.next, IKE_PL_SK);
	assert_int_equal(m.sk.first, IKE_PL_NOTIFY);
	assert_int_equal(m.sk.off, sk);
	assert_bytes(m.sk.body, body, sizeof(body));

	/* what the crypto code hands back after decryption */
	assert_int_equal(ike_payloads_decode(m.sk.first, inner.p, inner.len,
					     &m, &err), 0);
	assert_int_equal(m.n_notify, 1);
	assert_int_equal(m.notify[0].type, IKE_N_SET_WINDOW_SIZE);
	assert_bytes(m.notify[0].data, idata, sizeof(idata));
	assert_int_equal(m.n_delete, 1);
	assert_int_equal(m.del[0].proto, IKE_PROTO_IKE);
	ike_buf_free(&b);
	ike_buf_free(&inner);
}

static void test_roundtrip_skf(void **state)
{
	static const uint8_t body[16] = { 0xf0, [15] = 0x0f };
	struct ike_buf b;
	struct ike_msg m;
	size_t off;

	(void)state;
	start(&b);
	off = ike_put_skf(&b, IKE_PL_IDI, 1, 3, sizeof(body));
	assert_int_equal(ike_msg_finish(&b), 0);
	memcpy(b.p + off + IKE_SKF_HDR_LEN, body, sizeof(body));
	decode_buf(&b, &m);
	assert_int_equal(m.skf.first, IKE_PL_IDI);
	assert_int_equal(m.skf.num, 1);
	assert_int_equal(m.skf.total, 3);
	assert_int_equal(m.skf.off, off);
	assert_bytes(m.skf.body, body, sizeof(body));
	ike_buf_free(&b);
}

/* ---- a whole IKE_SA_INIT request ---- */

static const uint8_t init_pub[64] = { 0x04, 1, 2, 3, [63] = 0xee };
static const uint8_t init_nonce[32] = { 0x5e, [31] = 0xed };
static const uint8_t init_natd_s[20] = { 0xaa, [19] = 0xab };
static const uint8_t init_natd_d[20] = { 0xba, [19] = 0xbb };
static const uint8_t init_vid[16] = { 0x88, 0x2f, 0xe5, 0x6d, [15] = 1 };

static void build_sa_init(struct ike_buf *b)
{
	const struct ike_proposal props[] = { prop_cbc, prop_gcm };
	struct ike_pl_ke ke = { IKE_KE_ECP256, { init_pub, sizeof(init_pub) } };
	struct ike_bytes nonce = { init_nonce, sizeof(init_nonce) };
	struct ike_pl_notify src = {
		.type = IKE_N_NAT_DETECTION_SOURCE_IP,
		.data = { init_natd_s, sizeof(init_natd_s) },
	};
	struct ike_pl_notify dst = {
		.type = IKE_N_NAT_DETECTION_DESTINATION_IP,
		.data = { init_natd_d, sizeof(init_natd_d) },
	};
	struct ike_bytes vid = { init_vid, sizeof(init_vid) };

	start(b);
	ike_put_sa(b, props, 2);
	ike_put_ke(b, &ke);
	ike_put_nonce(b, &nonce);
	ike_put_notify(b, &src);
	ike_put_notify(b, &dst);
	ike_put_vendor(b, &vid);
	assert_int_equal(ike_msg_finish(b), 0);
}

/* Encode again from what was decoded: the same struct, the same bytes. */
static void reencode_sa_init(const struct ike_msg *m, struct ike_buf *b)
{
	uint8_t i;

	memset(b, 0, sizeof(*b));
	ike_msg_start(b, &m->hdr);
	ike_put_sa(b, m->sa.prop, m->sa.n_prop);
	ike_put_ke(b, &m->ke);
	ike_put_nonce(b, &m->nonce);
	for (i = 0; i < m->n_notify; i++)
		ike_put_notify(b, &m->notify[i]);
	for (i = 0; i < m->n_vendor; i++)
		ike_put_vendor(b, &m->vendor[i]);
	assert_int_equal(ike_msg_finish(b), 0);
}

static void test_sa_init_message(void **state)
{
	struct ike_buf b, again;
	struct ike_msg m;
	struct ike_err err;

	(void)state;
	build_sa_init(&b);
	/* the wire, where the RFC pins it */
	assert_memory_equal(b.p, request_hdr.ispi, 8);
	assert_int_equal(b.p[16], IKE_PL_SA);
	assert_int_equal(b.p[17], 0x20);
	assert_int_equal(b.p[18], IKE_SA_INIT);
	assert_int_equal(b.p[19], IKE_FLAG_INITIATOR);
	assert_int_equal(b.p[24] << 24 | b.p[25] << 16 | b.p[26] << 8 | b.p[27],
			 b.len);
	assert_int_equal(b.p[IKE_HDR_LEN], IKE_PL_KE);	/* SA's next */

	assert_int_equal(ike_msg_decode(b.p, b.len, &m, &err), 0);
	assert_int_equal(m.hdr.exchange, IKE_SA_INIT);
	assert_int_equal(m.hdr.flags, IKE_FLAG_INITIATOR);
	assert_int_equal(m.hdr.msg_id, 0);
	assert_int_equal(m.hdr.len, b.len);
	assert_int_equal(m.seen, BIT(IKE_PL_SA) | BIT(IKE_PL_KE) |
			 BIT(IKE_PL_NONCE) | BIT(IKE_PL_NOTIFY) |
			 BIT(IKE_PL_VENDOR));
	assert_int_equal(m.sa.n_prop, 2);
	assert_proposal_equal(&m.sa.prop[0], &prop_cbc);
	assert_proposal_equal(&m.sa.prop[1], &prop_gcm);
	assert_int_equal(m.ke.group, IKE_KE_ECP256);
	assert_bytes(m.ke.data, init_pub, sizeof(init_pub));
	assert_bytes(m.nonce, init_nonce, sizeof(init_nonce));
	assert_int_equal(m.n_notify, 2);
	assert_int_equal(m.notify[0].type, IKE_N_NAT_DETECTION_SOURCE_IP);
	assert_bytes(m.notify[0].data, init_natd_s, sizeof(init_natd_s));
	assert_int_equal(m.notify[1].type, IKE_N_NAT_DETECTION_DESTINATION_IP);
	assert_bytes(m.notify[1].data, init_natd_d, sizeof(init_natd_d));
	assert_int_equal(m.n_vendor, 1);
	assert_bytes(m.vendor[0], init_vid, sizeof(init_vid));

	reencode_sa_init(&m, &again);
	assert_int_equal(again.len, b.len);
	assert_memory_equal(again.p, b.p, b.len);
	ike_buf_free(&again);
	ike_buf_free(&b);
}

/* ---- a published message: RFC 7634 appendix B ---- */

/*
 * An INFORMATIONAL request protected with ENCR_CHACHA20_POLY1305: the
 * IKE header and the SK generic header are the RFC's AAD, then the IV,
 * the ciphertext and the tag, all as the RFC lists them.
 */
static const uint8_t rfc7634_msg[] = {
	0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,	/* initiator SPI */
	0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7,	/* responder SPI */
	0x2e,			/* next payload: SK (46) */
	0x20,			/* version 2.0 */
	0x25,			/* exchange: INFORMATIONAL (37) */
	0x00,			/* flags */
	0x00, 0x00, 0x00, 0x09,	/* message ID 9 */
	0x00, 0x00, 0x00, 0x45,	/* length 69 */
	0x29,			/* SK: next payload Notify (41) */
	0x00,			/* not critical */
	0x00, 0x29,		/* payload length 41 */
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,	/* IV */
	0x61, 0x03, 0x94, 0x70, 0x1f, 0x8d, 0x01, 0x7f,	/* ciphertext */
	0x7c, 0x12, 0x92, 0x48, 0x89,
	0x6b, 0x71, 0xbf, 0xe2, 0x52, 0x36, 0xef, 0xd7,	/* tag */
	0xcd, 0xc6, 0x70, 0x66, 0x90, 0x63, 0x15, 0xb2,
};

/* Its plaintext, as the RFC lists it, without the final Pad Length 0. */
static const uint8_t rfc7634_plain[] = {
	0x00,			/* next payload: none */
	0x00,			/* not critical */
	0x00, 0x0c,		/* payload length 12 */
	0x00,			/* protocol ID: none */
	0x00,			/* SPI size 0 */
	0x40, 0x01,		/* SET_WINDOW_SIZE (16385) */
	0x00, 0x00, 0x00, 0x0a,	/* window of 10 */
};

static void test_rfc7634_decode(void **state)
{
	static const uint8_t ispi[] = {
		0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
	};
	static const uint8_t rspi[] = {
		0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7,
	};
	static const uint8_t window[] = { 0, 0, 0, 10 };
	struct ike_msg m;
	struct ike_err err;

	(void)state;
	assert_int_equal(sizeof(rfc7634_msg), 69);
	assert_int_equal(ike_msg_decode(rfc7634_msg, sizeof(rfc7634_msg), &m,
					&err), 0);
	assert_memory_equal(m.hdr.ispi, ispi, 8);
	assert_memory_equal(m.hdr.rspi, rspi, 8);
	assert_int_equal(m.hdr.next, IKE_PL_SK);
	assert_int_equal(m.hdr.version, IKE_VERSION);
	assert_int_equal(m.hdr.exchange, IKE_INFORMATIONAL);
	assert_int_equal(m.hdr.flags, 0);
	assert_int_equal(m.hdr.msg_id, 9);
	assert_int_equal(m.hdr.len, 69);
	assert_int_equal(m.seen, BIT(IKE_PL_SK));
	assert_int_equal(m.sk.first, IKE_PL_NOTIFY);
	/* the RFC's AAD is the 28-byte header and the 4-byte SK header */
	assert_int_equal(m.sk.off + IKE_PL_HDR_LEN, 32);
	assert_ptr_equal(m.sk.body.p, rfc7634_msg + 32);
	assert_int_equal(m.sk.body.len, 8 + 13 + 16);

	assert_int_equal(ike_payloads_decode(m.sk.first, rfc7634_plain,
					     sizeof(rfc7634_plain), &m, &err),
			 0);
	assert_int_equal(m.n_notify, 1);
	assert_int_equal(m.notify[0].proto, IKE_PROTO_NONE);
	assert_int_equal(m.notify[0].spi.len, 0);
	assert_int_equal(m.notify[0].type, IKE_N_SET_WINDOW_SIZE);
	assert_bytes(m.notify[0].data, window, sizeof(window));
}

/* Our encoder, fed the RFC's fields, writes the RFC's bytes. */
static void test_rfc7634_encode(void **state)
{
	static const uint8_t window[] = { 0, 0, 0, 10 };
	struct ike_pl_notify n = {
		.type = IKE_N_SET_WINDOW_SIZE,
		.data = { window, sizeof(window) },
	};
	struct ike_hdr h = {
		.ispi = { 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7 },
		.rspi = { 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7 },
		.exchange = IKE_INFORMATIONAL, .msg_id = 9,
	};
	struct ike_buf inner = { 0 }, b = { 0 };
	size_t sk, body_len = sizeof(rfc7634_msg) - 32;

	(void)state;
	ike_put_notify(&inner, &n);
	assert_false(inner.oom);
	assert_int_equal(inner.len, sizeof(rfc7634_plain));
	assert_memory_equal(inner.p, rfc7634_plain, sizeof(rfc7634_plain));

	ike_msg_start(&b, &h);
	sk = ike_put_sk(&b, inner.first, body_len);
	assert_int_equal(ike_msg_finish(&b), 0);
	/* the AAD is final before the body is written */
	assert_memory_equal(b.p, rfc7634_msg, sk + IKE_PL_HDR_LEN);
	memcpy(b.p + sk + IKE_PL_HDR_LEN, rfc7634_msg + 32, body_len);
	assert_int_equal(b.len, sizeof(rfc7634_msg));
	assert_memory_equal(b.p, rfc7634_msg, sizeof(rfc7634_msg));
	ike_buf_free(&b);
	ike_buf_free(&inner);
}

/* ---- malformed headers and chains ---- */

static void test_truncated_header(void **state)
{
	uint8_t *p;
	size_t n;

	(void)state;
	p = wrap(IKE_PL_NONE, NULL, 0, &n);
	/* nothing to answer to without SPIs and a message ID: notify 0 */
	expect_msg_refused(p, IKE_HDR_LEN - 1, 0, "a header needs 28");
	expect_msg_refused(p, 0, 0, "0 bytes");
	free(p);
}

static void test_header_length(void **state)
{
	static const uint8_t vid[] = { 0, 0, 0, 6, 'k', 'i' };
	uint8_t *p;
	size_t n;

	(void)state;
	p = wrap(IKE_PL_VENDOR, vid, sizeof(vid), &n);
	p[27]++;				/* header says more */
	expect_msg_refused(p, n, IKE_N_INVALID_SYNTAX, "offset 24");
	p[27] -= 2;				/* header says less */
	expect_msg_refused(p, n, IKE_N_INVALID_SYNTAX, "header says 33 bytes");
	p[27] = 20;				/* below a header */
	expect_msg_refused(p, n, IKE_N_INVALID_SYNTAX, "header says 20 bytes");
	p[27] = (uint8_t)n;
	p[24] = 1;				/* the top byte counts */
	expect_msg_refused(p, n, IKE_N_INVALID_SYNTAX, "datagram has 34");
	free(p);
}

static void test_major_version(void **state)
{
	uint8_t *p;
	size_t n;
	struct ike_msg m;
	struct ike_err err;

	(void)state;
	p = wrap(IKE_PL_NONE, NULL, 0, &n);
	p[17] = 0x30;
	expect_msg_refused(p, n, IKE_N_INVALID_MAJOR_VERSION,
			   "major version 3");
	p[17] = 0x10;				/* IKEv1 */
	expect_msg_refused(p, n, IKE_N_INVALID_MAJOR_VERSION,
			   "major version 1");
	p[17] = 0x21;				/* minor versions are ignored */
	assert_int_equal(ike_msg_decode(p, n, &m, &err), 0);
	assert_int_equal(m.hdr.version, 0x21);
	free(p);
}

static void test_payload_length(void **state)
{
	static const uint8_t short_len[] = { 0, 0, 0, 3, 0 };
	static const uint8_t past_end[] = { 0, 0, 0, 9, 1, 2, 3, 4 };
	static const uint8_t no_room[] = { 0, 0 };
	/* Vendor ID then a Notify the chain names but that is missing */
	static const uint8_t missing[] = { IKE_PL_NOTIFY, 0, 0, 5, 'x' };

	(void)state;
	expect_refused(IKE_PL_VENDOR, short_len, sizeof(short_len),
		       IKE_N_INVALID_SYNTAX, "length 3, below 4");
	expect_refused(IKE_PL_VENDOR, past_end, sizeof(past_end),
		       IKE_N_INVALID_SYNTAX, "length 9, only 8 bytes left");
	expect_refused(IKE_PL_VENDOR, no_room, sizeof(no_room),
		       IKE_N_INVALID_SYNTAX, "2 bytes left");
	expect_refused(IKE_PL_VENDOR, missing, sizeof(missing),
		       IKE_N_INVALID_SYNTAX, "Notify payload at offset 33");
}

static void test_trailing_bytes(void **state)
{
	static const uint8_t chain[] = { 0, 0, 0, 5, 'v', 0xde, 0xad, 0xff };

	(void)state;
	expect_refused(IKE_PL_VENDOR, chain, sizeof(chain),
		       IKE_N_INVALID_SYNTAX, "3 bytes after the last payload");
	/* a header naming no payload, then bytes anyway */
	expect_refused(IKE_PL_NONE, chain, sizeof(chain),
		       IKE_N_INVALID_SYNTAX, "8 bytes after");
}

static void test_unknown_critical(void **state)
{
	static const uint8_t chain[] = { 0, IKE_CRITICAL, 0, 6, 1, 2 };
	size_t n;
	uint8_t *p = wrap(99, chain, sizeof(chain), &n);
	struct ike_msg m;
	struct ike_err err;

	(void)state;
	assert_int_equal(ike_msg_decode(p, n, &m, &err), -1);
	assert_int_equal(err.notify, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD);
	assert_int_equal(err.data_len, 1);
	assert_int_equal(err.data[0], 99);
	assert_non_null(strstr(err.msg, "payload type 99 at offset 28"));
	free(p);
}

static void test_unknown_skipped(void **state)
{
	/* an unknown payload (type 99) between two known ones */
	static const uint8_t chain[] = {
		99, 0, 0, 6, 'v', 'v',			/* Vendor ID */
		IKE_PL_NOTIFY, 0x7f, 0, 8, 0xff, 0xff, 0xff, 0xff, /* type 99 */
		0, 0, 0, 8, 0, 0, 0x40, 0x00,		/* INITIAL_CONTACT */
	};
	struct ike_msg m;
	uint8_t *p;

	(void)state;
	p = expect_accepted(IKE_PL_VENDOR, chain, sizeof(chain), &m);
	assert_int_equal(m.seen, BIT(IKE_PL_VENDOR) | BIT(IKE_PL_NOTIFY));
	assert_int_equal(m.n_vendor, 1);
	assert_int_equal(m.n_notify, 1);
	assert_int_equal(m.notify[0].type, IKE_N_INITIAL_CONTACT);
	free(p);
}

/* A known payload's critical bit is ignored (RFC 7296 section 2.5). */
static void test_known_critical_accepted(void **state)
{
	static const uint8_t chain[] = { 0, IKE_CRITICAL, 0, 5, 'v' };
	struct ike_msg m;

	(void)state;
	free(expect_accepted(IKE_PL_VENDOR, chain, sizeof(chain), &m));
}

/* ---- malformed SA payloads ---- */

/*
 * One ESP proposal: ENCR_AES_GCM_16 with a 128-bit key, NO_ESN. The
 * tests below each break one byte of it; offsets in the message are the
 * chain's plus 28.
 */
static const uint8_t sa_ok[] = {
	0, 0, 0, 36,			/* 28: SA, last payload, 36 bytes */
	0, 0, 0, 32,			/* 32: proposal, last, 32 bytes */
	1, IKE_PROTO_ESP, 4, 2,		/* #1, ESP, SPI size 4, 2 transforms */
	0x0a, 0x0b, 0x0c, 0x0d,		/* 40: SPI */
	3, 0, 0, 12,			/* 44: transform, more, 12 bytes */
	IKE_TR_ENCR, 0, 0, IKE_ENCR_AES_GCM_16,
	0x80, IKE_ATTR_KEY_LENGTH, 0, 128, /* 52: Key Length 128, TV */
	0, 0, 0, 8,			/* 56: transform, last, 8 bytes */
	IKE_TR_ESN, 0, 0, IKE_ESN_NO,
};

static void expect_sa_refused(size_t at, uint8_t value, const char *mention)
{
	uint8_t chain[sizeof(sa_ok)];

	memcpy(chain, sa_ok, sizeof(chain));
	chain[at] = value;
	expect_refused(IKE_PL_SA, chain, sizeof(chain), IKE_N_INVALID_SYNTAX,
		       mention);
}

static void test_sa_ok(void **state)
{
	struct ike_msg m;
	uint8_t *p;

	(void)state;
	p = expect_accepted(IKE_PL_SA, sa_ok, sizeof(sa_ok), &m);
	assert_int_equal(m.sa.n_prop, 1);
	assert_int_equal(m.sa.prop[0].proto, IKE_PROTO_ESP);
	assert_int_equal(m.sa.prop[0].spi_len, 4);
	assert_int_equal(m.sa.prop[0].spi[3], 0x0d);
	assert_int_equal(m.sa.prop[0].n_tr, 2);
	assert_int_equal(m.sa.prop[0].tr[0].id, IKE_ENCR_AES_GCM_16);
	assert_int_equal(m.sa.prop[0].tr[0].keylen, 128);
	assert_int_equal(m.sa.prop[0].tr[1].type, IKE_TR_ESN);
	free(p);
}

static void test_sa_lengths(void **state)
{
	(void)state;
	expect_sa_refused(7, 40, "proposal length 40 is outside 8..32");
	expect_sa_refused(7, 4, "proposal length 4");
	expect_sa_refused(19, 6, "transform length 6 is outside 8..");
	expect_sa_refused(19, 40, "transform length 40");
	expect_sa_refused(10, 9, "SPI size 9, at most 8");
	expect_sa_refused(10, 8, "transform");	/* SPI eats a header */
	/* an SA with no proposal at all */
	expect_refused(IKE_PL_SA, (const uint8_t[]){ 0, 0, 0, 4 }, 4,
		       IKE_N_INVALID_SYNTAX, "no proposal");
}

static void test_sa_markers(void **state)
{
	(void)state;
	expect_sa_refused(4, 2, "proposal says more follow but is the last");
	expect_sa_refused(4, 1, "proposal marker 1 is neither 0 nor 2");
	expect_sa_refused(16, 0,
			  "transform says it is the last but 8 bytes follow");
	expect_sa_refused(28, 3, "transform says more follow but is the last");
	expect_sa_refused(16, 2, "transform marker 2 is neither 0 nor 3");
}

static void test_sa_transform_count(void **state)
{
	(void)state;
	expect_sa_refused(11, 1, "more than the 1 transforms announced");
	expect_sa_refused(11, 3, "3 transforms announced, 2 present");
	expect_sa_refused(11, IKE_MAX_TRANSFORMS + 1,
			  "33 transforms, at most 32");
}

/* 33 transforms that would each be fine: refused, not cut to 32. */
static void test_sa_too_many_transforms(void **state)
{
	uint8_t chain[4 + 8 + 33 * 8];
	size_t i, len = sizeof(chain);

	(void)state;
	memset(chain, 0, sizeof(chain));
	chain[2] = (uint8_t)(len >> 8);
	chain[3] = (uint8_t)len;
	chain[6] = (uint8_t)((len - 4) >> 8);
	chain[7] = (uint8_t)(len - 4);
	chain[8] = 1;
	chain[9] = IKE_PROTO_IKE;
	chain[11] = 33;
	for (i = 0; i < 33; i++) {
		uint8_t *t = chain + 12 + 8 * i;

		t[0] = i < 32 ? 3 : 0;
		t[3] = 8;
		t[4] = IKE_TR_KE;
		t[7] = (uint8_t)(i + 1);
	}
	expect_refused(IKE_PL_SA, chain, len, IKE_N_INVALID_SYNTAX,
		       "33 transforms, at most 32");
	chain[11] = 32;		/* and lying about the count does not help */
	expect_refused(IKE_PL_SA, chain, len, IKE_N_INVALID_SYNTAX,
		       "more than the 32 transforms announced");
}

static void test_sa_too_many_proposals(void **state)
{
	uint8_t chain[4 + (IKE_MAX_PROPOSALS + 1) * 8];
	size_t i, len = sizeof(chain);

	(void)state;
	memset(chain, 0, sizeof(chain));
	chain[3] = (uint8_t)len;
	for (i = 0; i <= IKE_MAX_PROPOSALS; i++) {
		uint8_t *p = chain + 4 + 8 * i;

		p[0] = i < IKE_MAX_PROPOSALS ? 2 : 0;
		p[3] = 8;
		p[4] = (uint8_t)(i + 1);
		p[5] = IKE_PROTO_IKE;
	}
	expect_refused(IKE_PL_SA, chain, len, IKE_N_INVALID_SYNTAX,
		       "more than 16 proposals");
}

static void test_sa_attributes(void **state)
{
	/* a transform whose only attribute is cut to 2 bytes */
	static const uint8_t cut[] = {
		0, 0, 0, 22,
		0, 0, 0, 18, 1, IKE_PROTO_IKE, 0, 1,
		0, 0, 0, 10, IKE_TR_ENCR, 0, 0, IKE_ENCR_AES_CBC,
		0x00, IKE_ATTR_KEY_LENGTH,	/* 48 */
	};
	uint8_t chain[sizeof(sa_ok)];
	uint8_t tlv[sizeof(cut) + 4];
	struct ike_msg m;
	uint8_t *p;

	(void)state;
	expect_refused(IKE_PL_SA, cut, sizeof(cut), IKE_N_INVALID_SYNTAX,
		       "offset 48: attribute cut to 2 bytes");

	/* a well-formed TLV Key Length: still not how Key Length travels */
	memcpy(tlv, cut, sizeof(cut));
	tlv[3] = sizeof(tlv);
	tlv[7] = sizeof(tlv) - 4;
	tlv[15] = 14;			/* transform length */
	tlv[22] = 0;			/* attribute length 2 */
	tlv[23] = 2;
	tlv[24] = 0;			/* 128 */
	tlv[25] = 128;
	expect_refused(IKE_PL_SA, tlv, sizeof(tlv), IKE_N_INVALID_SYNTAX,
		       "Key Length in TLV form");
	tlv[23] = 3;			/* a TLV longer than the transform */
	expect_refused(IKE_PL_SA, tlv, sizeof(tlv), IKE_N_INVALID_SYNTAX,
		       "attribute of 7 bytes, 6 left");

	expect_sa_refused(27, 0, "Key Length 0");

	/* an unknown attribute: the transform is flagged, not refused */
	memcpy(chain, sa_ok, sizeof(chain));
	chain[25] = 15;
	p = expect_accepted(IKE_PL_SA, chain, sizeof(chain), &m);
	assert_int_equal(m.sa.unknown_attr[0], 1);
	assert_int_equal(m.sa.prop[0].tr[0].keylen, 0);
	free(p);

	/* unknown transform types and IDs are the selection's to skip */
	memcpy(chain, sa_ok, sizeof(chain));
	chain[20] = 200;
	chain[23] = 0xfe;
	p = expect_accepted(IKE_PL_SA, chain, sizeof(chain), &m);
	assert_int_equal(m.sa.prop[0].tr[0].type, 200);
	assert_int_equal(m.sa.prop[0].tr[0].id, 0xfe);
	assert_int_equal(m.sa.unknown_attr[0], 0);
	free(p);
}

static void test_sa_second_key_length(void **state)
{
	static const uint8_t chain[] = {
		0, 0, 0, 28,
		0, 0, 0, 24, 1, IKE_PROTO_IKE, 0, 1,
		0, 0, 0, 16, IKE_TR_ENCR, 0, 0, IKE_ENCR_AES_CBC,
		0x80, IKE_ATTR_KEY_LENGTH, 0, 128,
		0x80, IKE_ATTR_KEY_LENGTH, 1, 0,	/* 52 */
	};

	(void)state;
	expect_refused(IKE_PL_SA, chain, sizeof(chain), IKE_N_INVALID_SYNTAX,
		       "offset 52: second Key Length");
}

/* Two IKE proposals of one transform each. */
static const uint8_t sa_two[] = {
	0, 0, 0, 36,
	2, 0, 0, 16, 1, IKE_PROTO_IKE, 0, 1,	/* 32: proposal #1, more */
	0, 0, 0, 8, IKE_TR_ENCR, 0, 0, IKE_ENCR_AES_CBC,
	0, 0, 0, 16, 2, IKE_PROTO_IKE, 0, 1,	/* 48: proposal #2, last */
	0, 0, 0, 8, IKE_TR_ENCR, 0, 0, IKE_ENCR_3DES,
};

/* The answer to it, accepting #2. */
static const uint8_t sa_answer[] = {
	0, 0, 0, 20,
	0, 0, 0, 16, 2, IKE_PROTO_IKE, 0, 1,
	0, 0, 0, 8, IKE_TR_ENCR, 0, 0, IKE_ENCR_3DES,
};

static void test_sa_numbering(void **state)
{
	uint8_t chain[sizeof(sa_two)];
	struct ike_msg m;
	struct ike_err err;
	uint8_t *p;
	size_t n;

	(void)state;
	free(expect_accepted(IKE_PL_SA, sa_two, sizeof(sa_two), &m));

	memcpy(chain, sa_two, sizeof(chain));
	chain[24] = 1;				/* 1, 1 */
	expect_refused(IKE_PL_SA, chain, sizeof(chain), IKE_N_INVALID_SYNTAX,
		       "proposal number 1, expected 2");
	chain[24] = 3;				/* 1, 3 */
	expect_refused(IKE_PL_SA, chain, sizeof(chain), IKE_N_INVALID_SYNTAX,
		       "offset 52: proposal number 3");
	chain[8] = 2;				/* a request starting at 2 */
	expect_refused(IKE_PL_SA, chain, sizeof(chain), IKE_N_INVALID_SYNTAX,
		       "proposal number 2, expected 1");
	chain[8] = 0;
	expect_refused(IKE_PL_SA, chain, sizeof(chain), IKE_N_INVALID_SYNTAX,
		       "proposal number 0, expected 1");
	expect_refused(IKE_PL_SA, sa_two, sizeof(sa_two) - 16,
		       IKE_N_INVALID_SYNTAX, "length 36, only 20 bytes left");

	/* an answer echoes the number it accepted: #2 alone is fine */
	p = wrap(IKE_PL_SA, sa_answer, sizeof(sa_answer), &n);
	p[19] = IKE_FLAG_RESPONSE;
	if (ike_msg_decode(p, n, &m, &err))
		fail_msg("response refused: %s", err.msg);
	assert_int_equal(m.sa.prop[0].num, 2);
	p[19] = 0;				/* as a request it is not */
	expect_msg_refused(p, n, IKE_N_INVALID_SYNTAX, "expected 1");
	free(p);
}

/* ---- other payloads ---- */

static void test_ke_short(void **state)
{
	static const uint8_t chain[] = { 0, 0, 0, 7, 0, 19, 0 };
	const uint16_t syntax = IKE_N_INVALID_SYNTAX;

	(void)state;
	expect_refused(IKE_PL_KE, chain, sizeof(chain), syntax,
		       "3 bytes of body, at least 4 needed");
	expect_refused(IKE_PL_IDI, chain, sizeof(chain), syntax,
		       "Identification - Initiator payload at offset 28");
	expect_refused(IKE_PL_AUTH, chain, sizeof(chain), syntax, "at least 4");
	expect_refused(IKE_PL_NOTIFY, chain, sizeof(chain), syntax,
		       "at least 4");
	expect_refused(IKE_PL_SKF, chain, sizeof(chain), syntax, "at least 4");
	expect_refused(IKE_PL_CERT, (const uint8_t[]){ 0, 0, 0, 4 }, 4,
		       syntax, "0 bytes of body, at least 1");
}

static void nonce_chain(uint8_t *chain, size_t nonce_len)
{
	size_t len = IKE_PL_HDR_LEN + nonce_len;

	memset(chain, 0x4e, len);
	chain[0] = IKE_PL_NONE;
	chain[1] = 0;
	chain[2] = (uint8_t)(len >> 8);
	chain[3] = (uint8_t)len;
}

static void test_nonce_size(void **state)
{
	uint8_t chain[IKE_PL_HDR_LEN + 257];
	struct ike_msg m;

	(void)state;
	nonce_chain(chain, 15);
	expect_refused(IKE_PL_NONCE, chain, 4 + 15, IKE_N_INVALID_SYNTAX,
		       "15 bytes of body, at least 16");
	nonce_chain(chain, 257);
	expect_refused(IKE_PL_NONCE, chain, 4 + 257, IKE_N_INVALID_SYNTAX,
		       "257 bytes of nonce, at most 256");
	nonce_chain(chain, 16);
	free(expect_accepted(IKE_PL_NONCE, chain, 4 + 16, &m));
	assert_int_equal(m.nonce.len, 16);
	nonce_chain(chain, 256);
	free(expect_accepted(IKE_PL_NONCE, chain, 4 + 256, &m));
	assert_int_equal(m.nonce.len, 256);
}

static void test_ts_selector_length(void **state)
{
	static const uint8_t ts_ok[] = {
		0, 0, 0, 24,
		1, 0, 0, 0,			/* one selector */
		IKE_TS_IPV4_ADDR_RANGE, 0, 0, 16, /* 36 */
		0, 0, 0xff, 0xff,
		10, 0, 0, 0, 10, 0, 0, 255,
	};
	uint8_t chain[sizeof(ts_ok)];
	struct ike_msg m;
	uint8_t *p;

	(void)state;
	free(expect_accepted(IKE_PL_TSI, ts_ok, sizeof(ts_ok), &m));

	memcpy(chain, ts_ok, sizeof(chain));
	chain[8] = IKE_TS_IPV6_ADDR_RANGE;	/* IPv6 type, IPv4 size */
	expect_refused(IKE_PL_TSI, chain, sizeof(chain), IKE_N_INVALID_SYNTAX,
		       "selector of type 8 is 16 bytes, not 40");
	memcpy(chain, ts_ok, sizeof(chain));
	chain[11] = 20;				/* past the payload */
	expect_refused(IKE_PL_TSR, chain, sizeof(chain), IKE_N_INVALID_SYNTAX,
		       "selector length 20 is outside 4..16");
	chain[11] = 12;				/* shorter than IPv4 needs */
	expect_refused(IKE_PL_TSR, chain, sizeof(chain), IKE_N_INVALID_SYNTAX,
		       "offset 38: selector of type 7 is 12 bytes, not 16");
	memcpy(chain, ts_ok, sizeof(chain));
	chain[4] = 2;				/* count disagrees */
	expect_refused(IKE_PL_TSI, chain, sizeof(chain), IKE_N_INVALID_SYNTAX,
		       "2 selectors announced, 1 present");

	/* a type we do not know: kept, its type only */
	memcpy(chain, ts_ok, sizeof(chain));
	chain[8] = 10;
	p = expect_accepted(IKE_PL_TSI, chain, sizeof(chain), &m);
	assert_int_equal(m.tsi.n_ts, 1);
	assert_int_equal(m.tsi.ts[0].type, 10);
	assert_int_equal(m.tsi.ts[0].end_port, 0);
	free(p);
}

static void test_delete_count(void **state)
{
	static const uint8_t chain[] = {
		0, 0, 0, 12, IKE_PROTO_ESP, 4, 0, 2, 1, 2, 3, 4,
	};

	(void)state;
	expect_refused(IKE_PL_DELETE, chain, sizeof(chain),
		       IKE_N_INVALID_SYNTAX, "2 SPIs of 4 bytes in 4 bytes");
}

static void test_notify_spi_size(void **state)
{
	static const uint8_t chain[] = {
		0, 0, 0, 10, IKE_PROTO_ESP, 8, 0x40, 0x09, 1, 2,
	};

	(void)state;
	expect_refused(IKE_PL_NOTIFY, chain, sizeof(chain),
		       IKE_N_INVALID_SYNTAX,
		       "offset 33: SPI size 8, 2 bytes left");
}

static void test_too_many_notifies(void **state)
{
	uint8_t chain[(IKE_MAX_NOTIFY + 1) * 8];
	struct ike_msg m;
	size_t i;

	(void)state;
	memset(chain, 0, sizeof(chain));
	for (i = 0; i <= IKE_MAX_NOTIFY; i++) {
		chain[8 * i] = i < IKE_MAX_NOTIFY ? IKE_PL_NOTIFY : 0;
		chain[8 * i + 3] = 8;
		chain[8 * i + 6] = 0x40;	/* INITIAL_CONTACT */
	}
	expect_refused(IKE_PL_NOTIFY, chain, sizeof(chain),
		       IKE_N_INVALID_SYNTAX, "more than 32");
	/* exactly the cap is fine */
	chain[8 * (IKE_MAX_NOTIFY - 1)] = 0;
	free(expect_accepted(IKE_PL_NOTIFY, chain, IKE_MAX_NOTIFY * 8, &m));
	assert_int_equal(m.n_notify, IKE_MAX_NOTIFY);
}

static void test_once_only_ke(void **state)
{
	static const uint8_t two_ke[] = {
		IKE_PL_KE, 0, 0, 9, 0, 19, 0, 0, 0xaa,
		0, 0, 0, 9, 0, 19, 0, 0, 0xbb,		/* 37 */
	};

	(void)state;
	expect_refused(IKE_PL_KE, two_ke, sizeof(two_ke), IKE_N_INVALID_SYNTAX,
		       "Key Exchange payload at offset 37: more than one");
}

static void test_sk_placement(void **state)
{
	/* SK followed by a payload: SK must be last */
	static const uint8_t sk_then[] = {
		IKE_PL_NOTIFY, 0, 0, 8, 1, 2, 3, 4,
		0, 0, 0, 8, 0, 0, 0x40, 0x00,
	};
	static const uint8_t skf_bad[] = {
		0, 0, 0, 10, 0, 3, 0, 2, 0xee, 0xee,	/* fragment 3 of 2 */
	};
	struct ike_msg m;
	struct ike_err err;

	(void)state;
	expect_refused(IKE_PL_SK, sk_then, sizeof(sk_then),
		       IKE_N_INVALID_SYNTAX, "8 bytes after the last payload");
	/* an SK inside the decrypted chain */
	memset(&m, 0, sizeof(m));
	assert_int_equal(ike_payloads_decode(IKE_PL_SK, sk_then, 8, &m, &err),
			 -1);
	assert_int_equal(err.notify, IKE_N_INVALID_SYNTAX);
	assert_non_null(strstr(err.msg, "decrypted offset 0: inside"));
	expect_refused(IKE_PL_SKF, skf_bad, sizeof(skf_bad),
		       IKE_N_INVALID_SYNTAX, "fragment 3 of 2");
}

static void test_inner_errors(void **state)
{
	static const uint8_t trailing[] = { 0, 0, 0, 5, 'v', 0 };
	static const uint8_t critical[] = { 0, IKE_CRITICAL, 0, 4 };
	struct ike_msg m;
	struct ike_err err;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(ike_payloads_decode(IKE_PL_VENDOR, trailing,
					     sizeof(trailing), &m, &err), -1);
	assert_int_equal(err.notify, IKE_N_INVALID_SYNTAX);
	assert_non_null(strstr(err.msg, "decrypted offset 5"));
	/* a critical unknown inside is as bad as outside */
	assert_int_equal(ike_payloads_decode(120, critical, sizeof(critical),
					     &m, &err), -1);
	assert_int_equal(err.notify, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD);
	assert_int_equal(err.data[0], 120);
}

/* ---- encoder limits ---- */

static void test_encoder_limits(void **state)
{
	static uint8_t big[IKE_MSG_MAX];
	struct ike_ts odd = { .type = 10 };
	struct ike_proposal bad = prop_esp;
	struct ike_bytes blob = { big, sizeof(big) };
	struct ike_buf b;

	(void)state;
	start(&b);
	ike_put_ts(&b, IKE_PL_TSI, &odd, 1);
	assert_true(b.oom);
	assert_int_equal(ike_msg_finish(&b), -1);
	ike_buf_free(&b);

	start(&b);
	ike_put_vendor(&b, &blob);		/* past IKE_MSG_MAX */
	assert_int_equal(ike_msg_finish(&b), -1);
	ike_buf_free(&b);

	start(&b);
	bad.n_tr = IKE_MAX_TRANSFORMS + 1;
	ike_put_sa(&b, &bad, 1);
	assert_int_equal(ike_msg_finish(&b), -1);
	ike_buf_free(&b);

	/* the largest message that fits is fine */
	start(&b);
	blob.len = IKE_MSG_MAX - IKE_HDR_LEN - IKE_PL_HDR_LEN;
	ike_put_vendor(&b, &blob);
	assert_int_equal(ike_msg_finish(&b), 0);
	assert_int_equal(b.len, IKE_MSG_MAX);
	ike_buf_free(&b);

	/* finishing a bare chain is a mistake, not a message */
	memset(&b, 0, sizeof(b));
	ike_put_vendor(&b, &(struct ike_bytes){ big, 4 });
	assert_int_equal(ike_msg_finish(&b), -1);
	ike_buf_free(&b);
}

/* ---- mutations ---- */

/* Every payload kind but SK: nonsense as an exchange, fine as syntax. */
static void put_every_payload(struct ike_buf *b)
{
	static const uint8_t data[40] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	static const uint8_t spis[8] = { 0, 0, 0, 1, 0, 0, 0, 2 };
	const struct ike_proposal props[] = { prop_cbc, prop_gcm };
	struct ike_pl_ke ke = { IKE_KE_ECP256, { data, 32 } };
	struct ike_bytes nonce = { data, 16 };
	struct ike_pl_id id = { IKE_ID_FQDN, { data, 5 } };
	struct ike_pl_cert cert = { IKE_CERT_X509_SIG, { data, 12 } };
	struct ike_pl_auth auth = { IKE_AUTH_PSK, { data, 20 } };
	struct ike_pl_notify n = {
		IKE_PROTO_ESP, IKE_N_REKEY_SA, { spis, 4 }, { data, 3 },
	};
	struct ike_pl_delete d = { IKE_PROTO_ESP, 4, 2, spis };
	struct ike_bytes vid = { data, 7 };
	const struct ike_ts ts[] = {
		{ IKE_TS_IPV4_ADDR_RANGE, 6, 1, 2, { 10 }, { 10, 1 } },
		{ IKE_TS_IPV6_ADDR_RANGE, 0, 0, 65535, { 0x20 }, { 0x20, 1 } },
	};

	ike_put_sa(b, props, 2);
	ike_put_ke(b, &ke);
	ike_put_nonce(b, &nonce);
	ike_put_id(b, IKE_PL_IDI, &id);
	ike_put_id(b, IKE_PL_IDR, &id);
	ike_put_cert(b, &cert);
	ike_put_certreq(b, &cert);
	ike_put_auth(b, &auth);
	ike_put_notify(b, &n);
	ike_put_delete(b, &d);
	ike_put_vendor(b, &vid);
	ike_put_ts(b, IKE_PL_TSI, ts, 2);
	ike_put_ts(b, IKE_PL_TSR, ts, 1);
	ike_put_raw(b, IKE_PL_CP, data, 8);
	ike_put_raw(b, IKE_PL_EAP, data, 5);
}

struct tally {
	unsigned int accepted, refused;
};

/*
 * Decode a copy of exactly len bytes, so that ASan catches a read past
 * the end, and check the outcome is a clean success or a refusal that
 * says what to answer (nothing, for a datagram shorter than a header).
 */
static void decode_one(const uint8_t *src, size_t len, bool fix_len,
		       bool inner, struct tally *t)
{
	uint8_t *p = malloc(len ? len : 1);
	struct ike_msg m;
	struct ike_err err;
	int rc;

	assert_non_null(p);
	memcpy(p, src, len);
	if (fix_len && len >= IKE_HDR_LEN) {
		p[24] = 0;
		p[25] = 0;
		p[26] = (uint8_t)(len >> 8);
		p[27] = (uint8_t)len;
	}
	if (inner) {
		memset(&m, 0, sizeof(m));
		rc = ike_payloads_decode(p[0], p + 1, len - 1, &m, &err);
	} else {
		rc = ike_msg_decode(p, len, &m, &err);
	}
	if (rc == 0) {
		t->accepted++;
	} else {
		assert_int_equal(rc, -1);
		if (!err.notify && (inner || len >= IKE_HDR_LEN))
			fail_msg("refused with no notify at length %zu: %s",
				 len, err.msg);
		assert_true(err.msg[0] != '\0');
		t->refused++;
	}
	free(p);
}

/*
 * As is and, for a message, also with the header's length made to agree,
 * which lets the damage reach the payloads.
 */
static void decode_variants(const uint8_t *p, size_t len, bool inner,
			    struct tally *t)
{
	decode_one(p, len, false, inner, t);
	if (!inner)
		decode_one(p, len, true, inner, t);
}

/* Flip bits of, zero, cut short and extend every byte position in turn. */
static void mutate(const uint8_t *msg, size_t len, bool inner,
		   struct tally *t)
{
	static const uint8_t flips[] = { 0xff, 0x01, 0x80, 0x04 };
	size_t min = inner ? 1 : 0;	/* a chain keeps its type byte */
	uint8_t *p = malloc(len + 1);
	size_t i, f;

	assert_non_null(p);
	for (i = 0; i < len; i++) {
		for (f = 0; f < ARRAY_SIZE(flips); f++) {
			memcpy(p, msg, len);
			p[i] ^= flips[f];
			decode_variants(p, len, inner, t);
		}
		memcpy(p, msg, len);
		p[i] = 0;
		decode_variants(p, len, inner, t);
		if (i >= min)
			decode_variants(msg, i, inner, t);	/* cut at i */
	}
	memcpy(p, msg, len);
	p[len] = 0;
	decode_variants(p, len + 1, inner, t);
	free(p);
}

static void test_mutations(void **state)
{
	struct ike_buf b, chain = { 0 };
	struct tally t = { 0 };
	uint8_t *inner;

	(void)state;
	start(&b);
	put_every_payload(&b);
	ike_put_sk(&b, IKE_PL_NOTIFY, 24);
	assert_int_equal(ike_msg_finish(&b), 0);
	mutate(b.p, b.len, false, &t);
	ike_buf_free(&b);

	build_sa_init(&b);
	mutate(b.p, b.len, false, &t);
	ike_buf_free(&b);

	/* a decrypted chain, its first type in front */
	put_every_payload(&chain);
	assert_false(chain.oom);
	inner = malloc(chain.len + 1);
	assert_non_null(inner);
	inner[0] = chain.first;
	memcpy(inner + 1, chain.p, chain.len);
	mutate(inner, chain.len + 1, true, &t);
	free(inner);
	ike_buf_free(&chain);

	/* both outcomes happened: the sweep was not vacuous */
	assert_true(t.accepted > 1000);
	assert_true(t.refused > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_names_cover_ike_h),
		cmocka_unit_test(test_roundtrip_sa),
		cmocka_unit_test(test_roundtrip_ke_nonce),
		cmocka_unit_test(test_roundtrip_id_auth),
		cmocka_unit_test(test_roundtrip_cert_certreq),
		cmocka_unit_test(test_roundtrip_notify_delete_vendor),
		cmocka_unit_test(test_roundtrip_ts),
		cmocka_unit_test(test_roundtrip_cp_eap),
		cmocka_unit_test(test_roundtrip_sk),
		cmocka_unit_test(test_roundtrip_skf),
		cmocka_unit_test(test_sa_init_message),
		cmocka_unit_test(test_rfc7634_decode),
		cmocka_unit_test(test_rfc7634_encode),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_header_length),
		cmocka_unit_test(test_major_version),
		cmocka_unit_test(test_payload_length),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_unknown_critical),
		cmocka_unit_test(test_unknown_skipped),
		cmocka_unit_test(test_known_critical_accepted),
		cmocka_unit_test(test_sa_ok),
		cmocka_unit_test(test_sa_lengths),
		cmocka_unit_test(test_sa_markers),
		cmocka_unit_test(test_sa_transform_count),
		cmocka_unit_test(test_sa_too_many_transforms),
		cmocka_unit_test(test_sa_too_many_proposals),
		cmocka_unit_test(test_sa_attributes),
		cmocka_unit_test(test_sa_second_key_length),
		cmocka_unit_test(test_sa_numbering),
		cmocka_unit_test(test_ke_short),
		cmocka_unit_test(test_nonce_size),
		cmocka_unit_test(test_ts_selector_length),
		cmocka_unit_test(test_delete_count),
		cmocka_unit_test(test_notify_spi_size),
		cmocka_unit_test(test_too_many_notifies),
		cmocka_unit_test(test_once_only_ke),
		cmocka_unit_test(test_sk_placement),
		cmocka_unit_test(test_inner_errors),
		cmocka_unit_test(test_encoder_limits),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests_name("ike_msg", tests, NULL, NULL);
}
