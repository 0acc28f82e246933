/* SPDX-License-Identifier: GPL-2.0 */
/* IKEv1 Informational exchanges of an ISAKMP SA (info.c). */
#ifndef KIPSEC_IKE_V1_INFO_H
#define KIPSEC_IKE_V1_INFO_H

struct ike_daemon;
struct ike_dgram;
struct ike1_msg;
struct ikesa;

/* A peer's Informational (RFC 2409 section 5.7): Delete, DPD, notifies. */
void ike1_info_request(struct ike_daemon *d, struct ikesa *sa,
		       const struct ike_dgram *dg, struct ike1_msg *m);

#endif
