/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_ACQUIRE_H
#define _KIPSEC_ACQUIRE_H

struct kipsec_flow;
struct kipsec_net;
struct kipsec_policy;

void kipsec_acquire_init(struct kipsec_net *kn);
void kipsec_acquire(struct kipsec_net *kn, struct kipsec_policy *pol,
		    const struct kipsec_flow *flow);

#endif /* _KIPSEC_ACQUIRE_H */
