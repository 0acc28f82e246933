/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The life of an IKE SA as a state machine: its states, the one table of
 * the changes that can happen, and the one function that makes a change.
 *
 *   NEW --> INIT_SENT --> AUTH_SENT --> ESTABLISHED --> DELETING --> DEAD
 *    |  \      (again: COOKIE,                ^
 *    |   \      INVALID_KE_PAYLOAD)           |
 *    |    +--> HALF_OPEN ---------------------+
 *    +--> ESTABLISHED (the new IKE SA of a rekeying)
 *
 * Any state but DEAD may go to DEAD. Nothing leaves DEAD: a failure that
 * leaves the IKE SA usable (a CHILD_SA refused in IKE_AUTH, a PFS
 * mismatch found by a rekey) is reported without killing it.
 */
#ifndef KIPSEC_IKE_STATE_H
#define KIPSEC_IKE_STATE_H

#include <stdbool.h>

struct ike_daemon;
struct ikesa;

enum ikesa_state {
	IKESA_NEW,		/* created, nothing sent yet */
	IKESA_INIT_SENT,	/* initiator: IKE_SA_INIT request out */
	IKESA_AUTH_SENT,	/* initiator: IKE_AUTH request out */
	IKESA_HALF_OPEN,	/* responder: IKE_SA_INIT answered */
	IKESA_ESTABLISHED,
	/* going: our Delete is out, or the peer's came while our rekey waits */
	IKESA_DELETING,
	IKESA_DEAD,		/* freed once the current event is done */
	IKESA_N_STATES
};

/* Whether an IKE SA in state from may go to state to. */
bool ikesa_state_allowed(enum ikesa_state from, enum ikesa_state to);

/* The state as the logs name it ("INIT_SENT"). */
const char *ikesa_state_id(enum ikesa_state s);

/* The state as `kipsec status` names it, in charon's words ("CONNECTING"). */
const char *ikesa_state_name(enum ikesa_state s);

/*
 * The one place an IKE SA's state changes: logged (debug), or refused
 * and logged as an internal error when the table does not allow it; then
 * the state stays as it was and the result is -1.
 */
int ikesa_set_state(const struct ike_daemon *d, struct ikesa *sa,
		    enum ikesa_state to);

#endif
