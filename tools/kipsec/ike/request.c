// SPDX-License-Identifier: GPL-2.0
/*
 * Our outstanding request of an IKE SA (struct ikesa_request): the only
 * functions that say what it is about. Below the exchanges that begin
 * and end it and child.c, which forgets a CHILD_SA that goes.
 */
#include "ikesa_int.h"

void ikesa_request_begin(struct ikesa *sa, enum ikesa_request_kind kind,
			 struct ikesa_child *ch)
{
	sa->request.kind = kind;
	sa->request.child = ch;
}

void ikesa_request_child_gone(struct ikesa *sa, const struct ikesa_child *ch)
{
	if (sa->request.child == ch)
		sa->request.child = NULL;
}

void ikesa_request_end(struct ikesa *sa)
{
	sa->request.kind = IKESA_RQ_NONE;
	sa->request.child = NULL;
}
