// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ike/v1/proposal.c: offers checked number by number
 * against the RFCs' tables (not against our own encoder), round trips
 * through the ISAKMP codec, each kind of mismatch with its exact
 * sentence, lifetimes both ways with RESPONDER-LIFETIME, legacy
 * algorithms refused and allowed, PFS on one side, modes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "kipsec.h"
#include "ike/conf.h"
#include "ike/v1/proposal.h"

/* One end: its configuration, its offer, and the offer as decoded. */
struct side {
	struct ike_conn conn;
	struct ike_child child;
	struct ike1_cfg cfg;
	struct ike1_sa_out out;
	struct ike1_buf b;
	struct ike1_msg m;
};

static const uint8_t spi_i[4] = { 0xc1, 0x00, 0x00, 0x01 };
static const uint8_t spi_r[4] = { 0xc2, 0x00, 0x00, 0x02 };

static void parse(struct ike_proposal_list *l, const char *s, uint8_t proto,
		  bool weak)
{
	char err[256];
	size_t off;

	assert_int_equal(ike_proposals_parse(l, s, proto,
					     weak ? IKE_PROPOSAL_WEAK : 0,
					     err, sizeof(err), &off), 0);
}

static struct side *p1_side(const char *props, uint16_t auth, uint64_t secs,
			    bool weak)
{
	struct side *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	parse(&s->conn.proposals, props, IKE_PROTO_IKE, weak);
	s->conn.weak_algorithms = weak;
	s->cfg = ike1_p1_cfg(&s->conn, auth);
	s->cfg.life.secs = secs;
	return s;
}

static struct side *p2_side(const char *esp, enum ike_conf_mode mode,
			    bool udp, uint64_t secs, uint64_t kbytes)
{
	struct side *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	parse(&s->child.esp, esp, IKE_PROTO_ESP, false);
	s->child.mode = mode;
	s->cfg = ike1_p2_cfg(&s->conn, &s->child, udp);
	s->cfg.life = (struct ike1_life){ secs, kbytes };
	return s;
}

static void side_free(struct side *s)
{
	ike_proposal_list_free(&s->conn.proposals);
	ike_proposal_list_free(&s->child.esp);
	ike1_buf_free(&s->b);
	free(s);
}

/* sa through the codec: a message encoded, then decoded into s->m. */
static const struct ike1_pl_sa *wire(struct side *s,
				     const struct ike1_pl_sa *sa)
{
	struct ike1_hdr h = {
		.icookie = { 1, 2, 3, 4, 5, 6, 7, 8 },
		.exchange = IKE1_EXCH_MAIN,
	};
	struct ike1_err err;

	ike1_buf_free(&s->b);
	ike1_msg_start(&s->b, &h);
	ike1_put_sa(&s->b, sa);
	assert_int_equal(ike1_msg_finish(&s->b), 0);
	assert_int_equal(ike1_msg_decode(s->b.p, s->b.len, &s->m, &err), 0);
	return &s->m.sa;
}

/* s's offer, through the codec. */
static const struct ike1_pl_sa *offer(struct side *s)
{
	assert_int_equal(ike1_prop_offer(&s->cfg, spi_i, &s->out), 0);
	return wire(s, &s->out.sa);
}

static uint64_t attr(const struct ike1_transform *t, uint16_t type)
{
	const struct ike1_attr *a = ike1_attr_find(t, type);
	uint64_t v;

	assert_non_null(a);
	assert_int_equal(ike1_attr_value(a, &v), 0);
	return v;
}

/* The responder refuses theirs, saying exactly want. */
static void expect_refusal(const struct ike1_cfg *cfg,
			   const struct ike1_pl_sa *theirs, const char *want)
{
	struct ike1_mismatch why;
	struct ike1_choice c;
	char buf[1024];

	assert_int_equal(ike1_prop_choose(cfg, theirs, &c, &why), -1);
	assert_string_equal(ike1_mismatch_format(cfg, theirs, &why, buf,
						 sizeof(buf)), want);
}

/* ---- Phase 1 ---- */

/*
 * Numbers from RFC 2409 appendix A (attribute classes: Encryption 1,
 * Hash 2, Authentication Method 3, Group Description 4, Life Type 11,
 * Life Duration 12, Key Length 14; pre-shared key 1; seconds 1),
 * RFC 3602 section 5 (AES-CBC is Encryption Algorithm 7), RFC 4868 with
 * IANA's IKE Attributes registry (SHA2-256 is hash 4), RFC 3526 section
 * 3 (2048-bit MODP is group 14), RFC 2407 4.4.1 and 4.4.2 (PROTO_ISAKMP
 * 1, KEY_IKE 1).
 */
static void test_p1_offer_numbers(void **state)
{
	struct side *s = p1_side("aes256-sha256-modp2048", IKE1_AUTH_PSK,
				 3600, false);
	const struct ike1_pl_sa *sa = offer(s);
	const struct ike1_transform *t = &sa->tr[0];

	(void)state;
	assert_int_equal(sa->doi, 1);
	assert_int_equal(sa->n_prop, 1);
	assert_int_equal(sa->prop[0].proto, 1);
	assert_int_equal(sa->prop[0].spi_len, 0);
	assert_int_equal(sa->n_tr, 1);
	assert_int_equal(t->id, 1);
	assert_int_equal(attr(t, 1), 7);
	assert_int_equal(attr(t, 14), 256);
	assert_int_equal(attr(t, 2), 4);
	assert_int_equal(attr(t, 3), 1);
	assert_int_equal(attr(t, 4), 14);
	assert_int_equal(attr(t, 11), 1);
	assert_int_equal(attr(t, 12), 3600);
	side_free(s);
}

/*
 * One transform per combination, in the configuration's order; ECDSA
 * P-384 is Authentication Method 10 (RFC 4754 section 8), SHA-1 hash 2,
 * 384-bit ECP group 20 (RFC 5903 section 8); a day does not fit 16 bits
 * and travels as a TLV.
 */
static void test_p1_combinations(void **state)
{
	struct side *s = p1_side("aes128-aes256-sha256-sha1-modp2048-ecp384",
				 IKE1_AUTH_ECDSA_SHA384, 86400, false);
	const struct ike1_pl_sa *sa = offer(s);
	const struct ike1_transform *last = &sa->tr[7];

	(void)state;
	assert_int_equal(sa->n_tr, 8);
	assert_int_equal(sa->prop[0].n_tr, 8);
	assert_int_equal(attr(&sa->tr[0], 14), 128);
	assert_int_equal(attr(&sa->tr[0], 4), 14);
	assert_int_equal(attr(&sa->tr[1], 4), 20);
	assert_int_equal(attr(&sa->tr[2], 2), 2);
	assert_int_equal(last->num, 8);
	assert_int_equal(attr(last, 14), 256);
	assert_int_equal(attr(last, 2), 2);
	assert_int_equal(attr(last, 4), 20);
	assert_int_equal(attr(last, 3), 10);
	assert_int_equal(attr(last, 12), 86400);
	assert_false(ike1_attr_find(last, 12)->tv);
	side_free(s);
}

/*
 * r chooses from i's offer (*c), answers with spi (NULL in Phase 1), and
 * i checks the answer through the codec: the same algorithms, and the
 * lifetime as i offered it (the notify, not the transform, shortens it).
 */
static void round_trip(struct side *i, struct side *r, const uint8_t *spi,
		       struct ike1_choice *c)
{
	const struct ike1_pl_sa *theirs = offer(i), *back;
	struct ike1_mismatch why;
	struct ike1_pl_sa reply;
	struct ike1_choice ci;

	assert_int_equal(ike1_prop_choose(&r->cfg, theirs, c, &why), 0);
	ike1_prop_reply(theirs, c, spi, &reply);
	back = wire(r, &reply);
	assert_int_equal(back->n_tr, 1);
	if (spi)
		assert_memory_equal(back->prop[0].spi, spi, 4);
	assert_int_equal(ike1_prop_check_reply(&i->cfg, back, &ci, &why), 0);
	assert_memory_equal(&ci.alg, &c->alg, sizeof(c->alg));
	assert_int_equal(ci.life.secs, i->cfg.life.secs);
}

/* offer, codec, choose, reply, codec, check: the same choice twice. */
static void test_p1_round_trip(void **state)
{
	struct side *i = p1_side("aes128-sha1-modp2048, aes256-sha256-ecp256",
				 IKE1_AUTH_PSK, 3600, false);
	struct side *r = p1_side("aes256-sha256-ecp256", IKE1_AUTH_PSK, 3600,
				 false);
	struct ike1_choice c;

	(void)state;
	round_trip(i, r, NULL, &c);
	assert_int_equal(c.tr, 1);
	assert_int_equal(c.alg.encr, IKE_ENCR_AES_CBC);
	assert_int_equal(c.alg.keylen, 256);
	assert_int_equal(c.alg.integ, IKE_PRF_HMAC_SHA2_256);
	assert_int_equal(c.alg.group, IKE_KE_ECP256);
	assert_int_equal(c.alg.auth, IKE1_AUTH_PSK);
	assert_int_equal(c.alg.v1_encr, 7);
	assert_int_equal(c.alg.v1_integ, 4);
	assert_int_equal(c.life.secs, 3600);
	assert_false(c.responder_lifetime);
	side_free(i);
	side_free(r);
}

/* The codec caps an SA at 64 transforms; the default has more. */
static void test_p1_default_capped(void **state)
{
	struct side *s = p1_side("default", IKE1_AUTH_PSK, 3600, false);

	(void)state;
	assert_int_equal(ike1_prop_offer(&s->cfg, NULL, &s->out), 0);
	assert_int_equal(s->out.sa.n_tr, IKE1_MAX_TRANSFORMS);
	/* 3 ciphers x 3 hashes x 8 groups IKEv1 has numbers for */
	assert_int_equal(s->out.left_out, 72 - IKE1_MAX_TRANSFORMS);
	wire(s, &s->out.sa);
	side_free(s);
}

/*
 * Each Phase 1 parameter that differs, in the sentence the user reads.
 * A peer that allows legacy algorithms offers 3DES, MD5 and MODP-1024;
 * we refuse and say why, naming RFC 9395.
 */
static void test_p1_mismatches(void **state)
{
	static const struct {
		const char *theirs;
		uint16_t auth;
		bool weak;
		const char *ours, *want;
	} cases[] = {
		{ "aes128-sha256-modp2048", IKE1_AUTH_PSK, false,
		  "aes256-sha256-modp2048",
		  "encryption algorithm differs (we accept AES_CBC_256; peer offered AES_CBC_128)" },
		{ "aes256-sha384-modp2048", IKE1_AUTH_PSK, false,
		  "aes256-sha256-sha512-modp2048",
		  "hash algorithm differs (we accept HMAC_SHA2_256, HMAC_SHA2_512; peer offered HMAC_SHA2_384)" },
		{ "aes256-sha256-ecp256", IKE1_AUTH_PSK, false,
		  "aes256-sha256-modp2048",
		  "DH group differs (we accept MODP_2048; peer offered ECP_256)" },
		{ "aes256-sha256-modp2048", IKE1_AUTH_RSA_SIG, false,
		  "aes256-sha256-modp2048",
		  "authentication method differs (we accept pre-shared key; peer offered RSA signatures)" },
		/* every value in common, never in one combination */
		{ "aes128-sha1-modp2048", IKE1_AUTH_PSK, false,
		  "aes128-sha256-modp2048, aes256-sha1-modp2048",
		  "each parameter has a value in common, but no combination of ours matches one of the peer's transforms as a whole" },
		{ "3des-md5-modp1024", IKE1_AUTH_PSK, true,
		  "aes128-sha256-modp2048",
		  "encryption algorithm differs (we accept AES_CBC_128; peer offered 3DES); "
		  "hash algorithm differs (we accept HMAC_SHA2_256; peer offered HMAC_MD5); "
		  "DH group differs (we accept MODP_2048; peer offered MODP_1024); "
		  "the peer's 3DES, HMAC_MD5, MODP_1024 are legacy (RFC 9395), refused unless the connection sets weak_algorithms = yes" },
	};
	size_t k;

	(void)state;
	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		struct side *i = p1_side(cases[k].theirs, cases[k].auth, 3600,
					 cases[k].weak);
		struct side *r = p1_side(cases[k].ours, IKE1_AUTH_PSK, 3600,
					 false);

		expect_refusal(&r->cfg, offer(i), cases[k].want);
		side_free(i);
		side_free(r);
	}
}

/* 3DES is Encryption 5, MD5 hash 1, MODP-1024 group 2 (RFC 2409 A, 6.2). */
static void test_p1_legacy_numbers(void **state)
{
	struct side *i = p1_side("3des-md5-modp1024", IKE1_AUTH_PSK, 3600,
				 true);
	const struct ike1_pl_sa *sa = offer(i);

	(void)state;
	assert_int_equal(attr(&sa->tr[0], 1), 5);
	assert_int_equal(attr(&sa->tr[0], 2), 1);
	assert_int_equal(attr(&sa->tr[0], 4), 2);
	assert_null(ike1_attr_find(&sa->tr[0], 14));
	side_free(i);
}

/* With weak_algorithms the same offer is taken. */
static void test_p1_legacy_opt_in(void **state)
{
	struct side *i = p1_side("3des-md5-modp1024", IKE1_AUTH_PSK, 3600,
				 true);
	struct side *r = p1_side("aes128-sha256-modp2048, 3des-md5-modp1024",
				 IKE1_AUTH_PSK, 3600, true);
	struct ike1_mismatch why;
	struct ike1_choice c;

	(void)state;
	assert_int_equal(ike1_prop_choose(&r->cfg, offer(i), &c, &why), 0);
	assert_int_equal(c.alg.encr, IKE_ENCR_3DES);
	assert_int_equal(c.alg.integ, IKE_PRF_HMAC_MD5);
	assert_int_equal(c.alg.group, IKE_KE_MODP1024);
	/* and without the flag on the connection we offer none of it */
	i->conn.weak_algorithms = false;
	assert_int_equal(ike1_prop_offer(&i->cfg, NULL, &i->out), -1);
	side_free(i);
	side_free(r);
}

/* An AES transform without Key Length is AES-128 (early RFC 3602). */
static void test_p1_aes_without_key_length(void **state)
{
	struct side *i = p1_side("aes128-sha256-modp2048", IKE1_AUTH_PSK,
				 3600, false);
	struct side *r = p1_side("aes128-sha256-modp2048", IKE1_AUTH_PSK,
				 3600, false);
	struct ike1_transform *t;
	struct ike1_mismatch why;
	struct ike1_choice c;
	uint8_t k;

	(void)state;
	assert_int_equal(ike1_prop_offer(&i->cfg, NULL, &i->out), 0);
	t = &i->out.sa.tr[0];
	for (k = 0; k < t->n_attr && t->attr[k].type != 14; k++)
		;
	assert_true(k < t->n_attr);
	t->attr[k] = t->attr[--t->n_attr];
	assert_int_equal(ike1_prop_choose(&r->cfg, wire(i, &i->out.sa), &c,
					  &why), 0);
	assert_int_equal(c.alg.keylen, 128);
	side_free(i);
	side_free(r);
}

/* ---- lifetimes ---- */

static void responder_life(uint64_t theirs, uint64_t ours, uint64_t use,
			   bool notify)
{
	struct side *i = p1_side("aes256-sha256-modp2048", IKE1_AUTH_PSK,
				 theirs, false);
	struct side *r = p1_side("aes256-sha256-modp2048", IKE1_AUTH_PSK,
				 ours, false);
	struct ike1_mismatch why;
	struct ike1_choice c;

	assert_int_equal(ike1_prop_choose(&r->cfg, offer(i), &c, &why), 0);
	assert_int_equal(c.life.secs, use);
	assert_int_equal(c.responder_lifetime, notify);
	side_free(i);
	side_free(r);
}

static void test_life_responder(void **state)
{
	(void)state;
	responder_life(3600, 7200, 3600, false);	/* shorter: taken */
	responder_life(7200, 7200, 7200, false);	/* equal */
	responder_life(86400, 7200, 7200, true);	/* longer: ours, told */
	responder_life(0, 7200, 7200, true);	/* none offered is forever */
	responder_life(3600, 0, 3600, false);	/* we have no limit */
}

/* The initiator takes a reply no longer than its offer. */
static void initiator_life(uint64_t offered, uint64_t replied,
			   const char *refusal)
{
	struct side *i = p1_side("aes256-sha256-modp2048", IKE1_AUTH_PSK,
				 offered, false);
	struct side *r = p1_side("aes256-sha256-modp2048", IKE1_AUTH_PSK,
				 replied, false);
	const struct ike1_pl_sa *reply = offer(r);
	struct ike1_mismatch why;
	struct ike1_choice c;
	char buf[512];

	if (!refusal) {
		assert_int_equal(ike1_prop_check_reply(&i->cfg, reply, &c,
						       &why), 0);
		assert_int_equal(c.life.secs, replied);
	} else {
		assert_int_equal(ike1_prop_check_reply(&i->cfg, reply, &c,
						       &why), -1);
		assert_string_equal(ike1_mismatch_format(&i->cfg, reply, &why,
							 buf, sizeof(buf)),
				    refusal);
	}
	side_free(i);
	side_free(r);
}

static void test_life_initiator(void **state)
{
	(void)state;
	initiator_life(7200, 3600, NULL);
	initiator_life(7200, 7200, NULL);
	initiator_life(3600, 7200,
		       "lifetime differs: the responder chose 7200 seconds, longer than the 3600 we offered");
}

/*
 * RESPONDER-LIFETIME's data for Quick Mode: SA Life Type 1 = seconds 1,
 * SA Life Duration 2, then kilobytes 2 (RFC 2407 4.5); TV with the AF
 * bit, a duration over 16 bits as a TLV.
 */
static void test_life_notify(void **state)
{
	static const uint8_t want[] = {
		0x80, 0x01, 0x00, 0x01, 0x80, 0x02, 0x0e, 0x10,
		0x80, 0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x04,
		0x00, 0x01, 0x86, 0xa0,
	};
	struct ike1_life l = { 3600, 100000 }, got = { 7200, 0 };
	uint8_t buf[64];

	(void)state;
	assert_int_equal(ike1_life_notify_build(2, &l, buf, sizeof(buf)),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(ike1_life_notify_apply(2, want, sizeof(want), &got),
			 0);
	assert_int_equal(got.secs, 3600);
	assert_int_equal(got.kbytes, 100000);
	/* never raised */
	got.secs = 60;
	assert_int_equal(ike1_life_notify_apply(2, want, sizeof(want), &got),
			 0);
	assert_int_equal(got.secs, 60);
	assert_int_equal(ike1_life_notify_apply(2, want, 7, &got), -1);
}

/* ---- Phase 2 ---- */

/*
 * RFC 2407 4.5: SA Life Type 1 (seconds 1, kilobytes 2), Duration 2,
 * Group Description 3, Encapsulation Mode 4 (tunnel 1), Authentication
 * Algorithm 5, Key Length 6. ESP_AES_CBC is transform 12 (RFC 3602
 * section 5), HMAC-SHA2-256 authentication algorithm 5 (RFC 4868
 * section 2.4 with IANA), PROTO_IPSEC_ESP 3 (RFC 2407 4.4.1).
 */
static void test_p2_offer_numbers(void **state)
{
	struct side *s = p2_side("aes128-sha256-modp2048",
				 IKE_CONF_MODE_TUNNEL, false, 3600, 100000);
	const struct ike1_pl_sa *sa = offer(s);
	const struct ike1_transform *t = &sa->tr[0];

	(void)state;
	assert_int_equal(sa->prop[0].proto, 3);
	assert_int_equal(sa->prop[0].spi_len, 4);
	assert_memory_equal(sa->prop[0].spi, spi_i, 4);
	assert_int_equal(sa->n_tr, 1);
	assert_int_equal(t->id, 12);
	assert_int_equal(t->attr[0].type, 1);
	assert_int_equal(t->attr[0].val, 1);
	assert_int_equal(t->attr[1].type, 2);
	assert_int_equal(t->attr[1].val, 3600);
	assert_int_equal(t->attr[2].type, 1);
	assert_int_equal(t->attr[2].val, 2);
	assert_int_equal(attr(t, 3), 14);
	assert_int_equal(attr(t, 4), 1);
	assert_int_equal(attr(t, 5), 5);
	assert_int_equal(attr(t, 6), 128);
	assert_null(ike1_attr_find(t, 11));
	side_free(s);
}

/*
 * Encapsulation Mode: transport 2 (RFC 2407 4.5), UDP-Encapsulated-
 * Tunnel 3 and -Transport 4 (RFC 3947 section 5.1).
 */
static void test_p2_modes(void **state)
{
	static const struct {
		enum ike_conf_mode mode;
		bool udp;
		uint64_t want;
	} cases[] = {
		{ IKE_CONF_MODE_TUNNEL, false, 1 },
		{ IKE_CONF_MODE_TRANSPORT, false, 2 },
		{ IKE_CONF_MODE_TUNNEL, true, 3 },
		{ IKE_CONF_MODE_TRANSPORT, true, 4 },
	};
	size_t k;

	(void)state;
	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		struct side *s = p2_side("aes128-sha256", cases[k].mode,
					 cases[k].udp, 3600, 0);

		assert_int_equal(attr(&offer(s)->tr[0], 4), cases[k].want);
		side_free(s);
	}
}

/*
 * AES-GCM with a 16-byte ICV is ESP transform 20 (RFC 4106 section 8.4
 * with IANA) and has no Authentication Algorithm; GMAC is 23 in IKEv1
 * (RFC 4543 section 9), not IKEv2's 21; ESN is attribute 11 (RFC 4304).
 */
static void test_p2_aead_and_esn(void **state)
{
	struct side *s = p2_side("aes256gcm16-esn, aes128gmac-noesn",
				 IKE_CONF_MODE_TUNNEL, false, 3600, 0);
	const struct ike1_pl_sa *sa = offer(s);

	(void)state;
	assert_int_equal(sa->n_prop, 2);
	assert_int_equal(sa->prop[1].num, 2);
	assert_int_equal(sa->tr[0].id, 20);
	assert_int_equal(attr(&sa->tr[0], 6), 256);
	assert_null(ike1_attr_find(&sa->tr[0], 5));
	assert_int_equal(attr(&sa->tr[0], 11), 1);
	assert_int_equal(sa->tr[1].id, 23);
	assert_null(ike1_attr_find(&sa->tr[1], 11));
	side_free(s);
}

static void test_p2_round_trip(void **state)
{
	struct side *i = p2_side("aes128-sha1-modp2048, aes256-sha256-ecp256",
				 IKE_CONF_MODE_TRANSPORT, true, 3600, 50000);
	struct side *r = p2_side("aes256-sha256-ecp256",
				 IKE_CONF_MODE_TRANSPORT, true, 1800, 100000);
	struct ike1_choice c;

	(void)state;
	round_trip(i, r, spi_r, &c);
	assert_int_equal(c.prop, 1);
	assert_int_equal(c.alg.encr, IKE_ENCR_AES_CBC);
	assert_int_equal(c.alg.keylen, 256);
	assert_int_equal(c.alg.integ, IKE_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(c.alg.group, IKE_KE_ECP256);
	assert_int_equal(c.alg.encap, IKE1_ENCAP_UDP_TRANSPORT);
	assert_false(c.alg.esn);
	/* ours is shorter in seconds, theirs in kilobytes */
	assert_int_equal(c.life.secs, 1800);
	assert_int_equal(c.life.kbytes, 50000);
	assert_true(c.responder_lifetime);
	side_free(i);
	side_free(r);
}

/* Without a lifetime a Quick Mode SA lasts 28800 s (RFC 2407 4.5). */
static void test_p2_default_life(void **state)
{
	struct side *i = p2_side("aes128-sha256", IKE_CONF_MODE_TUNNEL, false,
				 0, 0);
	struct side *r = p2_side("aes128-sha256", IKE_CONF_MODE_TUNNEL, false,
				 3600, 0);
	struct ike1_mismatch why;
	struct ike1_choice c;

	(void)state;
	assert_int_equal(ike1_prop_choose(&r->cfg, offer(i), &c, &why), 0);
	assert_int_equal(c.life.secs, 3600);
	assert_true(c.responder_lifetime);
	side_free(i);
	side_free(r);
}

/* Each Phase 2 parameter that differs; PFS on one side, both ways. */
static void test_p2_mismatches(void **state)
{
	static const struct {
		const char *theirs;
		enum ike_conf_mode their_mode;
		bool their_udp;
		const char *ours;
		enum ike_conf_mode our_mode;
		const char *want;
	} cases[] = {
		{ "aes128-sha256", IKE_CONF_MODE_TUNNEL, false,
		  "aes128-sha256", IKE_CONF_MODE_TRANSPORT,
		  "encapsulation mode differs (we accept transport; peer offered tunnel)" },
		{ "aes128-sha256", IKE_CONF_MODE_TUNNEL, true,
		  "aes128-sha256", IKE_CONF_MODE_TUNNEL,
		  "encapsulation mode differs (we accept tunnel; peer offered UDP-encapsulated tunnel)" },
		{ "aes128-sha1", IKE_CONF_MODE_TUNNEL, false,
		  "aes128-sha256-sha384", IKE_CONF_MODE_TUNNEL,
		  "integrity algorithm differs (we accept HMAC_SHA2_256_128, HMAC_SHA2_384_192; peer offered HMAC_SHA1_96)" },
		{ "aes128-sha256-modp2048", IKE_CONF_MODE_TUNNEL, false,
		  "aes128-sha256", IKE_CONF_MODE_TUNNEL,
		  "PFS on one side only: the peer wants PFS with MODP_2048, we want none (esp_proposals names no DH group)" },
		{ "aes128-sha256", IKE_CONF_MODE_TUNNEL, false,
		  "aes128-sha256-modp2048", IKE_CONF_MODE_TUNNEL,
		  "PFS on one side only: we want PFS with MODP_2048, the peer offered none" },
		{ "aes128-sha256-modp2048", IKE_CONF_MODE_TUNNEL, false,
		  "aes128-sha256-ecp256", IKE_CONF_MODE_TUNNEL,
		  "PFS group differs (we accept ECP_256; peer offered MODP_2048)" },
	};
	size_t k;

	(void)state;
	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		struct side *i = p2_side(cases[k].theirs, cases[k].their_mode,
					 cases[k].their_udp, 3600, 0);
		struct side *r = p2_side(cases[k].ours, cases[k].our_mode,
					 false, 3600, 0);

		expect_refusal(&r->cfg, offer(i), cases[k].want);
		side_free(i);
		side_free(r);
	}
}

/* "none" in esp_proposals makes PFS optional: either offer is taken. */
static void test_p2_pfs_optional(void **state)
{
	struct side *opt = p2_side("aes128-sha256-modp2048-none",
				   IKE_CONF_MODE_TUNNEL, false, 3600, 0);
	struct side *none = p2_side("aes128-sha256", IKE_CONF_MODE_TUNNEL,
				    false, 3600, 0);
	struct ike1_mismatch why;
	struct ike1_choice c;

	(void)state;
	assert_int_equal(ike1_prop_choose(&opt->cfg, offer(none), &c, &why),
			 0);
	assert_int_equal(c.alg.group, IKE_KE_NONE);
	side_free(opt);
	side_free(none);
}

/* An AH proposal, or ESP bundled with AH, is nothing we can take. */
static void test_p2_no_esp(void **state)
{
	struct side *i = p2_side("aes128-sha256", IKE_CONF_MODE_TUNNEL, false,
				 3600, 0);
	struct ike1_pl_sa sa;

	(void)state;
	assert_int_equal(ike1_prop_offer(&i->cfg, spi_i, &i->out), 0);
	sa = i->out.sa;
	sa.prop[0].proto = IKE1_PROTO_AH;
	expect_refusal(&i->cfg, wire(i, &sa),
		       "the peer offered no ESP proposal we can take (AH, IPComp and bundles are not supported)");
	side_free(i);
}

/* A reply must choose one transform. */
static void test_reply_not_one(void **state)
{
	struct side *i = p1_side("aes128-aes256-sha256-modp2048",
				 IKE1_AUTH_PSK, 3600, false);
	const struct ike1_pl_sa *sa = offer(i);
	struct ike1_mismatch why;
	struct ike1_choice c;
	char buf[256];

	(void)state;
	assert_int_equal(ike1_prop_check_reply(&i->cfg, sa, &c, &why), -1);
	assert_string_equal(ike1_mismatch_format(&i->cfg, sa, &why, buf,
						 sizeof(buf)),
			    "the responder returned 2 transforms, where it must choose exactly one");
	side_free(i);
}

/* strongSwan's Phase 1 lifetime: reauth_time, else rekey_time, + over. */
static void test_p1_cfg_life(void **state)
{
	struct ike_conn conn = { .rekey_time = 14400, .over_time = 1440 };
	struct ike_child child = {
		.time = { .rekey = 3600, .life = 3960 },
		.bytes = { .life = 500000000 },
	};

	(void)state;
	assert_int_equal(ike1_p1_cfg(&conn, IKE1_AUTH_PSK).life.secs, 15840);
	conn.reauth_time = 10800;
	assert_int_equal(ike1_p1_cfg(&conn, IKE1_AUTH_PSK).life.secs, 12240);
	assert_int_equal(ike1_p2_cfg(&conn, &child, false).life.secs, 3960);
	assert_int_equal(ike1_p2_cfg(&conn, &child, false).life.kbytes,
			 500000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_p1_offer_numbers),
		cmocka_unit_test(test_p1_combinations),
		cmocka_unit_test(test_p1_round_trip),
		cmocka_unit_test(test_p1_default_capped),
		cmocka_unit_test(test_p1_mismatches),
		cmocka_unit_test(test_p1_legacy_numbers),
		cmocka_unit_test(test_p1_legacy_opt_in),
		cmocka_unit_test(test_p1_aes_without_key_length),
		cmocka_unit_test(test_p1_cfg_life),
		cmocka_unit_test(test_life_responder),
		cmocka_unit_test(test_life_initiator),
		cmocka_unit_test(test_life_notify),
		cmocka_unit_test(test_p2_offer_numbers),
		cmocka_unit_test(test_p2_modes),
		cmocka_unit_test(test_p2_aead_and_esn),
		cmocka_unit_test(test_p2_round_trip),
		cmocka_unit_test(test_p2_default_life),
		cmocka_unit_test(test_p2_mismatches),
		cmocka_unit_test(test_p2_pfs_optional),
		cmocka_unit_test(test_p2_no_esp),
		cmocka_unit_test(test_reply_not_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
