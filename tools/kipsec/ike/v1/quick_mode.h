/* SPDX-License-Identifier: GPL-2.0 */
/* Quick Mode as responder (quick_mode.c). */
#ifndef KIPSEC_IKE_V1_QUICK_MODE_H
#define KIPSEC_IKE_V1_QUICK_MODE_H

struct ike_daemon;
struct ike_dgram;
struct ike1_msg;
struct ikesa;

/*
 * A Quick Mode message of sa's (QM1 of a new exchange, or QM3 of one in
 * flight), as decoded by ike1_msg_decode(): its payloads still encrypted.
 */
void ike1_qm_request(struct ike_daemon *d, struct ikesa *sa,
		     const struct ike_dgram *dg, struct ike1_msg *m);

#endif
