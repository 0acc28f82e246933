// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE SA state machine (state.h): the table of possible changes and
 * the function that makes them.
 */
#include "state.h"

#include "ikesa_int.h"
#include "log.h"

#define TO(s) (1u << (s))

/* For each state, the states it may go to. */
static const unsigned int next_states[IKESA_N_STATES] = {
	[IKESA_NEW] = TO(IKESA_INIT_SENT) | TO(IKESA_HALF_OPEN) |
		      TO(IKESA_ESTABLISHED) | TO(IKESA_DEAD),
	/* a retry after COOKIE or INVALID_KE_PAYLOAD sends IKE_SA_INIT again */
	[IKESA_INIT_SENT] = TO(IKESA_INIT_SENT) | TO(IKESA_AUTH_SENT) |
			    TO(IKESA_DEAD),
	[IKESA_AUTH_SENT] = TO(IKESA_ESTABLISHED) | TO(IKESA_DEAD),
	[IKESA_HALF_OPEN] = TO(IKESA_ESTABLISHED) | TO(IKESA_DEAD),
	[IKESA_ESTABLISHED] = TO(IKESA_DELETING) | TO(IKESA_DEAD),
	[IKESA_DELETING] = TO(IKESA_DEAD),
	[IKESA_DEAD] = TO(IKESA_DEAD),
};

bool ikesa_state_allowed(enum ikesa_state from, enum ikesa_state to)
{
	if ((unsigned int)from >= IKESA_N_STATES ||
	    (unsigned int)to >= IKESA_N_STATES)
		return false;
	return next_states[from] & TO(to);
}

const char *ikesa_state_id(enum ikesa_state s)
{
	static const char *const ids[IKESA_N_STATES] = {
		[IKESA_NEW] = "NEW",
		[IKESA_INIT_SENT] = "INIT_SENT",
		[IKESA_AUTH_SENT] = "AUTH_SENT",
		[IKESA_HALF_OPEN] = "HALF_OPEN",
		[IKESA_ESTABLISHED] = "ESTABLISHED",
		[IKESA_DELETING] = "DELETING",
		[IKESA_DEAD] = "DEAD",
	};

	return (unsigned int)s < IKESA_N_STATES ? ids[s] : "?";
}

const char *ikesa_state_name(enum ikesa_state s)
{
	static const char *const names[IKESA_N_STATES] = {
		[IKESA_NEW] = "CONNECTING",
		[IKESA_INIT_SENT] = "CONNECTING",
		[IKESA_AUTH_SENT] = "CONNECTING",
		[IKESA_HALF_OPEN] = "CONNECTING",
		[IKESA_ESTABLISHED] = "ESTABLISHED",
		[IKESA_DELETING] = "DELETING",
		[IKESA_DEAD] = "DELETED",
	};

	return (unsigned int)s < IKESA_N_STATES ? names[s] : "?";
}

int ikesa_set_state(const struct ike_daemon *d, struct ikesa *sa,
		    enum ikesa_state to)
{
	enum ikesa_state from = sa->state;

	if (!ikesa_state_allowed(from, to)) {
		ike_log("%s: internal error: IKE SA state change %s -> %s refused",
			sa->conn_name, ikesa_state_id(from), ikesa_state_id(to));
		return -1;
	}
	if (from != to)
		ike_debug(d, "%s: IKE SA %s -> %s", sa->conn_name,
			  ikesa_state_id(from), ikesa_state_id(to));
	sa->state = to;
	return 0;
}
