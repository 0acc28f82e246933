/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_LINK_H
#define _KIPSEC_LINK_H

#include <linux/netdevice.h>
#include <net/gro_cells.h>

/* A kipsec interface: SAs and policies with its if_id belong to it. */
struct kipsec_link {
	struct net_device *dev;
	u32 if_id;
	u32 underlay_ifindex;		/* 0: by route lookup */
	struct gro_cells gro_cells;	/* receive, from decryption */
};

bool kipsec_link_is(const struct net_device *dev);
int kipsec_link_register(void);
void kipsec_link_unregister(void);
void kipsec_link_destroy_nets(struct list_head *net_list);

#endif /* _KIPSEC_LINK_H */
