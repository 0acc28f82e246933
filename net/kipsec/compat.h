/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernels kipsec builds against:
 * 6.12 (the test kernel) and 6.1 (Debian 12's stock kernel).
 */
#ifndef _KIPSEC_COMPAT_H
#define _KIPSEC_COMPAT_H

#include <linux/netdevice.h>
#include <linux/version.h>

static inline void kipsec_set_netns_local(struct net_device *dev)
{
#ifdef NETIF_F_NETNS_LOCAL
	dev->features |= NETIF_F_NETNS_LOCAL;
#else
	dev->netns_immutable = true;	/* a field in 6.12.y and 6.15+ */
#endif
}

#endif /* _KIPSEC_COMPAT_H */
