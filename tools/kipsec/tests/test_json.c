// SPDX-License-Identifier: GPL-2.0
/* Unit tests for json.c: string escaping and the comma bookkeeping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "kipsec.h"

/* What fn wrote, as a string the caller frees. */
static char *capture(void (*fn)(FILE *f, const void *arg), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	fclose(f);
	return buf;
}

static void write_string(FILE *f, const void *arg)
{
	json_write_string(f, arg);
}

static void check_escape(const char *in, const char *want)
{
	char *got = capture(write_string, in);

	assert_string_equal(got, want);
	free(got);
}

static void test_escape_plain(void **state)
{
	(void)state;
	check_escape("", "\"\"");
	check_escape("esp", "\"esp\"");
	check_escape("2001:db8::1/64", "\"2001:db8::1/64\"");
}

static void test_escape_specials(void **state)
{
	(void)state;
	check_escape("a\"b", "\"a\\\"b\"");
	check_escape("a\\b", "\"a\\\\b\"");
	check_escape("/", "\"/\"");	/* need not be escaped */
	check_escape("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"");
}

static void test_escape_control(void **state)
{
	(void)state;
	check_escape("\x01", "\"\\u0001\"");
	check_escape("a\x1f" "b", "\"a\\u001fb\"");
	check_escape("\x7f", "\"\x7f\"");	/* DEL is not a control char */
	/* UTF-8 passes through untouched */
	check_escape("caf\xc3\xa9", "\"caf\xc3\xa9\"");
}

static void write_document(FILE *f, const void *arg)
{
	struct json j;

	(void)arg;
	json_init(&j, f);
	json_open_arr(&j, NULL);
	json_open_obj(&j, NULL);
	json_str(&j, "spi", "0x00001000");
	json_uint(&j, "if_id", 5);
	json_open_arr(&j, "flags");
	json_str(&j, NULL, "esn");
	json_str(&j, NULL, "legacy");
	json_close_arr(&j);
	json_open_obj(&j, "lifetime");
	json_close_obj(&j);
	json_close_obj(&j);
	json_open_obj(&j, NULL);
	json_uint(&j, "big", UINT64_MAX);
	json_close_obj(&j);
	json_close_arr(&j);
}

static void test_document(void **state)
{
	char *got = capture(write_document, NULL);

	(void)state;
	assert_string_equal(got,
		"[{\"spi\":\"0x00001000\",\"if_id\":5,"
		"\"flags\":[\"esn\",\"legacy\"],\"lifetime\":{}},"
		"{\"big\":18446744073709551615}]\n");
	free(got);
}

static void write_empty(FILE *f, const void *arg)
{
	struct json j;

	(void)arg;
	json_init(&j, f);
	json_open_arr(&j, NULL);
	json_close_arr(&j);
	/* a second document starts without a comma */
	json_open_obj(&j, NULL);
	json_str(&j, "k\"", "v");
	json_close_obj(&j);
}

static void test_empty_and_sequence(void **state)
{
	char *got = capture(write_empty, NULL);

	(void)state;
	assert_string_equal(got, "[]\n{\"k\\\"\":\"v\"}\n");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_plain),
		cmocka_unit_test(test_escape_specials),
		cmocka_unit_test(test_escape_control),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_empty_and_sequence),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
