/* SPDX-License-Identifier: GPL-2.0 */
/* Where IKEv1 arrives (input.c). */
#ifndef KIPSEC_IKE_V1_INPUT_H
#define KIPSEC_IKE_V1_INPUT_H

struct ike_daemon;
struct ike_dgram;

/* A datagram whose ISAKMP header says major version 1. */
void ike1_input(struct ike_daemon *d, const struct ike_dgram *dg);

#endif
