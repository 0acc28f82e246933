// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv1 seeds of fuzz_ike_msg: a few messages of each exchange and
 * one with the repeated payloads at their caps, built with the encoder.
 * An encrypted message's body is its plaintext chain and padding (the
 * fuzz target decodes it as decrypted, which is the decoder worth
 * seeding). Every seed is decoded back before it is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ike/v1/msg.h"
#include "fuzz_ike1.h"

static const uint8_t icookie[8] = { 0x1c, 0x00, 0x4b, 1, 2, 3, 4, 5 };
static const uint8_t rcookie[8] = { 0x4c, 0x00, 0x4b, 6, 7, 8, 9, 10 };

/* Filler for keys, nonces and hashes: the decoder only counts them. */
static const uint8_t bytes[256] = { 0x42, [255] = 0x24 };

/* RFC 3706's DPD and RFC 3947's NAT-T vendor IDs. */
static const uint8_t vid_dpd[16] = {
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
};
static const uint8_t vid_natt[16] = {
	0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
	0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f,
};

static void die(const char *name, const char *why)
{
	fprintf(stderr, "make_corpus: %s: %s\n", name, why);
	exit(1);
}

static struct ike1_hdr hdr(uint8_t exchange, uint8_t flags, uint32_t msg_id)
{
	struct ike1_hdr h = {
		.exchange = exchange, .flags = flags, .msg_id = msg_id,
	};

	memcpy(h.icookie, icookie, 8);
	if (exchange != IKE1_EXCH_MAIN || flags)
		memcpy(h.rcookie, rcookie, 8);
	return h;
}

static void start(struct ike1_buf *b, uint8_t exchange)
{
	struct ike1_hdr h = hdr(exchange, 0, 0);

	memset(b, 0, sizeof(*b));
	ike1_msg_start(b, &h);
}

/* Finish a message in the clear, check it decodes, write it, free it. */
static void emit(seed_writer write, const char *name, struct ike1_buf *b)
{
	struct ike1_msg check;
	struct ike1_err err;

	if (ike1_msg_finish(b) < 0)
		die(name, "the encoder refused it");
	if (ike1_msg_decode(b->p, b->len, &check, &err) < 0)
		die(name, err.msg);
	write(name, b->p, b->len);
	ike1_buf_free(b);
}

/*
 * An encrypted message whose body is the chain in the clear, padded to
 * 16 bytes with the last byte counting the padding (RFC 2409's way).
 */
static void emit_encrypted(seed_writer write, const char *name,
			   struct ike1_hdr h, struct ike1_buf *chain)
{
	size_t pad = 16 - chain->len % 16;
	size_t len = IKE1_HDR_LEN + chain->len + pad;
	struct ike1_msg check;
	struct ike1_err err;
	uint8_t *p;

	if (chain->failed)
		die(name, "the encoder refused it");
	p = calloc(1, len);
	if (!p)
		die(name, "out of memory");
	h.flags |= IKE1_FLAG_ENCRYPTION;
	h.next = chain->first;
	h.len = (uint32_t)len;
	ike1_hdr_encode(&h, p);
	memcpy(p + IKE1_HDR_LEN, chain->p, chain->len);
	p[len - 1] = (uint8_t)(pad - 1);
	if (ike1_msg_decode(p, len, &check, &err) < 0 ||
	    ike1_payloads_decode(h.next, check.body.p, check.body.len, &check,
				 &err) < 0)
		die(name, err.msg);
	write(name, p, len);
	free(p);
	ike1_buf_free(chain);
}

#define TV(t, v)	{ .type = (t), .tv = true, .val = (v) }

static const uint8_t gigabyte[4] = { 0, 0x10, 0, 0 };

/* sa holds n proposals, each with its own consecutive transforms. */
static void sa_of(struct ike1_pl_sa *sa, const struct ike1_proposal *props,
		  uint8_t n, const struct ike1_transform *trs)
{
	uint8_t i;

	*sa = (struct ike1_pl_sa){
		.doi = IKE1_DOI_IPSEC, .situation = IKE1_SIT_IDENTITY_ONLY,
		.n_prop = n,
	};
	for (i = 0; i < n; i++) {
		sa->prop[i] = props[i];
		sa->prop[i].first_tr = sa->n_tr;
		memcpy(sa->tr + sa->n_tr, trs + sa->n_tr,
		       props[i].n_tr * sizeof(*trs));
		sa->n_tr += props[i].n_tr;
	}
}

/*
 * Phase 1: AES-128/SHA2-384/ECP_256 with ECDSA, or the legacy
 * DES/MD5/MODP_768 with PSK and a lifetime in kilobytes (TLV).
 */
static void p1_sa(struct ike1_pl_sa *sa)
{
	static const struct ike1_proposal prop = {
		.num = 1, .proto = IKE1_PROTO_ISAKMP, .n_tr = 2,
	};
	static const struct ike1_transform trs[] = {
		{ .num = 1, .id = IKE1_KEY_IKE, .n_attr = 5, .attr = {
			TV(IKE1_P1_ENCR, IKE1_ENCR_AES_CBC),
			TV(IKE1_P1_KEY_LENGTH, 128),
			TV(IKE1_P1_HASH, IKE1_HASH_SHA2_384),
			TV(IKE1_P1_AUTH_METHOD, IKE1_AUTH_ECDSA_SHA256),
			TV(IKE1_P1_GROUP_DESC, 19),
		} },
		{ .num = 2, .id = IKE1_KEY_IKE, .n_attr = 6, .attr = {
			TV(IKE1_P1_ENCR, IKE1_ENCR_DES_CBC),
			TV(IKE1_P1_HASH, IKE1_HASH_MD5),
			TV(IKE1_P1_AUTH_METHOD, IKE1_AUTH_PSK),
			TV(IKE1_P1_GROUP_DESC, 1),
			TV(IKE1_P1_LIFE_TYPE, IKE1_LIFE_KILOBYTES),
			{ .type = IKE1_P1_LIFE_DURATION,
			  .data = { gigabyte, 4 } },
		} },
	};

	sa_of(sa, &prop, 1, trs);
}

/* Phase 2: ESP and IPComp together, or AH in transport mode. */
static void p2_sa(struct ike1_pl_sa *sa)
{
	static const struct ike1_proposal props[] = {
		{ .num = 1, .proto = IKE1_PROTO_ESP, .spi_len = 4,
		  .spi = { 0xe5, 0, 0, 9 }, .n_tr = 1 },
		{ .num = 1, .proto = IKE1_PROTO_IPCOMP, .spi_len = 2,
		  .spi = { 0x12, 0x34 }, .n_tr = 1 },
		{ .num = 2, .proto = IKE1_PROTO_AH, .spi_len = 4,
		  .spi = { 0xa1, 0, 0, 9 }, .n_tr = 1 },
	};
	static const struct ike1_transform trs[] = {
		{ .num = 1, .id = IKE1_ESP_AES_GCM_16, .n_attr = 4, .attr = {
			TV(IKE1_P2_KEY_LENGTH, 128),
			TV(IKE1_P2_ENCAP_MODE, IKE1_ENCAP_UDP_TRANSPORT),
			TV(IKE1_P2_GROUP_DESC, 20),
			TV(IKE1_P2_ESN, 1),
		} },
		{ .num = 1, .id = 2 /* IPCOMP_DEFLATE */, .n_attr = 1,
		  .attr = { TV(IKE1_P2_ENCAP_MODE, IKE1_ENCAP_TUNNEL) } },
		{ .num = 1, .id = IKE1_AH_SHA2_512, .n_attr = 2, .attr = {
			TV(IKE1_P2_AUTH_ALG, IKE1_AUTH_HMAC_SHA2_512),
			TV(IKE1_P2_ENCAP_MODE, IKE1_ENCAP_TRANSPORT),
		} },
	};

	sa_of(sa, props, 3, trs);
}

static void put(struct ike1_buf *b, uint8_t type, const uint8_t *p,
		size_t len)
{
	struct ike1_bytes data = { p, len };

	ike1_put_bytes(b, type, &data);
}

/* Main Mode 1 (SA, vendor IDs) and 3 (KE, Ni, NAT-D twice). */
static void main_mode(seed_writer write)
{
	struct ike1_pl_sa sa;
	struct ike1_buf b;

	p1_sa(&sa);
	start(&b, IKE1_EXCH_MAIN);
	ike1_put_sa(&b, &sa);
	put(&b, IKE1_PL_VENDOR, vid_dpd, 16);
	put(&b, IKE1_PL_VENDOR, vid_natt, 16);
	emit(write, "ike1_main_mode_1", &b);

	start(&b, IKE1_EXCH_MAIN);
	put(&b, IKE1_PL_KE, bytes, 256);
	put(&b, IKE1_PL_NONCE, bytes, 32);
	put(&b, IKE1_PL_NAT_D, bytes, 32);
	put(&b, IKE1_PL_NAT_D, bytes + 32, 32);
	emit(write, "ike1_main_mode_3", &b);
}

/* Main Mode 5: IDii, HASH_I, INITIAL-CONTACT, encrypted. */
static void main_mode_5(seed_writer write)
{
	static const char fqdn[] = "east.example.org";
	const struct ike1_pl_id id = {
		IKE1_ID_FQDN, 17, 500,
		{ (const uint8_t *)fqdn, sizeof(fqdn) - 1 }, { NULL, 0 },
	};
	uint8_t cookies[16];
	const struct ike1_pl_notify ic = {
		IKE1_DOI_IPSEC, IKE1_PROTO_ISAKMP, IKE1_N_INITIAL_CONTACT,
		{ cookies, 16 }, { NULL, 0 },
	};
	struct ike1_buf chain = { 0 };

	memcpy(cookies, icookie, 8);
	memcpy(cookies + 8, rcookie, 8);
	ike1_put_id(&chain, &id);
	put(&chain, IKE1_PL_HASH, bytes, 32);
	ike1_put_notify(&chain, &ic);
	emit_encrypted(write, "ike1_main_mode_5", hdr(IKE1_EXCH_MAIN, 0, 0),
		       &chain);
}

/* Aggressive Mode 1: SA, KE, Ni, IDii, a vendor ID, a CERTREQ. */
static void aggressive_mode_1(seed_writer write)
{
	static const char user[] = "road@example.org";
	const struct ike1_pl_id id = {
		IKE1_ID_USER_FQDN, 0, 0,
		{ (const uint8_t *)user, sizeof(user) - 1 }, { NULL, 0 },
	};
	const struct ike1_pl_cert cr = { IKE1_CERT_X509_SIG, { bytes, 24 } };
	struct ike1_pl_sa sa;
	struct ike1_buf b;

	p1_sa(&sa);
	start(&b, IKE1_EXCH_AGGRESSIVE);
	ike1_put_sa(&b, &sa);
	put(&b, IKE1_PL_KE, bytes, 128);
	put(&b, IKE1_PL_NONCE, bytes, 16);
	ike1_put_id(&b, &id);
	put(&b, IKE1_PL_VENDOR, vid_natt, 16);
	ike1_put_cert(&b, IKE1_PL_CERTREQ, &cr);
	emit(write, "ike1_aggressive_mode_1", &b);
}

/* Quick Mode 1 with PFS, IDci/IDcr and NAT-OA, encrypted. */
static void quick_mode_1(seed_writer write)
{
	static const uint8_t nets[] = {
		10, 1, 0, 0, 255, 255, 0, 0, 10, 2, 0, 0, 255, 255, 0, 0,
	};
	static const uint8_t v4[4] = { 192, 168, 1, 2 };
	const struct ike1_pl_id idci = {
		IKE1_ID_IPV4_ADDR_SUBNET, 0, 0, { nets, 8 }, { NULL, 0 },
	};
	const struct ike1_pl_id idcr = {
		IKE1_ID_IPV4_ADDR_SUBNET, 0, 0, { nets + 8, 8 }, { NULL, 0 },
	};
	const struct ike1_pl_natoa oa = { IKE1_ID_IPV4_ADDR, { v4, 4 } };
	struct ike1_pl_sa sa;
	struct ike1_buf chain = { 0 };

	p2_sa(&sa);
	put(&chain, IKE1_PL_HASH, bytes, 32);
	ike1_put_sa(&chain, &sa);
	put(&chain, IKE1_PL_NONCE, bytes, 32);
	put(&chain, IKE1_PL_KE, bytes, 64);
	ike1_put_id(&chain, &idci);
	ike1_put_id(&chain, &idcr);
	ike1_put_natoa(&chain, &oa);
	ike1_put_natoa(&chain, &oa);
	emit_encrypted(write, "ike1_quick_mode_1",
		       hdr(IKE1_EXCH_QUICK, 0, 0x2a2a2a2a), &chain);
}

/* Informational: deletes for both kinds of SA, and R-U-THERE. */
static void informational(seed_writer write)
{
	static const uint8_t spis[8] = { 0xe5, 0, 0, 1, 0xe5, 0, 0, 2 };
	static const uint8_t seq[4] = { 0, 0, 0, 7 };
	uint8_t cookies[16];
	const struct ike1_pl_delete esp = {
		IKE1_DOI_IPSEC, IKE1_PROTO_ESP, 4, 2, spis,
	};
	const struct ike1_pl_delete isakmp = {
		IKE1_DOI_IPSEC, IKE1_PROTO_ISAKMP, 16, 1, cookies,
	};
	const struct ike1_pl_notify dpd = {
		IKE1_DOI_IPSEC, IKE1_PROTO_ISAKMP, IKE1_N_R_U_THERE,
		{ cookies, 16 }, { seq, 4 },
	};
	struct ike1_buf chain = { 0 };

	memcpy(cookies, icookie, 8);
	memcpy(cookies + 8, rcookie, 8);
	put(&chain, IKE1_PL_HASH, bytes, 32);
	ike1_put_delete(&chain, &esp);
	ike1_put_delete(&chain, &isakmp);
	ike1_put_notify(&chain, &dpd);
	emit_encrypted(write, "ike1_informational",
		       hdr(IKE1_EXCH_INFO, 0, 0x01020304), &chain);
}

/* Signature authentication's payloads, in the clear to reach them. */
static void signature(seed_writer write)
{
	static const uint8_t dn[] = { 0x30, 0x0b, 0x31, 0x09, 0x30, 0x07 };
	const struct ike1_pl_id id = {
		IKE1_ID_DER_ASN1_DN, 0, 0, { dn, sizeof(dn) }, { NULL, 0 },
	};
	const struct ike1_pl_cert cert = { IKE1_CERT_X509_SIG, { bytes, 64 } };
	struct ike1_buf b;

	start(&b, IKE1_EXCH_MAIN);
	ike1_put_id(&b, &id);
	ike1_put_cert(&b, IKE1_PL_CERT, &cert);
	ike1_put_cert(&b, IKE1_PL_CERT, &cert);
	put(&b, IKE1_PL_SIG, bytes, 96);
	emit(write, "ike1_signature", &b);
}

/* The repeated payloads at their caps: one more is a refusal. */
static void at_the_caps(seed_writer write)
{
	const struct ike1_pl_notify n = {
		IKE1_DOI_ISAKMP, IKE1_PROTO_NONE, IKE1_N_NO_PROPOSAL_CHOSEN,
		{ NULL, 0 }, { NULL, 0 },
	};
	const struct ike1_pl_delete d = {
		IKE1_DOI_IPSEC, IKE1_PROTO_ESP, 4, IKE1_MAX_SPIS, bytes,
	};
	struct ike1_buf b;
	int i;

	start(&b, IKE1_EXCH_INFO);
	for (i = 0; i < IKE1_MAX_VENDOR; i++)
		put(&b, IKE1_PL_VENDOR, vid_dpd, 16);
	for (i = 0; i < IKE1_MAX_NOTIFY; i++)
		ike1_put_notify(&b, &n);
	for (i = 0; i < IKE1_MAX_DELETE; i++)
		ike1_put_delete(&b, &d);
	for (i = 0; i < IKE1_MAX_NATD; i++)
		put(&b, IKE1_PL_NAT_D, bytes, 20);
	emit(write, "ike1_at_the_caps", &b);
}

void ike1_seeds(seed_writer write)
{
	main_mode(write);
	main_mode_5(write);
	aggressive_mode_1(write);
	quick_mode_1(write);
	informational(write);
	signature(write);
	at_the_caps(write);
}
