/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_NETNS_H
#define _KIPSEC_NETNS_H

#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "sad.h"
#include "spd.h"

/* kipsec's state in one network namespace. */
struct kipsec_net {
	struct net *net;
	struct mutex lock;		/* serialises every configuration change */
	struct kipsec_sad sad;
	struct kipsec_spd spd;
	struct delayed_work larval_work;	/* expires larval SAs */
};

struct kipsec_net *kipsec_net(const struct net *net);
void kipsec_net_schedule_larval(struct kipsec_net *kn);
void kipsec_net_flush_if_id(struct net *net, u32 if_id);

int kipsec_netns_register(void);
void kipsec_netns_unregister(void);

#endif /* _KIPSEC_NETNS_H */
