// SPDX-License-Identifier: GPL-2.0
/*
 * The algorithm table against Documentation/netlink.rst, whose IDs are
 * IANA's "IKEv2 Transform Type 1 / Type 3" registry. The expected values
 * are written out again here on purpose: a typo in alg.c must not be
 * copied into its own test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kipsec.h"

struct expect {
	const char *name;
	uint16_t id;
	bool legacy;
};

static const struct expect enc[] = {
	{ "des-cbc", 2, true },		{ "3des-cbc", 3, true },
	{ "null", 11, false },		{ "aes-cbc", 12, false },
	{ "aes-ctr", 13, false },	{ "aes-ccm-8", 14, false },
	{ "aes-ccm-12", 15, false },	{ "aes-ccm-16", 16, false },
	{ "aes-gcm-8", 18, false },	{ "aes-gcm-12", 19, false },
	{ "aes-gcm-16", 20, false },	{ "aes-gmac", 21, false },
	{ "chacha20-poly1305", 28, false },
};

static const struct expect auth[] = {
	{ "hmac-md5-96", 1, true },	     { "hmac-sha1-96", 2, false },
	{ "aes-xcbc-96", 5, false },	     { "aes-cmac-96", 8, false },
	{ "hmac-sha2-256-128", 12, false }, { "hmac-sha2-384-192", 13, false },
	{ "hmac-sha2-512-256", 14, false },
};

static void check_kind(enum alg_kind kind, const struct expect *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct alg *by_name = alg_by_name(kind, e[i].name);
		const struct alg *by_id = alg_by_id(kind, e[i].id);
		uint16_t id = 0;

		if (!by_name)
			fail_msg("%s: not in the table", e[i].name);
		if (by_name->id != e[i].id)
			fail_msg("%s: id %u, IANA says %u", e[i].name,
				 by_name->id, e[i].id);
		if (!by_id || strcmp(by_id->name, e[i].name))
			fail_msg("id %u: named %s, want %s", e[i].id,
				 by_id ? by_id->name : "nothing", e[i].name);
		if (by_name->legacy != e[i].legacy)
			fail_msg("%s: legacy flag wrong", e[i].name);
		assert_int_equal(parse_alg(kind, e[i].name, &id), 0);
		assert_int_equal(id, e[i].id);
	}
}

static void test_enc_table(void **state)
{
	(void)state;
	check_kind(ALG_ENC, enc, ARRAY_SIZE(enc));
}

static void test_auth_table(void **state)
{
	(void)state;
	check_kind(ALG_AUTH, auth, ARRAY_SIZE(auth));
}

/* Nothing in the table that the documentation does not list. */
static void test_no_extra_entries(void **state)
{
	(void)state;
	assert_int_equal(alg_count, ARRAY_SIZE(enc) + ARRAY_SIZE(auth));
}

/* The same number means different algorithms in types 1 and 3. */
static void test_kinds_are_separate(void **state)
{
	(void)state;
	assert_string_equal(alg_by_id(ALG_ENC, 12)->name, "aes-cbc");
	assert_string_equal(alg_by_id(ALG_AUTH, 12)->name,
			    "hmac-sha2-256-128");
	assert_null(alg_by_name(ALG_ENC, "hmac-sha1-96"));
	assert_null(alg_by_name(ALG_AUTH, "aes-gcm-16"));
	assert_null(alg_by_id(ALG_ENC, 17));	/* unassigned for ESP */
}

static void test_numbers_and_unknown_names(void **state)
{
	uint16_t id = 0;

	(void)state;
	/* any 16-bit ID passes: the kernel says EOPNOTSUPP, not the tool */
	assert_int_equal(parse_alg(ALG_ENC, "20", &id), 0);
	assert_int_equal(id, 20);
	assert_int_equal(parse_alg(ALG_ENC, "0x1c", &id), 0);
	assert_int_equal(id, 28);
	assert_int_equal(parse_alg(ALG_AUTH, "65535", &id), 0);
	assert_int_equal(parse_alg(ALG_AUTH, "65536", &id), -1);
	assert_int_equal(parse_alg(ALG_ENC, "aes-gcm", &id), -1);
	assert_int_equal(parse_alg(ALG_ENC, "AES-GCM-16", &id), -1);
	assert_int_equal(parse_alg(ALG_AUTH, "hmac-sha256", &id), -1);
	assert_int_equal(parse_alg(ALG_ENC, "", &id), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enc_table),
		cmocka_unit_test(test_auth_table),
		cmocka_unit_test(test_no_extra_entries),
		cmocka_unit_test(test_kinds_are_separate),
		cmocka_unit_test(test_numbers_and_unknown_names),
	};

	return cmocka_run_group_tests_name("alg", tests, NULL, NULL);
}
