/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_NETLINK_H
#define _KIPSEC_NETLINK_H

#include <net/net_namespace.h>

#include "sad.h"

int kipsec_nl_register(void);
void kipsec_nl_unregister(void);
void kipsec_nl_notify_expire(struct net *net, const struct kipsec_sa *sa,
			     u8 kind);

#endif /* _KIPSEC_NETLINK_H */
