// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kipsec's internals: the algorithm table, the SAD (insert,
 * lookup, removal, many SAs sharing SPIs or addresses, limits, larval SAs,
 * SPI allocation) and the SPD (selector matching, priorities, duplicates).
 * Expected values come from IANA's IKEv2 registry and the RFCs, not from
 * the code under test.
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <uapi/linux/kipsec.h>

#include "alg.h"
#include "sad.h"
#include "spd.h"

/* ---- algorithm table ---- */

struct alg_case {
	const char *desc;
	enum kipsec_alg_type type;
	u16 id;
	u8 icv_len;
	bool aead;
	bool legacy;
	u8 good_len;	/* one accepted key length (with salt) */
	u8 bad_len;	/* one refused key length */
};

/* IANA IKEv2 transform IDs; ICVs from RFC 4106/4309/4543/7634/2404/4868 */
static const struct alg_case alg_cases[] = {
	{ "des-cbc", KIPSEC_ALG_CRYPT, 2, 0, false, true, 8, 16 },
	{ "3des-cbc", KIPSEC_ALG_CRYPT, 3, 0, false, true, 24, 16 },
	{ "null", KIPSEC_ALG_CRYPT, 11, 0, false, false, 0, 16 },
	{ "aes-cbc-128", KIPSEC_ALG_CRYPT, 12, 0, false, false, 16, 20 },
	{ "aes-cbc-256", KIPSEC_ALG_CRYPT, 12, 0, false, false, 32, 36 },
	{ "aes-ctr-192", KIPSEC_ALG_CRYPT, 13, 0, false, false, 28, 24 },
	{ "aes-ccm-8", KIPSEC_ALG_CRYPT, 14, 8, true, false, 19, 20 },
	{ "aes-ccm-12", KIPSEC_ALG_CRYPT, 15, 12, true, false, 27, 24 },
	{ "aes-ccm-16", KIPSEC_ALG_CRYPT, 16, 16, true, false, 35, 32 },
	{ "aes-gcm-8", KIPSEC_ALG_CRYPT, 18, 8, true, false, 20, 16 },
	{ "aes-gcm-12", KIPSEC_ALG_CRYPT, 19, 12, true, false, 28, 19 },
	{ "aes-gcm-16", KIPSEC_ALG_CRYPT, 20, 16, true, false, 36, 32 },
	{ "aes-gmac", KIPSEC_ALG_CRYPT, 21, 16, true, false, 20, 16 },
	{ "chacha20-poly1305", KIPSEC_ALG_CRYPT, 28, 16, true, false, 36, 32 },
	{ "hmac-md5-96", KIPSEC_ALG_AUTH, 1, 12, false, true, 16, 20 },
	{ "hmac-sha1-96", KIPSEC_ALG_AUTH, 2, 12, false, false, 20, 16 },
	{ "aes-xcbc-96", KIPSEC_ALG_AUTH, 5, 12, false, false, 16, 32 },
	{ "aes-cmac-96", KIPSEC_ALG_AUTH, 8, 12, false, false, 16, 32 },
	{ "hmac-sha2-256-128", KIPSEC_ALG_AUTH, 12, 16, false, false, 32, 20 },
	{ "hmac-sha2-384-192", KIPSEC_ALG_AUTH, 13, 24, false, false, 48, 32 },
	{ "hmac-sha2-512-256", KIPSEC_ALG_AUTH, 14, 32, false, false, 64, 48 },
};

static void alg_case_desc(const struct alg_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(alg, alg_cases, alg_case_desc);

static void kipsec_alg_table_test(struct kunit *test)
{
	const struct alg_case *c = test->param_value;
	const struct kipsec_alg *alg = kipsec_alg_find(c->type, c->id);

	KUNIT_ASSERT_NOT_NULL(test, alg);
	KUNIT_EXPECT_EQ(test, alg->id, c->id);
	KUNIT_EXPECT_EQ(test, alg->icv_len, c->icv_len);
	KUNIT_EXPECT_EQ(test, alg->aead, c->aead);
	KUNIT_EXPECT_EQ(test, alg->legacy, c->legacy);
	KUNIT_EXPECT_TRUE(test, kipsec_alg_key_len_ok(alg, c->good_len));
	KUNIT_EXPECT_FALSE(test, kipsec_alg_key_len_ok(alg, c->bad_len));
}

static void kipsec_alg_unknown_test(struct kunit *test)
{
	/* 1 is ENCR_DES_IV64, 9 AUTH_AES_128_GMAC: real IDs kipsec lacks */
	KUNIT_EXPECT_NULL(test, kipsec_alg_find(KIPSEC_ALG_CRYPT, 1));
	KUNIT_EXPECT_NULL(test, kipsec_alg_find(KIPSEC_ALG_AUTH, 9));
	KUNIT_EXPECT_NULL(test, kipsec_alg_find(KIPSEC_ALG_AUTH, 20));
	KUNIT_EXPECT_NULL(test, kipsec_alg_find(KIPSEC_ALG_CRYPT, 0));
	/* the same number means different things per transform type */
	KUNIT_EXPECT_STREQ(test, kipsec_alg_find(KIPSEC_ALG_CRYPT, 12)->name,
			   "aes-cbc");
	KUNIT_EXPECT_STREQ(test, kipsec_alg_find(KIPSEC_ALG_AUTH, 12)->name,
			   "hmac-sha2-256-128");
}

static struct kunit_case kipsec_alg_cases[] = {
	KUNIT_CASE_PARAM(kipsec_alg_table_test, alg_gen_params),
	KUNIT_CASE(kipsec_alg_unknown_test),
	{}
};

static struct kunit_suite kipsec_alg_suite = {
	.name = "kipsec_alg",
	.test_cases = kipsec_alg_cases,
};

/* ---- SAD ---- */

struct sad_ctx {
	struct mutex lock;	/* stands in for the namespace's config lock */
	struct kipsec_sad sad;
};

static int kipsec_sad_test_init(struct kunit *test)
{
	struct sad_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->lock);
	test->priv = ctx;
	return kipsec_sad_init(&ctx->sad, &ctx->lock);
}

static void kipsec_sad_test_exit(struct kunit *test)
{
	struct sad_ctx *ctx = test->priv;

	kipsec_sad_destroy(&ctx->sad);
}

static void sa_cfg_v4(struct kipsec_sa_config *cfg, u32 spi, u32 daddr,
		      u8 proto)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->id.spi = htonl(spi);
	cfg->id.daddr.a4 = htonl(daddr);
	cfg->id.proto = proto;
	cfg->id.family = AF_INET;
	cfg->saddr.a4 = htonl(0xc0000201);	/* 192.0.2.1 */
	cfg->mode = KIPSEC_MODE_TUNNEL;
	cfg->crypt = kipsec_alg_find(KIPSEC_ALG_CRYPT, 20);
	cfg->crypt_key_len = 20;
}

static int sad_add(struct sad_ctx *ctx, const struct kipsec_sa_config *cfg)
{
	int ret;

	mutex_lock(&ctx->lock);
	ret = kipsec_sad_add(&ctx->sad, cfg, NULL);
	mutex_unlock(&ctx->lock);
	return ret;
}

static struct kipsec_sa *sad_find(struct sad_ctx *ctx, u32 spi, u32 daddr,
				  u8 proto)
{
	struct kipsec_sa_config cfg;

	sa_cfg_v4(&cfg, spi, daddr, proto);
	return kipsec_sad_lookup(&ctx->sad, &cfg.id);
}

static void kipsec_sad_add_lookup_test(struct kunit *test)
{
	struct sad_ctx *ctx = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;

	sa_cfg_v4(&cfg, 0x1000, 0xc0000202, KIPSEC_PROTO_ESP);
	KUNIT_ASSERT_EQ(test, sad_add(ctx, &cfg), 0);
	KUNIT_EXPECT_EQ(test, sad_add(ctx, &cfg), -EEXIST);
	KUNIT_EXPECT_EQ(test, ctx->sad.count, 1);

	rcu_read_lock();
	sa = sad_find(ctx, 0x1000, 0xc0000202, KIPSEC_PROTO_ESP);
	KUNIT_EXPECT_NOT_NULL(test, sa);
	if (sa)
		KUNIT_EXPECT_EQ(test, sa->state, KIPSEC_SA_STATE_VALID);
	/* each part of the identity counts */
	KUNIT_EXPECT_NULL(test, sad_find(ctx, 0x1001, 0xc0000202,
					 KIPSEC_PROTO_ESP));
	KUNIT_EXPECT_NULL(test, sad_find(ctx, 0x1000, 0xc0000203,
					 KIPSEC_PROTO_ESP));
	KUNIT_EXPECT_NULL(test, sad_find(ctx, 0x1000, 0xc0000202,
					 KIPSEC_PROTO_AH));
	rcu_read_unlock();
}

/* An IPv6 address whose first word equals an IPv4 SA's is another SA. */
static void kipsec_sad_family_test(struct kunit *test)
{
	struct sad_ctx *ctx = test->priv;
	struct kipsec_sa_config v4, v6;

	sa_cfg_v4(&v4, 0x2000, 0x20010db8, KIPSEC_PROTO_ESP);
	v6 = v4;
	v6.id.family = AF_INET6;
	KUNIT_ASSERT_EQ(test, sad_add(ctx, &v4), 0);
	KUNIT_EXPECT_EQ(test, sad_add(ctx, &v6), 0);
	KUNIT_EXPECT_EQ(test, ctx->sad.count, 2);
}

/*
 * Thousands of SAs sharing SPIs and destinations fill the hash buckets
 * with colliding entries; every one must still be found exactly.
 */
static void kipsec_sad_many_test(struct kunit *test)
{
	struct sad_ctx *ctx = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;
	u32 spi, dst;

	for (spi = 256; spi < 256 + 64; spi++)
		for (dst = 1; dst <= 64; dst++) {
			sa_cfg_v4(&cfg, spi, dst, KIPSEC_PROTO_ESP);
			KUNIT_ASSERT_EQ(test, sad_add(ctx, &cfg), 0);
		}
	KUNIT_EXPECT_EQ(test, ctx->sad.count, 64 * 64);

	mutex_lock(&ctx->lock);
	for (spi = 256; spi < 256 + 64; spi += 2)
		for (dst = 1; dst <= 64; dst++)
			kipsec_sad_remove(&ctx->sad,
					  sad_find(ctx, spi, dst,
						   KIPSEC_PROTO_ESP));
	mutex_unlock(&ctx->lock);
	KUNIT_EXPECT_EQ(test, ctx->sad.count, 64 * 32);

	rcu_read_lock();
	for (spi = 256; spi < 256 + 64; spi++)
		for (dst = 1; dst <= 64; dst++) {
			sa = sad_find(ctx, spi, dst, KIPSEC_PROTO_ESP);
			if (spi % 2) {
				KUNIT_EXPECT_NOT_NULL(test, sa);
				if (sa)
					KUNIT_EXPECT_EQ(test, ntohl(sa->cfg.id.spi),
							spi);
			} else {
				KUNIT_EXPECT_NULL(test, sa);
			}
		}
	rcu_read_unlock();
}

static void kipsec_sad_limit_flush_test(struct kunit *test)
{
	struct sad_ctx *ctx = test->priv;
	struct kipsec_sa_config cfg;

	ctx->sad.max = 3;
	sa_cfg_v4(&cfg, 300, 1, KIPSEC_PROTO_ESP);
	KUNIT_ASSERT_EQ(test, sad_add(ctx, &cfg), 0);
	sa_cfg_v4(&cfg, 301, 1, KIPSEC_PROTO_AH);
	KUNIT_ASSERT_EQ(test, sad_add(ctx, &cfg), 0);
	sa_cfg_v4(&cfg, 302, 1, KIPSEC_PROTO_ESP);
	KUNIT_ASSERT_EQ(test, sad_add(ctx, &cfg), 0);
	sa_cfg_v4(&cfg, 303, 1, KIPSEC_PROTO_ESP);
	KUNIT_EXPECT_EQ(test, sad_add(ctx, &cfg), -ENOSPC);

	mutex_lock(&ctx->lock);
	kipsec_sad_flush(&ctx->sad, KIPSEC_PROTO_ESP);
	mutex_unlock(&ctx->lock);
	KUNIT_EXPECT_EQ(test, ctx->sad.count, 1);
	KUNIT_EXPECT_NOT_NULL(test, sad_find(ctx, 301, 1, KIPSEC_PROTO_AH));
}

static int sad_alloc(struct sad_ctx *ctx, u32 min, u32 max, __be32 *spi)
{
	struct kipsec_sa_config cfg;
	int ret;

	sa_cfg_v4(&cfg, 0, 0xc0000202, KIPSEC_PROTO_ESP);
	mutex_lock(&ctx->lock);
	ret = kipsec_sad_alloc_spi(&ctx->sad, &cfg, min, max, 30, spi, NULL);
	mutex_unlock(&ctx->lock);
	return ret;
}

/* A small range is used up exactly: every SPI once, then ENOSPC. */
static void kipsec_sad_alloc_spi_test(struct kunit *test)
{
	struct sad_ctx *ctx = test->priv;
	DECLARE_BITMAP(seen, 64) = { 0 };
	struct kipsec_sa *sa;
	__be32 spi;
	int i;

	for (i = 0; i < 64; i++) {
		KUNIT_ASSERT_EQ(test, sad_alloc(ctx, 1000, 1063, &spi), 0);
		KUNIT_ASSERT_GE(test, ntohl(spi), 1000);
		KUNIT_ASSERT_LE(test, ntohl(spi), 1063);
		KUNIT_EXPECT_FALSE(test, test_and_set_bit(ntohl(spi) - 1000,
							  seen));
	}
	KUNIT_EXPECT_EQ(test, sad_alloc(ctx, 1000, 1063, &spi), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ctx->sad.count, 64);

	rcu_read_lock();
	sa = sad_find(ctx, 1000, 0xc0000202, KIPSEC_PROTO_ESP);
	KUNIT_EXPECT_NOT_NULL(test, sa);
	if (sa)
		KUNIT_EXPECT_EQ(test, sa->state, KIPSEC_SA_STATE_LARVAL);
	rcu_read_unlock();
}

/* sa-new completes a larval SA in place of failing with EEXIST. */
static void kipsec_sad_complete_larval_test(struct kunit *test)
{
	struct sad_ctx *ctx = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;
	__be32 spi;

	KUNIT_ASSERT_EQ(test, sad_alloc(ctx, 5000, 5000, &spi), 0);
	KUNIT_EXPECT_EQ(test, ntohl(spi), 5000);
	sa_cfg_v4(&cfg, 5000, 0xc0000202, KIPSEC_PROTO_ESP);
	KUNIT_ASSERT_EQ(test, sad_add(ctx, &cfg), 0);
	KUNIT_EXPECT_EQ(test, ctx->sad.count, 1);
	rcu_read_lock();
	sa = sad_find(ctx, 5000, 0xc0000202, KIPSEC_PROTO_ESP);
	KUNIT_EXPECT_NOT_NULL(test, sa);
	if (sa)
		KUNIT_EXPECT_EQ(test, sa->state, KIPSEC_SA_STATE_VALID);
	rcu_read_unlock();
	mutex_lock(&ctx->lock);
	KUNIT_EXPECT_NULL(test, kipsec_sad_first_expired(&ctx->sad,
							 jiffies + 3600 * HZ));
	mutex_unlock(&ctx->lock);
}

static void kipsec_sad_larval_expiry_test(struct kunit *test)
{
	struct sad_ctx *ctx = test->priv;
	struct kipsec_sa *sa;
	__be32 spi;

	KUNIT_ASSERT_EQ(test, sad_alloc(ctx, 7000, 7000, &spi), 0);
	mutex_lock(&ctx->lock);
	/* larval-timeout was 30 s */
	KUNIT_EXPECT_NULL(test, kipsec_sad_first_expired(&ctx->sad,
							 jiffies + 29 * HZ));
	sa = kipsec_sad_first_expired(&ctx->sad, jiffies + 31 * HZ);
	KUNIT_EXPECT_NOT_NULL(test, sa);
	if (sa) {
		KUNIT_EXPECT_EQ(test, ntohl(sa->cfg.id.spi), 7000);
		kipsec_sad_remove(&ctx->sad, sa);
	}
	mutex_unlock(&ctx->lock);
	KUNIT_EXPECT_EQ(test, ctx->sad.count, 0);
}

static void kipsec_sad_update_test(struct kunit *test)
{
	struct sad_ctx *ctx = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;

	sa_cfg_v4(&cfg, 0x3000, 9, KIPSEC_PROTO_ESP);
	KUNIT_ASSERT_EQ(test, sad_add(ctx, &cfg), 0);
	cfg.hard.seconds = 600;
	mutex_lock(&ctx->lock);
	sa = kipsec_sad_lookup(&ctx->sad, &cfg.id);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_EXPECT_EQ(test, kipsec_sad_update(&ctx->sad, sa, &cfg), 0);
	sa = kipsec_sad_lookup(&ctx->sad, &cfg.id);
	KUNIT_EXPECT_EQ(test, sa->cfg.hard.seconds, 600);
	mutex_unlock(&ctx->lock);
	KUNIT_EXPECT_EQ(test, ctx->sad.count, 1);
}

static struct kipsec_sa *sad_find_out(struct sad_ctx *ctx, u32 daddr)
{
	struct kipsec_sa_out_key key = {};
	struct kipsec_sa_config cfg;

	sa_cfg_v4(&cfg, 0, daddr, KIPSEC_PROTO_ESP);
	key.daddr = cfg.id.daddr;
	key.saddr = cfg.saddr;
	key.family = AF_INET;
	key.proto = KIPSEC_PROTO_ESP;
	key.mode = cfg.mode;
	return kipsec_sad_lookup_out(&ctx->sad, &key);
}

static u32 sad_out_spi(struct sad_ctx *ctx, u32 daddr)
{
	struct kipsec_sa *sa;
	u32 spi;

	rcu_read_lock();
	sa = sad_find_out(ctx, daddr);
	spi = sa ? ntohl(sa->cfg.id.spi) : 0;
	rcu_read_unlock();
	return spi;
}

static void sad_del(struct sad_ctx *ctx, u32 spi, u32 daddr)
{
	mutex_lock(&ctx->lock);
	kipsec_sad_remove(&ctx->sad, sad_find(ctx, spi, daddr,
					      KIPSEC_PROTO_ESP));
	mutex_unlock(&ctx->lock);
}

/*
 * SAs sharing an outbound key: packets take the newest, whichever of the
 * others leaves, and none once the last one has left.
 */
static void kipsec_sad_out_newest_test(struct kunit *test)
{
	struct sad_ctx *ctx = test->priv;
	struct kipsec_sa_config cfg;
	u32 spi;

	for (spi = 0x4000; spi < 0x4008; spi++) {
		sa_cfg_v4(&cfg, spi, 7, KIPSEC_PROTO_ESP);
		KUNIT_ASSERT_EQ(test, sad_add(ctx, &cfg), 0);
		KUNIT_EXPECT_EQ(test, sad_out_spi(ctx, 7), spi);
	}
	sa_cfg_v4(&cfg, 0x5000, 8, KIPSEC_PROTO_ESP);
	KUNIT_ASSERT_EQ(test, sad_add(ctx, &cfg), 0);
	KUNIT_EXPECT_EQ(test, sad_out_spi(ctx, 7), 0x4007);

	sad_del(ctx, 0x4007, 7);
	KUNIT_EXPECT_EQ(test, sad_out_spi(ctx, 7), 0x4006);
	sad_del(ctx, 0x4000, 7);
	sad_del(ctx, 0x4003, 7);
	KUNIT_EXPECT_EQ(test, sad_out_spi(ctx, 7), 0x4006);
	for (spi = 0x4006; spi > 0x4000; spi--) {
		if (spi == 0x4003)
			continue;
		KUNIT_EXPECT_EQ(test, sad_out_spi(ctx, 7), spi);
		sad_del(ctx, spi, 7);
	}
	KUNIT_EXPECT_EQ(test, sad_out_spi(ctx, 7), 0);
	KUNIT_EXPECT_EQ(test, sad_out_spi(ctx, 8), 0x5000);

	/* the key is found again once an SA for it comes back */
	sa_cfg_v4(&cfg, 0x4100, 7, KIPSEC_PROTO_ESP);
	KUNIT_ASSERT_EQ(test, sad_add(ctx, &cfg), 0);
	KUNIT_EXPECT_EQ(test, sad_out_spi(ctx, 7), 0x4100);
	mutex_lock(&ctx->lock);
	kipsec_sad_flush(&ctx->sad, 0);
	mutex_unlock(&ctx->lock);
	KUNIT_EXPECT_EQ(test, sad_out_spi(ctx, 7), 0);
	KUNIT_EXPECT_EQ(test, sad_out_spi(ctx, 8), 0);
}

static struct kunit_case kipsec_sad_cases[] = {
	KUNIT_CASE(kipsec_sad_add_lookup_test),
	KUNIT_CASE(kipsec_sad_family_test),
	KUNIT_CASE(kipsec_sad_many_test),
	KUNIT_CASE(kipsec_sad_limit_flush_test),
	KUNIT_CASE(kipsec_sad_alloc_spi_test),
	KUNIT_CASE(kipsec_sad_complete_larval_test),
	KUNIT_CASE(kipsec_sad_larval_expiry_test),
	KUNIT_CASE(kipsec_sad_update_test),
	KUNIT_CASE(kipsec_sad_out_newest_test),
	{}
};

static struct kunit_suite kipsec_sad_suite = {
	.name = "kipsec_sad",
	.init = kipsec_sad_test_init,
	.exit = kipsec_sad_test_exit,
	.test_cases = kipsec_sad_cases,
};

/* ---- SPD ---- */

static void sel_any(struct kipsec_selector *sel)
{
	memset(sel, 0, sizeof(*sel));
	sel->sport_max = U16_MAX;
	sel->dport_max = U16_MAX;
	sel->icmp_type = -1;
	sel->icmp_code = -1;
}

static void sel_v4(struct kipsec_selector *sel, const char *src, u8 sprefix,
		   const char *dst, u8 dprefix)
{
	sel_any(sel);
	sel->family = AF_INET;
	sel->saddr.a4 = in_aton(src);
	sel->sprefix = sprefix;
	sel->daddr.a4 = in_aton(dst);
	sel->dprefix = dprefix;
}

static void flow_v4(struct kipsec_flow *flow, const char *src,
		    const char *dst, u8 proto, u16 sport, u16 dport)
{
	memset(flow, 0, sizeof(*flow));
	flow->family = AF_INET;
	flow->saddr.a4 = in_aton(src);
	flow->daddr.a4 = in_aton(dst);
	flow->proto = proto;
	flow->sport = sport;
	flow->dport = dport;
}

static void kipsec_sel_prefix_test(struct kunit *test)
{
	struct kipsec_selector sel;
	struct kipsec_flow flow;

	sel_v4(&sel, "10.1.0.0", 16, "10.2.0.0", 16);
	flow_v4(&flow, "10.1.255.255", "10.2.0.1", IPPROTO_TCP, 1, 2);
	KUNIT_EXPECT_TRUE(test, kipsec_selector_match(&sel, &flow));
	flow_v4(&flow, "10.0.255.255", "10.2.0.1", IPPROTO_TCP, 1, 2);
	KUNIT_EXPECT_FALSE(test, kipsec_selector_match(&sel, &flow));
	flow_v4(&flow, "10.1.0.1", "10.3.0.1", IPPROTO_TCP, 1, 2);
	KUNIT_EXPECT_FALSE(test, kipsec_selector_match(&sel, &flow));

	sel_v4(&sel, "192.0.2.1", 32, "0.0.0.0", 0);
	flow_v4(&flow, "192.0.2.1", "198.51.100.7", IPPROTO_UDP, 1, 2);
	KUNIT_EXPECT_TRUE(test, kipsec_selector_match(&sel, &flow));
	flow_v4(&flow, "192.0.2.2", "198.51.100.7", IPPROTO_UDP, 1, 2);
	KUNIT_EXPECT_FALSE(test, kipsec_selector_match(&sel, &flow));
}

static void kipsec_sel_v6_family_test(struct kunit *test)
{
	struct kipsec_selector sel;
	struct kipsec_flow flow;

	sel_any(&sel);
	sel.family = AF_INET6;
	/* 2001:db8::/32 to anywhere */
	sel.saddr.a6.s6_addr32[0] = htonl(0x20010db8);
	sel.sprefix = 32;
	memset(&flow, 0, sizeof(flow));
	flow.family = AF_INET6;
	flow.saddr.a6.s6_addr32[0] = htonl(0x20010db8);
	flow.saddr.a6.s6_addr32[3] = htonl(1);
	flow.daddr.a6.s6_addr32[0] = htonl(0x20010db9);
	KUNIT_EXPECT_TRUE(test, kipsec_selector_match(&sel, &flow));
	flow.saddr.a6.s6_addr32[0] = htonl(0x20010db9);
	KUNIT_EXPECT_FALSE(test, kipsec_selector_match(&sel, &flow));

	/* an IPv4 packet never matches an IPv6 selector, and vice versa */
	flow_v4(&flow, "32.1.13.184", "1.2.3.4", 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, kipsec_selector_match(&sel, &flow));
	/* an empty selector matches both */
	sel_any(&sel);
	KUNIT_EXPECT_TRUE(test, kipsec_selector_match(&sel, &flow));
}

struct port_case {
	const char *desc;
	u8 proto;
	u16 sport;
	u16 dport;
	bool match;
};

/* selector: proto tcp, sport any, dport 1000-2000 */
static const struct port_case port_cases[] = {
	{ "below range", IPPROTO_TCP, 5, 999, false },
	{ "range start", IPPROTO_TCP, 5, 1000, true },
	{ "range end", IPPROTO_TCP, 65535, 2000, true },
	{ "above range", IPPROTO_TCP, 5, 2001, false },
	{ "other proto", IPPROTO_UDP, 5, 1500, false },
};

static void port_case_desc(const struct port_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(port, port_cases, port_case_desc);

static void kipsec_sel_ports_test(struct kunit *test)
{
	const struct port_case *c = test->param_value;
	struct kipsec_selector sel;
	struct kipsec_flow flow;

	sel_any(&sel);
	sel.proto = IPPROTO_TCP;
	sel.dport_min = 1000;
	sel.dport_max = 2000;
	flow_v4(&flow, "10.0.0.1", "10.0.0.2", c->proto, c->sport, c->dport);
	KUNIT_EXPECT_EQ(test, kipsec_selector_match(&sel, &flow), c->match);
}

static void kipsec_sel_icmp_test(struct kunit *test)
{
	struct kipsec_selector sel;
	struct kipsec_flow flow;

	sel_any(&sel);
	sel.proto = IPPROTO_ICMP;
	sel.icmp_type = 8;	/* echo request, any code */
	flow_v4(&flow, "10.0.0.1", "10.0.0.2", IPPROTO_ICMP, 8, 0);
	KUNIT_EXPECT_TRUE(test, kipsec_selector_match(&sel, &flow));
	flow_v4(&flow, "10.0.0.1", "10.0.0.2", IPPROTO_ICMP, 0, 0);
	KUNIT_EXPECT_FALSE(test, kipsec_selector_match(&sel, &flow));
	sel.icmp_type = 3;	/* unreachable, code 4: fragmentation needed */
	sel.icmp_code = 4;
	flow_v4(&flow, "10.0.0.1", "10.0.0.2", IPPROTO_ICMP, 3, 4);
	KUNIT_EXPECT_TRUE(test, kipsec_selector_match(&sel, &flow));
	flow_v4(&flow, "10.0.0.1", "10.0.0.2", IPPROTO_ICMP, 3, 1);
	KUNIT_EXPECT_FALSE(test, kipsec_selector_match(&sel, &flow));
}

struct spd_ctx {
	struct mutex lock;	/* stands in for the namespace's config lock */
	struct kipsec_spd spd;
};

static int kipsec_spd_test_init(struct kunit *test)
{
	struct spd_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->lock);
	kipsec_spd_init(&ctx->spd, &ctx->lock);
	test->priv = ctx;
	return 0;
}

static void kipsec_spd_test_exit(struct kunit *test)
{
	struct spd_ctx *ctx = test->priv;

	kipsec_spd_destroy(&ctx->spd);
}

static u32 spd_add(struct kunit *test, u8 dir, u32 priority, u32 if_id,
		   const struct kipsec_selector *sel, u8 action)
{
	struct spd_ctx *ctx = test->priv;
	struct kipsec_policy_config cfg = {
		.dir = dir, .priority = priority, .if_id = if_id,
		.sel = *sel, .action = action,
	};
	u32 id = 0;
	int ret;

	mutex_lock(&ctx->lock);
	ret = kipsec_spd_add(&ctx->spd, &cfg, &id, NULL);
	mutex_unlock(&ctx->lock);
	KUNIT_EXPECT_EQ(test, ret, 0);
	return id;
}

static u32 spd_winner(struct kunit *test, u8 dir, u32 if_id,
		      const struct kipsec_flow *flow)
{
	struct spd_ctx *ctx = test->priv;
	struct kipsec_policy *pol;
	u32 id;

	rcu_read_lock();
	pol = kipsec_spd_lookup(&ctx->spd, dir, if_id, flow);
	id = pol ? pol->id : 0;
	rcu_read_unlock();
	return id;
}

/* Lower priority values win; among equals the older policy wins. */
static void kipsec_spd_priority_test(struct kunit *test)
{
	struct kipsec_selector any, net16, host;
	struct kipsec_flow flow;
	u32 p_any, p_net, p_host, p_tie;

	sel_any(&any);
	sel_v4(&net16, "10.1.0.0", 16, "10.2.0.0", 16);
	sel_v4(&host, "10.1.0.1", 32, "10.2.0.1", 32);
	flow_v4(&flow, "10.1.0.1", "10.2.0.1", IPPROTO_TCP, 1, 2);

	p_any = spd_add(test, KIPSEC_DIR_OUT, 100, 0, &any,
			KIPSEC_ACTION_BYPASS);
	KUNIT_EXPECT_EQ(test, spd_winner(test, KIPSEC_DIR_OUT, 0, &flow),
			p_any);
	p_net = spd_add(test, KIPSEC_DIR_OUT, 50, 0, &net16,
			KIPSEC_ACTION_PROTECT);
	KUNIT_EXPECT_EQ(test, spd_winner(test, KIPSEC_DIR_OUT, 0, &flow),
			p_net);
	p_host = spd_add(test, KIPSEC_DIR_OUT, 200, 0, &host,
			 KIPSEC_ACTION_DISCARD);
	/* more specific but a higher value: still loses */
	KUNIT_EXPECT_EQ(test, spd_winner(test, KIPSEC_DIR_OUT, 0, &flow),
			p_net);
	host.proto = IPPROTO_TCP;
	p_tie = spd_add(test, KIPSEC_DIR_OUT, 50, 0, &host,
			KIPSEC_ACTION_DISCARD);
	KUNIT_EXPECT_NE(test, p_tie, 0);
	KUNIT_EXPECT_EQ(test, spd_winner(test, KIPSEC_DIR_OUT, 0, &flow),
			p_net);
	/* other directions and links see none of them */
	KUNIT_EXPECT_EQ(test, spd_winner(test, KIPSEC_DIR_IN, 0, &flow), 0);
	KUNIT_EXPECT_EQ(test, spd_winner(test, KIPSEC_DIR_OUT, 7, &flow), 0);
	KUNIT_EXPECT_NE(test, p_host, 0);
}

static void kipsec_spd_duplicate_flush_test(struct kunit *test)
{
	struct spd_ctx *ctx = test->priv;
	struct kipsec_policy_config cfg = { .dir = KIPSEC_DIR_IN };
	struct kipsec_selector sel;
	u32 id;

	sel_v4(&sel, "10.1.0.0", 16, "10.2.0.0", 16);
	cfg.sel = sel;
	spd_add(test, KIPSEC_DIR_IN, 1, 0, &sel, KIPSEC_ACTION_BYPASS);
	spd_add(test, KIPSEC_DIR_OUT, 1, 0, &sel, KIPSEC_ACTION_BYPASS);
	spd_add(test, KIPSEC_DIR_IN, 1, 3, &sel, KIPSEC_ACTION_BYPASS);
	mutex_lock(&ctx->lock);
	/* same dir, selector and if_id: a duplicate, whatever the priority */
	cfg.priority = 9;
	KUNIT_EXPECT_EQ(test, kipsec_spd_add(&ctx->spd, &cfg, &id, NULL),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, ctx->spd.count, 3);
	kipsec_spd_flush(&ctx->spd, KIPSEC_DIR_IN);
	KUNIT_EXPECT_EQ(test, ctx->spd.count, 1);
	KUNIT_EXPECT_TRUE(test, list_empty(&ctx->spd.dirs[KIPSEC_DIR_IN]));
	mutex_unlock(&ctx->lock);
}

static struct kunit_case kipsec_spd_cases[] = {
	KUNIT_CASE(kipsec_sel_prefix_test),
	KUNIT_CASE(kipsec_sel_v6_family_test),
	KUNIT_CASE_PARAM(kipsec_sel_ports_test, port_gen_params),
	KUNIT_CASE(kipsec_sel_icmp_test),
	KUNIT_CASE(kipsec_spd_priority_test),
	KUNIT_CASE(kipsec_spd_duplicate_flush_test),
	{}
};

static struct kunit_suite kipsec_spd_suite = {
	.name = "kipsec_spd",
	.init = kipsec_spd_test_init,
	.exit = kipsec_spd_test_exit,
	.test_cases = kipsec_spd_cases,
};

kunit_test_suites(&kipsec_alg_suite, &kipsec_sad_suite, &kipsec_spd_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kipsec");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
