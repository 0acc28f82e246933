// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ike/state.c, the IKE SA state machine. The expected
 * transitions are written out here from RFC 7296's exchanges (section
 * 1.2: IKE_SA_INIT then IKE_AUTH; 2.6: a COOKIE makes the initiator send
 * IKE_SA_INIT again, as 1.2's INVALID_KE_PAYLOAD does; 1.3.2: a rekeyed
 * IKE SA is established by CREATE_CHILD_SA; 1.4.1: Delete), not taken from
 * state.c's table. The daemon's logging is replaced by two fakes that keep
 * the last line, so the tests see what an operator would read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ike/context.h"
#include "ike/ikesa_int.h"
#include "ike/state.h"

/* ---- fakes of log.c ---- */

static char logged[512], debugged[512];

void ike_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(logged, sizeof(logged), fmt, ap);
	va_end(ap);
}

void ike_debug(const struct ike_daemon *d, const char *fmt, ...)
{
	va_list ap;

	(void)d;
	va_start(ap, fmt);
	vsnprintf(debugged, sizeof(debugged), fmt, ap);
	va_end(ap);
}

static int setup(void **state)
{
	(void)state;
	logged[0] = debugged[0] = '\0';
	return 0;
}

/* ---- the expected machine ---- */

struct step {
	enum ikesa_state from, to;
};

static const struct step possible[] = {
	/* initiator */
	{ IKESA_NEW, IKESA_INIT_SENT },
	{ IKESA_INIT_SENT, IKESA_INIT_SENT },	/* COOKIE, INVALID_KE */
	{ IKESA_INIT_SENT, IKESA_AUTH_SENT },
	{ IKESA_AUTH_SENT, IKESA_ESTABLISHED },
	/* responder */
	{ IKESA_NEW, IKESA_HALF_OPEN },
	{ IKESA_HALF_OPEN, IKESA_ESTABLISHED },
	/* the new IKE SA of a rekeying */
	{ IKESA_NEW, IKESA_ESTABLISHED },
	/* our Delete */
	{ IKESA_ESTABLISHED, IKESA_DELETING },
	/* death, from anywhere, once */
	{ IKESA_NEW, IKESA_DEAD },
	{ IKESA_INIT_SENT, IKESA_DEAD },
	{ IKESA_AUTH_SENT, IKESA_DEAD },
	{ IKESA_HALF_OPEN, IKESA_DEAD },
	{ IKESA_ESTABLISHED, IKESA_DEAD },
	{ IKESA_DELETING, IKESA_DEAD },
	{ IKESA_DEAD, IKESA_DEAD },
};

static bool expected(enum ikesa_state from, enum ikesa_state to)
{
	size_t i;

	for (i = 0; i < sizeof(possible) / sizeof(possible[0]); i++)
		if (possible[i].from == from && possible[i].to == to)
			return true;
	return false;
}

/* Every pair of states: allowed exactly when the RFC's exchanges say. */
static void test_table(void **state)
{
	int from, to;

	(void)state;
	for (from = 0; from < IKESA_N_STATES; from++)
		for (to = 0; to < IKESA_N_STATES; to++) {
			if (ikesa_state_allowed(from, to) == expected(from, to))
				continue;
			fail_msg("%s -> %s: allowed %d, expected %d",
				 ikesa_state_id(from), ikesa_state_id(to),
				 ikesa_state_allowed(from, to),
				 expected(from, to));
		}
	assert_false(ikesa_state_allowed(IKESA_N_STATES, IKESA_DEAD));
	assert_false(ikesa_state_allowed(IKESA_NEW, IKESA_N_STATES));
	assert_false(ikesa_state_allowed((enum ikesa_state)-1, IKESA_DEAD));
}

/* The initiator's way to ESTABLISHED, each change in the debug log. */
static void test_initiator_path(void **state)
{
	struct ikesa sa = { .conn_name = "gw" };

	(void)state;
	assert_int_equal(sa.state, IKESA_NEW);
	assert_int_equal(ikesa_set_state(NULL, &sa, IKESA_INIT_SENT), 0);
	assert_string_equal(debugged, "gw: IKE SA NEW -> INIT_SENT");
	assert_int_equal(ikesa_set_state(NULL, &sa, IKESA_AUTH_SENT), 0);
	assert_int_equal(ikesa_set_state(NULL, &sa, IKESA_ESTABLISHED), 0);
	assert_string_equal(debugged, "gw: IKE SA AUTH_SENT -> ESTABLISHED");
	assert_int_equal(sa.state, IKESA_ESTABLISHED);
	assert_string_equal(logged, "");
}

/* A refused change: state kept, an internal error at the default level. */
static void test_refused(void **state)
{
	struct ikesa sa = { .conn_name = "gw", .state = IKESA_HALF_OPEN };

	(void)state;
	assert_int_equal(ikesa_set_state(NULL, &sa, IKESA_AUTH_SENT), -1);
	assert_int_equal(sa.state, IKESA_HALF_OPEN);
	assert_string_equal(logged,
		"gw: internal error: IKE SA state change HALF_OPEN -> AUTH_SENT refused");
}

/* Nothing leaves DEAD; DEAD again is quiet. */
static void test_dead_is_final(void **state)
{
	struct ikesa sa = { .conn_name = "gw", .state = IKESA_ESTABLISHED };
	int to;

	(void)state;
	assert_int_equal(ikesa_set_state(NULL, &sa, IKESA_DEAD), 0);
	for (to = 0; to < IKESA_N_STATES; to++) {
		logged[0] = debugged[0] = '\0';
		if (to == IKESA_DEAD) {
			assert_int_equal(ikesa_set_state(NULL, &sa, to), 0);
			assert_string_equal(debugged, "");
		} else {
			assert_int_equal(ikesa_set_state(NULL, &sa, to), -1);
			assert_non_null(strstr(logged, "refused"));
		}
		assert_int_equal(sa.state, IKESA_DEAD);
	}
}

/* Every state has a log name and a status name (charon's words). */
static void test_names(void **state)
{
	int s;

	(void)state;
	for (s = 0; s < IKESA_N_STATES; s++) {
		assert_string_not_equal(ikesa_state_id(s), "?");
		assert_string_not_equal(ikesa_state_name(s), "?");
	}
	assert_string_equal(ikesa_state_name(IKESA_HALF_OPEN), "CONNECTING");
	assert_string_equal(ikesa_state_name(IKESA_ESTABLISHED), "ESTABLISHED");
	assert_string_equal(ikesa_state_name(IKESA_DEAD), "DELETED");
	assert_string_equal(ikesa_state_id(IKESA_N_STATES), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_table, setup),
		cmocka_unit_test_setup(test_initiator_path, setup),
		cmocka_unit_test_setup(test_refused, setup),
		cmocka_unit_test_setup(test_dead_is_final, setup),
		cmocka_unit_test_setup(test_names, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
