/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The security policy database of one network namespace.
 */
#ifndef _KIPSEC_SPD_H
#define _KIPSEC_SPD_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/xarray.h>
#include <uapi/linux/kipsec.h>

#include "addr.h"

#define KIPSEC_DEFAULT_MAX_POLICIES 65536
#define KIPSEC_DIRS (KIPSEC_DIR_FWD + 1)

/*
 * family 0 matches both families (no address given). Ports are host order;
 * "any" is [0, 65535]. icmp_type and icmp_code are -1 for any.
 */
struct kipsec_selector {
	union kipsec_addr saddr;
	union kipsec_addr daddr;
	u8 family;
	u8 sprefix;
	u8 dprefix;
	u8 proto;
	u16 sport_min;
	u16 sport_max;
	u16 dport_min;
	u16 dport_max;
	s16 icmp_type;
	s16 icmp_code;
};

struct kipsec_template {
	union kipsec_addr saddr;	/* tunnel mode only */
	union kipsec_addr daddr;
	u8 family;			/* 0 in transport mode */
	u8 proto;
	u8 mode;
	u32 reqid;
};

struct kipsec_policy_config {
	u8 dir;
	u8 action;
	u32 priority;
	u32 if_id;
	struct kipsec_selector sel;
	struct kipsec_template tmpl;	/* action protect only */
};

struct kipsec_policy {
	struct list_head node;		/* in kipsec_spd.dirs[cfg.dir] */
	u32 id;
	struct kipsec_policy_config cfg;
	unsigned long acquire_jiffies;	/* last ACQUIRE; 0: none yet */
	u32 acquire_hash;		/* of the addresses it was for */
	struct rcu_head rcu;
};

/* What a packet offers to the selectors; ICMP type/code go in the ports. */
struct kipsec_flow {
	union kipsec_addr saddr;
	union kipsec_addr daddr;
	u8 family;
	u8 proto;
	u16 sport;
	u16 dport;
	bool later_fragment;	/* not the first: no ports to see */
};

struct kipsec_spd {
	struct mutex *lock;		/* the namespace's configuration lock */
	struct xarray by_id;		/* policy id -> policy */
	struct list_head dirs[KIPSEC_DIRS];	/* by priority, then age */
	u32 count;
	u32 max;
	u32 generation;			/* bumped on change: dump consistency */
};

void kipsec_spd_init(struct kipsec_spd *spd, struct mutex *lock);
void kipsec_spd_destroy(struct kipsec_spd *spd);

int kipsec_spd_add(struct kipsec_spd *spd,
		   const struct kipsec_policy_config *cfg, u32 *id,
		   struct netlink_ext_ack *extack);
struct kipsec_policy *kipsec_spd_find(struct kipsec_spd *spd,
				      const struct kipsec_policy_config *cfg);
void kipsec_spd_remove(struct kipsec_spd *spd, struct kipsec_policy *pol);
void kipsec_spd_flush(struct kipsec_spd *spd, int dir);
void kipsec_spd_flush_if_id(struct kipsec_spd *spd, u32 if_id);

bool kipsec_selector_match(const struct kipsec_selector *sel,
			   const struct kipsec_flow *flow);
struct kipsec_policy *kipsec_spd_lookup(struct kipsec_spd *spd, u8 dir,
					u32 if_id,
					const struct kipsec_flow *flow);

#endif /* _KIPSEC_SPD_H */
