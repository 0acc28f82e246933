// SPDX-License-Identifier: GPL-2.0
/*
 * What a command line turns into on the wire, checked against the types in
 * Documentation/netlink/specs/kipsec.yaml: sizes (u8/u16/u32/u64), byte
 * order (SPI and encap ports big-endian, everything else host order) and
 * nesting. The expected bytes are spelled out, not computed with the
 * tool's own helpers. And the other way: what replies the kernel could
 * send decode and print to, the expected text spelled out too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include "nl.h"

static char buf[8192];

static struct nlmsghdr *new_msg(void)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	return nlh;
}

static struct args make_args(char **argv, int argc)
{
	return (struct args){ .argc = argc, .argv = argv, .object = "test",
			      .command = "test" };
}

/* The attribute of this type directly under nlh (or nest), or fail. */
static const struct nlattr *find(const struct nlmsghdr *nlh,
				 const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;

	if (nest) {
		mnl_attr_for_each_nested(a, nest)
			if (mnl_attr_get_type(a) == type)
				return a;
	} else {
		mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
			if (mnl_attr_get_type(a) == type)
				return a;
	}
	fail_msg("attribute %u missing", type);
	return NULL;
}

static bool present(const struct nlmsghdr *nlh, const struct nlattr *nest,
		    uint16_t type)
{
	const struct nlattr *a;

	if (nest) {
		mnl_attr_for_each_nested(a, nest)
			if (mnl_attr_get_type(a) == type)
				return true;
		return false;
	}
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == type)
			return true;
	return false;
}

static void expect_bytes(const struct nlattr *a, const void *want, size_t len)
{
	assert_int_equal(mnl_attr_get_payload_len(a), len);
	assert_memory_equal(mnl_attr_get_payload(a), want, len);
}

static void expect_u8(const struct nlattr *a, uint8_t v)
{
	assert_int_equal(mnl_attr_get_payload_len(a), 1);
	assert_int_equal(mnl_attr_get_u8(a), v);
}

static void expect_u16(const struct nlattr *a, uint16_t v)
{
	assert_int_equal(mnl_attr_get_payload_len(a), 2);
	assert_int_equal(mnl_attr_get_u16(a), v);
}

static void expect_u32(const struct nlattr *a, uint32_t v)
{
	assert_int_equal(mnl_attr_get_payload_len(a), 4);
	assert_int_equal(mnl_attr_get_u32(a), v);
}

static void expect_u64(const struct nlattr *a, uint64_t v)
{
	assert_int_equal(mnl_attr_get_payload_len(a), 8);
	assert_true(mnl_attr_get_u64(a) == v);
}

static void test_sa_add(void **state)
{
	static char *argv[] = {
		"src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp",
		"spi", "0x1000", "mode", "tunnel",
		"enc", "aes-gcm-16", "0x000102030405060708090a0b0c0d0e0f10111213",
		"icv-len", "16", "replay-window", "64", "esn", "if_id", "5",
		"reqid", "0x10", "encap", "espinudp", "4500", "4501",
		"soft-bytes", "1000", "hard-seconds", "0x100000000",
		"tfc-pad", "1200",
	};
	static const uint8_t spi_be[] = { 0x00, 0x00, 0x10, 0x00 };
	static const uint8_t src[] = { 192, 0, 2, 1 }, dst[] = { 192, 0, 2, 2 };
	static const uint8_t sport_be[] = { 0x11, 0x94 }, dport_be[] = { 0x11, 0x95 };
	static struct sa sa;
	struct args a = make_args(argv, ARRAY_SIZE(argv));
	struct nlmsghdr *nlh = new_msg();
	const struct nlattr *crypt, *soft, *hard;
	uint8_t key[20];
	int i;

	(void)state;
	for (i = 0; i < 20; i++)
		key[i] = i;
	sa_parse(&a, SA_CONFIG, &sa);
	sa_put(nlh, &sa);
	expect_bytes(find(nlh, NULL, KIPSEC_A_SA_SPI), spi_be, 4);
	expect_u8(find(nlh, NULL, KIPSEC_A_SA_PROTO), KIPSEC_PROTO_ESP);
	expect_u8(find(nlh, NULL, KIPSEC_A_SA_MODE), KIPSEC_MODE_TUNNEL);
	expect_bytes(find(nlh, NULL, KIPSEC_A_SA_SADDR_IPV4), src, 4);
	expect_bytes(find(nlh, NULL, KIPSEC_A_SA_DADDR_IPV4), dst, 4);
	assert_false(present(nlh, NULL, KIPSEC_A_SA_SADDR_IPV6));
	crypt = find(nlh, NULL, KIPSEC_A_SA_CRYPT);
	expect_u16(find(nlh, crypt, KIPSEC_A_ALG_ID), 20);
	expect_bytes(find(nlh, crypt, KIPSEC_A_ALG_KEY), key, 20);
	expect_u8(find(nlh, crypt, KIPSEC_A_ALG_ICV_LEN), 16);
	assert_false(present(nlh, crypt, KIPSEC_A_ALG_KEY_LEN));
	assert_false(present(nlh, NULL, KIPSEC_A_SA_AUTH));
	expect_u32(find(nlh, NULL, KIPSEC_A_SA_REPLAY_WINDOW), 64);
	expect_u32(find(nlh, NULL, KIPSEC_A_SA_FLAGS), KIPSEC_SA_FLAGS_ESN);
	expect_u32(find(nlh, NULL, KIPSEC_A_SA_IF_ID), 5);
	expect_u32(find(nlh, NULL, KIPSEC_A_SA_REQID), 16);
	expect_bytes(find(nlh, NULL, KIPSEC_A_SA_ENCAP_SPORT), sport_be, 2);
	expect_bytes(find(nlh, NULL, KIPSEC_A_SA_ENCAP_DPORT), dport_be, 2);
	expect_u32(find(nlh, NULL, KIPSEC_A_SA_TFC_PAD), 1200);
	soft = find(nlh, NULL, KIPSEC_A_SA_LIFETIME_SOFT);
	expect_u64(find(nlh, soft, KIPSEC_A_LIFETIME_BYTES), 1000);
	assert_false(present(nlh, soft, KIPSEC_A_LIFETIME_SECONDS));
	hard = find(nlh, NULL, KIPSEC_A_SA_LIFETIME_HARD);
	expect_u64(find(nlh, hard, KIPSEC_A_LIFETIME_SECONDS), 0x100000000ULL);
	assert_false(present(nlh, NULL, KIPSEC_A_SA_STATE));
}

/* icv-len goes to auth when both are given; v6; legacy; AH by number. */
static void test_sa_add_auth_v6(void **state)
{
	static char *argv[] = {
		"auth", "hmac-sha2-256-128",
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		"enc", "12", "00112233445566778899aabbccddeeff",
		"icv-len", "16", "legacy",
		"src", "2001:db8::1", "dst", "2001:db8::2", "proto", "51",
	};
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	static struct sa sa;
	struct args a = make_args(argv, ARRAY_SIZE(argv));
	struct nlmsghdr *nlh = new_msg();
	const struct nlattr *auth, *crypt;

	(void)state;
	sa_parse(&a, SA_CONFIG, &sa);
	sa_put(nlh, &sa);
	auth = find(nlh, NULL, KIPSEC_A_SA_AUTH);
	crypt = find(nlh, NULL, KIPSEC_A_SA_CRYPT);
	expect_u16(find(nlh, auth, KIPSEC_A_ALG_ID), 12);
	expect_u8(find(nlh, auth, KIPSEC_A_ALG_ICV_LEN), 16);
	assert_int_equal(mnl_attr_get_payload_len(
				 find(nlh, auth, KIPSEC_A_ALG_KEY)), 32);
	expect_u16(find(nlh, crypt, KIPSEC_A_ALG_ID), 12);
	assert_false(present(nlh, crypt, KIPSEC_A_ALG_ICV_LEN));
	expect_bytes(find(nlh, NULL, KIPSEC_A_SA_DADDR_IPV6), dst, 16);
	assert_false(present(nlh, NULL, KIPSEC_A_SA_DADDR_IPV4));
	expect_u8(find(nlh, NULL, KIPSEC_A_SA_PROTO), 51);
	expect_u32(find(nlh, NULL, KIPSEC_A_SA_FLAGS),
		   KIPSEC_SA_FLAGS_LEGACY_ALGS);
	assert_false(present(nlh, NULL, KIPSEC_A_SA_SPI));
	assert_false(present(nlh, NULL, KIPSEC_A_SA_LIFETIME_SOFT));
}

static void test_sa_allocspi(void **state)
{
	static char *argv[] = {
		"dst", "192.0.2.2", "proto", "esp", "min", "0x1000",
		"max", "0x1fff", "timeout", "60", "reqid", "3",
	};
	static struct sa sa;
	struct args a = make_args(argv, ARRAY_SIZE(argv));
	struct nlmsghdr *nlh = new_msg();

	(void)state;
	sa_parse(&a, SA_ALLOC, &sa);
	sa_put(nlh, &sa);
	/* host order, unlike the SPI itself */
	expect_u32(find(nlh, NULL, KIPSEC_A_SA_SPI_MIN), 0x1000);
	expect_u32(find(nlh, NULL, KIPSEC_A_SA_SPI_MAX), 0x1fff);
	expect_u32(find(nlh, NULL, KIPSEC_A_SA_LARVAL_TIMEOUT), 60);
	expect_u32(find(nlh, NULL, KIPSEC_A_SA_REQID), 3);
	assert_false(present(nlh, NULL, KIPSEC_A_SA_SPI));
}

static void test_policy_add(void **state)
{
	static char *argv[] = {
		"dir", "out", "src", "10.0.1.0/24", "dst", "10.0.2.7",
		"proto", "tcp", "sport", "1000-2000", "dport", "443",
		"priority", "7", "if_id", "9",
		"tmpl", "proto", "esp", "mode", "tunnel", "reqid", "1",
		"src", "192.0.2.1", "dst", "192.0.2.2",
	};
	static const uint8_t ssel[] = { 10, 0, 1, 0 }, dsel[] = { 10, 0, 2, 7 };
	static const uint8_t tsrc[] = { 192, 0, 2, 1 };
	struct args a = make_args(argv, ARRAY_SIZE(argv));
	struct nlmsghdr *nlh = new_msg();
	const struct nlattr *sel, *tmpl;
	struct policy p;

	(void)state;
	policy_parse(&a, P_ADD, &p);
	policy_put(nlh, &p);
	expect_u8(find(nlh, NULL, KIPSEC_A_POLICY_DIR), KIPSEC_DIR_OUT);
	expect_u32(find(nlh, NULL, KIPSEC_A_POLICY_PRIORITY), 7);
	expect_u32(find(nlh, NULL, KIPSEC_A_POLICY_IF_ID), 9);
	/* the default action is policy_add's, not the parser's */
	assert_false(present(nlh, NULL, KIPSEC_A_POLICY_ACTION));
	sel = find(nlh, NULL, KIPSEC_A_POLICY_SELECTOR);
	expect_bytes(find(nlh, sel, KIPSEC_A_SELECTOR_SADDR_IPV4), ssel, 4);
	expect_u8(find(nlh, sel, KIPSEC_A_SELECTOR_SPREFIX), 24);
	expect_bytes(find(nlh, sel, KIPSEC_A_SELECTOR_DADDR_IPV4), dsel, 4);
	assert_false(present(nlh, sel, KIPSEC_A_SELECTOR_DPREFIX));
	expect_u8(find(nlh, sel, KIPSEC_A_SELECTOR_PROTO), 6);
	/* the selector's ports are host order (no byte-order in the spec) */
	expect_u16(find(nlh, sel, KIPSEC_A_SELECTOR_SPORT_MIN), 1000);
	expect_u16(find(nlh, sel, KIPSEC_A_SELECTOR_SPORT_MAX), 2000);
	expect_u16(find(nlh, sel, KIPSEC_A_SELECTOR_DPORT_MIN), 443);
	assert_false(present(nlh, sel, KIPSEC_A_SELECTOR_DPORT_MAX));
	tmpl = find(nlh, NULL, KIPSEC_A_POLICY_TEMPLATE);
	expect_u8(find(nlh, tmpl, KIPSEC_A_TEMPLATE_PROTO), KIPSEC_PROTO_ESP);
	expect_u8(find(nlh, tmpl, KIPSEC_A_TEMPLATE_MODE), KIPSEC_MODE_TUNNEL);
	expect_u32(find(nlh, tmpl, KIPSEC_A_TEMPLATE_REQID), 1);
	expect_bytes(find(nlh, tmpl, KIPSEC_A_TEMPLATE_SADDR_IPV4), tsrc, 4);
}

/* A keyword after the template's goes back to the policy. */
static void test_policy_template_ends(void **state)
{
	static char *argv[] = {
		"dir", "in", "type", "8", "code", "0", "proto", "icmp",
		"tmpl", "proto", "ah", "mode", "transport",
		"action", "bypass", "priority", "3",
	};
	struct args a = make_args(argv, ARRAY_SIZE(argv));
	struct nlmsghdr *nlh = new_msg();
	const struct nlattr *sel, *tmpl;
	struct policy p;

	(void)state;
	policy_parse(&a, P_ADD, &p);
	policy_put(nlh, &p);
	expect_u8(find(nlh, NULL, KIPSEC_A_POLICY_ACTION), KIPSEC_ACTION_BYPASS);
	expect_u32(find(nlh, NULL, KIPSEC_A_POLICY_PRIORITY), 3);
	sel = find(nlh, NULL, KIPSEC_A_POLICY_SELECTOR);
	expect_u8(find(nlh, sel, KIPSEC_A_SELECTOR_PROTO), 1);
	expect_u8(find(nlh, sel, KIPSEC_A_SELECTOR_ICMP_TYPE), 8);
	expect_u8(find(nlh, sel, KIPSEC_A_SELECTOR_ICMP_CODE), 0);
	tmpl = find(nlh, NULL, KIPSEC_A_POLICY_TEMPLATE);
	expect_u8(find(nlh, tmpl, KIPSEC_A_TEMPLATE_PROTO), KIPSEC_PROTO_AH);
	expect_u8(find(nlh, tmpl, KIPSEC_A_TEMPLATE_MODE),
		  KIPSEC_MODE_TRANSPORT);
	assert_false(present(nlh, tmpl, KIPSEC_A_TEMPLATE_SADDR_IPV4));
}

static void test_policy_del_by_id(void **state)
{
	static char *argv[] = { "id", "42" };
	struct args a = make_args(argv, ARRAY_SIZE(argv));
	struct nlmsghdr *nlh = new_msg();
	struct policy p;

	(void)state;
	policy_parse(&a, P_DEL, &p);
	policy_put(nlh, &p);
	expect_u32(find(nlh, NULL, KIPSEC_A_POLICY_ID), 42);
	assert_false(present(nlh, NULL, KIPSEC_A_POLICY_SELECTOR));
	assert_false(present(nlh, NULL, KIPSEC_A_POLICY_DIR));
}

/* ---- replies ---- */

/* The 21 counters of stats-get, in the spec's order, with their names. */
static const char *const stats_names[] = {
	"in-malformed", "in-nomem", "in-sa-invalid", "in-replay",
	"in-integrity", "in-trailer", "in-selector", "in-policy",
	"in-discard", "in-crypto", "out-no-policy", "out-discard",
	"out-no-sa", "out-seq-overflow", "out-expired", "out-nomem",
	"out-no-route", "out-too-big", "out-crypto", "out-malformed",
	"in-encap-mismatch",
};

/* What a printer wrote to a memory stream; free() it. */
struct capture {
	FILE *f;
	char *text;
	size_t len;
};

static void capture_start(struct capture *c)
{
	c->text = NULL;
	c->f = open_memstream(&c->text, &c->len);
	assert_non_null(c->f);
}

static const char *capture_end(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->text;
}

/*
 * A stats-get reply as the kernel builds it: a zero-length pad before a
 * counter when it would be misaligned, attributes 1..20 (type i has value
 * i * 1000 + i; the first and the last are full 64-bit values).
 */
static struct nlmsghdr *stats_reply(void)
{
	struct nlmsghdr *nlh = new_msg();
	uint64_t v;
	uint16_t i;

	mnl_attr_put(nlh, 22, 0, NULL);		/* KIPSEC_A_STATS_PAD */
	for (i = 1; i <= 21; i++) {
		v = i * 1000 + i;
		if (i == 1)
			v = UINT64_MAX;
		if (i == 20)
			v = 0x100000000ULL;
		mnl_attr_put_u64(nlh, i, v);
	}
	return nlh;
}

static void test_stats_decode(void **state)
{
	struct nlmsghdr *nlh = stats_reply();
	struct drop_stats s;
	uint16_t i;

	(void)state;
	/* the attribute numbers are the spec's, in its order */
	assert_int_equal(KIPSEC_A_STATS_IN_MALFORMED, 1);
	assert_int_equal(KIPSEC_A_STATS_IN_CRYPTO, 10);
	assert_int_equal(KIPSEC_A_STATS_OUT_NO_POLICY, 11);
	assert_int_equal(KIPSEC_A_STATS_OUT_MALFORMED, 20);
	assert_int_equal(KIPSEC_A_STATS_IN_ENCAP_MISMATCH, 21);
	assert_int_equal(KIPSEC_A_STATS_PAD, 22);
	drop_stats_decode(nlh, &s);
	assert_true(s.val[1] == UINT64_MAX);
	for (i = 2; i < 20; i++)
		assert_int_equal(s.val[i], i * 1000 + i);
	assert_true(s.val[20] == 0x100000000ULL);
	assert_int_equal(s.val[21], 21 * 1000 + 21);
	/* 1..21 present, the pad not */
	assert_true(s.set == 0x3ffffeULL);
}

/* A newer kernel's counter is skipped, a malformed one dropped. */
static void test_stats_decode_unknown(void **state)
{
	struct nlmsghdr *nlh = new_msg();
	struct drop_stats s;

	(void)state;
	mnl_attr_put_u64(nlh, KIPSEC_A_STATS_IN_REPLAY, 7);
	mnl_attr_put_u32(nlh, KIPSEC_A_STATS_IN_NOMEM, 9);	/* not a u64 */
	mnl_attr_put_u64(nlh, 40, 5);
	drop_stats_decode(nlh, &s);
	assert_true(s.set == BIT(KIPSEC_A_STATS_IN_REPLAY));
	assert_int_equal(s.val[KIPSEC_A_STATS_IN_REPLAY], 7);
	assert_int_equal(s.val[KIPSEC_A_STATS_IN_NOMEM], 0);
}

static void test_stats_print(void **state)
{
	struct nlmsghdr *nlh = stats_reply();
	struct drop_stats s;
	struct capture c;
	char want[2048], *p = want;
	size_t i;

	(void)state;
	drop_stats_decode(nlh, &s);
	capture_start(&c);
	drop_stats_print(c.f, &s);
	p += sprintf(p, "in-malformed 18446744073709551615\n");
	for (i = 1; i < 19; i++)
		p += sprintf(p, "%s %zu\n", stats_names[i],
			     (i + 1) * 1000 + i + 1);
	p += sprintf(p, "out-malformed 4294967296\n");
	sprintf(p, "in-encap-mismatch 21021\n");
	assert_string_equal(capture_end(&c), want);
	free(c.text);
}

static void test_stats_json(void **state)
{
	struct nlmsghdr *nlh = stats_reply();
	struct drop_stats s;
	struct capture c;
	char want[2048], *p = want;
	struct json j;
	size_t i;

	(void)state;
	drop_stats_decode(nlh, &s);
	capture_start(&c);
	json_init(&j, c.f);
	drop_stats_json(&j, &s);
	p += sprintf(p, "{\"in-malformed\":18446744073709551615");
	for (i = 1; i < 19; i++)
		p += sprintf(p, ",\"%s\":%zu", stats_names[i],
			     (i + 1) * 1000 + i + 1);
	sprintf(p, ",\"out-malformed\":4294967296,\"in-encap-mismatch\":21021}\n");
	assert_string_equal(capture_end(&c), want);
	free(c.text);
}

/* Only what the kernel reported is printed, still in the spec's order. */
static void test_stats_print_partial(void **state)
{
	struct nlmsghdr *nlh = new_msg();
	struct drop_stats s;
	struct capture c;

	(void)state;
	mnl_attr_put_u64(nlh, KIPSEC_A_STATS_OUT_TOO_BIG, 3);
	mnl_attr_put_u64(nlh, KIPSEC_A_STATS_IN_TRAILER, 0);
	drop_stats_decode(nlh, &s);
	capture_start(&c);
	drop_stats_print(c.f, &s);
	assert_string_equal(capture_end(&c), "in-trailer 0\nout-too-big 3\n");
	free(c.text);
}

/* An SA's counters: the sa-stats nest of an sa-get reply. */
static void test_sa_stats_decode(void **state)
{
	static const uint8_t spi_be[] = { 0x00, 0x00, 0x10, 0x00 };
	static struct sa sa;
	struct nlmsghdr *nlh = new_msg();
	struct nlattr *nest;

	(void)state;
	mnl_attr_put(nlh, KIPSEC_A_SA_SPI, 4, spi_be);
	nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA_STATS);
	mnl_attr_put(nlh, KIPSEC_A_SA_STATS_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_BYTES, 0x123456789ULL);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_PACKETS, 1000);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_REPLAY_DROPS, 3);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_INTEGRITY_FAILURES, 4);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_OTHER_ERRORS, 5);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_ADD_TIME, 1700000000);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_USE_TIME, 1700000060);
	mnl_attr_nest_end(nlh, nest);
	sa_decode(nlh, &sa);
	assert_int_equal(sa.spi, 0x1000);
	assert_true(HAS(&sa, KIPSEC_A_SA_STATS));
	assert_true(sa.stats.val[KIPSEC_A_SA_STATS_BYTES] == 0x123456789ULL);
	assert_int_equal(sa.stats.val[KIPSEC_A_SA_STATS_PACKETS], 1000);
	assert_int_equal(sa.stats.val[KIPSEC_A_SA_STATS_REPLAY_DROPS], 3);
	assert_int_equal(sa.stats.val[KIPSEC_A_SA_STATS_INTEGRITY_FAILURES], 4);
	assert_int_equal(sa.stats.val[KIPSEC_A_SA_STATS_OTHER_ERRORS], 5);
	assert_int_equal(sa.stats.val[KIPSEC_A_SA_STATS_ADD_TIME], 1700000000);
	assert_int_equal(sa.stats.val[KIPSEC_A_SA_STATS_USE_TIME], 1700000060);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sa_add),
		cmocka_unit_test(test_sa_add_auth_v6),
		cmocka_unit_test(test_sa_allocspi),
		cmocka_unit_test(test_policy_add),
		cmocka_unit_test(test_policy_template_ends),
		cmocka_unit_test(test_policy_del_by_id),
		cmocka_unit_test(test_stats_decode),
		cmocka_unit_test(test_stats_decode_unknown),
		cmocka_unit_test(test_stats_print),
		cmocka_unit_test(test_stats_json),
		cmocka_unit_test(test_stats_print_partial),
		cmocka_unit_test(test_sa_stats_decode),
	};

	return cmocka_run_group_tests_name("msg", tests, NULL, NULL);
}
