/* SPDX-License-Identifier: GPL-2.0 */
/* Main Mode with pre-shared keys, as responder (main_mode.c). */
#ifndef KIPSEC_IKE_V1_MAIN_MODE_H
#define KIPSEC_IKE_V1_MAIN_MODE_H

struct ike_conn;
struct ike_daemon;
struct ike_dgram;
struct ike1_msg;
struct ikesa;

/* Message 1 for conn: a new ISAKMP SA and message 2, or a refusal. */
void ike1_mm_request1(struct ike_daemon *d, const struct ike_conn *conn,
		      const struct ike_dgram *dg, const struct ike1_msg *m);
/* Message 3 or 5 of sa's Main Mode (not a repeat: input.c saw to that). */
void ike1_mm_request(struct ike_daemon *d, struct ikesa *sa,
		     const struct ike_dgram *dg, struct ike1_msg *m);

#endif
