// SPDX-License-Identifier: GPL-2.0
/* Unit tests for parse.c: numbers, ports, addresses, prefixes, hex keys. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <string.h>

#include "kipsec.h"

static void test_u64_decimal_and_hex(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_u64("0", UINT64_MAX, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_u64("4096", UINT64_MAX, &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_u64("0x1000", UINT64_MAX, &v), 0);
	assert_int_equal(v, 0x1000);
	assert_int_equal(parse_u64("0XfFfF", UINT64_MAX, &v), 0);
	assert_int_equal(v, 0xffff);
	assert_int_equal(parse_u64("18446744073709551615", UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	/* a leading zero is decimal, never octal */
	assert_int_equal(parse_u64("010", UINT64_MAX, &v), 0);
	assert_int_equal(v, 10);
}

static void test_u64_rejects(void **state)
{
	static const char *const bad[] = {
		"", "0x", "-1", "+1", " 1", "1 ", "1a", "0x1g", "abc", "1.5",
		"18446744073709551616", "0x10000000000000000",
	};
	uint64_t v = 42;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse_u64(bad[i], UINT64_MAX, &v) != -1)
			fail_msg("\"%s\" was accepted", bad[i]);
	}
	assert_int_equal(v, 42);	/* untouched on failure */
}

static void test_fixed_width_overflow(void **state)
{
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;

	(void)state;
	assert_int_equal(parse_u32("4294967295", &v32), 0);
	assert_true(v32 == UINT32_MAX);
	assert_int_equal(parse_u32("4294967296", &v32), -1);
	assert_int_equal(parse_u32("0x100000000", &v32), -1);
	assert_int_equal(parse_u16("65535", &v16), 0);
	assert_int_equal(v16, 65535);
	assert_int_equal(parse_u16("65536", &v16), -1);
	assert_int_equal(parse_u8("255", &v8), 0);
	assert_int_equal(v8, 255);
	assert_int_equal(parse_u8("256", &v8), -1);
	assert_int_equal(parse_u8("0x100", &v8), -1);
}

static void test_port_range(void **state)
{
	uint16_t min = 0, max = 0;

	(void)state;
	assert_int_equal(parse_port_range("80", &min, &max), 0);
	assert_int_equal(min, 80);
	assert_int_equal(max, 80);
	assert_int_equal(parse_port_range("1000-2000", &min, &max), 0);
	assert_int_equal(min, 1000);
	assert_int_equal(max, 2000);
	/* order is the kernel's to check, not syntax */
	assert_int_equal(parse_port_range("2000-1000", &min, &max), 0);
	assert_int_equal(min, 2000);
	assert_int_equal(max, 1000);
	assert_int_equal(parse_port_range("0x10-0x20", &min, &max), 0);
	assert_int_equal(min, 16);
	assert_int_equal(max, 32);
	assert_int_equal(parse_port_range("65536", &min, &max), -1);
	assert_int_equal(parse_port_range("1-65536", &min, &max), -1);
	assert_int_equal(parse_port_range("-5", &min, &max), -1);
	assert_int_equal(parse_port_range("5-", &min, &max), -1);
	assert_int_equal(parse_port_range("1-2-3", &min, &max), -1);
	assert_int_equal(parse_port_range("http", &min, &max), -1);
}

static void test_addr_v4_v6(void **state)
{
	static const uint8_t v4[] = { 192, 0, 2, 1 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct addr a;

	(void)state;
	assert_int_equal(parse_addr("192.0.2.1", &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_memory_equal(a.bytes, v4, 4);	/* network order */
	assert_false(a.has_plen);
	assert_int_equal(parse_addr("2001:db8::1", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_memory_equal(a.bytes, v6, 16);
	assert_int_equal(parse_addr("::ffff:192.0.2.1", &a), 0);
	assert_int_equal(a.family, AF_INET6);
}

static void test_addr_rejects(void **state)
{
	static const char *const bad[] = {
		"", "192.0.2", "192.0.2.256", "192.0.2.1.5", "1.2.3.x",
		"2001:db8::1::2", "2001:db8:::1", "192.0.2.1/24", "localhost",
		"gggg::1",
	};
	struct addr a;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (parse_addr(bad[i], &a) != -1)
			fail_msg("\"%s\" was accepted", bad[i]);
}

static void test_prefix(void **state)
{
	struct addr a;

	(void)state;
	assert_int_equal(parse_prefix("10.0.0.0/8", &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_true(a.has_plen);
	assert_int_equal(a.plen, 8);
	assert_int_equal(parse_prefix("10.0.0.1", &a), 0);
	assert_false(a.has_plen);
	assert_int_equal(parse_prefix("0.0.0.0/0", &a), 0);
	assert_int_equal(a.plen, 0);
	assert_int_equal(parse_prefix("10.0.0.1/32", &a), 0);
	assert_int_equal(a.plen, 32);
	assert_int_equal(parse_prefix("2001:db8::/32", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.plen, 32);
	assert_int_equal(parse_prefix("::1/128", &a), 0);
	assert_int_equal(a.plen, 128);
	/* host bits are the kernel's to refuse, not syntax */
	assert_int_equal(parse_prefix("10.0.0.1/8", &a), 0);
}

static void test_prefix_rejects(void **state)
{
	static const char *const bad[] = {
		"10.0.0.0/33", "10.0.0.0/128", "2001:db8::/129", "::/256",
		"10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "10.0.0.0/0x8",
		"/8", "10.0.0/8", "10.0.0.0/8/8",
	};
	struct addr a;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (parse_prefix(bad[i], &a) != -1)
			fail_msg("\"%s\" was accepted", bad[i]);
}

static void test_format_addr(void **state)
{
	char buf[ADDR_STRLEN];
	struct addr a = { 0 };

	(void)state;
	assert_string_equal(format_addr(&a, buf, sizeof(buf)), "any");
	parse_prefix("10.1.0.0/16", &a);
	assert_string_equal(format_addr(&a, buf, sizeof(buf)), "10.1.0.0/16");
	parse_addr("2001:db8::1", &a);
	assert_string_equal(format_addr(&a, buf, sizeof(buf)), "2001:db8::1");
}

static void test_hex_key(void **state)
{
	static const uint8_t want[] = { 0x01, 0x23, 0xab, 0xCD, 0xef };
	uint8_t buf[KEY_MAX];

	(void)state;
	assert_int_equal(parse_hex_key("0x0123abCDef", buf, sizeof(buf)), 5);
	assert_memory_equal(buf, want, 5);
	assert_int_equal(parse_hex_key("0123ABcdEF", buf, sizeof(buf)), 5);
	assert_memory_equal(buf, want, 5);
	assert_int_equal(parse_hex_key("0X00ff", buf, sizeof(buf)), 2);
	assert_int_equal(buf[1], 0xff);
	/* the empty key of the null cipher */
	assert_int_equal(parse_hex_key("0x", buf, sizeof(buf)), 0);
	assert_int_equal(parse_hex_key("", buf, sizeof(buf)), 0);
}

static void test_hex_key_rejects(void **state)
{
	static const char *const bad[] = {
		"0x123", "abc", "0xzz", "12 34", "0x12g4", "x1234", "0x0x12",
		"-1", "12:34",
	};
	uint8_t buf[KEY_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (parse_hex_key(bad[i], buf, sizeof(buf)) != -1)
			fail_msg("\"%s\" was accepted", bad[i]);
	/* longer than the buffer */
	assert_int_equal(parse_hex_key("00112233", buf, 3), -1);
	assert_int_equal(parse_hex_key("001122", buf, 3), 3);
}

static void test_enum_names(void **state)
{
	unsigned int v;

	(void)state;
	assert_int_equal(parse_enum(ipsec_proto_names, ipsec_proto_count,
				    "esp", 255, &v), 0);
	assert_int_equal(v, 50);
	assert_int_equal(parse_enum(ipsec_proto_names, ipsec_proto_count,
				    "ah", 255, &v), 0);
	assert_int_equal(v, 51);
	assert_int_equal(parse_enum(ipsec_proto_names, ipsec_proto_count,
				    "50", 255, &v), 0);
	assert_int_equal(v, 50);
	assert_int_equal(parse_enum(ipsec_proto_names, ipsec_proto_count,
				    "256", 255, &v), -1);
	assert_int_equal(parse_enum(ip_proto_names, ip_proto_count, "tcp", 255,
				    &v), 0);
	assert_int_equal(v, 6);
	assert_int_equal(parse_enum(ip_proto_names, ip_proto_count, "udp", 255,
				    &v), 0);
	assert_int_equal(v, 17);
	assert_int_equal(parse_enum(ip_proto_names, ip_proto_count, "icmp", 255,
				    &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(parse_enum(ip_proto_names, ip_proto_count, "ipv6-icmp",
				    255, &v), 0);
	assert_int_equal(v, 58);
	assert_int_equal(parse_enum(ip_proto_names, ip_proto_count, "icmpv6",
				    255, &v), 0);
	assert_int_equal(v, 58);
	assert_int_equal(parse_enum(ip_proto_names, ip_proto_count, "sctp", 255,
				    &v), 0);
	assert_int_equal(v, 132);
	assert_int_equal(parse_enum(ip_proto_names, ip_proto_count, "udplite",
				    255, &v), 0);
	assert_int_equal(v, 136);
	/* max 0: names only */
	assert_int_equal(parse_enum(dir_names, dir_count, "1", 0, &v), -1);
	assert_int_equal(parse_enum(dir_names, dir_count, "fwd", 0, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(parse_enum(mode_names, mode_count, "beet", 0, &v), -1);
	/* canonical name first: 58 prints as ipv6-icmp, not the alias */
	assert_string_equal(val_to_name(ip_proto_names, ip_proto_count, 58),
			    "ipv6-icmp");
	assert_null(val_to_name(ip_proto_names, ip_proto_count, 99));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64_decimal_and_hex),
		cmocka_unit_test(test_u64_rejects),
		cmocka_unit_test(test_fixed_width_overflow),
		cmocka_unit_test(test_port_range),
		cmocka_unit_test(test_addr_v4_v6),
		cmocka_unit_test(test_addr_rejects),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_prefix_rejects),
		cmocka_unit_test(test_format_addr),
		cmocka_unit_test(test_hex_key),
		cmocka_unit_test(test_hex_key_rejects),
		cmocka_unit_test(test_enum_names),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
