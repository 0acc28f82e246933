/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_NETLINK_H
#define _KIPSEC_NETLINK_H

#include <net/net_namespace.h>

#include "sad.h"
#include "spd.h"

int kipsec_nl_register(void);
void kipsec_nl_unregister(void);
void kipsec_nl_notify_expire(struct net *net, struct kipsec_sa *sa, u8 kind);
void kipsec_nl_notify_mapping(struct net *net, struct kipsec_sa *sa,
			      const union kipsec_addr *addr, __be16 port);
void kipsec_nl_notify_acquire(struct net *net,
			      const struct kipsec_policy *pol,
			      const struct kipsec_flow *flow);

#endif /* _KIPSEC_NETLINK_H */
