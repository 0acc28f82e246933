// SPDX-License-Identifier: GPL-2.0
/*
 * The seed corpus of fuzz_ike_msg: a few valid messages of each exchange,
 * and one with every repeated payload at its cap, built with the encoder
 * and written one file each into the directory given; the IKEv1 ones
 * come from corpus_ike1.c. Generated at build
 * time rather than committed, so that the seeds follow the codec when it
 * changes.
 *
 * An SK payload's body here is the plaintext inner chain, not IV,
 * ciphertext and ICV: the fuzz target decodes the body as the decrypted
 * chain, and that is the decoder worth seeding. Every seed is decoded back
 * before it is written: one the decoder refuses would only seed its error
 * paths, which the fuzzer finds by itself.
 *
 * Usage: make_corpus DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ike/msg.h"
#include "fuzz_ike1.h"

static const char *out_dir;

static const uint8_t ispi[8] = { 0x5e, 0xed, 1, 2, 3, 4, 5, 6 };
static const uint8_t rspi[8] = { 0xc0, 0xff, 0xee, 7, 8, 9, 10, 11 };

/* Filler for keys, nonces and hashes: the decoder only counts them. */
static const uint8_t bytes[256] = { 0x42, [255] = 0x24 };

static const struct ike_proposal ike_cbc = {
	.num = 1, .proto = IKE_PROTO_IKE, .n_tr = 5, .tr = {
		{ IKE_TR_ENCR, IKE_ENCR_AES_CBC, 256 },
		{ IKE_TR_PRF, IKE_PRF_HMAC_SHA2_256, 0 },
		{ IKE_TR_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
		{ IKE_TR_KE, IKE_KE_ECP256, 0 },
		{ IKE_TR_KE, IKE_KE_MODP2048, 0 },
	},
};

static const struct ike_proposal ike_gcm = {
	.num = 2, .proto = IKE_PROTO_IKE, .n_tr = 3, .tr = {
		{ IKE_TR_ENCR, IKE_ENCR_AES_GCM_16, 256 },
		{ IKE_TR_PRF, IKE_PRF_HMAC_SHA2_384, 0 },
		{ IKE_TR_KE, IKE_KE_CURVE25519, 0 },
	},
};

static const struct ike_proposal esp_gcm = {
	.num = 1, .proto = IKE_PROTO_ESP, .spi_len = 4,
	.spi = { 0xc1, 0x00, 0x00, 0x2a }, .n_tr = 3, .tr = {
		{ IKE_TR_ENCR, IKE_ENCR_AES_GCM_16, 128 },
		{ IKE_TR_KE, IKE_KE_CURVE25519, 0 },
		{ IKE_TR_ESN, IKE_ESN_NO, 0 },
	},
};

static void die(const char *what)
{
	fprintf(stderr, "make_corpus: %s\n", what);
	exit(1);
}

static void start(struct ike_buf *b, uint8_t exchange, uint8_t flags,
		  uint32_t msg_id)
{
	struct ike_hdr h = {
		.exchange = exchange, .flags = flags, .msg_id = msg_id,
	};

	memcpy(h.ispi, ispi, sizeof(ispi));
	if (exchange != IKE_SA_INIT || (flags & IKE_FLAG_RESPONSE))
		memcpy(h.rspi, rspi, sizeof(rspi));
	memset(b, 0, sizeof(*b));
	ike_msg_start(b, &h);
}

static void notify(struct ike_buf *b, uint16_t type, const uint8_t *data,
		   size_t len)
{
	struct ike_pl_notify n = { .type = type, .data = { data, len } };

	ike_put_notify(b, &n);
}

/* What IKE_SA_INIT carries in both directions, but the SA payload. */
static void put_sa_init_common(struct ike_buf *b)
{
	struct ike_pl_ke ke = { IKE_KE_ECP256, { bytes, 64 } };
	struct ike_bytes nonce = { bytes, 32 };

	ike_put_ke(b, &ke);
	ike_put_nonce(b, &nonce);
	notify(b, IKE_N_NAT_DETECTION_SOURCE_IP, bytes, 20);
	notify(b, IKE_N_NAT_DETECTION_DESTINATION_IP, bytes + 20, 20);
	notify(b, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
}

static void put_selectors(struct ike_buf *b)
{
	struct ike_ts tsi[2] = {
		{ .type = IKE_TS_IPV4_ADDR_RANGE, .end_port = 65535,
		  .start = { 10, 1 }, .end = { 10, 1, 255, 255 } },
		{ .type = IKE_TS_IPV6_ADDR_RANGE, .ip_proto = 6,
		  .start_port = 443, .end_port = 443,
		  .start = { 0x20, 0x01, 0x0d, 0xb8 },
		  .end = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0xff } },
	};
	struct ike_ts tsr = {
		.type = IKE_TS_IPV4_ADDR_RANGE, .ip_proto = 17,
		.start_port = 500, .end_port = 500,
		.start = { 192, 0, 2, 2 }, .end = { 192, 0, 2, 2 },
	};

	ike_put_ts(b, IKE_PL_TSI, tsi, 2);
	ike_put_ts(b, IKE_PL_TSR, &tsr, 1);
}

/* Close msg with an SK payload whose body is the chain in inner. */
static void put_sk(struct ike_buf *msg, struct ike_buf *inner)
{
	size_t off;

	if (inner->oom)
		die("out of memory");
	off = ike_put_sk(msg, inner->first, inner->len);
	if (!msg->oom)
		memcpy(msg->p + off + IKE_PL_HDR_LEN, inner->p, inner->len);
	ike_buf_free(inner);
}

/* Write one seed into out_dir, or exit. */
static void write_seed(const char *name, const uint8_t *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "make_corpus: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* Finish b, check that it decodes (the SK body too), write it, free it. */
static void emit(const char *name, struct ike_buf *b)
{
	static struct ike_msg m;
	struct ike_err err;

	if (ike_msg_finish(b) < 0)
		die("out of memory");
	if (ike_msg_decode(b->p, b->len, &m, &err) < 0 ||
	    (ike_msg_has(&m, IKE_PL_SK) &&
	     ike_payloads_decode(m.sk.first, m.sk.body.p, m.sk.body.len, &m,
				 &err) < 0)) {
		fprintf(stderr, "make_corpus: %s does not decode: %s\n", name,
			err.msg);
		exit(1);
	}
	write_seed(name, b->p, b->len);
	ike_buf_free(b);
}

static void sa_init_request(void)
{
	static const uint8_t hash_algs[] = { 0, 2, 0, 3, 0, 4 };
	const struct ike_proposal props[] = { ike_cbc, ike_gcm };
	struct ike_bytes vid = { (const uint8_t *)"kipsec", 6 };
	struct ike_buf b;

	start(&b, IKE_SA_INIT, IKE_FLAG_INITIATOR, 0);
	ike_put_sa(&b, props, 2);
	put_sa_init_common(&b);
	notify(&b, IKE_N_SIGNATURE_HASH_ALGORITHMS, hash_algs,
	       sizeof(hash_algs));
	ike_put_vendor(&b, &vid);
	emit("sa_init_request", &b);
}

/* The answer chooses the second proposal, and asks for certificates. */
static void sa_init_response(void)
{
	struct ike_pl_cert certreq = { IKE_CERT_X509_SIG, { bytes, 40 } };
	struct ike_buf b;

	start(&b, IKE_SA_INIT, IKE_FLAG_RESPONSE, 0);
	ike_put_sa(&b, &ike_gcm, 1);
	put_sa_init_common(&b);
	ike_put_certreq(&b, &certreq);
	notify(&b, IKE_N_MULTIPLE_AUTH_SUPPORTED, NULL, 0);
	emit("sa_init_response", &b);
}

/* An error answer: notifies only. */
static void sa_init_invalid_ke(void)
{
	static const uint8_t group[] = { 0, IKE_KE_CURVE25519 };
	struct ike_buf b;

	start(&b, IKE_SA_INIT, IKE_FLAG_RESPONSE, 0);
	notify(&b, IKE_N_INVALID_KE_PAYLOAD, group, sizeof(group));
	emit("sa_init_invalid_ke", &b);
}

static void ike_auth_request(void)
{
	static const uint8_t fqdn[] = "east.example.org";
	/* CFG_REQUEST for INTERNAL_IP4_ADDRESS, left unparsed */
	static const uint8_t cp[] = { 1, 0, 0, 0, 0, 1, 0, 0 };
	struct ike_pl_id idi = { IKE_ID_FQDN, { fqdn, sizeof(fqdn) - 1 } };
	struct ike_pl_id idr = { IKE_ID_IPV4_ADDR, { bytes, 4 } };
	struct ike_pl_auth auth = { IKE_AUTH_PSK, { bytes, 32 } };
	struct ike_buf b, inner = { 0 };

	ike_put_id(&inner, IKE_PL_IDI, &idi);
	notify(&inner, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_put_id(&inner, IKE_PL_IDR, &idr);
	ike_put_auth(&inner, &auth);
	ike_put_raw(&inner, IKE_PL_CP, cp, sizeof(cp));
	ike_put_sa(&inner, &esp_gcm, 1);
	put_selectors(&inner);
	start(&b, IKE_AUTH, IKE_FLAG_INITIATOR, 1);
	put_sk(&b, &inner);
	emit("ike_auth_request", &b);
}

/* The first of two fragments (RFC 7383) of an IKE_AUTH request. */
static void ike_auth_fragment(void)
{
	struct ike_buf b;
	size_t off;

	start(&b, IKE_AUTH, IKE_FLAG_INITIATOR, 1);
	off = ike_put_skf(&b, IKE_PL_IDI, 1, 2, 64);
	if (!b.oom)
		memcpy(b.p + off + IKE_SKF_HDR_LEN, bytes, 64);
	emit("ike_auth_fragment", &b);
}

static void informational_delete(void)
{
	static const uint8_t spis[] = { 0xc1, 0, 0, 0x2a, 0xc1, 0, 0, 0x2b };
	struct ike_pl_delete esp = { IKE_PROTO_ESP, 4, 2, spis };
	struct ike_pl_delete ike = { IKE_PROTO_IKE, 0, 0, NULL };
	struct ike_buf b, inner = { 0 };

	ike_put_delete(&inner, &esp);
	ike_put_delete(&inner, &ike);
	start(&b, IKE_INFORMATIONAL, IKE_FLAG_INITIATOR, 2);
	put_sk(&b, &inner);
	emit("informational_delete", &b);
}

/* A CHILD_SA rekey, in the clear so that the outer decoder sees TS. */
static void create_child_sa_ts(void)
{
	struct ike_pl_notify rekey = {
		.proto = IKE_PROTO_ESP, .type = IKE_N_REKEY_SA,
		.spi = { esp_gcm.spi, 4 },
	};
	struct ike_pl_ke ke = { IKE_KE_CURVE25519, { bytes, 32 } };
	struct ike_bytes nonce = { bytes, 32 };
	struct ike_buf b;

	start(&b, IKE_CREATE_CHILD_SA, IKE_FLAG_INITIATOR, 3);
	ike_put_notify(&b, &rekey);
	ike_put_sa(&b, &esp_gcm, 1);
	ike_put_nonce(&b, &nonce);
	ike_put_ke(&b, &ke);
	put_selectors(&b);
	emit("create_child_sa_ts", &b);
}

/*
 * Every repeated payload at its cap and the largest nonce: one more of
 * anything is the decoder's refusal, a mutation away.
 */
static void at_the_caps(void)
{
	static struct ike_proposal props[IKE_MAX_PROPOSALS];
	static struct ike_ts ts[IKE_MAX_TS];
	struct ike_pl_cert cert = { IKE_CERT_X509_SIG, { bytes, 8 } };
	struct ike_pl_delete del = { IKE_PROTO_ESP, 4, 1, bytes };
	struct ike_bytes vid = { bytes, 8 };
	struct ike_bytes nonce = { bytes, IKE_NONCE_MAX };
	struct ike_buf b;
	uint8_t i;

	for (i = 0; i < IKE_MAX_PROPOSALS; i++)
		props[i] = (struct ike_proposal){
			.num = i + 1, .proto = IKE_PROTO_ESP, .n_tr = 1,
			.tr = { { IKE_TR_ENCR, IKE_ENCR_AES_GCM_16, 128 } },
		};
	for (i = 0; i < IKE_MAX_TS; i++)
		ts[i] = (struct ike_ts){
			.type = IKE_TS_IPV4_ADDR_RANGE, .end_port = 65535,
			.start = { 10, i }, .end = { 10, i, 255, 255 },
		};
	start(&b, IKE_CREATE_CHILD_SA, IKE_FLAG_INITIATOR, 4);
	ike_put_sa(&b, props, IKE_MAX_PROPOSALS);
	ike_put_nonce(&b, &nonce);
	ike_put_ts(&b, IKE_PL_TSI, ts, IKE_MAX_TS);
	for (i = 0; i < IKE_MAX_NOTIFY; i++)
		notify(&b, IKE_N_NAT_DETECTION_SOURCE_IP, bytes, 20);
	for (i = 0; i < IKE_MAX_CERT; i++)
		ike_put_cert(&b, &cert);
	for (i = 0; i < IKE_MAX_CERTREQ; i++)
		ike_put_certreq(&b, &cert);
	for (i = 0; i < IKE_MAX_DELETE; i++)
		ike_put_delete(&b, &del);
	for (i = 0; i < IKE_MAX_VENDOR; i++)
		ike_put_vendor(&b, &vid);
	emit("at_the_caps", &b);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: make_corpus DIR\n");
		return 2;
	}
	out_dir = argv[1];
	sa_init_request();
	sa_init_response();
	sa_init_invalid_ke();
	ike_auth_request();
	ike_auth_fragment();
	informational_delete();
	create_child_sa_ts();
	at_the_caps();
	ike1_seeds(write_seed);
	return 0;
}
